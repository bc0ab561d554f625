//! Access tokens: HS256 JWTs carrying the [`Actor`], checked against the app clock.

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use kapi_core::{Actor, DomainError};
use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

/// Clock skew tolerated on `nbf`.
const LEEWAY: Duration = Duration::seconds(60);

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

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    ttl: Duration,
}

/// A freshly issued token.
pub struct IssuedToken {
    pub token: String,
    pub expires_at: OffsetDateTime,
    pub expires_in: i64,
}

impl JwtKeys {
    pub fn new(secret: &str, ttl_seconds: u64) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            ttl: Duration::seconds(ttl_seconds as i64),
        }
    }

    pub fn issue(&self, actor: &Actor, now: OffsetDateTime) -> Result<IssuedToken, DomainError> {
        let exp = now + self.ttl;
        let claims = Claims {
            sub: actor.audit_label(),
            iat: now.unix_timestamp(),
            nbf: now.unix_timestamp(),
            exp: exp.unix_timestamp(),
            jti: uuid::Uuid::now_v7().to_string(),
            actor: actor.clone(),
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| DomainError::internal(format!("token signing failed: {e}")))?;
        Ok(IssuedToken {
            token,
            expires_at: exp,
            expires_in: self.ttl.whole_seconds(),
        })
    }

    /// Verifies signature and algorithm (HS256 only), then `exp`/`nbf` against `now`.
    pub fn verify(&self, token: &str, now: OffsetDateTime) -> Result<Actor, DomainError> {
        let mut validation = Validation::new(Algorithm::HS256);
        // Time is checked below against the app clock, not the system clock.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.set_required_spec_claims(&["exp", "nbf", "iat", "sub"]);
        let data = decode::<Claims>(token, &self.decoding, &validation).map_err(|_| {
            DomainError::unauthenticated("auth.invalid_token", "The access token is invalid.")
        })?;
        let c = data.claims;
        let t = now.unix_timestamp();
        if t >= c.exp {
            return Err(DomainError::unauthenticated(
                "auth.token_expired",
                "The access token has expired; log in again.",
            ));
        }
        if t + LEEWAY.whole_seconds() < c.nbf {
            return Err(DomainError::unauthenticated(
                "auth.invalid_token",
                "The access token is not valid yet.",
            ));
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
}
