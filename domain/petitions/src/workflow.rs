//! The life of a petition at the governorate — DOMAIN.md §8, seed 004.
//!
//! A petition arrives in the desk's pool (Başvuru Açık Kapı Birim Havuzunda). The AKS routes
//! it to one or more DETSİS units, each routing with its answer deadline (30 days by
//! default); each unit's Yetkili answers once (Olumlu / Olumsuz). The AKS may send it to the
//! MİA for approval; the MİA answers it or sends it back with an explanation, and may
//! **reset** it: routings, answers and the MİA step leave the live state (the history keeps
//! them) and it starts over in the pool. The AKS closes it — Olumlu, Olumsuz or Kısmen
//! Olumlu Kısmen Olumsuz — **only when every routed unit has answered** and it is not
//! waiting for the MİA; the reply goes into the standard template ([`reply_letter`]). A
//! closed petition never changes again (409 `petition.closed`).
//!
//! Each transition returns the user-facing status text the history records.

use crate::attachment::StoredFile;
use kapi_core::{DomainError, FieldError};
use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};

/// Days a unit has to answer a routing unless the AKS gives another deadline.
pub const DEFAULT_ANSWER_DAYS: i64 = 30;

/// Where a petition stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Başvuru Açık Kapı Birim Havuzunda.
    InPool,
    /// At least one routing is waiting for its unit's answer.
    Routed,
    /// Every routed unit has answered (Birimden Cevap Geldi).
    UnitsAnswered,
    /// Başvuru Mülki İdare Amiri Onayına Gönderildi.
    AwaitingGovernor,
    /// Başvuru Mülki İdare Amirinden Cevap Dönüldü.
    GovernorAnswered,
    /// Geri Gönderildi: the MİA sent it back to the desk.
    SentBack,
    Closed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::InPool => "in_pool",
            Status::Routed => "routed",
            Status::UnitsAnswered => "units_answered",
            Status::AwaitingGovernor => "awaiting_governor",
            Status::GovernorAnswered => "governor_answered",
            Status::SentBack => "sent_back",
            Status::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub const ALL: [Status; 7] = [
        Status::InPool,
        Status::Routed,
        Status::UnitsAnswered,
        Status::AwaitingGovernor,
        Status::GovernorAnswered,
        Status::SentBack,
        Status::Closed,
    ];

    /// The Turkish name users know (Başvuru Durumu).
    pub fn label(self) -> &'static str {
        match self {
            Status::InPool => "Başvuru Açık Kapı Birim Havuzunda",
            Status::Routed => "Başvuru İlgili Birime Yönlendirildi",
            Status::UnitsAnswered => "Birimden Cevap Geldi",
            Status::AwaitingGovernor => "Başvuru Mülki İdare Amiri Onayına Gönderildi",
            Status::GovernorAnswered => "Başvuru Mülki İdare Amirinden Cevap Dönüldü",
            Status::SentBack => "Geri Gönderildi",
            Status::Closed => "Başvuru Kapatıldı",
        }
    }
}

/// How the petition was closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Positive,
    Negative,
    PartlyPositive,
}

impl Outcome {
    /// The Turkish word used in the status and the letter.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Positive => "Olumlu",
            Outcome::Negative => "Olumsuz",
            Outcome::PartlyPositive => "Kısmen Olumlu Kısmen Olumsuz",
        }
    }
}

/// A unit's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitOutcome {
    Positive,
    Negative,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitAnswer {
    pub outcome: UnitOutcome,
    pub text: String,
    /// Audit label of the Yetkili who answered.
    pub by: String,
    pub at: OffsetDateTime,
    /// Files the unit attached to its answer.
    #[serde(default)]
    pub files: Vec<StoredFile>,
}

/// The petition sent to one DETSİS unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Routing {
    /// DETSİS unit number (8 digits).
    pub unit_no: String,
    pub routed_at: OffsetDateTime,
    /// The last Istanbul day the unit may answer in time.
    pub deadline: Date,
    pub answer: Option<UnitAnswer>,
}

/// The MİA approval step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GovernorReview {
    pub sent_at: OffsetDateTime,
    pub answer: Option<String>,
    pub sent_back: Option<String>,
}

/// The closing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Closing {
    pub outcome: Outcome,
    /// The reply as written into the standard template.
    pub letter: String,
    pub at: OffsetDateTime,
}

/// The live workflow state of a petition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workflow {
    pub status: Status,
    pub routings: Vec<Routing>,
    pub governor: Option<GovernorReview>,
    pub closing: Option<Closing>,
}

impl Default for Workflow {
    fn default() -> Self {
        Self::new()
    }
}

