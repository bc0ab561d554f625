//! Reference data: code lists loaded from the CSV files in `reference/` (embedded in the
//! binary) and the read queries the `/reference` endpoints serve.
//!
//! Loading is idempotent and cheap to repeat: each dataset's SHA-256 is recorded in
//! `reference_seeds`; an unchanged file is skipped, a changed one inserts the rows that are
//! missing and renames the ones whose label changed. Rows are never deleted by the loader
//! (records elsewhere may refer to them). Sectors are administered data: the seed list is
//! inserted once, into an empty table, and never again.

use crate::convert::to_db_time;
use crate::db::{DbConnection, DbResultExt};
use crate::schema::*;
use diesel::prelude::*;
use kapi_core::fold::{like_contains, like_prefix};
use kapi_core::{search_fold, DomainError, FieldError, Page, PageRequest, SectorId};
use kapi_work_permit::fees::{FeeCsvRow, FeeSchedule};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};
use time::OffsetDateTime;

const PROVINCES: &str = include_str!("../../reference/provinces.csv");
const DISTRICTS: &str = include_str!("../../reference/districts.csv");
const NEIGHBOURHOODS: &str = include_str!("../../reference/neighbourhoods.csv");
const OCCUPATIONS: &str = include_str!("../../reference/occupations.csv");
const EDUCATION_LEVELS: &str = include_str!("../../reference/education_levels.csv");
const COUNTRIES: &str = include_str!("../../reference/countries.csv");
const SECTORS: &str = include_str!("../../reference/sectors.csv");
const SERVICE_HEADINGS: &str = include_str!("../../reference/service_headings.csv");
const DETSIS_UNITS: &str = include_str!("../../reference/detsis_units.csv");
const WORK_PERMIT_FEES: &str = include_str!("../../reference/work_permit_fees.csv");

pub const BATCH: usize = 400;

fn sha256(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// A CSV problem, with its 1-based line number (the header is line 1).
fn csv_error(dataset: &str, line: usize, msg: impl std::fmt::Display) -> DomainError {
    DomainError::field(FieldError::new(
        format!("{dataset}:{line}"),
        "reference.csv_invalid",
        format!("{dataset} line {line}: {msg}"),
    ))
}

fn parse_csv<T: for<'de> Deserialize<'de>>(
    dataset: &str,
    text: &str,
) -> Result<Vec<T>, DomainError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, rec) in reader.deserialize::<T>().enumerate() {
        out.push(rec.map_err(|e| csv_error(dataset, i + 2, e))?);
    }
    Ok(out)
}

#[derive(Deserialize)]
struct ProvinceCsv {
    code: i32,
    name: String,
}
#[derive(Deserialize)]
struct DistrictCsv {
    code: i32,
    province_code: i32,
    name: String,
}
#[derive(Deserialize)]
struct NeighbourhoodCsv {
    code: i32,
    district_code: i32,
    name: String,
    #[serde(default = "default_kind")]
    kind: String,
}
fn default_kind() -> String {
    "neighbourhood".to_owned()
}
/// One occupation of the dictionary: `code,name` (`2512.04,Yazılım Geliştirici`).
#[derive(Deserialize)]
pub struct OccupationCsv {
    pub code: String,
    pub name: String,
}
#[derive(Deserialize)]
struct EducationCsv {
    code: String,
    name_tr: String,
    name_en: String,
    position: i32,
}
#[derive(Deserialize)]
struct CountryCsv {
    code: String,
    name_tr: String,
    name_en: String,
    nationality_tr: String,
}
#[derive(Deserialize)]
struct SectorCsv {
    name: String,
    position: i32,
}
#[derive(Deserialize)]
struct HeadingCsv {
    code: String,
    parent_code: Option<String>,
    name: String,
}
/// One DETSİS unit: `detsis_no,parent_detsis_no,name,province_code`.
#[derive(Deserialize)]
pub struct DetsisCsv {
    pub detsis_no: String,
    pub parent_detsis_no: Option<String>,
    pub name: String,
    pub province_code: Option<i32>,
}

