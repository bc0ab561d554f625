//! Facts about an employer that more than one context needs.

use serde::{Deserialize, Serialize};

/// Public or private employer (kamu / özel): İŞKUR's quota rates and the ex-convict
/// obligation depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmployerSector {
    Public,
    Private,
}

impl EmployerSector {
    pub fn as_str(self) -> &'static str {
        match self {
            EmployerSector::Public => "public",
            EmployerSector::Private => "private",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "public" => Some(EmployerSector::Public),
            "private" => Some(EmployerSector::Private),
            _ => None,
        }
    }
}
