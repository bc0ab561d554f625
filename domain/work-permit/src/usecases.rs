//! Work-permit application use cases: start the wizard, save each step, submit with the
//! e-signature, read the employer's own applications, and the scheduled deletion of
//! expired drafts.
//!
//! Who may act ([`crate::panel`]): a person logged in through e-Devlet ([`Actor::Citizen`])
//! acts for an e-İzin employer record they registered (the owner) or were authorised at;
//! they name it when starting (`employer_id`), and the application names it afterwards. The
//! application's kind must be the employer's kind (a household employs carers, a
//! university academics). When the owner assigned an application to a user, only that user
//! and the owner act on it (403 `work_permit.not_assigned`). The ministry's staff read every
//! application and its history. Anyone else is refused (403 `work_permit.employer_only`).
//!
//! Scope: an application that is not the actor's employer's is 404
//! (`work_permit.not_found`), never 403, so no one learns another's record exists.
//!
//! Every status change is written to the history with a Turkish note: the draft created,
//! the submission (the evaluation's own note), the expired draft deleted. Saving a step
//! changes no status and writes none.
//!
//! Choices written down here because the manuals are silent:
//! - a consulate reference is checked (unused, within its 30 days) when the wizard starts
//!   and again at submit, and marked used only by the submission;
//! - a YÖK pre-permit must be approved or pending when the wizard starts;
//! - at submit the checks run in the order the employer would fix them — steps, period
//!   (Law 6735, against the passport and for an extension the running permit), documents,
//!   signature, reference — and the first failing one answers;
//! - the expired-draft job works on the oldest drafts first in batches of
//!   [`DRAFT_BATCH`]; the store returns them by `last_touched_at` ascending, so the first
//!   one still kept ends the batch.

use crate::application::GeneratedPetition;
use crate::application::{EmployerRef, Foreigner, WorkPermitApplication, HISTORY_KIND};
use crate::documents::{check_required_documents, required_documents};
use crate::draft::{is_draft_expired, DRAFT_DELETED_NOTE};
use crate::duration::{check_period, PeriodContext, PermitPeriod};
use crate::evaluation::{Command, EmployerList, Party, Status};
use crate::files::{uploaded, ApplicationFile, ApplicationFiles, FileKind};
use crate::kind::{
    check_reference, check_residence_permit, check_yok_status, ApplicationKindInput,
    ConsulateRegistry, ForeignerLookup, YokRegistry,
};
use crate::panel::{
    citizen, employer_not_found, not_a_user, require_assigned, require_owner, Acting,
    EmployerAccess,
};
use crate::wizard::{
    verify_kinship, DocumentsInput, GeneralInput, JobInput, KinshipCheck, PersonalInput,
    ResultInput, ResultStep, Sha256Hex, Signer, Step,
};
use kapi_core::{
    Actor, DomainError, EmployerId, FieldError, HistoryEntry, HistoryLog, Page, PageRequest, Tckn,
    WorkPermitId, Ykn,
};
use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};

/// How many drafts one run of the expiry job handles.
pub const DRAFT_BATCH: usize = 500;
/// The history's pseudo-state of a deleted draft.
pub const DELETED_STATE: &str = "deleted";
/// The history note when the wizard starts.
pub const DRAFT_CREATED_NOTE: &str = "Başvuru taslak olarak oluşturuldu.";

/// The permit an extension extends, as the store knows the foreigner's chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentPermit {
    /// The last day of the running permit.
    pub ends_on: Date,
    /// Extensions already in the chain (0: the running permit is a first permit).
    pub previous_extensions: u32,
}

/// The work-permit applications store port.
pub trait WorkPermitStore: HistoryLog {
    fn insert(&mut self, a: &WorkPermitApplication) -> Result<(), DomainError>;
    fn get(&mut self, id: WorkPermitId) -> Result<Option<WorkPermitApplication>, DomainError>;
    /// `a.version` is the new version; false when the stored one is not `expected`.
    fn update(&mut self, a: &WorkPermitApplication, expected: i64) -> Result<bool, DomainError>;
    /// The employer's applications whose status is one of `statuses` (all when empty),
    /// newest first.
    fn list_by_employer(
        &mut self,
        employer: &EmployerRef,
        statuses: &[Status],
        page: PageRequest,
    ) -> Result<Page<WorkPermitApplication>, DomainError>;
    /// Drafts last touched before `before`, oldest `last_touched_at` first, at most `limit`.
    fn drafts_touched_before(
        &mut self,
        before: OffsetDateTime,
        limit: usize,
    ) -> Result<Vec<WorkPermitApplication>, DomainError>;
    /// Deletes the application; false when the stored version is not `expected`.
    fn delete(&mut self, id: WorkPermitId, expected: i64) -> Result<bool, DomainError>;
    /// The running (approved, not terminated) permit of the foreigner at `employer`, the one
    /// an extension of that employer extends; another employer's permit of the same
    /// foreigner is never it.
    fn current_permit(
        &mut self,
        employer: &EmployerRef,
        ykn: &Ykn,
    ) -> Result<Option<CurrentPermit>, DomainError>;
    /// The person's role at the e-İzin employer (owner or an authorised user), if any.
    fn employer_access(
        &mut self,
        employer: EmployerId,
        person: &Tckn,
    ) -> Result<Option<EmployerAccess>, DomainError>;
    /// The employer's approved applications whose permit runs on `today` (ends on or after
    /// it), by the permit's end, soonest first: the foreigners an extension can be filed for.
    fn running_permits(
        &mut self,
        employer: &EmployerRef,
        today: Date,
    ) -> Result<Vec<WorkPermitApplication>, DomainError>;
}

/// The person's access at the employer they name (404 `work_permit.employer_not_found`
/// when they have none).
pub fn acting_for(
    store: &mut impl WorkPermitStore,
    actor: &Actor,
    employer_id: EmployerId,
) -> Result<Acting, DomainError> {
    let person = citizen(actor)?.clone();
    let access = store
        .employer_access(employer_id, &person)?
        .ok_or_else(employer_not_found)?;
    Ok(Acting { person, access })
}

pub fn not_found() -> DomainError {
    DomainError::not_found("work_permit.not_found", "No such work-permit application.")
}

/// An application of an employer the actor is a user of, with their access (404 for
/// anyone else's, never 403, so no one learns another's record exists).
pub fn employer_to_read(
    store: &mut impl WorkPermitStore,
    actor: &Actor,
    id: WorkPermitId,
) -> Result<(WorkPermitApplication, Acting), DomainError> {
    let person = citizen(actor)?.clone();
    let a = store.get(id)?.ok_or_else(not_found)?;
    let EmployerRef::Employer { employer_id } = &a.employer;
    let access = store
        .employer_access(*employer_id, &person)?
        .ok_or_else(not_found)?;
    Ok((a, Acting { person, access }))
}

/// As [`employer_to_read`], for an employer-side command: when the application is assigned,
/// only its assignee and the owner act (403 `work_permit.not_assigned`).
pub fn employer_to_act(
    store: &mut impl WorkPermitStore,
    actor: &Actor,
    id: WorkPermitId,
) -> Result<(WorkPermitApplication, Acting), DomainError> {
    let (a, who) = employer_to_read(store, actor, id)?;
    require_assigned(&who, a.assignee.as_ref())?;
    Ok((a, who))
}

/// Ministry work-permit staff only (403 `work_permit.evaluator_only`).
pub fn evaluator(actor: &Actor) -> Result<(), DomainError> {
    match actor {
        Actor::MinistryStaff { .. } => Ok(()),
        _ => Err(DomainError::forbidden(
            "work_permit.evaluator_only",
            "Only the ministry's work-permit staff do this.",
        )),
    }
}

fn own(
    store: &mut impl WorkPermitStore,
    actor: &Actor,
    id: WorkPermitId,
) -> Result<(WorkPermitApplication, Acting), DomainError> {
    employer_to_act(store, actor, id)
}

/// The actor's own draft, `step`'s earlier steps saved.
fn own_draft_at(
    store: &mut impl WorkPermitStore,
    actor: &Actor,
    id: WorkPermitId,
    step: Step,
) -> Result<WorkPermitApplication, DomainError> {
    Ok(own_draft_acting(store, actor, id, step)?.0)
}

/// As [`own_draft_at`], with the actor's access at the employer.
fn own_draft_acting(
    store: &mut impl WorkPermitStore,
    actor: &Actor,
    id: WorkPermitId,
    step: Step,
) -> Result<(WorkPermitApplication, Acting), DomainError> {
    let (a, who) = own(store, actor, id)?;
    if !editable(&a) {
        return Err(DomainError::conflict(
            "work_permit.not_a_draft",
            "The application has been submitted; its steps can no longer change.",
        ));
    }
    a.wizard.require_before(step)?;
    Ok((a, who))
}

/// Whether the employer may save steps: a draft, or an application whose update the
/// ministry asked for ("Güncelleme İşlemlerine Devam Et").
fn editable(a: &WorkPermitApplication) -> bool {
    matches!(a.status(), Status::Draft | Status::UpdateRequested)
}

/// A step of `a` was saved at `now`: a draft's month starts again; the generated petition
/// and its signature no longer match and are dropped.
fn stepped(a: &mut WorkPermitApplication, now: OffsetDateTime) -> Result<(), DomainError> {
    if a.is_draft() {
        a.touch(now)?;
    } else {
        a.updated_at = now;
    }
    a.petition = None;
    a.wizard.result = None;
    Ok(())
}

/// Writes `a` with the next version (412-style `stale` when another writer got there first).
pub fn save(
    store: &mut impl WorkPermitStore,
    a: &mut WorkPermitApplication,
) -> Result<(), DomainError> {
    let before = a.version;
    a.version += 1;
    if !store.update(a, before)? {
        return Err(DomainError::stale("work-permit application"));
    }
    Ok(())
}

/// Saves `a` with the next version and records the change in its history.
pub fn save_recorded(
    store: &mut impl WorkPermitStore,
    a: &mut WorkPermitApplication,
    actor: &Actor,
    from: Option<Status>,
    to: &str,
    note: String,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    save(store, a)?;
    record(store, a.id, actor.audit_label(), from, to, note, now)
}

/// Appends a line to the application's history ("İşlem Hareketleri").
pub fn record(
    store: &mut impl WorkPermitStore,
    id: WorkPermitId,
    actor: String,
    from: Option<Status>,
    to: &str,
    note: String,
    at: OffsetDateTime,
) -> Result<(), DomainError> {
    store.append(&HistoryEntry {
        resource_kind: HISTORY_KIND.into(),
        resource_id: id.to_string(),
        at,
        actor,
        from_state: from.map(|s| s.as_str().to_owned()),
        to_state: to.to_owned(),
        note: Some(note),
    })
}

