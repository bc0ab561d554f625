//! Kariyer Kapısı applications over HTTP: the candidate's wizard (each step saved), submit,
//! cancel, "Başvurularım", "İptal Edilen Başvurularım" and "Sınavlarım/Mülakatlarım"; the
//! institution's lists, approval (one or in bulk), cancellation with a reason, invitations,
//! results, their approval and the placement. Rules and scope in
//! `kapi_applications::usecases`.

use super::{HistoryEntryView, Paged};
use crate::extract::{etag, path_id, Authenticated, IfMatch, JsonBody, QueryParams};
use crate::problem::{ApiResult, Problem};
use crate::state::{read, write, AppState};
use actix_web::http::{header, StatusCode};
use actix_web::{get, post, put, web, HttpResponse};
use kapi_applications::application::{
    Application, ApplicationStatus, CancelledBy, Outcome, PlacementResult, Step,
};
use kapi_applications::declarations as d;
use kapi_applications::usecases::{self as uc, ApplicationFilter, Loaded, Reader, StageView};
use kapi_core::{
    search_fold, Actor, ApplicationId, DomainError, FieldError, PageRequest, PostingId,
};
use kapi_persistence::applications::{ApplicationRepo, LocalMeetingRooms};
use kapi_postings::posting::{Posting, StageVenue, WindowState};
use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

pub const TAG: &str = "applications";

/// The simulated online meeting service (the CAM application of the real portal).
pub const MEETING_BASE_URL: &str = "https://cam.kariyerkapisi.local/gorusme";

fn application_id(raw: &str) -> Result<ApplicationId, crate::problem::ApiError> {
    path_id(raw, "application.not_found")
}

fn posting_id(raw: &str) -> Result<PostingId, crate::problem::ApiError> {
    path_id(raw, "posting.not_found")
}

fn date_str(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

// ---------------------------------------------------------------------------------------
// Views

/// Application status: `draft` (Başvuru Tamamlanmadı), `pending` (Başvuru Bekliyor),
/// `approved` (Başvuru Onaylandı), `cancelled` (Başvuru İptal Edildi).
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatusCode {
    Draft,
    Pending,
    Approved,
    Cancelled,
}

impl From<ApplicationStatus> for ApplicationStatusCode {
    fn from(s: ApplicationStatus) -> Self {
        match s {
            ApplicationStatus::Draft => Self::Draft,
            ApplicationStatus::Pending => Self::Pending,
            ApplicationStatus::Approved => Self::Approved,
            ApplicationStatus::Cancelled => Self::Cancelled,
        }
    }
}

/// Stage outcome: `pending` (Bekliyor), `positive` (Olumlu), `negative` (Olumsuz).
#[derive(Serialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeCode {
    Pending,
    Positive,
    Negative,
}

impl From<Outcome> for OutcomeCode {
    fn from(o: Outcome) -> Self {
        match o {
            Outcome::Pending => Self::Pending,
            Outcome::Positive => Self::Positive,
            Outcome::Negative => Self::Negative,
        }
    }
}

/// Placement: `principal` (Asil), `reserve` (Yedek), `unsuccessful` (Olumsuz).
#[derive(Serialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum PlacementCode {
    Principal,
    Reserve,
    Unsuccessful,
}

impl From<PlacementResult> for PlacementCode {
    fn from(p: PlacementResult) -> Self {
        match p {
            PlacementResult::Principal => Self::Principal,
            PlacementResult::Reserve => Self::Reserve,
            PlacementResult::Unsuccessful => Self::Unsuccessful,
        }
    }
}

/// The posting an application belongs to.
#[derive(Serialize, ToSchema)]
pub struct PostingRef {
    pub id: Uuid,
    #[schema(example = 12)]
    pub posting_no: i64,
    pub title: String,
    pub institution_name: String,
    #[schema(value_type = String, format = Date)]
    pub ends_on: String,
    /// `draft`, `published` or `cancelled`.
    pub status: String,
    /// `upcoming`, `open` or `closed`.
    pub window: String,
}

fn posting_ref(p: &Posting, now: OffsetDateTime) -> PostingRef {
    PostingRef {
        id: p.id.as_uuid(),
        posting_no: p.posting_no,
        title: p.title.clone(),
        institution_name: p.institution_name.clone(),
        ends_on: date_str(p.ends_on),
        status: p.status.as_str().to_owned(),
        window: match p.window_state(now) {
            WindowState::Upcoming => "upcoming",
            WindowState::Open => "open",
            WindowState::Closed => "closed",
        }
        .to_owned(),
    }
}

/// The chosen sub-posting (pozisyon).
#[derive(Serialize, ToSchema)]
pub struct SubPostingRef {
    pub no: u32,
    pub title: String,
    pub text: String,
}

/// The candidate as the identity registry gives them (shown for confirmation).
#[derive(Serialize, ToSchema)]
pub struct CandidateView {
    #[schema(example = "10000000146")]
    pub tckn: String,
    pub first_name: String,
    pub last_name: String,
    #[schema(value_type = String, format = Date)]
    pub birth_date: String,
    pub province: u8,
    pub district_code: i32,
    pub open_address: String,
}

/// Where the wizard stands; `missing_steps` empty means the preview can be submitted.
#[derive(Serialize, ToSchema)]
pub struct WizardView {
    #[serde(with = "time::serde::rfc3339::option")]
    pub posting_text_accepted_at: Option<OffsetDateTime>,
    pub sub_posting_no: Option<u32>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub sub_posting_text_accepted_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub registry_confirmed_at: Option<OffsetDateTime>,
    /// Of `posting_text`, `sub_posting`, `sub_posting_text`, `declarations`, in order.
    #[schema(example = json!(["declarations"]))]
    pub missing_steps: Vec<String>,
    /// The step a resumed wizard opens on; `null` means the preview.
    pub next_step: Option<String>,
}

