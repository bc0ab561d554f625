//! Request and response shapes shared by the labour-demand, job-seeker and open-job routes.
//! Enumerations mirror the domain's (same snake_case values); dates are `YYYY-MM-DD`.

use super::mass_layoffs::parse_date;
use kapi_core::{DomainError, FieldError, FieldErrors, Money, ProvinceCode};
use kapi_labour_demand::candidate::{self as cand, Candidate, CandidateStage};
use kapi_labour_demand::demand as dm;
use kapi_labour_demand::demand::LabourDemand;
use kapi_labour_demand::job_seeker as jsd;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

/// A schema enum with the same values as a domain enum, converted both ways. The values
/// are the variants in snake_case (`upper`: in upper case, for licence classes); the
/// attribute is written out here, not passed in, so utoipa sees it.
macro_rules! mirror_enum {
    (@impl $name:ident => $domain:ident { $($v:ident),+ }) => {
        impl From<$name> for $domain {
            fn from(v: $name) -> Self { match v { $($name::$v => $domain::$v),+ } }
        }
        impl From<$domain> for $name {
            fn from(v: $domain) -> Self { match v { $($domain::$v => $name::$v),+ } }
        }
    };
    (upper $(#[$m:meta])* $name:ident => $domain:ident { $($v:ident),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "UPPERCASE")]
        pub enum $name { $($v),+ }
        mirror_enum!(@impl $name => $domain { $($v),+ });
    };
    ($(#[$m:meta])* $name:ident => $domain:ident { $($v:ident),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($v),+ }
        mirror_enum!(@impl $name => $domain { $($v),+ });
    };
}

use cand::{CandidateOrigin, InterviewResult, InvitationAnswer};
use dm::{
    Benefit, CloseReason, DemandStatus, EducationLevel, LanguageLevel, LicenceClass,
    MilitaryRequirement, ShiftPattern, TargetGroup, WorkLocation, WorkType,
};
use jsd::MilitaryStatus;

mirror_enum!(/// Kişisel durum: everyone, or reserved for a protected group.
    TargetGroupCode => TargetGroup { General, Disabled, ExConvict, TerrorVictim });
mirror_enum!(/// Çalışma şekli.
    WorkTypeCode => WorkType { FullTime, PartTime, Seasonal });
mirror_enum!(/// Vardiya.
    ShiftCode => ShiftPattern { Day, Shifts, Night });
mirror_enum!(/// Çalışma yeri: in Türkiye or abroad.
    WorkLocationCode => WorkLocation { Domestic, Abroad });
mirror_enum!(/// Education level (codes of `/reference/education-levels`).
    EducationCode => EducationLevel {
        None, Literate, Primary, LowerSecondary,
        HighSchool, VocationalHighSchool, Associate,
        Bachelor, Master, Doctorate });
mirror_enum!(upper /// Driving-licence class.
    LicenceCode => LicenceClass {
        M, A1, A2, A, B1, B, Be, C1, C1e,
        C, Ce, D1, D1e, D, De, F, G });
mirror_enum!(/// Foreign-language level.
    LanguageLevelCode => LanguageLevel { Basic, Intermediate, Advanced });
mirror_enum!(/// Askerlik şartı.
    MilitaryRequirementCode => MilitaryRequirement { NotRequired, Completed, CompletedOrExempt });
mirror_enum!(/// Olanaklar.
    BenefitCode => Benefit { Meal, Transport, Accommodation, HealthInsurance, Bonus, Childcare });
mirror_enum!(/// The state of a demand.
    DemandStatusCode => DemandStatus { Active, Closed, Cancelled });
mirror_enum!(/// Why a demand was closed.
    CloseReasonCode => CloseReason { Filled, Other });
mirror_enum!(/// Askerlik durumu.
    MilitaryStatusCode => MilitaryStatus { Completed, Exempt, Deferred, NotDone, NotApplicable });
mirror_enum!(/// How the job seeker came onto the candidate list.
    OriginCode => CandidateOrigin { Applied, Selected });
mirror_enum!(/// The candidate's answer to the interview invitation.
    AnswerCode => InvitationAnswer { Accepted, Declined });
mirror_enum!(/// Görüşme sonucu.
    ResultCode => InterviewResult { Hired, NotHired, NoShow });
mirror_enum!(/// Where the candidate stands.
    StageCode => CandidateStage { Listed, Invited, Answered, Concluded });

/// A foreign language asked for.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LanguageBody {
    /// ISO 639-1, lower case.
    #[schema(example = "en")]
    pub language: String,
    pub level: LanguageLevelCode,
}

/// Who may apply, judged as of the last application date. Every field is optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct RequirementsBody {
    /// `general` when absent.
    pub target_group: Option<TargetGroupCode>,
    pub min_education: Option<EducationCode>,
    #[schema(example = 18, minimum = 15, maximum = 70)]
    pub min_age: Option<u8>,
    #[schema(example = 45, minimum = 15, maximum = 70)]
    pub max_age: Option<u8>,
    /// Every class must be held and valid on the last application date.
    pub licences: Vec<LicenceCode>,
    pub languages: Vec<LanguageBody>,
    /// `not_required` when absent.
    pub military: Option<MilitaryRequirementCode>,
    /// Only residents of the work province may apply.
    pub residents_only: bool,
}

