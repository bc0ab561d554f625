//! İŞKUR employers: membership, employer login, the employer record and its workplaces.
//! Rules in `kapi_labour_demand::employer`.

use super::auth::{token_response, TokenResponse};
use super::Paged;
use crate::extract::{etag, path_id, path_identity, Authenticated, IfMatch, JsonBody, QueryParams};
use crate::problem::{ApiResult, Problem};
use crate::state::{read, write, AppState};
use actix_web::http::header;
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use kapi_core::{
    Email, EmployerId, EmployerPermissions, EmployerSector, FieldError, FieldErrors, MobilePhone,
    PageRequest, ProvinceCode, SgkNo, Tckn, Vkn, WorkplaceId,
};
use kapi_labour_demand::employer::{
    self as uc, clean_text, AuthorisedPerson, Employer, MembershipApplication, Workplace,
    WorkplaceChange, WorkplaceFilter, WorkplaceInput,
};
use kapi_labour_demand::workplace::{UserChange, WorkplaceKind, WorkplaceUser};
use kapi_persistence::employers::EmployerRepo;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

/// Public or private employer.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SectorKind {
    Public,
    Private,
}

impl From<SectorKind> for EmployerSector {
    fn from(s: SectorKind) -> Self {
        match s {
            SectorKind::Public => EmployerSector::Public,
            SectorKind::Private => EmployerSector::Private,
        }
    }
}

impl From<EmployerSector> for SectorKind {
    fn from(s: EmployerSector) -> Self {
        match s {
            EmployerSector::Public => SectorKind::Public,
            EmployerSector::Private => SectorKind::Private,
        }
    }
}

/// A workplace's details as entered (general, address, contact).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkplaceRequest {
    /// Workplace title (işyeri unvanı), 2–250 characters.
    #[schema(example = "Anadolu Yazılım Teknolojileri A.Ş. Keçiören Şubesi")]
    pub title: String,
    /// SGK workplace registration number (22–26 digits), unique.
    #[schema(example = "2512001010000020060000")]
    pub sgk_no: String,
    /// Province plate code (1–81); never changes afterwards.
    #[schema(example = 6, minimum = 1, maximum = 81)]
    pub province: i64,
    /// District code from `/api/v1/reference/provinces/{code}/districts`.
    #[schema(example = 6017)]
    pub district_code: i32,
    #[schema(example = "Kalaba Mah. Demo Cad. No:5 Keçiören/Ankara")]
    pub address: String,
    #[schema(example = "5321234567")]
    pub phone: Option<String>,
    #[schema(example = "ik@anadoluyazilim.example")]
    pub email: Option<String>,
}

fn optional<T>(
    errors: &mut FieldErrors,
    field: &str,
    raw: Option<&str>,
    parse: impl Fn(&str) -> Result<T, FieldError>,
) -> Option<T> {
    raw.filter(|s| !s.trim().is_empty())
        .and_then(|s| errors.take(field, parse(s)))
}

fn parse_workplace(
    w: &WorkplaceRequest,
    prefix: &str,
    errors: &mut FieldErrors,
) -> Option<WorkplaceInput> {
    let f = |n: &str| format!("{prefix}{n}");
    let title = errors.take(&f("title"), clean_text("title", &w.title, 2, 250));
    let sgk_no = errors.take(&f("sgk_no"), SgkNo::parse(&w.sgk_no));
    let province = errors.take(&f("province"), ProvinceCode::new(w.province));
    let address = errors.take(&f("address"), clean_text("address", &w.address, 5, 500));
    let phone = optional(errors, &f("phone"), w.phone.as_deref(), MobilePhone::parse);
    let email = optional(errors, &f("email"), w.email.as_deref(), Email::parse);
    Some(WorkplaceInput {
        title: title?,
        sgk_no: sgk_no?,
        province: province?,
        district_code: w.district_code,
        address: address?,
        phone,
        email,
    })
}

/// The authorised person (yetkili kişi) of a membership application.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AuthorisedPersonRequest {
    /// Must be in the civil registry.
    #[schema(example = "12345678950")]
    pub tckn: String,
    #[schema(example = "5321234567")]
    pub mobile: String,
    #[schema(example = "yetkili@anadoluyazilim.example")]
    pub email: String,
    /// 8–128 characters with a letter and a digit. A person who already acts for another
    /// employer gives their existing password.
    #[schema(example = "Kapi2026")]
    pub password: String,
    /// For password reset.
    #[schema(example = "İlk öğretmeninizin adı?")]
    pub secret_question: String,
    #[schema(example = "Ayşe")]
    pub secret_answer: String,
}

