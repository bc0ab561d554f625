//! Mass-layoff notices (toplu işten çıkarma) and their per-workplace details.

use crate::convert::{parse_uuid, to_db_time};
use crate::db::{DbConnection, DbResultExt};
use crate::schema::{mass_layoff_details as d, mass_layoffs as m, workforce_charts, workplaces};
use diesel::prelude::*;
use kapi_core::{
    DomainError, EmployerId, HistoryEntry, HistoryLog, Page, PageRequest, WorkplaceId,
};
use kapi_mass_layoff::notice::{LayoffDetail, LayoffNotice};
use kapi_mass_layoff::usecases::{MassLayoffStore, StoredNotice};
use time::{Date, OffsetDateTime, PrimitiveDateTime};
use uuid::Uuid;

#[derive(Queryable, Insertable)]
#[diesel(table_name = m)]
struct NoticeRow {
    id: String,
    employer_id: String,
    notification_date: Date,
    layoff_date: Date,
    reason: String,
    total_men: i32,
    total_women: i32,
    version: i64,
    created_at: PrimitiveDateTime,
    updated_at: PrimitiveDateTime,
}

#[derive(Queryable, Insertable)]
#[diesel(table_name = d)]
struct DetailRow {
    mass_layoff_id: String,
    position: i32,
    workplace_id: String,
    men: i32,
    women: i32,
}

fn count(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// Notices on a connection inside a transaction; `now` stamps created/updated.
pub struct MassLayoffRepo<'c> {
    conn: &'c mut DbConnection,
    now: OffsetDateTime,
}

impl<'c> MassLayoffRepo<'c> {
    pub fn new(conn: &'c mut DbConnection, now: OffsetDateTime) -> Self {
        Self { conn, now }
    }

    fn write_details(&mut self, n: &StoredNotice) -> Result<(), DomainError> {
        let id = n.id.to_string();
        diesel::delete(d::table.filter(d::mass_layoff_id.eq(&id)))
            .execute(self.conn)
            .db()?;
        let rows: Vec<DetailRow> = n
            .notice
            .details
            .iter()
            .enumerate()
            .map(|(i, x)| DetailRow {
                mass_layoff_id: id.clone(),
                position: i as i32,
                workplace_id: x.workplace_id.to_string(),
                men: count(x.men),
                women: count(x.women),
            })
            .collect();
        for r in rows {
            diesel::insert_into(d::table)
                .values(r)
                .execute(self.conn)
                .db()?;
        }
        Ok(())
    }

    fn assemble(&mut self, rows: Vec<NoticeRow>) -> Result<Vec<StoredNotice>, DomainError> {
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let details: Vec<DetailRow> = d::table
            .filter(d::mass_layoff_id.eq_any(&ids))
            .order((d::mass_layoff_id.asc(), d::position.asc()))
            .load(self.conn)
            .db()?;
        rows.into_iter()
            .map(|r| {
                let mine = details
                    .iter()
                    .filter(|x| x.mass_layoff_id == r.id)
                    .map(|x| {
                        Ok(LayoffDetail {
                            workplace_id: WorkplaceId::from_uuid(parse_uuid(&x.workplace_id)?),
                            men: x.men.max(0) as u32,
                            women: x.women.max(0) as u32,
                        })
                    })
                    .collect::<Result<Vec<_>, DomainError>>()?;
                Ok(StoredNotice {
                    id: parse_uuid(&r.id)?,
                    employer_id: EmployerId::from_uuid(parse_uuid(&r.employer_id)?),
                    notice: LayoffNotice {
                        notification_date: r.notification_date,
                        layoff_date: r.layoff_date,
                        reason: r.reason,
                        details: mine,
                    },
                    version: r.version,
                })
            })
            .collect()
    }
}

