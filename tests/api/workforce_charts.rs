//! Workforce charts and quota status end to end: a year of monthly charts for an employer
//! with two workplaces in Ankara and one in İstanbul gives the right quota status each
//! month; the refusals (sequence, old charts, inconsistent sections, negative month-end,
//! another employer's charts) on both databases.

use actix_web::http::Method;
use actix_web::test::TestRequest;
use kapi_core::with_tckn_checksum;
use kapi_tests::{both_backends, json};
use serde_json::Value;

const AYSE: &str = "12345678950";
const MEHMET: &str = "34567890170";

fn person(kind: &str, n: u32, date: &str) -> Value {
    json!({
        "kind": kind,
        "tckn": with_tckn_checksum(&format!("2{n:08}")).unwrap(),
        "full_name": format!("Çalışan {n}"),
        "date": date,
        "occupation_code": "2512.04",
    })
}

/// A's chart for month `m` (1–12 of 2026): two general hires a month; January opens with
/// 34 general + 1 disabled workers of whom 10 work underground.
fn chart_a(m: u32) -> Value {
    let total = 35 + 2 * m;
    let mut body = json!({
        "month": format!("2026-{m:02}"),
        "development": [{"category": "general", "gender": "male", "contract": "indefinite", "hires": 2, "leavers": 0}],
        "details": [person("hire", m * 10 + 1, &format!("2026-{m:02}-03")), person("hire", m * 10 + 2, &format!("2026-{m:02}-20"))],
        "occupations": [{"occupation_code": "2512.04", "count": total - 1}, {"occupation_code": "4110.01", "count": 1}],
        "intentions": {"joint_course_wish": true, "expected_change_next_month": 2},
        "hard_to_fill": [{"occupation_code": "7411.01", "count": 3}],
    });
    if m == 1 {
        body["opening"] = json!([
            {"category": "general", "gender": "male", "contract": "indefinite", "count": 34},
            {"category": "disabled", "gender": "female", "contract": "indefinite", "count": 1}
        ]);
        body["underground"] = json!([{"gender": "male", "opening": 10, "hires": 0, "leavers": 0}]);
    }
    body
}

fn opening_only(month: &str, general: u32) -> Value {
    json!({
        "month": month,
        "opening": [{"category": "general", "gender": "female", "contract": "fixed_term", "count": general}],
        "occupations": [{"occupation_code": "9112.01", "count": general}],
    })
}