impl From<RequirementsBody> for dm::Requirements {
    fn from(b: RequirementsBody) -> Self {
        dm::Requirements {
            target_group: b.target_group.map_or(TargetGroup::General, Into::into),
            min_education: b.min_education.map(Into::into),
            min_age: b.min_age,
            max_age: b.max_age,
            licences: b.licences.into_iter().map(Into::into).collect(),
            languages: b
                .languages
                .into_iter()
                .map(|l| dm::LanguageRequirement {
                    language: l.language,
                    level: l.level.into(),
                })
                .collect(),
            military: b
                .military
                .map_or(MilitaryRequirement::NotRequired, Into::into),
            residents_only: b.residents_only,
        }
    }
}

impl From<dm::Requirements> for RequirementsBody {
    fn from(r: dm::Requirements) -> Self {
        RequirementsBody {
            target_group: Some(r.target_group.into()),
            min_education: r.min_education.map(Into::into),
            min_age: r.min_age,
            max_age: r.max_age,
            licences: r.licences.into_iter().map(Into::into).collect(),
            languages: r
                .languages
                .into_iter()
                .map(|l| LanguageBody {
                    language: l.language,
                    level: l.level.into(),
                })
                .collect(),
            military: Some(r.military.into()),
            residents_only: r.residents_only,
        }
    }
}

/// Çalışma adresi. Defaults to the workplace's address when absent.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkAddressBody {
    #[schema(value_type = u8, example = 6)]
    pub province: ProvinceCode,
    #[schema(example = 6007)]
    pub district_code: i32,
    #[schema(example = "Organize Sanayi Bölgesi 5. Cadde No:3")]
    pub address: String,
}

/// The descriptive sections of a demand.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields, default)]
pub struct DetailsBody {
    /// Pozisyon, the advert's title; the occupation's name when absent.
    #[schema(example = "Forklift Operatörü")]
    pub position: Option<String>,
    /// İş alanı.
    #[schema(example = "Lojistik")]
    pub field: Option<String>,
    #[schema(example = "Depoda vardiyalı çalışacak, forklift belgeli operatör.")]
    pub description: Option<String>,
    /// `full_time` when absent.
    pub work_type: Option<WorkTypeCode>,
    /// `day` when absent.
    pub shift: Option<ShiftCode>,
    #[schema(example = 45, minimum = 1, maximum = 45)]
    pub weekly_hours: Option<u8>,
    /// Öğrenim bölümü wanted.
    pub education_field: Option<String>,
    /// Fiziksel özellikler.
    pub physical_notes: Option<String>,
    pub exam_required: bool,
    pub exam_notes: Option<String>,
    /// `domestic` when absent.
    pub work_location: Option<WorkLocationCode>,
    /// ISO 3166 alpha-2, only when abroad.
    #[schema(example = json!(null))]
    pub work_country: Option<String>,
    pub work_address: Option<WorkAddressBody>,
    pub benefits: Vec<BenefitCode>,
    /// Monthly gross wage in kuruş.
    #[schema(example = 3500000)]
    pub wage_kurus: Option<i64>,
    pub interview_address: Option<String>,
}

