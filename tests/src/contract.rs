//! Contract conformance: every request a black-box test sends and every answer it gets is
//! checked against the committed OpenAPI document, the one generated clients are built from.
//!
//! For each exchange the operation is found by method and path template, then:
//! - the answer's status is declared for the operation (or covered by `default`);
//! - its `Content-Type` is one declared for that status, and a body is sent only where one is
//!   declared;
//! - a JSON body (`application/json`, `…+json`) validates against the declared schema
//!   (OpenAPI 3.1 schemas are JSON Schema 2020-12; `$ref`s resolve into the document);
//! - only when the answer is 2xx (tests send bad requests on purpose to get 4xx): the request's
//!   `Content-Type` is declared in `requestBody`, and its body (JSON, the parts of a
//!   multipart/form-data body, a form) validates against that schema; required query
//!   parameters are present.
//!
//! The document is `openapi/openapi.dev.json` for an app in the dev profile when that file
//! exists, else `openapi/openapi.json`. A mismatch panics with the operation, the status, the
//! JSON pointer of the error and an excerpt of the body. `KAPI_CONTRACT=warn` logs mismatches
//! instead (to stderr and `<target>/contract-mismatches/<pid>.txt`), to collect a whole list in
//! one run; the default is strict.
//!
//! Each distinct (method, path template, declared status) validated is appended to
//! `<target>/contract-coverage/<pid>.txt`; `scripts/contract-coverage.py` sums them up.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use actix_web::http::header::HeaderMap;
use actix_web::web::Bytes;
use jsonschema::{Registry, Validator};
use kapi_api::config::Profile;
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};

/// The base URI the document is registered under; `$ref: '#/…'` resolve against it.
const BASE: &str = "urn:kapi:openapi";

/// What the test sent, captured before the app read it.
pub struct Sent {
    pub method: String,
    /// The path without the query.
    pub path: String,
    pub query: Option<String>,
    pub content_type: Option<String>,
    pub body: Bytes,
}

/// What the app answered.
pub struct Answered<'a> {
    pub status: u16,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
}

/// One segment of a path template: literal text, or `prefix{var}suffix`.
enum Segment {
    Literal(String),
    Variable { prefix: String, suffix: String },
}

struct Route {
    method: String,
    template: String,
    segments: Vec<Segment>,
}

struct Spec {
    file: String,
    doc: Arc<Value>,
    registry: Registry<'static>,
    routes: Vec<Route>,
    validators: Mutex<HashMap<String, Arc<Validator>>>,
}

fn workspace_root() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The cargo target directory (`CARGO_TARGET_DIR` or `<workspace>/target`).
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) if !d.is_empty() => {
            let d = PathBuf::from(d);
            if d.is_absolute() {
                d
            } else {
                workspace_root().join(d)
            }
        }
        _ => workspace_root().join("target"),
    }
}

/// The file a profile is checked against.
fn spec_file(profile: Profile) -> PathBuf {
    let dev = workspace_root().join("openapi/openapi.dev.json");
    if profile == Profile::Dev && dev.exists() {
        dev
    } else {
        workspace_root().join("openapi/openapi.json")
    }
}

fn spec(profile: Profile) -> &'static Spec {
    static DEV: OnceLock<Spec> = OnceLock::new();
    static PROD: OnceLock<Spec> = OnceLock::new();
    let cell = if profile == Profile::Dev { &DEV } else { &PROD };
    cell.get_or_init(|| load(spec_file(profile)))
}

fn load(path: PathBuf) -> Spec {
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("contract: cannot read {}: {e}", path.display()));
    let doc: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("contract: {} is not JSON: {e}", path.display()));
    let doc = Arc::new(doc);
    let registry = Registry::new()
        .draft(jsonschema::Draft::Draft202012)
        .add(
            BASE,
            jsonschema::Draft::Draft202012.create_resource((*doc).clone()),
        )
        .and_then(|b| b.prepare())
        .unwrap_or_else(|e| panic!("contract: {} does not register: {e}", path.display()));
    let mut routes = Vec::new();
    for (template, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, _) in item.as_object().into_iter().flatten() {
            if !matches!(
                method.as_str(),
                "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
            ) {
                continue;
            }
            routes.push(Route {
                method: method.to_ascii_uppercase(),
                template: template.clone(),
                segments: template
                    .trim_start_matches('/')
                    .split('/')
                    .map(parse_segment)
                    .collect(),
            });
        }
    }
    let file = path
        .strip_prefix(workspace_root())
        .unwrap_or(&path)
        .display()
        .to_string();
    Spec {
        file,
        doc,
        registry,
        routes,
        validators: Mutex::new(HashMap::new()),
    }
}

