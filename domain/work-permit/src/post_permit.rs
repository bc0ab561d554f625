//! After the permit (İzin Sonrası İşlemler) — DOMAIN.md §7, seed 002, seed 003 §6.2, §7.
//!
//! - **Card shipment** (Kart Kargo Takip): the card is printed, handed to PTT cargo with a
//!   tracking number, delivered to the workplace address — in that order.
//! - **Start of work** (İşe Başlama Bildirimi): the employer uploads the SGK işe giriş
//!   bildirgesi of the foreigner it started employing.
//! - **Lost card** (Kayıp Kart Talebi): half the permit fee plus the whole card fee at the
//!   current amounts ([`crate::fees::FeeSchedule::lost_card_fees`]); a payment reference is
//!   generated; the fee is paid within 30 days and the employer then notifies the payment.
//! - **Termination** (İzin Sonlandırma Talebi): "çalışma izninin ileri tarihli olarak
//!   sonlandırılması talep edilemez" and "sona ermesini veya iptalini gerektirecek hâllerin …
//!   on beş gün içinde Bakanlığa bildirilmesi zorunludur".
//!
//! Choices written down here because the manuals are silent:
//! - the termination date is the date of the event that ends the work (resignation,
//!   dismissal, departure…); the request is filed until that date + 15 days (Istanbul, the
//!   event day not counted), it lies within the permit's period, and "Diğer" needs a written
//!   explanation;
//! - a start of work is notified once per permit, for a date inside the permit's period and
//!   not in the future; the SGK notice is a PDF ([`crate::documents::check_pdf`]);
//! - a lost card can be requested only while the permit is in force; a request whose 30 days
//!   passed unpaid expires and a new one (with a new reference) can be made; the notified
//!   payment must be exactly the amounts due, per account;
//! - a PTT cargo tracking number is 10 to 20 Latin letters or digits (upper-cased).

use crate::calendar::{days_after, plus_days, within_days, THIRTY_DAYS};
use crate::duration::PermitPeriod;
use crate::evaluation::tr_date;
use crate::fees::{check_payment, FeeAccount, FeeSchedule, FeesDue};
use crate::refuse;
use kapi_core::{clean_text, istanbul_date_of, DomainError, FieldError, Money};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// Days after the event within which a termination must be notified.
pub const TERMINATION_NOTICE_DAYS: i64 = 15;
/// Days to pay a lost-card fee after the reference is generated.
pub const LOST_CARD_PAYMENT_DAYS: i64 = THIRTY_DAYS;

code_list! {
    /// Why a permit is terminated before its end (sonlandırma gerekçesi).
    TerminationReason {
        Resignation => "resignation", "İstifa";
        DismissalByEmployer => "dismissal_by_employer", "İşveren Tarafından Fesih";
        MutualAgreement => "mutual_agreement", "Karşılıklı Anlaşma (İkale)";
        ContractEnded => "contract_ended", "Belirli Süreli İş Sözleşmesinin Sona Ermesi";
        ChangeOfEmployer => "change_of_employer", "Başka Bir İşverene Geçiş";
        LeftTurkiye => "left_turkiye", "Yabancının Türkiye'den Kesin Çıkışı";
        CareEnded => "care_ended", "Bakım veya Refakat İhtiyacının Sona Ermesi";
        WorkplaceClosed => "workplace_closed", "İşyerinin Kapanması";
        Death => "death", "Yabancının Vefatı";
        Other => "other", "Diğer";
    }
}

/// A termination request as the employer sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerminationInput {
    pub termination_date: Date,
    /// A [`TerminationReason`] code.
    pub reason: String,
    /// Required for `other`.
    pub explanation: Option<String>,
}

/// A validated termination request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TerminationRequest {
    pub termination_date: Date,
    pub reason: TerminationReason,
    pub explanation: Option<String>,
    pub filed_at: OffsetDateTime,
}

impl TerminationRequest {
    /// The history note.
    pub fn note(&self) -> String {
        let mut s = format!(
            "Çalışma izni {} tarihi itibarıyla sonlandırma talebi iletildi. Gerekçe: {}",
            tr_date(self.termination_date),
            self.reason.label_tr()
        );
        if let Some(x) = &self.explanation {
            s.push_str(" — ");
            s.push_str(x);
        }
        s.push('.');
        s
    }
}

