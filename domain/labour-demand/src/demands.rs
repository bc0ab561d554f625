//! Use cases of labour demands, job seekers and candidates, behind the [`DemandStore`] port.
//!
//! Scope: an employer user reads and changes only its own employer's demands, candidates
//! and reports — another employer's are "not found" — and needs the labour-demand
//! permission (reports: the reports permission; an admin has both). İŞKUR staff read the
//! demands and candidate lists of their province (all, for national staff) and change none. Citizens keep their job-seeker profile,
//! apply and list their applications. The open-job search and advert are public.

use crate::candidate::{self, Candidate, CandidateOrigin, InterviewResult, InvitationAnswer};
use crate::demand::{
    self, check_input, CloseReason, DemandInput, DemandStatus, LabourDemand, MAX_WORKERS,
};
use crate::eligibility::{self, Match};
use crate::employer::{Employer, Workplace};
use crate::job_seeker::{check_profile, JobSeeker, Profile};
use crate::search::OpenJobQuery;
use kapi_core::{
    is_until_date, Actor, DemandCandidateId, DomainError, EmployerId, FieldError, FieldErrors,
    HistoryEntry, HistoryLog, LabourDemandId, Page, PageRequest, ProvinceCode, Tckn, WorkplaceId,
};
use kapi_identity::registry::CitizenRegistry;
use time::{Date, OffsetDateTime};

/// Filters of the employer's own demand list (İşgücü İstemi İşlemleri).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DemandFilter {
    /// Set by the use case from the actor; İŞKUR staff may leave it empty.
    pub employer: Option<EmployerId>,
    pub workplace: Option<WorkplaceId>,
    pub status: Option<DemandStatus>,
    pub talep_no: Option<i64>,
    pub occupation_code: Option<String>,
    /// Set by the use case for İŞKUR staff of one province: the work province.
    pub province: Option<ProvinceCode>,
}

/// A candidate row of a report, with its demand's headline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportLine {
    pub candidate: Candidate,
    pub talep_no: i64,
    pub occupation_name: String,
    pub position: String,
}

/// Narrowing of a report's candidate query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportScope {
    pub employer: EmployerId,
    pub talep_no: Option<i64>,
    pub workplace: Option<WorkplaceId>,
}

/// Reports stop at this many rows; narrower criteria are asked for beyond it.
pub const MAX_REPORT_ROWS: usize = 5000;
/// The job seekers the selection considers at most (before the eligibility filter).
pub const MATCH_POOL: i64 = 2000;

/// What the demand use cases need from outside.
pub trait DemandStore: HistoryLog + CitizenRegistry {
    fn workplace_with_employer(
        &mut self,
        id: WorkplaceId,
    ) -> Result<Option<(Workplace, Employer)>, DomainError>;
    fn occupation_name(&mut self, code: &str) -> Result<Option<String>, DomainError>;
    fn district_in_province(
        &mut self,
        district: i32,
        province: ProvinceCode,
    ) -> Result<bool, DomainError>;
    fn next_talep_no(&mut self) -> Result<i64, DomainError>;
    fn insert_demand(&mut self, d: &LabourDemand) -> Result<(), DomainError>;
    fn get_demand(&mut self, id: LabourDemandId) -> Result<Option<LabourDemand>, DomainError>;
    fn demand_by_talep_no(&mut self, no: i64) -> Result<Option<LabourDemand>, DomainError>;
    /// Writes `d` if its stored version is still `expected`; false otherwise.
    fn update_demand(&mut self, d: &LabourDemand, expected: i64) -> Result<bool, DomainError>;
    fn page_demands(
        &mut self,
        filter: &DemandFilter,
        page: PageRequest,
    ) -> Result<Page<LabourDemand>, DomainError>;
    fn search_open(
        &mut self,
        q: &OpenJobQuery,
        today: Date,
        page: PageRequest,
    ) -> Result<Page<LabourDemand>, DomainError>;

