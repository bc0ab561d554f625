//! Monthly workforce chart (aylık işgücü çizelgesi) of İŞKUR — DOMAIN.md §5, seed 001 §2.1.3.2–§2.1.3.3, §2.2.4.
//!
//! This crate owns the quota status (kontenjan durumu, [`quota`]) today. It will also own:
//! charts entered strictly in sequence per workplace, the six sections saved atomically
//! (month-end = previous + hires − leavers, never negative), the latest-only edit rule,
//! and the annual survey (genel anket) per head office.

pub mod quota;
