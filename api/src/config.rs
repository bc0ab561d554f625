//! Configuration: flags and environment variables (12-factor), parsed by clap so that
//! `kapi --help` lists every one with its default.

use clap::{Args, Parser, Subcommand, ValueEnum};
use kapi_persistence::DbOptions;
use std::net::SocketAddr;
use std::path::PathBuf;

/// The secret the `dev` profile signs tokens with when `KAPI_JWT_SECRET` is unset.
pub const DEV_JWT_SECRET: &str = "kapi-dev-secret-do-not-use-in-production-0000";

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Profile {
    /// Development: demo data, `/api/v1/dev/*` (outbox, clock), a built-in JWT secret.
    Dev,
    /// Production: no demo data, no dev routes, `KAPI_JWT_SECRET` required.
    Prod,
}

#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Profile: `dev` loads demo data and the dev routes; `prod` refuses to start without a JWT secret.
    #[arg(long, env = "KAPI_PROFILE", value_enum, default_value = "dev")]
    pub profile: Profile,
    /// Address to listen on.
    #[arg(long, env = "KAPI_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Database: a SQLite file path (embedded default) or a `postgres://` URL.
    #[arg(long, env = "KAPI_DATABASE_URL", default_value = "kapi.db")]
    pub database_url: String,
    /// Directory for stored files (attachments, generated documents).
    #[arg(long, env = "KAPI_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
    /// HS256 secret for access tokens, at least 32 bytes (its key id is `default`). In
    /// `prod` this or `KAPI_JWT_KEYS` is required, and a weak secret (the published
    /// development one, fewer than 10 distinct characters, a short unit repeated) is refused.
    #[arg(long, env = "KAPI_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// Signing keys for rotation: `kid:secret` pairs separated by commas (key ids of
    /// letters, digits, `.`, `_`, `-`; secrets of at least 32 bytes without commas). Tokens
    /// are verified with the key their `kid` names, so a retired key stays listed until
    /// the tokens it signed have expired.
    #[arg(long, env = "KAPI_JWT_KEYS", hide_env_values = true)]
    pub jwt_keys: Option<String>,
    /// The key id new tokens are signed with (required when more than one key is set).
    #[arg(long, env = "KAPI_JWT_ACTIVE_KID")]
    pub jwt_active_kid: Option<String>,
    /// Access-token lifetime in seconds (60–86400).
    #[arg(long, env = "KAPI_JWT_TTL", default_value_t = 3600, value_parser = clap::value_parser!(u64).range(60..=86400))]
    pub jwt_ttl: u64,
    /// Database connection pool size (1–256).
    #[arg(long, env = "KAPI_DB_POOL_SIZE", default_value_t = DbOptions::DEFAULT_POOL_SIZE, value_parser = clap::value_parser!(u32).range(1..=256))]
    pub db_pool_size: u32,
    /// Seconds to wait for a new database connection to be established (1–60; PostgreSQL
    /// `connect_timeout`, unless the URL sets one).
    #[arg(long, env = "KAPI_DB_CONNECT_TIMEOUT", default_value_t = DbOptions::DEFAULT_CONNECT_TIMEOUT_SECS, value_parser = clap::value_parser!(u64).range(1..=60))]
    pub db_connect_timeout: u64,
    /// Seconds a request waits for a connection from the pool (1–60); past it, 503
    /// `service.unavailable`.
    #[arg(long, env = "KAPI_DB_ACQUIRE_TIMEOUT", default_value_t = DbOptions::DEFAULT_ACQUIRE_TIMEOUT_SECS, value_parser = clap::value_parser!(u64).range(1..=60))]
    pub db_acquire_timeout: u64,
    /// Seconds one statement may run (PostgreSQL `statement_timeout`) or wait for the write
    /// lock (SQLite `busy_timeout`), 1–3600; past it, 503 `service.unavailable`. A request
    /// waits for the database at most the acquire and statement timeouts together (then
    /// 503 even from a frozen server). Migrations are not bounded by it.
    #[arg(long, env = "KAPI_DB_STATEMENT_TIMEOUT", default_value_t = DbOptions::DEFAULT_STATEMENT_TIMEOUT_SECS, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub db_statement_timeout: u64,
    /// HTTP worker threads (default: one per core).
    #[arg(long, env = "KAPI_WORKERS")]
    pub workers: Option<usize>,
    /// Seconds between runs of the scheduled jobs inside `serve` (0 disables them; run
    /// `kapi jobs run` from cron instead).
    #[arg(long, env = "KAPI_JOBS_INTERVAL_SECONDS", default_value_t = 600)]
    pub jobs_interval_seconds: u64,
    /// Seconds between rounds of the webhook delivery worker inside `serve` (0 disables it;
    /// `kapi jobs run` also runs one round).
    #[arg(long, env = "KAPI_WEBHOOK_INTERVAL_SECONDS", default_value_t = 2)]
    pub webhook_interval_seconds: u64,
    /// Let webhooks use `http://` to 127.0.0.1 / localhost (always allowed in `dev`).
    #[arg(long, env = "KAPI_WEBHOOK_ALLOW_LOOPBACK", default_value_t = false)]
    pub webhook_allow_loopback: bool,
    /// Login attempts (staff, e-Devlet, employer, the employer password reset, the petition
    /// officer's and the petition citizen's code) per user name or TCKN and client IP:
    /// `requests/seconds`.
    #[arg(long, env = "KAPI_RATE_LIMIT_LOGIN", default_value = "10/300")]
    pub rate_limit_login: RateLimit,
    /// Unauthenticated searches (postings, open jobs, the searchable code lists) per client
    /// IP: `requests/seconds`.
    #[arg(long, env = "KAPI_RATE_LIMIT_SEARCH", default_value = "300/60")]
    pub rate_limit_search: RateLimit,
    /// One-time codes sent to one mobile number or e-mail address: `requests/seconds`.
    #[arg(long, env = "KAPI_RATE_LIMIT_OTP", default_value = "3/600")]
    pub rate_limit_otp: RateLimit,
    /// Failed logins (every login above, and the petition officer's code request) per
    /// client IP, across all accounts; a successful login does not count:
    /// `failures/seconds`.
    #[arg(long, env = "KAPI_RATE_LIMIT_LOGIN_ADDRESS", default_value = "20/900")]
    pub rate_limit_login_address: RateLimit,
    /// One-time codes sent for one caller (a token's subject, or the TCKN of an
    /// anonymous Açık Kapı flow), across numbers and addresses: `codes/seconds`.
    #[arg(long, env = "KAPI_RATE_LIMIT_OTP_CALLER", default_value = "10/3600")]
    pub rate_limit_otp_caller: RateLimit,
    /// One-time codes sent from one client IP, across callers and numbers: `codes/seconds`.
    #[arg(long, env = "KAPI_RATE_LIMIT_OTP_ADDRESS", default_value = "30/3600")]
    pub rate_limit_otp_address: RateLimit,
    /// Wrong answers to the Açık Kapı citizen identity check (and unknown petition
    /// queries) per TCKN, from any address: `failures/seconds`.
    #[arg(
        long,
        env = "KAPI_RATE_LIMIT_IDENTITY_CHECK",
        default_value = "10/86400"
    )]
    pub rate_limit_identity_check: RateLimit,
    /// Wrong answers to the Açık Kapı citizen identity check (and unknown petition
    /// queries) per client IP, across TCKNs: `failures/seconds`.
    #[arg(
        long,
        env = "KAPI_RATE_LIMIT_IDENTITY_CHECK_ADDRESS",
        default_value = "20/3600"
    )]
    pub rate_limit_identity_check_address: RateLimit,
    /// Take the client IP from the first `X-Forwarded-For` entry (only behind a proxy that
    /// sets it); otherwise the peer address is the client.
    #[arg(long, env = "KAPI_TRUST_FORWARDED_FOR", default_value_t = false, action = clap::ArgAction::Set)]
    pub trust_forwarded_for: bool,
    /// Send `Strict-Transport-Security` (when clients reach Kapı over HTTPS, e.g. behind a
    /// TLS-terminating proxy).
    #[arg(long, env = "KAPI_HSTS", default_value_t = false, action = clap::ArgAction::Set)]
    pub hsts: bool,
}

