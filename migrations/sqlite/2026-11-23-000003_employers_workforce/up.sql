-- İŞKUR employers (membership, people, users, workplaces), the monthly workforce chart,
-- dated quota rates, the annual survey and mass-layoff notices (issue 5, the employer model
-- issue 4 extends).

INSERT INTO named_locks (name, counter) VALUES ('iskur_employer_no', 0);

CREATE TABLE employers (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    search_key TEXT NOT NULL,
    vkn TEXT NOT NULL UNIQUE,
    sector TEXT NOT NULL,
    iskur_no TEXT NOT NULL UNIQUE,
    address TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    terms_accepted_at TIMESTAMP NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- A person's employer-portal account: one password whatever employers they act for.
CREATE TABLE employer_people (
    tckn TEXT PRIMARY KEY NOT NULL,
    password_hash TEXT NOT NULL,
    secret_question TEXT NOT NULL,
    secret_answer_hash TEXT NOT NULL,
    mobile TEXT NOT NULL,
    email TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE employer_users (
    employer_id TEXT NOT NULL REFERENCES employers (id),
    tckn TEXT NOT NULL,
    is_admin BOOLEAN NOT NULL,
    labour_demand BOOLEAN NOT NULL,
    workforce_chart BOOLEAN NOT NULL,
    mass_layoff BOOLEAN NOT NULL,
    reports BOOLEAN NOT NULL,
    user_admin BOOLEAN NOT NULL,
    primary_admin BOOLEAN NOT NULL,
    closing_date DATE,
    locked BOOLEAN NOT NULL,
    PRIMARY KEY (employer_id, tckn)
);
CREATE INDEX employer_users_by_person ON employer_users (tckn);

CREATE TABLE workplaces (
    id TEXT PRIMARY KEY NOT NULL,
    employer_id TEXT NOT NULL REFERENCES employers (id),
    kind TEXT NOT NULL,
    head_office_id TEXT REFERENCES workplaces (id),
    title TEXT NOT NULL,
    search_key TEXT NOT NULL,
    sgk_no TEXT NOT NULL UNIQUE,
    province_code INTEGER NOT NULL REFERENCES provinces (code),
    district_code INTEGER NOT NULL REFERENCES districts (code),
    address TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX workplaces_by_employer ON workplaces (employer_id, province_code);
-- One head office per employer and province, whatever the application does.
CREATE UNIQUE INDEX workplaces_one_head_office ON workplaces (employer_id, province_code)
    WHERE kind = 'head_office';

-- The monthly workforce chart: the whole chart as one JSON document (saved atomically), with
-- the month-end counts the quota status and the mass-layoff advice read as columns.
CREATE TABLE workforce_charts (
    id TEXT PRIMARY KEY NOT NULL,
    workplace_id TEXT NOT NULL REFERENCES workplaces (id),
    employer_id TEXT NOT NULL REFERENCES employers (id),
    month TEXT NOT NULL,
    total_workers INTEGER NOT NULL,
    underground_workers INTEGER NOT NULL,
    disabled_workers INTEGER NOT NULL,
    ex_convict_workers INTEGER NOT NULL,
    terror_victim_workers INTEGER NOT NULL,
    document TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (workplace_id, month)
);
CREATE INDEX workforce_charts_by_employer ON workforce_charts (employer_id, month);

-- Labour Law 4857 art. 30 rates in basis points (300 = 3 %), dated. A change of rate is a
-- new row (and valid_until on the old one), never a code change.
CREATE TABLE quota_rates (
    sector TEXT NOT NULL,
    category TEXT NOT NULL,
    basis_points INTEGER NOT NULL,
    valid_from DATE NOT NULL,
    valid_until DATE,
    note TEXT NOT NULL,
    PRIMARY KEY (sector, category, valid_from)
);
INSERT INTO quota_rates (sector, category, basis_points, valid_from, valid_until, note) VALUES
    ('private', 'disabled', 300, '2009-01-01', NULL, '4857 art. 30: private employers, 3 % disabled'),
    ('public', 'disabled', 400, '2009-01-01', NULL, '4857 art. 30: public employers, 4 % disabled'),
    ('public', 'ex_convict', 200, '2009-01-01', NULL, '4857 art. 30: public employers, 2 % ex-convicts'),
    ('private', 'terror_victim', 0, '2009-01-01', NULL, '3713 add. art. 1 (B): private employers; no separate rate set — a dated row changes it');

-- The annual survey (genel anket): one per year per head office.
CREATE TABLE annual_surveys (
    id TEXT PRIMARY KEY NOT NULL,
    workplace_id TEXT NOT NULL REFERENCES workplaces (id),
    employer_id TEXT NOT NULL REFERENCES employers (id),
    survey_year INTEGER NOT NULL,
    document TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (workplace_id, survey_year)
);
CREATE INDEX annual_surveys_by_employer ON annual_surveys (employer_id, survey_year);

-- Mass-layoff notices (toplu işten çıkarma) and their per-workplace details.
CREATE TABLE mass_layoffs (
    id TEXT PRIMARY KEY NOT NULL,
    employer_id TEXT NOT NULL REFERENCES employers (id),
    notification_date DATE NOT NULL,
    layoff_date DATE NOT NULL,
    reason TEXT NOT NULL,
    total_men INTEGER NOT NULL,
    total_women INTEGER NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX mass_layoffs_by_employer ON mass_layoffs (employer_id, created_at);

CREATE TABLE mass_layoff_details (
    mass_layoff_id TEXT NOT NULL REFERENCES mass_layoffs (id),
    position INTEGER NOT NULL,
    workplace_id TEXT NOT NULL REFERENCES workplaces (id),
    men INTEGER NOT NULL,
    women INTEGER NOT NULL,
    PRIMARY KEY (mass_layoff_id, position)
);
