//! The ministry's evaluation of an application — DOMAIN.md §7, seed 002 "Başvuru Takip
//! İşlemleri", seed 003 §5–§6.
//!
//! ```text
//! draft ──submit──▶ submitted ──start──▶ under_evaluation ──┬─ request documents ─▶ missing_documents ─┐
//!                                          ▲   ▲            ├─ request update ────▶ update_requested ──┤ employer answers
//!                                          │   └────────────┼──────────────────────────────────────────┘ within 30 days
//!                                          │                ├─ approve pending fees ▶ awaiting_fees ── both fees paid ▶ approved
//!                                          │                └─ reject ─▶ rejected ◀── not answered / not paid in 30 days
//!                                          │                              │  ├─ appeal (30 days, once) ▶ appealed
//!                                          └──── review the appeal ───────┼──┘
//!                                                                         └─ waive (30 days) ▶ appeal_waived
//! ```
//!
//! Who does what ([`Command::party`]): the **employer** submits (e-signed), answers
//! missing-document and update requests, appeals or waives; the **ministry evaluator** starts
//! the evaluation, asks for documents or an update, approves pending fees, rejects, and takes
//! an appeal into review; the **system** records fee payments the revenue administration
//! (GİB) reports and runs the scheduled job ([`due_action`], [`Command::Expire`]).
//!
//! Every limit is 30 days, counted in Istanbul civil dates from the day the status was
//! entered ([`crate::calendar::days_after`]): entered on D, the employer may act until
//! D + 30, 23:59:59 Istanbul. Choices written down here because the manuals are silent:
//! - a missing-documents or update request left unanswered for 30 days **rejects** the
//!   application, as unpaid fees do ("aksi halde başvurunuz reddedilecektir");
//! - a rejection can be appealed **once**: the manual offers the appeal against a first-stage
//!   rejection ("ilk aşamada reddedilmiş"), so a rejection after an appeal review is final;
//! - when the appeal window closes nothing changes state — the rejection simply becomes
//!   final ([`Evaluation::is_final`]); the scheduled job has nothing to do for it;
//! - a fee payment is recorded per account (9130 and 9267), each exactly the amount due
//!   ([`crate::fees::check_payment`]); the second one approves the permit; a payment arriving
//!   after the 30 days is refused (the job rejects the application);
//! - a draft's expiry ([`crate::draft`]) is reported as [`DueAction::DeleteDraft`]: the draft
//!   row is deleted, not moved to a status.
//!
//! Each transition returns the Turkish note the history ("İşlem Hareketleri") records.

use crate::calendar::{days_after, within_days, THIRTY_DAYS};
use crate::draft::{draft_kept_until, is_draft_expired};
use crate::fees::{check_payment, FeeAccount, FeesDue};
use kapi_core::{clean_text, Actor, DomainError, FieldError, Money};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// Days the employer has to upload missing documents, make an update, pay the fees, or
/// appeal / waive a rejection.
pub const RESPONSE_DAYS: i64 = THIRTY_DAYS;

code_list! {
    /// Where an application stands.
    Status {
        /// Saved as a draft, not e-signed ("Tamamlanmayan Başvuru").
        Draft => "draft", "Taslak";
        /// E-signed and sent to the ministry.
        Submitted => "submitted", "Bakanlığa İletildi";
        /// Değerlendirme aşamasında.
        UnderEvaluation => "under_evaluation", "Değerlendirme Aşamasında";
        /// Eksik evrak istendi: the employer uploads within 30 days.
        MissingDocuments => "missing_documents", "Eksik Evrak Yükleme Bekleniyor";
        /// Güncelleme istendi: the employer updates within 30 days.
        UpdateRequested => "update_requested", "Güncelleme Yapılması Bekleniyor";
        /// İlk aşamada onaylandı: harç and değerli kâğıt bedeli within 30 days.
        AwaitingFees => "awaiting_fees", "Harç Ödemesi Bekleniyor";
        Approved => "approved", "Onaylandı";
        Rejected => "rejected", "Reddedildi";
        /// Redde itiraz edildi, waiting for the ministry's review.
        Appealed => "appealed", "Redde İtiraz Edildi";
        /// Redde itirazdan feragat edildi (e.g. to apply through another employer).
        AppealWaived => "appeal_waived", "Redde İtirazdan Feragat Edildi";
    }
}

code_list! {
    /// Who acts on an application.
    Party {
        /// A user of the employer (company, household, university) the application belongs to.
        Employer => "employer", "İşveren";
        /// Ministry of Labour work-permit staff.
        Evaluator => "evaluator", "Bakanlık Değerlendiricisi";
        /// Kapı itself: the scheduled job, and payments reported by the revenue administration.
        System => "system", "Sistem";
    }
}

impl Party {
    /// The party an authenticated actor acts as (`System` never comes from a token).
    /// Whether the application is *this* employer's is the use case's check.
    pub fn of(actor: &Actor) -> Option<Party> {
        match actor {
            Actor::EmployerUser { .. } => Some(Party::Employer),
            Actor::MinistryStaff { .. } => Some(Party::Evaluator),
            _ => None,
        }
    }
}