/// A rate limit: at most `max` requests in a window of `window_seconds`, written
/// `requests/seconds` (`10/300`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub max: u32,
    pub window_seconds: u32,
}

impl RateLimit {
    pub const fn new(max: u32, window_seconds: u32) -> Self {
        Self {
            max,
            window_seconds,
        }
    }
}

impl std::str::FromStr for RateLimit {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not `requests/seconds` (e.g. `10/300`)");
        let (n, w) = s.trim().split_once('/').ok_or_else(bad)?;
        let max: u32 = n.trim().parse().map_err(|_| bad())?;
        let window_seconds: u32 = w.trim().parse().map_err(|_| bad())?;
        if max == 0 {
            return Err(format!("`{s}`: at least one request must be allowed"));
        }
        if !(1..=86_400).contains(&window_seconds) {
            return Err(format!("`{s}`: the window is 1 to 86400 seconds"));
        }
        Ok(RateLimit::new(max, window_seconds))
    }
}

impl std::fmt::Display for RateLimit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.max, self.window_seconds)
    }
}

/// Fewest distinct characters a `prod` signing secret may have (a random base64 or hex
/// secret of 32 characters has far more; `aaaa…` or `abab…` has one or two).
pub const MIN_SECRET_DISTINCT_CHARS: usize = 10;