fn closed() -> DomainError {
    DomainError::conflict(
        "petition.closed",
        "The petition is closed; it cannot change any more.",
    )
}

fn awaiting_governor() -> DomainError {
    DomainError::conflict(
        "petition.awaiting_governor",
        "The petition is waiting for the MİA's approval.",
    )
}

fn text(field: &str, raw: &str, max: usize) -> Result<String, DomainError> {
    kapi_core::clean_text(field, raw, 2, max).map_err(DomainError::field)
}

/// The history text of a routing to a unit, followed by ` (<unit name>)`.
pub const ROUTING_NOTE: &str = "Başvuru İlgili Birime Yönlendirildi";
/// The history text of a unit's answer, followed by ` (<unit name>)`.
pub const ANSWER_NOTE: &str = "Birimden Cevap Geldi";

/// Whether `s` is a DETSİS unit number: 8 digits.
pub fn is_detsis_no(s: &str) -> bool {
    s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit())
}

impl Workflow {
    /// A newly arrived petition, in the desk's pool.
    pub fn new() -> Self {
        Self {
            status: Status::InPool,
            routings: vec![],
            governor: None,
            closing: None,
        }
    }

    /// `petition.closed` (409) once closed: a closed petition never changes again.
    pub fn ensure_open(&self) -> Result<(), DomainError> {
        if self.status == Status::Closed {
            Err(closed())
        } else {
            Ok(())
        }
    }

    fn status_after_units(&self) -> Status {
        if self.routings.iter().all(|r| r.answer.is_some()) {
            Status::UnitsAnswered
        } else {
            Status::Routed
        }
    }

    /// Routes to units (each at most once in the live state) with `deadline` (default 30
    /// days from today). Returns one history text per unit.
    pub fn route(
        &mut self,
        units: &[String],
        deadline: Option<Date>,
        today: Date,
        now: OffsetDateTime,
    ) -> Result<Vec<String>, DomainError> {
        self.ensure_open()?;
        if self.status == Status::AwaitingGovernor {
            return Err(awaiting_governor());
        }
        if units.is_empty() {
            return Err(DomainError::field(FieldError::new(
                "units",
                "routing.no_units",
                "Route to at least one unit.",
            )));
        }
        let deadline = deadline.unwrap_or(today + Duration::days(DEFAULT_ANSWER_DAYS));
        if deadline < today {
            return Err(DomainError::field(FieldError::new(
                "deadline",
                "routing.deadline_past",
                "The answer deadline cannot be in the past.",
            )));
        }
        let mut errors = kapi_core::FieldErrors::new();
        for (i, u) in units.iter().enumerate() {
            if !is_detsis_no(u) {
                errors.push(FieldError::new(
                    format!("units[{i}]"),
                    "detsis.format",
                    "A DETSİS unit number has 8 digits.",
                ));
            } else if self.routings.iter().any(|r| &r.unit_no == u) || units[..i].contains(u) {
                errors.push(FieldError::new(
                    format!("units[{i}]"),
                    "routing.already_routed",
                    "The petition is already routed to this unit.",
                ));
            }
        }
        errors.finish()?;
        let mut notes = vec![];
        for u in units {
            self.routings.push(Routing {
                unit_no: u.clone(),
                routed_at: now,
                deadline,
                answer: None,
            });
            notes.push(format!("{ROUTING_NOTE} ({u})"));
        }
        self.status = Status::Routed;
        Ok(notes)
    }

    /// A unit's Yetkili answers its routing, once.
    pub fn answer(
        &mut self,
        unit_no: &str,
        outcome: UnitOutcome,
        answer_text: &str,
        by: String,
        now: OffsetDateTime,
    ) -> Result<String, DomainError> {
        self.ensure_open()?;
        let answer_text = text("text", answer_text, 4000)?;
        let r = self
            .routings
            .iter_mut()
            .find(|r| r.unit_no == unit_no)
            .ok_or_else(|| DomainError::not_found("petition.not_found", "No such petition."))?;
        if r.answer.is_some() {
            return Err(DomainError::conflict(
                "routing.already_answered",
                "Your unit has answered this petition; it can be viewed only.",
            ));
        }
        r.answer = Some(UnitAnswer {
            outcome,
            text: answer_text,
            by,
            at: now,
            files: vec![],
        });
        if self.status != Status::AwaitingGovernor {
            self.status = self.status_after_units();
        }
        Ok(ANSWER_NOTE.into())
    }

