//! e-İzin: the ministry's evaluation and decisions, the employer's answers (missing
//! documents, update, appeal, waiver), fees and payments (the simulated GİB "Referans
//! Numarası ile Ödeme" screen) and the lost-card request, over HTTP. Rules in
//! `kapi_work_permit::ministry`; every command answers the application (200, `ETag`).

use crate::extract::{Authenticated, JsonBody, QueryParams};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::routes::lira;
use crate::routes::petitions::WithFiles;
use crate::routes::work_permits::{application_id, command, CodeView, WorkPermitView};
use crate::routes::Paged;
use crate::routes::{FilesForm, OneFileForm};
use crate::state::{read, write, AppState};
use actix_web::{get, post, web, HttpResponse};
use kapi_core::{Actor, BlobStore, DomainError, FieldError, PageRequest, WorkPermitId};
use kapi_persistence::work_permit_registries::fee_schedule;
use kapi_persistence::work_permits::WorkPermitRepo;
use kapi_work_permit::documents::{check_pdf, DocumentType};
use kapi_work_permit::evaluation::{Command, Status};
use kapi_work_permit::ministry::{self as uc, MinistryRecord, UploadedPdf};
use kapi_work_permit::usecases::employer_to_act;
use kapi_work_permit::wizard::Sha256Hex;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

// ---------------------------------------------------------------------------------------
// The view
// ---------------------------------------------------------------------------------------

/// A fee of the approval pending fees with its transaction reference.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeeReferenceView {
    /// `permit_fee` (Çalışma İzni Harcı) or `card_fee` (Değerli Kâğıt Bedeli).
    pub account: CodeView,
    /// The revenue account: `9130` or `9267`.
    #[schema(example = "9130")]
    pub account_code: String,
    /// İşlem Referans Numarası.
    #[schema(example = "UIGM202600000001")]
    pub reference_no: String,
    /// Lira, exactly as due.
    #[schema(example = "13025.55")]
    pub amount: String,
    #[serde(with = "time::serde::rfc3339")]
    pub issued_at: OffsetDateTime,
    /// The last Istanbul day to pay.
    #[schema(example = "2026-04-09", format = Date)]
    pub pay_until: String,
    #[serde(with = "time::serde::rfc3339::option")]
    pub paid_at: Option<OffsetDateTime>,
}

/// A PDF sent in answer to the ministry (missing documents, appeal justification).
#[derive(Debug, Serialize, ToSchema)]
pub struct AnsweredDocumentView {
    pub document_type: CodeView,
    pub sha256: String,
    pub size: u64,
    pub file_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub uploaded_at: OffsetDateTime,
}

/// An e-signed appeal or waiver.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignedStatementView {
    /// The SHA-256 of the signed document (the justification PDF, or the waiver text).
    pub document_sha256: String,
    /// The signer's TCKN, masked.
    #[schema(example = "*********80")]
    pub signed_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub signed_at: OffsetDateTime,
}

/// A lost-card request (Kayıp Kart Talebi).
#[derive(Debug, Serialize, ToSchema)]
pub struct LostCardView {
    #[schema(example = "UIGM202600000003")]
    pub reference_no: String,
    /// Half the permit fee (rounded up to the kuruş), lira.
    #[schema(example = "6512.78")]
    pub permit_fee_share: String,
    #[schema(example = "1593.10")]
    pub card_fee: String,
    /// What the reference is paid with, lira.
    #[schema(example = "8105.88")]
    pub amount: String,
    /// `awaiting_payment`, `payment_notified`, `expired`.
    pub status: CodeView,
    #[serde(with = "time::serde::rfc3339")]
    pub requested_at: OffsetDateTime,
    #[schema(example = "2026-05-31", format = Date)]
    pub pay_until: String,
    #[serde(with = "time::serde::rfc3339::option")]
    pub paid_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub payment_notified_at: Option<OffsetDateTime>,
}

/// The ministry side of the application: fee references and payments, the documents sent
/// back, the appeal or waiver, lost-card requests.
#[derive(Debug, Serialize, ToSchema)]
pub struct MinistryView {
    pub fee_references: Vec<FeeReferenceView>,
    pub documents: Vec<AnsweredDocumentView>,
    pub appeal: Option<SignedStatementView>,
    pub waiver: Option<SignedStatementView>,
    pub lost_cards: Vec<LostCardView>,
}