fn parse_segment(s: &str) -> Segment {
    match (s.find('{'), s.rfind('}')) {
        (Some(a), Some(b)) if a < b => Segment::Variable {
            prefix: s[..a].to_owned(),
            suffix: s[b + 1..].to_owned(),
        },
        _ => Segment::Literal(s.to_owned()),
    }
}

/// How well a template matches the path: `None` when it does not, else the number of literal
/// characters matched (the most specific template wins, as in the router).
fn score(segments: &[Segment], path: &str) -> Option<usize> {
    let parts: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    if parts.len() != segments.len() {
        return None;
    }
    let mut score = 0;
    for (seg, part) in segments.iter().zip(parts) {
        match seg {
            Segment::Literal(l) => {
                if l != part {
                    return None;
                }
                score += l.len() + 1;
            }
            Segment::Variable { prefix, suffix } => {
                if part.len() <= prefix.len() + suffix.len()
                    || !part.starts_with(prefix.as_str())
                    || !part.ends_with(suffix.as_str())
                {
                    return None;
                }
                score += prefix.len() + suffix.len();
            }
        }
    }
    Some(score)
}

impl Spec {
    /// The best-matching route for the path and method, and whether any method has the path.
    fn find(&self, method: &str, path: &str) -> (Option<&Route>, bool) {
        let mut best: Option<(usize, &Route)> = None;
        let mut path_known = false;
        let mut best_any: Option<usize> = None;
        for r in &self.routes {
            if let Some(s) = score(&r.segments, path) {
                path_known = true;
                best_any = Some(best_any.map_or(s, |b| b.max(s)));
                if r.method == method && best.is_none_or(|(b, _)| s > b) {
                    best = Some((s, r));
                }
            }
        }
        // A more specific template of another method shadows a looser one of this method
        // (`GET /x/search` exists, `POST /x/search` does not, `POST /x/{id}` does): the
        // router would not take it either.
        match (best, best_any) {
            (Some((s, r)), Some(a)) if s >= a => (Some(r), true),
            _ => (None, path_known),
        }
    }

    /// The value at a JSON pointer of the document.
    fn at(&self, pointer: &str) -> &Value {
        self.doc.pointer(pointer).unwrap_or(&Value::Null)
    }

    /// Follows `$ref`s (into this document) until a schema that is not one.
    fn resolve<'a>(&'a self, mut v: &'a Value) -> &'a Value {
        for _ in 0..32 {
            match v.get("$ref").and_then(Value::as_str) {
                Some(r) if r.starts_with("#/") => v = self.at(&r[1..]),
                _ => break,
            }
        }
        v
    }

    /// The validator of the schema at `pointer`, compiled once.
    fn validator(&self, pointer: &str) -> Result<Arc<Validator>, String> {
        if let Some(v) = self.validators.lock().unwrap().get(pointer) {
            return Ok(v.clone());
        }
        let schema = serde_json::json!({ "$ref": format!("{BASE}#{}", fragment(pointer)) });
        let v = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .with_registry(&self.registry)
            .should_validate_formats(true)
            .build(&schema)
            .map_err(|e| format!("the schema at {pointer} does not compile: {e}"))?;
        let v = Arc::new(v);
        self.validators
            .lock()
            .unwrap()
            .insert(pointer.to_owned(), v.clone());
        Ok(v)
    }

    /// Validates `instance` against the schema at `pointer`: every error, with its location.
    fn validate(&self, pointer: &str, instance: &Value) -> Vec<String> {
        let validator = match self.validator(pointer) {
            Ok(v) => v,
            Err(e) => return vec![e],
        };
        validator
            .iter_errors(instance)
            .take(8)
            .map(|e| {
                let at = e.instance_path().to_string();
                format!(
                    "at `{}`: {e} (schema {})",
                    if at.is_empty() { "/" } else { &at },
                    e.schema_path()
                )
            })
            .collect()
    }
}

