//! İŞKUR employers, their people, users and workplaces.

use crate::convert::{from_db_time, parse_uuid, stored, to_db_time};
use crate::db::{lock_key, take_named_lock, DbConnection, DbResultExt};
use crate::identity::IdentityRepo;
use crate::schema::{
    districts, employer_people, employer_users, employers, named_locks, workplaces,
};
use diesel::prelude::*;
use kapi_core::{
    search_fold, DomainError, Email, EmployerId, EmployerPermissions, EmployerSector, HistoryEntry,
    HistoryLog, MobilePhone, Page, PageRequest, ProvinceCode, SgkNo, Tckn, Vkn, WorkplaceId,
};
use kapi_identity::registry::{CitizenRegistry, RegistryCitizen};
use kapi_labour_demand::employer::{
    Employer, EmployerPerson, EmployerStore, Membership, OtherDetails, RelatedPerson, Workplace,
    WorkplaceFilter,
};
use kapi_labour_demand::workplace::{WorkplaceKind, WorkplaceUser};
use serde::{Deserialize, Serialize};
use time::{Date, PrimitiveDateTime};

#[derive(Queryable, Insertable)]
#[diesel(table_name = employers)]
struct EmployerRow {
    id: String,
    title: String,
    search_key: String,
    vkn: String,
    sector: String,
    iskur_no: String,
    address: String,
    phone: Option<String>,
    email: Option<String>,
    terms_accepted_at: PrimitiveDateTime,
    version: i64,
    created_at: PrimitiveDateTime,
    updated_at: PrimitiveDateTime,
}

impl EmployerRow {
    fn from_domain(e: &Employer) -> Self {
        Self {
            id: e.id.to_string(),
            title: e.title.clone(),
            search_key: search_fold(&e.title),
            vkn: e.vkn.as_str().to_owned(),
            sector: e.sector.as_str().to_owned(),
            iskur_no: e.iskur_no.clone(),
            address: e.address.clone(),
            phone: e.phone.as_ref().map(|p| p.as_str().to_owned()),
            email: e.email.as_ref().map(|m| m.as_str().to_owned()),
            terms_accepted_at: to_db_time(e.terms_accepted_at),
            version: e.version,
            created_at: to_db_time(e.created_at),
            updated_at: to_db_time(e.updated_at),
        }
    }

    fn into_domain(self) -> Result<Employer, DomainError> {
        Ok(Employer {
            id: EmployerId::from_uuid(parse_uuid(&self.id)?),
            title: self.title,
            vkn: stored("vkn", Vkn::parse(&self.vkn))?,
            sector: EmployerSector::parse(&self.sector)
                .ok_or_else(|| DomainError::internal(format!("stored sector {}", self.sector)))?,
            iskur_no: self.iskur_no,
            address: self.address,
            phone: self
                .phone
                .map(|p| stored("phone", MobilePhone::parse(&p)))
                .transpose()?,
            email: self
                .email
                .map(|m| stored("email", Email::parse(&m)))
                .transpose()?,
            terms_accepted_at: from_db_time(self.terms_accepted_at),
            version: self.version,
            created_at: from_db_time(self.created_at),
            updated_at: from_db_time(self.updated_at),
        })
    }
}

#[derive(Queryable, Insertable)]
#[diesel(table_name = employer_users)]
struct UserRow {
    employer_id: String,
    tckn: String,
    is_admin: bool,
    labour_demand: bool,
    workforce_chart: bool,
    mass_layoff: bool,
    reports: bool,
    user_admin: bool,
    primary_admin: bool,
    closing_date: Option<Date>,
    locked: bool,
}

impl UserRow {
    fn from_domain(employer: EmployerId, u: &WorkplaceUser) -> Self {
        let p = u.permissions;
        Self {
            employer_id: employer.to_string(),
            tckn: u.tckn.as_str().to_owned(),
            is_admin: p.admin,
            labour_demand: p.labour_demand,
            workforce_chart: p.workforce_chart,
            mass_layoff: p.mass_layoff,
            reports: p.reports,
            user_admin: p.user_admin,
            primary_admin: u.primary_admin,
            closing_date: u.closing_date,
            locked: u.locked,
        }
    }

