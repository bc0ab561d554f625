//! The application aggregate (başvuru) — DOMAIN.md §2, seed 000 §5–§8.
//!
//! An application is created as a **draft** when the candidate starts the wizard and keeps
//! every step as it is saved ("Kaydet ve İlerle"), so the candidate can leave and resume:
//!
//! 1. accept the posting's information text,
//! 2. choose one sub-posting,
//! 3. accept the sub-posting's text,
//! 4. confirm the registry data and save the declarations,
//! 5. preview and accept → submit.
//!
//! Any step can be saved again while the application is a draft ("Güncelle" from the
//! preview); choosing another sub-posting takes back the acceptance of the previous one's text.
//!
//! Statuses: `draft` (not yet submitted), `pending` (Başvuru Bekliyor), `approved`
//! (Başvuru Onaylandı), `cancelled` (Başvuru İptal Edildi, with who cancelled and why).
//! Draft, pending and approved are **live**: one live application per candidate per posting.

use crate::declarations::Declarations;
use kapi_core::{ApplicationId, DomainError, FieldError, InstitutionId, PostingId, Tckn};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    Draft,
    Pending,
    Approved,
    Cancelled,
}

impl ApplicationStatus {
    pub const ALL: [ApplicationStatus; 4] =
        [Self::Draft, Self::Pending, Self::Approved, Self::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Pending => "pending",
            Self::Approved => "approved",
            Self::Cancelled => "cancelled",
        }
    }

    /// The text the candidate sees in "Başvurularım".
    pub fn label_tr(self) -> &'static str {
        match self {
            Self::Draft => "Başvuru Tamamlanmadı",
            Self::Pending => "Başvuru Bekliyor",
            Self::Approved => "Başvuru Onaylandı",
            Self::Cancelled => "Başvuru İptal Edildi",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }

    pub fn is_live(self) -> bool {
        self != Self::Cancelled
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CancelledBy {
    Candidate,
    Institution,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cancellation {
    pub by: CancelledBy,
    /// Required when the institution cancels; the candidate sees it.
    pub reason: Option<String>,
    pub at: OffsetDateTime,
}

/// A wizard step, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    PostingText,
    SubPosting,
    SubPostingText,
    Declarations,
}

impl Step {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PostingText => "posting_text",
            Self::SubPosting => "sub_posting",
            Self::SubPostingText => "sub_posting_text",
            Self::Declarations => "declarations",
        }
    }
}

/// The wizard's saved steps.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Wizard {
    pub posting_text_accepted_at: Option<OffsetDateTime>,
    pub sub_posting_no: Option<u32>,
    pub sub_posting_text_accepted_at: Option<OffsetDateTime>,
    pub registry_confirmed_at: Option<OffsetDateTime>,
    pub declarations: Option<Declarations>,
}

impl Wizard {
    pub fn is_done(&self, step: Step) -> bool {
        match step {
            Step::PostingText => self.posting_text_accepted_at.is_some(),
            Step::SubPosting => self.sub_posting_no.is_some(),
            Step::SubPostingText => self.sub_posting_text_accepted_at.is_some(),
            Step::Declarations => {
                self.registry_confirmed_at.is_some() && self.declarations.is_some()
            }
        }
    }

    /// Steps not yet saved, in order.
    pub fn missing_steps(&self) -> Vec<Step> {
        [
            Step::PostingText,
            Step::SubPosting,
            Step::SubPostingText,
            Step::Declarations,
        ]
        .into_iter()
        .filter(|s| !self.is_done(*s))
        .collect()
    }

    /// The step a resumed wizard opens on (`None`: the preview).
    pub fn next_step(&self) -> Option<Step> {
        self.missing_steps().first().copied()
    }

    /// Refuses a step whose earlier step has not been saved (422 `application.step_order`).
    pub fn require_before(&self, step: Step) -> Result<(), DomainError> {
        let earlier = match step {
            Step::PostingText => None,
            Step::SubPosting => Some(Step::PostingText),
            Step::SubPostingText => Some(Step::SubPosting),
            Step::Declarations => Some(Step::SubPostingText),
        };
        match earlier {
            Some(e) if !self.is_done(e) => Err(DomainError::rule(FieldError::new(
                "step",
                "application.step_order",
                format!("Save the step `{}` first.", e.as_str()),
            ))),
            _ => Ok(()),
        }
    }
}

