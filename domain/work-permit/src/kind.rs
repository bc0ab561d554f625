//! What kind of application this is and how the foreigner is identified — DOMAIN.md §7,
//! seed 002 (academics) and seed 003 §3 (households).
//!
//! Three questions decide an application's kind:
//! - **who employs**: a company workplace (SGK-registered, e-Bildirge authorised user), a
//!   **household** (ev hizmetleri: a real person employing a carer for elderly, disabled or
//!   child care or patient companionship) or a **university** (foreign academics);
//! - **first or extension** (ilk başvuru / uzatma-yenileme);
//! - **the route**, i.e. how the foreigner is found in a registry:
//!   - *yurt içi* (in Türkiye): YKN + birth date, looked up in the foreigners' registry; the
//!     residence permit must run at least 6 more months from the filing date;
//!   - *yurt dışı* (abroad): the 16-digit reference number a Turkish consulate issued, valid
//!     30 days and single use;
//!   - academics with a **YÖK pre-permit** (ön izin) approved or still pending, looked up by
//!     its number;
//!   - academics **exempt from the YÖK pre-permit or TRNC nationals**: by YKN + birth date,
//!     or without a YKN by passport number + nationality (in Türkiye) or by reference number
//!     (abroad).
//!
//! Choices written down here because the manuals are silent:
//! - a university applies only for academics (the "Akademisyen Başvurusu" menu) and the
//!   academic routes are a university's only; companies and households use yurt içi / yurt
//!   dışı (`work_permit.route_not_for_employer`);
//! - an extension is for a foreigner who already works here on a permit, so has a YKN: it is
//!   filed by YKN (yurt içi, or an exempt academic's YKN) or on a YÖK pre-permit, never by a
//!   consulate reference or a bare passport (`work_permit.extension_needs_ykn`);
//! - a TRNC exemption with a passport needs the TRNC nationality (`CT`,
//!   `work_permit.trnc_nationality`);
//! - the residence rule applies to foreigners identified by YKN (they are in Türkiye on a
//!   residence permit); international-protection holders carry an identity document instead
//!   of a residence permit and are not held to it;
//! - format of a YÖK pre-permit number: 6 to 12 digits; of a passport number: 5 to 20 Latin
//!   letters or digits (ICAO's field is 9, some states issue longer ones), stored upper-case
//!   without spaces.

use crate::calendar::{add_months, within_days, THIRTY_DAYS};
use crate::duration::Term;
use crate::refuse;
use kapi_core::{istanbul_date_of, DomainError, FieldError, Ykn};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// Months the residence permit of a foreigner applying from Türkiye must still run.
pub const RESIDENCE_MIN_MONTHS: i32 = 6;
/// Days a consulate reference number stays valid after it is issued.
pub const REFERENCE_VALID_DAYS: i64 = THIRTY_DAYS;

code_list! {
    /// First application or extension / renewal.
    Filing {
        /// "Bu yabancı için ilk defa başvuru yapıyorum."
        First => "first", "İlk Başvuru";
        /// "İzni devam eden bir çalışan için uzatma/yenileme başvurusu yapıyorum."
        Extension => "extension", "Uzatma / Yenileme Başvurusu";
    }
}

code_list! {
    /// Who employs the foreigner (the e-İzin employer record, işveren kaydı).
    EmployerKind {
        /// A workplace registered with SGK, chosen among those the user is e-Bildirge authorised for.
        Company => "company", "SGK Tescilli İşyeri";
        /// Ev hizmetleri: a real person employing a carer at home.
        Household => "household", "Ev Hizmetleri";
        /// A university employing foreign academics.
        University => "university", "Üniversite";
    }
}

code_list! {
    /// What a household employs the foreigner for (ev hizmetlerinde çalışma amacı).
    CareKind {
        ElderlyCare => "elderly_care", "Yaşlı Bakımı";
        DisabledCare => "disabled_care", "Engelli Bakımı";
        ChildCare => "child_care", "Çocuk Bakımı";
        PatientCompanion => "patient_companion", "Hasta Refakati";
    }
}

code_list! {
    /// Whether the household applicant acts as the cared person's guardian (vasi); it
    /// decides the guardianship documents (seed 003 §4.4).
    Guardianship {
        /// The applicant employs for themself or a relative who has no guardian.
        NotApplicable => "not_applicable", "Vasilik Yok";
        /// The applicant is the cared person's guardian: "Vasilik Gösterir Belge".
        ApplicantIsGuardian => "applicant_is_guardian", "Başvuru Sahibi Bakılacak Kişinin Vasisi";
        /// A first- or second-degree relative applies for the guardian: "Vasinin Başvuruya
        /// İlişkin Onayını Gösteren Belge".
        ActsForGuardian => "acts_for_guardian", "Vasi Adına Yakını Başvuruyor";
    }
}