impl DetailsBody {
    /// The domain sections, with the workplace's address and the occupation's name as
    /// defaults.
    pub fn into_domain(
        self,
        default_address: dm::WorkAddress,
        occupation: &str,
    ) -> dm::DemandDetails {
        dm::DemandDetails {
            position: self.position.unwrap_or_else(|| occupation.to_owned()),
            field: self.field,
            description: self.description,
            work_type: self.work_type.map_or(WorkType::FullTime, Into::into),
            shift: self.shift.map_or(ShiftPattern::Day, Into::into),
            weekly_hours: self.weekly_hours,
            education_field: self.education_field,
            physical_notes: self.physical_notes,
            exam_required: self.exam_required,
            exam_notes: self.exam_notes,
            work_location: self
                .work_location
                .map_or(WorkLocation::Domestic, Into::into),
            work_country: self.work_country,
            work_address: self
                .work_address
                .map_or(default_address, |a| dm::WorkAddress {
                    province: a.province,
                    district_code: a.district_code,
                    address: a.address,
                }),
            benefits: self.benefits.into_iter().map(Into::into).collect(),
            wage: self.wage_kurus.map(Money::from_kurus),
            interview_address: self.interview_address,
        }
    }
}

impl From<dm::DemandDetails> for DetailsBody {
    fn from(d: dm::DemandDetails) -> Self {
        DetailsBody {
            position: Some(d.position),
            field: d.field,
            description: d.description,
            work_type: Some(d.work_type.into()),
            shift: Some(d.shift.into()),
            weekly_hours: d.weekly_hours,
            education_field: d.education_field,
            physical_notes: d.physical_notes,
            exam_required: d.exam_required,
            exam_notes: d.exam_notes,
            work_location: Some(d.work_location.into()),
            work_country: d.work_country,
            work_address: Some(WorkAddressBody {
                province: d.work_address.province,
                district_code: d.work_address.district_code,
                address: d.work_address.address,
            }),
            benefits: d.benefits.into_iter().map(Into::into).collect(),
            wage_kurus: d.wage.map(Money::kurus),
            interview_address: d.interview_address,
        }
    }
}

