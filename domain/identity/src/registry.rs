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
