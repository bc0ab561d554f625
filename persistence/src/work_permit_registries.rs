//! The e-İzin registry ports on seed rows: the MFA consulates' reference numbers
//! (`registry_mfa_references`), YÖK's pre-permits (`registry_yok_pre_permits`), and the fee
//! schedule read from `work_permit_fees` (loaded from `reference/work_permit_fees.csv`).
//!
//! A real adapter (the MFA's and YÖK's web services) replaces these without touching the
//! domain; the rules (30 days, single use, which YÖK statuses let an application go on) stay
//! in `kapi-work-permit`.

use crate::convert::{from_db_time, stored, to_db_time};
use crate::db::{DbConnection, DbResultExt};
use crate::schema::*;
use diesel::prelude::*;
use kapi_core::{DomainError, FieldError, Money, Tckn, Ykn};
use kapi_work_permit::fees::{FeeRow, FeeSchedule};
use kapi_work_permit::kind::{
    ConsulateReference, ConsulateRegistry, ForeignerLookup, ForeignerRecord, MfaReferenceNo,
    Nationality, PassportNo, YokPrePermit, YokPrePermitNo, YokPrePermitStatus, YokRegistry,
};
use kapi_work_permit::wizard::{KinshipCheck, KinshipRelation};
use time::{Date, OffsetDateTime, PrimitiveDateTime};

/// The MFA and YÖK registries on a connection inside a transaction.
pub struct WorkPermitRegistries<'c> {
    conn: &'c mut DbConnection,
}

impl<'c> WorkPermitRegistries<'c> {
    pub fn new(conn: &'c mut DbConnection) -> Self {
        Self { conn }
    }
}

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = registry_mfa_references)]
pub struct MfaReferenceRow {
    pub reference_no: String,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: Date,
    pub nationality: String,
    pub passport_no: Option<String>,
    pub passport_expires_on: Option<Date>,
    pub issued_at: PrimitiveDateTime,
    pub used_at: Option<PrimitiveDateTime>,
}

impl MfaReferenceRow {
    fn into_domain(self) -> Result<ConsulateReference, DomainError> {
        Ok(ConsulateReference {
            number: stored("reference_no", MfaReferenceNo::parse(&self.reference_no))?,
            issued_at: from_db_time(self.issued_at),
            used: self.used_at.is_some(),
            first_name: self.first_name,
            last_name: self.last_name,
            birth_date: self.birth_date,
            nationality: stored("nationality", Nationality::parse(&self.nationality))?,
            passport_no: self
                .passport_no
                .map(|p| stored("passport_no", PassportNo::parse(&p)))
                .transpose()?,
            passport_expires_on: self.passport_expires_on,
        })
    }
}

#[derive(Debug, Clone, Queryable, Insertable)]
#[diesel(table_name = registry_yok_pre_permits)]
pub struct YokPrePermitRow {
    pub pre_permit_no: String,
    pub status: String,
    pub first_name: String,
    pub last_name: String,
    pub nationality: String,
    pub passport_no: Option<String>,
    pub university: String,
}

impl YokPrePermitRow {
    fn into_domain(self) -> Result<YokPrePermit, DomainError> {
        let status = YokPrePermitStatus::parse(&self.status).ok_or_else(|| {
            DomainError::internal(format!(
                "stored YÖK pre-permit status {:?} is unknown",
                self.status
            ))
        })?;
        Ok(YokPrePermit {
            number: stored("pre_permit_no", YokPrePermitNo::parse(&self.pre_permit_no))?,
            status,
            first_name: self.first_name,
            last_name: self.last_name,
            nationality: stored("nationality", Nationality::parse(&self.nationality))?,
            passport_no: self
                .passport_no
                .map(|p| stored("passport_no", PassportNo::parse(&p)))
                .transpose()?,
            university: self.university,
        })
    }
}

impl WorkPermitRegistries<'_> {
    /// When the number was marked used, if it was (for tests and support: the port only says
    /// `used`).
    pub fn reference_used_at(
        &mut self,
        number: &MfaReferenceNo,
    ) -> Result<Option<OffsetDateTime>, DomainError> {
        let used: Option<Option<PrimitiveDateTime>> = registry_mfa_references::table
            .find(number.as_str())
            .select(registry_mfa_references::used_at)
            .first(self.conn)
            .optional()
            .db()?;
        Ok(used.flatten().map(from_db_time))
    }
}

