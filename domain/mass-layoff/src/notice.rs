//! The mass-layoff notice (toplu işten çıkarma bildirimi) — seed 001 §2.1.3.4.
//!
//! - General information: layoff date and reason; details per workplace (head office or
//!   branch) with dismissed men and women. The totals are **computed from the details**.
//! - The notification date is the Istanbul civil date of the first save, set here, never
//!   changed afterwards.
//! - The notice can be changed **until one month after the notification date** (that date
//!   one calendar month later, 23:59:59 Istanbul; 31 January → 28/29 February); after that
//!   it is read-only (`mass_layoff.edit_window_closed`).

use kapi_core::{
    is_until_date, istanbul_date_of, DomainError, FieldError, FieldErrors, WorkplaceId,
};
use std::collections::HashSet;
use time::{Date, Month, OffsetDateTime};

/// Dismissals at one workplace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoffDetail {
    pub workplace_id: WorkplaceId,
    pub men: u32,
    pub women: u32,
}

/// What the employer enters: general information and the per-workplace details.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoffInput {
    pub layoff_date: Date,
    pub reason: String,
    pub details: Vec<LayoffDetail>,
}

/// A notice as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoffNotice {
    pub notification_date: Date,
    pub layoff_date: Date,
    pub reason: String,
    pub details: Vec<LayoffDetail>,
}

impl LayoffNotice {
    pub fn total_men(&self) -> u32 {
        self.details.iter().map(|d| d.men).sum()
    }
    pub fn total_women(&self) -> u32 {
        self.details.iter().map(|d| d.women).sum()
    }
    pub fn total(&self) -> u32 {
        self.total_men() + self.total_women()
    }

    /// The last civil date on which the notice can still be changed.
    pub fn editable_until(&self) -> Date {
        add_one_month(self.notification_date)
    }

    pub fn is_editable(&self, now: OffsetDateTime) -> bool {
        is_until_date(now, self.editable_until())
    }
}

/// The same day one calendar month later, clamped to the month's last day.
pub fn add_one_month(d: Date) -> Date {
    let (year, month) = if d.month() == Month::December {
        (d.year() + 1, Month::January)
    } else {
        (d.year(), d.month().next())
    };
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, d.day().min(last)).unwrap_or(d)
}

fn validate(input: &LayoffInput) -> Result<(), DomainError> {
    let mut errors = FieldErrors::new();
    let reason = input.reason.trim();
    if reason.chars().count() < 3 || reason.chars().count() > 2000 {
        errors.push(FieldError::new(
            "reason",
            "mass_layoff.reason_length",
            "The reason has 3–2000 characters.",
        ));
    }
    if input.details.is_empty() {
        errors.push(FieldError::new(
            "details",
            "mass_layoff.no_details",
            "Add at least one workplace with dismissed workers.",
        ));
    }
    let mut seen = HashSet::new();
    for (i, d) in input.details.iter().enumerate() {
        if d.men + d.women == 0 {
            errors.push(FieldError::new(
                format!("details[{i}]"),
                "mass_layoff.empty_detail",
                "A workplace line needs at least one dismissed worker.",
            ));
        }
        if !seen.insert(d.workplace_id) {
            errors.push(FieldError::new(
                format!("details[{i}].workplace_id"),
                "mass_layoff.duplicate_workplace",
                "Each workplace appears once.",
            ));
        }
    }
    errors.finish()
}

/// First save: the notification date becomes today's Istanbul date.
pub fn notify(input: LayoffInput, now: OffsetDateTime) -> Result<LayoffNotice, DomainError> {
    validate(&input)?;
    Ok(LayoffNotice {
        notification_date: istanbul_date_of(now),
        layoff_date: input.layoff_date,
        reason: input.reason.trim().to_owned(),
        details: input.details,
    })
}

