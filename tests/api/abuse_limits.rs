//! Limits that protect citizens from abuse (issue 19, items 9 and 14): the one-time-code
//! window judged by the app clock, failed logins per client address across accounts,
//! one-time codes per caller and per address across numbers, and wrong identity-check
//! answers per TCKN and per address. Each: under the limit works, the next is 429 with
//! `Retry-After`, and a new window by the clock works again.

use actix_web::test::TestRequest;
use kapi_api::config::{Config, RateLimit};
use kapi_tests::{json, spawn_configured, Backend};

const AYSE: &str = "10000000146"; // Ayşe Yılmaz; mother's maiden surname Kaya; 5321000001
const MEHMET: &str = "12345678950"; // Mehmet Demir; Aydın; 5321000002
const ZEYNEP: &str = "23456789060"; // Zeynep Şahin; Arslan; 5321000003
const IBRAHIM: &str = "34567890170";

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
    failed_logins_are_limited_per_address_across_accounts => failed_logins_are_limited_per_address_across_accounts,
    every_login_endpoint_counts_its_failures_per_address => every_login_endpoint_counts_its_failures_per_address,
    codes_are_limited_per_caller_across_numbers => codes_are_limited_per_caller_across_numbers,
    codes_are_limited_per_address_across_callers => codes_are_limited_per_address_across_callers,
    wrong_identity_answers_are_limited_per_tckn => wrong_identity_answers_are_limited_per_tckn,
    wrong_identity_answers_are_limited_per_address => wrong_identity_answers_are_limited_per_address,
    concurrent_guesses_cannot_pass_the_failure_limit => concurrent_guesses_cannot_pass_the_failure_limit,
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

fn staff_login(ip: &str, user: &str, password: &str) -> TestRequest {
    post(
        "/api/v1/auth/staff/login",
        ip,
        None,
        json!({"username": user, "password": password}),
    )
}

async fn failed_logins_are_limited_per_address_across_accounts(backend: Backend) {
    let Some(app) = spawn_configured(backend, |c| {
        c.rate_limit_login_address = RateLimit::new(3, 60)
    })
    .await
    else {
        return;
    };
    app.set_clock("2026-12-03T10:00:00Z").await;
    let ip = "198.51.100.20";
    // Successful logins are not failures: any number of them (within the per-account
    // limit) leaves the address's budget whole.
    for _ in 0..5 {
        app.call(staff_login(ip, "admin", "Kapi2026"))
            .await
            .expect(200);
    }
    // Password spraying: one try on each of three accounts, through three login doors.
    app.call(staff_login(ip, "kurum.ik", "Yanlis2026"))
        .await
        .problem(401, "auth.invalid_credentials");
    app.call(post(
        "/api/v1/auth/e-devlet/login",
        ip,
        None,
        json!({"tckn": AYSE, "password": "Yanlis2026"}),
    ))
    .await
    .problem(401, "auth.invalid_credentials");
    app.call(post(
        "/api/v1/auth/employer/login",
        ip,
        None,
        json!({"tckn": MEHMET, "password": "Yanlis2026"}),
    ))
    .await
    .problem(401, "auth.invalid_credentials");
    // The fourth account is not tried at all, even with its right password.
    let r = app
        .call(post(
            "/api/v1/auth/e-devlet/login",
            ip,
            None,
            json!({"tckn": ZEYNEP, "password": "Kapi2026"}),
        ))
        .await;
    r.problem(429, "request.rate_limited");
    assert_eq!(retry_after(&r), 60);
    let r = app.call(staff_login(ip, "admin", "Kapi2026")).await;
    r.problem(429, "request.rate_limited");
    // Another address is not affected.
    app.call(staff_login("198.51.100.21", "admin", "Kapi2026"))
        .await
        .expect(200);
    app.set_clock("2026-12-03T10:00:59Z").await;
    let r = app.call(staff_login(ip, "admin", "Kapi2026")).await;
    r.problem(429, "request.rate_limited");
    assert_eq!(retry_after(&r), 1);
    // A new window by the clock.
    app.set_clock("2026-12-03T10:01:00Z").await;
    app.call(staff_login(ip, "admin", "Kapi2026"))
        .await
        .expect(200);
    app.call(post(
        "/api/v1/auth/e-devlet/login",
        ip,
        None,
        json!({"tckn": ZEYNEP, "password": "Kapi2026"}),
    ))
    .await
    .expect(200);
}

