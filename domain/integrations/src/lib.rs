//! Integrators (entegratörler): the accounts other systems use, the change feeds they page
//! and the webhooks Kapı pushes to them. Pure rules: no I/O; the API layer sends the HTTP
//! requests and the persistence layer writes the outbox in the changing transaction.

pub mod feed;
pub mod integrator;
pub mod webhook;

pub use feed::{
    event_for, read_feed, Cursor, Event, EventKind, EventType, FeedLimit, FeedPage, FeedStore,
    NewEvent, Reader, Scope, Stream,
};
pub use integrator::{
    authenticate, create_integrator, key_hash, list_integrators, revoke_integrator, ApiKey,
    Integrator, IntegratorInput, IntegratorStore,
};
pub use webhook::{
    backoff, create_subscription, delete_subscription, delivery_log, own_subscription, payload,
    signature_header, verify_signature, Delivery, DeliveryStatus, Outcome, Subscription,
    SubscriptionInput, WebhookStore, WebhookUrl, MAX_ATTEMPTS,
};
