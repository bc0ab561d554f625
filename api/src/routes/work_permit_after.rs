//! e-İzin after the permit (İzin Sonrası İşlemler) over HTTP: the card printed and shipped
//! by PTT cargo (Kart Kargo Takip), the start-of-work notification (İşe Başlama Bildirimi),
//! the documents the ministry asks for after approval (Dilekçe / Belge Yükleme) and the
//! termination request (İzin Sonlandırma Talebi). Every command answers the application
//! ([`crate::routes::work_permits::WorkPermitView`], whose `after` is [`AfterPermitView`]).

use crate::extract::{etag, Authenticated, JsonBody};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::routes::mass_layoffs::parse_date;
use crate::routes::petitions::WithFiles;
use crate::routes::work_permits::{application_id, command, view, CodeView, WorkPermitView};
use crate::routes::OneFileForm;
use crate::state::{write, AppState};
use actix_web::http::header;
use actix_web::{get, post, web, HttpResponse};
use kapi_core::{DomainError, FieldError};
use kapi_persistence::work_permits::WorkPermitRepo;
use kapi_work_permit::after_permit::{
    self as after, AfterPermit, CargoTracking, DocumentRequest, UploadedDocument,
};
use kapi_work_permit::documents::check_pdf;
use kapi_work_permit::post_permit::{CardShipment, ShipmentStatus, TerminationInput};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

const TAG: &str = crate::routes::work_permits::TAG;

/// One step of the card's journey (printed, shipped, delivered), or of PTT's tracking
/// (accepted, in_transit, delivered).
#[derive(Debug, Serialize, ToSchema)]
pub struct CardEventView {
    #[schema(example = "shipped")]
    pub code: String,
    #[schema(example = "Kargoya Verildi")]
    pub label: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// The permit card (çalışma izni belgesi) and where it is.
#[derive(Debug, Serialize, ToSchema)]
pub struct CardView {
    /// `printed`, `shipped`, `delivered`.
    pub status: CodeView,
    /// PTT cargo's tracking number (gönderi no).
    #[schema(example = "KP04718230561TR")]
    pub tracking_no: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub printed_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub shipped_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub delivered_at: Option<OffsetDateTime>,
    /// The card's steps so far, oldest first.
    pub events: Vec<CardEventView>,
}

/// The start-of-work notification (İşe Başlama Bildirimi).
#[derive(Debug, Serialize, ToSchema)]
pub struct StartOfWorkView {
    #[schema(example = "2026-04-01", format = Date)]
    pub started_on: String,
    /// The SGK işe giriş bildirgesi (PDF).
    pub document: Option<UploadedDocumentView>,
    #[serde(with = "time::serde::rfc3339")]
    pub notified_at: OffsetDateTime,
}

/// A PDF uploaded after approval.
#[derive(Debug, Serialize, ToSchema)]
pub struct UploadedDocumentView {
    #[schema(example = "ise-giris-bildirgesi.pdf")]
    pub file_name: String,
    pub sha256: String,
    pub size: u64,
}

/// The employer's answer to a document request.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentAnswerView {
    pub document: UploadedDocumentView,
    pub note: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub uploaded_at: OffsetDateTime,
}

/// A document the ministry asked for after approval.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentRequestView {
    #[schema(example = 1)]
    pub no: u32,
    /// What the ministry asks for.
    #[schema(example = "Güncel kira sözleşmesini yükleyiniz.")]
    pub note: String,
    /// `open` (waiting for the employer's upload) or `answered`.
    #[schema(example = "open")]
    pub status: String,
    #[serde(with = "time::serde::rfc3339")]
    pub requested_at: OffsetDateTime,
    pub answer: Option<DocumentAnswerView>,
}

