//! Rate limits on logins, one-time codes, identity checks and public searches. Logins,
//! codes and identity checks are counted in the database, so that every `kapi` process
//! behind it shares them: they protect accounts and citizens. Unauthenticated searches are
//! counted in this process ([`SearchCounter`]): they protect capacity, each process its
//! own, and a database write on every anonymous search would cost more than the search
//! (decision 61). Over the limit the answer is 429 `request.rate_limited` with
//! `Retry-After`: the seconds until the window ends, by the app clock.
//!
//! - Every login attempt counts per account and client address ([`Bucket::Login`]).
//! - Failed logins count per client address across accounts ([`Bucket::LoginAddress`]):
//!   one address trying one password on many accounts (password spraying). A failure
//!   limit is counted before the attempt (so concurrent guesses cannot slip past it) and
//!   taken back when the attempt succeeds ([`Attempt::settle`]).
//! - Wrong answers to the Açık Kapı citizen identity check count per TCKN and per client
//!   address ([`Bucket::IdentityCheck`], [`Bucket::IdentityCheckAddress`]), the same way.
//! - One-time codes sent count per caller and per client address across numbers
//!   ([`Bucket::OtpCaller`], [`Bucket::OtpAddress`]), in the transaction that sends the
//!   code ([`count_in`]), so a refused code is neither sent nor counted. The limit per
//!   destination lives with the codes, in the identity domain.

use crate::config::RateLimit;
use crate::problem::{ApiError, ApiResult};
use crate::state::{write, AppState};
use actix_web::{web, HttpRequest};
use kapi_core::DomainError;
use kapi_persistence::DbConnection;
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
    /// Failed logins per client IP, across accounts.
    LoginAddress,
    /// One-time codes sent per caller (a token's subject, or an anonymous flow's TCKN).
    OtpCaller,
    /// One-time codes sent per client IP.
    OtpAddress,
    /// Wrong identity-check answers per TCKN.
    IdentityCheck,
    /// Wrong identity-check answers per client IP.
    IdentityCheckAddress,
}

