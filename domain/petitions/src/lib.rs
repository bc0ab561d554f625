//! Citizen petitions of Açık Kapı — DOMAIN.md §8, seed 004.
//!
//! This crate owns the **petition** as submitted (`petition`: the registry identity, the
//! subject address, contact, headings, education level, sector, subject text) and its
//! **use cases** with every actor's scope (`usecases`: citizen submission and query, the
//! AKS's written entry, search, headings, routing, MİA approval and closing; the Yetkili's
//! answer; the MİA's answer, send-back and reset); the **workflow** state machine
//! (`workflow`: routings with deadlines, one answer per unit, close only when all have
//! answered, the standard reply letter, overdue routings); the **attachment** rules (10 MB,
//! kinds checked by content); the desk **users** (Sorumlu / Yetkili) administered per
//! province and their login; the **sector** code list; and the **Open311** face of
//! petitions for integrators (`open311`: submission by an integrator's client, the public,
//! non-personal view of requests).

pub mod attachment;
pub mod open311;
pub mod petition;
pub mod sector;
pub mod usecases;
pub mod users;
pub mod workflow;
