//! The petition use cases: who may do what to which petition — DOMAIN.md §8.
//!
//! Scope is decided here, not in handlers:
//! - a **citizen** (e-Devlet, or identity-checked by SMS for Açık Kapı) sees only petitions
//!   filed under their own TCKN;
//! - an **AKS** sees the petitions of their province whose subject address lies in one of
//!   their districts — the whole province when they have none; `district` narrows an AKS
//!   with several districts to the one they are working on;
//! - a **Yetkili** sees only petitions routed (live) to one of their units, and every read
//!   of one — the petition, its list line, its history, its files, its PDF report — goes
//!   through the same rule ([`visible_to`], [`history_visible_to`]): no citizen contact
//!   details, identity number or residence, only their own units' routings, answers and
//!   files, nothing of the MİA's review or the closing; they cannot filter the list by a
//!   field they do not see ([`refuse_hidden_filters`]);
//! - the **MİA** sees the province's petitions.
//!
//! Anything outside the caller's scope is "not found" (404), never "forbidden", so a
//! petition's existence does not leak. Every change is appended to the history with the
//! status code (`to_state`) and the Turkish text users know (`note`).

use crate::attachment::StoredFile;
use crate::petition::{
    check_form, headings, CheckedForm, HeadingInput, Petition, PetitionForm, PetitionReference,
    Petitioner,
};
use crate::workflow::{reply_letter, Outcome, Status, UnitOutcome, Workflow};
use kapi_core::{
    istanbul_date_of, search_fold, Actor, ActorKind, DomainError, FieldError, FieldErrors,
    HistoryEntry, HistoryLog, Page, PageRequest, PetitionId, Tckn,
};
use kapi_identity::otp::{Channel as SmsChannel, Outbox, OutgoingMessage};
use kapi_identity::registry::{CitizenRegistry, RegistryCitizen};
use time::{Date, OffsetDateTime};

pub const HISTORY_KIND: &str = "petition";

/// Who may see which petitions, as a query filter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The citizen's own petitions.
    Petitioner(Tckn),
    /// A province, optionally limited to districts.
    Province { province: u8, districts: Vec<i32> },
    /// Petitions routed (live) to any of these DETSİS units.
    Units(Vec<String>),
}

impl Scope {
    /// Whether the scope sees the routing to `unit_no` (a Yetkili: their own units' only).
    pub fn sees_routing(&self, unit_no: &str) -> bool {
        match self {
            Scope::Units(units) => units.iter().any(|u| u == unit_no),
            _ => true,
        }
    }
}

/// Search criteria of the desk's list (seed 004 §4.3 "Başvuru Arama").
#[derive(Debug, Clone, Default)]
pub struct SearchCriteria {
    pub tracking_no: Option<i64>,
    pub tckn: Option<Tckn>,
    /// Turkish-folded, matched as "contains".
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub heading_code: Option<String>,
    pub sub_heading_code: Option<String>,
    pub status: Option<Status>,
    /// Only petitions with a routing past its deadline and unanswered on this day — among
    /// the routings the scope sees ([`Scope::sees_routing`]): another unit's late answer is
    /// not a Yetkili's business.
    pub overdue_on: Option<Date>,
    /// An AKS with several districts working on one of them.
    pub district: Option<i32>,
}

/// The query the store runs: a scope and the criteria.
#[derive(Debug, Clone)]
pub struct PetitionQuery {
    pub scope: Scope,
    pub criteria: SearchCriteria,
}

/// Storage of petitions. Runs inside one transaction; also writes the history.
pub trait PetitionStore: HistoryLog + PetitionReference + Outbox + CitizenRegistry {
    /// The next tracking number (a locked per-kind counter: no gaps under concurrency
    /// beyond rolled-back transactions, never a duplicate).
    fn next_tracking_no(&mut self) -> Result<i64, DomainError>;
    fn insert(&mut self, p: &Petition) -> Result<(), DomainError>;
    fn get(&mut self, id: PetitionId) -> Result<Option<Petition>, DomainError>;
    fn by_tracking_no(&mut self, no: i64) -> Result<Option<Petition>, DomainError>;
    /// Writes `p` if the stored version is still `expected`; `false` otherwise.
    fn update(&mut self, p: &Petition, expected: i64) -> Result<bool, DomainError>;
    /// Records file metadata (`origin`: `citizen` or `answer:<detsis no>`).
    fn add_files(
        &mut self,
        petition: PetitionId,
        origin: &str,
        files: &[StoredFile],
        at: OffsetDateTime,
    ) -> Result<(), DomainError>;
    fn search(
        &mut self,
        q: &PetitionQuery,
        page: PageRequest,
    ) -> Result<Page<Petition>, DomainError>;
}

