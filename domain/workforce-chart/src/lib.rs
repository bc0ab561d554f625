//! Monthly workforce chart (aylık işgücü çizelgesi) of İŞKUR — DOMAIN.md §5, seed 001 §2.1.3.2–§2.1.3.3, §2.2.4.
//!
//! This crate will own: charts entered strictly in sequence per workplace, the six sections
//! saved atomically (month-end = previous + hires − leavers, never negative), the
//! latest-only edit rule, the quota status (kontenjan durumu) under Labour Law 4857 art. 30
//! with dated rate parameters and the half-up rounding rule, and the annual survey
//! (genel anket) per head office.
