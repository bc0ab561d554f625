//! Kariyer Kapısı postings (ilan): the institution drafts, changes, publishes and cancels
//! them; anyone lists and opens the active ones, logged-in users the archive too. Rules in
//! `kapi_postings`.

use super::labour_demand_dto::parse_instant;
use super::mass_layoffs::parse_date;
use super::{HistoryEntryView, Paged};
use crate::extract::{
    etag, path_id, Authenticated, IfMatch, JsonBody, MaybeAuthenticated, QueryParams,
};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::{read, write, AppState};
use actix_web::http::header;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use kapi_core::{DomainError, FieldErrors, InstitutionId, PageRequest, PostingId, ProvinceCode};
use kapi_persistence::postings::PostingRepo;
use kapi_postings::posting::{
    EmploymentType, Posting, PostingInput, PostingStatus, Stage, StageInput, StageKind, StageVenue,
    SubPosting, SubPostingInput, WindowState,
};
use kapi_postings::usecases::{self as uc, Listing, PostingFilters};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Employment type of a position (istihdam türü); labels at
/// `/reference/employment-types`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EmploymentTypeCode {
    /// Kadrolu Memur.
    CivilServant,
    /// Sözleşmeli Personel (4/B).
    Contracted,
    /// Sürekli İşçi.
    PermanentWorker,
    /// Geçici İşçi.
    TemporaryWorker,
}

impl From<EmploymentType> for EmploymentTypeCode {
    fn from(t: EmploymentType) -> Self {
        match t {
            EmploymentType::CivilServant => Self::CivilServant,
            EmploymentType::Contracted => Self::Contracted,
            EmploymentType::PermanentWorker => Self::PermanentWorker,
            EmploymentType::TemporaryWorker => Self::TemporaryWorker,
        }
    }
}

impl From<EmploymentTypeCode> for EmploymentType {
    fn from(t: EmploymentTypeCode) -> Self {
        match t {
            EmploymentTypeCode::CivilServant => Self::CivilServant,
            EmploymentTypeCode::Contracted => Self::Contracted,
            EmploymentTypeCode::PermanentWorker => Self::PermanentWorker,
            EmploymentTypeCode::TemporaryWorker => Self::TemporaryWorker,
        }
    }
}

/// Kind of an evaluation stage (değerleme aşaması); labels at `/reference/stage-kinds`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StageKindCode {
    PreAssessment,
    WrittenExam,
    PracticalExam,
    OralExam,
    Interview,
}

impl From<StageKind> for StageKindCode {
    fn from(k: StageKind) -> Self {
        match k {
            StageKind::PreAssessment => Self::PreAssessment,
            StageKind::WrittenExam => Self::WrittenExam,
            StageKind::PracticalExam => Self::PracticalExam,
            StageKind::OralExam => Self::OralExam,
            StageKind::Interview => Self::Interview,
        }
    }
}

/// Where a stage takes place: `in_person` (with a `place`) or `online` (each invitation
/// then carries its own access password and meeting link).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StageModeCode {
    InPerson,
    Online,
}

/// `draft` (Taslak), `published` (Yayında) or `cancelled` (İptal Edildi).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PostingStatusCode {
    Draft,
    Published,
    Cancelled,
}

impl From<PostingStatus> for PostingStatusCode {
    fn from(s: PostingStatus) -> Self {
        match s {
            PostingStatus::Draft => Self::Draft,
            PostingStatus::Published => Self::Published,
            PostingStatus::Cancelled => Self::Cancelled,
        }
    }
}

impl From<PostingStatusCode> for PostingStatus {
    fn from(s: PostingStatusCode) -> Self {
        match s {
            PostingStatusCode::Draft => Self::Draft,
            PostingStatusCode::Published => Self::Published,
            PostingStatusCode::Cancelled => Self::Cancelled,
        }
    }
}

/// Where today (Istanbul) lies against the application window: `upcoming` (before
/// `starts_on`), `open` (from `starts_on` to `ends_on` 23:59:59) or `closed`.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WindowStateCode {
    Upcoming,
    Open,
    Closed,
}

