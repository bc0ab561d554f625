//! The labour demand (işgücü istemi) aggregate — DOMAIN.md §3, seed 001 §2.1.1.2–§2.1.1.3.
//!
//! A workplace opens a demand for `worker_count` workers of one occupation. It carries the
//! sections of the İşgücü İstemi Sihirbazı: personal status / target group (kişisel durum),
//! working conditions (çalışma şartları), education (öğrenim durumu), physical features and
//! age (fiziksel özellikler ve yaş), foreign language (yabancı dil), exam (sınav gereksinimi),
//! driving licence (sürücü belgesi), military service (askerlik şartı), work address
//! (çalışma adresi), benefits (olanaklar), interview address (görüşme adresi) and the last
//! application date (son başvuru tarihi). The sections that decide who may apply are
//! [`Requirements`]; the rest are [`DemandDetails`].
//!
//! Lifecycle: `active` → `closed` (filled, or another reason with a note) or `cancelled`
//! (only while no candidate has been invited; after an invitation the demand is closed
//! instead). A demand is edited only while active. The last application date is at most
//! [`MAX_OPEN_DAYS`] days ahead (İŞKUR publishes a demand for a limited period; the manual
//! gives no number, we chose six months) and never in the past when saved.

use kapi_core::{
    is_until_date, istanbul_date_of, DomainError, EmployerId, EmployerSector, FieldError,
    FieldErrors, LabourDemandId, Money, ProvinceCode, WorkplaceId,
};
use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};

/// The longest a demand stays open, counted from the day it is saved.
pub const MAX_OPEN_DAYS: i64 = 180;
/// Most workers one demand may ask for.
pub const MAX_WORKERS: u16 = 999;
/// The youngest working age the demand may set (İş Kanunu art. 71).
pub const MIN_WORKING_AGE: u8 = 15;

macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            ::serde::Serialize, ::serde::Deserialize,
        )]
        pub enum $name { $($(#[$vm])* #[serde(rename = $s)] $v),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s),+ }
            }
            pub fn parse(s: &str) -> Option<Self> {
                match s { $($s => Some($name::$v),)+ _ => None }
            }
        }
    };
}
pub(crate) use code_enum;

code_enum!(
    /// Whom the demand is for (kişisel durum): everyone, or reserved for a protected group.
    TargetGroup {
        General = "general",
        /// Engelli.
        Disabled = "disabled",
        /// Eski hükümlü.
        ExConvict = "ex_convict",
        /// Terör mağduru.
        TerrorVictim = "terror_victim",
    }
);

code_enum!(
    /// Çalışma şekli.
    WorkType {
        FullTime = "full_time",
        PartTime = "part_time",
        Seasonal = "seasonal",
    }
);

code_enum!(
    /// Vardiya: day work, shifts, or nights.
    ShiftPattern {
        Day = "day",
        Shifts = "shifts",
        Night = "night",
    }
);

code_enum!(
    /// Çalışma yeri: in Türkiye or abroad.
    WorkLocation {
        Domestic = "domestic",
        Abroad = "abroad",
    }
);

code_enum!(
    /// Education levels (öğrenim durumu), the codes of `/reference/education-levels`.
    EducationLevel {
        None = "none",
        Literate = "literate",
        Primary = "primary",
        LowerSecondary = "lower_secondary",
        HighSchool = "high_school",
        VocationalHighSchool = "vocational_high_school",
        Associate = "associate",
        Bachelor = "bachelor",
        Master = "master",
        Doctorate = "doctorate",
    }
);

impl EducationLevel {
    fn rank(self) -> u8 {
        match self {
            EducationLevel::None => 0,
            EducationLevel::Literate => 1,
            EducationLevel::Primary => 2,
            EducationLevel::LowerSecondary => 3,
            EducationLevel::HighSchool | EducationLevel::VocationalHighSchool => 4,
            EducationLevel::Associate => 5,
            EducationLevel::Bachelor => 6,
            EducationLevel::Master => 7,
            EducationLevel::Doctorate => 8,
        }
    }

    /// Whether a graduate of `self` meets a minimum of `required`: a vocational high school
    /// minimum needs a vocational diploma or any higher degree; otherwise the level order.
    pub fn meets(self, required: EducationLevel) -> bool {
        if required == EducationLevel::VocationalHighSchool && self == EducationLevel::HighSchool {
            return false;
        }
        self.rank() >= required.rank()
    }
}