/// The termination request (İzin Sonlandırma Talebi).
#[derive(Debug, Serialize, ToSchema)]
pub struct TerminationView {
    #[schema(example = "2026-06-10", format = Date)]
    pub termination_date: String,
    /// A code of `GET /api/v1/reference/termination-reasons`.
    pub reason: CodeView,
    pub explanation: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub filed_at: OffsetDateTime,
}

/// After the permit (İzin Sonrası İşlemler): empty until the application is approved.
#[derive(Debug, Serialize, ToSchema)]
pub struct AfterPermitView {
    /// The current card (the last printed), if any.
    pub card: Option<CardView>,
    /// How many cards were printed (more than one after a lost-card reprint).
    pub cards_printed: u32,
    /// A new card is to be printed (a paid lost-card request).
    pub reprint_requested: bool,
    pub start_of_work: Option<StartOfWorkView>,
    /// The ministry's document requests, oldest first.
    pub document_requests: Vec<DocumentRequestView>,
    /// Requested: the permit no longer runs.
    pub termination: Option<TerminationView>,
}

fn event(code: &str, label: &str, at: OffsetDateTime) -> CardEventView {
    CardEventView {
        code: code.to_owned(),
        label: label.to_owned(),
        at,
    }
}

fn card_view(c: &CardShipment) -> CardView {
    let mut events = vec![event(
        ShipmentStatus::Printed.as_str(),
        ShipmentStatus::Printed.label_tr(),
        c.printed_at,
    )];
    for (status, at) in [
        (ShipmentStatus::Shipped, c.shipped_at),
        (ShipmentStatus::Delivered, c.delivered_at),
    ] {
        if let Some(at) = at {
            events.push(event(status.as_str(), status.label_tr(), at));
        }
    }
    CardView {
        status: CodeView::of(c.status.as_str(), c.status.label_tr()),
        tracking_no: c.tracking_no.as_ref().map(|n| n.to_string()),
        printed_at: c.printed_at,
        shipped_at: c.shipped_at,
        delivered_at: c.delivered_at,
        events,
    }
}

fn document_view(d: &UploadedDocument) -> UploadedDocumentView {
    UploadedDocumentView {
        file_name: d.file_name.clone(),
        sha256: d.sha256.clone(),
        size: d.size,
    }
}

fn request_view(r: &DocumentRequest) -> DocumentRequestView {
    DocumentRequestView {
        no: r.no,
        note: r.note.clone(),
        status: if r.answer.is_some() {
            "answered"
        } else {
            "open"
        }
        .to_owned(),
        requested_at: r.requested_at,
        answer: r.answer.as_ref().map(|x| DocumentAnswerView {
            document: document_view(&x.document),
            note: x.note.clone(),
            uploaded_at: x.uploaded_at,
        }),
    }
}

/// The post-permit part of the application's view.
pub fn after_view(x: &AfterPermit) -> AfterPermitView {
    AfterPermitView {
        card: x.card().map(card_view),
        cards_printed: u32::try_from(x.cards.len()).unwrap_or(u32::MAX),
        reprint_requested: x.reprint_requested_at.is_some(),
        start_of_work: x.start_of_work.as_ref().map(|s| StartOfWorkView {
            started_on: s.started_on.to_string(),
            document: x.start_of_work_document.as_ref().map(document_view),
            notified_at: s.notified_at,
        }),
        document_requests: x.document_requests.iter().map(request_view).collect(),
        termination: x.termination.as_ref().map(|t| TerminationView {
            termination_date: t.termination_date.to_string(),
            reason: CodeView::of(t.reason.as_str(), t.reason.label_tr()),
            explanation: t.explanation.clone(),
            filed_at: t.filed_at,
        }),
    }
}

/// PTT cargo's tracking of the current card.
#[derive(Debug, Serialize, ToSchema)]
pub struct PttTrackingView {
    #[schema(example = "KP04718230561TR")]
    pub tracking_no: String,
    /// `accepted`, `in_transit`, `delivered`, oldest first.
    pub events: Vec<CardEventView>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub delivered_at: Option<OffsetDateTime>,
}

