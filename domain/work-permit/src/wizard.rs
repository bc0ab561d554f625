//! The application wizard (başvuru adımları) — DOMAIN.md §7, seed 002 "Başvuru Adımları",
//! seed 003 §4.1–§4.6.
//!
//! Five steps, saved one by one ("Kaydet ve İlerle") and always in this order:
//!
//! 1. **personal** — the registry data confirmed, contact e-mail and mobile, the biometric
//!    photo's metadata (the bytes were checked by [`crate::photo::check_photo`] at upload and
//!    live in the blob store under their SHA-256), marital status, and when married the
//!    spouse's name, surname and nationality — plus TCKN and birth date for a Turkish spouse;
//! 2. **general** — the passport (number and expiry; not asked of international-protection
//!    holders), languages, education level and, for associate degree and above, the
//!    graduated field and speciality;
//! 3. **job** — the work address, occupation, for a household the cared person (TCKN and the
//!    declared kinship, verified through [`KinshipCheck`]), wage, work mode and type, the
//!    requested period, the reason; for academics whether premiums were paid abroad;
//! 4. **documents** — the uploaded PDFs by [`DocumentType`] (checked by content at upload);
//!    completeness is a submit-time question ([`crate::documents::check_required_documents`]);
//! 5. **result** — the generated petition PDF's SHA-256, confirmed, and e-signed through
//!    [`Signer`]; without the signature the application simply stays a draft.
//!
//! Choices written down here because the manuals are silent:
//! - a step may be saved again while the application is a draft; saving any of steps 1–4
//!   again drops the result (the petition printed the old content, so it must be generated,
//!   confirmed and signed anew);
//! - the international-protection flag is asked on the general step, since it decides
//!   whether a passport is asked; giving a passport anyway is refused rather than ignored;
//! - the requested period is only checked for shape (end not before start) when the job
//!   step is saved: the Law 6735 limits depend on the filing date, so they are checked at
//!   submit ([`crate::duration::check_period`]);
//! - a spouse is Turkish when the nationality is `TR`; a spouse given for someone who is not
//!   married is refused;
//! - a household's cared person may be the applicant themself (relation `self`, no registry
//!   look-up); otherwise the civil registry must report exactly the declared relation;
//! - document types that belong to later stages (appeal justification, start-of-work notice,
//!   petition) are refused on the documents step, and each type is uploaded once.

use crate::documents::{DocumentType, MAX_DOCUMENT_BYTES};
use crate::kind::{ApplicationKind, EmployerKind, Nationality, PassportNo};
use crate::photo::{earliest_taken_on, PhotoFormat, MAX_PHOTO_BYTES};
use crate::refuse;
use kapi_core::{
    clean_text, istanbul_date_of, DomainError, Email, FieldError, MobilePhone, Money,
    OccupationCode, ProvinceCode, Tckn,
};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// The most languages one application lists.
pub const MAX_LANGUAGES: usize = 10;
/// Nationality code of a Turkish spouse.
pub const TURKISH_NATIONALITY: &str = "TR";

code_list! {
    /// A wizard step, in order.
    Step {
        Personal => "personal", "Kişisel Bilgiler";
        General => "general", "Genel Bilgiler";
        Job => "job", "İş Bilgileri";
        Documents => "documents", "Belgeler";
        Result => "result", "Sonuç";
    }
}

impl Step {
    /// The step that must be saved before this one.
    pub fn previous(self) -> Option<Step> {
        match self {
            Step::Personal => None,
            Step::General => Some(Step::Personal),
            Step::Job => Some(Step::General),
            Step::Documents => Some(Step::Job),
            Step::Result => Some(Step::Documents),
        }
    }
}

code_list! {
    /// Medeni hal.
    MaritalStatus {
        Single => "single", "Bekâr";
        Married => "married", "Evli";
        Divorced => "divorced", "Boşanmış";
        Widowed => "widowed", "Eşi Vefat Etmiş";
    }
}

