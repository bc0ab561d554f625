//! Turkish identity and tax numbers, valid by construction.

use crate::error::FieldError;
use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

fn digits_of(
    s: &str,
    len: usize,
    code_prefix: &'static str,
    what: &str,
) -> Result<Vec<u8>, FieldError> {
    let s = s.trim();
    if s.len() != len || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(FieldError::new(
            "value",
            format!("{code_prefix}.format"),
            format!("{what} must be exactly {len} digits."),
        ));
    }
    Ok(s.bytes().map(|b| b - b'0').collect())
}

/// The two check digits of an 11-digit T.C. kimlik number from its first nine digits.
fn tckn_check_digits(d: &[u8]) -> (u8, u8) {
    let odd: i32 = [0, 2, 4, 6, 8].iter().map(|&i| i32::from(d[i])).sum();
    let even: i32 = [1, 3, 5, 7].iter().map(|&i| i32::from(d[i])).sum();
    let d10 = (odd * 7 - even).rem_euclid(10) as u8;
    let d11 = ((d[..9].iter().map(|&x| i32::from(x)).sum::<i32>() + i32::from(d10)) % 10) as u8;
    (d10, d11)
}

fn tckn_checksum_ok(d: &[u8]) -> bool {
    let (d10, d11) = tckn_check_digits(d);
    d[9] == d10 && d[10] == d11
}

/// Completes nine leading digits with the TCKN/YKN check digits (for demo and test data).
pub fn with_tckn_checksum(first_nine: &str) -> Option<String> {
    if first_nine.len() != 9 || !first_nine.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let d: Vec<u8> = first_nine.bytes().map(|b| b - b'0').collect();
    let (d10, d11) = tckn_check_digits(&d);
    Some(format!("{first_nine}{d10}{d11}"))
}

macro_rules! string_newtype_serde {
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
        impl std::str::FromStr for $t {
            type Err = FieldError;
            fn from_str(s: &str) -> Result<Self, FieldError> {
                $t::parse(s)
            }
        }
        impl AsRef<str> for $t {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
        impl $t {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
    };
}

/// T.C. kimlik numarası: 11 digits, first not 0, two check digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tckn(String);

impl Tckn {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let d = digits_of(s, 11, "tckn", "A T.C. identity number")?;
        if d[0] == 0 {
            return Err(FieldError::new(
                "value",
                "tckn.leading_zero",
                "A T.C. identity number cannot start with 0.",
            ));
        }
        if !tckn_checksum_ok(&d) {
            return Err(FieldError::new(
                "value",
                "tckn.checksum",
                "The T.C. identity number's check digits are wrong.",
            ));
        }
        Ok(Self(s.trim().to_owned()))
    }

    /// The number with all but the last two digits hidden, for logs and lists (`*********46`).
    pub fn masked(&self) -> String {
        format!("*********{}", &self.0[9..])
    }
}
string_newtype_serde!(Tckn);

/// Yabancı kimlik numarası: 11 digits starting with 99, TCKN checksum.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ykn(String);

impl Ykn {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let d = digits_of(s, 11, "ykn", "A foreigner identity number")?;
        if d[0] != 9 || d[1] != 9 {
            return Err(FieldError::new(
                "value",
                "ykn.prefix",
                "A foreigner identity number starts with 99.",
            ));
        }
        if !tckn_checksum_ok(&d) {
            return Err(FieldError::new(
                "value",
                "ykn.checksum",
                "The foreigner identity number's check digits are wrong.",
            ));
        }
        Ok(Self(s.trim().to_owned()))
    }
}
string_newtype_serde!(Ykn);

/// Vergi kimlik numarası: 10 digits with the Revenue Administration (GİB) check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Vkn(String);

/// The GİB check digit of a VKN from its first nine digits.
fn vkn_check_digit(d: &[u8]) -> u8 {
    let mut sum: u32 = 0;
    for (i, &digit) in d.iter().take(9).enumerate() {
        let tmp = (u32::from(digit) + 9 - i as u32) % 10;
        let mut v = (tmp * (1u32 << (9 - i))) % 9;
        if tmp != 0 && v == 0 {
            v = 9;
        }
        sum += v;
    }
    ((10 - sum % 10) % 10) as u8
}

/// Completes nine leading digits with the VKN check digit (for demo and test data).
pub fn with_vkn_checksum(first_nine: &str) -> Option<String> {
    if first_nine.len() != 9 || !first_nine.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let d: Vec<u8> = first_nine.bytes().map(|b| b - b'0').collect();
    Some(format!("{first_nine}{}", vkn_check_digit(&d)))
}

