//! How long a permit may run — Law 6735 (Uluslararası İşgücü Kanunu), seeds 002 and 003.
//!
//! - A **first** permit (ilk başvuru) runs at most 1 year, the **first extension** (ilk
//!   uzatma) at most 2 years, **later extensions** at most 3 years.
//! - The permit may end at the latest **60 days before the passport expires** ("çalışma izni,
//!   pasaportun son geçerlilik tarihinden 60 gün öncesine kadar düzenlenebilir").
//! - An extension is filed **from 60 days before the current permit ends, and before it
//!   ends** ("süresinin dolmasına 60 gün kalmasından itibaren ve her durumda çalışma izni
//!   süresi dolmadan").
//!
//! Precise definitions, chosen here because the manuals are silent:
//! - "at most N years" means `end ≤ period_end(start, 12·N)`: the day before the N-th
//!   anniversary of the start, a 29 February start's anniversary in a common year being
//!   1 March (see [`crate::calendar`]). 2026-01-01 + 1 year → at most 2026-12-31;
//!   2028-02-29 + 1 year → at most 2029-02-28; 2027-03-01 + 1 year → at most 2028-02-29.
//! - A passport "expiring on E" is valid through E; the permit's end must be on or before
//!   E − 60 days.
//! - The extension window for a permit valid through C is C − 60 days … C (both inclusive,
//!   Istanbul civil dates of the filing instant).
//! - The requested period runs start…end inclusive, end not before start. A first permit may
//!   not start before the filing date (the ministry cannot grant work already done); an
//!   extension starts the day after the current permit ends, so permits chain without a gap
//!   or overlap.

use crate::calendar::{period_end, plus_days};
use crate::refuse;
use kapi_core::{istanbul_date_of, DomainError, FieldError};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// Days between the latest permit end and the passport's expiry.
pub const PASSPORT_MARGIN_DAYS: i64 = 60;
/// Days before the current permit ends from which an extension may be filed.
pub const EXTENSION_WINDOW_DAYS: i64 = 60;

/// Which permit in the foreigner's chain this is; it decides the longest period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Term {
    /// İlk başvuru: at most 1 year.
    First,
    /// İlk uzatma: at most 2 years.
    FirstExtension,
    /// Sonraki uzatmalar: at most 3 years.
    LaterExtension,
}

impl Term {
    pub const ALL: [Term; 3] = [Self::First, Self::FirstExtension, Self::LaterExtension];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::First => "first",
            Self::FirstExtension => "first_extension",
            Self::LaterExtension => "later_extension",
        }
    }

    pub fn label_tr(self) -> &'static str {
        match self {
            Self::First => "İlk Başvuru",
            Self::FirstExtension => "İlk Uzatma",
            Self::LaterExtension => "Sonraki Uzatma",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == raw)
    }

    /// The term of an extension when the foreigner's chain already has
    /// `previous_extensions` extensions (0 → the first extension).
    pub fn extension_after(previous_extensions: u32) -> Self {
        if previous_extensions == 0 {
            Self::FirstExtension
        } else {
            Self::LaterExtension
        }
    }

    pub fn max_years(self) -> i32 {
        match self {
            Self::First => 1,
            Self::FirstExtension => 2,
            Self::LaterExtension => 3,
        }
    }

    pub fn is_extension(self) -> bool {
        self != Self::First
    }
}

/// A requested permit period, start and end inclusive (Istanbul civil dates). Only
/// [`check_period`] makes one, so a held value has passed every rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PermitPeriod {
    start: Date,
    end: Date,
}

impl PermitPeriod {
    pub fn start(&self) -> Date {
        self.start
    }
    pub fn end(&self) -> Date {
        self.end
    }
    /// The period in whole months, a started month counted (fee bands are in months).
    pub fn months(&self) -> u32 {
        crate::calendar::period_months(self.start, self.end).unwrap_or(1)
    }
    /// Whether the permit is in force on civil date `d`.
    pub fn covers(&self, d: Date) -> bool {
        self.start <= d && d <= self.end
    }
    /// A period loaded from the store, which checked it when it was requested.
    pub fn from_stored(start: Date, end: Date) -> Option<Self> {
        (start <= end).then_some(Self { start, end })
    }
}

/// What the period is checked against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeriodContext {
    pub term: Term,
    /// When the application is filed (e-signed); its Istanbul date is the filing date.
    pub filed_at: OffsetDateTime,
    /// The passport's last day of validity; `None` for international-protection holders,
    /// who are not asked for a passport.
    pub passport_expires_on: Option<Date>,
    /// For an extension, the last day of the permit being extended.
    pub current_permit_ends_on: Option<Date>,
}

