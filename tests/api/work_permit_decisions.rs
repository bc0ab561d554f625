//! e-İzin ministry decisions over HTTP: the evaluator's queue and commands, missing
//! documents (PDF only, 30 days), fees with their references paid at the simulated GİB
//! (exact amounts), appeal and waiver (30 days, e-signed), the update sent back, the lost
//! card, the scheduled rejections on both sides of the deadline, and every refusal.

use kapi_api::clock::ClockSetting;
use kapi_api::jobs::{run_due_jobs, EXPIRE_WORK_PERMIT_LIMITS};
use kapi_tests::work_permit_fixture::{submitted_work_permit, HOUSEHOLD_OWNER};
use kapi_tests::{both_backends, json, multipart, pdf};
use serde_json::Value;
use time::macros::datetime;
use time::OffsetDateTime;

const T0: OffsetDateTime = datetime!(2026-03-01 10:00 +03:00);
/// Day 30 of a limit entered at T0, its last second (Istanbul).
const LAST: OffsetDateTime = datetime!(2026-03-31 23:59 +03:00);
/// Day 31: the limit is over.
const LATE: OffsetDateTime = datetime!(2026-04-01 00:00 +03:00);
const OTHER_CITIZEN: &str = "12345678950";

fn ykn(nine: &str) -> String {
    kapi_core::with_tckn_checksum(nine).unwrap()
}

fn url(id: &str, verb: &str) -> String {
    format!("/api/v1/work-permits/{id}/{verb}")
}

fn docs_data() -> Value {
    json!({"documents": [{"document_type": "patient_health_report", "file_index": 0}]})
}

