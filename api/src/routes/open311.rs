//! Open311 GeoReport v2 over Açık Kapı petitions, under `/open311/v2`, for integrators
//! (city apps, other agencies' systems) that speak Open311 rather than Kapı's own API.
//! Rules in `kapi_petitions::open311`: services are the service sub-headings; a request
//! sent with an integrator's API key goes through the citizen form's identity and form
//! checks; what is read back carries nothing personal.
//!
//! Open311, not Kapı, conventions here: the format is the path's extension, `.json` or
//! `.xml` (GeoReport v2's XML documents, written by `open311_xml` from the same views);
//! every error is an array of `{"code", "description"}` (`<errors><error>…` in XML; the code
//! is the HTTP status; the description names the parameter and ends with Kapı's machine
//! code in brackets), never problem+json; bodies are `application/x-www-form-urlencoded` as
//! Open311 clients send them (JSON objects with the same keys are accepted too); query
//! parameters an operation does not know (client extensions such as `page_size`, `lat`,
//! `long`, `radius`, `updated_after`) are ignored; a method a path does not take is 405
//! with `Allow`.

use super::open311_xml;
use crate::extract::JSON_LIMIT;
use crate::problem::ApiError;
use crate::state::{read, write, AppState};
use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::{get, post, web, HttpRequest, HttpResponse, ResponseError};
use kapi_core::{DomainError, ErrorKind, MobilePhone, Tckn};
use kapi_persistence::petitions::PetitionRepo;
use kapi_petitions::open311::{self as uc, IdentityClaim, Integrator, RequestInput, RequestQuery};
use kapi_petitions::petition::AddressInput;
use serde::{Deserialize, Deserializer, Serialize};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

pub const TAG: &str = "open311";

// ---------------------------------------------------------------------------------------
// Errors

/// One Open311 error.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({"code": 400, "description": "end_date: start_date and end_date may be at most 90 days apart. [open311.window_too_long]"}))]
pub struct Open311ErrorItem {
    /// The HTTP status.
    pub code: u16,
    pub description: String,
}

/// An Open311 error answer: the status and one item per problem.
#[derive(Debug)]
pub struct Open311Error {
    status: StatusCode,
    items: Vec<Open311ErrorItem>,
    /// For the log only (an internal error's body shows no internals).
    cause: String,
    /// Seconds for `Retry-After` (503 when the database is out of reach).
    retry_after: Option<u64>,
    /// The format the client asked for (JSON until the path's extension is known).
    format: Open311Format,
    /// The methods the path takes, for a 405's `Allow`.
    allow: Option<&'static str>,
}

impl Open311Error {
    pub fn new(status: StatusCode, description: impl Into<String>) -> Self {
        let description = description.into();
        Open311Error {
            status,
            items: vec![Open311ErrorItem {
                code: status.as_u16(),
                description: description.clone(),
            }],
            cause: description,
            retry_after: None,
            format: Open311Format::Json,
            allow: None,
        }
    }

    fn bad_request(description: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, description)
    }

    /// The same error, answered in `format`.
    fn in_format(mut self, format: Open311Format) -> Self {
        self.format = format;
        self
    }
}

/// An Open311 answer format, the path's extension (`services.json`, `services.xml`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Open311Format {
    /// `application/json; charset=utf-8`.
    Json,
    /// GeoReport v2 XML, `text/xml; charset=utf-8`.
    Xml,
}

impl Open311Format {
    /// The format of a path's extension; `None` for neither `json` nor `xml`.
    fn from_extension(ext: &str) -> Option<Self> {
        match ext {
            "json" => Some(Open311Format::Json),
            "xml" => Some(Open311Format::Xml),
            _ => None,
        }
    }

    /// The format of the matched route's `{format}`; 400 for another extension.
    /// Every query string passes the kernel's text gate here, the parameters an operation
    /// ignores included.
    fn of(req: &HttpRequest) -> Result<Self, Open311Error> {
        let ext = req.match_info().get("format").unwrap_or("");
        let format = Self::from_extension(ext).ok_or_else(|| {
            Open311Error::bad_request(format!(
                "format: .{ext} is not served; ask for the same resource with .json or .xml. [open311.format_not_supported]"
            ))
        })?;
        query_params(req, &[]).map_err(|e| e.in_format(format))?;
        Ok(format)
    }

    fn extension(self) -> &'static str {
        match self {
            Open311Format::Json => "json",
            Open311Format::Xml => "xml",
        }
    }

    /// `body` in this format; in XML its root element is `root`.
    fn answer(
        self,
        status: StatusCode,
        root: &str,
        body: &impl Serialize,
    ) -> Result<HttpResponse, Open311Error> {
        match self {
            Open311Format::Json => Ok(HttpResponse::build(status).json(body)),
            Open311Format::Xml => {
                let doc = open311_xml::document(root, body)
                    .map_err(|e| ApiError::internal(format!("open311 xml: {e}")))?;
                Ok(HttpResponse::build(status)
                    .content_type(open311_xml::CONTENT_TYPE)
                    .body(doc))
            }
        }
    }
}

/// The Open311 name of a form field the petition use cases name.
fn open311_field(field: &str) -> String {
    let mapped = match field {
        "tckn" => "attribute[tckn]",
        "mobile" => "phone",
        "subject" => "description",
        "subject_address.open_address" => "address_string",
        "subject_address.province" => "attribute[province]",
        "subject_address.district_code" => "attribute[district]",
        "subject_address.neighbourhood_code" => "attribute[neighbourhood]",
        "education_level" => "attribute[education_level]",
        "sector_id" => "attribute[sector]",
        f if f.starts_with("headings") && f.ends_with(".description") => {
            "attribute[heading_description]"
        }
        f if f.starts_with("headings") => "service_code",
        other => other,
    };
    mapped.to_owned()
}

