//! e-İzin work-permit applications over HTTP: the application's view (shared by every
//! work-permit route), its detail and its history ("İşlem Hareketleri").

use crate::extract::{etag, path_id, Authenticated, IfMatch, JsonBody};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::routes::petitions::WithFiles;
use crate::routes::HistoryEntryView;
use crate::routes::{FileBytes, OneFileForm};
use crate::state::{read, write, AppState};
use actix_web::http::header;
use actix_web::{get, post, put, web, HttpResponse};
use kapi_core::{Actor, DomainError, EmployerId, FieldError, Tckn, WorkPermitId};
use kapi_persistence::work_permit_employers::WorkPermitEmployerRepo;
use kapi_persistence::work_permits::WorkPermitRepo;
use kapi_work_permit::application::{
    EmployerRef, Foreigner, GeneratedPetition, WorkPermitApplication,
};
use kapi_work_permit::documents::check_pdf;
use kapi_work_permit::employer::EmployerStore;
use kapi_work_permit::evaluation::employer_list;
use kapi_work_permit::files::{ApplicationFile, FileKind};
use kapi_work_permit::kind::ApplicationKindInput;
use kapi_work_permit::petition::petition_text;
use kapi_work_permit::photo::check_photo_file;
use kapi_work_permit::usecases as uc;
use kapi_work_permit::wizard::{
    DocumentInput, DocumentsInput, GeneralInput, JobInput, PersonalInput, PhotoInput, ResultInput,
    Sha256Hex, SpouseInput,
};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

pub const TAG: &str = "work-permits";

use crate::routes::lira;

/// A code with its Turkish label.
#[derive(Debug, Serialize, ToSchema)]
pub struct CodeView {
    #[schema(example = "household")]
    pub code: String,
    #[schema(example = "Ev Hizmetleri")]
    pub label: String,
}

impl CodeView {
    pub fn of(code: &str, label: &str) -> Self {
        CodeView {
            code: code.to_owned(),
            label: label.to_owned(),
        }
    }
}

/// What kind of application it is.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationKindView {
    /// `company`, `household`, `university`.
    pub employer_kind: CodeView,
    /// `first`, `extension`.
    pub filing: CodeView,
    /// `in_turkiye`, `abroad`, `yok_pre_permit`, `academic_exempt`.
    pub route: CodeView,
    /// Households: `elderly_care`, `disabled_care`, `child_care`, `patient_companion`.
    pub care_kind: Option<CodeView>,
    /// Households: `not_applicable`, `applicant_is_guardian`, `acts_for_guardian`.
    pub guardianship: Option<CodeView>,
}

/// The foreigner as the route identified them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ForeignerView {
    /// `ykn`, `passport`, `reference`, `yok_pre_permit`.
    #[schema(example = "ykn")]
    pub by: String,
    #[schema(example = "99100000140")]
    pub ykn: Option<String>,
    #[schema(example = "1990-03-14", format = Date)]
    pub birth_date: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// ISO 3166 alpha-2.
    #[schema(example = "AZ")]
    pub nationality: Option<String>,
    pub passport_no: Option<String>,
    /// The 16-digit consulate reference number (abroad).
    pub reference_no: Option<String>,
    pub yok_pre_permit_no: Option<String>,
}

/// The ministry's evaluation.
#[derive(Debug, Serialize, ToSchema)]
pub struct EvaluationView {
    /// `draft`, `submitted`, `under_evaluation`, `missing_documents`, `update_requested`,
    /// `awaiting_fees`, `approved`, `rejected`, `appealed`, `appeal_waived`.
    pub status: CodeView,
    /// The employer's list it is shown in: `incomplete`, `in_evaluation`,
    /// `awaiting_documents`, `awaiting_update`, `awaiting_fees`, `approved`, `rejected`.
    pub employer_list: CodeView,
    /// When the status was entered (a draft: when it was last saved).
    #[serde(with = "time::serde::rfc3339")]
    pub since: OffsetDateTime,
    /// The last Istanbul day of the current status's limit, if it has one (the draft's
    /// month; 30 days for documents, an update, the fees, an appeal).
    #[schema(example = "2026-04-09", format = Date)]
    pub deadline: Option<String>,
    /// What the ministry asked for in an open missing-documents or update request.
    pub request_note: Option<String>,
    /// Lira (`13025.55`), once approved pending fees.
    pub permit_fee: Option<String>,
    pub card_fee: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub permit_fee_paid_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub card_fee_paid_at: Option<OffsetDateTime>,
    pub rejection_reason: Option<String>,
    /// Whether the one appeal has been used.
    pub appeal_used: bool,
}

/// The wizard's progress.
#[derive(Debug, Serialize, ToSchema)]
pub struct WizardProgressView {
    /// Steps not yet done, in order (`personal`, `general`, `job`, `documents`, `result`).
    pub missing_steps: Vec<String>,
    /// The step a resumed wizard opens on; `null` when everything is done.
    pub next_step: Option<String>,
}

/// The permit's period as checked at submission.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeriodView {
    #[schema(example = "2026-04-01", format = Date)]
    pub start: String,
    #[schema(example = "2027-03-31", format = Date)]
    pub end: String,
    #[schema(example = 12)]
    pub months: u32,
}

/// The saved personal step.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonalView {
    pub email: String,
    pub mobile: String,
    pub photo_sha256: String,
    #[schema(format = Date)]
    pub photo_taken_on: String,
    pub marital_status: String,
    pub spouse_name: Option<String>,
    pub spouse_nationality: Option<String>,
}

/// The saved general step.
#[derive(Debug, Serialize, ToSchema)]
pub struct GeneralView {
    pub international_protection: bool,
    pub passport_no: Option<String>,
    #[schema(format = Date)]
    pub passport_expires_on: Option<String>,
    pub languages: Vec<String>,
    pub education_level: String,
    pub graduated_field: Option<String>,
    pub speciality: Option<String>,
}

/// The saved job step.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobView {
    #[schema(example = "06")]
    pub province: String,
    pub district_code: i32,
    pub open_address: String,
    pub occupation_code: String,
    /// Masked.
    pub cared_person: Option<String>,
    pub kinship_relation: Option<String>,
    /// Lira, `25000.00`.
    pub wage: String,
    pub work_mode: String,
    pub work_type: String,
    #[schema(format = Date)]
    pub period_start: String,
    #[schema(format = Date)]
    pub period_end: String,
    pub reason: String,
    pub premiums_paid_abroad: Option<bool>,
}