code_enum!(
    /// Driving-licence classes (sürücü belgesi sınıfı).
    LicenceClass {
        M = "M",
        A1 = "A1",
        A2 = "A2",
        A = "A",
        B1 = "B1",
        B = "B",
        Be = "BE",
        C1 = "C1",
        C1e = "C1E",
        C = "C",
        Ce = "CE",
        D1 = "D1",
        D1e = "D1E",
        D = "D",
        De = "DE",
        F = "F",
        G = "G",
    }
);

code_enum!(
    /// Foreign-language level.
    LanguageLevel {
        Basic = "basic",
        Intermediate = "intermediate",
        Advanced = "advanced",
    }
);

code_enum!(
    /// Askerlik şartı the demand sets.
    MilitaryRequirement {
        NotRequired = "not_required",
        /// Yapmış: military service completed.
        Completed = "completed",
        /// Yapmış veya muaf: completed, exempt or not liable.
        CompletedOrExempt = "completed_or_exempt",
    }
);

code_enum!(
    /// Olanaklar offered with the job.
    Benefit {
        Meal = "meal",
        Transport = "transport",
        Accommodation = "accommodation",
        HealthInsurance = "health_insurance",
        Bonus = "bonus",
        Childcare = "childcare",
    }
);

code_enum!(
    /// The state of a demand.
    DemandStatus {
        Active = "active",
        Closed = "closed",
        Cancelled = "cancelled",
    }
);

code_enum!(
    /// Why a demand was closed.
    CloseReason {
        /// Filled: enough hired (set by hand or when the hired count reaches the worker count).
        Filled = "filled",
        /// Any other reason, with a note.
        Other = "other",
    }
);

/// A foreign language the demand asks for, at least at `level`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageRequirement {
    /// ISO 639-1 code in lower case (`en`, `de`, `ar`).
    pub language: String,
    pub level: LanguageLevel,
}

/// The sections that decide who may apply, judged as of the last application date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Requirements {
    pub target_group: TargetGroup,
    pub min_education: Option<EducationLevel>,
    pub min_age: Option<u8>,
    pub max_age: Option<u8>,
    /// Every class listed must be held, valid on the last application date.
    pub licences: Vec<LicenceClass>,
    pub languages: Vec<LanguageRequirement>,
    pub military: MilitaryRequirement,
    /// Only job seekers living in the work province may apply.
    pub residents_only: bool,
}

impl Default for Requirements {
    fn default() -> Self {
        Self {
            target_group: TargetGroup::General,
            min_education: None,
            min_age: None,
            max_age: None,
            licences: vec![],
            languages: vec![],
            military: MilitaryRequirement::NotRequired,
            residents_only: false,
        }
    }
}

/// Where the work is done (çalışma adresi).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkAddress {
    pub province: ProvinceCode,
    pub district_code: i32,
    pub address: String,
}

/// The descriptive sections of a demand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DemandDetails {
    /// Pozisyon: the job title shown in the advert.
    pub position: String,
    /// İş alanı: the field of work, free text.
    pub field: Option<String>,
    pub description: Option<String>,
    pub work_type: WorkType,
    pub shift: ShiftPattern,
    pub weekly_hours: Option<u8>,
    /// Öğrenim bölümü: the field of study wanted, free text.
    pub education_field: Option<String>,
    /// Fiziksel özellikler, free text.
    pub physical_notes: Option<String>,
    pub exam_required: bool,
    pub exam_notes: Option<String>,
    pub work_location: WorkLocation,
    /// ISO 3166 alpha-2 country when abroad.
    pub work_country: Option<String>,
    pub work_address: WorkAddress,
    pub benefits: Vec<Benefit>,
    /// Monthly gross wage offered, when stated.
    pub wage: Option<Money>,
    pub interview_address: Option<String>,
}

/// What the employer submits to create or edit a demand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemandInput {
    pub occupation_code: String,
    pub worker_count: i64,
    pub last_application_date: Date,
    pub requirements: Requirements,
    pub details: DemandDetails,
}

/// A labour demand (işgücü istemi).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabourDemand {
    pub id: LabourDemandId,
    /// Talep no: the human number, from a sequence.
    pub talep_no: i64,
    pub employer_id: EmployerId,
    pub workplace_id: WorkplaceId,
    /// Denormalised for the public advert and the search by employer title.
    pub employer_title: String,
    /// İşyeri türü: public or private, from the employer.
    pub sector: EmployerSector,
    pub occupation_code: String,
    pub occupation_name: String,
    pub worker_count: u16,
    pub last_application_date: Date,
    pub requirements: Requirements,
    pub details: DemandDetails,
    pub status: DemandStatus,
    pub close_reason: Option<CloseReason>,
    pub status_note: Option<String>,
    pub hired_count: u16,
    /// Whether any candidate has ever been invited (cancel is refused from then on).
    pub invited_any: bool,
    pub version: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl LabourDemand {
    /// Open to applications at `now`: active and the last application date not passed.
    pub fn is_open(&self, now: OffsetDateTime) -> bool {
        self.status == DemandStatus::Active && is_until_date(now, self.last_application_date)
    }

    /// Words the keyword search matches (folded, each at least two characters).
    pub fn keywords(&self) -> Vec<String> {
        let mut text = format!(
            "{} {} {} {}",
            self.details.position, self.occupation_name, self.employer_title, self.talep_no
        );
        for t in [&self.details.field, &self.details.description]
            .into_iter()
            .flatten()
        {
            text.push(' ');
            text.push_str(t);
        }
        keyword_tokens(&text)
    }
}

