//! Mass-layoff notices (toplu işten çıkarma). Rules in `kapi_mass_layoff`.

use super::{HistoryEntryView, Paged};
use crate::extract::{etag, path_id, Authenticated, IfMatch, JsonBody, QueryParams};
use crate::problem::{ApiResult, Problem};
use crate::state::{read, write, AppState};
use actix_web::http::header;
use actix_web::{get, post, put, web, HttpResponse};
use kapi_core::{Actor, DomainError, HistoryLog, PageRequest, WorkplaceId};
use kapi_mass_layoff::notice::{LayoffDetail, LayoffInput};
use kapi_mass_layoff::usecases::{self as uc, StoredNotice, Warning};
use kapi_persistence::mass_layoffs::MassLayoffRepo;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Dismissed workers at one workplace.
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LayoffDetailBody {
    /// One of the employer's workplaces (head office or branch).
    pub workplace_id: Uuid,
    #[schema(example = 8, minimum = 0, maximum = 100000)]
    pub men: u32,
    #[schema(example = 4, minimum = 0, maximum = 100000)]
    pub women: u32,
}

/// The notice as entered: general information and the per-workplace details. Totals and the
/// notification date are set by the system.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MassLayoffRequest {
    /// The day the workers are dismissed (YYYY-MM-DD).
    #[schema(value_type = String, format = Date, example = "2026-12-31")]
    pub layoff_date: String,
    /// 3–2000 characters.
    #[schema(example = "Siparişlerin azalması nedeniyle üretim hattı kapatılıyor.")]
    pub reason: String,
    pub details: Vec<LayoffDetailBody>,
}

/// Advice with a save; it never blocks the save.
#[derive(Serialize, ToSchema)]
pub struct WarningView {
    /// `below_art29_threshold`, `art29_not_applicable`, `workforce_unknown`, `notice_shorter_than_30_days`.
    #[schema(example = "notice_shorter_than_30_days")]
    pub code: String,
    pub message: String,
    pub workplace_id: Option<Uuid>,
    /// The workplace's month-end headcount from its latest workforce chart.
    pub workforce: Option<u32>,
    pub dismissed: Option<u32>,
    /// Art. 29's minimum for this workplace size.
    pub threshold: Option<u32>,
}

impl From<Warning> for WarningView {
    fn from(w: Warning) -> Self {
        let blank = |code: &str, message: String| WarningView {
            code: code.into(),
            message,
            workplace_id: None,
            workforce: None,
            dismissed: None,
            threshold: None,
        };
        match w {
            Warning::BelowArt29Threshold {
                workplace_id,
                workforce,
                dismissed,
                threshold,
            } => WarningView {
                workplace_id: Some(workplace_id.as_uuid()),
                workforce: Some(workforce),
                dismissed: Some(dismissed),
                threshold: Some(threshold),
                ..blank(
                    "below_art29_threshold",
                    format!("{dismissed} of {workforce} workers is below the {threshold} that Labour Law art. 29 calls a mass layoff."),
                )
            },
            Warning::Art29NotApplicable {
                workplace_id,
                workforce,
            } => WarningView {
                workplace_id: Some(workplace_id.as_uuid()),
                workforce: Some(workforce),
                ..blank(
                    "art29_not_applicable",
                    format!("Art. 29 applies from 20 workers; this workplace has {workforce}."),
                )
            },
            Warning::WorkforceUnknown { workplace_id } => WarningView {
                workplace_id: Some(workplace_id.as_uuid()),
                ..blank(
                    "workforce_unknown",
                    "No workforce chart yet: the workplace's size, and so art. 29, cannot be assessed.".into(),
                )
            },
            Warning::NoticeShorterThan30Days => blank(
                "notice_shorter_than_30_days",
                "Art. 29 wants the notice at least 30 days before the layoff date.".into(),
            ),
        }
    }
}

