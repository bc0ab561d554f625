use super::*;
use kapi_core::{with_tckn_checksum, with_vkn_checksum, ErrorKind, StaffAccountId};
use kapi_identity::registry::{RegistryAddress, RegistryCitizen};
use std::collections::HashMap;
use time::macros::{date, datetime};

#[derive(Default)]
struct Fake {
    citizens: Vec<Tckn>,
    edevlet_hash: Option<String>,
    people: HashMap<Tckn, EmployerPerson>,
    employers: Vec<Employer>,
    users: Vec<(EmployerId, WorkplaceUser)>,
    workplaces: Vec<Workplace>,
    history: Vec<HistoryEntry>,
    seq: i64,
}

impl HistoryLog for Fake {
    fn append(&mut self, e: &HistoryEntry) -> Result<(), DomainError> {
        self.history.push(e.clone());
        Ok(())
    }
    fn history(&mut self, _k: &str, _i: &str) -> Result<Vec<HistoryEntry>, DomainError> {
        Ok(self.history.clone())
    }
}

impl CitizenRegistry for Fake {
    fn find_citizen(&mut self, tckn: &Tckn) -> Result<Option<RegistryCitizen>, DomainError> {
        Ok(self.citizens.contains(tckn).then(|| RegistryCitizen {
            tckn: tckn.clone(),
            first_name: "Ayşe".into(),
            last_name: "Yılmaz".into(),
            birth_date: date!(1980 - 01 - 01),
            mother_maiden_surname: "Kaya".into(),
            mobile: None,
            residence: RegistryAddress {
                province: ProvinceCode::new(6).unwrap(),
                district_code: 6007,
                neighbourhood: None,
                open_address: String::new(),
            },
            edevlet_password_hash: self.edevlet_hash.clone(),
        }))
    }
}

impl EmployerStore for Fake {
    fn district_in_province(&mut self, d: i32, p: ProvinceCode) -> Result<bool, DomainError> {
        Ok(d / 1000 == i32::from(p.get()))
    }
    fn employer_by_vkn(&mut self, vkn: &Vkn) -> Result<Option<EmployerId>, DomainError> {
        Ok(self.employers.iter().find(|e| &e.vkn == vkn).map(|e| e.id))
    }
    fn workplace_by_sgk(&mut self, sgk: &SgkNo) -> Result<Option<WorkplaceId>, DomainError> {
        Ok(self
            .workplaces
            .iter()
            .find(|w| &w.sgk_no == sgk)
            .map(|w| w.id))
    }
    fn next_iskur_no(&mut self) -> Result<i64, DomainError> {
        self.seq += 1;
        Ok(self.seq)
    }
    fn person(&mut self, tckn: &Tckn) -> Result<Option<EmployerPerson>, DomainError> {
        Ok(self.people.get(tckn).cloned())
    }
    fn insert_person(
        &mut self,
        p: &EmployerPerson,
        _now: OffsetDateTime,
    ) -> Result<(), DomainError> {
        self.people.insert(p.tckn.clone(), p.clone());
        Ok(())
    }
    fn insert_employer(&mut self, e: &Employer) -> Result<(), DomainError> {
        self.employers.push(e.clone());
        Ok(())
    }
    fn get_employer(&mut self, id: EmployerId) -> Result<Option<Employer>, DomainError> {
        Ok(self.employers.iter().find(|e| e.id == id).cloned())
    }
    fn insert_user(&mut self, employer: EmployerId, u: &WorkplaceUser) -> Result<(), DomainError> {
        self.users.push((employer, u.clone()));
        Ok(())
    }
    fn memberships(&mut self, tckn: &Tckn) -> Result<Vec<Membership>, DomainError> {
        Ok(self
            .users
            .iter()
            .filter(|(_, u)| &u.tckn == tckn)
            .map(|(e, u)| Membership {
                employer_id: *e,
                employer_title: self
                    .employers
                    .iter()
                    .find(|x| x.id == *e)
                    .map(|x| x.title.clone())
                    .unwrap_or_default(),
                user: u.clone(),
            })
            .collect())
    }
    fn users_of(&mut self, employer: EmployerId) -> Result<Vec<WorkplaceUser>, DomainError> {
        Ok(self
            .users
            .iter()
            .filter(|(e, _)| *e == employer)
            .map(|(_, u)| u.clone())
            .collect())
    }
    fn update_user(&mut self, employer: EmployerId, u: &WorkplaceUser) -> Result<(), DomainError> {
        for (e, x) in self.users.iter_mut() {
            if *e == employer && x.tckn == u.tckn {
                *x = u.clone();
            }
        }
        Ok(())
    }
    fn update_password(&mut self, tckn: &Tckn, hash: &str) -> Result<(), DomainError> {
        if let Some(p) = self.people.get_mut(tckn) {
            p.password_hash = hash.to_owned();
        }
        Ok(())
    }
    fn lock_employer(&mut self, _id: EmployerId) -> Result<(), DomainError> {
        Ok(())
    }
    fn workplaces_of(&mut self, employer: EmployerId) -> Result<Vec<Workplace>, DomainError> {
        Ok(self
            .workplaces
            .iter()
            .filter(|w| w.employer_id == employer)
            .cloned()
            .collect())
    }
    fn get_workplace(&mut self, id: WorkplaceId) -> Result<Option<Workplace>, DomainError> {
        Ok(self.workplaces.iter().find(|w| w.id == id).cloned())
    }
    fn insert_workplace(&mut self, w: &Workplace) -> Result<(), DomainError> {
        self.workplaces.push(w.clone());
        Ok(())
    }
    fn update_workplace(&mut self, w: &Workplace, expected: i64) -> Result<bool, DomainError> {
        match self.workplaces.iter_mut().find(|x| x.id == w.id) {
            Some(x) if x.version == expected => {
                *x = w.clone();
                Ok(true)
            }
            _ => Ok(false),
        }
    }
    fn page_workplaces(
        &mut self,
        f: &WorkplaceFilter,
        page: PageRequest,
    ) -> Result<Page<Workplace>, DomainError> {
        let items: Vec<Workplace> = self
            .workplaces
            .iter()
            .filter(|w| f.employer.is_none_or(|e| e == w.employer_id))
            .cloned()
            .collect();
        let n = items.len() as u64;
        Ok(Page::new(items, page, n))
    }
}

