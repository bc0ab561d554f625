//! Application use cases: the candidate's wizard, submit and cancel; the institution's
//! approval and cancellation; invitations, results and their approval; placement.
//!
//! Scope is enforced here: a candidate reaches only their own applications, an institution
//! only the (submitted) applications of its own postings; anything else is 404, never 403,
//! so no one learns that another's record exists. Scores and outcomes reach a candidate only
//! once the institution has approved the stage's results; an online stage's password and
//! link only from the stage's start time.

use crate::application::{
    Application, ApplicationStatus, Cancellation, CancelledBy, Candidate, OnlineAccess, Outcome,
    Placement, Score, StageRecord, Step, Wizard,
};
use crate::declarations::DeclarationsInput;
use crate::placement::{place, Contender};
use kapi_core::{
    clean_text, istanbul_date_of, Actor, ApplicationId, DomainError, FieldError, FieldErrors,
    HistoryEntry, HistoryLog, InstitutionId, Page, PageRequest, PostingId, Tckn,
};
use kapi_identity::registry::CitizenRegistry;
use kapi_postings::posting::{Posting, PostingStatus, Stage, StageVenue, WindowState};
use time::OffsetDateTime;

pub const HISTORY_KIND: &str = "application";
/// Postings' history kind (stage approvals and placement are posting events too).
pub const POSTING_HISTORY_KIND: &str = "posting";
/// At most this many applications in one bulk command.
pub const MAX_BULK: usize = 500;

/// What the institution filters its applications by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplicationFilter {
    pub sub_posting_no: Option<u32>,
    /// Never `draft`: drafts are the candidate's own.
    pub status: Option<ApplicationStatus>,
    /// Folded, matched within the candidate's full name.
    pub name: Option<String>,
}

/// The applications store port.
pub trait ApplicationStore: HistoryLog + CitizenRegistry {
    fn posting(&mut self, id: PostingId) -> Result<Option<Posting>, DomainError>;
    /// `p.version` is the new version; false when the stored one is not `expected`.
    fn save_posting(&mut self, p: &Posting, expected: i64) -> Result<bool, DomainError>;
    fn insert(&mut self, a: &Application) -> Result<(), DomainError>;
    fn get(&mut self, id: ApplicationId) -> Result<Option<Application>, DomainError>;
    /// `a.version` is the new version; false when the stored one is not `expected`.
    fn update(&mut self, a: &Application, expected: i64) -> Result<bool, DomainError>;
    /// The candidate's live (draft, pending or approved) application to the posting.
    fn live_of(
        &mut self,
        posting: PostingId,
        tckn: &Tckn,
    ) -> Result<Option<Application>, DomainError>;
    /// The candidate's live or cancelled applications, newest first.
    fn of_candidate(
        &mut self,
        tckn: &Tckn,
        cancelled: bool,
        page: PageRequest,
    ) -> Result<Page<Application>, DomainError>;
    /// Submitted applications of a posting (never drafts), in submission order.
    fn of_posting(
        &mut self,
        posting: PostingId,
        filter: &ApplicationFilter,
        page: PageRequest,
    ) -> Result<Page<Application>, DomainError>;
    /// Every submitted application of a posting (never drafts), in submission order.
    fn all_of_posting(&mut self, posting: PostingId) -> Result<Vec<Application>, DomainError>;
}

/// The online meeting service (simulated CAM application): a room per invitation.
pub trait MeetingRooms {
    fn open_room(
        &mut self,
        posting_no: i64,
        stage_no: u32,
        application: ApplicationId,
    ) -> Result<OnlineAccess, DomainError>;
}

/// An application with the posting it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub application: Application,
    pub posting: Posting,
}

fn not_found() -> DomainError {
    DomainError::not_found("application.not_found", "No such application.")
}

use kapi_postings::usecases::not_found as posting_not_found;

fn candidate_of(actor: &Actor) -> Result<&Tckn, DomainError> {
    match actor {
        Actor::Citizen { tckn } => Ok(tckn),
        _ => Err(DomainError::forbidden(
            "application.citizen_only",
            "Only a candidate logged in through e-Devlet does this.",
        )),
    }
}

fn institution_of(actor: &Actor) -> Result<InstitutionId, DomainError> {
    match actor {
        Actor::InstitutionStaff { institution_id, .. } => Ok(*institution_id),
        _ => Err(DomainError::forbidden(
            "application.institution_only",
            "Only the institution's HR staff does this.",
        )),
    }
}

fn posting_of(store: &mut impl ApplicationStore, id: PostingId) -> Result<Posting, DomainError> {
    store.posting(id)?.ok_or_else(posting_not_found)
}

/// The institution's own posting (404 for another institution's).
fn institution_posting(
    store: &mut impl ApplicationStore,
    actor: &Actor,
    id: PostingId,
) -> Result<Posting, DomainError> {
    let inst = institution_of(actor)?;
    let p = posting_of(store, id)?;
    if p.institution_id != inst {
        return Err(posting_not_found());
    }
    Ok(p)
}

