//! Açık Kapı desk users — Sorumlu (AKS, desk officer of a governorate, optionally limited
//! to districts) and Yetkili (officer of one or more DETSİS units) — administered by the
//! province administrator (Vali / Vali Yardımcısı) within their own province (seed 004 §6,
//! "Yetki İşlemleri / Kullanıcı Tanımlama"), and the officers' TCKN + mobile + one-time
//! code login (seed 004 §3.1 "Sorumlu/Yetkili Girişi").
//!
//! Rules:
//! - only a province administrator registers, searches, changes and deactivates users, and
//!   only users of their own province (another province's user is simply not found);
//! - a person has at most one active registration (`petition_user.already_registered`);
//! - a Sorumlu has zero or more districts of the province (none = the whole province) and no
//!   units; a Yetkili has one or more DETSİS units of the province (or national ones) and no
//!   districts;
//! - kind, TCKN and province never change; deactivation keeps the record and its history;
//! - an officer logs in only while active, with the mobile on record; every request reads
//!   the officer again ([`current_actor`]): a deactivated officer's token stops working at
//!   once, and changed districts / units apply from the next request.

use kapi_core::{
    search_fold, Actor, DomainError, FieldError, FieldErrors, HistoryEntry, HistoryLog,
    MobilePhone, Page, PageRequest, PetitionUserId, ProvinceCode, Tckn,
};
use time::OffsetDateTime;

/// The resource kind in the history table.
pub const HISTORY_KIND: &str = "petition_user";

/// The most rows an Excel export holds.
pub const EXPORT_LIMIT: usize = 5000;

/// Sorumlu or Yetkili ("Kullanıcı Yetki Tipi").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PetitionUserKind {
    /// Açık Kapı Sorumlusu (AKS).
    DeskOfficer,
    /// Yetkili: a DETSİS unit's officer.
    UnitOfficer,
}

impl PetitionUserKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PetitionUserKind::DeskOfficer => "desk_officer",
            PetitionUserKind::UnitOfficer => "unit_officer",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "desk_officer" => Some(PetitionUserKind::DeskOfficer),
            "unit_officer" => Some(PetitionUserKind::UnitOfficer),
            _ => None,
        }
    }
    /// The manual's label: "Sorumlu" / "Yetkili".
    pub fn label(self) -> &'static str {
        match self {
            PetitionUserKind::DeskOfficer => "Sorumlu",
            PetitionUserKind::UnitOfficer => "Yetkili",
        }
    }
}

/// A first or last name: trimmed, inner white space collapsed, 2–50 characters, letters,
/// spaces, apostrophes, dots and hyphens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonName(String);

impl PersonName {
    pub const MIN: usize = 2;
    pub const MAX: usize = 50;

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let clean = s.split_whitespace().collect::<Vec<_>>().join(" ");
        let n = clean.chars().count();
        if n < Self::MIN {
            return Err(FieldError::new(
                "value",
                "name.too_short",
                format!("At least {} characters.", Self::MIN),
            ));
        }
        if n > Self::MAX {
            return Err(FieldError::new(
                "value",
                "name.too_long",
                format!("At most {} characters.", Self::MAX),
            ));
        }
        if !clean
            .chars()
            .all(|c| c.is_alphabetic() || matches!(c, ' ' | '\'' | '’' | '.' | '-'))
        {
            return Err(FieldError::new(
                "value",
                "name.invalid",
                "A name has letters, spaces, apostrophes, dots and hyphens only.",
            ));
        }
        Ok(Self(clean))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A DETSİS unit number: 8 digits.
pub fn parse_detsis_no(s: &str) -> Result<String, FieldError> {
    let s = s.trim();
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(s.to_owned())
    } else {
        Err(FieldError::new(
            "value",
            "detsis.format",
            "A DETSİS number has 8 digits.",
        ))
    }
}

/// A registered desk user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PetitionUser {
    pub id: PetitionUserId,
    pub kind: PetitionUserKind,
    pub tckn: Tckn,
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub mobile: MobilePhone,
    pub province: ProvinceCode,
    /// Sorumlu only, sorted; empty = every district of the province.
    pub districts: Vec<i32>,
    /// Yetkili only, sorted, at least one.
    pub units: Vec<String>,
    pub active: bool,
    pub version: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

impl PetitionUser {
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name.as_str(), self.last_name.as_str())
    }

    /// The search key of the full name (Turkish-folded).
    pub fn name_key(&self) -> String {
        search_fold(&self.full_name())
    }

    /// The actor an officer logs in as, with the scope of now.
    pub fn actor(&self) -> Actor {
        match self.kind {
            PetitionUserKind::DeskOfficer => Actor::DeskOfficer {
                tckn: self.tckn.clone(),
                province: self.province,
                districts: self.districts.clone(),
            },
            PetitionUserKind::UnitOfficer => Actor::UnitOfficer {
                tckn: self.tckn.clone(),
                province: self.province,
                units: self.units.clone(),
            },
        }
    }
}

/// A registration as entered ("Açık Kapı Kullanıcı Kayıt"); validated whole by
/// [`register_user`], which reports every invalid field at once.
#[derive(Debug, Clone, Default)]
pub struct UserDraft {
    pub kind: Option<PetitionUserKind>,
    pub tckn: String,
    pub first_name: String,
    pub last_name: String,
    pub mobile: String,
    pub province: i64,
    pub districts: Vec<i32>,
    pub units: Vec<String>,
}

/// A change ("Güncelle"): absent fields stay. Kind, TCKN and province never change.
#[derive(Debug, Clone, Default)]
pub struct UserChange {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub mobile: Option<String>,
    pub districts: Option<Vec<i32>>,
    pub units: Option<Vec<String>>,
}

