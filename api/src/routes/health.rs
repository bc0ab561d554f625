//! Liveness and readiness.

use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde::Serialize;
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

/// The process can serve: the database answers.
#[utoipa::path(
    operation_id = "get_readiness",
    tag = "health",
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 503, description = "The database does not answer", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let db = state.db.clone();
    let backend = db.backend().as_str().to_owned();
    let ok = web::block(move || db.ping())
        .await
        .map(|r| r.is_ok())
        .unwrap_or(false);
    if ok {
        Ok(HttpResponse::Ok().json(Health {
            status: "ok".into(),
            database: Some(backend),
        }))
    } else {
        Err(ApiError::http(
            actix_web::http::StatusCode::SERVICE_UNAVAILABLE,
            "health.database_unavailable",
            "The database does not answer.",
        ))
    }
}
