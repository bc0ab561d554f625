//! The work-permit application store on both backends: the JSON document round trip, the
//! optimistic update, the employer's lists, the running permit of a foreigner, and the
//! scheduled deletion of expired drafts (the domain job and `kapi jobs run`'s library call).

use kapi_api::jobs::{run_due_jobs, DELETE_EXPIRED_DRAFTS};
use kapi_core::{
    Actor, DomainError, Email, EmployerId, HistoryLog, MobilePhone, PageRequest, Tckn, WorkPermitId,
};
use kapi_persistence::work_permit_employers::WorkPermitEmployerRepo;
use kapi_persistence::work_permits::WorkPermitRepo;
use kapi_persistence::Db;
use kapi_tests::both_backends;
use kapi_tests::work_permit_fixture::ensure_foreigner;
use kapi_work_permit::application::{EmployerRef, WorkPermitApplication, HISTORY_KIND};
use kapi_work_permit::draft::DRAFT_DELETED_NOTE;
use kapi_work_permit::employer::{EmployerStore, Registration, RegistryPerson, WorkPermitEmployer};
use kapi_work_permit::evaluation::Status;
use kapi_work_permit::kind::CareKind;
use kapi_work_permit::kind::{ApplicationKindInput, Filing};
use kapi_work_permit::usecases::{
    delete_expired_drafts, start_application, WorkPermitStore, DELETED_STATE, DRAFT_BATCH,
};
use time::macros::{date, datetime};
use time::{Date, OffsetDateTime};

fn tckn(nine: &str) -> Tckn {
    Tckn::parse(&kapi_core::with_tckn_checksum(nine).unwrap()).unwrap()
}

fn ykn(nine: &str) -> String {
    kapi_core::with_tckn_checksum(nine).unwrap()
}

fn household(nine: &str) -> Actor {
    Actor::Citizen { tckn: tckn(nine) }
}

fn household_kind(ykn: String, filing: &str) -> ApplicationKindInput {
    ApplicationKindInput {
        employer_kind: "household".into(),
        filing: filing.into(),
        route: "in_turkiye".into(),
        ykn: Some(ykn),
        birth_date: Some(date!(1980 - 06 - 01)),
        care_kind: Some("elderly_care".into()),
        ..Default::default()
    }
}

/// The household employer record of the person `nine` (registered on first use).
fn household_employer(store: &mut WorkPermitRepo<'_>, nine: &str) -> EmployerId {
    let owner = tckn(nine);
    let mut employers =
        WorkPermitEmployerRepo::new(store.connection(), datetime!(2026-01-01 10:00 +03:00));
    if let Some(e) = employers.list_by_owner(&owner).unwrap().first() {
        return e.id;
    }
    let e = WorkPermitEmployer {
        id: EmployerId::new(),
        owner: RegistryPerson {
            tckn: owner,
            first_name: "Ayşe".into(),
            last_name: "Test".into(),
            birth_date: date!(1970 - 01 - 01),
        },
        registration: Registration::Household {
            care_kind: CareKind::ElderlyCare,
        },
        title: "Ayşe Test".into(),
        email: Email::parse("ayse@ornek.com.tr").unwrap(),
        mobile: MobilePhone::parse("5321000009").unwrap(),
        created_at: datetime!(2026-01-01 10:00 +03:00),
        updated_at: datetime!(2026-01-01 10:00 +03:00),
        documents: vec![],
        version: 1,
    };
    employers.insert(&e).unwrap();
    e.id
}

fn employer_ref(store: &mut WorkPermitRepo<'_>, nine: &str) -> EmployerRef {
    EmployerRef::Employer {
        employer_id: household_employer(store, nine),
    }
}

