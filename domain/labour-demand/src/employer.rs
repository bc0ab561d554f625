//! Employers (işveren), their membership, login and workplaces — DOMAIN.md §4, seed 001 §2.
//!
//! - **Membership** (üyelik): the applicant accepts the general terms, gives the legal
//!   entity's details (title, VKN, public/private, the first workplace's SGK number and
//!   address, contact) and the authorised person's (TCKN, which must be in the civil
//!   registry, mobile, e-mail, password, secret question). It creates the employer, its
//!   first workplace (the head office of that province) and the person as the employer's
//!   **primary admin** with every permission. A person who already acts for another
//!   employer keeps one password: they must give it, not a new one.
//! - **Login** is TCKN + password; a person acting for several employers chooses one
//!   (`employer_id`); a locked or closed user cannot log in for that employer.
//! - **Workplaces**: the first workplace in a province is its head office, the others are
//!   its branches ([`crate::workplace`]); the province never changes after creation (it
//!   would break that rule); SGK numbers are unique.
//! - Scope: an employer user sees only its employer's workplaces (another's is "not
//!   found"); İŞKUR staff see and search all of them; only an admin adds or edits them.
//!
//! The registry check of the SGK number against e-Bildirge is not made here: the SGK port
//! holds only a few demo workplaces, so membership checks the number's format and
//! uniqueness and leaves the e-Bildirge match to a real adapter.

use crate::workplace::{kind_of_new_workplace, WorkplaceKind, WorkplaceSummary, WorkplaceUser};
use kapi_core::{
    search_fold, Actor, DomainError, Email, EmployerId, EmployerPermissions, EmployerSector,
    FieldError, FieldErrors, HistoryEntry, HistoryLog, MobilePhone, Page, PageRequest,
    ProvinceCode, SgkNo, Tckn, Vkn, WorkplaceId,
};
use kapi_identity::password::{
    burn_verification, check_password_strength, hash_password, verify_password,
};
use kapi_identity::registry::CitizenRegistry;
use time::OffsetDateTime;

pub use kapi_core::clean_text;

/// An employer (işveren): the legal entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Employer {
    pub id: EmployerId,
    pub title: String,
    pub vkn: Vkn,
    pub sector: EmployerSector,
    /// İŞKUR employer number (işveren no), given at membership from a sequence.
    pub iskur_no: String,
    pub address: String,
    pub phone: Option<MobilePhone>,
    pub email: Option<Email>,
    pub terms_accepted_at: OffsetDateTime,
    pub version: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// A workplace (işyeri) of an employer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workplace {
    pub id: WorkplaceId,
    pub employer_id: EmployerId,
    pub kind: WorkplaceKind,
    /// For a branch, the head office of its province.
    pub head_office_id: Option<WorkplaceId>,
    pub title: String,
    pub sgk_no: SgkNo,
    pub province: ProvinceCode,
    pub district_code: i32,
    pub address: String,
    pub phone: Option<MobilePhone>,
    pub email: Option<Email>,
    /// İlgili kişiler: whom İŞKUR contacts about this workplace (at most 10).
    pub related_persons: Vec<RelatedPerson>,
    /// Diğer bilgiler.
    pub other: OtherDetails,
    pub version: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// A contact person of a workplace (ilgili kişi).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelatedPerson {
    pub full_name: String,
    /// Görevi, e.g. "İnsan Kaynakları Müdürü".
    pub role: String,
    pub phone: Option<MobilePhone>,
    pub email: Option<Email>,
}

/// The workplace's other details (diğer bilgiler).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OtherDetails {
    /// Faaliyet konusu: what the workplace does.
    pub activity: Option<String>,
    pub website: Option<String>,
    pub notes: Option<String>,
}

/// Most related persons a workplace lists.
pub const MAX_RELATED_PERSONS: usize = 10;

impl Workplace {
    pub fn summary(&self) -> WorkplaceSummary {
        WorkplaceSummary {
            id: self.id,
            province: self.province,
            kind: self.kind,
        }
    }
}

