//! One-time codes (tek kullanımlık kod) sent by SMS or e-mail.
//!
//! Rules (ARCHITECTURE.md, HTTP contract): 6 digits; only a salted hash is stored; a code
//! expires 3 minutes after it is sent; at most 5 wrong tries, then the challenge is dead;
//! at most 3 codes per destination in 10 minutes (429 with `Retry-After`). A challenge
//! belongs to whoever asked for it: another caller gets 404. A used code cannot be reused.

use kapi_core::{DomainError, FieldError, NotificationId, OtpChallengeId};
use serde::Serialize;
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

/// How a code travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Sms,
    Email,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Email => "email",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "sms" => Some(Channel::Sms),
            "email" => Some(Channel::Email),
            _ => None,
        }
    }
}

/// What a code proves. Each flow that uses codes adds its purpose here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// The caller owns this mobile number or e-mail address (e-İzin profile, employer contacts).
    ContactVerification,
    /// Açık Kapı: a citizen whose registry details matched proves the mobile before submitting.
    PetitionSubmission,
    /// Açık Kapı: a citizen queries a petition by tracking number + TCKN.
    PetitionQuery,
    /// Açık Kapı: a desk officer (AKS) or unit officer (Yetkili) logs in with TCKN + mobile.
    PetitionOfficerLogin,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::ContactVerification => "contact_verification",
            Purpose::PetitionSubmission => "petition_submission",
            Purpose::PetitionQuery => "petition_query",
            Purpose::PetitionOfficerLogin => "petition_officer_login",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "contact_verification" => Some(Purpose::ContactVerification),
            "petition_submission" => Some(Purpose::PetitionSubmission),
            "petition_query" => Some(Purpose::PetitionQuery),
            "petition_officer_login" => Some(Purpose::PetitionOfficerLogin),
            _ => None,
        }
    }
}

/// The limits of the mechanism.
#[derive(Debug, Clone, Copy)]
pub struct OtpPolicy {
    pub ttl: Duration,
    pub max_attempts: u32,
    pub window: Duration,
    pub max_per_window: u32,
}

impl Default for OtpPolicy {
    fn default() -> Self {
        Self {
            ttl: Duration::minutes(3),
            max_attempts: 5,
            window: Duration::minutes(10),
            max_per_window: 3,
        }
    }
}

/// A six-digit code, as generated or as typed.
#[derive(Clone, PartialEq, Eq)]
pub struct OtpCode(String);

impl OtpCode {
    /// The code for a random number (any `u32`; reduced to six digits).
    pub fn from_random(n: u32) -> Self {
        Self(format!("{:06}", n % 1_000_000))
    }
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let s = s.trim();
        if s.len() != 6 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new(
                "code",
                "otp.code_format",
                "A one-time code is 6 digits.",
            ));
        }
        Ok(Self(s.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for OtpCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OtpCode(******)")
    }
}

/// A code sent and waiting to be typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtpChallenge {
    pub id: OtpChallengeId,
    pub channel: Channel,
    /// Normalised mobile number or e-mail address.
    pub destination: String,
    pub purpose: Purpose,
    /// Who asked for it (an actor's audit label, or a flow's subject such as a TCKN hash).
    pub subject: String,
    pub code_hash: String,
    pub attempts: u32,
    pub expires_at: OffsetDateTime,
    pub consumed_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
}

/// A message to deliver (SMS or e-mail) through the notification outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMessage {
    pub id: NotificationId,
    pub channel: Channel,
    pub recipient: String,
    pub body: String,
    pub created_at: OffsetDateTime,
}

/// Storage of challenges.
pub trait OtpStore {
    /// Serialises code issuing for one destination until the transaction ends, so two
    /// concurrent requests cannot both slip under the rate limit.
    fn lock_destination(&mut self, destination: &str) -> Result<(), DomainError>;
    fn insert_challenge(&mut self, c: &OtpChallenge) -> Result<(), DomainError>;
    fn get_challenge(&mut self, id: OtpChallengeId) -> Result<Option<OtpChallenge>, DomainError>;
    /// Saves `attempts` and `consumed_at`.
    fn save_challenge(&mut self, c: &OtpChallenge) -> Result<(), DomainError>;
    /// Creation times of the codes sent to `destination` strictly after `since` and at or
    /// before `until`, oldest first.
    fn sent_between(
        &mut self,
        destination: &str,
        since: OffsetDateTime,
        until: OffsetDateTime,
    ) -> Result<Vec<OffsetDateTime>, DomainError>;
}

