//! Stores of the identity ports: the simulated registries, staff accounts, one-time codes,
//! the notification outbox and verified contacts.

use crate::convert::{from_db_time, parse_uuid, stored, to_db_time};
use crate::db::{DbConnection, DbResultExt};
use crate::schema::*;
use diesel::prelude::*;
use kapi_core::{
    DomainError, InstitutionId, MobilePhone, NotificationId, OtpChallengeId, ProvinceCode,
    StaffAccountId, Tckn, Vkn, Ykn,
};
use kapi_identity::login::{StaffAccount, StaffDirectory, StaffRole};
use kapi_identity::otp::{Channel, OtpChallenge, OtpStore, Outbox, OutgoingMessage, Purpose};
use kapi_identity::registry::*;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

/// Identity stores on a connection inside a transaction.
pub struct IdentityRepo<'c> {
    conn: &'c mut DbConnection,
}

impl<'c> IdentityRepo<'c> {
    pub fn new(conn: &'c mut DbConnection) -> Self {
        Self { conn }
    }
}

#[derive(Queryable, Insertable)]
#[diesel(table_name = registry_citizens)]
pub struct CitizenRow {
    pub tckn: String,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: Date,
    pub gender: String,
    pub father_name: String,
    pub mother_maiden_surname: String,
    pub mobile: Option<String>,
    pub email: Option<String>,
    pub province_code: i32,
    pub district_code: i32,
    pub neighbourhood: Option<String>,
    pub open_address: String,
    pub edevlet_password_hash: Option<String>,
}

impl CitizenRow {
    fn into_domain(self) -> Result<RegistryCitizen, DomainError> {
        Ok(RegistryCitizen {
            tckn: stored("tckn", Tckn::parse(&self.tckn))?,
            first_name: self.first_name,
            last_name: self.last_name,
            birth_date: self.birth_date,
            mother_maiden_surname: self.mother_maiden_surname,
            mobile: self
                .mobile
                .map(|m| stored("mobile", MobilePhone::parse(&m)))
                .transpose()?,
            residence: RegistryAddress {
                province: stored("province", ProvinceCode::new(i64::from(self.province_code)))?,
                district_code: self.district_code,
                neighbourhood: self.neighbourhood,
                open_address: self.open_address,
            },
            edevlet_password_hash: self.edevlet_password_hash,
        })
    }
}

impl CitizenRegistry for IdentityRepo<'_> {
    fn find_citizen(&mut self, tckn: &Tckn) -> Result<Option<RegistryCitizen>, DomainError> {
        let row: Option<CitizenRow> = registry_citizens::table
            .find(tckn.as_str())
            .first(self.conn)
            .optional()
            .db()?;
        row.map(CitizenRow::into_domain).transpose()
    }
}

#[derive(Queryable, Insertable)]
#[diesel(table_name = registry_foreigners)]
pub struct ForeignerRow {
    pub ykn: String,
    pub first_name: String,
    pub last_name: String,
    pub birth_date: Date,
    pub nationality: String,
    pub passport_no: Option<String>,
    pub passport_expires_on: Option<Date>,
    pub residence_permit_until: Option<Date>,
    pub international_protection: bool,
}

impl ForeignerRegistry for IdentityRepo<'_> {
    fn find_foreigner(&mut self, ykn: &Ykn) -> Result<Option<RegistryForeigner>, DomainError> {
        let row: Option<ForeignerRow> = registry_foreigners::table
            .find(ykn.as_str())
            .first(self.conn)
            .optional()
            .db()?;
        row.map(|r| {
            Ok(RegistryForeigner {
                ykn: stored("ykn", Ykn::parse(&r.ykn))?,
                first_name: r.first_name,
                last_name: r.last_name,
                birth_date: r.birth_date,
                nationality: r.nationality,
                passport_no: r.passport_no,
                passport_expires_on: r.passport_expires_on,
                residence_permit_until: r.residence_permit_until,
                international_protection: r.international_protection,
            })
        })
        .transpose()
    }
}

#[derive(Queryable, Insertable)]
#[diesel(table_name = registry_sgk_workplaces)]
pub struct SgkWorkplaceRow {
    pub sgk_no: String,
    pub title: String,
    pub vkn: String,
    pub province_code: i32,
    pub district_code: i32,
    pub address: String,
    pub employee_count: i32,
}

impl SgkWorkplaceRow {
    fn into_domain(self) -> Result<SgkWorkplace, DomainError> {
        Ok(SgkWorkplace {
            sgk_no: self.sgk_no,
            title: self.title,
            vkn: stored("vkn", Vkn::parse(&self.vkn))?,
            province: stored("province", ProvinceCode::new(i64::from(self.province_code)))?,
            district_code: self.district_code,
            address: self.address,
            employee_count: self.employee_count,
        })
    }
}

