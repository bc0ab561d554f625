//! Job seekers (iş arayan) and their profile / CV — DOMAIN.md §3.
//!
//! A citizen registers as a job seeker by saving a profile: the occupations they seek
//! (the first is their main occupation), education (each with its graduation date),
//! driving licences (each with its issue and expiry date), languages, military status,
//! target-group statuses (disabled, ex-convict, terror victim — each with the evidence
//! document that proves it), province and district of residence, and whether the profile
//! is active. Name and birth date come from the identity registry, never from the form.
//! An inactive job seeker is not offered to employers and cannot apply.

use crate::demand::{code_enum, EducationLevel, LanguageLevel, LicenceClass, TargetGroup};
use kapi_core::{FieldError, FieldErrors, ProvinceCode, Tckn};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

code_enum!(
    /// Askerlik durumu.
    MilitaryStatus {
        Completed = "completed",
        Exempt = "exempt",
        Deferred = "deferred",
        NotDone = "not_done",
        /// Not liable (women, foreigners).
        NotApplicable = "not_applicable",
    }
);

/// A school finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Education {
    pub level: EducationLevel,
    pub field: Option<String>,
    pub graduated_on: Date,
}

/// A driving licence held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Licence {
    pub class: LicenceClass,
    pub issued_on: Date,
    pub valid_until: Option<Date>,
}

/// A language spoken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Language {
    pub language: String,
    pub level: LanguageLevel,
}

/// A protected-group status with the document that proves it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetGroupStatus {
    pub group: TargetGroup,
    /// The evidence: report / decision number and issuer, e.g. "Sağlık kurulu raporu 2024/118".
    pub evidence: String,
    pub valid_until: Option<Date>,
}

/// What the citizen fills in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// Occupation codes sought, the main one first (1–5).
    pub occupations: Vec<String>,
    pub education: Vec<Education>,
    pub licences: Vec<Licence>,
    pub languages: Vec<Language>,
    pub military_status: MilitaryStatus,
    pub target_groups: Vec<TargetGroupStatus>,
    pub province: ProvinceCode,
    pub district_code: i32,
    pub active: bool,
}

/// A registered job seeker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSeeker {
    pub tckn: Tckn,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: Date,
    pub profile: Profile,
    pub version: i64,
    pub registered_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl JobSeeker {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }

    /// The highest education finished by `on`.
    pub fn education_on(&self, on: Date) -> Option<EducationLevel> {
        self.profile
            .education
            .iter()
            .filter(|e| e.graduated_on <= on)
            .map(|e| e.level)
            .max()
    }

    /// Whole years of age on `on`.
    pub fn age_on(&self, on: Date) -> i32 {
        let mut age = on.year() - self.birth_date.year();
        if (on.month() as u8, on.day()) < (self.birth_date.month() as u8, self.birth_date.day()) {
            age -= 1;
        }
        age
    }
}

/// Checks a profile as far as it can without the store; returns the cleaned profile.
pub fn check_profile(p: &Profile, today: Date, errors: &mut FieldErrors) -> Profile {
    let mut out = p.clone();
    if p.occupations.is_empty() || p.occupations.len() > 5 {
        errors.push(FieldError::new(
            "occupations",
            "job_seeker.occupations_count",
            "Between one and five occupations, the main one first.",
        ));
    }
    let mut seen: Vec<&str> = vec![];
    for (i, o) in p.occupations.iter().enumerate() {
        if let Err(e) = kapi_core::OccupationCode::parse(o) {
            errors.push(e.at(format!("occupations[{i}]")));
        } else if seen.contains(&o.trim()) {
            errors.push(FieldError::new(
                format!("occupations[{i}]"),
                "job_seeker.occupation_duplicate",
                "This occupation is listed twice.",
            ));
        }
        seen.push(o.trim());
    }
    out.occupations = p.occupations.iter().map(|o| o.trim().to_owned()).collect();
    if p.education.len() > 10 {
        errors.push(FieldError::new(
            "education",
            "job_seeker.too_many",
            "At most 10 schools.",
        ));
    }
    for (i, e) in p.education.iter().enumerate() {
        if e.graduated_on > today {
            errors.push(FieldError::new(
                format!("education[{i}].graduated_on"),
                "job_seeker.graduation_future",
                "A graduation date cannot be in the future.",
            ));
        }
        out.education[i].field = match e.field.as_deref().map(str::trim) {
            Some(f) if !f.is_empty() => errors.take(
                &format!("education[{i}].field"),
                crate::employer::clean_text(&format!("education[{i}].field"), f, 1, 150),
            ),
            _ => None,
        };
    }
    let mut classes = vec![];
    for (i, l) in p.licences.iter().enumerate() {
        if l.issued_on > today {
            errors.push(FieldError::new(
                format!("licences[{i}].issued_on"),
                "job_seeker.licence_future",
                "An issue date cannot be in the future.",
            ));
        }
        if l.valid_until.is_some_and(|v| v < l.issued_on) {
            errors.push(FieldError::new(
                format!("licences[{i}].valid_until"),
                "job_seeker.licence_validity",
                "The licence cannot expire before it was issued.",
            ));
        }
        if classes.contains(&l.class) {
            errors.push(FieldError::new(
                format!("licences[{i}].class"),
                "job_seeker.licence_duplicate",
                "This class is listed twice.",
            ));
        }
        classes.push(l.class);
    }
    let mut langs: Vec<&str> = vec![];
    for (i, l) in p.languages.iter().enumerate() {
        let ok = l.language.len() == 2 && l.language.bytes().all(|b| b.is_ascii_lowercase());
        if !ok {
            errors.push(FieldError::new(
                format!("languages[{i}].language"),
                "language.format",
                "A two-letter ISO 639-1 code in lower case, e.g. en.",
            ));
        } else if langs.contains(&l.language.as_str()) {
            errors.push(FieldError::new(
                format!("languages[{i}].language"),
                "language.duplicate",
                "This language is listed twice.",
            ));
        }
        langs.push(&l.language);
    }
    let mut groups = vec![];
    for (i, g) in p.target_groups.iter().enumerate() {
        if g.group == TargetGroup::General {
            errors.push(FieldError::new(
                format!("target_groups[{i}].group"),
                "job_seeker.target_group_general",
                "Only disabled, ex_convict or terror_victim are statuses.",
            ));
        } else if groups.contains(&g.group) {
            errors.push(FieldError::new(
                format!("target_groups[{i}].group"),
                "job_seeker.target_group_duplicate",
                "This status is listed twice.",
            ));
        }
        groups.push(g.group);
        match crate::employer::clean_text(
            &format!("target_groups[{i}].evidence"),
            &g.evidence,
            3,
            200,
        ) {
            Ok(e) => out.target_groups[i].evidence = e,
            Err(e) => errors.push(FieldError {
                code: "job_seeker.evidence_required".into(),
                message: "The document that proves the status (3–200 characters).".into(),
                ..e
            }),
        }
    }
    out
}