fn signed(s: &kapi_work_permit::ministry::SignedStatement) -> SignedStatementView {
    SignedStatementView {
        document_sha256: s.document_sha256.to_string(),
        signed_by: s.signature.signer.masked(),
        signed_at: s.signature.signed_at,
    }
}

/// The ministry record as every work-permit view shows it.
pub fn ministry_view(m: &MinistryRecord) -> MinistryView {
    MinistryView {
        fee_references: m
            .fee_references
            .iter()
            .map(|f| FeeReferenceView {
                account: CodeView::of(f.account.as_str(), f.account.label_tr()),
                account_code: f.account.account_code().to_owned(),
                reference_no: f.reference.to_string(),
                amount: lira(f.amount),
                issued_at: f.issued_at,
                pay_until: f.pay_until().to_string(),
                paid_at: f.paid_at,
            })
            .collect(),
        documents: m
            .documents
            .iter()
            .map(|d| AnsweredDocumentView {
                document_type: CodeView::of(d.document_type.as_str(), d.document_type.label_tr()),
                sha256: d.sha256.to_string(),
                size: d.size,
                file_name: d.file_name.clone(),
                uploaded_at: d.uploaded_at,
            })
            .collect(),
        appeal: m.appeal.as_ref().map(signed),
        waiver: m.waiver.as_ref().map(signed),
        lost_cards: m
            .lost_cards
            .iter()
            .map(|l| LostCardView {
                reference_no: l.request.reference.to_string(),
                permit_fee_share: lira(l.request.fees.permit_fee),
                card_fee: lira(l.request.fees.card_fee),
                amount: lira(l.request.fees.total()),
                status: CodeView::of(l.request.status.as_str(), l.request.status.label_tr()),
                requested_at: l.request.requested_at,
                pay_until: l.request.pay_until().to_string(),
                paid_at: l.paid_at,
                payment_notified_at: l.request.payment_notified_at,
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------------------
// Bodies
// ---------------------------------------------------------------------------------------

/// No fields.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmptyBody {}

/// What the ministry asks for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestNoteBody {
    /// 3–2000 characters, shown to the employer.
    #[schema(example = "Bakım yapılacak kişinin sağlık raporu eksiktir.")]
    pub note: String,
}

/// Why the application is rejected.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectBody {
    #[schema(example = "Başvuru şartları sağlanmamıştır.")]
    pub reason: String,
}

/// Which uploaded file is which document.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnsweredFileBody {
    /// A document type code (`/reference/work-permit-document-types`).
    #[schema(example = "patient_health_report")]
    pub document_type: String,
    /// The index of the `files` part (0-based).
    #[schema(example = 0)]
    pub file_index: usize,
}

/// The `data` part of the missing-documents upload.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MissingDocumentsBody {
    pub documents: Vec<AnsweredFileBody>,
}

/// A payment at the revenue administration's "Referans Numarası ile Ödeme" screen.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GibPaymentBody {
    /// İşlem Referans Numarası.
    #[schema(example = "UIGM202600000001")]
    pub reference_no: String,
    /// The foreigner's identity number (starts with 99).
    #[schema(example = "99100000140")]
    pub ykn: String,
    /// Lira, exactly as due (`13025.55`).
    #[schema(example = "13025.55")]
    pub amount: String,
}

/// What the payment screen answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct GibPaymentView {
    pub reference_no: String,
    /// `permit_fee`, `card_fee`, `lost_card`.
    pub purpose: CodeView,
    #[schema(example = "13025.55")]
    pub amount: String,
    #[serde(with = "time::serde::rfc3339")]
    pub paid_at: OffsetDateTime,
    pub application_id: uuid::Uuid,
    /// The application's status after the payment.
    pub application_status: CodeView,
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// Statuses, comma-separated (default `submitted,under_evaluation,appealed`).
    pub status: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// An evaluator's state command, in one write transaction.
async fn evaluator_cmd(
    state: web::Data<AppState>,
    actor: Actor,
    raw_id: &str,
    cmd: Command,
) -> ApiResult<HttpResponse> {
    let id = application_id(raw_id)?;
    command(state, move |s, now| {
        uc::evaluator_command(s, &actor, id, cmd, now)
    })
    .await
}

