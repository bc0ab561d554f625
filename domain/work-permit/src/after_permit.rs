//! After the permit (İzin Sonrası İşlemler) over an approved application — DOMAIN.md §7
//! "Post-permit", seed 002 "İZİN SONRASI İŞLEMLER", seed 003 §6.2 and §7: the card printed
//! and shipped (simulated PTT cargo), the start-of-work notification, documents the
//! ministry asks for after approval (Dilekçe / Belge Yükleme), the termination request.
//!
//! The pure rules of each step are in [`crate::post_permit`]; here are the aggregate's
//! record of them ([`AfterPermit`]), the ports they need ([`AfterPermitStore`]: PTT cargo
//! and the index of terminated permits) and the use cases.
//!
//! Who: the ministry's staff print the card and ask for documents ([`evaluator`], 403
//! `work_permit.evaluator_only`); the employer's users (owner or authorised, the
//! assignment in force) notify the start of work, upload what was asked and request the
//! termination ([`employer_to_act`]: another employer's application is 404, an application
//! assigned to another user 403 `work_permit.not_assigned`). Every command needs an
//! approved application (409 `work_permit.not_approved`), and every change is written to
//! the history with a Turkish note; the application's status stays `approved`, the
//! history's `to_state` names the post-permit step (`card_printed`, `card_shipped`,
//! `card_delivered`, `start_of_work_notified`, `document_requested`, `document_uploaded`,
//! `termination_requested`).
//!
//! Choices written down here because the manuals are silent:
//! - the card is printed and handed to PTT in one command (the ministry's print shop hands
//!   every card to PTT the day it is printed), so the employer always sees a tracking
//!   number with a printed card;
//! - a permit has one card at a time: printing again needs a reprint asked for
//!   ([`AfterPermit::request_reprint`], what a paid lost-card request does); every card
//!   printed is kept, the last one is the current one;
//! - PTT reports the delivery itself; Kapı learns it when the tracking is read
//!   ([`track_card`]), and then marks the card delivered once, at PTT's delivery time;
//! - the simulated PTT ([`simulated_ptt_events`]) accepts the card at once, moves it to the
//!   transfer centre after [`PTT_TRANSIT_HOURS`] and delivers it [`PTT_DELIVERY_HOURS`]
//!   after acceptance;
//! - a terminated permit gets no new card and no second termination (409
//!   `work_permit.permit_terminated`); the start of work and the documents asked for stay
//!   possible (the ministry may still ask for papers of a permit that ended);
//! - a document request is answered once, with exactly one PDF and an optional note.

use crate::application::WorkPermitApplication;
use crate::duration::PermitPeriod;
use crate::evaluation::Status;
use crate::post_permit::{
    notify_start_of_work, CardShipment, CargoTrackingNo, ShipmentStatus, StartOfWork,
    TerminationInput, TerminationRequest,
};
use crate::usecases::{
    employer_to_act, evaluator, get_application, not_found, record, save, save_recorded,
    WorkPermitStore,
};
use kapi_core::{clean_text, Actor, DomainError, WorkPermitId};
use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};

/// Hours after acceptance the simulated PTT moves a card to the transfer centre.
pub const PTT_TRANSIT_HOURS: i64 = 24;
/// Hours after acceptance the simulated PTT delivers a card.
pub const PTT_DELIVERY_HOURS: i64 = 48;

/// The history's `to_state` of each post-permit step.
pub mod steps {
    pub const CARD_PRINTED: &str = "card_printed";
    pub const CARD_SHIPPED: &str = "card_shipped";
    pub const CARD_DELIVERED: &str = "card_delivered";
    pub const REPRINT_REQUESTED: &str = "card_reprint_requested";
    pub const START_OF_WORK: &str = "start_of_work_notified";
    pub const DOCUMENT_REQUESTED: &str = "document_requested";
    pub const DOCUMENT_UPLOADED: &str = "document_uploaded";
    pub const TERMINATION_REQUESTED: &str = "termination_requested";
}

/// What an approved application keeps of the post-permit work.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AfterPermit {
    /// Every card printed, oldest first; the last is the current one.
    #[serde(default)]
    pub cards: Vec<CardShipment>,
    /// A new card is to be printed (a paid lost-card request); cleared by the printing.
    #[serde(default)]
    pub reprint_requested_at: Option<OffsetDateTime>,
    #[serde(default)]
    pub start_of_work: Option<StartOfWork>,
    /// The SGK notice's file, as uploaded with the start of work.
    #[serde(default)]
    pub start_of_work_document: Option<UploadedDocument>,
    /// The ministry's requests for documents after approval, numbered from 1.
    #[serde(default)]
    pub document_requests: Vec<DocumentRequest>,
    #[serde(default)]
    pub termination: Option<TerminationRequest>,
}

