//! The monthly workforce chart (aylık işgücü çizelgesi) — seed 001 §2.1.3.2.
//!
//! Rules implemented here (pure; the use cases are in [`crate::charts`]):
//! - Charts are entered **in sequence**: a new chart is for the month after the latest one;
//!   the first chart may be for any month up to the current one (Istanbul time).
//! - Only the **latest** chart can change (`chart.not_latest`, 409).
//! - Section 1, workplace development, per category × gender × contract: previous month-end
//!   (carried from the preceding chart, read-only; only the first chart enters it, default
//!   0), hires and leavers; **month-end = previous + hires − leavers**, computed here and
//!   never negative. Underground / underwater workers are a separate "of which" row per
//!   gender that can never exceed the month-end total.
//! - Section 2, per-person hire / leave records: their numbers equal section 1's hires and
//!   leavers, and every date lies in the chart's month.
//! - Section 3, distribution by occupation: zero rows are dropped, an occupation appears
//!   once, and the total equals the month-end total.
//! - Sections 4–6 (exemptions, employment intentions, hard-to-fill occupations) are kept as
//!   entered, with non-negative counts.
//!
//! Every refusal is a 422 naming the section and field (`development[disabled.female.part_time].leavers`).

use kapi_core::{istanbul_date_of, DomainError, FieldError, FieldErrors, Tckn};
use std::collections::{BTreeMap, BTreeSet};
use time::{Date, Month, OffsetDateTime};

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    pub year: i32,
    pub month: Month,
}

impl YearMonth {
    pub fn of(d: Date) -> Self {
        Self {
            year: d.year(),
            month: d.month(),
        }
    }
    pub fn next(self) -> Self {
        match self.month {
            Month::December => Self {
                year: self.year + 1,
                month: Month::January,
            },
            m => Self {
                year: self.year,
                month: m.next(),
            },
        }
    }
    pub fn contains(self, d: Date) -> bool {
        d.year() == self.year && d.month() == self.month
    }
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-{:02}", self.year, self.month as u8)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// Everyone not in the three categories below (genel, * fields).
    General,
    Disabled,
    ExConvict,
    TerrorVictim,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Gender {
    Male,
    Female,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Contract {
    Indefinite,
    FixedTerm,
    PartTime,
}

/// One row of section 1.
pub type RowKey = (Category, Gender, Contract);

fn row_name((c, g, k): RowKey) -> String {
    let c = match c {
        Category::General => "general",
        Category::Disabled => "disabled",
        Category::ExConvict => "ex_convict",
        Category::TerrorVictim => "terror_victim",
    };
    let g = match g {
        Gender::Male => "male",
        Gender::Female => "female",
    };
    let k = match k {
        Contract::Indefinite => "indefinite",
        Contract::FixedTerm => "fixed_term",
        Contract::PartTime => "part_time",
    };
    format!("{c}.{g}.{k}")
}

/// Counts of one row as entered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Movement {
    pub hires: u32,
    pub leavers: u32,
}

/// Counts of one row as stored: previous, movement and the computed month-end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Development {
    pub previous: u32,
    pub hires: u32,
    pub leavers: u32,
    pub month_end: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonMovementKind {
    Hire,
    Leave,
}

/// Section 2: one person hired or leaving in the month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonMovement {
    pub kind: PersonMovementKind,
    pub tckn: Tckn,
    pub full_name: String,
    pub date: Date,
    pub occupation_code: String,
    pub reason: Option<String>,
}

/// Section 5.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmploymentIntentions {
    pub joint_course_wish: bool,
    pub in_company_training_wish: bool,
    /// Expected change of the workforce next month (may be negative).
    pub expected_change_next_month: i32,
    pub apprentices_needed_next_month: u32,
    pub mandatory_employment_preference: Option<String>,
}

/// Everything the employer enters for one month (the wizard's pages, saved together).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChartInput {
    /// Only for the very first chart: last month's closing counts (default 0).
    pub opening: Option<BTreeMap<RowKey, u32>>,
    pub opening_underground: Option<BTreeMap<Gender, u32>>,
    pub movements: BTreeMap<RowKey, Movement>,
    pub underground_movements: BTreeMap<Gender, Movement>,
    pub people: Vec<PersonMovement>,
    pub occupations: Vec<(String, u32)>,
    pub exemptions: Vec<(String, u32)>,
    pub intentions: EmploymentIntentions,
    pub hard_to_fill: Vec<(String, u32)>,
}

/// A chart as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chart {
    pub month: YearMonth,
    pub development: BTreeMap<RowKey, Development>,
    pub underground: BTreeMap<Gender, Development>,
    pub people: Vec<PersonMovement>,
    pub occupations: BTreeMap<String, u32>,
    pub exemptions: Vec<(String, u32)>,
    pub intentions: EmploymentIntentions,
    pub hard_to_fill: Vec<(String, u32)>,
}