/// The employer-side access check before files are looked at (404 / 403 first).
async fn may_act(state: &web::Data<AppState>, actor: &Actor, id: WorkPermitId) -> ApiResult<()> {
    let now = state.clock.now();
    let actor = actor.clone();
    read(state, move |c| {
        employer_to_act(&mut WorkPermitRepo::new(c, now), &actor, id).map(|_| ())
    })
    .await
}

/// Checks each file is a PDF by content (the error names `files[i]` and the file name).
fn check_pdfs(files: &[(String, Vec<u8>)]) -> Result<(), DomainError> {
    let mut errors = Vec::new();
    for (i, (name, bytes)) in files.iter().enumerate() {
        if let Err(e) = check_pdf(&format!("files[{i}]"), bytes) {
            for mut f in e.fields {
                f.message = format!("{name}: {}", f.message);
                errors.push(f);
            }
        }
    }
    kapi_work_permit::refuse(errors)
}

/// Puts the bytes in the blob store; answers their SHA-256.
async fn put_blobs(state: &web::Data<AppState>, files: Vec<Vec<u8>>) -> ApiResult<Vec<String>> {
    let blobs: Arc<dyn BlobStore> = state.blobs.clone();
    web::block(move || {
        files
            .iter()
            .map(|b| blobs.put(b))
            .collect::<Result<Vec<_>, DomainError>>()
    })
    .await
    .map_err(|e| ApiError::internal(format!("blocking task failed: {e}")))?
    .map_err(ApiError::from)
}

fn sha(raw: &str) -> Result<Sha256Hex, DomainError> {
    Sha256Hex::parse(raw)
        .map_err(|_| DomainError::internal("the blob store answered a bad SHA-256"))
}

// ---------------------------------------------------------------------------------------
// The evaluator
// ---------------------------------------------------------------------------------------