/// Why `secret` (named `what` in the message) must not sign tokens in `profile`, if it
/// must not: shorter than 32 bytes (every profile); in `prod` also the development secret
/// published in this file, fewer than [`MIN_SECRET_DISTINCT_CHARS`] distinct characters,
/// or one short unit repeated (`abcdefghij` × 4). Generate one with `openssl rand -base64 48`.
pub fn weak_jwt_secret(what: &str, secret: &str, profile: Profile) -> Option<String> {
    let min = crate::jwt::MIN_SECRET_BYTES;
    let hint = "generate one with `openssl rand -base64 48`";
    if secret.len() < min {
        return Some(format!("{what} must be at least {min} bytes long; {hint}"));
    }
    if profile == Profile::Dev {
        return None;
    }
    if secret == DEV_JWT_SECRET {
        return Some(format!(
            "{what} is the published development secret; the prod profile refuses it ({hint})"
        ));
    }
    let mut distinct: Vec<char> = secret.chars().collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() < MIN_SECRET_DISTINCT_CHARS {
        return Some(format!(
            "{what} has only {} distinct characters (at least {MIN_SECRET_DISTINCT_CHARS}): too easy to guess; {hint}",
            distinct.len()
        ));
    }
    let bytes = secret.as_bytes();
    let repeated = (1..=bytes.len() / 2).any(|unit| {
        bytes.len().is_multiple_of(unit) && bytes.chunks(unit).all(|c| c == &bytes[..unit])
    });
    if repeated {
        return Some(format!(
            "{what} is one short sequence repeated: too easy to guess; {hint}"
        ));
    }
    None
}

impl Config {
    /// The database pool size and timeouts.
    pub fn db_options(&self) -> DbOptions {
        DbOptions {
            pool_size: self.db_pool_size,
            connect_timeout: std::time::Duration::from_secs(self.db_connect_timeout),
            acquire_timeout: std::time::Duration::from_secs(self.db_acquire_timeout),
            statement_timeout: std::time::Duration::from_secs(self.db_statement_timeout),
        }
    }