/// The notification outbox port (SMS gateway, mail relay). Messages are rows, delivered later.
pub trait Outbox {
    fn enqueue(&mut self, msg: &OutgoingMessage) -> Result<(), DomainError>;
}

fn hash_code(id: OtpChallengeId, code: &OtpCode) -> String {
    let mut h = Sha256::new();
    h.update(id.to_string().as_bytes());
    h.update(b":");
    h.update(code.as_str().as_bytes());
    hex::encode(h.finalize())
}

/// Sends a new code to `destination` and stores its hash. The time is read from `clock`
/// once the destination is locked: requests that waited for the lock then count the codes
/// sent before them, whatever order they read the clock in before.
#[allow(clippy::too_many_arguments)]
pub fn issue_code(
    store: &mut (impl OtpStore + Outbox),
    policy: &OtpPolicy,
    channel: Channel,
    destination: &str,
    purpose: Purpose,
    subject: &str,
    code: OtpCode,
    clock: impl FnOnce() -> OffsetDateTime,
) -> Result<OtpChallenge, DomainError> {
    store.lock_destination(destination)?;
    let now = clock();
    // The window is (now - window, now]: codes stamped later than `now` (sent before the
    // clock was moved back) are not in it, so a clock moved back starts a new window.
    let recent = store.sent_between(destination, now - policy.window, now)?;
    if recent.len() as u32 >= policy.max_per_window {
        let oldest = recent.first().copied().unwrap_or(now);
        // Until the oldest code leaves the window: never more than the window.
        let left = (oldest + policy.window - now).clamp(Duration::ZERO, policy.window);
        let mut wait = left.whole_seconds();
        if left.subsec_nanoseconds() > 0 {
            wait += 1;
        }
        let wait = wait.max(1) as u64;
        return Err(DomainError::rate_limited(
            "otp.rate_limited",
            format!("Too many codes were sent to this destination; try again in {wait} seconds."),
            wait,
        ));
    }
    let id = OtpChallengeId::new();
    let challenge = OtpChallenge {
        id,
        channel,
        destination: destination.to_owned(),
        purpose,
        subject: subject.to_owned(),
        code_hash: hash_code(id, &code),
        attempts: 0,
        expires_at: now + policy.ttl,
        consumed_at: None,
        created_at: now,
    };
    store.insert_challenge(&challenge)?;
    let minutes = policy.ttl.whole_minutes();
    store.enqueue(&OutgoingMessage {
        id: kapi_core::NotificationId::new(),
        channel,
        recipient: destination.to_owned(),
        body: format!(
            "Kapı doğrulama kodunuz: {} ({minutes} dakika geçerlidir). Kodu kimseyle paylaşmayın.",
            code.as_str()
        ),
        created_at: now,
    })?;
    Ok(challenge)
}

