use super::*;
use crate::chart::{Contract, Gender, Movement, PersonMovement, PersonMovementKind, RowKey};
use crate::quota::QuotaCategory;
use kapi_core::{EmployerPermissions, ErrorKind, StaffAccountId, Tckn};
use std::collections::BTreeMap;
use time::macros::{date, datetime};
use time::Month;

#[derive(Default)]
struct Fake {
    workplaces: Vec<WorkplaceRef>,
    charts: Vec<StoredChart>,
    history: Vec<HistoryEntry>,
}

impl HistoryLog for Fake {
    fn append(&mut self, e: &HistoryEntry) -> Result<(), DomainError> {
        self.history.push(e.clone());
        Ok(())
    }
    fn history(&mut self, _: &str, _: &str) -> Result<Vec<HistoryEntry>, DomainError> {
        Ok(self.history.clone())
    }
}

impl ChartStore for Fake {
    fn workplace(&mut self, id: WorkplaceId) -> Result<Option<WorkplaceRef>, DomainError> {
        Ok(self.workplaces.iter().find(|w| w.id == id).copied())
    }
    fn lock_workplace(&mut self, _: WorkplaceId) -> Result<(), DomainError> {
        Ok(())
    }
    fn unknown_occupations(&mut self, codes: &[String]) -> Result<Vec<String>, DomainError> {
        Ok(codes
            .iter()
            .filter(|c| c.starts_with('9'))
            .cloned()
            .collect())
    }
    fn latest(
        &mut self,
        workplace: WorkplaceId,
        up_to: Option<YearMonth>,
    ) -> Result<Option<StoredChart>, DomainError> {
        Ok(self
            .charts
            .iter()
            .filter(|c| c.workplace_id == workplace && up_to.is_none_or(|m| c.chart.month <= m))
            .max_by_key(|c| c.chart.month)
            .cloned())
    }
    fn get(&mut self, id: WorkforceChartId) -> Result<Option<StoredChart>, DomainError> {
        Ok(self.charts.iter().find(|c| c.id == id).cloned())
    }
    fn insert(&mut self, c: &StoredChart) -> Result<(), DomainError> {
        self.charts.push(c.clone());
        Ok(())
    }
    fn update(&mut self, c: &StoredChart, expected: i64) -> Result<bool, DomainError> {
        match self.charts.iter_mut().find(|x| x.id == c.id) {
            Some(x) if x.version == expected => {
                *x = c.clone();
                Ok(true)
            }
            _ => Ok(false),
        }
    }
    fn page(
        &mut self,
        w: WorkplaceId,
        page: PageRequest,
    ) -> Result<Page<StoredChart>, DomainError> {
        let mut items: Vec<_> = self
            .charts
            .iter()
            .filter(|c| c.workplace_id == w)
            .cloned()
            .collect();
        items.sort_by_key(|c| std::cmp::Reverse(c.chart.month));
        let n = items.len() as u64;
        Ok(Page::new(items, page, n))
    }
    fn workplaces_in(
        &mut self,
        e: EmployerId,
        p: ProvinceCode,
    ) -> Result<Vec<WorkplaceId>, DomainError> {
        Ok(self
            .workplaces
            .iter()
            .filter(|w| w.employer_id == e && w.province == p)
            .map(|w| w.id)
            .collect())
    }
    fn employer_sector(&mut self, _: EmployerId) -> Result<EmployerSector, DomainError> {
        Ok(EmployerSector::Private)
    }
    fn quota_rates(&mut self) -> Result<Vec<QuotaRate>, DomainError> {
        Ok(vec![QuotaRate {
            sector: EmployerSector::Private,
            category: QuotaCategory::Disabled,
            basis_points: 300,
            valid_from: date!(2009 - 01 - 01),
            valid_until: None,
        }])
    }
}

const GMI: RowKey = (Category::General, Gender::Male, Contract::Indefinite);
const DMI: RowKey = (Category::Disabled, Gender::Male, Contract::Indefinite);
const NOW: OffsetDateTime = datetime!(2026-06-15 10:00 +03:00);

