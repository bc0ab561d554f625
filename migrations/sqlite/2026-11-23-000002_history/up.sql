-- The append-only history of every record ("İşlem Hareketleri").
CREATE TABLE history_entries (
    id TEXT PRIMARY KEY NOT NULL,
    resource_kind TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT NOT NULL,
    note TEXT
);
CREATE INDEX history_entries_by_resource ON history_entries (resource_kind, resource_id, at);

CREATE TRIGGER history_entries_no_update BEFORE UPDATE ON history_entries
BEGIN
    SELECT RAISE(ABORT, 'history is append-only');
END;
CREATE TRIGGER history_entries_no_delete BEFORE DELETE ON history_entries
BEGIN
    SELECT RAISE(ABORT, 'history is append-only');
END;
