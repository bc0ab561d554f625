//! Mass-layoff notifications (toplu işten çıkarma) of İŞKUR — DOMAIN.md §6, seed 001 §2.1.3.4.
//!
//! This crate will own: the notification with its general information and per-workplace
//! details, totals computed from the details, the immutable notification date, the
//! one-month edit window, and the Labour Law art. 29 assessment (thresholds by workplace
//! size, the 30-day notice warning).
