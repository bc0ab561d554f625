//! Code lists, searched with the Turkish fold.

use kapi_tests::both_backends;

both_backends! {
    async fn provinces_and_districts(app) {
        let r = app.get("/api/v1/reference/provinces", None).await;
        r.expect(200);
        assert_eq!(r.body["total"], 81);
        assert_eq!(r.body["items"][0]["code"], 1);
        assert_eq!(r.body["items"][0]["name"], "Adana");
        let r = app.get("/api/v1/reference/provinces?q=sanliurfa", None).await;
        assert_eq!(r.body["total"], 1);
        assert_eq!(r.body["items"][0]["name"], "Şanlıurfa");
        assert_eq!(r.body["items"][0]["code"], 63);
        let r = app.get("/api/v1/reference/provinces?q=ISTANBUL", None).await;
        assert_eq!(r.body["items"][0]["name"], "İstanbul");
        app.get("/api/v1/reference/provinces/34", None).await.expect(200);
        app.get("/api/v1/reference/provinces/82", None).await.problem(404, "province.not_found");
        app.get("/api/v1/reference/provinces/abc", None).await.problem(404, "province.not_found");
        let d = app.get("/api/v1/reference/provinces/63/districts", None).await;
        d.expect(200);
        let names: Vec<&str> = d.body["items"].as_array().unwrap().iter().map(|x| x["name"].as_str().unwrap()).collect();
        assert!(names.contains(&"Haliliye"), "{names:?}");
        assert!(names.contains(&"Eyyübiye"), "{names:?}");
        let d = app.get("/api/v1/reference/provinces/6/districts?q=KECIOREN", None).await;
        assert_eq!(d.body["items"][0]["name"], "Keçiören");
        let code = d.body["items"][0]["code"].as_i64().unwrap();
        let n = app.get(&format!("/api/v1/reference/districts/{code}/neighbourhoods?per_page=5"), None).await;
        n.expect(200);
        assert!(n.body["total"].as_u64().unwrap() > 5);
        assert_eq!(n.body["items"].as_array().unwrap().len(), 5);
        app.get("/api/v1/reference/provinces/99/districts", None).await.problem(404, "province.not_found");
        app.get("/api/v1/reference/districts/0/neighbourhoods", None).await.problem(404, "district.not_found");
    }

    async fn occupations_by_name_or_code(app) {
        let r = app.get("/api/v1/reference/occupations", None).await;
        r.expect(200);
        assert!(r.body["total"].as_u64().unwrap() >= 150);
        assert_eq!(r.body["items"].as_array().unwrap().len(), 15);
        let r = app.get("/api/v1/reference/occupations?q=yazilim", None).await;
        assert!(r.body["total"].as_u64().unwrap() >= 1);
        assert!(r.body["items"].as_array().unwrap().iter().all(|o| o["name"].as_str().unwrap().contains("Yazılım")), "{}", r.text);
        let r = app.get("/api/v1/reference/occupations?q=2512", None).await;
        assert!(r.body["items"].as_array().unwrap().iter().all(|o| o["code"].as_str().unwrap().starts_with("2512")));
        let r = app.get("/api/v1/reference/occupations?q=%25", None).await;
        assert_eq!(r.body["total"], 0, "a % is matched literally, not as a wildcard");
        let code = app.get("/api/v1/reference/occupations?per_page=1", None).await.body["items"][0]["code"].as_str().unwrap().to_owned();
        app.get(&format!("/api/v1/reference/occupations/{code}"), None).await.expect(200);
        app.get("/api/v1/reference/occupations/0000.00", None).await.problem(404, "occupation.not_found");
    }

    async fn other_code_lists(app) {
        let e = app.get("/api/v1/reference/education-levels", None).await;
        e.expect(200);
        assert!(e.body["items"].as_array().unwrap().iter().any(|x| x["code"] == "bachelor" && x["name_tr"] == "Lisans"));
        let c = app.get("/api/v1/reference/countries?q=almanya", None).await;
        assert_eq!(c.body["items"][0]["code"], "DE");
        let c = app.get("/api/v1/reference/countries?q=kuzey%20kibris", None).await;
        assert_eq!(c.body["items"][0]["code"], "CT");
        assert!(app.get("/api/v1/reference/countries", None).await.body["total"].as_u64().unwrap() > 240);
        let h = app.get("/api/v1/reference/service-headings", None).await;
        h.expect(200);
        let heads = h.body["items"].as_array().unwrap();
        assert!(heads.len() >= 10);
        assert!(heads.iter().all(|x| !x["sub_headings"].as_array().unwrap().is_empty()));
        assert!(heads.iter().any(|x| x["code"] == "DIGER"));
    }

    async fn detsis_units_search(app) {
        let r = app.get("/api/v1/reference/detsis-units?q=ankara%20il%20milli%20egitim", None).await;
        r.expect(200);
        assert_eq!(r.body["items"][0]["detsis_no"], "55481037");
        let r = app.get("/api/v1/reference/detsis-units?province=34&per_page=100", None).await;
        assert!(r.body["total"].as_u64().unwrap() >= 10);
        assert!(r.body["items"].as_array().unwrap().iter().all(|u| u["province_code"] == 34));
        let unit = app.get("/api/v1/reference/detsis-units/55481037", None).await;
        unit.expect(200);
        let parent = unit.body["parent_detsis_no"].as_str().unwrap().to_owned();
        let kids = app.get(&format!("/api/v1/reference/detsis-units?parent={parent}&per_page=100"), None).await;
        assert!(kids.body["items"].as_array().unwrap().iter().any(|u| u["detsis_no"] == "55481037"));
        app.get("/api/v1/reference/detsis-units/12345678", None).await.problem(404, "detsis_unit.not_found");
        let r = app.get("/api/v1/reference/detsis-units?province=82", None).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.field(), "province");
    }
}
