//! Kariyer Kapısı postings end to end: an institution drafts a posting with two positions
//! and two stages, publishes it, and the public finds it by every filter; the window closes
//! at midnight Istanbul and the posting moves to the archive (logged-in users only); what a
//! published posting may still change; cancel. Refusals: another institution (404), a
//! citizen creating (403), publishing without stages, invalid input, stale `If-Match`.

use actix_web::http::Method;
use kapi_tests::{both_backends, json, Resp};
use serde_json::Value;

const AYSE: &str = "10000000146";

pub(crate) fn body() -> Value {
    json!({
        "title": "Sözleşmeli Bilişim Personeli Alım İlanı",
        "main_text": "Kurumumuz merkez teşkilatında istihdam edilmek üzere 4/B sözleşmeli personel alınacaktır.",
        "starts_on": "2027-03-01",
        "ends_on": "2027-03-15",
        "sub_postings": [
            {
                "title": "Bilişim Uzmanı",
                "text": "Yazılım geliştirme ve veritabanı yönetimi görevlerinde çalışacak uzman.",
                "vacancies": 3,
                "reserve_count": 1,
                "province": 6,
                "education_level": "bachelor",
                "employment_type": "contracted",
                "requirements": ["Bilgisayar mühendisliği lisans mezunu olmak"]
            },
            {
                "title": "Büro Personeli",
                "text": "Evrak ve arşiv işlerinde çalışacak büro personeli.",
                "vacancies": 2,
                "reserve_count": 0,
                "province": 34,
                "education_level": "high_school",
                "employment_type": "permanent_worker"
            }
        ],
        "stages": [
            {"kind": "written_exam", "starts_at": "2027-03-20T10:00:00+03:00", "mode": "in_person", "place": "Ankara Üniversitesi Tandoğan Kampüsü"},
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

/// Percent-encodes what a URI cannot hold (Turkish letters), keeping `=`, `&` and `%`.
fn encode(query: &str) -> String {
    query
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"=&%-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn fields(r: &Resp) -> Vec<String> {
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
    async fn a_posting_from_draft_to_archive(app) {
        let clock = |at: &str| json!({"at": at});
        app.send(Method::PUT, "/api/v1/dev/clock", None, Some(clock("2027-03-01T09:00:00Z"))).await.expect(200);
        let kurum = app.staff_token("kurum.ik").await;
        let kurum2 = app.staff_token("kurum2.ik").await;
        let citizen = app.citizen_token(AYSE).await;

        // Drafted: numbered, visible to its institution only.
        let r = app.post("/api/v1/postings", Some(&kurum), body()).await;
        r.expect(201);
        assert_eq!(r.header("etag").as_deref(), Some("\"1\""));
        let id = r.body["id"].as_str().unwrap().to_owned();
        assert_eq!(r.header("location"), Some(format!("/api/v1/postings/{id}")));
        assert_eq!(r.body["status"], "draft");
        assert!(r.body["posting_no"].as_i64().unwrap() > 0);
        assert_eq!(r.body["sub_postings"][1]["no"], 2);
        assert_eq!(r.body["sub_postings"][0]["employment_type_label"], "Sözleşmeli Personel");
        assert_eq!(r.body["stages"][0]["name"], "Yazılı Sınav");
        assert_eq!(r.body["stages"][0]["kind_label"], "Yazılı Sınav");
        assert_eq!(r.body["stages"][1]["mode"], "online");
        assert_eq!(r.body["stages"][1]["place"], Value::Null);
        assert!(r.body["application_deadline"].as_str().unwrap().starts_with("2027-03-15T23:59:59"), "{}", r.text);
        let institution = r.body["institution"]["id"].as_str().unwrap().to_owned();
        let url = format!("/api/v1/postings/{id}");
        for token in [None, Some(kurum2.as_str()), Some(citizen.as_str())] {
            app.get(&url, token).await.problem(404, "posting.not_found");
        }
        app.get(&url, Some(&kurum)).await.expect(200);
        assert!(!ids(&app.get("/api/v1/postings?per_page=100", None).await).contains(&id));
        assert!(ids(&app.get("/api/v1/postings?view=own", Some(&kurum)).await).contains(&id));
        assert!(ids(&app.get("/api/v1/postings?view=own&status=draft", Some(&kurum)).await).contains(&id));
        assert!(!ids(&app.get("/api/v1/postings?view=own&status=published", Some(&kurum)).await).contains(&id));
        assert!(!ids(&app.get("/api/v1/postings?view=own", Some(&kurum2)).await).contains(&id));

        // Published: only by its institution.
        app.send(Method::POST, &format!("{url}/publish"), Some(&kurum2), None).await.problem(404, "posting.not_found");
        let publish = actix_web::test::TestRequest::post()
            .uri(&format!("{url}/publish"))
            .insert_header(("Authorization", format!("Bearer {kurum}")))
            .insert_header(("If-Match", "\"1\""));
        let r = app.call(publish).await;
        r.expect(200);
        assert_eq!(r.header("etag").as_deref(), Some("\"2\""));
        assert_eq!(r.body["status"], "published");
        assert_eq!(r.body["window"], "open");
        app.send(Method::POST, &format!("{url}/publish"), Some(&kurum), None).await.problem(409, "posting.not_draft");

        // The public list, and every filter finding and missing it.
        let list = app.get("/api/v1/postings?per_page=100", None).await;
        list.expect(200);
        let line = list.body["items"].as_array().unwrap().iter().find(|x| x["id"] == id.as_str()).unwrap().clone();
        assert_eq!(line["vacancies"], 5);
        assert_eq!(line["sub_posting_count"], 2);
        assert_eq!(line["provinces"], json!([6, 34]));
        assert_eq!(line["institution"]["name"], "Aile ve Sosyal Hizmetler Bakanlığı");
        let other = uuid::Uuid::now_v7();
        for (query, found) in [
            (format!("institution_id={institution}"), true),
            (format!("institution_id={other}"), false),
            ("province=6".into(), true),
            ("province=35".into(), false),
            ("position=bilisim".into(), true),
            ("position=BİLİŞİM%20uzm".into(), true),
            ("position=muhasebe".into(), false),
            ("education_level=bachelor".into(), true),
            ("education_level=doctorate".into(), false),
            ("employment_type=contracted".into(), true),
            ("employment_type=temporary_worker".into(), false),
            ("keyword=sozlesmeli".into(), true),
            ("keyword=SÖZLEŞMELİ%20arsiv".into(), true),
            ("keyword=sozlesmeli%20noter".into(), false),
            // The sub-posting criteria hold for one and the same sub-posting.
            ("province=34&education_level=high_school".into(), true),
            ("province=34&education_level=bachelor".into(), false),
            ("position=buro&employment_type=permanent_worker".into(), true),
            ("position=buro&employment_type=contracted".into(), false),
        ] {
            let r = app.get(&format!("/api/v1/postings?per_page=100&{}", encode(&query)), None).await;
            r.expect(200);
            assert_eq!(ids(&r).contains(&id), found, "{query}: {}", r.text);
        }
        app.get("/api/v1/postings?view=archive", None).await.problem(401, "auth.required");
        app.get("/api/v1/postings?view=own", Some(&citizen)).await.problem(403, "posting.institution_only");
        let r = app.get("/api/v1/postings?foo=1", None).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.field(), "foo");
        let r = app.get("/api/v1/postings?employment_type=freelance", None).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.field(), "employment_type");
        let r = app.get("/api/v1/postings?status=draft", None).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.field(), "status");
        let r = app.get("/api/v1/postings?province=82", None).await;
        assert_eq!((r.status, r.field()), (422, "province"));
        app.get(&url, None).await.expect(200);
        app.get(&url, Some(&citizen)).await.expect(200);

        // Published: locked fields refused, each named; the allowed ones saved.
        let put = |token: &str, etag: Option<&str>, b: Value| {
            let mut req = actix_web::test::TestRequest::put()
                .uri(&url)
                .insert_header(("Authorization", format!("Bearer {token}")))
                .set_json(b);
            if let Some(e) = etag {
                req = req.insert_header(("If-Match", e.to_owned()));
            }
            req
        };
        let mut locked = body();
        locked["sub_postings"][0]["vacancies"] = json!(4);
        let r = app.call(put(&kurum, Some("\"2\""), locked)).await;
        r.problem(422, "validation.failed");
        assert_eq!(fields(&r), ["sub_postings[0].vacancies"]);
        assert_eq!(r.body["errors"][0]["code"], "posting.locked_after_publish");
        let mut earlier = body();
        earlier["ends_on"] = json!("2027-03-14");
        let r = app.call(put(&kurum, None, earlier)).await;
        assert_eq!((r.status, r.field()), (422, "ends_on"));
        let mut allowed = body();
        allowed["main_text"] = json!("Düzeltilmiş ilan metni: başvurular Kariyer Kapısı üzerinden alınır.");
        allowed["ends_on"] = json!("2027-03-16");
        allowed["stages"][0]["place"] = json!("Ankara Üniversitesi Cebeci Kampüsü");
        let r = app.call(put(&kurum, Some("\"2\""), allowed.clone())).await;
        r.expect(200);
        assert_eq!(r.header("etag").as_deref(), Some("\"3\""));
        assert_eq!(r.body["ends_on"], "2027-03-16");
        assert_eq!(r.body["stages"][0]["place"], "Ankara Üniversitesi Cebeci Kampüsü");
        app.call(put(&kurum, Some("\"2\""), allowed.clone())).await.problem(412, "precondition.version_mismatch");
        // Another institution can neither change, cancel nor read the history.
        app.call(put(&kurum2, None, allowed)).await.problem(404, "posting.not_found");
        app.post(&format!("{url}/cancel"), Some(&kurum2), json!({"reason": "Başkasının ilanı"})).await.problem(404, "posting.not_found");
        app.get(&format!("{url}/history"), Some(&kurum2)).await.problem(404, "posting.not_found");
        app.get(&format!("{url}/history"), Some(&citizen)).await.problem(404, "posting.not_found");
        let h = app.get(&format!("{url}/history"), Some(&kurum)).await;
        h.expect(200);
        let notes: Vec<&str> = h.body["items"].as_array().unwrap().iter().map(|e| e["note"].as_str().unwrap()).collect();
        assert_eq!(notes, ["İlan Oluşturuldu", "İlan Yayımlandı", "İlan Güncellendi"]);
        assert_eq!(h.body["items"][1]["from_state"], "draft");
        assert_eq!(h.body["items"][1]["to_state"], "published");

        // The last day (16 March) until 23:59:59 Istanbul: still active.
        app.send(Method::PUT, "/api/v1/dev/clock", None, Some(clock("2027-03-16T23:59:00+03:00"))).await.expect(200);
        assert!(ids(&app.get("/api/v1/postings?per_page=100", None).await).contains(&id));
        app.get(&url, None).await.expect(200);
        // At midnight it moves to the archive, for logged-in users only.
        app.send(Method::PUT, "/api/v1/dev/clock", None, Some(clock("2027-03-17T00:00:00+03:00"))).await.expect(200);
        let citizen = app.citizen_token(AYSE).await;
        let kurum = app.staff_token("kurum.ik").await;
        assert!(!ids(&app.get("/api/v1/postings?per_page=100", None).await).contains(&id));
        assert!(!ids(&app.get("/api/v1/postings?per_page=100", Some(&citizen)).await).contains(&id));
        assert!(ids(&app.get("/api/v1/postings?view=archive&per_page=100", Some(&citizen)).await).contains(&id));
        app.get(&url, None).await.problem(404, "posting.not_found");
        let r = app.get(&url, Some(&citizen)).await;
        r.expect(200);
        assert_eq!(r.body["window"], "closed");

        // Cancelled with a reason, once.
        let r = app.post(&format!("{url}/cancel"), Some(&kurum), json!({"reason": "Yok"})).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.field(), "reason");
        let r = app.post(&format!("{url}/cancel"), Some(&kurum), json!({"reason": "Kadro iptali nedeniyle ilan iptal edilmiştir."})).await;
        r.expect(200);
        assert_eq!(r.body["status"], "cancelled");
        assert_eq!(r.body["cancel_reason"], "Kadro iptali nedeniyle ilan iptal edilmiştir.");
        app.post(&format!("{url}/cancel"), Some(&kurum), json!({"reason": "Bir daha iptal"})).await.problem(409, "posting.cancelled");
        app.get(&url, Some(&citizen)).await.problem(404, "posting.not_found");
        assert!(!ids(&app.get("/api/v1/postings?view=archive&per_page=100", Some(&citizen)).await).contains(&id));
        let h = app.get(&format!("{url}/history"), Some(&kurum)).await;
        assert_eq!(
            h.body["items"][3]["note"],
            "İlan İptal Edildi: Kadro iptali nedeniyle ilan iptal edilmiştir."
        );
    }

    async fn posting_refusals(app) {
        app.send(Method::PUT, "/api/v1/dev/clock", None, Some(json!({"at": "2027-03-01T09:00:00Z"}))).await.expect(200);
        let kurum = app.staff_token("kurum.ik").await;
        let citizen = app.citizen_token(AYSE).await;

        app.post("/api/v1/postings", Some(&citizen), body()).await.problem(403, "posting.institution_only");
        app.post("/api/v1/postings", None, body()).await.problem(401, "auth.missing_token");

        // Publishing needs a stage.
        let mut no_stages = body();
        no_stages["stages"] = json!([]);
        let r = app.post("/api/v1/postings", Some(&kurum), no_stages).await;
        r.expect(201);
        let id = r.body["id"].as_str().unwrap().to_owned();
        let r = app.send(Method::POST, &format!("/api/v1/postings/{id}/publish"), Some(&kurum), None).await;
        r.problem(422, "posting.no_stages");
        assert_eq!(r.field(), "stages");
        // A draft is cancelled too; then it no longer changes.
        app.post(&format!("/api/v1/postings/{id}/cancel"), Some(&kurum), json!({"reason": "Taslaktan vazgeçildi"})).await.expect(200);
        app.send(Method::PUT, &format!("/api/v1/postings/{id}"), Some(&kurum), Some(body())).await.problem(409, "posting.cancelled");
        app.send(Method::POST, &format!("/api/v1/postings/{id}/publish"), Some(&kurum), None).await.problem(409, "posting.not_draft");

        // Invalid input: every field named at once.
        let mut bad = body();
        bad["title"] = json!("x");
        bad["ends_on"] = json!("2027-02-28");
        bad["sub_postings"][0]["vacancies"] = json!(0);
        bad["sub_postings"][0]["province"] = json!(99);
        bad["sub_postings"][1]["education_level"] = json!("phd");
        bad["sub_postings"][1]["employment_type"] = json!("freelance");
        bad["stages"][0]["place"] = Value::Null;
        bad["stages"][1]["mode"] = json!("by_phone");
        let r = app.post("/api/v1/postings", Some(&kurum), bad).await;
        r.problem(422, "validation.failed");
        let f = fields(&r);
        for expected in [
            "title",
            "ends_on",
            "sub_postings[0].vacancies",
            "sub_postings[0].province",
            "sub_postings[1].education_level",
            "sub_postings[1].employment_type",
            "stages[0].place",
            "stages[1].mode",
        ] {
            assert!(f.iter().any(|x| x == expected), "{expected} missing from {f:?}");
        }
        // Malformed dates and instants are named too.
        let mut dates = body();
        dates["starts_on"] = json!("01.03.2027");
        dates["stages"][1]["starts_at"] = json!("27 Mart 2027");
        let r = app.post("/api/v1/postings", Some(&kurum), dates).await;
        r.problem(422, "validation.failed");
        assert_eq!(fields(&r), ["starts_on", "stages[1].starts_at"]);
        // Unknown fields are refused.
        let mut extra = body();
        extra["sub_postings"][0]["salary"] = json!(1);
        let r = app.post("/api/v1/postings", Some(&kurum), extra).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.field(), "sub_postings[0].salary");
        app.get("/api/v1/postings/not-a-uuid", None).await.problem(404, "posting.not_found");
        app.get(&format!("/api/v1/postings/{}", uuid::Uuid::now_v7()), Some(&kurum)).await.problem(404, "posting.not_found");
    }

    async fn code_lists_of_postings(app) {
        let r = app.get("/api/v1/reference/employment-types", None).await;
        r.expect(200);
        assert_eq!(r.body["total"], 4);
        assert_eq!(r.body["items"][1], json!({"code": "contracted", "name_tr": "Sözleşmeli Personel"}));
        let r = app.get("/api/v1/reference/stage-kinds", None).await;
        r.expect(200);
        assert_eq!(r.body["total"], 5);
        assert_eq!(r.body["items"][4], json!({"code": "interview", "name_tr": "Mülakat"}));
    }

    async fn demo_postings_are_loaded(app) {
        // Loaded with the demo data, relative to the day the database was made: two of the
        // first institution (one still open then, one whose window had closed), one of the
        // second.
        let kurum = app.staff_token("kurum.ik").await;
        let r = app.get("/api/v1/postings?view=own&status=published", Some(&kurum)).await;
        r.expect(200);
        assert_eq!(r.body["total"], 2, "{}", r.text);
        let items = r.body["items"].as_array().unwrap();
        assert!(items[0]["ends_on"].as_str() < items[1]["ends_on"].as_str());
        let kurum2 = app.staff_token("kurum2.ik").await;
        let r = app.get("/api/v1/postings?view=own", Some(&kurum2)).await;
        assert_eq!(r.body["total"], 1, "{}", r.text);
        assert_eq!(r.body["items"][0]["institution"]["name"], "Hazine ve Maliye Bakanlığı");
    }
}
