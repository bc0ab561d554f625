//! Demo records for the `dev` profile: citizens in the simulated registries, foreigners,
//! SGK workplaces with their e-Bildirge authorised persons, kinships, an institution and
//! one staff account per role. Front-end teams and QA log in with these; `prod` never
//! loads them. Every demo password is [`DEMO_PASSWORD`].

use crate::convert::to_db_time;
use crate::db::{DbConnection, DbResultExt};
use crate::identity::{CitizenRow, ForeignerRow, SgkWorkplaceRow, StaffRow};
use crate::reference::BATCH;
use crate::schema::*;
use diesel::prelude::*;
use kapi_core::{
    search_fold, with_tckn_checksum, with_vkn_checksum, DomainError, InstitutionId, StaffAccountId,
};
use time::macros::date;
use time::{Date, OffsetDateTime};

pub const DEMO_PASSWORD: &str = "Kapi2026";

/// A demo citizen: TCKN, first name, last name, mobile.
pub struct DemoCitizen {
    pub tckn: &'static str,
    pub first_name: &'static str,
    pub last_name: &'static str,
    pub mobile: &'static str,
}

/// The demo citizens (valid TCKN checksums). The first is the one the README shows.
pub const DEMO_CITIZENS: [DemoCitizen; 5] = [
    DemoCitizen {
        tckn: "10000000146",
        first_name: "Ayşe",
        last_name: "Yılmaz",
        mobile: "5321000001",
    },
    DemoCitizen {
        tckn: "12345678950",
        first_name: "Mehmet",
        last_name: "Demir",
        mobile: "5321000002",
    },
    DemoCitizen {
        tckn: "23456789060",
        first_name: "Zeynep",
        last_name: "Şahin",
        mobile: "5321000003",
    },
    DemoCitizen {
        tckn: "34567890170",
        first_name: "İbrahim",
        last_name: "Öztürk",
        mobile: "5321000004",
    },
    DemoCitizen {
        tckn: "45678901280",
        first_name: "Gülşen",
        last_name: "Çelik",
        mobile: "5321000005",
    },
];

/// The demo staff accounts: (username, display name, role, province).
pub const DEMO_STAFF: [(&str, &str, &str, Option<i32>); 9] = [
    ("admin", "Kapı Sistem Yöneticisi", "system_admin", None),
    (
        "ankara.valilik",
        "Ankara Valiliği Yetki İşlemleri",
        "province_admin",
        Some(6),
    ),
    (
        "istanbul.valilik",
        "İstanbul Valiliği Yetki İşlemleri",
        "province_admin",
        Some(34),
    ),
    (
        "ankara.mia",
        "Ankara Valiliği Mülki İdare Amiri",
        "civil_authority",
        Some(6),
    ),
    (
        "istanbul.mia",
        "İstanbul Valiliği Mülki İdare Amiri",
        "civil_authority",
        Some(34),
    ),
    (
        "kurum.ik",
        "Demo Kurum İnsan Kaynakları",
        "institution_hr",
        None,
    ),
    (
        "kurum2.ik",
        "Hazine ve Maliye Bakanlığı İnsan Kaynakları",
        "institution_hr",
        None,
    ),
    (
        "iskur.ankara",
        "İŞKUR Ankara İl Müdürlüğü",
        "iskur_staff",
        Some(6),
    ),
    (
        "bakanlik.degerlendirici",
        "ÇSGB Çalışma İzni Değerlendirici",
        "ministry_evaluator",
        None,
    ),
];

const DEMO_MARK: &str = "demo-data-v1";

fn district(conn: &mut DbConnection, province: i32, name: &str) -> Result<i32, DomainError> {
    let code: Option<i32> = districts::table
        .filter(districts::province_code.eq(province))
        .filter(districts::search_key.eq(search_fold(name)))
        .select(districts::code)
        .first(conn)
        .optional()
        .db()?;
    match code {
        Some(c) => Ok(c),
        None => districts::table
            .filter(districts::province_code.eq(province))
            .select(districts::code)
            .order(districts::code.asc())
            .first(conn)
            .db(),
    }
}

/// Whether the demo records are loaded (so a start-up can skip hashing their password).
pub fn demo_loaded(conn: &mut DbConnection) -> Result<bool, DomainError> {
    let done: Option<String> = reference_seeds::table
        .find(DEMO_MARK)
        .select(reference_seeds::sha256)
        .first(conn)
        .optional()
        .db()?;
    Ok(done.is_some())
}