const NOW: OffsetDateTime = datetime!(2026-03-10 09:00 +03:00);

fn tckn(nine: &str) -> Tckn {
    Tckn::parse(&with_tckn_checksum(nine).unwrap()).unwrap()
}

fn sgk(n: u32) -> SgkNo {
    SgkNo::parse(&format!("25120010100000{n:08}")).unwrap()
}

fn workplace(province: u8, district: i32, n: u32) -> WorkplaceInput {
    WorkplaceInput {
        title: format!("Workplace {n}"),
        sgk_no: sgk(n),
        province: ProvinceCode::new(i64::from(province)).unwrap(),
        district_code: district,
        address: "Demo Cad. No:1".into(),
        phone: None,
        email: None,
    }
}

fn application(person: &Tckn, vkn_nine: &str, password: &str, n: u32) -> MembershipApplication {
    MembershipApplication {
        terms_accepted: true,
        title: format!("Employer {vkn_nine}"),
        vkn: Vkn::parse(&with_vkn_checksum(vkn_nine).unwrap()).unwrap(),
        sector: EmployerSector::Private,
        address: "Kızılay".into(),
        phone: None,
        email: None,
        head_office: workplace(6, 6007, n),
        person: AuthorisedPerson {
            tckn: person.clone(),
            mobile: MobilePhone::parse("5321234567").unwrap(),
            email: Email::parse("ik@example.com").unwrap(),
            password: password.into(),
            secret_question: "İlk okulum?".into(),
            secret_answer: "Atatürk İlkokulu".into(),
        },
    }
}

fn setup() -> (Fake, Tckn) {
    let person = tckn("100000001");
    let fake = Fake {
        citizens: vec![person.clone()],
        ..Fake::default()
    };
    (fake, person)
}

