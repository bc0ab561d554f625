//! e-İzin after the permit over HTTP: on an approved permit the ministry prints the card and
//! PTT ships it (tracking before and after the simulated delivery), the employer notifies
//! the start of work with the SGK notice, answers the ministry's document request and
//! requests the termination, after which the permit no longer runs; every refusal of the
//! issue, and the history in order.

use kapi_api::clock::ClockSetting;
use kapi_core::{EmployerId, Ykn};
use kapi_persistence::work_permits::WorkPermitRepo;
use kapi_tests::work_permit_fixture::{
    force_work_permit_status, submitted_work_permit, SeededPermit, HOUSEHOLD_OWNER,
};
use kapi_tests::{both_backends, json, multipart, pdf};
use kapi_work_permit::application::EmployerRef;
use kapi_work_permit::usecases::WorkPermitStore;
use time::{Date, Duration, OffsetDateTime, Time, UtcOffset};

const OTHER_CITIZEN: &str = "12345678950";

fn ykn(nine: &str) -> String {
    kapi_core::with_tckn_checksum(nine).unwrap()
}

fn png() -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    b.extend_from_slice(b"\0\0\0\rIHDR fake image body");
    b
}

/// Noon in Istanbul on `d`.
fn noon(d: Date) -> OffsetDateTime {
    d.with_time(Time::from_hms(12, 0, 0).unwrap())
        .assume_offset(UtcOffset::from_hms(3, 0, 0).unwrap())
}

fn day(d: Date) -> String {
    d.to_string()
}

/// A submitted application for `ykn`, optionally forced to approved.
async fn seeded<S>(app: &kapi_tests::TestApp<S>, nine: &str, approved: bool) -> SeededPermit {
    let now = app.state.clock.now();
    let db = app.state.db.clone();
    let y = ykn(nine);
    let s = actix_web::web::block(move || {
        let s = submitted_work_permit(&db, &y, now)?;
        if approved {
            force_work_permit_status(&db, &s.application_id, "approved", now)?;
        }
        Ok::<_, kapi_core::DomainError>(s)
    })
    .await
    .unwrap()
    .unwrap();
    s
}

/// The ids of the employer's running permits on `today`, and whether the foreigner has a
/// current permit to extend.
async fn running<S>(
    app: &kapi_tests::TestApp<S>,
    s: &SeededPermit,
    nine: &str,
    today: Date,
) -> (Vec<String>, bool) {
    let db = app.state.db.clone();
    let employer_id: EmployerId = s.employer_id.parse().unwrap();
    let y = Ykn::parse(&ykn(nine)).unwrap();
    actix_web::web::block(move || {
        db.read(|c| {
            let mut repo = WorkPermitRepo::new(c, noon(today));
            let employer = EmployerRef::Employer { employer_id };
            let ids = repo
                .running_permits(&employer, today)?
                .into_iter()
                .map(|a| a.id.to_string())
                .collect();
            let current = repo.current_permit(&employer, &y)?.is_some();
            Ok((ids, current))
        })
    })
    .await
    .unwrap()
    .unwrap()
}

/// Authorises `users` at the seeded employer (what the panel's Yetkilendirme would do) and
/// assigns the application to `assignee`.
async fn authorise_and_assign<S>(
    app: &kapi_tests::TestApp<S>,
    s: &SeededPermit,
    users: &[&str],
    assignee: &str,
) {
    use diesel::{ExpressionMethods, RunQueryDsl};
    use kapi_persistence::schema::work_permit_employer_users as u;
    let db = app.state.db.clone();
    let employer = s.employer_id.clone();
    let id: kapi_core::WorkPermitId = s.application_id.parse().unwrap();
    let users: Vec<String> = users.iter().map(|x| (*x).to_owned()).collect();
    let assignee = kapi_core::Tckn::parse(assignee).unwrap();
    let now = app.state.clock.now();
    actix_web::web::block(move || {
        db.write(|c| {
            for t in &users {
                diesel::insert_into(u::table)
                    .values((
                        u::employer_id.eq(&employer),
                        u::tckn.eq(t),
                        u::first_name.eq("Yetkili"),
                        u::last_name.eq("Kullanıcı"),
                        u::authorised_by.eq(HOUSEHOLD_OWNER),
                        u::authorised_at.eq(kapi_persistence::convert::to_db_time(now)),
                    ))
                    .execute(c)
                    .map_err(|e| kapi_core::DomainError::internal(e.to_string()))?;
            }
            let owner = kapi_core::Actor::Citizen {
                tckn: kapi_core::Tckn::parse(HOUSEHOLD_OWNER).unwrap(),
            };
            kapi_work_permit::usecases::assign_application(
                &mut WorkPermitRepo::new(c, now),
                &owner,
                id,
                Some(assignee),
                now,
            )?;
            Ok(())
        })
    })
    .await
    .unwrap()
    .unwrap();
}

