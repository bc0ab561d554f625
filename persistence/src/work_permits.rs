//! e-İzin work-permit applications: one row per application with what the employer's lists
//! (employer, status, created), the draft-expiry job (status, last touched) and the
//! extension chain (foreigner's YKN, approved permit's end) look up, and the whole
//! application as a JSON document. The history lives in `history_entries`, which has no
//! foreign key to this table: a deleted draft keeps its history.

use crate::convert::{stored, to_db_time};
use crate::db::{DbConnection, DbResultExt};
use crate::schema::work_permits as w;
use diesel::prelude::*;
use kapi_core::{
    DomainError, EmployerId, HistoryEntry, HistoryLog, Page, PageRequest, Tckn, WorkPermitId, Ykn,
};
use kapi_work_permit::application::{EmployerRef, WorkPermitApplication};
use kapi_work_permit::evaluation::Status;
use kapi_work_permit::files::{ApplicationFile, ApplicationFiles, FileKind};
use kapi_work_permit::kind::Filing;
use kapi_work_permit::panel::EmployerAccess;
use kapi_work_permit::usecases::{CurrentPermit, WorkPermitStore};
use kapi_work_permit::wizard::Sha256Hex;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

#[derive(Queryable, Insertable)]
#[diesel(table_name = w)]
struct WorkPermitRow {
    id: String,
    employer_key: String,
    status: String,
    foreigner_key: Option<String>,
    permit_ends_on: Option<Date>,
    last_touched_at: PrimitiveDateTime,
    submitted_at: Option<PrimitiveDateTime>,
    document: String,
    version: i64,
    created_at: PrimitiveDateTime,
    updated_at: PrimitiveDateTime,
}

/// The employer column: `employer:<uuid>` of the e-İzin employer record.
pub fn employer_key(e: &EmployerRef) -> String {
    match e {
        EmployerRef::Employer { employer_id } => format!("employer:{employer_id}"),
    }
}

fn row_of(x: &WorkPermitApplication, now: OffsetDateTime) -> Result<WorkPermitRow, DomainError> {
    Ok(WorkPermitRow {
        id: x.id.to_string(),
        employer_key: employer_key(&x.employer),
        status: x.status().as_str().to_owned(),
        foreigner_key: x.foreigner.ykn().map(|y| y.as_ref().to_owned()),
        permit_ends_on: x.period.as_ref().map(|p| p.end()),
        last_touched_at: to_db_time(x.last_touched_at),
        submitted_at: x.submitted_at.map(to_db_time),
        document: serde_json::to_string(x)
            .map_err(|e| DomainError::internal(format!("work-permit document: {e}")))?,
        version: x.version,
        created_at: to_db_time(x.created_at),
        updated_at: to_db_time(now),
    })
}

fn application_of(r: WorkPermitRow) -> Result<WorkPermitApplication, DomainError> {
    let mut x: WorkPermitApplication =
        stored("work-permit document", serde_json::from_str(&r.document))?;
    x.version = r.version;
    Ok(x)
}

fn load_rows(rows: Vec<WorkPermitRow>) -> Result<Vec<WorkPermitApplication>, DomainError> {
    rows.into_iter().map(application_of).collect()
}

/// Work-permit applications on a connection inside a transaction; `now` stamps `updated_at`.
/// Other modules of this crate add the ports of later stages on the same repository.
pub struct WorkPermitRepo<'c> {
    pub(crate) conn: &'c mut DbConnection,
    pub(crate) now: OffsetDateTime,
}

impl<'c> WorkPermitRepo<'c> {
    pub fn new(conn: &'c mut DbConnection, now: OffsetDateTime) -> Self {
        Self { conn, now }
    }

    /// The connection underneath, for another repository in the same transaction.
    pub fn connection(&mut self) -> &mut DbConnection {
        self.conn
    }
}

impl HistoryLog for WorkPermitRepo<'_> {
    fn append(&mut self, entry: &HistoryEntry) -> Result<(), DomainError> {
        crate::history::append(self.conn, entry)
    }

    fn history(&mut self, kind: &str, id: &str) -> Result<Vec<HistoryEntry>, DomainError> {
        crate::history::load(self.conn, kind, id)
    }
}

