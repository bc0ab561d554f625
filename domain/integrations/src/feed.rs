//! Change feeds: every published change is an event with a per-stream sequence number,
//! written in the same transaction as the change (the transactional outbox), so a reader
//! who keeps the last sequence it saw misses nothing and sees nothing twice.

use kapi_core::{DomainError, EmployerId, EventId, FieldError, HistoryEntry};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// One ordered stream of events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Stream {
    /// Kariyer Kapısı postings (ilanlar): published ones only.
    #[serde(rename = "postings")]
    Postings,
    /// İŞKUR labour demands (işgücü istemleri), which are public from the start.
    #[serde(rename = "labour-demands")]
    LabourDemands,
    /// e-İzin work-permit applications, scoped to their employer.
    #[serde(rename = "work-permits")]
    WorkPermits,
    /// Açık Kapı petitions (başvurular): status only, nothing personal.
    #[serde(rename = "petitions")]
    Petitions,
}

impl Stream {
    pub const ALL: [Stream; 4] = [
        Stream::Postings,
        Stream::LabourDemands,
        Stream::WorkPermits,
        Stream::Petitions,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stream::Postings => "postings",
            Stream::LabourDemands => "labour-demands",
            Stream::WorkPermits => "work-permits",
            Stream::Petitions => "petitions",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The resource kind its events are about (the history's `resource_kind`).
    pub fn resource_kind(self) -> &'static str {
        match self {
            Stream::Postings => "posting",
            Stream::LabourDemands => "labour_demand",
            Stream::WorkPermits => "work_permit",
            Stream::Petitions => "petition",
        }
    }

    /// The prefix of its event types (`petition.status_changed`).
    fn of_resource_kind(kind: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.resource_kind() == kind)
    }
}

/// What happened to the resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// First seen in the stream (created, or for a posting: first published).
    Created,
    /// Its status changed.
    StatusChanged,
    /// Its content changed, the status stayed.
    Updated,
}

impl EventKind {
    pub const ALL: [EventKind; 3] = [
        EventKind::Created,
        EventKind::StatusChanged,
        EventKind::Updated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Created => "created",
            EventKind::StatusChanged => "status_changed",
            EventKind::Updated => "updated",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// An event about to be written to the outbox (the store adds the sequence and the scope).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub id: EventId,
    pub stream: Stream,
    pub resource_id: String,
    pub kind: EventKind,
    pub status: String,
    pub previous_status: Option<String>,
    pub at: OffsetDateTime,
}

/// The event a history entry publishes, if any: only the four published resource kinds, and
/// a posting only once it left the draft (a draft is not public).
pub fn event_for(entry: &HistoryEntry) -> Option<NewEvent> {
    let stream = Stream::of_resource_kind(&entry.resource_kind)?;
    if stream == Stream::Postings && entry.to_state == "draft" {
        return None;
    }
    let kind = match entry.from_state.as_deref() {
        None => EventKind::Created,
        // A posting's first public moment is its publication.
        Some("draft") if stream == Stream::Postings => EventKind::Created,
        Some(from) if from == entry.to_state => EventKind::Updated,
        Some(_) => EventKind::StatusChanged,
    };
    Some(NewEvent {
        id: EventId::new(),
        stream,
        resource_id: entry.resource_id.clone(),
        kind,
        status: entry.to_state.clone(),
        previous_status: match kind {
            EventKind::Created => None,
            _ => entry.from_state.clone(),
        },
        at: entry.at,
    })
}

/// An event as stored: its place in the stream is `seq` (1, 2, 3, … without gaps).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub id: EventId,
    pub stream: Stream,
    pub seq: i64,
    pub resource_id: String,
    pub kind: EventKind,
    pub status: String,
    pub previous_status: Option<String>,
    /// The e-İzin employer a work-permit event belongs to.
    pub scope: Option<EmployerId>,
    pub at: OffsetDateTime,
}

impl Event {
    /// `petition.status_changed`, …
    pub fn event_type(&self) -> EventType {
        EventType {
            stream: self.stream,
            kind: self.kind,
        }
    }
}

/// A stream and a kind: what a webhook subscribes to (`work_permit.status_changed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EventType {
    pub stream: Stream,
    pub kind: EventKind,
}

