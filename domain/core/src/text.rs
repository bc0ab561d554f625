//! Free text as forms take it: white space collapsed, control characters refused, length
//! bounded — one rule for every domain's names, reasons and texts.
//!
//! [`check_input_text`] and [`check_line_text`] are the one gate every text input passes
//! before any rule or database sees it (JSON strings and keys, query parameters, path
//! segments, multipart parts, file names): a NUL byte that PostgreSQL cannot store, another
//! control character, or a bidirectional override that makes a name display as something
//! it is not is refused with 422 `text.control_character` naming the field, the same on
//! every backend.

use crate::error::FieldError;

/// `raw` with runs of white space collapsed to one space and the ends trimmed.
pub fn collapse_whitespace(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The stable code of a refused character.
pub const CONTROL_CHARACTER: &str = "text.control_character";

/// Bidirectional embeddings, overrides and isolates: U+202A–U+202E, U+2066–U+2069.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Whether `c` is refused in multi-line text: C0 controls other than tab, line feed and
/// carriage return, DEL, C1 controls, and the bidirectional controls.
pub fn is_forbidden_char(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || is_bidi_control(c)
}

fn refuse(field: &str, c: char) -> FieldError {
    let what = if is_bidi_control(c) {
        "a bidirectional control character"
    } else {
        "a control character"
    };
    FieldError::new(
        field,
        CONTROL_CHARACTER,
        format!(
            "The text contains U+{:04X}, {what}; remove it.",
            u32::from(c)
        ),
    )
}

/// Checks text that may span lines (a JSON string value): tab, line feed and carriage
/// return pass, every other control and bidirectional control is refused.
pub fn check_input_text(field: &str, raw: &str) -> Result<(), FieldError> {
    match raw.chars().find(|&c| is_forbidden_char(c)) {
        Some(c) => Err(refuse(field, c)),
        None => Ok(()),
    }
}

/// Checks one-line text (a query parameter, a path segment, a JSON key, a file name): every
/// control character, tab and line breaks included, and every bidirectional control is
/// refused.
pub fn check_line_text(field: &str, raw: &str) -> Result<(), FieldError> {
    match raw.chars().find(|&c| c.is_control() || is_bidi_control(c)) {
        Some(c) => Err(refuse(field, c)),
        None => Ok(()),
    }
}

/// Text trimmed, inner white space collapsed, no control characters, within bounds.
pub fn clean_text(field: &str, raw: &str, min: usize, max: usize) -> Result<String, FieldError> {
    let cleaned = collapse_whitespace(raw);
    let n = cleaned.chars().count();
    check_input_text(field, raw)?;
    if n < min || n > max {
        return Err(FieldError::new(
            field,
            "text.length",
            format!("Between {min} and {max} characters."),
        ));
    }
    Ok(cleaned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_overrides_are_refused() {
        for bad in [
            "a\u{0}b",
            "\u{1}",
            "x\u{7f}",
            "\u{85}",
            "\u{9f}",
            "Ali\u{202E}gpj.exe",
            "\u{202A}",
            "\u{2066}x\u{2069}",
        ] {
            let e = check_input_text("name", bad).unwrap_err();
            assert_eq!(
                (e.field.as_str(), e.code.as_ref()),
                ("name", CONTROL_CHARACTER)
            );
            assert!(check_line_text("q", bad).is_err());
        }
        assert!(check_input_text("name", "Şanlıurfa\r\n\tçarşı ÖĞÜ").is_ok());
        assert!(check_input_text("name", "عربي \u{200F} עברית").is_ok());
        assert!(check_line_text("q", "a\nb").is_err());
        assert!(check_line_text("q", "a\tb").is_err());
        assert!(check_line_text("q", "İstanbul 34").is_ok());
        let e = check_input_text("n", "a\u{0}").unwrap_err();
        assert!(e.message.contains("U+0000"), "{}", e.message);
        let e = check_input_text("n", "\u{202E}").unwrap_err();
        assert!(e.message.contains("bidirectional"), "{}", e.message);
    }

    #[test]
    fn clean_text_uses_the_same_gate() {
        assert_eq!(
            clean_text("n", "a\u{202E}b", 1, 10).unwrap_err().code,
            CONTROL_CHARACTER
        );
        assert_eq!(clean_text("n", "  a \n b ", 1, 10).unwrap(), "a b");
    }
}
