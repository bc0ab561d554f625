//! Mass-layoff use cases with employer scoping.
//!
//! - Only a user of the employer with the mass-layoff permission (or its admin) creates and
//!   changes the employer's notices; another employer's notice is "not found".
//! - Every workplace in the details must belong to the employer (head office or branch).
//! - İŞKUR staff read every notice (the İŞKUR view); they do not change them.
//! - Each save returns the advice of [`crate::assessment`] as warnings: whether the numbers
//!   meet art. 29 (workplace size from its latest workforce chart) and whether the layoff
//!   date is less than 30 days after the notification.

use crate::assessment::{art29, notice_too_short, Art29};
use crate::notice::{notify, revise, LayoffInput, LayoffNotice};
use kapi_core::{
    Actor, DomainError, EmployerId, HistoryEntry, HistoryLog, Page, PageRequest, WorkplaceId,
};
use time::OffsetDateTime;
use uuid::Uuid;

/// A stored notice with its owner, id and version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredNotice {
    pub id: Uuid,
    pub employer_id: EmployerId,
    pub notice: LayoffNotice,
    pub version: i64,
}

/// Advice returned with a save; never blocks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    /// The dismissals at this workplace do not reach art. 29's threshold.
    BelowArt29Threshold {
        workplace_id: WorkplaceId,
        workforce: u32,
        dismissed: u32,
        threshold: u32,
    },
    /// The workplace has fewer than 20 workers: art. 29 does not apply.
    Art29NotApplicable {
        workplace_id: WorkplaceId,
        workforce: u32,
    },
    /// No workforce chart yet, so the size is unknown.
    WorkforceUnknown { workplace_id: WorkplaceId },
    /// The layoff date is less than 30 days after the notification.
    NoticeShorterThan30Days,
}

/// What the use cases need from outside.
pub trait MassLayoffStore: HistoryLog {
    /// The employer's workplaces (head offices and branches).
    fn employer_workplaces(
        &mut self,
        employer: EmployerId,
    ) -> Result<Vec<WorkplaceId>, DomainError>;
    /// Month-end headcount of the workplace's latest workforce chart.
    fn latest_workforce(&mut self, workplace: WorkplaceId) -> Result<Option<u32>, DomainError>;
    fn insert(&mut self, n: &StoredNotice) -> Result<(), DomainError>;
    fn get(&mut self, id: Uuid) -> Result<Option<StoredNotice>, DomainError>;
    /// Writes if the stored version is still `expected`; `false` otherwise.
    fn update(&mut self, n: &StoredNotice, expected: i64) -> Result<bool, DomainError>;
    /// Notices of one employer, or all when `None`, newest first.
    fn page(
        &mut self,
        employer: Option<EmployerId>,
        page: PageRequest,
    ) -> Result<Page<StoredNotice>, DomainError>;
}

fn not_found() -> DomainError {
    DomainError::not_found("mass_layoff.not_found", "No such mass-layoff notice.")
}

/// The employer an actor may notify for.
fn acting_employer(actor: &Actor) -> Result<EmployerId, DomainError> {
    match actor {
        Actor::EmployerUser {
            employer_id,
            permissions,
            ..
        } if permissions.admin || permissions.mass_layoff => Ok(*employer_id),
        Actor::EmployerUser { .. } => Err(DomainError::forbidden(
            "mass_layoff.permission_missing",
            "Your user has no mass-layoff permission.",
        )),
        _ => Err(DomainError::forbidden(
            "mass_layoff.employers_only",
            "Only an employer's users notify mass layoffs.",
        )),
    }
}

fn check_workplaces(
    store: &mut impl MassLayoffStore,
    employer: EmployerId,
    input: &LayoffInput,
) -> Result<(), DomainError> {
    let own = store.employer_workplaces(employer)?;
    for (i, d) in input.details.iter().enumerate() {
        if !own.contains(&d.workplace_id) {
            return Err(DomainError::field(kapi_core::FieldError::new(
                format!("details[{i}].workplace_id"),
                "mass_layoff.unknown_workplace",
                "Not one of your workplaces.",
            )));
        }
    }
    Ok(())
}