/// Who cancelled (`candidate` or `institution`), why (the institution's reason), when.
#[derive(Serialize, ToSchema)]
pub struct CancellationView {
    #[schema(example = "institution")]
    pub by: String,
    pub reason: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// The password and link of an online stage.
#[derive(Serialize, ToSchema)]
pub struct OnlineAccessView {
    #[schema(example = "h7Qk2mXp9a")]
    pub password: String,
    #[schema(example = "https://cam.kariyerkapisi.local/gorusme/12/2/q8w7e6r5t4y3u2i1")]
    pub link: String,
}

/// One evaluation stage on one application (Değerleme Sonuçları).
#[derive(Serialize, ToSchema)]
pub struct StageResultView {
    pub stage_no: u32,
    /// `pre_assessment`, `written_exam`, `practical_exam`, `oral_exam`, `interview`.
    pub kind: String,
    pub name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub starts_at: OffsetDateTime,
    /// `in_person` or `online`.
    pub mode: String,
    pub place: Option<String>,
    pub invited: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    pub invited_at: Option<OffsetDateTime>,
    /// For candidates only once the institution has approved the stage's results.
    pub score: Option<f64>,
    /// `pending` for candidates until the results are approved.
    pub outcome: OutcomeCode,
    #[schema(example = "Bekliyor")]
    pub outcome_label: String,
    pub results_approved: bool,
    /// An online stage's password and link, for the candidate from the stage's time.
    pub access: Option<OnlineAccessView>,
    /// When `access` becomes available.
    #[serde(with = "time::serde::rfc3339::option")]
    pub access_from: Option<OffsetDateTime>,
}

fn stage_view(v: StageView) -> StageResultView {
    let (mode, place) = match &v.stage.venue {
        StageVenue::InPerson { place } => ("in_person", Some(place.clone())),
        StageVenue::Online => ("online", None),
    };
    StageResultView {
        stage_no: v.stage.no,
        kind: v.stage.kind.as_str().to_owned(),
        name: v.stage.name.clone(),
        starts_at: v.stage.starts_at,
        mode: mode.to_owned(),
        place,
        invited: v.invited_at.is_some(),
        invited_at: v.invited_at,
        score: v.score.map(|s| s.as_f64()),
        outcome: v.outcome.into(),
        outcome_label: v.outcome.label_tr().to_owned(),
        results_approved: v.results_approved,
        access: v.access.map(|a| OnlineAccessView {
            password: a.password,
            link: a.link,
        }),
        access_from: v.access_from,
    }
}

/// The final placement of the application.
#[derive(Serialize, ToSchema)]
pub struct PlacementView {
    pub result: PlacementCode,
    #[schema(example = "Asil")]
    pub result_label: String,
    /// Rank within the sub-posting among those who passed every stage.
    pub rank: Option<u32>,
    pub final_score: Option<f64>,
}

/// An application (başvuru) with every saved step — the wizard's preview — its status,
/// cancellation, evaluation stages and placement.
#[derive(Serialize, ToSchema)]
pub struct ApplicationView {
    pub id: Uuid,
    pub posting: PostingRef,
    pub sub_posting: Option<SubPostingRef>,
    pub status: ApplicationStatusCode,
    #[schema(example = "Başvuru Bekliyor")]
    pub status_label: String,
    pub candidate: CandidateView,
    pub wizard: WizardView,
    pub declarations: Option<DeclarationsBody>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub submitted_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub approved_at: Option<OffsetDateTime>,
    pub cancellation: Option<CancellationView>,
    /// The candidate may cancel until this instant (the posting's end date, 23:59:59 Istanbul).
    #[serde(with = "time::serde::rfc3339")]
    pub cancellable_until: OffsetDateTime,
    /// The latest stage the candidate was invited to (Değerleme Aşaması).
    pub current_stage: Option<String>,
    pub stages: Vec<StageResultView>,
    pub placement: Option<PlacementView>,
    pub version: i64,
}

fn view(a: &Application, p: &Posting, reader: Reader, now: OffsetDateTime) -> ApplicationView {
    let w = &a.wizard;
    let missing = w.missing_steps();
    ApplicationView {
        id: a.id.as_uuid(),
        posting: posting_ref(p, now),
        sub_posting: w
            .sub_posting_no
            .and_then(|n| p.sub_posting(n))
            .map(|s| SubPostingRef {
                no: s.no,
                title: s.title.clone(),
                text: s.text.clone(),
            }),
        status: a.status.into(),
        status_label: a.status.label_tr().to_owned(),
        candidate: CandidateView {
            tckn: a.candidate.tckn.as_str().to_owned(),
            first_name: a.candidate.first_name.clone(),
            last_name: a.candidate.last_name.clone(),
            birth_date: date_str(a.candidate.birth_date),
            province: a.candidate.province,
            district_code: a.candidate.district_code,
            open_address: a.candidate.open_address.clone(),
        },
        wizard: WizardView {
            posting_text_accepted_at: w.posting_text_accepted_at,
            sub_posting_no: w.sub_posting_no,
            sub_posting_text_accepted_at: w.sub_posting_text_accepted_at,
            registry_confirmed_at: w.registry_confirmed_at,
            missing_steps: missing.iter().map(|s| s.as_str().to_owned()).collect(),
            next_step: w.next_step().map(|s: Step| s.as_str().to_owned()),
        },
        declarations: w.declarations.as_ref().map(DeclarationsBody::from),
        submitted_at: a.submitted_at,
        approved_at: a.approved_at,
        cancellation: a.cancellation.as_ref().map(|c| CancellationView {
            by: match c.by {
                CancelledBy::Candidate => "candidate",
                CancelledBy::Institution => "institution",
            }
            .to_owned(),
            reason: c.reason.clone(),
            at: c.at,
        }),
        cancellable_until: p
            .application_deadline()
            .replace_nanosecond(0)
            .unwrap_or(p.application_deadline()),
        current_stage: a
            .current_stage()
            .and_then(|n| p.stage(n))
            .map(|s| s.name.clone()),
        stages: uc::stage_views(a, p, reader, now)
            .into_iter()
            .map(stage_view)
            .collect(),
        placement: a.placement.map(|x| PlacementView {
            result: x.result.into(),
            result_label: x.result.label_tr().to_owned(),
            rank: x.rank,
            final_score: x.final_score.map(|s| s.as_f64()),
        }),
        version: a.version,
    }
}

/// The posting of a command the institution just ran (it exists: the use case loaded it).
fn posting_of(repo: &mut ApplicationRepo<'_>, id: PostingId) -> Result<Posting, DomainError> {
    uc::ApplicationStore::posting(repo, id)?.ok_or_else(kapi_postings::usecases::not_found)
}

/// Applications a bulk command touched, as the institution sees them.
fn institution_list(apps: &[Application], posting: &Posting, now: OffsetDateTime) -> HttpResponse {
    HttpResponse::Ok().json(Paged::all(
        apps.iter()
            .map(|a| view(a, posting, Reader::Institution, now))
            .collect(),
    ))
}

fn respond(actor: &Actor, l: &Loaded, now: OffsetDateTime, status: StatusCode) -> HttpResponse {
    let mut res = HttpResponse::build(status);
    res.insert_header((header::ETAG, etag(l.application.version)));
    if status == StatusCode::CREATED {
        res.insert_header((
            header::LOCATION,
            format!("/api/v1/applications/{}", l.application.id),
        ));
    }
    res.json(view(&l.application, &l.posting, uc::reader_of(actor), now))
}

// ---------------------------------------------------------------------------------------
// Declarations (the registry step)

/// High-school graduation (Lise Mezuniyet Bilgileri).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HighSchoolBody {
    #[schema(example = "Ankara Fen Lisesi")]
    pub school_name: String,
    #[schema(value_type = String, format = Date, example = "2015-06-15")]
    pub graduation_date: String,
    /// 0–100.
    #[schema(example = 92.5)]
    pub diploma_grade: f64,
}

