//! Annual surveys (genel anket): one JSON document per row.

use crate::convert::{from_db_time, parse_uuid, to_db_time};
use crate::db::{DbConnection, DbResultExt};
use crate::schema::{annual_surveys as s, workplaces};
use diesel::prelude::*;
use kapi_core::{
    DomainError, EmployerId, HistoryEntry, HistoryLog, Page, PageRequest, SurveyId, WorkplaceId,
};
use kapi_labour_demand::workplace::WorkplaceKind;
use kapi_workforce_chart::annual_survey::{Survey, SurveyContent, SurveyStore, SurveyWorkplace};
use serde::{Deserialize, Serialize};
use time::PrimitiveDateTime;

#[derive(Serialize, Deserialize)]
struct SurveyDoc {
    covered_workplaces: Vec<String>,
    previous_year_average_workforce: u32,
    previous_year_hires: u32,
    previous_year_leavers: u32,
    expected_workforce_next_year: u32,
    expected_hires: Vec<(String, u32)>,
    hard_to_fill: Vec<(String, u32)>,
    training_needs: Vec<String>,
    notes: Option<String>,
}

#[derive(Queryable, Insertable)]
#[diesel(table_name = s)]
struct SurveyRow {
    id: String,
    workplace_id: String,
    employer_id: String,
    survey_year: i32,
    document: String,
    version: i64,
    created_at: PrimitiveDateTime,
    updated_at: PrimitiveDateTime,
}

impl SurveyRow {
    fn from_domain(x: &Survey) -> Result<Self, DomainError> {
        let c = &x.content;
        let doc = SurveyDoc {
            covered_workplaces: x.covered_workplaces.iter().map(|w| w.to_string()).collect(),
            previous_year_average_workforce: c.previous_year_average_workforce,
            previous_year_hires: c.previous_year_hires,
            previous_year_leavers: c.previous_year_leavers,
            expected_workforce_next_year: c.expected_workforce_next_year,
            expected_hires: c.expected_hires.clone(),
            hard_to_fill: c.hard_to_fill.clone(),
            training_needs: c.training_needs.clone(),
            notes: c.notes.clone(),
        };
        Ok(Self {
            id: x.id.to_string(),
            workplace_id: x.workplace_id.to_string(),
            employer_id: x.employer_id.to_string(),
            survey_year: x.year,
            document: serde_json::to_string(&doc)
                .map_err(|e| DomainError::internal(format!("survey document: {e}")))?,
            version: x.version,
            created_at: to_db_time(x.created_at),
            updated_at: to_db_time(x.updated_at),
        })
    }

    fn into_domain(self) -> Result<Survey, DomainError> {
        let d: SurveyDoc = serde_json::from_str(&self.document)
            .map_err(|e| DomainError::internal(format!("stored survey document: {e}")))?;
        Ok(Survey {
            id: SurveyId::from_uuid(parse_uuid(&self.id)?),
            workplace_id: WorkplaceId::from_uuid(parse_uuid(&self.workplace_id)?),
            employer_id: EmployerId::from_uuid(parse_uuid(&self.employer_id)?),
            year: self.survey_year,
            covered_workplaces: d
                .covered_workplaces
                .iter()
                .map(|w| parse_uuid(w).map(WorkplaceId::from_uuid))
                .collect::<Result<_, _>>()?,
            content: SurveyContent {
                previous_year_average_workforce: d.previous_year_average_workforce,
                previous_year_hires: d.previous_year_hires,
                previous_year_leavers: d.previous_year_leavers,
                expected_workforce_next_year: d.expected_workforce_next_year,
                expected_hires: d.expected_hires,
                hard_to_fill: d.hard_to_fill,
                training_needs: d.training_needs,
                notes: d.notes,
            },
            version: self.version,
            created_at: from_db_time(self.created_at),
            updated_at: from_db_time(self.updated_at),
        })
    }
}

/// Surveys on a connection inside a transaction.
pub struct SurveyRepo<'c> {
    conn: &'c mut DbConnection,
}

