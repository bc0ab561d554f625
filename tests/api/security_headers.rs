//! Security headers on every answer (API, problems, the Swagger UI), HSTS when configured,
//! and body-size limits per route (413 `request.too_large` naming the limit).

use actix_web::test::TestRequest;
use kapi_api::extract::JSON_LIMIT;
use kapi_api::middleware::{API_CSP, HSTS, ONE_FILE_LIMIT, SWAGGER_CSP};
use kapi_tests::{both_backends, json, multipart, pdf, spawn_configured, Backend};

fn api_headers(r: &kapi_tests::Resp) {
    assert_eq!(
        r.header("cache-control").as_deref(),
        Some("no-store"),
        "{:?}",
        r.headers
    );
    assert_eq!(
        r.header("content-security-policy").as_deref(),
        Some(API_CSP)
    );
    assert_eq!(r.header("x-frame-options").as_deref(), Some("DENY"));
    assert_eq!(
        r.header("x-content-type-options").as_deref(),
        Some("nosniff")
    );
    assert_eq!(r.header("referrer-policy").as_deref(), Some("no-referrer"));
    assert_eq!(
        r.header("cross-origin-resource-policy").as_deref(),
        Some("same-origin")
    );
}

both_backends! {
    async fn every_api_answer_carries_the_security_headers(app) {
        let ok = app.get("/api/v1/reference/provinces", None).await;
        ok.expect(200);
        api_headers(&ok);
        assert_eq!(ok.header("strict-transport-security"), None, "HSTS is off unless configured");
        let problem = app.get("/api/v1/nothing-here", None).await;
        problem.problem(404, "not_found");
        api_headers(&problem);
        let token = app.staff_token("admin").await;
        let me = app.get("/api/v1/auth/me", Some(&token)).await;
        me.expect(200);
        api_headers(&me);
        let unauth = app.get("/api/v1/auth/me", None).await;
        api_headers(&unauth);
        api_headers(&app.get("/api-docs/openapi.json", None).await);
        api_headers(&app.get("/health/ready", None).await);
        // The Swagger UI loads its own scripts and styles: its own policy, cacheable assets.
        let ui = app.get("/swagger-ui/", None).await;
        ui.expect(200);
        assert_eq!(ui.header("content-security-policy").as_deref(), Some(SWAGGER_CSP));
        assert_ne!(ui.header("cache-control").as_deref(), Some("no-store"));
        assert_eq!(ui.header("x-content-type-options").as_deref(), Some("nosniff"));
        let js = app.get("/swagger-ui/swagger-initializer.js", None).await;
        js.expect(200);
        assert_eq!(js.header("content-security-policy").as_deref(), Some(SWAGGER_CSP));
    }

    async fn bodies_larger_than_their_route_accepts_are_413(app) {
        let admin = app.staff_token("admin").await;
        // JSON routes: 64 KiB, refused by Content-Length before anything is read.
        let big = format!("{{\"name\": \"{}\"}}", "x".repeat(JSON_LIMIT));
        let r = app.call(TestRequest::post().uri("/api/v1/admin/sectors")
            .insert_header(("Authorization", format!("Bearer {admin}")))
            .insert_header(("Content-Type", "application/json"))
            .set_payload(big)).await;
        r.problem(413, "request.too_large");
        assert!(r.body["detail"].as_str().unwrap().contains(&JSON_LIMIT.to_string()), "{}", r.text);
        // Exactly at the limit the route's own checks answer (here: the name is too long).
        let name_len = JSON_LIMIT - "{\"name\": \"\"}".len();
        let at_limit = format!("{{\"name\": \"{}\"}}", "x".repeat(name_len));
        assert_eq!(at_limit.len(), JSON_LIMIT);
        let r = app.call(TestRequest::post().uri("/api/v1/admin/sectors")
            .insert_header(("Authorization", format!("Bearer {admin}")))
            .insert_header(("Content-Type", "application/json"))
            .set_payload(at_limit)).await;
        assert_eq!(r.status, 422, "{}", r.text);
        // A route that reads no body still refuses a large one (before authentication).
        let r = app.call(TestRequest::post().uri(&format!("/api/v1/applications/{}/approve", uuid::Uuid::now_v7()))
            .insert_header(("Content-Type", "application/json"))
            .set_payload(vec![b' '; JSON_LIMIT + 1])).await;
        r.problem(413, "request.too_large");
        // A file route takes a file far larger than 64 KiB …
        let sector = app.get("/api/v1/reference/sectors", None).await.body["items"][0]["id"].as_str().unwrap().to_owned();
        let citizen = app.citizen_token("10000000146").await;
        let form = json!({
            "subject_address": {"province": 6, "district_code": 6007, "neighbourhood_code": 60070001, "open_address": "Cumhuriyet Cad. No:5"},
            "mobile": "0532 100 00 01", "email": "ayse@ornek.com.tr",
            "headings": [{"heading_code": "H01", "sub_heading_code": "H01.04"}],
            "education_level": "bachelor", "sector_id": sector,
            "subject": "Okulun bahçe duvarı yıkılmak üzere; onarılmasını talep ediyorum."
        });
        let mut large = pdf("ek");
        large.resize(512 * 1024, b' ');
        app.call(multipart("/api/v1/petitions", &citizen, &form, &[("ek.pdf", large)])).await.expect(201);
        // … up to its own limit.
        let huge = vec![b'x'; ONE_FILE_LIMIT + 1];
        let r = app.call(TestRequest::post().uri(&format!("/api/v1/work-permit-employers/{}/documents", uuid::Uuid::now_v7()))
            .insert_header(("Content-Type", "multipart/form-data; boundary=x"))
            .set_payload(huge)).await;
        r.problem(413, "request.too_large");
        assert!(r.body["detail"].as_str().unwrap().contains(&ONE_FILE_LIMIT.to_string()));
    }
}