    /// The JWT secret in force, or why the program must not start.
    pub fn effective_jwt_secret(&self) -> Result<String, String> {
        match (&self.jwt_secret, self.profile) {
            (Some(s), profile) => match weak_jwt_secret("KAPI_JWT_SECRET", s, profile) {
                Some(why) => Err(format!("{why}; refusing to start")),
                None => Ok(s.clone()),
            },
            (None, Profile::Prod) => Err(
                "the prod profile needs KAPI_JWT_SECRET or KAPI_JWT_KEYS (secrets of at least 32 bytes); refusing to start"
                    .into(),
            ),
            (None, Profile::Dev) => Ok(DEV_JWT_SECRET.to_owned()),
        }
    }

    /// The signing keys in force: `KAPI_JWT_KEYS`, plus `KAPI_JWT_SECRET` as key id
    /// `default`; in `dev` with neither, the built-in secret as `default`. The active key
    /// is `KAPI_JWT_ACTIVE_KID`, or the only key there is. Errors say why the program must
    /// not start.
    pub fn jwt_key_set(&self) -> Result<crate::jwt::JwtKeys, String> {
        let mut keys: Vec<(String, String)> = Vec::new();
        if let Some(list) = &self.jwt_keys {
            for pair in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let (kid, secret) = pair.split_once(':').ok_or_else(|| {
                    "KAPI_JWT_KEYS: each entry is `kid:secret` (e.g. `2026a:…,2026b:…`)".to_owned()
                })?;
                let kid = kid.trim();
                if let Some(why) =
                    weak_jwt_secret(&format!("KAPI_JWT_KEYS key `{kid}`"), secret, self.profile)
                {
                    return Err(format!("{why}; refusing to start"));
                }
                keys.push((kid.to_owned(), secret.to_owned()));
            }
            if keys.is_empty() {
                return Err("KAPI_JWT_KEYS is set but names no key".into());
            }
        }
        match &self.jwt_secret {
            Some(_) => keys.push((
                crate::jwt::DEFAULT_KID.to_owned(),
                self.effective_jwt_secret()?,
            )),
            None if keys.is_empty() => keys.push((
                crate::jwt::DEFAULT_KID.to_owned(),
                self.effective_jwt_secret()?,
            )),
            None => {}
        }
        let active = match &self.jwt_active_kid {
            Some(kid) => kid.trim().to_owned(),
            None if keys.len() == 1 => keys[0].0.clone(),
            None => {
                return Err(
                    "several JWT keys are set: name the one that signs new tokens in KAPI_JWT_ACTIVE_KID"
                        .into(),
                )
            }
        };
        crate::jwt::JwtKeys::from_keys(&keys, &active, self.jwt_ttl)
    }

    /// A configuration for tests and tools: dev profile, the given database.
    pub fn for_database(url: &str) -> Config {
        Config {
            profile: Profile::Dev,
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: url.to_owned(),
            data_dir: std::env::temp_dir().join("kapi-data"),
            jwt_secret: None,
            jwt_keys: None,
            jwt_active_kid: None,
            jwt_ttl: 3600,
            db_pool_size: 4,
            db_connect_timeout: DbOptions::DEFAULT_CONNECT_TIMEOUT_SECS,
            db_acquire_timeout: DbOptions::DEFAULT_ACQUIRE_TIMEOUT_SECS,
            db_statement_timeout: DbOptions::DEFAULT_STATEMENT_TIMEOUT_SECS,
            workers: None,
            jobs_interval_seconds: 0,
            webhook_interval_seconds: 0,
            webhook_allow_loopback: false,
            rate_limit_login: RateLimit::new(10, 300),
            rate_limit_search: RateLimit::new(300, 60),
            rate_limit_otp: RateLimit::new(3, 600),
            rate_limit_login_address: RateLimit::new(20, 900),
            rate_limit_otp_caller: RateLimit::new(10, 3600),
            rate_limit_otp_address: RateLimit::new(30, 3600),
            rate_limit_identity_check: RateLimit::new(10, 86_400),
            rate_limit_identity_check_address: RateLimit::new(20, 3600),
            trust_forwarded_for: false,
            hsts: false,
        }
    }
}