impl From<ApiError> for Open311Error {
    fn from(e: ApiError) -> Self {
        match e {
            ApiError::Domain(d) => d.into(),
            ApiError::Http {
                status,
                code,
                message,
            } => {
                let status = if status == StatusCode::UNPROCESSABLE_ENTITY {
                    StatusCode::BAD_REQUEST
                } else {
                    status
                };
                Open311Error::new(status, format!("{message} [{code}]"))
            }
        }
    }
}

impl From<DomainError> for Open311Error {
    fn from(d: DomainError) -> Self {
        let cause = format!("{}: {}", d.code, d.message);
        let status = match d.kind {
            ErrorKind::Invalid => StatusCode::BAD_REQUEST,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Unauthenticated | ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ErrorKind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        };
        let items = if d.kind == ErrorKind::Unavailable {
            vec![Open311ErrorItem {
                code: 503,
                description: "The service cannot reach its database at the moment; retry later. [service.unavailable]".into(),
            }]
        } else if d.kind == ErrorKind::Internal {
            vec![Open311ErrorItem {
                code: 500,
                description: "An unexpected error occurred. Quote the X-Request-Id of this response when reporting it.".into(),
            }]
        } else if d.fields.is_empty() {
            vec![Open311ErrorItem {
                code: status.as_u16(),
                description: format!("{} [{}]", d.message, d.code),
            }]
        } else {
            d.fields
                .iter()
                .map(|f| Open311ErrorItem {
                    code: status.as_u16(),
                    description: format!("{}: {} [{}]", open311_field(&f.field), f.message, f.code),
                })
                .collect()
        };
        Open311Error {
            status,
            items,
            cause,
            retry_after: d.retry_after,
            format: Open311Format::Json,
            allow: None,
        }
    }
}

impl std::fmt::Display for Open311Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "open311 {}: {}", self.status.as_u16(), self.cause)
    }
}

impl ResponseError for Open311Error {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut res = match self.format {
            Open311Format::Json => HttpResponse::build(self.status).json(&self.items),
            Open311Format::Xml => match open311_xml::document("errors", &self.items) {
                Ok(doc) => HttpResponse::build(self.status)
                    .content_type(open311_xml::CONTENT_TYPE)
                    .body(doc),
                Err(_) => HttpResponse::build(self.status).json(&self.items),
            },
        };
        if let Some(allow) = self.allow {
            if let Ok(v) = header::HeaderValue::from_str(allow) {
                res.headers_mut().insert(header::ALLOW, v);
            }
        }
        if let Some(secs) = self.retry_after {
            if let Ok(v) = header::HeaderValue::from_str(&secs.to_string()) {
                res.headers_mut().insert(header::RETRY_AFTER, v);
            }
        }
        res
    }
}

type Open311Result = Result<HttpResponse, Open311Error>;

/// The methods an Open311 resource path (below `/open311/v2/`, without its extension)
/// takes; `None` for no resource.
fn methods_of(stem: &str) -> Option<&'static str> {
    let one = |prefix: &str| {
        stem.strip_prefix(prefix)
            .is_some_and(|id| !id.is_empty() && !id.contains('/'))
    };
    match stem {
        "discovery" | "services" => Some("GET"),
        "requests" => Some("GET, POST"),
        _ if one("services/") || one("requests/") || one("tokens/") => Some("GET"),
        _ => None,
    }
}

/// The answer for a request under `/open311/` that no route takes: 405 with `Allow` for a
/// resource asked with another method, else 404; in XML when the path ends in `.xml`.
pub fn unmatched(req: &HttpRequest) -> Open311Error {
    let path = req.path();
    let (stem, ext) = path
        .strip_prefix("/open311/v2/")
        .and_then(|rest| rest.rsplit_once('.'))
        .unwrap_or((path, ""));
    let format = Open311Format::from_extension(ext).unwrap_or(Open311Format::Json);
    match methods_of(stem) {
        Some(allow) if !allow.split(", ").any(|m| m == req.method().as_str()) => {
            let mut e = Open311Error::new(
                StatusCode::METHOD_NOT_ALLOWED,
                format!(
                    "{} is not taken at {path}; it takes {allow}. [request.method_not_allowed]",
                    req.method()
                ),
            );
            e.allow = Some(allow);
            e.in_format(format)
        }
        _ => Open311Error::new(
            StatusCode::NOT_FOUND,
            format!("No Open311 resource at {path}. [not_found]"),
        )
        .in_format(format),
    }
}

// ---------------------------------------------------------------------------------------
// Query strings

/// The query's parameters named in `known` (a repeated one as a comma list). Others are
/// ignored, as established Open311 servers do: clients send their own extensions
/// (`page_size`, `lat`/`long`/`radius`, `updated_after`, …).
fn query_params(
    req: &HttpRequest,
    known: &[&str],
) -> Result<std::collections::BTreeMap<String, String>, Open311Error> {
    let mut out = std::collections::BTreeMap::<String, String>::new();
    for (k, v) in form_urlencoded::parse(req.query_string().as_bytes()) {
        // The kernel's text gate, as for every other query string.
        kapi_core::check_line_text(&k.escape_default().to_string(), &k)
            .and_then(|()| kapi_core::check_line_text(&k, &v))
            .map_err(DomainError::field)?;
        if !known.contains(&k.as_ref()) {
            continue;
        }
        out.entry(k.into_owned())
            .and_modify(|e| {
                e.push(',');
                e.push_str(&v);
            })
            .or_insert_with(|| v.into_owned());
    }
    Ok(out)
}

/// The query parameters a submission reads: `api_key` (besides the body's), and
/// `jurisdiction_id`, ignored: this endpoint serves one jurisdiction.
const COMMON_PARAMS: [&str; 2] = ["jurisdiction_id", "api_key"];

