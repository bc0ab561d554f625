//! Work-permit fixtures for black-box tests of the later stages: a household employer and
//! a submitted application made through the domain use cases on the app's own database, and
//! a way to move an application's status directly (what the stages before it would do).
//! The whole journeys go through HTTP in `tests/api/work_permit_journeys.rs`.

use kapi_core::{Actor, DomainError, Email, EmployerId, MobilePhone, Tckn, WorkPermitId};
use kapi_persistence::work_permit_employers::WorkPermitEmployerRepo;
use kapi_persistence::work_permits::WorkPermitRepo;
use kapi_persistence::{Db, DbConnection};
use kapi_work_permit::application::GeneratedPetition;
use kapi_work_permit::employer::{
    required_employer_documents, EmployerDocument, EmployerStore, Registration, WorkPermitEmployer,
};
use kapi_work_permit::files::{ApplicationFile, ApplicationFiles, FileKind};
use kapi_work_permit::kind::{ApplicationKindInput, CareKind};
use kapi_work_permit::usecases as uc;
use kapi_work_permit::usecases::WorkPermitStore;
use kapi_work_permit::wizard::{
    DocumentInput, DocumentsInput, GeneralInput, JobInput, PersonalInput, PhotoInput, ResultInput,
    Sha256Hex,
};
use time::{Date, Duration, OffsetDateTime};

/// Gülşen Çelik (demo citizen): her mother Ayşe Yılmaz is in the civil registry.
pub const HOUSEHOLD_OWNER: &str = "45678901280";
/// Ayşe Yılmaz, cared for by her daughter's household (the civil registry records her as
/// Gülşen's mother).
pub const CARED_MOTHER: &str = "10000000146";

/// The foreigner `ykn` in the foreigners' registry (born `birth_date`, residence permit
/// running two more years from `now`), added when missing.
pub fn ensure_foreigner(
    conn: &mut DbConnection,
    ykn: &str,
    birth_date: Date,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    use diesel::prelude::*;
    use kapi_persistence::schema::registry_foreigners as f;
    let n: i64 = f::table
        .filter(f::ykn.eq(ykn))
        .count()
        .get_result(conn)
        .map_err(|e| DomainError::internal(e.to_string()))?;
    if n == 0 {
        let today = kapi_core::istanbul_date_of(now);
        diesel::insert_into(f::table)
            .values(kapi_persistence::identity::ForeignerRow {
                ykn: ykn.to_owned(),
                first_name: "Test".into(),
                last_name: "Yabancı".into(),
                birth_date,
                nationality: "AZ".into(),
                passport_no: Some("C01234567".into()),
                passport_expires_on: Some(today + Duration::days(2000)),
                residence_permit_until: Some(today + Duration::days(730)),
                international_protection: false,
            })
            .execute(conn)
            .map_err(|e| DomainError::internal(e.to_string()))?;
    }
    Ok(())
}

fn tckn(s: &str) -> Tckn {
    Tckn::parse(s).expect("a valid TCKN")
}

/// The person's household employer record, registered on first use.
pub fn household_employer(
    conn: &mut DbConnection,
    owner: &str,
    now: OffsetDateTime,
) -> Result<EmployerId, DomainError> {
    employer(
        conn,
        owner,
        Registration::Household {
            care_kind: CareKind::ElderlyCare,
        },
        now,
    )
}