/// A JSON pointer token (`/` → `~1`, `~` → `~0`).
fn token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

/// A JSON pointer as a URI fragment (RFC 6901 §6): what a fragment may not hold, percent-encoded.
fn fragment(pointer: &str) -> String {
    let mut out = String::with_capacity(pointer.len());
    for b in pointer.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/?".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The media type without parameters, lower case.
fn essence(ct: &str) -> String {
    ct.split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

fn is_json(media: &str) -> bool {
    media == "application/json" || media.ends_with("+json")
}

/// The declared media type (key of a `content` map) that covers `actual`.
fn declared_media<'a>(content: &'a Map<String, Value>, actual: &str) -> Option<&'a String> {
    content.keys().find(|k| essence(k) == actual).or_else(|| {
        content.keys().find(|k| {
            let k = essence(k);
            k == "*/*"
                || k.strip_suffix("/*")
                    .is_some_and(|t| actual.split('/').next() == Some(t))
        })
    })
}

fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut s: String = text.chars().take(700).collect();
    if text.chars().count() > 700 {
        s.push('…');
    }
    s
}

/// `{}` or `null`: what the tests' `post`/`put` helpers send to an operation that takes no
/// body (the app reads none), not a body of their own.
fn is_empty_json(body: &[u8]) -> bool {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Null) => true,
        Ok(Value::Object(m)) => m.is_empty(),
        _ => false,
    }
}

/// Exchanges on purpose outside the document: the Swagger UI and the document itself, the
/// CORS preflight (`OPTIONS` with `Access-Control-Request-Method`) and any 404/405 for a path
/// or method the API does not have (tests ask for those on purpose).
fn undocumented_on_purpose(sent: &Sent, status: u16) -> bool {
    if sent.path.starts_with("/swagger-ui") || sent.path == "/api-docs/openapi.json" {
        return true;
    }
    if sent.method == "OPTIONS" {
        return true;
    }
    matches!(status, 404 | 405)
}

fn strict() -> bool {
    !matches!(std::env::var("KAPI_CONTRACT").as_deref(), Ok("warn"))
}

fn append(dir: &str, line: &str) {
    let dir = target_dir().join(dir);
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    if let Ok(mut f) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join(format!("{}.txt", std::process::id())))
    {
        let _ = writeln!(f, "{line}");
    }
}

/// Records one (method, template, declared status) as validated, once per process.
fn covered(spec: &Spec, method: &str, template: &str, status: &str) {
    static SEEN: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    let line = format!("{}\t{method}\t{template}\t{status}", spec.file);
    if SEEN
        .get_or_init(Default::default)
        .lock()
        .unwrap()
        .insert(line.clone())
    {
        append("contract-coverage", &line);
    }
}

/// Checks one exchange; panics on a mismatch (or logs it under `KAPI_CONTRACT=warn`).
pub fn check(
    profile: Profile,
    sent: &Sent,
    answered: &Answered<'_>,
    caller: &std::panic::Location<'_>,
) {
    let spec = spec(profile);
    let problems = problems(spec, sent, answered);
    if problems.is_empty() {
        return;
    }
    let request = match &sent.query {
        Some(q) => format!("{} {}?{q}", sent.method, sent.path),
        None => format!("{} {}", sent.method, sent.path),
    };
    let message = format!(
        "contract mismatch with {} ({request} → {}, sent at {caller}):\n  - {}\n  request body: {}\n  answer body: {}\n(If you changed the API, run `make openapi`.)",
        spec.file,
        answered.status,
        problems.join("\n  - "),
        excerpt(&sent.body),
        excerpt(answered.body),
    );
    if strict() {
        panic!("{message}");
    }
    eprintln!("{message}");
    append(
        "contract-mismatches",
        &format!(
            "{request} → {}\t{}\t{}",
            answered.status,
            problems.join(" | "),
            excerpt(&sent.body).chars().take(200).collect::<String>()
        ),
    );
}

