//! No existence oracle (issue 19): for a caller who may not see a record — another tenant,
//! or a caller of another kind — an existing id of someone else and a random id get the same
//! answer (status and code). Workforce charts answered 403 for an existing chart and 404 for
//! a random id; the other id-addressed resources are checked the same way here (the same
//! pattern was found on `PUT /labour-demands/{id}` and `PATCH /workplaces/{id}` for İŞKUR
//! staff: 403 for an existing record, 404 for a random id).

use actix_web::http::Method;
use kapi_tests::work_permit_fixture::submitted_work_permit;
use kapi_tests::{both_backends, json};
use serde_json::Value;

/// The employer owning the records (its authorised person, a demo citizen).
const OWNER: &str = "12345678950";
/// Another employer's authorised person.
const OTHER: &str = "34567890170";
/// A citizen with no employer.
const CITIZEN: &str = "23456789060";

fn chart(month: &str) -> Value {
    json!({
        "month": month,
        "opening": [{"category": "general", "gender": "female", "contract": "fixed_term", "count": 5}],
        "occupations": [{"occupation_code": "9112.01", "count": 5}],
    })
}

fn demand(workplace: &str) -> Value {
    json!({
        "workplace_id": workplace,
        "occupation_code": "8344.01",
        "worker_count": 1,
        "last_application_date": "2026-03-31",
        "requirements": {"min_education": "high_school"},
        "details": {
            "position": "Forklift Operatörü",
            "field": "Lojistik ve Depolama",
            "description": "Depoda vardiyalı çalışacak operatör",
            "work_type": "full_time", "shift": "shifts", "weekly_hours": 45,
            "benefits": ["meal"], "wage_kurus": 3500000,
            "interview_address": "Genel Müdürlük, Çankaya"
        }
    })
}