fn seeded_hash(conn: &mut DbConnection, name: &str) -> Result<Option<String>, DomainError> {
    reference_seeds::table
        .find(name)
        .select(reference_seeds::sha256)
        .first(conn)
        .optional()
        .db()
}

fn mark_seeded(
    conn: &mut DbConnection,
    name: &str,
    hash: &str,
    rows: usize,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    diesel::delete(reference_seeds::table.find(name))
        .execute(conn)
        .db()?;
    diesel::insert_into(reference_seeds::table)
        .values((
            reference_seeds::name.eq(name),
            reference_seeds::sha256.eq(hash),
            reference_seeds::row_count.eq(rows as i32),
            reference_seeds::loaded_at.eq(to_db_time(now)),
        ))
        .execute(conn)
        .db()?;
    Ok(())
}

/// What a load did to one dataset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadReport {
    pub dataset: &'static str,
    pub inserted: usize,
    pub updated: usize,
    pub skipped: bool,
}

/// Inserts rows in batches. Batch inserts are written against the concrete connection:
/// diesel's multi-backend connection cannot express SQLite's batch insert.
#[macro_export]
macro_rules! insert_batches {
    ($conn:expr, $table:path, $rows:expr) => {{
        let rows = $rows;
        for chunk in rows.chunks(BATCH) {
            match &mut *$conn {
                $crate::db::DbConnection::Pg(c) => {
                    diesel::insert_into($table).values(chunk).execute(c)
                }
                $crate::db::DbConnection::Sqlite(c) => {
                    diesel::insert_into($table).values(chunk).execute(c)
                }
            }
            .db()?;
        }
        rows.len()
    }};
}

/// Inserts the rows of a CSV whose key is not in the table yet: `(inserted, 0, rows)`.
/// The CSV struct's key field has the column's name.
macro_rules! insert_missing {
    ($conn:expr, $dataset:literal, $text:expr, $csv:ty, $table:ident, $key:ident: $kty:ty, |$r:ident| $values:expr) => {{
        let rows: Vec<$csv> = parse_csv($dataset, $text)?;
        let have: HashSet<$kty> = $table::table
            .select($table::$key)
            .load($conn)
            .db()?
            .into_iter()
            .collect();
        let new: Vec<_> = rows
            .iter()
            .filter(|$r| !have.contains(&$r.$key))
            .map(|$r| $values)
            .collect();
        Ok((insert_batches!($conn, $table::table, &new), 0, rows.len()))
    }};
}

/// Loads one dataset: (inserted, updated, rows in the file).
type DatasetLoader<'a> =
    &'a dyn Fn(&mut DbConnection) -> Result<(usize, usize, usize), DomainError>;

