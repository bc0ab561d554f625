//! Açık Kapı petitions: one row per petition with what the desk searches by, the whole
//! petition as a JSON document, its service headings, its live routings (what the overdue
//! search and the Yetkili scope query) and its file metadata.

use crate::convert::{from_db_time, parse_uuid, stored, to_db_time};
use crate::db::{take_named_lock, DbConnection, DbResultExt};
use crate::identity::IdentityRepo;
use crate::schema::{
    detsis_units, districts, education_levels, named_locks, neighbourhoods, petition_files as pf,
    petition_headings as ph, petition_routings as pr, petitions as p, provinces, sectors,
    service_headings,
};
use diesel::prelude::*;
use kapi_core::{
    search_fold, DomainError, HistoryEntry, HistoryLog, Page, PageRequest, PetitionFileId,
    PetitionId, SectorId, Tckn,
};
use kapi_identity::otp::{Outbox, OutgoingMessage};
use kapi_identity::registry::{CitizenRegistry, RegistryCitizen};
use kapi_petitions::attachment::StoredFile;
use kapi_petitions::open311::{PublicRequestStore, PublicStatus, Published, RequestFilter};
use kapi_petitions::petition::{Petition, PetitionReference};
use kapi_petitions::usecases::{PetitionQuery, PetitionStore, Scope};
use time::{OffsetDateTime, PrimitiveDateTime};

#[derive(Queryable, Insertable, AsChangeset)]
#[diesel(table_name = p)]
struct PetitionRow {
    id: String,
    tracking_no: i64,
    channel: String,
    tckn: String,
    first_name_key: String,
    last_name_key: String,
    province_code: i32,
    district_code: i32,
    sector_id: String,
    status: String,
    submitted_at: PrimitiveDateTime,
    arrival_date: time::Date,
    document: String,
    version: i64,
    updated_at: PrimitiveDateTime,
}

fn row_of(x: &Petition, now: OffsetDateTime) -> Result<PetitionRow, DomainError> {
    Ok(PetitionRow {
        id: x.id.to_string(),
        tracking_no: x.tracking_no,
        channel: x.channel.as_str().to_owned(),
        tckn: x.petitioner.tckn.as_str().to_owned(),
        first_name_key: search_fold(&x.petitioner.first_name),
        last_name_key: search_fold(&x.petitioner.last_name),
        province_code: i32::from(x.province()),
        district_code: x.subject_address.district_code,
        sector_id: x.sector_id.to_string(),
        status: x.workflow.status.as_str().to_owned(),
        submitted_at: to_db_time(x.submitted_at),
        arrival_date: x.arrival_date,
        document: serde_json::to_string(x)
            .map_err(|e| DomainError::internal(format!("petition document: {e}")))?,
        version: x.version,
        updated_at: to_db_time(now),
    })
}

fn petition_of(r: PetitionRow) -> Result<Petition, DomainError> {
    let mut x: Petition = stored("petition document", serde_json::from_str(&r.document))?;
    x.version = r.version;
    Ok(x)
}

/// Petitions on a connection inside a transaction; `now` stamps `updated_at`.
pub struct PetitionRepo<'c> {
    conn: &'c mut DbConnection,
    now: OffsetDateTime,
}

impl<'c> PetitionRepo<'c> {
    pub fn new(conn: &'c mut DbConnection, now: OffsetDateTime) -> Self {
        Self { conn, now }
    }

    /// Rewrites the searchable side rows (headings, live routings) from the document.
    fn write_side_rows(&mut self, x: &Petition) -> Result<(), DomainError> {
        let id = x.id.to_string();
        diesel::delete(ph::table.filter(ph::petition_id.eq(&id)))
            .execute(self.conn)
            .db()?;
        diesel::delete(pr::table.filter(pr::petition_id.eq(&id)))
            .execute(self.conn)
            .db()?;
        for (i, h) in x.headings.iter().enumerate() {
            diesel::insert_into(ph::table)
                .values((
                    ph::petition_id.eq(&id),
                    ph::position.eq(i as i32),
                    ph::heading_code.eq(&h.heading_code),
                    ph::sub_heading_code.eq(&h.sub_heading_code),
                ))
                .execute(self.conn)
                .db()?;
        }
        for r in &x.workflow.routings {
            diesel::insert_into(pr::table)
                .values((
                    pr::petition_id.eq(&id),
                    pr::detsis_no.eq(&r.unit_no),
                    pr::deadline.eq(r.deadline),
                    pr::answered.eq(r.answer.is_some()),
                ))
                .execute(self.conn)
                .db()?;
        }
        Ok(())
    }

