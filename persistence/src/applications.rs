//! Kariyer Kapısı applications: one row per application with what the lists filter by
//! (posting, candidate, folded name, sub-posting, status) and the whole application as a
//! JSON document. A partial unique index keeps one live application per candidate and
//! posting, whatever races the use case loses.

use crate::convert::{stored, to_db_time};
use crate::db::{DbConnection, DbResultExt};
use crate::identity::IdentityRepo;
use crate::postings::{load_posting, save_posting};
use crate::schema::applications as a;
use diesel::prelude::*;
use kapi_applications::application::{Application, ApplicationStatus, OnlineAccess};
use kapi_applications::usecases::{ApplicationFilter, ApplicationStore, MeetingRooms};
use kapi_core::{
    search_fold, ApplicationId, DomainError, HistoryEntry, HistoryLog, Page, PageRequest,
    PostingId, Tckn,
};
use kapi_identity::registry::{CitizenRegistry, RegistryCitizen};
use kapi_postings::posting::Posting;
use time::{OffsetDateTime, PrimitiveDateTime};

#[derive(Queryable, Insertable)]
#[diesel(table_name = a)]
struct ApplicationRow {
    id: String,
    posting_id: String,
    candidate_tckn: String,
    name_key: String,
    sub_posting_no: Option<i32>,
    status: String,
    submitted_at: Option<PrimitiveDateTime>,
    document: String,
    version: i64,
    created_at: PrimitiveDateTime,
    updated_at: PrimitiveDateTime,
}

fn row_of(x: &Application, now: OffsetDateTime) -> Result<ApplicationRow, DomainError> {
    Ok(ApplicationRow {
        id: x.id.to_string(),
        posting_id: x.posting_id.to_string(),
        candidate_tckn: x.candidate.tckn.as_str().to_owned(),
        name_key: search_fold(&x.candidate.full_name()),
        sub_posting_no: x.wizard.sub_posting_no.map(|n| n as i32),
        status: x.status.as_str().to_owned(),
        submitted_at: x.submitted_at.map(to_db_time),
        document: serde_json::to_string(x)
            .map_err(|e| DomainError::internal(format!("application document: {e}")))?,
        version: x.version,
        created_at: to_db_time(x.created_at),
        updated_at: to_db_time(now),
    })
}

fn application_of(r: ApplicationRow) -> Result<Application, DomainError> {
    let mut x: Application = stored("application document", serde_json::from_str(&r.document))?;
    x.version = r.version;
    Ok(x)
}

fn load_rows(rows: Vec<ApplicationRow>) -> Result<Vec<Application>, DomainError> {
    rows.into_iter().map(application_of).collect()
}

const LIVE: [&str; 3] = ["draft", "pending", "approved"];

/// Applications on a connection inside a transaction; `now` stamps `updated_at`.
pub struct ApplicationRepo<'c> {
    conn: &'c mut DbConnection,
    now: OffsetDateTime,
}

impl<'c> ApplicationRepo<'c> {
    pub fn new(conn: &'c mut DbConnection, now: OffsetDateTime) -> Self {
        Self { conn, now }
    }
}

impl HistoryLog for ApplicationRepo<'_> {
    fn append(&mut self, entry: &HistoryEntry) -> Result<(), DomainError> {
        crate::history::append(self.conn, entry)
    }

    fn history(&mut self, kind: &str, id: &str) -> Result<Vec<HistoryEntry>, DomainError> {
        crate::history::load(self.conn, kind, id)
    }
}

impl CitizenRegistry for ApplicationRepo<'_> {
    fn find_citizen(&mut self, tckn: &Tckn) -> Result<Option<RegistryCitizen>, DomainError> {
        IdentityRepo::new(self.conn).find_citizen(tckn)
    }
}