/// The card and its PTT tracking (Kart Kargo Takip).
#[derive(Debug, Serialize, ToSchema)]
pub struct CardTrackingView {
    /// `null` until the ministry prints the card.
    pub card: Option<CardView>,
    pub cards_printed: u32,
    /// `null` until the card is handed to PTT.
    pub ptt: Option<PttTrackingView>,
}

fn ptt_view(t: CargoTracking) -> PttTrackingView {
    PttTrackingView {
        tracking_no: t.tracking_no.to_string(),
        events: t
            .events
            .iter()
            .map(|e| event(e.kind.as_str(), e.kind.label_tr(), e.at))
            .collect(),
        delivered_at: t.delivered_at,
    }
}

/// Print the permit card and hand it to PTT cargo (ministry staff).
///
/// Print the permit card and hand it to PTT cargo (ministry staff): answers the
/// application with the card shipped and its tracking number. Possible once after approval,
/// and again after a reprint was asked for (a paid lost-card request).
#[utoipa::path(
    operation_id = "print_work_permit_card",
    tag = TAG,
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, description = "Printed and shipped; the application", body = WorkPermitView, headers(("ETag" = String))),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the ministry's staff (`work_permit.evaluator_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not approved (`work_permit.not_approved`), terminated (`work_permit.permit_terminated`), or already printed and no reprint asked for (`work_permit.card_already_printed`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed meanwhile (`version.stale`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/work-permits/{id}/card/print")]
pub async fn print_work_permit_card(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let actor = auth.0;
    command(state, move |s, now| after::print_card(s, &actor, id, now)).await
}

/// The permit card and its PTT cargo tracking.
///
/// The permit card and its PTT cargo tracking (employer's users and ministry staff). When
/// PTT reports the delivery, the card is marked delivered (once, at PTT's time) and the
/// history records it. The simulated PTT delivers 48 hours after accepting the card.
#[utoipa::path(
    operation_id = "track_work_permit_card",
    tag = TAG,
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, description = "The card and PTT's tracking", body = CardTrackingView),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Neither an e-Devlet citizen nor the ministry's staff (`work_permit.employer_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or not your employer's (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/work-permits/{id}/card")]
pub async fn track_work_permit_card(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let (a, tracking) = write(&state, move |c| {
        after::track_card(&mut WorkPermitRepo::new(c, now), &actor, id, now)
    })
    .await?;
    Ok(HttpResponse::Ok().json(CardTrackingView {
        card: a.after.card().map(card_view),
        cards_printed: u32::try_from(a.after.cards.len()).unwrap_or(u32::MAX),
        ptt: tracking.map(ptt_view),
    }))
}

/// Checks the one PDF of a multipart upload (422 naming `files` or `files[0]` with the file
/// name) and stores it in the blob store.
async fn store_one_pdf(
    state: &web::Data<AppState>,
    files: Vec<(String, Vec<u8>)>,
) -> Result<UploadedDocument, ApiError> {
    let mut files = files.into_iter();
    let (Some((name, bytes)), None) = (files.next(), files.next()) else {
        return Err(DomainError::rule(FieldError::new(
            "files",
            "work_permit.one_document",
            "Upload exactly one PDF in a `files` part.",
        ))
        .into());
    };
    if let Err(mut e) = check_pdf("files[0]", &bytes) {
        let shown = if name.is_empty() { "the file" } else { &name };
        for f in &mut e.fields {
            f.message = format!("{shown}: {}", f.message);
        }
        e.message = format!("{shown}: {}", e.message);
        return Err(e.into());
    }
    let size = bytes.len() as u64;
    let sha256 = crate::routes::work_permits::store_blob(state, bytes).await?;
    let file_name = if name.trim().is_empty() {
        "belge.pdf".to_owned()
    } else {
        name.chars().filter(|c| !c.is_control()).take(200).collect()
    };
    Ok(UploadedDocument {
        sha256,
        file_name,
        size,
    })
}

/// The start-of-work notification's data part.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartOfWorkBody {
    /// The day the foreigner started work (YYYY-MM-DD): inside the permit, not in the future.
    #[schema(value_type = String, format = Date, example = "2026-04-01")]
    pub started_on: String,
}

