//! `Idempotency-Key` on POST: a client that retries a create with the same key and the same
//! body gets the first answer again (with `Idempotent-Replayed: true`) instead of a second
//! record.
//!
//! - Keys are per caller (the token's actor; without a token, the client address), method
//!   and path, and live 24 hours by the app clock.
//! - The same key with another body (or query) is refused: 422 `idempotency_key.reused`.
//! - While the first request runs, a second one with the key gets 409
//!   `idempotency_key.in_flight`; a first request that never finished (a crashed process)
//!   holds the key for at most [`IN_FLIGHT_LEASE`].
//! - Only 2xx answers are stored: after a refusal or an error the key is released, so the
//!   corrected request can be sent with it again.
//! - Not for `/api/v1/auth/*` (logins and codes: an answer holding a token is never stored)
//!   nor `/api/v1/dev/*`; a key sent there is ignored.
//!
//! - An answer that shows a secret once (an integrator's API key, a webhook's signing
//!   secret: the handler marks it with [`shows_secret_once`]) is never stored. In its place
//!   the key keeps a 409 `idempotency_key.secret_shown_once` with the record's `Location`:
//!   a retry creates nothing twice and learns where the record is, and no secret sits in
//!   the idempotency table (documented in docs/decisions.md).
//!
//! The stored answer is written after the handler's own transaction: a process that dies
//! between the two leaves the key in flight until the lease ends, and a retry after that
//! runs again (documented in docs/decisions.md).

use crate::problem::ApiError;
use crate::state::{write, AppState};
use actix_web::body::{to_bytes, BoxBody, EitherBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage, HttpResponse, ResponseError};
use futures_util::StreamExt;
use kapi_core::{Actor, DomainError, FieldError};
use kapi_persistence::idempotency::{self as store, KeyId, StoredKey, StoredResponse};
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

pub const IDEMPOTENCY_KEY: HeaderName = HeaderName::from_static("idempotency-key");
pub const IDEMPOTENT_REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// How long an answer is kept.
pub const KEY_TTL: Duration = Duration::hours(24);
/// How long a first request that has not finished holds its key.
pub const IN_FLIGHT_LEASE: Duration = Duration::minutes(2);
/// Longest key accepted.
pub const MAX_KEY_LEN: usize = 255;

/// The headers of an answer that are stored and replayed with its body.
const REPLAYED_HEADERS: [HeaderName; 4] = [
    header::CONTENT_TYPE,
    header::LOCATION,
    header::ETAG,
    header::CONTENT_DISPOSITION,
];

/// Marks an answer that holds a secret shown only once (in the response's extensions):
/// the idempotency store keeps a refusal in its place, never the body.
#[derive(Debug, Clone, Copy)]
pub struct OneTimeSecret;

/// `res` marked as showing a secret once (see [`OneTimeSecret`]).
pub fn shows_secret_once(mut res: HttpResponse) -> HttpResponse {
    res.extensions_mut().insert(OneTimeSecret);
    res
}

/// What a retry of a request whose answer showed a secret once gets: 409 with the
/// record's `Location`, never the secret.
pub fn secret_shown_once_answer(location: Option<String>) -> StoredResponse {
    let e = ApiError::from(DomainError::conflict(
        "idempotency_key.secret_shown_once",
        "The first request with this Idempotency-Key succeeded (the record is at Location). Its answer held a secret that is shown only once and is not kept: if it was lost, revoke the record and create a new one.",
    ));
    let mut headers = vec![(
        header::CONTENT_TYPE.as_str().to_owned(),
        "application/problem+json".to_owned(),
    )];
    if let Some(l) = location {
        headers.push((header::LOCATION.as_str().to_owned(), l));
    }
    StoredResponse {
        status: StatusCode::CONFLICT.as_u16(),
        headers,
        body: serde_json::to_vec(&e.problem()).unwrap_or_default(),
    }
}

