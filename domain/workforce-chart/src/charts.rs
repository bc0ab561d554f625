//! Workforce-chart and quota-status use cases with employer scoping.
//!
//! - A chart is saved **whole, in one request** (all six sections), so it is atomic: the
//!   first save of a month creates it, later saves replace it while it is the latest.
//! - Only a user of the owning employer with the workforce-chart permission (or its admin)
//!   creates and changes charts; İŞKUR staff read every chart; another employer's workplace
//!   or chart is "not found".
//! - Occupation codes in sections 2, 3 and 6 must exist in the occupation dictionary.
//! - The quota status of a month counts, for every workplace of the employer in the
//!   province, its chart for that month or — if it filed none — its latest earlier chart
//!   (the headcount carries over until a new chart changes it).

use crate::chart::{
    build_chart, check_editable, check_new_month, prefilled_occupations, Category, Chart,
    ChartInput, YearMonth,
};
use crate::quota::{quota_status, EmployerSector, QuotaRate, QuotaStatus, WorkplaceHeadcount};
use kapi_core::{
    Actor, DomainError, EmployerId, FieldError, FieldErrors, HistoryEntry, HistoryLog, Page,
    PageRequest, ProvinceCode, WorkforceChartId, WorkplaceId,
};
use time::{Date, OffsetDateTime};

/// What the chart use cases need to know of a workplace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkplaceRef {
    pub id: WorkplaceId,
    pub employer_id: EmployerId,
    pub province: ProvinceCode,
}

/// A chart as stored, with its owner and version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredChart {
    pub id: WorkforceChartId,
    pub workplace_id: WorkplaceId,
    pub employer_id: EmployerId,
    pub chart: Chart,
    pub version: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl StoredChart {
    pub fn headcount(&self, province: ProvinceCode) -> WorkplaceHeadcount {
        WorkplaceHeadcount {
            workplace_id: self.workplace_id,
            province,
            total: self.chart.month_end_total(),
            underground: self.chart.underground_total(),
            disabled: self.chart.month_end_of(Category::Disabled),
            ex_convict: self.chart.month_end_of(Category::ExConvict),
            terror_victim: self.chart.month_end_of(Category::TerrorVictim),
        }
    }
}

/// What the use cases need from outside.
pub trait ChartStore: HistoryLog {
    fn workplace(&mut self, id: WorkplaceId) -> Result<Option<WorkplaceRef>, DomainError>;
    /// Serialises chart saves of one workplace (sequence check then insert).
    fn lock_workplace(&mut self, id: WorkplaceId) -> Result<(), DomainError>;
    /// The codes among `codes` that are not in the occupation dictionary.
    fn unknown_occupations(&mut self, codes: &[String]) -> Result<Vec<String>, DomainError>;
    /// The workplace's latest chart at or before `month` (the latest of all when `None`).
    fn latest(
        &mut self,
        workplace: WorkplaceId,
        up_to: Option<YearMonth>,
    ) -> Result<Option<StoredChart>, DomainError>;
    fn get(&mut self, id: WorkforceChartId) -> Result<Option<StoredChart>, DomainError>;
    fn insert(&mut self, c: &StoredChart) -> Result<(), DomainError>;
    fn update(&mut self, c: &StoredChart, expected: i64) -> Result<bool, DomainError>;
    /// The workplace's charts, newest month first.
    fn page(
        &mut self,
        workplace: WorkplaceId,
        page: PageRequest,
    ) -> Result<Page<StoredChart>, DomainError>;
    /// The employer's workplaces in a province.
    fn workplaces_in(
        &mut self,
        employer: EmployerId,
        province: ProvinceCode,
    ) -> Result<Vec<WorkplaceId>, DomainError>;
    fn employer_sector(&mut self, employer: EmployerId) -> Result<EmployerSector, DomainError>;
    fn quota_rates(&mut self) -> Result<Vec<QuotaRate>, DomainError>;
}

fn workplace_not_found() -> DomainError {
    DomainError::not_found("workplace.not_found", "No such workplace.")
}

fn chart_not_found() -> DomainError {
    DomainError::not_found("chart.not_found", "No such workforce chart.")
}

/// The workplace, if `actor` may read its charts: İŞKUR staff, or a user of the owning
/// employer with the workforce-chart permission (or its admin).
fn readable_workplace(
    store: &mut impl ChartStore,
    actor: &Actor,
    id: WorkplaceId,
) -> Result<WorkplaceRef, DomainError> {
    let scope = chart_reader(actor)?;
    store
        .workplace(id)?
        .filter(|w| scope.is_none_or(|e| e == w.employer_id))
        .ok_or_else(workplace_not_found)
}

/// `None` for İŞKUR staff (every employer), else the employer whose charts `actor` reads.
fn chart_reader(actor: &Actor) -> Result<Option<EmployerId>, DomainError> {
    match actor {
        Actor::IskurStaff { .. } => Ok(None),
        Actor::EmployerUser {
            employer_id,
            permissions,
            ..
        } if permissions.admin || permissions.workforce_chart => Ok(Some(*employer_id)),
        Actor::EmployerUser { .. } => Err(DomainError::forbidden(
            "chart.permission_missing",
            "Your user has no workforce-chart permission.",
        )),
        _ => Err(DomainError::forbidden(
            "chart.not_allowed",
            "Only employers' users and İŞKUR staff see workforce charts.",
        )),
    }
}

