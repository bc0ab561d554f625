//! Who is acting: the authenticated principal with its kind and scope.
//!
//! The API layer builds an [`Actor`] from a verified token; use cases take `&Actor` and
//! enforce row-level scope themselves (an employer sees only its own workplaces' records,
//! a Yetkili only petitions routed to its units), so a forgotten check in a handler
//! cannot leak another tenant's data.

use crate::geo::ProvinceCode;
use crate::identity::Tckn;
use crate::ids::{EmployerId, InstitutionId, StaffAccountId, WorkplaceId};
use serde::{Deserialize, Serialize};

/// Per-function permission flags of an employer's workplace user (İŞKUR §2.1.7).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployerPermissions {
    /// Workplace admin (yönetici): may manage the other users.
    pub admin: bool,
    pub labour_demand: bool,
    pub workforce_chart: bool,
    pub mass_layoff: bool,
    pub reports: bool,
    pub user_admin: bool,
}

/// The authenticated principal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Actor {
    /// A citizen logged in through (simulated) e-Devlet.
    Citizen { tckn: Tckn },
    /// A citizen who proved who they are to Açık Kapı with their registry details and an
    /// SMS code (no e-Devlet password): good for their own petitions only.
    PetitionCitizen { tckn: Tckn },
    /// A person acting for an employer, optionally bound to one workplace.
    EmployerUser {
        tckn: Tckn,
        employer_id: EmployerId,
        workplace_id: Option<WorkplaceId>,
        permissions: EmployerPermissions,
    },
    /// Human-resources staff of a public institution (Kariyer Kapısı).
    InstitutionStaff {
        account_id: StaffAccountId,
        institution_id: InstitutionId,
    },
    /// İŞKUR staff, optionally limited to a province.
    IskurStaff {
        account_id: StaffAccountId,
        province: Option<ProvinceCode>,
    },
    /// Ministry of Labour work-permit evaluator (e-İzin).
    MinistryStaff { account_id: StaffAccountId },
    /// Açık Kapı Sorumlusu: desk officer of a governorate, optionally limited to districts.
    DeskOfficer {
        tckn: Tckn,
        province: ProvinceCode,
        districts: Vec<i32>,
    },
    /// Yetkili: officer of one or more DETSİS units.
    UnitOfficer {
        tckn: Tckn,
        province: ProvinceCode,
        units: Vec<String>,
    },
    /// Mülki İdare Amiri (MİA): the province's highest civil authority, a staff account.
    CivilAuthority {
        account_id: StaffAccountId,
        province: ProvinceCode,
    },
    /// Governor or deputy governor who administers a province's Açık Kapı users.
    ProvinceAdmin {
        account_id: StaffAccountId,
        province: ProvinceCode,
    },
    /// Kapı operator: national code lists (sectors, headings, reference data).
    SystemAdmin { account_id: StaffAccountId },
}

/// The kind of an [`Actor`] without its scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    Citizen,
    PetitionCitizen,
    EmployerUser,
    InstitutionStaff,
    IskurStaff,
    MinistryStaff,
    DeskOfficer,
    UnitOfficer,
    CivilAuthority,
    ProvinceAdmin,
    SystemAdmin,
}

impl ActorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ActorKind::Citizen => "citizen",
            ActorKind::PetitionCitizen => "petition_citizen",
            ActorKind::EmployerUser => "employer_user",
            ActorKind::InstitutionStaff => "institution_staff",
            ActorKind::IskurStaff => "iskur_staff",
            ActorKind::MinistryStaff => "ministry_staff",
            ActorKind::DeskOfficer => "desk_officer",
            ActorKind::UnitOfficer => "unit_officer",
            ActorKind::CivilAuthority => "civil_authority",
            ActorKind::ProvinceAdmin => "province_admin",
            ActorKind::SystemAdmin => "system_admin",
        }
    }
}

impl Actor {
    pub fn kind(&self) -> ActorKind {
        match self {
            Actor::Citizen { .. } => ActorKind::Citizen,
            Actor::PetitionCitizen { .. } => ActorKind::PetitionCitizen,
            Actor::EmployerUser { .. } => ActorKind::EmployerUser,
            Actor::InstitutionStaff { .. } => ActorKind::InstitutionStaff,
            Actor::IskurStaff { .. } => ActorKind::IskurStaff,
            Actor::MinistryStaff { .. } => ActorKind::MinistryStaff,
            Actor::DeskOfficer { .. } => ActorKind::DeskOfficer,
            Actor::UnitOfficer { .. } => ActorKind::UnitOfficer,
            Actor::CivilAuthority { .. } => ActorKind::CivilAuthority,
            Actor::ProvinceAdmin { .. } => ActorKind::ProvinceAdmin,
            Actor::SystemAdmin { .. } => ActorKind::SystemAdmin,
        }
    }

