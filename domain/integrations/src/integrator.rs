//! Integrator accounts: other agencies, job boards, employers' HR systems and city apps that
//! mirror Kapı's data. A system administrator issues an account and its API key; the key is
//! shown once and only its SHA-256 is kept (it is random and long, so a slow hash adds nothing).

use kapi_core::{
    clean_text, Actor, DomainError, EmployerId, FieldError, FieldErrors, IntegratorId, Page,
    PageRequest,
};
use rand::RngCore;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// An integrator account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Integrator {
    pub id: IntegratorId,
    pub name: String,
    /// When set, the account acts for this e-İzin employer: its work-permit feed and webhooks
    /// carry that employer's applications only.
    pub work_permit_employer: Option<EmployerId>,
    /// The key's first characters, to tell keys apart in lists.
    pub key_prefix: String,
    pub created_by: String,
    pub created_at: OffsetDateTime,
    pub revoked_at: Option<OffsetDateTime>,
}

/// A freshly issued API key: `kapi_` and 48 hex digits. Shown once.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ApiKey({}…)", key_prefix(&self.0))
    }
}

impl ApiKey {
    pub fn generate() -> Self {
        let mut bytes = [0u8; 24];
        rand::thread_rng().fill_bytes(&mut bytes);
        ApiKey(format!("kapi_{}", hex::encode(bytes)))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// What the store keeps of a key.
pub fn key_hash(raw: &str) -> String {
    hex::encode(Sha256::digest(raw.as_bytes()))
}

fn key_prefix(raw: &str) -> String {
    raw.chars().take(9).collect()
}

/// Where integrator accounts live.
pub trait IntegratorStore {
    fn insert_integrator(&mut self, i: &Integrator, key_sha256: &str) -> Result<(), DomainError>;
    fn integrator(&mut self, id: IntegratorId) -> Result<Option<Integrator>, DomainError>;
    fn integrator_by_key(&mut self, key_sha256: &str) -> Result<Option<Integrator>, DomainError>;
    fn integrators(&mut self, page: PageRequest) -> Result<Page<Integrator>, DomainError>;
    fn revoke_integrator(
        &mut self,
        id: IntegratorId,
        at: OffsetDateTime,
    ) -> Result<(), DomainError>;
    fn work_permit_employer_exists(&mut self, id: EmployerId) -> Result<bool, DomainError>;
}

/// A new account's details.
#[derive(Debug, Clone, Default)]
pub struct IntegratorInput {
    pub name: Option<String>,
    pub work_permit_employer_id: Option<String>,
}

fn admin_only(actor: &Actor) -> Result<(), DomainError> {
    match actor {
        Actor::SystemAdmin { .. } => Ok(()),
        _ => Err(DomainError::forbidden(
            "integrator.forbidden",
            "Only a system administrator manages integrator accounts.",
        )),
    }
}

/// Issues an account and its key (system administrators only).
pub fn create_integrator(
    store: &mut impl IntegratorStore,
    actor: &Actor,
    input: IntegratorInput,
    now: OffsetDateTime,
) -> Result<(Integrator, ApiKey), DomainError> {
    admin_only(actor)?;
    let mut errors = FieldErrors::new();
    let name = match input.name.as_deref() {
        Some(raw) => errors.take("name", clean_text("name", raw, 2, 100)),
        None => {
            errors.push(FieldError::new(
                "name",
                "integrator.name",
                "name is required.",
            ));
            None
        }
    };
    let employer = match input.work_permit_employer_id.as_deref() {
        None => None,
        Some(raw) => match raw.parse::<EmployerId>() {
            Ok(id) if store.work_permit_employer_exists(id)? => Some(id),
            _ => {
                errors.push(FieldError::new(
                    "work_permit_employer_id",
                    "integrator.unknown_employer",
                    "work_permit_employer_id is the id of a registered e-İzin employer.",
                ));
                None
            }
        },
    };
    errors.finish()?;
    let key = ApiKey::generate();
    let integrator = Integrator {
        id: IntegratorId::new(),
        name: name.unwrap_or_default(),
        work_permit_employer: employer,
        key_prefix: key_prefix(key.expose()),
        created_by: actor.audit_label(),
        created_at: now,
        revoked_at: None,
    };
    store.insert_integrator(&integrator, &key_hash(key.expose()))?;
    Ok((integrator, key))
}

/// The accounts, newest first (system administrators only).
pub fn list_integrators(
    store: &mut impl IntegratorStore,
    actor: &Actor,
    page: PageRequest,
) -> Result<Page<Integrator>, DomainError> {
    admin_only(actor)?;
    store.integrators(page)
}

/// Revokes an account: its key stops working at once and its webhooks stop.
pub fn revoke_integrator(
    store: &mut impl IntegratorStore,
    actor: &Actor,
    id: IntegratorId,
    now: OffsetDateTime,
) -> Result<Integrator, DomainError> {
    admin_only(actor)?;
    let mut i = store
        .integrator(id)?
        .ok_or_else(|| DomainError::not_found("integrator.not_found", "No such integrator."))?;
    if i.revoked_at.is_none() {
        store.revoke_integrator(id, now)?;
        i.revoked_at = Some(now);
    }
    Ok(i)
}

/// The account a key belongs to; unknown and revoked keys are refused alike.
pub fn authenticate(
    store: &mut impl IntegratorStore,
    raw: &str,
) -> Result<Integrator, DomainError> {
    let invalid = || {
        DomainError::unauthenticated(
            "integrator.invalid_api_key",
            "The API key is unknown or revoked.",
        )
    };
    if raw.is_empty() || raw.len() > 200 {
        return Err(invalid());
    }
    match store.integrator_by_key(&key_hash(raw))? {
        Some(i) if i.revoked_at.is_none() => Ok(i),
        _ => Err(invalid()),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use kapi_core::{ErrorKind, StaffAccountId};
    use time::macros::datetime;

    #[derive(Default)]
    pub(crate) struct Fake {
        pub rows: Vec<(Integrator, String)>,
        pub employers: Vec<EmployerId>,
    }

    impl IntegratorStore for Fake {
        fn insert_integrator(&mut self, i: &Integrator, key: &str) -> Result<(), DomainError> {
            self.rows.push((i.clone(), key.to_owned()));
            Ok(())
        }
        fn integrator(&mut self, id: IntegratorId) -> Result<Option<Integrator>, DomainError> {
            Ok(self.rows.iter().find(|r| r.0.id == id).map(|r| r.0.clone()))
        }
        fn integrator_by_key(&mut self, key: &str) -> Result<Option<Integrator>, DomainError> {
            Ok(self.rows.iter().find(|r| r.1 == key).map(|r| r.0.clone()))
        }
        fn integrators(&mut self, page: PageRequest) -> Result<Page<Integrator>, DomainError> {
            let items: Vec<Integrator> = self.rows.iter().rev().map(|r| r.0.clone()).collect();
            let total = items.len() as u64;
            Ok(Page::new(items, page, total))
        }
        fn revoke_integrator(
            &mut self,
            id: IntegratorId,
            at: OffsetDateTime,
        ) -> Result<(), DomainError> {
            for r in &mut self.rows {
                if r.0.id == id {
                    r.0.revoked_at = Some(at);
                }
            }
            Ok(())
        }
        fn work_permit_employer_exists(&mut self, id: EmployerId) -> Result<bool, DomainError> {
            Ok(self.employers.contains(&id))
        }
    }

    pub(crate) fn admin() -> Actor {
        Actor::SystemAdmin {
            account_id: StaffAccountId::new(),
        }
    }

    const NOW: OffsetDateTime = datetime!(2026-12-03 10:00 UTC);

    #[test]
    fn an_admin_issues_a_key_that_authenticates_until_revoked() {
        let mut store = Fake::default();
        let input = IntegratorInput {
            name: Some("  Ankara  Büyükşehir ".into()),
            work_permit_employer_id: None,
        };
        let (i, key) = create_integrator(&mut store, &admin(), input, NOW).expect("created");
        assert_eq!(i.name, "Ankara Büyükşehir");
        assert!(key.expose().starts_with("kapi_") && key.expose().len() == 53);
        assert_eq!(i.key_prefix, &key.expose()[..9]);
        // Only the hash is kept.
        assert_ne!(store.rows[0].1, key.expose());
        assert_eq!(
            authenticate(&mut store, key.expose()).map(|x| x.id).ok(),
            Some(i.id)
        );
        let e = authenticate(&mut store, "kapi_nope").expect_err("unknown");
        assert_eq!(e.code, "integrator.invalid_api_key");
        revoke_integrator(&mut store, &admin(), i.id, NOW).expect("revoked");
        let e = authenticate(&mut store, key.expose()).expect_err("revoked");
        assert_eq!(e.kind, ErrorKind::Unauthenticated);
    }

    #[test]
    fn only_an_admin_and_only_with_a_name_and_a_known_employer() {
        let mut store = Fake::default();
        let known = EmployerId::new();
        store.employers.push(known);
        let citizen = Actor::Citizen {
            tckn: kapi_core::Tckn::parse("10000000146").expect("tckn"),
        };
        let e = create_integrator(&mut store, &citizen, IntegratorInput::default(), NOW)
            .expect_err("citizen");
        assert_eq!(e.kind, ErrorKind::Forbidden);
        let e = create_integrator(
            &mut store,
            &admin(),
            IntegratorInput {
                name: Some("x".into()),
                work_permit_employer_id: Some(EmployerId::new().to_string()),
            },
            NOW,
        )
        .expect_err("invalid");
        let fields: Vec<&str> = e.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, vec!["name", "work_permit_employer_id"]);
        assert!(store.rows.is_empty());
        let (i, _) = create_integrator(
            &mut store,
            &admin(),
            IntegratorInput {
                name: Some("ACME İK".into()),
                work_permit_employer_id: Some(known.to_string()),
            },
            NOW,
        )
        .expect("bound");
        assert_eq!(i.work_permit_employer, Some(known));
    }
}