/// The last Istanbul day a termination on `termination_date` may be notified.
pub fn termination_notice_until(termination_date: Date) -> Date {
    plus_days(termination_date, TERMINATION_NOTICE_DAYS)
}

impl TerminationInput {
    /// Checks the request against the permit being terminated, naming every broken rule.
    pub fn validate(
        self,
        permit: &PermitPeriod,
        now: OffsetDateTime,
    ) -> Result<TerminationRequest, DomainError> {
        let mut e = Vec::new();
        let today = istanbul_date_of(now);
        let date = self.termination_date;
        if date > today {
            e.push(FieldError::new(
                "termination_date",
                "work_permit.termination_in_future",
                "A permit cannot be terminated with a future date.",
            ));
        } else if today > termination_notice_until(date) {
            e.push(FieldError::new(
                "termination_date",
                "work_permit.termination_late",
                format!(
                    "A termination is notified within 15 days of the event: until {}.",
                    termination_notice_until(date)
                ),
            ));
        }
        if !permit.covers(date) {
            e.push(FieldError::new(
                "termination_date",
                "work_permit.termination_outside_permit",
                format!(
                    "The termination date lies within the permit, {} – {}.",
                    permit.start(),
                    permit.end()
                ),
            ));
        }
        let reason = TerminationReason::parse(&self.reason);
        if reason.is_none() {
            let all: Vec<&str> = TerminationReason::ALL.iter().map(|r| r.as_str()).collect();
            e.push(FieldError::new(
                "reason",
                "work_permit.unknown_code",
                format!("One of {}.", all.join(", ")),
            ));
        }
        let blank = self
            .explanation
            .as_deref()
            .is_none_or(|x| x.trim().is_empty());
        let explanation = match self.explanation.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(raw) => match clean_text("explanation", raw, 3, 1000) {
                Ok(x) => Some(x),
                Err(err) => {
                    e.push(err);
                    None
                }
            },
        };
        if reason == Some(TerminationReason::Other) && blank {
            e.push(FieldError::new(
                "explanation",
                "work_permit.explanation_required",
                "Explain the reason when it is \"Diğer\".",
            ));
        }
        refuse(e)?;
        match reason {
            Some(reason) => Ok(TerminationRequest {
                termination_date: date,
                reason,
                explanation,
                filed_at: now,
            }),
            None => Err(DomainError::internal(
                "termination validation lost the reason",
            )),
        }
    }
}

/// A start-of-work notification (İşe Başlama Bildirimi).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StartOfWork {
    pub started_on: Date,
    /// SHA-256 of the uploaded SGK işe giriş bildirgesi (a PDF in the blob store).
    pub document_sha256: String,
    pub notified_at: OffsetDateTime,
}

impl StartOfWork {
    pub fn note(&self) -> String {
        format!(
            "İşe başlama bildirimi yapıldı: yabancı {} tarihinde işe başladı.",
            tr_date(self.started_on)
        )
    }
}

/// Notifies that the foreigner started work on `started_on`: once per permit
/// (`work_permit.start_already_notified`, 409), inside the permit
/// (`work_permit.start_outside_permit`) and not in the future (`work_permit.start_in_future`).
pub fn notify_start_of_work(
    permit: &PermitPeriod,
    already_notified: bool,
    started_on: Date,
    document_sha256: String,
    now: OffsetDateTime,
) -> Result<StartOfWork, DomainError> {
    if already_notified {
        return Err(DomainError::conflict(
            "work_permit.start_already_notified",
            "The start of work has already been notified for this permit.",
        ));
    }
    let mut e = Vec::new();
    if started_on > istanbul_date_of(now) {
        e.push(FieldError::new(
            "started_on",
            "work_permit.start_in_future",
            "Notify the start of work once the foreigner has started.",
        ));
    }
    if !permit.covers(started_on) {
        e.push(FieldError::new(
            "started_on",
            "work_permit.start_outside_permit",
            format!(
                "The start of work lies within the permit, {} – {}.",
                permit.start(),
                permit.end()
            ),
        ));
    }
    refuse(e)?;
    Ok(StartOfWork {
        started_on,
        document_sha256,
        notified_at: now,
    })
}

/// A payment transaction reference (İşlem Referans Numarası) the revenue administration's
/// payment screen asks for: 8 to 32 Latin letters or digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PaymentReference(String);

