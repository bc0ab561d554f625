//! Monthly workforce charts: the chart as one JSON document per row (written whole, so a
//! save is atomic), with the month-end counts the quota status needs as columns; the
//! dated quota rates.

use crate::convert::{from_db_time, parse_uuid, stored, to_db_time};
use crate::db::{lock_key, DbConnection, DbResultExt};
use crate::schema::{occupations, quota_rates, workforce_charts as wc, workplaces};
use diesel::prelude::*;
use kapi_core::{
    DomainError, EmployerId, HistoryEntry, HistoryLog, Page, PageRequest, ProvinceCode, Tckn,
    WorkforceChartId, WorkplaceId,
};
use kapi_workforce_chart::chart::{
    Category, Chart, Contract, Development, EmploymentIntentions, Gender, PersonMovement,
    PersonMovementKind, YearMonth,
};
use kapi_workforce_chart::charts::{ChartStore, StoredChart, WorkplaceRef};
use kapi_workforce_chart::quota::{EmployerSector, QuotaCategory, QuotaRate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::{Date, Month, PrimitiveDateTime};

#[derive(Serialize, Deserialize)]
struct DevDoc {
    category: String,
    gender: String,
    contract: String,
    previous: u32,
    hires: u32,
    leavers: u32,
    month_end: u32,
}

#[derive(Serialize, Deserialize)]
struct UndergroundDoc {
    gender: String,
    previous: u32,
    hires: u32,
    leavers: u32,
    month_end: u32,
}

#[derive(Serialize, Deserialize)]
struct PersonDoc {
    kind: String,
    tckn: String,
    full_name: String,
    date: String,
    occupation_code: String,
    reason: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct IntentionsDoc {
    joint_course_wish: bool,
    in_company_training_wish: bool,
    expected_change_next_month: i32,
    apprentices_needed_next_month: u32,
    mandatory_employment_preference: Option<String>,
}

/// The stored form of a chart (format version 1).
#[derive(Serialize, Deserialize)]
struct ChartDoc {
    development: Vec<DevDoc>,
    underground: Vec<UndergroundDoc>,
    people: Vec<PersonDoc>,
    occupations: Vec<(String, u32)>,
    exemptions: Vec<(String, u32)>,
    intentions: IntentionsDoc,
    hard_to_fill: Vec<(String, u32)>,
}

pub(crate) fn category_str(c: Category) -> &'static str {
    match c {
        Category::General => "general",
        Category::Disabled => "disabled",
        Category::ExConvict => "ex_convict",
        Category::TerrorVictim => "terror_victim",
    }
}
fn gender_str(g: Gender) -> &'static str {
    match g {
        Gender::Male => "male",
        Gender::Female => "female",
    }
}
fn contract_str(c: Contract) -> &'static str {
    match c {
        Contract::Indefinite => "indefinite",
        Contract::FixedTerm => "fixed_term",
        Contract::PartTime => "part_time",
    }
}
fn bad(what: &str, v: &str) -> DomainError {
    DomainError::internal(format!("stored chart has a bad {what}: {v}"))
}
fn category_of(s: &str) -> Result<Category, DomainError> {
    Ok(match s {
        "general" => Category::General,
        "disabled" => Category::Disabled,
        "ex_convict" => Category::ExConvict,
        "terror_victim" => Category::TerrorVictim,
        _ => return Err(bad("category", s)),
    })
}
fn gender_of(s: &str) -> Result<Gender, DomainError> {
    Ok(match s {
        "male" => Gender::Male,
        "female" => Gender::Female,
        _ => return Err(bad("gender", s)),
    })
}
fn contract_of(s: &str) -> Result<Contract, DomainError> {
    Ok(match s {
        "indefinite" => Contract::Indefinite,
        "fixed_term" => Contract::FixedTerm,
        "part_time" => Contract::PartTime,
        _ => return Err(bad("contract", s)),
    })
}

