//! Açık Kapı desk users end to end: the province administrator registers Sorumlu and
//! Yetkili users of the province, searches, changes (If-Match), deactivates and exports
//! them; the officers log in with TCKN + mobile + SMS code; the refusals.

use actix_web::http::Method;
use actix_web::test::TestRequest;
use kapi_tests::{both_backends, json, otp_code, Resp};

const AYSE: &str = "10000000146";
const MEHMET: &str = "12345678950";
const ZEYNEP: &str = "23456789060";
const IBRAHIM: &str = "34567890170";

const USERS: &str = "/api/v1/admin/petition-users";
const MEB: &str = "55481037";
const SAGLIK: &str = "30005480";
const ALTINDAG: i32 = 6002;
const CANKAYA: i32 = 6007;

fn desk(tckn: &str, mobile: &str, districts: &[i32]) -> serde_json::Value {
    json!({
        "kind": "desk_officer", "tckn": tckn, "first_name": "Ayşe", "last_name": "Yılmaz",
        "mobile": mobile, "province": 6, "districts": districts
    })
}

fn unit(tckn: &str, mobile: &str, units: &[&str]) -> serde_json::Value {
    json!({
        "kind": "unit_officer", "tckn": tckn, "first_name": "İbrahim", "last_name": "Öztürk",
        "mobile": mobile, "province": 6, "units": units
    })
}

fn ids(r: &Resp) -> Vec<String> {
    r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_owned())
        .collect()
}

