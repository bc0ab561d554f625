//! Mass-layoff notifications (toplu işten çıkarma) of İŞKUR — DOMAIN.md §6, seed 001 §2.1.3.4.
//!
//! The notice rules ([`notice`]: computed totals, the immutable notification date,
//! the one-month edit window), the Labour Law art. 29 advice ([`assessment`]) and the use
//! cases with employer scoping and history behind a store port ([`usecases`]), implemented
//! by `kapi-persistence::mass_layoffs` and served under `/api/v1/mass-layoffs`.

pub mod assessment;
pub mod notice;
pub mod usecases;
