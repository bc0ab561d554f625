//! Access tokens: HS256 JWTs carrying the [`Actor`], checked against the app clock.
//!
//! The algorithm is pinned (HS256 only: `none` and every other algorithm are refused before
//! any key is tried). Keys rotate: every token names its key in the `kid` header, the key
//! set verifies with the key it names, and new tokens are signed with the active key. A
//! token without `kid` (issued before key ids) is checked with the key `default`.

use jsonwebtoken::{
    decode, decode_header, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation,
};
use kapi_core::{Actor, DomainError};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use time::{Duration, OffsetDateTime};

/// Clock skew tolerated on `nbf`.
const LEEWAY: Duration = Duration::seconds(60);

/// The key id of the single-secret configuration (`KAPI_JWT_SECRET`).
pub const DEFAULT_KID: &str = "default";

/// Shortest accepted secret (HS256 wants at least the hash size).
pub const MIN_SECRET_BYTES: usize = 32;

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    /// The actor's audit label (never a full identity number).
    sub: String,
    iat: i64,
    nbf: i64,
    exp: i64,
    jti: String,
    actor: Actor,
}

struct Key {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

/// The signing keys by key id, the active one, and the token lifetime.
pub struct JwtKeys {
    keys: HashMap<String, Key>,
    active: String,
    ttl: Duration,
}

/// Lists the key ids and the active one; never a secret.
impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut kids: Vec<&String> = self.keys.keys().collect();
        kids.sort();
        f.debug_struct("JwtKeys")
            .field("kids", &kids)
            .field("active", &self.active)
            .field("ttl", &self.ttl)
            .finish()
    }
}

/// A freshly issued token.
pub struct IssuedToken {
    pub token: String,
    pub expires_at: OffsetDateTime,
    pub expires_in: i64,
}

fn invalid(message: &str) -> DomainError {
    DomainError::unauthenticated("auth.invalid_token", message.to_owned())
}