fn not_found() -> DomainError {
    DomainError::not_found("petition.not_found", "No such petition.")
}

fn forbidden(message: &str) -> DomainError {
    DomainError::forbidden("petition.not_allowed", message.to_owned())
}

/// The scope of `actor`; `None` for actors who have no petitions to see.
pub fn scope_of(actor: &Actor) -> Option<Scope> {
    match actor {
        Actor::Citizen { tckn } | Actor::PetitionCitizen { tckn } => {
            Some(Scope::Petitioner(tckn.clone()))
        }
        Actor::DeskOfficer {
            province,
            districts,
            ..
        } => Some(Scope::Province {
            province: province.get(),
            districts: districts.clone(),
        }),
        Actor::CivilAuthority { province, .. } => Some(Scope::Province {
            province: province.get(),
            districts: vec![],
        }),
        Actor::UnitOfficer { units, .. } => Some(Scope::Units(units.clone())),
        _ => None,
    }
}

/// Whether `p` lies in `scope`.
pub fn in_scope(scope: &Scope, p: &Petition) -> bool {
    match scope {
        Scope::Petitioner(t) => &p.petitioner.tckn == t,
        Scope::Province {
            province,
            districts,
        } => {
            p.province() == *province
                && (districts.is_empty() || districts.contains(&p.subject_address.district_code))
        }
        Scope::Units(units) => p.workflow.is_routed_to_any(units),
    }
}

/// Loads a petition in the actor's scope, whole (for the use cases that change it), or 404.
fn load(
    store: &mut impl PetitionStore,
    actor: &Actor,
    id: PetitionId,
) -> Result<Petition, DomainError> {
    let scope = scope_of(actor).ok_or_else(|| forbidden("You have no petitions to see."))?;
    match store.get(id)? {
        Some(p) if in_scope(&scope, &p) => Ok(p),
        _ => Err(not_found()),
    }
}

/// What `actor` may receive of `p`. A Yetkili never receives the citizen's contact details
/// and sees only the routings (with their answers and files) of their own units, nothing
/// of the MİA's review or of the closing; everyone else in scope sees it whole. Every use
/// case returns petitions through this. The citizen's identity number and residence stay
/// in the petition; views leave them out where [`sees_citizen_identity`] says so.
pub fn visible_to(actor: &Actor, mut p: Petition) -> Petition {
    if let Actor::UnitOfficer { units, .. } = actor {
        p.contact = crate::petition::Contact {
            mobile: None,
            email: None,
            home_phone: None,
        };
        p.workflow.routings.retain(|r| units.contains(&r.unit_no));
        p.workflow.governor = None;
        p.workflow.closing = None;
    }
    p
}

/// Whether `actor` receives the citizen's identity number, residence and contact details
/// with a petition: everyone in scope except a Yetkili.
pub fn sees_citizen_identity(actor: &Actor) -> bool {
    !matches!(actor, Actor::UnitOfficer { .. })
}

/// Refuses search criteria on a field the actor does not see (422 naming it,
/// `petition.filter_not_allowed`): narrowing a list by a hidden value would confirm it.
/// A Yetkili does not see the citizen's identity number, so cannot filter by `tckn`.
pub fn refuse_hidden_filters(actor: &Actor, criteria: &SearchCriteria) -> Result<(), DomainError> {
    if sees_citizen_identity(actor) {
        return Ok(());
    }
    let mut errors = FieldErrors::new();
    if criteria.tckn.is_some() {
        errors.push(FieldError::new(
            "tckn",
            "petition.filter_not_allowed",
            "A unit officer (Yetkili) does not see the citizen's identity number and cannot search by it.",
        ));
    }
    errors.finish()
}

/// The history text of an event about one unit: `<event> (<unit name>)`.
fn unit_note(event: &str, unit_name: &str) -> String {
    format!("{event} ({unit_name})")
}

/// A unit's name for the history (its number when the unit is not in the DETSİS list).
fn unit_name(store: &mut impl PetitionStore, unit_no: &str) -> Result<String, DomainError> {
    Ok(store
        .detsis_unit(unit_no)?
        .map(|x| x.0)
        .unwrap_or_else(|| unit_no.to_owned()))
}

/// The history text of a change of headings, followed by the new list.
const HEADINGS_NOTE: &str = "Hizmet Başlıkları Güncellendi";