fn w3c(t: OffsetDateTime) -> String {
    let t = t.to_offset(kapi_core::ISTANBUL);
    let t = t.replace_nanosecond(0).unwrap_or(t);
    t.format(&Rfc3339).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// Discovery and services

/// One endpoint of the discovery document.
#[derive(Serialize, ToSchema)]
pub struct DiscoveryEndpoint {
    #[schema(example = "http://wiki.open311.org/GeoReport_v2")]
    pub specification: String,
    /// The base URL of the endpoint (absolute).
    pub url: String,
    #[schema(example = "2026-12-03T00:00:00+03:00")]
    pub changeset: String,
    #[schema(example = "production")]
    #[serde(rename = "type")]
    pub type_: String,
    #[schema(example = json!(["application/json", "text/xml"]))]
    pub formats: Vec<String>,
}

/// The Open311 service discovery document.
#[derive(Serialize, ToSchema)]
pub struct Discovery {
    pub changeset: String,
    pub contact: String,
    /// How an integrator gets an API key.
    pub key_service: String,
    pub endpoints: Vec<DiscoveryEndpoint>,
}

const CHANGESET: &str = "2026-12-03T00:00:00+03:00";

/// Service discovery.
///
/// Service discovery: where the GeoReport v2 endpoint is and what it serves (JSON and XML).
#[utoipa::path(
    operation_id = "open311_discovery",
    tag = "open311",
    params(("format" = Open311Format, Path, description = "The answer format, the path's extension: `json` or `xml` (GeoReport v2 XML, `text/xml`)"), DiscoveryParams),
    responses(
        (status = 200, description = "The discovery document (XML: `<discovery>`, `<endpoints><endpoint>`, `<formats><format>`)", body = Discovery),
        (status = 400, description = "An extension other than `.json` or `.xml` (`open311.format_not_supported`)", body = Vec<Open311ErrorItem>)
    )
)]
#[get("/discovery.{format}")]
pub async fn discovery(req: HttpRequest) -> Open311Result {
    let format = Open311Format::of(&req)?;
    let info = req.connection_info();
    let base = format!("{}://{}", info.scheme(), info.host());
    format.answer(
        StatusCode::OK,
        "discovery",
        &Discovery {
            changeset: CHANGESET.into(),
            contact: "Kapı operators: the Açık Kapı desk of each governorate answers for its petitions.".into(),
            key_service: "API keys are issued to integrator accounts by the Kapı system administrator (POST /api/v1/integrators).".into(),
            endpoints: vec![DiscoveryEndpoint {
                specification: "http://wiki.open311.org/GeoReport_v2".into(),
                url: format!("{base}/open311/v2"),
                changeset: CHANGESET.into(),
                type_: "production".into(),
                formats: vec!["application/json".into(), "text/xml".into()],
            }],
        },
    )
}

/// The parameters every read takes.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiscoveryParams {
    /// Accepted and ignored: this endpoint serves one jurisdiction.
    pub jurisdiction_id: Option<String>,
    /// Accepted and ignored: reading needs no key.
    pub api_key: Option<String>,
}

/// A service: a petition sub-heading.
#[derive(Serialize, ToSchema)]
pub struct ServiceView {
    /// The sub-heading's code.
    #[schema(example = "H01.04")]
    pub service_code: String,
    #[schema(example = "Okul binası, derslik ve donanım ihtiyaçları")]
    pub service_name: String,
    #[schema(example = "Eğitim — Okul binası, derslik ve donanım ihtiyaçları")]
    pub description: String,
    /// Always `true`: every service has attributes (the identity check and the form).
    pub metadata: bool,
    /// Always `batch`: the desk handles requests in its own time.
    #[serde(rename = "type")]
    #[schema(example = "batch")]
    pub type_: String,
    #[schema(example = "Eğitim, Açık Kapı")]
    pub keywords: String,
    /// The heading's name.
    #[schema(example = "Eğitim")]
    pub group: String,
}

/// The services (petition sub-headings, grouped by heading).
///
/// The services (petition sub-headings, grouped by heading) in the code list's order.
#[utoipa::path(
    operation_id = "open311_list_services",
    tag = "open311",
    params(("format" = Open311Format, Path, description = "The answer format, the path's extension: `json` or `xml` (GeoReport v2 XML, `text/xml`)"), DiscoveryParams),
    responses(
        (status = 200, description = "Every service (XML: `<services><service>…`)", body = Vec<ServiceView>),
        (status = 400, description = "An extension other than `.json` or `.xml` (`open311.format_not_supported`)", body = Vec<Open311ErrorItem>)
    )
)]
#[get("/services.{format}")]
pub async fn list_services(state: web::Data<AppState>, req: HttpRequest) -> Open311Result {
    let format = Open311Format::of(&req)?;
    let rows = read(&state, kapi_persistence::reference::list_service_headings)
        .await
        .map_err(|e| Open311Error::from(e).in_format(format))?;
    let group_name = |code: &str| {
        rows.iter()
            .find(|h| h.code == code)
            .map(|h| h.name.clone())
            .unwrap_or_default()
    };
    let services: Vec<ServiceView> = rows
        .iter()
        .filter_map(|h| {
            let group = group_name(h.parent_code.as_deref()?);
            Some(ServiceView {
                service_code: h.code.clone(),
                service_name: h.name.clone(),
                description: format!("{group} — {}", h.name),
                metadata: true,
                type_: "batch".into(),
                keywords: format!("{group}, Açık Kapı"),
                group,
            })
        })
        .collect();
    format.answer(StatusCode::OK, "services", &services)
}

/// One allowed value of a list attribute.
#[derive(Serialize, ToSchema)]
pub struct AttributeValue {
    #[schema(example = "bachelor")]
    pub key: String,
    #[schema(example = "Lisans")]
    pub name: String,
}

