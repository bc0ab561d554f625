//! The one clock handlers read `now` from.
//!
//! In `dev`, `PUT /api/v1/dev/clock` fixes or shifts it so QA and black-box tests can cross
//! a deadline over HTTP; token expiry is checked against it too, so a moved clock and a
//! fresh token agree. The setting lives in this process only: dev is single-node.

use std::sync::RwLock;
use time::{Duration, OffsetDateTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockSetting {
    Real,
    Fixed(OffsetDateTime),
    Offset(Duration),
}

#[derive(Debug)]
pub struct Clock {
    setting: RwLock<ClockSetting>,
}

impl Default for Clock {
    fn default() -> Self {
        Self {
            setting: RwLock::new(ClockSetting::Real),
        }
    }
}

impl Clock {
    pub fn now(&self) -> OffsetDateTime {
        let real = OffsetDateTime::now_utc();
        match self.setting() {
            ClockSetting::Real => real,
            ClockSetting::Fixed(t) => t.to_offset(time::UtcOffset::UTC),
            ClockSetting::Offset(d) => real + d,
        }
    }

    pub fn setting(&self) -> ClockSetting {
        match self.setting.read() {
            Ok(g) => *g,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }

    pub fn set(&self, s: ClockSetting) {
        match self.setting.write() {
            Ok(mut g) => *g = s,
            Err(poisoned) => *poisoned.into_inner() = s,
        }
    }
}
