//! Read-only code lists with Turkish labels, so front-ends never hard-code them. Searches
//! (`q`) use the Turkish fold: `q=sanliurfa` finds `Şanlıurfa`, `q=yazilim` finds `Yazılım …`.

use super::Paged;
use crate::extract::QueryParams;
use crate::problem::{ApiResult, Problem};
use crate::state::{read, AppState};
use actix_web::{get, web, HttpRequest, HttpResponse};
use kapi_core::{DomainError, FieldError, PageRequest};
use kapi_persistence::reference as r;
use kapi_persistence::work_permit_registries as wp;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct ProvinceView {
    /// Plate code 1–81.
    #[schema(example = 63)]
    pub code: i32,
    #[schema(example = "Şanlıurfa")]
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct DistrictView {
    pub code: i32,
    pub province_code: i32,
    #[schema(example = "Haliliye")]
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct NeighbourhoodView {
    pub code: i32,
    pub district_code: i32,
    #[schema(example = "Kalaba")]
    pub name: String,
    /// `neighbourhood` (mahalle) or `village` (köy).
    pub kind: String,
}

#[derive(Serialize, ToSchema)]
pub struct OccupationView {
    /// ISCO-08 based code of the Turkish occupation dictionary.
    #[schema(example = "2512.04")]
    pub code: String,
    #[schema(example = "Yazılım Geliştirici")]
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct EducationLevelView {
    #[schema(example = "bachelor")]
    pub code: String,
    #[schema(example = "Lisans")]
    pub name_tr: String,
    #[schema(example = "Bachelor's degree")]
    pub name_en: String,
    pub position: i32,
}

#[derive(Serialize, ToSchema)]
pub struct CountryView {
    /// ISO 3166-1 alpha-2 (`CT` for the Turkish Republic of Northern Cyprus).
    #[schema(example = "DE")]
    pub code: String,
    #[schema(example = "Almanya")]
    pub name_tr: String,
    #[schema(example = "Germany")]
    pub name_en: String,
    #[schema(example = "Alman")]
    pub nationality_tr: String,
}

/// A service sub-heading (hizmet alt başlığı).
#[derive(Serialize, ToSchema)]
pub struct ServiceSubHeadingView {
    pub code: String,
    pub name: String,
}

/// A service heading (hizmet başlığı) with its sub-headings.
#[derive(Serialize, ToSchema)]
pub struct ServiceHeadingView {
    pub code: String,
    pub name: String,
    pub sub_headings: Vec<ServiceSubHeadingView>,
}

#[derive(Serialize, ToSchema)]
pub struct DetsisUnitView {
    /// 8-digit DETSİS number.
    #[schema(example = "55481037")]
    pub detsis_no: String,
    pub parent_detsis_no: Option<String>,
    #[schema(example = "Ankara İl Milli Eğitim Müdürlüğü")]
    pub name: String,
    pub province_code: Option<i32>,
}

fn not_found(code: &'static str, what: &str) -> DomainError {
    DomainError::not_found(code, format!("No such {what}."))
}

/// `?q=` filter.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Part of the name; Turkish letters and case do not matter.
    pub q: Option<String>,
}

/// `?q=&page=&per_page=`.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PagedSearchQuery {
    /// Part of the name (Turkish fold) or the start of the code.
    pub q: Option<String>,
    /// 1-based page (default 1).
    pub page: Option<i64>,
    /// Items per page, 1–100 (default 15).
    pub per_page: Option<i64>,
}

/// `?q=&province=&parent=&page=&per_page=`.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DetsisQuery {
    /// Part of the unit name (Turkish fold) or the start of its number.
    pub q: Option<String>,
    /// Only units of this province (plate code).
    pub province: Option<i32>,
    /// Only direct children of this unit.
    pub parent: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// All 81 provinces (il), by plate code.
#[utoipa::path(
    operation_id = "list_provinces",
    tag = "reference",
    params(SearchQuery),
    responses((status = 200, description = "Provinces", body = Paged<ProvinceView>), (status = 422, description = "Bad query", body = Problem, content_type = "application/problem+json"))
)]
#[get("/reference/provinces")]
pub async fn list_provinces(
    state: web::Data<AppState>,
    q: QueryParams<SearchQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.0.q;
    let items = read(&state, move |c| r::list_provinces(c, q.as_deref())).await?;
    Ok(HttpResponse::Ok().json(Paged::all(
        items
            .into_iter()
            .map(|p| ProvinceView {
                code: p.code,
                name: p.name,
            })
            .collect(),
    )))
}