/// Starts the wizard: the kind validated, the foreigner found as the route says (the
/// consulate reference unused and within 30 days, the YÖK pre-permit approved or pending).
pub fn start_application<S>(
    store: &mut S,
    actor: &Actor,
    employer_id: EmployerId,
    input: ApplicationKindInput,
    now: OffsetDateTime,
) -> Result<WorkPermitApplication, DomainError>
where
    S: WorkPermitStore + ConsulateRegistry + YokRegistry + ForeignerLookup,
{
    let who = acting_for(store, actor, employer_id)?;
    let mut input = input;
    if input.employer_kind.trim().is_empty() {
        input.employer_kind = who.access.kind.as_str().to_owned();
    }
    let kind = input.validate()?;
    if !who.access.missing_documents.is_empty() {
        let mut e = DomainError::fields(
            who.access
                .missing_documents
                .iter()
                .map(|d| {
                    FieldError::new(
                        format!("employer.documents.{}", d.as_str()),
                        "work_permit.employer_document_missing",
                        format!("Upload the employer's \"{}\" first.", d.label_tr()),
                    )
                })
                .collect(),
        );
        e.code = "work_permit.employer_documents_missing".into();
        e.message = "The employer's required documents are not all uploaded yet.".into();
        return Err(e);
    }
    if kind.employer != who.access.kind {
        return Err(DomainError::rule(FieldError::new(
            "employer_kind",
            "work_permit.employer_kind_mismatch",
            format!(
                "The chosen employer is registered as `{}`; its applications are of that kind.",
                who.access.kind.as_str()
            ),
        )));
    }
    let mut reference = None;
    if let Some(number) = kind.route.reference_no() {
        let r = store.find_reference(number)?.ok_or_else(|| {
            DomainError::rule(FieldError::new(
                "reference_no",
                "work_permit.reference_unknown",
                "No consulate reference with this number.",
            ))
        })?;
        check_reference(r.issued_at, r.used, now)?;
        reference = Some(r);
    }
    let mut yok_record = None;
    if let crate::kind::Route::YokPrePermit { number } = &kind.route {
        let p = store.find_pre_permit(number)?.ok_or_else(|| {
            DomainError::rule(FieldError::new(
                "yok_pre_permit_no",
                "work_permit.yok_pre_permit_unknown",
                "YÖK has no pre-permit with this number.",
            ))
        })?;
        check_yok_status(p.status)?;
        yok_record = Some(p);
    }
    let mut registry_record = None;
    if let Some(ykn) = kind.route.ykn() {
        let birth_date = match &kind.route {
            crate::kind::Route::InTurkiye { birth_date, .. }
            | crate::kind::Route::AcademicExempt {
                identity: crate::kind::ExemptIdentity::Ykn { birth_date, .. },
                ..
            } => Some(*birth_date),
            _ => None,
        };
        let record = store
            .find_foreigner(ykn)?
            .filter(|r| Some(r.birth_date) == birth_date)
            .ok_or_else(|| {
                DomainError::rule(FieldError::new(
                    "ykn",
                    "work_permit.foreigner_not_found",
                    "No foreigner with this YKN and birth date in the registry.",
                ))
            })?;
        if kind.filing == crate::kind::Filing::Extension {
            let today = kapi_core::istanbul_date_of(now);
            let running = store.running_permits(&EmployerRef::Employer { employer_id }, today)?;
            if !running.iter().any(|p| p.foreigner.ykn() == Some(ykn)) {
                return Err(DomainError::rule(FieldError::new(
                    "ykn",
                    "work_permit.no_running_permit",
                    "An extension is filed for one of your foreigners whose permit is still running.",
                )));
            }
        } else {
            check_residence_permit(
                record.residence_permit_until,
                record.international_protection,
                now,
            )?;
        }
        registry_record = Some(record);
    }
    let foreigner = Foreigner::of_route(&kind.route, reference)
        .ok_or_else(|| DomainError::internal("route without its foreigner"))?;
    let mut a = WorkPermitApplication::new_draft(
        EmployerRef::Employer { employer_id },
        who.person,
        kind,
        foreigner,
        now,
    );
    a.registry_record = registry_record;
    a.yok_record = yok_record;
    store.insert(&a)?;
    record(
        store,
        a.id,
        actor.audit_label(),
        None,
        Status::Draft.as_str(),
        DRAFT_CREATED_NOTE.to_owned(),
        now,
    )?;
    Ok(a)
}

/// Step 1: personal information. Saving it again drops the signed petition.
///
/// The photo is the one uploaded for this application (`POST …/files`): its format and
/// size are the upload's, whatever the input says.
pub fn save_personal<S: WorkPermitStore + ApplicationFiles>(
    store: &mut S,
    actor: &Actor,
    id: WorkPermitId,
    mut input: PersonalInput,
    now: OffsetDateTime,
) -> Result<WorkPermitApplication, DomainError> {
    let mut a = own_draft_at(store, actor, id, Step::Personal)?;
    if let Some(photo) = input.photo.as_mut() {
        if Sha256Hex::parse(&photo.sha256).is_ok() {
            let f = uploaded(
                store,
                id,
                &photo.sha256,
                FileKind::Photo,
                "personal.photo.sha256",
            )?;
            photo.size = f.size;
            photo.format = f
                .media_type
                .strip_prefix("image/")
                .unwrap_or_default()
                .to_owned();
        }
    }
    let personal = input.validate(now)?;
    stepped(&mut a, now)?;
    a.wizard.personal = Some(personal);
    save(store, &mut a)?;
    Ok(a)
}

/// Step 2: general information.
pub fn save_general(
    store: &mut impl WorkPermitStore,
    actor: &Actor,
    id: WorkPermitId,
    input: GeneralInput,
    now: OffsetDateTime,
) -> Result<WorkPermitApplication, DomainError> {
    let mut a = own_draft_at(store, actor, id, Step::General)?;
    let general = input.validate(now)?;
    stepped(&mut a, now)?;
    a.wizard.general = Some(general);
    save(store, &mut a)?;
    Ok(a)
}

/// Step 3: job information; a household's cared person verified against the civil
/// registry as a relative of the household (the employer's owner), whichever of its users
/// saves the step.
pub fn save_job<S: WorkPermitStore + KinshipCheck>(
    store: &mut S,
    actor: &Actor,
    id: WorkPermitId,
    input: JobInput,
    now: OffsetDateTime,
) -> Result<WorkPermitApplication, DomainError> {
    let (mut a, who) = own_draft_acting(store, actor, id, Step::Job)?;
    let job = input.validate(&a.kind)?;
    if let Some(cared) = &job.cared_person {
        verify_kinship(store, &who.access.owner, cared)?;
    }
    stepped(&mut a, now)?;
    a.wizard.job = Some(job);
    save(store, &mut a)?;
    Ok(a)
}

/// Step 4: the uploaded documents (the whole list, replacing the saved one); each a PDF
/// uploaded for this application, its size the upload's.
pub fn save_documents<S: WorkPermitStore + ApplicationFiles>(
    store: &mut S,
    actor: &Actor,
    id: WorkPermitId,
    mut input: DocumentsInput,
    now: OffsetDateTime,
) -> Result<WorkPermitApplication, DomainError> {
    let mut a = own_draft_at(store, actor, id, Step::Documents)?;
    let mut missing = Vec::new();
    for (i, d) in input.documents.iter_mut().enumerate() {
        if Sha256Hex::parse(&d.sha256).is_err() {
            continue;
        }
        let field = format!("documents[{i}].sha256");
        match uploaded(store, id, &d.sha256, FileKind::Pdf, &field) {
            Ok(f) => d.size = f.size,
            Err(e) => missing.extend(e.fields),
        }
    }
    crate::refuse(missing)?;
    let documents = input.validate()?;
    stepped(&mut a, now)?;
    a.wizard.documents = Some(documents);
    save(store, &mut a)?;
    Ok(a)
}

/// Records a file uploaded for the wizard (its content already checked and stored): the
/// application must still be editable.
pub fn upload_file<S: WorkPermitStore + ApplicationFiles>(
    store: &mut S,
    actor: &Actor,
    id: WorkPermitId,
    file: ApplicationFile,
) -> Result<ApplicationFile, DomainError> {
    let (a, _) = own(store, actor, id)?;
    if !editable(&a) {
        return Err(DomainError::conflict(
            "work_permit.not_a_draft",
            "The application has been submitted; its files can no longer change.",
        ));
    }
    store.add_file(id, &file)?;
    Ok(store.file(id, file.sha256.as_str())?.unwrap_or(file))
}

/// A file of the application, for its employer's users and the ministry's staff.
pub fn application_file<S: WorkPermitStore + ApplicationFiles>(
    store: &mut S,
    actor: &Actor,
    id: WorkPermitId,
    sha256: &str,
) -> Result<ApplicationFile, DomainError> {
    get_application(store, actor, id)?;
    store
        .file(id, &sha256.trim().to_ascii_lowercase())?
        .ok_or_else(|| DomainError::not_found("work_permit.file_not_found", "No such file."))
}

/// The petition generated from steps 1–4 was stored: the result step confirms and signs
/// exactly this one.
pub fn set_petition(
    store: &mut impl WorkPermitStore,
    actor: &Actor,
    id: WorkPermitId,
    petition: GeneratedPetition,
) -> Result<WorkPermitApplication, DomainError> {
    let mut a = own_draft_at(store, actor, id, Step::Result)?;
    if a.petition.as_ref().map(|p| &p.sha256) != Some(&petition.sha256) {
        a.wizard.result = None;
    }
    a.updated_at = petition.generated_at;
    a.petition = Some(petition);
    save(store, &mut a)?;
    Ok(a)
}

/// The application for the petition: the actor's own, steps 1–4 saved.
pub fn application_for_petition(
    store: &mut impl WorkPermitStore,
    actor: &Actor,
    id: WorkPermitId,
) -> Result<WorkPermitApplication, DomainError> {
    own_draft_at(store, actor, id, Step::Result)
}

/// Step 5: the petition confirmed and, when asked, e-signed by the acting user (the store
/// reaches the e-signature service in the same transaction).
pub fn save_result<S: WorkPermitStore + Signer>(
    store: &mut S,
    actor: &Actor,
    id: WorkPermitId,
    input: ResultInput,
    now: OffsetDateTime,
) -> Result<WorkPermitApplication, DomainError> {
    let person = citizen(actor)?.clone();
    let mut a = own_draft_at(store, actor, id, Step::Result)?;
    let petition_sha256 = input.validate()?;
    match &a.petition {
        None => {
            return Err(DomainError::rule(FieldError::new(
                "result.petition_sha256",
                "work_permit.petition_not_generated",
                "Generate the petition (POST …/petition) and read it first.",
            )))
        }
        Some(p) if p.sha256 != petition_sha256 => {
            return Err(DomainError::rule(FieldError::new(
                "result.petition_sha256",
                "work_permit.petition_outdated",
                "This is not the petition last generated for the application.",
            )))
        }
        Some(_) => {}
    }
    let signature = if input.e_sign {
        let s = store.sign(&person, &petition_sha256, now)?;
        if s.signer != person || s.document_sha256 != petition_sha256 {
            return Err(DomainError::internal(
                "the signer answered a signature of another person or document",
            ));
        }
        Some(s)
    } else {
        None
    };
    if a.is_draft() {
        a.touch(now)?;
    } else {
        a.updated_at = now;
    }
    a.wizard.result = Some(ResultStep {
        petition_sha256,
        confirmed_at: now,
        signature,
    });
    save(store, &mut a)?;
    Ok(a)
}