fn advise(
    store: &mut impl MassLayoffStore,
    notice: &LayoffNotice,
) -> Result<Vec<Warning>, DomainError> {
    let mut warnings = Vec::new();
    for d in &notice.details {
        match store.latest_workforce(d.workplace_id)? {
            None => warnings.push(Warning::WorkforceUnknown {
                workplace_id: d.workplace_id,
            }),
            Some(workforce) => match art29(workforce, d.men + d.women) {
                Art29::NotApplicable { workforce } => warnings.push(Warning::Art29NotApplicable {
                    workplace_id: d.workplace_id,
                    workforce,
                }),
                Art29::Assessed {
                    is_mass_layoff: false,
                    workforce,
                    dismissed,
                    threshold,
                } => warnings.push(Warning::BelowArt29Threshold {
                    workplace_id: d.workplace_id,
                    workforce,
                    dismissed,
                    threshold,
                }),
                Art29::Assessed { .. } => {}
            },
        }
    }
    if notice_too_short(notice.notification_date, notice.layoff_date) {
        warnings.push(Warning::NoticeShorterThan30Days);
    }
    Ok(warnings)
}

fn record(
    store: &mut impl MassLayoffStore,
    actor: &Actor,
    id: Uuid,
    from: Option<&str>,
    note: String,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    store.append(&HistoryEntry {
        resource_kind: "mass_layoff".into(),
        resource_id: id.to_string(),
        at: now,
        actor: actor.audit_label(),
        from_state: from.map(str::to_owned),
        to_state: "notified".into(),
        note: Some(note),
    })
}

/// First save of a notice.
pub fn create_notice(
    store: &mut impl MassLayoffStore,
    actor: &Actor,
    input: LayoffInput,
    now: OffsetDateTime,
) -> Result<(StoredNotice, Vec<Warning>), DomainError> {
    let employer = acting_employer(actor)?;
    check_workplaces(store, employer, &input)?;
    let notice = notify(input, now)?;
    let stored = StoredNotice {
        id: Uuid::now_v7(),
        employer_id: employer,
        notice,
        version: 1,
    };
    store.insert(&stored)?;
    record(
        store,
        actor,
        stored.id,
        None,
        format!("Bildirildi: {} kişi", stored.notice.total()),
        now,
    )?;
    let warnings = advise(store, &stored.notice)?;
    Ok((stored, warnings))
}

/// A later save, within one month of the notification date.
pub fn revise_notice(
    store: &mut impl MassLayoffStore,
    actor: &Actor,
    id: Uuid,
    input: LayoffInput,
    if_match: Option<i64>,
    now: OffsetDateTime,
) -> Result<(StoredNotice, Vec<Warning>), DomainError> {
    let employer = acting_employer(actor)?;
    let current = store
        .get(id)?
        .filter(|n| n.employer_id == employer)
        .ok_or_else(not_found)?;
    if if_match.is_some_and(|v| v != current.version) {
        return Err(DomainError::stale("mass-layoff notice"));
    }
    check_workplaces(store, employer, &input)?;
    let notice = revise(&current.notice, input, now)?;
    let next = StoredNotice {
        notice,
        version: current.version + 1,
        ..current.clone()
    };
    if !store.update(&next, current.version)? {
        return Err(DomainError::stale("mass-layoff notice"));
    }
    record(
        store,
        actor,
        id,
        Some("notified"),
        format!(
            "Güncellendi: {} → {} kişi",
            current.notice.total(),
            next.notice.total()
        ),
        now,
    )?;
    let warnings = advise(store, &next.notice)?;
    Ok((next, warnings))
}

/// Whose notices `actor` may read: `None` = all (İŞKUR staff), or one employer's for its
/// users with the mass-layoff permission (or its admin).
fn reader(actor: &Actor) -> Result<Option<EmployerId>, DomainError> {
    match actor {
        Actor::IskurStaff { .. } => Ok(None),
        Actor::EmployerUser { .. } => acting_employer(actor).map(Some),
        _ => Err(DomainError::forbidden(
            "mass_layoff.not_allowed",
            "Only employers and İŞKUR staff see mass-layoff notices.",
        )),
    }
}

/// One notice: the employer's own, or any for İŞKUR staff.
pub fn get_notice(
    store: &mut impl MassLayoffStore,
    actor: &Actor,
    id: Uuid,
) -> Result<StoredNotice, DomainError> {
    let scope = reader(actor)?;
    store
        .get(id)?
        .filter(|n| scope.is_none_or(|e| e == n.employer_id))
        .ok_or_else(not_found)
}

