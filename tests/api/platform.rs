//! Health, request ids, the problem format and the HTTP-layer refusals.

use actix_web::http::Method;
use actix_web::test::TestRequest;
use kapi_tests::{both_backends, json};

both_backends! {
    async fn health_live_and_ready(app) {
        let r = app.get("/health/live", None).await;
        r.expect(200);
        assert_eq!(r.body["status"], "ok");
        let r = app.get("/health/ready", None).await;
        r.expect(200);
        let expected = match app.backend { kapi_tests::Backend::Sqlite => "sqlite", kapi_tests::Backend::Postgres => "postgresql" };
        assert_eq!(r.body["database"], expected);
    }

    async fn request_id_is_generated_or_echoed(app) {
        let r = app.get("/health/live", None).await;
        let id = r.header("x-request-id").expect("generated id");
        assert!(uuid::Uuid::parse_str(&id).is_ok());
        let r = app.call(TestRequest::get().uri("/health/live").insert_header(("X-Request-Id", "qa-run-42"))).await;
        assert_eq!(r.header("x-request-id").as_deref(), Some("qa-run-42"));
        // An unsafe id is replaced, not echoed.
        let r = app.call(TestRequest::get().uri("/health/live").insert_header(("X-Request-Id", "bad id <script>"))).await;
        assert_ne!(r.header("x-request-id").as_deref(), Some("bad id <script>"));
        // Errors carry it too.
        let r = app.get("/api/v1/nothing-here", None).await;
        r.problem(404, "not_found");
        assert!(r.header("x-request-id").is_some());
        assert_eq!(r.body["type"], "urn:kapi:problem:not_found");
    }

    async fn malformed_json_is_400_and_writes_nothing(app) {
        let admin = app.staff_token("admin").await;
        let before = app.get("/api/v1/reference/sectors?per_page=100", None).await.body["total"].clone();
        let req = TestRequest::post()
            .uri("/api/v1/admin/sectors")
            .insert_header(("Authorization", format!("Bearer {admin}")))
            .insert_header(("Content-Type", "application/json"))
            .set_payload("{\"name\": \"Yarım");
        app.call(req).await.problem(400, "request.malformed_json");
        let req = TestRequest::post()
            .uri("/api/v1/admin/sectors")
            .insert_header(("Authorization", format!("Bearer {admin}")))
            .insert_header(("Content-Type", "application/json"))
            .set_payload("{\"name\": \"Tamam Ama\"} trailing");
        app.call(req).await.problem(400, "request.malformed_json");
        assert_eq!(app.get("/api/v1/reference/sectors?per_page=100", None).await.body["total"], before);
    }

    async fn wrong_media_type_is_415(app) {
        let req = TestRequest::post()
            .uri("/api/v1/auth/staff/login")
            .insert_header(("Content-Type", "text/plain"))
            .set_payload("{\"username\":\"admin\",\"password\":\"Kapi2026\"}");
        app.call(req).await.problem(415, "request.unsupported_media_type");
        let req = TestRequest::post().uri("/api/v1/auth/staff/login").set_payload("{}");
        app.call(req).await.problem(415, "request.unsupported_media_type");
    }

    async fn oversized_body_is_413(app) {
        let big = "x".repeat(70 * 1024);
        let r = app.post("/api/v1/auth/staff/login", None, json!({"username": big, "password": "x"})).await;
        r.problem(413, "request.too_large");
    }

    async fn unknown_fields_and_wrong_types_are_422_with_the_field(app) {
        let r = app.post("/api/v1/auth/staff/login", None, json!({"username": "admin", "password": "Kapi2026", "role": "system_admin"})).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.field(), "role");
        assert_eq!(r.body["errors"][0]["code"], "request.unknown_field");
        let r = app.post("/api/v1/auth/staff/login", None, json!({"username": 42, "password": "x"})).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.field(), "username");
        let r = app.post("/api/v1/auth/staff/login", None, json!({"username": "admin"})).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.field(), "password");
        assert_eq!(r.body["errors"][0]["code"], "request.missing_field");
        let r = app.get("/api/v1/reference/occupations?page=abc", None).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.field(), "page");
        let r = app.get("/api/v1/reference/occupations?per_page=101", None).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.field(), "per_page");
        let r = app.get("/api/v1/reference/occupations?colour=red", None).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.field(), "colour");
    }

    async fn unknown_route_and_method_are_problems(app) {
        app.get("/api/v1/does-not-exist", None).await.problem(404, "not_found");
        app.send(Method::PUT, "/health/live", None, None).await.problem(404, "not_found");
    }

    async fn swagger_and_spec_are_served(app) {
        let r = app.get("/api-docs/openapi.json", None).await;
        r.expect(200);
        assert!(r.body["openapi"].as_str().unwrap().starts_with("3.1"));
        let committed: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi/openapi.dev.json")).unwrap()).unwrap();
        assert_eq!(r.body, committed, "the served spec (dev) is the committed dev one");
        let r = app.get("/swagger-ui", None).await;
        assert_eq!(r.status, 308);
        assert_eq!(r.header("location").as_deref(), Some("/swagger-ui/"));
        let r = app.get("/swagger-ui/", None).await;
        r.expect(200);
        assert!(r.text.contains("swagger"), "{}", &r.text[..r.text.len().min(200)]);
    }

    async fn dev_clock_can_be_set_and_reset(app) {
        let r = app.send(Method::PUT, "/api/v1/dev/clock", None, Some(json!({"at": "2027-01-01T09:00:00+03:00"}))).await;
        r.expect(200);
        assert_eq!(r.body["mode"], "fixed");
        assert_eq!(r.body["now"], "2027-01-01T06:00:00Z");
        app.send(Method::PUT, "/api/v1/dev/clock", None, Some(json!({"at": "2027-01-01T09:00:00Z", "offset_seconds": 5}))).await.problem(422, "validation.failed");
        app.send(Method::PUT, "/api/v1/dev/clock", None, Some(json!({}))).await.problem(422, "validation.failed");
        let r = app.send(Method::DELETE, "/api/v1/dev/clock", None, None).await;
        assert_eq!(r.body["mode"], "real");
    }
}

