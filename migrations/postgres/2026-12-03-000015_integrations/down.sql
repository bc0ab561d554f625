DROP TABLE webhook_deliveries;
DROP TABLE webhook_cursors;
DROP TABLE webhook_subscriptions;
DROP TABLE integrators;
DROP TABLE outbox_events;
DROP TABLE outbox_streams;
