//! e-İzin employer registrations: one row per registration with what the lists and the
//! duplicate rule look up (owner, kind, workplace key under a unique index), and the whole
//! record as a JSON document. The registry look-ups registration needs (identity, SGK
//! authorisations, verified contacts) are delegated to [`IdentityRepo`].

use crate::convert::{from_db_time, stored, to_db_time};
use crate::db::{DbConnection, DbResultExt};
use crate::identity::IdentityRepo;
use crate::schema::work_permit_employer_users as u;
use crate::schema::work_permit_employers as e;
use diesel::prelude::*;
use kapi_core::{DomainError, EmployerId, ErrorKind, HistoryEntry, HistoryLog, Tckn};
use kapi_identity::registry::{CitizenRegistry, SgkRegistry};
use kapi_work_permit::employer::{
    employer_exists, AuthorisedWorkplace, EmployerStore, Registration, RegistryPerson,
    VerifiedContacts, WorkPermitEmployer,
};
use kapi_work_permit::kind::EmployerKind;
use kapi_work_permit::panel::{AuthorisedUser, EmployerAccess, EmployerRole};
use time::{OffsetDateTime, PrimitiveDateTime};

#[derive(Queryable, Insertable)]
#[diesel(table_name = e)]
struct EmployerRow {
    id: String,
    owner_tckn: String,
    kind: String,
    workplace_key: String,
    sgk_no: Option<String>,
    care_kind: Option<String>,
    university_name: Option<String>,
    title: String,
    email: String,
    mobile: String,
    document: String,
    version: i64,
    created_at: PrimitiveDateTime,
    updated_at: PrimitiveDateTime,
}

fn row_of(x: &WorkPermitEmployer, now: OffsetDateTime) -> Result<EmployerRow, DomainError> {
    let (sgk_no, care_kind, university_name) = match &x.registration {
        Registration::Company { sgk_no } => (Some(sgk_no.as_str().to_owned()), None, None),
        Registration::Household { care_kind } => (None, Some(care_kind.as_str().to_owned()), None),
        Registration::University { university_name } => (None, None, Some(university_name.clone())),
    };
    Ok(EmployerRow {
        id: x.id.to_string(),
        owner_tckn: x.owner.tckn.as_str().to_owned(),
        kind: x.registration.kind().as_str().to_owned(),
        workplace_key: x.registration.workplace_key(),
        sgk_no,
        care_kind,
        university_name,
        title: x.title.clone(),
        email: x.email.as_str().to_owned(),
        mobile: x.mobile.as_str().to_owned(),
        document: serde_json::to_string(x)
            .map_err(|e| DomainError::internal(format!("work-permit employer document: {e}")))?,
        version: x.version,
        created_at: to_db_time(x.created_at),
        updated_at: to_db_time(now),
    })
}

fn employer_of(r: EmployerRow) -> Result<WorkPermitEmployer, DomainError> {
    let mut x: WorkPermitEmployer = stored(
        "work-permit employer document",
        serde_json::from_str(&r.document),
    )?;
    x.version = r.version;
    Ok(x)
}

/// e-İzin employer registrations on a connection inside a transaction; `now` stamps
/// `updated_at`.
pub struct WorkPermitEmployerRepo<'c> {
    conn: &'c mut DbConnection,
    now: OffsetDateTime,
}

impl<'c> WorkPermitEmployerRepo<'c> {
    pub fn new(conn: &'c mut DbConnection, now: OffsetDateTime) -> Self {
        Self { conn, now }
    }
}

