//! Limits that protect citizens from abuse (issue 19, items 9 and 14): the one-time-code
//! window judged by the app clock, failed logins per client address across accounts,
//! one-time codes per caller and per address across numbers, and wrong identity-check
//! answers per TCKN and per address. Each: under the limit works, the next is 429 with
//! `Retry-After`, and a new window by the clock works again.

use actix_web::test::TestRequest;
use kapi_api::config::Config;
use kapi_tests::{json, spawn_configured, Backend};

const AYSE: &str = "10000000146";

/// Runs `$f(backend)` on SQLite and on PostgreSQL as `$name::sqlite` / `$name::postgres`.
macro_rules! on_both {
    ($($name:ident => $f:ident),* $(,)?) => {$(
        mod $name {
            #[actix_web::test]
            async fn sqlite() { super::$f(super::Backend::Sqlite).await }
            #[actix_web::test]
            async fn postgres() { super::$f(super::Backend::Postgres).await }
        }
    )*};
}

on_both! {
    a_clock_moved_back_starts_a_new_code_window => a_clock_moved_back_starts_a_new_code_window,
}

fn post(uri: &str, ip: &str, token: Option<&str>, body: serde_json::Value) -> TestRequest {
    let mut req = TestRequest::post()
        .uri(uri)
        .peer_addr(format!("{ip}:50000").parse().unwrap())
        .set_json(body);
    if let Some(t) = token {
        req = req.insert_header(("Authorization", format!("Bearer {t}")));
    }
    req
}

fn retry_after(r: &kapi_tests::Resp) -> u64 {
    r.header("retry-after")
        .expect("a 429 carries Retry-After")
        .parse()
        .expect("Retry-After in seconds")
}

/// The configuration as shipped (the tests below tighten one limit at a time).
fn defaults(_: &mut Config) {}

async fn a_clock_moved_back_starts_a_new_code_window(backend: Backend) {
    let Some(app) = spawn_configured(backend, defaults).await else {
        return;
    };
    let send = |token: &str, ip: &str| {
        post(
            "/api/v1/auth/otp",
            ip,
            Some(token),
            json!({"channel": "sms", "destination": "5321000055", "purpose": "contact_verification"}),
        )
    };
    app.set_clock("2026-12-10T10:00:00Z").await;
    let token = app.citizen_token(AYSE).await;
    for _ in 0..3 {
        app.call(send(&token, "192.0.2.10")).await.expect(201);
    }
    let r = app.call(send(&token, "192.0.2.10")).await;
    r.problem(429, "otp.rate_limited");
    assert_eq!(retry_after(&r), 600);
    // QA moves the clock two days back: the codes stamped later are not in the window
    // that ends now, so a new window starts.
    app.set_clock("2026-12-08T09:00:00Z").await;
    let token = app.citizen_token(AYSE).await;
    app.call(send(&token, "192.0.2.10")).await.expect(201);
    // The limit still holds in the new window, and the wait never passes its end.
    app.set_clock("2026-12-08T09:01:00Z").await;
    app.call(send(&token, "192.0.2.10")).await.expect(201);
    app.call(send(&token, "192.0.2.10")).await.expect(201);
    let r = app.call(send(&token, "192.0.2.10")).await;
    r.problem(429, "otp.rate_limited");
    assert_eq!(retry_after(&r), 540);
    app.set_clock("2026-12-08T09:09:59Z").await;
    let r = app.call(send(&token, "192.0.2.10")).await;
    r.problem(429, "otp.rate_limited");
    assert_eq!(retry_after(&r), 1);
    // The first code of the new window leaves it ten minutes after it was sent.
    app.set_clock("2026-12-08T09:10:00Z").await;
    app.call(send(&token, "192.0.2.10")).await.expect(201);
}