/// A mass-layoff notice.
#[derive(Serialize, ToSchema)]
pub struct MassLayoffView {
    pub id: Uuid,
    pub employer_id: Uuid,
    /// The Istanbul day of the first save; never changes.
    #[schema(value_type = String, format = Date)]
    pub notification_date: String,
    /// The last day the notice can be changed (one calendar month after notification).
    #[schema(value_type = String, format = Date)]
    pub editable_until: String,
    #[schema(value_type = String, format = Date)]
    pub layoff_date: String,
    pub reason: String,
    pub details: Vec<LayoffDetailBody>,
    /// Computed from the details.
    pub total_men: u32,
    pub total_women: u32,
    pub total: u32,
    /// Also the `ETag`.
    pub version: i64,
}

impl From<StoredNotice> for MassLayoffView {
    fn from(s: StoredNotice) -> Self {
        let n = &s.notice;
        MassLayoffView {
            id: s.id,
            employer_id: s.employer_id.as_uuid(),
            notification_date: n.notification_date.to_string(),
            editable_until: n.editable_until().to_string(),
            layoff_date: n.layoff_date.to_string(),
            reason: n.reason.clone(),
            total_men: n.total_men(),
            total_women: n.total_women(),
            total: n.total(),
            details: n
                .details
                .iter()
                .map(|d| LayoffDetailBody {
                    workplace_id: d.workplace_id.as_uuid(),
                    men: d.men,
                    women: d.women,
                })
                .collect(),
            version: s.version,
        }
    }
}

/// A saved notice with the advice for it.
#[derive(Serialize, ToSchema)]
pub struct MassLayoffSaved {
    pub notice: MassLayoffView,
    pub warnings: Vec<WarningView>,
}

/// Parses a civil date `YYYY-MM-DD`, naming the field.
pub fn parse_date(field: &str, raw: &str) -> Result<Date, DomainError> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(raw.trim(), &format).map_err(|_| {
        DomainError::field(kapi_core::FieldError::new(
            field,
            "date.format",
            "A date is written YYYY-MM-DD.",
        ))
    })
}

fn input(b: MassLayoffRequest) -> Result<LayoffInput, DomainError> {
    let layoff_date = parse_date("layoff_date", &b.layoff_date)?;
    for (i, d) in b.details.iter().enumerate() {
        if d.men > 100_000 || d.women > 100_000 {
            return Err(DomainError::field(kapi_core::FieldError::new(
                format!("details[{i}]"),
                "mass_layoff.count_too_large",
                "At most 100000 per line.",
            )));
        }
    }
    Ok(LayoffInput {
        layoff_date,
        reason: b.reason,
        details: b
            .details
            .into_iter()
            .map(|d| LayoffDetail {
                workplace_id: WorkplaceId::from_uuid(d.workplace_id),
                men: d.men,
                women: d.women,
            })
            .collect(),
    })
}

fn saved(
    mut res: actix_web::HttpResponseBuilder,
    (n, warnings): (StoredNotice, Vec<Warning>),
) -> HttpResponse {
    res.insert_header((header::ETAG, etag(n.version)))
        .json(MassLayoffSaved {
            notice: n.into(),
            warnings: warnings.into_iter().map(WarningView::from).collect(),
        })
}

