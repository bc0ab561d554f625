//! Açık Kapı desk users (Sorumlu / Yetkili): administration by the province administrator
//! ("Yetki İşlemleri") and the officers' TCKN + mobile + one-time-code login. Rules in
//! `kapi_petitions::users`.

use super::auth::{check_code, send_code, token_response, TokenResponse};
use super::FileBytes;
use super::{HistoryEntryView, Paged};
use crate::extract::{etag, path_id, Authenticated, IfMatch, JsonBody, QueryParams};
use crate::problem::{ApiResult, Problem};
use crate::state::{read, write, AppState};
use actix_web::http::header;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use kapi_core::{
    DomainError, FieldErrors, MobilePhone, OtpChallengeId, PageRequest, PetitionUserId, Tckn,
};
use kapi_identity::otp::{Channel, OtpCode, Purpose};
use kapi_persistence::petition_users::PetitionUserRepo;
use kapi_petitions::users::{
    self as uc, login_subject, PetitionUser, PetitionUserKind, UserChange, UserDraft, UserQuery,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// "Kullanıcı Yetki Tipi": `desk_officer` (Sorumlu, AKS) or `unit_officer` (Yetkili).
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PetitionUserKindCode {
    DeskOfficer,
    UnitOfficer,
}

impl From<PetitionUserKindCode> for PetitionUserKind {
    fn from(k: PetitionUserKindCode) -> Self {
        match k {
            PetitionUserKindCode::DeskOfficer => PetitionUserKind::DeskOfficer,
            PetitionUserKindCode::UnitOfficer => PetitionUserKind::UnitOfficer,
        }
    }
}

impl From<PetitionUserKind> for PetitionUserKindCode {
    fn from(k: PetitionUserKind) -> Self {
        match k {
            PetitionUserKind::DeskOfficer => PetitionUserKindCode::DeskOfficer,
            PetitionUserKind::UnitOfficer => PetitionUserKindCode::UnitOfficer,
        }
    }
}

/// An Açık Kapı desk user.
#[derive(Serialize, ToSchema)]
pub struct PetitionUserView {
    pub id: Uuid,
    pub kind: PetitionUserKindCode,
    #[schema(example = "10000000146")]
    pub tckn: String,
    #[schema(example = "Ayşe")]
    pub first_name: String,
    #[schema(example = "Yılmaz")]
    pub last_name: String,
    /// Ten digits starting with 5.
    #[schema(example = "5321000001")]
    pub mobile: String,
    /// Province plate code.
    #[schema(example = 6)]
    pub province: u8,
    /// Sorumlu: the districts they see (empty = the whole province). Yetkili: empty.
    #[schema(example = json!([6002, 6007]))]
    pub districts: Vec<i32>,
    /// Yetkili: their DETSİS units. Sorumlu: empty.
    #[schema(example = json!(["55481037"]))]
    pub units: Vec<String>,
    /// False once deactivated ("Sil"): the user can no longer log in.
    pub active: bool,
    /// Also sent as the `ETag`; send it back in `If-Match` to change or deactivate.
    #[schema(example = 1)]
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl From<PetitionUser> for PetitionUserView {
    fn from(u: PetitionUser) -> Self {
        PetitionUserView {
            id: u.id.as_uuid(),
            kind: u.kind.into(),
            tckn: u.tckn.as_str().to_owned(),
            first_name: u.first_name.as_str().to_owned(),
            last_name: u.last_name.as_str().to_owned(),
            mobile: u.mobile.as_str().to_owned(),
            province: u.province.get(),
            districts: u.districts,
            units: u.units,
            active: u.active,
            version: u.version,
            created_at: u.created_at,
            updated_at: u.updated_at,
        }
    }
}

fn with_etag(mut res: actix_web::HttpResponseBuilder, u: PetitionUser) -> HttpResponse {
    res.insert_header((header::ETAG, etag(u.version)))
        .json(PetitionUserView::from(u))
}

/// Register a Sorumlu or Yetkili ("Açık Kapı Kullanıcı Kayıt").
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePetitionUserRequest {
    pub kind: PetitionUserKindCode,
    /// T.C. kimlik no (checksum verified); one active registration per person.
    #[schema(example = "10000000146", pattern = "^[1-9][0-9]{10}$")]
    pub tckn: String,
    #[schema(example = "Ayşe", min_length = 2, max_length = 50)]
    pub first_name: String,
    #[schema(example = "Yılmaz", min_length = 2, max_length = 50)]
    pub last_name: String,
    /// The mobile the login codes go to.
    #[schema(example = "05321000001")]
    pub mobile: String,
    /// Must be your own province.
    #[schema(example = 6)]
    pub province: i64,
    /// Sorumlu only: district codes of the province (none = the whole province).
    #[serde(default)]
    #[schema(example = json!([6002, 6007]))]
    pub districts: Vec<i32>,
    /// Yetkili only: one or more DETSİS numbers of units of the province (or national).
    #[serde(default)]
    #[schema(example = json!([]))]
    pub units: Vec<String>,
}

/// Change a user ("Güncelle"); absent fields stay. Kind, TCKN and province never change.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePetitionUserRequest {
    #[schema(example = "Ayşe Nur", min_length = 2, max_length = 50)]
    pub first_name: Option<String>,
    #[schema(min_length = 2, max_length = 50)]
    pub last_name: Option<String>,
    #[schema(example = "05321000011")]
    pub mobile: Option<String>,
    /// Sorumlu: the new district list (empty = the whole province).
    #[schema(example = json!([6002]))]
    pub districts: Option<Vec<i32>>,
    /// Yetkili: the new unit list (at least one).
    pub units: Option<Vec<String>>,
}

/// Search criteria ("Açık Kapı Kullanıcı Arama"); always within your province.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PetitionUserQuery {
    /// `desk_officer` or `unit_officer`.
    #[param(inline)]
    pub kind: Option<PetitionUserKindCode>,
    pub tckn: Option<String>,
    /// A DETSİS number ("Devlet Birim").
    pub unit: Option<String>,
    /// A district code.
    pub district: Option<i32>,
    /// Part of the full name; Turkish letters and case do not matter.
    pub name: Option<String>,
    pub mobile: Option<String>,
    /// Default `true`: active users; `false` lists the deactivated ones.
    pub active: Option<bool>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

impl PetitionUserQuery {
    fn criteria(self) -> (UserQuery, Option<i64>, Option<i64>) {
        (
            UserQuery {
                kind: self.kind.map(Into::into),
                tckn: self.tckn,
                unit: self.unit,
                district: self.district,
                name: self.name,
                mobile: self.mobile,
                active: self.active,
            },
            self.page,
            self.per_page,
        )
    }
}

/// Register a Sorumlu (AKS) or Yetkili in your province (province administrator).
#[utoipa::path(
    operation_id = "create_petition_user",
    tag = "petition-users",
    security(("bearer" = [])),
    request_body = CreatePetitionUserRequest,
    responses(
        (status = 201, description = "Registered", body = PetitionUserView, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Not a province administrator (`petition_user.admin_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The person already has an active registration (`petition_user.already_registered`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field at once (`tckn.checksum`, `phone.format`, `name.too_short`, `petition_user.other_province`, `district.unknown`, `petition_user.district_other_province`, `detsis.unknown`, `petition_user.unit_other_province`, `petition_user.units_required`, `petition_user.units_not_allowed`, `petition_user.districts_not_allowed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/admin/petition-users")]
pub async fn create_petition_user(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<CreatePetitionUserRequest>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let draft = UserDraft {
        kind: Some(b.kind.into()),
        tckn: b.tckn,
        first_name: b.first_name,
        last_name: b.last_name,
        mobile: b.mobile,
        province: b.province,
        districts: b.districts,
        units: b.units,
    };
    let now = state.clock.now();
    let actor = auth.0;
    let u = write(&state, move |c| {
        uc::register_user(&mut PetitionUserRepo::new(c), &actor, draft, now)
    })
    .await?;
    let mut res = HttpResponse::Created();
    res.insert_header((
        header::LOCATION,
        format!("/api/v1/admin/petition-users/{}", u.id),
    ));
    Ok(with_etag(res, u))
}

/// Search your province's Sorumlu / Yetkili users (province administrator).
#[utoipa::path(
    operation_id = "list_petition_users",
    tag = "petition-users",
    security(("bearer" = [])),
    params(PetitionUserQuery),
    responses(
        (status = 200, description = "A page of users, by kind and name", body = Paged<PetitionUserView>),
        (status = 403, description = "Not a province administrator (`petition_user.admin_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad criteria (`tckn`, `unit`, `mobile`) or paging", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin/petition-users")]
pub async fn list_petition_users(
    state: web::Data<AppState>,
    auth: Authenticated,
    q: QueryParams<PetitionUserQuery>,
) -> ApiResult<HttpResponse> {
    let (query, page, per_page) = q.0.criteria();
    let page = PageRequest::new(page, per_page)?;
    let actor = auth.0;
    let p = read(&state, move |c| {
        uc::search_users(&mut PetitionUserRepo::new(c), &actor, query, page)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::from_page(p, PetitionUserView::from)))
}

fn joined(items: impl IntoIterator<Item = String>) -> String {
    items.into_iter().collect::<Vec<_>>().join(", ")
}

/// The searched desk users as an Excel list ("Rapor Al").
///
/// The search's users as an Excel list ("Rapor Al"); `page` and `per_page` are ignored.
/// With no matching user: 404 `report.no_records`, never an empty file.
#[utoipa::path(
    operation_id = "export_petition_users",
    tag = "petition-users",
    security(("bearer" = [])),
    params(PetitionUserQuery),
    responses(
        (status = 200, description = "The user list", content(
            (FileBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        ), headers(("Content-Disposition" = String))),
        (status = 403, description = "Not a province administrator (`petition_user.admin_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No matching user (`report.no_records`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad criteria, or more than 5000 users (`report.too_many_rows`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin/petition-users/export")]
pub async fn export_petition_users(
    state: web::Data<AppState>,
    auth: Authenticated,
    q: QueryParams<PetitionUserQuery>,
) -> ApiResult<HttpResponse> {
    let (query, _, _) = q.0.criteria();
    let actor = auth.0;
    let now = state.clock.now();
    let report = read(&state, move |c| {
        let mut repo = PetitionUserRepo::new(c);
        let (filter, users) = uc::export_users(&mut repo, &actor, query)?;
        let province = repo.province_name(filter.province)?;
        let all_districts: Vec<i32> = users.iter().flat_map(|u| u.districts.clone()).collect();
        let all_units: Vec<String> = users.iter().flat_map(|u| u.units.clone()).collect();
        let district_names = repo.district_names(&all_districts)?;
        let unit_names = repo.unit_names(&all_units)?;
        let mut criteria = vec![
            ("İl".to_owned(), province.clone()),
            (
                "Kullanıcı Yetki".to_owned(),
                if filter.active { "Aktif" } else { "Pasif" }.to_owned(),
            ),
        ];
        if let Some(k) = filter.kind {
            criteria.push(("Kullanıcı Yetki Tipi".into(), k.label().into()));
        }
        if let Some(t) = &filter.tckn {
            criteria.push(("T.C. Kimlik No".into(), t.to_string()));
        }
        if let Some(u) = &filter.unit {
            criteria.push(("Devlet Birim".into(), u.clone()));
        }
        if let Some(d) = filter.district {
            let name = repo.district_names(&[d])?.remove(&d);
            criteria.push(("İlçe".into(), name.unwrap_or_else(|| d.to_string())));
        }
        if let Some(n) = &filter.name_key {
            criteria.push(("Ad Soyad".into(), n.clone()));
        }
        if let Some(m) = &filter.mobile {
            criteria.push(("Cep Telefonu".into(), m.to_string()));
        }
        let rows = users
            .into_iter()
            .map(|u| {
                let districts = match u.kind {
                    PetitionUserKind::DeskOfficer if u.districts.is_empty() => "Tümü".to_owned(),
                    _ => joined(u.districts.iter().map(|d| {
                        district_names
                            .get(d)
                            .cloned()
                            .unwrap_or_else(|| d.to_string())
                    })),
                };
                let units = joined(u.units.iter().map(|x| match unit_names.get(x) {
                    Some(name) => format!("{x} {name}"),
                    None => x.clone(),
                }));
                vec![
                    u.kind.label().to_owned(),
                    u.tckn.to_string(),
                    u.first_name.as_str().to_owned(),
                    u.last_name.as_str().to_owned(),
                    u.mobile.to_string(),
                    province.clone(),
                    districts,
                    units,
                ]
            })
            .collect();
        let col = |header: &str, width: f32| kapi_documents::Column {
            header: header.to_owned(),
            width,
        };
        Ok(kapi_documents::Report {
            title: "Açık Kapı Kullanıcı Listesi".into(),
            criteria,
            generated_at: kapi_labour_demand::reports::istanbul_time(now),
            columns: vec![
                col("Kullanıcı Tipi", 12.0),
                col("T.C. Kimlik No", 14.0),
                col("Adı", 16.0),
                col("Soyadı", 16.0),
                col("Cep Telefonu", 14.0),
                col("İl", 12.0),
                col("İlçeler", 30.0),
                col("Birimler", 40.0),
            ],
            rows,
        })
    })
    .await?;
    super::download(
        kapi_documents::to_xlsx(&report),
        kapi_documents::XLSX_MEDIA_TYPE,
        "acik-kapi-kullanicilari.xlsx",
    )
}

/// One desk user of your province, with its `ETag`.
///
/// One user of your province, active or not, with its `ETag` (province administrator).
#[utoipa::path(
    operation_id = "get_petition_user",
    tag = "petition-users",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 200, description = "The user", body = PetitionUserView, headers(("ETag" = String, description = "Version, for If-Match"))),
        (status = 403, description = "Not a province administrator (`petition_user.admin_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user in your province (`petition_user.not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin/petition-users/{id}")]
pub async fn get_petition_user(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id: PetitionUserId = path_id(&id, "petition_user.not_found")?;
    let actor = auth.0;
    let u = read(&state, move |c| {
        uc::get_user(&mut PetitionUserRepo::new(c), &actor, id)
    })
    .await?;
    Ok(with_etag(HttpResponse::Ok(), u))
}

/// Change a desk user's names, mobile, districts or units.
///
/// Change a user's names, mobile, districts (Sorumlu) or units (Yetkili); the new scope
/// applies at the officer's next login. Send `If-Match` with the version you saw.
#[utoipa::path(
    operation_id = "update_petition_user",
    tag = "petition-users",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "User id"), ("If-Match" = Option<String>, Header, description = "The ETag you read, e.g. \"3\"")),
    request_body = UpdatePetitionUserRequest,
    responses(
        (status = 200, description = "Updated (unchanged when nothing differs)", body = PetitionUserView, headers(("ETag" = String))),
        (status = 403, description = "Not a province administrator (`petition_user.admin_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user in your province (`petition_user.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The user was deactivated (`petition_user.inactive`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it (`precondition.version_mismatch`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Every invalid field at once", body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("/admin/petition-users/{id}")]
pub async fn update_petition_user(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<UpdatePetitionUserRequest>,
) -> ApiResult<HttpResponse> {
    let id: PetitionUserId = path_id(&id, "petition_user.not_found")?;
    let b = body.0;
    let change = UserChange {
        first_name: b.first_name,
        last_name: b.last_name,
        mobile: b.mobile,
        districts: b.districts,
        units: b.units,
    };
    let now = state.clock.now();
    let actor = auth.0;
    let u = write(&state, move |c| {
        uc::update_user(
            &mut PetitionUserRepo::new(c),
            &actor,
            id,
            change,
            if_match.0,
            now,
        )
    })
    .await?;
    Ok(with_etag(HttpResponse::Ok(), u))
}

/// Deactivate a desk user ("Sil").
///
/// Deactivate a user ("Sil"): they can no longer log in; the record and its history stay,
/// and the person may be registered again.
#[utoipa::path(
    operation_id = "deactivate_petition_user",
    tag = "petition-users",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "User id"), ("If-Match" = Option<String>, Header, description = "The ETag you read")),
    responses(
        (status = 204, description = "Deactivated"),
        (status = 403, description = "Not a province administrator (`petition_user.admin_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user in your province (`petition_user.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already deactivated (`petition_user.inactive`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it (`precondition.version_mismatch`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[delete("/admin/petition-users/{id}")]
pub async fn deactivate_petition_user(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
) -> ApiResult<HttpResponse> {
    let id: PetitionUserId = path_id(&id, "petition_user.not_found")?;
    let now = state.clock.now();
    let actor = auth.0;
    write(&state, move |c| {
        uc::deactivate_user(&mut PetitionUserRepo::new(c), &actor, id, if_match.0, now)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A desk user's history, oldest first.
///
/// A user's history, oldest first — also after deactivation (province administrator).
#[utoipa::path(
    operation_id = "list_petition_user_history",
    tag = "petition-users",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "User id")),
    responses(
        (status = 200, description = "The history", body = Paged<HistoryEntryView>),
        (status = 403, description = "Not a province administrator (`petition_user.admin_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such user in your province (`petition_user.not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin/petition-users/{id}/history")]
pub async fn petition_user_history(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id: PetitionUserId = path_id(&id, "petition_user.not_found")?;
    let actor = auth.0;
    let entries = read(&state, move |c| {
        uc::user_history(&mut PetitionUserRepo::new(c), &actor, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::all(
        entries.into_iter().map(HistoryEntryView::from).collect(),
    )))
}

/// "Sorumlu/Yetkili Girişi", step one: TCKN and the mobile on record.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficerOtpRequest {
    #[schema(example = "10000000146", pattern = "^[1-9][0-9]{10}$")]
    pub tckn: String,
    #[schema(example = "05321000001")]
    pub mobile: String,
}

/// A login code was sent by SMS.
#[derive(Serialize, ToSchema)]
pub struct OfficerChallengeView {
    /// Send it back with the code to `/auth/petition-officer/login`.
    pub challenge_id: Uuid,
    /// Where the code went, masked.
    #[schema(example = "******0001")]
    pub destination: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
}

/// "Sorumlu/Yetkili Girişi", step two: the code from the SMS.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficerLoginRequest {
    pub challenge_id: Uuid,
    #[schema(example = "10000000146", pattern = "^[1-9][0-9]{10}$")]
    pub tckn: String,
    /// The 6-digit code.
    #[schema(example = "123456", pattern = "^[0-9]{6}$")]
    pub code: String,
}

/// Ask for a login code as a Sorumlu (AKS) or Yetkili.
///
/// Ask for a login code as a Sorumlu (AKS) or Yetkili: with an active user of this TCKN
/// and this mobile, a one-time code goes to the mobile by SMS (6 digits, 3 minutes,
/// 5 tries; at most 3 per number in 10 minutes). Otherwise 404 "Aktif Kullanıcı
/// Bulunamadı". In the `dev` profile the SMS can be read at `GET /api/v1/dev/outbox`.
#[utoipa::path(
    operation_id = "create_petition_officer_otp",
    tag = "auth",
    request_body = OfficerOtpRequest,
    responses(
        (status = 201, description = "Code sent", body = OfficerChallengeView),
        (status = 404, description = "No active user with this TCKN and mobile (`petition_user.not_found`, \"Aktif Kullanıcı Bulunamadı\")", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid TCKN or mobile (`tckn.checksum`, `phone.format`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many codes to this number (`otp.rate_limited`), for this TCKN or from this address, or too many failed logins from this address (`request.rate_limited`); with Retry-After in seconds", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the window ends")))
    )
)]
#[post("/auth/petition-officer/otp")]
pub async fn create_petition_officer_otp(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<OfficerOtpRequest>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let mut errors = FieldErrors::new();
    let tckn = errors.take("tckn", Tckn::parse(&b.tckn));
    let mobile = errors.take("mobile", MobilePhone::parse(&b.mobile));
    errors.finish()?;
    let (Some(tckn), Some(mobile)) = (tckn, mobile) else {
        return Err(DomainError::internal("validated login lost a field").into());
    };
    let masked = mobile.masked();
    let subject = login_subject(&tckn);
    let destination = mobile.as_str().to_owned();
    // Asking for a login code is a login step: a TCKN and mobile that match no active
    // user count as a failed login from this address.
    let attempt = crate::rate_limit::Attempt::start(
        &state,
        &[(
            crate::rate_limit::Bucket::LoginAddress,
            &crate::rate_limit::client_ip(&req, state.trust_forwarded_for),
        )],
    )
    .await?;
    let sent = send_code(
        &state,
        &req,
        Channel::Sms,
        destination,
        Purpose::PetitionOfficerLogin,
        subject,
        move |conn| uc::officer_for_code(&mut PetitionUserRepo::new(conn), &tckn, &mobile),
    )
    .await;
    let (c, _) = attempt.settle(&state, sent).await?;
    Ok(HttpResponse::Created().json(OfficerChallengeView {
        challenge_id: c.id.as_uuid(),
        destination: masked,
        expires_at: c.expires_at,
    }))
}

/// Log in as a Sorumlu (AKS) or Yetkili with the SMS code.
///
/// Log in as a Sorumlu (AKS) or Yetkili with the SMS code. The token's actor is
/// `desk_officer` (province, districts) or `unit_officer` (province, units) as registered
/// now; a user deactivated meanwhile is refused with `petition_user.not_found`.
#[utoipa::path(
    operation_id = "login_petition_officer",
    tag = "auth",
    request_body = OfficerLoginRequest,
    responses(
        (status = 200, description = "Logged in", body = TokenResponse),
        (status = 404, description = "No such challenge for this TCKN (`otp.not_found`), or no active user any more (`petition_user.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Code already used (`otp.already_used`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong (`otp.wrong_code`), expired (`otp.expired`) or exhausted (`otp.too_many_attempts`) code, or an invalid TCKN", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts for this account from this address, or too many failed logins from this address (`request.rate_limited`, with Retry-After in seconds)", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the window ends")))
    )
)]
#[post("/auth/petition-officer/login")]
pub async fn login_petition_officer(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<OfficerLoginRequest>,
) -> ApiResult<HttpResponse> {
    let attempt = crate::rate_limit::login(&state, &req, &body.0.tckn).await?;
    let b = body.0;
    let answer = async {
        let mut errors = FieldErrors::new();
        let tckn = errors.take("tckn", Tckn::parse(&b.tckn));
        let code = errors.take("code", OtpCode::parse(&b.code));
        errors.finish()?;
        let (Some(tckn), Some(code)) = (tckn, code) else {
            return Err(DomainError::internal("validated login lost a field").into());
        };
        let id = OtpChallengeId::from_uuid(b.challenge_id);
        let subject = login_subject(&tckn);
        let (actor, user) = check_code(
            &state,
            id,
            subject,
            code,
            &[Purpose::PetitionOfficerLogin],
            move |conn, c| {
                uc::officer_login(&mut PetitionUserRepo::new(conn), &tckn, &c.destination)
            },
        )
        .await?;
        token_response(&state, &actor, user.full_name())
    }
    .await;
    let token = attempt.settle(&state, answer).await?;
    Ok(HttpResponse::Ok().json(token))
}