/// A person's employer-portal account: one password whatever employers they act for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerPerson {
    pub tckn: Tckn,
    pub password_hash: String,
    pub secret_question: String,
    pub secret_answer_hash: String,
    pub mobile: MobilePhone,
    pub email: Email,
}

/// One employer a person acts for, with their user record there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub employer_id: EmployerId,
    pub employer_title: String,
    pub user: WorkplaceUser,
}

/// A workplace as entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkplaceInput {
    pub title: String,
    pub sgk_no: SgkNo,
    pub province: ProvinceCode,
    pub district_code: i32,
    pub address: String,
    pub phone: Option<MobilePhone>,
    pub email: Option<Email>,
}

/// The authorised person of a membership application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorisedPerson {
    pub tckn: Tckn,
    pub mobile: MobilePhone,
    pub email: Email,
    pub password: String,
    pub secret_question: String,
    pub secret_answer: String,
}

/// A membership application (işveren üyelik başvurusu), already parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipApplication {
    pub terms_accepted: bool,
    pub title: String,
    pub vkn: Vkn,
    pub sector: EmployerSector,
    pub address: String,
    pub phone: Option<MobilePhone>,
    pub email: Option<Email>,
    pub head_office: WorkplaceInput,
    pub person: AuthorisedPerson,
}

/// Filters of the workplace search (title, SGK number, tax number).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkplaceFilter {
    /// Only this employer's (always set for employer users).
    pub employer: Option<EmployerId>,
    /// Folded part of the title.
    pub title: Option<String>,
    pub sgk_no: Option<String>,
    pub vkn: Option<String>,
    pub province: Option<ProvinceCode>,
}

/// What the employer use cases need from outside.
pub trait EmployerStore: HistoryLog + CitizenRegistry {
    fn district_in_province(
        &mut self,
        district_code: i32,
        province: ProvinceCode,
    ) -> Result<bool, DomainError>;
    fn employer_by_vkn(&mut self, vkn: &Vkn) -> Result<Option<EmployerId>, DomainError>;
    fn workplace_by_sgk(&mut self, sgk: &SgkNo) -> Result<Option<WorkplaceId>, DomainError>;
    /// The next İŞKUR employer number (a database sequence).
    fn next_iskur_no(&mut self) -> Result<i64, DomainError>;
    fn person(&mut self, tckn: &Tckn) -> Result<Option<EmployerPerson>, DomainError>;
    fn insert_person(&mut self, p: &EmployerPerson, now: OffsetDateTime)
        -> Result<(), DomainError>;
    fn insert_employer(&mut self, e: &Employer) -> Result<(), DomainError>;
    fn get_employer(&mut self, id: EmployerId) -> Result<Option<Employer>, DomainError>;
    fn insert_user(&mut self, employer: EmployerId, u: &WorkplaceUser) -> Result<(), DomainError>;
    fn memberships(&mut self, tckn: &Tckn) -> Result<Vec<Membership>, DomainError>;
    /// The employer's users, primary admin first.
    fn users_of(&mut self, employer: EmployerId) -> Result<Vec<WorkplaceUser>, DomainError>;
    fn update_user(&mut self, employer: EmployerId, u: &WorkplaceUser) -> Result<(), DomainError>;
    fn update_password(&mut self, tckn: &Tckn, password_hash: &str) -> Result<(), DomainError>;
    /// Serialises workplace creation per employer (the head-office rule reads then writes).
    fn lock_employer(&mut self, id: EmployerId) -> Result<(), DomainError>;
    fn workplaces_of(&mut self, employer: EmployerId) -> Result<Vec<Workplace>, DomainError>;
    fn get_workplace(&mut self, id: WorkplaceId) -> Result<Option<Workplace>, DomainError>;
    fn insert_workplace(&mut self, w: &Workplace) -> Result<(), DomainError>;
    fn update_workplace(&mut self, w: &Workplace, expected: i64) -> Result<bool, DomainError>;
    fn page_workplaces(
        &mut self,
        filter: &WorkplaceFilter,
        page: PageRequest,
    ) -> Result<Page<Workplace>, DomainError>;
}