/// Notify a mass layoff.
///
/// Notify a mass layoff (employer user with the mass-layoff permission). The notification
/// date is today (Istanbul); the answer carries art. 29 advice as warnings.
#[utoipa::path(
    operation_id = "create_mass_layoff",
    tag = "mass-layoffs",
    security(("bearer" = [])),
    request_body = MassLayoffRequest,
    responses(
        (status = 201, description = "Notified, with warnings", body = MassLayoffSaved, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Not an employer user with the mass-layoff permission (`mass_layoff.permission_missing`, `mass_layoff.employers_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`mass_layoff.unknown_workplace`, `mass_layoff.no_details`, `mass_layoff.empty_detail`, `mass_layoff.duplicate_workplace`, `mass_layoff.reason_length`, `date.format`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/mass-layoffs")]
pub async fn create_mass_layoff(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<MassLayoffRequest>,
) -> ApiResult<HttpResponse> {
    let input = input(body.0)?;
    let now = state.clock.now();
    let actor = auth.0;
    let r = write(&state, move |c| {
        uc::create_notice(&mut MassLayoffRepo::new(c, now), &actor, input, now)
    })
    .await?;
    let mut res = HttpResponse::Created();
    res.insert_header((header::LOCATION, format!("/api/v1/mass-layoffs/{}", r.0.id)));
    Ok(saved(res, r))
}

/// Change a mass-layoff notice within one month (`If-Match`).
///
/// Change a notice — details added, changed or removed — within one month of its
/// notification date (`If-Match`). After that it is read-only.
#[utoipa::path(
    operation_id = "update_mass_layoff",
    tag = "mass-layoffs",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Notice id"), ("If-Match" = Option<String>, Header, description = "The ETag you read")),
    request_body = MassLayoffRequest,
    responses(
        (status = 200, description = "Saved, with warnings", body = MassLayoffSaved, headers(("ETag" = String))),
        (status = 403, description = "No mass-layoff permission", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such notice, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "More than one month after notification (`mass_layoff.edit_window_closed`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields", body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/mass-layoffs/{id}")]
pub async fn update_mass_layoff(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<MassLayoffRequest>,
) -> ApiResult<HttpResponse> {
    let id: Uuid = path_id(&id, "mass_layoff.not_found")?;
    let input = input(body.0)?;
    let now = state.clock.now();
    let actor = auth.0;
    let r = write(&state, move |c| {
        uc::revise_notice(
            &mut MassLayoffRepo::new(c, now),
            &actor,
            id,
            input,
            if_match.0,
            now,
        )
    })
    .await?;
    Ok(saved(HttpResponse::Ok(), r))
}

/// One notice: the employer's own, any for İŞKUR staff.
#[utoipa::path(
    operation_id = "get_mass_layoff",
    tag = "mass-layoffs",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Notice id")),
    responses(
        (status = 200, description = "The notice", body = MassLayoffView, headers(("ETag" = String))),
        (status = 403, description = "Not allowed to read it (`mass_layoff.permission_missing`, `mass_layoff.not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such notice, or not yours", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/mass-layoffs/{id}")]
pub async fn get_mass_layoff(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id: Uuid = path_id(&id, "mass_layoff.not_found")?;
    let now = state.clock.now();
    let actor = auth.0;
    let n = read(&state, move |c| {
        uc::get_notice(&mut MassLayoffRepo::new(c, now), &actor, id)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(n.version)))
        .json(MassLayoffView::from(n)))
}

/// A notice's history ("İşlem Hareketleri"), oldest first.
#[utoipa::path(
    operation_id = "list_mass_layoff_history",
    tag = "mass-layoffs",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Notice id")),
    responses(
        (status = 200, description = "The history", body = Paged<HistoryEntryView>),
        (status = 403, description = "Not allowed to read it (`mass_layoff.permission_missing`, `mass_layoff.not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such notice, or not yours", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/mass-layoffs/{id}/history")]
pub async fn mass_layoff_history(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id: Uuid = path_id(&id, "mass_layoff.not_found")?;
    let now = state.clock.now();
    let actor: Actor = auth.0;
    let entries = read(&state, move |c| {
        let mut repo = MassLayoffRepo::new(c, now);
        uc::get_notice(&mut repo, &actor, id)?;
        repo.history("mass_layoff", &id.to_string())
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::all(
        entries.into_iter().map(HistoryEntryView::from).collect(),
    )))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MassLayoffListQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The employer's mass-layoff notices, newest first.
///
/// The employer's notices, newest first; İŞKUR staff see every employer's (the İŞKUR view).
#[utoipa::path(
    operation_id = "list_mass_layoffs",
    tag = "mass-layoffs",
    security(("bearer" = [])),
    params(MassLayoffListQuery),
    responses(
        (status = 200, description = "A page of notices (15 by default)", body = Paged<MassLayoffView>),
        (status = 403, description = "Neither an employer user with the mass-layoff permission nor İŞKUR staff (`mass_layoff.permission_missing`, `mass_layoff.not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad paging", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/mass-layoffs")]
pub async fn list_mass_layoffs(
    state: web::Data<AppState>,
    auth: Authenticated,
    q: QueryParams<MassLayoffListQuery>,
) -> ApiResult<HttpResponse> {
    let page = PageRequest::new(q.0.page, q.0.per_page)?;
    let now = state.clock.now();
    let actor = auth.0;
    let p = read(&state, move |c| {
        uc::list_notices(&mut MassLayoffRepo::new(c, now), &actor, page)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::from_page(p, MassLayoffView::from)))
}
