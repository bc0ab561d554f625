//! Labour demands, their keywords, job seekers and candidate lists.
//!
//! A demand's searchable criteria are columns (each open-job search mode has an index that
//! ends in `talep_no`, the result order); its requirement and detail sections are JSON
//! documents of the domain types. The keyword search goes through `labour_demand_keywords`
//! (one row per folded word), matched by prefix as a range on its primary key.

use crate::convert::{from_db_time, parse_uuid, stored, to_db_time};
use crate::db::{take_named_lock, DbConnection, DbResultExt};
use crate::employers::EmployerRepo;
use crate::identity::IdentityRepo;
use crate::reference::BATCH;
use crate::schema::{
    demand_candidates as dc, job_seeker_occupations as jso, job_seekers as js,
    labour_demand_documents as ldd, labour_demand_keywords as kw, labour_demands as ld,
    named_locks, occupations,
};
use diesel::prelude::*;
use kapi_core::{
    search_fold, DemandCandidateId, DomainError, EmployerId, EmployerSector, HistoryEntry,
    HistoryLog, LabourDemandId, Page, PageRequest, ProvinceCode, Tckn, WorkplaceId,
};
use kapi_identity::registry::{CitizenRegistry, RegistryCitizen};
use kapi_labour_demand::candidate::{
    Candidate, CandidateOrigin, InterviewResult, InvitationAnswer,
};
use kapi_labour_demand::demand::{
    CloseReason, DemandDetails, DemandStatus, LabourDemand, Requirements,
};
use kapi_labour_demand::demands::{DemandFilter, DemandStore, ReportLine, ReportScope};
use kapi_labour_demand::employer::{Employer, EmployerStore, Workplace};
use kapi_labour_demand::job_seeker::JobSeeker;
use kapi_labour_demand::search::OpenJobQuery;
use serde::{Deserialize, Serialize};
use time::{Date, PrimitiveDateTime};

#[derive(Queryable, Insertable, AsChangeset)]
#[diesel(table_name = ld)]
struct SearchRow {
    id: String,
    talep_no: i64,
    employer_id: String,
    workplace_id: String,
    status: String,
    occupation_code: String,
    province_code: i32,
    district_code: i32,
    target_group: String,
    sector: String,
    work_location: String,
    work_type: String,
    last_application_date: Date,
    position_key: String,
    field_key: String,
    employer_title_key: String,
}

#[derive(Queryable, Insertable, AsChangeset)]
#[diesel(table_name = ldd)]
struct DocRow {
    demand_id: String,
    document: String,
    version: i64,
    created_at: PrimitiveDateTime,
    updated_at: PrimitiveDateTime,
}

/// What the search row does not hold (format version 1).
#[derive(Serialize, Deserialize)]
struct DemandDoc {
    occupation_name: String,
    employer_title: String,
    worker_count: u16,
    hired_count: u16,
    invited_any: bool,
    close_reason: Option<CloseReason>,
    status_note: Option<String>,
    requirements: Requirements,
    details: DemandDetails,
}

fn json<T: serde::Serialize>(v: &T) -> Result<String, DomainError> {
    serde_json::to_string(v).map_err(|e| DomainError::internal(format!("serialising: {e}")))
}

