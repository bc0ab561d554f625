//! schema.org `JobPosting` (JSON-LD) for integrators and search engines: each public
//! Kariyer Kapısı posting and each open İŞKUR labour demand, with the properties Google's
//! job-posting guidelines require (title, description, datePosted, hiringOrganization,
//! jobLocation) and recommend (validThrough, employmentType, identifier, baseSalary where
//! the data has one, directApply).
//!
//! Only what is public today is published: the same rules as the public views
//! (`kapi_postings::usecases::get_posting` without a caller: published and inside the
//! application window; `kapi_labour_demand::demands::open_job`: active and before the end of
//! its last application day). Anything else is a 404 problem, so a draft, a cancelled
//! posting or a closed demand never leaks through this door.
//!
//! Mapping choices (written down because schema.org leaves them to us):
//! - `employmentType`: always an array. Kadrolu memur, sözleşmeli personel (4/B) and sürekli
//!   işçi are `FULL_TIME`; geçici işçi is `TEMPORARY`; İŞKUR's çalışma şekli maps tam zamanlı
//!   → `FULL_TIME`, yarı zamanlı → `PART_TIME`, mevsimlik → `TEMPORARY`.
//! - `jobLocation`: one `Place` per province of a posting's positions (a posting may hire in
//!   several); a demand's work address with its district and street (public in the advert).
//!   Abroad, only the country is known.
//! - `validThrough`: the end of the last application day, 23:59:59 Istanbul (+03:00).
//! - `datePosted`: the Istanbul day the record became public (a posting: the later of its
//!   publication day and its first application day; a demand: the day it was saved).
//! - `directApply`: `false` for postings (the Kariyer Kapısı wizard after an e-Devlet login,
//!   with declarations and several steps), `true` for open jobs (a registered job seeker
//!   applies in one request).
//! - `baseSalary`: only for demands that state a wage (monthly gross, TRY); postings carry
//!   none.
//! - Only properties schema.org defines for each type (JobPosting has no `inLanguage`; the
//!   language is Turkish throughout): tests/api/schema_org_properties.txt lists them, the
//!   black-box tests hold every answer to it and scripts/jsonld-check.sh type-checks live
//!   answers with schema-dts.

use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::{read, AppState};
use actix_web::{get, web, HttpRequest, HttpResponse};
use kapi_core::{end_of_istanbul_day, istanbul_date_of, DomainError, PostingId};
use kapi_labour_demand::demand::{Benefit, LabourDemand, WorkLocation, WorkType};
use kapi_persistence::labour_demands::DemandRepo;
use kapi_persistence::postings::PostingRepo;
use kapi_persistence::reference as refdata;
use kapi_postings::posting::{EmploymentType, Posting};
use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use utoipa::ToSchema;

/// The media type of every answer here.
pub const LD_JSON: &str = "application/ld+json";
const SCHEMA_ORG: &str = "https://schema.org";

/// A schema.org `PropertyValue`: a named identifier.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PropertyValueLd {
    /// Always `PropertyValue`.
    #[serde(rename = "@type")]
    #[schema(example = "PropertyValue")]
    pub type_: String,
    /// The scheme the value belongs to.
    #[serde(rename = "propertyID")]
    #[schema(example = "kariyer-kapisi:ilan-no")]
    pub property_id: String,
    #[schema(example = "İlan No")]
    pub name: String,
    #[schema(example = "1024")]
    pub value: String,
}

impl PropertyValueLd {
    fn new(property_id: &str, name: &str, value: String) -> Self {
        PropertyValueLd {
            type_: "PropertyValue".into(),
            property_id: property_id.into(),
            name: name.into(),
            value,
        }
    }
}

