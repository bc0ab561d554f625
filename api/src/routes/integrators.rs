//! Integrators: accounts and API keys (system administrator), change feeds, and webhook
//! subscriptions with their delivery log. Rules in `kapi_integrations`; the outbox is written
//! by the persistence layer in every changing transaction.

use super::{PageQuery, Paged};
use crate::extract::{
    path_id, Authenticated, IntegratorAuth, JsonBody, MaybeAuthenticated, MaybeIntegrator,
    QueryParams,
};
use crate::problem::{ApiResult, Problem};
use crate::state::{read, write, AppState};
use actix_web::http::header;
use actix_web::{delete, get, post, web, HttpResponse};
use kapi_core::{Actor, EmployerId, IntegratorId, PageRequest, WebhookId};
use kapi_integrations::{
    self as integ, Cursor, Delivery, Event, FeedLimit, FeedPage, Integrator, IntegratorInput,
    Reader, Stream, Subscription, SubscriptionInput,
};
use kapi_persistence::integrations::IntegrationsRepo;
use kapi_persistence::work_permit_employers::WorkPermitEmployerRepo;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create_integrator)
        .service(list_integrators)
        .service(get_current_integrator)
        .service(revoke_integrator)
        .service(read_feed)
        .service(read_employer_feed)
        .service(create_webhook)
        .service(list_webhooks)
        .service(get_webhook)
        .service(delete_webhook)
        .service(list_webhook_deliveries);
}

// ---------------------------------------------------------------------------------------
// Accounts

/// An integrator account (the key itself is never shown again).
#[derive(Serialize, ToSchema)]
pub struct IntegratorView {
    pub id: Uuid,
    #[schema(example = "Ankara Büyükşehir Belediyesi — Başkent 153")]
    pub name: String,
    /// The e-İzin employer the account acts for (its work-permit feed and webhooks carry
    /// that employer's applications only); absent for agencies, job boards and city apps.
    pub work_permit_employer_id: Option<Uuid>,
    /// The key's first characters, to tell keys apart.
    #[schema(example = "kapi_3f9a")]
    pub api_key_prefix: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Set once revoked: the key no longer works and its webhooks stop.
    #[serde(with = "time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
}

impl From<Integrator> for IntegratorView {
    fn from(i: Integrator) -> Self {
        IntegratorView {
            id: i.id.as_uuid(),
            name: i.name,
            work_permit_employer_id: i.work_permit_employer.map(|e| e.as_uuid()),
            api_key_prefix: i.key_prefix,
            created_at: i.created_at,
            revoked_at: i.revoked_at,
        }
    }
}

/// A new account with its key: **store the key now**, it is shown only this once.
#[derive(Serialize, ToSchema)]
pub struct IntegratorCreatedView {
    #[serde(flatten)]
    pub integrator: IntegratorView,
    /// Send it as `X-Api-Key` (REST) or `api_key` (Open311).
    #[schema(example = "kapi_3f9a0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f")]
    pub api_key: String,
}

/// Issue an integrator account.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateIntegratorRequest {
    #[schema(
        example = "Ankara Büyükşehir Belediyesi — Başkent 153",
        min_length = 2,
        max_length = 100
    )]
    pub name: String,
    /// Bind the account to this e-İzin employer (an employer's HR system).
    pub work_permit_employer_id: Option<String>,
}

/// Issue an integrator account and its API key (system administrator).
///
/// Issue an integrator account and its API key (system administrator). The key is in this
/// answer only.
#[utoipa::path(
    operation_id = "create_integrator",
    tag = "integrators",
    security(("bearer" = [])),
    request_body = CreateIntegratorRequest,
    responses(
        (status = 201, description = "Created; the key is shown this once", body = IntegratorCreatedView, headers(("Location" = String))),
        (status = 409, description = "A retry with the `Idempotency-Key` of a request that succeeded: the key is not shown again (`idempotency_key.secret_shown_once`, with the account's `Location`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a system administrator (`integrator.forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`text.length` on `name`, `integrator.unknown_employer` on `work_permit_employer_id`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/integrators")]