    fn into_domain(self) -> Result<(EmployerId, WorkplaceUser), DomainError> {
        Ok((
            EmployerId::from_uuid(parse_uuid(&self.employer_id)?),
            WorkplaceUser {
                tckn: stored("tckn", Tckn::parse(&self.tckn))?,
                permissions: EmployerPermissions {
                    admin: self.is_admin,
                    labour_demand: self.labour_demand,
                    workforce_chart: self.workforce_chart,
                    mass_layoff: self.mass_layoff,
                    reports: self.reports,
                    user_admin: self.user_admin,
                },
                primary_admin: self.primary_admin,
                closing_date: self.closing_date,
                locked: self.locked,
            },
        ))
    }
}

#[derive(Queryable, Insertable)]
#[diesel(table_name = workplaces)]
pub(crate) struct WorkplaceRow {
    id: String,
    employer_id: String,
    kind: String,
    head_office_id: Option<String>,
    title: String,
    search_key: String,
    sgk_no: String,
    province_code: i32,
    district_code: i32,
    address: String,
    phone: Option<String>,
    email: Option<String>,
    version: i64,
    created_at: PrimitiveDateTime,
    updated_at: PrimitiveDateTime,
    details: String,
}

/// The stored form of a related person.
#[derive(Serialize, Deserialize, Default)]
struct RelatedPersonDoc {
    full_name: String,
    role: String,
    phone: Option<String>,
    email: Option<String>,
}

/// The stored form of the related persons and other details.
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
struct WorkplaceDetailsDoc {
    related_persons: Vec<RelatedPersonDoc>,
    activity: Option<String>,
    website: Option<String>,
    notes: Option<String>,
}

fn details_json(w: &Workplace) -> String {
    let doc = WorkplaceDetailsDoc {
        related_persons: w
            .related_persons
            .iter()
            .map(|p| RelatedPersonDoc {
                full_name: p.full_name.clone(),
                role: p.role.clone(),
                phone: p.phone.as_ref().map(|m| m.as_str().to_owned()),
                email: p.email.as_ref().map(|e| e.as_str().to_owned()),
            })
            .collect(),
        activity: w.other.activity.clone(),
        website: w.other.website.clone(),
        notes: w.other.notes.clone(),
    };
    serde_json::to_string(&doc).unwrap_or_else(|_| "{}".into())
}

fn kind_str(k: WorkplaceKind) -> &'static str {
    match k {
        WorkplaceKind::HeadOffice => "head_office",
        WorkplaceKind::Branch => "branch",
    }
}

impl WorkplaceRow {
    fn from_domain(w: &Workplace) -> Self {
        Self {
            id: w.id.to_string(),
            employer_id: w.employer_id.to_string(),
            kind: kind_str(w.kind).into(),
            head_office_id: w.head_office_id.map(|h| h.to_string()),
            title: w.title.clone(),
            search_key: search_fold(&w.title),
            sgk_no: w.sgk_no.as_str().to_owned(),
            province_code: i32::from(w.province.get()),
            district_code: w.district_code,
            address: w.address.clone(),
            phone: w.phone.as_ref().map(|p| p.as_str().to_owned()),
            email: w.email.as_ref().map(|m| m.as_str().to_owned()),
            version: w.version,
            created_at: to_db_time(w.created_at),
            updated_at: to_db_time(w.updated_at),
            details: details_json(w),
        }
    }

    pub(crate) fn into_domain(self) -> Result<Workplace, DomainError> {
        let doc: WorkplaceDetailsDoc =
            stored("workplace details", serde_json::from_str(&self.details))?;
        let related_persons = doc
            .related_persons
            .into_iter()
            .map(|p| {
                Ok(RelatedPerson {
                    full_name: p.full_name,
                    role: p.role,
                    phone: p
                        .phone
                        .map(|m| stored("phone", MobilePhone::parse(&m)))
                        .transpose()?,
                    email: p
                        .email
                        .map(|e| stored("email", Email::parse(&e)))
                        .transpose()?,
                })
            })
            .collect::<Result<Vec<_>, DomainError>>()?;
        Ok(Workplace {
            related_persons,
            other: OtherDetails {
                activity: doc.activity,
                website: doc.website,
                notes: doc.notes,
            },
            id: WorkplaceId::from_uuid(parse_uuid(&self.id)?),
            employer_id: EmployerId::from_uuid(parse_uuid(&self.employer_id)?),
            kind: match self.kind.as_str() {
                "head_office" => WorkplaceKind::HeadOffice,
                "branch" => WorkplaceKind::Branch,
                other => return Err(DomainError::internal(format!("stored kind {other}"))),
            },
            head_office_id: self
                .head_office_id
                .map(|h| parse_uuid(&h).map(WorkplaceId::from_uuid))
                .transpose()?,
            title: self.title,
            sgk_no: stored("sgk_no", SgkNo::parse(&self.sgk_no))?,
            province: stored("province", ProvinceCode::new(i64::from(self.province_code)))?,
            district_code: self.district_code,
            address: self.address,
            phone: self
                .phone
                .map(|p| stored("phone", MobilePhone::parse(&p)))
                .transpose()?,
            email: self
                .email
                .map(|m| stored("email", Email::parse(&m)))
                .transpose()?,
            version: self.version,
            created_at: from_db_time(self.created_at),
            updated_at: from_db_time(self.updated_at),
        })
    }
}

