//! Webhooks: an integrator registers an HTTPS URL and the event types it wants; each event of
//! the outbox it may see becomes one delivery, POSTed with an HMAC-SHA256 signature and
//! retried with exponential back-off until the receiver answers 2xx or the attempts run out.
//! Delivery is at least once: the event id is the receiver's idempotency key.

use crate::feed::{Event, EventType, Stream};
use crate::integrator::Integrator;
use hmac::{Hmac, Mac};
use kapi_core::{
    DomainError, FieldError, FieldErrors, IntegratorId, Page, PageRequest, WebhookDeliveryId,
    WebhookId,
};
use rand::RngCore;
use sha2::Sha256;
use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use time::{Duration, OffsetDateTime};

/// How many attempts a delivery gets before it is given up (about 1 h 25 min in all).
pub const MAX_ATTEMPTS: u32 = 10;

/// The wait after the `failed`-th failed attempt: 10 s, 20 s, 40 s, … (at most 1 hour).
pub fn backoff(failed: u32) -> Duration {
    let exp = failed.saturating_sub(1).min(20);
    Duration::seconds((10_i64 << exp).min(3600))
}

/// Where deliveries go: `https://…`, or `http://` to a loopback address when the
/// deployment allows it (development and tests). No credentials in the URL, no fragment, and
/// no literal private, link-local or loopback address over HTTPS (server-side request forgery).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookUrl(String);

impl WebhookUrl {
    pub fn parse(raw: &str, allow_loopback_http: bool) -> Result<Self, FieldError> {
        let bad = |message: &str| FieldError::new("url", "webhook.url", message);
        let raw = raw.trim();
        if raw.len() > 2000 || raw.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(bad("url is at most 2000 characters, without spaces."));
        }
        let (scheme, rest) = raw
            .split_once("://")
            .ok_or_else(|| bad("url is an absolute https:// address."))?;
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        if rest.contains('#') {
            return Err(bad("url has no #fragment."));
        }
        if authority.contains('@') {
            return Err(bad("url carries no user name or password."));
        }
        let host = host_of(authority).ok_or_else(|| bad("url names a host."))?;
        let loopback = is_loopback_host(&host);
        match scheme.to_ascii_lowercase().as_str() {
            "https" => {
                if let Ok(ip) = host.parse::<IpAddr>() {
                    if !(is_public(ip) || (loopback && allow_loopback_http)) {
                        return Err(bad(
                            "url may not point at a private, link-local or loopback address.",
                        ));
                    }
                }
                if loopback && !allow_loopback_http {
                    return Err(bad("url may not point at this server."));
                }
            }
            "http" if loopback && allow_loopback_http => {}
            _ => return Err(bad("url is an https:// address.")),
        }
        Ok(WebhookUrl(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A stored URL (checked when it was registered).
    pub fn stored(raw: String) -> Self {
        WebhookUrl(raw)
    }
}

/// The host of `host[:port]` or `[v6]:port`, lower-cased.
fn host_of(authority: &str) -> Option<String> {
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next()?.to_owned()
    } else {
        let (h, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        if let Some(p) = port {
            if p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()) || p.parse::<u16>().is_err() {
                return None;
            }
        }
        h.to_owned()
    };
    let host = host.to_ascii_lowercase();
    (!host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:".contains(&b)))
    .then_some(host)
}

fn is_loopback_host(host: &str) -> bool {
    host == "localhost" || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// True for addresses a webhook may reach over the internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => is_public_v4(v4),
            None => is_public_v6(v6),
        },
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_private()
        || ip.is_loopback()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_documentation()
        || ip.is_multicast()
        || a == 0
        || (a == 100 && (64..128).contains(&b)) // carrier-grade NAT
        || a >= 240)
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    let first = ip.segments()[0];
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (first & 0xfe00) == 0xfc00 // unique local
        || (first & 0xffc0) == 0xfe80) // link-local
}