fn own_application(
    store: &mut impl ApplicationStore,
    actor: &Actor,
    id: ApplicationId,
) -> Result<Application, DomainError> {
    let tckn = candidate_of(actor)?;
    match store.get(id)? {
        Some(a) if &a.candidate.tckn == tckn => Ok(a),
        _ => Err(not_found()),
    }
}

fn institution_application(
    store: &mut impl ApplicationStore,
    actor: &Actor,
    id: ApplicationId,
) -> Result<Application, DomainError> {
    let inst = institution_of(actor)?;
    match store.get(id)? {
        Some(a) if a.institution_id == inst && a.status != ApplicationStatus::Draft => Ok(a),
        _ => Err(not_found()),
    }
}

fn save(store: &mut impl ApplicationStore, a: &mut Application) -> Result<(), DomainError> {
    let before = a.version;
    a.version += 1;
    if !store.update(a, before)? {
        return Err(DomainError::stale("application"));
    }
    Ok(())
}

fn save_posting(store: &mut impl ApplicationStore, p: &mut Posting) -> Result<(), DomainError> {
    let before = p.version;
    p.version += 1;
    if !store.save_posting(p, before)? {
        return Err(DomainError::stale("posting"));
    }
    Ok(())
}

fn record(
    store: &mut impl ApplicationStore,
    a: &Application,
    actor: &Actor,
    from: Option<ApplicationStatus>,
    note: String,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    store.append(&HistoryEntry {
        resource_kind: HISTORY_KIND.into(),
        resource_id: a.id.to_string(),
        at: now,
        actor: actor.audit_label(),
        from_state: from.map(|s| s.as_str().to_owned()),
        to_state: a.status.as_str().to_owned(),
        note: Some(note),
    })
}

fn record_posting(
    store: &mut impl ApplicationStore,
    p: &Posting,
    actor: &Actor,
    note: String,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    let state = p.status.as_str().to_owned();
    store.append(&HistoryEntry {
        resource_kind: POSTING_HISTORY_KIND.into(),
        resource_id: p.id.to_string(),
        at: now,
        actor: actor.audit_label(),
        from_state: Some(state.clone()),
        to_state: state,
        note: Some(note),
    })
}

/// Applications are taken (and the wizard saved) only while the posting is published and
/// inside its window: until the end date 23:59:59 Istanbul.
fn require_open(p: &Posting, now: OffsetDateTime) -> Result<(), DomainError> {
    if p.status == PostingStatus::Cancelled {
        return Err(DomainError::conflict(
            "posting.cancelled",
            "The posting has been cancelled.",
        ));
    }
    if !p.is_active(now) {
        return Err(DomainError::invalid(
            "application.window_closed",
            format!(
                "Applications are accepted from {} until {} (Istanbul).",
                p.starts_on, p.ends_on
            ),
        ));
    }
    Ok(())
}

fn require_draft(a: &Application) -> Result<(), DomainError> {
    if a.status != ApplicationStatus::Draft {
        return Err(DomainError::conflict(
            "application.not_draft",
            "The application has been submitted; its steps can no longer change.",
        ));
    }
    Ok(())
}

fn require_accepted(accepted: bool) -> Result<(), DomainError> {
    if !accepted {
        return Err(DomainError::rule(FieldError::new(
            "accepted",
            "application.acceptance_required",
            "Tick \"Yukarıdaki bilgilendirme yazısını okudum ve kabul ediyorum.\" to go on.",
        )));
    }
    Ok(())
}

/// Loads the candidate's own draft, its posting open for applications.
fn wizard_step(
    store: &mut impl ApplicationStore,
    actor: &Actor,
    id: ApplicationId,
    now: OffsetDateTime,
) -> Result<Loaded, DomainError> {
    let a = own_application(store, actor, id)?;
    require_draft(&a)?;
    let p = posting_of(store, a.posting_id)?;
    require_open(&p, now)?;
    Ok(Loaded {
        application: a,
        posting: p,
    })
}