impl<'c> SurveyRepo<'c> {
    pub fn new(conn: &'c mut DbConnection) -> Self {
        Self { conn }
    }
}

impl HistoryLog for SurveyRepo<'_> {
    fn append(&mut self, entry: &HistoryEntry) -> Result<(), DomainError> {
        crate::history::append(self.conn, entry)
    }
    fn history(&mut self, kind: &str, id: &str) -> Result<Vec<HistoryEntry>, DomainError> {
        crate::history::load(self.conn, kind, id)
    }
}

impl SurveyStore for SurveyRepo<'_> {
    fn workplace(&mut self, id: WorkplaceId) -> Result<Option<SurveyWorkplace>, DomainError> {
        Ok(
            crate::employers::load_workplace(self.conn, id)?.map(|w| SurveyWorkplace {
                id: w.id,
                employer_id: w.employer_id,
                is_head_office: w.kind == WorkplaceKind::HeadOffice,
            }),
        )
    }

    fn branches_of(&mut self, head: WorkplaceId) -> Result<Vec<WorkplaceId>, DomainError> {
        let ids: Vec<String> = workplaces::table
            .filter(workplaces::head_office_id.eq(head.to_string()))
            .order(workplaces::id.asc())
            .select(workplaces::id)
            .load(self.conn)
            .db()?;
        ids.iter()
            .map(|i| parse_uuid(i).map(WorkplaceId::from_uuid))
            .collect()
    }

    fn unknown_occupations(&mut self, codes: &[String]) -> Result<Vec<String>, DomainError> {
        crate::workforce_charts::unknown_occupations(self.conn, codes)
    }

    fn find(&mut self, workplace: WorkplaceId, year: i32) -> Result<Option<Survey>, DomainError> {
        let row: Option<SurveyRow> = s::table
            .filter(s::workplace_id.eq(workplace.to_string()))
            .filter(s::survey_year.eq(year))
            .first(self.conn)
            .optional()
            .db()?;
        row.map(SurveyRow::into_domain).transpose()
    }

    fn get(&mut self, id: SurveyId) -> Result<Option<Survey>, DomainError> {
        let row: Option<SurveyRow> = s::table
            .find(id.to_string())
            .first(self.conn)
            .optional()
            .db()?;
        row.map(SurveyRow::into_domain).transpose()
    }

    fn insert(&mut self, x: &Survey) -> Result<(), DomainError> {
        diesel::insert_into(s::table)
            .values(SurveyRow::from_domain(x)?)
            .execute(self.conn)
            .db()?;
        Ok(())
    }

    fn update(&mut self, x: &Survey, expected: i64) -> Result<bool, DomainError> {
        let r = SurveyRow::from_domain(x)?;
        let n = diesel::update(
            s::table
                .filter(s::id.eq(&r.id))
                .filter(s::version.eq(expected)),
        )
        .set((
            s::document.eq(&r.document),
            s::version.eq(r.version),
            s::updated_at.eq(r.updated_at),
        ))
        .execute(self.conn)
        .db()?;
        Ok(n == 1)
    }

    fn page(
        &mut self,
        employer: Option<EmployerId>,
        year: Option<i32>,
        page: PageRequest,
    ) -> Result<Page<Survey>, DomainError> {
        let mut count = s::table.count().into_boxed();
        let mut q = s::table
            .order((s::survey_year.desc(), s::id.desc()))
            .offset(page.offset())
            .limit(page.limit())
            .into_boxed();
        if let Some(e) = employer {
            count = count.filter(s::employer_id.eq(e.to_string()));
            q = q.filter(s::employer_id.eq(e.to_string()));
        }
        if let Some(y) = year {
            count = count.filter(s::survey_year.eq(y));
            q = q.filter(s::survey_year.eq(y));
        }
        let total: i64 = count.get_result(self.conn).db()?;
        let rows: Vec<SurveyRow> = q.load(self.conn).db()?;
        let items = rows
            .into_iter()
            .map(SurveyRow::into_domain)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::new(items, page, total.max(0) as u64))
    }
}
