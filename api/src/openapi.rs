//! The OpenAPI document's fixed parts; paths and schemas come from route registration.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Kapi API",
        version = "0.1.0",
        description = "Kapı: one JSON REST API for Kariyer Kapısı (public-sector postings and applications), İŞKUR employer services, e-İzin (work permits for foreigners) and Açık Kapı (citizen petitions).\n\nErrors are RFC 9457 `application/problem+json` with a stable `code`; 422 answers name the invalid fields. Lists are paged with `page` (from 1) and `per_page` (1–100, default 15). Mutable resources carry a version as `ETag`; send it back in `If-Match` (412 when stale). Log in at `/api/v1/auth/...` and send `Authorization: Bearer <token>`.\n\nOperations tagged `dev` exist only in the `dev` profile.",
        license(name = "MIT")
    ),
    servers((url = "/", description = "This server")),
    tags(
        (name = "auth", description = "Logins, tokens and one-time codes"),
        (name = "reference", description = "Code lists with Turkish labels: provinces, districts, neighbourhoods, occupations, education levels, countries, service headings, DETSİS units, employment types, evaluation stage kinds, institutions, work-permit fees, termination reasons, work-permit document types"),
        (name = "postings", description = "Kariyer Kapısı job postings (ilan): institutions draft, change (with what is locked once published), publish and cancel them with their sub-postings (alt ilan / pozisyon) and evaluation stages; anyone lists and opens the active ones with filters, logged-in users the archive too"),
        (name = "applications", description = "Kariyer Kapısı applications (başvuru): the candidate's wizard with every step saved (posting text → one sub-posting → its text → registry data and declarations → preview → submit), Başvurularım and İptal Edilen Başvurularım, cancelling until the end date and applying again, Sınavlarım/Mülakatlarım; the institution's lists, approval (one or in bulk), cancellation with a reason, invitations to stages (online: password and link), results visible to candidates only once approved, and the placement (asil / yedek / olumsuz)"),
        (name = "institutions", description = "Kariyer Kapısı institutions (kurumlar): the public list (its ids filter `GET /postings?institution_id=`); the system administrator creates institutions, opens, deactivates and reactivates their HR accounts (`institution_hr`, who log in at `/auth/staff/login` and publish the institution's postings) and reads their history"),
        (name = "sectors", description = "Açık Kapı working sectors (çalışma sektörleri): public list, administration"),
        (name = "petition-users", description = "Açık Kapı desk users (Yetki İşlemleri): the province administrator registers, searches, changes, deactivates and exports Sorumlu (AKS) and Yetkili users of the province; the officers log in at `/auth/petition-officer/...`"),
        (name = "petitions", description = "Açık Kapı citizen petitions: the identity check and SMS code, submission with attachments and the tracking number, the query; the desk (AKS): written petitions, search with overdue, Excel export, headings, routing to DETSİS units, MİA approval, closing with the standard letter; units (Yetkili) answer without ever receiving contact details; the MİA answers, sends back and resets"),
        (name = "employers", description = "İŞKUR employers: membership, the employer record, workplaces (head offices and branches)"),
        (name = "workforce-charts", description = "İŞKUR monthly workforce charts (aylık işgücü çizelgesi), saved whole in sequence, and the quota status (kontenjan durumu, Labour Law art. 30)"),
        (name = "mass-layoffs", description = "İŞKUR mass-layoff notices (toplu işten çıkarma): notify, change within one month, art. 29 advice; the İŞKUR view"),
        (name = "labour-demands", description = "İŞKUR labour demands (işgücü istemi): quick and detailed creation, edit, close, cancel; candidate selection (Eleman Seç), the candidate list (Aday Gör), interviews and results; the employer reports as PDF or Excel"),
        (name = "job-seekers", description = "Citizens as İŞKUR job seekers: the profile (CV) and their applications"),
        (name = "open-jobs", description = "Açık İş İlanları: the public open-job search in every mode of the portal, the job advert, and applying"),
        (name = "work-permits", description = "e-İzin work permits for foreigners: employer registration (işveren kaydı) by a citizen logged in through e-Devlet — a company workplace among the SGK workplaces the person is e-Bildirge authorised for, a household (ev hizmetleri) or a university — after verifying an e-mail and a mobile by code; the employer panel (authorised users, assignment of applications); the application wizard (files checked by content, five steps, the petition generated as a PDF and e-signed, Law 6735 at submission); the ministry's queue and decisions, fees paid by reference at the simulated GİB (exact amounts), appeal and waiver; after the permit: the card shipped by simulated PTT, start of work, documents asked later, lost card, termination; every status change in the history"),
        (name = "integrators", description = "Integrators (other agencies, job boards, employers' HR systems, city apps): accounts and API keys issued by the system administrator (`X-Api-Key`); change feeds of postings, labour demands, work-permit and petition statuses in commit order with a resumable cursor (the transactional outbox); webhooks signed with HMAC-SHA256, retried with back-off, with a delivery log. See docs/integrators.md"),
        (name = "open311", description = "Open311 GeoReport v2 over Açık Kapı petitions, under `/open311/v2`, in JSON or GeoReport v2 XML by the path's extension (`services.json`, `services.xml`): services are the petition sub-headings (`services.json`, each service's attributes in `services/{code}.json`); an integrator's client submits a request with its `api_key` (form-urlencoded, as Open311 clients send it), which becomes a petition through the citizen form's identity check and rules; anyone reads requests (`requests.json` with a window of at most 90 days, `requests/{id}.json`, `tokens/{token}.json`) with non-personal fields only — no identity, contact, open address or petition text. Errors are Open311's array of `{code, description}` (`<errors><error>` in XML), not problem+json; unknown query parameters are ignored; a method a path does not take is 405 with `Allow`. See docs/integrators.md"),
        (name = "health", description = "Liveness and readiness"),
        (name = "dev", description = "Development helpers — outbox and clock. **Absent in the `prod` profile.**")
    ),
    components(schemas(
        crate::problem::Problem,
        crate::problem::ProblemField,
        crate::routes::labour_demands::ReportKindCode,
        crate::routes::labour_demands::ReportFormat,
        crate::routes::labour_demand_dto::DemandStatusCode,
        crate::routes::open_jobs::SearchModeCode,
        crate::routes::open_jobs::SectorCode,
        crate::routes::integrators::FeedStream,
        crate::routes::open311::Open311Format
    )),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Api-Key",
                "An integrator account's key, issued by a system administrator (POST /api/v1/integrators)",
            ))),
        );
    }
}