/// Whether POSTs to `path` honour `Idempotency-Key`.
pub fn applies_to(method: &Method, path: &str) -> bool {
    method == Method::POST
        && path.starts_with("/api/v1/")
        && !path.starts_with("/api/v1/auth/")
        && !path.starts_with("/api/v1/dev/")
}

/// A key as sent: 1–255 visible ASCII characters, no spaces (`^[!-~]{1,255}$`; a UUID is
/// the usual choice).
pub fn parse_key(raw: &HeaderValue) -> Result<String, DomainError> {
    let invalid = |message: &str| {
        DomainError::field(FieldError::new(
            "Idempotency-Key",
            "idempotency_key.invalid",
            message.to_owned(),
        ))
    };
    let s = raw
        .to_str()
        .map_err(|_| invalid("Use visible ASCII characters only."))?;
    let trimmed = s.trim();
    if trimmed.is_empty() {
        return Err(invalid("The key is empty."));
    }
    if trimmed.len() > MAX_KEY_LEN {
        return Err(invalid(&format!(
            "The key is longer than {MAX_KEY_LEN} characters."
        )));
    }
    if !trimmed.bytes().all(|b| (0x21..0x7f).contains(&b)) {
        return Err(invalid(
            "Use visible ASCII characters only, without spaces.",
        ));
    }
    Ok(trimmed.to_owned())
}

/// Who the key belongs to, hashed: the actor behind a valid token (an employer user per
/// employer), else the client address.
pub fn scope_hash(actor: Option<&Actor>, client_ip: &str) -> String {
    let scope = match actor {
        Some(a @ Actor::EmployerUser { employer_id, .. }) => {
            format!("{}|{}|{employer_id}", a.kind().as_str(), a.subject())
        }
        Some(a) => format!("{}|{}", a.kind().as_str(), a.subject()),
        None => format!("anonymous|{client_ip}"),
    };
    hex::encode(Sha256::digest(scope.as_bytes()))
}

/// What makes two requests with one key "the same": the query string and the body bytes.
pub fn request_hash(query: &str, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(query.as_bytes());
    h.update(b"\n");
    h.update(body);
    hex::encode(h.finalize())
}

/// What to do with a request, given what is stored for its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// First use (or the old use expired or was abandoned): run it and store the answer.
    Run,
    /// The same request was answered: send that answer again.
    Replay(StoredResponse),
    /// The key was used with another request.
    Reused,
    /// The first request with this key is still running.
    InFlight,
}

/// Decides from the stored key (if any) for a request hashing to `request_hash` at `now`.
pub fn decide(stored: Option<&StoredKey>, request_hash: &str, now: OffsetDateTime) -> Decision {
    let Some(k) = stored.filter(|k| k.expires_at > now) else {
        return Decision::Run;
    };
    if k.request_hash != request_hash {
        return Decision::Reused;
    }
    match &k.response {
        Some(r) => Decision::Replay(r.clone()),
        None if k.in_flight_until.is_some_and(|t| t > now) => Decision::InFlight,
        None => Decision::Run,
    }
}

fn replay(stored: &StoredResponse) -> HttpResponse {
    let mut res = HttpResponse::build(
        StatusCode::from_u16(stored.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
    );
    for (name, value) in &stored.headers {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            res.insert_header((n, v));
        }
    }
    res.insert_header((IDEMPOTENT_REPLAYED, HeaderValue::from_static("true")));
    res.body(stored.body.clone())
}