#[allow(clippy::too_many_arguments)]
fn record(
    store: &mut impl HistoryLog,
    actor_label: String,
    kind: &str,
    id: String,
    from: Option<&str>,
    to: &str,
    note: Option<String>,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    store.append(&HistoryEntry {
        resource_kind: kind.into(),
        resource_id: id,
        at: now,
        actor: actor_label,
        from_state: from.map(str::to_owned),
        to_state: to.into(),
        note,
    })
}

fn check_workplace_input(
    store: &mut impl EmployerStore,
    w: &WorkplaceInput,
    prefix: &str,
    errors: &mut FieldErrors,
) -> Result<(), DomainError> {
    if !store.district_in_province(w.district_code, w.province)? {
        errors.push(FieldError::new(
            format!("{prefix}district_code"),
            "workplace.district_not_in_province",
            "This district is not in the workplace's province.",
        ));
    }
    if store.workplace_by_sgk(&w.sgk_no)?.is_some() {
        errors.push(FieldError::new(
            format!("{prefix}sgk_no"),
            "workplace.sgk_no_taken",
            "A workplace with this SGK number is already registered.",
        ));
    }
    Ok(())
}

fn new_workplace(
    employer: EmployerId,
    existing: &[WorkplaceSummary],
    w: WorkplaceInput,
    now: OffsetDateTime,
) -> Workplace {
    let (kind, head_office_id) = kind_of_new_workplace(existing, w.province);
    Workplace {
        id: WorkplaceId::new(),
        employer_id: employer,
        kind,
        head_office_id,
        title: w.title,
        sgk_no: w.sgk_no,
        province: w.province,
        district_code: w.district_code,
        address: w.address,
        phone: w.phone,
        email: w.email,
        related_persons: vec![],
        other: OtherDetails::default(),
        version: 1,
        created_at: now,
        updated_at: now,
    }
}

/// All permissions: the primary admin's.
pub fn all_permissions() -> EmployerPermissions {
    EmployerPermissions {
        admin: true,
        labour_demand: true,
        workforce_chart: true,
        mass_layoff: true,
        reports: true,
        user_admin: true,
    }
}

/// Membership: creates the employer, its head office and the person as primary admin.
pub fn register_employer(
    store: &mut impl EmployerStore,
    app: MembershipApplication,
    now: OffsetDateTime,
) -> Result<(Employer, Workplace), DomainError> {
    let mut errors = FieldErrors::new();
    if !app.terms_accepted {
        errors.push(FieldError::new(
            "terms_accepted",
            "employer.terms_not_accepted",
            "The general terms must be accepted.",
        ));
    }
    if store.find_citizen(&app.person.tckn)?.is_none() {
        errors.push(FieldError::new(
            "person.tckn",
            "employer.person_not_in_registry",
            "The civil registry has no person with this T.C. identity number.",
        ));
    }
    let existing_person = store.person(&app.person.tckn)?;
    match &existing_person {
        Some(p) => {
            if !verify_password(&p.password_hash, &app.person.password) {
                errors.push(FieldError::new(
                    "person.password",
                    "employer.existing_password_required",
                    "You already act for another employer: give the password you log in with.",
                ));
            }
        }
        None => errors
            .take(
                "person.password",
                check_password_strength(&app.person.password),
            )
            .unwrap_or(()),
    }
    check_workplace_input(store, &app.head_office, "head_office.", &mut errors)?;
    errors.finish()?;
    if store.employer_by_vkn(&app.vkn)?.is_some() {
        return Err(DomainError::conflict(
            "employer.exists",
            "An employer with this tax number is already a member; ask its admin to add you as a user.",
        ));
    }
    if existing_person.is_none() {
        store.insert_person(
            &EmployerPerson {
                tckn: app.person.tckn.clone(),
                password_hash: hash_password(&app.person.password)?,
                secret_question: app.person.secret_question.clone(),
                secret_answer_hash: hash_password(&search_fold(&app.person.secret_answer))?,
                mobile: app.person.mobile.clone(),
                email: app.person.email.clone(),
            },
            now,
        )?;
    }
    let number = store.next_iskur_no()?;
    let employer = Employer {
        id: EmployerId::new(),
        title: app.title,
        vkn: app.vkn,
        sector: app.sector,
        iskur_no: format!("{number:08}"),
        address: app.address,
        phone: app.phone,
        email: app.email,
        terms_accepted_at: now,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    store.insert_employer(&employer)?;
    let head = new_workplace(employer.id, &[], app.head_office, now);
    store.insert_workplace(&head)?;
    store.insert_user(
        employer.id,
        &WorkplaceUser {
            tckn: app.person.tckn.clone(),
            permissions: all_permissions(),
            primary_admin: true,
            closing_date: None,
            locked: false,
        },
    )?;
    let label = format!("citizen:{}", app.person.tckn.masked());
    record(
        store,
        label.clone(),
        "employer",
        employer.id.to_string(),
        None,
        "member",
        Some("membership".into()),
        now,
    )?;
    record(
        store,
        label,
        "workplace",
        head.id.to_string(),
        None,
        "registered",
        None,
        now,
    )?;
    Ok((employer, head))
}

/// The outcome of a login: the actor and a name for the greeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerLogin {
    pub actor: Actor,
    pub person_name: String,
    pub employer_title: String,
}

