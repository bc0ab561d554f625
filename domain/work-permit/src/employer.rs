//! e-İzin employer registration (işveren kaydı) — DOMAIN.md §7 "Employer registration".
//!
//! A citizen logged in through e-Devlet ([`Actor::Citizen`]) registers as an e-İzin
//! employer in one of three ways:
//! - **company**: a workplace chosen among the SGK workplaces the person is e-Bildirge
//!   authorised for (another one is 422 `work_permit.workplace_not_authorised` naming
//!   `sgk_no`); its title comes from SGK;
//! - **household** (ev hizmetleri) as the real person, with the care kind;
//! - **university** (foreign academics), with the university's name (3–200 characters).
//!
//! The profile (TCKN, birth date, name) comes from the identity registry; the e-mail and
//! the mobile given must both have been verified by a one-time code by the same person
//! (else 422 `work_permit.contact_not_verified` naming `email` or `mobile`).
//!
//! Choices written down here because the manuals are silent:
//! - one registration per person, kind and workplace: the workplace is the SGK number for a
//!   company, the university's name (case and spacing folded) for a university, and nothing
//!   for a household (one household registration per person); a second is 409
//!   `work_permit.employer_exists`;
//! - the checks run in the order the person would fix them: the fields, the contacts, the
//!   SGK authorisation, the duplicate;
//! - a registration that is not the actor's is 404 (`work_permit.employer_not_found`).

use crate::kind::{CareKind, EmployerKind};
use crate::panel::{AuthorisedUser, EmployerRole};

/// The history's resource kind for an employer record's panel (users authorised, revoked).
pub const EMPLOYER_HISTORY_KIND: &str = "work_permit_employer";
use kapi_core::{
    clean_text, Actor, DomainError, Email, EmployerId, FieldError, MobilePhone, SgkNo, Tckn,
};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

/// The university name's bounds.
pub const UNIVERSITY_NAME_MIN: usize = 3;
pub const UNIVERSITY_NAME_MAX: usize = 200;

/// The person as the identity registry (e-Devlet / KPS) knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistryPerson {
    pub tckn: Tckn,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: Date,
}

/// An SGK workplace the person is e-Bildirge authorised for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorisedWorkplace {
    pub sgk_no: String,
    pub title: String,
    pub address: String,
}

/// The contacts a person has proven by code.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VerifiedContacts {
    /// Normalised e-mail addresses.
    pub emails: Vec<String>,
    /// Normalised mobile numbers (10 digits).
    pub mobiles: Vec<String>,
}

/// What is registered: the workplace of the employer record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Registration {
    Company { sgk_no: SgkNo },
    Household { care_kind: CareKind },
    University { university_name: String },
}

impl Registration {
    pub fn kind(&self) -> EmployerKind {
        match self {
            Registration::Company { .. } => EmployerKind::Company,
            Registration::Household { .. } => EmployerKind::Household,
            Registration::University { .. } => EmployerKind::University,
        }
    }

    /// What makes two registrations of one person and kind the same one.
    pub fn workplace_key(&self) -> String {
        match self {
            Registration::Company { sgk_no } => sgk_no.as_str().to_owned(),
            Registration::Household { .. } => String::new(),
            Registration::University { university_name } => {
                kapi_core::search_fold(&kapi_core::collapse_whitespace(university_name))
            }
        }
    }
}

code_list! {
    /// The documents an employer record carries ("Yüklenmesi Gereken Belge Listesi").
    EmployerDocumentType {
        /// A company's tax certificate.
        TaxCertificate => "tax_certificate", "Vergi Levhası";
        /// A company's trade registry gazette (founding and last capital / officers).
        TradeRegistryGazette => "trade_registry_gazette", "Ticaret Sicil Gazetesi";
        /// A company's signature circular of the persons authorised to sign for it.
        SignatureCircular => "signature_circular", "İmza Sirküleri";
        /// A university's letter authorising the person to apply for it.
        AuthorisationLetter => "authorisation_letter", "Yetki Belgesi";
        /// Anything else the employer adds.
        Other => "other", "Diğer Belge";
    }
}

/// The documents an employer of `kind` must have uploaded before it applies: a company its
/// tax certificate, trade registry gazette and signature circular; a university the letter
/// authorising the person; a household (a real person, identified by e-Devlet) none.
pub fn required_employer_documents(kind: EmployerKind) -> &'static [EmployerDocumentType] {
    match kind {
        EmployerKind::Company => &[
            EmployerDocumentType::TaxCertificate,
            EmployerDocumentType::TradeRegistryGazette,
            EmployerDocumentType::SignatureCircular,
        ],
        EmployerKind::University => &[EmployerDocumentType::AuthorisationLetter],
        EmployerKind::Household => &[],
    }
}