impl From<WindowState> for WindowStateCode {
    fn from(w: WindowState) -> Self {
        match w {
            WindowState::Upcoming => Self::Upcoming,
            WindowState::Open => Self::Open,
            WindowState::Closed => Self::Closed,
        }
    }
}

/// Which list: `active` (anyone), `archive` (logged-in users), `own` (institution staff:
/// every posting of your institution, any status).
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PostingListView {
    Active,
    Archive,
    Own,
}

/// A sub-posting / position (alt ilan / pozisyon) as the institution writes it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubPostingBody {
    #[schema(
        example = "Sözleşmeli Bilişim Personeli",
        min_length = 2,
        max_length = 200
    )]
    pub title: String,
    /// The position's own text (paragraphs kept).
    #[schema(
        example = "Kurumumuz bilgi işlem dairesinde görevlendirilmek üzere yazılım geliştirici alınacaktır.",
        min_length = 10,
        max_length = 10000
    )]
    pub text: String,
    /// Kadro sayısı: how many are placed as asil.
    #[schema(example = 3, minimum = 1, maximum = 10000)]
    pub vacancies: i64,
    /// How many are placed as yedek.
    #[serde(default)]
    #[schema(example = 1, minimum = 0, maximum = 10000)]
    pub reserve_count: i64,
    /// Province plate code 1–81.
    #[schema(example = 6, minimum = 1, maximum = 81)]
    pub province: i64,
    /// Code from `/reference/education-levels`.
    #[schema(example = "bachelor")]
    pub education_level: String,
    #[schema(value_type = EmploymentTypeCode, example = "contracted")]
    pub employment_type: String,
    /// At most 30, each 2–500 characters.
    #[serde(default)]
    #[schema(example = json!(["Bilgisayar mühendisliği lisans mezunu olmak", "KPSS P3 puanı 70 ve üzeri"]))]
    pub requirements: Vec<String>,
}

/// An evaluation stage (değerleme aşaması) as the institution declares it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageBody {
    #[schema(value_type = StageKindCode, example = "interview")]
    pub kind: String,
    /// Defaults to the kind's Turkish label ("Mülakat").
    #[schema(example = "Sözlü Mülakat", min_length = 2, max_length = 200)]
    pub name: Option<String>,
    /// RFC 3339; after the application window has closed, stages in the order they take place.
    #[schema(value_type = String, format = DateTime, example = "2026-12-22T10:00:00+03:00")]
    pub starts_at: String,
    #[schema(value_type = StageModeCode, example = "in_person")]
    pub mode: String,
    /// Required in person, refused online.
    #[schema(
        example = "Kurum Genel Müdürlük Binası, Toplantı Salonu, Ankara",
        min_length = 3,
        max_length = 300
    )]
    pub place: Option<String>,
}

/// A posting as the institution writes it; the same body creates and replaces it.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "title": "Sözleşmeli Bilişim Personeli Alım İlanı",
    "main_text": "Kurumumuz merkez teşkilatında istihdam edilmek üzere 4/B sözleşmeli bilişim personeli alınacaktır.",
    "starts_on": "2026-12-01",
    "ends_on": "2026-12-15",
    "sub_postings": [{
        "title": "Sözleşmeli Bilişim Personeli",
        "text": "Yazılım geliştirme ve veritabanı yönetimi görevlerinde çalışacak personel.",
        "vacancies": 3,
        "reserve_count": 1,
        "province": 6,
        "education_level": "bachelor",
        "employment_type": "contracted",
        "requirements": ["Bilgisayar mühendisliği lisans mezunu olmak"]
    }],
    "stages": [
        {"kind": "written_exam", "starts_at": "2026-12-20T10:00:00+03:00", "mode": "in_person", "place": "Ankara Üniversitesi Tandoğan Kampüsü"},
        {"kind": "interview", "name": "Sözlü Mülakat", "starts_at": "2026-12-27T10:00:00+03:00", "mode": "online"}
    ]
}))]
pub struct PostingBody {
    #[schema(
        example = "Sözleşmeli Bilişim Personeli Alım İlanı",
        min_length = 3,
        max_length = 200
    )]
    pub title: String,
    /// The announcement's text (paragraphs kept).
    #[schema(min_length = 10, max_length = 20000)]
    pub main_text: String,
    /// First day of the application window (Istanbul), `YYYY-MM-DD`.
    #[schema(value_type = String, format = Date, example = "2026-12-01")]
    pub starts_on: String,
    /// Last day of the application window, inclusive until 23:59:59 Istanbul; not passed yet.
    #[schema(value_type = String, format = Date, example = "2026-12-15")]
    pub ends_on: String,
    /// 1–50 positions, numbered 1…n in this order.
    pub sub_postings: Vec<SubPostingBody>,
    /// 0–10 stages, numbered 1…n in this order; at least one is needed to publish.
    #[serde(default)]
    pub stages: Vec<StageBody>,
}

