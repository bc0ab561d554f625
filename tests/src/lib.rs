//! The black-box test harness: the real app, in process, on a fresh database per test.
//!
//! - SQLite: a template file is migrated and seeded once per test process, then copied
//!   for each test.
//! - PostgreSQL (`KAPI_TEST_POSTGRES_URL`, an admin URL such as
//!   `postgres://postgres@127.0.0.1:5432/test`): a template database named after a hash of
//!   the migrations and reference data is created once (under an advisory lock, reused by
//!   later runs), and each test gets `CREATE DATABASE … TEMPLATE` of it, dropped afterwards.
//!   Without the variable the PostgreSQL variant of each test reports itself skipped, and
//!   under `CI=true` it fails instead: CI never silently skips PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header::HeaderMap;
use actix_web::http::Method;
use actix_web::{test, web};
use diesel::{Connection, PgConnection, RunQueryDsl};
use kapi_api::config::{Config, Profile};
use kapi_api::state::AppState;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

pub use serde_json::json;

pub mod contract;
pub mod receiver;
pub mod work_permit_fixture;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Deletes the test's database when the test ends.
pub enum DbGuard {
    Sqlite(PathBuf),
    Postgres { admin_url: String, name: String },
}

impl Drop for DbGuard {
    fn drop(&mut self) {
        match self {
            DbGuard::Sqlite(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            DbGuard::Postgres { admin_url, name } => {
                if let Ok(mut c) = PgConnection::establish(admin_url) {
                    let _ = diesel::sql_query(format!(
                        "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                    ))
                    .execute(&mut c);
                }
            }
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A hash of everything that shapes a fresh database: migrations, reference data, demo data.
fn schema_fingerprint() -> String {
    let mut h = Sha256::new();
    let root = workspace_root();
    let mut files = Vec::new();
    for dir in ["migrations/postgres", "reference", "persistence/src"] {
        collect(&root.join(dir), &mut files);
    }
    files.sort();
    for f in files {
        h.update(f.to_string_lossy().as_bytes());
        h.update(std::fs::read(&f).unwrap_or_default());
    }
    hex::encode(h.finalize())[..16].to_owned()
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                collect(&p, out);
            } else {
                out.push(p);
            }
        }
    }
}

fn unique() -> String {
    uuid::Uuid::now_v7().simple().to_string()
}

fn sqlite_template() -> &'static PathBuf {
    static T: OnceLock<PathBuf> = OnceLock::new();
    T.get_or_init(|| {
        let dir = std::env::temp_dir().join("kapi-tests");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("template-{}-{}.db", std::process::id(), unique()));
        let config = Config::for_database(path.to_str().unwrap());
        let db = kapi_api::prepare_database(&config).expect("prepare the SQLite template");
        db.write(|c| {
            if let kapi_persistence::DbConnection::Sqlite(s) = c {
                diesel::sql_query("PRAGMA wal_checkpoint(TRUNCATE)")
                    .execute(s)
                    .map_err(|e| kapi_core::DomainError::internal(e.to_string()))?;
            }
            Ok(())
        })
        .ok();
        drop(db);
        path
    })
}

/// The admin URL of the PostgreSQL test server, if configured.
pub fn postgres_admin_url() -> Option<String> {
    match std::env::var("KAPI_TEST_POSTGRES_URL") {
        Ok(u) if !u.trim().is_empty() => Some(u),
        _ => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("KAPI_TEST_POSTGRES_URL is not set under CI=true: the PostgreSQL suite must run in CI");
            }
            None
        }
    }
}

fn with_database(admin_url: &str, db: &str) -> String {
    let (base, query) = match admin_url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (admin_url, None),
    };
    let prefix = match base.rfind('/') {
        Some(i) if i > base.find("://").map(|s| s + 2).unwrap_or(0) => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{prefix}/{db}?{q}"),
        None => format!("{prefix}/{db}"),
    }
}