/// A saved document.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentView {
    pub document_type: CodeView,
    pub sha256: String,
    pub size: u64,
}

/// The saved result step.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResultView {
    pub petition_sha256: String,
    #[serde(with = "time::serde::rfc3339")]
    pub confirmed_at: OffsetDateTime,
    /// When the petition was e-signed (`null`: kept as a draft).
    #[serde(with = "time::serde::rfc3339::option")]
    pub signed_at: Option<OffsetDateTime>,
}

/// What the wizard saved, step by step (`null` until a step is saved).
#[derive(Debug, Serialize, ToSchema)]
pub struct StepsView {
    pub personal: Option<PersonalView>,
    pub general: Option<GeneralView>,
    pub job: Option<JobView>,
    pub documents: Option<Vec<DocumentView>>,
    /// The petition last generated (`POST …/petition`).
    pub petition_sha256: Option<String>,
    pub result: Option<ResultView>,
}

fn steps_view(a: &WorkPermitApplication) -> StepsView {
    let w = &a.wizard;
    StepsView {
        personal: w.personal.as_ref().map(|p| PersonalView {
            email: p.email.as_str().to_owned(),
            mobile: p.mobile.as_str().to_owned(),
            photo_sha256: p.photo.sha256.as_str().to_owned(),
            photo_taken_on: p.photo.taken_on.to_string(),
            marital_status: p.marital_status.as_str().to_owned(),
            spouse_name: p
                .spouse
                .as_ref()
                .map(|s| format!("{} {}", s.first_name, s.last_name)),
            spouse_nationality: p.spouse.as_ref().map(|s| s.nationality.to_string()),
        }),
        general: w.general.as_ref().map(|g| GeneralView {
            international_protection: g.international_protection,
            passport_no: g.passport.as_ref().map(|p| p.number.to_string()),
            passport_expires_on: g.passport.as_ref().map(|p| p.expires_on.to_string()),
            languages: g.languages.clone(),
            education_level: g.education.as_str().to_owned(),
            graduated_field: g.graduated_field.clone(),
            speciality: g.speciality.clone(),
        }),
        job: w.job.as_ref().map(|j| JobView {
            province: j.address.province.to_string(),
            district_code: j.address.district_code,
            open_address: j.address.open_address.clone(),
            occupation_code: j.occupation.as_str().to_owned(),
            cared_person: j.cared_person.as_ref().map(|c| c.tckn.masked()),
            kinship_relation: j
                .cared_person
                .as_ref()
                .map(|c| c.relation.as_str().to_owned()),
            wage: lira(j.wage),
            work_mode: j.work_mode.as_str().to_owned(),
            work_type: j.work_type.as_str().to_owned(),
            period_start: j.period_start.to_string(),
            period_end: j.period_end.to_string(),
            reason: j.reason.clone(),
            premiums_paid_abroad: j.premiums_paid_abroad,
        }),
        documents: w.documents.as_ref().map(|docs| {
            docs.iter()
                .map(|d| DocumentView {
                    document_type: CodeView::of(
                        d.document_type.as_str(),
                        d.document_type.label_tr(),
                    ),
                    sha256: d.sha256.as_str().to_owned(),
                    size: d.size,
                })
                .collect()
        }),
        petition_sha256: a.petition.as_ref().map(|p| p.sha256.as_str().to_owned()),
        result: w.result.as_ref().map(|r| ResultView {
            petition_sha256: r.petition_sha256.as_str().to_owned(),
            confirmed_at: r.confirmed_at,
            signed_at: r.signature.as_ref().map(|s| s.signed_at),
        }),
    }
}

/// A work-permit application (çalışma izni başvurusu).
#[derive(Debug, Serialize, ToSchema)]
pub struct WorkPermitView {
    pub id: Uuid,
    /// The e-İzin employer record it belongs to.
    pub employer_id: Uuid,
    pub kind: ApplicationKindView,
    pub foreigner: ForeignerView,
    pub evaluation: EvaluationView,
    pub wizard: WizardProgressView,
    pub steps: StepsView,
    pub period: Option<PeriodView>,
    /// The employer's user it is assigned to (masked TCKN), if assignment is in force.
    #[schema(example = "*********50")]
    pub assignee: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub submitted_at: Option<OffsetDateTime>,
    pub ministry: crate::routes::work_permit_decisions::MinistryView,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    pub version: i64,
    /// After the permit (İzin Sonrası İşlemler): card, start of work, document requests, termination.
    pub after: crate::routes::work_permit_after::AfterPermitView,
}

fn foreigner_view(f: &Foreigner) -> ForeignerView {
    let empty = ForeignerView {
        by: String::new(),
        ykn: None,
        birth_date: None,
        first_name: None,
        last_name: None,
        nationality: None,
        passport_no: None,
        reference_no: None,
        yok_pre_permit_no: None,
    };
    match f {
        Foreigner::Ykn { ykn, birth_date } => ForeignerView {
            by: "ykn".into(),
            ykn: Some(ykn.as_ref().to_owned()),
            birth_date: Some(birth_date.to_string()),
            ..empty
        },
        Foreigner::Passport {
            passport_no,
            nationality,
        } => ForeignerView {
            by: "passport".into(),
            passport_no: Some(passport_no.to_string()),
            nationality: Some(nationality.to_string()),
            ..empty
        },
        Foreigner::Reference(r) => ForeignerView {
            by: "reference".into(),
            reference_no: Some(r.reference_no.to_string()),
            first_name: Some(r.first_name.clone()),
            last_name: Some(r.last_name.clone()),
            birth_date: Some(r.birth_date.to_string()),
            nationality: Some(r.nationality.to_string()),
            passport_no: r.passport_no.as_ref().map(|p| p.to_string()),
            ..empty
        },
        Foreigner::YokPrePermit { number } => ForeignerView {
            by: "yok_pre_permit".into(),
            yok_pre_permit_no: Some(number.to_string()),
            ..empty
        },
    }
}

