//! Kariyer Kapısı applications end to end: the institution publishes; candidates go through
//! the wizard (each step saved, out-of-order and invalid declarations refused), apply once,
//! cancel and apply again until the end date and not after it; the institution approves in
//! bulk, cancels one with a reason, invites to a written exam and an online interview,
//! records scores (hidden from candidates until approved), approves the results and
//! publishes the placement (asil / yedek / olumsuz with ties). Nobody reads another's.

use actix_web::http::Method;
use kapi_tests::{both_backends, json, TestApp};
use serde_json::Value;

const AYSE: &str = "10000000146";
const MEHMET: &str = "12345678950";
const CAN: &str = "23456789060";
const DENIZ: &str = "34567890170";
const EMRE: &str = "45678901280";

fn posting_body() -> Value {
    json!({
        "title": "Sözleşmeli Bilişim Personeli Alım İlanı",
        "main_text": "Kurumumuz merkez teşkilatında istihdam edilmek üzere 4/B sözleşmeli personel alınacaktır.",
        "starts_on": "2027-03-01",
        "ends_on": "2027-03-15",
        "sub_postings": [
            {
                "title": "Bilişim Uzmanı",
                "text": "Yazılım geliştirme ve veritabanı yönetimi görevlerinde çalışacak uzman.",
                "vacancies": 1,
                "reserve_count": 1,
                "province": 6,
                "education_level": "bachelor",
                "employment_type": "contracted",
                "requirements": ["Bilgisayar mühendisliği lisans mezunu olmak"]
            },
            {
                "title": "Büro Personeli",
                "text": "Evrak ve arşiv işlerinde çalışacak büro personeli.",
                "vacancies": 1,
                "reserve_count": 0,
                "province": 6,
                "education_level": "high_school",
                "employment_type": "permanent_worker",
                "requirements": []
            }
        ],
        "stages": [
            {"kind": "written_exam", "starts_at": "2027-03-20T10:00:00+03:00", "mode": "in_person", "place": "Ankara Üniversitesi Tandoğan Kampüsü"},
            {"kind": "interview", "name": "Sözlü Mülakat", "starts_at": "2027-03-27T10:00:00+03:00", "mode": "online"}
        ]
    })
}

fn declarations() -> Value {
    json!({
        "registry_confirmed": true,
        "declarations": {
            "high_school": {"school_name": "Ankara Atatürk Lisesi", "graduation_date": "2013-06-14", "diploma_grade": 88.4},
            "universities": [{"level": "bachelor", "university": "Hacettepe Üniversitesi", "department": "Bilgisayar Mühendisliği", "graduation_date": "2018-06-29", "grade": 3.12, "grade_scale": "four"}],
            "work_experience": [{"employer": "Demo Yazılım A.Ş.", "position": "Yazılımcı", "sector": "private", "starts_on": "2018-09-01"}],
            "language_exams": [
                {"language": "İngilizce", "exam": "yds", "exam_date": "2025-04-06", "score": 82.5},
                {"language": "Almanca", "exam": "yokdil", "exam_date": "2024-03-10", "score": 61.25}
            ],
            "other": "B sınıfı sürücü belgesi."
        }
    })
}

async fn clock<S, B>(app: &TestApp<S>, at: &str)
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

async fn put<S, B>(app: &TestApp<S>, path: &str, token: &str, body: Value) -> kapi_tests::Resp
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    app.send(Method::PUT, path, Some(token), Some(body)).await
}