fn postgres_template(admin_url: &str) -> &'static String {
    static T: OnceLock<String> = OnceLock::new();
    T.get_or_init(|| {
        let name = format!("kapi_tpl_{}", schema_fingerprint());
        let mut admin =
            PgConnection::establish(admin_url).expect("connect to the PostgreSQL test server");
        diesel::sql_query("SELECT pg_advisory_lock(72617201)")
            .execute(&mut admin)
            .unwrap();
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let exists: Vec<N> = diesel::sql_query(format!(
            "SELECT count(*) AS n FROM pg_database WHERE datname = '{name}'"
        ))
        .load(&mut admin)
        .unwrap();
        if exists[0].n == 0 {
            // Templates of older schemas are dead weight: drop those nobody is connected to.
            #[derive(diesel::QueryableByName)]
            struct D {
                #[diesel(sql_type = diesel::sql_types::Text)]
                datname: String,
            }
            let old: Vec<D> = diesel::sql_query(
                "SELECT datname FROM pg_database WHERE datname LIKE 'kapi\\_tpl\\_%'",
            )
            .load(&mut admin)
            .unwrap_or_default();
            for d in old {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{}\"", d.datname))
                    .execute(&mut admin);
            }
            let building = format!("{name}_building");
            diesel::sql_query(format!(
                "DROP DATABASE IF EXISTS \"{building}\" WITH (FORCE)"
            ))
            .execute(&mut admin)
            .unwrap();
            diesel::sql_query(format!("CREATE DATABASE \"{building}\""))
                .execute(&mut admin)
                .unwrap();
            let config = Config::for_database(&with_database(admin_url, &building));
            let db = kapi_api::prepare_database(&config).expect("prepare the PostgreSQL template");
            drop(db);
            diesel::sql_query(format!(
                "ALTER DATABASE \"{building}\" RENAME TO \"{name}\""
            ))
            .execute(&mut admin)
            .unwrap();
        }
        diesel::sql_query("SELECT pg_advisory_unlock(72617201)")
            .execute(&mut admin)
            .unwrap();
        name
    })
}

/// A fresh, migrated, seeded database for one test: its URL and the guard that drops it.
pub fn fresh_database(backend: Backend) -> Option<(String, DbGuard)> {
    match backend {
        Backend::Sqlite => {
            let template = sqlite_template();
            let path = template.with_file_name(format!("test-{}.db", unique()));
            std::fs::copy(template, &path).unwrap();
            Some((path.to_str().unwrap().to_owned(), DbGuard::Sqlite(path)))
        }
        Backend::Postgres => {
            let admin_url = postgres_admin_url()?;
            let template = postgres_template(&admin_url);
            let name = format!("kapi_t_{}", unique());
            let mut admin = PgConnection::establish(&admin_url).unwrap();
            // Concurrent clones of one template can collide; retry briefly.
            let mut tries = 0;
            loop {
                match diesel::sql_query(format!(
                    "CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""
                ))
                .execute(&mut admin)
                {
                    Ok(_) => break,
                    Err(e) if tries < 50 => {
                        tries += 1;
                        let _ = e;
                        std::thread::sleep(std::time::Duration::from_millis(100));
                    }
                    Err(e) => panic!("cannot clone the template database: {e}"),
                }
            }
            Some((
                with_database(&admin_url, &name),
                DbGuard::Postgres { admin_url, name },
            ))
        }
    }
}

/// The six-digit code in the newest message of a dev outbox answer
/// (`GET /api/v1/dev/outbox?recipient=…`).
pub fn otp_code(outbox: &Resp) -> String {
    let body = outbox.body[0]["body"].as_str().unwrap();
    body.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 6)
        .unwrap()
        .to_owned()
}

/// A response, read whole.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
    /// The body's bytes (files: PDF, Excel).
    pub raw: Vec<u8>,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    }
    /// The problem's `code`.
    pub fn code(&self) -> &str {
        self.body["code"].as_str().unwrap_or("")
    }
    /// The first invalid field of a 422.
    pub fn field(&self) -> &str {
        self.body["errors"][0]["field"].as_str().unwrap_or("")
    }
    #[track_caller]
    pub fn expect(&self, status: u16) -> &Self {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.text
        );
        self
    }
    /// Asserts a problem response with this status and code.
    #[track_caller]
    pub fn problem(&self, status: u16, code: &str) -> &Self {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.text
        );
        assert_eq!(
            self.header("content-type").as_deref(),
            Some("application/problem+json"),
            "{}",
            self.text
        );
        assert_eq!(self.code(), code, "{}", self.text);
        self
    }
}