/// Keeps the value, or moves the error's fields into `errors`.
fn collect<T>(errors: &mut FieldErrors, r: Result<T, DomainError>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            for f in e.fields {
                errors.push(f);
            }
            None
        }
    }
}

impl PostingBody {
    /// The domain input; malformed dates and instants are all named at once.
    fn into_input(self) -> Result<PostingInput, DomainError> {
        let mut errors = FieldErrors::new();
        let starts_on = collect(&mut errors, parse_date("starts_on", &self.starts_on));
        let ends_on = collect(&mut errors, parse_date("ends_on", &self.ends_on));
        let mut stages = Vec::with_capacity(self.stages.len());
        for (i, s) in self.stages.into_iter().enumerate() {
            let field = format!("stages[{i}].starts_at");
            if let Some(starts_at) = collect(&mut errors, parse_instant(&field, &s.starts_at)) {
                stages.push(StageInput {
                    kind: s.kind,
                    name: s.name,
                    starts_at,
                    mode: s.mode,
                    place: s.place,
                });
            }
        }
        errors.finish()?;
        let (Some(starts_on), Some(ends_on)) = (starts_on, ends_on) else {
            return Err(DomainError::internal("posting dates lost"));
        };
        Ok(PostingInput {
            title: self.title,
            main_text: self.main_text,
            starts_on,
            ends_on,
            sub_postings: self
                .sub_postings
                .into_iter()
                .map(|s| SubPostingInput {
                    title: s.title,
                    text: s.text,
                    vacancies: s.vacancies,
                    reserve_count: s.reserve_count,
                    province: s.province,
                    education_level: s.education_level,
                    employment_type: s.employment_type,
                    requirements: s.requirements,
                })
                .collect(),
            stages,
        })
    }
}

/// The institution a posting belongs to.
#[derive(Serialize, ToSchema)]
pub struct InstitutionRef {
    pub id: Uuid,
    #[schema(example = "Aile ve Sosyal Hizmetler Bakanlığı")]
    pub name: String,
}

/// A posting in a list.
#[derive(Serialize, ToSchema)]
pub struct PostingSummary {
    pub id: Uuid,
    /// İlan no.
    #[schema(example = 1024)]
    pub posting_no: i64,
    pub institution: InstitutionRef,
    #[schema(example = "Sözleşmeli Bilişim Personeli Alım İlanı")]
    pub title: String,
    #[schema(value_type = String, format = Date, example = "2026-12-01")]
    pub starts_on: String,
    #[schema(value_type = String, format = Date, example = "2026-12-15")]
    pub ends_on: String,
    pub status: PostingStatusCode,
    pub window: WindowStateCode,
    #[schema(example = 2)]
    pub sub_posting_count: u32,
    /// Vacancies of every sub-posting together.
    #[schema(example = 5)]
    pub vacancies: u32,
    /// Plate codes of the sub-postings' provinces, ascending, once each.
    #[schema(example = json!([6, 34]))]
    pub provinces: Vec<u8>,
}

/// A sub-posting / position (alt ilan / pozisyon).
#[derive(Serialize, ToSchema)]
pub struct SubPostingView {
    /// 1…n: what applications refer to.
    #[schema(example = 1)]
    pub no: u32,
    #[schema(example = "Sözleşmeli Bilişim Personeli")]
    pub title: String,
    pub text: String,
    #[schema(example = 3)]
    pub vacancies: u32,
    #[schema(example = 1)]
    pub reserve_count: u32,
    #[schema(example = 6)]
    pub province: u8,
    #[schema(example = "bachelor")]
    pub education_level: String,
    pub employment_type: EmploymentTypeCode,
    #[schema(example = "Sözleşmeli Personel")]
    pub employment_type_label: String,
    pub requirements: Vec<String>,
}

