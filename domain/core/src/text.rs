//! Free text as forms take it: white space collapsed, control characters refused, length
//! bounded — one rule for every domain's names, reasons and texts.

use crate::error::FieldError;

/// `raw` with runs of white space collapsed to one space and the ends trimmed.
pub fn collapse_whitespace(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text trimmed, inner white space collapsed, no control characters, within bounds.
pub fn clean_text(field: &str, raw: &str, min: usize, max: usize) -> Result<String, FieldError> {
    let cleaned = collapse_whitespace(raw);
    let n = cleaned.chars().count();
    if raw.chars().any(|c| c.is_control() && !c.is_whitespace()) {
        return Err(FieldError::new(
            field,
            "text.control_character",
            "Control characters are not allowed.",
        ));
    }
    if n < min || n > max {
        return Err(FieldError::new(
            field,
            "text.length",
            format!("Between {min} and {max} characters."),
        ));
    }
    Ok(cleaned)
}
