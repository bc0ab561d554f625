//! e-İzin journeys over HTTP, as employers and the ministry use them: the wizard from the
//! draft to the submission (files checked by content, the petition generated and e-signed),
//! the employer panel (authorised users and assignment), and the refusals of each step.

use actix_web::dev::{Service, ServiceResponse};
use kapi_api::clock::ClockSetting;
use kapi_tests::work_permit_fixture::{
    employer, household_employer, CARED_MOTHER, HOUSEHOLD_OWNER,
};
use kapi_tests::{both_backends, jpeg, json, multipart, pdf, Resp, TestApp};
use kapi_work_permit::employer::Registration;
use serde_json::Value;
use time::{Date, Duration};

/// Elnur Məmmədov in the demo foreigners' registry (residence permit until 2027-08-31).
const ELNUR_YKN: &str = "99100000188";
const ELNUR_BORN: &str = "1990-03-14";

fn ykn(nine: &str) -> String {
    kapi_core::with_tckn_checksum(nine).unwrap()
}

/// Today in Istanbul on the app's clock.
fn today<S>(app: &TestApp<S>) -> Date {
    kapi_core::istanbul_date_of(app.state.clock.now())
}

/// The household employer of [`HOUSEHOLD_OWNER`] (registered as the registration test does
/// over HTTP; here directly, to keep the journeys short).
async fn household<S>(app: &TestApp<S>) -> String {
    let db = app.state.db.clone();
    let now = app.state.clock.now();
    actix_web::web::block(move || db.write(|c| household_employer(c, HOUSEHOLD_OWNER, now)))
        .await
        .unwrap()
        .unwrap()
        .to_string()
}

async fn upload<S, B>(
    app: &TestApp<S>,
    token: &str,
    id: &str,
    kind: &str,
    name: &str,
    bytes: Vec<u8>,
) -> Resp
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: actix_web::body::MessageBody,
{
    app.call(multipart(
        &format!("/api/v1/work-permits/{id}/files"),
        token,
        &json!({"kind": kind}),
        &[(name, bytes)],
    ))
    .await
}

/// Uploads the photo and the three base PDFs, saves steps 1–4 for a household's carer
/// working `start`..`end`.
async fn fill<S, B>(app: &TestApp<S>, token: &str, id: &str, start: Date, end: Date)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: actix_web::body::MessageBody,
{
    fill_with(app, token, id, job(start, end, "mother"), &[]).await
}

/// Steps 1–4 with `job` and the base documents plus `extra` document types.
async fn fill_with<S, B>(app: &TestApp<S>, token: &str, id: &str, job: Value, extra: &[&str])
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: actix_web::body::MessageBody,
{
    let photo = upload(app, token, id, "photo", "foto.jpg", jpeg(40_000)).await;
    photo.expect(201);
    let photo_sha = photo.body["sha256"].as_str().unwrap().to_owned();
    let taken = today(app) - Duration::days(10);
    app.put(
        &format!("/api/v1/work-permits/{id}/personal"),
        Some(token),
        json!({"registry_confirmed": true, "email": "elnur@example.com", "mobile": "0532 123 45 67",
               "photo": {"sha256": photo_sha, "taken_on": taken.to_string(), "confirmed": true},
               "marital_status": "single"}),
    )
    .await
    .expect(200);
    app.put(
        &format!("/api/v1/work-permits/{id}/general"),
        Some(token),
        json!({"passport_no": "C01234567", "passport_expires_on": "2030-05-01",
               "languages": ["Türkçe", "Azerbaycan Türkçesi"], "education_level": "high_school"}),
    )
    .await
    .expect(200);
    app.put(&format!("/api/v1/work-permits/{id}/job"), Some(token), job)
        .await
        .expect(200);
    let mut docs = vec![];
    let base = [
        "employment_contract",
        "proof_of_income",
        "passport_identity_page",
    ];
    for t in base.iter().chain(extra) {
        let r = upload(app, token, id, "pdf", &format!("{t}.pdf"), pdf(t)).await;
        r.expect(201);
        docs.push(json!({"document_type": t, "sha256": r.body["sha256"]}));
    }
    app.put(
        &format!("/api/v1/work-permits/{id}/documents"),
        Some(token),
        json!({"documents": docs}),
    )
    .await
    .expect(200);
}

fn job(start: Date, end: Date, relation: &str) -> Value {
    json!({"province": "06", "district_code": 1231, "open_address": "Bahçelievler Mah. Demo Sok. No:5 Çankaya",
           "occupation_code": "5322.01", "cared_person_tckn": CARED_MOTHER, "kinship_relation": relation,
           "wage": "25000.00", "work_mode": "full_time", "work_type": "indefinite",
           "period_start": start.to_string(), "period_end": end.to_string(),
           "reason": "Yaşlı annemin evde bakımı için."})
}