/// A document of the employer record (a PDF in the blob store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmployerDocument {
    pub document_type: EmployerDocumentType,
    pub sha256: String,
    pub size: u64,
    pub file_name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub uploaded_at: OffsetDateTime,
}

/// An e-İzin employer record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkPermitEmployer {
    pub id: EmployerId,
    /// The registering person (from e-Devlet).
    pub owner: RegistryPerson,
    pub registration: Registration,
    /// The company's SGK title, the university's name, or the household's name.
    pub title: String,
    pub email: Email,
    pub mobile: MobilePhone,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
    /// The uploaded documents, one per type (the latest upload of a type replaces it).
    #[serde(default)]
    pub documents: Vec<EmployerDocument>,
    pub version: i64,
}

impl WorkPermitEmployer {
    /// The required documents not uploaded yet, in the list's order.
    pub fn missing_documents(&self) -> Vec<EmployerDocumentType> {
        required_employer_documents(self.registration.kind())
            .iter()
            .copied()
            .filter(|t| !self.documents.iter().any(|d| d.document_type == *t))
            .collect()
    }
}

/// The registration form as it arrives.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct RegistrationInput {
    /// `company`, `household` or `university`.
    pub kind: String,
    pub sgk_no: Option<String>,
    pub care_kind: Option<String>,
    pub university_name: Option<String>,
    pub email: String,
    pub mobile: String,
}

/// A validated registration form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRegistration {
    pub registration: Registration,
    pub email: Email,
    pub mobile: MobilePhone,
}

fn required(field: &str) -> FieldError {
    FieldError::new(field, "work_permit.required", "This field is required.")
}

fn not_allowed(field: &str, kind: EmployerKind) -> FieldError {
    FieldError::new(
        field,
        "work_permit.field_not_allowed",
        format!(
            "This field is not part of a `{}` registration.",
            kind.as_str()
        ),
    )
}

impl RegistrationInput {
    /// Every field checked, each broken one named.
    pub fn validate(&self) -> Result<ValidRegistration, DomainError> {
        let mut errors = Vec::new();
        let email = Email::parse(&self.email)
            .map_err(|e| errors.push(e.at("email")))
            .ok();
        let mobile = MobilePhone::parse(&self.mobile)
            .map_err(|e| errors.push(e.at("mobile")))
            .ok();
        let kind = EmployerKind::parse(&self.kind);
        let registration = match kind {
            None => {
                let codes: Vec<&str> = EmployerKind::ALL.iter().map(|k| k.as_str()).collect();
                errors.push(FieldError::new(
                    "kind",
                    "work_permit.employer_kind",
                    format!("One of: {}.", codes.join(", ")),
                ));
                None
            }
            Some(k) => {
                let others: &[(&str, bool)] = &[
                    (
                        "sgk_no",
                        self.sgk_no.is_some() && k != EmployerKind::Company,
                    ),
                    (
                        "care_kind",
                        self.care_kind.is_some() && k != EmployerKind::Household,
                    ),
                    (
                        "university_name",
                        self.university_name.is_some() && k != EmployerKind::University,
                    ),
                ];
                for (field, present) in others {
                    if *present {
                        errors.push(not_allowed(field, k));
                    }
                }
                match k {
                    EmployerKind::Company => match self.sgk_no.as_deref() {
                        None => {
                            errors.push(required("sgk_no"));
                            None
                        }
                        Some(raw) => SgkNo::parse(raw)
                            .map_err(|e| errors.push(e.at("sgk_no")))
                            .ok()
                            .map(|sgk_no| Registration::Company { sgk_no }),
                    },
                    EmployerKind::Household => match self.care_kind.as_deref() {
                        None => {
                            errors.push(required("care_kind"));
                            None
                        }
                        Some(raw) => match CareKind::parse(raw) {
                            Some(care_kind) => Some(Registration::Household { care_kind }),
                            None => {
                                let codes: Vec<&str> =
                                    CareKind::ALL.iter().map(|c| c.as_str()).collect();
                                errors.push(FieldError::new(
                                    "care_kind",
                                    "work_permit.care_kind",
                                    format!("One of: {}.", codes.join(", ")),
                                ));
                                None
                            }
                        },
                    },
                    EmployerKind::University => match self.university_name.as_deref() {
                        None => {
                            errors.push(required("university_name"));
                            None
                        }
                        Some(raw) => clean_text(
                            "university_name",
                            raw,
                            UNIVERSITY_NAME_MIN,
                            UNIVERSITY_NAME_MAX,
                        )
                        .map_err(|e| errors.push(e))
                        .ok()
                        .map(|university_name| Registration::University { university_name }),
                    },
                }
            }
        };
        crate::refuse(errors)?;
        match (registration, email, mobile) {
            (Some(registration), Some(email), Some(mobile)) => Ok(ValidRegistration {
                registration,
                email,
                mobile,
            }),
            _ => Err(DomainError::internal(
                "registration validated without values",
            )),
        }
    }
}

