//! Idempotency keys as rows: what a request with an `Idempotency-Key` answered, per caller,
//! method and path, so a retry on any `kapi` process gets the same answer.
//!
//! The HTTP layer decides what a stored row means (replay, reuse with another body, still
//! running); this module loads, claims, completes and forgets rows. Every function runs in
//! the caller's write transaction; [`lock`] serialises the transactions of one key.

use crate::convert::{from_db_time, to_db_time};
use crate::db::{lock_key, DbResultExt};
use crate::DbConnection;
use diesel::prelude::*;
use kapi_core::DomainError;
use time::{OffsetDateTime, PrimitiveDateTime};

diesel::table! {
    idempotency_keys (scope_hash, idempotency_key, method, path) {
        scope_hash -> Text,
        idempotency_key -> Text,
        method -> Text,
        path -> Text,
        request_hash -> Text,
        status -> Nullable<Integer>,
        headers -> Nullable<Text>,
        body -> Nullable<Binary>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        in_flight_until -> Nullable<Timestamp>,
    }
}

/// Which key: the caller (a hash of who they are), the key they sent, the operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyId {
    pub scope_hash: String,
    pub key: String,
    pub method: String,
    pub path: String,
}

/// A stored key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredKey {
    /// SHA-256 of the request the key was first used with.
    pub request_hash: String,
    /// The stored answer; `None` while the first request is still running.
    pub response: Option<StoredResponse>,
    pub expires_at: OffsetDateTime,
    /// Until when a running first request holds the key.
    pub in_flight_until: Option<OffsetDateTime>,
}

/// A stored answer: status, the headers that matter, the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

type Row = (
    String,
    Option<i32>,
    Option<String>,
    Option<Vec<u8>>,
    PrimitiveDateTime,
    Option<PrimitiveDateTime>,
);

macro_rules! this_key {
    ($id:expr) => {
        idempotency_keys::table
            .filter(idempotency_keys::scope_hash.eq(&$id.scope_hash))
            .filter(idempotency_keys::idempotency_key.eq(&$id.key))
            .filter(idempotency_keys::method.eq(&$id.method))
            .filter(idempotency_keys::path.eq(&$id.path))
    };
}

/// Serialises the transactions that touch `id` until the transaction ends.
pub fn lock(conn: &mut DbConnection, id: &KeyId) -> Result<(), DomainError> {
    lock_key(
        conn,
        &format!(
            "idempotency:{}:{}:{}:{}",
            id.scope_hash, id.method, id.path, id.key
        ),
    )
}

/// The stored key, if any (expired or not: the caller decides).
pub fn find(conn: &mut DbConnection, id: &KeyId) -> Result<Option<StoredKey>, DomainError> {
    use idempotency_keys::dsl as k;
    let row: Option<Row> = this_key!(id)
        .select((
            k::request_hash,
            k::status,
            k::headers,
            k::body,
            k::expires_at,
            k::in_flight_until,
        ))
        .first(conn)
        .optional()
        .db()?;
    let Some((request_hash, status, headers, body, expires_at, in_flight_until)) = row else {
        return Ok(None);
    };
    let response = match status {
        Some(status) => {
            let headers: Vec<(String, String)> =
                serde_json::from_str(headers.as_deref().unwrap_or("[]")).map_err(|e| {
                    DomainError::internal(format!("stored idempotent headers: {e}"))
                })?;
            Some(StoredResponse {
                status: u16::try_from(status).map_err(|e| {
                    DomainError::internal(format!("stored idempotent status {status}: {e}"))
                })?,
                headers,
                body: body.unwrap_or_default(),
            })
        }
        None => None,
    };
    Ok(Some(StoredKey {
        request_hash,
        response,
        expires_at: from_db_time(expires_at),
        in_flight_until: in_flight_until.map(from_db_time),
    }))
}

/// Claims `id` for a first request with `request_hash`: any earlier row of the key
/// (expired, or abandoned by a request that never finished) is replaced.
pub fn claim(
    conn: &mut DbConnection,
    id: &KeyId,
    request_hash: &str,
    now: OffsetDateTime,
    expires_at: OffsetDateTime,
    in_flight_until: OffsetDateTime,
) -> Result<(), DomainError> {
    use idempotency_keys::dsl as k;
    diesel::delete(this_key!(id)).execute(conn).db()?;
    diesel::insert_into(k::idempotency_keys)
        .values((
            k::scope_hash.eq(&id.scope_hash),
            k::idempotency_key.eq(&id.key),
            k::method.eq(&id.method),
            k::path.eq(&id.path),
            k::request_hash.eq(request_hash),
            k::status.eq(None::<i32>),
            k::headers.eq(None::<String>),
            k::body.eq(None::<Vec<u8>>),
            k::created_at.eq(to_db_time(now)),
            k::expires_at.eq(to_db_time(expires_at)),
            k::in_flight_until.eq(Some(to_db_time(in_flight_until))),
        ))
        .execute(conn)
        .db()?;
    Ok(())
}

/// Stores the answer of the first request of `id`.
pub fn complete(
    conn: &mut DbConnection,
    id: &KeyId,
    response: &StoredResponse,
) -> Result<(), DomainError> {
    use idempotency_keys::dsl as k;
    let headers = serde_json::to_string(&response.headers)
        .map_err(|e| DomainError::internal(format!("idempotent headers: {e}")))?;
    diesel::update(this_key!(id))
        .set((
            k::status.eq(Some(i32::from(response.status))),
            k::headers.eq(Some(headers)),
            k::body.eq(Some(response.body.clone())),
            k::in_flight_until.eq(None::<PrimitiveDateTime>),
        ))
        .execute(conn)
        .db()?;
    Ok(())
}

/// Forgets `id` (its first request failed: nothing to replay, a retry runs again).
pub fn release(conn: &mut DbConnection, id: &KeyId) -> Result<(), DomainError> {
    diesel::delete(this_key!(id)).execute(conn).db()?;
    Ok(())
}

/// Deletes the keys that expired before `now`; returns how many.
pub fn purge_expired(conn: &mut DbConnection, now: OffsetDateTime) -> Result<usize, DomainError> {
    use idempotency_keys::dsl as k;
    diesel::delete(k::idempotency_keys.filter(k::expires_at.le(to_db_time(now))))
        .execute(conn)
        .db()
}
