//! Use-case tests against an in-memory store; the clock is a parameter.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::application::*;
use crate::declarations::*;
use crate::usecases::*;
use kapi_core::*;
use kapi_identity::registry::{CitizenRegistry, RegistryAddress, RegistryCitizen};
use kapi_postings::posting::*;
use std::collections::HashMap;
use time::macros::{date, datetime};
use time::OffsetDateTime;

#[derive(Default)]
struct Fake {
    postings: HashMap<PostingId, Posting>,
    apps: Vec<Application>,
    history: Vec<HistoryEntry>,
}

impl HistoryLog for Fake {
    fn append(&mut self, e: &HistoryEntry) -> Result<(), DomainError> {
        self.history.push(e.clone());
        Ok(())
    }
    fn history(&mut self, kind: &str, id: &str) -> Result<Vec<HistoryEntry>, DomainError> {
        Ok(self
            .history
            .iter()
            .filter(|e| e.resource_kind == kind && e.resource_id == id)
            .cloned()
            .collect())
    }
}

impl CitizenRegistry for Fake {
    fn find_citizen(&mut self, tckn: &Tckn) -> Result<Option<RegistryCitizen>, DomainError> {
        Ok(Some(RegistryCitizen {
            tckn: tckn.clone(),
            first_name: "Ayşe".into(),
            last_name: format!("Aday{}", &tckn.as_str()[..3]),
            birth_date: date!(1995 - 05 - 05),
            mother_maiden_surname: "Kaya".into(),
            mobile: None,
            residence: RegistryAddress {
                province: ProvinceCode::new(6).unwrap(),
                district_code: 1,
                neighbourhood: None,
                open_address: "Kızılay".into(),
            },
            edevlet_password_hash: None,
        }))
    }
}

impl ApplicationStore for Fake {
    fn posting(&mut self, id: PostingId) -> Result<Option<Posting>, DomainError> {
        Ok(self.postings.get(&id).cloned())
    }
    fn save_posting(&mut self, p: &Posting, expected: i64) -> Result<bool, DomainError> {
        let cur = self.postings.get_mut(&p.id).unwrap();
        if cur.version != expected {
            return Ok(false);
        }
        *cur = p.clone();
        Ok(true)
    }
    fn insert(&mut self, a: &Application) -> Result<(), DomainError> {
        self.apps.push(a.clone());
        Ok(())
    }
    fn get(&mut self, id: ApplicationId) -> Result<Option<Application>, DomainError> {
        Ok(self.apps.iter().find(|a| a.id == id).cloned())
    }
    fn update(&mut self, a: &Application, expected: i64) -> Result<bool, DomainError> {
        let cur = self.apps.iter_mut().find(|x| x.id == a.id).unwrap();
        if cur.version != expected {
            return Ok(false);
        }
        *cur = a.clone();
        Ok(true)
    }
    fn live_of(&mut self, p: PostingId, t: &Tckn) -> Result<Option<Application>, DomainError> {
        Ok(self
            .apps
            .iter()
            .find(|a| a.posting_id == p && &a.candidate.tckn == t && a.status.is_live())
            .cloned())
    }
    fn of_candidate(
        &mut self,
        t: &Tckn,
        cancelled: bool,
        page: PageRequest,
    ) -> Result<Page<Application>, DomainError> {
        let items: Vec<_> = self
            .apps
            .iter()
            .filter(|a| &a.candidate.tckn == t && a.status.is_live() != cancelled)
            .cloned()
            .collect();
        let n = items.len() as u64;
        Ok(Page::new(items, page, n))
    }
    fn of_posting(
        &mut self,
        p: PostingId,
        f: &ApplicationFilter,
        page: PageRequest,
    ) -> Result<Page<Application>, DomainError> {
        let items: Vec<_> = self
            .all_of_posting(p)?
            .into_iter()
            .filter(|a| f.status.is_none_or(|s| s == a.status))
            .filter(|a| {
                f.sub_posting_no
                    .is_none_or(|n| a.wizard.sub_posting_no == Some(n))
            })
            .collect();
        let n = items.len() as u64;
        Ok(Page::new(items, page, n))
    }
    fn all_of_posting(&mut self, p: PostingId) -> Result<Vec<Application>, DomainError> {
        Ok(self
            .apps
            .iter()
            .filter(|a| a.posting_id == p && a.status != ApplicationStatus::Draft)
            .cloned()
            .collect())
    }
}