/// The hiring organisation.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrganizationLd {
    /// Always `Organization`.
    #[serde(rename = "@type")]
    #[schema(example = "Organization")]
    pub type_: String,
    #[schema(example = "Aile ve Sosyal Hizmetler Bakanlığı")]
    pub name: String,
    /// A public institution's Kapı id (the `institution_id` of `GET /api/v1/postings`);
    /// absent for private employers, whose records are not public.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<PropertyValueLd>,
}

/// A schema.org `PostalAddress`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PostalAddressLd {
    /// Always `PostalAddress`.
    #[serde(rename = "@type")]
    #[schema(example = "PostalAddress")]
    pub type_: String,
    /// The work address, when the record states one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street_address: Option<String>,
    /// The district (ilçe), when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "Çankaya")]
    pub address_locality: Option<String>,
    /// The province (il) name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "Ankara")]
    pub address_region: Option<String>,
    /// ISO 3166-1 alpha-2: `TR`, or the country of a job abroad.
    #[schema(example = "TR")]
    pub address_country: String,
}

/// A schema.org `Place`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlaceLd {
    /// Always `Place`.
    #[serde(rename = "@type")]
    #[schema(example = "Place")]
    pub type_: String,
    pub address: PostalAddressLd,
}

/// A schema.org `QuantitativeValue`: an amount per unit of time.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QuantitativeValueLd {
    /// Always `QuantitativeValue`.
    #[serde(rename = "@type")]
    #[schema(example = "QuantitativeValue")]
    pub type_: String,
    /// Lira, two decimals at most.
    #[schema(example = 35000.0)]
    pub value: f64,
    /// `MONTH`: wages are monthly gross.
    #[schema(example = "MONTH")]
    pub unit_text: String,
}

/// A schema.org `MonetaryAmount`.
#[derive(Debug, Serialize, ToSchema)]
pub struct MonetaryAmountLd {
    /// Always `MonetaryAmount`.
    #[serde(rename = "@type")]
    #[schema(example = "MonetaryAmount")]
    pub type_: String,
    /// ISO 4217: `TRY`.
    #[schema(example = "TRY")]
    pub currency: String,
    pub value: QuantitativeValueLd,
}

/// A schema.org `JobPosting` as JSON-LD.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({
    "@context": "https://schema.org",
    "@type": "JobPosting",
    "url": "https://kapi.example/api/v1/open-jobs/1001",
    "title": "Forklift Operatörü",
    "description": "Depoda vardiyalı çalışacak, forklift belgeli operatör.",
    "datePosted": "2026-12-01",
    "validThrough": "2026-12-31T23:59:59+03:00",
    "employmentType": ["FULL_TIME"],
    "hiringOrganization": {"@type": "Organization", "name": "Demo Lojistik A.Ş."},
    "jobLocation": [{"@type": "Place", "address": {"@type": "PostalAddress", "streetAddress": "Demo Cad. No:5", "addressLocality": "Çankaya", "addressRegion": "Ankara", "addressCountry": "TR"}}],
    "identifier": {"@type": "PropertyValue", "propertyID": "iskur:talep-no", "name": "Talep No", "value": "1001"},
    "baseSalary": {"@type": "MonetaryAmount", "currency": "TRY", "value": {"@type": "QuantitativeValue", "value": 35000.0, "unitText": "MONTH"}},
    "directApply": true,
    "totalJobOpenings": 2,
    "occupationalCategory": "8344.01 Forklift Operatörü"
}))]
pub struct JobPostingLd {
    /// Always `https://schema.org`.
    #[serde(rename = "@context")]
    pub context: String,
    /// Always `JobPosting`.
    #[serde(rename = "@type")]
    pub type_: String,
    /// The public record this describes (absolute).
    pub url: String,
    pub title: String,
    /// Plain text.
    pub description: String,
    /// `YYYY-MM-DD` (Istanbul).
    #[schema(value_type = String, format = Date)]
    pub date_posted: String,
    /// ISO 8601 with the Istanbul offset: the last instant applications are accepted.
    #[schema(value_type = String, format = DateTime)]
    pub valid_through: String,
    /// `FULL_TIME`, `PART_TIME`, `TEMPORARY`.
    pub employment_type: Vec<String>,
    pub hiring_organization: OrganizationLd,
    pub job_location: Vec<PlaceLd>,
    pub identifier: PropertyValueLd,
    /// Only when the record states a wage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_salary: Option<MonetaryAmountLd>,
    /// Whether one applies right away with data the service already has.
    pub direct_apply: bool,
    pub total_job_openings: u32,
    /// A demand's occupation (Türk Meslekler Sözlüğü code and name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub occupational_category: Option<String>,
    /// What the candidate must meet, one per line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub qualifications: Option<String>,
    /// What the employer offers besides the wage.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job_benefits: Option<String>,
}