/// The foreigner, with the registry's name and nationality for a YKN route.
fn foreigner_of(a: &WorkPermitApplication) -> ForeignerView {
    let mut f = foreigner_view(&a.foreigner);
    if let Some(r) = &a.registry_record {
        f.first_name = Some(r.first_name.clone());
        f.last_name = Some(r.last_name.clone());
        f.nationality = Some(r.nationality.clone());
        f.passport_no = r.passport_no.clone();
    }
    if let Some(y) = &a.yok_record {
        f.first_name = Some(y.first_name.clone());
        f.last_name = Some(y.last_name.clone());
        f.nationality = Some(y.nationality.to_string());
        f.passport_no = y.passport_no.as_ref().map(|p| p.to_string());
    }
    f
}

/// The application as every work-permit route answers it.
pub fn view(a: &WorkPermitApplication) -> WorkPermitView {
    let EmployerRef::Employer { employer_id } = &a.employer;
    let k = &a.kind;
    let e = &a.evaluation;
    let list = employer_list(e.status);
    WorkPermitView {
        id: a.id.as_uuid(),
        employer_id: employer_id.as_uuid(),
        kind: ApplicationKindView {
            employer_kind: CodeView::of(k.employer.as_str(), k.employer.label_tr()),
            filing: CodeView::of(k.filing.as_str(), k.filing.label_tr()),
            route: CodeView::of(k.route.as_str(), k.route.label_tr()),
            care_kind: k
                .household
                .map(|h| CodeView::of(h.care.as_str(), h.care.label_tr())),
            guardianship: k
                .household
                .map(|h| CodeView::of(h.guardianship.as_str(), h.guardianship.label_tr())),
        },
        foreigner: foreigner_of(a),
        evaluation: EvaluationView {
            status: CodeView::of(e.status.as_str(), e.status.label_tr()),
            employer_list: CodeView::of(list.as_str(), list.label_tr()),
            since: e.since,
            deadline: e.deadline().map(|d| d.to_string()),
            request_note: e.request_note.clone(),
            permit_fee: e.fees.map(|f| lira(f.permit_fee)),
            card_fee: e.fees.map(|f| lira(f.card_fee)),
            permit_fee_paid_at: e.permit_fee_paid_at,
            card_fee_paid_at: e.card_fee_paid_at,
            rejection_reason: e.rejection_reason.clone(),
            appeal_used: e.appeal_used,
        },
        wizard: WizardProgressView {
            missing_steps: a
                .wizard
                .missing_steps()
                .iter()
                .map(|s| s.as_str().to_owned())
                .collect(),
            next_step: a.wizard.next_step().map(|s| s.as_str().to_owned()),
        },
        steps: steps_view(a),
        period: a.period.map(|p| PeriodView {
            start: p.start().to_string(),
            end: p.end().to_string(),
            months: p.months(),
        }),
        assignee: a.assignee.as_ref().map(|t| t.masked()),
        submitted_at: a.submitted_at,
        ministry: crate::routes::work_permit_decisions::ministry_view(&a.ministry),
        created_at: a.created_at,
        updated_at: a.updated_at,
        version: a.version,
        after: crate::routes::work_permit_after::after_view(&a.after),
    }
}

/// `200` with the application, its version as `ETag`.
pub fn answer(a: &WorkPermitApplication) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, etag(a.version)))
        .json(view(a))
}

/// Parses the `{id}` of a work-permit path (malformed: 404 `work_permit.not_found`).
pub fn application_id(raw: &str) -> ApiResult<WorkPermitId> {
    path_id(raw, "work_permit.not_found")
}

