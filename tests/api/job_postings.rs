//! schema.org JobPosting (JSON-LD) for integrators: a published Kariyer Kapısı posting and an
//! open İŞKUR labour demand carry every property Google's guidelines require (title,
//! description, datePosted, hiringOrganization, jobLocation) and recommend (validThrough,
//! employmentType, identifier, baseSalary where known, directApply), with the types the
//! vocabulary asks for and the values of the created record. A draft, a cancelled posting, a
//! closed or cancelled demand and either one after its last application day are 404 — the
//! last day tested on both sides of midnight Istanbul.

use actix_web::http::Method;
use actix_web::test::TestRequest;
use kapi_tests::{both_backends, json};
use serde_json::Value;

const AYSE: &str = "10000000146";
const EMPLOYMENT_TYPES: [&str; 8] = [
    "FULL_TIME",
    "PART_TIME",
    "CONTRACTOR",
    "TEMPORARY",
    "INTERN",
    "VOLUNTEER",
    "PER_DIEM",
    "OTHER",
];

fn posting_body() -> Value {
    json!({
        "title": "Sözleşmeli Bilişim Personeli Alım İlanı",
        "main_text": "Kurumumuz merkez teşkilatında istihdam edilmek üzere 4/B sözleşmeli personel alınacaktır.",
        "starts_on": "2027-03-01",
        "ends_on": "2027-03-15",
        "sub_postings": [
            {"title": "Bilişim Uzmanı", "text": "Yazılım geliştirme görevlerinde çalışacak uzman.", "vacancies": 3, "reserve_count": 1,
             "province": 6, "education_level": "bachelor", "employment_type": "contracted",
             "requirements": ["Bilgisayar mühendisliği lisans mezunu olmak"]},
            {"title": "Arşiv İşçisi", "text": "Arşiv düzenleme işlerinde çalışacak geçici işçi.", "vacancies": 2, "reserve_count": 0,
             "province": 34, "education_level": "high_school", "employment_type": "temporary_worker"}
        ],
        "stages": [{"kind": "interview", "starts_at": "2027-03-27T10:00:00+03:00", "mode": "online"}]
    })
}

fn demand_body(workplace: &str, last: &str, wage: Option<i64>) -> Value {
    json!({
        "workplace_id": workplace,
        "occupation_code": "8344.01",
        "worker_count": 2,
        "last_application_date": last,
        "requirements": {"min_education": "high_school"},
        "details": {
            "position": "Forklift Operatörü",
            "description": "Depoda vardiyalı çalışacak, forklift belgeli operatör.",
            "work_type": "part_time", "shift": "shifts", "weekly_hours": 30,
            "benefits": ["meal"], "wage_kurus": wage,
            "work_address": {"province": 6, "district_code": 6007, "address": "Demo Cad. No:5"}
        }
    })
}

fn string<'a>(v: &'a Value, key: &str) -> &'a str {
    let s = v[key]
        .as_str()
        .unwrap_or_else(|| panic!("`{key}` is not a string in {v}"));
    assert!(!s.trim().is_empty(), "`{key}` is empty");
    s
}

/// The schema.org properties of each type, from tests/api/schema_org_properties.txt.
fn schema_org_properties() -> std::collections::BTreeMap<String, Vec<String>> {
    let mut out = std::collections::BTreeMap::<String, Vec<String>>::new();
    let mut current = None;
    for line in include_str!("schema_org_properties.txt").lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if let Some(t) = line.strip_suffix(':') {
            current = Some(t.to_owned());
        } else if let Some(t) = &current {
            out.entry(t.clone())
                .or_default()
                .extend(line.split_whitespace().map(str::to_owned));
        }
    }
    out
}