fn iso_instant(at: OffsetDateTime) -> Result<String, ApiError> {
    let at = at.replace_nanosecond(0).unwrap_or(at);
    at.format(&Rfc3339)
        .map_err(|e| ApiError::internal(format!("formatting an instant: {e}")))
}

fn place(
    street: Option<String>,
    district: Option<String>,
    province: Option<String>,
    country: &str,
) -> PlaceLd {
    PlaceLd {
        type_: "Place".into(),
        address: PostalAddressLd {
            type_: "PostalAddress".into(),
            street_address: street,
            address_locality: district,
            address_region: province,
            address_country: country.into(),
        },
    }
}

fn base_url(req: &HttpRequest) -> String {
    let info = req.connection_info();
    format!("{}://{}", info.scheme(), info.host())
}

fn ld(body: &JobPostingLd) -> ApiResult<HttpResponse> {
    let bytes = serde_json::to_vec(body)
        .map_err(|e| ApiError::internal(format!("serialising JSON-LD: {e}")))?;
    Ok(HttpResponse::Ok().content_type(LD_JSON).body(bytes))
}

fn employment_type(t: EmploymentType) -> &'static str {
    match t {
        EmploymentType::CivilServant
        | EmploymentType::Contracted
        | EmploymentType::PermanentWorker => "FULL_TIME",
        EmploymentType::TemporaryWorker => "TEMPORARY",
    }
}

fn posting_ld(
    p: &Posting,
    province_names: &[(u8, String)],
    base: &str,
) -> Result<JobPostingLd, ApiError> {
    let province = |code: u8| {
        province_names
            .iter()
            .find(|(c, _)| *c == code)
            .map(|(_, n)| n.clone())
    };
    let mut types: Vec<String> = vec![];
    let mut places: Vec<PlaceLd> = vec![];
    let mut seen: Vec<u8> = vec![];
    let mut description = p.main_text.clone();
    let mut qualifications: Vec<String> = vec![];
    for s in &p.sub_postings {
        let t = employment_type(s.employment_type).to_owned();
        if !types.contains(&t) {
            types.push(t);
        }
        let code = s.province.get();
        if !seen.contains(&code) {
            seen.push(code);
            places.push(place(None, None, province(code), "TR"));
        }
        description.push_str(&format!(
            "\n\n{}. {} ({} kadro, {}, {}): {}",
            s.no,
            s.title,
            s.vacancies,
            province(code).unwrap_or_default(),
            s.employment_type.label_tr(),
            s.text
        ));
        for r in &s.requirements {
            qualifications.push(format!("{}. {}: {r}", s.no, s.title));
        }
    }
    let published = p.published_at.map(istanbul_date_of).unwrap_or(p.starts_on);
    Ok(JobPostingLd {
        context: SCHEMA_ORG.into(),
        type_: "JobPosting".into(),
        url: format!("{base}/api/v1/postings/{}", p.id),
        title: p.title.clone(),
        description,
        date_posted: published.max(p.starts_on).to_string(),
        valid_through: iso_instant(p.application_deadline_second())?,
        employment_type: types,
        hiring_organization: OrganizationLd {
            type_: "Organization".into(),
            name: p.institution_name.clone(),
            identifier: Some(PropertyValueLd::new(
                "kapi:institution-id",
                "Kurum",
                p.institution_id.to_string(),
            )),
        },
        job_location: places,
        identifier: PropertyValueLd::new(
            "kariyer-kapisi:ilan-no",
            "İlan No",
            p.posting_no.to_string(),
        ),
        base_salary: None,
        direct_apply: false,
        total_job_openings: p.sub_postings.iter().map(|s| s.vacancies).sum(),
        occupational_category: None,
        qualifications: (!qualifications.is_empty()).then(|| qualifications.join("\n")),
        job_benefits: None,
    })
}

