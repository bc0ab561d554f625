//! Employers' workplaces and their users — DOMAIN.md §4, seed 001 §2, §2.1.7.
//!
//! Workplaces: one **head office (merkez) per province**; the employer's other workplaces in
//! that province are its **branches (şube)**; an employer present in two provinces has a
//! head office in each.
//!
//! Workplace users (Kullanıcı Rol Yönetimi): an admin (yönetici) — or a user with the
//! user-admin permission — adds authorised users, who must already be registered
//! individuals, and sets their permission flags, an account closing date and a locked flag.
//! Only an admin can make another user admin. Nobody changes the workplace's **primary
//! admin** ("İşyerinin Yönetici Kullanıcısının rollerini değiştiremezsiniz"), and nobody
//! changes their own roles. A locked user, or one past the closing date (Istanbul), cannot
//! log in or act.

use kapi_core::{
    is_until_date, Actor, DomainError, EmployerPermissions, ProvinceCode, Tckn, WorkplaceId,
};
use time::{Date, OffsetDateTime};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkplaceKind {
    /// Merkez: the first workplace of the employer in a province.
    HeadOffice,
    /// Şube: any further workplace in that province.
    Branch,
}

/// What the head-office rule needs to know of a workplace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkplaceSummary {
    pub id: WorkplaceId,
    pub province: ProvinceCode,
    pub kind: WorkplaceKind,
}

/// The head office of the employer in `province`, if it has one.
pub fn head_office_in(
    existing: &[WorkplaceSummary],
    province: ProvinceCode,
) -> Option<WorkplaceId> {
    existing
        .iter()
        .find(|w| w.province == province && w.kind == WorkplaceKind::HeadOffice)
        .map(|w| w.id)
}

/// A new workplace is the head office of its province if the employer has none there yet,
/// otherwise a branch of that head office.
pub fn kind_of_new_workplace(
    existing: &[WorkplaceSummary],
    province: ProvinceCode,
) -> (WorkplaceKind, Option<WorkplaceId>) {
    match head_office_in(existing, province) {
        Some(head) => (WorkplaceKind::Branch, Some(head)),
        None => (WorkplaceKind::HeadOffice, None),
    }
}

/// A person authorised to act for the workplace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkplaceUser {
    pub tckn: Tckn,
    pub permissions: EmployerPermissions,
    /// The workplace's own admin user (set at membership), whose roles nobody changes.
    pub primary_admin: bool,
    /// After this Istanbul date the user can no longer act.
    pub closing_date: Option<Date>,
    pub locked: bool,
}

impl WorkplaceUser {
    /// Whether the user may log in and act at `now`.
    pub fn check_can_act(&self, now: OffsetDateTime) -> Result<(), DomainError> {
        if self.locked {
            return Err(DomainError::forbidden(
                "workplace_user.locked",
                "This user is locked for the workplace.",
            ));
        }
        if let Some(d) = self.closing_date {
            if !is_until_date(now, d) {
                return Err(DomainError::forbidden(
                    "workplace_user.account_closed",
                    format!("This user's account closed on {d}."),
                ));
            }
        }
        Ok(())
    }
}

/// The changes an admin makes to a user.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserChange {
    pub permissions: Option<EmployerPermissions>,
    /// `Some(None)` clears the closing date.
    pub closing_date: Option<Option<Date>>,
    pub locked: Option<bool>,
}

fn managing_permissions(actor: &Actor) -> Result<(&Tckn, EmployerPermissions), DomainError> {
    match actor {
        Actor::EmployerUser {
            tckn, permissions, ..
        } if permissions.admin || permissions.user_admin => Ok((tckn, *permissions)),
        _ => Err(DomainError::forbidden(
            "workplace_user.admin_only",
            "Only the workplace's admin manages its users.",
        )),
    }
}

