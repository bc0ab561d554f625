//! Kapı persistence: the diesel schema, rows and the stores that implement the domain ports,
//! on SQLite (embedded default) and PostgreSQL through one code path.
//!
//! No business rule lives here: stores load and save, the domain crates decide.

pub mod applications;
pub mod blobs;
pub mod convert;
pub mod db;
pub mod demo;
pub mod e_signatures;
pub mod employers;
pub mod history;
pub mod idempotency;
pub mod identity;
pub mod institutions;
pub mod integrations;
pub mod labour_demands;
pub mod mass_layoffs;
pub mod petition_users;
pub mod petitions;
pub mod postings;
pub mod rate_limits;
pub mod reference;
pub mod schema;
pub mod sectors;
pub mod surveys;
pub mod work_permit_cargo;
pub mod work_permit_employers;
pub mod work_permit_payments;
pub mod work_permit_registries;
pub mod work_permits;
pub mod workforce_charts;

pub use db::{run_in_transaction, Backend, Db, DbConnection, DbOptions, DbSetupError, GiveUp};