/// One province.
#[utoipa::path(
    operation_id = "get_province",
    tag = "reference",
    params(("code" = i32, Path, description = "Plate code 1–81")),
    responses((status = 200, description = "The province", body = ProvinceView), (status = 404, description = "No such province", body = Problem, content_type = "application/problem+json"))
)]
#[get("/reference/provinces/{code}")]
pub async fn get_province(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let code: i32 = code
        .parse()
        .map_err(|_| not_found("province.not_found", "province"))?;
    let p = read(&state, move |c| r::get_province(c, code))
        .await?
        .ok_or_else(|| not_found("province.not_found", "province"))?;
    Ok(HttpResponse::Ok().json(ProvinceView {
        code: p.code,
        name: p.name,
    }))
}

/// The districts (ilçe) of a province, alphabetical.
#[utoipa::path(
    operation_id = "list_districts",
    tag = "reference",
    params(("code" = i32, Path, description = "Province plate code"), SearchQuery),
    responses((status = 200, description = "Districts", body = Paged<DistrictView>), (status = 404, description = "No such province", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Bad query", body = Problem, content_type = "application/problem+json"))
)]
#[get("/reference/provinces/{code}/districts")]
pub async fn list_districts(
    state: web::Data<AppState>,
    code: web::Path<String>,
    q: QueryParams<SearchQuery>,
) -> ApiResult<HttpResponse> {
    let code: i32 = code
        .parse()
        .map_err(|_| not_found("province.not_found", "province"))?;
    let q = q.0.q;
    let items = read(&state, move |c| {
        r::get_province(c, code)?.ok_or_else(|| not_found("province.not_found", "province"))?;
        r::list_districts(c, code, q.as_deref())
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::all(
        items
            .into_iter()
            .map(|d| DistrictView {
                code: d.code,
                province_code: d.province_code,
                name: d.name,
            })
            .collect(),
    )))
}

/// The neighbourhoods (mahalle) and villages (köy) of a district, paged.
#[utoipa::path(
    operation_id = "list_neighbourhoods",
    tag = "reference",
    params(("code" = i32, Path, description = "District code"), PagedSearchQuery),
    responses((status = 200, description = "Neighbourhoods", body = Paged<NeighbourhoodView>), (status = 404, description = "No such district", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Bad query", body = Problem, content_type = "application/problem+json"), (status = 429, description = "Too many unauthenticated searches from this address (`request.rate_limited`, with Retry-After in seconds)", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the window ends"))))
)]
#[get("/reference/districts/{code}/neighbourhoods")]
pub async fn list_neighbourhoods(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
    q: QueryParams<PagedSearchQuery>,
) -> ApiResult<HttpResponse> {
    crate::rate_limit::public_search(&state, &req).await?;
    let code: i32 = code
        .parse()
        .map_err(|_| not_found("district.not_found", "district"))?;
    let q = q.0;
    let page = PageRequest::new(q.page, q.per_page)?;
    let p = read(&state, move |c| {
        r::get_district(c, code)?.ok_or_else(|| not_found("district.not_found", "district"))?;
        r::list_neighbourhoods(c, code, q.q.as_deref(), page)
    })
    .await?;
    Ok(
        HttpResponse::Ok().json(Paged::from_page(p, |n| NeighbourhoodView {
            code: n.code,
            district_code: n.district_code,
            name: n.name,
            kind: n.kind,
        })),
    )
}

/// Search the occupation dictionary by code prefix or name.
#[utoipa::path(
    operation_id = "list_occupations",
    tag = "reference",
    params(PagedSearchQuery),
    responses((status = 200, description = "Occupations", body = Paged<OccupationView>), (status = 422, description = "Bad query", body = Problem, content_type = "application/problem+json"), (status = 429, description = "Too many unauthenticated searches from this address (`request.rate_limited`, with Retry-After in seconds)", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the window ends"))))
)]
#[get("/reference/occupations")]
pub async fn list_occupations(
    state: web::Data<AppState>,
    req: HttpRequest,
    q: QueryParams<PagedSearchQuery>,
) -> ApiResult<HttpResponse> {
    crate::rate_limit::public_search(&state, &req).await?;
    let q = q.0;
    let page = PageRequest::new(q.page, q.per_page)?;
    let p = read(&state, move |c| {
        r::search_occupations(c, q.q.as_deref(), page)
    })
    .await?;
    Ok(
        HttpResponse::Ok().json(Paged::from_page(p, |o| OccupationView {
            code: o.code,
            name: o.name,
        })),
    )
}