/// The operations of a path, whatever their method.
fn operations_mut(
    item: &mut utoipa::openapi::PathItem,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    [
        &mut item.get,
        &mut item.put,
        &mut item.post,
        &mut item.delete,
        &mut item.patch,
    ]
    .into_iter()
    .flatten()
}

/// Whether the operation takes a parameter in `place` (path, query, header).
fn has_parameter_in(
    op: &utoipa::openapi::path::Operation,
    place: utoipa::openapi::path::ParameterIn,
) -> bool {
    op.parameters.as_ref().is_some_and(|ps| {
        ps.iter()
            .any(|p| matches!(p, utoipa::openapi::RefOr::T(p) if p.parameter_in == place))
    })
}

/// Adds the refusals every operation of a kind can answer with, so each handler documents
/// only its own: a body means 400 (malformed JSON), 413 (too large), 415 (not JSON) and
/// 422 (invalid); a bearer requirement means 401; reading the database means 503 (out of
/// reach). Runs on the collected paths.
pub fn add_common_responses(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let problem = |description: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/problem+json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("Problem")))
                        .build(),
                )
                .build(),
        )
    };
    for (path, item) in api.paths.paths.iter_mut() {
        // Open311 answers its own error format and documents it per operation; each answer
        // also comes as GeoReport v2 XML when the path's `{format}` is `xml`.
        if path.starts_with("/open311/") {
            open311_xml_content(item);
            continue;
        }
        for op in operations_mut(item) {
            let has_query = has_parameter_in(op, utoipa::openapi::path::ParameterIn::Query);
            let has_path = has_parameter_in(op, utoipa::openapi::path::ParameterIn::Path);
            let responses = &mut op.responses.responses;
            if let Some(body) = &op.request_body {
                let multipart =
                    matches!(body, RefOr::T(b) if b.content.contains_key("multipart/form-data"));
                let (malformed, unsupported) = if multipart {
                    (
                        "Malformed JSON or multipart (`request.malformed_json`, `request.bad_multipart`)",
                        "Neither `application/json` nor `multipart/form-data` (`request.unsupported_media_type`)",
                    )
                } else {
                    (
                        "Malformed JSON (`request.malformed_json`)",
                        "Not `application/json` (`request.unsupported_media_type`)",
                    )
                };
                for (status, text) in [
                    ("400", malformed),
                    ("413", "Body too large (`request.too_large`)"),
                    ("415", unsupported),
                    ("422", "Invalid fields (`validation.failed`, with `errors`)"),
                ] {
                    responses
                        .entry(status.to_owned())
                        .or_insert_with(|| problem(text));
                }
            }
            if has_path {
                responses.entry("422".to_owned()).or_insert_with(|| {
                    problem(
                        "A path parameter holds a control character (`validation.failed`, with `errors` naming it: `text.control_character`)",
                    )
                });
            }
            if has_query {
                responses.entry("422".to_owned()).or_insert_with(|| {
                    problem(
                        "Invalid or unknown query parameter (`validation.failed`, with `errors`)",
                    )
                });
            }
            if op.security.as_ref().is_some_and(|s| !s.is_empty()) {
                responses
                    .entry("401".to_owned())
                    .or_insert_with(|| problem("No, invalid or expired token (`auth.*`)"));
            }
            // Everything but liveness and the dev clock reads the database.
            if path != "/health/live" && path != "/api/v1/dev/clock" {
                responses.entry("503".to_owned()).or_insert_with(|| {
                    problem("The database is out of reach for now (`service.unavailable`, with `Retry-After`): retry later")
                });
            }
        }
    }
}