/// The person's e-İzin employer record of this registration (a company's SGK workplace, a
/// household, a university), registered on first use with the registry's name.
pub fn employer(
    conn: &mut DbConnection,
    owner: &str,
    registration: Registration,
    now: OffsetDateTime,
) -> Result<EmployerId, DomainError> {
    let owner = tckn(owner);
    let mut repo = WorkPermitEmployerRepo::new(conn, now);
    if let Some(e) = repo
        .list_by_owner(&owner)?
        .into_iter()
        .find(|e| e.registration == registration)
    {
        return Ok(e.id);
    }
    let person = repo
        .find_person(&owner)?
        .ok_or_else(|| DomainError::internal("the owner is not in the registry"))?;
    let registration_kind = registration.kind();
    let title = match &registration {
        Registration::Company { sgk_no } => format!("SGK {sgk_no}"),
        Registration::University { university_name } => university_name.clone(),
        Registration::Household { .. } => format!("{} {}", person.first_name, person.last_name),
    };
    let e = WorkPermitEmployer {
        id: EmployerId::new(),
        owner: person,
        registration,
        title,
        email: Email::parse("isveren@ornek.com.tr")?,
        mobile: MobilePhone::parse("5321000005")?,
        created_at: now,
        updated_at: now,
        // The required documents, uploaded (the bytes are not needed here).
        documents: required_employer_documents(registration_kind)
            .iter()
            .enumerate()
            .map(|(i, t)| EmployerDocument {
                document_type: *t,
                sha256: format!("{:064x}", 0xE0 + i),
                size: 1000,
                file_name: format!("{}.pdf", t.as_str()),
                uploaded_at: now,
            })
            .collect(),
        version: 1,
    };
    repo.insert(&e)?;
    Ok(e.id)
}

/// What [`submitted_work_permit`] made.
#[derive(Debug, Clone)]
pub struct SeededPermit {
    pub employer_id: String,
    pub application_id: String,
    /// The requested period (a submitted one: from 10 days after `now`, 11 months long).
    pub period: (Date, Date),
}

/// A household's first in-Türkiye application for the foreigner `ykn` with every step saved,
/// e-signed and submitted at `now` by [`HOUSEHOLD_OWNER`].
pub fn submitted_work_permit(
    db: &Db,
    ykn: &str,
    now: OffsetDateTime,
) -> Result<SeededPermit, DomainError> {
    let today = kapi_core::istanbul_date_of(now);
    let start = today + Duration::days(10);
    let end = kapi_work_permit::calendar::period_end(start, 11)
        .ok_or_else(|| DomainError::internal("period end"))?;
    db.write(|c| {
        let seeded = signed_draft(c, ykn, "first", (start, end), now)?;
        let who = Actor::Citizen {
            tckn: tckn(HOUSEHOLD_OWNER),
        };
        let id: WorkPermitId = seeded
            .application_id
            .parse()
            .map_err(|_| DomainError::internal("application id"))?;
        uc::submit_application(&mut WorkPermitRepo::new(c, now), &who, id, now)?;
        Ok(seeded)
    })
}

/// A household application (`filing` `first` or `extension`) of [`HOUSEHOLD_OWNER`] for the
/// foreigner `ykn` working `period`, started at `now` with every step saved and e-signed,
/// not submitted: what an employer has just before pressing "submit".
pub fn signed_work_permit_draft(
    db: &Db,
    ykn: &str,
    filing: &str,
    period: (Date, Date),
    now: OffsetDateTime,
) -> Result<SeededPermit, DomainError> {
    let filing = filing.to_owned();
    let ykn = ykn.to_owned();
    db.write(move |c| signed_draft(c, &ykn, &filing, period, now))
}

