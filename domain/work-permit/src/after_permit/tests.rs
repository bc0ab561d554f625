//! The post-permit use cases over a small in-memory fake of the store and the PTT port.

use super::*;
use crate::application::{EmployerRef, Foreigner};
use crate::kind::{ApplicationKindInput, EmployerKind};
use crate::panel::{EmployerAccess, EmployerRole};
use crate::testkit::{employer, staff, tckn};
use crate::usecases::CurrentPermit;
use kapi_core::{EmployerId, HistoryEntry, HistoryLog, Page, PageRequest, Tckn, Ykn};
use std::collections::HashMap;
use time::macros::{date, datetime};

const NOW: OffsetDateTime = datetime!(2026-03-10 10:00 +03:00);
fn owner() -> Actor {
    Actor::Citizen {
        tckn: tckn("100000001"),
    }
}
/// An authorised user of the owner's employer.
fn user() -> Actor {
    Actor::Citizen {
        tckn: tckn("100000002"),
    }
}
/// Someone with no role at the employer.
fn stranger() -> Actor {
    Actor::Citizen {
        tckn: tckn("100000009"),
    }
}

fn pdf(name: &str) -> UploadedDocument {
    UploadedDocument {
        sha256: "c".repeat(64),
        file_name: name.into(),
        size: 1234,
    }
}

#[derive(Default)]
struct Fake {
    apps: HashMap<WorkPermitId, WorkPermitApplication>,
    history: Vec<HistoryEntry>,
    /// tracking no → accepted at.
    ptt: HashMap<String, OffsetDateTime>,
    terminated: HashMap<WorkPermitId, Date>,
}

impl HistoryLog for Fake {
    fn append(&mut self, entry: &HistoryEntry) -> Result<(), DomainError> {
        crate::testkit::append(&mut self.history, entry)
    }
    fn history(&mut self, _: &str, id: &str) -> Result<Vec<HistoryEntry>, DomainError> {
        crate::testkit::history(&self.history, id)
    }
}

impl WorkPermitStore for Fake {
    fn insert(&mut self, a: &WorkPermitApplication) -> Result<(), DomainError> {
        crate::testkit::insert(&mut self.apps, a)
    }
    fn get(&mut self, id: WorkPermitId) -> Result<Option<WorkPermitApplication>, DomainError> {
        crate::testkit::get(&self.apps, id)
    }
    fn update(&mut self, a: &WorkPermitApplication, expected: i64) -> Result<bool, DomainError> {
        crate::testkit::update(&mut self.apps, a, expected)
    }
    fn list_by_employer(
        &mut self,
        _: &EmployerRef,
        _: &[Status],
        page: PageRequest,
    ) -> Result<Page<WorkPermitApplication>, DomainError> {
        Ok(Page::new(vec![], page, 0))
    }
    fn drafts_touched_before(
        &mut self,
        _: OffsetDateTime,
        _: usize,
    ) -> Result<Vec<WorkPermitApplication>, DomainError> {
        Ok(vec![])
    }
    fn delete(&mut self, _: WorkPermitId, _: i64) -> Result<bool, DomainError> {
        Ok(false)
    }
    fn current_permit(
        &mut self,
        _: &EmployerRef,
        _: &Ykn,
    ) -> Result<Option<CurrentPermit>, DomainError> {
        Ok(None)
    }
    fn employer_access(
        &mut self,
        e: EmployerId,
        person: &Tckn,
    ) -> Result<Option<EmployerAccess>, DomainError> {
        let role = if person == &tckn("100000001") {
            EmployerRole::Owner
        } else if person == &tckn("100000002") || person == &tckn("100000003") {
            EmployerRole::Authorised
        } else {
            return Ok(None);
        };
        Ok((e == employer()).then_some(EmployerAccess {
            employer_id: e,
            kind: EmployerKind::Household,
            role,
            owner: tckn("100000001"),
            missing_documents: vec![],
        }))
    }
    fn running_permits(
        &mut self,
        _: &EmployerRef,
        today: Date,
    ) -> Result<Vec<WorkPermitApplication>, DomainError> {
        Ok(self
            .apps
            .values()
            .filter(|a| a.status() == Status::Approved && !self.terminated.contains_key(&a.id))
            .filter(|a| a.period.is_some_and(|p| p.end() >= today))
            .cloned()
            .collect())
    }
}