fn invalid_credentials() -> DomainError {
    DomainError::unauthenticated(
        "auth.invalid_credentials",
        "The T.C. identity number or the password is wrong.",
    )
}

/// TCKN + password; `employer` chooses among several. Never says which half was wrong.
pub fn login_employer(
    store: &mut impl EmployerStore,
    tckn: &Tckn,
    password: &str,
    employer: Option<EmployerId>,
    now: OffsetDateTime,
) -> Result<EmployerLogin, DomainError> {
    check_password(store, tckn, password)?;
    let memberships = store.memberships(tckn)?;
    let chosen = match employer {
        Some(id) => memberships
            .into_iter()
            .find(|m| m.employer_id == id)
            .ok_or_else(|| {
                DomainError::field(FieldError::new(
                    "employer_id",
                    "auth.employer_not_yours",
                    "You are not a user of this employer.",
                ))
            })?,
        None => {
            let mut ms = memberships;
            match ms.len() {
                0 => {
                    return Err(DomainError::forbidden(
                        "auth.no_employer",
                        "You are not a user of any employer.",
                    ))
                }
                1 => ms.remove(0),
                _ => {
                    let choices = ms
                        .iter()
                        .map(|m| format!("{} ({})", m.employer_id, m.employer_title))
                        .collect::<Vec<_>>()
                        .join("; ");
                    return Err(DomainError::field(FieldError::new(
                        "employer_id",
                        "auth.employer_choice_required",
                        format!("You act for several employers; choose one: {choices}"),
                    )));
                }
            }
        }
    };
    chosen.user.check_can_act(now)?;
    let name = store
        .find_citizen(tckn)?
        .map(|c| format!("{} {}", c.first_name, c.last_name))
        .unwrap_or_default();
    Ok(EmployerLogin {
        actor: Actor::EmployerUser {
            tckn: tckn.clone(),
            employer_id: chosen.employer_id,
            workplace_id: None,
            permissions: chosen.user.permissions,
        },
        person_name: name,
        employer_title: chosen.employer_title,
    })
}

/// The employers a person (by TCKN + password) may choose from at login.
pub fn employer_choices(
    store: &mut impl EmployerStore,
    tckn: &Tckn,
    password: &str,
) -> Result<Vec<Membership>, DomainError> {
    check_password(store, tckn, password)?;
    store.memberships(tckn)
}

/// The person's portal password, or — for a user the admin added who never set one — their
/// e-Devlet password ("registered individual").
fn check_password(
    store: &mut impl EmployerStore,
    tckn: &Tckn,
    password: &str,
) -> Result<(), DomainError> {
    let hash = match store.person(tckn)? {
        Some(p) => Some(p.password_hash),
        None => store
            .find_citizen(tckn)?
            .and_then(|c| c.edevlet_password_hash),
    };
    match hash {
        Some(h) if verify_password(&h, password) => Ok(()),
        Some(_) => Err(invalid_credentials()),
        None => {
            burn_verification(password);
            Err(invalid_credentials())
        }
    }
}

