//! The committed OpenAPI document is exactly what the code generates.

use kapi_api::config::Profile;

/// `openapi/openapi.json` is the published contract: what the prod profile serves.
/// `openapi/openapi.dev.json` is the dev profile's, with the dev helpers (`/api/v1/dev/*`).
#[test]
fn committed_specs_match_the_code() {
    for (profile, file) in [
        (Profile::Prod, "openapi.json"),
        (Profile::Dev, "openapi.dev.json"),
    ] {
        let generated = kapi_api::openapi_json(profile).unwrap();
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../openapi")
            .join(file);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed.trim_end() == generated.trim_end(),
            "openapi/{file} is out of date: run `make openapi` and commit the result"
        );
    }
}

#[test]
fn the_prod_spec_has_no_dev_operations() {
    let spec: serde_json::Value =
        serde_json::from_str(&kapi_api::openapi_json(Profile::Prod).unwrap()).unwrap();
    for (path, item) in spec["paths"].as_object().unwrap() {
        assert!(!path.starts_with("/api/v1/dev"), "{path} in the prod spec");
        for (method, op) in item.as_object().unwrap() {
            assert!(
                !op["tags"].as_array().unwrap().iter().any(|t| t == "dev"),
                "{method} {path} is tagged dev in the prod spec"
            );
        }
    }
    assert!(
        !spec["tags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["name"] == "dev"),
        "the prod spec declares the dev tag"
    );
    let dev: serde_json::Value =
        serde_json::from_str(&kapi_api::openapi_json(Profile::Dev).unwrap()).unwrap();
    assert!(dev["paths"]["/api/v1/dev/clock"].is_object());
}

#[test]
fn every_operation_is_documented() {
    let spec: serde_json::Value =
        serde_json::from_str(&kapi_api::openapi_json(Profile::Dev).unwrap()).unwrap();
    let mut ids = std::collections::HashSet::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"]
                .as_str()
                .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
            assert!(ids.insert(id.to_owned()), "duplicate operationId {id}");
            assert!(
                op["tags"].as_array().is_some_and(|t| t.len() == 1),
                "{id} needs exactly one tag"
            );
            let summary = op["summary"].as_str().unwrap_or_default();
            assert!(!summary.is_empty(), "{id} needs a summary");
            // One short line: prose goes in the description (the doc comment after a blank line).
            assert!(
                !summary.contains('\n') && summary.chars().count() <= 100,
                "{id}: the summary must be one line of at most 100 characters, not {summary:?}"
            );
            // Public operations say so (`security: []`) rather than leave it unsaid.
            let security = op["security"]
                .as_array()
                .unwrap_or_else(|| panic!("{id} has no `security` (use [] when public)"));
            let responses = op["responses"].as_object().unwrap();
            let secured = !security.is_empty();
            if secured {
                assert!(
                    responses.contains_key("401"),
                    "{id} is secured but does not document 401"
                );
            }
            if op.get("requestBody").is_some()
                && path.starts_with("/api/v1")
                && !path.starts_with("/api/v1/dev")
            {
                assert!(
                    responses.contains_key("422"),
                    "{id} takes a body but does not document 422"
                );
            }
        }
    }
    assert!(ids.len() >= 25, "{} operations", ids.len());
    assert!(spec["components"]["securitySchemes"]["bearer"].is_object());
}

