//! Answers the Postman collection asserts that no other black-box test reached, so that the
//! conformance check (every exchange against the spec) covers them too:
//! `scripts/contract-coverage.py --postman` lists what is still missing.

use actix_web::http::Method;
use actix_web::test::TestRequest;
use kapi_tests::work_permit_fixture::submitted_work_permit;
use kapi_tests::{both_backends, json};

both_backends! {
    async fn malformed_json_clock_and_an_unknown_posting(app) {
        // A login body that is not JSON at all: 400, not 422.
        let r = app
            .call(
                TestRequest::post()
                    .uri("/api/v1/auth/staff/login")
                    .insert_header(("Content-Type", "application/json"))
                    .set_payload("{\"username\": \"admin\""),
            )
            .await;
        r.problem(400, "request.malformed_json");
        // The dev clock as QA collections read it.
        let c = app.get("/api/v1/dev/clock", None).await;
        c.expect(200);
        assert!(c.body["now"].is_string(), "{}", c.text);
        // Invitations to a stage of a posting that does not exist.
        let kurum = app.staff_token("kurum.ik").await;
        let missing = uuid::Uuid::now_v7();
        app.post(&format!("/api/v1/postings/{missing}/stages/1/invitations"), Some(&kurum), json!({"application_ids": []}))
            .await
            .expect(404);
    }

    async fn an_integrator_reads_its_webhook(app) {
        let admin = app.staff_token("admin").await;
        let i = app.post("/api/v1/integrators", Some(&admin), json!({"name": "İş Arama Portalı"})).await;
        i.expect(201);
        let key = i.body["api_key"].as_str().unwrap().to_owned();
        let with_key = |method: Method, path: String| {
            TestRequest::default().method(method).uri(&path).insert_header(("X-Api-Key", key.clone()))
        };
        let r = app
            .call(with_key(Method::POST, "/api/v1/webhooks".into()).set_json(json!({
                "url": "https://hooks.example.com/kapi", "events": ["labour_demand.created"]
            })))
            .await;
        r.expect(201);
        let id = r.body["id"].as_str().unwrap().to_owned();
        let secret = r.body["secret"].as_str().unwrap().to_owned();
        let one = app.call(with_key(Method::GET, format!("/api/v1/webhooks/{id}"))).await;
        one.expect(200);
        assert_eq!(one.body["id"], id.as_str());
        assert_eq!(one.body["url"], "https://hooks.example.com/kapi");
        assert!(!one.text.contains(&secret), "the secret is shown once");
    }

    async fn a_rejection_needs_a_reason(app) {
        let db = app.state.db.clone();
        let now = app.state.clock.now();
        let permit = actix_web::web::block(move || {
            submitted_work_permit(&db, &kapi_core::with_tckn_checksum("991000462").unwrap(), now)
        })
        .await
        .unwrap()
        .unwrap();
        let staff = app.staff_token("bakanlik.degerlendirici").await;
        let base = format!("/api/v1/work-permits/{}", permit.application_id);
        app.post(&format!("{base}/start-evaluation"), Some(&staff), json!({})).await.expect(200);
        let r = app.post(&format!("{base}/reject"), Some(&staff), json!({"reason": ""})).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.field(), "reason");
        let ok = app.post(&format!("{base}/reject"), Some(&staff), json!({"reason": "Gelir belgesi yetersiz"})).await;
        ok.expect(200);
        assert_eq!(ok.body["evaluation"]["status"]["code"], "rejected");
    }
}
