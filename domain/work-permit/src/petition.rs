//! The application petition (başvuru dilekçesi) — seed 003 §4.5: "başvuru esnasında girmiş
//! olduğunuz bilgiler kullanılarak oluşturulan başvuru dilekçeniz .pdf formatında tarafınıza
//! sunulmaktadır". The text is built here from the saved steps; the API renders it as a PDF,
//! keeps it in the blob store and records its SHA-256 on the application
//! ([`crate::application::GeneratedPetition`]). The result step confirms and e-signs exactly
//! that PDF: any step saved afterwards drops it, so a changed application is never signed
//! with an old petition.

use crate::application::{Foreigner, WorkPermitApplication};
use crate::evaluation::tr_date;
use kapi_core::istanbul_date_of;
use time::OffsetDateTime;

/// The petition's text: a title, "label: value" lines, then paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetitionText {
    pub title: String,
    pub fields: Vec<(String, String)>,
    pub paragraphs: Vec<String>,
}

/// The petition of `a` for the employer titled `employer_title`, dated `now` (Istanbul).
pub fn petition_text(
    a: &WorkPermitApplication,
    employer_title: &str,
    now: OffsetDateTime,
) -> PetitionText {
    let mut f: Vec<(String, String)> = Vec::new();
    let mut push = |k: &str, v: String| f.push((k.to_owned(), v));
    push("Başvuru No", a.id.to_string());
    push("İşveren", employer_title.to_owned());
    push("İşveren Türü", a.kind.employer.label_tr().to_owned());
    push("Başvuru Türü", a.kind.filing.label_tr().to_owned());
    push("Başvuru Yolu", a.kind.route.label_tr().to_owned());
    match &a.foreigner {
        Foreigner::Ykn { ykn, birth_date } => {
            push("Yabancı Kimlik No", ykn.as_ref().to_owned());
            push("Doğum Tarihi", tr_date(*birth_date));
        }
        Foreigner::Passport {
            passport_no,
            nationality,
        } => {
            push("Pasaport No", passport_no.to_string());
            push("Uyruk", nationality.to_string());
        }
        Foreigner::Reference(r) => {
            push("Dış Temsilcilik Referans No", r.reference_no.to_string());
            push("Adı Soyadı", format!("{} {}", r.first_name, r.last_name));
            push("Doğum Tarihi", tr_date(r.birth_date));
            push("Uyruk", r.nationality.to_string());
        }
        Foreigner::YokPrePermit { number } => push("YÖK Ön İzin No", number.to_string()),
    }
    if let Some(y) = &a.yok_record {
        push("Adı Soyadı", format!("{} {}", y.first_name, y.last_name));
        push("Uyruk", y.nationality.to_string());
        push(
            "YÖK Ön İzni",
            format!("{} ({})", y.university, y.status.label_tr()),
        );
    }
    if let Some(r) = &a.registry_record {
        push("Adı Soyadı", format!("{} {}", r.first_name, r.last_name));
        push("Uyruk", r.nationality.clone());
    }
    if let Some(p) = &a.wizard.personal {
        push("E-posta", p.email.as_str().to_owned());
        push("Cep Telefonu", p.mobile.as_str().to_owned());
        push("Medeni Hali", p.marital_status.label_tr().to_owned());
    }
    if let Some(g) = &a.wizard.general {
        match &g.passport {
            Some(p) => push(
                "Pasaport",
                format!("{} (son geçerlilik {})", p.number, tr_date(p.expires_on)),
            ),
            None => push("Pasaport", "Uluslararası koruma kapsamında".to_owned()),
        }
        push("Öğrenim Durumu", g.education.label_tr().to_owned());
        if !g.languages.is_empty() {
            push("Yabancı Dil", g.languages.join(", "));
        }
    }
    if let Some(j) = &a.wizard.job {
        push(
            "Çalışma Adresi",
            format!(
                "{} (il {}, ilçe {})",
                j.address.open_address, j.address.province, j.address.district_code
            ),
        );
        push("Meslek / Görev", j.occupation.as_str().to_owned());
        if let Some(c) = &j.cared_person {
            push(
                "Bakımı Yapılacak Kişi",
                format!("{} ({})", c.tckn.masked(), c.relation.label_tr()),
            );
        }
        push("Aylık Brüt Ücret", j.wage.to_string());
        push(
            "Çalışma Şekli / Türü",
            format!("{} / {}", j.work_mode.label_tr(), j.work_type.label_tr()),
        );
        push(
            "Talep Edilen Süre",
            format!("{} – {}", tr_date(j.period_start), tr_date(j.period_end)),
        );
        if let Some(p) = j.premiums_paid_abroad {
            push(
                "Primler Yurt Dışında Ödeniyor",
                if p { "Evet" } else { "Hayır" }.to_owned(),
            );
        }
        push("İstihdam Gerekçesi", j.reason.clone());
    }
    let docs: Vec<String> = a
        .wizard
        .documents
        .iter()
        .flatten()
        .map(|d| d.document_type.label_tr().to_owned())
        .collect();
    if !docs.is_empty() {
        push("Yüklenen Belgeler", docs.join("; "));
    }
    PetitionText {
        title: "ÇALIŞMA VE SOSYAL GÜVENLİK BAKANLIĞI — Uluslararası İşgücü Genel Müdürlüğü'ne"
            .to_owned(),
        fields: f,
        paragraphs: vec![
            "Yukarıda bilgileri yer alan yabancı için çalışma izni verilmesini; başvuru \
             esnasında beyan ettiğim tüm bilgilerin ve ibraz ettiğim belgelerin doğru \
             olduğunu, aksi halde doğacak sorumluluğu kabul ettiğimi beyan ederim."
                .to_owned(),
            "Gereğini bilgilerinize arz ederim.".to_owned(),
            format!("{} — {}", tr_date(istanbul_date_of(now)), employer_title),
        ],
    }
}
