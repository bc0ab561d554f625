//! Request extractors: JSON bodies and query strings with field-named errors, the bearer
//! token, `If-Match`, and path ids. Each refuses with a problem, never a 500.

use crate::problem::ApiError;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::future::{ready, LocalBoxFuture, Ready};
use futures_util::StreamExt;
use kapi_core::{Actor, DomainError, FieldError};
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// Largest JSON body accepted (64 KiB); routes that take files have their own limits.
pub const JSON_LIMIT: usize = 64 * 1024;

fn field_error_from_serde(path: &str, err: &str) -> FieldError {
    // serde reports unknown and missing fields in its message; pick the name out.
    let name_in_ticks = || err.split('`').nth(1).map(str::to_owned);
    let join = |parent: &str, name: &str| {
        if parent == "." || parent.is_empty() {
            name.to_owned()
        } else if parent == name || parent.ends_with(&format!(".{name}")) {
            parent.to_owned()
        } else {
            format!("{parent}.{name}")
        }
    };
    if err.starts_with("unknown field") {
        let name = name_in_ticks().unwrap_or_default();
        return FieldError::new(
            join(path, &name),
            "request.unknown_field",
            format!("Unknown field `{name}`."),
        );
    }
    if err.starts_with("missing field") {
        let name = name_in_ticks().unwrap_or_default();
        return FieldError::new(
            join(path, &name),
            "request.missing_field",
            format!("`{name}` is required."),
        );
    }
    let field = if path == "." {
        String::new()
    } else {
        path.to_owned()
    };
    let code = if err.starts_with("invalid type") {
        "request.invalid_type"
    } else {
        "request.invalid_value"
    };
    FieldError::new(
        field,
        code,
        err.split(" at line ").next().unwrap_or(err).to_owned(),
    )
}

/// The first string (value or key) in `v` that the kernel's text gate refuses, reported
/// with its JSON path (`citizen.name`, `lines[2].note`) as the field.
pub(crate) fn refused_text(v: &serde_json::Value, path: &mut String) -> Option<FieldError> {
    use serde_json::Value;
    match v {
        Value::String(s) => kapi_core::check_input_text(path, s).err(),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            let len = path.len();
            path.push_str(&format!("[{i}]"));
            let found = refused_text(item, path);
            path.truncate(len);
            found
        }),
        Value::Object(map) => map.iter().find_map(|(key, item)| {
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            if let Err(e) = kapi_core::check_line_text("", key) {
                // The key itself is refused: name it with its characters escaped.
                path.push_str(&key.escape_default().to_string());
                let e = e.at(path.clone());
                path.truncate(len);
                return Some(e);
            }
            path.push_str(key);
            let found = refused_text(item, path);
            path.truncate(len);
            found
        }),
        _ => None,
    }
}

/// Deserialises JSON with the path of the failing field. Every string in the body, keys
/// included, passes the kernel's text gate first (`kapi_core::check_input_text`): a
/// control character or a bidirectional override is a 422 `text.control_character`
/// naming its path, before any rule or database sees it.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // A body that is not JSON falls through to the typed parse, which reports it (400).
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(bytes) {
        if let Some(e) = refused_text(&value, &mut String::new()) {
            return Err(DomainError::field(e).into());
        }
    }
    let malformed = |e: &serde_json::Error| {
        ApiError::http(
            StatusCode::BAD_REQUEST,
            "request.malformed_json",
            format!("The body is not valid JSON: {e}"),
        )
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(v) => v,
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if inner.is_syntax() || inner.is_eof() {
                return Err(malformed(&inner));
            }
            return Err(
                DomainError::field(field_error_from_serde(&path, &inner.to_string())).into(),
            );
        }
    };
    de.end().map_err(|e| malformed(&e))?;
    Ok(value)
}

fn request_mime(req: &HttpRequest) -> String {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase()
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_owned()
}

