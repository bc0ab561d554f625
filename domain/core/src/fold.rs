//! The Turkish-aware search key.
//!
//! SQLite's `lower()` folds ASCII only and neither backend knows that `İ` lower-cases to `i`
//! and `I` to `ı`. We store a key computed here beside every searchable text and match
//! `LIKE` on it, so `sanliurfa` finds `Şanlıurfa` and `YAZILIM` finds `Yazılım` on both.

/// Folds text for search and uniqueness: İ, I, ı → i; ş → s; ğ → g; ç → c; ö → o; ü → u;
/// circumflexed vowels lose the circumflex; everything else lower-cased; runs of white
/// space become one space; leading and trailing space removed.
pub fn search_fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        // Combining marks (e.g. the dot of a decomposed İ) carry no search meaning.
        if ('\u{0300}'..='\u{036F}').contains(&c) {
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        match c {
            'İ' | 'I' | 'ı' | 'i' | 'î' | 'Î' => out.push('i'),
            'Ş' | 'ş' => out.push('s'),
            'Ğ' | 'ğ' => out.push('g'),
            'Ç' | 'ç' => out.push('c'),
            'Ö' | 'ö' => out.push('o'),
            'Ü' | 'ü' | 'û' | 'Û' => out.push('u'),
            'â' | 'Â' => out.push('a'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

fn escape_like(s: &str) -> String {
    let mut p = String::with_capacity(s.len() + 2);
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern and wraps it as "contains".
pub fn like_contains(folded: &str) -> String {
    format!("%{}%", escape_like(folded))
}

/// The same, as "starts with".
pub fn like_prefix(s: &str) -> String {
    format!("{}%", escape_like(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_turkish_letters() {
        assert_eq!(search_fold("Şanlıurfa"), "sanliurfa");
        assert_eq!(search_fold("İSTANBUL"), "istanbul");
        assert_eq!(search_fold("ISPARTA"), "isparta");
        assert_eq!(search_fold("Yazılım Geliştirici"), "yazilim gelistirici");
        assert_eq!(search_fold("ÇĞÖÜŞ çğöüş"), "cgous cgous");
        assert_eq!(search_fold("  Kâtip   Hâkim\t"), "katip hakim");
        assert_eq!(search_fold("i\u{0307}stanbul"), "istanbul");
    }

    #[test]
    fn like_pattern_escapes_wildcards() {
        assert_eq!(like_contains("a%b_c\\"), "%a\\%b\\_c\\\\%");
        assert_eq!(like_prefix("25_1"), "25\\_1%");
    }
}