code_list! {
    /// The employer's lists (Başvuru Takip İşlemleri), each status in exactly one.
    EmployerList {
        Incomplete => "incomplete", "Tamamlanmayan Başvurular";
        InEvaluation => "in_evaluation", "Değerlendirme Aşamasındaki Başvurular";
        AwaitingDocuments => "awaiting_documents", "Eksik Evrak Yükleme Bekleyen Başvurular";
        AwaitingUpdate => "awaiting_update", "Güncelleme Yapılması Bekleyen Başvurular";
        AwaitingFees => "awaiting_fees", "Harç Ödemesi Bekleyen Başvurular";
        Approved => "approved", "Onaylanan Başvurular";
        Rejected => "rejected", "Reddedilen Başvurular";
    }
}

impl EmployerList {
    /// The statuses listed under this list (for a store's `WHERE status IN (…)`).
    pub fn statuses(self) -> Vec<Status> {
        Status::ALL
            .iter()
            .copied()
            .filter(|s| employer_list(*s) == self)
            .collect()
    }

    /// Whether the list is one of the sub-lists of "Değerlendirme Aşamasındaki Başvurular"
    /// (the manual files the three waiting lists under it).
    pub fn is_in_evaluation(self) -> bool {
        matches!(
            self,
            Self::InEvaluation
                | Self::AwaitingDocuments
                | Self::AwaitingUpdate
                | Self::AwaitingFees
        )
    }
}

/// The employer's list a status is shown in. An appeal waits for the ministry, so it is in
/// evaluation; a waived appeal stays among the rejected.
pub fn employer_list(status: Status) -> EmployerList {
    match status {
        Status::Draft => EmployerList::Incomplete,
        Status::Submitted | Status::UnderEvaluation | Status::Appealed => {
            EmployerList::InEvaluation
        }
        Status::MissingDocuments => EmployerList::AwaitingDocuments,
        Status::UpdateRequested => EmployerList::AwaitingUpdate,
        Status::AwaitingFees => EmployerList::AwaitingFees,
        Status::Approved => EmployerList::Approved,
        Status::Rejected | Status::AppealWaived => EmployerList::Rejected,
    }
}

/// What the scheduled job has to do with an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueAction {
    Nothing,
    /// A draft untouched for a month: delete it.
    DeleteDraft,
    /// Missing documents not uploaded in 30 days: reject.
    RejectDocumentsNotUploaded,
    /// Update not made in 30 days: reject.
    RejectUpdateNotMade,
    /// Fees not paid in 30 days: reject.
    RejectFeesNotPaid,
}

/// What expires for an application in `status` since `since` (the instant the status was
/// entered; for a draft, when it was last saved) at `now`. Idempotent: the job may call it
/// as often as it likes.
pub fn due_action(status: Status, since: OffsetDateTime, now: OffsetDateTime) -> DueAction {
    let expired = !within_days(since, RESPONSE_DAYS, now);
    match status {
        Status::Draft if is_draft_expired(since, now) => DueAction::DeleteDraft,
        Status::MissingDocuments if expired => DueAction::RejectDocumentsNotUploaded,
        Status::UpdateRequested if expired => DueAction::RejectUpdateNotMade,
        Status::AwaitingFees if expired => DueAction::RejectFeesNotPaid,
        _ => DueAction::Nothing,
    }
}

/// A command on an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Employer: e-signed the petition (draft → submitted). The use case has checked the
    /// wizard is complete and the required documents are there.
    Submit,
    /// Evaluator: takes the application into evaluation.
    StartEvaluation,
    /// Evaluator: asks for missing documents, saying which.
    RequestDocuments { note: String },
    /// Evaluator: asks for an update of the application's information, saying what.
    RequestUpdate { note: String },
    /// Employer: uploaded the missing documents.
    SubmitDocuments,
    /// Employer: made the update.
    SubmitUpdate,
    /// Evaluator: approves in the first stage; the fees (from the schedule in force today
    /// for the permit's duration) are now due.
    ApprovePendingFees { fees: FeesDue },
    /// System: the revenue administration reports a payment to one account.
    RecordPayment { account: FeeAccount, amount: Money },
    /// Evaluator: rejects, with the reason the employer reads.
    Reject { reason: String },
    /// Employer: appeals the rejection with a justification document (its SHA-256 in the
    /// blob store), e-signed.
    Appeal { document_sha256: String },
    /// Employer: waives the appeal, e-signed.
    WaiveAppeal,
    /// Evaluator: takes the appeal into review (appealed → under_evaluation).
    ReviewAppeal,
    /// System: applies what [`due_action`] says has expired (never deletes a draft).
    Expire,
}

