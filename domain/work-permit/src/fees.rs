//! Fees of a work permit — DOMAIN.md §7, seed 003 §5.1.3, §6.1, §7.3.
//!
//! An approved application pays two amounts, separately, each against its own transaction
//! reference: the **work-permit fee** (çalışma izni harcı, account 9130) and the **card fee**
//! (değerli kâğıt bedeli, account 9267). "Eksik veya fazla yatırılması halinde işlem
//! sonuçlandırılamamaktadır": a payment that is not exactly the amount due is refused, under
//! or over ([`check_payment`], `fee.amount_mismatch`). Fees are paid within 30 days
//! ([`payment_deadline`]), else the application is rejected (see [`crate::evaluation`]).
//!
//! The amounts are **data**: a [`FeeSchedule`] of rows, each valid from a date for a band of
//! permit durations in months. Choices written down here because the manuals are silent:
//! - the rows sharing one `valid_from` are one **version** of the tariff; the version in force
//!   on a date is the one with the latest `valid_from` on or before it, and it replaces the
//!   older one entirely (a band missing from it is `fee.no_band`, never an old amount);
//! - a permit's duration in months counts a started month as a whole one
//!   ([`crate::calendar::period_months`]); bands are inclusive month ranges and may be as fine
//!   as one row per month if the tariff is monthly;
//! - the fees of an application are taken from the version in force on the day the ministry
//!   approves it pending fees; the lost-card fee ("güncel tutarlar üzerinden", Harçlar
//!   Kanunu md. 90) from the version in force on the day of the request, for the permit's
//!   duration band;
//! - the lost-card fee is **half the permit fee plus the whole card fee**; half of an odd
//!   number of kuruş is rounded **up** to the next kuruş ([`Money::half_rounded_up`], the
//!   kernel's rule: a payment cannot be in half kuruş, and rounding down would under-collect
//!   a legal fee).
//!
//! The CSV a loader reads from `reference/` has one [`FeeCsvRow`] a line:
//!
//! ```text
//! valid_from,months_min,months_max,permit_fee,card_fee
//! 2026-01-01,1,12,13025.55,1593.10
//! ```

use crate::calendar::{days_after, THIRTY_DAYS};
use crate::refuse;
use kapi_core::{DomainError, FieldError, Money};
use serde::{Deserialize, Serialize};
use time::macros::format_description;
use time::{Date, OffsetDateTime};

/// Days the employer has to pay once the ministry approves pending fees, and to pay a
/// lost-card fee once the reference is generated.
pub const PAYMENT_DAYS: i64 = THIRTY_DAYS;

code_list! {
    /// The two amounts a permit pays, each to its own account.
    FeeAccount {
        /// Çalışma izni harcı — account 9130.
        PermitFee => "permit_fee", "Çalışma İzni Harcı";
        /// Değerli kâğıt bedeli — account 9267.
        CardFee => "card_fee", "Değerli Kâğıt Bedeli";
    }
}

impl FeeAccount {
    /// The revenue account code the bank receipt names.
    pub fn account_code(self) -> &'static str {
        match self {
            FeeAccount::PermitFee => "9130",
            FeeAccount::CardFee => "9267",
        }
    }
}

/// One row of the tariff: from `valid_from`, permits of `months_min..=months_max` months pay
/// these amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeRow {
    pub valid_from: Date,
    pub months_min: u16,
    pub months_max: u16,
    pub permit_fee: Money,
    pub card_fee: Money,
}

impl FeeRow {
    pub fn covers(&self, months: u32) -> bool {
        u32::from(self.months_min) <= months && months <= u32::from(self.months_max)
    }
}

/// The amounts due, per account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeesDue {
    pub permit_fee: Money,
    pub card_fee: Money,
}

impl FeesDue {
    pub fn due(&self, account: FeeAccount) -> Money {
        match account {
            FeeAccount::PermitFee => self.permit_fee,
            FeeAccount::CardFee => self.card_fee,
        }
    }

    /// Both amounts together (shown to the user; each is still paid separately).
    pub fn total(&self) -> Money {
        self.permit_fee
            .checked_add(self.card_fee)
            .unwrap_or(Money::from_kurus(i64::MAX))
    }
}

/// A validated tariff: rows sorted by `valid_from` then `months_min`, bands within a version
/// not overlapping, amounts positive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeeSchedule {
    rows: Vec<FeeRow>,
}

