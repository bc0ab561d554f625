//! e-İzin rules from issue 19: an extension is judged against the permit it extends — the
//! same employer's — never another employer's permit of the same foreigner (whose dates are
//! not disclosed either); a lost card is refused for a terminated permit before any fee is
//! due.

use kapi_api::clock::ClockSetting;
use kapi_core::{Actor, DomainError, Tckn};
use kapi_persistence::work_permits::WorkPermitRepo;
use kapi_tests::work_permit_fixture::{
    employer, ensure_foreigner, force_work_permit_status, household_employer,
    signed_work_permit_draft, submitted_work_permit, HOUSEHOLD_OWNER,
};
use kapi_tests::{both_backends, json};
use kapi_work_permit::duration::PermitPeriod;
use kapi_work_permit::employer::Registration;
use kapi_work_permit::evaluation::Status;
use kapi_work_permit::kind::ApplicationKindInput;
use kapi_work_permit::usecases::{start_application, WorkPermitStore};
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

/// A company owner in the demo registry (employer A of the foreigner).
const COMPANY_OWNER: &str = "12345678950";
const BORN: Date = date!(1990 - 03 - 14);

fn ykn(nine: &str) -> String {
    kapi_core::with_tckn_checksum(nine).unwrap()
}

fn url(id: &str, verb: &str) -> String {
    format!("/api/v1/work-permits/{id}/{verb}")
}

/// An approved first permit of the foreigner `ykn` at the employer `registration` of
/// `owner`, running `start..=end` (what the ministry's approval would have left).
fn approved_permit(
    c: &mut kapi_persistence::DbConnection,
    owner: &str,
    registration: Registration,
    ykn: &str,
    (start, end): (Date, Date),
    now: OffsetDateTime,
) -> Result<String, DomainError> {
    let household = matches!(registration, Registration::Household { .. });
    let employer_id = if household {
        household_employer(c, owner, now)?
    } else {
        employer(c, owner, registration, now)?
    };
    ensure_foreigner(c, ykn, BORN, now)?;
    let who = Actor::Citizen {
        tckn: Tckn::parse(owner).map_err(DomainError::field)?,
    };
    let mut s = WorkPermitRepo::new(c, now);
    let kind = ApplicationKindInput {
        employer_kind: if household { "household" } else { "company" }.into(),
        filing: "first".into(),
        route: "in_turkiye".into(),
        ykn: Some(ykn.to_owned()),
        birth_date: Some(BORN),
        care_kind: household.then(|| "elderly_care".into()),
        ..Default::default()
    };
    let mut a = start_application(&mut s, &who, employer_id, kind, now)?;
    a.evaluation.status = Status::Approved;
    a.period = PermitPeriod::from_stored(start, end);
    let before = a.version;
    a.version += 1;
    if !s.update(&a, before)? {
        return Err(DomainError::internal("stale fixture update"));
    }
    Ok(employer_id.to_string())
}

both_backends! {
    async fn an_extension_is_judged_against_the_same_employers_permit(app) {
        // Employer A (a company) employs the foreigner until 15 December 2026, employer B (a
        // household) until 10 December. B's extension window opens 60 days before B's end,
        // on 11 October; A's would open on 16 October.
        let drafted = datetime!(2026-10-05 10:00 +03:00);
        app.state.clock.set(ClockSetting::Fixed(drafted));
        let y = ykn("991000451");
        let db = app.state.db.clone();
        let y2 = y.clone();
        let (b, ext) = actix_web::web::block(move || {
            let sgk = Registration::Company { sgk_no: "2512001010000010060000".parse().map_err(DomainError::field)? };
            db.write(|c| approved_permit(c, COMPANY_OWNER, sgk, &y2, (date!(2025 - 12 - 16), date!(2026 - 12 - 15)), drafted))?;
            let b = db.write(|c| {
                approved_permit(
                    c,
                    HOUSEHOLD_OWNER,
                    Registration::Household { care_kind: kapi_work_permit::kind::CareKind::ElderlyCare },
                    &y2,
                    (date!(2025 - 12 - 11), date!(2026 - 12 - 10)),
                    drafted,
                )
            })?;
            let ext_start = date!(2026 - 12 - 11);
            let ext_end = kapi_work_permit::calendar::period_end(ext_start, 24).unwrap();
            let ext = signed_work_permit_draft(&db, &y2, "extension", (ext_start, ext_end), drafted)?;
            Ok::<_, DomainError>((b, ext))
        })
        .await
        .unwrap()
        .unwrap();
        assert_eq!(ext.employer_id, b);
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        // B's running permits: only B's own.
        let running = app.get(&format!("/api/v1/work-permit-employers/{b}/running-permits"), Some(&owner)).await;
        running.expect(200);
        let ends: Vec<&str> = running.body.as_array().unwrap().iter().filter_map(|p| p["period"]["end"].as_str()).collect();
        assert_eq!(ends, ["2026-12-10"], "{}", running.text);

        // The last minute before B's window: too early, on B's permit; A's dates not shown.
        app.set_clock("2026-10-10T23:59:00+03:00").await;
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        let r = app.post(&url(&ext.application_id, "submit"), Some(&owner), json!({})).await;
        r.problem(422, "work_permit.extension_too_early");
        assert_eq!(r.field(), "filed_at");
        assert!(r.text.contains("2026-10-11") && r.text.contains("2026-12-10"), "{}", r.text);
        assert!(!r.text.contains("2026-12-15") && !r.text.contains("2026-10-16"), "another employer's permit disclosed: {}", r.text);

        // From 00:00 Istanbul on 11 October B's window is open: the submission goes through
        // (A's window, which would open on 16 October, plays no part).
        app.set_clock("2026-10-11T00:00:00+03:00").await;
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        let r = app.post(&url(&ext.application_id, "submit"), Some(&owner), json!({})).await;
        r.expect(200);
        assert_eq!(r.body["kind"]["filing"]["code"], "extension");
        assert_eq!(r.body["evaluation"]["status"]["code"], "submitted");
        app.state.clock.set(ClockSetting::Real);
    }

    async fn a_lost_card_is_refused_for_a_terminated_permit_before_any_fee(app) {
        let t0 = datetime!(2026-03-01 10:00 +03:00);
        app.state.clock.set(ClockSetting::Fixed(t0));
        let db = app.state.db.clone();
        let y = ykn("991000452");
        let s = actix_web::web::block(move || {
            let s = submitted_work_permit(&db, &y, t0)?;
            force_work_permit_status(&db, &s.application_id, "approved", t0)?;
            Ok::<_, DomainError>(s)
        })
        .await
        .unwrap()
        .unwrap();
        let id = s.application_id.clone();
        // Well inside the permit (it starts ten days after t0 and runs eleven months).
        app.set_clock("2026-05-20T10:00:00+03:00").await;
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        app.post(&url(&id, "termination"), Some(&owner), json!({"termination_date": "2026-05-18", "reason": "resignation"}))
            .await
            .expect(200);
        let r = app.post(&url(&id, "lost-card"), Some(&owner), json!({})).await;
        r.problem(409, "work_permit.permit_terminated");
        // Nothing is due: no lost-card request, no fee reference.
        let a = app.get(&format!("/api/v1/work-permits/{id}"), Some(&owner)).await;
        a.expect(200);
        assert_eq!(a.body["ministry"]["lost_cards"], json!([]), "{}", a.text);
        app.post(&url(&id, "lost-card/notify-payment"), Some(&owner), json!({}))
            .await
            .problem(409, "work_permit.invalid_transition");
        app.state.clock.set(ClockSetting::Real);
    }
}
