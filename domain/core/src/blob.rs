//! The blob store port (ARCHITECTURE.md, Database): files — attachments, photos, generated
//! documents — live outside the database, addressed by the hex SHA-256 of their content;
//! only that key and the metadata go in a table. Writing the same content twice stores it
//! once, and a read checks nothing can have swapped the bytes under a key.

use crate::error::DomainError;

pub trait BlobStore: Send + Sync {
    /// Stores `bytes` (durably, before returning) and answers their hex SHA-256.
    fn put(&self, bytes: &[u8]) -> Result<String, DomainError>;
    /// The bytes stored under `sha256`, if any.
    fn get(&self, sha256: &str) -> Result<Option<Vec<u8>>, DomainError>;
}
