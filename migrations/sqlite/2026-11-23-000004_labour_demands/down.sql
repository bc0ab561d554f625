DROP TABLE demand_candidates;
DROP TABLE labour_demand_keywords;
DROP TABLE labour_demand_documents;
DROP TABLE labour_demands;
DROP TABLE job_seeker_occupations;
DROP TABLE job_seekers;
DELETE FROM named_locks WHERE name = 'talep_no';
