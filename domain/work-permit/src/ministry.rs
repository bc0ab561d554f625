//! The ministry side of an application after submission — DOMAIN.md §7 "Evaluation by the
//! ministry", "Rejected applications", "Post-permit" (lost card); seed 003 §5–§7: the
//! evaluator's queue and decisions, the fee references and payments (simulated GİB), the
//! missing documents and the update the employer sends back, the appeal and the waiver, the
//! lost-card request, the scheduled rejections.
//!
//! Who acts: the ministry's staff ([`evaluator`]) start the evaluation, ask for documents or
//! an update, approve pending fees, reject and take an appeal into review; the employer's
//! users ([`employer_to_act`]: another employer's application is 404, an application
//! assigned to someone else 403 `work_permit.not_assigned`) answer, appeal or waive, and ask
//! for a new card; any e-Devlet citizen pays a reference at the simulated revenue
//! administration (GİB, "Referans Numarası ile Ödeme"), which Kapı records as the system.
//!
//! Choices written down here because the manuals are silent:
//! - the fees are those of the tariff in force on the Istanbul day of the approval, for the
//!   months of the period checked at submission; each fee gets its own transaction reference
//!   ([`PaymentGateway`]), both kept in [`MinistryRecord::fee_references`]; a later approval
//!   (after an appeal) issues new references and the older ones can no longer be paid
//!   (409 `fee.reference_not_payable`);
//! - a payment names the reference, the foreigner's YKN and the amount: an unknown
//!   reference is 404 `fee.reference_not_found`, a paid one 409 `fee.already_paid`, a YKN
//!   other than the application's 422 `fee.ykn_mismatch` (an application without a YKN — filed
//!   from abroad — matches any), any amount not exactly due 422 `fee.amount_mismatch`, a
//!   payment after the 30 days 422 `work_permit.deadline_passed`;
//! - a lost-card request has **one** reference for the whole amount (half the permit fee
//!   plus the card fee, seed 003 §7.3 "ödeme referans numarası oluşturulur"); once it is paid
//!   in time the employer notifies the payment whenever they like (the deadline is the
//!   payment's); an unpaid request expires after 30 days; only one request is open at a time;
//! - the missing documents answer carries at least one PDF; the files are kept in
//!   [`MinistryRecord::documents`];
//! - the waiver is e-signed over a generated text ([`waiver_text`]) stored like any file;
//! - the scheduled job ([`expire_overdue`], [`expire_lost_cards`]) acts only while the stored
//!   version is the one it read, so two runs never record a rejection twice.

use crate::application::WorkPermitApplication;
use crate::documents::DocumentType;
use crate::evaluation::{tr_date, Command, Party, Status, Transition, RESPONSE_DAYS};
use crate::fees::{check_payment, FeeAccount, FeeSchedule};
use crate::post_permit::{request_lost_card, LostCardRequest, LostCardStatus, PaymentReferences};
use crate::usecases::{
    employer_to_act, evaluator, not_found, record, save, save_recorded, WorkPermitStore,
};
use crate::wizard::{ESignature, Sha256Hex, Signer};
use kapi_core::{
    istanbul_date_of, Actor, DomainError, FieldError, Money, Page, PageRequest, Tckn, WorkPermitId,
    Ykn,
};
use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};

pub use crate::post_permit::PaymentReference;

/// How many applications one batch of the scheduled job reads.
pub const JOB_BATCH: usize = 200;
/// The history's actor for payments the revenue administration reports.
pub const GIB_ACTOR: &str = "system:gib";
/// The history's actor for the scheduled job.
pub const JOB_ACTOR: &str = "system";

/// The statuses the evaluator's queue shows by default: waiting for the ministry.
pub const QUEUE_DEFAULT: [Status; 3] =
    [Status::Submitted, Status::UnderEvaluation, Status::Appealed];
/// The statuses with a 30-day limit the scheduled job watches.
pub const WAITING: [Status; 3] = [
    Status::MissingDocuments,
    Status::UpdateRequested,
    Status::AwaitingFees,
];

code_list! {
    /// What a transaction reference is for.
    PaymentPurpose {
        /// Çalışma izni harcı (9130).
        PermitFee => "permit_fee", "Çalışma İzni Harcı";
        /// Değerli kâğıt bedeli (9267).
        CardFee => "card_fee", "Değerli Kâğıt Bedeli";
        /// Kayıp kart: half the permit fee plus the card fee.
        LostCard => "lost_card", "Kayıp Kart Ücreti";
    }
}

impl PaymentPurpose {
    pub fn of(account: FeeAccount) -> Self {
        match account {
            FeeAccount::PermitFee => Self::PermitFee,
            FeeAccount::CardFee => Self::CardFee,
        }
    }
}

/// One fee of an approval pending fees with its transaction reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeReference {
    pub account: FeeAccount,
    pub reference: PaymentReference,
    pub amount: Money,
    pub issued_at: OffsetDateTime,
    pub paid_at: Option<OffsetDateTime>,
}

impl FeeReference {
    /// The last Istanbul day it can be paid.
    pub fn pay_until(&self) -> Date {
        crate::calendar::days_after(self.issued_at, RESPONSE_DAYS)
    }
}

/// A PDF the employer uploaded in answer to a missing-documents request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnsweredDocument {
    pub document_type: DocumentType,
    pub sha256: Sha256Hex,
    pub size: u64,
    pub file_name: String,
    pub uploaded_at: OffsetDateTime,
}

/// An e-signed appeal (over its justification PDF) or waiver (over the generated text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedStatement {
    pub document_sha256: Sha256Hex,
    pub signature: ESignature,
}

/// A lost-card request with its payment as the revenue administration reported it.
/// The card printing reprints a card for a request whose `request.status` is
/// `payment_notified`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LostCard {
    pub request: LostCardRequest,
    #[serde(default)]
    pub paid_at: Option<OffsetDateTime>,
}

/// What the ministry side keeps on an application beyond its [`crate::evaluation::Evaluation`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinistryRecord {
    /// The references of the latest approval pending fees (permit fee, card fee).
    #[serde(default)]
    pub fee_references: Vec<FeeReference>,
    /// The PDFs sent in answer to missing-documents requests, in order.
    #[serde(default)]
    pub documents: Vec<AnsweredDocument>,
    #[serde(default)]
    pub appeal: Option<SignedStatement>,
    #[serde(default)]
    pub waiver: Option<SignedStatement>,
    /// Lost-card requests, oldest first.
    #[serde(default)]
    pub lost_cards: Vec<LostCard>,
}