/// Splits folded text into distinct words of at least two characters (at most 200 words).
pub fn keyword_tokens(text: &str) -> Vec<String> {
    let folded = kapi_core::search_fold(text);
    let mut words: Vec<String> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 2)
        .map(|w| w.chars().take(40).collect())
        .collect();
    words.sort();
    words.dedup();
    words.truncate(200);
    words
}

fn optional_text(
    errors: &mut FieldErrors,
    field: &str,
    raw: &Option<String>,
    max: usize,
) -> Option<String> {
    let raw = raw.as_deref().map(str::trim).filter(|s| !s.is_empty())?;
    errors.take(field, crate::employer::clean_text(field, raw, 1, max))
}

/// Checks a demand's input as far as it can without the store. `today` is the Istanbul date.
/// The last application date is checked against `today` (not past, at most
/// [`MAX_OPEN_DAYS`] ahead) only when it is new: an edit keeping the demand's
/// `current_last_date` is not refused because that date has passed since.
pub fn check_input(
    input: &DemandInput,
    today: Date,
    current_last_date: Option<Date>,
    errors: &mut FieldErrors,
) -> DemandInput {
    let mut out = input.clone();
    if !(1..=i64::from(MAX_WORKERS)).contains(&input.worker_count) {
        errors.push(FieldError::new(
            "worker_count",
            "labour_demand.worker_count",
            format!("Between 1 and {MAX_WORKERS} workers."),
        ));
    }
    if let Err(e) = kapi_core::OccupationCode::parse(&input.occupation_code) {
        errors.push(e);
    }
    if current_last_date == Some(input.last_application_date) {
        // Unchanged: it was checked when it was set.
    } else if input.last_application_date < today {
        errors.push(FieldError::new(
            "last_application_date",
            "labour_demand.last_date_past",
            "The last application date cannot be in the past.",
        ));
    } else if input.last_application_date > today + Duration::days(MAX_OPEN_DAYS) {
        errors.push(FieldError::new(
            "last_application_date",
            "labour_demand.last_date_too_far",
            format!("At most {MAX_OPEN_DAYS} days ahead."),
        ));
    }
    let r = &input.requirements;
    for (field, age) in [
        ("requirements.min_age", r.min_age),
        ("requirements.max_age", r.max_age),
    ] {
        if let Some(a) = age {
            if !(MIN_WORKING_AGE..=70).contains(&a) {
                errors.push(FieldError::new(
                    field,
                    "labour_demand.age_range",
                    format!("An age between {MIN_WORKING_AGE} and 70."),
                ));
            }
        }
    }
    if let (Some(min), Some(max)) = (r.min_age, r.max_age) {
        if min > max {
            errors.push(FieldError::new(
                "requirements.max_age",
                "labour_demand.age_order",
                "The maximum age is below the minimum.",
            ));
        }
    }
    out.requirements.licences.sort();
    out.requirements.licences.dedup();
    let mut seen = Vec::new();
    for (i, l) in r.languages.iter().enumerate() {
        let ok = l.language.len() == 2 && l.language.bytes().all(|b| b.is_ascii_lowercase());
        if !ok {
            errors.push(FieldError::new(
                format!("requirements.languages[{i}].language"),
                "language.format",
                "A two-letter ISO 639-1 code in lower case, e.g. en.",
            ));
        } else if seen.contains(&l.language) {
            errors.push(FieldError::new(
                format!("requirements.languages[{i}].language"),
                "language.duplicate",
                "This language is listed twice.",
            ));
        }
        seen.push(l.language.clone());
    }
    let d = &input.details;
    match crate::employer::clean_text("details.position", &d.position, 2, 150) {
        Ok(p) => out.details.position = p,
        Err(e) => errors.push(e),
    }
    out.details.field = optional_text(errors, "details.field", &d.field, 150);
    out.details.description = optional_text(errors, "details.description", &d.description, 4000);
    out.details.education_field =
        optional_text(errors, "details.education_field", &d.education_field, 150);
    out.details.physical_notes =
        optional_text(errors, "details.physical_notes", &d.physical_notes, 500);
    out.details.exam_notes = optional_text(errors, "details.exam_notes", &d.exam_notes, 500);
    out.details.interview_address = optional_text(
        errors,
        "details.interview_address",
        &d.interview_address,
        500,
    );
    match crate::employer::clean_text(
        "details.work_address.address",
        &d.work_address.address,
        5,
        500,
    ) {
        Ok(a) => out.details.work_address.address = a,
        Err(e) => errors.push(e),
    }
    if let Some(h) = d.weekly_hours {
        if !(1..=45).contains(&h) {
            errors.push(FieldError::new(
                "details.weekly_hours",
                "labour_demand.weekly_hours",
                "Between 1 and 45 hours a week (İş Kanunu art. 63).",
            ));
        }
    }
    if let Some(w) = d.wage {
        if w.kurus() <= 0 {
            errors.push(FieldError::new(
                "details.wage",
                "labour_demand.wage",
                "A wage, when stated, is more than zero.",
            ));
        }
    }
    match (d.work_location, d.work_country.as_deref()) {
        (WorkLocation::Abroad, None) => errors.push(FieldError::new(
            "details.work_country",
            "labour_demand.country_required",
            "Work abroad needs the country.",
        )),
        (WorkLocation::Abroad, Some(c))
            if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()) =>
        {
            errors.push(FieldError::new(
                "details.work_country",
                "country.format",
                "A two-letter ISO 3166 code in upper case, e.g. DE.",
            ))
        }
        (WorkLocation::Domestic, Some(_)) => errors.push(FieldError::new(
            "details.work_country",
            "labour_demand.country_not_allowed",
            "Work in Türkiye has no country.",
        )),
        _ => {}
    }
    out.details.benefits.sort();
    out.details.benefits.dedup();
    out
}

