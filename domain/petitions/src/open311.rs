//! Açık Kapı as an Open311 GeoReport v2 service: what an integrator's client may send and
//! what anyone may read.
//!
//! - **Services** are the service sub-headings (hizmet alt başlıkları). A sub-heading's code
//!   is unique across headings, so it alone names the heading pair the petition gets.
//! - **Submitting** goes through the citizen form's pipeline: the identity check of the
//!   online form against the registry (TCKN, first name, surname, the first and last letter
//!   of the mother's maiden surname, mobile — [`crate::usecases::check_identity`]), the same
//!   form checks, the pool of the subject address's provincial desk, the history and the
//!   SMS with the tracking number. The online form's SMS code is replaced by the
//!   integrator's API key: the integrator vouches for having identified the citizen, so the
//!   petition's channel is `integrator` and its history names the integrator. Attachments
//!   are not taken (Open311's `media_url` would make Kapı fetch URLs on a stranger's word).
//! - **Reading** is public and carries nothing personal: the tracking number, open/closed
//!   with the status text users know, the service, the agency handling it (the province's
//!   desk, or the units it is routed to), when it arrived and last changed, the answer
//!   deadline of its open routings, and the district and province of the subject address.
//!   Never the citizen's identity, contact, open address or petition text (free text that
//!   may name people), nor the units' answers or the reply letter.
//! - **Lists** cover at most [`WINDOW_DAYS`] days of arrival — the last 90 days when no
//!   dates are given — newest first, at most [`MAX_REQUESTS`] requests. Asking by
//!   `service_request_id` overrides the other criteria, as the specification says.
//! - A **token** (the answer clients may poll with) is the petition's id; only petitions an
//!   integrator sent have one.

use crate::petition::{
    check_form, AddressInput, Channel, HeadingInput, Petition, PetitionForm, PetitionReference,
};
use crate::usecases::{self, check_identity, petitioner_from_registry, PetitionStore};
use crate::workflow::Status;
use kapi_core::{
    end_of_istanbul_day, istanbul_date_of, start_of_istanbul_day, DomainError, FieldError,
    FieldErrors, MobilePhone, PetitionId, Tckn,
};
use std::collections::HashMap;
use time::format_description::well_known::{Iso8601, Rfc3339};
use time::{Date, Duration, OffsetDateTime};

/// The longest span of arrival dates one list covers, in days.
pub const WINDOW_DAYS: i64 = 90;
/// The most requests one list returns (the newest).
pub const MAX_REQUESTS: usize = 1000;
/// Dates outside these years are refused (no petition is that old or that far ahead).
const MIN_YEAR: i32 = 1900;
const MAX_YEAR: i32 = 2999;

/// Open311's two states: everything before closing is `open`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicStatus {
    Open,
    Closed,
}

impl PublicStatus {
    pub fn of(s: Status) -> Self {
        if s == Status::Closed {
            PublicStatus::Closed
        } else {
            PublicStatus::Open
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PublicStatus::Open => "open",
            PublicStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "open" => Some(PublicStatus::Open),
            "closed" => Some(PublicStatus::Closed),
            _ => None,
        }
    }
}

/// The integrator whose client sends a request (an account with an API key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Integrator {
    pub id: String,
    pub name: String,
}

impl Integrator {
    /// How the history and the petition name it.
    pub fn audit_label(&self) -> String {
        format!("integrator:{}", self.id)
    }
}

/// Who the citizen says they are: what the online form's identity check asks.
#[derive(Debug, Clone)]
pub struct IdentityClaim {
    pub tckn: Tckn,
    pub first_name: String,
    pub last_name: String,
    pub mother_maiden_first_letter: String,
    pub mother_maiden_last_letter: String,
    /// Checked against the registry, and the petition's contact number.
    pub mobile: MobilePhone,
}

/// A service request as sent: the service (a sub-heading) and the rest of the form.
#[derive(Debug, Clone, Default)]
pub struct RequestInput {
    pub service_code: String,
    /// Required with the "Diğer" service, like the form's heading description.
    pub heading_description: Option<String>,
    pub subject_address: AddressInput,
    pub email: Option<String>,
    pub education_level: String,
    pub sector_id: String,
    /// The petition's subject text.
    pub description: String,
}