/// Employer membership (işveren üyeliği): terms, legal entity, head office, authorised person.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MembershipRequest {
    /// The general terms (genel şartlar) must be accepted.
    pub terms_accepted: bool,
    /// Legal entity title (unvan), 2–250 characters.
    #[schema(example = "Anadolu Yazılım Teknolojileri A.Ş.")]
    pub title: String,
    /// Tax number (VKN), 10 digits with the GİB check digit; one membership per VKN.
    #[schema(example = "1234567890")]
    pub vkn: String,
    pub sector: SectorKind,
    /// The legal entity's address.
    #[schema(example = "Kızılay Mah. Atatürk Bulvarı No:100 Çankaya/Ankara")]
    pub address: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The first workplace: it becomes the head office of its province.
    pub head_office: WorkplaceRequest,
    pub person: AuthorisedPersonRequest,
}

/// An employer (işveren).
#[derive(Serialize, ToSchema)]
pub struct EmployerView {
    pub id: uuid::Uuid,
    pub title: String,
    #[schema(example = "1234567890")]
    pub vkn: String,
    pub sector: SectorKind,
    /// İŞKUR employer number.
    #[schema(example = "00000001")]
    pub iskur_no: String,
    pub address: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub terms_accepted_at: OffsetDateTime,
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl From<Employer> for EmployerView {
    fn from(e: Employer) -> Self {
        EmployerView {
            id: e.id.as_uuid(),
            title: e.title,
            vkn: e.vkn.as_str().to_owned(),
            sector: e.sector.into(),
            iskur_no: e.iskur_no,
            address: e.address,
            phone: e.phone.map(|p| p.as_str().to_owned()),
            email: e.email.map(|m| m.as_str().to_owned()),
            terms_accepted_at: e.terms_accepted_at,
            version: e.version,
            created_at: e.created_at,
        }
    }
}

/// Head office (merkez) or branch (şube).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WorkplaceKindView {
    HeadOffice,
    Branch,
}

/// A workplace (işyeri).
#[derive(Serialize, ToSchema)]
pub struct WorkplaceView {
    pub id: uuid::Uuid,
    pub employer_id: uuid::Uuid,
    pub kind: WorkplaceKindView,
    /// For a branch, the head office of its province.
    pub head_office_id: Option<uuid::Uuid>,
    pub title: String,
    pub sgk_no: String,
    #[schema(example = 6)]
    pub province: u8,
    #[schema(example = 6017)]
    pub district_code: i32,
    pub address: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// İlgili kişiler.
    pub related_persons: Vec<RelatedPersonBody>,
    /// Diğer bilgiler.
    pub other: OtherDetailsBody,
    /// Also the `ETag`.
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// A workplace's contact person (ilgili kişi).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RelatedPersonBody {
    #[schema(example = "Selin Aksoy")]
    pub full_name: String,
    /// Görevi.
    #[schema(example = "İnsan Kaynakları Müdürü")]
    pub role: String,
    #[schema(example = "5321234567")]
    pub phone: Option<String>,
    #[schema(example = "selin.aksoy@example.com")]
    pub email: Option<String>,
}

/// A workplace's other details (diğer bilgiler).
#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct OtherDetailsBody {
    /// Faaliyet konusu.
    #[schema(example = "Depolama ve lojistik hizmetleri")]
    pub activity: Option<String>,
    /// http:// or https:// address.
    #[schema(example = "https://www.example.com.tr")]
    pub website: Option<String>,
    pub notes: Option<String>,
}

fn optional_text(
    errors: &mut FieldErrors,
    field: &str,
    raw: Option<&str>,
    max: usize,
) -> Option<String> {
    optional(errors, field, raw, |t| clean_text(field, t, 1, max))
}

fn parse_related_persons(
    list: &[RelatedPersonBody],
    errors: &mut FieldErrors,
) -> Vec<kapi_labour_demand::employer::RelatedPerson> {
    list.iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let f = |n: &str| format!("related_persons[{i}].{n}");
            let full_name = errors.take(
                &f("full_name"),
                clean_text(&f("full_name"), &p.full_name, 2, 150),
            );
            let role = errors.take(&f("role"), clean_text(&f("role"), &p.role, 2, 100));
            let phone = optional(errors, &f("phone"), p.phone.as_deref(), MobilePhone::parse);
            let email = optional(errors, &f("email"), p.email.as_deref(), Email::parse);
            Some(kapi_labour_demand::employer::RelatedPerson {
                full_name: full_name?,
                role: role?,
                phone,
                email,
            })
        })
        .collect()
}

