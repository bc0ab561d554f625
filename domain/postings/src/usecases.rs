//! The posting use cases: who may do what to which posting — DOMAIN.md §1.
//!
//! Scope is decided here, not in handlers:
//! - **anyone**, without logging in, lists and opens **active** postings (published, today
//!   inside the window, Istanbul dates);
//! - **any logged-in actor** (a candidate above all) also lists and opens the **archive**
//!   (published, the window closed);
//! - the **HR staff of the institution** (kurum) sees every posting of their institution in
//!   any status (drafts, upcoming, cancelled) and is the only one who creates, changes,
//!   publishes, cancels a posting or reads its history.
//!
//! A posting outside the caller's scope is "not found" (404), never "forbidden", so the
//! existence of another institution's draft does not leak. Every change is appended to the
//! history with the status code (`to_state`) and the Turkish text users know (`note`).
//!
//! Choices the manuals leave open, written down here:
//! - a published posting whose window has not opened yet (upcoming) is seen only by its
//!   institution: the public lists know only active and archived postings;
//! - a cancelled posting is seen only by its institution;
//! - the `status` filter exists only in the institution's own list (`Own`); the public and
//!   archive lists are published postings by definition.

use crate::posting::{EmploymentType, Posting, PostingInput, PostingReference, PostingStatus};
use kapi_core::{
    clean_text, end_of_istanbul_day, istanbul_date_of, search_fold, Actor, DomainError, FieldError,
    FieldErrors, HistoryEntry, HistoryLog, InstitutionId, Page, PageRequest, PostingId,
    ProvinceCode,
};
use time::{Date, OffsetDateTime};

pub const HISTORY_KIND: &str = "posting";

/// Most keyword words a search takes; more would only slow the query down.
pub const MAX_KEYWORD_WORDS: usize = 10;
/// Longest free-text criterion (keyword, position) accepted.
pub const MAX_SEARCH_TEXT: usize = 200;

/// Which postings a query runs over (after scope was decided).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Published and `starts_on ≤ today ≤ ends_on`.
    Active,
    /// Published and `ends_on < today`.
    Archive,
    /// Every posting of the institution, any status.
    Own(InstitutionId),
}

/// Which list the caller asks for (`?view=`); [`search_postings`] turns it into a [`View`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Listing {
    #[default]
    Active,
    Archive,
    /// The caller's institution's postings (institution staff only).
    Own,
}

/// The filters as the caller gives them (raw text; folded by [`search_postings`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostingFilters {
    pub institution_id: Option<InstitutionId>,
    pub province: Option<ProvinceCode>,
    /// Part of a sub-posting's title (Turkish fold).
    pub position: Option<String>,
    /// Code of `/reference/education-levels`.
    pub education_level: Option<String>,
    pub employment_type: Option<EmploymentType>,
    /// Words that must all occur in the posting (title, institution, texts, positions).
    pub keyword: Option<String>,
    /// Only with [`Listing::Own`].
    pub status: Option<PostingStatus>,
}

/// The query the store runs. The sub-posting criteria (province, position, education level,
/// employment type) must all hold for the **same** sub-posting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostingQuery {
    pub view: View,
    pub institution_id: Option<InstitutionId>,
    pub province: Option<ProvinceCode>,
    /// Folded; contained in the folded sub-posting title.
    pub position: Option<String>,
    pub education_level: Option<String>,
    pub employment_type: Option<EmploymentType>,
    /// Folded words, each contained in [`Posting::keyword_text`].
    pub keyword_words: Vec<String>,
    /// Today in Istanbul: what "active" and "archive" are measured against.
    pub today: Date,
    pub status: Option<PostingStatus>,
}

impl PostingQuery {
    /// Whether a sub-posting criterion is given (the store then needs the positions).
    pub fn has_position_criteria(&self) -> bool {
        self.province.is_some()
            || self.position.is_some()
            || self.education_level.is_some()
            || self.employment_type.is_some()
    }