/// One attribute (sent as `attribute[code]`).
#[derive(Serialize, ToSchema)]
pub struct AttributeView {
    /// Always `true`: the client asks the person.
    pub variable: bool,
    #[schema(example = "tckn")]
    pub code: String,
    /// `string`, `number`, `text` or `singlevaluelist`.
    #[schema(example = "string")]
    pub datatype: String,
    pub required: bool,
    pub datatype_description: String,
    pub order: u32,
    pub description: String,
    /// The allowed values of a `singlevaluelist`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<AttributeValue>>,
}

/// A service definition: its attributes.
#[derive(Serialize, ToSchema)]
pub struct ServiceDefinition {
    #[schema(example = "H01.04")]
    pub service_code: String,
    pub attributes: Vec<AttributeView>,
}

fn attribute(
    order: u32,
    code: &str,
    datatype: &str,
    required: bool,
    datatype_description: &str,
    description: &str,
    values: Option<Vec<AttributeValue>>,
) -> AttributeView {
    AttributeView {
        variable: true,
        code: code.into(),
        datatype: datatype.into(),
        required,
        datatype_description: datatype_description.into(),
        order,
        description: description.into(),
        values,
    }
}

/// A service's definition.
///
/// A service's definition: the attributes a request sends as `attribute[code]`, besides
/// Open311's own fields — `first_name`, `last_name` and `phone` (the citizen's mobile)
/// for the identity check, `description` (the petition text, 10–5000 characters),
/// `address_string` (the subject's open address) and `email` (optional). The identity
/// attributes are the online form's: TCKN and the first and last letters of the mother's
/// maiden surname. The subject address is `attribute[province]`, `[district]` and
/// `[neighbourhood]` codes from `/api/v1/reference/...` with `address_string`, or
/// `attribute[same_as_residence]=true`.
#[utoipa::path(
    operation_id = "open311_get_service",
    tag = "open311",
    params(("service_code" = String, Path, description = "A service code from services.json"), ("format" = Open311Format, Path, description = "The answer format, the path's extension: `json` or `xml` (GeoReport v2 XML, `text/xml`)"), DiscoveryParams),
    responses(
        (status = 200, description = "The definition (XML: `<service_definition>`, `<attributes><attribute>`, `<values><value>`)", body = ServiceDefinition),
        (status = 400, description = "An extension other than `.json` or `.xml` (`open311.format_not_supported`)", body = Vec<Open311ErrorItem>),
        (status = 404, description = "No such service (`open311.service_not_found`): unknown, or a heading rather than a sub-heading", body = Vec<Open311ErrorItem>)
    )
)]
#[get("/services/{service_code}.{format}")]
pub async fn get_service(state: web::Data<AppState>, req: HttpRequest) -> Open311Result {
    let format = Open311Format::of(&req)?;
    let code = req
        .match_info()
        .get("service_code")
        .unwrap_or_default()
        .to_owned();
    let now = state.clock.now();
    let (service, levels, sectors) = read(&state, move |c| {
        let service = uc::service(&mut PetitionRepo::new(c, now), &code)?;
        let levels = kapi_persistence::reference::list_education_levels(c)?;
        let sectors = kapi_petitions::sector::SectorStore::all(
            &mut kapi_persistence::sectors::SectorRepo::new(c),
        )?;
        Ok((service, levels, sectors))
    })
    .await
    .map_err(|e| Open311Error::from(e).in_format(format))?;
    let other = service.group_code == kapi_petitions::petition::OTHER_HEADING;
    let attributes = vec![
        attribute(1, "tckn", "string", true, "11 digits", "T.C. kimlik numarası of the person petitioning; with first_name, last_name, phone and the two letters below it must match the identity registry.", None),
        attribute(2, "mother_maiden_first_letter", "string", true, "One letter", "First letter of the mother's maiden surname.", None),
        attribute(3, "mother_maiden_last_letter", "string", true, "One letter", "Last letter of the mother's maiden surname.", None),
        attribute(4, "same_as_residence", "singlevaluelist", false, "true or false (default false)", "The subject address is the person's residence in the registry; province, district, neighbourhood and address_string are then not needed.", Some(vec![
            AttributeValue { key: "true".into(), name: "Evet".into() },
            AttributeValue { key: "false".into(), name: "Hayır".into() },
        ])),
        attribute(5, "province", "number", false, "Plate code 1–81 (/api/v1/reference/provinces)", "Province of the subject address; required unless same_as_residence. It decides the governorate desk that handles the request.", None),
        attribute(6, "district", "number", false, "District code (/api/v1/reference/provinces/{code}/districts)", "District of the subject address; required unless same_as_residence.", None),
        attribute(7, "neighbourhood", "number", false, "Neighbourhood or village code (/api/v1/reference/districts/{code}/neighbourhoods)", "Neighbourhood (mahalle) or village (köy) of the subject address; required unless same_as_residence.", None),
        attribute(8, "education_level", "singlevaluelist", true, "One of the keys", "The person's education level.", Some(levels.into_iter().map(|l| AttributeValue { key: l.code, name: l.name_tr }).collect())),
        attribute(9, "sector", "singlevaluelist", true, "One of the keys", "The person's working sector.", Some(sectors.into_iter().map(|s| AttributeValue { key: s.id.to_string(), name: s.name.as_str().to_owned() }).collect())),
        attribute(10, "heading_description", "text", other, "3–500 characters", "What the request is about when no heading fits (required for the Diğer service).", None),
    ];
    format.answer(
        StatusCode::OK,
        "service_definition",
        &ServiceDefinition {
            service_code: service.code,
            attributes,
        },
    )
}

// ---------------------------------------------------------------------------------------
// Requests