impl PaymentReference {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim().to_ascii_uppercase();
        if !(8..=32).contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(FieldError::new(
                "payment_reference",
                "work_permit.payment_reference_format",
                "A payment reference is 8 to 32 Latin letters or digits.",
            ));
        }
        Ok(Self(s))
    }
}
string_newtype!(PaymentReference);

/// Where payment references come from (a port: GİB's in production, a sequence locally).
pub trait PaymentReferences {
    fn next_reference(&mut self, now: OffsetDateTime) -> Result<PaymentReference, DomainError>;
}

code_list! {
    /// Where a lost-card request stands.
    LostCardStatus {
        AwaitingPayment => "awaiting_payment", "Ödeme Bekleniyor";
        PaymentNotified => "payment_notified", "Ödeme Bildirildi";
        Expired => "expired", "Ödeme Süresi Doldu";
    }
}

/// A lost / stolen / damaged card request (Kayıp Kart Talebi).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LostCardRequest {
    pub fees: FeesDue,
    pub reference: PaymentReference,
    pub requested_at: OffsetDateTime,
    pub status: LostCardStatus,
    pub payment_notified_at: Option<OffsetDateTime>,
}

/// Opens a lost-card request for a permit of `permit`, while it is in force
/// (`work_permit.permit_not_in_force`), at the amounts in force today.
pub fn request_lost_card(
    schedule: &FeeSchedule,
    permit: &PermitPeriod,
    reference: PaymentReference,
    now: OffsetDateTime,
) -> Result<(LostCardRequest, String), DomainError> {
    let today = istanbul_date_of(now);
    if !permit.covers(today) {
        return Err(DomainError::invalid(
            "work_permit.permit_not_in_force",
            "A new card can be requested only for a permit in force.",
        ));
    }
    let fees = schedule.lost_card_fees(today, permit.months())?;
    let req = LostCardRequest {
        fees,
        reference,
        requested_at: now,
        status: LostCardStatus::AwaitingPayment,
        payment_notified_at: None,
    };
    let note = format!(
        "Kayıp kart talebi oluşturuldu. Ödeme referans numarası {}; harç payı {} ve değerli \
         kâğıt bedeli {} en geç {} tarihine kadar ödenmelidir.",
        req.reference,
        fees.permit_fee,
        fees.card_fee,
        tr_date(req.pay_until())
    );
    Ok((req, note))
}

impl LostCardRequest {
    /// The last Istanbul day the fee can be paid.
    pub fn pay_until(&self) -> Date {
        days_after(self.requested_at, LOST_CARD_PAYMENT_DAYS)
    }

    /// Whether the scheduled job should mark it expired at `now`.
    pub fn is_overdue(&self, now: OffsetDateTime) -> bool {
        self.status == LostCardStatus::AwaitingPayment
            && !within_days(self.requested_at, LOST_CARD_PAYMENT_DAYS, now)
    }

    /// The scheduled job: an unpaid request past its 30 days expires.
    pub fn expire(&mut self, now: OffsetDateTime) -> Result<String, DomainError> {
        if !self.is_overdue(now) {
            return Err(DomainError::conflict(
                "work_permit.nothing_due",
                "This lost-card request has not expired.",
            ));
        }
        self.status = LostCardStatus::Expired;
        Ok("Kayıp kart ücreti 30 gün içinde ödenmediği için talebin süresi doldu.".to_owned())
    }

    /// "Ödeme Bildirimi Yap": the employer notifies the amounts paid to each account, within
    /// the 30 days, each exactly as due.
    pub fn notify_payment(
        &mut self,
        permit_fee_paid: Money,
        card_fee_paid: Money,
        now: OffsetDateTime,
    ) -> Result<String, DomainError> {
        if self.status != LostCardStatus::AwaitingPayment {
            return Err(DomainError::conflict(
                "work_permit.invalid_transition",
                format!("The lost-card request is {}.", self.status.as_str()),
            ));
        }
        if !within_days(self.requested_at, LOST_CARD_PAYMENT_DAYS, now) {
            return Err(DomainError::invalid(
                "work_permit.deadline_passed",
                format!("The 30 days to pay ended on {}.", self.pay_until()),
            ));
        }
        let mut e = Vec::new();
        for (account, paid) in [
            (FeeAccount::PermitFee, permit_fee_paid),
            (FeeAccount::CardFee, card_fee_paid),
        ] {
            if let Err(err) = check_payment(self.fees.due(account), paid) {
                e.extend(err.fields.into_iter().map(|f| f.at(account.as_str())));
            }
        }
        refuse(e)?;
        self.status = LostCardStatus::PaymentNotified;
        self.payment_notified_at = Some(now);
        Ok("Kayıp kart ücretinin ödendiği bildirildi; kart yeniden basılacak.".to_owned())
    }
}