/// Adds an authorised user; `registered` says whether the person is a registered individual.
pub fn add_user(
    actor: &Actor,
    existing: &[WorkplaceUser],
    tckn: Tckn,
    registered: bool,
    permissions: EmployerPermissions,
    closing_date: Option<Date>,
) -> Result<WorkplaceUser, DomainError> {
    let (_, mine) = managing_permissions(actor)?;
    if permissions.admin && !mine.admin {
        return Err(DomainError::forbidden(
            "workplace_user.admin_grant",
            "Only an admin can make another user admin.",
        ));
    }
    if !registered {
        return Err(DomainError::field(kapi_core::FieldError::new(
            "tckn",
            "workplace_user.not_registered",
            "This person has no individual account yet; they must register first.",
        )));
    }
    if existing.iter().any(|u| u.tckn == tckn) {
        return Err(DomainError::conflict(
            "workplace_user.exists",
            "This person is already a user of the workplace.",
        ));
    }
    Ok(WorkplaceUser {
        tckn,
        permissions,
        primary_admin: false,
        closing_date,
        locked: false,
    })
}

/// Changes a user's roles, closing date or lock.
pub fn change_user(
    actor: &Actor,
    target: &WorkplaceUser,
    change: UserChange,
) -> Result<WorkplaceUser, DomainError> {
    let (me, mine) = managing_permissions(actor)?;
    if target.primary_admin {
        return Err(DomainError::forbidden(
            "workplace_user.primary_admin",
            "The workplace's admin user's roles cannot be changed.",
        ));
    }
    if &target.tckn == me {
        return Err(DomainError::forbidden(
            "workplace_user.own_roles",
            "Nobody changes their own roles.",
        ));
    }
    let mut next = target.clone();
    if let Some(p) = change.permissions {
        if p.admin != target.permissions.admin && !mine.admin {
            return Err(DomainError::forbidden(
                "workplace_user.admin_grant",
                "Only an admin can make or unmake another admin.",
            ));
        }
        next.permissions = p;
    }
    if let Some(d) = change.closing_date {
        next.closing_date = d;
    }
    if let Some(l) = change.locked {
        next.locked = l;
    }
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kapi_core::{EmployerId, ErrorKind};
    use time::macros::{date, datetime};

    fn p(n: i64) -> ProvinceCode {
        ProvinceCode::new(n).unwrap()
    }

    #[test]
    fn one_head_office_per_province() {
        let mut ws = Vec::new();
        for province in [6, 6, 34, 6, 34] {
            let (kind, head) = kind_of_new_workplace(&ws, p(province));
            if kind == WorkplaceKind::Branch {
                assert_eq!(head, head_office_in(&ws, p(province)));
            }
            ws.push(WorkplaceSummary {
                id: WorkplaceId::new(),
                province: p(province),
                kind,
            });
        }
        let kinds: Vec<WorkplaceKind> = ws.iter().map(|w| w.kind).collect();
        use WorkplaceKind::*;
        assert_eq!(kinds, vec![HeadOffice, Branch, HeadOffice, Branch, Branch]);
    }

    fn tckn(nine: &str) -> Tckn {
        Tckn::parse(&kapi_core::with_tckn_checksum(nine).unwrap()).unwrap()
    }

    fn actor(who: &Tckn, permissions: EmployerPermissions) -> Actor {
        Actor::EmployerUser {
            tckn: who.clone(),
            employer_id: EmployerId::new(),
            workplace_id: None,
            permissions,
        }
    }

    fn admin_perms() -> EmployerPermissions {
        EmployerPermissions {
            admin: true,
            ..Default::default()
        }
    }

    #[test]
    fn adding_users() {
        let boss = tckn("100000011");
        let a = actor(&boss, admin_perms());
        let u = add_user(
            &a,
            &[],
            tckn("200000022"),
            true,
            EmployerPermissions {
                labour_demand: true,
                ..Default::default()
            },
            None,
        )
        .unwrap();
        assert!(!u.primary_admin && !u.locked);
        assert_eq!(
            add_user(&a, &[], tckn("200000022"), false, Default::default(), None)
                .unwrap_err()
                .fields[0]
                .code,
            "workplace_user.not_registered"
        );
        assert_eq!(
            add_user(
                &a,
                std::slice::from_ref(&u),
                tckn("200000022"),
                true,
                Default::default(),
                None
            )
            .unwrap_err()
            .code,
            "workplace_user.exists"
        );
        // A user admin may add users but not admins; a plain user may not add anyone.
        let ua = actor(
            &tckn("300000033"),
            EmployerPermissions {
                user_admin: true,
                ..Default::default()
            },
        );
        assert!(add_user(&ua, &[], tckn("400000044"), true, Default::default(), None).is_ok());
        assert_eq!(
            add_user(&ua, &[], tckn("400000044"), true, admin_perms(), None)
                .unwrap_err()
                .code,
            "workplace_user.admin_grant"
        );
        let plain = actor(
            &tckn("300000033"),
            EmployerPermissions {
                reports: true,
                ..Default::default()
            },
        );
        assert_eq!(
            add_user(
                &plain,
                &[],
                tckn("400000044"),
                true,
                Default::default(),
                None
            )
            .unwrap_err()
            .kind,
            ErrorKind::Forbidden
        );
    }

    #[test]
    fn changing_users() {
        let boss = tckn("100000011");
        let a = actor(&boss, admin_perms());
        let primary = WorkplaceUser {
            tckn: boss.clone(),
            permissions: admin_perms(),
            primary_admin: true,
            closing_date: None,
            locked: false,
        };
        let other_admin = actor(&tckn("500000055"), admin_perms());
        assert_eq!(
            change_user(
                &other_admin,
                &primary,
                UserChange {
                    locked: Some(true),
                    ..Default::default()
                }
            )
            .unwrap_err()
            .code,
            "workplace_user.primary_admin"
        );
        let second = WorkplaceUser {
            tckn: tckn("500000055"),
            permissions: admin_perms(),
            primary_admin: false,
            closing_date: None,
            locked: false,
        };
        assert_eq!(
            change_user(
                &other_admin,
                &second,
                UserChange {
                    permissions: Some(Default::default()),
                    ..Default::default()
                }
            )
            .unwrap_err()
            .code,
            "workplace_user.own_roles"
        );
        let made_admin = change_user(
            &a,
            &WorkplaceUser {
                permissions: Default::default(),
                ..second.clone()
            },
            UserChange {
                permissions: Some(admin_perms()),
                ..Default::default()
            },
        )
        .unwrap();
        assert!(made_admin.permissions.admin);
        let ua = actor(
            &tckn("300000033"),
            EmployerPermissions {
                user_admin: true,
                ..Default::default()
            },
        );
        assert_eq!(
            change_user(
                &ua,
                &second,
                UserChange {
                    permissions: Some(Default::default()),
                    ..Default::default()
                }
            )
            .unwrap_err()
            .code,
            "workplace_user.admin_grant"
        );
        let closed = change_user(
            &a,
            &second,
            UserChange {
                closing_date: Some(Some(date!(2026 - 12 - 31))),
                locked: Some(false),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(closed.closing_date, Some(date!(2026 - 12 - 31)));
        let reopened = change_user(
            &a,
            &closed,
            UserChange {
                closing_date: Some(None),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(reopened.closing_date, None);
    }

    #[test]
    fn locked_or_closed_users_cannot_act() {
        let u = WorkplaceUser {
            tckn: tckn("100000011"),
            permissions: Default::default(),
            primary_admin: false,
            closing_date: Some(date!(2026 - 12 - 31)),
            locked: false,
        };
        assert!(u
            .check_can_act(datetime!(2026-12-31 23:59:59 +03:00))
            .is_ok());
        assert_eq!(
            u.check_can_act(datetime!(2027-01-01 00:00:00 +03:00))
                .unwrap_err()
                .code,
            "workplace_user.account_closed"
        );
        let locked = WorkplaceUser {
            locked: true,
            closing_date: None,
            ..u
        };
        assert_eq!(
            locked
                .check_can_act(datetime!(2026-01-01 00:00 UTC))
                .unwrap_err()
                .code,
            "workplace_user.locked"
        );
    }
}