/// The latest end a period starting on `start` may have for `term`.
pub fn max_end(start: Date, term: Term) -> Option<Date> {
    period_end(start, 12 * term.max_years())
}

/// The latest permit end a passport valid through `expires_on` allows.
pub fn latest_end_for_passport(expires_on: Date) -> Date {
    plus_days(expires_on, -PASSPORT_MARGIN_DAYS)
}

/// The first and last filing dates of an extension of a permit valid through `ends_on`.
pub fn extension_window(ends_on: Date) -> (Date, Date) {
    (plus_days(ends_on, -EXTENSION_WINDOW_DAYS), ends_on)
}

/// Refuses an extension filed outside its window (`work_permit.extension_too_early`,
/// `work_permit.extension_after_expiry`), on the Istanbul date of `filed_at`.
pub fn check_extension_filing(
    current_ends_on: Date,
    filed_at: OffsetDateTime,
) -> Result<(), FieldError> {
    let filed_on = istanbul_date_of(filed_at);
    let (opens, closes) = extension_window(current_ends_on);
    if filed_on < opens {
        return Err(FieldError::new(
            "filed_at",
            "work_permit.extension_too_early",
            format!(
                "An extension can be filed from {opens} (60 days before the current permit \
                 ends on {current_ends_on})."
            ),
        ));
    }
    if filed_on > closes {
        return Err(FieldError::new(
            "filed_at",
            "work_permit.extension_after_expiry",
            format!(
                "The current permit ended on {current_ends_on}; an extension must be filed \
                 before it ends. File a first application instead."
            ),
        ));
    }
    Ok(())
}

