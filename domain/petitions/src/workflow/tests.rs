use super::*;
use time::macros::{date, datetime};

const NOW: OffsetDateTime = datetime!(2026-03-02 10:00 +03:00);
const TODAY: Date = date!(2026 - 03 - 02);

fn units(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| (*s).to_owned()).collect()
}

fn code(e: DomainError) -> String {
    if e.fields.is_empty() {
        e.code.into_owned()
    } else {
        e.fields[0].code.to_string()
    }
}

#[test]
fn routed_to_two_units_answered_sent_back_and_closed() {
    let mut w = Workflow::new();
    assert_eq!(w.status, Status::InPool);
    let notes = w
        .route(&units(&["06000101", "06000202"]), None, TODAY, NOW)
        .unwrap();
    assert_eq!(notes[1], "Başvuru İlgili Birime Yönlendirildi (06000202)");
    assert_eq!(
        w.routings[0].deadline,
        date!(2026 - 04 - 01),
        "30 days by default"
    );
    assert_eq!(
        code(
            w.route(&units(&["06000101"]), None, TODAY, NOW)
                .unwrap_err()
        ),
        "routing.already_routed"
    );
    assert_eq!(
        code(w.close(Outcome::Positive, "x".into(), NOW).unwrap_err()),
        "petition.unanswered_routings"
    );
    w.answer(
        "06000101",
        UnitOutcome::Positive,
        "Yol onarıldı.",
        "unit_officer:1".into(),
        NOW,
    )
    .unwrap();
    assert_eq!(w.status, Status::Routed, "one unit still to answer");
    assert_eq!(
        code(
            w.answer(
                "06000101",
                UnitOutcome::Negative,
                "İkinci cevap",
                "u".into(),
                NOW
            )
            .unwrap_err()
        ),
        "routing.already_answered"
    );
    assert_eq!(
        code(
            w.answer(
                "34000101",
                UnitOutcome::Negative,
                "Başka birim",
                "u".into(),
                NOW
            )
            .unwrap_err()
        ),
        "petition.not_found"
    );
    w.answer(
        "06000202",
        UnitOutcome::Negative,
        "Bütçe yok.",
        "u".into(),
        NOW,
    )
    .unwrap();
    assert_eq!(w.status, Status::UnitsAnswered);

    assert_eq!(
        w.send_to_governor(NOW).unwrap(),
        "Başvuru Mülki İdare Amiri Onayına Gönderildi"
    );
    assert_eq!(
        code(w.close(Outcome::Positive, "x".into(), NOW).unwrap_err()),
        "petition.awaiting_governor"
    );
    assert_eq!(
        code(
            w.route(&units(&["06000303"]), None, TODAY, NOW)
                .unwrap_err()
        ),
        "petition.awaiting_governor"
    );
    assert_eq!(code(w.governor_send_back(" ").unwrap_err()), "text.length");
    assert_eq!(
        w.governor_send_back("Cevap metnini netleştirin.").unwrap(),
        "Geri Gönderildi"
    );
    assert_eq!(w.status, Status::SentBack);
    assert_eq!(
        code(w.governor_answer("Onaylandı").unwrap_err()),
        "petition.not_awaiting_governor"
    );

    let note = w
        .close(Outcome::PartlyPositive, "letter".into(), NOW)
        .unwrap();
    assert_eq!(note, "Başvuru Kısmen Olumlu Kısmen Olumsuz Kapatıldı");
    assert_eq!(w.status, Status::Closed);
    for e in [
        w.clone()
            .route(&units(&["06000303"]), None, TODAY, NOW)
            .unwrap_err(),
        w.clone().send_to_governor(NOW).unwrap_err(),
        w.clone().reset().unwrap_err(),
        w.clone()
            .close(Outcome::Negative, "x".into(), NOW)
            .unwrap_err(),
    ] {
        assert_eq!(code(e), "petition.closed");
    }
}

#[test]
fn the_governor_answers_or_resets() {
    let mut w = Workflow::new();
    w.route(&units(&["06000101"]), None, TODAY, NOW).unwrap();
    w.send_to_governor(NOW).unwrap();
    // A unit may still answer while the MİA reviews; the status stays with the MİA.
    w.answer("06000101", UnitOutcome::Positive, "Tamam", "u".into(), NOW)
        .unwrap();
    assert_eq!(w.status, Status::AwaitingGovernor);
    assert_eq!(
        w.governor_answer("Uygun görülmüştür.").unwrap(),
        "Başvuru Mülki İdare Amirinden Cevap Dönüldü"
    );
    assert_eq!(w.status, Status::GovernorAnswered);
    assert_eq!(w.reset().unwrap(), "İşlemler Geri Alındı");
    assert_eq!(
        w,
        Workflow::new(),
        "routings, answers and the review leave the live state"
    );
    // After a reset the same unit can be routed again.
    w.route(&units(&["06000101"]), None, TODAY, NOW).unwrap();
}

#[test]
fn overdue_means_past_the_deadline_without_an_answer() {
    let mut w = Workflow::new();
    w.route(
        &units(&["06000101", "06000202"]),
        Some(date!(2026 - 03 - 10)),
        TODAY,
        NOW,
    )
    .unwrap();
    assert!(
        !w.is_overdue(date!(2026 - 03 - 10)),
        "the deadline day itself is in time"
    );
    assert!(w.is_overdue(date!(2026 - 03 - 11)));
    w.answer("06000101", UnitOutcome::Positive, "Tamam", "u".into(), NOW)
        .unwrap();
    assert!(w.is_overdue(date!(2026 - 03 - 11)), "one unit still late");
    w.answer("06000202", UnitOutcome::Positive, "Tamam", "u".into(), NOW)
        .unwrap();
    assert!(!w.is_overdue(date!(2026 - 03 - 11)));
    assert_eq!(
        code(
            Workflow::new()
                .route(
                    &units(&["06000101"]),
                    Some(date!(2026 - 03 - 01)),
                    TODAY,
                    NOW
                )
                .unwrap_err()
        ),
        "routing.deadline_past"
    );
    assert_eq!(
        code(
            Workflow::new()
                .route(&units(&["6000101"]), None, TODAY, NOW)
                .unwrap_err()
        ),
        "detsis.format"
    );
    assert!(w.is_routed_to_any(&units(&["06000202"])));
    assert!(!w.is_routed_to_any(&units(&["34000101"])));
}

#[test]
fn the_reply_uses_the_standard_template() {
    let letter = reply_letter(
        "Ayşe Yılmaz",
        date!(2026 - 03 - 02),
        1042,
        Outcome::Positive,
        "Talebiniz  doğrultusunda yol onarımı yapılmıştır.",
        "Ankara",
    );
    assert_eq!(
        letter,
        "Sayın Ayşe Yılmaz; Açık Kapı Bürosu'na 02.03.2026 tarihinde yapmış olduğunuz 1042 no'lu başvurunuz olumlu olarak sonuçlanmıştır. Talebiniz doğrultusunda yol onarımı yapılmıştır. ANKARA VALİLİĞİ"
    );
    assert!(
        reply_letter("A B", TODAY, 1, Outcome::Negative, "x", "İzmir").ends_with("İZMİR VALİLİĞİ")
    );
    assert!(
        reply_letter("A B", TODAY, 1, Outcome::Negative, "x", "Şanlıurfa")
            .ends_with("ŞANLIURFA VALİLİĞİ")
    );
}