impl FeeSchedule {
    /// Checks every row (named `rows[i].field`, in the order given) and sorts them.
    pub fn new(mut rows: Vec<FeeRow>) -> Result<Self, DomainError> {
        let mut e = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            if r.months_min == 0 || r.months_min > r.months_max {
                e.push(FieldError::new(
                    format!("rows[{i}].months_max"),
                    "fee.band_reversed",
                    "A band is 1 ≤ months_min ≤ months_max.",
                ));
            }
            for (field, amount) in [("permit_fee", r.permit_fee), ("card_fee", r.card_fee)] {
                if amount <= Money::ZERO {
                    e.push(FieldError::new(
                        format!("rows[{i}].{field}"),
                        "fee.amount_not_positive",
                        "A fee is more than zero.",
                    ));
                }
            }
            for (j, other) in rows.iter().enumerate().take(i) {
                if other.valid_from == r.valid_from
                    && other.months_min <= r.months_max
                    && r.months_min <= other.months_max
                {
                    e.push(FieldError::new(
                        format!("rows[{i}].months_min"),
                        "fee.band_overlap",
                        format!("The band overlaps rows[{j}] of the same valid_from."),
                    ));
                }
            }
        }
        if rows.is_empty() {
            e.push(FieldError::new(
                "rows",
                "fee.no_schedule",
                "A fee schedule has at least one row.",
            ));
        }
        refuse(e)?;
        rows.sort_by_key(|r| (r.valid_from, r.months_min));
        Ok(Self { rows })
    }

    /// Parses CSV rows (see the module doc), naming `rows[i].field` for each bad value.
    pub fn from_csv_rows(rows: &[FeeCsvRow]) -> Result<Self, DomainError> {
        let mut e = Vec::new();
        let mut parsed = Vec::new();
        let format = format_description!("[year]-[month]-[day]");
        for (i, r) in rows.iter().enumerate() {
            let valid_from = Date::parse(r.valid_from.trim(), &format).map_err(|_| {
                FieldError::new(
                    format!("rows[{i}].valid_from"),
                    "fee.valid_from_format",
                    "A date as YYYY-MM-DD.",
                )
            });
            let permit =
                Money::parse_lira(&r.permit_fee).map_err(|x| x.at(format!("rows[{i}].permit_fee")));
            let card =
                Money::parse_lira(&r.card_fee).map_err(|x| x.at(format!("rows[{i}].card_fee")));
            match (valid_from, permit, card) {
                (Ok(valid_from), Ok(permit_fee), Ok(card_fee)) => parsed.push(FeeRow {
                    valid_from,
                    months_min: r.months_min,
                    months_max: r.months_max,
                    permit_fee,
                    card_fee,
                }),
                (a, b, c) => {
                    e.extend(a.err());
                    e.extend(b.err());
                    e.extend(c.err());
                }
            }
        }
        refuse(e)?;
        Self::new(parsed)
    }

    pub fn rows(&self) -> &[FeeRow] {
        &self.rows
    }

    /// The `valid_from` of the version in force on `on`.
    pub fn version_on(&self, on: Date) -> Option<Date> {
        self.rows
            .iter()
            .rev()
            .map(|r| r.valid_from)
            .find(|v| *v <= on)
    }

    /// The row in force on `on` for a permit of `months` months: `fee.no_schedule` before
    /// the first version, `fee.no_band` when the version in force has no band for it.
    pub fn row_for(&self, on: Date, months: u32) -> Result<&FeeRow, DomainError> {
        let version = self.version_on(on).ok_or_else(|| {
            DomainError::invalid(
                "fee.no_schedule",
                format!("No fee schedule is in force on {on}."),
            )
        })?;
        self.rows
            .iter()
            .find(|r| r.valid_from == version && r.covers(months))
            .ok_or_else(|| {
                DomainError::invalid(
                    "fee.no_band",
                    format!("The fee schedule of {version} has no amount for {months} months."),
                )
            })
    }

    /// The fees of a permit of `months` months, as in force on `on`.
    pub fn fees_for(&self, on: Date, months: u32) -> Result<FeesDue, DomainError> {
        let r = self.row_for(on, months)?;
        Ok(FeesDue {
            permit_fee: r.permit_fee,
            card_fee: r.card_fee,
        })
    }

    /// The fee for a new card after a loss, theft or damage: half the permit fee (a half
    /// kuruş rounded up) plus the whole card fee, at the amounts in force on `on`.
    pub fn lost_card_fees(&self, on: Date, months: u32) -> Result<FeesDue, DomainError> {
        let full = self.fees_for(on, months)?;
        Ok(FeesDue {
            permit_fee: full.permit_fee.half_rounded_up(),
            card_fee: full.card_fee,
        })
    }
}

