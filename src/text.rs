//! Accent- and case-insensitive matching of Portuguese names.

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

#[cfg(test)]
mod tests {
    use super::fold;

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