/// The app under test and its database.
pub struct TestApp<S> {
    svc: S,
    pub state: web::Data<AppState>,
    pub backend: Backend,
    _db: DbGuard,
}

/// Starts the app on a fresh database of `backend` (dev profile). `None` when PostgreSQL
/// is not configured outside CI.
pub async fn spawn(
    backend: Backend,
) -> Option<
    TestApp<
        impl Service<
            actix_http::Request,
            Response = ServiceResponse<impl MessageBody>,
            Error = actix_web::Error,
        >,
    >,
> {
    spawn_with(backend, Profile::Dev).await
}

pub async fn spawn_with(
    backend: Backend,
    profile: Profile,
) -> Option<
    TestApp<
        impl Service<
            actix_http::Request,
            Response = ServiceResponse<impl MessageBody>,
            Error = actix_web::Error,
        >,
    >,
> {
    spawn_configured(backend, move |c| c.profile = profile).await
}

/// Starts the app on a fresh database of `backend` with the test configuration changed by
/// `configure` (limits, JWT keys, profile, …).
pub async fn spawn_configured(
    backend: Backend,
    configure: impl FnOnce(&mut Config),
) -> Option<
    TestApp<
        impl Service<
            actix_http::Request,
            Response = ServiceResponse<impl MessageBody>,
            Error = actix_web::Error,
        >,
    >,
> {
    let Some((url, guard)) = web::block(move || fresh_database(backend)).await.unwrap() else {
        eprintln!("SKIPPED on PostgreSQL: KAPI_TEST_POSTGRES_URL is not set");
        return None;
    };
    let mut config = Config::for_database(&url);
    configure(&mut config);
    // The development secret unless the test configures keys (whatever the profile).
    let keys = if config.jwt_secret.is_none() && config.jwt_keys.is_none() {
        kapi_api::jwt::JwtKeys::new(kapi_api::config::DEV_JWT_SECRET, config.jwt_ttl)
    } else {
        config.jwt_key_set().expect("the test's JWT keys")
    };
    let options = config.db_options();
    let db = web::block(move || kapi_persistence::Db::connect_with(&url, options))
        .await
        .unwrap()
        .expect("connect to the test database");
    let state = web::Data::new(AppState::new(db, &config, keys));
    let (app, _) = kapi_api::build_app(state.clone());
    let svc = test::init_service(app).await;
    Some(TestApp {
        svc,
        state,
        backend,
        _db: guard,
    })
}