/// University graduation (Üniversite Mezuniyet Bilgileri).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UniversityBody {
    /// `associate`, `bachelor`, `master` or `doctorate`.
    #[schema(example = "bachelor")]
    pub level: String,
    #[schema(example = "Orta Doğu Teknik Üniversitesi")]
    pub university: String,
    #[schema(example = "Bilgisayar Mühendisliği")]
    pub department: String,
    #[schema(value_type = String, format = Date, example = "2019-06-30")]
    pub graduation_date: String,
    /// Within the scale: 0–4 or 0–100.
    #[schema(example = 3.41)]
    pub grade: f64,
    /// `four` or `hundred`.
    #[schema(example = "four")]
    pub grade_scale: String,
}

/// Minor (Yan Dal Öğrenim Bilgileri).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MinorBody {
    pub university: String,
    pub department: String,
    #[schema(value_type = String, format = Date)]
    pub graduation_date: String,
}

/// Exchange programme (Değişim Programı Bilgileri).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExchangeProgrammeBody {
    #[schema(example = "Erasmus+")]
    pub programme: String,
    pub university: String,
    pub country: String,
    #[schema(value_type = String, format = Date)]
    pub starts_on: String,
    #[schema(value_type = String, format = Date)]
    pub ends_on: String,
}

/// Work experience (Çalışma Bilgileri).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WorkExperienceBody {
    pub employer: String,
    pub position: String,
    /// `public` or `private`.
    #[schema(example = "private")]
    pub sector: String,
    #[schema(value_type = String, format = Date)]
    pub starts_on: String,
    /// Leave out while still working there.
    #[schema(value_type = Option<String>, format = Date)]
    pub ends_on: Option<String>,
}

/// Compulsory service (Mecburi Hizmet Bilgileri).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompulsoryServiceBody {
    pub institution: String,
    #[schema(value_type = String, format = Date)]
    pub ends_on: String,
}

/// A foreign-language exam result (Yabancı Dil Sınavı Beyan Bilgileri).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LanguageExamBody {
    #[schema(example = "İngilizce")]
    pub language: String,
    /// `yds`, `e_yds`, `yokdil` (0–100), `toefl_ibt` (0–120), `ielts` (0–9), `other` (0–100).
    #[schema(example = "yds")]
    pub exam: String,
    #[schema(value_type = String, format = Date, example = "2025-04-06")]
    pub exam_date: String,
    #[schema(example = 87.5)]
    pub score: f64,
}

/// Everything the candidate declares; each part optional, lists up to 10 entries.
#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct DeclarationsBody {
    pub high_school: Option<HighSchoolBody>,
    #[serde(default)]
    pub universities: Vec<UniversityBody>,
    #[serde(default)]
    pub minors: Vec<MinorBody>,
    #[serde(default)]
    pub exchange_programmes: Vec<ExchangeProgrammeBody>,
    #[serde(default)]
    pub work_experience: Vec<WorkExperienceBody>,
    pub compulsory_service: Option<CompulsoryServiceBody>,
    #[serde(default)]
    pub language_exams: Vec<LanguageExamBody>,
    /// Diğer Beyan Bilgileri, 2–2000 characters.
    pub other: Option<String>,
}

fn code<T: Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|x| x.as_str().map(str::to_owned))
        .unwrap_or_default()
}

impl From<&d::Declarations> for DeclarationsBody {
    fn from(x: &d::Declarations) -> Self {
        DeclarationsBody {
            high_school: x.high_school.as_ref().map(|h| HighSchoolBody {
                school_name: h.school_name.clone(),
                graduation_date: date_str(h.graduation_date),
                diploma_grade: h.diploma_grade,
            }),
            universities: x
                .universities
                .iter()
                .map(|u| UniversityBody {
                    level: code(u.level),
                    university: u.university.clone(),
                    department: u.department.clone(),
                    graduation_date: date_str(u.graduation_date),
                    grade: u.grade,
                    grade_scale: code(u.grade_scale),
                })
                .collect(),
            minors: x
                .minors
                .iter()
                .map(|m| MinorBody {
                    university: m.university.clone(),
                    department: m.department.clone(),
                    graduation_date: date_str(m.graduation_date),
                })
                .collect(),
            exchange_programmes: x
                .exchange_programmes
                .iter()
                .map(|e| ExchangeProgrammeBody {
                    programme: e.programme.clone(),
                    university: e.university.clone(),
                    country: e.country.clone(),
                    starts_on: date_str(e.starts_on),
                    ends_on: date_str(e.ends_on),
                })
                .collect(),
            work_experience: x
                .work_experience
                .iter()
                .map(|w| WorkExperienceBody {
                    employer: w.employer.clone(),
                    position: w.position.clone(),
                    sector: code(w.sector),
                    starts_on: date_str(w.starts_on),
                    ends_on: w.ends_on.map(date_str),
                })
                .collect(),
            compulsory_service: x
                .compulsory_service
                .as_ref()
                .map(|c| CompulsoryServiceBody {
                    institution: c.institution.clone(),
                    ends_on: date_str(c.ends_on),
                }),
            language_exams: x
                .language_exams
                .iter()
                .map(|l| LanguageExamBody {
                    language: l.language.clone(),
                    exam: code(l.exam),
                    exam_date: date_str(l.exam_date),
                    score: l.score,
                })
                .collect(),
            other: x.other.clone(),
        }
    }
}

