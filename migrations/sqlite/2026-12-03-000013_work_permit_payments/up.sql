-- e-İzin fees and payments (simulated GİB "Referans Numarası ile Ödeme"): one row per
-- transaction reference issued for an application's permit fee (9130), card fee (9267) or
-- lost-card fee; paid once, by the exact amount; voided when a later decision supersedes it
-- or a lost-card request expires unpaid. Reference numbers come from the named lock
-- counter 'work_permit_payment_reference'. Same SQL on SQLite and PostgreSQL.
CREATE TABLE work_permit_payment_orders (
    reference_no TEXT PRIMARY KEY NOT NULL,
    application_id TEXT NOT NULL,
    purpose TEXT NOT NULL,
    ykn TEXT,
    amount_kurus BIGINT NOT NULL,
    issued_at TIMESTAMP NOT NULL,
    paid_at TIMESTAMP,
    paid_amount_kurus BIGINT,
    paid_by TEXT,
    voided BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX work_permit_payment_orders_by_application ON work_permit_payment_orders (application_id);
CREATE INDEX work_permit_payment_orders_open ON work_permit_payment_orders (purpose, paid_at, issued_at);

INSERT INTO named_locks (name, counter) VALUES ('work_permit_payment_reference', 0);