/// Loads the demo records once (a mark in `reference_seeds` remembers it).
/// `password_hash` is the argon2 hash of [`DEMO_PASSWORD`], computed by the caller.
pub fn load_demo(
    conn: &mut DbConnection,
    password_hash: &str,
    now: OffsetDateTime,
) -> Result<bool, DomainError> {
    let done: Option<String> = reference_seeds::table
        .find(DEMO_MARK)
        .select(reference_seeds::sha256)
        .first(conn)
        .optional()
        .db()?;
    if done.is_some() {
        return Ok(false);
    }
    let cankaya = district(conn, 6, "Çankaya")?;
    let kecioren = district(conn, 6, "Keçiören")?;
    let kadikoy = district(conn, 34, "Kadıköy")?;
    let haliliye = district(conn, 63, "Haliliye")?;
    let places = [
        (6, cankaya, "Kızılay Mah."),
        (6, kecioren, "Kalaba Mah."),
        (34, kadikoy, "Moda Mah."),
        (63, haliliye, "Bamyasuyu Mah."),
        (6, cankaya, "Bahçelievler Mah."),
    ];
    let births: [Date; 5] = [
        date!(1985 - 04 - 12),
        date!(1979 - 09 - 30),
        date!(1992 - 01 - 05),
        date!(1968 - 11 - 23),
        date!(2001 - 06 - 17),
    ];
    let mothers = ["Kaya", "Aydın", "Arslan", "Doğan", "Kılıç"];
    let fathers = ["Ali", "Hasan", "Mustafa", "Osman", "Hüseyin"];
    let genders = ["female", "male", "female", "male", "female"];
    let citizens: Vec<CitizenRow> = DEMO_CITIZENS
        .iter()
        .enumerate()
        .map(|(i, c)| CitizenRow {
            tckn: c.tckn.to_owned(),
            first_name: c.first_name.to_owned(),
            last_name: c.last_name.to_owned(),
            birth_date: births[i],
            gender: genders[i].to_owned(),
            father_name: fathers[i].to_owned(),
            mother_maiden_surname: mothers[i].to_owned(),
            mobile: Some(c.mobile.to_owned()),
            email: Some(format!("{}@ornek.com.tr", search_fold(c.first_name))),
            province_code: places[i].0,
            district_code: places[i].1,
            neighbourhood: Some(places[i].2.to_owned()),
            open_address: format!("{} Demo Sok. No:{} Daire:{}", places[i].2, i + 1, i + 3),
            edevlet_password_hash: Some(password_hash.to_owned()),
        })
        .collect();
    crate::insert_batches!(conn, registry_citizens::table, &citizens);

    let ykn = |nine: &str| with_tckn_checksum(nine).unwrap_or_default();
    let foreigners = vec![
        ForeignerRow {
            ykn: ykn("991000001"),
            first_name: "Elnur".into(),
            last_name: "Məmmədov".into(),
            birth_date: date!(1990 - 03 - 14),
            nationality: "AZ".into(),
            passport_no: Some("C01234567".into()),
            passport_expires_on: Some(date!(2030 - 05 - 01)),
            residence_permit_until: Some(date!(2027 - 08 - 31)),
            international_protection: false,
        },
        ForeignerRow {
            ykn: ykn("991000002"),
            first_name: "Anna".into(),
            last_name: "Schmidt".into(),
            birth_date: date!(1984 - 07 - 02),
            nationality: "DE".into(),
            passport_no: Some("C7X9K2L4M".into()),
            passport_expires_on: Some(date!(2027 - 02 - 15)),
            residence_permit_until: Some(date!(2027 - 01 - 10)),
            international_protection: false,
        },
        ForeignerRow {
            ykn: ykn("991000003"),
            first_name: "Ahmad".into(),
            last_name: "Al-Hassan".into(),
            birth_date: date!(1995 - 12 - 20),
            nationality: "SY".into(),
            passport_no: None,
            passport_expires_on: None,
            residence_permit_until: None,
            international_protection: true,
        },
    ];
    crate::insert_batches!(conn, registry_foreigners::table, &foreigners);

    let vkn = |nine: &str| with_vkn_checksum(nine).unwrap_or_default();
    let workplaces = vec![
        SgkWorkplaceRow {
            sgk_no: "2512001010000010060000".into(),
            title: "Anadolu Yazılım Teknolojileri A.Ş.".into(),
            vkn: vkn("123456789"),
            province_code: 6,
            district_code: cankaya,
            address: "Kızılay Mah. Atatürk Bulvarı No:100 Çankaya/Ankara".into(),
            employee_count: 64,
        },
        SgkWorkplaceRow {
            sgk_no: "2512001010000020060000".into(),
            title: "Anadolu Yazılım Teknolojileri A.Ş. Keçiören Şubesi".into(),
            vkn: vkn("123456789"),
            province_code: 6,
            district_code: kecioren,
            address: "Kalaba Mah. Demo Cad. No:5 Keçiören/Ankara".into(),
            employee_count: 12,
        },
        SgkWorkplaceRow {
            sgk_no: "4711001010000030340000".into(),
            title: "Boğaziçi Tekstil Sanayi Ltd. Şti.".into(),
            vkn: vkn("987654321"),
            province_code: 34,
            district_code: kadikoy,
            address: "Moda Mah. Demo Sok. No:7 Kadıköy/İstanbul".into(),
            employee_count: 140,
        },
    ];
    crate::insert_batches!(conn, registry_sgk_workplaces::table, &workplaces);
    let auths = [
        ("2512001010000010060000", DEMO_CITIZENS[1].tckn),
        ("2512001010000020060000", DEMO_CITIZENS[1].tckn),
        ("4711001010000030340000", DEMO_CITIZENS[3].tckn),
    ];
    for (sgk, tckn) in auths {
        diesel::insert_into(registry_sgk_authorisations::table)
            .values((
                registry_sgk_authorisations::sgk_no.eq(sgk),
                registry_sgk_authorisations::tckn.eq(tckn),
            ))
            .execute(conn)
            .db()?;
    }
    let kin = [
        (DEMO_CITIZENS[4].tckn, DEMO_CITIZENS[0].tckn, "mother"),
        (DEMO_CITIZENS[0].tckn, DEMO_CITIZENS[4].tckn, "child"),
        (DEMO_CITIZENS[3].tckn, DEMO_CITIZENS[2].tckn, "child"),
        (DEMO_CITIZENS[2].tckn, DEMO_CITIZENS[3].tckn, "father"),
    ];
    for (a, b, rel) in kin {
        diesel::insert_into(registry_kinships::table)
            .values((
                registry_kinships::tckn.eq(a),
                registry_kinships::relative_tckn.eq(b),
                registry_kinships::relation.eq(rel),
            ))
            .execute(conn)
            .db()?;
    }

    demo_work_permit_registries(conn, now)?;

    let t = to_db_time(now);
    let institution = InstitutionId::new().to_string();
    let inst_name = "Aile ve Sosyal Hizmetler Bakanlığı";
    diesel::insert_into(institutions::table)
        .values((
            institutions::id.eq(&institution),
            institutions::name.eq(inst_name),
            institutions::search_key.eq(search_fold(inst_name)),
            institutions::detsis_no.eq(None::<String>),
            institutions::created_at.eq(t),
        ))
        .execute(conn)
        .db()?;
    let second_institution = InstitutionId::new().to_string();
    let second_name = "Hazine ve Maliye Bakanlığı";
    diesel::insert_into(institutions::table)
        .values((
            institutions::id.eq(&second_institution),
            institutions::name.eq(second_name),
            institutions::search_key.eq(search_fold(second_name)),
            institutions::detsis_no.eq(None::<String>),
            institutions::created_at.eq(t),
        ))
        .execute(conn)
        .db()?;
    let staff: Vec<StaffRow> = DEMO_STAFF
        .iter()
        .map(|(username, name, role, province)| StaffRow {
            id: StaffAccountId::new().to_string(),
            username: (*username).to_owned(),
            display_name: (*name).to_owned(),
            password_hash: password_hash.to_owned(),
            role: (*role).to_owned(),
            institution_id: match (*role, *username) {
                ("institution_hr", "kurum2.ik") => Some(second_institution.clone()),
                ("institution_hr", _) => Some(institution.clone()),
                _ => None,
            },
            province_code: *province,
            active: true,
            created_at: t,
        })
        .collect();
    crate::insert_batches!(conn, staff_accounts::table, &staff);
    demo_employer(conn, cankaya, kecioren, kadikoy, now)?;
    demo_postings(conn, &staff, now)?;
    crate::integrations::insert_integrator_with_key(
        conn,
        &kapi_integrations::Integrator {
            id: kapi_core::IntegratorId::new(),
            name: "Demo entegratör (Postman, Open311 istemcileri)".into(),
            work_permit_employer: None,
            key_prefix: DEMO_INTEGRATOR_KEY.chars().take(9).collect(),
            created_by: "system".into(),
            created_at: now,
            revoked_at: None,
        },
        DEMO_INTEGRATOR_KEY,
    )?;
    diesel::insert_into(reference_seeds::table)
        .values((
            reference_seeds::name.eq(DEMO_MARK),
            reference_seeds::sha256.eq(DEMO_MARK),
            reference_seeds::row_count.eq((citizens.len() + staff.len()) as i32),
            reference_seeds::loaded_at.eq(t),
        ))
        .execute(conn)
        .db()?;
    Ok(true)
}

