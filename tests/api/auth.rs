//! Logins, tokens, and refusals (401 / 403).

use actix_web::http::Method;
use kapi_tests::{both_backends, json};

both_backends! {
    async fn citizen_logs_in_through_e_devlet(app) {
        let r = app.post("/api/v1/auth/e-devlet/login", None, json!({"tckn": "10000000146", "password": "Kapi2026"})).await;
        r.expect(200);
        assert_eq!(r.body["token_type"], "Bearer");
        assert_eq!(r.body["display_name"], "Ayşe Yılmaz");
        assert_eq!(r.body["actor"]["kind"], "citizen");
        assert_eq!(r.body["actor"]["label"], "citizen:*********46");
        let token = r.body["access_token"].as_str().unwrap();
        let me = app.get("/api/v1/auth/me", Some(token)).await;
        me.expect(200);
        assert_eq!(me.body["actor"]["scope"]["tckn"], "10000000146");
    }

    async fn citizen_login_refusals(app) {
        app.post("/api/v1/auth/e-devlet/login", None, json!({"tckn": "10000000146", "password": "wrong"})).await.problem(401, "auth.invalid_credentials");
        // Valid checksum but not in the registry: same answer, nothing revealed.
        app.post("/api/v1/auth/e-devlet/login", None, json!({"tckn": "12345678950", "password": "nope"})).await.problem(401, "auth.invalid_credentials");
        let r = app.post("/api/v1/auth/e-devlet/login", None, json!({"tckn": "10000000147", "password": "Kapi2026"})).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.field(), "tckn");
        assert_eq!(r.body["errors"][0]["code"], "tckn.checksum");
        let r = app.post("/api/v1/auth/e-devlet/login", None, json!({"tckn": "123", "password": "Kapi2026"})).await;
        assert_eq!(r.body["errors"][0]["code"], "tckn.format");
    }

    async fn staff_log_in_with_their_role(app) {
        for (user, kind) in [("admin", "system_admin"), ("ankara.valilik", "province_admin"), ("kurum.ik", "institution_staff"), ("iskur.ankara", "iskur_staff"), ("bakanlik.degerlendirici", "ministry_staff")] {
            let r = app.post("/api/v1/auth/staff/login", None, json!({"username": user, "password": "Kapi2026"})).await;
            r.expect(200);
            assert_eq!(r.body["actor"]["kind"], kind, "{user}");
        }
        let r = app.post("/api/v1/auth/staff/login", None, json!({"username": "ANKARA.VALILIK", "password": "Kapi2026"})).await;
        r.expect(200);
        assert_eq!(r.body["actor"]["scope"]["province"], 6);
        app.post("/api/v1/auth/staff/login", None, json!({"username": "admin", "password": "kapi2026"})).await.problem(401, "auth.invalid_credentials");
        app.post("/api/v1/auth/staff/login", None, json!({"username": "ghost", "password": "Kapi2026"})).await.problem(401, "auth.invalid_credentials");
    }

    async fn missing_tampered_and_expired_tokens_are_401(app) {
        let r = app.get("/api/v1/auth/me", None).await;
        r.problem(401, "auth.missing_token");
        assert_eq!(r.header("www-authenticate").as_deref(), Some("Bearer"));
        let token = app.staff_token("admin").await;
        let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
        let mut sig = parts[2].clone().into_bytes();
        sig[3] = if sig[3] == b'A' { b'B' } else { b'A' };
        parts[2] = String::from_utf8(sig).unwrap();
        app.get("/api/v1/auth/me", Some(&parts.join("."))).await.problem(401, "auth.invalid_token");
        app.get("/api/v1/auth/me", Some("not-a-jwt")).await.problem(401, "auth.invalid_token");
        let r = app.call(actix_web::test::TestRequest::get().uri("/api/v1/auth/me").insert_header(("Authorization", "Basic YWRtaW46eA=="))).await;
        r.problem(401, "auth.invalid_token");
        // The token lives an hour by the app clock: 59 minutes on it still works, 61 do not.
        app.send(Method::PUT, "/api/v1/dev/clock", None, Some(json!({"offset_seconds": 59 * 60}))).await.expect(200);
        app.get("/api/v1/auth/me", Some(&token)).await.expect(200);
        app.send(Method::PUT, "/api/v1/dev/clock", None, Some(json!({"offset_seconds": 61 * 60}))).await.expect(200);
        app.get("/api/v1/auth/me", Some(&token)).await.problem(401, "auth.token_expired");
        // A token issued at the moved clock agrees with it.
        let fresh = app.staff_token("admin").await;
        app.get("/api/v1/auth/me", Some(&fresh)).await.expect(200);
    }

    async fn a_token_signed_with_another_secret_is_refused(app) {
        let other = kapi_api::jwt::JwtKeys::new("another-secret-another-secret-another", 3600);
        let actor = kapi_core::Actor::SystemAdmin { account_id: kapi_core::StaffAccountId::new() };
        let forged = other.issue(&actor, time::OffsetDateTime::now_utc()).unwrap().token;
        app.get("/api/v1/auth/me", Some(&forged)).await.problem(401, "auth.invalid_token");
        app.post("/api/v1/admin/sectors", Some(&forged), json!({"name": "Sahte"})).await.problem(401, "auth.invalid_token");
    }
}
