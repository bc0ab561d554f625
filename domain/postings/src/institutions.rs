//! Public institutions (kurum) that publish Kariyer Kapısı postings, and their HR accounts.
//!
//! Onboarding an institution is an operator's job. Rules:
//! - anyone lists the institutions (the postings filter needs them), by a part of the name,
//!   Turkish letters and case folded, ordered by the folded name;
//! - only a system administrator creates institutions, opens their HR accounts
//!   (`institution_hr`), deactivates and reactivates them, and reads their history;
//! - an institution's name is 3–200 characters and unique after the Turkish search fold
//!   ("HAZİNE VE MALİYE BAKANLIĞI" and "Hazine ve Maliye Bakanlığı" are one institution);
//!   its DETSİS number, when given, is 8 digits and names at most one institution;
//! - an HR account's user name is 3–50 of `a-z 0-9 . - _` (upper-case ASCII is lowered, as
//!   the staff login does), unique among all staff accounts; its password meets the common
//!   strength rule and is stored only as an argon2 hash;
//! - an inactive account can no longer log in (the staff login refuses it);
//! - only accounts with the role `institution_hr` are handled here: any other staff
//!   account is "not found" to these use cases;
//! - every change is appended to the history: kind `institution` for the institution,
//!   `staff_account` for an account; an institution's history shows both, oldest first.

use kapi_core::{
    clean_text, search_fold, Actor, DomainError, FieldError, HistoryEntry, HistoryLog,
    InstitutionId, Page, PageRequest, StaffAccountId,
};
use kapi_identity::login::StaffRole;
use kapi_identity::password::{check_password_strength, hash_password};
use time::OffsetDateTime;

/// An institution's name: trimmed, inner white space collapsed, 3–200 characters, no
/// control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstitutionName(String);

impl InstitutionName {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        clean_text("name", s, 3, 200).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The Turkish-folded key that must be unique and that searches match.
    pub fn search_key(&self) -> String {
        search_fold(&self.0)
    }
}

/// A DETSİS (Devlet Teşkilatı Merkezi Kayıt Sistemi) number: 8 digits, as everywhere in Kapı.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DetsisNo(String);

impl DetsisNo {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let s = s.trim();
        if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(FieldError::new(
                "detsis_no",
                "detsis.format",
                "A DETSİS number has 8 digits.",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A staff user name: 3–50 of lower-case ASCII letters, digits, `.`, `-` and `_`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffUsername(String);

impl StaffUsername {
    /// Trims and lowers ASCII capitals (the staff login lowers what is typed too), then checks.
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let s = s.trim().to_ascii_lowercase();
        let n = s.chars().count();
        if !(3..=50).contains(&n) {
            return Err(FieldError::new(
                "username",
                "staff.username_length",
                "A user name has 3 to 50 characters.",
            ));
        }
        if !s.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_')
        }) {
            return Err(FieldError::new(
                "username",
                "staff.username_invalid",
                "A user name has lower-case letters a–z, digits, dots, dashes and underscores only.",
            ));
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A staff account's display name: 3–200 characters of clean text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        clean_text("display_name", s, 3, 200).map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password that meets the strength rule. Never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        check_password_strength(s)?;
        Ok(Self(s.to_owned()))
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(***)")
    }
}

/// An institution as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Institution {
    pub id: InstitutionId,
    pub name: InstitutionName,
    pub detsis_no: Option<DetsisNo>,
    pub created_at: OffsetDateTime,
}

/// A staff account as the store has it (any role; these use cases handle `institution_hr`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffAccountRecord {
    pub id: StaffAccountId,
    pub username: String,
    pub display_name: String,
    pub role: StaffRole,
    pub institution_id: Option<InstitutionId>,
    pub active: bool,
    pub created_at: OffsetDateTime,
}

/// An institution's HR account (role `institution_hr`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HrAccount {
    pub id: StaffAccountId,
    pub username: String,
    pub display_name: String,
    pub institution_id: InstitutionId,
    pub active: bool,
    pub created_at: OffsetDateTime,
}