/// The actor as the database says now: an employer user's permissions, lock and closing
/// date are re-read on every request, so a change by the admin takes effect at once and
/// not when the token expires. Other actors pass through.
pub fn current_actor(
    store: &mut impl EmployerStore,
    actor: Actor,
    now: OffsetDateTime,
) -> Result<Actor, DomainError> {
    let Actor::EmployerUser {
        tckn,
        employer_id,
        workplace_id,
        ..
    } = actor
    else {
        return Ok(actor);
    };
    let user = store
        .users_of(employer_id)?
        .into_iter()
        .find(|u| u.tckn == tckn)
        .ok_or_else(|| {
            DomainError::unauthenticated(
                "auth.user_removed",
                "You are no longer a user of this employer; log in again.",
            )
        })?;
    user.check_can_act(now)?;
    Ok(Actor::EmployerUser {
        tckn,
        employer_id,
        workplace_id,
        permissions: user.permissions,
    })
}

fn own_employer(actor: &Actor, employer: EmployerId) -> Result<(), DomainError> {
    match actor {
        Actor::EmployerUser { employer_id, .. } if *employer_id == employer => Ok(()),
        Actor::EmployerUser { .. } => Err(DomainError::not_found(
            "employer.not_found",
            "No such employer.",
        )),
        _ => Err(DomainError::forbidden(
            "workplace_user.admin_only",
            "Only the employer's admin manages its users.",
        )),
    }
}

fn check_user_admin(actor: &Actor) -> Result<(), DomainError> {
    match actor {
        Actor::EmployerUser { permissions, .. } if permissions.admin || permissions.user_admin => {
            Ok(())
        }
        _ => Err(DomainError::forbidden(
            "workplace_user.admin_only",
            "Only the employer's admin manages its users.",
        )),
    }
}

/// The employer's users (admin or user-admin).
pub fn list_users(
    store: &mut impl EmployerStore,
    actor: &Actor,
    employer: EmployerId,
) -> Result<Vec<WorkplaceUser>, DomainError> {
    own_employer(actor, employer)?;
    check_user_admin(actor)?;
    store.users_of(employer)
}

/// Adds an authorised user: a registered individual (in the civil registry with an e-Devlet
/// account, or already a portal user elsewhere).
pub fn add_employer_user(
    store: &mut impl EmployerStore,
    actor: &Actor,
    employer: EmployerId,
    tckn: Tckn,
    permissions: EmployerPermissions,
    closing_date: Option<time::Date>,
    now: OffsetDateTime,
) -> Result<WorkplaceUser, DomainError> {
    own_employer(actor, employer)?;
    lock_employer_users(store, employer)?;
    let existing = store.users_of(employer)?;
    let registered = store.person(&tckn)?.is_some()
        || store
            .find_citizen(&tckn)?
            .is_some_and(|c| c.edevlet_password_hash.is_some());
    let user = crate::workplace::add_user(
        actor,
        &existing,
        tckn,
        registered,
        permissions,
        closing_date,
    )?;
    store.insert_user(employer, &user)?;
    record(
        store,
        actor.audit_label(),
        "employer_user",
        format!("{employer}:{}", user.tckn.masked()),
        None,
        "active",
        Some("added".into()),
        now,
    )?;
    Ok(user)
}

fn lock_employer_users(
    store: &mut impl EmployerStore,
    employer: EmployerId,
) -> Result<(), DomainError> {
    store.lock_employer(employer)
}

/// Changes a user's permissions, closing date or lock (never the primary admin's, never
/// one's own).
pub fn change_employer_user(
    store: &mut impl EmployerStore,
    actor: &Actor,
    employer: EmployerId,
    tckn: &Tckn,
    change: crate::workplace::UserChange,
    now: OffsetDateTime,
) -> Result<WorkplaceUser, DomainError> {
    own_employer(actor, employer)?;
    check_user_admin(actor)?;
    lock_employer_users(store, employer)?;
    let target = store
        .users_of(employer)?
        .into_iter()
        .find(|u| &u.tckn == tckn)
        .ok_or_else(|| {
            DomainError::not_found("workplace_user.not_found", "No such user of this employer.")
        })?;
    let next = crate::workplace::change_user(actor, &target, change)?;
    store.update_user(employer, &next)?;
    let state = if next.locked { "locked" } else { "active" };
    record(
        store,
        actor.audit_label(),
        "employer_user",
        format!("{employer}:{}", next.tckn.masked()),
        Some(if target.locked { "locked" } else { "active" }),
        state,
        Some("changed".into()),
        now,
    )?;
    Ok(next)
}