/// "Başvur": starts the wizard on an active posting, or resumes the candidate's draft.
/// Returns the draft and whether it was created now.
pub fn start_application(
    store: &mut impl ApplicationStore,
    actor: &Actor,
    posting_id: PostingId,
    now: OffsetDateTime,
) -> Result<(Loaded, bool), DomainError> {
    let tckn = candidate_of(actor)?.clone();
    // What the candidate cannot see (a draft, an upcoming or cancelled posting) is 404.
    let p = match store.posting(posting_id)? {
        Some(p) if kapi_postings::usecases::can_see(Some(actor), &p, now) => p,
        _ => return Err(posting_not_found()),
    };
    require_open(&p, now)?;
    if let Some(a) = store.live_of(posting_id, &tckn)? {
        if a.status == ApplicationStatus::Draft {
            return Ok((
                Loaded {
                    application: a,
                    posting: p,
                },
                false,
            ));
        }
        return Err(DomainError::conflict(
            "application.already_applied",
            "You already have an application to this posting; cancel it to apply again.",
        ));
    }
    let person = store.find_citizen(&tckn)?.ok_or_else(|| {
        DomainError::invalid(
            "candidate.not_in_registry",
            "The identity registry does not know this TCKN.",
        )
    })?;
    let a = Application {
        id: ApplicationId::new(),
        posting_id,
        posting_no: p.posting_no,
        institution_id: p.institution_id,
        candidate: Candidate {
            tckn,
            first_name: person.first_name,
            last_name: person.last_name,
            birth_date: person.birth_date,
            province: person.residence.province.get(),
            district_code: person.residence.district_code,
            open_address: person.residence.open_address,
        },
        status: ApplicationStatus::Draft,
        wizard: Wizard::default(),
        submitted_at: None,
        approved_at: None,
        cancellation: None,
        stages: Vec::new(),
        placement: None,
        created_at: now,
        version: 1,
    };
    store.insert(&a)?;
    record(store, &a, actor, None, "Başvuru Başlatıldı".into(), now)?;
    Ok((
        Loaded {
            application: a,
            posting: p,
        },
        true,
    ))
}

/// Step 1: "Yukarıdaki bilgilendirme yazısını okudum ve kabul ediyorum." for the posting.
pub fn accept_posting_text(
    store: &mut impl ApplicationStore,
    actor: &Actor,
    id: ApplicationId,
    accepted: bool,
    now: OffsetDateTime,
) -> Result<Loaded, DomainError> {
    let mut l = wizard_step(store, actor, id, now)?;
    require_accepted(accepted)?;
    l.application.wizard.posting_text_accepted_at = Some(now);
    save(store, &mut l.application)?;
    Ok(l)
}

/// Step 2: exactly one sub-posting. Choosing another takes back step 3.
pub fn choose_sub_posting(
    store: &mut impl ApplicationStore,
    actor: &Actor,
    id: ApplicationId,
    sub_posting_no: i64,
    now: OffsetDateTime,
) -> Result<Loaded, DomainError> {
    let mut l = wizard_step(store, actor, id, now)?;
    l.application.wizard.require_before(Step::SubPosting)?;
    let no = u32::try_from(sub_posting_no)
        .ok()
        .filter(|n| l.posting.sub_posting(*n).is_some())
        .ok_or_else(|| {
            DomainError::rule(FieldError::new(
                "sub_posting_no",
                "sub_posting.unknown",
                "Not a sub-posting of this posting.",
            ))
        })?;
    let w = &mut l.application.wizard;
    if w.sub_posting_no != Some(no) {
        w.sub_posting_no = Some(no);
        w.sub_posting_text_accepted_at = None;
    }
    save(store, &mut l.application)?;
    Ok(l)
}

/// Step 3: the chosen sub-posting's text accepted.
pub fn accept_sub_posting_text(
    store: &mut impl ApplicationStore,
    actor: &Actor,
    id: ApplicationId,
    accepted: bool,
    now: OffsetDateTime,
) -> Result<Loaded, DomainError> {
    let mut l = wizard_step(store, actor, id, now)?;
    l.application.wizard.require_before(Step::SubPostingText)?;
    require_accepted(accepted)?;
    l.application.wizard.sub_posting_text_accepted_at = Some(now);
    save(store, &mut l.application)?;
    Ok(l)
}

/// Step 4: the registry data confirmed and the declarations saved (all or nothing).
pub fn save_declarations(
    store: &mut impl ApplicationStore,
    actor: &Actor,
    id: ApplicationId,
    registry_confirmed: bool,
    input: DeclarationsInput,
    now: OffsetDateTime,
) -> Result<Loaded, DomainError> {
    let mut l = wizard_step(store, actor, id, now)?;
    l.application.wizard.require_before(Step::Declarations)?;
    let mut e = FieldErrors::new();
    if !registry_confirmed {
        e.push(FieldError::new(
            "registry_confirmed",
            "application.registry_not_confirmed",
            "Confirm the identity registry data shown.",
        ));
    }
    let declarations = input.validate(istanbul_date_of(now), &mut e);
    e.finish()?;
    l.application.wizard.registry_confirmed_at = Some(now);
    l.application.wizard.declarations = declarations;
    save(store, &mut l.application)?;
    Ok(l)
}