/// The evaluator's queue (ministry staff).
///
/// The evaluator's queue (ministry staff): applications waiting for the ministry, the oldest
/// submission first.
#[utoipa::path(
    operation_id = "list_evaluation_queue",
    tag = "work-permits",
    security(("bearer" = [])),
    params(QueueQuery),
    responses(
        (status = 200, description = "A page of applications (15 by default)", body = Paged<WorkPermitView>),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the ministry's staff (`work_permit.evaluator_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad paging, an unknown status (`work_permit.status`) or `draft` (`work_permit.status_not_listed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/ministry/work-permits")]
pub async fn list_evaluation_queue(
    state: web::Data<AppState>,
    auth: Authenticated,
    q: QueryParams<QueueQuery>,
) -> ApiResult<HttpResponse> {
    let page = PageRequest::new(q.0.page, q.0.per_page)?;
    let statuses = match q
        .0
        .status
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(raw) => Some(
            raw.split(',')
                .map(|s| {
                    Status::parse(s.trim()).ok_or_else(|| {
                        DomainError::rule(FieldError::new(
                            "status",
                            "work_permit.status",
                            format!("Unknown status `{}`.", s.trim()),
                        ))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    let now = state.clock.now();
    let actor = auth.0;
    let p = read(&state, move |c| {
        uc::evaluation_queue(&mut WorkPermitRepo::new(c, now), &actor, statuses, page)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::from_page(p, |a| {
        crate::routes::work_permits::view(&a)
    })))
}

/// Takes a submitted application into evaluation ("Değerlendirmeye alındı").
#[utoipa::path(
    operation_id = "start_work_permit_evaluation",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body(content = EmptyBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Under evaluation", body = WorkPermitView, headers(("ETag" = String))),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the ministry's staff (`work_permit.evaluator_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not submitted (`work_permit.invalid_transition`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/work-permits/{id}/start-evaluation")]
pub async fn start_work_permit_evaluation(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    _body: JsonBody<EmptyBody>,
) -> ApiResult<HttpResponse> {
    evaluator_cmd(state, auth.0, &id, Command::StartEvaluation).await
}

/// Ask for missing documents (Eksik Evrak).
///
/// Asks for missing documents (Eksik Evrak): the employer uploads them within 30 days.
#[utoipa::path(
    operation_id = "request_work_permit_documents",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body(content = RequestNoteBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Missing documents requested", body = WorkPermitView, headers(("ETag" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the ministry's staff (`work_permit.evaluator_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not under evaluation (`work_permit.invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The note is missing or too long (`note`, `text.length`), or an unknown field (`request.unknown_field`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/work-permits/{id}/request-documents")]
pub async fn request_work_permit_documents(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<RequestNoteBody>,
) -> ApiResult<HttpResponse> {
    let note = body.0.note;
    evaluator_cmd(state, auth.0, &id, Command::RequestDocuments { note }).await
}

/// Ask for an update of the application (Güncelleme).
///
/// Asks for an update of the application (Güncelleme): the employer re-saves the steps,
/// signs again and sends it back within 30 days.
#[utoipa::path(
    operation_id = "request_work_permit_update",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body(content = RequestNoteBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Update requested", body = WorkPermitView, headers(("ETag" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the ministry's staff (`work_permit.evaluator_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not under evaluation (`work_permit.invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The note is missing or too long (`note`, `text.length`), or an unknown field (`request.unknown_field`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/work-permits/{id}/request-update")]
pub async fn request_work_permit_update(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<RequestNoteBody>,
) -> ApiResult<HttpResponse> {
    let note = body.0.note;
    evaluator_cmd(state, auth.0, &id, Command::RequestUpdate { note }).await
}

/// Approve pending fees ("ilk aşamada onay").
///
/// Approves pending fees ("ilk aşamada onay"): the permit fee (9130) and the card fee (9267)
/// of the tariff in force today for the permit's months, each with its transaction
/// reference, to be paid within 30 days.
#[utoipa::path(
    operation_id = "approve_work_permit",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body(content = EmptyBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Awaiting fees; the references are in `ministry.fee_references`", body = WorkPermitView, headers(("ETag" = String))),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the ministry's staff (`work_permit.evaluator_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not under evaluation (`work_permit.invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No tariff in force for the permit's months (`fee.no_schedule`, `fee.no_band`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/work-permits/{id}/approve")]
pub async fn approve_work_permit(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    _body: JsonBody<EmptyBody>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let actor = auth.0;
    command(state, move |s, now| {
        let schedule = fee_schedule(s.connection())?;
        uc::approve_pending_fees(s, &schedule, &actor, id, now)
    })
    .await
}

/// Reject the application with a reason.
///
/// Rejects the application with a reason; a first rejection can be appealed or waived
/// within 30 days.
#[utoipa::path(
    operation_id = "reject_work_permit",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body(content = RejectBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Rejected", body = WorkPermitView, headers(("ETag" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the ministry's staff (`work_permit.evaluator_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not under evaluation (`work_permit.invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The reason is missing or too long (`reason`, `text.length`), or an unknown field (`request.unknown_field`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/work-permits/{id}/reject")]
pub async fn reject_work_permit(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<RejectBody>,
) -> ApiResult<HttpResponse> {
    let reason = body.0.reason;
    evaluator_cmd(state, auth.0, &id, Command::Reject { reason }).await
}

/// Take an appeal into review.
///
/// Takes an appeal into review: the application is under evaluation again and the
/// evaluator decides anew (approve pending fees, or reject — then final).
#[utoipa::path(
    operation_id = "review_work_permit_appeal",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body(content = EmptyBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Under evaluation again", body = WorkPermitView, headers(("ETag" = String))),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the ministry's staff (`work_permit.evaluator_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not appealed (`work_permit.invalid_transition`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/work-permits/{id}/review-appeal")]
pub async fn review_work_permit_appeal(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    _body: JsonBody<EmptyBody>,
) -> ApiResult<HttpResponse> {
    evaluator_cmd(state, auth.0, &id, Command::ReviewAppeal).await
}

// ---------------------------------------------------------------------------------------
// The employer
// ---------------------------------------------------------------------------------------

