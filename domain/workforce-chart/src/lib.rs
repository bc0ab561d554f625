//! Monthly workforce chart (aylık işgücü çizelgesi) of İŞKUR — DOMAIN.md §5, seed 001 §2.1.3.2–§2.1.3.3, §2.2.4.
//!
//! This crate owns the chart rules ([`chart`]: sequence, latest-only edits, the six
//! sections and their consistency, computed month-end), the chart and quota use cases with
//! employer scoping behind a store port ([`charts`]), the quota status (kontenjan durumu,
//! [`quota`]), the bulk personnel form (toplu personel formu, [`personnel_form`]) and the
//! annual survey (genel anket, [`annual_survey`]) per head office.

pub mod annual_survey;
pub mod chart;
pub mod charts;
pub mod personnel_form;
pub mod quota;
