//! The bulk personnel form (toplu personel formu): section 2 of a chart — the people hired
//! and leaving in the month — as a CSV file.
//!
//! The file has a header row; columns by name (English or Turkish, any case, any order):
//! `kind` (`hire`/`leave`, or `giriş`/`çıkış`), `tckn`, `full_name` (`ad_soyad`), `date`
//! (`YYYY-MM-DD` or `DD.MM.YYYY`, `tarih`), `occupation_code` (`meslek_kodu`), and the
//! optional `reason` (`neden`). Commas or semicolons (as Excel writes in Turkish locales),
//! double quotes with `""` escapes, a UTF-8 BOM and CRLF line ends are accepted.
//!
//! Every row is checked and every error reported with its line number
//! (`rows[3].tckn`, the header being line 1); one bad row rejects the whole file.

use crate::chart::{PersonMovement, PersonMovementKind, YearMonth};
use kapi_core::{search_fold, DomainError, FieldError, FieldErrors, Tckn};
use time::{Date, Month};

/// The most rows one file may carry.
pub const MAX_ROWS: usize = 5000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Kind,
    Tckn,
    FullName,
    Date,
    Occupation,
    Reason,
}

impl Column {
    fn of(header: &str) -> Option<Self> {
        let h = search_fold(header).replace([' ', '-'], "_");
        Some(match h.as_str() {
            "kind" | "tur" | "hareket" | "islem" => Column::Kind,
            "tckn" | "tc_kimlik_no" | "tc" | "kimlik_no" => Column::Tckn,
            "full_name" | "name" | "ad_soyad" | "adi_soyadi" => Column::FullName,
            "date" | "tarih" => Column::Date,
            "occupation_code" | "occupation" | "meslek_kodu" | "meslek" => Column::Occupation,
            "reason" | "neden" | "aciklama" => Column::Reason,
            _ => return None,
        })
    }
    fn name(self) -> &'static str {
        match self {
            Column::Kind => "kind",
            Column::Tckn => "tckn",
            Column::FullName => "full_name",
            Column::Date => "date",
            Column::Occupation => "occupation_code",
            Column::Reason => "reason",
        }
    }
}

/// Splits one line into fields (quotes honoured).
fn split_line(line: &str, sep: char) -> Result<Vec<String>, &'static str> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (false, '"') if cur.trim().is_empty() => {
                cur.clear();
                quoted = true;
            }
            (false, c) if c == sep => fields.push(std::mem::take(&mut cur)),
            (_, c) => cur.push(c),
        }
    }
    if quoted {
        return Err("an opening quote is never closed");
    }
    fields.push(cur);
    Ok(fields.into_iter().map(|f| f.trim().to_owned()).collect())
}

fn parse_kind(s: &str) -> Option<PersonMovementKind> {
    match search_fold(s).as_str() {
        "hire" | "giris" | "ise giris" | "g" => Some(PersonMovementKind::Hire),
        "leave" | "cikis" | "isten cikis" | "c" => Some(PersonMovementKind::Leave),
        _ => None,
    }
}