/// Upload the missing documents within 30 days of the request.
///
/// Uploads the missing documents (PDF, checked by content) within 30 days of the request:
/// multipart with a `data` JSON part naming each file's document type and PDF `files` parts.
#[utoipa::path(
    operation_id = "submit_work_permit_missing_documents",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body(description = "The JSON in a `data` part, the PDFs in `files` parts", content((FilesForm<MissingDocumentsBody> = "multipart/form-data", encoding(("data" = (content_type = "application/json")), ("files" = (content_type = "application/pdf")))))),
    responses(
        (status = 200, description = "Sent; under evaluation again", body = WorkPermitView, headers(("ETag" = String))),
        (status = 400, description = "Malformed multipart or JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an e-Devlet citizen (`work_permit.employer_only`), or the application is assigned to another user (`work_permit.not_assigned`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or not your employer's (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No documents were asked for (`work_permit.invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither multipart/form-data nor JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A file is not a PDF or too large (`files[i]` with `work_permit.document_format` / `work_permit.document_too_large`, the message naming the file), a bad document type or file index (`documents[i].document_type` `work_permit.document_type`, `documents[i].file_index` `work_permit.file_index`, `files[i]` `work_permit.file_unused`), no document (`work_permit.documents_required`), or the 30 days are over (`work_permit.deadline_passed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/work-permits/{id}/missing-documents")]
pub async fn submit_work_permit_missing_documents(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: WithFiles<MissingDocumentsBody>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let actor = auth.0;
    may_act(&state, &actor, id).await?;
    let WithFiles { data, files } = body;
    let mut errors = Vec::new();
    let mut used = vec![false; files.len()];
    let mut typed = Vec::new();
    for (i, d) in data.documents.iter().enumerate() {
        let t = DocumentType::parse(&d.document_type);
        if t.is_none() {
            errors.push(FieldError::new(
                format!("documents[{i}].document_type"),
                "work_permit.document_type",
                format!("Unknown document type `{}`.", d.document_type),
            ));
        }
        match used.get_mut(d.file_index) {
            Some(u) if !*u => *u = true,
            _ => errors.push(FieldError::new(
                format!("documents[{i}].file_index"),
                "work_permit.file_index",
                "Each document names a different uploaded file by its index.",
            )),
        }
        if let Some(t) = t {
            typed.push((t, d.file_index));
        }
    }
    for (i, u) in used.iter().enumerate() {
        if !u {
            errors.push(FieldError::new(
                format!("files[{i}]"),
                "work_permit.file_unused",
                "Every uploaded file is named in `documents` with its type.",
            ));
        }
    }
    kapi_work_permit::refuse(errors)?;
    check_pdfs(&files)?;
    let shas = put_blobs(&state, files.iter().map(|(_, b)| b.clone()).collect()).await?;
    let mut docs = Vec::new();
    for (t, i) in typed {
        let (name, bytes) = files
            .get(i)
            .ok_or_else(|| ApiError::internal("file index checked"))?;
        let sha256 = sha(shas.get(i).map(String::as_str).unwrap_or(""))?;
        docs.push(UploadedPdf {
            document_type: t,
            sha256,
            size: bytes.len() as u64,
            file_name: name.clone(),
        });
    }
    command(state, move |s, now| {
        uc::submit_missing_documents(s, &actor, id, docs, now)
    })
    .await
}

/// Send back the update the ministry asked for, within 30 days.
///
/// Sends back the update the ministry asked for, within 30 days: the steps re-saved and the
/// petition e-signed again; the whole application is checked as at submission.
#[utoipa::path(
    operation_id = "submit_work_permit_update",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body(content = EmptyBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Sent; under evaluation again", body = WorkPermitView, headers(("ETag" = String))),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an e-Devlet citizen (`work_permit.employer_only`), or assigned to another user (`work_permit.not_assigned`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or not your employer's (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No update was asked for (`work_permit.invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The 30 days are over (`work_permit.deadline_passed`), or the application is not ready as at submission (`work_permit.steps_incomplete`, `work_permit.signature_missing`, the period and document rules)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/work-permits/{id}/submit-update")]
pub async fn submit_work_permit_update(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    _body: JsonBody<EmptyBody>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let actor = auth.0;
    command(state, move |s, now| uc::submit_update(s, &actor, id, now)).await
}

