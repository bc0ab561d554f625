-- e-İzin: the simulated MFA consulate and YÖK registries, and the work-permit fee schedule
-- (loaded from reference/work_permit_fees.csv). Same SQL on SQLite and PostgreSQL.

CREATE TABLE registry_mfa_references (
    reference_no TEXT PRIMARY KEY NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    birth_date DATE NOT NULL,
    nationality TEXT NOT NULL REFERENCES countries (code),
    passport_no TEXT,
    passport_expires_on DATE,
    issued_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);

CREATE TABLE registry_yok_pre_permits (
    pre_permit_no TEXT PRIMARY KEY NOT NULL,
    status TEXT NOT NULL,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    nationality TEXT NOT NULL REFERENCES countries (code),
    passport_no TEXT,
    university TEXT NOT NULL
);

CREATE TABLE work_permit_fees (
    valid_from DATE NOT NULL,
    months_min INTEGER NOT NULL,
    months_max INTEGER NOT NULL,
    permit_fee_kurus BIGINT NOT NULL,
    card_fee_kurus BIGINT NOT NULL,
    PRIMARY KEY (valid_from, months_min)
);