/// One occupation.
#[utoipa::path(
    operation_id = "get_occupation",
    tag = "reference",
    params(("code" = String, Path, description = "Occupation code, e.g. 2512.04")),
    responses((status = 200, description = "The occupation", body = OccupationView), (status = 404, description = "No such occupation", body = Problem, content_type = "application/problem+json"))
)]
#[get("/reference/occupations/{code}")]
pub async fn get_occupation(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let code = code.into_inner();
    let o = read(&state, move |c| r::get_occupation(c, &code))
        .await?
        .ok_or_else(|| not_found("occupation.not_found", "occupation"))?;
    Ok(HttpResponse::Ok().json(OccupationView {
        code: o.code,
        name: o.name,
    }))
}

/// Education levels, lowest first.
#[utoipa::path(operation_id = "list_education_levels", tag = "reference", responses((status = 200, description = "Education levels", body = Paged<EducationLevelView>)))]
#[get("/reference/education-levels")]
pub async fn list_education_levels(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let items = read(&state, r::list_education_levels).await?;
    Ok(HttpResponse::Ok().json(Paged::all(
        items
            .into_iter()
            .map(|e| EducationLevelView {
                code: e.code,
                name_tr: e.name_tr,
                name_en: e.name_en,
                position: e.position,
            })
            .collect(),
    )))
}

/// A code with its Turkish label (small, fixed code lists).
#[derive(Serialize, ToSchema)]
pub struct CodeLabelView {
    #[schema(example = "contracted")]
    pub code: String,
    #[schema(example = "Sözleşmeli Personel")]
    pub name_tr: String,
}

/// Employment types of Kariyer Kapısı positions (istihdam türü).
#[utoipa::path(operation_id = "list_employment_types", tag = "reference", responses((status = 200, description = "Employment types", body = Paged<CodeLabelView>)))]
#[get("/reference/employment-types")]
pub async fn list_employment_types() -> ApiResult<HttpResponse> {
    use kapi_postings::posting::EmploymentType;
    Ok(HttpResponse::Ok().json(Paged::all(
        EmploymentType::ALL
            .into_iter()
            .map(|t| CodeLabelView {
                code: t.as_str().into(),
                name_tr: t.label_tr().into(),
            })
            .collect(),
    )))
}

/// Kinds of evaluation stages a posting declares (değerleme aşaması türleri).
#[utoipa::path(operation_id = "list_stage_kinds", tag = "reference", responses((status = 200, description = "Stage kinds", body = Paged<CodeLabelView>)))]
#[get("/reference/stage-kinds")]
pub async fn list_stage_kinds() -> ApiResult<HttpResponse> {
    use kapi_postings::posting::StageKind;
    Ok(HttpResponse::Ok().json(Paged::all(
        StageKind::ALL
            .into_iter()
            .map(|k| CodeLabelView {
                code: k.as_str().into(),
                name_tr: k.label_tr().into(),
            })
            .collect(),
    )))
}

/// Countries and nationalities.
#[utoipa::path(
    operation_id = "list_countries",
    tag = "reference",
    params(SearchQuery),
    responses((status = 200, description = "Countries", body = Paged<CountryView>), (status = 422, description = "Bad query", body = Problem, content_type = "application/problem+json"))
)]
#[get("/reference/countries")]
pub async fn list_countries(
    state: web::Data<AppState>,
    q: QueryParams<SearchQuery>,
) -> ApiResult<HttpResponse> {
    let q = q.0.q;
    let items = read(&state, move |c| r::list_countries(c, q.as_deref())).await?;
    Ok(HttpResponse::Ok().json(Paged::all(
        items
            .into_iter()
            .map(|x| CountryView {
                code: x.code,
                name_tr: x.name_tr,
                name_en: x.name_en,
                nationality_tr: x.nationality_tr,
            })
            .collect(),
    )))
}

