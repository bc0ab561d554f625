DROP INDEX idempotency_keys_by_expiry;
DROP TABLE idempotency_keys;
DROP INDEX rate_limit_counters_by_expiry;
DROP TABLE rate_limit_counters;
