//! The posting aggregate (ilan) — DOMAIN.md §1, seed 000 §2 and §4.
//!
//! A posting belongs to one institution (kurum) and has a main text, an application window
//! of Istanbul civil dates (`starts_on` … `ends_on`, the end date inclusive until 23:59:59
//! Istanbul), one or more sub-postings (alt ilan / pozisyon) and the evaluation stages it
//! declares (değerleme aşamaları). Sub-postings and stages are numbered 1…n in the order
//! given; applications and results refer to them by that number.
//!
//! Lifecycle: `draft` → `published` → (`cancelled` with a reason). A published posting is
//! **active** while today (Istanbul) is inside its window, **archived** once the window has
//! closed. Choices written down here because the manuals are silent:
//! - a draft can be changed freely; once published, only what does not change the rules of
//!   the game may change (see [`Posting::check_published_edit`]): the title, the main text,
//!   the sub-postings' texts, a *later* end date, and each stage's name, time and place;
//! - publishing needs at least one stage and an end date not yet passed;
//! - every stage starts after the application window has closed, in the declared order.

use kapi_core::{
    clean_text, end_of_istanbul_day, istanbul_date_of, DomainError, FieldError, FieldErrors,
    InstitutionId, PostingId, ProvinceCode,
};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

pub const MAX_SUB_POSTINGS: usize = 50;
pub const MAX_STAGES: usize = 10;
pub const MAX_REQUIREMENTS: usize = 30;
pub const MAX_VACANCIES: i64 = 10_000;

/// Employment type of a position (istihdam türü).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmploymentType {
    /// Kadrolu memur.
    CivilServant,
    /// Sözleşmeli personel (4/B).
    Contracted,
    /// Sürekli işçi.
    PermanentWorker,
    /// Geçici işçi.
    TemporaryWorker,
}

impl EmploymentType {
    pub const ALL: [EmploymentType; 4] = [
        Self::CivilServant,
        Self::Contracted,
        Self::PermanentWorker,
        Self::TemporaryWorker,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::CivilServant => "civil_servant",
            Self::Contracted => "contracted",
            Self::PermanentWorker => "permanent_worker",
            Self::TemporaryWorker => "temporary_worker",
        }
    }

    pub fn label_tr(self) -> &'static str {
        match self {
            Self::CivilServant => "Kadrolu Memur",
            Self::Contracted => "Sözleşmeli Personel",
            Self::PermanentWorker => "Sürekli İşçi",
            Self::TemporaryWorker => "Geçici İşçi",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == raw)
    }
}

/// Kind of an evaluation stage (değerleme aşaması).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageKind {
    /// Ön değerlendirme.
    PreAssessment,
    /// Yazılı sınav.
    WrittenExam,
    /// Uygulamalı sınav.
    PracticalExam,
    /// Sözlü sınav.
    OralExam,
    /// Mülakat.
    Interview,
}

impl StageKind {
    pub const ALL: [StageKind; 5] = [
        Self::PreAssessment,
        Self::WrittenExam,
        Self::PracticalExam,
        Self::OralExam,
        Self::Interview,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::PreAssessment => "pre_assessment",
            Self::WrittenExam => "written_exam",
            Self::PracticalExam => "practical_exam",
            Self::OralExam => "oral_exam",
            Self::Interview => "interview",
        }
    }

    pub fn label_tr(self) -> &'static str {
        match self {
            Self::PreAssessment => "Ön Değerlendirme",
            Self::WrittenExam => "Yazılı Sınav",
            Self::PracticalExam => "Uygulamalı Sınav",
            Self::OralExam => "Sözlü Sınav",
            Self::Interview => "Mülakat",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == raw)
    }
}

/// Where a stage takes place: a place, or online (each invitation then carries its own
/// access password and meeting link).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum StageVenue {
    InPerson { place: String },
    Online,
}

/// An evaluation stage the posting declares.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    /// 1…n in the order of the stages.
    pub no: u32,
    pub kind: StageKind,
    pub name: String,
    pub starts_at: OffsetDateTime,
    pub venue: StageVenue,
    /// When the institution approved (published) the stage's results; before that no
    /// candidate sees a score or an outcome of this stage.
    pub results_approved_at: Option<OffsetDateTime>,
}

