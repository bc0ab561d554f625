//! Citizen petitions of Açık Kapı — DOMAIN.md §8, seed 004.
//!
//! Today this crate owns the **sector** code list administration (sektör yönetimi), the
//! reference slice every other domain copies; the petition **workflow** state machine
//! (routing to DETSİS units with deadlines, unit answers, MİA approval / send-back / reset,
//! closing with the standard reply template, overdue routings); and the **attachment**
//! rules (10 MB, allowed kinds checked by content). Not reachable over HTTP yet. Still to
//! come: the citizen submission and query flows with the tracking number, the petition
//! store, AKS / Yetkili / MİA scopes (Yetkili without citizen contact details), and the
//! administration of AKS / Yetkili users.

pub mod attachment;
pub mod petition;
pub mod sector;
pub mod usecases;
pub mod users;
pub mod workflow;