/// Loads every embedded dataset that changed since the last load. Run inside a write transaction.
pub fn load_reference(
    conn: &mut DbConnection,
    now: OffsetDateTime,
) -> Result<Vec<LoadReport>, DomainError> {
    let mut reports = Vec::new();
    let mut run = |conn: &mut DbConnection,
                   name: &'static str,
                   text: &str,
                   f: DatasetLoader<'_>|
     -> Result<(), DomainError> {
        let hash = sha256(text);
        if seeded_hash(conn, name)?.as_deref() == Some(hash.as_str()) {
            reports.push(LoadReport {
                dataset: name,
                inserted: 0,
                updated: 0,
                skipped: true,
            });
            return Ok(());
        }
        let (inserted, updated, total) = f(conn)?;
        mark_seeded(conn, name, &hash, total, now)?;
        reports.push(LoadReport {
            dataset: name,
            inserted,
            updated,
            skipped: false,
        });
        Ok(())
    };

    run(conn, "provinces", PROVINCES, &|conn| {
        insert_missing!(conn, "provinces", PROVINCES, ProvinceCsv, provinces, code: i32, |r| (
            provinces::code.eq(r.code),
            provinces::name.eq(&r.name),
            provinces::search_key.eq(search_fold(&r.name)),
        ))
    })?;
    run(conn, "districts", DISTRICTS, &|conn| {
        insert_missing!(conn, "districts", DISTRICTS, DistrictCsv, districts, code: i32, |r| (
            districts::code.eq(r.code),
            districts::province_code.eq(r.province_code),
            districts::name.eq(&r.name),
            districts::search_key.eq(search_fold(&r.name)),
        ))
    })?;
    run(conn, "neighbourhoods", NEIGHBOURHOODS, &|conn| {
        insert_missing!(conn, "neighbourhoods", NEIGHBOURHOODS, NeighbourhoodCsv, neighbourhoods, code: i32, |r| (
            neighbourhoods::code.eq(r.code),
            neighbourhoods::district_code.eq(r.district_code),
            neighbourhoods::name.eq(&r.name),
            neighbourhoods::kind.eq(&r.kind),
            neighbourhoods::search_key.eq(search_fold(&r.name)),
        ))
    })?;
    run(conn, "occupations", OCCUPATIONS, &|conn| {
        let rows: Vec<OccupationCsv> = parse_csv("occupations", OCCUPATIONS)?;
        let (i, u) = upsert_occupations(conn, &rows)?;
        Ok((i, u, rows.len()))
    })?;
    run(conn, "education_levels", EDUCATION_LEVELS, &|conn| {
        insert_missing!(conn, "education_levels", EDUCATION_LEVELS, EducationCsv, education_levels, code: String, |r| (
            education_levels::code.eq(&r.code),
            education_levels::name_tr.eq(&r.name_tr),
            education_levels::name_en.eq(&r.name_en),
            education_levels::position.eq(r.position),
        ))
    })?;
    run(conn, "countries", COUNTRIES, &|conn| {
        insert_missing!(conn, "countries", COUNTRIES, CountryCsv, countries, code: String, |r| (
            countries::code.eq(&r.code),
            countries::name_tr.eq(&r.name_tr),
            countries::name_en.eq(&r.name_en),
            countries::nationality_tr.eq(&r.nationality_tr),
            countries::search_key.eq(search_fold(&format!("{} {}", r.name_tr, r.name_en))),
        ))
    })?;
    run(conn, "service_headings", SERVICE_HEADINGS, &|conn| {
        let rows: Vec<HeadingCsv> = parse_csv("service_headings", SERVICE_HEADINGS)?;
        let have: HashSet<String> = service_headings::table
            .select(service_headings::code)
            .load(conn)
            .db()?
            .into_iter()
            .collect();
        // Parents first, numbered in file order within their parent.
        let mut position: HashMap<Option<String>, i32> = HashMap::new();
        let mut ordered: Vec<(&HeadingCsv, i32)> = Vec::new();
        for pass_parents in [true, false] {
            for r in rows
                .iter()
                .filter(|r| r.parent_code.as_deref().is_none_or(str::is_empty) == pass_parents)
            {
                let parent = r.parent_code.clone().filter(|p| !p.is_empty());
                let p = position.entry(parent).or_insert(0);
                *p += 1;
                ordered.push((r, *p));
            }
        }
        let new: Vec<_> = ordered
            .iter()
            .filter(|(r, _)| !have.contains(&r.code))
            .map(|(r, pos)| {
                (
                    service_headings::code.eq(&r.code),
                    service_headings::parent_code
                        .eq(r.parent_code.as_ref().filter(|p| !p.is_empty())),
                    service_headings::name.eq(&r.name),
                    service_headings::position.eq(*pos),
                    service_headings::search_key.eq(search_fold(&r.name)),
                )
            })
            .collect();
        Ok((
            insert_batches!(conn, service_headings::table, &new),
            0,
            rows.len(),
        ))
    })?;
    run(conn, "detsis_units", DETSIS_UNITS, &|conn| {
        let rows: Vec<DetsisCsv> = parse_csv("detsis_units", DETSIS_UNITS)?;
        let (i, u) = upsert_detsis(conn, &rows)?;
        Ok((i, u, rows.len()))
    })?;
    run(conn, "work_permit_fees", WORK_PERMIT_FEES, &|conn| {
        let rows: Vec<FeeCsvRow> = parse_csv("work_permit_fees", WORK_PERMIT_FEES)?;
        let (i, u) = upsert_work_permit_fees(conn, &rows)?;
        Ok((i, u, rows.len()))
    })?;
    run(conn, "sectors", SECTORS, &|conn| {
        let rows: Vec<SectorCsv> = parse_csv("sectors", SECTORS)?;
        let existing: i64 = sectors::table.count().get_result(conn).db()?;
        if existing > 0 {
            return Ok((0, 0, rows.len()));
        }
        let t = to_db_time(now);
        let new: Vec<_> = rows
            .iter()
            .map(|r| {
                (
                    sectors::id.eq(SectorId::new().to_string()),
                    sectors::name.eq(&r.name),
                    sectors::search_key.eq(search_fold(&r.name)),
                    sectors::position.eq(r.position),
                    sectors::version.eq(1i64),
                    sectors::created_at.eq(t),
                    sectors::updated_at.eq(t),
                )
            })
            .collect();
        Ok((insert_batches!(conn, sectors::table, &new), 0, rows.len()))
    })?;
    Ok(reports)
}

