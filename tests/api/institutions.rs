//! Kariyer Kapısı institutions end to end: the operator onboards an institution and its HR
//! account; the account logs in and publishes postings of that institution only; the public
//! list finds institutions by a folded name; deactivated accounts cannot log in. Refusals:
//! non-admins (403), duplicate names and user names (409), invalid fields (422), unknown
//! ids (404).

use actix_web::http::Method;
use kapi_tests::{both_backends, json, Resp};
use serde_json::Value;

fn posting() -> Value {
    json!({
        "title": "Sözleşmeli Gençlik Uzmanı Alım İlanı",
        "main_text": "Bakanlığımız merkez teşkilatında istihdam edilmek üzere sözleşmeli personel alınacaktır.",
        "starts_on": "2027-03-01",
        "ends_on": "2027-03-15",
        "sub_postings": [{
            "title": "Gençlik Uzmanı",
            "text": "Gençlik programlarının planlanması ve yürütülmesinde çalışacak uzman.",
            "vacancies": 2,
            "reserve_count": 1,
            "province": 6,
            "education_level": "bachelor",
            "employment_type": "contracted"
        }],
        "stages": [
            {"kind": "interview", "name": "Sözlü Mülakat", "starts_at": "2027-03-27T10:00:00+03:00", "mode": "online"}
        ]
    })
}

fn ids(r: &Resp) -> Vec<String> {
    r.body["items"]
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {}", r.text))
        .iter()
        .map(|x| x["id"].as_str().unwrap().to_owned())
        .collect()
}

fn names(r: &Resp) -> Vec<String> {
    r.body["items"]
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {}", r.text))
        .iter()
        .map(|x| x["name"].as_str().unwrap().to_owned())
        .collect()
}

fn hr_body(username: &str) -> Value {
    json!({"username": username, "display_name": "Gençlik ve Spor Bakanlığı İnsan Kaynakları", "password": "Gsb2026Ik"})
}