fn demand_rows(d: &LabourDemand) -> Result<(SearchRow, DocRow), DomainError> {
    let search = SearchRow {
        id: d.id.to_string(),
        talep_no: d.talep_no,
        employer_id: d.employer_id.to_string(),
        workplace_id: d.workplace_id.to_string(),
        status: d.status.as_str().into(),
        occupation_code: d.occupation_code.clone(),
        province_code: i32::from(d.details.work_address.province.get()),
        district_code: d.details.work_address.district_code,
        target_group: d.requirements.target_group.as_str().into(),
        sector: d.sector.as_str().into(),
        work_location: d.details.work_location.as_str().into(),
        work_type: d.details.work_type.as_str().into(),
        last_application_date: d.last_application_date,
        position_key: search_fold(&d.details.position),
        field_key: search_fold(d.details.field.as_deref().unwrap_or("")),
        employer_title_key: search_fold(&d.employer_title),
    };
    let doc = DemandDoc {
        occupation_name: d.occupation_name.clone(),
        employer_title: d.employer_title.clone(),
        worker_count: d.worker_count,
        hired_count: d.hired_count,
        invited_any: d.invited_any,
        close_reason: d.close_reason,
        status_note: d.status_note.clone(),
        requirements: d.requirements.clone(),
        details: d.details.clone(),
    };
    Ok((
        search,
        DocRow {
            demand_id: d.id.to_string(),
            document: json(&doc)?,
            version: d.version,
            created_at: to_db_time(d.created_at),
            updated_at: to_db_time(d.updated_at),
        },
    ))
}

fn demand_of((s, row): (SearchRow, DocRow)) -> Result<LabourDemand, DomainError> {
    let doc: DemandDoc = stored(
        "labour demand document",
        serde_json::from_str(&row.document),
    )?;
    Ok(LabourDemand {
        id: LabourDemandId::from_uuid(parse_uuid(&s.id)?),
        talep_no: s.talep_no,
        employer_id: EmployerId::from_uuid(parse_uuid(&s.employer_id)?),
        workplace_id: WorkplaceId::from_uuid(parse_uuid(&s.workplace_id)?),
        employer_title: doc.employer_title,
        sector: stored("sector", EmployerSector::parse(&s.sector).ok_or(s.sector))?,
        occupation_code: s.occupation_code,
        occupation_name: doc.occupation_name,
        worker_count: doc.worker_count,
        last_application_date: s.last_application_date,
        requirements: doc.requirements,
        details: doc.details,
        status: stored("status", DemandStatus::parse(&s.status).ok_or(s.status))?,
        close_reason: doc.close_reason,
        status_note: doc.status_note,
        hired_count: doc.hired_count,
        invited_any: doc.invited_any,
        version: row.version,
        created_at: from_db_time(row.created_at),
        updated_at: from_db_time(row.updated_at),
    })
}

#[derive(Queryable, Insertable, AsChangeset)]
#[diesel(table_name = js)]
struct SeekerRow {
    tckn: String,
    first_name: String,
    last_name: String,
    birth_date: Date,
    province_code: i32,
    district_code: i32,
    active: bool,
    profile: String,
    version: i64,
    registered_at: PrimitiveDateTime,
    updated_at: PrimitiveDateTime,
}

impl SeekerRow {
    fn from_domain(s: &JobSeeker) -> Result<Self, DomainError> {
        Ok(Self {
            tckn: s.tckn.as_str().into(),
            first_name: s.first_name.clone(),
            last_name: s.last_name.clone(),
            birth_date: s.birth_date,
            province_code: i32::from(s.profile.province.get()),
            district_code: s.profile.district_code,
            active: s.profile.active,
            profile: json(&s.profile)?,
            version: s.version,
            registered_at: to_db_time(s.registered_at),
            updated_at: to_db_time(s.updated_at),
        })
    }

    fn into_domain(self) -> Result<JobSeeker, DomainError> {
        Ok(JobSeeker {
            tckn: stored("tckn", Tckn::parse(&self.tckn))?,
            first_name: self.first_name,
            last_name: self.last_name,
            birth_date: self.birth_date,
            profile: stored("profile", serde_json::from_str(&self.profile))?,
            version: self.version,
            registered_at: from_db_time(self.registered_at),
            updated_at: from_db_time(self.updated_at),
        })
    }
}

#[derive(Queryable, Insertable, AsChangeset)]
#[diesel(table_name = dc)]
#[diesel(treat_none_as_null = true)]
struct CandidateRow {
    id: String,
    demand_id: String,
    tckn: String,
    full_name: String,
    origin: String,
    listed_at: PrimitiveDateTime,
    interview_at: Option<PrimitiveDateTime>,
    interview_place: Option<String>,
    invited_at: Option<PrimitiveDateTime>,
    answer: Option<String>,
    answered_at: Option<PrimitiveDateTime>,
    result: Option<String>,
    result_note: Option<String>,
    result_at: Option<PrimitiveDateTime>,
    version: i64,
}