impl Chart {
    pub fn month_end_total(&self) -> u32 {
        self.development.values().map(|d| d.month_end).sum()
    }
    pub fn underground_total(&self) -> u32 {
        self.underground.values().map(|d| d.month_end).sum()
    }
    /// Month-end headcount of one category (for the quota status).
    pub fn month_end_of(&self, category: Category) -> u32 {
        self.development
            .iter()
            .filter(|(k, _)| k.0 == category)
            .map(|(_, d)| d.month_end)
            .sum()
    }
}

/// Which month a new chart must be for.
pub fn check_new_month(
    latest: Option<YearMonth>,
    requested: YearMonth,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    let current = YearMonth::of(istanbul_date_of(now));
    match latest {
        Some(l) if requested != l.next() => Err(DomainError::conflict(
            "chart.out_of_sequence",
            format!(
                "The next chart is for {}; charts are entered month after month.",
                l.next()
            ),
        )),
        _ if requested > current => Err(DomainError::field(FieldError::new(
            "month",
            "chart.future_month",
            format!("A chart cannot be for a month after {current}."),
        ))),
        _ => Ok(()),
    }
}

/// Whether the chart for `month` may still change.
pub fn check_editable(latest: YearMonth, month: YearMonth) -> Result<(), DomainError> {
    if month != latest {
        return Err(DomainError::conflict(
            "chart.not_latest",
            format!("Only the latest chart ({latest}) can be changed; {month} is read-only."),
        ));
    }
    Ok(())
}

fn develop(previous: u32, m: Movement, field: &str, errors: &mut FieldErrors) -> Development {
    let month_end = i64::from(previous) + i64::from(m.hires) - i64::from(m.leavers);
    if month_end < 0 {
        errors.push(FieldError::new(
            format!("{field}.leavers"),
            "chart.negative_month_end",
            format!(
                "{previous} + {} hired − {} left is below zero.",
                m.hires, m.leavers
            ),
        ));
    }
    Development {
        previous,
        hires: m.hires,
        leavers: m.leavers,
        month_end: month_end.max(0) as u32,
    }
}

/// Builds the chart for `month` from what was entered, carrying the previous chart's
/// month-end counts (`previous` = the latest chart, `None` for the first one).
pub fn build_chart(
    previous: Option<&Chart>,
    month: YearMonth,
    input: ChartInput,
) -> Result<Chart, DomainError> {
    let mut errors = FieldErrors::new();
    if previous.is_some() && (input.opening.is_some() || input.opening_underground.is_some()) {
        errors.push(FieldError::new(
            "development.previous",
            "chart.previous_read_only",
            "Last month's counts come from the previous chart and cannot be entered.",
        ));
    }
    let opening = |key: &RowKey| match previous {
        Some(p) => p.development.get(key).map(|d| d.month_end).unwrap_or(0),
        None => input
            .opening
            .as_ref()
            .and_then(|o| o.get(key).copied())
            .unwrap_or(0),
    };
    let opening_ug = |g: &Gender| match previous {
        Some(p) => p.underground.get(g).map(|d| d.month_end).unwrap_or(0),
        None => input
            .opening_underground
            .as_ref()
            .and_then(|o| o.get(g).copied())
            .unwrap_or(0),
    };

    let mut keys: BTreeSet<RowKey> = input.movements.keys().copied().collect();
    if let Some(p) = previous {
        keys.extend(p.development.keys().copied());
    }
    if let Some(o) = &input.opening {
        keys.extend(o.keys().copied());
    }
    let mut development = BTreeMap::new();
    for key in keys {
        let m = input.movements.get(&key).copied().unwrap_or_default();
        let d = develop(
            opening(&key),
            m,
            &format!("development[{}]", row_name(key)),
            &mut errors,
        );
        if d != Development::default() {
            development.insert(key, d);
        }
    }
    let mut underground = BTreeMap::new();
    for g in [Gender::Male, Gender::Female] {
        let m = input
            .underground_movements
            .get(&g)
            .copied()
            .unwrap_or_default();
        let name = if g == Gender::Male { "male" } else { "female" };
        let d = develop(
            opening_ug(&g),
            m,
            &format!("underground[{name}]"),
            &mut errors,
        );
        if d != Development::default() {
            underground.insert(g, d);
        }
    }

    let hires: u32 = development.values().map(|d| d.hires).sum();
    let leavers: u32 = development.values().map(|d| d.leavers).sum();
    let total: u32 = development.values().map(|d| d.month_end).sum();
    let ug_total: u32 = underground.values().map(|d| d.month_end).sum();
    if ug_total > total {
        errors.push(FieldError::new(
            "underground",
            "chart.underground_exceeds_total",
            format!("{ug_total} underground workers but only {total} workers in all."),
        ));
    }

    let people_hired = input
        .people
        .iter()
        .filter(|p| p.kind == PersonMovementKind::Hire)
        .count() as u32;
    let people_left = input.people.len() as u32 - people_hired;
    if people_hired != hires {
        errors.push(FieldError::new(
            "details.hires",
            "chart.details_mismatch",
            format!("Section 1 says {hires} hired; section 2 lists {people_hired}."),
        ));
    }
    if people_left != leavers {
        errors.push(FieldError::new(
            "details.leavers",
            "chart.details_mismatch",
            format!("Section 1 says {leavers} left; section 2 lists {people_left}."),
        ));
    }
    for (i, p) in input.people.iter().enumerate() {
        if !month.contains(p.date) {
            errors.push(FieldError::new(
                format!("details[{i}].date"),
                "chart.date_outside_month",
                format!("The date must be in {month}."),
            ));
        }
        if p.full_name.trim().is_empty() {
            errors.push(FieldError::new(
                format!("details[{i}].full_name"),
                "chart.name_required",
                "A name is required.",
            ));
        }
    }

    let mut occupations = BTreeMap::new();
    for (i, (code, count)) in input.occupations.iter().enumerate() {
        if *count == 0 {
            continue;
        }
        if occupations.insert(code.clone(), *count).is_some() {
            errors.push(FieldError::new(
                format!("occupations[{i}].code"),
                "chart.duplicate_occupation",
                format!("{code} appears twice."),
            ));
        }
    }
    let occupation_total: u32 = occupations.values().sum();
    if occupation_total != total {
        errors.push(FieldError::new(
            "occupations",
            "chart.occupation_total_mismatch",
            format!(
                "The occupations add up to {occupation_total}, the month-end total is {total}."
            ),
        ));
    }
    errors.finish()?;
    Ok(Chart {
        month,
        development,
        underground,
        people: input.people,
        occupations,
        exemptions: input.exemptions,
        intentions: input.intentions,
        hard_to_fill: input
            .hard_to_fill
            .into_iter()
            .filter(|(_, n)| *n > 0)
            .collect(),
    })
}

