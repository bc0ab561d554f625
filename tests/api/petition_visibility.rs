//! Issue 19 items 3 and 4: every read of a petition by a unit officer (Yetkili) goes
//! through one visibility rule. A petition is routed to two units, X (Milli Eğitim) and
//! Y (Sağlık); both answer with a file, the MİA sends it back, the desk closes it. Each
//! unit's Yetkili then reads it every way there is — the petition, the list, the history,
//! the files, the PDF report, the Excel export — and never meets the other unit's routing,
//! answer, notes or files, the MİA's review, the closing letter, or the citizen's TCKN and
//! contact fields. A Yetkili cannot narrow the list by the TCKN it does not see, and its
//! "overdue" filter looks at its own units' routings only.

use actix_web::dev::{Service, ServiceResponse};
use kapi_tests::{both_backends, json, multipart, pdf, Resp, TestApp};
use serde_json::Value;

const AYSE: &str = "10000000146";
const MEHMET: &str = "12345678950";
const CANKAYA: i32 = 6007;
const MILLI_EGITIM: &str = "55481037";
const SAGLIK: &str = "30005480";

fn tckn(n: u32) -> String {
    kapi_core::with_tckn_checksum(&format!("{n:09}")).unwrap()
}

async fn register_officer<S, B>(
    app: &TestApp<S>,
    admin: &str,
    kind: &str,
    tckn: &str,
    mobile: &str,
    units: Value,
) where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: actix_web::body::MessageBody,
{
    app.post(
        "/api/v1/admin/petition-users",
        Some(admin),
        json!({
            "kind": kind, "tckn": tckn, "first_name": "Deniz", "last_name": "Kurt",
            "mobile": mobile, "province": 6, "districts": [], "units": units
        }),
    )
    .await
    .expect(201);
}

/// The text of a PDF with white space collapsed (a wrapped line reads as one).
fn pdf_text(r: &Resp) -> String {
    assert!(r.raw.starts_with(b"%PDF-"), "not a PDF: {}", r.text);
    pdf_extract::extract_text_from_mem(&r.raw)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn keys(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                out.push(k.clone());
                keys(x, out);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| keys(x, out)),
        _ => {}
    }
}

/// What one unit wrote, and what identifies it.
struct Unit {
    no: &'static str,
    name: &'static str,
    answer: &'static str,
    token: String,
    /// The href of its answer's file.
    file: String,
}

