//! Açık Kapı petitions end to end: the citizen's identity check and SMS code, submission with
//! attachments, the desk's routing to two units, both units answering (a Yetkili never sees
//! contact fields), MİA approval and send-back, closing with the standard letter, the
//! citizen's query with the report and files; a wrongly routed petition reset by the MİA;
//! the overdue search on both sides of the deadline; every refusal of the issue.

use actix_web::http::Method;
use actix_web::test::TestRequest;
use kapi_tests::{both_backends, json, multipart, otp_code, pdf};
use serde_json::Value;

const AYSE: &str = "10000000146"; // Çankaya, mother's maiden surname Kaya, 5321000001
const MEHMET: &str = "12345678950"; // Keçiören, Aydın, 5321000002
const CANKAYA: i32 = 6007;
const KECIOREN: i32 = 6017;
const MILLI_EGITIM: &str = "55481037";
const SAGLIK: &str = "30005480";
const SGK_ANKARA: &str = "30005754";

fn tckn(n: u32) -> String {
    kapi_core::with_tckn_checksum(&format!("{n:09}")).unwrap()
}

fn png() -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    b.extend_from_slice(b"\0\0\0\rIHDR fake image body");
    b
}

fn form(sector: &str) -> Value {
    json!({
        "subject_address": {"province": 6, "district_code": CANKAYA, "neighbourhood_code": 60070001, "open_address": "Atatürk İlköğretim Okulu, Cumhuriyet Cad. No:5"},
        "mobile": "0532 100 00 01",
        "email": "ayse@ornek.com.tr",
        "headings": [{"heading_code": "H01", "sub_heading_code": "H01.04"}],
        "education_level": "bachelor",
        "sector_id": sector,
        "subject": "Okulun bahçe duvarı yıkılmak üzere; öğrenciler için tehlike oluşturuyor, onarılmasını talep ediyorum."
    })
}

macro_rules! sector_id {
    ($app:expr) => {{
        let s = $app.get("/api/v1/reference/sectors", None).await;
        s.expect(200);
        s.body["items"][0]["id"].as_str().unwrap().to_owned()
    }};
}

/// Logs an already registered desk user in again (after the clock moved past the token).
macro_rules! relogin {
    ($app:expr, $tckn:expr, $mobile:expr) => {{
        let o = $app.post("/api/v1/auth/petition-officer/otp", None, json!({"tckn": $tckn, "mobile": $mobile})).await;
        o.expect(201);
        let outbox = $app.get(&format!("/api/v1/dev/outbox?recipient={}", $mobile), None).await;
        let l = $app.post("/api/v1/auth/petition-officer/login", None, json!({"challenge_id": o.body["challenge_id"], "tckn": $tckn, "code": otp_code(&outbox)})).await;
        l.expect(200);
        l.body["access_token"].as_str().unwrap().to_owned()
    }};
}

macro_rules! officer {
    ($app:expr, $admin:expr, $kind:expr, $tckn:expr, $mobile:expr, $districts:expr, $units:expr) => {{
        let r = $app.post("/api/v1/admin/petition-users", Some($admin), json!({
            "kind": $kind, "tckn": $tckn, "first_name": "Deniz", "last_name": "Kurt",
            "mobile": $mobile, "province": 6, "districts": $districts, "units": $units
        })).await;
        r.expect(201);
        let o = $app.post("/api/v1/auth/petition-officer/otp", None, json!({"tckn": $tckn, "mobile": $mobile})).await;
        o.expect(201);
        let outbox = $app.get(&format!("/api/v1/dev/outbox?recipient={}", $mobile), None).await;
        let code = otp_code(&outbox);
        let l = $app.post("/api/v1/auth/petition-officer/login", None, json!({"challenge_id": o.body["challenge_id"], "tckn": $tckn, "code": code})).await;
        l.expect(200);
        l.body["access_token"].as_str().unwrap().to_owned()
    }};
}

fn has_key_anywhere(v: &Value, key: &str) -> bool {
    match v {
        Value::Object(m) => m.contains_key(key) || m.values().any(|x| has_key_anywhere(x, key)),
        Value::Array(a) => a.iter().any(|x| has_key_anywhere(x, key)),
        _ => false,
    }
}

