//! Final placement (yerleştirme) per sub-posting — DOMAIN.md §2.
//!
//! Rule: candidates who failed any stage, or were not taken to every stage, are olumsuz.
//! The rest are ranked by their final score (the last stage's score) descending; ties are
//! broken by the earlier stages' scores, latest stage first, then by the earlier
//! submission (and, for a total order, the application id). The first `vacancies` are asil,
//! the next `reserve` yedek, the rest olumsuz. A missing score ranks below any score.

use crate::application::{Placement, PlacementResult, Score};
use kapi_core::ApplicationId;
use std::cmp::Ordering;
use time::OffsetDateTime;

/// One candidate of a sub-posting as the ranking sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contender {
    pub application_id: ApplicationId,
    pub submitted_at: OffsetDateTime,
    /// Scores by stage, first stage first.
    pub scores: Vec<Option<Score>>,
    /// Failed a stage or was not taken to one.
    pub eliminated: bool,
}

fn by_merit(a: &Contender, b: &Contender) -> Ordering {
    // Latest stage first; higher score first; Some beats None.
    for (x, y) in a.scores.iter().rev().zip(b.scores.iter().rev()) {
        match y.cmp(x) {
            Ordering::Equal => continue,
            other => return other,
        }
    }
    a.submitted_at.cmp(&b.submitted_at).then_with(|| {
        a.application_id
            .to_string()
            .cmp(&b.application_id.to_string())
    })
}

/// The placement of each contender, in rank order (eliminated ones last, in input order).
pub fn place(
    contenders: &[Contender],
    vacancies: u32,
    reserve: u32,
) -> Vec<(ApplicationId, Placement)> {
    let mut ranked: Vec<&Contender> = contenders.iter().filter(|c| !c.eliminated).collect();
    ranked.sort_by(|a, b| by_merit(a, b));
    let mut out = Vec::with_capacity(contenders.len());
    for (i, c) in ranked.iter().enumerate() {
        let rank = i as u32 + 1;
        let result = if rank <= vacancies {
            PlacementResult::Principal
        } else if rank <= vacancies + reserve {
            PlacementResult::Reserve
        } else {
            PlacementResult::Unsuccessful
        };
        out.push((
            c.application_id,
            Placement {
                result,
                rank: Some(rank),
                final_score: c.scores.last().copied().flatten(),
            },
        ));
    }
    for c in contenders.iter().filter(|c| c.eliminated) {
        out.push((
            c.application_id,
            Placement {
                result: PlacementResult::Unsuccessful,
                rank: None,
                final_score: c.scores.last().copied().flatten(),
            },
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;
    use time::Duration;

    fn s(x: f64) -> Option<Score> {
        Some(Score::parse("score", x).unwrap())
    }

    fn c(minute: i64, scores: Vec<Option<Score>>, eliminated: bool) -> Contender {
        Contender {
            application_id: ApplicationId::new(),
            submitted_at: datetime!(2026-12-01 10:00 UTC) + Duration::minutes(minute),
            scores,
            eliminated,
        }
    }

    fn results(cs: &[Contender], v: u32, r: u32) -> Vec<(usize, PlacementResult, Option<u32>)> {
        place(cs, v, r)
            .into_iter()
            .map(|(id, p)| {
                let i = cs.iter().position(|c| c.application_id == id).unwrap();
                (i, p.result, p.rank)
            })
            .collect()
    }

    use PlacementResult::{Principal as A, Reserve as Y, Unsuccessful as O};

    #[test]
    fn ranks_by_final_score_then_vacancies_then_reserve() {
        let cs = vec![
            c(0, vec![s(70.0), s(80.0)], false),
            c(1, vec![s(90.0), s(95.5)], false),
            c(2, vec![s(60.0), s(60.0)], false),
            c(3, vec![s(99.0), s(85.0)], false),
        ];
        assert_eq!(
            results(&cs, 1, 2),
            vec![
                (1, A, Some(1)),
                (3, Y, Some(2)),
                (0, Y, Some(3)),
                (2, O, Some(4))
            ]
        );
    }

    #[test]
    fn ties_go_to_the_later_stages_then_the_earlier_submission() {
        // Three stages; all tie on the last one.
        let cs = vec![
            c(5, vec![s(90.0), s(70.0), s(80.0)], false), // loses on stage 2
            c(9, vec![s(50.0), s(75.0), s(80.0)], false), // wins on stage 2 despite stage 1
            c(1, vec![s(60.0), s(70.0), s(80.0)], false), // ties 0 on stages 3, 2; loses on 1
            c(3, vec![s(90.0), s(70.0), s(80.0)], false), // same as 0, submitted earlier
        ];
        assert_eq!(
            results(&cs, 2, 1),
            vec![
                (1, A, Some(1)),
                (3, A, Some(2)),
                (0, Y, Some(3)),
                (2, O, Some(4))
            ]
        );
    }

    #[test]
    fn eliminated_candidates_are_olumsuz_whatever_their_score() {
        let cs = vec![
            c(0, vec![s(100.0), s(100.0)], true),
            c(1, vec![s(40.0), s(50.0)], false),
            c(2, vec![s(40.0), None], false),
        ];
        assert_eq!(
            results(&cs, 1, 0),
            vec![(1, A, Some(1)), (2, O, Some(2)), (0, O, None)]
        );
    }

    #[test]
    fn fewer_candidates_than_vacancies_are_all_asil() {
        let cs = vec![c(0, vec![s(55.0)], false)];
        assert_eq!(results(&cs, 3, 2), vec![(0, A, Some(1))]);
        assert!(place(&[], 3, 2).is_empty());
    }

    #[test]
    fn scores_have_two_decimals_within_0_100() {
        assert!(Score::parse("s", 85.25).is_ok());
        assert_eq!(
            Score::parse("s", 85.255).unwrap_err().code,
            "score.precision"
        );
        assert_eq!(Score::parse("s", 100.01).unwrap_err().code, "score.range");
        assert_eq!(Score::parse("s", -1.0).unwrap_err().code, "score.range");
        assert_eq!(Score::parse("s", f64::NAN).unwrap_err().code, "score.range");
        assert_eq!(Score::parse("s", 72.1).unwrap().as_f64(), 72.1);
    }
}