/// A sub-posting / position (alt ilan / pozisyon).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubPosting {
    /// 1…n in the order of the sub-postings.
    pub no: u32,
    /// The position's title (e.g. "Sözleşmeli Bilişim Personeli").
    pub title: String,
    pub text: String,
    /// Kadro sayısı: how many are placed as asil.
    pub vacancies: u32,
    /// How many are placed as yedek.
    pub reserve_count: u32,
    pub province: ProvinceCode,
    /// Code from `/reference/education-levels`.
    pub education_level: String,
    pub employment_type: EmploymentType,
    pub requirements: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostingStatus {
    Draft,
    Published,
    Cancelled,
}

impl PostingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Cancelled => "cancelled",
        }
    }

    pub fn label_tr(self) -> &'static str {
        match self {
            Self::Draft => "Taslak",
            Self::Published => "Yayında",
            Self::Cancelled => "İptal Edildi",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Draft, Self::Published, Self::Cancelled]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}

/// A posting (ilan).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posting {
    pub id: PostingId,
    /// The human posting number (ilan no), from one sequence.
    pub posting_no: i64,
    pub institution_id: InstitutionId,
    pub institution_name: String,
    pub title: String,
    pub main_text: String,
    /// First day of the application window (Istanbul civil date).
    pub starts_on: Date,
    /// Last day of the application window, inclusive until 23:59:59 Istanbul.
    pub ends_on: Date,
    pub status: PostingStatus,
    pub cancel_reason: Option<String>,
    pub cancelled_at: Option<OffsetDateTime>,
    pub published_at: Option<OffsetDateTime>,
    pub sub_postings: Vec<SubPosting>,
    pub stages: Vec<Stage>,
    /// When the final placement (asil / yedek / olumsuz) was published.
    pub placement_published_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    pub version: i64,
}

/// Whether a posting is upcoming, accepting applications or archived (only for published
/// postings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WindowState {
    Upcoming,
    Open,
    Closed,
}

impl Posting {
    pub fn window_state(&self, now: OffsetDateTime) -> WindowState {
        let today = istanbul_date_of(now);
        if today < self.starts_on {
            WindowState::Upcoming
        } else if today <= self.ends_on {
            WindowState::Open
        } else {
            WindowState::Closed
        }
    }

    /// Published and inside the application window: listed publicly, open to applicants.
    pub fn is_active(&self, now: OffsetDateTime) -> bool {
        self.status == PostingStatus::Published && self.window_state(now) == WindowState::Open
    }

    /// Published and the window has closed (arşiv ilan).
    pub fn is_archived(&self, now: OffsetDateTime) -> bool {
        self.status == PostingStatus::Published && self.window_state(now) == WindowState::Closed
    }

    /// The last instant applications (and candidates' cancellations) are accepted.
    pub fn application_deadline(&self) -> OffsetDateTime {
        end_of_istanbul_day(self.ends_on)
    }

    /// [`Self::application_deadline`] to the second (23:59:59 Istanbul), as it is shown.
    pub fn application_deadline_second(&self) -> OffsetDateTime {
        let d = self.application_deadline();
        d.replace_nanosecond(0).unwrap_or(d)
    }

    pub fn sub_posting(&self, no: u32) -> Option<&SubPosting> {
        self.sub_postings.iter().find(|s| s.no == no)
    }

    pub fn stage(&self, no: u32) -> Option<&Stage> {
        self.stages.iter().find(|s| s.no == no)
    }

    pub fn stage_mut(&mut self, no: u32) -> Option<&mut Stage> {
        self.stages.iter_mut().find(|s| s.no == no)
    }

    /// Whether `stage`'s results have been approved and so are visible to candidates.
    pub fn results_visible(&self, stage: u32) -> bool {
        self.stage(stage)
            .is_some_and(|s| s.results_approved_at.is_some())
    }

    /// Everything searchable in one folded string (title, institution, texts, positions).
    pub fn keyword_text(&self) -> String {
        let mut s = format!(
            "{} {} {}",
            self.title, self.institution_name, self.main_text
        );
        for sp in &self.sub_postings {
            s.push(' ');
            s.push_str(&sp.title);
            s.push(' ');
            s.push_str(&sp.text);
        }
        kapi_core::search_fold(&s)
    }