both_backends! {
    async fn citizen_submits_units_answer_mia_sends_back_desk_closes_citizen_queries(app) {
        app.send(Method::PUT, "/api/v1/dev/clock", None, Some(json!({"at": "2026-03-02T07:00:00Z"}))).await.expect(200);
        let sector = sector_id!(app);

        // Identity check: a wrong letter of the mother's maiden surname is refused, naming nothing.
        let r = app.post("/api/v1/auth/petition-citizen/identity-check", None, json!({
            "tckn": AYSE, "first_name": "Ayşe", "last_name": "Yılmaz",
            "mother_maiden_first_letter": "K", "mother_maiden_last_letter": "E", "mobile": "5321000001"
        })).await;
        r.problem(422, "petition.identity_mismatch");
        // A wrong code is refused and counted.
        let r = app.post("/api/v1/auth/petition-citizen/identity-check", None, json!({
            "tckn": AYSE, "first_name": "AYŞE", "last_name": "yılmaz",
            "mother_maiden_first_letter": "k", "mother_maiden_last_letter": "a", "mobile": "+905321000001"
        })).await;
        r.expect(201);
        let outbox = app.get("/api/v1/dev/outbox?recipient=5321000001", None).await;
        let code = otp_code(&outbox);
        let wrong = if code == "000000" { "111111" } else { "000000" };
        app.post("/api/v1/auth/petition-citizen/verify", None, json!({"challenge_id": r.body["challenge_id"], "tckn": AYSE, "code": wrong})).await
            .problem(422, "validation.failed");
        let v = app.post("/api/v1/auth/petition-citizen/verify", None, json!({"challenge_id": r.body["challenge_id"], "tckn": AYSE, "code": code})).await;
        v.expect(200);
        let citizen = v.body["access_token"].as_str().unwrap().to_owned();
        app.post("/api/v1/auth/petition-citizen/verify", None, json!({"challenge_id": r.body["challenge_id"], "tckn": AYSE, "code": code})).await
            .problem(409, "otp.already_used");

        // The registry fills identity and residence.
        let f = app.get("/api/v1/petitions/form", Some(&citizen)).await;
        f.expect(200);
        assert_eq!(f.body["first_name"], "Ayşe");
        assert_eq!(f.body["residence"]["district_code"], CANKAYA);

        // Bad attachments: 10 MB + 1 byte, and a program renamed .pdf; nothing is saved.
        let mut big = b"%PDF-".to_vec();
        big.resize(10 * 1024 * 1024 + 1, b' ');
        app.call(multipart("/api/v1/petitions", &citizen, &form(&sector), &[("büyük.pdf", big)])).await
            .problem(422, "validation.failed");
        let r = app.call(multipart("/api/v1/petitions", &citizen, &form(&sector), &[("tamam.pdf", pdf("ok")), ("dilekce.pdf", b"MZ\x90\x00 this program cannot be run".to_vec())])).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.body["errors"][0]["field"], "files[1]");
        assert_eq!(r.body["errors"][0]["code"], "attachment.content_mismatch");
        // Every invalid field at once.
        let mut bad = form(&sector);
        bad["subject_address"] = json!({"province": 6, "district_code": 34023, "open_address": "x"});
        bad["headings"] = json!([{"heading_code": "DIGER", "sub_heading_code": "DIGER.01"}]);
        bad["education_level"] = json!("phd");
        bad["subject"] = json!("kısa");
        let r = app.call(multipart("/api/v1/petitions", &citizen, &bad, &[])).await;
        r.problem(422, "validation.failed");
        let fields: Vec<&str> = r.body["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
        for f in ["subject_address.open_address", "subject_address.district_code", "subject_address.neighbourhood_code", "headings[0].description", "education_level", "subject"] {
            assert!(fields.contains(&f), "{f} in {fields:?}");
        }
        let mine = app.get("/api/v1/petitions", Some(&citizen)).await;
        assert_eq!(mine.body["total"], 0, "no half-written petition");

        // Submitted with two files: the tracking number, also by SMS.
        let r = app.call(multipart("/api/v1/petitions", &citizen, &form(&sector), &[("dilekçe.pdf", pdf("dilekce")), ("duvar.png", png())])).await;
        r.expect(201);
        let p = r.body.clone();
        let id = p["id"].as_str().unwrap().to_owned();
        let no = p["tracking_no"].as_i64().unwrap();
        assert_eq!(no, 1001);
        assert_eq!(p["status"], "in_pool");
        assert_eq!(p["status_label"], "Başvuru Açık Kapı Birim Havuzunda");
        assert_eq!(p["petitioner"]["first_name"], "Ayşe");
        assert_eq!(p["contact"]["mobile"], "5321000001");
        assert_eq!(p["files"].as_array().unwrap().len(), 2);
        assert_eq!(p["files"][1]["media_type"], "image/png");
        assert_eq!(p["subject_address"]["neighbourhood_code"], 60070001);
        let sms = app.get("/api/v1/dev/outbox?recipient=5321000001", None).await;
        assert!(sms.body[0]["body"].as_str().unwrap().contains("1001"), "{}", sms.body[0]);

        // The province administrator registers the desk and two units; they log in by SMS.
        let admin = app.staff_token("ankara.valilik").await;
        let aks = officer!(app, &admin, "desk_officer", &tckn(100000001), "5330000001", json!([]), json!([]));
        let kecioren_aks = officer!(app, &admin, "desk_officer", &tckn(100000002), "5330000002", json!([KECIOREN]), json!([]));
        let yetkili_a = officer!(app, &admin, "unit_officer", &tckn(100000003), "5330000003", json!([]), json!([MILLI_EGITIM]));
        let yetkili_b = officer!(app, &admin, "unit_officer", &tckn(100000004), "5330000004", json!([]), json!([SAGLIK]));
        let yetkili_other = officer!(app, &admin, "unit_officer", &tckn(100000005), "5330000005", json!([]), json!([SGK_ANKARA]));
        let mia = app.staff_token("ankara.mia").await;
        let istanbul_mia = app.staff_token("istanbul.mia").await;
        let path = format!("/api/v1/petitions/{id}");

        // Scope: the Keçiören-only desk, a unit it is not routed to, the other province, another citizen.
        app.get(&path, Some(&kecioren_aks)).await.problem(404, "petition.not_found");
        app.get(&path, Some(&yetkili_a)).await.problem(404, "petition.not_found");
        app.get(&path, Some(&istanbul_mia)).await.problem(404, "petition.not_found");
        let mehmet = app.citizen_token(MEHMET).await;
        app.get(&path, Some(&mehmet)).await.problem(404, "petition.not_found");
        assert_eq!(app.get("/api/v1/petitions", Some(&kecioren_aks)).await.body["total"], 0);

        // The desk finds it by every criterion.
        for q in [format!("tracking_no={no}"), format!("tckn={AYSE}"), "first_name=ayse".into(), "last_name=YILMAZ".into(), "heading_code=H01".into(), "sub_heading_code=H01.04".into(), "status=in_pool".into(), "from=2026-03-02&to=2026-03-02".into()] {
            let l = app.get(&format!("/api/v1/petitions?{q}"), Some(&aks)).await;
            l.expect(200);
            assert_eq!(l.body["total"], 1, "{q}");
            assert!(!has_key_anywhere(&l.body, "mobile"));
        }
        assert_eq!(app.get("/api/v1/petitions?from=2026-03-03", Some(&aks)).await.body["total"], 0);
        app.get("/api/v1/petitions?status=lost", Some(&aks)).await.problem(422, "validation.failed");

        // Headings: the one thing the desk changes (If-Match), citizens change nothing.
        let r = app.call(TestRequest::put().uri(&format!("{path}/headings")).insert_header(("Authorization", format!("Bearer {aks}"))).insert_header(("If-Match", "\"1\""))
            .set_json(json!({"headings": [{"heading_code": "H01", "sub_heading_code": "H01.04"}, {"heading_code": "H01", "sub_heading_code": "H01.07"}]}))).await;
        r.expect(200);
        assert_eq!(r.body["headings"].as_array().unwrap().len(), 2);
        app.call(TestRequest::put().uri(&format!("{path}/headings")).insert_header(("Authorization", format!("Bearer {aks}"))).insert_header(("If-Match", "\"1\""))
            .set_json(json!({"headings": [{"heading_code": "H01", "sub_heading_code": "H01.04"}]}))).await.problem(412, "precondition.version_mismatch");
        app.post(&format!("{path}/routings"), Some(&citizen), json!({"units": [MILLI_EGITIM]})).await.problem(403, "petition.not_allowed");

        // Routed to two units; closing is refused while either has not answered.
        let r = app.post(&format!("{path}/routings"), Some(&aks), json!({"units": [MILLI_EGITIM, SAGLIK]})).await;
        r.expect(200);
        assert_eq!(r.body["status"], "routed");
        assert_eq!(r.body["routings"][0]["deadline"], "2026-04-01");
        app.post(&format!("{path}/routings"), Some(&aks), json!({"units": ["99999999"]})).await.problem(422, "validation.failed");
        app.post(&format!("{path}/close"), Some(&aks), json!({"outcome": "positive", "reply": "Onarıldı."})).await
            .problem(409, "petition.unanswered_routings");

        // A Yetkili sees it without any contact field; another unit still does not.
        let y = app.get(&path, Some(&yetkili_a)).await;
        y.expect(200);
        for k in ["contact", "mobile", "email", "home_phone", "residence", "tckn"] {
            assert!(!has_key_anywhere(&y.body, k), "{k} leaked to a Yetkili: {}", y.body);
        }
        assert_eq!(y.body["routings"].as_array().unwrap().len(), 1, "only its own unit's routing");
        app.get(&path, Some(&yetkili_other)).await.problem(404, "petition.not_found");
        let list = app.get("/api/v1/petitions", Some(&yetkili_a)).await;
        assert_eq!(list.body["total"], 1);
        assert!(!has_key_anywhere(&list.body, "mobile"));
        let report = app.get(&format!("{path}/report"), Some(&yetkili_a)).await;
        report.expect(200);
        assert!(report.raw.starts_with(b"%PDF-"));

        // Unit A answers once, with a file.
                let r = app.call(multipart(&format!("{path}/answers"), &yetkili_a, &json!({"outcome": "positive", "text": "Duvar onarım programına alındı."}), &[("tutanak.pdf", pdf("tutanak"))])).await;
        r.expect(200);
        let unit_a_file = r.body["routings"][0]["answer"]["files"][0]["href"].as_str().unwrap().to_owned();
        assert_eq!(app.get(&unit_a_file, Some(&yetkili_a)).await.raw, pdf("tutanak"), "a unit reads its own answer's file");
        assert_eq!(r.body["routings"][0]["answer"]["outcome"], "positive");
        assert!(!has_key_anywhere(&r.body, "contact"));
        app.post(&format!("{path}/answers"), Some(&yetkili_a), json!({"outcome": "negative", "text": "İkinci cevap"})).await
            .problem(409, "routing.already_answered");
        app.post(&format!("{path}/answers"), Some(&yetkili_other), json!({"outcome": "negative", "text": "Bizim değil"})).await
            .problem(404, "petition.not_found");

        // Overdue: unit B's deadline is 1 April — not overdue at 23:59 that day, overdue at 00:00 on the 2nd.
        app.send(Method::PUT, "/api/v1/dev/clock", None, Some(json!({"at": "2026-04-01T20:59:00Z"}))).await.expect(200);
        let admin = app.staff_token("ankara.valilik").await;
        let aks = officer!(app, &admin, "desk_officer", &tckn(100000006), "5330000006", json!([]), json!([]));
        assert_eq!(app.get("/api/v1/petitions?overdue=true", Some(&aks)).await.body["total"], 0);
        app.send(Method::PUT, "/api/v1/dev/clock", None, Some(json!({"at": "2026-04-01T21:00:00Z"}))).await.expect(200);
        let aks = officer!(app, &admin, "desk_officer", &tckn(100000007), "5330000007", json!([]), json!([]));
        let l = app.get("/api/v1/petitions?overdue=true", Some(&aks)).await;
        assert_eq!(l.body["total"], 1);
        assert_eq!(l.body["items"][0]["overdue"], true);
        drop(yetkili_b);
        let yetkili_b = relogin!(app, tckn(100000004), "5330000004");
        let r = app.post(&format!("{path}/answers"), Some(&yetkili_b), json!({"outcome": "negative", "text": "Hastane ile ilgisi bulunmamaktadır."})).await;
        r.expect(200);
        assert_eq!(r.body["status"], "units_answered");
                assert_eq!(app.get("/api/v1/petitions?overdue=true", Some(&aks)).await.body["total"], 0, "answered late is no longer unanswered");
        assert_eq!(r.body["routings"].as_array().unwrap().len(), 1, "unit B sees its own routing only");
        app.get(&unit_a_file, Some(&yetkili_b)).await.problem(404, "petition_file.not_found");

        // To the MİA; the MİA of another province cannot touch it; sent back with an explanation.
        drop((mia, istanbul_mia, mehmet, yetkili_a));
        let mia = app.staff_token("ankara.mia").await;
        let istanbul_mia = app.staff_token("istanbul.mia").await;
        let mehmet = app.citizen_token(MEHMET).await;
        let yetkili_a = relogin!(app, tckn(100000003), "5330000003");
        app.post(&format!("{path}/send-back"), Some(&mia), json!({"text": "Henüz gönderilmedi"})).await.problem(409, "petition.not_awaiting_governor");
        let r = app.post(&format!("{path}/governor-review"), Some(&aks), json!({})).await;
        r.expect(200);
        assert_eq!(r.body["status"], "awaiting_governor");
        app.post(&format!("{path}/close"), Some(&aks), json!({"outcome": "positive", "reply": "Onarıldı."})).await
            .problem(409, "petition.awaiting_governor");
        app.post(&format!("{path}/send-back"), Some(&istanbul_mia), json!({"text": "Başka il"})).await.problem(404, "petition.not_found");
        app.post(&format!("{path}/send-back"), Some(&aks), json!({"text": "Ben değilim"})).await.problem(403, "petition.not_allowed");
        let r = app.post(&format!("{path}/send-back"), Some(&mia), json!({"text": "Sağlık Müdürlüğü cevabı eksik, cevabı birleştirerek kapatınız."})).await;
        r.expect(200);
        assert_eq!(r.body["status"], "sent_back");
        assert_eq!(r.body["governor"]["sent_back"], "Sağlık Müdürlüğü cevabı eksik, cevabı birleştirerek kapatınız.");
        assert_eq!(app.get("/api/v1/petitions", Some(&mia)).await.body["total"], 1);

        // Closed partly positive: the standard letter, an SMS; afterwards nothing changes.
        let r = app.post(&format!("{path}/close"), Some(&aks), json!({"outcome": "partly_positive", "reply": "Okul duvarı onarım programına alınmıştır."})).await;
        r.expect(200);
        assert_eq!(r.body["status"], "closed");
        let letter = r.body["closing"]["letter"].as_str().unwrap();
        assert!(letter.starts_with("Sayın Ayşe Yılmaz; Açık Kapı Bürosu'na 02.03.2026 tarihinde yapmış olduğunuz 1001 no'lu başvurunuz"), "{letter}");
        assert!(letter.ends_with("ANKARA VALİLİĞİ"), "{letter}");
        let sms = app.get("/api/v1/dev/outbox?recipient=5321000001", None).await;
        assert!(sms.body[0]["body"].as_str().unwrap().contains("Kısmen Olumlu Kısmen Olumsuz"));
        app.post(&format!("{path}/routings"), Some(&aks), json!({"units": [SGK_ANKARA]})).await.problem(409, "petition.closed");
        app.call(TestRequest::put().uri(&format!("{path}/headings")).insert_header(("Authorization", format!("Bearer {aks}")))
            .set_json(json!({"headings": [{"heading_code": "H01", "sub_heading_code": "H01.04"}]}))).await.problem(409, "petition.closed");
        app.post(&format!("{path}/reset"), Some(&mia), json!({})).await.problem(409, "petition.closed");

        // The citizen queries: tracking number + TCKN → code → the petition, files, report, history.
        app.post("/api/v1/auth/petition-citizen/query", None, json!({"tracking_no": no, "tckn": MEHMET})).await.problem(404, "petition.not_found");
        let q = app.post("/api/v1/auth/petition-citizen/query", None, json!({"tracking_no": no, "tckn": AYSE})).await;
        q.expect(201);
        assert_eq!(q.body["petition_id"], id.as_str());
        let outbox = app.get("/api/v1/dev/outbox?recipient=5321000001", None).await;
        let v = app.post("/api/v1/auth/petition-citizen/verify", None, json!({"challenge_id": q.body["challenge_id"], "tckn": AYSE, "code": otp_code(&outbox)})).await;
        v.expect(200);
        let viewer = v.body["access_token"].as_str().unwrap().to_owned();
        let got = app.get(&path, Some(&viewer)).await;
        got.expect(200);
        assert_eq!(got.body["closing"]["outcome"], "partly_positive");
        assert_eq!(got.body["routings"].as_array().unwrap().len(), 2);
        let file = app.get(got.body["files"][0]["href"].as_str().unwrap(), Some(&viewer)).await;
        file.expect(200);
        assert_eq!(file.raw, pdf("dilekce"));
        let answer_file = got.body["routings"][0]["answer"]["files"][0]["href"].as_str().unwrap().to_owned();
        assert_eq!(app.get(&answer_file, Some(&viewer)).await.raw, pdf("tutanak"));
        app.get(&answer_file, Some(&mehmet)).await.problem(404, "petition.not_found");
        let report = app.get(&format!("{path}/report"), Some(&viewer)).await;
        report.expect(200);
        assert_eq!(report.header("content-type").as_deref(), Some("application/pdf"));
        assert!(report.raw.starts_with(b"%PDF-"));
        let h = app.get(&format!("{path}/history"), Some(&viewer)).await;
        let notes: Vec<&str> = h.body["items"].as_array().unwrap().iter().map(|e| e["note"].as_str().unwrap()).collect();
        for n in ["Başvuru Açık Kapı Birim Havuzunda", "Başvuru İlgili Birime Yönlendirildi (Ankara İl Milli Eğitim Müdürlüğü)", "Başvuru İlgili Birime Yönlendirildi (Ankara İl Sağlık Müdürlüğü)", "Birimden Cevap Geldi (Ankara İl Sağlık Müdürlüğü)", "Başvuru Mülki İdare Amiri Onayına Gönderildi", "Başvuru Kısmen Olumlu Kısmen Olumsuz Kapatıldı"] {
            assert!(notes.contains(&n), "{n} in {notes:?}");
        }
        assert!(notes.iter().any(|n| n.starts_with("Geri Gönderildi")));
        // A citizen cannot change anything.
        app.post(&format!("{path}/close"), Some(&viewer), json!({"outcome": "positive", "reply": "Kendim kapatırım"})).await.problem(403, "petition.not_allowed");

        // The desk exports the list to Excel; the sector is now in use.
        let x = app.get("/api/v1/petitions/export", Some(&aks)).await;
        x.expect(200);
        assert!(x.raw.starts_with(b"PK"));
        app.get("/api/v1/petitions/export?tracking_no=9999", Some(&aks)).await.problem(404, "report.no_records");
        app.get("/api/v1/petitions/export", Some(&yetkili_a)).await.problem(403, "petition.not_allowed");
        let sysadmin = app.staff_token("admin").await;
        app.send(Method::DELETE, &format!("/api/v1/admin/sectors/{sector}"), Some(&sysadmin), None).await.problem(409, "sector.in_use");
    }

    async fn written_petition_wrongly_routed_is_reset_by_the_mia(app) {
        let sector = sector_id!(app);
        let admin = app.staff_token("ankara.valilik").await;
        let aks = officer!(app, &admin, "desk_officer", &tckn(200000001), "5340000001", json!([KECIOREN]), json!([]));
        let yetkili = officer!(app, &admin, "unit_officer", &tckn(200000002), "5340000002", json!([]), json!([SGK_ANKARA]));
        let mia = app.staff_token("ankara.mia").await;

        // The desk looks the citizen up and enters the written petition ("same as residence": Keçiören).
        let f = app.get(&format!("/api/v1/petitions/form?tckn={MEHMET}"), Some(&aks)).await;
        f.expect(200);
        assert_eq!(f.body["last_name"], "Demir");
        let mut body = form(&sector);
        body["subject_address"] = json!({"same_as_residence": true});
        body["mobile"] = json!(null);
        body["home_phone"] = json!("0312 555 44 33");
        body["tckn"] = json!(MEHMET);
        body["arrival_date"] = json!("2099-01-01");
        app.post("/api/v1/petitions/written", Some(&aks), body.clone()).await.problem(422, "validation.failed");
        body["arrival_date"] = json!("2026-01-05");
        let r = app.post("/api/v1/petitions/written", Some(&aks), body.clone()).await;
        r.expect(201);
        assert_eq!(r.body["channel"], "written");
        assert_eq!(r.body["arrival_date"], "2026-01-05");
        assert_eq!(r.body["subject_address"]["district_code"], KECIOREN);
        let id = r.body["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/petitions/{id}");
        // Outside the desk's districts: refused.
        body["subject_address"] = json!({"province": 6, "district_code": CANKAYA, "neighbourhood_code": 60070001, "open_address": "Kızılay Meydanı No:1"});
        let r = app.post("/api/v1/petitions/written", Some(&aks), body).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.body["errors"][0]["code"], "petition.outside_your_area");
        // Citizens do not enter written petitions.
        let citizen = app.citizen_token(MEHMET).await;
        let mut valid = form(&sector);
        valid["tckn"] = json!(MEHMET);
        valid["arrival_date"] = json!("2026-01-05");
        app.post("/api/v1/petitions/written", Some(&citizen), valid).await.problem(403, "petition.not_allowed");

        // Routed to the wrong unit, which answers; the MİA resets: back to the pool, the unit loses it.
        app.post(&format!("{path}/routings"), Some(&aks), json!({"units": [SGK_ANKARA]})).await.expect(200);
        app.post(&format!("{path}/answers"), Some(&yetkili), json!({"outcome": "negative", "text": "Kurumumuzu ilgilendirmiyor."})).await.expect(200);
        app.post(&format!("{path}/reset"), Some(&aks), json!({})).await.problem(403, "petition.not_allowed");
        let r = app.post(&format!("{path}/reset"), Some(&mia), json!({})).await;
        r.expect(200);
        assert_eq!(r.body["status"], "in_pool");
        assert_eq!(r.body["routings"].as_array().unwrap().len(), 0);
        assert!(r.body["governor"].is_null());
        app.get(&path, Some(&yetkili)).await.problem(404, "petition.not_found");
        let h = app.get(&format!("{path}/history"), Some(&mia)).await;
        let notes: Vec<&str> = h.body["items"].as_array().unwrap().iter().map(|e| e["note"].as_str().unwrap()).collect();
        assert!(notes.contains(&"İşlemler Geri Alındı"));
        assert!(notes.iter().any(|n| n.starts_with("Birimden Cevap Geldi")), "the history keeps the answer");
        // It starts over: routed again to the right unit.
        let r = app.post(&format!("{path}/routings"), Some(&aks), json!({"units": [MILLI_EGITIM]})).await;
        r.expect(200);
        assert_eq!(r.body["routings"][0]["unit_no"], MILLI_EGITIM);
        // The statuses' Turkish names are a code list.
        let s = app.get("/api/v1/reference/petition-statuses", None).await;
        assert_eq!(s.body["total"], 7);
    }

    async fn unknown_officer_and_non_actors(app) {
        app.post("/api/v1/auth/petition-officer/otp", None, json!({"tckn": tckn(300000001), "mobile": "5350000001"})).await
            .problem(404, "petition_user.not_found");
        let staff = app.staff_token("iskur.ankara").await;
        app.get("/api/v1/petitions", Some(&staff)).await.problem(403, "petition.not_allowed");
        app.get("/api/v1/petitions/not-a-uuid", Some(&staff)).await.problem(404, "petition.not_found");
        app.post("/api/v1/auth/petition-citizen/identity-check", None, json!({
            "tckn": "10000000147", "first_name": "A", "last_name": "B",
            "mother_maiden_first_letter": "K", "mother_maiden_last_letter": "A", "mobile": "123"
        })).await.problem(422, "validation.failed");
        let r = app.call(TestRequest::post().uri("/api/v1/petitions").insert_header(("Authorization", format!("Bearer {}", app.citizen_token(AYSE).await))).insert_header(("Content-Type", "text/plain")).set_payload("x")).await;
        r.problem(415, "request.unsupported_media_type");
    }

    async fn citizen_codes_expire_after_three_minutes_and_die_after_five_tries(app) {
        app.send(Method::PUT, "/api/v1/dev/clock", None, Some(json!({"at": "2026-03-02T07:00:00Z"}))).await.expect(200);
        let check = json!({
            "tckn": AYSE, "first_name": "Ayşe", "last_name": "Yılmaz",
            "mother_maiden_first_letter": "K", "mother_maiden_last_letter": "A", "mobile": "5321000001"
        });
        let send = || app.post("/api/v1/auth/petition-citizen/identity-check", None, check.clone());
        let verify = |challenge: &Value, code: &str| app.post("/api/v1/auth/petition-citizen/verify", None, json!({"challenge_id": challenge, "tckn": AYSE, "code": code}));
        let first = send().await;
        first.expect(201);
        let code1 = otp_code(&app.get("/api/v1/dev/outbox?recipient=5321000001", None).await);
        let second = send().await;
        second.expect(201);
        let code2 = otp_code(&app.get("/api/v1/dev/outbox?recipient=5321000001", None).await);

        // Three minutes on the dot: still good; one second later: expired.
        app.send(Method::PUT, "/api/v1/dev/clock", None, Some(json!({"at": "2026-03-02T07:03:00Z"}))).await.expect(200);
        verify(&first.body["challenge_id"], &code1).await.expect(200);
        app.send(Method::PUT, "/api/v1/dev/clock", None, Some(json!({"at": "2026-03-02T07:03:01Z"}))).await.expect(200);
        verify(&second.body["challenge_id"], &code2).await.problem(422, "otp.expired");

        // The third code in ten minutes is sent, the fourth is not.
        let third = send().await;
        third.expect(201);
        let code3 = otp_code(&app.get("/api/v1/dev/outbox?recipient=5321000001", None).await);
        send().await.problem(429, "otp.rate_limited");

        // Four wrong tries are counted; the fifth kills the challenge, even for the right code.
        let wrong = if code3 == "000000" { "111111" } else { "000000" };
        for _ in 0..4 {
            verify(&third.body["challenge_id"], wrong).await.problem(422, "validation.failed");
        }
        verify(&third.body["challenge_id"], wrong).await.problem(422, "otp.too_many_attempts");
        verify(&third.body["challenge_id"], &code3).await.problem(422, "otp.too_many_attempts");
        // A code is bound to the TCKN it was sent for.
        app.post("/api/v1/auth/petition-citizen/verify", None, json!({"challenge_id": third.body["challenge_id"], "tckn": MEHMET, "code": code3})).await
            .problem(404, "otp.not_found");
    }

    async fn a_multipart_body_has_one_data_part(app) {
        let sector = sector_id!(app);
        let citizen = app.citizen_token(AYSE).await;
        let boundary = "kapiBoundaryTwoDataParts";
        let part = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"data\"\r\nContent-Type: application/json\r\n\r\n{}\r\n", form(&sector));
        let body = format!("{part}{part}--{boundary}--\r\n");
        let r = app.call(TestRequest::post().uri("/api/v1/petitions")
            .insert_header(("Authorization", format!("Bearer {citizen}")))
            .insert_header(("Content-Type", format!("multipart/form-data; boundary={boundary}")))
            .set_payload(body)).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.body["errors"][0]["field"], "data");
        assert_eq!(r.body["errors"][0]["code"], "request.duplicate_part");
        assert_eq!(app.get("/api/v1/petitions", Some(&citizen)).await.body["total"], 0);
    }
}
