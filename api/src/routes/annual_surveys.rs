//! The annual survey (genel anket) of a head office. Rules in
//! `kapi_workforce_chart::annual_survey`.

use super::Paged;
use crate::extract::{etag, path_id, Authenticated, IfMatch, JsonBody, QueryParams};
use crate::problem::{ApiResult, Problem};
use crate::routes::workforce_charts::OccupationCount;
use crate::state::{read, write, AppState};
use actix_web::http::header;
use actix_web::{get, post, put, web, HttpResponse};
use kapi_core::{DomainError, FieldError, FieldErrors, PageRequest, SurveyId, WorkplaceId};
use kapi_labour_demand::employer::clean_text;
use kapi_persistence::surveys::SurveyRepo;
use kapi_workforce_chart::annual_survey::{self as uc, Survey, SurveyContent};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// The survey's answers, for the head office and its branches in the province together.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyAnswers {
    /// Last year: average number of workers.
    #[schema(maximum = 1000000)]
    pub previous_year_average_workforce: u32,
    #[schema(maximum = 1000000)]
    pub previous_year_hires: u32,
    #[schema(maximum = 1000000)]
    pub previous_year_leavers: u32,
    /// Next year: expected workforce at year end.
    #[schema(maximum = 1000000)]
    pub expected_workforce_next_year: u32,
    /// Next year's expected hires by occupation.
    #[serde(default)]
    pub expected_hires: Vec<OccupationCount>,
    /// Occupations hard to find staff for, and how many are needed.
    #[serde(default)]
    pub hard_to_fill: Vec<OccupationCount>,
    /// Up to 20, each 2–200 characters.
    #[serde(default)]
    pub training_needs: Vec<String>,
    pub notes: Option<String>,
}

/// File a survey.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSurveyRequest {
    /// This year or last (Istanbul).
    #[schema(example = 2026)]
    pub year: i32,
    pub answers: SurveyAnswers,
}