/// Refuses a caller who may not change any chart (403 by kind or permission), before any
/// record is looked up: the answer never depends on whether the record exists.
fn chart_writer(actor: &Actor) -> Result<(), DomainError> {
    if !matches!(actor, Actor::EmployerUser { .. }) {
        return Err(DomainError::forbidden(
            "chart.employers_only",
            "Only an employer's users enter workforce charts.",
        ));
    }
    chart_reader(actor).map(|_| ())
}

/// The workplace, if `actor` may change its charts.
fn writable_workplace(
    store: &mut impl ChartStore,
    actor: &Actor,
    id: WorkplaceId,
) -> Result<WorkplaceRef, DomainError> {
    chart_writer(actor)?;
    readable_workplace(store, actor, id)
}

fn check_occupations(store: &mut impl ChartStore, input: &ChartInput) -> Result<(), DomainError> {
    let mut codes: Vec<(String, String)> = Vec::new();
    for (i, p) in input.people.iter().enumerate() {
        codes.push((
            format!("details[{i}].occupation_code"),
            p.occupation_code.clone(),
        ));
    }
    for (i, (c, _)) in input.occupations.iter().enumerate() {
        codes.push((format!("occupations[{i}].occupation_code"), c.clone()));
    }
    for (i, (c, _)) in input.hard_to_fill.iter().enumerate() {
        codes.push((format!("hard_to_fill[{i}].occupation_code"), c.clone()));
    }
    if codes.is_empty() {
        return Ok(());
    }
    let mut distinct: Vec<String> = codes.iter().map(|(_, c)| c.clone()).collect();
    distinct.sort();
    distinct.dedup();
    let unknown = store.unknown_occupations(&distinct)?;
    let mut errors = FieldErrors::new();
    for (field, code) in codes {
        if unknown.contains(&code) {
            errors.push(FieldError::new(
                field,
                "chart.unknown_occupation",
                format!("{code} is not in the occupation dictionary."),
            ));
        }
    }
    errors.finish()
}

fn record(
    store: &mut impl ChartStore,
    actor: &Actor,
    c: &StoredChart,
    from: Option<&str>,
    note: String,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    store.append(&HistoryEntry {
        resource_kind: "workforce_chart".into(),
        resource_id: c.id.to_string(),
        at: now,
        actor: actor.audit_label(),
        from_state: from.map(str::to_owned),
        to_state: "saved".into(),
        note: Some(note),
    })
}