fn to_doc(c: &Chart) -> ChartDoc {
    ChartDoc {
        development: c
            .development
            .iter()
            .map(|((cat, g, k), d)| DevDoc {
                category: category_str(*cat).into(),
                gender: gender_str(*g).into(),
                contract: contract_str(*k).into(),
                previous: d.previous,
                hires: d.hires,
                leavers: d.leavers,
                month_end: d.month_end,
            })
            .collect(),
        underground: c
            .underground
            .iter()
            .map(|(g, d)| UndergroundDoc {
                gender: gender_str(*g).into(),
                previous: d.previous,
                hires: d.hires,
                leavers: d.leavers,
                month_end: d.month_end,
            })
            .collect(),
        people: c
            .people
            .iter()
            .map(|p| PersonDoc {
                kind: match p.kind {
                    PersonMovementKind::Hire => "hire".into(),
                    PersonMovementKind::Leave => "leave".into(),
                },
                tckn: p.tckn.as_str().into(),
                full_name: p.full_name.clone(),
                date: p.date.to_string(),
                occupation_code: p.occupation_code.clone(),
                reason: p.reason.clone(),
            })
            .collect(),
        occupations: c.occupations.iter().map(|(k, v)| (k.clone(), *v)).collect(),
        exemptions: c.exemptions.clone(),
        intentions: IntentionsDoc {
            joint_course_wish: c.intentions.joint_course_wish,
            in_company_training_wish: c.intentions.in_company_training_wish,
            expected_change_next_month: c.intentions.expected_change_next_month,
            apprentices_needed_next_month: c.intentions.apprentices_needed_next_month,
            mandatory_employment_preference: c.intentions.mandatory_employment_preference.clone(),
        },
        hard_to_fill: c.hard_to_fill.clone(),
    }
}

fn from_doc(month: YearMonth, d: ChartDoc) -> Result<Chart, DomainError> {
    let mut development = BTreeMap::new();
    for r in d.development {
        development.insert(
            (
                category_of(&r.category)?,
                gender_of(&r.gender)?,
                contract_of(&r.contract)?,
            ),
            Development {
                previous: r.previous,
                hires: r.hires,
                leavers: r.leavers,
                month_end: r.month_end,
            },
        );
    }
    let mut underground = BTreeMap::new();
    for r in d.underground {
        underground.insert(
            gender_of(&r.gender)?,
            Development {
                previous: r.previous,
                hires: r.hires,
                leavers: r.leavers,
                month_end: r.month_end,
            },
        );
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let people = d
        .people
        .into_iter()
        .map(|p| {
            Ok(PersonMovement {
                kind: match p.kind.as_str() {
                    "hire" => PersonMovementKind::Hire,
                    "leave" => PersonMovementKind::Leave,
                    other => return Err(bad("movement kind", other)),
                },
                tckn: stored("tckn", Tckn::parse(&p.tckn))?,
                full_name: p.full_name,
                date: Date::parse(&p.date, &format).map_err(|_| bad("date", &p.date))?,
                occupation_code: p.occupation_code,
                reason: p.reason,
            })
        })
        .collect::<Result<Vec<_>, DomainError>>()?;
    Ok(Chart {
        month,
        development,
        underground,
        people,
        occupations: d.occupations.into_iter().collect(),
        exemptions: d.exemptions,
        intentions: EmploymentIntentions {
            joint_course_wish: d.intentions.joint_course_wish,
            in_company_training_wish: d.intentions.in_company_training_wish,
            expected_change_next_month: d.intentions.expected_change_next_month,
            apprentices_needed_next_month: d.intentions.apprentices_needed_next_month,
            mandatory_employment_preference: d.intentions.mandatory_employment_preference,
        },
        hard_to_fill: d.hard_to_fill,
    })
}

/// A month as stored: `YYYY-MM`, which sorts in time order.
pub fn month_key(m: YearMonth) -> String {
    m.to_string()
}

fn month_of(s: &str) -> Result<YearMonth, DomainError> {
    let (y, m) = s.split_once('-').ok_or_else(|| bad("month", s))?;
    let year: i32 = y.parse().map_err(|_| bad("month", s))?;
    let m: u8 = m.parse().map_err(|_| bad("month", s))?;
    let month = Month::try_from(m).map_err(|_| bad("month", s))?;
    Ok(YearMonth { year, month })
}

#[derive(Queryable, Insertable)]
#[diesel(table_name = wc)]
struct ChartRow {
    id: String,
    workplace_id: String,
    employer_id: String,
    month: String,
    total_workers: i32,
    underground_workers: i32,
    disabled_workers: i32,
    ex_convict_workers: i32,
    terror_victim_workers: i32,
    document: String,
    version: i64,
    created_at: PrimitiveDateTime,
    updated_at: PrimitiveDateTime,
}

fn n(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

impl ChartRow {
    fn from_domain(c: &StoredChart) -> Result<Self, DomainError> {
        let ch = &c.chart;
        Ok(Self {
            id: c.id.to_string(),
            workplace_id: c.workplace_id.to_string(),
            employer_id: c.employer_id.to_string(),
            month: month_key(ch.month),
            total_workers: n(ch.month_end_total()),
            underground_workers: n(ch.underground_total()),
            disabled_workers: n(ch.month_end_of(Category::Disabled)),
            ex_convict_workers: n(ch.month_end_of(Category::ExConvict)),
            terror_victim_workers: n(ch.month_end_of(Category::TerrorVictim)),
            document: serde_json::to_string(&to_doc(ch))
                .map_err(|e| DomainError::internal(format!("chart document: {e}")))?,
            version: c.version,
            created_at: to_db_time(c.created_at),
            updated_at: to_db_time(c.updated_at),
        })
    }

    fn into_domain(self) -> Result<StoredChart, DomainError> {
        let doc: ChartDoc = serde_json::from_str(&self.document)
            .map_err(|e| DomainError::internal(format!("stored chart document: {e}")))?;
        Ok(StoredChart {
            id: WorkforceChartId::from_uuid(parse_uuid(&self.id)?),
            workplace_id: WorkplaceId::from_uuid(parse_uuid(&self.workplace_id)?),
            employer_id: EmployerId::from_uuid(parse_uuid(&self.employer_id)?),
            chart: from_doc(month_of(&self.month)?, doc)?,
            version: self.version,
            created_at: from_db_time(self.created_at),
            updated_at: from_db_time(self.updated_at),
        })
    }
}

/// Charts on a connection inside a transaction.
pub struct ChartRepo<'c> {
    conn: &'c mut DbConnection,
}

impl<'c> ChartRepo<'c> {
    pub fn new(conn: &'c mut DbConnection) -> Self {
        Self { conn }
    }
}

impl HistoryLog for ChartRepo<'_> {
    fn append(&mut self, entry: &HistoryEntry) -> Result<(), DomainError> {
        crate::history::append(self.conn, entry)
    }
    fn history(&mut self, kind: &str, id: &str) -> Result<Vec<HistoryEntry>, DomainError> {
        crate::history::load(self.conn, kind, id)
    }
}