    /// Refuses a change to a published posting that would change the rules of the game:
    /// everything but the title, the main text, the sub-postings' texts, a later end date and
    /// the stages' names, times and places is locked once published. Every locked field that
    /// differs is named (code `posting.locked_after_publish`).
    pub fn check_published_edit(&self, next: &PostingContent) -> Result<(), DomainError> {
        let mut errors = FieldErrors::new();
        let locked = |field: String| {
            FieldError::new(
                field,
                "posting.locked_after_publish",
                "This cannot change once the posting is published.",
            )
        };
        if next.starts_on != self.starts_on {
            errors.push(locked("starts_on".into()));
        }
        if next.ends_on < self.ends_on {
            errors.push(FieldError::new(
                "ends_on",
                "posting.end_date_earlier",
                "A published posting's end date can only move later.",
            ));
        }
        if next.sub_postings.len() != self.sub_postings.len() {
            errors.push(locked("sub_postings".into()));
        } else {
            for (i, (a, b)) in self.sub_postings.iter().zip(&next.sub_postings).enumerate() {
                let at = |f: &str| format!("sub_postings[{i}].{f}");
                if a.title != b.title {
                    errors.push(locked(at("title")));
                }
                if a.vacancies != b.vacancies {
                    errors.push(locked(at("vacancies")));
                }
                if a.reserve_count != b.reserve_count {
                    errors.push(locked(at("reserve_count")));
                }
                if a.province != b.province {
                    errors.push(locked(at("province")));
                }
                if a.education_level != b.education_level {
                    errors.push(locked(at("education_level")));
                }
                if a.employment_type != b.employment_type {
                    errors.push(locked(at("employment_type")));
                }
                if a.requirements != b.requirements {
                    errors.push(locked(at("requirements")));
                }
            }
        }
        if next.stages.len() != self.stages.len() {
            errors.push(locked("stages".into()));
        } else {
            for (i, (a, b)) in self.stages.iter().zip(&next.stages).enumerate() {
                if a.kind != b.kind {
                    errors.push(locked(format!("stages[{i}].kind")));
                }
                if a.results_approved_at.is_some()
                    && (a.starts_at != b.starts_at || a.venue != b.venue)
                {
                    errors.push(FieldError::new(
                        format!("stages[{i}]"),
                        "stage.results_approved",
                        "This stage's results are approved; it can no longer change.",
                    ));
                }
            }
        }
        errors.finish()
    }

    /// Applies validated content (the caller checked [`Self::check_published_edit`] for a
    /// published posting). Stage approvals survive.
    pub fn apply(&mut self, next: PostingContent) {
        let approvals: Vec<Option<OffsetDateTime>> =
            self.stages.iter().map(|s| s.results_approved_at).collect();
        self.title = next.title;
        self.main_text = next.main_text;
        self.starts_on = next.starts_on;
        self.ends_on = next.ends_on;
        self.sub_postings = next.sub_postings;
        self.stages = next.stages;
        for (s, a) in self.stages.iter_mut().zip(approvals) {
            s.results_approved_at = a;
        }
    }
}

/// What the institution writes: the posting's content, validated and numbered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostingContent {
    pub title: String,
    pub main_text: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub sub_postings: Vec<SubPosting>,
    pub stages: Vec<Stage>,
}

/// A sub-posting as the institution sends it (raw, validated by [`PostingInput::validate`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubPostingInput {
    pub title: String,
    pub text: String,
    pub vacancies: i64,
    pub reserve_count: i64,
    pub province: i64,
    pub education_level: String,
    pub employment_type: String,
    pub requirements: Vec<String>,
}

/// A stage as the institution sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageInput {
    pub kind: String,
    /// Defaults to the kind's Turkish label.
    pub name: Option<String>,
    pub starts_at: OffsetDateTime,
    /// `in_person` or `online`.
    pub mode: String,
    /// Required in person, refused online.
    pub place: Option<String>,
}

/// A posting as the institution sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostingInput {
    pub title: String,
    pub main_text: String,
    pub starts_on: Date,
    pub ends_on: Date,
    pub sub_postings: Vec<SubPostingInput>,
    pub stages: Vec<StageInput>,
}

/// The code lists a posting refers to.
pub trait PostingReference {
    fn education_level_exists(&mut self, code: &str) -> Result<bool, DomainError>;
}

