//! Money in Turkish lira, held as whole kuruş so sums are exact.

use crate::error::FieldError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount in kuruş (1 TL = 100 kuruş). Serialised as an integer number of kuruş.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(i64);

impl Money {
    pub const ZERO: Money = Money(0);

    pub fn from_kurus(kurus: i64) -> Self {
        Self(kurus)
    }

    /// Parses `1234`, `1234.5`, `1234,50` (lira with up to two decimals); never rounds.
    pub fn parse_lira(s: &str) -> Result<Self, FieldError> {
        let bad = || {
            FieldError::new(
                "value",
                "money.format",
                "An amount is lira with at most two decimals, e.g. 1234.50.",
            )
        };
        let s = s.trim().replace(',', ".");
        let (neg, s) = match s.strip_prefix('-') {
            Some(rest) => (true, rest.to_owned()),
            None => (false, s),
        };
        let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
        if whole.is_empty()
            || !whole.bytes().all(|b| b.is_ascii_digit())
            || frac.len() > 2
            || !frac.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let lira: i64 = whole.parse().map_err(|_| bad())?;
        let mut kurus: i64 = if frac.is_empty() {
            0
        } else {
            frac.parse().map_err(|_| bad())?
        };
        if frac.len() == 1 {
            kurus *= 10;
        }
        let total = lira
            .checked_mul(100)
            .and_then(|v| v.checked_add(kurus))
            .ok_or_else(bad)?;
        Ok(Self(if neg { -total } else { total }))
    }

    pub fn kurus(self) -> i64 {
        self.0
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    /// Half the amount, a half kuruş rounded up (the lost-card fee is half the permit fee).
    pub fn half_rounded_up(self) -> Money {
        Money(self.0 / 2 + self.0 % 2)
    }
}

impl fmt::Display for Money {
    /// `1234.50 TL`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02} TL", a / 100, a % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lira() {
        assert_eq!(Money::parse_lira("1234").unwrap().kurus(), 123_400);
        assert_eq!(Money::parse_lira("1234.5").unwrap().kurus(), 123_450);
        assert_eq!(Money::parse_lira("1234,05").unwrap().kurus(), 123_405);
        assert_eq!(Money::parse_lira("-3.10").unwrap().kurus(), -310);
        for bad in ["", "1.234", "abc", "1.2.3", ".5", "99999999999999999999"] {
            assert!(Money::parse_lira(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn arithmetic_and_display() {
        let a = Money::from_kurus(1001);
        assert_eq!(a.half_rounded_up().kurus(), 501);
        assert_eq!(Money::from_kurus(1000).half_rounded_up().kurus(), 500);
        assert_eq!(a.checked_add(Money::from_kurus(99)).unwrap().kurus(), 1100);
        assert_eq!(Money::from_kurus(i64::MAX).checked_add(a), None);
        assert_eq!(Money::from_kurus(123_405).to_string(), "1234.05 TL");
        assert_eq!(Money::from_kurus(-5).to_string(), "-0.05 TL");
    }
}