fn is_occupation_code(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 7
        && b[4] == b'.'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || c.is_ascii_digit())
}

/// Inserts new occupations and renames changed ones; returns (inserted, updated).
pub fn upsert_occupations(
    conn: &mut DbConnection,
    rows: &[OccupationCsv],
) -> Result<(usize, usize), DomainError> {
    let mut seen = HashSet::new();
    for (i, r) in rows.iter().enumerate() {
        if !is_occupation_code(&r.code) {
            return Err(csv_error(
                "occupations",
                i + 2,
                format!("code {:?} is not of the form 1234.56", r.code),
            ));
        }
        if r.name.trim().is_empty() || r.name.chars().count() > 200 {
            return Err(csv_error(
                "occupations",
                i + 2,
                "name is empty or longer than 200 characters",
            ));
        }
        if !seen.insert(r.code.as_str()) {
            return Err(csv_error(
                "occupations",
                i + 2,
                format!("code {} appears twice", r.code),
            ));
        }
    }
    let have: HashMap<String, String> = occupations::table
        .select((occupations::code, occupations::name))
        .load(conn)
        .db()?
        .into_iter()
        .collect();
    let mut updated = 0;
    for r in rows
        .iter()
        .filter(|r| have.get(&r.code).is_some_and(|n| n != r.name.trim()))
    {
        diesel::update(occupations::table.find(&r.code))
            .set((
                occupations::name.eq(r.name.trim()),
                occupations::search_key.eq(search_fold(&r.name)),
            ))
            .execute(conn)
            .db()?;
        updated += 1;
    }
    let new: Vec<_> = rows
        .iter()
        .filter(|r| !have.contains_key(&r.code))
        .map(|r| {
            (
                occupations::code.eq(&r.code),
                occupations::name.eq(r.name.trim()),
                occupations::search_key.eq(search_fold(&r.name)),
            )
        })
        .collect();
    let inserted = insert_batches!(conn, occupations::table, &new);
    Ok((inserted, updated))
}