impl PostingInput {
    /// Every invalid field named at once (`sub_postings[1].vacancies`, `stages[0].place`, …).
    /// `now` is used only to refuse an end date that has already passed — a new one: an edit
    /// keeping the posting's `current_end` (`Some` when editing) is not refused for it, so a
    /// posting whose window has closed can still have its stages rescheduled.
    pub fn validate(
        self,
        reference: &mut impl PostingReference,
        now: OffsetDateTime,
        current_end: Option<Date>,
    ) -> Result<PostingContent, DomainError> {
        let mut e = FieldErrors::new();
        let title = e.take("title", clean_text("title", &self.title, 3, 200));
        let main_text = e.take(
            "main_text",
            clean_long("main_text", &self.main_text, 10, 20_000),
        );
        if self.starts_on > self.ends_on {
            e.push(FieldError::new(
                "ends_on",
                "posting.window_reversed",
                "The end date must not be before the start date.",
            ));
        }
        if current_end != Some(self.ends_on) && self.ends_on < istanbul_date_of(now) {
            e.push(FieldError::new(
                "ends_on",
                "posting.window_ended",
                "The application window must not have ended already.",
            ));
        }
        if self.sub_postings.is_empty() || self.sub_postings.len() > MAX_SUB_POSTINGS {
            e.push(FieldError::new(
                "sub_postings",
                "posting.sub_posting_count",
                format!("Between 1 and {MAX_SUB_POSTINGS} sub-postings."),
            ));
        }
        let mut subs = Vec::new();
        for (i, s) in self.sub_postings.into_iter().enumerate() {
            let at = |f: &str| format!("sub_postings[{i}].{f}");
            let title = e.take(&at("title"), clean_text(&at("title"), &s.title, 2, 200));
            let text = e.take(&at("text"), clean_long(&at("text"), &s.text, 10, 10_000));
            let vacancies = count(&mut e, &at("vacancies"), s.vacancies, 1);
            let reserve = count(&mut e, &at("reserve_count"), s.reserve_count, 0);
            let province = e.take(
                &at("province"),
                ProvinceCode::new(s.province).map_err(|x| x.at(at("province"))),
            );
            if !reference.education_level_exists(&s.education_level)? {
                e.push(FieldError::new(
                    at("education_level"),
                    "education_level.unknown",
                    "Not a code of /reference/education-levels.",
                ));
            }
            let employment = EmploymentType::parse(&s.employment_type);
            if employment.is_none() {
                e.push(FieldError::new(
                    at("employment_type"),
                    "employment_type.unknown",
                    "One of civil_servant, contracted, permanent_worker, temporary_worker.",
                ));
            }
            if s.requirements.len() > MAX_REQUIREMENTS {
                e.push(FieldError::new(
                    at("requirements"),
                    "posting.requirement_count",
                    format!("At most {MAX_REQUIREMENTS} requirements."),
                ));
            }
            let mut requirements = Vec::new();
            for (j, r) in s.requirements.iter().enumerate() {
                let f = format!("sub_postings[{i}].requirements[{j}]");
                if let Some(r) = e.take(&f, clean_text(&f, r, 2, 500)) {
                    requirements.push(r);
                }
            }
            if let (Some(title), Some(text), Some(v), Some(r), Some(p), Some(t)) =
                (title, text, vacancies, reserve, province, employment)
            {
                subs.push(SubPosting {
                    no: i as u32 + 1,
                    title,
                    text,
                    vacancies: v,
                    reserve_count: r,
                    province: p,
                    education_level: s.education_level,
                    employment_type: t,
                    requirements,
                });
            }
        }
        if self.stages.len() > MAX_STAGES {
            e.push(FieldError::new(
                "stages",
                "posting.stage_count",
                format!("At most {MAX_STAGES} stages."),
            ));
        }
        let window_end = end_of_istanbul_day(self.ends_on);
        let mut stages: Vec<Stage> = Vec::new();
        let mut previous: Option<OffsetDateTime> = None;
        for (i, s) in self.stages.into_iter().enumerate() {
            let at = |f: &str| format!("stages[{i}].{f}");
            let kind = StageKind::parse(&s.kind);
            if kind.is_none() {
                e.push(FieldError::new(
                    at("kind"),
                    "stage.kind_unknown",
                    "One of pre_assessment, written_exam, practical_exam, oral_exam, interview.",
                ));
            }
            let name = match &s.name {
                Some(n) => e.take(&at("name"), clean_text(&at("name"), n, 2, 200)),
                None => kind.map(|k| k.label_tr().to_owned()),
            };
            if s.starts_at <= window_end {
                e.push(FieldError::new(
                    at("starts_at"),
                    "stage.before_window_end",
                    "A stage starts after the application window has closed.",
                ));
            }
            if previous.is_some_and(|p| s.starts_at < p) {
                e.push(FieldError::new(
                    at("starts_at"),
                    "stage.out_of_order",
                    "Stages are given in the order they take place.",
                ));
            }
            previous = Some(s.starts_at);
            let venue = match (s.mode.as_str(), &s.place) {
                ("in_person", Some(p)) => e
                    .take(&at("place"), clean_text(&at("place"), p, 3, 300))
                    .map(|place| StageVenue::InPerson { place }),
                ("in_person", None) => {
                    e.push(FieldError::new(
                        at("place"),
                        "stage.place_required",
                        "An in-person stage needs its place.",
                    ));
                    None
                }
                ("online", None) => Some(StageVenue::Online),
                ("online", Some(_)) => {
                    e.push(FieldError::new(
                        at("place"),
                        "stage.place_online",
                        "An online stage has no place; each invitation gets its own link.",
                    ));
                    None
                }
                _ => {
                    e.push(FieldError::new(
                        at("mode"),
                        "stage.mode_unknown",
                        "One of in_person, online.",
                    ));
                    None
                }
            };
            if let (Some(kind), Some(name), Some(venue)) = (kind, name, venue) {
                stages.push(Stage {
                    no: i as u32 + 1,
                    kind,
                    name,
                    starts_at: s.starts_at,
                    venue,
                    results_approved_at: None,
                });
            }
        }
        e.finish()?;
        match (title, main_text) {
            (Some(title), Some(main_text)) => Ok(PostingContent {
                title,
                main_text,
                starts_on: self.starts_on,
                ends_on: self.ends_on,
                sub_postings: subs,
                stages,
            }),
            _ => Err(DomainError::internal("posting validation lost a field")),
        }
    }
}