/// Notify the start of work with a PDF.
///
/// Notify the start of work (employer's users; the assignment in force):
/// `multipart/form-data` with `data` = `{"started_on": "YYYY-MM-DD"}` and one `files` part,
/// the SGK işe giriş bildirgesi as a PDF. Once per permit.
#[utoipa::path(
    operation_id = "notify_work_permit_start",
    tag = TAG,
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body(description = "The JSON in a `data` part, one PDF in a `files` part", content((OneFileForm<StartOfWorkBody> = "multipart/form-data", encoding(("data" = (content_type = "application/json")), ("files" = (content_type = "application/pdf")))))),
    responses(
        (status = 200, description = "Notified; the application", body = WorkPermitView, headers(("ETag" = String))),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an e-Devlet citizen (`work_permit.employer_only`), or the application is assigned to another user (`work_permit.not_assigned`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or not your employer's (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not approved (`work_permit.not_approved`) or already notified (`work_permit.start_already_notified`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither multipart/form-data nor JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`started_on` in the future (`work_permit.start_in_future`), outside the permit (`work_permit.start_outside_permit`) or malformed (`validation.failed` with `date.format`); `files[0]` not a PDF (`work_permit.document_format`) or over 10 MB; `files` without exactly one file (`work_permit.one_document`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/work-permits/{id}/start-of-work")]
pub async fn notify_work_permit_start(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: WithFiles<StartOfWorkBody>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let actor = auth.0;
    kapi_work_permit::panel::citizen(&actor)?;
    let started_on = parse_date("started_on", &body.data.started_on)?;
    let document = store_one_pdf(&state, body.files).await?;
    command(state, move |s, now| {
        after::notify_start(s, &actor, id, started_on, document, now)
    })
    .await
}

/// A document request.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentRequestBody {
    /// What the employer is to upload (3–1000 characters).
    #[schema(example = "Yabancının güncel ikamet adresini gösteren belgeyi yükleyiniz.")]
    pub note: String,
}

/// Ask the employer for a document after approval (ministry staff).
///
/// Ask the employer for a document after approval (ministry staff): answers 201 with the
/// application; the new request's number is in `Location`.
#[utoipa::path(
    operation_id = "request_work_permit_document",
    tag = TAG,
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body = DocumentRequestBody,
    responses(
        (status = 201, description = "Asked; the application", body = WorkPermitView, headers(("ETag" = String), ("Location" = String))),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not the ministry's staff (`work_permit.evaluator_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not approved (`work_permit.not_approved`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`note` of 3–1000 characters (`text.length`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/work-permits/{id}/document-requests")]
pub async fn request_work_permit_document(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<DocumentRequestBody>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let note = body.0.note;
    let (a, no) = write(&state, move |c| {
        after::request_document(&mut WorkPermitRepo::new(c, now), &actor, id, &note, now)
    })
    .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::ETAG, etag(a.version)))
        .insert_header((
            header::LOCATION,
            format!("/api/v1/work-permits/{}/document-requests/{no}", a.id),
        ))
        .json(view(&a)))
}

/// The upload's data part.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentUploadBody {
    /// An optional note to the ministry (3–1000 characters).
    #[schema(example = "İstenen belge ektedir.")]
    pub note: Option<String>,
}

