//! Citizen petitions of Açık Kapı — DOMAIN.md §8, seed 004.
//!
//! Today this crate owns the **sector** code list administration (sektör yönetimi), the
//! reference slice every other domain copies. It will also own: the citizen submission and
//! query flows, the tracking number, AKS desk work (routing to DETSİS units, MİA approval,
//! closing with the standard reply template), Yetkili answers without citizen contact
//! details, MİA send-back and reset, and the administration of AKS / Yetkili users.

pub mod sector;