fn steps_incomplete(missing: &[Step]) -> DomainError {
    let mut e = DomainError::fields(
        missing
            .iter()
            .map(|s| {
                FieldError::new(
                    format!("steps.{}", s.as_str()),
                    "work_permit.step_missing",
                    format!("The step \"{}\" is not complete.", s.label_tr()),
                )
            })
            .collect(),
    );
    e.code = "work_permit.steps_incomplete".into();
    e.message = "Complete every step (the petition e-signed) before submitting.".into();
    e
}

/// `check_period`'s fields named as the job step names them.
fn on_job_step(mut e: DomainError) -> DomainError {
    for f in &mut e.fields {
        match f.field.as_str() {
            "start" => f.field = "job.period_start".into(),
            "end" => f.field = "job.period_end".into(),
            _ => {}
        }
    }
    e
}

/// Whether the application can go to the ministry at `now`: every step done, the period
/// within Law 6735 (first ≤ 1 year, extensions ≤ 2 / 3, ≥ 60 days before the passport
/// expires, an extension in its window and chained to the running permit), the required
/// documents uploaded, the signature over this petition. Answers the checked period. Used by
/// the submission and again when an update the ministry asked for is sent back: the period
/// is checked against the filing date (the first submission), not the day of the update.
pub fn check_ready(
    store: &mut impl WorkPermitStore,
    a: &WorkPermitApplication,
    now: OffsetDateTime,
) -> Result<PermitPeriod, DomainError> {
    let missing = a.wizard.missing_steps();
    let (Some(job), Some(result)) = (a.wizard.job.as_ref(), a.wizard.result.as_ref()) else {
        return Err(steps_incomplete(&missing));
    };
    if !missing.is_empty() {
        return Err(steps_incomplete(&missing));
    }
    let ip = a.international_protection();
    let current = match a.foreigner.ykn() {
        Some(ykn) if a.kind.filing == crate::kind::Filing::Extension => {
            store.current_permit(&a.employer, ykn)?
        }
        _ => None,
    };
    let ctx = PeriodContext {
        term: a
            .kind
            .term(current.map(|c| c.previous_extensions).unwrap_or(0)),
        filed_at: a.submitted_at.unwrap_or(now),
        passport_expires_on: if ip { None } else { a.passport_expires_on() },
        current_permit_ends_on: current.map(|c| c.ends_on),
    };
    let period = check_period(job.period_start, job.period_end, &ctx).map_err(on_job_step)?;
    check_required_documents(&required_documents(&a.kind, ip), &a.wizard.document_types())?;
    let signed = result
        .signature
        .as_ref()
        .is_some_and(|s| s.document_sha256 == result.petition_sha256);
    if !signed {
        return Err(DomainError::rule(FieldError::new(
            "result.e_signature",
            "work_permit.signature_missing",
            "Sign the petition with e-signature.",
        )));
    }
    Ok(period)
}

/// Submits the e-signed application to the ministry (draft → submitted): [`check_ready`],
/// then a consulate reference still usable (then marked used).
pub fn submit_application<S: WorkPermitStore + ConsulateRegistry>(
    store: &mut S,
    actor: &Actor,
    id: WorkPermitId,
    now: OffsetDateTime,
) -> Result<WorkPermitApplication, DomainError> {
    let (mut a, _) = own(store, actor, id)?;
    if !a.is_draft() {
        return Err(DomainError::conflict(
            "work_permit.not_a_draft",
            "The application has already been submitted.",
        ));
    }
    let period = check_ready(store, &a, now)?;
    let reference = a.kind.route.reference_no().cloned();
    if let Some(number) = &reference {
        match store.find_reference(number)? {
            Some(r) => check_reference(r.issued_at, r.used, now)?,
            None => {
                return Err(DomainError::rule(FieldError::new(
                    "reference_no",
                    "work_permit.reference_unknown",
                    "No consulate reference with this number.",
                )))
            }
        }
    }
    let t = a.evaluation.apply(Party::Employer, Command::Submit, now)?;
    a.period = Some(period);
    a.submitted_at = Some(now);
    a.updated_at = now;
    save(store, &mut a)?;
    if let Some(number) = &reference {
        store.mark_used(number, now)?;
    }
    record(
        store,
        a.id,
        actor.audit_label(),
        Some(t.from),
        t.to.as_str(),
        t.note,
        now,
    )?;
    Ok(a)
}

/// An application, for one of its employer's users or the ministry's staff (404 for
/// anyone else's).
pub fn get_application(
    store: &mut impl WorkPermitStore,
    actor: &Actor,
    id: WorkPermitId,
) -> Result<WorkPermitApplication, DomainError> {
    if evaluator(actor).is_ok() {
        return store.get(id)?.ok_or_else(not_found);
    }
    Ok(employer_to_read(store, actor, id)?.0)
}

/// The history ("İşlem Hareketleri") of an application, for its employer's users and the
/// ministry's staff, in order.
pub fn application_history(
    store: &mut impl WorkPermitStore,
    actor: &Actor,
    id: WorkPermitId,
) -> Result<Vec<HistoryEntry>, DomainError> {
    let a = get_application(store, actor, id)?;
    store.history(HISTORY_KIND, &a.id.to_string())
}

/// The employer's applications in one of its lists (all when `list` is `None`), for any
/// of its users.
pub fn list_applications(
    store: &mut impl WorkPermitStore,
    actor: &Actor,
    employer_id: EmployerId,
    list: Option<EmployerList>,
    page: PageRequest,
) -> Result<Page<WorkPermitApplication>, DomainError> {
    acting_for(store, actor, employer_id)?;
    let statuses = list.map(EmployerList::statuses).unwrap_or_default();
    store.list_by_employer(&EmployerRef::Employer { employer_id }, &statuses, page)
}

/// The employer's foreigners whose permit is still running on `now`'s Istanbul day
/// ("İzni devam eden çalışanlar"): where an extension starts.
pub fn running_permits(
    store: &mut impl WorkPermitStore,
    actor: &Actor,
    employer_id: EmployerId,
    now: OffsetDateTime,
) -> Result<Vec<WorkPermitApplication>, DomainError> {
    acting_for(store, actor, employer_id)?;
    store.running_permits(
        &EmployerRef::Employer { employer_id },
        kapi_core::istanbul_date_of(now),
    )
}

/// The owner assigns the application to one of the employer's users (or to nobody, which
/// lifts the assignment): from then on only that user and the owner act on it.
pub fn assign_application(
    store: &mut impl WorkPermitStore,
    actor: &Actor,
    id: WorkPermitId,
    assignee: Option<Tckn>,
    now: OffsetDateTime,
) -> Result<WorkPermitApplication, DomainError> {
    let (mut a, who) = employer_to_read(store, actor, id)?;
    require_owner(&who)?;
    if let Some(t) = &assignee {
        if store.employer_access(who.access.employer_id, t)?.is_none() {
            return Err(not_a_user("assignee_tckn"));
        }
    }
    if a.assignee == assignee {
        return Ok(a);
    }
    a.assignee = assignee.clone();
    a.updated_at = now;
    save(store, &mut a)?;
    let note = match &assignee {
        Some(t) => format!("Başvuru {} kullanıcısına atandı.", t.masked()),
        None => "Başvurunun kullanıcı ataması kaldırıldı.".to_owned(),
    };
    let status = a.status();
    record(
        store,
        a.id,
        actor.audit_label(),
        Some(status),
        status.as_str(),
        note,
        now,
    )?;
    Ok(a)
}