impl ApplicationStore for ApplicationRepo<'_> {
    fn posting(&mut self, id: PostingId) -> Result<Option<Posting>, DomainError> {
        load_posting(self.conn, id)
    }

    fn save_posting(&mut self, p: &Posting, expected: i64) -> Result<bool, DomainError> {
        save_posting(self.conn, p, expected, self.now)
    }

    fn insert(&mut self, x: &Application) -> Result<(), DomainError> {
        let row = row_of(x, self.now)?;
        diesel::insert_into(a::table)
            .values(&row)
            .execute(self.conn)
            .map_err(|e| match e {
                diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                ) => DomainError::conflict(
                    "application.already_applied",
                    "You already have an application to this posting; cancel it to apply again.",
                ),
                e => crate::db::map_db_error(e),
            })?;
        Ok(())
    }

    fn get(&mut self, id: ApplicationId) -> Result<Option<Application>, DomainError> {
        let row: Option<ApplicationRow> = a::table
            .find(id.to_string())
            .first(self.conn)
            .optional()
            .db()?;
        row.map(application_of).transpose()
    }

    fn update(&mut self, x: &Application, expected: i64) -> Result<bool, DomainError> {
        let row = row_of(x, self.now)?;
        let n = diesel::update(
            a::table
                .filter(a::id.eq(&row.id))
                .filter(a::version.eq(expected)),
        )
        .set((
            a::sub_posting_no.eq(row.sub_posting_no),
            a::status.eq(&row.status),
            a::submitted_at.eq(row.submitted_at),
            a::document.eq(&row.document),
            a::version.eq(row.version),
            a::updated_at.eq(row.updated_at),
        ))
        .execute(self.conn)
        .db()?;
        Ok(n == 1)
    }

    fn live_of(
        &mut self,
        posting: PostingId,
        tckn: &Tckn,
    ) -> Result<Option<Application>, DomainError> {
        let row: Option<ApplicationRow> = a::table
            .filter(a::posting_id.eq(posting.to_string()))
            .filter(a::candidate_tckn.eq(tckn.as_str()))
            .filter(a::status.eq_any(LIVE))
            .first(self.conn)
            .optional()
            .db()?;
        row.map(application_of).transpose()
    }

    fn of_candidate(
        &mut self,
        tckn: &Tckn,
        cancelled: bool,
        page: PageRequest,
    ) -> Result<Page<Application>, DomainError> {
        macro_rules! filtered {
            ($base:expr) => {{
                let b = $base.filter(a::candidate_tckn.eq(tckn.as_str().to_owned()));
                if cancelled {
                    b.filter(a::status.eq(ApplicationStatus::Cancelled.as_str()))
                } else {
                    b.filter(a::status.eq_any(LIVE))
                }
            }};
        }
        let total: i64 = filtered!(a::table.count().into_boxed())
            .get_result(self.conn)
            .db()?;
        let rows: Vec<ApplicationRow> = filtered!(a::table
            .order((a::created_at.desc(), a::id.desc()))
            .offset(page.offset())
            .limit(page.limit())
            .into_boxed())
        .load(self.conn)
        .db()?;
        Ok(Page::new(load_rows(rows)?, page, total.max(0) as u64))
    }

    fn of_posting(
        &mut self,
        posting: PostingId,
        filter: &ApplicationFilter,
        page: PageRequest,
    ) -> Result<Page<Application>, DomainError> {
        macro_rules! filtered {
            ($base:expr) => {{
                let mut b = $base
                    .filter(a::posting_id.eq(posting.to_string()))
                    .filter(a::status.ne(ApplicationStatus::Draft.as_str()));
                if let Some(n) = filter.sub_posting_no {
                    b = b.filter(a::sub_posting_no.eq(n as i32));
                }
                if let Some(s) = filter.status {
                    b = b.filter(a::status.eq(s.as_str()));
                }
                if let Some(n) = &filter.name {
                    b = b.filter(
                        a::name_key
                            .like(kapi_core::like_contains(&search_fold(n)))
                            .escape('\\'),
                    );
                }
                b
            }};
        }
        let total: i64 = filtered!(a::table.count().into_boxed())
            .get_result(self.conn)
            .db()?;
        let rows: Vec<ApplicationRow> = filtered!(a::table
            .order((a::submitted_at.asc(), a::id.asc()))
            .offset(page.offset())
            .limit(page.limit())
            .into_boxed())
        .load(self.conn)
        .db()?;
        Ok(Page::new(load_rows(rows)?, page, total.max(0) as u64))
    }

    fn all_of_posting(&mut self, posting: PostingId) -> Result<Vec<Application>, DomainError> {
        let rows: Vec<ApplicationRow> = a::table
            .filter(a::posting_id.eq(posting.to_string()))
            .filter(a::status.ne(ApplicationStatus::Draft.as_str()))
            .order((a::submitted_at.asc(), a::id.asc()))
            .load(self.conn)
            .db()?;
        load_rows(rows)
    }
}

/// The local meeting service (stands in for the CAM video application): a random
/// 10-character password and a link naming the posting, stage and a random room.
pub struct LocalMeetingRooms {
    pub base_url: String,
}

impl MeetingRooms for LocalMeetingRooms {
    fn open_room(
        &mut self,
        posting_no: i64,
        stage_no: u32,
        _application: ApplicationId,
    ) -> Result<OnlineAccess, DomainError> {
        use rand::distributions::{Alphanumeric, DistString};
        let mut rng = rand::thread_rng();
        let password = Alphanumeric.sample_string(&mut rng, 10);
        let room = Alphanumeric.sample_string(&mut rng, 16).to_lowercase();
        Ok(OnlineAccess {
            password,
            link: format!(
                "{}/{posting_no}/{stage_no}/{room}",
                self.base_url.trim_end_matches('/')
            ),
        })
    }
}