    fn job_seeker(&mut self, tckn: &Tckn) -> Result<Option<JobSeeker>, DomainError>;
    fn insert_job_seeker(&mut self, s: &JobSeeker) -> Result<(), DomainError>;
    fn update_job_seeker(&mut self, s: &JobSeeker, expected: i64) -> Result<bool, DomainError>;
    /// Active job seekers seeking `occupation` (in `province` when given), oldest first.
    fn match_pool(
        &mut self,
        occupation: &str,
        province: Option<ProvinceCode>,
        limit: i64,
    ) -> Result<Vec<JobSeeker>, DomainError>;

    fn candidates_of(&mut self, demand: LabourDemandId) -> Result<Vec<Candidate>, DomainError>;
    fn get_candidate(&mut self, id: DemandCandidateId) -> Result<Option<Candidate>, DomainError>;
    fn insert_candidate(&mut self, c: &Candidate) -> Result<(), DomainError>;
    fn update_candidate(&mut self, c: &Candidate, expected: i64) -> Result<bool, DomainError>;
    /// The demands `tckn` is a candidate of, newest listing first, with the candidate row.
    fn applications_of(
        &mut self,
        tckn: &Tckn,
        page: PageRequest,
    ) -> Result<Page<(Candidate, LabourDemand)>, DomainError>;
    /// Candidates of the employer's demands within the scope, at most `limit`.
    fn report_lines(
        &mut self,
        scope: &ReportScope,
        limit: usize,
    ) -> Result<Vec<ReportLine>, DomainError>;
}

#[allow(clippy::too_many_arguments)]
fn record(
    store: &mut impl HistoryLog,
    actor: &Actor,
    kind: &str,
    id: String,
    from: Option<&str>,
    to: &str,
    note: Option<String>,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    store.append(&HistoryEntry {
        resource_kind: kind.into(),
        resource_id: id,
        at: now,
        actor: actor.audit_label(),
        from_state: from.map(str::to_owned),
        to_state: to.into(),
        note,
    })
}

fn demand_not_found() -> DomainError {
    DomainError::not_found("labour_demand.not_found", "No such labour demand.")
}

fn candidate_not_found() -> DomainError {
    DomainError::not_found("candidate.not_found", "No such candidate on this demand.")
}

/// The employer an actor writes demands for: an employer user with the labour-demand
/// permission (or admin).
fn demand_writer(actor: &Actor) -> Result<EmployerId, DomainError> {
    match actor {
        Actor::EmployerUser {
            employer_id,
            permissions,
            ..
        } if permissions.admin || permissions.labour_demand => Ok(*employer_id),
        Actor::EmployerUser { .. } => Err(DomainError::forbidden(
            "labour_demand.permission_missing",
            "Your user has no labour-demand permission; ask the employer's admin.",
        )),
        _ => Err(DomainError::forbidden(
            "labour_demand.employers_only",
            "Only an employer's users manage its labour demands.",
        )),
    }
}

/// Loads a demand the actor may read (own employer with the permission, or İŞKUR staff).
fn readable_demand(
    store: &mut impl DemandStore,
    actor: &Actor,
    id: LabourDemandId,
) -> Result<LabourDemand, DomainError> {
    if let Actor::EmployerUser { .. } = actor {
        demand_writer(actor)?;
    } else if !matches!(actor, Actor::IskurStaff { .. }) {
        return Err(DomainError::forbidden(
            "labour_demand.employers_only",
            "Only an employer's users and İŞKUR staff see labour demands.",
        ));
    }
    let d = store.get_demand(id)?.ok_or_else(demand_not_found)?;
    if !crate::employer::may_read_employer(actor, d.employer_id) {
        return Err(demand_not_found());
    }
    if let Actor::IskurStaff {
        province: Some(p), ..
    } = actor
    {
        if *p != d.details.work_address.province {
            return Err(demand_not_found());
        }
    }
    Ok(d)
}

