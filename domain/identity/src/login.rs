//! Logins: citizens through (simulated) e-Devlet, staff by username and password.
//!
//! A failed login never says which half was wrong: unknown TCKN, no e-Devlet password and
//! a wrong password all answer `auth.invalid_credentials`.

use crate::password::{burn_verification, verify_password};
use crate::registry::CitizenRegistry;
use kapi_core::{Actor, DomainError, InstitutionId, ProvinceCode, StaffAccountId, Tckn};
use serde::Serialize;

/// The kinds of staff account that log in by username.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    /// Human-resources staff of a public institution (Kariyer Kapısı).
    InstitutionHr,
    /// İŞKUR staff.
    IskurStaff,
    /// Ministry of Labour work-permit evaluator (e-İzin).
    MinistryEvaluator,
    /// Governor / deputy governor administering a province's Açık Kapı users.
    ProvinceAdmin,
    /// Mülki İdare Amiri of a province (Açık Kapı).
    CivilAuthority,
    /// Kapı operator (national code lists).
    SystemAdmin,
}

impl StaffRole {
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::InstitutionHr => "institution_hr",
            StaffRole::IskurStaff => "iskur_staff",
            StaffRole::MinistryEvaluator => "ministry_evaluator",
            StaffRole::ProvinceAdmin => "province_admin",
            StaffRole::CivilAuthority => "civil_authority",
            StaffRole::SystemAdmin => "system_admin",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::InstitutionHr,
            Self::IskurStaff,
            Self::MinistryEvaluator,
            Self::ProvinceAdmin,
            Self::CivilAuthority,
            Self::SystemAdmin,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// A staff account as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffAccount {
    pub id: StaffAccountId,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: StaffRole,
    pub institution_id: Option<InstitutionId>,
    pub province: Option<ProvinceCode>,
    pub active: bool,
}

impl StaffAccount {
    /// The actor this account acts as; `None` when the account lacks the scope its role needs.
    pub fn actor(&self) -> Option<Actor> {
        Some(match self.role {
            StaffRole::InstitutionHr => Actor::InstitutionStaff {
                account_id: self.id,
                institution_id: self.institution_id?,
            },
            StaffRole::IskurStaff => Actor::IskurStaff {
                account_id: self.id,
                province: self.province,
            },
            StaffRole::MinistryEvaluator => Actor::MinistryStaff {
                account_id: self.id,
            },
            StaffRole::ProvinceAdmin => Actor::ProvinceAdmin {
                account_id: self.id,
                province: self.province?,
            },
            StaffRole::CivilAuthority => Actor::CivilAuthority {
                account_id: self.id,
                province: self.province?,
            },
            StaffRole::SystemAdmin => Actor::SystemAdmin {
                account_id: self.id,
            },
        })
    }
}

/// The staff-account port.
pub trait StaffDirectory {
    fn find_by_username(&mut self, username: &str) -> Result<Option<StaffAccount>, DomainError>;
}

fn invalid_credentials() -> DomainError {
    DomainError::unauthenticated(
        "auth.invalid_credentials",
        "The identity number / user name or the password is wrong.",
    )
}

/// Citizen login through the simulated e-Devlet gateway: TCKN + e-Devlet password.
pub fn login_citizen(
    registry: &mut impl CitizenRegistry,
    tckn: &Tckn,
    password: &str,
) -> Result<Actor, DomainError> {
    let citizen = registry.find_citizen(tckn)?;
    match citizen
        .as_ref()
        .and_then(|c| c.edevlet_password_hash.as_deref())
    {
        Some(hash) if verify_password(hash, password) => Ok(Actor::Citizen { tckn: tckn.clone() }),
        Some(_) => Err(invalid_credentials()),
        None => {
            burn_verification(password);
            Err(invalid_credentials())
        }
    }
}