/// The employer registrations store port, with the registries registration consults.
pub trait EmployerStore: kapi_core::HistoryLog {
    /// The identity registry's record of the person.
    fn find_person(&mut self, tckn: &Tckn) -> Result<Option<RegistryPerson>, DomainError>;
    /// The SGK workplaces the person is e-Bildirge authorised for.
    fn authorised_workplaces(
        &mut self,
        tckn: &Tckn,
    ) -> Result<Vec<AuthorisedWorkplace>, DomainError>;
    /// The contacts the subject (`Actor::subject`) has verified by code.
    fn verified_contacts(&mut self, subject: &str) -> Result<VerifiedContacts, DomainError>;
    /// Whether the person already holds a registration of `kind` for `workplace_key`.
    fn exists(
        &mut self,
        owner: &Tckn,
        kind: EmployerKind,
        workplace_key: &str,
    ) -> Result<bool, DomainError>;
    fn insert(&mut self, e: &WorkPermitEmployer) -> Result<(), DomainError>;
    fn get(&mut self, id: EmployerId) -> Result<Option<WorkPermitEmployer>, DomainError>;
    /// `e.version` is the new version; false when the stored one is not `expected`.
    fn update(&mut self, e: &WorkPermitEmployer, expected: i64) -> Result<bool, DomainError>;
    /// The person's registrations, oldest first.
    fn list_by_owner(&mut self, owner: &Tckn) -> Result<Vec<WorkPermitEmployer>, DomainError>;
    /// Registrations the person is an authorised user of (not the owner).
    fn list_by_user(&mut self, user: &Tckn) -> Result<Vec<WorkPermitEmployer>, DomainError>;
    /// The users the owner authorised, oldest first.
    fn users(&mut self, employer: EmployerId) -> Result<Vec<AuthorisedUser>, DomainError>;
    /// Adds a user; false when the person already is one.
    fn add_user(&mut self, user: &AuthorisedUser) -> Result<bool, DomainError>;
    /// Removes a user; false when the person was none.
    fn remove_user(&mut self, employer: EmployerId, user: &Tckn) -> Result<bool, DomainError>;
}

fn citizen(actor: &Actor) -> Result<&Tckn, DomainError> {
    match actor {
        Actor::Citizen { tckn } => Ok(tckn),
        _ => Err(DomainError::forbidden(
            "work_permit.citizen_only",
            "Only a person logged in through e-Devlet registers as an e-İzin employer.",
        )),
    }
}

/// The duplicate refusal (also what the store answers when the unique index catches a race).
pub fn employer_exists() -> DomainError {
    DomainError::conflict(
        "work_permit.employer_exists",
        "Bu işveren kaydı zaten mevcut.",
    )
}

fn not_found() -> DomainError {
    DomainError::not_found(
        "work_permit.employer_not_found",
        "No such e-İzin employer registration.",
    )
}

/// What the registration screen shows: the registry identity, the verified contacts and
/// the SGK workplaces the person may register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerProfile {
    pub person: RegistryPerson,
    pub contacts: VerifiedContacts,
    pub workplaces: Vec<AuthorisedWorkplace>,
}

/// The actor's registration profile.
pub fn profile(
    store: &mut impl EmployerStore,
    actor: &Actor,
) -> Result<EmployerProfile, DomainError> {
    let tckn = citizen(actor)?;
    let person = store
        .find_person(tckn)?
        .ok_or_else(|| DomainError::internal("a logged-in citizen is not in the registry"))?;
    Ok(EmployerProfile {
        person,
        contacts: store.verified_contacts(&actor.subject())?,
        workplaces: store.authorised_workplaces(tckn)?,
    })
}