/// Search criteria as entered ("Açık Kapı Kullanıcı Arama"); the province is always the
/// administrator's.
#[derive(Debug, Clone, Default)]
pub struct UserQuery {
    pub kind: Option<PetitionUserKind>,
    pub tckn: Option<String>,
    pub unit: Option<String>,
    pub district: Option<i32>,
    pub name: Option<String>,
    pub mobile: Option<String>,
    /// Default: active users only.
    pub active: Option<bool>,
}

/// Validated search criteria, as the store receives them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserFilter {
    pub province: ProvinceCode,
    pub kind: Option<PetitionUserKind>,
    pub tckn: Option<Tckn>,
    pub unit: Option<String>,
    pub district: Option<i32>,
    /// Turkish-folded; matched as "contains" on the full name's key.
    pub name_key: Option<String>,
    pub mobile: Option<MobilePhone>,
    pub active: bool,
}

impl UserFilter {
    /// Whether `u` matches (the rule the store's query implements; used by fakes).
    pub fn matches(&self, u: &PetitionUser) -> bool {
        u.province == self.province
            && u.active == self.active
            && self.kind.is_none_or(|k| u.kind == k)
            && self.tckn.as_ref().is_none_or(|t| &u.tckn == t)
            && self.unit.as_ref().is_none_or(|x| u.units.contains(x))
            && self.district.is_none_or(|d| u.districts.contains(&d))
            && self
                .name_key
                .as_ref()
                .is_none_or(|n| u.name_key().contains(n))
            && self.mobile.as_ref().is_none_or(|m| &u.mobile == m)
    }
}

/// Where a DETSİS unit belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitScope {
    /// Not in the DETSİS list.
    Unknown,
    /// A national unit (no province): any province may register its officers.
    National,
    Province(i32),
}

/// What the use cases need from storage.
pub trait PetitionUserStore: HistoryLog {
    /// Serialises registrations of one person until the transaction ends.
    fn lock_tckn(&mut self, tckn: &Tckn) -> Result<(), DomainError>;
    /// The province of a district code, if the district exists.
    fn district_province(&mut self, district: i32) -> Result<Option<i32>, DomainError>;
    fn unit_scope(&mut self, detsis_no: &str) -> Result<UnitScope, DomainError>;
    fn get(&mut self, id: PetitionUserId) -> Result<Option<PetitionUser>, DomainError>;
    fn find_active_by_tckn(&mut self, tckn: &Tckn) -> Result<Option<PetitionUser>, DomainError>;
    fn insert(&mut self, user: &PetitionUser) -> Result<(), DomainError>;
    /// Saves `user` if the stored version is still `expected_version`; false otherwise.
    fn update(&mut self, user: &PetitionUser, expected_version: i64) -> Result<bool, DomainError>;
    /// Matching users, ordered by kind, name, id.
    fn search(
        &mut self,
        filter: &UserFilter,
        page: PageRequest,
    ) -> Result<Page<PetitionUser>, DomainError>;
    /// At most `limit` matching users, in the order of [`PetitionUserStore::search`].
    fn all_matching(
        &mut self,
        filter: &UserFilter,
        limit: usize,
    ) -> Result<Vec<PetitionUser>, DomainError>;
}

fn admin_province(actor: &Actor) -> Result<ProvinceCode, DomainError> {
    match actor {
        Actor::ProvinceAdmin { province, .. } => Ok(*province),
        _ => Err(DomainError::forbidden(
            "petition_user.admin_only",
            "Only the province administrator (Vali / Vali Yardımcısı) manages Açık Kapı users.",
        )),
    }
}

fn user_not_found() -> DomainError {
    DomainError::not_found("petition_user.not_found", "No such Açık Kapı user.")
}

/// The login refusal of the manual: unknown TCKN, another mobile or an inactive user.
pub fn no_active_user() -> DomainError {
    DomainError::not_found("petition_user.not_found", "Aktif Kullanıcı Bulunamadı")
}

fn load_own(
    store: &mut impl PetitionUserStore,
    province: ProvinceCode,
    id: PetitionUserId,
) -> Result<PetitionUser, DomainError> {
    match store.get(id)? {
        Some(u) if u.province == province => Ok(u),
        _ => Err(user_not_found()),
    }
}

fn record(
    store: &mut impl PetitionUserStore,
    actor: &Actor,
    user: &PetitionUser,
    from: Option<&str>,
    to: &str,
    note: String,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    store.append(&HistoryEntry {
        resource_kind: HISTORY_KIND.into(),
        resource_id: user.id.to_string(),
        at: now,
        actor: actor.audit_label(),
        from_state: from.map(str::to_owned),
        to_state: to.into(),
        note: Some(note),
    })
}

/// A state label for lists and history ("active" / "inactive").
pub fn status_of(u: &PetitionUser) -> &'static str {
    if u.active {
        "active"
    } else {
        "inactive"
    }
}

/// Checks districts against the province; sorted, without repeats.
fn check_districts(
    store: &mut impl PetitionUserStore,
    errors: &mut FieldErrors,
    province: ProvinceCode,
    districts: &[i32],
) -> Result<Vec<i32>, DomainError> {
    let mut ok = Vec::new();
    for (i, d) in districts.iter().enumerate() {
        match store.district_province(*d)? {
            Some(p) if p == i32::from(province.get()) => ok.push(*d),
            Some(_) => errors.push(FieldError::new(
                format!("districts[{i}]"),
                "petition_user.district_other_province",
                format!("District {d} is not in province {province}."),
            )),
            None => errors.push(FieldError::new(
                format!("districts[{i}]"),
                "district.unknown",
                format!("No district with code {d}."),
            )),
        }
    }
    ok.sort_unstable();
    ok.dedup();
    Ok(ok)
}