fn ym(month: Month) -> YearMonth {
    YearMonth { year: 2026, month }
}

fn user(employer: EmployerId, chart: bool) -> Actor {
    Actor::EmployerUser {
        tckn: Tckn::parse("10000000146").unwrap(),
        employer_id: employer,
        workplace_id: None,
        permissions: EmployerPermissions {
            workforce_chart: chart,
            ..EmployerPermissions::default()
        },
    }
}

fn setup() -> (Fake, EmployerId, WorkplaceId, WorkplaceId, WorkplaceId) {
    let e = EmployerId::new();
    let (a, b, c) = (WorkplaceId::new(), WorkplaceId::new(), WorkplaceId::new());
    let p = |n| ProvinceCode::new(n).unwrap();
    let fake = Fake {
        workplaces: vec![
            WorkplaceRef {
                id: a,
                employer_id: e,
                province: p(6),
            },
            WorkplaceRef {
                id: b,
                employer_id: e,
                province: p(6),
            },
            WorkplaceRef {
                id: c,
                employer_id: e,
                province: p(34),
            },
        ],
        ..Fake::default()
    };
    (fake, e, a, b, c)
}

/// A first chart with `general` + `disabled` opening workers and no movement.
fn opening(general: u32, disabled: u32) -> ChartInput {
    ChartInput {
        opening: Some(BTreeMap::from([(GMI, general), (DMI, disabled)])),
        occupations: vec![("2512.04".into(), general + disabled)],
        ..ChartInput::default()
    }
}

#[test]
fn sequence_latest_only_and_scope() {
    let (mut store, employer, a, _, _) = setup();
    let actor = user(employer, true);
    let jan = create_chart(
        &mut store,
        &actor,
        a,
        ym(Month::January),
        opening(10, 0),
        NOW,
    )
    .unwrap();
    // Out of sequence, and a future month for the first chart elsewhere.
    let e = create_chart(
        &mut store,
        &actor,
        a,
        ym(Month::March),
        ChartInput::default(),
        NOW,
    )
    .unwrap_err();
    assert_eq!(e.code, "chart.out_of_sequence");
    let feb_input = ChartInput {
        movements: BTreeMap::from([(
            GMI,
            Movement {
                hires: 1,
                leavers: 0,
            },
        )]),
        people: vec![PersonMovement {
            kind: PersonMovementKind::Hire,
            tckn: Tckn::parse("10000000146").unwrap(),
            full_name: "Ayşe Yılmaz".into(),
            date: date!(2026 - 02 - 03),
            occupation_code: "2512.04".into(),
            reason: None,
        }],
        occupations: vec![("2512.04".into(), 11)],
        ..ChartInput::default()
    };
    let feb = create_chart(
        &mut store,
        &actor,
        a,
        ym(Month::February),
        feb_input.clone(),
        NOW,
    )
    .unwrap();
    assert_eq!(feb.chart.development[&GMI].previous, 10);
    assert_eq!(feb.chart.month_end_total(), 11);
    // January is read-only now; February can change (and stale versions are refused).
    let e = update_chart(
        &mut store,
        &actor,
        jan.id,
        None,
        opening(12, 0),
        Some(1),
        NOW,
    )
    .unwrap_err();
    assert_eq!(
        (e.kind, e.code.as_ref()),
        (ErrorKind::Conflict, "chart.not_latest")
    );
    let again = update_chart(
        &mut store,
        &actor,
        feb.id,
        None,
        feb_input.clone(),
        Some(1),
        NOW,
    )
    .unwrap();
    assert_eq!(again.version, 2);
    let e = update_chart(
        &mut store,
        &actor,
        feb.id,
        None,
        feb_input.clone(),
        Some(1),
        NOW,
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::PreconditionFailed);
    assert!(get_chart(&mut store, &actor, feb.id).unwrap().1);
    assert!(!get_chart(&mut store, &actor, jan.id).unwrap().1);

    // Permissions and tenants.
    let e = create_chart(
        &mut store,
        &user(employer, false),
        a,
        ym(Month::March),
        ChartInput::default(),
        NOW,
    )
    .unwrap_err();
    assert_eq!(e.code, "chart.permission_missing");
    let stranger = user(EmployerId::new(), true);
    assert_eq!(
        get_chart(&mut store, &stranger, feb.id).unwrap_err().code,
        "chart.not_found"
    );
    assert_eq!(
        update_chart(&mut store, &stranger, feb.id, None, feb_input, None, NOW)
            .unwrap_err()
            .code,
        "chart.not_found"
    );
    assert_eq!(
        list_charts(&mut store, &stranger, a, PageRequest::first())
            .unwrap_err()
            .code,
        "workplace.not_found"
    );
    let staff = Actor::IskurStaff {
        account_id: StaffAccountId::new(),
        province: None,
    };
    assert_eq!(
        list_charts(&mut store, &staff, a, PageRequest::first())
            .unwrap()
            .total,
        2
    );
    assert_eq!(
        create_chart(
            &mut store,
            &staff,
            a,
            ym(Month::March),
            ChartInput::default(),
            NOW
        )
        .unwrap_err()
        .code,
        "chart.employers_only"
    );
}