impl From<DeclarationsBody> for d::DeclarationsInput {
    fn from(b: DeclarationsBody) -> Self {
        d::DeclarationsInput {
            high_school: b.high_school.map(|h| d::HighSchoolInput {
                school_name: h.school_name,
                graduation_date: h.graduation_date,
                diploma_grade: h.diploma_grade,
            }),
            universities: b
                .universities
                .into_iter()
                .map(|u| d::UniversityInput {
                    level: u.level,
                    university: u.university,
                    department: u.department,
                    graduation_date: u.graduation_date,
                    grade: u.grade,
                    grade_scale: u.grade_scale,
                })
                .collect(),
            minors: b
                .minors
                .into_iter()
                .map(|m| d::MinorInput {
                    university: m.university,
                    department: m.department,
                    graduation_date: m.graduation_date,
                })
                .collect(),
            exchange_programmes: b
                .exchange_programmes
                .into_iter()
                .map(|e| d::ExchangeProgrammeInput {
                    programme: e.programme,
                    university: e.university,
                    country: e.country,
                    starts_on: e.starts_on,
                    ends_on: e.ends_on,
                })
                .collect(),
            work_experience: b
                .work_experience
                .into_iter()
                .map(|w| d::WorkExperienceInput {
                    employer: w.employer,
                    position: w.position,
                    sector: w.sector,
                    starts_on: w.starts_on,
                    ends_on: w.ends_on,
                })
                .collect(),
            compulsory_service: b.compulsory_service.map(|c| d::CompulsoryServiceInput {
                institution: c.institution,
                ends_on: c.ends_on,
            }),
            language_exams: b
                .language_exams
                .into_iter()
                .map(|l| d::LanguageExamInput {
                    language: l.language,
                    exam: l.exam,
                    exam_date: l.exam_date,
                    score: l.score,
                })
                .collect(),
            other: b.other,
        }
    }
}

// ---------------------------------------------------------------------------------------
// The candidate's wizard