/// The scheduled job: deletes the drafts untouched for more than a calendar month
/// ([`crate::draft`]) and records each deletion. Idempotent; answers the deleted ids.
pub fn delete_expired_drafts(
    store: &mut impl WorkPermitStore,
    now: OffsetDateTime,
) -> Result<Vec<WorkPermitId>, DomainError> {
    // A calendar month is at least 28 days: nothing touched later can have expired.
    let before = now - Duration::days(27);
    let mut deleted = Vec::new();
    for a in store.drafts_touched_before(before, DRAFT_BATCH)? {
        if !a.is_draft() {
            continue;
        }
        if !is_draft_expired(a.last_touched_at, now) {
            break;
        }
        if store.delete(a.id, a.version)? {
            record(
                store,
                a.id,
                "system".to_owned(),
                Some(Status::Draft),
                DELETED_STATE,
                format!(
                    "{DRAFT_DELETED_NOTE} (son kayıt {})",
                    crate::evaluation::tr_date(kapi_core::istanbul_date_of(a.last_touched_at))
                ),
                now,
            )?;
            deleted.push(a.id);
        }
    }
    Ok(deleted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kind::EmployerKind;
    use crate::kind::ForeignerRecord;
    use crate::kind::{
        ConsulateReference, MfaReferenceNo, Nationality, YokPrePermit, YokPrePermitNo,
    };
    use crate::testkit::tckn;
    use crate::wizard::{
        DocumentInput, ESignature, KinshipRelation, PhotoInput, Sha256Hex, SpouseInput,
    };
    use kapi_core::{ErrorKind, StaffAccountId};
    use std::collections::HashMap;
    use time::macros::{date, datetime};

    const NOW: OffsetDateTime = datetime!(2026-03-10 10:00 +03:00);
    fn household_person() -> Tckn {
        tckn("100000001")
    }
    fn mother() -> Tckn {
        tckn("100000002")
    }
    fn ykn() -> String {
        kapi_core::with_tckn_checksum("991234567").unwrap()
    }
    fn household() -> Actor {
        Actor::Citizen {
            tckn: household_person(),
        }
    }
    /// A person who registered a company and a university employer.
    fn employer_user(nine: &str) -> Actor {
        Actor::Citizen { tckn: tckn(nine) }
    }

    /// The fake's employer record of `person` for `kind` (one per person and kind).
    fn employer_of(person: &Tckn, kind: EmployerKind) -> EmployerId {
        let n: u128 = person.as_str().parse().unwrap();
        let k = EmployerKind::ALL.iter().position(|x| *x == kind).unwrap() as u128;
        EmployerId::from_uuid(uuid::Uuid::from_u128(n * 10 + k + 1))
    }

    fn person_of(actor: &Actor) -> Tckn {
        match actor {
            Actor::Citizen { tckn } => tckn.clone(),
            _ => tckn("999999999"),
        }
    }

    /// Starts for the actor's own employer of the input's kind.
    fn start(
        s: &mut Store,
        c: &mut Consulates,
        y: &mut Yok,
        actor: &Actor,
        input: ApplicationKindInput,
        now: OffsetDateTime,
    ) -> Result<WorkPermitApplication, DomainError> {
        let kind = EmployerKind::parse(&input.employer_kind).unwrap_or(EmployerKind::Company);
        let employer = employer_of(&person_of(actor), kind);
        s.consulates = std::mem::take(c);
        s.yok = std::mem::take(y);
        let r = start_application(s, actor, employer, input, now);
        *c = std::mem::take(&mut s.consulates);
        *y = std::mem::take(&mut s.yok);
        r
    }

    fn list(
        s: &mut Store,
        actor: &Actor,
        kind: EmployerKind,
        l: Option<EmployerList>,
    ) -> Result<Page<WorkPermitApplication>, DomainError> {
        let employer = employer_of(&person_of(actor), kind);
        list_applications(s, actor, employer, l, PageRequest::first())
    }

    struct Store {
        /// (person, kind): the person owns their employer record of that kind.
        owners: Vec<(Tckn, EmployerKind)>,
        /// (employer, person): authorised users.
        authorised: Vec<(EmployerId, Tckn)>,
        apps: HashMap<WorkPermitId, WorkPermitApplication>,
        history: Vec<HistoryEntry>,
        /// (employer, YKN) → the foreigner's running permit at that employer.
        permits: HashMap<(EmployerRef, String), CurrentPermit>,
        /// Another writer got there first: every update fails its version check.
        stale: bool,
        consulates: Consulates,
        yok: Yok,
        nvi: Nvi,
        /// YKN → the foreigners' registry record.
        foreigners: HashMap<String, ForeignerRecord>,
        /// No file was uploaded.
        no_files: bool,
        /// The employers' documents not uploaded yet.
        missing_employer_documents: Vec<crate::employer::EmployerDocumentType>,
    }

    impl Default for Store {
        fn default() -> Self {
            Store {
                owners: vec![
                    (household_person(), EmployerKind::Household),
                    (tckn("100000003"), EmployerKind::Company),
                    (tckn("100000003"), EmployerKind::University),
                    (tckn("100000005"), EmployerKind::Company),
                ],
                authorised: vec![],
                apps: HashMap::new(),
                history: vec![],
                permits: HashMap::new(),
                stale: false,
                consulates: Consulates::default(),
                yok: Yok::default(),
                nvi: nvi(),
                no_files: false,
                missing_employer_documents: vec![],
                foreigners: HashMap::from([(
                    ykn(),
                    ForeignerRecord {
                        first_name: "Elena".into(),
                        last_name: "Popescu".into(),
                        birth_date: date!(1980 - 06 - 01),
                        nationality: "MD".into(),
                        passport_no: Some("U1234567".into()),
                        passport_expires_on: Some(date!(2030 - 01 - 01)),
                        residence_permit_until: Some(date!(2027 - 12 - 31)),
                        international_protection: false,
                    },
                )]),
            }
        }
    }

    impl HistoryLog for Store {
        fn append(&mut self, entry: &HistoryEntry) -> Result<(), DomainError> {
            crate::testkit::append(&mut self.history, entry)
        }
        fn history(&mut self, kind: &str, id: &str) -> Result<Vec<HistoryEntry>, DomainError> {
            Ok(self
                .history
                .iter()
                .filter(|h| h.resource_kind == kind && h.resource_id == id)
                .cloned()
                .collect())
        }
    }

    impl WorkPermitStore for Store {
        fn insert(&mut self, a: &WorkPermitApplication) -> Result<(), DomainError> {
            crate::testkit::insert(&mut self.apps, a)
        }
        fn get(&mut self, id: WorkPermitId) -> Result<Option<WorkPermitApplication>, DomainError> {
            crate::testkit::get(&self.apps, id)
        }
        fn update(
            &mut self,
            a: &WorkPermitApplication,
            expected: i64,
        ) -> Result<bool, DomainError> {
            match self.apps.get(&a.id) {
                Some(old) if old.version == expected && !self.stale => {
                    self.apps.insert(a.id, a.clone());
                    Ok(true)
                }
                _ => Ok(false),
            }
        }
        fn list_by_employer(
            &mut self,
            employer: &EmployerRef,
            statuses: &[Status],
            page: PageRequest,
        ) -> Result<Page<WorkPermitApplication>, DomainError> {
            let mut all: Vec<_> = self
                .apps
                .values()
                .filter(|a| &a.employer == employer)
                .filter(|a| statuses.is_empty() || statuses.contains(&a.status()))
                .cloned()
                .collect();
            all.sort_by_key(|a| std::cmp::Reverse(a.created_at));
            let total = all.len() as u64;
            let items = all
                .into_iter()
                .skip(page.offset() as usize)
                .take(page.limit() as usize)
                .collect();
            Ok(Page::new(items, page, total))
        }
        fn drafts_touched_before(
            &mut self,
            before: OffsetDateTime,
            limit: usize,
        ) -> Result<Vec<WorkPermitApplication>, DomainError> {
            let mut d: Vec<_> = self
                .apps
                .values()
                .filter(|a| a.is_draft() && a.last_touched_at < before)
                .cloned()
                .collect();
            d.sort_by_key(|a| a.last_touched_at);
            d.truncate(limit);
            Ok(d)
        }
        fn delete(&mut self, id: WorkPermitId, expected: i64) -> Result<bool, DomainError> {
            match self.apps.get(&id) {
                Some(a) if a.version == expected => {
                    self.apps.remove(&id);
                    Ok(true)
                }
                _ => Ok(false),
            }
        }
        fn current_permit(
            &mut self,
            employer: &EmployerRef,
            ykn: &Ykn,
        ) -> Result<Option<CurrentPermit>, DomainError> {
            Ok(self
                .permits
                .get(&(employer.clone(), ykn.as_str().to_owned()))
                .copied())
        }
        fn employer_access(
            &mut self,
            employer: EmployerId,
            person: &Tckn,
        ) -> Result<Option<EmployerAccess>, DomainError> {
            let owned = self
                .owners
                .iter()
                .find(|(p, k)| employer_of(p, *k) == employer)
                .cloned();
            let Some((owner, kind)) = owned else {
                return Ok(None);
            };
            let role = if &owner == person {
                crate::panel::EmployerRole::Owner
            } else if self.authorised.contains(&(employer, person.clone())) {
                crate::panel::EmployerRole::Authorised
            } else {
                return Ok(None);
            };
            Ok(Some(EmployerAccess {
                employer_id: employer,
                kind,
                role,
                owner,
                missing_documents: self.missing_employer_documents.clone(),
            }))
        }
        fn running_permits(
            &mut self,
            employer: &EmployerRef,
            today: Date,
        ) -> Result<Vec<WorkPermitApplication>, DomainError> {
            let mut v: Vec<_> = self
                .apps
                .values()
                .filter(|a| &a.employer == employer && a.status() == Status::Approved)
                .filter(|a| a.period.as_ref().is_some_and(|p| p.end() >= today))
                .cloned()
                .collect();
            v.sort_by_key(|a| a.period.as_ref().map(|p| p.end()));
            Ok(v)
        }
    }

    impl ConsulateRegistry for Store {
        fn find_reference(
            &mut self,
            number: &MfaReferenceNo,
        ) -> Result<Option<ConsulateReference>, DomainError> {
            self.consulates.find_reference(number)
        }
        fn mark_used(
            &mut self,
            number: &MfaReferenceNo,
            at: OffsetDateTime,
        ) -> Result<(), DomainError> {
            self.consulates.mark_used(number, at)
        }
    }
    impl YokRegistry for Store {
        fn find_pre_permit(
            &mut self,
            number: &YokPrePermitNo,
        ) -> Result<Option<YokPrePermit>, DomainError> {
            self.yok.find_pre_permit(number)
        }
    }
    impl KinshipCheck for Store {
        fn relation(
            &mut self,
            person: &Tckn,
            relative: &Tckn,
        ) -> Result<Option<KinshipRelation>, DomainError> {
            self.nvi.relation(person, relative)
        }
    }
    impl ForeignerLookup for Store {
        fn find_foreigner(&mut self, ykn: &Ykn) -> Result<Option<ForeignerRecord>, DomainError> {
            Ok(self.foreigners.get(ykn.as_str()).cloned())
        }
    }

    impl ApplicationFiles for Store {
        fn add_file(&mut self, _: WorkPermitId, _: &ApplicationFile) -> Result<(), DomainError> {
            Ok(())
        }
        /// Every file a test names was uploaded: the photo is `aaa…`, the rest PDFs.
        fn file(
            &mut self,
            _: WorkPermitId,
            sha256: &str,
        ) -> Result<Option<ApplicationFile>, DomainError> {
            if self.no_files {
                return Ok(None);
            }
            let photo = sha256 == "a".repeat(64);
            Ok(Some(ApplicationFile {
                sha256: Sha256Hex::parse(sha256).map_err(DomainError::rule)?,
                kind: if photo {
                    FileKind::Photo
                } else {
                    FileKind::Pdf
                },
                media_type: if photo {
                    "image/jpeg"
                } else {
                    "application/pdf"
                }
                .into(),
                size: if photo { 300_000 } else { 50_000 },
                file_name: "f".into(),
                uploaded_by: "test".into(),
                uploaded_at: NOW,
            }))
        }
    }

    /// The result step as the wizard does it: the petition generated (when the steps
    /// allow), then confirmed and signed.
    fn sign(
        s: &mut Store,
        who: &Actor,
        id: WorkPermitId,
        input: ResultInput,
        now: OffsetDateTime,
    ) -> Result<WorkPermitApplication, DomainError> {
        if let Ok(sha256) = Sha256Hex::parse(&input.petition_sha256) {
            let _ = set_petition(
                s,
                who,
                id,
                GeneratedPetition {
                    sha256,
                    size: 1000,
                    generated_at: now,
                },
            );
        }
        save_result(s, who, id, input, now)
    }

    /// Submits with `c` as the consulates' registry (handed back afterwards).
    fn submit(
        s: &mut Store,
        c: &mut Consulates,
        actor: &Actor,
        id: WorkPermitId,
        now: OffsetDateTime,
    ) -> Result<WorkPermitApplication, DomainError> {
        s.consulates = std::mem::take(c);
        let r = submit_application(s, actor, id, now);
        *c = std::mem::take(&mut s.consulates);
        r
    }

    #[derive(Default)]
    struct Consulates(HashMap<String, ConsulateReference>);
    impl ConsulateRegistry for Consulates {
        fn find_reference(
            &mut self,
            number: &MfaReferenceNo,
        ) -> Result<Option<ConsulateReference>, DomainError> {
            Ok(self.0.get(number.as_str()).cloned())
        }
        fn mark_used(
            &mut self,
            number: &MfaReferenceNo,
            _: OffsetDateTime,
        ) -> Result<(), DomainError> {
            if let Some(r) = self.0.get_mut(number.as_str()) {
                r.used = true;
            }
            Ok(())
        }
    }

    #[derive(Default)]
    struct Yok(HashMap<String, YokPrePermit>);

    impl YokRegistry for Yok {
        fn find_pre_permit(
            &mut self,
            number: &YokPrePermitNo,
        ) -> Result<Option<YokPrePermit>, DomainError> {
            Ok(self.0.get(number.as_str()).cloned())
        }
    }

    #[derive(Default)]
    struct Nvi(Vec<(Tckn, Tckn, KinshipRelation)>);
    impl KinshipCheck for Nvi {
        fn relation(
            &mut self,
            person: &Tckn,
            relative: &Tckn,
        ) -> Result<Option<KinshipRelation>, DomainError> {
            Ok(self
                .0
                .iter()
                .find(|(p, r, _)| p == person && r == relative)
                .map(|(_, _, k)| *k))
        }
    }
    fn nvi() -> Nvi {
        Nvi(vec![(
            household_person(),
            mother(),
            KinshipRelation::Mother,
        )])
    }

    impl Signer for Store {
        fn sign(
            &mut self,
            signer: &Tckn,
            document_sha256: &Sha256Hex,
            now: OffsetDateTime,
        ) -> Result<ESignature, DomainError> {
            Ok(ESignature {
                signer: signer.clone(),
                document_sha256: document_sha256.clone(),
                signed_at: now,
            })
        }
    }

    const REFERENCE: &str = "1234567890123456";

    fn consulates(issued_at: OffsetDateTime) -> Consulates {
        let number = MfaReferenceNo::parse(REFERENCE).unwrap();
        Consulates(HashMap::from([(
            REFERENCE.to_owned(),
            ConsulateReference {
                number,
                issued_at,
                used: false,
                first_name: "Maria".into(),
                last_name: "Ivanova".into(),
                birth_date: date!(1985 - 04 - 02),
                nationality: Nationality::parse("GE").unwrap(),
                passport_no: None,
                passport_expires_on: Some(date!(2031 - 01 - 01)),
            },
        )]))
    }

    fn household_kind() -> ApplicationKindInput {
        ApplicationKindInput {
            employer_kind: "household".into(),
            filing: "first".into(),
            route: "in_turkiye".into(),
            ykn: Some(ykn()),
            birth_date: Some(date!(1980 - 06 - 01)),
            care_kind: Some("elderly_care".into()),
            ..Default::default()
        }
    }

    fn company_abroad() -> ApplicationKindInput {
        ApplicationKindInput {
            employer_kind: "company".into(),
            filing: "first".into(),
            route: "abroad".into(),
            reference_no: Some(REFERENCE.into()),
            ..Default::default()
        }
    }

    fn personal() -> PersonalInput {
        PersonalInput {
            registry_confirmed: true,
            email: "ayse@example.com".into(),
            mobile: "0532 123 45 67".into(),
            photo: Some(PhotoInput {
                sha256: "a".repeat(64),
                format: "jpeg".into(),
                size: 300_000,
                taken_on: Some(date!(2026 - 02 - 01)),
                confirmed: true,
            }),
            marital_status: "single".into(),
            spouse: None,
        }
    }

    fn general() -> GeneralInput {
        GeneralInput {
            international_protection: false,
            passport_no: Some("U1234567".into()),
            passport_expires_on: Some(date!(2030 - 01 - 01)),
            languages: vec!["Türkçe".into(), "Rusça".into()],
            education_level: "high_school".into(),
            ..Default::default()
        }
    }

    fn job(start: Date, end: Date) -> JobInput {
        JobInput {
            province: "34".into(),
            district_code: 1421,
            open_address: "Moda Caddesi No 5 Kadıköy".into(),
            occupation_code: "5322.01".into(),
            cared_person_tckn: Some(mother().to_string()),
            kinship_relation: Some("mother".into()),
            wage: "25000".into(),
            work_mode: "full_time".into(),
            work_type: "indefinite".into(),
            period_start: Some(start),
            period_end: Some(end),
            reason: "Yaşlı annemin evde bakımı için.".into(),
            premiums_paid_abroad: None,
        }
    }

    fn documents(types: &[&str]) -> DocumentsInput {
        DocumentsInput {
            documents: types
                .iter()
                .enumerate()
                .map(|(i, t)| DocumentInput {
                    document_type: (*t).into(),
                    sha256: format!("{i:064x}"),
                    size: 50_000,
                })
                .collect(),
        }
    }

    const BASE_DOCS: [&str; 3] = [
        "employment_contract",
        "proof_of_income",
        "passport_identity_page",
    ];

    fn signed() -> ResultInput {
        ResultInput {
            petition_sha256: "b".repeat(64),
            confirmed: true,
            e_sign: true,
        }
    }

    fn fields(err: &DomainError) -> Vec<(&str, &str)> {
        err.fields
            .iter()
            .map(|f| (f.field.as_str(), f.code.as_ref()))
            .collect()
    }

    fn start_household(s: &mut Store, now: OffsetDateTime) -> WorkPermitApplication {
        start(
            s,
            &mut Consulates::default(),
            &mut Yok::default(),
            &household(),
            household_kind(),
            now,
        )
        .unwrap()
    }

    /// A household draft with every step saved and signed.
    fn filled(s: &mut Store, start: Date, end: Date, docs: &[&str]) -> WorkPermitId {
        let a = start_household(s, NOW);
        let who = household();
        save_personal(s, &who, a.id, personal(), NOW).unwrap();
        save_general(s, &who, a.id, general(), NOW).unwrap();
        save_job(s, &who, a.id, job(start, end), NOW).unwrap();
        save_documents(s, &who, a.id, documents(docs), NOW).unwrap();
        sign(s, &who, a.id, signed(), NOW).unwrap();
        a.id
    }

    #[test]
    fn household_in_turkiye_first_application_from_draft_to_submitted() {
        let mut s = Store::default();
        let who = household();
        let a = start_household(&mut s, NOW);
        assert_eq!(a.status(), Status::Draft);
        assert_eq!(
            a.employer,
            EmployerRef::Employer {
                employer_id: employer_of(&household_person(), EmployerKind::Household)
            }
        );
        assert_eq!(a.foreigner.ykn().map(|y| y.to_string()), Some(ykn()));
        assert_eq!(a.wizard.next_step(), Some(Step::Personal));

        let a = save_personal(&mut s, &who, a.id, personal(), NOW).unwrap();
        assert_eq!(a.wizard.next_step(), Some(Step::General));
        let a = save_general(&mut s, &who, a.id, general(), NOW).unwrap();
        let end = date!(2027 - 03 - 09);
        let a = save_job(&mut s, &who, a.id, job(NOW.date(), end), NOW).unwrap();
        assert_eq!(
            a.wizard
                .job
                .as_ref()
                .and_then(|j| j.cared_person.as_ref())
                .map(|c| c.relation),
            Some(KinshipRelation::Mother)
        );
        let a = save_documents(&mut s, &who, a.id, documents(&BASE_DOCS), NOW).unwrap();
        // Confirmed but not signed: saved as a draft, the result step still open.
        let draft = ResultInput {
            e_sign: false,
            ..signed()
        };
        let a = sign(&mut s, &who, a.id, draft, NOW).unwrap();
        assert_eq!(a.wizard.missing_steps(), [Step::Result]);
        let err = submit_application(&mut s, &who, a.id, NOW).unwrap_err();
        assert_eq!(err.code, "work_permit.steps_incomplete");
        assert_eq!(fields(&err), [("steps.result", "work_permit.step_missing")]);

        let a = sign(&mut s, &who, a.id, signed(), NOW).unwrap();
        assert_eq!(a.wizard.next_step(), None);
        let version = a.version;
        let later = NOW + Duration::hours(1);
        let a = submit_application(&mut s, &who, a.id, later).unwrap();
        assert_eq!(a.status(), Status::Submitted);
        assert_eq!(a.version, version + 1);
        assert_eq!(a.submitted_at, Some(later));
        assert_eq!(
            a.period.map(|p| (p.start(), p.end())),
            Some((NOW.date(), end))
        );

        let h = application_history(&mut s, &who, a.id).unwrap();
        assert_eq!(h.len(), 2);
        assert_eq!(
            (h[0].from_state.as_deref(), h[0].to_state.as_str()),
            (None, "draft")
        );
        assert_eq!(h[0].note.as_deref(), Some(DRAFT_CREATED_NOTE));
        assert_eq!(
            (h[1].from_state.as_deref(), h[1].to_state.as_str()),
            (Some("draft"), "submitted")
        );
        assert_eq!(
            h[1].note.as_deref(),
            Some("Başvuru e-İmza ile tamamlanarak Bakanlığa iletildi.")
        );

        // Submitted: no step changes, no second submission.
        let err = save_personal(&mut s, &who, a.id, personal(), later).unwrap_err();
        assert_eq!(
            (err.kind, err.code.as_ref()),
            (ErrorKind::Conflict, "work_permit.not_a_draft")
        );
        let err = submit_application(&mut s, &who, a.id, later).unwrap_err();
        assert_eq!(err.code, "work_permit.not_a_draft");

        let listed = list(
            &mut s,
            &who,
            EmployerKind::Household,
            Some(EmployerList::InEvaluation),
        )
        .unwrap();
        assert_eq!(listed.total, 1);
        let drafts = list(
            &mut s,
            &who,
            EmployerKind::Household,
            Some(EmployerList::Incomplete),
        )
        .unwrap();
        assert_eq!(drafts.total, 0);
    }

    #[test]
    fn steps_are_saved_in_order() {
        let mut s = Store::default();
        let who = household();
        let a = start_household(&mut s, NOW);
        let err = save_general(&mut s, &who, a.id, general(), NOW).unwrap_err();
        assert_eq!(err.code, "work_permit.step_order");
        assert_eq!(err.fields[0].field, "step");
        save_personal(&mut s, &who, a.id, personal(), NOW).unwrap();
        let err = save_job(&mut s, &who, a.id, job(NOW.date(), NOW.date()), NOW).unwrap_err();
        assert_eq!(err.code, "work_permit.step_order");
        let err = save_documents(&mut s, &who, a.id, documents(&BASE_DOCS), NOW).unwrap_err();
        assert_eq!(err.code, "work_permit.step_order");
        let err = sign(&mut s, &who, a.id, signed(), NOW).unwrap_err();
        assert_eq!(err.code, "work_permit.step_order");
        let err = submit_application(&mut s, &who, a.id, NOW).unwrap_err();
        assert_eq!(err.code, "work_permit.steps_incomplete");
        assert_eq!(
            fields(&err).iter().map(|f| f.0).collect::<Vec<_>>(),
            [
                "steps.general",
                "steps.job",
                "steps.documents",
                "steps.result"
            ]
        );
    }

    #[test]
    fn saving_an_earlier_step_again_takes_back_the_signature() {
        let mut s = Store::default();
        let who = household();
        let id = filled(&mut s, NOW.date(), date!(2026 - 12 - 31), &BASE_DOCS);
        let a = save_general(&mut s, &who, id, general(), NOW).unwrap();
        assert_eq!(a.wizard.result, None);
        assert_eq!(a.wizard.next_step(), Some(Step::Result));
    }

    #[test]
    fn a_duration_beyond_the_limit_is_refused_at_submit() {
        let who = household();
        // First permit from 10 March 2026: at most until 9 March 2027.
        let mut s = Store::default();
        let id = filled(&mut s, NOW.date(), date!(2027 - 03 - 10), &BASE_DOCS);
        let err = submit_application(&mut s, &who, id, NOW).unwrap_err();
        assert_eq!(err.code, "work_permit.first_too_long");
        assert_eq!(err.fields[0].field, "job.period_end");
        assert_eq!(s.apps[&id].status(), Status::Draft);

        let mut s = Store::default();
        let id = filled(&mut s, NOW.date(), date!(2027 - 03 - 09), &BASE_DOCS);
        assert!(submit_application(&mut s, &who, id, NOW).is_ok());
    }

    #[test]
    fn the_permit_ends_sixty_days_before_the_passport() {
        let who = household();
        let passport_until = |s: &mut Store, id, d| {
            let g = GeneralInput {
                passport_expires_on: Some(d),
                ..general()
            };
            save_general(s, &who, id, g, NOW).unwrap();
            save_job(s, &who, id, job(NOW.date(), date!(2026 - 12 - 31)), NOW).unwrap();
            save_documents(s, &who, id, documents(&BASE_DOCS), NOW).unwrap();
            sign(s, &who, id, signed(), NOW).unwrap();
        };
        let mut s = Store::default();
        let id = filled(&mut s, NOW.date(), date!(2026 - 12 - 31), &BASE_DOCS);
        // Expiring on 28 February 2027 the permit may end on 30 December 2026 at the latest,
        // one day short; expiring on 1 March 2027, on 31 December.
        passport_until(&mut s, id, date!(2027 - 02 - 28));
        let err = submit_application(&mut s, &who, id, NOW).unwrap_err();
        assert_eq!(
            (err.code.as_ref(), err.fields[0].field.as_str()),
            ("work_permit.beyond_passport", "job.period_end")
        );
        passport_until(&mut s, id, date!(2027 - 03 - 01));
        assert!(submit_application(&mut s, &who, id, NOW).is_ok());
    }

    #[test]
    fn an_extension_is_chained_to_the_running_permit() {
        let mut s = Store::default();
        let who = household();
        let kind = ApplicationKindInput {
            filing: "extension".into(),
            ..household_kind()
        };
        // Not one of the employer's running permits yet.
        let err = start(
            &mut s,
            &mut Consulates::default(),
            &mut Yok::default(),
            &who,
            kind.clone(),
            NOW,
        )
        .unwrap_err();
        assert_eq!(
            (err.code.as_ref(), err.fields[0].field.as_str()),
            ("work_permit.no_running_permit", "ykn")
        );
        // The employer's approved permit for the foreigner, running until 30 April.
        let mut first = start_household(&mut s, NOW - Duration::days(400));
        first.evaluation.status = Status::Approved;
        first.period = crate::duration::PermitPeriod::from_stored(
            date!(2025 - 05 - 01),
            date!(2026 - 04 - 30),
        );
        s.permits.insert(
            (first.employer.clone(), ykn()),
            CurrentPermit {
                ends_on: date!(2026 - 04 - 30),
                previous_extensions: 0,
            },
        );
        s.apps.insert(first.id, first);
        let a = start(
            &mut s,
            &mut Consulates::default(),
            &mut Yok::default(),
            &who,
            kind,
            NOW,
        )
        .unwrap();
        assert_eq!(
            a.registry_record.as_ref().map(|r| r.first_name.as_str()),
            Some("Elena")
        );
        save_personal(&mut s, &who, a.id, personal(), NOW).unwrap();
        save_general(&mut s, &who, a.id, general(), NOW).unwrap();
        // First extension: at most 2 years, from 1 May 2026.
        save_job(
            &mut s,
            &who,
            a.id,
            job(date!(2026 - 05 - 01), date!(2028 - 05 - 01)),
            NOW,
        )
        .unwrap();
        save_documents(&mut s, &who, a.id, documents(&BASE_DOCS), NOW).unwrap();
        sign(&mut s, &who, a.id, signed(), NOW).unwrap();
        let err = submit_application(&mut s, &who, a.id, NOW).unwrap_err();
        assert_eq!(err.code, "work_permit.extension_too_long");
        save_job(
            &mut s,
            &who,
            a.id,
            job(date!(2026 - 05 - 01), date!(2028 - 04 - 30)),
            NOW,
        )
        .unwrap();
        save_documents(&mut s, &who, a.id, documents(&BASE_DOCS), NOW).unwrap();
        sign(&mut s, &who, a.id, signed(), NOW).unwrap();
        // The window opened 60 days before 30 April, on 1 March: 10 March is inside it.
        assert!(submit_application(&mut s, &who, a.id, NOW).is_ok());
    }

    #[test]
    fn a_missing_document_is_refused_at_submit() {
        let mut s = Store::default();
        let who = household();
        let id = filled(&mut s, NOW.date(), date!(2026 - 12 - 31), &BASE_DOCS[..2]);
        let err = submit_application(&mut s, &who, id, NOW).unwrap_err();
        assert_eq!(err.code, "work_permit.document_missing");
        assert_eq!(err.fields[0].field, "documents.passport_identity_page");
        let id = filled(&mut s, NOW.date(), date!(2026 - 12 - 31), &BASE_DOCS[..1]);
        let err = submit_application(&mut s, &who, id, NOW).unwrap_err();
        assert_eq!(err.code, "validation.failed");
        assert_eq!(err.fields.len(), 2);
    }

    #[test]
    fn another_employers_application_is_not_found() {
        let mut s = Store::default();
        let mine = "100000003";
        let mut mfa = consulates(NOW - Duration::days(3));
        let a = start(
            &mut s,
            &mut mfa,
            &mut Yok::default(),
            &employer_user(mine),
            company_abroad(),
            NOW,
        )
        .unwrap();
        assert!(matches!(&a.foreigner, Foreigner::Reference(r) if r.first_name == "Maria"));
        assert_eq!(
            get_application(&mut s, &employer_user(mine), a.id)
                .unwrap()
                .id,
            a.id
        );
        for other in [employer_user("100000005"), household()] {
            let err = get_application(&mut s, &other, a.id).unwrap_err();
            assert_eq!(
                (err.kind, err.code.as_ref()),
                (ErrorKind::NotFound, "work_permit.not_found")
            );
            let err = save_personal(&mut s, &other, a.id, personal(), NOW).unwrap_err();
            assert_eq!(err.kind, ErrorKind::NotFound);
            assert!(application_history(&mut s, &other, a.id).is_err());
        }
        let staff = Actor::MinistryStaff {
            account_id: StaffAccountId::new(),
        };
        // The ministry's staff read it.
        assert_eq!(get_application(&mut s, &staff, a.id).unwrap().id, a.id);
        let err = get_application(&mut s, &employer_user(mine), WorkPermitId::new()).unwrap_err();
        assert_eq!(err.kind, ErrorKind::NotFound);
        let other = list(
            &mut s,
            &employer_user("100000005"),
            EmployerKind::Company,
            None,
        )
        .unwrap();
        assert_eq!(other.total, 0);
        // Someone else's employer is not reachable at all.
        let err = list_applications(
            &mut s,
            &employer_user("100000005"),
            employer_of(&tckn("100000003"), EmployerKind::Company),
            None,
            PageRequest::first(),
        )
        .unwrap_err();
        assert_eq!(err.code, "work_permit.employer_not_found");
    }

    #[test]
    fn who_may_start_what() {
        let mut s = Store {
            consulates: consulates(NOW),
            ..Default::default()
        };
        // A household's employer record employs carers only.
        let err = start_application(
            &mut s,
            &household(),
            employer_of(&household_person(), EmployerKind::Household),
            company_abroad(),
            NOW,
        )
        .unwrap_err();
        assert_eq!(
            (err.kind, err.code.as_ref(), err.fields[0].field.as_str()),
            (
                ErrorKind::Invalid,
                "work_permit.employer_kind_mismatch",
                "employer_kind"
            )
        );
        // An employer the person has no role at.
        s.consulates = consulates(NOW);
        let err = start_application(
            &mut s,
            &household(),
            employer_of(&tckn("100000003"), EmployerKind::Company),
            company_abroad(),
            NOW,
        )
        .unwrap_err();
        assert_eq!(err.code, "work_permit.employer_not_found");
        let staff = Actor::MinistryStaff {
            account_id: StaffAccountId::new(),
        };
        let err = start(
            &mut s,
            &mut consulates(NOW),
            &mut Yok::default(),
            &staff,
            household_kind(),
            NOW,
        )
        .unwrap_err();
        assert_eq!(err.code, "work_permit.employer_only");
        assert!(s.apps.is_empty());
    }

    #[test]
    fn a_consulate_reference_is_checked_at_start_and_used_by_the_submission() {
        let mut s = Store::default();
        let who = employer_user("100000003");
        let mut old = consulates(NOW - Duration::days(31));
        let err = start(
            &mut s,
            &mut old,
            &mut Yok::default(),
            &who,
            company_abroad(),
            NOW,
        )
        .unwrap_err();
        assert_eq!(err.code, "work_permit.reference_expired");
        let err = start(
            &mut s,
            &mut Consulates::default(),
            &mut Yok::default(),
            &who,
            company_abroad(),
            NOW,
        )
        .unwrap_err();
        assert_eq!(err.code, "work_permit.reference_unknown");

        let mut mfa = consulates(NOW - Duration::days(1));
        let a = start(
            &mut s,
            &mut mfa,
            &mut Yok::default(),
            &who,
            company_abroad(),
            NOW,
        )
        .unwrap();
        save_personal(&mut s, &who, a.id, personal(), NOW).unwrap();
        save_general(&mut s, &who, a.id, general(), NOW).unwrap();
        let company_job = JobInput {
            cared_person_tckn: None,
            kinship_relation: None,
            ..job(date!(2026 - 04 - 01), date!(2027 - 03 - 31))
        };
        save_job(&mut s, &who, a.id, company_job, NOW).unwrap();
        save_documents(&mut s, &who, a.id, documents(&BASE_DOCS), NOW).unwrap();
        sign(&mut s, &who, a.id, signed(), NOW).unwrap();
        let a = submit(&mut s, &mut mfa, &who, a.id, NOW).unwrap();
        assert_eq!(a.status(), Status::Submitted);
        assert!(mfa.0[REFERENCE].used);
        // A second application cannot use it again.
        let err = start(
            &mut s,
            &mut mfa,
            &mut Yok::default(),
            &who,
            company_abroad(),
            NOW,
        )
        .unwrap_err();
        assert_eq!(err.code, "work_permit.reference_used");
    }

    #[test]
    fn a_yok_pre_permit_must_be_approved_or_pending() {
        let mut s = Store::default();
        let who = employer_user("100000003");
        let input = ApplicationKindInput {
            employer_kind: "university".into(),
            filing: "first".into(),
            route: "yok_pre_permit".into(),
            yok_pre_permit_no: Some("20240001".into()),
            ..Default::default()
        };
        let permit = |status| YokPrePermit {
            number: YokPrePermitNo::parse("20240001").unwrap(),
            status,
            first_name: "Anna".into(),
            last_name: "Müller".into(),
            nationality: Nationality::parse("DE").unwrap(),
            passport_no: None,
            university: "Ankara Üniversitesi".into(),
        };
        let mut yok = Yok(HashMap::from([(
            "20240001".to_owned(),
            permit(crate::kind::YokPrePermitStatus::Rejected),
        )]));
        let err = start(
            &mut s,
            &mut Consulates::default(),
            &mut yok,
            &who,
            input.clone(),
            NOW,
        )
        .unwrap_err();
        assert_eq!(err.code, "work_permit.yok_pre_permit_refused");
        let mut yok = Yok(HashMap::from([(
            "20240001".to_owned(),
            permit(crate::kind::YokPrePermitStatus::Pending),
        )]));
        let a = start(
            &mut s,
            &mut Consulates::default(),
            &mut yok,
            &who,
            input,
            NOW,
        )
        .unwrap();
        assert!(a.kind.route.is_academic());
        // Academics answer "premiums paid abroad".
        save_personal(&mut s, &who, a.id, personal(), NOW).unwrap();
        save_general(&mut s, &who, a.id, general(), NOW).unwrap();
        let academic_job = JobInput {
            cared_person_tckn: None,
            kinship_relation: None,
            ..job(date!(2026 - 04 - 01), date!(2027 - 03 - 31))
        };
        let err = save_job(&mut s, &who, a.id, academic_job.clone(), NOW).unwrap_err();
        assert_eq!(
            fields(&err),
            [("job.premiums_paid_abroad", "work_permit.required")]
        );
        let ok = JobInput {
            premiums_paid_abroad: Some(false),
            ..academic_job
        };
        assert!(save_job(&mut s, &who, a.id, ok, NOW).is_ok());
    }

    #[test]
    fn the_kinship_is_verified_against_the_civil_registry() {
        let mut s = Store::default();
        let who = household();
        let a = start_household(&mut s, NOW);
        save_personal(&mut s, &who, a.id, personal(), NOW).unwrap();
        save_general(&mut s, &who, a.id, general(), NOW).unwrap();
        let wrong = JobInput {
            kinship_relation: Some("child".into()),
            ..job(NOW.date(), date!(2026 - 12 - 31))
        };
        let err = save_job(&mut s, &who, a.id, wrong, NOW).unwrap_err();
        assert_eq!(
            (err.code.as_ref(), err.fields[0].field.as_str()),
            ("work_permit.kinship_not_verified", "job.kinship_relation")
        );
        let stranger = JobInput {
            cared_person_tckn: Some(tckn("100000009").to_string()),
            ..job(NOW.date(), date!(2026 - 12 - 31))
        };
        assert_eq!(
            save_job(&mut s, &who, a.id, stranger, NOW)
                .unwrap_err()
                .code,
            "work_permit.kinship_not_verified"
        );
        // Caring for oneself needs no look-up, but must say "self".
        let myself = JobInput {
            cared_person_tckn: Some(household_person().to_string()),
            kinship_relation: Some("self".into()),
            ..job(NOW.date(), date!(2026 - 12 - 31))
        };
        s.nvi = Nvi(vec![]);
        assert!(save_job(&mut s, &who, a.id, myself, NOW).is_ok());
        assert!(s.apps[&a.id].wizard.job.is_some());
    }

    #[test]
    fn every_personal_field_is_named() {
        let input = PersonalInput {
            registry_confirmed: false,
            email: "not-an-email".into(),
            mobile: "12345".into(),
            photo: Some(PhotoInput {
                sha256: "xyz".into(),
                format: "gif".into(),
                size: 3 * 1024 * 1024,
                taken_on: Some(date!(2025 - 09 - 09)),
                confirmed: false,
            }),
            marital_status: "married".into(),
            spouse: Some(SpouseInput {
                first_name: " ".into(),
                last_name: "Yılmaz".into(),
                nationality: "TR".into(),
                tckn: None,
                birth_date: None,
            }),
        };
        let err = input.validate(NOW).unwrap_err();
        assert_eq!(err.code, "validation.failed");
        assert_eq!(
            fields(&err).iter().map(|f| f.0).collect::<Vec<_>>(),
            [
                "personal.registry_confirmed",
                "personal.email",
                "personal.mobile",
                "personal.photo.sha256",
                "personal.photo.format",
                "personal.photo.size",
                "personal.photo.taken_on",
                "personal.photo.confirmed",
                "personal.spouse.first_name",
                "personal.spouse.tckn",
                "personal.spouse.birth_date",
            ]
        );
        // Six months back to the day is still fine; the day before is not.
        let mut p = personal();
        if let Some(ph) = p.photo.as_mut() {
            ph.taken_on = Some(date!(2025 - 09 - 10));
        }
        assert!(p.clone().validate(NOW).is_ok());
        if let Some(ph) = p.photo.as_mut() {
            ph.taken_on = Some(date!(2025 - 09 - 09));
        }
        assert_eq!(
            p.validate(NOW).unwrap_err().code,
            "work_permit.photo_too_old"
        );
        // Married without a spouse; a spouse for someone single.
        let married = PersonalInput {
            marital_status: "married".into(),
            ..personal()
        };
        assert_eq!(
            fields(&married.validate(NOW).unwrap_err()),
            [("personal.spouse", "work_permit.required")]
        );
        let single = PersonalInput {
            spouse: Some(SpouseInput::default()),
            ..personal()
        };
        assert_eq!(
            single.validate(NOW).unwrap_err().code,
            "work_permit.not_applicable"
        );
        // A foreign spouse: name and nationality only; a Turkish one with TCKN and birth date.
        let foreign = PersonalInput {
            marital_status: "married".into(),
            spouse: Some(SpouseInput {
                first_name: "Olga".into(),
                last_name: "Petrova".into(),
                nationality: "RU".into(),
                tckn: Some(mother().to_string()),
                birth_date: None,
            }),
            ..personal()
        };
        assert_eq!(
            fields(&foreign.validate(NOW).unwrap_err()),
            [("personal.spouse.tckn", "work_permit.not_applicable")]
        );
        let turkish = PersonalInput {
            marital_status: "married".into(),
            spouse: Some(SpouseInput {
                first_name: "Ali".into(),
                last_name: "Yılmaz".into(),
                nationality: "tr".into(),
                tckn: Some(mother().to_string()),
                birth_date: Some(date!(1979 - 01 - 01)),
            }),
            ..personal()
        };
        let p = turkish.validate(NOW).unwrap();
        assert_eq!(p.spouse.and_then(|s| s.tckn), Some(mother()));
        let bad_tckn = PersonalInput {
            marital_status: "married".into(),
            spouse: Some(SpouseInput {
                first_name: "Ali".into(),
                last_name: "Yılmaz".into(),
                nationality: "TR".into(),
                tckn: Some("12345678901".into()),
                birth_date: Some(date!(2027 - 01 - 01)),
            }),
            ..personal()
        };
        assert_eq!(
            fields(&bad_tckn.validate(NOW).unwrap_err())
                .iter()
                .map(|f| f.0)
                .collect::<Vec<_>>(),
            ["personal.spouse.tckn", "personal.spouse.birth_date"]
        );
        let no_photo = PersonalInput {
            photo: None,
            ..personal()
        };
        assert_eq!(
            fields(&no_photo.validate(NOW).unwrap_err()),
            [("personal.photo", "work_permit.required")]
        );
    }

    #[test]
    fn every_general_field_is_named() {
        let err = GeneralInput {
            international_protection: false,
            passport_no: Some("12".into()),
            passport_expires_on: Some(date!(2026 - 03 - 09)),
            languages: vec!["x".into(), "Türkçe".into(), "türkçe".into()],
            education_level: "bachelor".into(),
            graduated_field: None,
            speciality: Some("".into()),
        }
        .validate(NOW)
        .unwrap_err();
        assert_eq!(
            fields(&err),
            [
                ("general.passport_no", "work_permit.passport_format"),
                (
                    "general.passport_expires_on",
                    "work_permit.passport_expired"
                ),
                ("general.languages[0]", "text.length"),
                ("general.languages[2]", "work_permit.duplicate"),
                ("general.graduated_field", "work_permit.required"),
                ("general.speciality", "text.length"),
            ]
        );
        // International protection: no passport asked, none accepted.
        let ip = GeneralInput {
            international_protection: true,
            passport_no: None,
            passport_expires_on: None,
            ..general()
        };
        assert_eq!(ip.clone().validate(NOW).unwrap().passport, None);
        let with_passport = GeneralInput {
            passport_no: Some("U1234567".into()),
            ..ip
        };
        assert_eq!(
            fields(&with_passport.validate(NOW).unwrap_err()),
            [("general.passport_no", "work_permit.not_applicable")]
        );
        let err = GeneralInput {
            passport_no: None,
            passport_expires_on: None,
            education_level: "phd".into(),
            ..general()
        }
        .validate(NOW)
        .unwrap_err();
        assert_eq!(
            fields(&err),
            [
                ("general.passport_no", "work_permit.required"),
                ("general.passport_expires_on", "work_permit.required"),
                ("general.education_level", "work_permit.unknown_code"),
            ]
        );
        let lise_with_field = GeneralInput {
            graduated_field: Some("Hemşirelik".into()),
            ..general()
        };
        assert_eq!(
            lise_with_field.validate(NOW).unwrap_err().code,
            "work_permit.not_applicable"
        );
        let bachelor = GeneralInput {
            education_level: "bachelor".into(),
            graduated_field: Some("Hemşirelik".into()),
            speciality: Some("Geriatri".into()),
            ..general()
        };
        assert!(bachelor.validate(NOW).is_ok());
    }

    #[test]
    fn every_job_field_is_named() {
        let kind = household_kind().validate().unwrap();
        let err = JobInput {
            province: "82".into(),
            district_code: 0,
            open_address: "kısa".into(),
            occupation_code: "5322".into(),
            cared_person_tckn: None,
            kinship_relation: Some("cousin".into()),
            wage: "0".into(),
            work_mode: "night".into(),
            work_type: "seasonal".into(),
            period_start: Some(date!(2026 - 05 - 01)),
            period_end: Some(date!(2026 - 04 - 30)),
            reason: "".into(),
            premiums_paid_abroad: Some(true),
        }
        .validate(&kind)
        .unwrap_err();
        assert_eq!(
            fields(&err),
            [
                ("job.province", "province.unknown"),
                ("job.district_code", "work_permit.district_unknown"),
                ("job.open_address", "text.length"),
                ("job.occupation_code", "occupation.format"),
                ("job.cared_person_tckn", "work_permit.required"),
                ("job.kinship_relation", "work_permit.unknown_code"),
                ("job.wage", "work_permit.wage_not_positive"),
                ("job.work_mode", "work_permit.unknown_code"),
                ("job.work_type", "work_permit.unknown_code"),
                ("job.period_end", "work_permit.period_reversed"),
                ("job.reason", "text.length"),
                ("job.premiums_paid_abroad", "work_permit.not_applicable"),
            ]
        );
        let err = JobInput {
            wage: "12,345".into(),
            period_start: None,
            period_end: None,
            ..job(NOW.date(), NOW.date())
        }
        .validate(&kind)
        .unwrap_err();
        assert_eq!(
            fields(&err),
            [
                ("job.wage", "money.format"),
                ("job.period_start", "work_permit.required"),
                ("job.period_end", "work_permit.required"),
            ]
        );
        // A company gives no cared person.
        let company = company_abroad().validate().unwrap();
        let err = job(NOW.date(), NOW.date()).validate(&company).unwrap_err();
        assert_eq!(
            fields(&err),
            [
                ("job.cared_person_tckn", "work_permit.not_applicable"),
                ("job.kinship_relation", "work_permit.not_applicable"),
            ]
        );
        let j = job(NOW.date(), NOW.date()).validate(&kind).unwrap();
        assert_eq!(j.wage.kurus(), 2_500_000);
    }

    #[test]
    fn every_document_and_result_field_is_named() {
        let err = DocumentsInput {
            documents: vec![
                DocumentInput {
                    document_type: "employment_contract".into(),
                    sha256: "c".repeat(64),
                    size: 10,
                },
                DocumentInput {
                    document_type: "employment_contract".into(),
                    sha256: "c".repeat(63),
                    size: 0,
                },
                DocumentInput {
                    document_type: "petition".into(),
                    sha256: "C".repeat(64),
                    size: 11 * 1024 * 1024,
                },
                DocumentInput {
                    document_type: "selfie".into(),
                    sha256: "d".repeat(64),
                    size: 1,
                },
            ],
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            fields(&err),
            [
                ("documents[1].document_type", "work_permit.duplicate"),
                ("documents[1].sha256", "work_permit.sha256_format"),
                ("documents[1].size", "work_permit.document_too_large"),
                (
                    "documents[2].document_type",
                    "work_permit.document_not_for_application"
                ),
                ("documents[2].size", "work_permit.document_too_large"),
                ("documents[3].document_type", "work_permit.unknown_code"),
            ]
        );
        let ok = documents(&BASE_DOCS).validate().unwrap();
        assert_eq!(ok.len(), 3);

        let err = ResultInput {
            petition_sha256: "nope".into(),
            confirmed: false,
            e_sign: true,
        }
        .validate()
        .unwrap_err();
        assert_eq!(
            fields(&err),
            [
                ("result.petition_sha256", "work_permit.sha256_format"),
                ("result.confirmed", "work_permit.petition_not_confirmed"),
            ]
        );
        // Upper-case hex is kept lower-case.
        let r = ResultInput {
            petition_sha256: "AB".repeat(32),
            ..signed()
        };
        assert_eq!(r.validate().unwrap().as_str(), "ab".repeat(32));
    }

    #[test]
    fn a_households_user_fills_the_job_with_the_owners_relative() {
        let mut s = Store::default();
        let household_employer = employer_of(&household_person(), EmployerKind::Household);
        let user = tckn("100000007");
        s.authorised.push((household_employer, user.clone()));
        let who = Actor::Citizen { tckn: user };
        let a = start_application(&mut s, &who, household_employer, household_kind(), NOW).unwrap();
        save_personal(&mut s, &who, a.id, personal(), NOW).unwrap();
        save_general(&mut s, &who, a.id, general(), NOW).unwrap();
        // The mother is the household owner's, not the user's: verified all the same.
        let a = save_job(
            &mut s,
            &who,
            a.id,
            job(date!(2026 - 04 - 01), date!(2027 - 03 - 31)),
            NOW,
        )
        .unwrap();
        assert_eq!(
            a.wizard
                .job
                .and_then(|j| j.cared_person)
                .map(|c| c.relation),
            Some(KinshipRelation::Mother)
        );
    }

    #[test]
    fn an_employer_without_its_documents_does_not_apply() {
        use crate::employer::EmployerDocumentType as D;
        let mut s = Store {
            missing_employer_documents: vec![D::TaxCertificate, D::SignatureCircular],
            ..Default::default()
        };
        let err = start(
            &mut s,
            &mut consulates(NOW),
            &mut Yok::default(),
            &employer_user("100000003"),
            company_abroad(),
            NOW,
        )
        .unwrap_err();
        assert_eq!(err.code, "work_permit.employer_documents_missing");
        assert_eq!(
            fields(&err),
            [
                (
                    "employer.documents.tax_certificate",
                    "work_permit.employer_document_missing"
                ),
                (
                    "employer.documents.signature_circular",
                    "work_permit.employer_document_missing"
                ),
            ]
        );
        assert!(s.apps.is_empty());
    }

    #[test]
    fn steps_name_only_files_uploaded_and_sign_only_the_last_petition() {
        let mut s = Store::default();
        let who = household();
        let a = start_household(&mut s, NOW);
        s.no_files = true;
        let err = save_personal(&mut s, &who, a.id, personal(), NOW).unwrap_err();
        assert_eq!(
            (err.code.as_ref(), err.fields[0].field.as_str()),
            ("work_permit.file_not_uploaded", "personal.photo.sha256")
        );
        s.no_files = false;
        save_personal(&mut s, &who, a.id, personal(), NOW).unwrap();
        save_general(&mut s, &who, a.id, general(), NOW).unwrap();
        save_job(
            &mut s,
            &who,
            a.id,
            job(date!(2026 - 04 - 01), date!(2027 - 03 - 31)),
            NOW,
        )
        .unwrap();
        s.no_files = true;
        let err = save_documents(&mut s, &who, a.id, documents(&BASE_DOCS), NOW).unwrap_err();
        assert_eq!(
            fields(&err).iter().map(|f| f.0).collect::<Vec<_>>(),
            [
                "documents[0].sha256",
                "documents[1].sha256",
                "documents[2].sha256"
            ]
        );
        s.no_files = false;
        save_documents(&mut s, &who, a.id, documents(&BASE_DOCS), NOW).unwrap();
        // No petition generated yet.
        let err = save_result(&mut s, &who, a.id, signed(), NOW).unwrap_err();
        assert_eq!(err.code, "work_permit.petition_not_generated");
        let petition = |c: &str| GeneratedPetition {
            sha256: Sha256Hex::parse(&c.repeat(64)).unwrap(),
            size: 1000,
            generated_at: NOW,
        };
        set_petition(&mut s, &who, a.id, petition("c")).unwrap();
        // Another document than the one generated.
        let err = save_result(&mut s, &who, a.id, signed(), NOW).unwrap_err();
        assert_eq!(
            (err.code.as_ref(), err.fields[0].field.as_str()),
            ("work_permit.petition_outdated", "result.petition_sha256")
        );
        let ok = ResultInput {
            petition_sha256: "c".repeat(64),
            ..signed()
        };
        let a2 = save_result(&mut s, &who, a.id, ok, NOW).unwrap();
        assert!(a2.wizard.is_done(Step::Result));
        // A step saved afterwards drops the petition and the signature.
        let a3 = save_general(&mut s, &who, a.id, general(), NOW).unwrap();
        assert!(a3.petition.is_none());
        assert!(!a3.wizard.is_done(Step::Result));
    }

    #[test]
    fn an_update_the_ministry_asked_for_is_saved_on_the_steps() {
        let mut s = Store::default();
        let who = household();
        let id = filled(&mut s, NOW.date(), date!(2026 - 12 - 31), &BASE_DOCS);
        submit_application(&mut s, &who, id, NOW).unwrap();
        // Submitted: nothing changes.
        let err = save_general(&mut s, &who, id, general(), NOW).unwrap_err();
        assert_eq!(err.code, "work_permit.not_a_draft");
        let mut a = s.apps[&id].clone();
        a.evaluation.status = Status::UpdateRequested;
        s.apps.insert(id, a);
        let later = NOW + Duration::days(3);
        let a = save_general(&mut s, &who, id, general(), later).unwrap();
        assert_eq!(a.status(), Status::UpdateRequested);
        assert_eq!(
            a.evaluation.since, NOW,
            "the 30 days still count from the request"
        );
        assert!(!a.wizard.is_done(Step::Result));
        let a = sign(&mut s, &who, id, signed(), later).unwrap();
        assert!(a.wizard.is_done(Step::Result));
        assert!(check_ready(&mut s, &a, later).is_ok());
    }

    #[test]
    fn drafts_are_deleted_a_calendar_month_after_the_last_save() {
        let mut s = Store::default();
        let saved = datetime!(2026-03-15 09:00 +03:00);
        let a = start_household(&mut s, saved);
        let submitted = filled(&mut s, NOW.date(), date!(2026 - 12 - 31), &BASE_DOCS);
        submit_application(&mut s, &household(), submitted, NOW).unwrap();

        assert!(
            delete_expired_drafts(&mut s, datetime!(2026-04-15 23:59:59 +03:00))
                .unwrap()
                .is_empty()
        );
        assert!(s.apps.contains_key(&a.id));
        let deleted = delete_expired_drafts(&mut s, datetime!(2026-04-16 00:00 +03:00)).unwrap();
        assert_eq!(deleted, [a.id]);
        assert!(!s.apps.contains_key(&a.id));
        assert!(
            s.apps.contains_key(&submitted),
            "a submitted application is never deleted"
        );
        let h = s.history(HISTORY_KIND, &a.id.to_string()).unwrap();
        let last = h.last().unwrap();
        assert_eq!(
            (
                last.from_state.as_deref(),
                last.to_state.as_str(),
                last.actor.as_str()
            ),
            (Some("draft"), DELETED_STATE, "system")
        );
        assert!(last
            .note
            .as_deref()
            .unwrap()
            .starts_with(DRAFT_DELETED_NOTE));
        // Idempotent.
        assert!(
            delete_expired_drafts(&mut s, datetime!(2026-04-16 00:00 +03:00))
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn saving_a_step_keeps_the_draft_another_month() {
        let mut s = Store::default();
        let who = household();
        let a = start_household(&mut s, datetime!(2026-03-15 09:00 +03:00));
        let touched = datetime!(2026-04-10 12:00 +03:00);
        let a = save_personal(&mut s, &who, a.id, personal(), touched).unwrap();
        assert_eq!(a.last_touched_at, touched);
        // Reading does not touch it.
        get_application(&mut s, &who, a.id).unwrap();
        assert!(
            delete_expired_drafts(&mut s, datetime!(2026-05-10 23:59:59 +03:00))
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            delete_expired_drafts(&mut s, datetime!(2026-05-11 00:00 +03:00)).unwrap(),
            [a.id]
        );
    }

    #[test]
    fn a_stale_version_is_refused() {
        let mut s = Store::default();
        let who = household();
        let a = start_household(&mut s, NOW);
        s.stale = true;
        let err = save_personal(&mut s, &who, a.id, personal(), NOW).unwrap_err();
        assert_eq!(
            (err.kind, err.code.as_ref()),
            (
                ErrorKind::PreconditionFailed,
                "precondition.version_mismatch"
            )
        );
    }
}