code_list! {
    /// Öğrenim durumu.
    EducationLevel {
        Primary => "primary", "İlköğretim";
        HighSchool => "high_school", "Lise";
        Associate => "associate", "Ön Lisans";
        Bachelor => "bachelor", "Lisans";
        Master => "master", "Yüksek Lisans";
        Doctorate => "doctorate", "Doktora";
    }
}

impl EducationLevel {
    /// Associate degree or above: the graduated field and speciality are asked.
    pub fn is_higher(self) -> bool {
        matches!(
            self,
            Self::Associate | Self::Bachelor | Self::Master | Self::Doctorate
        )
    }
}

code_list! {
    /// Çalışma şekli.
    WorkMode {
        FullTime => "full_time", "Tam Zamanlı";
        PartTime => "part_time", "Kısmi Süreli";
    }
}

code_list! {
    /// Çalışma türü (the employment contract's kind).
    WorkType {
        Indefinite => "indefinite", "Belirsiz Süreli";
        FixedTerm => "fixed_term", "Belirli Süreli";
    }
}

code_list! {
    /// The cared person's kinship with the household applicant (yakınlık derecesi).
    KinshipRelation {
        Itself => "self", "Kendisi";
        Spouse => "spouse", "Eşi";
        Mother => "mother", "Annesi";
        Father => "father", "Babası";
        Child => "child", "Çocuğu";
        Sibling => "sibling", "Kardeşi";
        Grandparent => "grandparent", "Büyükannesi / Büyükbabası";
        Grandchild => "grandchild", "Torunu";
        ParentInLaw => "parent_in_law", "Kayınvalidesi / Kayınpederi";
    }
}

/// A hex SHA-256 (the blob store's key): 64 hex digits, kept lower-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sha256Hex(String);

impl Sha256Hex {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim().to_ascii_lowercase();
        if s.len() != 64 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(FieldError::new(
                "sha256",
                "work_permit.sha256_format",
                "A SHA-256 is 64 hexadecimal digits.",
            ));
        }
        Ok(Self(s))
    }
}
string_newtype!(Sha256Hex);

/// The NVİ civil registry's kinship query (a port; the local implementation reads seed rows).
pub trait KinshipCheck {
    /// The relation of `relative` to `person` as the civil registry records it, if any.
    fn relation(
        &mut self,
        person: &Tckn,
        relative: &Tckn,
    ) -> Result<Option<KinshipRelation>, DomainError>;
}

/// An electronic signature over a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ESignature {
    pub signer: Tckn,
    pub document_sha256: Sha256Hex,
    pub signed_at: OffsetDateTime,
}

/// The e-signature service (e-İmza / mobil imza; a port, simulated locally).
pub trait Signer {
    /// Has `signer` sign the document with `document_sha256`; answers the signature.
    fn sign(
        &mut self,
        signer: &Tckn,
        document_sha256: &Sha256Hex,
        now: OffsetDateTime,
    ) -> Result<ESignature, DomainError>;
}

// ---------------------------------------------------------------------------------------
// Saved values
// ---------------------------------------------------------------------------------------

/// The biometric photo's metadata; the bytes are in the blob store under `sha256`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhotoRef {
    pub sha256: Sha256Hex,
    pub format: PhotoFormat,
    pub size: u64,
    pub taken_on: Date,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spouse {
    pub first_name: String,
    pub last_name: String,
    pub nationality: Nationality,
    /// Present exactly for a Turkish spouse.
    pub tckn: Option<Tckn>,
    pub birth_date: Option<Date>,
}

/// Step 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Personal {
    pub registry_confirmed_at: OffsetDateTime,
    pub email: Email,
    pub mobile: MobilePhone,
    pub photo: PhotoRef,
    pub marital_status: MaritalStatus,
    pub spouse: Option<Spouse>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passport {
    pub number: PassportNo,
    /// The last day the passport is valid.
    pub expires_on: Date,
}

