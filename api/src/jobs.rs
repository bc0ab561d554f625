//! Scheduled jobs: `kapi jobs run` runs every due job once; `kapi serve` runs the same
//! function on an interval (`KAPI_JOBS_INTERVAL_SECONDS`, 0 disables).
//!
//! Jobs are idempotent: a second run finds nothing more to do. Two processes running them
//! at once (two `serve` replicas, or `serve` and a cron `kapi jobs run`) do not double-act:
//! each batch is one write transaction, and a draft is deleted only while its stored
//! version is the one read (`DELETE … WHERE id = ? AND version = ?`). The loser's delete
//! touches no row (PostgreSQL re-checks the row after the winner commits; SQLite serialises
//! write transactions), answers false, and so records no second history entry.

use kapi_core::DomainError;
use kapi_persistence::work_permits::WorkPermitRepo;
use kapi_persistence::Db;
use kapi_work_permit::ministry::{expire_lost_cards, expire_overdue};
use kapi_work_permit::usecases::{delete_expired_drafts, DRAFT_BATCH};
use time::OffsetDateTime;

/// The expired work-permit drafts job.
pub const DELETE_EXPIRED_DRAFTS: &str = "work_permit.delete_expired_drafts";

/// The work-permit 30-day limits job: missing documents, updates and fees not sent in time
/// reject the application; unpaid lost-card requests expire.
pub const EXPIRE_WORK_PERMIT_LIMITS: &str = "work_permit.expire_limits";

/// The housekeeping job: finished rate-limit windows and idempotency keys older than a day.
pub const PURGE_EXPIRED_ROWS: &str = "platform.purge_expired_rows";

/// Batches one run of a job takes at most (the rest waits for the next run).
const MAX_BATCHES: usize = 100;

/// What one job did in one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobReport {
    pub job: &'static str,
    /// How many records the job acted on.
    pub affected: usize,
    /// A line for the operator.
    pub summary: String,
}

/// Runs every due job once at `now` (each batch in its own write transaction).
pub fn run_due_jobs(db: &Db, now: OffsetDateTime) -> Result<Vec<JobReport>, DomainError> {
    Ok(vec![
        expired_drafts(db, now)?,
        work_permit_limits(db, now)?,
        purge_expired_rows(db, now)?,
    ])
}

/// Deletes the rate-limit counters whose window has ended and the idempotency keys older
/// than their 24 hours (one write transaction; a second run finds nothing).
fn purge_expired_rows(db: &Db, now: OffsetDateTime) -> Result<JobReport, DomainError> {
    let (counters, keys) = db.write(|c| {
        Ok((
            kapi_persistence::rate_limits::purge_expired(c, now)?,
            kapi_persistence::idempotency::purge_expired(c, now)?,
        ))
    })?;
    Ok(JobReport {
        job: PURGE_EXPIRED_ROWS,
        affected: counters + keys,
        summary: format!(
            "{counters} finished rate-limit window(s) and {keys} expired idempotency key(s) deleted"
        ),
    })
}

fn expired_drafts(db: &Db, now: OffsetDateTime) -> Result<JobReport, DomainError> {
    let mut deleted = 0;
    for _ in 0..MAX_BATCHES {
        let ids = db.write(|c| delete_expired_drafts(&mut WorkPermitRepo::new(c, now), now))?;
        deleted += ids.len();
        // A short batch means no expired draft is left (the job stops at the first kept one).
        if ids.len() < DRAFT_BATCH {
            break;
        }
    }
    Ok(JobReport {
        job: DELETE_EXPIRED_DRAFTS,
        affected: deleted,
        summary: format!("{deleted} expired work-permit draft(s) deleted"),
    })
}

/// Rejects the applications whose 30 days to upload, update or pay passed
/// (`Command::Expire`, history actor `system`), then expires unpaid lost-card requests. Each
/// part is one write transaction; an application is changed only while its stored version
/// is the one read, so a second run (or another process) finds nothing more to do.
fn work_permit_limits(db: &Db, now: OffsetDateTime) -> Result<JobReport, DomainError> {
    let rejected = db.write(|c| expire_overdue(&mut WorkPermitRepo::new(c, now), now))?;
    let mut expired = 0;
    for _ in 0..MAX_BATCHES {
        let ids = db.write(|c| expire_lost_cards(&mut WorkPermitRepo::new(c, now), now))?;
        expired += ids.len();
        if ids.len() < kapi_work_permit::ministry::JOB_BATCH {
            break;
        }
    }
    Ok(JobReport {
        job: EXPIRE_WORK_PERMIT_LIMITS,
        affected: rejected.len() + expired,
        summary: format!(
            "{} work-permit application(s) rejected after 30 days, {expired} lost-card request(s) expired unpaid",
            rejected.len()
        ),
    })
}