fn reset_failed() -> DomainError {
    DomainError::unauthenticated(
        "auth.reset_failed",
        "These details do not match our records.",
    )
}

/// The secret question of a person, after the contact-detail check (TCKN + mobile).
pub fn secret_question(
    store: &mut impl EmployerStore,
    tckn: &Tckn,
    mobile: &MobilePhone,
) -> Result<String, DomainError> {
    match store.person(tckn)? {
        Some(p) if &p.mobile == mobile => Ok(p.secret_question),
        _ => Err(reset_failed()),
    }
}

/// Password reset (şifremi unuttum): TCKN + the mobile on record + the secret answer, and
/// the new password twice.
pub fn reset_password(
    store: &mut impl EmployerStore,
    tckn: &Tckn,
    mobile: &MobilePhone,
    secret_answer: &str,
    new_password: &str,
    repeated: &str,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    let mut errors = FieldErrors::new();
    errors.take("new_password", check_password_strength(new_password));
    if new_password != repeated {
        errors.push(FieldError::new(
            "new_password_repeat",
            "password.mismatch",
            "The two passwords differ.",
        ));
    }
    errors.finish()?;
    let Some(p) = store.person(tckn)? else {
        burn_verification(secret_answer);
        return Err(reset_failed());
    };
    if &p.mobile != mobile || !verify_password(&p.secret_answer_hash, &search_fold(secret_answer)) {
        return Err(reset_failed());
    }
    store.update_password(tckn, &hash_password(new_password)?)?;
    record(
        store,
        format!("citizen:{}", tckn.masked()),
        "employer_person",
        tckn.masked(),
        None,
        "password_reset",
        None,
        now,
    )?;
    Ok(())
}

fn employer_admin(actor: &Actor) -> Result<EmployerId, DomainError> {
    match actor {
        Actor::EmployerUser {
            employer_id,
            permissions,
            ..
        } if permissions.admin => Ok(*employer_id),
        Actor::EmployerUser { .. } => Err(DomainError::forbidden(
            "workplace.admin_only",
            "Only the employer's admin adds or changes workplaces.",
        )),
        _ => Err(DomainError::forbidden(
            "workplace.employers_only",
            "Only an employer's users manage its workplaces.",
        )),
    }
}

fn workplace_not_found() -> DomainError {
    DomainError::not_found("workplace.not_found", "No such workplace.")
}

/// Whether `actor` may read the records of `employer` (its own users, or İŞKUR staff).
pub fn may_read_employer(actor: &Actor, employer: EmployerId) -> bool {
    match actor {
        Actor::EmployerUser { employer_id, .. } => *employer_id == employer,
        Actor::IskurStaff { .. } => true,
        _ => false,
    }
}

/// The employer, for its users and İŞKUR staff.
pub fn get_employer(
    store: &mut impl EmployerStore,
    actor: &Actor,
    id: EmployerId,
) -> Result<Employer, DomainError> {
    if !may_read_employer(actor, id) {
        return Err(DomainError::not_found(
            "employer.not_found",
            "No such employer.",
        ));
    }
    store
        .get_employer(id)?
        .ok_or_else(|| DomainError::not_found("employer.not_found", "No such employer."))
}

/// Adds a workplace: head office of its province if the employer has none there, else a branch.
pub fn add_workplace(
    store: &mut impl EmployerStore,
    actor: &Actor,
    input: WorkplaceInput,
    now: OffsetDateTime,
) -> Result<Workplace, DomainError> {
    let employer = employer_admin(actor)?;
    store.lock_employer(employer)?;
    let mut errors = FieldErrors::new();
    check_workplace_input(store, &input, "", &mut errors)?;
    errors.finish()?;
    let existing: Vec<WorkplaceSummary> = store
        .workplaces_of(employer)?
        .iter()
        .map(Workplace::summary)
        .collect();
    let w = new_workplace(employer, &existing, input, now);
    store.insert_workplace(&w)?;
    record(
        store,
        actor.audit_label(),
        "workplace",
        w.id.to_string(),
        None,
        "registered",
        None,
        now,
    )?;
    Ok(w)
}