/// Reads a body of at most `limit` bytes (413 beyond, also when `Content-Length` says so).
pub(crate) async fn read_limited(
    req: &HttpRequest,
    mut payload: Payload,
    limit: usize,
) -> Result<web::BytesMut, ApiError> {
    let too_large = || {
        ApiError::http(
            StatusCode::PAYLOAD_TOO_LARGE,
            "request.too_large",
            format!("The body is larger than {limit} bytes."),
        )
    };
    let declared_len = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared_len.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError::http(
                StatusCode::BAD_REQUEST,
                "request.body_unreadable",
                e.to_string(),
            )
        })?;
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A JSON request body: `Content-Type: application/json` (else 415), at most `LIMIT`
/// bytes (default [`JSON_LIMIT`], else 413), well-formed (else 400), matching the schema
/// with no unknown fields (else 422 naming the field).
pub struct JsonBody<T, const LIMIT: usize = JSON_LIMIT>(pub T);

impl<T: DeserializeOwned + 'static, const LIMIT: usize> FromRequest for JsonBody<T, LIMIT> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let mime = request_mime(req);
        let req = req.clone();
        let payload = payload.take();
        Box::pin(async move {
            if !(mime == "application/json"
                || (mime.starts_with("application/") && mime.ends_with("+json")))
            {
                return Err(ApiError::http(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "request.unsupported_media_type",
                    "Send the body as application/json.",
                ));
            }
            let body = read_limited(&req, payload, LIMIT).await?;
            parse_json(&body).map(JsonBody)
        })
    }
}

/// A CSV file sent as the body: `Content-Type: text/csv` (else 415), UTF-8 (else 422 on
/// `file`), at most `LIMIT` bytes (else 413).
pub struct CsvBody<const LIMIT: usize>(pub String);

impl<const LIMIT: usize> FromRequest for CsvBody<LIMIT> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let mime = request_mime(req);
        let req = req.clone();
        let payload = payload.take();
        Box::pin(async move {
            if mime != "text/csv" {
                return Err(ApiError::http(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "request.unsupported_media_type",
                    "Send the file as text/csv.",
                ));
            }
            let body = read_limited(&req, payload, LIMIT).await?;
            let text = String::from_utf8(body.to_vec()).map_err(|_| {
                ApiError::from(DomainError::field(FieldError::new(
                    "file",
                    "request.not_utf8",
                    "Save the file as UTF-8 (CSV UTF-8 in Excel).",
                )))
            })?;
            // The kernel's text gate, line by line so the message says where.
            for (i, line) in text.lines().enumerate() {
                if let Err(e) = kapi_core::check_input_text("file", line) {
                    let message = format!("Line {}: {}", i + 1, e.message);
                    return Err(DomainError::field(FieldError::new("file", e.code, message)).into());
                }
            }
            Ok(CsvBody(text))
        })
    }
}

/// A query string, with the failing parameter named in the 422.
pub struct QueryParams<T>(pub T);

impl<T: DeserializeOwned> FromRequest for QueryParams<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // Every parameter, name and value, passes the kernel's one-line text gate.
        for (name, value) in form_urlencoded_parse(req.query_string()) {
            let checked = kapi_core::check_line_text(&name.escape_default().to_string(), &name)
                .and_then(|()| kapi_core::check_line_text(&name, &value));
            if let Err(e) = checked {
                return ready(Err(DomainError::field(e).into()));
            }
        }
        let de = serde_urlencoded::Deserializer::new(form_urlencoded_parse(req.query_string()));
        ready(match serde_path_to_error::deserialize::<_, T>(de) {
            Ok(v) => Ok(QueryParams(v)),
            Err(e) => {
                let path = e.path().to_string();
                let msg = e.into_inner().to_string();
                Err(DomainError::field(field_error_from_serde(&path, &msg)).into())
            }
        })
    }
}

fn form_urlencoded_parse(s: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(s.as_bytes())
}

/// The authenticated caller (Bearer JWT, verified against the app clock).
pub struct Authenticated(pub Actor);

fn bearer(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let s = value.to_str().unwrap_or("");
    match s.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(Some(token.trim().to_owned()))
        }
        _ => Err(DomainError::unauthenticated(
            "auth.invalid_token",
            "The Authorization header must be `Bearer <token>`.",
        )
        .into()),
    }
}

fn actor_of(req: &HttpRequest) -> Result<Option<Actor>, ApiError> {
    let Some(token) = bearer(req)? else {
        return Ok(None);
    };
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::internal("app state missing"))?;
    state
        .jwt
        .verify(&token, state.clock.now())
        .map(Some)
        .map_err(ApiError::from)
}