/// A labour demand as its employer (and İŞKUR staff) see it.
#[derive(Serialize, ToSchema)]
pub struct LabourDemandView {
    pub id: Uuid,
    /// Talep no.
    #[schema(example = 1001)]
    pub talep_no: i64,
    pub employer_id: Uuid,
    pub workplace_id: Uuid,
    pub employer_title: String,
    /// İşyeri türü: `public` or `private`.
    #[schema(example = "private")]
    pub sector: String,
    #[schema(example = "8344.01")]
    pub occupation_code: String,
    pub occupation_name: String,
    pub worker_count: u16,
    /// Hires recorded so far; the demand closes as filled when it reaches `worker_count`.
    pub hired_count: u16,
    #[schema(value_type = String, format = Date, example = "2026-12-31")]
    pub last_application_date: String,
    pub status: DemandStatusCode,
    pub close_reason: Option<CloseReasonCode>,
    pub status_note: Option<String>,
    /// Once true, the demand can be closed but no longer cancelled.
    pub invited_any: bool,
    pub requirements: RequirementsBody,
    pub details: DetailsBody,
    /// Also the `ETag`.
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl From<LabourDemand> for LabourDemandView {
    fn from(d: LabourDemand) -> Self {
        LabourDemandView {
            id: d.id.as_uuid(),
            talep_no: d.talep_no,
            employer_id: d.employer_id.as_uuid(),
            workplace_id: d.workplace_id.as_uuid(),
            employer_title: d.employer_title,
            sector: d.sector.as_str().into(),
            occupation_code: d.occupation_code,
            occupation_name: d.occupation_name,
            worker_count: d.worker_count,
            hired_count: d.hired_count,
            last_application_date: d.last_application_date.to_string(),
            status: d.status.into(),
            close_reason: d.close_reason.map(Into::into),
            status_note: d.status_note,
            invited_any: d.invited_any,
            requirements: d.requirements.into(),
            details: d.details.into(),
            version: d.version,
            created_at: d.created_at,
            updated_at: d.updated_at,
        }
    }
}

/// A candidate on a demand's list (Aday Gör).
#[derive(Serialize, ToSchema)]
pub struct LabourDemandCandidateView {
    pub id: Uuid,
    pub demand_id: Uuid,
    #[schema(example = "12345678950")]
    pub tckn: String,
    pub full_name: String,
    pub origin: OriginCode,
    pub stage: StageCode,
    #[serde(with = "time::serde::rfc3339")]
    pub listed_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub interview_at: Option<OffsetDateTime>,
    pub interview_place: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub invited_at: Option<OffsetDateTime>,
    pub answer: Option<AnswerCode>,
    pub result: Option<ResultCode>,
    pub result_note: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub result_at: Option<OffsetDateTime>,
    /// Also the `ETag`.
    pub version: i64,
}

impl From<Candidate> for LabourDemandCandidateView {
    fn from(c: Candidate) -> Self {
        LabourDemandCandidateView {
            stage: c.stage().into(),
            id: c.id.as_uuid(),
            demand_id: c.demand_id.as_uuid(),
            tckn: c.tckn.as_str().into(),
            full_name: c.full_name,
            origin: c.origin.into(),
            listed_at: c.listed_at,
            interview_at: c.interview_at,
            interview_place: c.interview_place,
            invited_at: c.invited_at,
            answer: c.answer.map(Into::into),
            result: c.result.map(Into::into),
            result_note: c.result_note,
            result_at: c.result_at,
            version: c.version,
        }
    }
}

/// A school finished.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EducationBody {
    pub level: EducationCode,
    pub field: Option<String>,
    #[schema(value_type = String, format = Date, example = "2010-06-15")]
    pub graduated_on: String,
}

/// A driving licence held.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LicenceBody {
    pub class: LicenceCode,
    #[schema(value_type = String, format = Date, example = "2012-03-01")]
    pub issued_on: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub valid_until: Option<String>,
}

/// A protected-group status, with the document that proves it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TargetGroupStatusBody {
    /// `disabled`, `ex_convict` or `terror_victim`.
    pub group: TargetGroupCode,
    #[schema(example = "Sağlık kurulu raporu 2024/118, Ankara Şehir Hastanesi")]
    pub evidence: String,
    #[schema(value_type = Option<String>, format = Date)]
    pub valid_until: Option<String>,
}

/// The job-seeker profile (CV). Name and birth date come from the identity registry.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JobSeekerProfileBody {
    /// Occupation codes sought, the main one first (1–5).
    #[schema(example = json!(["8344.01"]))]
    pub occupations: Vec<String>,
    #[serde(default)]
    pub education: Vec<EducationBody>,
    #[serde(default)]
    pub licences: Vec<LicenceBody>,
    #[serde(default)]
    pub languages: Vec<LanguageBody>,
    pub military_status: MilitaryStatusCode,
    #[serde(default)]
    pub target_groups: Vec<TargetGroupStatusBody>,
    #[schema(value_type = u8, example = 6)]
    pub province: ProvinceCode,
    #[schema(example = 6007)]
    pub district_code: i32,
    /// An inactive job seeker is not offered to employers and cannot apply.
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

fn opt_date(errors: &mut FieldErrors, field: String, raw: &Option<String>) -> Option<time::Date> {
    let raw = raw.as_deref()?;
    match parse_date(&field, raw) {
        Ok(d) => Some(d),
        Err(e) => {
            for f in e.fields {
                errors.push(f);
            }
            None
        }
    }
}