fn parse_other(
    o: &OtherDetailsBody,
    errors: &mut FieldErrors,
) -> kapi_labour_demand::employer::OtherDetails {
    let website = optional(errors, "other.website", o.website.as_deref(), |w| {
        let w = w.trim();
        let ok = (w.starts_with("https://") || w.starts_with("http://"))
            && w.len() <= 200
            && !w.chars().any(char::is_whitespace);
        if ok {
            Ok(w.to_owned())
        } else {
            Err(FieldError::new(
                "other.website",
                "workplace.website",
                "An http:// or https:// address of at most 200 characters.",
            ))
        }
    });
    kapi_labour_demand::employer::OtherDetails {
        activity: optional_text(errors, "other.activity", o.activity.as_deref(), 500),
        website,
        notes: optional_text(errors, "other.notes", o.notes.as_deref(), 1000),
    }
}

impl From<Workplace> for WorkplaceView {
    fn from(w: Workplace) -> Self {
        WorkplaceView {
            id: w.id.as_uuid(),
            employer_id: w.employer_id.as_uuid(),
            kind: match w.kind {
                WorkplaceKind::HeadOffice => WorkplaceKindView::HeadOffice,
                WorkplaceKind::Branch => WorkplaceKindView::Branch,
            },
            head_office_id: w.head_office_id.map(|h| h.as_uuid()),
            title: w.title,
            sgk_no: w.sgk_no.as_str().to_owned(),
            province: w.province.get(),
            district_code: w.district_code,
            address: w.address,
            phone: w.phone.map(|p| p.as_str().to_owned()),
            email: w.email.map(|m| m.as_str().to_owned()),
            related_persons: w
                .related_persons
                .into_iter()
                .map(|p| RelatedPersonBody {
                    full_name: p.full_name,
                    role: p.role,
                    phone: p.phone.map(|m| m.as_str().to_owned()),
                    email: p.email.map(|e| e.as_str().to_owned()),
                })
                .collect(),
            other: OtherDetailsBody {
                activity: w.other.activity,
                website: w.other.website,
                notes: w.other.notes,
            },
            version: w.version,
            created_at: w.created_at,
            updated_at: w.updated_at,
        }
    }
}

/// A new member: the employer and its head office.
#[derive(Serialize, ToSchema)]
pub struct MembershipView {
    pub employer: EmployerView,
    pub head_office: WorkplaceView,
}

/// Become a member employer (public).
///
/// Become a member employer (public; the authorised person becomes its primary admin).
#[utoipa::path(
    operation_id = "create_employer",
    tag = "employers",
    request_body = MembershipRequest,
    responses(
        (status = 201, description = "Member; log in at `/api/v1/auth/employer/login`", body = MembershipView, headers(("Location" = String))),
        (status = 409, description = "Already a member (`employer.exists`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid or refused fields (`employer.terms_not_accepted`, `employer.person_not_in_registry`, `workplace.sgk_no_taken`, `workplace.district_not_in_province`, `employer.existing_password_required`, `password.too_weak`, …)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/employers")]
