//! Job postings (ilan) of Kariyer Kapısı — DOMAIN.md §1, seed 000 §2, §4.
//!
//! This crate will own: the posting aggregate of a public institution (kurum) with its
//! main text and sub-postings / positions (alt ilan / pozisyon: vacancies, reserve count,
//! location, requirements), the application window (active vs archive postings), the
//! draft → published → cancelled (with reason) state machine, declared evaluation stages
//! (değerleme aşamaları), the public search filters, and the store port the persistence
//! crate implements. No I/O here: time is always a parameter.

pub mod institutions;
pub mod posting;
pub mod usecases;
