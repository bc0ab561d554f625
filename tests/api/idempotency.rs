//! `Idempotency-Key` on creates: a retry with the same key and body answers what the first
//! request answered and creates nothing more; another body is 422; a running first request
//! is 409; keys are per caller, expire after 24 hours, and only successful answers are kept.

use actix_web::test::TestRequest;
use kapi_api::idempotency::{request_hash, scope_hash, IN_FLIGHT_LEASE, KEY_TTL};
use kapi_persistence::idempotency::{claim, KeyId};
use kapi_tests::{both_backends, json, vkn, workplace_body};
use serde_json::Value;

const AYSE: &str = "10000000146";
const MEHMET: &str = "12345678950";

fn petition(sector: &str, subject: &str) -> Value {
    json!({
        "subject_address": {"province": 6, "district_code": 6007, "neighbourhood_code": 60070001, "open_address": "Cumhuriyet Cad. No:5"},
        "mobile": "0532 100 00 01",
        "email": "ayse@ornek.com.tr",
        "headings": [{"heading_code": "H01", "sub_heading_code": "H01.04"}],
        "education_level": "bachelor",
        "sector_id": sector,
        "subject": subject
    })
}

fn submit(token: &str, key: Option<&str>, body: &Value) -> TestRequest {
    let mut req = TestRequest::post()
        .uri("/api/v1/petitions")
        .insert_header(("Authorization", format!("Bearer {token}")))
        .set_json(body);
    if let Some(k) = key {
        req = req.insert_header(("Idempotency-Key", k));
    }
    req
}

const WALL: &str = "Okulun bahçe duvarı yıkılmak üzere; onarılmasını talep ediyorum.";
const ROAD: &str = "Mahallemizin yolu çamur içinde; asfaltlanmasını talep ediyorum lütfen.";