    /// The AKS sends the petition to the MİA for approval.
    pub fn send_to_governor(&mut self, now: OffsetDateTime) -> Result<String, DomainError> {
        self.ensure_open()?;
        if self.status == Status::AwaitingGovernor {
            return Err(awaiting_governor());
        }
        self.governor = Some(GovernorReview {
            sent_at: now,
            answer: None,
            sent_back: None,
        });
        self.status = Status::AwaitingGovernor;
        Ok("Başvuru Mülki İdare Amiri Onayına Gönderildi".into())
    }

    fn pending_review(&mut self) -> Result<&mut GovernorReview, DomainError> {
        self.ensure_open()?;
        match (&self.status, self.governor.as_mut()) {
            (Status::AwaitingGovernor, Some(g)) => Ok(g),
            _ => Err(DomainError::conflict(
                "petition.not_awaiting_governor",
                "The petition was not sent for the MİA's approval.",
            )),
        }
    }

    /// The MİA answers a petition sent for approval.
    pub fn governor_answer(&mut self, answer_text: &str) -> Result<String, DomainError> {
        let t = text("text", answer_text, 4000)?;
        self.pending_review()?.answer = Some(t);
        self.status = Status::GovernorAnswered;
        Ok("Başvuru Mülki İdare Amirinden Cevap Dönüldü".into())
    }

    /// The MİA sends it back to the desk with an explanation.
    pub fn governor_send_back(&mut self, explanation: &str) -> Result<String, DomainError> {
        let t = text("explanation", explanation, 2000)?;
        self.pending_review()?.sent_back = Some(t);
        self.status = Status::SentBack;
        Ok("Geri Gönderildi".into())
    }

    /// The MİA resets a petition: it starts over in the pool, as if newly arrived.
    pub fn reset(&mut self) -> Result<String, DomainError> {
        self.ensure_open()?;
        *self = Workflow::new();
        Ok("İşlemler Geri Alındı".into())
    }

    /// The AKS closes it, every routed unit having answered; the reply goes into the letter.
    pub fn close(
        &mut self,
        outcome: Outcome,
        letter: String,
        now: OffsetDateTime,
    ) -> Result<String, DomainError> {
        self.ensure_open()?;
        if self.status == Status::AwaitingGovernor {
            return Err(awaiting_governor());
        }
        let waiting: Vec<&str> = self
            .routings
            .iter()
            .filter(|r| r.answer.is_none())
            .map(|r| r.unit_no.as_str())
            .collect();
        if !waiting.is_empty() {
            return Err(DomainError::conflict(
                "petition.unanswered_routings",
                format!("Units that have not answered yet: {}.", waiting.join(", ")),
            ));
        }
        self.closing = Some(Closing {
            outcome,
            letter,
            at: now,
        });
        self.status = Status::Closed;
        Ok(format!("Başvuru {} Kapatıldı", outcome.label()))
    }

    /// Overdue and unanswered on `today`: some routing past its deadline without an answer.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.routings
            .iter()
            .any(|r| r.answer.is_none() && r.deadline < today)
    }

    /// Whether the petition is routed (live) to one of `units`.
    pub fn is_routed_to_any(&self, units: &[String]) -> bool {
        self.routings.iter().any(|r| units.contains(&r.unit_no))
    }
}

/// The standard reply (DOMAIN §8): "Sayın …; Açık Kapı Bürosu'na … tarihinde yapmış
/// olduğunuz … no'lu başvurunuz sonuçlanmıştır. … ANKARA VALİLİĞİ".
pub fn reply_letter(
    citizen_name: &str,
    submitted_on: Date,
    tracking_no: i64,
    outcome: Outcome,
    reply: &str,
    province_name: &str,
) -> String {
    let province = province_name
        .chars()
        .map(|c| match c {
            'i' => 'İ'.to_string(),
            'ı' => 'I'.to_string(),
            c => c.to_uppercase().to_string(),
        })
        .collect::<String>();
    format!(
        "Sayın {citizen_name}; Açık Kapı Bürosu'na {:02}.{:02}.{} tarihinde yapmış olduğunuz {tracking_no} no'lu başvurunuz {} olarak sonuçlanmıştır. {} {province} VALİLİĞİ",
        submitted_on.day(),
        submitted_on.month() as u8,
        submitted_on.year(),
        outcome.label().to_lowercase_tr(),
        kapi_core::collapse_whitespace(reply),
    )
}

trait LowerTr {
    fn to_lowercase_tr(&self) -> String;
}

impl LowerTr for str {
    fn to_lowercase_tr(&self) -> String {
        self.chars()
            .map(|c| match c {
                'I' => 'ı'.to_string(),
                'İ' => 'i'.to_string(),
                c => c.to_lowercase().to_string(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
