//! Application state shared by every worker.

use crate::clock::Clock;
use crate::config::{Config, Profile};
use crate::jwt::JwtKeys;
use crate::problem::ApiError;
use actix_web::web;
use kapi_core::DomainError;
use kapi_identity::otp::OtpPolicy;
use kapi_persistence::{Db, DbConnection};
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
}

impl AppState {
    pub fn new(db: Db, config: &Config, jwt_secret: &str) -> Self {
        Self {
            db,
            clock: Arc::new(Clock::default()),
            jwt: JwtKeys::new(jwt_secret, config.jwt_ttl),
            profile: config.profile,
            otp: OtpPolicy::default(),
            blobs: Arc::new(kapi_persistence::blobs::FsBlobStore::new(&config.data_dir)),
            webhooks_allow_loopback_http: config.webhook_allow_loopback
                || config.profile == Profile::Dev,
        }
    }
}

/// Runs a write use case in one transaction on the blocking pool.
pub async fn write<T: Send + 'static>(
    state: &web::Data<AppState>,
    f: impl FnOnce(&mut DbConnection) -> Result<T, DomainError> + Send + 'static,
) -> Result<T, ApiError> {
    let db = state.db.clone();
    web::block(move || db.write(f))
        .await
        .map_err(|e| ApiError::internal(format!("blocking task failed: {e}")))?
        .map_err(ApiError::from)
}

/// Runs a read in one transaction on the blocking pool.
pub async fn read<T: Send + 'static>(
    state: &web::Data<AppState>,
    f: impl FnOnce(&mut DbConnection) -> Result<T, DomainError> + Send + 'static,
) -> Result<T, ApiError> {
    let db = state.db.clone();
    web::block(move || db.read(f))
        .await
        .map_err(|e| ApiError::internal(format!("blocking task failed: {e}")))?
        .map_err(ApiError::from)
}