/// Generates the petition and e-signs it; answers the petition's SHA-256.
async fn sign<S, B>(app: &TestApp<S>, token: &str, id: &str) -> String
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: actix_web::body::MessageBody,
{
    let p = app
        .post(
            &format!("/api/v1/work-permits/{id}/petition"),
            Some(token),
            json!({}),
        )
        .await;
    p.expect(201);
    let sha = p.body["sha256"].as_str().unwrap().to_owned();
    app.put(
        &format!("/api/v1/work-permits/{id}/result"),
        Some(token),
        json!({"petition_sha256": sha, "confirmed": true, "e_sign": true}),
    )
    .await
    .expect(200);
    sha
}

/// Starts a household's first in-Türkiye application for Elnur.
async fn start_household<S, B>(app: &TestApp<S>, token: &str, employer: &str) -> String
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: actix_web::body::MessageBody,
{
    let r = app
        .post(
            "/api/v1/work-permits",
            Some(token),
            json!({"employer_id": employer, "filing": "first", "route": "in_turkiye",
                   "ykn": ELNUR_YKN, "birth_date": ELNUR_BORN, "care_kind": "elderly_care"}),
        )
        .await;
    r.expect(201);
    r.body["id"].as_str().unwrap().to_owned()
}

fn url(id: &str, verb: &str) -> String {
    format!("/api/v1/work-permits/{id}/{verb}")
}

