//! `make bench-search`: the open-job search over 100 000 labour demands, on SQLite and (when
//! `KAPI_TEST_POSTGRES_URL` is set) PostgreSQL. Loads the demands through the real store
//! (search columns, documents, keyword rows), then times every search mode through the
//! use case (median and p95 of 40 runs, first page of 15) and prints the query plan of each
//! mode's SQL (`EXPLAIN QUERY PLAN` / `EXPLAIN`), hand-written to match what the store
//! generates. Not a test: timings depend on the machine; the plans are the point.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use diesel::prelude::*;
use diesel::sql_types::Text;
use kapi_core::{DomainError, EmployerSector, LabourDemandId, PageRequest, ProvinceCode};
use kapi_labour_demand::demand::{
    DemandDetails, DemandStatus, LabourDemand, Requirements, ShiftPattern, TargetGroup,
    WorkAddress, WorkLocation, WorkType,
};
use kapi_labour_demand::demands::{search_open_jobs, DemandStore};
use kapi_labour_demand::search::{open_job_query, SearchMode, SearchParams};
use kapi_persistence::labour_demands::DemandRepo;
use kapi_persistence::{Db, DbConnection};
use kapi_tests::{fresh_database, Backend};
use std::time::Instant;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};

const N: usize = 100_000;
const NOW: OffsetDateTime = datetime!(2026-11-23 09:00 +03:00);

/// A small deterministic generator (no dependency, same data every run).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

const WORDS: [&str; 12] = [
    "depo",
    "vardiyalı",
    "deneyimli",
    "operatör",
    "satış",
    "müşteri",
    "temizlik",
    "güvenlik",
    "şoför",
    "aşçı",
    "muhasebe",
    "kasiyer",
];

fn load(db: &Db) -> (i64, i32) {
    db.write(|c| {
        let (employer, workplace): (String, String) = kapi_persistence::schema::workplaces::table
            .select((
                kapi_persistence::schema::workplaces::employer_id,
                kapi_persistence::schema::workplaces::id,
            ))
            .first(c)
            .map_err(|e| DomainError::internal(e.to_string()))?;
        let districts: Vec<(i32, i32)> = kapi_persistence::schema::districts::table
            .select((
                kapi_persistence::schema::districts::province_code,
                kapi_persistence::schema::districts::code,
            ))
            .load(c)
            .map_err(|e| DomainError::internal(e.to_string()))?;
        let occupations: Vec<(String, String)> = kapi_persistence::schema::occupations::table
            .select((
                kapi_persistence::schema::occupations::code,
                kapi_persistence::schema::occupations::name,
            ))
            .load(c)
            .map_err(|e| DomainError::internal(e.to_string()))?;
        let mut rng = Lcg(20261123);
        let mut repo = DemandRepo::new(c);
        let mut first = 0;
        for i in 0..N {
            let (province, district) = districts[rng.next(districts.len())];
            let (code, name) = occupations[rng.next(occupations.len())].clone();
            let target = [
                TargetGroup::General,
                TargetGroup::General,
                TargetGroup::General,
                TargetGroup::Disabled,
                TargetGroup::ExConvict,
            ][rng.next(5)];
            let status = if rng.next(10) < 7 {
                DemandStatus::Active
            } else {
                DemandStatus::Closed
            };
            let description = (0..6)
                .map(|_| WORDS[rng.next(WORDS.len())])
                .collect::<Vec<_>>()
                .join(" ");
            let talep_no = repo.next_talep_no()?;
            if i == 0 {
                first = talep_no;
            }
            repo.insert_demand(&LabourDemand {
                id: LabourDemandId::new(),
                talep_no,
                employer_id: kapi_core::EmployerId::from_uuid(employer.parse().unwrap()),
                workplace_id: kapi_core::WorkplaceId::from_uuid(workplace.parse().unwrap()),
                employer_title: format!("Bench İşveren {} Ltd. Şti.", rng.next(5000)),
                sector: if rng.next(4) == 0 {
                    EmployerSector::Public
                } else {
                    EmployerSector::Private
                },
                occupation_code: code,
                occupation_name: name.clone(),
                worker_count: 1 + rng.next(5) as u16,
                last_application_date: NOW.date() + Duration::days(rng.next(120) as i64 - 30),
                requirements: Requirements {
                    target_group: target,
                    ..Requirements::default()
                },
                details: DemandDetails {
                    position: name,
                    field: Some("Bench".into()),
                    description: Some(description),
                    work_type: if rng.next(5) == 0 {
                        WorkType::PartTime
                    } else {
                        WorkType::FullTime
                    },
                    shift: ShiftPattern::Day,
                    weekly_hours: None,
                    education_field: None,
                    physical_notes: None,
                    exam_required: false,
                    exam_notes: None,
                    work_location: WorkLocation::Domestic,
                    work_country: None,
                    work_address: WorkAddress {
                        province: ProvinceCode::new(i64::from(province)).unwrap(),
                        district_code: district,
                        address: "Bench Cad. No:1".into(),
                    },
                    benefits: vec![],
                    wage: None,
                    interview_address: None,
                },
                status,
                close_reason: None,
                status_note: None,
                hired_count: 0,
                invited_any: false,
                version: 1,
                created_at: NOW,
                updated_at: NOW,
            })?;
        }
        Ok(first)
    })
    .map(|first| (first, 6007))
    .unwrap()
}

