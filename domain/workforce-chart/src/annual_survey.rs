//! The annual survey (genel anket) — seed 001 §2.1.4.5.1.
//!
//! - One survey per calendar year per **head office**; it covers the head office and its
//!   branches in the same province (their totals). Branches cannot file one
//!   (`survey.branch_refused`).
//! - The survey looks back on the previous year and ahead to the next, so it is filed for
//!   the current Istanbul year or the one before (`survey.year_out_of_range`); a survey of an
//!   earlier year is read-only (`survey.closed`).
//! - Scope as for charts: the owning employer's users with the workforce-chart permission
//!   (or its admin) file and change it; İŞKUR staff read all; another employer's survey or
//!   workplace is "not found".

use crate::chart::YearMonth;
use kapi_core::{
    istanbul_date_of, Actor, DomainError, EmployerId, FieldError, FieldErrors, HistoryEntry,
    HistoryLog, Page, PageRequest, SurveyId, WorkplaceId,
};
use time::OffsetDateTime;

/// What the survey asks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SurveyContent {
    /// Last year: average number of workers (head office and branches together).
    pub previous_year_average_workforce: u32,
    pub previous_year_hires: u32,
    pub previous_year_leavers: u32,
    /// Next year: expected workforce at year end.
    pub expected_workforce_next_year: u32,
    /// Next year: expected hires by occupation.
    pub expected_hires: Vec<(String, u32)>,
    /// Occupations hard to find staff for.
    pub hard_to_fill: Vec<(String, u32)>,
    /// Training needs in the employer's words.
    pub training_needs: Vec<String>,
    pub notes: Option<String>,
}

/// A survey as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Survey {
    pub id: SurveyId,
    pub workplace_id: WorkplaceId,
    pub employer_id: EmployerId,
    pub year: i32,
    /// The head office and its branches in the province when it was last saved.
    pub covered_workplaces: Vec<WorkplaceId>,
    pub content: SurveyContent,
    pub version: i64,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// What the survey rules need to know of a workplace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SurveyWorkplace {
    pub id: WorkplaceId,
    pub employer_id: EmployerId,
    pub is_head_office: bool,
}

pub trait SurveyStore: HistoryLog {
    fn workplace(&mut self, id: WorkplaceId) -> Result<Option<SurveyWorkplace>, DomainError>;
    /// The branches of a head office.
    fn branches_of(&mut self, head: WorkplaceId) -> Result<Vec<WorkplaceId>, DomainError>;
    fn unknown_occupations(&mut self, codes: &[String]) -> Result<Vec<String>, DomainError>;
    fn find(&mut self, workplace: WorkplaceId, year: i32) -> Result<Option<Survey>, DomainError>;
    fn get(&mut self, id: SurveyId) -> Result<Option<Survey>, DomainError>;
    fn insert(&mut self, s: &Survey) -> Result<(), DomainError>;
    fn update(&mut self, s: &Survey, expected: i64) -> Result<bool, DomainError>;
    /// Surveys of one employer (all when `None`), optionally of one year, newest first.
    fn page(
        &mut self,
        employer: Option<EmployerId>,
        year: Option<i32>,
        page: PageRequest,
    ) -> Result<Page<Survey>, DomainError>;
}

fn not_found() -> DomainError {
    DomainError::not_found("survey.not_found", "No such survey.")
}

fn workplace_not_found() -> DomainError {
    DomainError::not_found("workplace.not_found", "No such workplace.")
}

fn writer(actor: &Actor) -> Result<EmployerId, DomainError> {
    match actor {
        Actor::EmployerUser {
            employer_id,
            permissions,
            ..
        } if permissions.admin || permissions.workforce_chart => Ok(*employer_id),
        Actor::EmployerUser { .. } => Err(DomainError::forbidden(
            "survey.permission_missing",
            "Your user has no workforce-chart permission.",
        )),
        _ => Err(DomainError::forbidden(
            "survey.employers_only",
            "Only an employer's users file surveys.",
        )),
    }
}

/// `None` for İŞKUR staff (every employer), else the employer whose surveys `actor` reads
/// (its users with the workforce-chart permission, or its admin).
fn reader(actor: &Actor) -> Result<Option<EmployerId>, DomainError> {
    match actor {
        Actor::IskurStaff { .. } => Ok(None),
        Actor::EmployerUser { .. } => writer(actor).map(Some),
        _ => Err(DomainError::forbidden(
            "survey.not_allowed",
            "Only employers' users and İŞKUR staff see surveys.",
        )),
    }
}

