//! Lost races are conflicts, stale `If-Match` is a failed precondition.
//!
//! Every store updates with optimistic locking (`… WHERE version = ?`) and a domain use case
//! answers `precondition.version_mismatch` both when the client's `If-Match` names an old
//! version and when its own write finds that another request changed the record between
//! the read and the write. Without an `If-Match` only the second can happen, and a client
//! that sent no precondition must not get 412 (RFC 9110 §13.1.1): this middleware turns it
//! into 409 `conflict.concurrent_update` (the code serialization failures answer), for
//! every resource at once. With `If-Match` the 412 stays.

use crate::problem::ApiError;
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError};
use kapi_core::DomainError;

/// The code of a stale version (`DomainError::stale`).
pub const VERSION_MISMATCH: &str = "precondition.version_mismatch";

/// The answer to a request without `If-Match` that lost a race.
pub fn lost_race() -> DomainError {
    DomainError::conflict(
        "conflict.concurrent_update",
        "Another change to this record happened at the same time; reload it and try again.",
    )
}

/// The middleware (see the module documentation).
pub async fn lost_race_is_a_conflict(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody, BoxBody>>, Error> {
    let sent_if_match = req.headers().contains_key(header::IF_MATCH);
    let res = next.call(req).await?;
    if sent_if_match || res.status() != StatusCode::PRECONDITION_FAILED {
        return Ok(res.map_into_left_body());
    }
    let stale = res
        .response()
        .error()
        .and_then(|e| e.as_error::<ApiError>())
        .is_some_and(|e| matches!(e, ApiError::Domain(d) if d.code == VERSION_MISMATCH));
    if !stale {
        return Ok(res.map_into_left_body());
    }
    let (req, _) = res.into_parts();
    let answer = ApiError::from(lost_race()).error_response();
    Ok(ServiceResponse::new(req, answer).map_into_right_body())
}