impl EventType {
    pub fn all() -> Vec<EventType> {
        Stream::ALL
            .into_iter()
            .flat_map(|stream| {
                EventKind::ALL
                    .into_iter()
                    .map(move |kind| EventType { stream, kind })
            })
            .collect()
    }

    pub fn parse(s: &str) -> Option<Self> {
        let (prefix, kind) = s.split_once('.')?;
        let stream = Stream::of_resource_kind(prefix)?;
        Some(EventType {
            stream,
            kind: EventKind::parse(kind)?,
        })
    }
}

impl std::fmt::Display for EventType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.stream.resource_kind(), self.kind.as_str())
    }
}

/// Where a reader resumes: the last sequence it saw (0 = from the beginning). Clients treat
/// it as opaque and send back the `next_cursor` they got.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Cursor(i64);

impl Cursor {
    pub const START: Cursor = Cursor(0);

    pub fn parse(raw: Option<&str>) -> Result<Self, DomainError> {
        match raw {
            None | Some("") => Ok(Self::START),
            Some(s) => s
                .parse::<i64>()
                .ok()
                .filter(|n| *n >= 0 && s.bytes().all(|b| b.is_ascii_digit()))
                .map(Cursor)
                .ok_or_else(|| {
                    DomainError::field(FieldError::new(
                        "cursor",
                        "feed.invalid_cursor",
                        "cursor is the next_cursor of an earlier page (or empty to start from the beginning).",
                    ))
                }),
        }
    }

    pub fn after(seq: i64) -> Self {
        Cursor(seq.max(0))
    }

    pub fn seq(self) -> i64 {
        self.0
    }

    pub fn encode(self) -> String {
        self.0.to_string()
    }
}

/// How many events one page carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedLimit(u32);

impl FeedLimit {
    pub const DEFAULT: u32 = 100;
    pub const MAX: u32 = 1000;

    pub fn parse(raw: Option<i64>) -> Result<Self, DomainError> {
        let n = raw.unwrap_or(i64::from(Self::DEFAULT));
        if (1..=i64::from(Self::MAX)).contains(&n) {
            Ok(FeedLimit(n as u32))
        } else {
            Err(DomainError::field(FieldError::new(
                "limit",
                "feed.invalid_limit",
                "limit is from 1 to 1000.",
            )))
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// Which events of a stream a reader may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every event of the stream.
    All,
    /// Only the events of this e-İzin employer's applications.
    WorkPermitEmployer(EmployerId),
}

impl Scope {
    pub fn admits(self, event: &Event) -> bool {
        match self {
            Scope::All => true,
            Scope::WorkPermitEmployer(id) => event.scope == Some(id),
        }
    }
}

/// Who reads a feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    /// No credentials.
    Anonymous,
    /// An integrator account; bound to an e-İzin employer or not.
    Integrator {
        work_permit_employer: Option<EmployerId>,
    },
    /// A system administrator: every stream.
    Administrator,
    /// The Ministry's work-permit staff.
    WorkPermitStaff,
    /// Açık Kapı staff (desks, units, governors, province administrators).
    PetitionStaff,
    /// Any other signed-in user.
    OtherUser,
    /// The owner or an authorised user of this e-İzin employer (checked by the caller).
    WorkPermitEmployer(EmployerId),
}

/// The scope `reader` gets on `stream`, or why not. Postings and labour demands are public;
/// petition statuses go to integrators and Açık Kapı staff; work-permit events go to the
/// Ministry, and to an employer (or its integrator) for its own applications only.
pub fn scope_for(reader: Reader, stream: Stream) -> Result<Scope, DomainError> {
    let denied = |message: &str| -> DomainError {
        match reader {
            Reader::Anonymous => DomainError::unauthenticated("auth.required", message),
            _ => DomainError::forbidden("feed.forbidden", message),
        }
    };
    match (stream, reader) {
        (Stream::Postings | Stream::LabourDemands, _) | (_, Reader::Administrator) => {
            Ok(Scope::All)
        }
        (Stream::Petitions, Reader::Integrator { .. } | Reader::PetitionStaff) => Ok(Scope::All),
        (Stream::Petitions, _) => Err(denied(
            "The petition feed is for integrator accounts and Açık Kapı staff.",
        )),
        (Stream::WorkPermits, Reader::WorkPermitStaff) => Ok(Scope::All),
        (
            Stream::WorkPermits,
            Reader::Integrator {
                work_permit_employer: Some(id),
            },
        )
        | (Stream::WorkPermits, Reader::WorkPermitEmployer(id)) => {
            Ok(Scope::WorkPermitEmployer(id))
        }
        (Stream::WorkPermits, _) => Err(denied(
            "The work-permit feed is for the Ministry, and for an employer's own applications (its users, or an integrator account bound to it).",
        )),
    }
}

/// Reads the outbox.
pub trait FeedStore {
    /// Events of `stream` with `seq > after` that `scope` admits, oldest first, at most `limit`.
    fn events_after(
        &mut self,
        stream: Stream,
        scope: Scope,
        after: Cursor,
        limit: u32,
    ) -> Result<Vec<Event>, DomainError>;
}

/// One page of a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedPage {
    pub stream: Stream,
    pub events: Vec<Event>,
    /// Send this back to get the events after this page (the same cursor when it was empty).
    pub next_cursor: Cursor,
    /// True when the page is full: more events may follow right away.
    pub has_more: bool,
}