both_backends! {
    async fn register_search_and_get(app) {
        let admin = app.staff_token("ankara.valilik").await;
        let r = app.post(USERS, Some(&admin), desk(AYSE, "0532 100 01 01", &[CANKAYA, ALTINDAG])).await;
        r.expect(201);
        assert_eq!(r.header("etag").as_deref(), Some("\"1\""));
        let a = r.body["id"].as_str().unwrap().to_owned();
        assert_eq!(r.header("location").unwrap(), format!("{USERS}/{a}"));
        assert_eq!(r.body["kind"], "desk_officer");
        assert_eq!(r.body["mobile"], "5321000101");
        assert_eq!(r.body["province"], 6);
        assert_eq!(r.body["districts"], json!([ALTINDAG, CANKAYA]));
        assert_eq!(r.body["units"], json!([]));
        assert_eq!(r.body["active"], true);
        let mut none = desk(MEHMET, "5321000102", &[]);
        none["first_name"] = json!("Mehmet");
        none["last_name"] = json!("Demir");
        let b = app.post(USERS, Some(&admin), none).await;
        b.expect(201);
        assert_eq!(b.body["districts"], json!([]));
        let b = b.body["id"].as_str().unwrap().to_owned();
        let c = app.post(USERS, Some(&admin), unit(IBRAHIM, "5321000103", &[SAGLIK, MEB])).await;
        c.expect(201);
        assert_eq!(c.body["units"], json!([SAGLIK, MEB]));
        let c = c.body["id"].as_str().unwrap().to_owned();

        let all = app.get(USERS, Some(&admin)).await;
        all.expect(200);
        assert_eq!(all.body["total"], 3);
        assert_eq!((all.body["page"].as_u64(), all.body["per_page"].as_u64()), (Some(1), Some(15)));
        let search = |q: &str| format!("{USERS}?{q}");
        for (q, want) in [
            ("kind=desk_officer", vec![&a, &b]),
            ("kind=unit_officer", vec![&c]),
            (&format!("tckn={MEHMET}") as &str, vec![&b]),
            (&format!("unit={MEB}"), vec![&c]),
            (&format!("district={CANKAYA}"), vec![&a]),
            ("name=YILMAZ", vec![&a]),
            ("name=%C3%B6zt%C3%BCrk", vec![&c]),
            ("name=ibra", vec![&c]),
            ("mobile=05321000102", vec![&b]),
            ("kind=desk_officer&name=demir", vec![&b]),
            ("active=false", vec![]),
        ] {
            let r = app.get(&search(q), Some(&admin)).await;
            r.expect(200);
            let want: Vec<String> = want.into_iter().cloned().collect();
            assert_eq!(ids(&r), want, "{q}");
        }
        let paged = app.get(&search("per_page=2&page=2"), Some(&admin)).await;
        assert_eq!((paged.body["total"].as_u64(), ids(&paged).len()), (Some(3), 1));
        let r = app.get(&search("tckn=123"), Some(&admin)).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.field(), "tckn");
        app.get(&search("kind=mia"), Some(&admin)).await.problem(422, "validation.failed");

        let got = app.get(&format!("{USERS}/{c}"), Some(&admin)).await;
        got.expect(200);
        assert_eq!(got.header("etag").as_deref(), Some("\"1\""));
        assert_eq!(got.body["tckn"], IBRAHIM);
        assert_eq!(got.body["first_name"], "İbrahim");
        app.get(&format!("{USERS}/nope"), Some(&admin)).await.problem(404, "petition_user.not_found");
        app.get(&format!("{USERS}/{}", uuid::Uuid::now_v7()), Some(&admin)).await.problem(404, "petition_user.not_found");
    }

    async fn officers_log_in_with_an_sms_code(app) {
        let admin = app.staff_token("ankara.valilik").await;
        app.post(USERS, Some(&admin), desk(AYSE, "5321000201", &[ALTINDAG, CANKAYA])).await.expect(201);
        app.post(USERS, Some(&admin), unit(IBRAHIM, "5321000203", &[MEB, SAGLIK])).await.expect(201);

        // Wrong mobile, unknown TCKN: "Aktif Kullanıcı Bulunamadı"; no SMS.
        let r = app.post("/api/v1/auth/petition-officer/otp", None, json!({"tckn": AYSE, "mobile": "5321000299"})).await;
        r.problem(404, "petition_user.not_found");
        assert_eq!(r.body["detail"], "Aktif Kullanıcı Bulunamadı");
        app.post("/api/v1/auth/petition-officer/otp", None, json!({"tckn": ZEYNEP, "mobile": "5321000201"})).await
            .problem(404, "petition_user.not_found");
        let outbox = app.get("/api/v1/dev/outbox?recipient=5321000299", None).await;
        assert_eq!(outbox.body.as_array().unwrap().len(), 0);
        let r = app.post("/api/v1/auth/petition-officer/otp", None, json!({"tckn": "10000000147", "mobile": "123"})).await;
        r.problem(422, "validation.failed");
        let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["tckn", "mobile"]);

        // The Sorumlu: wrong code, then the right one.
        let r = app.post("/api/v1/auth/petition-officer/otp", None, json!({"tckn": AYSE, "mobile": "0532 100 02 01"})).await;
        r.expect(201);
        assert_eq!(r.body["destination"], "******0201");
        assert!(r.body["expires_at"].is_string());
        let challenge = r.body["challenge_id"].as_str().unwrap().to_owned();
        let code = otp_code(&app.get("/api/v1/dev/outbox?recipient=5321000201", None).await);
        let wrong = if code == "000000" { "111111" } else { "000000" };
        let r = app.post("/api/v1/auth/petition-officer/login", None, json!({"challenge_id": challenge, "tckn": AYSE, "code": wrong})).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.body["errors"][0]["code"], "otp.wrong_code");
        // Another TCKN cannot use the challenge.
        app.post("/api/v1/auth/petition-officer/login", None, json!({"challenge_id": challenge, "tckn": IBRAHIM, "code": code})).await
            .problem(404, "otp.not_found");
        let r = app.post("/api/v1/auth/petition-officer/login", None, json!({"challenge_id": challenge, "tckn": AYSE, "code": code})).await;
        r.expect(200);
        assert_eq!(r.body["actor"]["kind"], "desk_officer");
        assert_eq!(r.body["actor"]["scope"]["province"], 6);
        assert_eq!(r.body["actor"]["scope"]["districts"], json!([ALTINDAG, CANKAYA]));
        assert_eq!(r.body["display_name"], "Ayşe Yılmaz");
        let token = r.body["access_token"].as_str().unwrap().to_owned();
        let me = app.get("/api/v1/auth/me", Some(&token)).await;
        assert_eq!(me.body["actor"]["kind"], "desk_officer");
        // An officer is no administrator.
        app.get(USERS, Some(&token)).await.problem(403, "petition_user.admin_only");
        app.post("/api/v1/auth/petition-officer/login", None, json!({"challenge_id": challenge, "tckn": AYSE, "code": code})).await
            .problem(409, "otp.already_used");

        // The Yetkili.
        let r = app.post("/api/v1/auth/petition-officer/otp", None, json!({"tckn": IBRAHIM, "mobile": "5321000203"})).await;
        r.expect(201);
        let challenge = r.body["challenge_id"].as_str().unwrap().to_owned();
        let code = otp_code(&app.get("/api/v1/dev/outbox?recipient=5321000203", None).await);
        let r = app.post("/api/v1/auth/petition-officer/login", None, json!({"challenge_id": challenge, "tckn": IBRAHIM, "code": code})).await;
        r.expect(200);
        assert_eq!(r.body["actor"]["kind"], "unit_officer");
        assert_eq!(r.body["actor"]["scope"]["province"], 6);
        assert_eq!(r.body["actor"]["scope"]["units"], json!([SAGLIK, MEB]));
    }

    async fn update_with_if_match_and_deactivate(app) {
        let admin = app.staff_token("ankara.valilik").await;
        let r = app.post(USERS, Some(&admin), desk(AYSE, "5321000301", &[ALTINDAG])).await;
        let id = r.body["id"].as_str().unwrap().to_owned();
        let path = format!("{USERS}/{id}");
        let patch = |body: serde_json::Value, etag: Option<&str>| {
            let mut req = TestRequest::patch().uri(&path)
                .insert_header(("Authorization", format!("Bearer {admin}"))).set_json(body);
            if let Some(e) = etag {
                req = req.insert_header(("If-Match", e.to_owned()));
            }
            req
        };
        let r = app.call(patch(json!({"first_name": "Ayşe Nur", "mobile": "5321000311", "districts": [CANKAYA]}), Some("\"1\""))).await;
        r.expect(200);
        assert_eq!(r.header("etag").as_deref(), Some("\"2\""));
        assert_eq!((r.body["first_name"].as_str(), r.body["mobile"].as_str()), (Some("Ayşe Nur"), Some("5321000311")));
        assert_eq!(r.body["districts"], json!([CANKAYA]));
        app.call(patch(json!({"last_name": "Eski"}), Some("\"1\""))).await.problem(412, "precondition.version_mismatch");
        let r = app.call(patch(json!({"units": [MEB], "mobile": "0312 123 45 67", "districts": [34001]}), None)).await;
        r.problem(422, "validation.failed");
        let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        assert_eq!(fields, ["mobile", "units", "districts[0]"]);
        app.call(patch(json!({"tckn": MEHMET}), None)).await.problem(422, "validation.failed");

        // The changed districts apply at the next login (the new mobile gets the code).
        app.post("/api/v1/auth/petition-officer/otp", None, json!({"tckn": AYSE, "mobile": "5321000301"})).await
            .problem(404, "petition_user.not_found");
        let r = app.post("/api/v1/auth/petition-officer/otp", None, json!({"tckn": AYSE, "mobile": "5321000311"})).await;
        let challenge = r.body["challenge_id"].as_str().unwrap().to_owned();
        let code = otp_code(&app.get("/api/v1/dev/outbox?recipient=5321000311", None).await);
        let r = app.post("/api/v1/auth/petition-officer/login", None, json!({"challenge_id": challenge, "tckn": AYSE, "code": code})).await;
        assert_eq!(r.body["actor"]["scope"]["districts"], json!([CANKAYA]));

        // A code asked for before deactivation does not log in after it.
        let r = app.post("/api/v1/auth/petition-officer/otp", None, json!({"tckn": AYSE, "mobile": "5321000311"})).await;
        r.expect(201);
        let challenge = r.body["challenge_id"].as_str().unwrap().to_owned();
        let code = otp_code(&app.get("/api/v1/dev/outbox?recipient=5321000311", None).await);
        let del = |etag: &str| TestRequest::delete().uri(&path)
            .insert_header(("Authorization", format!("Bearer {admin}")))
            .insert_header(("If-Match", etag.to_owned()));
        app.call(del("\"1\"")).await.problem(412, "precondition.version_mismatch");
        app.call(del("\"2\"")).await.expect(204);
        let r = app.post("/api/v1/auth/petition-officer/login", None, json!({"challenge_id": challenge, "tckn": AYSE, "code": code})).await;
        r.problem(404, "petition_user.not_found");
        assert_eq!(r.body["detail"], "Aktif Kullanıcı Bulunamadı");
        app.post("/api/v1/auth/petition-officer/otp", None, json!({"tckn": AYSE, "mobile": "5321000311"})).await
            .problem(404, "petition_user.not_found");

        // Kept, with its history; not in the default search; no more changes.
        let got = app.get(&path, Some(&admin)).await;
        assert_eq!((got.body["active"].as_bool(), got.body["version"].as_i64()), (Some(false), Some(3)));
        assert_eq!(app.get(USERS, Some(&admin)).await.body["total"], 0);
        assert_eq!(app.get(&format!("{USERS}?active=false"), Some(&admin)).await.body["total"], 1);
        app.call(patch(json!({"first_name": "Ayşe"}), None)).await.problem(409, "petition_user.inactive");
        app.send(Method::DELETE, &path, Some(&admin), None).await.problem(409, "petition_user.inactive");
        let h = app.get(&format!("{path}/history"), Some(&admin)).await;
        h.expect(200);
        let states: Vec<(serde_json::Value, serde_json::Value)> = h.body["items"].as_array().unwrap().iter()
            .map(|e| (e["from_state"].clone(), e["to_state"].clone())).collect();
        assert_eq!(states, vec![
            (json!(null), json!("active")),
            (json!("active"), json!("active")),
            (json!("active"), json!("inactive")),
        ]);
        assert!(h.body["items"][0]["actor"].as_str().unwrap().starts_with("province_admin:"));
        assert_eq!(h.body["items"][1]["note"], "Güncellendi: ad: Ayşe → Ayşe Nur; cep telefonu: ******0301 → ******0311; ilçeler: 6002 → 6007");

        // The person may be registered again, now as a Yetkili.
        app.post(USERS, Some(&admin), unit(AYSE, "5321000301", &[MEB])).await.expect(201);
    }

    async fn export_is_an_excel_file(app) {
        let admin = app.staff_token("ankara.valilik").await;
        let r = app.get(&format!("{USERS}/export"), Some(&admin)).await;
        r.problem(404, "report.no_records");
        assert_eq!(r.body["detail"], "Girdiğiniz kriterlere uygun kayıt bulunamadı.");
        app.post(USERS, Some(&admin), desk(AYSE, "5321000401", &[ALTINDAG, CANKAYA])).await.expect(201);
        app.post(USERS, Some(&admin), unit(IBRAHIM, "5321000403", &[MEB, SAGLIK])).await.expect(201);
        let r = app.get(&format!("{USERS}/export"), Some(&admin)).await;
        r.expect(200);
        assert_eq!(r.header("content-type").as_deref(), Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"));
        assert!(r.header("content-disposition").unwrap().contains(".xlsx"));
        assert!(r.raw.starts_with(b"PK"));
        app.get(&format!("{USERS}/export?kind=unit_officer&unit={MEB}"), Some(&admin)).await.expect(200);
        app.get(&format!("{USERS}/export?district=6001"), Some(&admin)).await.problem(404, "report.no_records");
        let citizen = app.citizen_token(AYSE).await;
        app.get(&format!("{USERS}/export"), Some(&citizen)).await.problem(403, "petition_user.admin_only");
    }

    async fn refusals(app) {
        let admin = app.staff_token("ankara.valilik").await;
        let r = app.post(USERS, Some(&admin), desk(AYSE, "5321000501", &[ALTINDAG])).await;
        let id = r.body["id"].as_str().unwrap().to_owned();

        // Another province's administrator neither sees ours nor registers into Ankara.
        let istanbul = app.staff_token("istanbul.valilik").await;
        app.get(&format!("{USERS}/{id}"), Some(&istanbul)).await.problem(404, "petition_user.not_found");
        app.get(&format!("{USERS}/{id}/history"), Some(&istanbul)).await.problem(404, "petition_user.not_found");
        app.send(Method::PATCH, &format!("{USERS}/{id}"), Some(&istanbul), Some(json!({"first_name": "Ele"}))).await
            .problem(404, "petition_user.not_found");
        app.send(Method::DELETE, &format!("{USERS}/{id}"), Some(&istanbul), None).await.problem(404, "petition_user.not_found");
        assert_eq!(app.get(USERS, Some(&istanbul)).await.body["total"], 0);
        let r = app.post(USERS, Some(&istanbul), desk(MEHMET, "5321000502", &[])).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.field(), "province");
        assert_eq!(r.body["errors"][0]["code"], "petition_user.other_province");
        let mut ist = desk(MEHMET, "5321000502", &[34001]);
        ist["province"] = json!(34);
        app.post(USERS, Some(&istanbul), ist).await.expect(201);
        assert_eq!(app.get(USERS, Some(&admin)).await.body["total"], 1, "İstanbul's user is not ours");

        // Not a province administrator: 403; no token: 401.
        let citizen = app.citizen_token(ZEYNEP).await;
        app.post(USERS, Some(&citizen), desk(ZEYNEP, "5321000503", &[])).await.problem(403, "petition_user.admin_only");
        app.get(USERS, Some(&citizen)).await.problem(403, "petition_user.admin_only");
        app.get(&format!("{USERS}/{id}"), Some(&citizen)).await.problem(403, "petition_user.admin_only");
        let sysadmin = app.staff_token("admin").await;
        app.get(USERS, Some(&sysadmin)).await.problem(403, "petition_user.admin_only");
        let mia = app.staff_token("ankara.mia").await;
        app.get(USERS, Some(&mia)).await.problem(403, "petition_user.admin_only");
        app.get(USERS, None).await.problem(401, "auth.missing_token");

        // Invalid fields, all at once.
        let r = app.post(USERS, Some(&admin), json!({
            "kind": "desk_officer", "tckn": "10000000147", "first_name": "A", "last_name": "Yılmaz",
            "mobile": "0312 123 45 67", "province": 6, "districts": [99999, 34001]
        })).await;
        r.problem(422, "validation.failed");
        let errs: Vec<(&str, &str)> = r.body["errors"].as_array().unwrap().iter()
            .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap())).collect();
        assert_eq!(errs, vec![
            ("tckn", "tckn.checksum"),
            ("first_name", "name.too_short"),
            ("mobile", "phone.format"),
            ("districts[0]", "district.unknown"),
            ("districts[1]", "petition_user.district_other_province"),
        ]);
        let r = app.post(USERS, Some(&admin), unit(ZEYNEP, "5321000503", &["30014659", "99999999"])).await;
        let errs: Vec<(&str, &str)> = r.body["errors"].as_array().unwrap().iter()
            .map(|e| (e["field"].as_str().unwrap(), e["code"].as_str().unwrap())).collect();
        assert_eq!(errs, vec![("units[0]", "petition_user.unit_other_province"), ("units[1]", "detsis.unknown")]);
        let r = app.post(USERS, Some(&admin), unit(ZEYNEP, "5321000503", &[])).await;
        assert_eq!((r.field(), r.body["errors"][0]["code"].as_str()), ("units", Some("petition_user.units_required")));
        let mut d = desk(ZEYNEP, "5321000503", &[]);
        d["units"] = json!([MEB]);
        let r = app.post(USERS, Some(&admin), d).await;
        assert_eq!((r.field(), r.body["errors"][0]["code"].as_str()), ("units", Some("petition_user.units_not_allowed")));
        let mut u = unit(ZEYNEP, "5321000503", &[MEB]);
        u["districts"] = json!([ALTINDAG]);
        let r = app.post(USERS, Some(&admin), u).await;
        assert_eq!(r.field(), "districts");
        let mut k = desk(ZEYNEP, "5321000503", &[]);
        k["kind"] = json!("mia");
        let r = app.post(USERS, Some(&admin), k).await;
        assert_eq!(r.field(), "kind");
        assert_eq!(app.get(USERS, Some(&admin)).await.body["total"], 1, "nothing half-written");

        // One active registration per person, whatever the kind.
        app.post(USERS, Some(&admin), desk(AYSE, "5321000509", &[])).await.problem(409, "petition_user.already_registered");
        app.post(USERS, Some(&admin), unit(AYSE, "5321000501", &[MEB])).await.problem(409, "petition_user.already_registered");
        app.post(USERS, Some(&istanbul), {
            let mut x = desk(AYSE, "5321000501", &[]);
            x["province"] = json!(34);
            x
        }).await.problem(409, "petition_user.already_registered");
    }
}