#[actix_web::test]
async fn hsts_is_sent_when_configured() {
    let Some(app) = spawn_configured(Backend::Sqlite, |c| c.hsts = true).await else {
        return;
    };
    let r = app.get("/health/live", None).await;
    assert_eq!(r.header("strict-transport-security").as_deref(), Some(HSTS));
    let r = app.get("/api/v1/nothing-here", None).await;
    assert_eq!(r.header("strict-transport-security").as_deref(), Some(HSTS));
}

#[test]
fn every_file_route_in_the_spec_has_a_larger_limit() {
    let spec: serde_json::Value =
        serde_json::from_str(&kapi_api::openapi_json(kapi_api::config::Profile::Dev).unwrap())
            .unwrap();
    let mut file_routes = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let body = op["requestBody"].to_string();
            if body.contains("multipart/form-data") {
                file_routes += 1;
                let m =
                    actix_web::http::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
                assert!(
                    kapi_api::middleware::body_limit(&m, path) > JSON_LIMIT,
                    "{method} {path} takes files but has the JSON limit"
                );
            }
        }
    }
    assert!(file_routes >= 8, "{file_routes}");
}

/// The limit is found from the route the request reaches (`/petitions/written`, not
/// `/petitions/{id}`): every file route lets a body over 64 KiB through to its handler
/// (which then asks for a token) instead of answering 413.
#[actix_web::test]
async fn every_file_route_takes_more_than_a_json_body_over_http() {
    let Some(app) = spawn_configured(Backend::Sqlite, |_| {}).await else {
        return;
    };
    let spec = app.get("/api-docs/openapi.json", None).await.body;
    let mut checked = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let body = op["requestBody"].to_string();
            if !body.contains("multipart/form-data") {
                continue;
            }
            let uri = path
                .split('/')
                .map(|s| {
                    if s.starts_with('{') {
                        uuid::Uuid::now_v7().to_string()
                    } else {
                        s.to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join("/");
            let m = actix_web::http::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let r = app
                .call(
                    TestRequest::default()
                        .method(m)
                        .uri(&uri)
                        .insert_header(("Content-Type", "multipart/form-data; boundary=x"))
                        .set_payload(vec![b'x'; 2 * JSON_LIMIT]),
                )
                .await;
            assert_eq!(r.status, 401, "{method} {path}: {}", r.text);
            checked += 1;
        }
    }
    assert!(checked >= 8, "{checked}");
    // And a JSON route does answer 413 to the same body.
    let close = format!("/api/v1/petitions/{}/close", uuid::Uuid::now_v7());
    let r = app
        .call(
            TestRequest::post()
                .uri(&close)
                .insert_header(("Content-Type", "application/json"))
                .set_payload(vec![b' '; 2 * JSON_LIMIT]),
        )
        .await;
    r.problem(413, "request.too_large");
}
