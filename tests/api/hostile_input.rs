//! Hostile text (issue 19 item 12): a NUL byte, another control character or a
//! bidirectional override in a JSON body (nested, in a key, in a multipart `data` part),
//! a query parameter, a path segment or a file name is a 422 `text.control_character`
//! naming the field, before any rule or database sees it — the same on SQLite and
//! PostgreSQL (where a NUL used to be a 500), for anonymous and authenticated callers.
//! And uploads that only look like what they claim (issue 19 item 15): a `.docx`/`.xlsx`
//! must be a real OOXML package of that kind, not bytes behind a ZIP header.

use kapi_tests::{both_backends, json, multipart, pdf, vkn, workplace_body, Resp};
use serde_json::Value;

const MEHMET: &str = "12345678950";

/// A real (stored, uncompressed) OOXML package with these parts.
fn ooxml(parts: &[&str]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for p in parts {
        w.start_file(*p, options).unwrap();
        w.write_all(b"<?xml version=\"1.0\"?><x/>").unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn petition_form(sector: &str, subject: &str) -> Value {
    json!({
        "subject_address": {"province": 6, "district_code": 6007, "neighbourhood_code": 60070001, "open_address": "Atatürk İlköğretim Okulu, Cumhuriyet Cad. No:5"},
        "mobile": "0532 100 00 02",
        "headings": [{"heading_code": "H01", "sub_heading_code": "H01.04"}],
        "education_level": "bachelor",
        "sector_id": sector,
        "subject": subject
    })
}

const SUBJECT: &str = "Okulun bahçe duvarı yıkılmak üzere; öğrenciler için tehlike oluşturuyor, onarılmasını talep ediyorum.";

/// The 422 names `field` with the kernel's code.
fn refused(r: &Resp, field: &str) {
    r.problem(422, "validation.failed");
    assert_eq!(r.body["errors"][0]["field"], field, "{}", r.text);
    assert_eq!(
        r.body["errors"][0]["code"], "text.control_character",
        "{}",
        r.text
    );
}

fn employer(title: &str, person: Value) -> Value {
    json!({
        "terms_accepted": true,
        "title": title,
        "vkn": vkn("700000001"),
        "sector": "private",
        "address": "Kızılay Mah. Atatürk Bulvarı No:1 Çankaya/Ankara",
        "head_office": workplace_body(6, 6007, 7000001),
        "person": person
    })
}

fn person(secret_question: &str) -> Value {
    json!({
        "tckn": MEHMET, "mobile": "5321234567", "email": "yetkili@example.com",
        "password": "Kapi2026", "secret_question": secret_question, "secret_answer": "Atatürk"
    })
}

both_backends! {
    async fn anonymous_requests_with_a_nul_byte_are_422_not_500(app) {
        // JSON body: the anonymous staff login.
        let r = app.post("/api/v1/auth/staff/login", None, json!({"username": "admin\u{0}", "password": "Kapi2026"})).await;
        refused(&r, "username");
        assert!(r.body["errors"][0]["message"].as_str().unwrap().contains("U+0000"));
        // Query string: a reference search.
        refused(&app.get("/api/v1/reference/provinces?q=a%00b", None).await, "q");
        // Other C0 / C1 controls and a control in a parameter's name.
        refused(&app.get("/api/v1/reference/provinces?q=a%01b", None).await, "q");
        refused(&app.get("/api/v1/reference/provinces?q=a%C2%85b", None).await, "q");
        app.get("/api/v1/reference/provinces?q%00=x", None).await.problem(422, "validation.failed");
        // Path segment: named by the route's parameter.
        refused(&app.get("/api/v1/postings/a%00b", None).await, "id");
        refused(&app.get("/api/v1/postings/%E2%80%AEx", None).await, "id");
        // Open311 reads its own query strings through the same gate (Open311 errors: 400).
        let r = app.get("/open311/v2/services.json?jurisdiction_id=a%00b", None).await;
        assert_eq!(r.status, 400, "{}", r.text);
        assert!(r.text.contains("text.control_character"), "{}", r.text);
        let r = app.get("/open311/v2/requests/a%00b.json", None).await;
        assert_eq!(r.status, 400, "{}", r.text);
        assert!(r.text.contains("text.control_character"), "{}", r.text);
        // Plain text still works on both databases.
        app.get("/api/v1/reference/provinces?q=%C5%9Fanl%C4%B1", None).await.expect(200);
        app.post("/api/v1/auth/staff/login", None, json!({"username": "admin", "password": "Kapi2026"})).await.expect(200);
    }

    async fn nested_fields_keys_and_bidi_overrides_are_named(app) {
        // A nested field.
        let r = app.post("/api/v1/employers", None, employer("Örnek A.Ş.", person("İlk\u{0}okulum?"))).await;
        refused(&r, "person.secret_question");
        // A key holding a control character.
        let mut body = employer("Örnek A.Ş.", person("İlk okulum?"));
        body["person"]["x\u{1}"] = json!("y");
        refused(&app.post("/api/v1/employers", None, body).await, "person.x\\u{1}");
        // A bidirectional override in a title: shows as something it is not.
        let r = app.post("/api/v1/employers", None, employer("Örnek\u{202E}.Ş.A", person("İlk okulum?"))).await;
        refused(&r, "title");
        assert!(r.body["errors"][0]["message"].as_str().unwrap().contains("bidirectional"));
        let r = app.post("/api/v1/employers", None, employer("Örnek A.Ş.", person("İlk\u{2066}okulum?\u{2069}"))).await;
        refused(&r, "person.secret_question");
        // Nothing was written: the clean registration goes through.
        app.post("/api/v1/employers", None, employer("Örnek A.Ş.", person("İlk okulum?\nSatır"))).await.expect(201);
    }

    async fn multipart_data_and_file_names_pass_the_same_gate(app) {
        let citizen = app.citizen_token(MEHMET).await;
        let sector = app.get("/api/v1/reference/sectors", None).await.body["items"][0]["id"].as_str().unwrap().to_owned();
        let form = |subject: &str| petition_form(&sector, subject);
        let text = SUBJECT;
        let r = app.call(multipart("/api/v1/petitions", &citizen, &form(&format!("{text}\u{0}")), &[])).await;
        refused(&r, "subject");
        let mut nested = form(text);
        nested["subject_address"]["open_address"] = json!("Cumhuriyet Cad.\u{7}No:5");
        refused(&app.call(multipart("/api/v1/petitions", &citizen, &nested, &[])).await, "subject_address.open_address");
        // An element of an array.
        let mut listed = form(text);
        listed["headings"][0]["sub_heading_code"] = json!("H01.04\u{0}");
        refused(&app.call(multipart("/api/v1/petitions", &citizen, &listed, &[])).await, "headings[0].sub_heading_code");
        // A file name that hides its real extension behind a right-to-left override.
        let r = app.call(multipart("/api/v1/petitions", &citizen, &form(text), &[("fatura\u{202E}fdp.exe", pdf("x"))])).await;
        refused(&r, "files[0]");
        let mine = app.get("/api/v1/petitions", Some(&citizen)).await;
        assert_eq!(mine.body["total"], 0, "no half-written petition");
        app.call(multipart("/api/v1/petitions", &citizen, &form(text), &[("dilekçe.pdf", pdf("x"))])).await.expect(201);
    }

    async fn office_files_must_be_real_packages_of_their_kind(app) {
        let citizen = app.citizen_token(MEHMET).await;
        let sector = app.get("/api/v1/reference/sectors", None).await.body["items"][0]["id"].as_str().unwrap().to_owned();
        let submit = |name: &str, bytes: Vec<u8>| multipart("/api/v1/petitions", &citizen, &petition_form(&sector, SUBJECT), &[(name, bytes)]);
        let mismatch = |r: &Resp| {
            r.problem(422, "validation.failed");
            assert_eq!(r.body["errors"][0]["field"], "files[0]", "{}", r.text);
            assert_eq!(r.body["errors"][0]["code"], "attachment.content_mismatch", "{}", r.text);
        };
        // An HTML page behind a ZIP header, naming the parts it would need.
        let html = b"PK\x03\x04<html><body>[Content_Types].xml word/document.xml xl/workbook.xml<script>alert(1)</script></body></html>".to_vec();
        mismatch(&app.call(submit("rapor.docx", html.clone())).await);
        mismatch(&app.call(submit("tablo.xlsx", html)).await);
        // A real docx declared as xlsx, a real ZIP that is no OOXML package.
        let docx = ooxml(&["[Content_Types].xml", "_rels/.rels", "word/document.xml"]);
        mismatch(&app.call(submit("tablo.xlsx", docx.clone())).await);
        mismatch(&app.call(submit("rapor.docx", ooxml(&["word/document.xml"]))).await);
        assert_eq!(app.get("/api/v1/petitions", Some(&citizen)).await.body["total"], 0);
        // The real ones are accepted.
        app.call(submit("rapor.docx", docx)).await.expect(201);
        let xlsx = ooxml(&["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml"]);
        app.call(submit("tablo.xlsx", xlsx)).await.expect(201);
    }

    async fn a_csv_upload_passes_the_same_gate(app) {
        let m = app.register_employer("10000000146", "123456789", 1).await;
        let head = m["head_office"]["id"].as_str().unwrap().to_owned();
        let token = app.employer_token("10000000146", None).await;
        let url = format!("/api/v1/workplaces/{head}/workforce-charts/personnel-form?month=2026-01");
        let csv = |body: &str| actix_web::test::TestRequest::post().uri(&url)
            .insert_header(("Authorization", format!("Bearer {token}")))
            .insert_header(("Content-Type", "text/csv; charset=utf-8"))
            .set_payload(body.to_owned());
        let r = app.call(csv("kind;tckn;full_name;date;occupation_code;reason\r\nhire;10000000146;Ayşe\u{0}Yılmaz;2026-01-05;2512.04;\r\n")).await;
        refused(&r, "file");
        assert!(r.body["errors"][0]["message"].as_str().unwrap().starts_with("Line 2:"), "{}", r.text);
        app.call(csv("kind;tckn;full_name;date;occupation_code;reason\r\nhire;10000000146;Ayşe Yılmaz;2026-01-05;2512.04;\r\n")).await.expect(200);
    }
}