/// Inserts new DETSİS units and updates changed ones; returns (inserted, updated). Every
/// parent must exist in the file or the database, and the tree must not loop.
pub fn upsert_detsis(
    conn: &mut DbConnection,
    rows: &[DetsisCsv],
) -> Result<(usize, usize), DomainError> {
    type Existing = (String, Option<String>, String, Option<i32>);
    let have: HashMap<String, Existing> = detsis_units::table
        .select((
            detsis_units::detsis_no,
            detsis_units::parent_detsis_no,
            detsis_units::name,
            detsis_units::province_code,
        ))
        .load::<Existing>(conn)
        .db()?
        .into_iter()
        .map(|e| (e.0.clone(), e))
        .collect();
    let mut parent_of: HashMap<&str, Option<&str>> = have
        .iter()
        .map(|(k, v)| (k.as_str(), v.1.as_deref()))
        .collect();
    let mut seen = HashSet::new();
    for (i, r) in rows.iter().enumerate() {
        let line = i + 2;
        let ok_no =
            |s: &str| s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) && !s.starts_with('0');
        if !ok_no(&r.detsis_no) {
            return Err(csv_error(
                "detsis_units",
                line,
                format!("detsis_no {:?} is not 8 digits", r.detsis_no),
            ));
        }
        if let Some(p) = r.parent_detsis_no.as_deref().filter(|p| !p.is_empty()) {
            if !ok_no(p) {
                return Err(csv_error(
                    "detsis_units",
                    line,
                    format!("parent_detsis_no {p:?} is not 8 digits"),
                ));
            }
        }
        if r.name.trim().is_empty() {
            return Err(csv_error("detsis_units", line, "name is empty"));
        }
        if let Some(p) = r.province_code {
            if !(1..=81).contains(&p) {
                return Err(csv_error(
                    "detsis_units",
                    line,
                    format!("province_code {p} is not 1–81"),
                ));
            }
        }
        if !seen.insert(r.detsis_no.as_str()) {
            return Err(csv_error(
                "detsis_units",
                line,
                format!("detsis_no {} appears twice", r.detsis_no),
            ));
        }
        parent_of.insert(
            &r.detsis_no,
            r.parent_detsis_no.as_deref().filter(|p| !p.is_empty()),
        );
    }
    for (i, r) in rows.iter().enumerate() {
        let mut cur = r.detsis_no.as_str();
        let mut steps = 0;
        while let Some(Some(p)) = parent_of.get(cur) {
            if !parent_of.contains_key(p) {
                return Err(csv_error(
                    "detsis_units",
                    i + 2,
                    format!("parent {p} does not exist"),
                ));
            }
            steps += 1;
            if steps > parent_of.len() {
                return Err(csv_error("detsis_units", i + 2, "the unit tree loops"));
            }
            cur = p;
        }
    }
    let mut updated = 0;
    for r in rows {
        let parent = r.parent_detsis_no.clone().filter(|p| !p.is_empty());
        if let Some(e) = have.get(&r.detsis_no) {
            if e.1 != parent || e.2 != r.name.trim() || e.3 != r.province_code {
                diesel::update(detsis_units::table.find(&r.detsis_no))
                    .set((
                        detsis_units::parent_detsis_no.eq(&parent),
                        detsis_units::name.eq(r.name.trim()),
                        detsis_units::province_code.eq(r.province_code),
                        detsis_units::search_key.eq(search_fold(&r.name)),
                    ))
                    .execute(conn)
                    .db()?;
                updated += 1;
            }
        }
    }
    let new: Vec<_> = rows
        .iter()
        .filter(|r| !have.contains_key(&r.detsis_no))
        .map(|r| {
            (
                detsis_units::detsis_no.eq(&r.detsis_no),
                detsis_units::parent_detsis_no
                    .eq(r.parent_detsis_no.clone().filter(|p| !p.is_empty())),
                detsis_units::name.eq(r.name.trim()),
                detsis_units::province_code.eq(r.province_code),
                detsis_units::search_key.eq(search_fold(&r.name)),
            )
        })
        .collect();
    let inserted = insert_batches!(conn, detsis_units::table, &new);
    Ok((inserted, updated))
}

/// Checks the fee schedule rows with the domain's own rules ([`FeeSchedule::from_csv_rows`]:
/// dates, amounts, bands that neither overlap nor run backwards), then inserts the rows whose
/// `(valid_from, months_min)` is new and updates those whose band end or amounts changed, so
/// a corrected tariff line replaces the wrong one. Returns (inserted, updated).
pub fn upsert_work_permit_fees(
    conn: &mut DbConnection,
    rows: &[FeeCsvRow],
) -> Result<(usize, usize), DomainError> {
    let schedule = FeeSchedule::from_csv_rows(rows).map_err(|e| fee_csv_error(&e))?;
    type Key = (time::Date, i32);
    let have: HashMap<Key, (i32, i64, i64)> = work_permit_fees::table
        .select((
            work_permit_fees::valid_from,
            work_permit_fees::months_min,
            work_permit_fees::months_max,
            work_permit_fees::permit_fee_kurus,
            work_permit_fees::card_fee_kurus,
        ))
        .load::<(time::Date, i32, i32, i64, i64)>(conn)
        .db()?
        .into_iter()
        .map(|(v, min, max, p, c)| ((v, min), (max, p, c)))
        .collect();
    let mut updated = 0;
    let mut new = Vec::new();
    for r in schedule.rows() {
        let key = (r.valid_from, i32::from(r.months_min));
        let values = (
            i32::from(r.months_max),
            r.permit_fee.kurus(),
            r.card_fee.kurus(),
        );
        match have.get(&key) {
            Some(old) if *old == values => {}
            Some(_) => {
                diesel::update(work_permit_fees::table.find(key))
                    .set((
                        work_permit_fees::months_max.eq(values.0),
                        work_permit_fees::permit_fee_kurus.eq(values.1),
                        work_permit_fees::card_fee_kurus.eq(values.2),
                    ))
                    .execute(conn)
                    .db()?;
                updated += 1;
            }
            None => new.push((
                work_permit_fees::valid_from.eq(key.0),
                work_permit_fees::months_min.eq(key.1),
                work_permit_fees::months_max.eq(values.0),
                work_permit_fees::permit_fee_kurus.eq(values.1),
                work_permit_fees::card_fee_kurus.eq(values.2),
            )),
        }
    }
    let inserted = insert_batches!(conn, work_permit_fees::table, &new);
    Ok((inserted, updated))
}

