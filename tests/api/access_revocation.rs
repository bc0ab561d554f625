//! Issue 19 item 1: whoever deactivates, locks, moves or revokes an account, the caller's
//! old credential loses that access on its very next request — not when the token expires.
//!
//! One table: a row per actor kind and change. Each row logs in, checks what the credential
//! may do, changes the account (through the API where the API can; the staff accounts that
//! only the operator manages, in the database), and checks the same credential again: it is
//! refused, or acts with the new scope. A test at the end checks that every actor kind has
//! a row or a stated reason why nothing can revoke it.

use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::Method;
use actix_web::test::TestRequest;
use kapi_core::ActorKind;
use kapi_tests::work_permit_fixture::{household_employer, HOUSEHOLD_OWNER};
use kapi_tests::{both_backends, json, Resp, TestApp};
use serde_json::Value;

const AYSE: &str = "10000000146"; // Çankaya
const MEHMET: &str = "12345678950"; // Keçiören
const CLERK: &str = "23456789060";
const CLERK_2: &str = "34567890170";
const CANKAYA: i32 = 6007;
const KECIOREN: i32 = 6017;
const MILLI_EGITIM: &str = "55481037";
const SAGLIK: &str = "30005480";
const SGK_ANKARA: &str = "30005754";

/// The actor kinds no change can revoke, and why. Every other kind has a row.
const NOTHING_TO_REVOKE: [(ActorKind, &str); 1] = [(
    ActorKind::PetitionCitizen,
    "a citizen identity-checked for Açık Kapı has no account: nothing deactivates or moves it",
)];

fn tckn(n: u32) -> String {
    kapi_core::with_tckn_checksum(&format!("{n:09}")).unwrap()
}

/// Every actor kind (a new kind breaks this match until it is given a row or a reason).
fn every_kind() -> Vec<ActorKind> {
    use ActorKind::*;
    let all = [
        Citizen,
        PetitionCitizen,
        EmployerUser,
        InstitutionStaff,
        IskurStaff,
        MinistryStaff,
        DeskOfficer,
        UnitOfficer,
        CivilAuthority,
        ProvinceAdmin,
        SystemAdmin,
    ];
    for k in all {
        match k {
            Citizen | PetitionCitizen | EmployerUser | InstitutionStaff | IskurStaff
            | MinistryStaff | DeskOfficer | UnitOfficer | CivilAuthority | ProvinceAdmin
            | SystemAdmin => {}
        }
    }
    all.to_vec()
}

/// What a caller presents.
enum Credential {
    Bearer(String),
    ApiKey(String),
}