/// The events after `cursor` that the reader may see.
pub fn read_feed(
    store: &mut impl FeedStore,
    reader: Reader,
    stream: Stream,
    cursor: Cursor,
    limit: FeedLimit,
) -> Result<FeedPage, DomainError> {
    let scope = scope_for(reader, stream)?;
    let events = store.events_after(stream, scope, cursor, limit.get())?;
    let next_cursor = events.last().map_or(cursor, |e| Cursor::after(e.seq));
    let has_more = events.len() == limit.get() as usize;
    Ok(FeedPage {
        stream,
        events,
        next_cursor,
        has_more,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use kapi_core::ErrorKind;
    use time::macros::datetime;

    fn entry(kind: &str, from: Option<&str>, to: &str) -> HistoryEntry {
        HistoryEntry {
            resource_kind: kind.into(),
            resource_id: "r1".into(),
            at: datetime!(2026-12-03 10:00 UTC),
            actor: "system".into(),
            from_state: from.map(str::to_owned),
            to_state: to.into(),
            note: None,
        }
    }

    #[test]
    fn history_entries_of_the_four_streams_become_events() {
        let e = event_for(&entry("petition", None, "in_pool")).expect("event");
        assert_eq!(
            (e.stream, e.kind, e.status.as_str(), e.previous_status),
            (Stream::Petitions, EventKind::Created, "in_pool", None)
        );
        let e = event_for(&entry("work_permit", Some("submitted"), "evaluating")).expect("event");
        assert_eq!(e.kind, EventKind::StatusChanged);
        assert_eq!(e.previous_status.as_deref(), Some("submitted"));
        let e = event_for(&entry("labour_demand", Some("active"), "active")).expect("event");
        assert_eq!(e.kind, EventKind::Updated);
        let t = EventType {
            stream: e.stream,
            kind: e.kind,
        };
        assert_eq!(t.to_string(), "labour_demand.updated");
        assert!(event_for(&entry("job_seeker", None, "active")).is_none());
        assert!(event_for(&entry("application", None, "submitted")).is_none());
    }

    #[test]
    fn a_posting_enters_its_feed_when_published_not_as_a_draft() {
        assert!(event_for(&entry("posting", None, "draft")).is_none());
        assert!(event_for(&entry("posting", Some("draft"), "draft")).is_none());
        let e = event_for(&entry("posting", Some("draft"), "published")).expect("event");
        assert_eq!((e.kind, e.previous_status), (EventKind::Created, None));
        let e = event_for(&entry("posting", Some("published"), "cancelled")).expect("event");
        assert_eq!(e.kind, EventKind::StatusChanged);
    }

    #[test]
    fn cursors_and_limits_are_checked() {
        assert_eq!(Cursor::parse(None).map(Cursor::seq).ok(), Some(0));
        assert_eq!(Cursor::parse(Some("42")).map(Cursor::seq).ok(), Some(42));
        for bad in ["-1", "abc", "+3", "1e3", "99999999999999999999"] {
            let e = Cursor::parse(Some(bad)).expect_err(bad);
            assert_eq!(e.fields[0].field, "cursor");
        }
        assert!(FeedLimit::parse(Some(0)).is_err());
        assert!(FeedLimit::parse(Some(1001)).is_err());
        assert_eq!(FeedLimit::parse(None).map(FeedLimit::get).ok(), Some(100));
    }

    #[test]
    fn event_types_round_trip() {
        let all = EventType::all();
        assert_eq!(all.len(), 12);
        for t in all {
            assert_eq!(EventType::parse(&t.to_string()), Some(t));
        }
        assert_eq!(EventType::parse("petitions.created"), None);
        assert_eq!(EventType::parse("petition.deleted"), None);
    }

    #[test]
    fn who_reads_which_stream() {
        let employer = EmployerId::new();
        for r in [Reader::Anonymous, Reader::OtherUser] {
            assert_eq!(scope_for(r, Stream::Postings).ok(), Some(Scope::All));
            assert_eq!(scope_for(r, Stream::LabourDemands).ok(), Some(Scope::All));
        }
        let e = scope_for(Reader::Anonymous, Stream::Petitions).expect_err("anonymous");
        assert_eq!(e.kind, ErrorKind::Unauthenticated);
        let e = scope_for(Reader::OtherUser, Stream::Petitions).expect_err("citizen");
        assert_eq!(e.kind, ErrorKind::Forbidden);
        assert_eq!(
            scope_for(Reader::PetitionStaff, Stream::Petitions).ok(),
            Some(Scope::All)
        );
        assert_eq!(
            scope_for(Reader::WorkPermitStaff, Stream::WorkPermits).ok(),
            Some(Scope::All)
        );
        assert!(scope_for(Reader::PetitionStaff, Stream::WorkPermits).is_err());
        assert!(scope_for(Reader::WorkPermitStaff, Stream::Petitions).is_err());
        for s in Stream::ALL {
            assert_eq!(scope_for(Reader::Administrator, s).ok(), Some(Scope::All));
        }
        assert!(scope_for(
            Reader::Integrator {
                work_permit_employer: None
            },
            Stream::WorkPermits
        )
        .is_err());
        assert_eq!(
            scope_for(
                Reader::Integrator {
                    work_permit_employer: Some(employer)
                },
                Stream::WorkPermits
            )
            .ok(),
            Some(Scope::WorkPermitEmployer(employer))
        );
        assert_eq!(
            scope_for(Reader::WorkPermitEmployer(employer), Stream::WorkPermits).ok(),
            Some(Scope::WorkPermitEmployer(employer))
        );
    }

    struct Fake(Vec<Event>);

    impl FeedStore for Fake {
        fn events_after(
            &mut self,
            stream: Stream,
            scope: Scope,
            after: Cursor,
            limit: u32,
        ) -> Result<Vec<Event>, DomainError> {
            Ok(self
                .0
                .iter()
                .filter(|e| e.stream == stream && e.seq > after.seq() && scope.admits(e))
                .take(limit as usize)
                .cloned()
                .collect())
        }
    }

    #[test]
    fn paging_a_scoped_feed_resumes_after_the_last_event_seen() {
        let mine = EmployerId::new();
        let theirs = EmployerId::new();
        let events: Vec<Event> = (1..=7)
            .map(|seq| Event {
                id: EventId::new(),
                stream: Stream::WorkPermits,
                seq,
                resource_id: format!("wp{seq}"),
                kind: EventKind::Created,
                status: "draft".into(),
                previous_status: None,
                scope: Some(if seq % 2 == 0 { theirs } else { mine }),
                at: datetime!(2026-12-03 10:00 UTC),
            })
            .collect();
        let mut store = Fake(events);
        let reader = Reader::WorkPermitEmployer(mine);
        let limit = FeedLimit::parse(Some(2)).expect("limit");
        let mut cursor = Cursor::START;
        let mut seen = Vec::new();
        loop {
            let page =
                read_feed(&mut store, reader, Stream::WorkPermits, cursor, limit).expect("page");
            seen.extend(page.events.iter().map(|e| e.seq));
            cursor = page.next_cursor;
            if !page.has_more {
                break;
            }
        }
        assert_eq!(seen, vec![1, 3, 5, 7]);
        let empty =
            read_feed(&mut store, reader, Stream::WorkPermits, cursor, limit).expect("empty page");
        assert!(empty.events.is_empty());
        assert_eq!(empty.next_cursor, cursor);
    }
}
