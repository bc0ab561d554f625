//! Lost races and stale preconditions (issue 19 item 10): every update checks the version
//! it read (`… WHERE version = ?`). A client whose `If-Match` names an old version gets 412
//! `precondition.version_mismatch`; a client that sent no `If-Match` and lost a race to a
//! concurrent writer gets 409 `conflict.concurrent_update`, never a 412 for a precondition
//! it did not send. The race is made deterministic: a trigger makes the store's versioned
//! UPDATE match no row, exactly what a concurrent writer's commit does between our read and
//! our write.

use actix_web::http::Method;
use actix_web::test::TestRequest;
use kapi_tests::{both_backends, json, Backend, Resp};
use serde_json::Value;

/// Makes every UPDATE of `table` touch no row (`lose = true`) or restores it.
async fn races_lost_on<S, B>(app: &kapi_tests::TestApp<S>, table: &'static str, lose: bool)
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    let statements: Vec<String> = match (app.backend, lose) {
        (Backend::Sqlite, true) => vec![format!("CREATE TRIGGER lose_race_{table} BEFORE UPDATE ON {table} BEGIN SELECT RAISE(IGNORE); END")],
        (Backend::Sqlite, false) => vec![format!("DROP TRIGGER lose_race_{table}")],
        (Backend::Postgres, true) => vec![
            "CREATE OR REPLACE FUNCTION lose_race() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$".to_owned(),
            format!("CREATE TRIGGER lose_race_{table} BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION lose_race()"),
        ],
        (Backend::Postgres, false) => vec![format!("DROP TRIGGER lose_race_{table} ON {table}")],
    };
    let db = app.state.db.clone();
    actix_web::web::block(move || {
        db.write(|c| {
            use diesel::RunQueryDsl;
            for s in &statements {
                diesel::sql_query(s.as_str())
                    .execute(c)
                    .map_err(|e| kapi_core::DomainError::internal(e.to_string()))?;
            }
            Ok(())
        })
    })
    .await
    .unwrap()
    .unwrap();
}

fn request(
    method: Method,
    uri: &str,
    token: &str,
    body: Value,
    if_match: Option<&str>,
) -> TestRequest {
    let mut req = TestRequest::default()
        .method(method)
        .uri(uri)
        .insert_header(("Authorization", format!("Bearer {token}")))
        .set_json(body);
    if let Some(v) = if_match {
        req = req.insert_header(("If-Match", v.to_owned()));
    }
    req
}

fn lost(r: &Resp) {
    r.problem(409, "conflict.concurrent_update");
}

both_backends! {
    async fn a_lost_race_without_if_match_is_409_and_a_stale_if_match_is_412(app) {
        // Sectors (system administrator): rename, and a create that shifts the list.
        let admin = app.staff_token("admin").await;
        let r = app.post("/api/v1/admin/sectors", Some(&admin), json!({"name": "Yarış Sektörü"})).await;
        r.expect(201);
        let sector = format!("/api/v1/admin/sectors/{}", r.body["id"].as_str().unwrap());
        app.call(request(Method::PATCH, &sector, &admin, json!({"name": "Eski"}), Some("\"7\""))).await
            .problem(412, "precondition.version_mismatch");
        races_lost_on(&app, "sectors", true).await;
        lost(&app.call(request(Method::PATCH, &sector, &admin, json!({"name": "Yeni Ad"}), None)).await);
        // A create at position 1 moves every other sector: a lost race there is a 409 too.
        lost(&app.post("/api/v1/admin/sectors", Some(&admin), json!({"name": "Başa Gelen", "position": 1})).await);
        // With If-Match naming the version read, the write that lost is still a 412: that
        // version is no longer the current one.
        app.call(request(Method::PATCH, &sector, &admin, json!({"name": "Yeni Ad"}), Some("\"1\""))).await
            .problem(412, "precondition.version_mismatch");
        races_lost_on(&app, "sectors", false).await;
        let r = app.call(request(Method::PATCH, &sector, &admin, json!({"name": "Yeni Ad"}), None)).await;
        r.expect(200);
        assert_eq!(r.body["version"], 2, "{}", r.text);

        // Açık Kapı desk users (province administrator).
        let valilik = app.staff_token("ankara.valilik").await;
        let r = app.post("/api/v1/admin/petition-users", Some(&valilik), json!({
            "kind": "desk_officer", "tckn": "10000000146", "first_name": "Ayşe", "last_name": "Yılmaz",
            "mobile": "0532 100 01 01", "province": 6, "districts": [6007]
        })).await;
        r.expect(201);
        let user = format!("/api/v1/admin/petition-users/{}", r.body["id"].as_str().unwrap());
        app.call(request(Method::PATCH, &user, &valilik, json!({"first_name": "Ayşen"}), Some("\"9\""))).await
            .problem(412, "precondition.version_mismatch");
        races_lost_on(&app, "petition_users", true).await;
        lost(&app.call(request(Method::PATCH, &user, &valilik, json!({"first_name": "Ayşen"}), None)).await);
        races_lost_on(&app, "petition_users", false).await;
        app.call(request(Method::PATCH, &user, &valilik, json!({"first_name": "Ayşen"}), None)).await.expect(200);
    }
}