/// Staff login by user name (case-insensitive) and password. Inactive accounts are refused
/// with `auth.account_inactive` only after the password has been proven.
pub fn login_staff(
    dir: &mut impl StaffDirectory,
    username: &str,
    password: &str,
) -> Result<(StaffAccount, Actor), DomainError> {
    let Some(account) = dir.find_by_username(&username.trim().to_lowercase())? else {
        burn_verification(password);
        return Err(invalid_credentials());
    };
    if !verify_password(&account.password_hash, password) {
        return Err(invalid_credentials());
    }
    if !account.active {
        return Err(DomainError::forbidden(
            "auth.account_inactive",
            "This account is not active.",
        ));
    }
    let actor = account.actor().ok_or_else(|| {
        DomainError::internal(format!(
            "staff account {} lacks the scope its role needs",
            account.id
        ))
    })?;
    Ok((account, actor))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::password::hash_password;
    use crate::registry::{RegistryAddress, RegistryCitizen};
    use kapi_core::ErrorKind;
    use std::sync::OnceLock;
    use time::macros::date;

    fn hash() -> &'static str {
        static H: OnceLock<String> = OnceLock::new();
        H.get_or_init(|| hash_password("Parola123").unwrap())
    }

    struct Reg(Vec<RegistryCitizen>);
    impl CitizenRegistry for Reg {
        fn find_citizen(&mut self, tckn: &Tckn) -> Result<Option<RegistryCitizen>, DomainError> {
            Ok(self.0.iter().find(|c| &c.tckn == tckn).cloned())
        }
    }

    struct Dir(Vec<StaffAccount>);
    impl StaffDirectory for Dir {
        fn find_by_username(&mut self, u: &str) -> Result<Option<StaffAccount>, DomainError> {
            Ok(self.0.iter().find(|a| a.username == u).cloned())
        }
    }

    fn citizen(tckn: &str, pw: Option<&str>) -> RegistryCitizen {
        RegistryCitizen {
            tckn: Tckn::parse(tckn).unwrap(),
            first_name: "Ayşe".into(),
            last_name: "Yılmaz".into(),
            birth_date: date!(1990 - 01 - 01),
            mother_maiden_surname: "Kaya".into(),
            mobile: None,
            residence: RegistryAddress {
                province: ProvinceCode::new(6).unwrap(),
                district_code: 1,
                neighbourhood: None,
                open_address: "x".into(),
            },
            edevlet_password_hash: pw.map(str::to_owned),
        }
    }

    #[test]
    fn citizen_login() {
        let tckn = Tckn::parse("10000000146").unwrap();
        let mut reg = Reg(vec![citizen("10000000146", Some(hash()))]);
        assert_eq!(
            login_citizen(&mut reg, &tckn, "Parola123").unwrap(),
            Actor::Citizen { tckn: tckn.clone() }
        );
        assert_eq!(
            login_citizen(&mut reg, &tckn, "parola123")
                .unwrap_err()
                .code,
            "auth.invalid_credentials"
        );
        let other = Tckn::parse(&kapi_core::with_tckn_checksum("123456789").unwrap()).unwrap();
        assert_eq!(
            login_citizen(&mut reg, &other, "Parola123")
                .unwrap_err()
                .kind,
            ErrorKind::Unauthenticated
        );
        let mut no_pw = Reg(vec![citizen("10000000146", None)]);
        assert_eq!(
            login_citizen(&mut no_pw, &tckn, "Parola123")
                .unwrap_err()
                .code,
            "auth.invalid_credentials"
        );
    }

    fn account(role: StaffRole, active: bool) -> StaffAccount {
        StaffAccount {
            id: StaffAccountId::new(),
            username: "admin".into(),
            display_name: "Admin".into(),
            password_hash: hash().to_owned(),
            role,
            institution_id: None,
            province: None,
            active,
        }
    }

    #[test]
    fn staff_login() {
        let mut dir = Dir(vec![account(StaffRole::SystemAdmin, true)]);
        let (_, actor) = login_staff(&mut dir, " ADMIN ", "Parola123").unwrap();
        assert!(matches!(actor, Actor::SystemAdmin { .. }));
        assert_eq!(
            login_staff(&mut dir, "admin", "nope").unwrap_err().code,
            "auth.invalid_credentials"
        );
        assert_eq!(
            login_staff(&mut dir, "nobody", "Parola123")
                .unwrap_err()
                .code,
            "auth.invalid_credentials"
        );
        let mut inactive = Dir(vec![account(StaffRole::SystemAdmin, false)]);
        assert_eq!(
            login_staff(&mut inactive, "admin", "Parola123")
                .unwrap_err()
                .code,
            "auth.account_inactive"
        );
        // A province admin without a province is a data error, not a login.
        let mut broken = Dir(vec![account(StaffRole::ProvinceAdmin, true)]);
        assert_eq!(
            login_staff(&mut broken, "admin", "Parola123")
                .unwrap_err()
                .kind,
            ErrorKind::Internal
        );
    }
}