#[test]
fn unknown_occupations_are_named() {
    let (mut store, employer, a, _, _) = setup();
    let mut input = opening(3, 0);
    input.occupations = vec![("9999.99".into(), 3)];
    let e = create_chart(
        &mut store,
        &user(employer, true),
        a,
        ym(Month::January),
        input,
        NOW,
    )
    .unwrap_err();
    assert_eq!(e.fields[0].field, "occupations[0].occupation_code");
    assert_eq!(e.fields[0].code, "chart.unknown_occupation");
    assert!(store.charts.is_empty());
}

#[test]
fn quota_counts_the_province_and_carries_headcounts() {
    let (mut store, employer, a, b, c) = setup();
    let actor = user(employer, true);
    // Ankara: 30 + 19 = 49 in January (not obliged), Istanbul 100 is another province.
    create_chart(
        &mut store,
        &actor,
        a,
        ym(Month::January),
        opening(30, 0),
        NOW,
    )
    .unwrap();
    create_chart(
        &mut store,
        &actor,
        b,
        ym(Month::January),
        opening(18, 1),
        NOW,
    )
    .unwrap();
    create_chart(
        &mut store,
        &actor,
        c,
        ym(Month::January),
        opening(100, 0),
        NOW,
    )
    .unwrap();
    let s = quota_status_for(&mut store, &actor, a, ym(Month::January)).unwrap();
    assert_eq!((s.total_workers, s.obliged), (49, false));
    assert_eq!(s.lines[0].required, 0);
    // February: only `a` files (one hire → 50); `b` carries its January count.
    let feb = ChartInput {
        movements: BTreeMap::from([(
            GMI,
            Movement {
                hires: 1,
                leavers: 0,
            },
        )]),
        people: vec![PersonMovement {
            kind: PersonMovementKind::Hire,
            tckn: Tckn::parse("10000000146").unwrap(),
            full_name: "Ali Veli".into(),
            date: date!(2026 - 02 - 10),
            occupation_code: "2512.04".into(),
            reason: None,
        }],
        occupations: vec![("2512.04".into(), 31)],
        ..ChartInput::default()
    };
    create_chart(&mut store, &actor, a, ym(Month::February), feb, NOW).unwrap();
    let s = quota_status_for(&mut store, &actor, b, ym(Month::February)).unwrap();
    assert_eq!((s.total_workers, s.obliged), (50, true));
    let disabled = &s.lines[0];
    assert_eq!(
        (
            disabled.base,
            disabled.required,
            disabled.employed,
            disabled.balance
        ),
        (50, 2, 1, -1)
    );
    let istanbul = quota_status_for(&mut store, &actor, c, ym(Month::February)).unwrap();
    assert_eq!(
        (istanbul.total_workers, istanbul.lines[0].required),
        (100, 3)
    );
    assert_eq!(
        quota_status_for(
            &mut store,
            &user(EmployerId::new(), true),
            a,
            ym(Month::February)
        )
        .unwrap_err()
        .code,
        "workplace.not_found"
    );
}
