//! Black-box tests of the whole app over HTTP; every test runs on SQLite and PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod applications;
mod auth;
mod contract;
mod employers;
mod institutions;
mod integrators;
mod labour_demands;
mod mass_layoffs;
mod otp;
mod petition_users;
mod petitions;
mod platform;
mod postings;
mod reference;
mod registries;
mod sectors;
mod surveys_and_forms;
mod work_permit_after;
mod work_permit_decisions;
mod work_permit_employers;
mod work_permit_journeys;
mod work_permit_reference;
mod work_permit_store;
mod work_permits;
mod workforce_charts;