impl AfterPermitStore for Fake {
    fn ptt_accept(
        &mut self,
        _: WorkPermitId,
        now: OffsetDateTime,
    ) -> Result<CargoTrackingNo, DomainError> {
        let no = CargoTrackingNo::parse(&format!("KP{:011}TR", self.ptt.len() + 1))
            .map_err(DomainError::field)?;
        self.ptt.insert(no.to_string(), now);
        Ok(no)
    }
    fn ptt_tracking(
        &mut self,
        no: &CargoTrackingNo,
        now: OffsetDateTime,
    ) -> Result<Option<CargoTracking>, DomainError> {
        Ok(self
            .ptt
            .get(no.as_str())
            .map(|at| simulated_ptt_events(no.clone(), *at, now)))
    }
    fn mark_terminated(
        &mut self,
        id: WorkPermitId,
        date: Date,
        _: OffsetDateTime,
    ) -> Result<(), DomainError> {
        self.terminated.insert(id, date);
        Ok(())
    }
}

/// A household's application in `status` with the permit 2026-03-01 – 2027-01-31.
fn application(f: &mut Fake, status: Status) -> WorkPermitId {
    let kind = ApplicationKindInput {
        employer_kind: "household".into(),
        filing: "first".into(),
        route: "in_turkiye".into(),
        ykn: Some(kapi_core::with_tckn_checksum("991234567").unwrap()),
        birth_date: Some(date!(1990 - 03 - 14)),
        care_kind: Some("elderly_care".into()),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let foreigner = Foreigner::of_route(&kind.route, None).unwrap();
    let mut a = WorkPermitApplication::new_draft(
        EmployerRef::Employer {
            employer_id: employer(),
        },
        tckn("100000001"),
        kind,
        foreigner,
        NOW,
    );
    a.evaluation.status = status;
    a.period = PermitPeriod::from_stored(date!(2026 - 03 - 01), date!(2027 - 01 - 31));
    f.insert(&a).unwrap();
    a.id
}

fn code<T: std::fmt::Debug>(r: Result<T, DomainError>) -> String {
    r.unwrap_err().code.into_owned()
}

fn steps_of(f: &mut Fake, id: WorkPermitId) -> Vec<String> {
    f.history(HISTORY_KIND_, &id.to_string())
        .unwrap()
        .into_iter()
        .map(|h| h.to_state)
        .collect()
}
const HISTORY_KIND_: &str = crate::application::HISTORY_KIND;

#[test]
fn the_ministry_prints_and_ships_the_card_once() {
    let mut f = Fake::default();
    let id = application(&mut f, Status::Approved);
    assert_eq!(
        code(print_card(&mut f, &owner(), id, NOW)),
        "work_permit.evaluator_only"
    );
    let a = print_card(&mut f, &staff(), id, NOW).unwrap();
    let card = a.after.card().unwrap();
    assert_eq!(card.status, ShipmentStatus::Shipped);
    assert_eq!(
        card.tracking_no.as_ref().unwrap().as_str(),
        "KP00000000001TR"
    );
    assert_eq!(a.version, 2);
    assert_eq!(steps_of(&mut f, id), ["card_printed", "card_shipped"]);
    assert_eq!(
        code(print_card(&mut f, &staff(), id, NOW)),
        "work_permit.card_already_printed"
    );
    assert_eq!(
        code(print_card(&mut f, &staff(), WorkPermitId::new(), NOW)),
        "work_permit.not_found"
    );
}

#[test]
fn only_an_approved_permit_gets_a_card() {
    let mut f = Fake::default();
    let id = application(&mut f, Status::AwaitingFees);
    assert_eq!(
        code(print_card(&mut f, &staff(), id, NOW)),
        "work_permit.not_approved"
    );
    assert_eq!(
        code(request_document(&mut f, &staff(), id, "Dilekçe", NOW)),
        "work_permit.not_approved"
    );
    assert_eq!(
        code(notify_start(
            &mut f,
            &owner(),
            id,
            date!(2026 - 03 - 05),
            pdf("a.pdf"),
            NOW
        )),
        "work_permit.not_approved"
    );
    assert!(f.history.is_empty());
}

#[test]
fn ptt_delivers_two_days_after_acceptance_and_the_reading_records_it_once() {
    let mut f = Fake::default();
    let id = application(&mut f, Status::Approved);
    let (a, t) = track_card(&mut f, &owner(), id, NOW).unwrap();
    assert!(a.after.card().is_none() && t.is_none());
    print_card(&mut f, &staff(), id, NOW).unwrap();

    let just_before = NOW + Duration::hours(PTT_DELIVERY_HOURS) - Duration::seconds(1);
    let (a, t) = track_card(&mut f, &owner(), id, just_before).unwrap();
    let t = t.unwrap();
    assert_eq!(a.after.card().unwrap().status, ShipmentStatus::Shipped);
    let kinds: Vec<_> = t.events.iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [CargoEventKind::Accepted, CargoEventKind::InTransit]);
    assert_eq!(t.delivered_at, None);

    let at = NOW + Duration::hours(PTT_DELIVERY_HOURS);
    let (a, t) = track_card(&mut f, &staff(), id, at + Duration::hours(5)).unwrap();
    let card = a.after.card().unwrap();
    assert_eq!(card.status, ShipmentStatus::Delivered);
    assert_eq!(card.delivered_at, Some(at));
    assert_eq!(t.unwrap().events.len(), 3);
    // Read again: nothing more recorded.
    track_card(&mut f, &owner(), id, at + Duration::days(3)).unwrap();
    assert_eq!(
        steps_of(&mut f, id),
        ["card_printed", "card_shipped", "card_delivered"]
    );
    assert_eq!(f.history[2].actor, "system:ptt");
    assert_eq!(
        code(track_card(&mut f, &stranger(), id, NOW)),
        "work_permit.not_found"
    );
}

