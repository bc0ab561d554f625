//! Kariyer Kapısı institutions (kurumlar): the public list behind the postings filter, and
//! the operator's onboarding — create an institution, open, deactivate and reactivate its
//! HR accounts, read its history. Rules in `kapi_postings::institutions`.

use super::Paged;
use crate::extract::{path_id, Authenticated, JsonBody, QueryParams};
use crate::problem::{ApiResult, Problem};
use crate::state::{read, write, AppState};
use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use kapi_core::{FieldErrors, HistoryEntry, InstitutionId, PageRequest, StaffAccountId};
use kapi_persistence::institutions::InstitutionRepo;
use kapi_postings::institutions::{
    self as uc, DetsisNo, DisplayName, HrAccount, Institution, InstitutionDetail, InstitutionName,
    NewHrAccount, NewInstitution, NewPassword, StaffUsername,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

/// An institution in the public list.
#[derive(Serialize, ToSchema)]
pub struct InstitutionSummaryView {
    /// Use it as `institution_id` in `GET /api/v1/postings`.
    pub id: uuid::Uuid,
    #[schema(example = "Hazine ve Maliye Bakanlığı")]
    pub name: String,
    /// DETSİS number (8 digits), when known.
    #[schema(example = "30001370")]
    pub detsis_no: Option<String>,
}

impl From<Institution> for InstitutionSummaryView {
    fn from(i: Institution) -> Self {
        InstitutionSummaryView {
            id: i.id.as_uuid(),
            name: i.name.as_str().to_owned(),
            detsis_no: i.detsis_no.map(|d| d.as_str().to_owned()),
        }
    }
}

/// An institution as its administrator sees it.
#[derive(Serialize, ToSchema)]
pub struct InstitutionView {
    pub id: uuid::Uuid,
    #[schema(example = "Hazine ve Maliye Bakanlığı")]
    pub name: String,
    #[schema(example = "30001370")]
    pub detsis_no: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl From<Institution> for InstitutionView {
    fn from(i: Institution) -> Self {
        InstitutionView {
            id: i.id.as_uuid(),
            name: i.name.as_str().to_owned(),
            detsis_no: i.detsis_no.map(|d| d.as_str().to_owned()),
            created_at: i.created_at,
        }
    }
}

/// An institution's HR account (role `institution_hr`): it logs in at
/// `POST /api/v1/auth/staff/login` and acts as the institution.
#[derive(Serialize, ToSchema)]
pub struct HrAccountView {
    pub id: uuid::Uuid,
    #[schema(example = "hazine.ik")]
    pub username: String,
    #[schema(example = "Hazine İnsan Kaynakları")]
    pub display_name: String,
    pub institution_id: uuid::Uuid,
    /// An inactive account cannot log in.
    #[schema(example = true)]
    pub active: bool,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl From<HrAccount> for HrAccountView {
    fn from(a: HrAccount) -> Self {
        HrAccountView {
            id: a.id.as_uuid(),
            username: a.username,
            display_name: a.display_name,
            institution_id: a.institution_id.as_uuid(),
            active: a.active,
            created_at: a.created_at,
        }
    }
}

/// An institution with its HR accounts.
#[derive(Serialize, ToSchema)]
pub struct InstitutionDetailView {
    pub id: uuid::Uuid,
    #[schema(example = "Hazine ve Maliye Bakanlığı")]
    pub name: String,
    #[schema(example = "30001370")]
    pub detsis_no: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    /// Oldest first.
    pub hr_accounts: Vec<HrAccountView>,
}

impl From<InstitutionDetail> for InstitutionDetailView {
    fn from(d: InstitutionDetail) -> Self {
        let i = InstitutionView::from(d.institution);
        InstitutionDetailView {
            id: i.id,
            name: i.name,
            detsis_no: i.detsis_no,
            created_at: i.created_at,
            hr_accounts: d.hr_accounts.into_iter().map(HrAccountView::from).collect(),
        }
    }
}

/// One line of an institution's history: the institution's own changes and its HR
/// accounts' (`resource_kind` tells which).
#[derive(Serialize, ToSchema)]
pub struct InstitutionHistoryEntryView {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Who did it.
    #[schema(example = "system_admin:019a…")]
    pub actor: String,
    /// `institution` or `staff_account`.
    #[schema(example = "staff_account")]
    pub resource_kind: String,
    /// The institution's or the account's id.
    pub resource_id: String,
    #[schema(example = "active")]
    pub from_state: Option<String>,
    #[schema(example = "inactive")]
    pub to_state: String,
    #[schema(example = "Hesap Pasifleştirildi: hazine.ik")]
    pub note: Option<String>,
}

impl From<HistoryEntry> for InstitutionHistoryEntryView {
    fn from(e: HistoryEntry) -> Self {
        InstitutionHistoryEntryView {
            at: e.at,
            actor: e.actor,
            resource_kind: e.resource_kind,
            resource_id: e.resource_id,
            from_state: e.from_state,
            to_state: e.to_state,
            note: e.note,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct InstitutionListQuery {
    /// Part of the name; Turkish letters and case do not matter (`hazine` finds "Hazine ve Maliye Bakanlığı").
    #[param(example = "hazine")]
    pub name: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Create an institution.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateInstitutionRequest {
    /// 3–200 characters; unique regardless of Turkish letters and case.
    #[schema(
        example = "Gençlik ve Spor Bakanlığı",
        min_length = 3,
        max_length = 200
    )]
    pub name: String,
    /// DETSİS number: 8 digits; at most one institution per number.
    #[schema(example = "30001781", pattern = "^[0-9]{8}$")]
    pub detsis_no: Option<String>,
}

/// Open an HR account for an institution.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateHrAccountRequest {
    /// 3–50 of lower-case letters a–z, digits, `.`, `-`, `_` (capitals are lowered); unique among all staff accounts.
    #[schema(
        example = "gsb.ik",
        min_length = 3,
        max_length = 50,
        pattern = "^[A-Za-z0-9._-]{3,50}$"
    )]
    pub username: String,
    /// 3–200 characters.
    #[schema(
        example = "Gençlik ve Spor Bakanlığı İnsan Kaynakları",
        min_length = 3,
        max_length = 200
    )]
    pub display_name: String,
    /// 8–128 characters with a letter and a digit; stored only as an argon2 hash.
    #[schema(example = "Gsb2026Ik", min_length = 8, max_length = 128, format = Password)]
    pub password: String,
}