/// A service request as published: nothing that identifies or reaches the citizen (no
/// identity, contact, open address or petition text; no lat/long or zipcode either).
#[derive(Serialize, ToSchema)]
pub struct ServiceRequestView {
    /// The petition's tracking number (başvuru takip no).
    #[schema(example = "1001")]
    pub service_request_id: String,
    /// `open` or `closed`.
    #[schema(example = "open")]
    pub status: String,
    /// The status users know.
    #[schema(example = "Başvuru İlgili Birime Yönlendirildi")]
    pub status_notes: String,
    #[schema(example = "Okul binası, derslik ve donanım ihtiyaçları")]
    pub service_name: String,
    #[schema(example = "H01.04")]
    pub service_code: String,
    /// The governorate's Açık Kapı desk, or the units the request is routed to.
    #[schema(example = "Ankara İl Milli Eğitim Müdürlüğü")]
    pub agency_responsible: String,
    /// When it arrived (W3C date-time, Istanbul offset).
    #[schema(value_type = String, format = DateTime, example = "2026-03-02T10:00:00+03:00")]
    pub requested_datetime: String,
    /// When it last changed.
    #[schema(value_type = String, format = DateTime, example = "2026-03-03T09:30:00+03:00")]
    pub updated_datetime: String,
    /// The latest answer deadline of the units yet to answer (open requests only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>, format = DateTime, example = "2026-04-01T23:59:59+03:00")]
    pub expected_datetime: Option<String>,
    /// District and province of the subject address.
    #[schema(example = "Çankaya, Ankara")]
    pub address: String,
}

impl From<uc::PublicRequest> for ServiceRequestView {
    fn from(r: uc::PublicRequest) -> Self {
        ServiceRequestView {
            service_request_id: r.tracking_no.to_string(),
            status: r.status.as_str().into(),
            status_notes: r.status_notes,
            service_name: r.service_name,
            service_code: r.service_code,
            agency_responsible: r.agency_responsible,
            requested_datetime: w3c(r.requested_at),
            updated_datetime: w3c(r.updated_at),
            expected_datetime: r.expected_at.map(w3c),
            address: r.address,
        }
    }
}

/// The request list's parameters.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequestListParams {
    /// Service request ids (tracking numbers), comma separated; overrides every other
    /// criterion.
    #[param(example = "1001,1002")]
    pub service_request_id: Option<String>,
    /// Service codes, comma separated.
    #[param(example = "H01.04")]
    pub service_code: Option<String>,
    /// Earliest arrival: an ISO 8601 date-time with offset, or a date (its first instant in
    /// Istanbul). At most 90 days before `end_date`; alone, the 90 days from it.
    #[param(example = "2026-03-01T00:00:00+03:00")]
    pub start_date: Option<String>,
    /// Latest arrival (a date means its last instant in Istanbul). Alone, the 90 days up to
    /// it; with neither date, the last 90 days.
    #[param(example = "2026-03-31")]
    pub end_date: Option<String>,
    /// `open`, `closed`, or both comma separated.
    #[param(example = "open")]
    pub status: Option<String>,
    /// Accepted and ignored: this endpoint serves one jurisdiction.
    pub jurisdiction_id: Option<String>,
    /// Accepted and ignored: reading needs no key.
    pub api_key: Option<String>,
}

/// Service requests, newest first, at most 1000.
///
/// Service requests, newest first, at most 1000: those that arrived in the window (at most
/// 90 days; the last 90 days by default), by service and status; or the ones named by
/// `service_request_id`.
#[utoipa::path(
    operation_id = "open311_list_requests",
    tag = "open311",
    params(("format" = Open311Format, Path, description = "The answer format, the path's extension: `json` or `xml` (GeoReport v2 XML, `text/xml`)"), RequestListParams),
    responses(
        (status = 200, description = "The requests (XML: `<service_requests><request>…`)", body = Vec<ServiceRequestView>),
        (status = 400, description = "A bad parameter, each named: `start_date`/`end_date` not ISO 8601 (`datetime.format`) or outside the years 1900–2999 (`datetime.out_of_range`), more than 90 days apart (`open311.window_too_long`) or reversed (`open311.window_reversed`); an unknown `status` (`open311.unknown_status`); a `service_request_id` that is not a number (`open311.bad_request_id`); an extension other than `.json` or `.xml` (`open311.format_not_supported`). Unknown parameters are ignored", body = Vec<Open311ErrorItem>)
    )
)]
#[get("/requests.{format}")]
pub async fn list_requests(state: web::Data<AppState>, req: HttpRequest) -> Open311Result {
    let format = Open311Format::of(&req)?;
    let mut p = query_params(
        &req,
        &[
            "service_request_id",
            "service_code",
            "start_date",
            "end_date",
            "status",
            "jurisdiction_id",
            "api_key",
        ],
    )
    .map_err(|e| e.in_format(format))?;
    let q = RequestQuery {
        service_request_id: p.remove("service_request_id"),
        service_code: p.remove("service_code"),
        start_date: p.remove("start_date"),
        end_date: p.remove("end_date"),
        status: p.remove("status"),
    };
    let now = state.clock.now();
    let in_format = |e: Open311Error| e.in_format(format);
    let filter = uc::request_filter(&q, now).map_err(|e| in_format(e.into()))?;
    let items = read(&state, move |c| {
        uc::list_requests(&mut PetitionRepo::new(c, now), &filter)
    })
    .await
    .map_err(|e| in_format(e.into()))?;
    let views: Vec<ServiceRequestView> = items.into_iter().map(Into::into).collect();
    format.answer(StatusCode::OK, "service_requests", &views)
}