/// Step 5: the preview accepted → submitted (Başvuru Bekliyor). Every step must be saved
/// and the window open.
pub fn submit_application(
    store: &mut impl ApplicationStore,
    actor: &Actor,
    id: ApplicationId,
    accepted: bool,
    now: OffsetDateTime,
) -> Result<Loaded, DomainError> {
    let mut l = wizard_step(store, actor, id, now)?;
    let missing = l.application.wizard.missing_steps();
    if !missing.is_empty() {
        let mut e = DomainError::fields(
            missing
                .iter()
                .map(|s| {
                    FieldError::new(
                        format!("steps.{}", s.as_str()),
                        "application.step_missing",
                        "This step has not been saved.",
                    )
                })
                .collect(),
        );
        e.code = "application.steps_incomplete".into();
        e.message = "Save every step before submitting.".into();
        return Err(e);
    }
    require_accepted(accepted)?;
    let from = l.application.status;
    l.application.status = ApplicationStatus::Pending;
    l.application.submitted_at = Some(now);
    save(store, &mut l.application)?;
    let title = l
        .application
        .wizard
        .sub_posting_no
        .and_then(|n| l.posting.sub_posting(n))
        .map(|s| s.title.clone())
        .unwrap_or_default();
    record(
        store,
        &l.application,
        actor,
        Some(from),
        format!("Başvuru Tamamlandı: {title}"),
        now,
    )?;
    Ok(l)
}

/// The candidate cancels — only until the posting's end date (Istanbul); afterwards
/// 422 `application.deadline_passed`. A new application may then be made before that date.
pub fn cancel_by_candidate(
    store: &mut impl ApplicationStore,
    actor: &Actor,
    id: ApplicationId,
    now: OffsetDateTime,
) -> Result<Loaded, DomainError> {
    let mut a = own_application(store, actor, id)?;
    if a.status == ApplicationStatus::Cancelled {
        return Err(DomainError::conflict(
            "application.cancelled",
            "The application is already cancelled.",
        ));
    }
    let p = posting_of(store, a.posting_id)?;
    if now > p.application_deadline() {
        return Err(DomainError::invalid(
            "application.deadline_passed",
            format!(
                "An application can be cancelled only until the posting's end date ({}).",
                p.ends_on
            ),
        ));
    }
    let from = a.status;
    a.status = ApplicationStatus::Cancelled;
    a.cancellation = Some(Cancellation {
        by: CancelledBy::Candidate,
        reason: None,
        at: now,
    });
    save(store, &mut a)?;
    record(
        store,
        &a,
        actor,
        Some(from),
        "Başvuru Aday Tarafından İptal Edildi".into(),
        now,
    )?;
    Ok(Loaded {
        application: a,
        posting: p,
    })
}

/// The institution cancels a submitted application with a reason the candidate sees.
pub fn cancel_by_institution(
    store: &mut impl ApplicationStore,
    actor: &Actor,
    id: ApplicationId,
    reason: &str,
    now: OffsetDateTime,
) -> Result<Loaded, DomainError> {
    let mut a = institution_application(store, actor, id)?;
    let reason = clean_text("reason", reason, 5, 500).map_err(DomainError::field)?;
    if a.status == ApplicationStatus::Cancelled {
        return Err(DomainError::conflict(
            "application.cancelled",
            "The application is already cancelled.",
        ));
    }
    let p = posting_of(store, a.posting_id)?;
    require_no_placement(&p)?;
    let from = a.status;
    a.status = ApplicationStatus::Cancelled;
    a.cancellation = Some(Cancellation {
        by: CancelledBy::Institution,
        reason: Some(reason.clone()),
        at: now,
    });
    save(store, &mut a)?;
    record(
        store,
        &a,
        actor,
        Some(from),
        format!("Başvuru Kurum Tarafından İptal Edildi: {reason}"),
        now,
    )?;
    Ok(Loaded {
        application: a,
        posting: p,
    })
}

fn require_no_placement(p: &Posting) -> Result<(), DomainError> {
    if p.placement_published_at.is_some() {
        return Err(DomainError::conflict(
            "posting.placement_published",
            "The placement has been published; the applications are final.",
        ));
    }
    Ok(())
}

fn bulk_ids(field: &str, ids: &[ApplicationId]) -> Result<(), DomainError> {
    if ids.is_empty() || ids.len() > MAX_BULK {
        return Err(DomainError::rule(FieldError::new(
            field,
            "bulk.size",
            format!("Between 1 and {MAX_BULK} applications."),
        )));
    }
    Ok(())
}

/// The institution approves pending applications of its posting (Başvuru Onaylandı), in
/// bulk: all or nothing, each refused one named (`application_ids[2]`).
pub fn approve_applications(
    store: &mut impl ApplicationStore,
    actor: &Actor,
    posting_id: PostingId,
    ids: &[ApplicationId],
    now: OffsetDateTime,
) -> Result<Vec<Application>, DomainError> {
    let p = institution_posting(store, actor, posting_id)?;
    bulk_ids("application_ids", ids)?;
    require_no_placement(&p)?;
    let mut e = FieldErrors::new();
    let mut apps = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let field = format!("application_ids[{i}]");
        match store.get(*id)? {
            Some(a) if a.posting_id == posting_id && a.status != ApplicationStatus::Draft => {
                if a.status != ApplicationStatus::Pending {
                    e.push(FieldError::new(
                        field,
                        "application.not_pending",
                        format!("The application is {}.", a.status.label_tr()),
                    ));
                } else if apps.iter().any(|x: &Application| x.id == a.id) {
                    e.push(FieldError::new(field, "bulk.duplicate", "Listed twice."));
                } else {
                    apps.push(a);
                }
            }
            _ => e.push(FieldError::new(
                field,
                "application.not_found",
                "No such application of this posting.",
            )),
        }
    }
    e.finish()?;
    for a in &mut apps {
        a.status = ApplicationStatus::Approved;
        a.approved_at = Some(now);
        save(store, a)?;
        record(
            store,
            a,
            actor,
            Some(ApplicationStatus::Pending),
            "Başvuru Onaylandı".into(),
            now,
        )?;
    }
    Ok(apps)
}