impl HrAccount {
    /// The record as an HR account; `None` for any other role or an HR account without
    /// an institution.
    pub fn from_record(r: StaffAccountRecord) -> Option<Self> {
        match (r.role, r.institution_id) {
            (StaffRole::InstitutionHr, Some(institution_id)) => Some(Self {
                id: r.id,
                username: r.username,
                display_name: r.display_name,
                institution_id,
                active: r.active,
                created_at: r.created_at,
            }),
            _ => None,
        }
    }
}

/// An institution with its HR accounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstitutionDetail {
    pub institution: Institution,
    pub hr_accounts: Vec<HrAccount>,
}

/// A new staff account to store: the hash only, never the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStaffAccount {
    pub account: HrAccount,
    pub password_hash: String,
}

/// What the institution use cases need from storage. Implementations run inside one
/// transaction; every change is also appended to the history.
pub trait InstitutionStore: HistoryLog {
    /// Serialises institution and HR-account writers until the transaction ends, so two
    /// creations with one name (or one user name) cannot both pass the uniqueness check.
    fn lock_directory(&mut self) -> Result<(), DomainError>;
    /// A page of institutions ordered by folded name, optionally only those whose folded
    /// name contains `folded_query`.
    fn page(
        &mut self,
        folded_query: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<Institution>, DomainError>;
    fn get(&mut self, id: InstitutionId) -> Result<Option<Institution>, DomainError>;
    fn find_by_key(&mut self, search_key: &str) -> Result<Option<Institution>, DomainError>;
    fn find_by_detsis_no(&mut self, detsis_no: &str) -> Result<Option<Institution>, DomainError>;
    fn insert(&mut self, institution: &Institution) -> Result<(), DomainError>;
    /// The staff accounts attached to an institution (any role), oldest first.
    fn accounts_of(&mut self, id: InstitutionId) -> Result<Vec<StaffAccountRecord>, DomainError>;
    fn account(&mut self, id: StaffAccountId) -> Result<Option<StaffAccountRecord>, DomainError>;
    /// Whether any staff account (any role) has this user name.
    fn username_taken(&mut self, username: &str) -> Result<bool, DomainError>;
    fn insert_account(&mut self, account: &NewStaffAccount) -> Result<(), DomainError>;
    /// Sets the account's `active` flag; `false` when no such account.
    fn set_active(&mut self, id: StaffAccountId, active: bool) -> Result<bool, DomainError>;
}

/// Input of [`create_institution`].
#[derive(Debug, Clone)]
pub struct NewInstitution {
    pub name: InstitutionName,
    pub detsis_no: Option<DetsisNo>,
}

/// Input of [`create_hr_account`].
#[derive(Debug, Clone)]
pub struct NewHrAccount {
    pub username: StaffUsername,
    pub display_name: DisplayName,
    pub password: NewPassword,
}

/// Refuses everyone but a system administrator (`institution.admin_only`, 403).
pub fn require_admin(actor: &Actor) -> Result<(), DomainError> {
    match actor {
        Actor::SystemAdmin { .. } => Ok(()),
        _ => Err(DomainError::forbidden(
            "institution.admin_only",
            "Only a system administrator may administer institutions and their HR accounts.",
        )),
    }
}

fn not_found() -> DomainError {
    DomainError::not_found("institution.not_found", "No such institution.")
}

fn account_not_found() -> DomainError {
    DomainError::not_found("staff.not_found", "No such institution HR account.")
}

const KIND_INSTITUTION: &str = "institution";
const KIND_ACCOUNT: &str = "staff_account";

fn state_of(active: bool) -> &'static str {
    if active {
        "active"
    } else {
        "inactive"
    }
}

#[allow(clippy::too_many_arguments)]
fn record(
    store: &mut impl InstitutionStore,
    actor: &Actor,
    kind: &str,
    id: String,
    from: Option<&str>,
    to: &str,
    note: String,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    store.append(&HistoryEntry {
        resource_kind: kind.to_owned(),
        resource_id: id,
        at: now,
        actor: actor.audit_label(),
        from_state: from.map(str::to_owned),
        to_state: to.to_owned(),
        note: Some(note),
    })
}

