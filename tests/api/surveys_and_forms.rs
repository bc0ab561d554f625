//! The annual survey (one per year per head office, branches refused, this year or last)
//! and the bulk personnel form (CSV, all or nothing, row-numbered errors), on both databases.

use actix_web::http::Method;
use actix_web::test::TestRequest;
use kapi_tests::{both_backends, json};
use serde_json::Value;

const AYSE: &str = "12345678950";
const MEHMET: &str = "34567890170";

fn answers() -> Value {
    json!({
        "previous_year_average_workforce": 60, "previous_year_hires": 12, "previous_year_leavers": 5,
        "expected_workforce_next_year": 70,
        "expected_hires": [{"occupation_code": "2512.04", "count": 8}],
        "hard_to_fill": [{"occupation_code": "7411.01", "count": 2}],
        "training_needs": ["Bilgi güvenliği"],
    })
}

both_backends! {
    async fn one_survey_a_year_per_head_office(app) {
        app.send(Method::PUT, "/api/v1/dev/clock", None, Some(json!({"at": "2026-12-31T20:59:00Z"}))).await.expect(200);
        let m = app.register_employer(AYSE, "123456789", 1).await;
        let head = m["head_office"]["id"].as_str().unwrap().to_owned();
        let token = app.employer_token(AYSE, None).await;
        let branch = app.add_workplace(&token, 6, 6017, 2).await["id"].as_str().unwrap().to_owned();
        let istanbul = app.add_workplace(&token, 34, 34023, 3).await["id"].as_str().unwrap().to_owned();

        let r = app.post(&format!("/api/v1/workplaces/{branch}/annual-surveys"), Some(&token), json!({"year": 2026, "answers": answers()})).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.body["errors"][0]["code"], "survey.branch_refused");
        let r = app.post(&format!("/api/v1/workplaces/{head}/annual-surveys"), Some(&token), json!({"year": 2027, "answers": answers()})).await;
        assert_eq!(r.body["errors"][0]["code"], "survey.year_out_of_range");
        let mut bad = answers();
        bad["expected_hires"][0]["occupation_code"] = json!("0000.01");
        bad["training_needs"] = json!(["x"]);
        let r = app.post(&format!("/api/v1/workplaces/{head}/annual-surveys"), Some(&token), json!({"year": 2026, "answers": bad})).await;
        let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["answers.training_needs[0]"]);

        let r = app.post(&format!("/api/v1/workplaces/{head}/annual-surveys"), Some(&token), json!({"year": 2026, "answers": answers()})).await;
        r.expect(201);
        let covered: Vec<&str> = r.body["covered_workplaces"].as_array().unwrap().iter().map(|w| w.as_str().unwrap()).collect();
        assert_eq!(covered, [head.as_str(), branch.as_str()], "the head office and its Ankara branch, not İstanbul");
        let id = r.body["id"].as_str().unwrap().to_owned();
        app.post(&format!("/api/v1/workplaces/{head}/annual-surveys"), Some(&token), json!({"year": 2026, "answers": answers()})).await
            .problem(409, "survey.exists");
        app.post(&format!("/api/v1/workplaces/{istanbul}/annual-surveys"), Some(&token), json!({"year": 2026, "answers": answers()})).await.expect(201);
        let mut unknown = answers();
        unknown["hard_to_fill"][0]["occupation_code"] = json!("0000.01");
        let r = app.post(&format!("/api/v1/workplaces/{head}/annual-surveys"), Some(&token), json!({"year": 2025, "answers": unknown})).await;
        assert_eq!(r.body["errors"][0]["code"], "survey.unknown_occupation");

        // Change it on the last minute of 2026 (If-Match), not after new year.
        let put = |token: &str, body: Value, etag: Option<&str>| {
            let mut req = TestRequest::put().uri(&format!("/api/v1/annual-surveys/{id}"))
                .insert_header(("Authorization", format!("Bearer {token}"))).set_json(body);
            if let Some(e) = etag {
                req = req.insert_header(("If-Match", e.to_owned()));
            }
            req
        };
        let mut more = answers();
        more["expected_workforce_next_year"] = json!(75);
        let r = app.call(put(&token, more.clone(), Some("\"1\""))).await;
        r.expect(200);
        assert_eq!(r.body["answers"]["expected_workforce_next_year"], 75);
        app.call(put(&token, more.clone(), Some("\"1\""))).await.problem(412, "precondition.version_mismatch");
        // 2027: the 2026 survey is still open (last year), a 2025 one would not be.
        app.send(Method::PUT, "/api/v1/dev/clock", None, Some(json!({"at": "2026-12-31T21:00:00Z"}))).await.expect(200);
        let token = app.employer_token(AYSE, None).await;
        app.call(put(&token, more.clone(), None)).await.expect(200);
        app.post(&format!("/api/v1/workplaces/{head}/annual-surveys"), Some(&token), json!({"year": 2025, "answers": answers()})).await
            .problem(422, "validation.failed");
        app.send(Method::PUT, "/api/v1/dev/clock", None, Some(json!({"at": "2028-01-01T09:00:00Z"}))).await.expect(200);
        let token = app.employer_token(AYSE, None).await;
        app.call(put(&token, more, None)).await.problem(409, "survey.closed");

        let list = app.get("/api/v1/annual-surveys?year=2026", Some(&token)).await;
        assert_eq!(list.body["total"], 2);

        // Another employer sees nothing; İŞKUR staff see all.
        app.register_employer(MEHMET, "987654321", 9).await;
        let other = app.employer_token(MEHMET, None).await;
        app.get(&format!("/api/v1/annual-surveys/{id}"), Some(&other)).await.problem(404, "survey.not_found");
        app.post(&format!("/api/v1/workplaces/{head}/annual-surveys"), Some(&other), json!({"year": 2028, "answers": answers()})).await
            .problem(404, "workplace.not_found");
        assert_eq!(app.get("/api/v1/annual-surveys", Some(&other)).await.body["total"], 0);
        let staff = app.staff_token("iskur.ankara").await;
        assert_eq!(app.get("/api/v1/annual-surveys", Some(&staff)).await.body["total"], 2);
        app.get(&format!("/api/v1/annual-surveys/{id}"), Some(&staff)).await.expect(200);
    }

    async fn bulk_personnel_form(app) {
        let m = app.register_employer(AYSE, "123456789", 1).await;
        let head = m["head_office"]["id"].as_str().unwrap().to_owned();
        let token = app.employer_token(AYSE, None).await;
        let url = format!("/api/v1/workplaces/{head}/workforce-charts/personnel-form?month=2026-01");
        let csv = |body: &str| TestRequest::post().uri(&url)
            .insert_header(("Authorization", format!("Bearer {token}")))
            .insert_header(("Content-Type", "text/csv; charset=utf-8"))
            .set_payload(body.to_owned());

        let good = "\u{feff}Tür;TC Kimlik No;Ad Soyad;Tarih;Meslek Kodu;Neden\r\nGiriş;10000000146;Ayşe Yılmaz;05.01.2026;2512.04;\r\nçıkış;12345678950;Ali Veli;2026-01-31;4110.01;Emeklilik\r\n";
        let r = app.call(csv(good)).await;
        r.expect(200);
        assert_eq!((r.body["hires"].as_u64(), r.body["leavers"].as_u64()), (Some(1), Some(1)));
        assert_eq!(r.body["details"][1]["date"], "2026-01-31");

        let bad = "kind,tckn,full_name,date,occupation_code\nhire,10000000146,Ayşe Yılmaz,2026-01-05,2512.04\nhire,10000000147,Ali Veli,2026-02-01,2512.04\nhire,23456789060,Can Demir,2026-01-07,0000.01\n";
        let r = app.call(csv(bad)).await;
        r.problem(422, "validation.failed");
        let errors: Vec<(&str, &str)> = r.body["errors"].as_array().unwrap().iter().map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap())).collect();
        assert_eq!(errors, [("rows[3].tckn", "tckn.checksum"), ("rows[3].date", "chart_import.date_outside_month")]);
        // Shape errors first; only a clean file is checked against the dictionary.
        let unknown = "kind,tckn,full_name,date,occupation_code\nhire,23456789060,Can Demir,2026-01-07,0000.01\n";
        let r = app.call(csv(unknown)).await;
        assert_eq!(r.body["errors"][0]["field"], "details[0].occupation_code");
        assert_eq!(r.body["errors"][0]["code"], "chart.unknown_occupation");

        let r = app.call(csv("kind,salary\n")).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.body["errors"][0]["field"], "file");
        let wrong_type = TestRequest::post().uri(&url).insert_header(("Authorization", format!("Bearer {token}"))).set_json(json!({}));
        app.call(wrong_type).await.problem(415, "request.unsupported_media_type");
        let huge = format!("kind,tckn,full_name,date,occupation_code\n{}", "hire,10000000146,Ayşe Yılmaz,2026-01-05,2512.04\n".repeat(30_000));
        app.call(csv(&huge)).await.problem(413, "request.too_large");
        let latin1 = TestRequest::post().uri(&url).insert_header(("Authorization", format!("Bearer {token}")))
            .insert_header(("Content-Type", "text/csv")).set_payload(vec![b'k', 0xfc, b'\n']);
        let r = app.call(latin1).await;
        assert_eq!(r.body["errors"][0]["code"], "request.not_utf8");

        app.register_employer(MEHMET, "987654321", 9).await;
        let other = app.employer_token(MEHMET, None).await;
        let theirs = TestRequest::post().uri(&url).insert_header(("Authorization", format!("Bearer {other}")))
            .insert_header(("Content-Type", "text/csv")).set_payload(good);
        app.call(theirs).await.problem(404, "workplace.not_found");
    }
}
