//! İŞKUR labour demands end to end (issue 4's done-when): an employer registers, adds a
//! user, opens a demand; job seekers find it by every search mode and apply; the employer
//! selects, invites, records results and downloads all four reports in both formats.
//! Refusals: another employer (404), missing permission (403), cancel after an invitation,
//! applying to a closed demand, applying when unsuitable, the last application date on
//! both sides.

use actix_web::http::Method;
use kapi_tests::{both_backends, json};
use serde_json::Value;

const AYSE: &str = "10000000146";
const MEHMET: &str = "12345678950"; // born 1979-09-30
const ZEYNEP: &str = "23456789060"; // born 1992-01-05
const IBRAHIM: &str = "34567890170"; // born 1968-11-23
const GULSEN: &str = "45678901280";

fn profile(licence: bool) -> Value {
    let mut p = json!({
        "occupations": ["8344.01"],
        "education": [{"level": "high_school", "graduated_on": "1998-06-15"}],
        "licences": [],
        "languages": [{"language": "en", "level": "basic"}],
        "military_status": "completed",
        "province": 6,
        "district_code": 6007
    });
    if licence {
        p["licences"] = json!([{"class": "B", "issued_on": "2005-01-10"}]);
    }
    p
}

fn detailed(workplace: &str, last: &str) -> Value {
    json!({
        "workplace_id": workplace,
        "occupation_code": "8344.01",
        "worker_count": 1,
        "last_application_date": last,
        "requirements": {"min_education": "high_school", "max_age": 50, "licences": ["B"], "military": "completed_or_exempt"},
        "details": {
            "position": "Forklift Operatörü",
            "field": "Lojistik ve Depolama",
            "description": "Şanlıurfa yolu deposunda vardiyalı çalışacak operatör",
            "work_type": "full_time", "shift": "shifts", "weekly_hours": 45,
            "benefits": ["meal", "transport"], "wage_kurus": 3500000,
            "interview_address": "Genel Müdürlük, Çankaya"
        }
    })
}

async fn clock<S, B>(app: &kapi_tests::TestApp<S>, at: &str)
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    app.send(
        Method::PUT,
        "/api/v1/dev/clock",
        None,
        Some(json!({"at": at})),
    )
    .await
    .expect(200);
}