/// One application: the candidate's own (any status) or a submitted one of the
/// institution's posting.
pub fn get_application(
    store: &mut impl ApplicationStore,
    actor: &Actor,
    id: ApplicationId,
) -> Result<Loaded, DomainError> {
    let a = match actor {
        Actor::Citizen { .. } => own_application(store, actor, id)?,
        Actor::InstitutionStaff { .. } => institution_application(store, actor, id)?,
        _ => return Err(not_found()),
    };
    let p = posting_of(store, a.posting_id)?;
    Ok(Loaded {
        application: a,
        posting: p,
    })
}

/// The application's history, for the same people who may read it.
pub fn application_history(
    store: &mut impl ApplicationStore,
    actor: &Actor,
    id: ApplicationId,
) -> Result<Vec<HistoryEntry>, DomainError> {
    let l = get_application(store, actor, id)?;
    store.history(HISTORY_KIND, &l.application.id.to_string())
}

/// "Başvurularım" (live) or "İptal Edilen Başvurularım" (cancelled).
pub fn my_applications(
    store: &mut impl ApplicationStore,
    actor: &Actor,
    cancelled: bool,
    page: PageRequest,
) -> Result<Page<Loaded>, DomainError> {
    let tckn = candidate_of(actor)?.clone();
    let found = store.of_candidate(&tckn, cancelled, page)?;
    let mut items = Vec::with_capacity(found.items.len());
    for a in found.items {
        let p = posting_of(store, a.posting_id)?;
        items.push(Loaded {
            application: a,
            posting: p,
        });
    }
    Ok(Page {
        items,
        page: found.page,
        per_page: found.per_page,
        total: found.total,
        total_capped: found.total_capped,
    })
}

/// The institution's list of a posting's submitted applications.
pub fn posting_applications(
    store: &mut impl ApplicationStore,
    actor: &Actor,
    posting_id: PostingId,
    filter: &ApplicationFilter,
    page: PageRequest,
) -> Result<Page<Application>, DomainError> {
    let p = institution_posting(store, actor, posting_id)?;
    if filter.status == Some(ApplicationStatus::Draft) {
        return Err(DomainError::rule(FieldError::new(
            "status",
            "application.status_unknown",
            "One of pending, approved, cancelled.",
        )));
    }
    if let Some(no) = filter.sub_posting_no {
        if p.sub_posting(no).is_none() {
            return Err(DomainError::field(FieldError::new(
                "sub_posting_no",
                "sub_posting.unknown",
                "Not a sub-posting of this posting.",
            )));
        }
    }
    store.of_posting(posting_id, filter, page)
}

/// A stage as one reader sees it on one application.
#[derive(Debug, Clone, PartialEq)]
pub struct StageView {
    pub stage: Stage,
    pub invited_at: Option<OffsetDateTime>,
    /// `None` until the results are approved (for the candidate) or recorded.
    pub score: Option<Score>,
    pub outcome: Outcome,
    pub results_approved: bool,
    /// The candidate's password and link for an online stage, from its start time.
    pub access: Option<OnlineAccess>,
    /// When `access` becomes available (online stages the candidate is invited to).
    pub access_from: Option<OffsetDateTime>,
}

/// Who reads the evaluation: the candidate sees results only once approved and their
/// access from the stage's time; the institution sees what it recorded, never the password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reader {
    Candidate,
    Institution,
}

pub fn reader_of(actor: &Actor) -> Reader {
    match actor {
        Actor::InstitutionStaff { .. } => Reader::Institution,
        _ => Reader::Candidate,
    }
}

/// The application's stages as `reader` may see them, at `now`.
pub fn stage_views(
    a: &Application,
    p: &Posting,
    reader: Reader,
    now: OffsetDateTime,
) -> Vec<StageView> {
    p.stages
        .iter()
        .map(|stage| {
            let rec = a.stage(stage.no);
            let approved = stage.results_approved_at.is_some();
            let shows_result = approved || reader == Reader::Institution;
            let online = stage.venue == StageVenue::Online;
            StageView {
                stage: stage.clone(),
                invited_at: rec.map(|r| r.invited_at),
                score: rec.and_then(|r| r.score).filter(|_| shows_result),
                outcome: rec
                    .map(|r| r.outcome)
                    .filter(|_| shows_result)
                    .unwrap_or(Outcome::Pending),
                results_approved: approved,
                access: rec
                    .and_then(|r| r.access.clone())
                    .filter(|_| reader == Reader::Candidate && now >= stage.starts_at),
                access_from: rec
                    .filter(|_| online && reader == Reader::Candidate)
                    .map(|_| stage.starts_at),
            }
        })
        .collect()
}