/// The demo integrator account's API key (`X-Api-Key`, Open311 `api_key`): not bound to an
/// e-İzin employer, so it reads the petition feed and posts Open311 requests.
pub const DEMO_INTEGRATOR_KEY: &str = "kapi-demo-integrator-key";

/// The person who administers the demo employer (İŞKUR employer login).
pub const DEMO_EMPLOYER_ADMIN: &str = "45678901280";

/// A demo İŞKUR employer, made through the same use cases as a real membership: head office
/// in Ankara/Çankaya, a branch in Keçiören and a head office in İstanbul/Kadıköy.
fn demo_employer(
    conn: &mut DbConnection,
    cankaya: i32,
    kecioren: i32,
    kadikoy: i32,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    use kapi_labour_demand::employer::{
        add_workplace, login_employer, register_employer, AuthorisedPerson, MembershipApplication,
        WorkplaceInput,
    };
    fn parse<T>(r: Result<T, kapi_core::FieldError>) -> Result<T, DomainError> {
        r.map_err(|e| DomainError::internal(format!("demo employer: {}", e.message)))
    }
    let person = parse(kapi_core::Tckn::parse(DEMO_EMPLOYER_ADMIN))?;
    let workplace = |n: u32, province: i64, district: i32, title: &str| {
        Ok::<_, DomainError>(WorkplaceInput {
            title: title.to_owned(),
            sgk_no: parse(kapi_core::SgkNo::parse(&format!("4520001010000{n:09}")))?,
            province: parse(kapi_core::ProvinceCode::new(province))?,
            district_code: district,
            address: "Demo Cad. No:1".to_owned(),
            phone: None,
            email: None,
        })
    };
    let mut repo = crate::employers::EmployerRepo::new(conn);
    let (_, head) = register_employer(
        &mut repo,
        MembershipApplication {
            terms_accepted: true,
            title: "Demo Lojistik A.Ş.".to_owned(),
            vkn: parse(kapi_core::Vkn::parse(
                &with_vkn_checksum("555555555").unwrap_or_default(),
            ))?,
            sector: kapi_core::EmployerSector::Private,
            address: "Kızılay Mah. Atatürk Bulvarı No:200 Çankaya/Ankara".to_owned(),
            phone: None,
            email: None,
            head_office: workplace(1, 6, cankaya, "Demo Lojistik A.Ş. Ankara Merkez")?,
            person: AuthorisedPerson {
                tckn: person.clone(),
                mobile: parse(kapi_core::MobilePhone::parse("5551234567"))?,
                email: parse(kapi_core::Email::parse("ik@demolojistik.example"))?,
                password: DEMO_PASSWORD.to_owned(),
                secret_question: "İlk evcil hayvanınızın adı?".to_owned(),
                secret_answer: "Pamuk".to_owned(),
            },
        },
        now,
    )?;
    let admin = login_employer(&mut repo, &person, DEMO_PASSWORD, None, now)?.actor;
    add_workplace(
        &mut repo,
        &admin,
        workplace(2, 6, kecioren, "Demo Lojistik Keçiören Deposu")?,
        now,
    )?;
    add_workplace(
        &mut repo,
        &admin,
        workplace(3, 34, kadikoy, "Demo Lojistik İstanbul")?,
        now,
    )?;
    demo_labour_market(conn, &admin, head.id, cankaya, now)
}

