//! Monthly workforce charts (aylık işgücü çizelgesi) and the quota status (kontenjan
//! durumu). A chart is sent whole — all six sections in one request — and saved atomically.
//! Rules in `kapi_workforce_chart`.

use super::{HistoryEntryView, Paged};
use crate::extract::{etag, path_id, Authenticated, IfMatch, JsonBody, QueryParams};
use crate::problem::{ApiResult, Problem};
use crate::routes::mass_layoffs::parse_date;
use crate::state::{read, write, AppState};
use actix_web::http::header;
use actix_web::{get, post, put, web, HttpResponse};
use kapi_core::{
    DomainError, FieldError, FieldErrors, HistoryLog, PageRequest, Tckn, WorkforceChartId,
    WorkplaceId,
};
use kapi_persistence::workforce_charts::ChartRepo;
use kapi_workforce_chart::chart::{
    Category, Chart, ChartInput, Contract, Development, EmploymentIntentions, Gender, Movement,
    PersonMovement, PersonMovementKind, YearMonth,
};
use kapi_workforce_chart::charts::{self as uc, StoredChart};
use kapi_workforce_chart::quota::{QuotaCategory, QuotaStatus, THRESHOLD};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::{Month, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Worker category of section 1.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CategoryBody {
    /// Everyone not in the three categories below.
    General,
    /// Engelli.
    Disabled,
    /// Eski hükümlü.
    ExConvict,
    /// Terörle Mücadele Kanunu kapsamında çalışan.
    TerrorVictim,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GenderBody {
    Male,
    Female,
}

/// Contract type: indefinite (belirsiz süreli), fixed-term (belirli süreli), part-time (kısmi süreli).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContractBody {
    Indefinite,
    FixedTerm,
    PartTime,
}

impl From<CategoryBody> for Category {
    fn from(c: CategoryBody) -> Self {
        match c {
            CategoryBody::General => Category::General,
            CategoryBody::Disabled => Category::Disabled,
            CategoryBody::ExConvict => Category::ExConvict,
            CategoryBody::TerrorVictim => Category::TerrorVictim,
        }
    }
}
impl From<Category> for CategoryBody {
    fn from(c: Category) -> Self {
        match c {
            Category::General => CategoryBody::General,
            Category::Disabled => CategoryBody::Disabled,
            Category::ExConvict => CategoryBody::ExConvict,
            Category::TerrorVictim => CategoryBody::TerrorVictim,
        }
    }
}
impl From<GenderBody> for Gender {
    fn from(g: GenderBody) -> Self {
        match g {
            GenderBody::Male => Gender::Male,
            GenderBody::Female => Gender::Female,
        }
    }
}
impl From<Gender> for GenderBody {
    fn from(g: Gender) -> Self {
        match g {
            Gender::Male => GenderBody::Male,
            Gender::Female => GenderBody::Female,
        }
    }
}
impl From<ContractBody> for Contract {
    fn from(c: ContractBody) -> Self {
        match c {
            ContractBody::Indefinite => Contract::Indefinite,
            ContractBody::FixedTerm => Contract::FixedTerm,
            ContractBody::PartTime => Contract::PartTime,
        }
    }
}
impl From<Contract> for ContractBody {
    fn from(c: Contract) -> Self {
        match c {
            Contract::Indefinite => ContractBody::Indefinite,
            Contract::FixedTerm => ContractBody::FixedTerm,
            Contract::PartTime => ContractBody::PartTime,
        }
    }
}

/// Section 1 opening count of a row (first chart only).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpeningRow {
    pub category: CategoryBody,
    pub gender: GenderBody,
    pub contract: ContractBody,
    #[schema(maximum = 1000000)]
    pub count: u32,
}

/// Section 1 movement of a row in the month.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MovementRow {
    pub category: CategoryBody,
    pub gender: GenderBody,
    pub contract: ContractBody,
    #[schema(maximum = 1000000)]
    pub hires: u32,
    #[schema(maximum = 1000000)]
    pub leavers: u32,
}

/// Underground / underwater workers (yer altı / su altı) of one gender.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UndergroundRow {
    pub gender: GenderBody,
    /// First chart only: last month's count.
    pub opening: Option<u32>,
    pub hires: u32,
    pub leavers: u32,
}

