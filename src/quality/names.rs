//! How alike two service names are, after Portuguese abbreviations and generic words.
//!
//! Names are folded ([`crate::text::fold`]), split into words, abbreviations expanded ("S." →
//! "são", "SCM" → "santa casa misericórdia"), and words that say what kind of service it is
//! ("lar", "centro de dia", "creche"...) dropped: duplicates are only looked for among services
//! of the same response, so those words carry no information and would make every "Lar de X"
//! look like every "Lar de Y". Numbers and single letters are *markers* ("Lar 2", "Creche B"):
//! two names whose markers differ are different services however alike the rest is.
use std::collections::BTreeSet;
use strsim::jaro_winkler;

/// Articles, prepositions and conjunctions.
const STOPWORDS: &[&str] = &[
    "de", "da", "do", "das", "dos", "e", "a", "o", "as", "os", "em", "na", "no", "nas", "nos",
    "para", "com", "ao", "aos", "nossa",
];

/// Words naming kinds of service or of institution in general.
const GENERIC: &[&str] = &[
    "lar",
    "lares",
    "centro",
    "dia",
    "noite",
    "social",
    "creche",
    "residencia",
    "residencial",
    "estrutura",
    "pessoas",
    "idosas",
    "idosos",
    "idoso",
    "terceira",
    "idade",
    "apoio",
    "domiciliario",
    "servico",
    "servicos",
    "jardim",
    "infancia",
    "ji",
    "atl",
    "erpi",
    "sad",
    "caci",
    "convivio",
    "valencia",
    "resposta",
    "equipamento",
    "ipss",
];

/// Roman numerals used to number buildings ("Lar II").
const ROMAN: &[&str] = &["ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"];

/// A name split for comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameKey {
    /// Distinctive words.
    pub words: Vec<String>,
    /// Numbers, single letters and roman numerals.
    pub markers: BTreeSet<String>,
}

fn expand(word: &str) -> &[&str] {
    match word {
        "s" => &["sao"],
        "sto" => &["santo"],
        "sta" => &["santa"],
        "sr" => &["senhor"],
        "sra" | "snra" => &["senhora"],
        "n" => &[],
        "scm" => &["santa", "casa", "misericordia"],
        "dom" | "dona" | "d" => &["dom"],
        "pe" => &["padre"],
        "dr" | "dra" | "doutora" => &["doutor"],
        "prof" | "profa" | "professora" => &["professor"],
        _ => &[],
    }
}

/// Splits and normalises a name.
///
/// ```
/// let k = bussola::quality::duplicates::name_key("Lar de S. José, n.º 2");
/// assert_eq!(k.words, ["sao", "jose"]);
/// assert!(k.markers.contains("2"));
/// ```
pub fn name_key(name: &str) -> NameKey {
    // "E" is a label in "Lar Exemplo E" but "e" joins words in "Centro Social e Paroquial":
    // only an upper-case E in a name that is not all capitals is a label.
    let all_caps = !name.chars().any(char::is_lowercase);
    let mut raw: Vec<String> = Vec::new();
    for w in name
        .split(|c: char| !c.is_alphanumeric() || c == 'º' || c == 'ª')
        .filter(|w| !w.is_empty())
    {
        let f = crate::text::fold(w);
        if f == "e" && w == "E" && !all_caps {
            raw.push("E".into());
            continue;
        }
        let e = expand(&f);
        if e.is_empty() && f != "n" {
            raw.push(f);
        } else {
            raw.extend(e.iter().map(|s| s.to_string()));
        }
    }
    // "Santa Casa da Misericórdia": "santa casa" only says it is the Misericórdia.
    if let Some(i) = raw.iter().position(|w| w == "misericordia") {
        let before: Vec<usize> = (i.saturating_sub(3)..i)
            .filter(|&j| raw[j] == "santa" || raw[j] == "casa")
            .collect();
        for j in before.into_iter().rev() {
            raw.remove(j);
        }
    }
    let is_marker = |w: &str| {
        w.chars().all(|c| c.is_ascii_digit())
            || ROMAN.contains(&w)
            || (w.chars().count() == 1 && w != "e")
    };
    let markers: BTreeSet<String> = raw.iter().filter(|w| is_marker(w)).cloned().collect();
    let content: Vec<String> = raw
        .into_iter()
        .filter(|w| !is_marker(w) && !STOPWORDS.contains(&w.as_str()))
        .collect();
    let mut words: Vec<String> = content
        .iter()
        .filter(|w| !GENERIC.contains(&w.as_str()))
        .cloned()
        .collect();
    // A name made only of generic words ("Centro de Dia") is compared as it is.
    if words.is_empty() {
        words = content;
    }
    let mut seen = BTreeSet::new();
    words.retain(|w| seen.insert(w.clone()));
    NameKey { words, markers }
}

/// Whether two words are the same word, allowing a typing slip in long words.
fn same_word(a: &str, b: &str) -> bool {
    a == b || (a.len() >= 5 && b.len() >= 5 && jaro_winkler(a, b) >= 0.92)
}

/// How alike two names are, 0 to 1: the mean of the share of each name's distinctive words
/// found in the other; 0 when their markers differ or either has no words.
///
/// ```
/// use bussola::quality::duplicates::similarity;
/// assert_eq!(similarity("Lar de São José", "Lar S. José"), 1.0);
/// assert_eq!(similarity("Lar de São José", "Lar de São Pedro"), 0.5);
/// ```
pub fn similarity(a: &str, b: &str) -> f64 {
    key_similarity(&name_key(a), &name_key(b))
}

/// [`similarity`] of names already split.
pub fn key_similarity(a: &NameKey, b: &NameKey) -> f64 {
    if !a.markers.is_empty() && !b.markers.is_empty() && a.markers != b.markers {
        return 0.0;
    }
    if a.words.is_empty() || b.words.is_empty() {
        return 0.0;
    }
    let share = |x: &[String], y: &[String]| {
        let found = x
            .iter()
            .filter(|w| y.iter().any(|v| same_word(w, v)))
            .count();
        found as f64 / x.len() as f64
    };
    (share(&a.words, &b.words) + share(&b.words, &a.words)) / 2.0
}