/// A PTT cargo tracking number (gönderi barkodu): 10 to 20 Latin letters or digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CargoTrackingNo(String);

impl CargoTrackingNo {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim().to_ascii_uppercase();
        if !(10..=20).contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(FieldError::new(
                "tracking_no",
                "work_permit.tracking_no_format",
                "A cargo tracking number is 10 to 20 Latin letters or digits.",
            ));
        }
        Ok(Self(s))
    }
}
string_newtype!(CargoTrackingNo);

code_list! {
    /// Where the permit card is (Kart Kargo Takip).
    ShipmentStatus {
        Printed => "printed", "Kart Basıldı";
        Shipped => "shipped", "Kargoya Verildi";
        Delivered => "delivered", "Teslim Edildi";
    }
}

/// The permit card's journey to the workplace address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardShipment {
    pub status: ShipmentStatus,
    pub printed_at: OffsetDateTime,
    pub tracking_no: Option<CargoTrackingNo>,
    pub shipped_at: Option<OffsetDateTime>,
    pub delivered_at: Option<OffsetDateTime>,
}

impl CardShipment {
    /// The card was printed (after approval, or after a lost-card payment).
    pub fn printed(now: OffsetDateTime) -> (Self, String) {
        (
            Self {
                status: ShipmentStatus::Printed,
                printed_at: now,
                tracking_no: None,
                shipped_at: None,
                delivered_at: None,
            },
            "Çalışma izni belgesi basıldı.".to_owned(),
        )
    }

    /// Handed to PTT cargo.
    pub fn ship(
        &mut self,
        tracking_no: CargoTrackingNo,
        now: OffsetDateTime,
    ) -> Result<String, DomainError> {
        if self.status != ShipmentStatus::Printed {
            return Err(shipment_order(self.status, "ship"));
        }
        let note = format!("Çalışma izni belgesi PTT Kargo'ya verildi (gönderi no {tracking_no}).");
        self.status = ShipmentStatus::Shipped;
        self.tracking_no = Some(tracking_no);
        self.shipped_at = Some(now);
        Ok(note)
    }

    /// Delivered to the workplace address.
    pub fn deliver(&mut self, now: OffsetDateTime) -> Result<String, DomainError> {
        if self.status != ShipmentStatus::Shipped {
            return Err(shipment_order(self.status, "deliver"));
        }
        self.status = ShipmentStatus::Delivered;
        self.delivered_at = Some(now);
        Ok("Çalışma izni belgesi teslim edildi.".to_owned())
    }
}