fn check_content(store: &mut impl SurveyStore, c: &SurveyContent) -> Result<(), DomainError> {
    let mut errors = FieldErrors::new();
    let mut codes = Vec::new();
    for (section, rows) in [
        ("expected_hires", &c.expected_hires),
        ("hard_to_fill", &c.hard_to_fill),
    ] {
        let mut seen = Vec::new();
        for (i, (code, _)) in rows.iter().enumerate() {
            if seen.contains(code) {
                errors.push(FieldError::new(
                    format!("{section}[{i}].occupation_code"),
                    "survey.duplicate_occupation",
                    format!("{code} appears twice."),
                ));
            }
            seen.push(code.clone());
            codes.push((format!("{section}[{i}].occupation_code"), code.clone()));
        }
    }
    if c.training_needs.len() > 20 {
        errors.push(FieldError::new(
            "training_needs",
            "survey.too_many_items",
            "At most 20 training needs.",
        ));
    }
    let mut distinct: Vec<String> = codes.iter().map(|(_, c)| c.clone()).collect();
    distinct.sort();
    distinct.dedup();
    if !distinct.is_empty() {
        let unknown = store.unknown_occupations(&distinct)?;
        for (field, code) in codes {
            if unknown.contains(&code) {
                errors.push(FieldError::new(
                    field,
                    "survey.unknown_occupation",
                    format!("{code} is not in the occupation dictionary."),
                ));
            }
        }
    }
    errors.finish()
}

/// Whether a survey of `year` may be filed or changed at `now`: this year or last.
fn open_years(now: OffsetDateTime) -> (i32, i32) {
    let y = YearMonth::of(istanbul_date_of(now)).year;
    (y - 1, y)
}

fn record(
    store: &mut impl SurveyStore,
    actor: &Actor,
    s: &Survey,
    from: Option<&str>,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    store.append(&HistoryEntry {
        resource_kind: "annual_survey".into(),
        resource_id: s.id.to_string(),
        at: now,
        actor: actor.audit_label(),
        from_state: from.map(str::to_owned),
        to_state: "filed".into(),
        note: Some(format!("{} anketi", s.year)),
    })
}

