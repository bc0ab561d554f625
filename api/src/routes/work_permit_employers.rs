//! e-İzin employer registration (işveren kaydı), the first screen of the employer side: the
//! registration profile (registry identity, verified contacts, the SGK workplaces the person
//! may register), registering a company workplace, a household or a university, and the
//! person's own registrations.

use crate::extract::{etag, path_id, path_identity, Authenticated, JsonBody, QueryParams};
use crate::problem::{ApiResult, Problem};
use crate::routes::petitions::WithFiles;
use crate::routes::work_permits::{store_blob, view as view_application, WorkPermitView};
use crate::routes::Paged;
use crate::routes::{FileBytes, OneFileForm};
use crate::state::{read, write, AppState};
use actix_web::http::header;
use actix_web::{delete, get, post, web, HttpResponse};
use kapi_core::{DomainError, EmployerId, FieldError, PageRequest};
use kapi_persistence::work_permit_employers::WorkPermitEmployerRepo;
use kapi_persistence::work_permits::WorkPermitRepo;
use kapi_work_permit::employer::{self as uc, Registration, RegistrationInput, WorkPermitEmployer};
use kapi_work_permit::panel::EmployerRole;
use kapi_work_permit::usecases as wp;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// The person as e-Devlet knows them.
#[derive(Serialize, ToSchema)]
pub struct RegistryIdentityView {
    #[schema(example = "12345678950")]
    pub tckn: String,
    #[schema(example = "Mehmet")]
    pub first_name: String,
    #[schema(example = "Demir")]
    pub last_name: String,
    /// `YYYY-MM-DD`.
    #[schema(example = "1975-04-12", format = Date)]
    pub birth_date: String,
}

/// The contacts verified by code (`POST /api/v1/auth/otp`, then `…/verify`).
#[derive(Serialize, ToSchema)]
pub struct VerifiedContactsView {
    #[schema(example = json!(["mehmet@ornek.com.tr"]))]
    pub emails: Vec<String>,
    #[schema(example = json!(["5321000002"]))]
    pub mobiles: Vec<String>,
    /// Whether at least one e-mail and one mobile are verified (registration needs both).
    #[schema(example = true)]
    pub complete: bool,
}

/// An SGK workplace the person is e-Bildirge authorised for.
#[derive(Serialize, ToSchema)]
pub struct SgkWorkplaceView {
    #[schema(example = "2512001010000010060000")]
    pub sgk_no: String,
    #[schema(example = "Anadolu Yazılım Teknolojileri A.Ş.")]
    pub title: String,
    #[schema(example = "Kızılay Mah. Atatürk Bulvarı No:100 Çankaya/Ankara")]
    pub address: String,
}

/// The registration screen: who you are, what you verified, which workplaces you may register.
#[derive(Serialize, ToSchema)]
pub struct EmployerProfileView {
    pub identity: RegistryIdentityView,
    pub verified_contacts: VerifiedContactsView,
    pub sgk_workplaces: Vec<SgkWorkplaceView>,
}

/// Register as an e-İzin employer.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterEmployerRequest {
    /// `company` (an SGK workplace), `household` (ev hizmetleri) or `university`.
    #[schema(example = "company")]
    pub kind: String,
    /// For `company`: one of the profile's `sgk_workplaces`.
    #[schema(example = "2512001010000010060000")]
    pub sgk_no: Option<String>,
    /// For `household`: `elderly_care`, `disabled_care`, `child_care`, `patient_companion`.
    #[schema(example = json!(null))]
    pub care_kind: Option<String>,
    /// For `university`: the university's name (3–200 characters).
    #[schema(example = json!(null))]
    pub university_name: Option<String>,
    /// A verified e-mail address.
    #[schema(example = "mehmet@ornek.com.tr")]
    pub email: String,
    /// A verified mobile number.
    #[schema(example = "05321000002")]
    pub mobile: String,
}