/// The demo employer's open labour demand (a forklift operator in Çankaya, open 60 days)
/// and a demo job seeker (Ayşe Yılmaz, office clerk in Çankaya), through the use cases.
fn demo_labour_market(
    conn: &mut DbConnection,
    admin: &kapi_core::Actor,
    head: kapi_core::WorkplaceId,
    cankaya: i32,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    use kapi_labour_demand::demand::{
        Benefit, DemandDetails, DemandInput, EducationLevel, LicenceClass, Requirements,
        ShiftPattern, WorkLocation, WorkType,
    };
    use kapi_labour_demand::demands::{create_demand, quick_defaults, save_profile};
    use kapi_labour_demand::job_seeker::{Education, MilitaryStatus, Profile};
    let mut repo = crate::labour_demands::DemandRepo::new(conn);
    let work_address = quick_defaults(&mut repo, admin, head)?;
    create_demand(
        &mut repo,
        admin,
        head,
        DemandInput {
            occupation_code: "8344.01".into(),
            worker_count: 2,
            last_application_date: kapi_core::istanbul_date_of(now) + time::Duration::days(60),
            requirements: Requirements {
                min_education: Some(EducationLevel::HighSchool),
                min_age: Some(20),
                licences: vec![LicenceClass::B],
                ..Requirements::default()
            },
            details: DemandDetails {
                position: "Forklift Operatörü".into(),
                field: Some("Lojistik ve Depolama".into()),
                description: Some(
                    "Çankaya deposunda vardiyalı çalışacak, forklift operatör belgeli çalışma arkadaşları arıyoruz."
                        .into(),
                ),
                work_type: WorkType::FullTime,
                shift: ShiftPattern::Shifts,
                weekly_hours: Some(45),
                education_field: None,
                physical_notes: None,
                exam_required: false,
                exam_notes: None,
                work_location: WorkLocation::Domestic,
                work_country: None,
                work_address,
                benefits: vec![Benefit::Meal, Benefit::Transport],
                wage: Some(kapi_core::Money::from_kurus(3_500_000)),
                interview_address: Some("Demo Lojistik A.Ş. Ankara Merkez, İK birimi".into()),
            },
        },
        now,
    )?;
    let citizen = kapi_core::Actor::Citizen {
        tckn: kapi_core::Tckn::parse(DEMO_CITIZENS[0].tckn)
            .map_err(|e| DomainError::internal(e.message))?,
    };
    save_profile(
        &mut repo,
        &citizen,
        Profile {
            occupations: vec!["4110.01".into()],
            education: vec![Education {
                level: EducationLevel::Bachelor,
                field: Some("İşletme".into()),
                graduated_on: time::macros::date!(2007 - 06 - 30),
            }],
            licences: vec![],
            languages: vec![],
            military_status: MilitaryStatus::NotApplicable,
            target_groups: vec![],
            province: kapi_core::ProvinceCode::new(6)
                .map_err(|e| DomainError::internal(e.message))?,
            district_code: cankaya,
            active: true,
        },
        None,
        now,
    )?;
    Ok(())
}