fn problems(spec: &Spec, sent: &Sent, answered: &Answered<'_>) -> Vec<String> {
    let status = answered.status;
    let (route, path_known) = spec.find(&sent.method, &sent.path);
    let Some(route) = route else {
        if undocumented_on_purpose(sent, status) {
            return Vec::new();
        }
        return vec![if path_known {
            format!("the document has no {} for this path", sent.method)
        } else {
            "the path matches no operation of the document".to_owned()
        }];
    };
    let op_ptr = format!(
        "/paths/{}/{}",
        token(&route.template),
        route.method.to_ascii_lowercase()
    );
    let op = spec.at(&op_ptr);
    let op_name = format!(
        "{} ({} {})",
        op["operationId"].as_str().unwrap_or("?"),
        route.method,
        route.template
    );
    let mut out = Vec::new();
    let mut problem = |p: String| out.push(format!("{op_name}: {p}"));

    // The answer.
    let code = status.to_string();
    let range = format!("{}XX", status / 100);
    let responses = op["responses"].as_object();
    let key = responses.and_then(|r| {
        [code.as_str(), range.as_str(), "default"]
            .into_iter()
            .find(|k| r.contains_key(*k))
    });
    let Some(key) = key else {
        // A body sent on purpose to an operation that takes none (the size limit holds for
        // every route): the refusal is outside the contract, as the request is.
        let undeclared_body =
            op.get("requestBody").is_none() && !sent.body.is_empty() && !is_empty_json(&sent.body);
        if undeclared_body && matches!(status, 413 | 415) {
            return out;
        }
        problem(format!("status {status} is not declared"));
        return out;
    };
    let resp_ptr = format!("{op_ptr}/responses/{key}");
    let response = spec.resolve(spec.at(&resp_ptr));
    let actual = answered
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .map(essence);
    let empty_content = Map::new();
    let content = response["content"].as_object().unwrap_or(&empty_content);
    match actual {
        _ if answered.body.is_empty() && sent.method == "HEAD" => {}
        None if answered.body.is_empty() => {
            if !content.is_empty() {
                problem(format!(
                    "{status} has no body, the document declares {:?}",
                    content.keys().collect::<Vec<_>>()
                ));
            }
        }
        None => problem(format!("{status} has a body but no Content-Type")),
        Some(actual) => match declared_media(content, &actual) {
            None if content.is_empty() && answered.body.is_empty() => {}
            None => problem(format!(
                "{status} answers `{actual}`, the document declares {:?}",
                content.keys().collect::<Vec<_>>()
            )),
            Some(media) => {
                let schema_ptr = format!("{resp_ptr}/content/{}/schema", token(media));
                if is_json(&actual) && spec.doc.pointer(&schema_ptr).is_some() {
                    match serde_json::from_slice::<Value>(answered.body) {
                        Err(e) => problem(format!("{status} `{actual}` body is not JSON: {e}")),
                        Ok(body) => {
                            for e in spec.validate(&schema_ptr, &body) {
                                problem(format!("{status} `{media}` body {e}"));
                            }
                        }
                    }
                }
            }
        },
    }

    // The request, when the app took it.
    if (200..300).contains(&status) {
        check_request(spec, sent, op, &op_ptr, &mut problem);
    }
    if out.is_empty() {
        covered(spec, &route.method, &route.template, key);
    }
    out
}

