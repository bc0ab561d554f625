-- Open311 GeoReport v2 over Açık Kapı petitions: the public request list selects by arrival
-- time (a window of at most 90 days, newest first) and by the request's service, the
-- sub-heading of its first heading pair.
CREATE INDEX petitions_by_submitted ON petitions (submitted_at, tracking_no);
CREATE INDEX petition_headings_by_service ON petition_headings (sub_heading_code, position);