impl ChartStore for ChartRepo<'_> {
    fn workplace(&mut self, id: WorkplaceId) -> Result<Option<WorkplaceRef>, DomainError> {
        Ok(
            crate::employers::load_workplace(self.conn, id)?.map(|w| WorkplaceRef {
                id: w.id,
                employer_id: w.employer_id,
                province: w.province,
            }),
        )
    }

    fn lock_workplace(&mut self, id: WorkplaceId) -> Result<(), DomainError> {
        lock_key(self.conn, &format!("workforce_chart:{id}"))
    }

    fn unknown_occupations(&mut self, codes: &[String]) -> Result<Vec<String>, DomainError> {
        unknown_occupations(self.conn, codes)
    }

    fn latest(
        &mut self,
        workplace: WorkplaceId,
        up_to: Option<YearMonth>,
    ) -> Result<Option<StoredChart>, DomainError> {
        let mut q = wc::table
            .filter(wc::workplace_id.eq(workplace.to_string()))
            .order(wc::month.desc())
            .into_boxed();
        if let Some(m) = up_to {
            q = q.filter(wc::month.le(month_key(m)));
        }
        let row: Option<ChartRow> = q.first(self.conn).optional().db()?;
        row.map(ChartRow::into_domain).transpose()
    }

    fn get(&mut self, id: WorkforceChartId) -> Result<Option<StoredChart>, DomainError> {
        let row: Option<ChartRow> = wc::table
            .find(id.to_string())
            .first(self.conn)
            .optional()
            .db()?;
        row.map(ChartRow::into_domain).transpose()
    }

    fn insert(&mut self, c: &StoredChart) -> Result<(), DomainError> {
        diesel::insert_into(wc::table)
            .values(ChartRow::from_domain(c)?)
            .execute(self.conn)
            .db()?;
        Ok(())
    }

    fn update(&mut self, c: &StoredChart, expected: i64) -> Result<bool, DomainError> {
        let r = ChartRow::from_domain(c)?;
        let changed = diesel::update(
            wc::table
                .filter(wc::id.eq(&r.id))
                .filter(wc::version.eq(expected)),
        )
        .set((
            wc::total_workers.eq(r.total_workers),
            wc::underground_workers.eq(r.underground_workers),
            wc::disabled_workers.eq(r.disabled_workers),
            wc::ex_convict_workers.eq(r.ex_convict_workers),
            wc::terror_victim_workers.eq(r.terror_victim_workers),
            wc::document.eq(&r.document),
            wc::version.eq(r.version),
            wc::updated_at.eq(r.updated_at),
        ))
        .execute(self.conn)
        .db()?;
        Ok(changed == 1)
    }

    fn page(
        &mut self,
        workplace: WorkplaceId,
        page: PageRequest,
    ) -> Result<Page<StoredChart>, DomainError> {
        let w = workplace.to_string();
        let total: i64 = wc::table
            .filter(wc::workplace_id.eq(&w))
            .count()
            .get_result(self.conn)
            .db()?;
        let rows: Vec<ChartRow> = wc::table
            .filter(wc::workplace_id.eq(&w))
            .order(wc::month.desc())
            .offset(page.offset())
            .limit(page.limit())
            .load(self.conn)
            .db()?;
        let items = rows
            .into_iter()
            .map(ChartRow::into_domain)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::new(items, page, total.max(0) as u64))
    }

    fn workplaces_in(
        &mut self,
        employer: EmployerId,
        province: ProvinceCode,
    ) -> Result<Vec<WorkplaceId>, DomainError> {
        let ids: Vec<String> = workplaces::table
            .filter(workplaces::employer_id.eq(employer.to_string()))
            .filter(workplaces::province_code.eq(i32::from(province.get())))
            .select(workplaces::id)
            .load(self.conn)
            .db()?;
        ids.iter()
            .map(|i| parse_uuid(i).map(WorkplaceId::from_uuid))
            .collect()
    }

    fn employer_sector(&mut self, employer: EmployerId) -> Result<EmployerSector, DomainError> {
        crate::employers::employer_sector(self.conn, employer)?
            .ok_or_else(|| DomainError::internal(format!("employer {employer} has no sector")))
    }

    fn quota_rates(&mut self) -> Result<Vec<QuotaRate>, DomainError> {
        load_quota_rates(self.conn)
    }
}