    /// A stored file's metadata by id, within a petition.
    pub fn file_row(
        &mut self,
        petition: PetitionId,
        file: PetitionFileId,
    ) -> Result<Option<StoredFile>, DomainError> {
        let row: Option<(String, String, String, i64, String)> = pf::table
            .filter(pf::id.eq(file.to_string()))
            .filter(pf::petition_id.eq(petition.to_string()))
            .select((
                pf::id,
                pf::file_name,
                pf::media_type,
                pf::size_bytes,
                pf::sha256,
            ))
            .first(self.conn)
            .optional()
            .db()?;
        row.map(|(id, file_name, media_type, size, sha256)| {
            Ok(StoredFile {
                id: PetitionFileId::from_uuid(parse_uuid(&id)?),
                file_name,
                media_type,
                size_bytes: size.max(0) as u64,
                sha256,
            })
        })
        .transpose()
    }
}

impl HistoryLog for PetitionRepo<'_> {
    fn append(&mut self, entry: &HistoryEntry) -> Result<(), DomainError> {
        crate::history::append(self.conn, entry)
    }
    fn history(&mut self, kind: &str, id: &str) -> Result<Vec<HistoryEntry>, DomainError> {
        crate::history::load(self.conn, kind, id)
    }
}

impl Outbox for PetitionRepo<'_> {
    fn enqueue(&mut self, msg: &OutgoingMessage) -> Result<(), DomainError> {
        IdentityRepo::new(self.conn).enqueue(msg)
    }
}

impl CitizenRegistry for PetitionRepo<'_> {
    fn find_citizen(&mut self, tckn: &Tckn) -> Result<Option<RegistryCitizen>, DomainError> {
        IdentityRepo::new(self.conn).find_citizen(tckn)
    }
}

impl PetitionReference for PetitionRepo<'_> {
    fn province_name(&mut self, code: u8) -> Result<Option<String>, DomainError> {
        provinces::table
            .find(i32::from(code))
            .select(provinces::name)
            .first(self.conn)
            .optional()
            .db()
    }

    fn district(&mut self, code: i32) -> Result<Option<(u8, String)>, DomainError> {
        let r: Option<(i32, String)> = districts::table
            .find(code)
            .select((districts::province_code, districts::name))
            .first(self.conn)
            .optional()
            .db()?;
        Ok(r.and_then(|(p, n)| u8::try_from(p).ok().map(|p| (p, n))))
    }

    fn neighbourhood(&mut self, code: i32) -> Result<Option<(i32, String, String)>, DomainError> {
        neighbourhoods::table
            .find(code)
            .select((
                neighbourhoods::district_code,
                neighbourhoods::name,
                neighbourhoods::kind,
            ))
            .first(self.conn)
            .optional()
            .db()
    }

    fn heading(&mut self, code: &str) -> Result<Option<(Option<String>, String)>, DomainError> {
        service_headings::table
            .find(code)
            .select((service_headings::parent_code, service_headings::name))
            .first(self.conn)
            .optional()
            .db()
    }

    fn education_level(&mut self, code: &str) -> Result<Option<String>, DomainError> {
        education_levels::table
            .find(code)
            .select(education_levels::name_tr)
            .first(self.conn)
            .optional()
            .db()
    }

    fn sector_name(&mut self, id: SectorId) -> Result<Option<String>, DomainError> {
        sectors::table
            .find(id.to_string())
            .select(sectors::name)
            .first(self.conn)
            .optional()
            .db()
    }

    fn detsis_unit(&mut self, no: &str) -> Result<Option<(String, Option<u8>)>, DomainError> {
        let r: Option<(String, Option<i32>)> = detsis_units::table
            .find(no)
            .select((detsis_units::name, detsis_units::province_code))
            .first(self.conn)
            .optional()
            .db()?;
        Ok(r.map(|(n, p)| (n, p.and_then(|p| u8::try_from(p).ok()))))
    }
}

