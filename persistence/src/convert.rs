//! Row ↔ domain conversions shared by every store.

use kapi_core::DomainError;
use time::{OffsetDateTime, PrimitiveDateTime, UtcOffset};
use uuid::Uuid;

/// An instant as stored: UTC, microsecond precision (both backends keep microseconds).
pub fn to_db_time(t: OffsetDateTime) -> PrimitiveDateTime {
    let utc = t.to_offset(UtcOffset::UTC);
    let micros = utc.microsecond();
    let utc = utc.replace_nanosecond(micros * 1000).unwrap_or(utc);
    PrimitiveDateTime::new(utc.date(), utc.time())
}

/// A stored UTC timestamp as an instant.
pub fn from_db_time(t: PrimitiveDateTime) -> OffsetDateTime {
    t.assume_utc()
}

/// Parses a stored UUID; a bad one is data corruption, hence internal.
pub fn parse_uuid(s: &str) -> Result<Uuid, DomainError> {
    Uuid::parse_str(s)
        .map_err(|e| DomainError::internal(format!("stored id {s:?} is not a UUID: {e}")))
}

/// A stored value that a domain type refuses is data corruption, hence internal.
pub fn stored<T, E: std::fmt::Debug>(what: &str, r: Result<T, E>) -> Result<T, DomainError> {
    r.map_err(|e| DomainError::internal(format!("stored {what} is invalid: {e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn round_trips_in_utc_to_microseconds() {
        let t = datetime!(2026-11-23 13:00:00.123456789 +03:00);
        let back = from_db_time(to_db_time(t));
        assert_eq!(back, datetime!(2026-11-23 10:00:00.123456 UTC));
    }
}