async fn every_login_endpoint_counts_its_failures_per_address(backend: Backend) {
    let Some(app) = spawn_configured(backend, |c| {
        c.rate_limit_login_address = RateLimit::new(2, 60)
    })
    .await
    else {
        return;
    };
    app.set_clock("2026-12-03T10:00:00Z").await;
    let unknown_challenge = uuid::Uuid::now_v7().to_string();
    // (endpoint, a failing body, its answer) — each from its own address.
    let doors: Vec<(&str, serde_json::Value, u16)> = vec![
        (
            "/api/v1/auth/e-devlet/login",
            json!({"tckn": AYSE, "password": "Yanlis2026"}),
            401,
        ),
        (
            "/api/v1/auth/staff/login",
            json!({"username": "admin", "password": "Yanlis2026"}),
            401,
        ),
        (
            "/api/v1/auth/employer/login",
            json!({"tckn": MEHMET, "password": "Yanlis2026"}),
            401,
        ),
        (
            "/api/v1/auth/employer/secret-question",
            json!({"tckn": MEHMET, "mobile": "5329999999"}),
            401,
        ),
        (
            "/api/v1/auth/employer/password-reset",
            json!({"tckn": MEHMET, "mobile": "5329999999", "secret_answer": "tahmin",
                   "new_password": "Yeni2026x", "new_password_repeat": "Yeni2026x"}),
            401,
        ),
        (
            "/api/v1/auth/petition-officer/otp",
            json!({"tckn": IBRAHIM, "mobile": "5321000299"}),
            404,
        ),
        (
            "/api/v1/auth/petition-officer/login",
            json!({"challenge_id": unknown_challenge, "tckn": IBRAHIM, "code": "123456"}),
            404,
        ),
        (
            "/api/v1/auth/petition-citizen/verify",
            json!({"challenge_id": unknown_challenge, "tckn": AYSE, "code": "123456"}),
            404,
        ),
    ];
    for (i, (uri, body, status)) in doors.iter().enumerate() {
        let ip = format!("198.51.100.{}", 100 + i);
        for _ in 0..2 {
            let r = app.call(post(uri, &ip, None, body.clone())).await;
            assert_eq!(r.status, *status, "{uri}: {}", r.text);
        }
        let r = app.call(post(uri, &ip, None, body.clone())).await;
        r.problem(429, "request.rate_limited");
        assert_eq!(retry_after(&r), 60, "{uri}");
        // The address is refused at every other door too.
        let r = app.call(staff_login(&ip, "admin", "Kapi2026")).await;
        r.problem(429, "request.rate_limited");
    }
    app.set_clock("2026-12-03T10:01:00Z").await;
    for (i, (uri, body, status)) in doors.iter().enumerate() {
        let ip = format!("198.51.100.{}", 100 + i);
        let r = app.call(post(uri, &ip, None, body.clone())).await;
        assert_eq!(r.status, *status, "{uri} in a new window: {}", r.text);
    }
}

fn otp_to(token: &str, ip: &str, mobile: &str) -> TestRequest {
    post(
        "/api/v1/auth/otp",
        ip,
        Some(token),
        json!({"channel": "sms", "destination": mobile, "purpose": "contact_verification"}),
    )
}

/// How many messages a dev outbox answer lists.
fn sent_to(outbox: &kapi_tests::Resp) -> usize {
    outbox.expect(200);
    outbox.body.as_array().map_or(0, Vec::len)
}

async fn codes_are_limited_per_caller_across_numbers(backend: Backend) {
    let Some(app) = spawn_configured(backend, |c| {
        c.rate_limit_otp_caller = RateLimit::new(3, 600)
    })
    .await
    else {
        return;
    };
    app.set_clock("2026-12-03T10:00:00Z").await;
    let token = app.citizen_token(AYSE).await;
    for (i, mobile) in ["5321000101", "5321000102", "5321000103"]
        .iter()
        .enumerate()
    {
        // From different addresses: the caller is counted, wherever it calls from.
        app.call(otp_to(&token, &format!("192.0.2.{}", 20 + i), mobile))
            .await
            .expect(201);
    }
    let r = app.call(otp_to(&token, "192.0.2.30", "5321000104")).await;
    r.problem(429, "request.rate_limited");
    assert_eq!(retry_after(&r), 600);
    // The refused code was not sent.
    let outbox = app
        .get("/api/v1/dev/outbox?recipient=5321000104", None)
        .await;
    assert_eq!(sent_to(&outbox), 0);
    // Another caller is not affected.
    let other = app.citizen_token(MEHMET).await;
    app.call(otp_to(&other, "192.0.2.30", "5321000104"))
        .await
        .expect(201);
    app.set_clock("2026-12-03T10:09:59Z").await;
    let r = app.call(otp_to(&token, "192.0.2.30", "5321000105")).await;
    r.problem(429, "request.rate_limited");
    assert_eq!(retry_after(&r), 1);
    // A new window by the clock.
    app.set_clock("2026-12-03T10:10:00Z").await;
    app.call(otp_to(&token, "192.0.2.30", "5321000105"))
        .await
        .expect(201);
}