/// The occupation distribution a new chart starts from: the previous chart's.
pub fn prefilled_occupations(previous: Option<&Chart>) -> Vec<(String, u32)> {
    previous
        .map(|p| p.occupations.iter().map(|(c, n)| (c.clone(), *n)).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use kapi_core::ErrorKind;
    use time::macros::{date, datetime};

    const GMI: RowKey = (Category::General, Gender::Male, Contract::Indefinite);
    const DFP: RowKey = (Category::Disabled, Gender::Female, Contract::PartTime);
    const JAN: YearMonth = YearMonth {
        year: 2026,
        month: Month::January,
    };

    fn person(kind: PersonMovementKind, date: Date) -> PersonMovement {
        PersonMovement {
            kind,
            tckn: Tckn::parse("10000000146").unwrap(),
            full_name: "Ayşe Yılmaz".into(),
            date,
            occupation_code: "2512.04".into(),
            reason: None,
        }
    }

    fn first_chart() -> Chart {
        let input = ChartInput {
            opening: Some(BTreeMap::from([(GMI, 10), (DFP, 1)])),
            movements: BTreeMap::from([(
                GMI,
                Movement {
                    hires: 2,
                    leavers: 1,
                },
            )]),
            people: vec![
                person(PersonMovementKind::Hire, date!(2026 - 01 - 05)),
                person(PersonMovementKind::Hire, date!(2026 - 01 - 06)),
                person(PersonMovementKind::Leave, date!(2026 - 01 - 31)),
            ],
            occupations: vec![
                ("2512.04".into(), 8),
                ("4110.01".into(), 4),
                ("9112.01".into(), 0),
            ],
            ..Default::default()
        };
        build_chart(None, JAN, input).unwrap()
    }

    #[test]
    fn month_end_is_computed_and_carried() {
        let jan = first_chart();
        assert_eq!(
            jan.development[&GMI],
            Development {
                previous: 10,
                hires: 2,
                leavers: 1,
                month_end: 11
            }
        );
        assert_eq!(jan.month_end_total(), 12);
        assert_eq!(jan.month_end_of(Category::Disabled), 1);
        assert!(
            !jan.occupations.contains_key("9112.01"),
            "zero rows are removed"
        );
        let feb = build_chart(
            Some(&jan),
            JAN.next(),
            ChartInput {
                occupations: prefilled_occupations(Some(&jan)),
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(
            feb.development[&GMI],
            Development {
                previous: 11,
                hires: 0,
                leavers: 0,
                month_end: 11
            }
        );
        assert_eq!(feb.month_end_total(), 12);
    }

    #[test]
    fn previous_counts_are_read_only_after_the_first_chart() {
        let jan = first_chart();
        let e = build_chart(
            Some(&jan),
            JAN.next(),
            ChartInput {
                opening: Some(BTreeMap::from([(GMI, 99)])),
                occupations: prefilled_occupations(Some(&jan)),
                ..Default::default()
            },
        )
        .unwrap_err();
        assert_eq!(e.fields[0].code, "chart.previous_read_only");
    }

    #[test]
    fn month_end_never_negative_and_the_field_is_named() {
        let input = ChartInput {
            movements: BTreeMap::from([(
                DFP,
                Movement {
                    hires: 0,
                    leavers: 1,
                },
            )]),
            people: vec![person(PersonMovementKind::Leave, date!(2026 - 01 - 10))],
            ..Default::default()
        };
        let e = build_chart(None, JAN, input).unwrap_err();
        assert_eq!(
            e.fields[0].field,
            "development[disabled.female.part_time].leavers"
        );
        assert_eq!(e.fields[0].code, "chart.negative_month_end");
    }

    #[test]
    fn sections_must_agree() {
        let mut input = ChartInput {
            movements: BTreeMap::from([(
                GMI,
                Movement {
                    hires: 2,
                    leavers: 0,
                },
            )]),
            people: vec![person(PersonMovementKind::Hire, date!(2026 - 02 - 01))],
            occupations: vec![("2512.04".into(), 1), ("2512.04".into(), 1)],
            underground_movements: BTreeMap::from([(
                Gender::Male,
                Movement {
                    hires: 3,
                    leavers: 0,
                },
            )]),
            ..Default::default()
        };
        let e = build_chart(None, JAN, input.clone()).unwrap_err();
        let codes: Vec<(&str, &str)> = e
            .fields
            .iter()
            .map(|f| (f.field.as_str(), f.code.as_ref()))
            .collect();
        assert_eq!(
            codes,
            vec![
                ("underground", "chart.underground_exceeds_total"),
                ("details.hires", "chart.details_mismatch"),
                ("details[0].date", "chart.date_outside_month"),
                ("occupations[1].code", "chart.duplicate_occupation"),
                ("occupations", "chart.occupation_total_mismatch"),
            ]
        );
        input.people = vec![
            person(PersonMovementKind::Hire, date!(2026 - 01 - 01)),
            person(PersonMovementKind::Hire, date!(2026 - 01 - 31)),
        ];
        input.occupations = vec![("2512.04".into(), 2)];
        input.underground_movements = BTreeMap::from([(
            Gender::Male,
            Movement {
                hires: 2,
                leavers: 0,
            },
        )]);
        let ok = build_chart(None, JAN, input).unwrap();
        assert_eq!((ok.month_end_total(), ok.underground_total()), (2, 2));
    }

    #[test]
    fn charts_come_in_sequence_and_only_the_latest_changes() {
        let now = datetime!(2026-03-10 12:00 UTC);
        assert!(check_new_month(None, JAN, now).is_ok());
        let e = check_new_month(
            None,
            YearMonth {
                year: 2026,
                month: Month::April,
            },
            now,
        )
        .unwrap_err();
        assert_eq!(e.fields[0].code, "chart.future_month");
        assert!(check_new_month(Some(JAN), JAN.next(), now).is_ok());
        let e = check_new_month(
            Some(JAN),
            YearMonth {
                year: 2026,
                month: Month::March,
            },
            now,
        )
        .unwrap_err();
        assert_eq!(
            (e.kind, e.code.as_ref()),
            (ErrorKind::Conflict, "chart.out_of_sequence")
        );
        assert_eq!(
            check_new_month(Some(JAN), JAN, now).unwrap_err().code,
            "chart.out_of_sequence"
        );
        let dec = YearMonth {
            year: 2025,
            month: Month::December,
        };
        assert_eq!(dec.next(), JAN);
        assert!(check_editable(JAN, JAN).is_ok());
        assert_eq!(
            check_editable(JAN, dec).unwrap_err().code,
            "chart.not_latest"
        );
        // The month boundary is Istanbul's: 31 March 21:30 UTC is already April there.
        assert!(check_new_month(
            Some(YearMonth {
                year: 2026,
                month: Month::March
            }),
            YearMonth {
                year: 2026,
                month: Month::April
            },
            datetime!(2026-03-31 21:30 UTC)
        )
        .is_ok());
        assert!(check_new_month(
            Some(YearMonth {
                year: 2026,
                month: Month::March
            }),
            YearMonth {
                year: 2026,
                month: Month::April
            },
            datetime!(2026-03-31 20:30 UTC)
        )
        .is_err());
    }
}
