//! Drafts (taslak, "Tamamlanmayan Başvurular") — seed 003 §4.6: "Bir aydan fazla taslak
//! olarak kalan başvuruların kaydı silinecektir."
//!
//! "One month" is one **calendar month** on Istanbul civil dates: a draft last saved on date
//! D is kept through D + 1 month (the same day number next month, or that month's last day
//! when it is shorter — 31 January → 28 February, 29 in a leap year; 31 March → 30 April),
//! until 23:59:59 Istanbul, and may be deleted from the next day on. A draft is *touched*
//! whenever one of its wizard steps is saved; opening it to read does not keep it alive
//! (otherwise a list view would keep every draft forever).

use crate::calendar::add_months;
use kapi_core::{is_until_date, istanbul_date_of};
use time::{Date, OffsetDateTime};

/// Calendar months a draft is kept after it was last saved.
pub const DRAFT_KEPT_MONTHS: i32 = 1;

/// The history note when the scheduled job deletes an expired draft.
pub const DRAFT_DELETED_NOTE: &str =
    "Bir aydan fazla taslak olarak kalan başvurunun kaydı silindi.";

/// The last Istanbul day a draft saved at `last_touched` is kept.
pub fn draft_kept_until(last_touched: OffsetDateTime) -> Date {
    add_months(istanbul_date_of(last_touched), DRAFT_KEPT_MONTHS).unwrap_or(Date::MAX)
}

/// Whether a draft saved at `last_touched` is past its month at `now` and is to be deleted.
pub fn is_draft_expired(last_touched: OffsetDateTime, now: OffsetDateTime) -> bool {
    !is_until_date(now, draft_kept_until(last_touched))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    #[test]
    fn kept_one_calendar_month_through_the_end_of_that_day() {
        let saved = datetime!(2026-03-15 09:00 +03:00);
        assert_eq!(draft_kept_until(saved), date!(2026 - 04 - 15));
        assert!(!is_draft_expired(
            saved,
            datetime!(2026-04-15 23:59:59 +03:00)
        ));
        assert!(is_draft_expired(saved, datetime!(2026-04-16 00:00 +03:00)));
    }

    #[test]
    fn month_ends_clamp_to_the_shorter_month() {
        let jan31 = datetime!(2026-01-31 12:00 +03:00);
        assert_eq!(draft_kept_until(jan31), date!(2026 - 02 - 28));
        assert!(!is_draft_expired(
            jan31,
            datetime!(2026-02-28 23:59:59 +03:00)
        ));
        assert!(is_draft_expired(jan31, datetime!(2026-03-01 00:00 +03:00)));
        // Leap year: 29 February is kept.
        let jan31 = datetime!(2028-01-31 12:00 +03:00);
        assert_eq!(draft_kept_until(jan31), date!(2028 - 02 - 29));
        assert!(!is_draft_expired(
            jan31,
            datetime!(2028-02-29 23:59:59 +03:00)
        ));
        assert!(is_draft_expired(jan31, datetime!(2028-03-01 00:00 +03:00)));
        // 31 March → 30 April; 29 February 2028 → 29 March.
        assert_eq!(
            draft_kept_until(datetime!(2026-03-31 12:00 +03:00)),
            date!(2026 - 04 - 30)
        );
        assert_eq!(
            draft_kept_until(datetime!(2028-02-29 12:00 +03:00)),
            date!(2028 - 03 - 29)
        );
        assert_eq!(
            draft_kept_until(datetime!(2026-12-31 12:00 +03:00)),
            date!(2027 - 01 - 31)
        );
    }

    #[test]
    fn the_save_day_is_the_istanbul_day() {
        // 31 January 22:00 UTC is already 1 February in Istanbul: kept through 1 March.
        let saved = datetime!(2026-01-31 22:00 UTC);
        assert_eq!(draft_kept_until(saved), date!(2026 - 03 - 01));
        assert!(!is_draft_expired(saved, datetime!(2026-03-01 20:59:59 UTC)));
        assert!(is_draft_expired(saved, datetime!(2026-03-01 21:00 UTC)));
    }
}