/// Hire (işe giriş) or leave (işten çıkış).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MovementKindBody {
    Hire,
    Leave,
}

/// Section 2: one person hired or leaving in the month.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonRow {
    pub kind: MovementKindBody,
    #[schema(example = "10000000146")]
    pub tckn: String,
    #[schema(example = "Ayşe Yılmaz")]
    pub full_name: String,
    /// In the chart's month (YYYY-MM-DD).
    #[schema(example = "2026-01-05")]
    pub date: String,
    #[schema(example = "2512.04")]
    pub occupation_code: String,
    pub reason: Option<String>,
}

/// An occupation and a headcount (sections 3 and 6).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OccupationCount {
    #[schema(example = "2512.04")]
    pub occupation_code: String,
    #[schema(example = 8, maximum = 1000000)]
    pub count: u32,
}

/// Section 4: an exemption (muafiyet) and how many workers it covers.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExemptionRow {
    #[schema(example = "Kısa çalışma ödeneği")]
    pub kind: String,
    pub count: u32,
}

/// Section 5: employment intentions.
#[derive(Serialize, Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct IntentionsBody {
    /// Would join a vocational course run jointly with İŞKUR.
    #[serde(default)]
    pub joint_course_wish: bool,
    #[serde(default)]
    pub in_company_training_wish: bool,
    /// Expected change of the workforce next month (negative: decrease).
    #[serde(default)]
    pub expected_change_next_month: i32,
    #[serde(default)]
    pub apprentices_needed_next_month: u32,
    pub mandatory_employment_preference: Option<String>,
}

/// A whole chart: all six sections, saved together.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChartRequest {
    /// `YYYY-MM`. Required to create: the month after the latest chart (see
    /// `…/workforce-charts/new`); on update it may be repeated but never changed.
    #[schema(example = "2026-01")]
    pub month: Option<String>,
    /// First chart only: last month-end per row (default 0). Later charts carry them.
    pub opening: Option<Vec<OpeningRow>>,
    /// Section 1: hires and leavers per row; month-end is computed.
    #[serde(default)]
    pub development: Vec<MovementRow>,
    #[serde(default)]
    pub underground: Vec<UndergroundRow>,
    /// Section 2: as many hires and leaves as section 1 counts.
    #[serde(default)]
    pub details: Vec<PersonRow>,
    /// Section 3: totals the month-end headcount; zero rows are dropped.
    #[serde(default)]
    pub occupations: Vec<OccupationCount>,
    #[serde(default)]
    pub exemptions: Vec<ExemptionRow>,
    #[serde(default)]
    pub intentions: IntentionsBody,
    /// Section 6: hard-to-fill occupations and how many are needed.
    #[serde(default)]
    pub hard_to_fill: Vec<OccupationCount>,
}

/// Parses `YYYY-MM`.
pub fn parse_month(field: &str, raw: &str) -> Result<YearMonth, DomainError> {
    let bad = || {
        DomainError::field(FieldError::new(
            field,
            "month.format",
            "A month is written YYYY-MM.",
        ))
    };
    let (y, m) = raw.trim().split_once('-').ok_or_else(bad)?;
    if y.len() != 4 || m.len() != 2 {
        return Err(bad());
    }
    let year: i32 = y.parse().map_err(|_| bad())?;
    let month: u8 = m.parse().map_err(|_| bad())?;
    let month = Month::try_from(month).map_err(|_| bad())?;
    if !(2000..=2100).contains(&year) {
        return Err(bad());
    }
    Ok(YearMonth { year, month })
}

const MAX_COUNT: u32 = 1_000_000;

fn check_count(errors: &mut FieldErrors, field: String, n: u32) {
    if n > MAX_COUNT {
        errors.push(FieldError::new(
            field,
            "chart.count_too_large",
            "At most 1000000.",
        ));
    }
}

fn occupation_code(raw: &str) -> Result<String, FieldError> {
    kapi_core::OccupationCode::parse(raw).map(|c| c.as_str().to_owned())
}

fn short_text(raw: &str, max: usize) -> Result<String, FieldError> {
    kapi_labour_demand::employer::clean_text("text", raw, 1, max)
}