/// Appeal a rejection ("Redde İtiraz Et") within 30 days.
///
/// Appeals a rejection ("Redde İtiraz Et") within 30 days, once: multipart with an empty
/// `data` part (`{}`) and one `files` part, the justification PDF, e-signed by the acting
/// person.
#[utoipa::path(
    operation_id = "appeal_work_permit",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body(description = "`{}` in a `data` part, the justification PDF in one `files` part", content((OneFileForm<EmptyBody> = "multipart/form-data", encoding(("data" = (content_type = "application/json")), ("files" = (content_type = "application/pdf")))))),
    responses(
        (status = 200, description = "Appealed; the signature is in `ministry.appeal`", body = WorkPermitView, headers(("ETag" = String))),
        (status = 400, description = "Malformed multipart or JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an e-Devlet citizen (`work_permit.employer_only`), or assigned to another user (`work_permit.not_assigned`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or not your employer's (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not rejected (`work_permit.invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither multipart/form-data nor JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No justification or more than one file (`files`, `work_permit.appeal_document_required`), not a PDF (`files[0]`, `work_permit.document_format`, the message naming the file), the 30 days are over (`work_permit.appeal_period_over`), or the appeal was used (`work_permit.appeal_used`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/work-permits/{id}/appeal")]
pub async fn appeal_work_permit(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: WithFiles<EmptyBody>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let actor = auth.0;
    may_act(&state, &actor, id).await?;
    let files = body.files;
    if files.len() != 1 {
        return Err(DomainError::rule(FieldError::new(
            "files",
            "work_permit.appeal_document_required",
            "An appeal carries exactly one justification PDF.",
        ))
        .into());
    }
    check_pdfs(&files)?;
    let shas = put_blobs(&state, files.iter().map(|(_, b)| b.clone()).collect()).await?;
    let (name, bytes) = &files[0];
    let doc = UploadedPdf {
        document_type: DocumentType::AppealJustification,
        sha256: sha(shas.first().map(String::as_str).unwrap_or(""))?,
        size: bytes.len() as u64,
        file_name: name.clone(),
    };
    command(state, move |s, now| uc::appeal(s, &actor, id, doc, now)).await
}

/// Waive the appeal ("Redde İtirazdan Feragat Et").
///
/// Waives the appeal ("Redde İtirazdan Feragat Et") within 30 days of the rejection: the
/// acting person e-signs the generated waiver text (kept in the blob store under the
/// SHA-256 in `ministry.waiver`).
#[utoipa::path(
    operation_id = "waive_work_permit_appeal",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body(content = EmptyBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Waived; final", body = WorkPermitView, headers(("ETag" = String))),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an e-Devlet citizen (`work_permit.employer_only`), or assigned to another user (`work_permit.not_assigned`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or not your employer's (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not rejected (`work_permit.invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The 30 days are over (`work_permit.appeal_period_over`), or the rejection follows an appeal (`work_permit.appeal_used`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/work-permits/{id}/waive-appeal")]
pub async fn waive_work_permit_appeal(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    _body: JsonBody<EmptyBody>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let a2 = actor.clone();
    let text = read(&state, move |c| {
        uc::waiver_for(&mut WorkPermitRepo::new(c, now), &a2, id, now)
    })
    .await?;
    let shas = put_blobs(&state, vec![text.into_bytes()]).await?;
    let text_sha = sha(shas.first().map(String::as_str).unwrap_or(""))?;
    command(state, move |s, now| {
        uc::waive_appeal(s, &actor, id, text_sha, now)
    })
    .await
}

/// Request a new card for a lost, stolen or damaged one.
///
/// Requests a new card for a lost, stolen or damaged one ("Kayıp Kart Talebi"): half the
/// permit fee plus the card fee at today's tariff, one transaction reference, 30 days to pay.
#[utoipa::path(
    operation_id = "request_work_permit_lost_card",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body(content = EmptyBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Requested; the reference is in `ministry.lost_cards`", body = WorkPermitView, headers(("ETag" = String))),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an e-Devlet citizen (`work_permit.employer_only`), or assigned to another user (`work_permit.not_assigned`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or not your employer's (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not approved (`work_permit.invalid_transition`), terminated (`work_permit.permit_terminated`, refused before any fee is due), or a request is waiting for its payment (`work_permit.lost_card_open`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The permit is not in force today (`work_permit.permit_not_in_force`), or no tariff (`fee.no_schedule`, `fee.no_band`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/work-permits/{id}/lost-card")]
