//! Integrators on the database: the transactional outbox, integrator accounts, webhook
//! subscriptions and the delivery log.
//!
//! **Outbox.** [`record_event`] runs inside every history append, so an event is written in
//! the same transaction as the change it reports, or not at all. Its sequence number comes
//! from `outbox_streams`: `UPDATE … SET last_seq = last_seq + 1` locks the stream's row until
//! the transaction ends (SQLite's write transactions are exclusive anyway), so numbers are
//! handed out in commit order without gaps, and a reader that resumes after the last number it
//! saw can miss nothing written concurrently.
//!
//! **Deliveries.** [`enqueue_deliveries`] turns new events into one delivery row per
//! subscription that wants them and moves the subscription's cursor in the same transaction
//! (compare-and-set, so two workers never enqueue twice). [`claim_due`] leases due deliveries
//! for a while; [`save_delivery`] records the attempt. A worker that dies between sending and
//! recording loses only its lease: the delivery is sent again (at least once, same event id).

use crate::convert::{from_db_time, parse_uuid, to_db_time};
use crate::db::{DbConnection, DbResultExt};
use diesel::prelude::*;
use kapi_core::{
    DomainError, EmployerId, EventId, HistoryEntry, IntegratorId, Page, PageRequest,
    WebhookDeliveryId, WebhookId,
};
use kapi_integrations::{
    event_for, Cursor, Delivery, DeliveryStatus, Event, EventKind, EventType, FeedStore,
    Integrator, IntegratorStore, Scope, Stream, Subscription, WebhookStore, WebhookUrl,
};
use std::collections::HashMap;
use time::{Duration, OffsetDateTime, PrimitiveDateTime};

diesel::table! {
    outbox_streams (stream) {
        stream -> Text,
        last_seq -> BigInt,
    }
}

