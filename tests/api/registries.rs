//! The simulated government registries behind their ports, on both backends.

use kapi_core::{Tckn, Ykn};
use kapi_identity::registry::{CitizenRegistry, ForeignerRegistry, KinshipRegistry, SgkRegistry};
use kapi_persistence::identity::IdentityRepo;
use kapi_tests::both_backends;

both_backends! {
    async fn registries_answer_from_seed_data(app) {
        let db = app.state.db.clone();
        actix_web::web::block(move || {
            db.read(|c| {
                let mut repo = IdentityRepo::new(c);
                let ayse = repo.find_citizen(&Tckn::parse("10000000146").unwrap())?.expect("demo citizen");
                assert_eq!(ayse.first_name, "Ayşe");
                assert_eq!(ayse.residence.province.get(), 6);
                assert_eq!(ayse.mobile.as_ref().map(|m| m.as_str().to_owned()), Some("5321000001".to_owned()));
                assert!(repo.find_citizen(&Tckn::parse(&kapi_core::with_tckn_checksum("999999999").unwrap()).unwrap())?.is_none());

                let mehmet = Tckn::parse("12345678950").unwrap();
                let wps = repo.authorised_workplaces(&mehmet)?;
                assert_eq!(wps.len(), 2);
                assert!(wps.iter().all(|w| w.province.get() == 6));
                assert!(repo.authorised_workplaces(&Tckn::parse("10000000146").unwrap())?.is_empty());
                assert!(repo.find_workplace(&wps[0].sgk_no)?.is_some());

                let gulsen = Tckn::parse("45678901280").unwrap();
                assert_eq!(repo.relation(&gulsen, &Tckn::parse("10000000146").unwrap())?.as_deref(), Some("mother"));
                assert_eq!(repo.relation(&mehmet, &gulsen)?, None);

                let ykn = Ykn::parse(&kapi_core::with_tckn_checksum("991000001").unwrap()).unwrap();
                let f = repo.find_foreigner(&ykn)?.expect("demo foreigner");
                assert_eq!(f.nationality, "AZ");
                Ok(())
            })
        })
        .await
        .unwrap()
        .unwrap();
    }

    async fn history_is_append_only_in_the_database(app) {
        let db = app.state.db.clone();
        actix_web::web::block(move || {
            let entry = kapi_core::HistoryEntry {
                resource_kind: "test".into(),
                resource_id: "1".into(),
                at: time::OffsetDateTime::now_utc(),
                actor: "system_admin:test".into(),
                from_state: None,
                to_state: "active".into(),
                note: None,
            };
            db.write(|c| kapi_persistence::history::append(c, &entry)).unwrap();
            let changed = db.write(|c| {
                use diesel::RunQueryDsl;
                diesel::sql_query("UPDATE history_entries SET to_state = 'forged'").execute(c).map_err(|e| kapi_core::DomainError::internal(e.to_string()))
            });
            assert!(changed.is_err(), "an update of history must fail");
            let deleted = db.write(|c| {
                use diesel::RunQueryDsl;
                diesel::sql_query("DELETE FROM history_entries").execute(c).map_err(|e| kapi_core::DomainError::internal(e.to_string()))
            });
            assert!(deleted.is_err(), "a delete of history must fail");
            let kept = db.read(|c| kapi_persistence::history::load(c, "test", "1")).unwrap();
            assert_eq!(kept.len(), 1);
            assert_eq!(kept[0].to_state, "active");
        })
        .await
        .unwrap();
    }
}