/// Registers the actor as an e-İzin employer.
pub fn register_employer(
    store: &mut impl EmployerStore,
    actor: &Actor,
    input: RegistrationInput,
    now: OffsetDateTime,
) -> Result<WorkPermitEmployer, DomainError> {
    let tckn = citizen(actor)?.clone();
    let valid = input.validate()?;
    let contacts = store.verified_contacts(&actor.subject())?;
    if !contacts.emails.iter().any(|e| e == valid.email.as_str()) {
        return Err(DomainError::rule(FieldError::new(
            "email",
            "work_permit.contact_not_verified",
            "Verify this e-mail address with a code first.",
        )));
    }
    if !contacts.mobiles.iter().any(|m| m == valid.mobile.as_str()) {
        return Err(DomainError::rule(FieldError::new(
            "mobile",
            "work_permit.contact_not_verified",
            "Verify this mobile number with a code first.",
        )));
    }
    let owner = store
        .find_person(&tckn)?
        .ok_or_else(|| DomainError::internal("a logged-in citizen is not in the registry"))?;
    let title = match &valid.registration {
        Registration::Company { sgk_no } => store
            .authorised_workplaces(&tckn)?
            .into_iter()
            .find(|w| w.sgk_no == sgk_no.as_str())
            .map(|w| w.title)
            .ok_or_else(|| {
                DomainError::rule(FieldError::new(
                    "sgk_no",
                    "work_permit.workplace_not_authorised",
                    "You are not e-Bildirge authorised for this SGK workplace.",
                ))
            })?,
        Registration::Household { .. } => format!("{} {}", owner.first_name, owner.last_name),
        Registration::University { university_name } => university_name.clone(),
    };
    let registration = valid.registration;
    if store.exists(&tckn, registration.kind(), &registration.workplace_key())? {
        return Err(employer_exists());
    }
    let e = WorkPermitEmployer {
        id: EmployerId::new(),
        owner,
        registration,
        title,
        email: valid.email,
        mobile: valid.mobile,
        created_at: now,
        updated_at: now,
        documents: vec![],
        version: 1,
    };
    store.insert(&e)?;
    Ok(e)
}

/// The employers the actor acts for ("Kayıtlı İşyeri Seçimi"): those they registered
/// (owner), then those they are an authorised user of, each with the role.
pub fn my_employers(
    store: &mut impl EmployerStore,
    actor: &Actor,
) -> Result<Vec<(WorkPermitEmployer, EmployerRole)>, DomainError> {
    let tckn = citizen(actor)?;
    let mut out: Vec<_> = store
        .list_by_owner(tckn)?
        .into_iter()
        .map(|e| (e, EmployerRole::Owner))
        .collect();
    out.extend(
        store
            .list_by_user(tckn)?
            .into_iter()
            .map(|e| (e, EmployerRole::Authorised)),
    );
    Ok(out)
}

/// One of the employers the actor acts for, with their role; any other is 404.
pub fn my_employer(
    store: &mut impl EmployerStore,
    actor: &Actor,
    id: EmployerId,
) -> Result<(WorkPermitEmployer, EmployerRole), DomainError> {
    let tckn = citizen(actor)?.clone();
    let e = store.get(id)?.ok_or_else(not_found)?;
    if e.owner.tckn == tckn {
        return Ok((e, EmployerRole::Owner));
    }
    if store.users(id)?.iter().any(|u| u.tckn == tckn) {
        return Ok((e, EmployerRole::Authorised));
    }
    Err(not_found())
}

/// The employer's authorised users (Yetkilendirme İşlemleri), for any of its users.
pub fn list_users(
    store: &mut impl EmployerStore,
    actor: &Actor,
    id: EmployerId,
) -> Result<Vec<AuthorisedUser>, DomainError> {
    my_employer(store, actor, id)?;
    store.users(id)
}

fn owned(
    store: &mut impl EmployerStore,
    actor: &Actor,
    id: EmployerId,
) -> Result<WorkPermitEmployer, DomainError> {
    let (e, role) = my_employer(store, actor, id)?;
    if role != EmployerRole::Owner {
        return Err(DomainError::forbidden(
            "work_permit.owner_only",
            "Only the employer's manager (the person who registered it) does this.",
        ));
    }
    Ok(e)
}

fn panel_history(
    store: &mut impl EmployerStore,
    id: EmployerId,
    actor: &Actor,
    note: String,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    store.append(&kapi_core::HistoryEntry {
        resource_kind: EMPLOYER_HISTORY_KIND.into(),
        resource_id: id.to_string(),
        at: now,
        actor: actor.audit_label(),
        from_state: None,
        to_state: "active".into(),
        note: Some(note),
    })
}