fn service_not_found() -> DomainError {
    DomainError::not_found(
        "open311.service_not_found",
        "No service with this code; see services.json.",
    )
}

/// A service: its sub-heading code and name and its heading's code and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    pub code: String,
    pub name: String,
    pub group_code: String,
    pub group: String,
}

/// The service of `code` — a sub-heading; a top heading or an unknown code is 404.
pub fn service(r: &mut impl PetitionReference, code: &str) -> Result<Service, DomainError> {
    let Some((Some(parent), name)) = r.heading(code)? else {
        return Err(service_not_found());
    };
    let Some((None, group)) = r.heading(&parent)? else {
        return Err(service_not_found());
    };
    Ok(Service {
        code: code.to_owned(),
        name,
        group_code: parent,
        group,
    })
}

/// A service request from an integrator's client becomes a petition, through the online
/// form's identity check and form checks; the answer is the saved petition.
pub fn submit_request(
    store: &mut impl PetitionStore,
    integrator: &Integrator,
    claim: &IdentityClaim,
    input: RequestInput,
    now: OffsetDateTime,
) -> Result<Petition, DomainError> {
    let s = service(store, &input.service_code)?;
    check_identity(
        store,
        &claim.tckn,
        &claim.first_name,
        &claim.last_name,
        &claim.mother_maiden_first_letter,
        &claim.mother_maiden_last_letter,
        &claim.mobile,
    )?;
    let form = PetitionForm {
        subject_address: input.subject_address,
        mobile: Some(claim.mobile.as_str().to_owned()),
        email: input.email,
        home_phone: None,
        headings: vec![HeadingInput {
            heading_code: s.group_code,
            sub_heading_code: s.code,
            description: input.heading_description,
        }],
        education_level: input.education_level,
        sector_id: input.sector_id,
        subject: input.description,
    };
    let petitioner = petitioner_from_registry(store, &claim.tckn)?;
    let checked = check_form(store, &form, &petitioner.residence)?;
    let p = usecases::build(
        store,
        petitioner,
        checked,
        vec![],
        Channel::Integrator,
        istanbul_date_of(now),
        Some(integrator.audit_label()),
        now,
    )?;
    usecases::save_new_as(
        store,
        integrator.audit_label(),
        format!("{} (Open311: {})", Status::InPool.label(), integrator.name),
        &p,
        now,
    )?;
    Ok(p)
}

/// The list query as it came (each value a comma list where Open311 allows several).
#[derive(Debug, Clone, Default)]
pub struct RequestQuery {
    pub service_request_id: Option<String>,
    pub service_code: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub status: Option<String>,
}

/// What the store selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestFilter {
    /// Tracking numbers; when given, the other criteria do not apply.
    pub ids: Vec<i64>,
    /// Sub-heading codes of the request's service (its first heading pair); empty: all.
    pub service_codes: Vec<String>,
    /// Arrival (submission) from … to, inclusive.
    pub from: OffsetDateTime,
    pub to: OffsetDateTime,
    /// Empty: both.
    pub statuses: Vec<PublicStatus>,
    pub limit: usize,
}

