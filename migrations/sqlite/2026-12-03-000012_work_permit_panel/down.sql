DROP TABLE e_signatures;
DROP TABLE work_permit_files;
DROP TABLE work_permit_employer_users;