fn req_date(errors: &mut FieldErrors, field: String, raw: &str) -> time::Date {
    opt_date(errors, field, &Some(raw.to_owned())).unwrap_or(time::Date::MIN)
}

impl JobSeekerProfileBody {
    pub fn into_domain(self) -> Result<jsd::Profile, DomainError> {
        let mut errors = FieldErrors::new();
        let education = self
            .education
            .into_iter()
            .enumerate()
            .map(|(i, e)| jsd::Education {
                level: e.level.into(),
                field: e.field,
                graduated_on: req_date(
                    &mut errors,
                    format!("education[{i}].graduated_on"),
                    &e.graduated_on,
                ),
            })
            .collect();
        let licences = self
            .licences
            .into_iter()
            .enumerate()
            .map(|(i, l)| jsd::Licence {
                class: l.class.into(),
                issued_on: req_date(
                    &mut errors,
                    format!("licences[{i}].issued_on"),
                    &l.issued_on,
                ),
                valid_until: opt_date(
                    &mut errors,
                    format!("licences[{i}].valid_until"),
                    &l.valid_until,
                ),
            })
            .collect();
        let target_groups = self
            .target_groups
            .into_iter()
            .enumerate()
            .map(|(i, g)| jsd::TargetGroupStatus {
                group: g.group.into(),
                evidence: g.evidence,
                valid_until: opt_date(
                    &mut errors,
                    format!("target_groups[{i}].valid_until"),
                    &g.valid_until,
                ),
            })
            .collect();
        errors.finish()?;
        Ok(jsd::Profile {
            occupations: self.occupations,
            education,
            licences,
            languages: self
                .languages
                .into_iter()
                .map(|l| jsd::Language {
                    language: l.language,
                    level: l.level.into(),
                })
                .collect(),
            military_status: self.military_status.into(),
            target_groups,
            province: self.province,
            district_code: self.district_code,
            active: self.active,
        })
    }
}