struct Rooms;
impl MeetingRooms for Rooms {
    fn open_room(
        &mut self,
        no: i64,
        stage: u32,
        id: ApplicationId,
    ) -> Result<OnlineAccess, DomainError> {
        Ok(OnlineAccess {
            password: "S3cr3t99".into(),
            link: format!("https://cam.example/{no}/{stage}/{id}"),
        })
    }
}

const OPEN: OffsetDateTime = datetime!(2026-12-05 12:00 +03:00);
const LAST_SECOND: OffsetDateTime = datetime!(2026-12-15 23:59:59 +03:00);
const NEXT_DAY: OffsetDateTime = datetime!(2026-12-16 00:00 +03:00);
const WRITTEN: OffsetDateTime = datetime!(2026-12-20 10:00 +03:00);
const INTERVIEW: OffsetDateTime = datetime!(2027-01-10 14:00 +03:00);

fn citizen(n: u32) -> Actor {
    // Valid TCKNs built by the kernel's checksum helper.
    Actor::Citizen {
        tckn: Tckn::parse(
            &kapi_core::with_tckn_checksum(&format!("{:09}", 100_000_000 + n)).unwrap(),
        )
        .unwrap(),
    }
}

fn hr(inst: InstitutionId) -> Actor {
    Actor::InstitutionStaff {
        account_id: StaffAccountId::new(),
        institution_id: inst,
    }
}

fn setup(vacancies: u32, reserve: u32) -> (Fake, PostingId, Actor) {
    let inst = InstitutionId::new();
    let id = PostingId::new();
    let stage = |no: u32, kind, at, venue| Stage {
        no,
        kind,
        name: format!("Aşama {no}"),
        starts_at: at,
        venue,
        results_approved_at: None,
    };
    let sub = |no: u32| SubPosting {
        no,
        title: format!("Pozisyon {no}"),
        text: "Pozisyon metni".into(),
        vacancies,
        reserve_count: reserve,
        province: ProvinceCode::new(6).unwrap(),
        education_level: "bachelor".into(),
        employment_type: EmploymentType::Contracted,
        requirements: vec![],
    };
    let p = Posting {
        id,
        posting_no: 7,
        institution_id: inst,
        institution_name: "Kurum".into(),
        title: "İlan".into(),
        main_text: "Ana metin".into(),
        starts_on: date!(2026 - 12 - 01),
        ends_on: date!(2026 - 12 - 15),
        status: PostingStatus::Published,
        cancel_reason: None,
        cancelled_at: None,
        published_at: Some(OPEN),
        sub_postings: vec![sub(1), sub(2)],
        stages: vec![
            stage(
                1,
                StageKind::WrittenExam,
                WRITTEN,
                StageVenue::InPerson {
                    place: "Ankara".into(),
                },
            ),
            stage(2, StageKind::Interview, INTERVIEW, StageVenue::Online),
        ],
        placement_published_at: None,
        created_at: OPEN,
        version: 1,
    };
    let mut f = Fake::default();
    f.postings.insert(id, p);
    (f, id, hr(inst))
}

fn declarations() -> DeclarationsInput {
    DeclarationsInput {
        language_exams: vec![LanguageExamInput {
            language: "İngilizce".into(),
            exam: "yds".into(),
            exam_date: "2025-04-06".into(),
            score: 80.0,
        }],
        ..Default::default()
    }
}