/// Lists institutions by folded name; `name` matches anywhere in the name, Turkish-folded.
/// Public: the postings filter and the front-ends' pickers need it.
pub fn list_institutions(
    store: &mut impl InstitutionStore,
    name: Option<&str>,
    page: PageRequest,
) -> Result<Page<Institution>, DomainError> {
    let folded = name.map(search_fold).filter(|q| !q.is_empty());
    store.page(folded.as_deref(), page)
}

fn hr_accounts_of(
    store: &mut impl InstitutionStore,
    id: InstitutionId,
) -> Result<Vec<HrAccount>, DomainError> {
    Ok(store
        .accounts_of(id)?
        .into_iter()
        .filter_map(HrAccount::from_record)
        .collect())
}

/// An institution with its HR accounts (system administrator).
pub fn get_institution(
    store: &mut impl InstitutionStore,
    actor: &Actor,
    id: InstitutionId,
) -> Result<InstitutionDetail, DomainError> {
    require_admin(actor)?;
    let institution = store.get(id)?.ok_or_else(not_found)?;
    let hr_accounts = hr_accounts_of(store, id)?;
    Ok(InstitutionDetail {
        institution,
        hr_accounts,
    })
}

/// Creates an institution (system administrator). A name that folds to an existing
/// institution's is `institution.name_taken` (409); so is a DETSİS number already used
/// (`institution.detsis_no_taken`).
pub fn create_institution(
    store: &mut impl InstitutionStore,
    actor: &Actor,
    cmd: NewInstitution,
    now: OffsetDateTime,
) -> Result<Institution, DomainError> {
    require_admin(actor)?;
    store.lock_directory()?;
    if let Some(other) = store.find_by_key(&cmd.name.search_key())? {
        return Err(DomainError::conflict(
            "institution.name_taken",
            format!(
                "An institution named \"{}\" already exists.",
                other.name.as_str()
            ),
        ));
    }
    if let Some(no) = &cmd.detsis_no {
        if let Some(other) = store.find_by_detsis_no(no.as_str())? {
            return Err(DomainError::conflict(
                "institution.detsis_no_taken",
                format!(
                    "DETSİS number {} already belongs to \"{}\".",
                    no.as_str(),
                    other.name.as_str()
                ),
            ));
        }
    }
    let institution = Institution {
        id: InstitutionId::new(),
        name: cmd.name,
        detsis_no: cmd.detsis_no,
        created_at: now,
    };
    store.insert(&institution)?;
    let detsis = institution
        .detsis_no
        .as_ref()
        .map(|d| format!(" (DETSİS {})", d.as_str()))
        .unwrap_or_default();
    record(
        store,
        actor,
        KIND_INSTITUTION,
        institution.id.to_string(),
        None,
        "active",
        format!("Kurum Oluşturuldu: {}{detsis}", institution.name.as_str()),
        now,
    )?;
    Ok(institution)
}

/// Opens an HR account for an institution (system administrator). The account logs in at
/// the staff login and acts as that institution. A user name any staff account already
/// has is `staff.username_taken` (409).
pub fn create_hr_account(
    store: &mut impl InstitutionStore,
    actor: &Actor,
    institution_id: InstitutionId,
    cmd: NewHrAccount,
    now: OffsetDateTime,
) -> Result<HrAccount, DomainError> {
    require_admin(actor)?;
    store.lock_directory()?;
    let institution = store.get(institution_id)?.ok_or_else(not_found)?;
    if store.username_taken(cmd.username.as_str())? {
        return Err(DomainError::conflict(
            "staff.username_taken",
            format!(
                "The user name \"{}\" is already taken.",
                cmd.username.as_str()
            ),
        ));
    }
    let account = HrAccount {
        id: StaffAccountId::new(),
        username: cmd.username.as_str().to_owned(),
        display_name: cmd.display_name.as_str().to_owned(),
        institution_id,
        active: true,
        created_at: now,
    };
    let password_hash = hash_password(&cmd.password.0)?;
    store.insert_account(&NewStaffAccount {
        account: account.clone(),
        password_hash,
    })?;
    record(
        store,
        actor,
        KIND_ACCOUNT,
        account.id.to_string(),
        None,
        "active",
        format!(
            "İK Hesabı Açıldı: {} ({}) — {}",
            account.username,
            account.display_name,
            institution.name.as_str()
        ),
        now,
    )?;
    Ok(account)
}