code_list! {
    /// Why an academic needs no YÖK pre-permit.
    AcademicExemption {
        /// KKTC uyruklu.
        Trnc => "trnc", "KKTC Uyruklu";
        /// YÖK ön izninden muaf.
        YokExempt => "yok_exempt", "YÖK Ön İzninden Muaf";
    }
}

code_list! {
    /// The status of a YÖK pre-permit as YÖK reports it.
    YokPrePermitStatus {
        /// Onaylandı.
        Approved => "approved", "Onaylandı";
        /// Başvuru yapıldı, henüz sonuçlanmadı.
        Pending => "pending", "Onay Aşamasında";
        /// Reddedildi.
        Rejected => "rejected", "Reddedildi";
        /// İptal edildi / geri çekildi.
        Cancelled => "cancelled", "İptal Edildi";
    }
}

/// Refuses a YÖK pre-permit that is neither approved nor pending
/// (`work_permit.yok_pre_permit_refused`): only those two let the application go on.
pub fn check_yok_status(status: YokPrePermitStatus) -> Result<(), DomainError> {
    match status {
        YokPrePermitStatus::Approved | YokPrePermitStatus::Pending => Ok(()),
        other => Err(DomainError::rule(FieldError::new(
            "yok_pre_permit_no",
            "work_permit.yok_pre_permit_refused",
            format!(
                "The YÖK pre-permit is \"{}\"; an application needs an approved or pending one.",
                other.label_tr()
            ),
        ))),
    }
}

/// The reference number a Turkish consulate (dış temsilcilik) gives a foreigner abroad:
/// exactly 16 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MfaReferenceNo(String);

impl MfaReferenceNo {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim();
        if s.len() != 16 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new(
                "reference_no",
                "work_permit.reference_format",
                "A consulate reference number is exactly 16 digits.",
            ));
        }
        Ok(Self(s.to_owned()))
    }
}
string_newtype!(MfaReferenceNo);

/// Whether a consulate reference number can still be used at `now`: not yet used
/// (`work_permit.reference_used`, checked first: a used number never becomes good again)
/// and within 30 days of its issue — until the Istanbul date of issue + 30, 23:59:59
/// (`work_permit.reference_expired`).
pub fn check_reference(
    issued_at: OffsetDateTime,
    used: bool,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    if used {
        return Err(DomainError::rule(FieldError::new(
            "reference_no",
            "work_permit.reference_used",
            "This reference number has already been used for an application.",
        )));
    }
    if !within_days(issued_at, REFERENCE_VALID_DAYS, now) {
        return Err(DomainError::rule(FieldError::new(
            "reference_no",
            "work_permit.reference_expired",
            format!(
                "A reference number is valid for 30 days; this one expired after {}.",
                reference_valid_until(issued_at)
            ),
        )));
    }
    Ok(())
}

/// The last Istanbul day a reference number issued at `issued_at` can be used.
pub fn reference_valid_until(issued_at: OffsetDateTime) -> Date {
    crate::calendar::days_after(issued_at, REFERENCE_VALID_DAYS)
}

/// A YÖK pre-permit number (YÖK ön izin numarası): 6 to 12 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct YokPrePermitNo(String);

impl YokPrePermitNo {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim();
        if !(6..=12).contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new(
                "yok_pre_permit_no",
                "work_permit.yok_pre_permit_format",
                "A YÖK pre-permit number is 6 to 12 digits.",
            ));
        }
        Ok(Self(s.to_owned()))
    }
}
string_newtype!(YokPrePermitNo);

/// A passport number: 5 to 20 Latin letters or digits, kept upper-case without spaces.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PassportNo(String);

impl PassportNo {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let s: String = raw
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_uppercase();
        if !(5..=20).contains(&s.len()) || !s.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(FieldError::new(
                "passport_no",
                "work_permit.passport_format",
                "A passport number is 5 to 20 Latin letters or digits.",
            ));
        }
        Ok(Self(s))
    }
}
string_newtype!(PassportNo);

/// A nationality as an ISO 3166-1 alpha-2 code (`CT` for the TRNC, as `/reference/countries`).
/// Whether the code exists is the reference list's question; this type keeps the shape.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Nationality(String);

