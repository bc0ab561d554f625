DROP INDEX petition_headings_by_service;
DROP INDEX petitions_by_submitted;