#[derive(Debug, Parser)]
#[command(
    name = "kapi",
    version,
    about = "Kapı — one JSON API for Kariyer Kapısı, İŞKUR employer services, e-İzin and Açık Kapı"
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate, load reference (and in dev, demo) data, and serve HTTP (the default).
    Serve,
    /// Run the pending database migrations and load reference data, then exit.
    Migrate,
    /// Print the OpenAPI document of this build (dev profile: with the dev routes).
    Openapi,
    /// Scheduled jobs (the expired work-permit drafts deletion).
    Jobs {
        #[command(subcommand)]
        what: JobsCommand,
    },
    /// Import a code list from a CSV file.
    Import {
        #[command(subcommand)]
        what: ImportKind,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportKind {
    /// Occupations: `code,name` (e.g. `2512.04,Yazılım Geliştirici`); new codes are added, changed names updated.
    Occupations { file: PathBuf },
    /// DETSİS units: `detsis_no,parent_detsis_no,name,province_code`; new units added, changed ones updated.
    Detsis { file: PathBuf },
}

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// Migrate, then run every due job once, print what each did and exit.
    Run,
}

#[cfg(test)]
mod tests {
    use super::*;

    const STRONG: &str = "q7Vh2Lz9xR4mN8pK3sT6wY1bC5dF0gJe";

    fn prod_with(secret: &str) -> Config {
        let mut c = Config::for_database(":memory:");
        c.profile = Profile::Prod;
        c.jwt_secret = Some(secret.to_owned());
        c
    }

    #[test]
    fn prod_refuses_weak_jwt_secrets() {
        assert_eq!(
            prod_with(STRONG).effective_jwt_secret().as_deref(),
            Ok(STRONG)
        );
        let cases = [
            ("a".repeat(40), "distinct characters"),
            ("short".to_owned(), "at least 32 bytes"),
            (DEV_JWT_SECRET.to_owned(), "published development secret"),
            ("abcdefghij".repeat(4), "repeated"),
            ("0123456789".repeat(4), "repeated"),
            ("ab".repeat(20), "distinct characters"),
        ];
        for (secret, why) in cases {
            let err = prod_with(&secret).effective_jwt_secret().unwrap_err();
            assert!(err.contains(why), "{secret}: {err}");
            assert!(err.contains("KAPI_JWT_SECRET"), "{err}");
            assert!(err.contains("refusing to start"), "{err}");
            assert!(prod_with(&secret).jwt_key_set().is_err());
        }
        // A random hex secret passes.
        assert!(
            prod_with("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
                .effective_jwt_secret()
                .is_ok()
        );
    }

    #[test]
    fn every_rotation_key_is_checked() {
        let mut c = Config::for_database(":memory:");
        c.profile = Profile::Prod;
        c.jwt_keys = Some(format!("k1:{STRONG},k2:{}", "a".repeat(40)));
        c.jwt_active_kid = Some("k1".into());
        let err = c.jwt_key_set().unwrap_err();
        assert!(err.contains("KAPI_JWT_KEYS key `k2`"), "{err}");
        c.jwt_keys = Some(format!("k1:{STRONG},k2:{DEV_JWT_SECRET}"));
        assert!(c
            .jwt_key_set()
            .unwrap_err()
            .contains("published development secret"));
        c.jwt_keys = Some(format!("k1:{STRONG},k2:{}", STRONG.to_lowercase() + "Q"));
        assert_eq!(c.jwt_key_set().unwrap().active_kid(), "k1");
    }

    #[test]
    fn dev_keeps_its_built_in_secret_and_only_the_length_rule() {
        let mut c = Config::for_database(":memory:");
        assert_eq!(c.effective_jwt_secret().as_deref(), Ok(DEV_JWT_SECRET));
        c.jwt_secret = Some("s".repeat(32));
        assert!(c.effective_jwt_secret().is_ok());
        c.jwt_secret = Some("s".repeat(31));
        assert!(c.effective_jwt_secret().unwrap_err().contains("32 bytes"));
    }
}