impl WorkPermitStore for WorkPermitRepo<'_> {
    fn insert(&mut self, x: &WorkPermitApplication) -> Result<(), DomainError> {
        let row = row_of(x, self.now)?;
        diesel::insert_into(w::table)
            .values(&row)
            .execute(self.conn)
            .db()?;
        Ok(())
    }

    fn get(&mut self, id: WorkPermitId) -> Result<Option<WorkPermitApplication>, DomainError> {
        let row: Option<WorkPermitRow> = w::table
            .find(id.to_string())
            .first(self.conn)
            .optional()
            .db()?;
        row.map(application_of).transpose()
    }

    fn update(&mut self, x: &WorkPermitApplication, expected: i64) -> Result<bool, DomainError> {
        let row = row_of(x, self.now)?;
        let n = diesel::update(
            w::table
                .filter(w::id.eq(&row.id))
                .filter(w::version.eq(expected)),
        )
        .set((
            w::employer_key.eq(&row.employer_key),
            w::status.eq(&row.status),
            w::foreigner_key.eq(&row.foreigner_key),
            w::permit_ends_on.eq(row.permit_ends_on),
            w::last_touched_at.eq(row.last_touched_at),
            w::submitted_at.eq(row.submitted_at),
            w::document.eq(&row.document),
            w::version.eq(row.version),
            w::updated_at.eq(row.updated_at),
        ))
        .execute(self.conn)
        .db()?;
        Ok(n == 1)
    }

    fn list_by_employer(
        &mut self,
        employer: &EmployerRef,
        statuses: &[Status],
        page: PageRequest,
    ) -> Result<Page<WorkPermitApplication>, DomainError> {
        let key = employer_key(employer);
        let codes: Vec<&str> = statuses.iter().map(|s| s.as_str()).collect();
        macro_rules! filtered {
            ($base:expr) => {{
                let b = $base.filter(w::employer_key.eq(key.clone()));
                if codes.is_empty() {
                    b
                } else {
                    b.filter(w::status.eq_any(codes.clone()))
                }
            }};
        }
        let total: i64 = filtered!(w::table.count().into_boxed())
            .get_result(self.conn)
            .db()?;
        let rows: Vec<WorkPermitRow> = filtered!(w::table
            .order((w::created_at.desc(), w::id.desc()))
            .offset(page.offset())
            .limit(page.limit())
            .into_boxed())
        .load(self.conn)
        .db()?;
        Ok(Page::new(load_rows(rows)?, page, total.max(0) as u64))
    }

    fn drafts_touched_before(
        &mut self,
        before: OffsetDateTime,
        limit: usize,
    ) -> Result<Vec<WorkPermitApplication>, DomainError> {
        let rows: Vec<WorkPermitRow> = w::table
            .filter(w::status.eq(Status::Draft.as_str()))
            .filter(w::last_touched_at.lt(to_db_time(before)))
            .order((w::last_touched_at.asc(), w::id.asc()))
            .limit(i64::try_from(limit).unwrap_or(i64::MAX))
            .load(self.conn)
            .db()?;
        load_rows(rows)
    }

    fn delete(&mut self, id: WorkPermitId, expected: i64) -> Result<bool, DomainError> {
        let n = diesel::delete(
            w::table
                .filter(w::id.eq(id.to_string()))
                .filter(w::version.eq(expected)),
        )
        .execute(self.conn)
        .db()?;
        Ok(n == 1)
    }

    /// The foreigner's latest approved permit (by its end date) and how many extensions
    /// precede it in the chain: the approved applications of the same YKN walked back from
    /// it, counting extensions until a first permit. Only applications filed with the YKN
    /// are known here (a first permit filed abroad through a consulate reference carries no
    /// YKN, so a chain that starts there counts the extensions the store can see).
    fn current_permit(
        &mut self,
        employer: &EmployerRef,
        ykn: &Ykn,
    ) -> Result<Option<CurrentPermit>, DomainError> {
        // The chain of this employer's permits for the foreigner: another employer's permit
        // is neither extended nor disclosed here.
        let rows: Vec<WorkPermitRow> = w::table
            .filter(w::employer_key.eq(employer_key(employer)))
            .filter(w::foreigner_key.eq(ykn.as_ref()))
            .filter(w::status.eq(Status::Approved.as_str()))
            .filter(w::permit_ends_on.is_not_null())
            // A terminated permit no longer runs: nothing extends it.
            .filter(crate::work_permit_cargo::not_terminated())
            .order((w::permit_ends_on.desc(), w::id.desc()))
            .load(self.conn)
            .db()?;
        let chain = load_rows(rows)?;
        let Some(ends_on) = chain
            .first()
            .and_then(|a| a.period.as_ref())
            .map(|p| p.end())
        else {
            return Ok(None);
        };
        let extensions = chain
            .iter()
            .take_while(|a| a.kind.filing == Filing::Extension)
            .count();
        // The running permit itself is one of the extensions counted when it is one.
        let previous_extensions = u32::try_from(extensions).unwrap_or(u32::MAX);
        Ok(Some(CurrentPermit {
            ends_on,
            previous_extensions,
        }))
    }

    fn employer_access(
        &mut self,
        employer: EmployerId,
        person: &Tckn,
    ) -> Result<Option<EmployerAccess>, DomainError> {
        crate::work_permit_employers::employer_access(self.conn, employer, person)
    }

    fn running_permits(
        &mut self,
        employer: &EmployerRef,
        today: Date,
    ) -> Result<Vec<WorkPermitApplication>, DomainError> {
        let rows: Vec<WorkPermitRow> = w::table
            .filter(w::employer_key.eq(employer_key(employer)))
            .filter(w::status.eq(Status::Approved.as_str()))
            .filter(w::permit_ends_on.ge(today))
            // A terminated permit no longer runs.
            .filter(crate::work_permit_cargo::not_terminated())
            .order((w::permit_ends_on.asc(), w::id.asc()))
            .limit(500)
            .load(self.conn)
            .db()?;
        load_rows(rows)
    }
}