impl MinistryRecord {
    /// The lost-card requests whose payment was notified: the cards to print again.
    pub fn lost_cards_to_reprint(&self) -> impl Iterator<Item = &LostCard> {
        self.lost_cards
            .iter()
            .filter(|l| l.request.status == LostCardStatus::PaymentNotified)
    }
}

/// A transaction reference as the payment side (GİB) knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentOrder {
    pub reference: PaymentReference,
    pub application_id: WorkPermitId,
    pub purpose: PaymentPurpose,
    /// The foreigner's YKN the payer must name, when the application has one.
    pub ykn: Option<Ykn>,
    pub amount: Money,
    pub issued_at: OffsetDateTime,
    pub paid_at: Option<OffsetDateTime>,
    /// Superseded (a later approval) or expired (an unpaid lost-card request): not payable.
    pub voided: bool,
}

/// The revenue administration's side of the fees (a port: GİB in production, a table
/// locally): references are issued, looked up and marked paid.
pub trait PaymentGateway: PaymentReferences {
    fn register(&mut self, order: &PaymentOrder) -> Result<(), DomainError>;
    fn find_order(
        &mut self,
        reference: &PaymentReference,
    ) -> Result<Option<PaymentOrder>, DomainError>;
    /// Marks the reference paid; false when it already was (another payment got there first).
    fn mark_paid(
        &mut self,
        reference: &PaymentReference,
        amount: Money,
        paid_by: &str,
        at: OffsetDateTime,
    ) -> Result<bool, DomainError>;
    /// Closes an unpaid reference: it can no longer be paid.
    fn void_order(&mut self, reference: &PaymentReference) -> Result<(), DomainError>;
    /// The applications with a lost-card reference unpaid, not voided, issued before `before`.
    fn unpaid_lost_cards_before(
        &mut self,
        before: OffsetDateTime,
        limit: usize,
    ) -> Result<Vec<WorkPermitId>, DomainError>;
}

/// What the ministry stage reads beyond the application store.
pub trait MinistryStore: WorkPermitStore {
    /// Applications in one of `statuses`, the oldest submission first.
    fn evaluation_queue(
        &mut self,
        statuses: &[Status],
        page: PageRequest,
    ) -> Result<Page<WorkPermitApplication>, DomainError>;
    /// Applications in one of `statuses` with an id after `after`, by id, at most `limit`
    /// (the scheduled job walks them all).
    fn in_statuses_after(
        &mut self,
        statuses: &[Status],
        after: Option<WorkPermitId>,
        limit: usize,
    ) -> Result<Vec<WorkPermitApplication>, DomainError>;
}

// ---------------------------------------------------------------------------------------
// The evaluator
// ---------------------------------------------------------------------------------------

/// The evaluator's queue (ministry staff): `statuses` (default [`QUEUE_DEFAULT`]), the
/// oldest submission first. A draft is never the ministry's (422 `work_permit.status_not_listed`).
pub fn evaluation_queue(
    store: &mut impl MinistryStore,
    actor: &Actor,
    statuses: Option<Vec<Status>>,
    page: PageRequest,
) -> Result<Page<WorkPermitApplication>, DomainError> {
    evaluator(actor)?;
    let statuses = statuses
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| QUEUE_DEFAULT.to_vec());
    if statuses.contains(&Status::Draft) {
        return Err(DomainError::rule(FieldError::new(
            "status",
            "work_permit.status_not_listed",
            "Drafts are the employer's; the ministry lists submitted applications.",
        )));
    }
    store.evaluation_queue(&statuses, page)
}

/// Applies `t` (already applied to `a.evaluation`) and writes the application and its
/// history line.
fn commit(
    store: &mut impl WorkPermitStore,
    a: &mut WorkPermitApplication,
    actor: String,
    t: Transition,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    a.updated_at = now;
    save(store, a)?;
    record(store, a.id, actor, Some(t.from), t.to.as_str(), t.note, now)
}

/// An evaluator's command without side effects beyond the state: start, request documents,
/// request an update, reject, review an appeal. (Approval is [`approve_pending_fees`].)
pub fn evaluator_command(
    store: &mut impl WorkPermitStore,
    actor: &Actor,
    id: WorkPermitId,
    cmd: Command,
    now: OffsetDateTime,
) -> Result<WorkPermitApplication, DomainError> {
    evaluator(actor)?;
    if matches!(cmd, Command::ApprovePendingFees { .. }) {
        return Err(DomainError::internal(
            "approval goes through approve_pending_fees",
        ));
    }
    let mut a = store.get(id)?.ok_or_else(not_found)?;
    let t = a.evaluation.apply(Party::Evaluator, cmd, now)?;
    commit(store, &mut a, actor.audit_label(), t, now)?;
    Ok(a)
}

/// "İlk aşamada onay": the fees of the tariff in force today for the permit's months, a
/// transaction reference for each (9130, 9267), 30 days to pay.
pub fn approve_pending_fees<S: WorkPermitStore + PaymentGateway>(
    store: &mut S,
    schedule: &FeeSchedule,
    actor: &Actor,
    id: WorkPermitId,
    now: OffsetDateTime,
) -> Result<WorkPermitApplication, DomainError> {
    evaluator(actor)?;
    let mut a = store.get(id)?.ok_or_else(not_found)?;
    let period = a
        .period
        .ok_or_else(|| DomainError::internal("a submitted application without its period"))?;
    let fees = schedule.fees_for(istanbul_date_of(now), period.months())?;
    let t = a
        .evaluation
        .apply(Party::Evaluator, Command::ApprovePendingFees { fees }, now)?;
    for old in a
        .ministry
        .fee_references
        .iter()
        .filter(|r| r.paid_at.is_none())
    {
        store.void_order(&old.reference)?;
    }
    let mut refs = Vec::new();
    for account in FeeAccount::ALL {
        let reference = store.next_reference(now)?;
        let order = PaymentOrder {
            reference: reference.clone(),
            application_id: a.id,
            purpose: PaymentPurpose::of(*account),
            ykn: a.foreigner.ykn().cloned(),
            amount: fees.due(*account),
            issued_at: now,
            paid_at: None,
            voided: false,
        };
        store.register(&order)?;
        refs.push(FeeReference {
            account: *account,
            reference,
            amount: order.amount,
            issued_at: now,
            paid_at: None,
        });
    }
    let note = format!(
        "{} İşlem referans numaraları: harç {}, değerli kâğıt bedeli {}.",
        t.note, refs[0].reference, refs[1].reference
    );
    a.ministry.fee_references = refs;
    commit(
        store,
        &mut a,
        actor.audit_label(),
        Transition { note, ..t },
        now,
    )?;
    Ok(a)
}

// ---------------------------------------------------------------------------------------
// The employer's answers
// ---------------------------------------------------------------------------------------