#[test]
fn membership_creates_employer_head_office_and_primary_admin() {
    let (mut store, person) = setup();
    let (employer, head) = register_employer(
        &mut store,
        application(&person, "123456789", "Gizli123", 1),
        NOW,
    )
    .unwrap();
    assert_eq!(employer.iskur_no, "00000001");
    assert_eq!(head.kind, WorkplaceKind::HeadOffice);
    assert_eq!(head.employer_id, employer.id);
    let (_, admin) = &store.users[0];
    assert!(admin.primary_admin && admin.permissions.admin);
    assert!(store.people[&person]
        .password_hash
        .starts_with("$argon2id$"));

    let login = login_employer(&mut store, &person, "Gizli123", None, NOW).unwrap();
    assert!(
        matches!(login.actor, Actor::EmployerUser { employer_id, .. } if employer_id == employer.id)
    );
    assert_eq!(
        login_employer(&mut store, &person, "Yanlis123", None, NOW)
            .unwrap_err()
            .code,
        "auth.invalid_credentials"
    );
    assert_eq!(
        login_employer(&mut store, &tckn("100000002"), "Gizli123", None, NOW)
            .unwrap_err()
            .code,
        "auth.invalid_credentials"
    );
}

#[test]
fn membership_refusals_name_the_fields() {
    let (mut store, person) = setup();
    let mut app = application(&tckn("100000002"), "123456789", "weak", 1);
    app.terms_accepted = false;
    app.head_office.district_code = 34023;
    let e = register_employer(&mut store, app, NOW).unwrap_err();
    let fields: Vec<_> = e
        .fields
        .iter()
        .map(|f| (f.field.as_str(), f.code.as_ref()))
        .collect();
    assert_eq!(
        fields,
        [
            ("terms_accepted", "employer.terms_not_accepted"),
            ("person.tckn", "employer.person_not_in_registry"),
            ("person.password", "password.too_weak"),
            (
                "head_office.district_code",
                "workplace.district_not_in_province"
            ),
        ]
    );
    assert!(
        store.employers.is_empty() && store.people.is_empty(),
        "nothing half-written"
    );

    register_employer(
        &mut store,
        application(&person, "123456789", "Gizli123", 1),
        NOW,
    )
    .unwrap();
    let again = register_employer(
        &mut store,
        application(&person, "123456789", "Gizli123", 2),
        NOW,
    )
    .unwrap_err();
    assert_eq!(again.code, "employer.exists");
    let same_sgk = register_employer(
        &mut store,
        application(&person, "987654321", "Gizli123", 1),
        NOW,
    )
    .unwrap_err();
    assert_eq!(same_sgk.fields[0].code, "workplace.sgk_no_taken");
    let other_password = register_employer(
        &mut store,
        application(&person, "987654321", "Baska1234", 3),
        NOW,
    )
    .unwrap_err();
    assert_eq!(
        other_password.fields[0].code,
        "employer.existing_password_required"
    );
}

#[test]
fn several_employers_mean_a_choice_and_locked_users_cannot_log_in() {
    let (mut store, person) = setup();
    let (a, _) = register_employer(
        &mut store,
        application(&person, "123456789", "Gizli123", 1),
        NOW,
    )
    .unwrap();
    let (b, _) = register_employer(
        &mut store,
        application(&person, "987654321", "Gizli123", 2),
        NOW,
    )
    .unwrap();
    let e = login_employer(&mut store, &person, "Gizli123", None, NOW).unwrap_err();
    assert_eq!(e.fields[0].code, "auth.employer_choice_required");
    assert!(e.fields[0].message.contains(&a.id.to_string()));
    let login = login_employer(&mut store, &person, "Gizli123", Some(b.id), NOW).unwrap();
    assert!(matches!(login.actor, Actor::EmployerUser { employer_id, .. } if employer_id == b.id));
    assert_eq!(
        login_employer(
            &mut store,
            &person,
            "Gizli123",
            Some(EmployerId::new()),
            NOW
        )
        .unwrap_err()
        .fields[0]
            .code,
        "auth.employer_not_yours"
    );
    store.users[1].1.locked = true;
    assert_eq!(
        login_employer(&mut store, &person, "Gizli123", Some(b.id), NOW)
            .unwrap_err()
            .code,
        "workplace_user.locked"
    );
    store.users[0].1.closing_date = Some(date!(2026 - 03 - 09));
    assert_eq!(
        login_employer(&mut store, &person, "Gizli123", Some(a.id), NOW)
            .unwrap_err()
            .code,
        "workplace_user.account_closed"
    );
    store.users[0].1.closing_date = Some(date!(2026 - 03 - 10));
    assert!(login_employer(&mut store, &person, "Gizli123", Some(a.id), NOW).is_ok());
}

