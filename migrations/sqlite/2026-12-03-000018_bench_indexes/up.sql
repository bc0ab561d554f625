-- Indexes found missing by `make bench` (docs/benchmarks.md): each lets a list read its
-- first page in result order from an index instead of sorting every match with its document.
-- The ministry's evaluation queue: status filter, oldest submission first.
CREATE INDEX work_permits_queue ON work_permits (status, submitted_at, id);
-- The desk officer's (AKS) and MİA's petition search over a whole province, newest first.
CREATE INDEX petitions_by_province ON petitions (province_code, tracking_no);
-- Open-job searches by province without a district or occupation (quick, detailed).
CREATE INDEX labour_demands_by_province ON labour_demands (status, province_code, talep_no);