/// One service request (an array of one, as Open311 answers).
#[utoipa::path(
    operation_id = "open311_get_request",
    tag = "open311",
    params(("service_request_id" = String, Path, description = "The service request id (tracking number)"), ("format" = Open311Format, Path, description = "The answer format, the path's extension: `json` or `xml` (GeoReport v2 XML, `text/xml`)"), DiscoveryParams),
    responses(
        (status = 200, description = "The request (XML: `<service_requests><request>…`)", body = Vec<ServiceRequestView>),
        (status = 400, description = "An extension other than `.json` or `.xml` (`open311.format_not_supported`)", body = Vec<Open311ErrorItem>),
        (status = 404, description = "No such request (`open311.request_not_found`)", body = Vec<Open311ErrorItem>)
    )
)]
#[get("/requests/{service_request_id}.{format}")]
pub async fn get_request(state: web::Data<AppState>, req: HttpRequest) -> Open311Result {
    let format = Open311Format::of(&req)?;
    let id = req
        .match_info()
        .get("service_request_id")
        .unwrap_or_default()
        .to_owned();
    let now = state.clock.now();
    let r = read(&state, move |c| {
        uc::get_request(&mut PetitionRepo::new(c, now), &id)
    })
    .await
    .map_err(|e| Open311Error::from(e).in_format(format))?;
    format.answer(
        StatusCode::OK,
        "service_requests",
        &vec![ServiceRequestView::from(r)],
    )
}

/// A token and the request it stands for.
#[derive(Serialize, ToSchema)]
pub struct TokenView {
    #[schema(example = "1001")]
    pub service_request_id: String,
    pub token: String,
}

/// The service request id of a token a submission answered with.
#[utoipa::path(
    operation_id = "open311_get_token",
    tag = "open311",
    params(("token" = String, Path, description = "The token from POST requests.json"), ("format" = Open311Format, Path, description = "The answer format, the path's extension: `json` or `xml` (GeoReport v2 XML, `text/xml`)"), DiscoveryParams),
    responses(
        (status = 200, description = "The request id (an array of one; XML: `<service_requests><request>…`)", body = Vec<TokenView>),
        (status = 400, description = "An extension other than `.json` or `.xml` (`open311.format_not_supported`)", body = Vec<Open311ErrorItem>),
        (status = 404, description = "No such token (`open311.token_not_found`)", body = Vec<Open311ErrorItem>)
    )
)]
#[get("/tokens/{token}.{format}")]
pub async fn get_token(state: web::Data<AppState>, req: HttpRequest) -> Open311Result {
    let format = Open311Format::of(&req)?;
    let token = req.match_info().get("token").unwrap_or_default().to_owned();
    let now = state.clock.now();
    let t = token.clone();
    let no = read(&state, move |c| {
        uc::resolve_token(&mut PetitionRepo::new(c, now), &t)
    })
    .await
    .map_err(|e| Open311Error::from(e).in_format(format))?;
    format.answer(
        StatusCode::OK,
        "service_requests",
        &vec![TokenView {
            service_request_id: no.to_string(),
            token,
        }],
    )
}

/// Accepts a string, a number or a boolean as text (form bodies are all text; JSON
/// clients send numbers for codes).
fn lenient<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        S(String),
        I(i64),
        F(f64),
        B(bool),
    }
    Ok(Option::<Raw>::deserialize(d)?.map(|r| match r {
        Raw::S(s) => s,
        Raw::I(i) => i.to_string(),
        Raw::F(f) => f.to_string(),
        Raw::B(b) => b.to_string(),
    }))
}

/// A service request as an Open311 client sends it (`application/x-www-form-urlencoded`,
/// as GeoReport v2 defines it). Required: `api_key`, `service_code`,
/// `first_name`, `last_name`, `phone`, `description`, `attribute[tckn]`,
/// `attribute[mother_maiden_first_letter]`, `attribute[mother_maiden_last_letter]`,
/// `attribute[education_level]`, `attribute[sector]`, and the subject address
/// (`attribute[province]`, `attribute[district]`, `attribute[neighbourhood]` and
/// `address_string`, or `attribute[same_as_residence]=true`).
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ServiceRequestForm {
    /// The integrator's API key.
    #[serde(default, deserialize_with = "lenient")]
    pub api_key: Option<String>,
    /// Accepted and ignored.
    #[serde(default, deserialize_with = "lenient")]
    pub jurisdiction_id: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    #[schema(example = "H01.04")]
    pub service_code: Option<String>,
    /// Accepted and ignored: the subject address comes from the attributes.
    #[serde(default, deserialize_with = "lenient")]
    pub lat: Option<String>,
    /// Accepted and ignored.
    #[serde(default, deserialize_with = "lenient")]
    pub long: Option<String>,
    /// The subject's open address (5–500 characters).
    #[serde(default, deserialize_with = "lenient")]
    #[schema(example = "Atatürk İlköğretim Okulu, Cumhuriyet Cad. No:5")]
    pub address_string: Option<String>,
    /// Accepted and ignored.
    #[serde(default, deserialize_with = "lenient")]
    pub address_id: Option<String>,
    /// Optional contact e-mail.
    #[serde(default, deserialize_with = "lenient")]
    pub email: Option<String>,
    /// Accepted and ignored.
    #[serde(default, deserialize_with = "lenient")]
    pub device_id: Option<String>,
    /// Accepted and ignored.
    #[serde(default, deserialize_with = "lenient")]
    pub account_id: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    #[schema(example = "Ayşe")]
    pub first_name: Option<String>,
    #[serde(default, deserialize_with = "lenient")]
    #[schema(example = "Yılmaz")]
    pub last_name: Option<String>,
    /// The person's mobile (checked against the registry; the SMS with the tracking number
    /// goes there).
    #[serde(default, deserialize_with = "lenient")]
    #[schema(example = "5321000001")]
    pub phone: Option<String>,
    /// The petition text (10–5000 characters). Never published.
    #[serde(default, deserialize_with = "lenient")]
    pub description: Option<String>,
    /// Not supported: a non-empty value is refused (attachments go through the citizen
    /// form).
    #[serde(default, deserialize_with = "lenient")]
    pub media_url: Option<String>,
    #[serde(rename = "attribute[tckn]", default, deserialize_with = "lenient")]
    #[schema(example = "10000000146")]
    pub tckn: Option<String>,
    #[serde(
        rename = "attribute[mother_maiden_first_letter]",
        default,
        deserialize_with = "lenient"
    )]
    #[schema(example = "K")]
    pub mother_maiden_first_letter: Option<String>,
    #[serde(
        rename = "attribute[mother_maiden_last_letter]",
        default,
        deserialize_with = "lenient"
    )]
    #[schema(example = "A")]
    pub mother_maiden_last_letter: Option<String>,
    /// `true` or `false`.
    #[serde(
        rename = "attribute[same_as_residence]",
        default,
        deserialize_with = "lenient"
    )]
    pub same_as_residence: Option<String>,
    #[serde(rename = "attribute[province]", default, deserialize_with = "lenient")]
    #[schema(example = "6")]
    pub province: Option<String>,
    #[serde(rename = "attribute[district]", default, deserialize_with = "lenient")]
    #[schema(example = "6007")]
    pub district: Option<String>,
    #[serde(
        rename = "attribute[neighbourhood]",
        default,
        deserialize_with = "lenient"
    )]
    #[schema(example = "60070001")]
    pub neighbourhood: Option<String>,
    #[serde(
        rename = "attribute[education_level]",
        default,
        deserialize_with = "lenient"
    )]
    #[schema(example = "bachelor")]
    pub education_level: Option<String>,
    /// A sector id from the service definition.
    #[serde(rename = "attribute[sector]", default, deserialize_with = "lenient")]
    pub sector: Option<String>,
    #[serde(
        rename = "attribute[heading_description]",
        default,
        deserialize_with = "lenient"
    )]
    pub heading_description: Option<String>,
}