/// The codes among `codes` that are not in the occupation dictionary.
pub(crate) fn unknown_occupations(
    conn: &mut DbConnection,
    codes: &[String],
) -> Result<Vec<String>, DomainError> {
    let known: Vec<String> = occupations::table
        .filter(occupations::code.eq_any(codes))
        .select(occupations::code)
        .load(conn)
        .db()?;
    Ok(codes
        .iter()
        .filter(|c| !known.contains(c))
        .cloned()
        .collect())
}

/// The dated quota rates (Labour Law 4857 art. 30) as loaded by migration.
pub fn load_quota_rates(conn: &mut DbConnection) -> Result<Vec<QuotaRate>, DomainError> {
    type Row = (String, String, i32, Date, Option<Date>);
    let rows: Vec<Row> = quota_rates::table
        .select((
            quota_rates::sector,
            quota_rates::category,
            quota_rates::basis_points,
            quota_rates::valid_from,
            quota_rates::valid_until,
        ))
        .order((quota_rates::sector.asc(), quota_rates::valid_from.asc()))
        .load(conn)
        .db()?;
    rows.into_iter()
        .map(|(sector, category, bp, from, until)| {
            Ok(QuotaRate {
                sector: EmployerSector::parse(&sector).ok_or_else(|| bad("sector", &sector))?,
                category: match category.as_str() {
                    "disabled" => QuotaCategory::Disabled,
                    "ex_convict" => QuotaCategory::ExConvict,
                    "terror_victim" => QuotaCategory::TerrorVictim,
                    other => return Err(bad("quota category", other)),
                },
                basis_points: bp.max(0) as u32,
                valid_from: from,
                valid_until: until,
            })
        })
        .collect()
}
