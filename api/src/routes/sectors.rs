//! Açık Kapı working sectors: public list, admin-only changes with `ETag` / `If-Match`.
//! The reference slice: every domain builds its routes this way (parse → call the use case
//! in one transaction → map), with the rules in `kapi_petitions::sector`.

use super::{HistoryEntryView, Paged};
use crate::extract::{etag, path_id, Authenticated, IfMatch, JsonBody, QueryParams};
use crate::problem::{ApiResult, Problem};
use crate::state::{read, write, AppState};
use actix_web::http::header;
use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use kapi_core::{FieldErrors, PageRequest, SectorId};
use kapi_persistence::sectors::SectorRepo;
use kapi_petitions::sector::{self as uc, NewSector, Sector, SectorChange, SectorName};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

/// A working sector (çalışma sektörü).
#[derive(Serialize, ToSchema)]
pub struct SectorView {
    pub id: uuid::Uuid,
    #[schema(example = "Bilişim")]
    pub name: String,
    /// 1-based place in the list ("Sıra").
    #[schema(example = 5)]
    pub position: u32,
    /// Also sent as the `ETag`; send it back in `If-Match` to change or delete.
    #[schema(example = 1)]
    pub version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

impl From<Sector> for SectorView {
    fn from(s: Sector) -> Self {
        SectorView {
            id: s.id.as_uuid(),
            name: s.name.as_str().to_owned(),
            position: s.position,
            version: s.version,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

fn with_etag(mut res: actix_web::HttpResponseBuilder, s: Sector) -> HttpResponse {
    res.insert_header((header::ETAG, etag(s.version)))
        .json(SectorView::from(s))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SectorListQuery {
    /// Part of the name; Turkish letters and case do not matter.
    pub q: Option<String>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Create a sector.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateSectorRequest {
    /// 2–100 characters, unique regardless of Turkish case.
    #[schema(example = "Yenilenebilir Enerji", min_length = 2, max_length = 100)]
    pub name: String,
    /// Where to insert (1 = first); the rest shift down. Default: at the end.
    #[schema(minimum = 1)]
    pub position: Option<u32>,
}

/// Rename and/or move a sector.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateSectorRequest {
    #[schema(example = "Bilişim ve Yazılım", min_length = 2, max_length = 100)]
    pub name: Option<String>,
    /// New place in the list; the others shift to close the gap.
    #[schema(minimum = 1)]
    pub position: Option<u32>,
}

/// The sectors in list order.
#[utoipa::path(
    operation_id = "list_sectors",
    tag = "sectors",
    params(SectorListQuery),
    responses(
        (status = 200, description = "A page of sectors", body = Paged<SectorView>),
        (status = 422, description = "Bad paging (`paging.page`, `paging.per_page`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many unauthenticated searches from this address (`request.rate_limited`, with Retry-After in seconds)", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds until the window ends")))
    )
)]
#[get("/reference/sectors")]
pub async fn list_sectors(
    state: web::Data<AppState>,
    req: HttpRequest,
    q: QueryParams<SectorListQuery>,
) -> ApiResult<HttpResponse> {
    crate::rate_limit::public_search(&state, &req).await?;
    let q = q.0;
    let page = PageRequest::new(q.page, q.per_page)?;
    let p = read(&state, move |c| {
        uc::list_sectors(&mut SectorRepo::new(c), q.q.as_deref(), page)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::from_page(p, SectorView::from)))
}

/// One sector, with its `ETag`.
#[utoipa::path(
    operation_id = "get_sector",
    tag = "sectors",
    params(("id" = uuid::Uuid, Path, description = "Sector id")),
    responses(
        (status = 200, description = "The sector", body = SectorView, headers(("ETag" = String, description = "Version, for If-Match"))),
        (status = 404, description = "No such sector", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/reference/sectors/{id}")]
pub async fn get_sector(
    state: web::Data<AppState>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id: SectorId = path_id(&id, "sector.not_found")?;
    let s = read(&state, move |c| uc::get_sector(&mut SectorRepo::new(c), id)).await?;
    Ok(with_etag(HttpResponse::Ok(), s))
}

/// Add a sector (system administrator).
#[utoipa::path(
    operation_id = "create_sector",
    tag = "sectors",
    security(("bearer" = [])),
    request_body = CreateSectorRequest,
    responses(
        (status = 201, description = "Created", body = SectorView, headers(("ETag" = String), ("Location" = String))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a system administrator (`sector.admin_only`)", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name or position (`sector.name_taken`, `sector.position_out_of_range`, …)", body = Problem, content_type = "application/problem+json")
    )
)]
#[post("/admin/sectors")]
pub async fn create_sector(
    state: web::Data<AppState>,
    auth: Authenticated,
    body: JsonBody<CreateSectorRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    let name = SectorName::parse(&body.name)?;
    let now = state.clock.now();
    let actor = auth.0;
    let s = write(&state, move |c| {
        uc::create_sector(
            &mut SectorRepo::new(c),
            &actor,
            NewSector {
                name,
                position: body.position,
            },
            now,
        )
    })
    .await?;
    let location = format!("/api/v1/reference/sectors/{}", s.id);
    let mut res = HttpResponse::Created();
    res.insert_header((header::LOCATION, location));
    Ok(with_etag(res, s))
}

/// Rename and/or move a sector (system administrator).
///
/// Rename and/or move a sector (system administrator). Send `If-Match` with the version you saw.
#[utoipa::path(
    operation_id = "update_sector",
    tag = "sectors",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Sector id"), ("If-Match" = Option<String>, Header, description = "The ETag you read, e.g. \"3\"")),
    request_body = UpdateSectorRequest,
    responses(
        (status = 200, description = "Updated", body = SectorView, headers(("ETag" = String))),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a system administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such sector", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A concurrent change won the race and no `If-Match` was sent (`conflict.concurrent_update`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it (`precondition.version_mismatch`)", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name or position", body = Problem, content_type = "application/problem+json")
    )
)]
#[patch("/admin/sectors/{id}")]
pub async fn update_sector(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<UpdateSectorRequest>,
) -> ApiResult<HttpResponse> {
    let id: SectorId = path_id(&id, "sector.not_found")?;
    let body = body.0;
    let mut errors = FieldErrors::new();
    let name = body
        .name
        .as_deref()
        .map(|n| errors.take("name", SectorName::parse(n)))
        .unwrap_or(None);
    errors.finish()?;
    let change = SectorChange {
        name,
        position: body.position,
    };
    let now = state.clock.now();
    let actor = auth.0;
    let s = write(&state, move |c| {
        uc::update_sector(&mut SectorRepo::new(c), &actor, id, change, if_match.0, now)
    })
    .await?;
    Ok(with_etag(HttpResponse::Ok(), s))
}

