//! No identity number, phone number or secret in the logs: every log line written while
//! requests carrying TCKNs and mobile numbers (in bodies, paths and query strings) are
//! served is captured, and none may contain one.
//!
//! Its own test binary: `log` allows one global logger per process, and this one keeps
//! every line (all levels, all crates).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use actix_web::http::Method;
use kapi_tests::{json, multipart, otp_code, pdf, spawn, Backend};
use std::sync::{Mutex, OnceLock};

struct Capture;

fn lines() -> &'static Mutex<Vec<String>> {
    static LINES: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    LINES.get_or_init(|| Mutex::new(Vec::new()))
}

impl log::Log for Capture {
    fn enabled(&self, _: &log::Metadata) -> bool {
        true
    }
    fn log(&self, record: &log::Record) {
        let line = format!("{} {} {}", record.level(), record.target(), record.args());
        lines().lock().unwrap().push(line);
    }
    fn flush(&self) {}
}

fn install() {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        log::set_boxed_logger(Box::new(Capture)).expect("the only logger of this binary");
        log::set_max_level(log::LevelFilter::Trace);
    });
}

const AYSE: &str = "10000000146";
const MEHMET: &str = "12345678950";
const ZEYNEP: &str = "23456789060";
const GULSEN: &str = "45678901280";
const TCKNS: [&str; 4] = [AYSE, MEHMET, ZEYNEP, GULSEN];
const MOBILES: [&str; 4] = ["5321000001", "5321000002", "5321234567", "5329998877"];
const PASSWORD: &str = "Kapi2026";

/// Numbers standing on their own in `line` (digit runs not inside a word such as a
/// UUID's hex group).
fn numbers(line: &str) -> Vec<String> {
    let chars: Vec<char> = line.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let in_word = (start > 0 && chars[start - 1].is_ascii_alphabetic())
            || chars.get(i).is_some_and(|c| c.is_ascii_alphabetic());
        if !in_word {
            out.push(chars[start..i].iter().collect());
        }
    }
    out
}

fn assert_clean(captured: &[String]) {
    for line in captured {
        for t in TCKNS {
            assert!(!line.contains(t), "a TCKN in the log: {line}");
        }
        // Mobiles as people write them: with spaces, dashes or brackets.
        let squeezed: String = line
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
            .collect();
        for m in MOBILES {
            assert!(!squeezed.contains(m), "a mobile number in the log: {line}");
        }
        assert!(!line.contains(PASSWORD), "a password in the log: {line}");
        assert!(!line.contains("eyJ"), "a token in the log: {line}");
        for n in numbers(line) {
            // Any identity-number-shaped (11 digits) or mobile-shaped (10 digits from 5) number.
            let identity_shaped = n.len() == 11 && !n.starts_with('0');
            let mobile_shaped = n.len() == 10 && n.starts_with('5');
            assert!(
                !identity_shaped,
                "an identity-number-shaped value in the log: {line}"
            );
            assert!(
                !mobile_shaped,
                "a mobile-number-shaped value in the log: {line}"
            );
        }
    }
}

