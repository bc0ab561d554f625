use super::*;

fn report(rows: usize) -> Report {
    Report {
        title: "İşgücü İstemi Seçim Listesi".into(),
        criteria: vec![
            ("Talep No".into(), "1001".into()),
            ("Not".into(), "ŞĞÜÇÖİ ığüşöç".into()),
        ],
        generated_at: "23.11.2026 14:05".into(),
        columns: vec![
            Column {
                header: "Talep No".into(),
                width: 1.0,
            },
            Column {
                header: "Ad Soyad".into(),
                width: 2.0,
            },
            Column {
                header: "Açıklama".into(),
                width: 4.0,
            },
        ],
        rows: (0..rows)
            .map(|i| {
                vec![
                    format!("{}", 1001 + i),
                    format!("Ayşe Yılmaz {i}"),
                    "Görüşmeye gelmedi".into(),
                ]
            })
            .collect(),
    }
}

fn pdf_text(bytes: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(bytes).unwrap()
}

#[test]
fn pdf_text_comes_back_with_turkish_letters() {
    let bytes = to_pdf(&report(3)).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    let text = pdf_text(&bytes);
    for s in [
        "İşgücü İstemi Seçim Listesi",
        "ŞĞÜÇÖİ ığüşöç",
        "Ayşe Yılmaz 2",
        "Görüşmeye gelmedi",
        "Sayfa 1 / 1",
    ] {
        assert!(text.contains(s), "{s:?} missing in {text:?}");
    }
}

#[test]
fn long_reports_paginate_and_repeat_the_header() {
    let bytes = to_pdf(&report(200)).unwrap();
    assert!(
        bytes.len() < 100_000,
        "the font is subset: {} bytes",
        bytes.len()
    );
    let text = pdf_text(&bytes);
    assert!(text.contains("Ayşe Yılmaz 199"));
    let pages = text.matches("Sayfa ").count();
    assert!(pages > 1, "{pages} pages");
    assert!(text.contains(&format!("Sayfa {pages} / {pages}")));
    assert_eq!(
        text.matches("Ad Soyad").count(),
        pages,
        "header on every page"
    );
}

#[test]
fn cells_too_wide_are_cut_with_an_ellipsis() {
    let m = Metrics::new().unwrap();
    let long = "Çok uzun bir açıklama ".repeat(20);
    let cut = m.fit(&long, 8.0, 40.0);
    assert!(cut.ends_with('…'));
    assert!(m.width_mm(&cut, 8.0) <= 40.0);
    assert_eq!(m.fit("Kısa", 8.0, 40.0), "Kısa");
    let lines = m.wrap(&long, 10.0, 80.0);
    assert!(lines.len() > 3 && lines.iter().all(|l| m.width_mm(l, 10.0) <= 80.0));
}

#[test]
fn letters_render_fields_and_wrapped_paragraphs() {
    let bytes = letter_to_pdf(&Letter {
        title: "Açık Kapı Başvuru Raporu".into(),
        fields: vec![("Başvuru No".into(), "2026-000123".into())],
        paragraphs: vec![
            "Sayın Gülşen Çelik, başvurunuz ilgili birime yönlendirilmiştir. ".repeat(12),
        ],
    })
    .unwrap();
    let text = pdf_text(&bytes);
    for s in [
        "Açık Kapı Başvuru Raporu",
        "Başvuru No: 2026-000123",
        "Sayın Gülşen Çelik",
    ] {
        assert!(text.contains(s), "{s:?} missing in {text:?}");
    }
}

#[test]
fn xlsx_reads_back() {
    use calamine::{Reader, Xlsx};
    let bytes = to_xlsx(&report(3)).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let names = book.sheet_names();
    assert_eq!(names, ["İşgücü İstemi Seçim Listesi"]);
    let range = book.worksheet_range(&names[0]).unwrap();
    let cells: Vec<String> = range.cells().map(|(_, _, v)| v.to_string()).collect();
    for s in [
        "İşgücü İstemi Seçim Listesi",
        "ŞĞÜÇÖİ ığüşöç",
        "Ad Soyad",
        "Ayşe Yılmaz 2",
    ] {
        assert!(cells.iter().any(|c| c == s), "{s:?} missing in {cells:?}");
    }
}

#[test]
fn empty_tables_still_render() {
    assert!(to_pdf(&report(0)).unwrap().starts_with(b"%PDF"));
    assert!(to_xlsx(&report(0)).unwrap().starts_with(b"PK"));
    assert_eq!(sheet_name("a/b:c*d?"), "abcd");
}