/// Every object of the JSON-LD has a schema.org `@type` we list and only properties of that
/// type (schema.org's vocabulary, as schema-dts types it): `inLanguage`, say, is a property
/// of CreativeWork, not of JobPosting, and validators and schema-dts refuse it.
#[track_caller]
fn within_schema_org(v: &Value, properties: &std::collections::BTreeMap<String, Vec<String>>) {
    match v {
        Value::Object(m) => {
            let t = m
                .get("@type")
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("an object without @type: {v}"));
            let allowed = properties
                .get(t)
                .unwrap_or_else(|| panic!("@type {t} is not in the allow-list"));
            for (k, x) in m {
                assert!(
                    ["@context", "@type", "@id"].contains(&k.as_str()) || allowed.contains(k),
                    "`{k}` is not a schema.org property of {t}"
                );
                within_schema_org(x, properties);
            }
        }
        Value::Array(items) => items.iter().for_each(|x| within_schema_org(x, properties)),
        _ => {}
    }
}

/// The required and recommended JobPosting properties, with their schema.org types.
fn check_shape(ld: &Value) {
    within_schema_org(ld, &schema_org_properties());
    assert!(schema_org_properties()["JobPosting"].contains(&"title".to_owned()));
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "JobPosting");
    // Required.
    string(ld, "title");
    string(ld, "description");
    let posted = string(ld, "datePosted");
    time::Date::parse(posted, &time::format_description::well_known::Iso8601::DATE)
        .unwrap_or_else(|e| panic!("datePosted {posted}: {e}"));
    let org = &ld["hiringOrganization"];
    assert_eq!(org["@type"], "Organization");
    string(org, "name");
    let places = ld["jobLocation"]
        .as_array()
        .expect("jobLocation is an array");
    assert!(!places.is_empty());
    for p in places {
        assert_eq!(p["@type"], "Place");
        assert_eq!(p["address"]["@type"], "PostalAddress");
        assert_eq!(string(&p["address"], "addressCountry").len(), 2);
    }
    // Recommended.
    let valid = string(ld, "validThrough");
    time::OffsetDateTime::parse(valid, &time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|e| panic!("validThrough {valid}: {e}"));
    let types = ld["employmentType"]
        .as_array()
        .expect("employmentType is an array");
    assert!(!types.is_empty());
    for t in types {
        assert!(EMPLOYMENT_TYPES.contains(&t.as_str().unwrap()), "{t}");
    }
    assert_eq!(ld["identifier"]["@type"], "PropertyValue");
    string(&ld["identifier"], "name");
    string(&ld["identifier"], "value");
    string(&ld["identifier"], "propertyID");
    assert!(ld["directApply"].is_boolean());
    if let Some(s) = ld.get("baseSalary") {
        assert_eq!(s["@type"], "MonetaryAmount");
        assert_eq!(s["currency"], "TRY");
        assert_eq!(s["value"]["@type"], "QuantitativeValue");
        assert!(s["value"]["value"].is_number());
        string(&s["value"], "unitText");
    }
    // Nothing personal or internal slips in.
    for key in ["tckn", "version", "status", "employer_id", "workplace_id"] {
        assert!(ld.get(key).is_none(), "{key}");
    }
}

fn ld_type(r: &kapi_tests::Resp) {
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("application/ld+json"),
        "{}",
        r.text
    );
}