fn start(
    store: &mut WorkPermitRepo<'_>,
    actor: &Actor,
    kind: ApplicationKindInput,
    now: OffsetDateTime,
) -> WorkPermitApplication {
    let Actor::Citizen { tckn: person } = actor else {
        panic!("a citizen starts")
    };
    let nine = person.as_str()[..9].to_owned();
    let employer = household_employer(store, &nine);
    let ykn = kind.ykn.clone().expect("a YKN route");
    ensure_foreigner(store.connection(), &ykn, date!(1980 - 06 - 01), now).unwrap();
    start_application(store, actor, employer, kind, now).expect("start_application")
}

/// The store decides nothing: a test moves an application on by editing the aggregate.
fn save_as(
    store: &mut WorkPermitRepo<'_>,
    mut a: WorkPermitApplication,
    status: &str,
    period: Option<(Date, Date)>,
) -> WorkPermitApplication {
    let mut v = serde_json::to_value(&a).unwrap();
    v["evaluation"]["status"] = serde_json::json!(status);
    if let Some((start, end)) = period {
        v["period"] = serde_json::json!({
            "start": serde_json::to_value(start).unwrap(),
            "end": serde_json::to_value(end).unwrap(),
        });
    }
    let before = a.version;
    a = serde_json::from_value(v).unwrap();
    a.version = before + 1;
    assert!(store.update(&a, before).unwrap());
    a
}

async fn with_db<T: Send + 'static>(
    db: &Db,
    f: impl FnOnce(&mut kapi_persistence::DbConnection) -> Result<T, DomainError> + Send + 'static,
) -> T {
    let db = db.clone();
    actix_web::web::block(move || db.write(f))
        .await
        .unwrap()
        .unwrap()
}