/// The whole wizard for `token` on sub-posting `sub`; returns the application id.
async fn apply<S, B>(app: &TestApp<S>, token: &str, posting: &str, sub: i64) -> String
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    let r = app
        .post(
            &format!("/api/v1/postings/{posting}/applications"),
            Some(token),
            json!({}),
        )
        .await;
    r.expect(201);
    let id = r.body["id"].as_str().unwrap().to_owned();
    let base = format!("/api/v1/applications/{id}");
    put(
        app,
        &format!("{base}/posting-text"),
        token,
        json!({"accepted": true}),
    )
    .await
    .expect(200);
    put(
        app,
        &format!("{base}/sub-posting"),
        token,
        json!({"sub_posting_no": sub}),
    )
    .await
    .expect(200);
    put(
        app,
        &format!("{base}/sub-posting-text"),
        token,
        json!({"accepted": true}),
    )
    .await
    .expect(200);
    put(app, &format!("{base}/declarations"), token, declarations())
        .await
        .expect(200);
    let r = app
        .post(
            &format!("{base}/submit"),
            Some(token),
            json!({"accepted": true}),
        )
        .await;
    r.expect(200);
    assert_eq!(r.body["status"], "pending");
    id
}

fn field_names(r: &kapi_tests::Resp) -> Vec<String> {
    r.body["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| e["field"].as_str().unwrap_or("").to_owned())
                .collect()
        })
        .unwrap_or_default()
}

