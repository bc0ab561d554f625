//! The candidate list of a demand (Aday Gör) and its interview workflow — DOMAIN.md §3.
//!
//! A job seeker comes onto a demand's list by applying (başvuru) or by the employer's
//! selection (Eleman Seç); each job seeker appears at most once per demand. The employer
//! invites a candidate to an interview (date/time, place), records the candidate's answer
//! to the invitation (accepted / declined) and, once the interview time has come, the
//! result: `hired`, `not_hired` or `no_show`. A result is final. A candidate who declined
//! cannot be recorded as hired. Re-inviting (a new time) is allowed until a result exists
//! and clears the earlier answer. Each hire counts toward the demand's worker count; the
//! demand closes as filled when the count is reached.

use crate::demand::code_enum;
use kapi_core::{DemandCandidateId, DomainError, FieldError, LabourDemandId, Tckn};
use time::OffsetDateTime;

code_enum!(
    /// How the job seeker came onto the list.
    CandidateOrigin {
        /// Başvuru: the job seeker applied.
        Applied = "applied",
        /// Eleman seçimi: the employer selected them.
        Selected = "selected",
    }
);

code_enum!(
    /// The candidate's answer to the interview invitation.
    InvitationAnswer {
        Accepted = "accepted",
        Declined = "declined",
    }
);

code_enum!(
    /// Görüşme sonucu.
    InterviewResult {
        /// İşe alındı.
        Hired = "hired",
        /// İşe alınmadı.
        NotHired = "not_hired",
        /// Görüşmeye gelmedi.
        NoShow = "no_show",
    }
);

code_enum!(
    /// Where the candidate stands, derived from what has been recorded.
    CandidateStage {
        Listed = "listed",
        Invited = "invited",
        Answered = "answered",
        Concluded = "concluded",
    }
);

/// A job seeker on a demand's candidate list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub id: DemandCandidateId,
    pub demand_id: LabourDemandId,
    pub tckn: Tckn,
    pub full_name: String,
    pub origin: CandidateOrigin,
    pub listed_at: OffsetDateTime,
    pub interview_at: Option<OffsetDateTime>,
    pub interview_place: Option<String>,
    pub invited_at: Option<OffsetDateTime>,
    pub answer: Option<InvitationAnswer>,
    pub answered_at: Option<OffsetDateTime>,
    pub result: Option<InterviewResult>,
    pub result_note: Option<String>,
    pub result_at: Option<OffsetDateTime>,
    pub version: i64,
}

impl Candidate {
    pub fn new(
        demand_id: LabourDemandId,
        tckn: Tckn,
        full_name: String,
        origin: CandidateOrigin,
        now: OffsetDateTime,
    ) -> Self {
        Self {
            id: DemandCandidateId::new(),
            demand_id,
            tckn,
            full_name,
            origin,
            listed_at: now,
            interview_at: None,
            interview_place: None,
            invited_at: None,
            answer: None,
            answered_at: None,
            result: None,
            result_note: None,
            result_at: None,
            version: 1,
        }
    }

    pub fn stage(&self) -> CandidateStage {
        if self.result.is_some() {
            CandidateStage::Concluded
        } else if self.answer.is_some() {
            CandidateStage::Answered
        } else if self.interview_at.is_some() {
            CandidateStage::Invited
        } else {
            CandidateStage::Listed
        }
    }
}

fn concluded() -> DomainError {
    DomainError::conflict(
        "candidate.result_recorded",
        "The interview result is recorded; nothing more changes for this candidate.",
    )
}

/// Invites (or re-invites) the candidate to an interview at `at`, which must be ahead.
pub fn invite(
    c: &mut Candidate,
    at: OffsetDateTime,
    place: Option<String>,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    if c.result.is_some() {
        return Err(concluded());
    }
    if at <= now {
        return Err(DomainError::field(FieldError::new(
            "interview_at",
            "candidate.interview_in_past",
            "The interview must be later than now.",
        )));
    }
    let place = match place.as_deref().map(str::trim) {
        Some(p) if !p.is_empty() => {
            Some(crate::employer::clean_text("place", p, 2, 500).map_err(DomainError::field)?)
        }
        _ => None,
    };
    c.interview_at = Some(at);
    c.interview_place = place;
    c.invited_at = Some(now);
    c.answer = None;
    c.answered_at = None;
    Ok(())
}

/// Records the candidate's answer to the invitation.
pub fn answer(
    c: &mut Candidate,
    answer: InvitationAnswer,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    if c.result.is_some() {
        return Err(concluded());
    }
    if c.interview_at.is_none() {
        return Err(DomainError::conflict(
            "candidate.not_invited",
            "The candidate has not been invited to an interview.",
        ));
    }
    c.answer = Some(answer);
    c.answered_at = Some(now);
    Ok(())
}

/// Records the interview result, from the interview time on.
pub fn conclude(
    c: &mut Candidate,
    result: InterviewResult,
    note: Option<String>,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    if c.result.is_some() {
        return Err(concluded());
    }
    let Some(at) = c.interview_at else {
        return Err(DomainError::conflict(
            "candidate.not_invited",
            "The candidate has not been invited to an interview.",
        ));
    };
    if now < at {
        return Err(DomainError::conflict(
            "candidate.interview_not_held",
            "The interview time has not come yet.",
        ));
    }
    if result == InterviewResult::Hired && c.answer == Some(InvitationAnswer::Declined) {
        return Err(DomainError::conflict(
            "candidate.invitation_declined",
            "The candidate declined the invitation; record not_hired or no_show.",
        ));
    }
    c.result_note = match note.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() => {
            Some(crate::employer::clean_text("note", n, 1, 500).map_err(DomainError::field)?)
        }
        _ => None,
    };
    c.result = Some(result);
    c.result_at = Some(now);
    Ok(())
}
