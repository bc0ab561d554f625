//! The application's documents — DOMAIN.md §7, seed 003 §4.4, seed 002 "Başvuru Adımları".
//!
//! Documents are scanned PDFs, checked **by content**: the file starts with the `%PDF-`
//! header, whatever its name. "İş sözleşmesi, gelir durumunu gösterir belge, pasaportun
//! kişi bilgilerini içeren sayfası ve başvuru özeline göre belirlenmiş belgeler"; a
//! household applicant who is the cared person's guardian uploads "Vasilik Gösterir Belge",
//! a relative applying for the guardian "Vasinin Başvuruya İlişkin Onayını Gösteren Belge".
//!
//! Choices written down here because the manuals are silent:
//! - a document is at most 10 MiB (the manuals give no limit; a scanned page is far less);
//! - the passport page is not asked of international-protection holders (they are not asked
//!   for a passport at all);
//! - kind-specific documents: every academic a diploma or academic-title document; an
//!   academic exempt from the YÖK pre-permit (not TRNC) the document showing the exemption;
//!   disabled care the cared person's disability health-board report; patient companionship
//!   the patient's health report; elderly and child care nothing more (age and kinship come
//!   from the civil registry);
//! - a relative applying for the guardian uploads the guardian's consent **and** the
//!   guardianship document, since the consent proves nothing without it.

use crate::kind::{AcademicExemption, ApplicationKind, CareKind, Guardianship, Route};
use crate::refuse;
use kapi_core::{DomainError, FieldError};
use serde::{Deserialize, Serialize};

/// The largest document accepted, in bytes (10 MiB).
pub const MAX_DOCUMENT_BYTES: usize = 10 * 1024 * 1024;

const PDF_MAGIC: &[u8] = b"%PDF-";

code_list! {
    /// The kinds of document e-İzin asks for.
    DocumentType {
        EmploymentContract => "employment_contract", "İş Sözleşmesi";
        ProofOfIncome => "proof_of_income", "Gelir Durumunu Gösterir Belge";
        PassportIdentityPage => "passport_identity_page", "Pasaportun Kişi Bilgilerini İçeren Sayfası";
        Diploma => "diploma", "Diploma veya Akademik Unvan Belgesi";
        YokExemptionProof => "yok_exemption_proof", "YÖK Ön İzninden Muafiyeti Gösterir Belge";
        DisabilityReport => "disability_report", "Bakımı Yapılacak Kişinin Engelli Sağlık Kurulu Raporu";
        PatientHealthReport => "patient_health_report", "Refakat Edilecek Hastanın Sağlık Raporu";
        GuardianshipDocument => "guardianship_document", "Vasilik Gösterir Belge";
        GuardianConsent => "guardian_consent", "Vasinin Başvuruya İlişkin Onayını Gösteren Belge";
        AppealJustification => "appeal_justification", "Redde İtiraz Gerekçe Belgesi";
        StartOfWorkNotice => "start_of_work_notice", "İşe Giriş Bildirgesi";
        Petition => "petition", "Dilekçe";
        Other => "other", "Ek Belge";
    }
}

/// Whether `bytes` are a PDF by their header.
pub fn is_pdf(bytes: &[u8]) -> bool {
    bytes.starts_with(PDF_MAGIC)
}

/// Refuses an upload under `field` that is not a PDF by content
/// (`work_permit.document_format`) or is larger than 10 MiB
/// (`work_permit.document_too_large`).
pub fn check_pdf(field: &str, bytes: &[u8]) -> Result<(), DomainError> {
    let mut e = Vec::new();
    if !is_pdf(bytes) {
        e.push(FieldError::new(
            field,
            "work_permit.document_format",
            "Documents are PDF files (checked by their content, not their name).",
        ));
    }
    if bytes.len() > MAX_DOCUMENT_BYTES {
        e.push(FieldError::new(
            field,
            "work_permit.document_too_large",
            "A document may be at most 10 MB.",
        ));
    }
    refuse(e)
}

/// The documents an application of `kind` must carry before it is submitted, in the order
/// the wizard shows them.
pub fn required_documents(
    kind: &ApplicationKind,
    international_protection: bool,
) -> Vec<DocumentType> {
    let mut docs = vec![
        DocumentType::EmploymentContract,
        DocumentType::ProofOfIncome,
    ];
    if !international_protection {
        docs.push(DocumentType::PassportIdentityPage);
    }
    if kind.route.is_academic() {
        docs.push(DocumentType::Diploma);
    }
    if let Route::AcademicExempt {
        exemption: AcademicExemption::YokExempt,
        ..
    } = kind.route
    {
        docs.push(DocumentType::YokExemptionProof);
    }
    if let Some(h) = kind.household {
        match h.care {
            CareKind::DisabledCare => docs.push(DocumentType::DisabilityReport),
            CareKind::PatientCompanion => docs.push(DocumentType::PatientHealthReport),
            CareKind::ElderlyCare | CareKind::ChildCare => {}
        }
        match h.guardianship {
            Guardianship::NotApplicable => {}
            Guardianship::ApplicantIsGuardian => docs.push(DocumentType::GuardianshipDocument),
            Guardianship::ActsForGuardian => {
                docs.push(DocumentType::GuardianshipDocument);
                docs.push(DocumentType::GuardianConsent);
            }
        }
    }
    docs
}

