//! `bench-load <database-url> <scale> [fixture.json]`: migrates the database (dev profile:
//! reference and demo data), then loads a synthetic dataset for `make bench` and
//! `make crash-test`:
//!
//! - `scale` Kariyer Kapısı postings with two sub-postings each (most accepting applications
//!   now, some upcoming, some archived);
//! - `scale` labour demands (search columns, document, keyword rows) across every district
//!   and occupation, 70 % active;
//! - `2 × scale` job seekers (at most 200 000: no benchmarked endpoint searches them) with
//!   one to three sought occupations;
//! - `scale` Açık Kapı petitions (a third in Ankara, the rest across Türkiye) with their
//!   headings, routings and histories (in the pool: one entry; routed: two);
//! - `scale / 2` submitted e-İzin work-permit applications with their histories.
//!
//! Every record is a real domain object: a few templates are made through the use cases
//! (the demo posting, a petition submitted by a demo citizen and routed by a desk officer, a
//! work permit filled in and submitted through the wizard) and cloned with new ids, numbers,
//! places, names and dates, then written through the stores' own insert code in big
//! transactions. The counters (talep no, posting no, tracking no) are moved past what was
//! used, so the server numbers new records after them. Deterministic: the same scale gives
//! the same data.
//!
//! The optional `fixture.json` lists what the benchmark and the crash test address:
//! petition ids in Ankara, postings accepting applications, submitted work permits.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use diesel::prelude::*;
use kapi_core::{
    search_fold, with_tckn_checksum, Actor, DomainError, EmployerSector, HistoryLog,
    LabourDemandId, PetitionId, PostingId, ProvinceCode, Tckn, WorkPermitId,
};
use kapi_labour_demand::demand::{
    DemandDetails, DemandStatus, LabourDemand, Requirements, ShiftPattern, TargetGroup,
    WorkAddress, WorkLocation, WorkType,
};
use kapi_labour_demand::demands::DemandStore;
use kapi_labour_demand::job_seeker::{Education, JobSeeker, MilitaryStatus, Profile};
use kapi_persistence::labour_demands::DemandRepo;
use kapi_persistence::petitions::PetitionRepo;
use kapi_persistence::schema::{
    districts, labour_demands, named_locks, occupations, postings, provinces, sectors,
    service_headings, workplaces,
};
use kapi_persistence::work_permits::WorkPermitRepo;
use kapi_persistence::{Db, DbConnection};
use kapi_petitions::petition::{HeadingInput, Petition, PetitionForm};
use kapi_petitions::usecases::{self as pet, PetitionStore};
use kapi_postings::posting::{Posting, PostingStatus};
use kapi_work_permit::application::WorkPermitApplication;
use kapi_work_permit::usecases::WorkPermitStore;
use serde_json::json;
use std::time::Instant;
use time::{Duration, OffsetDateTime};

/// Rows written per transaction.
const CHUNK: usize = 5_000;

/// A small deterministic generator (no dependency, same data every run).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.next(xs.len())]
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
const FIRST: [&str; 12] = [
    "Ayşe", "Mehmet", "Fatma", "Mustafa", "Emine", "Ahmet", "Hatice", "Ali", "Zeynep", "Hüseyin",
    "Elif", "Hasan",
];
const LAST: [&str; 10] = [
    "Yılmaz",
    "Kaya",
    "Demir",
    "Çelik",
    "Şahin",
    "Yıldız",
    "Yıldırım",
    "Öztürk",
    "Aydın",
    "Özdemir",
];
const TITLES: [&str; 8] = [
    "Yazılım Geliştirici",
    "Büro Personeli",
    "Mühendis",
    "Hemşire",
    "Teknisyen",
    "Avukat",
    "Şoför",
    "Sosyal Çalışmacı",
];

fn internal(e: impl std::fmt::Display) -> DomainError {
    DomainError::internal(e.to_string())
}

/// The `i`-th synthetic TCKN (valid check digits), distinct from the demo citizens'.
fn tckn_of(i: usize) -> String {
    with_tckn_checksum(&format!("{:09}", 300_000_000 + i)).unwrap()
}

