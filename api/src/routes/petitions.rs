//! Açık Kapı petitions over HTTP: the citizen's identity check, submission and query; the
//! desk's (AKS) written entry, search, Excel export, headings, routing, MİA approval and
//! closing; the units' (Yetkili) answers; the MİA's answer, send-back and reset. Rules and
//! scope in `kapi_petitions::usecases`.

use super::auth::{check_code, send_code, token_response, TokenResponse};
use super::{AttachmentsForm, FileBytes};
use super::{HistoryEntryView, Paged};
use crate::extract::{etag, path_id, Authenticated, IfMatch, JsonBody, QueryParams};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::routes::mass_layoffs::parse_date;
use crate::state::{read, write, AppState};
use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::{get, post, put, web, FromRequest, HttpRequest, HttpResponse};
use futures_util::future::LocalBoxFuture;
use futures_util::StreamExt;
use kapi_core::{
    istanbul_date_of, Actor, BlobStore, DomainError, FieldError, MobilePhone, PageRequest,
    PetitionFileId, PetitionId, Tckn,
};
use kapi_identity::otp::{Channel, OtpCode, Purpose};
use kapi_persistence::identity::IdentityRepo;
use kapi_persistence::petitions::PetitionRepo;
use kapi_petitions::attachment::{check_attachment, StoredFile, MAX_ATTACHMENT_BYTES};
use kapi_petitions::petition::{AddressInput, HeadingInput, Petition, PetitionForm, MAX_FILES};
use kapi_petitions::usecases::{self as uc, GovernorAction, SearchCriteria};
use kapi_petitions::workflow::{Outcome, Status, UnitOutcome};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

pub const TAG: &str = "petitions";

// ---------------------------------------------------------------------------------------
// Bodies

/// The subject address (başvuruya konu olan adres): every field, or `same_as_residence`.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct AddressBody {
    /// Copy the residence address from the registry; the other fields are then ignored.
    #[serde(default)]
    pub same_as_residence: bool,
    #[schema(example = 6)]
    pub province: Option<i64>,
    /// From `/api/v1/reference/provinces/{code}/districts`.
    #[schema(example = 1231)]
    pub district_code: Option<i32>,
    /// A neighbourhood (mahalle) or village (köy) code of the district, from
    /// `/api/v1/reference/districts/{code}/neighbourhoods`.
    pub neighbourhood_code: Option<i32>,
    /// 5–500 characters.
    #[schema(example = "Atatürk İlköğretim Okulu önü, Kalaba Mah.")]
    pub open_address: Option<String>,
}

/// One service heading with one of its sub-headings (`/api/v1/reference/service-headings`).
#[derive(Deserialize, Serialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct HeadingBody {
    #[schema(example = "H01")]
    pub heading_code: String,
    #[schema(example = "H01.04")]
    pub sub_heading_code: String,
    /// Required with the `DIGER` heading (3–500 characters).
    pub description: Option<String>,
}

/// The petition form (Başvuru Formu). Identity and residence come from the registry.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PetitionBody {
    pub subject_address: AddressBody,
    /// Required, unless a home phone is given instead.
    #[schema(example = "5321000001")]
    pub mobile: Option<String>,
    pub email: Option<String>,
    /// For citizens without a mobile number.
    pub home_phone: Option<String>,
    pub headings: Vec<HeadingBody>,
    /// From `/api/v1/reference/education-levels`.
    #[schema(example = "bachelor")]
    pub education_level: String,
    /// From `/api/v1/reference/sectors`.
    pub sector_id: String,
    /// 10–5000 characters.
    #[schema(example = "Okulumuzun bahçe duvarı yıkılmak üzere; onarılmasını talep ediyorum.")]
    pub subject: String,
}

/// A written petition the AKS enters: the citizen's TCKN (identity and residence come from
/// the registry), the arrival date on the paper, and the form.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WrittenPetitionBody {
    #[schema(example = "10000000146")]
    pub tckn: String,
    /// The day the paper petition arrived (YYYY-MM-DD), not in the future.
    #[schema(value_type = String, format = Date, example = "2026-12-01")]
    pub arrival_date: String,
    pub subject_address: AddressBody,
    /// Required, unless a home phone is given instead.
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub home_phone: Option<String>,
    pub headings: Vec<HeadingBody>,
    #[schema(example = "bachelor")]
    pub education_level: String,
    pub sector_id: String,
    /// 10–5000 characters.
    pub subject: String,
}

impl WrittenPetitionBody {
    fn form(self) -> PetitionBody {
        PetitionBody {
            subject_address: self.subject_address,
            mobile: self.mobile,
            email: self.email,
            home_phone: self.home_phone,
            headings: self.headings,
            education_level: self.education_level,
            sector_id: self.sector_id,
            subject: self.subject,
        }
    }
}

fn form_of(b: PetitionBody) -> PetitionForm {
    PetitionForm {
        subject_address: AddressInput {
            same_as_residence: b.subject_address.same_as_residence,
            province: b.subject_address.province,
            district_code: b.subject_address.district_code,
            neighbourhood_code: b.subject_address.neighbourhood_code,
            open_address: b.subject_address.open_address,
        },
        mobile: b.mobile,
        email: b.email,
        home_phone: b.home_phone,
        headings: b.headings.into_iter().map(heading_input).collect(),
        education_level: b.education_level,
        sector_id: b.sector_id,
        subject: b.subject,
    }
}

fn heading_input(h: HeadingBody) -> HeadingInput {
    HeadingInput {
        heading_code: h.heading_code,
        sub_heading_code: h.sub_heading_code,
        description: h.description,
    }
}

// ---------------------------------------------------------------------------------------
// Views

#[derive(Serialize, ToSchema)]
pub struct AddressView {
    pub province: u8,
    pub province_name: String,
    pub district_code: i32,
    pub district_name: String,
    pub neighbourhood_code: Option<i32>,
    pub neighbourhood_name: Option<String>,
    /// `mahalle` or `köy`.
    pub neighbourhood_kind: Option<String>,
    pub open_address: String,
}

