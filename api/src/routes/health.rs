//! Liveness and readiness.

use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use kapi_core::DomainError;
use kapi_persistence::db::UNAVAILABLE_RETRY_AFTER_SECS;
use serde::Serialize;
use std::time::Duration;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    #[schema(example = "ok")]
    pub status: String,
    /// The database backend (`sqlite` or `postgresql`), on readiness only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
}

/// The process is up.
#[utoipa::path(operation_id = "get_liveness", tag = "health", responses((status = 200, description = "Alive", body = Health)))]
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: "ok".into(),
        database: None,
    })
}

/// How long readiness waits for the database in all: under a second, whatever the
/// configured timeouts, so a probe never hangs on a stopped or frozen database.
pub const READY_BUDGET: Duration = Duration::from_millis(800);
/// Of that, how long it waits for a connection from the pool.
const READY_ACQUIRE: Duration = Duration::from_millis(600);

/// The process can serve: the database answers.
#[utoipa::path(
    operation_id = "get_readiness",
    tag = "health",
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 503, description = "The database does not answer within 0.8 s (`health.database_unavailable`, with `Retry-After`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let db = state.db.clone();
    let backend = db.backend().as_str().to_owned();
    let ping = web::block(move || db.ping_within(READY_ACQUIRE));
    let cause = match actix_web::rt::time::timeout(READY_BUDGET, ping).await {
        Ok(Ok(Ok(()))) => {
            return Ok(HttpResponse::Ok().json(Health {
                status: "ok".into(),
                database: Some(backend),
            }))
        }
        Ok(Ok(Err(e))) => e.message,
        Ok(Err(e)) => format!("blocking task failed: {e}"),
        Err(_) => format!("no answer within {} ms", READY_BUDGET.as_millis()),
    };
    // The cause goes to the log (the request line of a 5xx); the client sees the code.
    let mut e = DomainError::unavailable(cause, UNAVAILABLE_RETRY_AFTER_SECS);
    e.code = "health.database_unavailable".into();
    Err(ApiError::Domain(e))
}
