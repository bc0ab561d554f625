//! e-İzin ministry stage on the applications store: the evaluator's queue and the scheduled
//! job's walk (`MinistryStore`), and the local stand-in of the revenue administration's
//! payment side (`PaymentGateway`, `PaymentReferences`): transaction references in
//! `work_permit_payment_orders` (migration 000013), numbered `UIGM` + year + an 8-digit
//! counter taken under the named lock `work_permit_payment_reference`, so two processes
//! never issue the same number.

use crate::convert::{from_db_time, stored, to_db_time};
use crate::db::{take_named_lock, DbResultExt};
use crate::schema::named_locks;
use crate::schema::work_permits as w;
use crate::work_permits::WorkPermitRepo;
use diesel::prelude::*;
use kapi_core::{DomainError, Money, Page, PageRequest, WorkPermitId, Ykn};
use kapi_work_permit::application::WorkPermitApplication;
use kapi_work_permit::evaluation::Status;
use kapi_work_permit::ministry::{
    MinistryStore, PaymentGateway, PaymentOrder, PaymentPurpose, PaymentReference,
};
use kapi_work_permit::post_permit::PaymentReferences;
use time::{OffsetDateTime, PrimitiveDateTime};

diesel::table! {
    work_permit_payment_orders (reference_no) {
        reference_no -> Text,
        application_id -> Text,
        purpose -> Text,
        ykn -> Nullable<Text>,
        amount_kurus -> BigInt,
        issued_at -> Timestamp,
        paid_at -> Nullable<Timestamp>,
        paid_amount_kurus -> Nullable<BigInt>,
        paid_by -> Nullable<Text>,
        voided -> Bool,
    }
}

use work_permit_payment_orders as o;

const REFERENCE_LOCK: &str = "work_permit_payment_reference";

type OrderRow = (
    String,
    String,
    String,
    Option<String>,
    i64,
    PrimitiveDateTime,
    Option<PrimitiveDateTime>,
    bool,
);

fn order_of(r: OrderRow) -> Result<PaymentOrder, DomainError> {
    let (reference_no, application_id, purpose, ykn, amount, issued_at, paid_at, voided) = r;
    Ok(PaymentOrder {
        reference: stored("reference_no", PaymentReference::parse(&reference_no))?,
        application_id: stored("application_id", application_id.parse::<WorkPermitId>())?,
        purpose: PaymentPurpose::parse(&purpose)
            .ok_or_else(|| DomainError::internal(format!("stored payment purpose {purpose}")))?,
        ykn: ykn.map(|y| stored("ykn", Ykn::parse(&y))).transpose()?,
        amount: Money::from_kurus(amount),
        issued_at: from_db_time(issued_at),
        paid_at: paid_at.map(from_db_time),
        voided,
    })
}

/// Applications from their stored `(document, version)`.
fn applications(rows: Vec<(String, i64)>) -> Result<Vec<WorkPermitApplication>, DomainError> {
    rows.into_iter()
        .map(|(doc, version)| {
            let mut a: WorkPermitApplication =
                stored("work-permit document", serde_json::from_str(&doc))?;
            a.version = version;
            Ok(a)
        })
        .collect()
}

fn codes(statuses: &[Status]) -> Vec<&'static str> {
    statuses.iter().map(|s| s.as_str()).collect()
}

impl MinistryStore for WorkPermitRepo<'_> {
    fn evaluation_queue(
        &mut self,
        statuses: &[Status],
        page: PageRequest,
    ) -> Result<Page<WorkPermitApplication>, DomainError> {
        let codes = codes(statuses);
        let (total, more) = crate::db::count_up_to_cap(
            w::table
                .filter(w::status.eq_any(codes.clone()))
                .select(w::id)
                .offset(crate::db::cap_offset())
                .limit(1)
                .first::<String>(self.conn)
                .optional()
                .db()?,
            || {
                w::table
                    .filter(w::status.eq_any(codes.clone()))
                    .count()
                    .get_result(self.conn)
                    .db()
            },
        )?;
        let rows: Vec<(String, i64)> = w::table
            .filter(w::status.eq_any(codes))
            .order((w::submitted_at.asc(), w::id.asc()))
            .offset(page.offset())
            .limit(page.limit())
            .select((w::document, w::version))
            .load(self.conn)
            .db()?;
        Ok(Page::counted_up_to_cap(
            applications(rows)?,
            page,
            total,
            more,
        ))
    }

    fn in_statuses_after(
        &mut self,
        statuses: &[Status],
        after: Option<WorkPermitId>,
        limit: usize,
    ) -> Result<Vec<WorkPermitApplication>, DomainError> {
        let mut q = w::table
            .filter(w::status.eq_any(codes(statuses)))
            .order(w::id.asc())
            .limit(i64::try_from(limit).unwrap_or(i64::MAX))
            .select((w::document, w::version))
            .into_boxed();
        if let Some(after) = after {
            q = q.filter(w::id.gt(after.to_string()));
        }
        applications(q.load(self.conn).db()?)
    }
}

