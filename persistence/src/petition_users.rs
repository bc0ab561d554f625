//! Açık Kapı desk users (Sorumlu / Yetkili) with their districts and DETSİS units.

use crate::convert::{from_db_time, parse_uuid, stored, to_db_time};
use crate::db::{lock_key, DbConnection, DbResultExt};
use crate::schema::{
    detsis_units, districts, petition_user_districts as pud, petition_user_units as puu,
    petition_users as pu,
};
use diesel::prelude::*;
use kapi_core::{
    DomainError, HistoryEntry, HistoryLog, MobilePhone, Page, PageRequest, PetitionUserId,
    ProvinceCode, Tckn,
};
use kapi_petitions::users::{
    PersonName, PetitionUser, PetitionUserKind, PetitionUserStore, UnitScope, UserFilter,
};
use std::collections::BTreeMap;
use time::PrimitiveDateTime;

#[derive(Queryable, Insertable)]
#[diesel(table_name = pu)]
struct UserRow {
    id: String,
    kind: String,
    tckn: String,
    first_name: String,
    last_name: String,
    name_key: String,
    mobile: String,
    province_code: i32,
    active: bool,
    version: i64,
    created_at: PrimitiveDateTime,
    updated_at: PrimitiveDateTime,
}

impl UserRow {
    fn from_domain(u: &PetitionUser) -> Self {
        Self {
            id: u.id.to_string(),
            kind: u.kind.as_str().to_owned(),
            tckn: u.tckn.as_str().to_owned(),
            first_name: u.first_name.as_str().to_owned(),
            last_name: u.last_name.as_str().to_owned(),
            name_key: u.name_key(),
            mobile: u.mobile.as_str().to_owned(),
            province_code: i32::from(u.province.get()),
            active: u.active,
            version: u.version,
            created_at: to_db_time(u.created_at),
            updated_at: to_db_time(u.updated_at),
        }
    }

    fn into_domain(
        self,
        districts: Vec<i32>,
        units: Vec<String>,
    ) -> Result<PetitionUser, DomainError> {
        Ok(PetitionUser {
            id: PetitionUserId::from_uuid(parse_uuid(&self.id)?),
            kind: PetitionUserKind::parse(&self.kind).ok_or_else(|| {
                DomainError::internal(format!("stored petition user kind {:?}", self.kind))
            })?,
            tckn: stored("tckn", Tckn::parse(&self.tckn))?,
            first_name: stored("first name", PersonName::parse(&self.first_name))?,
            last_name: stored("last name", PersonName::parse(&self.last_name))?,
            mobile: stored("mobile", MobilePhone::parse(&self.mobile))?,
            province: stored("province", ProvinceCode::new(i64::from(self.province_code)))?,
            districts,
            units,
            active: self.active,
            version: self.version,
            created_at: from_db_time(self.created_at),
            updated_at: from_db_time(self.updated_at),
        })
    }
}

/// Desk users on a connection inside a transaction.
pub struct PetitionUserRepo<'c> {
    conn: &'c mut DbConnection,
}

impl<'c> PetitionUserRepo<'c> {
    pub fn new(conn: &'c mut DbConnection) -> Self {
        Self { conn }
    }

    /// Names of districts by code (for lists and reports).
    pub fn district_names(&mut self, codes: &[i32]) -> Result<BTreeMap<i32, String>, DomainError> {
        let rows: Vec<(i32, String)> = districts::table
            .filter(districts::code.eq_any(codes))
            .select((districts::code, districts::name))
            .load(self.conn)
            .db()?;
        Ok(rows.into_iter().collect())
    }

    /// Names of DETSİS units by number (for lists and reports).
    pub fn unit_names(&mut self, nos: &[String]) -> Result<BTreeMap<String, String>, DomainError> {
        let rows: Vec<(String, String)> = detsis_units::table
            .filter(detsis_units::detsis_no.eq_any(nos))
            .select((detsis_units::detsis_no, detsis_units::name))
            .load(self.conn)
            .db()?;
        Ok(rows.into_iter().collect())
    }