/// Checks a typed code. On success the challenge is consumed and returned.
pub fn verify_code(
    store: &mut impl OtpStore,
    policy: &OtpPolicy,
    id: OtpChallengeId,
    subject: &str,
    code: &OtpCode,
    now: OffsetDateTime,
) -> Result<OtpChallenge, DomainError> {
    let mut c = match store.get_challenge(id)? {
        Some(c) if c.subject == subject => c,
        _ => {
            return Err(DomainError::not_found(
                "otp.not_found",
                "No such code challenge.",
            ))
        }
    };
    if c.consumed_at.is_some() {
        return Err(DomainError::conflict(
            "otp.already_used",
            "This code has already been used; ask for a new one.",
        ));
    }
    if now > c.expires_at {
        return Err(DomainError::invalid(
            "otp.expired",
            "The code has expired; ask for a new one.",
        ));
    }
    if c.attempts >= policy.max_attempts {
        return Err(DomainError::invalid(
            "otp.too_many_attempts",
            "Too many wrong codes; ask for a new one.",
        ));
    }
    if hash_code(c.id, code) != c.code_hash {
        c.attempts += 1;
        store.save_challenge(&c)?;
        let left = policy.max_attempts.saturating_sub(c.attempts);
        let mut e = DomainError::field(FieldError::new(
            "code",
            "otp.wrong_code",
            format!("The code is wrong; {left} tries left."),
        ));
        if left == 0 {
            e = DomainError::invalid(
                "otp.too_many_attempts",
                "Too many wrong codes; ask for a new one.",
            );
        }
        return Err(e);
    }
    c.consumed_at = Some(now);
    store.save_challenge(&c)?;
    Ok(c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kapi_core::ErrorKind;
    use std::collections::HashMap;
    use time::macros::datetime;

    #[derive(Default)]
    struct Fake {
        challenges: HashMap<OtpChallengeId, OtpChallenge>,
        outbox: Vec<OutgoingMessage>,
    }
    impl OtpStore for Fake {
        fn lock_destination(&mut self, _: &str) -> Result<(), DomainError> {
            Ok(())
        }
        fn insert_challenge(&mut self, c: &OtpChallenge) -> Result<(), DomainError> {
            self.challenges.insert(c.id, c.clone());
            Ok(())
        }
        fn get_challenge(
            &mut self,
            id: OtpChallengeId,
        ) -> Result<Option<OtpChallenge>, DomainError> {
            Ok(self.challenges.get(&id).cloned())
        }
        fn save_challenge(&mut self, c: &OtpChallenge) -> Result<(), DomainError> {
            self.challenges.insert(c.id, c.clone());
            Ok(())
        }
        fn sent_between(
            &mut self,
            d: &str,
            since: OffsetDateTime,
            until: OffsetDateTime,
        ) -> Result<Vec<OffsetDateTime>, DomainError> {
            let mut v: Vec<_> = self
                .challenges
                .values()
                .filter(|c| c.destination == d && c.created_at > since && c.created_at <= until)
                .map(|c| c.created_at)
                .collect();
            v.sort();
            Ok(v)
        }
    }
    impl Outbox for Fake {
        fn enqueue(&mut self, m: &OutgoingMessage) -> Result<(), DomainError> {
            self.outbox.push(m.clone());
            Ok(())
        }
    }

    const T0: OffsetDateTime = datetime!(2026-11-23 10:00 UTC);
    const DEST: &str = "5321234567";

    fn issue(f: &mut Fake, code: u32, at: OffsetDateTime) -> Result<OtpChallenge, DomainError> {
        issue_code(
            f,
            &OtpPolicy::default(),
            Channel::Sms,
            DEST,
            Purpose::ContactVerification,
            "me",
            OtpCode::from_random(code),
            || at,
        )
    }

    fn typed(s: &str) -> OtpCode {
        OtpCode::parse(s).unwrap()
    }

    #[test]
    fn code_is_hashed_and_sent() {
        let mut f = Fake::default();
        let c = issue(&mut f, 42, T0).unwrap();
        assert!(!c.code_hash.contains("000042"));
        assert_eq!(c.expires_at, T0 + Duration::minutes(3));
        assert!(f.outbox[0].body.contains("000042"));
        assert_eq!(f.outbox[0].recipient, DEST);
        assert_eq!(format!("{:?}", typed("000042")), "OtpCode(******)");
    }

    #[test]
    fn right_code_within_three_minutes_is_accepted_once() {
        let mut f = Fake::default();
        let p = OtpPolicy::default();
        let c = issue(&mut f, 123456, T0).unwrap();
        let ok = verify_code(
            &mut f,
            &p,
            c.id,
            "me",
            &typed("123456"),
            T0 + Duration::minutes(3),
        )
        .unwrap();
        assert_eq!(ok.consumed_at, Some(T0 + Duration::minutes(3)));
        let e = verify_code(
            &mut f,
            &p,
            c.id,
            "me",
            &typed("123456"),
            T0 + Duration::minutes(3),
        )
        .unwrap_err();
        assert_eq!(
            (e.kind, e.code.as_ref()),
            (ErrorKind::Conflict, "otp.already_used")
        );
    }

    #[test]
    fn expired_after_three_minutes() {
        let mut f = Fake::default();
        let c = issue(&mut f, 123456, T0).unwrap();
        let e = verify_code(
            &mut f,
            &OtpPolicy::default(),
            c.id,
            "me",
            &typed("123456"),
            T0 + Duration::minutes(3) + Duration::seconds(1),
        )
        .unwrap_err();
        assert_eq!(e.code, "otp.expired");
    }

    #[test]
    fn five_wrong_tries_kill_the_challenge() {
        let mut f = Fake::default();
        let p = OtpPolicy::default();
        let c = issue(&mut f, 123456, T0).unwrap();
        for i in 1..=4 {
            let e = verify_code(&mut f, &p, c.id, "me", &typed("000000"), T0).unwrap_err();
            assert_eq!(e.fields[0].code, "otp.wrong_code", "try {i}");
            assert!(e.fields[0]
                .message
                .contains(&format!("{} tries left", 5 - i)));
        }
        assert_eq!(
            verify_code(&mut f, &p, c.id, "me", &typed("000000"), T0)
                .unwrap_err()
                .code,
            "otp.too_many_attempts"
        );
        // Even the right code is refused now.
        assert_eq!(
            verify_code(&mut f, &p, c.id, "me", &typed("123456"), T0)
                .unwrap_err()
                .code,
            "otp.too_many_attempts"
        );
    }

    #[test]
    fn another_subject_cannot_use_the_challenge() {
        let mut f = Fake::default();
        let c = issue(&mut f, 123456, T0).unwrap();
        let e = verify_code(
            &mut f,
            &OtpPolicy::default(),
            c.id,
            "someone else",
            &typed("123456"),
            T0,
        )
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::NotFound);
    }

    #[test]
    fn rate_limited_per_destination() {
        let mut f = Fake::default();
        for i in 0..3 {
            issue(&mut f, 1, T0 + Duration::minutes(i)).unwrap();
        }
        let e = issue(&mut f, 1, T0 + Duration::minutes(4)).unwrap_err();
        assert_eq!(
            (e.kind, e.code.as_ref(), e.retry_after),
            (ErrorKind::RateLimited, "otp.rate_limited", Some(360))
        );
        // The window slides: ten minutes after the first code, one more may go.
        assert!(issue(&mut f, 1, T0 + Duration::minutes(10)).is_ok());
        // Another destination is not affected.
        assert!(issue_code(
            &mut f,
            &OtpPolicy::default(),
            Channel::Email,
            "a@b.gov.tr",
            Purpose::ContactVerification,
            "me",
            OtpCode::from_random(1),
            || T0
        )
        .is_ok());
    }

    #[test]
    fn a_clock_moved_back_starts_a_new_window() {
        let mut f = Fake::default();
        for i in 0..3 {
            issue(&mut f, 1, T0 + Duration::minutes(i)).unwrap();
        }
        assert_eq!(
            issue(&mut f, 1, T0 + Duration::minutes(3))
                .unwrap_err()
                .retry_after,
            Some(420)
        );
        // Two days earlier, the codes sent "later" are not in the window ending now.
        let back = T0 - Duration::days(2);
        for i in 0..3 {
            issue(&mut f, 1, back + Duration::seconds(i)).unwrap();
        }
        // The limit still holds in the new window, and the wait is never past its end.
        let e = issue(&mut f, 1, back + Duration::seconds(30)).unwrap_err();
        assert_eq!(
            (e.code.as_ref(), e.retry_after),
            ("otp.rate_limited", Some(570))
        );
        assert!(issue(&mut f, 1, back + Duration::minutes(10)).is_ok());
    }

    #[test]
    fn the_wait_rounds_up_and_never_exceeds_the_window() {
        let mut f = Fake::default();
        for _ in 0..3 {
            issue(&mut f, 1, T0).unwrap();
        }
        let e = issue(&mut f, 1, T0 + Duration::milliseconds(500)).unwrap_err();
        assert_eq!(e.retry_after, Some(600));
        let e = issue(&mut f, 1, T0).unwrap_err();
        assert_eq!(e.retry_after, Some(600));
    }

    #[test]
    fn code_format() {
        assert_eq!(OtpCode::from_random(7).as_str(), "000007");
        assert_eq!(OtpCode::from_random(u32::MAX).as_str().len(), 6);
        for bad in ["12345", "1234567", "12a456", ""] {
            assert_eq!(OtpCode::parse(bad).unwrap_err().code, "otp.code_format");
        }
    }
}