impl From<&kapi_petitions::petition::Address> for AddressView {
    fn from(a: &kapi_petitions::petition::Address) -> Self {
        AddressView {
            province: a.province,
            province_name: a.province_name.clone(),
            district_code: a.district_code,
            district_name: a.district_name.clone(),
            neighbourhood_code: a.neighbourhood_code,
            neighbourhood_name: a.neighbourhood_name.clone(),
            neighbourhood_kind: a.neighbourhood_kind.clone(),
            open_address: a.open_address.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct HeadingView {
    pub heading_code: String,
    pub heading_name: String,
    pub sub_heading_code: String,
    pub sub_heading_name: String,
    pub description: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FileView {
    pub id: Uuid,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: u64,
    pub sha256: String,
    /// `GET` it to download.
    pub href: String,
}

fn file_view(p: &Petition, f: &StoredFile) -> FileView {
    FileView {
        id: f.id.as_uuid(),
        file_name: f.file_name.clone(),
        media_type: f.media_type.clone(),
        size_bytes: f.size_bytes,
        sha256: f.sha256.clone(),
        href: format!("/api/v1/petitions/{}/files/{}", p.id, f.id),
    }
}

#[derive(Serialize, ToSchema)]
pub struct UnitAnswerView {
    /// `positive` (Olumlu) or `negative` (Olumsuz).
    pub outcome: String,
    pub text: String,
    pub by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub files: Vec<FileView>,
}

#[derive(Serialize, ToSchema)]
pub struct RoutingView {
    /// DETSİS unit number.
    pub unit_no: String,
    #[serde(with = "time::serde::rfc3339")]
    pub routed_at: OffsetDateTime,
    /// The last Istanbul day to answer in time.
    #[schema(value_type = String, format = Date)]
    pub deadline: String,
    /// Past the deadline and not answered.
    pub overdue: bool,
    pub answer: Option<UnitAnswerView>,
}

#[derive(Serialize, ToSchema)]
pub struct GovernorView {
    #[serde(with = "time::serde::rfc3339")]
    pub sent_at: OffsetDateTime,
    pub answer: Option<String>,
    /// The explanation when sent back.
    pub sent_back: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ClosingView {
    /// `positive`, `negative` or `partly_positive`.
    pub outcome: String,
    /// The reply in the standard template ("Sayın …; Açık Kapı Bürosu'na … VALİLİĞİ").
    pub letter: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

#[derive(Serialize, ToSchema)]
pub struct PetitionerView {
    pub tckn: String,
    pub first_name: String,
    pub last_name: String,
    /// From the identity registry.
    pub residence: AddressView,
}

#[derive(Serialize, ToSchema)]
pub struct ContactView {
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub home_phone: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CodeName {
    pub code: String,
    pub name: String,
}

/// A petition as the citizen, the AKS and the MİA see it.
#[derive(Serialize, ToSchema)]
pub struct PetitionView {
    pub id: Uuid,
    /// Başvuru takip no.
    #[schema(example = 1001)]
    pub tracking_no: i64,
    /// `online`, `written` (entered by the desk) or `integrator` (sent by an integrator's
    /// Open311 client, `/open311/v2`).
    pub channel: String,
    /// `in_pool`, `routed`, `units_answered`, `awaiting_governor`, `governor_answered`,
    /// `sent_back`, `closed` (labels: `/api/v1/reference/petition-statuses`).
    pub status: String,
    pub status_label: String,
    pub petitioner: PetitionerView,
    pub contact: ContactView,
    pub subject_address: AddressView,
    pub headings: Vec<HeadingView>,
    pub education_level: CodeName,
    pub sector: CodeName,
    pub subject: String,
    pub files: Vec<FileView>,
    #[schema(value_type = String, format = Date)]
    pub arrival_date: String,
    #[serde(with = "time::serde::rfc3339")]
    pub submitted_at: OffsetDateTime,
    pub routings: Vec<RoutingView>,
    pub governor: Option<GovernorView>,
    pub closing: Option<ClosingView>,
    /// Also the `ETag`.
    pub version: i64,
}

/// The petitioner as a unit officer sees them: no identity number, no residence.
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitPetitionerView {
    pub first_name: String,
    pub last_name: String,
}

/// A petition as a unit officer (Yetkili) sees it: **no citizen contact fields at all**
/// (no mobile, e-mail, home phone, residence or identity number), only the routings of
/// the officer's own units.
#[derive(Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UnitPetitionView {
    pub id: Uuid,
    pub tracking_no: i64,
    pub status: String,
    pub status_label: String,
    pub petitioner: UnitPetitionerView,
    pub subject_address: AddressView,
    pub headings: Vec<HeadingView>,
    pub subject: String,
    pub files: Vec<FileView>,
    #[schema(value_type = String, format = Date)]
    pub arrival_date: String,
    pub routings: Vec<RoutingView>,
    pub version: i64,
}

/// One petition: [`PetitionView`] for citizens, the AKS and the MİA; [`UnitPetitionView`]
/// (no contact fields) for a unit officer.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum PetitionDetail {
    Full(Box<PetitionView>),
    Unit(Box<UnitPetitionView>),
}

/// A line of the petition list (no contact fields, for every reader).
#[derive(Serialize, ToSchema)]
pub struct PetitionSummary {
    pub id: Uuid,
    pub tracking_no: i64,
    /// `online`, `written` or `integrator`.
    pub channel: String,
    pub first_name: String,
    pub last_name: String,
    pub province: u8,
    pub district_code: i32,
    pub district_name: String,
    /// `heading / sub-heading` codes.
    pub headings: Vec<String>,
    pub status: String,
    pub status_label: String,
    #[schema(value_type = String, format = Date)]
    pub arrival_date: String,
    /// Some routing is past its deadline without an answer.
    pub overdue: bool,
}

fn outcome_str(o: Outcome) -> &'static str {
    match o {
        Outcome::Positive => "positive",
        Outcome::Negative => "negative",
        Outcome::PartlyPositive => "partly_positive",
    }
}

/// The routings `p` carries — for a Yetkili, the use case has already kept only their units'.
fn routing_views(p: &Petition, today: Date) -> Vec<RoutingView> {
    p.workflow
        .routings
        .iter()
        .map(|r| RoutingView {
            unit_no: r.unit_no.clone(),
            routed_at: r.routed_at,
            deadline: r.deadline.to_string(),
            overdue: r.answer.is_none() && r.deadline < today,
            answer: r.answer.as_ref().map(|a| UnitAnswerView {
                outcome: match a.outcome {
                    UnitOutcome::Positive => "positive".into(),
                    UnitOutcome::Negative => "negative".into(),
                },
                text: a.text.clone(),
                by: a.by.clone(),
                at: a.at,
                files: a.files.iter().map(|f| file_view(p, f)).collect(),
            }),
        })
        .collect()
}

fn headings_view(p: &Petition) -> Vec<HeadingView> {
    p.headings
        .iter()
        .map(|h| HeadingView {
            heading_code: h.heading_code.clone(),
            heading_name: h.heading_name.clone(),
            sub_heading_code: h.sub_heading_code.clone(),
            sub_heading_name: h.sub_heading_name.clone(),
            description: h.description.clone(),
        })
        .collect()
}

/// Builds the view the actor may receive.
pub fn detail(actor: &Actor, p: &Petition, today: Date) -> PetitionDetail {
    let status = p.workflow.status;
    if !uc::sees_citizen_identity(actor) {
        return PetitionDetail::Unit(Box::new(UnitPetitionView {
            id: p.id.as_uuid(),
            tracking_no: p.tracking_no,
            status: status.as_str().into(),
            status_label: status.label().into(),
            petitioner: UnitPetitionerView {
                first_name: p.petitioner.first_name.clone(),
                last_name: p.petitioner.last_name.clone(),
            },
            subject_address: (&p.subject_address).into(),
            headings: headings_view(p),
            subject: p.subject.clone(),
            files: p.files.iter().map(|f| file_view(p, f)).collect(),
            arrival_date: p.arrival_date.to_string(),
            routings: routing_views(p, today),
            version: p.version,
        }));
    }
    PetitionDetail::Full(Box::new(PetitionView {
        id: p.id.as_uuid(),
        tracking_no: p.tracking_no,
        channel: p.channel.as_str().into(),
        status: status.as_str().into(),
        status_label: status.label().into(),
        petitioner: PetitionerView {
            tckn: p.petitioner.tckn.as_str().into(),
            first_name: p.petitioner.first_name.clone(),
            last_name: p.petitioner.last_name.clone(),
            residence: (&p.petitioner.residence).into(),
        },
        contact: ContactView {
            mobile: p.contact.mobile.clone(),
            email: p.contact.email.clone(),
            home_phone: p.contact.home_phone.clone(),
        },
        subject_address: (&p.subject_address).into(),
        headings: headings_view(p),
        education_level: CodeName {
            code: p.education_level.clone(),
            name: p.education_level_name.clone(),
        },
        sector: CodeName {
            code: p.sector_id.to_string(),
            name: p.sector_name.clone(),
        },
        subject: p.subject.clone(),
        files: p.files.iter().map(|f| file_view(p, f)).collect(),
        arrival_date: p.arrival_date.to_string(),
        submitted_at: p.submitted_at,
        routings: routing_views(p, today),
        governor: p.workflow.governor.as_ref().map(|g| GovernorView {
            sent_at: g.sent_at,
            answer: g.answer.clone(),
            sent_back: g.sent_back.clone(),
        }),
        closing: p.workflow.closing.as_ref().map(|c| ClosingView {
            outcome: outcome_str(c.outcome).into(),
            letter: c.letter.clone(),
            at: c.at,
        }),
        version: p.version,
    }))
}

fn summary(p: &Petition, today: Date) -> PetitionSummary {
    PetitionSummary {
        id: p.id.as_uuid(),
        tracking_no: p.tracking_no,
        channel: p.channel.as_str().into(),
        first_name: p.petitioner.first_name.clone(),
        last_name: p.petitioner.last_name.clone(),
        province: p.province(),
        district_code: p.subject_address.district_code,
        district_name: p.subject_address.district_name.clone(),
        headings: p
            .headings
            .iter()
            .map(|h| format!("{} / {}", h.heading_code, h.sub_heading_code))
            .collect(),
        status: p.workflow.status.as_str().into(),
        status_label: p.workflow.status.label().into(),
        arrival_date: p.arrival_date.to_string(),
        overdue: p.workflow.is_overdue(today),
    }
}

fn respond(actor: &Actor, p: &Petition, now: OffsetDateTime, status: StatusCode) -> HttpResponse {
    let mut res = HttpResponse::build(status);
    res.insert_header((header::ETAG, etag(p.version)));
    if status == StatusCode::CREATED {
        res.insert_header((header::LOCATION, format!("/api/v1/petitions/{}", p.id)));
    }
    res.json(detail(actor, p, istanbul_date_of(now)))
}

// ---------------------------------------------------------------------------------------
// Multipart: a JSON part named `data` and file parts named `files`.

/// A body of JSON, or `multipart/form-data` with the JSON in a part named `data` and
/// attachments in parts named `files` (each ≤ 10 MB, at most 10).
pub struct WithFiles<T> {
    pub data: T,
    pub files: Vec<(String, Vec<u8>)>,
}

impl<T: DeserializeOwned + 'static> FromRequest for WithFiles<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let mime = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_ascii_lowercase();
        if mime.starts_with("application/json") {
            let json = JsonBody::<T>::from_request(req, payload);
            return Box::pin(async move {
                Ok(WithFiles {
                    data: json.await?.0,
                    files: vec![],
                })
            });
        }
        if !mime.starts_with("multipart/form-data") {
            return Box::pin(async {
                Err(ApiError::http(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "request.unsupported_media_type",
                    "Send multipart/form-data (a `data` JSON part and `files` parts) or application/json.",
                ))
            });
        }
        let mut mp = actix_multipart::Multipart::new(req.headers(), payload.take());
        Box::pin(async move {
            let bad =
                |m: String| ApiError::http(StatusCode::BAD_REQUEST, "request.bad_multipart", m);
            let mut data: Option<T> = None;
            let mut files = vec![];
            while let Some(field) = mp.next().await {
                let mut field = field.map_err(|e| bad(e.to_string()))?;
                let name = field.name().unwrap_or("").to_owned();
                let file_name = field
                    .content_disposition()
                    .and_then(|d| d.get_filename())
                    .unwrap_or("")
                    .to_owned();
                let limit = match name.as_str() {
                    "data" => crate::extract::JSON_LIMIT,
                    "files" => MAX_ATTACHMENT_BYTES + 1,
                    other => {
                        return Err(DomainError::field(FieldError::new(
                            other,
                            "request.unknown_field",
                            "Only the parts `data` and `files` are accepted.",
                        ))
                        .into())
                    }
                };
                if name == "files" && files.len() >= MAX_FILES {
                    return Err(DomainError::field(FieldError::new(
                        "files",
                        "attachment.too_many",
                        format!("At most {MAX_FILES} files."),
                    ))
                    .into());
                }
                let mut bytes = Vec::new();
                while let Some(chunk) = field.next().await {
                    let chunk = chunk.map_err(|e| bad(e.to_string()))?;
                    if bytes.len() + chunk.len() > limit {
                        if name == "files" {
                            return Err(DomainError::field(FieldError::new(
                                format!("files[{}]", files.len()),
                                "attachment.too_large",
                                "Each file is at most 10 MB.",
                            ))
                            .into());
                        }
                        return Err(ApiError::http(
                            StatusCode::PAYLOAD_TOO_LARGE,
                            "request.too_large",
                            "The `data` part is larger than 64 KiB.",
                        ));
                    }
                    bytes.extend_from_slice(&chunk);
                }
                if name == "data" {
                    if data.is_some() {
                        return Err(DomainError::field(FieldError::new(
                            "data",
                            "request.duplicate_part",
                            "Send one `data` part.",
                        ))
                        .into());
                    }
                    data = Some(crate::extract::parse_json(&bytes)?);
                } else {
                    files.push((file_name, bytes));
                }
            }
            let data = data.ok_or_else(|| {
                ApiError::from(DomainError::field(FieldError::new(
                    "data",
                    "request.missing_field",
                    "The multipart body needs a `data` part with the JSON.",
                )))
            })?;
            Ok(WithFiles { data, files })
        })
    }
}

/// Checks every file (kind by content, 10 MB) and, when all pass, stores them in the blob
/// store. Nothing is stored when one fails.
async fn store_files(
    state: &web::Data<AppState>,
    files: Vec<(String, Vec<u8>)>,
) -> Result<Vec<StoredFile>, ApiError> {
    let mut checked = vec![];
    let mut errors = kapi_core::FieldErrors::new();
    for (i, (name, bytes)) in files.into_iter().enumerate() {
        match check_attachment(&format!("files[{i}]"), &name, &bytes) {
            Ok(c) => checked.push((c, bytes)),
            Err(e) => errors.push(e),
        }
    }
    errors.finish()?;
    let blobs: Arc<dyn BlobStore> = state.blobs.clone();
    web::block(move || {
        checked
            .into_iter()
            .map(|(c, bytes)| {
                let sha256 = blobs.put(&bytes)?;
                Ok(StoredFile {
                    id: PetitionFileId::new(),
                    file_name: c.file_name,
                    media_type: c.kind.media_type().to_owned(),
                    size_bytes: c.size as u64,
                    sha256,
                })
            })
            .collect::<Result<Vec<_>, DomainError>>()
    })
    .await
    .map_err(|e| ApiError::internal(format!("blocking task failed: {e}")))?
    .map_err(ApiError::from)
}

// ---------------------------------------------------------------------------------------
// Citizen identity check, query and verification

/// The identity check before an online petition (seed 004 §2.1).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityCheckRequest {
    #[schema(example = "10000000146")]
    pub tckn: String,
    #[schema(example = "Ayşe")]
    pub first_name: String,
    #[schema(example = "Yılmaz")]
    pub last_name: String,
    /// First letter of the mother's maiden surname.
    #[schema(example = "K")]
    pub mother_maiden_first_letter: String,
    /// Last letter of the mother's maiden surname.
    #[schema(example = "A")]
    pub mother_maiden_last_letter: String,
    #[schema(example = "5321000001")]
    pub mobile: String,
}

/// Query a petition: tracking number + TCKN (seed 004 §2.2).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PetitionQueryRequest {
    #[schema(example = 1001)]
    pub tracking_no: i64,
    #[schema(example = "10000000146")]
    pub tckn: String,
}