struct Reference {
    /// (province, district code, district name)
    districts: Vec<(i32, i32, String)>,
    provinces: Vec<(i32, String)>,
    occupations: Vec<(String, String)>,
    /// (heading, heading name, sub-heading, sub-heading name)
    headings: Vec<(String, String, String, String)>,
}

fn reference(db: &Db) -> Reference {
    db.read(|c| {
        let districts = districts::table
            .select((districts::province_code, districts::code, districts::name))
            .order(districts::code)
            .load(c)
            .map_err(internal)?;
        let provinces = provinces::table
            .select((provinces::code, provinces::name))
            .order(provinces::code)
            .load(c)
            .map_err(internal)?;
        let occupations = occupations::table
            .select((occupations::code, occupations::name))
            .order(occupations::code)
            .load(c)
            .map_err(internal)?;
        let all: Vec<(String, Option<String>, String)> = service_headings::table
            .select((
                service_headings::code,
                service_headings::parent_code,
                service_headings::name,
            ))
            .order(service_headings::code)
            .load(c)
            .map_err(internal)?;
        let headings = all
            .iter()
            .filter_map(|(code, parent, name)| {
                let parent = parent.as_ref()?;
                let (_, _, parent_name) = all.iter().find(|(c, _, _)| c == parent)?;
                Some((
                    parent.clone(),
                    parent_name.clone(),
                    code.clone(),
                    name.clone(),
                ))
            })
            .filter(|h| h.0 != "DIGER")
            .collect();
        Ok(Reference {
            districts,
            provinces,
            occupations,
            headings,
        })
    })
    .unwrap()
}

/// Takes `n` numbers from a named counter: returns the first; the counter ends at the last.
fn take_numbers(c: &mut DbConnection, name: &str, n: usize) -> Result<i64, DomainError> {
    let counter: i64 = named_locks::table
        .find(name)
        .select(named_locks::counter)
        .first(c)
        .map_err(internal)?;
    diesel::update(named_locks::table.find(name))
        .set(named_locks::counter.eq(counter + n as i64))
        .execute(c)
        .map_err(internal)?;
    Ok(counter + 1)
}

