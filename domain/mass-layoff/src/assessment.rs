//! Advice beyond the portal: does the notice meet Labour Law art. 29's definition of a mass
//! layoff, and is the layoff date far enough after the notification? Returned as warnings,
//! never as errors: the employer may notify in any case.

use time::{Date, Duration};

/// Why the numbers are or are not a mass layoff under art. 29.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Art29 {
    /// Fewer than 20 workers: art. 29 does not apply.
    NotApplicable { workforce: u32 },
    /// At least `threshold` dismissals within one month make it a mass layoff.
    Assessed {
        workforce: u32,
        dismissed: u32,
        threshold: u32,
        is_mass_layoff: bool,
    },
}

/// The art. 29 threshold for a workplace of `workforce` workers: 20–100 → 10;
/// 101–300 → 10 % (rounded up); 301 or more → 30.
pub fn art29(workforce: u32, dismissed: u32) -> Art29 {
    let threshold = match workforce {
        0..=19 => return Art29::NotApplicable { workforce },
        20..=100 => 10,
        101..=300 => workforce.div_ceil(10),
        _ => 30,
    };
    Art29::Assessed {
        workforce,
        dismissed,
        threshold,
        is_mass_layoff: dismissed >= threshold,
    }
}

/// Art. 29 asks for notice at least 30 days before the layoff takes effect.
pub fn notice_too_short(notification_date: Date, layoff_date: Date) -> bool {
    layoff_date < notification_date + Duration::days(30)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn threshold(w: u32) -> Option<u32> {
        match art29(w, 0) {
            Art29::Assessed { threshold, .. } => Some(threshold),
            Art29::NotApplicable { .. } => None,
        }
    }

    #[test]
    fn thresholds_at_every_boundary() {
        assert_eq!(threshold(19), None);
        assert_eq!(threshold(20), Some(10));
        assert_eq!(threshold(100), Some(10));
        assert_eq!(threshold(101), Some(11));
        assert_eq!(threshold(150), Some(15));
        assert_eq!(threshold(155), Some(16));
        assert_eq!(threshold(300), Some(30));
        assert_eq!(threshold(301), Some(30));
        assert_eq!(threshold(5000), Some(30));
    }

    #[test]
    fn mass_layoff_on_both_sides() {
        assert!(matches!(
            art29(50, 10),
            Art29::Assessed {
                is_mass_layoff: true,
                ..
            }
        ));
        assert!(matches!(
            art29(50, 9),
            Art29::Assessed {
                is_mass_layoff: false,
                ..
            }
        ));
        assert!(matches!(
            art29(200, 20),
            Art29::Assessed {
                is_mass_layoff: true,
                ..
            }
        ));
        assert!(matches!(
            art29(200, 19),
            Art29::Assessed {
                is_mass_layoff: false,
                ..
            }
        ));
        assert!(matches!(
            art29(400, 30),
            Art29::Assessed {
                is_mass_layoff: true,
                ..
            }
        ));
        assert!(matches!(
            art29(400, 29),
            Art29::Assessed {
                is_mass_layoff: false,
                ..
            }
        ));
    }

    #[test]
    fn thirty_days_notice() {
        let n = date!(2026 - 11 - 23);
        assert!(notice_too_short(n, date!(2026 - 12 - 22)));
        assert!(!notice_too_short(n, date!(2026 - 12 - 23)));
    }
}
