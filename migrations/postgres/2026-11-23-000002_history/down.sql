DROP TRIGGER history_entries_no_change ON history_entries;
DROP FUNCTION history_entries_append_only();
DROP TABLE history_entries;