impl CandidateRow {
    fn from_domain(c: &Candidate) -> Self {
        Self {
            id: c.id.to_string(),
            demand_id: c.demand_id.to_string(),
            tckn: c.tckn.as_str().into(),
            full_name: c.full_name.clone(),
            origin: c.origin.as_str().into(),
            listed_at: to_db_time(c.listed_at),
            interview_at: c.interview_at.map(to_db_time),
            interview_place: c.interview_place.clone(),
            invited_at: c.invited_at.map(to_db_time),
            answer: c.answer.map(|a| a.as_str().into()),
            answered_at: c.answered_at.map(to_db_time),
            result: c.result.map(|r| r.as_str().into()),
            result_note: c.result_note.clone(),
            result_at: c.result_at.map(to_db_time),
            version: c.version,
        }
    }

    fn into_domain(self) -> Result<Candidate, DomainError> {
        Ok(Candidate {
            id: DemandCandidateId::from_uuid(parse_uuid(&self.id)?),
            demand_id: LabourDemandId::from_uuid(parse_uuid(&self.demand_id)?),
            tckn: stored("tckn", Tckn::parse(&self.tckn))?,
            full_name: self.full_name,
            origin: stored(
                "origin",
                CandidateOrigin::parse(&self.origin).ok_or(self.origin),
            )?,
            listed_at: from_db_time(self.listed_at),
            interview_at: self.interview_at.map(from_db_time),
            interview_place: self.interview_place,
            invited_at: self.invited_at.map(from_db_time),
            answer: self
                .answer
                .map(|a| stored("answer", InvitationAnswer::parse(&a).ok_or(a)))
                .transpose()?,
            answered_at: self.answered_at.map(from_db_time),
            result: self
                .result
                .map(|r| stored("result", InterviewResult::parse(&r).ok_or(r)))
                .transpose()?,
            result_note: self.result_note,
            result_at: self.result_at.map(from_db_time),
            version: self.version,
        })
    }
}

/// A keyword with at most this many index entries drives the open-job search.
const RARE_WORD_ENTRIES: i64 = 5_000;

/// The first string after every string that starts with `prefix` (bytewise), for a prefix
/// match as a range: `word >= prefix AND word < upper`.
fn prefix_upper(prefix: &str) -> String {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        if let Some(next) = char::from_u32(u32::from(last) + 1) {
            chars.push(next);
            return chars.into_iter().collect();
        }
    }
    String::from(char::MAX)
}

/// Labour demands, job seekers and candidates on a connection inside a transaction.
pub struct DemandRepo<'c> {
    conn: &'c mut DbConnection,
    rare_word_entries: i64,
}

impl<'c> DemandRepo<'c> {
    pub fn new(conn: &'c mut DbConnection) -> Self {
        Self {
            conn,
            rare_word_entries: RARE_WORD_ENTRIES,
        }
    }

    /// The same store with another line between rare and common keywords (tests compare
    /// the two plans of the keyword search on a small table).
    pub fn with_rare_word_entries(mut self, entries: i64) -> Self {
        self.rare_word_entries = entries;
        self
    }

    fn write_keywords(&mut self, d: &LabourDemand) -> Result<(), DomainError> {
        diesel::delete(kw::table.filter(kw::demand_id.eq(d.id.to_string())))
            .execute(self.conn)
            .db()?;
        let rows: Vec<_> = d
            .keywords()
            .into_iter()
            .map(|w| (kw::word.eq(w), kw::demand_id.eq(d.id.to_string())))
            .collect();
        let conn = &mut *self.conn;
        crate::insert_batches!(conn, kw::table, &rows);
        Ok(())
    }

