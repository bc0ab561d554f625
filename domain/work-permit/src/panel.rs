//! The employer panel (İşveren Yönetim Paneli) — DOMAIN.md §7, seed 002 "İşveren Yönetim
//! Paneli", "Kayıtlı İşyeri Seçimi": who may act for an e-İzin employer record, the users
//! its manager authorises (Yetkilendirme İşlemleri), and the assignment of applications among
//! them (Başvuru Atama İşlemleri).
//!
//! Everyone logs in through e-Devlet ([`Actor::Citizen`]) and chooses the employer they act
//! for (the request names it: `employer_id` when starting, the application otherwise). The
//! person who registered the employer is its **owner** (the panel's manager); the owner
//! authorises other people by TCKN (they must be known to the identity registry) and may
//! take an authorisation back.
//!
//! Choices written down here because the manuals are silent:
//! - every authorised user reads every application of the employer (the panel's
//!   "Başvuru Listesi" lists them all);
//! - **assignment is in force** for an application once the owner assigned it to a user:
//!   from then on only that user and the owner act on it (submit, answer the ministry,
//!   appeal, post-permit requests); another authorised user gets 403
//!   `work_permit.not_assigned`. An unassigned application is open to every authorised user;
//! - only the owner authorises, revokes and assigns (403 `work_permit.owner_only`); the owner
//!   cannot be authorised or revoked as a user; a revoked user's assignments are cleared by
//!   the owner re-assigning (a revoked user can no longer reach the employer at all);
//! - another employer's records, and an employer the person has no role at, are 404.

use crate::employer::EmployerDocumentType;
use crate::kind::EmployerKind;
use kapi_core::{Actor, DomainError, EmployerId, FieldError, Tckn};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

code_list! {
    /// A person's role at an e-İzin employer.
    EmployerRole {
        /// The person who registered the employer: the panel's manager (yönetici).
        Owner => "owner", "İşyeri Yöneticisi";
        /// A person the owner authorised (Yetkilendirme İşlemleri).
        Authorised => "authorised", "Yetkili Kullanıcı";
    }
}

/// What a person may do at an employer, as the store finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerAccess {
    pub employer_id: EmployerId,
    pub kind: EmployerKind,
    pub role: EmployerRole,
    /// The person who registered the employer (for a household, the real person whose
    /// kinship with the cared person the civil registry confirms).
    pub owner: Tckn,
    /// The employer's required documents not uploaded yet: no application starts until
    /// the list is empty.
    pub missing_documents: Vec<EmployerDocumentType>,
}

/// The person acting and their role at the employer they act for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acting {
    pub person: Tckn,
    pub access: EmployerAccess,
}

impl Acting {
    pub fn is_owner(&self) -> bool {
        self.access.role == EmployerRole::Owner
    }
}

/// A user authorised at an employer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorisedUser {
    pub employer_id: EmployerId,
    pub tckn: Tckn,
    pub first_name: String,
    pub last_name: String,
    pub authorised_by: Tckn,
    pub authorised_at: OffsetDateTime,
}

/// The e-Devlet citizen behind the token (403 `work_permit.employer_only` for anyone else).
pub fn citizen(actor: &Actor) -> Result<&Tckn, DomainError> {
    match actor {
        Actor::Citizen { tckn } => Ok(tckn),
        _ => Err(DomainError::forbidden(
            "work_permit.employer_only",
            "Work-permit applications are made by an employer's users logged in through e-Devlet.",
        )),
    }
}

pub fn employer_not_found() -> DomainError {
    DomainError::not_found(
        "work_permit.employer_not_found",
        "No such e-İzin employer, or you are not one of its users.",
    )
}

/// Refuses an employer-side command by someone the application is not assigned to.
pub fn require_assigned(acting: &Acting, assignee: Option<&Tckn>) -> Result<(), DomainError> {
    match assignee {
        Some(a) if !acting.is_owner() && a != &acting.person => Err(DomainError::forbidden(
            "work_permit.not_assigned",
            "This application is assigned to another user of the employer.",
        )),
        _ => Ok(()),
    }
}

/// Refuses a panel command by anyone but the owner.
pub fn require_owner(acting: &Acting) -> Result<(), DomainError> {
    if acting.is_owner() {
        Ok(())
    } else {
        Err(DomainError::forbidden(
            "work_permit.owner_only",
            "Only the employer's manager (the person who registered it) does this.",
        ))
    }
}

/// A user who is not authorised at the employer (named `field`).
pub fn not_a_user(field: &str) -> DomainError {
    DomainError::rule(FieldError::new(
        field,
        "work_permit.not_an_employer_user",
        "This person is not one of the employer's users.",
    ))
}
