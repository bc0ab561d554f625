//! A petition (başvuru) as submitted — DOMAIN.md §8, seed 004 §2 and §4.2.
//!
//! The citizen's identity and residence come from the identity registry, never from the
//! form. The **subject address** (başvuruya konu olan adres) is entered in full — open
//! address, province, district and one neighbourhood or village code (the reference list
//! holds both kinds) — or copied from the residence ("same as residence"). Contact: a mobile
//! number (required; a citizen without one gives a home phone instead), an optional e-mail.
//! One or more service heading + sub-heading pairs; the sub-heading must belong to the
//! heading, a pair appears once, and the "Diğer" heading needs a description. Education
//! level and working sector are required; the subject text is 10–5000 characters.
//!
//! The petition belongs to the province (and district) of its subject address: that is the
//! governorate whose desk handles it.

use crate::attachment::StoredFile;
use crate::workflow::Workflow;
use kapi_core::{clean_text, collapse_whitespace};
use kapi_core::{
    DomainError, Email, FieldError, FieldErrors, MobilePhone, PetitionId, ProvinceCode, SectorId,
    Tckn,
};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// The code of the "Diğer" (other) service heading, which needs a description.
pub const OTHER_HEADING: &str = "DIGER";
/// Subject text limits, in characters.
pub const SUBJECT_MIN: usize = 10;
pub const SUBJECT_MAX: usize = 5000;
/// At most this many heading pairs and attachments per petition.
pub const MAX_HEADINGS: usize = 10;
pub const MAX_FILES: usize = 10;

/// An address as the petition keeps it (names resolved from the code lists).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub province: u8,
    pub province_name: String,
    pub district_code: i32,
    pub district_name: String,
    /// Neighbourhood (mahalle) or village (köy) code, when known.
    pub neighbourhood_code: Option<i32>,
    pub neighbourhood_name: Option<String>,
    /// `mahalle` or `köy`, when known.
    pub neighbourhood_kind: Option<String>,
    pub open_address: String,
}

/// Who petitions, from the identity registry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Petitioner {
    pub tckn: Tckn,
    pub first_name: String,
    pub last_name: String,
    pub residence: Address,
}

impl Petitioner {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}

/// How to reach the citizen. A Yetkili never receives any of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub home_phone: Option<String>,
}

/// One service heading with its sub-heading (hizmet başlığı / alt başlık).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadingChoice {
    pub heading_code: String,
    pub heading_name: String,
    pub sub_heading_code: String,
    pub sub_heading_name: String,
    /// Required for the "Diğer" heading.
    pub description: Option<String>,
}

/// How the petition reached the desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Submitted by the citizen online.
    Online,
    /// A written petition entered by the AKS (yazılı başvuru).
    Written,
    /// Sent by an integrator's Open311 client for an identity-checked citizen
    /// (`crate::open311`).
    Integrator,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Written => "written",
            Channel::Integrator => "integrator",
        }
    }
}

/// A petition as stored: the submission plus its live workflow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Petition {
    pub id: PetitionId,
    /// Başvuru takip no: short, sequential, numeric.
    pub tracking_no: i64,
    pub channel: Channel,
    pub petitioner: Petitioner,
    pub subject_address: Address,
    pub contact: Contact,
    pub headings: Vec<HeadingChoice>,
    pub education_level: String,
    pub education_level_name: String,
    pub sector_id: SectorId,
    pub sector_name: String,
    pub subject: String,
    /// The citizen's attachments.
    pub files: Vec<StoredFile>,
    pub submitted_at: OffsetDateTime,
    /// The Istanbul day it arrived (for a written petition, the day on the paper).
    pub arrival_date: Date,
    /// The AKS who entered a written petition, or the integrator whose client sent it
    /// (audit label).
    pub entered_by: Option<String>,
    pub workflow: Workflow,
    pub version: i64,
}

impl Petition {
    pub fn province(&self) -> u8 {
        self.subject_address.province
    }
}

/// The subject address as typed.
#[derive(Debug, Clone, Default)]
pub struct AddressInput {
    pub same_as_residence: bool,
    pub province: Option<i64>,
    pub district_code: Option<i32>,
    pub neighbourhood_code: Option<i32>,
    pub open_address: Option<String>,
}

/// A heading pair as typed.
#[derive(Debug, Clone)]
pub struct HeadingInput {
    pub heading_code: String,
    pub sub_heading_code: String,
    pub description: Option<String>,
}

/// The form, as the citizen (or the AKS for a written petition) fills it.
#[derive(Debug, Clone)]
pub struct PetitionForm {
    pub subject_address: AddressInput,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub home_phone: Option<String>,
    pub headings: Vec<HeadingInput>,
    pub education_level: String,
    pub sector_id: String,
    pub subject: String,
}