impl Nationality {
    /// The Turkish Republic of Northern Cyprus.
    pub const TRNC: &'static str = "CT";

    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let s = raw.trim().to_ascii_uppercase();
        if s.len() != 2 || !s.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(FieldError::new(
                "nationality",
                "work_permit.nationality_format",
                "A nationality is a two-letter country code (e.g. DE, CT).",
            ));
        }
        Ok(Self(s))
    }

    pub fn is_trnc(&self) -> bool {
        self.0 == Self::TRNC
    }
}
string_newtype!(Nationality);

/// How an exempt or TRNC academic is identified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "by", rename_all = "snake_case")]
pub enum ExemptIdentity {
    /// With a YKN.
    Ykn { ykn: Ykn, birth_date: Date },
    /// Without a YKN, in Türkiye: the passport used to enter and the nationality.
    Passport {
        passport_no: PassportNo,
        nationality: Nationality,
    },
    /// Without a YKN, abroad: the consulate reference number.
    Reference { reference_no: MfaReferenceNo },
}

/// How the foreigner is found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "route", rename_all = "snake_case")]
pub enum Route {
    /// Yurt içi: YKN + birth date.
    InTurkiye { ykn: Ykn, birth_date: Date },
    /// Yurt dışı: the consulate reference number.
    Abroad { reference_no: MfaReferenceNo },
    /// An academic with an approved or pending YÖK pre-permit.
    YokPrePermit { number: YokPrePermitNo },
    /// An academic exempt from the YÖK pre-permit, or a TRNC national.
    AcademicExempt {
        exemption: AcademicExemption,
        identity: ExemptIdentity,
    },
}

impl Route {
    pub fn as_str(&self) -> &'static str {
        match self {
            Route::InTurkiye { .. } => "in_turkiye",
            Route::Abroad { .. } => "abroad",
            Route::YokPrePermit { .. } => "yok_pre_permit",
            Route::AcademicExempt { .. } => "academic_exempt",
        }
    }

    pub fn label_tr(&self) -> &'static str {
        match self {
            Route::InTurkiye { .. } => "Yurt İçinden Başvuru",
            Route::Abroad { .. } => "Yurt Dışından Başvuru",
            Route::YokPrePermit { .. } => {
                "YÖK Ön İzin Onayı Olan ya da Onay Aşamasındaki Akademisyen"
            }
            Route::AcademicExempt { .. } => {
                "KKTC Uyruklu ya da YÖK Ön İzninden Muaf Olan Akademisyen"
            }
        }
    }

    pub fn is_academic(&self) -> bool {
        matches!(
            self,
            Route::YokPrePermit { .. } | Route::AcademicExempt { .. }
        )
    }

    /// The foreigner's YKN, when the route names one.
    pub fn ykn(&self) -> Option<&Ykn> {
        match self {
            Route::InTurkiye { ykn, .. }
            | Route::AcademicExempt {
                identity: ExemptIdentity::Ykn { ykn, .. },
                ..
            } => Some(ykn),
            _ => None,
        }
    }

    /// The consulate reference number, when the route uses one (it must then pass
    /// [`check_reference`]).
    pub fn reference_no(&self) -> Option<&MfaReferenceNo> {
        match self {
            Route::Abroad { reference_no }
            | Route::AcademicExempt {
                identity: ExemptIdentity::Reference { reference_no },
                ..
            } => Some(reference_no),
            _ => None,
        }
    }

    /// Whether the foreigner is abroad (identified by a consulate reference).
    pub fn is_abroad(&self) -> bool {
        self.reference_no().is_some()
    }

    /// Whether the residence permit rule applies (foreigners identified by YKN).
    pub fn needs_residence_check(&self) -> bool {
        self.ykn().is_some()
    }
}

/// A household's care arrangement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdCare {
    pub care: CareKind,
    pub guardianship: Guardianship,
}

/// A validated application kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApplicationKind {
    pub employer: EmployerKind,
    pub filing: Filing,
    pub route: Route,
    /// Present exactly for household employers.
    pub household: Option<HouseholdCare>,
}

impl ApplicationKind {
    /// The duration term: a first application, or an extension after
    /// `previous_extensions` extensions in the foreigner's chain.
    pub fn term(&self, previous_extensions: u32) -> Term {
        match self.filing {
            Filing::First => Term::First,
            Filing::Extension => Term::extension_after(previous_extensions),
        }
    }
}