async fn read_body(req: &mut ServiceRequest) -> Result<web::Bytes, ApiError> {
    let mut payload = req.take_payload();
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| {
            ApiError::http(
                StatusCode::BAD_REQUEST,
                "request.body_unreadable",
                e.to_string(),
            )
        })?;
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// The middleware (see the module documentation). Runs inside the body-size limit, so the
/// body it buffers is bounded by the route's limit.
pub async fn idempotency(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody, BoxBody>>, Error> {
    let Some(raw_key) = req.headers().get(&IDEMPOTENCY_KEY).cloned() else {
        return next.call(req).await.map(|r| r.map_into_left_body());
    };
    if !applies_to(req.method(), req.path()) {
        return next.call(req).await.map(|r| r.map_into_left_body());
    }
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next.call(req).await.map(|r| r.map_into_left_body());
    };
    let refuse = |req: ServiceRequest, e: ApiError| {
        let res = e.error_response();
        Ok(req.into_response(res).map_into_right_body())
    };
    let key = match parse_key(&raw_key) {
        Ok(k) => k,
        Err(e) => return refuse(req, e.into()),
    };
    let now = state.clock.now();
    // The caller: a valid token's actor whose account is still active as stored. A bad
    // token, or one whose account has been deactivated since, is left to the handler (401):
    // a stored answer is never replayed to a caller who has lost access.
    let actor = match crate::extract::bearer_actor(req.request()) {
        Ok(None) => None,
        Ok(Some(_)) => match crate::extract::current_caller(req.request()).await {
            Some(a) => Some(a),
            None => return next.call(req).await.map(|r| r.map_into_left_body()),
        },
        Err(_) => return next.call(req).await.map(|r| r.map_into_left_body()),
    };
    let id = KeyId {
        scope_hash: scope_hash(
            actor.as_ref(),
            &crate::rate_limit::client_ip(req.request(), state.trust_forwarded_for),
        ),
        key,
        method: req.method().as_str().to_owned(),
        path: req.path().to_owned(),
    };
    let body = match read_body(&mut req).await {
        Ok(b) => b,
        Err(e) => return refuse(req, e),
    };
    let hash = request_hash(req.query_string(), &body);
    let decision = {
        let id = id.clone();
        let hash = hash.clone();
        write(&state, move |c| {
            store::lock(c, &id)?;
            let stored = store::find(c, &id)?;
            let decision = decide(stored.as_ref(), &hash, now);
            if decision == Decision::Run {
                store::claim(c, &id, &hash, now, now + KEY_TTL, now + IN_FLIGHT_LEASE)?;
            }
            Ok(decision)
        })
        .await
    };
    let decision = match decision {
        Ok(d) => d,
        Err(e) => return refuse(req, e),
    };
    match decision {
        Decision::Replay(stored) => {
            return Ok(req.into_response(replay(&stored)).map_into_right_body());
        }
        Decision::Reused => {
            return refuse(
                req,
                DomainError::rule(FieldError::new(
                    "Idempotency-Key",
                    "idempotency_key.reused",
                    "This Idempotency-Key was used with another request; send a new key for a new request.",
                ))
                .into(),
            );
        }
        Decision::InFlight => {
            return refuse(
                req,
                DomainError::conflict(
                    "idempotency_key.in_flight",
                    "A request with this Idempotency-Key is still running; retry when it has finished.",
                )
                .into(),
            );
        }
        Decision::Run => {}
    }
    req.set_payload(Payload::from(body));
    let res = next.call(req).await?;
    let status = res.status();
    if !status.is_success() {
        let id2 = id.clone();
        if let Err(e) = write(&state, move |c| store::release(c, &id2)).await {
            log::error!("idempotency: releasing a key after {status} failed: {e}");
        }
        return Ok(res.map_into_left_body());
    }
    let (http_req, res) = res.into_parts();
    if res.extensions().get::<OneTimeSecret>().is_some() {
        // Never store the secret: keep the refusal that points at the record instead.
        let location = res
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let stored = secret_shown_once_answer(location);
        if let Err(e) = write(&state, move |c| store::complete(c, &id, &stored)).await {
            log::error!("idempotency: storing an answer failed: {e}");
        }
        return Ok(ServiceResponse::new(http_req, res).map_into_left_body());
    }
    let (res, body) = res.into_parts();
    let bytes = match to_bytes(body).await {
        Ok(b) => b,
        Err(_) => {
            let id2 = id.clone();
            let _ = write(&state, move |c| store::release(c, &id2)).await;
            let e = ApiError::internal("the response body could not be read for idempotency");
            return Ok(ServiceResponse::new(http_req, e.error_response()).map_into_right_body());
        }
    };
    let headers: Vec<(String, String)> = REPLAYED_HEADERS
        .iter()
        .filter_map(|n| {
            res.headers()
                .get(n)
                .and_then(|v| v.to_str().ok())
                .map(|v| (n.as_str().to_owned(), v.to_owned()))
        })
        .collect();
    let stored = StoredResponse {
        status: status.as_u16(),
        headers,
        body: bytes.to_vec(),
    };
    if let Err(e) = write(&state, move |c| store::complete(c, &id, &stored)).await {
        log::error!("idempotency: storing an answer failed: {e}");
    }
    let res = res.set_body(bytes).map_into_boxed_body();
    Ok(ServiceResponse::new(http_req, res).map_into_right_body())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-12-03 10:00 UTC);

    fn stored(hash: &str, response: Option<StoredResponse>, in_flight: bool) -> StoredKey {
        StoredKey {
            request_hash: hash.into(),
            response,
            expires_at: NOW + Duration::hours(1),
            in_flight_until: in_flight.then_some(NOW + Duration::minutes(1)),
        }
    }

    #[test]
    fn decisions() {
        let answer = StoredResponse {
            status: 201,
            headers: vec![],
            body: b"{}".to_vec(),
        };
        assert_eq!(decide(None, "h", NOW), Decision::Run);
        let done = stored("h", Some(answer.clone()), false);
        assert_eq!(decide(Some(&done), "h", NOW), Decision::Replay(answer));
        assert_eq!(decide(Some(&done), "other", NOW), Decision::Reused);
        // Expired: a new first use, whatever the body.
        assert_eq!(
            decide(Some(&done), "other", NOW + Duration::hours(1)),
            Decision::Run
        );
        let running = stored("h", None, true);
        assert_eq!(decide(Some(&running), "h", NOW), Decision::InFlight);
        assert_eq!(decide(Some(&running), "x", NOW), Decision::Reused);
        // An abandoned first request stops holding the key when its lease ends.
        assert_eq!(
            decide(Some(&running), "h", NOW + Duration::minutes(1)),
            Decision::Run
        );
    }

    #[test]
    fn an_answer_showing_a_secret_is_kept_as_a_refusal() {
        let kept = secret_shown_once_answer(Some("/api/v1/integrators/1".into()));
        assert_eq!(kept.status, 409);
        assert!(kept
            .headers
            .contains(&("location".into(), "/api/v1/integrators/1".into())));
        let body = String::from_utf8(kept.body).unwrap();
        assert!(body.contains("idempotency_key.secret_shown_once"), "{body}");
        let marked = shows_secret_once(HttpResponse::Created().finish());
        assert!(marked.extensions().get::<OneTimeSecret>().is_some());
    }

    #[test]
    fn keys_are_checked() {
        let ok = |s: &str| parse_key(&HeaderValue::from_str(s).unwrap());
        assert_eq!(ok("abc-123").unwrap(), "abc-123");
        assert_eq!(ok(&"k".repeat(255)).unwrap().len(), 255);
        for bad in ["", "   ", "a b", &"k".repeat(256)] {
            let e = ok(bad).unwrap_err();
            assert_eq!(e.fields[0].field, "Idempotency-Key");
            assert_eq!(e.fields[0].code, "idempotency_key.invalid");
        }
        assert!(parse_key(&HeaderValue::from_bytes(b"caf\xc3\xa9").unwrap()).is_err());
    }

    #[test]
    fn only_posts_outside_auth_and_dev() {
        assert!(applies_to(&Method::POST, "/api/v1/labour-demands"));
        assert!(!applies_to(&Method::PUT, "/api/v1/labour-demands/1"));
        assert!(!applies_to(&Method::POST, "/api/v1/auth/staff/login"));
        assert!(!applies_to(&Method::POST, "/api/v1/dev/clock"));
        assert!(!applies_to(&Method::POST, "/health/live"));
    }
}