#[derive(Queryable, Insertable)]
#[diesel(table_name = crate::schema::work_permit_files)]
struct FileRow {
    application_id: String,
    sha256: String,
    kind: String,
    media_type: String,
    size_bytes: i64,
    file_name: String,
    uploaded_by: String,
    uploaded_at: PrimitiveDateTime,
}

impl ApplicationFiles for WorkPermitRepo<'_> {
    fn add_file(&mut self, id: WorkPermitId, f: &ApplicationFile) -> Result<(), DomainError> {
        use crate::schema::work_permit_files as wf;
        if self.file(id, f.sha256.as_str())?.is_some() {
            return Ok(());
        }
        diesel::insert_into(wf::table)
            .values(FileRow {
                application_id: id.to_string(),
                sha256: f.sha256.as_str().to_owned(),
                kind: f.kind.as_str().to_owned(),
                media_type: f.media_type.clone(),
                size_bytes: i64::try_from(f.size).unwrap_or(i64::MAX),
                file_name: f.file_name.clone(),
                uploaded_by: f.uploaded_by.clone(),
                uploaded_at: to_db_time(f.uploaded_at),
            })
            .execute(self.conn)
            .db()?;
        Ok(())
    }

    fn file(
        &mut self,
        id: WorkPermitId,
        sha256: &str,
    ) -> Result<Option<ApplicationFile>, DomainError> {
        use crate::schema::work_permit_files as wf;
        let row: Option<FileRow> = wf::table
            .filter(wf::application_id.eq(id.to_string()))
            .filter(wf::sha256.eq(sha256))
            .first(self.conn)
            .optional()
            .db()?;
        row.map(|r| {
            Ok(ApplicationFile {
                sha256: stored("sha256", Sha256Hex::parse(&r.sha256))?,
                kind: FileKind::parse(&r.kind).ok_or_else(|| {
                    DomainError::internal(format!("stored file kind `{}`", r.kind))
                })?,
                media_type: r.media_type,
                size: u64::try_from(r.size_bytes).unwrap_or(0),
                file_name: r.file_name,
                uploaded_by: r.uploaded_by,
                uploaded_at: crate::convert::from_db_time(r.uploaded_at),
            })
        })
        .transpose()
    }
}
