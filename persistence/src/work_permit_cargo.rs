//! After the permit on the database: the simulated PTT cargo (the domain's PTT port) and
//! the index of terminated permits, both on the work-permit store so they share the
//! command's transaction.
//!
//! The simulated PTT keeps what a real PTT would: which tracking number it gave to which
//! card and when it accepted it (`work_permit_cargo_shipments`); its tracking is computed
//! from that time by the domain's [`simulated_ptt_events`] (no sleeping, the clock is the
//! caller's `now`). A real PTT adapter replaces this module without touching the domain.
//! Tracking numbers look like PTT's barcodes: `KP`, eleven random digits, `TR`.
//!
//! `work_permit_terminations` holds one row per terminated permit; the work-permit store's
//! running-permit and current-permit queries exclude them ([`not_terminated`]).

use crate::convert::{from_db_time, to_db_time};
use crate::db::{DbConnection, DbResultExt};
use crate::schema::work_permits;
use crate::work_permits::WorkPermitRepo;
use diesel::prelude::*;
use kapi_core::{DomainError, WorkPermitId};
use kapi_work_permit::after_permit::{simulated_ptt_events, AfterPermitStore, CargoTracking};
use kapi_work_permit::post_permit::CargoTrackingNo;
use rand::Rng;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

diesel::table! {
    work_permit_cargo_shipments (tracking_no) {
        tracking_no -> Text,
        application_id -> Text,
        accepted_at -> Timestamp,
    }
}

diesel::table! {
    work_permit_terminations (application_id) {
        application_id -> Text,
        termination_date -> Date,
        filed_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(work_permits, work_permit_terminations);

use work_permit_cargo_shipments as c;
use work_permit_terminations as t;

/// The filter "this application's permit was not terminated", for queries on `work_permits`.
pub fn not_terminated() -> diesel::dsl::not<
    diesel::dsl::exists<
        diesel::dsl::Filter<t::table, diesel::dsl::Eq<t::application_id, work_permits::id>>,
    >,
> {
    diesel::dsl::not(diesel::dsl::exists(
        t::table.filter(t::application_id.eq(work_permits::id)),
    ))
}

/// A fresh PTT-style tracking number not yet given.
fn new_tracking_no(conn: &mut DbConnection) -> Result<CargoTrackingNo, DomainError> {
    let mut rng = rand::thread_rng();
    for _ in 0..5 {
        let digits: u64 = rng.gen_range(0..100_000_000_000);
        let no =
            CargoTrackingNo::parse(&format!("KP{digits:011}TR")).map_err(DomainError::field)?;
        let taken: i64 = c::table
            .filter(c::tracking_no.eq(no.as_str()))
            .count()
            .get_result(conn)
            .db()?;
        if taken == 0 {
            return Ok(no);
        }
    }
    Err(DomainError::internal("no free cargo tracking number"))
}

impl AfterPermitStore for WorkPermitRepo<'_> {
    fn ptt_accept(
        &mut self,
        id: WorkPermitId,
        now: OffsetDateTime,
    ) -> Result<CargoTrackingNo, DomainError> {
        let no = new_tracking_no(self.conn)?;
        diesel::insert_into(c::table)
            .values((
                c::tracking_no.eq(no.as_str()),
                c::application_id.eq(id.to_string()),
                c::accepted_at.eq(to_db_time(now)),
            ))
            .execute(self.conn)
            .db()?;
        Ok(no)
    }

    fn ptt_tracking(
        &mut self,
        tracking_no: &CargoTrackingNo,
        now: OffsetDateTime,
    ) -> Result<Option<CargoTracking>, DomainError> {
        let accepted: Option<PrimitiveDateTime> = c::table
            .filter(c::tracking_no.eq(tracking_no.as_str()))
            .select(c::accepted_at)
            .first(self.conn)
            .optional()
            .db()?;
        Ok(accepted.map(|at| simulated_ptt_events(tracking_no.clone(), from_db_time(at), now)))
    }

    fn mark_terminated(
        &mut self,
        id: WorkPermitId,
        termination_date: Date,
        now: OffsetDateTime,
    ) -> Result<(), DomainError> {
        diesel::insert_into(t::table)
            .values((
                t::application_id.eq(id.to_string()),
                t::termination_date.eq(termination_date),
                t::filed_at.eq(to_db_time(now)),
            ))
            .execute(self.conn)
            .db()?;
        Ok(())
    }
}
