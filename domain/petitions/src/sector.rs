//! Working sectors (çalışma sektörü) of Açık Kapı — seed 004 §6.3.
//!
//! Citizens pick their working sector on the petition form; the list is ordered ("Sıra")
//! and administered nationally. Rules:
//! - a name is 2–100 characters and unique after the Turkish search fold, so "BİLİŞİM"
//!   and "Bilişim" cannot both exist;
//! - positions are always 1..=n without gaps; creating at or moving to a position shifts
//!   the others, deleting closes the gap;
//! - a sector that a petition uses cannot be deleted (rename it instead);
//! - only a system administrator changes the list (the sectors are one national list, so
//!   a province's administrator, who manages that province's users, may not);
//! - every change checks the version the client last saw when it sends one (`If-Match`).

use kapi_core::{
    search_fold, Actor, DomainError, FieldError, HistoryEntry, HistoryLog, Page, PageRequest,
    SectorId,
};
use time::OffsetDateTime;

/// A sector's name: trimmed, inner white space collapsed, 2–100 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SectorName(String);

impl SectorName {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let collapsed = s.split_whitespace().collect::<Vec<_>>().join(" ");
        let n = collapsed.chars().count();
        if n < 2 {
            return Err(FieldError::new(
                "name",
                "sector.name_too_short",
                "A sector name has at least 2 characters.",
            ));
        }
        if n > 100 {
            return Err(FieldError::new(
                "name",
                "sector.name_too_long",
                "A sector name has at most 100 characters.",
            ));
        }
        if collapsed.chars().any(char::is_control) {
            return Err(FieldError::new(
                "name",
                "sector.name_invalid",
                "A sector name cannot contain control characters.",
            ));
        }
        Ok(Self(collapsed))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The Turkish-folded key that must be unique.
    pub fn search_key(&self) -> String {
        search_fold(&self.0)
    }
}

/// A sector as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sector {
    pub id: SectorId,
    pub name: SectorName,
    /// 1-based place in the list ("Sıra").
    pub position: u32,
    pub version: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// What the sector use cases need from storage. Implementations run inside one transaction;