/// A code was sent by SMS.
#[derive(Serialize, ToSchema)]
pub struct PetitionChallenge {
    pub challenge_id: Uuid,
    /// Where the code went, masked.
    #[schema(example = "******0001")]
    pub destination: String,
    #[serde(with = "time::serde::rfc3339")]
    pub expires_at: OffsetDateTime,
    /// The petition asked about (query only).
    pub petition_id: Option<Uuid>,
}

/// The code typed back.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PetitionVerifyRequest {
    pub challenge_id: Uuid,
    #[schema(example = "10000000146")]
    pub tckn: String,
    #[schema(example = "123456", pattern = "^[0-9]{6}$")]
    pub code: String,
}

fn citizen_subject(tckn: &Tckn) -> String {
    format!("petition-citizen:{tckn}")
}

async fn send_citizen_code(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    tckn: Tckn,
    mobile: MobilePhone,
    purpose: Purpose,
    check: impl FnOnce(&mut PetitionRepo) -> Result<Option<Uuid>, DomainError> + Send + 'static,
) -> ApiResult<HttpResponse> {
    let now = state.clock.now();
    let masked = mobile.masked();
    let (c, petition_id) = send_code(
        state,
        req,
        Channel::Sms,
        mobile.as_str().to_owned(),
        purpose,
        citizen_subject(&tckn),
        move |conn| check(&mut PetitionRepo::new(conn, now)),
    )
    .await?;
    Ok(HttpResponse::Created().json(PetitionChallenge {
        challenge_id: c.id.as_uuid(),
        destination: masked,
        expires_at: c.expires_at,
        petition_id,
    }))
}

