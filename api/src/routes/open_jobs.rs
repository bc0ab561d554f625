//! Job seekers (their profile and applications) and the public open-job search (Açık İş
//! İlanları) with the job advert. Rules in `kapi_labour_demand`.

use super::labour_demand_dto::*;
use super::Paged;
use crate::extract::{etag, Authenticated, IfMatch, JsonBody, QueryParams};
use crate::problem::{ApiResult, Problem};
use crate::state::{read, write, AppState};
use actix_web::http::header;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use kapi_core::{DomainError, PageRequest, ProvinceCode};
use kapi_labour_demand::demands as uc;
use kapi_labour_demand::search::{open_job_query, SearchMode, SearchParams};
use kapi_persistence::labour_demands::DemandRepo;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

fn seeker_response(
    mut res: actix_web::HttpResponseBuilder,
    s: kapi_labour_demand::job_seeker::JobSeeker,
) -> HttpResponse {
    res.insert_header((header::ETAG, etag(s.version)))
        .json(JobSeekerView::from(s))
}

/// Your job-seeker profile (citizens).
#[utoipa::path(
    operation_id = "get_my_job_seeker_profile",
    tag = "job-seekers",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your profile", body = JobSeekerView, headers(("ETag" = String))),
        (status = 403, description = "Not a citizen (`job_seeker.citizens_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No profile yet (`job_seeker.not_registered`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/job-seekers/me")]
pub async fn get_my_profile(
    state: web::Data<AppState>,
    auth: Authenticated,
) -> ApiResult<HttpResponse> {
    let actor = auth.0;
    let s = read(&state, move |c| {
        uc::my_profile(&mut DemandRepo::new(c), &actor)
    })
    .await?;
    Ok(seeker_response(HttpResponse::Ok(), s))
}

