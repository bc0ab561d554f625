//! Application state shared by every worker.

use crate::clock::Clock;
use crate::config::{Config, Profile, RateLimit};
use crate::jwt::JwtKeys;
use crate::problem::ApiError;
use actix_web::web;
use kapi_core::DomainError;
use kapi_identity::otp::OtpPolicy;
use kapi_persistence::{Db, DbConnection, GiveUp};
use std::sync::Arc;

pub struct AppState {
    pub db: Db,
    pub clock: Arc<Clock>,
    pub jwt: JwtKeys,
    pub profile: Profile,
    pub otp: OtpPolicy,
    /// Files (attachments, documents), content-addressed.
    pub blobs: Arc<dyn kapi_core::BlobStore>,
    /// Webhooks may use `http://` to a loopback address (dev profile, or configured).
    pub webhooks_allow_loopback_http: bool,
    /// Login attempts per user name or TCKN and client IP.
    pub login_limit: RateLimit,
    /// Unauthenticated searches per client IP.
    pub search_limit: RateLimit,
    /// Failed logins per client IP, across accounts.
    pub login_address_limit: RateLimit,
    /// One-time codes sent per caller, across numbers.
    pub otp_caller_limit: RateLimit,
    /// One-time codes sent per client IP, across callers and numbers.
    pub otp_address_limit: RateLimit,
    /// Wrong Açık Kapı identity-check answers per TCKN.
    pub identity_check_limit: RateLimit,
    /// Wrong Açık Kapı identity-check answers per client IP.
    pub identity_check_address_limit: RateLimit,
    /// This process's count of unauthenticated searches.
    pub search_counter: crate::rate_limit::SearchCounter,
    /// Whether the first `X-Forwarded-For` entry names the client.
    pub trust_forwarded_for: bool,
    /// Whether responses carry `Strict-Transport-Security`.
    pub hsts: bool,
}

impl AppState {
    pub fn new(db: Db, config: &Config, jwt: JwtKeys) -> Self {
        let otp = OtpPolicy {
            max_per_window: config.rate_limit_otp.max,
            window: time::Duration::seconds(i64::from(config.rate_limit_otp.window_seconds)),
            ..OtpPolicy::default()
        };
        Self {
            db,
            clock: Arc::new(Clock::default()),
            jwt,
            profile: config.profile,
            otp,
            blobs: Arc::new(kapi_persistence::blobs::FsBlobStore::new(&config.data_dir)),
            webhooks_allow_loopback_http: config.webhook_allow_loopback
                || config.profile == Profile::Dev,
            login_limit: config.rate_limit_login,
            search_limit: config.rate_limit_search,
            login_address_limit: config.rate_limit_login_address,
            otp_caller_limit: config.rate_limit_otp_caller,
            otp_address_limit: config.rate_limit_otp_address,
            identity_check_limit: config.rate_limit_identity_check,
            identity_check_address_limit: config.rate_limit_identity_check_address,
            search_counter: crate::rate_limit::SearchCounter::default(),
            trust_forwarded_for: config.trust_forwarded_for,
            hsts: config.hsts,
        }
    }
}

/// Runs a write use case in one transaction on the blocking pool.
pub async fn write<T: Send + 'static>(
    state: &web::Data<AppState>,
    f: impl FnOnce(&mut DbConnection) -> Result<T, DomainError> + Send + 'static,
) -> Result<T, ApiError> {
    bounded(state, move |db, caller| db.write_for(caller, f)).await
}

/// Runs a read in one transaction on the blocking pool.
pub async fn read<T: Send + 'static>(
    state: &web::Data<AppState>,
    f: impl FnOnce(&mut DbConnection) -> Result<T, DomainError> + Send + 'static,
) -> Result<T, ApiError> {
    bounded(state, move |db, caller| db.read_for(caller, f)).await
}

/// Runs `work` on the blocking pool and waits for it at most the database's deadline
/// (acquire + statement timeouts): a frozen database, whose connections still accept
/// bytes but never answer, cannot hold the request. Past the deadline the work is given up
/// (rolled back, not committed, when it finishes) and the answer is 503
/// `service.unavailable`.
async fn bounded<T: Send + 'static>(
    state: &web::Data<AppState>,
    work: impl FnOnce(&Db, &GiveUp) -> Result<T, DomainError> + Send + 'static,
) -> Result<T, ApiError> {
    let db = state.db.clone();
    let deadline = db.options().deadline();
    let caller = GiveUp::default();
    let worker = caller.clone();
    let run = web::block(move || work(&db, &worker));
    match actix_web::rt::time::timeout(deadline, run).await {
        Ok(done) => done
            .map_err(|e| ApiError::internal(format!("blocking task failed: {e}")))?
            .map_err(ApiError::from),
        Err(_) => {
            let outcome = if caller.give_up() {
                "given up, it will be rolled back"
            } else {
                "its commit was already sent, its outcome is unknown"
            };
            Err(kapi_persistence::db::unavailable(format!(
                "no answer within {} ms ({outcome})",
                deadline.as_millis()
            ))
            .into())
        }
    }
}
