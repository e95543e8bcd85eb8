//! The key a response name is matched by.
use crate::text::fold;

/// Spellings from before the 1990 orthographic agreement, which older Carta Social listings
/// still use ("Centro de Actividades Ocupacionais"), and the current spelling they stand for.
const OLD_SPELLINGS: &[(&str, &str)] = &[
    ("actividade", "atividade"),
    ("directa", "direta"),
    ("directo", "direto"),
    ("accao", "acao"),
    ("proteccao", "protecao"),
    ("colectiv", "coletiv"),
    ("projecto", "projeto"),
    ("electr", "eletr"),
    ("objectiv", "objetiv"),
];

/// The matching key of a response name: case, accents, runs of space and the spelling before
/// 1990 do not count.
///
/// ```
/// use bussola::taxonomy::name_key;
/// assert_eq!(name_key("Centro de Actividades"), name_key("centro de atividades"));
/// ```
pub fn name_key(name: &str) -> String {
    let mut key = fold(name);
    for (old, new) in OLD_SPELLINGS {
        if key.contains(old) {
            key = key.replace(old, new);
        }
    }
    key
}