/// One line of "Sınavlarım/Mülakatlarım".
#[derive(Debug, Clone, PartialEq)]
pub struct ExamEntry {
    pub application: Application,
    pub posting: Posting,
    pub stage: StageView,
}

/// Every stage the candidate is invited to, on their live applications, soonest first.
pub fn my_exams(
    store: &mut impl ApplicationStore,
    actor: &Actor,
    now: OffsetDateTime,
) -> Result<Vec<ExamEntry>, DomainError> {
    let tckn = candidate_of(actor)?.clone();
    let mut out = Vec::new();
    let mut page = PageRequest::new(Some(1), Some(100))?;
    loop {
        let found = store.of_candidate(&tckn, false, page)?;
        let n = found.items.len();
        for a in found.items {
            if a.stages.is_empty() {
                continue;
            }
            let p = posting_of(store, a.posting_id)?;
            for v in stage_views(&a, &p, Reader::Candidate, now) {
                if v.invited_at.is_some() {
                    out.push(ExamEntry {
                        application: a.clone(),
                        posting: p.clone(),
                        stage: v,
                    });
                }
            }
        }
        if n < 100 {
            break;
        }
        page = PageRequest::new(Some(i64::from(page.page()) + 1), Some(100))?;
    }
    out.sort_by_key(|e| e.stage.stage.starts_at);
    Ok(out)
}

fn stage_of(p: &Posting, no: u32) -> Result<&Stage, DomainError> {
    p.stage(no)
        .ok_or_else(|| DomainError::not_found("stage.not_found", "No such stage of this posting."))
}

fn require_not_approved(stage: &Stage) -> Result<(), DomainError> {
    if stage.results_approved_at.is_some() {
        return Err(DomainError::conflict(
            "stage.results_approved",
            "This stage's results are approved and final.",
        ));
    }
    Ok(())
}

/// Invites approved applications to a stage (after the application window has closed).
/// For a later stage the previous stage's results must be approved and each candidate
/// must have passed every earlier stage. Inviting someone already invited changes nothing.
/// An online stage opens a meeting room per invitation (password + link).
pub fn invite_to_stage(
    store: &mut impl ApplicationStore,
    rooms: &mut impl MeetingRooms,
    actor: &Actor,
    posting_id: PostingId,
    stage_no: u32,
    ids: &[ApplicationId],
    now: OffsetDateTime,
) -> Result<Vec<Application>, DomainError> {
    let p = institution_posting(store, actor, posting_id)?;
    let stage = stage_of(&p, stage_no)?.clone();
    require_not_approved(&stage)?;
    if p.status != PostingStatus::Published {
        return Err(DomainError::conflict(
            "posting.not_published",
            "Only a published posting's candidates are invited.",
        ));
    }
    if p.window_state(now) != WindowState::Closed {
        return Err(DomainError::conflict(
            "posting.window_open",
            "Candidates are invited once the application window has closed.",
        ));
    }
    if stage_no > 1 && !p.results_visible(stage_no - 1) {
        return Err(DomainError::conflict(
            "stage.previous_not_approved",
            "Approve the previous stage's results first.",
        ));
    }
    bulk_ids("application_ids", ids)?;
    let mut e = FieldErrors::new();
    let mut apps = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        let field = format!("application_ids[{i}]");
        let a = match store.get(*id)? {
            Some(a) if a.posting_id == posting_id && a.status != ApplicationStatus::Draft => a,
            _ => {
                e.push(FieldError::new(
                    field,
                    "application.not_found",
                    "No such application of this posting.",
                ));
                continue;
            }
        };
        if a.status != ApplicationStatus::Approved {
            e.push(FieldError::new(
                field,
                "application.not_approved",
                "Only approved applications are invited.",
            ));
        } else if (1..stage_no).any(|n| a.stage(n).is_none_or(|r| r.outcome != Outcome::Positive)) {
            e.push(FieldError::new(
                field,
                "application.not_passed_earlier_stage",
                "The candidate has not passed every earlier stage.",
            ));
        } else if !apps.iter().any(|x: &Application| x.id == a.id) {
            apps.push(a);
        }
    }
    e.finish()?;
    let mut invited = Vec::new();
    for mut a in apps {
        if a.stage(stage_no).is_some() {
            invited.push(a);
            continue;
        }
        let access = match stage.venue {
            StageVenue::Online => Some(rooms.open_room(p.posting_no, stage_no, a.id)?),
            StageVenue::InPerson { .. } => None,
        };
        a.stages.push(StageRecord {
            stage_no,
            invited_at: now,
            access,
            score: None,
            outcome: Outcome::Pending,
        });
        a.stages.sort_by_key(|s| s.stage_no);
        save(store, &mut a)?;
        record(
            store,
            &a,
            actor,
            Some(a.status),
            format!(
                "Davet Edildi: {} ({})",
                stage.name,
                turkish_time(stage.starts_at)
            ),
            now,
        )?;
        invited.push(a);
    }
    Ok(invited)
}