/// The actor of the request's bearer token, if one was sent (a bad token is an error).
pub(crate) fn bearer_actor(req: &HttpRequest) -> Result<Option<Actor>, ApiError> {
    actor_of(req)
}

/// The caller of a token that verifies now (signature, key, time) and whose account is
/// still active as stored: what middleware that acts before the handler (idempotent
/// replays, the public-search limit) must ask, so that a deactivated account's token buys
/// nothing on its next request. `None` for no token, a bad one, or a revoked account.
pub(crate) async fn current_caller(req: &HttpRequest) -> Option<Actor> {
    let actor = actor_of(req).ok().flatten()?;
    current(req, actor).await.ok()
}

/// A token says who the caller was at login; the account is read again on every request,
/// so whatever can deactivate, lock, move or revoke it applies at once, not when the token
/// expires:
/// - an employer user's permissions, lock and closing date (`kapi_labour_demand::employer`);
/// - a staff account (İŞKUR, Ministry, institution HR, MİA, province and system admins):
///   deactivated → 401 `auth.account_inactive`;
/// - an Açık Kapı officer (Sorumlu / Yetkili): deactivated → 401 `auth.account_inactive`,
///   changed districts or units → the new scope (`kapi_petitions::users`).
///
/// Citizens (e-Devlet, Açık Kapı identity check) have no account here that could be
/// deactivated; e-İzin employer users are citizens whose authorisation is checked by each
/// use case; integrator keys are checked on every request by [`IntegratorAuth`].
pub(crate) async fn current(req: &HttpRequest, actor: Actor) -> Result<Actor, ApiError> {
    let staff = actor.staff_account();
    let employer_user = matches!(actor, Actor::EmployerUser { .. });
    let officer = matches!(actor, Actor::DeskOfficer { .. } | Actor::UnitOfficer { .. });
    if !employer_user && !officer && staff.is_none() {
        return Ok(actor);
    }
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::internal("app state missing"))?;
    if let Some(id) = staff {
        let active = crate::state::read(&state, move |c| {
            kapi_persistence::identity::IdentityRepo::new(c).staff_active(id)
        })
        .await?;
        if !active {
            return Err(DomainError::unauthenticated(
                "auth.account_inactive",
                "This account has been deactivated.",
            )
            .into());
        }
        return Ok(actor);
    }
    if officer {
        return crate::state::read(&state, move |c| {
            kapi_petitions::users::current_actor(
                &mut kapi_persistence::petition_users::PetitionUserRepo::new(c),
                actor,
            )
        })
        .await;
    }
    let now = state.clock.now();
    crate::state::read(&state, move |c| {
        kapi_labour_demand::employer::current_actor(
            &mut kapi_persistence::employers::EmployerRepo::new(c),
            actor,
            now,
        )
    })
    .await
}

impl FromRequest for Authenticated {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let actor = actor_of(req);
        let req = req.clone();
        Box::pin(async move {
            let actor = actor?.ok_or_else(|| {
                ApiError::from(DomainError::unauthenticated(
                    "auth.missing_token",
                    "This needs a Bearer token; log in first.",
                ))
            })?;
            current(&req, actor).await.map(Authenticated)
        })
    }
}

/// The caller if a token was sent (a bad token is still refused).
pub struct MaybeAuthenticated(pub Option<Actor>);

impl FromRequest for MaybeAuthenticated {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let actor = actor_of(req);
        let req = req.clone();
        Box::pin(async move {
            match actor? {
                Some(a) => current(&req, a).await.map(|a| MaybeAuthenticated(Some(a))),
                None => Ok(MaybeAuthenticated(None)),
            }
        })
    }
}

/// The version in `If-Match: "3"` (weak `W/"3"` accepted; `*` or absent means "any").
/// An `If-Match` that names no version of ours can never match: 412.
pub struct IfMatch(pub Option<i64>);

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(v) = req.headers().get(header::IF_MATCH) else {
            return ready(Ok(IfMatch(None)));
        };
        let s = v.to_str().unwrap_or("").trim();
        if s == "*" {
            return ready(Ok(IfMatch(None)));
        }
        let tag = s.strip_prefix("W/").unwrap_or(s).trim_matches('"');
        ready(match tag.parse::<i64>() {
            Ok(n) => Ok(IfMatch(Some(n))),
            Err(_) => Err(DomainError::new(
                kapi_core::ErrorKind::PreconditionFailed,
                "precondition.version_mismatch",
                "If-Match does not name a version of this resource.",
            )
            .into()),
        })
    }
}