/// Turns the request into the domain's input, naming every bad field.
fn chart_input(b: ChartRequest) -> Result<ChartInput, DomainError> {
    let mut errors = FieldErrors::new();
    let mut input = ChartInput::default();
    if let Some(rows) = b.opening {
        let mut opening = BTreeMap::new();
        for (i, r) in rows.iter().enumerate() {
            check_count(&mut errors, format!("opening[{i}].count"), r.count);
            let key = (r.category.into(), r.gender.into(), r.contract.into());
            if opening.insert(key, r.count).is_some() {
                errors.push(FieldError::new(
                    format!("opening[{i}]"),
                    "chart.duplicate_row",
                    "This category, gender and contract appear twice.",
                ));
            }
        }
        input.opening = Some(opening);
    }
    for (i, r) in b.development.iter().enumerate() {
        check_count(&mut errors, format!("development[{i}].hires"), r.hires);
        check_count(&mut errors, format!("development[{i}].leavers"), r.leavers);
        let key = (r.category.into(), r.gender.into(), r.contract.into());
        let m = Movement {
            hires: r.hires,
            leavers: r.leavers,
        };
        if input.movements.insert(key, m).is_some() {
            errors.push(FieldError::new(
                format!("development[{i}]"),
                "chart.duplicate_row",
                "This category, gender and contract appear twice.",
            ));
        }
    }
    let mut ug_opening = BTreeMap::new();
    for (i, r) in b.underground.iter().enumerate() {
        check_count(&mut errors, format!("underground[{i}].hires"), r.hires);
        check_count(&mut errors, format!("underground[{i}].leavers"), r.leavers);
        let g: Gender = r.gender.into();
        if let Some(o) = r.opening {
            check_count(&mut errors, format!("underground[{i}].opening"), o);
            ug_opening.insert(g, o);
        }
        let m = Movement {
            hires: r.hires,
            leavers: r.leavers,
        };
        if input.underground_movements.insert(g, m).is_some() {
            errors.push(FieldError::new(
                format!("underground[{i}]"),
                "chart.duplicate_row",
                "Each gender appears once.",
            ));
        }
    }
    if !ug_opening.is_empty() {
        input.opening_underground = Some(ug_opening);
    }
    if b.details.len() > 10_000 {
        errors.push(FieldError::new(
            "details",
            "chart.too_many_details",
            "At most 10000 people per chart.",
        ));
    }
    for (i, p) in b.details.iter().enumerate() {
        let tckn = errors.take(&format!("details[{i}].tckn"), Tckn::parse(&p.tckn));
        let name = errors.take(
            &format!("details[{i}].full_name"),
            short_text(&p.full_name, 200),
        );
        let date = match parse_date(&format!("details[{i}].date"), &p.date) {
            Ok(d) => Some(d),
            Err(e) => {
                e.fields.into_iter().for_each(|f| errors.push(f));
                None
            }
        };
        let occ = errors.take(
            &format!("details[{i}].occupation_code"),
            occupation_code(&p.occupation_code),
        );
        let reason = p
            .reason
            .as_deref()
            .filter(|r| !r.trim().is_empty())
            .and_then(|r| errors.take(&format!("details[{i}].reason"), short_text(r, 500)));
        if let (Some(tckn), Some(full_name), Some(date), Some(occupation_code)) =
            (tckn, name, date, occ)
        {
            input.people.push(PersonMovement {
                kind: match p.kind {
                    MovementKindBody::Hire => PersonMovementKind::Hire,
                    MovementKindBody::Leave => PersonMovementKind::Leave,
                },
                tckn,
                full_name,
                date,
                occupation_code,
                reason,
            });
        }
    }
    let counts = |rows: &[OccupationCount], section: &str, errors: &mut FieldErrors| {
        let mut out = Vec::new();
        for (i, r) in rows.iter().enumerate() {
            check_count(errors, format!("{section}[{i}].count"), r.count);
            if let Some(code) = errors.take(
                &format!("{section}[{i}].occupation_code"),
                occupation_code(&r.occupation_code),
            ) {
                out.push((code, r.count));
            }
        }
        out
    };
    input.occupations = counts(&b.occupations, "occupations", &mut errors);
    input.hard_to_fill = counts(&b.hard_to_fill, "hard_to_fill", &mut errors);
    for (i, e) in b.exemptions.iter().enumerate() {
        check_count(&mut errors, format!("exemptions[{i}].count"), e.count);
        if let Some(kind) = errors.take(&format!("exemptions[{i}].kind"), short_text(&e.kind, 200))
        {
            input.exemptions.push((kind, e.count));
        }
    }
    let it = b.intentions;
    if it.expected_change_next_month.unsigned_abs() > MAX_COUNT {
        errors.push(FieldError::new(
            "intentions.expected_change_next_month",
            "chart.count_too_large",
            "At most ±1000000.",
        ));
    }
    check_count(
        &mut errors,
        "intentions.apprentices_needed_next_month".into(),
        it.apprentices_needed_next_month,
    );
    let preference = it
        .mandatory_employment_preference
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .and_then(|p| {
            errors.take(
                "intentions.mandatory_employment_preference",
                short_text(p, 500),
            )
        });
    input.intentions = EmploymentIntentions {
        joint_course_wish: it.joint_course_wish,
        in_company_training_wish: it.in_company_training_wish,
        expected_change_next_month: it.expected_change_next_month,
        apprentices_needed_next_month: it.apprentices_needed_next_month,
        mandatory_employment_preference: preference,
    };
    errors.finish()?;
    Ok(input)
}