/// The history of `p` as `actor` may read it, oldest first. Everyone in scope reads it
/// whole except a Yetkili, who reads only what their petition view shows: the arrival
/// (without the citizen's identity), changes of headings, and the routings to and answers
/// of their own units — not another unit's routing or answer, the MİA's review, a reset or
/// the closing.
pub fn history_visible_to(
    store: &mut impl PetitionStore,
    actor: &Actor,
    entries: Vec<HistoryEntry>,
) -> Result<Vec<HistoryEntry>, DomainError> {
    let Actor::UnitOfficer { units, .. } = actor else {
        return Ok(entries);
    };
    let mut own_notes = Vec::new();
    for u in units {
        let name = unit_name(store, u)?;
        own_notes.push(unit_note(crate::workflow::ROUTING_NOTE, &name));
        own_notes.push(unit_note(crate::workflow::ANSWER_NOTE, &name));
    }
    let headings_prefix = format!("{HEADINGS_NOTE}:");
    Ok(entries
        .into_iter()
        .filter(|e| {
            let note = e.note.as_deref().unwrap_or("");
            e.from_state.is_none()
                || note.starts_with(&headings_prefix)
                || own_notes.iter().any(|n| n == note)
        })
        .map(|mut e| {
            // A citizen's audit label ends in their masked identity number.
            for kind in [ActorKind::Citizen, ActorKind::PetitionCitizen] {
                if e.actor.starts_with(&format!("{}:", kind.as_str())) {
                    e.actor = kind.as_str().to_owned();
                }
            }
            e
        })
        .collect())
}

/// A petition's history ("İşlem Hareketleri") as the actor may read it, or 404.
pub fn petition_history(
    store: &mut impl PetitionStore,
    actor: &Actor,
    id: PetitionId,
) -> Result<Vec<HistoryEntry>, DomainError> {
    let p = load(store, actor, id)?;
    let entries = store.history(HISTORY_KIND, &p.id.to_string())?;
    history_visible_to(store, actor, entries)
}

/// What the petition report (PDF) holds: the petition and its history, each as the actor
/// may see it, or 404.
pub fn petition_report(
    store: &mut impl PetitionStore,
    actor: &Actor,
    id: PetitionId,
) -> Result<(Petition, Vec<HistoryEntry>), DomainError> {
    let p = load(store, actor, id)?;
    let entries = store.history(HISTORY_KIND, &p.id.to_string())?;
    let history = history_visible_to(store, actor, entries)?;
    Ok((visible_to(actor, p), history))
}

/// A petition the actor may see, as they may see it, or 404.
pub fn get_petition(
    store: &mut impl PetitionStore,
    actor: &Actor,
    id: PetitionId,
) -> Result<Petition, DomainError> {
    load(store, actor, id).map(|p| visible_to(actor, p))
}

/// The actor's petitions matching `criteria`, newest tracking number first.
pub fn search_petitions(
    store: &mut impl PetitionStore,
    actor: &Actor,
    mut criteria: SearchCriteria,
    page: PageRequest,
) -> Result<Page<Petition>, DomainError> {
    let mut scope = scope_of(actor).ok_or_else(|| forbidden("You have no petitions to see."))?;
    refuse_hidden_filters(actor, &criteria)?;
    if let Some(d) = criteria.district.take() {
        match (&mut scope, actor) {
            (
                Scope::Province { districts, .. },
                Actor::DeskOfficer { .. } | Actor::CivilAuthority { .. },
            ) => {
                if !districts.is_empty() && !districts.contains(&d) {
                    return Err(DomainError::field(FieldError::new(
                        "district",
                        "petition.district_not_assigned",
                        "This district is not one of yours.",
                    )));
                }
                *districts = vec![d];
            }
            _ => {
                return Err(DomainError::field(FieldError::new(
                    "district",
                    "petition.district_not_applicable",
                    "Only desk officers and the MİA narrow the list by district.",
                )))
            }
        }
    }
    Ok(store
        .search(&PetitionQuery { scope, criteria }, page)?
        .map(|p| visible_to(actor, p)))
}

/// Most rows an export holds.
pub const EXPORT_LIMIT: usize = 5000;

