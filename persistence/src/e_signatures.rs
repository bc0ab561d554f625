//! The local e-signature service (e-İmza / mobil imza stand-in): it signs by recording who
//! signed which document (its SHA-256) and when, in `e_signatures`. A real adapter (the
//! signing application) replaces it without touching the domain; the work-permit store
//! implements the domain's `Signer` port with it, so a signature is part of the command's
//! transaction.

use crate::convert::to_db_time;
use crate::db::{DbConnection, DbResultExt};
use crate::schema::e_signatures as s;
use diesel::prelude::*;
use kapi_core::{DomainError, Tckn};
use kapi_work_permit::wizard::{ESignature, Sha256Hex, Signer};
use time::OffsetDateTime;

/// Records a signature in `e_signatures` and answers it.
pub fn sign(
    conn: &mut DbConnection,
    signer: &Tckn,
    document_sha256: &Sha256Hex,
    now: OffsetDateTime,
) -> Result<ESignature, DomainError> {
    diesel::insert_into(s::table)
        .values((
            s::id.eq(uuid::Uuid::now_v7().to_string()),
            s::signer_tckn.eq(signer.as_str()),
            s::document_sha256.eq(document_sha256.as_str()),
            s::signed_at.eq(to_db_time(now)),
        ))
        .execute(conn)
        .db()?;
    Ok(ESignature {
        signer: signer.clone(),
        document_sha256: document_sha256.clone(),
        signed_at: now,
    })
}

/// The applications store signs in the transaction of the command being signed.
impl Signer for crate::work_permits::WorkPermitRepo<'_> {
    fn sign(
        &mut self,
        signer: &Tckn,
        document_sha256: &Sha256Hex,
        now: OffsetDateTime,
    ) -> Result<ESignature, DomainError> {
        sign(self.conn, signer, document_sha256, now)
    }
}

/// How many signatures the local service recorded over the document.
pub fn signatures_of(conn: &mut DbConnection, document_sha256: &str) -> Result<i64, DomainError> {
    s::table
        .filter(s::document_sha256.eq(document_sha256))
        .count()
        .get_result(conn)
        .db()
}
