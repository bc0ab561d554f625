//! Dev-profile helpers, **absent in `prod`**: the notification outbox (read one-time codes)
//! and the clock (cross deadlines over HTTP).

use crate::clock::ClockSetting;
use crate::extract::{JsonBody, QueryParams};
use crate::problem::{ApiResult, Problem};
use crate::state::{read, AppState};
use actix_web::{delete, get, put, web, HttpResponse};
use kapi_core::{DomainError, FieldError};
use kapi_persistence::identity::IdentityRepo;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// Only messages to this normalised mobile number or e-mail address.
    pub recipient: Option<String>,
    /// How many of the newest (1–100, default 20).
    pub limit: Option<i64>,
}

/// A message the system sent (SMS or e-mail).
#[derive(Serialize, ToSchema)]
pub struct OutboxMessage {
    pub id: uuid::Uuid,
    #[schema(example = "sms")]
    pub channel: String,
    #[schema(example = "5321000001")]
    pub recipient: String,
    pub body: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// The newest outbox messages (dev only).
///
/// The newest outbox messages (dev only: lets front-ends and tests finish code flows).
#[utoipa::path(
    operation_id = "list_outbox",
    tag = "dev",
    params(OutboxQuery),
    responses((status = 200, description = "Newest first", body = Vec<OutboxMessage>), (status = 422, description = "Bad query", body = Problem, content_type = "application/problem+json"))
)]
#[get("/dev/outbox")]
pub async fn list_outbox(
    state: web::Data<AppState>,
    q: QueryParams<OutboxQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.0;
    let limit = q.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(DomainError::field(FieldError::new(
            "limit",
            "paging.limit",
            "limit is from 1 to 100.",
        ))
        .into());
    }
    let msgs = read(&state, move |c| {
        IdentityRepo::new(c).recent_messages(q.recipient.as_deref(), limit)
    })
    .await?;
    Ok(HttpResponse::Ok().json(
        msgs.into_iter()
            .map(|m| OutboxMessage {
                id: m.id.as_uuid(),
                channel: m.channel.as_str().into(),
                recipient: m.recipient,
                body: m.body,
                created_at: m.created_at,
            })
            .collect::<Vec<_>>(),
    ))
}

/// The clock handlers use.
#[derive(Serialize, ToSchema)]
pub struct ClockView {
    /// `real`, `fixed` or `offset`.
    #[schema(example = "fixed")]
    pub mode: String,
    #[serde(with = "time::serde::rfc3339")]
    pub now: OffsetDateTime,
    pub offset_seconds: Option<i64>,
}

/// Set the clock: either a fixed instant or an offset from real time.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetClockRequest {
    /// Fixed instant (RFC 3339), e.g. `2026-12-31T21:00:00Z`.
    #[serde(default, with = "time::serde::rfc3339::option")]
    pub at: Option<OffsetDateTime>,
    /// Or: shift real time by this many seconds (negative = past).
    pub offset_seconds: Option<i64>,
}

fn clock_view(state: &AppState) -> ClockView {
    let (mode, offset) = match state.clock.setting() {
        ClockSetting::Real => ("real", None),
        ClockSetting::Fixed(_) => ("fixed", None),
        ClockSetting::Offset(d) => ("offset", Some(d.whole_seconds())),
    };
    ClockView {
        mode: mode.into(),
        now: state.clock.now(),
        offset_seconds: offset,
    }
}

/// Read the clock.
#[utoipa::path(operation_id = "get_clock", tag = "dev", responses((status = 200, description = "The clock", body = ClockView)))]
#[get("/dev/clock")]
pub async fn get_clock(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().json(clock_view(&state))
}

/// Fix or shift the clock (dev only).
#[utoipa::path(
    operation_id = "set_clock",
    tag = "dev",
    request_body = SetClockRequest,
    responses((status = 200, description = "The clock now", body = ClockView), (status = 422, description = "Give exactly one of `at` and `offset_seconds`", body = Problem, content_type = "application/problem+json"))
)]
#[put("/dev/clock")]
pub async fn set_clock(
    state: web::Data<AppState>,
    body: JsonBody<SetClockRequest>,
) -> ApiResult<HttpResponse> {
    let setting = match (body.0.at, body.0.offset_seconds) {
        (Some(at), None) => ClockSetting::Fixed(at),
        (None, Some(s)) if s.unsigned_abs() <= 100 * 365 * 86_400 => {
            ClockSetting::Offset(time::Duration::seconds(s))
        }
        (None, Some(_)) => {
            return Err(DomainError::field(FieldError::new(
                "offset_seconds",
                "clock.offset_out_of_range",
                "At most 100 years either way.",
            ))
            .into())
        }
        _ => {
            return Err(DomainError::field(FieldError::new(
                "at",
                "clock.one_of",
                "Give exactly one of `at` and `offset_seconds`.",
            ))
            .into())
        }
    };
    state.clock.set(setting);
    Ok(HttpResponse::Ok().json(clock_view(&state)))
}

/// Back to real time (dev only).
#[utoipa::path(operation_id = "reset_clock", tag = "dev", responses((status = 200, description = "The clock now", body = ClockView)))]
#[delete("/dev/clock")]
pub async fn reset_clock(state: web::Data<AppState>) -> HttpResponse {
    state.clock.set(ClockSetting::Real);
    HttpResponse::Ok().json(clock_view(&state))
}