/// every change is also appended to the sector's history.
pub trait SectorStore: HistoryLog {
    /// Serialises writers of the ordered list until the transaction ends.
    fn lock_list(&mut self) -> Result<(), DomainError>;
    /// A page of sectors in list order, optionally only those whose folded name contains `folded_query`.
    fn page(
        &mut self,
        folded_query: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<Sector>, DomainError>;
    /// Every sector in list order.
    fn all(&mut self) -> Result<Vec<Sector>, DomainError>;
    fn get(&mut self, id: SectorId) -> Result<Option<Sector>, DomainError>;
    fn find_by_key(&mut self, search_key: &str) -> Result<Option<Sector>, DomainError>;
    fn insert(&mut self, sector: &Sector) -> Result<(), DomainError>;
    /// Writes `sector` if the stored version is still `expected_version`; `false` otherwise.
    fn update(&mut self, sector: &Sector, expected_version: i64) -> Result<bool, DomainError>;
    /// Deletes if the stored version is still `expected_version`; `false` otherwise.
    fn delete(&mut self, id: SectorId, expected_version: i64) -> Result<bool, DomainError>;
    /// Whether any petition refers to the sector.
    fn is_in_use(&mut self, id: SectorId) -> Result<bool, DomainError>;
}

/// Input of [`create_sector`].
#[derive(Debug, Clone)]
pub struct NewSector {
    pub name: SectorName,
    /// Where to insert; `None` appends at the end.
    pub position: Option<u32>,
}

/// Input of [`update_sector`]: rename, move, or both.
#[derive(Debug, Clone, Default)]
pub struct SectorChange {
    pub name: Option<SectorName>,
    pub position: Option<u32>,
}

fn require_admin(actor: &Actor) -> Result<(), DomainError> {
    match actor {
        Actor::SystemAdmin { .. } => Ok(()),
        _ => Err(DomainError::forbidden(
            "sector.admin_only",
            "Only a system administrator may change the sector list.",
        )),
    }
}

fn not_found() -> DomainError {
    DomainError::not_found("sector.not_found", "No such sector.")
}

fn check_unique(
    store: &mut impl SectorStore,
    name: &SectorName,
    except: Option<SectorId>,
) -> Result<(), DomainError> {
    match store.find_by_key(&name.search_key())? {
        Some(other) if Some(other.id) != except => Err(DomainError::field(FieldError::new(
            "name",
            "sector.name_taken",
            format!("A sector named \"{}\" already exists.", other.name.as_str()),
        ))),
        _ => Ok(()),
    }
}

fn check_position(position: u32, max: usize) -> Result<(), DomainError> {
    if position == 0 || position as usize > max {
        return Err(DomainError::field(FieldError::new(
            "position",
            "sector.position_out_of_range",
            format!("position is from 1 to {max}."),
        )));
    }
    Ok(())
}

/// Rewrites positions 1..=n in the given order, bumping the version of each row that moved.
fn renumber(
    store: &mut impl SectorStore,
    ordered: Vec<Sector>,
    skip: Option<SectorId>,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    for (i, mut s) in ordered.into_iter().enumerate() {
        let want = i as u32 + 1;
        if s.position != want && Some(s.id) != skip {
            let expected = s.version;
            s.position = want;
            s.version += 1;
            s.updated_at = now;
            if !store.update(&s, expected)? {
                return Err(DomainError::stale("sector list"));
            }
        }
    }
    Ok(())
}

const KIND: &str = "sector";

fn record(
    store: &mut impl SectorStore,
    actor: &Actor,
    id: SectorId,
    from: Option<&str>,
    to: &str,
    note: String,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    store.append(&HistoryEntry {
        resource_kind: KIND.to_owned(),
        resource_id: id.to_string(),
        at: now,
        actor: actor.audit_label(),
        from_state: from.map(str::to_owned),
        to_state: to.to_owned(),
        note: Some(note),
    })
}

/// A sector's history, oldest first; readable after deletion (system administrator).
pub fn sector_history(
    store: &mut impl SectorStore,
    actor: &Actor,
    id: SectorId,
) -> Result<Vec<HistoryEntry>, DomainError> {
    require_admin(actor)?;
    let entries = store.history(KIND, &id.to_string())?;
    if entries.is_empty() {
        return Err(not_found());
    }
    Ok(entries)
}

/// Lists sectors in order; `query` matches anywhere in the name, Turkish-folded.
pub fn list_sectors(
    store: &mut impl SectorStore,
    query: Option<&str>,
    page: PageRequest,
) -> Result<Page<Sector>, DomainError> {
    let folded = query.map(search_fold).filter(|q| !q.is_empty());
    store.page(folded.as_deref(), page)
}

pub fn get_sector(store: &mut impl SectorStore, id: SectorId) -> Result<Sector, DomainError> {
    store.get(id)?.ok_or_else(not_found)
}

pub fn create_sector(
    store: &mut impl SectorStore,
    actor: &Actor,
    cmd: NewSector,
    now: OffsetDateTime,
) -> Result<Sector, DomainError> {
    require_admin(actor)?;
    store.lock_list()?;
    check_unique(store, &cmd.name, None)?;
    let mut all = store.all()?;
    let position = cmd.position.unwrap_or(all.len() as u32 + 1);
    check_position(position, all.len() + 1)?;
    let sector = Sector {
        id: SectorId::new(),
        name: cmd.name,
        position,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    // Make room first: shift the tail, then insert.
    let tail: Vec<Sector> = all.split_off(position as usize - 1);
    for mut s in tail.into_iter().rev() {
        let expected = s.version;
        s.position += 1;
        s.version += 1;
        s.updated_at = now;
        if !store.update(&s, expected)? {
            return Err(DomainError::stale("sector list"));
        }
    }
    store.insert(&sector)?;
    record(
        store,
        actor,
        sector.id,
        None,
        "active",
        format!(
            "Eklendi: {} (sıra {})",
            sector.name.as_str(),
            sector.position
        ),
        now,
    )?;
    Ok(sector)
}

pub fn update_sector(
    store: &mut impl SectorStore,
    actor: &Actor,
    id: SectorId,
    change: SectorChange,
    if_match: Option<i64>,
    now: OffsetDateTime,
) -> Result<Sector, DomainError> {
    require_admin(actor)?;
    store.lock_list()?;
    let current = store.get(id)?.ok_or_else(not_found)?;
    if let Some(v) = if_match {
        if v != current.version {
            return Err(DomainError::stale("sector"));
        }
    }
    let mut next = current.clone();
    if let Some(name) = change.name {
        check_unique(store, &name, Some(id))?;
        next.name = name;
    }
    if let Some(position) = change.position {
        let mut all = store.all()?;
        check_position(position, all.len())?;
        if position != current.position {
            all.retain(|s| s.id != id);
            all.insert(position as usize - 1, current.clone());
            renumber(store, all, Some(id), now)?;
            next.position = position;
        }
    }
    if next == current {
        return Ok(current);
    }
    next.version = current.version + 1;
    next.updated_at = now;
    if !store.update(&next, current.version)? {
        return Err(DomainError::stale("sector"));
    }
    let mut changes = Vec::new();
    if next.name != current.name {
        changes.push(format!(
            "ad: {} → {}",
            current.name.as_str(),
            next.name.as_str()
        ));
    }
    if next.position != current.position {
        changes.push(format!("sıra: {} → {}", current.position, next.position));
    }
    record(
        store,
        actor,
        id,
        Some("active"),
        "active",
        format!("Güncellendi: {}", changes.join("; ")),
        now,
    )?;
    Ok(next)
}

pub fn delete_sector(
    store: &mut impl SectorStore,
    actor: &Actor,
    id: SectorId,
    if_match: Option<i64>,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    require_admin(actor)?;
    store.lock_list()?;
    let current = store.get(id)?.ok_or_else(not_found)?;
    if let Some(v) = if_match {
        if v != current.version {
            return Err(DomainError::stale("sector"));
        }
    }
    if store.is_in_use(id)? {
        return Err(DomainError::conflict(
            "sector.in_use",
            "Petitions refer to this sector, so it cannot be deleted; rename it instead.",
        ));
    }
    if !store.delete(id, current.version)? {
        return Err(DomainError::stale("sector"));
    }
    record(
        store,
        actor,
        id,
        Some("active"),
        "deleted",
        format!("Silindi: {}", current.name.as_str()),
        now,
    )?;
    let rest = store.all()?;
    renumber(store, rest, None, now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kapi_core::{ErrorKind, StaffAccountId, Tckn};
    use std::collections::{BTreeMap, HashSet};
    use time::macros::datetime;

    #[derive(Default)]
    struct Fake {
        rows: BTreeMap<SectorId, Sector>,
        in_use: HashSet<SectorId>,
        locked: bool,
        log: Vec<HistoryEntry>,
    }

    impl HistoryLog for Fake {
        fn append(&mut self, e: &HistoryEntry) -> Result<(), DomainError> {
            self.log.push(e.clone());
            Ok(())
        }
        fn history(&mut self, kind: &str, id: &str) -> Result<Vec<HistoryEntry>, DomainError> {
            Ok(self
                .log
                .iter()
                .filter(|e| e.resource_kind == kind && e.resource_id == id)
                .cloned()
                .collect())
        }
    }

    impl SectorStore for Fake {
        fn lock_list(&mut self) -> Result<(), DomainError> {
            self.locked = true;
            Ok(())
        }
        fn page(
            &mut self,
            q: Option<&str>,
            page: PageRequest,
        ) -> Result<Page<Sector>, DomainError> {
            let all: Vec<Sector> = self
                .all()?
                .into_iter()
                .filter(|s| q.is_none_or(|q| s.name.search_key().contains(q)))
                .collect();
            let total = all.len() as u64;
            let items = all
                .into_iter()
                .skip(page.offset() as usize)
                .take(page.limit() as usize)
                .collect();
            Ok(Page::new(items, page, total))
        }
        fn all(&mut self) -> Result<Vec<Sector>, DomainError> {
            let mut v: Vec<Sector> = self.rows.values().cloned().collect();
            v.sort_by_key(|s| s.position);
            Ok(v)
        }
        fn get(&mut self, id: SectorId) -> Result<Option<Sector>, DomainError> {
            Ok(self.rows.get(&id).cloned())
        }
        fn find_by_key(&mut self, key: &str) -> Result<Option<Sector>, DomainError> {
            Ok(self
                .rows
                .values()
                .find(|s| s.name.search_key() == key)
                .cloned())
        }
        fn insert(&mut self, s: &Sector) -> Result<(), DomainError> {
            assert!(self.locked, "writes happen under the list lock");
            self.rows.insert(s.id, s.clone());
            Ok(())
        }
        fn update(&mut self, s: &Sector, expected: i64) -> Result<bool, DomainError> {
            match self.rows.get_mut(&s.id) {
                Some(row) if row.version == expected => {
                    *row = s.clone();
                    Ok(true)
                }
                _ => Ok(false),
            }
        }
        fn delete(&mut self, id: SectorId, expected: i64) -> Result<bool, DomainError> {
            match self.rows.get(&id) {
                Some(row) if row.version == expected => {
                    self.rows.remove(&id);
                    Ok(true)
                }
                _ => Ok(false),
            }
        }
        fn is_in_use(&mut self, id: SectorId) -> Result<bool, DomainError> {
            Ok(self.in_use.contains(&id))
        }
    }

    const NOW: OffsetDateTime = datetime!(2026-11-23 10:00 UTC);

    fn admin() -> Actor {
        Actor::SystemAdmin {
            account_id: StaffAccountId::new(),
        }
    }

    fn name(s: &str) -> SectorName {
        SectorName::parse(s).unwrap()
    }

    fn seeded(names: &[&str]) -> (Fake, Vec<SectorId>) {
        let mut f = Fake::default();
        let ids = names
            .iter()
            .map(|n| {
                create_sector(
                    &mut f,
                    &admin(),
                    NewSector {
                        name: name(n),
                        position: None,
                    },
                    NOW,
                )
                .unwrap()
                .id
            })
            .collect();
        (f, ids)
    }

    fn order(f: &mut Fake) -> Vec<(String, u32)> {
        f.all()
            .unwrap()
            .into_iter()
            .map(|s| (s.name.as_str().to_owned(), s.position))
            .collect()
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(name("  Basım   Yayın ").as_str(), "Basım Yayın");
        assert_eq!(
            SectorName::parse("A").unwrap_err().code,
            "sector.name_too_short"
        );
        assert_eq!(
            SectorName::parse(&"x".repeat(101)).unwrap_err().code,
            "sector.name_too_long"
        );
        assert!(SectorName::parse(&"ş".repeat(100)).is_ok());
        assert_eq!(
            SectorName::parse("a\u{0007}b").unwrap_err().code,
            "sector.name_invalid"
        );
    }

    #[test]
    fn create_appends_or_inserts_and_shifts() {
        let (mut f, _) = seeded(&["Bankacılık", "Bilişim"]);
        create_sector(
            &mut f,
            &admin(),
            NewSector {
                name: name("Çalışmıyor"),
                position: Some(1),
            },
            NOW,
        )
        .unwrap();
        assert_eq!(
            order(&mut f),
            vec![
                ("Çalışmıyor".into(), 1),
                ("Bankacılık".into(), 2),
                ("Bilişim".into(), 3)
            ]
        );
        let e = create_sector(
            &mut f,
            &admin(),
            NewSector {
                name: name("Çevre"),
                position: Some(5),
            },
            NOW,
        )
        .unwrap_err();
        assert_eq!(e.fields[0].code, "sector.position_out_of_range");
        create_sector(
            &mut f,
            &admin(),
            NewSector {
                name: name("Çevre"),
                position: Some(4),
            },
            NOW,
        )
        .unwrap();
        assert_eq!(order(&mut f).last().unwrap(), &("Çevre".to_owned(), 4));
    }

    #[test]
    fn names_are_unique_after_turkish_fold() {
        let (mut f, ids) = seeded(&["Bilişim"]);
        for dup in ["BİLİŞİM", "bilisim", "  Bilişim "] {
            let e = create_sector(
                &mut f,
                &admin(),
                NewSector {
                    name: name(dup),
                    position: None,
                },
                NOW,
            )
            .unwrap_err();
            assert_eq!(
                (
                    e.kind,
                    e.fields[0].field.as_str(),
                    e.fields[0].code.as_ref()
                ),
                (ErrorKind::Invalid, "name", "sector.name_taken")
            );
        }
        // Renaming a sector to its own name in another case is allowed.
        let s = update_sector(
            &mut f,
            &admin(),
            ids[0],
            SectorChange {
                name: Some(name("BİLİŞİM")),
                position: None,
            },
            None,
            NOW,
        )
        .unwrap();
        assert_eq!(s.name.as_str(), "BİLİŞİM");
        assert_eq!(s.version, 2);
    }

    #[test]
    fn only_a_system_admin_changes_the_list() {
        let (mut f, ids) = seeded(&["Bilişim"]);
        let others = [
            Actor::Citizen {
                tckn: Tckn::parse("10000000146").unwrap(),
            },
            Actor::ProvinceAdmin {
                account_id: StaffAccountId::new(),
                province: kapi_core::ProvinceCode::new(6).unwrap(),
            },
        ];
        for actor in &others {
            let e = create_sector(
                &mut f,
                actor,
                NewSector {
                    name: name("Çevre"),
                    position: None,
                },
                NOW,
            )
            .unwrap_err();
            assert_eq!(
                (e.kind, e.code.as_ref()),
                (ErrorKind::Forbidden, "sector.admin_only")
            );
            assert_eq!(
                update_sector(&mut f, actor, ids[0], SectorChange::default(), None, NOW)
                    .unwrap_err()
                    .kind,
                ErrorKind::Forbidden
            );
            assert_eq!(
                delete_sector(&mut f, actor, ids[0], None, NOW)
                    .unwrap_err()
                    .kind,
                ErrorKind::Forbidden
            );
        }
        assert_eq!(f.rows.len(), 1);
    }

    #[test]
    fn move_reorders_without_gaps() {
        let (mut f, ids) = seeded(&["A1", "B2", "C3", "D4"]);
        let moved = update_sector(
            &mut f,
            &admin(),
            ids[3],
            SectorChange {
                name: None,
                position: Some(2),
            },
            Some(1),
            NOW,
        )
        .unwrap();
        assert_eq!(moved.position, 2);
        assert_eq!(
            order(&mut f),
            vec![
                ("A1".into(), 1),
                ("D4".into(), 2),
                ("B2".into(), 3),
                ("C3".into(), 4)
            ]
        );
        update_sector(
            &mut f,
            &admin(),
            ids[0],
            SectorChange {
                name: None,
                position: Some(4),
            },
            None,
            NOW,
        )
        .unwrap();
        assert_eq!(
            order(&mut f),
            vec![
                ("D4".into(), 1),
                ("B2".into(), 2),
                ("C3".into(), 3),
                ("A1".into(), 4)
            ]
        );
        let e = update_sector(
            &mut f,
            &admin(),
            ids[0],
            SectorChange {
                name: None,
                position: Some(5),
            },
            None,
            NOW,
        )
        .unwrap_err();
        assert_eq!(e.fields[0].code, "sector.position_out_of_range");
    }

    #[test]
    fn stale_version_is_refused() {
        let (mut f, ids) = seeded(&["Bilişim"]);
        let e = update_sector(
            &mut f,
            &admin(),
            ids[0],
            SectorChange {
                name: Some(name("Bilgi")),
                position: None,
            },
            Some(7),
            NOW,
        )
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::PreconditionFailed);
        assert_eq!(
            delete_sector(&mut f, &admin(), ids[0], Some(7), NOW)
                .unwrap_err()
                .kind,
            ErrorKind::PreconditionFailed
        );
        assert_eq!(f.rows[&ids[0]].name.as_str(), "Bilişim");
    }

    #[test]
    fn delete_closes_the_gap_and_refuses_a_sector_in_use() {
        let (mut f, ids) = seeded(&["A1", "B2", "C3"]);
        f.in_use.insert(ids[2]);
        let e = delete_sector(&mut f, &admin(), ids[2], None, NOW).unwrap_err();
        assert_eq!(
            (e.kind, e.code.as_ref()),
            (ErrorKind::Conflict, "sector.in_use")
        );
        delete_sector(&mut f, &admin(), ids[0], Some(1), NOW).unwrap();
        assert_eq!(order(&mut f), vec![("B2".into(), 1), ("C3".into(), 2)]);
        assert_eq!(
            delete_sector(&mut f, &admin(), ids[0], None, NOW)
                .unwrap_err()
                .kind,
            ErrorKind::NotFound
        );
    }

    #[test]
    fn every_change_is_in_the_history_even_after_delete() {
        let (mut f, ids) = seeded(&["A1", "B2"]);
        update_sector(
            &mut f,
            &admin(),
            ids[0],
            SectorChange {
                name: Some(name("A One")),
                position: Some(2),
            },
            None,
            NOW,
        )
        .unwrap();
        delete_sector(&mut f, &admin(), ids[0], None, NOW).unwrap();
        let h = sector_history(&mut f, &admin(), ids[0]).unwrap();
        let states: Vec<(Option<&str>, &str)> = h
            .iter()
            .map(|e| (e.from_state.as_deref(), e.to_state.as_str()))
            .collect();
        assert_eq!(
            states,
            vec![
                (None, "active"),
                (Some("active"), "active"),
                (Some("active"), "deleted")
            ]
        );
        assert_eq!(
            h[1].note.as_deref(),
            Some("Güncellendi: ad: A1 → A One; sıra: 1 → 2")
        );
        assert!(h[0].actor.starts_with("system_admin:"));
        let citizen = Actor::Citizen {
            tckn: Tckn::parse("10000000146").unwrap(),
        };
        assert_eq!(
            sector_history(&mut f, &citizen, ids[1]).unwrap_err().kind,
            ErrorKind::Forbidden
        );
        assert_eq!(
            sector_history(&mut f, &admin(), SectorId::new())
                .unwrap_err()
                .kind,
            ErrorKind::NotFound
        );
    }

    #[test]
    fn list_filters_by_folded_query() {
        let (mut f, _) = seeded(&["Bilişim", "Basım Yayın - Matbaacılık", "Çevre"]);
        let p = list_sectors(&mut f, Some("BILIS"), PageRequest::first()).unwrap();
        assert_eq!(p.items.len(), 1);
        assert_eq!(p.items[0].name.as_str(), "Bilişim");
        let p = list_sectors(&mut f, Some("cevre"), PageRequest::first()).unwrap();
        assert_eq!(p.total, 1);
        let p = list_sectors(
            &mut f,
            Some("  "),
            PageRequest::new(Some(2), Some(2)).unwrap(),
        )
        .unwrap();
        assert_eq!((p.total, p.items.len()), (3, 1));
    }
}