/// The domain's `rows[i].field` errors as CSV errors naming the file line (row i is line i + 2).
fn fee_csv_error(e: &DomainError) -> DomainError {
    let line_of = |field: &str| -> Option<(usize, String)> {
        let rest = field.strip_prefix("rows[")?;
        let (i, col) = rest.split_once("].")?;
        Some((i.parse::<usize>().ok()? + 2, col.to_owned()))
    };
    let fields: Vec<FieldError> = if e.fields.is_empty() {
        vec![FieldError::new(
            "work_permit_fees",
            e.code.clone(),
            e.message.clone(),
        )]
    } else {
        e.fields.clone()
    };
    DomainError::fields(
        fields
            .into_iter()
            .map(|f| match line_of(&f.field) {
                Some((line, col)) => FieldError::new(
                    format!("work_permit_fees:{line}"),
                    "reference.csv_invalid",
                    format!(
                        "work_permit_fees line {line}: {col}: {} ({})",
                        f.message, f.code
                    ),
                ),
                None => FieldError::new(
                    "work_permit_fees",
                    "reference.csv_invalid",
                    format!("work_permit_fees: {} ({})", f.message, f.code),
                ),
            })
            .collect(),
    )
}

/// Parses an occupation CSV file (for `kapi import occupations`).
pub fn parse_occupations(text: &str) -> Result<Vec<OccupationCsv>, DomainError> {
    parse_csv("occupations", text)
}

/// Parses a DETSİS CSV file (for `kapi import detsis`).
pub fn parse_detsis(text: &str) -> Result<Vec<DetsisCsv>, DomainError> {
    parse_csv("detsis_units", text)
}

// ---------------------------------------------------------------------------------------
// Reads

#[derive(Debug, Clone, Queryable)]
pub struct Province {
    pub code: i32,
    pub name: String,
}

#[derive(Debug, Clone, Queryable)]
pub struct District {
    pub code: i32,
    pub province_code: i32,
    pub name: String,
}

#[derive(Debug, Clone, Queryable)]
pub struct Neighbourhood {
    pub code: i32,
    pub district_code: i32,
    pub name: String,
    pub kind: String,
}

#[derive(Debug, Clone, Queryable)]
pub struct Occupation {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Queryable)]
pub struct EducationLevel {
    pub code: String,
    pub name_tr: String,
    pub name_en: String,
    pub position: i32,
}

#[derive(Debug, Clone, Queryable)]
pub struct Country {
    pub code: String,
    pub name_tr: String,
    pub name_en: String,
    pub nationality_tr: String,
}

#[derive(Debug, Clone, Queryable)]
pub struct ServiceHeading {
    pub code: String,
    pub parent_code: Option<String>,
    pub name: String,
    pub position: i32,
}

#[derive(Debug, Clone, Queryable)]
pub struct DetsisUnit {
    pub detsis_no: String,
    pub parent_detsis_no: Option<String>,
    pub name: String,
    pub province_code: Option<i32>,
}

fn folded_pattern(q: Option<&str>) -> Option<String> {
    q.map(search_fold)
        .filter(|q| !q.is_empty())
        .map(|q| like_contains(&q))
}