impl PetitionStore for PetitionRepo<'_> {
    fn next_tracking_no(&mut self) -> Result<i64, DomainError> {
        take_named_lock(self.conn, "petition_no")?;
        named_locks::table
            .find("petition_no")
            .select(named_locks::counter)
            .first(self.conn)
            .db()
    }

    fn insert(&mut self, x: &Petition) -> Result<(), DomainError> {
        diesel::insert_into(p::table)
            .values(row_of(x, self.now)?)
            .execute(self.conn)
            .db()?;
        self.write_side_rows(x)
    }

    fn get(&mut self, id: PetitionId) -> Result<Option<Petition>, DomainError> {
        let r: Option<PetitionRow> = p::table
            .find(id.to_string())
            .first(self.conn)
            .optional()
            .db()?;
        r.map(petition_of).transpose()
    }

    fn by_tracking_no(&mut self, no: i64) -> Result<Option<Petition>, DomainError> {
        let r: Option<PetitionRow> = p::table
            .filter(p::tracking_no.eq(no))
            .first(self.conn)
            .optional()
            .db()?;
        r.map(petition_of).transpose()
    }

    fn update(&mut self, x: &Petition, expected: i64) -> Result<bool, DomainError> {
        let row = row_of(x, self.now)?;
        let n = diesel::update(
            p::table
                .filter(p::id.eq(x.id.to_string()))
                .filter(p::version.eq(expected)),
        )
        .set((
            p::status.eq(&row.status),
            p::document.eq(&row.document),
            p::version.eq(row.version),
            p::updated_at.eq(row.updated_at),
        ))
        .execute(self.conn)
        .db()?;
        if n != 1 {
            return Ok(false);
        }
        self.write_side_rows(x)?;
        Ok(true)
    }

    fn add_files(
        &mut self,
        petition: PetitionId,
        origin: &str,
        files: &[StoredFile],
        at: OffsetDateTime,
    ) -> Result<(), DomainError> {
        for f in files {
            diesel::insert_into(pf::table)
                .values((
                    pf::id.eq(f.id.to_string()),
                    pf::petition_id.eq(petition.to_string()),
                    pf::origin.eq(origin),
                    pf::file_name.eq(&f.file_name),
                    pf::media_type.eq(&f.media_type),
                    pf::size_bytes.eq(i64::try_from(f.size_bytes).unwrap_or(i64::MAX)),
                    pf::sha256.eq(&f.sha256),
                    pf::uploaded_at.eq(to_db_time(at)),
                ))
                .execute(self.conn)
                .db()?;
        }
        Ok(())
    }

    fn search(
        &mut self,
        q: &PetitionQuery,
        page: PageRequest,
    ) -> Result<Page<Petition>, DomainError> {
        let c = &q.criteria;
        macro_rules! filtered {
            ($base:expr) => {{
                let mut b = $base;
                match &q.scope {
                    Scope::Petitioner(t) => b = b.filter(p::tckn.eq(t.as_str().to_owned())),
                    Scope::Province {
                        province,
                        districts,
                    } => {
                        b = b.filter(p::province_code.eq(i32::from(*province)));
                        if !districts.is_empty() {
                            b = b.filter(p::district_code.eq_any(districts.clone()));
                        }
                    }
                    Scope::Units(units) => {
                        b = b.filter(
                            p::id.eq_any(
                                pr::table
                                    .filter(pr::detsis_no.eq_any(units.clone()))
                                    .select(pr::petition_id),
                            ),
                        )
                    }
                }
                if let Some(n) = c.tracking_no {
                    b = b.filter(p::tracking_no.eq(n));
                }
                if let Some(t) = &c.tckn {
                    b = b.filter(p::tckn.eq(t.as_str().to_owned()));
                }
                if let Some(n) = &c.first_name {
                    b = b.filter(
                        p::first_name_key
                            .like(kapi_core::like_contains(&search_fold(n)))
                            .escape('\\'),
                    );
                }
                if let Some(n) = &c.last_name {
                    b = b.filter(
                        p::last_name_key
                            .like(kapi_core::like_contains(&search_fold(n)))
                            .escape('\\'),
                    );
                }
                if let Some(d) = c.from {
                    b = b.filter(p::arrival_date.ge(d));
                }
                if let Some(d) = c.to {
                    b = b.filter(p::arrival_date.le(d));
                }
                if let Some(s) = c.status {
                    b = b.filter(p::status.eq(s.as_str()));
                }
                // Sub-heading codes are unique across headings, so the two filters
                // together match one heading pair.
                // Tested per petition (`EXISTS`, index `petition_headings_by_petition`):
                // the other filters choose the rows, a heading is common to many.
                if let Some(x) = &c.heading_code {
                    b = b.filter(diesel::dsl::exists(
                        ph::table
                            .filter(ph::petition_id.eq(p::id))
                            .filter(ph::heading_code.eq(x.clone())),
                    ));
                }
                if let Some(x) = &c.sub_heading_code {
                    b = b.filter(diesel::dsl::exists(
                        ph::table
                            .filter(ph::petition_id.eq(p::id))
                            .filter(ph::sub_heading_code.eq(x.clone())),
                    ));
                }
                // Overdue among the routings the scope sees (a Yetkili: its own units').
                if let Some(today) = c.overdue_on {
                    let late = pr::table
                        .filter(pr::answered.eq(false))
                        .filter(pr::deadline.lt(today));
                    b = match &q.scope {
                        Scope::Units(units) => b.filter(
                            p::id.eq_any(
                                late.filter(pr::detsis_no.eq_any(units.clone()))
                                    .select(pr::petition_id),
                            ),
                        ),
                        _ => b.filter(p::id.eq_any(late.select(pr::petition_id))),
                    };
                }
                b
            }};
        }
        let (total, more) = crate::db::count_up_to_cap(
            filtered!(p::table
                .select(p::id)
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
        // The page's ids first, then their rows: when no index gives the order, narrow
        // rows are sorted, not every match with its document.
        let ids: Vec<String> = filtered!(p::table
            .select(p::id)
            .order(p::tracking_no.desc())
            .offset(page.offset())
            .limit(page.limit())
            .into_boxed())
        .load(self.conn)
        .db()?;
        let rows: Vec<PetitionRow> = p::table
            .filter(p::id.eq_any(&ids))
            .order(p::tracking_no.desc())
            .load(self.conn)
            .db()?;
        let items = rows
            .into_iter()
            .map(petition_of)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::counted_up_to_cap(items, page, total, more))
    }
}