fn check_request(
    spec: &Spec,
    sent: &Sent,
    op: &Value,
    op_ptr: &str,
    problem: &mut dyn FnMut(String),
) {
    // Required query parameters.
    let query: Vec<(String, String)> = sent
        .query
        .as_deref()
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default();
    for p in op["parameters"].as_array().into_iter().flatten() {
        let p = spec.resolve(p);
        if p["in"] == "query" && p["required"] == true {
            let name = p["name"].as_str().unwrap_or("");
            if !query.iter().any(|(k, _)| k == name) {
                problem(format!(
                    "the required query parameter `{name}` was not sent"
                ));
            }
        }
    }

    let body_ptr = format!("{op_ptr}/requestBody");
    let request_body = spec.resolve(spec.at(&body_ptr));
    if sent.body.is_empty() || (request_body.is_null() && is_empty_json(&sent.body)) {
        if request_body["required"] == true {
            problem("the request body is required, none was sent".to_owned());
        }
        return;
    }
    let Some(content) = request_body["content"].as_object() else {
        problem("a body was sent, the document declares no request body".to_owned());
        return;
    };
    let actual = sent
        .content_type
        .as_deref()
        .map(essence)
        .unwrap_or_default();
    let Some(media) = declared_media(content, &actual) else {
        problem(format!(
            "the request is `{actual}`, the document declares {:?}",
            content.keys().collect::<Vec<_>>()
        ));
        return;
    };
    let schema_ptr = format!("{body_ptr}/content/{}/schema", token(media));
    let Some(schema) = spec.doc.pointer(&schema_ptr) else {
        return;
    };
    let instance = if is_json(&actual) {
        match serde_json::from_slice::<Value>(&sent.body) {
            Ok(v) => v,
            Err(e) => return problem(format!("the `{actual}` request body is not JSON: {e}")),
        }
    } else if actual == "multipart/form-data" {
        let boundary = sent
            .content_type
            .as_deref()
            .and_then(|ct| {
                ct.split(';')
                    .filter_map(|p| p.trim().strip_prefix("boundary="))
                    .next()
            })
            .unwrap_or("")
            .trim_matches('"');
        match multipart_instance(spec, schema, boundary, &sent.body) {
            Ok(v) => v,
            Err(e) => return problem(format!("the multipart request body: {e}")),
        }
    } else if actual == "application/x-www-form-urlencoded" {
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&sent.body).unwrap_or_default();
        form_instance(spec, schema, pairs)
    } else {
        // Text and files: the media type is all there is to check.
        return;
    };
    for e in spec.validate(&schema_ptr, &instance) {
        problem(format!("request body `{media}` {e}"));
    }
}

/// The declared `type`s of the property `name` of an object schema (after `$ref`s; `allOf`
/// members searched too).
fn property_types(spec: &Spec, schema: &Value, name: &str) -> Vec<String> {
    let schema = spec.resolve(schema);
    if let Some(p) = schema["properties"].get(name) {
        let p = spec.resolve(p);
        return match &p["type"] {
            Value::String(t) => vec![t.clone()],
            Value::Array(ts) => ts
                .iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
    }
    for member in schema["allOf"].as_array().into_iter().flatten() {
        let t = property_types(spec, member, name);
        if !t.is_empty() {
            return t;
        }
    }
    Vec::new()
}

/// A form as the object its schema describes: each value typed as the property declares
/// (form fields are text on the wire).
fn form_instance(spec: &Spec, schema: &Value, pairs: Vec<(String, String)>) -> Value {
    let mut out = Map::new();
    for (k, v) in pairs {
        let types = property_types(spec, schema, &k);
        let has = |t: &str| types.iter().any(|x| x == t);
        let value = if has("string") || types.is_empty() {
            Value::String(v)
        } else if has("integer") || has("number") {
            serde_json::from_str::<serde_json::Number>(&v)
                .map(Value::Number)
                .unwrap_or(Value::String(v))
        } else if has("boolean") {
            match v.as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                _ => Value::String(v),
            }
        } else {
            Value::String(v)
        };
        out.insert(k, value);
    }
    Value::Object(out)
}

