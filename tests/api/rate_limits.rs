//! Rate limits by the app clock: logins per account and client address (counted in the
//! database), unauthenticated searches per address (counted in the process). 429 `request.rate_limited` with
//! `Retry-After` inside the window, and the window resets when it ends.

use actix_web::test::TestRequest;
use kapi_api::config::RateLimit;
use kapi_tests::{json, spawn_configured, Backend};

const AYSE: &str = "10000000146";

fn staff_login(ip: &str, user: &str, password: &str) -> TestRequest {
    TestRequest::post()
        .uri("/api/v1/auth/staff/login")
        .peer_addr(format!("{ip}:50000").parse().unwrap())
        .set_json(json!({"username": user, "password": password}))
}

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
    logins_are_limited_per_account_and_address => logins_are_limited_per_account_and_address,
    the_forwarded_address_counts_only_behind_a_trusted_proxy => the_forwarded_address_counts_only_behind_a_trusted_proxy,
    public_searches_are_limited_per_address => public_searches_are_limited_per_address,
}

async fn logins_are_limited_per_account_and_address(backend: Backend) {
    let Some(app) = spawn_configured(backend, |c| c.rate_limit_login = RateLimit::new(3, 60)).await
    else {
        return;
    };
    app.set_clock("2026-12-03T10:00:00Z").await;
    // Three attempts in the window, right or wrong, pass; the fourth is refused.
    app.call(staff_login("198.51.100.7", "admin", "Kapi2026"))
        .await
        .expect(200);
    app.call(staff_login("198.51.100.7", "admin", "wrong"))
        .await
        .problem(401, "auth.invalid_credentials");
    app.call(staff_login("198.51.100.7", "ADMIN", "Kapi2026"))
        .await
        .expect(200);
    let r = app
        .call(staff_login("198.51.100.7", "admin", "Kapi2026"))
        .await;
    r.problem(429, "request.rate_limited");
    assert_eq!(r.header("retry-after").as_deref(), Some("60"));
    // One second before the window ends: still refused, one second to wait.
    app.set_clock("2026-12-03T10:00:59Z").await;
    let r = app
        .call(staff_login("198.51.100.7", "admin", "Kapi2026"))
        .await;
    r.problem(429, "request.rate_limited");
    assert_eq!(r.header("retry-after").as_deref(), Some("1"));
    // Other accounts from this address and this account from elsewhere are not affected.
    app.call(staff_login("198.51.100.7", "kurum.ik", "Kapi2026"))
        .await
        .expect(200);
    app.call(staff_login("198.51.100.8", "admin", "Kapi2026"))
        .await
        .expect(200);
    // When the window ends a new one starts.
    app.set_clock("2026-12-03T10:01:00Z").await;
    app.call(staff_login("198.51.100.7", "admin", "Kapi2026"))
        .await
        .expect(200);
    app.call(staff_login("198.51.100.7", "admin", "Kapi2026"))
        .await
        .expect(200);
    app.call(staff_login("198.51.100.7", "admin", "Kapi2026"))
        .await
        .expect(200);
    let r = app
        .call(staff_login("198.51.100.7", "admin", "Kapi2026"))
        .await;
    r.problem(429, "request.rate_limited");
    assert_eq!(r.header("retry-after").as_deref(), Some("60"));

    // The e-Devlet login and the employer logins count per TCKN the same way.
    let citizen = |ip: &str| {
        TestRequest::post()
            .uri("/api/v1/auth/e-devlet/login")
            .peer_addr(format!("{ip}:50000").parse().unwrap())
            .set_json(json!({"tckn": AYSE, "password": "nope"}))
    };
    for _ in 0..3 {
        app.call(citizen("203.0.113.5"))
            .await
            .problem(401, "auth.invalid_credentials");
    }
    let r = app.call(citizen("203.0.113.5")).await;
    r.problem(429, "request.rate_limited");
    assert_eq!(r.header("retry-after").as_deref(), Some("60"));
    let employer = TestRequest::post()
        .uri("/api/v1/auth/employer/login")
        .peer_addr("203.0.113.6:50000".parse().unwrap())
        .set_json(json!({"tckn": AYSE, "password": "nope"}));
    assert_eq!(app.call(employer).await.status, 401);
    // The password reset by secret question shares the account's budget: no guessing the
    // answer from one address either.
    let reset = || {
        TestRequest::post()
            .uri("/api/v1/auth/employer/password-reset")
            .peer_addr("203.0.113.6:50000".parse().unwrap())
            .set_json(
                json!({"tckn": AYSE, "mobile": "5321234567", "secret_answer": "guess",
                "new_password": "Yeni2026x", "new_password_repeat": "Yeni2026x"}),
            )
    };
    assert_eq!(app.call(reset()).await.status, 401);
    assert_eq!(app.call(reset()).await.status, 401);
    let r = app.call(reset()).await;
    r.problem(429, "request.rate_limited");
    assert!(r.header("retry-after").is_some());
}

