//! One module per area; each registers its handlers through utoipa-actix-web so the spec
//! is built from the same registration as the router.

pub mod annual_surveys;
pub mod applications;
pub mod auth;
pub mod dev;
pub mod employers;
pub mod health;
pub mod institutions;
pub mod integrators;
pub mod job_postings;
pub mod labour_demand_dto;
pub mod labour_demands;
pub mod mass_layoffs;
pub mod open311;
pub mod open311_xml;
pub mod open_jobs;
pub mod petition_users;
pub mod petitions;
pub mod postings;
pub mod reference;
pub mod sectors;
pub mod work_permit_after;
pub mod work_permit_decisions;
pub mod work_permit_employers;
pub mod work_permits;
pub mod workforce_charts;

use kapi_core::Page;
use serde::Serialize;
use utoipa::ToSchema;

/// Only paging: `?page=1&per_page=15`.
#[derive(serde::Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// The list envelope: `{ items, page, per_page, total }`. Complete code lists (provinces,
/// districts of a province, education levels, countries) come as a single page.
#[derive(Debug, Serialize, ToSchema)]
pub struct Paged<T: ToSchema> {
    pub items: Vec<T>,
    pub page: u32,
    pub per_page: u32,
    /// How many match. The searches over the big tables (postings, open jobs, petitions, the
    /// ministry's queue) stop counting at 1000: then `total` is 1000 and `total_capped` true.
    pub total: u64,
    /// `true` when there are more than `total` matches (the count stopped at its cap).
    pub total_capped: bool,
}

impl<T: ToSchema> Paged<T> {
    pub fn from_page<U>(p: Page<U>, f: impl FnMut(U) -> T) -> Self {
        let p = p.map(f);
        Paged {
            items: p.items,
            page: p.page,
            per_page: p.per_page,
            total: p.total,
            total_capped: p.total_capped,
        }
    }

    /// A whole code list as one page.
    pub fn all(items: Vec<T>) -> Self {
        let n = items.len();
        Paged {
            items,
            page: 1,
            per_page: n as u32,
            total: n as u64,
            total_capped: false,
        }
    }
}

/// One line of a record's history ("İşlem Hareketleri").
#[derive(Debug, Serialize, ToSchema)]
pub struct HistoryEntryView {
    #[serde(with = "time::serde::rfc3339")]
    pub at: time::OffsetDateTime,
    /// Who did it (identity numbers masked).
    #[schema(example = "system_admin:019a…")]
    pub actor: String,
    pub from_state: Option<String>,
    #[schema(example = "active")]
    pub to_state: String,
    pub note: Option<String>,
}

impl From<kapi_core::HistoryEntry> for HistoryEntryView {
    fn from(e: kapi_core::HistoryEntry) -> Self {
        HistoryEntryView {
            at: e.at,
            actor: e.actor,
            from_state: e.from_state,
            to_state: e.to_state,
            note: e.note,
        }
    }
}

pub const TAG_AUTH: &str = "auth";

/// Lira with exactly two decimals and no unit (`13025.55`): the tariffs' own notation.
pub fn lira(m: kapi_core::Money) -> String {
    let k = m.kurus();
    let sign = if k < 0 { "-" } else { "" };
    let a = k.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// A file name safe in a `Content-Disposition` header: Latin letters, digits, `.` and `-`
/// kept, anything else `_`; at most 100 characters; `dosya` when nothing is left.
pub fn ascii_file_name(raw: &str) -> String {
    let s: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .take(100)
        .collect();
    if s.is_empty() {
        "dosya".into()
    } else {
        s
    }
}

/// A generated document (report, export, letter) as a download named `filename`.
pub fn download(
    rendered: Result<Vec<u8>, kapi_documents::DocumentError>,
    media_type: &str,
    filename: &str,
) -> crate::problem::ApiResult<actix_web::HttpResponse> {
    let bytes = rendered.map_err(|e| {
        crate::problem::ApiError::internal(format!("document rendering failed: {e}"))
    })?;
    Ok(actix_web::HttpResponse::Ok()
        .content_type(media_type.to_owned())
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .body(bytes))
}
pub const TAG_REFERENCE: &str = "reference";
pub const TAG_SECTORS: &str = "sectors";
pub const TAG_HEALTH: &str = "health";
pub const TAG_DEV: &str = "dev";
pub const TAG_EMPLOYERS: &str = "employers";

// ---------------------------------------------------------------------------------------
// Files in the spec. These types only describe bodies (no handler builds them): a download's
// bytes, and the `multipart/form-data` uploads read by `petitions::WithFiles`.

/// A file's bytes.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(#[allow(dead_code)] Vec<u8>);

/// `multipart/form-data` with the JSON in a part named `data` and up to ten attachments in
/// parts named `files` (each at most 10 MB). No other part is accepted.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct AttachmentsForm<T: ToSchema> {
    pub data: T,
    /// The attachments, each in its own `files` part.
    #[schema(inline, max_items = 10, required = false)]
    pub files: Vec<FileBytes>,
}

/// `multipart/form-data` with the JSON in a part named `data` and exactly one file in a part
/// named `files`. No other part is accepted.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct OneFileForm<T: ToSchema> {
    pub data: T,
    /// The file, in one `files` part.
    #[schema(inline, min_items = 1, max_items = 1)]
    pub files: Vec<FileBytes>,
}

/// `multipart/form-data` with the JSON in a part named `data` and one to ten files in parts
/// named `files` (each at most 10 MB). No other part is accepted.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct FilesForm<T: ToSchema> {
    pub data: T,
    /// The files, each in its own `files` part.
    #[schema(inline, min_items = 1, max_items = 10)]
    pub files: Vec<FileBytes>,
}