/// Runs the whole wizard for `who` on sub-posting `sub`, `now`.
fn apply(f: &mut Fake, p: PostingId, who: &Actor, sub: i64, now: OffsetDateTime) -> ApplicationId {
    let (l, created) = start_application(f, who, p, now).unwrap();
    assert!(created);
    let id = l.application.id;
    accept_posting_text(f, who, id, true, now).unwrap();
    choose_sub_posting(f, who, id, sub, now).unwrap();
    accept_sub_posting_text(f, who, id, true, now).unwrap();
    save_declarations(f, who, id, true, declarations(), now).unwrap();
    submit_application(f, who, id, true, now).unwrap();
    id
}

#[test]
fn the_wizard_saves_each_step_in_order_and_resumes() {
    let (mut f, p, _) = setup(1, 1);
    let c = citizen(1);
    let (l, created) = start_application(&mut f, &c, p, OPEN).unwrap();
    assert!(created);
    let id = l.application.id;
    // Out of order: the sub-posting before the posting text.
    let e = choose_sub_posting(&mut f, &c, id, 1, OPEN).unwrap_err();
    assert_eq!(e.fields[0].code, "application.step_order");
    let e = accept_posting_text(&mut f, &c, id, false, OPEN).unwrap_err();
    assert_eq!(e.fields[0].field, "accepted");
    accept_posting_text(&mut f, &c, id, true, OPEN).unwrap();
    assert_eq!(
        choose_sub_posting(&mut f, &c, id, 3, OPEN)
            .unwrap_err()
            .fields[0]
            .field,
        "sub_posting_no"
    );
    choose_sub_posting(&mut f, &c, id, 1, OPEN).unwrap();
    accept_sub_posting_text(&mut f, &c, id, true, OPEN).unwrap();
    // Resuming gives the same draft back, on the next step.
    let (again, created) = start_application(&mut f, &c, p, OPEN).unwrap();
    assert!(!created);
    assert_eq!(again.application.id, id);
    assert_eq!(
        again.application.wizard.next_step(),
        Some(Step::Declarations)
    );
    // Submit without the declarations step.
    let e = submit_application(&mut f, &c, id, true, OPEN).unwrap_err();
    assert_eq!(e.code, "application.steps_incomplete");
    assert_eq!(e.fields[0].field, "steps.declarations");
    // Registry not confirmed, a future exam date.
    let mut d = declarations();
    d.language_exams[0].exam_date = "2026-12-06".into();
    let e = save_declarations(&mut f, &c, id, false, d, OPEN).unwrap_err();
    let fields: Vec<_> = e.fields.iter().map(|x| x.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "registry_confirmed",
            "declarations.language_exams[0].exam_date"
        ]
    );
    save_declarations(&mut f, &c, id, true, declarations(), OPEN).unwrap();
    // Back from the preview: another sub-posting takes back its text acceptance.
    choose_sub_posting(&mut f, &c, id, 2, OPEN).unwrap();
    let e = submit_application(&mut f, &c, id, true, OPEN).unwrap_err();
    assert_eq!(e.fields[0].field, "steps.sub_posting_text");
    accept_sub_posting_text(&mut f, &c, id, true, OPEN).unwrap();
    let e = submit_application(&mut f, &c, id, false, OPEN).unwrap_err();
    assert_eq!(e.fields[0].code, "application.acceptance_required");
    let l = submit_application(&mut f, &c, id, true, OPEN).unwrap();
    assert_eq!(l.application.status, ApplicationStatus::Pending);
    assert_eq!(l.application.wizard.sub_posting_no, Some(2));
    // No step changes after submitting; no second live application.
    assert_eq!(
        accept_posting_text(&mut f, &c, id, true, OPEN)
            .unwrap_err()
            .code,
        "application.not_draft"
    );
    assert_eq!(
        start_application(&mut f, &c, p, OPEN).unwrap_err().code,
        "application.already_applied"
    );
}