/// The filtered list for the Excel export (desk officer and MİA only): every match, newest
/// first; nothing → `report.no_records`, more than [`EXPORT_LIMIT`] → `report.too_many_rows`.
pub fn export_petitions(
    store: &mut impl PetitionStore,
    actor: &Actor,
    criteria: SearchCriteria,
) -> Result<Vec<Petition>, DomainError> {
    if !matches!(
        actor,
        Actor::DeskOfficer { .. } | Actor::CivilAuthority { .. }
    ) {
        return Err(forbidden(
            "Only the desk officer and the MİA export the petition list.",
        ));
    }
    let mut all = vec![];
    for n in 1.. {
        let page = PageRequest::new(Some(n), Some(100))?;
        let p = search_petitions(store, actor, criteria.clone(), page)?;
        let last = p.items.len() < 100;
        all.extend(p.items);
        if all.len() > EXPORT_LIMIT {
            return Err(DomainError::invalid(
                "report.too_many_rows",
                format!("More than {EXPORT_LIMIT} petitions match; narrow the criteria."),
            ));
        }
        if last {
            break;
        }
    }
    if all.is_empty() {
        return Err(DomainError::no_records());
    }
    Ok(all)
}

/// The citizen who may submit online: an e-Devlet citizen or one identity-checked by SMS.
pub fn require_submitter(actor: &Actor) -> Result<Tckn, DomainError> {
    match actor {
        Actor::Citizen { tckn } | Actor::PetitionCitizen { tckn } => Ok(tckn.clone()),
        _ => Err(forbidden(
            "Citizens submit petitions; a desk officer enters written ones at /petitions/written.",
        )),
    }
}

/// At most [`crate::petition::MAX_FILES`] files with a petition or an answer.
fn check_file_count(files: &[StoredFile]) -> Result<(), DomainError> {
    if files.len() > crate::petition::MAX_FILES {
        return Err(DomainError::field(FieldError::new(
            "files",
            "attachment.too_many",
            format!("At most {} files.", crate::petition::MAX_FILES),
        )));
    }
    Ok(())
}

/// Only a unit officer (Yetkili) answers for a unit.
pub fn require_unit_officer(actor: &Actor) -> Result<(), DomainError> {
    match actor {
        Actor::UnitOfficer { .. } => Ok(()),
        _ => Err(forbidden(
            "Only a unit officer (Yetkili) answers for a unit.",
        )),
    }
}

/// Only a desk officer (AKS) enters written petitions.
pub fn require_desk_officer(actor: &Actor) -> Result<(), DomainError> {
    match actor {
        Actor::DeskOfficer { .. } => Ok(()),
        _ => Err(forbidden(
            "Only a desk officer (AKS) enters written petitions.",
        )),
    }
}

/// Whose registry data fills the form: the citizen's own, or — for a desk officer entering
/// a written petition — the citizen of `tckn`.
pub fn form_subject(actor: &Actor, tckn: Option<Tckn>) -> Result<Tckn, DomainError> {
    match (actor, tckn) {
        (Actor::Citizen { tckn } | Actor::PetitionCitizen { tckn }, _) => Ok(tckn.clone()),
        (Actor::DeskOfficer { .. }, Some(t)) => Ok(t),
        (Actor::DeskOfficer { .. }, None) => Err(DomainError::field(FieldError::new(
            "tckn",
            "request.missing_field",
            "Give the citizen's TCKN.",
        ))),
        _ => Err(forbidden(
            "Citizens and desk officers fill in petition forms.",
        )),
    }
}

/// Where the code of a citizen's query goes: the petition's mobile, else the registry's.
/// Unknown or someone else's tracking number: 404; no mobile anywhere: `petition.no_mobile`.
pub fn query_destination(
    store: &mut impl PetitionStore,
    tracking_no: i64,
    tckn: &Tckn,
) -> Result<(PetitionId, kapi_core::MobilePhone), DomainError> {
    let p = find_for_query(store, tracking_no, tckn)?;
    let on_petition = p
        .contact
        .mobile
        .as_deref()
        .and_then(|m| kapi_core::MobilePhone::parse(m).ok());
    let mobile = match on_petition {
        Some(m) => Some(m),
        None => store.find_citizen(tckn)?.and_then(|c| c.mobile),
    };
    mobile.map(|m| (p.id, m)).ok_or_else(|| {
        DomainError::invalid(
            "petition.no_mobile",
            "No mobile number is on record to send the code to; ask the governorate's Açık Kapı desk.",
        )
    })
}

fn fold_eq(a: &str, b: &str) -> bool {
    search_fold(a.trim()) == search_fold(b.trim())
}