both_backends! {
    async fn a_retried_petition_is_answered_again_and_not_filed_twice(app) {
        let sector = app.get("/api/v1/reference/sectors", None).await.body["items"][0]["id"].as_str().unwrap().to_owned();
        let ayse = app.citizen_token(AYSE).await;
        let body = petition(&sector, WALL);
        let key = "3f1c7e0a-petition-1";

        let first = app.call(submit(&ayse, Some(key), &body)).await;
        first.expect(201);
        assert_eq!(first.header("idempotent-replayed"), None);
        let again = app.call(submit(&ayse, Some(key), &body)).await;
        again.expect(201);
        assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
        assert_eq!(again.body, first.body, "the stored answer, byte for byte");
        for h in ["location", "etag", "content-type"] {
            assert_eq!(again.header(h), first.header(h), "{h}");
        }
        assert!(again.header("x-request-id").is_some());
        assert_ne!(again.header("x-request-id"), first.header("x-request-id"));
        assert_eq!(app.get("/api/v1/petitions", Some(&ayse)).await.body["total"], 1, "no second petition");

        // The same key with another body: refused, nothing filed.
        let r = app.call(submit(&ayse, Some(key), &petition(&sector, ROAD))).await;
        r.problem(422, "idempotency_key.reused");
        assert_eq!(r.field(), "Idempotency-Key");
        // A different query string is a different request too.
        let mut other_query = submit(&ayse, Some(key), &body);
        other_query = other_query.uri("/api/v1/petitions?x=1");
        app.call(other_query).await.problem(422, "idempotency_key.reused");
        assert_eq!(app.get("/api/v1/petitions", Some(&ayse)).await.body["total"], 1);

        // Another caller's key of the same name is theirs alone.
        let mehmet = app.citizen_token(MEHMET).await;
        let theirs = app.call(submit(&mehmet, Some(key), &petition(&sector, ROAD))).await;
        theirs.expect(201);
        assert_eq!(theirs.header("idempotent-replayed"), None);
        assert_ne!(theirs.body["id"], first.body["id"]);
        assert_eq!(app.get("/api/v1/petitions", Some(&mehmet)).await.body["total"], 1);
        // A new token of the same citizen is the same caller.
        let ayse_again = app.citizen_token(AYSE).await;
        let r = app.call(submit(&ayse_again, Some(key), &body)).await;
        assert_eq!(r.header("idempotent-replayed").as_deref(), Some("true"));

        // Without a key every submission files a petition.
        app.call(submit(&ayse, None, &body)).await.expect(201);
        assert_eq!(app.get("/api/v1/petitions", Some(&ayse)).await.body["total"], 2);
    }

    async fn only_successful_answers_are_kept_and_bad_keys_are_named(app) {
        let sector = app.get("/api/v1/reference/sectors", None).await.body["items"][0]["id"].as_str().unwrap().to_owned();
        let ayse = app.citizen_token(AYSE).await;
        // A refused request does not keep its key: the corrected one goes through with it.
        let mut bad = petition(&sector, WALL);
        bad["mobile"] = json!("123");
        app.call(submit(&ayse, Some("fix-and-retry"), &bad)).await.problem(422, "validation.failed");
        app.call(submit(&ayse, Some("fix-and-retry"), &petition(&sector, WALL))).await.expect(201);
        assert_eq!(app.get("/api/v1/petitions", Some(&ayse)).await.body["total"], 1);

        for key in ["", "with space", &"k".repeat(256), "ş"] {
            let req = TestRequest::post()
                .uri("/api/v1/petitions")
                .insert_header(("Authorization", format!("Bearer {ayse}")))
                .insert_header(("Idempotency-Key", actix_web::http::header::HeaderValue::from_bytes(key.as_bytes()).unwrap()))
                .set_json(petition(&sector, ROAD));
            let r = app.call(req).await;
            r.problem(422, "validation.failed");
            assert_eq!(r.field(), "Idempotency-Key", "{key:?}");
            assert_eq!(r.body["errors"][0]["code"], "idempotency_key.invalid");
        }
        app.call(submit(&ayse, Some(&"k".repeat(255)), &petition(&sector, ROAD))).await.expect(201);
        assert_eq!(app.get("/api/v1/petitions", Some(&ayse)).await.body["total"], 2);
        // A bad token is the handler's to refuse, key or not.
        app.call(submit("not-a-token", Some("k"), &petition(&sector, ROAD))).await.problem(401, "auth.invalid_token");
        // Logins never store their answer (a token): the key is ignored there.
        for _ in 0..2 {
            let r = app.call(TestRequest::post().uri("/api/v1/auth/e-devlet/login")
                .insert_header(("Idempotency-Key", "login-1"))
                .set_json(json!({"tckn": AYSE, "password": "Kapi2026"}))).await;
            r.expect(200);
            assert_eq!(r.header("idempotent-replayed"), None);
        }
    }

    async fn a_running_first_request_holds_the_key_and_keys_expire_after_a_day(app) {
        app.set_clock("2026-12-03T10:00:00Z").await;
        let sector = app.get("/api/v1/reference/sectors", None).await.body["items"][0]["id"].as_str().unwrap().to_owned();
        let ayse = app.citizen_token(AYSE).await;
        let body = petition(&sector, WALL);
        // A first request with this key is still running (claimed two minutes' lease ago).
        let id = KeyId {
            scope_hash: scope_hash(Some(&kapi_core::Actor::Citizen { tckn: kapi_core::Tckn::parse(AYSE).unwrap() }), "unknown"),
            key: "running".into(),
            method: "POST".into(),
            path: "/api/v1/petitions".into(),
        };
        let hash = request_hash("", serde_json::to_string(&body).unwrap().as_bytes());
        let now = app.state.clock.now();
        app.state.db.write(|c| claim(c, &id, &hash, now, now + KEY_TTL, now + IN_FLIGHT_LEASE)).unwrap();
        app.call(submit(&ayse, Some("running"), &body)).await.problem(409, "idempotency_key.in_flight");
        // Another body with the key is still a reuse.
        app.call(submit(&ayse, Some("running"), &petition(&sector, ROAD))).await.problem(422, "idempotency_key.reused");
        assert_eq!(app.get("/api/v1/petitions", Some(&ayse)).await.body["total"], 0);
        // One second before the lease ends it still holds; when it ends the request runs.
        app.set_clock("2026-12-03T10:01:59Z").await;
        app.call(submit(&ayse, Some("running"), &body)).await.problem(409, "idempotency_key.in_flight");
        app.set_clock("2026-12-03T10:02:00Z").await;
        let first = app.call(submit(&ayse, Some("running"), &body)).await;
        first.expect(201);
        assert_eq!(first.header("idempotent-replayed"), None);

        // Kept 24 hours: a second before, the answer is replayed; at 24 hours the key is new.
        app.set_clock("2026-12-04T10:01:59Z").await;
        let ayse = app.citizen_token(AYSE).await;
        let r = app.call(submit(&ayse, Some("running"), &body)).await;
        assert_eq!(r.header("idempotent-replayed").as_deref(), Some("true"));
        assert_eq!(r.body["id"], first.body["id"]);
        app.set_clock("2026-12-04T10:02:00Z").await;
        let ayse = app.citizen_token(AYSE).await;
        let r = app.call(submit(&ayse, Some("running"), &petition(&sector, ROAD))).await;
        r.expect(201);
        assert_eq!(r.header("idempotent-replayed"), None);
        assert_eq!(app.get("/api/v1/petitions", Some(&ayse)).await.body["total"], 2);

        // The housekeeping job deletes expired keys (and finished rate-limit windows).
        let db = app.state.db.clone();
        let later = time::macros::datetime!(2026-12-06 00:00 UTC);
        let reports = actix_web::web::block(move || kapi_api::jobs::run_due_jobs(&db, later)).await.unwrap().unwrap();
        let purge = reports.iter().find(|r| r.job == kapi_api::jobs::PURGE_EXPIRED_ROWS).unwrap();
        assert!(purge.affected >= 1, "{purge:?}");
    }

    async fn an_anonymous_registration_retried_with_its_key_registers_once(app) {
        let body = json!({
            "terms_accepted": true,
            "title": "Tekrar A.Ş.",
            "vkn": vkn("987654321"),
            "sector": "private",
            "address": "Kızılay Mah. Atatürk Bulvarı No:1 Çankaya/Ankara",
            "head_office": workplace_body(6, 6007, 77),
            "person": {
                "tckn": AYSE, "mobile": "5321234567", "email": "yetkili@example.com",
                "password": "Kapi2026", "secret_question": "İlk okulum?", "secret_answer": "Atatürk"
            }
        });
        let send = |ip: &str| TestRequest::post().uri("/api/v1/employers")
            .peer_addr(format!("{ip}:40000").parse().unwrap())
            .insert_header(("Idempotency-Key", "register-7"))
            .set_json(&body);
        let first = app.call(send("192.0.2.10")).await;
        first.expect(201);
        let again = app.call(send("192.0.2.10")).await;
        again.expect(201);
        assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
        assert_eq!(again.body, first.body);
        // Without a token the key belongs to the address: from elsewhere it is a new request,
        // which finds the membership's workplace taken.
        let r = app.call(send("192.0.2.99")).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.body["errors"][0]["code"], "workplace.sgk_no_taken");
        assert_eq!(r.header("idempotent-replayed"), None);
    }
}