/// Checks a requested period against every rule and names each broken one (`start`, `end`,
/// `filed_at`, `current_permit_ends_on`). One broken rule is answered with its own code
/// (`work_permit.first_too_long`); several with `validation.failed` listing them all.
pub fn check_period(
    start: Date,
    end: Date,
    ctx: &PeriodContext,
) -> Result<PermitPeriod, DomainError> {
    let mut errors = Vec::new();
    let filed_on = istanbul_date_of(ctx.filed_at);
    if end < start {
        errors.push(FieldError::new(
            "end",
            "work_permit.period_reversed",
            "The permit's end date must not be before its start date.",
        ));
    } else {
        match max_end(start, ctx.term) {
            Some(latest) if end <= latest => {}
            latest => {
                let (code, what) = match ctx.term {
                    Term::First => (
                        "work_permit.first_too_long",
                        "A first permit runs at most 1 year",
                    ),
                    Term::FirstExtension => (
                        "work_permit.extension_too_long",
                        "A first extension runs at most 2 years",
                    ),
                    Term::LaterExtension => (
                        "work_permit.extension_too_long",
                        "A later extension runs at most 3 years",
                    ),
                };
                let until = latest
                    .map(|d| format!(": at the latest until {d}"))
                    .unwrap_or_default();
                errors.push(FieldError::new("end", code, format!("{what}{until}.")));
            }
        }
    }
    if let Some(expires) = ctx.passport_expires_on {
        let latest = latest_end_for_passport(expires);
        if end > latest {
            errors.push(FieldError::new(
                "end",
                "work_permit.beyond_passport",
                format!(
                    "The permit must end at least 60 days before the passport expires on \
                     {expires}: at the latest on {latest}."
                ),
            ));
        }
    }
    if ctx.term.is_extension() {
        match ctx.current_permit_ends_on {
            None => errors.push(FieldError::new(
                "current_permit_ends_on",
                "work_permit.extension_without_permit",
                "An extension needs the permit it extends.",
            )),
            Some(current) => {
                if let Err(e) = check_extension_filing(current, ctx.filed_at) {
                    errors.push(e);
                }
                let next = plus_days(current, 1);
                if start != next {
                    errors.push(FieldError::new(
                        "start",
                        "work_permit.extension_start",
                        format!(
                            "An extension starts the day after the current permit ends: on {next}."
                        ),
                    ));
                }
            }
        }
    } else if start < filed_on {
        errors.push(FieldError::new(
            "start",
            "work_permit.start_in_past",
            "A first permit cannot start before the application is filed.",
        ));
    }
    refuse(errors)?;
    Ok(PermitPeriod { start, end })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn first(filed_at: OffsetDateTime) -> PeriodContext {
        PeriodContext {
            term: Term::First,
            filed_at,
            passport_expires_on: None,
            current_permit_ends_on: None,
        }
    }

    fn extension(term: Term, current: Date, filed_at: OffsetDateTime) -> PeriodContext {
        PeriodContext {
            term,
            filed_at,
            passport_expires_on: None,
            current_permit_ends_on: Some(current),
        }
    }

    const FILED: OffsetDateTime = datetime!(2026-01-01 10:00 +03:00);

    fn code(r: Result<PermitPeriod, DomainError>) -> String {
        r.unwrap_err().code.into_owned()
    }

    #[test]
    fn term_of_an_extension_depends_on_the_chain() {
        assert_eq!(Term::extension_after(0), Term::FirstExtension);
        assert_eq!(Term::extension_after(1), Term::LaterExtension);
        assert_eq!(Term::extension_after(7), Term::LaterExtension);
        for t in Term::ALL {
            assert_eq!(Term::parse(t.as_str()), Some(t));
        }
        assert_eq!(Term::parse("second"), None);
    }

    #[test]
    fn first_permit_at_most_one_year() {
        let ctx = first(FILED);
        let p = check_period(date!(2026 - 01 - 01), date!(2026 - 12 - 31), &ctx).unwrap();
        assert_eq!(p.months(), 12);
        assert_eq!(
            code(check_period(
                date!(2026 - 01 - 01),
                date!(2027 - 01 - 01),
                &ctx
            )),
            "work_permit.first_too_long"
        );
        let p = check_period(date!(2026 - 03 - 15), date!(2027 - 03 - 14), &ctx).unwrap();
        assert!(p.covers(date!(2027 - 03 - 14)) && !p.covers(date!(2027 - 03 - 15)));
        assert_eq!(
            code(check_period(
                date!(2026 - 03 - 15),
                date!(2027 - 03 - 15),
                &ctx
            )),
            "work_permit.first_too_long"
        );
    }

    #[test]
    fn first_permit_over_and_from_a_leap_day() {
        let ctx = first(datetime!(2027-03-01 09:00 +03:00));
        // A year through February 2028 keeps 29 February.
        assert!(check_period(date!(2027 - 03 - 01), date!(2028 - 02 - 29), &ctx).is_ok());
        assert_eq!(
            code(check_period(
                date!(2027 - 03 - 01),
                date!(2028 - 03 - 01),
                &ctx
            )),
            "work_permit.first_too_long"
        );
        // Starting on 29 February 2028: the anniversary in 2029 is 1 March.
        let ctx = first(datetime!(2028-02-29 09:00 +03:00));
        assert!(check_period(date!(2028 - 02 - 29), date!(2029 - 02 - 28), &ctx).is_ok());
        assert_eq!(
            code(check_period(
                date!(2028 - 02 - 29),
                date!(2029 - 03 - 01),
                &ctx
            )),
            "work_permit.first_too_long"
        );
    }

    #[test]
    fn extensions_at_most_two_then_three_years() {
        let current = date!(2026 - 12 - 31);
        let filed = datetime!(2026-12-01 10:00 +03:00);
        let ctx = extension(Term::FirstExtension, current, filed);
        assert!(check_period(date!(2027 - 01 - 01), date!(2028 - 12 - 31), &ctx).is_ok());
        assert_eq!(
            code(check_period(
                date!(2027 - 01 - 01),
                date!(2029 - 01 - 01),
                &ctx
            )),
            "work_permit.extension_too_long"
        );
        let ctx = extension(Term::LaterExtension, current, filed);
        assert!(check_period(date!(2027 - 01 - 01), date!(2029 - 12 - 31), &ctx).is_ok());
        assert_eq!(
            code(check_period(
                date!(2027 - 01 - 01),
                date!(2030 - 01 - 01),
                &ctx
            )),
            "work_permit.extension_too_long"
        );
        // A 3-year extension starting on a leap day.
        let ctx = extension(
            Term::LaterExtension,
            date!(2028 - 02 - 28),
            datetime!(2028-02-01 10:00 +03:00),
        );
        assert!(check_period(date!(2028 - 02 - 29), date!(2031 - 02 - 28), &ctx).is_ok());
        assert_eq!(
            code(check_period(
                date!(2028 - 02 - 29),
                date!(2031 - 03 - 01),
                &ctx
            )),
            "work_permit.extension_too_long"
        );
    }

    #[test]
    fn end_at_least_sixty_days_before_the_passport_expires() {
        let mut ctx = first(FILED);
        ctx.passport_expires_on = Some(date!(2026 - 12 - 31));
        assert_eq!(
            latest_end_for_passport(date!(2026 - 12 - 31)),
            date!(2026 - 11 - 01)
        );
        assert!(check_period(date!(2026 - 01 - 01), date!(2026 - 11 - 01), &ctx).is_ok());
        assert_eq!(
            code(check_period(
                date!(2026 - 01 - 01),
                date!(2026 - 11 - 02),
                &ctx
            )),
            "work_permit.beyond_passport"
        );
        // Over a leap February: 60 days before 2028-04-29 is 2028-02-29.
        ctx = first(datetime!(2027-06-01 10:00 +03:00));
        ctx.passport_expires_on = Some(date!(2028 - 04 - 29));
        assert_eq!(
            latest_end_for_passport(date!(2028 - 04 - 29)),
            date!(2028 - 02 - 29)
        );
        assert!(check_period(date!(2027 - 06 - 01), date!(2028 - 02 - 29), &ctx).is_ok());
        assert_eq!(
            code(check_period(
                date!(2027 - 06 - 01),
                date!(2028 - 03 - 01),
                &ctx
            )),
            "work_permit.beyond_passport"
        );
    }

    #[test]
    fn extension_window_opens_sixty_days_before_and_closes_at_the_end() {
        let current = date!(2026 - 12 - 31);
        assert_eq!(extension_window(current), (date!(2026 - 11 - 01), current));
        let period = |filed| {
            check_period(
                date!(2027 - 01 - 01),
                date!(2028 - 12 - 31),
                &extension(Term::FirstExtension, current, filed),
            )
        };
        assert_eq!(
            code(period(datetime!(2026-10-31 23:59:59 +03:00))),
            "work_permit.extension_too_early"
        );
        assert!(period(datetime!(2026-11-01 00:00 +03:00)).is_ok());
        assert!(period(datetime!(2026-12-31 23:59:59 +03:00)).is_ok());
        assert_eq!(
            code(period(datetime!(2027-01-01 00:00 +03:00))),
            "work_permit.extension_after_expiry"
        );
        // 20:59 UTC on the last day is still that day in Istanbul; 21:00 UTC is not.
        assert!(period(datetime!(2026-12-31 20:59 UTC)).is_ok());
        assert_eq!(
            code(period(datetime!(2026-12-31 21:00 UTC))),
            "work_permit.extension_after_expiry"
        );
    }

    #[test]
    fn extension_window_over_a_leap_february() {
        // 60 days before 2028-04-29 is 2028-02-29.
        let current = date!(2028 - 04 - 29);
        assert!(check_extension_filing(current, datetime!(2028-02-29 08:00 +03:00)).is_ok());
        assert_eq!(
            check_extension_filing(current, datetime!(2028-02-28 23:00 +03:00))
                .unwrap_err()
                .code,
            "work_permit.extension_too_early"
        );
    }

    #[test]
    fn an_extension_chains_on_the_current_permit() {
        let current = date!(2026 - 12 - 31);
        let ctx = extension(
            Term::FirstExtension,
            current,
            datetime!(2026-12-01 10:00 +03:00),
        );
        assert_eq!(
            code(check_period(
                date!(2027 - 01 - 02),
                date!(2028 - 12 - 31),
                &ctx
            )),
            "work_permit.extension_start"
        );
        assert_eq!(
            code(check_period(
                date!(2026 - 12 - 31),
                date!(2028 - 12 - 30),
                &ctx
            )),
            "work_permit.extension_start"
        );
        let mut no_permit = ctx;
        no_permit.current_permit_ends_on = None;
        assert_eq!(
            code(check_period(
                date!(2027 - 01 - 01),
                date!(2028 - 12 - 31),
                &no_permit
            )),
            "work_permit.extension_without_permit"
        );
    }

    #[test]
    fn a_first_permit_starts_no_earlier_than_filing_and_ends_after_it_starts() {
        let ctx = first(datetime!(2026-01-01 00:30 +03:00));
        assert_eq!(
            code(check_period(
                date!(2025 - 12 - 31),
                date!(2026 - 06 - 30),
                &ctx
            )),
            "work_permit.start_in_past"
        );
        assert!(check_period(date!(2026 - 01 - 01), date!(2026 - 01 - 01), &ctx).is_ok());
        assert_eq!(
            code(check_period(
                date!(2026 - 02 - 01),
                date!(2026 - 01 - 31),
                &ctx
            )),
            "work_permit.period_reversed"
        );
    }

    #[test]
    fn several_broken_rules_are_all_named() {
        let mut ctx = extension(
            Term::FirstExtension,
            date!(2026 - 12 - 31),
            datetime!(2026-06-01 10:00 +03:00),
        );
        ctx.passport_expires_on = Some(date!(2027 - 06 - 30));
        let err = check_period(date!(2027 - 01 - 05), date!(2030 - 01 - 05), &ctx).unwrap_err();
        assert_eq!(err.code, "validation.failed");
        let codes: Vec<&str> = err.fields.iter().map(|f| f.code.as_ref()).collect();
        assert_eq!(
            codes,
            [
                "work_permit.extension_too_long",
                "work_permit.beyond_passport",
                "work_permit.extension_too_early",
                "work_permit.extension_start"
            ]
        );
        let fields: Vec<&str> = err.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["end", "end", "filed_at", "start"]);
    }
}
