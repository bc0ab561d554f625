//! The institution store (Kariyer Kapısı kurumları) and their HR staff accounts.

use crate::convert::{from_db_time, parse_uuid, stored, to_db_time};
use crate::db::{lock_key, DbConnection, DbResultExt};
use crate::identity::StaffRow;
use crate::schema::institutions::dsl as i;
use crate::schema::staff_accounts::dsl as sa;
use diesel::prelude::*;
use kapi_core::{DomainError, InstitutionId, Page, PageRequest, StaffAccountId};
use kapi_identity::login::StaffRole;
use kapi_postings::institutions::{
    DetsisNo, Institution, InstitutionName, InstitutionStore, NewStaffAccount, StaffAccountRecord,
};
use time::PrimitiveDateTime;

#[derive(Queryable, Insertable)]
#[diesel(table_name = crate::schema::institutions)]
struct InstitutionRow {
    id: String,
    name: String,
    search_key: String,
    detsis_no: Option<String>,
    created_at: PrimitiveDateTime,
}

impl InstitutionRow {
    fn from_domain(x: &Institution) -> Self {
        Self {
            id: x.id.to_string(),
            name: x.name.as_str().to_owned(),
            search_key: x.name.search_key(),
            detsis_no: x.detsis_no.as_ref().map(|d| d.as_str().to_owned()),
            created_at: to_db_time(x.created_at),
        }
    }

    fn into_domain(self) -> Result<Institution, DomainError> {
        Ok(Institution {
            id: InstitutionId::from_uuid(parse_uuid(&self.id)?),
            name: stored("institution name", InstitutionName::parse(&self.name))?,
            detsis_no: self
                .detsis_no
                .as_deref()
                .map(|d| stored("institution DETSİS number", DetsisNo::parse(d)))
                .transpose()?,
            created_at: from_db_time(self.created_at),
        })
    }
}

fn staff_record(r: StaffRow) -> Result<StaffAccountRecord, DomainError> {
    Ok(StaffAccountRecord {
        id: StaffAccountId::from_uuid(parse_uuid(&r.id)?),
        role: StaffRole::parse(&r.role)
            .ok_or_else(|| DomainError::internal(format!("unknown staff role {:?}", r.role)))?,
        institution_id: r
            .institution_id
            .as_deref()
            .map(parse_uuid)
            .transpose()?
            .map(InstitutionId::from_uuid),
        username: r.username,
        display_name: r.display_name,
        active: r.active,
        created_at: from_db_time(r.created_at),
    })
}

/// Institutions and their staff accounts on a connection inside a transaction.
pub struct InstitutionRepo<'c> {
    conn: &'c mut DbConnection,
}

impl<'c> InstitutionRepo<'c> {
    pub fn new(conn: &'c mut DbConnection) -> Self {
        Self { conn }
    }
}

impl kapi_core::HistoryLog for InstitutionRepo<'_> {
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

impl InstitutionStore for InstitutionRepo<'_> {
    fn lock_directory(&mut self) -> Result<(), DomainError> {
        lock_key(self.conn, "institution-directory")
    }

    fn page(
        &mut self,
        folded_query: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<Institution>, DomainError> {
        let pattern = folded_query.map(kapi_core::like_contains);
        let mut count = i::institutions.count().into_boxed();
        let mut q = i::institutions
            .order((i::search_key.asc(), i::id.asc()))
            .offset(page.offset())
            .limit(page.limit())
            .into_boxed();
        if let Some(p) = &pattern {
            count = count.filter(i::search_key.like(p.clone()).escape('\\'));
            q = q.filter(i::search_key.like(p.clone()).escape('\\'));
        }
        let total: i64 = count.get_result(self.conn).db()?;
        let rows: Vec<InstitutionRow> = q.load(self.conn).db()?;
        let items = rows
            .into_iter()
            .map(InstitutionRow::into_domain)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::new(items, page, total.max(0) as u64))
    }

    fn get(&mut self, id: InstitutionId) -> Result<Option<Institution>, DomainError> {
        let row: Option<InstitutionRow> = i::institutions
            .find(id.to_string())
            .first(self.conn)
            .optional()
            .db()?;
        row.map(InstitutionRow::into_domain).transpose()
    }

    fn find_by_key(&mut self, key: &str) -> Result<Option<Institution>, DomainError> {
        let row: Option<InstitutionRow> = i::institutions
            .filter(i::search_key.eq(key))
            .first(self.conn)
            .optional()
            .db()?;
        row.map(InstitutionRow::into_domain).transpose()
    }

    fn find_by_detsis_no(&mut self, no: &str) -> Result<Option<Institution>, DomainError> {
        let row: Option<InstitutionRow> = i::institutions
            .filter(i::detsis_no.eq(no))
            .first(self.conn)
            .optional()
            .db()?;
        row.map(InstitutionRow::into_domain).transpose()
    }

    fn insert(&mut self, institution: &Institution) -> Result<(), DomainError> {
        diesel::insert_into(i::institutions)
            .values(InstitutionRow::from_domain(institution))
            .execute(self.conn)
            .db()?;
        Ok(())
    }

    fn accounts_of(&mut self, id: InstitutionId) -> Result<Vec<StaffAccountRecord>, DomainError> {
        let rows: Vec<StaffRow> = sa::staff_accounts
            .filter(sa::institution_id.eq(id.to_string()))
            .order((sa::created_at.asc(), sa::username.asc()))
            .load(self.conn)
            .db()?;
        rows.into_iter().map(staff_record).collect()
    }

    fn account(&mut self, id: StaffAccountId) -> Result<Option<StaffAccountRecord>, DomainError> {
        let row: Option<StaffRow> = sa::staff_accounts
            .find(id.to_string())
            .first(self.conn)
            .optional()
            .db()?;
        row.map(staff_record).transpose()
    }

    fn username_taken(&mut self, username: &str) -> Result<bool, DomainError> {
        diesel::select(diesel::dsl::exists(
            sa::staff_accounts.filter(sa::username.eq(username)),
        ))
        .get_result(self.conn)
        .db()
    }

    fn insert_account(&mut self, new: &NewStaffAccount) -> Result<(), DomainError> {
        let a = &new.account;
        diesel::insert_into(sa::staff_accounts)
            .values(StaffRow {
                id: a.id.to_string(),
                username: a.username.clone(),
                display_name: a.display_name.clone(),
                password_hash: new.password_hash.clone(),
                role: StaffRole::InstitutionHr.as_str().to_owned(),
                institution_id: Some(a.institution_id.to_string()),
                province_code: None,
                active: a.active,
                created_at: to_db_time(a.created_at),
            })
            .execute(self.conn)
            .db()?;
        Ok(())
    }

    fn set_active(&mut self, id: StaffAccountId, active: bool) -> Result<bool, DomainError> {
        let n = diesel::update(sa::staff_accounts.filter(sa::id.eq(id.to_string())))
            .set(sa::active.eq(active))
            .execute(self.conn)
            .db()?;
        Ok(n == 1)
    }
}
