//! Civil dates and deadlines in Europe/Istanbul (UTC+03:00 all year, no DST since 2016).
//!
//! A deadline "until date D" means until D 23:59:59 Istanbul time; instants are stored in UTC.

use time::{Date, OffsetDateTime, Time, UtcOffset};

/// Istanbul's offset from UTC.
pub const ISTANBUL: UtcOffset = match UtcOffset::from_hms(3, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

/// The civil date in Istanbul at the instant `at`.
pub fn istanbul_date_of(at: OffsetDateTime) -> Date {
    at.to_offset(ISTANBUL).date()
}

/// The last instant of the Istanbul civil date `d` (23:59:59.999999999 +03:00).
pub fn end_of_istanbul_day(d: Date) -> OffsetDateTime {
    d.with_time(Time::MAX).assume_offset(ISTANBUL)
}

/// The first instant of the Istanbul civil date `d` (00:00:00 +03:00).
pub fn start_of_istanbul_day(d: Date) -> OffsetDateTime {
    d.with_time(Time::MIDNIGHT).assume_offset(ISTANBUL)
}

/// Whether `now` is still within a deadline "until date `d`".
pub fn is_until_date(now: OffsetDateTime, d: Date) -> bool {
    now <= end_of_istanbul_day(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn until_date_means_end_of_istanbul_day() {
        let d = date!(2026 - 11 - 30);
        assert!(is_until_date(datetime!(2026-11-30 23:59:59 +03:00), d));
        assert!(is_until_date(datetime!(2026-11-30 20:59:59 UTC), d));
        assert!(!is_until_date(datetime!(2026-11-30 21:00:00 UTC), d));
        assert!(!is_until_date(datetime!(2026-12-01 00:00:00 +03:00), d));
        assert!(is_until_date(datetime!(2026-11-01 00:00:00 UTC), d));
    }

    #[test]
    fn civil_date_follows_istanbul() {
        assert_eq!(
            istanbul_date_of(datetime!(2026-11-30 21:30 UTC)),
            date!(2026 - 12 - 01)
        );
        assert_eq!(
            istanbul_date_of(datetime!(2026-11-30 20:30 UTC)),
            date!(2026 - 11 - 30)
        );
        assert_eq!(
            start_of_istanbul_day(date!(2026 - 12 - 01)),
            datetime!(2026-11-30 21:00 UTC)
        );
    }
}