/// OWASP API7 (SSRF): Kapı fetches no address a client gives it. Only webhook subscriptions
/// take a URL (checked there: https, no private or loopback hosts); any other request field
/// or parameter that looks like an address fails this test until it is reviewed.
#[test]
fn no_request_field_takes_a_url_outside_webhooks() {
    let spec: serde_json::Value =
        serde_json::from_str(&kapi_api::openapi_json(Profile::Dev).unwrap()).unwrap();
    let schemas = &spec["components"]["schemas"];
    // Whole words of the name (`media_url` → media, url), so `jurisdiction_id` is no `uri`.
    let looks_like_an_address = |name: &str| {
        let n = name.to_ascii_lowercase();
        n.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
            [
                "url", "uri", "href", "callback", "webhook", "endpoint", "host",
            ]
            .contains(&w)
                || w.ends_with("url")
                || w.ends_with("uri")
        })
    };
    fn walk(
        v: &serde_json::Value,
        schemas: &serde_json::Value,
        seen: &mut std::collections::HashSet<String>,
        found: &mut Vec<String>,
        is_address: &dyn Fn(&str) -> bool,
    ) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(r) = m.get("$ref").and_then(|r| r.as_str()) {
                    let name = r.rsplit('/').next().unwrap_or_default().to_owned();
                    if seen.insert(name.clone()) {
                        walk(&schemas[&name], schemas, seen, found, is_address);
                    }
                }
                if m.get("format").and_then(|f| f.as_str()) == Some("uri") {
                    found.push("a `format: uri` value".into());
                }
                if let Some(props) = m.get("properties").and_then(|p| p.as_object()) {
                    for (name, _) in props {
                        if is_address(name) {
                            found.push(format!("property `{name}`"));
                        }
                    }
                }
                for (_, child) in m {
                    walk(child, schemas, seen, found, is_address);
                }
            }
            serde_json::Value::Array(a) => {
                for child in a {
                    walk(child, schemas, seen, found, is_address);
                }
            }
            _ => {}
        }
    }
    let mut offending = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        if path.contains("webhook") {
            continue;
        }
        for (method, op) in item.as_object().unwrap() {
            let mut found = Vec::new();
            let mut seen = std::collections::HashSet::new();
            walk(
                &op["requestBody"],
                schemas,
                &mut seen,
                &mut found,
                &looks_like_an_address,
            );
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["name"].as_str().is_some_and(looks_like_an_address) {
                    found.push(format!("parameter `{}`", p["name"]));
                }
                walk(
                    &p["schema"],
                    schemas,
                    &mut seen,
                    &mut found,
                    &looks_like_an_address,
                );
            }
            for f in found {
                // Open311's `media_url` is taken only to be refused (400
                // `open311.media_not_supported`, tests/api/open311.rs): Kapı never fetches it.
                if path == "/open311/v2/requests.{format}" && f == "property `media_url`" {
                    continue;
                }
                offending.push(format!("{method} {path}: {f}"));
            }
        }
    }
    assert!(
        offending.is_empty(),
        "request inputs that look like addresses Kapı could be made to fetch: {offending:#?}"
    );
}

/// Every `ToSchema` type in api/src with the schema name utoipa gives it: the
/// `#[schema(as = path::Name)]` if any, else the type's own name. Parsed from the source, so a
/// type that is not (yet) registered anywhere is counted too.
fn schema_types_in_api_source() -> Vec<(String, String)> {
    fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../api/src");
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files.sort();
    let mut found = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let rel = file.strip_prefix(&root).unwrap().display().to_string();
        found.extend(schema_names_in(&rel, &text));
    }
    found
}

