//! Contact details: Turkish mobile numbers and e-mail addresses.

use crate::error::FieldError;
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

/// A Turkish mobile number, stored as the ten national digits starting with 5.
/// Accepts `+90 5xx…`, `90 5xx…`, `0 5xx…` and `5xx…`, with spaces, dashes, dots or brackets.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MobilePhone(String);

impl MobilePhone {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let trimmed = s.trim();
        let plus = trimmed.starts_with('+');
        let mut digits = String::with_capacity(12);
        for c in trimmed.chars().skip(usize::from(plus)) {
            match c {
                '0'..='9' => digits.push(c),
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => return Err(Self::bad()),
            }
        }
        let national = if plus || (digits.len() == 12 && digits.starts_with("90")) {
            digits.strip_prefix("90").ok_or_else(Self::bad)?
        } else if digits.len() == 11 && digits.starts_with('0') {
            &digits[1..]
        } else {
            &digits
        };
        if national.len() != 10 || !national.starts_with('5') {
            return Err(Self::bad());
        }
        Ok(Self(national.to_owned()))
    }

    fn bad() -> FieldError {
        FieldError::new(
            "value",
            "phone.format",
            "A Turkish mobile number has 10 digits starting with 5 (e.g. 5321234567).",
        )
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `+905321234567`, the form SMS gateways take.
    pub fn e164(&self) -> String {
        format!("+90{}", self.0)
    }

    /// `******4567`, for logs.
    pub fn masked(&self) -> String {
        format!("******{}", &self.0[6..])
    }
}

/// An e-mail address: one `@`, a non-empty local part, a dotted domain, no spaces; the
/// domain is lower-cased. Deliverability is proven by a one-time code, not by syntax.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let s = s.trim();
        let bad = || FieldError::new("value", "email.format", "Not a valid e-mail address.");
        if s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad());
        }
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        if local.is_empty() || local.len() > 64 || domain.contains('@') {
            return Err(bad());
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2
            || labels
                .iter()
                .any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-'))
            || !labels
                .iter()
                .all(|l| l.chars().all(|c| c.is_alphanumeric() || c == '-'))
        {
            return Err(bad());
        }
        Ok(Self(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! serde_via_parse {
    ($t:ident) => {
        impl Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }
        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                $t::parse(&s).map_err(|e| serde::de::Error::custom(e.message))
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}
serde_via_parse!(MobilePhone);
serde_via_parse!(Email);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_normalises_prefixes() {
        for s in [
            "5321234567",
            "05321234567",
            "+905321234567",
            "905321234567",
            "+90 (532) 123-45-67",
            "0532 123 45 67",
        ] {
            assert_eq!(MobilePhone::parse(s).unwrap().as_str(), "5321234567", "{s}");
        }
        assert_eq!(
            MobilePhone::parse("5321234567").unwrap().e164(),
            "+905321234567"
        );
        assert_eq!(
            MobilePhone::parse("5321234567").unwrap().masked(),
            "******4567"
        );
    }

    #[test]
    fn mobile_refuses_landlines_and_junk() {
        for s in [
            "3121234567",
            "0312 123 45 67",
            "532123456",
            "53212345678",
            "+15321234567",
            "53212x4567",
            "",
            "+4905321234567",
        ] {
            assert_eq!(
                MobilePhone::parse(s).unwrap_err().code,
                "phone.format",
                "{s}"
            );
        }
    }

    #[test]
    fn email_parses_and_lowercases_domain() {
        assert_eq!(
            Email::parse(" Ayse.Yilmaz@Ornek.GOV.tr ").unwrap().as_str(),
            "Ayse.Yilmaz@ornek.gov.tr"
        );
        for s in [
            "", "a", "a@", "@b.c", "a@b", "a b@c.d", "a@b..c", "a@@b.c", "a@-b.c",
        ] {
            assert_eq!(Email::parse(s).unwrap_err().code, "email.format", "{s}");
        }
    }
}