/// Refuses any payment that is not exactly the amount due (`fee.amount_mismatch`), saying
/// whether it was short or over.
pub fn check_payment(due: Money, paid: Money) -> Result<(), DomainError> {
    if paid == due {
        return Ok(());
    }
    let how = if paid < due { "less" } else { "more" };
    Err(DomainError::rule(FieldError::new(
        "amount",
        "fee.amount_mismatch",
        format!("Paid {paid}, {how} than the {due} due; only the exact amount is accepted."),
    )))
}

/// The last Istanbul day fees asked at `since` can be paid.
pub fn payment_deadline(since: OffsetDateTime) -> Date {
    days_after(since, PAYMENT_DAYS)
}

/// A fee schedule line as a CSV loader reads it: dates `YYYY-MM-DD`, amounts in lira with
/// up to two decimals (`13025.55`), so the file reads like the published tariff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeCsvRow {
    pub valid_from: String,
    pub months_min: u16,
    pub months_max: u16,
    pub permit_fee: String,
    pub card_fee: String,
}

/// Demo tariff rows for 2025 and 2026, by year bands (up to 1, 2, 3 years).
///
/// **The amounts are made up** — plausible orders of magnitude for 2025–2026, not the
/// official tariff (the Harçlar Kanunu tariff and the card fee are revalued every year and
/// must come from the published numbers in production). The 2026 one-year permit fee is an
/// odd number of kuruş on purpose, so the lost-card rounding shows.
pub fn demo_rows() -> Vec<FeeCsvRow> {
    let row = |valid_from: &str, min, max, permit: &str, card: &str| FeeCsvRow {
        valid_from: valid_from.into(),
        months_min: min,
        months_max: max,
        permit_fee: permit.into(),
        card_fee: card.into(),
    };
    vec![
        row("2025-01-01", 1, 12, "10387.90", "1270.20"),
        row("2025-01-01", 13, 24, "20775.80", "1270.20"),
        row("2025-01-01", 25, 36, "31163.70", "1270.20"),
        row("2026-01-01", 1, 12, "13025.55", "1593.10"),
        row("2026-01-01", 13, 24, "26051.10", "1593.10"),
        row("2026-01-01", 25, 36, "39076.65", "1593.10"),
    ]
}