/// Files the survey of `year` for a head office.
pub fn create_survey(
    store: &mut impl SurveyStore,
    actor: &Actor,
    workplace: WorkplaceId,
    year: i32,
    content: SurveyContent,
    now: OffsetDateTime,
) -> Result<Survey, DomainError> {
    let employer = writer(actor)?;
    let w = store
        .workplace(workplace)?
        .filter(|w| w.employer_id == employer)
        .ok_or_else(workplace_not_found)?;
    if !w.is_head_office {
        return Err(DomainError::field(FieldError::new(
            "workplace_id",
            "survey.branch_refused",
            "Branches cannot file a survey; the head office of the province files it for them.",
        )));
    }
    let (from, to) = open_years(now);
    if !(from..=to).contains(&year) {
        return Err(DomainError::field(FieldError::new(
            "year",
            "survey.year_out_of_range",
            format!("A survey is filed for {from} or {to}."),
        )));
    }
    check_content(store, &content)?;
    if store.find(workplace, year)?.is_some() {
        return Err(DomainError::conflict(
            "survey.exists",
            format!("This head office already filed its {year} survey; change that one."),
        ));
    }
    let mut covered = vec![workplace];
    covered.extend(store.branches_of(workplace)?);
    let s = Survey {
        id: SurveyId::new(),
        workplace_id: workplace,
        employer_id: employer,
        year,
        covered_workplaces: covered,
        content,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    store.insert(&s)?;
    record(store, actor, &s, None, now)?;
    Ok(s)
}

/// Changes a survey of this year or last (`If-Match` honoured).
pub fn update_survey(
    store: &mut impl SurveyStore,
    actor: &Actor,
    id: SurveyId,
    content: SurveyContent,
    if_match: Option<i64>,
    now: OffsetDateTime,
) -> Result<Survey, DomainError> {
    let employer = writer(actor)?;
    let current = store
        .get(id)?
        .filter(|s| s.employer_id == employer)
        .ok_or_else(not_found)?;
    let (from, to) = open_years(now);
    if !(from..=to).contains(&current.year) {
        return Err(DomainError::conflict(
            "survey.closed",
            format!("The {} survey is read-only now.", current.year),
        ));
    }
    if if_match.is_some_and(|v| v != current.version) {
        return Err(DomainError::stale("survey"));
    }
    check_content(store, &content)?;
    let mut covered = vec![current.workplace_id];
    covered.extend(store.branches_of(current.workplace_id)?);
    let next = Survey {
        content,
        covered_workplaces: covered,
        version: current.version + 1,
        updated_at: now,
        ..current.clone()
    };
    if !store.update(&next, current.version)? {
        return Err(DomainError::stale("survey"));
    }
    record(store, actor, &next, Some("filed"), now)?;
    Ok(next)
}

/// One survey.
pub fn get_survey(
    store: &mut impl SurveyStore,
    actor: &Actor,
    id: SurveyId,
) -> Result<Survey, DomainError> {
    let scope = reader(actor)?;
    store
        .get(id)?
        .filter(|s| scope.is_none_or(|e| e == s.employer_id))
        .ok_or_else(not_found)
}

/// The employer's surveys (all for İŞKUR staff), newest year first, optionally of one year.
pub fn list_surveys(
    store: &mut impl SurveyStore,
    actor: &Actor,
    year: Option<i32>,
    page: PageRequest,
) -> Result<Page<Survey>, DomainError> {
    let employer = reader(actor)?;
    store.page(employer, year, page)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kapi_core::{EmployerPermissions, ErrorKind, StaffAccountId, Tckn};
    use time::macros::datetime;

    #[derive(Default)]
    struct Fake {
        workplaces: Vec<(SurveyWorkplace, Option<WorkplaceId>)>,
        surveys: Vec<Survey>,
    }

    impl HistoryLog for Fake {
        fn append(&mut self, _: &HistoryEntry) -> Result<(), DomainError> {
            Ok(())
        }
        fn history(&mut self, _: &str, _: &str) -> Result<Vec<HistoryEntry>, DomainError> {
            Ok(vec![])
        }
    }

    impl SurveyStore for Fake {
        fn workplace(&mut self, id: WorkplaceId) -> Result<Option<SurveyWorkplace>, DomainError> {
            Ok(self
                .workplaces
                .iter()
                .find(|(w, _)| w.id == id)
                .map(|(w, _)| *w))
        }
        fn branches_of(&mut self, head: WorkplaceId) -> Result<Vec<WorkplaceId>, DomainError> {
            Ok(self
                .workplaces
                .iter()
                .filter(|(_, h)| *h == Some(head))
                .map(|(w, _)| w.id)
                .collect())
        }
        fn unknown_occupations(&mut self, codes: &[String]) -> Result<Vec<String>, DomainError> {
            Ok(codes
                .iter()
                .filter(|c| c.starts_with('9'))
                .cloned()
                .collect())
        }
        fn find(&mut self, w: WorkplaceId, year: i32) -> Result<Option<Survey>, DomainError> {
            Ok(self
                .surveys
                .iter()
                .find(|s| s.workplace_id == w && s.year == year)
                .cloned())
        }
        fn get(&mut self, id: SurveyId) -> Result<Option<Survey>, DomainError> {
            Ok(self.surveys.iter().find(|s| s.id == id).cloned())
        }
        fn insert(&mut self, s: &Survey) -> Result<(), DomainError> {
            self.surveys.push(s.clone());
            Ok(())
        }
        fn update(&mut self, s: &Survey, expected: i64) -> Result<bool, DomainError> {
            match self.surveys.iter_mut().find(|x| x.id == s.id) {
                Some(x) if x.version == expected => {
                    *x = s.clone();
                    Ok(true)
                }
                _ => Ok(false),
            }
        }
        fn page(
            &mut self,
            employer: Option<EmployerId>,
            year: Option<i32>,
            page: PageRequest,
        ) -> Result<Page<Survey>, DomainError> {
            let items: Vec<Survey> = self
                .surveys
                .iter()
                .filter(|s| employer.is_none_or(|e| e == s.employer_id))
                .filter(|s| year.is_none_or(|y| y == s.year))
                .cloned()
                .collect();
            let n = items.len() as u64;
            Ok(Page::new(items, page, n))
        }
    }

    fn user(e: EmployerId) -> Actor {
        Actor::EmployerUser {
            tckn: Tckn::parse("10000000146").unwrap(),
            employer_id: e,
            workplace_id: None,
            permissions: EmployerPermissions {
                workforce_chart: true,
                ..EmployerPermissions::default()
            },
        }
    }

    fn setup() -> (Fake, EmployerId, WorkplaceId, WorkplaceId) {
        let e = EmployerId::new();
        let (head, branch) = (WorkplaceId::new(), WorkplaceId::new());
        let mut f = Fake::default();
        f.workplaces.push((
            SurveyWorkplace {
                id: head,
                employer_id: e,
                is_head_office: true,
            },
            None,
        ));
        f.workplaces.push((
            SurveyWorkplace {
                id: branch,
                employer_id: e,
                is_head_office: false,
            },
            Some(head),
        ));
        (f, e, head, branch)
    }

    const LAST_MINUTE_2026: OffsetDateTime = datetime!(2026-12-31 23:59 +03:00);
    const FIRST_MINUTE_2027: OffsetDateTime = datetime!(2027-01-01 00:00 +03:00);

    #[test]
    fn one_per_year_per_head_office_covering_its_branches() {
        let (mut store, e, head, branch) = setup();
        let actor = user(e);
        let s = create_survey(
            &mut store,
            &actor,
            head,
            2026,
            SurveyContent::default(),
            LAST_MINUTE_2026,
        )
        .unwrap();
        assert_eq!(s.covered_workplaces, vec![head, branch]);
        let dup = create_survey(
            &mut store,
            &actor,
            head,
            2026,
            SurveyContent::default(),
            LAST_MINUTE_2026,
        )
        .unwrap_err();
        assert_eq!(
            (dup.kind, dup.code.as_ref()),
            (ErrorKind::Conflict, "survey.exists")
        );
        let b = create_survey(
            &mut store,
            &actor,
            branch,
            2025,
            SurveyContent::default(),
            LAST_MINUTE_2026,
        )
        .unwrap_err();
        assert_eq!(b.fields[0].code, "survey.branch_refused");
        let content = SurveyContent {
            expected_hires: vec![
                ("9999.99".into(), 2),
                ("2512.04".into(), 1),
                ("2512.04".into(), 1),
            ],
            ..SurveyContent::default()
        };
        let bad =
            create_survey(&mut store, &actor, head, 2025, content, LAST_MINUTE_2026).unwrap_err();
        let codes: Vec<&str> = bad.fields.iter().map(|f| f.code.as_ref()).collect();
        assert_eq!(
            codes,
            ["survey.duplicate_occupation", "survey.unknown_occupation"]
        );
    }

    #[test]
    fn years_open_on_both_sides_of_new_year() {
        let (mut store, e, head, _) = setup();
        let actor = user(e);
        assert_eq!(
            create_survey(
                &mut store,
                &actor,
                head,
                2027,
                SurveyContent::default(),
                LAST_MINUTE_2026
            )
            .unwrap_err()
            .fields[0]
                .code,
            "survey.year_out_of_range"
        );
        let s2025 = create_survey(
            &mut store,
            &actor,
            head,
            2025,
            SurveyContent::default(),
            LAST_MINUTE_2026,
        )
        .unwrap();
        assert!(create_survey(
            &mut store,
            &actor,
            head,
            2027,
            SurveyContent::default(),
            FIRST_MINUTE_2027
        )
        .is_ok());
        // 2025 could still change on 31 December 2026, not on 1 January 2027.
        let changed = update_survey(
            &mut store,
            &actor,
            s2025.id,
            SurveyContent::default(),
            Some(1),
            LAST_MINUTE_2026,
        )
        .unwrap();
        assert_eq!(changed.version, 2);
        let stale = update_survey(
            &mut store,
            &actor,
            s2025.id,
            SurveyContent::default(),
            Some(1),
            LAST_MINUTE_2026,
        )
        .unwrap_err();
        assert_eq!(stale.kind, ErrorKind::PreconditionFailed);
        let closed = update_survey(
            &mut store,
            &actor,
            s2025.id,
            SurveyContent::default(),
            None,
            FIRST_MINUTE_2027,
        )
        .unwrap_err();
        assert_eq!(closed.code, "survey.closed");
    }

    #[test]
    fn scope() {
        let (mut store, e, head, _) = setup();
        let s = create_survey(
            &mut store,
            &user(e),
            head,
            2026,
            SurveyContent::default(),
            LAST_MINUTE_2026,
        )
        .unwrap();
        let stranger = user(EmployerId::new());
        assert_eq!(
            get_survey(&mut store, &stranger, s.id).unwrap_err().code,
            "survey.not_found"
        );
        assert_eq!(
            update_survey(
                &mut store,
                &stranger,
                s.id,
                SurveyContent::default(),
                None,
                LAST_MINUTE_2026
            )
            .unwrap_err()
            .code,
            "survey.not_found"
        );
        assert_eq!(
            create_survey(
                &mut store,
                &stranger,
                head,
                2026,
                SurveyContent::default(),
                LAST_MINUTE_2026
            )
            .unwrap_err()
            .code,
            "workplace.not_found"
        );
        assert_eq!(
            list_surveys(&mut store, &stranger, None, PageRequest::first())
                .unwrap()
                .total,
            0
        );
        let staff = Actor::IskurStaff {
            account_id: StaffAccountId::new(),
            province: None,
        };
        assert!(get_survey(&mut store, &staff, s.id).is_ok());
        assert_eq!(
            list_surveys(&mut store, &staff, Some(2026), PageRequest::first())
                .unwrap()
                .total,
            1
        );
        assert_eq!(
            update_survey(
                &mut store,
                &staff,
                s.id,
                SurveyContent::default(),
                None,
                LAST_MINUTE_2026
            )
            .unwrap_err()
            .code,
            "survey.employers_only"
        );
    }
}
