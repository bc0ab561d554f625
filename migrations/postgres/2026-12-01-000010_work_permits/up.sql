-- e-İzin work-permit applications: what the employer's lists, the draft-expiry job and the
-- extension chain look up as columns, and the whole application (kind, foreigner, wizard
-- steps, evaluation, period) as a JSON document. The history stays in history_entries
-- (no foreign key: a deleted draft keeps its history).
CREATE TABLE work_permits (
    id TEXT PRIMARY KEY NOT NULL,
    employer_key TEXT NOT NULL,
    status TEXT NOT NULL,
    foreigner_key TEXT,
    permit_ends_on DATE,
    last_touched_at TIMESTAMP NOT NULL,
    submitted_at TIMESTAMP,
    document TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX work_permits_by_employer ON work_permits (employer_key, status, created_at);
CREATE INDEX work_permits_drafts ON work_permits (status, last_touched_at);
CREATE INDEX work_permits_by_foreigner ON work_permits (foreigner_key, status, permit_ends_on);