both_backends! {
    async fn a_draft_round_trips_and_updates_check_the_version(app) {
        let now = datetime!(2026-03-10 10:00 +03:00);
        with_db(&app.state.db, move |c| {
            let mut s = WorkPermitRepo::new(c, now);
            let who = household("200000001");
            let a = start(&mut s, &who, household_kind(ykn("991000011"), "first"), now);
            assert_eq!(a.version, 1);
            assert!(a.is_draft());
            let back = s.get(a.id)?.expect("stored");
            assert_eq!(back, a);
            assert!(s.get(WorkPermitId::new())?.is_none());
            // The draft's creation is in the history.
            let h = s.history(HISTORY_KIND, &a.id.to_string())?;
            assert_eq!(h.len(), 1);
            assert_eq!(h[0].to_state, "draft");

            let mut b = back.clone();
            b.touch(now + time::Duration::hours(1))?;
            b.version = 2;
            assert!(s.update(&b, 1)?);
            // A second writer still holding version 1 loses.
            let mut stale = back;
            stale.version = 2;
            assert!(!s.update(&stale, 1)?);
            let stored = s.get(a.id)?.unwrap();
            assert_eq!(stored.version, 2);
            assert_eq!(stored.last_touched_at, now + time::Duration::hours(1));
            // A stale delete is refused too.
            assert!(!s.delete(a.id, 1)?);
            assert!(s.get(a.id)?.is_some());
            Ok(())
        })
        .await;
    }

    async fn lists_by_employer_filter_by_status_and_page(app) {
        let t0 = datetime!(2026-03-10 10:00 +03:00);
        with_db(&app.state.db, move |c| {
            let mut s = WorkPermitRepo::new(c, t0);
            let who = household("200000002");
            let other = household("200000003");
            let mut mine = Vec::new();
            for i in 0..3 {
                let at = t0 + time::Duration::minutes(i);
                mine.push(start(&mut s, &who, household_kind(ykn(&format!("99100001{i}")), "first"), at));
            }
            start(&mut s, &other, household_kind(ykn("991000020"), "first"), t0);
            let submitted = save_as(&mut s, mine[0].clone(), "submitted", None);

            let me = employer_ref(&mut s, "200000002");
            let all = s.list_by_employer(&me, &[], PageRequest::new(None, None)?)?;
            assert_eq!(all.total, 3);
            // Newest first.
            let ids: Vec<_> = all.items.iter().map(|a| a.id).collect();
            assert_eq!(ids, vec![mine[2].id, mine[1].id, mine[0].id]);

            let drafts = s.list_by_employer(&me, &[Status::Draft], PageRequest::new(Some(2), Some(1))?)?;
            assert_eq!(drafts.total, 2);
            assert_eq!(drafts.items.len(), 1);
            assert_eq!(drafts.items[0].id, mine[1].id);

            let sent = s.list_by_employer(
                &me,
                &[Status::Submitted, Status::UnderEvaluation],
                PageRequest::new(None, None)?,
            )?;
            assert_eq!(sent.total, 1);
            assert_eq!(sent.items[0], submitted);
            assert_eq!(sent.items[0].status(), Status::Submitted);

            let nobody = employer_ref(&mut s, "200000004");
            assert_eq!(s.list_by_employer(&nobody, &[], PageRequest::new(None, None)?)?.total, 0);
            Ok(())
        })
        .await;
    }

    async fn the_current_permit_is_the_latest_approved_one_of_the_ykn_at_the_employer(app) {
        let now = datetime!(2026-03-10 10:00 +03:00);
        with_db(&app.state.db, move |c| {
            let mut s = WorkPermitRepo::new(c, now);
            let who = household("200000005");
            let y = ykn("991000030");
            let foreigner = kapi_core::Ykn::parse(&y).unwrap();
            let mine = employer_ref(&mut s, "200000005");
            assert!(s.current_permit(&mine, &foreigner)?.is_none());

            let first = start(&mut s, &who, household_kind(y.clone(), "first"), now);
            save_as(&mut s, first, "approved", Some((date!(2024 - 01 - 01), date!(2024 - 12 - 31))));
            let c1 = s.current_permit(&mine, &foreigner)?.unwrap();
            assert_eq!(c1.ends_on, date!(2024 - 12 - 31));
            assert_eq!(c1.previous_extensions, 0);

            // (Started as first applications and turned into extensions: the store's chain is
            // under test here, not the filing rules.)
            let mut ext = start(&mut s, &who, household_kind(y.clone(), "first"), now);
            ext.kind.filing = Filing::Extension;
            save_as(&mut s, ext, "approved", Some((date!(2025 - 01 - 01), date!(2026 - 12 - 31))));
            // A pending extension is not a permit yet.
            let mut pending = start(&mut s, &who, household_kind(y.clone(), "first"), now);
            pending.kind.filing = Filing::Extension;
            save_as(&mut s, pending, "submitted", Some((date!(2027 - 01 - 01), date!(2029 - 12 - 31))));
            let c2 = s.current_permit(&mine, &foreigner)?.unwrap();
            assert_eq!(c2.ends_on, date!(2026 - 12 - 31));
            assert_eq!(c2.previous_extensions, 1);

            // Another employer's later permit for the same foreigner is not this employer's
            // current permit, and this one's is not the other's.
            let other_who = household("200000006");
            let other = employer_ref(&mut s, "200000006");
            let theirs = start(&mut s, &other_who, household_kind(y.clone(), "first"), now);
            save_as(&mut s, theirs, "approved", Some((date!(2026 - 01 - 01), date!(2027 - 06 - 30))));
            let c3 = s.current_permit(&mine, &foreigner)?.unwrap();
            assert_eq!(c3.ends_on, date!(2026 - 12 - 31));
            assert_eq!(c3.previous_extensions, 1);
            let c4 = s.current_permit(&other, &foreigner)?.unwrap();
            assert_eq!(c4.ends_on, date!(2027 - 06 - 30));
            assert_eq!(c4.previous_extensions, 0);
            Ok(())
        })
        .await;
    }

    async fn expired_drafts_are_deleted_once_with_their_history_kept(app) {
        // Kept through the same day one calendar month later (Istanbul), deleted the day after.
        let now = datetime!(2026-04-16 10:00 +03:00);
        let (expired, on_limit, submitted) = with_db(&app.state.db, move |c| {
            let mut s = WorkPermitRepo::new(c, now);
            let who = household("200000006");
            let expired = start(&mut s, &who, household_kind(ykn("991000040"), "first"), datetime!(2026-03-15 10:00 +03:00));
            let on_limit = start(&mut s, &who, household_kind(ykn("991000041"), "first"), datetime!(2026-03-16 10:00 +03:00));
            let old = start(&mut s, &who, household_kind(ykn("991000042"), "first"), datetime!(2026-01-02 10:00 +03:00));
            let submitted = save_as(&mut s, old, "submitted", None);
            Ok((expired.id, on_limit.id, submitted.id))
        })
        .await;

        let deleted = with_db(&app.state.db, move |c| delete_expired_drafts(&mut WorkPermitRepo::new(c, now), now)).await;
        assert!(deleted.contains(&expired), "{deleted:?}");
        assert!(!deleted.contains(&on_limit));
        assert!(!deleted.contains(&submitted));

        with_db(&app.state.db, move |c| {
            let mut s = WorkPermitRepo::new(c, now);
            assert!(s.get(expired)?.is_none());
            assert!(s.get(on_limit)?.is_some());
            assert!(s.get(submitted)?.is_some());
            let h = s.history(HISTORY_KIND, &expired.to_string())?;
            assert_eq!(h.len(), 2, "{h:?}");
            assert_eq!(h[1].to_state, DELETED_STATE);
            assert_eq!(h[1].from_state.as_deref(), Some("draft"));
            assert_eq!(h[1].actor, "system");
            assert!(h[1].note.as_deref().unwrap().starts_with(DRAFT_DELETED_NOTE), "{h:?}");
            assert!(h[1].note.as_deref().unwrap().contains("15.03.2026"), "{h:?}");
            // Idempotent: a second run deletes nothing more and records nothing.
            assert!(delete_expired_drafts(&mut s, now)?.is_empty());
            assert_eq!(s.history(HISTORY_KIND, &expired.to_string())?.len(), 2);
            // The day after, the draft on the limit goes too.
            let next_day = now + time::Duration::days(1);
            assert_eq!(delete_expired_drafts(&mut s, next_day)?, vec![on_limit]);
            Ok(())
        })
        .await;
    }

    async fn jobs_run_deletes_every_expired_draft_once(app) {
        let now = datetime!(2026-04-16 10:00 +03:00);
        // More than one batch of the job, so the run goes on past the first one.
        let n = DRAFT_BATCH + 1;
        let kept = with_db(&app.state.db, move |c| {
            let mut s = WorkPermitRepo::new(c, now);
            let who = household("200000007");
            for i in 0..n {
                let at = datetime!(2026-03-01 10:00 +03:00) + time::Duration::seconds(i as i64);
                start(&mut s, &who, household_kind(ykn("991000050"), "first"), at);
            }
            Ok(start(&mut s, &who, household_kind(ykn("991000051"), "first"), datetime!(2026-03-16 00:00 +03:00)).id)
        })
        .await;

        let db = app.state.db.clone();
        let reports = actix_web::web::block(move || run_due_jobs(&db, now)).await.unwrap().unwrap();
        assert_eq!(reports.len(), 3, "the drafts job, the 30-day limits job and the housekeeping job");
        assert_eq!(reports[0].job, DELETE_EXPIRED_DRAFTS);
        assert_eq!(reports[0].affected, n, "{reports:?}");
        assert!(reports[0].summary.contains(&n.to_string()));

        // A second run (another process, or the next tick) finds nothing more.
        let db = app.state.db.clone();
        let again = actix_web::web::block(move || run_due_jobs(&db, now)).await.unwrap().unwrap();
        assert_eq!(again[0].affected, 0);

        let left = with_db(&app.state.db, move |c| {
            let mut s = WorkPermitRepo::new(c, now);
            let who = employer_ref(&mut s, "200000007");
            s.list_by_employer(&who, &[], PageRequest::new(None, None)?)
        })
        .await;
        assert_eq!(left.total, 1);
        assert_eq!(left.items[0].id, kept);
    }
}
