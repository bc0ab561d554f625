//! Petition attachments — DOMAIN.md §8: several files, **each at most 10 MB**, only png,
//! jpg, jpeg, bmp, tif, tiff, gif, doc, docx, xls, xlsx, pdf — **checked by content**, not
//! only by name. The extension must be allowed and the first bytes must be those of that
//! format: a Windows program renamed `.pdf` starts with `MZ`, not `%PDF-`, and is refused.
//! Office Open XML files are ZIP archives whose parts name their kind: the archive must
//! open (its central directory read, nothing unpacked) and list `[Content_Types].xml` and
//! parts under `word/` for docx or `xl/` for xlsx — bytes that merely begin with a ZIP
//! header (an HTML page behind `PK\x03\x04`) or a docx named `.xlsx` are refused. The
//! legacy doc/xls share the OLE compound-file signature.

use kapi_core::{FieldError, PetitionFileId};
use serde::{Deserialize, Serialize};

/// Largest attachment accepted.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;

/// The kinds accepted, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Png,
    Jpeg,
    Bmp,
    Tiff,
    Gif,
    Pdf,
    Doc,
    Docx,
    Xls,
    Xlsx,
}

impl FileKind {
    /// The kind an extension names (case-insensitive), if allowed.
    pub fn from_extension(ext: &str) -> Option<Self> {
        Some(match ext.to_ascii_lowercase().as_str() {
            "png" => FileKind::Png,
            "jpg" | "jpeg" => FileKind::Jpeg,
            "bmp" => FileKind::Bmp,
            "tif" | "tiff" => FileKind::Tiff,
            "gif" => FileKind::Gif,
            "pdf" => FileKind::Pdf,
            "doc" => FileKind::Doc,
            "docx" => FileKind::Docx,
            "xls" => FileKind::Xls,
            "xlsx" => FileKind::Xlsx,
            _ => return None,
        })
    }

    /// The media type the file is served with.
    pub fn media_type(self) -> &'static str {
        match self {
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Bmp => "image/bmp",
            FileKind::Tiff => "image/tiff",
            FileKind::Gif => "image/gif",
            FileKind::Pdf => "application/pdf",
            FileKind::Doc => "application/msword",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Xls => "application/vnd.ms-excel",
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    /// Whether `bytes` begin (and, for OOXML, are made) like this kind.
    fn matches(self, b: &[u8]) -> bool {
        const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        let zip_with = |part: &[u8]| ooxml_package_with(b, part);
        match self {
            FileKind::Png => b.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]),
            FileKind::Jpeg => b.starts_with(&[0xFF, 0xD8, 0xFF]),
            FileKind::Bmp => b.starts_with(b"BM") && b.len() > 14,
            FileKind::Tiff => b.starts_with(b"II*\0") || b.starts_with(b"MM\0*"),
            FileKind::Gif => b.starts_with(b"GIF87a") || b.starts_with(b"GIF89a"),
            FileKind::Pdf => b.starts_with(b"%PDF-"),
            FileKind::Doc | FileKind::Xls => b.starts_with(OLE),
            FileKind::Docx => zip_with(b"word/"),
            FileKind::Xlsx => zip_with(b"xl/"),
        }
    }
}

/// Whether `b` is a ZIP archive whose central directory lists `[Content_Types].xml` and a
/// part under `folder` (`word/`, `xl/`).
fn ooxml_package_with(b: &[u8], folder: &[u8]) -> bool {
    if !b.starts_with(b"PK\x03\x04") {
        return false;
    }
    let Ok(archive) = zip::ZipArchive::new(std::io::Cursor::new(b)) else {
        return false;
    };
    let mut names = archive.file_names_raw();
    let (mut types, mut part) = (false, false);
    for name in &mut names {
        types |= name == b"[Content_Types].xml";
        part |= name.starts_with(folder) && name.len() > folder.len();
        if types && part {
            return true;
        }
    }
    false
}

/// A file kept with a petition: the bytes are in the blob store under `sha256`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredFile {
    pub id: PetitionFileId,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: u64,
    /// Hex SHA-256 of the content: the blob's key and its integrity check.
    pub sha256: String,
}

/// A checked attachment: its cleaned file name and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedFile {
    pub file_name: String,
    pub kind: FileKind,
    pub size: usize,
}

