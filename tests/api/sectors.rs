//! The reference slice end to end: Açık Kapı sectors.

use actix_web::http::Method;
use actix_web::test::TestRequest;
use kapi_tests::{both_backends, json};

both_backends! {
    async fn public_list_is_ordered_and_paged(app) {
        let r = app.get("/api/v1/reference/sectors", None).await;
        r.expect(200);
        let total = r.body["total"].as_u64().unwrap();
        assert!(total >= 2);
        assert_eq!(r.body["per_page"], 15);
        assert_eq!(r.body["items"][0]["name"], "Çalışmıyor");
        assert_eq!(r.body["items"][0]["position"], 1);
        let p2 = app.get("/api/v1/reference/sectors?page=2&per_page=1", None).await;
        assert_eq!(p2.body["items"][0]["position"], 2);
        assert_eq!(p2.body["total"].as_u64().unwrap(), total);
        let q = app.get("/api/v1/reference/sectors?q=CALISMIYOR", None).await;
        assert_eq!(q.body["total"], 1);
        assert_eq!(q.body["items"][0]["name"], "Çalışmıyor");
    }

    async fn admin_creates_renames_moves_and_deletes(app) {
        let admin = app.staff_token("admin").await;
        let r = app.post("/api/v1/admin/sectors", Some(&admin), json!({"name": "  Yenilenebilir   Enerji ", "position": 1})).await;
        r.expect(201);
        assert_eq!(r.body["name"], "Yenilenebilir Enerji");
        assert_eq!(r.body["position"], 1);
        assert_eq!(r.header("etag").as_deref(), Some("\"1\""));
        let id = r.body["id"].as_str().unwrap().to_owned();
        assert_eq!(r.header("location").unwrap(), format!("/api/v1/reference/sectors/{id}"));
        // Everything else moved down one place.
        let list = app.get("/api/v1/reference/sectors?per_page=100", None).await;
        let positions: Vec<u64> = list.body["items"].as_array().unwrap().iter().map(|s| s["position"].as_u64().unwrap()).collect();
        assert_eq!(positions, (1..=positions.len() as u64).collect::<Vec<_>>());
        assert_eq!(list.body["items"][1]["name"], "Çalışmıyor");

        let got = app.get(&format!("/api/v1/reference/sectors/{id}"), None).await;
        assert_eq!(got.header("etag").as_deref(), Some("\"1\""));

        let patch = |body: serde_json::Value, etag: Option<&str>| {
            let mut req = TestRequest::patch().uri(&format!("/api/v1/admin/sectors/{id}")).insert_header(("Authorization", format!("Bearer {admin}"))).set_json(body);
            if let Some(e) = etag {
                req = req.insert_header(("If-Match", e.to_owned()));
            }
            req
        };
        app.call(patch(json!({"name": "Enerji"}), Some("\"7\""))).await.problem(412, "precondition.version_mismatch");
        let r = app.call(patch(json!({"name": "Yenilenebilir Enerji Kaynakları", "position": 3}), Some("\"1\""))).await;
        r.expect(200);
        assert_eq!(r.body["position"], 3);
        assert_eq!(r.body["version"], 2);
        assert_eq!(r.header("etag").as_deref(), Some("\"2\""));
        let list = app.get("/api/v1/reference/sectors?per_page=3", None).await;
        assert_eq!(list.body["items"][2]["name"], "Yenilenebilir Enerji Kaynakları");
        assert_eq!(list.body["items"][0]["name"], "Çalışmıyor");
        // The old ETag is stale now: no lost update.
        app.call(patch(json!({"name": "Eski Ad"}), Some("\"1\""))).await.problem(412, "precondition.version_mismatch");
        let del = |etag: &str| TestRequest::delete().uri(&format!("/api/v1/admin/sectors/{id}")).insert_header(("Authorization", format!("Bearer {admin}"))).insert_header(("If-Match", etag.to_owned()));
        app.call(del("\"1\"")).await.problem(412, "precondition.version_mismatch");
        app.call(del("\"2\"")).await.expect(204);
        app.get(&format!("/api/v1/reference/sectors/{id}"), None).await.problem(404, "sector.not_found");
        app.call(del("\"2\"")).await.problem(404, "sector.not_found");
        let list = app.get("/api/v1/reference/sectors?per_page=100", None).await;
        let positions: Vec<u64> = list.body["items"].as_array().unwrap().iter().map(|s| s["position"].as_u64().unwrap()).collect();
        assert_eq!(positions, (1..=positions.len() as u64).collect::<Vec<_>>(), "no gap after delete");
        // The history outlives the sector.
        let h = app.get(&format!("/api/v1/admin/sectors/{id}/history"), Some(&admin)).await;
        h.expect(200);
        let states: Vec<&str> = h.body["items"].as_array().unwrap().iter().map(|e| e["to_state"].as_str().unwrap()).collect();
        assert_eq!(states, vec!["active", "active", "deleted"]);
        assert_eq!(h.body["items"][1]["note"], "Güncellendi: ad: Yenilenebilir Enerji → Yenilenebilir Enerji Kaynakları; sıra: 1 → 3");
        let citizen = app.citizen_token("10000000146").await;
        app.get(&format!("/api/v1/admin/sectors/{id}/history"), Some(&citizen)).await.problem(403, "sector.admin_only");
        app.get(&format!("/api/v1/admin/sectors/{}/history", uuid::Uuid::now_v7()), Some(&admin)).await.problem(404, "sector.not_found");
    }

    async fn only_a_system_admin_may_change_sectors(app) {
        let citizen = app.citizen_token("10000000146").await;
        let province_admin = app.staff_token("ankara.valilik").await;
        let hr = app.staff_token("kurum.ik").await;
        for token in [&citizen, &province_admin, &hr] {
            app.post("/api/v1/admin/sectors", Some(token), json!({"name": "Yetkisiz"})).await.problem(403, "sector.admin_only");
        }
        app.post("/api/v1/admin/sectors", None, json!({"name": "Yetkisiz"})).await.problem(401, "auth.missing_token");
        let first = app.get("/api/v1/reference/sectors", None).await.body["items"][0]["id"].as_str().unwrap().to_owned();
        app.send(Method::PATCH, &format!("/api/v1/admin/sectors/{first}"), Some(&citizen), Some(json!({"name": "X Y"}))).await.problem(403, "sector.admin_only");
        app.send(Method::DELETE, &format!("/api/v1/admin/sectors/{first}"), Some(&province_admin), None).await.problem(403, "sector.admin_only");
        let r = app.get("/api/v1/reference/sectors?q=yetkisiz", None).await;
        assert_eq!(r.body["total"], 0, "nothing half-written");
    }

    async fn names_are_unique_after_turkish_fold_and_validated(app) {
        let admin = app.staff_token("admin").await;
        let r = app.post("/api/v1/admin/sectors", Some(&admin), json!({"name": "ÇALIŞMIYOR"})).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.field(), "name");
        assert_eq!(r.body["errors"][0]["code"], "sector.name_taken");
        let r = app.post("/api/v1/admin/sectors", Some(&admin), json!({"name": "x"})).await;
        assert_eq!(r.body["errors"][0]["code"], "sector.name_too_short");
        let r = app.post("/api/v1/admin/sectors", Some(&admin), json!({"name": "a".repeat(101)})).await;
        assert_eq!(r.body["errors"][0]["code"], "sector.name_too_long");
        let r = app.post("/api/v1/admin/sectors", Some(&admin), json!({"name": "Yeni Sektör", "position": 0})).await;
        assert_eq!(r.body["errors"][0]["code"], "sector.position_out_of_range");
        let r = app.post("/api/v1/admin/sectors", Some(&admin), json!({"name": "Yeni Sektör", "position": -1})).await;
        r.problem(422, "validation.failed");
        assert_eq!(r.field(), "position");
        let r = app.post("/api/v1/admin/sectors", Some(&admin), json!({"name": "Yeni Sektör", "position": 10000})).await;
        assert_eq!(r.body["errors"][0]["code"], "sector.position_out_of_range");
        let first = app.get("/api/v1/reference/sectors", None).await.body["items"][1]["id"].as_str().unwrap().to_owned();
        let r = app.send(Method::PATCH, &format!("/api/v1/admin/sectors/{first}"), Some(&admin), Some(json!({"name": "çalışmıyor"}))).await;
        assert_eq!(r.body["errors"][0]["code"], "sector.name_taken");
    }

    async fn unknown_and_malformed_ids_are_404(app) {
        let admin = app.staff_token("admin").await;
        app.get("/api/v1/reference/sectors/not-a-uuid", None).await.problem(404, "sector.not_found");
        let id = uuid::Uuid::now_v7();
        app.get(&format!("/api/v1/reference/sectors/{id}"), None).await.problem(404, "sector.not_found");
        app.send(Method::PATCH, &format!("/api/v1/admin/sectors/{id}"), Some(&admin), Some(json!({"name": "Bir Ad"}))).await.problem(404, "sector.not_found");
        app.send(Method::DELETE, &format!("/api/v1/admin/sectors/{id}"), Some(&admin), None).await.problem(404, "sector.not_found");
    }

    async fn concurrent_creates_keep_a_gapless_order(app) {
        let admin = app.staff_token("admin").await;
        let before = app.get("/api/v1/reference/sectors", None).await.body["total"].as_u64().unwrap();
        let futures: Vec<_> = (0..8).map(|i| app.post("/api/v1/admin/sectors", Some(&admin), json!({"name": format!("Eşzamanlı Sektör {i}"), "position": 1}))).collect();
        let results = kapi_tests::join_all(futures).await;
        for r in &results {
            r.expect(201);
        }
        let list = app.get("/api/v1/reference/sectors?per_page=100", None).await;
        assert_eq!(list.body["total"].as_u64().unwrap(), before + 8);
        let positions: Vec<u64> = list.body["items"].as_array().unwrap().iter().map(|s| s["position"].as_u64().unwrap()).collect();
        assert_eq!(positions, (1..=positions.len() as u64).collect::<Vec<_>>());
    }
}