both_backends! {
    async fn employer_demand_search_apply_select_interview_and_reports(app) {
        clock(&app, "2026-03-10T06:00:00Z").await;
        let m = app.register_employer(AYSE, "123456789", 1).await;
        let employer = m["employer"]["id"].as_str().unwrap().to_owned();
        let head = m["head_office"]["id"].as_str().unwrap().to_owned();
        let admin = app.employer_token(AYSE, None).await;
        app.post(&format!("/api/v1/employers/{employer}/users"), Some(&admin),
            json!({"tckn": GULSEN, "permissions": {"labour_demand": true, "reports": true}})).await.expect(201);
        let clerk = app.employer_token(GULSEN, Some(&employer)).await;

        // A detailed demand and a quick one.
        let r = app.post("/api/v1/labour-demands", Some(&clerk), detailed(&head, "2026-04-30")).await;
        r.expect(201);
        assert_eq!(r.header("etag").as_deref(), Some("\"1\""));
        let demand = r.body["id"].as_str().unwrap().to_owned();
        let talep = r.body["talep_no"].as_i64().unwrap();
        assert_eq!(r.body["status"], "active");
        assert_eq!(r.body["occupation_name"], "Forklift Operatörü");
        assert_eq!(r.body["details"]["work_address"]["district_code"], 6007, "the workplace's address by default");
        let q = app.post("/api/v1/labour-demands/quick", Some(&clerk), json!({
            "workplace_id": head, "occupation_code": "4110.01", "worker_count": 3, "last_application_date": "2026-04-30"
        })).await;
        q.expect(201);
        let quick = q.body["id"].as_str().unwrap().to_owned();
        let quick_talep = q.body["talep_no"].as_i64().unwrap();
        assert_eq!(quick_talep, talep + 1);
        assert_eq!(q.body["details"]["position"], "Büro Elemanı");

        // Every search mode finds the forklift demand (and the keyword search uses the fold).
        let searches = [
            "mode=province_district&province=6&district_code=6007".to_owned(),
            "mode=province_occupation&province=6&occupation_code=8344.01".to_owned(),
            "mode=province_occupation_target&province=6&occupation_code=8344.01&target_group=general".to_owned(),
            "mode=quick&province=6&sector=private&work_type=full_time&target_group=general&work_location=domestic".to_owned(),
            "mode=detailed&province=6&district_code=6007&occupation_code=8344.01&position=FORKL%C4%B0FT&field=lojistik&employer_title=i%CC%87sveren%20123".to_owned(),
            format!("mode=talep_no&talep_no={talep}"),
            "mode=keyword&q=%C5%9EANLIURFA%20forklift".to_owned(),
        ];
        for s in &searches {
            let r = app.get(&format!("/api/v1/open-jobs?{s}"), None).await;
            r.expect(200);
            let found: Vec<i64> = r.body["items"].as_array().unwrap().iter().map(|i| i["talep_no"].as_i64().unwrap()).collect();
            assert!(found.contains(&talep), "{s}: {}", r.text);
            assert!(!found.contains(&quick_talep) || s.starts_with("mode=province_district") || s.starts_with("mode=quick"), "{s}");
            assert_eq!(r.body["per_page"], 15);
        }
        // The keyword search plans by how common each word is (a rare word's demands as
        // candidates, or every demand in result order tested per word): both plans find
        // the same adverts, counted the same.
        for words in [&["sanliurfa", "forklift"][..], &["forkl"], &["bur"], &["forklift", "yok"], &["elemani"]] {
            let q = kapi_labour_demand::search::OpenJobQuery {
                keywords: words.iter().map(|w| w.to_string()).collect(),
                ..Default::default()
            };
            let mut plans = Vec::new();
            for rare in [5_000, 0] {
                let q = q.clone();
                let page = app.state.db.read(move |c| {
                    use kapi_labour_demand::demands::DemandStore;
                    kapi_persistence::labour_demands::DemandRepo::new(c)
                        .with_rare_word_entries(rare)
                        .search_open(&q, time::macros::date!(2026 - 03 - 10), kapi_core::PageRequest::new(None, None)?)
                }).unwrap();
                let found: Vec<i64> = page.items.iter().map(|d| d.talep_no).collect();
                plans.push((found, page.total, page.total_capped));
            }
            assert_eq!(plans[0], plans[1], "{words:?}");
            let found = &plans[0].0;
            match words[0] {
                "sanliurfa" | "forkl" => assert!(found.contains(&talep), "{words:?}"),
                "bur" | "elemani" => assert!(found.contains(&quick_talep), "{words:?}"),
                _ => assert!(found.is_empty(), "{words:?}"),
            }
        }
        app.get("/api/v1/open-jobs?mode=province_occupation&province=6", None).await
            .problem(422, "validation.failed");
        let r = app.get("/api/v1/open-jobs?mode=keyword&q=forklift&province=6", None).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.body["errors"][0]["code"], "search.criterion_not_in_mode");
        let advert = app.get(&format!("/api/v1/open-jobs/{talep}"), None).await;
        advert.expect(200);
        assert_eq!(advert.body["position"], "Forklift Operatörü");
        assert_eq!(advert.body["requirements"]["licences"], json!(["B"]));
        assert_eq!(advert.body["apply_url"], format!("/api/v1/open-jobs/{talep}/applications"));

        // Job seekers: Mehmet suits, İbrahim is too old and has no licence, Zeynep suits.
        for (who, licence) in [(MEHMET, true), (IBRAHIM, false), (ZEYNEP, true)] {
            let t = app.citizen_token(who).await;
            let r = app.send(Method::PUT, "/api/v1/job-seekers/me", Some(&t), Some(profile(licence))).await;
            r.expect(200);
        }
        let mehmet = app.citizen_token(MEHMET).await;
        let me = app.get("/api/v1/job-seekers/me", Some(&mehmet)).await;
        me.expect(200);
        assert_eq!((me.body["first_name"].as_str(), me.body["birth_date"].as_str()), (Some("Mehmet"), Some("1979-09-30")));
        let r = app.post(&format!("/api/v1/open-jobs/{talep}/applications"), Some(&mehmet), json!({})).await;
        r.expect(201);
        assert_eq!(r.body["origin"], "applied");
        app.post(&format!("/api/v1/open-jobs/{talep}/applications"), Some(&mehmet), json!({})).await
            .problem(409, "candidate.already_listed");
        let ibrahim = app.citizen_token(IBRAHIM).await;
        let r = app.post(&format!("/api/v1/open-jobs/{talep}/applications"), Some(&ibrahim), json!({})).await;
        r.problem(422, "eligibility.not_met");
        let codes: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
        assert_eq!(codes, ["eligibility.too_old", "eligibility.licence"]);

        // Eleman Seç: Zeynep is suitable and not listed yet; İbrahim is not offered.
        let r = app.get(&format!("/api/v1/labour-demands/{demand}/matches"), Some(&clerk)).await;
        r.expect(200);
        let offered: Vec<&str> = r.body["items"].as_array().unwrap().iter().map(|i| i["tckn"].as_str().unwrap()).collect();
        assert_eq!(offered, [ZEYNEP]);
        assert_eq!(r.body["items"][0]["score"], 70);
        let r = app.post(&format!("/api/v1/labour-demands/{demand}/candidates"), Some(&clerk), json!({"tckns": [IBRAHIM]})).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.body["errors"][0]["field"], "tckns[0].requirements.max_age");
        app.post(&format!("/api/v1/labour-demands/{demand}/candidates"), Some(&clerk), json!({"tckns": ["12345678901"]})).await
            .problem(422, "validation.failed");
        app.post(&format!("/api/v1/labour-demands/{demand}/candidates"), Some(&clerk), json!({"tckns": [ZEYNEP]})).await.expect(201);
        let list = app.get(&format!("/api/v1/labour-demands/{demand}/candidates"), Some(&clerk)).await;
        list.expect(200);
        let items = list.body["items"].as_array().unwrap().clone();
        assert_eq!(items.len(), 2);
        assert_eq!((items[0]["origin"].as_str(), items[1]["origin"].as_str()), (Some("applied"), Some("selected")));
        let mehmet_c = items[0]["id"].as_str().unwrap().to_owned();
        let zeynep_c = items[1]["id"].as_str().unwrap().to_owned();
        let cand = |c: &str, what: &str| format!("/api/v1/labour-demands/{demand}/candidates/{c}/{what}");

        // Invite both; from now on the demand cannot be cancelled.
        let r = app.post(&cand(&mehmet_c, "invitation"), Some(&clerk), json!({"interview_at": "2026-03-12T10:00:00+03:00", "place": "Genel Müdürlük"})).await;
        r.expect(200);
        assert_eq!(r.body["stage"], "invited");
        app.post(&cand(&zeynep_c, "invitation"), Some(&clerk), json!({"interview_at": "2026-03-12T11:00:00+03:00"})).await.expect(200);
        app.post(&cand(&mehmet_c, "invitation"), Some(&clerk), json!({"interview_at": "2026-03-01T10:00:00+03:00"})).await
            .problem(422, "validation.failed");
        app.post(&cand(&mehmet_c, "answer"), Some(&clerk), json!({"answer": "accepted"})).await.expect(200);
        app.post(&cand(&zeynep_c, "answer"), Some(&clerk), json!({"answer": "declined"})).await.expect(200);
        app.post(&format!("/api/v1/labour-demands/{demand}/cancel"), Some(&clerk), json!({})).await
            .problem(409, "labour_demand.candidates_invited");
        // A result before the interview time is refused; at it, accepted.
        app.post(&cand(&mehmet_c, "result"), Some(&clerk), json!({"result": "hired"})).await
            .problem(409, "candidate.interview_not_held");
        clock(&app, "2026-03-12T08:00:00Z").await;
        let clerk = app.employer_token(GULSEN, Some(&employer)).await;
        let mehmet = app.citizen_token(MEHMET).await;
        app.post(&cand(&zeynep_c, "result"), Some(&clerk), json!({"result": "hired"})).await
            .problem(409, "candidate.invitation_declined");
        app.post(&cand(&zeynep_c, "result"), Some(&clerk), json!({"result": "no_show", "note": "Gelmedi"})).await.expect(200);
        let r = app.post(&cand(&mehmet_c, "result"), Some(&clerk), json!({"result": "hired"})).await;
        r.expect(200);
        assert_eq!(r.body["demand"]["status"], "closed", "one worker asked, one hired");
        assert_eq!(r.body["demand"]["close_reason"], "filled");
        assert_eq!(r.body["demand"]["hired_count"], 1);
        app.get(&format!("/api/v1/open-jobs/{talep}"), None).await.problem(404, "open_job.not_found");
        let mine = app.get("/api/v1/job-seekers/me/applications", Some(&mehmet)).await;
        mine.expect(200);
        assert_eq!(mine.body["items"][0]["result"], "hired");
        assert_eq!(mine.body["items"][0]["demand_status"], "closed");

        // Applying to a closed demand.
        app.post(&format!("/api/v1/labour-demands/{quick}/close"), Some(&clerk), json!({"reason": "other"})).await
            .problem(422, "validation.failed");
        app.post(&format!("/api/v1/labour-demands/{quick}/close"), Some(&clerk), json!({"reason": "other", "note": "Vazgeçildi"})).await.expect(200);
        app.post(&format!("/api/v1/open-jobs/{quick_talep}/applications"), Some(&mehmet), json!({})).await
            .problem(409, "labour_demand.not_active");

        // All four reports in both formats.
        for kind in ["selection", "referral", "interview", "result"] {
            for (format, magic, media) in [("pdf", &b"%PDF"[..], "application/pdf"), ("xlsx", &b"PK"[..], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")] {
                let r = app.get(&format!("/api/v1/labour-demand-reports/{kind}?format={format}&talep_no={talep}"), Some(&clerk)).await;
                r.expect(200);
                assert_eq!(r.header("content-type").as_deref(), Some(media));
                assert!(r.header("content-disposition").unwrap().contains(&format!(".{format}")));
                assert!(r.raw.starts_with(magic), "{kind} {format}");
            }
        }
        let r = app.get("/api/v1/labour-demand-reports/interview?format=pdf&from=2026-04-01", Some(&clerk)).await;
        r.problem(404, "report.no_records");
        assert_eq!(r.body["detail"], "Girdiğiniz kriterlere uygun kayıt bulunamadı.");
        app.get("/api/v1/labour-demand-reports/selection?format=doc", Some(&clerk)).await.problem(422, "validation.failed");
        app.get("/api/v1/labour-demand-reports/everything?format=pdf", Some(&clerk)).await.problem(404, "report.unknown");

        // History of the demand.
        let h = app.get(&format!("/api/v1/labour-demands/{demand}/history"), Some(&clerk)).await;
        h.expect(200);
        let states: Vec<&str> = h.body["items"].as_array().unwrap().iter().map(|e| e["to_state"].as_str().unwrap()).collect();
        assert_eq!(states, ["active", "closed"]);
    }

    async fn another_employer_and_missing_permissions_are_refused(app) {
        clock(&app, "2026-03-10T06:00:00Z").await;
        let a = app.register_employer(AYSE, "123456789", 1).await;
        let a_employer = a["employer"]["id"].as_str().unwrap().to_owned();
        let a_head = a["head_office"]["id"].as_str().unwrap().to_owned();
        let a_token = app.employer_token(AYSE, None).await;
        let d = app.post("/api/v1/labour-demands", Some(&a_token), detailed(&a_head, "2026-04-30")).await;
        d.expect(201);
        let demand = d.body["id"].as_str().unwrap().to_owned();
        let talep = d.body["talep_no"].as_i64().unwrap();
        let mehmet = app.citizen_token(MEHMET).await;
        app.send(Method::PUT, "/api/v1/job-seekers/me", Some(&mehmet), Some(profile(true))).await.expect(200);
        app.post(&format!("/api/v1/open-jobs/{talep}/applications"), Some(&mehmet), json!({})).await.expect(201);
        let c = app.get(&format!("/api/v1/labour-demands/{demand}/candidates"), Some(&a_token)).await;
        let cand = c.body["items"][0]["id"].as_str().unwrap().to_owned();
        app.post(&format!("/api/v1/labour-demands/{demand}/candidates/{cand}/invitation"), Some(&a_token),
            json!({"interview_at": "2026-03-20T10:00:00+03:00"})).await.expect(200);

        // Employer B sees none of it.
        app.register_employer(IBRAHIM, "987654321", 2).await;
        let b = app.employer_token(IBRAHIM, None).await;
        for path in [
            format!("/api/v1/labour-demands/{demand}"),
            format!("/api/v1/labour-demands/{demand}/history"),
            format!("/api/v1/labour-demands/{demand}/candidates"),
            format!("/api/v1/labour-demands/{demand}/matches"),
        ] {
            app.get(&path, Some(&b)).await.problem(404, "labour_demand.not_found");
        }
        app.send(Method::PUT, &format!("/api/v1/labour-demands/{demand}"), Some(&b), Some(detailed(&a_head, "2026-04-30"))).await
            .problem(404, "labour_demand.not_found");
        app.post(&format!("/api/v1/labour-demands/{demand}/close"), Some(&b), json!({"reason": "filled"})).await
            .problem(404, "labour_demand.not_found");
        app.post(&format!("/api/v1/labour-demands/{demand}/candidates"), Some(&b), json!({"tckns": [ZEYNEP]})).await
            .problem(404, "labour_demand.not_found");
        app.post(&format!("/api/v1/labour-demands/{demand}/candidates/{cand}/result"), Some(&b), json!({"result": "hired"})).await
            .problem(404, "labour_demand.not_found");
        let r = app.post("/api/v1/labour-demands", Some(&b), detailed(&a_head, "2026-04-30")).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.field(), "workplace_id");
        let list = app.get("/api/v1/labour-demands", Some(&b)).await;
        assert_eq!(list.body["total"], 0);
        app.get(&format!("/api/v1/labour-demand-reports/selection?format=pdf&talep_no={talep}"), Some(&b)).await
            .problem(404, "report.no_records");
        app.get(&format!("/api/v1/labour-demand-reports/referral?format=xlsx&talep_no={talep}"), Some(&b)).await
            .problem(404, "report.no_records");

        // A user without the labour-demand flag, and then locked; citizens; İŞKUR staff read only.
        app.post(&format!("/api/v1/employers/{a_employer}/users"), Some(&a_token),
            json!({"tckn": GULSEN, "permissions": {"workforce_chart": true}})).await.expect(201);
        let clerk = app.employer_token(GULSEN, Some(&a_employer)).await;
        app.get(&format!("/api/v1/labour-demands/{demand}"), Some(&clerk)).await.problem(403, "labour_demand.permission_missing");
        app.get("/api/v1/labour-demand-reports/selection?format=pdf", Some(&clerk)).await.problem(403, "report.permission_missing");
        app.send(Method::PATCH, &format!("/api/v1/employers/{a_employer}/users/{GULSEN}"), Some(&a_token),
            Some(json!({"permissions": {"labour_demand": true}, "locked": true}))).await.expect(200);
        let r = app.get(&format!("/api/v1/labour-demands/{demand}"), Some(&clerk)).await;
        assert!(r.status == 401 || r.status == 403, "{}", r.text);
        app.get(&format!("/api/v1/labour-demands/{demand}"), Some(&mehmet)).await.problem(403, "labour_demand.employers_only");
        app.post("/api/v1/labour-demands", Some(&mehmet), detailed(&a_head, "2026-04-30")).await.problem(403, "labour_demand.employers_only");
        let staff = app.staff_token("iskur.ankara").await;
        app.get(&format!("/api/v1/labour-demands/{demand}"), Some(&staff)).await.expect(200);
        app.post(&format!("/api/v1/labour-demands/{demand}/cancel"), Some(&staff), json!({})).await.expect(403);
        app.get("/api/v1/job-seekers/me", Some(&a_token)).await.problem(403, "job_seeker.citizens_only");

        // Cancel after an invitation is refused; a fresh demand cancels.
        app.post(&format!("/api/v1/labour-demands/{demand}/cancel"), Some(&a_token), json!({})).await
            .problem(409, "labour_demand.candidates_invited");
        let fresh = app.post("/api/v1/labour-demands/quick", Some(&a_token), json!({
            "workplace_id": a_head, "occupation_code": "4110.01", "worker_count": 1, "last_application_date": "2026-04-30"
        })).await;
        let fresh = fresh.body["id"].as_str().unwrap().to_owned();
        let r = app.post(&format!("/api/v1/labour-demands/{fresh}/cancel"), Some(&a_token), json!({"note": "Yanlış giriş"})).await;
        r.expect(200);
        assert_eq!(r.body["status"], "cancelled");
        app.send(Method::PUT, &format!("/api/v1/labour-demands/{fresh}"), Some(&a_token), Some(detailed(&a_head, "2026-04-30"))).await
            .problem(409, "labour_demand.not_active");
    }

    async fn applications_close_with_the_last_application_date(app) {
        clock(&app, "2026-03-10T06:00:00Z").await;
        let a = app.register_employer(AYSE, "123456789", 1).await;
        let head = a["head_office"]["id"].as_str().unwrap().to_owned();
        let token = app.employer_token(AYSE, None).await;
        let d = app.post("/api/v1/labour-demands", Some(&token), detailed(&head, "2026-03-31")).await;
        let talep = d.body["talep_no"].as_i64().unwrap();
        // Bad input: every section named, nothing written.
        let mut bad = detailed(&head, "2026-03-01");
        bad["worker_count"] = json!(0);
        bad["occupation_code"] = json!("9999.99");
        bad["requirements"]["min_age"] = json!(60);
        let r = app.post("/api/v1/labour-demands", Some(&token), bad).await;
        r.problem(422, "validation.failed");
        let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        for f in ["worker_count", "last_application_date", "requirements.max_age", "occupation_code"] {
            assert!(fields.contains(&f), "{f}: {}", r.text);
        }
        assert_eq!(app.get("/api/v1/labour-demands", Some(&token)).await.body["total"], 1);

        for who in [MEHMET, ZEYNEP] {
            let t = app.citizen_token(who).await;
            app.send(Method::PUT, "/api/v1/job-seekers/me", Some(&t), Some(profile(true))).await.expect(200);
        }
        // 31 March 23:59 Istanbul: open. 1 April 00:00: closed, and gone from the search.
        clock(&app, "2026-03-31T20:59:00Z").await;
        let mehmet = app.citizen_token(MEHMET).await;
        app.post(&format!("/api/v1/open-jobs/{talep}/applications"), Some(&mehmet), json!({})).await.expect(201);
        let found = app.get(&format!("/api/v1/open-jobs?mode=talep_no&talep_no={talep}"), None).await;
        assert_eq!(found.body["total"], 1);
        clock(&app, "2026-03-31T21:00:00Z").await;
        let zeynep = app.citizen_token(ZEYNEP).await;
        app.post(&format!("/api/v1/open-jobs/{talep}/applications"), Some(&zeynep), json!({})).await
            .problem(409, "labour_demand.deadline_passed");
        let found = app.get(&format!("/api/v1/open-jobs?mode=talep_no&talep_no={talep}"), None).await;
        assert_eq!(found.body["total"], 0);
        app.get(&format!("/api/v1/open-jobs/{talep}"), None).await.problem(404, "open_job.not_found");

        // Profile refusals name the field; an inactive profile cannot apply.
        let mut p = profile(true);
        p["occupations"] = json!(["0000.00"]);
        p["licences"][0]["issued_on"] = json!("31.01.2020");
        let r = app.send(Method::PUT, "/api/v1/job-seekers/me", Some(&zeynep), Some(p)).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.field(), "licences[0].issued_on");
        let mut p = profile(true);
        p["target_groups"] = json!([{"group": "disabled", "evidence": ""}]);
        let r = app.send(Method::PUT, "/api/v1/job-seekers/me", Some(&zeynep), Some(p)).await;
        assert_eq!(r.body["errors"][0]["code"], "job_seeker.evidence_required");
    }
}