/// The kind as the wizard's first screens send it, every field raw.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplicationKindInput {
    /// `company`, `household`, `university`.
    pub employer_kind: String,
    /// `first`, `extension`.
    pub filing: String,
    /// `in_turkiye`, `abroad`, `yok_pre_permit`, `academic_exempt`.
    pub route: String,
    pub ykn: Option<String>,
    pub birth_date: Option<Date>,
    pub reference_no: Option<String>,
    pub yok_pre_permit_no: Option<String>,
    /// `trnc`, `yok_exempt` (academic_exempt only).
    pub exemption: Option<String>,
    pub passport_no: Option<String>,
    pub nationality: Option<String>,
    /// Households only.
    pub care_kind: Option<String>,
    /// Households only; defaults to `not_applicable`.
    pub guardianship: Option<String>,
}

fn required(field: &'static str) -> FieldError {
    FieldError::new(
        field,
        "work_permit.required",
        "Required for this kind of application.",
    )
}

fn unknown(field: &'static str, allowed: &[&str]) -> FieldError {
    FieldError::new(
        field,
        "work_permit.unknown_code",
        format!("One of {}.", allowed.join(", ")),
    )
}

fn codes<T: Copy>(all: &[T], f: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| f(*v)).collect()
}

fn take<T>(
    errors: &mut Vec<FieldError>,
    field: &'static str,
    r: Result<T, FieldError>,
) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            errors.push(e.at(field));
            None
        }
    }
}