impl AfterPermit {
    /// The current card, if one was printed.
    pub fn card(&self) -> Option<&CardShipment> {
        self.cards.last()
    }

    /// Whether a card may be printed now: none yet, or a reprint was asked for.
    pub fn may_print(&self) -> bool {
        self.cards.is_empty() || self.reprint_requested_at.is_some()
    }

    /// The lost-card hook: once a lost-card request's payment is notified, the card is to
    /// be printed again; the evaluator's next [`print_card`] prints it. Answers the history
    /// note; asking again before the printing changes nothing.
    pub fn request_reprint(&mut self, now: OffsetDateTime) -> String {
        if self.reprint_requested_at.is_none() {
            self.reprint_requested_at = Some(now);
        }
        "Çalışma izni belgesinin yeniden basılması talep edildi.".to_owned()
    }

    pub fn is_terminated(&self) -> bool {
        self.termination.is_some()
    }
}

/// A file uploaded after approval (a PDF in the blob store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadedDocument {
    pub sha256: String,
    pub file_name: String,
    pub size: u64,
}

/// A document the ministry asked for after approval (Dilekçe / Belge Yükleme).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRequest {
    pub no: u32,
    pub note: String,
    pub requested_at: OffsetDateTime,
    /// The staff member's audit label.
    pub requested_by: String,
    pub answer: Option<DocumentAnswer>,
}

/// The employer's upload answering a [`DocumentRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentAnswer {
    pub document: UploadedDocument,
    pub note: Option<String>,
    pub uploaded_at: OffsetDateTime,
    pub uploaded_by: String,
}

code_list! {
    /// What PTT reports of a shipment.
    CargoEventKind {
        Accepted => "accepted", "Gönderi Kabul Edildi";
        InTransit => "in_transit", "Transfer Merkezinde";
        Delivered => "delivered", "Teslim Edildi";
    }
}

/// One line of PTT's tracking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CargoEvent {
    pub at: OffsetDateTime,
    pub kind: CargoEventKind,
}

/// What PTT reports of a shipment at a moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CargoTracking {
    pub tracking_no: CargoTrackingNo,
    /// Oldest first, only what happened by the time asked.
    pub events: Vec<CargoEvent>,
    pub delivered_at: Option<OffsetDateTime>,
}

/// The simulated PTT's tracking of a shipment accepted at `accepted_at`, as it is at `now`.
pub fn simulated_ptt_events(
    tracking_no: CargoTrackingNo,
    accepted_at: OffsetDateTime,
    now: OffsetDateTime,
) -> CargoTracking {
    let delivered = accepted_at + Duration::hours(PTT_DELIVERY_HOURS);
    let events: Vec<CargoEvent> = [
        (accepted_at, CargoEventKind::Accepted),
        (
            accepted_at + Duration::hours(PTT_TRANSIT_HOURS),
            CargoEventKind::InTransit,
        ),
        (delivered, CargoEventKind::Delivered),
    ]
    .into_iter()
    .filter(|(at, _)| *at <= now)
    .map(|(at, kind)| CargoEvent { at, kind })
    .collect();
    CargoTracking {
        tracking_no,
        events,
        delivered_at: (delivered <= now).then_some(delivered),
    }
}

/// What the post-permit use cases need besides the applications store.
pub trait AfterPermitStore: WorkPermitStore {
    /// Hands the card of application `id` to PTT cargo: PTT's tracking number.
    fn ptt_accept(
        &mut self,
        id: WorkPermitId,
        now: OffsetDateTime,
    ) -> Result<CargoTrackingNo, DomainError>;
    /// What PTT reports of the shipment at `now` (`None`: PTT knows no such number).
    fn ptt_tracking(
        &mut self,
        tracking_no: &CargoTrackingNo,
        now: OffsetDateTime,
    ) -> Result<Option<CargoTracking>, DomainError>;
    /// Records that the permit of `id` ended on `termination_date`: it no longer runs
    /// (the running permits and the extension chain leave it out).
    fn mark_terminated(
        &mut self,
        id: WorkPermitId,
        termination_date: Date,
        now: OffsetDateTime,
    ) -> Result<(), DomainError>;
}

