//! No secret at rest in clear (issue 19 item 6): an integrator's API key and a webhook's
//! signing secret, created with an `Idempotency-Key`, are shown once and kept nowhere in
//! clear — not in the idempotency table, not in history. A retry with the same key creates
//! nothing twice and answers 409 `idempotency_key.secret_shown_once` with the record's
//! `Location`, without the secret.

use actix_web::http::Method;
use actix_web::test::TestRequest;
use diesel::sql_types::{Nullable, Text};
use kapi_tests::{both_backends, json, Resp};
use serde_json::Value;

#[derive(diesel::QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    request_hash: String,
    #[diesel(sql_type = Nullable<Text>)]
    headers: Option<String>,
    #[diesel(sql_type = Nullable<diesel::sql_types::Binary>)]
    body: Option<Vec<u8>>,
}

#[derive(diesel::QueryableByName)]
struct Line {
    #[diesel(sql_type = Text)]
    text: String,
}

/// Every idempotency row and history line, as bytes to search.
async fn rows_at_rest<S, B>(app: &kapi_tests::TestApp<S>) -> Vec<Vec<u8>>
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    let db = app.state.db.clone();
    actix_web::web::block(move || {
        db.read(|c| {
            use diesel::RunQueryDsl;
            let bad = |e: diesel::result::Error| kapi_core::DomainError::internal(e.to_string());
            let rows: Vec<Row> = diesel::sql_query("SELECT request_hash, headers, body FROM idempotency_keys").load(c).map_err(bad)?;
            let lines: Vec<Line> = diesel::sql_query(
                "SELECT resource_kind || '|' || resource_id || '|' || actor || '|' || to_state || '|' || COALESCE(note, '') AS text FROM history_entries",
            )
            .load(c)
            .map_err(bad)?;
            let mut out: Vec<Vec<u8>> = rows
                .into_iter()
                .map(|r| [r.request_hash.into_bytes(), r.headers.unwrap_or_default().into_bytes(), r.body.unwrap_or_default()].concat())
                .collect();
            out.extend(lines.into_iter().map(|l| l.text.into_bytes()));
            Ok(out)
        })
    })
    .await
    .unwrap()
    .unwrap()
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn shown_once(r: &Resp, location: &str, secret: &str) {
    r.problem(409, "idempotency_key.secret_shown_once");
    assert_eq!(r.header("location").as_deref(), Some(location));
    assert_eq!(r.header("idempotent-replayed").as_deref(), Some("true"));
    assert!(!r.text.contains(secret), "{}", r.text);
}

both_backends! {
    async fn a_created_api_key_is_never_stored_in_clear(app) {
        let admin = app.staff_token("admin").await;
        let create = || TestRequest::post()
            .uri("/api/v1/integrators")
            .insert_header(("Authorization", format!("Bearer {admin}")))
            .insert_header(("Idempotency-Key", "integrator-1"))
            .set_json(json!({"name": "İK Sistemi"}));
        let r = app.call(create()).await;
        r.expect(201);
        let key = r.body["api_key"].as_str().unwrap().to_owned();
        let location = r.header("location").unwrap();
        // The key works for its owner…
        app.call(TestRequest::get().uri("/api/v1/integrators/me").insert_header(("X-Api-Key", key.as_str()))).await.expect(200);
        // …and is nowhere at rest in clear (an idempotency row was written, without it).
        let at_rest = rows_at_rest(&app).await;
        assert!(!at_rest.is_empty());
        assert!(at_rest.iter().all(|row| !contains(row, &key)), "the API key is stored in clear");
        assert!(at_rest.iter().all(|row| !contains(row, &key[9..])), "part of the API key is stored");
        // The retry creates nothing and does not show the key again.
        shown_once(&app.call(create()).await, &location, &key);
        let list = app.get("/api/v1/integrators", Some(&admin)).await;
        list.expect(200);
        let named: Vec<&Value> = list.body["items"].as_array().unwrap().iter().filter(|i| i["name"] == "İK Sistemi").collect();
        assert_eq!(named.len(), 1, "{}", list.text);
    }

    async fn a_webhook_signing_secret_is_never_kept_for_replays(app) {
        let admin = app.staff_token("admin").await;
        let r = app.post("/api/v1/integrators", Some(&admin), json!({"name": "Webhook Sistemi"})).await;
        r.expect(201);
        let key = r.body["api_key"].as_str().unwrap().to_owned();
        let create = || TestRequest::default()
            .method(Method::POST)
            .uri("/api/v1/webhooks")
            .insert_header(("X-Api-Key", key.as_str()))
            .insert_header(("Idempotency-Key", "hook-1"))
            .set_json(json!({"url": "http://127.0.0.1:9/kapi", "events": ["labour_demand.created"]}));
        let r = app.call(create()).await;
        r.expect(201);
        let secret = r.body["secret"].as_str().unwrap().to_owned();
        let location = r.header("location").unwrap();
        let at_rest = rows_at_rest(&app).await;
        assert!(at_rest.iter().all(|row| !contains(row, &secret)), "the signing secret is kept for replays");
        shown_once(&app.call(create()).await, &location, &secret);
        let list = app.call(TestRequest::get().uri("/api/v1/webhooks").insert_header(("X-Api-Key", key.as_str()))).await;
        list.expect(200);
        assert_eq!(list.body.as_array().map(Vec::len), Some(1), "{}", list.text);
    }
}