/// What the code lists say about a code; the store answers from the reference tables.
pub trait PetitionReference {
    fn province_name(&mut self, code: u8) -> Result<Option<String>, DomainError>;
    /// The district's province and name.
    fn district(&mut self, code: i32) -> Result<Option<(u8, String)>, DomainError>;
    /// The neighbourhood's district, name and kind (`mahalle` / `köy`).
    fn neighbourhood(&mut self, code: i32) -> Result<Option<(i32, String, String)>, DomainError>;
    /// A service heading's parent (None for a top heading) and name.
    fn heading(&mut self, code: &str) -> Result<Option<(Option<String>, String)>, DomainError>;
    fn education_level(&mut self, code: &str) -> Result<Option<String>, DomainError>;
    fn sector_name(&mut self, id: SectorId) -> Result<Option<String>, DomainError>;
    /// A DETSİS unit's name and province (None for a national unit).
    fn detsis_unit(&mut self, no: &str) -> Result<Option<(String, Option<u8>)>, DomainError>;
}

/// Resolves and checks a full address: the district in the province, the neighbourhood in
/// the district, an open address of 5–500 characters.
fn address(
    r: &mut impl PetitionReference,
    a: &AddressInput,
    errors: &mut FieldErrors,
) -> Result<Option<Address>, DomainError> {
    let field = |f: &str| format!("subject_address.{f}");
    let missing = |f: &str| {
        FieldError::new(
            field(f),
            "request.missing_field",
            "Every field of the subject address is required.",
        )
    };
    let open = match &a.open_address {
        Some(o) => errors.take(&field("open_address"), clean_text("", o, 5, 500)),
        None => {
            errors.push(missing("open_address"));
            None
        }
    };
    let province = match a.province {
        Some(p) => errors.take(&field("province"), ProvinceCode::new(p)),
        None => {
            errors.push(missing("province"));
            None
        }
    };
    let province_name = match province {
        Some(p) => r.province_name(p.get())?,
        None => None,
    };
    let district = match a.district_code {
        Some(d) => match r.district(d)? {
            Some((p, name)) if Some(p) == province.map(|x| x.get()) => Some((d, name)),
            _ => {
                errors.push(FieldError::new(
                    field("district_code"),
                    "address.unknown_district",
                    "No such district in this province.",
                ));
                None
            }
        },
        None => {
            errors.push(missing("district_code"));
            None
        }
    };
    let neighbourhood = match a.neighbourhood_code {
        Some(n) => match r.neighbourhood(n)? {
            Some((d, name, kind)) if Some(d) == district.as_ref().map(|x| x.0) => {
                Some((n, name, kind))
            }
            _ => {
                errors.push(FieldError::new(
                    field("neighbourhood_code"),
                    "address.unknown_neighbourhood",
                    "No such neighbourhood or village in this district.",
                ));
                None
            }
        },
        None => {
            errors.push(missing("neighbourhood_code"));
            None
        }
    };
    Ok(
        match (open, province, province_name, district, neighbourhood) {
            (Some(open), Some(p), Some(pn), Some((d, dn)), Some((n, nn, kind))) => Some(Address {
                province: p.get(),
                province_name: pn,
                district_code: d,
                district_name: dn,
                neighbourhood_code: Some(n),
                neighbourhood_name: Some(nn),
                neighbourhood_kind: Some(kind),
                open_address: open,
            }),
            _ => None,
        },
    )
}

/// Checks the heading pairs against the code list; every error at once.
pub fn headings(
    r: &mut impl PetitionReference,
    input: &[HeadingInput],
    errors: &mut FieldErrors,
) -> Result<Vec<HeadingChoice>, DomainError> {
    if input.is_empty() {
        errors.push(FieldError::new(
            "headings",
            "headings.required",
            "Choose at least one service heading and sub-heading.",
        ));
    }
    if input.len() > MAX_HEADINGS {
        errors.push(FieldError::new(
            "headings",
            "headings.too_many",
            format!("At most {MAX_HEADINGS} heading pairs."),
        ));
    }
    let mut out: Vec<HeadingChoice> = vec![];
    for (i, h) in input.iter().enumerate() {
        let f = |x: &str| format!("headings[{i}].{x}");
        let top = r.heading(&h.heading_code)?;
        let Some((None, heading_name)) = top else {
            errors.push(FieldError::new(
                f("heading_code"),
                "heading.unknown",
                "No such service heading.",
            ));
            continue;
        };
        let sub = r.heading(&h.sub_heading_code)?;
        let sub_heading_name = match sub {
            Some((Some(parent), name)) if parent == h.heading_code => name,
            _ => {
                errors.push(FieldError::new(
                    f("sub_heading_code"),
                    "heading.unknown_sub_heading",
                    "No such sub-heading under this heading.",
                ));
                continue;
            }
        };
        let description = match h.description.as_deref().map(collapse_whitespace) {
            Some(d) if !d.is_empty() => match clean_text("", &d, 3, 500) {
                Ok(d) => Some(d),
                Err(e) => {
                    errors.push(e.at(f("description")));
                    continue;
                }
            },
            _ => None,
        };
        if h.heading_code == OTHER_HEADING && description.is_none() {
            errors.push(FieldError::new(
                f("description"),
                "heading.description_required",
                "Describe the subject when no heading fits (Diğer).",
            ));
            continue;
        }
        if out
            .iter()
            .any(|o| o.heading_code == h.heading_code && o.sub_heading_code == h.sub_heading_code)
        {
            errors.push(FieldError::new(
                f("sub_heading_code"),
                "heading.duplicate",
                "This heading pair is already chosen.",
            ));
            continue;
        }
        out.push(HeadingChoice {
            heading_code: h.heading_code.clone(),
            heading_name,
            sub_heading_code: h.sub_heading_code.clone(),
            sub_heading_name,
            description,
        });
    }
    Ok(out)
}