fn signed_draft(
    c: &mut DbConnection,
    ykn: &str,
    filing: &str,
    (start, end): (Date, Date),
    now: OffsetDateTime,
) -> Result<SeededPermit, DomainError> {
    {
        let employer = household_employer(c, HOUSEHOLD_OWNER, now)?;
        let born = time::macros::date!(1990 - 03 - 14);
        ensure_foreigner(c, ykn, born, now)?;
        let who = Actor::Citizen {
            tckn: tckn(HOUSEHOLD_OWNER),
        };
        let mut s = WorkPermitRepo::new(c, now);
        let kind = ApplicationKindInput {
            employer_kind: "household".into(),
            filing: filing.into(),
            route: "in_turkiye".into(),
            ykn: Some(ykn.to_owned()),
            birth_date: Some(born),
            care_kind: Some("elderly_care".into()),
            ..Default::default()
        };
        let a = uc::start_application(&mut s, &who, employer, kind, now)?;
        let today = kapi_core::istanbul_date_of(now);
        // The uploads the steps name (the bytes themselves are not needed here).
        for (i, kind) in [FileKind::Photo, FileKind::Pdf, FileKind::Pdf, FileKind::Pdf]
            .into_iter()
            .enumerate()
        {
            let sha = if i == 0 {
                "a".repeat(64)
            } else {
                format!("{i:064x}")
            };
            s.add_file(
                a.id,
                &ApplicationFile {
                    sha256: Sha256Hex::parse(&sha).map_err(DomainError::rule)?,
                    kind,
                    media_type: if i == 0 {
                        "image/jpeg"
                    } else {
                        "application/pdf"
                    }
                    .into(),
                    size: 50_000,
                    file_name: "fixture".into(),
                    uploaded_by: "fixture".into(),
                    uploaded_at: now,
                },
            )?;
        }
        uc::save_personal(
            &mut s,
            &who,
            a.id,
            PersonalInput {
                registry_confirmed: true,
                email: "elnur@example.com".into(),
                mobile: "0532 123 45 67".into(),
                photo: Some(PhotoInput {
                    sha256: "a".repeat(64),
                    format: "jpeg".into(),
                    size: 300_000,
                    taken_on: Some(today - Duration::days(20)),
                    confirmed: true,
                }),
                marital_status: "single".into(),
                spouse: None,
            },
            now,
        )?;
        uc::save_general(
            &mut s,
            &who,
            a.id,
            GeneralInput {
                international_protection: false,
                passport_no: Some("C01234567".into()),
                passport_expires_on: Some(today + Duration::days(2000)),
                languages: vec!["Türkçe".into()],
                education_level: "high_school".into(),
                ..Default::default()
            },
            now,
        )?;
        uc::save_job(
            &mut s,
            &who,
            a.id,
            JobInput {
                province: "06".into(),
                district_code: 1231,
                open_address: "Bahçelievler Mah. Demo Sok. No:5 Çankaya".into(),
                occupation_code: "5322.01".into(),
                cared_person_tckn: Some(CARED_MOTHER.into()),
                kinship_relation: Some("mother".into()),
                wage: "25000".into(),
                work_mode: "full_time".into(),
                work_type: "indefinite".into(),
                period_start: Some(start),
                period_end: Some(end),
                reason: "Yaşlı annemin evde bakımı için.".into(),
                premiums_paid_abroad: None,
            },
            now,
        )?;
        let docs = [
            "employment_contract",
            "proof_of_income",
            "passport_identity_page",
        ];
        uc::save_documents(
            &mut s,
            &who,
            a.id,
            DocumentsInput {
                documents: docs
                    .iter()
                    .enumerate()
                    .map(|(i, t)| DocumentInput {
                        document_type: (*t).into(),
                        sha256: format!("{:064x}", i + 1),
                        size: 50_000,
                    })
                    .collect(),
            },
            now,
        )?;
        uc::set_petition(
            &mut s,
            &who,
            a.id,
            GeneratedPetition {
                sha256: Sha256Hex::parse(&"b".repeat(64)).map_err(DomainError::rule)?,
                size: 1000,
                generated_at: now,
            },
        )?;
        uc::save_result(
            &mut s,
            &who,
            a.id,
            ResultInput {
                petition_sha256: "b".repeat(64),
                confirmed: true,
                e_sign: true,
            },
            now,
        )?;
        Ok(SeededPermit {
            employer_id: employer.to_string(),
            application_id: a.id.to_string(),
            period: (start, end),
        })
    }
}

/// Moves the application's evaluation to `status` entered at `since` (what the stages
/// before would have done), keeping everything else.
pub fn force_work_permit_status(
    db: &Db,
    id: &str,
    status: &str,
    since: OffsetDateTime,
) -> Result<(), DomainError> {
    let id: WorkPermitId = id
        .parse()
        .map_err(|_| DomainError::internal("application id"))?;
    let status = kapi_work_permit::evaluation::Status::parse(status)
        .ok_or_else(|| DomainError::internal("status"))?;
    db.write(move |c| {
        let mut s = WorkPermitRepo::new(c, since);
        let mut a = s
            .get(id)?
            .ok_or_else(|| DomainError::internal("no such application"))?;
        a.evaluation.status = status;
        a.evaluation.since = since;
        let before = a.version;
        a.version += 1;
        if !s.update(&a, before)? {
            return Err(DomainError::internal("stale fixture update"));
        }
        Ok(())
    })
}
