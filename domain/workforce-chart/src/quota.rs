//! Quota status (kontenjan durumu) — Labour Law 4857 art. 30, seed 001 §2.1.3.3.
//!
//! Rules implemented here:
//! - The obligation exists when the employer employs **50 or more workers over all its
//!   workplaces in the same province**; each province is assessed on its own.
//! - **Underground and underwater workers are left out of the disabled-quota base** (and
//!   only of that base: they count for the 50-worker threshold and the other categories).
//! - Rates are **dated parameters** per sector (public / private) and category (disabled,
//!   ex-convict, terror victim), not constants: the rate in force on the first day of the
//!   month is used; a category with no rate in force for the sector is not owed.
//! - The required number is base × rate with fractions under one half dropped and one half
//!   or more rounded up.
//! - The status shows, per category, base, required, employed and the balance
//!   (employed − required: negative is a shortfall, positive a surplus).

use kapi_core::{ProvinceCode, WorkplaceId};
use time::Date;

/// The 50-worker threshold of art. 30.
pub const THRESHOLD: u32 = 50;

pub use kapi_core::EmployerSector;

/// Who must be employed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum QuotaCategory {
    /// Engelli.
    Disabled,
    /// Eski hükümlü.
    ExConvict,
    /// Terör mağduru (Law 3713 add. art. 1).
    TerrorVictim,
}

/// A rate in basis points (300 = 3 %), in force from `valid_from` until `valid_until` (inclusive) if set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaRate {
    pub sector: EmployerSector,
    pub category: QuotaCategory,
    pub basis_points: u32,
    pub valid_from: Date,
    pub valid_until: Option<Date>,
}

impl QuotaRate {
    fn in_force_on(&self, day: Date) -> bool {
        self.valid_from <= day && self.valid_until.is_none_or(|u| day <= u)
    }
}

/// One workplace's month-end headcount, from its workforce chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkplaceHeadcount {
    pub workplace_id: WorkplaceId,
    pub province: ProvinceCode,
    /// All workers at month end, underground and underwater workers included.
    pub total: u32,
    /// Of whom work underground or underwater.
    pub underground: u32,
    pub disabled: u32,
    pub ex_convict: u32,
    pub terror_victim: u32,
}

/// One category of the status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaLine {
    pub category: QuotaCategory,
    pub basis_points: u32,
    /// The headcount the rate applies to.
    pub base: u32,
    pub required: u32,
    pub employed: u32,
    /// employed − required: below zero a shortfall (eksik), above a surplus (fazla).
    pub balance: i64,
}

/// The quota status of one employer in one province for one month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaStatus {
    pub province: ProvinceCode,
    /// The first day of the month assessed.
    pub month: Date,
    pub total_workers: u32,
    pub underground_workers: u32,
    /// Whether the 50-worker threshold is reached (otherwise nothing is required).
    pub obliged: bool,
    pub lines: Vec<QuotaLine>,
}

/// base × rate, fractions under one half dropped, one half or more rounded up.
pub fn required_count(base: u32, basis_points: u32) -> u32 {
    let scaled = u64::from(base) * u64::from(basis_points);
    let whole = scaled / 10_000;
    let rest = scaled % 10_000;
    (whole + u64::from(rest * 2 >= 10_000)) as u32
}

