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
use kapi_work_permit::usecases::{delete_expired_drafts, DRAFT_BATCH};
use time::OffsetDateTime;

/// The expired work-permit drafts job.
pub const DELETE_EXPIRED_DRAFTS: &str = "work_permit.delete_expired_drafts";

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
    Ok(vec![expired_drafts(db, now)?])
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