/// Drives the flows that carry TCKNs and mobile numbers: logins, the employer membership
/// and its users (TCKN in the path), one-time codes (number in the query string), an Açık
/// Kapı identity check and petition, e-İzin employer registration and its users.
async fn drive(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    // Logins, right and wrong.
    let ayse = app.citizen_token(AYSE).await;
    app.post(
        "/api/v1/auth/e-devlet/login",
        None,
        json!({"tckn": MEHMET, "password": "wrong"}),
    )
    .await
    .expect(401);
    app.post(
        "/api/v1/auth/staff/login",
        None,
        json!({"username": "admin", "password": "wrong"}),
    )
    .await
    .expect(401);

    // İŞKUR employer membership; a user whose TCKN is in the path.
    let m = app.register_employer(AYSE, "123456789", 1).await;
    let employer = m["employer"]["id"].as_str().unwrap().to_owned();
    let admin = app.employer_token(AYSE, None).await;
    app.post(
        &format!("/api/v1/employers/{employer}/users"),
        Some(&admin),
        json!({"tckn": GULSEN, "permissions": {"labour_demand": true}}),
    )
    .await
    .expect(201);
    let r = app
        .send(
            Method::PATCH,
            &format!("/api/v1/employers/{employer}/users/{GULSEN}"),
            Some(&admin),
            Some(json!({"permissions": {"labour_demand": true, "reports": true}})),
        )
        .await;
    assert!(r.status < 500, "{}", r.text);
    app.send(
        Method::PATCH,
        &format!("/api/v1/employers/{employer}/users/{ZEYNEP}"),
        Some(&admin),
        Some(json!({"locked": true})),
    )
    .await;
    app.post(
        "/api/v1/auth/employer/secret-question",
        None,
        json!({"tckn": AYSE, "mobile": "5321234567"}),
    )
    .await
    .expect(200);
    app.post(
        "/api/v1/auth/employer/secret-question",
        None,
        json!({"tckn": AYSE, "mobile": "5329998877"}),
    )
    .await;

    // A one-time code to a mobile, read back by number.
    app.post("/api/v1/auth/otp", Some(&ayse), json!({"channel": "sms", "destination": "0532 100 00 01", "purpose": "contact_verification"})).await.expect(201);
    app.get("/api/v1/dev/outbox?recipient=5321000001", None)
        .await
        .expect(200);

    // Açık Kapı: the identity check with TCKN and mobile, and a petition with files.
    app.post("/api/v1/auth/petition-citizen/identity-check", None, json!({
        "tckn": AYSE, "first_name": "Ayşe", "last_name": "Yılmaz",
        "mother_maiden_first_letter": "K", "mother_maiden_last_letter": "A", "mobile": "5321000001"
    })).await.expect(201);
    let sector = app.get("/api/v1/reference/sectors", None).await.body["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let form = json!({
        "subject_address": {"province": 6, "district_code": 6007, "neighbourhood_code": 60070001, "open_address": "Cumhuriyet Cad. No:5"},
        "mobile": "0532 100 00 01", "email": "ayse@ornek.com.tr",
        "headings": [{"heading_code": "H01", "sub_heading_code": "H01.04"}],
        "education_level": "bachelor", "sector_id": sector,
        "subject": "Okulun bahçe duvarı yıkılmak üzere; onarılmasını talep ediyorum. TC 10000000146"
    });
    app.call(multipart(
        "/api/v1/petitions",
        &ayse,
        &form,
        &[("dilekce.pdf", pdf("dilekce"))],
    ))
    .await
    .expect(201);
    app.post(
        "/api/v1/auth/petition-citizen/query",
        None,
        json!({"tracking_no": 999999, "tckn": AYSE}),
    )
    .await;

    // e-İzin: contacts verified by code, a household registered, a user authorised by TCKN
    // and revoked by TCKN in the path.
    let mehmet = app.citizen_token(MEHMET).await;
    for (channel, dest, recipient) in [
        ("email", "mehmet@ornek.com.tr", "mehmet@ornek.com.tr"),
        ("sms", "05321000002", "5321000002"),
    ] {
        let r = app
            .post(
                "/api/v1/auth/otp",
                Some(&mehmet),
                json!({"channel": channel, "destination": dest, "purpose": "contact_verification"}),
            )
            .await;
        r.expect(201);
        let id = r.body["id"].as_str().unwrap().to_owned();
        let code = otp_code(
            &app.get(&format!("/api/v1/dev/outbox?recipient={recipient}"), None)
                .await,
        );
        app.post(
            &format!("/api/v1/auth/otp/{id}/verify"),
            Some(&mehmet),
            json!({"code": code}),
        )
        .await
        .expect(200);
    }
    let r = app.post("/api/v1/work-permit-employers", Some(&mehmet),
        json!({"kind": "household", "care_kind": "elderly_care", "email": "mehmet@ornek.com.tr", "mobile": "0532 100 00 02"})).await;
    r.expect(201);
    let wp = r.body["id"].as_str().unwrap().to_owned();
    app.post(
        &format!("/api/v1/work-permit-employers/{wp}/users"),
        Some(&mehmet),
        json!({"tckn": ZEYNEP}),
    )
    .await
    .expect(201);
    app.send(
        Method::DELETE,
        &format!("/api/v1/work-permit-employers/{wp}/users/{ZEYNEP}"),
        Some(&mehmet),
        None,
    )
    .await
    .expect(204);
    app.send(
        Method::DELETE,
        &format!("/api/v1/work-permit-employers/{wp}/users/{GULSEN}"),
        Some(&mehmet),
        None,
    )
    .await
    .expect(404);
    // A token in a malformed header, and an unknown route with a TCKN in it.
    app.get("/api/v1/auth/me", Some("eyJhbGciOiJub25lIn0.e30."))
        .await
        .expect(401);
    app.get(&format!("/api/v1/citizens/{AYSE}"), None)
        .await
        .expect(404);
}

fn check_after(backend: Backend) {
    let captured = lines().lock().unwrap().clone();
    assert!(
        captured.iter().any(|l| l.contains("/users/*********80")),
        "the access log was captured, with the TCKN in the path masked ({backend:?}): {captured:#?}"
    );
    assert_clean(&captured);
}

#[actix_web::test]
async fn no_identity_or_phone_number_in_the_logs_sqlite() {
    install();
    drive(Backend::Sqlite).await;
    check_after(Backend::Sqlite);
}

#[actix_web::test]
async fn no_identity_or_phone_number_in_the_logs_postgres() {
    install();
    if kapi_tests::postgres_admin_url().is_none() {
        return;
    }
    drive(Backend::Postgres).await;
    check_after(Backend::Postgres);
}

#[test]
fn the_detector_finds_what_it_must() {
    assert!(std::panic::catch_unwind(|| assert_clean(
        &["GET /api/v1/x/10000000146 -> 200".into()]
    ))
    .is_err());
    assert!(std::panic::catch_unwind(|| assert_clean(&["sent to 0532 100 00 01".into()])).is_err());
    assert!(std::panic::catch_unwind(|| assert_clean(&["sent to 5551234567".into()])).is_err());
    assert_clean(&["GET /api/v1/x/*********46 -> 200 in 3.2 ms".into()]);
}
