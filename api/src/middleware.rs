//! Cross-cutting HTTP behaviour: request ids, the access log (identity numbers and phone
//! numbers masked), security headers, and body-size limits per route.

use crate::extract::JSON_LIMIT;
use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage, ResponseError};
use futures_util::StreamExt;
use std::time::Instant;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The request id of the current request (in request extensions).
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

fn acceptable_id(v: &HeaderValue) -> Option<String> {
    let s = v.to_str().ok()?;
    (!s.is_empty()
        && s.len() <= 128
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b)))
    .then(|| s.to_owned())
}

/// Masks every number of ten or more digits (a TCKN or YKN has eleven, a mobile number
/// ten, an SGK number more) but its last two: `/users/10000000146` → `/users/*********46`.
/// Digits inside a word (a UUID's hex group) are left alone. Log lines go through it so
/// that no identity or phone number reaches the log.
pub fn mask_pii(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let in_word = (start > 0 && chars[start - 1].is_ascii_alphabetic())
            || chars.get(i).is_some_and(|c| c.is_ascii_alphabetic());
        let run = i - start;
        if run >= 10 && !in_word {
            out.extend(std::iter::repeat_n('*', run - 2));
            out.extend(&chars[i - 2..i]);
        } else {
            out.extend(&chars[start..i]);
        }
    }
    out
}

/// The Content-Security-Policy of API answers (JSON, problems, files): nothing may load.
pub const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";
/// The Swagger UI's policy: its own scripts and styles (the UI sets inline styles and
/// data: images), the spec from this origin.
pub const SWAGGER_CSP: &str =
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; object-src 'none'";
/// `Strict-Transport-Security` when `KAPI_HSTS` is on: a year, subdomains included.
pub const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Gives every request an id (the caller's `X-Request-Id` when sane, else a new UUIDv7),
/// echoes it on the response, logs one line per request with it (path masked, no query
/// string), logs the cause of every 5xx with it (the body shows no internals), and sets
/// the security headers.
pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = req
        .headers()
        .get(&REQUEST_ID)
        .and_then(acceptable_id)
        .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
    req.extensions_mut().insert(RequestId(id.clone()));
    let hsts = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|s| s.hsts);
    let method = req.method().clone();
    let path = req.path().to_owned();
    let started = Instant::now();
    let mut res = next.call(req).await?;
    let status = res.status();
    let logged_path = mask_pii(&path);
    if status.is_server_error() {
        let cause = res
            .response()
            .error()
            .map(|e| e.to_string())
            .unwrap_or_else(|| "no error recorded".to_owned());
        log::error!(
            "request_id={id} {method} {logged_path} -> {} cause: {}",
            status.as_u16(),
            mask_pii(&cause)
        );
    } else {
        log::info!(
            "request_id={id} {method} {logged_path} -> {} in {:.1} ms",
            status.as_u16(),
            started.elapsed().as_secs_f64() * 1000.0
        );
    }
    let headers = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&id) {
        headers.insert(REQUEST_ID, v);
    }
    headers.insert(
        HeaderName::from_static("x-content-type-options"),
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        HeaderName::from_static("referrer-policy"),
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        HeaderName::from_static("cross-origin-resource-policy"),
        HeaderValue::from_static("same-origin"),
    );
    if hsts {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    if path.starts_with("/swagger-ui") {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(SWAGGER_CSP),
        );
    } else {
        headers.insert(
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("DENY"),
        );
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(API_CSP),
        );
        // Answers carry personal data and tokens: no cache keeps them.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(res)
}

/// Multipart bodies with up to ten files of 10 MB (petitions and their answers, missing
/// work-permit documents), their JSON part and the multipart framing.
pub const MULTI_FILE_LIMIT: usize = kapi_petitions::petition::MAX_FILES
    * kapi_petitions::attachment::MAX_ATTACHMENT_BYTES
    + 2 * JSON_LIMIT;
/// Multipart bodies with one file of 10 MB (the work-permit uploads).
pub const ONE_FILE_LIMIT: usize = kapi_work_permit::documents::MAX_DOCUMENT_BYTES + 2 * JSON_LIMIT;