both_backends! {
    async fn a_year_of_charts_gives_the_quota_status(app) {
        app.send(Method::PUT, "/api/v1/dev/clock", None, Some(json!({"at": "2026-12-20T09:00:00Z"}))).await.expect(200);
        let m = app.register_employer(AYSE, "123456789", 1).await;
        let a = m["head_office"]["id"].as_str().unwrap().to_owned();
        let token = app.employer_token(AYSE, None).await;
        let b = app.add_workplace(&token, 6, 6017, 2).await["id"].as_str().unwrap().to_owned();
        let c = app.add_workplace(&token, 34, 34023, 3).await["id"].as_str().unwrap().to_owned();

        let first = app.get(&format!("/api/v1/workplaces/{a}/workforce-charts/new"), Some(&token)).await;
        first.expect(200);
        assert_eq!(first.body["month"], Value::Null);

        app.post(&format!("/api/v1/workplaces/{b}/workforce-charts"), Some(&token), opening_only("2026-01", 8)).await.expect(201);
        app.post(&format!("/api/v1/workplaces/{c}/workforce-charts"), Some(&token), opening_only("2026-01", 60)).await.expect(201);
        for month in 1..=12u32 {
            if month > 1 {
                let t = app.get(&format!("/api/v1/workplaces/{a}/workforce-charts/new"), Some(&token)).await;
                assert_eq!(t.body["month"], format!("2026-{month:02}"));
                assert_eq!(t.body["occupations"][0]["count"], 35 + 2 * (month - 1) - 1, "pre-filled from last month");
            }
            let r = app.post(&format!("/api/v1/workplaces/{a}/workforce-charts"), Some(&token), chart_a(month)).await;
            r.expect(201);
            assert_eq!(r.body["totals"]["month_end"], 35 + 2 * month);
            assert_eq!(r.body["totals"]["previous"], 35 + 2 * (month - 1));
            assert_eq!(r.body["totals"]["underground"], 10);
        }
        let list = app.get(&format!("/api/v1/workplaces/{a}/workforce-charts"), Some(&token)).await;
        assert_eq!((list.body["total"].as_u64(), list.body["items"].as_array().unwrap().len()), (Some(12), 12));
        let page2 = app.get(&format!("/api/v1/workplaces/{a}/workforce-charts?page=2&per_page=5"), Some(&token)).await;
        assert_eq!(page2.body["items"].as_array().unwrap().len(), 5);
        assert_eq!(page2.body["items"][0]["month"], "2026-07");
        assert_eq!(page2.body["items"][0]["is_latest"], false);
        assert_eq!(list.body["items"][0]["month"], "2026-12");
        assert_eq!(list.body["items"][0]["is_latest"], true);
        assert_eq!(list.body["items"][1]["is_latest"], false);

        // Ankara = A (35 + 2m) + B (8, carried from January); İstanbul = C alone.
        // Disabled base leaves A's 10 underground workers out; 3 % rounds half up.
        let expect = |month: u32| {
            let total = 43 + 2 * month;
            let base = total - 10;
            let required = if total >= 50 { (base * 3 + 50) / 100 } else { 0 };
            (total, base, required)
        };
        for month in 1..=12u32 {
            let r = app.get(&format!("/api/v1/workplaces/{b}/quota-status?month=2026-{month:02}"), Some(&token)).await;
            r.expect(200);
            let (total, base, required) = expect(month);
            assert_eq!(r.body["total_workers"], total, "month {month}");
            assert_eq!(r.body["obliged"], total >= 50, "month {month}");
            assert_eq!(r.body["underground_workers"], 10);
            let disabled = &r.body["lines"][0];
            assert_eq!(disabled["category"], "disabled");
            assert_eq!(disabled["rate_basis_points"], 300);
            assert_eq!(disabled["base"], base, "month {month}");
            assert_eq!(disabled["required"], required, "month {month}");
            assert_eq!(disabled["employed"], 1);
            assert_eq!(disabled["balance"], 1 - required as i64);
        }
        // The boundaries this year crosses: 49 → 51 workers (March → April), base 49 → 51
        // (August 1.47 → 1, September 1.53 → 2).
        assert_eq!(expect(3), (49, 39, 0));
        assert_eq!(expect(4).2, 1);
        assert_eq!(expect(8), (59, 49, 1));
        assert_eq!(expect(9), (61, 51, 2));
        let sep = app.get(&format!("/api/v1/workplaces/{a}/quota-status?month=2026-09"), Some(&token)).await;
        assert_eq!(sep.body["lines"][0]["status"], "shortfall");
        let apr = app.get(&format!("/api/v1/workplaces/{a}/quota-status?month=2026-04"), Some(&token)).await;
        assert_eq!(apr.body["lines"][0]["status"], "met");

        let ist = app.get(&format!("/api/v1/workplaces/{c}/quota-status?month=2026-07"), Some(&token)).await;
        assert_eq!(ist.body["province"], 34);
        assert_eq!(ist.body["total_workers"], 60);
        assert_eq!(ist.body["lines"][0]["required"], 2);
        assert_eq!(ist.body["lines"][0]["balance"], -2);
        // Private employer: no ex-convict line; the terror-victim rule is a 0 % parameter.
        let categories: Vec<&str> = ist.body["lines"].as_array().unwrap().iter().map(|l| l["category"].as_str().unwrap()).collect();
        assert_eq!(categories, ["disabled", "terror_victim"]);
        // Default month: the current one (December).
        let now = app.get(&format!("/api/v1/workplaces/{a}/quota-status"), Some(&token)).await;
        assert_eq!(now.body["month"], "2026-12");
        app.get(&format!("/api/v1/workplaces/{a}/quota-status?month=2026-13"), Some(&token)).await.problem(422, "validation.failed");

        // İŞKUR staff read charts and statuses; the mass-layoff advice now knows the size.
        let staff = app.staff_token("iskur.ankara").await;
        app.get(&format!("/api/v1/workplaces/{a}/workforce-charts"), Some(&staff)).await.expect(200);
        app.get(&format!("/api/v1/workplaces/{a}/quota-status?month=2026-06"), Some(&staff)).await.expect(200);
        let layoff = app.post("/api/v1/mass-layoffs", Some(&token), json!({"layoff_date": "2027-02-28", "reason": "Daralma", "details": [{"workplace_id": a, "men": 9, "women": 0}]})).await;
        layoff.expect(201);
        assert_eq!(layoff.body["warnings"][0]["code"], "below_art29_threshold");
        assert_eq!(layoff.body["warnings"][0]["workforce"], 59);
        assert_eq!(layoff.body["warnings"][0]["threshold"], 10);
    }

    async fn chart_refusals(app) {
        app.send(Method::PUT, "/api/v1/dev/clock", None, Some(json!({"at": "2026-03-10T09:00:00Z"}))).await.expect(200);
        let m = app.register_employer(AYSE, "123456789", 1).await;
        let a = m["head_office"]["id"].as_str().unwrap().to_owned();
        let token = app.employer_token(AYSE, None).await;
        let url = format!("/api/v1/workplaces/{a}/workforce-charts");

        // A future month, a missing month, a bad month.
        app.post(&url, Some(&token), chart_a(4)).await.problem(422, "validation.failed");
        let mut no_month = chart_a(1);
        no_month.as_object_mut().unwrap().remove("month");
        let r = app.post(&url, Some(&token), no_month).await;
        assert_eq!(r.body["errors"][0]["code"], "month.required");

        // Inconsistent sections: every field named, nothing stored.
        let mut bad = chart_a(1);
        bad["details"] = json!([person("hire", 1, "2026-01-03"), person("hire", 2, "2026-02-01")]);
        bad["occupations"] = json!([{"occupation_code": "2512.04", "count": 1}]);
        let r = app.post(&url, Some(&token), bad).await;
        r.problem(422, "validation.failed");
        let fields: Vec<(&str, &str)> = r.body["errors"].as_array().unwrap().iter().map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap())).collect();
        assert!(fields.contains(&("details[1].date", "chart.date_outside_month")), "{fields:?}");
        assert!(fields.contains(&("occupations", "chart.occupation_total_mismatch")), "{fields:?}");
        let mut mismatch = chart_a(1);
        mismatch["details"] = json!([person("hire", 1, "2026-01-03")]);
        let r = app.post(&url, Some(&token), mismatch).await;
        assert_eq!(r.body["errors"][0]["field"], "details.hires");
        assert_eq!(r.body["errors"][0]["code"], "chart.details_mismatch");
        let mut unknown = chart_a(1);
        unknown["hard_to_fill"] = json!([{"occupation_code": "0000.01", "count": 1}]);
        let r = app.post(&url, Some(&token), unknown).await;
        assert_eq!(r.body["errors"][0]["field"], "hard_to_fill[0].occupation_code");
        assert_eq!(r.body["errors"][0]["code"], "chart.unknown_occupation");
        let mut negative = opening_only("2026-01", 2);
        negative["development"] = json!([{"category": "general", "gender": "female", "contract": "fixed_term", "hires": 0, "leavers": 3}]);
        negative["details"] = json!([person("leave", 1, "2026-01-10"), person("leave", 2, "2026-01-11"), person("leave", 3, "2026-01-12")]);
        negative["occupations"] = json!([]);
        let r = app.post(&url, Some(&token), negative).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.body["errors"][0]["field"], "development[general.female.fixed_term].leavers");
        assert_eq!(r.body["errors"][0]["code"], "chart.negative_month_end");
        let list = app.get(&url, Some(&token)).await;
        assert_eq!(list.body["total"], 0, "nothing half-written");

        let jan = app.post(&url, Some(&token), chart_a(1)).await;
        jan.expect(201);
        let jan_id = jan.body["id"].as_str().unwrap().to_owned();
        // Out of sequence; opening counts on a later chart.
        app.post(&url, Some(&token), chart_a(3)).await.problem(409, "chart.out_of_sequence");
        let mut feb = chart_a(2);
        feb["opening"] = json!([{"category": "general", "gender": "male", "contract": "indefinite", "count": 99}]);
        let r = app.post(&url, Some(&token), feb).await;
        assert_eq!(r.body["errors"][0]["code"], "chart.previous_read_only");
        let feb = app.post(&url, Some(&token), chart_a(2)).await;
        feb.expect(201);
        let feb_id = feb.body["id"].as_str().unwrap().to_owned();

        // January is read-only now; February changes with If-Match.
        let put = |id: &str, body: Value, etag: Option<&str>| {
            let mut req = TestRequest::put().uri(&format!("/api/v1/workforce-charts/{id}"))
                .insert_header(("Authorization", format!("Bearer {token}"))).set_json(body);
            if let Some(e) = etag {
                req = req.insert_header(("If-Match", e.to_owned()));
            }
            req
        };
        app.call(put(&jan_id, chart_a(1), None)).await.problem(409, "chart.not_latest");
        let got = app.get(&format!("/api/v1/workforce-charts/{jan_id}"), Some(&token)).await;
        assert_eq!(got.body["is_latest"], false);
        let mut feb_more = chart_a(2);
        feb_more["development"][0]["hires"] = json!(3);
        feb_more["details"].as_array_mut().unwrap().push(person("hire", 99, "2026-02-27"));
        feb_more["occupations"][0]["count"] = json!(39);
        let r = app.call(put(&feb_id, feb_more, Some("\"1\""))).await;
        r.expect(200);
        assert_eq!(r.body["totals"]["month_end"], 40);
        assert_eq!(r.body["version"], 2);
        app.call(put(&feb_id, chart_a(2), Some("\"1\""))).await.problem(412, "precondition.version_mismatch");
        app.call(put(&feb_id, chart_a(1), None)).await.problem(422, "validation.failed");
        let history = app.get(&format!("/api/v1/workforce-charts/{feb_id}/history"), Some(&token)).await;
        assert_eq!(history.body["total"], 2);

        // Another employer: every chart route is "not found".
        app.register_employer(MEHMET, "987654321", 2).await;
        let other = app.employer_token(MEHMET, None).await;
        app.get(&url, Some(&other)).await.problem(404, "workplace.not_found");
        app.get(&format!("{url}/new"), Some(&other)).await.problem(404, "workplace.not_found");
        app.post(&url, Some(&other), chart_a(3)).await.problem(404, "workplace.not_found");
        app.get(&format!("/api/v1/workforce-charts/{feb_id}"), Some(&other)).await.problem(404, "chart.not_found");
        app.get(&format!("/api/v1/workforce-charts/{feb_id}/history"), Some(&other)).await.problem(404, "chart.not_found");
        app.send(Method::PUT, &format!("/api/v1/workforce-charts/{feb_id}"), Some(&other), Some(chart_a(2))).await.problem(404, "chart.not_found");
        app.get(&format!("/api/v1/workplaces/{a}/quota-status"), Some(&other)).await.problem(404, "workplace.not_found");
        // Staff read, never write; citizens neither.
        let staff = app.staff_token("iskur.ankara").await;
        app.post(&url, Some(&staff), chart_a(3)).await.problem(403, "chart.employers_only");
        let citizen = app.citizen_token(AYSE).await;
        app.get(&url, Some(&citizen)).await.problem(403, "chart.not_allowed");
    }
}