/// Runs `f(conn, i)` for `i` in `0..n`, `CHUNK` rows per transaction, and reports the rate.
fn chunked(
    db: &Db,
    what: &str,
    n: usize,
    mut f: impl FnMut(&mut DbConnection, usize) -> Result<(), DomainError>,
) {
    let t = Instant::now();
    let mut done = 0;
    while done < n {
        let end = (done + CHUNK).min(n);
        let f = &mut f;
        db.write(move |c| {
            for i in done..end {
                f(c, i)?;
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("loading {what}: {e}"));
        done = end;
    }
    let s = t.elapsed().as_secs_f64();
    eprintln!(
        "  {n:>9} {what:<16} {s:>6.1} s ({:.0}/s)",
        n as f64 / s.max(1e-9)
    );
}

fn load_demands(db: &Db, r: &Reference, n: usize, now: OffsetDateTime) {
    let (employer, workplace): (String, String) = db
        .read(|c| {
            workplaces::table
                .select((workplaces::employer_id, workplaces::id))
                .first(c)
                .map_err(internal)
        })
        .unwrap();
    let first = db.write(|c| take_numbers(c, "talep_no", n)).unwrap();
    let mut rng = Lcg(20261123);
    let today = kapi_core::istanbul_date_of(now);
    chunked(db, "labour demands", n, |c, i| {
        let (province, district, _) = r.districts[rng.next(r.districts.len())].clone();
        let (code, name) = r.occupations[rng.next(r.occupations.len())].clone();
        let target = *rng.pick(&[
            TargetGroup::General,
            TargetGroup::General,
            TargetGroup::General,
            TargetGroup::Disabled,
            TargetGroup::ExConvict,
        ]);
        let status = if rng.next(10) < 7 {
            DemandStatus::Active
        } else {
            DemandStatus::Closed
        };
        let description = (0..6)
            .map(|_| *rng.pick(&WORDS))
            .collect::<Vec<_>>()
            .join(" ");
        let created = now - Duration::days(rng.next(365) as i64);
        DemandRepo::new(c).insert_demand(&LabourDemand {
            id: LabourDemandId::new(),
            talep_no: first + i as i64,
            employer_id: kapi_core::EmployerId::from_uuid(employer.parse().map_err(internal)?),
            workplace_id: kapi_core::WorkplaceId::from_uuid(workplace.parse().map_err(internal)?),
            employer_title: format!("Bench İşveren {} Ltd. Şti.", rng.next(5000)),
            sector: if rng.next(4) == 0 {
                EmployerSector::Public
            } else {
                EmployerSector::Private
            },
            occupation_code: code,
            occupation_name: name.clone(),
            worker_count: 1 + rng.next(5) as u16,
            last_application_date: today + Duration::days(rng.next(120) as i64 - 30),
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
                    province: ProvinceCode::new(i64::from(province)).map_err(internal_field)?,
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
            created_at: created,
            updated_at: created,
        })
    });
}

fn internal_field(e: kapi_core::FieldError) -> DomainError {
    DomainError::internal(e.message)
}

fn load_job_seekers(db: &Db, r: &Reference, n: usize, now: OffsetDateTime) {
    let mut rng = Lcg(9_1234);
    chunked(db, "job seekers", n, |c, i| {
        let (province, district, _) = r.districts[rng.next(r.districts.len())].clone();
        let occupations = (0..1 + rng.next(3))
            .map(|_| r.occupations[rng.next(r.occupations.len())].0.clone())
            .fold(Vec::new(), |mut v, o| {
                if !v.contains(&o) {
                    v.push(o);
                }
                v
            });
        let born = time::Date::from_calendar_date(1960 + rng.next(45) as i32, time::Month::June, 1)
            .map_err(internal)?;
        let registered = now - Duration::days(rng.next(1500) as i64);
        DemandRepo::new(c).insert_job_seeker(&JobSeeker {
            tckn: Tckn::parse(&tckn_of(i)).map_err(internal_field)?,
            first_name: rng.pick(&FIRST).to_string(),
            last_name: rng.pick(&LAST).to_string(),
            birth_date: born,
            profile: Profile {
                occupations,
                education: vec![Education {
                    level: *rng.pick(&[
                        kapi_labour_demand::demand::EducationLevel::Primary,
                        kapi_labour_demand::demand::EducationLevel::HighSchool,
                        kapi_labour_demand::demand::EducationLevel::HighSchool,
                        kapi_labour_demand::demand::EducationLevel::Associate,
                        kapi_labour_demand::demand::EducationLevel::Bachelor,
                    ]),
                    field: None,
                    graduated_on: born + Duration::days(365 * 20),
                }],
                licences: vec![],
                languages: vec![],
                military_status: MilitaryStatus::NotApplicable,
                target_groups: vec![],
                province: ProvinceCode::new(i64::from(province)).map_err(internal_field)?,
                district_code: district,
                active: rng.next(10) < 8,
            },
            version: 1,
            registered_at: registered,
            updated_at: registered,
        })
    });
}

/// Postings: clones of the demo posting with two sub-postings; 80 % accepting applications
/// now, 10 % upcoming, 10 % archived.
fn load_postings(db: &Db, r: &Reference, n: usize, now: OffsetDateTime) -> Vec<String> {
    let template: Posting = db
        .read(|c| {
            let id: String = postings::table
                .filter(postings::status.eq("published"))
                .order(postings::posting_no)
                .select(postings::id)
                .first(c)
                .map_err(internal)?;
            kapi_persistence::postings::load_posting(
                c,
                PostingId::from_uuid(id.parse().map_err(internal)?),
            )?
            .ok_or_else(|| internal("no demo posting"))
        })
        .unwrap_or_else(|e| panic!("the template posting: {e}"));
    let institutions: Vec<(String, String)> = db
        .read(|c| {
            kapi_persistence::schema::institutions::table
                .select((
                    kapi_persistence::schema::institutions::id,
                    kapi_persistence::schema::institutions::name,
                ))
                .order(kapi_persistence::schema::institutions::id)
                .load(c)
                .map_err(internal)
        })
        .unwrap();
    let first = db.write(|c| take_numbers(c, "posting_no", n)).unwrap();
    let today = kapi_core::istanbul_date_of(now);
    let mut rng = Lcg(777);
    let mut open = Vec::new();
    chunked(db, "postings", n, |c, i| {
        let mut p = template.clone();
        p.id = PostingId::new();
        p.posting_no = first + i as i64;
        let (inst, inst_name) = rng.pick(&institutions).clone();
        p.institution_id = kapi_core::InstitutionId::from_uuid(inst.parse().map_err(internal)?);
        p.institution_name = inst_name;
        let title = rng.pick(&TITLES);
        p.title = format!("{title} Alım İlanı {}", p.posting_no);
        let window = rng.next(10);
        let (starts, ends) = match window {
            0 => (today + Duration::days(5), today + Duration::days(20)),
            1 => (today - Duration::days(60), today - Duration::days(30)),
            _ => (
                today - Duration::days(rng.next(20) as i64),
                today + Duration::days(1 + rng.next(30) as i64),
            ),
        };
        p.starts_on = starts;
        p.ends_on = ends;
        p.status = PostingStatus::Published;
        let created = now - Duration::days(90);
        p.created_at = created;
        p.published_at = Some(created);
        for s in &mut p.sub_postings {
            let (prov, _) = rng.pick(&r.provinces).clone();
            s.province = ProvinceCode::new(i64::from(prov)).map_err(internal_field)?;
            s.title = rng.pick(&TITLES).to_string();
        }
        // Stages after the window.
        for (k, st) in p.stages.iter_mut().enumerate() {
            st.starts_at =
                kapi_core::start_of_istanbul_day(ends + Duration::days(7 + 7 * k as i64))
                    + Duration::hours(10);
        }
        p.version = 2;
        if window >= 2 && open.len() < 200_000 {
            open.push(p.id.to_string());
        }
        kapi_persistence::postings::insert_posting(c, &p, created)
    });
    open
}

/// Two petition templates made through the use cases: one in the desk's pool, one routed
/// to a unit; returned with their histories.
fn petition_templates(
    db: &Db,
    now: OffsetDateTime,
) -> Vec<(Petition, Vec<kapi_core::HistoryEntry>)> {
    let sector: String = db
        .read(|c| {
            sectors::table
                .order(sectors::position)
                .select(sectors::id)
                .first(c)
                .map_err(internal)
        })
        .unwrap();
    let citizen = Actor::Citizen {
        tckn: Tckn::parse("12345678950").unwrap(),
    };
    let desk = Actor::DeskOfficer {
        tckn: Tckn::parse(&tckn_of(999_999)).unwrap(),
        province: ProvinceCode::new(6).unwrap(),
        districts: vec![],
    };
    let submitted_at = now - Duration::days(40);
    db.write(|c| {
        let mut out = Vec::new();
        for routed in [false, true] {
            let mut repo = PetitionRepo::new(c, submitted_at);
            let form = PetitionForm {
                subject_address: kapi_petitions::petition::AddressInput {
                    same_as_residence: false,
                    province: Some(6),
                    district_code: Some(6007),
                    neighbourhood_code: Some(60070001),
                    open_address: Some("Atatürk İlköğretim Okulu, Cumhuriyet Cad. No:5".into()),
                },
                mobile: Some("0532 100 00 02".into()),
                email: Some("vatandas@ornek.com.tr".into()),
                home_phone: None,
                headings: vec![HeadingInput {
                    heading_code: "H01".into(),
                    sub_heading_code: "H01.04".into(),
                    description: None,
                }],
                education_level: "bachelor".into(),
                sector_id: sector.clone(),
                subject: "Okulun bahçe duvarı yıkılmak üzere; öğrenciler için tehlike oluşturuyor, onarılmasını talep ediyorum.".into(),
            };
            let mut p = pet::submit_petition(
                &mut repo,
                &citizen,
                pet::Submission {
                    form,
                    files: vec![],
                },
                submitted_at,
            )?;
            if routed {
                let at = submitted_at + Duration::hours(3);
                let mut repo = PetitionRepo::new(c, at);
                pet::route_petition(
                    &mut repo,
                    &desk,
                    p.id,
                    vec!["55481037".into()],
                    None,
                    None,
                    at,
                )?;
                p = repo.get(p.id)?.ok_or_else(|| internal("routed template"))?;
            }
            let history = PetitionRepo::new(c, now).history("petition", &p.id.to_string())?;
            // The templates stay: two real petitions beside the clones.
            out.push((p, history));
        }
        Ok(out)
    })
    .unwrap_or_else(|e| panic!("the petition templates: {e}"))
}

/// Petitions: a third in Ankara (where the bench's desk officer works), the rest across the
/// country; 40 % in the pool, 60 % routed; submitted over the last two years.
fn load_petitions(db: &Db, r: &Reference, n: usize, now: OffsetDateTime) -> Vec<String> {
    let templates = petition_templates(db, now);
    let first = db.write(|c| take_numbers(c, "petition_no", n)).unwrap();
    let ankara: Vec<_> = r.districts.iter().filter(|d| d.0 == 6).cloned().collect();
    let mut rng = Lcg(4242);
    let mut sample = Vec::new();
    chunked(db, "petitions", n, |c, i| {
        let (template, history) = &templates[usize::from(rng.next(10) >= 4)];
        let mut p = template.clone();
        p.id = PetitionId::new();
        p.tracking_no = first + i as i64;
        let (province, district, district_name) = if rng.next(3) == 0 {
            rng.pick(&ankara).clone()
        } else {
            r.districts[rng.next(r.districts.len())].clone()
        };
        let province_name = r
            .provinces
            .iter()
            .find(|x| x.0 == province)
            .map(|x| x.1.clone())
            .unwrap_or_default();
        p.subject_address.province = u8::try_from(province).map_err(internal)?;
        p.subject_address.province_name = province_name;
        p.subject_address.district_code = district;
        p.subject_address.district_name = district_name;
        p.subject_address.neighbourhood_code = None;
        p.subject_address.neighbourhood_name = None;
        p.subject_address.neighbourhood_kind = None;
        let who = i * 7 % 200_000;
        p.petitioner.tckn = Tckn::parse(&tckn_of(who)).map_err(internal_field)?;
        p.petitioner.first_name = rng.pick(&FIRST).to_string();
        p.petitioner.last_name = rng.pick(&LAST).to_string();
        if let (Some(h), false) = (p.headings.first_mut(), r.headings.is_empty()) {
            let (code, name, sub, sub_name) = r.headings[rng.next(r.headings.len())].clone();
            h.heading_code = code;
            h.heading_name = name;
            h.sub_heading_code = sub;
            h.sub_heading_name = sub_name;
        }
        let shift = Duration::days(rng.next(730) as i64) - Duration::days(40);
        let at = p.submitted_at - shift;
        p.submitted_at = at;
        p.arrival_date = kapi_core::istanbul_date_of(at);
        for rt in &mut p.workflow.routings {
            rt.deadline -= shift;
        }
        if province == 6 && sample.len() < 20_000 {
            sample.push(p.id.to_string());
        }
        let mut repo = PetitionRepo::new(c, at);
        repo.insert(&p)?;
        for h in history {
            let mut h = h.clone();
            h.resource_id = p.id.to_string();
            h.at -= shift;
            repo.append(&h)?;
        }
        Ok(())
    });
    sample
}

/// Work permits: clones of one application filled in and submitted through the wizard,
/// submitted over the last 60 days.
fn load_work_permits(db: &Db, n: usize, now: OffsetDateTime) -> Vec<String> {
    let seeded = kapi_tests::work_permit_fixture::submitted_work_permit(
        db,
        &with_tckn_checksum("990000001").unwrap(),
        now,
    )
    .unwrap_or_else(|e| panic!("the template work permit: {e}"));
    let (template, history) = db
        .write(|c| {
            let id = WorkPermitId::from_uuid(seeded.application_id.parse().map_err(internal)?);
            let mut repo = WorkPermitRepo::new(c, now);
            let a: WorkPermitApplication = repo
                .get(id)?
                .ok_or_else(|| internal("template work permit"))?;
            let h = repo.history("work_permit", &a.id.to_string())?;
            Ok((a, h))
        })
        .unwrap_or_else(|e| panic!("the template work permit: {e}"));
    let mut rng = Lcg(5150);
    let mut ids = vec![template.id.to_string()];
    chunked(db, "work permits", n.saturating_sub(1), |c, _| {
        let mut a = template.clone();
        a.id = WorkPermitId::new();
        let shift = Duration::minutes(rng.next(60 * 24 * 60) as i64);
        a.created_at -= shift;
        a.updated_at -= shift;
        a.last_touched_at -= shift;
        a.submitted_at = a.submitted_at.map(|s| s - shift);
        ids.push(a.id.to_string());
        let mut repo = WorkPermitRepo::new(c, a.updated_at);
        repo.insert(&a)?;
        for h in &history {
            let mut h = h.clone();
            h.resource_id = a.id.to_string();
            h.at -= shift;
            repo.append(&h)?;
        }
        Ok(())
    });
    ids
}

fn analyze(db: &Db) {
    db.write(|c| {
        let r = match c {
            DbConnection::Pg(p) => diesel::sql_query("ANALYZE").execute(p),
            DbConnection::Sqlite(s) => diesel::sql_query("ANALYZE").execute(s),
        };
        r.map_err(internal)
    })
    .unwrap();
    let _ = db.write(|c| {
        if let DbConnection::Sqlite(s) = c {
            let _ = diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)").execute(s);
        }
        Ok(())
    });
}

/// The database server's (or the bundled SQLite library's) version.
fn db_version(db: &Db) -> String {
    #[derive(QueryableByName)]
    struct V {
        #[diesel(sql_type = diesel::sql_types::Text)]
        v: String,
    }
    db.read(|c| {
        let r: Result<Vec<V>, _> = match c {
            DbConnection::Pg(p) => diesel::sql_query("SELECT version() AS v").load(p),
            DbConnection::Sqlite(s) => {
                diesel::sql_query("SELECT 'SQLite ' || sqlite_version() AS v").load(s)
            }
        };
        r.map_err(internal)
    })
    .ok()
    .and_then(|v| v.into_iter().next())
    .map(|v| v.v)
    .unwrap_or_default()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: bench-load <database-url> <scale> [fixture.json]");
        std::process::exit(2);
    }
    let url = &args[1];
    let scale: usize = args[2].parse().expect("scale: a number of rows");
    let t = Instant::now();
    let config = kapi_api::config::Config::for_database(url);
    let db = kapi_api::prepare_database(&config).expect("migrate and seed");
    let now = OffsetDateTime::now_utc();
    eprintln!(
        "bench-load: scale {scale} into {} ({:.1} s to migrate)",
        db.backend().as_str(),
        t.elapsed().as_secs_f64()
    );
    let r = reference(&db);
    let permits = load_work_permits(&db, scale / 2, now);
    let petitions = load_petitions(&db, &r, scale, now);
    let postings = load_postings(&db, &r, scale, now);
    load_demands(&db, &r, scale, now);
    // Job seekers are not searched by any benchmarked endpoint: 2 × scale up to 200 000.
    load_job_seekers(&db, &r, (scale * 2).min(200_000), now);
    let ta = Instant::now();
    analyze(&db);
    eprintln!("  ANALYZE {:.1} s", ta.elapsed().as_secs_f64());
    let demands: i64 = db
        .read(|c| {
            labour_demands::table
                .count()
                .get_result(c)
                .map_err(internal)
        })
        .unwrap();
    eprintln!(
        "bench-load: done in {:.1} s ({demands} labour demands)",
        t.elapsed().as_secs_f64()
    );
    if let Some(path) = args.get(3) {
        let fixture = json!({
            "scale": scale,
            "db_version": db_version(&db),
            "petitions_in_ankara": petitions,
            "open_postings": postings,
            "submitted_work_permits": permits,
            "job_seeker_tckns": (0..20).map(tckn_of).collect::<Vec<_>>(),
            "first_name_sample": FIRST[0],
            "last_name_sample": search_fold(LAST[0]),
        });
        std::fs::write(path, fixture.to_string()).expect("write the fixture file");
    }
}
