//! Employer reports on its own labour demands (İşverene Yönelik Raporlar) — seed 001 §2.1.1.4.
//!
//! Four lists, each over the candidates of the employer's demands, narrowed by talep no,
//! workplace and a date range on the list's own event date:
//!
//! | kind | Turkish title | rows | date filtered |
//! | --- | --- | --- | --- |
//! | `selection` | İşgücü İstemi Seçim Listesi | candidates the employer selected (Eleman Seç) | selection date |
//! | `referral` | İşgücü İstemi Gönderme Listesi | every candidate sent to the employer: applicants and selected | listing date |
//! | `interview` | İşgücü İstemi Görüşme Listesi | candidates invited to an interview | interview date |
//! | `result` | İşgücü İstemi Sonuç Listesi | candidates with a recorded interview result | result date |
//!
//! The table is renderer-neutral (the API renders it as PDF or Excel). With no matching row
//! the answer is "Girdiğiniz kriterlere uygun kayıt bulunamadı" (404 `report.no_records`),
//! never an empty file. Only the reports permission (or admin) opens them; TCKNs are
//! shown masked.

use crate::candidate::{CandidateOrigin, InterviewResult, InvitationAnswer};
use crate::demand::code_enum;
use crate::demands::{DemandStore, ReportLine, ReportScope, MAX_REPORT_ROWS};
use kapi_core::{istanbul_date_of, Actor, DomainError, FieldError, Tckn, WorkplaceId, ISTANBUL};
use time::{Date, OffsetDateTime};

code_enum!(
    /// Which report.
    ReportKind {
        Selection = "selection",
        Referral = "referral",
        Interview = "interview",
        Result = "result",
    }
);

impl ReportKind {
    pub fn title(self) -> &'static str {
        match self {
            ReportKind::Selection => "İşgücü İstemi Seçim Listesi",
            ReportKind::Referral => "İşgücü İstemi Gönderme Listesi",
            ReportKind::Interview => "İşgücü İstemi Görüşme Listesi",
            ReportKind::Result => "İşgücü İstemi Sonuç Listesi",
        }
    }
}

/// The report's criteria (Rapor Hazırlama).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportCriteria {
    pub talep_no: Option<i64>,
    pub workplace_id: Option<WorkplaceId>,
    pub from: Option<Date>,
    pub to: Option<Date>,
}

/// A rendered-neutral report table.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportTable {
    pub title: String,
    /// (label, value) lines describing the criteria, in Turkish.
    pub criteria: Vec<(String, String)>,
    /// (header, relative width).
    pub columns: Vec<(String, f32)>,
    pub rows: Vec<Vec<String>>,
}

/// "123******50": the first three and last two digits.
pub fn mask_tckn(t: &Tckn) -> String {
    let s = t.as_str();
    format!("{}******{}", &s[..3], &s[9..])
}

fn day(d: Date) -> String {
    format!("{:02}.{:02}.{}", d.day(), d.month() as u8, d.year())
}

/// DD.MM.YYYY HH:MM in Istanbul time.
pub fn istanbul_time(at: OffsetDateTime) -> String {
    let t = at.to_offset(ISTANBUL);
    format!("{} {:02}:{:02}", day(t.date()), t.hour(), t.minute())
}

fn origin_tr(o: CandidateOrigin) -> &'static str {
    match o {
        CandidateOrigin::Applied => "Başvuru",
        CandidateOrigin::Selected => "Eleman seçimi",
    }
}

fn answer_tr(a: Option<InvitationAnswer>) -> &'static str {
    match a {
        Some(InvitationAnswer::Accepted) => "Kabul etti",
        Some(InvitationAnswer::Declined) => "Reddetti",
        None => "Cevap bekleniyor",
    }
}

fn result_tr(r: InterviewResult) -> &'static str {
    match r {
        InterviewResult::Hired => "İşe alındı",
        InterviewResult::NotHired => "İşe alınmadı",
        InterviewResult::NoShow => "Görüşmeye gelmedi",
    }
}

fn reports_user(actor: &Actor) -> Result<kapi_core::EmployerId, DomainError> {
    match actor {
        Actor::EmployerUser {
            employer_id,
            permissions,
            ..
        } if permissions.admin || permissions.reports => Ok(*employer_id),
        Actor::EmployerUser { .. } => Err(DomainError::forbidden(
            "report.permission_missing",
            "Your user has no reports permission; ask the employer's admin.",
        )),
        _ => Err(DomainError::forbidden(
            "report.employers_only",
            "Only an employer's users take reports on its own demands.",
        )),
    }
}