pub async fn create_integrator(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<CreateIntegratorRequest>,
) -> ApiResult<HttpResponse> {
    let now = state.clock.now();
    let actor = auth.0;
    let input = IntegratorInput {
        name: Some(body.0.name),
        work_permit_employer_id: body.0.work_permit_employer_id,
    };
    let (i, key) = write(&state, move |c| {
        integ::create_integrator(&mut IntegrationsRepo::new(c), &actor, input, now)
    })
    .await?;
    Ok(crate::idempotency::shows_secret_once(
        HttpResponse::Created()
            .insert_header((header::LOCATION, format!("/api/v1/integrators/{}", i.id)))
            .json(IntegratorCreatedView {
                integrator: i.into(),
                api_key: key.expose().to_owned(),
            }),
    ))
}

/// The integrator accounts, newest first (system administrator).
#[utoipa::path(
    operation_id = "list_integrators",
    tag = "integrators",
    security(("bearer" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "A page of accounts", body = Paged<IntegratorView>),
        (status = 403, description = "Not a system administrator (`integrator.forbidden`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/integrators")]
pub async fn list_integrators(
    state: web::Data<AppState>,
    auth: Authenticated,
    q: QueryParams<PageQuery>,
) -> ApiResult<HttpResponse> {
    let page = PageRequest::new(q.0.page, q.0.per_page)?;
    let actor = auth.0;
    let p = read(&state, move |c| {
        integ::list_integrators(&mut IntegrationsRepo::new(c), &actor, page)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::from_page(p, IntegratorView::from)))
}

/// The account the `X-Api-Key` belongs to.
#[utoipa::path(
    operation_id = "get_current_integrator",
    tag = "integrators",
    security(("api_key" = [])),
    responses(
        (status = 200, description = "Your account", body = IntegratorView),
        (status = 401, description = "No or an unknown/revoked key (`integrator.missing_api_key`, `integrator.invalid_api_key`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/integrators/me")]
pub async fn get_current_integrator(auth: IntegratorAuth) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(IntegratorView::from(auth.0)))
}