    fn write_occupations(&mut self, s: &JobSeeker) -> Result<(), DomainError> {
        diesel::delete(jso::table.filter(jso::tckn.eq(s.tckn.as_str())))
            .execute(self.conn)
            .db()?;
        let rows: Vec<_> = s
            .profile
            .occupations
            .iter()
            .enumerate()
            .map(|(i, o)| {
                (
                    jso::occupation_code.eq(o.clone()),
                    jso::tckn.eq(s.tckn.as_str().to_owned()),
                    jso::position.eq(i32::try_from(i).unwrap_or(i32::MAX)),
                )
            })
            .collect();
        let conn = &mut *self.conn;
        crate::insert_batches!(conn, jso::table, &rows);
        Ok(())
    }
}

impl HistoryLog for DemandRepo<'_> {
    fn append(&mut self, entry: &HistoryEntry) -> Result<(), DomainError> {
        crate::history::append(self.conn, entry)
    }
    fn history(&mut self, kind: &str, id: &str) -> Result<Vec<HistoryEntry>, DomainError> {
        crate::history::load(self.conn, kind, id)
    }
}

impl CitizenRegistry for DemandRepo<'_> {
    fn find_citizen(&mut self, tckn: &Tckn) -> Result<Option<RegistryCitizen>, DomainError> {
        IdentityRepo::new(self.conn).find_citizen(tckn)
    }
}

type Joined = (SearchRow, DocRow);

fn load_demands(rows: Vec<Joined>) -> Result<Vec<LabourDemand>, DomainError> {
    rows.into_iter().map(demand_of).collect()
}

fn demands() -> diesel::dsl::InnerJoin<ld::table, ldd::table> {
    ld::table.inner_join(ldd::table)
}