impl Vkn {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let d = digits_of(s, 10, "vkn", "A tax number")?;
        if d[9] != vkn_check_digit(&d) {
            return Err(FieldError::new(
                "value",
                "vkn.checksum",
                "The tax number's check digit is wrong.",
            ));
        }
        Ok(Self(s.trim().to_owned()))
    }
}
string_newtype_serde!(Vkn);

/// SGK workplace registration number (işyeri sicil numarası), format-checked: the
/// e-Bildirge number is 22 to 26 digits depending on how it is written (with or without
/// the intermediary code); spaces and dashes people copy from documents are dropped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SgkNo(String);

impl SgkNo {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let cleaned: String = s
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '.'))
            .collect();
        if !(22..=26).contains(&cleaned.len()) || !cleaned.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new(
                "value",
                "sgk_no.format",
                "An SGK workplace registration number has 22 to 26 digits.",
            ));
        }
        Ok(Self(cleaned))
    }
}
string_newtype_serde!(SgkNo);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sgk_no_format() {
        assert_eq!(
            SgkNo::parse("2512001-0100000-10060000").unwrap().as_str(),
            "2512001010000010060000"
        );
        for bad in [
            "",
            "123",
            "25120010100000100600001234567",
            "2512001010000010060A00",
        ] {
            assert_eq!(SgkNo::parse(bad).unwrap_err().code, "sgk_no.format");
        }
    }

    #[test]
    fn tckn_accepts_a_valid_number() {
        assert_eq!(Tckn::parse("10000000146").unwrap().as_str(), "10000000146");
        assert_eq!(
            Tckn::parse(" 10000000146 ").unwrap().as_str(),
            "10000000146"
        );
    }

    #[test]
    fn tckn_refuses_bad_numbers_with_codes() {
        assert_eq!(
            Tckn::parse("10000000147").unwrap_err().code,
            "tckn.checksum"
        );
        assert_eq!(
            Tckn::parse("10000000156").unwrap_err().code,
            "tckn.checksum"
        );
        assert_eq!(
            Tckn::parse("00000000146").unwrap_err().code,
            "tckn.leading_zero"
        );
        assert_eq!(Tckn::parse("1000000014").unwrap_err().code, "tckn.format");
        assert_eq!(Tckn::parse("1000000014a").unwrap_err().code, "tckn.format");
        assert_eq!(Tckn::parse("").unwrap_err().code, "tckn.format");
    }

    #[test]
    fn tckn_generated_checksums_round_trip() {
        for first in ["123456789", "987654321", "500000001", "111111111"] {
            let n = with_tckn_checksum(first).unwrap();
            assert!(Tckn::parse(&n).is_ok(), "{n}");
        }
        assert!(with_tckn_checksum("12345678").is_none());
    }

    #[test]
    fn tckn_masks_all_but_last_two() {
        assert_eq!(Tckn::parse("10000000146").unwrap().masked(), "*********46");
    }

    #[test]
    fn tckn_serde_refuses_invalid() {
        assert!(serde_json::from_str::<Tckn>("\"10000000146\"").is_ok());
        assert!(serde_json::from_str::<Tckn>("\"10000000147\"").is_err());
    }

    #[test]
    fn ykn_needs_99_prefix_and_checksum() {
        let n = with_tckn_checksum("991234567").unwrap();
        assert!(Ykn::parse(&n).is_ok());
        let tc = with_tckn_checksum("981234567").unwrap();
        assert_eq!(Ykn::parse(&tc).unwrap_err().code, "ykn.prefix");
        let mut bad = n.clone();
        bad.replace_range(10..11, if n.ends_with('0') { "1" } else { "0" });
        assert_eq!(Ykn::parse(&bad).unwrap_err().code, "ykn.checksum");
    }

    #[test]
    fn vkn_checksum() {
        for ok in ["1234567890", "0000000001", "9876543217", "1111111114"] {
            assert!(Vkn::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(Vkn::parse("1234567891").unwrap_err().code, "vkn.checksum");
        assert_eq!(Vkn::parse("9876543210").unwrap_err().code, "vkn.checksum");
        assert_eq!(Vkn::parse("12345").unwrap_err().code, "vkn.format");
        assert_eq!(with_vkn_checksum("123456789").unwrap(), "1234567890");
    }
}
