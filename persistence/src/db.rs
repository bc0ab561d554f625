//! Connections, the pool, migrations and the one transaction helper.
//!
//! One code path serves both backends: [`DbConnection`] is a diesel `MultiConnection` over
//! PostgreSQL and SQLite, chosen by the URL. Queries are written once against it.
//!
//! Nothing waits for the database without a bound ([`DbOptions`]): establishing a
//! connection (`connect_timeout`), taking one from the pool (the acquire timeout), one
//! statement (PostgreSQL `statement_timeout`, SQLite `busy_timeout`), and a caller's whole
//! unit of work ([`DbOptions::deadline`], which a caller enforces with a [`GiveUp`]).
//! A database out of reach answers [`kapi_core::ErrorKind::Unavailable`] (`service.unavailable`).

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{CustomizeConnection, ManageConnection, Pool, PooledConnection, R2D2Connection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use kapi_core::DomainError;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// Seconds a client is told to wait (`Retry-After`) when the database is out of reach.
pub const UNAVAILABLE_RETRY_AFTER_SECS: u64 = 5;

/// A connection to either backend.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

impl Backend {
    pub fn of_url(url: &str) -> Backend {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Postgres => "postgresql",
            Backend::Sqlite => "sqlite",
        }
    }
}

/// The pool's size and how long anything may wait for the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DbOptions {
    /// Most connections open at once.
    pub pool_size: u32,
    /// Longest wait for a new connection to be established (PostgreSQL `connect_timeout`,
    /// unless the URL sets its own).
    pub connect_timeout: Duration,
    /// Longest wait for a connection from the pool.
    pub acquire_timeout: Duration,
    /// Longest one statement may run (PostgreSQL `statement_timeout`) or wait for the write
    /// lock (SQLite `busy_timeout`). Migrations are not bounded by it.
    pub statement_timeout: Duration,
}

impl DbOptions {
    pub const DEFAULT_POOL_SIZE: u32 = 8;
    pub const DEFAULT_CONNECT_TIMEOUT_SECS: u64 = 3;
    pub const DEFAULT_ACQUIRE_TIMEOUT_SECS: u64 = 3;
    pub const DEFAULT_STATEMENT_TIMEOUT_SECS: u64 = 10;

    /// The defaults with a pool of `pool_size`.
    pub fn with_pool_size(pool_size: u32) -> Self {
        Self {
            pool_size,
            ..Self::default()
        }
    }

    /// The longest a caller waits for one unit of work (a connection, then its statements):
    /// the acquire and statement timeouts and half a second for the server's own timeout to
    /// answer first. Past it the database is taken as frozen: the caller gives up (see
    /// [`GiveUp`]) and answers `service.unavailable`.
    pub fn deadline(&self) -> Duration {
        self.acquire_timeout + self.statement_timeout + Duration::from_millis(500)
    }
}

impl Default for DbOptions {
    fn default() -> Self {
        Self {
            pool_size: Self::DEFAULT_POOL_SIZE,
            connect_timeout: Duration::from_secs(Self::DEFAULT_CONNECT_TIMEOUT_SECS),
            acquire_timeout: Duration::from_secs(Self::DEFAULT_ACQUIRE_TIMEOUT_SECS),
            statement_timeout: Duration::from_secs(Self::DEFAULT_STATEMENT_TIMEOUT_SECS),
        }
    }
}

/// A caller's hold on a unit of work it may stop waiting for. A caller whose deadline
/// passed [gives up](GiveUp::give_up); work given up on does not start, and is rolled back
/// instead of committed, so an answer of `service.unavailable` never hides a write that
/// commits later — unless its `COMMIT` had already been sent, which `give_up` reports.
#[derive(Debug, Clone, Default)]
pub struct GiveUp(Arc<AtomicU8>);

const RUNNING: u8 = 0;
const COMMITTING: u8 = 1;
const GIVEN_UP: u8 = 2;