/// An annual survey.
#[derive(Serialize, ToSchema)]
pub struct SurveyView {
    pub id: Uuid,
    /// The head office that filed it.
    pub workplace_id: Uuid,
    pub employer_id: Uuid,
    pub year: i32,
    /// The head office and its branches in the province it covers.
    pub covered_workplaces: Vec<Uuid>,
    pub answers: SurveyAnswers,
    /// Also the `ETag`.
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const MAX: u32 = 1_000_000;

fn content(a: SurveyAnswers) -> Result<SurveyContent, DomainError> {
    let mut errors = FieldErrors::new();
    for (field, n) in [
        (
            "previous_year_average_workforce",
            a.previous_year_average_workforce,
        ),
        ("previous_year_hires", a.previous_year_hires),
        ("previous_year_leavers", a.previous_year_leavers),
        (
            "expected_workforce_next_year",
            a.expected_workforce_next_year,
        ),
    ] {
        if n > MAX {
            errors.push(FieldError::new(
                format!("answers.{field}"),
                "survey.count_too_large",
                "At most 1000000.",
            ));
        }
    }
    let rows = |list: Vec<OccupationCount>, section: &str, errors: &mut FieldErrors| {
        let mut out = Vec::new();
        for (i, r) in list.into_iter().enumerate() {
            if r.count > MAX {
                errors.push(FieldError::new(
                    format!("answers.{section}[{i}].count"),
                    "survey.count_too_large",
                    "At most 1000000.",
                ));
            }
            if let Some(code) = errors.take(
                &format!("answers.{section}[{i}].occupation_code"),
                kapi_core::OccupationCode::parse(&r.occupation_code).map(|c| c.as_str().to_owned()),
            ) {
                out.push((code, r.count));
            }
        }
        out
    };
    let expected_hires = rows(a.expected_hires, "expected_hires", &mut errors);
    let hard_to_fill = rows(a.hard_to_fill, "hard_to_fill", &mut errors);
    let training_needs = a
        .training_needs
        .iter()
        .enumerate()
        .filter_map(|(i, t)| {
            errors.take(
                &format!("answers.training_needs[{i}]"),
                clean_text("training_needs", t, 2, 200),
            )
        })
        .collect();
    let notes = a
        .notes
        .as_deref()
        .filter(|n| !n.trim().is_empty())
        .and_then(|n| errors.take("answers.notes", clean_text("notes", n, 1, 2000)));
    errors.finish()?;
    Ok(SurveyContent {
        previous_year_average_workforce: a.previous_year_average_workforce,
        previous_year_hires: a.previous_year_hires,
        previous_year_leavers: a.previous_year_leavers,
        expected_workforce_next_year: a.expected_workforce_next_year,
        expected_hires,
        hard_to_fill,
        training_needs,
        notes,
    })
}

fn view(s: Survey) -> SurveyView {
    let c = s.content;
    let counts = |v: Vec<(String, u32)>| {
        v.into_iter()
            .map(|(occupation_code, count)| OccupationCount {
                occupation_code,
                count,
            })
            .collect()
    };
    SurveyView {
        id: s.id.as_uuid(),
        workplace_id: s.workplace_id.as_uuid(),
        employer_id: s.employer_id.as_uuid(),
        year: s.year,
        covered_workplaces: s.covered_workplaces.iter().map(|w| w.as_uuid()).collect(),
        answers: SurveyAnswers {
            previous_year_average_workforce: c.previous_year_average_workforce,
            previous_year_hires: c.previous_year_hires,
            previous_year_leavers: c.previous_year_leavers,
            expected_workforce_next_year: c.expected_workforce_next_year,
            expected_hires: counts(c.expected_hires),
            hard_to_fill: counts(c.hard_to_fill),
            training_needs: c.training_needs,
            notes: c.notes,
        },
        version: s.version,
        created_at: s.created_at,
        updated_at: s.updated_at,
    }
}

fn respond(mut res: actix_web::HttpResponseBuilder, s: Survey) -> HttpResponse {
    res.insert_header((header::ETAG, etag(s.version)))
        .json(view(s))
}

/// File the year's survey for a head office (branches are refused).
#[utoipa::path(
    operation_id = "create_annual_survey",
    tag = "workforce-charts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Head-office workplace id")),
    request_body = CreateSurveyRequest,
    responses(
        (status = 201, description = "Filed", body = SurveyView, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "No workforce-chart permission (`survey.permission_missing`, `survey.employers_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such workplace, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already filed for that year (`survey.exists`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A branch (`survey.branch_refused`), a year other than this or last (`survey.year_out_of_range`), bad answers", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/workplaces/{id}/annual-surveys")]
pub async fn create_annual_survey(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<CreateSurveyRequest>,
) -> ApiResult<HttpResponse> {
    let id: WorkplaceId = path_id(&id, "workplace.not_found")?;
    let b = body.0;
    let answers = content(b.answers)?;
    let now = state.clock.now();
    let actor = auth.0;
    let s = write(&state, move |c| {
        uc::create_survey(&mut SurveyRepo::new(c), &actor, id, b.year, answers, now)
    })
    .await?;
    let mut res = HttpResponse::Created();
    res.insert_header((header::LOCATION, format!("/api/v1/annual-surveys/{}", s.id)));
    Ok(respond(res, s))
}

/// Change a survey of this year or last (`If-Match`).
#[utoipa::path(
    operation_id = "update_annual_survey",
    tag = "workforce-charts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Survey id"), ("If-Match" = Option<String>, Header, description = "The ETag you read")),
    request_body = SurveyAnswers,
    responses(
        (status = 200, description = "Saved", body = SurveyView, headers(("ETag" = String))),
        (status = 403, description = "No workforce-chart permission", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such survey, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An earlier year's survey is read-only (`survey.closed`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad answers", body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/annual-surveys/{id}")]
pub async fn update_annual_survey(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<SurveyAnswers>,
) -> ApiResult<HttpResponse> {
    let id: SurveyId = path_id(&id, "survey.not_found")?;
    let answers = content(body.0)?;
    let now = state.clock.now();
    let actor = auth.0;
    let s = write(&state, move |c| {
        uc::update_survey(
            &mut SurveyRepo::new(c),
            &actor,
            id,
            answers,
            if_match.0,
            now,
        )
    })
    .await?;
    Ok(respond(HttpResponse::Ok(), s))
}

/// One survey.
#[utoipa::path(
    operation_id = "get_annual_survey",
    tag = "workforce-charts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Survey id")),
    responses(
        (status = 200, description = "The survey", body = SurveyView, headers(("ETag" = String))),
        (status = 403, description = "Not allowed to read it (`survey.permission_missing`, `survey.not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such survey, or not yours", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/annual-surveys/{id}")]
pub async fn get_annual_survey(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id: SurveyId = path_id(&id, "survey.not_found")?;
    let actor = auth.0;
    let s = read(&state, move |c| {
        uc::get_survey(&mut SurveyRepo::new(c), &actor, id)
    })
    .await?;
    Ok(respond(HttpResponse::Ok(), s))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SurveyListQuery {
    /// Only this year's surveys.
    pub year: Option<i32>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The employer's surveys, newest year first (all employers' for İŞKUR staff).
#[utoipa::path(
    operation_id = "list_annual_surveys",
    tag = "workforce-charts",
    security(("bearer" = [])),
    params(SurveyListQuery),
    responses(
        (status = 200, description = "A page of surveys (15 by default)", body = Paged<SurveyView>),
        (status = 403, description = "Neither an employer user with the workforce-chart permission nor İŞKUR staff (`survey.permission_missing`, `survey.not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad paging", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/annual-surveys")]
pub async fn list_annual_surveys(
    state: web::Data<AppState>,
    auth: Authenticated,
    q: QueryParams<SurveyListQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.0;
    let page = PageRequest::new(q.page, q.per_page)?;
    let actor = auth.0;
    let p = read(&state, move |c| {
        uc::list_surveys(&mut SurveyRepo::new(c), &actor, q.year, page)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::from_page(p, view)))
}
