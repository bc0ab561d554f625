//! Configuration: flags and environment variables (12-factor), parsed by clap so that
//! `kapi --help` lists every one with its default.

use clap::{Args, Parser, Subcommand, ValueEnum};
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
    /// HS256 secret for access tokens, at least 32 bytes. Required in `prod`.
    #[arg(long, env = "KAPI_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// Access-token lifetime in seconds (60–86400).
    #[arg(long, env = "KAPI_JWT_TTL", default_value_t = 3600, value_parser = clap::value_parser!(u64).range(60..=86400))]
    pub jwt_ttl: u64,
    /// Database connection pool size (1–256).
    #[arg(long, env = "KAPI_DB_POOL_SIZE", default_value_t = 8, value_parser = clap::value_parser!(u32).range(1..=256))]
    pub db_pool_size: u32,
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
}

impl Config {
    /// The JWT secret in force, or why the program must not start.
    pub fn effective_jwt_secret(&self) -> Result<String, String> {
        match (&self.jwt_secret, self.profile) {
            (Some(s), _) if s.len() >= 32 => Ok(s.clone()),
            (Some(_), _) => Err("KAPI_JWT_SECRET must be at least 32 bytes long".into()),
            (None, Profile::Prod) => Err(
                "the prod profile needs KAPI_JWT_SECRET (at least 32 bytes); refusing to start"
                    .into(),
            ),
            (None, Profile::Dev) => Ok(DEV_JWT_SECRET.to_owned()),
        }
    }

    /// A configuration for tests and tools: dev profile, the given database.
    pub fn for_database(url: &str) -> Config {
        Config {
            profile: Profile::Dev,
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            database_url: url.to_owned(),
            data_dir: std::env::temp_dir().join("kapi-data"),
            jwt_secret: None,
            jwt_ttl: 3600,
            db_pool_size: 4,
            workers: None,
            jobs_interval_seconds: 0,
            webhook_interval_seconds: 0,
            webhook_allow_loopback: false,
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