#[test]
fn workplaces_head_office_per_province_scope_and_updates() {
    let (mut store, person) = setup();
    let (employer, head) = register_employer(
        &mut store,
        application(&person, "123456789", "Gizli123", 1),
        NOW,
    )
    .unwrap();
    let admin = login_employer(&mut store, &person, "Gizli123", None, NOW)
        .unwrap()
        .actor;
    let branch = add_workplace(&mut store, &admin, workplace(6, 6017, 2), NOW).unwrap();
    assert_eq!(branch.kind, WorkplaceKind::Branch);
    assert_eq!(branch.head_office_id, Some(head.id));
    let istanbul = add_workplace(&mut store, &admin, workplace(34, 34023, 3), NOW).unwrap();
    assert_eq!(istanbul.kind, WorkplaceKind::HeadOffice);

    let not_admin = Actor::EmployerUser {
        tckn: person.clone(),
        employer_id: employer.id,
        workplace_id: None,
        permissions: EmployerPermissions {
            workforce_chart: true,
            ..EmployerPermissions::default()
        },
    };
    assert_eq!(
        add_workplace(&mut store, &not_admin, workplace(6, 6017, 4), NOW)
            .unwrap_err()
            .code,
        "workplace.admin_only"
    );
    assert!(get_workplace(&mut store, &not_admin, branch.id).is_ok());

    let stranger = Actor::EmployerUser {
        tckn: person.clone(),
        employer_id: EmployerId::new(),
        workplace_id: None,
        permissions: all_permissions(),
    };
    let e = get_workplace(&mut store, &stranger, branch.id).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound);
    let e = update_workplace(
        &mut store,
        &stranger,
        branch.id,
        WorkplaceChange::default(),
        None,
        NOW,
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotFound);
    let list = list_workplaces(
        &mut store,
        &stranger,
        WorkplaceFilter::default(),
        PageRequest::first(),
    )
    .unwrap();
    assert_eq!(list.total, 0);

    let staff = Actor::IskurStaff {
        account_id: StaffAccountId::new(),
        province: None,
    };
    let all = list_workplaces(
        &mut store,
        &staff,
        WorkplaceFilter::default(),
        PageRequest::first(),
    )
    .unwrap();
    assert_eq!(all.total, 3);
    assert_eq!(
        update_workplace(
            &mut store,
            &staff,
            branch.id,
            WorkplaceChange::default(),
            None,
            NOW
        )
        .unwrap_err()
        .code,
        "workplace.employers_only"
    );

    let changed = update_workplace(
        &mut store,
        &admin,
        branch.id,
        WorkplaceChange {
            title: Some("Keçiören Şubesi".into()),
            ..WorkplaceChange::default()
        },
        Some(1),
        NOW,
    )
    .unwrap();
    assert_eq!(
        (changed.title.as_str(), changed.version),
        ("Keçiören Şubesi", 2)
    );
    let stale = update_workplace(
        &mut store,
        &admin,
        branch.id,
        WorkplaceChange::default(),
        Some(1),
        NOW,
    )
    .unwrap_err();
    assert_eq!(stale.kind, ErrorKind::PreconditionFailed);
    let moved = update_workplace(
        &mut store,
        &admin,
        branch.id,
        WorkplaceChange {
            district_code: Some(34023),
            ..WorkplaceChange::default()
        },
        None,
        NOW,
    )
    .unwrap_err();
    assert_eq!(moved.fields[0].code, "workplace.district_not_in_province");
}

