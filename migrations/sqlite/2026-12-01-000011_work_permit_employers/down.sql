DROP TABLE work_permit_employers;