/// Step 1 of an online petition: the identity check.
///
/// Step 1 of an online petition: the identity details are checked against the registry
/// and a one-time code is sent by SMS to the mobile number (3 minutes, 5 tries). Any
/// mismatch is one answer that names no field. Wrong answers are limited per TCKN and per
/// client address (`KAPI_RATE_LIMIT_IDENTITY_CHECK`, `…_ADDRESS`).
#[utoipa::path(
    operation_id = "check_petition_identity",
    tag = "petitions",
    request_body = IdentityCheckRequest,
    responses(
        (status = 201, description = "Identity matched; code sent", body = PetitionChallenge),
        (status = 422, description = "Details do not match the registry (`petition.identity_mismatch`), or a malformed TCKN / mobile", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong answers for this TCKN or from this address, or too many codes for this TCKN or from this address (`request.rate_limited`), or to this number (`otp.rate_limited`); with Retry-After in seconds", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the window ends")))
    )
)]
#[post("/auth/petition-citizen/identity-check")]
pub async fn check_identity(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<IdentityCheckRequest>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let mut errors = kapi_core::FieldErrors::new();
    let tckn = errors.take("tckn", Tckn::parse(&b.tckn));
    let mobile = errors.take("mobile", MobilePhone::parse(&b.mobile));
    errors.finish()?;
    let (Some(tckn), Some(mobile)) = (tckn, mobile) else {
        return Err(ApiError::internal("parsed fields lost"));
    };
    let attempt = crate::rate_limit::identity_check(&state, &req, tckn.as_str()).await?;
    let (t, m) = (tckn.clone(), mobile.clone());
    let answer = send_citizen_code(
        &state,
        &req,
        tckn,
        mobile,
        Purpose::PetitionSubmission,
        move |repo| {
            uc::check_identity(
                repo,
                &t,
                &b.first_name,
                &b.last_name,
                &b.mother_maiden_first_letter,
                &b.mother_maiden_last_letter,
                &m,
            )?;
            Ok(None)
        },
    )
    .await;
    attempt.settle(&state, answer).await
}

/// Query a petition by its tracking number.
///
/// Query a petition: the tracking number and TCKN must belong together (404 otherwise);
/// a one-time code goes by SMS to the petition's mobile number (or the registry's).
#[utoipa::path(
    operation_id = "query_petition",
    tag = "petitions",
    request_body = PetitionQueryRequest,
    responses(
        (status = 201, description = "Code sent", body = PetitionChallenge),
        (status = 404, description = "No petition with this number and TCKN (`petition.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No mobile number to send the code to (`petition.no_mobile`), or a malformed TCKN", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many unknown queries for this TCKN or from this address, or too many codes for this TCKN or from this address (`request.rate_limited`), or to this number (`otp.rate_limited`); with Retry-After in seconds", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the window ends")))
    )
)]
#[post("/auth/petition-citizen/query")]
pub async fn query_petition(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<PetitionQueryRequest>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let tckn = Tckn::parse(&b.tckn).map_err(|e| e.at("tckn"))?;
    // A tracking number that is not this TCKN's counts like a wrong identity answer.
    let attempt = crate::rate_limit::identity_check(&state, &req, tckn.as_str()).await?;
    let now = state.clock.now();
    let t = tckn.clone();
    let answer = async {
        let (petition_id, mobile) = read(&state, move |conn| {
            uc::query_destination(&mut PetitionRepo::new(conn, now), b.tracking_no, &t)
        })
        .await?;
        let petition_id = petition_id.as_uuid();
        send_citizen_code(
            &state,
            &req,
            tckn,
            mobile,
            Purpose::PetitionQuery,
            move |_| Ok(Some(petition_id)),
        )
        .await
    }
    .await;
    attempt.settle(&state, answer).await
}

/// Type the SMS code back to get a petition token.
///
/// Type the code back: answers a token for the citizen's own petitions (actor kind
/// `petition_citizen`), good to submit and to read, download and print them.
#[utoipa::path(
    operation_id = "verify_petition_citizen",
    tag = "petitions",
    request_body = PetitionVerifyRequest,
    responses(
        (status = 200, description = "Verified", body = TokenResponse),
        (status = 404, description = "No such challenge for this TCKN (`otp.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Code already used (`otp.already_used`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong (`otp.wrong_code`), expired (`otp.expired`) or exhausted (`otp.too_many_attempts`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts for this TCKN from this address, or too many failed logins from this address (`request.rate_limited`, with Retry-After in seconds)", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the window ends")))
    )
)]
#[post("/auth/petition-citizen/verify")]
pub async fn verify_citizen(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: JsonBody<PetitionVerifyRequest>,
) -> ApiResult<HttpResponse> {
    // The login step of the citizen's identity check: counted like every login.
    let attempt = crate::rate_limit::login(&state, &req, &body.0.tckn).await?;
    let b = body.0;
    let answer = async {
        let tckn = Tckn::parse(&b.tckn).map_err(|e| e.at("tckn"))?;
        let code = OtpCode::parse(&b.code)?;
        let id = kapi_core::OtpChallengeId::from_uuid(b.challenge_id);
        let t = tckn.clone();
        let name = check_code(
            &state,
            id,
            citizen_subject(&tckn),
            code,
            &[Purpose::PetitionSubmission, Purpose::PetitionQuery],
            move |conn, _| {
                Ok(kapi_identity::registry::CitizenRegistry::find_citizen(
                    &mut IdentityRepo::new(conn),
                    &t,
                )?
                .map(|c| format!("{} {}", c.first_name, c.last_name))
                .unwrap_or_default())
            },
        )
        .await?;
        let actor = Actor::PetitionCitizen { tckn };
        token_response(&state, &actor, name)
    }
    .await;
    let token = attempt.settle(&state, answer).await?;
    Ok(HttpResponse::Ok().json(token))
}

// ---------------------------------------------------------------------------------------
// The form's registry part

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FormQuery {
    /// The citizen to look up (desk officers entering a written petition).
    pub tckn: Option<String>,
}

/// What the registry fills in on the form.
#[derive(Serialize, ToSchema)]
pub struct PetitionFormView {
    pub tckn: String,
    pub first_name: String,
    pub last_name: String,
    pub residence: AddressView,
    /// The registry's mobile number, to prefill the contact.
    pub mobile: Option<String>,
}

/// The identity and residence the registry fills in.
///
/// The identity and residence the registry fills in: the caller's own (citizen), or the
/// citizen of `tckn` (desk officer entering a written petition).
#[utoipa::path(
    operation_id = "get_petition_form",
    tag = "petitions",
    security(("bearer" = [])),
    params(FormQuery),
    responses(
        (status = 200, description = "The prefilled part", body = PetitionFormView),
        (status = 403, description = "Neither a citizen nor a desk officer (`petition.not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`tckn` missing, malformed, or not in the registry (`petition.citizen_not_in_registry`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/petitions/form")]