impl<S, B> TestApp<S>
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    /// Sends the request and reads the answer whole; the exchange is checked against the
    /// OpenAPI document (see [`contract`]).
    #[track_caller]
    pub fn call(&self, req: test::TestRequest) -> impl std::future::Future<Output = Resp> + '_ {
        let caller = std::panic::Location::caller();
        async move {
            let mut req = req.to_request();
            // The body is read here so the contract check sees what the app was sent.
            let mut payload = req.take_payload();
            let mut sent_body = Vec::new();
            while let Some(chunk) = futures_util::StreamExt::next(&mut payload).await {
                sent_body.extend_from_slice(&chunk.expect("the test request's body"));
            }
            let sent_body = web::Bytes::from(sent_body);
            *req.payload() = actix_http::Payload::from(sent_body.clone());
            let sent = contract::Sent {
                method: req.method().as_str().to_owned(),
                path: req.path().to_owned(),
                query: req.uri().query().map(str::to_owned),
                content_type: req
                    .head()
                    .headers()
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_owned),
                body: sent_body,
            };
            let res = test::call_service(&self.svc, req).await;
            let status = res.status().as_u16();
            let headers = res.headers().clone();
            let bytes = test::read_body(res).await;
            contract::check(
                self.state.profile,
                &sent,
                &contract::Answered {
                    status,
                    headers: &headers,
                    body: &bytes,
                },
                caller,
            );
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            Resp {
                status,
                headers,
                body,
                text,
                raw: bytes.to_vec(),
            }
        }
    }

    /// Sends `method path` with the bearer token and JSON body given (checked like [`Self::call`]).
    #[track_caller]
    pub fn send(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> impl std::future::Future<Output = Resp> + '_ {
        let mut req = test::TestRequest::default().method(method).uri(path);
        if let Some(t) = token {
            req = req.insert_header(("Authorization", format!("Bearer {t}")));
        }
        if let Some(b) = body {
            req = req.set_json(b);
        }
        self.call(req)
    }

    #[track_caller]
    pub fn get(
        &self,
        path: &str,
        token: Option<&str>,
    ) -> impl std::future::Future<Output = Resp> + '_ {
        self.send(Method::GET, path, token, None)
    }

    #[track_caller]
    pub fn post(
        &self,
        path: &str,
        token: Option<&str>,
        body: Value,
    ) -> impl std::future::Future<Output = Resp> + '_ {
        self.send(Method::POST, path, token, Some(body))
    }

    #[track_caller]
    pub fn put(
        &self,
        path: &str,
        token: Option<&str>,
        body: Value,
    ) -> impl std::future::Future<Output = Resp> + '_ {
        self.send(Method::PUT, path, token, Some(body))
    }

    /// Sets the dev clock to the RFC 3339 instant `at`.
    pub async fn set_clock(&self, at: &str) {
        self.put("/api/v1/dev/clock", None, json!({"at": at}))
            .await
            .expect(200);
    }

    /// Logs in a demo staff account and returns its token.
    pub async fn staff_token(&self, username: &str) -> String {
        let r = self
            .post(
                "/api/v1/auth/staff/login",
                None,
                json!({"username": username, "password": "Kapi2026"}),
            )
            .await;
        r.expect(200);
        r.body["access_token"].as_str().unwrap().to_owned()
    }

    /// Logs in a demo citizen and returns the token.
    pub async fn citizen_token(&self, tckn: &str) -> String {
        let r = self
            .post(
                "/api/v1/auth/e-devlet/login",
                None,
                json!({"tckn": tckn, "password": "Kapi2026"}),
            )
            .await;
        r.expect(200);
        r.body["access_token"].as_str().unwrap().to_owned()
    }

    /// Logs in a registered Açık Kapı officer (Sorumlu or Yetkili) with TCKN, mobile and the
    /// SMS code read from the dev outbox; returns the token.
    pub async fn officer_token(&self, tckn: &str, mobile: &str) -> String {
        let o = self
            .post(
                "/api/v1/auth/petition-officer/otp",
                None,
                json!({"tckn": tckn, "mobile": mobile}),
            )
            .await;
        o.expect(201);
        let outbox = self
            .get(&format!("/api/v1/dev/outbox?recipient={mobile}"), None)
            .await;
        let l = self
            .post(
                "/api/v1/auth/petition-officer/login",
                None,
                json!({"challenge_id": o.body["challenge_id"], "tckn": tckn, "code": otp_code(&outbox)}),
            )
            .await;
        l.expect(200);
        l.body["access_token"].as_str().unwrap().to_owned()
    }
}

/// A multipart body: the JSON in `data`, then each (file name, bytes) as a `files` part.
pub fn multipart(
    uri: &str,
    token: &str,
    data: &Value,
    files: &[(&str, Vec<u8>)],
) -> test::TestRequest {
    let boundary = "kapiBoundary7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"data\"\r\nContent-Type: application/json\r\n\r\n").as_bytes());
    body.extend_from_slice(data.to_string().as_bytes());
    body.extend_from_slice(b"\r\n");
    for (name, bytes) in files {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    test::TestRequest::post()
        .uri(uri)
        .insert_header(("Authorization", format!("Bearer {token}")))
        .insert_header((
            "Content-Type",
            format!("multipart/form-data; boundary={boundary}"),
        ))
        .set_payload(body)
}

