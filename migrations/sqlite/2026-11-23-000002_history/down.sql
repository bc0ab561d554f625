DROP TRIGGER history_entries_no_delete;
DROP TRIGGER history_entries_no_update;
DROP TABLE history_entries;
