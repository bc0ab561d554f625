//! The work-permit application aggregate (çalışma izni başvurusu) — DOMAIN.md §7.
//!
//! One document per application, stored as JSON: who employs (an e-İzin employer record,
//! or a household's real person by TCKN), the [`ApplicationKind`], the foreigner as the
//! route identified them, the [`Wizard`]'s saved steps, the ministry's [`Evaluation`], the
//! times and the optimistic-locking `version`.
//!
//! Choices written down here because the manuals are silent:
//! - the employer kind is the kind's (`kind.employer`), not a second copy that could
//!   disagree with it;
//! - for a consulate reference the MFA's record (name, birth date, nationality, passport)
//!   is copied when the wizard starts, so the petition and the ministry see what the
//!   consulate registered even after the number is used;
//! - `last_touched_at` moves on every saved step (never on a read) and is what draft expiry
//!   counts from ([`crate::draft`]); `updated_at` moves on every change.

use crate::after_permit::AfterPermit;
use crate::duration::PermitPeriod;
use crate::evaluation::{Evaluation, Status};
use crate::kind::{
    ApplicationKind, ConsulateReference, EmployerKind, ExemptIdentity, ForeignerRecord,
    MfaReferenceNo, Nationality, PassportNo, Route, YokPrePermit, YokPrePermitNo,
};
use crate::ministry::MinistryRecord;
use crate::wizard::{Passport, Sha256Hex, Wizard};
use kapi_core::{EmployerId, Tckn, WorkPermitId, Ykn};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// The history's resource kind.
pub const HISTORY_KIND: &str = "work_permit";

/// Who employs the foreigner, as the scope check compares it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum EmployerRef {
    /// An employer registered in e-İzin (company, university, or a household registered
    /// as an employer — ev hizmetleri), acting through its owner and authorised users.
    Employer { employer_id: EmployerId },
}

/// The consulate's record of a foreigner abroad, as it was when the wizard started.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceRecord {
    pub reference_no: MfaReferenceNo,
    pub issued_at: OffsetDateTime,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: Date,
    pub nationality: Nationality,
    pub passport_no: Option<PassportNo>,
    pub passport_expires_on: Option<Date>,
}

impl From<ConsulateReference> for ReferenceRecord {
    fn from(r: ConsulateReference) -> Self {
        Self {
            reference_no: r.number,
            issued_at: r.issued_at,
            first_name: r.first_name,
            last_name: r.last_name,
            birth_date: r.birth_date,
            nationality: r.nationality,
            passport_no: r.passport_no,
            passport_expires_on: r.passport_expires_on,
        }
    }
}

/// The foreigner, identified as the route says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum Foreigner {
    /// In Türkiye (or an exempt academic with one): YKN + birth date.
    Ykn { ykn: Ykn, birth_date: Date },
    /// An exempt / TRNC academic in Türkiye without a YKN.
    Passport {
        passport_no: PassportNo,
        nationality: Nationality,
    },
    /// Abroad: the consulate's record behind the reference number.
    Reference(ReferenceRecord),
    /// An academic on a YÖK pre-permit.
    YokPrePermit { number: YokPrePermitNo },
}

impl Foreigner {
    /// The identity for a route; a reference route needs the consulate's record.
    pub fn of_route(route: &Route, reference: Option<ConsulateReference>) -> Option<Self> {
        match route {
            Route::InTurkiye { ykn, birth_date }
            | Route::AcademicExempt {
                identity: ExemptIdentity::Ykn { ykn, birth_date },
                ..
            } => Some(Foreigner::Ykn {
                ykn: ykn.clone(),
                birth_date: *birth_date,
            }),
            Route::AcademicExempt {
                identity:
                    ExemptIdentity::Passport {
                        passport_no,
                        nationality,
                    },
                ..
            } => Some(Foreigner::Passport {
                passport_no: passport_no.clone(),
                nationality: nationality.clone(),
            }),
            Route::YokPrePermit { number } => Some(Foreigner::YokPrePermit {
                number: number.clone(),
            }),
            Route::Abroad { .. }
            | Route::AcademicExempt {
                identity: ExemptIdentity::Reference { .. },
                ..
            } => reference.map(|r| Foreigner::Reference(r.into())),
        }
    }