/// What a submission answers (an array of one).
#[derive(Serialize, ToSchema)]
pub struct RequestCreated {
    /// The tracking number, also sent to the person by SMS.
    #[schema(example = "1001")]
    pub service_request_id: String,
    /// Resolves at `tokens/{token}.json`.
    pub token: String,
    pub service_notice: String,
}

async fn read_body(req: &HttpRequest, payload: Payload) -> Result<Vec<u8>, Open311Error> {
    Ok(crate::extract::read_limited(req, payload, JSON_LIMIT)
        .await?
        .to_vec())
}

fn parse_form(req: &HttpRequest, body: &[u8]) -> Result<ServiceRequestForm, Open311Error> {
    let mime = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let bad = |e: String| Open311Error::bad_request(format!("{e} [request.invalid_body]"));
    // The kernel's text gate on every value and name, before the form is read.
    let refused = match mime.as_str() {
        "application/x-www-form-urlencoded" => form_urlencoded::parse(body).find_map(|(k, v)| {
            kapi_core::check_line_text(&k.escape_default().to_string(), &k)
                .and_then(|()| kapi_core::check_input_text(&k, &v))
                .err()
        }),
        _ => None,
    };
    if let Some(e) = refused {
        return Err(DomainError::field(e).into());
    }
    match mime.as_str() {
        "application/x-www-form-urlencoded" => {
            serde_urlencoded::from_bytes(body).map_err(|e| bad(e.to_string()))
        }
        _ => Err(Open311Error::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Send the request as application/x-www-form-urlencoded, as GeoReport v2 defines it. [request.unsupported_media_type]",
        )),
    }
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The identity claim and the form input, or every problem at once.
fn request_input(f: ServiceRequestForm) -> Result<(IdentityClaim, RequestInput), Open311Error> {
    let mut problems: Vec<String> = vec![];
    let mut required = |name: &str, v: &Option<String>| -> String {
        match given(v) {
            Some(s) => s.to_owned(),
            None => {
                problems.push(format!("{name}: required. [request.missing_field]"));
                String::new()
            }
        }
    };
    let service_code = required("service_code", &f.service_code);
    let first_name = required("first_name", &f.first_name);
    let last_name = required("last_name", &f.last_name);
    let phone = required("phone", &f.phone);
    let description = required("description", &f.description);
    let tckn = required("attribute[tckn]", &f.tckn);
    let first_letter = required(
        "attribute[mother_maiden_first_letter]",
        &f.mother_maiden_first_letter,
    );
    let last_letter = required(
        "attribute[mother_maiden_last_letter]",
        &f.mother_maiden_last_letter,
    );
    let education_level = required("attribute[education_level]", &f.education_level);
    let sector = required("attribute[sector]", &f.sector);
    if given(&f.media_url).is_some() {
        problems.push("media_url: attachments are not taken over Open311; the citizen adds them through the Açık Kapı form. [open311.media_not_supported]".into());
    }
    let same_as_residence = match given(&f.same_as_residence) {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => {
            problems.push(
                "attribute[same_as_residence]: true or false. [request.invalid_value]".into(),
            );
            false
        }
    };
    let mut number = |name: &str, v: &Option<String>| -> Option<i64> {
        let raw = given(v)?;
        match raw.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                problems.push(format!("{name}: a number. [request.invalid_value]"));
                None
            }
        }
    };
    let province = number("attribute[province]", &f.province);
    let district = number("attribute[district]", &f.district);
    let neighbourhood = number("attribute[neighbourhood]", &f.neighbourhood);
    let code = |n: Option<i64>| n.map(|n| i32::try_from(n).unwrap_or(i32::MAX));
    let parsed_tckn = if tckn.is_empty() {
        None
    } else {
        match Tckn::parse(&tckn) {
            Ok(t) => Some(t),
            Err(e) => {
                problems.push(format!("attribute[tckn]: {} [{}]", e.message, e.code));
                None
            }
        }
    };
    let mobile = if phone.is_empty() {
        None
    } else {
        match MobilePhone::parse(&phone) {
            Ok(m) => Some(m),
            Err(e) => {
                problems.push(format!("phone: {} [{}]", e.message, e.code));
                None
            }
        }
    };
    if !problems.is_empty() {
        return Err(Open311Error {
            status: StatusCode::BAD_REQUEST,
            cause: problems.join("; "),
            items: problems
                .into_iter()
                .map(|description| Open311ErrorItem {
                    code: 400,
                    description,
                })
                .collect(),
            retry_after: None,
            format: Open311Format::Json,
            allow: None,
        });
    }
    let (Some(tckn), Some(mobile)) = (parsed_tckn, mobile) else {
        return Err(ApiError::internal("parsed identity lost").into());
    };
    Ok((
        IdentityClaim {
            tckn,
            first_name,
            last_name,
            mother_maiden_first_letter: first_letter,
            mother_maiden_last_letter: last_letter,
            mobile,
        },
        RequestInput {
            service_code,
            heading_description: given(&f.heading_description).map(str::to_owned),
            subject_address: AddressInput {
                same_as_residence,
                province,
                district_code: code(district),
                neighbourhood_code: code(neighbourhood),
                open_address: given(&f.address_string).map(str::to_owned),
            },
            email: given(&f.email).map(str::to_owned),
            education_level,
            sector_id: sector,
            description,
        },
    ))
}