both_backends! {
    async fn an_existing_id_of_someone_else_and_a_random_id_get_the_same_answer(app) {
        app.set_clock("2026-03-10T09:00:00+03:00").await;
        let reg = app.register_employer(OWNER, "123456789", 1).await;
        let employer = reg["employer"]["id"].as_str().unwrap().to_owned();
        let workplace = reg["head_office"]["id"].as_str().unwrap().to_owned();
        let owner = app.employer_token(OWNER, None).await;
        let c = app.post(&format!("/api/v1/workplaces/{workplace}/workforce-charts"), Some(&owner), chart("2026-02")).await;
        c.expect(201);
        let chart_id = c.body["id"].as_str().unwrap().to_owned();
        let d = app.post("/api/v1/labour-demands", Some(&owner), demand(&workplace)).await;
        d.expect(201);
        let demand_id = d.body["id"].as_str().unwrap().to_owned();
        let layoff = json!({"layoff_date": "2026-04-15", "reason": "Siparişlerin azalması", "details": [{"workplace_id": workplace, "men": 8, "women": 4}]});
        let l = app.post("/api/v1/mass-layoffs", Some(&owner), layoff.clone()).await;
        l.expect(201);
        let layoff_id = l.body["notice"]["id"].as_str().unwrap().to_owned();
        let survey = json!({"year": 2026, "answers": {
            "previous_year_average_workforce": 60, "previous_year_hires": 12, "previous_year_leavers": 5,
            "expected_workforce_next_year": 70,
            "expected_hires": [{"occupation_code": "2512.04", "count": 8}],
            "hard_to_fill": [], "training_needs": []
        }});
        let sv = app.post(&format!("/api/v1/workplaces/{workplace}/annual-surveys"), Some(&owner), survey.clone()).await;
        sv.expect(201);
        let survey_id = sv.body["id"].as_str().unwrap().to_owned();
        let db = app.state.db.clone();
        let now = app.state.clock.now();
        let permit = actix_web::web::block(move || submitted_work_permit(&db, &kapi_core::with_tckn_checksum("991000461").unwrap(), now))
            .await
            .unwrap()
            .unwrap();

        let kurum = app.staff_token("kurum.ik").await;
        let p = app.post("/api/v1/postings", Some(&kurum), crate::postings::body()).await;
        p.expect(201);
        let posting = p.body["id"].as_str().unwrap().to_owned();

        app.register_employer(OTHER, "987654321", 2).await;
        let callers = [
            ("another employer", app.employer_token(OTHER, None).await),
            ("a citizen", app.citizen_token(CITIZEN).await),
            ("İŞKUR staff", app.staff_token("iskur.ankara").await),
            ("an institution", app.staff_token("kurum2.ik").await),
            ("the ministry", app.staff_token("bakanlik.degerlendirici").await),
            ("a governorship admin", app.staff_token("ankara.valilik").await),
        ];
        let random = uuid::Uuid::now_v7().to_string();
        // (method, path with `{}` for the id, existing id, body)
        let routes: Vec<(Method, &str, String, Option<Value>)> = vec![
            (Method::GET, "/api/v1/workforce-charts/{}", chart_id.clone(), None),
            (Method::PUT, "/api/v1/workforce-charts/{}", chart_id.clone(), Some(chart("2026-02"))),
            (Method::GET, "/api/v1/workforce-charts/{}/history", chart_id.clone(), None),
            (Method::GET, "/api/v1/workplaces/{}", workplace.clone(), None),
            (Method::GET, "/api/v1/workplaces/{}/workforce-charts", workplace.clone(), None),
            (Method::GET, "/api/v1/workplaces/{}/workforce-charts/new", workplace.clone(), None),
            (Method::POST, "/api/v1/workplaces/{}/workforce-charts", workplace.clone(), Some(chart("2026-03"))),
            (Method::GET, "/api/v1/workplaces/{}/quota-status", workplace.clone(), None),
            (Method::GET, "/api/v1/employers/{}", employer.clone(), None),
            (Method::GET, "/api/v1/employers/{}/users", employer.clone(), None),
            (Method::GET, "/api/v1/labour-demands/{}", demand_id.clone(), None),
            (Method::PUT, "/api/v1/labour-demands/{}", demand_id.clone(), Some(demand(&workplace))),
            (Method::GET, "/api/v1/work-permits/{}", permit.application_id.clone(), None),
            (Method::GET, "/api/v1/work-permit-employers/{}", permit.employer_id.clone(), None),
            (Method::GET, "/api/v1/work-permit-employers/{}/users", permit.employer_id.clone(), None),
            (Method::PATCH, "/api/v1/workplaces/{}", workplace.clone(), Some(json!({"title": "Yeni Unvan"}))),
            (Method::GET, "/api/v1/labour-demands/{}/candidates", demand_id.clone(), None),
            (Method::GET, "/api/v1/labour-demands/{}/history", demand_id.clone(), None),
            (Method::GET, "/api/v1/labour-demands/{}/matches", demand_id.clone(), None),
            (Method::POST, "/api/v1/labour-demands/{}/close", demand_id.clone(), Some(json!({"reason": "filled"}))),
            (Method::POST, "/api/v1/labour-demands/{}/cancel", demand_id.clone(), Some(json!({}))),
            (Method::GET, "/api/v1/work-permits/{}/history", permit.application_id.clone(), None),
            (Method::GET, "/api/v1/work-permits/{}/card", permit.application_id.clone(), None),
            (Method::GET, "/api/v1/work-permits/{}/petition", permit.application_id.clone(), None),
            (Method::POST, "/api/v1/work-permits/{}/submit", permit.application_id.clone(), Some(json!({}))),
            (Method::POST, "/api/v1/work-permits/{}/start-evaluation", permit.application_id.clone(), Some(json!({}))),
            (Method::POST, "/api/v1/work-permits/{}/lost-card", permit.application_id.clone(), Some(json!({}))),
            (Method::POST, "/api/v1/work-permits/{}/card/print", permit.application_id.clone(), Some(json!({}))),
            (Method::PUT, "/api/v1/work-permits/{}/assignee", permit.application_id.clone(), Some(json!({"assignee_tckn": null}))),
            (Method::GET, "/api/v1/postings/{}", posting.clone(), None),
            (Method::PUT, "/api/v1/postings/{}", posting.clone(), Some(crate::postings::body())),
            (Method::POST, "/api/v1/postings/{}/publish", posting.clone(), Some(json!({}))),
            (Method::POST, "/api/v1/postings/{}/cancel", posting.clone(), Some(json!({"reason": "Kadro iptal edildi."}))),
            (Method::GET, "/api/v1/postings/{}/history", posting.clone(), None),
            (Method::GET, "/api/v1/postings/{}/applications", posting.clone(), None),
            (Method::GET, "/api/v1/postings/{}/placement", posting.clone(), None),
            (Method::GET, "/api/v1/mass-layoffs/{}", layoff_id.clone(), None),
            (Method::PUT, "/api/v1/mass-layoffs/{}", layoff_id.clone(), Some(layoff.clone())),
            (Method::GET, "/api/v1/mass-layoffs/{}/history", layoff_id.clone(), None),
            (Method::GET, "/api/v1/annual-surveys/{}", survey_id.clone(), None),
            (Method::PUT, "/api/v1/annual-surveys/{}", survey_id.clone(), Some(survey["answers"].clone())),
        ];
        // Callers who may see (or act on) the record are not probed.
        let may_see = |who: &str, method: &Method, path: &str| {
            (who == "the ministry" && path.starts_with("/api/v1/work-permits/"))
                || (who == "İŞKUR staff"
                    && method == Method::GET
                    && (path == "/api/v1/employers/{}"
                        || ["/api/v1/workforce-charts/", "/api/v1/workplaces/", "/api/v1/labour-demands/", "/api/v1/mass-layoffs/", "/api/v1/annual-surveys/"]
                            .iter()
                            .any(|p| path.starts_with(p))))
        };
        let mut checked = 0;
        for (who, token) in &callers {
            for (method, path, existing, body) in &routes {
                if may_see(who, method, path) {
                    continue;
                }
                let seen = app.send(method.clone(), &path.replace("{}", existing), Some(token), body.clone()).await;
                let none = app.send(method.clone(), &path.replace("{}", &random), Some(token), body.clone()).await;
                assert!(seen.status >= 400, "{who} {method} {path}: {}", seen.text);
                assert_eq!((seen.status, seen.code()), (none.status, none.code()), "{who} {method} {path}: existing {} / random {}", seen.text, none.text);
                checked += 1;
            }
        }
        assert!(checked > 150, "{checked}");
        // Another tenant of the same kind: plainly not found.
        let other = &callers[0].1;
        let r = app.get(&format!("/api/v1/workforce-charts/{chart_id}"), Some(other)).await;
        r.problem(404, "chart.not_found");
        app.send(Method::DELETE, "/api/v1/dev/clock", None, None).await.expect(200);
    }
}
