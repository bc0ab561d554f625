//! The webhook delivery worker: turns new outbox events into deliveries, leases the due ones,
//! POSTs each signed, and records the answer. `kapi serve` runs it in-process every
//! `KAPI_WEBHOOK_INTERVAL_SECONDS`; `kapi jobs run` runs one round too.
//!
//! Every step's state is in the database, so a restart loses nothing: an event committed
//! before a crash is enqueued after it, and a delivery sent but not yet recorded is sent again
//! when its lease ends (at least once; receivers deduplicate on `Kapi-Event-Id`). Several
//! processes may run the worker at once: enqueueing moves each cursor by compare-and-set and
//! each delivery is leased by one worker at a time.

use kapi_core::DomainError;
use kapi_integrations::{payload, signature_header, Outcome};
use kapi_persistence::integrations::{claim_due, enqueue_deliveries, save_delivery};
use kapi_persistence::Db;
use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::time::Duration as StdDuration;
use time::{Duration, OffsetDateTime};

/// Events turned into deliveries per subscription and stream in one round.
const ENQUEUE_BATCH: u32 = 500;
/// Deliveries sent in one round.
const SEND_BATCH: i64 = 100;
/// How long a worker holds a delivery it is sending (longer than the request timeout).
const LEASE: Duration = Duration::seconds(60);
/// The receiver has this long to answer.
const TIMEOUT: StdDuration = StdDuration::from_secs(10);

/// Sends one delivery. [`HttpTransport`] in the server; tests may use their own.
pub trait Transport: Send + Sync {
    fn post(&self, url: &str, headers: &[(&str, String)], body: &[u8]) -> Outcome;
}

/// HTTP(S) with a 10 s timeout, no redirects, and only public addresses (loopback too when
/// the deployment allows it): a host name that resolves to a private address is refused
/// when connecting, not only when registering.
pub struct HttpTransport {
    agent: ureq::Agent,
}

impl HttpTransport {
    pub fn new(allow_loopback: bool) -> Self {
        let agent = ureq::AgentBuilder::new()
            .timeout(TIMEOUT)
            .redirects(0)
            .user_agent("Kapi-Webhooks/1")
            .resolver(move |netloc: &str| -> io::Result<Vec<SocketAddr>> {
                let addrs: Vec<SocketAddr> = netloc
                    .to_socket_addrs()?
                    .filter(|a| {
                        kapi_integrations::webhook::is_public(a.ip())
                            || (allow_loopback && a.ip().is_loopback())
                    })
                    .collect();
                if addrs.is_empty() {
                    return Err(io::Error::new(
                        io::ErrorKind::PermissionDenied,
                        "the host resolves to no public address",
                    ));
                }
                Ok(addrs)
            })
            .build();
        HttpTransport { agent }
    }
}

impl Transport for HttpTransport {
    fn post(&self, url: &str, headers: &[(&str, String)], body: &[u8]) -> Outcome {
        let mut req = self.agent.post(url);
        for (name, value) in headers {
            req = req.set(name, value);
        }
        match req.send_bytes(body) {
            Ok(res) => Outcome::Answered(res.status()),
            Err(ureq::Error::Status(code, _)) => Outcome::Answered(code),
            Err(ureq::Error::Transport(t)) => Outcome::NoAnswer(t.to_string()),
        }
    }
}

/// What one round did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebhookReport {
    /// New deliveries created from outbox events.
    pub enqueued: usize,
    /// Deliveries answered 2xx.
    pub delivered: usize,
    /// Attempts that failed (to be retried, or given up).
    pub failed_attempts: usize,
}

/// One round at `now`: enqueue new events, then send the due deliveries (each enqueue and
/// each record is its own write transaction; nothing is held open while sending).
pub fn run_webhooks(
    db: &Db,
    transport: &dyn Transport,
    now: OffsetDateTime,
) -> Result<WebhookReport, DomainError> {
    let mut report = WebhookReport {
        enqueued: db.write(|c| enqueue_deliveries(c, now, ENQUEUE_BATCH))?,
        ..WebhookReport::default()
    };
    let claimed = db.write(|c| claim_due(c, now, LEASE, SEND_BATCH))?;
    for (mut delivery, subscription) in claimed {
        let body = payload(&delivery.event);
        let headers = [
            ("Content-Type", "application/json".to_owned()),
            ("Kapi-Event-Id", delivery.event.id.to_string()),
            ("Kapi-Event-Type", delivery.event.event_type().to_string()),
            ("Kapi-Delivery-Id", delivery.id.to_string()),
            ("Kapi-Delivery-Attempt", (delivery.attempts + 1).to_string()),
            (
                "Kapi-Signature",
                signature_header(&subscription.secret, now.unix_timestamp(), &body),
            ),
        ];
        let outcome = transport.post(subscription.url.as_str(), &headers, &body);
        delivery.record(&outcome, now);
        match delivery.status {
            kapi_integrations::DeliveryStatus::Delivered => report.delivered += 1,
            _ => report.failed_attempts += 1,
        }
        db.write(|c| save_delivery(c, &delivery))?;
    }
    Ok(report)
}