/// `20.03.2030 10:00` in Istanbul time, as the portal prints dates.
fn turkish_time(at: OffsetDateTime) -> String {
    let t = at.to_offset(kapi_core::ISTANBUL);
    format!(
        "{:02}.{:02}.{} {:02}:{:02}",
        t.day(),
        u8::from(t.month()),
        t.year(),
        t.hour(),
        t.minute()
    )
}

/// One candidate's result as the institution records it.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultInput {
    pub application_id: ApplicationId,
    pub score: Option<f64>,
    /// `positive`, `negative` or `pending`.
    pub outcome: String,
}

/// Records (or corrects) scores and outcomes of invited candidates, from the stage's start
/// time until its results are approved. Nothing is visible to candidates yet.
pub fn record_results(
    store: &mut impl ApplicationStore,
    actor: &Actor,
    posting_id: PostingId,
    stage_no: u32,
    input: &[ResultInput],
    now: OffsetDateTime,
) -> Result<Vec<Application>, DomainError> {
    let p = institution_posting(store, actor, posting_id)?;
    let stage = stage_of(&p, stage_no)?.clone();
    require_not_approved(&stage)?;
    if now < stage.starts_at {
        return Err(DomainError::conflict(
            "stage.not_started",
            format!(
                "Results are recorded from the stage's time ({}).",
                stage.starts_at
            ),
        ));
    }
    if input.is_empty() || input.len() > MAX_BULK {
        return Err(DomainError::rule(FieldError::new(
            "results",
            "bulk.size",
            format!("Between 1 and {MAX_BULK} results."),
        )));
    }
    let mut e = FieldErrors::new();
    let mut changes: Vec<(Application, Option<Score>, Outcome)> = Vec::new();
    for (i, r) in input.iter().enumerate() {
        let at = |f: &str| format!("results[{i}].{f}");
        let score = match r.score {
            Some(s) => e.take(&at("score"), Score::parse(&at("score"), s).map(Some)),
            None => Some(None),
        };
        let outcome = Outcome::parse(&r.outcome);
        if outcome.is_none() {
            e.push(FieldError::new(
                at("outcome"),
                "outcome.unknown",
                "One of positive, negative, pending.",
            ));
        }
        let a = match store.get(r.application_id)? {
            Some(a)
                if a.posting_id == posting_id
                    && a.status != ApplicationStatus::Draft
                    && a.stage(stage_no).is_some() =>
            {
                a
            }
            _ => {
                e.push(FieldError::new(
                    at("application_id"),
                    "application.not_invited",
                    "No application of this posting invited to this stage.",
                ));
                continue;
            }
        };
        if a.status == ApplicationStatus::Cancelled {
            e.push(FieldError::new(
                at("application_id"),
                "application.cancelled",
                "The application is cancelled.",
            ));
            continue;
        }
        if changes.iter().any(|(x, _, _)| x.id == a.id) {
            e.push(FieldError::new(
                at("application_id"),
                "bulk.duplicate",
                "Listed twice.",
            ));
            continue;
        }
        if let (Some(score), Some(outcome)) = (score, outcome) {
            changes.push((a, score, outcome));
        }
    }
    e.finish()?;
    let mut out = Vec::new();
    for (mut a, score, outcome) in changes {
        if let Some(rec) = a.stage_mut(stage_no) {
            rec.score = score;
            rec.outcome = outcome;
        }
        save(store, &mut a)?;
        out.push(a);
    }
    Ok(out)
}

/// The institution approves (announces) a stage's results: every invited candidate whose
/// application is not cancelled needs an outcome (not `pending`). From now on candidates see
/// their score and Olumlu / Olumsuz, and the stage's results can no longer change.
pub fn approve_stage_results(
    store: &mut impl ApplicationStore,
    actor: &Actor,
    posting_id: PostingId,
    stage_no: u32,
    expected: Option<i64>,
    now: OffsetDateTime,
) -> Result<Posting, DomainError> {
    let mut p = institution_posting(store, actor, posting_id)?;
    if expected.is_some_and(|v| v != p.version) {
        return Err(DomainError::stale("posting"));
    }
    let stage = stage_of(&p, stage_no)?.clone();
    require_not_approved(&stage)?;
    if stage_no > 1 && !p.results_visible(stage_no - 1) {
        return Err(DomainError::conflict(
            "stage.previous_not_approved",
            "Approve the previous stage's results first.",
        ));
    }
    let apps: Vec<Application> = store
        .all_of_posting(posting_id)?
        .into_iter()
        .filter(|a| a.status != ApplicationStatus::Cancelled && a.stage(stage_no).is_some())
        .collect();
    if apps.is_empty() {
        return Err(DomainError::conflict(
            "stage.no_invitations",
            "Nobody has been invited to this stage.",
        ));
    }
    let open = apps
        .iter()
        .filter(|a| {
            a.stage(stage_no)
                .is_some_and(|r| r.outcome == Outcome::Pending)
        })
        .count();
    if open > 0 {
        return Err(DomainError::conflict(
            "stage.results_incomplete",
            format!("{open} invited candidate(s) have no outcome yet."),
        ));
    }
    if let Some(s) = p.stage_mut(stage_no) {
        s.results_approved_at = Some(now);
    }
    save_posting(store, &mut p)?;
    record_posting(
        store,
        &p,
        actor,
        format!("Aşama Sonuçları Onaylandı: {}", stage.name),
        now,
    )?;
    for a in &apps {
        let outcome = a.stage(stage_no).map_or(Outcome::Pending, |r| r.outcome);
        record(
            store,
            a,
            actor,
            Some(a.status),
            format!("{} Sonucu Açıklandı: {}", stage.name, outcome.label_tr()),
            now,
        )?;
    }
    Ok(p)
}