impl PaymentReferences for WorkPermitRepo<'_> {
    fn next_reference(&mut self, now: OffsetDateTime) -> Result<PaymentReference, DomainError> {
        take_named_lock(self.conn, REFERENCE_LOCK)?;
        let n: i64 = named_locks::table
            .find(REFERENCE_LOCK)
            .select(named_locks::counter)
            .first(self.conn)
            .db()?;
        let year = kapi_core::istanbul_date_of(now).year();
        PaymentReference::parse(&format!("UIGM{year}{n:08}")).map_err(DomainError::field)
    }
}

impl PaymentGateway for WorkPermitRepo<'_> {
    fn register(&mut self, x: &PaymentOrder) -> Result<(), DomainError> {
        diesel::insert_into(o::table)
            .values((
                o::reference_no.eq(x.reference.as_str()),
                o::application_id.eq(x.application_id.to_string()),
                o::purpose.eq(x.purpose.as_str()),
                o::ykn.eq(x.ykn.as_ref().map(|y| y.as_ref().to_owned())),
                o::amount_kurus.eq(x.amount.kurus()),
                o::issued_at.eq(to_db_time(x.issued_at)),
                o::paid_at.eq(x.paid_at.map(to_db_time)),
                o::voided.eq(x.voided),
            ))
            .execute(self.conn)
            .db()?;
        Ok(())
    }

    fn find_order(
        &mut self,
        reference: &PaymentReference,
    ) -> Result<Option<PaymentOrder>, DomainError> {
        let row: Option<OrderRow> = o::table
            .find(reference.as_str())
            .select((
                o::reference_no,
                o::application_id,
                o::purpose,
                o::ykn,
                o::amount_kurus,
                o::issued_at,
                o::paid_at,
                o::voided,
            ))
            .first(self.conn)
            .optional()
            .db()?;
        row.map(order_of).transpose()
    }

    fn mark_paid(
        &mut self,
        reference: &PaymentReference,
        amount: Money,
        paid_by: &str,
        at: OffsetDateTime,
    ) -> Result<bool, DomainError> {
        let n = diesel::update(
            o::table
                .filter(o::reference_no.eq(reference.as_str()))
                .filter(o::paid_at.is_null())
                .filter(o::voided.eq(false)),
        )
        .set((
            o::paid_at.eq(Some(to_db_time(at))),
            o::paid_amount_kurus.eq(Some(amount.kurus())),
            o::paid_by.eq(Some(paid_by)),
        ))
        .execute(self.conn)
        .db()?;
        Ok(n == 1)
    }

    fn void_order(&mut self, reference: &PaymentReference) -> Result<(), DomainError> {
        diesel::update(
            o::table
                .filter(o::reference_no.eq(reference.as_str()))
                .filter(o::paid_at.is_null()),
        )
        .set(o::voided.eq(true))
        .execute(self.conn)
        .db()?;
        Ok(())
    }

    fn unpaid_lost_cards_before(
        &mut self,
        before: OffsetDateTime,
        limit: usize,
    ) -> Result<Vec<WorkPermitId>, DomainError> {
        let ids: Vec<String> = o::table
            .filter(o::purpose.eq(PaymentPurpose::LostCard.as_str()))
            .filter(o::paid_at.is_null())
            .filter(o::voided.eq(false))
            .filter(o::issued_at.lt(to_db_time(before)))
            .order((o::issued_at.asc(), o::reference_no.asc()))
            .limit(i64::try_from(limit).unwrap_or(i64::MAX))
            .select(o::application_id)
            .load(self.conn)
            .db()?;
        let mut out: Vec<WorkPermitId> = Vec::new();
        for id in ids {
            let id = stored("application_id", id.parse::<WorkPermitId>())?;
            if !out.contains(&id) {
                out.push(id);
            }
        }
        Ok(out)
    }
}

/// How many transaction references were issued for the application (tests, operators).
pub fn orders_of(
    conn: &mut crate::DbConnection,
    application_id: WorkPermitId,
) -> Result<i64, DomainError> {
    o::table
        .filter(o::application_id.eq(application_id.to_string()))
        .count()
        .get_result(conn)
        .db()
}