/// A webhook subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub id: WebhookId,
    pub integrator_id: IntegratorId,
    pub url: WebhookUrl,
    pub events: Vec<EventType>,
    /// The signing secret (`whsec_…`), shown to the integrator once.
    pub secret: String,
    pub created_at: OffsetDateTime,
}

impl Subscription {
    /// The streams its event types come from.
    pub fn streams(&self) -> Vec<Stream> {
        Stream::ALL
            .into_iter()
            .filter(|s| self.events.iter().any(|t| t.stream == *s))
            .collect()
    }

    /// Whether `event` goes to this subscription of `integrator`: a subscribed type, and a
    /// work-permit event only of the employer the integrator is bound to.
    pub fn wants(&self, integrator: &Integrator, event: &Event) -> bool {
        self.events.contains(&event.event_type())
            && (event.stream != Stream::WorkPermits
                || (integrator.work_permit_employer.is_some()
                    && integrator.work_permit_employer == event.scope))
    }
}

/// A new signing secret.
pub fn generate_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!("whsec_{}", hex::encode(bytes))
}

/// The `Kapi-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
pub fn signature_header(secret: &str, timestamp: i64, body: &[u8]) -> String {
    format!("t={timestamp},v1={}", sign(secret, timestamp, body))
}

fn sign(secret: &str, timestamp: i64, body: &[u8]) -> String {
    // HMAC takes a key of any length, so this cannot fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(m) => m,
        Err(_) => return String::new(),
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// What a receiver does: checks the signature and that the timestamp is within `tolerance`
/// of `now` (so a captured request cannot be replayed later).
pub fn verify_signature(
    secret: &str,
    header: &str,
    body: &[u8],
    now: OffsetDateTime,
    tolerance: Duration,
) -> bool {
    let mut t = None;
    let mut v1 = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", x)) => t = x.parse::<i64>().ok(),
            Some(("v1", x)) => v1.push(x.to_owned()),
            _ => {}
        }
    }
    let Some(t) = t else { return false };
    if (now.unix_timestamp() - t).abs() > tolerance.whole_seconds() {
        return false;
    }
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return false;
    };
    mac.update(t.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    v1.iter()
        .any(|sig| hex::decode(sig).is_ok_and(|bytes| mac.clone().verify_slice(&bytes).is_ok()))
}

/// The JSON body POSTed for `event` (the same fields as a feed entry, plus its type).
pub fn payload(event: &Event) -> Vec<u8> {
    let body = serde_json::json!({
        "id": event.id.to_string(),
        "type": event.event_type().to_string(),
        "stream": event.stream.as_str(),
        "seq": event.seq,
        "resource_kind": event.stream.resource_kind(),
        "resource_id": event.resource_id,
        "kind": event.kind.as_str(),
        "status": event.status,
        "previous_status": event.previous_status,
        "occurred_at": event
            .at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
    });
    serde_json::to_vec(&body).unwrap_or_default()
}

/// Where a delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryStatus {
    /// Waiting for its next attempt.
    Pending,
    /// The receiver answered 2xx.
    Delivered,
    /// Every attempt failed.
    Failed,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivered => "delivered",
            DeliveryStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [Self::Pending, Self::Delivered, Self::Failed]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// One event's delivery to one subscription.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub id: WebhookDeliveryId,
    pub subscription_id: WebhookId,
    pub event: Event,
    pub status: DeliveryStatus,
    pub attempts: u32,
    pub next_attempt_at: OffsetDateTime,
    pub last_attempt_at: Option<OffsetDateTime>,
    pub last_status_code: Option<u16>,
    pub last_error: Option<String>,
    pub delivered_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
}

/// What one attempt got back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The receiver answered with this status.
    Answered(u16),
    /// No answer: connection refused, timeout, TLS failure, refused address, …
    NoAnswer(String),
}

impl Delivery {
    /// A new delivery of `event`, due at once.
    pub fn new(subscription_id: WebhookId, event: Event, now: OffsetDateTime) -> Self {
        Delivery {
            id: WebhookDeliveryId::new(),
            subscription_id,
            event,
            status: DeliveryStatus::Pending,
            attempts: 0,
            next_attempt_at: now,
            last_attempt_at: None,
            last_status_code: None,
            last_error: None,
            delivered_at: None,
            created_at: now,
        }
    }

