//! One-time codes: send, read from the dev outbox, verify; expiry, tries, rate limit, scope.

use actix_web::http::Method;
use kapi_tests::{both_backends, json, otp_code};

both_backends! {
    async fn verify_a_mobile_number_with_a_code(app) {
        let token = app.citizen_token("10000000146").await;
        let r = app.post("/api/v1/auth/otp", Some(&token), json!({"channel": "sms", "destination": "+90 532 100 00 01", "purpose": "contact_verification"})).await;
        r.expect(201);
        assert_eq!(r.body["destination"], "******0001");
        let id = r.body["id"].as_str().unwrap().to_owned();
        let outbox = app.get("/api/v1/dev/outbox?recipient=5321000001", None).await;
        outbox.expect(200);
        let code = otp_code(&outbox);
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let r = app.post(&format!("/api/v1/auth/otp/{id}/verify"), Some(&token), json!({"code": wrong})).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.body["errors"][0]["code"], "otp.wrong_code");
        // Someone else cannot use my challenge, even with the right code.
        let other = app.staff_token("admin").await;
        app.post(&format!("/api/v1/auth/otp/{id}/verify"), Some(&other), json!({"code": code})).await.problem(404, "otp.not_found");
        let r = app.post(&format!("/api/v1/auth/otp/{id}/verify"), Some(&token), json!({"code": code})).await;
        r.expect(200);
        assert_eq!(r.body["destination"], "5321000001");
        app.post(&format!("/api/v1/auth/otp/{id}/verify"), Some(&token), json!({"code": code})).await.problem(409, "otp.already_used");
        let me = app.get("/api/v1/auth/me", Some(&token)).await;
        assert_eq!(me.body["verified_contacts"][0]["destination"], "5321000001");
    }

    async fn a_code_expires_after_three_minutes(app) {
        app.send(Method::PUT, "/api/v1/dev/clock", None, Some(json!({"at": "2026-11-23T10:00:00Z"}))).await.expect(200);
        let token_at_fixed = app.citizen_token("10000000146").await;
        let r = app.post("/api/v1/auth/otp", Some(&token_at_fixed), json!({"channel": "email", "destination": "Ayse@Ornek.COM.TR", "purpose": "contact_verification"})).await;
        r.expect(201);
        assert_eq!(r.body["expires_at"], "2026-11-23T10:03:00Z");
        let id = r.body["id"].as_str().unwrap().to_owned();
        let code = otp_code(&app.get("/api/v1/dev/outbox?recipient=Ayse@ornek.com.tr", None).await);
        app.send(Method::PUT, "/api/v1/dev/clock", None, Some(json!({"at": "2026-11-23T10:03:01Z"}))).await.expect(200);
        app.post(&format!("/api/v1/auth/otp/{id}/verify"), Some(&token_at_fixed), json!({"code": code})).await.problem(422, "otp.expired");
        // At exactly three minutes it still works (a second challenge).
        app.send(Method::PUT, "/api/v1/dev/clock", None, Some(json!({"at": "2026-11-23T10:10:00Z"}))).await.expect(200);
        let r = app.post("/api/v1/auth/otp", Some(&token_at_fixed), json!({"channel": "email", "destination": "ayse@ornek.com.tr", "purpose": "contact_verification"})).await;
        let id = r.body["id"].as_str().unwrap().to_owned();
        let code = otp_code(&app.get("/api/v1/dev/outbox?recipient=ayse@ornek.com.tr", None).await);
        app.send(Method::PUT, "/api/v1/dev/clock", None, Some(json!({"at": "2026-11-23T10:13:00Z"}))).await.expect(200);
        app.post(&format!("/api/v1/auth/otp/{id}/verify"), Some(&token_at_fixed), json!({"code": code})).await.expect(200);
    }

    async fn five_wrong_tries_end_the_challenge(app) {
        let token = app.citizen_token("10000000146").await;
        let r = app.post("/api/v1/auth/otp", Some(&token), json!({"channel": "sms", "destination": "5321000009", "purpose": "contact_verification"})).await;
        let id = r.body["id"].as_str().unwrap().to_owned();
        let code = otp_code(&app.get("/api/v1/dev/outbox?recipient=5321000009", None).await);
        let wrong = if code == "000000" { "111111" } else { "000000" };
        for _ in 0..4 {
            app.post(&format!("/api/v1/auth/otp/{id}/verify"), Some(&token), json!({"code": wrong})).await.expect(422);
        }
        app.post(&format!("/api/v1/auth/otp/{id}/verify"), Some(&token), json!({"code": wrong})).await.problem(422, "otp.too_many_attempts");
        app.post(&format!("/api/v1/auth/otp/{id}/verify"), Some(&token), json!({"code": code})).await.problem(422, "otp.too_many_attempts");
    }

    async fn codes_are_rate_limited_per_number(app) {
        let token = app.citizen_token("10000000146").await;
        for _ in 0..3 {
            app.post("/api/v1/auth/otp", Some(&token), json!({"channel": "sms", "destination": "5321000077", "purpose": "contact_verification"})).await.expect(201);
        }
        let r = app.post("/api/v1/auth/otp", Some(&token), json!({"channel": "sms", "destination": "05321000077", "purpose": "contact_verification"})).await;
        r.problem(429, "otp.rate_limited");
        assert!(r.header("retry-after").unwrap().parse::<u64>().unwrap() > 0);
        app.post("/api/v1/auth/otp", Some(&token), json!({"channel": "sms", "destination": "5321000078", "purpose": "contact_verification"})).await.expect(201);
    }

    async fn the_rate_limit_holds_under_concurrent_requests(app) {
        let token = app.citizen_token("10000000146").await;
        let body = json!({"channel": "sms", "destination": "5321000066", "purpose": "contact_verification"});
        let results = kapi_tests::join_all((0..6).map(|_| app.post("/api/v1/auth/otp", Some(&token), body.clone())).collect()).await;
        let mut statuses: Vec<u16> = results.iter().map(|r| r.status).collect();
        statuses.sort();
        assert_eq!(statuses, vec![201, 201, 201, 429, 429, 429]);
        let outbox = app.get("/api/v1/dev/outbox?recipient=5321000066", None).await;
        assert_eq!(outbox.body.as_array().unwrap().len(), 3, "exactly three codes were sent");
    }

    async fn bad_destinations_and_codes_name_the_field(app) {
        let token = app.citizen_token("10000000146").await;
        let r = app.post("/api/v1/auth/otp", Some(&token), json!({"channel": "sms", "destination": "0312 123 45 67", "purpose": "contact_verification"})).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.field(), "destination");
        assert_eq!(r.body["errors"][0]["code"], "phone.format");
        let r = app.post("/api/v1/auth/otp", Some(&token), json!({"channel": "email", "destination": "not-an-email", "purpose": "contact_verification"})).await;
        assert_eq!(r.body["errors"][0]["code"], "email.format");
        let r = app.post("/api/v1/auth/otp", Some(&token), json!({"channel": "fax", "destination": "5321000001", "purpose": "contact_verification"})).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.field(), "channel");
        app.post("/api/v1/auth/otp", None, json!({"channel": "sms", "destination": "5321000001", "purpose": "contact_verification"})).await.problem(401, "auth.missing_token");
        let r = app.post("/api/v1/auth/otp/not-a-uuid/verify", Some(&token), json!({"code": "123456"})).await;
        r.problem(404, "otp.not_found");
        let r = app.post(&format!("/api/v1/auth/otp/{}/verify", uuid::Uuid::now_v7()), Some(&token), json!({"code": "12345"})).await;
        assert_eq!(r.body["errors"][0]["code"], "otp.code_format");
        app.post(&format!("/api/v1/auth/otp/{}/verify", uuid::Uuid::now_v7()), Some(&token), json!({"code": "123456"})).await.problem(404, "otp.not_found");
    }
}