/// Saves the chart of a new month: the month after the latest chart (any month up to the
/// current one for the first chart).
pub fn create_chart(
    store: &mut impl ChartStore,
    actor: &Actor,
    workplace: WorkplaceId,
    month: YearMonth,
    input: ChartInput,
    now: OffsetDateTime,
) -> Result<StoredChart, DomainError> {
    let w = writable_workplace(store, actor, workplace)?;
    store.lock_workplace(workplace)?;
    let latest = store.latest(workplace, None)?;
    check_new_month(latest.as_ref().map(|l| l.chart.month), month, now)?;
    check_occupations(store, &input)?;
    let chart = build_chart(latest.as_ref().map(|l| &l.chart), month, input)?;
    let stored = StoredChart {
        id: WorkforceChartId::new(),
        workplace_id: workplace,
        employer_id: w.employer_id,
        chart,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    store.insert(&stored)?;
    record(
        store,
        actor,
        &stored,
        None,
        format!(
            "{}: {} çalışan",
            stored.chart.month,
            stored.chart.month_end_total()
        ),
        now,
    )?;
    Ok(stored)
}

/// Replaces the latest chart's sections (If-Match honoured); older charts are read-only.
pub fn update_chart(
    store: &mut impl ChartStore,
    actor: &Actor,
    id: WorkforceChartId,
    month: Option<YearMonth>,
    input: ChartInput,
    if_match: Option<i64>,
    now: OffsetDateTime,
) -> Result<StoredChart, DomainError> {
    // Who may write is decided before the chart is looked up (no existence oracle).
    chart_writer(actor)?;
    let current = store.get(id)?.ok_or_else(chart_not_found)?;
    writable_workplace(store, actor, current.workplace_id).map_err(|e| {
        if e.kind == kapi_core::ErrorKind::NotFound {
            chart_not_found()
        } else {
            e
        }
    })?;
    store.lock_workplace(current.workplace_id)?;
    let latest = store
        .latest(current.workplace_id, None)?
        .ok_or_else(chart_not_found)?;
    check_editable(latest.chart.month, current.chart.month)?;
    if month.is_some_and(|m| m != current.chart.month) {
        return Err(DomainError::field(FieldError::new(
            "month",
            "chart.month_immutable",
            format!(
                "This is the chart of {}; its month does not change.",
                current.chart.month
            ),
        )));
    }
    if if_match.is_some_and(|v| v != current.version) {
        return Err(DomainError::stale("workforce chart"));
    }
    check_occupations(store, &input)?;
    let month = current.chart.month;
    let previous_month = previous_month(month);
    let previous = match previous_month {
        Some(pm) => store.latest(current.workplace_id, Some(pm))?,
        None => None,
    };
    let chart = build_chart(previous.as_ref().map(|p| &p.chart), month, input)?;
    let next = StoredChart {
        chart,
        version: current.version + 1,
        updated_at: now,
        ..current.clone()
    };
    if !store.update(&next, current.version)? {
        return Err(DomainError::stale("workforce chart"));
    }
    record(
        store,
        actor,
        &next,
        Some("saved"),
        format!(
            "{}: {} → {} çalışan",
            month,
            current.chart.month_end_total(),
            next.chart.month_end_total()
        ),
        now,
    )?;
    Ok(next)
}

fn previous_month(m: YearMonth) -> Option<YearMonth> {
    let first = Date::from_calendar_date(m.year, m.month, 1).ok()?;
    first.previous_day().map(YearMonth::of)
}

/// One chart, with whether it is still the latest (editable) one.
pub fn get_chart(
    store: &mut impl ChartStore,
    actor: &Actor,
    id: WorkforceChartId,
) -> Result<(StoredChart, bool), DomainError> {
    // Who may read is decided before the chart is looked up (no existence oracle).
    chart_reader(actor)?;
    let c = store.get(id)?.ok_or_else(chart_not_found)?;
    readable_workplace(store, actor, c.workplace_id).map_err(|e| {
        if e.kind == kapi_core::ErrorKind::NotFound {
            chart_not_found()
        } else {
            e
        }
    })?;
    let latest = store.latest(c.workplace_id, None)?;
    let is_latest = latest.is_some_and(|l| l.id == c.id);
    Ok((c, is_latest))
}

/// The workplace's charts, newest first, each with whether it is the latest (editable) one.
pub fn list_charts(
    store: &mut impl ChartStore,
    actor: &Actor,
    workplace: WorkplaceId,
    page: PageRequest,
) -> Result<Page<(StoredChart, bool)>, DomainError> {
    readable_workplace(store, actor, workplace)?;
    let latest = store.latest(workplace, None)?.map(|l| l.id);
    Ok(store.page(workplace, page)?.map(|c| {
        let is_latest = Some(c.id) == latest;
        (c, is_latest)
    }))
}

/// What the "new chart" screen starts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewChartTemplate {
    /// The month the new chart must be for (`None` for the first: any month up to now).
    pub month: Option<YearMonth>,
    /// The latest chart, whose month-end counts become the new chart's previous counts.
    pub previous: Option<Chart>,
    /// Section 3 pre-filled from the latest chart.
    pub occupations: Vec<(String, u32)>,
}

/// The next chart's month, carried counts and pre-filled occupations.
pub fn new_chart_template(
    store: &mut impl ChartStore,
    actor: &Actor,
    workplace: WorkplaceId,
) -> Result<NewChartTemplate, DomainError> {
    readable_workplace(store, actor, workplace)?;
    let latest = store.latest(workplace, None)?.map(|l| l.chart);
    Ok(NewChartTemplate {
        month: latest.as_ref().map(|l| l.month.next()),
        occupations: prefilled_occupations(latest.as_ref()),
        previous: latest,
    })
}

/// The quota status (kontenjan durumu) of the workplace's employer in the workplace's
/// province for `month`.
pub fn quota_status_for(
    store: &mut impl ChartStore,
    actor: &Actor,
    workplace: WorkplaceId,
    month: YearMonth,
) -> Result<QuotaStatus, DomainError> {
    let w = readable_workplace(store, actor, workplace)?;
    let sector = store.employer_sector(w.employer_id)?;
    let mut headcounts = Vec::new();
    for id in store.workplaces_in(w.employer_id, w.province)? {
        if let Some(c) = store.latest(id, Some(month))? {
            headcounts.push(c.headcount(w.province));
        }
    }
    let rates = store.quota_rates()?;
    let first = Date::from_calendar_date(month.year, month.month, 1)
        .map_err(|e| DomainError::internal(format!("month {month}: {e}")))?;
    Ok(quota_status(sector, w.province, first, &headcounts, &rates))
}

/// Reads a bulk personnel form for the workplace's chart of `month`: the writer's
/// permission, the rows ([`crate::personnel_form`]) and their occupation codes.
pub fn check_personnel_form(
    store: &mut impl ChartStore,
    actor: &Actor,
    workplace: WorkplaceId,
    month: YearMonth,
    text: &str,
) -> Result<Vec<crate::chart::PersonMovement>, DomainError> {
    writable_workplace(store, actor, workplace)?;
    let people = crate::personnel_form::parse_personnel_form(text, month)?;
    check_occupations(
        store,
        &ChartInput {
            people: people.clone(),
            ..ChartInput::default()
        },
    )?;
    Ok(people)
}

#[cfg(test)]
mod tests;