/// Loads a demand the actor may change.
fn writable_demand(
    store: &mut impl DemandStore,
    actor: &Actor,
    id: LabourDemandId,
) -> Result<LabourDemand, DomainError> {
    let employer = demand_writer(actor)?;
    let d = store.get_demand(id)?.ok_or_else(demand_not_found)?;
    if d.employer_id != employer {
        return Err(demand_not_found());
    }
    Ok(d)
}

fn save_demand(
    store: &mut impl DemandStore,
    d: &mut LabourDemand,
    expected: i64,
) -> Result<(), DomainError> {
    let stored = d.version;
    d.version = stored + 1;
    if expected != stored || !store.update_demand(d, stored)? {
        return Err(DomainError::stale("labour demand"));
    }
    Ok(())
}

fn check_with_store(
    store: &mut impl DemandStore,
    input: &DemandInput,
    current_last_date: Option<Date>,
    now: OffsetDateTime,
) -> Result<(DemandInput, String), DomainError> {
    let mut errors = FieldErrors::new();
    let input = check_input(input, demand::today(now), current_last_date, &mut errors);
    let mut name = String::new();
    if kapi_core::OccupationCode::parse(&input.occupation_code).is_ok() {
        match store.occupation_name(&input.occupation_code)? {
            Some(n) => name = n,
            None => errors.push(FieldError::new(
                "occupation_code",
                "occupation.unknown",
                "No such occupation in the dictionary.",
            )),
        }
    }
    let a = &input.details.work_address;
    if !store.district_in_province(a.district_code, a.province)? {
        errors.push(FieldError::new(
            "details.work_address.district_code",
            "workplace.district_not_in_province",
            "This district is not in the work address's province.",
        ));
    }
    errors.finish()?;
    Ok((input, name))
}