/// A PDF already checked ([`crate::documents::check_pdf`]) and in the blob store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadedPdf {
    pub document_type: DocumentType,
    pub sha256: Sha256Hex,
    pub size: u64,
    pub file_name: String,
}

/// "Eksik Evrak Yükleme": the PDFs asked for, within 30 days of the request.
pub fn submit_missing_documents(
    store: &mut impl WorkPermitStore,
    actor: &Actor,
    id: WorkPermitId,
    documents: Vec<UploadedPdf>,
    now: OffsetDateTime,
) -> Result<WorkPermitApplication, DomainError> {
    let (mut a, _) = employer_to_act(store, actor, id)?;
    let mut ev = a.evaluation.clone();
    let t = ev.apply(Party::Employer, Command::SubmitDocuments, now)?;
    if documents.is_empty() {
        return Err(DomainError::rule(FieldError::new(
            "documents",
            "work_permit.documents_required",
            "Upload at least one PDF the ministry asked for.",
        )));
    }
    a.evaluation = ev;
    let count = documents.len();
    a.ministry
        .documents
        .extend(documents.into_iter().map(|d| AnsweredDocument {
            document_type: d.document_type,
            sha256: d.sha256,
            size: d.size,
            file_name: d.file_name,
            uploaded_at: now,
        }));
    let note = format!("{} ({count} belge)", t.note);
    commit(
        store,
        &mut a,
        actor.audit_label(),
        Transition { note, ..t },
        now,
    )?;
    Ok(a)
}

/// "Güncelleme İşlemlerine Devam Et": the steps re-saved and the petition e-signed again,
/// sent back within 30 days; the whole application is checked again
/// ([`crate::usecases::check_ready`]) and its period replaced by the re-checked one.
pub fn submit_update(
    store: &mut impl WorkPermitStore,
    actor: &Actor,
    id: WorkPermitId,
    now: OffsetDateTime,
) -> Result<WorkPermitApplication, DomainError> {
    let (mut a, _) = employer_to_act(store, actor, id)?;
    let mut ev = a.evaluation.clone();
    let t = ev.apply(Party::Employer, Command::SubmitUpdate, now)?;
    let period = crate::usecases::check_ready(store, &a, now)?;
    a.evaluation = ev;
    a.period = Some(period);
    commit(store, &mut a, actor.audit_label(), t, now)?;
    Ok(a)
}

/// Has the acting person sign `document` and checks the service signed that.
fn sign_as<S: Signer>(
    store: &mut S,
    person: &Tckn,
    document: &Sha256Hex,
    now: OffsetDateTime,
) -> Result<ESignature, DomainError> {
    let s = store.sign(person, document, now)?;
    if &s.signer != person || &s.document_sha256 != document {
        return Err(DomainError::internal(
            "the signer answered a signature of another person or document",
        ));
    }
    Ok(s)
}

/// "Redde İtiraz Et": the justification PDF, e-signed by the acting person, within 30 days
/// of the rejection, once.
pub fn appeal<S: WorkPermitStore + Signer>(
    store: &mut S,
    actor: &Actor,
    id: WorkPermitId,
    justification: UploadedPdf,
    now: OffsetDateTime,
) -> Result<WorkPermitApplication, DomainError> {
    let (mut a, who) = employer_to_act(store, actor, id)?;
    let mut ev = a.evaluation.clone();
    let t = ev.apply(
        Party::Employer,
        Command::Appeal {
            document_sha256: justification.sha256.to_string(),
        },
        now,
    )?;
    let signature = sign_as(store, &who.person, &justification.sha256, now)?;
    a.evaluation = ev;
    a.ministry.documents.push(AnsweredDocument {
        document_type: justification.document_type,
        sha256: justification.sha256.clone(),
        size: justification.size,
        file_name: justification.file_name,
        uploaded_at: now,
    });
    a.ministry.appeal = Some(SignedStatement {
        document_sha256: justification.sha256,
        signature,
    });
    commit(store, &mut a, actor.audit_label(), t, now)?;
    Ok(a)
}

/// The text a waiver signs (its SHA-256 is what the e-signature covers).
pub fn waiver_text(a: &WorkPermitApplication, person: &Tckn, now: OffsetDateTime) -> String {
    format!(
        "REDDE İTİRAZDAN FERAGAT BEYANI\n\nBaşvuru no: {}\nReddedilme tarihi: {}\n\
         Beyan eden: {}\nBeyan tarihi: {}\n\n{} no'lu çalışma izni başvurusunun reddine \
         ilişkin redde itiraz hakkımdan feragat ettiğimi beyan ederim.\n",
        a.id,
        tr_date(istanbul_date_of(a.evaluation.since)),
        person.masked(),
        tr_date(istanbul_date_of(now)),
        a.id
    )
}

/// "Redde İtirazdan Feragat Et": e-signed over the generated text ([`waiver_text`], stored
/// by the caller under `text_sha256`), within 30 days of the rejection.
pub fn waive_appeal<S: WorkPermitStore + Signer>(
    store: &mut S,
    actor: &Actor,
    id: WorkPermitId,
    text_sha256: Sha256Hex,
    now: OffsetDateTime,
) -> Result<WorkPermitApplication, DomainError> {
    let (mut a, who) = employer_to_act(store, actor, id)?;
    let mut ev = a.evaluation.clone();
    let t = ev.apply(Party::Employer, Command::WaiveAppeal, now)?;
    let signature = sign_as(store, &who.person, &text_sha256, now)?;
    a.evaluation = ev;
    a.ministry.waiver = Some(SignedStatement {
        document_sha256: text_sha256,
        signature,
    });
    commit(store, &mut a, actor.audit_label(), t, now)?;
    Ok(a)
}

/// Checks the acting person may waive now, before the caller stores the waiver text.
pub fn waiver_for(
    store: &mut impl WorkPermitStore,
    actor: &Actor,
    id: WorkPermitId,
    now: OffsetDateTime,
) -> Result<String, DomainError> {
    let (a, who) = employer_to_act(store, actor, id)?;
    a.evaluation
        .clone()
        .apply(Party::Employer, Command::WaiveAppeal, now)?;
    Ok(waiver_text(&a, &who.person, now))
}

// ---------------------------------------------------------------------------------------
// Payments (simulated GİB)
// ---------------------------------------------------------------------------------------

/// A payment at the revenue administration's "Referans Numarası ile Ödeme" screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentInput {
    pub reference_no: String,
    pub ykn: String,
    pub amount: String,
}

/// What the payment screen answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentReceipt {
    pub reference: PaymentReference,
    pub purpose: PaymentPurpose,
    pub amount: Money,
    pub paid_at: OffsetDateTime,
    pub application: WorkPermitApplication,
}