fn list(raw: &Option<String>) -> Vec<String> {
    raw.as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// An ISO 8601 instant (`2026-03-02T10:00:00+03:00`, `…Z`) or a civil date (`2026-03-02`,
/// taken in Istanbul: its first instant for a start, its last for an end).
fn instant(
    errors: &mut FieldErrors,
    field: &str,
    raw: &Option<String>,
    end: bool,
) -> Option<OffsetDateTime> {
    let raw = raw.as_deref()?.trim();
    let parsed = OffsetDateTime::parse(raw, &Rfc3339).ok().or_else(|| {
        let d = Date::parse(raw, &Iso8601::DATE)
            .ok()
            .filter(|_| raw.len() == 10)?;
        Some(if end {
            end_of_istanbul_day(d)
        } else {
            start_of_istanbul_day(d)
        })
    });
    if let Some(t) = parsed {
        if !(MIN_YEAR..=MAX_YEAR).contains(&t.year()) {
            errors.push(FieldError::new(
                field,
                "datetime.out_of_range",
                format!("A date between the years {MIN_YEAR} and {MAX_YEAR}."),
            ));
            return None;
        }
        return Some(t);
    }
    errors.push(FieldError::new(
        field,
        "datetime.format",
        "An ISO 8601 date-time with its offset (2026-03-02T10:00:00+03:00) or a date (2026-03-02).",
    ));
    None
}

/// Checks the list query and settles the window: both dates as given (at most
/// [`WINDOW_DAYS`] apart, the end not before the start); one date and the 90 days after or
/// before it; none and the last 90 days up to `now`.
pub fn request_filter(q: &RequestQuery, now: OffsetDateTime) -> Result<RequestFilter, DomainError> {
    let mut errors = FieldErrors::new();
    let mut ids = vec![];
    for raw in list(&q.service_request_id) {
        match raw.parse::<i64>() {
            Ok(n) if n > 0 => ids.push(n),
            _ => errors.push(FieldError::new(
                "service_request_id",
                "open311.bad_request_id",
                format!("`{raw}` is not a service request id (a tracking number)."),
            )),
        }
    }
    if ids.len() > MAX_REQUESTS {
        errors.push(FieldError::new(
            "service_request_id",
            "open311.too_many_ids",
            format!("At most {MAX_REQUESTS} ids at once."),
        ));
    }
    let mut statuses = vec![];
    for raw in list(&q.status) {
        match PublicStatus::parse(&raw) {
            Some(s) if !statuses.contains(&s) => statuses.push(s),
            Some(_) => {}
            None => errors.push(FieldError::new(
                "status",
                "open311.unknown_status",
                format!("`{raw}` is not a status: use open or closed."),
            )),
        }
    }
    let service_codes = list(&q.service_code);
    if service_codes.len() > 200 {
        errors.push(FieldError::new(
            "service_code",
            "open311.too_many_services",
            "At most 200 service codes at once.",
        ));
    }
    let start = instant(&mut errors, "start_date", &q.start_date, false);
    let end = instant(&mut errors, "end_date", &q.end_date, true);
    let span = Duration::days(WINDOW_DAYS);
    let (from, to) = match (start, end) {
        (Some(s), Some(e)) => {
            if e < s {
                errors.push(FieldError::new(
                    "end_date",
                    "open311.window_reversed",
                    "end_date is before start_date.",
                ));
            } else if e - s > span {
                errors.push(FieldError::new(
                    "end_date",
                    "open311.window_too_long",
                    format!("start_date and end_date may be at most {WINDOW_DAYS} days apart."),
                ));
            }
            (s, e)
        }
        // Within the year range above, 90 days either way stays representable.
        (Some(s), None) => (s, s.checked_add(span).unwrap_or(s)),
        (None, Some(e)) => (e.checked_sub(span).unwrap_or(e), e),
        (None, None) => (now.checked_sub(span).unwrap_or(now), now),
    };
    errors.finish()?;
    Ok(RequestFilter {
        ids,
        service_codes,
        from,
        to,
        statuses,
        limit: MAX_REQUESTS,
    })
}

/// A petition as the store has it for publication: with when it last changed.
#[derive(Debug, Clone)]
pub struct Published {
    pub petition: Petition,
    pub updated_at: OffsetDateTime,
}

/// Reading petitions for publication, unscoped (the caller publishes only
/// [`PublicRequest`]s).
pub trait PublicRequestStore: PetitionReference {
    /// Matches of `f`, newest arrival first, at most `f.limit`.
    fn published(&mut self, f: &RequestFilter) -> Result<Vec<Published>, DomainError>;
    fn published_by_tracking_no(&mut self, no: i64) -> Result<Option<Published>, DomainError>;
    fn published_by_id(&mut self, id: PetitionId) -> Result<Option<Published>, DomainError>;
}

/// A petition's public face: nothing that identifies or reaches the citizen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicRequest {
    pub tracking_no: i64,
    pub status: PublicStatus,
    /// The status text users know ("Başvuru İlgili Birime Yönlendirildi", "Başvuru Olumlu
    /// Kapatıldı").
    pub status_notes: String,
    pub service_code: String,
    pub service_name: String,
    /// The province's desk, or the units the petition is routed to.
    pub agency_responsible: String,
    pub requested_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    /// The end of the latest answer deadline of the units yet to answer (open only).
    pub expected_at: Option<OffsetDateTime>,
    /// "District, Province" of the subject address.
    pub address: String,
}

