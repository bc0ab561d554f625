DELETE FROM named_locks WHERE name = 'work_permit_payment_reference';
DROP TABLE work_permit_payment_orders;