pub fn list_provinces(
    conn: &mut DbConnection,
    q: Option<&str>,
) -> Result<Vec<Province>, DomainError> {
    let mut query = provinces::table
        .select((provinces::code, provinces::name))
        .order(provinces::code.asc())
        .into_boxed();
    if let Some(p) = folded_pattern(q) {
        query = query.filter(provinces::search_key.like(p).escape('\\'));
    }
    query.load(conn).db()
}

pub fn get_province(conn: &mut DbConnection, code: i32) -> Result<Option<Province>, DomainError> {
    provinces::table
        .find(code)
        .select((provinces::code, provinces::name))
        .first(conn)
        .optional()
        .db()
}

pub fn list_districts(
    conn: &mut DbConnection,
    province: i32,
    q: Option<&str>,
) -> Result<Vec<District>, DomainError> {
    let mut query = districts::table
        .filter(districts::province_code.eq(province))
        .select((districts::code, districts::province_code, districts::name))
        .order((districts::search_key.asc(), districts::code.asc()))
        .into_boxed();
    if let Some(p) = folded_pattern(q) {
        query = query.filter(districts::search_key.like(p).escape('\\'));
    }
    query.load(conn).db()
}

pub fn get_district(conn: &mut DbConnection, code: i32) -> Result<Option<District>, DomainError> {
    districts::table
        .find(code)
        .select((districts::code, districts::province_code, districts::name))
        .first(conn)
        .optional()
        .db()
}

pub fn list_neighbourhoods(
    conn: &mut DbConnection,
    district: i32,
    q: Option<&str>,
    page: PageRequest,
) -> Result<Page<Neighbourhood>, DomainError> {
    let pattern = folded_pattern(q);
    let mut count = neighbourhoods::table
        .filter(neighbourhoods::district_code.eq(district))
        .count()
        .into_boxed();
    let mut query = neighbourhoods::table
        .filter(neighbourhoods::district_code.eq(district))
        .select((
            neighbourhoods::code,
            neighbourhoods::district_code,
            neighbourhoods::name,
            neighbourhoods::kind,
        ))
        .order((neighbourhoods::search_key.asc(), neighbourhoods::code.asc()))
        .offset(page.offset())
        .limit(page.limit())
        .into_boxed();
    if let Some(p) = pattern {
        count = count.filter(neighbourhoods::search_key.like(p.clone()).escape('\\'));
        query = query.filter(neighbourhoods::search_key.like(p).escape('\\'));
    }
    let total: i64 = count.get_result(conn).db()?;
    Ok(Page::new(query.load(conn).db()?, page, total.max(0) as u64))
}

/// Occupations whose code starts with `q` or whose folded name contains it.
pub fn search_occupations(
    conn: &mut DbConnection,
    q: Option<&str>,
    page: PageRequest,
) -> Result<Page<Occupation>, DomainError> {
    let q = q.map(str::trim).filter(|q| !q.is_empty());
    let mut count = occupations::table.count().into_boxed();
    let mut query = occupations::table
        .select((occupations::code, occupations::name))
        .order(occupations::code.asc())
        .offset(page.offset())
        .limit(page.limit())
        .into_boxed();
    if let Some(q) = q {
        let name_pattern = like_contains(&search_fold(q));
        let code_prefix = like_prefix(q);
        count = count.filter(
            occupations::search_key
                .like(name_pattern.clone())
                .escape('\\')
                .or(occupations::code.like(code_prefix.clone()).escape('\\')),
        );
        query = query.filter(
            occupations::search_key
                .like(name_pattern)
                .escape('\\')
                .or(occupations::code.like(code_prefix).escape('\\')),
        );
    }
    let total: i64 = count.get_result(conn).db()?;
    Ok(Page::new(query.load(conn).db()?, page, total.max(0) as u64))
}

pub fn get_occupation(
    conn: &mut DbConnection,
    code: &str,
) -> Result<Option<Occupation>, DomainError> {
    occupations::table
        .find(code)
        .select((occupations::code, occupations::name))
        .first(conn)
        .optional()
        .db()
}

