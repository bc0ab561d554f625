//! Open311 GeoReport v2 over Açık Kapı, driven the way an Open311 client drives it: discover
//! the endpoint, list the services, fetch a service definition, POST a request as a form
//! with an integrator's key (the demo one, and one the administrator issues), resolve the
//! token, fetch the request, list with every filter and the 90-day rule on both sides; the
//! desk routes, the unit answers and the desk closes through Kapı's own API and the request
//! turns `closed`. No answer ever carries a personal field. Refusals: no key, a bad key, an
//! unknown service, an identity that does not match the registry, bad fields, an unknown
//! format. The same journey in GeoReport v2 XML (`.xml`), every answer equal to its JSON
//! twin; unknown query parameters ignored; a wrong method 405 with `Allow`.

use actix_web::http::Method;
use actix_web::test::TestRequest;
use kapi_tests::{both_backends, json, otp_code, Resp};
use quick_xml::events::Event;
use quick_xml::Reader;
use serde_json::Value;

const AYSE: &str = "10000000146"; // Çankaya; mother's maiden surname Kaya; 5321000001
const MEHMET: &str = "12345678950"; // Keçiören; Aydın; 5321000002
const DEMO_KEY: &str = "kapi-demo-integrator-key";
const MILLI_EGITIM: &str = "55481037";
const SUBJECT: &str = "Okulun bahçe duvarı yıkılmak üzere; öğrenciler için tehlike oluşturuyor.";
const OPEN_ADDRESS: &str = "Atatürk İlköğretim Okulu, Cumhuriyet Cad. No:5";
const BASE: &str = "/open311/v2";

fn tckn(n: u32) -> String {
    kapi_core::with_tckn_checksum(&format!("{n:09}")).unwrap()
}