impl SgkRegistry for IdentityRepo<'_> {
    fn find_workplace(&mut self, sgk_no: &str) -> Result<Option<SgkWorkplace>, DomainError> {
        let row: Option<SgkWorkplaceRow> = registry_sgk_workplaces::table
            .find(sgk_no)
            .first(self.conn)
            .optional()
            .db()?;
        row.map(SgkWorkplaceRow::into_domain).transpose()
    }

    fn authorised_workplaces(&mut self, tckn: &Tckn) -> Result<Vec<SgkWorkplace>, DomainError> {
        let rows: Vec<SgkWorkplaceRow> = registry_sgk_workplaces::table
            .filter(
                registry_sgk_workplaces::sgk_no.eq_any(
                    registry_sgk_authorisations::table
                        .filter(registry_sgk_authorisations::tckn.eq(tckn.as_str()))
                        .select(registry_sgk_authorisations::sgk_no),
                ),
            )
            .order(registry_sgk_workplaces::sgk_no.asc())
            .load(self.conn)
            .db()?;
        rows.into_iter().map(SgkWorkplaceRow::into_domain).collect()
    }
}

impl KinshipRegistry for IdentityRepo<'_> {
    fn relation(&mut self, person: &Tckn, relative: &Tckn) -> Result<Option<String>, DomainError> {
        registry_kinships::table
            .filter(registry_kinships::tckn.eq(person.as_str()))
            .filter(registry_kinships::relative_tckn.eq(relative.as_str()))
            .select(registry_kinships::relation)
            .first(self.conn)
            .optional()
            .db()
    }
}

#[derive(Queryable, Insertable)]
#[diesel(table_name = staff_accounts)]
pub struct StaffRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub institution_id: Option<String>,
    pub province_code: Option<i32>,
    pub active: bool,
    pub created_at: PrimitiveDateTime,
}

impl StaffDirectory for IdentityRepo<'_> {
    fn find_by_username(&mut self, username: &str) -> Result<Option<StaffAccount>, DomainError> {
        let row: Option<StaffRow> = staff_accounts::table
            .filter(staff_accounts::username.eq(username))
            .first(self.conn)
            .optional()
            .db()?;
        row.map(|r| {
            Ok(StaffAccount {
                id: StaffAccountId::from_uuid(parse_uuid(&r.id)?),
                username: r.username,
                display_name: r.display_name,
                password_hash: r.password_hash,
                role: StaffRole::parse(&r.role).ok_or_else(|| {
                    DomainError::internal(format!("unknown staff role {:?}", r.role))
                })?,
                institution_id: r
                    .institution_id
                    .as_deref()
                    .map(parse_uuid)
                    .transpose()?
                    .map(InstitutionId::from_uuid),
                province: r
                    .province_code
                    .map(|p| stored("province", ProvinceCode::new(i64::from(p))))
                    .transpose()?,
                active: r.active,
            })
        })
        .transpose()
    }
}

#[derive(Queryable, Insertable)]
#[diesel(table_name = otp_challenges)]
struct OtpRow {
    id: String,
    channel: String,
    destination: String,
    purpose: String,
    subject: String,
    code_hash: String,
    attempts: i32,
    expires_at: PrimitiveDateTime,
    consumed_at: Option<PrimitiveDateTime>,
    created_at: PrimitiveDateTime,
}

impl OtpStore for IdentityRepo<'_> {
    fn lock_destination(&mut self, destination: &str) -> Result<(), DomainError> {
        crate::db::lock_key(self.conn, &format!("otp:{destination}"))
    }

    fn insert_challenge(&mut self, c: &OtpChallenge) -> Result<(), DomainError> {
        let row = OtpRow {
            id: c.id.to_string(),
            channel: c.channel.as_str().to_owned(),
            destination: c.destination.clone(),
            purpose: c.purpose.as_str().to_owned(),
            subject: c.subject.clone(),
            code_hash: c.code_hash.clone(),
            attempts: c.attempts as i32,
            expires_at: to_db_time(c.expires_at),
            consumed_at: c.consumed_at.map(to_db_time),
            created_at: to_db_time(c.created_at),
        };
        diesel::insert_into(otp_challenges::table)
            .values(row)
            .execute(self.conn)
            .db()?;
        Ok(())
    }

    fn get_challenge(&mut self, id: OtpChallengeId) -> Result<Option<OtpChallenge>, DomainError> {
        let row: Option<OtpRow> = otp_challenges::table
            .find(id.to_string())
            .first(self.conn)
            .optional()
            .db()?;
        row.map(|r| {
            Ok(OtpChallenge {
                id: OtpChallengeId::from_uuid(parse_uuid(&r.id)?),
                channel: Channel::parse(&r.channel)
                    .ok_or_else(|| DomainError::internal("stored otp channel"))?,
                destination: r.destination,
                purpose: Purpose::parse(&r.purpose)
                    .ok_or_else(|| DomainError::internal("stored otp purpose"))?,
                subject: r.subject,
                code_hash: r.code_hash,
                attempts: r.attempts.max(0) as u32,
                expires_at: from_db_time(r.expires_at),
                consumed_at: r.consumed_at.map(from_db_time),
                created_at: from_db_time(r.created_at),
            })
        })
        .transpose()
    }

    fn save_challenge(&mut self, c: &OtpChallenge) -> Result<(), DomainError> {
        diesel::update(otp_challenges::table.find(c.id.to_string()))
            .set((
                otp_challenges::attempts.eq(c.attempts as i32),
                otp_challenges::consumed_at.eq(c.consumed_at.map(to_db_time)),
            ))
            .execute(self.conn)
            .db()?;
        Ok(())
    }

    fn sent_between(
        &mut self,
        destination: &str,
        since: OffsetDateTime,
        until: OffsetDateTime,
    ) -> Result<Vec<OffsetDateTime>, DomainError> {
        let rows: Vec<PrimitiveDateTime> = otp_challenges::table
            .filter(otp_challenges::destination.eq(destination))
            .filter(otp_challenges::created_at.gt(to_db_time(since)))
            .filter(otp_challenges::created_at.le(to_db_time(until)))
            .order(otp_challenges::created_at.asc())
            .select(otp_challenges::created_at)
            .load(self.conn)
            .db()?;
        Ok(rows.into_iter().map(from_db_time).collect())
    }
}