/// The ministry takes the application into evaluation and approves it pending fees; the
/// employer pays both fees at the simulated GİB with the exact amounts: approved.
async fn approve_and_pay<S, B>(app: &TestApp<S>, staff: &str, payer: &str, id: &str, ykn: &str)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: actix_web::body::MessageBody,
{
    let r = app.post(&url(id, "approve"), Some(staff), json!({})).await;
    r.expect(200);
    assert_eq!(r.body["evaluation"]["status"]["code"], "awaiting_fees");
    let refs = r.body["ministry"]["fee_references"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(refs.len(), 2);
    let codes: Vec<&str> = refs
        .iter()
        .map(|f| f["account_code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["9130", "9267"]);
    for f in &refs {
        let r = app
            .post(
                "/api/v1/gib/payments",
                Some(payer),
                json!({"reference_no": f["reference_no"], "ykn": ykn, "amount": f["amount"]}),
            )
            .await;
        r.expect(201);
    }
    let a = app
        .get(&format!("/api/v1/work-permits/{id}"), Some(payer))
        .await;
    assert_eq!(
        a.body["evaluation"]["status"]["code"], "approved",
        "{}",
        a.text
    );
}

fn company_job(start: Date, end: Date) -> Value {
    json!({"province": "06", "district_code": 1231, "open_address": "Kızılay Mah. Atatürk Bulvarı No:100 Çankaya",
           "occupation_code": "2512.04", "wage": "90000.00", "work_mode": "full_time", "work_type": "fixed_term",
           "period_start": start.to_string(), "period_end": end.to_string(),
           "reason": "Yazılım geliştirme ekibinde uzman ihtiyacı."})
}

async fn start_with<S, B>(app: &TestApp<S>, token: &str, body: Value) -> String
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: actix_web::body::MessageBody,
{
    let r = app.post("/api/v1/work-permits", Some(token), body).await;
    r.expect(201);
    r.body["id"].as_str().unwrap().to_owned()
}

async fn employer_of<S>(
    app: &TestApp<S>,
    owner: &'static str,
    registration: Registration,
) -> String {
    let db = app.state.db.clone();
    let now = app.state.clock.now();
    actix_web::web::block(move || db.write(|c| employer(c, owner, registration, now)))
        .await
        .unwrap()
        .unwrap()
        .to_string()
}

both_backends! {
    async fn a_household_fills_the_wizard_and_submits(app) {
        let employer = household(&app).await;
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        // Start: the registry's record of the foreigner is the application's.
        let r = app.post("/api/v1/work-permits", Some(&owner), json!({"employer_id": employer, "filing": "first", "route": "in_turkiye", "ykn": ELNUR_YKN, "birth_date": "1990-03-15", "care_kind": "elderly_care"})).await;
        r.problem(422, "work_permit.foreigner_not_found");
        assert_eq!(r.field(), "ykn");
        let r = app.post("/api/v1/work-permits", Some(&owner), json!({"employer_id": employer, "filing": "first", "route": "abroad", "reference_no": "2026120100000001", "employer_kind": "company"})).await;
        r.problem(422, "work_permit.employer_kind_mismatch");
        let r = app.post("/api/v1/work-permits", Some(&owner), json!({"employer_id": employer, "filing": "first", "route": "in_turkiye", "ykn": ELNUR_YKN, "birth_date": "14.03.1990"})).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.field(), "birth_date");
        let r = app.post("/api/v1/work-permits", Some(&owner), json!({"employer_id": employer, "filing": "extension", "route": "in_turkiye", "ykn": ELNUR_YKN, "birth_date": ELNUR_BORN, "care_kind": "elderly_care"})).await;
        r.problem(422, "work_permit.no_running_permit");
        let stranger = app.citizen_token("12345678950").await;
        app.post("/api/v1/work-permits", Some(&stranger), json!({"employer_id": employer, "filing": "first", "route": "in_turkiye", "ykn": ELNUR_YKN, "birth_date": ELNUR_BORN, "care_kind": "elderly_care"})).await.problem(404, "work_permit.employer_not_found");
        let id = start_household(&app, &owner, &employer).await;
        let a = app.get(&format!("/api/v1/work-permits/{id}"), Some(&owner)).await;
        a.expect(200);
        assert_eq!(a.body["foreigner"]["first_name"], "Elnur");
        assert_eq!(a.body["evaluation"]["status"]["code"], "draft");
        assert_eq!(a.body["wizard"]["next_step"], "personal");
        assert_eq!(a.body["evaluation"]["deadline"].as_str().unwrap().len(), 10);

        // Files are checked by content and size.
        let r = upload(&app, &owner, &id, "photo", "foto.jpg", pdf("not an image")).await;
        r.problem(422, "work_permit.photo_format");
        assert_eq!(r.field(), "file");
        upload(&app, &owner, &id, "photo", "buyuk.jpg", jpeg(2 * 1024 * 1024 + 1)).await.problem(422, "work_permit.photo_too_large");
        upload(&app, &owner, &id, "pdf", "sozlesme.pdf", jpeg(1000)).await.problem(422, "work_permit.document_format");
        upload(&app, &stranger, &id, "pdf", "x.pdf", pdf("x")).await.problem(404, "work_permit.not_found");
        // Steps in order; a photo that was not uploaded here; a kinship the registry denies.
        let start = today(&app) + Duration::days(10);
        let end = start + Duration::days(364);
        app.put(&format!("/api/v1/work-permits/{id}/general"), Some(&owner), json!({"passport_no": "C01234567", "passport_expires_on": "2030-05-01", "education_level": "high_school"})).await.problem(422, "work_permit.step_order");
        let r = app.put(&format!("/api/v1/work-permits/{id}/personal"), Some(&owner), json!({"registry_confirmed": true, "email": "elnur@example.com", "mobile": "05321234567", "photo": {"sha256": "a".repeat(64), "taken_on": today(&app).to_string(), "confirmed": true}, "marital_status": "single"})).await;
        r.problem(422, "work_permit.file_not_uploaded");
        assert_eq!(r.field(), "personal.photo.sha256");
        fill(&app, &owner, &id, start, end).await;
        // If-Match: a stale version is 412; a stranger still gets 404.
        let general = json!({"passport_no": "C01234567", "passport_expires_on": "2030-05-01", "education_level": "high_school"});
        let call = |token: &str, tag: &str| actix_web::test::TestRequest::put().uri(&format!("/api/v1/work-permits/{id}/general")).insert_header(("Authorization", format!("Bearer {token}"))).insert_header(("If-Match", tag.to_owned())).set_json(general.clone());
        app.call(call(&owner, "\"1\"")).await.problem(412, "precondition.version_mismatch");
        app.call(call(&stranger, "\"1\"")).await.problem(404, "work_permit.not_found");
        let current = app.get(&format!("/api/v1/work-permits/{id}"), Some(&owner)).await.header("etag").unwrap();
        app.call(call(&owner, &current)).await.expect(200);
        let r = app.put(&format!("/api/v1/work-permits/{id}/job"), Some(&owner), job(start, end, "child")).await;
        r.problem(422, "work_permit.kinship_not_verified");
        assert_eq!(r.field(), "job.kinship_relation");

        // The result: only the petition last generated is signed.
        let r = app.put(&format!("/api/v1/work-permits/{id}/result"), Some(&owner), json!({"petition_sha256": "b".repeat(64), "confirmed": true, "e_sign": true})).await;
        r.problem(422, "work_permit.petition_not_generated");
        app.post(&format!("/api/v1/work-permits/{id}/submit"), Some(&owner), json!({})).await.problem(422, "work_permit.steps_incomplete");
        let p = app.post(&format!("/api/v1/work-permits/{id}/petition"), Some(&owner), json!({})).await;
        p.expect(201);
        let sha = p.body["sha256"].as_str().unwrap().to_owned();
        let pdf_resp = app.get(&format!("/api/v1/work-permits/{id}/petition"), Some(&owner)).await;
        pdf_resp.expect(200);
        assert_eq!(pdf_resp.header("content-type").as_deref(), Some("application/pdf"));
        assert_eq!(pdf_resp.header("x-content-sha256").as_deref(), Some(sha.as_str()));
        assert!(pdf_resp.raw.starts_with(b"%PDF"));
        app.put(&format!("/api/v1/work-permits/{id}/result"), Some(&owner), json!({"petition_sha256": "c".repeat(64), "confirmed": true, "e_sign": true})).await.problem(422, "work_permit.petition_outdated");
        // "Taslak olarak kaydet": confirmed, not signed — still a draft.
        let r = app.put(&format!("/api/v1/work-permits/{id}/result"), Some(&owner), json!({"petition_sha256": sha, "confirmed": true, "e_sign": false})).await;
        r.expect(200);
        assert_eq!(r.body["wizard"]["next_step"], "result");
        let r = app.put(&format!("/api/v1/work-permits/{id}/result"), Some(&owner), json!({"petition_sha256": sha, "confirmed": true, "e_sign": true})).await;
        r.expect(200);
        assert_eq!(r.body["wizard"]["next_step"], Value::Null);
        assert!(r.body["steps"]["result"]["signed_at"].is_string());
        assert_eq!(r.body["steps"]["job"]["wage"], "25000.00");
        assert_eq!(r.body["steps"]["documents"].as_array().unwrap().len(), 3);

        // Submitted to the ministry; a second time is a conflict, the steps are frozen.
        let r = app.post(&format!("/api/v1/work-permits/{id}/submit"), Some(&owner), json!({})).await;
        r.expect(200);
        assert_eq!(r.body["evaluation"]["status"]["code"], "submitted");
        assert_eq!(r.body["period"]["start"], start.to_string());
        app.post(&format!("/api/v1/work-permits/{id}/submit"), Some(&owner), json!({})).await.problem(409, "work_permit.not_a_draft");
        app.put(&format!("/api/v1/work-permits/{id}/general"), Some(&owner), json!({"passport_no": "C01234567", "passport_expires_on": "2030-05-01", "education_level": "high_school"})).await.problem(409, "work_permit.not_a_draft");
        let h = app.get(&format!("/api/v1/work-permits/{id}/history"), Some(&owner)).await;
        let states: Vec<&str> = h.body.as_array().unwrap().iter().map(|e| e["to_state"].as_str().unwrap()).collect();
        assert_eq!(states, ["draft", "submitted"]);
        // The employer's lists and the files, for the employer and the ministry.
        let l = app.get(&format!("/api/v1/work-permit-employers/{employer}/work-permits?list=in_evaluation"), Some(&owner)).await;
        l.expect(200);
        assert_eq!(l.body["total"], 1);
        let l = app.get(&format!("/api/v1/work-permit-employers/{employer}/work-permits?list=incomplete"), Some(&owner)).await;
        assert_eq!(l.body["total"], 0);
        app.get(&format!("/api/v1/work-permit-employers/{employer}/work-permits?list=nope"), Some(&owner)).await.problem(422, "work_permit.unknown_code");
        app.get(&format!("/api/v1/work-permit-employers/{employer}/work-permits"), Some(&stranger)).await.problem(404, "work_permit.employer_not_found");
        let doc = r.body["steps"]["documents"][0]["sha256"].as_str().unwrap().to_owned();
        let f = app.get(&format!("/api/v1/work-permits/{id}/files/{doc}"), Some(&owner)).await;
        f.expect(200);
        assert!(f.raw.starts_with(b"%PDF"));
        let staff = app.staff_token("bakanlik.degerlendirici").await;
        app.get(&format!("/api/v1/work-permits/{id}/files/{doc}"), Some(&staff)).await.expect(200);
        app.get(&format!("/api/v1/work-permits/{id}/petition"), Some(&staff)).await.expect(200);
        app.get(&format!("/api/v1/work-permits/{id}/files/{doc}"), Some(&stranger)).await.problem(404, "work_permit.not_found");
        app.get(&format!("/api/v1/work-permits/{id}/petition"), Some(&stranger)).await.problem(404, "work_permit.not_found");
        app.get(&format!("/api/v1/work-permit-employers/{employer}/running-permits"), Some(&stranger)).await.problem(404, "work_permit.employer_not_found");
        app.get(&format!("/api/v1/work-permit-employers/{employer}/users"), Some(&stranger)).await.problem(404, "work_permit.employer_not_found");
        app.post(&format!("/api/v1/work-permits/{id}/petition"), Some(&stranger), json!({})).await.problem(404, "work_permit.not_found");
        app.put(&format!("/api/v1/work-permits/{id}/assignee"), Some(&stranger), json!({"assignee_tckn": null})).await.problem(404, "work_permit.not_found");
        app.get(&format!("/api/v1/work-permits/{id}/files/{}", "d".repeat(64)), Some(&owner)).await.problem(404, "work_permit.file_not_found");
    }

    async fn a_first_permit_is_at_most_one_year_and_ends_sixty_days_before_the_passport(app) {
        let employer = household(&app).await;
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        let id = start_household(&app, &owner, &employer).await;
        let start = today(&app) + Duration::days(10);
        // One day over a year.
        let over = kapi_work_permit::calendar::period_end(start, 12).unwrap() + Duration::days(1);
        fill(&app, &owner, &id, start, over).await;
        sign(&app, &owner, &id).await;
        let r = app.post(&format!("/api/v1/work-permits/{id}/submit"), Some(&owner), json!({})).await;
        r.problem(422, "work_permit.first_too_long");
        assert_eq!(r.field(), "job.period_end");
        // Exactly a year, but past 60 days before the passport's end.
        let year = kapi_work_permit::calendar::period_end(start, 12).unwrap();
        let passport = year + Duration::days(59);
        app.put(&format!("/api/v1/work-permits/{id}/general"), Some(&owner), json!({"passport_no": "C01234567", "passport_expires_on": passport.to_string(), "education_level": "high_school"})).await.expect(200);
        app.put(&format!("/api/v1/work-permits/{id}/job"), Some(&owner), job(start, year, "mother")).await.expect(200);
        // Saving steps dropped the signature: documents and the result again.
        let a = app.get(&format!("/api/v1/work-permits/{id}"), Some(&owner)).await;
        assert_eq!(a.body["wizard"]["next_step"], "result");
        assert_eq!(a.body["steps"]["petition_sha256"], Value::Null);
        sign(&app, &owner, &id).await;
        let r = app.post(&format!("/api/v1/work-permits/{id}/submit"), Some(&owner), json!({})).await;
        r.problem(422, "work_permit.beyond_passport");
        assert_eq!(r.field(), "job.period_end");
        // 60 days exactly: accepted.
        let passport = year + Duration::days(60);
        app.put(&format!("/api/v1/work-permits/{id}/general"), Some(&owner), json!({"passport_no": "C01234567", "passport_expires_on": passport.to_string(), "education_level": "high_school"})).await.expect(200);
        sign(&app, &owner, &id).await;
        app.post(&format!("/api/v1/work-permits/{id}/submit"), Some(&owner), json!({})).await.expect(200);
    }

    async fn the_owner_authorises_users_and_assigns_applications(app) {
        let employer = household(&app).await;
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        let zeynep_tckn = "23456789060";
        let ibrahim_tckn = "34567890170";
        let zeynep = app.citizen_token(zeynep_tckn).await;
        let ibrahim = app.citizen_token(ibrahim_tckn).await;
        // Before authorisation, the employer is not theirs.
        app.get(&format!("/api/v1/work-permit-employers/{employer}"), Some(&zeynep)).await.problem(404, "work_permit.employer_not_found");
        for t in [zeynep_tckn, ibrahim_tckn] {
            let r = app.post(&format!("/api/v1/work-permit-employers/{employer}/users"), Some(&owner), json!({"tckn": t})).await;
            r.expect(201);
        }
        app.post(&format!("/api/v1/work-permit-employers/{employer}/users"), Some(&owner), json!({"tckn": zeynep_tckn})).await.problem(409, "work_permit.user_exists");
        app.post(&format!("/api/v1/work-permit-employers/{employer}/users"), Some(&owner), json!({"tckn": HOUSEHOLD_OWNER})).await.problem(422, "work_permit.already_owner");
        app.post(&format!("/api/v1/work-permit-employers/{employer}/users"), Some(&owner), json!({"tckn": ykn("200000001")})).await.problem(422, "work_permit.person_unknown");
        app.post(&format!("/api/v1/work-permit-employers/{employer}/users"), Some(&zeynep), json!({"tckn": "12345678950"})).await.problem(403, "work_permit.owner_only");
        let users = app.get(&format!("/api/v1/work-permit-employers/{employer}/users"), Some(&zeynep)).await;
        users.expect(200);
        assert_eq!(users.body.as_array().unwrap().len(), 2);
        let mine = app.get("/api/v1/work-permit-employers", Some(&zeynep)).await;
        assert_eq!(mine.body[0]["id"], employer.as_str());
        assert_eq!(mine.body[0]["role"], "authorised");

        // An authorised user starts an application and fills it (the cared person is the
        // household owner's mother); the owner assigns it to İbrahim.
        let id = start_household(&app, &zeynep, &employer).await;
        let start = today(&app) + Duration::days(10);
        fill(&app, &zeynep, &id, start, start + Duration::days(300)).await;
        let r = app.put(&format!("/api/v1/work-permits/{id}/assignee"), Some(&zeynep), json!({"assignee_tckn": ibrahim_tckn})).await;
        r.problem(403, "work_permit.owner_only");
        let r = app.put(&format!("/api/v1/work-permits/{id}/assignee"), Some(&owner), json!({"assignee_tckn": "12345678950"})).await;
        r.problem(422, "work_permit.not_an_employer_user");
        assert_eq!(r.field(), "assignee_tckn");
        let r = app.put(&format!("/api/v1/work-permits/{id}/assignee"), Some(&owner), json!({"assignee_tckn": ibrahim_tckn})).await;
        r.expect(200);
        assert_eq!(r.body["assignee"], "*********70");
        // Zeynep still reads it, but no longer acts on it; İbrahim and the owner do.
        app.get(&format!("/api/v1/work-permits/{id}"), Some(&zeynep)).await.expect(200);
        upload(&app, &zeynep, &id, "photo", "foto.jpg", jpeg(1000)).await.problem(403, "work_permit.not_assigned");
        app.post(&format!("/api/v1/work-permits/{id}/submit"), Some(&zeynep), json!({})).await.problem(403, "work_permit.not_assigned");
        upload(&app, &ibrahim, &id, "photo", "foto.jpg", jpeg(1000)).await.expect(201);
        upload(&app, &owner, &id, "photo", "foto2.jpg", jpeg(1001)).await.expect(201);
        let h = app.get(&format!("/api/v1/work-permits/{id}/history"), Some(&ibrahim)).await;
        assert!(h.body.as_array().unwrap().iter().any(|e| e["note"].as_str().unwrap_or("").contains("atandı")));
        // Lifting the assignment opens it to every user again.
        app.put(&format!("/api/v1/work-permits/{id}/assignee"), Some(&owner), json!({"assignee_tckn": null})).await.expect(200);
        upload(&app, &zeynep, &id, "photo", "foto.jpg", jpeg(1000)).await.expect(201);

        // Revoked: İbrahim reaches nothing of the employer any more.
        app.send(actix_web::http::Method::DELETE, &format!("/api/v1/work-permit-employers/{employer}/users/{ibrahim_tckn}"), Some(&zeynep), None).await.problem(403, "work_permit.owner_only");
        let r = app.send(actix_web::http::Method::DELETE, &format!("/api/v1/work-permit-employers/{employer}/users/{ibrahim_tckn}"), Some(&owner), None).await;
        assert_eq!(r.status, 204);
        app.send(actix_web::http::Method::DELETE, &format!("/api/v1/work-permit-employers/{employer}/users/{ibrahim_tckn}"), Some(&owner), None).await.problem(404, "work_permit.user_not_found");
        app.get(&format!("/api/v1/work-permits/{id}"), Some(&ibrahim)).await.problem(404, "work_permit.not_found");
        app.get(&format!("/api/v1/work-permit-employers/{employer}/users"), Some(&ibrahim)).await.problem(404, "work_permit.employer_not_found");
    }

    async fn a_household_from_draft_to_approval_then_its_extension(app) {
        let employer = household(&app).await;
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        let staff = app.staff_token("bakanlik.degerlendirici").await;
        let id = start_household(&app, &owner, &employer).await;
        let start = today(&app) + Duration::days(10);
        let end = kapi_work_permit::calendar::period_end(start, 12).unwrap();
        fill(&app, &owner, &id, start, end).await;
        sign(&app, &owner, &id).await;
        app.post(&url(&id, "submit"), Some(&owner), json!({})).await.expect(200);
        // The ministry's queue has it; it asks for a missing document, the employer uploads it.
        let q = app.get("/api/v1/ministry/work-permits", Some(&staff)).await;
        assert!(q.body["items"].as_array().unwrap().iter().any(|a| a["id"] == id.as_str()));
        app.post(&url(&id, "start-evaluation"), Some(&staff), json!({})).await.expect(200);
        let r = app.post(&url(&id, "request-documents"), Some(&staff), json!({"note": "Kira sözleşmesini yükleyiniz."})).await;
        r.expect(200);
        assert_eq!(r.body["evaluation"]["status"]["code"], "missing_documents");
        let l = app.get(&format!("/api/v1/work-permit-employers/{employer}/work-permits?list=awaiting_documents"), Some(&owner)).await;
        assert_eq!(l.body["total"], 1);
        let r = app.call(multipart(&url(&id, "missing-documents"), &owner, &json!({"documents": [{"document_type": "other", "file_index": 0}]}), &[("kira.pdf", pdf("kira"))])).await;
        r.expect(200);
        assert_eq!(r.body["evaluation"]["status"]["code"], "under_evaluation");
        approve_and_pay(&app, &staff, &owner, &id, ELNUR_YKN).await;
        let h = app.get(&format!("/api/v1/work-permits/{id}/history"), Some(&owner)).await;
        let states: Vec<&str> = h.body.as_array().unwrap().iter().map(|e| e["to_state"].as_str().unwrap()).collect();
        assert_eq!(states, ["draft", "submitted", "under_evaluation", "missing_documents", "under_evaluation", "awaiting_fees", "awaiting_fees", "approved"]);
        // The card goes out by PTT.
        let r = app.post(&url(&id, "card/print"), Some(&staff), json!({})).await;
        r.expect(200);
        assert!(r.body["after"]["card"]["tracking_no"].is_string());

        // 61 days before the end the extension window is still closed; from 60 days it opens.
        let running = app.get(&format!("/api/v1/work-permit-employers/{employer}/running-permits"), Some(&owner)).await;
        assert_eq!(running.body.as_array().unwrap().len(), 1);
        let opens = end - Duration::days(60);
        let at = |d: Date| time::PrimitiveDateTime::new(d, time::macros::time!(10:00)).assume_offset(time::macros::offset!(+3));
        app.state.clock.set(ClockSetting::Fixed(at(opens - Duration::days(1))));
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        let ext_body = json!({"employer_id": employer, "filing": "extension", "route": "in_turkiye", "ykn": ELNUR_YKN, "birth_date": ELNUR_BORN, "care_kind": "elderly_care"});
        let ext = start_with(&app, &owner, ext_body).await;
        let ext_start = end + Duration::days(1);
        // The first extension is at most 2 years.
        let two_years = kapi_work_permit::calendar::period_end(ext_start, 24).unwrap();
        fill(&app, &owner, &ext, ext_start, two_years + Duration::days(1)).await;
        sign(&app, &owner, &ext).await;
        // A day before the window: too early (and too long), both named.
        let r = app.post(&url(&ext, "submit"), Some(&owner), json!({})).await;
        r.problem(422, "validation.failed");
        let named: Vec<(String, String)> = r.body["errors"].as_array().unwrap().iter().map(|e| (e["field"].as_str().unwrap().to_owned(), e["code"].as_str().unwrap().to_owned())).collect();
        assert!(named.contains(&("filed_at".into(), "work_permit.extension_too_early".into())), "{named:?}");
        app.state.clock.set(ClockSetting::Fixed(at(opens)));
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        let staff = app.staff_token("bakanlik.degerlendirici").await;
        sign(&app, &owner, &ext).await;
        let r = app.post(&url(&ext, "submit"), Some(&owner), json!({})).await;
        r.problem(422, "work_permit.extension_too_long");
        assert_eq!(r.field(), "job.period_end");
        app.put(&url(&ext, "job"), Some(&owner), job(ext_start, two_years, "mother")).await.expect(200);
        app.put(&url(&ext, "documents"), Some(&owner), app.get(&format!("/api/v1/work-permits/{ext}"), Some(&owner)).await.body["steps"]["documents"].as_array().map(|d| json!({"documents": d.iter().map(|x| json!({"document_type": x["document_type"]["code"], "sha256": x["sha256"]})).collect::<Vec<_>>()})).unwrap()).await.expect(200);
        sign(&app, &owner, &ext).await;
        let r = app.post(&url(&ext, "submit"), Some(&owner), json!({})).await;
        r.expect(200);
        assert_eq!(r.body["kind"]["filing"]["code"], "extension");
        app.post(&url(&ext, "start-evaluation"), Some(&staff), json!({})).await.expect(200);
        approve_and_pay(&app, &staff, &owner, &ext, ELNUR_YKN).await;
        let a = app.get(&format!("/api/v1/work-permits/{ext}"), Some(&owner)).await;
        assert_eq!(a.body["period"]["end"], two_years.to_string());
        app.state.clock.set(ClockSetting::Real);
    }

    async fn an_abroad_application_from_draft_to_approval(app) {
        let company = employer_of(&app, "12345678950", Registration::Company { sgk_no: "2512001010000010060000".parse().unwrap() }).await;
        let owner = app.citizen_token("12345678950").await;
        let staff = app.staff_token("bakanlik.degerlendirici").await;
        for (reference, code) in [("2026000000000002", "work_permit.reference_expired"), ("2026000000000003", "work_permit.reference_used"), ("2026000000000009", "work_permit.reference_unknown"), ("123", "work_permit.reference_format")] {
            let r = app.post("/api/v1/work-permits", Some(&owner), json!({"employer_id": company, "filing": "first", "route": "abroad", "reference_no": reference})).await;
            r.problem(422, code);
            assert_eq!(r.field(), "reference_no");
        }
        let id = start_with(&app, &owner, json!({"employer_id": company, "filing": "first", "route": "abroad", "reference_no": "2026000000000001"})).await;
        let a = app.get(&format!("/api/v1/work-permits/{id}"), Some(&owner)).await;
        assert_eq!(a.body["foreigner"]["by"], "reference");
        assert_eq!(a.body["foreigner"]["first_name"], "Dilnoza");
        let start = today(&app) + Duration::days(20);
        fill_with(&app, &owner, &id, company_job(start, kapi_work_permit::calendar::period_end(start, 12).unwrap()), &[]).await;
        sign(&app, &owner, &id).await;
        let r = app.post(&url(&id, "submit"), Some(&owner), json!({})).await;
        r.expect(200);
        // The reference is used now: another application cannot start with it.
        let r = app.post("/api/v1/work-permits", Some(&owner), json!({"employer_id": company, "filing": "first", "route": "abroad", "reference_no": "2026000000000001"})).await;
        r.problem(422, "work_permit.reference_used");
        app.post(&url(&id, "start-evaluation"), Some(&staff), json!({})).await.expect(200);
        approve_and_pay(&app, &staff, &owner, &id, &ykn("991000777")).await;
    }

    async fn an_academic_rejected_appeals_and_is_approved(app) {
        let university = employer_of(&app, "23456789060", Registration::University { university_name: "Orta Doğu Teknik Üniversitesi".into() }).await;
        let owner = app.citizen_token("23456789060").await;
        let staff = app.staff_token("bakanlik.degerlendirici").await;
        app.post("/api/v1/work-permits", Some(&owner), json!({"employer_id": university, "filing": "first", "route": "yok_pre_permit", "yok_pre_permit_no": "20260003"})).await.problem(422, "work_permit.yok_pre_permit_refused");
        let id = start_with(&app, &owner, json!({"employer_id": university, "filing": "first", "route": "yok_pre_permit", "yok_pre_permit_no": "20260001"})).await;
        let a = app.get(&format!("/api/v1/work-permits/{id}"), Some(&owner)).await;
        assert_eq!(a.body["foreigner"]["first_name"], "Reza", "YÖK's record names the academic");
        assert_eq!(a.body["foreigner"]["nationality"], "IR");
        let start = today(&app) + Duration::days(15);
        let mut job = company_job(start, kapi_work_permit::calendar::period_end(start, 12).unwrap());
        job["occupation_code"] = json!("2310.01");
        job["reason"] = json!("Bilgisayar mühendisliği bölümünde öğretim üyesi.");
        // Academics answer whether premiums are paid abroad.
        let r = app.put(&url(&id, "job"), Some(&owner), job.clone()).await;
        assert_eq!(r.status, 422, "{}", r.text);
        job["premiums_paid_abroad"] = json!(false);
        fill_with(&app, &owner, &id, job, &["diploma"]).await;
        sign(&app, &owner, &id).await;
        app.post(&url(&id, "submit"), Some(&owner), json!({})).await.expect(200);
        app.post(&url(&id, "start-evaluation"), Some(&staff), json!({})).await.expect(200);
        let r = app.post(&url(&id, "reject"), Some(&staff), json!({"reason": "Görev tanımı kadro ile uyuşmuyor."})).await;
        r.expect(200);
        assert_eq!(r.body["evaluation"]["status"]["code"], "rejected");
        let l = app.get(&format!("/api/v1/work-permit-employers/{university}/work-permits?list=rejected"), Some(&owner)).await;
        assert_eq!(l.body["total"], 1);
        // The appeal: a justification PDF, e-signed; not a PDF refused.
        let r = app.call(multipart(&url(&id, "appeal"), &owner, &json!({}), &[("gerekce.txt", b"hello".to_vec())])).await;
        assert_eq!(r.status, 422, "{}", r.text);
        let r = app.call(multipart(&url(&id, "appeal"), &owner, &json!({}), &[("gerekce.pdf", pdf("itiraz"))])).await;
        r.expect(200);
        assert_eq!(r.body["evaluation"]["status"]["code"], "appealed");
        assert!(r.body["ministry"]["appeal"]["signed_at"].is_string());
        app.post(&url(&id, "review-appeal"), Some(&staff), json!({})).await.expect(200);
        approve_and_pay(&app, &staff, &owner, &id, &ykn("991000778")).await;
        let h = app.get(&format!("/api/v1/work-permits/{id}/history"), Some(&staff)).await;
        let states: Vec<&str> = h.body.as_array().unwrap().iter().map(|e| e["to_state"].as_str().unwrap()).collect();
        assert_eq!(states, ["draft", "submitted", "under_evaluation", "rejected", "appealed", "under_evaluation", "awaiting_fees", "awaiting_fees", "approved"]);
    }
}
