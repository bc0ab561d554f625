//! e-İzin employer registration: the profile, contacts verified by code first, a household
//! and a company workplace registered, a workplace the person is not SGK-authorised for,
//! a duplicate, and another person's registrations out of reach.

use kapi_tests::{both_backends, json, multipart, otp_code, pdf};

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

    async fn a_company_uploads_its_documents_before_it_applies(app) {
        let token = app.citizen_token(MEHMET).await;
        verify_contact!(app, &token, "email", "mehmet@ornek.com.tr", "mehmet@ornek.com.tr");
        verify_contact!(app, &token, "sms", "05321000002", "5321000002");
        let r = app.post("/api/v1/work-permit-employers", Some(&token), json!({"kind": "company", "sgk_no": ANADOLU, "email": "mehmet@ornek.com.tr", "mobile": "5321000002"})).await;
        r.expect(201);
        let id = r.body["id"].as_str().unwrap().to_owned();
        assert_eq!(r.body["missing_documents"], json!(["tax_certificate", "trade_registry_gazette", "signature_circular"]));
        let start = json!({"employer_id": id, "filing": "first", "route": "abroad", "reference_no": "2026000000000001"});
        let r = app.post("/api/v1/work-permits", Some(&token), start.clone()).await;
        r.problem(422, "work_permit.employer_documents_missing");
        assert_eq!(r.body["errors"].as_array().unwrap().len(), 3);
        assert_eq!(r.field(), "employer.documents.tax_certificate");

        let upload = |doc_type: &str, bytes: Vec<u8>, who: &str| multipart(&format!("/api/v1/work-permit-employers/{id}/documents"), who, &json!({"document_type": doc_type}), &[("belge.pdf", bytes)]);
        let r = app.call(upload("tax_certificate", b"GIF89a not a pdf".to_vec(), &token)).await;
        r.problem(422, "work_permit.document_format");
        assert_eq!(r.field(), "file");
        app.call(upload("diploma", pdf("x"), &token)).await.problem(422, "work_permit.unknown_code");
        // An authorised user reads the documents but does not upload them.
        let zeynep = app.citizen_token("23456789060").await;
        app.post(&format!("/api/v1/work-permit-employers/{id}/users"), Some(&token), json!({"tckn": "23456789060"})).await.expect(201);
        app.call(upload("tax_certificate", pdf("vergi"), &zeynep)).await.problem(403, "work_permit.owner_only");
        let other = app.citizen_token("10000000146").await;
        app.call(upload("tax_certificate", pdf("vergi"), &other)).await.problem(404, "work_permit.employer_not_found");
        for t in ["tax_certificate", "trade_registry_gazette", "signature_circular"] {
            app.call(upload(t, pdf(t), &token)).await.expect(201);
        }
        let e = app.get(&format!("/api/v1/work-permit-employers/{id}"), Some(&zeynep)).await;
        e.expect(200);
        assert_eq!(e.body["missing_documents"], json!([]));
        assert_eq!(e.body["documents"].as_array().unwrap().len(), 3);
        let sha = e.body["documents"][0]["sha256"].as_str().unwrap().to_owned();
        let d = app.get(&format!("/api/v1/work-permit-employers/{id}/documents/{sha}"), Some(&zeynep)).await;
        d.expect(200);
        assert!(d.raw.starts_with(b"%PDF"));
        app.get(&format!("/api/v1/work-permit-employers/{id}/documents/{sha}"), Some(&other)).await.problem(404, "work_permit.employer_not_found");
        let h = app.post("/api/v1/work-permits", Some(&token), start).await;
        h.expect(201);
    }
}