/// The `ToSchema` types declared in one Rust source text, as (schema name, `file`).
fn schema_names_in(file: &str, text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut expanded: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("#[derive(") {
        rest = &rest[at + "#[derive(".len()..];
        let close = rest.find(")]").unwrap();
        let derives = &rest[..close];
        let is_schema = derives
            .split(',')
            .any(|d| d.trim().rsplit("::").next() == Some("ToSchema"));
        if !is_schema {
            continue;
        }
        // The attributes and the item that follow the derive, up to the line that
        // declares the type (doc comments may say "struct" too).
        let item = &rest[close..];
        let mut attributes_len = 0;
        let mut name = None;
        for line in item.split_inclusive('\n') {
            let code = line.trim_start();
            let code = code
                .strip_prefix("pub(crate) ")
                .or_else(|| code.strip_prefix("pub(super) "))
                .or_else(|| code.strip_prefix("pub "))
                .unwrap_or(code);
            if let Some(rest) = code
                .strip_prefix("struct ")
                .or_else(|| code.strip_prefix("enum "))
            {
                name = Some(
                    rest.chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect::<String>(),
                );
                break;
            }
            attributes_len += line.len();
        }
        let name = name.unwrap_or_else(|| panic!("{file}: a ToSchema derive without a type"));
        if name.is_empty() {
            // A `macro_rules!` template (`pub enum $name`): the names are in its invocations.
            let before = &text[..text.len() - rest.len()];
            let Some(at) = before.rfind("macro_rules! ") else {
                panic!("{file}: a ToSchema type named by a macro outside macro_rules!");
            };
            let macro_name: String = before[at + "macro_rules! ".len()..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            // A macro with several templates (one per variant of the item) counts once.
            if !expanded.contains(&macro_name) {
                found.extend(macro_invocation_names(file, text, &macro_name));
                expanded.push(macro_name);
            }
            continue;
        }
        let attributes = &item[..attributes_len];
        let renamed = attributes.split("#[schema(").skip(1).find_map(|a| {
            let a = &a[..a.find(")]").unwrap_or(a.len())];
            let at = a.find("as =")?;
            let path: String = a[at + 4..]
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            path.rsplit("::").next().map(str::to_owned)
        });
        found.push((renamed.unwrap_or(name), file.to_owned()));
    }
    found
}

/// The type each `name!(… Type => …)` invocation in `text` declares (doc comments and
/// other words before the type skipped; the macro's own `@` rules are not invocations).
fn macro_invocation_names(file: &str, text: &str, name: &str) -> Vec<(String, String)> {
    let call = format!("{name}!(");
    let mut names = Vec::new();
    for (at, _) in text.match_indices(&call) {
        let args = &text[at + call.len()..];
        if args.trim_start().starts_with('@') {
            continue;
        }
        // The code before `=>`, doc comments left out (they may say `=>` too).
        let mut head = String::new();
        for line in args.lines() {
            let code = line.split("///").next().unwrap_or_default();
            if let Some(end) = code.find("=>") {
                head.push_str(&code[..end]);
                break;
            }
            head.push_str(code);
            head.push(' ');
        }
        let declared = head.split_whitespace().last().map(str::to_owned);
        // A declaration has one, e.g. `mirror_enum!(… SomeCode => Domain { … })`.
        if let Some(t) = declared.filter(|t| t.chars().all(|c| c.is_alphanumeric() || c == '_')) {
            names.push((t, file.to_owned()));
        }
    }
    names
}

/// The scan itself: it sees through doc comments, other attributes and `#[schema(as = ...)]`.
#[test]
fn the_schema_name_scan_reads_derives_and_renames() {
    let source = r#"
/// A view; this struct is documented.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub struct PetitionView {
    pub id: u32,
}
#[derive(Debug,
    ToSchema)]
#[schema(example = json!({"a": 1}), as = work_permits::WorkPermitPetition)]
pub(crate) struct PetitionView2 { }
#[derive(Deserialize)]
pub struct NotASchema;
#[derive(ToSchema)]
enum OutcomeCode { A }
macro_rules! mirror {
    ($(#[$m:meta])* $name:ident => $domain:ident { $($v:ident),+ }) => {
        #[derive(Serialize, ToSchema)]
        pub enum $name { $($v),+ }
        mirror!(@impl $name => $domain);
    };
    (upper $name:ident => $domain:ident { $($v:ident),+ }) => {
        #[derive(Serialize, ToSchema)]
        pub enum $name { $($v),+ }
    };
}
mirror!(/// Çalışma şekli: a => b.
    WorkTypeCode => WorkType { FullTime });
"#;
    let names: Vec<String> = schema_names_in("x.rs", source)
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(
        names,
        [
            "PetitionView",
            "WorkPermitPetition",
            "OutcomeCode",
            "WorkTypeCode"
        ]
    );
}