impl GiveUp {
    /// The caller stops waiting. Answers `false` when the work had already begun to commit
    /// (its outcome is then unknown to the caller).
    pub fn give_up(&self) -> bool {
        self.0
            .compare_exchange(RUNNING, GIVEN_UP, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
            || self.0.load(Ordering::SeqCst) == GIVEN_UP
    }

    fn given_up(&self) -> bool {
        self.0.load(Ordering::SeqCst) == GIVEN_UP
    }

    /// The work may commit: it was not given up on, and from now on cannot be.
    fn begin_commit(&self) -> bool {
        self.0
            .compare_exchange(RUNNING, COMMITTING, Ordering::SeqCst, Ordering::SeqCst)
            .is_ok()
    }
}

/// The database is out of reach for now (503 `service.unavailable` with `Retry-After`);
/// `cause` is for the log.
pub fn unavailable(cause: impl std::fmt::Display) -> DomainError {
    DomainError::unavailable(
        format!("database unavailable: {cause}"),
        UNAVAILABLE_RETRY_AFTER_SECS,
    )
}

/// Start-up failures, with the real cause.
#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("cannot connect to {backend} at {url}: {cause}")]
    Connect {
        backend: &'static str,
        url: String,
        cause: String,
    },
    #[error("cannot create the connection pool: {0}")]
    Pool(String),
    #[error("migrations failed: {0}")]
    Migrate(String),
    #[error("loading reference data failed: {0}")]
    Seed(String),
}

/// Strips a `sqlite://` or `sqlite:` prefix; SQLite takes a file path.
fn sqlite_path(url: &str) -> &str {
    url.strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url)
}