both_backends! {
    async fn a_unit_officer_reads_only_its_own_unit_in_every_read(app) {
        app.set_clock("2026-03-02T07:00:00Z").await;
        let sectors = app.get("/api/v1/reference/sectors", None).await;
        let sector = sectors.body["items"][0]["id"].as_str().unwrap().to_owned();
        let citizen = app.citizen_token(AYSE).await;
        let form = json!({
            "subject_address": {"province": 6, "district_code": CANKAYA, "neighbourhood_code": 60070001, "open_address": "Cumhuriyet Cad. No:5"},
            "mobile": "0532 100 00 01",
            "email": "ayse@ornek.com.tr",
            "headings": [{"heading_code": "H01", "sub_heading_code": "H01.04"}],
            "education_level": "bachelor",
            "sector_id": sector,
            "subject": "Okulun bahçe duvarı yıkılmak üzere; onarılmasını talep ediyorum."
        });
        let r = app.call(multipart("/api/v1/petitions", &citizen, &form, &[("dilekce.pdf", pdf("VATANDASDOSYASI"))])).await;
        r.expect(201);
        let id = r.body["id"].as_str().unwrap().to_owned();
        let citizen_file = r.body["files"][0]["href"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/petitions/{id}");

        let admin = app.staff_token("ankara.valilik").await;
        let (desk_tckn, x_tckn, y_tckn) = (tckn(500000001), tckn(500000002), tckn(500000003));
        register_officer(&app, &admin, "desk_officer", &desk_tckn, "5370000001", json!([])).await;
        register_officer(&app, &admin, "unit_officer", &x_tckn, "5370000002", json!([MILLI_EGITIM])).await;
        register_officer(&app, &admin, "unit_officer", &y_tckn, "5370000003", json!([SAGLIK])).await;
        let desk = app.officer_token(&desk_tckn, "5370000001").await;
        app.post(&format!("{path}/routings"), Some(&desk), json!({"units": [MILLI_EGITIM, SAGLIK]})).await.expect(200);

        // Y answers at once, X after its deadline (1 April).
        let y_token = app.officer_token(&y_tckn, "5370000003").await;
        let r = app.call(multipart(&format!("{path}/answers"), &y_token, &json!({"outcome": "negative", "text": "Sağlık cevabı YGIZLI."}), &[("saglik.pdf", pdf("YDOSYASI"))])).await;
        r.expect(200);
        let y_file = r.body["routings"][0]["answer"]["files"][0]["href"].as_str().unwrap().to_owned();

        // 2 April: X's routing is overdue, Y's is answered. Each Yetkili's "overdue" is its own.
        app.set_clock("2026-04-02T07:00:00Z").await;
        let x_token = app.officer_token(&x_tckn, "5370000002").await;
        let y_token = app.officer_token(&y_tckn, "5370000003").await;
        let desk = app.officer_token(&desk_tckn, "5370000001").await;
        assert_eq!(app.get("/api/v1/petitions?overdue=true", Some(&desk)).await.body["total"], 1);
        assert_eq!(app.get("/api/v1/petitions?overdue=true", Some(&x_token)).await.body["total"], 1);
        let l = app.get("/api/v1/petitions?overdue=true", Some(&y_token)).await;
        l.expect(200);
        assert_eq!(l.body["total"], 0, "Y answered; X's late routing is not Y's business");
        let l = app.get("/api/v1/petitions", Some(&y_token)).await;
        assert_eq!(l.body["items"][0]["overdue"], false, "{}", l.text);

        let r = app.call(multipart(&format!("{path}/answers"), &x_token, &json!({"outcome": "positive", "text": "Milli Eğitim cevabı XGIZLI."}), &[("egitim.pdf", pdf("XDOSYASI"))])).await;
        r.expect(200);
        let x_file = r.body["routings"][0]["answer"]["files"][0]["href"].as_str().unwrap().to_owned();
        app.post(&format!("{path}/governor-review"), Some(&desk), json!({})).await.expect(200);
        let mia = app.staff_token("ankara.mia").await;
        app.post(&format!("{path}/send-back"), Some(&mia), json!({"text": "Cevaplar birleştirilsin MIAGIZLI."})).await.expect(200);
        app.post(&format!("{path}/close"), Some(&desk), json!({"outcome": "partly_positive", "reply": "Okul duvarı onarılacaktır KAPANISGIZLI."})).await.expect(200);

        // The desk sees all of it: the controls that the checks below can find these words.
        let whole = app.get(&path, Some(&desk)).await;
        whole.expect(200);
        let residence = whole.body["petitioner"]["residence"]["open_address"].as_str().unwrap().to_owned();
        let history = app.get(&format!("{path}/history"), Some(&desk)).await;
        let desk_pdf = pdf_text(&app.get(&format!("{path}/report"), Some(&desk)).await);
        for s in ["Sağlık", "Milli Eğitim", "Mülki İdare", "MIAGIZLI", "Kapatıldı"] {
            assert!(history.text.contains(s), "{s} in the desk's history: {}", history.text);
        }
        for s in [AYSE, "5321000001", "ayse@ornek.com.tr", residence.as_str(), SAGLIK, MILLI_EGITIM, "XGIZLI", "YGIZLI", "MIAGIZLI", "KAPANISGIZLI"] {
            assert!(desk_pdf.contains(s), "{s} in the desk's PDF: {desk_pdf}");
        }

        let units = [
            Unit { no: MILLI_EGITIM, name: "Milli Eğitim", answer: "XGIZLI", token: x_token, file: x_file },
            Unit { no: SAGLIK, name: "Sağlık", answer: "YGIZLI", token: y_token, file: y_file },
        ];
        for (own, other) in [(&units[0], &units[1]), (&units[1], &units[0])] {
            let who = format!("the Yetkili of {}", own.name);
            let token = Some(own.token.as_str());
            // Nothing of the other unit, the MİA, the closing or the citizen's identity.
            let mut hidden = vec![other.no, other.name, other.answer, "MIAGIZLI", "KAPANISGIZLI", AYSE, "*********46", "5321000001", "ayse@ornek.com.tr", residence.as_str()];
            let other_file_id = other.file.rsplit('/').next().unwrap().to_owned();
            hidden.push(&other_file_id);

            // The petition.
            let v = app.get(&path, token).await;
            v.expect(200);
            let mut k = vec![];
            keys(&v.body, &mut k);
            for f in ["contact", "mobile", "email", "home_phone", "residence", "tckn", "governor", "closing"] {
                assert!(!k.iter().any(|x| x == f), "{who}: `{f}` in the petition: {}", v.text);
            }
            assert_eq!(v.body["routings"].as_array().unwrap().len(), 1, "{who}: {}", v.text);
            assert_eq!(v.body["routings"][0]["unit_no"], own.no);
            for s in &hidden {
                assert!(!v.text.contains(s), "{who}: {s} in the petition: {}", v.text);
            }

            // The list, and its filters.
            let l = app.get("/api/v1/petitions", token).await;
            l.expect(200);
            assert_eq!(l.body["total"], 1);
            for s in &hidden {
                assert!(!l.text.contains(s), "{who}: {s} in the list: {}", l.text);
            }
            for t in [AYSE, MEHMET] {
                let r = app.get(&format!("/api/v1/petitions?tckn={t}"), token).await;
                r.problem(422, "validation.failed");
                assert_eq!((r.field(), r.body["errors"][0]["code"].as_str()), ("tckn", Some("petition.filter_not_allowed")), "{who}: {}", r.text);
            }

            // The history: the arrival, its own routing and answer; nothing else.
            let h = app.get(&format!("{path}/history"), token).await;
            h.expect(200);
            let notes: Vec<&str> = h.body["items"].as_array().unwrap().iter().map(|e| e["note"].as_str().unwrap()).collect();
            let own_name = if own.no == MILLI_EGITIM { "Ankara İl Milli Eğitim Müdürlüğü" } else { "Ankara İl Sağlık Müdürlüğü" };
            assert_eq!(notes, vec![
                "Başvuru Açık Kapı Birim Havuzunda".to_owned(),
                format!("Başvuru İlgili Birime Yönlendirildi ({own_name})"),
                format!("Birimden Cevap Geldi ({own_name})"),
            ], "{who}: {}", h.text);
            for s in hidden.iter().chain(&["Mülki İdare", "Geri Gönderildi", "Kapatıldı"]) {
                assert!(!h.text.contains(s), "{who}: {s} in the history: {}", h.text);
            }

            // The files: the citizen's and its own answer's, not the other unit's.
            assert_eq!(app.get(&citizen_file, token).await.raw, pdf("VATANDASDOSYASI"));
            assert_eq!(app.get(&own.file, token).await.raw, pdf(if own.no == MILLI_EGITIM { "XDOSYASI" } else { "YDOSYASI" }));
            app.get(&other.file, token).await.problem(404, "petition_file.not_found");

            // The PDF report.
            let text = pdf_text(&app.get(&format!("{path}/report"), token).await);
            assert!(text.contains(own.no) && text.contains(own.answer), "{who}: its own answer in the PDF: {text}");
            for s in &hidden {
                assert!(!text.contains(s), "{who}: {s} in the PDF: {text}");
            }

            // The Excel export is the desk's and the MİA's only.
            app.get("/api/v1/petitions/export", token).await.problem(403, "petition.not_allowed");
            app.get(&format!("/api/v1/petitions/export?tckn={AYSE}"), token).await.problem(403, "petition.not_allowed");
        }

        // The desk and the MİA do filter by TCKN.
        for t in [&desk, &mia] {
            let l = app.get(&format!("/api/v1/petitions?tckn={AYSE}"), Some(t)).await;
            l.expect(200);
            assert_eq!(l.body["total"], 1);
            assert_eq!(app.get(&format!("/api/v1/petitions?tckn={MEHMET}"), Some(t)).await.body["total"], 0);
        }
    }
}
