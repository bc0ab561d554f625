//! e-İzin code lists over HTTP (fee tariff, termination reasons, document types) and the
//! simulated MFA and YÖK registries behind their ports, on both backends.

use kapi_persistence::demo::{
    DEMO_MFA_REFERENCE_EXPIRED, DEMO_MFA_REFERENCE_FRESH, DEMO_MFA_REFERENCE_USED,
    DEMO_YOK_APPROVED, DEMO_YOK_PENDING, DEMO_YOK_REJECTED,
};
use kapi_persistence::work_permit_registries::{fee_schedule, WorkPermitRegistries};
use kapi_tests::both_backends;
use kapi_work_permit::kind::{
    check_reference, ConsulateRegistry, MfaReferenceNo, YokPrePermitNo, YokPrePermitStatus,
    YokRegistry,
};
use serde_json::Value;

fn items(body: &Value) -> &Vec<Value> {
    body["items"].as_array().unwrap()
}

both_backends! {
    async fn fee_tariff_by_day(app) {
        let r = app.get("/api/v1/reference/work-permit-fees?on=2025-06-01", None).await;
        r.expect(200);
        let y2025 = items(&r.body).clone();
        assert_eq!(y2025.len(), 3, "{}", r.text);
        assert_eq!(r.body["total"], 3);
        assert_eq!(y2025[0]["valid_from"], "2025-01-01");
        assert_eq!(y2025[0]["months_min"], 1);
        assert_eq!(y2025[0]["months_max"], 12);
        assert_eq!(y2025[0]["permit_fee"], "10387.90");
        assert_eq!(y2025[0]["card_fee"], "1270.20");
        assert!(y2025.iter().all(|x| x["permit_fee_account"] == "9130" && x["card_fee_account"] == "9267"));

        let r = app.get("/api/v1/reference/work-permit-fees?on=2026-06-01", None).await;
        r.expect(200);
        let y2026 = items(&r.body).clone();
        assert_eq!(y2026.len(), 3);
        assert_eq!(y2026[0]["valid_from"], "2026-01-01");
        assert_eq!(y2026[0]["permit_fee"], "13025.55");
        assert_eq!(y2026[2]["months_min"], 25);
        assert_eq!(y2026[2]["months_max"], 36);
        assert_eq!(y2026[2]["permit_fee"], "39076.65");
        assert_ne!(y2025, y2026);

        // The last day of a version still has it; before the first there is none.
        let r = app.get("/api/v1/reference/work-permit-fees?on=2025-12-31", None).await;
        assert_eq!(items(&r.body)[0]["valid_from"], "2025-01-01");
        let r = app.get("/api/v1/reference/work-permit-fees?on=2024-12-31", None).await;
        r.expect(200);
        assert_eq!(r.body["total"], 0);
        // Default: today in Istanbul (the demo tariff's latest version is 2026).
        let r = app.get("/api/v1/reference/work-permit-fees", None).await;
        r.expect(200);
        assert_eq!(r.body["total"], 3);

        for bad in ["2026-13-01", "01.06.2026", "yesterday", ""] {
            let r = app.get(&format!("/api/v1/reference/work-permit-fees?on={bad}"), None).await;
            r.problem(422, "validation.failed");
            assert_eq!(r.field(), "on", "{bad}: {}", r.text);
        }
        let r = app.get("/api/v1/reference/work-permit-fees?date=2026-06-01", None).await;
        assert_eq!(r.status, 422, "{}", r.text);
    }

    async fn termination_reasons_and_document_types(app) {
        let r = app.get("/api/v1/reference/termination-reasons", None).await;
        r.expect(200);
        let list = items(&r.body);
        assert_eq!(r.body["total"].as_u64().unwrap() as usize, list.len());
        assert!(list.iter().any(|x| x["code"] == "resignation" && x["name_tr"] == "İstifa"), "{}", r.text);
        assert!(list.iter().any(|x| x["code"] == "other" && x["name_tr"] == "Diğer"));
        assert!(list.iter().all(|x| !x["name_tr"].as_str().unwrap().is_empty()));

        let r = app.get("/api/v1/reference/work-permit-document-types", None).await;
        r.expect(200);
        let list = items(&r.body);
        assert!(list.len() >= 10, "{}", r.text);
        assert!(list.iter().any(|x| x["code"] == "employment_contract" && x["name_tr"] == "İş Sözleşmesi"));
        assert!(list.iter().any(|x| x["code"] == "passport_identity_page"));
    }

    async fn consulate_and_yok_registries_answer_from_seed_data(app) {
        let db = app.state.db.clone();
        actix_web::web::block(move || {
            let fresh = MfaReferenceNo::parse(DEMO_MFA_REFERENCE_FRESH).unwrap();
            let now = time::OffsetDateTime::now_utc();
            db.read(|c| {
                let mut reg = WorkPermitRegistries::new(c);
                let r = reg.find_reference(&fresh)?.expect("demo reference");
                assert!(!r.used);
                assert_eq!(r.nationality.as_str(), "UZ");
                assert!(check_reference(r.issued_at, r.used, now).is_ok());

                let expired = reg.find_reference(&MfaReferenceNo::parse(DEMO_MFA_REFERENCE_EXPIRED).unwrap())?.unwrap();
                assert_eq!(check_reference(expired.issued_at, expired.used, now).unwrap_err().code, "work_permit.reference_expired");
                let used = reg.find_reference(&MfaReferenceNo::parse(DEMO_MFA_REFERENCE_USED).unwrap())?.unwrap();
                assert!(used.used);
                assert_eq!(check_reference(used.issued_at, used.used, now).unwrap_err().code, "work_permit.reference_used");
                assert!(reg.find_reference(&MfaReferenceNo::parse("9999999999999999").unwrap())?.is_none());

                let approved = reg.find_pre_permit(&YokPrePermitNo::parse(DEMO_YOK_APPROVED).unwrap())?.expect("demo pre-permit");
                assert_eq!(approved.status, YokPrePermitStatus::Approved);
                assert_eq!(approved.nationality.as_str(), "IR");
                assert!(!approved.university.is_empty());
                assert_eq!(reg.find_pre_permit(&YokPrePermitNo::parse(DEMO_YOK_PENDING).unwrap())?.unwrap().status, YokPrePermitStatus::Pending);
                assert_eq!(reg.find_pre_permit(&YokPrePermitNo::parse(DEMO_YOK_REJECTED).unwrap())?.unwrap().status, YokPrePermitStatus::Rejected);
                assert!(reg.find_pre_permit(&YokPrePermitNo::parse("999999").unwrap())?.is_none());

                let schedule = fee_schedule(c)?;
                assert_eq!(schedule.rows().len(), 6);
                Ok(())
            })
            .unwrap();

            // Single use: the first mark sets used_at, a second one is refused and changes nothing.
            let first = time::macros::datetime!(2026-12-01 10:00:00.123456 UTC);
            db.write(|c| WorkPermitRegistries::new(c).mark_used(&fresh, first)).unwrap();
            let (used, at) = db
                .read(|c| {
                    let mut reg = WorkPermitRegistries::new(c);
                    Ok((reg.find_reference(&fresh)?.unwrap().used, reg.reference_used_at(&fresh)?))
                })
                .unwrap();
            assert!(used);
            assert_eq!(at, Some(first));
            let again = db
                .write(|c| WorkPermitRegistries::new(c).mark_used(&fresh, first + time::Duration::hours(1)))
                .unwrap_err();
            assert_eq!(again.code, "work_permit.reference_used");
            let at = db.read(|c| WorkPermitRegistries::new(c).reference_used_at(&fresh)).unwrap();
            assert_eq!(at, Some(first), "a second mark_used leaves used_at alone");
            let unknown = db
                .write(|c| WorkPermitRegistries::new(c).mark_used(&MfaReferenceNo::parse("9999999999999999").unwrap(), first))
                .unwrap_err();
            assert_eq!(unknown.code, "work_permit.reference_not_found");
        })
        .await
        .unwrap();
    }
}