diesel::table! {
    outbox_events (id) {
        id -> Text,
        stream -> Text,
        seq -> BigInt,
        resource_id -> Text,
        kind -> Text,
        status -> Text,
        previous_status -> Nullable<Text>,
        scope -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    integrators (id) {
        id -> Text,
        name -> Text,
        work_permit_employer_id -> Nullable<Text>,
        api_key_sha256 -> Text,
        api_key_prefix -> Text,
        created_by -> Text,
        created_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_subscriptions (id) {
        id -> Text,
        integrator_id -> Text,
        url -> Text,
        event_types -> Text,
        secret -> Text,
        created_at -> Timestamp,
        deleted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_cursors (subscription_id, stream) {
        subscription_id -> Text,
        stream -> Text,
        last_seq -> BigInt,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        subscription_id -> Text,
        event_id -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        last_attempt_at -> Nullable<Timestamp>,
        last_status_code -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        delivered_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(webhook_subscriptions -> integrators (integrator_id));
diesel::joinable!(webhook_deliveries -> webhook_subscriptions (subscription_id));
diesel::joinable!(webhook_deliveries -> outbox_events (event_id));
diesel::allow_tables_to_appear_in_same_query!(
    integrators,
    webhook_subscriptions,
    webhook_deliveries,
    outbox_events
);

fn bad_row(what: &str) -> DomainError {
    DomainError::internal(format!("stored {what} is not valid"))
}

// ---------------------------------------------------------------------------------------
// The outbox

/// Writes the event `entry` publishes, if any, in the caller's transaction.
pub fn record_event(conn: &mut DbConnection, entry: &HistoryEntry) -> Result<(), DomainError> {
    let Some(e) = event_for(entry) else {
        return Ok(());
    };
    let scope = match e.stream {
        Stream::WorkPermits => work_permit_scope(conn, &e.resource_id)?,
        _ => None,
    };
    let taken = diesel::update(outbox_streams::table.find(e.stream.as_str()))
        .set(outbox_streams::last_seq.eq(outbox_streams::last_seq + 1))
        .execute(conn)
        .db()?;
    if taken != 1 {
        return Err(DomainError::internal(format!(
            "outbox stream {} is missing",
            e.stream.as_str()
        )));
    }
    let seq: i64 = outbox_streams::table
        .find(e.stream.as_str())
        .select(outbox_streams::last_seq)
        .first(conn)
        .db()?;
    diesel::insert_into(outbox_events::table)
        .values((
            outbox_events::id.eq(e.id.to_string()),
            outbox_events::stream.eq(e.stream.as_str()),
            outbox_events::seq.eq(seq),
            outbox_events::resource_id.eq(&e.resource_id),
            outbox_events::kind.eq(e.kind.as_str()),
            outbox_events::status.eq(&e.status),
            outbox_events::previous_status.eq(&e.previous_status),
            outbox_events::scope.eq(scope.map(|s| s.to_string())),
            outbox_events::at.eq(to_db_time(e.at)),
        ))
        .execute(conn)
        .db()?;
    Ok(())
}

/// The e-İzin employer of a work-permit application: from its row, or (once a draft is
/// deleted) from the application's earlier events.
fn work_permit_scope(conn: &mut DbConnection, id: &str) -> Result<Option<EmployerId>, DomainError> {
    use crate::schema::work_permits as w;
    let key: Option<String> = w::table
        .find(id)
        .select(w::employer_key)
        .first(conn)
        .optional()
        .db()?;
    if let Some(key) = key {
        return Ok(key
            .strip_prefix("employer:")
            .and_then(|u| u.parse::<EmployerId>().ok()));
    }
    let earlier: Option<Option<String>> = outbox_events::table
        .filter(outbox_events::stream.eq(Stream::WorkPermits.as_str()))
        .filter(outbox_events::resource_id.eq(id))
        .order(outbox_events::seq.desc())
        .select(outbox_events::scope)
        .first(conn)
        .optional()
        .db()?;
    Ok(earlier.flatten().and_then(|s| s.parse().ok()))
}

type EventRow = (
    String,
    String,
    i64,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    PrimitiveDateTime,
);

fn event_of(row: EventRow) -> Result<Event, DomainError> {
    let (id, stream, seq, resource_id, kind, status, previous_status, scope, at) = row;
    Ok(Event {
        id: EventId::from_uuid(parse_uuid(&id)?),
        stream: Stream::parse(&stream).ok_or_else(|| bad_row("event stream"))?,
        seq,
        resource_id,
        kind: EventKind::parse(&kind).ok_or_else(|| bad_row("event kind"))?,
        status,
        previous_status,
        scope: match scope {
            Some(s) => Some(EmployerId::from_uuid(parse_uuid(&s)?)),
            None => None,
        },
        at: from_db_time(at),
    })
}

macro_rules! event_columns {
    () => {
        (
            outbox_events::id,
            outbox_events::stream,
            outbox_events::seq,
            outbox_events::resource_id,
            outbox_events::kind,
            outbox_events::status,
            outbox_events::previous_status,
            outbox_events::scope,
            outbox_events::at,
        )
    };
}

fn events_after(
    conn: &mut DbConnection,
    stream: Stream,
    scope: Scope,
    after: Cursor,
    limit: u32,
) -> Result<Vec<Event>, DomainError> {
    let mut q = outbox_events::table
        .filter(outbox_events::stream.eq(stream.as_str()))
        .filter(outbox_events::seq.gt(after.seq()))
        .into_boxed();
    if let Scope::WorkPermitEmployer(id) = scope {
        q = q.filter(outbox_events::scope.eq(id.to_string()));
    }
    let rows: Vec<EventRow> = q
        .order(outbox_events::seq.asc())
        .limit(i64::from(limit))
        .select(event_columns!())
        .load(conn)
        .db()?;
    rows.into_iter().map(event_of).collect()
}

/// The integrator store, feed and webhook store on one connection (inside a transaction).
pub struct IntegrationsRepo<'c> {
    conn: &'c mut DbConnection,
}

impl<'c> IntegrationsRepo<'c> {
    pub fn new(conn: &'c mut DbConnection) -> Self {
        Self { conn }
    }
}

impl FeedStore for IntegrationsRepo<'_> {
    fn events_after(
        &mut self,
        stream: Stream,
        scope: Scope,
        after: Cursor,
        limit: u32,
    ) -> Result<Vec<Event>, DomainError> {
        events_after(self.conn, stream, scope, after, limit)
    }
}

// ---------------------------------------------------------------------------------------
// Integrator accounts

type IntegratorRow = (
    String,
    String,
    Option<String>,
    String,
    String,
    PrimitiveDateTime,
    Option<PrimitiveDateTime>,
);

macro_rules! integrator_columns {
    () => {
        (
            integrators::id,
            integrators::name,
            integrators::work_permit_employer_id,
            integrators::api_key_prefix,
            integrators::created_by,
            integrators::created_at,
            integrators::revoked_at,
        )
    };
}

fn integrator_of(row: IntegratorRow) -> Result<Integrator, DomainError> {
    let (id, name, employer, key_prefix, created_by, created_at, revoked_at) = row;
    Ok(Integrator {
        id: IntegratorId::from_uuid(parse_uuid(&id)?),
        name,
        work_permit_employer: match employer {
            Some(e) => Some(EmployerId::from_uuid(parse_uuid(&e)?)),
            None => None,
        },
        key_prefix,
        created_by,
        created_at: from_db_time(created_at),
        revoked_at: revoked_at.map(from_db_time),
    })
}

/// The (not revoked) integrator account a raw API key belongs to.
pub fn find_by_api_key(
    conn: &mut DbConnection,
    key: &str,
) -> Result<Option<Integrator>, DomainError> {
    match kapi_integrations::authenticate(&mut IntegrationsRepo::new(conn), key) {
        Ok(i) => Ok(Some(i)),
        Err(e) if e.kind == kapi_core::ErrorKind::Unauthenticated => Ok(None),
        Err(e) => Err(e),
    }
}

/// Inserts an integrator account with a known key (the demo data's).
pub fn insert_integrator_with_key(
    conn: &mut DbConnection,
    i: &Integrator,
    raw_key: &str,
) -> Result<(), DomainError> {
    IntegrationsRepo::new(conn).insert_integrator(i, &kapi_integrations::key_hash(raw_key))
}

impl IntegratorStore for IntegrationsRepo<'_> {
    fn insert_integrator(&mut self, i: &Integrator, key_sha256: &str) -> Result<(), DomainError> {
        diesel::insert_into(integrators::table)
            .values((
                integrators::id.eq(i.id.to_string()),
                integrators::name.eq(&i.name),
                integrators::work_permit_employer_id
                    .eq(i.work_permit_employer.map(|e| e.to_string())),
                integrators::api_key_sha256.eq(key_sha256),
                integrators::api_key_prefix.eq(&i.key_prefix),
                integrators::created_by.eq(&i.created_by),
                integrators::created_at.eq(to_db_time(i.created_at)),
                integrators::revoked_at.eq(i.revoked_at.map(to_db_time)),
            ))
            .execute(self.conn)
            .db()?;
        Ok(())
    }

    fn integrator(&mut self, id: IntegratorId) -> Result<Option<Integrator>, DomainError> {
        let row: Option<IntegratorRow> = integrators::table
            .find(id.to_string())
            .select(integrator_columns!())
            .first(self.conn)
            .optional()
            .db()?;
        row.map(integrator_of).transpose()
    }

    fn integrator_by_key(&mut self, key_sha256: &str) -> Result<Option<Integrator>, DomainError> {
        let row: Option<IntegratorRow> = integrators::table
            .filter(integrators::api_key_sha256.eq(key_sha256))
            .select(integrator_columns!())
            .first(self.conn)
            .optional()
            .db()?;
        row.map(integrator_of).transpose()
    }

    fn integrators(&mut self, page: PageRequest) -> Result<Page<Integrator>, DomainError> {
        let total: i64 = integrators::table.count().get_result(self.conn).db()?;
        let rows: Vec<IntegratorRow> = integrators::table
            .order(integrators::id.desc())
            .offset(page.offset())
            .limit(page.limit())
            .select(integrator_columns!())
            .load(self.conn)
            .db()?;
        let items = rows
            .into_iter()
            .map(integrator_of)
            .collect::<Result<_, _>>()?;
        Ok(Page::new(items, page, total.max(0) as u64))
    }

    fn revoke_integrator(
        &mut self,
        id: IntegratorId,
        at: OffsetDateTime,
    ) -> Result<(), DomainError> {
        diesel::update(integrators::table.find(id.to_string()))
            .set(integrators::revoked_at.eq(Some(to_db_time(at))))
            .execute(self.conn)
            .db()?;
        Ok(())
    }

    fn work_permit_employer_exists(&mut self, id: EmployerId) -> Result<bool, DomainError> {
        use crate::schema::work_permit_employers as e;
        let n: i64 = e::table
            .filter(e::id.eq(id.to_string()))
            .count()
            .get_result(self.conn)
            .db()?;
        Ok(n > 0)
    }
}

// ---------------------------------------------------------------------------------------
// Webhook subscriptions

type SubscriptionRow = (String, String, String, String, String, PrimitiveDateTime);

macro_rules! subscription_columns {
    () => {
        (
            webhook_subscriptions::id,
            webhook_subscriptions::integrator_id,
            webhook_subscriptions::url,
            webhook_subscriptions::event_types,
            webhook_subscriptions::secret,
            webhook_subscriptions::created_at,
        )
    };
}

fn subscription_of(row: SubscriptionRow) -> Result<Subscription, DomainError> {
    let (id, integrator_id, url, types, secret, created_at) = row;
    let events = types
        .split(',')
        .filter(|t| !t.is_empty())
        .map(|t| EventType::parse(t).ok_or_else(|| bad_row("webhook event type")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Subscription {
        id: WebhookId::from_uuid(parse_uuid(&id)?),
        integrator_id: IntegratorId::from_uuid(parse_uuid(&integrator_id)?),
        url: WebhookUrl::stored(url),
        events,
        secret,
        created_at: from_db_time(created_at),
    })
}

type DeliveryRow = (
    String,
    String,
    String,
    i32,
    PrimitiveDateTime,
    Option<PrimitiveDateTime>,
    Option<i32>,
    Option<String>,
    Option<PrimitiveDateTime>,
    PrimitiveDateTime,
);

macro_rules! delivery_columns {
    () => {
        (
            webhook_deliveries::id,
            webhook_deliveries::subscription_id,
            webhook_deliveries::status,
            webhook_deliveries::attempts,
            webhook_deliveries::next_attempt_at,
            webhook_deliveries::last_attempt_at,
            webhook_deliveries::last_status_code,
            webhook_deliveries::last_error,
            webhook_deliveries::delivered_at,
            webhook_deliveries::created_at,
        )
    };
}

fn delivery_of((row, event): (DeliveryRow, EventRow)) -> Result<Delivery, DomainError> {
    let (
        id,
        subscription_id,
        status,
        attempts,
        next_attempt_at,
        last_attempt_at,
        last_status_code,
        last_error,
        delivered_at,
        created_at,
    ) = row;
    Ok(Delivery {
        id: WebhookDeliveryId::from_uuid(parse_uuid(&id)?),
        subscription_id: WebhookId::from_uuid(parse_uuid(&subscription_id)?),
        event: event_of(event)?,
        status: DeliveryStatus::parse(&status).ok_or_else(|| bad_row("delivery status"))?,
        attempts: attempts.max(0) as u32,
        next_attempt_at: from_db_time(next_attempt_at),
        last_attempt_at: last_attempt_at.map(from_db_time),
        last_status_code: last_status_code.and_then(|c| u16::try_from(c).ok()),
        last_error,
        delivered_at: delivered_at.map(from_db_time),
        created_at: from_db_time(created_at),
    })
}

impl WebhookStore for IntegrationsRepo<'_> {
    fn insert_subscription(
        &mut self,
        s: &Subscription,
        cursors: &HashMap<Stream, i64>,
    ) -> Result<(), DomainError> {
        let types: Vec<String> = s.events.iter().map(ToString::to_string).collect();
        diesel::insert_into(webhook_subscriptions::table)
            .values((
                webhook_subscriptions::id.eq(s.id.to_string()),
                webhook_subscriptions::integrator_id.eq(s.integrator_id.to_string()),
                webhook_subscriptions::url.eq(s.url.as_str()),
                webhook_subscriptions::event_types.eq(types.join(",")),
                webhook_subscriptions::secret.eq(&s.secret),
                webhook_subscriptions::created_at.eq(to_db_time(s.created_at)),
            ))
            .execute(self.conn)
            .db()?;
        for stream in s.streams() {
            diesel::insert_into(webhook_cursors::table)
                .values((
                    webhook_cursors::subscription_id.eq(s.id.to_string()),
                    webhook_cursors::stream.eq(stream.as_str()),
                    webhook_cursors::last_seq.eq(cursors.get(&stream).copied().unwrap_or(0)),
                ))
                .execute(self.conn)
                .db()?;
        }
        Ok(())
    }

    fn subscriptions_of(
        &mut self,
        integrator: IntegratorId,
    ) -> Result<Vec<Subscription>, DomainError> {
        let rows: Vec<SubscriptionRow> = webhook_subscriptions::table
            .filter(webhook_subscriptions::integrator_id.eq(integrator.to_string()))
            .filter(webhook_subscriptions::deleted_at.is_null())
            .order(webhook_subscriptions::id.asc())
            .select(subscription_columns!())
            .load(self.conn)
            .db()?;
        rows.into_iter().map(subscription_of).collect()
    }

    fn subscription(&mut self, id: WebhookId) -> Result<Option<Subscription>, DomainError> {
        let row: Option<SubscriptionRow> = webhook_subscriptions::table
            .find(id.to_string())
            .filter(webhook_subscriptions::deleted_at.is_null())
            .select(subscription_columns!())
            .first(self.conn)
            .optional()
            .db()?;
        row.map(subscription_of).transpose()
    }

    fn delete_subscription(
        &mut self,
        id: WebhookId,
        at: OffsetDateTime,
    ) -> Result<(), DomainError> {
        diesel::update(webhook_subscriptions::table.find(id.to_string()))
            .set(webhook_subscriptions::deleted_at.eq(Some(to_db_time(at))))
            .execute(self.conn)
            .db()?;
        Ok(())
    }

    fn stream_heads(&mut self) -> Result<HashMap<Stream, i64>, DomainError> {
        let rows: Vec<(String, i64)> = outbox_streams::table
            .select((outbox_streams::stream, outbox_streams::last_seq))
            .load(self.conn)
            .db()?;
        Ok(rows
            .into_iter()
            .filter_map(|(s, n)| Stream::parse(&s).map(|s| (s, n)))
            .collect())
    }

    fn deliveries_of(
        &mut self,
        subscription: WebhookId,
        status: Option<DeliveryStatus>,
        page: PageRequest,
    ) -> Result<Page<Delivery>, DomainError> {
        let filtered = || {
            let mut q = webhook_deliveries::table
                .inner_join(outbox_events::table)
                .filter(webhook_deliveries::subscription_id.eq(subscription.to_string()))
                .into_boxed();
            if let Some(s) = status {
                q = q.filter(webhook_deliveries::status.eq(s.as_str()));
            }
            q
        };
        let total: i64 = filtered().count().get_result(self.conn).db()?;
        let rows: Vec<(DeliveryRow, EventRow)> = filtered()
            .order((
                webhook_deliveries::created_at.desc(),
                webhook_deliveries::id.desc(),
            ))
            .offset(page.offset())
            .limit(page.limit())
            .select((delivery_columns!(), event_columns!()))
            .load(self.conn)
            .db()?;
        let items = rows
            .into_iter()
            .map(delivery_of)
            .collect::<Result<_, _>>()?;
        Ok(Page::new(items, page, total.max(0) as u64))
    }
}

// ---------------------------------------------------------------------------------------
// The delivery worker's steps

/// Active subscriptions with their (not revoked) integrator.
fn active_subscriptions(
    conn: &mut DbConnection,
) -> Result<Vec<(Subscription, Integrator)>, DomainError> {
    let rows: Vec<(SubscriptionRow, IntegratorRow)> = webhook_subscriptions::table
        .inner_join(integrators::table)
        .filter(webhook_subscriptions::deleted_at.is_null())
        .filter(integrators::revoked_at.is_null())
        .order(webhook_subscriptions::id.asc())
        .select((subscription_columns!(), integrator_columns!()))
        .load(conn)
        .db()?;
    rows.into_iter()
        .map(|(s, i)| Ok((subscription_of(s)?, integrator_of(i)?)))
        .collect()
}

/// Turns up to `batch` new events per subscription and stream into deliveries; returns how
/// many deliveries it created. Run it in a write transaction.
pub fn enqueue_deliveries(
    conn: &mut DbConnection,
    now: OffsetDateTime,
    batch: u32,
) -> Result<usize, DomainError> {
    let mut created = 0;
    for (sub, integrator) in active_subscriptions(conn)? {
        for stream in sub.streams() {
            let cursor: Option<i64> = webhook_cursors::table
                .find((sub.id.to_string(), stream.as_str()))
                .select(webhook_cursors::last_seq)
                .first(conn)
                .optional()
                .db()?;
            let Some(cursor) = cursor else { continue };
            let events = events_after(conn, stream, Scope::All, Cursor::after(cursor), batch)?;
            let Some(last) = events.last().map(|e| e.seq) else {
                continue;
            };
            let moved = diesel::update(
                webhook_cursors::table
                    .find((sub.id.to_string(), stream.as_str()))
                    .filter(webhook_cursors::last_seq.eq(cursor)),
            )
            .set(webhook_cursors::last_seq.eq(last))
            .execute(conn)
            .db()?;
            if moved != 1 {
                // Another worker enqueued these events first.
                continue;
            }
            for event in events.into_iter().filter(|e| sub.wants(&integrator, e)) {
                let d = Delivery::new(sub.id, event, now);
                diesel::insert_into(webhook_deliveries::table)
                    .values((
                        webhook_deliveries::id.eq(d.id.to_string()),
                        webhook_deliveries::subscription_id.eq(sub.id.to_string()),
                        webhook_deliveries::event_id.eq(d.event.id.to_string()),
                        webhook_deliveries::status.eq(d.status.as_str()),
                        webhook_deliveries::attempts.eq(0),
                        webhook_deliveries::next_attempt_at.eq(to_db_time(d.next_attempt_at)),
                        webhook_deliveries::created_at.eq(to_db_time(now)),
                    ))
                    .execute(conn)
                    .db()?;
                created += 1;
            }
        }
    }
    Ok(created)
}

/// Leases up to `limit` due deliveries (pending, due by `now`, not leased by another worker)
/// for `lease`, oldest event first, with their subscription. Run it in a write transaction.
pub fn claim_due(
    conn: &mut DbConnection,
    now: OffsetDateTime,
    lease: Duration,
    limit: i64,
) -> Result<Vec<(Delivery, Subscription)>, DomainError> {
    let at = to_db_time(now);
    let unleased = webhook_deliveries::claimed_until
        .is_null()
        .or(webhook_deliveries::claimed_until.le(at));
    let rows: Vec<(DeliveryRow, EventRow, SubscriptionRow)> = webhook_deliveries::table
        .inner_join(outbox_events::table)
        .inner_join(webhook_subscriptions::table.inner_join(integrators::table))
        .filter(webhook_deliveries::status.eq(DeliveryStatus::Pending.as_str()))
        .filter(webhook_deliveries::next_attempt_at.le(at))
        .filter(unleased)
        .filter(webhook_subscriptions::deleted_at.is_null())
        .filter(integrators::revoked_at.is_null())
        .order((
            webhook_deliveries::next_attempt_at.asc(),
            outbox_events::seq.asc(),
        ))
        .limit(limit)
        .select((
            delivery_columns!(),
            event_columns!(),
            subscription_columns!(),
        ))
        .load(conn)
        .db()?;
    let mut claimed = Vec::new();
    for (d, e, s) in rows {
        let id = d.0.clone();
        let taken = diesel::update(
            webhook_deliveries::table
                .find(&id)
                .filter(webhook_deliveries::status.eq(DeliveryStatus::Pending.as_str()))
                .filter(
                    webhook_deliveries::claimed_until
                        .is_null()
                        .or(webhook_deliveries::claimed_until.le(at)),
                ),
        )
        .set(webhook_deliveries::claimed_until.eq(Some(to_db_time(now + lease))))
        .execute(conn)
        .db()?;
        if taken == 1 {
            claimed.push((delivery_of((d, e))?, subscription_of(s)?));
        }
    }
    Ok(claimed)
}

/// Records a delivery's attempt and releases its lease.
pub fn save_delivery(conn: &mut DbConnection, d: &Delivery) -> Result<(), DomainError> {
    diesel::update(webhook_deliveries::table.find(d.id.to_string()))
        .set((
            webhook_deliveries::status.eq(d.status.as_str()),
            webhook_deliveries::attempts.eq(i32::try_from(d.attempts).unwrap_or(i32::MAX)),
            webhook_deliveries::next_attempt_at.eq(to_db_time(d.next_attempt_at)),
            webhook_deliveries::claimed_until.eq(None::<PrimitiveDateTime>),
            webhook_deliveries::last_attempt_at.eq(d.last_attempt_at.map(to_db_time)),
            webhook_deliveries::last_status_code.eq(d.last_status_code.map(i32::from)),
            webhook_deliveries::last_error.eq(&d.last_error),
            webhook_deliveries::delivered_at.eq(d.delivered_at.map(to_db_time)),
        ))
        .execute(conn)
        .db()?;
    Ok(())
}
