-- Indexes for the searches `make bench` found growing with the table (docs/benchmarks.md).
-- Open-job keywords tested per demand (EXISTS): the demand's words in one index.
DROP INDEX labour_demand_keywords_by_demand;
CREATE INDEX labour_demand_keywords_by_demand ON labour_demand_keywords (demand_id, word);
-- Open-job searches by province: every filter column in the index, so counting the
-- matches reads no table row.
CREATE INDEX labour_demands_open_by_province ON labour_demands (status, province_code, last_application_date, work_type, target_group, work_location, id);
-- Petition headings tested per petition (EXISTS).
CREATE INDEX petition_headings_by_petition ON petition_headings (petition_id, heading_code, sub_heading_code);
-- The desk's petition searches over a province by name or by status and arrival date:
-- the filters are tested on index entries, not on rows with their documents.
CREATE INDEX petitions_by_province_name ON petitions (province_code, last_name_key, first_name_key, id);
CREATE INDEX petitions_by_province_status ON petitions (province_code, status, arrival_date, id);
-- Posting searches by province and position: the title is tested on index entries.
DROP INDEX posting_positions_by_province;
CREATE INDEX posting_positions_by_province ON posting_positions (province_code, title_key, posting_id);