pub async fn create_employer(
    state: web::Data<AppState>,
    body: JsonBody<MembershipRequest>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let mut errors = FieldErrors::new();
    let title = errors.take("title", clean_text("title", &b.title, 2, 250));
    let vkn = errors.take("vkn", Vkn::parse(&b.vkn));
    let address = errors.take("address", clean_text("address", &b.address, 5, 500));
    let phone = optional(&mut errors, "phone", b.phone.as_deref(), MobilePhone::parse);
    let email = optional(&mut errors, "email", b.email.as_deref(), Email::parse);
    let head_office = parse_workplace(&b.head_office, "head_office.", &mut errors);
    let p = &b.person;
    let tckn = errors.take("person.tckn", Tckn::parse(&p.tckn));
    let mobile = errors.take("person.mobile", MobilePhone::parse(&p.mobile));
    let person_email = errors.take("person.email", Email::parse(&p.email));
    let question = errors.take(
        "person.secret_question",
        clean_text("secret_question", &p.secret_question, 3, 200),
    );
    let answer = errors.take(
        "person.secret_answer",
        clean_text("secret_answer", &p.secret_answer, 1, 200),
    );
    errors.finish()?;
    let (
        Some(title),
        Some(vkn),
        Some(address),
        Some(head_office),
        Some(tckn),
        Some(mobile),
        Some(person_email),
        Some(question),
        Some(answer),
    ) = (
        title,
        vkn,
        address,
        head_office,
        tckn,
        mobile,
        person_email,
        question,
        answer,
    )
    else {
        return Err(crate::problem::ApiError::internal(
            "membership fields missing without errors",
        ));
    };
    let app = MembershipApplication {
        terms_accepted: b.terms_accepted,
        title,
        vkn,
        sector: b.sector.into(),
        address,
        phone,
        email,
        head_office,
        person: AuthorisedPerson {
            tckn,
            mobile,
            email: person_email,
            password: b.person.password,
            secret_question: question,
            secret_answer: answer,
        },
    };
    let now = state.clock.now();
    let (employer, head) = write(&state, move |c| {
        uc::register_employer(&mut EmployerRepo::new(c), app, now)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/employers/{}", employer.id),
        ))
        .json(MembershipView {
            employer: employer.into(),
            head_office: head.into(),
        }))
}

/// The employer (its own users and İŞKUR staff).
#[utoipa::path(
    operation_id = "get_employer",
    tag = "employers",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Employer id")),
    responses(
        (status = 200, description = "The employer", body = EmployerView),
        (status = 404, description = "No such employer, or not yours", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/employers/{id}")]
pub async fn get_employer(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id: EmployerId = path_id(&id, "employer.not_found")?;
    let actor = auth.0;
    let e = read(&state, move |c| {
        uc::get_employer(&mut EmployerRepo::new(c), &actor, id)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(e.version)))
        .json(EmployerView::from(e)))
}

/// Employer login: TCKN + password, choosing the employer when the person acts for several.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmployerLoginRequest {
    #[schema(example = "12345678950")]
    pub tckn: String,
    #[schema(example = "Kapi2026")]
    pub password: String,
    /// Required when the person acts for several employers (the 422 lists them).
    pub employer_id: Option<uuid::Uuid>,
}