/// Start applying to an active posting ("Başvur"), or resume the draft.
///
/// Start applying to an active posting ("Başvur"), or resume the draft already started:
/// 201 with a new draft, 200 with the existing one. The draft carries the registry data
/// and `wizard.next_step`.
#[utoipa::path(
    operation_id = "start_application",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Posting id")),
    responses(
        (status = 201, description = "A new draft", body = ApplicationView, headers(("ETag" = String), ("Location" = String))),
        (status = 200, description = "Your draft, resumed", body = ApplicationView, headers(("ETag" = String))),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a candidate (`application.citizen_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such posting, or not public (a draft, upcoming or cancelled posting: `posting.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already applied (`application.already_applied`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Outside the application window (`application.window_closed`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/postings/{id}/applications")]
pub async fn start_application(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = posting_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let a = actor.clone();
    let (l, created) = write(&state, move |c| {
        uc::start_application(&mut ApplicationRepo::new(c, now), &a, id, now)
    })
    .await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok(respond(&actor, &l, now, status))
}

/// "Yukarıdaki bilgilendirme yazısını okudum ve kabul ediyorum."
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptRequest {
    #[schema(example = true)]
    pub accepted: bool,
}

macro_rules! wizard_errors {
    () => {
        "`application.step_order` (an earlier step is not saved), `application.acceptance_required` (`accepted` false), `application.window_closed`, or a named field"
    };
}

/// Step 1: accept the posting's information text.
#[utoipa::path(
    operation_id = "accept_posting_text",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body = AcceptRequest,
    responses(
        (status = 200, description = "Saved", body = ApplicationView, headers(("ETag" = String))),
        (status = 403, description = "Not a candidate", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not your application", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already submitted (`application.not_draft`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = wizard_errors!(), body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/applications/{id}/posting-text")]
pub async fn accept_posting_text(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<AcceptRequest>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let a = actor.clone();
    let l = write(&state, move |c| {
        uc::accept_posting_text(
            &mut ApplicationRepo::new(c, now),
            &a,
            id,
            body.0.accepted,
            now,
        )
    })
    .await?;
    Ok(respond(&actor, &l, now, StatusCode::OK))
}

/// The one sub-posting (pozisyon) applied for.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubPostingChoice {
    /// `no` of one of the posting's `sub_postings`.
    #[schema(example = 1)]
    pub sub_posting_no: i64,
}

/// Step 2: choose one sub-posting.
///
/// Step 2: choose exactly one sub-posting. Choosing another one later takes back the
/// acceptance of the previous one's text (step 3 is then missing again).
#[utoipa::path(
    operation_id = "choose_sub_posting",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body = SubPostingChoice,
    responses(
        (status = 200, description = "Saved", body = ApplicationView, headers(("ETag" = String))),
        (status = 403, description = "Not a candidate", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not your application", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already submitted (`application.not_draft`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`sub_posting_no` not of this posting (`sub_posting.unknown`), or a wizard error", body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/applications/{id}/sub-posting")]
pub async fn choose_sub_posting(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<SubPostingChoice>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let a = actor.clone();
    let l = write(&state, move |c| {
        uc::choose_sub_posting(
            &mut ApplicationRepo::new(c, now),
            &a,
            id,
            body.0.sub_posting_no,
            now,
        )
    })
    .await?;
    Ok(respond(&actor, &l, now, StatusCode::OK))
}

/// Step 3: accept the chosen sub-posting's text.
#[utoipa::path(
    operation_id = "accept_sub_posting_text",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body = AcceptRequest,
    responses(
        (status = 200, description = "Saved", body = ApplicationView, headers(("ETag" = String))),
        (status = 403, description = "Not a candidate", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not your application", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already submitted (`application.not_draft`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = wizard_errors!(), body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/applications/{id}/sub-posting-text")]
pub async fn accept_sub_posting_text(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<AcceptRequest>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let a = actor.clone();
    let l = write(&state, move |c| {
        uc::accept_sub_posting_text(
            &mut ApplicationRepo::new(c, now),
            &a,
            id,
            body.0.accepted,
            now,
        )
    })
    .await?;
    Ok(respond(&actor, &l, now, StatusCode::OK))
}

/// The registry step: the registry data confirmed and the declarations.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclarationsRequest {
    /// The identity registry data shown in `candidate` is correct.
    #[schema(example = true)]
    pub registry_confirmed: bool,
    #[serde(default)]
    pub declarations: DeclarationsBody,
}

/// Step 4: confirm the registry data, save the declarations.
///
/// Step 4: confirm the registry data and save the declarations (all of them, replacing
/// what was saved). Dates are YYYY-MM-DD; graduations, exams and job starts must not be in
/// the future; grades and scores within their scale. Every invalid field is named
/// (`declarations.language_exams[1].score`).
#[utoipa::path(
    operation_id = "save_declarations",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body(content = DeclarationsRequest, example = json!({
        "registry_confirmed": true,
        "declarations": {
            "universities": [{"level": "bachelor", "university": "Orta Doğu Teknik Üniversitesi", "department": "Bilgisayar Mühendisliği", "graduation_date": "2019-06-30", "grade": 3.41, "grade_scale": "four"}],
            "language_exams": [{"language": "İngilizce", "exam": "yds", "exam_date": "2025-04-06", "score": 87.5}]
        }
    })),
    responses(
        (status = 200, description = "Saved", body = ApplicationView, headers(("ETag" = String))),
        (status = 403, description = "Not a candidate", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not your application", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already submitted (`application.not_draft`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`registry_confirmed` false (`application.registry_not_confirmed`), `date.format`, `date.in_future`, `date.before_start`, `score.range`, `code.unknown`, `declarations.too_many`, or a wizard error", body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/applications/{id}/declarations")]
pub async fn save_declarations(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<DeclarationsRequest>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let a = actor.clone();
    let b = body.0;
    let l = write(&state, move |c| {
        uc::save_declarations(
            &mut ApplicationRepo::new(c, now),
            &a,
            id,
            b.registry_confirmed,
            b.declarations.into(),
            now,
        )
    })
    .await?;
    Ok(respond(&actor, &l, now, StatusCode::OK))
}

/// Step 5: accept the preview and submit.
///
/// Step 5: the preview (`GET /applications/{id}`) accepted and submitted — status
/// `pending` (Başvuru Bekliyor). Every step must be saved (422
/// `application.steps_incomplete` naming `steps.<step>`), `accepted` true, and the posting
/// inside its window.
#[utoipa::path(
    operation_id = "submit_application",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body = AcceptRequest,
    responses(
        (status = 200, description = "Submitted", body = ApplicationView, headers(("ETag" = String))),
        (status = 403, description = "Not a candidate", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not your application", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already submitted (`application.not_draft`) or posting cancelled", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`application.steps_incomplete`, `application.acceptance_required`, `application.window_closed`", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/applications/{id}/submit")]
pub async fn submit_application(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<AcceptRequest>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let a = actor.clone();
    let l = write(&state, move |c| {
        uc::submit_application(
            &mut ApplicationRepo::new(c, now),
            &a,
            id,
            body.0.accepted,
            now,
        )
    })
    .await?;
    Ok(respond(&actor, &l, now, StatusCode::OK))
}

/// A cancellation; the institution must give a reason, the candidate gives none.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelApplicationRequest {
    /// Institution only: 5–500 characters, shown to the candidate.
    #[schema(example = "İlan şartlarında belirtilen mezuniyet şartını taşımamaktadır.")]
    pub reason: Option<String>,
}

/// Cancel an application.
///
/// Cancel an application. The candidate: their own, **only until the posting's end date**
/// (23:59:59 Istanbul; afterwards 422 `application.deadline_passed`) — they may then apply
/// again before that date. The institution: a submitted application of its posting, with a
/// reason the candidate sees, until the placement is published.
#[utoipa::path(
    operation_id = "cancel_application",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    request_body = CancelApplicationRequest,
    responses(
        (status = 200, description = "Cancelled", body = ApplicationView, headers(("ETag" = String))),
        (status = 403, description = "Neither a candidate nor institution staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already cancelled (`application.cancelled`) or placement published (`posting.placement_published`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "After the end date (`application.deadline_passed`); the institution's `reason` missing or too short", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/applications/{id}/cancel")]
pub async fn cancel_application(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<CancelApplicationRequest>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let a = actor.clone();
    let reason = body.0.reason;
    let l = write(&state, move |c| {
        let repo = &mut ApplicationRepo::new(c, now);
        match &a {
            Actor::InstitutionStaff { .. } => {
                uc::cancel_by_institution(repo, &a, id, reason.as_deref().unwrap_or(""), now)
            }
            _ => {
                if reason.is_some() {
                    return Err(DomainError::rule(FieldError::new(
                        "reason",
                        "application.reason_institution_only",
                        "Only the institution gives a reason.",
                    )));
                }
                uc::cancel_by_candidate(repo, &a, id, now)
            }
        }
    })
    .await?;
    Ok(respond(&actor, &l, now, StatusCode::OK))
}

// ---------------------------------------------------------------------------------------
// Reading

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct MyApplicationsQuery {
    /// `live` (Başvurularım: drafts, pending, approved — the default) or `cancelled`
    /// (İptal Edilen Başvurularım).
    pub view: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The candidate's applications, newest first.
///
/// The candidate's applications, newest first: "Başvurularım" or, with `view=cancelled`,
/// "İptal Edilen Başvurularım" (with who cancelled and the institution's reason).
#[utoipa::path(
    operation_id = "list_my_applications",
    tag = "applications",
    security(("bearer" = [])),
    params(MyApplicationsQuery),
    responses(
        (status = 200, description = "A page of applications", body = Paged<ApplicationView>),
        (status = 403, description = "Not a candidate", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad `view` or paging", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/applications")]
pub async fn list_my_applications(
    state: web::Data<AppState>,
    auth: Authenticated,
    q: QueryParams<MyApplicationsQuery>,
) -> ApiResult<HttpResponse> {
    let page = PageRequest::new(q.0.page, q.0.per_page)?;
    let cancelled = match q.0.view.as_deref() {
        None | Some("live") => false,
        Some("cancelled") => true,
        Some(_) => {
            return Err(DomainError::rule(FieldError::new(
                "view",
                "application.view_unknown",
                "One of live, cancelled.",
            ))
            .into())
        }
    };
    let now = state.clock.now();
    let actor = auth.0;
    let a = actor.clone();
    let p = read(&state, move |c| {
        uc::my_applications(&mut ApplicationRepo::new(c, now), &a, cancelled, page)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::from_page(p, |l| {
        view(&l.application, &l.posting, Reader::Candidate, now)
    })))
}

/// One application, for the candidate with the wizard's preview.
///
/// One application — for the candidate also the wizard's preview (every saved step,
/// `wizard.missing_steps`). Scores and outcomes appear for the candidate only once the
/// institution approves a stage's results; an online stage's password and link from its
/// time. The institution sees submitted applications of its own postings.
#[utoipa::path(
    operation_id = "get_application",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, description = "The application", body = ApplicationView, headers(("ETag" = String))),
        (status = 404, description = "Not yours (`application.not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/applications/{id}")]
pub async fn get_application(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let a = actor.clone();
    let l = read(&state, move |c| {
        uc::get_application(&mut ApplicationRepo::new(c, now), &a, id)
    })
    .await?;
    Ok(respond(&actor, &l, now, StatusCode::OK))
}

/// The application's history (İşlem Hareketleri).
///
/// The application's history (İşlem Hareketleri): every status change, invitation, result
/// announcement and placement, with Turkish notes.
#[utoipa::path(
    operation_id = "application_history",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, description = "Oldest first", body = Paged<HistoryEntryView>),
        (status = 404, description = "Not yours", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/applications/{id}/history")]
pub async fn application_history(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let entries = read(&state, move |c| {
        uc::application_history(&mut ApplicationRepo::new(c, now), &actor, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::all(
        entries.into_iter().map(HistoryEntryView::from).collect(),
    )))
}

/// One invitation in "Sınavlarım/Mülakatlarım".
#[derive(Serialize, ToSchema)]
pub struct ExamInvitationView {
    pub application_id: Uuid,
    pub posting: PostingRef,
    pub sub_posting_title: Option<String>,
    pub stage: StageResultView,
}

/// "Sınavlarım/Mülakatlarım": the candidate's stage invitations.
///
/// "Sınavlarım/Mülakatlarım": every stage the candidate is invited to, soonest first, with
/// date/time and place; score and Olumlu / Olumsuz once approved (Bekliyor before); for an
/// online interview the password and meeting link from the interview time.
#[utoipa::path(
    operation_id = "list_exam_invitations",
    tag = "applications",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every invitation", body = Paged<ExamInvitationView>),
        (status = 403, description = "Not a candidate", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/exam-invitations")]
pub async fn list_exam_invitations(
    state: web::Data<AppState>,
    auth: Authenticated,
) -> ApiResult<HttpResponse> {
    let now = state.clock.now();
    let actor = auth.0;
    let list = read(&state, move |c| {
        uc::my_exams(&mut ApplicationRepo::new(c, now), &actor, now)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::all(
        list.into_iter()
            .map(|e| ExamInvitationView {
                application_id: e.application.id.as_uuid(),
                posting: posting_ref(&e.posting, now),
                sub_posting_title: e
                    .application
                    .wizard
                    .sub_posting_no
                    .and_then(|n| e.posting.sub_posting(n))
                    .map(|s| s.title.clone()),
                stage: stage_view(e.stage),
            })
            .collect(),
    )))
}

// ---------------------------------------------------------------------------------------
// The institution

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PostingApplicationsQuery {
    pub sub_posting_no: Option<i64>,
    /// `pending`, `approved` or `cancelled`.
    pub status: Option<String>,
    /// Part of the candidate's name, Turkish-folded.
    pub name: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The submitted applications of the institution's posting.
///
/// The submitted applications of the institution's posting, in submission order, filtered
/// by sub-posting, status and name.
#[utoipa::path(
    operation_id = "list_posting_applications",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Posting id"), PostingApplicationsQuery),
    responses(
        (status = 200, description = "A page of applications", body = Paged<ApplicationView>),
        (status = 403, description = "Not institution staff (`application.institution_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not your institution's posting", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown `status` or `sub_posting_no`", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/postings/{id}/applications")]
pub async fn list_posting_applications(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    q: QueryParams<PostingApplicationsQuery>,
) -> ApiResult<HttpResponse> {
    let id = posting_id(&id)?;
    let q = q.0;
    let page = PageRequest::new(q.page, q.per_page)?;
    let status = match q.status.as_deref() {
        None => None,
        Some(s) => Some(
            ApplicationStatus::parse(s)
                .filter(|s| *s != ApplicationStatus::Draft)
                .ok_or_else(|| {
                    DomainError::rule(FieldError::new(
                        "status",
                        "application.status_unknown",
                        "One of pending, approved, cancelled.",
                    ))
                })?,
        ),
    };
    let sub_posting_no = match q.sub_posting_no {
        None => None,
        Some(n) => Some(u32::try_from(n).map_err(|_| {
            DomainError::rule(FieldError::new(
                "sub_posting_no",
                "sub_posting.unknown",
                "Not a sub-posting of this posting.",
            ))
        })?),
    };
    let filter = ApplicationFilter {
        sub_posting_no,
        status,
        name: q
            .name
            .filter(|n| !n.trim().is_empty())
            .map(|n| search_fold(&n)),
    };
    let now = state.clock.now();
    let actor = auth.0;
    let (p, posting) = read(&state, move |c| {
        let repo = &mut ApplicationRepo::new(c, now);
        let found = uc::posting_applications(repo, &actor, id, &filter, page)?;
        let posting = posting_of(repo, id)?;
        Ok((found, posting))
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::from_page(p, |a| {
        view(&a, &posting, Reader::Institution, now)
    })))
}

/// Applications named by id (bulk commands), 1–500.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationIdsRequest {
    pub application_ids: Vec<Uuid>,
}

fn ids(b: ApplicationIdsRequest) -> Vec<ApplicationId> {
    b.application_ids
        .into_iter()
        .map(ApplicationId::from_uuid)
        .collect()
}

/// Approve pending applications of the posting in bulk.
///
/// Approve pending applications of the posting in bulk (Başvuru Onaylandı): all or
/// nothing; each refused one is named (`application_ids[2]`: `application.not_pending`,
/// `application.not_found`).
#[utoipa::path(
    operation_id = "approve_applications",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Posting id")),
    request_body = ApplicationIdsRequest,
    responses(
        (status = 200, description = "Approved", body = Paged<ApplicationView>),
        (status = 403, description = "Not institution staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not your institution's posting", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Placement published (`posting.placement_published`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Named refusals; `bulk.size`", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/postings/{id}/applications/approve")]
pub async fn approve_applications(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<ApplicationIdsRequest>,
) -> ApiResult<HttpResponse> {
    let id = posting_id(&id)?;
    let list = ids(body.0);
    let now = state.clock.now();
    let actor = auth.0;
    let (apps, posting) = write(&state, move |c| {
        let repo = &mut ApplicationRepo::new(c, now);
        let apps = uc::approve_applications(repo, &actor, id, &list, now)?;
        let posting = posting_of(repo, id)?;
        Ok((apps, posting))
    })
    .await?;
    Ok(institution_list(&apps, &posting, now))
}

/// Approve one pending application (institution).
#[utoipa::path(
    operation_id = "approve_application",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Application id")),
    responses(
        (status = 200, description = "Approved", body = ApplicationView, headers(("ETag" = String))),
        (status = 403, description = "Not institution staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not your institution's application", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not pending (`application.not_pending`) or placement published", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/applications/{id}/approve")]
pub async fn approve_application(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = application_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let a = actor.clone();
    let l = write(&state, move |c| {
        let repo = &mut ApplicationRepo::new(c, now);
        let current = uc::get_application(repo, &a, id)?;
        let approved = uc::approve_applications(repo, &a, current.posting.id, &[id], now).map_err(
            |mut e| {
                // One application: not pending is a state conflict, without the bulk field.
                if let Some(f) = e.fields.first() {
                    e = DomainError::conflict(f.code.clone(), f.message.clone());
                }
                e
            },
        )?;
        let application = approved
            .into_iter()
            .next()
            .ok_or_else(|| DomainError::internal("approval returned nothing"))?;
        Ok(Loaded {
            application,
            posting: current.posting,
        })
    })
    .await?;
    Ok(respond(&actor, &l, now, StatusCode::OK))
}

fn stage_no(raw: &str) -> Result<u32, crate::problem::ApiError> {
    path_id(raw, "stage.not_found")
}

/// Invite approved applications to a stage.
///
/// Invite approved applications to a stage, once the application window has closed. For a
/// later stage the previous stage's results must be approved and every candidate must have
/// passed every earlier stage. Inviting someone again changes nothing. An online stage gives
/// each invitation its own access password and meeting link (the candidate sees them from
/// the stage's time).
#[utoipa::path(
    operation_id = "invite_to_stage",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Posting id"), ("no" = u32, Path, description = "Stage number")),
    request_body = ApplicationIdsRequest,
    responses(
        (status = 200, description = "The invited applications", body = Paged<ApplicationView>),
        (status = 403, description = "Not institution staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not your posting, or no such stage (`stage.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`posting.window_open`, `posting.not_published`, `stage.previous_not_approved`, `stage.results_approved`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`application_ids[i]`: `application.not_found`, `application.not_approved`, `application.not_passed_earlier_stage`", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/postings/{id}/stages/{no}/invitations")]
pub async fn invite_to_stage(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<(String, String)>,
    body: JsonBody<ApplicationIdsRequest>,
) -> ApiResult<HttpResponse> {
    let (id, no) = path.into_inner();
    let id = posting_id(&id)?;
    let no = stage_no(&no)?;
    let list = ids(body.0);
    let now = state.clock.now();
    let actor = auth.0;
    let (apps, posting) = write(&state, move |c| {
        let repo = &mut ApplicationRepo::new(c, now);
        let mut rooms = LocalMeetingRooms {
            base_url: MEETING_BASE_URL.to_owned(),
        };
        let apps = uc::invite_to_stage(repo, &mut rooms, &actor, id, no, &list, now)?;
        let posting = posting_of(repo, id)?;
        Ok((apps, posting))
    })
    .await?;
    Ok(institution_list(&apps, &posting, now))
}

/// One candidate's result in a stage.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageResultBody {
    pub application_id: Uuid,
    /// 0–100, at most two decimals; leave out for a pass/fail stage.
    #[schema(example = 85.5)]
    pub score: Option<f64>,
    /// `positive` (Olumlu), `negative` (Olumsuz) or `pending` (Bekliyor).
    #[schema(example = "positive")]
    pub outcome: String,
}

/// Results of a stage, 1–500 at a time.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageResultsRequest {
    pub results: Vec<StageResultBody>,
}

/// Record (or correct) scores and outcomes of invited candidates.
///
/// Record (or correct) scores and outcomes of invited candidates, from the stage's time
/// until its results are approved. Candidates see nothing of it until the approval.
#[utoipa::path(
    operation_id = "record_stage_results",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Posting id"), ("no" = u32, Path, description = "Stage number")),
    request_body = StageResultsRequest,
    responses(
        (status = 200, description = "The applications with their results", body = Paged<ApplicationView>),
        (status = 403, description = "Not institution staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not your posting, or no such stage", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`stage.not_started`, `stage.results_approved`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`results[i].score` (`score.range`, `score.precision`), `results[i].outcome`, `results[i].application_id` (`application.not_invited`, `application.cancelled`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/postings/{id}/stages/{no}/results")]
pub async fn record_stage_results(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<(String, String)>,
    body: JsonBody<StageResultsRequest>,
) -> ApiResult<HttpResponse> {
    let (id, no) = path.into_inner();
    let id = posting_id(&id)?;
    let no = stage_no(&no)?;
    let input: Vec<uc::ResultInput> = body
        .0
        .results
        .into_iter()
        .map(|r| uc::ResultInput {
            application_id: ApplicationId::from_uuid(r.application_id),
            score: r.score,
            outcome: r.outcome,
        })
        .collect();
    let now = state.clock.now();
    let actor = auth.0;
    let (apps, posting) = write(&state, move |c| {
        let repo = &mut ApplicationRepo::new(c, now);
        let apps = uc::record_results(repo, &actor, id, no, &input, now)?;
        let posting = posting_of(repo, id)?;
        Ok((apps, posting))
    })
    .await?;
    Ok(institution_list(&apps, &posting, now))
}

/// A stage's state after its results were approved.
#[derive(Serialize, ToSchema)]
pub struct StageApprovalView {
    pub posting_id: Uuid,
    pub stage_no: u32,
    #[serde(with = "time::serde::rfc3339")]
    pub results_approved_at: OffsetDateTime,
    /// The posting's new version (its `ETag`).
    pub posting_version: i64,
}

/// Approve (announce) a stage's results.
///
/// Approve (announce) a stage's results: every invited candidate needs an outcome other
/// than `pending`. From now on candidates see their score and Olumlu / Olumsuz, and the
/// stage's results can no longer change. Stages are approved in order.
#[utoipa::path(
    operation_id = "approve_stage_results",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Posting id"), ("no" = u32, Path, description = "Stage number"), ("If-Match" = Option<String>, Header, description = "The posting's ETag")),
    responses(
        (status = 200, description = "Approved", body = StageApprovalView, headers(("ETag" = String))),
        (status = 403, description = "Not institution staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not your posting, or no such stage", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`stage.results_approved`, `stage.results_incomplete`, `stage.no_invitations`, `stage.previous_not_approved`", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The posting changed since you read it", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/postings/{id}/stages/{no}/approve-results")]
pub async fn approve_stage_results(
    state: web::Data<AppState>,
    auth: Authenticated,
    path: web::Path<(String, String)>,
    if_match: IfMatch,
) -> ApiResult<HttpResponse> {
    let (id, no) = path.into_inner();
    let id = posting_id(&id)?;
    let no = stage_no(&no)?;
    let now = state.clock.now();
    let actor = auth.0;
    let p = write(&state, move |c| {
        uc::approve_stage_results(
            &mut ApplicationRepo::new(c, now),
            &actor,
            id,
            no,
            if_match.0,
            now,
        )
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(p.version)))
        .json(StageApprovalView {
            posting_id: p.id.as_uuid(),
            stage_no: no,
            results_approved_at: p
                .stage(no)
                .and_then(|s| s.results_approved_at)
                .unwrap_or(now),
            posting_version: p.version,
        }))
}

/// One line of the placement list.
#[derive(Serialize, ToSchema)]
pub struct PlacementLine {
    pub application_id: Uuid,
    pub tckn: String,
    pub first_name: String,
    pub last_name: String,
    pub result: PlacementCode,
    #[schema(example = "Asil")]
    pub result_label: String,
    pub rank: Option<u32>,
    pub final_score: Option<f64>,
}

/// One sub-posting's placement list.
#[derive(Serialize, ToSchema)]
pub struct SubPostingPlacement {
    pub no: u32,
    pub title: String,
    pub vacancies: u32,
    pub reserve_count: u32,
    pub candidates: Vec<PlacementLine>,
}

/// The published placement (asil / yedek / olumsuz) of a posting.
#[derive(Serialize, ToSchema)]
pub struct PlacementListView {
    pub posting_id: Uuid,
    #[serde(with = "time::serde::rfc3339")]
    pub published_at: OffsetDateTime,
    pub sub_postings: Vec<SubPostingPlacement>,
}

fn placement_view(p: &Posting, apps: &[Application], now: OffsetDateTime) -> PlacementListView {
    PlacementListView {
        posting_id: p.id.as_uuid(),
        published_at: p.placement_published_at.unwrap_or(now),
        sub_postings: p
            .sub_postings
            .iter()
            .map(|sp| SubPostingPlacement {
                no: sp.no,
                title: sp.title.clone(),
                vacancies: sp.vacancies,
                reserve_count: sp.reserve_count,
                candidates: apps
                    .iter()
                    .filter(|a| a.wizard.sub_posting_no == Some(sp.no))
                    .filter_map(|a| {
                        let x = a.placement?;
                        Some(PlacementLine {
                            application_id: a.id.as_uuid(),
                            tckn: a.candidate.tckn.as_str().to_owned(),
                            first_name: a.candidate.first_name.clone(),
                            last_name: a.candidate.last_name.clone(),
                            result: x.result.into(),
                            result_label: x.result.label_tr().to_owned(),
                            rank: x.rank,
                            final_score: x.final_score.map(|s| s.as_f64()),
                        })
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// Publish the final placement.
///
/// Publish the final placement once every stage's results are approved. Per sub-posting the
/// approved applications are ranked by the final (last stage's) score, ties broken by the
/// later stages' scores and then the earlier submission; the first `vacancies` are asil
/// (principal), the next `reserve_count` yedek (reserve), the rest olumsuz; anyone who
/// failed or was not taken to a stage is olumsuz. Published once; candidates then see it.
#[utoipa::path(
    operation_id = "publish_placement",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Posting id"), ("If-Match" = Option<String>, Header, description = "The posting's ETag")),
    responses(
        (status = 200, description = "Published", body = PlacementListView, headers(("ETag" = String))),
        (status = 403, description = "Not institution staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not your posting", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`placement.stages_not_approved`, `posting.placement_published`, `posting.not_published`", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The posting changed since you read it", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/postings/{id}/placement")]
pub async fn publish_placement(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
) -> ApiResult<HttpResponse> {
    let id = posting_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let (p, apps) = write(&state, move |c| {
        uc::publish_placement(
            &mut ApplicationRepo::new(c, now),
            &actor,
            id,
            if_match.0,
            now,
        )
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, etag(p.version)))
        .json(placement_view(&p, &apps, now)))
}

/// The published placement list of the institution's posting.
///
/// The published placement list of the institution's posting, per sub-posting in rank order.
#[utoipa::path(
    operation_id = "get_placement",
    tag = "applications",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Posting id")),
    responses(
        (status = 200, description = "The placement", body = PlacementListView),
        (status = 403, description = "Not institution staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Not your posting, or not published yet (`placement.not_published`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/postings/{id}/placement")]
pub async fn get_placement(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = posting_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let (p, apps) = read(&state, move |c| {
        uc::placement_list(&mut ApplicationRepo::new(c, now), &actor, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(placement_view(&p, &apps, now)))
}
