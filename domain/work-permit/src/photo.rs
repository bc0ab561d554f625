//! The foreigner's biometric photo — DOMAIN.md §7, seed 003 §4.1: "son 6 ay içerisinde
//! çekilmiş biyometrik fotoğraf … resim formatında (.jpg, .png, vb.) ve en fazla 2 MB".
//!
//! The photo is printed on the permit card, so it is checked **by content**, never by its
//! name: JPEG (`FF D8 FF`) or PNG (`89 50 4E 47 0D 0A 1A 0A`) by the magic bytes; a GIF,
//! a PDF or anything else renamed to `.jpg` is refused, and a PNG named `.jpg` is a PNG.
//! Choices written down here because the manuals are silent:
//! - "2 MB" is 2 MiB, 2 × 1024 × 1024 = 2 097 152 bytes: that many pass, one more does not;
//! - "taken within 6 months" is the date the user declares, checked against the Istanbul
//!   date of `now`: on or after the same day 6 calendar months ago (31 August → the end of
//!   February, [`crate::calendar::add_months`]) and not in the future;
//! - the user must confirm the crop ("Fotoğrafı Onaylayınız"); the cropping itself happens
//!   in the browser, so the server sees only the confirmed result.

use crate::calendar::add_months;
use crate::refuse;
use kapi_core::{istanbul_date_of, DomainError, FieldError};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// The largest photo accepted, in bytes (2 MiB).
pub const MAX_PHOTO_BYTES: usize = 2 * 1024 * 1024;
/// How many calendar months old a photo may be.
pub const PHOTO_MAX_AGE_MONTHS: i32 = 6;

const JPEG_MAGIC: &[u8] = &[0xFF, 0xD8, 0xFF];
const PNG_MAGIC: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

code_list! {
    /// An accepted photo format.
    PhotoFormat {
        Jpeg => "jpeg", "JPEG";
        Png => "png", "PNG";
    }
}

impl PhotoFormat {
    pub fn media_type(self) -> &'static str {
        match self {
            PhotoFormat::Jpeg => "image/jpeg",
            PhotoFormat::Png => "image/png",
        }
    }
}

/// The format of `bytes` by their magic bytes, if it is an accepted one.
pub fn sniff_photo(bytes: &[u8]) -> Option<PhotoFormat> {
    if bytes.starts_with(PNG_MAGIC) {
        Some(PhotoFormat::Png)
    } else if bytes.starts_with(JPEG_MAGIC) {
        Some(PhotoFormat::Jpeg)
    } else {
        None
    }
}

/// Checks an uploaded photo file by its content and size (the declared date and the
/// confirmation come with the personal step): `file` names the refused upload.
pub fn check_photo_file(bytes: &[u8]) -> Result<PhotoFormat, DomainError> {
    let mut e = Vec::new();
    let format = sniff_photo(bytes);
    if format.is_none() {
        e.push(FieldError::new(
            "file",
            "work_permit.photo_format",
            "The photo must be a JPEG or PNG image (checked by its content, not its name).",
        ));
    }
    if bytes.len() > MAX_PHOTO_BYTES {
        e.push(FieldError::new(
            "file",
            "work_permit.photo_too_large",
            "The photo may be at most 2 MB.",
        ));
    }
    refuse(e)?;
    format.ok_or_else(|| DomainError::internal("photo check lost its format"))
}

/// A photo that passed every check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedPhoto {
    pub format: PhotoFormat,
    pub size: usize,
    pub taken_on: Date,
}

/// The earliest "taken on" date a photo may declare at `now`.
pub fn earliest_taken_on(now: OffsetDateTime) -> Date {
    add_months(istanbul_date_of(now), -PHOTO_MAX_AGE_MONTHS).unwrap_or(Date::MIN)
}

