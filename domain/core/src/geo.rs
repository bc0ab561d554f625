//! Geography: province plate codes.

use crate::error::FieldError;
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

/// A province (il) by its plate code, 1–81 (`06` Ankara, `34` İstanbul).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ProvinceCode(u8);

impl ProvinceCode {
    pub fn new(code: i64) -> Result<Self, FieldError> {
        if (1..=81).contains(&code) {
            Ok(Self(code as u8))
        } else {
            Err(FieldError::new(
                "value",
                "province.unknown",
                "A province plate code is between 1 and 81.",
            ))
        }
    }
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let s = s.trim();
        if s.is_empty() || s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new(
                "value",
                "province.unknown",
                "A province plate code is between 01 and 81.",
            ));
        }
        Self::new(s.parse::<i64>().unwrap_or(0))
    }
    pub fn get(self) -> u8 {
        self.0
    }
}

impl fmt::Display for ProvinceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}", self.0)
    }
}

impl Serialize for ProvinceCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.0)
    }
}

impl<'de> Deserialize<'de> for ProvinceCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = i64::deserialize(d)?;
        ProvinceCode::new(n).map_err(|e| serde::de::Error::custom(e.message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plate_codes() {
        assert_eq!(ProvinceCode::parse("06").unwrap().get(), 6);
        assert_eq!(ProvinceCode::parse("81").unwrap().to_string(), "81");
        assert_eq!(ProvinceCode::new(1).unwrap().to_string(), "01");
        for bad in ["0", "82", "00", "", "abc", "123", "-1"] {
            assert!(ProvinceCode::parse(bad).is_err(), "{bad}");
        }
    }
}
