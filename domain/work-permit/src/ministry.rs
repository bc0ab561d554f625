//! The ministry side of an application after submission — DOMAIN.md §7 "Evaluation by the
//! ministry", "Rejected applications": the evaluator's queue and decisions, the fee
//! references and payments (simulated GİB), the appeal and the waiver, the scheduled
//! rejections.

use serde::{Deserialize, Serialize};

/// What the ministry side keeps on an application beyond its [`crate::evaluation::Evaluation`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MinistryRecord {}