/// Checks a photo's content, size, declared date and confirmation, naming each broken rule
/// (`photo`, `taken_on`, `confirmed`).
pub fn check_photo(
    bytes: &[u8],
    taken_on: Date,
    confirmed: bool,
    now: OffsetDateTime,
) -> Result<CheckedPhoto, DomainError> {
    let mut e = Vec::new();
    let format = sniff_photo(bytes);
    if bytes.is_empty() {
        e.push(FieldError::new(
            "photo",
            "work_permit.photo_empty",
            "The photo file is empty.",
        ));
    } else if format.is_none() {
        e.push(FieldError::new(
            "photo",
            "work_permit.photo_format",
            "The photo must be a JPEG or PNG image (checked by its content, not its name).",
        ));
    }
    if bytes.len() > MAX_PHOTO_BYTES {
        e.push(FieldError::new(
            "photo",
            "work_permit.photo_too_large",
            "The photo may be at most 2 MB.",
        ));
    }
    let today = istanbul_date_of(now);
    if taken_on > today {
        e.push(FieldError::new(
            "taken_on",
            "work_permit.photo_taken_in_future",
            "The photo's date cannot be in the future.",
        ));
    } else if taken_on < earliest_taken_on(now) {
        e.push(FieldError::new(
            "taken_on",
            "work_permit.photo_too_old",
            format!(
                "The photo must have been taken within the last 6 months (on or after {}).",
                earliest_taken_on(now)
            ),
        ));
    }
    if !confirmed {
        e.push(FieldError::new(
            "confirmed",
            "work_permit.photo_not_confirmed",
            "Crop the photo to the face and confirm it.",
        ));
    }
    refuse(e)?;
    match format {
        Some(format) => Ok(CheckedPhoto {
            format,
            size: bytes.len(),
            taken_on,
        }),
        None => Err(DomainError::internal("photo check lost its format")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    const NOW: OffsetDateTime = datetime!(2026-08-31 12:00 +03:00);

    fn jpeg(len: usize) -> Vec<u8> {
        let mut v = vec![0u8; len];
        v[..4].copy_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);
        v
    }

    fn png(len: usize) -> Vec<u8> {
        let mut v = vec![0u8; len];
        v[..8].copy_from_slice(PNG_MAGIC);
        v
    }

    fn code(r: Result<CheckedPhoto, DomainError>) -> String {
        r.unwrap_err().code.into_owned()
    }

    #[test]
    fn jpeg_and_png_by_content() {
        let p = check_photo(&jpeg(1000), date!(2026 - 08 - 01), true, NOW).unwrap();
        assert_eq!(p.format, PhotoFormat::Jpeg);
        assert_eq!(p.format.media_type(), "image/jpeg");
        let p = check_photo(&png(1000), date!(2026 - 08 - 01), true, NOW).unwrap();
        assert_eq!(p.format, PhotoFormat::Png);
    }

    #[test]
    fn a_renamed_file_is_refused() {
        for bytes in [
            b"GIF89a\x01\x00\x01\x00".to_vec(),
            b"%PDF-1.7\n".to_vec(),
            b"BM\x00\x00".to_vec(),
            vec![0xFF, 0xD8],            // a JPEG header cut short
            b"\x89PNG\r\n\x1a".to_vec(), // a PNG header cut short
        ] {
            assert_eq!(
                code(check_photo(&bytes, date!(2026 - 08 - 01), true, NOW)),
                "work_permit.photo_format"
            );
        }
        assert_eq!(
            code(check_photo(&[], date!(2026 - 08 - 01), true, NOW)),
            "work_permit.photo_empty"
        );
    }

    #[test]
    fn at_most_two_megabytes() {
        assert!(check_photo(&jpeg(MAX_PHOTO_BYTES), date!(2026 - 08 - 01), true, NOW).is_ok());
        assert_eq!(MAX_PHOTO_BYTES, 2_097_152);
        assert_eq!(
            code(check_photo(
                &png(MAX_PHOTO_BYTES + 1),
                date!(2026 - 08 - 01),
                true,
                NOW
            )),
            "work_permit.photo_too_large"
        );
    }

    #[test]
    fn taken_within_six_months() {
        // 31 August − 6 months = 28 February (2026 is a common year).
        assert_eq!(earliest_taken_on(NOW), date!(2026 - 02 - 28));
        assert!(check_photo(&jpeg(100), date!(2026 - 02 - 28), true, NOW).is_ok());
        assert_eq!(
            code(check_photo(&jpeg(100), date!(2026 - 02 - 27), true, NOW)),
            "work_permit.photo_too_old"
        );
        assert!(check_photo(&jpeg(100), date!(2026 - 08 - 31), true, NOW).is_ok());
        assert_eq!(
            code(check_photo(&jpeg(100), date!(2026 - 09 - 01), true, NOW)),
            "work_permit.photo_taken_in_future"
        );
        // A mid-month day: 15 March → 15 September.
        let now = datetime!(2026-03-15 09:00 +03:00);
        assert!(check_photo(&jpeg(100), date!(2025 - 09 - 15), true, now).is_ok());
        assert!(check_photo(&jpeg(100), date!(2025 - 09 - 14), true, now).is_err());
    }

    #[test]
    fn every_broken_rule_is_named() {
        let err = check_photo(b"GIF89a", date!(2025 - 01 - 01), false, NOW).unwrap_err();
        let got: Vec<(&str, &str)> = err
            .fields
            .iter()
            .map(|f| (f.field.as_str(), f.code.as_ref()))
            .collect();
        assert_eq!(
            got,
            [
                ("photo", "work_permit.photo_format"),
                ("taken_on", "work_permit.photo_too_old"),
                ("confirmed", "work_permit.photo_not_confirmed"),
            ]
        );
    }
}
