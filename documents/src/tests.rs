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

/// The PDF's pages, read with lopdf (re-exported by pdf-extract).
fn page_count(bytes: &[u8]) -> usize {
    pdf_extract::Document::load_mem(bytes)
        .unwrap()
        .get_pages()
        .len()
}

#[test]
fn the_embedded_font_carries_a_to_unicode_map() {
    let doc = pdf_extract::Document::load_mem(&to_pdf(&report(1)).unwrap()).unwrap();
    let fonts: Vec<_> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| {
            d.get(b"Type")
                .and_then(|t| t.as_name())
                .is_ok_and(|n| n == b"Font")
        })
        .collect();
    assert!(!fonts.is_empty());
    assert!(
        fonts
            .iter()
            .filter(|d| d
                .get(b"Subtype")
                .and_then(|t| t.as_name())
                .is_ok_and(|n| n == b"Type0"))
            .all(|d| d.has(b"ToUnicode")),
        "{fonts:?}"
    );
    assert!(fonts.iter().any(|d| d.has(b"ToUnicode")));
}

#[test]
fn long_reports_paginate_and_repeat_the_header() {
    let bytes = to_pdf(&report(200)).unwrap();
    assert!(
        bytes.len() < 100_000,
        "the font is subset: {} bytes",
        bytes.len()
    );
    let pages = pdf_extract::extract_text_from_mem_by_pages(&bytes).unwrap();
    let n = pages.len();
    assert!(n > 1, "{n} pages");
    assert_eq!(page_count(&bytes), n);
    for (i, page) in pages.iter().enumerate() {
        assert!(page.contains("Ad Soyad"), "header on page {}", i + 1);
        assert!(page.contains(&format!("Sayfa {} / {n}", i + 1)));
    }
    assert!(pages[0].contains("Oluşturma Tarihi: 23.11.2026 14:05"));
    assert!(!pages[1].contains("Oluşturma Tarihi"));
    assert!(pages[n - 1].contains("Ayşe Yılmaz 199"));
    assert!(pdf_text(&bytes).contains("Ayşe Yılmaz 100"));
}

#[test]
fn a_cell_with_line_breaks_stays_on_one_line() {
    let mut r = report(1);
    r.rows[0][2] = "Görüşmeye\ngelmedi\t(2. kez)".into();
    let text = pdf_text(&to_pdf(&r).unwrap());
    assert!(text.contains("Görüşmeye gelmedi (2. kez)"), "{text:?}");
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

fn letter(paragraphs: usize) -> Letter {
    Letter {
        title: "İşgücü İstemi Seçim Listesi".into(),
        fields: vec![
            ("Başvuru No".into(), "2026-000123".into()),
            ("Başvuran".into(), "Ayşe Yılmaz".into()),
        ],
        paragraphs: (0..paragraphs)
            .map(|i| {
                format!(
                    "{i}. Sayın Gülşen Çelik, ŞĞÜÇÖİ ığüşöç başvurunuz ilgili birime \
                     yönlendirilmiştir. {}",
                    "Uzun bir paragraf metni. ".repeat(20)
                )
            })
            .collect(),
    }
}

#[test]
fn letters_render_fields_and_wrapped_paragraphs() {
    let bytes = letter_to_pdf(&letter(2)).unwrap();
    assert_eq!(page_count(&bytes), 1);
    let text = pdf_text(&bytes);
    for s in [
        "İşgücü İstemi Seçim Listesi",
        "Başvuru No: 2026-000123",
        "Başvuran: Ayşe Yılmaz",
        "Sayın Gülşen Çelik, ŞĞÜÇÖİ ığüşöç",
        "Sayfa 1 / 1",
    ] {
        assert!(text.contains(s), "{s:?} missing in {text:?}");
    }
}

#[test]
fn long_letters_go_on_to_more_pages() {
    let bytes = letter_to_pdf(&letter(40)).unwrap();
    let pages = pdf_extract::extract_text_from_mem_by_pages(&bytes).unwrap();
    assert!(pages.len() > 1, "{} pages", pages.len());
    assert!(pages[pages.len() - 1].contains("39. Sayın"));
    assert!(pages[pages.len() - 1].contains(&format!("Sayfa {0} / {0}", pages.len())));
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
    assert!(letter_to_pdf(&Letter {
        title: String::new(),
        fields: vec![],
        paragraphs: vec![],
    })
    .unwrap()
    .starts_with(b"%PDF"));
}

#[test]
fn sheet_names_are_ones_excel_accepts() {
    assert_eq!(sheet_name("a/b:c*d?"), "abcd");
    assert_eq!(sheet_name("'Rapor'"), "Rapor");
    assert_eq!(sheet_name("[]"), "Rapor");
    let long = sheet_name("İşgücü İstemi Seçim Listesi — Ankara İl Müdürlüğü");
    assert_eq!(long, "İşgücü İstemi Seçim Listesi — A");
    assert!(rust_xlsxwriter::utility::check_sheet_name(&long).is_ok());
    let astral = sheet_name(&"😀".repeat(20));
    assert!(rust_xlsxwriter::utility::check_sheet_name(&astral).is_ok());
    assert!(to_xlsx(&Report {
        title: "'İşgücü: [2026]'".into(),
        ..report(1)
    })
    .is_ok());
}

#[test]
fn xlsx_column_widths_follow_the_weights() {
    let w = xlsx_widths(&report(0).columns);
    assert!(w[0] < w[1] && w[1] < w[2], "{w:?}");
    let odd = xlsx_widths(&[
        Column {
            header: "a".into(),
            width: f32::NAN,
        },
        Column {
            header: "b".into(),
            width: 1000.0,
        },
    ]);
    assert!(odd.iter().all(|w| (6.0..=100.0).contains(w)), "{odd:?}");
}