fn published_of(r: PetitionRow) -> Result<Published, DomainError> {
    let updated_at = from_db_time(r.updated_at);
    Ok(Published {
        petition: petition_of(r)?,
        updated_at,
    })
}

impl PublicRequestStore for PetitionRepo<'_> {
    fn published(&mut self, f: &RequestFilter) -> Result<Vec<Published>, DomainError> {
        let mut q = p::table.into_boxed();
        if f.ids.is_empty() {
            q = q
                .filter(p::submitted_at.ge(to_db_time(f.from)))
                .filter(p::submitted_at.le(to_db_time(f.to)));
            match f.statuses.as_slice() {
                [PublicStatus::Open] => q = q.filter(p::status.ne("closed")),
                [PublicStatus::Closed] => q = q.filter(p::status.eq("closed")),
                _ => {}
            }
            // The request's service is its first heading pair.
            if !f.service_codes.is_empty() {
                q = q.filter(
                    p::id.eq_any(
                        ph::table
                            .filter(ph::position.eq(0))
                            .filter(ph::sub_heading_code.eq_any(f.service_codes.clone()))
                            .select(ph::petition_id),
                    ),
                );
            }
        } else {
            q = q.filter(p::tracking_no.eq_any(f.ids.clone()));
        }
        let rows: Vec<PetitionRow> = q
            .order((p::submitted_at.desc(), p::tracking_no.desc()))
            .limit(i64::try_from(f.limit).unwrap_or(i64::MAX))
            .load(self.conn)
            .db()?;
        rows.into_iter().map(published_of).collect()
    }

    fn published_by_tracking_no(&mut self, no: i64) -> Result<Option<Published>, DomainError> {
        let r: Option<PetitionRow> = p::table
            .filter(p::tracking_no.eq(no))
            .first(self.conn)
            .optional()
            .db()?;
        r.map(published_of).transpose()
    }

    fn published_by_id(&mut self, id: PetitionId) -> Result<Option<Published>, DomainError> {
        let r: Option<PetitionRow> = p::table
            .find(id.to_string())
            .first(self.conn)
            .optional()
            .db()?;
        r.map(published_of).transpose()
    }
}