pub fn list_education_levels(conn: &mut DbConnection) -> Result<Vec<EducationLevel>, DomainError> {
    education_levels::table
        .order(education_levels::position.asc())
        .load(conn)
        .db()
}

pub fn list_countries(
    conn: &mut DbConnection,
    q: Option<&str>,
) -> Result<Vec<Country>, DomainError> {
    let mut query = countries::table
        .select((
            countries::code,
            countries::name_tr,
            countries::name_en,
            countries::nationality_tr,
        ))
        .order(countries::search_key.asc())
        .into_boxed();
    if let Some(p) = folded_pattern(q) {
        query = query.filter(countries::search_key.like(p).escape('\\'));
    }
    query.load(conn).db()
}

pub fn list_service_headings(conn: &mut DbConnection) -> Result<Vec<ServiceHeading>, DomainError> {
    service_headings::table
        .select((
            service_headings::code,
            service_headings::parent_code,
            service_headings::name,
            service_headings::position,
        ))
        .order((
            service_headings::position.asc(),
            service_headings::code.asc(),
        ))
        .load(conn)
        .db()
}

/// DETSİS units filtered by folded name (or number prefix), province and parent; paged.
pub fn search_detsis(
    conn: &mut DbConnection,
    q: Option<&str>,
    province: Option<i32>,
    parent: Option<&str>,
    page: PageRequest,
) -> Result<Page<DetsisUnit>, DomainError> {
    let mut count = detsis_units::table.count().into_boxed();
    let mut query = detsis_units::table
        .select((
            detsis_units::detsis_no,
            detsis_units::parent_detsis_no,
            detsis_units::name,
            detsis_units::province_code,
        ))
        .order((
            detsis_units::search_key.asc(),
            detsis_units::detsis_no.asc(),
        ))
        .offset(page.offset())
        .limit(page.limit())
        .into_boxed();
    if let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = like_contains(&search_fold(q));
        let prefix = like_prefix(q);
        count = count.filter(
            detsis_units::search_key
                .like(pattern.clone())
                .escape('\\')
                .or(detsis_units::detsis_no.like(prefix.clone()).escape('\\')),
        );
        query = query.filter(
            detsis_units::search_key
                .like(pattern)
                .escape('\\')
                .or(detsis_units::detsis_no.like(prefix).escape('\\')),
        );
    }
    if let Some(p) = province {
        count = count.filter(detsis_units::province_code.eq(p));
        query = query.filter(detsis_units::province_code.eq(p));
    }
    if let Some(parent) = parent {
        count = count.filter(detsis_units::parent_detsis_no.eq(parent.to_owned()));
        query = query.filter(detsis_units::parent_detsis_no.eq(parent.to_owned()));
    }
    let total: i64 = count.get_result(conn).db()?;
    Ok(Page::new(query.load(conn).db()?, page, total.max(0) as u64))
}

pub fn get_detsis(
    conn: &mut DbConnection,
    detsis_no: &str,
) -> Result<Option<DetsisUnit>, DomainError> {
    detsis_units::table
        .find(detsis_no)
        .select((
            detsis_units::detsis_no,
            detsis_units::parent_detsis_no,
            detsis_units::name,
            detsis_units::province_code,
        ))
        .first(conn)
        .optional()
        .db()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fee_csv_is_the_domain_demo_tariff() {
        let rows: Vec<FeeCsvRow> = parse_csv("work_permit_fees", WORK_PERMIT_FEES).unwrap();
        assert_eq!(rows, kapi_work_permit::fees::demo_rows());
        assert!(FeeSchedule::from_csv_rows(&rows).is_ok());
    }

    #[test]
    fn bad_fee_rows_name_their_line() {
        let mut rows = kapi_work_permit::fees::demo_rows();
        rows[2].permit_fee = "-5".into();
        let e = FeeSchedule::from_csv_rows(&rows).unwrap_err();
        let e = fee_csv_error(&e);
        assert_eq!(e.fields[0].field, "work_permit_fees:4");
        assert_eq!(e.fields[0].code, "reference.csv_invalid");
        assert!(e.fields[0].message.contains("fee.amount_not_positive"));
    }
}