/// The citizen's job-seeker record.
#[derive(Serialize, ToSchema)]
pub struct JobSeekerView {
    #[schema(example = "12345678950")]
    pub tckn: String,
    pub first_name: String,
    pub last_name: String,
    #[schema(value_type = String, format = Date)]
    pub birth_date: String,
    pub profile: JobSeekerProfileBody,
    /// Also the `ETag`.
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub registered_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl From<jsd::JobSeeker> for JobSeekerView {
    fn from(s: jsd::JobSeeker) -> Self {
        let p = s.profile;
        JobSeekerView {
            tckn: s.tckn.as_str().into(),
            first_name: s.first_name,
            last_name: s.last_name,
            birth_date: s.birth_date.to_string(),
            profile: JobSeekerProfileBody {
                occupations: p.occupations,
                education: p
                    .education
                    .into_iter()
                    .map(|e| EducationBody {
                        level: e.level.into(),
                        field: e.field,
                        graduated_on: e.graduated_on.to_string(),
                    })
                    .collect(),
                licences: p
                    .licences
                    .into_iter()
                    .map(|l| LicenceBody {
                        class: l.class.into(),
                        issued_on: l.issued_on.to_string(),
                        valid_until: l.valid_until.map(|d| d.to_string()),
                    })
                    .collect(),
                languages: p
                    .languages
                    .into_iter()
                    .map(|l| LanguageBody {
                        language: l.language,
                        level: l.level.into(),
                    })
                    .collect(),
                military_status: p.military_status.into(),
                target_groups: p
                    .target_groups
                    .into_iter()
                    .map(|g| TargetGroupStatusBody {
                        group: g.group.into(),
                        evidence: g.evidence,
                        valid_until: g.valid_until.map(|d| d.to_string()),
                    })
                    .collect(),
                province: p.province,
                district_code: p.district_code,
                active: p.active,
            },
            version: s.version,
            registered_at: s.registered_at,
            updated_at: s.updated_at,
        }
    }
}

/// A job advert (Açık İş İlanı) as the public sees it.
#[derive(Serialize, ToSchema)]
pub struct OpenJobView {
    #[schema(example = 1001)]
    pub talep_no: i64,
    /// The advert's title.
    #[schema(example = "Forklift Operatörü")]
    pub position: String,
    #[schema(example = "8344.01")]
    pub occupation_code: String,
    pub occupation_name: String,
    pub employer_title: String,
    /// İşyeri türü: `public` or `private`.
    pub sector: String,
    #[schema(value_type = u8)]
    pub province: ProvinceCode,
    pub district_code: i32,
    pub target_group: TargetGroupCode,
    pub work_type: WorkTypeCode,
    pub work_location: WorkLocationCode,
    pub worker_count: u16,
    #[schema(value_type = String, format = Date)]
    pub last_application_date: String,
    /// Where to apply (citizens, logged in).
    #[schema(example = "/api/v1/open-jobs/1001/applications")]
    pub apply_url: String,
}

impl From<&LabourDemand> for OpenJobView {
    fn from(d: &LabourDemand) -> Self {
        OpenJobView {
            talep_no: d.talep_no,
            position: d.details.position.clone(),
            occupation_code: d.occupation_code.clone(),
            occupation_name: d.occupation_name.clone(),
            employer_title: d.employer_title.clone(),
            sector: d.sector.as_str().into(),
            province: d.details.work_address.province,
            district_code: d.details.work_address.district_code,
            target_group: d.requirements.target_group.into(),
            work_type: d.details.work_type.into(),
            work_location: d.details.work_location.into(),
            worker_count: d.worker_count,
            last_application_date: d.last_application_date.to_string(),
            apply_url: format!("/api/v1/open-jobs/{}/applications", d.talep_no),
        }
    }
}

/// The full advert: the summary, what is asked (Aranan Nitelikler) and what is offered.
#[derive(Serialize, ToSchema)]
pub struct OpenJobAdvertView {
    #[serde(flatten)]
    pub summary: OpenJobView,
    pub requirements: RequirementsBody,
    pub details: DetailsBody,
}

/// One of the citizen's applications or selections.
#[derive(Serialize, ToSchema)]
pub struct MyApplicationView {
    pub candidate_id: Uuid,
    pub job: OpenJobView,
    /// The demand's state now.
    pub demand_status: DemandStatusCode,
    pub origin: OriginCode,
    pub stage: StageCode,
    #[serde(with = "time::serde::rfc3339")]
    pub listed_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub interview_at: Option<OffsetDateTime>,
    pub interview_place: Option<String>,
    pub result: Option<ResultCode>,
}

impl From<(Candidate, LabourDemand)> for MyApplicationView {
    fn from((c, d): (Candidate, LabourDemand)) -> Self {
        MyApplicationView {
            candidate_id: c.id.as_uuid(),
            job: OpenJobView::from(&d),
            demand_status: d.status.into(),
            origin: c.origin.into(),
            stage: c.stage().into(),
            listed_at: c.listed_at,
            interview_at: c.interview_at,
            interview_place: c.interview_place,
            result: c.result.map(Into::into),
        }
    }
}

/// Checks a `YYYY-MM-DD` query value, naming the parameter.
pub fn query_date(field: &str, raw: &Option<String>) -> Result<Option<time::Date>, DomainError> {
    raw.as_deref().map(|r| parse_date(field, r)).transpose()
}

/// Parses an RFC 3339 instant, naming the field.
pub fn parse_instant(field: &str, raw: &str) -> Result<OffsetDateTime, DomainError> {
    OffsetDateTime::parse(raw.trim(), &time::format_description::well_known::Rfc3339).map_err(
        |_| {
            DomainError::field(FieldError::new(
                field,
                "datetime.format",
                "An instant is written RFC 3339, e.g. 2026-12-01T10:00:00+03:00.",
            ))
        },
    )
}