both_backends! {
    async fn evaluation_missing_documents_fees_and_payment(app) {
        app.state.clock.set(ClockSetting::Fixed(T0));
        let db = app.state.db.clone();
        let y = ykn("991000101");
        let y2 = y.clone();
        let id = actix_web::web::block(move || submitted_work_permit(&db, &y2, T0)).await.unwrap().unwrap().application_id;
        let staff = app.staff_token("bakanlik.degerlendirici").await;
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        let other = app.citizen_token(OTHER_CITIZEN).await;

        // The queue: the oldest submission first, for the ministry only.
        let q = app.get("/api/v1/ministry/work-permits", Some(&staff)).await;
        q.expect(200);
        assert!(q.body["items"].as_array().unwrap().iter().any(|a| a["id"] == id.as_str()), "{}", q.text);
        let q = app.get("/api/v1/ministry/work-permits?status=under_evaluation", Some(&staff)).await;
        q.expect(200);
        assert_eq!(q.body["total"], 0);
        app.get("/api/v1/ministry/work-permits?status=draft", Some(&staff)).await.problem(422, "work_permit.status_not_listed");
        app.get("/api/v1/ministry/work-permits?status=nope", Some(&staff)).await.problem(422, "work_permit.status");

        let r = app.post(&url(&id, "start-evaluation"), Some(&staff), json!({})).await;
        r.expect(200);
        assert_eq!(r.body["evaluation"]["status"]["code"], "under_evaluation");
        app.post(&url(&id, "start-evaluation"), Some(&staff), json!({})).await.problem(409, "work_permit.invalid_transition");
        let r = app.post(&url(&id, "request-documents"), Some(&staff), json!({"note": "x", "extra": 1})).await;
        r.expect(422);
        assert_eq!(r.field(), "extra");
        let r = app.post(&url(&id, "request-documents"), Some(&staff), json!({"note": "Hasta raporu eksik."})).await;
        r.expect(200);
        assert_eq!(r.body["evaluation"]["status"]["code"], "missing_documents");
        assert_eq!(r.body["evaluation"]["request_note"], "Hasta raporu eksik.");

        // Not a PDF: refused naming the file; another employer's: 404.
        let bad = app.call(multipart(&url(&id, "missing-documents"), &owner, &docs_data(), &[("rapor.docx", b"PK\x03\x04 not a pdf".to_vec())])).await;
        bad.problem(422, "work_permit.document_format");
        assert_eq!(bad.field(), "files[0]");
        assert!(bad.text.contains("rapor.docx"), "{}", bad.text);
        app.call(multipart(&url(&id, "missing-documents"), &other, &docs_data(), &[("rapor.pdf", pdf("r"))])).await.problem(404, "work_permit.not_found");
        app.call(multipart(&url(&id, "missing-documents"), &owner, &json!({"documents": []}), &[("rapor.pdf", pdf("r"))])).await.problem(422, "work_permit.file_unused");
        let ok = app.call(multipart(&url(&id, "missing-documents"), &owner, &docs_data(), &[("rapor.pdf", pdf("r"))])).await;
        ok.expect(200);
        assert_eq!(ok.body["evaluation"]["status"]["code"], "under_evaluation");
        assert_eq!(ok.body["ministry"]["documents"][0]["file_name"], "rapor.pdf");
        assert_eq!(ok.body["ministry"]["documents"][0]["document_type"]["code"], "patient_health_report");

        // Approval: fees of the tariff in force, a reference for each.
        let r = app.post(&url(&id, "approve"), Some(&staff), json!({})).await;
        r.expect(200);
        assert_eq!(r.body["evaluation"]["status"]["code"], "awaiting_fees");
        let refs = r.body["ministry"]["fee_references"].as_array().unwrap().clone();
        assert_eq!(refs.len(), 2);
        assert_eq!(refs[0]["account"]["code"], "permit_fee");
        assert_eq!(refs[0]["account_code"], "9130");
        assert_eq!(refs[0]["amount"], "13025.55");
        assert_eq!(refs[1]["account_code"], "9267");
        assert_eq!(refs[1]["amount"], "1593.10");
        assert_eq!(refs[0]["pay_until"], "2026-03-31");
        assert_eq!(refs[0]["paid_at"], Value::Null);
        let permit_ref = refs[0]["reference_no"].as_str().unwrap().to_owned();
        let card_ref = refs[1]["reference_no"].as_str().unwrap().to_owned();
        assert_ne!(permit_ref, card_ref);

        // The simulated GİB: exact amounts only, the right YKN, a known reference, once.
        let pay = |reference: &str, amount: &str, ykn: &str| json!({"reference_no": reference, "ykn": ykn, "amount": amount});
        let r = app.post("/api/v1/gib/payments", Some(&other), pay(&permit_ref, "13025.54", &y)).await;
        r.problem(422, "fee.amount_mismatch");
        assert_eq!(r.field(), "amount");
        app.post("/api/v1/gib/payments", Some(&other), pay(&permit_ref, "13025.56", &y)).await.problem(422, "fee.amount_mismatch");
        app.post("/api/v1/gib/payments", Some(&other), pay(&permit_ref, "1593.10", &y)).await.problem(422, "fee.amount_mismatch");
        app.post("/api/v1/gib/payments", Some(&other), pay(&permit_ref, "13025.55", &ykn("991000102"))).await.problem(422, "fee.ykn_mismatch");
        app.post("/api/v1/gib/payments", Some(&other), pay("UIGM209900000001", "13025.55", &y)).await.problem(404, "fee.reference_not_found");
        app.post("/api/v1/gib/payments", Some(&staff), pay(&permit_ref, "13025.55", &y)).await.problem(403, "fee.payer_only");
        let r = app.post("/api/v1/gib/payments", Some(&other), pay(&permit_ref, "13025.55", &y)).await;
        r.expect(201);
        assert_eq!(r.body["purpose"]["code"], "permit_fee");
        assert_eq!(r.body["application_status"]["code"], "awaiting_fees");
        app.post("/api/v1/gib/payments", Some(&other), pay(&permit_ref, "13025.55", &y)).await.problem(409, "fee.already_paid");
        let r = app.post("/api/v1/gib/payments", Some(&owner), pay(&card_ref, "1593,10", &y)).await;
        r.expect(201);
        assert_eq!(r.body["application_status"]["code"], "approved");

        let a = app.get(&format!("/api/v1/work-permits/{id}"), Some(&owner)).await;
        a.expect(200);
        assert_eq!(a.body["evaluation"]["status"]["code"], "approved");
        assert!(a.body["ministry"]["fee_references"].as_array().unwrap().iter().all(|f| f["paid_at"].is_string()));
        let h = app.get(&format!("/api/v1/work-permits/{id}/history"), Some(&owner)).await;
        let h = h.body.as_array().unwrap();
        let to: Vec<&str> = h.iter().map(|e| e["to_state"].as_str().unwrap()).collect();
        assert_eq!(to, ["draft", "submitted", "under_evaluation", "missing_documents", "under_evaluation", "awaiting_fees", "awaiting_fees", "approved"]);
        assert!(h.last().unwrap()["note"].as_str().unwrap().contains("çalışma izni onaylandı"));
        assert_eq!(h.last().unwrap()["actor"], "system:gib");
    }

    async fn limits_of_thirty_days_and_the_scheduled_job(app) {
        app.state.clock.set(ClockSetting::Fixed(T0));
        let mut ids = Vec::new();
        for nine in ["991000111", "991000112", "991000113"] {
            let db = app.state.db.clone();
            let y = ykn(nine);
            ids.push(actix_web::web::block(move || submitted_work_permit(&db, &y, T0)).await.unwrap().unwrap().application_id);
        }
        let (docs, fees, update) = (ids[0].clone(), ids[1].clone(), ids[2].clone());
        let staff = app.staff_token("bakanlik.degerlendirici").await;
        for id in &ids {
            app.post(&url(id, "start-evaluation"), Some(&staff), json!({})).await.expect(200);
        }
        app.post(&url(&docs, "request-documents"), Some(&staff), json!({"note": "Hasta raporu eksik."})).await.expect(200);
        app.post(&url(&fees, "approve"), Some(&staff), json!({})).await.expect(200);
        app.post(&url(&update, "request-update"), Some(&staff), json!({"note": "Ücreti güncelleyiniz."})).await.expect(200);

        // Four days later the update is sent back (the steps are whole, signed, the period
        // still ahead), and asked for again: its 30 days start anew.
        let mid = datetime!(2026-03-05 10:00 +03:00);
        app.state.clock.set(ClockSetting::Fixed(mid));
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        let staff = app.staff_token("bakanlik.degerlendirici").await;
        let r = app.post(&url(&update, "submit-update"), Some(&owner), json!({})).await;
        r.expect(200);
        assert_eq!(r.body["evaluation"]["status"]["code"], "under_evaluation");
        app.post(&url(&update, "submit-update"), Some(&owner), json!({})).await.problem(409, "work_permit.invalid_transition");
        app.post(&url(&update, "request-update"), Some(&staff), json!({"note": "Adresi güncelleyiniz."})).await.expect(200);

        // Day 30, 23:59 Istanbul: still in time; the job does nothing.
        app.state.clock.set(ClockSetting::Fixed(LAST));
        let db = app.state.db.clone();
        let reports = actix_web::web::block(move || run_due_jobs(&db, LAST)).await.unwrap().unwrap();
        let limits = reports.iter().find(|r| r.job == EXPIRE_WORK_PERMIT_LIMITS).unwrap();
        assert_eq!(limits.affected, 0, "{reports:?}");

        // Day 31, 00:00: too late to upload; the job rejects the unanswered and unpaid.
        app.state.clock.set(ClockSetting::Fixed(LATE));
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        app.call(multipart(&url(&docs, "missing-documents"), &owner, &docs_data(), &[("rapor.pdf", pdf("r"))])).await.problem(422, "work_permit.deadline_passed");
        let db = app.state.db.clone();
        let reports = actix_web::web::block(move || run_due_jobs(&db, LATE)).await.unwrap().unwrap();
        let limits = reports.iter().find(|r| r.job == EXPIRE_WORK_PERMIT_LIMITS).unwrap();
        assert_eq!(limits.affected, 2, "{reports:?}");
        for (id, word) in [(&docs, "evrak"), (&fees, "Harç")] {
            let a = app.get(&format!("/api/v1/work-permits/{id}"), Some(&owner)).await;
            assert_eq!(a.body["evaluation"]["status"]["code"], "rejected");
            let h = app.get(&format!("/api/v1/work-permits/{id}/history"), Some(&owner)).await;
            let last = h.body.as_array().unwrap().last().unwrap().clone();
            assert_eq!(last["actor"], "system");
            assert_eq!(last["to_state"], "rejected");
            assert!(last["note"].as_str().unwrap().contains(word), "{last}");
        }
        // The update asked again on day 4 still has its own 30 days.
        let a = app.get(&format!("/api/v1/work-permits/{update}"), Some(&owner)).await;
        assert_eq!(a.body["evaluation"]["status"]["code"], "update_requested");
        // Idempotent.
        let db = app.state.db.clone();
        let again = actix_web::web::block(move || run_due_jobs(&db, LATE)).await.unwrap().unwrap();
        assert_eq!(again.iter().find(|r| r.job == EXPIRE_WORK_PERMIT_LIMITS).unwrap().affected, 0);
        // A fee paid after the rejection is refused.
        let a = app.get(&format!("/api/v1/work-permits/{fees}"), Some(&owner)).await;
        let reference = a.body["ministry"]["fee_references"][0]["reference_no"].as_str().unwrap().to_owned();
        app.post("/api/v1/gib/payments", Some(&owner), json!({"reference_no": reference, "ykn": ykn("991000112"), "amount": "13025.55"})).await.problem(409, "work_permit.invalid_transition");
    }

    async fn appeal_on_day_thirty_not_on_day_thirty_one_then_a_second_decision(app) {
        app.state.clock.set(ClockSetting::Fixed(T0));
        let mut ids = Vec::new();
        for nine in ["991000121", "991000122"] {
            let db = app.state.db.clone();
            let y = ykn(nine);
            ids.push(actix_web::web::block(move || submitted_work_permit(&db, &y, T0)).await.unwrap().unwrap().application_id);
        }
        let staff = app.staff_token("bakanlik.degerlendirici").await;
        for id in &ids {
            app.post(&url(id, "start-evaluation"), Some(&staff), json!({})).await.expect(200);
            let r = app.post(&url(id, "reject"), Some(&staff), json!({"reason": "Gelir belgesi yetersiz"})).await;
            r.expect(200);
            assert_eq!(r.body["evaluation"]["status"]["code"], "rejected");
            assert_eq!(r.body["evaluation"]["deadline"], "2026-03-31");
        }
        let (a, b) = (ids[0].clone(), ids[1].clone());

        app.state.clock.set(ClockSetting::Fixed(LAST));
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        let bad = app.call(multipart(&url(&a, "appeal"), &owner, &json!({}), &[("itiraz.png", b"\x89PNG\r\n".to_vec())])).await;
        bad.problem(422, "work_permit.document_format");
        assert!(bad.text.contains("itiraz.png"), "{}", bad.text);
        app.call(multipart(&url(&a, "appeal"), &owner, &json!({}), &[])).await.problem(422, "work_permit.appeal_document_required");
        let r = app.call(multipart(&url(&a, "appeal"), &owner, &json!({}), &[("itiraz.pdf", pdf("itiraz"))])).await;
        r.expect(200);
        assert_eq!(r.body["evaluation"]["status"]["code"], "appealed");
        assert_eq!(r.body["ministry"]["appeal"]["signed_by"], "*********80");
        assert_eq!(r.body["ministry"]["appeal"]["document_sha256"].as_str().unwrap().len(), 64);
        app.call(multipart(&url(&a, "appeal"), &owner, &json!({}), &[("itiraz.pdf", pdf("itiraz"))])).await.problem(409, "work_permit.invalid_transition");

        app.state.clock.set(ClockSetting::Fixed(LATE));
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        let staff2 = app.staff_token("bakanlik.degerlendirici").await;
        app.call(multipart(&url(&b, "appeal"), &owner, &json!({}), &[("itiraz.pdf", pdf("itiraz"))])).await.problem(422, "work_permit.appeal_period_over");
        app.post(&url(&b, "waive-appeal"), Some(&owner), json!({})).await.problem(422, "work_permit.appeal_period_over");

        // The review, then the evaluator decides again: rejected, and final.
        let r = app.post(&url(&a, "review-appeal"), Some(&staff2), json!({})).await;
        r.expect(200);
        assert_eq!(r.body["evaluation"]["status"]["code"], "under_evaluation");
        let r = app.post(&url(&a, "reject"), Some(&staff2), json!({"reason": "İtiraz yerinde görülmedi"})).await;
        r.expect(200);
        assert_eq!(r.body["evaluation"]["appeal_used"], true);
        app.call(multipart(&url(&a, "appeal"), &owner, &json!({}), &[("itiraz.pdf", pdf("2"))])).await.problem(422, "work_permit.appeal_used");
    }

    async fn an_appeal_approved_and_a_waiver(app) {
        app.state.clock.set(ClockSetting::Fixed(T0));
        let mut ids = Vec::new();
        for nine in ["991000131", "991000132"] {
            let db = app.state.db.clone();
            let y = ykn(nine);
            ids.push(actix_web::web::block(move || submitted_work_permit(&db, &y, T0)).await.unwrap().unwrap().application_id);
        }
        let staff = app.staff_token("bakanlik.degerlendirici").await;
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        for id in &ids {
            app.post(&url(id, "start-evaluation"), Some(&staff), json!({})).await.expect(200);
            app.post(&url(id, "reject"), Some(&staff), json!({"reason": "Eksik bilgi"})).await.expect(200);
        }
        let (a, w) = (ids[0].clone(), ids[1].clone());
        app.call(multipart(&url(&a, "appeal"), &owner, &json!({}), &[("itiraz.pdf", pdf("i"))])).await.expect(200);
        app.post(&url(&a, "review-appeal"), Some(&staff), json!({})).await.expect(200);
        let r = app.post(&url(&a, "approve"), Some(&staff), json!({})).await;
        r.expect(200);
        assert_eq!(r.body["evaluation"]["status"]["code"], "awaiting_fees");
        assert_eq!(r.body["ministry"]["fee_references"].as_array().unwrap().len(), 2);

        let r = app.post(&url(&w, "waive-appeal"), Some(&owner), json!({})).await;
        r.expect(200);
        assert_eq!(r.body["evaluation"]["status"]["code"], "appeal_waived");
        assert_eq!(r.body["ministry"]["waiver"]["signed_by"], "*********80");
        let sha = r.body["ministry"]["waiver"]["document_sha256"].as_str().unwrap().to_owned();
        assert!(app.state.blobs.get(&sha).unwrap().is_some(), "the signed waiver text is kept");
        app.post(&url(&w, "waive-appeal"), Some(&owner), json!({})).await.problem(409, "work_permit.invalid_transition");
        app.call(multipart(&url(&w, "appeal"), &owner, &json!({}), &[("itiraz.pdf", pdf("i"))])).await.problem(409, "work_permit.invalid_transition");
    }

    async fn other_citizens_and_citizens_as_evaluators_are_refused(app) {
        app.state.clock.set(ClockSetting::Fixed(T0));
        let db = app.state.db.clone();
        let id = actix_web::web::block(move || submitted_work_permit(&db, &ykn("991000141"), T0)).await.unwrap().unwrap().application_id;
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        let other = app.citizen_token(OTHER_CITIZEN).await;
        for verb in ["submit-update", "waive-appeal", "lost-card", "lost-card/notify-payment"] {
            app.post(&url(&id, verb), Some(&other), json!({})).await.problem(404, "work_permit.not_found");
        }
        app.call(multipart(&url(&id, "missing-documents"), &other, &docs_data(), &[("r.pdf", pdf("r"))])).await.problem(404, "work_permit.not_found");
        app.call(multipart(&url(&id, "appeal"), &other, &json!({}), &[("i.pdf", pdf("i"))])).await.problem(404, "work_permit.not_found");
        for (verb, body) in [
            ("start-evaluation", json!({})),
            ("request-documents", json!({"note": "Eksik belge"})),
            ("request-update", json!({"note": "Güncelleyiniz"})),
            ("approve", json!({})),
            ("reject", json!({"reason": "Ret gerekçesi"})),
            ("review-appeal", json!({})),
        ] {
            app.post(&url(&id, verb), Some(&owner), body.clone()).await.problem(403, "work_permit.evaluator_only");
            app.post(&url(&id, verb), None, body).await.expect(401);
        }
        app.get("/api/v1/ministry/work-permits", Some(&owner)).await.problem(403, "work_permit.evaluator_only");
        // Nothing changed.
        let a = app.get(&format!("/api/v1/work-permits/{id}"), Some(&owner)).await;
        assert_eq!(a.body["evaluation"]["status"]["code"], "submitted");
        assert_eq!(a.body["ministry"]["fee_references"], json!([]));
        // Employer commands in the wrong state.
        app.post(&url(&id, "submit-update"), Some(&owner), json!({})).await.problem(409, "work_permit.invalid_transition");
        app.post(&url(&id, "lost-card"), Some(&owner), json!({})).await.problem(409, "work_permit.invalid_transition");
        app.post(&url(&id, "waive-appeal"), Some(&owner), json!({})).await.problem(409, "work_permit.invalid_transition");
    }

    async fn a_lost_card_fee_paid_and_notified_and_an_unpaid_one_expires(app) {
        app.state.clock.set(ClockSetting::Fixed(T0));
        let y = ykn("991000151");
        let db = app.state.db.clone();
        let y2 = y.clone();
        let id = actix_web::web::block(move || submitted_work_permit(&db, &y2, T0)).await.unwrap().unwrap().application_id;
        let staff = app.staff_token("bakanlik.degerlendirici").await;
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        app.post(&url(&id, "start-evaluation"), Some(&staff), json!({})).await.expect(200);
        let r = app.post(&url(&id, "approve"), Some(&staff), json!({})).await;
        for f in r.body["ministry"]["fee_references"].as_array().unwrap() {
            app.post("/api/v1/gib/payments", Some(&owner), json!({"reference_no": f["reference_no"], "ykn": y, "amount": f["amount"]})).await.expect(201);
        }
        // Not yet in force (the permit starts 10 days after T0).
        app.post(&url(&id, "lost-card"), Some(&owner), json!({})).await.problem(422, "work_permit.permit_not_in_force");

        let day = datetime!(2026-04-20 10:00 +03:00);
        app.state.clock.set(ClockSetting::Fixed(day));
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        let r = app.post(&url(&id, "lost-card"), Some(&owner), json!({})).await;
        r.expect(200);
        let card = r.body["ministry"]["lost_cards"][0].clone();
        assert_eq!(card["permit_fee_share"], "6512.78");
        assert_eq!(card["card_fee"], "1593.10");
        assert_eq!(card["amount"], "8105.88");
        assert_eq!(card["status"]["code"], "awaiting_payment");
        assert_eq!(card["pay_until"], "2026-05-20");
        let reference = card["reference_no"].as_str().unwrap().to_owned();
        app.post(&url(&id, "lost-card"), Some(&owner), json!({})).await.problem(409, "work_permit.lost_card_open");
        app.post(&url(&id, "lost-card/notify-payment"), Some(&owner), json!({})).await.problem(422, "work_permit.lost_card_not_paid");
        for wrong in ["8105.87", "8105.89", "6512.78"] {
            app.post("/api/v1/gib/payments", Some(&owner), json!({"reference_no": reference, "ykn": y, "amount": wrong})).await.problem(422, "fee.amount_mismatch");
        }
        let r = app.post("/api/v1/gib/payments", Some(&owner), json!({"reference_no": reference, "ykn": y, "amount": "8105.88"})).await;
        r.expect(201);
        assert_eq!(r.body["purpose"]["code"], "lost_card");
        let r = app.post(&url(&id, "lost-card/notify-payment"), Some(&owner), json!({})).await;
        r.expect(200);
        assert_eq!(r.body["ministry"]["lost_cards"][0]["status"]["code"], "payment_notified");
        assert!(r.body["ministry"]["lost_cards"][0]["payment_notified_at"].is_string());
        // The notified payment asks for a new card: the ministry prints and ships it.
        assert_eq!(r.body["after"]["reprint_requested"], true);
        let staff = app.staff_token("bakanlik.degerlendirici").await;
        let r = app.post(&url(&id, "card/print"), Some(&staff), json!({})).await;
        r.expect(200);
        assert_eq!(r.body["after"]["cards_printed"], 1);
        assert_eq!(r.body["after"]["reprint_requested"], false);
        assert_eq!(r.body["after"]["card"]["status"]["code"], "shipped");
        app.post(&url(&id, "card/print"), Some(&staff), json!({})).await.problem(409, "work_permit.card_already_printed");
        let h = app.get(&format!("/api/v1/work-permits/{id}/history"), Some(&owner)).await;
        assert!(h.body.as_array().unwrap().iter().any(|e| e["to_state"] == "card_reprint_requested"));

        // A second request left unpaid: day 30 kept, day 31 expired by the job.
        let r = app.post(&url(&id, "lost-card"), Some(&owner), json!({})).await;
        r.expect(200);
        let second = r.body["ministry"]["lost_cards"][1]["reference_no"].as_str().unwrap().to_owned();
        let db = app.state.db.clone();
        let keep = datetime!(2026-05-20 23:59 +03:00);
        let reports = actix_web::web::block(move || run_due_jobs(&db, keep)).await.unwrap().unwrap();
        assert_eq!(reports.iter().find(|r| r.job == EXPIRE_WORK_PERMIT_LIMITS).unwrap().affected, 0);
        let db = app.state.db.clone();
        let gone = datetime!(2026-05-21 00:00 +03:00);
        let reports = actix_web::web::block(move || run_due_jobs(&db, gone)).await.unwrap().unwrap();
        assert_eq!(reports.iter().find(|r| r.job == EXPIRE_WORK_PERMIT_LIMITS).unwrap().affected, 1);
        app.state.clock.set(ClockSetting::Fixed(gone));
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        let a = app.get(&format!("/api/v1/work-permits/{id}"), Some(&owner)).await;
        assert_eq!(a.body["ministry"]["lost_cards"][1]["status"]["code"], "expired");
        assert_eq!(a.body["evaluation"]["status"]["code"], "approved");
        app.post("/api/v1/gib/payments", Some(&owner), json!({"reference_no": second, "ykn": y, "amount": "8105.88"})).await.problem(409, "fee.reference_not_payable");
    }
}