impl DemandStore for DemandRepo<'_> {
    fn workplace_with_employer(
        &mut self,
        id: WorkplaceId,
    ) -> Result<Option<(Workplace, Employer)>, DomainError> {
        let mut repo = EmployerRepo::new(self.conn);
        let Some(w) = repo.get_workplace(id)? else {
            return Ok(None);
        };
        Ok(repo.get_employer(w.employer_id)?.map(|e| (w, e)))
    }

    fn occupation_name(&mut self, code: &str) -> Result<Option<String>, DomainError> {
        occupations::table
            .find(code)
            .select(occupations::name)
            .first(self.conn)
            .optional()
            .db()
    }

    fn district_in_province(
        &mut self,
        district: i32,
        province: ProvinceCode,
    ) -> Result<bool, DomainError> {
        EmployerRepo::new(self.conn).district_in_province(district, province)
    }

    fn next_talep_no(&mut self) -> Result<i64, DomainError> {
        take_named_lock(self.conn, "talep_no")?;
        named_locks::table
            .find("talep_no")
            .select(named_locks::counter)
            .first(self.conn)
            .db()
    }

    fn insert_demand(&mut self, d: &LabourDemand) -> Result<(), DomainError> {
        let (search, doc) = demand_rows(d)?;
        diesel::insert_into(ld::table)
            .values(search)
            .execute(self.conn)
            .db()?;
        diesel::insert_into(ldd::table)
            .values(doc)
            .execute(self.conn)
            .db()?;
        self.write_keywords(d)
    }

    fn get_demand(&mut self, id: LabourDemandId) -> Result<Option<LabourDemand>, DomainError> {
        let row: Option<Joined> = demands()
            .filter(ld::id.eq(id.to_string()))
            .first(self.conn)
            .optional()
            .db()?;
        row.map(demand_of).transpose()
    }

    fn demand_by_talep_no(&mut self, no: i64) -> Result<Option<LabourDemand>, DomainError> {
        let row: Option<Joined> = demands()
            .filter(ld::talep_no.eq(no))
            .first(self.conn)
            .optional()
            .db()?;
        row.map(demand_of).transpose()
    }

    fn update_demand(&mut self, d: &LabourDemand, expected: i64) -> Result<bool, DomainError> {
        let (search, doc) = demand_rows(d)?;
        let n = diesel::update(
            ldd::table
                .filter(ldd::demand_id.eq(d.id.to_string()))
                .filter(ldd::version.eq(expected)),
        )
        .set(doc)
        .execute(self.conn)
        .db()?;
        if n == 1 {
            diesel::update(ld::table.filter(ld::id.eq(d.id.to_string())))
                .set(search)
                .execute(self.conn)
                .db()?;
            self.write_keywords(d)?;
        }
        Ok(n == 1)
    }

    fn page_demands(
        &mut self,
        f: &DemandFilter,
        page: PageRequest,
    ) -> Result<Page<LabourDemand>, DomainError> {
        macro_rules! filtered {
            ($q:expr) => {{
                let mut q = $q;
                if let Some(e) = f.employer {
                    q = q.filter(ld::employer_id.eq(e.to_string()));
                }
                if let Some(w) = f.workplace {
                    q = q.filter(ld::workplace_id.eq(w.to_string()));
                }
                if let Some(s) = f.status {
                    q = q.filter(ld::status.eq(s.as_str()));
                }
                if let Some(n) = f.talep_no {
                    q = q.filter(ld::talep_no.eq(n));
                }
                if let Some(o) = &f.occupation_code {
                    q = q.filter(ld::occupation_code.eq(o.clone()));
                }
                if let Some(p) = f.province {
                    q = q.filter(ld::province_code.eq(i32::from(p.get())));
                }
                q
            }};
        }
        let total: i64 = filtered!(ld::table.count().into_boxed())
            .get_result(self.conn)
            .db()?;
        let rows: Vec<Joined> = filtered!(demands()
            .order(ld::talep_no.desc())
            .offset(page.offset())
            .limit(page.limit())
            .into_boxed())
        .load(self.conn)
        .db()?;
        Ok(Page::new(load_demands(rows)?, page, total.max(0) as u64))
    }

    fn search_open(
        &mut self,
        q: &OpenJobQuery,
        today: Date,
        page: PageRequest,
    ) -> Result<Page<LabourDemand>, DomainError> {
        // Keywords, planned by how common each word is. A word with few index entries
        // (at most `rare_word_entries`) chooses the candidates: its demands are read from
        // the keyword index and the other filters tested on them. When every word is
        // common, the demands are walked in result order and each word is tested per
        // demand (`EXISTS` on `labour_demand_keywords_by_demand`), which finds a page
        // after a few dozen rows however large the table.
        let mut rare_word = None;
        for (i, word) in q.keywords.iter().enumerate() {
            let more: Option<String> = kw::table
                .filter(kw::word.ge(word.clone()))
                .filter(kw::word.lt(prefix_upper(word)))
                .select(kw::demand_id)
                .offset(self.rare_word_entries)
                .limit(1)
                .first(self.conn)
                .optional()
                .db()?;
            if more.is_none() {
                rare_word = Some(i);
                break;
            }
        }
        macro_rules! filtered {
            ($base:expr) => {{
                let mut b = $base
                    .filter(ld::status.eq(DemandStatus::Active.as_str()))
                    .filter(ld::last_application_date.ge(today));
                if let Some(p) = q.province {
                    b = b.filter(ld::province_code.eq(i32::from(p.get())));
                }
                if let Some(d) = q.district_code {
                    b = b.filter(ld::district_code.eq(d));
                }
                if let Some(o) = &q.occupation_code {
                    b = b.filter(ld::occupation_code.eq(o.clone()));
                }
                if let Some(t) = q.target_group {
                    b = b.filter(ld::target_group.eq(t.as_str()));
                }
                if let Some(s) = q.sector {
                    b = b.filter(ld::sector.eq(s.as_str()));
                }
                if let Some(l) = q.work_location {
                    b = b.filter(ld::work_location.eq(l.as_str()));
                }
                if let Some(t) = q.work_type {
                    b = b.filter(ld::work_type.eq(t.as_str()));
                }
                if let Some(t) = &q.field {
                    b = b.filter(ld::field_key.like(kapi_core::like_contains(t)).escape('\\'));
                }
                if let Some(t) = &q.position {
                    b = b.filter(
                        ld::position_key
                            .like(kapi_core::like_contains(t))
                            .escape('\\'),
                    );
                }
                if let Some(t) = &q.employer_title {
                    b = b.filter(
                        ld::employer_title_key
                            .like(kapi_core::like_contains(t))
                            .escape('\\'),
                    );
                }
                if let Some(n) = q.talep_no {
                    b = b.filter(ld::talep_no.eq(n));
                }
                for (i, word) in q.keywords.iter().enumerate() {
                    if Some(i) == rare_word {
                        b = b.filter(
                            ld::id.eq_any(
                                kw::table
                                    .filter(kw::word.ge(word.clone()))
                                    .filter(kw::word.lt(prefix_upper(word)))
                                    .select(kw::demand_id),
                            ),
                        );
                    } else {
                        b = b.filter(diesel::dsl::exists(
                            kw::table
                                .filter(kw::demand_id.eq(ld::id))
                                .filter(kw::word.ge(word.clone()))
                                .filter(kw::word.lt(prefix_upper(word))),
                        ));
                    }
                }
                b
            }};
        }
        let (total, more) = crate::db::count_up_to_cap(
            filtered!(ld::table
                .select(ld::id)
                .offset(crate::db::cap_offset())
                .limit(1)
                .into_boxed())
            .first::<String>(self.conn)
            .optional()
            .db()?,
            || {
                filtered!(ld::table.count().into_boxed())
                    .get_result(self.conn)
                    .db()
            },
        )?;
        // The page's ids first, then their documents: a search whose order no index gives
        // (keywords) sorts narrow rows, not every match with its document.
        let ids: Vec<String> = filtered!(ld::table
            .select(ld::id)
            .order(ld::talep_no.desc())
            .offset(page.offset())
            .limit(page.limit())
            .into_boxed())
        .load(self.conn)
        .db()?;
        let rows: Vec<Joined> = demands().filter(ld::id.eq_any(&ids)).load(self.conn).db()?;
        let mut items = load_demands(rows)?;
        items.sort_by_key(|d| std::cmp::Reverse(d.talep_no));
        Ok(Page::counted_up_to_cap(items, page, total, more))
    }

    fn job_seeker(&mut self, tckn: &Tckn) -> Result<Option<JobSeeker>, DomainError> {
        let row: Option<SeekerRow> = js::table
            .find(tckn.as_str())
            .first(self.conn)
            .optional()
            .db()?;
        row.map(SeekerRow::into_domain).transpose()
    }

    fn insert_job_seeker(&mut self, s: &JobSeeker) -> Result<(), DomainError> {
        diesel::insert_into(js::table)
            .values(SeekerRow::from_domain(s)?)
            .execute(self.conn)
            .db()?;
        self.write_occupations(s)
    }

    fn update_job_seeker(&mut self, s: &JobSeeker, expected: i64) -> Result<bool, DomainError> {
        let n = diesel::update(
            js::table
                .filter(js::tckn.eq(s.tckn.as_str()))
                .filter(js::version.eq(expected)),
        )
        .set(SeekerRow::from_domain(s)?)
        .execute(self.conn)
        .db()?;
        if n == 1 {
            self.write_occupations(s)?;
        }
        Ok(n == 1)
    }

    fn match_pool(
        &mut self,
        occupation: &str,
        province: Option<ProvinceCode>,
        limit: i64,
    ) -> Result<Vec<JobSeeker>, DomainError> {
        let mut q = js::table
            .inner_join(jso::table)
            .filter(jso::occupation_code.eq(occupation))
            .filter(js::active.eq(true))
            .select(js::all_columns)
            .order((js::registered_at.asc(), js::tckn.asc()))
            .limit(limit)
            .into_boxed();
        if let Some(p) = province {
            q = q.filter(js::province_code.eq(i32::from(p.get())));
        }
        let rows: Vec<SeekerRow> = q.load(self.conn).db()?;
        rows.into_iter().map(SeekerRow::into_domain).collect()
    }

    fn candidates_of(&mut self, demand: LabourDemandId) -> Result<Vec<Candidate>, DomainError> {
        let rows: Vec<CandidateRow> = dc::table
            .filter(dc::demand_id.eq(demand.to_string()))
            .order((dc::listed_at.asc(), dc::id.asc()))
            .load(self.conn)
            .db()?;
        rows.into_iter().map(CandidateRow::into_domain).collect()
    }

    fn get_candidate(&mut self, id: DemandCandidateId) -> Result<Option<Candidate>, DomainError> {
        let row: Option<CandidateRow> = dc::table
            .find(id.to_string())
            .first(self.conn)
            .optional()
            .db()?;
        row.map(CandidateRow::into_domain).transpose()
    }

    fn insert_candidate(&mut self, c: &Candidate) -> Result<(), DomainError> {
        diesel::insert_into(dc::table)
            .values(CandidateRow::from_domain(c))
            .execute(self.conn)
            .db()?;
        Ok(())
    }

    fn update_candidate(&mut self, c: &Candidate, expected: i64) -> Result<bool, DomainError> {
        let n = diesel::update(
            dc::table
                .filter(dc::id.eq(c.id.to_string()))
                .filter(dc::version.eq(expected)),
        )
        .set(CandidateRow::from_domain(c))
        .execute(self.conn)
        .db()?;
        Ok(n == 1)
    }

    fn applications_of(
        &mut self,
        tckn: &Tckn,
        page: PageRequest,
    ) -> Result<Page<(Candidate, LabourDemand)>, DomainError> {
        let total: i64 = dc::table
            .filter(dc::tckn.eq(tckn.as_str()))
            .count()
            .get_result(self.conn)
            .db()?;
        let rows: Vec<(CandidateRow, Joined)> = dc::table
            .inner_join(demands())
            .filter(dc::tckn.eq(tckn.as_str()))
            .order((dc::listed_at.desc(), dc::id.desc()))
            .offset(page.offset())
            .limit(page.limit())
            .load(self.conn)
            .db()?;
        let items = rows
            .into_iter()
            .map(|(c, d)| Ok((c.into_domain()?, demand_of(d)?)))
            .collect::<Result<Vec<_>, DomainError>>()?;
        Ok(Page::new(items, page, total.max(0) as u64))
    }

    fn report_lines(
        &mut self,
        scope: &ReportScope,
        limit: usize,
    ) -> Result<Vec<ReportLine>, DomainError> {
        let mut q = dc::table
            .inner_join(demands())
            .filter(ld::employer_id.eq(scope.employer.to_string()))
            .select((dc::all_columns, ld::talep_no, ldd::document))
            .order((ld::talep_no.asc(), dc::listed_at.asc(), dc::id.asc()))
            .limit(i64::try_from(limit).unwrap_or(i64::MAX))
            .into_boxed();
        if let Some(n) = scope.talep_no {
            q = q.filter(ld::talep_no.eq(n));
        }
        if let Some(w) = scope.workplace {
            q = q.filter(ld::workplace_id.eq(w.to_string()));
        }
        let rows: Vec<(CandidateRow, i64, String)> = q.load(self.conn).db()?;
        rows.into_iter()
            .map(|(c, talep_no, document)| {
                let doc: DemandDoc =
                    stored("labour demand document", serde_json::from_str(&document))?;
                Ok(ReportLine {
                    candidate: c.into_domain()?,
                    talep_no,
                    occupation_name: doc.occupation_name,
                    position: doc.details.position,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::prefix_upper;

    #[test]
    fn prefix_ranges_end_after_every_word_with_the_prefix() {
        assert_eq!(prefix_upper("fork"), "forl");
        assert!("forklift" >= "fork" && "forklift" < prefix_upper("fork").as_str());
        assert!("forl" >= prefix_upper("fork").as_str());
        assert_eq!(prefix_upper("şç"), "şè");
    }
}
