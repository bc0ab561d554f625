//! e-İzin work-permit applications over HTTP: the application's view (shared by every
//! work-permit route), its detail and its history ("İşlem Hareketleri").

use crate::extract::{etag, path_id, Authenticated};
use crate::problem::{ApiResult, Problem};
use crate::routes::HistoryEntryView;
use crate::state::{read, AppState};
use actix_web::http::header;
use actix_web::{get, web, HttpResponse};
use kapi_core::{Money, WorkPermitId};
use kapi_persistence::work_permits::WorkPermitRepo;
use kapi_work_permit::application::{EmployerRef, Foreigner, WorkPermitApplication};
use kapi_work_permit::evaluation::employer_list;
use kapi_work_permit::usecases as uc;
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

pub const TAG: &str = "work-permits";

/// Lira with exactly two decimals and no unit (`13025.55`).
pub fn lira(m: Money) -> String {
    let k = m.kurus();
    let sign = if k < 0 { "-" } else { "" };
    let a = k.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

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
        foreigner: foreigner_view(&a.foreigner),
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

/// Registers this module's handlers.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_work_permit).service(work_permit_history);
}