    /// Records an attempt made at `now`: a 2xx delivers; anything else waits [`backoff`] and
    /// is given up after [`MAX_ATTEMPTS`].
    pub fn record(&mut self, outcome: &Outcome, now: OffsetDateTime) {
        self.attempts += 1;
        self.last_attempt_at = Some(now);
        match outcome {
            Outcome::Answered(code) if (200..300).contains(code) => {
                self.status = DeliveryStatus::Delivered;
                self.last_status_code = Some(*code);
                self.last_error = None;
                self.delivered_at = Some(now);
                return;
            }
            Outcome::Answered(code) => {
                self.last_status_code = Some(*code);
                self.last_error = Some(format!("the receiver answered {code}"));
            }
            Outcome::NoAnswer(why) => {
                self.last_status_code = None;
                self.last_error = Some(why.chars().take(300).collect());
            }
        }
        if self.attempts >= MAX_ATTEMPTS {
            self.status = DeliveryStatus::Failed;
        } else {
            self.next_attempt_at = now + backoff(self.attempts);
        }
    }
}

/// Where subscriptions and deliveries live.
pub trait WebhookStore {
    fn insert_subscription(
        &mut self,
        s: &Subscription,
        cursors: &HashMap<Stream, i64>,
    ) -> Result<(), DomainError>;
    fn subscriptions_of(
        &mut self,
        integrator: IntegratorId,
    ) -> Result<Vec<Subscription>, DomainError>;
    fn subscription(&mut self, id: WebhookId) -> Result<Option<Subscription>, DomainError>;
    fn delete_subscription(&mut self, id: WebhookId, at: OffsetDateTime)
        -> Result<(), DomainError>;
    /// The last sequence number written to each stream.
    fn stream_heads(&mut self) -> Result<HashMap<Stream, i64>, DomainError>;
    fn deliveries_of(
        &mut self,
        subscription: WebhookId,
        status: Option<DeliveryStatus>,
        page: PageRequest,
    ) -> Result<Page<Delivery>, DomainError>;
}

/// A new subscription's details.
#[derive(Debug, Clone, Default)]
pub struct SubscriptionInput {
    pub url: Option<String>,
    pub events: Option<Vec<String>>,
}

/// Registers a webhook for `integrator`. It receives the events written from now on.
pub fn create_subscription(
    store: &mut impl WebhookStore,
    integrator: &Integrator,
    input: SubscriptionInput,
    allow_loopback_http: bool,
    now: OffsetDateTime,
) -> Result<Subscription, DomainError> {
    let mut errors = FieldErrors::new();
    let url = match input.url.as_deref() {
        Some(raw) => errors.take("url", WebhookUrl::parse(raw, allow_loopback_http)),
        None => {
            errors.push(FieldError::new("url", "webhook.url", "url is required."));
            None
        }
    };
    let mut events: Vec<EventType> = Vec::new();
    match input.events.as_deref() {
        None | Some([]) => errors.push(FieldError::new(
            "events",
            "webhook.events",
            "events lists at least one event type, e.g. petition.status_changed.",
        )),
        Some(raw) if raw.len() > 12 => errors.push(FieldError::new(
            "events",
            "webhook.events",
            "events lists at most the 12 event types.",
        )),
        Some(raw) => {
            for (i, name) in raw.iter().enumerate() {
                let field = format!("events[{i}]");
                match EventType::parse(name) {
                    None => errors.push(FieldError::new(
                        field,
                        "webhook.unknown_event",
                        "Not an event type: <posting|labour_demand|work_permit|petition>.<created|status_changed|updated>.",
                    )),
                    Some(t)
                        if t.stream == Stream::WorkPermits
                            && integrator.work_permit_employer.is_none() =>
                    {
                        errors.push(FieldError::new(
                            field,
                            "webhook.event_not_allowed",
                            "Work-permit events go only to an integrator account bound to an e-İzin employer.",
                        ))
                    }
                    Some(t) if events.contains(&t) => errors.push(FieldError::new(
                        field,
                        "webhook.duplicate_event",
                        "Each event type is listed once.",
                    )),
                    Some(t) => events.push(t),
                }
            }
        }
    }
    errors.finish()?;
    let Some(url) = url else {
        return Err(DomainError::invalid("webhook.url", "url is required."));
    };
    if store.subscriptions_of(integrator.id)?.len() >= 20 {
        return Err(DomainError::rule(FieldError::new(
            "url",
            "webhook.too_many",
            "An integrator has at most 20 webhooks.",
        )));
    }
    let subscription = Subscription {
        id: WebhookId::new(),
        integrator_id: integrator.id,
        url,
        events,
        secret: generate_secret(),
        created_at: now,
    };
    let heads = store.stream_heads()?;
    store.insert_subscription(&subscription, &heads)?;
    Ok(subscription)
}