    pub fn ykn(&self) -> Option<&Ykn> {
        match self {
            Foreigner::Ykn { ykn, .. } => Some(ykn),
            _ => None,
        }
    }
}

/// A work-permit application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkPermitApplication {
    pub id: WorkPermitId,
    pub employer: EmployerRef,
    /// The user who started the application (the owner or one of the employer's users).
    pub started_by: Tckn,
    pub kind: ApplicationKind,
    pub foreigner: Foreigner,
    /// What the foreigners' registry returned for a YKN route when the wizard started
    /// ("Bilgileri Getir"): name, nationality, passport, residence permit.
    #[serde(default)]
    pub registry_record: Option<ForeignerRecord>,
    /// The YÖK pre-permit as YÖK reported it when the wizard started (an academic's name,
    /// nationality, passport, university).
    #[serde(default)]
    pub yok_record: Option<YokPrePermit>,
    pub wizard: Wizard,
    pub evaluation: Evaluation,
    /// The period as checked at submit.
    pub period: Option<PermitPeriod>,
    pub submitted_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    /// The last saved wizard step: draft expiry counts from it.
    pub last_touched_at: OffsetDateTime,
    /// The authorised user the employer's manager assigned the application to (Başvuru
    /// Atama): while set, only that user and the employer's owner act on it.
    #[serde(default)]
    pub assignee: Option<Tckn>,
    /// The application petition last generated from the saved steps (the result step
    /// confirms and e-signs exactly this PDF); cleared whenever a step changes.
    #[serde(default)]
    pub petition: Option<GeneratedPetition>,
    /// The ministry side after submission: fee references, payments, appeal, waiver.
    #[serde(default)]
    pub ministry: MinistryRecord,
    /// After the permit (İzin Sonrası İşlemler): card, start of work, requests, termination.
    #[serde(default)]
    pub after: AfterPermit,
    pub version: i64,
}

/// A petition PDF generated from the saved steps, stored in the blob store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneratedPetition {
    pub sha256: Sha256Hex,
    pub size: u64,
    pub generated_at: OffsetDateTime,
}

impl WorkPermitApplication {
    /// A fresh draft.
    pub fn new_draft(
        employer: EmployerRef,
        started_by: Tckn,
        kind: ApplicationKind,
        foreigner: Foreigner,
        now: OffsetDateTime,
    ) -> Self {
        Self {
            id: WorkPermitId::new(),
            employer,
            started_by,
            kind,
            foreigner,
            registry_record: None,
            yok_record: None,
            wizard: Wizard::default(),
            evaluation: Evaluation::new_draft(now),
            period: None,
            submitted_at: None,
            created_at: now,
            updated_at: now,
            last_touched_at: now,
            assignee: None,
            petition: None,
            ministry: MinistryRecord::default(),
            after: AfterPermit::default(),
            version: 1,
        }
    }

    pub fn status(&self) -> Status {
        self.evaluation.status
    }

    pub fn employer_kind(&self) -> EmployerKind {
        self.kind.employer
    }

    pub fn is_draft(&self) -> bool {
        self.evaluation.status == Status::Draft
    }

    /// The passport as saved on the general step, or the consulate's record of it.
    pub fn passport_expires_on(&self) -> Option<Date> {
        let saved = self
            .wizard
            .general
            .as_ref()
            .and_then(|g| g.passport.as_ref())
            .map(|p: &Passport| p.expires_on);
        saved.or(match &self.foreigner {
            Foreigner::Reference(r) => r.passport_expires_on,
            _ => None,
        })
    }

    /// Whether the foreigner holds international protection (general step).
    pub fn international_protection(&self) -> bool {
        self.wizard
            .general
            .as_ref()
            .is_some_and(|g| g.international_protection)
    }

    /// A wizard step was saved at `now`: the draft's month starts again
    /// (409 `work_permit.not_a_draft` once submitted).
    pub fn touch(&mut self, now: OffsetDateTime) -> Result<(), kapi_core::DomainError> {
        self.evaluation.touch(now)?;
        self.last_touched_at = now;
        self.updated_at = now;
        Ok(())
    }
}