/// Register as a job seeker, or update your profile.
///
/// Register as a job seeker, or update your profile (`If-Match` on updates). Name and birth
/// date come from the identity registry.
#[utoipa::path(
    operation_id = "save_my_job_seeker_profile",
    tag = "job-seekers",
    security(("bearer" = [])),
    params(("If-Match" = Option<String>, Header, description = "The ETag you read")),
    request_body = JobSeekerProfileBody,
    responses(
        (status = 200, description = "Saved", body = JobSeekerView, headers(("ETag" = String))),
        (status = 403, description = "Not a citizen", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A concurrent change won the race and no `If-Match` was sent (`conflict.concurrent_update`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid sections, all named at once (`job_seeker.*`, `occupation.unknown`, `language.format`, `date.format`, …)", body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/job-seekers/me")]
pub async fn save_my_profile(
    state: web::Data<AppState>,
    auth: Authenticated,
    if_match: IfMatch,
    body: JsonBody<JobSeekerProfileBody>,
) -> ApiResult<HttpResponse> {
    let profile = body.0.into_domain()?;
    let now = state.clock.now();
    let actor = auth.0;
    let s = write(&state, move |c| {
        uc::save_profile(&mut DemandRepo::new(c), &actor, profile, if_match.0, now)
    })
    .await?;
    Ok(seeker_response(HttpResponse::Ok(), s))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MyApplicationsQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Your applications and the demands employers selected you for.
///
/// Your applications and the demands employers selected you for, newest first, with the
/// interview and its result.
#[utoipa::path(
    operation_id = "list_my_job_applications",
    tag = "job-seekers",
    security(("bearer" = [])),
    params(MyApplicationsQuery),
    responses(
        (status = 200, description = "A page of applications", body = Paged<MyApplicationView>),
        (status = 403, description = "Not a citizen", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/job-seekers/me/applications")]
pub async fn list_my_applications(
    state: web::Data<AppState>,
    auth: Authenticated,
    q: QueryParams<MyApplicationsQuery>,
) -> ApiResult<HttpResponse> {
    let page = PageRequest::new(q.0.page, q.0.per_page)?;
    let actor = auth.0;
    let p = read(&state, move |c| {
        uc::my_applications(&mut DemandRepo::new(c), &actor, page)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::from_page(p, MyApplicationView::from)))
}

/// A screen of Açık İş İlanları.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SearchModeCode {
    /// İl ve İlçeye Göre: province + district_code.
    ProvinceDistrict,
    /// İl ve Mesleğe Göre: province + occupation_code.
    ProvinceOccupation,
    /// İl, Meslek ve Kişisel Duruma Göre: province + occupation_code + target_group.
    ProvinceOccupationTarget,
    /// Hızlı Arama: any of target_group, sector, work_location, work_type, province.
    Quick,
    /// Detaylı Arama: the quick ones + occupation_code, field, position, employer_title, district_code.
    Detailed,
    /// Talep Numarasına Göre: talep_no.
    TalepNo,
    /// Anahtar Kelime İle: q.
    Keyword,
}

/// İşyeri türü.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SectorCode {
    Public,
    Private,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct OpenJobQuery {
    /// The screen; it decides which criteria are required and which are accepted.
    pub mode: SearchModeCode,
    #[param(value_type = Option<u8>, example = 6)]
    pub province: Option<ProvinceCode>,
    #[param(example = 6007)]
    pub district_code: Option<i32>,
    #[param(example = "8344.01")]
    pub occupation_code: Option<String>,
    pub target_group: Option<TargetGroupCode>,
    pub sector: Option<SectorCode>,
    pub work_location: Option<WorkLocationCode>,
    pub work_type: Option<WorkTypeCode>,
    /// Part of the field of work (Turkish fold).
    pub field: Option<String>,
    /// Part of the position (Turkish fold).
    pub position: Option<String>,
    /// Part of the employer's title (Turkish fold).
    pub employer_title: Option<String>,
    pub talep_no: Option<i64>,
    /// Keywords: every word must start a word of the advert (Turkish fold).
    #[param(example = "forklift")]
    pub q: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Search open jobs (public).
///
/// Search open jobs (public). Only active demands whose last application date has not
/// passed; newest talep no first; 15 per page.
#[utoipa::path(
    operation_id = "search_open_jobs",
    tag = "open-jobs",
    params(OpenJobQuery),
    responses(
        (status = 200, description = "A page of adverts", body = Paged<OpenJobView>),
        (status = 422, description = "A criterion the mode needs is missing, or one it does not take is given (`search.criterion_required`, `search.criterion_not_in_mode`, `search.district_needs_province`, `search.text_length`, `search.keyword_too_short`, `occupation.format`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many unauthenticated searches from this address (`request.rate_limited`, with Retry-After in seconds)", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the window ends")))
    )
)]
#[get("/open-jobs")]
pub async fn search_open_jobs(
    state: web::Data<AppState>,
    req: HttpRequest,
    q: QueryParams<OpenJobQuery>,
) -> ApiResult<HttpResponse> {
    crate::rate_limit::public_search(&state, &req).await?;
    let q = q.0;
    let page = PageRequest::new(q.page, q.per_page)?;
    let mode = match q.mode {
        SearchModeCode::ProvinceDistrict => SearchMode::ProvinceDistrict,
        SearchModeCode::ProvinceOccupation => SearchMode::ProvinceOccupation,
        SearchModeCode::ProvinceOccupationTarget => SearchMode::ProvinceOccupationTarget,
        SearchModeCode::Quick => SearchMode::Quick,
        SearchModeCode::Detailed => SearchMode::Detailed,
        SearchModeCode::TalepNo => SearchMode::TalepNo,
        SearchModeCode::Keyword => SearchMode::Keyword,
    };
    let query = open_job_query(
        mode,
        &SearchParams {
            province: q.province,
            district_code: q.district_code,
            occupation_code: q.occupation_code,
            target_group: q.target_group.map(Into::into),
            sector: q.sector.map(|s| match s {
                SectorCode::Public => kapi_core::EmployerSector::Public,
                SectorCode::Private => kapi_core::EmployerSector::Private,
            }),
            work_location: q.work_location.map(Into::into),
            work_type: q.work_type.map(Into::into),
            field: q.field,
            position: q.position,
            employer_title: q.employer_title,
            talep_no: q.talep_no,
            q: q.q,
        },
    )?;
    let now = state.clock.now();
    let p = read(&state, move |c| {
        uc::search_open_jobs(&mut DemandRepo::new(c), &query, page, now)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::from_page(p, |d| OpenJobView::from(&d))))
}

pub(crate) fn talep_no(raw: &str) -> Result<i64, DomainError> {
    raw.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
        DomainError::not_found("open_job.not_found", "No open job with this talep number.")
    })
}

/// One open job as the public advert (İş İlanı), by talep no.
#[utoipa::path(
    operation_id = "get_open_job",
    tag = "open-jobs",
    params(("talep_no" = i64, Path, description = "Talep no")),
    responses(
        (status = 200, description = "The advert", body = OpenJobAdvertView),
        (status = 404, description = "No open job with this number: unknown, closed, cancelled or past its last application date (`open_job.not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/open-jobs/{talep_no}")]
pub async fn get_open_job(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let n = talep_no(&path)?;
    let now = state.clock.now();
    let d = read(&state, move |c| {
        uc::open_job(&mut DemandRepo::new(c), n, now)
    })
    .await?;
    Ok(HttpResponse::Ok().json(OpenJobAdvertView {
        summary: OpenJobView::from(&d),
        requirements: d.requirements.into(),
        details: d.details.into(),
    }))
}

/// Apply to an open job (citizens with a job-seeker profile).
///
/// Apply to an open job (citizens with a job-seeker profile). Suitability is judged as of
/// the demand's last application date; a refusal lists every unmet criterion.
#[utoipa::path(
    operation_id = "apply_to_open_job",
    tag = "open-jobs",
    security(("bearer" = [])),
    params(("talep_no" = i64, Path, description = "Talep no")),
    responses(
        (status = 201, description = "On the candidate list", body = MyApplicationView),
        (status = 403, description = "Not a citizen", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such job, or no job-seeker profile (`open_job.not_found`, `job_seeker.not_registered`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Closed or cancelled, past the last application date, profile inactive, or already listed (`labour_demand.not_active`, `labour_demand.deadline_passed`, `job_seeker.inactive`, `candidate.already_listed`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not suitable (`eligibility.not_met` with `eligibility.too_young`, `eligibility.too_old`, `eligibility.education`, `eligibility.licence`, `eligibility.target_group`, `eligibility.language`, `eligibility.military`, `eligibility.province`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/open-jobs/{talep_no}/applications")]
pub async fn apply_to_open_job(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let n = talep_no(&path)?;
    let now = state.clock.now();
    let actor = auth.0;
    let r = write(&state, move |c| {
        uc::apply(&mut DemandRepo::new(c), &actor, n, now)
    })
    .await?;
    Ok(HttpResponse::Created().json(MyApplicationView::from(r)))
}
