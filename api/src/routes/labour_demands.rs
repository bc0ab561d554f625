//! Labour demands (işgücü istemi) on the employer side: create (quick or detailed), edit,
//! close, cancel, candidate selection (Eleman Seç), the candidate list (Aday Gör) with
//! invitations and results, and the four reports as PDF or Excel. Rules in
//! `kapi_labour_demand`.

use super::labour_demand_dto::*;
use super::mass_layoffs::parse_date;
use super::FileBytes;
use super::{HistoryEntryView, PageQuery, Paged};
use crate::extract::{etag, path_id, Authenticated, IfMatch, JsonBody, QueryParams};
use crate::problem::{ApiResult, Problem};
use crate::state::{read, write, AppState};
use actix_web::http::header;
use actix_web::{get, post, put, web, HttpResponse};
use kapi_core::{
    DemandCandidateId, DomainError, FieldError, HistoryLog, LabourDemandId, PageRequest, Tckn,
    WorkplaceId,
};
use kapi_labour_demand::demand::{DemandInput, LabourDemand};
use kapi_labour_demand::demands::{self as uc, DemandFilter};
use kapi_labour_demand::eligibility::Match;
use kapi_labour_demand::reports::{demand_report, ReportCriteria, ReportKind, ReportTable};
use kapi_persistence::labour_demands::DemandRepo;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A detailed demand (İşgücü İstemi Sihirbazı): every section. The same body edits it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LabourDemandRequest {
    /// One of your employer's workplaces; it never changes after creation.
    pub workplace_id: Uuid,
    #[schema(example = "8344.01")]
    pub occupation_code: String,
    #[schema(example = 2, minimum = 1, maximum = 999)]
    pub worker_count: i64,
    /// Son başvuru tarihi (YYYY-MM-DD): today up to 180 days ahead. Suitability is judged on it.
    #[schema(value_type = String, format = Date, example = "2026-12-31")]
    pub last_application_date: String,
    #[serde(default)]
    pub requirements: RequirementsBody,
    #[serde(default)]
    pub details: DetailsBody,
}

/// The quick form (Yeni İşgücü İstemi): the rest takes defaults (the workplace's address,
/// the occupation's name as position, no requirements beyond the target group).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuickLabourDemandRequest {
    pub workplace_id: Uuid,
    #[schema(example = "8344.01")]
    pub occupation_code: String,
    #[schema(example = 2, minimum = 1, maximum = 999)]
    pub worker_count: i64,
    #[schema(value_type = String, format = Date, example = "2026-12-31")]
    pub last_application_date: String,
    pub target_group: Option<TargetGroupCode>,
    pub work_type: Option<WorkTypeCode>,
    #[schema(example = "Depoda çalışacak operatör")]
    pub description: Option<String>,
}

/// A request's sections before the workplace's defaults are filled in.
struct DemandForm {
    occupation_code: String,
    worker_count: i64,
    last_application_date: time::Date,
    requirements: RequirementsBody,
    details: DetailsBody,
}

impl DemandForm {
    /// The domain input: the work address defaults to the workplace's, the position to the
    /// occupation's name.
    fn into_input(
        self,
        c: &mut kapi_persistence::DbConnection,
        actor: &kapi_core::Actor,
        workplace: WorkplaceId,
    ) -> Result<DemandInput, DomainError> {
        let mut repo = DemandRepo::new(c);
        let address = uc::quick_defaults(&mut repo, actor, workplace)?;
        let occupation = uc::occupation_name(&mut repo, &self.occupation_code)?.unwrap_or_default();
        Ok(DemandInput {
            occupation_code: self.occupation_code,
            worker_count: self.worker_count,
            last_application_date: self.last_application_date,
            requirements: self.requirements.into(),
            details: self.details.into_domain(address, &occupation),
        })
    }
}

impl LabourDemandRequest {
    fn form(self) -> Result<(Uuid, DemandForm), DomainError> {
        let last = parse_date("last_application_date", &self.last_application_date)?;
        Ok((
            self.workplace_id,
            DemandForm {
                occupation_code: self.occupation_code,
                worker_count: self.worker_count,
                last_application_date: last,
                requirements: self.requirements,
                details: self.details,
            },
        ))
    }
}