async fn codes_are_limited_per_address_across_callers(backend: Backend) {
    let Some(app) = spawn_configured(backend, |c| {
        c.rate_limit_otp_address = RateLimit::new(3, 600)
    })
    .await
    else {
        return;
    };
    app.set_clock("2026-12-03T10:00:00Z").await;
    let ip = "192.0.2.40";
    let ayse = app.citizen_token(AYSE).await;
    let mehmet = app.citizen_token(MEHMET).await;
    let admin = app.staff_token("admin").await;
    app.call(otp_to(&ayse, ip, "5321000201")).await.expect(201);
    app.call(otp_to(&mehmet, ip, "5321000202"))
        .await
        .expect(201);
    // An anonymous flow from the same address counts too: the citizen's identity check.
    app.call(post(
        "/api/v1/auth/petition-citizen/identity-check",
        ip,
        None,
        json!({"tckn": ZEYNEP, "first_name": "Zeynep", "last_name": "Şahin",
               "mother_maiden_first_letter": "A", "mother_maiden_last_letter": "N",
               "mobile": "5321000003"}),
    ))
    .await
    .expect(201);
    let r = app.call(otp_to(&admin, ip, "5321000204")).await;
    r.problem(429, "request.rate_limited");
    assert_eq!(retry_after(&r), 600);
    let outbox = app
        .get("/api/v1/dev/outbox?recipient=5321000204", None)
        .await;
    assert_eq!(sent_to(&outbox), 0);
    // Another address is not affected.
    app.call(otp_to(&admin, "192.0.2.41", "5321000204"))
        .await
        .expect(201);
    app.set_clock("2026-12-03T10:10:00Z").await;
    app.call(otp_to(&admin, ip, "5321000205")).await.expect(201);
}

fn identity_check(
    ip: &str,
    tckn: &str,
    first: &str,
    last: &str,
    mother: (&str, &str),
    mobile: &str,
) -> TestRequest {
    post(
        "/api/v1/auth/petition-citizen/identity-check",
        ip,
        None,
        json!({"tckn": tckn, "first_name": first, "last_name": last,
               "mother_maiden_first_letter": mother.0, "mother_maiden_last_letter": mother.1,
               "mobile": mobile}),
    )
}

fn ayse_guess(ip: &str, last_letter: &str) -> TestRequest {
    identity_check(ip, AYSE, "Ayşe", "Yılmaz", ("K", last_letter), "5321000001")
}

async fn wrong_identity_answers_are_limited_per_tckn(backend: Backend) {
    let Some(app) = spawn_configured(backend, |c| {
        c.rate_limit_identity_check = RateLimit::new(3, 3600)
    })
    .await
    else {
        return;
    };
    app.set_clock("2026-12-03T10:00:00Z").await;
    // A right answer is not a failure.
    app.call(ayse_guess("192.0.2.60", "A")).await.expect(201);
    // Three wrong guesses at the mother's maiden surname, each from its own address.
    for (i, letter) in ["B", "C", "D"].iter().enumerate() {
        app.call(ayse_guess(&format!("192.0.2.{}", 61 + i), letter))
            .await
            .problem(422, "petition.identity_mismatch");
    }
    // The right answer after them is refused: no more guesses for this TCKN.
    let r = app.call(ayse_guess("192.0.2.70", "A")).await;
    r.problem(429, "request.rate_limited");
    assert_eq!(retry_after(&r), 3600);
    // The petition query by this TCKN is refused too.
    let r = app
        .call(post(
            "/api/v1/auth/petition-citizen/query",
            "192.0.2.70",
            None,
            json!({"tracking_no": 999_999, "tckn": AYSE}),
        ))
        .await;
    r.problem(429, "request.rate_limited");
    // Another TCKN from the same addresses is not affected.
    app.call(identity_check(
        "192.0.2.61",
        MEHMET,
        "Mehmet",
        "Demir",
        ("A", "N"),
        "5321000002",
    ))
    .await
    .expect(201);
    app.set_clock("2026-12-03T10:59:59Z").await;
    let r = app.call(ayse_guess("192.0.2.70", "A")).await;
    r.problem(429, "request.rate_limited");
    assert_eq!(retry_after(&r), 1);
    app.set_clock("2026-12-03T11:00:00Z").await;
    app.call(ayse_guess("192.0.2.70", "A")).await.expect(201);
}

