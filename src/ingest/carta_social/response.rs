//! Which response a row names: by Carta Social's code, or by name told apart by the row's
//! target population where Carta Social uses one name for several responses.
use crate::taxonomy::{name_key, Taxonomy};

/// What a row says about its response.
pub(super) struct Read {
    /// The value for our `type` field: a code, a Carta Social code or a name.
    pub value: String,
    /// It comes from the code column (so errors name that column).
    pub from_code: bool,
    /// Why the code and the name columns disagree, when they do.
    pub disagreement: Option<String>,
}

/// Names Carta Social gives to home support for several target populations; the row's target
/// population (a name or a `vt` subarea code) says which one is meant.
const HOME_SUPPORT: &[&str] = &["servico de apoio domiciliario", "sad", "apoio domiciliario"];
const TRANSPORT: &str = "transporte de pessoas com deficiencia";

/// The code column wins over the name column: a code cannot be misspelt into another response.
pub(super) fn read(
    name: Option<&str>,
    code: Option<&str>,
    group: Option<&str>,
    taxonomy: Option<&Taxonomy>,
) -> Read {
    let by_name = name.map(|n| told_apart(n, group));
    let Some(code) = code else {
        return Read {
            value: by_name.unwrap_or_default(),
            from_code: false,
            disagreement: None,
        };
    };
    let disagreement = taxonomy.and_then(|t| {
        let (a, b) = (t.resolve(code)?, t.resolve(by_name.as_deref()?)?);
        (a.code != b.code).then(|| {
            format!(
                "code {code} ({}) and name '{}' ({}) disagree; read by the code",
                a.code,
                name.unwrap_or_default(),
                b.code
            )
        })
    });
    Read {
        value: code.to_string(),
        from_code: true,
        disagreement,
    }
}

fn told_apart(name: &str, group: Option<&str>) -> String {
    let key = name_key(name);
    let group = group.map(name_key).unwrap_or_default();
    let is = |words: &[&str], vt: &str| group == vt || words.iter().any(|w| group.contains(w));
    if HOME_SUPPORT.contains(&key.as_str()) {
        if is(&["deficien"], "22") {
            return "SAD_DEFICIENCIA".into();
        }
        if is(&["dependen"], "23") {
            return "SAD_DEPENDENCIA".into();
        }
        if is(&["vih", "sida"], "32") {
            return "SAD_VIH".into();
        }
    }
    if key == TRANSPORT && is(&["crianca", "jove"], "12") {
        return "TRANSPORTE_DEFICIENCIA_CRIANCAS".into();
    }
    name.to_string()
}