#[test]
fn applying_only_inside_the_window() {
    let (mut f, p, _) = setup(1, 1);
    let c = citizen(2);
    // Before the window the posting is not public yet; from its first day it is.
    let before = datetime!(2026-11-30 23:59:59 +03:00);
    assert_eq!(
        start_application(&mut f, &c, p, before).unwrap_err().code,
        "posting.not_found"
    );
    let first = datetime!(2026-12-01 00:00 +03:00);
    assert!(start_application(&mut f, &citizen(20), p, first).is_ok());
    let (l, _) = start_application(&mut f, &c, p, LAST_SECOND).unwrap();
    // A draft started in time cannot be submitted after the end date.
    accept_posting_text(&mut f, &c, l.application.id, true, LAST_SECOND).unwrap();
    assert_eq!(
        accept_posting_text(&mut f, &c, l.application.id, true, NEXT_DAY)
            .unwrap_err()
            .code,
        "application.window_closed"
    );
    assert_eq!(
        start_application(&mut f, &citizen(3), p, NEXT_DAY)
            .unwrap_err()
            .code,
        "application.window_closed"
    );
}

#[test]
fn cancel_until_the_end_date_then_apply_again() {
    let (mut f, p, _) = setup(1, 1);
    let c = citizen(4);
    let id = apply(&mut f, p, &c, 1, OPEN);
    let l = cancel_by_candidate(&mut f, &c, id, LAST_SECOND).unwrap();
    assert_eq!(l.application.status, ApplicationStatus::Cancelled);
    assert_eq!(
        cancel_by_candidate(&mut f, &c, id, LAST_SECOND)
            .unwrap_err()
            .code,
        "application.cancelled"
    );
    let again = apply(&mut f, p, &c, 2, LAST_SECOND);
    assert_ne!(again, id);
    let e = cancel_by_candidate(&mut f, &c, again, NEXT_DAY).unwrap_err();
    assert_eq!(e.code, "application.deadline_passed");
    assert_eq!(e.kind, ErrorKind::Invalid);
    let live = my_applications(&mut f, &c, false, PageRequest::first()).unwrap();
    let cancelled = my_applications(&mut f, &c, true, PageRequest::first()).unwrap();
    assert_eq!((live.total, cancelled.total), (1, 1));
}

#[test]
fn nobody_reaches_another_ones_application() {
    let (mut f, p, inst) = setup(1, 1);
    let c = citizen(5);
    let id = apply(&mut f, p, &c, 1, OPEN);
    let (draft, _) = start_application(&mut f, &citizen(6), p, OPEN).unwrap();
    assert_eq!(
        get_application(&mut f, &citizen(6), id).unwrap_err().code,
        "application.not_found"
    );
    let other = hr(InstitutionId::new());
    assert_eq!(
        get_application(&mut f, &other, id).unwrap_err().kind,
        ErrorKind::NotFound
    );
    assert_eq!(
        posting_applications(&mut f, &other, p, &Default::default(), PageRequest::first())
            .unwrap_err()
            .code,
        "posting.not_found"
    );
    assert_eq!(
        approve_applications(&mut f, &other, p, &[id], OPEN)
            .unwrap_err()
            .code,
        "posting.not_found"
    );
    // The institution never sees drafts.
    assert!(get_application(&mut f, &inst, draft.application.id).is_err());
    assert!(get_application(&mut f, &inst, id).is_ok());
    let all =
        posting_applications(&mut f, &inst, p, &Default::default(), PageRequest::first()).unwrap();
    assert_eq!(all.total, 1);
    // A candidate cannot approve; the institution cancels with a reason the candidate sees.
    assert_eq!(
        approve_applications(&mut f, &c, p, &[id], OPEN)
            .unwrap_err()
            .kind,
        ErrorKind::Forbidden
    );
    assert_eq!(
        cancel_by_institution(&mut f, &inst, id, "kısa", OPEN)
            .unwrap_err()
            .fields[0]
            .field,
        "reason"
    );
    cancel_by_institution(&mut f, &inst, id, "Şartları taşımıyor", OPEN).unwrap();
    let mine = get_application(&mut f, &c, id).unwrap();
    assert_eq!(
        mine.application.cancellation.unwrap().reason.as_deref(),
        Some("Şartları taşımıyor")
    );
}