fn modes(talep: i64) -> Vec<(&'static str, SearchMode, SearchParams)> {
    let ankara = Some(ProvinceCode::new(6).unwrap());
    vec![
        (
            "province_district",
            SearchMode::ProvinceDistrict,
            SearchParams {
                province: ankara,
                district_code: Some(6007),
                ..Default::default()
            },
        ),
        (
            "province_occupation",
            SearchMode::ProvinceOccupation,
            SearchParams {
                province: ankara,
                occupation_code: Some("8344.01".into()),
                ..Default::default()
            },
        ),
        (
            "province_occupation_target",
            SearchMode::ProvinceOccupationTarget,
            SearchParams {
                province: ankara,
                occupation_code: Some("8344.01".into()),
                target_group: Some(TargetGroup::General),
                ..Default::default()
            },
        ),
        (
            "quick (province, sector, work type)",
            SearchMode::Quick,
            SearchParams {
                province: ankara,
                sector: Some(EmployerSector::Private),
                work_type: Some(WorkType::FullTime),
                ..Default::default()
            },
        ),
        (
            "quick (no criteria)",
            SearchMode::Quick,
            SearchParams::default(),
        ),
        (
            "detailed (occupation, position, title)",
            SearchMode::Detailed,
            SearchParams {
                occupation_code: Some("8344.01".into()),
                position: Some("forklift".into()),
                employer_title: Some("isveren 12".into()),
                ..Default::default()
            },
        ),
        (
            "talep_no",
            SearchMode::TalepNo,
            SearchParams {
                talep_no: Some(talep + 4242),
                ..Default::default()
            },
        ),
        (
            "keyword (one word)",
            SearchMode::Keyword,
            SearchParams {
                q: Some("forklift".into()),
                ..Default::default()
            },
        ),
        (
            "keyword (two words)",
            SearchMode::Keyword,
            SearchParams {
                q: Some("vardiyalı şoför".into()),
                ..Default::default()
            },
        ),
    ]
}

/// The SQL each mode runs (first page), as the store builds it.
fn plan_sql(talep: i64) -> Vec<(&'static str, String)> {
    let base = "SELECT d.* FROM labour_demands d JOIN labour_demand_documents x ON x.demand_id = d.id WHERE d.status = 'active' AND d.last_application_date >= '2026-11-23'";
    let page = "ORDER BY d.talep_no DESC LIMIT 15";
    vec![
        ("province_district", format!("{base} AND d.province_code = 6 AND d.district_code = 6007 {page}")),
        ("province_occupation", format!("{base} AND d.province_code = 6 AND d.occupation_code = '8344.01' {page}")),
        ("quick (no criteria)", format!("{base} {page}")),
        ("detailed (occupation, position, title)", format!("{base} AND d.occupation_code = '8344.01' AND d.position_key LIKE '%forklift%' AND d.employer_title_key LIKE '%isveren 12%' {page}")),
        ("talep_no", format!("{base} AND d.talep_no = {} {page}", talep + 4242)),
        ("keyword (two words)", format!("{base} AND d.id IN (SELECT demand_id FROM labour_demand_keywords WHERE word >= 'vardiyali' AND word < 'vardiyalj') AND d.id IN (SELECT demand_id FROM labour_demand_keywords WHERE word >= 'sofor' AND word < 'sofos') {page}")),
    ]
}

fn explain(c: &mut DbConnection, sql: &str) -> Vec<String> {
    match c {
        DbConnection::Sqlite(s) => {
            #[derive(QueryableByName)]
            struct P {
                #[diesel(sql_type = Text)]
                detail: String,
            }
            diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
                .load::<P>(s)
                .unwrap()
                .into_iter()
                .map(|p| p.detail)
                .collect()
        }
        DbConnection::Pg(p) => {
            #[derive(QueryableByName)]
            struct Q {
                #[diesel(sql_type = Text, column_name = "QUERY PLAN")]
                plan: String,
            }
            diesel::sql_query(format!("EXPLAIN (ANALYZE, COSTS OFF) {sql}"))
                .load::<Q>(p)
                .unwrap()
                .into_iter()
                .map(|l| l.plan)
                .collect()
        }
    }
}

fn run(backend: Backend) {
    let Some((url, _guard)) = fresh_database(backend) else {
        println!("\n## PostgreSQL: skipped (set KAPI_TEST_POSTGRES_URL)");
        return;
    };
    let db = Db::connect(&url, 2).unwrap();
    let t = Instant::now();
    let (talep, _) = load(&db);
    println!(
        "\n## {backend:?}: {N} demands loaded in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    db.write(|c| {
        let r = match c {
            DbConnection::Pg(p) => diesel::sql_query("ANALYZE").execute(p),
            DbConnection::Sqlite(s) => diesel::sql_query("ANALYZE").execute(s),
        };
        r.map_err(|e| DomainError::internal(e.to_string()))
    })
    .unwrap();
    println!("\n| mode | results | median ms | p95 ms |\n| --- | ---: | ---: | ---: |");
    for (name, mode, params) in modes(talep) {
        let q = open_job_query(mode, &params).unwrap();
        let mut times = vec![];
        let mut total = 0;
        for _ in 0..40 {
            let t = Instant::now();
            let page = db
                .read(|c| search_open_jobs(&mut DemandRepo::new(c), &q, PageRequest::first(), NOW))
                .unwrap();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            total = page.total;
        }
        times.sort_by(f64::total_cmp);
        println!(
            "| {name} | {total} | {:.2} | {:.2} |",
            times[times.len() / 2],
            times[times.len() * 95 / 100]
        );
    }
    for (name, sql) in plan_sql(talep) {
        println!("\n### plan: {name}\n```");
        let lines = db.read(|c| Ok(explain(c, &sql))).unwrap();
        for l in lines {
            println!("{l}");
        }
        println!("```");
    }
}

fn main() {
    println!("# Open-job search over {N} labour demands");
    run(Backend::Sqlite);
    run(Backend::Postgres);
}
