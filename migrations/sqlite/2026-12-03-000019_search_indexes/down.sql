DROP INDEX posting_positions_by_province;
CREATE INDEX posting_positions_by_province ON posting_positions (province_code, posting_id);
DROP INDEX petitions_by_province_status;
DROP INDEX petitions_by_province_name;
DROP INDEX petition_headings_by_petition;
DROP INDEX labour_demands_open_by_province;
DROP INDEX labour_demand_keywords_by_demand;
CREATE INDEX labour_demand_keywords_by_demand ON labour_demand_keywords (demand_id);