/// Step 2.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct General {
    pub international_protection: bool,
    /// `None` exactly for international-protection holders.
    pub passport: Option<Passport>,
    pub languages: Vec<String>,
    pub education: EducationLevel,
    /// Present exactly for associate degree and above.
    pub graduated_field: Option<String>,
    pub speciality: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkAddress {
    pub province: ProvinceCode,
    pub district_code: i32,
    pub open_address: String,
}

/// The person a household employs the foreigner to care for, kinship verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaredPerson {
    pub tckn: Tckn,
    pub relation: KinshipRelation,
}

/// Step 3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub address: WorkAddress,
    #[serde(with = "occupation_serde")]
    pub occupation: OccupationCode,
    /// Present exactly for households.
    pub cared_person: Option<CaredPerson>,
    pub wage: Money,
    pub work_mode: WorkMode,
    pub work_type: WorkType,
    pub period_start: Date,
    pub period_end: Date,
    pub reason: String,
    /// Present exactly for academics: "yurt dışında prim ödendi mi".
    pub premiums_paid_abroad: Option<bool>,
}

/// One uploaded document (the PDF is in the blob store under `sha256`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UploadedDocument {
    pub document_type: DocumentType,
    pub sha256: Sha256Hex,
    pub size: u64,
}

/// Step 5.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultStep {
    /// The generated petition PDF.
    pub petition_sha256: Sha256Hex,
    pub confirmed_at: OffsetDateTime,
    /// `None` while the petition is confirmed but not yet signed (still a draft).
    pub signature: Option<ESignature>,
}

/// The wizard's saved steps.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wizard {
    pub personal: Option<Personal>,
    pub general: Option<General>,
    pub job: Option<Job>,
    pub documents: Option<Vec<UploadedDocument>>,
    pub result: Option<ResultStep>,
}

impl Wizard {
    /// Whether `step` is saved; the result step counts once the petition is e-signed.
    pub fn is_done(&self, step: Step) -> bool {
        match step {
            Step::Personal => self.personal.is_some(),
            Step::General => self.general.is_some(),
            Step::Job => self.job.is_some(),
            Step::Documents => self.documents.is_some(),
            Step::Result => self.result.as_ref().is_some_and(|r| r.signature.is_some()),
        }
    }

    /// Steps not yet done, in order.
    pub fn missing_steps(&self) -> Vec<Step> {
        Step::ALL
            .iter()
            .copied()
            .filter(|s| !self.is_done(*s))
            .collect()
    }

    /// The step a resumed wizard opens on (`None`: everything done, ready to submit).
    pub fn next_step(&self) -> Option<Step> {
        self.missing_steps().first().copied()
    }

    /// Refuses a step whose earlier step has not been saved (422 `work_permit.step_order`).
    pub fn require_before(&self, step: Step) -> Result<(), DomainError> {
        match step.previous() {
            Some(p) if !self.is_done(p) => Err(DomainError::rule(FieldError::new(
                "step",
                "work_permit.step_order",
                format!("Save the step \"{}\" first.", p.label_tr()),
            ))),
            _ => Ok(()),
        }
    }

    /// The types of the uploaded documents.
    pub fn document_types(&self) -> Vec<DocumentType> {
        self.documents
            .iter()
            .flatten()
            .map(|d| d.document_type)
            .collect()
    }
}

// ---------------------------------------------------------------------------------------
// Inputs, as the forms send them
// ---------------------------------------------------------------------------------------

fn required(field: &str) -> FieldError {
    FieldError::new(field, "work_permit.required", "Required.")
}

fn not_asked(field: &str, why: &str) -> FieldError {
    FieldError::new(field, "work_permit.not_applicable", why.to_owned())
}

fn unknown(field: &str, allowed: &[&str]) -> FieldError {
    FieldError::new(
        field,
        "work_permit.unknown_code",
        format!("One of {}.", allowed.join(", ")),
    )
}