/// The identity check before a citizen's online petition (seed 004 §2.1): TCKN, first name,
/// surname, the first and last letter of the mother's maiden surname and the mobile number
/// must match the identity registry (letters compared with the Turkish fold). A registry
/// record without a mobile accepts the given one: the code sent to it proves possession.
/// Any mismatch is one answer, `petition.identity_mismatch`, naming no field, so the check
/// cannot be used to guess a detail.
pub fn check_identity(
    registry: &mut impl CitizenRegistry,
    tckn: &Tckn,
    first_name: &str,
    last_name: &str,
    mother_first_letter: &str,
    mother_last_letter: &str,
    mobile: &kapi_core::MobilePhone,
) -> Result<RegistryCitizen, DomainError> {
    let mismatch = || {
        DomainError::invalid(
            "petition.identity_mismatch",
            "Kimlik bilgileri doğrulanamadı: the identity details do not match the registry.",
        )
    };
    let c = registry.find_citizen(tckn)?.ok_or_else(mismatch)?;
    let maiden: Vec<char> = c.mother_maiden_surname.trim().chars().collect();
    let (Some(first), Some(last)) = (maiden.first(), maiden.last()) else {
        return Err(mismatch());
    };
    let ok = fold_eq(&c.first_name, first_name)
        && fold_eq(&c.last_name, last_name)
        && fold_eq(&first.to_string(), mother_first_letter)
        && fold_eq(&last.to_string(), mother_last_letter)
        && c.mobile.as_ref().is_none_or(|m| m == mobile);
    if ok {
        Ok(c)
    } else {
        Err(mismatch())
    }
}

/// The petitioner and their residence from the registry, names resolved from the code lists.
pub fn petitioner_from_registry(
    store: &mut impl PetitionStore,
    tckn: &Tckn,
) -> Result<Petitioner, DomainError> {
    let c = store.find_citizen(tckn)?.ok_or_else(|| {
        DomainError::field(FieldError::new(
            "tckn",
            "petition.citizen_not_in_registry",
            "The identity registry has no citizen with this number.",
        ))
    })?;
    let province = c.residence.province.get();
    let province_name = store.province_name(province)?.unwrap_or_default();
    let district_name = store
        .district(c.residence.district_code)?
        .map(|(_, n)| n)
        .unwrap_or_default();
    Ok(Petitioner {
        tckn: c.tckn,
        first_name: c.first_name,
        last_name: c.last_name,
        residence: crate::petition::Address {
            province,
            province_name,
            district_code: c.residence.district_code,
            district_name,
            neighbourhood_code: None,
            neighbourhood_kind: c.residence.neighbourhood.as_ref().map(|_| "mahalle".into()),
            neighbourhood_name: c.residence.neighbourhood,
            open_address: c.residence.open_address,
        },
    })
}

fn sms(
    store: &mut impl Outbox,
    to: Option<&str>,
    body: String,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    if let Some(to) = to {
        store.enqueue(&OutgoingMessage {
            id: kapi_core::NotificationId::new(),
            channel: SmsChannel::Sms,
            recipient: to.to_owned(),
            body,
            created_at: now,
        })?;
    }
    Ok(())
}

fn record(
    store: &mut impl HistoryLog,
    p: &Petition,
    actor: &Actor,
    from: Option<Status>,
    note: String,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    record_as(store, p, actor.audit_label(), from, note, now)
}

/// [`record`] for a caller that is not an [`Actor`] (an integrator).
fn record_as(
    store: &mut impl HistoryLog,
    p: &Petition,
    actor_label: String,
    from: Option<Status>,
    note: String,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    store.append(&HistoryEntry {
        resource_kind: HISTORY_KIND.into(),
        resource_id: p.id.to_string(),
        at: now,
        actor: actor_label,
        from_state: from.map(|s| s.as_str().to_owned()),
        to_state: p.workflow.status.as_str().to_owned(),
        note: Some(note),
    })
}

/// A new petition: the checked form, the files already in the blob store.
pub struct Submission {
    pub form: PetitionForm,
    pub files: Vec<StoredFile>,
}