/// For `Option<Option<T>>` fields of a partial update: absent → `None` (keep),
/// `null` → `Some(None)` (clear), a value → `Some(Some(v))`. Use with `#[serde(default)]`.
pub fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// The strong ETag of a version: `"3"`.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// Parses a path id; a malformed one is simply not found.
pub fn path_id<T: std::str::FromStr>(raw: &str, code: &'static str) -> Result<T, ApiError> {
    raw.parse::<T>()
        .map_err(|_| DomainError::not_found(code, "No such record.").into())
}

/// Parses an identity number (TCKN, YKN, VKN…) taken from the path or the query: unlike an
/// id, a malformed one is a 422 naming the parameter (`field`) with the kernel's code
/// (`tckn.format`, `tckn.checksum`, …), never a 404.
pub fn path_identity<T>(raw: &str, field: &'static str) -> Result<T, ApiError>
where
    T: std::str::FromStr<Err = FieldError>,
{
    raw.parse::<T>()
        .map_err(|e| DomainError::field(e.at(field)).into())
}

/// The integrator account behind the `X-Api-Key` header (401 without a valid key).
pub struct IntegratorAuth(pub kapi_integrations::Integrator);

/// The `X-Api-Key` header's value, if sent.
fn api_key(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get("x-api-key")
        .map(|v| v.to_str().unwrap_or_default().trim().to_owned())
}

async fn integrator_of(
    req: &HttpRequest,
    key: String,
) -> Result<kapi_integrations::Integrator, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::internal("app state missing"))?;
    crate::state::read(&state, move |c| {
        kapi_integrations::authenticate(
            &mut kapi_persistence::integrations::IntegrationsRepo::new(c),
            &key,
        )
    })
    .await
}

impl FromRequest for IntegratorAuth {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let key = api_key(req);
        let req = req.clone();
        Box::pin(async move {
            let key = key.ok_or_else(|| {
                ApiError::from(DomainError::unauthenticated(
                    "integrator.missing_api_key",
                    "This needs an integrator account's key in the X-Api-Key header.",
                ))
            })?;
            integrator_of(&req, key).await.map(IntegratorAuth)
        })
    }
}

/// The integrator account if `X-Api-Key` was sent (a bad key is still refused).
pub struct MaybeIntegrator(pub Option<kapi_integrations::Integrator>);

impl FromRequest for MaybeIntegrator {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let key = api_key(req);
        let req = req.clone();
        Box::pin(async move {
            match key {
                Some(k) => integrator_of(&req, k)
                    .await
                    .map(|i| MaybeIntegrator(Some(i))),
                None => Ok(MaybeIntegrator(None)),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        inner: Option<Inner>,
    }
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        n: u32,
    }

    fn err(json: &str) -> (u16, String, String) {
        let e = parse_json::<Body>(json.as_bytes()).unwrap_err();
        let p = e.problem();
        (
            p.status,
            p.code,
            p.errors
                .first()
                .map(|f| format!("{}|{}", f.field, f.code))
                .unwrap_or_default(),
        )
    }

    #[test]
    fn classifies_json_errors() {
        assert_eq!(err("{").0, 400);
        assert_eq!(err("{\"name\": \"a\"} x").0, 400);
        assert_eq!(
            err("{}"),
            (
                422,
                "validation.failed".into(),
                "name|request.missing_field".into()
            )
        );
        assert_eq!(
            err("{\"name\":\"a\",\"x\":1}"),
            (
                422,
                "validation.failed".into(),
                "x|request.unknown_field".into()
            )
        );
        assert_eq!(
            err("{\"name\":1}"),
            (
                422,
                "validation.failed".into(),
                "name|request.invalid_type".into()
            )
        );
        assert_eq!(
            err("{\"name\":\"a\",\"inner\":{\"n\":-1}}").2,
            "inner.n|request.invalid_value"
        );
        assert!(parse_json::<Body>(b"{\"name\":\"a\"}").is_ok());
    }
}