/// The month-end headcount of the workplace's latest workforce chart.
pub(crate) fn latest_headcount(
    conn: &mut DbConnection,
    workplace: WorkplaceId,
) -> Result<Option<u32>, DomainError> {
    let n: Option<i32> = workforce_charts::table
        .filter(workforce_charts::workplace_id.eq(workplace.to_string()))
        .order(workforce_charts::month.desc())
        .select(workforce_charts::total_workers)
        .first(conn)
        .optional()
        .db()?;
    Ok(n.map(|n| n.max(0) as u32))
}

impl HistoryLog for MassLayoffRepo<'_> {
    fn append(&mut self, entry: &HistoryEntry) -> Result<(), DomainError> {
        crate::history::append(self.conn, entry)
    }
    fn history(&mut self, kind: &str, id: &str) -> Result<Vec<HistoryEntry>, DomainError> {
        crate::history::load(self.conn, kind, id)
    }
}

impl MassLayoffStore for MassLayoffRepo<'_> {
    fn employer_workplaces(
        &mut self,
        employer: EmployerId,
    ) -> Result<Vec<WorkplaceId>, DomainError> {
        let ids: Vec<String> = workplaces::table
            .filter(workplaces::employer_id.eq(employer.to_string()))
            .select(workplaces::id)
            .load(self.conn)
            .db()?;
        ids.iter()
            .map(|i| parse_uuid(i).map(WorkplaceId::from_uuid))
            .collect()
    }

    fn latest_workforce(&mut self, workplace: WorkplaceId) -> Result<Option<u32>, DomainError> {
        latest_headcount(self.conn, workplace)
    }

    fn insert(&mut self, n: &StoredNotice) -> Result<(), DomainError> {
        let now = to_db_time(self.now);
        diesel::insert_into(m::table)
            .values(NoticeRow {
                id: n.id.to_string(),
                employer_id: n.employer_id.to_string(),
                notification_date: n.notice.notification_date,
                layoff_date: n.notice.layoff_date,
                reason: n.notice.reason.clone(),
                total_men: count(n.notice.total_men()),
                total_women: count(n.notice.total_women()),
                version: n.version,
                created_at: now,
                updated_at: now,
            })
            .execute(self.conn)
            .db()?;
        self.write_details(n)
    }

    fn get(&mut self, id: Uuid) -> Result<Option<StoredNotice>, DomainError> {
        let row: Option<NoticeRow> = m::table
            .find(id.to_string())
            .first(self.conn)
            .optional()
            .db()?;
        Ok(self.assemble(row.into_iter().collect())?.pop())
    }

    fn update(&mut self, n: &StoredNotice, expected: i64) -> Result<bool, DomainError> {
        let changed = diesel::update(
            m::table
                .filter(m::id.eq(n.id.to_string()))
                .filter(m::version.eq(expected)),
        )
        .set((
            m::layoff_date.eq(n.notice.layoff_date),
            m::reason.eq(&n.notice.reason),
            m::total_men.eq(count(n.notice.total_men())),
            m::total_women.eq(count(n.notice.total_women())),
            m::version.eq(n.version),
            m::updated_at.eq(to_db_time(self.now)),
        ))
        .execute(self.conn)
        .db()?;
        if changed != 1 {
            return Ok(false);
        }
        self.write_details(n)?;
        Ok(true)
    }

    fn page(
        &mut self,
        employer: Option<EmployerId>,
        page: PageRequest,
    ) -> Result<Page<StoredNotice>, DomainError> {
        let mut total_q = m::table.count().into_boxed();
        let mut q = m::table
            .order((m::created_at.desc(), m::id.desc()))
            .offset(page.offset())
            .limit(page.limit())
            .into_boxed();
        if let Some(e) = employer {
            total_q = total_q.filter(m::employer_id.eq(e.to_string()));
            q = q.filter(m::employer_id.eq(e.to_string()));
        }
        let total: i64 = total_q.get_result(self.conn).db()?;
        let rows: Vec<NoticeRow> = q.load(self.conn).db()?;
        let items = self.assemble(rows)?;
        Ok(Page::new(items, page, total.max(0) as u64))
    }
}
