//! The append-only history table, shared by every store (`impl HistoryLog` delegates here).

use crate::convert::{from_db_time, to_db_time};
use crate::db::{DbConnection, DbResultExt};
use crate::schema::history_entries as h;
use diesel::prelude::*;
use kapi_core::{DomainError, HistoryEntry};
use time::PrimitiveDateTime;

type Row = (
    String,
    String,
    PrimitiveDateTime,
    String,
    Option<String>,
    String,
    Option<String>,
);

pub fn append(conn: &mut DbConnection, e: &HistoryEntry) -> Result<(), DomainError> {
    diesel::insert_into(h::table)
        .values((
            h::id.eq(uuid::Uuid::now_v7().to_string()),
            h::resource_kind.eq(&e.resource_kind),
            h::resource_id.eq(&e.resource_id),
            h::at.eq(to_db_time(e.at)),
            h::actor.eq(&e.actor),
            h::from_state.eq(&e.from_state),
            h::to_state.eq(&e.to_state),
            h::note.eq(&e.note),
        ))
        .execute(conn)
        .db()?;
    // The change feeds' event, in the same transaction (the transactional outbox).
    crate::integrations::record_event(conn, e)
}

pub fn load(
    conn: &mut DbConnection,
    kind: &str,
    id: &str,
) -> Result<Vec<HistoryEntry>, DomainError> {
    let rows: Vec<Row> = h::table
        .filter(h::resource_kind.eq(kind))
        .filter(h::resource_id.eq(id))
        .order((h::at.asc(), h::id.asc()))
        .select((
            h::resource_kind,
            h::resource_id,
            h::at,
            h::actor,
            h::from_state,
            h::to_state,
            h::note,
        ))
        .load(conn)
        .db()?;
    Ok(rows
        .into_iter()
        .map(
            |(resource_kind, resource_id, at, actor, from_state, to_state, note)| HistoryEntry {
                resource_kind,
                resource_id,
                at: from_db_time(at),
                actor,
                from_state,
                to_state,
                note,
            },
        )
        .collect())
}