pub async fn request_work_permit_lost_card(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    _body: JsonBody<EmptyBody>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let actor = auth.0;
    command(state, move |s, now| {
        let schedule = fee_schedule(s.connection())?;
        uc::request_new_card(s, &schedule, &actor, id, now)
    })
    .await
}

/// Notify the lost-card fee paid ("Ödeme Bildirimi Yap").
///
/// Notifies the lost-card fee paid ("Ödeme Bildirimi Yap"): the request becomes
/// `payment_notified` and the card is printed again.
#[utoipa::path(
    operation_id = "notify_work_permit_lost_card_payment",
    tag = "work-permits",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body(content = EmptyBody, content_type = "application/json"),
    responses(
        (status = 200, description = "Payment notified", body = WorkPermitView, headers(("ETag" = String))),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an e-Devlet citizen (`work_permit.employer_only`), or assigned to another user (`work_permit.not_assigned`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or not your employer's (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "No lost-card request waiting for its payment (`work_permit.invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The fee has not been paid (`work_permit.lost_card_not_paid`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/work-permits/{id}/lost-card/notify-payment")]
pub async fn notify_work_permit_lost_card_payment(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    _body: JsonBody<EmptyBody>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let actor = auth.0;
    command(state, move |s, now| {
        uc::notify_lost_card_payment(s, &actor, id, now)
    })
    .await
}

// ---------------------------------------------------------------------------------------
// Simulated GİB
// ---------------------------------------------------------------------------------------

/// Pay a work-permit fee by reference number (simulated GİB).
///
/// **Simulated GİB** (Dijital Vergi Dairesi, "Referans Numarası ile Ödeme", kurum
/// "Uluslararası İşgücü Genel Müdürlüğü"): any e-Devlet citizen pays a transaction reference
/// with the foreigner's YKN and exactly the amount due. A permit or card fee is recorded on
/// the application (both paid: approved); a lost-card fee on its request.
#[utoipa::path(
    operation_id = "pay_gib_reference",
    tag = "work-permits",
    security(("bearer" = [])),
    request_body(content = GibPaymentBody, content_type = "application/json"),
    responses(
        (status = 201, description = "Paid", body = GibPaymentView),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an e-Devlet citizen (`fee.payer_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such reference (`fee.reference_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already paid (`fee.already_paid`), superseded or expired (`fee.reference_not_payable`), or the application is not awaiting fees (`work_permit.invalid_transition`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not exactly the amount due, under or over (`amount`, `fee.amount_mismatch`), another foreigner's YKN (`ykn`, `fee.ykn_mismatch`), a malformed or unknown field (`reference_no`, `ykn`, `amount`, `request.unknown_field`), or after the 30 days (`work_permit.deadline_passed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/gib/payments")]
pub async fn pay_gib_reference(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<GibPaymentBody>,
) -> ApiResult<HttpResponse> {
    let b = body.0;
    let input = uc::PaymentInput {
        reference_no: b.reference_no,
        ykn: b.ykn,
        amount: b.amount,
    };
    let now = state.clock.now();
    let actor = auth.0;
    let r = write(&state, move |c| {
        uc::pay_reference(&mut WorkPermitRepo::new(c, now), &actor, input, now)
    })
    .await?;
    let status = r.application.status();
    Ok(HttpResponse::Created().json(GibPaymentView {
        reference_no: r.reference.to_string(),
        purpose: CodeView::of(r.purpose.as_str(), r.purpose.label_tr()),
        amount: lira(r.amount),
        paid_at: r.paid_at,
        application_id: r.application.id.as_uuid(),
        application_status: CodeView::of(status.as_str(), status.label_tr()),
    }))
}

/// Registers this module's handlers.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_evaluation_queue)
        .service(start_work_permit_evaluation)
        .service(request_work_permit_documents)
        .service(request_work_permit_update)
        .service(approve_work_permit)
        .service(reject_work_permit)
        .service(review_work_permit_appeal)
        .service(submit_work_permit_missing_documents)
        .service(submit_work_permit_update)
        .service(appeal_work_permit)
        .service(waive_work_permit_appeal)
        .service(request_work_permit_lost_card)
        .service(notify_work_permit_lost_card_payment)
        .service(pay_gib_reference);
}