impl EmployerStore for WorkPermitEmployerRepo<'_> {
    fn find_person(&mut self, tckn: &Tckn) -> Result<Option<RegistryPerson>, DomainError> {
        Ok(IdentityRepo::new(self.conn)
            .find_citizen(tckn)?
            .map(|c| RegistryPerson {
                tckn: c.tckn,
                first_name: c.first_name,
                last_name: c.last_name,
                birth_date: c.birth_date,
            }))
    }

    fn authorised_workplaces(
        &mut self,
        tckn: &Tckn,
    ) -> Result<Vec<AuthorisedWorkplace>, DomainError> {
        Ok(IdentityRepo::new(self.conn)
            .authorised_workplaces(tckn)?
            .into_iter()
            .map(|w| AuthorisedWorkplace {
                sgk_no: w.sgk_no,
                title: w.title,
                address: w.address,
            })
            .collect())
    }

    fn verified_contacts(&mut self, subject: &str) -> Result<VerifiedContacts, DomainError> {
        let mut out = VerifiedContacts::default();
        for (channel, destination, _) in IdentityRepo::new(self.conn).verified_contacts(subject)? {
            match channel.as_str() {
                "email" => out.emails.push(destination),
                "sms" => out.mobiles.push(destination),
                _ => {}
            }
        }
        Ok(out)
    }

    fn exists(
        &mut self,
        owner: &Tckn,
        kind: EmployerKind,
        workplace_key: &str,
    ) -> Result<bool, DomainError> {
        let n: i64 = e::table
            .filter(e::owner_tckn.eq(owner.as_str()))
            .filter(e::kind.eq(kind.as_str()))
            .filter(e::workplace_key.eq(workplace_key))
            .count()
            .get_result(self.conn)
            .db()?;
        Ok(n > 0)
    }

    fn insert(&mut self, x: &WorkPermitEmployer) -> Result<(), DomainError> {
        let row = row_of(x, self.now)?;
        diesel::insert_into(e::table)
            .values(&row)
            .execute(self.conn)
            .db()
            .map_err(|err| {
                // A registration committed at the same time hit the unique index.
                if err.kind == ErrorKind::Conflict && err.code == "conflict.duplicate" {
                    employer_exists()
                } else {
                    err
                }
            })?;
        Ok(())
    }

    fn get(&mut self, id: EmployerId) -> Result<Option<WorkPermitEmployer>, DomainError> {
        let row: Option<EmployerRow> = e::table
            .find(id.to_string())
            .first(self.conn)
            .optional()
            .db()?;
        row.map(employer_of).transpose()
    }

    fn list_by_owner(&mut self, owner: &Tckn) -> Result<Vec<WorkPermitEmployer>, DomainError> {
        let rows: Vec<EmployerRow> = e::table
            .filter(e::owner_tckn.eq(owner.as_str()))
            .order((e::created_at.asc(), e::id.asc()))
            .load(self.conn)
            .db()?;
        rows.into_iter().map(employer_of).collect()
    }

    fn update(&mut self, x: &WorkPermitEmployer, expected: i64) -> Result<bool, DomainError> {
        let row = row_of(x, self.now)?;
        let n = diesel::update(
            e::table
                .filter(e::id.eq(&row.id))
                .filter(e::version.eq(expected)),
        )
        .set((
            e::document.eq(&row.document),
            e::email.eq(&row.email),
            e::mobile.eq(&row.mobile),
            e::title.eq(&row.title),
            e::version.eq(row.version),
            e::updated_at.eq(row.updated_at),
        ))
        .execute(self.conn)
        .db()?;
        Ok(n == 1)
    }

    fn list_by_user(&mut self, user: &Tckn) -> Result<Vec<WorkPermitEmployer>, DomainError> {
        let rows: Vec<EmployerRow> = e::table
            .filter(
                e::id.eq_any(
                    u::table
                        .filter(u::tckn.eq(user.as_str()))
                        .select(u::employer_id),
                ),
            )
            .order((e::created_at.asc(), e::id.asc()))
            .load(self.conn)
            .db()?;
        rows.into_iter().map(employer_of).collect()
    }

    fn users(&mut self, employer: EmployerId) -> Result<Vec<AuthorisedUser>, DomainError> {
        let rows: Vec<UserRow> = u::table
            .filter(u::employer_id.eq(employer.to_string()))
            .order((u::authorised_at.asc(), u::tckn.asc()))
            .load(self.conn)
            .db()?;
        rows.into_iter()
            .map(|r| {
                Ok(AuthorisedUser {
                    employer_id: employer,
                    tckn: stored("tckn", Tckn::parse(&r.tckn))?,
                    first_name: r.first_name,
                    last_name: r.last_name,
                    authorised_by: stored("authorised_by", Tckn::parse(&r.authorised_by))?,
                    authorised_at: from_db_time(r.authorised_at),
                })
            })
            .collect()
    }

    fn add_user(&mut self, user: &AuthorisedUser) -> Result<bool, DomainError> {
        let existing: i64 = u::table
            .filter(u::employer_id.eq(user.employer_id.to_string()))
            .filter(u::tckn.eq(user.tckn.as_str()))
            .count()
            .get_result(self.conn)
            .db()?;
        if existing > 0 {
            return Ok(false);
        }
        // A concurrent authorisation of the same person hits the primary key: a conflict.
        let n = diesel::insert_into(u::table)
            .values(UserRow {
                employer_id: user.employer_id.to_string(),
                tckn: user.tckn.as_str().to_owned(),
                first_name: user.first_name.clone(),
                last_name: user.last_name.clone(),
                authorised_by: user.authorised_by.as_str().to_owned(),
                authorised_at: to_db_time(user.authorised_at),
            })
            .execute(self.conn)
            .db()?;
        Ok(n == 1)
    }

    fn remove_user(&mut self, employer: EmployerId, user: &Tckn) -> Result<bool, DomainError> {
        let n = diesel::delete(
            u::table
                .filter(u::employer_id.eq(employer.to_string()))
                .filter(u::tckn.eq(user.as_str())),
        )
        .execute(self.conn)
        .db()?;
        Ok(n == 1)
    }
}

impl HistoryLog for WorkPermitEmployerRepo<'_> {
    fn append(&mut self, entry: &HistoryEntry) -> Result<(), DomainError> {
        crate::history::append(self.conn, entry)
    }

    fn history(&mut self, kind: &str, id: &str) -> Result<Vec<HistoryEntry>, DomainError> {
        crate::history::load(self.conn, kind, id)
    }
}

#[derive(Queryable, Insertable)]
#[diesel(table_name = u)]
struct UserRow {
    employer_id: String,
    tckn: String,
    first_name: String,
    last_name: String,
    authorised_by: String,
    authorised_at: PrimitiveDateTime,
}

/// The person's role at the e-İzin employer: its owner, or a user the owner authorised.
pub fn employer_access(
    conn: &mut DbConnection,
    employer: EmployerId,
    person: &Tckn,
) -> Result<Option<EmployerAccess>, DomainError> {
    let found: Option<EmployerRow> = e::table
        .find(employer.to_string())
        .first(conn)
        .optional()
        .db()?;
    let Some(row) = found else {
        return Ok(None);
    };
    let owner = row.owner_tckn.clone();
    let record = employer_of(row)?;
    let kind = record.registration.kind();
    let role = if owner == person.as_str() {
        EmployerRole::Owner
    } else {
        let n: i64 = u::table
            .filter(u::employer_id.eq(employer.to_string()))
            .filter(u::tckn.eq(person.as_str()))
            .count()
            .get_result(conn)
            .db()?;
        if n == 0 {
            return Ok(None);
        }
        EmployerRole::Authorised
    };
    Ok(Some(EmployerAccess {
        employer_id: employer,
        kind,
        role,
        owner: record.owner.tckn.clone(),
        missing_documents: record.missing_documents(),
    }))
}