/// Loads a workplace by id (shared with the workforce-chart and mass-layoff stores).
pub(crate) fn load_workplace(
    conn: &mut DbConnection,
    id: WorkplaceId,
) -> Result<Option<Workplace>, DomainError> {
    let row: Option<WorkplaceRow> = workplaces::table
        .find(id.to_string())
        .first(conn)
        .optional()
        .db()?;
    row.map(WorkplaceRow::into_domain).transpose()
}

/// The workplaces of an employer, oldest first.
pub(crate) fn load_workplaces_of(
    conn: &mut DbConnection,
    employer: EmployerId,
) -> Result<Vec<Workplace>, DomainError> {
    let rows: Vec<WorkplaceRow> = workplaces::table
        .filter(workplaces::employer_id.eq(employer.to_string()))
        .order(workplaces::id.asc())
        .load(conn)
        .db()?;
    rows.into_iter().map(WorkplaceRow::into_domain).collect()
}

/// The employer's public/private sector.
pub(crate) fn employer_sector(
    conn: &mut DbConnection,
    employer: EmployerId,
) -> Result<Option<EmployerSector>, DomainError> {
    let s: Option<String> = employers::table
        .find(employer.to_string())
        .select(employers::sector)
        .first(conn)
        .optional()
        .db()?;
    Ok(s.and_then(|s| EmployerSector::parse(&s)))
}

/// Employers, their people, users and workplaces on a connection inside a transaction.
pub struct EmployerRepo<'c> {
    conn: &'c mut DbConnection,
}

impl<'c> EmployerRepo<'c> {
    pub fn new(conn: &'c mut DbConnection) -> Self {
        Self { conn }
    }
}

impl HistoryLog for EmployerRepo<'_> {
    fn append(&mut self, entry: &HistoryEntry) -> Result<(), DomainError> {
        crate::history::append(self.conn, entry)
    }
    fn history(&mut self, kind: &str, id: &str) -> Result<Vec<HistoryEntry>, DomainError> {
        crate::history::load(self.conn, kind, id)
    }
}

impl CitizenRegistry for EmployerRepo<'_> {
    fn find_citizen(&mut self, tckn: &Tckn) -> Result<Option<RegistryCitizen>, DomainError> {
        IdentityRepo::new(self.conn).find_citizen(tckn)
    }
}

