//! What the use-case tests' in-memory stores share: the applications map, version-checked
//! like the real store, and the append-only history.

use crate::application::WorkPermitApplication;
use kapi_core::{Actor, DomainError, EmployerId, HistoryEntry, StaffAccountId, Tckn, WorkPermitId};
use std::collections::HashMap;

pub type Apps = HashMap<WorkPermitId, WorkPermitApplication>;

pub fn insert(apps: &mut Apps, a: &WorkPermitApplication) -> Result<(), DomainError> {
    apps.insert(a.id, a.clone());
    Ok(())
}

pub fn get(apps: &Apps, id: WorkPermitId) -> Result<Option<WorkPermitApplication>, DomainError> {
    Ok(apps.get(&id).cloned())
}

/// Replaces the stored application when its version is `expected`.
pub fn update(
    apps: &mut Apps,
    a: &WorkPermitApplication,
    expected: i64,
) -> Result<bool, DomainError> {
    match apps.get(&a.id) {
        Some(old) if old.version == expected => {
            apps.insert(a.id, a.clone());
            Ok(true)
        }
        _ => Ok(false),
    }
}

pub fn append(history: &mut Vec<HistoryEntry>, e: &HistoryEntry) -> Result<(), DomainError> {
    history.push(e.clone());
    Ok(())
}

/// The resource's history, in order.
pub fn history(history: &[HistoryEntry], id: &str) -> Result<Vec<HistoryEntry>, DomainError> {
    Ok(history
        .iter()
        .filter(|h| h.resource_id == id)
        .cloned()
        .collect())
}

/// A TCKN from its first nine digits (the check digits computed).
pub fn tckn(nine: &str) -> Tckn {
    Tckn::parse(&kapi_core::with_tckn_checksum(nine).unwrap()).unwrap()
}

/// A ministry evaluator.
pub fn staff() -> Actor {
    Actor::MinistryStaff {
        account_id: StaffAccountId::new(),
    }
}

/// The one employer record of the later-stage tests.
pub fn employer() -> EmployerId {
    EmployerId::from_uuid(uuid::Uuid::from_u128(7))
}