/// utoipa keeps one of two types that claim the same schema name and silently drops the
/// other, so the spec then documents the wrong struct (issue 20). No two `ToSchema` types
/// may share a name: give one `#[schema(as = ...)]` or, better, a name with its service.
#[test]
fn no_two_types_claim_one_schema_name() {
    let types = schema_types_in_api_source();
    assert!(
        types.len() > 200,
        "the scan found only {} types",
        types.len()
    );
    let mut by_name: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for (name, file) in &types {
        by_name.entry(name).or_default().push(file);
    }
    let collisions: Vec<String> = by_name
        .iter()
        .filter(|(_, files)| files.len() > 1)
        .map(|(name, files)| format!("{name}: {}", files.join(", ")))
        .collect();
    assert!(
        collisions.is_empty(),
        "schema names claimed by more than one type: {collisions:#?}"
    );
    // The scan misses nothing the spec holds: every emitted schema is a scanned type or a
    // generic one built from them (`Paged_X`).
    for profile in [Profile::Dev, Profile::Prod] {
        let spec: serde_json::Value =
            serde_json::from_str(&kapi_api::openapi_json(profile).unwrap()).unwrap();
        for name in spec["components"]["schemas"].as_object().unwrap().keys() {
            let known = match name.split_once('_') {
                Some((generic, argument)) => {
                    by_name.contains_key(generic) && by_name.contains_key(argument)
                }
                None => by_name.contains_key(name.as_str()),
            };
            assert!(
                known,
                "schema `{name}` is not a ToSchema type the scan found"
            );
        }
    }
}

/// Where `value` breaks `schema` (a subset of JSON Schema: `$ref`, `allOf`, `oneOf`,
/// `anyOf`, `type`, `enum`, `required`, `properties`, `additionalProperties`, `items`).
fn schema_errors(
    value: &serde_json::Value,
    schema: &serde_json::Value,
    spec: &serde_json::Value,
    at: &str,
) -> Vec<String> {
    use serde_json::Value;
    if let Some(r) = schema["$ref"].as_str() {
        let name = r.rsplit('/').next().unwrap_or_default();
        return schema_errors(value, &spec["components"]["schemas"][name], spec, at);
    }
    let mut errors = Vec::new();
    for part in schema["allOf"].as_array().into_iter().flatten() {
        errors.extend(schema_errors(value, part, spec, at));
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema[key].as_array() {
            if !options
                .iter()
                .any(|o| schema_errors(value, o, spec, at).is_empty())
            {
                errors.push(format!("{at}: matches none of {key}"));
            }
        }
    }
    if let Some(allowed) = schema["enum"].as_array() {
        if !allowed.contains(value) {
            errors.push(format!("{at}: {value} is not one of {allowed:?}"));
        }
    }
    let type_of = |v: &Value| match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let types: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(|t| t.as_str()).collect(),
        _ => vec![],
    };
    let actual = type_of(value);
    let fits = types.is_empty()
        || types.contains(&actual)
        || (actual == "integer" && types.contains(&"number"));
    if !fits {
        errors.push(format!("{at}: a {actual}, the schema says {types:?}"));
        return errors;
    }
    if let Value::Object(fields) = value {
        for name in schema["required"].as_array().into_iter().flatten() {
            let name = name.as_str().unwrap_or_default();
            if !fields.contains_key(name) {
                errors.push(format!("{at}: `{name}` is required"));
            }
        }
        let properties = schema["properties"].as_object();
        for (name, v) in fields {
            match properties.and_then(|p| p.get(name)) {
                Some(s) => errors.extend(schema_errors(v, s, spec, &format!("{at}.{name}"))),
                None => match &schema["additionalProperties"] {
                    Value::Bool(false) => errors.push(format!("{at}: `{name}` is not allowed")),
                    s @ Value::Object(_) => {
                        errors.extend(schema_errors(v, s, spec, &format!("{at}.{name}")))
                    }
                    _ => {}
                },
            }
        }
    }
    if let (Value::Array(items), Some(_)) = (value, schema.get("items")) {
        for (i, v) in items.iter().enumerate() {
            errors.extend(schema_errors(
                v,
                &schema["items"],
                spec,
                &format!("{at}[{i}]"),
            ));
        }
    }
    errors
}