    /// The stable, unique key of the person or account behind the actor
    /// (`citizen:10000000146`, `system_admin:<uuid>`): what records that belong to an actor
    /// (one-time-code challenges, verified contacts) are keyed by. Unlike
    /// [`Actor::audit_label`] it is not masked, so two citizens never share one.
    pub fn subject(&self) -> String {
        match self {
            Actor::Citizen { tckn }
            | Actor::PetitionCitizen { tckn }
            | Actor::EmployerUser { tckn, .. }
            | Actor::DeskOfficer { tckn, .. }
            | Actor::UnitOfficer { tckn, .. } => format!("person:{tckn}"),
            Actor::InstitutionStaff { account_id, .. }
            | Actor::CivilAuthority { account_id, .. }
            | Actor::IskurStaff { account_id, .. }
            | Actor::MinistryStaff { account_id }
            | Actor::ProvinceAdmin { account_id, .. }
            | Actor::SystemAdmin { account_id } => format!("staff:{account_id}"),
        }
    }

    /// The staff account behind a staff actor (re-checked on every request).
    pub fn staff_account(&self) -> Option<StaffAccountId> {
        match self {
            Actor::InstitutionStaff { account_id, .. }
            | Actor::CivilAuthority { account_id, .. }
            | Actor::IskurStaff { account_id, .. }
            | Actor::MinistryStaff { account_id }
            | Actor::ProvinceAdmin { account_id, .. }
            | Actor::SystemAdmin { account_id } => Some(*account_id),
            _ => None,
        }
    }

    /// A stable, non-personal label for history entries and logs (`system_admin:<uuid>`,
    /// `citizen:*********46`): never a full identity number.
    pub fn audit_label(&self) -> String {
        match self {
            Actor::Citizen { tckn }
            | Actor::PetitionCitizen { tckn }
            | Actor::EmployerUser { tckn, .. }
            | Actor::DeskOfficer { tckn, .. }
            | Actor::UnitOfficer { tckn, .. } => {
                format!("{}:{}", self.kind().as_str(), tckn.masked())
            }
            Actor::InstitutionStaff { account_id, .. }
            | Actor::CivilAuthority { account_id, .. }
            | Actor::IskurStaff { account_id, .. }
            | Actor::MinistryStaff { account_id }
            | Actor::ProvinceAdmin { account_id, .. }
            | Actor::SystemAdmin { account_id } => format!("{}:{account_id}", self.kind().as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actor_round_trips_through_json_with_a_kind_tag() {
        let a = Actor::DeskOfficer {
            tckn: Tckn::parse("10000000146").unwrap(),
            province: ProvinceCode::new(6).unwrap(),
            districts: vec![1, 2],
        };
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["kind"], "desk_officer");
        assert_eq!(json["province"], 6);
        let back: Actor = serde_json::from_value(json).unwrap();
        assert_eq!(back, a);
        assert_eq!(a.kind(), ActorKind::DeskOfficer);
        assert_eq!(a.audit_label(), "desk_officer:*********46");
        assert_eq!(a.subject(), "person:10000000146");
        // Two citizens whose numbers end alike share a masked label but never a subject.
        let c1 = Actor::Citizen {
            tckn: Tckn::parse("10000000146").unwrap(),
        };
        let twin = (100..999)
            .filter_map(|n| crate::with_tckn_checksum(&format!("100000{n}")))
            .find(|t| t.ends_with("46") && t != "10000000146")
            .unwrap();
        let c2 = Actor::Citizen {
            tckn: Tckn::parse(&twin).unwrap(),
        };
        assert_eq!(c1.audit_label(), c2.audit_label());
        assert_ne!(c1.subject(), c2.subject());
    }

    #[test]
    fn a_tampered_identity_number_does_not_deserialise() {
        let json = serde_json::json!({"kind": "citizen", "tckn": "10000000147"});
        assert!(serde_json::from_value::<Actor>(json).is_err());
    }
}