both_backends! {
    async fn admin_onboards_an_institution_whose_hr_account_publishes_its_postings(app) {
        app.send(Method::PUT, "/api/v1/dev/clock", None, Some(json!({"at": "2027-03-01T09:00:00Z"}))).await.expect(200);
        let admin = app.staff_token("admin").await;

        let r = app.post("/api/v1/admin/institutions", Some(&admin), json!({"name": "  Gençlik ve   Spor Bakanlığı ", "detsis_no": "30001781"})).await;
        r.expect(201);
        let inst = r.body["id"].as_str().unwrap().to_owned();
        assert_eq!(r.header("location"), Some(format!("/api/v1/admin/institutions/{inst}")));
        assert_eq!(r.body["name"], "Gençlik ve Spor Bakanlığı");
        assert_eq!(r.body["detsis_no"], "30001781");
        assert!(r.body["created_at"].as_str().unwrap().starts_with("2027-03-01T09:00:00"), "{}", r.text);

        // Public, folded, ordered by name.
        let r = app.get("/api/v1/reference/institutions?name=GEN%C3%87L%C4%B0K", None).await;
        r.expect(200);
        assert_eq!(r.body["total"], 1);
        assert_eq!(r.body["items"][0], json!({"id": inst, "name": "Gençlik ve Spor Bakanlığı", "detsis_no": "30001781"}));
        let r = app.get("/api/v1/reference/institutions?name=hazine", None).await;
        assert_eq!(names(&r), vec!["Hazine ve Maliye Bakanlığı"]);
        let r = app.get("/api/v1/reference/institutions?name=bakanligi", None).await;
        assert_eq!(names(&r), vec!["Aile ve Sosyal Hizmetler Bakanlığı", "Gençlik ve Spor Bakanlığı", "Hazine ve Maliye Bakanlığı"]);
        let r = app.get("/api/v1/reference/institutions?per_page=1&page=2", None).await;
        assert_eq!((r.body["page"].as_u64(), r.body["per_page"].as_u64(), r.body["total"].as_u64()), (Some(2), Some(1), Some(3)));
        assert_eq!(names(&r), vec!["Gençlik ve Spor Bakanlığı"]);
        app.get("/api/v1/reference/institutions?per_page=101", None).await.problem(422, "validation.failed");
        let r = app.get("/api/v1/reference/institutions?q=x", None).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.field(), "q");

        // The HR account.
        let r = app.post(&format!("/api/v1/admin/institutions/{inst}/hr-accounts"), Some(&admin), hr_body("GSB.ik")).await;
        r.expect(201);
        let account = r.body["id"].as_str().unwrap().to_owned();
        assert_eq!(r.body["username"], "gsb.ik");
        assert_eq!(r.body["display_name"], "Gençlik ve Spor Bakanlığı İnsan Kaynakları");
        assert_eq!(r.body["institution_id"], inst.as_str());
        assert_eq!(r.body["active"], true);
        assert!(r.body.get("password").is_none() && r.body.get("password_hash").is_none());
        let d = app.get(&format!("/api/v1/admin/institutions/{inst}"), Some(&admin)).await;
        d.expect(200);
        assert_eq!(d.body["name"], "Gençlik ve Spor Bakanlığı");
        assert_eq!(d.body["hr_accounts"].as_array().unwrap().len(), 1);
        assert_eq!(d.body["hr_accounts"][0]["id"], account.as_str());

        // It logs in and acts as the new institution.
        let r = app.post("/api/v1/auth/staff/login", None, json!({"username": "gsb.ik", "password": "Gsb2026Ik"})).await;
        r.expect(200);
        let gsb = r.body["access_token"].as_str().unwrap().to_owned();
        let me = app.get("/api/v1/auth/me", Some(&gsb)).await;
        me.expect(200);
        assert!(me.text.contains(&inst), "{}", me.text);
        let kurum = app.staff_token("kurum.ik").await;
        let r = app.post("/api/v1/postings", Some(&gsb), posting()).await;
        r.expect(201);
        let pid = r.body["id"].as_str().unwrap().to_owned();
        assert_eq!(r.body["institution"]["id"], inst.as_str());
        assert_eq!(r.body["institution"]["name"], "Gençlik ve Spor Bakanlığı");
        assert!(ids(&app.get("/api/v1/postings?view=own", Some(&gsb)).await).contains(&pid));
        assert!(!ids(&app.get("/api/v1/postings?view=own", Some(&kurum)).await).contains(&pid));
        app.get(&format!("/api/v1/postings/{pid}"), Some(&kurum)).await.problem(404, "posting.not_found");
        app.send(Method::POST, &format!("/api/v1/postings/{pid}/publish"), Some(&gsb), None).await.expect(200);
        assert_eq!(ids(&app.get(&format!("/api/v1/postings?institution_id={inst}"), None).await), vec![pid.clone()]);

        // Deactivated: no more logins; reactivated: logs in again.
        let r = app.send(Method::POST, &format!("/api/v1/admin/hr-accounts/{account}/deactivate"), Some(&admin), None).await;
        r.expect(200);
        assert_eq!(r.body["active"], false);
        app.send(Method::POST, &format!("/api/v1/admin/hr-accounts/{account}/deactivate"), Some(&admin), None).await.expect(200);
        app.post("/api/v1/auth/staff/login", None, json!({"username": "gsb.ik", "password": "Gsb2026Ik"})).await.problem(403, "auth.account_inactive");
        // The token issued before stops working at once, not when it expires.
        app.get("/api/v1/postings?view=own", Some(&gsb)).await.problem(401, "auth.account_inactive");
        app.post("/api/v1/postings", Some(&gsb), posting()).await.problem(401, "auth.account_inactive");
        let d = app.get(&format!("/api/v1/admin/institutions/{inst}"), Some(&admin)).await;
        assert_eq!(d.body["hr_accounts"][0]["active"], false);
        let r = app.send(Method::POST, &format!("/api/v1/admin/hr-accounts/{account}/activate"), Some(&admin), None).await;
        r.expect(200);
        assert_eq!(r.body["active"], true);
        app.post("/api/v1/auth/staff/login", None, json!({"username": "gsb.ik", "password": "Gsb2026Ik"})).await.expect(200);

        // The history tells it all, in Turkish.
        let h = app.get(&format!("/api/v1/admin/institutions/{inst}/history"), Some(&admin)).await;
        h.expect(200);
        let lines: Vec<(String, String)> = h.body["items"].as_array().unwrap().iter()
            .map(|e| (e["resource_kind"].as_str().unwrap().to_owned(), e["note"].as_str().unwrap().to_owned()))
            .collect();
        assert_eq!(lines, vec![
            ("institution".to_owned(), "Kurum Oluşturuldu: Gençlik ve Spor Bakanlığı (DETSİS 30001781)".to_owned()),
            ("staff_account".to_owned(), "İK Hesabı Açıldı: gsb.ik (Gençlik ve Spor Bakanlığı İnsan Kaynakları) — Gençlik ve Spor Bakanlığı".to_owned()),
            ("staff_account".to_owned(), "Hesap Pasifleştirildi: gsb.ik".to_owned()),
            ("staff_account".to_owned(), "Hesap Aktifleştirildi: gsb.ik".to_owned()),
        ]);
        assert_eq!(h.body["items"][2]["from_state"], "active");
        assert_eq!(h.body["items"][2]["to_state"], "inactive");
        assert_eq!(h.body["items"][2]["resource_id"], account.as_str());
        assert!(h.body["items"][0]["actor"].as_str().unwrap().starts_with("system_admin:"));
    }

    async fn names_and_usernames_are_unique_and_fields_validated(app) {
        let admin = app.staff_token("admin").await;
        // A name that folds to an existing (demo) institution's.
        let r = app.post("/api/v1/admin/institutions", Some(&admin), json!({"name": "HAZİNE VE MALİYE BAKANLIGI"})).await;
        r.problem(409, "institution.name_taken");
        let r = app.post("/api/v1/admin/institutions", Some(&admin), json!({"name": "Gençlik ve Spor Bakanlığı", "detsis_no": "30001781"})).await;
        r.expect(201);
        let inst = r.body["id"].as_str().unwrap().to_owned();
        app.post("/api/v1/admin/institutions", Some(&admin), json!({"name": "gençlik ve spor bakanlığı"})).await.problem(409, "institution.name_taken");
        app.post("/api/v1/admin/institutions", Some(&admin), json!({"name": "Başka Bir Kurum", "detsis_no": "30001781"})).await.problem(409, "institution.detsis_no_taken");
        for (body, field, code) in [
            (json!({"name": "ab"}), "name", "text.length"),
            (json!({"name": "a".repeat(201)}), "name", "text.length"),
            (json!({"name": "Geçerli Kurum", "detsis_no": "1234567"}), "detsis_no", "detsis.format"),
            (json!({"name": "Geçerli Kurum", "detsis_no": "1234567x"}), "detsis_no", "detsis.format"),
            (json!({"name": "Geçerli Kurum", "extra": 1}), "extra", "request.unknown_field"),
            (json!({}), "name", "request.missing_field"),
        ] {
            let r = app.post("/api/v1/admin/institutions", Some(&admin), body).await;
            r.problem(422, "validation.failed");
            assert_eq!((r.field(), r.body["errors"][0]["code"].as_str().unwrap()), (field, code), "{}", r.text);
        }

        let url = format!("/api/v1/admin/institutions/{inst}/hr-accounts");
        app.post(&url, Some(&admin), hr_body("gsb.ik")).await.expect(201);
        app.post(&url, Some(&admin), hr_body("GSB.IK")).await.problem(409, "staff.username_taken");
        // Taken by a demo account of another role or institution, too.
        app.post(&url, Some(&admin), hr_body("kurum.ik")).await.problem(409, "staff.username_taken");
        app.post(&url, Some(&admin), hr_body("admin")).await.problem(409, "staff.username_taken");
        let r = app.post(&url, Some(&admin), json!({"username": "gsb2.ik", "display_name": "Gençlik İK", "password": "kisaparola"})).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.field(), "password");
        assert_eq!(r.body["errors"][0]["code"], "password.too_weak");
        for (username, code) in [("ab", "staff.username_length"), ("gsb ik", "staff.username_invalid"), ("gençlik.ik", "staff.username_invalid"), ("gsb@ik", "staff.username_invalid")] {
            let r = app.post(&url, Some(&admin), hr_body(username)).await;
            r.problem(422, "validation.failed");
            assert_eq!((r.field(), r.body["errors"][0]["code"].as_str().unwrap()), ("username", code), "{username}");
        }
        // Every invalid field at once.
        let r = app.post(&url, Some(&admin), json!({"username": "x", "display_name": "", "password": "1"})).await;
        let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, vec!["username", "display_name", "password"]);
        let d = app.get(&format!("/api/v1/admin/institutions/{inst}"), Some(&admin)).await;
        assert_eq!(d.body["hr_accounts"].as_array().unwrap().len(), 1, "nothing half-written");
        assert_eq!(app.get("/api/v1/reference/institutions", None).await.body["total"], 3);
    }

    async fn only_a_system_admin_administers_institutions(app) {
        let admin = app.staff_token("admin").await;
        let citizen = app.citizen_token("10000000146").await;
        let hr = app.staff_token("kurum.ik").await;
        let province_admin = app.staff_token("ankara.valilik").await;
        let inst = app.get("/api/v1/reference/institutions?name=hazine", None).await.body["items"][0]["id"].as_str().unwrap().to_owned();
        let r = app.post(&format!("/api/v1/admin/institutions/{inst}/hr-accounts"), Some(&admin), hr_body("hazine3.ik")).await;
        r.expect(201);
        let account = r.body["id"].as_str().unwrap().to_owned();
        for token in [&citizen, &hr, &province_admin] {
            app.post("/api/v1/admin/institutions", Some(token), json!({"name": "Yetkisiz Kurum"})).await.problem(403, "institution.admin_only");
            app.get(&format!("/api/v1/admin/institutions/{inst}"), Some(token)).await.problem(403, "institution.admin_only");
            app.post(&format!("/api/v1/admin/institutions/{inst}/hr-accounts"), Some(token), hr_body("yetkisiz.ik")).await.problem(403, "institution.admin_only");
            app.send(Method::POST, &format!("/api/v1/admin/hr-accounts/{account}/deactivate"), Some(token), None).await.problem(403, "institution.admin_only");
            app.send(Method::POST, &format!("/api/v1/admin/hr-accounts/{account}/activate"), Some(token), None).await.problem(403, "institution.admin_only");
            app.get(&format!("/api/v1/admin/institutions/{inst}/history"), Some(token)).await.problem(403, "institution.admin_only");
        }
        app.post("/api/v1/admin/institutions", None, json!({"name": "Yetkisiz Kurum"})).await.problem(401, "auth.missing_token");
        assert_eq!(app.get("/api/v1/reference/institutions?name=yetkisiz", None).await.body["total"], 0);
        app.post("/api/v1/auth/staff/login", None, json!({"username": "hazine3.ik", "password": "Gsb2026Ik"})).await.expect(200);
        // The public list needs no token; a demo institution has no history yet, but exists.
        app.get("/api/v1/reference/institutions", None).await.expect(200);
        let aile = app.get("/api/v1/reference/institutions?name=aile", None).await.body["items"][0]["id"].as_str().unwrap().to_owned();
        let h = app.get(&format!("/api/v1/admin/institutions/{aile}/history"), Some(&admin)).await;
        h.expect(200);
        assert_eq!(h.body["total"], 0);
        let d = app.get(&format!("/api/v1/admin/institutions/{aile}"), Some(&admin)).await;
        assert_eq!(d.body["hr_accounts"][0]["username"], "kurum.ik");
    }

    async fn unknown_ids_and_other_roles_are_404(app) {
        let admin = app.staff_token("admin").await;
        let none = uuid::Uuid::now_v7();
        for id in [none.to_string(), "not-a-uuid".to_owned()] {
            app.get(&format!("/api/v1/admin/institutions/{id}"), Some(&admin)).await.problem(404, "institution.not_found");
            app.get(&format!("/api/v1/admin/institutions/{id}/history"), Some(&admin)).await.problem(404, "institution.not_found");
            app.post(&format!("/api/v1/admin/institutions/{id}/hr-accounts"), Some(&admin), hr_body("bos.ik")).await.problem(404, "institution.not_found");
            app.send(Method::POST, &format!("/api/v1/admin/hr-accounts/{id}/deactivate"), Some(&admin), None).await.problem(404, "staff.not_found");
            app.send(Method::POST, &format!("/api/v1/admin/hr-accounts/{id}/activate"), Some(&admin), None).await.problem(404, "staff.not_found");
        }
        // Only institution HR accounts are handled here: the admin's own account is not one.
        let me = app.get("/api/v1/auth/me", Some(&admin)).await;
        let admin_id = me.body["actor"]["scope"]["account_id"].as_str().unwrap_or_else(|| panic!("{}", me.text)).to_owned();
        app.send(Method::POST, &format!("/api/v1/admin/hr-accounts/{admin_id}/deactivate"), Some(&admin), None).await.problem(404, "staff.not_found");
        app.staff_token("admin").await;
    }

    async fn concurrent_creations_of_one_name_make_one_institution(app) {
        let admin = app.staff_token("admin").await;
        let futures: Vec<_> = (0..6)
            .map(|i| app.post("/api/v1/admin/institutions", Some(&admin), json!({"name": if i % 2 == 0 { "Eşzamanlı Kurum" } else { "EŞZAMANLI KURUM" }})))
            .collect();
        let results = kapi_tests::join_all(futures).await;
        let created = results.iter().filter(|r| r.status == 201).count();
        assert_eq!(created, 1, "{:?}", results.iter().map(|r| r.text.clone()).collect::<Vec<_>>());
        for r in results.iter().filter(|r| r.status != 201) {
            r.problem(409, "institution.name_taken");
        }
        assert_eq!(app.get("/api/v1/reference/institutions?name=eszamanli", None).await.body["total"], 1);
    }
}