/// The owner uploads one of the employer's documents (a PDF already checked and stored);
/// a document of the same type is replaced. Recorded in the employer's history.
pub fn upload_employer_document(
    store: &mut impl EmployerStore,
    actor: &Actor,
    id: EmployerId,
    document: EmployerDocument,
    now: OffsetDateTime,
) -> Result<WorkPermitEmployer, DomainError> {
    let mut e = owned(store, actor, id)?;
    let label = document.document_type.label_tr();
    e.documents
        .retain(|d| d.document_type != document.document_type);
    e.documents.push(document);
    e.updated_at = now;
    let before = e.version;
    e.version += 1;
    if !store.update(&e, before)? {
        return Err(DomainError::stale("work-permit employer"));
    }
    panel_history(store, id, actor, format!("{label} yüklendi."), now)?;
    Ok(e)
}

/// The owner authorises a person (known to the identity registry) to act for the employer.
pub fn authorise_user(
    store: &mut impl EmployerStore,
    actor: &Actor,
    id: EmployerId,
    raw_tckn: &str,
    now: OffsetDateTime,
) -> Result<AuthorisedUser, DomainError> {
    let e = owned(store, actor, id)?;
    let tckn = Tckn::parse(raw_tckn).map_err(|err| DomainError::field(err.at("tckn")))?;
    if tckn == e.owner.tckn {
        return Err(DomainError::rule(FieldError::new(
            "tckn",
            "work_permit.already_owner",
            "The employer's manager needs no authorisation.",
        )));
    }
    let person = store.find_person(&tckn)?.ok_or_else(|| {
        DomainError::rule(FieldError::new(
            "tckn",
            "work_permit.person_unknown",
            "No person with this TCKN in the identity registry.",
        ))
    })?;
    let user = AuthorisedUser {
        employer_id: id,
        tckn: person.tckn,
        first_name: person.first_name,
        last_name: person.last_name,
        authorised_by: e.owner.tckn,
        authorised_at: now,
    };
    if !store.add_user(&user)? {
        return Err(DomainError::conflict(
            "work_permit.user_exists",
            "This person is already one of the employer's users.",
        ));
    }
    panel_history(
        store,
        id,
        actor,
        format!(
            "{} {} ({}) işveren adına işlem yapmak üzere yetkilendirildi.",
            user.first_name,
            user.last_name,
            user.tckn.masked()
        ),
        now,
    )?;
    Ok(user)
}