/// A minimal PDF (what the checks sniff) carrying `text`.
pub fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.4\n% {text}\n%%EOF\n").into_bytes()
}

/// JPEG magic bytes padded to `len` bytes.
pub fn jpeg(len: usize) -> Vec<u8> {
    let mut v = vec![0xFF, 0xD8, 0xFF, 0xE0];
    v.resize(len.max(4), 0x11);
    v
}

/// A VKN with a valid check digit from nine digits (test data).
pub fn vkn(first_nine: &str) -> String {
    kapi_core::with_vkn_checksum(first_nine).unwrap()
}

impl<S, B> TestApp<S>
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    /// Registers an employer (membership) whose authorised person is the demo citizen
    /// `person` with password `Kapi2026`; the head office is in Ankara/Çankaya with SGK
    /// number `…{sgk:08}`. Returns the response body (`employer`, `head_office`).
    pub async fn register_employer(&self, person: &str, vkn_nine: &str, sgk: u32) -> Value {
        let r = self
            .post(
                "/api/v1/employers",
                None,
                json!({
                    "terms_accepted": true,
                    "title": format!("İşveren {vkn_nine} A.Ş."),
                    "vkn": vkn(vkn_nine),
                    "sector": "private",
                    "address": "Kızılay Mah. Atatürk Bulvarı No:1 Çankaya/Ankara",
                    "head_office": workplace_body(6, 6007, sgk),
                    "person": {
                        "tckn": person, "mobile": "5321234567", "email": "yetkili@example.com",
                        "password": "Kapi2026", "secret_question": "İlk okulum?", "secret_answer": "Atatürk"
                    }
                }),
            )
            .await;
        r.expect(201);
        r.body
    }

    /// Logs in an employer user (choosing `employer` when given) and returns the token.
    pub async fn employer_token(&self, person: &str, employer: Option<&str>) -> String {
        let mut body = json!({"tckn": person, "password": "Kapi2026"});
        if let Some(e) = employer {
            body["employer_id"] = json!(e);
        }
        let r = self.post("/api/v1/auth/employer/login", None, body).await;
        r.expect(200);
        r.body["access_token"].as_str().unwrap().to_owned()
    }

    /// Adds a workplace for the employer behind `token`; returns its body.
    pub async fn add_workplace(&self, token: &str, province: u8, district: i32, sgk: u32) -> Value {
        let r = self
            .post(
                "/api/v1/workplaces",
                Some(token),
                workplace_body(province, district, sgk),
            )
            .await;
        r.expect(201);
        r.body
    }
}

/// A workplace request body with SGK number `…{sgk:08}`.
pub fn workplace_body(province: u8, district: i32, sgk: u32) -> Value {
    json!({
        "title": format!("İşyeri {sgk}"),
        "sgk_no": format!("25120010100000{sgk:08}"),
        "province": province,
        "district_code": district,
        "address": "Demo Cad. No:5",
    })
}

/// Runs the futures concurrently on this thread.
pub async fn join_all<F: std::future::Future>(fs: Vec<F>) -> Vec<F::Output> {
    let mut pinned: Vec<_> = fs.into_iter().map(Box::pin).collect();
    let mut out: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in pinned.iter_mut().enumerate() {
            if out[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => out[i] = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.into_iter().map(|o| o.unwrap()).collect()
}

/// Declares each test once and runs it on SQLite and on PostgreSQL:
/// `both_backends! { async fn name(app) { … } }`.
#[macro_export]
macro_rules! both_backends {
    ($(async fn $name:ident($app:ident) $body:block)*) => {
        mod sqlite {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[actix_web::test]
                async fn $name() {
                    let Some($app) = $crate::spawn($crate::Backend::Sqlite).await else { return };
                    $body
                }
            )*
        }
        mod postgres {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[actix_web::test]
                async fn $name() {
                    let Some($app) = $crate::spawn($crate::Backend::Postgres).await else { return };
                    $body
                }
            )*
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[::core::prelude::v1::test]
    fn database_url_rewrite() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            with_database("postgres://u:p@h/test?sslmode=disable", "x"),
            "postgres://u:p@h/x?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
    }
}