/// Every example the spec shows validates against the schema it illustrates: the schemas'
/// and their properties' examples, and the request and response examples of every operation.
#[test]
fn every_example_matches_its_schema() {
    fn examples_in(
        schema: &serde_json::Value,
        at: String,
        out: &mut Vec<(String, serde_json::Value, serde_json::Value)>,
    ) {
        if let Some(e) = schema.get("example") {
            out.push((at.clone(), e.clone(), schema.clone()));
        }
        for (name, p) in schema["properties"].as_object().into_iter().flatten() {
            examples_in(p, format!("{at}.{name}"), out);
        }
        if schema.get("items").is_some() {
            examples_in(&schema["items"], format!("{at}[]"), out);
        }
    }
    for profile in [Profile::Dev, Profile::Prod] {
        let spec: serde_json::Value =
            serde_json::from_str(&kapi_api::openapi_json(profile).unwrap()).unwrap();
        let mut examples = Vec::new();
        for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
            examples_in(schema, name.clone(), &mut examples);
        }
        for (path, item) in spec["paths"].as_object().unwrap() {
            for (method, op) in item.as_object().unwrap() {
                let mut bodies: Vec<(String, &serde_json::Value)> = vec![];
                for (ct, media) in op["requestBody"]["content"]
                    .as_object()
                    .into_iter()
                    .flatten()
                {
                    bodies.push((format!("{method} {path} request {ct}"), media));
                }
                for (status, r) in op["responses"].as_object().unwrap() {
                    for (ct, media) in r["content"].as_object().into_iter().flatten() {
                        bodies.push((format!("{method} {path} {status} {ct}"), media));
                    }
                }
                for (at, media) in bodies {
                    if let Some(e) = media.get("example") {
                        examples.push((at.clone(), e.clone(), media["schema"].clone()));
                    }
                    for (name, e) in media["examples"].as_object().into_iter().flatten() {
                        if let Some(v) = e.get("value") {
                            examples.push((
                                format!("{at} ({name})"),
                                v.clone(),
                                media["schema"].clone(),
                            ));
                        }
                    }
                    examples_in(&media["schema"], at, &mut examples);
                }
            }
        }
        assert!(
            examples.len() > 50,
            "only {} examples found",
            examples.len()
        );
        let errors: Vec<String> = examples
            .iter()
            .flat_map(|(at, e, s)| schema_errors(e, s, &spec, at))
            .collect();
        assert!(
            errors.is_empty(),
            "examples that break their schema: {errors:#?}"
        );
    }
}

/// Files travel as files: every `multipart/form-data` body is exactly the parts the server
/// reads (`petitions::WithFiles`: a JSON `data` part, binary `files` parts) with an
/// encoding saying `data` is JSON, and every answer that is not JSON or text is a binary
/// string (not an array of integers).
#[test]
fn file_bodies_are_described_as_files() {
    let spec: serde_json::Value =
        serde_json::from_str(&kapi_api::openapi_json(Profile::Dev).unwrap()).unwrap();
    let resolve = |s: &serde_json::Value| -> serde_json::Value {
        match s["$ref"].as_str() {
            Some(r) => spec["components"]["schemas"][r.rsplit('/').next().unwrap()].clone(),
            None => s.clone(),
        }
    };
    let is_binary = |s: &serde_json::Value| {
        let s = resolve(s);
        s["type"] == "string" && s["format"] == "binary"
    };
    let mut multipart = 0;
    let mut binary = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = format!("{method} {path}");
            if let Some(media) = op["requestBody"]["content"].get("multipart/form-data") {
                multipart += 1;
                let form = resolve(&media["schema"]);
                let parts: Vec<&String> = form["properties"].as_object().unwrap().keys().collect();
                assert_eq!(parts, ["data", "files"], "{id}: the multipart parts");
                assert!(
                    form["required"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|r| r == "data"),
                    "{id}: `data` is required"
                );
                assert_eq!(form["properties"]["files"]["type"], "array", "{id}");
                assert!(
                    is_binary(&form["properties"]["files"]["items"]),
                    "{id}: files"
                );
                assert_eq!(
                    media["encoding"]["data"]["contentType"], "application/json",
                    "{id}: the `data` part's encoding"
                );
            }
            for (status, response) in op["responses"].as_object().unwrap() {
                for (ct, media) in response["content"].as_object().into_iter().flatten() {
                    if ct.contains("json") || ct.starts_with("text/") {
                        continue;
                    }
                    binary += 1;
                    assert!(
                        is_binary(&media["schema"]),
                        "{id} {status} {ct}: not `type: string, format: binary`"
                    );
                }
            }
        }
    }
    assert!(multipart >= 9, "{multipart} multipart bodies");
    assert!(binary >= 9, "{binary} binary answers");
}
