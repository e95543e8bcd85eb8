//! The social responses (respostas sociais) and target groups, loaded from data.
//!
//! The shipped taxonomy is `geodata/taxonomy.toml`, after Carta Social's nomenclature; old
//! names (Lar de Idosos, CAO, ...) are aliases that resolve to the current code.
use crate::text::fold;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// The taxonomy shipped with Bússola, embedded in the binary.
pub const DEFAULT_TAXONOMY: &str = include_str!("../geodata/taxonomy.toml");

/// A target group (who a response is for).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Group {
    /// Stable code, e.g. `elderly`.
    pub code: String,
    /// Portuguese name.
    pub pt: String,
    /// English name.
    pub en: String,
}

/// One social response (a kind of service).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Response {
    /// Stable code, e.g. `ERPI`.
    pub code: String,
    /// The target group's code.
    pub group: String,
    /// Official Portuguese name.
    pub pt: String,
    /// English name.
    pub en: String,
    /// Plain Portuguese words for citizens.
    #[serde(default)]
    pub pt_plain: Option<String>,
    /// Plain English words for citizens.
    #[serde(default)]
    pub en_plain: Option<String>,
    /// Old or alternative names that resolve to this code.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The largest plausible capacity of one service (a generous limit that catches typing
    /// errors; see `geodata/taxonomy.toml`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_capacity: Option<u32>,
}

#[derive(Deserialize)]
struct TaxonomyFile {
    groups: Vec<Group>,
    responses: Vec<Response>,
}

/// The loaded taxonomy with its look-up tables.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    groups: Vec<Group>,
    responses: Vec<Response>,
    by_code: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
}

impl Taxonomy {
    /// The embedded default taxonomy.
    pub fn default_taxonomy() -> Result<Self> {
        Self::from_toml(DEFAULT_TAXONOMY, Path::new("geodata/taxonomy.toml"))
    }

    /// Loads a taxonomy file.
    pub fn load(path: &Path) -> Result<Self> {
        let text = crate::error::read_text(path)?;
        Self::from_toml(&text, path)
    }

    /// Parses taxonomy TOML; `path` names the source in errors.
    pub fn from_toml(text: &str, path: &Path) -> Result<Self> {
        let file: TaxonomyFile =
            toml::from_str(text).map_err(|e| Error::data(path, None, None, e.to_string()))?;
        let mut by_code = HashMap::new();
        let mut by_name = HashMap::new();
        for (i, r) in file.responses.iter().enumerate() {
            if !file.groups.iter().any(|g| g.code == r.group) {
                return Err(Error::data(
                    path,
                    Some(format!("response {}", r.code)),
                    Some("group"),
                    format!("unknown group '{}'", r.group),
                ));
            }
            if by_code.insert(r.code.clone(), i).is_some() {
                return Err(Error::data(
                    path,
                    Some(format!("response {}", r.code)),
                    Some("code"),
                    "duplicate code",
                ));
            }
            for name in std::iter::once(&r.code)
                .chain(std::iter::once(&r.pt))
                .chain(r.aliases.iter())
            {
                if let Some(prev) = by_name.insert(fold(name), i) {
                    if prev != i {
                        return Err(Error::data(
                            path,
                            Some(format!("response {}", r.code)),
                            Some("aliases"),
                            format!("name '{name}' also names {}", file.responses[prev].code),
                        ));
                    }
                }
            }
        }
        Ok(Taxonomy {
            groups: file.groups,
            responses: file.responses,
            by_code,
            by_name,
        })
    }

    /// All target groups, in file order.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// All responses, in file order.
    pub fn responses(&self) -> &[Response] {
        &self.responses
    }

    /// The response with this exact code.
    pub fn get(&self, code: &str) -> Option<&Response> {
        self.by_code.get(code).map(|&i| &self.responses[i])
    }

    /// The group with this code.
    pub fn group(&self, code: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.code == code)
    }

    /// Resolves a code, official name or old name (any case, with or without accents).
    ///
    /// ```
    /// let t = bussola::taxonomy::Taxonomy::default_taxonomy().unwrap();
    /// assert_eq!(t.resolve("Lar de Idosos").unwrap().code, "ERPI");
    /// assert_eq!(t.resolve("cao").unwrap().code, "CACI");
    /// ```
    pub fn resolve(&self, name: &str) -> Option<&Response> {
        self.get(name)
            .or_else(|| self.by_name.get(&fold(name)).map(|&i| &self.responses[i]))
    }

    /// The codes of the responses of one group.
    pub fn codes_in_group(&self, group: &str) -> Vec<&str> {
        self.responses
            .iter()
            .filter(|r| r.group == group)
            .map(|r| r.code.as_str())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tax() -> Taxonomy {
        Taxonomy::default_taxonomy().expect("shipped taxonomy parses")
    }

    #[test]
    fn has_the_four_groups_and_carta_social_responses() {
        let t = tax();
        let groups: Vec<&str> = t.groups().iter().map(|g| g.code.as_str()).collect();
        assert_eq!(groups, ["children", "disability", "elderly", "family"]);
        for code in [
            "CRECHE",
            "AMA",
            "PRE_ESCOLAR",
            "CATL",
            "CASA_ACOLHIMENTO",
            "CAFAP",
            "INTERVENCAO_PRECOCE",
            "CACI",
            "LAR_RESIDENCIAL",
            "CAARPD",
            "SAD_DEFICIENCIA",
            "TRANSPORTE_DEFICIENCIA",
            "ERPI",
            "CENTRO_DIA",
            "CENTRO_NOITE",
            "CENTRO_CONVIVIO",
            "SAD_IDOSOS",
            "ACOLHIMENTO_FAMILIAR_IDOSOS",
            "ATENDIMENTO_SOCIAL",
            "CENTRO_COMUNITARIO",
            "CANTINA_SOCIAL",
            "CENTRO_ALOJAMENTO_TEMPORARIO",
            "AJUDA_ALIMENTAR",
        ] {
            assert!(t.get(code).is_some(), "{code} missing");
        }
        assert_eq!(t.get("ERPI").map(|r| r.group.as_str()), Some("elderly"));
        assert_eq!(t.get("CACI").map(|r| r.group.as_str()), Some("disability"));
    }

    #[test]
    fn old_names_map_to_current_codes() {
        let t = tax();
        assert_eq!(
            t.resolve("LAR DE IDOSOS").map(|r| r.code.as_str()),
            Some("ERPI")
        );
        assert_eq!(
            t.resolve("Centro de Atividades Ocupacionais")
                .map(|r| r.code.as_str()),
            Some("CACI")
        );
        assert_eq!(
            t.resolve("centro de dia").map(|r| r.code.as_str()),
            Some("CENTRO_DIA")
        );
        assert_eq!(
            t.resolve("Jardim de Infancia").map(|r| r.code.as_str()),
            Some("PRE_ESCOLAR")
        );
        assert!(t.resolve("Hospital").is_none());
    }

    #[test]
    fn rejects_a_response_in_an_unknown_group() {
        let bad = "[[groups]]\ncode='a'\npt='A'\nen='A'\n[[responses]]\ncode='X'\ngroup='b'\npt='X'\nen='X'\n";
        let err = Taxonomy::from_toml(bad, Path::new("t.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("t.toml") && err.contains("group") && err.contains("'b'"),
            "{err}"
        );
    }

    #[test]
    fn codes_in_group_lists_elderly_responses() {
        let t = tax();
        let codes = t.codes_in_group("elderly");
        assert!(codes.contains(&"ERPI") && codes.contains(&"SAD_IDOSOS"));
        assert!(!codes.contains(&"CRECHE"));
    }
}