impl ApplicationKindInput {
    /// Every invalid or missing field named at once; the combination rules (employer ↔ route,
    /// extension ↔ YKN, household ↔ care kind, TRNC ↔ nationality) after the fields parse.
    pub fn validate(self) -> Result<ApplicationKind, DomainError> {
        let mut e = Vec::new();
        let employer = EmployerKind::parse(&self.employer_kind);
        if employer.is_none() {
            e.push(unknown(
                "employer_kind",
                &codes(EmployerKind::ALL, EmployerKind::as_str),
            ));
        }
        let filing = Filing::parse(&self.filing);
        if filing.is_none() {
            e.push(unknown("filing", &codes(Filing::ALL, Filing::as_str)));
        }
        let ykn_birth = |e: &mut Vec<FieldError>| {
            let ykn = match &self.ykn {
                Some(raw) => take(e, "ykn", Ykn::parse(raw)),
                None => {
                    e.push(required("ykn"));
                    None
                }
            };
            if self.birth_date.is_none() {
                e.push(required("birth_date"));
            }
            ykn.zip(self.birth_date)
        };
        let reference = |e: &mut Vec<FieldError>| match &self.reference_no {
            Some(raw) => take(e, "reference_no", MfaReferenceNo::parse(raw)),
            None => {
                e.push(required("reference_no"));
                None
            }
        };
        let route = match self.route.as_str() {
            "in_turkiye" => {
                ykn_birth(&mut e).map(|(ykn, birth_date)| Route::InTurkiye { ykn, birth_date })
            }
            "abroad" => reference(&mut e).map(|reference_no| Route::Abroad { reference_no }),
            "yok_pre_permit" => match &self.yok_pre_permit_no {
                Some(raw) => take(&mut e, "yok_pre_permit_no", YokPrePermitNo::parse(raw))
                    .map(|number| Route::YokPrePermit { number }),
                None => {
                    e.push(required("yok_pre_permit_no"));
                    None
                }
            },
            "academic_exempt" => {
                let exemption = match self.exemption.as_deref() {
                    Some(raw) => {
                        let x = AcademicExemption::parse(raw);
                        if x.is_none() {
                            e.push(unknown(
                                "exemption",
                                &codes(AcademicExemption::ALL, AcademicExemption::as_str),
                            ));
                        }
                        x
                    }
                    None => {
                        e.push(required("exemption"));
                        None
                    }
                };
                let identity = if self.ykn.is_some() {
                    ykn_birth(&mut e)
                        .map(|(ykn, birth_date)| ExemptIdentity::Ykn { ykn, birth_date })
                } else if self.reference_no.is_some() {
                    reference(&mut e).map(|reference_no| ExemptIdentity::Reference { reference_no })
                } else if self.passport_no.is_some() || self.nationality.is_some() {
                    let passport_no = match &self.passport_no {
                        Some(raw) => take(&mut e, "passport_no", PassportNo::parse(raw)),
                        None => {
                            e.push(required("passport_no"));
                            None
                        }
                    };
                    let nationality = match &self.nationality {
                        Some(raw) => take(&mut e, "nationality", Nationality::parse(raw)),
                        None => {
                            e.push(required("nationality"));
                            None
                        }
                    };
                    passport_no
                        .zip(nationality)
                        .map(|(passport_no, nationality)| ExemptIdentity::Passport {
                            passport_no,
                            nationality,
                        })
                } else {
                    e.push(FieldError::new(
                        "ykn",
                        "work_permit.identity_required",
                        "Give the YKN and birth date, or the passport number and nationality \
                         (in Türkiye), or the consulate reference number (abroad).",
                    ));
                    None
                };
                if let (
                    Some(AcademicExemption::Trnc),
                    Some(ExemptIdentity::Passport { nationality, .. }),
                ) = (exemption, &identity)
                {
                    if !nationality.is_trnc() {
                        e.push(FieldError::new(
                            "nationality",
                            "work_permit.trnc_nationality",
                            "The TRNC exemption is for TRNC nationals (CT).",
                        ));
                    }
                }
                exemption
                    .zip(identity)
                    .map(|(exemption, identity)| Route::AcademicExempt {
                        exemption,
                        identity,
                    })
            }
            _ => {
                e.push(unknown(
                    "route",
                    &["in_turkiye", "abroad", "yok_pre_permit", "academic_exempt"],
                ));
                None
            }
        };
        let household = match (employer, self.care_kind.as_deref()) {
            (Some(EmployerKind::Household), None) => {
                e.push(FieldError::new(
                    "care_kind",
                    "work_permit.care_kind_required",
                    "A household says what it employs the foreigner for.",
                ));
                None
            }
            (Some(EmployerKind::Household), Some(raw)) => {
                let care = CareKind::parse(raw);
                if care.is_none() {
                    e.push(unknown(
                        "care_kind",
                        &codes(CareKind::ALL, CareKind::as_str),
                    ));
                }
                let guardianship = match self.guardianship.as_deref() {
                    None => Some(Guardianship::NotApplicable),
                    Some(raw) => {
                        let g = Guardianship::parse(raw);
                        if g.is_none() {
                            e.push(unknown(
                                "guardianship",
                                &codes(Guardianship::ALL, Guardianship::as_str),
                            ));
                        }
                        g
                    }
                };
                care.zip(guardianship)
                    .map(|(care, guardianship)| HouseholdCare { care, guardianship })
            }
            (Some(_), _) => {
                if self.care_kind.is_some() {
                    e.push(FieldError::new(
                        "care_kind",
                        "work_permit.care_kind_not_household",
                        "Only a household employer gives a care kind.",
                    ));
                }
                if self.guardianship.is_some() {
                    e.push(FieldError::new(
                        "guardianship",
                        "work_permit.care_kind_not_household",
                        "Only a household employer gives guardianship.",
                    ));
                }
                None
            }
            (None, _) => None,
        };
        if let (Some(employer), Some(route)) = (employer, &route) {
            if (employer == EmployerKind::University) != route.is_academic() {
                e.push(FieldError::new(
                    "route",
                    "work_permit.route_not_for_employer",
                    if employer == EmployerKind::University {
                        "A university applies through the academic routes (YÖK pre-permit or exempt)."
                    } else {
                        "The academic routes are for university employers."
                    },
                ));
            }
        }
        if let (Some(Filing::Extension), Some(route)) = (filing, &route) {
            let ok = route.ykn().is_some() || matches!(route, Route::YokPrePermit { .. });
            if !ok {
                e.push(FieldError::new(
                    "route",
                    "work_permit.extension_needs_ykn",
                    "An extension is for a foreigner already working here: file it by YKN.",
                ));
            }
        }
        refuse(e)?;
        match (employer, filing, route) {
            (Some(employer), Some(filing), Some(route)) => Ok(ApplicationKind {
                employer,
                filing,
                route,
                household,
            }),
            _ => Err(DomainError::internal(
                "application kind validation lost a field",
            )),
        }
    }
}