/// An evaluation stage (değerleme aşaması).
#[derive(Serialize, ToSchema)]
pub struct StageView {
    /// 1…n in the order of the stages.
    #[schema(example = 1)]
    pub no: u32,
    pub kind: StageKindCode,
    #[schema(example = "Mülakat")]
    pub kind_label: String,
    #[schema(example = "Sözlü Mülakat")]
    pub name: String,
    #[serde(with = "time::serde::rfc3339")]
    pub starts_at: OffsetDateTime,
    pub mode: StageModeCode,
    /// In person only.
    pub place: Option<String>,
    /// When the institution approved the stage's results (until then no candidate sees them).
    #[serde(with = "time::serde::rfc3339::option")]
    pub results_approved_at: Option<OffsetDateTime>,
}

/// A posting with everything: sub-postings with their texts and requirements, stages.
#[derive(Serialize, ToSchema)]
pub struct PostingView {
    pub id: Uuid,
    #[schema(example = 1024)]
    pub posting_no: i64,
    pub institution: InstitutionRef,
    #[schema(example = "Sözleşmeli Bilişim Personeli Alım İlanı")]
    pub title: String,
    pub main_text: String,
    #[schema(value_type = String, format = Date, example = "2026-12-01")]
    pub starts_on: String,
    #[schema(value_type = String, format = Date, example = "2026-12-15")]
    pub ends_on: String,
    /// The last instant applications are accepted (`ends_on` 23:59:59 Istanbul).
    #[serde(with = "time::serde::rfc3339")]
    pub application_deadline: OffsetDateTime,
    pub status: PostingStatusCode,
    #[schema(example = "Yayında")]
    pub status_label: String,
    pub window: WindowStateCode,
    /// Why the institution cancelled it (cancelled only).
    pub cancel_reason: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub cancelled_at: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub published_at: Option<OffsetDateTime>,
    /// When the final placement (asil / yedek / olumsuz) was published.
    #[serde(with = "time::serde::rfc3339::option")]
    pub placement_published_at: Option<OffsetDateTime>,
    pub sub_postings: Vec<SubPostingView>,
    pub stages: Vec<StageView>,
    /// Also the `ETag`; send it back in `If-Match`.
    #[schema(example = 2)]
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

fn institution_of(p: &Posting) -> InstitutionRef {
    InstitutionRef {
        id: p.institution_id.as_uuid(),
        name: p.institution_name.clone(),
    }
}

fn summary(p: &Posting, now: OffsetDateTime) -> PostingSummary {
    let mut provinces: Vec<u8> = p.sub_postings.iter().map(|s| s.province.get()).collect();
    provinces.sort_unstable();
    provinces.dedup();
    PostingSummary {
        id: p.id.as_uuid(),
        posting_no: p.posting_no,
        institution: institution_of(p),
        title: p.title.clone(),
        starts_on: p.starts_on.to_string(),
        ends_on: p.ends_on.to_string(),
        status: p.status.into(),
        window: p.window_state(now).into(),
        sub_posting_count: p.sub_postings.len() as u32,
        vacancies: p.sub_postings.iter().map(|s| s.vacancies).sum(),
        provinces,
    }
}

fn sub_posting_view(s: SubPosting) -> SubPostingView {
    SubPostingView {
        no: s.no,
        title: s.title,
        text: s.text,
        vacancies: s.vacancies,
        reserve_count: s.reserve_count,
        province: s.province.get(),
        education_level: s.education_level,
        employment_type: s.employment_type.into(),
        employment_type_label: s.employment_type.label_tr().into(),
        requirements: s.requirements,
    }
}

fn stage_view(s: Stage) -> StageView {
    let (mode, place) = match s.venue {
        StageVenue::InPerson { place } => (StageModeCode::InPerson, Some(place)),
        StageVenue::Online => (StageModeCode::Online, None),
    };
    StageView {
        no: s.no,
        kind: s.kind.into(),
        kind_label: s.kind.label_tr().into(),
        name: s.name,
        starts_at: s.starts_at,
        mode,
        place,
        results_approved_at: s.results_approved_at,
    }
}

fn view(p: Posting, now: OffsetDateTime) -> PostingView {
    PostingView {
        id: p.id.as_uuid(),
        posting_no: p.posting_no,
        institution: institution_of(&p),
        title: p.title.clone(),
        main_text: p.main_text.clone(),
        starts_on: p.starts_on.to_string(),
        ends_on: p.ends_on.to_string(),
        application_deadline: p.application_deadline_second(),
        status: p.status.into(),
        status_label: p.status.label_tr().into(),
        window: p.window_state(now).into(),
        cancel_reason: p.cancel_reason.clone(),
        cancelled_at: p.cancelled_at,
        published_at: p.published_at,
        placement_published_at: p.placement_published_at,
        version: p.version,
        created_at: p.created_at,
        sub_postings: p.sub_postings.into_iter().map(sub_posting_view).collect(),
        stages: p.stages.into_iter().map(stage_view).collect(),
    }
}

fn respond(
    mut res: actix_web::HttpResponseBuilder,
    p: Posting,
    now: OffsetDateTime,
) -> HttpResponse {
    res.insert_header((header::ETAG, etag(p.version)))
        .json(view(p, now))
}

fn posting_id(raw: &str) -> Result<PostingId, ApiError> {
    path_id(raw, "posting.not_found")
}

/// Draft a posting (institution HR staff).
///
/// Draft a posting (institution HR staff). It gets its posting number at once and stays
/// invisible to everyone but your institution until published.
#[utoipa::path(
    operation_id = "create_posting",
    tag = "postings",
    security(("bearer" = [])),
    request_body = PostingBody,
    responses(
        (status = 201, description = "Drafted, with its posting number", body = PostingView, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "Not institution HR staff (`posting.institution_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, all named at once (`text.length`, `date.format`, `datetime.format`, `posting.window_reversed`, `posting.window_ended`, `posting.sub_posting_count`, `posting.count_range`, `province.unknown`, `education_level.unknown`, `employment_type.unknown`, `stage.kind_unknown`, `stage.before_window_end`, `stage.out_of_order`, `stage.place_required`, `stage.place_online`, `stage.mode_unknown`, …)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/postings")]
pub async fn create_posting(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<PostingBody>,
) -> ApiResult<HttpResponse> {
    let input = body.0.into_input()?;
    let now = state.clock.now();
    let actor = auth.0;
    let p = write(&state, move |c| {
        uc::create_posting(&mut PostingRepo::new(c, now), &actor, input, now)
    })
    .await?;
    let mut res = HttpResponse::Created();
    res.insert_header((header::LOCATION, format!("/api/v1/postings/{}", p.id)));
    Ok(respond(res, p, now))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PostingListQuery {
    /// `active` (default, anyone), `archive` (logged-in users), `own` (institution staff).
    #[param(inline)]
    pub view: Option<PostingListView>,
    /// Only with `view=own`.
    pub status: Option<PostingStatusCode>,
    pub institution_id: Option<Uuid>,
    /// A sub-posting in this province (plate code).
    #[param(value_type = Option<u8>, example = 6)]
    pub province: Option<ProvinceCode>,
    /// Part of a sub-posting's title; Turkish letters and case do not matter (`bilisim`
    /// finds `Bilişim`).
    #[param(example = "bilisim")]
    pub position: Option<String>,
    /// A sub-posting for this education level (`/reference/education-levels`).
    #[param(example = "bachelor")]
    pub education_level: Option<String>,
    /// A sub-posting of this employment type. The sub-posting criteria (province, position,
    /// education level, employment type) must all hold for the same sub-posting.
    pub employment_type: Option<EmploymentTypeCode>,
    /// Words that must all occur in the posting (title, institution, texts, positions),
    /// Turkish fold; at most 10 words.
    #[param(example = "sozlesmeli")]
    pub keyword: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// List postings, newest posting number first.
///
/// List postings, newest posting number first: active ones for anyone (no login), the
/// archive (window closed) for logged-in users, and your institution's own in any status.
#[utoipa::path(
    operation_id = "list_postings",
    tag = "postings",
    security((), ("bearer" = [])),
    params(PostingListQuery),
    responses(
        (status = 200, description = "A page of postings (15 by default)", body = Paged<PostingSummary>),
        (status = 401, description = "`view=archive` without a token (`auth.required`), or a bad token (`auth.*`)", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`view=own` but not institution HR staff (`posting.institution_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown or invalid parameter, named (`request.unknown_field`, `request.invalid_value`, `posting.status_filter_own_only`, `search.text_length`, `search.too_many_words`, `paging.*`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many unauthenticated searches from this address (`request.rate_limited`, with Retry-After in seconds)", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the window ends")))
    )
)]
#[get("/postings")]
pub async fn list_postings(
    state: web::Data<AppState>,
    req: HttpRequest,
    auth: MaybeAuthenticated,
    q: QueryParams<PostingListQuery>,
) -> ApiResult<HttpResponse> {
    crate::rate_limit::public_search(&state, &req).await?;
    let q = q.0;
    let page = PageRequest::new(q.page, q.per_page)?;
    let listing = match q.view {
        None | Some(PostingListView::Active) => Listing::Active,
        Some(PostingListView::Archive) => Listing::Archive,
        Some(PostingListView::Own) => Listing::Own,
    };
    let filters = PostingFilters {
        institution_id: q.institution_id.map(InstitutionId::from_uuid),
        province: q.province,
        position: q.position,
        education_level: q.education_level,
        employment_type: q.employment_type.map(Into::into),
        keyword: q.keyword,
        status: q.status.map(Into::into),
    };
    let now = state.clock.now();
    let actor = auth.0;
    let p = read(&state, move |c| {
        uc::search_postings(
            &mut PostingRepo::new(c, now),
            actor.as_ref(),
            listing,
            filters,
            page,
            now,
        )
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::from_page(p, |x| summary(&x, now))))
}

/// One posting with its sub-postings and stages.
///
/// One posting with its sub-postings and stages: active ones for anyone, archived ones for
/// logged-in users, every one of your institution's (drafts, upcoming, cancelled).
#[utoipa::path(
    operation_id = "get_posting",
    tag = "postings",
    security((), ("bearer" = [])),
    params(("id" = Uuid, Path, description = "Posting id")),
    responses(
        (status = 200, description = "The posting", body = PostingView, headers(("ETag" = String))),
        (status = 404, description = "No such posting, or not one you may see (`posting.not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/postings/{id}")]
pub async fn get_posting(
    state: web::Data<AppState>,
    auth: MaybeAuthenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = posting_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let p = read(&state, move |c| {
        uc::get_posting(&mut PostingRepo::new(c, now), actor.as_ref(), id, now)
    })
    .await?;
    Ok(respond(HttpResponse::Ok(), p, now))
}

/// Replace a posting's content.
///
/// Replace a posting's content (your institution's; `If-Match`), same body as creation.
///
/// A draft changes freely. Once published, these are locked (422
/// `posting.locked_after_publish`, each naming its field): `starts_on`; the number of
/// sub-postings and each sub-posting's `title`, `vacancies`, `reserve_count`, `province`,
/// `education_level`, `employment_type` and `requirements`; the number of stages and each
/// stage's `kind`. `ends_on` may only move later (`posting.end_date_earlier`); a stage whose
/// results are approved keeps its time and place (`stage.results_approved`). What may change:
/// the title, the main text, the sub-postings' texts, a later end date, and the stages'
/// names, times and places.
#[utoipa::path(
    operation_id = "update_posting",
    tag = "postings",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Posting id"), ("If-Match" = Option<String>, Header, description = "The ETag you read")),
    request_body = PostingBody,
    responses(
        (status = 200, description = "Saved", body = PostingView, headers(("ETag" = String))),
        (status = 404, description = "No such posting, or not your institution's (`posting.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Cancelled, or its placement is published (`posting.cancelled`, `posting.placement_published`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it (`precondition.version_mismatch`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, or a locked field changed after publication (`posting.locked_after_publish`, `posting.end_date_earlier`, `stage.results_approved`, and the creation codes; `posting.window_ended` only for a new end date that has passed — the posting stays editable after its window while its end date stays)", body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/postings/{id}")]
pub async fn update_posting(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<PostingBody>,
) -> ApiResult<HttpResponse> {
    let id = posting_id(&id)?;
    let input = body.0.into_input()?;
    let now = state.clock.now();
    let actor = auth.0;
    let p = write(&state, move |c| {
        uc::replace_posting(
            &mut PostingRepo::new(c, now),
            &actor,
            id,
            input,
            if_match.0,
            now,
        )
    })
    .await?;
    Ok(respond(HttpResponse::Ok(), p, now))
}

/// Publish a draft posting.
///
/// Publish a draft (your institution's; `If-Match`). It needs at least one stage, an end
/// date not yet passed and every stage after the window; it is listed publicly from
/// `starts_on` to `ends_on`.
#[utoipa::path(
    operation_id = "publish_posting",
    tag = "postings",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Posting id"), ("If-Match" = Option<String>, Header, description = "The ETag you read")),
    responses(
        (status = 200, description = "Published", body = PostingView, headers(("ETag" = String))),
        (status = 404, description = "No such posting, or not your institution's (`posting.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a draft (`posting.not_draft`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it (`precondition.version_mismatch`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No stage (`posting.no_stages`, field `stages`), the window has ended (`posting.window_ended`, field `ends_on`), a stage before the window end (`stage.before_window_end`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/postings/{id}/publish")]
pub async fn publish_posting(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
) -> ApiResult<HttpResponse> {
    let id = posting_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let p = write(&state, move |c| {
        uc::publish_posting(&mut PostingRepo::new(c, now), &actor, id, if_match.0, now)
    })
    .await?;
    Ok(respond(HttpResponse::Ok(), p, now))
}

/// Cancelling a posting.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelPostingBody {
    /// 5–500 characters; candidates see it.
    #[schema(
        example = "Kadro iptali nedeniyle ilan iptal edilmiştir.",
        min_length = 5,
        max_length = 500
    )]
    pub reason: String,
}

/// Cancel a draft or published posting with a reason.
///
/// Cancel a draft or published posting with a reason (your institution's; `If-Match`).
#[utoipa::path(
    operation_id = "cancel_posting",
    tag = "postings",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Posting id"), ("If-Match" = Option<String>, Header, description = "The ETag you read")),
    request_body = CancelPostingBody,
    responses(
        (status = 200, description = "Cancelled", body = PostingView, headers(("ETag" = String))),
        (status = 404, description = "No such posting, or not your institution's (`posting.not_found`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already cancelled, or its placement is published (`posting.cancelled`, `posting.placement_published`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it (`precondition.version_mismatch`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The reason is too short or too long (`text.length`, field `reason`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/postings/{id}/cancel")]
pub async fn cancel_posting(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<CancelPostingBody>,
) -> ApiResult<HttpResponse> {
    let id = posting_id(&id)?;
    let reason = body.0.reason;
    let now = state.clock.now();
    let actor = auth.0;
    let p = write(&state, move |c| {
        uc::cancel_posting(
            &mut PostingRepo::new(c, now),
            &actor,
            id,
            &reason,
            if_match.0,
            now,
        )
    })
    .await?;
    Ok(respond(HttpResponse::Ok(), p, now))
}

/// A posting's history ("İşlem Hareketleri"), oldest first.
///
/// A posting's history ("İşlem Hareketleri"), oldest first: `to_state` is the status code,
/// `note` the Turkish text ("İlan Yayımlandı"). Your institution's postings only.
#[utoipa::path(
    operation_id = "list_posting_history",
    tag = "postings",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Posting id")),
    responses(
        (status = 200, description = "The history", body = Paged<HistoryEntryView>),
        (status = 404, description = "No such posting, or not your institution's (`posting.not_found`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/postings/{id}/history")]
pub async fn posting_history(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = posting_id(&id)?;
    let now = state.clock.now();
    let actor = auth.0;
    let entries = read(&state, move |c| {
        uc::posting_history(&mut PostingRepo::new(c, now), &actor, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::all(
        entries.into_iter().map(HistoryEntryView::from).collect(),
    )))
}