/// The largest body an operation accepts, by method and route pattern: JSON bodies 64 KiB
/// ([`JSON_LIMIT`]) unless the operation takes files or a whole chart.
pub fn body_limit(method: &Method, pattern: &str) -> usize {
    let p = pattern.strip_prefix("/api/v1").unwrap_or(pattern);
    match (method.as_str(), p) {
        (
            "POST",
            "/petitions"
            | "/petitions/written"
            | "/petitions/{id}/answers"
            | "/work-permits/{id}/missing-documents",
        ) => MULTI_FILE_LIMIT,
        (
            "POST",
            "/work-permits/{id}/files"
            | "/work-permits/{id}/appeal"
            | "/work-permits/{id}/start-of-work"
            | "/work-permits/{id}/document-requests/{no}/upload"
            | "/work-permit-employers/{id}/documents",
        ) => ONE_FILE_LIMIT,
        ("POST", "/workplaces/{id}/workforce-charts") | ("PUT", "/workforce-charts/{id}") => {
            crate::routes::workforce_charts::CHART_LIMIT
        }
        ("POST", "/workplaces/{id}/workforce-charts/personnel-form") => {
            crate::routes::workforce_charts::PERSONNEL_FORM_LIMIT
        }
        _ => JSON_LIMIT,
    }
}

fn too_large<B>(req: ServiceRequest, limit: usize) -> ServiceResponse<EitherBody<B>> {
    let e = ApiError::http(
        StatusCode::PAYLOAD_TOO_LARGE,
        "request.too_large",
        format!(
            "The body is larger than the {limit} bytes {} {} accepts.",
            req.method(),
            req.path()
        ),
    );
    let res = e.error_response();
    req.into_response(res).map_into_right_body()
}

/// Refuses a body larger than its route accepts ([`body_limit`]) with 413
/// `request.too_large` naming the limit: by `Content-Length` before reading anything, and a
/// body without one (chunked) is read up to the limit and no further. The extractors keep
/// their own limits; this one holds for every route, also those that read no body.
pub async fn limit_body(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody, BoxBody>>, Error> {
    let pattern = req
        .resource_map()
        .match_pattern(req.path())
        .unwrap_or_else(|| req.path().to_owned());
    let limit = body_limit(req.method(), &pattern);
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<usize>().ok());
    match declared {
        Some(n) if n > limit => return Ok(too_large(req, limit)),
        Some(_) => {}
        None if req.headers().contains_key(header::TRANSFER_ENCODING) => {
            let mut payload = req.take_payload();
            let mut body = web::BytesMut::new();
            while let Some(chunk) = payload.next().await {
                let Ok(chunk) = chunk else {
                    let e = ApiError::http(
                        StatusCode::BAD_REQUEST,
                        "request.body_unreadable",
                        "The body could not be read.",
                    );
                    let res = e.error_response();
                    return Ok(req.into_response(res).map_into_right_body());
                };
                if body.len() + chunk.len() > limit {
                    return Ok(too_large(req, limit));
                }
                body.extend_from_slice(&chunk);
            }
            req.set_payload(Payload::from(body.freeze()));
        }
        None => {}
    }
    next.call(req).await.map(|r| r.map_into_left_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_identity_and_phone_numbers() {
        assert_eq!(
            mask_pii("/api/v1/employers/0193/users/10000000146"),
            "/api/v1/employers/0193/users/*********46"
        );
        assert_eq!(mask_pii("to 5321000001."), "to ********01.");
        assert_eq!(mask_pii("page 2 of 123456789"), "page 2 of 123456789");
        assert_eq!(mask_pii("Şanlıurfa 63"), "Şanlıurfa 63");
        assert_eq!(mask_pii("+905321000001"), "+**********01");
        assert_eq!(
            mask_pii("019a0000-0000-7000-8000-a00000000001"),
            "019a0000-0000-7000-8000-a00000000001"
        );
    }

    #[test]
    fn upload_routes_have_their_own_limits() {
        assert_eq!(
            body_limit(&Method::POST, "/api/v1/labour-demands"),
            JSON_LIMIT
        );
        assert_eq!(
            body_limit(&Method::POST, "/api/v1/petitions"),
            MULTI_FILE_LIMIT
        );
        assert_eq!(body_limit(&Method::GET, "/api/v1/petitions"), JSON_LIMIT);
        assert_eq!(
            body_limit(&Method::POST, "/api/v1/work-permits/{id}/files"),
            ONE_FILE_LIMIT
        );
    }
}
