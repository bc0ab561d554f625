//! Kariyer Kapısı postings: one row per posting with what the public search filters by
//! (status, window, institution, the folded keyword text) and the whole posting
//! (sub-postings, stages, approvals) as a JSON document; one row per sub-posting
//! (`posting_positions`) for the position filters, rewritten on every save.
//!
//! [`load_posting`] and [`save_posting`] are free functions so that other stores (the
//! applications' store approves stages and publishes placements) change a posting through
//! the same code, with the same version check.

use crate::convert::{stored, to_db_time};
use crate::db::{take_named_lock, DbConnection, DbResultExt};
use crate::schema::{
    education_levels, institutions, named_locks, posting_positions as pp, postings as p,
};
use diesel::prelude::*;
use diesel::sql_types::Bool;
use kapi_core::{
    like_contains, search_fold, DomainError, HistoryEntry, HistoryLog, InstitutionId, Page,
    PageRequest, PostingId,
};
use kapi_postings::posting::{Posting, PostingReference, PostingStatus};
use kapi_postings::usecases::{PostingQuery, PostingStore, View};
use time::{OffsetDateTime, PrimitiveDateTime};

#[derive(Queryable, Insertable)]
#[diesel(table_name = p)]
struct PostingRow {
    id: String,
    posting_no: i64,
    institution_id: String,
    status: String,
    starts_on: time::Date,
    ends_on: time::Date,
    search_key: String,
    document: String,
    version: i64,
    created_at: PrimitiveDateTime,
    updated_at: PrimitiveDateTime,
}

fn row_of(x: &Posting, now: OffsetDateTime) -> Result<PostingRow, DomainError> {
    Ok(PostingRow {
        id: x.id.to_string(),
        posting_no: x.posting_no,
        institution_id: x.institution_id.to_string(),
        status: x.status.as_str().to_owned(),
        starts_on: x.starts_on,
        ends_on: x.ends_on,
        search_key: x.keyword_text(),
        document: serde_json::to_string(x)
            .map_err(|e| DomainError::internal(format!("posting document: {e}")))?,
        version: x.version,
        created_at: to_db_time(x.created_at),
        updated_at: to_db_time(now),
    })
}

fn posting_of(r: PostingRow) -> Result<Posting, DomainError> {
    let mut x: Posting = stored("posting document", serde_json::from_str(&r.document))?;
    x.version = r.version;
    Ok(x)
}

/// Rewrites the posting's search rows, one per sub-posting.
fn write_positions(conn: &mut DbConnection, x: &Posting) -> Result<(), DomainError> {
    let id = x.id.to_string();
    diesel::delete(pp::table.filter(pp::posting_id.eq(&id)))
        .execute(conn)
        .db()?;
    for s in &x.sub_postings {
        diesel::insert_into(pp::table)
            .values((
                pp::posting_id.eq(&id),
                pp::no.eq(i32::try_from(s.no).unwrap_or(i32::MAX)),
                pp::province_code.eq(i32::from(s.province.get())),
                pp::education_level.eq(&s.education_level),
                pp::employment_type.eq(s.employment_type.as_str()),
                pp::title_key.eq(search_fold(&s.title)),
            ))
            .execute(conn)
            .db()?;
    }
    Ok(())
}

/// A posting by id, whole (every status).
pub fn load_posting(
    conn: &mut DbConnection,
    id: PostingId,
) -> Result<Option<Posting>, DomainError> {
    let r: Option<PostingRow> = p::table.find(id.to_string()).first(conn).optional().db()?;
    r.map(posting_of).transpose()
}

/// Stores a new posting and its search rows.
pub fn insert_posting(
    conn: &mut DbConnection,
    x: &Posting,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    diesel::insert_into(p::table)
        .values(row_of(x, now)?)
        .execute(conn)
        .db()?;
    write_positions(conn, x)
}

/// Writes `x` (whose `version` is already the new one) if the stored version is still
/// `expected`, with its search rows; `false` when someone else changed it first.
pub fn save_posting(
    conn: &mut DbConnection,
    x: &Posting,
    expected: i64,
    now: OffsetDateTime,
) -> Result<bool, DomainError> {
    let row = row_of(x, now)?;
    let n = diesel::update(
        p::table
            .filter(p::id.eq(&row.id))
            .filter(p::version.eq(expected)),
    )
    .set((
        p::status.eq(&row.status),
        p::starts_on.eq(row.starts_on),
        p::ends_on.eq(row.ends_on),
        p::search_key.eq(&row.search_key),
        p::document.eq(&row.document),
        p::version.eq(row.version),
        p::updated_at.eq(row.updated_at),
    ))
    .execute(conn)
    .db()?;
    if n != 1 {
        return Ok(false);
    }
    write_positions(conn, x)?;
    Ok(true)
}

/// Postings on a connection inside a transaction; `now` stamps `updated_at`.
pub struct PostingRepo<'c> {
    conn: &'c mut DbConnection,
    now: OffsetDateTime,
}

impl<'c> PostingRepo<'c> {
    pub fn new(conn: &'c mut DbConnection, now: OffsetDateTime) -> Self {
        Self { conn, now }
    }
}