/// One row of section 1 as stored.
#[derive(Serialize, ToSchema)]
pub struct DevelopmentView {
    pub category: CategoryBody,
    pub gender: GenderBody,
    pub contract: ContractBody,
    /// Last month-end (carried, read-only after the first chart).
    pub previous: u32,
    pub hires: u32,
    pub leavers: u32,
    /// previous + hires − leavers.
    pub month_end: u32,
}

/// Underground / underwater workers of one gender.
#[derive(Serialize, ToSchema)]
pub struct UndergroundView {
    pub gender: GenderBody,
    pub previous: u32,
    pub hires: u32,
    pub leavers: u32,
    pub month_end: u32,
}

/// Section 1 totals.
#[derive(Serialize, ToSchema)]
pub struct TotalsView {
    pub previous: u32,
    pub hires: u32,
    pub leavers: u32,
    pub month_end: u32,
    pub underground: u32,
    pub disabled: u32,
    pub ex_convict: u32,
    pub terror_victim: u32,
}

/// A workforce chart.
#[derive(Serialize, ToSchema)]
pub struct ChartView {
    pub id: Uuid,
    pub workplace_id: Uuid,
    pub employer_id: Uuid,
    #[schema(example = "2026-01")]
    pub month: String,
    /// Only the latest chart can change.
    pub is_latest: bool,
    pub totals: TotalsView,
    pub development: Vec<DevelopmentView>,
    pub underground: Vec<UndergroundView>,
    pub details: Vec<PersonRow>,
    pub occupations: Vec<OccupationCount>,
    pub exemptions: Vec<ExemptionRow>,
    pub intentions: IntentionsBody,
    pub hard_to_fill: Vec<OccupationCount>,
    /// Also the `ETag`.
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

fn development_views(c: &Chart) -> Vec<DevelopmentView> {
    c.development
        .iter()
        .map(|((cat, g, k), d)| DevelopmentView {
            category: (*cat).into(),
            gender: (*g).into(),
            contract: (*k).into(),
            previous: d.previous,
            hires: d.hires,
            leavers: d.leavers,
            month_end: d.month_end,
        })
        .collect()
}

fn underground_views(c: &Chart) -> Vec<UndergroundView> {
    c.underground
        .iter()
        .map(|(g, d): (&Gender, &Development)| UndergroundView {
            gender: (*g).into(),
            previous: d.previous,
            hires: d.hires,
            leavers: d.leavers,
            month_end: d.month_end,
        })
        .collect()
}

fn chart_view(s: StoredChart, is_latest: bool) -> ChartView {
    let c = s.chart;
    let sum = |f: fn(&Development) -> u32| c.development.values().map(f).sum::<u32>();
    ChartView {
        id: s.id.as_uuid(),
        workplace_id: s.workplace_id.as_uuid(),
        employer_id: s.employer_id.as_uuid(),
        month: c.month.to_string(),
        is_latest,
        totals: TotalsView {
            previous: sum(|d| d.previous),
            hires: sum(|d| d.hires),
            leavers: sum(|d| d.leavers),
            month_end: c.month_end_total(),
            underground: c.underground_total(),
            disabled: c.month_end_of(Category::Disabled),
            ex_convict: c.month_end_of(Category::ExConvict),
            terror_victim: c.month_end_of(Category::TerrorVictim),
        },
        development: development_views(&c),
        underground: underground_views(&c),
        details: c
            .people
            .iter()
            .map(|p| PersonRow {
                kind: match p.kind {
                    PersonMovementKind::Hire => MovementKindBody::Hire,
                    PersonMovementKind::Leave => MovementKindBody::Leave,
                },
                tckn: p.tckn.as_str().to_owned(),
                full_name: p.full_name.clone(),
                date: p.date.to_string(),
                occupation_code: p.occupation_code.clone(),
                reason: p.reason.clone(),
            })
            .collect(),
        occupations: c
            .occupations
            .iter()
            .map(|(code, n)| OccupationCount {
                occupation_code: code.clone(),
                count: *n,
            })
            .collect(),
        exemptions: c
            .exemptions
            .iter()
            .map(|(kind, n)| ExemptionRow {
                kind: kind.clone(),
                count: *n,
            })
            .collect(),
        intentions: IntentionsBody {
            joint_course_wish: c.intentions.joint_course_wish,
            in_company_training_wish: c.intentions.in_company_training_wish,
            expected_change_next_month: c.intentions.expected_change_next_month,
            apprentices_needed_next_month: c.intentions.apprentices_needed_next_month,
            mandatory_employment_preference: c.intentions.mandatory_employment_preference.clone(),
        },
        hard_to_fill: c
            .hard_to_fill
            .iter()
            .map(|(code, n)| OccupationCount {
                occupation_code: code.clone(),
                count: *n,
            })
            .collect(),
        version: s.version,
        created_at: s.created_at,
        updated_at: s.updated_at,
    }
}

fn chart_response(
    mut res: actix_web::HttpResponseBuilder,
    s: StoredChart,
    latest: bool,
) -> HttpResponse {
    res.insert_header((header::ETAG, etag(s.version)))
        .json(chart_view(s, latest))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ChartListQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The workplace's charts, newest month first (its employer's users, İŞKUR staff).
#[utoipa::path(
    operation_id = "list_workforce_charts",
    tag = "workforce-charts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Workplace id"), ChartListQuery),
    responses(
        (status = 200, description = "A page of charts (15 by default)", body = Paged<ChartView>),
        (status = 403, description = "Neither an employer user with the workforce-chart permission nor İŞKUR staff (`chart.permission_missing`, `chart.not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such workplace, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad paging", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/workplaces/{id}/workforce-charts")]
pub async fn list_workforce_charts(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    q: QueryParams<ChartListQuery>,
) -> ApiResult<HttpResponse> {
    let id: WorkplaceId = path_id(&id, "workplace.not_found")?;
    let page = PageRequest::new(q.0.page, q.0.per_page)?;
    let actor = auth.0;
    let p = read(&state, move |c| {
        uc::list_charts(&mut ChartRepo::new(c), &actor, id, page)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::from_page(p, |(s, latest)| chart_view(s, latest))))
}

/// What a new chart starts from.
#[derive(Serialize, ToSchema)]
pub struct NewChartView {
    /// The month the next chart must be for; `null` before the first chart (any month up to
    /// the current one, with opening counts).
    #[schema(example = "2026-02")]
    pub month: Option<String>,
    /// The latest chart's month-end per row: the new chart's read-only previous counts.
    pub previous: Vec<DevelopmentView>,
    pub previous_underground: Vec<UndergroundView>,
    /// Section 3 pre-filled from the latest chart.
    pub occupations: Vec<OccupationCount>,
}

/// The next chart's month, carried counts and occupations ("Yeni Çizelge").
///
/// The next chart's month, carried counts and pre-filled occupations ("Yeni Çizelge").
#[utoipa::path(
    operation_id = "get_new_workforce_chart",
    tag = "workforce-charts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Workplace id")),
    responses(
        (status = 200, description = "The template", body = NewChartView),
        (status = 403, description = "No workforce-chart permission (`chart.permission_missing`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such workplace, or not yours", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/workplaces/{id}/workforce-charts/new")]
pub async fn new_workforce_chart(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id: WorkplaceId = path_id(&id, "workplace.not_found")?;
    let actor = auth.0;
    let t = read(&state, move |c| {
        uc::new_chart_template(&mut ChartRepo::new(c), &actor, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(NewChartView {
        month: t.month.map(|m| m.to_string()),
        previous: t
            .previous
            .as_ref()
            .map(development_views)
            .unwrap_or_default(),
        previous_underground: t
            .previous
            .as_ref()
            .map(underground_views)
            .unwrap_or_default(),
        occupations: t
            .occupations
            .into_iter()
            .map(|(occupation_code, count)| OccupationCount {
                occupation_code,
                count,
            })
            .collect(),
    }))
}

/// Save a new month's workforce chart, all six sections at once.
///
/// Save a new month's chart, all six sections at once (employer user with the
/// workforce-chart permission).
#[utoipa::path(
    operation_id = "create_workforce_chart",
    tag = "workforce-charts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Workplace id")),
    request_body = ChartRequest,
    responses(
        (status = 201, description = "Saved", body = ChartView, headers(("ETag" = String), ("Location" = String))),
        (status = 403, description = "No workforce-chart permission (`chart.permission_missing`, `chart.employers_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such workplace, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not the month after the latest chart (`chart.out_of_sequence`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid or inconsistent sections, each field named (`chart.negative_month_end`, `chart.details_mismatch`, `chart.occupation_total_mismatch`, `chart.previous_read_only`, `chart.future_month`, `chart.unknown_occupation`, `chart.date_outside_month`, …)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/workplaces/{id}/workforce-charts")]
pub async fn create_workforce_chart(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    body: JsonBody<ChartRequest, CHART_LIMIT>,
) -> ApiResult<HttpResponse> {
    let id: WorkplaceId = path_id(&id, "workplace.not_found")?;
    let mut b = body.0;
    let month = match b.month.take() {
        Some(m) => parse_month("month", &m)?,
        None => {
            return Err(DomainError::field(FieldError::new(
                "month",
                "month.required",
                "Say which month the chart is for (YYYY-MM).",
            ))
            .into())
        }
    };
    let input = chart_input(b)?;
    let now = state.clock.now();
    let actor = auth.0;
    let s = write(&state, move |c| {
        uc::create_chart(&mut ChartRepo::new(c), &actor, id, month, input, now)
    })
    .await?;
    let mut res = HttpResponse::Created();
    res.insert_header((
        header::LOCATION,
        format!("/api/v1/workforce-charts/{}", s.id),
    ));
    Ok(chart_response(res, s, true))
}

/// One chart.
#[utoipa::path(
    operation_id = "get_workforce_chart",
    tag = "workforce-charts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Chart id")),
    responses(
        (status = 200, description = "The chart", body = ChartView, headers(("ETag" = String))),
        (status = 403, description = "Not allowed to read it (`chart.permission_missing`, `chart.not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such chart, or not yours", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/workforce-charts/{id}")]
pub async fn get_workforce_chart(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id: WorkforceChartId = path_id(&id, "chart.not_found")?;
    let actor = auth.0;
    let (s, latest) = read(&state, move |c| {
        uc::get_chart(&mut ChartRepo::new(c), &actor, id)
    })
    .await?;
    Ok(chart_response(HttpResponse::Ok(), s, latest))
}

/// Replace the latest chart's sections (`If-Match`); earlier charts are read-only.
#[utoipa::path(
    operation_id = "update_workforce_chart",
    tag = "workforce-charts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Chart id"), ("If-Match" = Option<String>, Header, description = "The ETag you read")),
    request_body = ChartRequest,
    responses(
        (status = 200, description = "Saved", body = ChartView, headers(("ETag" = String))),
        (status = 403, description = "No workforce-chart permission", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such chart, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not the latest chart (`chart.not_latest`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid or inconsistent sections (`chart.month_immutable`, …)", body = Problem, content_type = "application/problem+json")
    )
)]
#[put("/workforce-charts/{id}")]
pub async fn update_workforce_chart(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<ChartRequest, CHART_LIMIT>,
) -> ApiResult<HttpResponse> {
    let id: WorkforceChartId = path_id(&id, "chart.not_found")?;
    let mut b = body.0;
    let month = b
        .month
        .take()
        .map(|m| parse_month("month", &m))
        .transpose()?;
    let input = chart_input(b)?;
    let now = state.clock.now();
    let actor = auth.0;
    let s = write(&state, move |c| {
        uc::update_chart(
            &mut ChartRepo::new(c),
            &actor,
            id,
            month,
            input,
            if_match.0,
            now,
        )
    })
    .await?;
    Ok(chart_response(HttpResponse::Ok(), s, true))
}

