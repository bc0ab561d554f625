//! e-İzin applications over HTTP: the detail and history for the employer's users and the
//! ministry's staff, out of reach for everyone else.

use kapi_tests::work_permit_fixture::{submitted_work_permit, HOUSEHOLD_OWNER};
use kapi_tests::{both_backends, json};

fn ykn(nine: &str) -> String {
    kapi_core::with_tckn_checksum(nine).unwrap()
}

both_backends! {
    async fn the_employer_and_the_ministry_read_a_submitted_application(app) {
        let now = app.state.clock.now();
        let db = app.state.db.clone();
        let seeded = actix_web::web::block(move || submitted_work_permit(&db, &ykn("991000001"), now))
            .await
            .unwrap()
            .unwrap();
        let id = seeded.application_id.clone();
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        let r = app.get(&format!("/api/v1/work-permits/{id}"), Some(&owner)).await;
        r.expect(200);
        assert_eq!(r.body["evaluation"]["status"]["code"], "submitted");
        assert_eq!(r.body["evaluation"]["employer_list"]["code"], "in_evaluation");
        assert_eq!(r.body["employer_id"], seeded.employer_id.as_str());
        assert_eq!(r.body["kind"]["employer_kind"]["code"], "household");
        assert_eq!(r.body["foreigner"]["by"], "ykn");
        assert_eq!(r.body["period"]["start"], seeded.period.0.to_string());
        assert_eq!(r.body["wizard"]["next_step"], json!(null));
        assert!(r.header("etag").is_some());
        let h = app.get(&format!("/api/v1/work-permits/{id}/history"), Some(&owner)).await;
        h.expect(200);
        let to: Vec<&str> = h.body.as_array().unwrap().iter().map(|e| e["to_state"].as_str().unwrap()).collect();
        assert_eq!(to, ["draft", "submitted"]);

        let staff = app.staff_token("bakanlik.degerlendirici").await;
        app.get(&format!("/api/v1/work-permits/{id}"), Some(&staff)).await.expect(200);
        app.get(&format!("/api/v1/work-permits/{id}/history"), Some(&staff)).await.expect(200);

        // Another citizen, another kind of staff, nobody.
        let other = app.citizen_token("12345678950").await;
        app.get(&format!("/api/v1/work-permits/{id}"), Some(&other)).await.problem(404, "work_permit.not_found");
        app.get(&format!("/api/v1/work-permits/{id}/history"), Some(&other)).await.problem(404, "work_permit.not_found");
        let hr = app.staff_token("kurum.ik").await;
        app.get(&format!("/api/v1/work-permits/{id}"), Some(&hr)).await.problem(403, "work_permit.employer_only");
        app.get(&format!("/api/v1/work-permits/{id}"), None).await.problem(401, "auth.missing_token");
        app.get("/api/v1/work-permits/not-an-id", Some(&owner)).await.problem(404, "work_permit.not_found");
    }
}