/// The form an Open311 client posts for Ayşe.
fn ayse_form(key: &str, sector: &str) -> Vec<(String, String)> {
    [
        ("api_key", key),
        ("jurisdiction_id", "kapi.gov.tr"),
        ("service_code", "H01.04"),
        ("first_name", "Ayşe"),
        ("last_name", "Yılmaz"),
        ("phone", "+90 532 100 00 01"),
        ("email", "ayse@ornek.com.tr"),
        ("description", SUBJECT),
        ("address_string", OPEN_ADDRESS),
        ("lat", "39.92"),
        ("long", "32.85"),
        ("attribute[tckn]", AYSE),
        ("attribute[mother_maiden_first_letter]", "K"),
        ("attribute[mother_maiden_last_letter]", "A"),
        ("attribute[province]", "6"),
        ("attribute[district]", "6007"),
        ("attribute[neighbourhood]", "60070001"),
        ("attribute[education_level]", "bachelor"),
        ("attribute[sector]", sector),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

fn with(form: &[(String, String)], key: &str, value: &str) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = form.iter().filter(|(k, _)| k != key).cloned().collect();
    f.push((key.to_owned(), value.to_owned()));
    f
}

fn without(form: &[(String, String)], key: &str) -> Vec<(String, String)> {
    form.iter().filter(|(k, _)| k != key).cloned().collect()
}

fn post_form(form: &[(String, String)]) -> TestRequest {
    TestRequest::post()
        .uri(&format!("{BASE}/requests.json"))
        .set_form(form)
}

/// An Open311 error: the status, a JSON array of `{code, description}` with that code.
#[track_caller]
fn open311_error(r: &Resp, status: u16, needle: &str) {
    assert_eq!(r.status, status, "{}", r.text);
    assert!(
        r.header("content-type")
            .unwrap_or_default()
            .starts_with("application/json"),
        "{:?}",
        r.header("content-type")
    );
    let items = r
        .body
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {}", r.text));
    assert!(!items.is_empty());
    for i in items {
        assert_eq!(i["code"], status, "{}", r.text);
        assert!(i["description"].is_string());
    }
    assert!(r.text.contains(needle), "{needle} not in {}", r.text);
}

/// One element of an XML answer: its name, its text, its child elements.
#[derive(Debug)]
struct El {
    name: String,
    text: String,
    children: Vec<El>,
}

impl El {
    fn child(&self, name: &str) -> &El {
        self.children
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no <{name}> in <{}>", self.name))
    }
}

/// An XML answer: `status`, `text/xml; charset=utf-8`, a declaration and one root element.
#[track_caller]
fn xml(r: &Resp, status: u16) -> El {
    assert_eq!(r.status, status, "{}", r.text);
    assert_eq!(
        r.header("content-type").as_deref(),
        Some("text/xml; charset=utf-8")
    );
    assert!(
        r.text
            .starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"),
        "{}",
        r.text
    );
    let mut reader = Reader::from_str(&r.text);
    let mut stack: Vec<El> = vec![El {
        name: String::new(),
        text: String::new(),
        children: vec![],
    }];
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("not XML ({e}): {}", r.text))
        {
            Event::Start(e) => stack.push(El {
                name: e.name().into_inner().to_owned(),
                text: String::new(),
                children: vec![],
            }),
            Event::End(_) => {
                let done = stack.pop().unwrap();
                stack.last_mut().unwrap().children.push(done);
            }
            Event::Empty(e) => stack.last_mut().unwrap().children.push(El {
                name: e.name().into_inner().to_owned(),
                text: String::new(),
                children: vec![],
            }),
            Event::Text(t) => {
                let raw = t.into_inner().into_owned();
                stack.last_mut().unwrap().text.push_str(raw.trim());
            }
            Event::GeneralRef(e) => {
                let entity = e.into_inner().into_owned();
                let c = match entity.as_str() {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("entity {other}"),
                };
                stack.last_mut().unwrap().text.push_str(c);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut doc = stack.pop().unwrap();
    assert_eq!(doc.children.len(), 1, "one root element: {}", r.text);
    doc.children.pop().unwrap()
}

/// GeoReport v2's item element of a list element.
fn item_of(list: &str) -> &'static str {
    match list {
        "services" => "service",
        "service_requests" => "request",
        "errors" => "error",
        "attributes" => "attribute",
        "values" => "value",
        "endpoints" => "endpoint",
        "formats" => "format",
        other => panic!("no item name for {other}"),
    }
}

/// The XML element says exactly what the JSON value says: every non-null field as a child
/// element in the same order, a list as one item element each, scalars as text.
#[track_caller]
fn same(el: &El, v: &Value) {
    match v {
        Value::Object(m) => {
            let fields: Vec<(&String, &Value)> = m.iter().filter(|(_, x)| !x.is_null()).collect();
            let mut names: Vec<&str> = el.children.iter().map(|c| c.name.as_str()).collect();
            let mut keys: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
            names.sort();
            keys.sort();
            assert_eq!(names, keys, "<{}>", el.name);
            for (k, x) in fields {
                same(el.child(k), x);
            }
        }
        Value::Array(items) => {
            assert_eq!(el.children.len(), items.len(), "<{}>", el.name);
            for (c, x) in el.children.iter().zip(items) {
                assert_eq!(c.name, item_of(&el.name));
                same(c, x);
            }
        }
        Value::String(t) => assert_eq!(&el.text, t, "<{}>", el.name),
        other => assert_eq!(el.text, other.to_string(), "<{}>", el.name),
    }
}

/// An Open311 error in XML: `<errors><error><code>status</code><description>…`.
#[track_caller]
fn open311_xml_error(r: &Resp, status: u16, needle: &str) {
    let root = xml(r, status);
    assert_eq!(root.name, "errors");
    assert!(!root.children.is_empty());
    for e in &root.children {
        assert_eq!(e.name, "error");
        assert_eq!(e.child("code").text, status.to_string());
    }
    assert!(
        root.children
            .iter()
            .any(|e| e.child("description").text.contains(needle)),
        "{needle} not in {}",
        r.text
    );
}

fn ids(r: &Resp) -> Vec<String> {
    assert_eq!(r.status, 200, "{}", r.text);
    r.body
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {}", r.text))
        .iter()
        .map(|x| x["service_request_id"].as_str().unwrap().to_owned())
        .collect()
}

const PERSONAL_KEYS: [&str; 13] = [
    "tckn",
    "first_name",
    "last_name",
    "phone",
    "email",
    "description",
    "address_string",
    "subject",
    "contact",
    "petitioner",
    "lat",
    "long",
    "media_url",
];

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

/// Nothing personal in an answer: no such key, none of the people's data anywhere.
#[track_caller]
fn nothing_personal(r: &Resp) {
    let mut found = vec![];
    keys(&r.body, &mut found);
    for k in PERSONAL_KEYS {
        assert!(!found.iter().any(|f| f == k), "{k} in {}", r.text);
    }
    for value in [
        AYSE,
        MEHMET,
        "Ayşe",
        "Yılmaz",
        "Mehmet",
        "5321000001",
        "5321000002",
        "ornek.com.tr",
        "Cumhuriyet Cad",
        "bahçe duvarı",
        "Sokak köpekleri",
    ] {
        assert!(!r.text.contains(value), "{value} in {}", r.text);
    }
}

/// Logs a registered desk user in by SMS code (again after the clock moved).
macro_rules! login {
    ($app:expr, $tckn:expr, $mobile:expr) => {{
        let o = $app.post("/api/v1/auth/petition-officer/otp", None, json!({"tckn": $tckn, "mobile": $mobile})).await;
        o.expect(201);
        let outbox = $app.get(&format!("/api/v1/dev/outbox?recipient={}", $mobile), None).await;
        let l = $app.post("/api/v1/auth/petition-officer/login", None, json!({"challenge_id": o.body["challenge_id"], "tckn": $tckn, "code": otp_code(&outbox)})).await;
        l.expect(200);
        l.body["access_token"].as_str().unwrap().to_owned()
    }};
}

/// Registers a desk user of Ankara (the province administrator) and logs them in.
macro_rules! officer {
    ($app:expr, $admin:expr, $kind:expr, $tckn:expr, $mobile:expr, $units:expr) => {{
        $app.post("/api/v1/admin/petition-users", Some($admin), json!({
            "kind": $kind, "tckn": $tckn, "first_name": "Deniz", "last_name": "Kurt",
            "mobile": $mobile, "province": 6, "districts": [], "units": $units
        })).await.expect(201);
        login!($app, $tckn, $mobile)
    }};
}

both_backends! {
    async fn an_open311_client_submits_follows_and_sees_the_request_closed(app) {
        app.set_clock("2026-03-02T07:00:00Z").await;

        // Discovery, then the services: the sub-headings, grouped by heading.
        let d = app.get(&format!("{BASE}/discovery.json"), None).await;
        d.expect(200);
        assert!(d.body["endpoints"][0]["url"].as_str().unwrap().ends_with("/open311/v2"));
        assert_eq!(d.body["endpoints"][0]["formats"], json!(["application/json", "text/xml"]));
        let s = app.get(&format!("{BASE}/services.json?jurisdiction_id=kapi.gov.tr"), None).await;
        s.expect(200);
        let services = s.body.as_array().unwrap();
        let codes: Vec<&str> = services.iter().map(|x| x["service_code"].as_str().unwrap()).collect();
        assert!(codes.contains(&"H01.04") && codes.contains(&"DIGER.01"), "{codes:?}");
        assert!(!codes.contains(&"H01"), "headings are groups, not services");
        let h0104 = services.iter().find(|x| x["service_code"] == "H01.04").unwrap();
        assert_eq!(h0104["service_name"], "Okul binası, derslik ve donanım ihtiyaçları");
        assert_eq!(h0104["group"], "Eğitim");
        assert_eq!((h0104["metadata"].as_bool(), h0104["type"].as_str()), (Some(true), Some("batch")));

        // The service definition: the identity and form attributes with their value lists.
        let def = app.get(&format!("{BASE}/services/H01.04.json"), None).await;
        def.expect(200);
        assert_eq!(def.body["service_code"], "H01.04");
        let attrs = def.body["attributes"].as_array().unwrap();
        let attr = |code: &str| attrs.iter().find(|a| a["code"] == code).unwrap_or_else(|| panic!("{code}")).clone();
        for code in ["tckn", "mother_maiden_first_letter", "mother_maiden_last_letter", "education_level", "sector"] {
            assert_eq!(attr(code)["required"], true, "{code}");
            assert_eq!(attr(code)["variable"], true, "{code}");
        }
        assert_eq!(attr("heading_description")["required"], false);
        assert!(attr("education_level")["values"].as_array().unwrap().iter().any(|v| v["key"] == "bachelor"));
        let sector = attr("sector")["values"][0]["key"].as_str().unwrap().to_owned();
        let other = app.get(&format!("{BASE}/services/DIGER.01.json"), None).await;
        other.expect(200);
        assert!(other.body["attributes"].as_array().unwrap().iter().any(|a| a["code"] == "heading_description" && a["required"] == true));
        open311_error(&app.get(&format!("{BASE}/services/H01.json"), None).await, 404, "open311.service_not_found");
        open311_error(&app.get(&format!("{BASE}/services/X.json"), None).await, 404, "open311.service_not_found");
        open311_error(&app.get(&format!("{BASE}/services/H01.04.yaml"), None).await, 400, "open311.format_not_supported");
        open311_error(&app.get(&format!("{BASE}/services.html"), None).await, 400, "open311.format_not_supported");
        open311_error(&app.get(&format!("{BASE}/nothing.json"), None).await, 404, "not_found");

        // Refusals before anything is saved.
        let form = ayse_form(DEMO_KEY, &sector);
        open311_error(&app.call(post_form(&without(&form, "api_key"))).await, 403, "open311.api_key_missing");
        open311_error(&app.call(post_form(&with(&form, "api_key", "kapi_not_a_key"))).await, 403, "open311.api_key_invalid");
        open311_error(&app.call(post_form(&with(&form, "service_code", "H99.99"))).await, 404, "open311.service_not_found");
        open311_error(&app.call(post_form(&with(&form, "service_code", "H01"))).await, 404, "open311.service_not_found");
        open311_error(&app.call(post_form(&with(&form, "attribute[mother_maiden_last_letter]", "E"))).await, 400, "petition.identity_mismatch");
        open311_error(&app.call(post_form(&with(&form, "phone", "5329999999"))).await, 400, "petition.identity_mismatch");
        open311_error(&app.call(post_form(&with(&form, "first_name", "Fatma"))).await, 400, "petition.identity_mismatch");
        open311_error(&app.call(post_form(&with(&form, "attribute[tckn]", "10000000147"))).await, 400, "attribute[tckn]");
        let r = app.call(post_form(&[("api_key".to_owned(), DEMO_KEY.to_owned())])).await;
        open311_error(&r, 400, "request.missing_field");
        for f in ["service_code", "first_name", "last_name", "phone", "description", "attribute[tckn]", "attribute[education_level]", "attribute[sector]"] {
            assert!(r.text.contains(&format!("{f}: required")), "{f} in {}", r.text);
        }
        let bad = with(&with(&form, "description", "kısa"), "attribute[district]", "34023");
        let r = app.call(post_form(&bad)).await;
        open311_error(&r, 400, "description:");
        assert!(r.text.contains("attribute[district]:"), "{}", r.text);
        assert_eq!(r.body.as_array().unwrap().len(), 3, "description, district, neighbourhood: {}", r.text);
        open311_error(&app.call(post_form(&with(&form, "media_url", "http://example.com/a.jpg"))).await, 400, "open311.media_not_supported");
        open311_error(&app.call(post_form(&with(&form, "attribute[favourite]", "x"))).await, 400, "request.invalid_body");
        open311_error(&app.call(TestRequest::post().uri(&format!("{BASE}/requests.json")).insert_header(("Content-Type", "text/plain")).set_payload("x")).await, 415, "unsupported_media_type");
        // GeoReport v2 submissions are forms; a JSON body is not one.
        open311_error(&app.call(TestRequest::post().uri(&format!("{BASE}/requests.json")).set_json(json!({"service_code": "H01.04"}))).await, 415, "unsupported_media_type");
        let sms_before = app.get("/api/v1/dev/outbox?recipient=5321000001", None).await.body.as_array().unwrap().len();

        // Submitted as a form with the demo key: the id, a token, a notice.
        let r = app.call(post_form(&form)).await;
        r.expect(201);
        let created = &r.body[0];
        let id = created["service_request_id"].as_str().unwrap().to_owned();
        let token = created["token"].as_str().unwrap().to_owned();
        assert!(id.parse::<i64>().unwrap() > 1000);
        assert!(created["service_notice"].as_str().unwrap().contains("Ankara Valiliği Açık Kapı Bürosu"));
        assert_eq!(r.header("location"), Some(format!("{BASE}/requests/{id}.json")));
        nothing_personal(&r);
        let sms = app.get("/api/v1/dev/outbox?recipient=5321000001", None).await;
        assert_eq!(sms.body.as_array().unwrap().len(), sms_before + 1, "only the accepted request sends an SMS");
        assert!(sms.body[0]["body"].as_str().unwrap().contains(&id), "the tracking number by SMS");

        // The token resolves; the request reads back with public fields only.
        let t = app.get(&format!("{BASE}/tokens/{token}.json"), None).await;
        t.expect(200);
        assert_eq!(t.body, json!([{"service_request_id": id, "token": token}]));
        let one = app.get(&format!("{BASE}/requests/{id}.json"), None).await;
        one.expect(200);
        nothing_personal(&one);
        let x = one.body[0].clone();
        assert_eq!(x["service_request_id"], id.as_str());
        assert_eq!(x["status"], "open");
        assert_eq!(x["status_notes"], "Başvuru Açık Kapı Birim Havuzunda");
        assert_eq!(x["service_code"], "H01.04");
        assert_eq!(x["service_name"], "Okul binası, derslik ve donanım ihtiyaçları");
        assert_eq!(x["agency_responsible"], "Ankara Valiliği Açık Kapı Bürosu");
        assert_eq!(x["address"], "Çankaya, Ankara");
        assert_eq!(x["requested_datetime"], "2026-03-02T10:00:00+03:00");
        assert_eq!(x["updated_datetime"], "2026-03-02T10:00:00+03:00");
        assert!(x.get("expected_datetime").is_none());

        // The desk sees it in its own pipeline: the registry's identity, the integrator channel.
        let admin = app.staff_token("ankara.valilik").await;
        let aks = officer!(app, &admin, "desk_officer", &tckn(200000001), "5330000101", json!([]));
        let list = app.get(&format!("/api/v1/petitions?tracking_no={id}"), Some(&aks)).await;
        assert_eq!(list.body["total"], 1, "{}", list.text);
        let pid = list.body["items"][0]["id"].as_str().unwrap().to_owned();
        assert_eq!(pid, token);
        let p = app.get(&format!("/api/v1/petitions/{pid}"), Some(&aks)).await;
        p.expect(200);
        assert_eq!(p.body["channel"], "integrator");
        assert_eq!(p.body["status"], "in_pool");
        assert_eq!(p.body["petitioner"]["first_name"], "Ayşe");
        assert_eq!(p.body["contact"]["mobile"], "5321000001");
        assert_eq!(p.body["contact"]["email"], "ayse@ornek.com.tr");
        assert_eq!(p.body["subject"], SUBJECT);
        assert_eq!(p.body["subject_address"]["neighbourhood_code"], 60070001);
        let h = app.get(&format!("/api/v1/petitions/{pid}/history"), Some(&aks)).await;
        assert_eq!(h.body["items"][0]["note"], "Başvuru Açık Kapı Birim Havuzunda (Open311: Demo entegratör (Postman, Open311 istemcileri))");
        assert!(h.body["items"][0]["actor"].as_str().unwrap().starts_with("integrator:"));

        // A second request, with numbers and a boolean written as text, through a key the administrator issues
        // (sent as X-Api-Key): the subject address is the residence, the service Diğer.
        let sysadmin = app.staff_token("admin").await;
        let i = app.post("/api/v1/integrators", Some(&sysadmin), json!({"name": "Başkent 153"})).await;
        i.expect(201);
        let key = i.body["api_key"].as_str().unwrap().to_owned();
        let body = json!({
            "service_code": "DIGER.01", "first_name": "MEHMET", "last_name": "Demir", "phone": "5321000002",
            "description": "Sokak köpekleri mahallede çocuklara saldırıyor, önlem alınmasını istiyorum.",
            "attribute[tckn]": MEHMET, "attribute[mother_maiden_first_letter]": "A", "attribute[mother_maiden_last_letter]": "n",
            "attribute[same_as_residence]": true, "attribute[education_level]": "high_school", "attribute[sector]": sector,
            "attribute[heading_description]": "Sokak hayvanları"
        });
        // The form as Open311 clients send it: every value as text.
        let post_json = |key: &str, body: &Value| {
            let form: Vec<(String, String)> = body.as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_owned))).collect();
            TestRequest::post().uri(&format!("{BASE}/requests.json")).insert_header(("X-Api-Key", key.to_owned())).set_form(form)
        };
        let r = app.call(post_json(&key, &body)).await;
        if r.status == 400 && r.text.contains("identity_mismatch") {
            panic!("registry data of Mehmet differ: {}", r.text);
        }
        r.expect(201);
        let id2 = r.body[0]["service_request_id"].as_str().unwrap().to_owned();
        let two = app.get(&format!("{BASE}/requests/{id2}.json"), None).await;
        assert_eq!((two.body[0]["service_code"].as_str(), two.body[0]["address"].as_str()), (Some("DIGER.01"), Some("Keçiören, Ankara")));
        nothing_personal(&two);
        let mut no_description = body.clone();
        no_description.as_object_mut().unwrap().remove("attribute[heading_description]");
        open311_error(&app.call(post_json(&key, &no_description)).await, 400, "attribute[heading_description]");

        // A citizen's own online petition is listed too (public fields only) but has no token.
        let citizen = app.citizen_token(AYSE).await;
        let online = app.post("/api/v1/petitions", Some(&citizen), json!({
            "subject_address": {"same_as_residence": true}, "mobile": "5321000001",
            "headings": [{"heading_code": "H02", "sub_heading_code": "H02.01"}],
            "education_level": "bachelor", "sector_id": sector, "subject": "Ambulans çok geç geldi, bahçe duvarı yanında bekledik."
        })).await;
        online.expect(201);
        let id3 = online.body["tracking_no"].as_i64().unwrap().to_string();
        let online_id = online.body["id"].as_str().unwrap().to_owned();
        open311_error(&app.get(&format!("{BASE}/tokens/{online_id}.json"), None).await, 404, "open311.token_not_found");
        open311_error(&app.get(&format!("{BASE}/tokens/nope.json"), None).await, 404, "open311.token_not_found");
        open311_error(&app.get(&format!("{BASE}/requests/999999.json"), None).await, 404, "open311.request_not_found");
        open311_error(&app.get(&format!("{BASE}/requests/abc.json"), None).await, 404, "open311.request_not_found");

        // The list, and each filter.
        macro_rules! list {
            ($q:expr) => {
                app.get(&format!("{BASE}/requests.json{}", $q), None)
            };
        }
        let all = list!("").await;
        nothing_personal(&all);
        assert_eq!(ids(&all), [id3.clone(), id2.clone(), id.clone()], "newest first");
        assert_eq!(ids(&list!(&format!("?service_request_id={id},999999,{id2}")).await), [id2.clone(), id.clone()]);
        assert_eq!(ids(&list!("?service_code=H01.04").await), [id.as_str()]);
        assert_eq!(ids(&list!("?service_code=H01.04,DIGER.01").await), [id2.clone(), id.clone()]);
        assert_eq!(ids(&list!("?service_code=H05.01").await), Vec::<String>::new());
        assert_eq!(ids(&list!("?status=open").await).len(), 3);
        assert_eq!(ids(&list!("?status=closed").await), Vec::<String>::new());
        open311_error(&list!("?status=pending").await, 400, "open311.unknown_status");
        open311_error(&list!("?service_request_id=abc").await, 400, "open311.bad_request_id");
        // Unknown parameters (client extensions) are ignored; a known one with a bad value is not.
        assert_eq!(ids(&list!("?page=2&page_size=1&lat=39.9&long=32.8&radius=500&updated_after=2026-01-01").await).len(), 3);
        open311_error(&list!("?page_size=1&status=pending").await, 400, "open311.unknown_status");
        assert_eq!(ids(&list!("?start_date=2026-03-02&end_date=2026-03-02").await).len(), 3);
        assert_eq!(ids(&list!("?start_date=2026-03-01T00:00:00%2B03:00&end_date=2026-03-02T09:59:59%2B03:00").await), Vec::<String>::new());
        assert_eq!(ids(&list!("?end_date=2026-03-01").await), Vec::<String>::new());
        assert_eq!(ids(&list!("?start_date=2026-03-03").await), Vec::<String>::new());
        // The 90-day rule: exactly 90 days is a window, a second more is refused.
        assert_eq!(ids(&list!("?start_date=2025-12-02T10:00:00%2B03:00&end_date=2026-03-02T10:00:00%2B03:00").await).len(), 3);
        open311_error(&list!("?start_date=2025-12-02T09:59:59%2B03:00&end_date=2026-03-02T10:00:00%2B03:00").await, 400, "open311.window_too_long");
        open311_error(&list!("?start_date=2026-03-02&end_date=2026-03-01").await, 400, "open311.window_reversed");
        open311_error(&list!("?start_date=02.03.2026").await, 400, "datetime.format");

        // Route, answer and close through Kapı's own workflow; the request follows.
        let unit = officer!(app, &admin, "unit_officer", &tckn(200000002), "5330000102", json!([MILLI_EGITIM]));
        app.post(&format!("/api/v1/petitions/{pid}/routings"), Some(&aks), json!({"units": [MILLI_EGITIM], "deadline": "2026-03-20"})).await.expect(200);
        let x = app.get(&format!("{BASE}/requests/{id}.json"), None).await.body[0].clone();
        assert_eq!(x["status"], "open");
        assert_eq!(x["status_notes"], "Başvuru İlgili Birime Yönlendirildi");
        assert_eq!(x["agency_responsible"], "Ankara İl Milli Eğitim Müdürlüğü");
        assert_eq!(x["expected_datetime"], "2026-03-20T23:59:59+03:00");
        app.set_clock("2026-03-05T07:00:00Z").await;
        drop((unit, aks));
        let unit = login!(app, tckn(200000002), "5330000102");
        app.post(&format!("/api/v1/petitions/{pid}/answers"), Some(&unit), json!({"outcome": "positive", "text": "Duvar onarım programına alındı."})).await.expect(200);
        let aks = login!(app, tckn(200000001), "5330000101");
        app.post(&format!("/api/v1/petitions/{pid}/close"), Some(&aks), json!({"outcome": "positive", "reply": "Okul duvarı Ayşe Hanım'ın başvurusu üzerine onarılmıştır."})).await.expect(200);
        let closed = app.get(&format!("{BASE}/requests/{id}.json"), None).await;
        nothing_personal(&closed);
        let x = closed.body[0].clone();
        assert_eq!(x["status"], "closed");
        assert_eq!(x["status_notes"], "Başvuru Olumlu Kapatıldı");
        assert_eq!(x["agency_responsible"], "Ankara Valiliği Açık Kapı Bürosu");
        assert_eq!(x["requested_datetime"], "2026-03-02T10:00:00+03:00");
        assert_eq!(x["updated_datetime"], "2026-03-05T10:00:00+03:00");
        assert!(x.get("expected_datetime").is_none());
        assert!(!closed.text.contains("onarılmıştır"), "the reply is not published");
        assert_eq!(ids(&list!("?status=closed").await), [id.as_str()]);
        assert_eq!(ids(&list!("?status=open").await), [id3.clone(), id2.clone()]);
        assert_eq!(ids(&list!("?status=open,closed").await).len(), 3);

        // The default window is the last 90 days: 89 days on, still listed; 91 days on, not —
        // but an explicit window still finds it.
        app.set_clock("2026-05-30T07:00:00Z").await;
        assert!(ids(&list!("").await).contains(&id));
        app.set_clock("2026-06-01T07:00:00Z").await;
        assert!(!ids(&list!("").await).contains(&id));
        assert_eq!(ids(&list!("?start_date=2026-03-01").await).len(), 3);
        assert_eq!(ids(&list!(&format!("?service_request_id={id}")).await), [id.as_str()]);

        // A revoked key is refused.
        let iid = i.body["id"].as_str().unwrap().to_owned();
        let sysadmin = app.staff_token("admin").await;
        app.send(Method::DELETE, &format!("/api/v1/integrators/{iid}"), Some(&sysadmin), None).await.expect(200);
        open311_error(&app.call(post_json(&key, &body)).await, 403, "open311.api_key_invalid");
    }

    async fn an_open311_client_speaks_georeport_xml_ignores_extensions_and_gets_405(app) {
        app.set_clock("2026-03-02T07:00:00Z").await;
        macro_rules! get {
            ($path:expr) => {
                app.get(&format!("{BASE}/{}", $path), None)
            };
        }

        // Discovery, services and a definition: each XML answer says what its JSON twin says.
        for (path, root) in [("discovery", "discovery"), ("services", "services"), ("services/H01.04", "service_definition"), ("services/DIGER.01", "service_definition")] {
            let j = get!(format!("{path}.json")).await;
            j.expect(200);
            let x = get!(format!("{path}.xml?jurisdiction_id=kapi.gov.tr")).await;
            let el = xml(&x, 200);
            assert_eq!(el.name, root);
            if root == "discovery" {
                let formats: Vec<&str> = el.child("endpoints").child("endpoint").child("formats").children.iter().map(|f| f.text.as_str()).collect();
                assert_eq!(formats, ["application/json", "text/xml"]);
                assert!(el.child("endpoints").child("endpoint").child("url").text.ends_with("/open311/v2"));
            } else {
                same(&el, &j.body);
            }
        }
        let def = get!("services/H01.04.json").await;
        let sector = def.body["attributes"].as_array().unwrap().iter().find(|a| a["code"] == "sector").unwrap()["values"][0]["key"].as_str().unwrap().to_owned();
        let def_xml = xml(&get!("services/H01.04.xml").await, 200);
        let tckn_attr = &def_xml.child("attributes").children[0];
        assert_eq!((tckn_attr.name.as_str(), tckn_attr.child("code").text.as_str(), tckn_attr.child("required").text.as_str()), ("attribute", "tckn", "true"));
        assert!(def_xml.child("attributes").children.iter().any(|a| a.child("code").text == "mother_maiden_first_letter" && a.child("description").text.contains("mother's")), "an apostrophe escaped and read back");

        // Errors in XML when the path asks for XML.
        open311_xml_error(&get!("services/X.xml").await, 404, "open311.service_not_found");
        open311_xml_error(&get!("requests/999999.xml").await, 404, "open311.request_not_found");
        open311_xml_error(&get!("tokens/nope.xml").await, 404, "open311.token_not_found");
        open311_xml_error(&get!("requests.xml?status=pending&page_size=5").await, 400, "open311.unknown_status");
        open311_xml_error(&get!("requests.xml?start_date=2025-01-01&end_date=2026-01-01").await, 400, "open311.window_too_long");
        open311_xml_error(&get!("nothing.xml").await, 404, "not_found");
        let post_xml = |form: &[(String, String)]| TestRequest::post().uri(&format!("{BASE}/requests.xml")).set_form(form.to_vec());
        let form = ayse_form(DEMO_KEY, &sector);
        open311_xml_error(&app.call(post_xml(&without(&form, "api_key"))).await, 403, "open311.api_key_missing");
        open311_xml_error(&app.call(post_xml(&with(&form, "attribute[tckn]", "10000000147"))).await, 400, "attribute[tckn]");

        // A submission in XML: the id, the token, the notice; Location in the same format.
        let r = app.call(post_xml(&form).uri(&format!("{BASE}/requests.xml?page_size=1&lat=39.9"))).await;
        let created = xml(&r, 201);
        assert_eq!(created.name, "service_requests");
        let request = created.child("request");
        let id = request.child("service_request_id").text.clone();
        let token = request.child("token").text.clone();
        assert!(id.parse::<i64>().unwrap() > 1000);
        assert!(request.child("service_notice").text.contains("Ankara Valiliği Açık Kapı Bürosu"));
        assert_eq!(r.header("location"), Some(format!("{BASE}/requests/{id}.xml")));
        nothing_personal(&r);
        assert!(!r.text.contains("Ayşe") && !r.text.contains(AYSE));

        // The token, the request and the list, each equal to its JSON twin; extensions ignored.
        for path in [format!("tokens/{token}"), format!("requests/{id}"), "requests".to_owned()] {
            let j = get!(format!("{path}.json?page_size=50&updated_after=2026-01-01T00:00:00Z")).await;
            j.expect(200);
            let x = get!(format!("{path}.xml?page_size=50&radius=100&lat=39.9&long=32.8")).await;
            let el = xml(&x, 200);
            assert_eq!(el.name, "service_requests");
            same(&el, &j.body);
            assert_eq!(el.child("request").child("service_request_id").text, id);
            nothing_personal(&x);
            assert!(!x.text.contains("bahçe duvarı") && !x.text.contains("5321000001"));
        }
        let listed = xml(&get!("requests.xml?status=open&service_code=H01.04").await, 200);
        assert_eq!(listed.children.len(), 1);
        assert_eq!(listed.child("request").child("status").text, "open");

        // A wrong method on an Open311 resource: 405 with Allow, an Open311 error in the path's format.
        for (method, path, allow) in [
            (Method::DELETE, "requests.json", "GET, POST"),
            (Method::PUT, "requests.json", "GET, POST"),
            (Method::POST, "services.json", "GET"),
            (Method::POST, "discovery.json", "GET"),
            (Method::PATCH, "services/H01.04.json", "GET"),
            (Method::POST, &format!("requests/{id}.json"), "GET"),
            (Method::DELETE, &format!("tokens/{token}.json"), "GET"),
        ] {
            let r = app.call(TestRequest::default().method(method.clone()).uri(&format!("{BASE}/{path}"))).await;
            open311_error(&r, 405, "request.method_not_allowed");
            assert_eq!(r.header("allow").as_deref(), Some(allow), "{method} {path}");
        }
        let r = app.call(TestRequest::default().method(Method::DELETE).uri(&format!("{BASE}/requests/{id}.xml"))).await;
        open311_xml_error(&r, 405, "request.method_not_allowed");
        assert_eq!(r.header("allow").as_deref(), Some("GET"));
        // The request is still there, unchanged by the refused calls; unknown paths stay 404.
        get!(format!("requests/{id}.json")).await.expect(200);
        let r = app.call(TestRequest::default().method(Method::DELETE).uri(&format!("{BASE}/nothing.json"))).await;
        open311_error(&r, 404, "not_found");
        assert!(r.header("allow").is_none());
    }
}