/// A chart's history ("İşlem Hareketleri"), oldest first.
#[utoipa::path(
    operation_id = "list_workforce_chart_history",
    tag = "workforce-charts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Chart id")),
    responses(
        (status = 200, description = "The history", body = Paged<HistoryEntryView>),
        (status = 403, description = "Not allowed to read it (`chart.permission_missing`, `chart.not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such chart, or not yours", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/workforce-charts/{id}/history")]
pub async fn workforce_chart_history(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id: WorkforceChartId = path_id(&id, "chart.not_found")?;
    let actor = auth.0;
    let entries = read(&state, move |c| {
        let mut repo = ChartRepo::new(c);
        uc::get_chart(&mut repo, &actor, id)?;
        repo.history("workforce_chart", &id.to_string())
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::all(
        entries.into_iter().map(HistoryEntryView::from).collect(),
    )))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct QuotaQuery {
    /// `YYYY-MM`; default: the current month (Istanbul).
    pub month: Option<String>,
}

/// Who must be employed.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum QuotaCategoryView {
    Disabled,
    ExConvict,
    TerrorVictim,
}

/// One category of the quota status.
#[derive(Serialize, ToSchema)]
pub struct QuotaLineView {
    pub category: QuotaCategoryView,
    /// The rate in force, in basis points (300 = 3 %).
    #[schema(example = 300)]
    pub rate_basis_points: u32,
    /// The headcount the rate applies to (underground workers left out for `disabled`).
    pub base: u32,
    pub required: u32,
    pub employed: u32,
    /// employed − required: negative is a shortfall (eksik), positive a surplus (fazla).
    pub balance: i64,
    /// `shortfall`, `met` or `surplus`.
    #[schema(example = "shortfall")]
    pub status: String,
}

/// The quota status (kontenjan durumu) of the employer in one province for one month.
#[derive(Serialize, ToSchema)]
pub struct QuotaStatusView {
    #[schema(example = 6)]
    pub province: u8,
    #[schema(example = "2026-03")]
    pub month: String,
    /// All workers of the employer's workplaces in the province (latest chart up to the month).
    pub total_workers: u32,
    pub underground_workers: u32,
    /// The art. 30 threshold.
    #[schema(example = 50)]
    pub threshold: u32,
    /// Whether the threshold is reached.
    pub obliged: bool,
    pub lines: Vec<QuotaLineView>,
}

fn quota_view(s: QuotaStatus) -> QuotaStatusView {
    QuotaStatusView {
        province: s.province.get(),
        month: YearMonth::of(s.month).to_string(),
        total_workers: s.total_workers,
        underground_workers: s.underground_workers,
        threshold: THRESHOLD,
        obliged: s.obliged,
        lines: s
            .lines
            .into_iter()
            .map(|l| QuotaLineView {
                category: match l.category {
                    QuotaCategory::Disabled => QuotaCategoryView::Disabled,
                    QuotaCategory::ExConvict => QuotaCategoryView::ExConvict,
                    QuotaCategory::TerrorVictim => QuotaCategoryView::TerrorVictim,
                },
                rate_basis_points: l.basis_points,
                base: l.base,
                required: l.required,
                employed: l.employed,
                balance: l.balance,
                status: match l.balance {
                    b if b < 0 => "shortfall",
                    0 => "met",
                    _ => "surplus",
                }
                .into(),
            })
            .collect(),
    }
}

/// The employer's quota status in the workplace's province for a month.
///
/// The quota status of the workplace's employer in the workplace's province for a month:
/// all its workplaces there counted together (Labour Law 4857 art. 30).
#[utoipa::path(
    operation_id = "get_quota_status",
    tag = "workforce-charts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Workplace id"), QuotaQuery),
    responses(
        (status = 200, description = "The status", body = QuotaStatusView),
        (status = 403, description = "Not allowed to read it (`chart.permission_missing`, `chart.not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such workplace, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad month (`month.format`)", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/workplaces/{id}/quota-status")]
pub async fn get_quota_status(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    q: QueryParams<QuotaQuery>,
) -> ApiResult<HttpResponse> {
    let id: WorkplaceId = path_id(&id, "workplace.not_found")?;
    let month = match q.0.month.as_deref() {
        Some(m) => parse_month("month", m)?,
        None => YearMonth::of(kapi_core::istanbul_date_of(state.clock.now())),
    };
    let actor = auth.0;
    let s = read(&state, move |c| {
        uc::quota_status_for(&mut ChartRepo::new(c), &actor, id, month)
    })
    .await?;
    Ok(HttpResponse::Ok().json(quota_view(s)))
}

/// Largest chart body (a large workplace's month of hires and leaves).
pub const CHART_LIMIT: usize = 2 * 1024 * 1024;
/// Largest bulk personnel form.
pub const PERSONNEL_FORM_LIMIT: usize = 1024 * 1024;

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PersonnelFormQuery {
    /// The chart's month, `YYYY-MM`: every date must lie in it.
    pub month: String,
}

/// Section 2 read from a bulk personnel form, ready to go into the chart's `details`.
#[derive(Serialize, ToSchema)]
pub struct PersonnelFormView {
    #[schema(example = "2026-01")]
    pub month: String,
    pub hires: u32,
    pub leavers: u32,
    pub details: Vec<PersonRow>,
}

/// Read a bulk personnel form (CSV) for section 2 of the chart.
///
/// Read a bulk personnel form (toplu personel formu, CSV) for section 2 of the workplace's
/// chart: every row checked, all or nothing, errors named `rows[N].column` by line number
/// (the header is line 1). Columns: `kind` (hire/leave or giriş/çıkış), `tckn`, `full_name`,
/// `date`, `occupation_code`, optional `reason`; comma or semicolon separated, UTF-8.
/// Nothing is stored: send the `details` with the chart.
#[utoipa::path(
    operation_id = "read_personnel_form",
    tag = "workforce-charts",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Workplace id"), PersonnelFormQuery),
    request_body(content = String, content_type = "text/csv", example = "kind;tckn;full_name;date;occupation_code;reason\nhire;10000000146;Ayşe Yılmaz;2026-01-05;2512.04;\nleave;12345678950;Ali Veli;31.01.2026;4110.01;Emeklilik"),
    responses(
        (status = 200, description = "The rows, checked", body = PersonnelFormView),
        (status = 403, description = "No workforce-chart permission", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such workplace, or not yours", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than 1 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not text/csv", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Row-numbered errors (`chart_import.*`, `tckn.*`, `chart.unknown_occupation`), or a file problem on `file`", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/workplaces/{id}/workforce-charts/personnel-form")]
pub async fn read_personnel_form(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    q: QueryParams<PersonnelFormQuery>,
    body: crate::extract::CsvBody<PERSONNEL_FORM_LIMIT>,
) -> ApiResult<HttpResponse> {
    let id: WorkplaceId = path_id(&id, "workplace.not_found")?;
    let month = parse_month("month", &q.0.month)?;
    let actor = auth.0;
    let people = read(&state, move |c| {
        uc::check_personnel_form(&mut ChartRepo::new(c), &actor, id, month, &body.0)
    })
    .await?;
    let hires = people
        .iter()
        .filter(|p| p.kind == PersonMovementKind::Hire)
        .count() as u32;
    Ok(HttpResponse::Ok().json(PersonnelFormView {
        month: month.to_string(),
        hires,
        leavers: people.len() as u32 - hires,
        details: people
            .into_iter()
            .map(|p| PersonRow {
                kind: match p.kind {
                    PersonMovementKind::Hire => MovementKindBody::Hire,
                    PersonMovementKind::Leave => MovementKindBody::Leave,
                },
                tckn: p.tckn.as_str().to_owned(),
                full_name: p.full_name,
                date: p.date.to_string(),
                occupation_code: p.occupation_code,
                reason: p.reason,
            })
            .collect(),
    }))
}
