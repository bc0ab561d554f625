//! The sector store (Açık Kapı çalışma sektörleri).

use crate::convert::{from_db_time, parse_uuid, stored, to_db_time};
use crate::db::{take_named_lock, DbConnection, DbResultExt};
use crate::schema::sectors::dsl as s;
use diesel::prelude::*;
use kapi_core::{DomainError, Page, PageRequest, SectorId};
use kapi_petitions::sector::{Sector, SectorName, SectorStore};
use time::PrimitiveDateTime;

#[derive(Queryable, Insertable, AsChangeset)]
#[diesel(table_name = crate::schema::sectors)]
struct SectorRow {
    id: String,
    name: String,
    search_key: String,
    position: i32,
    version: i64,
    created_at: PrimitiveDateTime,
    updated_at: PrimitiveDateTime,
}

impl SectorRow {
    fn from_domain(x: &Sector) -> Self {
        Self {
            id: x.id.to_string(),
            name: x.name.as_str().to_owned(),
            search_key: x.name.search_key(),
            position: x.position as i32,
            version: x.version,
            created_at: to_db_time(x.created_at),
            updated_at: to_db_time(x.updated_at),
        }
    }

    fn into_domain(self) -> Result<Sector, DomainError> {
        Ok(Sector {
            id: SectorId::from_uuid(parse_uuid(&self.id)?),
            name: stored("sector name", SectorName::parse(&self.name))?,
            position: self.position.max(0) as u32,
            version: self.version,
            created_at: from_db_time(self.created_at),
            updated_at: from_db_time(self.updated_at),
        })
    }
}

/// Sectors on a connection inside a transaction.
pub struct SectorRepo<'c> {
    conn: &'c mut DbConnection,
}

impl<'c> SectorRepo<'c> {
    pub fn new(conn: &'c mut DbConnection) -> Self {
        Self { conn }
    }
}

fn rows_to_domain(rows: Vec<SectorRow>) -> Result<Vec<Sector>, DomainError> {
    rows.into_iter().map(SectorRow::into_domain).collect()
}

impl kapi_core::HistoryLog for SectorRepo<'_> {
    fn append(&mut self, entry: &kapi_core::HistoryEntry) -> Result<(), DomainError> {
        crate::history::append(self.conn, entry)
    }
    fn history(
        &mut self,
        kind: &str,
        id: &str,
    ) -> Result<Vec<kapi_core::HistoryEntry>, DomainError> {
        crate::history::load(self.conn, kind, id)
    }
}

impl SectorStore for SectorRepo<'_> {
    fn lock_list(&mut self) -> Result<(), DomainError> {
        take_named_lock(self.conn, "sectors")
    }

    fn page(
        &mut self,
        folded_query: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<Sector>, DomainError> {
        let pattern = folded_query.map(kapi_core::fold::like_contains);
        let mut count = s::sectors.count().into_boxed();
        let mut q = s::sectors
            .order((s::position.asc(), s::id.asc()))
            .offset(page.offset())
            .limit(page.limit())
            .into_boxed();
        if let Some(p) = &pattern {
            count = count.filter(s::search_key.like(p.clone()).escape('\\'));
            q = q.filter(s::search_key.like(p.clone()).escape('\\'));
        }
        let total: i64 = count.get_result(self.conn).db()?;
        let rows: Vec<SectorRow> = q.load(self.conn).db()?;
        Ok(Page::new(rows_to_domain(rows)?, page, total.max(0) as u64))
    }

    fn all(&mut self) -> Result<Vec<Sector>, DomainError> {
        let rows: Vec<SectorRow> = s::sectors
            .order((s::position.asc(), s::id.asc()))
            .load(self.conn)
            .db()?;
        rows_to_domain(rows)
    }

    fn get(&mut self, id: SectorId) -> Result<Option<Sector>, DomainError> {
        let row: Option<SectorRow> = s::sectors
            .find(id.to_string())
            .first(self.conn)
            .optional()
            .db()?;
        row.map(SectorRow::into_domain).transpose()
    }

    fn find_by_key(&mut self, key: &str) -> Result<Option<Sector>, DomainError> {
        let row: Option<SectorRow> = s::sectors
            .filter(s::search_key.eq(key))
            .first(self.conn)
            .optional()
            .db()?;
        row.map(SectorRow::into_domain).transpose()
    }

    fn insert(&mut self, sector: &Sector) -> Result<(), DomainError> {
        diesel::insert_into(s::sectors)
            .values(SectorRow::from_domain(sector))
            .execute(self.conn)
            .db()?;
        Ok(())
    }

    fn update(&mut self, sector: &Sector, expected_version: i64) -> Result<bool, DomainError> {
        let row = SectorRow::from_domain(sector);
        let n = diesel::update(
            s::sectors
                .filter(s::id.eq(&row.id))
                .filter(s::version.eq(expected_version)),
        )
        .set((
            s::name.eq(&row.name),
            s::search_key.eq(&row.search_key),
            s::position.eq(row.position),
            s::version.eq(row.version),
            s::updated_at.eq(row.updated_at),
        ))
        .execute(self.conn)
        .db()?;
        Ok(n == 1)
    }

    fn delete(&mut self, id: SectorId, expected_version: i64) -> Result<bool, DomainError> {
        let n = diesel::delete(
            s::sectors
                .filter(s::id.eq(id.to_string()))
                .filter(s::version.eq(expected_version)),
        )
        .execute(self.conn)
        .db()?;
        Ok(n == 1)
    }

    /// A sector is in use when any petition names it (the foreign key refuses the delete
    /// too; this answers first, with the domain's 409).
    fn is_in_use(&mut self, id: SectorId) -> Result<bool, DomainError> {
        use crate::schema::petitions::dsl as p;
        diesel::select(diesel::dsl::exists(
            p::petitions.filter(p::sector_id.eq(id.to_string())),
        ))
        .get_result(self.conn)
        .db()
    }
}