/// An application: for its employer's users, and for the ministry's staff.
#[utoipa::path(
    operation_id = "get_work_permit",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, description = "The application", body = WorkPermitView, headers(("ETag" = String))),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither an e-Devlet citizen nor the ministry's staff (`work_permit.employer_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or not your employer's (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/work-permits/{id}")]
pub async fn get_work_permit(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let a = read(&state, move |c| {
        uc::get_application(&mut WorkPermitRepo::new(c, now), &actor, id)
    })
    .await?;
    Ok(answer(&a))
}

/// The application's history ("İşlem Hareketleri"), oldest first.
///
/// The application's history ("İşlem Hareketleri"), oldest first: every status change with
/// who, when, from and to.
#[utoipa::path(
    operation_id = "work_permit_history",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, description = "The history", body = Vec<HistoryEntryView>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither an e-Devlet citizen nor the ministry's staff (`work_permit.employer_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or not your employer's (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/work-permits/{id}/history")]
pub async fn work_permit_history(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let h = read(&state, move |c| {
        uc::application_history(&mut WorkPermitRepo::new(c, now), &actor, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(
        h.into_iter()
            .map(HistoryEntryView::from)
            .collect::<Vec<_>>(),
    ))
}

// ---------------------------------------------------------------------------------------
// The wizard: start, files, the five steps, the petition, submit; the assignment.

/// Start an application (Başvuru Yap): the employer you act for and the kind. The foreigner
/// is found as the route says: in Türkiye by YKN + birth date (the registry's record; a
/// residence permit running 6 more months for a first application; an extension only for one
/// of the employer's running permits), abroad by the consulate's 16-digit reference (valid 30
/// days, single use), academics by YÖK pre-permit number or exempt / TRNC.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartWorkPermitRequest {
    /// The e-İzin employer you act for (one of `GET /work-permit-employers`).
    pub employer_id: Uuid,
    /// `company`, `household`, `university`; defaults to the employer's kind.
    #[schema(example = "household")]
    pub employer_kind: Option<String>,
    /// `first` or `extension`.
    #[schema(example = "first")]
    pub filing: String,
    /// `in_turkiye`, `abroad`, `yok_pre_permit`, `academic_exempt`.
    #[schema(example = "in_turkiye")]
    pub route: String,
    #[schema(example = "99100000140")]
    pub ykn: Option<String>,
    /// `YYYY-MM-DD`, with a YKN.
    #[schema(example = "1990-03-14", format = Date)]
    pub birth_date: Option<String>,
    /// The consulate's 16-digit reference number (abroad).
    #[schema(example = json!(null))]
    pub reference_no: Option<String>,
    #[schema(example = json!(null))]
    pub yok_pre_permit_no: Option<String>,
    /// `trnc` or `yok_exempt` (route `academic_exempt`).
    #[schema(example = json!(null))]
    pub exemption: Option<String>,
    /// Exempt academics in Türkiye without a YKN.
    #[schema(example = json!(null))]
    pub passport_no: Option<String>,
    #[schema(example = json!(null))]
    pub nationality: Option<String>,
    /// Households: `elderly_care`, `disabled_care`, `child_care`, `patient_companion`.
    #[schema(example = "elderly_care")]
    pub care_kind: Option<String>,
    /// Households: `not_applicable` (default), `applicant_is_guardian`, `acts_for_guardian`.
    #[schema(example = json!(null))]
    pub guardianship: Option<String>,
}

/// Collects date fields, naming each malformed one.
struct Dates(Vec<FieldError>);

impl Dates {
    fn parse(&mut self, field: &str, raw: Option<&str>) -> Option<Date> {
        let raw = raw?;
        match crate::routes::mass_layoffs::parse_date(field, raw) {
            Ok(d) => Some(d),
            Err(e) => {
                self.0.extend(e.fields);
                None
            }
        }
    }

    fn finish(self) -> Result<(), DomainError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(DomainError::fields(self.0))
        }
    }
}

/// `201` with the application, its version as `ETag` and its `Location`.
fn created(a: &WorkPermitApplication) -> HttpResponse {
    HttpResponse::Created()
        .insert_header((header::ETAG, etag(a.version)))
        .insert_header((header::LOCATION, format!("/api/v1/work-permits/{}", a.id)))
        .json(view(a))
}

/// Start a work-permit application as a draft for an employer you act for.
#[utoipa::path(
    operation_id = "start_work_permit",
    tag = "work-permits",
    security(("bearer" = [])),
    request_body(content = StartWorkPermitRequest, examples(
        ("household_in_turkiye" = (summary = "A household, foreigner in Türkiye", value = json!({"employer_id": "019a0000-0000-7000-8000-000000000001", "filing": "first", "route": "in_turkiye", "ykn": "99100000140", "birth_date": "1990-03-14", "care_kind": "elderly_care"}))),
        ("company_abroad" = (summary = "A company, foreigner abroad", value = json!({"employer_id": "019a0000-0000-7000-8000-000000000002", "filing": "first", "route": "abroad", "reference_no": "2026120100000001"}))),
        ("academic" = (summary = "A university, YÖK pre-permit", value = json!({"employer_id": "019a0000-0000-7000-8000-000000000003", "filing": "first", "route": "yok_pre_permit", "yok_pre_permit_no": "YOK2026000101"})))
    )),
    responses(
        (status = 201, description = "The draft", body = WorkPermitView, headers(("ETag" = String), ("Location" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a citizen logged in through e-Devlet (`work_permit.employer_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such employer, or you are not one of its users (`work_permit.employer_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid or missing for this kind (`work_permit.required`, `work_permit.unknown_code`, `ykn.checksum`, `date.format`, …), the kind is not the employer's (`work_permit.employer_kind_mismatch`), the foreigner is not in the registry (`work_permit.foreigner_not_found`), the residence permit is too short (`work_permit.residence_too_short` / `residence_missing`), no running permit to extend (`work_permit.no_running_permit`), the reference is unknown, used or expired (`work_permit.reference_unknown` / `reference_used` / `reference_expired`), the YÖK pre-permit is unknown or refused (`work_permit.yok_pre_permit_unknown` / `yok_pre_permit_refused`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/work-permits")]
pub async fn start_work_permit(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<StartWorkPermitRequest>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let mut dates = Dates(vec![]);
    let birth_date = dates.parse("birth_date", b.birth_date.as_deref());
    dates.finish()?;
    let input = ApplicationKindInput {
        employer_kind: b.employer_kind.unwrap_or_default(),
        filing: b.filing,
        route: b.route,
        ykn: b.ykn,
        birth_date,
        reference_no: b.reference_no,
        yok_pre_permit_no: b.yok_pre_permit_no,
        exemption: b.exemption,
        passport_no: b.passport_no,
        nationality: b.nationality,
        care_kind: b.care_kind,
        guardianship: b.guardianship,
    };
    let employer = EmployerId::from_uuid(b.employer_id);
    let now = state.clock.now();
    let actor = auth.0;
    let a = write(&state, move |c| {
        uc::start_application(
            &mut WorkPermitRepo::new(c, now),
            &actor,
            employer,
            input,
            now,
        )
    })
    .await?;
    Ok(created(&a))
}

/// What an uploaded file is for.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadRequest {
    /// `photo` (the biometric photo: JPEG or PNG by content, at most 2 MB) or `pdf` (a
    /// document, PDF by content, at most 10 MB).
    #[schema(example = "pdf")]
    pub kind: String,
}

/// An uploaded file of the application.
#[derive(Serialize, ToSchema)]
pub struct UploadedFileView {
    /// Name it in the steps (`personal.photo.sha256`, `documents[].sha256`).
    #[schema(example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    pub sha256: String,
    #[schema(example = "pdf")]
    pub kind: String,
    #[schema(example = "application/pdf")]
    pub media_type: String,
    #[schema(example = 48213)]
    pub size: u64,
    #[schema(example = "is-sozlesmesi.pdf")]
    pub file_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub uploaded_at: OffsetDateTime,
}

fn file_view(f: ApplicationFile) -> UploadedFileView {
    UploadedFileView {
        sha256: f.sha256.as_str().to_owned(),
        kind: f.kind.as_str().to_owned(),
        media_type: f.media_type,
        size: f.size,
        file_name: f.file_name,
        uploaded_at: f.uploaded_at,
    }
}

/// Upload a file for the work-permit wizard.
///
/// Upload a file for the wizard: `multipart/form-data` with a `data` part
/// (`{"kind": "photo"}` or `{"kind": "pdf"}`) and one `files` part. The content is checked
/// (not the name); the answer's `sha256` is what the steps name.
#[utoipa::path(
    operation_id = "upload_work_permit_file",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body(description = "The JSON in a `data` part, the file in one `files` part", content((OneFileForm<UploadRequest> = "multipart/form-data", encoding(("data" = (content_type = "application/json")), ("files" = (content_type = "image/jpeg, image/png, application/pdf")))))),
    responses(
        (status = 201, description = "Stored", body = UploadedFileView),
        (status = 400, description = "Malformed multipart (`request.bad_multipart`)", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a citizen (`work_permit.employer_only`), or the application is assigned to another user (`work_permit.not_assigned`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or not your employer's (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Submitted: nothing changes (`work_permit.not_a_draft`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither multipart/form-data nor JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not one file (`work_permit.one_file`), unknown kind (`work_permit.unknown_code`), not a JPEG/PNG (`work_permit.photo_format`) or over 2 MB (`work_permit.photo_too_large`), not a PDF (`work_permit.document_format`) or over 10 MB (`work_permit.document_too_large`, `attachment.too_large`) — naming `file`", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/work-permits/{id}/files")]
pub async fn upload_work_permit_file(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: WithFiles<UploadRequest>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let WithFiles { data, mut files } = body;
    if files.len() != 1 {
        return Err(DomainError::rule(FieldError::new(
            "file",
            "work_permit.one_file",
            "Send exactly one file in a `files` part.",
        ))
        .into());
    }
    let (file_name, bytes) = files.remove(0);
    let (kind, media_type) = match FileKind::parse(&data.kind) {
        Some(FileKind::Photo) => (
            FileKind::Photo,
            check_photo_file(&bytes)?.media_type().to_owned(),
        ),
        Some(FileKind::Pdf) => {
            check_pdf("file", &bytes)?;
            (FileKind::Pdf, kapi_documents::PDF_MEDIA_TYPE.to_owned())
        }
        None => {
            return Err(DomainError::rule(FieldError::new(
                "kind",
                "work_permit.unknown_code",
                "One of photo, pdf.",
            ))
            .into())
        }
    };
    let size = bytes.len() as u64;
    let sha = store_blob(&state, bytes).await?;
    let now = state.clock.now();
    let actor = auth.0;
    let f = write(&state, move |c| {
        let file = ApplicationFile {
            sha256: Sha256Hex::parse(&sha).map_err(DomainError::rule)?,
            kind,
            media_type,
            size,
            file_name: crate::routes::ascii_file_name(&file_name),
            uploaded_by: actor.audit_label(),
            uploaded_at: now,
        };
        uc::upload_file(&mut WorkPermitRepo::new(c, now), &actor, id, file)
    })
    .await?;
    Ok(HttpResponse::Created().json(file_view(f)))
}

/// Download a file of the work-permit application.
///
/// Download a file of the application (its employer's users and the ministry's staff).
#[utoipa::path(
    operation_id = "get_work_permit_file",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id"), ("sha256" = String, Path, description = "The file's SHA-256")),
    responses(
        (status = 200, description = "The file, with its media type", content((FileBytes = "application/pdf"), (FileBytes = "image/jpeg"), (FileBytes = "image/png")), headers(("Content-Disposition" = String))),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither a citizen nor the ministry's staff (`work_permit.employer_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application or file (`work_permit.not_found`, `work_permit.file_not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/work-permits/{id}/files/{sha256}")]
pub async fn get_work_permit_file(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (id, sha) = path.into_inner();
    let id = application_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let f = read(&state, move |c| {
        uc::application_file(&mut WorkPermitRepo::new(c, now), &actor, id, &sha)
    })
    .await?;
    let bytes = blob(&state, f.sha256.as_str().to_owned()).await?;
    Ok(HttpResponse::Ok()
        .content_type(f.media_type.clone())
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", f.file_name),
        ))
        .body(bytes))
}

/// Stores `bytes` in the blob store (durably) and answers their SHA-256.
pub async fn store_blob(state: &web::Data<AppState>, bytes: Vec<u8>) -> ApiResult<String> {
    let blobs = state.blobs.clone();
    web::block(move || blobs.put(&bytes))
        .await
        .map_err(|e| ApiError::internal(format!("blocking task failed: {e}")))?
        .map_err(ApiError::from)
}

/// The bytes stored under `sha` (a missing blob is a server fault).
pub async fn blob(state: &web::Data<AppState>, sha: String) -> ApiResult<Vec<u8>> {
    let blobs = state.blobs.clone();
    let missing = sha.clone();
    web::block(move || blobs.get(&sha))
        .await
        .map_err(|e| ApiError::internal(format!("blocking task failed: {e}")))??
        .ok_or_else(|| ApiError::internal(format!("blob {missing} missing")))
}

/// The biometric photo, uploaded first (`kind: photo`).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PhotoRequest {
    /// The uploaded photo's SHA-256.
    pub sha256: String,
    /// When it was taken, `YYYY-MM-DD`: within the last 6 months.
    #[schema(example = "2026-11-20", format = Date)]
    pub taken_on: String,
    /// Cropped to the face and confirmed ("Fotoğrafı Onaylayınız").
    pub confirmed: bool,
}

/// A married foreigner's spouse.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SpouseRequest {
    pub first_name: String,
    pub last_name: String,
    /// ISO alpha-2; `TR` for a Turkish spouse (then `tckn` and `birth_date` too).
    #[schema(example = "TR")]
    pub nationality: String,
    pub tckn: Option<String>,
    #[schema(format = Date)]
    pub birth_date: Option<String>,
}

/// Step 1, personal information (Kişisel Bilgiler).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonalRequest {
    /// The registry data shown is confirmed.
    pub registry_confirmed: bool,
    #[schema(example = "elnur@example.com")]
    pub email: String,
    #[schema(example = "0532 123 45 67")]
    pub mobile: String,
    pub photo: Option<PhotoRequest>,
    /// `single`, `married`, `divorced`, `widowed`.
    #[schema(example = "single")]
    pub marital_status: String,
    pub spouse: Option<SpouseRequest>,
}

/// Step 2, general information (Genel Bilgiler).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GeneralRequest {
    /// International-protection holders give no passport.
    #[serde(default)]
    pub international_protection: bool,
    #[schema(example = "C01234567")]
    pub passport_no: Option<String>,
    #[schema(example = "2030-05-01", format = Date)]
    pub passport_expires_on: Option<String>,
    #[schema(example = json!(["Türkçe", "Rusça"]))]
    #[serde(default)]
    pub languages: Vec<String>,
    /// `primary`, `high_school`, `associate`, `bachelor`, `master`, `doctorate`.
    #[schema(example = "high_school")]
    pub education_level: String,
    /// Associate degree and above.
    pub graduated_field: Option<String>,
    pub speciality: Option<String>,
}

/// Step 3, job information (İş / Görev Bilgileri).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JobRequest {
    /// Plate code.
    #[schema(example = "06")]
    pub province: String,
    #[schema(example = 1231)]
    pub district_code: i64,
    pub open_address: String,
    /// Occupation dictionary code.
    #[schema(example = "5322.01")]
    pub occupation_code: String,
    /// Households: the person cared for.
    #[schema(example = "10000000146")]
    pub cared_person_tckn: Option<String>,
    /// Households: `self`, `spouse`, `mother`, `father`, `child`, `sibling`, … — verified
    /// against the civil registry.
    #[schema(example = "mother")]
    pub kinship_relation: Option<String>,
    /// Monthly gross wage in lira.
    #[schema(example = "25000.00")]
    pub wage: String,
    /// `full_time`, `part_time`.
    #[schema(example = "full_time")]
    pub work_mode: String,
    /// `indefinite`, `fixed_term`.
    #[schema(example = "indefinite")]
    pub work_type: String,
    /// The requested permit period (Law 6735 limits are checked at submit).
    #[schema(example = "2027-01-01", format = Date)]
    pub period_start: Option<String>,
    #[schema(example = "2027-12-31", format = Date)]
    pub period_end: Option<String>,
    pub reason: String,
    /// Academics: premiums paid abroad.
    pub premiums_paid_abroad: Option<bool>,
}

/// One document of step 4.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentRequest {
    /// See `GET /reference/work-permit-document-types`.
    #[schema(example = "employment_contract")]
    pub document_type: String,
    /// An uploaded PDF's SHA-256.
    pub sha256: String,
}

/// Step 4, documents (Belgeler): the whole list.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentsRequest {
    pub documents: Vec<DocumentRequest>,
}