#[test]
fn bulk_approval_is_all_or_nothing() {
    let (mut f, p, inst) = setup(1, 1);
    let a = apply(&mut f, p, &citizen(7), 1, OPEN);
    let b = apply(&mut f, p, &citizen(8), 1, OPEN);
    let e = approve_applications(&mut f, &inst, p, &[a, ApplicationId::new()], OPEN).unwrap_err();
    assert_eq!(e.fields[0].field, "application_ids[1]");
    assert_eq!(
        f.get(a).unwrap().unwrap().status,
        ApplicationStatus::Pending
    );
    approve_applications(&mut f, &inst, p, &[a, b], OPEN).unwrap();
    let e = approve_applications(&mut f, &inst, p, &[a], OPEN).unwrap_err();
    assert_eq!(e.fields[0].code, "application.not_pending");
}

#[test]
fn results_are_hidden_until_approved_and_access_until_the_interview() {
    let (mut f, p, inst) = setup(1, 0);
    let c = citizen(9);
    let id = apply(&mut f, p, &c, 1, OPEN);
    approve_applications(&mut f, &inst, p, &[id], OPEN).unwrap();
    // Invitations wait for the window to close.
    assert_eq!(
        invite_to_stage(&mut f, &mut Rooms, &inst, p, 1, &[id], LAST_SECOND)
            .unwrap_err()
            .code,
        "posting.window_open"
    );
    assert_eq!(
        invite_to_stage(&mut f, &mut Rooms, &inst, p, 2, &[id], NEXT_DAY)
            .unwrap_err()
            .code,
        "stage.previous_not_approved"
    );
    invite_to_stage(&mut f, &mut Rooms, &inst, p, 1, &[id], NEXT_DAY).unwrap();
    let r = |score, outcome: &str| ResultInput {
        application_id: id,
        score: Some(score),
        outcome: outcome.into(),
    };
    let just_before = WRITTEN - time::Duration::seconds(1);
    assert_eq!(
        record_results(&mut f, &inst, p, 1, &[r(85.5, "positive")], just_before)
            .unwrap_err()
            .code,
        "stage.not_started"
    );
    assert_eq!(
        record_results(&mut f, &inst, p, 1, &[r(101.0, "positive")], WRITTEN)
            .unwrap_err()
            .fields[0]
            .field,
        "results[0].score"
    );
    record_results(&mut f, &inst, p, 1, &[r(85.5, "positive")], WRITTEN).unwrap();
    // Recorded, not approved: the candidate sees Bekliyor and no score; the institution sees it.
    let l = get_application(&mut f, &c, id).unwrap();
    let v = stage_views(&l.application, &l.posting, Reader::Candidate, WRITTEN);
    assert_eq!((v[0].score, v[0].outcome), (None, Outcome::Pending));
    let v = stage_views(&l.application, &l.posting, Reader::Institution, WRITTEN);
    assert_eq!(v[0].score.map(Score::as_f64), Some(85.5));
    approve_stage_results(&mut f, &inst, p, 1, None, WRITTEN).unwrap();
    let l = get_application(&mut f, &c, id).unwrap();
    let v = stage_views(&l.application, &l.posting, Reader::Candidate, WRITTEN);
    assert_eq!(v[0].score.map(Score::as_f64), Some(85.5));
    assert_eq!(v[0].outcome, Outcome::Positive);
    assert_eq!(
        record_results(&mut f, &inst, p, 1, &[r(90.0, "positive")], WRITTEN)
            .unwrap_err()
            .code,
        "stage.results_approved"
    );
    // Online interview: password and link from the interview time.
    invite_to_stage(&mut f, &mut Rooms, &inst, p, 2, &[id], WRITTEN).unwrap();
    let exams = my_exams(&mut f, &c, INTERVIEW - time::Duration::seconds(1)).unwrap();
    assert_eq!(exams.len(), 2);
    assert!(exams[1].stage.access.is_none());
    assert_eq!(exams[1].stage.access_from, Some(INTERVIEW));
    let exams = my_exams(&mut f, &c, INTERVIEW).unwrap();
    assert_eq!(exams[1].stage.access.as_ref().unwrap().password, "S3cr3t99");
    // Approval needs every outcome.
    assert_eq!(
        approve_stage_results(&mut f, &inst, p, 2, None, INTERVIEW)
            .unwrap_err()
            .code,
        "stage.results_incomplete"
    );
}

