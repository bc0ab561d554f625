-- Foundation: locks, reference data, identity (simulated registries, staff, one-time codes,
-- outbox) and the Açık Kapı sectors. Ids are UUIDv7 text; instants are UTC timestamps.

CREATE TABLE named_locks (
    name TEXT PRIMARY KEY NOT NULL,
    counter BIGINT NOT NULL DEFAULT 0
);
INSERT INTO named_locks (name, counter) VALUES ('sectors', 0);

CREATE TABLE reference_seeds (
    name TEXT PRIMARY KEY NOT NULL,
    sha256 TEXT NOT NULL,
    row_count INTEGER NOT NULL,
    loaded_at TIMESTAMP NOT NULL
);

CREATE TABLE provinces (
    code INTEGER PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    search_key TEXT NOT NULL
);

CREATE TABLE districts (
    code INTEGER PRIMARY KEY NOT NULL,
    province_code INTEGER NOT NULL REFERENCES provinces (code),
    name TEXT NOT NULL,
    search_key TEXT NOT NULL
);
CREATE INDEX districts_by_province ON districts (province_code, search_key);

CREATE TABLE neighbourhoods (
    code INTEGER PRIMARY KEY NOT NULL,
    district_code INTEGER NOT NULL REFERENCES districts (code),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    search_key TEXT NOT NULL
);
CREATE INDEX neighbourhoods_by_district ON neighbourhoods (district_code, search_key);

CREATE TABLE occupations (
    code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    search_key TEXT NOT NULL
);
CREATE INDEX occupations_by_key ON occupations (search_key);

CREATE TABLE education_levels (
    code TEXT PRIMARY KEY NOT NULL,
    name_tr TEXT NOT NULL,
    name_en TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE countries (
    code TEXT PRIMARY KEY NOT NULL,
    name_tr TEXT NOT NULL,
    name_en TEXT NOT NULL,
    nationality_tr TEXT NOT NULL,
    search_key TEXT NOT NULL
);

CREATE TABLE service_headings (
    code TEXT PRIMARY KEY NOT NULL,
    parent_code TEXT REFERENCES service_headings (code),
    name TEXT NOT NULL,
    position INTEGER NOT NULL,
    search_key TEXT NOT NULL
);
CREATE INDEX service_headings_by_parent ON service_headings (parent_code, position);

CREATE TABLE detsis_units (
    detsis_no TEXT PRIMARY KEY NOT NULL,
    parent_detsis_no TEXT,
    name TEXT NOT NULL,
    province_code INTEGER REFERENCES provinces (code),
    search_key TEXT NOT NULL
);
CREATE INDEX detsis_units_by_parent ON detsis_units (parent_detsis_no);
CREATE INDEX detsis_units_by_province ON detsis_units (province_code, search_key);

CREATE TABLE sectors (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    search_key TEXT NOT NULL UNIQUE,
    position INTEGER NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX sectors_by_position ON sectors (position);

CREATE TABLE institutions (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    search_key TEXT NOT NULL,
    detsis_no TEXT,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE staff_accounts (
    id TEXT PRIMARY KEY NOT NULL,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    institution_id TEXT REFERENCES institutions (id),
    province_code INTEGER REFERENCES provinces (code),
    active BOOLEAN NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE registry_citizens (
    tckn TEXT PRIMARY KEY NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    birth_date DATE NOT NULL,
    gender TEXT NOT NULL,
    father_name TEXT NOT NULL,
    mother_maiden_surname TEXT NOT NULL,
    mobile TEXT,
    email TEXT,
    province_code INTEGER NOT NULL REFERENCES provinces (code),
    district_code INTEGER NOT NULL REFERENCES districts (code),
    neighbourhood TEXT,
    open_address TEXT NOT NULL,
    edevlet_password_hash TEXT
);

CREATE TABLE registry_foreigners (
    ykn TEXT PRIMARY KEY NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    birth_date DATE NOT NULL,
    nationality TEXT NOT NULL REFERENCES countries (code),
    passport_no TEXT,
    passport_expires_on DATE,
    residence_permit_until DATE,
    international_protection BOOLEAN NOT NULL
);

CREATE TABLE registry_sgk_workplaces (
    sgk_no TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    vkn TEXT NOT NULL,
    province_code INTEGER NOT NULL REFERENCES provinces (code),
    district_code INTEGER NOT NULL REFERENCES districts (code),
    address TEXT NOT NULL,
    employee_count INTEGER NOT NULL
);

CREATE TABLE registry_sgk_authorisations (
    sgk_no TEXT NOT NULL REFERENCES registry_sgk_workplaces (sgk_no),
    tckn TEXT NOT NULL,
    PRIMARY KEY (sgk_no, tckn)
);
CREATE INDEX registry_sgk_authorisations_by_tckn ON registry_sgk_authorisations (tckn);

CREATE TABLE registry_kinships (
    tckn TEXT NOT NULL,
    relative_tckn TEXT NOT NULL,
    relation TEXT NOT NULL,
    PRIMARY KEY (tckn, relative_tckn)
);

CREATE TABLE otp_challenges (
    id TEXT PRIMARY KEY NOT NULL,
    channel TEXT NOT NULL,
    destination TEXT NOT NULL,
    purpose TEXT NOT NULL,
    subject TEXT NOT NULL,
    code_hash TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    consumed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX otp_challenges_by_destination ON otp_challenges (destination, created_at);

CREATE TABLE notifications (
    id TEXT PRIMARY KEY NOT NULL,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    sent_at TIMESTAMP
);
CREATE INDEX notifications_by_recipient ON notifications (recipient, created_at);

CREATE TABLE verified_contacts (
    subject TEXT NOT NULL,
    channel TEXT NOT NULL,
    destination TEXT NOT NULL,
    verified_at TIMESTAMP NOT NULL,
    PRIMARY KEY (subject, channel, destination)
);