    /// A province's name.
    pub fn province_name(&mut self, province: ProvinceCode) -> Result<String, DomainError> {
        use crate::schema::provinces;
        let name: Option<String> = provinces::table
            .find(i32::from(province.get()))
            .select(provinces::name)
            .first(self.conn)
            .optional()
            .db()?;
        Ok(name.unwrap_or_else(|| province.to_string()))
    }

    fn write_scope(&mut self, u: &PetitionUser) -> Result<(), DomainError> {
        let id = u.id.to_string();
        diesel::delete(pud::table.filter(pud::user_id.eq(&id)))
            .execute(self.conn)
            .db()?;
        diesel::delete(puu::table.filter(puu::user_id.eq(&id)))
            .execute(self.conn)
            .db()?;
        for d in &u.districts {
            diesel::insert_into(pud::table)
                .values((pud::user_id.eq(&id), pud::district_code.eq(d)))
                .execute(self.conn)
                .db()?;
        }
        for x in &u.units {
            diesel::insert_into(puu::table)
                .values((puu::user_id.eq(&id), puu::detsis_no.eq(x)))
                .execute(self.conn)
                .db()?;
        }
        Ok(())
    }

    fn assemble(&mut self, rows: Vec<UserRow>) -> Result<Vec<PetitionUser>, DomainError> {
        let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
        let ds: Vec<(String, i32)> = pud::table
            .filter(pud::user_id.eq_any(&ids))
            .order((pud::user_id.asc(), pud::district_code.asc()))
            .select((pud::user_id, pud::district_code))
            .load(self.conn)
            .db()?;
        let us: Vec<(String, String)> = puu::table
            .filter(puu::user_id.eq_any(&ids))
            .order((puu::user_id.asc(), puu::detsis_no.asc()))
            .select((puu::user_id, puu::detsis_no))
            .load(self.conn)
            .db()?;
        let mut by_d: BTreeMap<String, Vec<i32>> = BTreeMap::new();
        for (id, d) in ds {
            by_d.entry(id).or_default().push(d);
        }
        let mut by_u: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (id, x) in us {
            by_u.entry(id).or_default().push(x);
        }
        rows.into_iter()
            .map(|r| {
                let d = by_d.remove(&r.id).unwrap_or_default();
                let u = by_u.remove(&r.id).unwrap_or_default();
                r.into_domain(d, u)
            })
            .collect()
    }
}

/// Applies a [`UserFilter`] to a boxed query on `petition_users`.
macro_rules! filtered {
    ($q:expr, $f:expr) => {{
        let f: &UserFilter = $f;
        let mut q = $q
            .filter(pu::province_code.eq(i32::from(f.province.get())))
            .filter(pu::active.eq(f.active));
        if let Some(k) = f.kind {
            q = q.filter(pu::kind.eq(k.as_str()));
        }
        if let Some(t) = &f.tckn {
            q = q.filter(pu::tckn.eq(t.as_str().to_owned()));
        }
        if let Some(m) = &f.mobile {
            q = q.filter(pu::mobile.eq(m.as_str().to_owned()));
        }
        if let Some(n) = &f.name_key {
            q = q.filter(pu::name_key.like(kapi_core::like_contains(n)).escape('\\'));
        }
        if let Some(d) = f.district {
            q = q.filter(
                pu::id.eq_any(
                    pud::table
                        .filter(pud::district_code.eq(d))
                        .select(pud::user_id),
                ),
            );
        }
        if let Some(u) = &f.unit {
            q = q.filter(
                pu::id.eq_any(
                    puu::table
                        .filter(puu::detsis_no.eq(u.clone()))
                        .select(puu::user_id),
                ),
            );
        }
        q
    }};
}

impl HistoryLog for PetitionUserRepo<'_> {
    fn append(&mut self, entry: &HistoryEntry) -> Result<(), DomainError> {
        crate::history::append(self.conn, entry)
    }
    fn history(&mut self, kind: &str, id: &str) -> Result<Vec<HistoryEntry>, DomainError> {
        crate::history::load(self.conn, kind, id)
    }
}