/// Refuses a foreigner applying from Türkiye whose residence permit does not run at least
/// 6 more months from the filing date (`work_permit.residence_too_short`; none on record:
/// `work_permit.residence_missing`). "6 more months" is the calendar date 6 months after the
/// Istanbul filing date (31 August → the end of February), and the permit must be valid
/// through it. International-protection holders are not held to it (see the module doc).
pub fn check_residence_permit(
    residence_until: Option<Date>,
    international_protection: bool,
    filed_at: OffsetDateTime,
) -> Result<(), DomainError> {
    if international_protection {
        return Ok(());
    }
    let filed_on = istanbul_date_of(filed_at);
    let needed = add_months(filed_on, RESIDENCE_MIN_MONTHS).unwrap_or(Date::MAX);
    match residence_until {
        None => Err(DomainError::rule(FieldError::new(
            "residence_permit",
            "work_permit.residence_missing",
            "A foreigner applying from Türkiye needs a residence permit on record.",
        ))),
        Some(until) if until < needed => Err(DomainError::rule(FieldError::new(
            "residence_permit",
            "work_permit.residence_too_short",
            format!(
                "The residence permit must be valid at least 6 more months, through {needed}; \
                 it ends on {until}."
            ),
        ))),
        Some(_) => Ok(()),
    }
}

/// A foreigner as the migration authority's registry (Göç İdaresi) knows them by YKN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignerRecord {
    pub first_name: String,
    pub last_name: String,
    pub birth_date: Date,
    /// ISO 3166-1 alpha-2 (`CT` for the TRNC).
    pub nationality: String,
    pub passport_no: Option<String>,
    pub passport_expires_on: Option<Date>,
    pub residence_permit_until: Option<Date>,
    pub international_protection: bool,
}

/// The foreigners' registry ("Bilgileri Getir": YKN + birth date; a port, seed rows locally).
pub trait ForeignerLookup {
    fn find_foreigner(&mut self, ykn: &Ykn) -> Result<Option<ForeignerRecord>, DomainError>;
}

/// A consulate reference number as the MFA reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsulateReference {
    pub number: MfaReferenceNo,
    pub issued_at: OffsetDateTime,
    /// Already used for an application (single use).
    pub used: bool,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: Date,
    pub nationality: Nationality,
    pub passport_no: Option<PassportNo>,
    pub passport_expires_on: Option<Date>,
}

/// The MFA consulates' reference-number registry (a port; the local implementation reads
/// seed rows).
pub trait ConsulateRegistry {
    fn find_reference(
        &mut self,
        number: &MfaReferenceNo,
    ) -> Result<Option<ConsulateReference>, DomainError>;
    /// Marks the number used by the application that was just filed with it.
    fn mark_used(&mut self, number: &MfaReferenceNo, at: OffsetDateTime)
        -> Result<(), DomainError>;
}

/// A YÖK pre-permit as YÖK reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YokPrePermit {
    pub number: YokPrePermitNo,
    pub status: YokPrePermitStatus,
    pub first_name: String,
    pub last_name: String,
    pub nationality: Nationality,
    pub passport_no: Option<PassportNo>,
    pub university: String,
}

/// YÖK's pre-permit registry (a port).
pub trait YokRegistry {
    fn find_pre_permit(
        &mut self,
        number: &YokPrePermitNo,
    ) -> Result<Option<YokPrePermit>, DomainError>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn ykn() -> String {
        kapi_core::with_tckn_checksum("991234567").unwrap()
    }

    fn household() -> ApplicationKindInput {
        ApplicationKindInput {
            employer_kind: "household".into(),
            filing: "first".into(),
            route: "in_turkiye".into(),
            ykn: Some(ykn()),
            birth_date: Some(date!(1990 - 05 - 01)),
            care_kind: Some("elderly_care".into()),
            ..Default::default()
        }
    }

    fn academic(route: &str) -> ApplicationKindInput {
        ApplicationKindInput {
            employer_kind: "university".into(),
            filing: "first".into(),
            route: route.into(),
            ..Default::default()
        }
    }

    fn fields(err: &DomainError) -> Vec<(&str, &str)> {
        err.fields
            .iter()
            .map(|f| (f.field.as_str(), f.code.as_ref()))
            .collect()
    }

    #[test]
    fn code_lists_round_trip_and_have_labels() {
        for c in CareKind::ALL {
            assert_eq!(CareKind::parse(c.as_str()), Some(*c));
            assert!(!c.label_tr().is_empty());
        }
        assert_eq!(EmployerKind::Household.label_tr(), "Ev Hizmetleri");
        assert_eq!(CareKind::PatientCompanion.label_tr(), "Hasta Refakati");
        assert_eq!(Filing::parse("renewal"), None);
    }