    /// The query's meaning, on one posting: what every store implements (in SQL) and the
    /// in-memory fakes use directly.
    pub fn matches(&self, p: &Posting) -> bool {
        let in_view = match self.view {
            View::Active => {
                p.status == PostingStatus::Published
                    && p.starts_on <= self.today
                    && self.today <= p.ends_on
            }
            View::Archive => p.status == PostingStatus::Published && p.ends_on < self.today,
            View::Own(i) => p.institution_id == i,
        };
        if !in_view {
            return false;
        }
        if self.status.is_some_and(|s| s != p.status) {
            return false;
        }
        if self.institution_id.is_some_and(|i| i != p.institution_id) {
            return false;
        }
        if self.has_position_criteria()
            && !p.sub_postings.iter().any(|s| {
                self.province.is_none_or(|x| x == s.province)
                    && self
                        .position
                        .as_deref()
                        .is_none_or(|x| search_fold(&s.title).contains(x))
                    && self
                        .education_level
                        .as_deref()
                        .is_none_or(|x| x == s.education_level)
                    && self.employment_type.is_none_or(|x| x == s.employment_type)
            })
        {
            return false;
        }
        let key = p.keyword_text();
        self.keyword_words.iter().all(|w| key.contains(w.as_str()))
    }
}

/// Storage of postings. Runs inside one transaction; also writes the history.
pub trait PostingStore: HistoryLog + PostingReference {
    /// The next posting number (a locked per-kind counter: never a duplicate).
    fn next_posting_no(&mut self) -> Result<i64, DomainError>;
    fn institution_name(&mut self, id: InstitutionId) -> Result<Option<String>, DomainError>;
    fn insert(&mut self, p: &Posting) -> Result<(), DomainError>;
    fn get(&mut self, id: PostingId) -> Result<Option<Posting>, DomainError>;
    /// `p.version` is already the new version; `false` when the stored version is not
    /// `expected`.
    fn update(&mut self, p: &Posting, expected: i64) -> Result<bool, DomainError>;
    /// Matches of `q`, highest posting number first.
    fn search(&mut self, q: &PostingQuery, page: PageRequest)
        -> Result<Page<Posting>, DomainError>;
}

pub fn not_found() -> DomainError {
    DomainError::not_found("posting.not_found", "No such posting.")
}

fn institution_only() -> DomainError {
    DomainError::forbidden(
        "posting.institution_only",
        "Only the human-resources staff of a public institution does this.",
    )
}

/// The institution an actor works for, when they are institution HR staff.
pub fn staff_institution(actor: &Actor) -> Option<InstitutionId> {
    match actor {
        Actor::InstitutionStaff { institution_id, .. } => Some(*institution_id),
        _ => None,
    }
}

/// Whether `actor` (`None`: anonymous) may see `p` at `now`: anyone an active posting, any
/// logged-in actor an archived one too, the posting's own institution every one.
pub fn can_see(actor: Option<&Actor>, p: &Posting, now: OffsetDateTime) -> bool {
    if actor
        .and_then(staff_institution)
        .is_some_and(|i| i == p.institution_id)
    {
        return true;
    }
    match actor {
        None => p.is_active(now),
        Some(_) => p.is_active(now) || p.is_archived(now),
    }
}

/// A posting of the actor's own institution, or 404.
fn own(
    store: &mut impl PostingStore,
    actor: &Actor,
    id: PostingId,
) -> Result<Posting, DomainError> {
    let Some(institution) = staff_institution(actor) else {
        return Err(not_found());
    };
    match store.get(id)? {
        Some(p) if p.institution_id == institution => Ok(p),
        _ => Err(not_found()),
    }
}

fn check_version(p: &Posting, expected: Option<i64>) -> Result<(), DomainError> {
    match expected {
        Some(v) if v != p.version => Err(DomainError::stale("posting")),
        _ => Ok(()),
    }
}

fn save(
    store: &mut impl PostingStore,
    p: &mut Posting,
    expected: Option<i64>,
) -> Result<(), DomainError> {
    check_version(p, expected)?;
    let before = p.version;
    p.version += 1;
    if !store.update(p, before)? {
        return Err(DomainError::stale("posting"));
    }
    Ok(())
}

fn record(
    store: &mut impl HistoryLog,
    p: &Posting,
    actor: &Actor,
    from: Option<PostingStatus>,
    note: String,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    store.append(&HistoryEntry {
        resource_kind: HISTORY_KIND.into(),
        resource_id: p.id.to_string(),
        at: now,
        actor: actor.audit_label(),
        from_state: from.map(|s| s.as_str().to_owned()),
        to_state: p.status.as_str().to_owned(),
        note: Some(note),
    })
}

/// A business rule refusing the request, named after one field: the problem's `code` and the
/// field's code are the same, so clients can match either.
fn rule(field: &str, code: &'static str, message: &str) -> DomainError {
    let mut e = DomainError::invalid(code, message.to_owned());
    e.fields = vec![FieldError::new(field, code, message.to_owned())];
    e
}