fn take<T>(e: &mut Vec<FieldError>, field: &str, r: Result<T, FieldError>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(err) => {
            e.push(err.at(field));
            None
        }
    }
}

fn code<T: Copy>(
    e: &mut Vec<FieldError>,
    field: &str,
    raw: &str,
    all: &[T],
    as_str: fn(T) -> &'static str,
) -> Option<T> {
    let found = all.iter().copied().find(|v| as_str(*v) == raw);
    if found.is_none() {
        let allowed: Vec<&str> = all.iter().map(|v| as_str(*v)).collect();
        e.push(unknown(field, &allowed));
    }
    found
}

fn text(e: &mut Vec<FieldError>, field: &str, raw: &str, min: usize, max: usize) -> Option<String> {
    take(e, field, clean_text(field, raw, min, max))
}

fn finish<T>(e: Vec<FieldError>, value: Option<T>) -> Result<T, DomainError> {
    refuse(e)?;
    value.ok_or_else(|| DomainError::internal("wizard validation lost a field"))
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhotoInput {
    pub sha256: String,
    /// `jpeg`, `png` (as sniffed at upload).
    pub format: String,
    pub size: u64,
    pub taken_on: Option<Date>,
    /// "Fotoğrafı Onaylayınız".
    pub confirmed: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpouseInput {
    pub first_name: String,
    pub last_name: String,
    pub nationality: String,
    pub tckn: Option<String>,
    pub birth_date: Option<Date>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonalInput {
    pub registry_confirmed: bool,
    pub email: String,
    pub mobile: String,
    pub photo: Option<PhotoInput>,
    pub marital_status: String,
    pub spouse: Option<SpouseInput>,
}

impl PersonalInput {
    /// Every invalid field named (`personal.photo.taken_on`, `personal.spouse.tckn`, …).
    pub fn validate(self, now: OffsetDateTime) -> Result<Personal, DomainError> {
        let mut e = Vec::new();
        let today = istanbul_date_of(now);
        if !self.registry_confirmed {
            e.push(FieldError::new(
                "personal.registry_confirmed",
                "work_permit.registry_not_confirmed",
                "Confirm the registry data shown.",
            ));
        }
        let email = take(&mut e, "personal.email", Email::parse(&self.email));
        let mobile = take(&mut e, "personal.mobile", MobilePhone::parse(&self.mobile));
        let photo = match self.photo {
            None => {
                e.push(required("personal.photo"));
                None
            }
            Some(p) => {
                let sha256 = take(&mut e, "personal.photo.sha256", Sha256Hex::parse(&p.sha256));
                let format = code(
                    &mut e,
                    "personal.photo.format",
                    &p.format,
                    PhotoFormat::ALL,
                    PhotoFormat::as_str,
                );
                if p.size == 0 || p.size > MAX_PHOTO_BYTES as u64 {
                    e.push(FieldError::new(
                        "personal.photo.size",
                        "work_permit.photo_too_large",
                        "The photo is 1 byte to 2 MB.",
                    ));
                }
                let taken_on = match p.taken_on {
                    None => {
                        e.push(required("personal.photo.taken_on"));
                        None
                    }
                    Some(d) if d > today => {
                        e.push(FieldError::new(
                            "personal.photo.taken_on",
                            "work_permit.photo_taken_in_future",
                            "The photo's date cannot be in the future.",
                        ));
                        None
                    }
                    Some(d) if d < earliest_taken_on(now) => {
                        e.push(FieldError::new(
                            "personal.photo.taken_on",
                            "work_permit.photo_too_old",
                            format!(
                                "The photo must have been taken on or after {}.",
                                earliest_taken_on(now)
                            ),
                        ));
                        None
                    }
                    Some(d) => Some(d),
                };
                if !p.confirmed {
                    e.push(FieldError::new(
                        "personal.photo.confirmed",
                        "work_permit.photo_not_confirmed",
                        "Confirm the cropped photo.",
                    ));
                }
                match (sha256, format, taken_on) {
                    (Some(sha256), Some(format), Some(taken_on)) => Some(PhotoRef {
                        sha256,
                        format,
                        size: p.size,
                        taken_on,
                    }),
                    _ => None,
                }
            }
        };
        let marital_status = code(
            &mut e,
            "personal.marital_status",
            &self.marital_status,
            MaritalStatus::ALL,
            MaritalStatus::as_str,
        );
        let spouse = match (marital_status, self.spouse) {
            (Some(MaritalStatus::Married), None) => {
                e.push(required("personal.spouse"));
                None
            }
            (Some(MaritalStatus::Married), Some(s)) => validate_spouse(&mut e, s, today),
            (_, Some(_)) => {
                e.push(not_asked(
                    "personal.spouse",
                    "Spouse information is given only when married.",
                ));
                None
            }
            (_, None) => None,
        };
        let married = marital_status == Some(MaritalStatus::Married);
        let value = match (email, mobile, photo, marital_status) {
            (Some(email), Some(mobile), Some(photo), Some(marital_status))
                if !married || spouse.is_some() =>
            {
                Some(Personal {
                    registry_confirmed_at: now,
                    email,
                    mobile,
                    photo,
                    marital_status,
                    spouse,
                })
            }
            _ => None,
        };
        finish(e, value)
    }
}

fn validate_spouse(e: &mut Vec<FieldError>, s: SpouseInput, today: Date) -> Option<Spouse> {
    let first_name = text(e, "personal.spouse.first_name", &s.first_name, 1, 60);
    let last_name = text(e, "personal.spouse.last_name", &s.last_name, 1, 60);
    let nationality = take(
        e,
        "personal.spouse.nationality",
        Nationality::parse(&s.nationality),
    );
    let turkish = nationality
        .as_ref()
        .is_some_and(|n| n.as_str() == TURKISH_NATIONALITY);
    let (tckn, birth_date) = if turkish {
        let tckn = match &s.tckn {
            Some(raw) => take(e, "personal.spouse.tckn", Tckn::parse(raw)),
            None => {
                e.push(required("personal.spouse.tckn"));
                None
            }
        };
        let birth_date = match s.birth_date {
            None => {
                e.push(required("personal.spouse.birth_date"));
                None
            }
            Some(d) if d >= today => {
                e.push(FieldError::new(
                    "personal.spouse.birth_date",
                    "work_permit.birth_date_in_future",
                    "A birth date is in the past.",
                ));
                None
            }
            Some(d) => Some(d),
        };
        if tckn.is_none() || birth_date.is_none() {
            return None;
        }
        (tckn, birth_date)
    } else {
        if s.tckn.is_some() {
            e.push(not_asked(
                "personal.spouse.tckn",
                "A TCKN is asked only for a Turkish spouse.",
            ));
        }
        if s.birth_date.is_some() {
            e.push(not_asked(
                "personal.spouse.birth_date",
                "The birth date is asked only for a Turkish spouse.",
            ));
        }
        (None, None)
    };
    Some(Spouse {
        first_name: first_name?,
        last_name: last_name?,
        nationality: nationality?,
        tckn,
        birth_date,
    })
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GeneralInput {
    pub international_protection: bool,
    pub passport_no: Option<String>,
    pub passport_expires_on: Option<Date>,
    pub languages: Vec<String>,
    pub education_level: String,
    pub graduated_field: Option<String>,
    pub speciality: Option<String>,
}

impl GeneralInput {
    /// Every invalid field named (`general.passport_no`, `general.languages[1]`, …).
    pub fn validate(self, now: OffsetDateTime) -> Result<General, DomainError> {
        let mut e = Vec::new();
        let today = istanbul_date_of(now);
        let passport = if self.international_protection {
            if self.passport_no.is_some() {
                e.push(not_asked(
                    "general.passport_no",
                    "A passport is not asked of international-protection holders.",
                ));
            }
            if self.passport_expires_on.is_some() {
                e.push(not_asked(
                    "general.passport_expires_on",
                    "A passport is not asked of international-protection holders.",
                ));
            }
            None
        } else {
            let number = match &self.passport_no {
                Some(raw) => take(&mut e, "general.passport_no", PassportNo::parse(raw)),
                None => {
                    e.push(required("general.passport_no"));
                    None
                }
            };
            let expires_on = match self.passport_expires_on {
                None => {
                    e.push(required("general.passport_expires_on"));
                    None
                }
                Some(d) if d < today => {
                    e.push(FieldError::new(
                        "general.passport_expires_on",
                        "work_permit.passport_expired",
                        "The passport has expired.",
                    ));
                    None
                }
                Some(d) => Some(d),
            };
            number
                .zip(expires_on)
                .map(|(number, expires_on)| Passport { number, expires_on })
        };
        if self.languages.len() > MAX_LANGUAGES {
            e.push(FieldError::new(
                "general.languages",
                "work_permit.too_many",
                format!("At most {MAX_LANGUAGES} languages."),
            ));
        }
        let mut languages: Vec<String> = Vec::new();
        for (i, raw) in self.languages.iter().enumerate() {
            let field = format!("general.languages[{i}]");
            if let Some(l) = text(&mut e, &field, raw, 2, 40) {
                if languages
                    .iter()
                    .any(|x| x.to_lowercase() == l.to_lowercase())
                {
                    e.push(FieldError::new(
                        field,
                        "work_permit.duplicate",
                        "This language is already listed.",
                    ));
                } else {
                    languages.push(l);
                }
            }
        }
        let education = code(
            &mut e,
            "general.education_level",
            &self.education_level,
            EducationLevel::ALL,
            EducationLevel::as_str,
        );
        let higher = education.is_some_and(EducationLevel::is_higher);
        let mut higher_text = |field: &str, raw: &Option<String>| match (higher, raw) {
            (true, Some(raw)) => text(&mut e, field, raw, 2, 120),
            (true, None) => {
                e.push(required(field));
                None
            }
            (false, Some(_)) if education.is_some() => {
                e.push(not_asked(
                    field,
                    "Asked only for associate degree and above.",
                ));
                None
            }
            (false, _) => None,
        };
        let graduated_field = higher_text("general.graduated_field", &self.graduated_field);
        let speciality = higher_text("general.speciality", &self.speciality);
        let value = education.map(|education| General {
            international_protection: self.international_protection,
            passport,
            languages,
            education,
            graduated_field,
            speciality,
        });
        finish(e, value)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobInput {
    /// Plate code, `06`.
    pub province: String,
    pub district_code: i64,
    pub open_address: String,
    /// `2512.04`.
    pub occupation_code: String,
    /// Households only.
    pub cared_person_tckn: Option<String>,
    /// Households only: [`KinshipRelation`] code.
    pub kinship_relation: Option<String>,
    /// Monthly gross wage in lira, `25000.00`.
    pub wage: String,
    pub work_mode: String,
    pub work_type: String,
    pub period_start: Option<Date>,
    pub period_end: Option<Date>,
    pub reason: String,
    /// Academics only.
    pub premiums_paid_abroad: Option<bool>,
}

impl JobInput {
    /// Every invalid field named (`job.wage`, `job.cared_person_tckn`, …). The cared
    /// person's kinship is verified by the use case against the registry afterwards.
    pub fn validate(self, kind: &ApplicationKind) -> Result<Job, DomainError> {
        let mut e = Vec::new();
        let province = take(&mut e, "job.province", ProvinceCode::parse(&self.province));
        let district_code = match i32::try_from(self.district_code) {
            Ok(d) if d > 0 => Some(d),
            _ => {
                e.push(FieldError::new(
                    "job.district_code",
                    "work_permit.district_unknown",
                    "Choose a district.",
                ));
                None
            }
        };
        let open_address = text(&mut e, "job.open_address", &self.open_address, 10, 500);
        let occupation = take(
            &mut e,
            "job.occupation_code",
            OccupationCode::parse(&self.occupation_code),
        );
        let household = kind.employer == EmployerKind::Household;
        let cared_person = if household {
            let tckn = match &self.cared_person_tckn {
                Some(raw) => take(&mut e, "job.cared_person_tckn", Tckn::parse(raw)),
                None => {
                    e.push(required("job.cared_person_tckn"));
                    None
                }
            };
            let relation = match &self.kinship_relation {
                Some(raw) => code(
                    &mut e,
                    "job.kinship_relation",
                    raw,
                    KinshipRelation::ALL,
                    KinshipRelation::as_str,
                ),
                None => {
                    e.push(required("job.kinship_relation"));
                    None
                }
            };
            tckn.zip(relation)
                .map(|(tckn, relation)| CaredPerson { tckn, relation })
        } else {
            for (field, given) in [
                ("job.cared_person_tckn", self.cared_person_tckn.is_some()),
                ("job.kinship_relation", self.kinship_relation.is_some()),
            ] {
                if given {
                    e.push(not_asked(field, "Asked only of household employers."));
                }
            }
            None
        };
        let wage = match Money::parse_lira(&self.wage) {
            Ok(m) if m.kurus() > 0 => Some(m),
            Ok(_) => {
                e.push(FieldError::new(
                    "job.wage",
                    "work_permit.wage_not_positive",
                    "The wage is more than zero.",
                ));
                None
            }
            Err(err) => {
                e.push(err.at("job.wage"));
                None
            }
        };
        let work_mode = code(
            &mut e,
            "job.work_mode",
            &self.work_mode,
            WorkMode::ALL,
            WorkMode::as_str,
        );
        let work_type = code(
            &mut e,
            "job.work_type",
            &self.work_type,
            WorkType::ALL,
            WorkType::as_str,
        );
        if self.period_start.is_none() {
            e.push(required("job.period_start"));
        }
        if self.period_end.is_none() {
            e.push(required("job.period_end"));
        }
        if let (Some(s), Some(end)) = (self.period_start, self.period_end) {
            if end < s {
                e.push(FieldError::new(
                    "job.period_end",
                    "work_permit.period_reversed",
                    "The permit's end date must not be before its start date.",
                ));
            }
        }
        let reason = text(&mut e, "job.reason", &self.reason, 10, 2000);
        let academic = kind.route.is_academic();
        let premiums_paid_abroad = match (academic, self.premiums_paid_abroad) {
            (true, None) => {
                e.push(required("job.premiums_paid_abroad"));
                None
            }
            (false, Some(_)) => {
                e.push(not_asked(
                    "job.premiums_paid_abroad",
                    "Asked only for academics.",
                ));
                None
            }
            (_, v) => v,
        };
        let complete =
            (!household || cared_person.is_some()) && (!academic || premiums_paid_abroad.is_some());
        let value = match (
            province,
            district_code,
            open_address,
            occupation,
            wage,
            work_mode,
            work_type,
            self.period_start,
            self.period_end,
            reason,
        ) {
            (
                Some(province),
                Some(district_code),
                Some(open_address),
                Some(occupation),
                Some(wage),
                Some(work_mode),
                Some(work_type),
                Some(period_start),
                Some(period_end),
                Some(reason),
            ) if complete => Some(Job {
                address: WorkAddress {
                    province,
                    district_code,
                    open_address,
                },
                occupation,
                cared_person,
                wage,
                work_mode,
                work_type,
                period_start,
                period_end,
                reason,
                premiums_paid_abroad,
            }),
            _ => None,
        };
        finish(e, value)
    }
}

/// Verifies the declared kinship of a household's cared person with the applicant
/// (`job.kinship_relation`, `work_permit.kinship_not_verified`).
pub fn verify_kinship(
    registry: &mut impl KinshipCheck,
    applicant: &Tckn,
    cared: &CaredPerson,
) -> Result<(), DomainError> {
    let is_self = &cared.tckn == applicant;
    let ok = match (is_self, cared.relation) {
        (true, KinshipRelation::Itself) => true,
        (true, _) | (false, KinshipRelation::Itself) => false,
        (false, declared) => registry.relation(applicant, &cared.tckn)? == Some(declared),
    };
    if ok {
        Ok(())
    } else {
        Err(DomainError::rule(FieldError::new(
            "job.kinship_relation",
            "work_permit.kinship_not_verified",
            format!(
                "The civil registry does not record the cared person as \"{}\" of the applicant.",
                cared.relation.label_tr()
            ),
        )))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentInput {
    pub document_type: String,
    pub sha256: String,
    pub size: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentsInput {
    pub documents: Vec<DocumentInput>,
}

impl DocumentsInput {
    /// Every invalid entry named (`documents[2].sha256`, …).
    pub fn validate(self) -> Result<Vec<UploadedDocument>, DomainError> {
        let mut e = Vec::new();
        let mut out: Vec<UploadedDocument> = Vec::new();
        let mut complete = true;
        for (i, d) in self.documents.into_iter().enumerate() {
            let at = |f: &str| format!("documents[{i}].{f}");
            let ty = code(
                &mut e,
                &at("document_type"),
                &d.document_type,
                DocumentType::ALL,
                DocumentType::as_str,
            );
            if let Some(t) = ty {
                if matches!(
                    t,
                    DocumentType::AppealJustification
                        | DocumentType::StartOfWorkNotice
                        | DocumentType::Petition
                ) {
                    e.push(FieldError::new(
                        at("document_type"),
                        "work_permit.document_not_for_application",
                        "This document is uploaded at a later stage, not with the application.",
                    ));
                } else if out.iter().any(|x| x.document_type == t) {
                    e.push(FieldError::new(
                        at("document_type"),
                        "work_permit.duplicate",
                        "Each document type is uploaded once.",
                    ));
                }
            }
            let sha256 = take(&mut e, &at("sha256"), Sha256Hex::parse(&d.sha256));
            if d.size == 0 || d.size > MAX_DOCUMENT_BYTES as u64 {
                e.push(FieldError::new(
                    at("size"),
                    "work_permit.document_too_large",
                    "A document is 1 byte to 10 MB.",
                ));
            }
            match (ty, sha256) {
                (Some(document_type), Some(sha256)) => out.push(UploadedDocument {
                    document_type,
                    sha256,
                    size: d.size,
                }),
                _ => complete = false,
            }
        }
        finish(e, complete.then_some(out))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResultInput {
    /// The SHA-256 of the petition PDF generated from the saved steps.
    pub petition_sha256: String,
    /// "Dilekçeyi okudum, onaylıyorum."
    pub confirmed: bool,
    /// Sign now with e-signature; `false` saves the draft ("Taslak Olarak Kaydet").
    pub e_sign: bool,
}

impl ResultInput {
    /// The petition's hash, once confirmed (`result.petition_sha256`, `result.confirmed`).
    pub fn validate(&self) -> Result<Sha256Hex, DomainError> {
        let mut e = Vec::new();
        let sha = take(
            &mut e,
            "result.petition_sha256",
            Sha256Hex::parse(&self.petition_sha256),
        );
        if !self.confirmed {
            e.push(FieldError::new(
                "result.confirmed",
                "work_permit.petition_not_confirmed",
                "Read and confirm the petition.",
            ));
        }
        finish(e, sha)
    }
}

/// `OccupationCode` has no serde of its own: through its string form.
mod occupation_serde {
    use kapi_core::OccupationCode;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(c: &OccupationCode, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(c.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<OccupationCode, D::Error> {
        let raw = String::deserialize(d)?;
        OccupationCode::parse(&raw).map_err(|e| serde::de::Error::custom(e.message))
    }
}