/// The demo tariff of [`demo_rows`].
pub fn demo_schedule() -> Result<FeeSchedule, DomainError> {
    FeeSchedule::from_csv_rows(&demo_rows())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn lira(s: &str) -> Money {
        Money::parse_lira(s).unwrap()
    }

    #[test]
    fn accounts_have_their_codes() {
        assert_eq!(FeeAccount::PermitFee.account_code(), "9130");
        assert_eq!(FeeAccount::CardFee.account_code(), "9267");
        assert_eq!(FeeAccount::CardFee.label_tr(), "Değerli Kâğıt Bedeli");
    }

    #[test]
    fn the_version_in_force_on_a_date() {
        let s = demo_schedule().unwrap();
        assert_eq!(s.rows().len(), 6);
        assert_eq!(
            s.fees_for(date!(2025 - 12 - 31), 12).unwrap().permit_fee,
            lira("10387.90")
        );
        let due = s.fees_for(date!(2026 - 01 - 01), 12).unwrap();
        assert_eq!(due.permit_fee, lira("13025.55"));
        assert_eq!(due.card_fee, lira("1593.10"));
        assert_eq!(due.total(), lira("14618.65"));
        assert_eq!(due.due(FeeAccount::CardFee), lira("1593.10"));
        assert_eq!(
            s.fees_for(date!(2024 - 12 - 31), 12).unwrap_err().code,
            "fee.no_schedule"
        );
    }

    #[test]
    fn bands_are_inclusive_month_ranges() {
        let s = demo_schedule().unwrap();
        let on = date!(2026 - 06 - 01);
        assert_eq!(s.fees_for(on, 1).unwrap().permit_fee, lira("13025.55"));
        assert_eq!(s.fees_for(on, 12).unwrap().permit_fee, lira("13025.55"));
        assert_eq!(s.fees_for(on, 13).unwrap().permit_fee, lira("26051.10"));
        assert_eq!(s.fees_for(on, 36).unwrap().permit_fee, lira("39076.65"));
        assert_eq!(s.fees_for(on, 37).unwrap_err().code, "fee.no_band");
        assert_eq!(s.fees_for(on, 0).unwrap_err().code, "fee.no_band");
    }

    #[test]
    fn a_newer_version_replaces_the_older_entirely() {
        let s = FeeSchedule::new(vec![
            FeeRow {
                valid_from: date!(2025 - 01 - 01),
                months_min: 1,
                months_max: 36,
                permit_fee: lira("100"),
                card_fee: lira("10"),
            },
            FeeRow {
                valid_from: date!(2026 - 01 - 01),
                months_min: 1,
                months_max: 12,
                permit_fee: lira("200"),
                card_fee: lira("20"),
            },
        ])
        .unwrap();
        assert_eq!(
            s.fees_for(date!(2025 - 06 - 01), 24).unwrap().permit_fee,
            lira("100")
        );
        assert_eq!(
            s.fees_for(date!(2026 - 06 - 01), 24).unwrap_err().code,
            "fee.no_band"
        );
    }

    #[test]
    fn lost_card_is_half_the_permit_fee_rounded_up_plus_the_card_fee() {
        let s = demo_schedule().unwrap();
        // 13025.55 TL is 1 302 555 kuruş, odd: half is 651 277.5 → 651 278.
        let lost = s.lost_card_fees(date!(2026 - 03 - 01), 12).unwrap();
        assert_eq!(lost.permit_fee, Money::from_kurus(651_278));
        assert_eq!(lost.card_fee, lira("1593.10"));
        assert_eq!(lost.total(), Money::from_kurus(651_278 + 159_310));
        // An even amount halves exactly: 26051.10 → 13025.55.
        let lost = s.lost_card_fees(date!(2026 - 03 - 01), 24).unwrap();
        assert_eq!(lost.permit_fee, lira("13025.55"));
        // "Güncel tutarlar": a permit granted in 2025 pays the 2026 amounts in 2026.
        let lost = s.lost_card_fees(date!(2026 - 01 - 01), 12).unwrap();
        assert_eq!(lost.card_fee, lira("1593.10"));
    }

    #[test]
    fn only_the_exact_amount_is_accepted() {
        let due = lira("1593.10");
        assert!(check_payment(due, lira("1593.10")).is_ok());
        for paid in ["1593.09", "1593.11", "0", "3186.20"] {
            let err = check_payment(due, lira(paid)).unwrap_err();
            assert_eq!(err.code, "fee.amount_mismatch", "{paid}");
            assert_eq!(err.fields[0].field, "amount");
        }
        assert!(check_payment(due, lira("1593.09"))
            .unwrap_err()
            .message
            .contains("less"));
        assert!(check_payment(due, lira("1593.11"))
            .unwrap_err()
            .message
            .contains("more"));
    }

    #[test]
    fn fees_are_paid_within_thirty_days() {
        let asked = datetime!(2026-01-31 15:00 +03:00);
        assert_eq!(payment_deadline(asked), date!(2026 - 03 - 02));
    }

    #[test]
    fn bad_rows_are_named() {
        let mut rows = demo_rows();
        rows[1].months_min = 10; // overlaps rows[0] (1–12)
        rows[2].permit_fee = "-5".into();
        rows[3].valid_from = "01.01.2026".into();
        rows[4].card_fee = "12,345.6".into();
        rows[5].months_min = 40;
        let err = FeeSchedule::from_csv_rows(&rows).unwrap_err();
        let fields: Vec<(&str, &str)> = err
            .fields
            .iter()
            .map(|f| (f.field.as_str(), f.code.as_ref()))
            .collect();
        assert_eq!(
            fields,
            [
                ("rows[3].valid_from", "fee.valid_from_format"),
                ("rows[4].card_fee", "money.format"),
            ]
        );
        rows[3].valid_from = "2026-01-01".into();
        rows[4].card_fee = "1593.10".into();
        let err = FeeSchedule::from_csv_rows(&rows).unwrap_err();
        let fields: Vec<(&str, &str)> = err
            .fields
            .iter()
            .map(|f| (f.field.as_str(), f.code.as_ref()))
            .collect();
        assert_eq!(
            fields,
            [
                ("rows[1].months_min", "fee.band_overlap"),
                ("rows[2].permit_fee", "fee.amount_not_positive"),
                ("rows[5].months_max", "fee.band_reversed"),
            ]
        );
        assert_eq!(
            FeeSchedule::new(vec![]).unwrap_err().code,
            "fee.no_schedule"
        );
    }
}