/// A multipart/form-data body as the object its schema describes: a JSON part as its value, a
/// file part as a string (its bytes, as `format: binary` says), a part the schema declares an
/// array collected into one.
fn multipart_instance(
    spec: &Spec,
    schema: &Value,
    boundary: &str,
    body: &[u8],
) -> Result<Value, String> {
    if boundary.is_empty() {
        return Err("no boundary in the Content-Type".into());
    }
    let delimiter = format!("--{boundary}");
    let text = body;
    let mut parts: Vec<(String, Value)> = Vec::new();
    let positions: Vec<usize> = find_all(text, delimiter.as_bytes());
    for w in positions.windows(2) {
        let start = w[0] + delimiter.len();
        let part = &text[start..w[1]];
        let part = part.strip_prefix(b"\r\n").unwrap_or(part);
        let part = part.strip_suffix(b"\r\n").unwrap_or(part);
        let Some(split) = find_all(part, b"\r\n\r\n").first().copied() else {
            return Err("a part without headers".into());
        };
        let headers = String::from_utf8_lossy(&part[..split]).to_string();
        let content = &part[split + 4..];
        let mut name = None;
        let mut part_type = None;
        for line in headers.split("\r\n") {
            let (h, v) = line.split_once(':').unwrap_or((line, ""));
            if h.eq_ignore_ascii_case("content-disposition") {
                name = v
                    .split(';')
                    .filter_map(|p| p.trim().strip_prefix("name="))
                    .next()
                    .map(|n| n.trim_matches('"').to_owned());
            } else if h.eq_ignore_ascii_case("content-type") {
                part_type = Some(essence(v));
            }
        }
        let Some(name) = name else {
            return Err("a part without a name".into());
        };
        let value = match part_type.as_deref() {
            Some(t) if is_json(t) => serde_json::from_slice(content)
                .map_err(|e| format!("the part `{name}` is not JSON: {e}"))?,
            _ => Value::String(String::from_utf8_lossy(content).into_owned()),
        };
        parts.push((name, value));
    }
    let mut out = Map::new();
    for (name, value) in parts {
        let is_array = property_types(spec, schema, &name)
            .iter()
            .any(|t| t == "array");
        match out.get_mut(&name) {
            Some(Value::Array(a)) if is_array => a.push(value),
            Some(existing) => {
                // Repeated but not declared an array: keep them all, the schema will say.
                let prev = existing.take();
                *existing = Value::Array(vec![prev, value]);
            }
            None if is_array => {
                out.insert(name, Value::Array(vec![value]));
            }
            None => {
                out.insert(name, value);
            }
        }
    }
    Ok(Value::Object(out))
}