async fn the_forwarded_address_counts_only_behind_a_trusted_proxy(backend: Backend) {
    let forwarded = |xff: &str| {
        staff_login("10.0.0.1", "admin", "Kapi2026")
            .insert_header(("X-Forwarded-For", xff.to_owned()))
    };
    // Not trusted: every request comes from the proxy's address, whatever it claims.
    let Some(app) = spawn_configured(backend, |c| c.rate_limit_login = RateLimit::new(2, 60)).await
    else {
        return;
    };
    app.call(forwarded("192.0.2.1")).await.expect(200);
    app.call(forwarded("192.0.2.2")).await.expect(200);
    app.call(forwarded("192.0.2.3"))
        .await
        .problem(429, "request.rate_limited");
    drop(app);
    // Trusted: the first entry is the client.
    let Some(app) = spawn_configured(backend, |c| {
        c.rate_limit_login = RateLimit::new(2, 60);
        c.trust_forwarded_for = true;
    })
    .await
    else {
        return;
    };
    app.call(forwarded("192.0.2.1, 10.0.0.9")).await.expect(200);
    app.call(forwarded("192.0.2.1")).await.expect(200);
    app.call(forwarded("192.0.2.1"))
        .await
        .problem(429, "request.rate_limited");
    app.call(forwarded("192.0.2.2")).await.expect(200);
}

async fn public_searches_are_limited_per_address(backend: Backend) {
    let Some(app) =
        spawn_configured(backend, |c| c.rate_limit_search = RateLimit::new(3, 30)).await
    else {
        return;
    };
    app.set_clock("2026-12-03T10:00:00Z").await;
    let search = |uri: &str| {
        TestRequest::get()
            .uri(uri)
            .peer_addr("192.0.2.50:1234".parse().unwrap())
    };
    // One budget for every unauthenticated search from an address.
    app.call(search("/api/v1/reference/occupations?q=yaz"))
        .await
        .expect(200);
    app.call(search("/api/v1/postings")).await.expect(200);
    app.call(search("/api/v1/open-jobs?mode=keyword&q=forklift"))
        .await
        .expect(200);
    for uri in [
        "/api/v1/reference/occupations?q=yaz",
        "/api/v1/postings",
        "/api/v1/open-jobs?mode=keyword&q=forklift",
        "/api/v1/reference/detsis-units?q=milli",
        "/api/v1/reference/institutions",
        "/api/v1/reference/sectors",
        "/api/v1/reference/districts/6007/neighbourhoods",
    ] {
        let r = app.call(search(uri)).await;
        r.problem(429, "request.rate_limited");
        assert_eq!(r.header("retry-after").as_deref(), Some("30"), "{uri}");
    }
    // Another address, and a logged-in caller from this one, are not counted here.
    app.call(
        TestRequest::get()
            .uri("/api/v1/postings")
            .peer_addr("192.0.2.51:1234".parse().unwrap()),
    )
    .await
    .expect(200);
    let token = app.citizen_token(AYSE).await;
    let r = app
        .call(
            search("/api/v1/reference/occupations?q=yaz")
                .insert_header(("Authorization", format!("Bearer {token}"))),
        )
        .await;
    r.expect(200);
    // Code lists that are not searches are never limited.
    app.call(search("/api/v1/reference/provinces"))
        .await
        .expect(200);
    app.set_clock("2026-12-03T10:00:29Z").await;
    let r = app.call(search("/api/v1/postings")).await;
    r.problem(429, "request.rate_limited");
    assert_eq!(r.header("retry-after").as_deref(), Some("1"));
    app.set_clock("2026-12-03T10:00:30Z").await;
    app.call(search("/api/v1/postings")).await.expect(200);
}
