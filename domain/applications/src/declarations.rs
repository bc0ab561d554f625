//! What a candidate declares (bilgi beyanı) on the wizard's registry step — seed 000 §5:
//! high-school and university graduation, minor (yan dal), exchange programme, work
//! experience, compulsory service (mecburi hizmet), foreign-language exams (several) and
//! other declarations. Everything is optional; what is given must hold together: no
//! graduation, exam or work start in the future, ranges that end after they start, grades
//! and exam scores within their scale. Every invalid field is named at once
//! (`declarations.language_exams[1].score`).

use kapi_core::{clean_text, FieldError, FieldErrors};
use serde::{Deserialize, Serialize};
use time::{macros::format_description, Date};

pub const MAX_ENTRIES: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UniversityLevel {
    Associate,
    Bachelor,
    Master,
    Doctorate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GradeScale {
    /// 0–4 (GPA).
    Four,
    /// 0–100.
    Hundred,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkSector {
    Public,
    Private,
}

/// Foreign-language exams and their score ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LanguageExamKind {
    /// YDS, e-YDS, YÖKDİL: 0–100.
    Yds,
    EYds,
    Yokdil,
    /// TOEFL iBT: 0–120.
    ToeflIbt,
    /// IELTS: 0–9.
    Ielts,
    /// Another exam, converted to 0–100.
    Other,
}

impl LanguageExamKind {
    pub fn max_score(self) -> f64 {
        match self {
            Self::ToeflIbt => 120.0,
            Self::Ielts => 9.0,
            _ => 100.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HighSchool {
    pub school_name: String,
    pub graduation_date: Date,
    pub diploma_grade: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct University {
    pub level: UniversityLevel,
    pub university: String,
    pub department: String,
    pub graduation_date: Date,
    pub grade: f64,
    pub grade_scale: GradeScale,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Minor {
    pub university: String,
    pub department: String,
    pub graduation_date: Date,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExchangeProgramme {
    /// Erasmus+, Farabi, Mevlana, …
    pub programme: String,
    pub university: String,
    pub country: String,
    pub starts_on: Date,
    pub ends_on: Date,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkExperience {
    pub employer: String,
    pub position: String,
    pub sector: WorkSector,
    pub starts_on: Date,
    /// `None` while still working there.
    pub ends_on: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompulsoryService {
    pub institution: String,
    /// When the obligation ends (may be in the future).
    pub ends_on: Date,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LanguageExam {
    pub language: String,
    pub exam: LanguageExamKind,
    pub exam_date: Date,
    pub score: f64,
}

/// The declarations as saved.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Declarations {
    pub high_school: Option<HighSchool>,
    pub universities: Vec<University>,
    pub minors: Vec<Minor>,
    pub exchange_programmes: Vec<ExchangeProgramme>,
    pub work_experience: Vec<WorkExperience>,
    pub compulsory_service: Option<CompulsoryService>,
    pub language_exams: Vec<LanguageExam>,
    pub other: Option<String>,
}

// --- input: as the form sends it (dates as YYYY-MM-DD strings, enums as codes) ---

#[derive(Debug, Clone, Default, PartialEq)]
pub struct HighSchoolInput {
    pub school_name: String,
    pub graduation_date: String,
    pub diploma_grade: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct UniversityInput {
    pub level: String,
    pub university: String,
    pub department: String,
    pub graduation_date: String,
    pub grade: f64,
    pub grade_scale: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct MinorInput {
    pub university: String,
    pub department: String,
    pub graduation_date: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ExchangeProgrammeInput {
    pub programme: String,
    pub university: String,
    pub country: String,
    pub starts_on: String,
    pub ends_on: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkExperienceInput {
    pub employer: String,
    pub position: String,
    pub sector: String,
    pub starts_on: String,
    pub ends_on: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct CompulsoryServiceInput {
    pub institution: String,
    pub ends_on: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LanguageExamInput {
    pub language: String,
    pub exam: String,
    pub exam_date: String,
    pub score: f64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeclarationsInput {
    pub high_school: Option<HighSchoolInput>,
    pub universities: Vec<UniversityInput>,
    pub minors: Vec<MinorInput>,
    pub exchange_programmes: Vec<ExchangeProgrammeInput>,
    pub work_experience: Vec<WorkExperienceInput>,
    pub compulsory_service: Option<CompulsoryServiceInput>,
    pub language_exams: Vec<LanguageExamInput>,
    pub other: Option<String>,
}

struct Checker<'a> {
    e: &'a mut FieldErrors,
    today: Date,
}

impl Checker<'_> {
    fn text(&mut self, field: &str, raw: &str) -> Option<String> {
        self.e.take(field, clean_text(field, raw, 2, 200))
    }

    fn date(&mut self, field: &str, raw: &str) -> Option<Date> {
        let format = format_description!("[year]-[month]-[day]");
        match Date::parse(raw.trim(), &format) {
            Ok(d) => Some(d),
            Err(_) => {
                self.e.push(FieldError::new(
                    field,
                    "date.format",
                    "A date as YYYY-MM-DD.",
                ));
                None
            }
        }
    }

    /// A date that has already happened (graduation, exam, a job's start).
    fn past_date(&mut self, field: &str, raw: &str) -> Option<Date> {
        let d = self.date(field, raw)?;
        if d > self.today {
            self.e.push(FieldError::new(
                field,
                "date.in_future",
                "This date must not be in the future.",
            ));
            return None;
        }
        Some(d)
    }

    fn range(&mut self, field: &str, value: f64, max: f64) -> Option<f64> {
        if !value.is_finite() || !(0.0..=max).contains(&value) {
            self.e.push(FieldError::new(
                field,
                "score.range",
                format!("Between 0 and {max}."),
            ));
            return None;
        }
        Some(value)
    }

    fn code<T: for<'de> Deserialize<'de>>(
        &mut self,
        field: &str,
        raw: &str,
        allowed: &str,
    ) -> Option<T> {
        match serde_plain(raw) {
            Some(v) => Some(v),
            None => {
                self.e.push(FieldError::new(
                    field,
                    "code.unknown",
                    format!("One of {allowed}."),
                ));
                None
            }
        }
    }

    fn count(&mut self, field: &str, n: usize) {
        if n > MAX_ENTRIES {
            self.e.push(FieldError::new(
                field,
                "declarations.too_many",
                format!("At most {MAX_ENTRIES} entries."),
            ));
        }
    }
}

/// A snake_case code into its enum (the enums above are plain unit variants).
fn serde_plain<T: for<'de> Deserialize<'de>>(raw: &str) -> Option<T> {
    use serde::de::value::{Error, StrDeserializer};
    use serde::de::IntoDeserializer;
    let d: StrDeserializer<'_, Error> = raw.into_deserializer();
    T::deserialize(d).ok()
}

impl DeclarationsInput {
    /// Valid declarations, or every invalid field under `declarations.`.
    pub fn validate(self, today: Date, e: &mut FieldErrors) -> Option<Declarations> {
        let before = e.len();
        let mut c = Checker { e, today };
        let p = "declarations";
        let high_school = self.high_school.and_then(|h| {
            let f = |x: &str| format!("{p}.high_school.{x}");
            let name = c.text(&f("school_name"), &h.school_name);
            let date = c.past_date(&f("graduation_date"), &h.graduation_date);
            let grade = c.range(&f("diploma_grade"), h.diploma_grade, 100.0);
            Some(HighSchool {
                school_name: name?,
                graduation_date: date?,
                diploma_grade: grade?,
            })
        });
        c.count(&format!("{p}.universities"), self.universities.len());
        let universities = self
            .universities
            .into_iter()
            .enumerate()
            .filter_map(|(i, u)| {
                let f = |x: &str| format!("{p}.universities[{i}].{x}");
                let level = c.code(
                    &f("level"),
                    &u.level,
                    "associate, bachelor, master, doctorate",
                );
                let university = c.text(&f("university"), &u.university);
                let department = c.text(&f("department"), &u.department);
                let date = c.past_date(&f("graduation_date"), &u.graduation_date);
                let scale: Option<GradeScale> =
                    c.code(&f("grade_scale"), &u.grade_scale, "four, hundred");
                let max = match scale {
                    Some(GradeScale::Four) => 4.0,
                    _ => 100.0,
                };
                let grade = c.range(&f("grade"), u.grade, max);
                Some(University {
                    level: level?,
                    university: university?,
                    department: department?,
                    graduation_date: date?,
                    grade: grade?,
                    grade_scale: scale?,
                })
            })
            .collect();
        c.count(&format!("{p}.minors"), self.minors.len());
        let minors = self
            .minors
            .into_iter()
            .enumerate()
            .filter_map(|(i, m)| {
                let f = |x: &str| format!("{p}.minors[{i}].{x}");
                let university = c.text(&f("university"), &m.university);
                let department = c.text(&f("department"), &m.department);
                let date = c.past_date(&f("graduation_date"), &m.graduation_date);
                Some(Minor {
                    university: university?,
                    department: department?,
                    graduation_date: date?,
                })
            })
            .collect();
        c.count(
            &format!("{p}.exchange_programmes"),
            self.exchange_programmes.len(),
        );
        let exchange_programmes = self
            .exchange_programmes
            .into_iter()
            .enumerate()
            .filter_map(|(i, x)| {
                let f = |n: &str| format!("{p}.exchange_programmes[{i}].{n}");
                let programme = c.text(&f("programme"), &x.programme);
                let university = c.text(&f("university"), &x.university);
                let country = c.text(&f("country"), &x.country);
                let starts = c.past_date(&f("starts_on"), &x.starts_on);
                let ends = c.date(&f("ends_on"), &x.ends_on);
                if let (Some(s), Some(e)) = (starts, ends) {
                    if e < s {
                        c.e.push(FieldError::new(
                            f("ends_on"),
                            "date.before_start",
                            "The end must not be before the start.",
                        ));
                        return None;
                    }
                }
                Some(ExchangeProgramme {
                    programme: programme?,
                    university: university?,
                    country: country?,
                    starts_on: starts?,
                    ends_on: ends?,
                })
            })
            .collect();
        c.count(&format!("{p}.work_experience"), self.work_experience.len());
        let work_experience = self
            .work_experience
            .into_iter()
            .enumerate()
            .filter_map(|(i, w)| {
                let f = |n: &str| format!("{p}.work_experience[{i}].{n}");
                let employer = c.text(&f("employer"), &w.employer);
                let position = c.text(&f("position"), &w.position);
                let sector = c.code(&f("sector"), &w.sector, "public, private");
                let starts = c.past_date(&f("starts_on"), &w.starts_on);
                let ends = match &w.ends_on {
                    Some(raw) => Some(c.past_date(&f("ends_on"), raw)?),
                    None => None,
                };
                if let (Some(s), Some(e)) = (starts, ends) {
                    if e < s {
                        c.e.push(FieldError::new(
                            f("ends_on"),
                            "date.before_start",
                            "The end must not be before the start.",
                        ));
                        return None;
                    }
                }
                Some(WorkExperience {
                    employer: employer?,
                    position: position?,
                    sector: sector?,
                    starts_on: starts?,
                    ends_on: ends,
                })
            })
            .collect();
        let compulsory_service = self.compulsory_service.and_then(|s| {
            let f = |n: &str| format!("{p}.compulsory_service.{n}");
            let institution = c.text(&f("institution"), &s.institution);
            let ends = c.date(&f("ends_on"), &s.ends_on);
            Some(CompulsoryService {
                institution: institution?,
                ends_on: ends?,
            })
        });
        c.count(&format!("{p}.language_exams"), self.language_exams.len());
        let language_exams = self
            .language_exams
            .into_iter()
            .enumerate()
            .filter_map(|(i, x)| {
                let f = |n: &str| format!("{p}.language_exams[{i}].{n}");
                let language = c.text(&f("language"), &x.language);
                let exam: Option<LanguageExamKind> = c.code(
                    &f("exam"),
                    &x.exam,
                    "yds, e_yds, yokdil, toefl_ibt, ielts, other",
                );
                let date = c.past_date(&f("exam_date"), &x.exam_date);
                let max = exam.map_or(100.0, LanguageExamKind::max_score);
                let score = c.range(&f("score"), x.score, max);
                Some(LanguageExam {
                    language: language?,
                    exam: exam?,
                    exam_date: date?,
                    score: score?,
                })
            })
            .collect();
        let other = self.other.and_then(|o| {
            let f = format!("{p}.other");
            c.e.take(&f, clean_text(&f, &o, 2, 2000))
        });
        if c.e.len() > before {
            return None;
        }
        Some(Declarations {
            high_school,
            universities,
            minors,
            exchange_programmes,
            work_experience,
            compulsory_service,
            language_exams,
            other,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn full() -> DeclarationsInput {
        DeclarationsInput {
            high_school: Some(HighSchoolInput {
                school_name: "Ankara Fen Lisesi".into(),
                graduation_date: "2015-06-15".into(),
                diploma_grade: 92.5,
            }),
            universities: vec![UniversityInput {
                level: "bachelor".into(),
                university: "Orta Doğu Teknik Üniversitesi".into(),
                department: "Bilgisayar Mühendisliği".into(),
                graduation_date: "2019-06-30".into(),
                grade: 3.41,
                grade_scale: "four".into(),
            }],
            minors: vec![MinorInput {
                university: "ODTÜ".into(),
                department: "Matematik".into(),
                graduation_date: "2019-06-30".into(),
            }],
            exchange_programmes: vec![ExchangeProgrammeInput {
                programme: "Erasmus+".into(),
                university: "TU Delft".into(),
                country: "Hollanda".into(),
                starts_on: "2017-09-01".into(),
                ends_on: "2018-01-31".into(),
            }],
            work_experience: vec![WorkExperienceInput {
                employer: "Demo Yazılım A.Ş.".into(),
                position: "Yazılım Geliştirici".into(),
                sector: "private".into(),
                starts_on: "2019-09-01".into(),
                ends_on: None,
            }],
            compulsory_service: None,
            language_exams: vec![
                LanguageExamInput {
                    language: "İngilizce".into(),
                    exam: "yds".into(),
                    exam_date: "2024-04-07".into(),
                    score: 87.5,
                },
                LanguageExamInput {
                    language: "İngilizce".into(),
                    exam: "toefl_ibt".into(),
                    exam_date: "2023-10-01".into(),
                    score: 104.0,
                },
            ],
            other: Some("Sürücü belgesi B sınıfı.".into()),
        }
    }

    const TODAY: Date = date!(2026 - 12 - 01);

    #[test]
    fn full_declarations_are_accepted() {
        let mut e = FieldErrors::new();
        let d = full().validate(TODAY, &mut e).unwrap();
        assert!(e.is_empty());
        assert_eq!(d.language_exams.len(), 2);
        assert_eq!(d.universities[0].grade_scale, GradeScale::Four);
    }

    #[test]
    fn future_dates_and_out_of_range_scores_are_named() {
        let mut i = full();
        i.universities[0].graduation_date = "2026-12-02".into();
        i.universities[0].grade = 4.2;
        i.language_exams[1].score = 121.0;
        i.language_exams[0].exam = "toeic".into();
        i.exchange_programmes[0].ends_on = "2017-08-01".into();
        i.high_school.as_mut().unwrap().graduation_date = "15.06.2015".into();
        let mut e = FieldErrors::new();
        assert!(i.validate(TODAY, &mut e).is_none());
        let err = e.finish().unwrap_err();
        let fields: Vec<&str> = err.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "declarations.high_school.graduation_date",
                "declarations.universities[0].graduation_date",
                "declarations.universities[0].grade",
                "declarations.exchange_programmes[0].ends_on",
                "declarations.language_exams[0].exam",
                "declarations.language_exams[1].score",
            ]
        );
        assert_eq!(err.fields[1].code, "date.in_future");
    }

    #[test]
    fn today_is_not_the_future() {
        let mut i = full();
        i.language_exams[0].exam_date = "2026-12-01".into();
        let mut e = FieldErrors::new();
        assert!(i.validate(TODAY, &mut e).is_some());
    }
}