/// Answer a document request with a PDF.
///
/// Answer a document request (employer's users; the assignment in force):
/// `multipart/form-data` with `data` = `{"note": …}` (or `{}`) and one PDF in a `files`
/// part. Once per request.
#[utoipa::path(
    operation_id = "upload_work_permit_document",
    tag = TAG,
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id"), ("no" = u32, Path, description = "The request's number")),
    request_body(description = "The JSON in a `data` part, one PDF in a `files` part", content((OneFileForm<DocumentUploadBody> = "multipart/form-data", encoding(("data" = (content_type = "application/json")), ("files" = (content_type = "application/pdf")))))),
    responses(
        (status = 200, description = "Uploaded; the application", body = WorkPermitView, headers(("ETag" = String))),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an e-Devlet citizen (`work_permit.employer_only`), or the application is assigned to another user (`work_permit.not_assigned`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or not your employer's (`work_permit.not_found`); no such request (`work_permit.document_request_not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not approved (`work_permit.not_approved`) or already answered (`work_permit.document_request_answered`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Neither multipart/form-data nor JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`files[0]` not a PDF (`work_permit.document_format`) or over 10 MB; `files` without exactly one file (`work_permit.one_document`); `note` length (`text.length`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/work-permits/{id}/document-requests/{no}/upload")]
pub async fn upload_work_permit_document(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<(String, String)>,
    body: WithFiles<DocumentUploadBody>,
) -> ApiResult<HttpResponse> {
    let (raw_id, raw_no) = path.into_inner();
    let id = application_id(&raw_id)?;
    let no: u32 = crate::extract::path_id(&raw_no, "work_permit.document_request_not_found")?;
    let actor = auth.0;
    kapi_work_permit::panel::citizen(&actor)?;
    let document = store_one_pdf(&state, body.files).await?;
    let note = body.data.note;
    command(state, move |s, now| {
        after::upload_requested_document(s, &actor, id, no, document, note.as_deref(), now)
    })
    .await
}

/// A termination request.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TerminationBody {
    /// The day of the event ending the work (YYYY-MM-DD): not in the future, at most 15 days
    /// ago, inside the permit.
    #[schema(value_type = String, format = Date, example = "2026-06-10")]
    pub termination_date: String,
    /// A code of `GET /api/v1/reference/termination-reasons`.
    #[schema(example = "resignation")]
    pub reason: String,
    /// Required when the reason is `other` (3–1000 characters).
    pub explanation: Option<String>,
}

/// Request the termination of the permit.
///
/// Request the termination of the permit (employer's users; the assignment in force):
/// "ileri tarihli olarak sonlandırılması talep edilemez", notified within 15 days of the
/// event. The permit stops running (no extension is filed for it). Once.
#[utoipa::path(
    operation_id = "terminate_work_permit",
    tag = TAG,
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body = TerminationBody,
    responses(
        (status = 200, description = "Requested; the application", body = WorkPermitView, headers(("ETag" = String))),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an e-Devlet citizen (`work_permit.employer_only`), or the application is assigned to another user (`work_permit.not_assigned`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such application, or not your employer's (`work_permit.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not approved (`work_permit.not_approved`) or already terminated (`work_permit.permit_terminated`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`termination_date` in the future (`work_permit.termination_in_future`), more than 15 days ago (`work_permit.termination_late`), outside the permit (`work_permit.termination_outside_permit`) or malformed (`validation.failed` with `date.format`); `reason` unknown (`work_permit.unknown_code`); `explanation` missing for `other` (`work_permit.explanation_required`); several at once: `validation.failed`", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/work-permits/{id}/termination")]
pub async fn terminate_work_permit(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<TerminationBody>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let b = body.0;
    let input = TerminationInput {
        termination_date: parse_date("termination_date", &b.termination_date)?,
        reason: b.reason,
        explanation: b.explanation,
    };
    let actor = auth.0;
    command(state, move |s, now| {
        after::request_termination(s, &actor, id, input, now)
    })
    .await
}

/// Registers this module's handlers.
pub fn routes(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(print_work_permit_card)
        .service(track_work_permit_card)
        .service(notify_work_permit_start)
        .service(request_work_permit_document)
        .service(upload_work_permit_document)
        .service(terminate_work_permit);
}
