//! Kapı's generated documents: tabular reports as PDF and Excel, and letters as PDF.
//!
//! Pure rendering to bytes in memory (no I/O): the API streams the bytes, or stores them
//! through the BlobStore port when a document must be kept. PDFs are written by `krilla`
//! with DejaVu Sans embedded as a subset (Bitstream Vera licence, `fonts/LICENSE`), so every
//! Turkish letter renders, files stay small, and a ToUnicode map lets the text be searched
//! and extracted; Excel files come from `rust_xlsxwriter`. Tests read both back (text
//! extraction, `calamine`).

use krilla::geom::{PathBuilder, Point};
use krilla::page::PageSettings;
use krilla::paint::Stroke;
use krilla::text::{Font, TextDirection};
use krilla::Document;

/// The embedded font.
const FONT: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");

pub const XLSX_MEDIA_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const PDF_MEDIA_TYPE: &str = "application/pdf";

/// A report: a title, lines describing the filter criteria, and one table.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// E.g. "İşgücü İstemi Seçim Listesi".
    pub title: String,
    /// Label → value lines printed under the title, e.g. ("Talep No", "1001").
    pub criteria: Vec<(String, String)>,
    /// Already formatted, e.g. "23.11.2026 14:05".
    pub generated_at: String,
    pub columns: Vec<Column>,
    /// Each row has `columns.len()` cells.
    pub rows: Vec<Vec<String>>,
}

/// A table column: its header and relative width.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    pub width: f32,
}

/// A free-form document: a title, key/value fields, then paragraphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub title: String,
    pub fields: Vec<(String, String)>,
    pub paragraphs: Vec<String>,
}

/// Rendering failed (a library error; never the caller's input).
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("PDF: {0}")]
    Pdf(String),
    #[error("Excel: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("font: {0}")]
    Font(String),
}

/// Text widths from the embedded font's metrics.
struct Metrics {
    face: ttf_parser::Face<'static>,
}

impl Metrics {
    fn new() -> Result<Self, DocumentError> {
        let face =
            ttf_parser::Face::parse(FONT, 0).map_err(|e| DocumentError::Font(e.to_string()))?;
        Ok(Self { face })
    }

    /// Advance of `c` in font units (half an em for a character the font lacks).
    fn advance(&self, c: char) -> f32 {
        self.face
            .glyph_index(c)
            .and_then(|g| self.face.glyph_hor_advance(g))
            .map_or(f32::from(self.face.units_per_em()) / 2.0, f32::from)
    }

    /// Font units to millimetres at `size` points.
    fn to_mm(&self, units: f32, size: f32) -> f32 {
        units / f32::from(self.face.units_per_em()) * size * 25.4 / 72.0
    }

    /// Width of `s` at `size` points, in millimetres.
    fn width_mm(&self, s: &str, size: f32) -> f32 {
        self.to_mm(s.chars().map(|c| self.advance(c)).sum(), size)
    }

    /// `s` on one line (runs of whitespace, line breaks included, become one space), cut to
    /// fit `max_mm` and ending in "…" when cut.
    fn fit(&self, s: &str, size: f32, max_mm: f32) -> String {
        let s = one_line(s);
        if self.width_mm(&s, size) <= max_mm {
            return s;
        }
        let mut used = self.advance('…');
        let mut out = String::new();
        for c in s.chars() {
            used += self.advance(c);
            if self.to_mm(used, size) > max_mm {
                break;
            }
            out.push(c);
        }
        format!("{}…", out.trim_end())
    }

    /// `s` broken into lines of at most `max_mm` (words longer than a line are cut).
    fn wrap(&self, s: &str, size: f32, max_mm: f32) -> Vec<String> {
        let mut lines = vec![];
        let mut line = String::new();
        for word in s.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if self.width_mm(&candidate, size) <= max_mm {
                line = candidate;
            } else {
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                line = self.fit(word, size, max_mm);
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }
}

/// A column's relative width, sane whatever the caller passed (at least 0.1; 1 if not finite).
fn weight(c: &Column) -> f32 {
    if c.width.is_finite() {
        c.width.max(0.1)
    } else {
        1.0
    }
}

/// `s` with every run of whitespace (line breaks, tabs) replaced by one space.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One drawing operation, in millimetres from the page's top-left corner (y = baseline).
enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        s: String,
    },
    Rule {
        x1: f32,
        x2: f32,
        y: f32,
    },
}

const MARGIN: f32 = 12.0;
const CELL_PAD: f32 = 1.2;

fn pt(mm: f32) -> f32 {
    mm * 72.0 / 25.4
}