/// Demo Kariyer Kapısı postings, made through the posting use cases: two active now (one
/// per demo institution) and one of the first institution whose window closed a month ago
/// (the archive).
fn demo_postings(
    conn: &mut DbConnection,
    staff: &[StaffRow],
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    use crate::postings::PostingRepo;
    use kapi_postings::posting::{PostingInput, StageInput, SubPostingInput};
    use kapi_postings::usecases::{create_posting, publish_posting};
    use time::Duration;
    let actor_of = |username: &str| -> Result<kapi_core::Actor, DomainError> {
        let row = staff
            .iter()
            .find(|s| s.username == username)
            .ok_or_else(|| DomainError::internal(format!("demo staff {username} missing")))?;
        let id = |raw: &str| crate::convert::parse_uuid(raw);
        let institution = row
            .institution_id
            .as_deref()
            .ok_or_else(|| DomainError::internal("demo HR staff without institution"))?;
        Ok(kapi_core::Actor::InstitutionStaff {
            account_id: StaffAccountId::from_uuid(id(&row.id)?),
            institution_id: InstitutionId::from_uuid(id(institution)?),
        })
    };
    let today = kapi_core::istanbul_date_of(now);
    let at = |days: i64, hour: u8| {
        kapi_core::start_of_istanbul_day(today + Duration::days(days))
            + Duration::hours(hour.into())
    };
    let sub = |title: &str,
               text: &str,
               vacancies: i64,
               reserve: i64,
               province: i64,
               level: &str,
               kind: &str,
               reqs: &[&str]| SubPostingInput {
        title: title.into(),
        text: text.into(),
        vacancies,
        reserve_count: reserve,
        province,
        education_level: level.into(),
        employment_type: kind.into(),
        requirements: reqs.iter().map(|r| (*r).to_owned()).collect(),
    };
    let postings = [
        (
            "kurum.ik",
            0,
            PostingInput {
                title: "Sözleşmeli Bilişim Personeli Alım İlanı".into(),
                main_text: "Bakanlığımız merkez teşkilatında istihdam edilmek üzere 657 sayılı Kanun'un 4/B maddesi uyarınca sözleşmeli bilişim personeli alınacaktır.\n\nBaşvurular Kariyer Kapısı üzerinden alınır.".into(),
                starts_on: today - Duration::days(3),
                ends_on: today + Duration::days(14),
                sub_postings: vec![
                    sub("Yazılım Geliştirici", "Kurumsal uygulamaların geliştirilmesi ve bakımında görev alacak yazılım geliştirici.", 3, 1, 6, "bachelor", "contracted", &["Bilgisayar mühendisliği veya ilgili bölüm lisans mezunu olmak", "KPSS P3 puanı 70 ve üzeri"]),
                    sub("Bilişim Destek Personeli", "Taşra teşkilatında son kullanıcı desteği verecek bilişim personeli.", 2, 2, 34, "associate", "contracted", &["Bilgisayar programcılığı ön lisans mezunu olmak"]),
                ],
                stages: vec![
                    StageInput { kind: "written_exam".into(), name: None, starts_at: at(21, 10), mode: "in_person".into(), place: Some("Bakanlık Hizmet Binası, Söğütözü, Ankara".into()) },
                    StageInput { kind: "interview".into(), name: Some("Sözlü Mülakat".into()), starts_at: at(30, 10), mode: "online".into(), place: None },
                ],
            },
        ),
        (
            "kurum2.ik",
            0,
            PostingInput {
                title: "Sürekli İşçi Alım İlanı".into(),
                main_text: "Bakanlığımız İzmir Defterdarlığı bünyesinde çalıştırılmak üzere sürekli işçi alınacaktır.".into(),
                starts_on: today - Duration::days(1),
                ends_on: today + Duration::days(7),
                sub_postings: vec![sub("Büro Personeli", "Defterdarlık birimlerinde evrak ve arşiv işlerinde çalışacak personel.", 4, 2, 35, "high_school", "permanent_worker", &["Lise veya dengi okul mezunu olmak"])],
                stages: vec![StageInput { kind: "interview".into(), name: None, starts_at: at(12, 14), mode: "in_person".into(), place: Some("İzmir Defterdarlığı, Konak, İzmir".into()) }],
            },
        ),
        (
            "kurum.ik",
            40,
            PostingInput {
                title: "Sosyal Çalışmacı Alım İlanı".into(),
                main_text: "Bakanlığımız sosyal hizmet merkezlerinde görevlendirilmek üzere kadrolu sosyal çalışmacı alınmıştır.".into(),
                starts_on: today - Duration::days(40),
                ends_on: today - Duration::days(30),
                sub_postings: vec![sub("Sosyal Çalışmacı", "Sosyal hizmet merkezlerinde vaka yönetimi yapacak sosyal çalışmacı.", 5, 2, 6, "bachelor", "civil_servant", &["Sosyal hizmet lisans mezunu olmak"])],
                stages: vec![StageInput { kind: "oral_exam".into(), name: None, starts_at: at(-25, 10), mode: "in_person".into(), place: Some("Bakanlık Hizmet Binası, Ankara".into()) }],
            },
        ),
    ];
    for (username, days_ago, input) in postings {
        let actor = actor_of(username)?;
        let at = now - Duration::days(days_ago);
        let mut repo = PostingRepo::new(conn, at);
        let p = create_posting(&mut repo, &actor, input, at)?;
        publish_posting(&mut repo, &actor, p.id, Some(p.version), at)?;
    }
    Ok(())
}