/// Checks one attachment; `field` names it in errors (`attachments[2]`).
pub fn check_attachment(
    field: &str,
    file_name: &str,
    bytes: &[u8],
) -> Result<CheckedFile, FieldError> {
    // A control character or a bidirectional override (`fatura\u{202E}fdp.exe` shows as
    // `fatura.exe.pdf`) in the name is refused, as in every text input.
    kapi_core::check_line_text(field, file_name)?;
    let name = file_name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(FieldError::new(
            field,
            "attachment.name",
            "A file name of 1–200 characters.",
        ));
    }
    if bytes.is_empty() {
        return Err(FieldError::new(
            field,
            "attachment.empty",
            "The file is empty.",
        ));
    }
    if bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(FieldError::new(
            field,
            "attachment.too_large",
            "Each file is at most 10 MB.",
        ));
    }
    let kind = name
        .rsplit_once('.')
        .and_then(|(_, ext)| FileKind::from_extension(ext))
        .ok_or_else(|| {
            FieldError::new(
                field,
                "attachment.type_not_allowed",
                "Only png, jpg, jpeg, bmp, tif, tiff, gif, doc, docx, xls, xlsx and pdf files.",
            )
        })?;
    if !kind.matches(bytes) {
        return Err(FieldError::new(
            field,
            "attachment.content_mismatch",
            "The file's content is not what its name says.",
        ));
    }
    Ok(CheckedFile {
        file_name: name.to_owned(),
        kind,
        size: bytes.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stored (uncompressed) ZIP archive with these part names.
    fn ooxml(parts: &[&str]) -> Vec<u8> {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for p in parts {
            w.start_file(*p, options).unwrap();
            w.write_all(b"<x/>").unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn code(name: &str, bytes: &[u8]) -> String {
        check_attachment("attachments[0]", name, bytes)
            .unwrap_err()
            .code
            .into_owned()
    }

    #[test]
    fn content_decides_not_the_name() {
        let pdf = b"%PDF-1.7\n...";
        assert_eq!(
            check_attachment("f", "dilekçe.PDF", pdf).unwrap().kind,
            FileKind::Pdf
        );
        assert_eq!(
            code("dilekçe.pdf", b"MZ\x90\x00 this program"),
            "attachment.content_mismatch"
        );
        assert_eq!(
            code("virus.exe", b"MZ\x90\x00"),
            "attachment.type_not_allowed"
        );
        assert_eq!(
            code("foto.png", &[0xFF, 0xD8, 0xFF, 0xE0]),
            "attachment.content_mismatch"
        );
        assert_eq!(
            check_attachment("f", "foto.jpeg", &[0xFF, 0xD8, 0xFF, 0xE0])
                .unwrap()
                .kind,
            FileKind::Jpeg
        );
        let docx = ooxml(&["[Content_Types].xml", "_rels/.rels", "word/document.xml"]);
        assert_eq!(
            check_attachment("f", "a.docx", &docx).unwrap().kind,
            FileKind::Docx
        );
        assert_eq!(code("a.xlsx", &docx), "attachment.content_mismatch");
        let xlsx = ooxml(&["[Content_Types].xml", "xl/workbook.xml"]);
        assert!(check_attachment("f", "a.xlsx", &xlsx).is_ok());
        assert_eq!(code("a.docx", &xlsx), "attachment.content_mismatch");
        // Bytes that only look like a package: a ZIP header, the part names as text.
        let fake = b"PK\x03\x04<html>[Content_Types].xml word/document.xml xl/</html>";
        assert_eq!(code("a.docx", fake), "attachment.content_mismatch");
        assert_eq!(code("a.xlsx", fake), "attachment.content_mismatch");
        // A real ZIP that is not an OOXML package.
        let plain = ooxml(&["word/document.xml"]);
        assert_eq!(code("a.docx", &plain), "attachment.content_mismatch");
        let ole = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
        assert!(check_attachment("f", "eski.doc", &ole).is_ok());
        assert!(check_attachment("f", "eski.xls", &ole).is_ok());
        assert!(check_attachment("f", "tarama.tif", b"II*\0rest").is_ok());
        assert!(check_attachment("f", "a.gif", b"GIF89a..").is_ok());
        assert_eq!(
            check_attachment("f", "C:\\Users\\ayse\\belge.pdf", pdf)
                .unwrap()
                .file_name,
            "belge.pdf"
        );
    }

    #[test]
    fn ten_megabytes_and_not_a_byte_more() {
        let mut big = b"%PDF-".to_vec();
        big.resize(MAX_ATTACHMENT_BYTES, b' ');
        assert!(check_attachment("f", "büyük.pdf", &big).is_ok());
        big.push(b' ');
        assert_eq!(code("büyük.pdf", &big), "attachment.too_large");
        assert_eq!(code("boş.pdf", b""), "attachment.empty");
        assert_eq!(code(".", b"%PDF-"), "attachment.type_not_allowed");
    }
}