/// Draws the laid-out pages, with "Sayfa N / M" at the foot of each, and returns the PDF.
fn render(
    m: &Metrics,
    width: f32,
    height: f32,
    pages: Vec<Vec<Op>>,
) -> Result<Vec<u8>, DocumentError> {
    let font =
        Font::new(FONT.into(), 0).ok_or_else(|| DocumentError::Font("DejaVu Sans".into()))?;
    let settings = PageSettings::from_wh(pt(width), pt(height))
        .ok_or_else(|| DocumentError::Pdf("page size".into()))?;
    let mut doc = Document::new();
    let total = pages.len();
    for (i, ops) in pages.into_iter().enumerate() {
        let mut page = doc.start_page_with(settings.clone());
        let mut surface = page.surface();
        let label = format!("Sayfa {} / {total}", i + 1);
        let footer = Op::Text {
            x: width - MARGIN - m.width_mm(&label, 8.0),
            y: height - 7.0,
            size: 8.0,
            s: label,
        };
        for op in ops.iter().chain(std::iter::once(&footer)) {
            match op {
                Op::Text { x, y, size, s } => surface.draw_text(
                    Point::from_xy(pt(*x), pt(*y)),
                    font.clone(),
                    *size,
                    s,
                    false,
                    TextDirection::Auto,
                ),
                Op::Rule { x1, x2, y } => {
                    let mut b = PathBuilder::new();
                    b.move_to(pt(*x1), pt(*y));
                    b.line_to(pt(*x2), pt(*y));
                    if let Some(path) = b.finish() {
                        surface.set_stroke(Some(Stroke {
                            width: 0.6,
                            ..Stroke::default()
                        }));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    doc.finish()
        .map_err(|e| DocumentError::Pdf(format!("{e:?}")))
}

fn text(x: f32, y: f32, size: f32, s: String) -> Op {
    Op::Text { x, y, size, s }
}

/// The report as an A4 landscape PDF: title, generation time and criteria on page 1, the
/// table with its header repeated on every page, "Sayfa N / M" at the foot.
pub fn to_pdf(report: &Report) -> Result<Vec<u8>, DocumentError> {
    let m = Metrics::new()?;
    let (width, height) = (297.0, 210.0);
    let inner = width - 2.0 * MARGIN;
    let total_weight: f32 = report.columns.iter().map(weight).sum();
    let widths: Vec<f32> = report
        .columns
        .iter()
        .map(|c| weight(c) / total_weight * inner)
        .collect();
    let row_h = 5.0;
    let bottom = height - 14.0;
    let top = MARGIN + 4.0;

    let mut pages: Vec<Vec<Op>> = vec![vec![]];
    let mut y = top;
    let page = |pages: &mut Vec<Vec<Op>>, op: Op| {
        if let Some(p) = pages.last_mut() {
            p.push(op);
        }
    };
    page(
        &mut pages,
        text(MARGIN, y, 15.0, m.fit(&report.title, 15.0, inner)),
    );
    y += 7.0;
    let mut meta = vec![format!("Oluşturma Tarihi: {}", report.generated_at)];
    meta.extend(report.criteria.iter().map(|(k, v)| format!("{k}: {v}")));
    for line in &meta {
        page(&mut pages, text(MARGIN, y, 9.0, m.fit(line, 9.0, inner)));
        y += 4.5;
    }
    y += 2.0;
    let header = |pages: &mut Vec<Vec<Op>>, y: &mut f32| {
        let mut x = MARGIN;
        for (c, w) in report.columns.iter().zip(&widths) {
            page(
                pages,
                text(
                    x + CELL_PAD,
                    *y,
                    8.5,
                    m.fit(&c.header, 8.5, w - 2.0 * CELL_PAD),
                ),
            );
            x += w;
        }
        page(
            pages,
            Op::Rule {
                x1: MARGIN,
                x2: MARGIN + inner,
                y: *y + 1.8,
            },
        );
        *y += row_h + 0.5;
    };
    header(&mut pages, &mut y);
    for row in &report.rows {
        if y > bottom {
            pages.push(vec![]);
            y = top;
            header(&mut pages, &mut y);
        }
        let mut x = MARGIN;
        for (cell, w) in row.iter().zip(&widths) {
            page(
                &mut pages,
                text(x + CELL_PAD, y, 8.0, m.fit(cell, 8.0, w - 2.0 * CELL_PAD)),
            );
            x += w;
        }
        y += row_h;
    }
    render(&m, width, height, pages)
}

/// A letter as an A4 portrait PDF: title, fields as "label: value", wrapped paragraphs.
pub fn letter_to_pdf(letter: &Letter) -> Result<Vec<u8>, DocumentError> {
    let m = Metrics::new()?;
    let (width, height) = (210.0, 297.0);
    let inner = width - 2.0 * MARGIN;
    let top = MARGIN + 6.0;
    let mut pages: Vec<Vec<Op>> = vec![vec![]];
    let mut y = top;
    let mut lines: Vec<(String, f32, f32)> = vec![];
    for l in m.wrap(&letter.title, 14.0, inner) {
        lines.push((l, 14.0, 7.0));
    }
    lines.push((String::new(), 0.0, 3.0));
    for (k, v) in &letter.fields {
        for l in m.wrap(&format!("{k}: {v}"), 10.0, inner) {
            lines.push((l, 10.0, 5.0));
        }
    }
    if !letter.fields.is_empty() {
        lines.push((String::new(), 0.0, 3.0));
    }
    for p in &letter.paragraphs {
        for l in m.wrap(p, 10.5, inner) {
            lines.push((l, 10.5, 5.2));
        }
        lines.push((String::new(), 0.0, 2.5));
    }
    for (s, size, step) in lines {
        if y > height - 16.0 {
            pages.push(vec![]);
            y = top;
        }
        if !s.is_empty() {
            if let Some(p) = pages.last_mut() {
                p.push(text(MARGIN, y, size, s));
            }
        }
        y += step;
    }
    render(&m, width, height, pages)
}

/// A worksheet name Excel accepts: at most 31 UTF-16 units, none of `[]:*?/\`, not starting
/// or ending with an apostrophe, not blank ("Rapor" then).
fn sheet_name(title: &str) -> String {
    let mut name = String::new();
    let mut units = 0;
    for c in one_line(title).chars().filter(|c| !"[]:*?/\\".contains(*c)) {
        units += c.len_utf16();
        if units > 31 {
            break;
        }
        name.push(c);
    }
    let name = name.trim_matches(|c: char| c == '\'' || c.is_whitespace());
    if name.is_empty() {
        "Rapor".into()
    } else {
        name.to_owned()
    }
}

/// Excel column widths (in characters) from the relative weights: the table spans about 16
/// characters a column on average, no column narrower than 6 or wider than 100.
fn xlsx_widths(columns: &[Column]) -> Vec<f64> {
    let total: f64 = columns.iter().map(|c| f64::from(weight(c))).sum();
    let span = 16.0 * columns.len() as f64;
    columns
        .iter()
        .map(|c| (f64::from(weight(c)) / total * span).clamp(6.0, 100.0))
        .collect()
}

/// The report as an Excel workbook: title, criteria, then the table with a bold, frozen,
/// filterable header row.
pub fn to_xlsx(report: &Report) -> Result<Vec<u8>, DocumentError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name(&report.title))?;
    let bold = Format::new().set_bold();
    let title = Format::new().set_bold().set_font_size(14);
    sheet.write_string_with_format(0, 0, &report.title, &title)?;
    sheet.write_string(1, 0, format!("Oluşturma Tarihi: {}", report.generated_at))?;
    let mut row: u32 = 2;
    for (k, v) in &report.criteria {
        sheet.write_string_with_format(row, 0, k, &bold)?;
        sheet.write_string(row, 1, v)?;
        row += 1;
    }
    row += 1;
    let header_row = row;
    for (i, (c, w)) in report
        .columns
        .iter()
        .zip(xlsx_widths(&report.columns))
        .enumerate()
    {
        let col = u16::try_from(i).unwrap_or(u16::MAX);
        sheet.write_string_with_format(header_row, col, &c.header, &bold)?;
        sheet.set_column_width(col, w)?;
    }
    for (r, cells) in report.rows.iter().enumerate() {
        let r = header_row + 1 + u32::try_from(r).unwrap_or(u32::MAX - header_row - 1);
        for (i, cell) in cells.iter().enumerate() {
            sheet.write_string(r, u16::try_from(i).unwrap_or(u16::MAX), cell)?;
        }
    }
    if !report.columns.is_empty() {
        let last_col = u16::try_from(report.columns.len() - 1).unwrap_or(u16::MAX);
        let last_row = header_row + u32::try_from(report.rows.len()).unwrap_or(0);
        sheet.autofilter(header_row, 0, last_row, last_col)?;
        sheet.set_freeze_panes(header_row + 1, 0)?;
    }
    Ok(book.save_to_buffer()?)
}

#[cfg(test)]
mod tests;
