//! The committed OpenAPI document is exactly what the code generates.

use kapi_api::config::Profile;

#[test]
fn committed_spec_matches_the_code() {
    let generated = kapi_api::openapi_json(Profile::Dev).unwrap();
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi/openapi.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed.trim_end() == generated.trim_end(),
        "openapi/openapi.json is out of date: run `make openapi` and commit the result"
    );
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
            assert!(
                op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                "{id} needs a summary"
            );
            let responses = op["responses"].as_object().unwrap();
            let secured = op.get("security").is_some();
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