/// The integrator's own subscription, or 404 (another integrator's is not found either).
pub fn own_subscription(
    store: &mut impl WebhookStore,
    integrator: &Integrator,
    id: WebhookId,
) -> Result<Subscription, DomainError> {
    match store.subscription(id)? {
        Some(s) if s.integrator_id == integrator.id => Ok(s),
        _ => Err(DomainError::not_found(
            "webhook.not_found",
            "No such webhook.",
        )),
    }
}

/// Removes a subscription: nothing more is delivered to it; its delivery log stays readable
/// by no one (the subscription is gone).
pub fn delete_subscription(
    store: &mut impl WebhookStore,
    integrator: &Integrator,
    id: WebhookId,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    own_subscription(store, integrator, id)?;
    store.delete_subscription(id, now)
}

/// A subscription's delivery log, newest first.
pub fn delivery_log(
    store: &mut impl WebhookStore,
    integrator: &Integrator,
    id: WebhookId,
    status: Option<&str>,
    page: PageRequest,
) -> Result<Page<Delivery>, DomainError> {
    own_subscription(store, integrator, id)?;
    let status = match status {
        None => None,
        Some(s) => Some(DeliveryStatus::parse(s).ok_or_else(|| {
            DomainError::field(FieldError::new(
                "status",
                "webhook.delivery_status",
                "status is pending, delivered or failed.",
            ))
        })?),
    };
    store.deliveries_of(id, status, page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::EventKind;
    use kapi_core::{EmployerId, EventId};
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-12-03 10:00 UTC);

    fn event(stream: Stream, scope: Option<EmployerId>) -> Event {
        Event {
            id: EventId::new(),
            stream,
            seq: 1,
            resource_id: "r".into(),
            kind: EventKind::StatusChanged,
            status: "closed".into(),
            previous_status: Some("routed".into()),
            scope,
            at: NOW,
        }
    }

    fn integrator(employer: Option<EmployerId>) -> Integrator {
        Integrator {
            id: IntegratorId::new(),
            name: "x".into(),
            work_permit_employer: employer,
            key_prefix: "kapi_1234".into(),
            created_by: "system_admin:x".into(),
            created_at: NOW,
            revoked_at: None,
        }
    }

    #[test]
    fn urls_are_https_or_loopback_http_when_allowed() {
        for ok in [
            "https://hooks.example.com/kapi",
            "https://hooks.example.com:8443/a?b=c",
            "HTTPS://93.184.216.34/x",
        ] {
            assert!(WebhookUrl::parse(ok, false).is_ok(), "{ok}");
        }
        for bad in [
            "http://hooks.example.com/kapi",
            "ftp://x.example.com",
            "https://user:pw@hooks.example.com/",
            "https://10.0.0.5/hook",
            "https://192.168.1.1/hook",
            "https://169.254.169.254/latest/meta-data",
            "https://[::1]/hook",
            "https://[fd00::1]/hook",
            "https://[::ffff:10.0.0.1]/hook",
            "https://100.64.0.1/hook",
            "http://127.0.0.1:9000/hook",
            "https://localhost/hook",
            "https://hooks.example.com/#frag",
            "https://hooks.example.com:99999/",
            "https:///nohost",
            "hooks.example.com",
            "https://exa mple.com/",
        ] {
            let e = WebhookUrl::parse(bad, false).expect_err(bad);
            assert_eq!((e.field.as_str(), e.code.as_ref()), ("url", "webhook.url"));
        }
        assert!(WebhookUrl::parse("http://127.0.0.1:9000/hook", true).is_ok());
        assert!(WebhookUrl::parse("http://localhost:9000/hook", true).is_ok());
        assert!(WebhookUrl::parse("http://10.0.0.1/hook", true).is_err());
    }

    #[test]
    fn signatures_verify_only_with_the_secret_the_body_and_a_fresh_timestamp() {
        let secret = generate_secret();
        let body = br#"{"id":"e1"}"#;
        let t = NOW.unix_timestamp();
        let header = signature_header(&secret, t, body);
        assert!(header.starts_with(&format!("t={t},v1=")));
        let tolerance = Duration::minutes(5);
        assert!(verify_signature(&secret, &header, body, NOW, tolerance));
        assert!(!verify_signature(
            "whsec_other",
            &header,
            body,
            NOW,
            tolerance
        ));
        assert!(!verify_signature(
            &secret,
            &header,
            br#"{"id":"e2"}"#,
            NOW,
            tolerance
        ));
        assert!(verify_signature(
            &secret,
            &header,
            body,
            NOW + Duration::minutes(5),
            tolerance
        ));
        assert!(!verify_signature(
            &secret,
            &header,
            body,
            NOW + Duration::minutes(5) + Duration::seconds(1),
            tolerance
        ));
        assert!(!verify_signature(&secret, "v1=abc", body, NOW, tolerance));
        // A known vector (Python: hmac.new(b"key", b"1.{}", sha256).hexdigest()).
        assert_eq!(
            sign("key", 1, b"{}"),
            "1ba6b8171186efc613e8bcc0cbdab2748f24984d7c5a84faa2637afa0e40d224"
        );
    }

    #[test]
    fn failed_attempts_back_off_exponentially_then_give_up() {
        let mut d = Delivery::new(WebhookId::new(), event(Stream::Petitions, None), NOW);
        let mut at = NOW;
        let mut waits = Vec::new();
        for _ in 0..MAX_ATTEMPTS - 1 {
            d.record(&Outcome::Answered(500), at);
            assert_eq!(d.status, DeliveryStatus::Pending);
            waits.push((d.next_attempt_at - at).whole_seconds());
            at = d.next_attempt_at;
        }
        assert_eq!(waits, vec![10, 20, 40, 80, 160, 320, 640, 1280, 2560]);
        assert_eq!(d.last_status_code, Some(500));
        d.record(&Outcome::NoAnswer("connection refused".into()), at);
        assert_eq!(d.status, DeliveryStatus::Failed);
        assert_eq!(d.attempts, MAX_ATTEMPTS);
        assert_eq!(backoff(30), Duration::hours(1));
    }

    #[test]
    fn a_2xx_delivers() {
        let mut d = Delivery::new(WebhookId::new(), event(Stream::Petitions, None), NOW);
        d.record(&Outcome::NoAnswer("timeout".into()), NOW);
        d.record(&Outcome::Answered(204), NOW + Duration::seconds(10));
        assert_eq!(d.status, DeliveryStatus::Delivered);
        assert_eq!(d.attempts, 2);
        assert_eq!(d.delivered_at, Some(NOW + Duration::seconds(10)));
        assert_eq!(d.last_error, None);
    }

    #[test]
    fn a_subscription_gets_its_types_and_only_its_employers_permits() {
        let mine = EmployerId::new();
        let i = integrator(Some(mine));
        let s = Subscription {
            id: WebhookId::new(),
            integrator_id: i.id,
            url: WebhookUrl::stored("https://x.example.com".into()),
            events: vec![
                EventType::parse("work_permit.status_changed").expect("type"),
                EventType::parse("petition.status_changed").expect("type"),
            ],
            secret: generate_secret(),
            created_at: NOW,
        };
        assert!(s.wants(&i, &event(Stream::WorkPermits, Some(mine))));
        assert!(!s.wants(&i, &event(Stream::WorkPermits, Some(EmployerId::new()))));
        assert!(!s.wants(&i, &event(Stream::WorkPermits, None)));
        assert!(s.wants(&i, &event(Stream::Petitions, None)));
        assert!(!s.wants(&i, &event(Stream::Postings, None)));
        assert_eq!(s.streams(), vec![Stream::WorkPermits, Stream::Petitions]);
    }

    #[derive(Default)]
    struct Fake {
        subs: Vec<(Subscription, HashMap<Stream, i64>)>,
    }

    impl WebhookStore for Fake {
        fn insert_subscription(
            &mut self,
            s: &Subscription,
            cursors: &HashMap<Stream, i64>,
        ) -> Result<(), DomainError> {
            self.subs.push((s.clone(), cursors.clone()));
            Ok(())
        }
        fn subscriptions_of(
            &mut self,
            integrator: IntegratorId,
        ) -> Result<Vec<Subscription>, DomainError> {
            Ok(self
                .subs
                .iter()
                .filter(|s| s.0.integrator_id == integrator)
                .map(|s| s.0.clone())
                .collect())
        }
        fn subscription(&mut self, id: WebhookId) -> Result<Option<Subscription>, DomainError> {
            Ok(self.subs.iter().find(|s| s.0.id == id).map(|s| s.0.clone()))
        }
        fn delete_subscription(
            &mut self,
            id: WebhookId,
            _at: OffsetDateTime,
        ) -> Result<(), DomainError> {
            self.subs.retain(|s| s.0.id != id);
            Ok(())
        }
        fn stream_heads(&mut self) -> Result<HashMap<Stream, i64>, DomainError> {
            Ok(Stream::ALL.into_iter().map(|s| (s, 7)).collect())
        }
        fn deliveries_of(
            &mut self,
            _subscription: WebhookId,
            _status: Option<DeliveryStatus>,
            page: PageRequest,
        ) -> Result<Page<Delivery>, DomainError> {
            Ok(Page::new(Vec::new(), page, 0))
        }
    }

    #[test]
    fn subscribing_names_every_bad_field_and_starts_at_the_stream_heads() {
        let mut store = Fake::default();
        let unbound = integrator(None);
        let e = create_subscription(
            &mut store,
            &unbound,
            SubscriptionInput {
                url: Some("http://hooks.example.com".into()),
                events: Some(vec![
                    "petition.created".into(),
                    "petition.created".into(),
                    "work_permit.created".into(),
                    "nope".into(),
                ]),
            },
            false,
            NOW,
        )
        .expect_err("invalid");
        let fields: Vec<(&str, &str)> = e
            .fields
            .iter()
            .map(|f| (f.field.as_str(), f.code.as_ref()))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("url", "webhook.url"),
                ("events[1]", "webhook.duplicate_event"),
                ("events[2]", "webhook.event_not_allowed"),
                ("events[3]", "webhook.unknown_event"),
            ]
        );
        assert!(store.subs.is_empty());
        let s = create_subscription(
            &mut store,
            &unbound,
            SubscriptionInput {
                url: Some("https://hooks.example.com/kapi".into()),
                events: Some(vec!["petition.status_changed".into()]),
            },
            false,
            NOW,
        )
        .expect("created");
        assert!(s.secret.starts_with("whsec_"));
        assert_eq!(store.subs[0].1.get(&Stream::Petitions), Some(&7));
        // Another integrator cannot see or delete it.
        let other = integrator(None);
        let e = delete_subscription(&mut store, &other, s.id, NOW).expect_err("other");
        assert_eq!(e.code, "webhook.not_found");
        assert!(delivery_log(
            &mut store,
            &unbound,
            s.id,
            Some("lost"),
            PageRequest::first()
        )
        .is_err());
        delete_subscription(&mut store, &unbound, s.id, NOW).expect("deleted");
        assert!(store.subs.is_empty());
    }
}