/// Step 5, the result (Sonuç): the generated petition confirmed, e-signed or kept as a draft.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkPermitResultRequest {
    /// The SHA-256 of the petition last generated (`POST …/petition`).
    pub petition_sha256: String,
    /// "Başvuru dilekçesini inceledim, okudum, onaylıyorum."
    pub confirmed: bool,
    /// `true`: complete with e-signature; `false`: "Taslak Olarak Kaydet".
    pub e_sign: bool,
}

/// As [`command`], for a change sent with `If-Match`: a stale version is 412
/// (`precondition.version_mismatch`), checked in the same transaction once the caller may
/// see the application (so a stranger still gets 404).
pub async fn command_if_match<F>(
    state: web::Data<AppState>,
    actor: Actor,
    id: WorkPermitId,
    if_match: IfMatch,
    f: F,
) -> ApiResult<HttpResponse>
where
    F: FnOnce(
            &mut WorkPermitRepo<'_>,
            OffsetDateTime,
        ) -> Result<WorkPermitApplication, DomainError>
        + Send
        + 'static,
{
    command(state, move |s, now| {
        if let Some(expected) = if_match.0 {
            let a = uc::get_application(s, &actor, id)?;
            if a.version != expected {
                return Err(DomainError::stale("work-permit application"));
            }
        }
        f(s, now)
    })
    .await
}