/// The status of the employer's workplaces in `province` for `month` (any day of it).
pub fn quota_status(
    sector: EmployerSector,
    province: ProvinceCode,
    month: Date,
    workplaces: &[WorkplaceHeadcount],
    rates: &[QuotaRate],
) -> QuotaStatus {
    let first_day = month.replace_day(1).unwrap_or(month);
    let here: Vec<&WorkplaceHeadcount> = workplaces
        .iter()
        .filter(|w| w.province == province)
        .collect();
    let total: u32 = here.iter().map(|w| w.total).sum();
    let underground: u32 = here.iter().map(|w| w.underground.min(w.total)).sum();
    let obliged = total >= THRESHOLD;
    let mut lines = Vec::new();
    for category in [
        QuotaCategory::Disabled,
        QuotaCategory::ExConvict,
        QuotaCategory::TerrorVictim,
    ] {
        let Some(rate) = rates
            .iter()
            .filter(|r| r.sector == sector && r.category == category && r.in_force_on(first_day))
            .max_by_key(|r| r.valid_from)
        else {
            continue;
        };
        let base = match category {
            QuotaCategory::Disabled => total - underground,
            _ => total,
        };
        let employed: u32 = here
            .iter()
            .map(|w| match category {
                QuotaCategory::Disabled => w.disabled,
                QuotaCategory::ExConvict => w.ex_convict,
                QuotaCategory::TerrorVictim => w.terror_victim,
            })
            .sum();
        let required = if obliged {
            required_count(base, rate.basis_points)
        } else {
            0
        };
        lines.push(QuotaLine {
            category,
            basis_points: rate.basis_points,
            base,
            required,
            employed,
            balance: i64::from(employed) - i64::from(required),
        });
    }
    QuotaStatus {
        province,
        month: first_day,
        total_workers: total,
        underground_workers: underground,
        obliged,
        lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn p(code: i64) -> ProvinceCode {
        ProvinceCode::new(code).unwrap()
    }

    fn rates() -> Vec<QuotaRate> {
        use EmployerSector::*;
        use QuotaCategory::*;
        let r = |sector, category, bp, from| QuotaRate {
            sector,
            category,
            basis_points: bp,
            valid_from: from,
            valid_until: None,
        };
        vec![
            r(Private, Disabled, 300, date!(2009 - 01 - 01)),
            r(Public, Disabled, 400, date!(2009 - 01 - 01)),
            r(Public, ExConvict, 200, date!(2009 - 01 - 01)),
        ]
    }

    fn wp(province: i64, total: u32, underground: u32, disabled: u32) -> WorkplaceHeadcount {
        WorkplaceHeadcount {
            workplace_id: WorkplaceId::new(),
            province: p(province),
            total,
            underground,
            disabled,
            ex_convict: 0,
            terror_victim: 0,
        }
    }

    fn line(s: &QuotaStatus, c: QuotaCategory) -> &QuotaLine {
        s.lines.iter().find(|l| l.category == c).unwrap()
    }

    #[test]
    fn rounding_half_up_fractions_under_half_dropped() {
        // (base, basis points, required)
        let table = [
            (50, 300, 2),  // 1.50 → 2
            (83, 300, 2),  // 2.49 → 2
            (84, 300, 3),  // 2.52 → 3
            (49, 300, 1),  // 1.47 → 1 (threshold is checked elsewhere)
            (116, 300, 3), // 3.48 → 3
            (117, 300, 4), // 3.51 → 4
            (62, 400, 2),  // 2.48 → 2
            (63, 400, 3),  // 2.52 → 3
            (75, 200, 2),  // 1.50 → 2
            (74, 200, 1),  // 1.48 → 1
            (0, 300, 0),
            (1000, 300, 30),
        ];
        for (base, bp, want) in table {
            assert_eq!(required_count(base, bp), want, "{base} × {bp}bp");
        }
    }

    #[test]
    fn threshold_is_fifty_workers_in_the_province() {
        let s = quota_status(
            EmployerSector::Private,
            p(6),
            date!(2026 - 03 - 15),
            &[wp(6, 49, 0, 0)],
            &rates(),
        );
        assert!(!s.obliged);
        assert_eq!(line(&s, QuotaCategory::Disabled).required, 0);
        let s = quota_status(
            EmployerSector::Private,
            p(6),
            date!(2026 - 03 - 15),
            &[wp(6, 50, 0, 0)],
            &rates(),
        );
        assert!(s.obliged);
        assert_eq!(s.month, date!(2026 - 03 - 01));
        let d = line(&s, QuotaCategory::Disabled);
        assert_eq!((d.base, d.required, d.employed, d.balance), (50, 2, 0, -2));
    }

    #[test]
    fn workplaces_in_one_province_are_counted_together_and_others_not() {
        let ws = [wp(6, 30, 0, 1), wp(6, 25, 0, 1), wp(34, 200, 0, 0)];
        let ankara = quota_status(
            EmployerSector::Private,
            p(6),
            date!(2026 - 03 - 01),
            &ws,
            &rates(),
        );
        assert_eq!(ankara.total_workers, 55);
        assert!(ankara.obliged);
        let d = line(&ankara, QuotaCategory::Disabled);
        assert_eq!((d.required, d.employed, d.balance), (2, 2, 0));
        let istanbul = quota_status(
            EmployerSector::Private,
            p(34),
            date!(2026 - 03 - 01),
            &ws,
            &rates(),
        );
        assert_eq!(line(&istanbul, QuotaCategory::Disabled).required, 6);
        let izmir = quota_status(
            EmployerSector::Private,
            p(35),
            date!(2026 - 03 - 01),
            &ws,
            &rates(),
        );
        assert_eq!((izmir.total_workers, izmir.obliged), (0, false));
    }

    #[test]
    fn underground_workers_leave_only_the_disabled_base() {
        // A mine: 120 workers, 90 of them underground.
        let s = quota_status(
            EmployerSector::Public,
            p(67),
            date!(2026 - 03 - 01),
            &[wp(67, 120, 90, 0)],
            &rates(),
        );
        assert!(s.obliged, "underground workers count for the threshold");
        let d = line(&s, QuotaCategory::Disabled);
        assert_eq!((d.base, d.required), (30, 1)); // 1.2 → 1
        let e = line(&s, QuotaCategory::ExConvict);
        assert_eq!((e.base, e.required), (120, 2)); // 2.4 → 2
                                                    // Everyone underground: no disabled quota at all, but still obliged.
        let s = quota_status(
            EmployerSector::Private,
            p(67),
            date!(2026 - 03 - 01),
            &[wp(67, 60, 60, 0)],
            &rates(),
        );
        assert_eq!(line(&s, QuotaCategory::Disabled).required, 0);
    }

    #[test]
    fn categories_and_rates_depend_on_sector_and_date() {
        let private = quota_status(
            EmployerSector::Private,
            p(6),
            date!(2026 - 03 - 01),
            &[wp(6, 100, 0, 5)],
            &rates(),
        );
        assert_eq!(
            private.lines.len(),
            1,
            "no ex-convict quota for private employers here"
        );
        let d = line(&private, QuotaCategory::Disabled);
        assert_eq!((d.required, d.balance), (3, 2), "a surplus is positive");
        let public = quota_status(
            EmployerSector::Public,
            p(6),
            date!(2026 - 03 - 01),
            &[wp(6, 100, 0, 0)],
            &rates(),
        );
        assert_eq!(line(&public, QuotaCategory::Disabled).required, 4);
        assert_eq!(line(&public, QuotaCategory::ExConvict).required, 2);
        // A new rate from 2027 replaces the old one for months from January 2027 only.
        let mut r = rates();
        r[0].valid_until = Some(date!(2026 - 12 - 31));
        r.push(QuotaRate {
            sector: EmployerSector::Private,
            category: QuotaCategory::Disabled,
            basis_points: 400,
            valid_from: date!(2027 - 01 - 01),
            valid_until: None,
        });
        r.push(QuotaRate {
            sector: EmployerSector::Private,
            category: QuotaCategory::TerrorVictim,
            basis_points: 100,
            valid_from: date!(2027 - 01 - 01),
            valid_until: None,
        });
        let dec = quota_status(
            EmployerSector::Private,
            p(6),
            date!(2026 - 12 - 31),
            &[wp(6, 100, 0, 0)],
            &r,
        );
        assert_eq!(line(&dec, QuotaCategory::Disabled).required, 3);
        assert_eq!(dec.lines.len(), 1);
        let jan = quota_status(
            EmployerSector::Private,
            p(6),
            date!(2027 - 01 - 01),
            &[wp(6, 100, 0, 0)],
            &r,
        );
        assert_eq!(line(&jan, QuotaCategory::Disabled).required, 4);
        assert_eq!(line(&jan, QuotaCategory::TerrorVictim).required, 1);
    }
}
