-- İŞKUR labour demands (işgücü istemi), job seekers and candidate lists. The backends differ in
-- one place: PostgreSQL gives the keyword column the "C" collation so prefix ranges compare bytes.
INSERT INTO named_locks (name, counter) VALUES ('talep_no', 0);

-- Job seekers: the profile as a JSON document, with what the candidate selection filters on
-- as columns.
CREATE TABLE job_seekers (
    tckn TEXT PRIMARY KEY NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    birth_date DATE NOT NULL,
    province_code INTEGER NOT NULL,
    district_code INTEGER NOT NULL,
    active BOOLEAN NOT NULL,
    profile TEXT NOT NULL,
    version BIGINT NOT NULL,
    registered_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- The occupations each job seeker seeks: the selection's entry point (occupation first).
CREATE TABLE job_seeker_occupations (
    occupation_code TEXT NOT NULL,
    tckn TEXT NOT NULL REFERENCES job_seekers (tckn),
    position INTEGER NOT NULL,
    PRIMARY KEY (occupation_code, tckn)
);
CREATE INDEX job_seeker_occupations_by_seeker ON job_seeker_occupations (tckn);

-- Labour demands: the open-job search criteria as columns (one row per demand) ...
CREATE TABLE labour_demands (
    id TEXT PRIMARY KEY NOT NULL,
    talep_no BIGINT NOT NULL UNIQUE,
    employer_id TEXT NOT NULL REFERENCES employers (id),
    workplace_id TEXT NOT NULL REFERENCES workplaces (id),
    status TEXT NOT NULL,
    occupation_code TEXT NOT NULL,
    province_code INTEGER NOT NULL,
    district_code INTEGER NOT NULL,
    target_group TEXT NOT NULL,
    sector TEXT NOT NULL,
    work_location TEXT NOT NULL,
    work_type TEXT NOT NULL,
    last_application_date DATE NOT NULL,
    position_key TEXT NOT NULL,
    field_key TEXT NOT NULL,
    employer_title_key TEXT NOT NULL
);
-- ... and the whole demand as a JSON document with its version (optimistic locking).
CREATE TABLE labour_demand_documents (
    demand_id TEXT PRIMARY KEY NOT NULL REFERENCES labour_demands (id),
    document TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- One index per open-job search entry point, each ending in talep_no (the result order).
CREATE INDEX labour_demands_by_district ON labour_demands (status, province_code, district_code, talep_no);
CREATE INDEX labour_demands_by_province_occupation ON labour_demands (status, province_code, occupation_code, talep_no);
CREATE INDEX labour_demands_by_occupation ON labour_demands (status, occupation_code, talep_no);
CREATE INDEX labour_demands_by_status ON labour_demands (status, talep_no);
CREATE INDEX labour_demands_by_employer ON labour_demands (employer_id, talep_no);

-- Keyword search: each folded word of an advert, matched by prefix through the primary key.
CREATE TABLE labour_demand_keywords (
    word TEXT COLLATE "C" NOT NULL,
    demand_id TEXT NOT NULL REFERENCES labour_demands (id),
    PRIMARY KEY (word, demand_id)
);
CREATE INDEX labour_demand_keywords_by_demand ON labour_demand_keywords (demand_id);

-- Candidate lists (Aday Gör): applicants and selected job seekers of a demand.
CREATE TABLE demand_candidates (
    id TEXT PRIMARY KEY NOT NULL,
    demand_id TEXT NOT NULL REFERENCES labour_demands (id),
    tckn TEXT NOT NULL REFERENCES job_seekers (tckn),
    full_name TEXT NOT NULL,
    origin TEXT NOT NULL,
    listed_at TIMESTAMP NOT NULL,
    interview_at TIMESTAMP,
    interview_place TEXT,
    invited_at TIMESTAMP,
    answer TEXT,
    answered_at TIMESTAMP,
    result TEXT,
    result_note TEXT,
    result_at TIMESTAMP,
    version BIGINT NOT NULL,
    UNIQUE (demand_id, tckn)
);
CREATE INDEX demand_candidates_by_seeker ON demand_candidates (tckn, listed_at);