fn reference_not_found() -> DomainError {
    DomainError::not_found(
        "fee.reference_not_found",
        "No payment is waiting under this transaction reference.",
    )
}

fn not_payable() -> DomainError {
    DomainError::conflict(
        "fee.reference_not_payable",
        "This transaction reference belongs to an earlier decision; it can no longer be paid.",
    )
}

/// Pays a transaction reference (any e-Devlet citizen): the exact amount due, the
/// foreigner's YKN, within the 30 days; a permit or card fee is recorded on the application
/// (both paid: approved), a lost-card fee on its request.
pub fn pay_reference<S: WorkPermitStore + PaymentGateway>(
    store: &mut S,
    actor: &Actor,
    input: PaymentInput,
    now: OffsetDateTime,
) -> Result<PaymentReceipt, DomainError> {
    if !matches!(actor, Actor::Citizen { .. }) {
        return Err(DomainError::forbidden(
            "fee.payer_only",
            "Payments are made by a person logged in through e-Devlet.",
        ));
    }
    let mut errors = kapi_core::FieldErrors::new();
    let reference = errors.take("reference_no", PaymentReference::parse(&input.reference_no));
    let ykn = errors.take("ykn", Ykn::parse(input.ykn.trim()));
    let amount = errors.take("amount", Money::parse_lira(input.amount.trim()));
    if errors.len() == 1 {
        errors.finish().map_err(|mut e| {
            if let Some(f) = e.fields.pop() {
                DomainError::rule(f)
            } else {
                e
            }
        })?;
    } else {
        errors.finish()?;
    }
    let (Some(reference), Some(ykn), Some(amount)) = (reference, ykn, amount) else {
        return Err(DomainError::internal("parsed payment fields"));
    };
    let order = store
        .find_order(&reference)?
        .ok_or_else(reference_not_found)?;
    if order.paid_at.is_some() {
        return Err(already_paid());
    }
    if order.voided {
        return Err(not_payable());
    }
    if order.ykn.as_ref().is_some_and(|y| y != &ykn) {
        return Err(DomainError::rule(FieldError::new(
            "ykn",
            "fee.ykn_mismatch",
            "The foreign identity number is not the one this reference was issued for.",
        )));
    }
    check_payment(order.amount, amount)?;
    let mut a = store
        .get(order.application_id)?
        .ok_or_else(reference_not_found)?;
    let (from, note) = match order.purpose {
        PaymentPurpose::PermitFee | PaymentPurpose::CardFee => {
            let account = if order.purpose == PaymentPurpose::PermitFee {
                FeeAccount::PermitFee
            } else {
                FeeAccount::CardFee
            };
            let i = a
                .ministry
                .fee_references
                .iter()
                .position(|r| r.reference == reference && r.account == account)
                .ok_or_else(not_payable)?;
            let t = a.evaluation.apply(
                Party::System,
                Command::RecordPayment { account, amount },
                now,
            )?;
            a.ministry.fee_references[i].paid_at = Some(now);
            (
                t.from,
                format!("{} (işlem referans no {reference})", t.note),
            )
        }
        PaymentPurpose::LostCard => {
            let card = a
                .ministry
                .lost_cards
                .iter_mut()
                .find(|l| l.request.reference == reference)
                .ok_or_else(not_payable)?;
            if card.request.status != LostCardStatus::AwaitingPayment || card.paid_at.is_some() {
                return Err(DomainError::conflict(
                    "work_permit.invalid_transition",
                    format!("The lost-card request is {}.", card.request.status.as_str()),
                ));
            }
            if !crate::calendar::within_days(card.request.requested_at, RESPONSE_DAYS, now) {
                return Err(DomainError::invalid(
                    "work_permit.deadline_passed",
                    format!("The 30 days to pay ended on {}.", card.request.pay_until()),
                ));
            }
            card.paid_at = Some(now);
            (
                a.status(),
                format!("Kayıp kart ücreti ödendi ({amount}, işlem referans no {reference})."),
            )
        }
    };
    if !store.mark_paid(&reference, amount, &actor.audit_label(), now)? {
        return Err(already_paid());
    }
    a.updated_at = now;
    save(store, &mut a)?;
    record(
        store,
        a.id,
        GIB_ACTOR.to_owned(),
        Some(from),
        a.status().as_str(),
        note,
        now,
    )?;
    Ok(PaymentReceipt {
        reference,
        purpose: order.purpose,
        amount,
        paid_at: now,
        application: a,
    })
}

fn already_paid() -> DomainError {
    DomainError::conflict(
        "fee.already_paid",
        "This transaction reference has been paid.",
    )
}

// ---------------------------------------------------------------------------------------
// Lost card
// ---------------------------------------------------------------------------------------

/// "Kayıp Kart Talebi": for an approved permit in force, half the permit fee plus the card
/// fee at today's tariff, one transaction reference, 30 days to pay. A terminated permit no
/// longer runs and its card would never be printed: refused (409
/// `work_permit.permit_terminated`) before any fee is due.
pub fn request_new_card<S: WorkPermitStore + PaymentGateway>(
    store: &mut S,
    schedule: &FeeSchedule,
    actor: &Actor,
    id: WorkPermitId,
    now: OffsetDateTime,
) -> Result<WorkPermitApplication, DomainError> {
    let (mut a, _) = employer_to_act(store, actor, id)?;
    let status = a.status();
    let period = match (status, a.period) {
        (Status::Approved, Some(p)) => p,
        _ => {
            return Err(DomainError::conflict(
                "work_permit.invalid_transition",
                format!(
                    "A new card is for an approved permit; this application is {}.",
                    status.as_str()
                ),
            ))
        }
    };
    if a.after.is_terminated() {
        return Err(DomainError::conflict(
            "work_permit.permit_terminated",
            "This permit has been terminated: no new card is printed for it.",
        ));
    }
    if a.ministry
        .lost_cards
        .iter()
        .any(|l| l.request.status == LostCardStatus::AwaitingPayment && !l.request.is_overdue(now))
    {
        return Err(DomainError::conflict(
            "work_permit.lost_card_open",
            "A lost-card request is already waiting for its payment.",
        ));
    }
    let reference = store.next_reference(now)?;
    let (req, note) = request_lost_card(schedule, &period, reference, now)?;
    store.register(&PaymentOrder {
        reference: req.reference.clone(),
        application_id: a.id,
        purpose: PaymentPurpose::LostCard,
        ykn: a.foreigner.ykn().cloned(),
        amount: req.fees.total(),
        issued_at: now,
        paid_at: None,
        voided: false,
    })?;
    a.ministry.lost_cards.push(LostCard {
        request: req,
        paid_at: None,
    });
    a.updated_at = now;
    save_recorded(
        store,
        &mut a,
        actor,
        Some(status),
        status.as_str(),
        note,
        now,
    )?;
    Ok(a)
}