both_backends! {
    async fn a_public_posting_as_json_ld_until_its_last_day(app) {
        app.set_clock("2027-03-01T09:00:00Z").await;
        let kurum = app.staff_token("kurum.ik").await;
        let r = app.post("/api/v1/postings", Some(&kurum), posting_body()).await;
        r.expect(201);
        let id = r.body["id"].as_str().unwrap().to_owned();
        let no = r.body["posting_no"].as_i64().unwrap();
        let institution = r.body["institution"]["id"].as_str().unwrap().to_owned();
        let url = format!("/api/v1/postings/{id}/job-posting");

        // A draft is not public.
        app.get(&url, None).await.problem(404, "posting.not_found");
        app.get(&url, Some(&kurum)).await.problem(404, "posting.not_found");

        app.send(Method::POST, &format!("/api/v1/postings/{id}/publish"), Some(&kurum), None).await.expect(200);
        let r = app.get(&url, None).await;
        r.expect(200);
        ld_type(&r);
        let ld = &r.body;
        check_shape(ld);
        assert_eq!(ld["title"], "Sözleşmeli Bilişim Personeli Alım İlanı");
        let d = ld["description"].as_str().unwrap();
        assert!(d.starts_with("Kurumumuz merkez teşkilatında"), "{d}");
        assert!(d.contains("Bilişim Uzmanı") && d.contains("Arşiv İşçisi"), "{d}");
        assert_eq!(ld["datePosted"], "2027-03-01");
        assert_eq!(ld["validThrough"], "2027-03-15T23:59:59+03:00");
        assert_eq!(ld["employmentType"], json!(["FULL_TIME", "TEMPORARY"]));
        assert_eq!(ld["hiringOrganization"]["name"], "Aile ve Sosyal Hizmetler Bakanlığı");
        assert_eq!(ld["hiringOrganization"]["identifier"]["value"], institution);
        let regions: Vec<&str> = ld["jobLocation"].as_array().unwrap().iter().map(|p| p["address"]["addressRegion"].as_str().unwrap()).collect();
        assert_eq!(regions, ["Ankara", "İstanbul"]);
        assert_eq!(ld["jobLocation"][0]["address"]["addressCountry"], "TR");
        assert_eq!(ld["identifier"]["name"], "İlan No");
        assert_eq!(ld["identifier"]["value"], no.to_string());
        assert_eq!(ld["directApply"], false);
        assert!(ld.get("baseSalary").is_none(), "postings state no wage");
        assert_eq!(ld["totalJobOpenings"], 5);
        assert!(ld["qualifications"].as_str().unwrap().contains("Bilgisayar mühendisliği"));
        assert!(ld["url"].as_str().unwrap().ends_with(&format!("/api/v1/postings/{id}")));

        // The last application day, to the second, then closed.
        app.set_clock("2027-03-15T20:59:59Z").await;
        app.get(&url, None).await.expect(200);
        app.set_clock("2027-03-15T21:00:00Z").await;
        app.get(&url, None).await.problem(404, "posting.not_found");

        // Cancelled while open: gone at once.
        app.set_clock("2027-03-01T09:00:00Z").await;
        let kurum = app.staff_token("kurum.ik").await;
        let r = app.post("/api/v1/postings", Some(&kurum), posting_body()).await;
        let other = r.body["id"].as_str().unwrap().to_owned();
        app.send(Method::POST, &format!("/api/v1/postings/{other}/publish"), Some(&kurum), None).await.expect(200);
        app.get(&format!("/api/v1/postings/{other}/job-posting"), None).await.expect(200);
        app.post(&format!("/api/v1/postings/{other}/cancel"), Some(&kurum), json!({"reason": "Kadro iptali nedeniyle ilan iptal edilmiştir."})).await.expect(200);
        app.get(&format!("/api/v1/postings/{other}/job-posting"), None).await.problem(404, "posting.not_found");
        // Unknown and malformed ids.
        app.get(&format!("/api/v1/postings/{}/job-posting", uuid::Uuid::now_v7()), None).await.problem(404, "posting.not_found");
        app.get("/api/v1/postings/nope/job-posting", None).await.problem(404, "posting.not_found");
    }

    async fn an_open_labour_demand_as_json_ld_until_its_last_day(app) {
        app.set_clock("2026-03-10T06:00:00Z").await;
        let m = app.register_employer(AYSE, "123456789", 1).await;
        let head = m["head_office"]["id"].as_str().unwrap().to_owned();
        let employer = app.employer_token(AYSE, None).await;
        let r = app.post("/api/v1/labour-demands", Some(&employer), demand_body(&head, "2026-04-30", Some(3_500_050))).await;
        r.expect(201);
        let talep = r.body["talep_no"].as_i64().unwrap();
        let demand = r.body["id"].as_str().unwrap().to_owned();
        let url = format!("/api/v1/open-jobs/{talep}/job-posting");

        let r = app.get(&url, None).await;
        r.expect(200);
        ld_type(&r);
        let ld = &r.body;
        check_shape(ld);
        assert_eq!(ld["title"], "Forklift Operatörü");
        assert!(ld["description"].as_str().unwrap().starts_with("Depoda vardiyalı çalışacak"));
        assert_eq!(ld["datePosted"], "2026-03-10");
        assert_eq!(ld["validThrough"], "2026-04-30T23:59:59+03:00");
        assert_eq!(ld["employmentType"], json!(["PART_TIME"]));
        assert_eq!(ld["hiringOrganization"]["name"], "İşveren 123456789 A.Ş.");
        assert!(ld["hiringOrganization"].get("identifier").is_none(), "a private employer's id is not public");
        let a = &ld["jobLocation"][0]["address"];
        assert_eq!((a["addressRegion"].as_str(), a["addressLocality"].as_str(), a["addressCountry"].as_str()), (Some("Ankara"), Some("Çankaya"), Some("TR")));
        assert_eq!(a["streetAddress"], "Demo Cad. No:5");
        assert_eq!(ld["identifier"]["name"], "Talep No");
        assert_eq!(ld["identifier"]["value"], talep.to_string());
        assert_eq!(ld["baseSalary"]["value"]["value"], 35000.5);
        assert_eq!(ld["baseSalary"]["value"]["unitText"], "MONTH");
        assert_eq!(ld["directApply"], true);
        assert_eq!(ld["totalJobOpenings"], 2);
        assert_eq!(ld["occupationalCategory"], "8344.01 Forklift Operatörü");
        assert_eq!(ld["jobBenefits"], "Yemek");

        // A demand without a wage has no baseSalary.
        let r = app.post("/api/v1/labour-demands", Some(&employer), demand_body(&head, "2026-04-30", None)).await;
        r.expect(201);
        let no_wage = r.body["talep_no"].as_i64().unwrap();
        let no_wage_id = r.body["id"].as_str().unwrap().to_owned();
        let r = app.get(&format!("/api/v1/open-jobs/{no_wage}/job-posting"), None).await;
        r.expect(200);
        check_shape(&r.body);
        assert!(r.body.get("baseSalary").is_none(), "{}", r.text);

        // The last application day, to the second, then expired.
        app.set_clock("2026-04-30T20:59:59Z").await;
        app.get(&url, None).await.expect(200);
        app.set_clock("2026-04-30T21:00:00Z").await;
        app.get(&url, None).await.problem(404, "open_job.not_found");

        // Closed and cancelled demands are not public either.
        app.set_clock("2026-03-11T06:00:00Z").await;
        let employer = app.employer_token(AYSE, None).await;
        app.get(&url, None).await.expect(200);
        app.post(&format!("/api/v1/labour-demands/{demand}/close"), Some(&employer), json!({"reason": "filled"})).await.expect(200);
        app.get(&url, None).await.problem(404, "open_job.not_found");
        let cancel = TestRequest::post()
            .uri(&format!("/api/v1/labour-demands/{no_wage_id}/cancel"))
            .insert_header(("Authorization", format!("Bearer {employer}")))
            .set_json(json!({}));
        app.call(cancel).await.expect(200);
        app.get(&format!("/api/v1/open-jobs/{no_wage}/job-posting"), None).await.problem(404, "open_job.not_found");
        app.get("/api/v1/open-jobs/0/job-posting", None).await.problem(404, "open_job.not_found");
        app.get("/api/v1/open-jobs/abc/job-posting", None).await.problem(404, "open_job.not_found");
    }
}