#[derive(Queryable, Insertable)]
#[diesel(table_name = notifications)]
struct NotificationRow {
    id: String,
    channel: String,
    recipient: String,
    body: String,
    created_at: PrimitiveDateTime,
    sent_at: Option<PrimitiveDateTime>,
}

impl Outbox for IdentityRepo<'_> {
    fn enqueue(&mut self, m: &OutgoingMessage) -> Result<(), DomainError> {
        let row = NotificationRow {
            id: m.id.to_string(),
            channel: m.channel.as_str().to_owned(),
            recipient: m.recipient.clone(),
            body: m.body.clone(),
            created_at: to_db_time(m.created_at),
            sent_at: None,
        };
        diesel::insert_into(notifications::table)
            .values(row)
            .execute(self.conn)
            .db()?;
        Ok(())
    }
}

impl IdentityRepo<'_> {
    /// Whether the staff account exists and is active (a deactivated account's tokens stop
    /// working at once, not when they expire).
    pub fn staff_active(&mut self, id: StaffAccountId) -> Result<bool, DomainError> {
        let active: Option<bool> = staff_accounts::table
            .find(id.to_string())
            .select(staff_accounts::active)
            .first(self.conn)
            .optional()
            .db()?;
        Ok(active == Some(true))
    }

    /// The newest outbox messages, optionally for one recipient (dev profile only).
    pub fn recent_messages(
        &mut self,
        recipient: Option<&str>,
        limit: i64,
    ) -> Result<Vec<OutgoingMessage>, DomainError> {
        let mut q = notifications::table
            .order((notifications::created_at.desc(), notifications::id.desc()))
            .limit(limit)
            .into_boxed();
        if let Some(r) = recipient {
            q = q.filter(notifications::recipient.eq(r.to_owned()));
        }
        let rows: Vec<NotificationRow> = q.load(self.conn).db()?;
        rows.into_iter()
            .map(|r| {
                Ok(OutgoingMessage {
                    id: NotificationId::from_uuid(parse_uuid(&r.id)?),
                    channel: Channel::parse(&r.channel)
                        .ok_or_else(|| DomainError::internal("stored channel"))?,
                    recipient: r.recipient,
                    body: r.body,
                    created_at: from_db_time(r.created_at),
                })
            })
            .collect()
    }

    /// Records that `subject` proved it owns `destination`.
    pub fn record_verified_contact(
        &mut self,
        subject: &str,
        channel: Channel,
        destination: &str,
        at: OffsetDateTime,
    ) -> Result<(), DomainError> {
        diesel::delete(
            verified_contacts::table
                .filter(verified_contacts::subject.eq(subject))
                .filter(verified_contacts::channel.eq(channel.as_str()))
                .filter(verified_contacts::destination.eq(destination)),
        )
        .execute(self.conn)
        .db()?;
        diesel::insert_into(verified_contacts::table)
            .values((
                verified_contacts::subject.eq(subject),
                verified_contacts::channel.eq(channel.as_str()),
                verified_contacts::destination.eq(destination),
                verified_contacts::verified_at.eq(to_db_time(at)),
            ))
            .execute(self.conn)
            .db()?;
        Ok(())
    }

    /// The contacts `subject` has verified: (channel, destination, verified at).
    pub fn verified_contacts(
        &mut self,
        subject: &str,
    ) -> Result<Vec<(String, String, OffsetDateTime)>, DomainError> {
        let rows: Vec<(String, String, PrimitiveDateTime)> = verified_contacts::table
            .filter(verified_contacts::subject.eq(subject))
            .order((
                verified_contacts::channel.asc(),
                verified_contacts::destination.asc(),
            ))
            .select((
                verified_contacts::channel,
                verified_contacts::destination,
                verified_contacts::verified_at,
            ))
            .load(self.conn)
            .db()?;
        Ok(rows
            .into_iter()
            .map(|(c, d, t)| (c, d, from_db_time(t)))
            .collect())
    }
}
