//! The one problem mapper: every error leaves as RFC 9457 `application/problem+json`
//! with a stable machine `code`, and for 422 the invalid fields.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use kapi_core::{DomainError, ErrorKind};
use serde::Serialize;
use std::borrow::Cow;
use utoipa::ToSchema;

/// An RFC 9457 problem.
// No schema example: one example would be shown under every status that answers a problem.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Problem {
    /// `urn:kapi:problem:{code}`.
    #[serde(rename = "type")]
    pub type_: String,
    /// The HTTP status phrase.
    pub title: String,
    pub status: u16,
    /// What happened, for people.
    pub detail: String,
    /// Stable machine code (`sector.name_taken`, `auth.token_expired`, …).
    pub code: String,
    /// The invalid fields (422 only).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
}

/// One invalid field.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProblemField {
    /// The field's path in the request (`name`, `declarations[2].date`, query `per_page`).
    pub field: String,
    pub code: String,
    pub message: String,
}

/// Everything a handler can fail with.
#[derive(Debug)]
pub enum ApiError {
    /// A domain decision (or a port failure, as `ErrorKind::Internal` or
    /// `ErrorKind::Unavailable`).
    Domain(DomainError),
    /// A refusal at the HTTP layer: malformed JSON, wrong media type, body too large, …
    Http {
        status: StatusCode,
        code: Cow<'static, str>,
        message: String,
    },
}

impl ApiError {
    pub fn http(
        status: StatusCode,
        code: impl Into<Cow<'static, str>>,
        message: impl Into<String>,
    ) -> Self {
        ApiError::Http {
            status,
            code: code.into(),
            message: message.into(),
        }
    }
    pub fn internal(message: impl Into<String>) -> Self {
        ApiError::Domain(DomainError::internal(message))
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        ApiError::Domain(e)
    }
}

impl From<kapi_core::FieldError> for ApiError {
    fn from(e: kapi_core::FieldError) -> Self {
        ApiError::Domain(DomainError::field(e))
    }
}

impl std::fmt::Display for ApiError {
    /// The full cause, for the log (the response body never shows an internal message).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Domain(e) => write!(f, "{}: {}", e.code, e.message),
            ApiError::Http { code, message, .. } => write!(f, "{code}: {message}"),
        }
    }
}

pub fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
        ErrorKind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
    }
}

impl ApiError {
    pub fn problem(&self) -> Problem {
        let (status, code, detail, errors) = match self {
            ApiError::Domain(e) if e.kind == ErrorKind::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal".to_owned(),
                "An unexpected error occurred. Quote the X-Request-Id of this response when reporting it.".to_owned(),
                Vec::new(),
            ),
            // The cause (hosts, ports, SQL) is for the log only.
            ApiError::Domain(e) if e.kind == ErrorKind::Unavailable => (
                StatusCode::SERVICE_UNAVAILABLE,
                e.code.to_string(),
                format!(
                    "The service cannot reach its database at the moment; retry in {} seconds.",
                    e.retry_after.unwrap_or(1)
                ),
                Vec::new(),
            ),
            ApiError::Domain(e) => (
                status_of(e.kind),
                e.code.to_string(),
                e.message.clone(),
                e.fields
                    .iter()
                    .map(|f| ProblemField { field: f.field.clone(), code: f.code.to_string(), message: f.message.clone() })
                    .collect(),
            ),
            ApiError::Http { status, code, message } => (*status, code.to_string(), message.clone(), Vec::new()),
        };
        Problem {
            type_: format!("urn:kapi:problem:{code}"),
            title: status.canonical_reason().unwrap_or("Error").to_owned(),
            status: status.as_u16(),
            detail,
            code,
            errors,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Domain(e) => status_of(e.kind),
            ApiError::Http { status, .. } => *status,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let problem = self.problem();
        let mut res = HttpResponse::build(self.status_code());
        res.insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        ));
        if let ApiError::Domain(e) = self {
            if e.kind == ErrorKind::Unauthenticated {
                res.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
            }
            if let Some(secs) = e.retry_after {
                res.insert_header((header::RETRY_AFTER, secs.to_string()));
            }
        }
        res.body(serde_json::to_vec(&problem).unwrap_or_default())
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::FutureExt;

    #[test]
    fn internal_errors_show_no_internals() {
        let e = ApiError::internal("database: relation \"citizens\" at 10.0.0.5 failed");
        let p = e.problem();
        assert_eq!((p.status, p.code.as_str()), (500, "internal"));
        assert!(!p.detail.contains("database") && !p.detail.contains("10.0.0.5"));
        assert!(p.detail.contains("X-Request-Id"));
        // The full cause stays for the log line (which masks identity numbers).
        assert!(e.to_string().contains("citizens"));
        let body = String::from_utf8(
            actix_web::body::to_bytes(e.error_response().into_body())
                .now_or_never()
                .unwrap()
                .unwrap()
                .to_vec(),
        )
        .unwrap();
        assert!(!body.contains("10.0.0.5"), "{body}");
    }

    #[test]
    fn an_unreachable_database_is_a_503_with_retry_after_and_no_internals() {
        let e = ApiError::from(DomainError::unavailable(
            "database unavailable: connection to server at \"10.0.0.5\", port 5432 failed",
            5,
        ));
        let p = e.problem();
        assert_eq!((p.status, p.code.as_str()), (503, "service.unavailable"));
        assert!(!p.detail.contains("10.0.0.5"), "{}", p.detail);
        assert!(
            e.to_string().contains("10.0.0.5"),
            "the log keeps the cause"
        );
        let res = e.error_response();
        assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(
            res.headers()
                .get(header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok()),
            Some("5")
        );
    }
}