both_backends! {
    async fn after_the_permit_card_start_documents_and_termination(app) {
        let s = seeded(&app, "991000101", true).await;
        let id = s.application_id.clone();
        let base = format!("/api/v1/work-permits/{id}");
        let (start, end) = s.period;
        // Five days into the permit.
        let t0 = noon(start + Duration::days(5));
        app.state.clock.set(ClockSetting::Fixed(t0));
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        let other = app.citizen_token(OTHER_CITIZEN).await;
        let staff = app.staff_token("bakanlik.degerlendirici").await;

        // --- The card: no card yet; the ministry prints it, PTT takes it.
        let r = app.get(&format!("{base}/card"), Some(&owner)).await;
        r.expect(200);
        assert_eq!(r.body["card"], json!(null));
        assert_eq!(r.body["ptt"], json!(null));
        app.post(&format!("{base}/card/print"), Some(&owner), json!({})).await.problem(403, "work_permit.evaluator_only");
        let r = app.post(&format!("{base}/card/print"), Some(&staff), json!({})).await;
        r.expect(200);
        assert!(r.header("etag").is_some());
        let card = &r.body["after"]["card"];
        assert_eq!(card["status"]["code"], "shipped");
        assert_eq!(r.body["after"]["cards_printed"], 1);
        let tracking_no = card["tracking_no"].as_str().unwrap().to_owned();
        assert!(tracking_no.len() == 15 && tracking_no.starts_with("KP") && tracking_no.ends_with("TR"), "{tracking_no}");
        assert!(tracking_no[2..13].bytes().all(|b| b.is_ascii_digit()));
        let events: Vec<&str> = card["events"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
        assert_eq!(events, ["printed", "shipped"]);
        app.post(&format!("{base}/card/print"), Some(&staff), json!({})).await.problem(409, "work_permit.card_already_printed");
        app.get(&format!("{base}/card"), Some(&other)).await.problem(404, "work_permit.not_found");

        // One second before PTT's delivery time: still on the way.
        app.state.clock.set(ClockSetting::Fixed(t0 + Duration::hours(48) - Duration::seconds(1)));
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        let r = app.get(&format!("{base}/card"), Some(&owner)).await;
        r.expect(200);
        assert_eq!(r.body["card"]["status"]["code"], "shipped");
        assert_eq!(r.body["ptt"]["tracking_no"], tracking_no.as_str());
        let ptt: Vec<&str> = r.body["ptt"]["events"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
        assert_eq!(ptt, ["accepted", "in_transit"]);
        assert_eq!(r.body["ptt"]["delivered_at"], json!(null));

        // At the delivery time: delivered, recorded once however often it is read.
        let t1 = t0 + Duration::hours(48);
        app.state.clock.set(ClockSetting::Fixed(t1));
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        let staff = app.staff_token("bakanlik.degerlendirici").await;
        let other = app.citizen_token(OTHER_CITIZEN).await;
        let r = app.get(&format!("{base}/card"), Some(&staff)).await;
        r.expect(200);
        assert_eq!(r.body["card"]["status"]["code"], "delivered");
        assert_eq!(r.body["card"]["status"]["label"], "Teslim Edildi");
        assert_eq!(r.body["ptt"]["events"].as_array().unwrap().len(), 3);
        let delivered_at = OffsetDateTime::parse(r.body["card"]["delivered_at"].as_str().unwrap(), &time::format_description::well_known::Rfc3339).unwrap();
        assert_eq!(delivered_at, t1);
        app.get(&format!("{base}/card"), Some(&owner)).await.expect(200);
        let r = app.get(&base, Some(&owner)).await;
        r.expect(200);
        assert_eq!(r.body["after"]["card"]["status"]["code"], "delivered");
        assert_eq!(r.body["evaluation"]["status"]["code"], "approved");

        // --- Start of work: the SGK notice as a PDF, for a day that has come, once.
        let today = start + Duration::days(7);
        let start_uri = format!("{base}/start-of-work");
        app.call(multipart(&start_uri, &owner, &json!({"started_on": day(today + Duration::days(1))}), &[("sgk.pdf", pdf("sgk"))])).await
            .problem(422, "work_permit.start_in_future");
        let r = app.call(multipart(&start_uri, &owner, &json!({"started_on": day(start + Duration::days(1))}), &[("sgk-bildirge.png", png())])).await;
        r.problem(422, "work_permit.document_format");
        assert_eq!(r.field(), "files[0]");
        assert!(r.text.contains("sgk-bildirge.png"), "{}", r.text);
        app.call(multipart(&start_uri, &owner, &json!({"started_on": day(start + Duration::days(1))}), &[])).await
            .problem(422, "work_permit.one_document");
        app.call(multipart(&start_uri, &owner, &json!({"started_on": day(start - Duration::days(1))}), &[("sgk.pdf", pdf("sgk"))])).await
            .problem(422, "work_permit.start_outside_permit");
        app.call(multipart(&start_uri, &other, &json!({"started_on": day(start + Duration::days(1))}), &[("sgk.pdf", pdf("sgk"))])).await
            .problem(404, "work_permit.not_found");
        app.call(multipart(&start_uri, &staff, &json!({"started_on": day(start + Duration::days(1))}), &[("sgk.pdf", pdf("sgk"))])).await
            .problem(403, "work_permit.employer_only");
        let r = app.call(multipart(&start_uri, &owner, &json!({"started_on": day(start + Duration::days(1))}), &[("sgk.pdf", pdf("sgk"))])).await;
        r.expect(200);
        let sow = &r.body["after"]["start_of_work"];
        assert_eq!(sow["started_on"], day(start + Duration::days(1)));
        assert_eq!(sow["document"]["file_name"], "sgk.pdf");
        assert_eq!(sow["document"]["sha256"].as_str().unwrap().len(), 64);
        app.call(multipart(&start_uri, &owner, &json!({"started_on": day(start + Duration::days(2))}), &[("sgk.pdf", pdf("sgk2"))])).await
            .problem(409, "work_permit.start_already_notified");

        // --- A document the ministry asks for, uploaded once.
        let req_uri = format!("{base}/document-requests");
        app.post(&req_uri, Some(&owner), json!({"note": "Kira sözleşmesi"})).await.problem(403, "work_permit.evaluator_only");
        app.post(&req_uri, Some(&staff), json!({"note": "x"})).await.expect(422);
        let r = app.post(&req_uri, Some(&staff), json!({"note": "Güncel kira sözleşmesini yükleyiniz."})).await;
        r.expect(201);
        assert_eq!(r.header("location").unwrap(), format!("{base}/document-requests/1"));
        assert_eq!(r.body["after"]["document_requests"][0]["status"], "open");
        assert_eq!(r.body["after"]["document_requests"][0]["no"], 1);
        // The employer sees the open request.
        let r = app.get(&base, Some(&owner)).await;
        assert_eq!(r.body["after"]["document_requests"][0]["note"], "Güncel kira sözleşmesini yükleyiniz.");
        let up = format!("{base}/document-requests/1/upload");
        app.call(multipart(&up, &other, &json!({}), &[("kira.pdf", pdf("kira"))])).await.problem(404, "work_permit.not_found");
        app.call(multipart(&up, &staff, &json!({}), &[("kira.pdf", pdf("kira"))])).await.problem(403, "work_permit.employer_only");
        app.call(multipart(&format!("{base}/document-requests/2/upload"), &owner, &json!({}), &[("kira.pdf", pdf("kira"))])).await
            .problem(404, "work_permit.document_request_not_found");
        app.call(multipart(&up, &owner, &json!({}), &[("kira.png", png())])).await.problem(422, "work_permit.document_format");
        let r = app.call(multipart(&up, &owner, &json!({"note": "İstenen belge ektedir."}), &[("kira.pdf", pdf("kira"))])).await;
        r.expect(200);
        let dr = &r.body["after"]["document_requests"][0];
        assert_eq!(dr["status"], "answered");
        assert_eq!(dr["answer"]["document"]["file_name"], "kira.pdf");
        assert_eq!(dr["answer"]["note"], "İstenen belge ektedir.");
        app.call(multipart(&up, &owner, &json!({}), &[("kira.pdf", pdf("kira2"))])).await.problem(409, "work_permit.document_request_answered");

        // --- Termination: not with a future date, within 15 days of the event, once.
        let today = (t1).to_offset(UtcOffset::from_hms(3, 0, 0).unwrap()).date();
        let (ids, current) = running(&app, &s, "991000101", today).await;
        assert_eq!(ids, std::slice::from_ref(&id));
        assert!(current);
        let term = format!("{base}/termination");
        let r = app.post(&term, Some(&owner), json!({"termination_date": day(today + Duration::days(1)), "reason": "resignation"})).await;
        r.problem(422, "work_permit.termination_in_future");
        assert_eq!(r.field(), "termination_date");
        // Sixteen days before today is past the fifteen days (still inside the permit).
        let mut t16 = today - Duration::days(16);
        if t16 < start {
            // The permit began less than 16 days ago: move the clock on.
            let later = start + Duration::days(20);
            app.state.clock.set(ClockSetting::Fixed(noon(later)));
            t16 = later - Duration::days(16);
        }
        let now_day = t16 + Duration::days(16);
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        let other = app.citizen_token(OTHER_CITIZEN).await;
        let staff = app.staff_token("bakanlik.degerlendirici").await;
        let r = app.post(&term, Some(&owner), json!({"termination_date": day(t16), "reason": "resignation"})).await;
        r.problem(422, "work_permit.termination_late");
        assert_eq!(r.field(), "termination_date");
        app.post(&term, Some(&owner), json!({"termination_date": day(now_day - Duration::days(2)), "reason": "bored"})).await
            .problem(422, "work_permit.unknown_code");
        app.post(&term, Some(&owner), json!({"termination_date": day(now_day - Duration::days(2)), "reason": "other"})).await
            .problem(422, "work_permit.explanation_required");
        let r = app.post(&term, Some(&owner), json!({"termination_date": "10.06.2026", "reason": "resignation"})).await;
        r.problem(422, "validation.failed");
        assert_eq!((r.field(), r.body["errors"][0]["code"].as_str()), ("termination_date", Some("date.format")));
        app.post(&term, Some(&other), json!({"termination_date": day(now_day - Duration::days(2)), "reason": "resignation"})).await
            .problem(404, "work_permit.not_found");
        app.post(&term, Some(&staff), json!({"termination_date": day(now_day - Duration::days(2)), "reason": "resignation"})).await
            .problem(403, "work_permit.employer_only");
        let r = app.post(&term, Some(&owner), json!({"termination_date": day(now_day - Duration::days(15)), "reason": "resignation"})).await;
        r.expect(200);
        let t = &r.body["after"]["termination"];
        assert_eq!(t["termination_date"], day(now_day - Duration::days(15)));
        assert_eq!(t["reason"]["code"], "resignation");
        assert_eq!(t["reason"]["label"], "İstifa");
        assert_eq!(r.body["evaluation"]["status"]["code"], "approved");
        app.post(&term, Some(&owner), json!({"termination_date": day(now_day - Duration::days(1)), "reason": "death"})).await
            .problem(409, "work_permit.permit_terminated");
        let (ids, current) = running(&app, &s, "991000101", now_day).await;
        assert!(ids.is_empty(), "{ids:?}");
        assert!(!current, "a terminated permit is not extended");
        assert!(end > now_day);
        // No new card for a terminated permit.
        app.post(&format!("{base}/card/print"), Some(&staff), json!({})).await.problem(409, "work_permit.permit_terminated");

        // --- The history, in order, both ways.
        let h = app.get(&format!("{base}/history"), Some(&owner)).await;
        h.expect(200);
        let steps: Vec<&str> = h.body.as_array().unwrap().iter().map(|e| e["to_state"].as_str().unwrap()).collect();
        assert_eq!(steps, [
            "draft", "submitted", "card_printed", "card_shipped", "card_delivered",
            "start_of_work_notified", "document_requested", "document_uploaded", "termination_requested",
        ]);
        let entries = h.body.as_array().unwrap();
        assert!(entries[2]["actor"].as_str().unwrap().starts_with("ministry_staff"), "{}", entries[2]);
        assert_eq!(entries[4]["actor"], "system:ptt");
        assert!(entries[5]["actor"].as_str().unwrap().starts_with("citizen"), "{}", entries[5]);
        assert_eq!(entries[2]["from_state"], "approved");
        assert!(entries[3]["note"].as_str().unwrap().contains(&tracking_no));
        assert!(entries[8]["note"].as_str().unwrap().contains("İstifa"));
        app.get(&format!("{base}/history"), Some(&staff)).await.expect(200);
    }

    async fn post_permit_commands_need_an_approved_permit(app) {
        let s = seeded(&app, "991000102", false).await;
        let base = format!("/api/v1/work-permits/{}", s.application_id);
        let (start, _) = s.period;
        app.state.clock.set(ClockSetting::Fixed(noon(start + Duration::days(5))));
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        let staff = app.staff_token("bakanlik.degerlendirici").await;
        app.post(&format!("{base}/card/print"), Some(&staff), json!({})).await.problem(409, "work_permit.not_approved");
        app.post(&format!("{base}/document-requests"), Some(&staff), json!({"note": "Dilekçe yükleyiniz."})).await.problem(409, "work_permit.not_approved");
        app.post(&format!("{base}/termination"), Some(&owner), json!({"termination_date": day(start + Duration::days(1)), "reason": "resignation"})).await
            .problem(409, "work_permit.not_approved");
        app.call(multipart(&format!("{base}/start-of-work"), &owner, &json!({"started_on": day(start + Duration::days(1))}), &[("sgk.pdf", pdf("sgk"))])).await
            .problem(409, "work_permit.not_approved");
        let r = app.get(&format!("{base}/card"), Some(&owner)).await;
        r.expect(200);
        assert_eq!(r.body["card"], json!(null));
        let r = app.get(&base, Some(&owner)).await;
        assert_eq!(r.body["after"], json!({
            "card": null, "cards_printed": 0, "reprint_requested": false,
            "start_of_work": null, "document_requests": [], "termination": null
        }));
        // Unknown ids and nobody.
        let nobody = format!("/api/v1/work-permits/{}", uuid::Uuid::now_v7());
        app.post(&format!("{nobody}/card/print"), Some(&staff), json!({})).await.problem(404, "work_permit.not_found");
        app.post(&format!("{nobody}/termination"), Some(&owner), json!({"termination_date": day(start), "reason": "resignation"})).await
            .problem(404, "work_permit.not_found");
        app.get(&format!("{base}/card"), None).await.problem(401, "auth.missing_token");
    }

    async fn an_assigned_permit_is_left_to_its_assignee_and_the_owner(app) {
        const AYSE: &str = "10000000146";
        const MEHMET: &str = "12345678950";
        let s = seeded(&app, "991000103", true).await;
        let base = format!("/api/v1/work-permits/{}", s.application_id);
        let (start, _) = s.period;
        app.state.clock.set(ClockSetting::Fixed(noon(start + Duration::days(5))));
        authorise_and_assign(&app, &s, &[AYSE, MEHMET], AYSE).await;
        let ayse = app.citizen_token(AYSE).await;
        let mehmet = app.citizen_token(MEHMET).await;
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        let staff = app.staff_token("bakanlik.degerlendirici").await;
        let r = app.post(&format!("{base}/document-requests"), Some(&staff), json!({"note": "Dilekçe yükleyiniz."})).await;
        r.expect(201);
        // Another authorised user reads, but does not act.
        app.get(&format!("{base}/card"), Some(&mehmet)).await.expect(200);
        let sow = json!({"started_on": day(start + Duration::days(1))});
        app.call(multipart(&format!("{base}/start-of-work"), &mehmet, &sow, &[("sgk.pdf", pdf("sgk"))])).await
            .problem(403, "work_permit.not_assigned");
        app.call(multipart(&format!("{base}/document-requests/1/upload"), &mehmet, &json!({}), &[("d.pdf", pdf("d"))])).await
            .problem(403, "work_permit.not_assigned");
        app.post(&format!("{base}/termination"), Some(&mehmet), json!({"termination_date": day(start + Duration::days(2)), "reason": "resignation"})).await
            .problem(403, "work_permit.not_assigned");
        // The assignee and the owner act.
        app.call(multipart(&format!("{base}/start-of-work"), &ayse, &sow, &[("sgk.pdf", pdf("sgk"))])).await.expect(200);
        app.call(multipart(&format!("{base}/document-requests/1/upload"), &owner, &json!({}), &[("d.pdf", pdf("d"))])).await.expect(200);
        app.post(&format!("{base}/termination"), Some(&ayse), json!({"termination_date": day(start + Duration::days(2)), "reason": "resignation"})).await
            .expect(200);
    }
}