/// Hides a password in a URL for messages.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Sets a default connection parameter of a PostgreSQL URL unless the URL sets it.
fn with_default_param(url: &str, key: &str, value: &str) -> String {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
    let present = query
        .split('&')
        .any(|pair| pair.split('=').next() == Some(key));
    if present {
        return url.to_owned();
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{key}={value}")
}

/// The URL a PostgreSQL connection is opened with: the connect timeout, and TCP keepalives
/// and a TCP user timeout so a server whose host or network went away is noticed (a server
/// that is only frozen still answers TCP: the caller's deadline catches that one). What the
/// URL sets itself wins.
fn postgres_target(url: &str, options: &DbOptions) -> String {
    let connect = options.connect_timeout.as_secs().max(1).to_string();
    let mut target = with_default_param(url, "connect_timeout", &connect);
    for (key, value) in [
        ("keepalives", "1"),
        ("keepalives_idle", "10"),
        ("keepalives_interval", "5"),
        ("keepalives_count", "3"),
        ("tcp_user_timeout", "30000"),
    ] {
        target = with_default_param(&target, key, value);
    }
    target
}

/// Opens the concrete connection the URL names, so a failure carries its real cause (the
/// `MultiConnection`'s own `establish` answers only "Invalid connection url for
/// multiconnection" when every backend refused).
#[derive(Debug)]
struct Manager {
    backend: Backend,
    target: String,
}

impl Manager {
    fn establish(&self) -> Result<DbConnection, ConnectionError> {
        match self.backend {
            Backend::Postgres => PgConnection::establish(&self.target).map(DbConnection::Pg),
            Backend::Sqlite => SqliteConnection::establish(&self.target).map(DbConnection::Sqlite),
        }
    }
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, diesel::r2d2::Error> {
        self.establish()
            .map_err(diesel::r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

/// Per connection: the statement timeout (PostgreSQL) or the lock wait and pragmas (SQLite).
#[derive(Debug)]
struct OnConnect {
    statement_timeout_ms: u128,
}

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for OnConnect {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        let ms = self.statement_timeout_ms;
        match conn {
            DbConnection::Sqlite(c) => c.batch_execute(&format!(
                "PRAGMA busy_timeout = {ms}; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
                 PRAGMA mmap_size = 68719476736;"
            )),
            DbConnection::Pg(c) => c.batch_execute(&format!("SET statement_timeout = {ms}")),
        }
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// Logs why connections fail — the real cause — once when it starts or changes, and again
/// at most every 30 seconds while it lasts (the pool retries far more often).
#[derive(Debug, Default)]
struct ConnectErrorLog(Mutex<Option<(String, Instant)>>);

impl diesel::r2d2::HandleError<diesel::r2d2::Error> for ConnectErrorLog {
    fn handle_error(&self, error: diesel::r2d2::Error) {
        let message = error.to_string();
        let Ok(mut last) = self.0.lock() else {
            log::error!("database connection failed: {message}");
            return;
        };
        let repeat = last
            .as_ref()
            .is_some_and(|(m, at)| *m == message && at.elapsed() < Duration::from_secs(30));
        if !repeat {
            log::error!("database connection failed: {message}");
            *last = Some((message, Instant::now()));
        }
    }
}

/// The database: a pool and the backend it talks to.
#[derive(Clone)]
pub struct Db {
    pool: Pool<Manager>,
    backend: Backend,
    options: DbOptions,
}

type PooledConn = PooledConnection<Manager>;

fn internal(what: &str, e: impl std::fmt::Display) -> DomainError {
    DomainError::internal(format!("{what}: {e}"))
}

impl Db {
    /// Opens the database named by `url` (a PostgreSQL URL or a SQLite file path) with the
    /// default timeouts and a pool of `pool_size`.
    pub fn connect(url: &str, pool_size: u32) -> Result<Db, DbSetupError> {
        Db::connect_with(url, DbOptions::with_pool_size(pool_size))
    }

    /// Opens the database named by `url`. The concrete backend is opened once first, so a
    /// bad URL or a down server reports its real cause.
    pub fn connect_with(url: &str, options: DbOptions) -> Result<Db, DbSetupError> {
        let backend = Backend::of_url(url);
        let target = match backend {
            Backend::Postgres => postgres_target(url, &options),
            Backend::Sqlite => sqlite_path(url).to_owned(),
        };
        let connect_error = |cause: String| DbSetupError::Connect {
            backend: backend.as_str(),
            url: redact_url(url),
            cause,
        };
        let manager = Manager { backend, target };
        let mut first = manager
            .establish()
            .map_err(|e| connect_error(e.to_string()))?;
        if let DbConnection::Sqlite(c) = &mut first {
            // WAL is a property of the file: switch once here, before the pool opens
            // several connections at the same time.
            c.batch_execute(&format!(
                "PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL;",
                options.statement_timeout.as_millis()
            ))
            .map_err(|e| connect_error(e.to_string()))?;
        }
        drop(first);
        // Connections open as the load needs them (one at start): an idle server holds
        // one, not the whole pool, each with its schema and page cache.
        let pool = Pool::builder()
            .max_size(options.pool_size.max(1))
            .min_idle(Some(1))
            .connection_timeout(options.acquire_timeout)
            .connection_customizer(Box::new(OnConnect {
                statement_timeout_ms: options.statement_timeout.as_millis(),
            }))
            .error_handler(Box::new(ConnectErrorLog::default()))
            .build(manager)
            .map_err(|e| DbSetupError::Pool(e.to_string()))?;
        Ok(Db {
            pool,
            backend,
            options,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn options(&self) -> DbOptions {
        self.options
    }

    /// Runs the pending embedded migrations of this backend; returns their names. They are
    /// not bounded by the statement timeout (an index on a big table takes its time).
    pub fn migrate(&self) -> Result<Vec<String>, DbSetupError> {
        let mut conn = self
            .pool
            .get()
            .map_err(|e| DbSetupError::Pool(e.to_string()))?;
        let done = match &mut *conn {
            DbConnection::Pg(c) => {
                c.batch_execute("SET statement_timeout = 0")
                    .map_err(|e| DbSetupError::Migrate(e.to_string()))?;
                let done = c
                    .run_pending_migrations(POSTGRES_MIGRATIONS)
                    .map(|v| v.iter().map(|m| m.to_string()).collect());
                c.batch_execute(&format!(
                    "SET statement_timeout = {}",
                    self.options.statement_timeout.as_millis()
                ))
                .map_err(|e| DbSetupError::Migrate(e.to_string()))?;
                done
            }
            DbConnection::Sqlite(c) => c
                .run_pending_migrations(SQLITE_MIGRATIONS)
                .map(|v| v.iter().map(|m| m.to_string()).collect()),
        };
        done.map_err(|e| DbSetupError::Migrate(e.to_string()))
    }

    fn conn_within(&self, wait: Duration) -> Result<PooledConn, DomainError> {
        self.pool.get_timeout(wait).map_err(|e| {
            // Without a connection error the connections are all taken: by slow work, or
            // by work a frozen database never answers.
            let state = self.pool.state();
            unavailable(format!(
                "no connection within {} ms ({e}; {} of {} connections open, {} idle)",
                wait.as_millis(),
                state.connections,
                self.options.pool_size.max(1),
                state.idle_connections
            ))
        })
    }

    fn conn(&self) -> Result<PooledConn, DomainError> {
        self.conn_within(self.options.acquire_timeout)
    }

    /// Whether the database answers, waiting at most `wait` for a connection.
    pub fn ping_within(&self, wait: Duration) -> Result<(), DomainError> {
        let mut conn = self.conn_within(wait.min(self.options.acquire_timeout))?;
        diesel::sql_query("SELECT 1")
            .execute(&mut *conn)
            .map(|_| ())
            .map_err(map_db_error)
    }

    /// Whether the database answers.
    pub fn ping(&self) -> Result<(), DomainError> {
        self.ping_within(self.options.acquire_timeout)
    }

    /// Runs `f` in a read-only-by-convention transaction.
    pub fn read<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, DomainError>,
    ) -> Result<T, DomainError> {
        self.read_for(&GiveUp::default(), f)
    }

    /// Runs `f` in a write transaction: everything or nothing. On SQLite the transaction
    /// takes the write lock when it begins (BEGIN IMMEDIATE), so a read-then-write cannot
    /// fail with "database is locked" when another writer got there first; it waits
    /// (busy_timeout) instead.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, DomainError>,
    ) -> Result<T, DomainError> {
        self.write_for(&GiveUp::default(), f)
    }

    /// [`Db::read`] for a caller that may give up waiting.
    pub fn read_for<T>(
        &self,
        caller: &GiveUp,
        f: impl FnOnce(&mut DbConnection) -> Result<T, DomainError>,
    ) -> Result<T, DomainError> {
        self.unit(caller, false, f)
    }

    /// [`Db::write`] for a caller that may give up waiting: work it gave up on is rolled
    /// back, not committed.
    pub fn write_for<T>(
        &self,
        caller: &GiveUp,
        f: impl FnOnce(&mut DbConnection) -> Result<T, DomainError>,
    ) -> Result<T, DomainError> {
        self.unit(caller, true, f)
    }

    fn unit<T>(
        &self,
        caller: &GiveUp,
        write: bool,
        f: impl FnOnce(&mut DbConnection) -> Result<T, DomainError>,
    ) -> Result<T, DomainError> {
        let gave_up = || unavailable("the caller stopped waiting before the work began");
        if caller.given_up() {
            return Err(gave_up());
        }
        let mut conn = self.conn()?;
        if caller.given_up() {
            return Err(gave_up());
        }
        transaction(&mut conn, write, caller, f)
    }
}

/// The one transaction helper. `write` selects BEGIN IMMEDIATE on SQLite.
pub fn run_in_transaction<T>(
    conn: &mut DbConnection,
    write: bool,
    f: impl FnOnce(&mut DbConnection) -> Result<T, DomainError>,
) -> Result<T, DomainError> {
    transaction(conn, write, &GiveUp::default(), f)
}

fn transaction<T>(
    conn: &mut DbConnection,
    write: bool,
    caller: &GiveUp,
    f: impl FnOnce(&mut DbConnection) -> Result<T, DomainError>,
) -> Result<T, DomainError> {
    let begun = match conn {
        DbConnection::Sqlite(c) if write => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")
        }
        DbConnection::Sqlite(c) => AnsiTransactionManager::begin_transaction(c),
        DbConnection::Pg(c) => AnsiTransactionManager::begin_transaction(c),
    };
    begun.map_err(|e| classify("begin transaction", e))?;
    let result = match f(conn) {
        Ok(_) if !caller.begin_commit() => Err(unavailable(
            "the caller stopped waiting before the commit; rolled back",
        )),
        r => r,
    };
    let end = match (conn, &result) {
        (DbConnection::Sqlite(c), Ok(_)) => AnsiTransactionManager::commit_transaction(c),
        (DbConnection::Pg(c), Ok(_)) => AnsiTransactionManager::commit_transaction(c),
        (DbConnection::Sqlite(c), Err(_)) => AnsiTransactionManager::rollback_transaction(c),
        (DbConnection::Pg(c), Err(_)) => AnsiTransactionManager::rollback_transaction(c),
    };
    match (result, end) {
        (Ok(v), Ok(())) => Ok(v),
        (Ok(_), Err(e)) => Err(map_db_error(e)),
        (Err(e), _) => Err(e),
    }
}

/// Whether a diesel error says the database is out of reach for now rather than that the
/// request or the code is wrong: the connection closed, a statement ran past the statement
/// or lock timeout (PostgreSQL, SQLSTATE 57014 / 55P03: diesel gives the message only), or
/// SQLite's write lock stayed taken past `busy_timeout`.
fn is_unavailable(e: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match e {
        Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _) => true,
        Error::DatabaseError(DatabaseErrorKind::Unknown, info) => {
            let m = info.message();
            m.contains("statement timeout")
                || m.contains("lock timeout")
                || m == "database is locked"
                || m.starts_with("database table is locked")
        }
        Error::BrokenTransactionManager => true,
        _ => false,
    }
}

/// A diesel error outside a store's query: out of reach, or internal with `what` for the log.
fn classify(what: &str, e: diesel::result::Error) -> DomainError {
    if is_unavailable(&e) {
        unavailable(format!("{what}: {e}"))
    } else {
        internal(what, e)
    }
}

/// Maps a diesel error to the domain's: unique violations are conflicts the client can
/// act on; a database out of reach is unavailable (503); everything else is internal.
pub fn map_db_error(e: diesel::result::Error) -> DomainError {
    use diesel::result::{DatabaseErrorKind, Error};
    match &e {
        Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => DomainError::conflict(
            "conflict.duplicate",
            "A record with the same unique value already exists.",
        ),
        Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => DomainError::conflict(
            "conflict.concurrent_update",
            "Another change happened at the same time; try again.",
        ),
        _ if is_unavailable(&e) => unavailable(&e),
        _ => DomainError::internal(format!("database: {e}")),
    }
}

/// `?`-friendly conversion of diesel results inside stores.
pub trait DbResultExt<T> {
    fn db(self) -> Result<T, DomainError>;
}

impl<T> DbResultExt<T> for QueryResult<T> {
    fn db(self) -> Result<T, DomainError> {
        self.map_err(map_db_error)
    }
}

/// Takes the named lock row until the transaction ends (portable `SELECT … FOR UPDATE`:
/// an UPDATE locks the row on PostgreSQL; SQLite write transactions are already serial).
pub fn take_named_lock(conn: &mut DbConnection, lock: &str) -> Result<(), DomainError> {
    use crate::schema::named_locks::dsl as l;
    diesel::update(l::named_locks.filter(l::name.eq(lock)))
        .set(l::counter.eq(l::counter + 1))
        .execute(conn)
        .db()?;
    Ok(())
}

/// The offset of the probe row that tells a search it has more than
/// [`kapi_core::COUNT_CAP`] matches.
pub fn cap_offset() -> i64 {
    i64::try_from(kapi_core::COUNT_CAP).unwrap_or(i64::MAX)
}

/// A search's total counted up to the cap: `probe` is the search's row at offset
/// [`cap_offset`] (found: more matches than the cap, nothing else is counted); otherwise
/// `count` counts the (at most cap) matches. Answers the total and whether it was capped.
pub fn count_up_to_cap(
    probe: Option<String>,
    count: impl FnOnce() -> Result<i64, DomainError>,
) -> Result<(u64, bool), DomainError> {
    if probe.is_some() {
        return Ok((kapi_core::COUNT_CAP, true));
    }
    Ok((u64::try_from(count()?).unwrap_or(0), false))
}

/// Serialises transactions that touch the same `key` (a destination, an aggregate) until
/// the transaction ends: a transaction-scoped advisory lock on PostgreSQL, nothing on
/// SQLite, whose write transactions are exclusive already (BEGIN IMMEDIATE).
pub fn lock_key(conn: &mut DbConnection, key: &str) -> Result<(), DomainError> {
    use sha2::{Digest, Sha256};
    if let DbConnection::Pg(c) = conn {
        let digest = Sha256::digest(key.as_bytes());
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&digest[..8]);
        let id = i64::from_be_bytes(bytes);
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(id)
            .execute(c)
            .db()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backend_by_url() {
        assert_eq!(Backend::of_url("postgres://u@h/db"), Backend::Postgres);
        assert_eq!(Backend::of_url("postgresql://u@h/db"), Backend::Postgres);
        assert_eq!(Backend::of_url("kapi.db"), Backend::Sqlite);
        assert_eq!(sqlite_path("sqlite://x.db"), "x.db");
    }

    #[test]
    fn postgres_urls_get_timeouts_unless_they_set_their_own() {
        let options = DbOptions {
            connect_timeout: Duration::from_secs(2),
            ..DbOptions::default()
        };
        let t = postgres_target("postgres://u@h/db", &options);
        assert!(
            t.starts_with("postgres://u@h/db?connect_timeout=2&keepalives=1&"),
            "{t}"
        );
        assert!(t.contains("&tcp_user_timeout=30000"), "{t}");
        let t = postgres_target(
            "postgres://u@h/db?sslmode=require&connect_timeout=9",
            &options,
        );
        assert!(
            t.starts_with("postgres://u@h/db?sslmode=require&connect_timeout=9&keepalives=1"),
            "{t}"
        );
        assert_eq!(t.matches("connect_timeout").count(), 1, "{t}");
    }

    #[test]
    fn work_given_up_on_is_not_committed() {
        // Given up first: it may not commit.
        let g = GiveUp::default();
        assert!(g.give_up());
        assert!(g.given_up());
        assert!(!g.begin_commit());
        // Committing first: giving up reports the outcome as unknown.
        let g = GiveUp::default();
        assert!(g.begin_commit());
        assert!(!g.give_up());
        assert!(!g.given_up());
    }

    #[test]
    fn a_write_given_up_on_rolls_back() {
        let db = Db::connect(":memory:", 1).unwrap();
        db.write(|c| {
            diesel::sql_query("CREATE TABLE t (x INTEGER)")
                .execute(c)
                .db()
        })
        .unwrap();
        let caller = GiveUp::default();
        let e = db
            .write_for(&caller, |c| {
                diesel::sql_query("INSERT INTO t VALUES (1)")
                    .execute(c)
                    .db()?;
                // The caller's deadline passes while the work runs.
                assert!(caller.give_up());
                Ok(())
            })
            .unwrap_err();
        assert_eq!(e.kind, kapi_core::ErrorKind::Unavailable);
        assert_eq!(e.code, "service.unavailable");
        let e = db.read_for(&caller, |_| Ok(())).unwrap_err();
        assert_eq!(e.kind, kapi_core::ErrorKind::Unavailable);
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let n: Vec<N> = db
            .read(|c| {
                diesel::sql_query("SELECT count(*) AS n FROM t")
                    .load(c)
                    .db()
            })
            .unwrap();
        assert_eq!(n[0].n, 0);
    }

    #[test]
    fn locks_and_lost_connections_are_unavailable_other_errors_internal() {
        use diesel::result::{DatabaseErrorKind, Error};
        let db_error = |kind, m: &str| Error::DatabaseError(kind, Box::new(m.to_owned()));
        for (e, kind) in [
            (
                db_error(DatabaseErrorKind::Unknown, "database is locked"),
                kapi_core::ErrorKind::Unavailable,
            ),
            (
                db_error(
                    DatabaseErrorKind::Unknown,
                    "canceling statement due to statement timeout",
                ),
                kapi_core::ErrorKind::Unavailable,
            ),
            (
                db_error(
                    DatabaseErrorKind::ClosedConnection,
                    "server closed the connection",
                ),
                kapi_core::ErrorKind::Unavailable,
            ),
            (
                db_error(DatabaseErrorKind::Unknown, "syntax error"),
                kapi_core::ErrorKind::Internal,
            ),
            (Error::NotFound, kapi_core::ErrorKind::Internal),
        ] {
            let shown = e.to_string();
            let mapped = map_db_error(e);
            assert_eq!(mapped.kind, kind, "{shown}");
            if kind == kapi_core::ErrorKind::Unavailable {
                assert_eq!(mapped.retry_after, Some(UNAVAILABLE_RETRY_AFTER_SECS));
                assert!(
                    mapped.message.contains(&shown),
                    "the cause is kept for the log"
                );
            }
        }
    }

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact_url("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact_url("kapi.db"), "kapi.db");
    }
}