/// One workplace, for its employer's users and İŞKUR staff.
pub fn get_workplace(
    store: &mut impl EmployerStore,
    actor: &Actor,
    id: WorkplaceId,
) -> Result<Workplace, DomainError> {
    let w = store.get_workplace(id)?.ok_or_else(workplace_not_found)?;
    if !may_read_employer(actor, w.employer_id) {
        return Err(workplace_not_found());
    }
    Ok(w)
}

/// Searches workplaces: an employer user within its own, İŞKUR staff across all.
pub fn list_workplaces(
    store: &mut impl EmployerStore,
    actor: &Actor,
    mut filter: WorkplaceFilter,
    page: PageRequest,
) -> Result<Page<Workplace>, DomainError> {
    match actor {
        Actor::EmployerUser { employer_id, .. } => filter.employer = Some(*employer_id),
        Actor::IskurStaff { .. } => {}
        _ => {
            return Err(DomainError::forbidden(
                "workplace.employers_only",
                "Only employers' users and İŞKUR staff list workplaces.",
            ))
        }
    }
    store.page_workplaces(&filter, page)
}

/// What an admin may change of a workplace (the province never changes).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkplaceChange {
    pub title: Option<String>,
    pub district_code: Option<i32>,
    pub address: Option<String>,
    /// `Some(None)` clears it.
    pub phone: Option<Option<MobilePhone>>,
    pub email: Option<Option<Email>>,
    /// Replaces the whole list.
    pub related_persons: Option<Vec<RelatedPerson>>,
    /// Replaces the other details.
    pub other: Option<OtherDetails>,
}

/// Updates a workplace's general, address, contact, related-person and other details
/// (If-Match honoured).
pub fn update_workplace(
    store: &mut impl EmployerStore,
    actor: &Actor,
    id: WorkplaceId,
    change: WorkplaceChange,
    expected: Option<i64>,
    now: OffsetDateTime,
) -> Result<Workplace, DomainError> {
    // Who may change workplaces is decided before the lookup (no existence oracle).
    let employer = employer_admin(actor)?;
    let w = get_workplace(store, actor, id)?;
    if employer != w.employer_id {
        return Err(workplace_not_found());
    }
    if expected.is_some_and(|v| v != w.version) {
        return Err(DomainError::stale("workplace"));
    }
    let mut next = w.clone();
    if let Some(t) = change.title {
        next.title = t;
    }
    if let Some(d) = change.district_code {
        if !store.district_in_province(d, w.province)? {
            return Err(DomainError::field(FieldError::new(
                "district_code",
                "workplace.district_not_in_province",
                "This district is not in the workplace's province.",
            )));
        }
        next.district_code = d;
    }
    if let Some(a) = change.address {
        next.address = a;
    }
    if let Some(p) = change.phone {
        next.phone = p;
    }
    if let Some(e) = change.email {
        next.email = e;
    }
    if let Some(r) = change.related_persons {
        if r.len() > MAX_RELATED_PERSONS {
            return Err(DomainError::field(FieldError::new(
                "related_persons",
                "workplace.too_many_related_persons",
                format!("At most {MAX_RELATED_PERSONS} related persons."),
            )));
        }
        next.related_persons = r;
    }
    if let Some(o) = change.other {
        next.other = o;
    }
    next.version = w.version + 1;
    next.updated_at = now;
    if !store.update_workplace(&next, w.version)? {
        return Err(DomainError::stale("workplace"));
    }
    record(
        store,
        actor.audit_label(),
        "workplace",
        id.to_string(),
        Some("registered"),
        "registered",
        Some("details changed".into()),
        now,
    )?;
    Ok(next)
}

#[cfg(test)]
mod tests;