fn demand_response(mut res: actix_web::HttpResponseBuilder, d: LabourDemand) -> HttpResponse {
    res.insert_header((header::ETAG, etag(d.version)))
        .json(LabourDemandView::from(d))
}

fn created(d: LabourDemand) -> HttpResponse {
    let mut res = HttpResponse::Created();
    res.insert_header((header::LOCATION, format!("/api/v1/labour-demands/{}", d.id)));
    demand_response(res, d)
}

/// Open a labour demand with every section.
///
/// Open a demand with every section (employer user with the labour-demand permission).
#[utoipa::path(
    operation_id = "create_labour_demand",
    tag = "labour-demands",
    security(("bearer" = [])),
    request_body = LabourDemandRequest,
    responses(
        (status = 201, description = "Opened, with its talep no", body = LabourDemandView, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Not an employer user with the labour-demand permission (`labour_demand.permission_missing`, `labour_demand.employers_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid sections, all named at once (`labour_demand.worker_count`, `labour_demand.last_date_past`, `labour_demand.last_date_too_far`, `labour_demand.age_range`, `labour_demand.age_order`, `labour_demand.country_required`, `occupation.unknown`, `workplace.not_found`, …)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/labour-demands")]
pub async fn create_labour_demand(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<LabourDemandRequest>,
) -> ApiResult<HttpResponse> {
    let (workplace, form) = body.0.form()?;
    let workplace = WorkplaceId::from_uuid(workplace);
    let now = state.clock.now();
    let actor = auth.0;
    let d = write(&state, move |c| {
        let input = form.into_input(c, &actor, workplace)?;
        uc::create_demand(&mut DemandRepo::new(c), &actor, workplace, input, now)
    })
    .await?;
    Ok(created(d))
}

/// Open a demand from the quick form.
#[utoipa::path(
    operation_id = "create_quick_labour_demand",
    tag = "labour-demands",
    security(("bearer" = [])),
    request_body = QuickLabourDemandRequest,
    responses(
        (status = 201, description = "Opened, with its talep no", body = LabourDemandView, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Not an employer user with the labour-demand permission", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, all named at once", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/labour-demands/quick")]
pub async fn create_quick_labour_demand(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<QuickLabourDemandRequest>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let last = parse_date("last_application_date", &b.last_application_date)?;
    let now = state.clock.now();
    let actor = auth.0;
    let workplace = WorkplaceId::from_uuid(b.workplace_id);
    let form = DemandForm {
        occupation_code: b.occupation_code,
        worker_count: b.worker_count,
        last_application_date: last,
        requirements: RequirementsBody {
            target_group: b.target_group,
            ..RequirementsBody::default()
        },
        details: DetailsBody {
            work_type: b.work_type,
            description: b.description,
            ..DetailsBody::default()
        },
    };
    let d = write(&state, move |c| {
        let input = form.into_input(c, &actor, workplace)?;
        uc::create_demand(&mut DemandRepo::new(c), &actor, workplace, input, now)
    })
    .await?;
    Ok(created(d))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LabourDemandListQuery {
    pub workplace_id: Option<Uuid>,
    pub status: Option<DemandStatusCode>,
    pub talep_no: Option<i64>,
    #[param(example = "8344.01")]
    pub occupation_code: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Your employer's labour demands, newest first.
///
/// Your employer's demands (İşgücü İstemi İşlemleri), newest talep no first; İŞKUR staff see all.
#[utoipa::path(
    operation_id = "list_labour_demands",
    tag = "labour-demands",
    security(("bearer" = [])),
    params(LabourDemandListQuery),
    responses(
        (status = 200, description = "A page of demands (15 by default)", body = Paged<LabourDemandView>),
        (status = 403, description = "No labour-demand permission", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad filter or paging", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/labour-demands")]
pub async fn list_labour_demands(
    state: web::Data<AppState>,
    auth: Authenticated,
    q: QueryParams<LabourDemandListQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.0;
    let page = PageRequest::new(q.page, q.per_page)?;
    let filter = DemandFilter {
        employer: None,
        workplace: q.workplace_id.map(WorkplaceId::from_uuid),
        status: q.status.map(Into::into),
        talep_no: q.talep_no,
        occupation_code: q.occupation_code,
        province: None,
    };
    let actor = auth.0;
    let p = read(&state, move |c| {
        uc::list_demands(&mut DemandRepo::new(c), &actor, filter, page)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::from_page(p, LabourDemandView::from)))
}

fn demand_id(raw: &str) -> Result<LabourDemandId, crate::problem::ApiError> {
    path_id::<Uuid>(raw, "labour_demand.not_found").map(LabourDemandId::from_uuid)
}

/// One demand (İşgücü İstemi Detayı).
#[utoipa::path(
    operation_id = "get_labour_demand",
    tag = "labour-demands",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Demand id")),
    responses(
        (status = 200, description = "The demand", body = LabourDemandView, headers(("ETag" = String))),
        (status = 403, description = "No labour-demand permission", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such demand, or not yours", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/labour-demands/{id}")]
pub async fn get_labour_demand(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = demand_id(&id)?;
    let actor = auth.0;
    let d = read(&state, move |c| {
        uc::get_demand(&mut DemandRepo::new(c), &actor, id)
    })
    .await?;
    Ok(demand_response(HttpResponse::Ok(), d))
}

/// Edit an active labour demand (`If-Match`).
///
/// Edit an active demand — every section, same body as creation (`If-Match`). The
/// workplace never changes.
#[utoipa::path(
    operation_id = "update_labour_demand",
    tag = "labour-demands",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Demand id"), ("If-Match" = Option<String>, Header, description = "The ETag you read")),
    request_body = LabourDemandRequest,
    responses(
        (status = 200, description = "Saved", body = LabourDemandView, headers(("ETag" = String))),
        (status = 403, description = "No labour-demand permission", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such demand, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not active (`labour_demand.not_active`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid sections (`labour_demand.workplace_immutable`, `labour_demand.worker_count_below_hired`, …; `labour_demand.last_date_past` only for a new last date — a demand kept at its last date stays editable after it)", body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/labour-demands/{id}")]
pub async fn update_labour_demand(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<LabourDemandRequest>,
) -> ApiResult<HttpResponse> {
    let id = demand_id(&id)?;
    let (workplace, form) = body.0.form()?;
    let now = state.clock.now();
    let actor = auth.0;
    let d = write(&state, move |c| {
        let current = uc::demand_to_edit(&mut DemandRepo::new(c), &actor, id)?;
        if current.workplace_id.as_uuid() != workplace {
            return Err(DomainError::field(FieldError::new(
                "workplace_id",
                "labour_demand.workplace_immutable",
                "A demand stays with the workplace that opened it.",
            )));
        }
        let input = form.into_input(c, &actor, current.workplace_id)?;
        uc::update_demand(&mut DemandRepo::new(c), &actor, id, input, if_match.0, now)
    })
    .await?;
    Ok(demand_response(HttpResponse::Ok(), d))
}

/// Closing a demand.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseDemandRequest {
    pub reason: CloseReasonCode,
    /// Required for `other`.
    #[schema(example = "Pozisyon iç kaynaktan dolduruldu.")]
    pub note: Option<String>,
}

/// Cancelling a demand.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct CancelDemandRequest {
    pub note: Option<String>,
}

/// Close an active demand: filled, or another reason with a note (`If-Match`).
#[utoipa::path(
    operation_id = "close_labour_demand",
    tag = "labour-demands",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Demand id"), ("If-Match" = Option<String>, Header, description = "The ETag you read")),
    request_body = CloseDemandRequest,
    responses(
        (status = 200, description = "Closed", body = LabourDemandView, headers(("ETag" = String))),
        (status = 403, description = "No labour-demand permission", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such demand, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not active (`labour_demand.not_active`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A note is needed for `other` (`labour_demand.close_note_required`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/labour-demands/{id}/close")]
pub async fn close_labour_demand(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<CloseDemandRequest>,
) -> ApiResult<HttpResponse> {
    let id = demand_id(&id)?;
    let b = body.0;
    let now = state.clock.now();
    let actor = auth.0;
    let d = write(&state, move |c| {
        uc::close_demand(
            &mut DemandRepo::new(c),
            &actor,
            id,
            b.reason.into(),
            b.note,
            if_match.0,
            now,
        )
    })
    .await?;
    Ok(demand_response(HttpResponse::Ok(), d))
}

/// Cancel an active demand — only while no candidate has been invited (`If-Match`).
#[utoipa::path(
    operation_id = "cancel_labour_demand",
    tag = "labour-demands",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Demand id"), ("If-Match" = Option<String>, Header, description = "The ETag you read")),
    request_body = CancelDemandRequest,
    responses(
        (status = 200, description = "Cancelled", body = LabourDemandView, headers(("ETag" = String))),
        (status = 403, description = "No labour-demand permission", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such demand, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not active, or a candidate was invited (`labour_demand.not_active`, `labour_demand.candidates_invited`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/labour-demands/{id}/cancel")]
pub async fn cancel_labour_demand(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<CancelDemandRequest>,
) -> ApiResult<HttpResponse> {
    let id = demand_id(&id)?;
    let note = body.0.note;
    let now = state.clock.now();
    let actor = auth.0;
    let d = write(&state, move |c| {
        uc::cancel_demand(&mut DemandRepo::new(c), &actor, id, note, if_match.0, now)
    })
    .await?;
    Ok(demand_response(HttpResponse::Ok(), d))
}

/// A demand's history ("İşlem Hareketleri"), oldest first.
#[utoipa::path(
    operation_id = "list_labour_demand_history",
    tag = "labour-demands",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Demand id")),
    responses(
        (status = 200, description = "The history", body = Paged<HistoryEntryView>),
        (status = 403, description = "No labour-demand permission", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such demand, or not yours", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/labour-demands/{id}/history")]
pub async fn labour_demand_history(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = demand_id(&id)?;
    let actor = auth.0;
    let entries = read(&state, move |c| {
        let mut repo = DemandRepo::new(c);
        uc::get_demand(&mut repo, &actor, id)?;
        repo.history("labour_demand", &id.to_string())
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::all(
        entries.into_iter().map(HistoryEntryView::from).collect(),
    )))
}

/// A suitable job seeker (Eleman Seç).
#[derive(Serialize, ToSchema)]
pub struct MatchView {
    #[schema(example = "12345678950")]
    pub tckn: String,
    pub full_name: String,
    /// Whole years on the demand's last application date.
    pub age_on_last_application_date: i32,
    pub education: Option<EducationCode>,
    #[schema(value_type = u8)]
    pub province: kapi_core::ProvinceCode,
    pub district_code: i32,
    /// Higher first: 40 main occupation (20 another listed one), 20 same district, 10 same
    /// province, 5 per language above the level asked, 5 education above the minimum.
    pub score: u32,
}

/// Eleman Seç: job seekers matching the demand.
///
/// Eleman Seç: active job seekers suitable for the demand as of its last application date,
/// not yet on its list, best first (score, then earlier registration).
#[utoipa::path(
    operation_id = "list_labour_demand_matches",
    tag = "labour-demands",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Demand id"), PageQuery),
    responses(
        (status = 200, description = "A page of ranked matches", body = Paged<MatchView>),
        (status = 403, description = "No labour-demand permission", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such demand, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not active", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/labour-demands/{id}/matches")]
pub async fn list_matches(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    q: QueryParams<PageQuery>,
) -> ApiResult<HttpResponse> {
    let id = demand_id(&id)?;
    let page = PageRequest::new(q.0.page, q.0.per_page)?;
    let actor = auth.0;
    let (d, p) = read(&state, move |c| {
        let mut repo = DemandRepo::new(c);
        let d = uc::get_demand(&mut repo, &actor, id)?;
        Ok((d, uc::matches(&mut repo, &actor, id, page)?))
    })
    .await?;
    let on = d.last_application_date;
    Ok(
        HttpResponse::Ok().json(Paged::from_page(p, |m: Match| MatchView {
            tckn: m.seeker.tckn.as_str().into(),
            full_name: m.seeker.full_name(),
            age_on_last_application_date: m.seeker.age_on(on),
            education: m.seeker.education_on(on).map(Into::into),
            province: m.seeker.profile.province,
            district_code: m.seeker.profile.district_code,
            score: m.score,
        })),
    )
}

/// Job seekers to put on the candidate list.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SelectCandidatesRequest {
    /// 1–100 TCKNs of suitable, active job seekers not on the list yet.
    #[schema(example = json!(["12345678950"]))]
    pub tckns: Vec<String>,
}

/// Select job seekers onto the candidate list, all or nothing.
///
/// Select job seekers onto the candidate list — all or nothing; each refusal names the
/// TCKN's position and the unmet criterion (`tckns[0].requirements.min_age`).
#[utoipa::path(
    operation_id = "select_candidates",
    tag = "labour-demands",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Demand id")),
    request_body = SelectCandidatesRequest,
    responses(
        (status = 201, description = "Listed", body = Paged<LabourDemandCandidateView>),
        (status = 403, description = "No labour-demand permission", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such demand, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not active", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unsuitable, unknown or already listed (`eligibility.*`, `job_seeker.not_found`, `candidate.already_listed`, `candidate.selection_size`, `tckn.*`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/labour-demands/{id}/candidates")]
pub async fn select_candidates(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<SelectCandidatesRequest>,
) -> ApiResult<HttpResponse> {
    let id = demand_id(&id)?;
    let mut errors = kapi_core::FieldErrors::new();
    let tckns: Vec<Tckn> = body
        .0
        .tckns
        .iter()
        .enumerate()
        .filter_map(|(i, t)| errors.take(&format!("tckns[{i}]"), Tckn::parse(t)))
        .collect();
    errors.finish()?;
    let now = state.clock.now();
    let actor = auth.0;
    let list = write(&state, move |c| {
        uc::select_candidates(&mut DemandRepo::new(c), &actor, id, &tckns, now)
    })
    .await?;
    Ok(HttpResponse::Created().json(Paged::all(
        list.into_iter()
            .map(LabourDemandCandidateView::from)
            .collect(),
    )))
}

/// Aday Gör: the demand's candidates — applicants and selected — in listing order.
#[utoipa::path(
    operation_id = "list_candidates",
    tag = "labour-demands",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Demand id")),
    responses(
        (status = 200, description = "The whole list", body = Paged<LabourDemandCandidateView>),
        (status = 403, description = "No labour-demand permission", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such demand, or not yours", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/labour-demands/{id}/candidates")]
pub async fn list_candidates(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = demand_id(&id)?;
    let actor = auth.0;
    let (_, list) = read(&state, move |c| {
        uc::list_candidates(&mut DemandRepo::new(c), &actor, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::all(
        list.into_iter()
            .map(LabourDemandCandidateView::from)
            .collect(),
    )))
}

fn candidate_ids(
    p: &(String, String),
) -> Result<(LabourDemandId, DemandCandidateId), crate::problem::ApiError> {
    Ok((
        demand_id(&p.0)?,
        path_id::<Uuid>(&p.1, "candidate.not_found").map(DemandCandidateId::from_uuid)?,
    ))
}

fn candidate_response(c: kapi_labour_demand::candidate::Candidate) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, etag(c.version)))
        .json(LabourDemandCandidateView::from(c))
}

/// An interview invitation.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvitationRequest {
    /// RFC 3339, later than now.
    #[schema(example = "2026-12-01T10:00:00+03:00")]
    pub interview_at: String,
    #[schema(example = "Genel Müdürlük, İK toplantı salonu")]
    pub place: Option<String>,
}

/// Invite a candidate to an interview.
///
/// Invite a candidate to an interview (again: a new time, the earlier answer cleared).
/// From the first invitation on, the demand can no longer be cancelled.
#[utoipa::path(
    operation_id = "invite_candidate",
    tag = "labour-demands",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Demand id"), ("candidate_id" = Uuid, Path, description = "Candidate id"), ("If-Match" = Option<String>, Header, description = "The candidate's ETag")),
    request_body = InvitationRequest,
    responses(
        (status = 200, description = "Invited", body = LabourDemandCandidateView, headers(("ETag" = String))),
        (status = 403, description = "No labour-demand permission", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such demand or candidate, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Demand not active, or the result is recorded (`labour_demand.not_active`, `candidate.result_recorded`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad time (`datetime.format`, `candidate.interview_in_past`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/labour-demands/{id}/candidates/{candidate_id}/invitation")]
pub async fn invite_candidate(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: JsonBody<InvitationRequest>,
) -> ApiResult<HttpResponse> {
    let (id, cid) = candidate_ids(&path)?;
    let b = body.0;
    let at = parse_instant("interview_at", &b.interview_at)?;
    let now = state.clock.now();
    let actor = auth.0;
    let c = write(&state, move |c| {
        uc::invite_candidate(
            &mut DemandRepo::new(c),
            &actor,
            id,
            cid,
            at,
            b.place,
            if_match.0,
            now,
        )
    })
    .await?;
    Ok(candidate_response(c))
}

/// The candidate's answer to the invitation.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LabourDemandAnswerRequest {
    pub answer: AnswerCode,
}

/// Record the candidate's answer to the invitation.
#[utoipa::path(
    operation_id = "answer_invitation",
    tag = "labour-demands",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Demand id"), ("candidate_id" = Uuid, Path, description = "Candidate id"), ("If-Match" = Option<String>, Header, description = "The candidate's ETag")),
    request_body = LabourDemandAnswerRequest,
    responses(
        (status = 200, description = "Recorded", body = LabourDemandCandidateView, headers(("ETag" = String))),
        (status = 403, description = "No labour-demand permission", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such demand or candidate, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not invited, or the result is recorded (`candidate.not_invited`, `candidate.result_recorded`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/labour-demands/{id}/candidates/{candidate_id}/answer")]
pub async fn answer_invitation(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: JsonBody<LabourDemandAnswerRequest>,
) -> ApiResult<HttpResponse> {
    let (id, cid) = candidate_ids(&path)?;
    let answer = body.0.answer.into();
    let now = state.clock.now();
    let actor = auth.0;
    let c = write(&state, move |c| {
        uc::answer_invitation(
            &mut DemandRepo::new(c),
            &actor,
            id,
            cid,
            answer,
            if_match.0,
            now,
        )
    })
    .await?;
    Ok(candidate_response(c))
}

/// The interview result.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LabourDemandResultRequest {
    pub result: ResultCode,
    pub note: Option<String>,
}

/// The interview result with the demand it counts toward.
#[derive(Serialize, ToSchema)]
pub struct ResultRecorded {
    pub candidate: LabourDemandCandidateView,
    /// The demand after the result: a hire that reaches the worker count closes it as filled.
    pub demand: LabourDemandView,
}

/// Record the interview result (from the interview time on; final).
#[utoipa::path(
    operation_id = "record_interview_result",
    tag = "labour-demands",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Demand id"), ("candidate_id" = Uuid, Path, description = "Candidate id"), ("If-Match" = Option<String>, Header, description = "The candidate's ETag")),
    request_body = LabourDemandResultRequest,
    responses(
        (status = 200, description = "Recorded", body = ResultRecorded, headers(("ETag" = String))),
        (status = 403, description = "No labour-demand permission", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such demand or candidate, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not invited, interview time not come, declined, result already recorded, or demand no longer active (`candidate.not_invited`, `candidate.interview_not_held`, `candidate.invitation_declined`, `candidate.result_recorded`, `labour_demand.not_active`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/labour-demands/{id}/candidates/{candidate_id}/result")]
pub async fn record_result(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
    body: JsonBody<LabourDemandResultRequest>,
) -> ApiResult<HttpResponse> {
    let (id, cid) = candidate_ids(&path)?;
    let b = body.0;
    let now = state.clock.now();
    let actor = auth.0;
    let (c, d) = write(&state, move |c| {
        uc::record_result(
            &mut DemandRepo::new(c),
            &actor,
            id,
            cid,
            b.result.into(),
            b.note,
            if_match.0,
            now,
        )
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(c.version)))
        .json(ResultRecorded {
            candidate: c.into(),
            demand: d.into(),
        }))
}

/// Report file format.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    Pdf,
    Xlsx,
}

/// Which report.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportKindCode {
    /// İşgücü İstemi Seçim Listesi.
    Selection,
    /// İşgücü İstemi Gönderme Listesi.
    Referral,
    /// İşgücü İstemi Görüşme Listesi.
    Interview,
    /// İşgücü İstemi Sonuç Listesi.
    Result,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// `pdf` or `xlsx`.
    pub format: ReportFormat,
    pub talep_no: Option<i64>,
    pub workplace_id: Option<Uuid>,
    /// From this Istanbul date (YYYY-MM-DD), on the list's own event date.
    #[param(value_type = Option<String>, format = Date)]
    pub from: Option<String>,
    #[param(value_type = Option<String>, format = Date)]
    pub to: Option<String>,
}

fn render(
    kind: ReportKindCode,
    format: ReportFormat,
    t: ReportTable,
    generated: String,
) -> ApiResult<HttpResponse> {
    let report = kapi_documents::Report {
        title: t.title,
        criteria: t.criteria,
        generated_at: generated,
        columns: t
            .columns
            .into_iter()
            .map(|(header, width)| kapi_documents::Column { header, width })
            .collect(),
        rows: t.rows,
    };
    let slug = match kind {
        ReportKindCode::Selection => "secim-listesi",
        ReportKindCode::Referral => "gonderme-listesi",
        ReportKindCode::Interview => "gorusme-listesi",
        ReportKindCode::Result => "sonuc-listesi",
    };
    let (bytes, media, ext) = match format {
        ReportFormat::Pdf => (
            kapi_documents::to_pdf(&report),
            kapi_documents::PDF_MEDIA_TYPE,
            "pdf",
        ),
        ReportFormat::Xlsx => (
            kapi_documents::to_xlsx(&report),
            kapi_documents::XLSX_MEDIA_TYPE,
            "xlsx",
        ),
    };
    super::download(bytes, media, &format!("isgucu-istemi-{slug}.{ext}"))
}

/// One of the four employer reports, as PDF or Excel.
///
/// One of the four employer reports on your own demands, as PDF or Excel. With no matching
/// record: 404 `report.no_records` "Girdiğiniz kriterlere uygun kayıt bulunamadı", never an
/// empty file. Needs the reports permission.
#[utoipa::path(
    operation_id = "get_labour_demand_report",
    tag = "labour-demands",
    security(("bearer" = [])),
    params(("kind" = ReportKindCode, Path, description = "selection, referral, interview or result"), ReportQuery),
    responses(
        (status = 200, description = "The report file", content(
            (FileBytes = "application/pdf"),
            (FileBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        ), headers(("Content-Disposition" = String))),
        (status = 403, description = "No reports permission (`report.permission_missing`, `report.employers_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No matching record (`report.no_records`) or unknown report", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad criteria (`date.format`, `report.date_order`, `report.too_many_rows`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/labour-demand-reports/{kind}")]
pub async fn get_report(
    state: web::Data<AppState>,
    auth: Authenticated,
    kind: web::Path<String>,
    q: QueryParams<ReportQuery>,
) -> ApiResult<HttpResponse> {
    let kind_code = match kind.as_str() {
        "selection" => ReportKindCode::Selection,
        "referral" => ReportKindCode::Referral,
        "interview" => ReportKindCode::Interview,
        "result" => ReportKindCode::Result,
        _ => {
            return Err(DomainError::not_found(
                "report.unknown",
                "Reports are selection, referral, interview and result.",
            )
            .into())
        }
    };
    let kind = match kind_code {
        ReportKindCode::Selection => ReportKind::Selection,
        ReportKindCode::Referral => ReportKind::Referral,
        ReportKindCode::Interview => ReportKind::Interview,
        ReportKindCode::Result => ReportKind::Result,
    };
    let q = q.0;
    let criteria = ReportCriteria {
        talep_no: q.talep_no,
        workplace_id: q.workplace_id.map(WorkplaceId::from_uuid),
        from: query_date("from", &q.from)?,
        to: query_date("to", &q.to)?,
    };
    let format = q.format;
    let now = state.clock.now();
    let actor = auth.0;
    let table = read(&state, move |c| {
        demand_report(&mut DemandRepo::new(c), &actor, kind, &criteria)
    })
    .await?;
    render(
        kind_code,
        format,
        table,
        kapi_labour_demand::reports::istanbul_time(now),
    )
}
