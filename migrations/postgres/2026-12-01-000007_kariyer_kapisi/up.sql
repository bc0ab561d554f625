-- Kariyer Kapısı (DOMAIN §1–§2): postings with what the public search filters by as columns
-- and the whole posting (sub-postings, stages, approvals) as a JSON document; one search row
-- per sub-posting (position); applications with what the lists filter by and the whole
-- application (wizard steps, declarations, invitations, results, placement) as a document.
INSERT INTO named_locks (name, counter) VALUES ('posting_no', 0);

CREATE TABLE postings (
    id TEXT PRIMARY KEY NOT NULL,
    posting_no BIGINT NOT NULL UNIQUE,
    institution_id TEXT NOT NULL REFERENCES institutions (id),
    status TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL,
    search_key TEXT NOT NULL,
    document TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX postings_by_window ON postings (status, ends_on, starts_on);
CREATE INDEX postings_by_institution ON postings (institution_id, posting_no);

CREATE TABLE posting_positions (
    posting_id TEXT NOT NULL REFERENCES postings (id),
    no INTEGER NOT NULL,
    province_code INTEGER NOT NULL REFERENCES provinces (code),
    education_level TEXT NOT NULL REFERENCES education_levels (code),
    employment_type TEXT NOT NULL,
    title_key TEXT NOT NULL,
    PRIMARY KEY (posting_id, no)
);
CREATE INDEX posting_positions_by_province ON posting_positions (province_code, posting_id);

CREATE TABLE applications (
    id TEXT PRIMARY KEY NOT NULL,
    posting_id TEXT NOT NULL REFERENCES postings (id),
    candidate_tckn TEXT NOT NULL,
    name_key TEXT NOT NULL,
    sub_posting_no INTEGER,
    status TEXT NOT NULL,
    submitted_at TIMESTAMP,
    document TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- One live application (draft, pending or approved) per candidate per posting.
CREATE UNIQUE INDEX applications_one_live ON applications (posting_id, candidate_tckn)
    WHERE status IN ('draft', 'pending', 'approved');
CREATE INDEX applications_by_candidate ON applications (candidate_tckn, created_at);
CREATE INDEX applications_by_posting ON applications (posting_id, sub_posting_no, status);
