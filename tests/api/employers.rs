//! İŞKUR employers end to end: membership, login (with the employer choice), workplaces
//! (head office per province, branches), search and tenant isolation.

use actix_web::test::TestRequest;
use kapi_tests::{both_backends, json, vkn, workplace_body};

const AYSE: &str = "12345678950";
const MEHMET: &str = "34567890170";
const CLERK: &str = "23456789060";

both_backends! {
    async fn membership_login_and_workplaces(app) {
        let m = app.register_employer(AYSE, "123456789", 1).await;
        let employer = m["employer"]["id"].as_str().unwrap().to_owned();
        assert_eq!(m["head_office"]["kind"], "head_office");
        assert_eq!(m["employer"]["iskur_no"].as_str().unwrap().len(), 8);
        let head = m["head_office"]["id"].as_str().unwrap().to_owned();

        let token = app.employer_token(AYSE, None).await;
        let me = app.get("/api/v1/auth/me", Some(&token)).await;
        assert_eq!(me.body["actor"]["kind"], "employer_user");
        assert_eq!(me.body["actor"]["scope"]["employer_id"], employer.as_str());
        assert_eq!(me.body["actor"]["scope"]["permissions"]["admin"], true);

        let branch = app.add_workplace(&token, 6, 6017, 2).await;
        assert_eq!(branch["kind"], "branch");
        assert_eq!(branch["head_office_id"], head.as_str());
        let istanbul = app.add_workplace(&token, 34, 34023, 3).await;
        assert_eq!(istanbul["kind"], "head_office");

        let list = app.get("/api/v1/workplaces", Some(&token)).await;
        list.expect(200);
        assert_eq!(list.body["total"], 3);
        assert_eq!(list.body["per_page"], 15);
        let by_title = app.get("/api/v1/workplaces?title=ISYERI%202", Some(&token)).await;
        assert_eq!(by_title.body["total"], 1);
        let by_sgk = app.get("/api/v1/workplaces?sgk_no=2512001010000000000003", Some(&token)).await;
        assert_eq!(by_sgk.body["items"][0]["province"], 34);
        app.get("/api/v1/workplaces?sgk_no=12", Some(&token)).await.problem(422, "validation.failed");

        // Update with If-Match; the province is not a field.
        let id = branch["id"].as_str().unwrap();
        let patch = |body: serde_json::Value, etag: &str| {
            TestRequest::patch().uri(&format!("/api/v1/workplaces/{id}"))
                .insert_header(("Authorization", format!("Bearer {token}")))
                .insert_header(("If-Match", etag.to_owned()))
                .set_json(body)
        };
        let r = app.call(patch(json!({"title": "Keçiören Şubesi", "phone": "0532 123 45 67"}), "\"1\"")).await;
        r.expect(200);
        assert_eq!(r.body["phone"], "5321234567");
        assert_eq!(r.header("etag").as_deref(), Some("\"2\""));
        app.call(patch(json!({"title": "Eski"}), "\"1\"")).await.problem(412, "precondition.version_mismatch");
        let moved = app.call(patch(json!({"district_code": 34023}), "\"2\"")).await;
        moved.problem(422, "validation.failed");
        assert_eq!(moved.field(), "district_code");
        let province = app.call(patch(json!({"province": 34}), "\"2\"")).await;
        province.problem(422, "validation.failed");
        assert_eq!(province.body["errors"][0]["code"], "request.unknown_field");
        let cleared = app.call(patch(json!({"phone": null}), "\"2\"")).await;
        assert_eq!(cleared.body["phone"], serde_json::Value::Null);

        // Related persons (ilgili kişiler) and other details (diğer bilgiler).
        let r = app.call(patch(json!({
            "related_persons": [{"full_name": "Selin Aksoy", "role": "İK Müdürü", "phone": "+90 532 111 22 33", "email": "selin@example.com"}],
            "other": {"activity": "Depolama ve lojistik", "website": "https://www.example.com.tr"}
        }), "\"3\"")).await;
        r.expect(200);
        assert_eq!(r.body["related_persons"][0]["phone"], "5321112233");
        assert_eq!(r.body["other"]["website"], "https://www.example.com.tr");
        let again = app.get(&format!("/api/v1/workplaces/{id}"), Some(&token)).await;
        assert_eq!(again.body["related_persons"][0]["role"], "İK Müdürü");
        assert_eq!(again.body["title"], "Keçiören Şubesi", "other sections untouched");
        let bad = app.call(patch(json!({
            "related_persons": [{"full_name": "S", "role": "İK", "phone": "123"}],
            "other": {"website": "ftp://x"}
        }), "\"4\"")).await;
        bad.problem(422, "validation.failed");
        let fields: Vec<&str> = bad.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["related_persons[0].full_name", "related_persons[0].phone", "other.website"]);
        let many: Vec<_> = (0..11).map(|i| json!({"full_name": format!("Kişi {i}"), "role": "Usta"})).collect();
        app.call(patch(json!({"related_persons": many}), "\"4\"")).await.problem(422, "validation.failed");

        // İŞKUR staff search across employers by VKN; citizens are refused.
        let staff = app.staff_token("iskur.ankara").await;
        let all = app.get(&format!("/api/v1/workplaces?vkn={}", vkn("123456789")), Some(&staff)).await;
        assert_eq!(all.body["total"], 3);
        app.get(&format!("/api/v1/employers/{employer}"), Some(&staff)).await.expect(200);
        let citizen = app.citizen_token(AYSE).await;
        app.get("/api/v1/workplaces", Some(&citizen)).await.problem(403, "workplace.employers_only");
        app.get("/api/v1/workplaces", None).await.expect(401);
    }

    async fn the_demo_employer_logs_in(app) {
        let token = app.employer_token("45678901280", None).await;
        let list = app.get("/api/v1/workplaces", Some(&token)).await;
        assert_eq!(list.body["total"], 3);
        let kinds: Vec<&str> = list.body["items"].as_array().unwrap().iter().map(|w| w["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds.iter().filter(|k| **k == "head_office").count(), 2);
    }

    async fn another_employers_records_are_not_found(app) {
        let a = app.register_employer(AYSE, "123456789", 1).await;
        let b = app.register_employer(MEHMET, "987654321", 2).await;
        let a_token = app.employer_token(AYSE, None).await;
        let b_token = app.employer_token(MEHMET, None).await;
        let a_head = a["head_office"]["id"].as_str().unwrap();
        let a_employer = a["employer"]["id"].as_str().unwrap();
        app.get(&format!("/api/v1/workplaces/{a_head}"), Some(&b_token)).await.problem(404, "workplace.not_found");
        app.get(&format!("/api/v1/employers/{a_employer}"), Some(&b_token)).await.problem(404, "employer.not_found");
        let r = app.send(actix_web::http::Method::PATCH, &format!("/api/v1/workplaces/{a_head}"), Some(&b_token), Some(json!({"title": "Ele geçirildi"}))).await;
        r.problem(404, "workplace.not_found");
        let list = app.get("/api/v1/workplaces", Some(&b_token)).await;
        assert_eq!(list.body["total"], 1);
        assert_eq!(list.body["items"][0]["id"], b["head_office"]["id"]);
        app.get(&format!("/api/v1/workplaces/{a_head}"), Some(&a_token)).await.expect(200);
        app.get("/api/v1/workplaces/not-a-uuid", Some(&a_token)).await.problem(404, "workplace.not_found");
    }

    async fn membership_refusals(app) {
        // Everything wrong at once: every field named, nothing written.
        let r = app.post("/api/v1/employers", None, json!({
            "terms_accepted": false, "title": "A", "vkn": "1234567891", "sector": "private",
            "address": "Kızılay Mah. No:1",
            "head_office": {"title": "Merkez", "sgk_no": "123", "province": 6, "district_code": 34023, "address": "Demo Cad. No:5"},
            "person": {"tckn": "10000000147", "mobile": "12", "email": "x", "password": "kısa", "secret_question": "Soru?", "secret_answer": "Cevap"}
        })).await;
        r.problem(422, "validation.failed");
        let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        for f in ["title", "vkn", "head_office.sgk_no", "person.tckn", "person.mobile", "person.email"] {
            assert!(fields.contains(&f), "{f} missing in {fields:?}");
        }
        let unknown_person = app.post("/api/v1/employers", None, json!({
            "terms_accepted": false, "title": "Deneme A.Ş.", "vkn": vkn("111111111"), "sector": "public",
            "address": "Kızılay Mah. No:1",
            "head_office": workplace_body(6, 34023, 9),
            "person": {"tckn": "11111111110", "mobile": "5321234567", "email": "a@b.co", "password": "zayif", "secret_question": "Soru?", "secret_answer": "Cevap"}
        })).await;
        unknown_person.problem(422, "validation.failed");
        let codes: Vec<&str> = unknown_person.body["errors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
        assert_eq!(codes, ["employer.terms_not_accepted", "employer.person_not_in_registry", "password.too_weak", "workplace.district_not_in_province"]);
        app.post("/api/v1/auth/employer/login", None, json!({"tckn": AYSE, "password": "Kapi2026"})).await.problem(403, "auth.no_employer");

        app.register_employer(AYSE, "123456789", 1).await;
        let again = app.post("/api/v1/employers", None, json!({
            "terms_accepted": true, "title": "Aynı VKN", "vkn": vkn("123456789"), "sector": "private",
            "address": "Kızılay Mah. No:1", "head_office": workplace_body(6, 6007, 5),
            "person": {"tckn": AYSE, "mobile": "5321234567", "email": "a@b.co", "password": "Kapi2026", "secret_question": "Soru?", "secret_answer": "Cevap"}
        })).await;
        again.problem(409, "employer.exists");
        let token = app.employer_token(AYSE, None).await;
        let dup = app.post("/api/v1/workplaces", Some(&token), workplace_body(6, 6017, 1)).await;
        dup.problem(422, "validation.failed");
        assert_eq!(dup.body["errors"][0]["code"], "workplace.sgk_no_taken");
        app.post("/api/v1/auth/employer/login", None, json!({"tckn": AYSE, "password": "Yanlis123"})).await.problem(401, "auth.invalid_credentials");
    }

    async fn a_person_of_two_employers_chooses_one(app) {
        let a = app.register_employer(AYSE, "123456789", 1).await;
        let b = app.register_employer(AYSE, "987654321", 2).await;
        let r = app.post("/api/v1/auth/employer/login", None, json!({"tckn": AYSE, "password": "Kapi2026"})).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.body["errors"][0]["code"], "auth.employer_choice_required");
        let b_id = b["employer"]["id"].as_str().unwrap();
        assert!(r.body["errors"][0]["message"].as_str().unwrap().contains(b_id));
        let token = app.employer_token(AYSE, Some(b_id)).await;
        let list = app.get("/api/v1/workplaces", Some(&token)).await;
        assert_eq!(list.body["items"][0]["id"], b["head_office"]["id"]);
        let a_head = a["head_office"]["id"].as_str().unwrap();
        app.get(&format!("/api/v1/workplaces/{a_head}"), Some(&token)).await.problem(404, "workplace.not_found");
        let wrong = app.post("/api/v1/auth/employer/login", None, json!({"tckn": AYSE, "password": "Kapi2026", "employer_id": uuid::Uuid::now_v7()})).await;
        assert_eq!(wrong.body["errors"][0]["code"], "auth.employer_not_yours");
    }

    async fn users_flags_lock_and_closing_date_apply_at_once(app) {
        app.send(actix_web::http::Method::PUT, "/api/v1/dev/clock", None, Some(json!({"at": "2026-05-10T09:00:00Z"}))).await.expect(200);
        let m = app.register_employer(AYSE, "123456789", 1).await;
        let employer = m["employer"]["id"].as_str().unwrap().to_owned();
        let head = m["head_office"]["id"].as_str().unwrap().to_owned();
        let admin = app.employer_token(AYSE, None).await;
        let users_url = format!("/api/v1/employers/{employer}/users");

        // Only registered individuals; a clerk with the chart flag only.
        app.post(&users_url, Some(&admin), json!({"tckn": "11111111110", "permissions": {}})).await
            .problem(422, "validation.failed");
        let r = app.post(&users_url, Some(&admin), json!({"tckn": CLERK, "permissions": {"workforce_chart": true}, "closing_date": "2026-05-31"})).await;
        r.expect(201);
        assert_eq!(r.body["tckn_masked"], "*********60");
        app.post(&users_url, Some(&admin), json!({"tckn": CLERK, "permissions": {}})).await.problem(409, "workplace_user.exists");
        let list = app.get(&users_url, Some(&admin)).await;
        assert_eq!(list.body["total"], 2);
        assert_eq!(list.body["items"][0]["primary_admin"], true);

        // The clerk logs in with the e-Devlet password and acts within the flags.
        let clerk = app.employer_token(CLERK, None).await;
        app.get(&format!("/api/v1/workplaces/{head}/workforce-charts"), Some(&clerk)).await.expect(200);
        app.post("/api/v1/workplaces", Some(&clerk), workplace_body(6, 6017, 2)).await.problem(403, "workplace.admin_only");
        app.post("/api/v1/mass-layoffs", Some(&clerk), json!({"layoff_date": "2026-12-31", "reason": "Daralma", "details": [{"workplace_id": head, "men": 1, "women": 0}]})).await
            .problem(403, "mass_layoff.permission_missing");
        app.get(&users_url, Some(&clerk)).await.problem(403, "workplace_user.admin_only");
        app.get("/api/v1/mass-layoffs", Some(&clerk)).await.problem(403, "mass_layoff.permission_missing");
        // Nobody changes the primary admin's roles or their own.
        let patch = |token: &str, who: &str, body: serde_json::Value| {
            TestRequest::patch().uri(&format!("/api/v1/employers/{employer}/users/{who}"))
                .insert_header(("Authorization", format!("Bearer {token}"))).set_json(body)
        };
        app.call(patch(&admin, AYSE, json!({"locked": true}))).await.problem(403, "workplace_user.primary_admin");

        // Granting the mass-layoff flag works on the clerk's existing token at once.
        let r = app.call(patch(&admin, CLERK, json!({"permissions": {"workforce_chart": true, "mass_layoff": true}}))).await;
        r.expect(200);
        app.post("/api/v1/mass-layoffs", Some(&clerk), json!({"layoff_date": "2026-12-31", "reason": "Daralma", "details": [{"workplace_id": head, "men": 1, "women": 0}]})).await
            .expect(201);
        // Locked: the same token stops at once, and login is refused.
        app.call(patch(&admin, CLERK, json!({"locked": true}))).await.expect(200);
        app.get(&format!("/api/v1/workplaces/{head}"), Some(&clerk)).await.problem(403, "workplace_user.locked");
        app.post("/api/v1/auth/employer/login", None, json!({"tckn": CLERK, "password": "Kapi2026"})).await.problem(403, "workplace_user.locked");
        app.call(patch(&admin, CLERK, json!({"locked": false}))).await.expect(200);
        // The closing date: 31 May is the last day.
        app.send(actix_web::http::Method::PUT, "/api/v1/dev/clock", None, Some(json!({"at": "2026-05-31T20:59:00Z"}))).await.expect(200);
        let clerk = app.employer_token(CLERK, None).await;
        app.get(&format!("/api/v1/workplaces/{head}"), Some(&clerk)).await.expect(200);
        app.send(actix_web::http::Method::PUT, "/api/v1/dev/clock", None, Some(json!({"at": "2026-05-31T21:00:00Z"}))).await.expect(200);
        app.get(&format!("/api/v1/workplaces/{head}"), Some(&clerk)).await.problem(403, "workplace_user.account_closed");
        app.post("/api/v1/auth/employer/login", None, json!({"tckn": CLERK, "password": "Kapi2026"})).await.problem(403, "workplace_user.account_closed");

        // Another employer's admin reaches none of it.
        app.register_employer(MEHMET, "987654321", 2).await;
        let other = app.employer_token(MEHMET, None).await;
        app.get(&users_url, Some(&other)).await.problem(404, "employer.not_found");
        app.post(&users_url, Some(&other), json!({"tckn": "10000000146", "permissions": {}})).await.problem(404, "employer.not_found");
        app.call(patch(&other, CLERK, json!({"locked": false}))).await.problem(404, "employer.not_found");
    }

    async fn password_reset_by_secret_question(app) {
        app.register_employer(AYSE, "123456789", 1).await;
        let q = app.post("/api/v1/auth/employer/secret-question", None, json!({"tckn": AYSE, "mobile": "0532 123 45 67"})).await;
        q.expect(200);
        assert_eq!(q.body["secret_question"], "İlk okulum?");
        app.post("/api/v1/auth/employer/secret-question", None, json!({"tckn": AYSE, "mobile": "5329999999"})).await.problem(401, "auth.reset_failed");
        let reset = |answer: &str, a: &str, b: &str| json!({"tckn": AYSE, "mobile": "5321234567", "secret_answer": answer, "new_password": a, "new_password_repeat": b});
        let r = app.post("/api/v1/auth/employer/password-reset", None, reset("ATATÜRK", "Yeni1234", "Yeni12345")).await;
        assert_eq!(r.body["errors"][0]["code"], "password.mismatch");
        app.post("/api/v1/auth/employer/password-reset", None, reset("Başka", "Yeni1234", "Yeni1234")).await.problem(401, "auth.reset_failed");
        app.post("/api/v1/auth/employer/password-reset", None, reset("atatürk", "Yeni1234", "Yeni1234")).await.expect(204);
        app.post("/api/v1/auth/employer/login", None, json!({"tckn": AYSE, "password": "Kapi2026"})).await.problem(401, "auth.invalid_credentials");
        app.post("/api/v1/auth/employer/login", None, json!({"tckn": AYSE, "password": "Yeni1234"})).await.expect(200);
    }
}
