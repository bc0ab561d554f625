DROP INDEX labour_demands_by_province;
DROP INDEX petitions_by_province;
DROP INDEX work_permits_queue;