impl ConsulateRegistry for WorkPermitRegistries<'_> {
    fn find_reference(
        &mut self,
        number: &MfaReferenceNo,
    ) -> Result<Option<ConsulateReference>, DomainError> {
        let row: Option<MfaReferenceRow> = registry_mfa_references::table
            .find(number.as_str())
            .first(self.conn)
            .optional()
            .db()?;
        row.map(MfaReferenceRow::into_domain).transpose()
    }

    /// Single use, decided by the database: the row is marked only while `used_at` is still
    /// empty, so of two applications racing on one number exactly one marks it. The other
    /// gets `work_permit.reference_used` (its transaction rolls back) and the first mark's
    /// `used_at` stays; an unknown number is `work_permit.reference_not_found`.
    fn mark_used(
        &mut self,
        number: &MfaReferenceNo,
        at: OffsetDateTime,
    ) -> Result<(), DomainError> {
        let marked = diesel::update(
            registry_mfa_references::table
                .filter(registry_mfa_references::reference_no.eq(number.as_str()))
                .filter(registry_mfa_references::used_at.is_null()),
        )
        .set(registry_mfa_references::used_at.eq(Some(to_db_time(at))))
        .execute(self.conn)
        .db()?;
        if marked == 1 {
            return Ok(());
        }
        let exists: i64 = registry_mfa_references::table
            .filter(registry_mfa_references::reference_no.eq(number.as_str()))
            .count()
            .get_result(self.conn)
            .db()?;
        if exists == 0 {
            return Err(DomainError::not_found(
                "work_permit.reference_not_found",
                "No consulate reference number like this one.",
            ));
        }
        Err(DomainError::rule(FieldError::new(
            "reference_no",
            "work_permit.reference_used",
            "This reference number has already been used for an application.",
        )))
    }
}

impl YokRegistry for WorkPermitRegistries<'_> {
    fn find_pre_permit(
        &mut self,
        number: &YokPrePermitNo,
    ) -> Result<Option<YokPrePermit>, DomainError> {
        let row: Option<YokPrePermitRow> = registry_yok_pre_permits::table
            .find(number.as_str())
            .first(self.conn)
            .optional()
            .db()?;
        row.map(YokPrePermitRow::into_domain).transpose()
    }
}

/// The whole fee schedule as stored, checked again by the domain (a row the domain refuses
/// is data corruption: internal).
pub fn fee_schedule(conn: &mut DbConnection) -> Result<FeeSchedule, DomainError> {
    let rows: Vec<(Date, i32, i32, i64, i64)> = work_permit_fees::table
        .select((
            work_permit_fees::valid_from,
            work_permit_fees::months_min,
            work_permit_fees::months_max,
            work_permit_fees::permit_fee_kurus,
            work_permit_fees::card_fee_kurus,
        ))
        .order((
            work_permit_fees::valid_from.asc(),
            work_permit_fees::months_min.asc(),
        ))
        .load(conn)
        .db()?;
    let rows = rows
        .into_iter()
        .map(|(valid_from, min, max, permit, card)| {
            Ok(FeeRow {
                valid_from,
                months_min: stored("months_min", u16::try_from(min))?,
                months_max: stored("months_max", u16::try_from(max))?,
                permit_fee: Money::from_kurus(permit),
                card_fee: Money::from_kurus(card),
            })
        })
        .collect::<Result<Vec<_>, DomainError>>()?;
    FeeSchedule::new(rows)
        .map_err(|e| DomainError::internal(format!("the stored fee schedule is invalid: {e:?}")))
}

/// The applications store reaches the registries in the transaction of the use case:
/// consulate references, YÖK pre-permits, the foreigners' registry and the civil registry's
/// kinships all answer on the same connection.
impl ConsulateRegistry for crate::work_permits::WorkPermitRepo<'_> {
    fn find_reference(
        &mut self,
        number: &MfaReferenceNo,
    ) -> Result<Option<ConsulateReference>, DomainError> {
        WorkPermitRegistries::new(self.conn).find_reference(number)
    }

    fn mark_used(
        &mut self,
        number: &MfaReferenceNo,
        at: OffsetDateTime,
    ) -> Result<(), DomainError> {
        WorkPermitRegistries::new(self.conn).mark_used(number, at)
    }
}

impl YokRegistry for crate::work_permits::WorkPermitRepo<'_> {
    fn find_pre_permit(
        &mut self,
        number: &YokPrePermitNo,
    ) -> Result<Option<YokPrePermit>, DomainError> {
        WorkPermitRegistries::new(self.conn).find_pre_permit(number)
    }
}

impl ForeignerLookup for crate::work_permits::WorkPermitRepo<'_> {
    fn find_foreigner(&mut self, ykn: &Ykn) -> Result<Option<ForeignerRecord>, DomainError> {
        use kapi_identity::registry::ForeignerRegistry;
        Ok(crate::identity::IdentityRepo::new(self.conn)
            .find_foreigner(ykn)?
            .map(|f| ForeignerRecord {
                first_name: f.first_name,
                last_name: f.last_name,
                birth_date: f.birth_date,
                nationality: f.nationality,
                passport_no: f.passport_no,
                passport_expires_on: f.passport_expires_on,
                residence_permit_until: f.residence_permit_until,
                international_protection: f.international_protection,
            }))
    }
}

impl KinshipCheck for crate::work_permits::WorkPermitRepo<'_> {
    fn relation(
        &mut self,
        person: &Tckn,
        relative: &Tckn,
    ) -> Result<Option<KinshipRelation>, DomainError> {
        use kapi_identity::registry::KinshipRegistry;
        let found = crate::identity::IdentityRepo::new(self.conn).relation(person, relative)?;
        // A relation the code list does not know is no verified kinship.
        Ok(found.and_then(|r| KinshipRelation::parse(&r)))
    }
}