mod queue_count {
    use super::*;
    use kapi_persistence::work_permits::WorkPermitRepo;
    use kapi_work_permit::usecases::WorkPermitStore;

    /// `n` copies of the submitted application `id` (new ids, a minute apart) straight through
    /// the store.
    fn clone_submitted(db: &kapi_persistence::Db, id: &str, n: usize) {
        db.write(|c| {
            let mut repo = WorkPermitRepo::new(c, T0);
            let a = repo
                .get(kapi_core::WorkPermitId::from_uuid(id.parse().unwrap()))?
                .unwrap();
            for i in 0..n {
                let mut x = a.clone();
                x.id = kapi_core::WorkPermitId::new();
                x.submitted_at = x
                    .submitted_at
                    .map(|s| s + time::Duration::minutes(i as i64 + 1));
                repo.insert(&x)?;
            }
            Ok(())
        })
        .unwrap();
    }

    both_backends! {
        async fn the_queue_counts_up_to_the_cap_and_still_pages_past_it(app) {
            app.state.clock.set(ClockSetting::Fixed(T0));
            let db = app.state.db.clone();
            let id = actix_web::web::block(move || submitted_work_permit(&db, &ykn("991000909"), T0)).await.unwrap().unwrap().application_id;
            let staff = app.staff_token("bakanlik.degerlendirici").await;

            // Exactly the cap: counted exactly.
            let (db, first) = (app.state.db.clone(), id.clone());
            actix_web::web::block(move || clone_submitted(&db, &first, 999)).await.unwrap();
            let q = app.get("/api/v1/ministry/work-permits?status=submitted", Some(&staff)).await;
            q.expect(200);
            assert_eq!((q.body["total"].as_u64(), q.body["total_capped"].as_bool()), (Some(1000), Some(false)), "{}", q.text);

            // One more: the count stops at the cap and says so; the oldest submission is still first.
            let (db, first) = (app.state.db.clone(), id.clone());
            actix_web::web::block(move || clone_submitted(&db, &first, 1)).await.unwrap();
            let q = app.get("/api/v1/ministry/work-permits?status=submitted", Some(&staff)).await;
            assert_eq!((q.body["total"].as_u64(), q.body["total_capped"].as_bool()), (Some(1000), Some(true)), "{}", q.text);
            assert_eq!(q.body["items"][0]["id"], id.as_str());
            // Pages past the cap still answer, the last one holding the 1001st application.
            let q = app.get("/api/v1/ministry/work-permits?status=submitted&page=11&per_page=100", Some(&staff)).await;
            q.expect(200);
            assert_eq!(q.body["items"].as_array().unwrap().len(), 1, "{}", q.text);
            // Lists that are not searched at scale keep exact totals.
            let q = app.get("/api/v1/reference/provinces", None).await;
            assert_eq!((q.body["total"].as_u64(), q.body["total_capped"].as_bool()), (Some(81), Some(false)));
        }
    }
}