fn find_all(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    if needle.is_empty() || haystack.len() < needle.len() {
        return Vec::new();
    }
    (0..=haystack.len() - needle.len())
        .filter(|&i| &haystack[i..i + needle.len()] == needle)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[::core::prelude::v1::test]
    fn templates_match_the_most_specific() {
        let t = |s: &str| -> Vec<Segment> {
            s.trim_start_matches('/')
                .split('/')
                .map(parse_segment)
                .collect()
        };
        assert!(score(&t("/a/{id}"), "/a/1").is_some());
        assert!(score(&t("/a/{id}"), "/a/1/b").is_none());
        assert!(score(&t("/a/{id}"), "/a/").is_none());
        assert!(score(&t("/r/{id}.json"), "/r/12.json").is_some());
        assert!(score(&t("/r/{id}.json"), "/r/12.xml").is_none());
        assert!(score(&t("/a/search"), "/a/search") > score(&t("/a/{id}"), "/a/search"));
    }

    fn headers(ct: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            actix_web::http::header::CONTENT_TYPE,
            actix_web::http::header::HeaderValue::from_str(ct).unwrap(),
        );
        h
    }

    fn sent(method: &str, path: &str, ct: Option<&str>, body: &str) -> Sent {
        Sent {
            method: method.into(),
            path: path.into(),
            query: None,
            content_type: ct.map(str::to_owned),
            body: Bytes::from(body.to_owned()),
        }
    }

    /// The problems found with one exchange, against the committed prod document.
    fn check_one(sent: &Sent, status: u16, ct: &str, body: &str) -> Vec<String> {
        let h = headers(ct);
        problems(
            spec(Profile::Prod),
            sent,
            &Answered {
                status,
                headers: &h,
                body: body.as_bytes(),
            },
        )
    }

    #[::core::prelude::v1::test]
    fn answers_are_checked_against_the_document() {
        let get = sent("GET", "/api/v1/reference/provinces/34", None, "");
        let json = "application/json";
        let ok = r#"{"code": 34, "name": "İstanbul"}"#;
        assert_eq!(check_one(&get, 200, json, ok), Vec::<String>::new());
        // A required property missing, named with its location.
        let p = check_one(&get, 200, json, r#"{"code": 34}"#);
        assert!(
            p.len() == 1 && p[0].contains("\"name\" is a required property"),
            "{p:?}"
        );
        // A wrong type, with the JSON pointer of the value.
        let p = check_one(&get, 200, json, r#"{"code": "34", "name": "İstanbul"}"#);
        assert!(p.len() == 1 && p[0].contains("at `/code`"), "{p:?}");
        // A status the operation does not declare.
        let p = check_one(&get, 418, json, ok);
        assert!(
            p.len() == 1 && p[0].contains("status 418 is not declared"),
            "{p:?}"
        );
        // A content type the status does not declare.
        let p = check_one(&get, 200, "text/html", ok);
        assert!(
            p.len() == 1 && p[0].contains("answers `text/html`"),
            "{p:?}"
        );
        // Not JSON at all.
        let p = check_one(&get, 200, json, "<html>");
        assert!(p.len() == 1 && p[0].contains("is not JSON"), "{p:?}");
    }

    #[::core::prelude::v1::test]
    fn request_bodies_are_checked_only_when_the_app_took_them() {
        let login = "/api/v1/auth/staff/login";
        let json = "application/json";
        let bad = sent("POST", login, Some(json), r#"{"username": "admin"}"#);
        let problem = r#"{"type": "about:blank", "title": "Unprocessable", "status": 422, "code": "x", "detail": "d"}"#;
        // Refused: the test sent a bad body on purpose; only the answer is checked.
        let p = check_one(&bad, 422, "application/problem+json", problem);
        assert!(p.iter().all(|p| !p.contains("request body")), "{p:?}");
        // Taken: the body must be what the document describes.
        let token = r#"{"access_token": "t", "token_type": "Bearer", "expires_in": 1,
            "expires_at": "2026-01-01T00:00:00Z", "display_name": "A",
            "actor": {"kind": "system_admin", "label": "admin", "scope": {}}}"#;
        let p = check_one(&bad, 200, json, token);
        assert!(
            p.iter()
                .any(|p| p.contains("request body") && p.contains("password")),
            "{p:?}"
        );
        let good = sent(
            "POST",
            login,
            Some(json),
            r#"{"username": "admin", "password": "x"}"#,
        );
        assert_eq!(check_one(&good, 200, json, token), Vec::<String>::new());
        // A media type the operation does not take.
        let form = sent("POST", login, Some("text/plain"), "username=admin");
        let p = check_one(&form, 200, json, token);
        assert!(
            p.iter().any(|p| p.contains("the request is `text/plain`")),
            "{p:?}"
        );
    }

    #[::core::prelude::v1::test]
    fn unknown_paths_pass_only_as_404_or_405() {
        let unknown = sent("GET", "/api/v1/no-such-thing", None, "");
        let nf =
            r#"{"type": "about:blank", "title": "Not Found", "status": 404, "code": "not_found"}"#;
        assert!(check_one(&unknown, 404, "application/problem+json", nf).is_empty());
        let p = check_one(&unknown, 200, "application/json", "{}");
        assert!(
            p.len() == 1 && p[0].contains("matches no operation"),
            "{p:?}"
        );
        let wrong_method = sent("DELETE", "/api/v1/reference/provinces/34", None, "");
        assert!(check_one(&wrong_method, 405, "application/problem+json", nf).is_empty());
    }

    #[::core::prelude::v1::test]
    fn multipart_bodies_become_objects() {
        let schema = serde_json::json!({
            "type": "object",
            "properties": {"data": {"type": "object"}, "files": {"type": "array"}}
        });
        let body = b"--b\r\nContent-Disposition: form-data; name=\"data\"\r\nContent-Type: application/json\r\n\r\n{\"kind\":\"pdf\"}\r\n--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--b--\r\n";
        let v = multipart_instance(spec(Profile::Prod), &schema, "b", body).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"data": {"kind": "pdf"}, "files": ["%PDF-1.4"]})
        );
    }

    #[::core::prelude::v1::test]
    fn media_ranges() {
        let mut m = Map::new();
        m.insert("application/json".into(), Value::Null);
        m.insert("image/*".into(), Value::Null);
        assert!(declared_media(&m, "application/json").is_some());
        assert!(declared_media(&m, "image/png").is_some());
        assert!(declared_media(&m, "application/pdf").is_none());
        assert_eq!(
            essence("Application/JSON; charset=utf-8"),
            "application/json"
        );
    }
}
