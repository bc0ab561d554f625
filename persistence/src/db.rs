//! Connections, the pool, migrations and the one transaction helper.
//!
//! One code path serves both backends: [`DbConnection`] is a diesel `MultiConnection` over
//! PostgreSQL and SQLite, chosen by the URL. Queries are written once against it.

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use kapi_core::DomainError;
use std::time::Duration;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

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

#[derive(Debug)]
struct Pragmas;

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for Pragmas {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        if let DbConnection::Sqlite(c) = conn {
            c.batch_execute(
                "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; \
                 PRAGMA mmap_size = 68719476736;",
            )
            .map_err(diesel::r2d2::Error::QueryError)?;
        }
        Ok(())
    }
}

/// The database: a pool and the backend it talks to.
#[derive(Clone)]
pub struct Db {
    pool: Pool<ConnectionManager<DbConnection>>,
    backend: Backend,
}

pub type PooledConn = PooledConnection<ConnectionManager<DbConnection>>;

fn internal(what: &str, e: impl std::fmt::Display) -> DomainError {
    DomainError::internal(format!("{what}: {e}"))
}

impl Db {
    /// Opens the database named by `url` (a PostgreSQL URL or a SQLite file path).
    /// The concrete backend is opened once first, so a bad URL or a down server reports
    /// its real cause (the pool's own error hides it).
    pub fn connect(url: &str, pool_size: u32) -> Result<Db, DbSetupError> {
        let backend = Backend::of_url(url);
        let target = match backend {
            Backend::Postgres => url.to_owned(),
            Backend::Sqlite => sqlite_path(url).to_owned(),
        };
        let connect_error = |cause: String| DbSetupError::Connect {
            backend: backend.as_str(),
            url: redact_url(url),
            cause,
        };
        match backend {
            Backend::Postgres => {
                PgConnection::establish(&target).map_err(|e| connect_error(e.to_string()))?;
            }
            Backend::Sqlite => {
                // WAL is a property of the file: switch once here, before the pool opens
                // several connections at the same time.
                let mut c = SqliteConnection::establish(&target)
                    .map_err(|e| connect_error(e.to_string()))?;
                c.batch_execute("PRAGMA busy_timeout = 10000; PRAGMA journal_mode = WAL;")
                    .map_err(|e| connect_error(e.to_string()))?;
            }
        }
        // Connections open as the load needs them (one at start): an idle server holds
        // one, not the whole pool, each with its schema and page cache.
        let pool = Pool::builder()
            .max_size(pool_size.max(1))
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(10))
            .connection_customizer(Box::new(Pragmas))
            .build(ConnectionManager::<DbConnection>::new(target))
            .map_err(|e| DbSetupError::Pool(e.to_string()))?;
        Ok(Db { pool, backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Runs the pending embedded migrations of this backend; returns their names.
    pub fn migrate(&self) -> Result<Vec<String>, DbSetupError> {
        let mut conn = self
            .pool
            .get()
            .map_err(|e| DbSetupError::Pool(e.to_string()))?;
        let done = match &mut *conn {
            DbConnection::Pg(c) => c
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(|v| v.iter().map(|m| m.to_string()).collect()),
            DbConnection::Sqlite(c) => c
                .run_pending_migrations(SQLITE_MIGRATIONS)
                .map(|v| v.iter().map(|m| m.to_string()).collect()),
        };
        done.map_err(|e| DbSetupError::Migrate(e.to_string()))
    }

    fn conn(&self) -> Result<PooledConn, DomainError> {
        self.pool
            .get()
            .map_err(|e| internal("no database connection", e))
    }

    /// Whether the database answers.
    pub fn ping(&self) -> Result<(), DomainError> {
        let mut conn = self.conn()?;
        diesel::sql_query("SELECT 1")
            .execute(&mut *conn)
            .map(|_| ())
            .map_err(|e| internal("ping", e))
    }

    /// Runs `f` in a read-only-by-convention transaction.
    pub fn read<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, DomainError>,
    ) -> Result<T, DomainError> {
        let mut conn = self.conn()?;
        run_in_transaction(&mut conn, false, f)
    }

    /// Runs `f` in a write transaction: everything or nothing. On SQLite the transaction
    /// takes the write lock when it begins (BEGIN IMMEDIATE), so a read-then-write cannot
    /// fail with "database is locked" when another writer got there first; it waits
    /// (busy_timeout) instead.
    pub fn write<T>(
        &self,
        f: impl FnOnce(&mut DbConnection) -> Result<T, DomainError>,
    ) -> Result<T, DomainError> {
        let mut conn = self.conn()?;
        run_in_transaction(&mut conn, true, f)
    }
}

/// The one transaction helper. `write` selects BEGIN IMMEDIATE on SQLite.
pub fn run_in_transaction<T>(
    conn: &mut DbConnection,
    write: bool,
    f: impl FnOnce(&mut DbConnection) -> Result<T, DomainError>,
) -> Result<T, DomainError> {
    let begun = match conn {
        DbConnection::Sqlite(c) if write => {
            AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")
        }
        DbConnection::Sqlite(c) => AnsiTransactionManager::begin_transaction(c),
        DbConnection::Pg(c) => AnsiTransactionManager::begin_transaction(c),
    };
    begun.map_err(|e| internal("begin transaction", e))?;
    let result = f(conn);
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

/// Maps a diesel error to the domain's: unique violations are conflicts the client can
/// act on; everything else is internal.
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
    fn redacts_passwords() {
        assert_eq!(
            redact_url("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact_url("kapi.db"), "kapi.db");
    }
}