/// Açık Kapı service headings with their sub-headings.
///
/// Açık Kapı service headings with their sub-headings. Choosing `DIGER` ("Diğer") needs a description on the petition.
#[utoipa::path(operation_id = "list_service_headings", tag = "reference", responses((status = 200, description = "Headings", body = Paged<ServiceHeadingView>)))]
#[get("/reference/service-headings")]
pub async fn list_service_headings(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let rows = read(&state, r::list_service_headings).await?;
    let mut heads: Vec<ServiceHeadingView> = rows
        .iter()
        .filter(|h| h.parent_code.is_none())
        .map(|h| ServiceHeadingView {
            code: h.code.clone(),
            name: h.name.clone(),
            sub_headings: Vec::new(),
        })
        .collect();
    for sub in rows.into_iter().filter(|h| h.parent_code.is_some()) {
        if let Some(head) = heads
            .iter_mut()
            .find(|h| Some(&h.code) == sub.parent_code.as_ref())
        {
            head.sub_headings.push(ServiceSubHeadingView {
                code: sub.code,
                name: sub.name,
            });
        }
    }
    Ok(HttpResponse::Ok().json(Paged::all(heads)))
}

fn detsis_view(u: r::DetsisUnit) -> DetsisUnitView {
    DetsisUnitView {
        detsis_no: u.detsis_no,
        parent_detsis_no: u.parent_detsis_no,
        name: u.name,
        province_code: u.province_code,
    }
}

/// Search DETSİS state units by name or number, province and parent.
#[utoipa::path(
    operation_id = "list_detsis_units",
    tag = "reference",
    params(DetsisQuery),
    responses((status = 200, description = "Units", body = Paged<DetsisUnitView>), (status = 422, description = "Bad query", body = Problem, content_type = "application/problem+json"), (status = 429, description = "Too many unauthenticated searches from this address (`request.rate_limited`, with Retry-After in seconds)", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the window ends"))))
)]
#[get("/reference/detsis-units")]
pub async fn list_detsis_units(
    state: web::Data<AppState>,
    req: HttpRequest,
    q: QueryParams<DetsisQuery>,
) -> ApiResult<HttpResponse> {
    crate::rate_limit::public_search(&state, &req).await?;
    let q = q.0;
    let page = PageRequest::new(q.page, q.per_page)?;
    if let Some(p) = q.province {
        kapi_core::ProvinceCode::new(i64::from(p)).map_err(|e: FieldError| e.at("province"))?;
    }
    let p = read(&state, move |c| {
        r::search_detsis(c, q.q.as_deref(), q.province, q.parent.as_deref(), page)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::from_page(p, detsis_view)))
}

/// One DETSİS unit.
#[utoipa::path(
    operation_id = "get_detsis_unit",
    tag = "reference",
    params(("detsis_no" = String, Path, description = "8-digit DETSİS number")),
    responses((status = 200, description = "The unit", body = DetsisUnitView), (status = 404, description = "No such unit", body = Problem, content_type = "application/problem+json"))
)]
#[get("/reference/detsis-units/{detsis_no}")]
pub async fn get_detsis_unit(
    state: web::Data<AppState>,
    no: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let no = no.into_inner();
    let u = read(&state, move |c| r::get_detsis(c, &no))
        .await?
        .ok_or_else(|| not_found("detsis_unit.not_found", "DETSİS unit"))?;
    Ok(HttpResponse::Ok().json(detsis_view(u)))
}

/// `?on=YYYY-MM-DD`.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FeesQuery {
    /// The day whose tariff is wanted, `YYYY-MM-DD` (default: today in Istanbul).
    #[param(example = "2026-06-01")]
    pub on: Option<String>,
}

/// One band of the work-permit fee tariff: permits of `months_min..=months_max` months pay
/// `permit_fee` (çalışma izni harcı) to account `permit_fee_account` and `card_fee`
/// (değerli kâğıt bedeli) to account `card_fee_account`, each separately and exactly.
#[derive(Serialize, ToSchema)]
pub struct WorkPermitFeeView {
    /// The first day of the tariff version this band belongs to.
    #[schema(example = "2026-01-01")]
    pub valid_from: String,
    #[schema(example = 1)]
    pub months_min: u16,
    #[schema(example = 12)]
    pub months_max: u16,
    /// Lira with two decimals.
    #[schema(example = "13025.55")]
    pub permit_fee: String,
    #[schema(example = "9130")]
    pub permit_fee_account: String,
    /// Lira with two decimals.
    #[schema(example = "1593.10")]
    pub card_fee: String,
    #[schema(example = "9267")]
    pub card_fee_account: String,
}

