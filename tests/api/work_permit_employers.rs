//! e-İzin employer registration: the profile, contacts verified by code first, a household
//! and a company workplace registered, a workplace the person is not SGK-authorised for,
//! a duplicate, and another person's registrations out of reach.

use kapi_tests::{both_backends, json, otp_code};

/// Sends a contact-verification code to `$dest` over `$channel` and verifies it.
macro_rules! verify_contact {
    ($app:expr, $token:expr, $channel:expr, $dest:expr, $recipient:expr) => {{
        let r = $app
            .post(
                "/api/v1/auth/otp",
                Some($token),
                json!({"channel": $channel, "destination": $dest, "purpose": "contact_verification"}),
            )
            .await;
        r.expect(201);
        let id = r.body["id"].as_str().unwrap().to_owned();
        let code = otp_code(
            &$app
                .get(&format!("/api/v1/dev/outbox?recipient={}", $recipient), None)
                .await,
        );
        $app.post(&format!("/api/v1/auth/otp/{id}/verify"), Some($token), json!({"code": code}))
            .await
            .expect(200);
    }};
}

/// Mehmet Demir: e-Bildirge authorised for the two Anadolu Yazılım workplaces (demo data).
const MEHMET: &str = "12345678950";
const ANADOLU: &str = "2512001010000010060000";
/// Boğaziçi Tekstil: İbrahim Öztürk's, not Mehmet's.
const BOGAZICI: &str = "4711001010000030340000";

both_backends! {
    async fn a_citizen_registers_after_verifying_email_and_mobile(app) {
        let token = app.citizen_token(MEHMET).await;
        let p = app.get("/api/v1/work-permit-employers/profile", Some(&token)).await;
        p.expect(200);
        assert_eq!(p.body["identity"]["tckn"], MEHMET);
        assert_eq!(p.body["identity"]["first_name"], "Mehmet");
        assert_eq!(p.body["identity"]["birth_date"].as_str().unwrap().len(), 10);
        assert_eq!(p.body["verified_contacts"]["complete"], false);
        let sgk: Vec<&str> = p.body["sgk_workplaces"].as_array().unwrap().iter().map(|w| w["sgk_no"].as_str().unwrap()).collect();
        assert_eq!(sgk, [ANADOLU, "2512001010000020060000"]);

        let household = json!({"kind": "household", "care_kind": "elderly_care", "email": "mehmet@ornek.com.tr", "mobile": "0532 100 00 02"});
        // Nothing verified yet: the e-mail is named first.
        let r = app.post("/api/v1/work-permit-employers", Some(&token), household.clone()).await;
        r.problem(422, "work_permit.contact_not_verified");
        assert_eq!(r.field(), "email");
        verify_contact!(app, &token, "email", "mehmet@ornek.com.tr", "mehmet@ornek.com.tr");
        let r = app.post("/api/v1/work-permit-employers", Some(&token), household.clone()).await;
        r.problem(422, "work_permit.contact_not_verified");
        assert_eq!(r.field(), "mobile");
        verify_contact!(app, &token, "sms", "05321000002", "5321000002");
        let p = app.get("/api/v1/work-permit-employers/profile", Some(&token)).await;
        assert_eq!(p.body["verified_contacts"]["complete"], true);
        assert_eq!(p.body["verified_contacts"]["mobiles"][0], "5321000002");

        // A household.
        let r = app.post("/api/v1/work-permit-employers", Some(&token), household.clone()).await;
        r.expect(201);
        let h_id = r.body["id"].as_str().unwrap().to_owned();
        assert_eq!(r.header("location").unwrap(), format!("/api/v1/work-permit-employers/{h_id}"));
        assert_eq!(r.body["kind"], "household");
        assert_eq!(r.body["care_kind"], "elderly_care");
        assert_eq!(r.body["title"], "Mehmet Demir");
        assert_eq!(r.body["owner"]["tckn"], MEHMET);
        assert_eq!(r.body["mobile"], "5321000002");
        // A company workplace he is authorised for: its SGK title.
        let company = json!({"kind": "company", "sgk_no": ANADOLU, "email": "mehmet@ornek.com.tr", "mobile": "5321000002"});
        let r = app.post("/api/v1/work-permit-employers", Some(&token), company.clone()).await;
        r.expect(201);
        let c_id = r.body["id"].as_str().unwrap().to_owned();
        assert_eq!(r.body["title"], "Anadolu Yazılım Teknolojileri A.Ş.");
        assert_eq!(r.body["sgk_no"], ANADOLU);
        // A workplace he is not authorised for.
        let r = app.post("/api/v1/work-permit-employers", Some(&token), json!({"kind": "company", "sgk_no": BOGAZICI, "email": "mehmet@ornek.com.tr", "mobile": "5321000002"})).await;
        r.problem(422, "work_permit.workplace_not_authorised");
        assert_eq!(r.field(), "sgk_no");
        // Duplicates.
        app.post("/api/v1/work-permit-employers", Some(&token), company).await.problem(409, "work_permit.employer_exists");
        app.post("/api/v1/work-permit-employers", Some(&token), json!({"kind": "household", "care_kind": "child_care", "email": "mehmet@ornek.com.tr", "mobile": "5321000002"})).await.problem(409, "work_permit.employer_exists");
        // Invalid fields are named.
        let r = app.post("/api/v1/work-permit-employers", Some(&token), json!({"kind": "university", "university_name": "AB", "email": "mehmet@ornek.com.tr", "mobile": "5321000002"})).await;
        r.problem(422, "text.length");
        assert_eq!(r.field(), "university_name");
        let r = app.post("/api/v1/work-permit-employers", Some(&token), json!({"kind": "company", "email": "mehmet@ornek.com.tr", "mobile": "5321000002"})).await;
        r.problem(422, "work_permit.required");
        assert_eq!(r.field(), "sgk_no");

        let list = app.get("/api/v1/work-permit-employers", Some(&token)).await;
        list.expect(200);
        let ids: Vec<&str> = list.body.as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
        assert_eq!(ids, [h_id.as_str(), c_id.as_str()]);
        let one = app.get(&format!("/api/v1/work-permit-employers/{c_id}"), Some(&token)).await;
        one.expect(200);
        assert_eq!(one.body["kind"], "company");
        assert!(one.header("etag").is_some());

        // Another citizen sees none of it.
        let other = app.citizen_token("10000000146").await;
        app.get(&format!("/api/v1/work-permit-employers/{c_id}"), Some(&other)).await.problem(404, "work_permit.employer_not_found");
        let list = app.get("/api/v1/work-permit-employers", Some(&other)).await;
        list.expect(200);
        assert_eq!(list.body.as_array().unwrap().len(), 0);
        let p = app.get("/api/v1/work-permit-employers/profile", Some(&other)).await;
        assert_eq!(p.body["sgk_workplaces"].as_array().unwrap().len(), 0);
        app.get("/api/v1/work-permit-employers/not-a-uuid", Some(&other)).await.problem(404, "work_permit.employer_not_found");
    }

    async fn only_citizens_register(app) {
        let staff = app.staff_token("admin").await;
        app.get("/api/v1/work-permit-employers", Some(&staff)).await.problem(403, "work_permit.citizen_only");
        app.get("/api/v1/work-permit-employers", None).await.problem(401, "auth.missing_token");
        app.post("/api/v1/work-permit-employers", None, json!({})).await.problem(401, "auth.missing_token");
    }
}
