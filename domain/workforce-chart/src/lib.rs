//! Monthly workforce chart (aylık işgücü çizelgesi) of İŞKUR — DOMAIN.md §5, seed 001 §2.1.3.2–§2.1.3.3, §2.2.4.
//!
//! Today this crate owns the chart rules ([`chart`]: sequence, latest-only edits, the six
//! sections and their consistency, computed month-end) and the quota status (kontenjan
//! durumu, [`quota`]). Still to come with issue 5: the store port, the use cases with
//! employer scoping, the bulk personnel import, and the annual survey (genel anket) per
//! head office.

pub mod annual_survey;
pub mod chart;
pub mod charts;
pub mod personnel_form;
pub mod quota;