#[test]
fn a_reprint_asked_for_lets_the_ministry_print_a_new_card() {
    let mut f = Fake::default();
    let id = application(&mut f, Status::Approved);
    print_card(&mut f, &staff(), id, NOW).unwrap();
    let mut a = f.get(id).unwrap().unwrap();
    assert!(!a.after.may_print());
    let note = a.after.request_reprint(NOW);
    assert!(note.contains("yeniden basılması"));
    assert!(check_card_print(&a).is_ok());
    let before = a.version;
    a.version += 1;
    f.update(&a, before).unwrap();
    let a = print_card(&mut f, &staff(), id, NOW + Duration::days(1)).unwrap();
    assert_eq!(a.after.cards.len(), 2);
    assert_eq!(a.after.reprint_requested_at, None);
    assert_eq!(
        a.after
            .card()
            .unwrap()
            .tracking_no
            .as_ref()
            .unwrap()
            .as_str(),
        "KP00000000002TR"
    );
    assert_eq!(
        code(print_card(&mut f, &staff(), id, NOW)),
        "work_permit.card_already_printed"
    );
}

#[test]
fn start_of_work_once_by_the_employer() {
    let mut f = Fake::default();
    let id = application(&mut f, Status::Approved);
    assert_eq!(
        code(notify_start(
            &mut f,
            &stranger(),
            id,
            date!(2026 - 03 - 05),
            pdf("a.pdf"),
            NOW
        )),
        "work_permit.not_found"
    );
    assert_eq!(
        code(notify_start(
            &mut f,
            &staff(),
            id,
            date!(2026 - 03 - 05),
            pdf("a.pdf"),
            NOW
        )),
        "work_permit.employer_only"
    );
    assert_eq!(
        code(notify_start(
            &mut f,
            &owner(),
            id,
            date!(2026 - 03 - 11),
            pdf("a.pdf"),
            NOW
        )),
        "work_permit.start_in_future"
    );
    let a = notify_start(
        &mut f,
        &user(),
        id,
        date!(2026 - 03 - 05),
        pdf("sgk.pdf"),
        NOW,
    )
    .unwrap();
    assert_eq!(
        a.after.start_of_work.as_ref().unwrap().started_on,
        date!(2026 - 03 - 05)
    );
    assert_eq!(
        a.after.start_of_work_document.as_ref().unwrap().file_name,
        "sgk.pdf"
    );
    assert_eq!(
        code(notify_start(
            &mut f,
            &owner(),
            id,
            date!(2026 - 03 - 05),
            pdf("a.pdf"),
            NOW
        )),
        "work_permit.start_already_notified"
    );
    assert_eq!(steps_of(&mut f, id), ["start_of_work_notified"]);
}

#[test]
fn the_assignment_limits_the_employer_commands() {
    let mut f = Fake::default();
    let id = application(&mut f, Status::Approved);
    let mut a = f.get(id).unwrap().unwrap();
    a.assignee = Some(tckn("100000003"));
    f.apps.insert(id, a);
    assert_eq!(
        code(notify_start(
            &mut f,
            &user(),
            id,
            date!(2026 - 03 - 05),
            pdf("a.pdf"),
            NOW
        )),
        "work_permit.not_assigned"
    );
    // Reading stays open to every user.
    assert!(track_card(&mut f, &user(), id, NOW).is_ok());
    assert!(notify_start(
        &mut f,
        &owner(),
        id,
        date!(2026 - 03 - 05),
        pdf("a.pdf"),
        NOW
    )
    .is_ok());
}