#[test]
fn placement_waits_for_every_stage_and_ranks_with_ties() {
    let (mut f, p, inst) = setup(1, 1);
    let cs: Vec<Actor> = (10..14).map(citizen).collect();
    // Submission order: 0, 1, 2, 3 (a minute apart).
    let ids: Vec<ApplicationId> = cs
        .iter()
        .enumerate()
        .map(|(i, c)| apply(&mut f, p, c, 1, OPEN + time::Duration::minutes(i as i64)))
        .collect();
    approve_applications(&mut f, &inst, p, &ids, OPEN).unwrap();
    invite_to_stage(&mut f, &mut Rooms, &inst, p, 1, &ids, NEXT_DAY).unwrap();
    let res = |scores: [(f64, &str); 4]| -> Vec<ResultInput> {
        ids.iter()
            .zip(scores)
            .map(|(id, (s, o))| ResultInput {
                application_id: *id,
                score: Some(s),
                outcome: o.into(),
            })
            .collect()
    };
    record_results(
        &mut f,
        &inst,
        p,
        1,
        &res([
            (70.0, "positive"),
            (90.0, "positive"),
            (70.0, "positive"),
            (95.0, "negative"),
        ]),
        WRITTEN,
    )
    .unwrap();
    assert_eq!(
        publish_placement(&mut f, &inst, p, None, WRITTEN)
            .unwrap_err()
            .code,
        "placement.stages_not_approved"
    );
    approve_stage_results(&mut f, &inst, p, 1, None, WRITTEN).unwrap();
    // Candidate 3 failed stage 1 and cannot be invited to stage 2.
    let e = invite_to_stage(&mut f, &mut Rooms, &inst, p, 2, &ids, WRITTEN).unwrap_err();
    assert_eq!(e.fields[0].field, "application_ids[3]");
    invite_to_stage(&mut f, &mut Rooms, &inst, p, 2, &ids[..3], WRITTEN).unwrap();
    // All three tie on the interview; 1 wins on the written exam; 0 and 2 tie on both and 0
    // submitted first.
    record_results(
        &mut f,
        &inst,
        p,
        2,
        &res([
            (80.0, "positive"),
            (80.0, "positive"),
            (80.0, "positive"),
            (0.0, "pending"),
        ])[..3],
        INTERVIEW,
    )
    .unwrap();
    approve_stage_results(&mut f, &inst, p, 2, None, INTERVIEW).unwrap();
    let (posting, apps) = publish_placement(&mut f, &inst, p, None, INTERVIEW).unwrap();
    assert!(posting.placement_published_at.is_some());
    let of = |i: usize| {
        apps.iter()
            .find(|a| a.id == ids[i])
            .unwrap()
            .placement
            .unwrap()
    };
    assert_eq!(
        (of(1).result, of(1).rank),
        (PlacementResult::Principal, Some(1))
    );
    assert_eq!(
        (of(0).result, of(0).rank),
        (PlacementResult::Reserve, Some(2))
    );
    assert_eq!(
        (of(2).result, of(2).rank),
        (PlacementResult::Unsuccessful, Some(3))
    );
    assert_eq!(
        (of(3).result, of(3).rank),
        (PlacementResult::Unsuccessful, None)
    );
    assert_eq!(
        publish_placement(&mut f, &inst, p, None, INTERVIEW)
            .unwrap_err()
            .code,
        "posting.placement_published"
    );
    let l = get_application(&mut f, &cs[1], ids[1]).unwrap();
    assert_eq!(
        l.application.placement.unwrap().result,
        PlacementResult::Principal
    );
    let notes: Vec<String> = f
        .history(HISTORY_KIND, &ids[1].to_string())
        .unwrap()
        .into_iter()
        .filter_map(|e| e.note)
        .collect();
    assert!(notes.contains(&"Yerleştirme Sonucu: Asil".to_owned()));
    assert!(notes.contains(&"Başvuru Onaylandı".to_owned()));
}