impl PetitionUserStore for PetitionUserRepo<'_> {
    fn lock_tckn(&mut self, tckn: &Tckn) -> Result<(), DomainError> {
        lock_key(self.conn, &format!("petition_user_tckn:{tckn}"))
    }

    fn district_province(&mut self, district: i32) -> Result<Option<i32>, DomainError> {
        districts::table
            .find(district)
            .select(districts::province_code)
            .first(self.conn)
            .optional()
            .db()
    }

    fn unit_scope(&mut self, detsis_no: &str) -> Result<UnitScope, DomainError> {
        let row: Option<Option<i32>> = detsis_units::table
            .find(detsis_no)
            .select(detsis_units::province_code)
            .first(self.conn)
            .optional()
            .db()?;
        Ok(match row {
            None => UnitScope::Unknown,
            Some(None) => UnitScope::National,
            Some(Some(p)) => UnitScope::Province(p),
        })
    }

    fn get(&mut self, id: PetitionUserId) -> Result<Option<PetitionUser>, DomainError> {
        let row: Option<UserRow> = pu::table
            .find(id.to_string())
            .first(self.conn)
            .optional()
            .db()?;
        Ok(self.assemble(row.into_iter().collect())?.pop())
    }

    fn find_active_by_tckn(&mut self, tckn: &Tckn) -> Result<Option<PetitionUser>, DomainError> {
        let row: Option<UserRow> = pu::table
            .filter(pu::tckn.eq(tckn.as_str()))
            .filter(pu::active.eq(true))
            .first(self.conn)
            .optional()
            .db()?;
        Ok(self.assemble(row.into_iter().collect())?.pop())
    }

    fn insert(&mut self, user: &PetitionUser) -> Result<(), DomainError> {
        diesel::insert_into(pu::table)
            .values(UserRow::from_domain(user))
            .execute(self.conn)
            .db()
            .map_err(|e| {
                if e.code == "conflict.duplicate" {
                    DomainError::conflict(
                        "petition_user.already_registered",
                        "This person already has an active Açık Kapı registration.",
                    )
                } else {
                    e
                }
            })?;
        self.write_scope(user)
    }

    fn update(&mut self, user: &PetitionUser, expected_version: i64) -> Result<bool, DomainError> {
        let row = UserRow::from_domain(user);
        let n = diesel::update(
            pu::table
                .filter(pu::id.eq(&row.id))
                .filter(pu::version.eq(expected_version)),
        )
        .set((
            pu::first_name.eq(&row.first_name),
            pu::last_name.eq(&row.last_name),
            pu::name_key.eq(&row.name_key),
            pu::mobile.eq(&row.mobile),
            pu::active.eq(row.active),
            pu::version.eq(row.version),
            pu::updated_at.eq(row.updated_at),
        ))
        .execute(self.conn)
        .db()?;
        if n != 1 {
            return Ok(false);
        }
        self.write_scope(user)?;
        Ok(true)
    }

    fn search(
        &mut self,
        filter: &UserFilter,
        page: PageRequest,
    ) -> Result<Page<PetitionUser>, DomainError> {
        let total: i64 = filtered!(pu::table.count().into_boxed(), filter)
            .get_result(self.conn)
            .db()?;
        let rows: Vec<UserRow> = filtered!(pu::table.into_boxed(), filter)
            .order((pu::kind.asc(), pu::name_key.asc(), pu::id.asc()))
            .offset(page.offset())
            .limit(page.limit())
            .load(self.conn)
            .db()?;
        Ok(Page::new(self.assemble(rows)?, page, total.max(0) as u64))
    }

    fn all_matching(
        &mut self,
        filter: &UserFilter,
        limit: usize,
    ) -> Result<Vec<PetitionUser>, DomainError> {
        let rows: Vec<UserRow> = filtered!(pu::table.into_boxed(), filter)
            .order((pu::kind.asc(), pu::name_key.asc(), pu::id.asc()))
            .limit(i64::try_from(limit).unwrap_or(i64::MAX))
            .load(self.conn)
            .db()?;
        self.assemble(rows)
    }
}
