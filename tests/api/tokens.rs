//! Access tokens over HTTP: the algorithm is pinned to HS256, tokens name their key (`kid`),
//! keys rotate (old tokens keep working while their key is listed), and `exp`/`nbf` are
//! checked against the app clock.

use jsonwebtoken::{decode_header, encode, Algorithm, EncodingKey, Header};
use kapi_api::jwt::JwtKeys;
use kapi_core::{Actor, Tckn};
use kapi_tests::{spawn_configured, Backend};
use serde_json::json;
use time::{Duration, OffsetDateTime};

const AYSE: &str = "10000000146";
const OLD: &str = "rotation-old-secret-rotation-old-secret-01";
const NEW: &str = "rotation-new-secret-rotation-new-secret-02";

fn citizen() -> Actor {
    Actor::Citizen {
        tckn: Tckn::parse(AYSE).unwrap(),
    }
}

fn keys(pairs: &[(&str, &str)], active: &str) -> JwtKeys {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, s)| (k.to_string(), s.to_string()))
        .collect();
    JwtKeys::from_keys(&pairs, active, 3600).unwrap()
}

fn b64(bytes: &[u8]) -> String {
    // base64url without padding, enough for a forged header and payload.
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..=chunk.len() {
            out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[actix_web::test]
            async fn sqlite() { super::$name(super::Backend::Sqlite).await }
            #[actix_web::test]
            async fn postgres() { super::$name(super::Backend::Postgres).await }
        }
    )*};
}

on_both! {
    tokens_carry_the_active_kid_and_rotation_keeps_old_tokens_while_listed,
    forged_algorithms_and_unknown_keys_are_401,
    expiry_and_not_before_follow_the_app_clock,
}

async fn tokens_carry_the_active_kid_and_rotation_keeps_old_tokens_while_listed(backend: Backend) {
    // Before the rotation: one key, k1.
    let before = keys(&[("k1", OLD)], "k1");
    let old_token = before
        .issue(&citizen(), OffsetDateTime::now_utc())
        .unwrap()
        .token;
    // During: k2 signs, k1 still verifies.
    let Some(app) = spawn_configured(backend, |c| {
        c.jwt_keys = Some(format!("k1:{OLD},k2:{NEW}"));
        c.jwt_active_kid = Some("k2".into());
    })
    .await
    else {
        return;
    };
    let r = app
        .post(
            "/api/v1/auth/e-devlet/login",
            None,
            json!({"tckn": AYSE, "password": "Kapi2026"}),
        )
        .await;
    r.expect(200);
    let new_token = r.body["access_token"].as_str().unwrap().to_owned();
    let header = decode_header(&new_token).unwrap();
    assert_eq!(header.kid.as_deref(), Some("k2"));
    assert_eq!(header.alg, Algorithm::HS256);
    app.get("/api/v1/auth/me", Some(&old_token))
        .await
        .expect(200);
    app.get("/api/v1/auth/me", Some(&new_token))
        .await
        .expect(200);
    drop(app);
    // After: k1 is retired; its tokens stop working, k2's keep working.
    let Some(app) = spawn_configured(backend, |c| {
        c.jwt_keys = Some(format!("k2:{NEW}"));
    })
    .await
    else {
        return;
    };
    app.get("/api/v1/auth/me", Some(&new_token))
        .await
        .expect(200);
    app.get("/api/v1/auth/me", Some(&old_token))
        .await
        .problem(401, "auth.invalid_token");
}

async fn forged_algorithms_and_unknown_keys_are_401(backend: Backend) {
    let Some(app) = spawn_configured(backend, |c| {
        c.jwt_keys = Some(format!("k1:{OLD},k2:{NEW}"));
        c.jwt_active_kid = Some("k2".into());
    })
    .await
    else {
        return;
    };
    let now = app.state.clock.now().unix_timestamp();
    let claims = json!({
        "sub": "system_admin:x", "iat": now, "nbf": now, "exp": now + 600, "jti": "forged",
        "actor": {"kind": "system_admin", "account_id": "01930000-0000-7000-8000-000000000000"}
    });
    // alg none, no signature.
    for header in [
        json!({"alg": "none", "typ": "JWT"}),
        json!({"alg": "none", "typ": "JWT", "kid": "k2"}),
    ] {
        let forged = format!(
            "{}.{}.",
            b64(header.to_string().as_bytes()),
            b64(claims.to_string().as_bytes())
        );
        let r = app.get("/api/v1/auth/me", Some(&forged)).await;
        r.problem(401, "auth.invalid_token");
        app.post(
            "/api/v1/admin/sectors",
            Some(&forged),
            json!({"name": "Sahte"}),
        )
        .await
        .problem(401, "auth.invalid_token");
    }
    // Another HMAC algorithm with the right secret: refused (HS256 only).
    for alg in [Algorithm::HS384, Algorithm::HS512] {
        let mut h = Header::new(alg);
        h.kid = Some("k2".into());
        let t = encode(&h, &claims, &EncodingKey::from_secret(NEW.as_bytes())).unwrap();
        app.get("/api/v1/auth/me", Some(&t))
            .await
            .problem(401, "auth.invalid_token");
    }
    // A key id the server does not have, and a kid naming a key that did not sign it.
    let mut h = Header::new(Algorithm::HS256);
    h.kid = Some("k9".into());
    let unknown = encode(&h, &claims, &EncodingKey::from_secret(NEW.as_bytes())).unwrap();
    app.get("/api/v1/auth/me", Some(&unknown))
        .await
        .problem(401, "auth.invalid_token");
    h.kid = Some("k1".into());
    let lying = encode(&h, &claims, &EncodingKey::from_secret(NEW.as_bytes())).unwrap();
    app.get("/api/v1/auth/me", Some(&lying))
        .await
        .problem(401, "auth.invalid_token");
    // The genuine article works.
    h.kid = Some("k2".into());
    let citizen_claims = json!({
        "sub": "citizen:*********46", "iat": now, "nbf": now, "exp": now + 600, "jti": "real",
        "actor": {"kind": "citizen", "tckn": AYSE}
    });
    let real = encode(
        &h,
        &citizen_claims,
        &EncodingKey::from_secret(NEW.as_bytes()),
    )
    .unwrap();
    app.get("/api/v1/auth/me", Some(&real)).await.expect(200);
}

