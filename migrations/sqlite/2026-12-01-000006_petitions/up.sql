-- Açık Kapı petitions (DOMAIN §8): the province's desk users, petitions with what the desk
-- searches by as columns and the whole petition as a JSON document, the service headings,
-- the live routings to DETSİS units (overdue search and the Yetkili scope), and file metadata
-- (the bytes live in the blob store, addressed by SHA-256).
INSERT INTO named_locks (name, counter) VALUES ('petition_no', 1000);

CREATE TABLE petition_users (
    id TEXT PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL,
    tckn TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    mobile TEXT NOT NULL,
    province_code INTEGER NOT NULL REFERENCES provinces (code),
    active BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- A person has at most one active registration (Sorumlu or Yetkili).
CREATE UNIQUE INDEX petition_users_active_tckn ON petition_users (tckn) WHERE active;
CREATE INDEX petition_users_by_province ON petition_users (province_code, kind, name_key);

CREATE TABLE petition_user_districts (
    user_id TEXT NOT NULL REFERENCES petition_users (id),
    district_code INTEGER NOT NULL,
    PRIMARY KEY (user_id, district_code)
);

CREATE TABLE petition_user_units (
    user_id TEXT NOT NULL REFERENCES petition_users (id),
    detsis_no TEXT NOT NULL,
    PRIMARY KEY (user_id, detsis_no)
);
CREATE INDEX petition_user_units_by_unit ON petition_user_units (detsis_no);

CREATE TABLE petitions (
    id TEXT PRIMARY KEY NOT NULL,
    tracking_no BIGINT NOT NULL UNIQUE,
    channel TEXT NOT NULL,
    tckn TEXT NOT NULL,
    first_name_key TEXT NOT NULL,
    last_name_key TEXT NOT NULL,
    province_code INTEGER NOT NULL REFERENCES provinces (code),
    district_code INTEGER NOT NULL,
    sector_id TEXT NOT NULL REFERENCES sectors (id),
    status TEXT NOT NULL,
    submitted_at TIMESTAMP NOT NULL,
    arrival_date DATE NOT NULL,
    document TEXT NOT NULL,
    version BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX petitions_by_place ON petitions (province_code, district_code, tracking_no);
CREATE INDEX petitions_by_tckn ON petitions (tckn, tracking_no);
CREATE INDEX petitions_by_sector ON petitions (sector_id);

CREATE TABLE petition_headings (
    petition_id TEXT NOT NULL REFERENCES petitions (id),
    position INTEGER NOT NULL,
    heading_code TEXT NOT NULL,
    sub_heading_code TEXT NOT NULL,
    PRIMARY KEY (petition_id, position)
);
CREATE INDEX petition_headings_by_code ON petition_headings (heading_code, sub_heading_code);

CREATE TABLE petition_routings (
    petition_id TEXT NOT NULL REFERENCES petitions (id),
    detsis_no TEXT NOT NULL,
    deadline DATE NOT NULL,
    answered BOOLEAN NOT NULL,
    PRIMARY KEY (petition_id, detsis_no)
);
CREATE INDEX petition_routings_by_unit ON petition_routings (detsis_no, petition_id);
CREATE INDEX petition_routings_open ON petition_routings (answered, deadline);

CREATE TABLE petition_files (
    id TEXT PRIMARY KEY NOT NULL,
    petition_id TEXT NOT NULL REFERENCES petitions (id),
    origin TEXT NOT NULL,
    file_name TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_at TIMESTAMP NOT NULL
);
CREATE INDEX petition_files_by_petition ON petition_files (petition_id);
