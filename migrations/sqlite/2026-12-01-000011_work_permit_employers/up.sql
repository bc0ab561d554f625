-- e-İzin employer registrations (işveren kaydı): a company workplace (SGK number), a
-- household (care kind) or a university (name), owned by the registering person. The
-- columns are what the lists and the duplicate rule look up; the whole record is the JSON
-- document. workplace_key is the SGK number, the folded university name, or '' for a
-- household, so the unique index allows one registration per person, kind and workplace.
CREATE TABLE work_permit_employers (
    id TEXT PRIMARY KEY NOT NULL,
    owner_tckn TEXT NOT NULL,
    kind TEXT NOT NULL,
    workplace_key TEXT NOT NULL,
    sgk_no TEXT,
    care_kind TEXT,
    university_name TEXT,
    title TEXT NOT NULL,
    email TEXT NOT NULL,
    mobile TEXT NOT NULL,
    document TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX work_permit_employers_unique ON work_permit_employers (owner_tckn, kind, workplace_key);