/// A written petition the AKS enters for a citizen (seed 004 §4.2 "Başvuru Kayıt").
pub struct WrittenSubmission {
    pub tckn: Tckn,
    /// The day on the paper; not in the future.
    pub arrival_date: Date,
    pub submission: Submission,
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn build(
    store: &mut impl PetitionStore,
    petitioner: Petitioner,
    checked: CheckedForm,
    files: Vec<StoredFile>,
    channel: crate::petition::Channel,
    arrival_date: Date,
    entered_by: Option<String>,
    now: OffsetDateTime,
) -> Result<Petition, DomainError> {
    check_file_count(&files)?;
    Ok(Petition {
        id: PetitionId::new(),
        tracking_no: store.next_tracking_no()?,
        channel,
        petitioner,
        subject_address: checked.subject_address,
        contact: checked.contact,
        headings: checked.headings,
        education_level: checked.education_level,
        education_level_name: checked.education_level_name,
        sector_id: checked.sector_id,
        sector_name: checked.sector_name,
        subject: checked.subject,
        files,
        submitted_at: now,
        arrival_date,
        entered_by,
        workflow: Workflow::new(),
        version: 1,
    })
}

fn save_new(
    store: &mut impl PetitionStore,
    actor: &Actor,
    p: &Petition,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    save_new_as(
        store,
        actor.audit_label(),
        Status::InPool.label().to_owned(),
        p,
        now,
    )
}

/// Saves a new petition with its files, records its arrival in the pool (`note`, by
/// `actor_label`) and tells the citizen the tracking number by SMS.
pub(crate) fn save_new_as(
    store: &mut impl PetitionStore,
    actor_label: String,
    note: String,
    p: &Petition,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    store.insert(p)?;
    store.add_files(p.id, "citizen", &p.files, now)?;
    record_as(store, p, actor_label, None, note, now)?;
    sms(
        store,
        p.contact.mobile.as_deref(),
        format!(
            "Açık Kapı başvurunuz alındı. Başvuru takip numaranız: {}. Başvurunuzu takip no ve T.C. kimlik numaranızla sorgulayabilirsiniz.",
            p.tracking_no
        ),
        now,
    )
}

/// A citizen submits online. The identity and residence come from the registry; the
/// answer carries the tracking number, which is also sent by SMS.
pub fn submit_petition(
    store: &mut impl PetitionStore,
    actor: &Actor,
    s: Submission,
    now: OffsetDateTime,
) -> Result<Petition, DomainError> {
    let tckn = require_submitter(actor)?;
    let petitioner = petitioner_from_registry(store, &tckn)?;
    let checked = check_form(store, &s.form, &petitioner.residence)?;
    let p = build(
        store,
        petitioner,
        checked,
        s.files,
        crate::petition::Channel::Online,
        istanbul_date_of(now),
        None,
        now,
    )?;
    save_new(store, actor, &p, now)?;
    Ok(visible_to(actor, p))
}

/// The AKS enters a written petition; its subject address must be in their scope.
pub fn enter_written_petition(
    store: &mut impl PetitionStore,
    actor: &Actor,
    w: WrittenSubmission,
    now: OffsetDateTime,
) -> Result<Petition, DomainError> {
    require_desk_officer(actor)?;
    let mut errors = FieldErrors::new();
    if w.arrival_date > istanbul_date_of(now) {
        errors.push(FieldError::new(
            "arrival_date",
            "petition.arrival_in_future",
            "The arrival date cannot be in the future.",
        ));
    }
    let petitioner = petitioner_from_registry(store, &w.tckn)?;
    let checked = match check_form(store, &w.submission.form, &petitioner.residence) {
        Ok(c) => Some(c),
        Err(e) if !e.fields.is_empty() => {
            for f in e.fields {
                errors.push(f);
            }
            None
        }
        Err(e) => return Err(e),
    };
    errors.finish()?;
    let checked = checked.ok_or_else(|| DomainError::internal("form check lost its result"))?;
    let p = build(
        store,
        petitioner,
        checked,
        w.submission.files,
        crate::petition::Channel::Written,
        w.arrival_date,
        Some(actor.audit_label()),
        now,
    )?;
    let scope = scope_of(actor).ok_or_else(|| forbidden("No scope."))?;
    if !in_scope(&scope, &p) {
        return Err(DomainError::field(FieldError::new(
            "subject_address.district_code",
            "petition.outside_your_area",
            "The subject address is outside the province or districts you handle.",
        )));
    }
    save_new(store, actor, &p, now)?;
    Ok(visible_to(actor, p))
}

/// Finds the petition a citizen asks about by tracking number + TCKN (seed 004 §2.2); the
/// same 404 whether the number is unknown or belongs to someone else.
pub fn find_for_query(
    store: &mut impl PetitionStore,
    tracking_no: i64,
    tckn: &Tckn,
) -> Result<Petition, DomainError> {
    match store.by_tracking_no(tracking_no)? {
        Some(p) if &p.petitioner.tckn == tckn => Ok(p),
        _ => Err(DomainError::not_found(
            "petition.not_found",
            "No petition with this tracking number and identity number.",
        )),
    }
}

/// Loads a petition an AKS of its area may work on (404 otherwise).
fn desk_petition(
    store: &mut impl PetitionStore,
    actor: &Actor,
    id: PetitionId,
) -> Result<Petition, DomainError> {
    if !matches!(actor, Actor::DeskOfficer { .. }) {
        // Others may know of it, but only the desk works on it.
        load(store, actor, id)?;
        return Err(forbidden("Only the desk officer (AKS) does this."));
    }
    load(store, actor, id)
}

fn save(
    store: &mut impl PetitionStore,
    p: &mut Petition,
    expected: Option<i64>,
) -> Result<(), DomainError> {
    if let Some(v) = expected {
        if v != p.version {
            return Err(DomainError::stale("petition"));
        }
    }
    let before = p.version;
    p.version += 1;
    if !store.update(p, before)? {
        return Err(DomainError::stale("petition"));
    }
    Ok(())
}

/// The AKS replaces the service headings — the one thing of the citizen's they may change.
pub fn update_headings(
    store: &mut impl PetitionStore,
    actor: &Actor,
    id: PetitionId,
    input: Vec<HeadingInput>,
    expected: Option<i64>,
    now: OffsetDateTime,
) -> Result<Petition, DomainError> {
    let mut p = desk_petition(store, actor, id)?;
    p.workflow.ensure_open()?;
    let mut errors = FieldErrors::new();
    let h = headings(store, &input, &mut errors)?;
    errors.finish()?;
    let list = h
        .iter()
        .map(|x| format!("{} / {}", x.heading_name, x.sub_heading_name))
        .collect::<Vec<_>>()
        .join("; ");
    p.headings = h;
    save(store, &mut p, expected)?;
    let status = p.workflow.status;
    record(
        store,
        &p,
        actor,
        Some(status),
        format!("{HEADINGS_NOTE}: {list}"),
        now,
    )?;
    Ok(visible_to(actor, p))
}

/// The AKS routes the petition to DETSİS units of the province (or national units), each
/// with the answer deadline (30 days from today unless given).
pub fn route_petition(
    store: &mut impl PetitionStore,
    actor: &Actor,
    id: PetitionId,
    units: Vec<String>,
    deadline: Option<Date>,
    expected: Option<i64>,
    now: OffsetDateTime,
) -> Result<Petition, DomainError> {
    let mut p = desk_petition(store, actor, id)?;
    let mut names = vec![];
    let mut errors = FieldErrors::new();
    for (i, u) in units.iter().enumerate() {
        match store.detsis_unit(u)? {
            Some((name, prov)) if prov.is_none_or(|x| x == p.province()) => names.push(name),
            _ if !crate::workflow::is_detsis_no(u) => names.push(String::new()),
            _ => errors.push(FieldError::new(
                format!("units[{i}]"),
                "routing.unknown_unit",
                "No such DETSİS unit in this province.",
            )),
        }
    }
    errors.finish()?;
    let from = p.workflow.status;
    p.workflow
        .route(&units, deadline, istanbul_date_of(now), now)?;
    save(store, &mut p, expected)?;
    for name in names {
        record(
            store,
            &p,
            actor,
            Some(from),
            unit_note(crate::workflow::ROUTING_NOTE, &name),
            now,
        )?;
    }
    Ok(visible_to(actor, p))
}

/// A unit's answer as given.
pub struct UnitAnswerInput {
    /// Which of the officer's units answers; may be left out when only one of them has the
    /// petition.
    pub unit: Option<String>,
    pub outcome: UnitOutcome,
    pub text: String,
    pub files: Vec<StoredFile>,
}

/// The Yetkili answers for their unit, once.
pub fn answer_petition(
    store: &mut impl PetitionStore,
    actor: &Actor,
    id: PetitionId,
    input: UnitAnswerInput,
    now: OffsetDateTime,
) -> Result<Petition, DomainError> {
    let Actor::UnitOfficer { units, .. } = actor else {
        load(store, actor, id)?;
        return Err(forbidden(
            "Only a unit officer (Yetkili) answers for a unit.",
        ));
    };
    let mut p = load(store, actor, id)?;
    let routed: Vec<String> = p
        .workflow
        .routings
        .iter()
        .filter(|r| units.contains(&r.unit_no))
        .map(|r| r.unit_no.clone())
        .collect();
    let unit = match (&input.unit, routed.as_slice()) {
        (Some(u), _) if routed.contains(u) => u.clone(),
        (Some(_), _) => {
            return Err(DomainError::field(FieldError::new(
                "unit",
                "routing.not_your_unit",
                "The petition is not routed to this unit of yours.",
            )))
        }
        (None, [one]) => one.clone(),
        (None, _) => {
            return Err(DomainError::field(FieldError::new(
                "unit",
                "routing.unit_required",
                "Several of your units have this petition: say which one answers.",
            )))
        }
    };
    check_file_count(&input.files)?;
    let from = p.workflow.status;
    let note = p
        .workflow
        .answer(&unit, input.outcome, &input.text, actor.audit_label(), now)?;
    if let Some(a) = p
        .workflow
        .routings
        .iter_mut()
        .find(|r| r.unit_no == unit)
        .and_then(|r| r.answer.as_mut())
    {
        a.files = input.files.clone();
    }
    save(store, &mut p, None)?;
    store.add_files(p.id, &format!("answer:{unit}"), &input.files, now)?;
    let name = unit_name(store, &unit)?;
    record(store, &p, actor, Some(from), unit_note(&note, &name), now)?;
    Ok(visible_to(actor, p))
}

/// The AKS sends the petition to the MİA for approval.
pub fn send_to_governor(
    store: &mut impl PetitionStore,
    actor: &Actor,
    id: PetitionId,
    expected: Option<i64>,
    now: OffsetDateTime,
) -> Result<Petition, DomainError> {
    let mut p = desk_petition(store, actor, id)?;
    let from = p.workflow.status;
    let note = p.workflow.send_to_governor(now)?;
    save(store, &mut p, expected)?;
    record(store, &p, actor, Some(from), note, now)?;
    Ok(visible_to(actor, p))
}

/// What the MİA does with a petition sent for approval, or at any time (reset).
pub enum GovernorAction {
    Answer(String),
    SendBack(String),
    Reset,
}

/// The MİA answers, sends back (with an explanation) or resets a petition of the province.
pub fn governor_act(
    store: &mut impl PetitionStore,
    actor: &Actor,
    id: PetitionId,
    action: GovernorAction,
    expected: Option<i64>,
    now: OffsetDateTime,
) -> Result<Petition, DomainError> {
    let mut p = load(store, actor, id)?;
    if !matches!(actor, Actor::CivilAuthority { .. }) {
        return Err(forbidden("Only the MİA does this."));
    }
    let from = p.workflow.status;
    let note = match action {
        GovernorAction::Answer(t) => p.workflow.governor_answer(&t)?,
        GovernorAction::SendBack(t) => {
            let n = p.workflow.governor_send_back(&t)?;
            format!(
                "{n}: {}",
                p.workflow
                    .governor
                    .as_ref()
                    .and_then(|g| g.sent_back.clone())
                    .unwrap_or_default()
            )
        }
        GovernorAction::Reset => p.workflow.reset()?,
    };
    save(store, &mut p, expected)?;
    record(store, &p, actor, Some(from), note, now)?;
    Ok(visible_to(actor, p))
}

/// The AKS closes the petition — only when every routed unit has answered — with the reply
/// written into the standard template; the citizen is told by SMS.
pub fn close_petition(
    store: &mut impl PetitionStore,
    actor: &Actor,
    id: PetitionId,
    outcome: Outcome,
    reply: &str,
    expected: Option<i64>,
    now: OffsetDateTime,
) -> Result<Petition, DomainError> {
    let mut p = desk_petition(store, actor, id)?;
    let reply = kapi_core::clean_text("reply", reply, 2, 4000)?;
    let province_name = p.subject_address.province_name.clone();
    let letter = reply_letter(
        &p.petitioner.full_name(),
        p.arrival_date,
        p.tracking_no,
        outcome,
        &reply,
        &province_name,
    );
    let from = p.workflow.status;
    let note = p.workflow.close(outcome, letter, now)?;
    save(store, &mut p, expected)?;
    record(store, &p, actor, Some(from), note, now)?;
    sms(
        store,
        p.contact.mobile.as_deref(),
        format!(
            "Açık Kapı'ya yaptığınız {} no'lu başvurunuz {} olarak sonuçlanmıştır. Cevabı başvuru sorgulama ekranından görebilirsiniz.",
            p.tracking_no,
            outcome.label()
        ),
        now,
    )?;
    Ok(visible_to(actor, p))
}

/// A file of the petition the actor may download: the citizen's files, and the files of
/// live unit answers.
pub fn find_file(p: &Petition, file: kapi_core::PetitionFileId) -> Option<&StoredFile> {
    p.files.iter().find(|f| f.id == file).or_else(|| {
        p.workflow
            .routings
            .iter()
            .filter_map(|r| r.answer.as_ref())
            .flat_map(|a| a.files.iter())
            .find(|f| f.id == file)
    })
}

#[cfg(test)]
pub(crate) mod tests;
