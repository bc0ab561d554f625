//! The blob store on disk (`KAPI_DATA_DIR/blobs/ab/abcdef…`): content-addressed by SHA-256,
//! written to a temporary file, synced and renamed into place, so a crash never leaves a
//! half-written blob under a real key. A blob written for a transaction that then rolls
//! back is an unreferenced file, never a half-written record; the same content stored again
//! reuses it.

use kapi_core::{BlobStore, DomainError};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::PathBuf;

pub struct FsBlobStore {
    root: PathBuf,
}

impl FsBlobStore {
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            root: data_dir.into().join("blobs"),
        }
    }

    fn path(&self, sha256: &str) -> Option<PathBuf> {
        if sha256.len() != 64 || !sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        Some(self.root.join(&sha256[..2]).join(sha256))
    }
}

fn io(what: &str, e: std::io::Error) -> DomainError {
    DomainError::internal(format!("blob store {what}: {e}"))
}

impl BlobStore for FsBlobStore {
    fn put(&self, bytes: &[u8]) -> Result<String, DomainError> {
        let sha = hex::encode(Sha256::digest(bytes));
        let path = self
            .path(&sha)
            .ok_or_else(|| DomainError::internal("blob key"))?;
        if path.exists() {
            return Ok(sha);
        }
        let dir = path
            .parent()
            .ok_or_else(|| DomainError::internal("blob dir"))?;
        std::fs::create_dir_all(dir).map_err(|e| io("mkdir", e))?;
        let tmp = dir.join(format!(".{sha}.{}", uuid::Uuid::now_v7().simple()));
        let mut f = std::fs::File::create(&tmp).map_err(|e| io("create", e))?;
        f.write_all(bytes).map_err(|e| io("write", e))?;
        f.sync_all().map_err(|e| io("sync", e))?;
        std::fs::rename(&tmp, &path).map_err(|e| io("rename", e))?;
        Ok(sha)
    }

    fn get(&self, sha256: &str) -> Result<Option<Vec<u8>>, DomainError> {
        let Some(path) = self.path(sha256) else {
            return Ok(None);
        };
        match std::fs::read(&path) {
            Ok(b) if hex::encode(Sha256::digest(&b)) == sha256 => Ok(Some(b)),
            Ok(_) => Err(DomainError::internal(format!(
                "blob {sha256} does not match its content"
            ))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(io("read", e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_by_content_and_reads_back() {
        let dir = std::env::temp_dir().join(format!("kapi-blobs-{}", uuid::Uuid::now_v7()));
        let s = FsBlobStore::new(&dir);
        let k = s.put(b"%PDF-1.7 dilekce").unwrap();
        assert_eq!(k.len(), 64);
        assert_eq!(
            s.put(b"%PDF-1.7 dilekce").unwrap(),
            k,
            "same content, same key"
        );
        assert_eq!(s.get(&k).unwrap().unwrap(), b"%PDF-1.7 dilekce");
        assert_eq!(s.get(&"0".repeat(64)).unwrap(), None);
        assert_eq!(s.get("../etc/passwd").unwrap(), None);
        std::fs::write(s.path(&k).unwrap(), b"tampered").unwrap();
        assert!(s.get(&k).is_err());
        let _ = std::fs::remove_dir_all(dir);
    }
}