fn set_active(
    store: &mut impl InstitutionStore,
    actor: &Actor,
    id: StaffAccountId,
    active: bool,
    now: OffsetDateTime,
) -> Result<HrAccount, DomainError> {
    require_admin(actor)?;
    store.lock_directory()?;
    let current = store
        .account(id)?
        .and_then(HrAccount::from_record)
        .ok_or_else(account_not_found)?;
    if current.active == active {
        return Ok(current);
    }
    if !store.set_active(id, active)? {
        return Err(account_not_found());
    }
    let verb = if active {
        "Hesap Aktifleştirildi"
    } else {
        "Hesap Pasifleştirildi"
    };
    record(
        store,
        actor,
        KIND_ACCOUNT,
        id.to_string(),
        Some(state_of(current.active)),
        state_of(active),
        format!("{verb}: {}", current.username),
        now,
    )?;
    Ok(HrAccount { active, ..current })
}

/// Deactivates an HR account (system administrator): it can no longer log in. Already
/// inactive: answered as it is, nothing recorded.
pub fn deactivate_hr_account(
    store: &mut impl InstitutionStore,
    actor: &Actor,
    id: StaffAccountId,
    now: OffsetDateTime,
) -> Result<HrAccount, DomainError> {
    set_active(store, actor, id, false, now)
}

/// Reactivates an HR account (system administrator). Already active: answered as it is.
pub fn activate_hr_account(
    store: &mut impl InstitutionStore,
    actor: &Actor,
    id: StaffAccountId,
    now: OffsetDateTime,
) -> Result<HrAccount, DomainError> {
    set_active(store, actor, id, true, now)
}