/// Everything the form resolves to, before numbering.
#[derive(Debug, Clone)]
pub struct CheckedForm {
    pub subject_address: Address,
    pub contact: Contact,
    pub headings: Vec<HeadingChoice>,
    pub education_level: String,
    pub education_level_name: String,
    pub sector_id: SectorId,
    pub sector_name: String,
    pub subject: String,
}

/// Checks the whole form; fails once with every invalid field.
pub fn check_form(
    r: &mut impl PetitionReference,
    form: &PetitionForm,
    residence: &Address,
) -> Result<CheckedForm, DomainError> {
    let mut errors = FieldErrors::new();
    let subject_address = if form.subject_address.same_as_residence {
        Some(residence.clone())
    } else {
        address(r, &form.subject_address, &mut errors)?
    };
    let mobile = match form.mobile.as_deref().map(str::trim) {
        Some(m) if !m.is_empty() => errors
            .take("mobile", MobilePhone::parse(m))
            .map(|m| m.as_str().to_owned()),
        _ => None,
    };
    let email = match form.email.as_deref().map(str::trim) {
        Some(e) if !e.is_empty() => errors
            .take("email", Email::parse(e))
            .map(|e| e.as_str().to_owned()),
        _ => None,
    };
    let home_phone = match form.home_phone.as_deref().map(str::trim) {
        Some(h) if !h.is_empty() => {
            let digits: String = h.chars().filter(char::is_ascii_digit).collect();
            let ok = h.chars().all(|c| c.is_ascii_digit() || " ()-+".contains(c))
                && (10..=12).contains(&digits.len());
            if ok {
                Some(digits)
            } else {
                errors.push(FieldError::new(
                    "home_phone",
                    "phone.format",
                    "A phone number of 10 digits (area code + number).",
                ));
                None
            }
        }
        _ => None,
    };
    if form.mobile.as_deref().is_none_or(|m| m.trim().is_empty()) && home_phone.is_none() {
        errors.push(FieldError::new(
            "mobile",
            "request.missing_field",
            "A mobile number is required (or a home phone when you have no mobile).",
        ));
    }
    let headings = headings(r, &form.headings, &mut errors)?;
    let education_level_name = r.education_level(&form.education_level)?;
    if education_level_name.is_none() {
        errors.push(FieldError::new(
            "education_level",
            "education_level.unknown",
            "Choose an education level from /api/v1/reference/education-levels.",
        ));
    }
    let sector = form.sector_id.parse::<SectorId>().ok();
    let sector_name = match sector {
        Some(s) => r.sector_name(s)?,
        None => None,
    };
    if sector_name.is_none() {
        errors.push(FieldError::new(
            "sector_id",
            "sector.unknown",
            "Choose a working sector from /api/v1/reference/sectors.",
        ));
    }
    let subject = errors.take(
        "subject",
        clean_text("", &form.subject, SUBJECT_MIN, SUBJECT_MAX),
    );
    errors.finish()?;
    match (
        subject_address,
        education_level_name,
        sector,
        sector_name,
        subject,
    ) {
        (
            Some(subject_address),
            Some(education_level_name),
            Some(sector_id),
            Some(sector_name),
            Some(subject),
        ) => Ok(CheckedForm {
            subject_address,
            contact: Contact {
                mobile,
                email,
                home_phone,
            },
            headings,
            education_level: form.education_level.clone(),
            education_level_name,
            sector_id,
            sector_name,
            subject,
        }),
        _ => Err(DomainError::internal("form check lost a field")),
    }
}