pub async fn get_form(
    state: web::Data<AppState>,
    auth: Authenticated,
    q: QueryParams<FormQuery>,
) -> ApiResult<HttpResponse> {
    let asked =
        q.0.tckn
            .map(|t| Tckn::parse(&t).map_err(|e| e.at("tckn")))
            .transpose()?;
    let tckn = uc::form_subject(&auth.0, asked)?;
    let now = state.clock.now();
    let (p, mobile) = read(&state, move |conn| {
        let mut repo = PetitionRepo::new(conn, now);
        let p = uc::petitioner_from_registry(&mut repo, &tckn)?;
        let mobile = kapi_identity::registry::CitizenRegistry::find_citizen(&mut repo, &tckn)?
            .and_then(|c| c.mobile)
            .map(|m| m.as_str().to_owned());
        Ok((p, mobile))
    })
    .await?;
    Ok(HttpResponse::Ok().json(PetitionFormView {
        tckn: p.tckn.as_str().into(),
        first_name: p.first_name,
        last_name: p.last_name,
        residence: (&p.residence).into(),
        mobile,
    }))
}

// ---------------------------------------------------------------------------------------
// Submission

/// Submit a petition (citizen).
///
/// Submit a petition (citizen): `multipart/form-data` with the form as JSON in the `data`
/// part and up to 10 attachments in `files` parts (each ≤ 10 MB; png, jpg, jpeg, bmp, tif,
/// tiff, gif, doc, docx, xls, xlsx, pdf — checked by content), or plain `application/json`
/// without files. The petition and its files are saved together or not at all; the answer
/// carries the tracking number, also sent by SMS.
#[utoipa::path(
    operation_id = "submit_petition",
    tag = "petitions",
    security(("bearer" = [])),
    request_body(description = "JSON, or multipart/form-data with the JSON in a `data` part and attachments in `files` parts", content((PetitionBody = "application/json"), (AttachmentsForm<PetitionBody> = "multipart/form-data", encoding(("data" = (content_type = "application/json")), ("files" = (content_type = "image/png, image/jpeg, image/bmp, image/tiff, image/gif, application/pdf")))))),
    responses(
        (status = 201, description = "Saved; the tracking number is in `tracking_no`", body = PetitionDetail, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Not a citizen (`petition.not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, every one named (`subject_address.district_code`, `headings[0].description`, `files[1]` with `attachment.too_large` / `attachment.content_mismatch` / `attachment.type_not_allowed`, …)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/petitions")]
pub async fn submit_petition(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: WithFiles<PetitionBody>,
) -> ApiResult<HttpResponse> {
    let actor = auth.0;
    // Refused before any file is stored; the use case checks it again.
    uc::require_submitter(&actor)?;
    let files = store_files(&state, body.files).await?;
    let form = form_of(body.data);
    let now = state.clock.now();
    let a = actor.clone();
    let p = write(&state, move |c| {
        uc::submit_petition(
            &mut PetitionRepo::new(c, now),
            &a,
            uc::Submission { form, files },
            now,
        )
    })
    .await?;
    Ok(respond(&actor, &p, now, StatusCode::CREATED))
}

/// Enter a written petition for a citizen (desk officer).
///
/// Enter a written petition for a citizen (desk officer): like a submission, with the
/// citizen's `tckn` and the `arrival_date`. The subject address must be in the officer's
/// province and districts.
#[utoipa::path(
    operation_id = "enter_written_petition",
    tag = "petitions",
    security(("bearer" = [])),
    request_body(description = "JSON, or multipart/form-data with the JSON in a `data` part and attachments in `files` parts", content((WrittenPetitionBody = "application/json"), (AttachmentsForm<WrittenPetitionBody> = "multipart/form-data", encoding(("data" = (content_type = "application/json")), ("files" = (content_type = "image/png, image/jpeg, image/bmp, image/tiff, image/gif, application/pdf")))))),
    responses(
        (status = 201, description = "Saved", body = PetitionDetail, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Not a desk officer (`petition.not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`arrival_date` with `petition.arrival_in_future`, `tckn` with `petition.citizen_not_in_registry`, `petition.outside_your_area`, …)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/petitions/written")]
pub async fn enter_written_petition(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: WithFiles<WrittenPetitionBody>,
) -> ApiResult<HttpResponse> {
    let actor = auth.0;
    uc::require_desk_officer(&actor)?;
    let mut errors = kapi_core::FieldErrors::new();
    let tckn = errors.take("tckn", Tckn::parse(&body.data.tckn));
    let arrival = match parse_date("arrival_date", &body.data.arrival_date) {
        Ok(d) => Some(d),
        Err(e) => {
            for f in e.fields {
                errors.push(f);
            }
            None
        }
    };
    errors.finish()?;
    let (Some(tckn), Some(arrival_date)) = (tckn, arrival) else {
        return Err(ApiError::internal("parsed fields lost"));
    };
    let files = store_files(&state, body.files).await?;
    let form = form_of(body.data.form());
    let now = state.clock.now();
    let a = actor.clone();
    let p = write(&state, move |c| {
        uc::enter_written_petition(
            &mut PetitionRepo::new(c, now),
            &a,
            uc::WrittenSubmission {
                tckn,
                arrival_date,
                submission: uc::Submission { form, files },
            },
            now,
        )
    })
    .await?;
    Ok(respond(&actor, &p, now, StatusCode::CREATED))
}

// ---------------------------------------------------------------------------------------
// Reading

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PetitionSearchQuery {
    /// Tracking number.
    pub tracking_no: Option<i64>,
    /// The citizen's TCKN. Not for a unit officer (Yetkili), who does not see it: 422
    /// `petition.filter_not_allowed` naming `tckn`.
    pub tckn: Option<String>,
    /// Contains, Turkish-folded.
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// Arrival date from (YYYY-MM-DD).
    pub from: Option<String>,
    pub to: Option<String>,
    pub heading_code: Option<String>,
    pub sub_heading_code: Option<String>,
    /// `in_pool`, `routed`, `units_answered`, `awaiting_governor`, `governor_answered`, `sent_back`, `closed`.
    pub status: Option<String>,
    /// Only petitions with a routing past its answer deadline and unanswered today.
    pub overdue: Option<bool>,
    /// A desk officer with several districts (or the MİA) working on one of them.
    pub district: Option<i32>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

fn criteria(q: &PetitionSearchQuery, today: Date) -> Result<SearchCriteria, DomainError> {
    let mut errors = kapi_core::FieldErrors::new();
    let tckn = q
        .tckn
        .as_deref()
        .and_then(|t| errors.take("tckn", Tckn::parse(t)));
    let mut date = |field: &str, raw: &Option<String>| match raw {
        Some(r) => match parse_date(field, r) {
            Ok(d) => Some(d),
            Err(e) => {
                for f in e.fields {
                    errors.push(f);
                }
                None
            }
        },
        None => None,
    };
    let from = date("from", &q.from);
    let to = date("to", &q.to);
    let status = match &q.status {
        Some(s) => match Status::parse(s) {
            Some(s) => Some(s),
            None => {
                errors.push(FieldError::new(
                    "status",
                    "petition.unknown_status",
                    "See /api/v1/reference/petition-statuses.",
                ));
                None
            }
        },
        None => None,
    };
    errors.finish()?;
    Ok(SearchCriteria {
        tracking_no: q.tracking_no,
        tckn,
        first_name: q.first_name.clone().filter(|s| !s.trim().is_empty()),
        last_name: q.last_name.clone().filter(|s| !s.trim().is_empty()),
        from,
        to,
        heading_code: q.heading_code.clone(),
        sub_heading_code: q.sub_heading_code.clone(),
        status,
        overdue_on: q.overdue.unwrap_or(false).then_some(today),
        district: q.district,
    })
}

/// The caller's petitions, newest first.
///
/// The caller's petitions, newest first: the citizen's own; the AKS's province or districts;
/// the MİA's province; the petitions routed to a Yetkili's units. Lines carry no contact
/// fields. A Yetkili cannot filter by a field it does not see (`tckn`), and `overdue` means
/// one of its own units' routings.
#[utoipa::path(
    operation_id = "list_petitions",
    tag = "petitions",
    security(("bearer" = [])),
    params(PetitionSearchQuery),
    responses(
        (status = 200, description = "A page of petitions (15 by default)", body = Paged<PetitionSummary>),
        (status = 403, description = "No petitions to see for this kind of user (`petition.not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad criteria (`date.format`, `petition.unknown_status`, `petition.district_not_assigned`), or a filter on a field you do not see (`petition.filter_not_allowed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/petitions")]
pub async fn list_petitions(
    state: web::Data<AppState>,
    auth: Authenticated,
    q: QueryParams<PetitionSearchQuery>,
) -> ApiResult<HttpResponse> {
    let page = PageRequest::new(q.0.page, q.0.per_page)?;
    let now = state.clock.now();
    let today = istanbul_date_of(now);
    let c = criteria(&q.0, today)?;
    let actor = auth.0;
    let p = read(&state, move |conn| {
        uc::search_petitions(&mut PetitionRepo::new(conn, now), &actor, c, page)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::from_page(p, |x| summary(&x, today))))
}

/// The filtered petitions as an Excel file.
///
/// The filtered list as an Excel file (desk officer and MİA). No match: 404
/// `report.no_records` "Girdiğiniz kriterlere uygun kayıt bulunamadı."; more than 5000
/// rows: 422 `report.too_many_rows` (narrow the criteria).
#[utoipa::path(
    operation_id = "export_petitions",
    tag = "petitions",
    security(("bearer" = [])),
    params(PetitionSearchQuery),
    responses(
        (status = 200, description = "The Excel file", content((FileBytes = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")), headers(("Content-Disposition" = String))),
        (status = 403, description = "Only the desk officer and the MİA export (`petition.not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Nothing matches (`report.no_records`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad criteria, or more than 5000 rows (`report.too_many_rows`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/petitions/export")]
pub async fn export_petitions(
    state: web::Data<AppState>,
    auth: Authenticated,
    q: QueryParams<PetitionSearchQuery>,
) -> ApiResult<HttpResponse> {
    let actor = auth.0;
    let now = state.clock.now();
    let today = istanbul_date_of(now);
    let c = criteria(&q.0, today)?;
    let rows = read(&state, move |conn| {
        uc::export_petitions(&mut PetitionRepo::new(conn, now), &actor, c)
    })
    .await?;
    let report = kapi_documents::Report {
        title: "Açık Kapı Başvuru Listesi".into(),
        criteria: vec![],
        generated_at: kapi_labour_demand::reports::istanbul_time(now),
        columns: [
            ("Başvuru No", 10.0),
            ("Geliş Tarihi", 12.0),
            ("Adı", 14.0),
            ("Soyadı", 14.0),
            ("İlçe", 14.0),
            ("Hizmet Başlıkları", 30.0),
            ("Durum", 30.0),
            ("Süresi Geçmiş", 10.0),
        ]
        .into_iter()
        .map(|(h, w)| kapi_documents::Column {
            header: h.into(),
            width: w,
        })
        .collect(),
        rows: rows
            .iter()
            .map(|p| {
                vec![
                    p.tracking_no.to_string(),
                    p.arrival_date.to_string(),
                    p.petitioner.first_name.clone(),
                    p.petitioner.last_name.clone(),
                    p.subject_address.district_name.clone(),
                    p.headings
                        .iter()
                        .map(|h| format!("{} / {}", h.heading_name, h.sub_heading_name))
                        .collect::<Vec<_>>()
                        .join("; "),
                    p.workflow.status.label().into(),
                    if p.workflow.is_overdue(today) {
                        "Evet".into()
                    } else {
                        "Hayır".into()
                    },
                ]
            })
            .collect(),
    };
    super::download(
        kapi_documents::to_xlsx(&report),
        kapi_documents::XLSX_MEDIA_TYPE,
        "acik-kapi-basvurular.xlsx",
    )
}

fn petition_id(raw: &str) -> Result<PetitionId, ApiError> {
    path_id(raw, "petition.not_found")
}

/// One petition, as the caller may see it.
///
/// One petition, as the caller may see it (404 outside their scope). A unit officer gets
/// the [`UnitPetitionView`], without any contact field.
#[utoipa::path(
    operation_id = "get_petition",
    tag = "petitions",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Petition id")),
    responses(
        (status = 200, description = "The petition", body = PetitionDetail, headers(("ETag" = String))),
        (status = 403, description = "No petitions to see for this kind of user", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such petition, or not in your scope", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/petitions/{id}")]
pub async fn get_petition(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = petition_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let a = actor.clone();
    let p = read(&state, move |c| {
        uc::get_petition(&mut PetitionRepo::new(c, now), &a, id)
    })
    .await?;
    Ok(respond(&actor, &p, now, StatusCode::OK))
}

/// A petition's history ("İşlem Hareketleri"), oldest first.
///
/// A petition's history ("İşlem Hareketleri"), oldest first: `to_state` is the status
/// code, `note` the Turkish text users know ("Başvuru İlgili Birime Yönlendirildi (…)").
/// A unit officer (Yetkili) reads only what its petition view shows: the arrival, heading
/// changes, and its own units' routings and answers.
#[utoipa::path(
    operation_id = "list_petition_history",
    tag = "petitions",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Petition id")),
    responses(
        (status = 200, description = "The history", body = Paged<HistoryEntryView>),
        (status = 403, description = "No petitions to see for this kind of user (`petition.not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such petition, or not in your scope", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/petitions/{id}/history")]
pub async fn petition_history(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = petition_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let entries = read(&state, move |c| {
        uc::petition_history(&mut PetitionRepo::new(c, now), &actor, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::all(
        entries.into_iter().map(HistoryEntryView::from).collect(),
    )))
}

/// Download a file of the petition.
///
/// Download a file of the petition (the citizen's attachments, or a live unit answer's).
#[utoipa::path(
    operation_id = "get_petition_file",
    tag = "petitions",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Petition id"), ("file_id" = Uuid, Path, description = "File id")),
    responses(
        (status = 200, description = "The file, with its media type", content((FileBytes = "application/pdf"), (FileBytes = "image/png"), (FileBytes = "image/jpeg"), (FileBytes = "image/bmp"), (FileBytes = "image/tiff"), (FileBytes = "image/gif")), headers(("Content-Disposition" = String))),
        (status = 403, description = "No petitions to see for this kind of user (`petition.not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such petition or file in your scope", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/petitions/{id}/files/{file_id}")]
pub async fn get_petition_file(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (id, file) = path.into_inner();
    let id = petition_id(&id)?;
    let file: PetitionFileId = path_id(&file, "petition_file.not_found")?;
    let now = state.clock.now();
    let actor = auth.0;
    let f = read(&state, move |c| {
        let p = uc::get_petition(&mut PetitionRepo::new(c, now), &actor, id)?;
        uc::find_file(&p, file)
            .cloned()
            .ok_or_else(|| DomainError::not_found("petition_file.not_found", "No such file."))
    })
    .await?;
    let blobs = state.blobs.clone();
    let sha = f.sha256.clone();
    let bytes = web::block(move || blobs.get(&sha))
        .await
        .map_err(|e| ApiError::internal(format!("blocking task failed: {e}")))??
        .ok_or_else(|| ApiError::internal(format!("blob {} missing", f.sha256)))?;
    let ascii = crate::routes::ascii_file_name(&f.file_name);
    Ok(HttpResponse::Ok()
        .content_type(f.media_type.clone())
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{ascii}\""),
        ))
        .body(bytes))
}

/// The petition report (Başvuru Raporu) as a PDF.
///
/// The petition report (Başvuru Raporu) as a PDF: identity, addresses, headings, subject,
/// files, routings and answers, the reply letter and the history. A unit officer's copy
/// holds what its petition view and history show: no identity number, residence or contact
/// field, only its own units' routings and answers, no MİA review or reply letter.
#[utoipa::path(
    operation_id = "get_petition_report",
    tag = "petitions",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Petition id")),
    responses(
        (status = 200, description = "The PDF", content((FileBytes = "application/pdf")), headers(("Content-Disposition" = String))),
        (status = 403, description = "No petitions to see for this kind of user (`petition.not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such petition, or not in your scope", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/petitions/{id}/report")]
pub async fn get_petition_report(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = petition_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let a = actor.clone();
    let (p, history) = read(&state, move |c| {
        uc::petition_report(&mut PetitionRepo::new(c, now), &a, id)
    })
    .await?;
    let unit = !uc::sees_citizen_identity(&actor);
    let addr = |a: &kapi_petitions::petition::Address| {
        format!(
            "{} {} {} / {}",
            a.open_address,
            a.neighbourhood_name.clone().unwrap_or_default(),
            a.district_name,
            a.province_name
        )
    };
    let mut fields = vec![
        ("Başvuru No".to_owned(), p.tracking_no.to_string()),
        ("Başvuru Tarihi".to_owned(), p.arrival_date.to_string()),
        (
            "Başvuru Durumu".to_owned(),
            p.workflow.status.label().to_owned(),
        ),
        ("Adı Soyadı".to_owned(), p.petitioner.full_name()),
    ];
    if !unit {
        fields.push(("T.C. Kimlik No".into(), p.petitioner.tckn.as_str().into()));
        fields.push((
            "İkametgâh Açık Adresi".into(),
            addr(&p.petitioner.residence),
        ));
        if let Some(m) = &p.contact.mobile {
            fields.push(("Cep Telefonu".into(), m.clone()));
        }
        if let Some(e) = &p.contact.email {
            fields.push(("E-posta".into(), e.clone()));
        }
    }
    fields.push(("Başvuruya Konu Olan Adres".into(), addr(&p.subject_address)));
    for h in &p.headings {
        fields.push((
            "Hizmet Başlığı".into(),
            format!("{} / {}", h.heading_name, h.sub_heading_name),
        ));
    }
    for f in &p.files {
        fields.push(("Yüklenen Dosya".into(), f.file_name.clone()));
    }
    let mut paragraphs = vec![format!("Başvuru Konusu: {}", p.subject)];
    for r in &p.workflow.routings {
        paragraphs.push(match &r.answer {
            Some(a) => format!(
                "Birim {} cevabı ({}): {}",
                r.unit_no,
                if a.outcome == UnitOutcome::Positive {
                    "Olumlu"
                } else {
                    "Olumsuz"
                },
                a.text
            ),
            None => format!(
                "Birim {}: cevap bekleniyor (son gün {})",
                r.unit_no, r.deadline
            ),
        });
    }
    if let Some(c) = &p.workflow.closing {
        paragraphs.push(c.letter.clone());
    }
    paragraphs.push("İşlem Hareketleri:".into());
    for h in history {
        paragraphs.push(format!(
            "{} — {}",
            h.at.to_offset(kapi_core::ISTANBUL).date(),
            h.note.unwrap_or(h.to_state)
        ));
    }
    super::download(
        kapi_documents::letter_to_pdf(&kapi_documents::Letter {
            title: format!("Açık Kapı Başvuru Raporu — {}", p.tracking_no),
            fields,
            paragraphs,
        }),
        kapi_documents::PDF_MEDIA_TYPE,
        &format!("acik-kapi-basvuru-{}.pdf", p.tracking_no),
    )
}

// ---------------------------------------------------------------------------------------
// Desk, unit and MİA actions

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HeadingsRequest {
    pub headings: Vec<HeadingBody>,
}

/// Replace the petition's service headings (desk officer, `If-Match`).
///
/// Replace the service headings (desk officer) — the only thing of the citizen's the desk
/// may change (`If-Match`).
#[utoipa::path(
    operation_id = "update_petition_headings",
    tag = "petitions",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Petition id"), ("If-Match" = Option<String>, Header, description = "The ETag you read")),
    request_body = HeadingsRequest,
    responses(
        (status = 200, description = "Changed", body = PetitionDetail, headers(("ETag" = String))),
        (status = 403, description = "Not the desk officer (`petition.not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not in your scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Closed (`petition.closed`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid headings, named", body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/petitions/{id}/headings")]
pub async fn update_headings(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<HeadingsRequest>,
) -> ApiResult<HttpResponse> {
    let id = petition_id(&id)?;
    let input: Vec<HeadingInput> = body.0.headings.into_iter().map(heading_input).collect();
    let now = state.clock.now();
    let actor = auth.0;
    let a = actor.clone();
    let p = write(&state, move |c| {
        uc::update_headings(
            &mut PetitionRepo::new(c, now),
            &a,
            id,
            input,
            if_match.0,
            now,
        )
    })
    .await?;
    Ok(respond(&actor, &p, now, StatusCode::OK))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoutingRequest {
    /// DETSİS unit numbers of the province (or national units).
    #[schema(example = json!(["55481037", "30005480"]))]
    pub units: Vec<String>,
    /// The answer deadline (YYYY-MM-DD); 30 days from today when left out.
    #[schema(value_type = Option<String>, format = Date)]
    pub deadline: Option<String>,
}

/// Route a petition to one or more DETSİS units (desk officer).
///
/// Route to one or more DETSİS units (desk officer); their Yetkili users then see it.
#[utoipa::path(
    operation_id = "route_petition",
    tag = "petitions",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Petition id"), ("If-Match" = Option<String>, Header, description = "The ETag you read")),
    request_body = RoutingRequest,
    responses(
        (status = 200, description = "Routed", body = PetitionDetail, headers(("ETag" = String))),
        (status = 403, description = "Not the desk officer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not in your scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Closed (`petition.closed`) or waiting for the MİA (`petition.awaiting_governor`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`units[i]` unknown (`routing.unknown_unit`), malformed (`detsis.format`) or already routed (`routing.already_routed`); `deadline` in the past", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/petitions/{id}/routings")]
pub async fn route_petition(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<RoutingRequest>,
) -> ApiResult<HttpResponse> {
    let id = petition_id(&id)?;
    let b = body.0;
    let deadline = b
        .deadline
        .as_deref()
        .map(|d| parse_date("deadline", d))
        .transpose()?;
    let now = state.clock.now();
    let actor = auth.0;
    let a = actor.clone();
    let p = write(&state, move |c| {
        uc::route_petition(
            &mut PetitionRepo::new(c, now),
            &a,
            id,
            b.units,
            deadline,
            if_match.0,
            now,
        )
    })
    .await?;
    Ok(respond(&actor, &p, now, StatusCode::OK))
}

#[derive(Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum UnitOutcomeCode {
    Positive,
    Negative,
}

/// A unit's answer.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PetitionAnswerRequest {
    /// Which of your units answers; needed only when several of them have the petition.
    pub unit: Option<String>,
    pub outcome: UnitOutcomeCode,
    /// 2–4000 characters.
    pub text: String,
}

/// Answer a petition for your unit (Yetkili), once.
///
/// Answer for your unit (Yetkili), once: JSON, or multipart with the JSON in `data` and
/// files in `files`. After that the petition is view-only for the unit.
#[utoipa::path(
    operation_id = "answer_petition",
    tag = "petitions",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Petition id")),
    request_body(description = "JSON, or multipart/form-data with the JSON in a `data` part and attachments in `files` parts", content((PetitionAnswerRequest = "application/json"), (AttachmentsForm<PetitionAnswerRequest> = "multipart/form-data", encoding(("data" = (content_type = "application/json")), ("files" = (content_type = "image/png, image/jpeg, image/bmp, image/tiff, image/gif, application/pdf")))))),
    responses(
        (status = 200, description = "Answered", body = PetitionDetail, headers(("ETag" = String))),
        (status = 403, description = "Not a unit officer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not routed to your units", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already answered (`routing.already_answered`) or closed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`text`, `unit`, `files[i]`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/petitions/{id}/answers")]
pub async fn answer_petition(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: WithFiles<PetitionAnswerRequest>,
) -> ApiResult<HttpResponse> {
    let id = petition_id(&id)?;
    // Refused before any file is stored; the use case checks it again.
    uc::require_unit_officer(&auth.0)?;
    let files = store_files(&state, body.files).await?;
    let b = body.data;
    let now = state.clock.now();
    let actor = auth.0;
    let a = actor.clone();
    let p = write(&state, move |c| {
        uc::answer_petition(
            &mut PetitionRepo::new(c, now),
            &a,
            id,
            uc::UnitAnswerInput {
                unit: b.unit,
                outcome: match b.outcome {
                    UnitOutcomeCode::Positive => UnitOutcome::Positive,
                    UnitOutcomeCode::Negative => UnitOutcome::Negative,
                },
                text: b.text,
                files,
            },
            now,
        )
    })
    .await?;
    Ok(respond(&actor, &p, now, StatusCode::OK))
}

/// Send to the MİA for approval (desk officer).
#[utoipa::path(
    operation_id = "send_petition_to_governor",
    tag = "petitions",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Petition id"), ("If-Match" = Option<String>, Header, description = "The ETag you read")),
    responses(
        (status = 200, description = "Sent", body = PetitionDetail, headers(("ETag" = String))),
        (status = 403, description = "Not the desk officer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not in your scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Closed, or already waiting for the MİA", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/petitions/{id}/governor-review")]
pub async fn send_to_governor(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
) -> ApiResult<HttpResponse> {
    let id = petition_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let a = actor.clone();
    let p = write(&state, move |c| {
        uc::send_to_governor(&mut PetitionRepo::new(c, now), &a, id, if_match.0, now)
    })
    .await?;
    Ok(respond(&actor, &p, now, StatusCode::OK))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GovernorTextRequest {
    /// The answer, or the explanation of a send-back (2–4000 characters).
    pub text: String,
}

async fn governor(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: String,
    if_match: IfMatch,
    action: GovernorAction,
) -> ApiResult<HttpResponse> {
    let id = petition_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let a = actor.clone();
    let p = write(&state, move |c| {
        uc::governor_act(
            &mut PetitionRepo::new(c, now),
            &a,
            id,
            action,
            if_match.0,
            now,
        )
    })
    .await?;
    Ok(respond(&actor, &p, now, StatusCode::OK))
}

/// The MİA answers a petition sent for approval.
#[utoipa::path(
    operation_id = "answer_petition_as_governor",
    tag = "petitions",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Petition id"), ("If-Match" = Option<String>, Header, description = "The ETag you read")),
    request_body = GovernorTextRequest,
    responses(
        (status = 200, description = "Answered", body = PetitionDetail, headers(("ETag" = String))),
        (status = 403, description = "Not the MİA", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not in your province", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not sent for approval (`petition.not_awaiting_governor`) or closed", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/petitions/{id}/governor-answer")]
pub async fn governor_answer(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<GovernorTextRequest>,
) -> ApiResult<HttpResponse> {
    governor(
        state,
        auth,
        id.into_inner(),
        if_match,
        GovernorAction::Answer(body.0.text),
    )
    .await
}

/// The MİA sends a petition back to the desk with an explanation (Geri Gönderildi).
#[utoipa::path(
    operation_id = "send_petition_back",
    tag = "petitions",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Petition id"), ("If-Match" = Option<String>, Header, description = "The ETag you read")),
    request_body = GovernorTextRequest,
    responses(
        (status = 200, description = "Sent back", body = PetitionDetail, headers(("ETag" = String))),
        (status = 403, description = "Not the MİA", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not in your province", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not sent for approval or closed", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/petitions/{id}/send-back")]
pub async fn send_back(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<GovernorTextRequest>,
) -> ApiResult<HttpResponse> {
    governor(
        state,
        auth,
        id.into_inner(),
        if_match,
        GovernorAction::SendBack(body.0.text),
    )
    .await
}

/// The MİA resets a wrongly routed petition.
///
/// The MİA resets a wrongly routed petition: it starts over in the pool as if newly
/// arrived; routings and answers leave the live state, the history keeps them (İşlemler
/// Geri Alındı).
#[utoipa::path(
    operation_id = "reset_petition",
    tag = "petitions",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Petition id"), ("If-Match" = Option<String>, Header, description = "The ETag you read")),
    responses(
        (status = 200, description = "Reset", body = PetitionDetail, headers(("ETag" = String))),
        (status = 403, description = "Not the MİA", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not in your province", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Closed", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/petitions/{id}/reset")]
pub async fn reset_petition(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
) -> ApiResult<HttpResponse> {
    governor(
        state,
        auth,
        id.into_inner(),
        if_match,
        GovernorAction::Reset,
    )
    .await
}

#[derive(Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum PetitionOutcomeCode {
    Positive,
    Negative,
    PartlyPositive,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseRequest {
    /// Olumlu, Olumsuz, Kısmen Olumlu Kısmen Olumsuz.
    pub outcome: PetitionOutcomeCode,
    /// The reply placed in the standard letter (2–4000 characters).
    #[schema(example = "Okul bahçe duvarı İl Milli Eğitim Müdürlüğünce onarılmıştır.")]
    pub reply: String,
}

/// Close the petition (desk officer).
///
/// Close the petition (desk officer) — only when every routed unit has answered and it is
/// not waiting for the MİA. The reply goes into the standard letter; the citizen gets an
/// SMS. A closed petition never changes again.
#[utoipa::path(
    operation_id = "close_petition",
    tag = "petitions",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Petition id"), ("If-Match" = Option<String>, Header, description = "The ETag you read")),
    request_body = CloseRequest,
    responses(
        (status = 200, description = "Closed", body = PetitionDetail, headers(("ETag" = String))),
        (status = 403, description = "Not the desk officer", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not in your scope", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A routed unit has not answered (`petition.unanswered_routings`), waiting for the MİA (`petition.awaiting_governor`), or already closed (`petition.closed`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`reply` length", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/petitions/{id}/close")]
pub async fn close_petition(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<CloseRequest>,
) -> ApiResult<HttpResponse> {
    let id = petition_id(&id)?;
    let b = body.0;
    let outcome = match b.outcome {
        PetitionOutcomeCode::Positive => Outcome::Positive,
        PetitionOutcomeCode::Negative => Outcome::Negative,
        PetitionOutcomeCode::PartlyPositive => Outcome::PartlyPositive,
    };
    let now = state.clock.now();
    let actor = auth.0;
    let a = actor.clone();
    let p = write(&state, move |c| {
        uc::close_petition(
            &mut PetitionRepo::new(c, now),
            &a,
            id,
            outcome,
            &b.reply,
            if_match.0,
            now,
        )
    })
    .await?;
    Ok(respond(&actor, &p, now, StatusCode::OK))
}

/// A petition status with the Turkish name users know.
#[derive(Serialize, ToSchema)]
pub struct PetitionStatusView {
    #[schema(example = "routed")]
    pub code: String,
    #[schema(example = "Başvuru İlgili Birime Yönlendirildi")]
    pub name_tr: String,
}

/// Petition statuses (Başvuru Durumu) with their Turkish names.
#[utoipa::path(
    operation_id = "list_petition_statuses",
    tag = "reference",
    responses((status = 200, description = "The statuses", body = Paged<PetitionStatusView>))
)]
#[get("/reference/petition-statuses")]
pub async fn list_petition_statuses() -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(Paged::all(
        Status::ALL
            .into_iter()
            .map(|s| PetitionStatusView {
                code: s.as_str().into(),
                name_tr: s.label().into(),
            })
            .collect(),
    )))
}