/// Refuses changes once the posting is cancelled or its placement has been published.
fn ensure_changeable(p: &Posting) -> Result<(), DomainError> {
    if p.status == PostingStatus::Cancelled {
        return Err(DomainError::conflict(
            "posting.cancelled",
            "The posting is cancelled; it can no longer change.",
        ));
    }
    if p.placement_published_at.is_some() {
        return Err(DomainError::conflict(
            "posting.placement_published",
            "The placement of this posting is published; it can no longer change.",
        ));
    }
    Ok(())
}

/// The institution's HR staff drafts a posting. It gets its posting number at once and
/// stays invisible to everyone else until published.
pub fn create_posting(
    store: &mut impl PostingStore,
    actor: &Actor,
    input: PostingInput,
    now: OffsetDateTime,
) -> Result<Posting, DomainError> {
    let institution_id = staff_institution(actor).ok_or_else(institution_only)?;
    let content = input.validate(store, now, None)?;
    let institution_name = store
        .institution_name(institution_id)?
        .ok_or_else(|| DomainError::internal("the staff account's institution is missing"))?;
    let p = Posting {
        id: PostingId::new(),
        posting_no: store.next_posting_no()?,
        institution_id,
        institution_name,
        title: content.title,
        main_text: content.main_text,
        starts_on: content.starts_on,
        ends_on: content.ends_on,
        status: PostingStatus::Draft,
        cancel_reason: None,
        cancelled_at: None,
        published_at: None,
        sub_postings: content.sub_postings,
        stages: content.stages,
        placement_published_at: None,
        created_at: now,
        version: 1,
    };
    store.insert(&p)?;
    record(store, &p, actor, None, "İlan Oluşturuldu".into(), now)?;
    Ok(p)
}

/// The institution replaces the posting's content: freely while a draft; once published
/// only what [`Posting::check_published_edit`] allows. An end date that has passed is refused
/// only when it is new: after the window has closed the posting can still be edited (stages
/// rescheduled, exam places changed) as long as its end date stays.
pub fn replace_posting(
    store: &mut impl PostingStore,
    actor: &Actor,
    id: PostingId,
    input: PostingInput,
    expected: Option<i64>,
    now: OffsetDateTime,
) -> Result<Posting, DomainError> {
    let mut p = own(store, actor, id)?;
    ensure_changeable(&p)?;
    check_version(&p, expected)?;
    // The end date is re-checked against today only when it changes.
    let content = input.validate(store, now, Some(p.ends_on))?;
    if p.status == PostingStatus::Published {
        p.check_published_edit(&content)?;
    }
    p.apply(content);
    save(store, &mut p, expected)?;
    let status = p.status;
    record(
        store,
        &p,
        actor,
        Some(status),
        "İlan Güncellendi".into(),
        now,
    )?;
    Ok(p)
}

/// The institution publishes a draft: it needs at least one stage, an end date not yet
/// passed, and every stage after the window.
pub fn publish_posting(
    store: &mut impl PostingStore,
    actor: &Actor,
    id: PostingId,
    expected: Option<i64>,
    now: OffsetDateTime,
) -> Result<Posting, DomainError> {
    let mut p = own(store, actor, id)?;
    if p.status != PostingStatus::Draft {
        return Err(DomainError::conflict(
            "posting.not_draft",
            "Only a draft is published.",
        ));
    }
    check_version(&p, expected)?;
    if p.stages.is_empty() {
        return Err(rule(
            "stages",
            "posting.no_stages",
            "A posting declares at least one evaluation stage before it is published.",
        ));
    }
    if p.ends_on < istanbul_date_of(now) {
        return Err(rule(
            "ends_on",
            "posting.window_ended",
            "The application window has already ended; move the end date first.",
        ));
    }
    let window_end = end_of_istanbul_day(p.ends_on);
    let mut errors = FieldErrors::new();
    for (i, s) in p.stages.iter().enumerate() {
        if s.starts_at <= window_end {
            errors.push(FieldError::new(
                format!("stages[{i}].starts_at"),
                "stage.before_window_end",
                "A stage starts after the application window has closed.",
            ));
        }
    }
    errors.finish()?;
    p.status = PostingStatus::Published;
    p.published_at = Some(now);
    save(store, &mut p, expected)?;
    record(
        store,
        &p,
        actor,
        Some(PostingStatus::Draft),
        "İlan Yayımlandı".into(),
        now,
    )?;
    Ok(p)
}

