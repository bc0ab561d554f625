//! The kernel's text gate on path segments: a percent-decoded segment holding a control
//! character (`/api/v1/postings/a%00b`) or a bidirectional override is refused with 422
//! `text.control_character` naming the path parameter, before routing, so no handler or
//! database ever sees it. JSON bodies, multipart `data` parts and query strings pass the
//! same gate in their extractors (`crate::extract`).

use crate::problem::ApiError;
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{Error, HttpRequest, ResponseError};
use kapi_core::{DomainError, FieldError};

/// `%XX` escapes decoded (invalid UTF-8 becomes U+FFFD, which is not a control).
pub fn percent_decode(raw: &str) -> String {
    let b = raw.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The name of the path parameter at segment `index` of `pattern` (`/users/{tckn}` → `tckn`),
/// or `path` when the segment is not a parameter or no route matched.
fn parameter_name(pattern: Option<&str>, index: usize) -> String {
    pattern
        .and_then(|p| p.split('/').nth(index))
        .and_then(|seg| seg.strip_prefix('{'))
        .and_then(|seg| seg.strip_suffix('}'))
        .map(|name| name.split(':').next().unwrap_or(name).to_owned())
        .unwrap_or_else(|| "path".to_owned())
}

/// The first path segment the text gate refuses, named by its route parameter.
pub fn refused_path_segment(req: &HttpRequest) -> Option<FieldError> {
    let path = req.path();
    let (index, _) = path
        .split('/')
        .enumerate()
        .find(|(_, seg)| kapi_core::check_line_text("", &percent_decode(seg)).is_err())?;
    let decoded = percent_decode(path.split('/').nth(index).unwrap_or(""));
    let field = parameter_name(req.match_pattern().as_deref(), index);
    kapi_core::check_line_text(&field, &decoded).err()
}

/// The middleware (see the module documentation).
pub async fn refuse_control_characters(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody, BoxBody>>, Error> {
    if let Some(e) = refused_path_segment(req.request()) {
        let res = if req.path().starts_with("/open311/") {
            // Open311 clients get Open311 errors (400 with the code in the description).
            crate::routes::open311::Open311Error::from(DomainError::field(e)).error_response()
        } else {
            ApiError::from(DomainError::field(e)).error_response()
        };
        return Ok(req.into_response(res).map_into_right_body());
    }
    next.call(req).await.map(|r| r.map_into_left_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_escapes() {
        assert_eq!(percent_decode("a%00b"), "a\u{0}b");
        assert_eq!(percent_decode("%E2%80%AEx"), "\u{202E}x");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%4"), "%zz%4");
        assert_eq!(percent_decode("%C4%B0stanbul"), "İstanbul");
    }

    #[test]
    fn names_the_parameter() {
        let p = Some("/api/v1/employers/{id}/users/{tckn}");
        assert_eq!(parameter_name(p, 4), "id");
        assert_eq!(parameter_name(p, 6), "tckn");
        assert_eq!(parameter_name(p, 5), "path");
        assert_eq!(parameter_name(None, 2), "path");
        assert_eq!(parameter_name(Some("/x/{tail:.*}"), 2), "tail");
    }
}