/// Long texts keep their line breaks (paragraphs of an announcement); only the ends are
/// trimmed and control characters other than new lines and tabs refused.
pub fn clean_long(field: &str, raw: &str, min: usize, max: usize) -> Result<String, FieldError> {
    if raw
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(FieldError::new(
            field,
            "text.control_character",
            "Control characters are not allowed.",
        ));
    }
    let text = raw.trim().replace("\r\n", "\n");
    let n = text.chars().count();
    if n < min || n > max {
        return Err(FieldError::new(
            field,
            "text.length",
            format!("Between {min} and {max} characters."),
        ));
    }
    Ok(text)
}

fn count(e: &mut FieldErrors, field: &str, raw: i64, min: i64) -> Option<u32> {
    if raw < min || raw > MAX_VACANCIES {
        e.push(FieldError::new(
            field,
            "posting.count_range",
            format!("Between {min} and {MAX_VACANCIES}."),
        ));
        return None;
    }
    u32::try_from(raw).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    struct Codes;
    impl PostingReference for Codes {
        fn education_level_exists(&mut self, code: &str) -> Result<bool, DomainError> {
            Ok(matches!(code, "bachelor" | "high_school"))
        }
    }

    fn input() -> PostingInput {
        PostingInput {
            title: "Sözleşmeli Bilişim Personeli Alımı".into(),
            main_text: "Bakanlığımız merkez teşkilatına sözleşmeli personel alınacaktır.".into(),
            starts_on: date!(2026 - 12 - 01),
            ends_on: date!(2026 - 12 - 15),
            sub_postings: vec![SubPostingInput {
                title: "Yazılım Geliştirici".into(),
                text: "Rust ve SQL bilen yazılım geliştirici.".into(),
                vacancies: 2,
                reserve_count: 1,
                province: 6,
                education_level: "bachelor".into(),
                employment_type: "contracted".into(),
                requirements: vec!["Bilgisayar mühendisliği lisans".into()],
            }],
            stages: vec![StageInput {
                kind: "interview".into(),
                name: None,
                starts_at: datetime!(2026-12-20 10:00 +03:00),
                mode: "online".into(),
                place: None,
            }],
        }
    }

    const NOW: OffsetDateTime = datetime!(2026-12-01 12:00 +03:00);

    #[test]
    fn valid_input_is_numbered_and_named() {
        let c = input().validate(&mut Codes, NOW, None).unwrap();
        assert_eq!(c.sub_postings[0].no, 1);
        assert_eq!(c.stages[0].name, "Mülakat");
        assert_eq!(c.stages[0].venue, StageVenue::Online);
    }

    #[test]
    fn every_invalid_field_is_named() {
        let mut i = input();
        i.ends_on = date!(2026 - 11 - 30);
        i.sub_postings[0].vacancies = 0;
        i.sub_postings[0].province = 82;
        i.sub_postings[0].education_level = "phd".into();
        i.sub_postings[0].employment_type = "freelance".into();
        i.stages[0].starts_at = datetime!(2026-11-30 10:00 +03:00);
        i.stages[0].place = Some("Ankara".into());
        let err = i.validate(&mut Codes, NOW, None).unwrap_err();
        let fields: Vec<&str> = err.fields.iter().map(|f| f.field.as_str()).collect();
        for f in [
            "ends_on",
            "sub_postings[0].vacancies",
            "sub_postings[0].province",
            "sub_postings[0].education_level",
            "sub_postings[0].employment_type",
            "stages[0].starts_at",
            "stages[0].place",
        ] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
    }

    #[test]
    fn a_stage_starts_after_the_window_end_day() {
        let mut i = input();
        i.stages[0].starts_at = datetime!(2026-12-15 23:59 +03:00);
        assert!(i.clone().validate(&mut Codes, NOW, None).is_err());
        i.stages[0].starts_at = datetime!(2026-12-16 00:00 +03:00);
        assert!(i.validate(&mut Codes, NOW, None).is_ok());
    }

    fn posting(content: PostingContent) -> Posting {
        Posting {
            id: PostingId::new(),
            posting_no: 1,
            institution_id: InstitutionId::new(),
            institution_name: "Kurum".into(),
            title: content.title,
            main_text: content.main_text,
            starts_on: content.starts_on,
            ends_on: content.ends_on,
            status: PostingStatus::Published,
            cancel_reason: None,
            cancelled_at: None,
            published_at: Some(NOW),
            sub_postings: content.sub_postings,
            stages: content.stages,
            placement_published_at: None,
            created_at: NOW,
            version: 1,
        }
    }

    #[test]
    fn window_is_istanbul_civil_dates() {
        let p = posting(input().validate(&mut Codes, NOW, None).unwrap());
        assert!(!p.is_active(datetime!(2026-11-30 20:59 UTC)));
        assert!(p.is_active(datetime!(2026-11-30 21:00 UTC)));
        assert!(p.is_active(datetime!(2026-12-15 20:59:59 UTC)));
        assert!(!p.is_active(datetime!(2026-12-15 21:00 UTC)));
        assert!(p.is_archived(datetime!(2026-12-15 21:00 UTC)));
    }

    #[test]
    fn published_edits_keep_the_rules_of_the_game() {
        let p = posting(input().validate(&mut Codes, NOW, None).unwrap());
        let mut ok = input();
        ok.title = "Bilişim Personeli Alımı (düzeltme)".into();
        ok.main_text = "Düzeltilmiş ana metin, yazım hatası giderildi.".into();
        ok.ends_on = date!(2026 - 12 - 18);
        ok.sub_postings[0].text = "Rust, SQL ve HTTP bilen geliştirici.".into();
        let ok = ok.validate(&mut Codes, NOW, None).unwrap();
        assert!(p.check_published_edit(&ok).is_ok());

        let mut bad = input();
        bad.ends_on = date!(2026 - 12 - 10);
        bad.sub_postings[0].vacancies = 3;
        bad.sub_postings[0].requirements.push("Ek şart".into());
        let bad = bad.validate(&mut Codes, NOW, None).unwrap();
        let err = p.check_published_edit(&bad).unwrap_err();
        let fields: Vec<&str> = err.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "ends_on",
                "sub_postings[0].vacancies",
                "sub_postings[0].requirements"
            ]
        );
    }
}
