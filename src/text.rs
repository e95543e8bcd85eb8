//! Accent- and case-insensitive matching of Portuguese names; text cells safe in spreadsheets.
use std::borrow::Cow;

/// Folds a string for matching: lower case, accents removed, runs of space collapsed.
///
/// ```
/// assert_eq!(bussola::text::fold("  Évora  Cátedral"), "evora catedral");
/// ```
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if space {
            out.push(' ');
            space = false;
        }
        for l in c.to_lowercase() {
            out.push(strip_accent(l));
        }
    }
    out
}

fn strip_accent(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ã' | 'ä' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'õ' | 'ö' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        other => other,
    }
}

/// A cell a spreadsheet will show as text, never run: text starting with `=`, `+`, `-`, `@`, a
/// tab or a carriage return gets a leading `'` (OWASP's advice against CSV injection); plain
/// numbers such as `-7.91` stay as they are.
///
/// ```
/// assert_eq!(bussola::text::csv_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(bussola::text::csv_safe("-7.91"), "-7.91");
/// assert_eq!(bussola::text::csv_safe("Lar de Évora"), "Lar de Évora");
/// ```
pub fn csv_safe(s: &str) -> Cow<'_, str> {
    let risky = s.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(s) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// One CSV field as written in a line: made safe with [`csv_safe`], then quoted when it holds a
/// comma, a quote or a line break.
///
/// ```
/// assert_eq!(bussola::text::csv_field("Reguengos, Monsaraz"), "\"Reguengos, Monsaraz\"");
/// assert_eq!(bussola::text::csv_field("@SUM(A1)"), "'@SUM(A1)");
/// ```
pub fn csv_field(s: &str) -> String {
    let safe = csv_safe(s);
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe.into_owned()
    }
}

/// The first control character in `s` (NUL, escape, a line break…), tabs and line breaks
/// allowed when `lines` is true: they break exports and pages and have no place in a name.
///
/// ```
/// assert_eq!(bussola::text::control_char("Lar\u{0}", false), Some('\u{0}'));
/// assert_eq!(bussola::text::control_char("9h-12h\n14h-18h", true), None);
/// assert_eq!(bussola::text::control_char("9h-12h\n14h-18h", false), Some('\n'));
/// ```
pub fn control_char(s: &str, lines: bool) -> Option<char> {
    s.chars()
        .find(|c| c.is_control() && !(lines && matches!(c, '\n' | '\r' | '\t')))
}

/// Refuses text holding a control character, saying which ([`control_char`]).
pub fn no_control(s: &str, lines: bool) -> Result<(), String> {
    match control_char(s, lines) {
        Some(c) => Err(format!(
            "contains a control character (U+{:04X}); remove it",
            u32::from(c)
        )),
        None => Ok(()),
    }
}

/// One CSV text field, always quoted (so GIS tools keep codes such as `0701` as text) and made
/// safe with [`csv_safe`].
///
/// ```
/// assert_eq!(bussola::text::csv_text("0701"), "\"0701\"");
/// assert_eq!(bussola::text::csv_text("=1+1"), "\"'=1+1\"");
/// ```
pub fn csv_text(s: &str) -> String {
    format!("\"{}\"", csv_safe(s).replace('"', "\"\""))
}

// A sign, digits, at most one point, and nothing else: what a spreadsheet reads as a number.
fn is_plain_number(s: &str) -> bool {
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    let mut points = 0;
    !body.is_empty()
        && body.chars().all(|c| {
            points += usize::from(c == '.');
            c.is_ascii_digit() || c == '.'
        })
        && points <= 1
        && body != "."
}

#[cfg(test)]
mod tests {
    use super::{csv_field, csv_safe, fold};

    #[test]
    fn csv_cells_that_would_run_are_neutralised() {
        for bad in [
            "=1+1", "+1+1", "-1+1", "@SUM(A1)", "\tx", "\rx", "-", "+", "-.", "--1",
        ] {
            assert_eq!(csv_safe(bad), format!("'{bad}"), "{bad:?}");
        }
        for good in ["-7.91", "+351", "38.5", "0701", "Évora", "a=b", ""] {
            assert_eq!(csv_safe(good), good, "{good:?}");
        }
        assert_eq!(csv_field("=A1,B1"), "\"'=A1,B1\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn folds_portuguese() {
        assert_eq!(fold("Mourão"), "mourao");
        assert_eq!(fold("VILA  VIÇOSA"), "vila vicosa");
        assert_eq!(
            fold("Refeitório/Cantina Social"),
            "refeitorio/cantina social"
        );
    }
}