/// Checks DETSİS units against the province; sorted, without repeats.
fn check_units(
    store: &mut impl PetitionUserStore,
    errors: &mut FieldErrors,
    province: ProvinceCode,
    units: &[String],
) -> Result<Vec<String>, DomainError> {
    let mut ok = Vec::new();
    for (i, raw) in units.iter().enumerate() {
        let field = format!("units[{i}]");
        let Some(no) = errors.take(&field, parse_detsis_no(raw)) else {
            continue;
        };
        match store.unit_scope(&no)? {
            UnitScope::National => ok.push(no),
            UnitScope::Province(p) if p == i32::from(province.get()) => ok.push(no),
            UnitScope::Province(_) => errors.push(FieldError::new(
                field,
                "petition_user.unit_other_province",
                format!("DETSİS unit {no} belongs to another province."),
            )),
            UnitScope::Unknown => errors.push(FieldError::new(
                field,
                "detsis.unknown",
                format!("No DETSİS unit {no}."),
            )),
        }
    }
    ok.sort_unstable();
    ok.dedup();
    Ok(ok)
}

/// Kind rules: a Sorumlu has no units, a Yetkili no districts and at least one unit.
fn check_kind_scope(
    errors: &mut FieldErrors,
    kind: PetitionUserKind,
    districts: &[i32],
    units: &[String],
) {
    match kind {
        PetitionUserKind::DeskOfficer if !units.is_empty() => errors.push(FieldError::new(
            "units",
            "petition_user.units_not_allowed",
            "A Sorumlu (desk officer) has districts, not DETSİS units.",
        )),
        PetitionUserKind::UnitOfficer if !districts.is_empty() => errors.push(FieldError::new(
            "districts",
            "petition_user.districts_not_allowed",
            "A Yetkili (unit officer) has DETSİS units, not districts.",
        )),
        PetitionUserKind::UnitOfficer if units.is_empty() => errors.push(FieldError::new(
            "units",
            "petition_user.units_required",
            "A Yetkili (unit officer) needs at least one DETSİS unit.",
        )),
        _ => {}
    }
}

