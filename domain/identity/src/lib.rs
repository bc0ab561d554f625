//! Identity: who a caller is and how they prove it.
//!
//! - [`registry`]: the government registries the real portals call (e-Devlet/KPS identity,
//!   foreigners, SGK workplaces and their e-Bildirge authorised persons, NVİ kinship) as
//!   ports. The persistence crate implements them on seed tables, so every flow runs end to
//!   end here and a real adapter can replace them without touching the domains.
//! - [`login`]: citizen login through (simulated) e-Devlet, staff login by username.
//! - [`otp`]: one-time codes by SMS / e-mail — 6 digits, hashed at rest, 3-minute expiry,
//!   at most 5 tries, rate-limited per destination — with the outbox they are sent through.
//! - [`password`]: argon2id hashing; passwords are never stored or logged in clear.
//!
//! This crate sits beside the seven domain crates (ARCHITECTURE.md lists none for identity);
//! every domain that needs a registry depends on it rather than on the API crate.

pub mod login;
pub mod otp;
pub mod password;
pub mod registry;