impl Command {
    pub fn as_str(&self) -> &'static str {
        match self {
            Command::Submit => "submit",
            Command::StartEvaluation => "start_evaluation",
            Command::RequestDocuments { .. } => "request_documents",
            Command::RequestUpdate { .. } => "request_update",
            Command::SubmitDocuments => "submit_documents",
            Command::SubmitUpdate => "submit_update",
            Command::ApprovePendingFees { .. } => "approve_pending_fees",
            Command::RecordPayment { .. } => "record_payment",
            Command::Reject { .. } => "reject",
            Command::Appeal { .. } => "appeal",
            Command::WaiveAppeal => "waive_appeal",
            Command::ReviewAppeal => "review_appeal",
            Command::Expire => "expire",
        }
    }

    /// The only party that may give this command.
    pub fn party(&self) -> Party {
        match self {
            Command::Submit
            | Command::SubmitDocuments
            | Command::SubmitUpdate
            | Command::Appeal { .. }
            | Command::WaiveAppeal => Party::Employer,
            Command::StartEvaluation
            | Command::RequestDocuments { .. }
            | Command::RequestUpdate { .. }
            | Command::ApprovePendingFees { .. }
            | Command::Reject { .. }
            | Command::ReviewAppeal => Party::Evaluator,
            Command::RecordPayment { .. } | Command::Expire => Party::System,
        }
    }
}

/// A state change, for the history and the integrators' event feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub from: Status,
    /// Equal to `from` for a first fee payment (recorded, still awaiting the other).
    pub to: Status,
    pub party: Party,
    pub at: OffsetDateTime,
    /// The Turkish note of "İşlem Hareketleri".
    pub note: String,
}

/// The evaluation state of one application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evaluation {
    pub status: Status,
    /// When the current status was entered (for a draft: when it was last saved); every
    /// deadline counts from it.
    pub since: OffsetDateTime,
    /// What the ministry asked for in the open missing-documents or update request.
    pub request_note: Option<String>,
    /// The fees due once approved pending fees.
    pub fees: Option<FeesDue>,
    pub permit_fee_paid_at: Option<OffsetDateTime>,
    pub card_fee_paid_at: Option<OffsetDateTime>,
    /// The latest rejection's reason.
    pub rejection_reason: Option<String>,
    /// Whether the one appeal has been used.
    pub appeal_used: bool,
}

/// `dd.mm.yyyy`, as Turkish users read dates.
pub fn tr_date(d: Date) -> String {
    format!("{:02}.{:02}.{}", d.day(), u8::from(d.month()), d.year())
}

fn wrong_state(cmd: &Command, status: Status) -> DomainError {
    DomainError::conflict(
        "work_permit.invalid_transition",
        format!(
            "`{}` is not possible while the application is {}.",
            cmd.as_str(),
            status.as_str()
        ),
    )
}

fn text(field: &str, raw: &str) -> Result<String, DomainError> {
    clean_text(field, raw, 3, 2000).map_err(DomainError::field)
}

impl Evaluation {
    /// A new draft saved at `now`.
    pub fn new_draft(now: OffsetDateTime) -> Self {
        Self {
            status: Status::Draft,
            since: now,
            request_note: None,
            fees: None,
            permit_fee_paid_at: None,
            card_fee_paid_at: None,
            rejection_reason: None,
            appeal_used: false,
        }
    }

    /// A wizard step of the draft was saved: its month starts again.
    pub fn touch(&mut self, now: OffsetDateTime) -> Result<(), DomainError> {
        if self.status != Status::Draft {
            return Err(DomainError::conflict(
                "work_permit.not_a_draft",
                "Only a draft can be changed; this application has been submitted.",
            ));
        }
        self.since = now;
        Ok(())
    }

    /// The last Istanbul day of the current status's limit, if it has one: the draft's
    /// month, the 30 days of a request, of the fees, or of the appeal window.
    pub fn deadline(&self) -> Option<Date> {
        match self.status {
            Status::Draft => Some(draft_kept_until(self.since)),
            Status::MissingDocuments | Status::UpdateRequested | Status::AwaitingFees => {
                Some(days_after(self.since, RESPONSE_DAYS))
            }
            Status::Rejected if !self.appeal_used => Some(days_after(self.since, RESPONSE_DAYS)),
            _ => None,
        }
    }

    /// Whether nothing can change any more: approved, waived, or rejected with no appeal
    /// left (used, or its window closed at `now`).
    pub fn is_final(&self, now: OffsetDateTime) -> bool {
        match self.status {
            Status::Approved | Status::AppealWaived => true,
            Status::Rejected => self.appeal_used || !within_days(self.since, RESPONSE_DAYS, now),
            _ => false,
        }
    }

    pub fn due_action(&self, now: OffsetDateTime) -> DueAction {
        due_action(self.status, self.since, now)
    }

    fn within_limit(
        &self,
        now: OffsetDateTime,
        code: &'static str,
        what: &str,
    ) -> Result<(), DomainError> {
        if within_days(self.since, RESPONSE_DAYS, now) {
            Ok(())
        } else {
            Err(DomainError::invalid(
                code,
                format!(
                    "The 30 days to {what} ended on {}.",
                    days_after(self.since, RESPONSE_DAYS)
                ),
            ))
        }
    }