/// Builds one report for the actor's employer.
pub fn demand_report(
    store: &mut impl DemandStore,
    actor: &Actor,
    kind: ReportKind,
    c: &ReportCriteria,
) -> Result<ReportTable, DomainError> {
    let employer = reports_user(actor)?;
    if let (Some(from), Some(to)) = (c.from, c.to) {
        if from > to {
            return Err(DomainError::field(FieldError::new(
                "to",
                "report.date_order",
                "The end of the range is before its start.",
            )));
        }
    }
    let lines = store.report_lines(
        &ReportScope {
            employer,
            talep_no: c.talep_no,
            workplace: c.workplace_id,
        },
        MAX_REPORT_ROWS + 1,
    )?;
    if lines.len() > MAX_REPORT_ROWS {
        return Err(DomainError::invalid(
            "report.too_many_rows",
            format!("More than {MAX_REPORT_ROWS} rows: narrow the criteria (talep no, workplace, dates)."),
        ));
    }
    let in_range = |at: OffsetDateTime| {
        let d = istanbul_date_of(at);
        c.from.is_none_or(|f| d >= f) && c.to.is_none_or(|t| d <= t)
    };
    let mut rows: Vec<Vec<String>> = vec![];
    for ReportLine {
        candidate: k,
        talep_no,
        occupation_name,
        position,
    } in &lines
    {
        let head = vec![
            talep_no.to_string(),
            format!("{occupation_name} / {position}"),
            mask_tckn(&k.tckn),
            k.full_name.clone(),
        ];
        let tail: Option<Vec<String>> = match kind {
            ReportKind::Selection => (k.origin == CandidateOrigin::Selected
                && in_range(k.listed_at))
            .then(|| vec![istanbul_time(k.listed_at)]),
            ReportKind::Referral => in_range(k.listed_at)
                .then(|| vec![origin_tr(k.origin).into(), istanbul_time(k.listed_at)]),
            ReportKind::Interview => k.interview_at.filter(|at| in_range(*at)).map(|at| {
                vec![
                    istanbul_time(at),
                    k.interview_place.clone().unwrap_or_default(),
                    answer_tr(k.answer).into(),
                ]
            }),
            ReportKind::Result => match (k.result, k.result_at) {
                (Some(r), Some(at)) if in_range(at) => Some(vec![
                    k.interview_at.map(istanbul_time).unwrap_or_default(),
                    result_tr(r).into(),
                    k.result_note.clone().unwrap_or_default(),
                ]),
                _ => None,
            },
        };
        if let Some(tail) = tail {
            rows.push(head.into_iter().chain(tail).collect());
        }
    }
    if rows.is_empty() {
        return Err(DomainError::no_records());
    }
    let mut columns: Vec<(String, f32)> = vec![
        ("Talep No".into(), 1.0),
        ("Meslek / Pozisyon".into(), 3.0),
        ("T.C. Kimlik No".into(), 1.6),
        ("Ad Soyad".into(), 2.2),
    ];
    let extra: &[(&str, f32)] = match kind {
        ReportKind::Selection => &[("Seçim Tarihi", 1.6)],
        ReportKind::Referral => &[("Geliş Şekli", 1.4), ("Tarih", 1.6)],
        ReportKind::Interview => &[
            ("Görüşme Tarihi", 1.6),
            ("Görüşme Yeri", 2.4),
            ("Davet Cevabı", 1.4),
        ],
        ReportKind::Result => &[("Görüşme Tarihi", 1.6), ("Sonuç", 1.4), ("Açıklama", 2.4)],
    };
    columns.extend(extra.iter().map(|(h, w)| ((*h).to_owned(), *w)));
    let mut criteria = vec![];
    if let Some(n) = c.talep_no {
        criteria.push(("Talep No".into(), n.to_string()));
    }
    if let Some(w) = c.workplace_id {
        criteria.push(("İşyeri".into(), w.to_string()));
    }
    if c.from.is_some() || c.to.is_some() {
        criteria.push((
            "Tarih Aralığı".into(),
            format!(
                "{} – {}",
                c.from.map(day).unwrap_or_else(|| "…".into()),
                c.to.map(day).unwrap_or_else(|| "…".into())
            ),
        ));
    }
    criteria.push(("Kayıt Sayısı".into(), rows.len().to_string()));
    Ok(ReportTable {
        title: kind.title().into(),
        criteria,
        columns,
        rows,
    })
}
