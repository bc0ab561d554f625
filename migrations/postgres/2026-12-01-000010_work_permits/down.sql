DROP TABLE work_permits;