fn shipment_order(status: ShipmentStatus, what: &str) -> DomainError {
    DomainError::conflict(
        "work_permit.shipment_order",
        format!("Cannot {what} a card that is {}.", status.as_str()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fees::demo_schedule;
    use time::macros::{date, datetime};

    fn permit() -> PermitPeriod {
        PermitPeriod::from_stored(date!(2026 - 01 - 01), date!(2026 - 12 - 31)).unwrap()
    }

    fn termination(d: Date, reason: &str) -> TerminationInput {
        TerminationInput {
            termination_date: d,
            reason: reason.into(),
            explanation: None,
        }
    }

    fn code<T: std::fmt::Debug>(r: Result<T, DomainError>) -> String {
        r.unwrap_err().code.into_owned()
    }

    #[test]
    fn termination_code_list() {
        assert_eq!(
            TerminationReason::parse("resignation"),
            Some(TerminationReason::Resignation)
        );
        assert_eq!(TerminationReason::Other.label_tr(), "Diğer");
        assert!(TerminationReason::ALL.len() >= 8);
    }

    #[test]
    fn termination_within_fifteen_days_of_the_event() {
        let event = date!(2026 - 06 - 10);
        assert_eq!(termination_notice_until(event), date!(2026 - 06 - 25));
        let ok = termination(event, "resignation")
            .validate(&permit(), datetime!(2026-06-25 23:59:59 +03:00))
            .unwrap();
        assert_eq!(ok.reason, TerminationReason::Resignation);
        assert_eq!(
            ok.note(),
            "Çalışma izni 10.06.2026 tarihi itibarıyla sonlandırma talebi iletildi. Gerekçe: İstifa."
        );
        assert_eq!(
            code(
                termination(event, "resignation")
                    .validate(&permit(), datetime!(2026-06-26 00:00 +03:00))
            ),
            "work_permit.termination_late"
        );
    }

    #[test]
    fn termination_not_in_the_future() {
        let now = datetime!(2026-06-10 23:59 +03:00);
        assert!(termination(date!(2026 - 06 - 10), "death")
            .validate(&permit(), now)
            .is_ok());
        assert_eq!(
            code(termination(date!(2026 - 06 - 11), "death").validate(&permit(), now)),
            "work_permit.termination_in_future"
        );
    }

    #[test]
    fn termination_inside_the_permit_with_a_known_reason() {
        let now = datetime!(2027-01-05 10:00 +03:00);
        assert!(termination(date!(2026 - 12 - 31), "left_turkiye")
            .validate(&permit(), now)
            .is_ok());
        assert_eq!(
            code(termination(date!(2027 - 01 - 01), "left_turkiye").validate(&permit(), now)),
            "work_permit.termination_outside_permit"
        );
        let err = termination(date!(2027 - 01 - 01), "bored")
            .validate(&permit(), now)
            .unwrap_err();
        let got: Vec<(&str, &str)> = err
            .fields
            .iter()
            .map(|f| (f.field.as_str(), f.code.as_ref()))
            .collect();
        assert_eq!(
            got,
            [
                ("termination_date", "work_permit.termination_outside_permit"),
                ("reason", "work_permit.unknown_code")
            ]
        );
    }

    #[test]
    fn other_needs_an_explanation() {
        let now = datetime!(2026-06-12 10:00 +03:00);
        assert_eq!(
            code(termination(date!(2026 - 06 - 10), "other").validate(&permit(), now)),
            "work_permit.explanation_required"
        );
        let mut t = termination(date!(2026 - 06 - 10), "other");
        t.explanation = Some("   ".into());
        assert_eq!(
            code(t.clone().validate(&permit(), now)),
            "work_permit.explanation_required"
        );
        t.explanation = Some("Yabancı  askerlik için ülkesine döndü".into());
        let r = t.validate(&permit(), now).unwrap();
        assert_eq!(
            r.explanation.as_deref(),
            Some("Yabancı askerlik için ülkesine döndü")
        );
        assert!(r
            .note()
            .ends_with("Diğer — Yabancı askerlik için ülkesine döndü."));
    }

    #[test]
    fn start_of_work_once_inside_the_permit() {
        let now = datetime!(2026-02-01 10:00 +03:00);
        let s = notify_start_of_work(&permit(), false, date!(2026 - 01 - 15), "ab".into(), now)
            .unwrap();
        assert_eq!(
            s.note(),
            "İşe başlama bildirimi yapıldı: yabancı 15.01.2026 tarihinde işe başladı."
        );
        assert!(
            notify_start_of_work(&permit(), false, date!(2026 - 02 - 01), "ab".into(), now).is_ok()
        );
        assert_eq!(
            code(notify_start_of_work(
                &permit(),
                false,
                date!(2026 - 02 - 02),
                "ab".into(),
                now
            )),
            "work_permit.start_in_future"
        );
        assert_eq!(
            code(notify_start_of_work(
                &permit(),
                false,
                date!(2025 - 12 - 31),
                "ab".into(),
                now
            )),
            "work_permit.start_outside_permit"
        );
        assert_eq!(
            code(notify_start_of_work(
                &permit(),
                true,
                date!(2026 - 01 - 15),
                "ab".into(),
                now
            )),
            "work_permit.start_already_notified"
        );
    }

    struct Sequence(u32);
    impl PaymentReferences for Sequence {
        fn next_reference(
            &mut self,
            _now: OffsetDateTime,
        ) -> Result<PaymentReference, DomainError> {
            self.0 += 1;
            PaymentReference::parse(&format!("KK2026{:08}", self.0)).map_err(DomainError::field)
        }
    }

    #[test]
    fn lost_card_fee_reference_and_thirty_days() {
        let schedule = demo_schedule().unwrap();
        let now = datetime!(2026-03-01 10:00 +03:00);
        let reference = Sequence(0).next_reference(now).unwrap();
        assert_eq!(reference.as_str(), "KK202600000001");
        let (mut req, note) = request_lost_card(&schedule, &permit(), reference, now).unwrap();
        // Half of 13025.55 TL rounded up to the kuruş, plus the whole card fee.
        assert_eq!(req.fees.permit_fee, Money::from_kurus(651_278));
        assert_eq!(req.fees.card_fee, Money::from_kurus(159_310));
        assert_eq!(req.pay_until(), date!(2026 - 03 - 31));
        assert!(
            note.contains("KK202600000001") && note.contains("31.03.2026"),
            "{note}"
        );
        let err = req
            .notify_payment(Money::from_kurus(651_277), Money::from_kurus(159_311), now)
            .unwrap_err();
        let fields: Vec<&str> = err.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["permit_fee", "card_fee"]);
        assert!(err.fields.iter().all(|f| f.code == "fee.amount_mismatch"));
        assert_eq!(
            code(req.clone().notify_payment(
                Money::from_kurus(651_278),
                Money::from_kurus(159_310),
                datetime!(2026-04-01 00:00 +03:00)
            )),
            "work_permit.deadline_passed"
        );
        req.notify_payment(
            Money::from_kurus(651_278),
            Money::from_kurus(159_310),
            datetime!(2026-03-31 23:59:59 +03:00),
        )
        .unwrap();
        assert_eq!(req.status, LostCardStatus::PaymentNotified);
        assert_eq!(
            code(req.notify_payment(Money::from_kurus(651_278), Money::from_kurus(159_310), now)),
            "work_permit.invalid_transition"
        );
    }

    #[test]
    fn an_unpaid_lost_card_request_expires() {
        let schedule = demo_schedule().unwrap();
        let now = datetime!(2026-03-01 10:00 +03:00);
        let reference = PaymentReference::parse("kk20260000000009").unwrap();
        let (mut req, _) = request_lost_card(&schedule, &permit(), reference, now).unwrap();
        assert!(!req.is_overdue(datetime!(2026-03-31 23:59:59 +03:00)));
        assert_eq!(
            code(req.expire(datetime!(2026-03-31 23:59:59 +03:00))),
            "work_permit.nothing_due"
        );
        req.expire(datetime!(2026-04-01 00:00 +03:00)).unwrap();
        assert_eq!(req.status, LostCardStatus::Expired);
        assert!(!req.is_overdue(datetime!(2026-05-01 00:00 +03:00)));
    }

    #[test]
    fn lost_card_only_for_a_permit_in_force() {
        let schedule = demo_schedule().unwrap();
        let reference = PaymentReference::parse("KK20260000000010").unwrap();
        assert_eq!(
            code(request_lost_card(
                &schedule,
                &permit(),
                reference,
                datetime!(2027-01-01 00:00 +03:00)
            )),
            "work_permit.permit_not_in_force"
        );
        assert!(PaymentReference::parse("SHORT").is_err());
        assert!(PaymentReference::parse("KK-2026-0001").is_err());
    }

    #[test]
    fn the_card_is_printed_shipped_and_delivered_in_order() {
        let now = datetime!(2026-03-01 10:00 +03:00);
        let (mut s, note) = CardShipment::printed(now);
        assert_eq!(note, "Çalışma izni belgesi basıldı.");
        assert_eq!(code(s.deliver(now)), "work_permit.shipment_order");
        let no = CargoTrackingNo::parse("kp1234567890tr").unwrap();
        assert_eq!(no.as_str(), "KP1234567890TR");
        let note = s.ship(no.clone(), now).unwrap();
        assert!(note.contains("KP1234567890TR"));
        assert_eq!(s.status.label_tr(), "Kargoya Verildi");
        assert_eq!(code(s.ship(no, now)), "work_permit.shipment_order");
        s.deliver(now).unwrap();
        assert_eq!(s.status, ShipmentStatus::Delivered);
        assert_eq!(code(s.deliver(now)), "work_permit.shipment_order");
        assert!(CargoTrackingNo::parse("123456789").is_err());
        assert!(CargoTrackingNo::parse("123456789012345678901").is_err());
        assert!(CargoTrackingNo::parse("1234567890").is_ok());
    }
}