/// An institution's history with that of its HR accounts, oldest first (system
/// administrator). Institutions loaded as demo data have none until something changes.
pub fn institution_history(
    store: &mut impl InstitutionStore,
    actor: &Actor,
    id: InstitutionId,
) -> Result<Vec<HistoryEntry>, DomainError> {
    require_admin(actor)?;
    store.get(id)?.ok_or_else(not_found)?;
    let mut entries = store.history(KIND_INSTITUTION, &id.to_string())?;
    for a in hr_accounts_of(store, id)? {
        entries.extend(store.history(KIND_ACCOUNT, &a.id.to_string())?);
    }
    // Stable: at equal instants the institution's entries come first, then each account's.
    entries.sort_by_key(|e| e.at);
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kapi_core::ErrorKind;
    use kapi_identity::password::verify_password;
    use std::collections::BTreeMap;
    use time::macros::datetime;
    use time::Duration;

    #[derive(Default)]
    struct Fake {
        institutions: BTreeMap<InstitutionId, Institution>,
        accounts: BTreeMap<StaffAccountId, (StaffAccountRecord, String)>,
        locked: bool,
        log: Vec<HistoryEntry>,
    }

    impl HistoryLog for Fake {
        fn append(&mut self, e: &HistoryEntry) -> Result<(), DomainError> {
            self.log.push(e.clone());
            Ok(())
        }
        fn history(&mut self, kind: &str, id: &str) -> Result<Vec<HistoryEntry>, DomainError> {
            Ok(self
                .log
                .iter()
                .filter(|e| e.resource_kind == kind && e.resource_id == id)
                .cloned()
                .collect())
        }
    }

    impl InstitutionStore for Fake {
        fn lock_directory(&mut self) -> Result<(), DomainError> {
            self.locked = true;
            Ok(())
        }
        fn page(
            &mut self,
            q: Option<&str>,
            page: PageRequest,
        ) -> Result<Page<Institution>, DomainError> {
            let mut all: Vec<Institution> = self
                .institutions
                .values()
                .filter(|i| q.is_none_or(|q| i.name.search_key().contains(q)))
                .cloned()
                .collect();
            all.sort_by_key(|i| (i.name.search_key(), i.id));
            let total = all.len() as u64;
            let items = all
                .into_iter()
                .skip(page.offset() as usize)
                .take(page.limit() as usize)
                .collect();
            Ok(Page::new(items, page, total))
        }
        fn get(&mut self, id: InstitutionId) -> Result<Option<Institution>, DomainError> {
            Ok(self.institutions.get(&id).cloned())
        }
        fn find_by_key(&mut self, key: &str) -> Result<Option<Institution>, DomainError> {
            Ok(self
                .institutions
                .values()
                .find(|i| i.name.search_key() == key)
                .cloned())
        }
        fn find_by_detsis_no(&mut self, no: &str) -> Result<Option<Institution>, DomainError> {
            Ok(self
                .institutions
                .values()
                .find(|i| i.detsis_no.as_ref().is_some_and(|d| d.as_str() == no))
                .cloned())
        }
        fn insert(&mut self, i: &Institution) -> Result<(), DomainError> {
            assert!(self.locked, "writes happen under the directory lock");
            self.institutions.insert(i.id, i.clone());
            Ok(())
        }
        fn accounts_of(
            &mut self,
            id: InstitutionId,
        ) -> Result<Vec<StaffAccountRecord>, DomainError> {
            Ok(self
                .accounts
                .values()
                .filter(|(a, _)| a.institution_id == Some(id))
                .map(|(a, _)| a.clone())
                .collect())
        }
        fn account(
            &mut self,
            id: StaffAccountId,
        ) -> Result<Option<StaffAccountRecord>, DomainError> {
            Ok(self.accounts.get(&id).map(|(a, _)| a.clone()))
        }
        fn username_taken(&mut self, u: &str) -> Result<bool, DomainError> {
            Ok(self.accounts.values().any(|(a, _)| a.username == u))
        }
        fn insert_account(&mut self, n: &NewStaffAccount) -> Result<(), DomainError> {
            assert!(self.locked, "writes happen under the directory lock");
            let a = &n.account;
            self.accounts.insert(
                a.id,
                (
                    StaffAccountRecord {
                        id: a.id,
                        username: a.username.clone(),
                        display_name: a.display_name.clone(),
                        role: StaffRole::InstitutionHr,
                        institution_id: Some(a.institution_id),
                        active: a.active,
                        created_at: a.created_at,
                    },
                    n.password_hash.clone(),
                ),
            );
            Ok(())
        }
        fn set_active(&mut self, id: StaffAccountId, active: bool) -> Result<bool, DomainError> {
            match self.accounts.get_mut(&id) {
                Some((a, _)) => {
                    a.active = active;
                    Ok(true)
                }
                None => Ok(false),
            }
        }
    }

    const NOW: OffsetDateTime = datetime!(2026-12-01 10:00 UTC);

    fn admin() -> Actor {
        Actor::SystemAdmin {
            account_id: StaffAccountId::new(),
        }
    }

    fn others() -> Vec<Actor> {
        vec![
            Actor::Citizen {
                tckn: kapi_core::Tckn::parse("10000000146").unwrap(),
            },
            Actor::InstitutionStaff {
                account_id: StaffAccountId::new(),
                institution_id: InstitutionId::new(),
            },
            Actor::MinistryStaff {
                account_id: StaffAccountId::new(),
            },
            Actor::ProvinceAdmin {
                account_id: StaffAccountId::new(),
                province: kapi_core::ProvinceCode::new(6).unwrap(),
            },
        ]
    }

    fn new_institution(name: &str, detsis: Option<&str>) -> NewInstitution {
        NewInstitution {
            name: InstitutionName::parse(name).unwrap(),
            detsis_no: detsis.map(|d| DetsisNo::parse(d).unwrap()),
        }
    }

    fn new_account(username: &str) -> NewHrAccount {
        NewHrAccount {
            username: StaffUsername::parse(username).unwrap(),
            display_name: DisplayName::parse("Kurum İK Sorumlusu").unwrap(),
            password: NewPassword::parse("Gizli2026").unwrap(),
        }
    }

    fn seeded() -> (Fake, Institution) {
        let mut f = Fake::default();
        let i = create_institution(
            &mut f,
            &admin(),
            new_institution("Hazine ve Maliye Bakanlığı", Some("30001370")),
            NOW,
        )
        .unwrap();
        (f, i)
    }

    #[test]
    fn names_are_cleaned_and_bounded() {
        let n = InstitutionName::parse("  Hazine   ve Maliye\tBakanlığı ").unwrap();
        assert_eq!(n.as_str(), "Hazine ve Maliye Bakanlığı");
        assert_eq!(n.search_key(), "hazine ve maliye bakanligi");
        let e = InstitutionName::parse("ab").unwrap_err();
        assert_eq!((e.field.as_str(), e.code.as_ref()), ("name", "text.length"));
        assert!(InstitutionName::parse(&"ş".repeat(200)).is_ok());
        assert_eq!(
            InstitutionName::parse(&"ş".repeat(201)).unwrap_err().code,
            "text.length"
        );
        assert_eq!(
            InstitutionName::parse("Kurum\u{0007}Adı").unwrap_err().code,
            "text.control_character"
        );
    }

    #[test]
    fn detsis_numbers_have_eight_digits() {
        assert_eq!(DetsisNo::parse(" 30001370 ").unwrap().as_str(), "30001370");
        for bad in ["3000137", "300013700", "3000137a", "", "３０００１３７０"] {
            let e = DetsisNo::parse(bad).unwrap_err();
            assert_eq!(
                (e.field.as_str(), e.code.as_ref()),
                ("detsis_no", "detsis.format")
            );
        }
    }

    #[test]
    fn usernames_are_lowercase_ascii_with_dot_dash_underscore() {
        assert_eq!(
            StaffUsername::parse(" Kurum3.IK ").unwrap().as_str(),
            "kurum3.ik"
        );
        assert!(StaffUsername::parse("ik_hazine-2").is_ok());
        assert_eq!(
            StaffUsername::parse("ab").unwrap_err().code,
            "staff.username_length"
        );
        assert_eq!(
            StaffUsername::parse(&"a".repeat(51)).unwrap_err().code,
            "staff.username_length"
        );
        for bad in ["kurum ik", "kürüm.ik", "kurum@ik", "ıkkurum"] {
            let e = StaffUsername::parse(bad).unwrap_err();
            assert_eq!(
                (e.field.as_str(), e.code.as_ref()),
                ("username", "staff.username_invalid"),
                "{bad}"
            );
        }
    }

    #[test]
    fn display_names_and_passwords() {
        assert_eq!(
            DisplayName::parse("  Ayşe   Yılmaz ").unwrap().as_str(),
            "Ayşe Yılmaz"
        );
        assert_eq!(DisplayName::parse("AY").unwrap_err().field, "display_name");
        let e = NewPassword::parse("kisa1").unwrap_err();
        assert_eq!(
            (e.field.as_str(), e.code.as_ref()),
            ("password", "password.too_weak")
        );
        assert_eq!(
            format!("{:?}", NewPassword::parse("Gizli2026").unwrap()),
            "NewPassword(***)"
        );
    }

    #[test]
    fn creates_and_lists_by_folded_name() {
        let (mut f, hazine) = seeded();
        create_institution(
            &mut f,
            &admin(),
            new_institution("Aile ve Sosyal Hizmetler Bakanlığı", None),
            NOW,
        )
        .unwrap();
        create_institution(
            &mut f,
            &admin(),
            new_institution("Çalışma ve Sosyal Güvenlik Bakanlığı", None),
            NOW,
        )
        .unwrap();
        let all = list_institutions(&mut f, None, PageRequest::first()).unwrap();
        let names: Vec<&str> = all.items.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "Aile ve Sosyal Hizmetler Bakanlığı",
                "Çalışma ve Sosyal Güvenlik Bakanlığı",
                "Hazine ve Maliye Bakanlığı"
            ]
        );
        let found = list_institutions(&mut f, Some("HAZİNE"), PageRequest::first()).unwrap();
        assert_eq!(found.total, 1);
        assert_eq!(found.items[0].id, hazine.id);
        let found = list_institutions(&mut f, Some("sosyal"), PageRequest::first()).unwrap();
        assert_eq!(found.total, 2);
        let found = list_institutions(&mut f, Some("  "), PageRequest::first()).unwrap();
        assert_eq!(found.total, 3, "a blank query is no filter");
        assert_eq!(hazine.detsis_no.unwrap().as_str(), "30001370");
        assert_eq!(f.log[0].resource_kind, "institution");
        assert_eq!(
            f.log[0].note.as_deref(),
            Some("Kurum Oluşturuldu: Hazine ve Maliye Bakanlığı (DETSİS 30001370)")
        );
        assert_eq!(f.log[0].to_state, "active");
    }

    #[test]
    fn a_name_or_detsis_number_names_one_institution() {
        let (mut f, _) = seeded();
        let e = create_institution(
            &mut f,
            &admin(),
            new_institution("HAZİNE VE MALİYE BAKANLIGI", None),
            NOW,
        )
        .unwrap_err();
        assert_eq!(
            (e.kind, e.code.as_ref()),
            (ErrorKind::Conflict, "institution.name_taken")
        );
        let e = create_institution(
            &mut f,
            &admin(),
            new_institution("Başka Bir Kurum", Some("30001370")),
            NOW,
        )
        .unwrap_err();
        assert_eq!(
            (e.kind, e.code.as_ref()),
            (ErrorKind::Conflict, "institution.detsis_no_taken")
        );
        assert_eq!(f.institutions.len(), 1);
        assert_eq!(f.log.len(), 1, "nothing recorded for a refusal");
    }

    #[test]
    fn only_a_system_admin_administers() {
        let (mut f, i) = seeded();
        let acc = create_hr_account(&mut f, &admin(), i.id, new_account("hazine.ik"), NOW).unwrap();
        for actor in others() {
            let forbidden = |e: DomainError| {
                assert_eq!(
                    (e.kind, e.code.as_ref()),
                    (ErrorKind::Forbidden, "institution.admin_only")
                );
            };
            forbidden(
                create_institution(&mut f, &actor, new_institution("Yeni Kurum", None), NOW)
                    .unwrap_err(),
            );
            forbidden(
                create_hr_account(&mut f, &actor, i.id, new_account("yeni.ik"), NOW).unwrap_err(),
            );
            forbidden(get_institution(&mut f, &actor, i.id).unwrap_err());
            forbidden(deactivate_hr_account(&mut f, &actor, acc.id, NOW).unwrap_err());
            forbidden(activate_hr_account(&mut f, &actor, acc.id, NOW).unwrap_err());
            forbidden(institution_history(&mut f, &actor, i.id).unwrap_err());
        }
        assert_eq!(f.institutions.len(), 1);
        assert_eq!(f.accounts.len(), 1);
        // The list is public.
        assert_eq!(
            list_institutions(&mut f, None, PageRequest::first())
                .unwrap()
                .total,
            1
        );
    }

    #[test]
    fn opens_an_hr_account_with_a_hashed_password() {
        let (mut f, i) = seeded();
        let later = NOW + Duration::minutes(5);
        let acc =
            create_hr_account(&mut f, &admin(), i.id, new_account("Hazine.IK"), later).unwrap();
        assert_eq!(acc.username, "hazine.ik");
        assert_eq!(acc.institution_id, i.id);
        assert!(acc.active);
        assert_eq!(acc.created_at, later);
        let (rec, hash) = f.accounts.get(&acc.id).unwrap().clone();
        assert_eq!(rec.role, StaffRole::InstitutionHr);
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "Gizli2026"));
        let d = get_institution(&mut f, &admin(), i.id).unwrap();
        assert_eq!(d.hr_accounts, vec![acc.clone()]);
        let e =
            create_hr_account(&mut f, &admin(), i.id, new_account("hazine.ik"), NOW).unwrap_err();
        assert_eq!(
            (e.kind, e.code.as_ref()),
            (ErrorKind::Conflict, "staff.username_taken")
        );
        let e = create_hr_account(
            &mut f,
            &admin(),
            InstitutionId::new(),
            new_account("baska.ik"),
            NOW,
        )
        .unwrap_err();
        assert_eq!(
            (e.kind, e.code.as_ref()),
            (ErrorKind::NotFound, "institution.not_found")
        );
        assert_eq!(f.accounts.len(), 1);
    }

    #[test]
    fn usernames_are_unique_across_all_staff_roles() {
        let (mut f, i) = seeded();
        let admin_id = StaffAccountId::new();
        f.accounts.insert(
            admin_id,
            (
                StaffAccountRecord {
                    id: admin_id,
                    username: "admin".into(),
                    display_name: "Sistem Yöneticisi".into(),
                    role: StaffRole::SystemAdmin,
                    institution_id: None,
                    active: true,
                    created_at: NOW,
                },
                String::new(),
            ),
        );
        let e = create_hr_account(&mut f, &admin(), i.id, new_account("admin"), NOW).unwrap_err();
        assert_eq!(e.code, "staff.username_taken");
        // …and other roles are not handled here.
        for e in [
            deactivate_hr_account(&mut f, &admin(), admin_id, NOW).unwrap_err(),
            activate_hr_account(&mut f, &admin(), admin_id, NOW).unwrap_err(),
            deactivate_hr_account(&mut f, &admin(), StaffAccountId::new(), NOW).unwrap_err(),
        ] {
            assert_eq!(
                (e.kind, e.code.as_ref()),
                (ErrorKind::NotFound, "staff.not_found")
            );
        }
        assert!(f.accounts[&admin_id].0.active);
    }

    #[test]
    fn deactivates_and_reactivates_with_history() {
        let (mut f, i) = seeded();
        let acc = create_hr_account(&mut f, &admin(), i.id, new_account("hazine.ik"), NOW).unwrap();
        let t1 = NOW + Duration::hours(1);
        let off = deactivate_hr_account(&mut f, &admin(), acc.id, t1).unwrap();
        assert!(!off.active);
        assert!(!f.accounts[&acc.id].0.active);
        // Idempotent: nothing new recorded.
        let again = deactivate_hr_account(&mut f, &admin(), acc.id, t1).unwrap();
        assert!(!again.active);
        let t2 = NOW + Duration::hours(2);
        assert!(
            activate_hr_account(&mut f, &admin(), acc.id, t2)
                .unwrap()
                .active
        );
        let h = institution_history(&mut f, &admin(), i.id).unwrap();
        let lines: Vec<(&str, Option<&str>, &str)> = h
            .iter()
            .map(|e| {
                (
                    e.resource_kind.as_str(),
                    e.from_state.as_deref(),
                    e.to_state.as_str(),
                )
            })
            .collect();
        assert_eq!(
            lines,
            vec![
                ("institution", None, "active"),
                ("staff_account", None, "active"),
                ("staff_account", Some("active"), "inactive"),
                ("staff_account", Some("inactive"), "active"),
            ]
        );
        assert_eq!(
            h[1].note.as_deref(),
            Some("İK Hesabı Açıldı: hazine.ik (Kurum İK Sorumlusu) — Hazine ve Maliye Bakanlığı")
        );
        assert_eq!(
            h[2].note.as_deref(),
            Some("Hesap Pasifleştirildi: hazine.ik")
        );
        assert_eq!(
            h[3].note.as_deref(),
            Some("Hesap Aktifleştirildi: hazine.ik")
        );
        assert_eq!(h[2].at, t1);
        assert!(h.iter().all(|e| e.actor.starts_with("system_admin:")));
    }

    #[test]
    fn history_of_an_unknown_institution_is_not_found() {
        let (mut f, _) = seeded();
        let e = institution_history(&mut f, &admin(), InstitutionId::new()).unwrap_err();
        assert_eq!(e.code, "institution.not_found");
        let e = get_institution(&mut f, &admin(), InstitutionId::new()).unwrap_err();
        assert_eq!(e.code, "institution.not_found");
    }
}
