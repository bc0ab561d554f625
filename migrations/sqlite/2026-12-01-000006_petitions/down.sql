DROP TABLE petition_files;
DROP TABLE petition_routings;
DROP TABLE petition_headings;
DROP TABLE petitions;
DROP TABLE petition_user_units;
DROP TABLE petition_user_districts;
DROP TABLE petition_users;
DELETE FROM named_locks WHERE name = 'petition_no';