/// "Ödeme Bildirimi Yap": the open request's fee paid (in time), the employer tells the
/// ministry; the card is printed again.
pub fn notify_lost_card_payment(
    store: &mut impl WorkPermitStore,
    actor: &Actor,
    id: WorkPermitId,
    now: OffsetDateTime,
) -> Result<WorkPermitApplication, DomainError> {
    let (mut a, _) = employer_to_act(store, actor, id)?;
    let status = a.status();
    let card = a
        .ministry
        .lost_cards
        .iter_mut()
        .rev()
        .find(|l| l.request.status == LostCardStatus::AwaitingPayment)
        .ok_or_else(|| {
            DomainError::conflict(
                "work_permit.invalid_transition",
                "No lost-card request is waiting for its payment.",
            )
        })?;
    let Some(paid_at) = card.paid_at else {
        return Err(DomainError::invalid(
            "work_permit.lost_card_not_paid",
            format!(
                "The fee under reference {} has not been paid yet.",
                card.request.reference
            ),
        ));
    };
    // The deadline is the payment's: the notice refers to the payment made at `paid_at`.
    let fees = card.request.fees;
    let note = card
        .request
        .notify_payment(fees.permit_fee, fees.card_fee, paid_at)?;
    card.request.payment_notified_at = Some(now);
    // The card is printed again: the evaluator's next print prints and ships a new one.
    let reprint = a.after.request_reprint(now);
    a.updated_at = now;
    save_recorded(
        store,
        &mut a,
        actor,
        Some(status),
        status.as_str(),
        note,
        now,
    )?;
    record(
        store,
        a.id,
        actor.audit_label(),
        Some(status),
        crate::after_permit::steps::REPRINT_REQUESTED,
        reprint,
        now,
    )?;
    Ok(a)
}

// ---------------------------------------------------------------------------------------
// The scheduled job
// ---------------------------------------------------------------------------------------

/// Rejects the applications whose missing documents, update or fees were not sent in 30
/// days ([`Command::Expire`]). Walks every waiting application in batches; an application
/// another writer changed meanwhile is left for the next run. Answers the rejected ids.
pub fn expire_overdue(
    store: &mut impl MinistryStore,
    now: OffsetDateTime,
) -> Result<Vec<WorkPermitId>, DomainError> {
    let mut done = Vec::new();
    let mut after = None;
    loop {
        let batch = store.in_statuses_after(&WAITING, after, JOB_BATCH)?;
        let n = batch.len();
        after = batch.last().map(|a| a.id);
        for mut a in batch {
            if a.evaluation.due_action(now) == crate::evaluation::DueAction::Nothing {
                continue;
            }
            let t = a.evaluation.apply(Party::System, Command::Expire, now)?;
            a.updated_at = now;
            let before = a.version;
            a.version += 1;
            if store.update(&a, before)? {
                record(
                    store,
                    a.id,
                    JOB_ACTOR.to_owned(),
                    Some(t.from),
                    t.to.as_str(),
                    t.note,
                    now,
                )?;
                done.push(a.id);
            }
        }
        if n < JOB_BATCH {
            break;
        }
    }
    Ok(done)
}