/// Registers a Sorumlu or Yetkili in the administrator's province ("Kaydet").
pub fn register_user(
    store: &mut impl PetitionUserStore,
    actor: &Actor,
    draft: UserDraft,
    now: OffsetDateTime,
) -> Result<PetitionUser, DomainError> {
    let own = admin_province(actor)?;
    let mut errors = FieldErrors::new();
    let kind = match draft.kind {
        Some(k) => Some(k),
        None => {
            errors.push(FieldError::new(
                "kind",
                "petition_user.kind_required",
                "Choose desk_officer (Sorumlu) or unit_officer (Yetkili).",
            ));
            None
        }
    };
    let tckn = errors.take("tckn", Tckn::parse(&draft.tckn));
    let first_name = errors.take("first_name", PersonName::parse(&draft.first_name));
    let last_name = errors.take("last_name", PersonName::parse(&draft.last_name));
    let mobile = errors.take("mobile", MobilePhone::parse(&draft.mobile));
    let province = match errors.take("province", ProvinceCode::new(draft.province)) {
        Some(p) if p == own => Some(p),
        Some(_) => {
            errors.push(FieldError::new(
                "province",
                "petition_user.other_province",
                format!("You register users of province {own} only."),
            ));
            None
        }
        None => None,
    };
    if let Some(k) = kind {
        check_kind_scope(&mut errors, k, &draft.districts, &draft.units);
    }
    let districts = match (kind, province) {
        (Some(PetitionUserKind::DeskOfficer), Some(p)) => {
            check_districts(store, &mut errors, p, &draft.districts)?
        }
        _ => Vec::new(),
    };
    let units = match (kind, province) {
        (Some(PetitionUserKind::UnitOfficer), Some(p)) => {
            check_units(store, &mut errors, p, &draft.units)?
        }
        _ => Vec::new(),
    };
    errors.finish()?;
    let (Some(kind), Some(tckn), Some(first_name), Some(last_name), Some(mobile), Some(province)) =
        (kind, tckn, first_name, last_name, mobile, province)
    else {
        return Err(DomainError::internal("validated draft lost a field"));
    };
    store.lock_tckn(&tckn)?;
    if store.find_active_by_tckn(&tckn)?.is_some() {
        return Err(DomainError::conflict(
            "petition_user.already_registered",
            "This person already has an active Açık Kapı registration.",
        ));
    }
    let user = PetitionUser {
        id: PetitionUserId::new(),
        kind,
        tckn,
        first_name,
        last_name,
        mobile,
        province,
        districts,
        units,
        active: true,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    store.insert(&user)?;
    let note = format!("Kaydedildi: {} {}", kind.label(), user.full_name());
    record(store, actor, &user, None, "active", note, now)?;
    Ok(user)
}

/// Validates search criteria and pins them to the administrator's province.
pub fn user_filter(actor: &Actor, q: UserQuery) -> Result<UserFilter, DomainError> {
    let province = admin_province(actor)?;
    let mut errors = FieldErrors::new();
    let blank = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
    let tckn = blank(q.tckn).and_then(|t| errors.take("tckn", Tckn::parse(&t)));
    let unit = blank(q.unit).and_then(|u| errors.take("unit", parse_detsis_no(&u)));
    let mobile = blank(q.mobile).and_then(|m| errors.take("mobile", MobilePhone::parse(&m)));
    errors.finish()?;
    Ok(UserFilter {
        province,
        kind: q.kind,
        tckn,
        unit,
        district: q.district,
        name_key: blank(q.name).map(|n| search_fold(&n)),
        mobile,
        active: q.active.unwrap_or(true),
    })
}

/// "Ara": a page of matching users of the administrator's province.
pub fn search_users(
    store: &mut impl PetitionUserStore,
    actor: &Actor,
    q: UserQuery,
    page: PageRequest,
) -> Result<Page<PetitionUser>, DomainError> {
    let filter = user_filter(actor, q)?;
    store.search(&filter, page)
}

/// "Rapor Al": every matching user, for the Excel list. None → `report.no_records`.
pub fn export_users(
    store: &mut impl PetitionUserStore,
    actor: &Actor,
    q: UserQuery,
) -> Result<(UserFilter, Vec<PetitionUser>), DomainError> {
    let filter = user_filter(actor, q)?;
    let users = store.all_matching(&filter, EXPORT_LIMIT + 1)?;
    if users.is_empty() {
        return Err(DomainError::no_records());
    }
    if users.len() > EXPORT_LIMIT {
        return Err(DomainError::invalid(
            "report.too_many_rows",
            format!("At most {EXPORT_LIMIT} users fit in one list; narrow the criteria."),
        ));
    }
    Ok((filter, users))
}

/// One user of the administrator's province (active or not).
pub fn get_user(
    store: &mut impl PetitionUserStore,
    actor: &Actor,
    id: PetitionUserId,
) -> Result<PetitionUser, DomainError> {
    let province = admin_province(actor)?;
    load_own(store, province, id)
}

/// "Güncelle": names, mobile, districts (Sorumlu) or units (Yetkili). The officer's next
/// request acts with the new scope ([`current_actor`]).
pub fn update_user(
    store: &mut impl PetitionUserStore,
    actor: &Actor,
    id: PetitionUserId,
    change: UserChange,
    if_match: Option<i64>,
    now: OffsetDateTime,
) -> Result<PetitionUser, DomainError> {
    let province = admin_province(actor)?;
    let current = load_own(store, province, id)?;
    if if_match.is_some_and(|v| v != current.version) {
        return Err(DomainError::stale("petition user"));
    }
    if !current.active {
        return Err(DomainError::conflict(
            "petition_user.inactive",
            "This user was deactivated; register the person again instead.",
        ));
    }
    let mut errors = FieldErrors::new();
    let first_name = change
        .first_name
        .and_then(|n| errors.take("first_name", PersonName::parse(&n)));
    let last_name = change
        .last_name
        .and_then(|n| errors.take("last_name", PersonName::parse(&n)));
    let mobile = change
        .mobile
        .and_then(|m| errors.take("mobile", MobilePhone::parse(&m)));
    check_kind_scope(
        &mut errors,
        current.kind,
        change.districts.as_deref().unwrap_or(&[]),
        change.units.as_deref().unwrap_or(match current.kind {
            // A Yetkili who sends no `units` keeps theirs.
            PetitionUserKind::UnitOfficer => &current.units,
            PetitionUserKind::DeskOfficer => &[],
        }),
    );
    let districts = match (&change.districts, current.kind) {
        (Some(d), PetitionUserKind::DeskOfficer) => {
            Some(check_districts(store, &mut errors, province, d)?)
        }
        _ => None,
    };
    let units = match (&change.units, current.kind) {
        (Some(u), PetitionUserKind::UnitOfficer) => {
            Some(check_units(store, &mut errors, province, u)?)
        }
        _ => None,
    };
    errors.finish()?;

    let mut next = current.clone();
    let mut notes = Vec::new();
    if let Some(n) = first_name.filter(|n| *n != current.first_name) {
        notes.push(format!(
            "ad: {} → {}",
            current.first_name.as_str(),
            n.as_str()
        ));
        next.first_name = n;
    }
    if let Some(n) = last_name.filter(|n| *n != current.last_name) {
        notes.push(format!(
            "soyad: {} → {}",
            current.last_name.as_str(),
            n.as_str()
        ));
        next.last_name = n;
    }
    if let Some(m) = mobile.filter(|m| *m != current.mobile) {
        notes.push(format!(
            "cep telefonu: {} → {}",
            current.mobile.masked(),
            m.masked()
        ));
        next.mobile = m;
    }
    let join = |v: &[String]| {
        if v.is_empty() {
            "tümü".to_owned()
        } else {
            v.join(", ")
        }
    };
    if let Some(d) = districts.filter(|d| *d != current.districts) {
        let s = |v: &[i32]| join(&v.iter().map(i32::to_string).collect::<Vec<_>>());
        notes.push(format!("ilçeler: {} → {}", s(&current.districts), s(&d)));
        next.districts = d;
    }
    if let Some(u) = units.filter(|u| *u != current.units) {
        notes.push(format!("birimler: {} → {}", join(&current.units), join(&u)));
        next.units = u;
    }
    if notes.is_empty() {
        return Ok(current);
    }
    next.version = current.version + 1;
    next.updated_at = now;
    if !store.update(&next, current.version)? {
        return Err(DomainError::stale("petition user"));
    }
    let note = format!("Güncellendi: {}", notes.join("; "));
    record(store, actor, &next, Some("active"), "active", note, now)?;
    Ok(next)
}

/// "Sil": the user can no longer log in; the record and its history stay.
pub fn deactivate_user(
    store: &mut impl PetitionUserStore,
    actor: &Actor,
    id: PetitionUserId,
    if_match: Option<i64>,
    now: OffsetDateTime,
) -> Result<PetitionUser, DomainError> {
    let province = admin_province(actor)?;
    let current = load_own(store, province, id)?;
    if if_match.is_some_and(|v| v != current.version) {
        return Err(DomainError::stale("petition user"));
    }
    if !current.active {
        return Err(DomainError::conflict(
            "petition_user.inactive",
            "This user is already deactivated.",
        ));
    }
    let mut next = current.clone();
    next.active = false;
    next.version += 1;
    next.updated_at = now;
    if !store.update(&next, current.version)? {
        return Err(DomainError::stale("petition user"));
    }
    let note = format!("Pasif yapıldı: {}", next.full_name());
    record(store, actor, &next, Some("active"), "inactive", note, now)?;
    Ok(next)
}

/// A user's history, oldest first.
pub fn user_history(
    store: &mut impl PetitionUserStore,
    actor: &Actor,
    id: PetitionUserId,
) -> Result<Vec<HistoryEntry>, DomainError> {
    let province = admin_province(actor)?;
    let user = load_own(store, province, id)?;
    store.history(HISTORY_KIND, &user.id.to_string())
}

/// The one-time-code subject of an officer login.
pub fn login_subject(tckn: &Tckn) -> String {
    format!("petition-officer:{tckn}")
}

/// Login, step one: the active user with this TCKN and this mobile, to whom the code goes.
pub fn officer_for_code(
    store: &mut impl PetitionUserStore,
    tckn: &Tckn,
    mobile: &MobilePhone,
) -> Result<PetitionUser, DomainError> {
    match store.find_active_by_tckn(tckn)? {
        Some(u) if &u.mobile == mobile => Ok(u),
        _ => Err(no_active_user()),
    }
}

/// Login, step two (after the code was verified for `code_sent_to`): the officer as still
/// active now, with the districts / units of now.
pub fn officer_login(
    store: &mut impl PetitionUserStore,
    tckn: &Tckn,
    code_sent_to: &str,
) -> Result<(Actor, PetitionUser), DomainError> {
    match store.find_active_by_tckn(tckn)? {
        Some(u) if u.mobile.as_str() == code_sent_to => Ok((u.actor(), u)),
        _ => Err(no_active_user()),
    }
}

/// The refusal of a token whose officer is no longer active (or no longer the same kind
/// of officer in the same province): the same answer as a deactivated staff account.
pub fn account_inactive() -> DomainError {
    DomainError::unauthenticated(
        "auth.account_inactive",
        "This account has been deactivated.",
    )
}

/// The officer behind a token as the database says now, read again on every request: a
/// deactivated officer is refused at once (`auth.account_inactive`, 401), and one whose
/// districts (Sorumlu) or units (Yetkili) changed acts with the new scope, not the one of
/// login time. A person deactivated and registered again as the other kind (or in another
/// province) is refused too: the token names what they were. Other actors pass through.
pub fn current_actor(
    store: &mut impl PetitionUserStore,
    actor: Actor,
) -> Result<Actor, DomainError> {
    let (tckn, province, kind) = match &actor {
        Actor::DeskOfficer { tckn, province, .. } => {
            (tckn, *province, PetitionUserKind::DeskOfficer)
        }
        Actor::UnitOfficer { tckn, province, .. } => {
            (tckn, *province, PetitionUserKind::UnitOfficer)
        }
        _ => return Ok(actor),
    };
    match store.find_active_by_tckn(tckn)? {
        Some(u) if u.kind == kind && u.province == province => Ok(u.actor()),
        _ => Err(account_inactive()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kapi_core::{ErrorKind, StaffAccountId};
    use std::collections::BTreeMap;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-12-01 10:00 UTC);
    const AYSE: &str = "10000000146";
    const MEHMET: &str = "12345678950";

    #[derive(Default)]
    struct Fake {
        users: BTreeMap<PetitionUserId, PetitionUser>,
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

    impl PetitionUserStore for Fake {
        fn lock_tckn(&mut self, _: &Tckn) -> Result<(), DomainError> {
            Ok(())
        }
        fn district_province(&mut self, d: i32) -> Result<Option<i32>, DomainError> {
            // Ankara 6001–6025, İstanbul 34001–34039.
            Ok(match d {
                6001..=6025 => Some(6),
                34001..=34039 => Some(34),
                _ => None,
            })
        }
        fn unit_scope(&mut self, no: &str) -> Result<UnitScope, DomainError> {
            Ok(match no {
                "55481037" | "30005480" => UnitScope::Province(6),
                "30014659" => UnitScope::Province(34),
                "30000137" => UnitScope::National,
                _ => UnitScope::Unknown,
            })
        }
        fn get(&mut self, id: PetitionUserId) -> Result<Option<PetitionUser>, DomainError> {
            Ok(self.users.get(&id).cloned())
        }
        fn find_active_by_tckn(&mut self, t: &Tckn) -> Result<Option<PetitionUser>, DomainError> {
            Ok(self
                .users
                .values()
                .find(|u| u.active && &u.tckn == t)
                .cloned())
        }
        fn insert(&mut self, u: &PetitionUser) -> Result<(), DomainError> {
            self.users.insert(u.id, u.clone());
            Ok(())
        }
        fn update(&mut self, u: &PetitionUser, expected: i64) -> Result<bool, DomainError> {
            match self.users.get_mut(&u.id) {
                Some(row) if row.version == expected => {
                    *row = u.clone();
                    Ok(true)
                }
                _ => Ok(false),
            }
        }
        fn search(
            &mut self,
            f: &UserFilter,
            page: PageRequest,
        ) -> Result<Page<PetitionUser>, DomainError> {
            let all = self.all_matching(f, usize::MAX)?;
            let total = all.len() as u64;
            let items = all
                .into_iter()
                .skip(page.offset() as usize)
                .take(page.limit() as usize)
                .collect();
            Ok(Page::new(items, page, total))
        }
        fn all_matching(
            &mut self,
            f: &UserFilter,
            limit: usize,
        ) -> Result<Vec<PetitionUser>, DomainError> {
            let mut v: Vec<PetitionUser> = self
                .users
                .values()
                .filter(|u| f.matches(u))
                .cloned()
                .collect();
            v.sort_by_key(|u| (u.kind.as_str(), u.name_key(), u.id));
            v.truncate(limit);
            Ok(v)
        }
    }

    fn admin(province: i64) -> Actor {
        Actor::ProvinceAdmin {
            account_id: StaffAccountId::new(),
            province: ProvinceCode::new(province).unwrap(),
        }
    }

    fn desk(tckn: &str, districts: &[i32]) -> UserDraft {
        UserDraft {
            kind: Some(PetitionUserKind::DeskOfficer),
            tckn: tckn.into(),
            first_name: "Ayşe".into(),
            last_name: "Yılmaz".into(),
            mobile: "0532 100 00 01".into(),
            province: 6,
            districts: districts.to_vec(),
            units: vec![],
        }
    }

    fn unit(tckn: &str, units: &[&str]) -> UserDraft {
        UserDraft {
            kind: Some(PetitionUserKind::UnitOfficer),
            tckn: tckn.into(),
            first_name: "İbrahim".into(),
            last_name: "Öztürk".into(),
            mobile: "5321000004".into(),
            province: 6,
            districts: vec![],
            units: units.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn codes(e: &DomainError) -> Vec<(String, String)> {
        e.fields
            .iter()
            .map(|f| (f.field.clone(), f.code.to_string()))
            .collect()
    }

    #[test]
    fn registers_a_desk_officer_with_sorted_unique_districts() {
        let mut f = Fake::default();
        let u = register_user(&mut f, &admin(6), desk(AYSE, &[6007, 6002, 6007]), NOW).unwrap();
        assert_eq!(u.districts, vec![6002, 6007]);
        assert_eq!(u.mobile.as_str(), "5321000001");
        assert_eq!((u.active, u.version), (true, 1));
        assert_eq!(u.name_key(), "ayse yilmaz");
        let none = register_user(&mut f, &admin(6), desk(MEHMET, &[]), NOW).unwrap();
        assert!(none.districts.is_empty());
        assert_eq!(f.log.len(), 2);
        assert_eq!(
            f.log[0].note.as_deref(),
            Some("Kaydedildi: Sorumlu Ayşe Yılmaz")
        );
    }

    #[test]
    fn every_invalid_field_at_once() {
        let mut f = Fake::default();
        let draft = UserDraft {
            kind: Some(PetitionUserKind::DeskOfficer),
            tckn: "10000000147".into(),
            first_name: "A".into(),
            last_name: "Yılmaz".into(),
            mobile: "0312 123 45 67".into(),
            province: 6,
            districts: vec![34001, 99999, 6001],
            units: vec!["55481037".into()],
        };
        let e = register_user(&mut f, &admin(6), draft, NOW).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Invalid);
        assert_eq!(
            codes(&e),
            vec![
                ("tckn".into(), "tckn.checksum".into()),
                ("first_name".into(), "name.too_short".into()),
                ("mobile".into(), "phone.format".into()),
                ("units".into(), "petition_user.units_not_allowed".into()),
                (
                    "districts[0]".into(),
                    "petition_user.district_other_province".into()
                ),
                ("districts[1]".into(), "district.unknown".into()),
            ]
        );
        assert!(f.users.is_empty());
    }

    #[test]
    fn unit_officers_need_units_of_the_province_or_national_ones() {
        let mut f = Fake::default();
        let u = register_user(
            &mut f,
            &admin(6),
            unit(AYSE, &["55481037", "30000137"]),
            NOW,
        )
        .unwrap();
        assert_eq!(u.units, vec!["30000137", "55481037"]);
        let e = register_user(&mut f, &admin(6), unit(MEHMET, &[]), NOW).unwrap_err();
        assert_eq!(
            codes(&e),
            vec![("units".into(), "petition_user.units_required".into())]
        );
        let e = register_user(
            &mut f,
            &admin(6),
            unit(MEHMET, &["30014659", "1234", "99999999"]),
            NOW,
        )
        .unwrap_err();
        assert_eq!(
            codes(&e),
            vec![
                (
                    "units[0]".into(),
                    "petition_user.unit_other_province".into()
                ),
                ("units[1]".into(), "detsis.format".into()),
                ("units[2]".into(), "detsis.unknown".into()),
            ]
        );
        let mut d = unit(MEHMET, &["55481037"]);
        d.districts = vec![6001];
        let e = register_user(&mut f, &admin(6), d, NOW).unwrap_err();
        assert_eq!(e.fields[0].code, "petition_user.districts_not_allowed");
    }

    #[test]
    fn one_active_registration_per_person() {
        let mut f = Fake::default();
        let u = register_user(&mut f, &admin(6), desk(AYSE, &[]), NOW).unwrap();
        let e = register_user(&mut f, &admin(6), unit(AYSE, &["55481037"]), NOW).unwrap_err();
        assert_eq!(
            (e.kind, e.code.as_ref()),
            (ErrorKind::Conflict, "petition_user.already_registered")
        );
        deactivate_user(&mut f, &admin(6), u.id, Some(1), NOW).unwrap();
        register_user(&mut f, &admin(6), unit(AYSE, &["55481037"]), NOW).unwrap();
    }

    #[test]
    fn only_the_province_admin_and_only_their_province() {
        let mut f = Fake::default();
        let u = register_user(&mut f, &admin(6), desk(AYSE, &[6001]), NOW).unwrap();
        let others = [
            Actor::SystemAdmin {
                account_id: StaffAccountId::new(),
            },
            Actor::Citizen {
                tckn: Tckn::parse(AYSE).unwrap(),
            },
            u.actor(),
        ];
        for a in &others {
            let e = register_user(&mut f, a, desk(MEHMET, &[]), NOW).unwrap_err();
            assert_eq!(
                (e.kind, e.code.as_ref()),
                (ErrorKind::Forbidden, "petition_user.admin_only")
            );
            assert_eq!(
                get_user(&mut f, a, u.id).unwrap_err().kind,
                ErrorKind::Forbidden
            );
        }
        let istanbul = admin(34);
        let e = get_user(&mut f, &istanbul, u.id).unwrap_err();
        assert_eq!(
            (e.kind, e.code.as_ref()),
            (ErrorKind::NotFound, "petition_user.not_found")
        );
        for e in [
            update_user(&mut f, &istanbul, u.id, UserChange::default(), None, NOW).unwrap_err(),
            deactivate_user(&mut f, &istanbul, u.id, None, NOW).unwrap_err(),
            user_history(&mut f, &istanbul, u.id).unwrap_err(),
        ] {
            assert_eq!(e.kind, ErrorKind::NotFound);
        }
        let e = register_user(&mut f, &istanbul, desk(MEHMET, &[]), NOW).unwrap_err();
        assert_eq!(
            codes(&e),
            vec![("province".into(), "petition_user.other_province".into())]
        );
        let p = search_users(
            &mut f,
            &istanbul,
            UserQuery::default(),
            PageRequest::first(),
        )
        .unwrap();
        assert_eq!(p.total, 0);
    }

    #[test]
    fn search_by_each_criterion() {
        let mut f = Fake::default();
        let a = register_user(&mut f, &admin(6), desk(AYSE, &[6002, 6007]), NOW).unwrap();
        let b = register_user(&mut f, &admin(6), unit(MEHMET, &["55481037"]), NOW).unwrap();
        let find = |f: &mut Fake, q: UserQuery| -> Vec<PetitionUserId> {
            search_users(f, &admin(6), q, PageRequest::first())
                .unwrap()
                .items
                .into_iter()
                .map(|u| u.id)
                .collect()
        };
        assert_eq!(find(&mut f, UserQuery::default()), vec![a.id, b.id]);
        let q = |f: fn(&mut UserQuery)| {
            let mut q = UserQuery::default();
            f(&mut q);
            q
        };
        assert_eq!(
            find(&mut f, q(|q| q.kind = Some(PetitionUserKind::UnitOfficer))),
            vec![b.id]
        );
        assert_eq!(find(&mut f, q(|q| q.tckn = Some(AYSE.into()))), vec![a.id]);
        assert_eq!(
            find(&mut f, q(|q| q.unit = Some("55481037".into()))),
            vec![b.id]
        );
        assert_eq!(find(&mut f, q(|q| q.district = Some(6007))), vec![a.id]);
        assert_eq!(
            find(&mut f, q(|q| q.name = Some("OZTURK".into()))),
            vec![b.id]
        );
        assert_eq!(
            find(&mut f, q(|q| q.name = Some("ayşe yıl".into()))),
            vec![a.id]
        );
        assert_eq!(
            find(&mut f, q(|q| q.mobile = Some("+90 532 100 00 01".into()))),
            vec![a.id]
        );
        assert!(find(&mut f, q(|q| q.active = Some(false))).is_empty());
        let e = search_users(
            &mut f,
            &admin(6),
            q(|q| q.tckn = Some("123".into())),
            PageRequest::first(),
        )
        .unwrap_err();
        assert_eq!(e.fields[0].field, "tckn");
    }

    #[test]
    fn update_checks_the_version_and_the_scope_rules() {
        let mut f = Fake::default();
        let u = register_user(&mut f, &admin(6), desk(AYSE, &[6002]), NOW).unwrap();
        let change = UserChange {
            first_name: Some("Ayşe Nur".into()),
            districts: Some(vec![6001]),
            ..Default::default()
        };
        let e = update_user(&mut f, &admin(6), u.id, change.clone(), Some(5), NOW).unwrap_err();
        assert_eq!(e.kind, ErrorKind::PreconditionFailed);
        let next = update_user(&mut f, &admin(6), u.id, change, Some(1), NOW).unwrap();
        assert_eq!((next.version, next.districts.clone()), (2, vec![6001]));
        assert_eq!(next.first_name.as_str(), "Ayşe Nur");
        let e = update_user(
            &mut f,
            &admin(6),
            u.id,
            UserChange {
                units: Some(vec!["55481037".into()]),
                mobile: Some("123".into()),
                ..Default::default()
            },
            None,
            NOW,
        )
        .unwrap_err();
        assert_eq!(
            codes(&e),
            vec![
                ("mobile".into(), "phone.format".into()),
                ("units".into(), "petition_user.units_not_allowed".into())
            ]
        );
        // No change: same version, no history line.
        let same = update_user(&mut f, &admin(6), u.id, UserChange::default(), None, NOW).unwrap();
        assert_eq!(same.version, 2);
        let h = user_history(&mut f, &admin(6), u.id).unwrap();
        assert_eq!(h.len(), 2);
        assert_eq!(
            h[1].note.as_deref(),
            Some("Güncellendi: ad: Ayşe → Ayşe Nur; ilçeler: 6002 → 6001")
        );

        let y = register_user(&mut f, &admin(6), unit(MEHMET, &["55481037"]), NOW).unwrap();
        let e = update_user(
            &mut f,
            &admin(6),
            y.id,
            UserChange {
                units: Some(vec![]),
                ..Default::default()
            },
            None,
            NOW,
        )
        .unwrap_err();
        assert_eq!(e.fields[0].code, "petition_user.units_required");
        let y2 = update_user(
            &mut f,
            &admin(6),
            y.id,
            UserChange {
                last_name: Some("Öztürk Kaya".into()),
                ..Default::default()
            },
            None,
            NOW,
        )
        .unwrap();
        assert_eq!(y2.units, vec!["55481037"]);
    }

    #[test]
    fn deactivation_keeps_history_and_ends_logins() {
        let mut f = Fake::default();
        let u = register_user(&mut f, &admin(6), unit(AYSE, &["55481037"]), NOW).unwrap();
        let tckn = Tckn::parse(AYSE).unwrap();
        let mobile = MobilePhone::parse("5321000004").unwrap();
        assert_eq!(officer_for_code(&mut f, &tckn, &mobile).unwrap().id, u.id);
        let wrong = MobilePhone::parse("5321000009").unwrap();
        let e = officer_for_code(&mut f, &tckn, &wrong).unwrap_err();
        assert_eq!(
            (e.kind, e.code.as_ref(), e.message.as_str()),
            (
                ErrorKind::NotFound,
                "petition_user.not_found",
                "Aktif Kullanıcı Bulunamadı"
            )
        );
        let (actor, _) = officer_login(&mut f, &tckn, "5321000004").unwrap();
        assert_eq!(
            actor,
            Actor::UnitOfficer {
                tckn: tckn.clone(),
                province: ProvinceCode::new(6).unwrap(),
                units: vec!["55481037".into()]
            }
        );
        assert!(officer_login(&mut f, &tckn, "5321000009").is_err());
        let gone = deactivate_user(&mut f, &admin(6), u.id, None, NOW).unwrap();
        assert!(!gone.active);
        assert_eq!(status_of(&gone), "inactive");
        assert!(officer_for_code(&mut f, &tckn, &mobile).is_err());
        assert!(officer_login(&mut f, &tckn, "5321000004").is_err());
        let e = deactivate_user(&mut f, &admin(6), u.id, None, NOW).unwrap_err();
        assert_eq!(e.code, "petition_user.inactive");
        let h = user_history(&mut f, &admin(6), u.id).unwrap();
        let states: Vec<_> = h
            .iter()
            .map(|e| (e.from_state.as_deref(), e.to_state.as_str()))
            .collect();
        assert_eq!(states, vec![(None, "active"), (Some("active"), "inactive")]);
        let p = search_users(
            &mut f,
            &admin(6),
            UserQuery {
                active: Some(false),
                ..Default::default()
            },
            PageRequest::first(),
        )
        .unwrap();
        assert_eq!(p.total, 1);
    }

    #[test]
    fn a_token_acts_with_the_officer_as_stored_now() {
        let mut f = Fake::default();
        let u = register_user(&mut f, &admin(6), unit(AYSE, &["55481037"]), NOW).unwrap();
        let token = u.actor();
        assert_eq!(current_actor(&mut f, token.clone()).unwrap(), token);
        // Moved to another unit: the old token carries the new unit only.
        update_user(
            &mut f,
            &admin(6),
            u.id,
            UserChange {
                units: Some(vec!["30000137".into()]),
                ..Default::default()
            },
            None,
            NOW,
        )
        .unwrap();
        assert_eq!(
            current_actor(&mut f, token.clone()).unwrap(),
            Actor::UnitOfficer {
                tckn: Tckn::parse(AYSE).unwrap(),
                province: ProvinceCode::new(6).unwrap(),
                units: vec!["30000137".into()],
            }
        );
        // Deactivated: refused.
        deactivate_user(&mut f, &admin(6), u.id, None, NOW).unwrap();
        let e = current_actor(&mut f, token.clone()).unwrap_err();
        assert_eq!(
            (e.kind, e.code.as_ref()),
            (ErrorKind::Unauthenticated, "auth.account_inactive")
        );
        // Registered again as a Sorumlu: the Yetkili's token stays refused, a Sorumlu's works.
        let d = register_user(&mut f, &admin(6), desk(AYSE, &[6001]), NOW).unwrap();
        assert!(current_actor(&mut f, token).is_err());
        assert_eq!(current_actor(&mut f, d.actor()).unwrap(), d.actor());
        // Other actors pass through untouched.
        let citizen = Actor::Citizen {
            tckn: Tckn::parse(MEHMET).unwrap(),
        };
        assert_eq!(current_actor(&mut f, citizen.clone()).unwrap(), citizen);
    }

    #[test]
    fn export_without_rows_is_no_records() {
        let mut f = Fake::default();
        let e = export_users(&mut f, &admin(6), UserQuery::default()).unwrap_err();
        assert_eq!(
            (e.kind, e.code.as_ref()),
            (ErrorKind::NotFound, "report.no_records")
        );
        register_user(&mut f, &admin(6), desk(AYSE, &[]), NOW).unwrap();
        let (filter, rows) = export_users(&mut f, &admin(6), UserQuery::default()).unwrap();
        assert_eq!((filter.active, rows.len()), (true, 1));
    }

    #[test]
    fn names_are_bounded() {
        assert_eq!(
            PersonName::parse("  Ayşe   Nur ").unwrap().as_str(),
            "Ayşe Nur"
        );
        assert_eq!(
            PersonName::parse(&"ş".repeat(50))
                .unwrap()
                .as_str()
                .chars()
                .count(),
            50
        );
        assert_eq!(
            PersonName::parse(&"a".repeat(51)).unwrap_err().code,
            "name.too_long"
        );
        assert_eq!(PersonName::parse("Ali1").unwrap_err().code, "name.invalid");
        assert_eq!(
            login_subject(&Tckn::parse(AYSE).unwrap()),
            "petition-officer:10000000146"
        );
    }
}