/// The employer's notices, or all of them for İŞKUR staff.
pub fn list_notices(
    store: &mut impl MassLayoffStore,
    actor: &Actor,
    page: PageRequest,
) -> Result<Page<StoredNotice>, DomainError> {
    let scope = reader(actor)?;
    store.page(scope, page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notice::LayoffDetail;
    use kapi_core::{EmployerPermissions, ErrorKind, StaffAccountId, Tckn};
    use std::collections::HashMap;
    use time::macros::{date, datetime};

    #[derive(Default)]
    struct Fake {
        workplaces: HashMap<EmployerId, Vec<WorkplaceId>>,
        workforce: HashMap<WorkplaceId, u32>,
        notices: HashMap<Uuid, StoredNotice>,
        log: Vec<HistoryEntry>,
    }

    impl HistoryLog for Fake {
        fn append(&mut self, e: &HistoryEntry) -> Result<(), DomainError> {
            self.log.push(e.clone());
            Ok(())
        }
        fn history(&mut self, k: &str, id: &str) -> Result<Vec<HistoryEntry>, DomainError> {
            Ok(self
                .log
                .iter()
                .filter(|e| e.resource_kind == k && e.resource_id == id)
                .cloned()
                .collect())
        }
    }

    impl MassLayoffStore for Fake {
        fn employer_workplaces(&mut self, e: EmployerId) -> Result<Vec<WorkplaceId>, DomainError> {
            Ok(self.workplaces.get(&e).cloned().unwrap_or_default())
        }
        fn latest_workforce(&mut self, w: WorkplaceId) -> Result<Option<u32>, DomainError> {
            Ok(self.workforce.get(&w).copied())
        }
        fn insert(&mut self, n: &StoredNotice) -> Result<(), DomainError> {
            self.notices.insert(n.id, n.clone());
            Ok(())
        }
        fn get(&mut self, id: Uuid) -> Result<Option<StoredNotice>, DomainError> {
            Ok(self.notices.get(&id).cloned())
        }
        fn update(&mut self, n: &StoredNotice, expected: i64) -> Result<bool, DomainError> {
            match self.notices.get_mut(&n.id) {
                Some(cur) if cur.version == expected => {
                    *cur = n.clone();
                    Ok(true)
                }
                _ => Ok(false),
            }
        }
        fn page(
            &mut self,
            e: Option<EmployerId>,
            page: PageRequest,
        ) -> Result<Page<StoredNotice>, DomainError> {
            let items: Vec<StoredNotice> = self
                .notices
                .values()
                .filter(|n| e.is_none_or(|e| n.employer_id == e))
                .cloned()
                .collect();
            let total = items.len() as u64;
            Ok(Page::new(items, page, total))
        }
    }

    fn user(employer: EmployerId, mass_layoff: bool) -> Actor {
        Actor::EmployerUser {
            tckn: Tckn::parse("10000000146").unwrap(),
            employer_id: employer,
            workplace_id: None,
            permissions: EmployerPermissions {
                mass_layoff,
                ..Default::default()
            },
        }
    }

    fn setup() -> (Fake, EmployerId, WorkplaceId, WorkplaceId) {
        let mut f = Fake::default();
        let e = EmployerId::new();
        let (head, branch) = (WorkplaceId::new(), WorkplaceId::new());
        f.workplaces.insert(e, vec![head, branch]);
        f.workforce.insert(head, 80);
        f.workforce.insert(branch, 15);
        (f, e, head, branch)
    }

    fn input(details: Vec<LayoffDetail>) -> LayoffInput {
        LayoffInput {
            layoff_date: date!(2027 - 01 - 15),
            reason: "Ekonomik daralma".into(),
            details,
        }
    }

    const NOW: OffsetDateTime = datetime!(2026-11-23 10:00 +03:00);

    #[test]
    fn create_with_advice() {
        let (mut f, e, head, branch) = setup();
        let (n, warnings) = create_notice(
            &mut f,
            &user(e, true),
            input(vec![
                LayoffDetail {
                    workplace_id: head,
                    men: 6,
                    women: 3,
                },
                LayoffDetail {
                    workplace_id: branch,
                    men: 2,
                    women: 0,
                },
            ]),
            NOW,
        )
        .unwrap();
        assert_eq!(n.notice.total(), 11);
        assert_eq!(
            warnings,
            vec![
                Warning::BelowArt29Threshold {
                    workplace_id: head,
                    workforce: 80,
                    dismissed: 9,
                    threshold: 10
                },
                Warning::Art29NotApplicable {
                    workplace_id: branch,
                    workforce: 15
                },
            ]
        );
        assert_eq!(
            f.history("mass_layoff", &n.id.to_string()).unwrap().len(),
            1
        );
        let (_, warnings) = create_notice(
            &mut f,
            &user(e, true),
            LayoffInput {
                layoff_date: date!(2026 - 12 - 01),
                ..input(vec![LayoffDetail {
                    workplace_id: head,
                    men: 10,
                    women: 0,
                }])
            },
            NOW,
        )
        .unwrap();
        assert_eq!(warnings, vec![Warning::NoticeShorterThan30Days]);
    }

    #[test]
    fn permissions_and_workplace_ownership() {
        let (mut f, e, head, _) = setup();
        let d = vec![LayoffDetail {
            workplace_id: head,
            men: 10,
            women: 0,
        }];
        assert_eq!(
            create_notice(&mut f, &user(e, false), input(d.clone()), NOW)
                .unwrap_err()
                .code,
            "mass_layoff.permission_missing"
        );
        let staff = Actor::IskurStaff {
            account_id: StaffAccountId::new(),
            province: None,
        };
        assert_eq!(
            create_notice(&mut f, &staff, input(d.clone()), NOW)
                .unwrap_err()
                .kind,
            ErrorKind::Forbidden
        );
        let stranger = WorkplaceId::new();
        let e2 = create_notice(
            &mut f,
            &user(e, true),
            input(vec![LayoffDetail {
                workplace_id: stranger,
                men: 10,
                women: 0,
            }]),
            NOW,
        )
        .unwrap_err();
        assert_eq!(
            (e2.fields[0].field.as_str(), e2.fields[0].code.as_ref()),
            ("details[0].workplace_id", "mass_layoff.unknown_workplace")
        );
        assert!(f.notices.is_empty());
    }

    #[test]
    fn another_employers_notice_is_not_found_and_staff_see_all() {
        let (mut f, e, head, _) = setup();
        let (n, _) = create_notice(
            &mut f,
            &user(e, true),
            input(vec![LayoffDetail {
                workplace_id: head,
                men: 10,
                women: 0,
            }]),
            NOW,
        )
        .unwrap();
        let other = user(EmployerId::new(), true);
        assert_eq!(
            get_notice(&mut f, &other, n.id).unwrap_err().kind,
            ErrorKind::NotFound
        );
        assert_eq!(
            revise_notice(&mut f, &other, n.id, input(vec![]), None, NOW)
                .unwrap_err()
                .kind,
            ErrorKind::NotFound
        );
        assert_eq!(
            list_notices(&mut f, &other, PageRequest::first())
                .unwrap()
                .total,
            0
        );
        let staff = Actor::IskurStaff {
            account_id: StaffAccountId::new(),
            province: None,
        };
        assert_eq!(get_notice(&mut f, &staff, n.id).unwrap().id, n.id);
        assert_eq!(
            list_notices(&mut f, &staff, PageRequest::first())
                .unwrap()
                .total,
            1
        );
    }

    #[test]
    fn revise_inside_the_month_refused_after_and_on_stale_versions() {
        let (mut f, e, head, _) = setup();
        let me = user(e, true);
        let (n, _) = create_notice(
            &mut f,
            &me,
            input(vec![LayoffDetail {
                workplace_id: head,
                men: 10,
                women: 0,
            }]),
            NOW,
        )
        .unwrap();
        let (r, _) = revise_notice(
            &mut f,
            &me,
            n.id,
            input(vec![LayoffDetail {
                workplace_id: head,
                men: 12,
                women: 1,
            }]),
            Some(1),
            datetime!(2026-12-23 23:59 +03:00),
        )
        .unwrap();
        assert_eq!(
            (r.version, r.notice.total(), r.notice.notification_date),
            (2, 13, date!(2026 - 11 - 23))
        );
        assert_eq!(
            revise_notice(
                &mut f,
                &me,
                n.id,
                input(vec![LayoffDetail {
                    workplace_id: head,
                    men: 1,
                    women: 0
                }]),
                Some(1),
                NOW
            )
            .unwrap_err()
            .kind,
            ErrorKind::PreconditionFailed
        );
        let e2 = revise_notice(
            &mut f,
            &me,
            n.id,
            input(vec![LayoffDetail {
                workplace_id: head,
                men: 1,
                women: 0,
            }]),
            None,
            datetime!(2026-12-24 00:00 +03:00),
        )
        .unwrap_err();
        assert_eq!(e2.code, "mass_layoff.edit_window_closed");
        assert_eq!(f.notices[&n.id].notice.total(), 13, "nothing changed");
    }
}