/// Publishes the final placement once every stage's results are approved: per sub-posting,
/// the approved applications ranked by [`place`]. Final: published once.
pub fn publish_placement(
    store: &mut impl ApplicationStore,
    actor: &Actor,
    posting_id: PostingId,
    expected: Option<i64>,
    now: OffsetDateTime,
) -> Result<(Posting, Vec<Application>), DomainError> {
    let mut p = institution_posting(store, actor, posting_id)?;
    if expected.is_some_and(|v| v != p.version) {
        return Err(DomainError::stale("posting"));
    }
    require_no_placement(&p)?;
    if p.status != PostingStatus::Published {
        return Err(DomainError::conflict(
            "posting.not_published",
            "Only a published posting is placed.",
        ));
    }
    let pending: Vec<String> = p
        .stages
        .iter()
        .filter(|s| s.results_approved_at.is_none())
        .map(|s| s.name.clone())
        .collect();
    if p.stages.is_empty() || !pending.is_empty() {
        return Err(DomainError::conflict(
            "placement.stages_not_approved",
            format!(
                "Every stage's results must be approved first (not yet: {}).",
                pending.join(", ")
            ),
        ));
    }
    let mut apps: Vec<Application> = store
        .all_of_posting(posting_id)?
        .into_iter()
        .filter(|a| a.status == ApplicationStatus::Approved)
        .collect();
    let mut placements: Vec<(ApplicationId, Placement)> = Vec::new();
    for sp in &p.sub_postings {
        let contenders: Vec<Contender> = apps
            .iter()
            .filter(|a| a.wizard.sub_posting_no == Some(sp.no))
            .map(|a| Contender {
                application_id: a.id,
                submitted_at: a.submitted_at.unwrap_or(a.created_at),
                scores: p
                    .stages
                    .iter()
                    .map(|s| a.stage(s.no).and_then(|r| r.score))
                    .collect(),
                eliminated: p
                    .stages
                    .iter()
                    .any(|s| a.stage(s.no).is_none_or(|r| r.outcome != Outcome::Positive)),
            })
            .collect();
        placements.extend(place(&contenders, sp.vacancies, sp.reserve_count));
    }
    p.placement_published_at = Some(now);
    save_posting(store, &mut p)?;
    record_posting(
        store,
        &p,
        actor,
        "Yerleştirme Sonuçları Yayımlandı".into(),
        now,
    )?;
    for a in &mut apps {
        let Some((_, placement)) = placements.iter().find(|(id, _)| *id == a.id) else {
            continue;
        };
        a.placement = Some(*placement);
        save(store, a)?;
        record(
            store,
            a,
            actor,
            Some(a.status),
            format!("Yerleştirme Sonucu: {}", placement.result.label_tr()),
            now,
        )?;
    }
    apps.sort_by_key(|a| {
        (
            a.wizard.sub_posting_no,
            a.placement.and_then(|x| x.rank).unwrap_or(u32::MAX),
        )
    });
    Ok((p, apps))
}

/// The published placement list of the institution's posting, per sub-posting in rank order.
pub fn placement_list(
    store: &mut impl ApplicationStore,
    actor: &Actor,
    posting_id: PostingId,
) -> Result<(Posting, Vec<Application>), DomainError> {
    let p = institution_posting(store, actor, posting_id)?;
    if p.placement_published_at.is_none() {
        return Err(DomainError::not_found(
            "placement.not_published",
            "The placement has not been published yet.",
        ));
    }
    let mut apps: Vec<Application> = store
        .all_of_posting(posting_id)?
        .into_iter()
        .filter(|a| a.placement.is_some())
        .collect();
    apps.sort_by_key(|a| {
        (
            a.wizard.sub_posting_no,
            a.placement.and_then(|x| x.rank).unwrap_or(u32::MAX),
            a.submitted_at,
        )
    });
    Ok((p, apps))
}
