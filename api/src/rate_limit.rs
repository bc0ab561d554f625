//! Rate limits on logins and public searches. Logins are counted in the database, so that
//! every `kapi` process behind it shares them: they protect accounts. Unauthenticated
//! searches are counted in this process ([`SearchCounter`]): they protect capacity, each
//! process its own, and a database write on every anonymous search would cost more than
//! the search (decision 61). One-time codes have their own limit, per destination, in the
//! identity domain. Over the limit the answer is 429 `request.rate_limited` with
//! `Retry-After`: the seconds until the window ends, by the app clock.

use crate::config::RateLimit;
use crate::problem::{ApiError, ApiResult};
use crate::state::{write, AppState};
use actix_web::{web, HttpRequest};
use kapi_core::DomainError;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use time::{Duration, OffsetDateTime};

/// Fixed windows per client address, in memory: a window starts at an address's first
/// search and lasts the limit's window; the next search after it (or before it, if the
/// clock was moved back) starts a new one. Ended windows are dropped as the map grows.
#[derive(Debug, Default)]
pub struct SearchCounter {
    windows: Mutex<HashMap<String, (OffsetDateTime, u32)>>,
}

/// Above this many addresses, ended windows are dropped before a new one is added.
const SEARCH_COUNTER_SWEEP: usize = 10_000;

impl SearchCounter {
    /// Counts one search from `key` at `now`; answers the hits in the window, this one
    /// included, and the window's start.
    pub fn hit(&self, key: &str, now: OffsetDateTime, window: Duration) -> (u32, OffsetDateTime) {
        let mut windows = self
            .windows
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let live = |start: OffsetDateTime| start <= now && now < start + window;
        if let Some((start, hits)) = windows.get_mut(key) {
            if live(*start) {
                *hits = hits.saturating_add(1);
            } else {
                *start = now;
                *hits = 1;
            }
            return (*hits, *start);
        }
        if windows.len() >= SEARCH_COUNTER_SWEEP {
            windows.retain(|_, (start, _)| live(*start));
        }
        windows.insert(key.to_owned(), (now, 1));
        (1, now)
    }
}

/// What is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    /// Login attempts (and the employer password reset), per account name and client IP.
    Login,
}

impl Bucket {
    pub fn as_str(self) -> &'static str {
        match self {
            Bucket::Login => "login",
        }
    }
}

/// The client's address: the first `X-Forwarded-For` entry when the proxy in front is
/// trusted (`KAPI_TRUST_FORWARDED_FOR`) and it is an IP address, else the peer address.
pub fn client_ip(req: &HttpRequest, trust_forwarded_for: bool) -> String {
    if trust_forwarded_for {
        let forwarded = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(str::trim)
            .and_then(|v| v.parse::<std::net::IpAddr>().ok());
        if let Some(ip) = forwarded {
            return ip.to_string();
        }
    }
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The refusal when `hits` requests fell in the window that started at `window_start`;
/// `None` while within `limit`.
pub fn refusal(
    limit: RateLimit,
    hits: u32,
    window_start: OffsetDateTime,
    now: OffsetDateTime,
) -> Option<DomainError> {
    if hits <= limit.max {
        return None;
    }
    let ends = window_start + Duration::seconds(i64::from(limit.window_seconds));
    let left = ends - now;
    // Whole seconds, rounded up, at least one.
    let mut wait = left.whole_seconds();
    if left.subsec_nanoseconds() > 0 {
        wait += 1;
    }
    let wait = wait.max(1) as u64;
    Some(DomainError::rate_limited(
        "request.rate_limited",
        format!("Too many requests; try again in {wait} seconds."),
        wait,
    ))
}

/// Counts one request of `bucket` for `key` (hashed: no identity number is stored) and
/// refuses it when over the limit. The count is committed on its own, so a refused or
/// failed login still counts.
pub async fn check(state: &web::Data<AppState>, bucket: Bucket, key: &str) -> ApiResult<()> {
    let limit = match bucket {
        Bucket::Login => state.login_limit,
    };
    let key_hash = hex::encode(Sha256::digest(format!("{}|{key}", bucket.as_str())));
    let now = state.clock.now();
    let window = Duration::seconds(i64::from(limit.window_seconds));
    let hit = write(state, move |c| {
        kapi_persistence::rate_limits::hit(c, bucket.as_str(), &key_hash, now, window)
    })
    .await?;
    match refusal(limit, hit.hits, hit.window_start, now) {
        Some(e) => Err(ApiError::from(e)),
        None => Ok(()),
    }
}

/// Counts a login attempt for `account` (a user name or TCKN, compared case-insensitively)
/// from the caller's address.
pub async fn login(state: &web::Data<AppState>, req: &HttpRequest, account: &str) -> ApiResult<()> {
    let ip = client_ip(req, state.trust_forwarded_for);
    let account = account.trim().to_lowercase();
    check(state, Bucket::Login, &format!("{account}|{ip}")).await
}

/// Counts an unauthenticated search from the caller's address; a caller with a valid
/// token is not counted (their token is theirs to answer for, and staff search all day).
pub async fn public_search(state: &web::Data<AppState>, req: &HttpRequest) -> ApiResult<()> {
    if crate::extract::has_valid_token(req) {
        return Ok(());
    }
    let ip = client_ip(req, state.trust_forwarded_for);
    let limit = state.search_limit;
    let now = state.clock.now();
    let (hits, window_start) =
        state
            .search_counter
            .hit(&ip, now, Duration::seconds(i64::from(limit.window_seconds)));
    match refusal(limit, hits, window_start, now) {
        Some(e) => Err(ApiError::from(e)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_search_counter_keeps_a_fixed_window_per_address() {
        let counter = SearchCounter::default();
        let start = datetime!(2026-12-03 10:00 UTC);
        let minute = Duration::seconds(60);
        assert_eq!(counter.hit("a", start, minute), (1, start));
        assert_eq!(
            counter.hit("a", start + Duration::seconds(59), minute),
            (2, start)
        );
        assert_eq!(counter.hit("b", start, minute), (1, start));
        // The window has ended: a new one starts.
        let later = start + minute;
        assert_eq!(counter.hit("a", later, minute), (1, later));
        // A clock moved back starts a new window too.
        assert_eq!(counter.hit("a", start, minute), (1, start));
    }

    #[test]
    fn refuses_over_the_limit_with_the_seconds_left() {
        let limit = RateLimit::new(3, 60);
        let start = datetime!(2026-12-03 10:00 UTC);
        assert!(refusal(limit, 3, start, start).is_none());
        let e = refusal(limit, 4, start, start).unwrap();
        assert_eq!(
            (e.code.as_ref(), e.retry_after),
            ("request.rate_limited", Some(60))
        );
        let e = refusal(limit, 9, start, start + Duration::seconds(59)).unwrap();
        assert_eq!(e.retry_after, Some(1));
        let e = refusal(limit, 9, start, start + Duration::milliseconds(59_500)).unwrap();
        assert_eq!(e.retry_after, Some(1));
        let e = refusal(limit, 9, start, start + Duration::milliseconds(500)).unwrap();
        assert_eq!(e.retry_after, Some(60));
    }

    #[test]
    fn rate_limits_parse_as_requests_per_seconds() {
        assert_eq!("10/300".parse::<RateLimit>(), Ok(RateLimit::new(10, 300)));
        assert!("0/60".parse::<RateLimit>().is_err());
        assert!("5/0".parse::<RateLimit>().is_err());
        assert!("5".parse::<RateLimit>().is_err());
        assert!("5/100000".parse::<RateLimit>().is_err());
    }
}