/// Refuses a submission missing any required document, naming each as
/// `documents.<type>` (`work_permit.document_missing`).
pub fn check_required_documents(
    required: &[DocumentType],
    uploaded: &[DocumentType],
) -> Result<(), DomainError> {
    let missing = required
        .iter()
        .filter(|d| !uploaded.contains(d))
        .map(|d| {
            FieldError::new(
                format!("documents.{}", d.as_str()),
                "work_permit.document_missing",
                format!("Upload the \"{}\".", d.label_tr()),
            )
        })
        .collect();
    refuse(missing)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::ApplicationKindInput;
    use time::macros::date;

    fn household(care: &str, guardianship: Option<&str>) -> ApplicationKind {
        ApplicationKindInput {
            employer_kind: "household".into(),
            filing: "first".into(),
            route: "abroad".into(),
            reference_no: Some("1234567890123456".into()),
            care_kind: Some(care.into()),
            guardianship: guardianship.map(Into::into),
            ..Default::default()
        }
        .validate()
        .unwrap()
    }

    #[test]
    fn pdf_by_content_and_size() {
        assert!(check_pdf("documents.employment_contract", b"%PDF-1.4\n...").is_ok());
        for bad in [
            &b"\xFF\xD8\xFF\xE0"[..],
            b"%PDF",
            b" %PDF-1.4",
            b"",
            b"PK\x03\x04",
        ] {
            let err = check_pdf("documents.employment_contract", bad).unwrap_err();
            assert_eq!(err.code, "work_permit.document_format");
            assert_eq!(err.fields[0].field, "documents.employment_contract");
        }
        let mut big = b"%PDF-1.7\n".to_vec();
        big.resize(MAX_DOCUMENT_BYTES, 0);
        assert!(check_pdf("d", &big).is_ok());
        big.push(0);
        assert_eq!(
            check_pdf("d", &big).unwrap_err().code,
            "work_permit.document_too_large"
        );
    }

    #[test]
    fn the_base_documents_and_the_passport_exception() {
        let k = household("elderly_care", None);
        assert_eq!(
            required_documents(&k, false),
            [
                DocumentType::EmploymentContract,
                DocumentType::ProofOfIncome,
                DocumentType::PassportIdentityPage
            ]
        );
        assert!(!required_documents(&k, true).contains(&DocumentType::PassportIdentityPage));
    }

    #[test]
    fn household_care_and_guardianship_documents() {
        let docs = required_documents(
            &household("disabled_care", Some("applicant_is_guardian")),
            false,
        );
        assert!(docs.contains(&DocumentType::DisabilityReport));
        assert!(docs.contains(&DocumentType::GuardianshipDocument));
        assert!(!docs.contains(&DocumentType::GuardianConsent));
        let docs = required_documents(
            &household("patient_companion", Some("acts_for_guardian")),
            false,
        );
        assert!(docs.contains(&DocumentType::PatientHealthReport));
        assert!(docs.contains(&DocumentType::GuardianshipDocument));
        assert!(docs.contains(&DocumentType::GuardianConsent));
        let docs = required_documents(&household("child_care", Some("not_applicable")), false);
        assert_eq!(docs.len(), 3);
    }

    #[test]
    fn academic_documents() {
        let exempt = ApplicationKindInput {
            employer_kind: "university".into(),
            filing: "first".into(),
            route: "academic_exempt".into(),
            exemption: Some("yok_exempt".into()),
            ykn: Some(kapi_core::with_tckn_checksum("991234567").unwrap()),
            birth_date: Some(date!(1980 - 01 - 01)),
            ..Default::default()
        };
        let docs = required_documents(&exempt.clone().validate().unwrap(), false);
        assert!(docs.contains(&DocumentType::Diploma));
        assert!(docs.contains(&DocumentType::YokExemptionProof));
        let mut trnc = exempt;
        trnc.exemption = Some("trnc".into());
        let docs = required_documents(&trnc.validate().unwrap(), false);
        assert!(docs.contains(&DocumentType::Diploma));
        assert!(!docs.contains(&DocumentType::YokExemptionProof));
    }

    #[test]
    fn every_missing_document_is_named() {
        let required = required_documents(
            &household("disabled_care", Some("applicant_is_guardian")),
            false,
        );
        let err = check_required_documents(
            &required,
            &[
                DocumentType::EmploymentContract,
                DocumentType::ProofOfIncome,
                DocumentType::Other,
            ],
        )
        .unwrap_err();
        let fields: Vec<&str> = err.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "documents.passport_identity_page",
                "documents.disability_report",
                "documents.guardianship_document"
            ]
        );
        assert!(err
            .fields
            .iter()
            .all(|f| f.code == "work_permit.document_missing"));
        assert!(check_required_documents(&required, &required).is_ok());
        let one = check_required_documents(&[DocumentType::Diploma], &[]).unwrap_err();
        assert_eq!(one.code, "work_permit.document_missing");
        assert!(one.message.contains("Diploma veya Akademik Unvan Belgesi"));
    }
}