/// Opens a demand for one of the employer's workplaces (quick or detailed: the quick form
/// is completed with [`quick_defaults`] first).
pub fn create_demand(
    store: &mut impl DemandStore,
    actor: &Actor,
    workplace: WorkplaceId,
    input: DemandInput,
    now: OffsetDateTime,
) -> Result<LabourDemand, DomainError> {
    let employer_id = demand_writer(actor)?;
    let (w, employer) = store
        .workplace_with_employer(workplace)?
        .filter(|(w, _)| w.employer_id == employer_id)
        .ok_or_else(|| {
            DomainError::field(FieldError::new(
                "workplace_id",
                "workplace.not_found",
                "No such workplace of your employer.",
            ))
        })?;
    let (input, occupation_name) = check_with_store(store, &input, None, now)?;
    let d = LabourDemand {
        id: LabourDemandId::new(),
        talep_no: store.next_talep_no()?,
        employer_id,
        workplace_id: w.id,
        employer_title: employer.title,
        sector: employer.sector,
        occupation_code: input.occupation_code,
        occupation_name,
        worker_count: u16::try_from(input.worker_count).unwrap_or(MAX_WORKERS),
        last_application_date: input.last_application_date,
        requirements: input.requirements,
        details: input.details,
        status: DemandStatus::Active,
        close_reason: None,
        status_note: None,
        hired_count: 0,
        invited_any: false,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    store.insert_demand(&d)?;
    record(
        store,
        actor,
        "labour_demand",
        d.id.to_string(),
        None,
        "active",
        Some(format!("talep no {}", d.talep_no)),
        now,
    )?;
    Ok(d)
}

/// The quick form (Yeni İşgücü İstemi): what it leaves out gets these defaults — the work
/// address is the workplace's, the position the occupation's name, no requirements beyond
/// the target group, full time day work in Türkiye.
pub fn quick_defaults(
    store: &mut impl DemandStore,
    actor: &Actor,
    workplace: WorkplaceId,
) -> Result<crate::demand::WorkAddress, DomainError> {
    let employer_id = demand_writer(actor)?;
    let (w, _) = store
        .workplace_with_employer(workplace)?
        .filter(|(w, _)| w.employer_id == employer_id)
        .ok_or_else(|| {
            DomainError::field(FieldError::new(
                "workplace_id",
                "workplace.not_found",
                "No such workplace of your employer.",
            ))
        })?;
    Ok(crate::demand::WorkAddress {
        province: w.province,
        district_code: w.district_code,
        address: w.address,
    })
}

/// The name of an occupation, for the quick form's default position.
pub fn occupation_name(
    store: &mut impl DemandStore,
    code: &str,
) -> Result<Option<String>, DomainError> {
    if kapi_core::OccupationCode::parse(code).is_err() {
        return Ok(None);
    }
    store.occupation_name(code)
}

/// Edits an active demand (every section; the workplace stays). The worker count cannot
/// drop below those already hired. A last application date that has passed is refused only
/// when it is new: after it, the demand is still edited while it keeps that date.
pub fn update_demand(
    store: &mut impl DemandStore,
    actor: &Actor,
    id: LabourDemandId,
    input: DemandInput,
    expected: Option<i64>,
    now: OffsetDateTime,
) -> Result<LabourDemand, DomainError> {
    let mut d = writable_demand(store, actor, id)?;
    demand::check_editable(&d)?;
    // The last date is re-checked against today only when it changes (decision: an active
    // demand stays editable after its last date, e.g. its contact or address).
    let (input, occupation_name) =
        check_with_store(store, &input, Some(d.last_application_date), now)?;
    if input.worker_count < i64::from(d.hired_count.max(1)) {
        return Err(DomainError::field(FieldError::new(
            "worker_count",
            "labour_demand.worker_count_below_hired",
            format!(
                "{} already hired; the count cannot go below that.",
                d.hired_count
            ),
        )));
    }
    let expected = expected.unwrap_or(d.version);
    d.occupation_code = input.occupation_code;
    d.occupation_name = occupation_name;
    d.worker_count = u16::try_from(input.worker_count).unwrap_or(MAX_WORKERS);
    d.last_application_date = input.last_application_date;
    d.requirements = input.requirements;
    d.details = input.details;
    d.updated_at = now;
    save_demand(store, &mut d, expected)?;
    record(
        store,
        actor,
        "labour_demand",
        d.id.to_string(),
        Some("active"),
        "active",
        Some("updated".into()),
        now,
    )?;
    Ok(d)
}

/// The demand as its employer's writer sees it before an edit: a caller who may not write
/// demands is refused (403) before the demand is looked up, another employer's demand is
/// not found — the same answer whether or not the id exists.
pub fn demand_to_edit(
    store: &mut impl DemandStore,
    actor: &Actor,
    id: LabourDemandId,
) -> Result<LabourDemand, DomainError> {
    writable_demand(store, actor, id)
}

pub fn get_demand(
    store: &mut impl DemandStore,
    actor: &Actor,
    id: LabourDemandId,
) -> Result<LabourDemand, DomainError> {
    readable_demand(store, actor, id)
}

/// The employer's own demands (İŞKUR staff: all), newest first.
pub fn list_demands(
    store: &mut impl DemandStore,
    actor: &Actor,
    mut filter: DemandFilter,
    page: PageRequest,
) -> Result<Page<LabourDemand>, DomainError> {
    match actor {
        Actor::IskurStaff { province, .. } => filter.province = *province,
        _ => filter.employer = Some(demand_writer(actor)?),
    }
    store.page_demands(&filter, page)
}

/// Closes an active demand (filled, or another reason with a note).
pub fn close_demand(
    store: &mut impl DemandStore,
    actor: &Actor,
    id: LabourDemandId,
    reason: CloseReason,
    note: Option<String>,
    expected: Option<i64>,
    now: OffsetDateTime,
) -> Result<LabourDemand, DomainError> {
    let mut d = writable_demand(store, actor, id)?;
    let expected = expected.unwrap_or(d.version);
    demand::close(&mut d, reason, note, now)?;
    save_demand(store, &mut d, expected)?;
    record(
        store,
        actor,
        "labour_demand",
        d.id.to_string(),
        Some("active"),
        "closed",
        Some(match &d.status_note {
            Some(n) => format!("{}: {n}", reason.as_str()),
            None => reason.as_str().into(),
        }),
        now,
    )?;
    Ok(d)
}

/// Cancels an active demand while no candidate has been invited.
pub fn cancel_demand(
    store: &mut impl DemandStore,
    actor: &Actor,
    id: LabourDemandId,
    note: Option<String>,
    expected: Option<i64>,
    now: OffsetDateTime,
) -> Result<LabourDemand, DomainError> {
    let mut d = writable_demand(store, actor, id)?;
    let expected = expected.unwrap_or(d.version);
    demand::cancel(&mut d, note, now)?;
    save_demand(store, &mut d, expected)?;
    record(
        store,
        actor,
        "labour_demand",
        d.id.to_string(),
        Some("active"),
        "cancelled",
        d.status_note.clone(),
        now,
    )?;
    Ok(d)
}

fn open_job_not_found() -> DomainError {
    DomainError::not_found(
        "open_job.not_found",
        "No open job with this talep number (it may be closed or past its last application date).",
    )
}

/// Public: one open demand as a job advert, by talep no.
pub fn open_job(
    store: &mut impl DemandStore,
    talep_no: i64,
    now: OffsetDateTime,
) -> Result<LabourDemand, DomainError> {
    store
        .demand_by_talep_no(talep_no)?
        .filter(|d| d.is_open(now))
        .ok_or_else(open_job_not_found)
}

/// Public: the open-job search.
pub fn search_open_jobs(
    store: &mut impl DemandStore,
    query: &OpenJobQuery,
    page: PageRequest,
    now: OffsetDateTime,
) -> Result<Page<LabourDemand>, DomainError> {
    store.search_open(query, demand::today(now), page)
}

fn citizen(actor: &Actor) -> Result<&Tckn, DomainError> {
    match actor {
        Actor::Citizen { tckn } => Ok(tckn),
        _ => Err(DomainError::forbidden(
            "job_seeker.citizens_only",
            "Only a citizen logged in through e-Devlet is a job seeker.",
        )),
    }
}

fn not_registered() -> DomainError {
    DomainError::not_found(
        "job_seeker.not_registered",
        "You have no job-seeker profile yet: save one first.",
    )
}

/// The citizen's own job-seeker profile.
pub fn my_profile(store: &mut impl DemandStore, actor: &Actor) -> Result<JobSeeker, DomainError> {
    let tckn = citizen(actor)?.clone();
    store.job_seeker(&tckn)?.ok_or_else(not_registered)
}

/// Registers the citizen as a job seeker or updates their profile. Name and birth date are
/// taken from the identity registry.
pub fn save_profile(
    store: &mut impl DemandStore,
    actor: &Actor,
    profile: Profile,
    expected: Option<i64>,
    now: OffsetDateTime,
) -> Result<JobSeeker, DomainError> {
    let tckn = citizen(actor)?.clone();
    let mut errors = FieldErrors::new();
    let profile = check_profile(&profile, demand::today(now), &mut errors);
    let mut unknown = vec![];
    for (i, o) in profile.occupations.iter().enumerate() {
        if kapi_core::OccupationCode::parse(o).is_ok() && store.occupation_name(o)?.is_none() {
            unknown.push(FieldError::new(
                format!("occupations[{i}]"),
                "occupation.unknown",
                "No such occupation in the dictionary.",
            ));
        }
    }
    for e in unknown {
        errors.push(e);
    }
    if !store.district_in_province(profile.district_code, profile.province)? {
        errors.push(FieldError::new(
            "district_code",
            "workplace.district_not_in_province",
            "This district is not in the province.",
        ));
    }
    errors.finish()?;
    let person = store.find_citizen(&tckn)?.ok_or_else(|| {
        DomainError::not_found("citizen.not_found", "You are not in the identity registry.")
    })?;
    match store.job_seeker(&tckn)? {
        None => {
            let s = JobSeeker {
                tckn,
                first_name: person.first_name,
                last_name: person.last_name,
                birth_date: person.birth_date,
                profile,
                version: 1,
                registered_at: now,
                updated_at: now,
            };
            store.insert_job_seeker(&s)?;
            record(
                store,
                actor,
                "job_seeker",
                s.tckn.to_string(),
                None,
                if s.profile.active {
                    "active"
                } else {
                    "inactive"
                },
                None,
                now,
            )?;
            Ok(s)
        }
        Some(mut s) => {
            let stored = s.version;
            let from = if s.profile.active {
                "active"
            } else {
                "inactive"
            };
            s.first_name = person.first_name;
            s.last_name = person.last_name;
            s.birth_date = person.birth_date;
            s.profile = profile;
            s.updated_at = now;
            s.version = stored + 1;
            if expected.is_some_and(|e| e != stored) || !store.update_job_seeker(&s, stored)? {
                return Err(DomainError::stale("job seeker profile"));
            }
            record(
                store,
                actor,
                "job_seeker",
                s.tckn.to_string(),
                Some(from),
                if s.profile.active {
                    "active"
                } else {
                    "inactive"
                },
                Some("profile updated".into()),
                now,
            )?;
            Ok(s)
        }
    }
}

/// A job seeker applies to an open demand; eligibility is judged as of its last
/// application date and every unmet criterion is listed.
pub fn apply(
    store: &mut impl DemandStore,
    actor: &Actor,
    talep_no: i64,
    now: OffsetDateTime,
) -> Result<(Candidate, LabourDemand), DomainError> {
    let tckn = citizen(actor)?.clone();
    let d = store
        .demand_by_talep_no(talep_no)?
        .ok_or_else(open_job_not_found)?;
    if d.status != DemandStatus::Active {
        return Err(DomainError::conflict(
            "labour_demand.not_active",
            format!(
                "The demand is {}; it takes no applications.",
                d.status.as_str()
            ),
        ));
    }
    if !is_until_date(now, d.last_application_date) {
        return Err(DomainError::conflict(
            "labour_demand.deadline_passed",
            format!(
                "Applications closed at the end of {}.",
                d.last_application_date
            ),
        ));
    }
    let seeker = store.job_seeker(&tckn)?.ok_or_else(not_registered)?;
    if !seeker.profile.active {
        return Err(DomainError::conflict(
            "job_seeker.inactive",
            "Your job-seeker profile is inactive; activate it to apply.",
        ));
    }
    let unmet = eligibility::unmet_criteria(&seeker, &d);
    if !unmet.is_empty() {
        return Err(DomainError {
            code: "eligibility.not_met".into(),
            message: "You do not meet this demand's criteria as of its last application date."
                .into(),
            ..DomainError::fields(unmet)
        });
    }
    if store
        .candidates_of(d.id)?
        .iter()
        .any(|c| c.tckn == seeker.tckn)
    {
        return Err(DomainError::conflict(
            "candidate.already_listed",
            "You are already on this demand's candidate list.",
        ));
    }
    let c = Candidate::new(
        d.id,
        tckn,
        seeker.full_name(),
        CandidateOrigin::Applied,
        now,
    );
    store.insert_candidate(&c)?;
    record(
        store,
        actor,
        "demand_candidate",
        c.id.to_string(),
        None,
        "applied",
        Some(format!("talep no {}", d.talep_no)),
        now,
    )?;
    Ok((c, d))
}

/// The citizen's applications and selections, newest first.
pub fn my_applications(
    store: &mut impl DemandStore,
    actor: &Actor,
    page: PageRequest,
) -> Result<Page<(Candidate, LabourDemand)>, DomainError> {
    let tckn = citizen(actor)?.clone();
    store.applications_of(&tckn, page)
}

/// Eleman Seç: the job seekers suitable for an active demand who are not yet on its list,
/// ranked (see [`eligibility::rank`]).
pub fn matches(
    store: &mut impl DemandStore,
    actor: &Actor,
    id: LabourDemandId,
    page: PageRequest,
) -> Result<Page<Match>, DomainError> {
    let d = writable_demand(store, actor, id)?;
    demand::check_editable(&d)?;
    let province = d
        .requirements
        .residents_only
        .then_some(d.details.work_address.province);
    let listed: Vec<Tckn> = store
        .candidates_of(d.id)?
        .into_iter()
        .map(|c| c.tckn)
        .collect();
    let pool: Vec<JobSeeker> = store
        .match_pool(&d.occupation_code, province, MATCH_POOL)?
        .into_iter()
        .filter(|s| !listed.contains(&s.tckn))
        .collect();
    let ranked = eligibility::rank(pool, &d);
    let total = ranked.len() as u64;
    let items = ranked
        .into_iter()
        .skip(usize::try_from(page.offset()).unwrap_or(0))
        .take(usize::try_from(page.limit()).unwrap_or(15))
        .collect();
    Ok(Page::new(items, page, total))
}

/// Puts selected job seekers on the candidate list; each must be an active, suitable job
/// seeker not listed yet. All or nothing.
pub fn select_candidates(
    store: &mut impl DemandStore,
    actor: &Actor,
    id: LabourDemandId,
    tckns: &[Tckn],
    now: OffsetDateTime,
) -> Result<Vec<Candidate>, DomainError> {
    let d = writable_demand(store, actor, id)?;
    demand::check_editable(&d)?;
    if tckns.is_empty() || tckns.len() > 100 {
        return Err(DomainError::field(FieldError::new(
            "tckns",
            "candidate.selection_size",
            "Select between 1 and 100 job seekers at a time.",
        )));
    }
    let listed: Vec<Tckn> = store
        .candidates_of(d.id)?
        .into_iter()
        .map(|c| c.tckn)
        .collect();
    let mut errors = FieldErrors::new();
    let mut chosen: Vec<JobSeeker> = vec![];
    for (i, t) in tckns.iter().enumerate() {
        let field = format!("tckns[{i}]");
        if listed.contains(t) || chosen.iter().any(|s| s.tckn == *t) {
            errors.push(FieldError::new(
                field,
                "candidate.already_listed",
                "Already on this demand's candidate list.",
            ));
            continue;
        }
        match store.job_seeker(t)? {
            Some(s) if s.profile.active => {
                let unmet = eligibility::unmet_criteria(&s, &d);
                if unmet.is_empty() {
                    chosen.push(s);
                } else {
                    for u in unmet {
                        errors.push(FieldError::new(
                            format!("{field}.{}", u.field),
                            u.code,
                            u.message,
                        ));
                    }
                }
            }
            _ => errors.push(FieldError::new(
                field,
                "job_seeker.not_found",
                "No active job seeker with this TCKN.",
            )),
        }
    }
    errors.finish()?;
    let mut out = vec![];
    for s in chosen {
        let c = Candidate::new(
            d.id,
            s.tckn.clone(),
            s.full_name(),
            CandidateOrigin::Selected,
            now,
        );
        store.insert_candidate(&c)?;
        record(
            store,
            actor,
            "demand_candidate",
            c.id.to_string(),
            None,
            "selected",
            Some(format!("talep no {}", d.talep_no)),
            now,
        )?;
        out.push(c);
    }
    Ok(out)
}

/// Aday Gör: the demand's candidates, applied and selected, in listing order.
pub fn list_candidates(
    store: &mut impl DemandStore,
    actor: &Actor,
    id: LabourDemandId,
) -> Result<(LabourDemand, Vec<Candidate>), DomainError> {
    let d = readable_demand(store, actor, id)?;
    let list = store.candidates_of(d.id)?;
    Ok((d, list))
}

fn writable_candidate(
    store: &mut impl DemandStore,
    actor: &Actor,
    demand: LabourDemandId,
    id: DemandCandidateId,
) -> Result<(LabourDemand, Candidate), DomainError> {
    let d = writable_demand(store, actor, demand)?;
    let c = store
        .get_candidate(id)?
        .filter(|c| c.demand_id == d.id)
        .ok_or_else(candidate_not_found)?;
    Ok((d, c))
}

fn save_candidate(
    store: &mut impl DemandStore,
    c: &mut Candidate,
    expected: Option<i64>,
) -> Result<(), DomainError> {
    let stored = c.version;
    c.version = stored + 1;
    if expected.is_some_and(|e| e != stored) || !store.update_candidate(c, stored)? {
        return Err(DomainError::stale("candidate"));
    }
    Ok(())
}

/// Invites a candidate to an interview (the demand must be active).
#[allow(clippy::too_many_arguments)]
pub fn invite_candidate(
    store: &mut impl DemandStore,
    actor: &Actor,
    demand_id: LabourDemandId,
    id: DemandCandidateId,
    at: OffsetDateTime,
    place: Option<String>,
    expected: Option<i64>,
    now: OffsetDateTime,
) -> Result<Candidate, DomainError> {
    let (mut d, mut c) = writable_candidate(store, actor, demand_id, id)?;
    demand::check_editable(&d)?;
    let from = c.stage().as_str();
    candidate::invite(&mut c, at, place, now)?;
    save_candidate(store, &mut c, expected)?;
    if !d.invited_any {
        d.invited_any = true;
        d.updated_at = now;
        let v = d.version;
        save_demand(store, &mut d, v)?;
    }
    record(
        store,
        actor,
        "demand_candidate",
        c.id.to_string(),
        Some(from),
        "invited",
        Some(format!("interview at {at}")),
        now,
    )?;
    Ok(c)
}

/// Records the candidate's answer to the invitation.
pub fn answer_invitation(
    store: &mut impl DemandStore,
    actor: &Actor,
    demand_id: LabourDemandId,
    id: DemandCandidateId,
    answer: InvitationAnswer,
    expected: Option<i64>,
    now: OffsetDateTime,
) -> Result<Candidate, DomainError> {
    let (_, mut c) = writable_candidate(store, actor, demand_id, id)?;
    let from = c.stage().as_str();
    candidate::answer(&mut c, answer, now)?;
    save_candidate(store, &mut c, expected)?;
    record(
        store,
        actor,
        "demand_candidate",
        c.id.to_string(),
        Some(from),
        "answered",
        Some(answer.as_str().into()),
        now,
    )?;
    Ok(c)
}

/// Records the interview result; a hire counts toward the demand's worker count and
/// closes it as filled when the count is reached. Returns the candidate and the demand.
#[allow(clippy::too_many_arguments)]
pub fn record_result(
    store: &mut impl DemandStore,
    actor: &Actor,
    demand_id: LabourDemandId,
    id: DemandCandidateId,
    result: InterviewResult,
    note: Option<String>,
    expected: Option<i64>,
    now: OffsetDateTime,
) -> Result<(Candidate, LabourDemand), DomainError> {
    let (mut d, mut c) = writable_candidate(store, actor, demand_id, id)?;
    let from = c.stage().as_str();
    candidate::conclude(&mut c, result, note, now)?;
    if result == InterviewResult::Hired {
        let v = d.version;
        let closed = demand::record_hire(&mut d, now)?;
        save_demand(store, &mut d, v)?;
        if closed {
            record(
                store,
                actor,
                "labour_demand",
                d.id.to_string(),
                Some("active"),
                "closed",
                Some("filled".into()),
                now,
            )?;
        }
    }
    save_candidate(store, &mut c, expected)?;
    record(
        store,
        actor,
        "demand_candidate",
        c.id.to_string(),
        Some(from),
        "concluded",
        Some(result.as_str().into()),
        now,
    )?;
    Ok((c, d))
}

#[cfg(test)]
mod tests;
