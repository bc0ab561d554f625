//! After the permit (İzin Sonrası İşlemler) over an approved application — DOMAIN.md §7
//! "Post-permit": the card printed and shipped (simulated PTT), the start-of-work
//! notification, documents the ministry asks for, the termination request.

use serde::{Deserialize, Serialize};

/// What an approved application keeps of the post-permit work.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AfterPermit {}
