//! The append-only history every record keeps ("İşlem Hareketleri"): who did what, when,
//! from which state to which, with a note. Entries are never changed or removed (the
//! database refuses it), so a record's story survives even its deletion.

use crate::error::DomainError;
use time::OffsetDateTime;

/// One line of a record's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// `sector`, `petition`, `application`, …
    pub resource_kind: String,
    pub resource_id: String,
    pub at: OffsetDateTime,
    /// The actor's audit label (identity numbers masked).
    pub actor: String,
    pub from_state: Option<String>,
    pub to_state: String,
    pub note: Option<String>,
}

/// Where history goes.
pub trait HistoryLog {
    fn append(&mut self, entry: &HistoryEntry) -> Result<(), DomainError>;
    /// A record's entries, oldest first.
    fn history(
        &mut self,
        resource_kind: &str,
        resource_id: &str,
    ) -> Result<Vec<HistoryEntry>, DomainError>;
}
