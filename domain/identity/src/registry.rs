//! Simulated government registries (ports).

use kapi_core::{DomainError, MobilePhone, ProvinceCode, Tckn};
use serde::Serialize;
use time::Date;

/// A residence address as the identity registry (KPS / adres kayıt) returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegistryAddress {
    pub province: ProvinceCode,
    pub district_code: i32,
    pub neighbourhood: Option<String>,
    pub open_address: String,
}

/// A citizen as the identity registry knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryCitizen {
    pub tckn: Tckn,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: Date,
    /// Mother's maiden surname (anne kızlık soyadı); petitions check its first and last letter.
    pub mother_maiden_surname: String,
    pub mobile: Option<MobilePhone>,
    pub residence: RegistryAddress,
    /// The e-Devlet password (argon2 PHC string) of the simulated e-Devlet gateway.
    pub edevlet_password_hash: Option<String>,
}

/// The identity registry (e-Devlet / KPS) port.
pub trait CitizenRegistry {
    fn find_citizen(&mut self, tckn: &Tckn) -> Result<Option<RegistryCitizen>, DomainError>;
}

/// A foreigner as the foreigners' registry (GİGM / KPS) knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryForeigner {
    pub ykn: kapi_core::Ykn,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: Date,
    /// ISO 3166-1 alpha-2 (`CT` for the TRNC).
    pub nationality: String,
    pub passport_no: Option<String>,
    pub passport_expires_on: Option<Date>,
    pub residence_permit_until: Option<Date>,
    pub international_protection: bool,
}

/// The foreigners' registry port.
pub trait ForeignerRegistry {
    fn find_foreigner(
        &mut self,
        ykn: &kapi_core::Ykn,
    ) -> Result<Option<RegistryForeigner>, DomainError>;
}

/// A workplace registered with SGK (e-Bildirge).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SgkWorkplace {
    pub sgk_no: String,
    pub title: String,
    pub vkn: kapi_core::Vkn,
    pub province: ProvinceCode,
    pub district_code: i32,
    pub address: String,
    pub employee_count: i32,
}

/// The SGK registry port: workplaces and who is e-Bildirge authorised for them.
pub trait SgkRegistry {
    fn find_workplace(&mut self, sgk_no: &str) -> Result<Option<SgkWorkplace>, DomainError>;
    /// The workplaces `tckn` is e-Bildirge authorised for.
    fn authorised_workplaces(&mut self, tckn: &Tckn) -> Result<Vec<SgkWorkplace>, DomainError>;
}

/// The civil registry's kinship port (NVİ): how `relative` is related to `person`, if at all
/// (`mother`, `father`, `child`, `spouse`, `sibling`, `grandparent`, `grandchild`).
pub trait KinshipRegistry {
    fn relation(&mut self, person: &Tckn, relative: &Tckn) -> Result<Option<String>, DomainError>;
}