/// The institutions, by name.
///
/// The institutions, by name; public (the postings filter `institution_id` takes their ids).
#[utoipa::path(
    operation_id = "list_institutions",
    tag = "institutions",
    params(InstitutionListQuery),
    responses(
        (status = 200, description = "A page of institutions ordered by name (Turkish letters folded)", body = Paged<InstitutionSummaryView>),
        (status = 422, description = "Bad paging (`paging.page`, `paging.per_page`) or unknown parameter", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many unauthenticated searches from this address (`request.rate_limited`, with Retry-After in seconds)", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the window ends")))
    )
)]
#[get("/reference/institutions")]
pub async fn list_institutions(
    state: web::Data<AppState>,
    req: HttpRequest,
    q: QueryParams<InstitutionListQuery>,
) -> ApiResult<HttpResponse> {
    crate::rate_limit::public_search(&state, &req).await?;
    let q = q.0;
    let page = PageRequest::new(q.page, q.per_page)?;
    let p = read(&state, move |c| {
        uc::list_institutions(&mut InstitutionRepo::new(c), q.name.as_deref(), page)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::from_page(p, InstitutionSummaryView::from)))
}

/// Create an institution (system administrator).
#[utoipa::path(
    operation_id = "create_institution",
    tag = "institutions",
    security(("bearer" = [])),
    request_body = CreateInstitutionRequest,
    responses(
        (status = 201, description = "Created", body = InstitutionView, headers(("Location" = String, description = "/api/v1/admin/institutions/{id}"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a system administrator (`institution.admin_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The name (after the Turkish fold) or the DETSİS number is taken (`institution.name_taken`, `institution.detsis_no_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`name`: `text.length`, `text.control_character`; `detsis_no`: `detsis.format`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/admin/institutions")]
pub async fn create_institution(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<CreateInstitutionRequest>,
) -> ApiResult<HttpResponse> {
    let actor = auth.0;
    uc::require_admin(&actor)?;
    let body = body.0;
    let mut errors = FieldErrors::new();
    let name = errors.take("name", InstitutionName::parse(&body.name));
    let detsis_no = match body.detsis_no.as_deref() {
        Some(d) => errors.take("detsis_no", DetsisNo::parse(d)).map(Some),
        None => Some(None),
    };
    errors.finish()?;
    let (Some(name), Some(detsis_no)) = (name, detsis_no) else {
        return Err(crate::problem::ApiError::internal(
            "institution fields passed validation without values",
        ));
    };
    let now = state.clock.now();
    let i = write(&state, move |c| {
        uc::create_institution(
            &mut InstitutionRepo::new(c),
            &actor,
            NewInstitution { name, detsis_no },
            now,
        )
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/admin/institutions/{}", i.id),
        ))
        .json(InstitutionView::from(i)))
}

/// One institution with its HR accounts (system administrator).
#[utoipa::path(
    operation_id = "get_institution",
    tag = "institutions",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Institution id")),
    responses(
        (status = 200, description = "The institution", body = InstitutionDetailView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a system administrator (`institution.admin_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such institution (`institution.not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin/institutions/{id}")]
pub async fn get_institution(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let actor = auth.0;
    uc::require_admin(&actor)?;
    let id: InstitutionId = path_id(&id, "institution.not_found")?;
    let d = read(&state, move |c| {
        uc::get_institution(&mut InstitutionRepo::new(c), &actor, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(InstitutionDetailView::from(d)))
}

/// Open an HR account for the institution (system administrator).
///
/// Open an HR account for the institution (system administrator). It logs in at
/// `POST /api/v1/auth/staff/login` and acts as the institution.
#[utoipa::path(
    operation_id = "create_hr_account",
    tag = "institutions",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Institution id")),
    request_body = CreateHrAccountRequest,
    responses(
        (status = 201, description = "Opened, active", body = HrAccountView),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a system administrator (`institution.admin_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such institution (`institution.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A staff account already has the user name (`staff.username_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`username`: `staff.username_length`, `staff.username_invalid`; `display_name`: `text.length`; `password`: `password.too_weak`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/admin/institutions/{id}/hr-accounts")]
pub async fn create_hr_account(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<CreateHrAccountRequest>,
) -> ApiResult<HttpResponse> {
    let actor = auth.0;
    uc::require_admin(&actor)?;
    let id: InstitutionId = path_id(&id, "institution.not_found")?;
    let body = body.0;
    let mut errors = FieldErrors::new();
    let username = errors.take("username", StaffUsername::parse(&body.username));
    let display_name = errors.take("display_name", DisplayName::parse(&body.display_name));
    let password = errors.take("password", NewPassword::parse(&body.password));
    errors.finish()?;
    let (Some(username), Some(display_name), Some(password)) = (username, display_name, password)
    else {
        return Err(crate::problem::ApiError::internal(
            "HR account fields passed validation without values",
        ));
    };
    let now = state.clock.now();
    let a = write(&state, move |c| {
        uc::create_hr_account(
            &mut InstitutionRepo::new(c),
            &actor,
            id,
            NewHrAccount {
                username,
                display_name,
                password,
            },
            now,
        )
    })
    .await?;
    Ok(HttpResponse::Created().json(HrAccountView::from(a)))
}

/// Deactivate an institution HR account (system administrator).
///
/// Deactivate an institution HR account (system administrator): it can no longer log in.
/// Already inactive: answered unchanged.
#[utoipa::path(
    operation_id = "deactivate_hr_account",
    tag = "institutions",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Staff account id")),
    responses(
        (status = 200, description = "Inactive", body = HrAccountView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a system administrator (`institution.admin_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such institution HR account (`staff.not_found`; other staff roles are not handled here)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/admin/hr-accounts/{id}/deactivate")]
pub async fn deactivate_hr_account(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let actor = auth.0;
    uc::require_admin(&actor)?;
    let id: StaffAccountId = path_id(&id, "staff.not_found")?;
    let now = state.clock.now();
    let a = write(&state, move |c| {
        uc::deactivate_hr_account(&mut InstitutionRepo::new(c), &actor, id, now)
    })
    .await?;
    Ok(HttpResponse::Ok().json(HrAccountView::from(a)))
}

/// Reactivate an institution HR account (system administrator).
///
/// Reactivate an institution HR account (system administrator). Already active: answered unchanged.
#[utoipa::path(
    operation_id = "activate_hr_account",
    tag = "institutions",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Staff account id")),
    responses(
        (status = 200, description = "Active", body = HrAccountView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a system administrator (`institution.admin_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such institution HR account (`staff.not_found`; other staff roles are not handled here)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/admin/hr-accounts/{id}/activate")]
pub async fn activate_hr_account(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let actor = auth.0;
    uc::require_admin(&actor)?;
    let id: StaffAccountId = path_id(&id, "staff.not_found")?;
    let now = state.clock.now();
    let a = write(&state, move |c| {
        uc::activate_hr_account(&mut InstitutionRepo::new(c), &actor, id, now)
    })
    .await?;
    Ok(HttpResponse::Ok().json(HrAccountView::from(a)))
}

/// An institution's history with its HR accounts', oldest first.
///
/// An institution's history with its HR accounts', oldest first (system administrator).
#[utoipa::path(
    operation_id = "list_institution_history",
    tag = "institutions",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Institution id")),
    responses(
        (status = 200, description = "The history (empty for institutions loaded as demo data until something changes)", body = Paged<InstitutionHistoryEntryView>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a system administrator (`institution.admin_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such institution (`institution.not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin/institutions/{id}/history")]
pub async fn institution_history(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let actor = auth.0;
    uc::require_admin(&actor)?;
    let id: InstitutionId = path_id(&id, "institution.not_found")?;
    let entries = read(&state, move |c| {
        uc::institution_history(&mut InstitutionRepo::new(c), &actor, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::all(
        entries
            .into_iter()
            .map(InstitutionHistoryEntryView::from)
            .collect(),
    )))
}
