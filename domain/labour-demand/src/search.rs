//! Open-job search (Açık İş İlanları) — DOMAIN.md §3, seed 001 §2.1.1.1.
//!
//! Public, no login. Every mode of the portal is a value of [`SearchMode`]; a mode says
//! which criteria it needs and which it accepts, so a criterion the chosen screen does not
//! have is refused rather than silently ignored:
//!
//! | mode | required | also accepted |
//! | --- | --- | --- |
//! | `province_district` (İl ve İlçeye Göre) | province, district_code | |
//! | `province_occupation` (İl ve Mesleğe Göre) | province, occupation_code | |
//! | `province_occupation_target` (İl, Meslek ve Kişisel Duruma Göre) | province, occupation_code, target_group | |
//! | `quick` (Hızlı Arama) | | target_group, sector, work_location, work_type, province |
//! | `detailed` (Detaylı Arama) | | the quick ones + occupation_code, field, position, employer_title, district_code |
//! | `talep_no` (Talep Numarasına Göre) | talep_no | |
//! | `keyword` (Anahtar Kelime İle) | q | |
//!
//! Only open demands are found: active, and the last application date (Istanbul) not
//! passed. Results are newest first by talep no — a total, stable order — in pages of 15.
//! Text criteria use the Turkish fold; `field`, `position` and `employer_title` match a
//! part of the text; the keyword search matches every word given as the start of a word
//! of the advert (position, occupation, employer, field, description, talep no).

use crate::demand::{code_enum, keyword_tokens, TargetGroup, WorkLocation, WorkType};
use kapi_core::{search_fold, DomainError, EmployerSector, FieldError, FieldErrors, ProvinceCode};

code_enum!(
    /// A screen of Açık İş İlanları.
    SearchMode {
        ProvinceDistrict = "province_district",
        ProvinceOccupation = "province_occupation",
        ProvinceOccupationTarget = "province_occupation_target",
        Quick = "quick",
        Detailed = "detailed",
        TalepNo = "talep_no",
        Keyword = "keyword",
    }
);

/// The criteria as the client sent them (already parsed into their types).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchParams {
    pub province: Option<ProvinceCode>,
    pub district_code: Option<i32>,
    pub occupation_code: Option<String>,
    pub target_group: Option<TargetGroup>,
    pub sector: Option<EmployerSector>,
    pub work_location: Option<WorkLocation>,
    pub work_type: Option<WorkType>,
    pub field: Option<String>,
    pub position: Option<String>,
    pub employer_title: Option<String>,
    pub talep_no: Option<i64>,
    pub q: Option<String>,
}

/// A checked query the store runs: text criteria are folded, keywords split.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenJobQuery {
    pub province: Option<ProvinceCode>,
    pub district_code: Option<i32>,
    pub occupation_code: Option<String>,
    pub target_group: Option<TargetGroup>,
    pub sector: Option<EmployerSector>,
    pub work_location: Option<WorkLocation>,
    pub work_type: Option<WorkType>,
    /// Folded, matched as a part of the folded text.
    pub field: Option<String>,
    pub position: Option<String>,
    pub employer_title: Option<String>,
    pub talep_no: Option<i64>,
    /// Folded words; each must start a word of the advert.
    pub keywords: Vec<String>,
}

const ALL: [&str; 12] = [
    "province",
    "district_code",
    "occupation_code",
    "target_group",
    "sector",
    "work_location",
    "work_type",
    "field",
    "position",
    "employer_title",
    "talep_no",
    "q",
];

fn rules(mode: SearchMode) -> (&'static [&'static str], &'static [&'static str]) {
    match mode {
        SearchMode::ProvinceDistrict => (&["province", "district_code"], &[]),
        SearchMode::ProvinceOccupation => (&["province", "occupation_code"], &[]),
        SearchMode::ProvinceOccupationTarget => {
            (&["province", "occupation_code", "target_group"], &[])
        }
        SearchMode::Quick => (
            &[],
            &[
                "target_group",
                "sector",
                "work_location",
                "work_type",
                "province",
            ],
        ),
        SearchMode::Detailed => (
            &[],
            &[
                "target_group",
                "sector",
                "work_location",
                "work_type",
                "province",
                "occupation_code",
                "field",
                "position",
                "employer_title",
                "district_code",
            ],
        ),
        SearchMode::TalepNo => (&["talep_no"], &[]),
        SearchMode::Keyword => (&["q"], &[]),
    }
}

fn folded_text(errors: &mut FieldErrors, field: &str, raw: &Option<String>) -> Option<String> {
    let raw = raw.as_deref()?.trim();
    let folded = search_fold(raw);
    if folded.chars().count() < 2 || folded.chars().count() > 100 {
        errors.push(FieldError::new(
            field,
            "search.text_length",
            "Between 2 and 100 characters.",
        ));
        return None;
    }
    Some(folded)
}

/// Checks the criteria against the mode and builds the query.
pub fn open_job_query(mode: SearchMode, p: &SearchParams) -> Result<OpenJobQuery, DomainError> {
    let present = [
        p.province.is_some(),
        p.district_code.is_some(),
        p.occupation_code.is_some(),
        p.target_group.is_some(),
        p.sector.is_some(),
        p.work_location.is_some(),
        p.work_type.is_some(),
        p.field.is_some(),
        p.position.is_some(),
        p.employer_title.is_some(),
        p.talep_no.is_some(),
        p.q.is_some(),
    ];
    let (required, accepted) = rules(mode);
    let mut errors = FieldErrors::new();
    for (name, here) in ALL.iter().zip(present) {
        if required.contains(name) && !here {
            errors.push(FieldError::new(
                *name,
                "search.criterion_required",
                format!("The {} search needs {name}.", mode.as_str()),
            ));
        }
        if here && !required.contains(name) && !accepted.contains(name) {
            errors.push(FieldError::new(
                *name,
                "search.criterion_not_in_mode",
                format!("The {} search does not take {name}.", mode.as_str()),
            ));
        }
    }
    if mode == SearchMode::Detailed && p.district_code.is_some() && p.province.is_none() {
        errors.push(FieldError::new(
            "province",
            "search.district_needs_province",
            "A district is searched within its province.",
        ));
    }
    if let Some(o) = &p.occupation_code {
        if let Err(e) = kapi_core::OccupationCode::parse(o) {
            errors.push(e);
        }
    }
    if p.talep_no.is_some_and(|n| n < 1) {
        errors.push(FieldError::new(
            "talep_no",
            "search.talep_no",
            "A talep number is a positive whole number.",
        ));
    }
    let field = folded_text(&mut errors, "field", &p.field);
    let position = folded_text(&mut errors, "position", &p.position);
    let employer_title = folded_text(&mut errors, "employer_title", &p.employer_title);
    let mut keywords = vec![];
    if let Some(q) = &p.q {
        keywords = keyword_tokens(q);
        keywords.truncate(5);
        if keywords.is_empty() {
            errors.push(FieldError::new(
                "q",
                "search.keyword_too_short",
                "Give at least one word of two or more letters.",
            ));
        }
    }
    errors.finish()?;
    Ok(OpenJobQuery {
        province: p.province,
        district_code: p.district_code,
        occupation_code: p.occupation_code.as_deref().map(|o| o.trim().to_owned()),
        target_group: p.target_group,
        sector: p.sector,
        work_location: p.work_location,
        work_type: p.work_type,
        field,
        position,
        employer_title,
        talep_no: p.talep_no,
        keywords,
    })
}