impl Bucket {
    pub fn as_str(self) -> &'static str {
        match self {
            Bucket::Login => "login",
            Bucket::LoginAddress => "login_address",
            Bucket::OtpCaller => "otp_caller",
            Bucket::OtpAddress => "otp_address",
            Bucket::IdentityCheck => "identity_check",
            Bucket::IdentityCheckAddress => "identity_check_address",
        }
    }

    /// The configured limit of this bucket.
    pub fn limit(self, state: &AppState) -> RateLimit {
        match self {
            Bucket::Login => state.login_limit,
            Bucket::LoginAddress => state.login_address_limit,
            Bucket::OtpCaller => state.otp_caller_limit,
            Bucket::OtpAddress => state.otp_address_limit,
            Bucket::IdentityCheck => state.identity_check_limit,
            Bucket::IdentityCheckAddress => state.identity_check_address_limit,
        }
    }

    /// The stored key: a hash, so no identity number or address is stored.
    fn key_hash(self, key: &str) -> String {
        hex::encode(Sha256::digest(format!("{}|{key}", self.as_str())))
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

/// Counts one request of `bucket` for `key` in the caller's transaction, at the time
/// `clock` tells once the key is locked, and refuses it when over `limit`: the refusal
/// rolls the count back with everything else the transaction did (one-time codes: a
/// refused code is neither sent nor counted).
pub fn count_in(
    conn: &mut DbConnection,
    bucket: Bucket,
    key: &str,
    limit: RateLimit,
    clock: impl FnOnce() -> OffsetDateTime,
) -> Result<(), DomainError> {
    let window = Duration::seconds(i64::from(limit.window_seconds));
    let hit = kapi_persistence::rate_limits::hit(
        conn,
        bucket.as_str(),
        &bucket.key_hash(key),
        clock,
        window,
    )?;
    match refusal(limit, hit.hits, hit.window_start, hit.now) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// One request counted in a window (to be taken back by [`Attempt`]).
#[derive(Debug, Clone)]
struct Counted {
    bucket: Bucket,
    key_hash: String,
    window_start: OffsetDateTime,
}

/// Counts one request of `bucket` for `key` on its own transaction (so a refused or failed
/// request still counts) and refuses it when over the bucket's limit.
async fn hit(state: &web::Data<AppState>, bucket: Bucket, key: &str) -> ApiResult<Counted> {
    let limit = bucket.limit(state);
    let key_hash = bucket.key_hash(key);
    let clock = state.clock.clone();
    let window = Duration::seconds(i64::from(limit.window_seconds));
    let stored = key_hash.clone();
    let hit = write(state, move |c| {
        kapi_persistence::rate_limits::hit(c, bucket.as_str(), &stored, || clock.now(), window)
    })
    .await?;
    match refusal(limit, hit.hits, hit.window_start, hit.now) {
        Some(e) => Err(ApiError::from(e)),
        None => Ok(Counted {
            bucket,
            key_hash,
            window_start: hit.window_start,
        }),
    }
}

/// Counts one request of `bucket` for `key` and refuses it when over the limit. The
/// count is committed on its own, so a refused or failed login still counts.
pub async fn check(state: &web::Data<AppState>, bucket: Bucket, key: &str) -> ApiResult<()> {
    hit(state, bucket, key).await.map(|_| ())
}

/// An attempt counted against limits on failures: settle it with its answer. A success
/// takes the counts back; so does an answer that judged nothing (429 from another limit,
/// a server fault). Any other refusal stays counted as a failure. An attempt dropped
/// without settling stays counted.
#[must_use = "settle the attempt with its answer, or it counts as a failure"]
#[derive(Debug, Default)]
pub struct Attempt {
    counted: Vec<Counted>,
}

impl Attempt {
    /// Counts an attempt in each `(bucket, key)`, in order; refuses it at the first limit
    /// it is over (taking back the counts already made: the request judged nothing).
    pub async fn start(state: &web::Data<AppState>, keys: &[(Bucket, &str)]) -> ApiResult<Self> {
        let mut attempt = Attempt::default();
        for (bucket, key) in keys {
            match hit(state, *bucket, key).await {
                Ok(c) => attempt.counted.push(c),
                Err(e) => return attempt.settle(state, Err(e)).await,
            }
        }
        Ok(attempt)
    }

    /// Settles the attempt with its answer and returns the answer.
    pub async fn settle<T>(
        self,
        state: &web::Data<AppState>,
        answer: ApiResult<T>,
    ) -> ApiResult<T> {
        let judged_nothing = |e: &ApiError| {
            let status = actix_web::ResponseError::status_code(e);
            status == actix_web::http::StatusCode::TOO_MANY_REQUESTS || status.is_server_error()
        };
        let take_back = match &answer {
            Ok(_) => true,
            Err(e) => judged_nothing(e),
        };
        if take_back && !self.counted.is_empty() {
            let counted = self.counted;
            // A count that cannot be taken back stays a failure: never worth failing the
            // answer for.
            if let Err(e) = write(state, move |c| {
                for k in &counted {
                    kapi_persistence::rate_limits::release(
                        c,
                        k.bucket.as_str(),
                        &k.key_hash,
                        k.window_start,
                    )?;
                }
                Ok(())
            })
            .await
            {
                log::warn!("a rate-limit count was not taken back: {e}");
            }
        }
        answer
    }
}

/// Counts a login attempt for `account` (a user name or TCKN, compared case-insensitively)
/// from the caller's address: first as a possible failure from the address (across
/// accounts), then as an attempt on the account from the address. Settle the answer
/// with the returned [`Attempt`].
pub async fn login(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    account: &str,
) -> ApiResult<Attempt> {
    let ip = client_ip(req, state.trust_forwarded_for);
    let account = account.trim().to_lowercase();
    let attempt = Attempt::start(state, &[(Bucket::LoginAddress, &ip)]).await?;
    let on_account = check(state, Bucket::Login, &format!("{account}|{ip}")).await;
    match on_account {
        Ok(()) => Ok(attempt),
        Err(e) => attempt.settle(state, Err(e)).await,
    }
}

/// Counts an identity check (or a petition query) for `tckn` from the caller's address as
/// a possible wrong answer, per TCKN and per address. Settle the answer with the returned
/// [`Attempt`].
pub async fn identity_check(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    tckn: &str,
) -> ApiResult<Attempt> {
    let ip = client_ip(req, state.trust_forwarded_for);
    Attempt::start(
        state,
        &[
            (Bucket::IdentityCheckAddress, &ip),
            (Bucket::IdentityCheck, tckn.trim()),
        ],
    )
    .await
}

/// Counts an unauthenticated search from the caller's address; a caller with a valid
/// token is not counted (their token is theirs to answer for, and staff search all day).
pub async fn public_search(state: &web::Data<AppState>, req: &HttpRequest) -> ApiResult<()> {
    if crate::extract::current_caller(req).await.is_some() {
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