/// Delete a sector (system administrator); refused while petitions use it.
#[utoipa::path(
    operation_id = "delete_sector",
    tag = "sectors",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Sector id"), ("If-Match" = Option<String>, Header, description = "The ETag you read")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not logged in", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a system administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such sector", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Petitions use it (`sector.in_use`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Changed since you read it", body = Problem, content_type = "application/problem+json")
    )
)]
#[delete("/admin/sectors/{id}")]
pub async fn delete_sector(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
    if_match: IfMatch,
) -> ApiResult<HttpResponse> {
    let id: SectorId = path_id(&id, "sector.not_found")?;
    let now = state.clock.now();
    let actor = auth.0;
    write(&state, move |c| {
        uc::delete_sector(&mut SectorRepo::new(c), &actor, id, if_match.0, now)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A sector's history, oldest first.
///
/// A sector's history, oldest first — also after it was deleted (system administrator).
#[utoipa::path(
    operation_id = "list_sector_history",
    tag = "sectors",
    security(("bearer" = [])),
    params(("id" = uuid::Uuid, Path, description = "Sector id")),
    responses(
        (status = 200, description = "The history", body = Paged<HistoryEntryView>),
        (status = 403, description = "Not a system administrator", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such sector, ever", body = Problem, content_type = "application/problem+json")
    )
)]
#[get("/admin/sectors/{id}/history")]
pub async fn sector_history(
    state: web::Data<AppState>,
    auth: Authenticated,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id: SectorId = path_id(&id, "sector.not_found")?;
    let actor = auth.0;
    let entries = read(&state, move |c| {
        uc::sector_history(&mut SectorRepo::new(c), &actor, id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(Paged::all(
        entries.into_iter().map(HistoryEntryView::from).collect(),
    )))
}