/// An e-İzin employer registration.
#[derive(Serialize, ToSchema)]
pub struct WorkPermitEmployerView {
    pub id: Uuid,
    /// `company`, `household` or `university`.
    #[schema(example = "company")]
    pub kind: String,
    #[schema(example = "SGK Tescilli İşyeri")]
    pub kind_label: String,
    #[schema(example = "2512001010000010060000")]
    pub sgk_no: Option<String>,
    #[schema(example = json!(null))]
    pub care_kind: Option<String>,
    #[schema(example = json!(null))]
    pub care_kind_label: Option<String>,
    #[schema(example = json!(null))]
    pub university_name: Option<String>,
    /// The SGK title, the university's name, or the household's name.
    #[schema(example = "Anadolu Yazılım Teknolojileri A.Ş.")]
    pub title: String,
    pub owner: RegistryIdentityView,
    #[schema(example = "mehmet@ornek.com.tr")]
    pub email: String,
    #[schema(example = "5321000002")]
    pub mobile: String,
    /// The uploaded documents (İşyeri Bilgileri).
    pub documents: Vec<EmployerDocumentView>,
    /// Required documents not uploaded yet (`tax_certificate`, `trade_registry_gazette`,
    /// `signature_circular` for a company; `authorisation_letter` for a university): no
    /// application starts until this is empty.
    #[schema(example = json!(["signature_circular"]))]
    pub missing_documents: Vec<String>,
    /// Your role at this employer: `owner` (you registered it: the panel's manager) or
    /// `authorised` (its owner authorised you).
    #[schema(example = "owner")]
    pub role: String,
    #[schema(example = 1)]
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

fn identity_view(p: uc::RegistryPerson) -> RegistryIdentityView {
    RegistryIdentityView {
        tckn: p.tckn.as_str().to_owned(),
        first_name: p.first_name,
        last_name: p.last_name,
        birth_date: p.birth_date.to_string(),
    }
}

/// A document of the employer record.
#[derive(Serialize, ToSchema)]
pub struct EmployerDocumentView {
    /// `tax_certificate`, `trade_registry_gazette`, `signature_circular`,
    /// `authorisation_letter`, `other`.
    #[schema(example = "tax_certificate")]
    pub document_type: String,
    #[schema(example = "Vergi Levhası")]
    pub document_type_label: String,
    pub sha256: String,
    pub size: u64,
    pub file_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub uploaded_at: OffsetDateTime,
}

fn view((e, role): (WorkPermitEmployer, EmployerRole)) -> WorkPermitEmployerView {
    let kind = e.registration.kind();
    let missing_documents = e
        .missing_documents()
        .iter()
        .map(|d| d.as_str().to_owned())
        .collect();
    let documents = e
        .documents
        .iter()
        .map(|d| EmployerDocumentView {
            document_type: d.document_type.as_str().to_owned(),
            document_type_label: d.document_type.label_tr().to_owned(),
            sha256: d.sha256.clone(),
            size: d.size,
            file_name: d.file_name.clone(),
            uploaded_at: d.uploaded_at,
        })
        .collect();
    let (sgk_no, care_kind, university_name) = match e.registration {
        Registration::Company { sgk_no } => (Some(sgk_no.as_str().to_owned()), None, None),
        Registration::Household { care_kind } => (None, Some(care_kind), None),
        Registration::University { university_name } => (None, None, Some(university_name)),
    };
    WorkPermitEmployerView {
        id: e.id.as_uuid(),
        kind: kind.as_str().to_owned(),
        kind_label: kind.label_tr().to_owned(),
        sgk_no,
        care_kind: care_kind.map(|c| c.as_str().to_owned()),
        care_kind_label: care_kind.map(|c| c.label_tr().to_owned()),
        university_name,
        title: e.title,
        owner: identity_view(e.owner),
        email: e.email.as_str().to_owned(),
        mobile: e.mobile.as_str().to_owned(),
        documents,
        missing_documents,
        role: role.as_str().to_owned(),
        version: e.version,
        created_at: e.created_at,
        updated_at: e.updated_at,
    }
}

/// The e-İzin employer's registration profile.
///
/// The registration profile: your identity from e-Devlet, the contacts you verified by code,
/// and the SGK workplaces you are e-Bildirge authorised for.
#[utoipa::path(
    operation_id = "get_work_permit_employer_profile",
    tag = "work-permits",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The profile", body = EmployerProfileView, example = json!({
            "identity": {"tckn": "12345678950", "first_name": "Mehmet", "last_name": "Demir", "birth_date": "1975-04-12"},
            "verified_contacts": {"emails": ["mehmet@ornek.com.tr"], "mobiles": ["5321000002"], "complete": true},
            "sgk_workplaces": [{"sgk_no": "2512001010000010060000", "title": "Anadolu Yazılım Teknolojileri A.Ş.", "address": "Kızılay Mah. Atatürk Bulvarı No:100 Çankaya/Ankara"}]
        })),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a citizen logged in through e-Devlet (`work_permit.citizen_only`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/work-permit-employers/profile")]
pub async fn get_work_permit_employer_profile(
    state: web::Data<AppState>,
    auth: Authenticated,
) -> ApiResult<HttpResponse> {
    let now = state.clock.now();
    let actor = auth.0;
    let p = read(&state, move |c| {
        uc::profile(&mut WorkPermitEmployerRepo::new(c, now), &actor)
    })
    .await?;
    let complete = !p.contacts.emails.is_empty() && !p.contacts.mobiles.is_empty();
    Ok(HttpResponse::Ok().json(EmployerProfileView {
        identity: identity_view(p.person),
        verified_contacts: VerifiedContactsView {
            emails: p.contacts.emails,
            mobiles: p.contacts.mobiles,
            complete,
        },
        sgk_workplaces: p
            .workplaces
            .into_iter()
            .map(|w| SgkWorkplaceView {
                sgk_no: w.sgk_no,
                title: w.title,
                address: w.address,
            })
            .collect(),
    }))
}

/// Register as an e-İzin employer.
///
/// Register as an e-İzin employer: a company workplace you are SGK e-Bildirge authorised
/// for, a household (ev hizmetleri) with its care kind, or a university. The e-mail and the
/// mobile must both be verified by code first.
#[utoipa::path(
    operation_id = "register_work_permit_employer",
    tag = "work-permits",
    security(("bearer" = [])),
    request_body(content = RegisterEmployerRequest, examples(
        ("company" = (summary = "An SGK workplace", value = json!({"kind": "company", "sgk_no": "2512001010000010060000", "email": "mehmet@ornek.com.tr", "mobile": "05321000002"}))),
        ("household" = (summary = "Ev hizmetleri", value = json!({"kind": "household", "care_kind": "elderly_care", "email": "mehmet@ornek.com.tr", "mobile": "05321000002"}))),
        ("university" = (summary = "A university", value = json!({"kind": "university", "university_name": "Ankara Üniversitesi", "email": "mehmet@ornek.com.tr", "mobile": "05321000002"})))
    )),
    responses(
        (status = 201, description = "Registered", body = WorkPermitEmployerView, headers(("ETag" = String), ("Location" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a citizen logged in through e-Devlet (`work_permit.citizen_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already registered for this kind and workplace (`work_permit.employer_exists`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The e-mail or mobile is not verified (`work_permit.contact_not_verified`, naming `email` or `mobile`), the workplace is not one you are authorised for (`work_permit.workplace_not_authorised`, naming `sgk_no`), or a named field is invalid (`work_permit.required`, `work_permit.field_not_allowed`, `work_permit.employer_kind`, `work_permit.care_kind`, `sgk_no.format`, `text.length`, `email.format`, `phone.format`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/work-permit-employers")]
pub async fn register_work_permit_employer(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<RegisterEmployerRequest>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let input = RegistrationInput {
        kind: b.kind,
        sgk_no: b.sgk_no,
        care_kind: b.care_kind,
        university_name: b.university_name,
        email: b.email,
        mobile: b.mobile,
    };
    let now = state.clock.now();
    let actor = auth.0;
    let e = write(&state, move |c| {
        uc::register_employer(&mut WorkPermitEmployerRepo::new(c, now), &actor, input, now)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::ETAG, etag(e.version)))
        .insert_header((
            header::LOCATION,
            format!("/api/v1/work-permit-employers/{}", e.id),
        ))
        .json(view((e, EmployerRole::Owner))))
}

/// The e-İzin employers you act for ("Kayıtlı İşyeri Seçimi").
///
/// The e-İzin employers you act for ("Kayıtlı İşyeri Seçimi"): those you registered, then
/// those whose owner authorised you, each with your `role`.
#[utoipa::path(
    operation_id = "list_work_permit_employers",
    tag = "work-permits",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Your registrations", body = Vec<WorkPermitEmployerView>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a citizen logged in through e-Devlet (`work_permit.citizen_only`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/work-permit-employers")]
pub async fn list_work_permit_employers(
    state: web::Data<AppState>,
    auth: Authenticated,
) -> ApiResult<HttpResponse> {
    let now = state.clock.now();
    let actor = auth.0;
    let list = read(&state, move |c| {
        uc::my_employers(&mut WorkPermitEmployerRepo::new(c, now), &actor)
    })
    .await?;
    Ok(HttpResponse::Ok().json(list.into_iter().map(view).collect::<Vec<_>>()))
}

/// One of the e-İzin employers you act for (as its owner or an authorised user).
#[utoipa::path(
    operation_id = "get_work_permit_employer",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Registration id")),
    responses(
        (status = 200, description = "The registration", body = WorkPermitEmployerView, headers(("ETag" = String))),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a citizen logged in through e-Devlet (`work_permit.citizen_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such employer, or you are not one of its users (`work_permit.employer_not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/work-permit-employers/{id}")]
pub async fn get_work_permit_employer(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id: EmployerId = path_id(&id, "work_permit.employer_not_found")?;
    let now = state.clock.now();
    let actor = auth.0;
    let e = read(&state, move |c| {
        uc::my_employer(&mut WorkPermitEmployerRepo::new(c, now), &actor, id)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(e.0.version)))
        .json(view(e)))
}

/// A user the employer's owner authorised.
#[derive(Serialize, ToSchema)]
pub struct WorkPermitAuthorisedUser {
    #[schema(example = "12345678950")]
    pub tckn: String,
    #[schema(example = "Mehmet")]
    pub first_name: String,
    #[schema(example = "Demir")]
    pub last_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub authorised_at: OffsetDateTime,
}

/// Authorise a person to act for the employer.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthoriseUserRequest {
    /// The person's TCKN (known to the identity registry).
    #[schema(example = "12345678950")]
    pub tckn: String,
}

fn user_view(u: kapi_work_permit::panel::AuthorisedUser) -> WorkPermitAuthorisedUser {
    WorkPermitAuthorisedUser {
        tckn: u.tckn.as_str().to_owned(),
        first_name: u.first_name,
        last_name: u.last_name,
        authorised_at: u.authorised_at,
    }
}

fn employer_id(raw: &str) -> ApiResult<EmployerId> {
    path_id(raw, "work_permit.employer_not_found")
}

/// The employer's authorised users (Yetkilendirme İşlemleri), for any of its users.
#[utoipa::path(
    operation_id = "list_work_permit_employer_users",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Employer id")),
    responses(
        (status = 200, description = "The users, oldest authorisation first", body = Vec<WorkPermitAuthorisedUser>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a citizen logged in through e-Devlet (`work_permit.citizen_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such employer, or you are not one of its users (`work_permit.employer_not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/work-permit-employers/{id}/users")]
pub async fn list_work_permit_employer_users(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = employer_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let users = read(&state, move |c| {
        uc::list_users(&mut WorkPermitEmployerRepo::new(c, now), &actor, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(users.into_iter().map(user_view).collect::<Vec<_>>()))
}

/// Authorise a person (by TCKN) to act for the e-İzin employer.
///
/// The employer's owner authorises a person (by TCKN) to act for the employer: they then
/// see it among their employers and work on its applications (those assigned to them, or
/// unassigned ones).
#[utoipa::path(
    operation_id = "authorise_work_permit_employer_user",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Employer id")),
    request_body = AuthoriseUserRequest,
    responses(
        (status = 201, description = "Authorised", body = WorkPermitAuthorisedUser),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the employer's owner (`work_permit.owner_only`), or not a citizen (`work_permit.citizen_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such employer, or not yours (`work_permit.employer_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already a user (`work_permit.user_exists`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid TCKN (`tckn.checksum`, …), unknown to the registry (`work_permit.person_unknown`), or the owner themself (`work_permit.already_owner`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/work-permit-employers/{id}/users")]
pub async fn authorise_work_permit_employer_user(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<AuthoriseUserRequest>,
) -> ApiResult<HttpResponse> {
    let id = employer_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let tckn = body.0.tckn;
    let u = write(&state, move |c| {
        uc::authorise_user(
            &mut WorkPermitEmployerRepo::new(c, now),
            &actor,
            id,
            &tckn,
            now,
        )
    })
    .await?;
    Ok(HttpResponse::Created().json(user_view(u)))
}

/// The employer's owner takes a user's authorisation back.
#[utoipa::path(
    operation_id = "revoke_work_permit_employer_user",
    tag = "work-permits",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Employer id"),
        ("tckn" = String, Path, description = "The user's TCKN")
    ),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the employer's owner (`work_permit.owner_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such employer (`work_permit.employer_not_found`) or user (`work_permit.user_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A malformed TCKN in the path (field `tckn`, `tckn.format` / `tckn.leading_zero` / `tckn.checksum`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[delete("/work-permit-employers/{id}/users/{tckn}")]
pub async fn revoke_work_permit_employer_user(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (id, tckn) = path.into_inner();
    let id = employer_id(&id)?;
    let tckn: kapi_core::Tckn = path_identity(&tckn, "tckn")?;
    let now = state.clock.now();
    let actor = auth.0;
    write(&state, move |c| {
        uc::revoke_user(
            &mut WorkPermitEmployerRepo::new(c, now),
            &actor,
            id,
            &tckn,
            now,
        )
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The employer's list of applications (Başvuru Listesi / Başvuru Takip İşlemleri).
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EmployerApplicationsQuery {
    /// One of the lists: `incomplete` (Tamamlanmayan), `in_evaluation`, `awaiting_documents`,
    /// `awaiting_update`, `awaiting_fees`, `approved`, `rejected`; all when absent.
    #[param(example = "in_evaluation")]
    pub list: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The employer's work-permit applications, newest first.
///
/// The employer's applications, newest first, in one of the employer's lists: for any of
/// its users.
#[utoipa::path(
    operation_id = "list_employer_work_permits",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Employer id"), EmployerApplicationsQuery),
    responses(
        (status = 200, description = "A page of applications", body = Paged<WorkPermitView>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a citizen logged in through e-Devlet (`work_permit.employer_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such employer, or you are not one of its users (`work_permit.employer_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown list (`work_permit.unknown_code`, naming `list`) or bad paging", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/work-permit-employers/{id}/work-permits")]
pub async fn list_employer_work_permits(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    q: QueryParams<EmployerApplicationsQuery>,
) -> ApiResult<HttpResponse> {
    use kapi_work_permit::evaluation::EmployerList;
    let id = employer_id(&id)?;
    let q = q.0;
    let list = match q.list.as_deref() {
        None => None,
        Some(raw) => Some(EmployerList::parse(raw).ok_or_else(|| {
            let codes: Vec<&str> = EmployerList::ALL.iter().map(|l| l.as_str()).collect();
            DomainError::rule(FieldError::new(
                "list",
                "work_permit.unknown_code",
                format!("One of {}.", codes.join(", ")),
            ))
        })?),
    };
    let page = PageRequest::new(q.page, q.per_page)?;
    let now = state.clock.now();
    let actor = auth.0;
    let p = read(&state, move |c| {
        wp::list_applications(&mut WorkPermitRepo::new(c, now), &actor, id, list, page)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::from_page(p, |a| view_application(&a))))
}

/// The employer's foreigners whose permit still runs today.
///
/// The employer's foreigners whose permit still runs today ("İzni devam eden çalışanlar"),
/// the permit ending soonest first: an extension (`filing: extension`) starts from one of
/// them, from 60 days before its end.
#[utoipa::path(
    operation_id = "list_running_work_permits",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Employer id")),
    responses(
        (status = 200, description = "The running permits", body = Vec<WorkPermitView>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a citizen logged in through e-Devlet (`work_permit.employer_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such employer, or you are not one of its users (`work_permit.employer_not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/work-permit-employers/{id}/running-permits")]
pub async fn list_running_work_permits(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = employer_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let list = read(&state, move |c| {
        wp::running_permits(&mut WorkPermitRepo::new(c, now), &actor, id, now)
    })
    .await?;
    Ok(HttpResponse::Ok().json(list.iter().map(view_application).collect::<Vec<_>>()))
}

/// Which document an upload is.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmployerDocumentUpload {
    /// `tax_certificate`, `trade_registry_gazette`, `signature_circular`,
    /// `authorisation_letter`, `other`.
    #[schema(example = "tax_certificate")]
    pub document_type: String,
}

/// Upload one of the e-İzin employer's documents (owner).
///
/// The employer's owner uploads one of its documents ("Yüklenmesi Gereken Belge Listesi"):
/// `multipart/form-data` with a `data` part (`{"document_type": "tax_certificate"}`) and one
/// `files` part, a PDF (checked by content, at most 10 MB). A document of the same type is
/// replaced. A company needs its tax certificate, trade registry gazette and signature
/// circular, a university its authorisation letter, before any application starts.
#[utoipa::path(
    operation_id = "upload_work_permit_employer_document",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Employer id")),
    request_body(description = "The JSON in a `data` part, the PDF in one `files` part", content((OneFileForm<EmployerDocumentUpload> = "multipart/form-data", encoding(("data" = (content_type = "application/json")), ("files" = (content_type = "application/pdf")))))),
    responses(
        (status = 201, description = "Stored; the employer with its documents", body = WorkPermitEmployerView, headers(("ETag" = String))),
        (status = 400, description = "Malformed multipart (`request.bad_multipart`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the employer's owner (`work_permit.owner_only`), or not a citizen (`work_permit.citizen_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such employer, or you are not one of its users (`work_permit.employer_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither multipart/form-data nor JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not one file (`work_permit.one_file`), unknown type (`work_permit.unknown_code`, naming `document_type`), not a PDF (`work_permit.document_format`) or over 10 MB (`work_permit.document_too_large`, `attachment.too_large`), naming `file`", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/work-permit-employers/{id}/documents")]
pub async fn upload_work_permit_employer_document(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: WithFiles<EmployerDocumentUpload>,
) -> ApiResult<HttpResponse> {
    use kapi_work_permit::employer::{EmployerDocument, EmployerDocumentType};
    let id = employer_id(&id)?;
    let WithFiles { data, mut files } = body;
    let document_type = EmployerDocumentType::parse(&data.document_type).ok_or_else(|| {
        let codes: Vec<&str> = EmployerDocumentType::ALL
            .iter()
            .map(|t| t.as_str())
            .collect();
        DomainError::rule(FieldError::new(
            "document_type",
            "work_permit.unknown_code",
            format!("One of {}.", codes.join(", ")),
        ))
    })?;
    if files.len() != 1 {
        return Err(DomainError::rule(FieldError::new(
            "file",
            "work_permit.one_file",
            "Send exactly one file in a `files` part.",
        ))
        .into());
    }
    let (file_name, bytes) = files.remove(0);
    kapi_work_permit::documents::check_pdf("file", &bytes)?;
    let size = bytes.len() as u64;
    let sha256 = store_blob(&state, bytes).await?;
    let now = state.clock.now();
    let actor = auth.0;
    let e = write(&state, move |c| {
        let doc = EmployerDocument {
            document_type,
            sha256,
            size,
            file_name: crate::routes::ascii_file_name(&file_name),
            uploaded_at: now,
        };
        uc::upload_employer_document(
            &mut WorkPermitEmployerRepo::new(c, now),
            &actor,
            id,
            doc,
            now,
        )
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::ETAG, etag(e.version)))
        .json(view((e, EmployerRole::Owner))))
}

/// Download one of the employer's documents (any of its users).
#[utoipa::path(
    operation_id = "get_work_permit_employer_document",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Employer id"), ("sha256" = String, Path, description = "The document's SHA-256")),
    responses(
        (status = 200, description = "The PDF", content((FileBytes = "application/pdf")), headers(("Content-Disposition" = String))),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a citizen (`work_permit.citizen_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such employer or document (`work_permit.employer_not_found`, `work_permit.file_not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/work-permit-employers/{id}/documents/{sha256}")]
pub async fn get_work_permit_employer_document(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (id, sha) = path.into_inner();
    let id = employer_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let (e, _) = read(&state, move |c| {
        uc::my_employer(&mut WorkPermitEmployerRepo::new(c, now), &actor, id)
    })
    .await?;
    let d = e
        .documents
        .into_iter()
        .find(|d| d.sha256 == sha.to_ascii_lowercase())
        .ok_or_else(|| DomainError::not_found("work_permit.file_not_found", "No such file."))?;
    let bytes = crate::routes::work_permits::blob(&state, d.sha256.clone()).await?;
    Ok(HttpResponse::Ok()
        .content_type(kapi_documents::PDF_MEDIA_TYPE)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", d.file_name),
        ))
        .body(bytes))
}