fn not_approved() -> DomainError {
    DomainError::conflict(
        "work_permit.not_approved",
        "Post-permit operations are for approved work permits.",
    )
}

fn terminated() -> DomainError {
    DomainError::conflict(
        "work_permit.permit_terminated",
        "The termination of this permit has already been requested.",
    )
}

/// The approved permit's period (409 `work_permit.not_approved` otherwise).
pub fn approved_permit(a: &WorkPermitApplication) -> Result<PermitPeriod, DomainError> {
    if a.status() != Status::Approved {
        return Err(not_approved());
    }
    a.period
        .ok_or_else(|| DomainError::internal("an approved application without its period"))
}

/// Whether the card of `a` may be printed now (approved, not terminated, no card yet or a
/// reprint asked for): what [`print_card`] checks, for a caller that wants to know first.
pub fn check_card_print(a: &WorkPermitApplication) -> Result<(), DomainError> {
    approved_permit(a)?;
    if a.after.is_terminated() {
        return Err(terminated());
    }
    if !a.after.may_print() {
        return Err(DomainError::conflict(
            "work_permit.card_already_printed",
            "The card has been printed; a new one is printed only after a lost-card request.",
        ));
    }
    Ok(())
}

/// Ministry: prints the card (after approval, or again after a reprint was asked) and hands
/// it to PTT cargo, which answers the tracking number.
pub fn print_card(
    store: &mut impl AfterPermitStore,
    actor: &Actor,
    id: WorkPermitId,
    now: OffsetDateTime,
) -> Result<WorkPermitApplication, DomainError> {
    evaluator(actor)?;
    let mut a = store.get(id)?.ok_or_else(not_found)?;
    check_card_print(&a)?;
    let (mut card, printed_note) = CardShipment::printed(now);
    let tracking_no = store.ptt_accept(a.id, now)?;
    let shipped_note = card.ship(tracking_no, now)?;
    a.after.cards.push(card);
    a.after.reprint_requested_at = None;
    a.updated_at = now;
    save(store, &mut a)?;
    let who = actor.audit_label();
    record(
        store,
        a.id,
        who.clone(),
        Some(Status::Approved),
        steps::CARD_PRINTED,
        printed_note,
        now,
    )?;
    record(
        store,
        a.id,
        who,
        Some(Status::Approved),
        steps::CARD_SHIPPED,
        shipped_note,
        now,
    )?;
    Ok(a)
}

/// The card's tracking, for the employer's users and the ministry's staff: PTT's events of
/// the current card, and the card marked delivered (once, at PTT's delivery time) when PTT
/// reports it delivered.
pub fn track_card(
    store: &mut impl AfterPermitStore,
    actor: &Actor,
    id: WorkPermitId,
    now: OffsetDateTime,
) -> Result<(WorkPermitApplication, Option<CargoTracking>), DomainError> {
    let mut a = get_application(store, actor, id)?;
    let Some(card) = a.after.cards.last_mut() else {
        return Ok((a, None));
    };
    let Some(no) = card.tracking_no.clone() else {
        return Ok((a, None));
    };
    let tracking = store.ptt_tracking(&no, now)?;
    let delivered_at = tracking.as_ref().and_then(|t| t.delivered_at);
    if let (Some(at), ShipmentStatus::Shipped) = (delivered_at, card.status) {
        let note = card.deliver(at)?;
        a.updated_at = now;
        save(store, &mut a)?;
        record(
            store,
            a.id,
            "system:ptt".to_owned(),
            Some(a.status()),
            steps::CARD_DELIVERED,
            format!("{note} (PTT Kargo gönderi no {no})"),
            now,
        )?;
    }
    Ok((a, tracking))
}

/// Employer: the start of work (İşe Başlama Bildirimi) with the SGK işe giriş bildirgesi,
/// once per permit, inside it and not in the future.
pub fn notify_start(
    store: &mut impl WorkPermitStore,
    actor: &Actor,
    id: WorkPermitId,
    started_on: Date,
    document: UploadedDocument,
    now: OffsetDateTime,
) -> Result<WorkPermitApplication, DomainError> {
    let (mut a, _) = employer_to_act(store, actor, id)?;
    let permit = approved_permit(&a)?;
    let start = notify_start_of_work(
        &permit,
        a.after.start_of_work.is_some(),
        started_on,
        document.sha256.clone(),
        now,
    )?;
    let note = start.note();
    a.after.start_of_work = Some(start);
    a.after.start_of_work_document = Some(document);
    a.updated_at = now;
    save_recorded(
        store,
        &mut a,
        actor,
        Some(Status::Approved),
        steps::START_OF_WORK,
        note,
        now,
    )?;
    Ok(a)
}

