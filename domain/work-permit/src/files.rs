//! Files uploaded for an application's wizard: the biometric photo and the PDFs. The
//! bytes are checked by content at upload ([`crate::photo::check_photo_file`],
//! [`crate::documents::check_pdf`]) and kept in the blob store under their SHA-256; the
//! application keeps a record of each, so a step can name only a file uploaded for that
//! application (422 `work_permit.file_not_uploaded` otherwise).

use crate::wizard::Sha256Hex;
use kapi_core::{DomainError, FieldError, WorkPermitId};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

code_list! {
    /// What an uploaded file is.
    FileKind {
        /// The biometric photo (JPEG or PNG, at most 2 MB).
        Photo => "photo", "Biyometrik Fotoğraf";
        /// A PDF document (at most 10 MB).
        Pdf => "pdf", "PDF Belge";
    }
}

/// A file uploaded for an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationFile {
    pub sha256: Sha256Hex,
    pub kind: FileKind,
    pub media_type: String,
    pub size: u64,
    pub file_name: String,
    pub uploaded_by: String,
    pub uploaded_at: OffsetDateTime,
}

/// The application's uploaded files (a port: a table beside the applications).
pub trait ApplicationFiles {
    /// Records the file (uploading the same bytes again keeps the first record).
    fn add_file(&mut self, id: WorkPermitId, file: &ApplicationFile) -> Result<(), DomainError>;
    fn file(
        &mut self,
        id: WorkPermitId,
        sha256: &str,
    ) -> Result<Option<ApplicationFile>, DomainError>;
}

/// The uploaded file of `kind` named by `sha256` (the step's `field`).
pub fn uploaded(
    files: &mut impl ApplicationFiles,
    id: WorkPermitId,
    sha256: &str,
    kind: FileKind,
    field: &str,
) -> Result<ApplicationFile, DomainError> {
    match files.file(id, &sha256.trim().to_ascii_lowercase())? {
        Some(f) if f.kind == kind => Ok(f),
        _ => Err(DomainError::rule(FieldError::new(
            field,
            "work_permit.file_not_uploaded",
            format!(
                "Upload the {} for this application first (POST …/files) and name its sha256.",
                kind.label_tr()
            ),
        ))),
    }
}