/// The institution cancels a draft or a published posting, with a reason (5–500
/// characters) the candidates see.
pub fn cancel_posting(
    store: &mut impl PostingStore,
    actor: &Actor,
    id: PostingId,
    reason: &str,
    expected: Option<i64>,
    now: OffsetDateTime,
) -> Result<Posting, DomainError> {
    let mut p = own(store, actor, id)?;
    ensure_changeable(&p)?;
    check_version(&p, expected)?;
    let reason = clean_text("reason", reason, 5, 500)?;
    let from = p.status;
    p.status = PostingStatus::Cancelled;
    p.cancel_reason = Some(reason.clone());
    p.cancelled_at = Some(now);
    save(store, &mut p, expected)?;
    record(
        store,
        &p,
        actor,
        Some(from),
        format!("İlan İptal Edildi: {reason}"),
        now,
    )?;
    Ok(p)
}

/// One posting as `actor` (`None`: anonymous) may see it at `now` ([`can_see`]), or 404.
pub fn get_posting(
    store: &mut impl PostingStore,
    actor: Option<&Actor>,
    id: PostingId,
    now: OffsetDateTime,
) -> Result<Posting, DomainError> {
    match store.get(id)? {
        Some(p) if can_see(actor, &p, now) => Ok(p),
        _ => Err(not_found()),
    }
}

fn folded_text(errors: &mut FieldErrors, field: &str, raw: Option<&str>) -> Option<String> {
    let folded = search_fold(raw?);
    if folded.is_empty() {
        return None;
    }
    if folded.chars().count() > MAX_SEARCH_TEXT {
        errors.push(FieldError::new(
            field,
            "search.text_length",
            format!("At most {MAX_SEARCH_TEXT} characters."),
        ));
        return None;
    }
    Some(folded)
}

/// The query for `listing` as `actor` may run it: `active` for anyone, `archive` for any
/// logged-in actor (401 `auth.required` otherwise), `own` for institution staff only (403
/// `posting.institution_only`).
pub fn posting_query(
    actor: Option<&Actor>,
    listing: Listing,
    filters: PostingFilters,
    now: OffsetDateTime,
) -> Result<PostingQuery, DomainError> {
    let view = match listing {
        Listing::Active => View::Active,
        Listing::Archive => {
            if actor.is_none() {
                return Err(DomainError::unauthenticated(
                    "auth.required",
                    "The archive of postings is for logged-in users; log in first.",
                ));
            }
            View::Archive
        }
        Listing::Own => View::Own(
            actor
                .and_then(staff_institution)
                .ok_or_else(institution_only)?,
        ),
    };
    let mut errors = FieldErrors::new();
    if filters.status.is_some() && !matches!(view, View::Own(_)) {
        errors.push(FieldError::new(
            "status",
            "posting.status_filter_own_only",
            "The status filter is for view=own; active and archive postings are published.",
        ));
    }
    let position = folded_text(&mut errors, "position", filters.position.as_deref());
    let keyword = folded_text(&mut errors, "keyword", filters.keyword.as_deref());
    let mut keyword_words: Vec<String> = Vec::new();
    for w in keyword.iter().flat_map(|k| k.split(' ')) {
        if !keyword_words.iter().any(|x| x == w) {
            keyword_words.push(w.to_owned());
        }
    }
    if keyword_words.len() > MAX_KEYWORD_WORDS {
        errors.push(FieldError::new(
            "keyword",
            "search.too_many_words",
            format!("At most {MAX_KEYWORD_WORDS} words."),
        ));
    }
    errors.finish()?;
    Ok(PostingQuery {
        view,
        institution_id: filters.institution_id,
        province: filters.province,
        position,
        education_level: filters
            .education_level
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty()),
        employment_type: filters.employment_type,
        keyword_words,
        today: istanbul_date_of(now),
        status: filters.status,
    })
}

/// Lists postings ([`posting_query`] decides who may see which list), highest posting
/// number first.
pub fn search_postings(
    store: &mut impl PostingStore,
    actor: Option<&Actor>,
    listing: Listing,
    filters: PostingFilters,
    page: PageRequest,
    now: OffsetDateTime,
) -> Result<Page<Posting>, DomainError> {
    let q = posting_query(actor, listing, filters, now)?;
    store.search(&q, page)
}

/// The posting's history ("İşlem Hareketleri"), oldest first: its institution only.
pub fn posting_history(
    store: &mut impl PostingStore,
    actor: &Actor,
    id: PostingId,
) -> Result<Vec<HistoryEntry>, DomainError> {
    let p = own(store, actor, id)?;
    store.history(HISTORY_KIND, &p.id.to_string())
}

#[cfg(test)]
mod tests;