fn benefit_tr(b: Benefit) -> &'static str {
    match b {
        Benefit::Meal => "Yemek",
        Benefit::Transport => "Servis / yol",
        Benefit::Accommodation => "Konaklama",
        Benefit::HealthInsurance => "Özel sağlık sigortası",
        Benefit::Bonus => "Prim / ikramiye",
        Benefit::Childcare => "Kreş",
    }
}

/// The place names a demand's JSON-LD shows, from the code lists.
struct DemandNames {
    province: Option<String>,
    district: Option<String>,
    min_education: Option<String>,
}

fn demand_ld(d: &LabourDemand, names: DemandNames, base: &str) -> Result<JobPostingLd, ApiError> {
    let x = &d.details;
    let mut description = match &x.description {
        Some(t) if !t.trim().is_empty() => t.trim().to_owned(),
        _ => format!("{}: {} kişi aranıyor.", x.position, d.worker_count),
    };
    description.push_str(&format!(
        "\n\nMeslek: {} {}\nAranan kişi sayısı: {}",
        d.occupation_code, d.occupation_name, d.worker_count
    ));
    if let Some(f) = &x.field {
        description.push_str(&format!("\nİş alanı: {f}"));
    }
    if let Some(h) = x.weekly_hours {
        description.push_str(&format!("\nHaftalık çalışma: {h} saat"));
    }
    if let Some(a) = &x.interview_address {
        description.push_str(&format!("\nGörüşme adresi: {a}"));
    }
    let location = match (x.work_location, &x.work_country) {
        (WorkLocation::Abroad, Some(c)) => place(None, None, None, c),
        _ => place(
            Some(x.work_address.address.clone()),
            names.district,
            names.province,
            "TR",
        ),
    };
    let mut qualifications = vec![];
    if let Some(e) = names.min_education {
        qualifications.push(format!("En az öğrenim: {e}"));
    }
    if let Some(f) = &x.education_field {
        qualifications.push(format!("Öğrenim bölümü: {f}"));
    }
    for l in &d.requirements.licences {
        qualifications.push(format!("Sürücü belgesi: {}", l.as_str()));
    }
    for l in &d.requirements.languages {
        qualifications.push(format!(
            "Yabancı dil: {} ({})",
            l.language,
            l.level.as_str()
        ));
    }
    Ok(JobPostingLd {
        context: SCHEMA_ORG.into(),
        type_: "JobPosting".into(),
        url: format!("{base}/api/v1/open-jobs/{}", d.talep_no),
        title: x.position.clone(),
        description,
        date_posted: istanbul_date_of(d.created_at).to_string(),
        valid_through: iso_instant(end_of_istanbul_day(d.last_application_date))?,
        employment_type: vec![match x.work_type {
            WorkType::FullTime => "FULL_TIME",
            WorkType::PartTime => "PART_TIME",
            WorkType::Seasonal => "TEMPORARY",
        }
        .to_owned()],
        hiring_organization: OrganizationLd {
            type_: "Organization".into(),
            name: d.employer_title.clone(),
            identifier: None,
        },
        job_location: vec![location],
        identifier: PropertyValueLd::new("iskur:talep-no", "Talep No", d.talep_no.to_string()),
        base_salary: x.wage.map(|w| MonetaryAmountLd {
            type_: "MonetaryAmount".into(),
            currency: "TRY".into(),
            value: QuantitativeValueLd {
                type_: "QuantitativeValue".into(),
                value: w.kurus() as f64 / 100.0,
                unit_text: "MONTH".into(),
            },
        }),
        direct_apply: true,
        total_job_openings: u32::from(d.worker_count),
        occupational_category: Some(format!("{} {}", d.occupation_code, d.occupation_name)),
        qualifications: (!qualifications.is_empty()).then(|| qualifications.join("\n")),
        job_benefits: (!x.benefits.is_empty()).then(|| {
            x.benefits
                .iter()
                .map(|b| benefit_tr(*b))
                .collect::<Vec<_>>()
                .join(", ")
        }),
    })
}