impl EmployerStore for EmployerRepo<'_> {
    fn district_in_province(
        &mut self,
        district_code: i32,
        province: ProvinceCode,
    ) -> Result<bool, DomainError> {
        let n: i64 = districts::table
            .filter(districts::code.eq(district_code))
            .filter(districts::province_code.eq(i32::from(province.get())))
            .count()
            .get_result(self.conn)
            .db()?;
        Ok(n > 0)
    }

    fn employer_by_vkn(&mut self, vkn: &Vkn) -> Result<Option<EmployerId>, DomainError> {
        let id: Option<String> = employers::table
            .filter(employers::vkn.eq(vkn.as_str()))
            .select(employers::id)
            .first(self.conn)
            .optional()
            .db()?;
        id.map(|i| parse_uuid(&i).map(EmployerId::from_uuid))
            .transpose()
    }

    fn workplace_by_sgk(&mut self, sgk: &SgkNo) -> Result<Option<WorkplaceId>, DomainError> {
        let id: Option<String> = workplaces::table
            .filter(workplaces::sgk_no.eq(sgk.as_str()))
            .select(workplaces::id)
            .first(self.conn)
            .optional()
            .db()?;
        id.map(|i| parse_uuid(&i).map(WorkplaceId::from_uuid))
            .transpose()
    }

    fn next_iskur_no(&mut self) -> Result<i64, DomainError> {
        take_named_lock(self.conn, "iskur_employer_no")?;
        named_locks::table
            .find("iskur_employer_no")
            .select(named_locks::counter)
            .first(self.conn)
            .db()
    }

    fn person(&mut self, tckn: &Tckn) -> Result<Option<EmployerPerson>, DomainError> {
        type Row = (String, String, String, String, String, String);
        let row: Option<Row> = employer_people::table
            .find(tckn.as_str())
            .select((
                employer_people::tckn,
                employer_people::password_hash,
                employer_people::secret_question,
                employer_people::secret_answer_hash,
                employer_people::mobile,
                employer_people::email,
            ))
            .first(self.conn)
            .optional()
            .db()?;
        row.map(|(t, hash, q, a, m, e)| {
            Ok(EmployerPerson {
                tckn: stored("tckn", Tckn::parse(&t))?,
                password_hash: hash,
                secret_question: q,
                secret_answer_hash: a,
                mobile: stored("mobile", MobilePhone::parse(&m))?,
                email: stored("email", Email::parse(&e))?,
            })
        })
        .transpose()
    }

    fn insert_person(
        &mut self,
        p: &EmployerPerson,
        now: time::OffsetDateTime,
    ) -> Result<(), DomainError> {
        diesel::insert_into(employer_people::table)
            .values((
                employer_people::tckn.eq(p.tckn.as_str()),
                employer_people::password_hash.eq(&p.password_hash),
                employer_people::secret_question.eq(&p.secret_question),
                employer_people::secret_answer_hash.eq(&p.secret_answer_hash),
                employer_people::mobile.eq(p.mobile.as_str()),
                employer_people::email.eq(p.email.as_str()),
                employer_people::created_at.eq(to_db_time(now)),
            ))
            .execute(self.conn)
            .db()?;
        Ok(())
    }

    fn insert_employer(&mut self, e: &Employer) -> Result<(), DomainError> {
        diesel::insert_into(employers::table)
            .values(EmployerRow::from_domain(e))
            .execute(self.conn)
            .db()?;
        Ok(())
    }

    fn get_employer(&mut self, id: EmployerId) -> Result<Option<Employer>, DomainError> {
        let row: Option<EmployerRow> = employers::table
            .find(id.to_string())
            .first(self.conn)
            .optional()
            .db()?;
        row.map(EmployerRow::into_domain).transpose()
    }

    fn insert_user(&mut self, employer: EmployerId, u: &WorkplaceUser) -> Result<(), DomainError> {
        diesel::insert_into(employer_users::table)
            .values(UserRow::from_domain(employer, u))
            .execute(self.conn)
            .db()?;
        Ok(())
    }

    fn memberships(&mut self, tckn: &Tckn) -> Result<Vec<Membership>, DomainError> {
        let rows: Vec<(UserRow, String)> = employer_users::table
            .inner_join(employers::table)
            .filter(employer_users::tckn.eq(tckn.as_str()))
            .order(employers::title.asc())
            .select((employer_users::all_columns, employers::title))
            .load(self.conn)
            .db()?;
        rows.into_iter()
            .map(|(u, title)| {
                let (employer_id, user) = u.into_domain()?;
                Ok(Membership {
                    employer_id,
                    employer_title: title,
                    user,
                })
            })
            .collect()
    }

    fn users_of(&mut self, employer: EmployerId) -> Result<Vec<WorkplaceUser>, DomainError> {
        let rows: Vec<UserRow> = employer_users::table
            .filter(employer_users::employer_id.eq(employer.to_string()))
            .order((
                employer_users::primary_admin.desc(),
                employer_users::tckn.asc(),
            ))
            .load(self.conn)
            .db()?;
        rows.into_iter()
            .map(|r| r.into_domain().map(|(_, u)| u))
            .collect()
    }

    fn update_user(&mut self, employer: EmployerId, u: &WorkplaceUser) -> Result<(), DomainError> {
        let r = UserRow::from_domain(employer, u);
        diesel::update(
            employer_users::table
                .filter(employer_users::employer_id.eq(&r.employer_id))
                .filter(employer_users::tckn.eq(&r.tckn)),
        )
        .set((
            employer_users::is_admin.eq(r.is_admin),
            employer_users::labour_demand.eq(r.labour_demand),
            employer_users::workforce_chart.eq(r.workforce_chart),
            employer_users::mass_layoff.eq(r.mass_layoff),
            employer_users::reports.eq(r.reports),
            employer_users::user_admin.eq(r.user_admin),
            employer_users::closing_date.eq(r.closing_date),
            employer_users::locked.eq(r.locked),
        ))
        .execute(self.conn)
        .db()?;
        Ok(())
    }

    fn update_password(&mut self, tckn: &Tckn, password_hash: &str) -> Result<(), DomainError> {
        diesel::update(employer_people::table.find(tckn.as_str()))
            .set(employer_people::password_hash.eq(password_hash))
            .execute(self.conn)
            .db()?;
        Ok(())
    }

    fn lock_employer(&mut self, id: EmployerId) -> Result<(), DomainError> {
        lock_key(self.conn, &format!("employer:{id}"))
    }

    fn workplaces_of(&mut self, employer: EmployerId) -> Result<Vec<Workplace>, DomainError> {
        load_workplaces_of(self.conn, employer)
    }

    fn get_workplace(&mut self, id: WorkplaceId) -> Result<Option<Workplace>, DomainError> {
        load_workplace(self.conn, id)
    }

    fn insert_workplace(&mut self, w: &Workplace) -> Result<(), DomainError> {
        diesel::insert_into(workplaces::table)
            .values(WorkplaceRow::from_domain(w))
            .execute(self.conn)
            .db()?;
        Ok(())
    }

    fn update_workplace(&mut self, w: &Workplace, expected: i64) -> Result<bool, DomainError> {
        let r = WorkplaceRow::from_domain(w);
        let n = diesel::update(
            workplaces::table
                .filter(workplaces::id.eq(&r.id))
                .filter(workplaces::version.eq(expected)),
        )
        .set((
            workplaces::title.eq(&r.title),
            workplaces::search_key.eq(&r.search_key),
            workplaces::district_code.eq(r.district_code),
            workplaces::address.eq(&r.address),
            workplaces::phone.eq(&r.phone),
            workplaces::email.eq(&r.email),
            workplaces::version.eq(r.version),
            workplaces::updated_at.eq(r.updated_at),
            workplaces::details.eq(&r.details),
        ))
        .execute(self.conn)
        .db()?;
        Ok(n == 1)
    }

    fn page_workplaces(
        &mut self,
        f: &WorkplaceFilter,
        page: PageRequest,
    ) -> Result<Page<Workplace>, DomainError> {
        macro_rules! filtered {
            ($q:expr) => {{
                let mut q = $q;
                if let Some(e) = f.employer {
                    q = q.filter(workplaces::employer_id.eq(e.to_string()));
                }
                if let Some(t) = &f.title {
                    q = q.filter(
                        workplaces::search_key
                            .like(kapi_core::like_contains(t))
                            .escape('\\'),
                    );
                }
                if let Some(s) = &f.sgk_no {
                    q = q.filter(workplaces::sgk_no.eq(s.clone()));
                }
                if let Some(v) = &f.vkn {
                    q = q.filter(employers::vkn.eq(v.clone()));
                }
                if let Some(p) = f.province {
                    q = q.filter(workplaces::province_code.eq(i32::from(p.get())));
                }
                q
            }};
        }
        let base = || {
            workplaces::table
                .inner_join(employers::table.on(employers::id.eq(workplaces::employer_id)))
        };
        let total: i64 = filtered!(base().count().into_boxed())
            .get_result(self.conn)
            .db()?;
        let rows: Vec<WorkplaceRow> = filtered!(base()
            .select(workplaces::all_columns)
            .order((workplaces::search_key.asc(), workplaces::id.asc()))
            .offset(page.offset())
            .limit(page.limit())
            .into_boxed())
        .load(self.conn)
        .db()?;
        let items = rows
            .into_iter()
            .map(WorkplaceRow::into_domain)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::new(items, page, total.max(0) as u64))
    }
}