/// The integrator of an API key; 403 when it is missing or unknown.
async fn integrator(
    state: &web::Data<AppState>,
    key: Option<String>,
) -> Result<Integrator, Open311Error> {
    let forbidden = |m: &str| Open311Error::new(StatusCode::FORBIDDEN, m.to_owned());
    let Some(key) = key.filter(|k| !k.trim().is_empty()) else {
        return Err(forbidden(
            "api_key: required; integrator accounts get one from the Kapı administrator. [open311.api_key_missing]",
        ));
    };
    let found = read(state, move |c| {
        kapi_persistence::integrations::find_by_api_key(c, key.trim())
    })
    .await?;
    found
        .map(|i| Integrator {
            id: i.id.to_string(),
            name: i.name,
        })
        .ok_or_else(|| forbidden("api_key: not a valid key. [open311.api_key_invalid]"))
}

/// Submit a service request.
///
/// Submit a service request: it becomes an Açık Kapı petition through the citizen form's
/// pipeline — the identity checked against the registry as the online form checks it
/// (`attribute[tckn]`, `first_name`, `last_name`, the mother's maiden surname letters,
/// `phone`), the same form checks, the pool of the subject address's governorate desk,
/// the history and the SMS with the tracking number. Needs an integrator's key: Open311's
/// `api_key` field (or query parameter), or Kapı's `X-Api-Key` header.
#[utoipa::path(
    operation_id = "open311_create_request",
    tag = "open311",
    request_body(content(
        (ServiceRequestForm = "application/x-www-form-urlencoded")
    ), description = "The request, as Open311 clients send it (GeoReport v2: form-urlencoded)"),
    params(("format" = Open311Format, Path, description = "The answer format, the path's extension: `json` or `xml` (GeoReport v2 XML, `text/xml`)")),
    responses(
        (status = 201, description = "Saved; the id is the tracking number (XML: `<service_requests><request>…`)", body = Vec<RequestCreated>, headers(("Location" = String, description = "requests/{id}.json (or .xml, the format asked for)"))),
        (status = 400, description = "Each problem named: a missing or malformed field (`attribute[tckn]`, `phone`, `attribute[province]`, …), the identity does not match the registry (`petition.identity_mismatch`), a form rule (`description` length, `attribute[district]` not in the province, `attribute[heading_description]` for Diğer, …), `media_url` given, an unknown field, an extension other than `.json` or `.xml` (`open311.format_not_supported`)", body = Vec<Open311ErrorItem>),
        (status = 403, description = "`api_key` missing (`open311.api_key_missing`) or not valid (`open311.api_key_invalid`)", body = Vec<Open311ErrorItem>),
        (status = 404, description = "No such service (`open311.service_not_found`)", body = Vec<Open311ErrorItem>),
        (status = 413, description = "Body larger than 64 KiB", body = Vec<Open311ErrorItem>),
        (status = 415, description = "Not form-urlencoded", body = Vec<Open311ErrorItem>)
    )
)]
#[post("/requests.{format}")]
pub async fn create_request(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Open311Result {
    let format = Open311Format::of(&req)?;
    submit(&state, &req, payload, format)
        .await
        .map_err(|e| e.in_format(format))
}

async fn submit(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    payload: web::Payload,
    format: Open311Format,
) -> Open311Result {
    let mut q = query_params(req, &COMMON_PARAMS)?;
    let body = read_body(req, payload.into_inner()).await?;
    let mut form = parse_form(req, &body)?;
    // Open311 puts the key in the body; the query and Kapı's `X-Api-Key` header work too.
    let key = form
        .api_key
        .take()
        .or_else(|| q.remove("api_key"))
        .or_else(|| {
            req.headers()
                .get("x-api-key")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        });
    let integrator = integrator(state, key).await?;
    let (claim, input) = request_input(form)?;
    let now = state.clock.now();
    let p = write(state, move |c| {
        uc::submit_request(
            &mut PetitionRepo::new(c, now),
            &integrator,
            &claim,
            input,
            now,
        )
    })
    .await?;
    let token = uc::token_of(&p).unwrap_or_else(|| p.id.to_string());
    let mut res = format.answer(
        StatusCode::CREATED,
        "service_requests",
        &vec![RequestCreated {
            service_request_id: p.tracking_no.to_string(),
            token,
            service_notice: uc::service_notice(&p),
        }],
    )?;
    let location = format!(
        "/open311/v2/requests/{}.{}",
        p.tracking_no,
        format.extension()
    );
    if let Ok(v) = header::HeaderValue::from_str(&location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}