/// How the account is changed.
enum Change {
    /// Requests to the API: method, path, the changer's token, body, expected status.
    Api(Vec<(Method, String, String, Option<Value>, u16)>),
    /// The operator deactivates a staff account in the database (no API changes these).
    DeactivateStaff(&'static str),
}

struct Row {
    /// `ActorKind::as_str`, or `integrator` for an integrator's API key.
    kind: &'static str,
    what: &'static str,
    credential: Credential,
    /// GETs the credential makes before the change, with their status.
    before: Vec<(String, u16)>,
    change: Change,
    /// The same GETs (or others) afterwards: status and problem code ("" for a success).
    after: Vec<(String, u16, &'static str)>,
}

async fn probe<S, B>(app: &TestApp<S>, c: &Credential, path: &str) -> Resp
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: actix_web::body::MessageBody,
{
    let req = TestRequest::get().uri(path);
    let req = match c {
        Credential::Bearer(t) => req.insert_header(("Authorization", format!("Bearer {t}"))),
        Credential::ApiKey(k) => req.insert_header(("X-Api-Key", k.clone())),
    };
    app.call(req).await
}

/// Registers a Sorumlu / Yetkili in Ankara and logs them in: (user id, token).
async fn officer<S, B>(
    app: &TestApp<S>,
    admin: &str,
    kind: &str,
    tckn: &str,
    mobile: &str,
    districts: Value,
    units: Value,
) -> (String, String)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: actix_web::body::MessageBody,
{
    let r = app
        .post(
            "/api/v1/admin/petition-users",
            Some(admin),
            json!({
                "kind": kind, "tckn": tckn, "first_name": "Deniz", "last_name": "Kurt",
                "mobile": mobile, "province": 6, "districts": districts, "units": units
            }),
        )
        .await;
    r.expect(201);
    let id = r.body["id"].as_str().unwrap().to_owned();
    (id, app.officer_token(tckn, mobile).await)
}

async fn submit<S, B>(app: &TestApp<S>, citizen: &str, body: Value) -> String
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: actix_web::body::MessageBody,
{
    let r = app.post("/api/v1/petitions", Some(citizen), body).await;
    r.expect(201);
    r.body["id"].as_str().unwrap().to_owned()
}

fn form(sector: &str, subject_address: Value, mobile: &str) -> Value {
    json!({
        "subject_address": subject_address,
        "mobile": mobile,
        "headings": [{"heading_code": "H01", "sub_heading_code": "H01.04"}],
        "education_level": "bachelor",
        "sector_id": sector,
        "subject": "Okulun bahçe duvarı yıkılmak üzere; onarılmasını talep ediyorum."
    })
}

async fn deactivate_staff<S>(app: &TestApp<S>, username: &'static str) {
    use diesel::prelude::*;
    use kapi_persistence::schema::staff_accounts as sa;
    let db = app.state.db.clone();
    let n = actix_web::web::block(move || {
        db.write(|c| {
            diesel::update(sa::table.filter(sa::username.eq(username)))
                .set(sa::active.eq(false))
                .execute(c)
                .map_err(|e| kapi_core::DomainError::internal(e.to_string()))
        })
    })
    .await
    .unwrap()
    .unwrap();
    assert_eq!(n, 1, "no staff account {username}");
}

#[test]
fn every_actor_kind_has_a_row_or_a_reason() {
    // The kinds of the rows of `revoked_moved_or_locked_accounts_lose_access_at_once`.
    let rows = [
        "desk_officer",
        "unit_officer",
        "employer_user",
        "institution_staff",
        "citizen",
        "iskur_staff",
        "ministry_staff",
        "civil_authority",
        "province_admin",
        "system_admin",
    ];
    for k in every_kind() {
        let exempt = NOTHING_TO_REVOKE
            .iter()
            .any(|(x, why)| *x == k && !why.is_empty());
        assert!(
            rows.contains(&k.as_str()) || exempt,
            "{} has no row and no reason",
            k.as_str()
        );
    }
}

both_backends! {
    async fn revoked_moved_or_locked_accounts_lose_access_at_once(app) {
        app.set_clock("2026-03-02T07:00:00Z").await;
        let sysadmin = app.staff_token("admin").await;
        let admin = app.staff_token("ankara.valilik").await;
        let sectors = app.get("/api/v1/reference/sectors", None).await;
        let sector = sectors.body["items"][0]["id"].as_str().unwrap().to_owned();

        // Two petitions: Çankaya (routed to Milli Eğitim and SGK), Keçiören (routed to Sağlık).
        let ayse = app.citizen_token(AYSE).await;
        let in_cankaya = submit(&app, &ayse, form(&sector, json!({"province": 6, "district_code": CANKAYA, "neighbourhood_code": 60070001, "open_address": "Cumhuriyet Cad. No:5"}), "5321000001")).await;
        let mehmet = app.citizen_token(MEHMET).await;
        let in_kecioren = submit(&app, &mehmet, form(&sector, json!({"same_as_residence": true}), "5321000002")).await;
        let (_, desk) = officer(&app, &admin, "desk_officer", &tckn(400000001), "5360000001", json!([]), json!([])).await;
        app.post(&format!("/api/v1/petitions/{in_cankaya}/routings"), Some(&desk), json!({"units": [MILLI_EGITIM, SGK_ANKARA]})).await.expect(200);
        app.post(&format!("/api/v1/petitions/{in_kecioren}/routings"), Some(&desk), json!({"units": [SAGLIK]})).await.expect(200);
        let cankaya = format!("/api/v1/petitions/{in_cankaya}");
        let kecioren = format!("/api/v1/petitions/{in_kecioren}");
        let list = "/api/v1/petitions".to_owned();
        let me = "/api/v1/auth/me".to_owned();
        let users = "/api/v1/admin/petition-users";

        let mut rows: Vec<Row> = vec![];

        // Açık Kapı desk officers (Sorumlu): deactivated; moved to another district.
        let (id, token) = officer(&app, &admin, "desk_officer", &tckn(400000002), "5360000002", json!([]), json!([])).await;
        rows.push(Row {
            kind: "desk_officer", what: "deactivated",
            credential: Credential::Bearer(token),
            before: vec![(cankaya.clone(), 200), (list.clone(), 200)],
            change: Change::Api(vec![(Method::DELETE, format!("{users}/{id}"), admin.clone(), None, 204)]),
            after: vec![(cankaya.clone(), 401, "auth.account_inactive"), (list.clone(), 401, "auth.account_inactive")],
        });
        let (id, token) = officer(&app, &admin, "desk_officer", &tckn(400000003), "5360000003", json!([CANKAYA]), json!([])).await;
        rows.push(Row {
            kind: "desk_officer", what: "moved from Çankaya to Keçiören",
            credential: Credential::Bearer(token),
            before: vec![(cankaya.clone(), 200), (kecioren.clone(), 404)],
            change: Change::Api(vec![(Method::PATCH, format!("{users}/{id}"), admin.clone(), Some(json!({"districts": [KECIOREN]})), 200)]),
            after: vec![(cankaya.clone(), 404, "petition.not_found"), (kecioren.clone(), 200, "")],
        });

        // Yetkili (unit officers): deactivated; moved to another unit; deactivated and
        // registered again as a Sorumlu (the old Yetkili token must not become a desk token).
        let (id, token) = officer(&app, &admin, "unit_officer", &tckn(400000004), "5360000004", json!([]), json!([MILLI_EGITIM])).await;
        rows.push(Row {
            kind: "unit_officer", what: "deactivated",
            credential: Credential::Bearer(token),
            before: vec![(cankaya.clone(), 200), (list.clone(), 200)],
            change: Change::Api(vec![(Method::DELETE, format!("{users}/{id}"), admin.clone(), None, 204)]),
            after: vec![(cankaya.clone(), 401, "auth.account_inactive"), (list.clone(), 401, "auth.account_inactive")],
        });
        let (id, token) = officer(&app, &admin, "unit_officer", &tckn(400000005), "5360000005", json!([]), json!([MILLI_EGITIM])).await;
        rows.push(Row {
            kind: "unit_officer", what: "moved from Milli Eğitim to Sağlık",
            credential: Credential::Bearer(token),
            before: vec![(cankaya.clone(), 200), (kecioren.clone(), 404)],
            change: Change::Api(vec![(Method::PATCH, format!("{users}/{id}"), admin.clone(), Some(json!({"units": [SAGLIK]})), 200)]),
            after: vec![(cankaya.clone(), 404, "petition.not_found"), (kecioren.clone(), 200, "")],
        });
        let again = tckn(400000006);
        let (id, token) = officer(&app, &admin, "unit_officer", &again, "5360000006", json!([]), json!([SGK_ANKARA])).await;
        rows.push(Row {
            kind: "unit_officer", what: "deactivated, then registered again as a Sorumlu",
            credential: Credential::Bearer(token),
            before: vec![(cankaya.clone(), 200), (kecioren.clone(), 404)],
            change: Change::Api(vec![
                (Method::DELETE, format!("{users}/{id}"), admin.clone(), None, 204),
                (Method::POST, users.to_owned(), admin.clone(), Some(json!({
                    "kind": "desk_officer", "tckn": again, "first_name": "Deniz", "last_name": "Kurt",
                    "mobile": "5360000006", "province": 6, "districts": [], "units": []
                })), 201),
            ]),
            after: vec![(cankaya.clone(), 401, "auth.account_inactive"), (kecioren.clone(), 401, "auth.account_inactive")],
        });

        // Employer users (İŞKUR e-Şube): locked; a permission taken away.
        let m = app.register_employer(AYSE, "123456789", 1).await;
        let employer = m["employer"]["id"].as_str().unwrap().to_owned();
        let head = m["head_office"]["id"].as_str().unwrap().to_owned();
        let employer_admin = app.employer_token(AYSE, None).await;
        let employer_users = format!("/api/v1/employers/{employer}/users");
        app.post(&employer_users, Some(&employer_admin), json!({"tckn": CLERK, "permissions": {"workforce_chart": true}})).await.expect(201);
        app.post(&employer_users, Some(&employer_admin), json!({"tckn": CLERK_2, "permissions": {"mass_layoff": true}})).await.expect(201);
        rows.push(Row {
            kind: "employer_user", what: "locked",
            credential: Credential::Bearer(app.employer_token(CLERK, None).await),
            before: vec![(format!("/api/v1/workplaces/{head}"), 200)],
            change: Change::Api(vec![(Method::PATCH, format!("{employer_users}/{CLERK}"), employer_admin.clone(), Some(json!({"locked": true})), 200)]),
            after: vec![(format!("/api/v1/workplaces/{head}"), 403, "workplace_user.locked")],
        });
        rows.push(Row {
            kind: "employer_user", what: "mass-layoff permission taken away",
            credential: Credential::Bearer(app.employer_token(CLERK_2, None).await),
            before: vec![("/api/v1/mass-layoffs".into(), 200)],
            change: Change::Api(vec![(Method::PATCH, format!("{employer_users}/{CLERK_2}"), employer_admin.clone(), Some(json!({"permissions": {"workforce_chart": true}})), 200)]),
            after: vec![("/api/v1/mass-layoffs".into(), 403, "mass_layoff.permission_missing")],
        });

        // Institution HR (Kariyer Kapısı): deactivated by the system administrator.
        let login = app.post("/api/v1/auth/staff/login", None, json!({"username": "kurum.ik", "password": "Kapi2026"})).await;
        login.expect(200);
        let account = login.body["actor"]["scope"]["account_id"].as_str().unwrap().to_owned();
        rows.push(Row {
            kind: "institution_staff", what: "deactivated",
            credential: Credential::Bearer(login.body["access_token"].as_str().unwrap().to_owned()),
            before: vec![("/api/v1/postings?view=own".into(), 200)],
            change: Change::Api(vec![(Method::POST, format!("/api/v1/admin/hr-accounts/{account}/deactivate"), sysadmin.clone(), None, 200)]),
            after: vec![("/api/v1/postings?view=own".into(), 401, "auth.account_inactive")],
        });

        // An integrator's API key: revoked.
        let r = app.post("/api/v1/integrators", Some(&sysadmin), json!({"name": "Belediye Uygulaması"})).await;
        r.expect(201);
        let integrator = r.body["id"].as_str().unwrap().to_owned();
        rows.push(Row {
            kind: "integrator", what: "revoked",
            credential: Credential::ApiKey(r.body["api_key"].as_str().unwrap().to_owned()),
            before: vec![("/api/v1/integrators/me".into(), 200)],
            change: Change::Api(vec![(Method::DELETE, format!("/api/v1/integrators/{integrator}"), sysadmin.clone(), None, 200)]),
            after: vec![("/api/v1/integrators/me".into(), 401, "integrator.invalid_api_key")],
        });

        // A citizen authorised for an e-İzin employer: the owner takes the authorisation back.
        let db = app.state.db.clone();
        let now = app.state.clock.now();
        let wp_employer = actix_web::web::block(move || db.write(|c| household_employer(c, HOUSEHOLD_OWNER, now))).await.unwrap().unwrap().to_string();
        let owner = app.citizen_token(HOUSEHOLD_OWNER).await;
        app.post(&format!("/api/v1/work-permit-employers/{wp_employer}/users"), Some(&owner), json!({"tckn": MEHMET})).await.expect(201);
        rows.push(Row {
            kind: "citizen", what: "e-İzin employer authorisation revoked",
            credential: Credential::Bearer(mehmet.clone()),
            before: vec![(format!("/api/v1/work-permit-employers/{wp_employer}"), 200)],
            change: Change::Api(vec![(Method::DELETE, format!("/api/v1/work-permit-employers/{wp_employer}/users/{MEHMET}"), owner.clone(), None, 204)]),
            after: vec![(format!("/api/v1/work-permit-employers/{wp_employer}"), 404, "work_permit.employer_not_found")],
        });

        // Staff accounts only the operator manages: deactivated in the database. The system
        // administrator comes last (the rows above change accounts with its token).
        for (kind, username) in [
            ("iskur_staff", "iskur.ankara"),
            ("ministry_staff", "bakanlik.degerlendirici"),
            ("civil_authority", "istanbul.mia"),
            ("province_admin", "istanbul.valilik"),
            ("system_admin", "admin"),
        ] {
            rows.push(Row {
                kind, what: "deactivated by the operator",
                credential: Credential::Bearer(app.staff_token(username).await),
                before: vec![(me.clone(), 200)],
                change: Change::DeactivateStaff(username),
                after: vec![(me.clone(), 401, "auth.account_inactive")],
            });
        }

        for row in &rows {
            let label = format!("{} {}", row.kind, row.what);
            for (path, status) in &row.before {
                let r = probe(&app, &row.credential, path).await;
                assert_eq!(r.status, *status, "{label}: before, GET {path}: {}", r.text);
            }
            match &row.change {
                Change::Api(requests) => {
                    for (method, path, token, body, status) in requests {
                        let r = app.send(method.clone(), path, Some(token), body.clone()).await;
                        assert_eq!(r.status, *status, "{label}: {method} {path}: {}", r.text);
                    }
                }
                Change::DeactivateStaff(username) => deactivate_staff(&app, username).await,
            }
            for (path, status, code) in &row.after {
                let r = probe(&app, &row.credential, path).await;
                assert_eq!(r.status, *status, "{label}: after, GET {path}: {}", r.text);
                if !code.is_empty() {
                    r.problem(*status, code);
                }
            }
        }
        // The table covers the kinds `every_actor_kind_has_a_row_or_a_reason` lists.
        let mut kinds: Vec<&str> = rows.iter().map(|r| r.kind).collect();
        kinds.sort_unstable();
        kinds.dedup();
        assert_eq!(kinds, vec!["citizen", "civil_authority", "desk_officer", "employer_user", "institution_staff", "integrator", "iskur_staff", "ministry_staff", "province_admin", "system_admin", "unit_officer"]);
    }

    async fn a_moved_officer_sees_the_new_scope_in_its_own_profile(app) {
        app.set_clock("2026-03-02T07:00:00Z").await;
        let admin = app.staff_token("ankara.valilik").await;
        let (id, token) = officer(&app, &admin, "unit_officer", &tckn(400000011), "5360000011", json!([]), json!([MILLI_EGITIM])).await;
        let me = app.get("/api/v1/auth/me", Some(&token)).await;
        assert_eq!(me.body["actor"]["scope"]["units"], json!([MILLI_EGITIM]));
        app.send(Method::PATCH, &format!("/api/v1/admin/petition-users/{id}"), Some(&admin), Some(json!({"units": [SAGLIK, SGK_ANKARA]}))).await.expect(200);
        let me = app.get("/api/v1/auth/me", Some(&token)).await;
        me.expect(200);
        assert_eq!(me.body["actor"]["scope"]["units"], json!([SAGLIK, SGK_ANKARA]));
        let (id, token) = officer(&app, &admin, "desk_officer", &tckn(400000012), "5360000012", json!([CANKAYA]), json!([])).await;
        app.send(Method::PATCH, &format!("/api/v1/admin/petition-users/{id}"), Some(&admin), Some(json!({"districts": []}))).await.expect(200);
        let me = app.get("/api/v1/auth/me", Some(&token)).await;
        assert_eq!(me.body["actor"]["scope"]["districts"], json!([]), "the whole province now");
    }

    async fn a_stored_answer_is_not_replayed_to_a_deactivated_account(app) {
        // An Idempotency-Key replay answers before the handler runs: it must still ask
        // whether the caller's account is active, like every other request.
        app.set_clock("2026-03-02T07:00:00Z").await;
        let admin = app.staff_token("ankara.valilik").await;
        let sectors = app.get("/api/v1/reference/sectors", None).await;
        let sector = sectors.body["items"][0]["id"].as_str().unwrap().to_owned();
        let ayse = app.citizen_token(AYSE).await;
        let petition = submit(&app, &ayse, form(&sector, json!({"same_as_residence": true}), "5321000001")).await;
        let (id, desk) = officer(&app, &admin, "desk_officer", &tckn(400000021), "5360000021", json!([]), json!([])).await;
        let route = || {
            TestRequest::post()
                .uri(&format!("/api/v1/petitions/{petition}/routings"))
                .insert_header(("Authorization", format!("Bearer {desk}")))
                .insert_header(("Idempotency-Key", "route-once-0001"))
                .set_json(json!({"units": [MILLI_EGITIM]}))
        };
        let first = app.call(route()).await;
        first.expect(200);
        let replayed = app.call(route()).await;
        replayed.expect(200);
        assert_eq!(replayed.header("idempotent-replayed").as_deref(), Some("true"));
        app.send(Method::DELETE, &format!("/api/v1/admin/petition-users/{id}"), Some(&admin), None).await.expect(204);
        let after = app.call(route()).await;
        after.problem(401, "auth.account_inactive");
        assert_eq!(after.header("idempotent-replayed"), None);
    }
}