/// The candidate as the identity registry gave them when the wizard started (shown for
/// confirmation on the registry step).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub tckn: Tckn,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: Date,
    pub province: u8,
    pub district_code: i32,
    pub open_address: String,
}

impl Candidate {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

/// A score with two decimals, 0–100 (kept in hundredths so ranking is exact).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Score(u32);

impl Score {
    pub fn parse(field: &str, value: f64) -> Result<Score, FieldError> {
        let hundredths = value * 100.0;
        if !value.is_finite() || !(0.0..=100.0).contains(&value) {
            return Err(FieldError::new(field, "score.range", "Between 0 and 100."));
        }
        if (hundredths - hundredths.round()).abs() > 1e-6 {
            return Err(FieldError::new(
                field,
                "score.precision",
                "At most two decimals.",
            ));
        }
        Ok(Score(hundredths.round() as u32))
    }

    pub fn from_hundredths(h: u32) -> Score {
        Score(h.min(10_000))
    }

    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 100.0
    }
}

/// A stage outcome: Olumlu / Olumsuz / Bekliyor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Pending,
    Positive,
    Negative,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Positive => "positive",
            Self::Negative => "negative",
        }
    }

    pub fn label_tr(self) -> &'static str {
        match self {
            Self::Pending => "Bekliyor",
            Self::Positive => "Olumlu",
            Self::Negative => "Olumsuz",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Pending, Self::Positive, Self::Negative]
            .into_iter()
            .find(|o| o.as_str() == raw)
    }
}

/// How a candidate joins an online stage: their own password and meeting link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OnlineAccess {
    pub password: String,
    pub link: String,
}

/// The candidate's part in one stage: the invitation and, once recorded, the result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageRecord {
    pub stage_no: u32,
    pub invited_at: OffsetDateTime,
    pub access: Option<OnlineAccess>,
    pub score: Option<Score>,
    pub outcome: Outcome,
}

/// The final placement: asil (principal), yedek (reserve) or olumsuz (unsuccessful).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlacementResult {
    Principal,
    Reserve,
    Unsuccessful,
}

impl PlacementResult {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Principal => "principal",
            Self::Reserve => "reserve",
            Self::Unsuccessful => "unsuccessful",
        }
    }

    pub fn label_tr(self) -> &'static str {
        match self {
            Self::Principal => "Asil",
            Self::Reserve => "Yedek",
            Self::Unsuccessful => "Olumsuz",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placement {
    pub result: PlacementResult,
    /// Rank within the sub-posting among those who passed every stage; `None` for a
    /// candidate who failed (or was not taken to) a stage.
    pub rank: Option<u32>,
    /// The last stage's score.
    pub final_score: Option<Score>,
}

/// An application (başvuru).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Application {
    pub id: ApplicationId,
    pub posting_id: PostingId,
    pub posting_no: i64,
    pub institution_id: InstitutionId,
    pub candidate: Candidate,
    pub status: ApplicationStatus,
    pub wizard: Wizard,
    pub submitted_at: Option<OffsetDateTime>,
    pub approved_at: Option<OffsetDateTime>,
    pub cancellation: Option<Cancellation>,
    pub stages: Vec<StageRecord>,
    pub placement: Option<Placement>,
    pub created_at: OffsetDateTime,
    pub version: i64,
}

impl Application {
    pub fn stage(&self, no: u32) -> Option<&StageRecord> {
        self.stages.iter().find(|s| s.stage_no == no)
    }

    pub fn stage_mut(&mut self, no: u32) -> Option<&mut StageRecord> {
        self.stages.iter_mut().find(|s| s.stage_no == no)
    }

    /// The latest stage the candidate was invited to (Değerleme Aşaması).
    pub fn current_stage(&self) -> Option<u32> {
        self.stages.iter().map(|s| s.stage_no).max()
    }

    pub fn failed_a_stage(&self) -> bool {
        self.stages.iter().any(|s| s.outcome == Outcome::Negative)
    }
}