both_backends! {
    async fn from_publication_to_placement(app) {
        clock(&app, "2027-03-01T09:00:00Z").await;
        let kurum = app.staff_token("kurum.ik").await;
        let kurum2 = app.staff_token("kurum2.ik").await;
        let r = app.post("/api/v1/postings", Some(&kurum), posting_body()).await;
        r.expect(201);
        let posting = r.body["id"].as_str().unwrap().to_owned();
        // Nobody applies to a draft.
        let ayse = app.citizen_token(AYSE).await;
        app.post(&format!("/api/v1/postings/{posting}/applications"), Some(&ayse), json!({}))
            .await
            .problem(404, "posting.not_found");
        app.post(&format!("/api/v1/postings/{posting}/publish"), Some(&kurum), json!({})).await.expect(200);

        // --- Ayşe's wizard, step by step -------------------------------------------------
        let r = app.post(&format!("/api/v1/postings/{posting}/applications"), Some(&ayse), json!({})).await;
        r.expect(201);
        assert_eq!(r.header("ETag").as_deref(), Some("\"1\""));
        assert_eq!(r.body["candidate"]["first_name"], "Ayşe");
        assert_eq!(r.body["wizard"]["next_step"], "posting_text");
        let a_id = r.body["id"].as_str().unwrap().to_owned();
        let base = format!("/api/v1/applications/{a_id}");
        // Out of order, not accepted, an unknown sub-posting.
        put(&app, &format!("{base}/sub-posting"), &ayse, json!({"sub_posting_no": 1})).await.problem(422, "application.step_order");
        let r = put(&app, &format!("{base}/posting-text"), &ayse, json!({"accepted": false})).await;
        r.problem(422, "application.acceptance_required");
        assert_eq!(field_names(&r), ["accepted"]);
        put(&app, &format!("{base}/posting-text"), &ayse, json!({"accepted": true})).await.expect(200);
        let r = put(&app, &format!("{base}/sub-posting"), &ayse, json!({"sub_posting_no": 3})).await;
        assert_eq!(field_names(&r), ["sub_posting_no"]);
        put(&app, &format!("{base}/sub-posting"), &ayse, json!({"sub_posting_no": 1})).await.expect(200);
        put(&app, &format!("{base}/sub-posting-text"), &ayse, json!({"accepted": true})).await.expect(200);
        // Resuming returns the same draft (200), on the declarations step.
        let r = app.post(&format!("/api/v1/postings/{posting}/applications"), Some(&ayse), json!({})).await;
        r.expect(200);
        assert_eq!(r.body["id"], a_id.as_str());
        assert_eq!(r.body["wizard"]["next_step"], "declarations");
        // Submitting early names the missing step.
        let r = app.post(&format!("{base}/submit"), Some(&ayse), json!({"accepted": true})).await;
        r.problem(422, "application.steps_incomplete");
        assert_eq!(field_names(&r), ["steps.declarations"]);
        // Invalid declarations: every field named, nothing saved.
        let mut bad = declarations();
        bad["declarations"]["universities"][0]["graduation_date"] = json!("2027-06-30");
        bad["declarations"]["language_exams"][0]["score"] = json!(101);
        bad["declarations"]["language_exams"][1]["exam"] = json!("toeic");
        bad["declarations"]["high_school"]["graduation_date"] = json!("14.06.2013");
        let r = put(&app, &format!("{base}/declarations"), &ayse, bad).await;
        r.expect(422);
        assert_eq!(field_names(&r), [
            "declarations.high_school.graduation_date",
            "declarations.universities[0].graduation_date",
            "declarations.language_exams[0].score",
            "declarations.language_exams[1].exam",
        ]);
        let mut unconfirmed = declarations();
        unconfirmed["registry_confirmed"] = json!(false);
        let r = put(&app, &format!("{base}/declarations"), &ayse, unconfirmed).await;
        assert_eq!(field_names(&r), ["registry_confirmed"]);
        let r = app.get(&base, Some(&ayse)).await;
        assert_eq!(r.body["declarations"], Value::Null);
        let r = put(&app, &format!("{base}/declarations"), &ayse, declarations()).await;
        r.expect(200);
        // The preview: everything saved, nothing missing.
        assert_eq!(r.body["wizard"]["missing_steps"], json!([]));
        assert_eq!(r.body["wizard"]["next_step"], Value::Null);
        assert_eq!(r.body["declarations"]["language_exams"][1]["score"], 61.25);
        assert_eq!(r.body["declarations"]["universities"][0]["graduation_date"], "2018-06-29");
        assert_eq!(r.body["sub_posting"]["title"], "Bilişim Uzmanı");
        app.post(&format!("{base}/submit"), Some(&ayse), json!({"accepted": false})).await.problem(422, "application.acceptance_required");
        let r = app.post(&format!("{base}/submit"), Some(&ayse), json!({"accepted": true})).await;
        r.expect(200);
        assert_eq!(r.body["status"], "pending");
        assert_eq!(r.body["status_label"], "Başvuru Bekliyor");
        assert_eq!(r.body["cancellable_until"], "2027-03-15T23:59:59+03:00");
        // Submitted: steps are frozen; a second application refused.
        put(&app, &format!("{base}/posting-text"), &ayse, json!({"accepted": true})).await.problem(409, "application.not_draft");
        app.post(&format!("/api/v1/postings/{posting}/applications"), Some(&ayse), json!({}))
            .await
            .problem(409, "application.already_applied");

        // --- Other candidates, a minute apart ---------------------------------------------
        clock(&app, "2027-03-01T09:01:00Z").await;
        let mehmet = app.citizen_token(MEHMET).await;
        let m_id = apply(&app, &mehmet, &posting, 1).await;
        clock(&app, "2027-03-01T09:02:00Z").await;
        let can = app.citizen_token(CAN).await;
        let c_id = apply(&app, &can, &posting, 1).await;
        clock(&app, "2027-03-01T09:03:00Z").await;
        let deniz = app.citizen_token(DENIZ).await;
        let d_first = apply(&app, &deniz, &posting, 1).await;
        let emre = app.citizen_token(EMRE).await;
        let e_id = apply(&app, &emre, &posting, 2).await;

        // Nobody reads another's application.
        app.get(&format!("/api/v1/applications/{m_id}"), Some(&ayse)).await.problem(404, "application.not_found");
        app.get(&format!("/api/v1/applications/{m_id}/history"), Some(&ayse)).await.problem(404, "application.not_found");
        app.post(&format!("/api/v1/applications/{m_id}/cancel"), Some(&ayse), json!({})).await.problem(404, "application.not_found");
        app.get(&format!("/api/v1/applications/{m_id}"), Some(&kurum2)).await.problem(404, "application.not_found");
        app.get(&format!("/api/v1/postings/{posting}/applications"), Some(&kurum2)).await.problem(404, "posting.not_found");
        app.post(&format!("/api/v1/applications/{m_id}/approve"), Some(&kurum2), json!({})).await.problem(404, "application.not_found");
        app.post(&format!("/api/v1/postings/{posting}/applications/approve"), Some(&kurum2), json!({"application_ids": [m_id]}))
            .await
            .problem(404, "posting.not_found");
        app.get(&format!("/api/v1/postings/{posting}/applications"), Some(&ayse)).await.problem(403, "application.institution_only");
        app.post(&format!("/api/v1/postings/{posting}/applications"), Some(&kurum), json!({})).await.problem(403, "application.citizen_only");

        // --- Cancel until the end date, then apply again; not after ------------------------
        clock(&app, "2027-03-15T20:59:00Z").await; // 23:59 Istanbul, the last day
        let deniz = app.citizen_token(DENIZ).await;
        let r = app.post(&format!("/api/v1/applications/{d_first}/cancel"), Some(&deniz), json!({})).await;
        r.expect(200);
        assert_eq!(r.body["status"], "cancelled");
        assert_eq!(r.body["cancellation"]["by"], "candidate");
        app.post(&format!("/api/v1/applications/{d_first}/cancel"), Some(&deniz), json!({})).await.problem(409, "application.cancelled");
        let d_id = apply(&app, &deniz, &posting, 1).await;
        assert_ne!(d_id, d_first);
        // The institution cannot invite while the window is open.
        let kurum = app.staff_token("kurum.ik").await;
        app.post(&format!("/api/v1/postings/{posting}/stages/1/invitations"), Some(&kurum), json!({"application_ids": [a_id]}))
            .await
            .problem(409, "posting.window_open");

        clock(&app, "2027-03-15T21:00:00Z").await; // 00:00 Istanbul, the day after
        let deniz = app.citizen_token(DENIZ).await;
        app.post(&format!("/api/v1/applications/{d_id}/cancel"), Some(&deniz), json!({})).await.problem(422, "application.deadline_passed");
        let late = app.citizen_token("45678901280").await;
        app.post(&format!("/api/v1/postings/{posting}/applications"), Some(&late), json!({})).await.problem(422, "application.window_closed");
        let r = app.get("/api/v1/applications", Some(&deniz)).await;
        assert_eq!(r.body["total"], 1);
        assert_eq!(r.body["items"][0]["id"], d_id.as_str());
        let r = app.get("/api/v1/applications?view=cancelled", Some(&deniz)).await;
        assert_eq!(r.body["total"], 1);
        assert_eq!(r.body["items"][0]["id"], d_first.as_str());
        app.get("/api/v1/applications?view=all", Some(&deniz)).await.problem(422, "application.view_unknown");

        // --- The institution: lists, bulk approval, cancellation with a reason -------------
        let kurum = app.staff_token("kurum.ik").await;
        let kurum2 = app.staff_token("kurum2.ik").await;
        let ayse = app.citizen_token(AYSE).await;
        app.post(&format!("/api/v1/applications/{e_id}/cancel"), Some(&kurum2), json!({"reason": "Başka kurumun başvurusu"}))
            .await
            .problem(404, "application.not_found");
        let list = format!("/api/v1/postings/{posting}/applications");
        let r = app.get(&list, Some(&kurum)).await;
        r.expect(200);
        assert_eq!(r.body["total"], 6); // 5 live + Deniz's cancelled one; no drafts
        let r = app.get(&format!("{list}?sub_posting_no=1&status=pending"), Some(&kurum)).await;
        assert_eq!(r.body["total"], 4);
        let r = app.get(&format!("{list}?name=ayse%20yil"), Some(&kurum)).await;
        assert_eq!(r.body["total"], 1);
        assert_eq!(r.body["items"][0]["id"], a_id.as_str());
        app.get(&format!("{list}?status=draft"), Some(&kurum)).await.problem(422, "application.status_unknown");
        let approve = format!("{list}/approve");
        let r = app.post(&approve, Some(&kurum), json!({"application_ids": [a_id, d_first]})).await;
        r.expect(422);
        assert_eq!(field_names(&r), ["application_ids[1]"]);
        assert_eq!(app.get(&base, Some(&ayse)).await.body["status"], "pending");
        let r = app.post(&approve, Some(&kurum), json!({"application_ids": [a_id, m_id, c_id]})).await;
        r.expect(200);
        assert_eq!(r.body["total"], 3);
        let r = app.post(&format!("/api/v1/applications/{d_id}/approve"), Some(&kurum), json!({})).await;
        r.expect(200);
        assert_eq!(r.body["status"], "approved");
        app.post(&format!("/api/v1/applications/{d_id}/approve"), Some(&kurum), json!({})).await.problem(409, "application.not_pending");
        app.post(&format!("/api/v1/applications/{e_id}/cancel"), Some(&kurum), json!({"reason": "Kısa"})).await.expect(422);
        let r = app.post(&format!("/api/v1/applications/{e_id}/cancel"), Some(&kurum), json!({"reason": "Lise diploması belgesi eksik."})).await;
        r.expect(200);
        let emre = app.citizen_token(EMRE).await;
        let r = app.get("/api/v1/applications?view=cancelled", Some(&emre)).await;
        assert_eq!(r.body["items"][0]["cancellation"]["by"], "institution");
        assert_eq!(r.body["items"][0]["cancellation"]["reason"], "Lise diploması belgesi eksik.");
        assert_eq!(r.body["items"][0]["status_label"], "Başvuru İptal Edildi");

        // --- Stage 1: the written exam -----------------------------------------------------
        let stage1 = format!("/api/v1/postings/{posting}/stages/1");
        let stage2 = format!("/api/v1/postings/{posting}/stages/2");
        app.post(&format!("{stage2}/invitations"), Some(&kurum), json!({"application_ids": [a_id]})).await.problem(409, "stage.previous_not_approved");
        let r = app.post(&format!("{stage1}/invitations"), Some(&kurum), json!({"application_ids": [a_id, e_id]})).await;
        assert_eq!(field_names(&r), ["application_ids[1]"]);
        let r = app.post(&format!("{stage1}/invitations"), Some(&kurum), json!({"application_ids": [a_id, m_id, c_id, d_id]})).await;
        r.expect(200);
        assert_eq!(r.body["total"], 4);
        app.get(&format!("/api/v1/postings/{posting}/stages/9/invitations"), Some(&kurum)).await.expect(404);
        let results = |scores: [(f64, &str); 4]| -> Value {
            json!({"results": [
                {"application_id": a_id, "score": scores[0].0, "outcome": scores[0].1},
                {"application_id": m_id, "score": scores[1].0, "outcome": scores[1].1},
                {"application_id": c_id, "score": scores[2].0, "outcome": scores[2].1},
                {"application_id": d_id, "score": scores[3].0, "outcome": scores[3].1},
            ]})
        };
        let written = results([(70.0, "positive"), (90.0, "positive"), (70.0, "positive"), (95.0, "negative")]);
        clock(&app, "2027-03-20T06:59:59Z").await; // 09:59:59 Istanbul
        let kurum = app.staff_token("kurum.ik").await;
        put(&app, &format!("{stage1}/results"), &kurum, written.clone()).await.problem(409, "stage.not_started");
        clock(&app, "2027-03-20T07:00:00Z").await; // 10:00 Istanbul
        let kurum = app.staff_token("kurum.ik").await;
        let kurum2 = app.staff_token("kurum2.ik").await;
        let r = put(&app, &format!("{stage1}/results"), &kurum, results([(70.0, "positive"), (100.5, "positive"), (70.0, "maybe"), (95.0, "negative")])).await;
        assert_eq!(field_names(&r), ["results[1].score", "results[2].outcome"]);
        put(&app, &format!("{stage1}/results"), &kurum, written).await.expect(200);
        // Recorded but not approved: the candidate sees no score, the institution does.
        let ayse = app.citizen_token(AYSE).await;
        let r = app.get(&base, Some(&ayse)).await;
        assert_eq!(r.body["current_stage"], "Yazılı Sınav");
        assert_eq!(r.body["stages"][0]["invited"], true);
        assert_eq!(r.body["stages"][0]["score"], Value::Null);
        assert_eq!(r.body["stages"][0]["outcome"], "pending");
        assert_eq!(r.body["stages"][0]["outcome_label"], "Bekliyor");
        assert_eq!(app.get(&base, Some(&kurum)).await.body["stages"][0]["score"], 70.0);
        let r = app.get("/api/v1/exam-invitations", Some(&ayse)).await;
        assert_eq!(r.body["total"], 1);
        assert_eq!(r.body["items"][0]["stage"]["score"], Value::Null);
        assert_eq!(r.body["items"][0]["stage"]["place"], "Ankara Üniversitesi Tandoğan Kampüsü");
        app.post(&format!("/api/v1/postings/{posting}/placement"), Some(&kurum), json!({})).await.problem(409, "placement.stages_not_approved");
        app.post(&format!("{stage1}/approve-results"), Some(&kurum2), json!({})).await.problem(404, "posting.not_found");
        let r = app.post(&format!("{stage1}/approve-results"), Some(&kurum), json!({})).await;
        r.expect(200);
        app.post(&format!("{stage1}/approve-results"), Some(&kurum), json!({})).await.problem(409, "stage.results_approved");
        put(&app, &format!("{stage1}/results"), &kurum, results([(71.0, "positive"), (90.0, "positive"), (70.0, "positive"), (95.0, "negative")]))
            .await
            .problem(409, "stage.results_approved");
        let r = app.get(&base, Some(&ayse)).await;
        assert_eq!(r.body["stages"][0]["score"], 70.0);
        assert_eq!(r.body["stages"][0]["outcome"], "positive");
        assert_eq!(r.body["stages"][0]["outcome_label"], "Olumlu");

        // --- Stage 2: the online interview -------------------------------------------------
        let r = app.post(&format!("{stage2}/invitations"), Some(&kurum), json!({"application_ids": [a_id, d_id]})).await;
        r.expect(422);
        assert_eq!(r.body["errors"][0]["code"], "application.not_passed_earlier_stage");
        assert_eq!(field_names(&r), ["application_ids[1]"]);
        app.post(&format!("{stage2}/invitations"), Some(&kurum), json!({"application_ids": [a_id, m_id, c_id]})).await.expect(200);
        let r = app.get("/api/v1/exam-invitations", Some(&ayse)).await;
        let interview = &r.body["items"][1]["stage"];
        assert_eq!(interview["mode"], "online");
        assert_eq!(interview["access"], Value::Null);
        assert_eq!(interview["access_from"], "2027-03-27T10:00:00+03:00");
        // The institution never sees the candidate's password.
        assert_eq!(app.get(&base, Some(&kurum)).await.body["stages"][1]["access"], Value::Null);
        clock(&app, "2027-03-27T07:00:00Z").await;
        let ayse = app.citizen_token(AYSE).await;
        let r = app.get("/api/v1/exam-invitations", Some(&ayse)).await;
        let access = &r.body["items"][1]["stage"]["access"];
        assert_eq!(access["password"].as_str().unwrap().len(), 10);
        assert!(access["link"].as_str().unwrap().starts_with("https://cam.kariyerkapisi.local/gorusme/"));
        let mehmet = app.citizen_token(MEHMET).await;
        let other = app.get("/api/v1/exam-invitations", Some(&mehmet)).await;
        assert_ne!(other.body["items"][1]["stage"]["access"]["password"], access["password"]);
        let kurum = app.staff_token("kurum.ik").await;
        let kurum2 = app.staff_token("kurum2.ik").await;
        app.post(&format!("{stage2}/approve-results"), Some(&kurum), json!({})).await.problem(409, "stage.results_incomplete");
        // Everybody ties on the interview: Mehmet wins on the written exam; Ayşe and Can tie
        // on both, and Ayşe submitted first.
        put(&app, &format!("{stage2}/results"), &kurum, json!({"results": [
            {"application_id": a_id, "score": 80, "outcome": "positive"},
            {"application_id": m_id, "score": 80, "outcome": "positive"},
            {"application_id": c_id, "score": 80, "outcome": "positive"},
        ]})).await.expect(200);
        app.post(&format!("{stage2}/approve-results"), Some(&kurum), json!({})).await.expect(200);

        // --- Placement ---------------------------------------------------------------------
        app.get(&format!("/api/v1/postings/{posting}/placement"), Some(&kurum)).await.problem(404, "placement.not_published");
        app.post(&format!("/api/v1/postings/{posting}/placement"), Some(&kurum2), json!({})).await.problem(404, "posting.not_found");
        let r = app.post(&format!("/api/v1/postings/{posting}/placement"), Some(&kurum), json!({})).await;
        r.expect(200);
        let lines = &r.body["sub_postings"][0]["candidates"];
        let line = |i: usize| (lines[i]["application_id"].as_str().unwrap().to_owned(), lines[i]["result"].as_str().unwrap().to_owned(), lines[i]["rank"].clone());
        assert_eq!(line(0), (m_id.clone(), "principal".into(), json!(1)));
        assert_eq!(line(1), (a_id.clone(), "reserve".into(), json!(2)));
        assert_eq!(line(2), (c_id.clone(), "unsuccessful".into(), json!(3)));
        assert_eq!(line(3), (d_id.clone(), "unsuccessful".into(), Value::Null));
        assert_eq!(r.body["sub_postings"][1]["candidates"], json!([]));
        app.post(&format!("/api/v1/postings/{posting}/placement"), Some(&kurum), json!({})).await.problem(409, "posting.placement_published");
        app.get(&format!("/api/v1/postings/{posting}/placement"), Some(&kurum)).await.expect(200);
        app.post(&format!("/api/v1/applications/{c_id}/cancel"), Some(&kurum), json!({"reason": "Yerleştirmeden sonra iptal"})).await.problem(409, "posting.placement_published");
        let ayse = app.citizen_token(AYSE).await;
        let r = app.get(&base, Some(&ayse)).await;
        assert_eq!(r.body["placement"]["result"], "reserve");
        assert_eq!(r.body["placement"]["result_label"], "Yedek");
        assert_eq!(r.body["stages"][1]["score"], 80.0);
        let r = app.get(&format!("{base}/history"), Some(&ayse)).await;
        let notes: Vec<&str> = r.body["items"].as_array().unwrap().iter().filter_map(|e| e["note"].as_str()).collect();
        assert_eq!(notes[0], "Başvuru Başlatıldı");
        assert!(notes.contains(&"Başvuru Tamamlandı: Bilişim Uzmanı"), "{notes:?}");
        assert!(notes.contains(&"Başvuru Onaylandı"));
        assert!(notes.contains(&"Yazılı Sınav Sonucu Açıklandı: Olumlu"));
        assert_eq!(notes.last(), Some(&"Yerleştirme Sonucu: Yedek"));
        assert!(notes.contains(&"Davet Edildi: Sözlü Mülakat (27.03.2027 10:00)"), "{notes:?}");
    }

    async fn bad_input_and_wrong_actors(app) {
        clock(&app, "2027-03-01T09:00:00Z").await;
        let kurum = app.staff_token("kurum.ik").await;
        let posting = app.post("/api/v1/postings", Some(&kurum), posting_body()).await.body["id"].as_str().unwrap().to_owned();
        app.post(&format!("/api/v1/postings/{posting}/publish"), Some(&kurum), json!({})).await.expect(200);
        let ayse = app.citizen_token(AYSE).await;
        let id = app.post(&format!("/api/v1/postings/{posting}/applications"), Some(&ayse), json!({})).await.body["id"].as_str().unwrap().to_owned();
        // Unknown fields, wrong types, malformed ids: 4xx with a code, never a 500.
        put(&app, &format!("/api/v1/applications/{id}/posting-text"), &ayse, json!({"accepted": true, "extra": 1})).await.expect(422);
        put(&app, &format!("/api/v1/applications/{id}/sub-posting"), &ayse, json!({"sub_posting_no": "bir"})).await.expect(422);
        app.get("/api/v1/applications/not-a-uuid", Some(&ayse)).await.problem(404, "application.not_found");
        app.post("/api/v1/postings/not-a-uuid/applications", Some(&ayse), json!({})).await.problem(404, "posting.not_found");
        app.get(&format!("/api/v1/postings/{posting}/stages/x/results"), Some(&kurum)).await.expect(404);
        put(&app, &format!("/api/v1/postings/{posting}/stages/0/results"), &kurum, json!({"results": []})).await.problem(404, "stage.not_found");
        app.post(&format!("/api/v1/postings/{posting}/applications/approve"), Some(&kurum), json!({"application_ids": []})).await.problem(422, "bulk.size");
        // The candidate gives no reason; the institution never sees a draft.
        app.post(&format!("/api/v1/applications/{id}/cancel"), Some(&ayse), json!({"reason": "vazgeçtim"})).await.problem(422, "application.reason_institution_only");
        app.get(&format!("/api/v1/applications/{id}"), Some(&kurum)).await.problem(404, "application.not_found");
        let r = app.get(&format!("/api/v1/postings/{posting}/applications"), Some(&kurum)).await;
        assert_eq!(r.body["total"], 0);
        // Other kinds of users.
        let admin = app.staff_token("admin").await;
        app.get("/api/v1/applications", Some(&admin)).await.problem(403, "application.citizen_only");
        app.get(&format!("/api/v1/applications/{id}"), Some(&admin)).await.problem(404, "application.not_found");
        app.get("/api/v1/applications", None).await.expect(401);
        app.get("/api/v1/exam-invitations", None).await.expect(401);
        // A draft discarded by the candidate (cancelled) frees the posting for a new one.
        app.post(&format!("/api/v1/applications/{id}/cancel"), Some(&ayse), json!({})).await.expect(200);
        app.post(&format!("/api/v1/postings/{posting}/applications"), Some(&ayse), json!({})).await.expect(201);
        // Applying to a cancelled posting.
        app.post(&format!("/api/v1/postings/{posting}/cancel"), Some(&kurum), json!({"reason": "Kadro iptali nedeniyle."})).await.expect(200);
        let mehmet = app.citizen_token(MEHMET).await;
        app.post(&format!("/api/v1/postings/{posting}/applications"), Some(&mehmet), json!({})).await.problem(404, "posting.not_found");
        // Ayşe's draft on it can no longer move.
        let r = app.get("/api/v1/applications", Some(&ayse)).await;
        let draft = r.body["items"][0]["id"].as_str().unwrap().to_owned();
        assert_eq!(r.body["items"][0]["posting"]["status"], "cancelled");
        put(&app, &format!("/api/v1/applications/{draft}/posting-text"), &ayse, json!({"accepted": true})).await.problem(409, "posting.cancelled");
    }

    async fn racing_starts_make_one_draft(app) {
        clock(&app, "2027-03-01T09:00:00Z").await;
        let kurum = app.staff_token("kurum.ik").await;
        let posting = app.post("/api/v1/postings", Some(&kurum), posting_body()).await.body["id"].as_str().unwrap().to_owned();
        app.post(&format!("/api/v1/postings/{posting}/publish"), Some(&kurum), json!({})).await.expect(200);
        let ayse = app.citizen_token(AYSE).await;
        let path = format!("/api/v1/postings/{posting}/applications");
        let results = kapi_tests::join_all((0..6).map(|_| app.post(&path, Some(&ayse), json!({}))).collect()).await;
        let created = results.iter().filter(|r| r.status == 201).count();
        assert_eq!(created, 1, "{:?}", results.iter().map(|r| r.status).collect::<Vec<_>>());
        for r in &results {
            // The others resume the draft or lose the race to the unique index; never a 500.
            assert!(r.status == 200 || r.status == 201 || (r.status == 409 && r.code() == "application.already_applied"), "{}", r.text);
        }
        let r = app.get("/api/v1/applications", Some(&ayse)).await;
        assert_eq!(r.body["total"], 1);
    }
}