/// The owner takes a user's authorisation back; from then on the person reaches none of
/// the employer's records.
pub fn revoke_user(
    store: &mut impl EmployerStore,
    actor: &Actor,
    id: EmployerId,
    tckn: &Tckn,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    owned(store, actor, id)?;
    if !store.remove_user(id, tckn)? {
        return Err(DomainError::not_found(
            "work_permit.user_not_found",
            "This person is not one of the employer's users.",
        ));
    }
    panel_history(
        store,
        id,
        actor,
        format!("{} kullanıcısının yetkisi kaldırıldı.", tckn.masked()),
        now,
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    const SGK: &str = "2512001010000010060000";

    fn tckn(nine: &str) -> Tckn {
        Tckn::parse(&kapi_core::with_tckn_checksum(nine).unwrap()).unwrap()
    }

    #[derive(Default)]
    struct Fake {
        people: Vec<RegistryPerson>,
        auths: Vec<(Tckn, AuthorisedWorkplace)>,
        contacts: Vec<(String, VerifiedContacts)>,
        rows: Vec<WorkPermitEmployer>,
        users: Vec<AuthorisedUser>,
        history: Vec<kapi_core::HistoryEntry>,
    }

    impl kapi_core::HistoryLog for Fake {
        fn append(&mut self, e: &kapi_core::HistoryEntry) -> Result<(), DomainError> {
            self.history.push(e.clone());
            Ok(())
        }
        fn history(
            &mut self,
            kind: &str,
            id: &str,
        ) -> Result<Vec<kapi_core::HistoryEntry>, DomainError> {
            Ok(self
                .history
                .iter()
                .filter(|h| h.resource_kind == kind && h.resource_id == id)
                .cloned()
                .collect())
        }
    }

    impl EmployerStore for Fake {
        fn find_person(&mut self, t: &Tckn) -> Result<Option<RegistryPerson>, DomainError> {
            Ok(self.people.iter().find(|p| &p.tckn == t).cloned())
        }
        fn authorised_workplaces(
            &mut self,
            t: &Tckn,
        ) -> Result<Vec<AuthorisedWorkplace>, DomainError> {
            Ok(self
                .auths
                .iter()
                .filter(|(o, _)| o == t)
                .map(|(_, w)| w.clone())
                .collect())
        }
        fn verified_contacts(&mut self, s: &str) -> Result<VerifiedContacts, DomainError> {
            Ok(self
                .contacts
                .iter()
                .find(|(x, _)| x == s)
                .map(|(_, c)| c.clone())
                .unwrap_or_default())
        }
        fn exists(
            &mut self,
            owner: &Tckn,
            kind: EmployerKind,
            key: &str,
        ) -> Result<bool, DomainError> {
            Ok(self.rows.iter().any(|e| {
                &e.owner.tckn == owner
                    && e.registration.kind() == kind
                    && e.registration.workplace_key() == key
            }))
        }
        fn insert(&mut self, e: &WorkPermitEmployer) -> Result<(), DomainError> {
            self.rows.push(e.clone());
            Ok(())
        }
        fn get(&mut self, id: EmployerId) -> Result<Option<WorkPermitEmployer>, DomainError> {
            Ok(self.rows.iter().find(|e| e.id == id).cloned())
        }
        fn update(&mut self, e: &WorkPermitEmployer, expected: i64) -> Result<bool, DomainError> {
            match self.rows.iter_mut().find(|x| x.id == e.id) {
                Some(x) if x.version == expected => {
                    *x = e.clone();
                    Ok(true)
                }
                _ => Ok(false),
            }
        }
        fn list_by_owner(&mut self, o: &Tckn) -> Result<Vec<WorkPermitEmployer>, DomainError> {
            Ok(self
                .rows
                .iter()
                .filter(|e| &e.owner.tckn == o)
                .cloned()
                .collect())
        }
        fn list_by_user(&mut self, u: &Tckn) -> Result<Vec<WorkPermitEmployer>, DomainError> {
            let ids: Vec<EmployerId> = self
                .users
                .iter()
                .filter(|x| &x.tckn == u)
                .map(|x| x.employer_id)
                .collect();
            Ok(self
                .rows
                .iter()
                .filter(|e| ids.contains(&e.id))
                .cloned()
                .collect())
        }
        fn users(&mut self, employer: EmployerId) -> Result<Vec<AuthorisedUser>, DomainError> {
            Ok(self
                .users
                .iter()
                .filter(|u| u.employer_id == employer)
                .cloned()
                .collect())
        }
        fn add_user(&mut self, user: &AuthorisedUser) -> Result<bool, DomainError> {
            if self
                .users
                .iter()
                .any(|u| u.employer_id == user.employer_id && u.tckn == user.tckn)
            {
                return Ok(false);
            }
            self.users.push(user.clone());
            Ok(true)
        }
        fn remove_user(&mut self, employer: EmployerId, user: &Tckn) -> Result<bool, DomainError> {
            let before = self.users.len();
            self.users
                .retain(|u| !(u.employer_id == employer && &u.tckn == user));
            Ok(self.users.len() < before)
        }
    }

    fn setup() -> (Fake, Actor, Actor) {
        let a = tckn("100000001");
        let b = tckn("123456789");
        let mut f = Fake::default();
        for (t, first) in [(&a, "Ayşe"), (&b, "Mehmet")] {
            f.people.push(RegistryPerson {
                tckn: t.clone(),
                first_name: first.into(),
                last_name: "Yılmaz".into(),
                birth_date: date!(1980 - 01 - 01),
            });
        }
        f.auths.push((
            a.clone(),
            AuthorisedWorkplace {
                sgk_no: SGK.into(),
                title: "Anadolu A.Ş.".into(),
                address: "Ankara".into(),
            },
        ));
        f.contacts.push((
            format!("person:{a}"),
            VerifiedContacts {
                emails: vec!["ayse@ornek.com.tr".into()],
                mobiles: vec!["5321000001".into()],
            },
        ));
        (f, Actor::Citizen { tckn: a }, Actor::Citizen { tckn: b })
    }

    fn input(kind: &str) -> RegistrationInput {
        RegistrationInput {
            kind: kind.into(),
            email: "ayse@ornek.com.tr".into(),
            mobile: "0532 100 00 01".into(),
            ..Default::default()
        }
    }

    const NOW: OffsetDateTime = datetime!(2026-12-01 10:00 UTC);

    #[test]
    fn validate_names_every_field() {
        let e = RegistrationInput {
            kind: "company".into(),
            care_kind: Some("elderly_care".into()),
            email: "x".into(),
            mobile: "0312".into(),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        let fields: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(e.code, "validation.failed");
        assert_eq!(fields, ["email", "mobile", "care_kind", "sgk_no"]);
        let e = input("ship").validate().unwrap_err();
        assert_eq!(e.code, "work_permit.employer_kind");
        let mut u = input("university");
        u.university_name = Some("ab".into());
        assert_eq!(u.validate().unwrap_err().code, "text.length");
        u.university_name = Some("  Orta Doğu   Teknik Üniversitesi ".into());
        assert_eq!(
            u.validate().unwrap().registration,
            Registration::University {
                university_name: "Orta Doğu Teknik Üniversitesi".into()
            }
        );
        let mut h = input("household");
        h.care_kind = Some("gardening".into());
        assert_eq!(h.validate().unwrap_err().code, "work_permit.care_kind");
    }

    #[test]
    fn registers_household_company_and_university() {
        let (mut f, a, _) = setup();
        let mut h = input("household");
        h.care_kind = Some("elderly_care".into());
        let e = register_employer(&mut f, &a, h, NOW).unwrap();
        assert_eq!(e.title, "Ayşe Yılmaz");
        assert_eq!(e.mobile.as_str(), "5321000001");
        let mut c = input("company");
        c.sgk_no = Some(SGK.into());
        let e = register_employer(&mut f, &a, c, NOW).unwrap();
        assert_eq!(e.title, "Anadolu A.Ş.");
        let mut u = input("university");
        u.university_name = Some("Ankara Üniversitesi".into());
        register_employer(&mut f, &a, u, NOW).unwrap();
        assert_eq!(my_employers(&mut f, &a).unwrap().len(), 3);
        assert_eq!(
            my_employer(&mut f, &a, e.id).unwrap(),
            (e, EmployerRole::Owner)
        );
    }

    #[test]
    fn a_company_uploads_its_documents() {
        let (mut f, a, b) = setup();
        let mut c = input("company");
        c.sgk_no = Some(SGK.into());
        let e = register_employer(&mut f, &a, c, NOW).unwrap();
        assert_eq!(e.missing_documents().len(), 3);
        let doc = |t: EmployerDocumentType, sha: char| EmployerDocument {
            document_type: t,
            sha256: sha.to_string().repeat(64),
            size: 1000,
            file_name: "belge.pdf".into(),
            uploaded_at: NOW,
        };
        let tckn_b = tckn("123456789");
        authorise_user(&mut f, &a, e.id, tckn_b.as_str(), NOW).unwrap();
        assert_eq!(
            upload_employer_document(
                &mut f,
                &b,
                e.id,
                doc(EmployerDocumentType::TaxCertificate, 'a'),
                NOW
            )
            .unwrap_err()
            .code,
            "work_permit.owner_only"
        );
        upload_employer_document(
            &mut f,
            &a,
            e.id,
            doc(EmployerDocumentType::TaxCertificate, 'a'),
            NOW,
        )
        .unwrap();
        let e2 = upload_employer_document(
            &mut f,
            &a,
            e.id,
            doc(EmployerDocumentType::TaxCertificate, 'b'),
            NOW,
        )
        .unwrap();
        assert_eq!(e2.documents.len(), 1, "the same type is replaced");
        assert_eq!(e2.documents[0].sha256, "b".repeat(64));
        assert_eq!(
            e2.missing_documents(),
            [
                EmployerDocumentType::TradeRegistryGazette,
                EmployerDocumentType::SignatureCircular
            ]
        );
        let mut h = input("household");
        h.care_kind = Some("elderly_care".into());
        let household = register_employer(&mut f, &a, h, NOW).unwrap();
        assert!(household.missing_documents().is_empty());
    }

    #[test]
    fn the_owner_authorises_and_revokes_users() {
        let (mut f, a, b) = setup();
        let mut h = input("household");
        h.care_kind = Some("elderly_care".into());
        let e = register_employer(&mut f, &a, h, NOW).unwrap();
        let mehmet = tckn("123456789");
        // Not yet a user: the employer is not reachable.
        assert_eq!(
            list_users(&mut f, &b, e.id).unwrap_err().code,
            "work_permit.employer_not_found"
        );
        let u = authorise_user(&mut f, &a, e.id, mehmet.as_str(), NOW).unwrap();
        assert_eq!(u.first_name, "Mehmet");
        assert_eq!(
            authorise_user(&mut f, &a, e.id, mehmet.as_str(), NOW)
                .unwrap_err()
                .code,
            "work_permit.user_exists"
        );
        let stranger = tckn("200000001");
        let err = authorise_user(&mut f, &a, e.id, stranger.as_str(), NOW).unwrap_err();
        assert_eq!(
            (err.code.as_ref(), err.fields[0].field.as_str()),
            ("work_permit.person_unknown", "tckn")
        );
        let own = tckn("100000001");
        assert_eq!(
            authorise_user(&mut f, &a, e.id, own.as_str(), NOW)
                .unwrap_err()
                .code,
            "work_permit.already_owner"
        );
        assert_eq!(
            authorise_user(&mut f, &a, e.id, "123", NOW)
                .unwrap_err()
                .fields[0]
                .field,
            "tckn"
        );
        // The user sees the employer and its users, but does not manage them.
        assert_eq!(
            my_employers(&mut f, &b).unwrap(),
            [(e.clone(), EmployerRole::Authorised)]
        );
        assert_eq!(list_users(&mut f, &b, e.id).unwrap().len(), 1);
        assert_eq!(
            authorise_user(&mut f, &b, e.id, own.as_str(), NOW)
                .unwrap_err()
                .code,
            "work_permit.owner_only"
        );
        assert_eq!(
            revoke_user(&mut f, &b, e.id, &mehmet, NOW)
                .unwrap_err()
                .code,
            "work_permit.owner_only"
        );
        revoke_user(&mut f, &a, e.id, &mehmet, NOW).unwrap();
        assert_eq!(
            revoke_user(&mut f, &a, e.id, &mehmet, NOW)
                .unwrap_err()
                .code,
            "work_permit.user_not_found"
        );
        assert!(my_employers(&mut f, &b).unwrap().is_empty());
        let h = f
            .history
            .iter()
            .filter_map(|h| h.note.clone())
            .collect::<Vec<_>>();
        assert_eq!(h.len(), 2);
        assert!(h[0].contains("yetkilendirildi"), "{h:?}");
    }

    #[test]
    fn unverified_contacts_are_refused() {
        let (mut f, a, b) = setup();
        let mut h = input("household");
        h.care_kind = Some("child_care".into());
        let e = register_employer(&mut f, &b, h.clone(), NOW).unwrap_err();
        assert_eq!(e.code, "work_permit.contact_not_verified");
        assert_eq!(e.fields[0].field, "email");
        h.mobile = "5329999999".into();
        let e = register_employer(&mut f, &a, h, NOW).unwrap_err();
        assert_eq!(e.code, "work_permit.contact_not_verified");
        assert_eq!(e.fields[0].field, "mobile");
    }

    #[test]
    fn an_unauthorised_workplace_and_a_duplicate_are_refused() {
        let (mut f, a, _) = setup();
        let mut c = input("company");
        c.sgk_no = Some("4711001010000030340000".into());
        let e = register_employer(&mut f, &a, c.clone(), NOW).unwrap_err();
        assert_eq!(e.code, "work_permit.workplace_not_authorised");
        assert_eq!(e.fields[0].field, "sgk_no");
        c.sgk_no = Some(SGK.into());
        register_employer(&mut f, &a, c.clone(), NOW).unwrap();
        assert_eq!(
            register_employer(&mut f, &a, c, NOW).unwrap_err().code,
            "work_permit.employer_exists"
        );
        let mut u = input("university");
        u.university_name = Some("Ankara Üniversitesi".into());
        register_employer(&mut f, &a, u.clone(), NOW).unwrap();
        u.university_name = Some("ANKARA  üniversitesi".into());
        assert_eq!(
            register_employer(&mut f, &a, u, NOW).unwrap_err().code,
            "work_permit.employer_exists"
        );
    }

    #[test]
    fn only_citizens_and_only_their_own() {
        let (mut f, a, b) = setup();
        let mut h = input("household");
        h.care_kind = Some("elderly_care".into());
        let e = register_employer(&mut f, &a, h, NOW).unwrap();
        assert_eq!(
            my_employer(&mut f, &b, e.id).unwrap_err().code,
            "work_permit.employer_not_found"
        );
        assert!(my_employers(&mut f, &b).unwrap().is_empty());
        let p = profile(&mut f, &a).unwrap();
        assert_eq!(p.person.first_name, "Ayşe");
        assert_eq!(p.workplaces.len(), 1);
        assert_eq!(p.contacts.mobiles, ["5321000001"]);
        assert!(profile(&mut f, &b).unwrap().workplaces.is_empty());
        let staff = Actor::MinistryStaff {
            account_id: kapi_core::StaffAccountId::new(),
        };
        assert_eq!(
            my_employers(&mut f, &staff).unwrap_err().code,
            "work_permit.citizen_only"
        );
    }
}
