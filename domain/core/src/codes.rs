//! Code-list keys that enter through requests, valid by construction.

use crate::error::FieldError;

/// An occupation code of the Turkish occupation dictionary (Türk Meslekler Sözlüğü,
/// ISCO-08 based): four digits, a dot, two digits (`2512.04`). Whether the code exists is
/// the store's question; this type only guarantees the shape.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OccupationCode(String);

impl OccupationCode {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim();
        let ok = s.len() == 7
            && s.as_bytes()[4] == b'.'
            && s.bytes()
                .enumerate()
                .all(|(i, b)| i == 4 || b.is_ascii_digit());
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(FieldError::new(
                "occupation_code",
                "occupation.format",
                "An occupation code looks like 2512.04.",
            ))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn occupation_code_shape() {
        assert_eq!(
            OccupationCode::parse(" 2512.04 ").unwrap().as_str(),
            "2512.04"
        );
        for bad in ["2512", "2512-04", "25120.4", "abcd.ef", "2512.045"] {
            assert_eq!(
                OccupationCode::parse(bad).unwrap_err().code,
                "occupation.format"
            );
        }
    }
}
