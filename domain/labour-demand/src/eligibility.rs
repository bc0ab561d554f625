//! Whether a job seeker suits a demand, judged **as of its last application date**
//! (seed 001 §2.1.1.2: "iş arayanın Son Başvuru Tarihi'nde işe uygunluğu kontrol edilmektedir").
//!
//! Age is the whole years on that date (at least the legal working age when the demand
//! sets no minimum); education counts schools finished by then; a
//! licence must have been issued by then and not expired; a target-group status must be
//! held and not expired by then; the province is checked when the demand takes residents
//! only. Every unmet criterion is listed, each with its own code, so the refusal says why.
//! The same check filters the employer's candidate selection (Eleman Seç), which then ranks
//! the suitable job seekers with [`rank`].

use crate::demand::{LabourDemand, MilitaryRequirement, TargetGroup};
use crate::job_seeker::{JobSeeker, MilitaryStatus};
use kapi_core::FieldError;
use std::cmp::Reverse;

/// Every criterion `seeker` fails for `demand`; empty when suitable.
pub fn unmet_criteria(seeker: &JobSeeker, demand: &LabourDemand) -> Vec<FieldError> {
    let on = demand.last_application_date;
    let r = &demand.requirements;
    let mut out = vec![];
    let age = seeker.age_on(on);
    // No minimum set: the legal working age still applies.
    let min = r.min_age.unwrap_or(crate::demand::MIN_WORKING_AGE);
    {
        if age < i32::from(min) {
            out.push(FieldError::new(
                "requirements.min_age",
                "eligibility.too_young",
                format!("The demand needs at least {min} years of age on {on}; you will be {age}."),
            ));
        }
    }
    if let Some(max) = r.max_age {
        if age > i32::from(max) {
            out.push(FieldError::new(
                "requirements.max_age",
                "eligibility.too_old",
                format!("The demand takes at most {max} years of age on {on}; you will be {age}."),
            ));
        }
    }
    if let Some(min) = r.min_education {
        let has = seeker.education_on(on);
        if !has.is_some_and(|h| h.meets(min)) {
            out.push(FieldError::new(
                "requirements.min_education",
                "eligibility.education",
                format!(
                    "The demand needs at least {} finished by {on}.",
                    min.as_str()
                ),
            ));
        }
    }
    for class in &r.licences {
        let valid = seeker.profile.licences.iter().any(|l| {
            l.class == *class && l.issued_on <= on && l.valid_until.is_none_or(|v| v >= on)
        });
        if !valid {
            out.push(FieldError::new(
                format!("requirements.licences[{}]", class.as_str()),
                "eligibility.licence",
                format!(
                    "The demand needs a class {} driving licence valid on {on}.",
                    class.as_str()
                ),
            ));
        }
    }
    if r.target_group != TargetGroup::General {
        let holds = seeker
            .profile
            .target_groups
            .iter()
            .any(|g| g.group == r.target_group && g.valid_until.is_none_or(|v| v >= on));
        if !holds {
            out.push(FieldError::new(
                "requirements.target_group",
                "eligibility.target_group",
                format!(
                    "The demand is reserved for the {} group.",
                    r.target_group.as_str()
                ),
            ));
        }
    }
    for req in &r.languages {
        let ok = seeker
            .profile
            .languages
            .iter()
            .any(|l| l.language == req.language && l.level >= req.level);
        if !ok {
            out.push(FieldError::new(
                format!("requirements.languages[{}]", req.language),
                "eligibility.language",
                format!(
                    "The demand needs {} at {} level or better.",
                    req.language,
                    req.level.as_str()
                ),
            ));
        }
    }
    let military_ok = match r.military {
        MilitaryRequirement::NotRequired => true,
        MilitaryRequirement::Completed => {
            seeker.profile.military_status == MilitaryStatus::Completed
        }
        MilitaryRequirement::CompletedOrExempt => matches!(
            seeker.profile.military_status,
            MilitaryStatus::Completed | MilitaryStatus::Exempt | MilitaryStatus::NotApplicable
        ),
    };
    if !military_ok {
        out.push(FieldError::new(
            "requirements.military",
            "eligibility.military",
            format!("The demand needs military service {}.", r.military.as_str()),
        ));
    }
    if r.residents_only && seeker.profile.province != demand.details.work_address.province {
        out.push(FieldError::new(
            "requirements.residents_only",
            "eligibility.province",
            format!(
                "The demand takes residents of province {} only.",
                demand.details.work_address.province
            ),
        ));
    }
    out
}

/// A suitable job seeker with the reasons for their place in the ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub seeker: JobSeeker,
    /// Higher first: 40 main occupation (20 another listed one), 20 same district,
    /// 10 same province, 5 per required language met above the level asked,
    /// 5 education above the minimum.
    pub score: u32,
}

fn score(seeker: &JobSeeker, demand: &LabourDemand) -> u32 {
    let p = &seeker.profile;
    let addr = &demand.details.work_address;
    let mut s = match p
        .occupations
        .iter()
        .position(|o| *o == demand.occupation_code)
    {
        Some(0) => 40,
        Some(_) => 20,
        None => 0,
    };
    if p.province == addr.province {
        s += 10;
        if p.district_code == addr.district_code {
            s += 20;
        }
    }
    for req in &demand.requirements.languages {
        if p.languages
            .iter()
            .any(|l| l.language == req.language && l.level > req.level)
        {
            s += 5;
        }
    }
    if let (Some(min), Some(has)) = (
        demand.requirements.min_education,
        seeker.education_on(demand.last_application_date),
    ) {
        if has > min && has.meets(min) {
            s += 5;
        }
    }
    s
}

/// The suitable seekers of `pool`, best first: score, then the earlier registration, then
/// TCKN (a total, stable order). Inactive seekers never match.
pub fn rank(pool: Vec<JobSeeker>, demand: &LabourDemand) -> Vec<Match> {
    let mut out: Vec<Match> = pool
        .into_iter()
        .filter(|s| s.profile.active && unmet_criteria(s, demand).is_empty())
        .map(|seeker| Match {
            score: score(&seeker, demand),
            seeker,
        })
        .collect();
    out.sort_by_key(|m| {
        (
            Reverse(m.score),
            m.seeker.registered_at,
            m.seeker.tckn.as_str().to_owned(),
        )
    });
    out
}
