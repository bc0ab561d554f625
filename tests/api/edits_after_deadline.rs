//! Edits after the application window (issue 19): a published posting stays editable after
//! its window has closed — its stages rescheduled, an exam place changed, even the same body
//! sent again — and "must not have ended" is checked only when the end date changes; a
//! stage whose results are approved is then refused with `stage.results_approved`. Labour
//! demands follow the same rule for their last application date (decision in
//! docs/decisions.md).

use actix_web::http::Method;
use kapi_core::{DomainError, PostingId};
use kapi_persistence::postings::PostingRepo;
use kapi_postings::usecases::PostingStore;
use kapi_tests::{both_backends, json};
use serde_json::Value;

const AYSE: &str = "10000000146";

fn posting() -> Value {
    let mut b = crate::postings::body();
    b["starts_on"] = json!("2027-03-01");
    b["ends_on"] = json!("2027-03-15");
    b
}

fn demand(workplace: &str, last: &str) -> Value {
    json!({
        "workplace_id": workplace,
        "occupation_code": "8344.01",
        "worker_count": 2,
        "last_application_date": last,
        "requirements": {"min_education": "high_school"},
        "details": {
            "position": "Forklift Operatörü",
            "field": "Lojistik ve Depolama",
            "description": "Depoda vardiyalı çalışacak operatör",
            "work_type": "full_time", "shift": "shifts", "weekly_hours": 45,
            "benefits": ["meal"], "wage_kurus": 3500000,
            "interview_address": "Genel Müdürlük, Çankaya"
        }
    })
}

both_backends! {
    async fn a_published_posting_is_edited_after_its_window_while_its_end_date_stays(app) {
        app.set_clock("2027-03-01T09:00:00+03:00").await;
        let kurum = app.staff_token("kurum.ik").await;
        let r = app.post("/api/v1/postings", Some(&kurum), posting()).await;
        r.expect(201);
        let id = r.body["id"].as_str().unwrap().to_owned();
        let url = format!("/api/v1/postings/{id}");
        app.send(Method::POST, &format!("{url}/publish"), Some(&kurum), None).await.expect(200);

        // The last minute of the window (15 March, Istanbul): the same body is accepted.
        app.set_clock("2027-03-15T23:59:00+03:00").await;
        let kurum = app.staff_token("kurum.ik").await;
        app.put(&url, Some(&kurum), posting()).await.expect(200);

        // 00:00 Istanbul on the 16th: the window has closed. The same body, a new exam place
        // and a rescheduled interview are still accepted.
        app.set_clock("2027-03-16T00:00:00+03:00").await;
        let kurum = app.staff_token("kurum.ik").await;
        let r = app.get(&url, Some(&kurum)).await;
        assert_eq!(r.body["window"], "closed", "{}", r.text);
        app.put(&url, Some(&kurum), posting()).await.expect(200);
        let mut moved = posting();
        moved["stages"][0]["place"] = json!("Gazi Üniversitesi Merkez Kampüsü");
        moved["stages"][1]["starts_at"] = json!("2027-03-29T14:00:00+03:00");
        let r = app.put(&url, Some(&kurum), moved.clone()).await;
        r.expect(200);
        assert_eq!(r.body["stages"][0]["place"], "Gazi Üniversitesi Merkez Kampüsü");
        assert!(r.body["stages"][1]["starts_at"].as_str().unwrap().starts_with("2027-03-29"), "{}", r.text);

        // A new end date is checked against today: one already passed is refused.
        let mut later_but_past = moved.clone();
        later_but_past["ends_on"] = json!("2027-03-15");
        app.put(&url, Some(&kurum), later_but_past.clone()).await.expect(200);
        app.set_clock("2027-03-18T10:00:00+03:00").await;
        let kurum = app.staff_token("kurum.ik").await;
        later_but_past["ends_on"] = json!("2027-03-17");
        let r = app.put(&url, Some(&kurum), later_but_past).await;
        r.problem(422, "validation.failed");
        assert_eq!((r.field(), r.body["errors"][0]["code"].as_str()), ("ends_on", Some("posting.window_ended")), "{}", r.text);

        // Once the written exam's results are approved, that stage no longer moves — the
        // documented refusal, now reachable.
        let db = app.state.db.clone();
        let pid: PostingId = id.parse().unwrap();
        let now = app.state.clock.now();
        actix_web::web::block(move || {
            db.write(|c| {
                let mut repo = PostingRepo::new(c, now);
                let mut p = repo.get(pid)?.ok_or_else(|| DomainError::internal("posting"))?;
                p.stages[0].results_approved_at = Some(now);
                let before = p.version;
                p.version += 1;
                if !repo.update(&p, before)? {
                    return Err(DomainError::internal("stale"));
                }
                Ok(())
            })
        })
        .await
        .unwrap()
        .unwrap();
        let mut again = moved.clone();
        again["stages"][0]["place"] = json!("Hacettepe Üniversitesi Beytepe Kampüsü");
        let r = app.put(&url, Some(&kurum), again).await;
        r.problem(422, "validation.failed");
        assert_eq!((r.field(), r.body["errors"][0]["code"].as_str()), ("stages[0]", Some("stage.results_approved")), "{}", r.text);
        // The interview, not yet evaluated, still moves.
        let mut interview = moved;
        interview["stages"][1]["starts_at"] = json!("2027-03-30T14:00:00+03:00");
        app.put(&url, Some(&kurum), interview).await.expect(200);
        app.send(Method::DELETE, "/api/v1/dev/clock", None, None).await.expect(200);
    }

    async fn a_labour_demand_is_edited_after_its_last_date_while_that_date_stays(app) {
        app.set_clock("2026-03-10T09:00:00+03:00").await;
        let a = app.register_employer(AYSE, "123456789", 1).await;
        let head = a["head_office"]["id"].as_str().unwrap().to_owned();
        let token = app.employer_token(AYSE, None).await;
        let d = app.post("/api/v1/labour-demands", Some(&token), demand(&head, "2026-03-31")).await;
        d.expect(201);
        let url = format!("/api/v1/labour-demands/{}", d.body["id"].as_str().unwrap());

        // The last day (Istanbul): edited.
        app.set_clock("2026-03-31T23:59:00+03:00").await;
        let token = app.employer_token(AYSE, None).await;
        app.put(&url, Some(&token), demand(&head, "2026-03-31")).await.expect(200);

        // The day after: the same date kept, other sections changed — accepted.
        app.set_clock("2026-04-01T00:00:00+03:00").await;
        let token = app.employer_token(AYSE, None).await;
        let mut changed = demand(&head, "2026-03-31");
        changed["details"]["interview_address"] = json!("Şube Müdürlüğü, Yenimahalle");
        let r = app.put(&url, Some(&token), changed.clone()).await;
        r.expect(200);
        assert_eq!(r.body["last_application_date"], "2026-03-31", "{}", r.text);
        // Applications stay closed: keeping the date reopens nothing.
        let talep = r.body["talep_no"].as_i64().unwrap();
        app.get(&format!("/api/v1/open-jobs/{talep}"), None).await.problem(404, "open_job.not_found");
        // A new last date is checked: one in the past is refused, naming it.
        changed["last_application_date"] = json!("2026-03-30");
        let r = app.put(&url, Some(&token), changed.clone()).await;
        r.problem(422, "validation.failed");
        assert_eq!((r.field(), r.body["errors"][0]["code"].as_str()), ("last_application_date", Some("labour_demand.last_date_past")), "{}", r.text);
        app.send(Method::DELETE, "/api/v1/dev/clock", None, None).await.expect(200);
    }
}