impl HistoryLog for PostingRepo<'_> {
    fn append(&mut self, entry: &HistoryEntry) -> Result<(), DomainError> {
        crate::history::append(self.conn, entry)
    }
    fn history(&mut self, kind: &str, id: &str) -> Result<Vec<HistoryEntry>, DomainError> {
        crate::history::load(self.conn, kind, id)
    }
}

impl PostingReference for PostingRepo<'_> {
    fn education_level_exists(&mut self, code: &str) -> Result<bool, DomainError> {
        let n: i64 = education_levels::table
            .filter(education_levels::code.eq(code))
            .count()
            .get_result(self.conn)
            .db()?;
        Ok(n > 0)
    }
}

impl PostingStore for PostingRepo<'_> {
    fn next_posting_no(&mut self) -> Result<i64, DomainError> {
        take_named_lock(self.conn, "posting_no")?;
        named_locks::table
            .find("posting_no")
            .select(named_locks::counter)
            .first(self.conn)
            .db()
    }

    fn institution_name(&mut self, id: InstitutionId) -> Result<Option<String>, DomainError> {
        institutions::table
            .find(id.to_string())
            .select(institutions::name)
            .first(self.conn)
            .optional()
            .db()
    }

    fn insert(&mut self, x: &Posting) -> Result<(), DomainError> {
        insert_posting(self.conn, x, self.now)
    }

    fn get(&mut self, id: PostingId) -> Result<Option<Posting>, DomainError> {
        load_posting(self.conn, id)
    }

    fn update(&mut self, x: &Posting, expected: i64) -> Result<bool, DomainError> {
        save_posting(self.conn, x, expected, self.now)
    }

    fn search(
        &mut self,
        q: &PostingQuery,
        page: PageRequest,
    ) -> Result<Page<Posting>, DomainError> {
        let published = PostingStatus::Published.as_str();
        let (low, high): (i32, i32) = match q.province {
            Some(x) => (i32::from(x.get()), i32::from(x.get())),
            None => (0, i32::MAX),
        };
        let position: String = q
            .position
            .as_deref()
            .map(like_contains)
            .unwrap_or_else(|| "%".to_owned());
        let any_level = q.education_level.is_none().into_sql::<Bool>();
        let level: String = q.education_level.clone().unwrap_or_default();
        let any_type = q.employment_type.is_none().into_sql::<Bool>();
        let employment: &'static str = q.employment_type.map(|t| t.as_str()).unwrap_or("");
        macro_rules! filtered {
            ($base:expr) => {{
                let mut b = $base;
                match q.view {
                    View::Active => {
                        b = b
                            .filter(p::status.eq(published))
                            .filter(p::starts_on.le(q.today))
                            .filter(p::ends_on.ge(q.today));
                    }
                    View::Archive => {
                        b = b
                            .filter(p::status.eq(published))
                            .filter(p::ends_on.lt(q.today));
                    }
                    View::Own(i) => b = b.filter(p::institution_id.eq(i.to_string())),
                }
                if let Some(s) = q.status {
                    b = b.filter(p::status.eq(s.as_str()));
                }
                if let Some(i) = q.institution_id {
                    b = b.filter(p::institution_id.eq(i.to_string()));
                }
                // Every sub-posting criterion on the same position row. Boxed subqueries do
                // not nest on the multi-connection backend, so an absent criterion is a
                // condition that always holds.
                if q.has_position_criteria() {
                    b = b.filter(
                        p::id.eq_any(
                            pp::table
                                .filter(pp::province_code.between(low, high))
                                .filter(pp::title_key.like(position.clone()).escape('\\'))
                                .filter(pp::education_level.eq(level.clone()).or(any_level))
                                .filter(pp::employment_type.eq(employment).or(any_type))
                                .select(pp::posting_id),
                        ),
                    );
                }
                for w in &q.keyword_words {
                    b = b.filter(p::search_key.like(like_contains(w)).escape('\\'));
                }
                b
            }};
        }
        let (total, more) = crate::db::count_up_to_cap(
            // `status` is in the window index: the probe reads no posting row.
            filtered!(p::table
                .select(p::status)
                .offset(crate::db::cap_offset())
                .limit(1)
                .into_boxed())
            .first::<String>(self.conn)
            .optional()
            .db()?,
            || {
                filtered!(p::table.count().into_boxed())
                    .get_result(self.conn)
                    .db()
            },
        )?;
        // The page's ids first, then their rows: when no index gives the order (a
        // position search), narrow rows are sorted, not every match with its document.
        let ids: Vec<String> = filtered!(p::table
            .select(p::id)
            .order(p::posting_no.desc())
            .offset(page.offset())
            .limit(page.limit())
            .into_boxed())
        .load(self.conn)
        .db()?;
        let rows: Vec<PostingRow> = p::table
            .filter(p::id.eq_any(&ids))
            .order(p::posting_no.desc())
            .load(self.conn)
            .db()?;
        let items = rows
            .into_iter()
            .map(posting_of)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::counted_up_to_cap(items, page, total, more))
    }
}
