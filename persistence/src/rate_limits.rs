//! Rate-limit counters as rows, so every `kapi` process behind one database counts the
//! same requests. One fixed window per (bucket, key): it starts at the first request and
//! lasts `window`; the next request after it starts a new one.
//!
//! The caller hashes the key (no identity number or address is stored) and decides what
//! the count means; this module only counts, atomically: the key is locked for the
//! transaction (an advisory lock on PostgreSQL; SQLite write transactions are exclusive).

use crate::convert::{from_db_time, to_db_time};
use crate::db::{lock_key, DbResultExt};
use crate::DbConnection;
use diesel::prelude::*;
use kapi_core::DomainError;
use time::{Duration, OffsetDateTime, PrimitiveDateTime};

diesel::table! {
    rate_limit_counters (bucket, key_hash) {
        bucket -> Text,
        key_hash -> Text,
        window_start -> Timestamp,
        hits -> Integer,
        expires_at -> Timestamp,
    }
}

/// The window a request was counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    /// Requests in this window, this one included.
    pub hits: u32,
    pub window_start: OffsetDateTime,
    /// The time the request was counted at.
    pub now: OffsetDateTime,
}

/// Counts one request for `(bucket, key_hash)` in a window of `window`, at the time
/// `clock` tells once the key is locked (read any earlier, a request that waited for the
/// lock would find the window of a later one starting after its `now` and take it for a
/// clock moved back). A window that has ended, or that starts after `now` (a clock moved
/// back), is replaced by a new one starting now.
pub fn hit(
    conn: &mut DbConnection,
    bucket: &str,
    key_hash: &str,
    clock: impl FnOnce() -> OffsetDateTime,
    window: Duration,
) -> Result<Hit, DomainError> {
    use rate_limit_counters::dsl as r;
    lock_key(conn, &format!("rate:{bucket}:{key_hash}"))?;
    let now = clock();
    let current: Option<(PrimitiveDateTime, i32)> = r::rate_limit_counters
        .filter(r::bucket.eq(bucket))
        .filter(r::key_hash.eq(key_hash))
        .select((r::window_start, r::hits))
        .first(conn)
        .optional()
        .db()?;
    let (window_start, hits) = match current {
        Some((start, hits)) => {
            let start = from_db_time(start);
            if start <= now && now < start + window {
                (start, hits.saturating_add(1))
            } else {
                (now, 1)
            }
        }
        None => (now, 1),
    };
    let values = (
        r::window_start.eq(to_db_time(window_start)),
        r::hits.eq(hits),
        r::expires_at.eq(to_db_time(window_start + window)),
    );
    if current.is_some() {
        diesel::update(
            r::rate_limit_counters
                .filter(r::bucket.eq(bucket))
                .filter(r::key_hash.eq(key_hash)),
        )
        .set(values)
        .execute(conn)
        .db()?;
    } else {
        diesel::insert_into(r::rate_limit_counters)
            .values((r::bucket.eq(bucket), r::key_hash.eq(key_hash), values))
            .execute(conn)
            .db()?;
    }
    Ok(Hit {
        hits: hits.max(0) as u32,
        window_start: from_db_time(to_db_time(window_start)),
        now,
    })
}

/// Takes back one request counted by [`hit`] in the window that started at `window_start`
/// (a limit on failures: the attempt succeeded). Nothing happens when that window has
/// been replaced meanwhile or the count is already zero.
pub fn release(
    conn: &mut DbConnection,
    bucket: &str,
    key_hash: &str,
    window_start: OffsetDateTime,
) -> Result<(), DomainError> {
    use rate_limit_counters::dsl as r;
    lock_key(conn, &format!("rate:{bucket}:{key_hash}"))?;
    diesel::update(
        r::rate_limit_counters
            .filter(r::bucket.eq(bucket))
            .filter(r::key_hash.eq(key_hash))
            .filter(r::window_start.eq(to_db_time(window_start)))
            .filter(r::hits.gt(0)),
    )
    .set(r::hits.eq(r::hits - 1))
    .execute(conn)
    .db()?;
    Ok(())
}

/// Deletes the counters whose window ended before `now`; returns how many.
pub fn purge_expired(conn: &mut DbConnection, now: OffsetDateTime) -> Result<usize, DomainError> {
    use rate_limit_counters::dsl as r;
    diesel::delete(r::rate_limit_counters.filter(r::expires_at.le(to_db_time(now))))
        .execute(conn)
        .db()
}