/// The desk that handles a province's petitions.
pub fn desk_name(province_name: &str) -> String {
    format!("{province_name} Valiliği Açık Kapı Bürosu")
}

fn public(
    r: &mut impl PetitionReference,
    units: &mut HashMap<String, String>,
    x: Published,
) -> Result<PublicRequest, DomainError> {
    let p = x.petition;
    let w = &p.workflow;
    let status = PublicStatus::of(w.status);
    let status_notes = match &w.closing {
        Some(c) if status == PublicStatus::Closed => {
            format!("Başvuru {} Kapatıldı", c.outcome.label())
        }
        _ => w.status.label().to_owned(),
    };
    let agency_responsible = if status == PublicStatus::Open && !w.routings.is_empty() {
        let mut names = vec![];
        for routing in &w.routings {
            let name = match units.get(&routing.unit_no) {
                Some(n) => n.clone(),
                None => {
                    let n = r
                        .detsis_unit(&routing.unit_no)?
                        .map(|(n, _)| n)
                        .unwrap_or_else(|| routing.unit_no.clone());
                    units.insert(routing.unit_no.clone(), n.clone());
                    n
                }
            };
            names.push(name);
        }
        names.join("; ")
    } else {
        desk_name(&p.subject_address.province_name)
    };
    let expected_at = if status == PublicStatus::Open {
        w.routings
            .iter()
            .filter(|r| r.answer.is_none())
            .map(|r| r.deadline)
            .max()
            .map(|d| {
                let e = end_of_istanbul_day(d);
                e.replace_nanosecond(0).unwrap_or(e)
            })
    } else {
        None
    };
    let (service_code, service_name) = p
        .headings
        .first()
        .map(|h| (h.sub_heading_code.clone(), h.sub_heading_name.clone()))
        .unwrap_or_default();
    Ok(PublicRequest {
        tracking_no: p.tracking_no,
        status,
        status_notes,
        service_code,
        service_name,
        agency_responsible,
        requested_at: p.submitted_at,
        updated_at: x.updated_at,
        expected_at,
        address: format!(
            "{}, {}",
            p.subject_address.district_name, p.subject_address.province_name
        ),
    })
}

/// The requests matching `f`, as published.
pub fn list_requests(
    store: &mut impl PublicRequestStore,
    f: &RequestFilter,
) -> Result<Vec<PublicRequest>, DomainError> {
    let mut units = HashMap::new();
    store
        .published(f)?
        .into_iter()
        .map(|x| public(store, &mut units, x))
        .collect()
}

fn request_not_found() -> DomainError {
    DomainError::not_found(
        "open311.request_not_found",
        "No service request with this id.",
    )
}

/// One request by its id (the tracking number), as published.
pub fn get_request(
    store: &mut impl PublicRequestStore,
    raw_id: &str,
) -> Result<PublicRequest, DomainError> {
    let no = raw_id
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(request_not_found)?;
    let x = store
        .published_by_tracking_no(no)?
        .ok_or_else(request_not_found)?;
    public(store, &mut HashMap::new(), x)
}

/// What the client shows the person after a submission.
pub fn service_notice(p: &Petition) -> String {
    format!(
        "Açık Kapı başvurusu alındı; takip no {}. Başvuruyu {} inceleyecek; başvuru sahibi takip numarası ve T.C. kimlik numarasıyla sorgulayabilir.",
        p.tracking_no,
        desk_name(&p.subject_address.province_name)
    )
}

/// The token of a petition an integrator sent.
pub fn token_of(p: &Petition) -> Option<String> {
    (p.channel == Channel::Integrator).then(|| p.id.to_string())
}

/// The service request id a token stands for; only petitions an integrator sent have one.
pub fn resolve_token(store: &mut impl PublicRequestStore, token: &str) -> Result<i64, DomainError> {
    let not_found = || DomainError::not_found("open311.token_not_found", "No such token.");
    let id = token.parse::<PetitionId>().map_err(|_| not_found())?;
    match store.published_by_id(id)? {
        Some(x) if token_of(&x.petition).is_some() => Ok(x.petition.tracking_no),
        _ => Err(not_found()),
    }
}

#[cfg(test)]
mod tests;