#[test]
fn users_added_changed_locked_and_checked_on_every_request() {
    let (mut store, person) = setup();
    let clerk = tckn("100000002");
    let outsider = tckn("100000003");
    store.citizens.push(clerk.clone());
    store.citizens.push(outsider.clone());
    let (employer, _) = register_employer(
        &mut store,
        application(&person, "123456789", "Gizli123", 1),
        NOW,
    )
    .unwrap();
    let admin = login_employer(&mut store, &person, "Gizli123", None, NOW)
        .unwrap()
        .actor;
    // Not registered: the citizen has no e-Devlet account.
    let e = add_employer_user(
        &mut store,
        &admin,
        employer.id,
        clerk.clone(),
        EmployerPermissions::default(),
        None,
        NOW,
    )
    .unwrap_err();
    assert_eq!(e.fields[0].code, "workplace_user.not_registered");
    store.edevlet_hash = Some(hash_password("Edevlet123").unwrap());
    let perms = EmployerPermissions {
        workforce_chart: true,
        ..EmployerPermissions::default()
    };
    add_employer_user(
        &mut store,
        &admin,
        employer.id,
        clerk.clone(),
        perms,
        Some(date!(2026 - 03 - 31)),
        NOW,
    )
    .unwrap();
    assert_eq!(
        list_users(&mut store, &admin, employer.id).unwrap().len(),
        2
    );
    // The clerk logs in with the e-Devlet password and acts within their flags.
    let clerk_actor = login_employer(&mut store, &clerk, "Edevlet123", None, NOW)
        .unwrap()
        .actor;
    assert_eq!(
        add_employer_user(
            &mut store,
            &clerk_actor,
            employer.id,
            outsider.clone(),
            perms,
            None,
            NOW
        )
        .unwrap_err()
        .code,
        "workplace_user.admin_only"
    );
    assert_eq!(
        list_users(&mut store, &clerk_actor, employer.id)
            .unwrap_err()
            .code,
        "workplace_user.admin_only"
    );
    // The admin cannot change the primary admin (itself) and locks the clerk: the clerk's
    // existing token stops working at once.
    let lock = crate::workplace::UserChange {
        locked: Some(true),
        ..Default::default()
    };
    assert_eq!(
        change_employer_user(&mut store, &admin, employer.id, &person, lock.clone(), NOW)
            .unwrap_err()
            .code,
        "workplace_user.primary_admin"
    );
    assert!(current_actor(&mut store, clerk_actor.clone(), NOW).is_ok());
    change_employer_user(&mut store, &admin, employer.id, &clerk, lock, NOW).unwrap();
    assert_eq!(
        current_actor(&mut store, clerk_actor.clone(), NOW)
            .unwrap_err()
            .code,
        "workplace_user.locked"
    );
    let unlock = crate::workplace::UserChange {
        locked: Some(false),
        ..Default::default()
    };
    change_employer_user(&mut store, &admin, employer.id, &clerk, unlock, NOW).unwrap();
    // The closing date: the 31st is the last day.
    assert!(current_actor(
        &mut store,
        clerk_actor.clone(),
        datetime!(2026-03-31 23:59 +03:00)
    )
    .is_ok());
    assert_eq!(
        current_actor(
            &mut store,
            clerk_actor.clone(),
            datetime!(2026-04-01 00:00 +03:00)
        )
        .unwrap_err()
        .code,
        "workplace_user.account_closed"
    );
    // Another employer's admin sees nothing.
    let stranger = Actor::EmployerUser {
        tckn: outsider,
        employer_id: EmployerId::new(),
        workplace_id: None,
        permissions: all_permissions(),
    };
    assert_eq!(
        list_users(&mut store, &stranger, employer.id)
            .unwrap_err()
            .kind,
        ErrorKind::NotFound
    );
}

#[test]
fn password_reset_by_secret_question_and_mobile() {
    let (mut store, person) = setup();
    register_employer(
        &mut store,
        application(&person, "123456789", "Gizli123", 1),
        NOW,
    )
    .unwrap();
    let mobile = MobilePhone::parse("5321234567").unwrap();
    assert_eq!(
        secret_question(&mut store, &person, &mobile).unwrap(),
        "İlk okulum?"
    );
    let wrong_mobile = MobilePhone::parse("5329999999").unwrap();
    assert_eq!(
        secret_question(&mut store, &person, &wrong_mobile)
            .unwrap_err()
            .code,
        "auth.reset_failed"
    );
    let e = reset_password(
        &mut store,
        &person,
        &mobile,
        "ATATÜRK İLKOKULU",
        "Yeni1234",
        "Yeni12345",
        NOW,
    )
    .unwrap_err();
    assert_eq!(e.fields[0].code, "password.mismatch");
    assert_eq!(
        reset_password(
            &mut store,
            &person,
            &mobile,
            "Başka okul",
            "Yeni1234",
            "Yeni1234",
            NOW
        )
        .unwrap_err()
        .code,
        "auth.reset_failed"
    );
    // The answer matches regardless of Turkish case.
    reset_password(
        &mut store,
        &person,
        &mobile,
        "ATATÜRK İLKOKULU",
        "Yeni1234",
        "Yeni1234",
        NOW,
    )
    .unwrap();
    assert!(login_employer(&mut store, &person, "Yeni1234", None, NOW).is_ok());
    assert!(login_employer(&mut store, &person, "Gizli123", None, NOW).is_err());
}