fn not_active(d: &LabourDemand) -> DomainError {
    DomainError::conflict(
        "labour_demand.not_active",
        format!(
            "The demand is {}; only an active demand changes.",
            d.status.as_str()
        ),
    )
}

/// Active → closed.
pub fn close(
    d: &mut LabourDemand,
    reason: CloseReason,
    note: Option<String>,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    if d.status != DemandStatus::Active {
        return Err(not_active(d));
    }
    let note = match (reason, note.as_deref().map(str::trim)) {
        (CloseReason::Other, None | Some("")) => {
            return Err(DomainError::field(FieldError::new(
                "note",
                "labour_demand.close_note_required",
                "Closing for another reason needs a note.",
            )))
        }
        (_, Some(n)) if !n.is_empty() => {
            Some(crate::employer::clean_text("note", n, 1, 500).map_err(DomainError::field)?)
        }
        _ => None,
    };
    d.status = DemandStatus::Closed;
    d.close_reason = Some(reason);
    d.status_note = note;
    d.updated_at = now;
    Ok(())
}

/// Active → cancelled, only while no candidate has been invited.
pub fn cancel(
    d: &mut LabourDemand,
    note: Option<String>,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    if d.status != DemandStatus::Active {
        return Err(not_active(d));
    }
    if d.invited_any {
        return Err(DomainError::conflict(
            "labour_demand.candidates_invited",
            "A candidate has been invited to an interview: close the demand instead of cancelling it.",
        ));
    }
    d.status_note = match note.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() => {
            Some(crate::employer::clean_text("note", n, 1, 500).map_err(DomainError::field)?)
        }
        _ => None,
    };
    d.status = DemandStatus::Cancelled;
    d.updated_at = now;
    Ok(())
}

/// Guards an edit: only an active demand changes.
pub fn check_editable(d: &LabourDemand) -> Result<(), DomainError> {
    if d.status == DemandStatus::Active {
        Ok(())
    } else {
        Err(not_active(d))
    }
}

/// Records one more hire; the demand closes as filled when the hired count reaches the
/// worker count. Returns whether it closed.
pub fn record_hire(d: &mut LabourDemand, now: OffsetDateTime) -> Result<bool, DomainError> {
    if d.status != DemandStatus::Active {
        return Err(not_active(d));
    }
    d.hired_count += 1;
    d.updated_at = now;
    if d.hired_count >= d.worker_count {
        d.status = DemandStatus::Closed;
        d.close_reason = Some(CloseReason::Filled);
        d.status_note = None;
        return Ok(true);
    }
    Ok(false)
}

/// The Istanbul date of `now` (what "today" means for the last application date).
pub fn today(now: OffsetDateTime) -> Date {
    istanbul_date_of(now)
}