/// The work-permit fee tariff in force on a day.
///
/// The work-permit fee tariff in force on a day: every duration band of the version with the
/// latest `valid_from` on or before `on` (none before the first version). The amounts are
/// demo data here.
#[utoipa::path(
    operation_id = "list_work_permit_fees",
    tag = "reference",
    params(FeesQuery),
    responses(
        (status = 200, description = "The bands in force", body = Paged<WorkPermitFeeView>, example = json!({
            "items": [
                {"valid_from": "2026-01-01", "months_min": 1, "months_max": 12, "permit_fee": "13025.55", "permit_fee_account": "9130", "card_fee": "1593.10", "card_fee_account": "9267"},
                {"valid_from": "2026-01-01", "months_min": 13, "months_max": 24, "permit_fee": "26051.10", "permit_fee_account": "9130", "card_fee": "1593.10", "card_fee_account": "9267"},
                {"valid_from": "2026-01-01", "months_min": 25, "months_max": 36, "permit_fee": "39076.65", "permit_fee_account": "9130", "card_fee": "1593.10", "card_fee_account": "9267"}
            ],
            "page": 1, "per_page": 3, "total": 3, "total_capped": false
        })),
        (status = 422, description = "Bad `on` (`date.format`) or unknown parameter", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/reference/work-permit-fees")]
pub async fn list_work_permit_fees(
    state: web::Data<AppState>,
    q: QueryParams<FeesQuery>,
) -> ApiResult<HttpResponse> {
    use kapi_work_permit::fees::FeeAccount;
    let on = match q.0.on.as_deref() {
        Some(d) => crate::routes::mass_layoffs::parse_date("on", d)?,
        None => kapi_core::istanbul_date_of(state.clock.now()),
    };
    let schedule = read(&state, wp::fee_schedule).await?;
    let version = schedule.version_on(on);
    let items = schedule
        .rows()
        .iter()
        .filter(|row| Some(row.valid_from) == version)
        .map(|row| WorkPermitFeeView {
            valid_from: row.valid_from.to_string(),
            months_min: row.months_min,
            months_max: row.months_max,
            permit_fee: crate::routes::lira(row.permit_fee),
            permit_fee_account: FeeAccount::PermitFee.account_code().into(),
            card_fee: crate::routes::lira(row.card_fee),
            card_fee_account: FeeAccount::CardFee.account_code().into(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(Paged::all(items)))
}

/// Reasons for ending a work permit (çalışma izni sonlandırma gerekçeleri).
#[utoipa::path(
    operation_id = "list_termination_reasons",
    tag = "reference",
    responses((status = 200, description = "Termination reasons", body = Paged<CodeLabelView>, example = json!({
        "items": [{"code": "resignation", "name_tr": "İstifa"}, {"code": "other", "name_tr": "Diğer"}],
        "page": 1, "per_page": 2, "total": 2, "total_capped": false
    })))
)]
#[get("/reference/termination-reasons")]
pub async fn list_termination_reasons() -> ApiResult<HttpResponse> {
    use kapi_work_permit::post_permit::TerminationReason;
    Ok(HttpResponse::Ok().json(Paged::all(
        TerminationReason::ALL
            .iter()
            .map(|t| CodeLabelView {
                code: t.as_str().into(),
                name_tr: t.label_tr().into(),
            })
            .collect(),
    )))
}

/// Kinds of document e-İzin asks for (belge türleri).
#[utoipa::path(
    operation_id = "list_work_permit_document_types",
    tag = "reference",
    responses((status = 200, description = "Document types", body = Paged<CodeLabelView>, example = json!({
        "items": [{"code": "employment_contract", "name_tr": "İş Sözleşmesi"}, {"code": "proof_of_income", "name_tr": "Gelir Durumunu Gösterir Belge"}],
        "page": 1, "per_page": 2, "total": 2, "total_capped": false
    })))
)]
#[get("/reference/work-permit-document-types")]
pub async fn list_work_permit_document_types() -> ApiResult<HttpResponse> {
    use kapi_work_permit::documents::DocumentType;
    Ok(HttpResponse::Ok().json(Paged::all(
        DocumentType::ALL
            .iter()
            .map(|t| CodeLabelView {
                code: t.as_str().into(),
                name_tr: t.label_tr().into(),
            })
            .collect(),
    )))
}
