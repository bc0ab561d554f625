//! Rate limits on logins and public searches, counted in the database so that every `kapi`
//! process behind it shares them (one-time codes have their own, per destination, in the
//! identity domain). Over the limit the answer is 429 `request.rate_limited` with
//! `Retry-After`: the seconds until the window ends, by the app clock.

use crate::config::RateLimit;
use crate::problem::{ApiError, ApiResult};
use crate::state::{write, AppState};
use actix_web::{web, HttpRequest};
use kapi_core::DomainError;
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

/// What is counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    /// Login attempts (and the employer password reset), per account name and client IP.
    Login,
    /// Unauthenticated searches, per client IP.
    Search,
}

impl Bucket {
    pub fn as_str(self) -> &'static str {
        match self {
            Bucket::Login => "login",
            Bucket::Search => "search",
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
        Bucket::Search => state.search_limit,
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
    check(state, Bucket::Search, &ip).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

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
