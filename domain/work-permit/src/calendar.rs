//! Calendar arithmetic the e-İzin rules share: deadlines in days, deadlines in calendar
//! months, and periods of whole months or years.
//!
//! Two different questions get two different functions, and the difference is on purpose:
//!
//! - **A deadline** "N months after date D" ([`add_months`]) falls on the same day number N
//!   months later, or on that month's last day when the month is shorter (Türk Borçlar
//!   Kanunu md. 92's rule, what a Turkish user expects): one month after 31 January is
//!   28 February (29 in a leap year). The deadline day itself is still inside the time limit
//!   (until 23:59:59 Istanbul, DOMAIN.md).
//! - **A period** "N months starting on S" ([`period_end`]) covers S and ends on the day
//!   before S's N-month anniversary; when the anniversary day does not exist in the target
//!   month (29, 30, 31), the anniversary is the first day of the following month, so the
//!   period ends on the target month's last day. A year from 1 March 2027 ends on
//!   29 February 2028; a year from 29 February 2028 ends on 28 February 2029 — a permit never
//!   loses a day to a short month, and never gains one either.
//!
//! Day deadlines ([`days_after`]): an event on Istanbul date D with "N days" can be answered
//! until D + N (inclusive). The day of the event does not count, as in every Turkish time
//! limit.

use kapi_core::{is_until_date, istanbul_date_of};
use time::{Date, Duration, Month, OffsetDateTime};

/// The 30-day limit the manuals repeat: missing documents, updates, fees, appeals,
/// the MFA reference number's validity, the lost-card payment.
pub const THIRTY_DAYS: i64 = 30;

/// `d` moved by `months` calendar months (negative goes back), on the same day number or the
/// target month's last day when that is shorter. `None` only beyond the `time` crate's range.
pub fn add_months(d: Date, months: i32) -> Option<Date> {
    let (year, month) = shift_month(d.year(), d.month(), months)?;
    let day = d.day().min(month.length(year));
    Date::from_calendar_date(year, month, day).ok()
}

/// The last day of the period of `months` whole months that starts on `start` (see the
/// module doc). `period_end(2026-01-01, 12)` is 2026-12-31.
pub fn period_end(start: Date, months: i32) -> Option<Date> {
    let (year, month) = shift_month(start.year(), start.month(), months)?;
    if start.day() <= month.length(year) {
        Date::from_calendar_date(year, month, start.day())
            .ok()?
            .previous_day()
    } else {
        Date::from_calendar_date(year, month, month.length(year)).ok()
    }
}

/// How many months a period `start..=end` spans, a started month counting as a whole one
/// (the fee bands are in months): the smallest `n ≥ 1` with `end ≤ period_end(start, n)`.
/// `None` when `end` is before `start`.
pub fn period_months(start: Date, end: Date) -> Option<u32> {
    if end < start {
        return None;
    }
    let rough = (end.year() - start.year()) * 12 + (end.month() as i32 - start.month() as i32);
    let mut n = (rough - 1).max(1);
    loop {
        if end <= period_end(start, n)? {
            return u32::try_from(n).ok();
        }
        n += 1;
    }
}

/// The last Istanbul civil date of a limit of `days` days that starts with an event at
/// instant `since`.
pub fn days_after(since: OffsetDateTime, days: i64) -> Date {
    let d = istanbul_date_of(since);
    d.checked_add(Duration::days(days)).unwrap_or(Date::MAX)
}

/// Whether `now` is still within `days` days of the event at `since` (see [`days_after`]).
pub fn within_days(since: OffsetDateTime, days: i64, now: OffsetDateTime) -> bool {
    is_until_date(now, days_after(since, days))
}

/// `d` plus `days` days, saturating at the `time` crate's range (dates that far never come
/// from a form that passed validation).
pub(crate) fn plus_days(d: Date, days: i64) -> Date {
    d.checked_add(Duration::days(days))
        .unwrap_or(if days < 0 { Date::MIN } else { Date::MAX })
}

