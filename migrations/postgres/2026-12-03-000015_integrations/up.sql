-- Integrators: the transactional outbox behind the change feeds and webhooks, integrator
-- accounts, webhook subscriptions and their delivery log.

-- One row per stream: the last sequence number given out. Taking the next number updates
-- this row, which holds its lock until the writing transaction ends, so numbers are handed
-- out in commit order and a reader never sees seq n+1 before seq n.
CREATE TABLE outbox_streams (
    stream TEXT PRIMARY KEY NOT NULL,
    last_seq BIGINT NOT NULL
);
INSERT INTO outbox_streams (stream, last_seq) VALUES
    ('postings', 0), ('labour-demands', 0), ('work-permits', 0), ('petitions', 0);

CREATE TABLE outbox_events (
    id TEXT PRIMARY KEY NOT NULL,
    stream TEXT NOT NULL,
    seq BIGINT NOT NULL,
    resource_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    previous_status TEXT,
    scope TEXT,
    at TIMESTAMP NOT NULL,
    UNIQUE (stream, seq)
);
CREATE INDEX outbox_events_by_scope ON outbox_events (stream, scope, seq);
CREATE INDEX outbox_events_by_resource ON outbox_events (stream, resource_id, seq);

CREATE TABLE integrators (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    work_permit_employer_id TEXT,
    api_key_sha256 TEXT NOT NULL UNIQUE,
    api_key_prefix TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP
);

CREATE TABLE webhook_subscriptions (
    id TEXT PRIMARY KEY NOT NULL,
    integrator_id TEXT NOT NULL REFERENCES integrators (id),
    url TEXT NOT NULL,
    event_types TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    deleted_at TIMESTAMP
);
CREATE INDEX webhook_subscriptions_by_integrator ON webhook_subscriptions (integrator_id);

-- Per subscription and stream: the last sequence already turned into deliveries.
CREATE TABLE webhook_cursors (
    subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions (id),
    stream TEXT NOT NULL,
    last_seq BIGINT NOT NULL,
    PRIMARY KEY (subscription_id, stream)
);

CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY NOT NULL,
    subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions (id),
    event_id TEXT NOT NULL REFERENCES outbox_events (id),
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_until TIMESTAMP,
    last_attempt_at TIMESTAMP,
    last_status_code INTEGER,
    last_error TEXT,
    delivered_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (subscription_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_by_subscription ON webhook_deliveries (subscription_id, created_at);