/// Revoke an integrator account (system administrator).
///
/// Revoke an account (system administrator): its key stops working at once and its
/// webhooks receive nothing more.
#[utoipa::path(
    operation_id = "revoke_integrator",
    tag = "integrators",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Integrator id")),
    responses(
        (status = 200, description = "Revoked (again: no change)", body = IntegratorView),
        (status = 403, description = "Not a system administrator (`integrator.forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account (`integrator.not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[delete("/integrators/{id}")]
pub async fn revoke_integrator(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id: IntegratorId = path_id(&id, "integrator.not_found")?;
    let now = state.clock.now();
    let actor = auth.0;
    let i = write(&state, move |c| {
        integ::revoke_integrator(&mut IntegrationsRepo::new(c), &actor, id, now)
    })
    .await?;
    Ok(HttpResponse::Ok().json(IntegratorView::from(i)))
}

// ---------------------------------------------------------------------------------------
// Feeds

/// A feed: `postings`, `labour-demands`, `work-permits` or `petitions`.
#[derive(Deserialize, ToSchema, Clone, Copy)]
pub enum FeedStream {
    #[serde(rename = "postings")]
    Postings,
    #[serde(rename = "labour-demands")]
    LabourDemands,
    #[serde(rename = "work-permits")]
    WorkPermits,
    #[serde(rename = "petitions")]
    Petitions,
}

/// One change, in the stream's order.
#[derive(Serialize, ToSchema)]
pub struct FeedEventView {
    /// Position in the stream: 1, 2, 3, … without gaps, in commit order.
    #[schema(example = 42)]
    pub seq: i64,
    /// The event's id: the idempotency key webhooks carry too.
    pub id: Uuid,
    /// `<resource_kind>.<kind>`.
    #[serde(rename = "type")]
    #[schema(example = "petition.status_changed")]
    pub event_type: String,
    /// `posting`, `labour_demand`, `work_permit` or `petition`.
    #[schema(example = "petition")]
    pub resource_kind: String,
    pub resource_id: String,
    /// `created` (for a posting: published), `status_changed` or `updated`.
    #[schema(example = "status_changed")]
    pub kind: String,
    /// The status after the change (the resource's own status codes).
    #[schema(example = "closed")]
    pub status: String,
    #[schema(example = "governor_answered")]
    pub previous_status: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
}

impl From<Event> for FeedEventView {
    fn from(e: Event) -> Self {
        FeedEventView {
            seq: e.seq,
            id: e.id.as_uuid(),
            event_type: e.event_type().to_string(),
            resource_kind: e.stream.resource_kind().to_owned(),
            resource_id: e.resource_id,
            kind: e.kind.as_str().to_owned(),
            status: e.status,
            previous_status: e.previous_status,
            occurred_at: e.at,
        }
    }
}

/// One page of a feed.
#[derive(Serialize, ToSchema)]
pub struct FeedPageView {
    #[schema(example = "petitions")]
    pub stream: String,
    pub events: Vec<FeedEventView>,
    /// Send it back as `cursor` for the events after these (the same cursor when there were
    /// none yet). Opaque: keep it, do not compute it.
    #[schema(example = "42")]
    pub next_cursor: String,
    /// True when the page is full: ask again at once.
    pub has_more: bool,
}

impl From<FeedPage> for FeedPageView {
    fn from(p: FeedPage) -> Self {
        FeedPageView {
            stream: p.stream.as_str().to_owned(),
            events: p.events.into_iter().map(FeedEventView::from).collect(),
            next_cursor: p.next_cursor.encode(),
            has_more: p.has_more,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// The `next_cursor` of the previous page; absent or empty to start from the first event.
    pub cursor: Option<String>,
    /// Events per page, 1–1000 (default 100).
    pub limit: Option<i64>,
}

fn reader_of(actor: Option<&Actor>, integrator: Option<&Integrator>) -> Reader {
    if let Some(i) = integrator {
        return Reader::Integrator {
            work_permit_employer: i.work_permit_employer,
        };
    }
    match actor {
        None => Reader::Anonymous,
        Some(Actor::MinistryStaff { .. }) => Reader::WorkPermitStaff,
        Some(Actor::SystemAdmin { .. }) => Reader::Administrator,
        Some(
            Actor::DeskOfficer { .. }
            | Actor::UnitOfficer { .. }
            | Actor::CivilAuthority { .. }
            | Actor::ProvinceAdmin { .. },
        ) => Reader::PetitionStaff,
        Some(_) => Reader::OtherUser,
    }
}

/// A change feed.
///
/// A change feed. Postings (published ones) and labour demands are public; petition
/// statuses need an integrator key or Açık Kapı staff; work-permit statuses need Ministry
/// staff, or an integrator key bound to an e-İzin employer (that employer's applications only).
/// Page with `cursor` = the last `next_cursor`: events come in commit order, so nothing is
/// missed or repeated, whenever and however often the reader stops.
#[utoipa::path(
    operation_id = "read_feed",
    tag = "integrators",
    security((), ("api_key" = []), ("bearer" = [])),
    params(
        ("stream" = FeedStream, Path, description = "postings, labour-demands, work-permits or petitions"),
        FeedQuery
    ),
    responses(
        (status = 200, description = "The events after the cursor", body = FeedPageView),
        (status = 401, description = "This feed needs credentials (`auth.required`), or a bad key/token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not for you (`feed.forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such feed (`feed.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad `cursor` (`feed.invalid_cursor`) or `limit` (`feed.invalid_limit`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/feeds/{stream}")]
pub async fn read_feed(
    state: web::Data<AppState>,
    auth: MaybeAuthenticated,
    integrator: MaybeIntegrator,
    stream: web::Path<String>,
    q: QueryParams<FeedQuery>,
) -> ApiResult<HttpResponse> {
    let stream = Stream::parse(&stream).ok_or_else(|| {
        kapi_core::DomainError::not_found(
            "feed.not_found",
            "Feeds: postings, labour-demands, work-permits, petitions.",
        )
    })?;
    let cursor = Cursor::parse(q.0.cursor.as_deref())?;
    let limit = FeedLimit::parse(q.0.limit)?;
    let reader = reader_of(auth.0.as_ref(), integrator.0.as_ref());
    let page = read(&state, move |c| {
        integ::read_feed(&mut IntegrationsRepo::new(c), reader, stream, cursor, limit)
    })
    .await?;
    Ok(HttpResponse::Ok().json(FeedPageView::from(page)))
}

/// The work-permit feed of one e-İzin employer.
///
/// The work-permit feed of one e-İzin employer, for its owner and authorised users: the
/// status changes of its own applications, in commit order.
#[utoipa::path(
    operation_id = "read_employer_work_permit_feed",
    tag = "integrators",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "e-İzin employer id"), FeedQuery),
    responses(
        (status = 200, description = "The events after the cursor", body = FeedPageView),
        (status = 403, description = "Not a citizen logged in through e-Devlet (`work_permit.citizen_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such employer, or you are not one of its users (`work_permit.employer_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad `cursor` (`feed.invalid_cursor`) or `limit` (`feed.invalid_limit`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/work-permit-employers/{id}/feed")]
pub async fn read_employer_feed(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    q: QueryParams<FeedQuery>,
) -> ApiResult<HttpResponse> {
    let id: EmployerId = path_id(&id, "work_permit.employer_not_found")?;
    let cursor = Cursor::parse(q.0.cursor.as_deref())?;
    let limit = FeedLimit::parse(q.0.limit)?;
    let now = state.clock.now();
    let actor = auth.0;
    let page = read(&state, move |c| {
        kapi_work_permit::employer::my_employer(
            &mut WorkPermitEmployerRepo::new(c, now),
            &actor,
            id,
        )?;
        integ::read_feed(
            &mut IntegrationsRepo::new(c),
            Reader::WorkPermitEmployer(id),
            Stream::WorkPermits,
            cursor,
            limit,
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(FeedPageView::from(page)))
}

// ---------------------------------------------------------------------------------------
// Webhooks

/// A webhook subscription.
#[derive(Serialize, ToSchema)]
pub struct WebhookView {
    pub id: Uuid,
    #[schema(example = "https://hooks.example.com/kapi")]
    pub url: String,
    /// Event types delivered.
    #[schema(example = json!(["petition.created", "petition.status_changed"]))]
    pub events: Vec<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl From<Subscription> for WebhookView {
    fn from(s: Subscription) -> Self {
        WebhookView {
            id: s.id.as_uuid(),
            url: s.url.as_str().to_owned(),
            events: s.events.iter().map(ToString::to_string).collect(),
            created_at: s.created_at,
        }
    }
}

/// A new webhook with its signing secret: **store the secret now**, it is shown only once.
#[derive(Serialize, ToSchema)]
pub struct WebhookCreatedView {
    #[serde(flatten)]
    pub webhook: WebhookView,
    /// Verify each delivery: `Kapi-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
    #[schema(example = "whsec_5d41402abc4b2a76b9719d911017c592e4f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0")]
    pub secret: String,
}

/// Subscribe a URL to event types.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhookRequest {
    /// An `https://` URL (in the `dev` profile also `http://` to 127.0.0.1 or localhost).
    /// Private, link-local and loopback addresses are refused.
    #[schema(example = "https://hooks.example.com/kapi")]
    pub url: String,
    /// Event types: `<posting|labour_demand|work_permit|petition>.<created|status_changed|updated>`.
    /// Work-permit events need an account bound to an e-İzin employer.
    #[schema(example = json!(["petition.created", "petition.status_changed"]))]
    pub events: Vec<String>,
}

/// One event's delivery.
#[derive(Serialize, ToSchema)]
pub struct DeliveryView {
    pub id: Uuid,
    /// The event id, also sent as `Kapi-Event-Id`: deduplicate on it.
    pub event_id: Uuid,
    #[schema(example = "petition.status_changed")]
    pub event_type: String,
    #[schema(example = 42)]
    pub seq: i64,
    pub resource_id: String,
    /// `pending` (waiting for its next attempt), `delivered` (2xx) or `failed` (gave up
    /// after 10 attempts).
    #[schema(example = "delivered")]
    pub status: String,
    #[schema(example = 3)]
    pub attempts: u32,
    /// When the next attempt is due (pending deliveries).
    #[serde(with = "time::serde::rfc3339::option")]
    pub next_attempt_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub last_attempt_at: Option<OffsetDateTime>,
    /// The receiver's last HTTP status.
    #[schema(example = 500)]
    pub last_status_code: Option<u16>,
    #[schema(example = "the receiver answered 500")]
    pub last_error: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub delivered_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl From<Delivery> for DeliveryView {
    fn from(d: Delivery) -> Self {
        let pending = d.status == integ::DeliveryStatus::Pending;
        DeliveryView {
            id: d.id.as_uuid(),
            event_id: d.event.id.as_uuid(),
            event_type: d.event.event_type().to_string(),
            seq: d.event.seq,
            resource_id: d.event.resource_id,
            status: d.status.as_str().to_owned(),
            attempts: d.attempts,
            next_attempt_at: pending.then_some(d.next_attempt_at),
            last_attempt_at: d.last_attempt_at,
            last_status_code: d.last_status_code,
            last_error: d.last_error,
            delivered_at: d.delivered_at,
            created_at: d.created_at,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// `pending`, `delivered` or `failed`.
    pub status: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Register a webhook (integrator key).
///
/// Register a webhook (integrator key). It receives the events written from now on, each
/// POSTed as JSON with `Kapi-Event-Id`, `Kapi-Event-Type`, `Kapi-Delivery-Id` and
/// `Kapi-Signature`, retried with exponential back-off (10 s, 20 s, 40 s, … up to 10
/// attempts) until it answers 2xx. At least once: deduplicate on the event id.
#[utoipa::path(
    operation_id = "create_webhook",
    tag = "integrators",
    security(("api_key" = [])),
    request_body = CreateWebhookRequest,
    responses(
        (status = 201, description = "Registered; the secret is shown this once", body = WebhookCreatedView, headers(("Location" = String))),
        (status = 409, description = "A retry with the `Idempotency-Key` of a request that succeeded: the secret is not shown again (`idempotency_key.secret_shown_once`, with the webhook's `Location`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`webhook.url`, `webhook.events`, `webhook.unknown_event`, `webhook.event_not_allowed`, `webhook.duplicate_event` naming `events[i]`; `webhook.too_many`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/webhooks")]
pub async fn create_webhook(
    state: web::Data<AppState>,
    auth: IntegratorAuth,
    body: JsonBody<CreateWebhookRequest>,
) -> ApiResult<HttpResponse> {
    let now = state.clock.now();
    let allow_loopback = state.webhooks_allow_loopback_http;
    let integrator = auth.0;
    let input = SubscriptionInput {
        url: Some(body.0.url),
        events: Some(body.0.events),
    };
    let s = write(&state, move |c| {
        integ::create_subscription(
            &mut IntegrationsRepo::new(c),
            &integrator,
            input,
            allow_loopback,
            now,
        )
    })
    .await?;
    let secret = s.secret.clone();
    Ok(crate::idempotency::shows_secret_once(
        HttpResponse::Created()
            .insert_header((header::LOCATION, format!("/api/v1/webhooks/{}", s.id)))
            .json(WebhookCreatedView {
                webhook: s.into(),
                secret,
            }),
    ))
}

/// Your webhooks (integrator key).
#[utoipa::path(
    operation_id = "list_webhooks",
    tag = "integrators",
    security(("api_key" = [])),
    responses((status = 200, description = "Your webhooks, oldest first", body = Vec<WebhookView>))
)]
#[get("/webhooks")]
pub async fn list_webhooks(
    state: web::Data<AppState>,
    auth: IntegratorAuth,
) -> ApiResult<HttpResponse> {
    let id = auth.0.id;
    let subs = read(&state, move |c| {
        use kapi_integrations::WebhookStore;
        IntegrationsRepo::new(c).subscriptions_of(id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(subs.into_iter().map(WebhookView::from).collect::<Vec<_>>()))
}

fn webhook_id(raw: &str) -> ApiResult<WebhookId> {
    path_id(raw, "webhook.not_found")
}

/// One of your webhooks (integrator key); another account's is 404.
#[utoipa::path(
    operation_id = "get_webhook",
    tag = "integrators",
    security(("api_key" = [])),
    params(("id" = Uuid, Path, description = "Webhook id")),
    responses(
        (status = 200, description = "The webhook", body = WebhookView),
        (status = 404, description = "No such webhook of yours (`webhook.not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/webhooks/{id}")]
pub async fn get_webhook(
    state: web::Data<AppState>,
    auth: IntegratorAuth,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = webhook_id(&id)?;
    let integrator = auth.0;
    let s = read(&state, move |c| {
        integ::own_subscription(&mut IntegrationsRepo::new(c), &integrator, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(WebhookView::from(s)))
}

/// Remove one of your webhooks (integrator key).
///
/// Remove one of your webhooks (integrator key): nothing more is sent to it, including
/// deliveries still waiting for a retry.
#[utoipa::path(
    operation_id = "delete_webhook",
    tag = "integrators",
    security(("api_key" = [])),
    params(("id" = Uuid, Path, description = "Webhook id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such webhook of yours (`webhook.not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[delete("/webhooks/{id}")]
pub async fn delete_webhook(
    state: web::Data<AppState>,
    auth: IntegratorAuth,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = webhook_id(&id)?;
    let now = state.clock.now();
    let integrator = auth.0;
    write(&state, move |c| {
        integ::delete_subscription(&mut IntegrationsRepo::new(c), &integrator, id, now)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A webhook's delivery log, newest first (integrator key).
///
/// A webhook's delivery log, newest first (integrator key): each event's status, attempts,
/// the receiver's last answer and the next attempt.
#[utoipa::path(
    operation_id = "list_webhook_deliveries",
    tag = "integrators",
    security(("api_key" = [])),
    params(("id" = Uuid, Path, description = "Webhook id"), DeliveryQuery),
    responses(
        (status = 200, description = "A page of deliveries", body = Paged<DeliveryView>),
        (status = 404, description = "No such webhook of yours (`webhook.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad `status` (`webhook.delivery_status`) or paging", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/webhooks/{id}/deliveries")]
pub async fn list_webhook_deliveries(
    state: web::Data<AppState>,
    auth: IntegratorAuth,
    id: web::Path<String>,
    q: QueryParams<DeliveryQuery>,
) -> ApiResult<HttpResponse> {
    let id = webhook_id(&id)?;
    let q = q.0;
    let page = PageRequest::new(q.page, q.per_page)?;
    let integrator = auth.0;
    let p = read(&state, move |c| {
        integ::delivery_log(
            &mut IntegrationsRepo::new(c),
            &integrator,
            id,
            q.status.as_deref(),
            page,
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::from_page(p, DeliveryView::from)))
}