fn shift_month(year: i32, month: Month, months: i32) -> Option<(i32, Month)> {
    let index = year.checked_mul(12)?.checked_add(month as i32 - 1)?;
    let target = index.checked_add(months)?;
    let year = target.div_euclid(12);
    let month = Month::try_from(u8::try_from(target.rem_euclid(12) + 1).ok()?).ok()?;
    Some((year, month))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn add_months_clamps_to_the_shorter_month() {
        assert_eq!(
            add_months(date!(2026 - 01 - 31), 1),
            Some(date!(2026 - 02 - 28))
        );
        assert_eq!(
            add_months(date!(2028 - 01 - 31), 1),
            Some(date!(2028 - 02 - 29))
        );
        assert_eq!(
            add_months(date!(2026 - 03 - 31), 1),
            Some(date!(2026 - 04 - 30))
        );
        assert_eq!(
            add_months(date!(2026 - 01 - 15), 1),
            Some(date!(2026 - 02 - 15))
        );
        assert_eq!(
            add_months(date!(2026 - 08 - 31), 6),
            Some(date!(2027 - 02 - 28))
        );
        assert_eq!(
            add_months(date!(2026 - 12 - 05), 1),
            Some(date!(2027 - 01 - 05))
        );
        assert_eq!(
            add_months(date!(2026 - 08 - 31), -6),
            Some(date!(2026 - 02 - 28))
        );
        assert_eq!(
            add_months(date!(2026 - 01 - 10), -1),
            Some(date!(2025 - 12 - 10))
        );
        assert_eq!(
            add_months(date!(2028 - 02 - 29), 12),
            Some(date!(2029 - 02 - 28))
        );
    }

    #[test]
    fn period_end_is_the_day_before_the_anniversary() {
        assert_eq!(
            period_end(date!(2026 - 01 - 01), 12),
            Some(date!(2026 - 12 - 31))
        );
        assert_eq!(
            period_end(date!(2026 - 03 - 15), 12),
            Some(date!(2027 - 03 - 14))
        );
        // Through a leap day: the period keeps 29 February.
        assert_eq!(
            period_end(date!(2027 - 03 - 01), 12),
            Some(date!(2028 - 02 - 29))
        );
        // From a leap day: the anniversary in a common year is 1 March.
        assert_eq!(
            period_end(date!(2028 - 02 - 29), 12),
            Some(date!(2029 - 02 - 28))
        );
        assert_eq!(
            period_end(date!(2028 - 02 - 29), 48),
            Some(date!(2032 - 02 - 28))
        );
        assert_eq!(
            period_end(date!(2026 - 01 - 31), 1),
            Some(date!(2026 - 02 - 28))
        );
        assert_eq!(
            period_end(date!(2026 - 01 - 30), 1),
            Some(date!(2026 - 02 - 28))
        );
        assert_eq!(
            period_end(date!(2026 - 01 - 28), 1),
            Some(date!(2026 - 02 - 27))
        );
    }

    #[test]
    fn period_months_counts_started_months() {
        assert_eq!(
            period_months(date!(2026 - 01 - 01), date!(2026 - 01 - 01)),
            Some(1)
        );
        assert_eq!(
            period_months(date!(2026 - 01 - 01), date!(2026 - 01 - 31)),
            Some(1)
        );
        assert_eq!(
            period_months(date!(2026 - 01 - 01), date!(2026 - 02 - 01)),
            Some(2)
        );
        assert_eq!(
            period_months(date!(2026 - 01 - 01), date!(2026 - 12 - 31)),
            Some(12)
        );
        assert_eq!(
            period_months(date!(2026 - 01 - 01), date!(2027 - 01 - 01)),
            Some(13)
        );
        assert_eq!(
            period_months(date!(2028 - 02 - 29), date!(2029 - 02 - 28)),
            Some(12)
        );
        assert_eq!(
            period_months(date!(2027 - 03 - 01), date!(2028 - 02 - 29)),
            Some(12)
        );
        assert_eq!(
            period_months(date!(2026 - 05 - 10), date!(2029 - 05 - 09)),
            Some(36)
        );
        assert_eq!(
            period_months(date!(2026 - 05 - 10), date!(2026 - 05 - 09)),
            None
        );
    }

    #[test]
    fn day_limits_end_on_istanbul_civil_dates() {
        // 1 March 23:30 Istanbul is 20:30 UTC: the event's civil date is 1 March.
        let since = datetime!(2026-03-01 20:30 UTC);
        assert_eq!(days_after(since, 30), date!(2026 - 03 - 31));
        assert!(within_days(
            since,
            30,
            datetime!(2026-03-31 23:59:59 +03:00)
        ));
        assert!(!within_days(since, 30, datetime!(2026-04-01 00:00 +03:00)));
        // 21:30 UTC is already 2 March in Istanbul.
        assert_eq!(
            days_after(datetime!(2026-03-01 21:30 UTC), 30),
            date!(2026 - 04 - 01)
        );
    }
}