/// Ministry: asks the employer for a document after approval, saying what.
pub fn request_document(
    store: &mut impl WorkPermitStore,
    actor: &Actor,
    id: WorkPermitId,
    note: &str,
    now: OffsetDateTime,
) -> Result<(WorkPermitApplication, u32), DomainError> {
    evaluator(actor)?;
    let mut a = store.get(id)?.ok_or_else(not_found)?;
    approved_permit(&a)?;
    let note = clean_text("note", note, 3, 1000).map_err(DomainError::rule)?;
    let no = u32::try_from(a.after.document_requests.len())
        .map_err(|_| DomainError::internal("too many document requests"))?
        + 1;
    let who = actor.audit_label();
    a.after.document_requests.push(DocumentRequest {
        no,
        note: note.clone(),
        requested_at: now,
        requested_by: who.clone(),
        answer: None,
    });
    a.updated_at = now;
    save(store, &mut a)?;
    record(
        store,
        a.id,
        who,
        Some(Status::Approved),
        steps::DOCUMENT_REQUESTED,
        format!("Bakanlık izin sonrası belge talep etti (talep no {no}): {note}"),
        now,
    )?;
    Ok((a, no))
}

/// Employer: answers the ministry's document request `no` with one PDF (once; 404
/// `work_permit.document_request_not_found`, 409 `work_permit.document_request_answered`).
pub fn upload_requested_document(
    store: &mut impl WorkPermitStore,
    actor: &Actor,
    id: WorkPermitId,
    no: u32,
    document: UploadedDocument,
    note: Option<&str>,
    now: OffsetDateTime,
) -> Result<WorkPermitApplication, DomainError> {
    let (mut a, _) = employer_to_act(store, actor, id)?;
    approved_permit(&a)?;
    let note = match note.map(str::trim) {
        None | Some("") => None,
        Some(raw) => Some(clean_text("note", raw, 3, 1000).map_err(DomainError::rule)?),
    };
    let who = actor.audit_label();
    let request = a
        .after
        .document_requests
        .iter_mut()
        .find(|r| r.no == no)
        .ok_or_else(|| {
            DomainError::not_found(
                "work_permit.document_request_not_found",
                "No such document request on this application.",
            )
        })?;
    if request.answer.is_some() {
        return Err(DomainError::conflict(
            "work_permit.document_request_answered",
            "This document request has already been answered.",
        ));
    }
    let history_note = format!("Talep no {no} için belge yüklendi: {}.", document.file_name);
    request.answer = Some(DocumentAnswer {
        document,
        note,
        uploaded_at: now,
        uploaded_by: who.clone(),
    });
    a.updated_at = now;
    save(store, &mut a)?;
    record(
        store,
        a.id,
        who,
        Some(Status::Approved),
        steps::DOCUMENT_UPLOADED,
        history_note,
        now,
    )?;
    Ok(a)
}

/// Employer: requests the termination of the permit (İzin Sonlandırma Talebi): not with a
/// future date, within 15 days of the event, inside the permit, a known reason (`other`
/// explained); once (409 `work_permit.permit_terminated`). The permit stops running.
pub fn request_termination(
    store: &mut impl AfterPermitStore,
    actor: &Actor,
    id: WorkPermitId,
    input: TerminationInput,
    now: OffsetDateTime,
) -> Result<WorkPermitApplication, DomainError> {
    let (mut a, _) = employer_to_act(store, actor, id)?;
    let permit = approved_permit(&a)?;
    if a.after.is_terminated() {
        return Err(terminated());
    }
    let request = input.validate(&permit, now)?;
    let note = request.note();
    let date = request.termination_date;
    a.after.termination = Some(request);
    a.updated_at = now;
    save(store, &mut a)?;
    store.mark_terminated(a.id, date, now)?;
    record(
        store,
        a.id,
        actor.audit_label(),
        Some(Status::Approved),
        steps::TERMINATION_REQUESTED,
        note,
        now,
    )?;
    Ok(a)
}

#[cfg(test)]
mod tests;
