-- Stored answers that showed a secret once (an integrator's API key, a webhook's signing
-- secret) were kept in clear for 24 hours; they are no longer stored (decision: a retry
-- gets 409 idempotency_key.secret_shown_once). Forget those already kept.
DELETE FROM idempotency_keys
WHERE method = 'POST' AND path IN ('/api/v1/integrators', '/api/v1/webhooks');