/// A later save: everything but the notification date may change, within the window.
pub fn revise(
    notice: &LayoffNotice,
    input: LayoffInput,
    now: OffsetDateTime,
) -> Result<LayoffNotice, DomainError> {
    if !notice.is_editable(now) {
        return Err(DomainError::conflict(
            "mass_layoff.edit_window_closed",
            format!(
                "The notice could be changed until {}; it is read-only now.",
                notice.editable_until()
            ),
        ));
    }
    validate(&input)?;
    Ok(LayoffNotice {
        notification_date: notice.notification_date,
        layoff_date: input.layoff_date,
        reason: input.reason.trim().to_owned(),
        details: input.details,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use kapi_core::ErrorKind;
    use time::macros::{date, datetime};

    fn input(details: Vec<LayoffDetail>) -> LayoffInput {
        LayoffInput {
            layoff_date: date!(2026 - 12 - 31),
            reason: "Ekonomik kriz".into(),
            details,
        }
    }

    fn detail(men: u32, women: u32) -> LayoffDetail {
        LayoffDetail {
            workplace_id: WorkplaceId::new(),
            men,
            women,
        }
    }

    #[test]
    fn notification_date_is_the_istanbul_day_of_the_first_save_and_totals_are_computed() {
        let n = notify(
            input(vec![detail(7, 3), detail(2, 0)]),
            datetime!(2026-11-30 21:30 UTC),
        )
        .unwrap();
        assert_eq!(n.notification_date, date!(2026 - 12 - 01));
        assert_eq!((n.total_men(), n.total_women(), n.total()), (9, 3, 12));
        let revised = revise(
            &n,
            input(vec![detail(1, 1)]),
            datetime!(2026-12-05 10:00 UTC),
        )
        .unwrap();
        assert_eq!(
            revised.notification_date,
            date!(2026 - 12 - 01),
            "immutable"
        );
        assert_eq!(revised.total(), 2);
    }

    #[test]
    fn editable_until_one_month_after_notification() {
        let n = notify(
            input(vec![detail(10, 0)]),
            datetime!(2026-11-23 09:00 +03:00),
        )
        .unwrap();
        assert_eq!(n.editable_until(), date!(2026 - 12 - 23));
        assert!(revise(
            &n,
            input(vec![detail(11, 0)]),
            datetime!(2026-12-23 23:59:59 +03:00)
        )
        .is_ok());
        let e = revise(
            &n,
            input(vec![detail(11, 0)]),
            datetime!(2026-12-24 00:00:00 +03:00),
        )
        .unwrap_err();
        assert_eq!(
            (e.kind, e.code.as_ref()),
            (ErrorKind::Conflict, "mass_layoff.edit_window_closed")
        );
    }

    #[test]
    fn one_month_is_a_calendar_month_clamped() {
        assert_eq!(add_one_month(date!(2027 - 01 - 31)), date!(2027 - 02 - 28));
        assert_eq!(add_one_month(date!(2028 - 01 - 31)), date!(2028 - 02 - 29));
        assert_eq!(add_one_month(date!(2026 - 12 - 15)), date!(2027 - 01 - 15));
        assert_eq!(add_one_month(date!(2026 - 03 - 31)), date!(2026 - 04 - 30));
    }

    #[test]
    fn invalid_input_names_the_fields() {
        let now = datetime!(2026-11-23 09:00 UTC);
        let e = notify(input(vec![]), now).unwrap_err();
        assert_eq!(e.fields[0].code, "mass_layoff.no_details");
        let d = detail(1, 0);
        let e = notify(
            input(vec![
                d.clone(),
                LayoffDetail {
                    men: 0,
                    women: 0,
                    ..d
                },
            ]),
            now,
        )
        .unwrap_err();
        let codes: Vec<&str> = e.fields.iter().map(|f| f.code.as_ref()).collect();
        assert_eq!(
            codes,
            vec![
                "mass_layoff.empty_detail",
                "mass_layoff.duplicate_workplace"
            ]
        );
        assert_eq!(e.fields[1].field, "details[1].workplace_id");
        let mut i = input(vec![detail(1, 0)]);
        i.reason = " x ".into();
        assert_eq!(notify(i, now).unwrap_err().fields[0].field, "reason");
    }
}