/// Log in as an employer user.
#[utoipa::path(
    operation_id = "login_employer",
    tag = "auth",
    request_body = EmployerLoginRequest,
    responses(
        (status = 200, description = "Logged in; the actor carries the employer and the permission flags", body = TokenResponse),
        (status = 401, description = "Wrong TCKN or password (`auth.invalid_credentials`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Locked or closed user (`workplace_user.locked`, `workplace_user.account_closed`), or no employer (`auth.no_employer`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid TCKN, or an employer must be chosen (`auth.employer_choice_required`: the message lists `id (title)` of each) or is not yours (`auth.employer_not_yours`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts for this account from this address, or too many failed logins from this address (`request.rate_limited`, with Retry-After in seconds)", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the window ends")))
    )
)]
#[post("/auth/employer/login")]
pub async fn login_employer(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<EmployerLoginRequest>,
) -> ApiResult<HttpResponse> {
    let attempt = crate::rate_limit::login(&state, &req, &body.0.tckn).await?;
    let b = body.0;
    let answer = async {
        let tckn = Tckn::parse(&b.tckn).map_err(|e| e.at("tckn"))?;
        let employer = b.employer_id.map(EmployerId::from_uuid);
        let now = state.clock.now();
        let login = read(&state, move |c| {
            uc::login_employer(&mut EmployerRepo::new(c), &tckn, &b.password, employer, now)
        })
        .await?;
        let name = format!("{} — {}", login.person_name, login.employer_title);
        token_response(&state, &login.actor, name)
    }
    .await;
    let token = attempt.settle(&state, answer).await?;
    Ok(HttpResponse::Ok().json(token))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct WorkplaceListQuery {
    /// Part of the title; Turkish letters and case do not matter.
    pub title: Option<String>,
    /// Exact SGK number.
    pub sgk_no: Option<String>,
    /// Exact tax number of the employer.
    pub vkn: Option<String>,
    pub province: Option<i64>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The caller's workplaces (employer users) or all of them (İŞKUR staff), by title.
#[utoipa::path(
    operation_id = "list_workplaces",
    tag = "employers",
    security(("bearer" = [])),
    params(WorkplaceListQuery),
    responses(
        (status = 200, description = "A page of workplaces (15 by default)", body = Paged<WorkplaceView>),
        (status = 403, description = "Neither an employer user nor İŞKUR staff", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad filter or paging", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/workplaces")]
pub async fn list_workplaces(
    state: web::Data<AppState>,
    auth: Authenticated,
    q: QueryParams<WorkplaceListQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.0;
    let page = PageRequest::new(q.page, q.per_page)?;
    let mut errors = FieldErrors::new();
    let sgk_no = optional(&mut errors, "sgk_no", q.sgk_no.as_deref(), SgkNo::parse);
    let vkn = optional(&mut errors, "vkn", q.vkn.as_deref(), Vkn::parse);
    let province = q
        .province
        .and_then(|p| errors.take("province", ProvinceCode::new(p)));
    errors.finish()?;
    let filter = WorkplaceFilter {
        employer: None,
        title: q
            .title
            .as_deref()
            .map(kapi_core::search_fold)
            .filter(|t| !t.is_empty()),
        sgk_no: sgk_no.map(|s| s.as_str().to_owned()),
        vkn: vkn.map(|v| v.as_str().to_owned()),
        province,
    };
    let actor = auth.0;
    let p = read(&state, move |c| {
        uc::list_workplaces(&mut EmployerRepo::new(c), &actor, filter, page)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::from_page(p, WorkplaceView::from)))
}

fn workplace_response(mut res: actix_web::HttpResponseBuilder, w: Workplace) -> HttpResponse {
    res.insert_header((header::ETAG, etag(w.version)))
        .json(WorkplaceView::from(w))
}

/// Add a workplace (employer admin).
///
/// Add a workplace (employer admin): head office of its province if the employer has none
/// there yet, otherwise a branch of it.
#[utoipa::path(
    operation_id = "create_workplace",
    tag = "employers",
    security(("bearer" = [])),
    request_body = WorkplaceRequest,
    responses(
        (status = 201, description = "Registered", body = WorkplaceView, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Not the employer's admin (`workplace.admin_only`, `workplace.employers_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`workplace.sgk_no_taken`, `workplace.district_not_in_province`, …)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/workplaces")]
pub async fn create_workplace(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<WorkplaceRequest>,
) -> ApiResult<HttpResponse> {
    let mut errors = FieldErrors::new();
    let input = parse_workplace(&body.0, "", &mut errors);
    errors.finish()?;
    let Some(input) = input else {
        return Err(crate::problem::ApiError::internal(
            "workplace fields missing without errors",
        ));
    };
    let now = state.clock.now();
    let actor = auth.0;
    let w = write(&state, move |c| {
        uc::add_workplace(&mut EmployerRepo::new(c), &actor, input, now)
    })
    .await?;
    let mut res = HttpResponse::Created();
    res.insert_header((header::LOCATION, format!("/api/v1/workplaces/{}", w.id)));
    Ok(workplace_response(res, w))
}

/// One workplace (its employer's users, İŞKUR staff).
#[utoipa::path(
    operation_id = "get_workplace",
    tag = "employers",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Workplace id")),
    responses(
        (status = 200, description = "The workplace", body = WorkplaceView, headers(("ETag" = String))),
        (status = 403, description = "The employer user is locked or closed (`workplace_user.locked`, `workplace_user.account_closed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such workplace, or not yours", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/workplaces/{id}")]
pub async fn get_workplace(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id: WorkplaceId = path_id(&id, "workplace.not_found")?;
    let actor = auth.0;
    let w = read(&state, move |c| {
        uc::get_workplace(&mut EmployerRepo::new(c), &actor, id)
    })
    .await?;
    Ok(workplace_response(HttpResponse::Ok(), w))
}

/// Changes to a workplace (omitted fields stay; `null` clears phone / e-mail).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateWorkplaceRequest {
    pub title: Option<String>,
    /// A district of the workplace's province (the province never changes).
    pub district_code: Option<i32>,
    pub address: Option<String>,
    #[serde(default, deserialize_with = "crate::extract::present")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "crate::extract::present")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    /// İlgili kişiler: replaces the whole list (at most 10; `[]` clears it).
    pub related_persons: Option<Vec<RelatedPersonBody>>,
    /// Diğer bilgiler: replaces them.
    pub other: Option<OtherDetailsBody>,
}

/// Update a workplace's details (employer admin).
///
/// Update a workplace's general, address, contact, related-person and other details
/// (employer admin; `If-Match`).
#[utoipa::path(
    operation_id = "update_workplace",
    tag = "employers",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Workplace id"), ("If-Match" = Option<String>, Header, description = "The ETag you read")),
    request_body = UpdateWorkplaceRequest,
    responses(
        (status = 200, description = "Updated", body = WorkplaceView, headers(("ETag" = String))),
        (status = 403, description = "Not the employer's admin", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such workplace, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A concurrent change won the race and no `If-Match` was sent (`conflict.concurrent_update`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`related_persons[0].phone`, `other.website`, `workplace.too_many_related_persons`, …)", body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("/workplaces/{id}")]
pub async fn update_workplace(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<UpdateWorkplaceRequest>,
) -> ApiResult<HttpResponse> {
    let id: WorkplaceId = path_id(&id, "workplace.not_found")?;
    let b = body.0;
    let mut errors = FieldErrors::new();
    let title = b
        .title
        .as_deref()
        .and_then(|t| errors.take("title", clean_text("title", t, 2, 250)));
    let address = b
        .address
        .as_deref()
        .and_then(|t| errors.take("address", clean_text("address", t, 5, 500)));
    let phone = b
        .phone
        .map(|p| optional(&mut errors, "phone", p.as_deref(), MobilePhone::parse));
    let email = b
        .email
        .map(|m| optional(&mut errors, "email", m.as_deref(), Email::parse));
    let related_persons = b
        .related_persons
        .as_deref()
        .map(|list| parse_related_persons(list, &mut errors));
    let other = b.other.as_ref().map(|o| parse_other(o, &mut errors));
    errors.finish()?;
    let change = WorkplaceChange {
        title,
        district_code: b.district_code,
        address,
        phone,
        email,
        related_persons,
        other,
    };
    let now = state.clock.now();
    let actor = auth.0;
    let w = write(&state, move |c| {
        uc::update_workplace(
            &mut EmployerRepo::new(c),
            &actor,
            id,
            change,
            if_match.0,
            now,
        )
    })
    .await?;
    Ok(workplace_response(HttpResponse::Ok(), w))
}

/// Permission flags per function (İŞKUR Kullanıcı Rol Yönetimi).
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PermissionsBody {
    /// Admin (yönetici): manages users, may make others admin.
    #[serde(default)]
    pub admin: bool,
    #[serde(default)]
    pub labour_demand: bool,
    #[serde(default)]
    pub workforce_chart: bool,
    #[serde(default)]
    pub mass_layoff: bool,
    #[serde(default)]
    pub reports: bool,
    /// May add users and change their flags (not make admins).
    #[serde(default)]
    pub user_admin: bool,
}

impl From<PermissionsBody> for EmployerPermissions {
    fn from(p: PermissionsBody) -> Self {
        EmployerPermissions {
            admin: p.admin,
            labour_demand: p.labour_demand,
            workforce_chart: p.workforce_chart,
            mass_layoff: p.mass_layoff,
            reports: p.reports,
            user_admin: p.user_admin,
        }
    }
}

impl From<EmployerPermissions> for PermissionsBody {
    fn from(p: EmployerPermissions) -> Self {
        PermissionsBody {
            admin: p.admin,
            labour_demand: p.labour_demand,
            workforce_chart: p.workforce_chart,
            mass_layoff: p.mass_layoff,
            reports: p.reports,
            user_admin: p.user_admin,
        }
    }
}

/// A user of the employer.
#[derive(Serialize, ToSchema)]
pub struct EmployerUserView {
    /// Masked (`*********50`).
    #[schema(example = "*********50")]
    pub tckn_masked: String,
    /// Path key for changes: the full TCKN, shown only to the employer's user admins.
    pub tckn: String,
    pub permissions: PermissionsBody,
    /// The user made at membership; nobody changes their roles.
    pub primary_admin: bool,
    /// Last day the user can act (Istanbul), if set.
    #[schema(value_type = Option<String>, format = Date)]
    pub closing_date: Option<String>,
    pub locked: bool,
}

fn user_view(u: WorkplaceUser) -> EmployerUserView {
    EmployerUserView {
        tckn_masked: u.tckn.masked(),
        tckn: u.tckn.as_str().to_owned(),
        permissions: u.permissions.into(),
        primary_admin: u.primary_admin,
        closing_date: u.closing_date.map(|d| d.to_string()),
        locked: u.locked,
    }
}

/// Add an authorised user.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddUserRequest {
    /// A registered individual (civil registry with an e-Devlet account, or a portal user).
    #[schema(example = "23456789060")]
    pub tckn: String,
    pub permissions: PermissionsBody,
    /// YYYY-MM-DD: the last day the user can act.
    #[schema(example = "2027-12-31")]
    pub closing_date: Option<String>,
}

/// Change a user (omitted fields stay; `closing_date: null` clears it).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeUserRequest {
    pub permissions: Option<PermissionsBody>,
    #[serde(default, deserialize_with = "crate::extract::present")]
    #[schema(value_type = Option<String>, format = Date)]
    pub closing_date: Option<Option<String>>,
    pub locked: Option<bool>,
}

/// The employer's users (admin or user admin).
#[utoipa::path(
    operation_id = "list_employer_users",
    tag = "employers",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Employer id")),
    responses(
        (status = 200, description = "The users, primary admin first", body = Paged<EmployerUserView>),
        (status = 403, description = "Not an admin / user admin (`workplace_user.admin_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not your employer", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/employers/{id}/users")]
pub async fn list_employer_users(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id: EmployerId = path_id(&id, "employer.not_found")?;
    let actor = auth.0;
    let users = read(&state, move |c| {
        uc::list_users(&mut EmployerRepo::new(c), &actor, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::all(users.into_iter().map(user_view).collect())))
}

/// Add an authorised user with permission flags.
///
/// Add an authorised user with permission flags (admin or user admin; only an admin grants admin).
#[utoipa::path(
    operation_id = "add_employer_user",
    tag = "employers",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Employer id")),
    request_body = AddUserRequest,
    responses(
        (status = 201, description = "Added", body = EmployerUserView),
        (status = 403, description = "Not an admin (`workplace_user.admin_only`, `workplace_user.admin_grant`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not your employer", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already a user (`workplace_user.exists`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid TCKN or not a registered individual (`workplace_user.not_registered`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/employers/{id}/users")]
pub async fn add_employer_user(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<AddUserRequest>,
) -> ApiResult<HttpResponse> {
    let id: EmployerId = path_id(&id, "employer.not_found")?;
    let b = body.0;
    let mut errors = FieldErrors::new();
    let tckn = errors.take("tckn", Tckn::parse(&b.tckn));
    let closing = match b.closing_date.as_deref() {
        Some(d) => match crate::routes::mass_layoffs::parse_date("closing_date", d) {
            Ok(d) => Some(d),
            Err(e) => {
                e.fields.into_iter().for_each(|f| errors.push(f));
                None
            }
        },
        None => None,
    };
    errors.finish()?;
    let Some(tckn) = tckn else {
        return Err(crate::problem::ApiError::internal(
            "tckn missing without error",
        ));
    };
    let now = state.clock.now();
    let actor = auth.0;
    let u = write(&state, move |c| {
        uc::add_employer_user(
            &mut EmployerRepo::new(c),
            &actor,
            id,
            tckn,
            b.permissions.into(),
            closing,
            now,
        )
    })
    .await?;
    Ok(HttpResponse::Created().json(user_view(u)))
}

/// Change a user's flags, closing date or lock.
///
/// Change a user's flags, closing date or lock (never the primary admin's, never your own).
#[utoipa::path(
    operation_id = "change_employer_user",
    tag = "employers",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Employer id"), ("tckn" = String, Path, description = "The user's TCKN")),
    request_body = ChangeUserRequest,
    responses(
        (status = 200, description = "Changed", body = EmployerUserView),
        (status = 403, description = "Not allowed (`workplace_user.admin_only`, `workplace_user.primary_admin`, `workplace_user.own_roles`, `workplace_user.admin_grant`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user, or not your employer", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad date, or a malformed TCKN in the path (field `tckn`, `tckn.format` / `tckn.leading_zero` / `tckn.checksum`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("/employers/{id}/users/{tckn}")]
pub async fn change_employer_user(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<(String, String)>,
    body: JsonBody<ChangeUserRequest>,
) -> ApiResult<HttpResponse> {
    let (id, tckn) = path.into_inner();
    let id: EmployerId = path_id(&id, "employer.not_found")?;
    let tckn: Tckn = path_identity(&tckn, "tckn")?;
    let b = body.0;
    let closing_date = match b.closing_date {
        Some(Some(d)) => Some(Some(crate::routes::mass_layoffs::parse_date(
            "closing_date",
            &d,
        )?)),
        Some(None) => Some(None),
        None => None,
    };
    let change = UserChange {
        permissions: b.permissions.map(Into::into),
        closing_date,
        locked: b.locked,
    };
    let now = state.clock.now();
    let actor = auth.0;
    let u = write(&state, move |c| {
        uc::change_employer_user(&mut EmployerRepo::new(c), &actor, id, &tckn, change, now)
    })
    .await?;
    Ok(HttpResponse::Ok().json(user_view(u)))
}

/// The contact-detail check before a password reset.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SecretQuestionRequest {
    #[schema(example = "12345678950")]
    pub tckn: String,
    /// The mobile number given at membership.
    #[schema(example = "5321234567")]
    pub mobile: String,
}

#[derive(Serialize, ToSchema)]
pub struct SecretQuestionView {
    pub secret_question: String,
}

/// The TCKN and mobile of the contact-detail check, both named when invalid.
fn person_and_mobile(
    tckn: &str,
    mobile: &str,
) -> Result<(Tckn, MobilePhone), kapi_core::DomainError> {
    let mut errors = FieldErrors::new();
    let tckn = errors.take("tckn", Tckn::parse(tckn));
    let mobile = errors.take("mobile", MobilePhone::parse(mobile));
    errors.finish()?;
    tckn.zip(mobile)
        .ok_or_else(|| kapi_core::DomainError::internal("fields missing without errors"))
}

/// Step 1 of "forgot my password": the secret question.
///
/// Step 1 of "forgot my password": TCKN + the mobile on record → the secret question.
#[utoipa::path(
    operation_id = "get_employer_secret_question",
    tag = "auth",
    request_body = SecretQuestionRequest,
    responses(
        (status = 200, description = "The question", body = SecretQuestionView),
        (status = 401, description = "Details do not match (`auth.reset_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid TCKN or mobile", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts for this account from this address, or too many failed logins from this address (`request.rate_limited`, with Retry-After in seconds)", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the window ends")))
    )
)]
#[post("/auth/employer/secret-question")]
pub async fn employer_secret_question(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<SecretQuestionRequest>,
) -> ApiResult<HttpResponse> {
    let attempt = crate::rate_limit::login(&state, &req, &body.0.tckn).await?;
    let b = body.0;
    let answer = async {
        let (tckn, mobile) = person_and_mobile(&b.tckn, &b.mobile)?;
        read(&state, move |c| {
            uc::secret_question(&mut EmployerRepo::new(c), &tckn, &mobile)
        })
        .await
    }
    .await;
    let q = attempt.settle(&state, answer).await?;
    Ok(HttpResponse::Ok().json(SecretQuestionView { secret_question: q }))
}

/// Step 2: the secret answer and the new password twice.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    pub tckn: String,
    pub mobile: String,
    /// Compared regardless of Turkish case and spacing.
    pub secret_answer: String,
    pub new_password: String,
    pub new_password_repeat: String,
}

/// Reset the employer-portal password (secret question + contact-detail check).
#[utoipa::path(
    operation_id = "reset_employer_password",
    tag = "auth",
    request_body = PasswordResetRequest,
    responses(
        (status = 204, description = "Password changed; log in with the new one"),
        (status = 401, description = "Details do not match (`auth.reset_failed`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Weak or differing passwords (`password.too_weak`, `password.mismatch`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts for this account from this address, or too many failed logins from this address (`request.rate_limited`, with Retry-After in seconds)", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the window ends")))
    )
)]
#[post("/auth/employer/password-reset")]
pub async fn reset_employer_password(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<PasswordResetRequest>,
) -> ApiResult<HttpResponse> {
    let attempt = crate::rate_limit::login(&state, &req, &body.0.tckn).await?;
    let b = body.0;
    let answer = async {
        let (tckn, mobile) = person_and_mobile(&b.tckn, &b.mobile)?;
        let now = state.clock.now();
        write(&state, move |c| {
            uc::reset_password(
                &mut EmployerRepo::new(c),
                &tckn,
                &mobile,
                &b.secret_answer,
                &b.new_password,
                &b.new_password_repeat,
                now,
            )
        })
        .await
    }
    .await;
    attempt.settle(&state, answer).await?;
    Ok(HttpResponse::NoContent().finish())
}