/// Demo consulate reference numbers (16 digits): issued at the demo load, so good for 30
/// days from it.
pub const DEMO_MFA_REFERENCE_FRESH: &str = "2026000000000001";
/// Issued 31 days before the demo load: expired.
pub const DEMO_MFA_REFERENCE_EXPIRED: &str = "2026000000000002";
/// Already used for an application.
pub const DEMO_MFA_REFERENCE_USED: &str = "2026000000000003";
/// Demo YÖK pre-permit numbers: approved, pending, rejected.
pub const DEMO_YOK_APPROVED: &str = "20260001";
pub const DEMO_YOK_PENDING: &str = "20260002";
pub const DEMO_YOK_REJECTED: &str = "20260003";

/// The simulated MFA and YÖK registries of e-İzin: one reference number for each answer the
/// consulate check gives (good, expired, used) and one pre-permit for each YÖK status an
/// academic application meets (approved and pending go on, rejected is refused).
fn demo_work_permit_registries(
    conn: &mut DbConnection,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    use crate::work_permit_registries::{MfaReferenceRow, YokPrePermitRow};
    use time::Duration;
    let references = vec![
        MfaReferenceRow {
            reference_no: DEMO_MFA_REFERENCE_FRESH.into(),
            first_name: "Dilnoza".into(),
            last_name: "Karimova".into(),
            birth_date: date!(1993 - 02 - 11),
            nationality: "UZ".into(),
            passport_no: Some("FA1234567".into()),
            passport_expires_on: Some(date!(2031 - 04 - 30)),
            issued_at: to_db_time(now),
            used_at: None,
        },
        MfaReferenceRow {
            reference_no: DEMO_MFA_REFERENCE_EXPIRED.into(),
            first_name: "Aigerim".into(),
            last_name: "Nurlanova".into(),
            birth_date: date!(1988 - 10 - 03),
            nationality: "KZ".into(),
            passport_no: Some("N12345678".into()),
            passport_expires_on: Some(date!(2030 - 09 - 15)),
            issued_at: to_db_time(now - Duration::days(31)),
            used_at: None,
        },
        MfaReferenceRow {
            reference_no: DEMO_MFA_REFERENCE_USED.into(),
            first_name: "Ivan".into(),
            last_name: "Petrov".into(),
            birth_date: date!(1981 - 05 - 27),
            nationality: "RU".into(),
            passport_no: Some("751234567".into()),
            passport_expires_on: Some(date!(2029 - 12 - 01)),
            issued_at: to_db_time(now - Duration::days(5)),
            used_at: Some(to_db_time(now - Duration::days(2))),
        },
    ];
    crate::insert_batches!(conn, registry_mfa_references::table, &references);
    let pre_permits = vec![
        YokPrePermitRow {
            pre_permit_no: DEMO_YOK_APPROVED.into(),
            status: "approved".into(),
            first_name: "Reza".into(),
            last_name: "Hosseini".into(),
            nationality: "IR".into(),
            passport_no: Some("K98765432".into()),
            university: "Orta Doğu Teknik Üniversitesi".into(),
        },
        YokPrePermitRow {
            pre_permit_no: DEMO_YOK_PENDING.into(),
            status: "pending".into(),
            first_name: "Ayesha".into(),
            last_name: "Khan".into(),
            nationality: "PK".into(),
            passport_no: Some("AB1234567".into()),
            university: "Hacettepe Üniversitesi".into(),
        },
        YokPrePermitRow {
            pre_permit_no: DEMO_YOK_REJECTED.into(),
            status: "rejected".into(),
            first_name: "Omar".into(),
            last_name: "Hassan".into(),
            nationality: "EG".into(),
            passport_no: Some("A12345678".into()),
            university: "Ankara Üniversitesi".into(),
        },
    ];
    crate::insert_batches!(conn, registry_yok_pre_permits::table, &pre_permits);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use kapi_core::Tckn;

    #[test]
    fn demo_work_permit_numbers_are_valid() {
        use kapi_work_permit::kind::{MfaReferenceNo, YokPrePermitNo};
        for n in [
            DEMO_MFA_REFERENCE_FRESH,
            DEMO_MFA_REFERENCE_EXPIRED,
            DEMO_MFA_REFERENCE_USED,
        ] {
            assert!(MfaReferenceNo::parse(n).is_ok(), "{n}");
        }
        for n in [DEMO_YOK_APPROVED, DEMO_YOK_PENDING, DEMO_YOK_REJECTED] {
            assert!(YokPrePermitNo::parse(n).is_ok(), "{n}");
        }
    }

    #[test]
    fn demo_identity_numbers_are_valid() {
        for c in &DEMO_CITIZENS {
            assert!(Tckn::parse(c.tckn).is_ok(), "{}", c.tckn);
            assert!(kapi_core::MobilePhone::parse(c.mobile).is_ok());
        }
    }
}
