DROP TABLE applications;
DROP TABLE posting_positions;
DROP TABLE postings;
DELETE FROM named_locks WHERE name = 'posting_no';