    /// Applies `cmd` given by `party` at `now`: refuses the wrong party (403
    /// `work_permit.not_allowed`), the wrong state (409 `work_permit.invalid_transition`), a
    /// passed limit (422 `work_permit.deadline_passed`, `work_permit.appeal_period_over`),
    /// a second appeal (422 `work_permit.appeal_used`), a wrong amount (422
    /// `fee.amount_mismatch`). Changes nothing unless it succeeds.
    pub fn apply(
        &mut self,
        party: Party,
        cmd: Command,
        now: OffsetDateTime,
    ) -> Result<Transition, DomainError> {
        if cmd.party() != party {
            return Err(DomainError::forbidden(
                "work_permit.not_allowed",
                format!(
                    "`{}` is for the {}, not the {}.",
                    cmd.as_str(),
                    cmd.party().as_str(),
                    party.as_str()
                ),
            ));
        }
        let from = self.status;
        let mut next = self.clone();
        let deadline = tr_date(days_after(now, RESPONSE_DAYS));
        let note = match (&cmd, from) {
            (Command::Submit, Status::Draft) => {
                next.status = Status::Submitted;
                "Başvuru e-İmza ile tamamlanarak Bakanlığa iletildi.".to_owned()
            }
            (Command::StartEvaluation, Status::Submitted) => {
                next.status = Status::UnderEvaluation;
                "Başvuru değerlendirmeye alındı.".to_owned()
            }
            (Command::RequestDocuments { note }, Status::UnderEvaluation) => {
                let note = text("note", note)?;
                next.status = Status::MissingDocuments;
                next.request_note = Some(note.clone());
                format!("Eksik evrak istendi (son yükleme tarihi {deadline}): {note}")
            }
            (Command::RequestUpdate { note }, Status::UnderEvaluation) => {
                let note = text("note", note)?;
                next.status = Status::UpdateRequested;
                next.request_note = Some(note.clone());
                format!("Başvuruda güncelleme istendi (son tarih {deadline}): {note}")
            }
            (Command::SubmitDocuments, Status::MissingDocuments) => {
                self.within_limit(now, "work_permit.deadline_passed", "upload the documents")?;
                next.status = Status::UnderEvaluation;
                next.request_note = None;
                "Eksik evrak yüklendi; başvuru yeniden değerlendirmede.".to_owned()
            }
            (Command::SubmitUpdate, Status::UpdateRequested) => {
                self.within_limit(now, "work_permit.deadline_passed", "make the update")?;
                next.status = Status::UnderEvaluation;
                next.request_note = None;
                "İstenen güncelleme yapıldı; başvuru yeniden değerlendirmede.".to_owned()
            }
            (Command::ApprovePendingFees { fees }, Status::UnderEvaluation) => {
                if fees.permit_fee <= Money::ZERO || fees.card_fee <= Money::ZERO {
                    return Err(DomainError::invalid(
                        "fee.amount_not_positive",
                        "Both fees are more than zero.",
                    ));
                }
                next.status = Status::AwaitingFees;
                next.fees = Some(*fees);
                next.permit_fee_paid_at = None;
                next.card_fee_paid_at = None;
                format!(
                    "Başvuru ilk aşamada onaylandı. Çalışma izni harcı ({}, 9130) ve değerli \
                     kâğıt bedeli ({}, 9267) en geç {deadline} tarihine kadar ödenmelidir.",
                    fees.permit_fee, fees.card_fee
                )
            }
            (Command::RecordPayment { account, amount }, Status::AwaitingFees) => {
                let fees = self
                    .fees
                    .ok_or_else(|| DomainError::internal("awaiting fees without fees"))?;
                let paid_at = match account {
                    FeeAccount::PermitFee => &mut next.permit_fee_paid_at,
                    FeeAccount::CardFee => &mut next.card_fee_paid_at,
                };
                if paid_at.is_some() {
                    return Err(DomainError::conflict(
                        "work_permit.fee_already_paid",
                        format!("The {} has already been paid.", account.as_str()),
                    ));
                }
                self.within_limit(now, "work_permit.deadline_passed", "pay the fees")?;
                check_payment(fees.due(*account), *amount)?;
                *paid_at = Some(now);
                let paid = format!(
                    "{} ödendi ({}, {}).",
                    account.label_tr(),
                    account.account_code(),
                    amount
                );
                if next.permit_fee_paid_at.is_some() && next.card_fee_paid_at.is_some() {
                    next.status = Status::Approved;
                    format!("{paid} Ödemeler tamamlandı; çalışma izni onaylandı.")
                } else {
                    paid
                }
            }
            (Command::Reject { reason }, Status::UnderEvaluation) => {
                let reason = text("reason", reason)?;
                next.status = Status::Rejected;
                next.rejection_reason = Some(reason.clone());
                if self.appeal_used {
                    format!("İtiraz sonucunda başvuru reddedildi: {reason}")
                } else {
                    format!(
                        "Başvuru reddedildi: {reason}. Redde itiraz veya feragat için son tarih \
                         {deadline}."
                    )
                }
            }
            (Command::Appeal { document_sha256 }, Status::Rejected) => {
                if self.appeal_used {
                    return Err(DomainError::invalid(
                        "work_permit.appeal_used",
                        "This rejection follows an appeal; it cannot be appealed again.",
                    ));
                }
                self.within_limit(now, "work_permit.appeal_period_over", "appeal")?;
                let ok = document_sha256.len() == 64
                    && document_sha256
                        .bytes()
                        .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'));
                if !ok {
                    return Err(DomainError::rule(FieldError::new(
                        "document",
                        "work_permit.appeal_document_required",
                        "An appeal needs the uploaded justification document.",
                    )));
                }
                next.status = Status::Appealed;
                next.appeal_used = true;
                "Redde itiraz edildi (gerekçe belgesi yüklendi, e-İmza ile tamamlandı).".to_owned()
            }
            (Command::WaiveAppeal, Status::Rejected) => {
                if self.appeal_used {
                    return Err(DomainError::invalid(
                        "work_permit.appeal_used",
                        "This rejection follows an appeal; there is no appeal left to waive.",
                    ));
                }
                self.within_limit(now, "work_permit.appeal_period_over", "waive the appeal")?;
                next.status = Status::AppealWaived;
                "Redde itirazdan feragat edildi (e-İmza ile).".to_owned()
            }
            (Command::ReviewAppeal, Status::Appealed) => {
                next.status = Status::UnderEvaluation;
                "Redde itiraz değerlendirmeye alındı.".to_owned()
            }
            (Command::Expire, _) => {
                let note = match self.due_action(now) {
                    DueAction::RejectDocumentsNotUploaded => {
                        "İstenen eksik evrak 30 günlük süre içinde yüklenmediği için başvuru \
                         reddedildi."
                    }
                    DueAction::RejectUpdateNotMade => {
                        "İstenen güncelleme 30 günlük süre içinde yapılmadığı için başvuru \
                         reddedildi."
                    }
                    DueAction::RejectFeesNotPaid => {
                        "Harç ve değerli kâğıt bedeli 30 gün içinde ödenmediği için başvuru \
                         reddedildi."
                    }
                    DueAction::Nothing | DueAction::DeleteDraft => {
                        return Err(DomainError::conflict(
                            "work_permit.nothing_due",
                            format!("Nothing expires for a {} application now.", from.as_str()),
                        ))
                    }
                };
                next.status = Status::Rejected;
                next.request_note = None;
                next.rejection_reason = Some(note.to_owned());
                if self.appeal_used {
                    note.to_owned()
                } else {
                    format!("{note} Redde itiraz veya feragat için son tarih {deadline}.")
                }
            }
            (cmd, status) => return Err(wrong_state(cmd, status)),
        };
        if next.status != from {
            next.since = now;
        }
        *self = next;
        Ok(Transition {
            from,
            to: self.status,
            party,
            at: now,
            note,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};
    use time::Duration;

    const T0: OffsetDateTime = datetime!(2026-03-01 10:00 +03:00);

    fn fees() -> FeesDue {
        FeesDue {
            permit_fee: Money::from_kurus(1_302_555),
            card_fee: Money::from_kurus(159_310),
        }
    }

    fn at(status: Status, since: OffsetDateTime) -> Evaluation {
        let mut e = Evaluation::new_draft(since);
        e.status = status;
        if status == Status::AwaitingFees {
            e.fees = Some(fees());
        }
        e
    }

    fn run(e: &mut Evaluation, steps: &[(Party, Command)], now: OffsetDateTime) -> Vec<Status> {
        steps
            .iter()
            .map(|(p, c)| e.apply(*p, c.clone(), now).unwrap().to)
            .collect()
    }

    fn code(r: Result<Transition, DomainError>) -> String {
        r.unwrap_err().code.into_owned()
    }

    const SHA: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    #[test]
    fn the_happy_path_to_approval() {
        let mut e = Evaluation::new_draft(T0);
        let statuses = run(
            &mut e,
            &[
                (Party::Employer, Command::Submit),
                (Party::Evaluator, Command::StartEvaluation),
                (
                    Party::Evaluator,
                    Command::RequestDocuments {
                        note: "Diploma eksik".into(),
                    },
                ),
                (Party::Employer, Command::SubmitDocuments),
                (
                    Party::Evaluator,
                    Command::RequestUpdate {
                        note: "Ücret bilgisini düzeltiniz".into(),
                    },
                ),
                (Party::Employer, Command::SubmitUpdate),
                (
                    Party::Evaluator,
                    Command::ApprovePendingFees { fees: fees() },
                ),
                (
                    Party::System,
                    Command::RecordPayment {
                        account: FeeAccount::CardFee,
                        amount: Money::from_kurus(159_310),
                    },
                ),
                (
                    Party::System,
                    Command::RecordPayment {
                        account: FeeAccount::PermitFee,
                        amount: Money::from_kurus(1_302_555),
                    },
                ),
            ],
            T0,
        );
        assert_eq!(
            statuses,
            [
                Status::Submitted,
                Status::UnderEvaluation,
                Status::MissingDocuments,
                Status::UnderEvaluation,
                Status::UpdateRequested,
                Status::UnderEvaluation,
                Status::AwaitingFees,
                Status::AwaitingFees,
                Status::Approved,
            ]
        );
        assert!(e.is_final(T0));
        assert_eq!(e.deadline(), None);
    }

    #[test]
    fn notes_are_turkish_and_name_the_deadline() {
        let mut e = at(Status::UnderEvaluation, T0);
        let t = e
            .apply(
                Party::Evaluator,
                Command::RequestDocuments {
                    note: "Diploma eksik".into(),
                },
                T0,
            )
            .unwrap();
        assert_eq!(
            t.note,
            "Eksik evrak istendi (son yükleme tarihi 31.03.2026): Diploma eksik"
        );
        assert_eq!(t.from, Status::UnderEvaluation);
        assert_eq!(t.party, Party::Evaluator);
        assert_eq!(e.deadline(), Some(date!(2026 - 03 - 31)));
        let mut e = at(Status::UnderEvaluation, T0);
        let t = e
            .apply(
                Party::Evaluator,
                Command::ApprovePendingFees { fees: fees() },
                T0,
            )
            .unwrap();
        assert!(t.note.contains("13025.55 TL, 9130"), "{}", t.note);
        assert!(t.note.contains("1593.10 TL, 9267"), "{}", t.note);
        assert!(t.note.contains("31.03.2026"), "{}", t.note);
    }

    #[test]
    fn each_command_belongs_to_one_party() {
        let mut e = at(Status::Submitted, T0);
        let err = e
            .apply(Party::Employer, Command::StartEvaluation, T0)
            .unwrap_err();
        assert_eq!(err.code, "work_permit.not_allowed");
        assert_eq!(err.kind, kapi_core::ErrorKind::Forbidden);
        let mut d = Evaluation::new_draft(T0);
        assert_eq!(
            code(d.apply(Party::Evaluator, Command::Submit, T0)),
            "work_permit.not_allowed"
        );
        let mut f = at(Status::AwaitingFees, T0);
        let pay = Command::RecordPayment {
            account: FeeAccount::CardFee,
            amount: Money::from_kurus(159_310),
        };
        assert_eq!(
            code(f.apply(Party::Employer, pay, T0)),
            "work_permit.not_allowed"
        );
        assert_eq!(
            code(f.apply(Party::Evaluator, Command::Expire, T0)),
            "work_permit.not_allowed"
        );
        assert_eq!(f.status, Status::AwaitingFees);
    }

    #[test]
    fn party_of_an_actor() {
        let staff = Actor::MinistryStaff {
            account_id: kapi_core::StaffAccountId::new(),
        };
        assert_eq!(Party::of(&staff), Some(Party::Evaluator));
        let citizen = Actor::Citizen {
            tckn: kapi_core::Tckn::parse("10000000146").unwrap(),
        };
        assert_eq!(Party::of(&citizen), None);
    }

    #[test]
    fn commands_out_of_state_are_conflicts_and_change_nothing() {
        let mut e = at(Status::UnderEvaluation, T0);
        let before = e.clone();
        let err = e
            .apply(Party::Employer, Command::SubmitDocuments, T0)
            .unwrap_err();
        assert_eq!(err.code, "work_permit.invalid_transition");
        assert_eq!(err.kind, kapi_core::ErrorKind::Conflict);
        assert_eq!(e, before);
        let mut a = at(Status::Approved, T0);
        assert_eq!(
            code(a.apply(
                Party::Evaluator,
                Command::Reject {
                    reason: "Geç".into()
                },
                T0
            )),
            "work_permit.invalid_transition"
        );
        let mut d = Evaluation::new_draft(T0);
        assert_eq!(
            code(d.apply(Party::Employer, Command::WaiveAppeal, T0)),
            "work_permit.invalid_transition"
        );
    }

    #[test]
    fn the_employer_answers_within_thirty_days() {
        let last = datetime!(2026-03-31 23:59:59 +03:00);
        let late = datetime!(2026-04-01 00:00 +03:00);
        for (status, cmd) in [
            (Status::MissingDocuments, Command::SubmitDocuments),
            (Status::UpdateRequested, Command::SubmitUpdate),
        ] {
            let mut ok = at(status, T0);
            assert_eq!(
                ok.apply(Party::Employer, cmd.clone(), last).unwrap().to,
                Status::UnderEvaluation
            );
            assert_eq!(ok.since, last);
            let mut e = at(status, T0);
            assert_eq!(
                code(e.apply(Party::Employer, cmd, late)),
                "work_permit.deadline_passed"
            );
            assert_eq!(e.status, status);
        }
    }

    #[test]
    fn fees_exactly_and_in_time() {
        let pay = |account, kurus| Command::RecordPayment {
            account,
            amount: Money::from_kurus(kurus),
        };
        let mut e = at(Status::AwaitingFees, T0);
        assert_eq!(
            code(e.apply(Party::System, pay(FeeAccount::PermitFee, 1_302_554), T0)),
            "fee.amount_mismatch"
        );
        assert_eq!(
            code(e.apply(Party::System, pay(FeeAccount::PermitFee, 1_302_556), T0)),
            "fee.amount_mismatch"
        );
        // The card fee's amount paid to the permit account is not the permit fee.
        assert_eq!(
            code(e.apply(Party::System, pay(FeeAccount::PermitFee, 159_310), T0)),
            "fee.amount_mismatch"
        );
        let t = e
            .apply(Party::System, pay(FeeAccount::PermitFee, 1_302_555), T0)
            .unwrap();
        assert_eq!((t.from, t.to), (Status::AwaitingFees, Status::AwaitingFees));
        assert_eq!(e.since, T0, "a first payment does not move the deadline");
        assert_eq!(
            code(e.apply(Party::System, pay(FeeAccount::PermitFee, 1_302_555), T0)),
            "work_permit.fee_already_paid"
        );
        let late = datetime!(2026-04-01 00:00 +03:00);
        assert_eq!(
            code(e.apply(Party::System, pay(FeeAccount::CardFee, 159_310), late)),
            "work_permit.deadline_passed"
        );
        let last = datetime!(2026-03-31 23:59:59 +03:00);
        let t = e
            .apply(Party::System, pay(FeeAccount::CardFee, 159_310), last)
            .unwrap();
        assert_eq!(t.to, Status::Approved);
        assert!(t
            .note
            .ends_with("Ödemeler tamamlandı; çalışma izni onaylandı."));
    }

    #[test]
    fn the_scheduled_job_rejects_what_expired() {
        let last = datetime!(2026-03-31 23:59:59 +03:00);
        let late = datetime!(2026-04-01 00:00 +03:00);
        for (status, action) in [
            (
                Status::MissingDocuments,
                DueAction::RejectDocumentsNotUploaded,
            ),
            (Status::UpdateRequested, DueAction::RejectUpdateNotMade),
            (Status::AwaitingFees, DueAction::RejectFeesNotPaid),
        ] {
            assert_eq!(due_action(status, T0, last), DueAction::Nothing);
            assert_eq!(due_action(status, T0, late), action);
            let mut e = at(status, T0);
            assert_eq!(
                code(e.apply(Party::System, Command::Expire, last)),
                "work_permit.nothing_due"
            );
            let t = e.apply(Party::System, Command::Expire, late).unwrap();
            assert_eq!(t.to, Status::Rejected);
            assert!(t.note.contains("30"), "{}", t.note);
            assert_eq!(e.since, late);
            // Idempotent: once rejected, nothing more is due.
            assert_eq!(e.due_action(late + Duration::days(400)), DueAction::Nothing);
        }
        for status in [
            Status::Submitted,
            Status::UnderEvaluation,
            Status::Approved,
            Status::Rejected,
            Status::Appealed,
            Status::AppealWaived,
        ] {
            assert_eq!(
                due_action(status, T0, late + Duration::days(400)),
                DueAction::Nothing
            );
        }
    }

    #[test]
    fn the_scheduled_job_deletes_drafts_after_a_month() {
        let saved = datetime!(2026-01-31 12:00 +03:00);
        assert_eq!(
            due_action(Status::Draft, saved, datetime!(2026-02-28 23:59:59 +03:00)),
            DueAction::Nothing
        );
        assert_eq!(
            due_action(Status::Draft, saved, datetime!(2026-03-01 00:00 +03:00)),
            DueAction::DeleteDraft
        );
        let mut d = Evaluation::new_draft(saved);
        assert_eq!(d.deadline(), Some(date!(2026 - 02 - 28)));
        d.touch(datetime!(2026-02-20 09:00 +03:00)).unwrap();
        assert_eq!(d.deadline(), Some(date!(2026 - 03 - 20)));
        assert_eq!(
            d.due_action(datetime!(2026-03-01 00:00 +03:00)),
            DueAction::Nothing
        );
        assert_eq!(
            code(d.apply(
                Party::System,
                Command::Expire,
                datetime!(2026-06-01 00:00 +03:00)
            )),
            "work_permit.nothing_due"
        );
        let mut s = at(Status::Submitted, saved);
        assert_eq!(s.touch(saved).unwrap_err().code, "work_permit.not_a_draft");
    }

    #[test]
    fn appeal_within_thirty_days_once() {
        let rejected_at = T0;
        let last = datetime!(2026-03-31 23:59:59 +03:00);
        let late = datetime!(2026-04-01 00:00 +03:00);
        let appeal = || Command::Appeal {
            document_sha256: SHA.into(),
        };
        let mut e = at(Status::Rejected, rejected_at);
        assert_eq!(e.deadline(), Some(date!(2026 - 03 - 31)));
        assert!(!e.is_final(last));
        assert!(e.is_final(late));
        assert_eq!(
            code(e.apply(Party::Employer, appeal(), late)),
            "work_permit.appeal_period_over"
        );
        assert_eq!(
            code(e.apply(Party::Employer, Command::WaiveAppeal, late)),
            "work_permit.appeal_period_over"
        );
        assert_eq!(
            code(e.apply(
                Party::Employer,
                Command::Appeal {
                    document_sha256: "".into()
                },
                last
            )),
            "work_permit.appeal_document_required"
        );
        assert_eq!(
            e.apply(Party::Employer, appeal(), last).unwrap().to,
            Status::Appealed
        );
        assert!(e.appeal_used);
        let statuses = run(
            &mut e,
            &[
                (Party::Evaluator, Command::ReviewAppeal),
                (
                    Party::Evaluator,
                    Command::Reject {
                        reason: "Gerekçe yerinde görülmedi".into(),
                    },
                ),
            ],
            last,
        );
        assert_eq!(statuses, [Status::UnderEvaluation, Status::Rejected]);
        assert_eq!(e.deadline(), None);
        assert!(e.is_final(last));
        assert_eq!(
            code(e.apply(Party::Employer, appeal(), last)),
            "work_permit.appeal_used"
        );
        assert_eq!(
            code(e.apply(Party::Employer, Command::WaiveAppeal, last)),
            "work_permit.appeal_used"
        );
    }

    #[test]
    fn an_appeal_can_end_in_approval() {
        let mut e = at(Status::Rejected, T0);
        let statuses = run(
            &mut e,
            &[
                (
                    Party::Employer,
                    Command::Appeal {
                        document_sha256: SHA.into(),
                    },
                ),
                (Party::Evaluator, Command::ReviewAppeal),
                (
                    Party::Evaluator,
                    Command::ApprovePendingFees { fees: fees() },
                ),
            ],
            T0,
        );
        assert_eq!(statuses.last(), Some(&Status::AwaitingFees));
        // Fees unpaid after an appeal: rejected, and final (the appeal was used).
        let t = e
            .apply(
                Party::System,
                Command::Expire,
                datetime!(2026-04-01 00:00 +03:00),
            )
            .unwrap();
        assert_eq!(t.to, Status::Rejected);
        assert!(!t.note.contains("itiraz"), "{}", t.note);
        assert!(e.is_final(datetime!(2026-04-01 00:00 +03:00)));
    }

    #[test]
    fn waiving_the_appeal_is_final() {
        let mut e = at(Status::Rejected, T0);
        let t = e.apply(Party::Employer, Command::WaiveAppeal, T0).unwrap();
        assert_eq!(t.note, "Redde itirazdan feragat edildi (e-İmza ile).");
        assert!(e.is_final(T0));
        assert_eq!(
            code(e.apply(
                Party::Employer,
                Command::Appeal {
                    document_sha256: SHA.into()
                },
                T0
            )),
            "work_permit.invalid_transition"
        );
    }

    #[test]
    fn a_rejection_needs_a_reason() {
        let mut e = at(Status::UnderEvaluation, T0);
        assert_eq!(
            code(e.apply(
                Party::Evaluator,
                Command::Reject {
                    reason: "  ".into()
                },
                T0
            )),
            "validation.failed"
        );
        let t = e
            .apply(
                Party::Evaluator,
                Command::Reject {
                    reason: "Kontenjan dışı".into(),
                },
                T0,
            )
            .unwrap();
        assert!(t.note.starts_with("Başvuru reddedildi: Kontenjan dışı."));
        assert!(t.note.contains("31.03.2026"));
    }

    #[test]
    fn every_status_is_in_exactly_one_employer_list() {
        assert_eq!(
            employer_list(Status::MissingDocuments),
            EmployerList::AwaitingDocuments
        );
        assert_eq!(
            employer_list(Status::UpdateRequested),
            EmployerList::AwaitingUpdate
        );
        assert_eq!(
            employer_list(Status::AwaitingFees),
            EmployerList::AwaitingFees
        );
        assert_eq!(employer_list(Status::Approved), EmployerList::Approved);
        assert_eq!(employer_list(Status::AppealWaived), EmployerList::Rejected);
        assert_eq!(employer_list(Status::Appealed), EmployerList::InEvaluation);
        let total: usize = EmployerList::ALL.iter().map(|l| l.statuses().len()).sum();
        assert_eq!(total, Status::ALL.len());
        assert_eq!(
            EmployerList::Rejected.statuses(),
            [Status::Rejected, Status::AppealWaived]
        );
        assert!(EmployerList::AwaitingFees.is_in_evaluation());
        assert!(!EmployerList::Approved.is_in_evaluation());
        assert_eq!(
            EmployerList::AwaitingFees.label_tr(),
            "Harç Ödemesi Bekleyen Başvurular"
        );
    }
}