#[test]
fn documents_asked_for_are_uploaded_once() {
    let mut f = Fake::default();
    let id = application(&mut f, Status::Approved);
    assert_eq!(
        code(request_document(&mut f, &owner(), id, "Dilekçe", NOW)),
        "work_permit.evaluator_only"
    );
    let e = request_document(&mut f, &staff(), id, "  ", NOW).unwrap_err();
    assert_eq!(e.fields[0].field, "note");
    let (_, no) = request_document(&mut f, &staff(), id, "Güncel  kira sözleşmesi", NOW).unwrap();
    assert_eq!(no, 1);
    let (a, no2) = request_document(&mut f, &staff(), id, "Dilekçe", NOW).unwrap();
    assert_eq!(no2, 2);
    assert_eq!(a.after.document_requests[0].note, "Güncel kira sözleşmesi");
    assert_eq!(
        code(upload_requested_document(
            &mut f,
            &owner(),
            id,
            3,
            pdf("x.pdf"),
            None,
            NOW
        )),
        "work_permit.document_request_not_found"
    );
    assert_eq!(
        code(upload_requested_document(
            &mut f,
            &stranger(),
            id,
            1,
            pdf("x.pdf"),
            None,
            NOW
        )),
        "work_permit.not_found"
    );
    let a = upload_requested_document(
        &mut f,
        &owner(),
        id,
        1,
        pdf("kira.pdf"),
        Some("Ekte sunulmuştur"),
        NOW,
    )
    .unwrap();
    let answer = a.after.document_requests[0].answer.as_ref().unwrap();
    assert_eq!(answer.document.file_name, "kira.pdf");
    assert_eq!(answer.note.as_deref(), Some("Ekte sunulmuştur"));
    assert!(a.after.document_requests[1].answer.is_none());
    assert_eq!(
        code(upload_requested_document(
            &mut f,
            &owner(),
            id,
            1,
            pdf("x.pdf"),
            None,
            NOW
        )),
        "work_permit.document_request_answered"
    );
    assert_eq!(
        steps_of(&mut f, id),
        [
            "document_requested",
            "document_requested",
            "document_uploaded"
        ]
    );
    assert!(f.history[2].note.as_deref().unwrap().contains("kira.pdf"));
}

fn termination(d: Date, reason: &str) -> TerminationInput {
    TerminationInput {
        termination_date: d,
        reason: reason.into(),
        explanation: None,
    }
}

#[test]
fn the_termination_ends_the_running_permit_once() {
    let mut f = Fake::default();
    let id = application(&mut f, Status::Approved);
    let employer = EmployerRef::Employer {
        employer_id: employer(),
    };
    assert_eq!(
        f.running_permits(&employer, date!(2026 - 03 - 10))
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        code(request_termination(
            &mut f,
            &owner(),
            id,
            termination(date!(2026 - 03 - 11), "resignation"),
            NOW
        )),
        "work_permit.termination_in_future"
    );
    assert_eq!(
        code(request_termination(
            &mut f,
            &owner(),
            id,
            termination(date!(2026 - 03 - 05), "resignation"),
            datetime!(2026-03-21 10:00 +03:00)
        )),
        "work_permit.termination_late"
    );
    assert_eq!(
        code(request_termination(
            &mut f,
            &stranger(),
            id,
            termination(date!(2026 - 03 - 05), "resignation"),
            NOW
        )),
        "work_permit.not_found"
    );
    let a = request_termination(
        &mut f,
        &owner(),
        id,
        termination(date!(2026 - 03 - 05), "resignation"),
        datetime!(2026-03-20 10:00 +03:00),
    )
    .unwrap();
    assert!(a.after.is_terminated());
    assert_eq!(f.terminated.get(&id), Some(&date!(2026 - 03 - 05)));
    assert!(f
        .running_permits(&employer, date!(2026 - 03 - 20))
        .unwrap()
        .is_empty());
    assert_eq!(
        code(request_termination(
            &mut f,
            &owner(),
            id,
            termination(date!(2026 - 03 - 05), "resignation"),
            NOW
        )),
        "work_permit.permit_terminated"
    );
    assert_eq!(
        code(print_card(&mut f, &staff(), id, NOW)),
        "work_permit.permit_terminated"
    );
    assert_eq!(steps_of(&mut f, id), ["termination_requested"]);
    assert!(f.history[0].note.as_deref().unwrap().contains("İstifa"));
}

#[test]
fn the_simulated_ptt_by_the_hour() {
    let no = CargoTrackingNo::parse("KP12345678901TR").unwrap();
    let t = simulated_ptt_events(no.clone(), NOW, NOW - Duration::seconds(1));
    assert!(t.events.is_empty());
    let t = simulated_ptt_events(no.clone(), NOW, NOW);
    assert_eq!(t.events.len(), 1);
    let t = simulated_ptt_events(no.clone(), NOW, NOW + Duration::hours(PTT_TRANSIT_HOURS));
    assert_eq!(t.events.len(), 2);
    let t = simulated_ptt_events(no, NOW, NOW + Duration::hours(PTT_DELIVERY_HOURS));
    assert_eq!(t.delivered_at, Some(NOW + Duration::hours(48)));
    assert_eq!(t.events[2].kind.label_tr(), "Teslim Edildi");
}
