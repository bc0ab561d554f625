//! Mass-layoff notifications (toplu işten çıkarma) of İŞKUR — DOMAIN.md §6, seed 001 §2.1.3.4.
//!
//! Today: the notice rules ([`notice`]: computed totals, the immutable notification date,
//! the one-month edit window) and the Labour Law art. 29 advice ([`assessment`]). The
//! store port, the use cases with employer scoping and the HTTP routes come with the
//! workforce-chart issue.

pub mod assessment;
pub mod notice;