/// A public posting as a schema.org `JobPosting` (JSON-LD).
///
/// A public posting as a schema.org `JobPosting` (JSON-LD): published and inside its
/// application window, as anyone sees it. One `JobPosting` for the whole posting: its
/// positions' provinces are the `jobLocation`s, their employment types the
/// `employmentType`s, their vacancies `totalJobOpenings`.
#[utoipa::path(
    operation_id = "get_posting_job_posting",
    tag = "postings",
    params(("id" = Uuid, Path, description = "Posting id")),
    responses(
        (status = 200, description = "The posting as JSON-LD", body = JobPostingLd, content_type = "application/ld+json"),
        (status = 404, description = "No such posting, or not public: a draft, cancelled, not yet open or past its last application day (`posting.not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/postings/{id}/job-posting")]
pub async fn get_posting_job_posting(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id: PostingId = crate::extract::path_id(&id, "posting.not_found")?;
    let now = state.clock.now();
    let (p, names) = read(&state, move |c| {
        let p = kapi_postings::usecases::get_posting(&mut PostingRepo::new(c, now), None, id, now)?;
        let mut names = vec![];
        for s in &p.sub_postings {
            let code = s.province.get();
            if names.iter().any(|(c, _)| *c == code) {
                continue;
            }
            if let Some(pr) = refdata::get_province(c, i32::from(code))? {
                names.push((code, pr.name));
            }
        }
        Ok::<_, DomainError>((p, names))
    })
    .await?;
    ld(&posting_ld(&p, &names, &base_url(&req))?)
}

/// An open job as a schema.org `JobPosting` (JSON-LD).
///
/// An open job (active, before the end of its last application day) as a schema.org
/// `JobPosting` (JSON-LD), by talep no.
#[utoipa::path(
    operation_id = "get_open_job_job_posting",
    tag = "open-jobs",
    params(("talep_no" = i64, Path, description = "Talep no")),
    responses(
        (status = 200, description = "The open job as JSON-LD", body = JobPostingLd, content_type = "application/ld+json"),
        (status = 404, description = "No open job with this number: unknown, closed, cancelled or past its last application day (`open_job.not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/open-jobs/{talep_no}/job-posting")]
pub async fn get_open_job_job_posting(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let n = super::open_jobs::talep_no(&path)?;
    let now = state.clock.now();
    let (d, names) = read(&state, move |c| {
        let d = kapi_labour_demand::demands::open_job(&mut DemandRepo::new(c), n, now)?;
        let a = &d.details.work_address;
        let min_education = match d.requirements.min_education {
            Some(e) => refdata::list_education_levels(c)?
                .into_iter()
                .find(|l| l.code == e.as_str())
                .map(|l| l.name_tr),
            None => None,
        };
        let names = DemandNames {
            province: refdata::get_province(c, i32::from(a.province.get()))?.map(|p| p.name),
            district: refdata::get_district(c, a.district_code)?.map(|d| d.name),
            min_education,
        };
        Ok::<_, DomainError>((d, names))
    })
    .await?;
    ld(&demand_ld(&d, names, &base_url(&req))?)
}