/// Runs a command on the applications store in one write transaction at the clock's `now`
/// and answers the application (200, its version as `ETag`): every work-permit command
/// goes through here.
pub async fn command<F>(state: web::Data<AppState>, f: F) -> ApiResult<HttpResponse>
where
    F: FnOnce(
            &mut WorkPermitRepo<'_>,
            OffsetDateTime,
        ) -> Result<WorkPermitApplication, DomainError>
        + Send
        + 'static,
{
    let now = state.clock.now();
    let a = write(&state, move |c| f(&mut WorkPermitRepo::new(c, now), now)).await?;
    Ok(answer(&a))
}

/// Step 1: personal information.
///
/// Step 1: personal information — the registry data confirmed, contacts, the uploaded
/// biometric photo (taken within 6 months, confirmed), marital status and spouse.
#[utoipa::path(
    operation_id = "save_work_permit_personal",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body = PersonalRequest,
    responses(
        (status = 200, description = "The application, the step saved", body = WorkPermitView, headers(("ETag" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a citizen (`work_permit.employer_only`), or the application is assigned to another user (`work_permit.not_assigned`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or not your employer's (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Submitted and no update asked for (`work_permit.not_a_draft`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`If-Match` names another version (`precondition.version_mismatch`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named (`personal.email`, `personal.photo.taken_on` — `work_permit.photo_too_old`, `personal.spouse.tckn`, …), the photo not uploaded for this application (`work_permit.file_not_uploaded`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/work-permits/{id}/personal")]
pub async fn save_work_permit_personal(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<PersonalRequest>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let b = body.0;
    let mut dates = Dates(vec![]);
    let taken_on = b
        .photo
        .as_ref()
        .and_then(|p| dates.parse("personal.photo.taken_on", Some(&p.taken_on)));
    let spouse_birth = b
        .spouse
        .as_ref()
        .and_then(|s| dates.parse("personal.spouse.birth_date", s.birth_date.as_deref()));
    dates.finish()?;
    let input = PersonalInput {
        registry_confirmed: b.registry_confirmed,
        email: b.email,
        mobile: b.mobile,
        photo: b.photo.map(|p| PhotoInput {
            sha256: p.sha256,
            format: String::new(),
            size: 0,
            taken_on,
            confirmed: p.confirmed,
        }),
        marital_status: b.marital_status,
        spouse: b.spouse.map(|s| SpouseInput {
            first_name: s.first_name,
            last_name: s.last_name,
            nationality: s.nationality,
            tckn: s.tckn,
            birth_date: spouse_birth,
        }),
    };
    let actor = auth.0;
    command_if_match(state, actor.clone(), id, if_match, move |s, now| {
        uc::save_personal(s, &actor, id, input, now)
    })
    .await
}

/// Step 2: general information.
///
/// Step 2: general information — the passport (not for international-protection
/// holders; its end at least 60 days after the permit's), languages, education.
#[utoipa::path(
    operation_id = "save_work_permit_general",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body = GeneralRequest,
    responses(
        (status = 200, description = "The application, the step saved", body = WorkPermitView, headers(("ETag" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a citizen (`work_permit.employer_only`), or the application is assigned to another user (`work_permit.not_assigned`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or not your employer's (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Submitted and no update asked for (`work_permit.not_a_draft`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`If-Match` names another version (`precondition.version_mismatch`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named (`general.passport_no`, `general.passport_expires_on`, `general.languages[1]`, `general.graduated_field`, …)", body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/work-permits/{id}/general")]
pub async fn save_work_permit_general(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<GeneralRequest>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let b = body.0;
    let mut dates = Dates(vec![]);
    let passport_expires_on = dates.parse(
        "general.passport_expires_on",
        b.passport_expires_on.as_deref(),
    );
    dates.finish()?;
    let input = GeneralInput {
        international_protection: b.international_protection,
        passport_no: b.passport_no,
        passport_expires_on,
        languages: b.languages,
        education_level: b.education_level,
        graduated_field: b.graduated_field,
        speciality: b.speciality,
    };
    let actor = auth.0;
    command_if_match(state, actor.clone(), id, if_match, move |s, now| {
        uc::save_general(s, &actor, id, input, now)
    })
    .await
}

/// Step 3: job information.
///
/// Step 3: job information — the work address, occupation, for households the person
/// cared for (kinship verified against the civil registry), wage, mode, type, the
/// requested period, the reason; for academics whether premiums are paid abroad.
#[utoipa::path(
    operation_id = "save_work_permit_job",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body = JobRequest,
    responses(
        (status = 200, description = "The application, the step saved", body = WorkPermitView, headers(("ETag" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a citizen (`work_permit.employer_only`), or the application is assigned to another user (`work_permit.not_assigned`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or not your employer's (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Submitted and no update asked for (`work_permit.not_a_draft`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`If-Match` names another version (`precondition.version_mismatch`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named (`job.wage`, `job.period_end`, `job.cared_person_tckn`, …), the kinship not the registry's (`work_permit.kinship_not_verified`, naming `job.kinship_relation`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/work-permits/{id}/job")]
pub async fn save_work_permit_job(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<JobRequest>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let b = body.0;
    let mut dates = Dates(vec![]);
    let period_start = dates.parse("job.period_start", b.period_start.as_deref());
    let period_end = dates.parse("job.period_end", b.period_end.as_deref());
    dates.finish()?;
    let input = JobInput {
        province: b.province,
        district_code: b.district_code,
        open_address: b.open_address,
        occupation_code: b.occupation_code,
        cared_person_tckn: b.cared_person_tckn,
        kinship_relation: b.kinship_relation,
        wage: b.wage,
        work_mode: b.work_mode,
        work_type: b.work_type,
        period_start,
        period_end,
        reason: b.reason,
        premiums_paid_abroad: b.premiums_paid_abroad,
    };
    let actor = auth.0;
    command_if_match(state, actor.clone(), id, if_match, move |s, now| {
        uc::save_job(s, &actor, id, input, now)
    })
    .await
}

/// Step 4: the documents.
///
/// Step 4: the documents — uploaded PDFs by type (employment contract, proof of income,
/// passport page, kind-specific ones, guardianship documents when applicable). Which are
/// required is checked at submit.
#[utoipa::path(
    operation_id = "save_work_permit_documents",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body = DocumentsRequest,
    responses(
        (status = 200, description = "The application, the step saved", body = WorkPermitView, headers(("ETag" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a citizen (`work_permit.employer_only`), or the application is assigned to another user (`work_permit.not_assigned`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or not your employer's (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Submitted and no update asked for (`work_permit.not_a_draft`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`If-Match` names another version (`precondition.version_mismatch`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid entries, each named (`documents[1].document_type` — `work_permit.duplicate`, `work_permit.document_not_for_application`; `documents[0].sha256` — `work_permit.file_not_uploaded`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/work-permits/{id}/documents")]
pub async fn save_work_permit_documents(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<DocumentsRequest>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let input = DocumentsInput {
        documents: body
            .0
            .documents
            .into_iter()
            .map(|d| DocumentInput {
                document_type: d.document_type,
                sha256: d.sha256,
                size: 0,
            })
            .collect(),
    };
    let actor = auth.0;
    command_if_match(state, actor.clone(), id, if_match, move |s, now| {
        uc::save_documents(s, &actor, id, input, now)
    })
    .await
}

/// Step 5: confirm and e-sign the petition, or keep a draft.
///
/// Step 5: the result — confirm the petition last generated and complete it with
/// e-signature (`e_sign: true`), or keep the application as a draft (`e_sign: false`).
#[utoipa::path(
    operation_id = "save_work_permit_result",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body = WorkPermitResultRequest,
    responses(
        (status = 200, description = "The application, the step saved", body = WorkPermitView, headers(("ETag" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a citizen (`work_permit.employer_only`), or the application is assigned to another user (`work_permit.not_assigned`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or not your employer's (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Submitted and no update asked for (`work_permit.not_a_draft`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`If-Match` names another version (`precondition.version_mismatch`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`result.petition_sha256` malformed, not generated (`work_permit.petition_not_generated`) or not the last one (`work_permit.petition_outdated`); `result.confirmed` false (`work_permit.petition_not_confirmed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/work-permits/{id}/result")]
pub async fn save_work_permit_result(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<WorkPermitResultRequest>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let b = body.0;
    let input = ResultInput {
        petition_sha256: b.petition_sha256,
        confirmed: b.confirmed,
        e_sign: b.e_sign,
    };
    let actor = auth.0;
    command_if_match(state, actor.clone(), id, if_match, move |s, now| {
        uc::save_result(s, &actor, id, input, now)
    })
    .await
}

/// The petition generated for the application.
#[derive(Serialize, ToSchema)]
pub struct WorkPermitPetition {
    /// Confirm and sign this (`PUT …/result`).
    pub sha256: String,
    pub size: u64,
    #[serde(with = "time::serde::rfc3339")]
    pub generated_at: OffsetDateTime,
    /// Where the PDF is read.
    #[schema(example = "/api/v1/work-permits/019a…/petition")]
    pub url: String,
}

/// Generate the application petition (başvuru dilekçesi) as a PDF.
///
/// Generate the application petition (başvuru dilekçesi) as a PDF from the saved steps
/// 1–4. The answer names its SHA-256, which the result step confirms and e-signs; saving
/// any step afterwards drops it.
#[utoipa::path(
    operation_id = "generate_work_permit_petition",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 201, description = "Generated", body = WorkPermitPetition),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a citizen (`work_permit.employer_only`), or the application is assigned to another user (`work_permit.not_assigned`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or not your employer's (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Submitted and no update asked for (`work_permit.not_a_draft`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Steps 1–4 are not all saved (`work_permit.step_order`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/work-permits/{id}/petition")]
pub async fn generate_work_permit_petition(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0.clone();
    let text = read(&state, move |c| {
        let a = uc::application_for_petition(&mut WorkPermitRepo::new(c, now), &actor, id)?;
        let EmployerRef::Employer { employer_id } = a.employer;
        let title = WorkPermitEmployerRepo::new(c, now)
            .get(employer_id)?
            .map(|e| e.title)
            .unwrap_or_default();
        Ok(petition_text(&a, &title, now))
    })
    .await?;
    let pdf = kapi_documents::letter_to_pdf(&kapi_documents::Letter {
        title: text.title,
        fields: text.fields,
        paragraphs: text.paragraphs,
    })
    .map_err(|e| ApiError::internal(format!("petition rendering failed: {e}")))?;
    let size = pdf.len() as u64;
    let sha = store_blob(&state, pdf).await?;
    let actor = auth.0;
    let a = write(&state, move |c| {
        let petition = GeneratedPetition {
            sha256: Sha256Hex::parse(&sha).map_err(DomainError::rule)?,
            size,
            generated_at: now,
        };
        uc::set_petition(&mut WorkPermitRepo::new(c, now), &actor, id, petition)
    })
    .await?;
    let p = a
        .petition
        .ok_or_else(|| ApiError::internal("petition not kept"))?;
    Ok(HttpResponse::Created().json(WorkPermitPetition {
        sha256: p.sha256.as_str().to_owned(),
        size: p.size,
        generated_at: p.generated_at,
        url: format!("/api/v1/work-permits/{id}/petition"),
    }))
}

/// Read the petition last generated, as a PDF (its SHA-256 in `X-Content-SHA256`).
#[utoipa::path(
    operation_id = "get_work_permit_petition",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, description = "The petition PDF", content((FileBytes = "application/pdf")), headers(("X-Content-SHA256" = String))),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither a citizen nor the ministry's staff (`work_permit.employer_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application (`work_permit.not_found`), or no petition generated (`work_permit.petition_not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/work-permits/{id}/petition")]
pub async fn get_work_permit_petition(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let a = read(&state, move |c| {
        uc::get_application(&mut WorkPermitRepo::new(c, now), &actor, id)
    })
    .await?;
    let p = a.petition.ok_or_else(|| {
        DomainError::not_found(
            "work_permit.petition_not_found",
            "No petition has been generated for this application.",
        )
    })?;
    let bytes = blob(&state, p.sha256.as_str().to_owned()).await?;
    Ok(HttpResponse::Ok()
        .content_type(kapi_documents::PDF_MEDIA_TYPE)
        .insert_header(("X-Content-SHA256", p.sha256.as_str().to_owned()))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"basvuru-dilekcesi-{id}.pdf\""),
        ))
        .body(bytes))
}

/// Submit the e-signed application to the ministry.
///
/// Submit the e-signed application to the ministry: every step done, the period within Law
/// 6735 (first ≤ 1 year, first extension ≤ 2, later ≤ 3; ending at least 60 days before the
/// passport; an extension filed from 60 days before the running permit ends and before it
/// ends), the required documents uploaded, the petition signed; a consulate reference still
/// unused and within its 30 days (then used).
#[utoipa::path(
    operation_id = "submit_work_permit",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, description = "Submitted (`submitted`)", body = WorkPermitView, headers(("ETag" = String))),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a citizen (`work_permit.employer_only`), or the application is assigned to another user (`work_permit.not_assigned`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or not your employer's (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already submitted (`work_permit.not_a_draft`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Steps missing (`work_permit.steps_incomplete`, naming `steps.<step>`), the period too long (`work_permit.first_too_long`, `work_permit.extension_too_long`), past 60 days before the passport's end (`work_permit.beyond_passport`), starting in the past (`work_permit.start_in_past`), an extension outside its window (`work_permit.extension_too_early` / `extension_after_expiry` / `extension_start`), a document missing (`work_permit.document_missing`), not signed (`work_permit.signature_missing`), the reference used or expired (`work_permit.reference_used` / `reference_expired`) — naming the field", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/work-permits/{id}/submit")]
pub async fn submit_work_permit(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let actor = auth.0;
    command(state, move |s, now| {
        uc::submit_application(s, &actor, id, now)
    })
    .await
}

/// Assign the application to one of the employer's users (Başvuru Atama).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    /// The user's TCKN (the owner or an authorised user); `null` lifts the assignment.
    #[schema(example = "12345678950")]
    pub assignee_tckn: Option<String>,
}

/// Assign the application to one of the employer's users (owner).
///
/// The employer's owner assigns the application to one of its users: while assigned, only
/// that user and the owner act on it (others get 403 `work_permit.not_assigned`).
#[utoipa::path(
    operation_id = "assign_work_permit",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body = AssignRequest,
    responses(
        (status = 200, description = "Assigned", body = WorkPermitView, headers(("ETag" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the employer's owner (`work_permit.owner_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or not your employer's (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A concurrent change won the race and no `If-Match` was sent (`conflict.concurrent_update`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "`If-Match` names another version (`precondition.version_mismatch`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid TCKN (`tckn.checksum`, …) or not one of the employer's users (`work_permit.not_an_employer_user`), naming `assignee_tckn`", body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/work-permits/{id}/assignee")]
pub async fn assign_work_permit(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<AssignRequest>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let assignee = body
        .0
        .assignee_tckn
        .map(|t| Tckn::parse(&t).map_err(|e| DomainError::field(e.at("assignee_tckn"))))
        .transpose()?;
    let actor = auth.0;
    command_if_match(state, actor.clone(), id, if_match, move |s, now| {
        uc::assign_application(s, &actor, id, assignee, now)
    })
    .await
}

/// Registers this module's handlers.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(start_work_permit)
        .service(get_work_permit)
        .service(work_permit_history)
        .service(upload_work_permit_file)
        .service(get_work_permit_file)
        .service(save_work_permit_personal)
        .service(save_work_permit_general)
        .service(save_work_permit_job)
        .service(save_work_permit_documents)
        .service(save_work_permit_result)
        .service(generate_work_permit_petition)
        .service(get_work_permit_petition)
        .service(submit_work_permit)
        .service(assign_work_permit);
}