fn parse_date(s: &str) -> Option<Date> {
    let (y, m, d) = if let Some((d, rest)) = s.split_once('.') {
        let (m, y) = rest.split_once('.')?;
        (y, m, d)
    } else {
        let mut it = s.splitn(3, '-');
        (it.next()?, it.next()?, it.next()?)
    };
    if y.len() != 4 {
        return None;
    }
    let month = Month::try_from(m.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(y.parse().ok()?, month, d.parse().ok()?).ok()
}

fn file_error(code: &'static str, message: impl Into<String>) -> DomainError {
    DomainError::field(FieldError::new("file", code, message))
}

/// Parses the file for the chart of `month`; all rows or none.
pub fn parse_personnel_form(
    text: &str,
    month: YearMonth,
) -> Result<Vec<PersonMovement>, DomainError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header)) = lines.next() else {
        return Err(file_error("chart_import.empty", "The file is empty."));
    };
    let sep = if header.matches(';').count() > header.matches(',').count() {
        ';'
    } else {
        ','
    };
    let headers = split_line(header, sep)
        .map_err(|m| file_error("chart_import.malformed", format!("Line 1: {m}.")))?;
    let mut columns = Vec::new();
    let mut errors = FieldErrors::new();
    for h in &headers {
        match Column::of(h) {
            Some(c) if columns.contains(&Some(c)) => errors.push(FieldError::new(
                "file",
                "chart_import.duplicate_column",
                format!("The column {h} appears twice."),
            )),
            Some(c) => columns.push(Some(c)),
            None => errors.push(FieldError::new(
                "file",
                "chart_import.unknown_column",
                format!("Unknown column {h:?}."),
            )),
        }
    }
    for required in [
        Column::Kind,
        Column::Tckn,
        Column::FullName,
        Column::Date,
        Column::Occupation,
    ] {
        if !columns.contains(&Some(required)) {
            errors.push(FieldError::new(
                "file",
                "chart_import.missing_column",
                format!("The column {} is missing.", required.name()),
            ));
        }
    }
    errors.finish()?;

    let mut errors = FieldErrors::new();
    let mut people = Vec::new();
    let mut seen: Vec<(Tckn, PersonMovementKind)> = Vec::new();
    for (row, (n, line)) in lines.enumerate() {
        if row >= MAX_ROWS {
            return Err(file_error(
                "chart_import.too_many_rows",
                format!("At most {MAX_ROWS} rows per file."),
            ));
        }
        let field = |c: Column| format!("rows[{n}].{}", c.name());
        let values = match split_line(line, sep) {
            Ok(v) => v,
            Err(m) => {
                errors.push(FieldError::new(
                    format!("rows[{n}]"),
                    "chart_import.malformed",
                    m,
                ));
                continue;
            }
        };
        if values.len() != columns.len() {
            errors.push(FieldError::new(
                format!("rows[{n}]"),
                "chart_import.column_count",
                format!("{} values for {} columns.", values.len(), columns.len()),
            ));
            continue;
        }
        let get = |c: Column| {
            columns
                .iter()
                .position(|x| *x == Some(c))
                .map(|i| values[i].as_str())
                .unwrap_or("")
        };
        let before = errors.len();
        let kind = parse_kind(get(Column::Kind));
        if kind.is_none() {
            errors.push(FieldError::new(
                field(Column::Kind),
                "chart_import.bad_kind",
                "hire / leave (giriş / çıkış).",
            ));
        }
        let tckn = errors.take(&field(Column::Tckn), Tckn::parse(get(Column::Tckn)));
        let name = get(Column::FullName);
        if name.chars().count() < 2 || name.chars().count() > 200 {
            errors.push(FieldError::new(
                field(Column::FullName),
                "chart_import.bad_name",
                "A name of 2–200 characters.",
            ));
        }
        let date = parse_date(get(Column::Date));
        match date {
            None => errors.push(FieldError::new(
                field(Column::Date),
                "chart_import.bad_date",
                "A date as YYYY-MM-DD or DD.MM.YYYY.",
            )),
            Some(d) if !month.contains(d) => errors.push(FieldError::new(
                field(Column::Date),
                "chart_import.date_outside_month",
                format!("The date must be in {month}."),
            )),
            Some(_) => {}
        }
        let occupation = get(Column::Occupation);
        if kapi_core::OccupationCode::parse(occupation).is_err() {
            errors.push(FieldError::new(
                field(Column::Occupation),
                "chart_import.bad_occupation",
                "An occupation code like 2512.04.",
            ));
        }
        if let (Some(kind), Some(tckn)) = (kind, &tckn) {
            if seen.contains(&(tckn.clone(), kind)) {
                errors.push(FieldError::new(
                    format!("rows[{n}]"),
                    "chart_import.duplicate_row",
                    "This person's hire or leave is already listed.",
                ));
            }
            seen.push((tckn.clone(), kind));
        }
        if errors.len() == before {
            if let (Some(kind), Some(tckn), Some(date)) = (kind, tckn, date) {
                let reason = get(Column::Reason);
                people.push(PersonMovement {
                    kind,
                    tckn,
                    full_name: name.split_whitespace().collect::<Vec<_>>().join(" "),
                    date,
                    occupation_code: occupation.to_owned(),
                    reason: (!reason.is_empty()).then(|| reason.to_owned()),
                });
            }
        }
    }
    errors.finish()?;
    if people.is_empty() {
        return Err(file_error("chart_import.empty", "The file has no rows."));
    }
    Ok(people)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const JAN: YearMonth = YearMonth {
        year: 2026,
        month: Month::January,
    };

    fn codes(e: &DomainError) -> Vec<(String, String)> {
        e.fields
            .iter()
            .map(|f| (f.field.clone(), f.code.to_string()))
            .collect()
    }

    #[test]
    fn a_good_file_in_turkish_with_bom_quotes_semicolons_and_crlf() {
        let text = "\u{feff}Tür;TC Kimlik No;Ad Soyad;Tarih;Meslek Kodu;Neden\r\n\
                    Giriş;10000000146;\"Yılmaz; Ayşe\";05.01.2026;2512.04;\r\n\
                    çıkış;12345678950;Ali  Veli;2026-01-31;4110.01;\"Emeklilik \"\"kendi isteği\"\"\"\r\n\r\n";
        let people = parse_personnel_form(text, JAN).unwrap();
        assert_eq!(people.len(), 2);
        assert_eq!(people[0].kind, PersonMovementKind::Hire);
        assert_eq!(people[0].full_name, "Yılmaz; Ayşe");
        assert_eq!(people[0].date, date!(2026 - 01 - 05));
        assert_eq!(people[1].kind, PersonMovementKind::Leave);
        assert_eq!(people[1].full_name, "Ali Veli");
        assert_eq!(
            people[1].reason.as_deref(),
            Some("Emeklilik \"kendi isteği\"")
        );
    }

    #[test]
    fn every_bad_row_is_named_and_nothing_is_kept() {
        let text = "kind,tckn,full_name,date,occupation_code\n\
                    hire,10000000146,Ayşe Yılmaz,2026-01-05,2512.04\n\
                    promote,10000000147,A,2026-02-01,25.12\n\
                    hire,10000000146,Ayşe Yılmaz,2026-01-06,2512.04\n\
                    hire,12345678950\n";
        let e = parse_personnel_form(text, JAN).unwrap_err();
        assert_eq!(
            codes(&e),
            [
                ("rows[3].kind".into(), "chart_import.bad_kind".into()),
                ("rows[3].tckn".into(), "tckn.checksum".into()),
                ("rows[3].full_name".into(), "chart_import.bad_name".into()),
                (
                    "rows[3].date".into(),
                    "chart_import.date_outside_month".into()
                ),
                (
                    "rows[3].occupation_code".into(),
                    "chart_import.bad_occupation".into()
                ),
                ("rows[4]".into(), "chart_import.duplicate_row".into()),
                ("rows[5]".into(), "chart_import.column_count".into()),
            ]
        );
    }

    #[test]
    fn file_level_refusals() {
        assert_eq!(
            codes(&parse_personnel_form("", JAN).unwrap_err())[0].1,
            "chart_import.empty"
        );
        assert_eq!(
            codes(
                &parse_personnel_form("kind,tckn,full_name,date,occupation_code\n", JAN)
                    .unwrap_err()
            )[0]
            .1,
            "chart_import.empty"
        );
        let e = parse_personnel_form("kind,tckn,salary,date\n", JAN).unwrap_err();
        let c: Vec<String> = codes(&e).into_iter().map(|(_, c)| c).collect();
        assert_eq!(
            c,
            [
                "chart_import.unknown_column",
                "chart_import.missing_column",
                "chart_import.missing_column"
            ]
        );
        let mut big = String::from("kind,tckn,full_name,date,occupation_code\n");
        for _ in 0..=MAX_ROWS {
            big.push_str("hire,10000000146,Ayşe Yılmaz,2026-01-05,2512.04\n");
        }
        assert_eq!(
            codes(&parse_personnel_form(&big, JAN).unwrap_err())[0].1,
            "chart_import.too_many_rows"
        );
        assert_eq!(
            codes(
                &parse_personnel_form("kind,tckn,full_name,date,occupation_code\n\"hire,1\n", JAN)
                    .unwrap_err()
            )[0]
            .1,
            "chart_import.malformed"
        );
    }
}