    #[test]
    fn reference_number_is_exactly_sixteen_digits() {
        assert_eq!(
            MfaReferenceNo::parse(" 1234567890123456 ")
                .unwrap()
                .as_str(),
            "1234567890123456"
        );
        for bad in [
            "123456789012345",
            "12345678901234567",
            "123456789012345a",
            "",
        ] {
            assert_eq!(
                MfaReferenceNo::parse(bad).unwrap_err().code,
                "work_permit.reference_format",
                "{bad}"
            );
        }
        use serde::de::value::{Error, StrDeserializer};
        let de = |s| MfaReferenceNo::deserialize(StrDeserializer::<Error>::new(s));
        assert!(de("1234567890123456").is_ok());
        assert!(de("12345").is_err());
    }

    #[test]
    fn reference_valid_thirty_days_from_issue_and_single_use() {
        // Issued 1 March 23:30 Istanbul: valid through 31 March.
        let issued = datetime!(2026-03-01 23:30 +03:00);
        assert_eq!(reference_valid_until(issued), date!(2026 - 03 - 31));
        assert!(check_reference(issued, false, datetime!(2026-03-31 23:59:59 +03:00)).is_ok());
        assert_eq!(
            check_reference(issued, false, datetime!(2026-04-01 00:00 +03:00))
                .unwrap_err()
                .code,
            "work_permit.reference_expired"
        );
        assert_eq!(
            check_reference(issued, true, datetime!(2026-03-02 10:00 +03:00))
                .unwrap_err()
                .code,
            "work_permit.reference_used"
        );
        // Used and expired: "used" is the lasting reason.
        assert_eq!(
            check_reference(issued, true, datetime!(2026-05-01 10:00 +03:00))
                .unwrap_err()
                .code,
            "work_permit.reference_used"
        );
    }

    #[test]
    fn yok_pre_permit_approved_or_pending_only() {
        assert!(check_yok_status(YokPrePermitStatus::Approved).is_ok());
        assert!(check_yok_status(YokPrePermitStatus::Pending).is_ok());
        for s in [YokPrePermitStatus::Rejected, YokPrePermitStatus::Cancelled] {
            let err = check_yok_status(s).unwrap_err();
            assert_eq!(err.code, "work_permit.yok_pre_permit_refused");
            assert_eq!(err.fields[0].field, "yok_pre_permit_no");
        }
        assert!(YokPrePermitNo::parse("123456").is_ok());
        assert!(YokPrePermitNo::parse("123456789012").is_ok());
        for bad in ["12345", "1234567890123", "12345a", ""] {
            assert_eq!(
                YokPrePermitNo::parse(bad).unwrap_err().code,
                "work_permit.yok_pre_permit_format"
            );
        }
    }

    #[test]
    fn passport_and_nationality_shapes() {
        assert_eq!(
            PassportNo::parse(" c0123 4567 ").unwrap().as_str(),
            "C01234567"
        );
        assert!(PassportNo::parse("12345").is_ok());
        assert!(PassportNo::parse("1234").is_err());
        assert!(PassportNo::parse("C0123-4567").is_err());
        assert!(PassportNo::parse("ÇAĞ12345").is_err());
        assert!(Nationality::parse("ct").unwrap().is_trnc());
        assert!(Nationality::parse("DEU").is_err());
        assert!(Nationality::parse("D1").is_err());
    }

    #[test]
    fn household_in_turkiye_first_application() {
        let k = household().validate().unwrap();
        assert_eq!(k.employer, EmployerKind::Household);
        assert_eq!(
            k.household,
            Some(HouseholdCare {
                care: CareKind::ElderlyCare,
                guardianship: Guardianship::NotApplicable
            })
        );
        assert!(k.route.needs_residence_check());
        assert!(!k.route.is_abroad());
        assert_eq!(k.term(0), Term::First);
    }

    #[test]
    fn household_needs_a_care_kind_and_others_give_none() {
        let mut i = household();
        i.care_kind = None;
        assert_eq!(
            i.validate().unwrap_err().code,
            "work_permit.care_kind_required"
        );
        let mut i = household();
        i.employer_kind = "company".into();
        i.guardianship = Some("applicant_is_guardian".into());
        let err = i.validate().unwrap_err();
        assert_eq!(
            fields(&err),
            [
                ("care_kind", "work_permit.care_kind_not_household"),
                ("guardianship", "work_permit.care_kind_not_household")
            ]
        );
    }