/// Documents `Idempotency-Key` on every operation that honours it (POST outside
/// `/api/v1/auth` and `/api/v1/dev`): the header parameter, the `Idempotent-Replayed`
/// header of a replayed answer, and the refusals (409 in flight, 422 reused or invalid).
pub fn add_idempotency(api: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::header::Header;
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::{
        ContentBuilder, ObjectBuilder, Ref, RefOr, Required, ResponseBuilder, Type,
    };
    let method = actix_web::http::Method::POST;
    let parameter = ParameterBuilder::new()
        .name("Idempotency-Key")
        .parameter_in(ParameterIn::Header)
        .required(Required::False)
        .description(Some(
            "A key of your choosing (a UUID) that makes retrying this request safe: the same key with the same body within 24 hours answers what the first request answered (with `Idempotent-Replayed: true`) and creates nothing more; with another body it is refused (422 `idempotency_key.reused`); while the first request is still running, 409 `idempotency_key.in_flight`. Keys are per caller. Only successful (2xx) answers are kept.",
        ))
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .min_length(Some(1))
                .max_length(Some(crate::idempotency::MAX_KEY_LEN))
                .pattern(Some("^[!-~]{1,255}$")),
        ))
        .build();
    api.components
        .get_or_insert_with(Default::default)
        .parameters
        .insert("IdempotencyKey".into(), RefOr::T(parameter));
    for (path, item) in api.paths.paths.iter_mut() {
        if !crate::idempotency::applies_to(&method, path) {
            continue;
        }
        let Some(op) = item.post.as_mut() else {
            continue;
        };
        op.parameters
            .get_or_insert_with(Vec::new)
            .push(RefOr::Ref(Ref::new(
                "#/components/parameters/IdempotencyKey",
            )));
        for (status, response) in op.responses.responses.iter_mut() {
            if !status.starts_with('2') {
                continue;
            }
            if let RefOr::T(r) = response {
                let mut h = Header::new(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some(["true"])),
                );
                h.description = Some("`true` when this is the stored answer to an earlier request with the same Idempotency-Key.".into());
                r.headers.insert("Idempotent-Replayed".into(), RefOr::T(h));
            }
        }
        let problem = |description: &str| {
            RefOr::T(
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        "application/problem+json",
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("Problem")))
                            .build(),
                    )
                    .build(),
            )
        };
        let responses = &mut op.responses.responses;
        for (status, text) in [
            ("409", "A request with the same Idempotency-Key is still running (`idempotency_key.in_flight`)"),
            ("422", "The Idempotency-Key was used with another body (`idempotency_key.reused`) or is not 1–255 visible characters (`validation.failed` on `Idempotency-Key`)"),
        ] {
            match responses.get_mut(status) {
                Some(RefOr::T(r)) => {
                    r.description = format!("{}; or: {}", r.description, text);
                }
                Some(RefOr::Ref(_)) => {}
                None => {
                    responses.insert(status.to_owned(), problem(text));
                }
            }
        }
    }
}

/// The sentence of the description that names the dev helpers (dropped in the prod spec).
const DEV_NOTE: &str = "\n\nOperations tagged `dev` exist only in the `dev` profile.";

/// Last touches that depend on the whole document: every operation that takes no token says
/// so with `security: []` (an operation without `security` would inherit a global one), and
/// the prod document (the published contract) names no dev helper.
pub fn finish(api: &mut utoipa::openapi::OpenApi, profile: crate::config::Profile) {
    for item in api.paths.paths.values_mut() {
        for op in operations_mut(item) {
            op.security.get_or_insert_with(Vec::new);
        }
    }
    if profile != crate::config::Profile::Dev {
        if let Some(tags) = api.tags.as_mut() {
            tags.retain(|t| t.name != "dev");
        }
        if let Some(d) = api.info.description.as_mut() {
            *d = d.replace(DEV_NOTE, "");
        }
    }
}

/// Every Open311 answer documented as `application/json` is also served as `text/xml`
/// (the path's `{format}` is `xml`): the same fields as elements, lists wrapped in their
/// plural element with one singular child per item (`<services><service>…`).
fn open311_xml_content(item: &mut utoipa::openapi::PathItem) {
    use utoipa::openapi::RefOr;
    let ops = [&mut item.get, &mut item.post];
    for op in ops.into_iter().flatten() {
        for response in op.responses.responses.values_mut() {
            if let RefOr::T(r) = response {
                if let Some(json) = r.content.get("application/json").cloned() {
                    r.content.entry("text/xml".to_owned()).or_insert(json);
                }
            }
        }
    }
}
