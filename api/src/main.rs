//! `kapi`: serve, migrate, print the spec, import code lists.

use actix_web::{web, HttpServer};
use clap::Parser;
use kapi_api::config::{Cli, Command, Config, ImportKind, JobsCommand, Profile};
use kapi_api::state::AppState;
use kapi_api::{build_serving_app, jobs, openapi_json, prepare_database};
use kapi_persistence::reference;
use std::process::ExitCode;

/// mimalloc hands freed pages back to the system: glibc's malloc kept what start-up and each
/// worker's route registration freed (about 100 MB resident when idle). Transparent huge
/// pages are off for the process (`no_thp`): they made mimalloc's 64 MB arena resident whole.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("kapi: {msg}");
    log::error!("{msg}");
    ExitCode::FAILURE
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let config = cli.config;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config),
        Command::Migrate => match prepare_database(&config) {
            Ok(_) => {
                println!(
                    "migrations and reference data are up to date ({})",
                    kapi_persistence::Backend::of_url(&config.database_url).as_str()
                );
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        },
        Command::Openapi => match openapi_json(config.profile) {
            Ok(json) => {
                println!("{json}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        },
        Command::Import { what } => import(&config, what),
        Command::Jobs {
            what: JobsCommand::Run,
        } => jobs_run(&config),
    }
}

fn jobs_run(config: &Config) -> ExitCode {
    let db = match prepare_database(config) {
        Ok(db) => db,
        Err(e) => return fail(e),
    };
    // The dev clock lives in a serving process; a separate run uses the real time.
    let now = time::OffsetDateTime::now_utc();
    match jobs::run_due_jobs(&db, now) {
        Ok(reports) => {
            for r in reports {
                println!("{}: {}", r.job, r.summary);
            }
        }
        Err(e) => return fail(format!("jobs failed: {e}")),
    }
    let transport = kapi_api::webhooks::HttpTransport::new(config.webhook_allow_loopback);
    match kapi_api::webhooks::run_webhooks(&db, &transport, now) {
        Ok(r) => {
            println!(
                "webhooks: {} enqueued, {} delivered, {} failed attempt(s)",
                r.enqueued, r.delivered, r.failed_attempts
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(format!("webhooks failed: {e}")),
    }
}

/// Runs the due jobs at start-up and then `every` seconds after each run ends on the app's clock (the dev clock applies),
/// the database work on the blocking pool; a failed run is logged and retried next time.
async fn job_scheduler(state: web::Data<AppState>, every: u64) {
    loop {
        let state = state.clone();
        let run = web::block(move || jobs::run_due_jobs(&state.db, state.clock.now())).await;
        match run {
            Ok(Ok(reports)) => {
                log::debug!("scheduled jobs ran: {reports:?}");
                for r in reports.iter().filter(|r| r.affected > 0) {
                    log::info!("job {}: {}", r.job, r.summary);
                }
            }
            Ok(Err(e)) => log::error!("scheduled jobs failed: {e}"),
            Err(e) => log::error!("scheduled jobs did not run: {e}"),
        }
        // Counted from the end of a run, so a slow run never overlaps the next one.
        actix_web::rt::time::sleep(std::time::Duration::from_secs(every)).await;
    }
}

/// The webhook worker: one round (enqueue, send the due deliveries) every `every` seconds,
/// on the blocking pool, at the app's clock.
async fn webhook_worker(state: web::Data<AppState>, every: u64) {
    let transport = std::sync::Arc::new(kapi_api::webhooks::HttpTransport::new(
        state.webhooks_allow_loopback_http,
    ));
    loop {
        let state = state.clone();
        let transport = transport.clone();
        let run = web::block(move || {
            kapi_api::webhooks::run_webhooks(&state.db, transport.as_ref(), state.clock.now())
        })
        .await;
        match run {
            Ok(Ok(r)) if r != kapi_api::webhooks::WebhookReport::default() => log::info!(
                "webhooks: {} enqueued, {} delivered, {} failed attempt(s)",
                r.enqueued,
                r.delivered,
                r.failed_attempts
            ),
            Ok(Ok(_)) => {}
            Ok(Err(e)) => log::error!("webhook round failed: {e}"),
            Err(e) => log::error!("webhook round did not run: {e}"),
        }
        actix_web::rt::time::sleep(std::time::Duration::from_secs(every)).await;
    }
}

fn import(config: &Config, what: ImportKind) -> ExitCode {
    let db = match prepare_database(config) {
        Ok(db) => db,
        Err(e) => return fail(e),
    };
    let (path, kind) = match &what {
        ImportKind::Occupations { file } => (file, "occupations"),
        ImportKind::Detsis { file } => (file, "DETSİS units"),
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => return fail(format!("cannot read {}: {e}", path.display())),
    };
    let result = match what {
        ImportKind::Occupations { .. } => reference::parse_occupations(&text)
            .and_then(|rows| db.write(|c| reference::upsert_occupations(c, &rows))),
        ImportKind::Detsis { .. } => reference::parse_detsis(&text)
            .and_then(|rows| db.write(|c| reference::upsert_detsis(c, &rows))),
    };
    match result {
        Ok((inserted, updated)) => {
            println!("{kind}: {inserted} inserted, {updated} updated");
            ExitCode::SUCCESS
        }
        Err(e) => {
            let details: Vec<String> = e.fields.iter().map(|f| f.message.clone()).collect();
            let why = if details.is_empty() {
                e.message
            } else {
                details.join("; ")
            };
            fail(format!("import refused, nothing written: {why}"))
        }
    }
}

fn serve(config: Config) -> ExitCode {
    let keys = match config.jwt_key_set() {
        Ok(k) => k,
        Err(e) => return fail(e),
    };
    if config.profile == Profile::Dev && config.jwt_secret.is_none() && config.jwt_keys.is_none() {
        log::warn!("dev profile: signing tokens with the built-in development secret");
    }
    // Start-up work (migrations, reference and demo data, the OpenAPI document) runs on a
    // thread of its own: when the thread ends, the allocator returns the memory it used
    // instead of keeping it for a thread that then sits idle.
    let prepared = std::thread::scope(|s| {
        s.spawn(|| -> Result<_, String> {
            let db = prepare_database(&config).map_err(|e| e.to_string())?;
            let spec = openapi_json(config.profile)
                .map_err(|e| format!("cannot build the OpenAPI document: {e}"))?;
            Ok((db, web::Bytes::from(spec)))
        })
        .join()
    });
    let (db, spec) = match prepared {
        Ok(Ok(p)) => p,
        Ok(Err(e)) => return fail(e),
        Err(_) => return fail("start-up failed"),
    };
    let state = web::Data::new(AppState::new(db, &config, keys));
    let mut server = HttpServer::new({
        let state = state.clone();
        move || build_serving_app(state.clone(), spec.clone())
    });
    if let Some(w) = config.workers {
        server = server.workers(w.max(1));
    }
    let server = match server.bind(config.bind) {
        Ok(s) => s,
        Err(e) => return fail(format!("cannot listen on {}: {e}", config.bind)),
    };
    for addr in server.addrs() {
        println!(
            "Kapı is listening on http://{addr} ({:?} profile, {})",
            config.profile,
            state.db.backend().as_str()
        );
        println!("  Swagger UI:   http://{addr}/swagger-ui/");
        println!("  OpenAPI:      http://{addr}/api-docs/openapi.json");
        if config.profile == Profile::Dev {
            println!(
                "  Demo logins (password {}):",
                kapi_persistence::demo::DEMO_PASSWORD
            );
            println!("    citizen (e-Devlet):  POST /api/v1/auth/e-devlet/login  tckn 10000000146");
            println!("    staff:               POST /api/v1/auth/staff/login     admin, ankara.valilik, kurum.ik, kurum2.ik, iskur.ankara, bakanlik.degerlendirici");
        }
    }
    println!(
        "  Database timeouts: connect {} s, acquire {} s, statement {} s (KAPI_DB_*_TIMEOUT; past them 503 service.unavailable)",
        config.db_connect_timeout, config.db_acquire_timeout, config.db_statement_timeout
    );
    if config.jobs_interval_seconds == 0 {
        println!("  Scheduled jobs: disabled (KAPI_JOBS_INTERVAL_SECONDS=0)");
    } else {
        println!(
            "  Scheduled jobs: every {} s (KAPI_JOBS_INTERVAL_SECONDS)",
            config.jobs_interval_seconds
        );
    }
    if config.webhook_interval_seconds == 0 {
        println!("  Webhook worker: disabled (KAPI_WEBHOOK_INTERVAL_SECONDS=0)");
    } else {
        println!(
            "  Webhook worker: every {} s (KAPI_WEBHOOK_INTERVAL_SECONDS)",
            config.webhook_interval_seconds
        );
    }
    let every = config.jobs_interval_seconds;
    let webhooks_every = config.webhook_interval_seconds;
    let run = async move {
        if every > 0 {
            actix_web::rt::spawn(job_scheduler(state.clone(), every));
        }
        if webhooks_every > 0 {
            actix_web::rt::spawn(webhook_worker(state.clone(), webhooks_every));
        }
        server.run().await
    };
    match actix_web::rt::System::new().block_on(run) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}
