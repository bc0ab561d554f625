//! Identity numbers in the path or the query (issue 19): a malformed TCKN/VKN is a 422 naming
//! the parameter with the kernel's code, never a 404 — on every route taking one.

use actix_web::http::Method;
use kapi_tests::work_permit_fixture::{household_employer, HOUSEHOLD_OWNER};
use kapi_tests::{both_backends, json};

/// An employer's authorised person (demo citizen).
const PERSON: &str = "12345678950";

/// Malformed TCKNs and the code each is refused with.
fn bad_tckns() -> Vec<(String, &'static str)> {
    let valid = kapi_core::with_tckn_checksum("123456789").unwrap();
    let last = valid.as_bytes()[10] - b'0';
    let wrong_check = format!("{}{}", &valid[..10], (last + 1) % 10);
    vec![
        ("123".into(), "tckn.format"),
        ("1234567895a".into(), "tckn.format"),
        ("02345678950".into(), "tckn.leading_zero"),
        (wrong_check, "tckn.checksum"),
    ]
}

both_backends! {
    async fn a_malformed_identity_number_in_a_path_or_query_is_a_422_naming_it(app) {
        let reg = app.register_employer(PERSON, "100000451", 451).await;
        let employer = reg["employer"]["id"].as_str().unwrap().to_owned();
        let employer_token = app.employer_token(PERSON, Some(&employer)).await;
        let db = app.state.db.clone();
        let now = app.state.clock.now();
        let wp_employer = actix_web::web::block(move || db.write(|c| household_employer(c, HOUSEHOLD_OWNER, now)))
            .await
            .unwrap()
            .unwrap()
            .to_string();
        let household = app.citizen_token(HOUSEHOLD_OWNER).await;
        let admin = app.staff_token("ankara.valilik").await;
        let mia = app.staff_token("ankara.mia").await;
        let iskur = app.staff_token("iskur.ankara").await;

        // (method, path with `{}` for the number, token, body, parameter name)
        let routes: Vec<(Method, String, &str, Option<serde_json::Value>, &str)> = vec![
            (Method::PATCH, format!("/api/v1/employers/{employer}/users/{{}}"), &employer_token, Some(json!({"locked": true})), "tckn"),
            (Method::DELETE, format!("/api/v1/work-permit-employers/{wp_employer}/users/{{}}"), &household, None, "tckn"),
            (Method::GET, "/api/v1/admin/petition-users?tckn={}".into(), &admin, None, "tckn"),
            (Method::GET, "/api/v1/petitions?tckn={}".into(), &mia, None, "tckn"),
            (Method::GET, "/api/v1/petitions/form?tckn={}".into(), &mia, None, "tckn"),
        ];
        for (method, path, token, body, field) in &routes {
            for (bad, code) in bad_tckns() {
                let r = app.send(method.clone(), &path.replace("{}", &bad), Some(token), body.clone()).await;
                r.problem(422, "validation.failed");
                assert_eq!((r.field(), r.body["errors"][0]["code"].as_str()), (*field, Some(code)), "{method} {path} {bad}: {}", r.text);
            }
        }
        // A well-formed number of nobody is still simply not found on the paths.
        let nobody = kapi_core::with_tckn_checksum("223456789").unwrap();
        app.send(Method::PATCH, &format!("/api/v1/employers/{employer}/users/{nobody}"), Some(&employer_token), Some(json!({"locked": true})))
            .await
            .problem(404, "workplace_user.not_found");
        app.send(Method::DELETE, &format!("/api/v1/work-permit-employers/{wp_employer}/users/{nobody}"), Some(&household), None)
            .await
            .problem(404, "work_permit.user_not_found");

        // The employer's tax number in the workplace search.
        let valid = kapi_tests::vkn("100000452");
        let wrong_check = format!("{}{}", &valid[..9], (valid.as_bytes()[9] - b'0' + 1) % 10);
        for (bad, code) in [("123", "vkn.format"), (wrong_check.as_str(), "vkn.checksum")] {
            let r = app.get(&format!("/api/v1/workplaces?vkn={bad}"), Some(&iskur)).await;
            r.problem(422, "validation.failed");
            assert_eq!((r.field(), r.body["errors"][0]["code"].as_str()), ("vkn", Some(code)), "{bad}: {}", r.text);
        }
    }
}