async fn wrong_identity_answers_are_limited_per_address(backend: Backend) {
    let Some(app) = spawn_configured(backend, |c| {
        c.rate_limit_identity_check_address = RateLimit::new(3, 3600)
    })
    .await
    else {
        return;
    };
    app.set_clock("2026-12-03T10:00:00Z").await;
    let ip = "192.0.2.80";
    app.call(ayse_guess(ip, "A")).await.expect(201);
    // One guess at each of three TCKNs, and a petition query that names no petition.
    app.call(ayse_guess(ip, "B"))
        .await
        .problem(422, "petition.identity_mismatch");
    app.call(identity_check(
        ip,
        MEHMET,
        "Mehmet",
        "Demir",
        ("K", "A"),
        "5321000002",
    ))
    .await
    .problem(422, "petition.identity_mismatch");
    app.call(post(
        "/api/v1/auth/petition-citizen/query",
        ip,
        None,
        json!({"tracking_no": 999_999, "tckn": ZEYNEP}),
    ))
    .await
    .problem(404, "petition.not_found");
    // The next, even a right one for another TCKN, is refused.
    let r = app
        .call(identity_check(
            ip,
            MEHMET,
            "Mehmet",
            "Demir",
            ("A", "N"),
            "5321000002",
        ))
        .await;
    r.problem(429, "request.rate_limited");
    assert_eq!(retry_after(&r), 3600);
    // Another address is not affected.
    app.call(identity_check(
        "192.0.2.81",
        MEHMET,
        "Mehmet",
        "Demir",
        ("A", "N"),
        "5321000002",
    ))
    .await
    .expect(201);
    app.set_clock("2026-12-03T11:00:00Z").await;
    app.call(identity_check(
        ip,
        ZEYNEP,
        "Zeynep",
        "Şahin",
        ("A", "N"),
        "5321000003",
    ))
    .await
    .expect(201);
}

async fn concurrent_guesses_cannot_pass_the_failure_limit(backend: Backend) {
    let Some(app) = spawn_configured(backend, |c| {
        c.rate_limit_identity_check = RateLimit::new(3, 3600);
        c.rate_limit_login_address = RateLimit::new(3, 900);
    })
    .await
    else {
        return;
    };
    // The running clock, not a fixed one: requests that read it in one order and take the
    // counter's lock in another must still share one window.
    // Eight wrong identity answers at once: a failure is counted before it is judged, so
    // exactly three are judged and the rest refused.
    let guesses = ["B", "C", "D", "E", "F", "G", "H", "I"];
    let answers = kapi_tests::join_all(
        guesses
            .iter()
            .enumerate()
            .map(|(i, l)| app.call(ayse_guess(&format!("192.0.2.{}", 90 + i), l)))
            .collect(),
    )
    .await;
    let mut statuses: Vec<u16> = answers.iter().map(|r| r.status).collect();
    statuses.sort();
    assert_eq!(statuses, vec![422, 422, 422, 429, 429, 429, 429, 429]);
    // Eight password guesses on eight accounts from one address at once.
    let accounts = [
        "admin",
        "kurum.ik",
        "ankara.valilik",
        "istanbul.valilik",
        "a",
        "b",
        "c",
        "d",
    ];
    let answers = kapi_tests::join_all(
        accounts
            .iter()
            .map(|u| app.call(staff_login("198.51.100.60", u, "Yanlis2026")))
            .collect(),
    )
    .await;
    let mut statuses: Vec<u16> = answers.iter().map(|r| r.status).collect();
    statuses.sort();
    assert_eq!(statuses, vec![401, 401, 401, 429, 429, 429, 429, 429]);
}
