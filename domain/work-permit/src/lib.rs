//! Work permits for foreigners (e-İzin) — DOMAIN.md §7, seeds 002 and 003.
//!
//! This crate will own: employer registration (company, household, university), the
//! application kinds (first / extension, in Türkiye / abroad, academics), the wizard steps
//! and drafts, the Law 6735 duration rules, the ministry's evaluation state machine with its
//! 30-day deadlines, fees (harç and card fee, exact-amount payments against a dated fee
//! schedule), appeal / waiver of rejections, and post-permit requests (card shipment,
//! start of work, lost card, termination).