async fn expiry_and_not_before_follow_the_app_clock(backend: Backend) {
    let Some(app) = spawn_configured(backend, |_| {}).await else {
        return;
    };
    app.set_clock("2026-12-03T10:00:00Z").await;
    let now = app.state.clock.now();
    // Issued two hours ago (an hour's lifetime): expired.
    let expired = app
        .state
        .jwt
        .issue(&citizen(), now - Duration::hours(2))
        .unwrap()
        .token;
    app.get("/api/v1/auth/me", Some(&expired))
        .await
        .problem(401, "auth.token_expired");
    // Issued one second short of an hour ago: still good; at the hour: expired.
    let edge = app
        .state
        .jwt
        .issue(&citizen(), now - Duration::seconds(3599))
        .unwrap()
        .token;
    app.get("/api/v1/auth/me", Some(&edge)).await.expect(200);
    app.set_clock("2026-12-03T10:00:01Z").await;
    app.get("/api/v1/auth/me", Some(&edge))
        .await
        .problem(401, "auth.token_expired");
    // Not valid before: beyond the minute of tolerated skew it is refused.
    let now = app.state.clock.now();
    let future = app
        .state
        .jwt
        .issue(&citizen(), now + Duration::minutes(5))
        .unwrap()
        .token;
    app.get("/api/v1/auth/me", Some(&future))
        .await
        .problem(401, "auth.invalid_token");
    let skewed = app
        .state
        .jwt
        .issue(&citizen(), now + Duration::seconds(60))
        .unwrap()
        .token;
    app.get("/api/v1/auth/me", Some(&skewed)).await.expect(200);
    // The same future token is good once the clock reaches it.
    app.set_clock("2026-12-03T10:05:01Z").await;
    app.get("/api/v1/auth/me", Some(&future)).await.expect(200);
    assert_eq!(
        decode_header(&future).unwrap().kid.as_deref(),
        Some("default")
    );
}

#[test]
fn the_single_secret_configuration_is_key_default() {
    let mut config = kapi_api::config::Config::for_database(":memory:");
    config.jwt_secret = Some("s".repeat(32));
    assert_eq!(config.jwt_key_set().unwrap().active_kid(), "default");
    // Both forms together: the list plus `default`; with two keys the active one is named.
    config.jwt_keys = Some(format!("k2:{NEW}"));
    assert!(config
        .jwt_key_set()
        .unwrap_err()
        .contains("KAPI_JWT_ACTIVE_KID"));
    config.jwt_active_kid = Some("k2".into());
    assert_eq!(config.jwt_key_set().unwrap().active_kid(), "k2");
    config.jwt_active_kid = Some("k3".into());
    assert!(config.jwt_key_set().is_err());
    // prod without any key refuses to start.
    let mut prod = kapi_api::config::Config::for_database(":memory:");
    prod.profile = kapi_api::config::Profile::Prod;
    assert!(prod
        .jwt_key_set()
        .unwrap_err()
        .contains("KAPI_JWT_SECRET or KAPI_JWT_KEYS"));
    prod.jwt_keys = Some(format!("2026a:{OLD}"));
    assert_eq!(prod.jwt_key_set().unwrap().active_kid(), "2026a");
    prod.jwt_keys = Some("2026a:short".into());
    assert!(prod.jwt_key_set().unwrap_err().contains("32 bytes"));
    prod.jwt_keys = Some("no-colon".into());
    assert!(prod.jwt_key_set().is_err());
}