    #[test]
    fn abroad_with_a_reference_number() {
        let i = ApplicationKindInput {
            employer_kind: "company".into(),
            filing: "first".into(),
            route: "abroad".into(),
            reference_no: Some("1234567890123456".into()),
            ..Default::default()
        };
        let k = i.clone().validate().unwrap();
        assert!(k.route.is_abroad());
        assert!(!k.route.needs_residence_check());
        // An extension from abroad is refused.
        let mut ext = i;
        ext.filing = "extension".into();
        assert_eq!(
            ext.validate().unwrap_err().code,
            "work_permit.extension_needs_ykn"
        );
    }

    #[test]
    fn an_extension_by_ykn_takes_its_term_from_the_chain() {
        let mut i = household();
        i.filing = "extension".into();
        let k = i.validate().unwrap();
        assert_eq!(k.term(0), Term::FirstExtension);
        assert_eq!(k.term(2), Term::LaterExtension);
    }

    #[test]
    fn academic_routes_belong_to_universities() {
        let mut i = academic("yok_pre_permit");
        i.yok_pre_permit_no = Some("20240001".into());
        let k = i.clone().validate().unwrap();
        assert!(k.route.is_academic());
        i.employer_kind = "company".into();
        assert_eq!(
            i.validate().unwrap_err().code,
            "work_permit.route_not_for_employer"
        );
        let mut u = household();
        u.employer_kind = "university".into();
        u.care_kind = None;
        assert_eq!(
            u.validate().unwrap_err().code,
            "work_permit.route_not_for_employer"
        );
    }

    #[test]
    fn exempt_academics_by_ykn_passport_or_reference() {
        let mut by_ykn = academic("academic_exempt");
        by_ykn.exemption = Some("yok_exempt".into());
        by_ykn.ykn = Some(ykn());
        by_ykn.birth_date = Some(date!(1980 - 01 - 01));
        let k = by_ykn.validate().unwrap();
        assert!(k.route.needs_residence_check());

        let mut by_passport = academic("academic_exempt");
        by_passport.exemption = Some("trnc".into());
        by_passport.passport_no = Some("K1234567".into());
        by_passport.nationality = Some("CT".into());
        assert!(by_passport.clone().validate().is_ok());
        by_passport.nationality = Some("DE".into());
        assert_eq!(
            by_passport.clone().validate().unwrap_err().code,
            "work_permit.trnc_nationality"
        );
        by_passport.exemption = Some("yok_exempt".into());
        assert!(by_passport.clone().validate().is_ok());
        by_passport.filing = "extension".into();
        assert_eq!(
            by_passport.validate().unwrap_err().code,
            "work_permit.extension_needs_ykn"
        );

        let mut by_reference = academic("academic_exempt");
        by_reference.exemption = Some("trnc".into());
        by_reference.reference_no = Some("1234567890123456".into());
        assert!(by_reference.validate().unwrap().route.is_abroad());

        let mut nothing = academic("academic_exempt");
        nothing.exemption = Some("trnc".into());
        assert_eq!(
            nothing.validate().unwrap_err().code,
            "work_permit.identity_required"
        );
    }

    #[test]
    fn every_invalid_field_is_named() {
        let i = ApplicationKindInput {
            employer_kind: "embassy".into(),
            filing: "again".into(),
            route: "in_turkiye".into(),
            ykn: Some("12345678901".into()),
            ..Default::default()
        };
        let err = i.validate().unwrap_err();
        assert_eq!(err.code, "validation.failed");
        assert_eq!(
            fields(&err),
            [
                ("employer_kind", "work_permit.unknown_code"),
                ("filing", "work_permit.unknown_code"),
                ("ykn", "ykn.prefix"),
                ("birth_date", "work_permit.required"),
            ]
        );
    }

    #[test]
    fn residence_permit_valid_six_more_months() {
        let filed = datetime!(2026-01-15 10:00 +03:00);
        assert!(check_residence_permit(Some(date!(2026 - 07 - 15)), false, filed).is_ok());
        assert_eq!(
            check_residence_permit(Some(date!(2026 - 07 - 14)), false, filed)
                .unwrap_err()
                .code,
            "work_permit.residence_too_short"
        );
        // From 31 August, six months later is the end of February.
        let filed = datetime!(2026-08-31 10:00 +03:00);
        assert!(check_residence_permit(Some(date!(2027 - 02 - 28)), false, filed).is_ok());
        assert!(check_residence_permit(Some(date!(2027 - 02 - 27)), false, filed).is_err());
        assert_eq!(
            check_residence_permit(None, false, filed).unwrap_err().code,
            "work_permit.residence_missing"
        );
        assert!(check_residence_permit(None, true, filed).is_ok());
    }
}