/// Expires the lost-card requests left unpaid for 30 days. Answers the applications changed.
pub fn expire_lost_cards<S: WorkPermitStore + PaymentGateway>(
    store: &mut S,
    now: OffsetDateTime,
) -> Result<Vec<WorkPermitId>, DomainError> {
    // 30 Istanbul days are more than 29 × 24 hours: nothing issued later can be overdue.
    let ids = store.unpaid_lost_cards_before(now - Duration::days(RESPONSE_DAYS - 1), JOB_BATCH)?;
    let mut done = Vec::new();
    for id in ids {
        let Some(mut a) = store.get(id)? else {
            continue;
        };
        let mut notes = Vec::new();
        let mut voided = Vec::new();
        for card in &mut a.ministry.lost_cards {
            if card.paid_at.is_none() && card.request.is_overdue(now) {
                notes.push(card.request.expire(now)?);
                voided.push(card.request.reference.clone());
            }
        }
        if notes.is_empty() {
            continue;
        }
        let before = a.version;
        a.version += 1;
        a.updated_at = now;
        if store.update(&a, before)? {
            for r in &voided {
                store.void_order(r)?;
            }
            let status = a.status();
            for note in notes {
                record(
                    store,
                    a.id,
                    JOB_ACTOR.to_owned(),
                    Some(status),
                    status.as_str(),
                    note,
                    now,
                )?;
            }
            done.push(id);
        }
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::application::{EmployerRef, Foreigner};
    use crate::duration::PermitPeriod;
    use crate::fees::demo_schedule;
    use crate::kind::{
        ApplicationKind, CareKind, EmployerKind, Filing, Guardianship, HouseholdCare, Route,
    };
    use crate::panel::{EmployerAccess, EmployerRole};
    use crate::testkit::{employer, staff, tckn};
    use crate::usecases::CurrentPermit;
    use kapi_core::{EmployerId, HistoryEntry, HistoryLog};
    use std::collections::HashMap;
    use time::macros::{date, datetime};

    const T0: OffsetDateTime = datetime!(2026-03-01 10:00 +03:00);
    const LAST: OffsetDateTime = datetime!(2026-03-31 23:59:59 +03:00);
    const LATE: OffsetDateTime = datetime!(2026-04-01 00:00 +03:00);
    fn ykn() -> Ykn {
        Ykn::parse(&kapi_core::with_tckn_checksum("991234567").unwrap()).unwrap()
    }
    fn owner() -> Actor {
        Actor::Citizen {
            tckn: tckn("100000001"),
        }
    }
    fn stranger() -> Actor {
        Actor::Citizen {
            tckn: tckn("100000009"),
        }
    }
    fn sha(c: char) -> Sha256Hex {
        Sha256Hex::parse(&c.to_string().repeat(64)).unwrap()
    }
    fn code<T: std::fmt::Debug>(r: Result<T, DomainError>) -> String {
        r.unwrap_err().code.into_owned()
    }

    #[derive(Default)]
    struct Fake {
        apps: HashMap<WorkPermitId, WorkPermitApplication>,
        history: Vec<HistoryEntry>,
        orders: Vec<PaymentOrder>,
        signatures: Vec<(Tckn, Sha256Hex)>,
        seq: u32,
    }

    impl HistoryLog for Fake {
        fn append(&mut self, e: &HistoryEntry) -> Result<(), DomainError> {
            crate::testkit::append(&mut self.history, e)
        }
        fn history(&mut self, _: &str, id: &str) -> Result<Vec<HistoryEntry>, DomainError> {
            crate::testkit::history(&self.history, id)
        }
    }

    impl WorkPermitStore for Fake {
        fn insert(&mut self, a: &WorkPermitApplication) -> Result<(), DomainError> {
            crate::testkit::insert(&mut self.apps, a)
        }
        fn get(&mut self, id: WorkPermitId) -> Result<Option<WorkPermitApplication>, DomainError> {
            crate::testkit::get(&self.apps, id)
        }
        fn update(
            &mut self,
            a: &WorkPermitApplication,
            expected: i64,
        ) -> Result<bool, DomainError> {
            crate::testkit::update(&mut self.apps, a, expected)
        }
        fn list_by_employer(
            &mut self,
            _: &EmployerRef,
            _: &[Status],
            page: PageRequest,
        ) -> Result<Page<WorkPermitApplication>, DomainError> {
            Ok(Page::new(vec![], page, 0))
        }
        fn drafts_touched_before(
            &mut self,
            _: OffsetDateTime,
            _: usize,
        ) -> Result<Vec<WorkPermitApplication>, DomainError> {
            Ok(vec![])
        }
        fn delete(&mut self, id: WorkPermitId, _: i64) -> Result<bool, DomainError> {
            Ok(self.apps.remove(&id).is_some())
        }
        fn current_permit(
            &mut self,
            _: &EmployerRef,
            _: &Ykn,
        ) -> Result<Option<CurrentPermit>, DomainError> {
            Ok(None)
        }
        fn employer_access(
            &mut self,
            e: EmployerId,
            person: &Tckn,
        ) -> Result<Option<EmployerAccess>, DomainError> {
            Ok(
                (e == employer() && person == &tckn("100000001")).then_some(EmployerAccess {
                    employer_id: e,
                    kind: EmployerKind::Household,
                    role: EmployerRole::Owner,
                    owner: tckn("100000001"),
                    missing_documents: vec![],
                }),
            )
        }
        fn running_permits(
            &mut self,
            _: &EmployerRef,
            _: Date,
        ) -> Result<Vec<WorkPermitApplication>, DomainError> {
            Ok(vec![])
        }
    }

    impl MinistryStore for Fake {
        fn evaluation_queue(
            &mut self,
            statuses: &[Status],
            page: PageRequest,
        ) -> Result<Page<WorkPermitApplication>, DomainError> {
            let mut v: Vec<_> = self
                .apps
                .values()
                .filter(|a| statuses.contains(&a.status()))
                .cloned()
                .collect();
            v.sort_by_key(|a| a.submitted_at);
            let n = v.len() as u64;
            Ok(Page::new(v, page, n))
        }
        fn in_statuses_after(
            &mut self,
            statuses: &[Status],
            after: Option<WorkPermitId>,
            limit: usize,
        ) -> Result<Vec<WorkPermitApplication>, DomainError> {
            let mut v: Vec<_> = self
                .apps
                .values()
                .filter(|a| statuses.contains(&a.status()))
                .filter(|a| after.is_none_or(|x| a.id.to_string() > x.to_string()))
                .cloned()
                .collect();
            v.sort_by_key(|a| a.id.to_string());
            v.truncate(limit);
            Ok(v)
        }
    }

    impl PaymentReferences for Fake {
        fn next_reference(&mut self, _: OffsetDateTime) -> Result<PaymentReference, DomainError> {
            self.seq += 1;
            PaymentReference::parse(&format!("UIGM2026{:08}", self.seq)).map_err(DomainError::field)
        }
    }

    impl PaymentGateway for Fake {
        fn register(&mut self, o: &PaymentOrder) -> Result<(), DomainError> {
            self.orders.push(o.clone());
            Ok(())
        }
        fn find_order(
            &mut self,
            r: &PaymentReference,
        ) -> Result<Option<PaymentOrder>, DomainError> {
            Ok(self.orders.iter().find(|o| &o.reference == r).cloned())
        }
        fn mark_paid(
            &mut self,
            r: &PaymentReference,
            _: Money,
            _: &str,
            at: OffsetDateTime,
        ) -> Result<bool, DomainError> {
            let o = self.orders.iter_mut().find(|o| &o.reference == r).unwrap();
            if o.paid_at.is_some() {
                return Ok(false);
            }
            o.paid_at = Some(at);
            Ok(true)
        }
        fn void_order(&mut self, r: &PaymentReference) -> Result<(), DomainError> {
            if let Some(o) = self.orders.iter_mut().find(|o| &o.reference == r) {
                o.voided = true;
            }
            Ok(())
        }
        fn unpaid_lost_cards_before(
            &mut self,
            before: OffsetDateTime,
            _: usize,
        ) -> Result<Vec<WorkPermitId>, DomainError> {
            Ok(self
                .orders
                .iter()
                .filter(|o| o.purpose == PaymentPurpose::LostCard)
                .filter(|o| o.paid_at.is_none() && !o.voided && o.issued_at < before)
                .map(|o| o.application_id)
                .collect())
        }
    }

    impl Signer for Fake {
        fn sign(
            &mut self,
            signer: &Tckn,
            doc: &Sha256Hex,
            now: OffsetDateTime,
        ) -> Result<ESignature, DomainError> {
            self.signatures.push((signer.clone(), doc.clone()));
            Ok(ESignature {
                signer: signer.clone(),
                document_sha256: doc.clone(),
                signed_at: now,
            })
        }
    }

    /// A submitted household application for 2026-04-01 – 2027-02-28 (11 months).
    fn submitted(s: &mut Fake, status: Status, since: OffsetDateTime) -> WorkPermitId {
        let kind = ApplicationKind {
            employer: EmployerKind::Household,
            filing: Filing::First,
            route: Route::InTurkiye {
                ykn: ykn(),
                birth_date: date!(1990 - 03 - 14),
            },
            household: Some(HouseholdCare {
                care: CareKind::ElderlyCare,
                guardianship: Guardianship::NotApplicable,
            }),
        };
        let mut a = WorkPermitApplication::new_draft(
            EmployerRef::Employer {
                employer_id: employer(),
            },
            tckn("100000001"),
            kind,
            Foreigner::Ykn {
                ykn: ykn(),
                birth_date: date!(1990 - 03 - 14),
            },
            since,
        );
        a.evaluation.status = status;
        a.evaluation.since = since;
        a.submitted_at = Some(since);
        a.period =
            Some(PermitPeriod::from_stored(date!(2026 - 04 - 01), date!(2027 - 02 - 28)).unwrap());
        let id = a.id;
        s.apps.insert(id, a);
        id
    }

    fn pay(
        s: &mut Fake,
        reference: &str,
        amount: &str,
        now: OffsetDateTime,
    ) -> Result<PaymentReceipt, DomainError> {
        pay_reference(
            s,
            &stranger(),
            PaymentInput {
                reference_no: reference.into(),
                ykn: ykn().to_string(),
                amount: amount.into(),
            },
            now,
        )
    }

    fn pdf(t: DocumentType, c: char) -> UploadedPdf {
        UploadedPdf {
            document_type: t,
            sha256: sha(c),
            size: 1000,
            file_name: "belge.pdf".into(),
        }
    }

    #[test]
    fn evaluate_approve_and_pay_both_fees() {
        let mut s = Fake::default();
        let id = submitted(&mut s, Status::Submitted, T0);
        let q = evaluation_queue(&mut s, &staff(), None, PageRequest::first()).unwrap();
        assert_eq!(q.items.len(), 1);
        assert_eq!(
            code(evaluation_queue(
                &mut s,
                &owner(),
                None,
                PageRequest::first()
            )),
            "work_permit.evaluator_only"
        );
        assert_eq!(
            code(evaluator_command(
                &mut s,
                &owner(),
                id,
                Command::StartEvaluation,
                T0
            )),
            "work_permit.evaluator_only"
        );
        evaluator_command(&mut s, &staff(), id, Command::StartEvaluation, T0).unwrap();
        assert_eq!(
            code(evaluator_command(
                &mut s,
                &staff(),
                id,
                Command::StartEvaluation,
                T0
            )),
            "work_permit.invalid_transition"
        );
        let schedule = demo_schedule().unwrap();
        let a = approve_pending_fees(&mut s, &schedule, &staff(), id, T0).unwrap();
        assert_eq!(a.status(), Status::AwaitingFees);
        let refs = a.ministry.fee_references.clone();
        assert_eq!(refs.len(), 2);
        assert_eq!(refs[0].account, FeeAccount::PermitFee);
        assert_eq!(refs[0].amount, Money::from_kurus(1_302_555));
        assert_eq!(refs[1].amount, Money::from_kurus(159_310));
        assert_eq!(refs[0].pay_until(), date!(2026 - 03 - 31));
        let last = s.history.last().unwrap();
        assert!(last
            .note
            .as_deref()
            .unwrap()
            .contains(refs[0].reference.as_str()));

        let permit = refs[0].reference.to_string();
        let card = refs[1].reference.to_string();
        assert_eq!(
            code(pay(&mut s, &permit, "13025.54", T0)),
            "fee.amount_mismatch"
        );
        assert_eq!(
            code(pay(&mut s, &permit, "13025.56", T0)),
            "fee.amount_mismatch"
        );
        assert_eq!(
            code(pay(&mut s, "UIGM2026999999", "1", T0)),
            "fee.reference_not_found"
        );
        let wrong_ykn = pay_reference(
            &mut s,
            &stranger(),
            PaymentInput {
                reference_no: permit.clone(),
                ykn: kapi_core::with_tckn_checksum("991234568").unwrap(),
                amount: "13025.55".into(),
            },
            T0,
        );
        assert_eq!(code(wrong_ykn), "fee.ykn_mismatch");
        assert_eq!(
            code(pay_reference(
                &mut s,
                &staff(),
                PaymentInput {
                    reference_no: permit.clone(),
                    ykn: ykn().to_string(),
                    amount: "13025.55".into()
                },
                T0
            )),
            "fee.payer_only"
        );
        let r = pay(&mut s, &permit, "13025.55", T0).unwrap();
        assert_eq!(r.application.status(), Status::AwaitingFees);
        assert_eq!(
            code(pay(&mut s, &permit, "13025.55", T0)),
            "fee.already_paid"
        );
        assert_eq!(
            code(pay(&mut s, &card, "1593.10", LATE)),
            "work_permit.deadline_passed"
        );
        let r = pay(&mut s, &card, "1593.10", LAST).unwrap();
        assert_eq!(r.application.status(), Status::Approved);
        assert!(s
            .history
            .last()
            .unwrap()
            .note
            .as_deref()
            .unwrap()
            .contains("çalışma izni onaylandı"));
        assert_eq!(s.history.last().unwrap().actor, GIB_ACTOR);
        assert!(r
            .application
            .ministry
            .fee_references
            .iter()
            .all(|f| f.paid_at.is_some()));
    }

    #[test]
    fn missing_documents_within_thirty_days() {
        let mut s = Fake::default();
        let id = submitted(&mut s, Status::UnderEvaluation, T0);
        evaluator_command(
            &mut s,
            &staff(),
            id,
            Command::RequestDocuments {
                note: "Diploma eksik".into(),
            },
            T0,
        )
        .unwrap();
        let docs = || vec![pdf(DocumentType::Diploma, 'd')];
        assert_eq!(
            code(submit_missing_documents(
                &mut s,
                &stranger(),
                id,
                docs(),
                T0
            )),
            "work_permit.not_found"
        );
        assert_eq!(
            code(submit_missing_documents(&mut s, &owner(), id, vec![], T0)),
            "work_permit.documents_required"
        );
        assert_eq!(
            code(submit_missing_documents(&mut s, &owner(), id, docs(), LATE)),
            "work_permit.deadline_passed"
        );
        let a = submit_missing_documents(&mut s, &owner(), id, docs(), LAST).unwrap();
        assert_eq!(a.status(), Status::UnderEvaluation);
        assert_eq!(a.ministry.documents.len(), 1);
        assert_eq!(
            code(submit_missing_documents(&mut s, &owner(), id, docs(), LAST)),
            "work_permit.invalid_transition"
        );
    }

    #[test]
    fn an_update_is_checked_again() {
        let mut s = Fake::default();
        let id = submitted(&mut s, Status::UpdateRequested, T0);
        // The fake's application has no wizard steps: check_ready refuses it.
        assert_eq!(
            code(submit_update(&mut s, &owner(), id, T0)),
            "work_permit.steps_incomplete"
        );
        assert_eq!(
            code(submit_update(&mut s, &owner(), id, LATE)),
            "work_permit.deadline_passed"
        );
        let other = submitted(&mut s, Status::UnderEvaluation, T0);
        assert_eq!(
            code(submit_update(&mut s, &owner(), other, T0)),
            "work_permit.invalid_transition"
        );
    }

    #[test]
    fn appeal_review_and_decide_again() {
        let mut s = Fake::default();
        let id = submitted(&mut s, Status::UnderEvaluation, T0);
        evaluator_command(
            &mut s,
            &staff(),
            id,
            Command::Reject {
                reason: "Eksik bilgi".into(),
            },
            T0,
        )
        .unwrap();
        let just = || pdf(DocumentType::AppealJustification, 'e');
        assert_eq!(
            code(appeal(&mut s, &owner(), id, just(), LATE)),
            "work_permit.appeal_period_over"
        );
        assert!(
            s.signatures.is_empty(),
            "nothing is signed for a refused appeal"
        );
        let a = appeal(&mut s, &owner(), id, just(), LAST).unwrap();
        assert_eq!(a.status(), Status::Appealed);
        let signed = a.ministry.appeal.unwrap();
        assert_eq!(signed.signature.signer, tckn("100000001"));
        assert_eq!(signed.document_sha256, sha('e'));
        assert_eq!(
            code(waiver_for(&mut s, &owner(), id, LAST)),
            "work_permit.invalid_transition"
        );
        evaluator_command(&mut s, &staff(), id, Command::ReviewAppeal, LAST).unwrap();
        let a =
            approve_pending_fees(&mut s, &demo_schedule().unwrap(), &staff(), id, LAST).unwrap();
        assert_eq!(a.status(), Status::AwaitingFees);
    }

    #[test]
    fn a_waiver_is_signed_over_its_text() {
        let mut s = Fake::default();
        let id = submitted(&mut s, Status::Rejected, T0);
        let text = waiver_for(&mut s, &owner(), id, T0).unwrap();
        assert!(text.contains("feragat"));
        assert_eq!(
            code(waiver_for(&mut s, &owner(), id, LATE)),
            "work_permit.appeal_period_over"
        );
        let a = waive_appeal(&mut s, &owner(), id, sha('f'), T0).unwrap();
        assert_eq!(a.status(), Status::AppealWaived);
        assert_eq!(a.ministry.waiver.unwrap().document_sha256, sha('f'));
        assert_eq!(s.signatures, [(tckn("100000001"), sha('f'))]);
    }

    #[test]
    fn the_job_rejects_after_thirty_days_once() {
        let mut s = Fake::default();
        let docs = submitted(&mut s, Status::MissingDocuments, T0);
        let fees = submitted(&mut s, Status::UnderEvaluation, T0);
        approve_pending_fees(&mut s, &demo_schedule().unwrap(), &staff(), fees, T0).unwrap();
        let fresh = submitted(&mut s, Status::UpdateRequested, LAST);
        assert!(expire_overdue(&mut s, LAST).unwrap().is_empty());
        let mut done = expire_overdue(&mut s, LATE).unwrap();
        done.sort_by_key(|i| i.to_string());
        let mut want = vec![docs, fees];
        want.sort_by_key(|i| i.to_string());
        assert_eq!(done, want);
        assert_eq!(s.apps[&fees].status(), Status::Rejected);
        assert_eq!(s.apps[&fresh].status(), Status::UpdateRequested);
        assert_eq!(s.history.last().unwrap().actor, JOB_ACTOR);
        assert!(expire_overdue(&mut s, LATE).unwrap().is_empty());
    }

    #[test]
    fn no_lost_card_for_a_terminated_permit() {
        let mut s = Fake::default();
        let id = submitted(&mut s, Status::Approved, T0);
        let schedule = demo_schedule().unwrap();
        let in_force = datetime!(2026-05-01 10:00 +03:00);
        if let Some(a) = s.apps.get_mut(&id) {
            a.after.termination = Some(crate::post_permit::TerminationRequest {
                termination_date: in_force.date(),
                reason: crate::post_permit::TerminationReason::Resignation,
                explanation: None,
                filed_at: in_force,
            });
        }
        let before = s.apps[&id].version;
        assert_eq!(
            code(request_new_card(&mut s, &schedule, &owner(), id, in_force)),
            "work_permit.permit_terminated"
        );
        // Nothing is due: no request, no payment order, nothing saved.
        assert!(s.apps[&id].ministry.lost_cards.is_empty());
        assert!(s.orders.is_empty());
        assert_eq!(s.apps[&id].version, before);
    }

    #[test]
    fn lost_card_pay_notify_and_expiry() {
        let mut s = Fake::default();
        let id = submitted(&mut s, Status::Approved, T0);
        let schedule = demo_schedule().unwrap();
        let in_force = datetime!(2026-05-01 10:00 +03:00);
        assert_eq!(
            code(request_new_card(
                &mut s,
                &schedule,
                &stranger(),
                id,
                in_force
            )),
            "work_permit.not_found"
        );
        assert_eq!(
            code(request_new_card(&mut s, &schedule, &owner(), id, T0)),
            "work_permit.permit_not_in_force"
        );
        let a = request_new_card(&mut s, &schedule, &owner(), id, in_force).unwrap();
        let req = a.ministry.lost_cards[0].request.clone();
        assert_eq!(req.fees.permit_fee, Money::from_kurus(651_278));
        assert_eq!(
            code(request_new_card(&mut s, &schedule, &owner(), id, in_force)),
            "work_permit.lost_card_open"
        );
        assert_eq!(
            code(notify_lost_card_payment(&mut s, &owner(), id, in_force)),
            "work_permit.lost_card_not_paid"
        );
        let r = req.reference.to_string();
        assert_eq!(
            code(pay(&mut s, &r, "8105.87", in_force)),
            "fee.amount_mismatch"
        );
        assert_eq!(
            code(pay(&mut s, &r, "8105.89", in_force)),
            "fee.amount_mismatch"
        );
        pay(&mut s, &r, "8105.88", in_force).unwrap();
        let a =
            notify_lost_card_payment(&mut s, &owner(), id, in_force + Duration::days(40)).unwrap();
        assert_eq!(a.ministry.lost_cards_to_reprint().count(), 1);
        // A second request, never paid, expires after 30 days.
        let a = request_new_card(&mut s, &schedule, &owner(), id, in_force).unwrap();
        assert_eq!(a.ministry.lost_cards.len(), 2);
        assert!(expire_lost_cards(&mut s, in_force + Duration::days(29))
            .unwrap()
            .is_empty());
        assert_eq!(
            expire_lost_cards(&mut s, in_force + Duration::days(31)).unwrap(),
            [id]
        );
        assert_eq!(
            s.apps[&id].ministry.lost_cards[1].request.status,
            LostCardStatus::Expired
        );
        assert!(expire_lost_cards(&mut s, in_force + Duration::days(31))
            .unwrap()
            .is_empty());
        let second = s.apps[&id].ministry.lost_cards[1]
            .request
            .reference
            .to_string();
        assert_eq!(
            code(pay(
                &mut s,
                &second,
                "8105.88",
                in_force + Duration::days(31)
            )),
            "fee.reference_not_payable"
        );
    }
}