mod prod_profile {
    use kapi_api::config::Profile;

    #[actix_web::test]
    async fn dev_routes_do_not_exist_in_prod() {
        let Some(app) = kapi_tests::spawn_with(kapi_tests::Backend::Sqlite, Profile::Prod).await
        else {
            return;
        };
        app.get("/api/v1/dev/outbox", None)
            .await
            .problem(404, "not_found");
        app.get("/api/v1/dev/clock", None)
            .await
            .problem(404, "not_found");
        let spec = app.get("/api-docs/openapi.json", None).await;
        let paths = spec.body["paths"].as_object().unwrap();
        assert!(
            paths.keys().all(|p| !p.starts_with("/api/v1/dev")),
            "prod spec lists dev routes"
        );
        assert!(paths.contains_key("/api/v1/admin/sectors"));
        let committed: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../openapi/openapi.json"
            ))
            .unwrap(),
        )
        .unwrap();
        assert_eq!(
            spec.body, committed,
            "the served prod spec is the published openapi/openapi.json"
        );
    }

    #[test]
    fn prod_refuses_to_start_without_a_jwt_secret() {
        let mut config = kapi_api::config::Config::for_database(":memory:");
        config.profile = Profile::Prod;
        assert!(config
            .effective_jwt_secret()
            .unwrap_err()
            .contains("KAPI_JWT_SECRET"));
        config.jwt_secret = Some("short".into());
        assert!(config.effective_jwt_secret().is_err());
        // Long enough but guessable: refused in prod (the rule is unit-tested in config.rs).
        config.jwt_secret = Some("x".repeat(32));
        assert!(config.effective_jwt_secret().is_err());
        config.jwt_secret = Some("q7Vh2Lz9xR4mN8pK3sT6wY1bC5dF0gJe".into());
        assert!(config.effective_jwt_secret().is_ok());
    }

    #[test]
    fn a_down_postgres_reports_the_real_cause() {
        let err = match kapi_persistence::Db::connect("postgres://postgres@127.0.0.1:1/none", 1) {
            Ok(_) => panic!("connected to a closed port"),
            Err(e) => e.to_string(),
        };
        assert!(
            err.contains("127.0.0.1")
                && (err.to_lowercase().contains("connect") || err.contains("refused")),
            "{err}"
        );
    }
}
