//! Mass-layoff notices end to end: created, edited within one month of the notification
//! date and refused after it (the clock moved over HTTP), totals computed, advice as
//! warnings, tenant isolation and the İŞKUR view.

use actix_web::http::Method;
use actix_web::test::TestRequest;
use kapi_tests::{both_backends, json};

const AYSE: &str = "12345678950";
const MEHMET: &str = "34567890170";

both_backends! {
    async fn notice_is_editable_for_one_month_only(app) {
        app.send(Method::PUT, "/api/v1/dev/clock", None, Some(json!({"at": "2026-01-31T09:00:00Z"}))).await.expect(200);
        let m = app.register_employer(AYSE, "123456789", 1).await;
        let head = m["head_office"]["id"].as_str().unwrap().to_owned();
        let token = app.employer_token(AYSE, None).await;
        let branch = app.add_workplace(&token, 6, 6017, 2).await;
        let branch = branch["id"].as_str().unwrap().to_owned();

        let r = app.post("/api/v1/mass-layoffs", Some(&token), json!({
            "layoff_date": "2026-02-15", "reason": "Siparişlerin azalması",
            "details": [{"workplace_id": head, "men": 8, "women": 4}]
        })).await;
        r.expect(201);
        let n = &r.body["notice"];
        assert_eq!(n["notification_date"], "2026-01-31");
        assert_eq!(n["editable_until"], "2026-02-28");
        assert_eq!((n["total_men"].as_u64(), n["total_women"].as_u64(), n["total"].as_u64()), (Some(8), Some(4), Some(12)));
        let codes: Vec<&str> = r.body["warnings"].as_array().unwrap().iter().map(|w| w["code"].as_str().unwrap()).collect();
        assert_eq!(codes, ["workforce_unknown", "notice_shorter_than_30_days"]);
        let id = n["id"].as_str().unwrap().to_owned();
        let put = |token: &str, body: serde_json::Value, etag: Option<&str>| {
            let mut req = TestRequest::put().uri(&format!("/api/v1/mass-layoffs/{id}"))
                .insert_header(("Authorization", format!("Bearer {token}"))).set_json(body);
            if let Some(e) = etag {
                req = req.insert_header(("If-Match", e.to_owned()));
            }
            req
        };

        // Last day of the window (28 February, 23:59 Istanbul): a detail added, one changed.
        app.send(Method::PUT, "/api/v1/dev/clock", None, Some(json!({"at": "2026-02-28T20:59:00Z"}))).await.expect(200);
        let token = app.employer_token(AYSE, None).await;
        let r = app.call(put(&token, json!({
            "layoff_date": "2026-03-31", "reason": "Siparişlerin azalması",
            "details": [{"workplace_id": head, "men": 6, "women": 4}, {"workplace_id": branch, "men": 0, "women": 3}]
        }), Some("\"1\""))).await;
        r.expect(200);
        assert_eq!(r.body["notice"]["notification_date"], "2026-01-31", "immutable");
        assert_eq!(r.body["notice"]["total"], 13);
        assert_eq!(r.body["notice"]["version"], 2);
        assert_eq!(r.header("etag").as_deref(), Some("\"2\""));
        app.call(put(&token, json!({"layoff_date": "2026-03-31", "reason": "Eski sürüm", "details": [{"workplace_id": head, "men": 1, "women": 0}]}), Some("\"1\""))).await
            .problem(412, "precondition.version_mismatch");

        // One minute later the window is closed: read-only, nothing changed.
        app.send(Method::PUT, "/api/v1/dev/clock", None, Some(json!({"at": "2026-02-28T21:00:00Z"}))).await.expect(200);
        let token = app.employer_token(AYSE, None).await;
        app.call(put(&token, json!({"layoff_date": "2026-03-31", "reason": "Geç değişiklik", "details": [{"workplace_id": head, "men": 1, "women": 0}]}), None)).await
            .problem(409, "mass_layoff.edit_window_closed");
        let got = app.get(&format!("/api/v1/mass-layoffs/{id}"), Some(&token)).await;
        got.expect(200);
        assert_eq!(got.body["total"], 13);
        assert_eq!(got.body["details"].as_array().unwrap().len(), 2);

        let history = app.get(&format!("/api/v1/mass-layoffs/{id}/history"), Some(&token)).await;
        assert_eq!(history.body["total"], 2);
    }

    async fn refusals_scope_and_the_iskur_view(app) {
        let a = app.register_employer(AYSE, "123456789", 1).await;
        let b = app.register_employer(MEHMET, "987654321", 2).await;
        let a_head = a["head_office"]["id"].as_str().unwrap().to_owned();
        let b_head = b["head_office"]["id"].as_str().unwrap().to_owned();
        let a_token = app.employer_token(AYSE, None).await;
        let b_token = app.employer_token(MEHMET, None).await;

        // Another employer's workplace, empty lines, no lines, bad date.
        let r = app.post("/api/v1/mass-layoffs", Some(&a_token), json!({"layoff_date": "2027-01-31", "reason": "Kapanış", "details": [{"workplace_id": b_head, "men": 20, "women": 0}]})).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.body["errors"][0]["code"], "mass_layoff.unknown_workplace");
        assert_eq!(r.body["errors"][0]["field"], "details[0].workplace_id");
        let r = app.post("/api/v1/mass-layoffs", Some(&a_token), json!({"layoff_date": "2027-01-31", "reason": "Kapanış", "details": []})).await;
        assert_eq!(r.body["errors"][0]["code"], "mass_layoff.no_details");
        let r = app.post("/api/v1/mass-layoffs", Some(&a_token), json!({"layoff_date": "31.01.2027", "reason": "Kapanış", "details": [{"workplace_id": a_head, "men": 1, "women": 0}]})).await;
        assert_eq!(r.body["errors"][0]["field"], "layoff_date");
        let r = app.post("/api/v1/mass-layoffs", Some(&a_token), json!({"layoff_date": "2027-01-31", "reason": "Kapanış", "details": [{"workplace_id": a_head, "men": -1, "women": 0}]})).await;
        r.problem(422, "validation.failed");
        let list = app.get("/api/v1/mass-layoffs", Some(&a_token)).await;
        assert_eq!(list.body["total"], 0, "nothing half-written");

        let r = app.post("/api/v1/mass-layoffs", Some(&a_token), json!({"layoff_date": "2027-06-30", "reason": "Kapanış", "details": [{"workplace_id": a_head, "men": 15, "women": 10}]})).await;
        r.expect(201);
        let id = r.body["notice"]["id"].as_str().unwrap().to_owned();
        app.post("/api/v1/mass-layoffs", Some(&b_token), json!({"layoff_date": "2027-06-30", "reason": "Daralma", "details": [{"workplace_id": b_head, "men": 1, "women": 1}]})).await.expect(201);

        // B cannot see or change A's notice.
        app.get(&format!("/api/v1/mass-layoffs/{id}"), Some(&b_token)).await.problem(404, "mass_layoff.not_found");
        app.get(&format!("/api/v1/mass-layoffs/{id}/history"), Some(&b_token)).await.problem(404, "mass_layoff.not_found");
        app.send(Method::PUT, &format!("/api/v1/mass-layoffs/{id}"), Some(&b_token), Some(json!({"layoff_date": "2027-06-30", "reason": "Ele geçirme", "details": [{"workplace_id": b_head, "men": 1, "women": 0}]}))).await
            .problem(404, "mass_layoff.not_found");
        let b_list = app.get("/api/v1/mass-layoffs", Some(&b_token)).await;
        assert_eq!(b_list.body["total"], 1);

        // İŞKUR staff see both and change neither; citizens see nothing.
        let staff = app.staff_token("iskur.ankara").await;
        let all = app.get("/api/v1/mass-layoffs", Some(&staff)).await;
        assert_eq!(all.body["total"], 2);
        app.get(&format!("/api/v1/mass-layoffs/{id}"), Some(&staff)).await.expect(200);
        app.send(Method::PUT, &format!("/api/v1/mass-layoffs/{id}"), Some(&staff), Some(json!({"layoff_date": "2027-06-30", "reason": "Personel", "details": [{"workplace_id": a_head, "men": 1, "women": 0}]}))).await
            .problem(403, "mass_layoff.employers_only");
        let citizen = app.citizen_token(AYSE).await;
        app.get("/api/v1/mass-layoffs", Some(&citizen)).await.problem(403, "mass_layoff.not_allowed");
        app.get("/api/v1/mass-layoffs/nope", Some(&a_token)).await.problem(404, "mass_layoff.not_found");
    }
}