fn valid_kid(kid: &str) -> bool {
    !kid.is_empty()
        && kid.len() <= 64
        && kid
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

impl JwtKeys {
    /// One secret, key id `default`.
    pub fn new(secret: &str, ttl_seconds: u64) -> Self {
        let mut keys = HashMap::new();
        keys.insert(
            DEFAULT_KID.to_owned(),
            Key {
                encoding: EncodingKey::from_secret(secret.as_bytes()),
                decoding: DecodingKey::from_secret(secret.as_bytes()),
            },
        );
        Self {
            keys,
            active: DEFAULT_KID.to_owned(),
            ttl: Duration::seconds(ttl_seconds as i64),
        }
    }

    /// A key set of `(kid, secret)` pairs signing with `active`; errors say what is wrong
    /// with the configuration.
    pub fn from_keys(
        pairs: &[(String, String)],
        active: &str,
        ttl_seconds: u64,
    ) -> Result<Self, String> {
        let mut keys = HashMap::new();
        for (kid, secret) in pairs {
            if !valid_kid(kid) {
                return Err(format!(
                    "JWT key id `{kid}`: use 1–64 letters, digits, `.`, `_` or `-`"
                ));
            }
            if secret.len() < MIN_SECRET_BYTES {
                return Err(format!(
                    "JWT key `{kid}`: the secret must be at least {MIN_SECRET_BYTES} bytes long"
                ));
            }
            let key = Key {
                encoding: EncodingKey::from_secret(secret.as_bytes()),
                decoding: DecodingKey::from_secret(secret.as_bytes()),
            };
            if keys.insert(kid.clone(), key).is_some() {
                return Err(format!("JWT key id `{kid}` is given twice"));
            }
        }
        if !keys.contains_key(active) {
            return Err(format!(
                "KAPI_JWT_ACTIVE_KID `{active}` is not one of the configured key ids"
            ));
        }
        Ok(Self {
            keys,
            active: active.to_owned(),
            ttl: Duration::seconds(ttl_seconds as i64),
        })
    }

    /// The key id new tokens carry.
    pub fn active_kid(&self) -> &str {
        &self.active
    }

    pub fn issue(&self, actor: &Actor, now: OffsetDateTime) -> Result<IssuedToken, DomainError> {
        let key = self
            .keys
            .get(&self.active)
            .ok_or_else(|| DomainError::internal("the active JWT key is missing"))?;
        let exp = now + self.ttl;
        let claims = Claims {
            sub: actor.audit_label(),
            iat: now.unix_timestamp(),
            nbf: now.unix_timestamp(),
            exp: exp.unix_timestamp(),
            jti: uuid::Uuid::now_v7().to_string(),
            actor: actor.clone(),
        };
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(self.active.clone());
        let token = encode(&header, &claims, &key.encoding)
            .map_err(|e| DomainError::internal(format!("token signing failed: {e}")))?;
        Ok(IssuedToken {
            token,
            expires_at: exp,
            expires_in: self.ttl.whole_seconds(),
        })
    }

    /// Verifies the algorithm (HS256 only), the key named by `kid` (unknown: refused) and
    /// the signature, then `exp`/`nbf` against `now` (the app clock).
    pub fn verify(&self, token: &str, now: OffsetDateTime) -> Result<Actor, DomainError> {
        let header = decode_header(token).map_err(|_| invalid("The access token is invalid."))?;
        if header.alg != Algorithm::HS256 {
            return Err(invalid("The access token's algorithm is not accepted."));
        }
        let kid = header.kid.as_deref().unwrap_or(DEFAULT_KID);
        let key = self
            .keys
            .get(kid)
            .ok_or_else(|| invalid("The access token was signed with an unknown key."))?;
        let mut validation = Validation::new(Algorithm::HS256);
        // Time is checked below against the app clock, not the system clock.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.set_required_spec_claims(&["exp", "nbf", "iat", "sub"]);
        let data = decode::<Claims>(token, &key.decoding, &validation)
            .map_err(|_| invalid("The access token is invalid."))?;
        let c = data.claims;
        let t = now.unix_timestamp();
        if t >= c.exp {
            return Err(DomainError::unauthenticated(
                "auth.token_expired",
                "The access token has expired; log in again.",
            ));
        }
        if t + LEEWAY.whole_seconds() < c.nbf || t + LEEWAY.whole_seconds() < c.iat {
            return Err(invalid("The access token is not valid yet."));
        }
        Ok(c.actor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kapi_core::{StaffAccountId, Tckn};
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-23 10:00 UTC);

    #[test]
    fn issue_and_verify() {
        let k = JwtKeys::new("0123456789abcdef0123456789abcdef", 600);
        let actor = Actor::Citizen {
            tckn: Tckn::parse("10000000146").unwrap(),
        };
        let t = k.issue(&actor, NOW).unwrap();
        assert_eq!(k.verify(&t.token, NOW).unwrap(), actor);
        assert_eq!(
            k.verify(&t.token, NOW + Duration::seconds(599)).unwrap(),
            actor
        );
        assert_eq!(
            k.verify(&t.token, NOW + Duration::seconds(600))
                .unwrap_err()
                .code,
            "auth.token_expired"
        );
        assert_eq!(
            k.verify(&t.token, NOW - Duration::minutes(5))
                .unwrap_err()
                .code,
            "auth.invalid_token"
        );
    }

    #[test]
    fn refuses_other_keys_tampering_and_none_alg() {
        let k = JwtKeys::new("0123456789abcdef0123456789abcdef", 600);
        let other = JwtKeys::new("fedcba9876543210fedcba9876543210", 600);
        let actor = Actor::SystemAdmin {
            account_id: StaffAccountId::new(),
        };
        let t = other.issue(&actor, NOW).unwrap().token;
        assert_eq!(k.verify(&t, NOW).unwrap_err().code, "auth.invalid_token");
        let good = k.issue(&actor, NOW).unwrap().token;
        let mut parts: Vec<&str> = good.split('.').collect();
        let forged_payload = "eyJzdWIiOiJ4IiwiaWF0IjoxLCJuYmYiOjEsImV4cCI6OTk5OTk5OTk5OSwianRpIjoieCIsImFjdG9yIjp7ImtpbmQiOiJzeXN0ZW1fYWRtaW4iLCJhY2NvdW50X2lkIjoiMDE5MzAwMDAtMDAwMC03MDAwLTgwMDAtMDAwMDAwMDAwMDAwIn19";
        parts[1] = forged_payload;
        assert_eq!(
            k.verify(&parts.join("."), NOW).unwrap_err().code,
            "auth.invalid_token"
        );
        // alg=none with no signature
        let none = format!("eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{forged_payload}.");
        assert_eq!(k.verify(&none, NOW).unwrap_err().code, "auth.invalid_token");
        assert_eq!(
            k.verify("garbage", NOW).unwrap_err().code,
            "auth.invalid_token"
        );
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, s)| (k.to_string(), s.to_string()))
            .collect()
    }

    const OLD: &str = "old-secret-old-secret-old-secret-0000";
    const NEW: &str = "new-secret-new-secret-new-secret-0000";

    #[test]
    fn tokens_name_their_key_and_rotation_keeps_old_tokens_while_listed() {
        let actor = Actor::Citizen {
            tckn: Tckn::parse("10000000146").unwrap(),
        };
        let before = JwtKeys::from_keys(&pairs(&[("k1", OLD)]), "k1", 600).unwrap();
        let old_token = before.issue(&actor, NOW).unwrap().token;
        assert_eq!(
            decode_header(&old_token).unwrap().kid.as_deref(),
            Some("k1")
        );
        let during = JwtKeys::from_keys(&pairs(&[("k1", OLD), ("k2", NEW)]), "k2", 600).unwrap();
        assert_eq!(during.verify(&old_token, NOW).unwrap(), actor);
        let new_token = during.issue(&actor, NOW).unwrap().token;
        assert_eq!(
            decode_header(&new_token).unwrap().kid.as_deref(),
            Some("k2")
        );
        let after = JwtKeys::from_keys(&pairs(&[("k2", NEW)]), "k2", 600).unwrap();
        assert_eq!(after.verify(&new_token, NOW).unwrap(), actor);
        assert_eq!(
            after.verify(&old_token, NOW).unwrap_err().code,
            "auth.invalid_token"
        );
    }

    #[test]
    fn a_kid_naming_another_key_or_none_is_refused() {
        let actor = Actor::SystemAdmin {
            account_id: StaffAccountId::new(),
        };
        let keys = JwtKeys::from_keys(&pairs(&[("k1", OLD), ("k2", NEW)]), "k2", 600).unwrap();
        // Signed with k1's secret but claiming k2: the signature does not verify.
        let claims = Claims {
            sub: "x".into(),
            iat: NOW.unix_timestamp(),
            nbf: NOW.unix_timestamp(),
            exp: NOW.unix_timestamp() + 60,
            jti: "x".into(),
            actor: actor.clone(),
        };
        let mut h = Header::new(Algorithm::HS256);
        h.kid = Some("k2".into());
        let lying = encode(&h, &claims, &EncodingKey::from_secret(OLD.as_bytes())).unwrap();
        assert_eq!(
            keys.verify(&lying, NOW).unwrap_err().code,
            "auth.invalid_token"
        );
        // No kid: checked with `default`, which this set does not have.
        let plain = encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(OLD.as_bytes()),
        )
        .unwrap();
        assert_eq!(
            keys.verify(&plain, NOW).unwrap_err().code,
            "auth.invalid_token"
        );
        // With `default` in the set, a token from before key ids still works.
        let single = JwtKeys::new(OLD, 600);
        assert_eq!(single.verify(&plain, NOW).unwrap(), actor);
        // Another HMAC algorithm with the right secret is still refused (pinned to HS256).
        let mut h384 = Header::new(Algorithm::HS384);
        h384.kid = Some("k1".into());
        let other_alg = encode(&h384, &claims, &EncodingKey::from_secret(OLD.as_bytes())).unwrap();
        assert_eq!(
            keys.verify(&other_alg, NOW).unwrap_err().code,
            "auth.invalid_token"
        );
    }

    #[test]
    fn key_set_configuration_errors() {
        assert!(JwtKeys::from_keys(&pairs(&[("k1", "short")]), "k1", 600)
            .unwrap_err()
            .contains("32 bytes"));
        assert!(JwtKeys::from_keys(&pairs(&[("k1", OLD)]), "k9", 600)
            .unwrap_err()
            .contains("k9"));
        assert!(JwtKeys::from_keys(&pairs(&[("k 1", OLD)]), "k 1", 600)
            .unwrap_err()
            .contains("key id"));
        assert!(
            JwtKeys::from_keys(&pairs(&[("k1", OLD), ("k1", NEW)]), "k1", 600)
                .unwrap_err()
                .contains("twice")
        );
    }
}
