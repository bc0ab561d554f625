-- Hardening: rows that several kapi processes share (ARCHITECTURE "More than one machine").
-- rate_limit_counters: one fixed window per (bucket, key); the key is a SHA-256 of what the
-- bucket counts by (a user name or TCKN with the client IP, or the client IP), so no
-- identity number is stored. The window starts at its first request; expires_at lets the
-- scheduled job delete finished windows.
-- idempotency_keys: what a create answered to an Idempotency-Key, per caller (SHA-256 of the
-- caller's identity), method and path, kept 24 hours. status is NULL while the first
-- request is still running (in_flight_until bounds how long a crashed request blocks the key).
-- The body column is binary (BYTEA): the only line that differs between the backends.
CREATE TABLE rate_limit_counters (
    bucket TEXT NOT NULL,
    key_hash TEXT NOT NULL,
    window_start TIMESTAMP NOT NULL,
    hits INTEGER NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    PRIMARY KEY (bucket, key_hash)
);
CREATE INDEX rate_limit_counters_by_expiry ON rate_limit_counters (expires_at);

CREATE TABLE idempotency_keys (
    scope_hash TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER,
    headers TEXT,
    body BYTEA,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    in_flight_until TIMESTAMP,
    PRIMARY KEY (scope_hash, idempotency_key, method, path)
);
CREATE INDEX idempotency_keys_by_expiry ON idempotency_keys (expires_at);
