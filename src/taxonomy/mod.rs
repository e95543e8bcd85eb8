//! The social responses (respostas sociais) and target groups, loaded from data.
//!
//! The shipped taxonomy is `geodata/taxonomy.toml`: Carta Social's 72 responses with their
//! official codes (`tp`) and target population subareas (`vt`), under Bússola's own stable codes
//! and target groups; old names (Lar de Idosos, CAO, ...) and abbreviations are aliases.
mod names;

use crate::{Error, Result};
pub use names::name_key;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// The taxonomy shipped with Bússola, embedded in the binary.
pub const DEFAULT_TAXONOMY: &str = include_str!("../../geodata/taxonomy.toml");

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

/// One of Carta Social's areas (`1` Infância e Juventude, ...).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Area {
    /// Carta Social's one-digit code.
    pub code: String,
    /// Official Portuguese name.
    pub pt: String,
    /// English name.
    pub en: String,
}

/// One of Carta Social's target population subareas (`vt`: `21` Pessoas Idosas, ...).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Subarea {
    /// Carta Social's two-digit code.
    pub code: String,
    /// The area's code.
    pub area: String,
    /// Official Portuguese name.
    pub pt: String,
    /// English name.
    pub en: String,
}

/// One social response (a kind of service).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Response {
    /// Stable code, e.g. `ERPI`.
    pub code: String,
    /// Carta Social's four-digit response code (`tp`), e.g. `2107`; `None` when it lists none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tp: Option<String>,
    /// Carta Social's target population subarea (`vt`), e.g. `21`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subarea: Option<String>,
    /// The target group's code.
    pub group: String,
    /// Carta Social's own name, when it differs from `pt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub official: Option<String>,
    /// Portuguese name.
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

impl Response {
    /// Carta Social's name for the response (`pt` when it gives no other).
    pub fn official_name(&self) -> &str {
        self.official.as_deref().unwrap_or(&self.pt)
    }

    /// Whether `name` is the response's code, official code or one of its current names (not
    /// an alias), in any case or spelling.
    pub fn is_current_name(&self, name: &str) -> bool {
        let key = name_key(name);
        [&self.code, &self.pt, &self.en, self.official_name()]
            .into_iter()
            .chain(self.tp.as_deref())
            .any(|n| name_key(n) == key)
    }
}

#[derive(Deserialize)]
struct TaxonomyFile {
    groups: Vec<Group>,
    #[serde(default)]
    areas: Vec<Area>,
    #[serde(default)]
    subareas: Vec<Subarea>,
    responses: Vec<Response>,
}

/// The loaded taxonomy with its look-up tables.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    groups: Vec<Group>,
    areas: Vec<Area>,
    subareas: Vec<Subarea>,
    responses: Vec<Response>,
    by_code: HashMap<String, usize>,
    by_tp: HashMap<String, usize>,
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
        let bad = |what: String, field: &str, msg: String| {
            Error::data(path, Some(what), Some(field), msg)
        };
        for s in &file.subareas {
            if !file.areas.iter().any(|a| a.code == s.area) {
                let msg = format!("unknown area '{}'", s.area);
                return Err(bad(format!("subarea {}", s.code), "area", msg));
            }
        }
        let mut by_code = HashMap::new();
        let mut by_tp = HashMap::new();
        let mut by_name = HashMap::new();
        for (i, r) in file.responses.iter().enumerate() {
            let what = format!("response {}", r.code);
            if !file.groups.iter().any(|g| g.code == r.group) {
                let msg = format!("unknown group '{}'", r.group);
                return Err(bad(what, "group", msg));
            }
            check_official_codes(r, &file.subareas).map_err(|(f, m)| bad(what.clone(), f, m))?;
            if by_code.insert(r.code.clone(), i).is_some() {
                return Err(bad(what, "code", "duplicate code".into()));
            }
            if let Some(tp) = &r.tp {
                if let Some(prev) = by_tp.insert(tp.clone(), i) {
                    let msg = format!("tp {tp} also given to {}", file.responses[prev].code);
                    return Err(bad(what, "tp", msg));
                }
            }
            let names = [&r.code, &r.pt, r.official_name()]
                .into_iter()
                .chain(r.aliases.iter().map(String::as_str));
            for name in names {
                if let Some(prev) = by_name.insert(name_key(name), i) {
                    if prev != i {
                        let msg = format!("name '{name}' also names {}", file.responses[prev].code);
                        return Err(bad(what, "aliases", msg));
                    }
                }
            }
        }
        Ok(Taxonomy {
            groups: file.groups,
            areas: file.areas,
            subareas: file.subareas,
            responses: file.responses,
            by_code,
            by_tp,
            by_name,
        })
    }

    /// All target groups, in file order.
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// Carta Social's areas, in file order.
    pub fn areas(&self) -> &[Area] {
        &self.areas
    }

    /// Carta Social's target population subareas, in file order.
    pub fn subareas(&self) -> &[Subarea] {
        &self.subareas
    }

    /// The subarea with this code.
    pub fn subarea(&self, code: &str) -> Option<&Subarea> {
        self.subareas.iter().find(|s| s.code == code)
    }

    /// The target groups that have responses in a subarea, in group order: a subarea is a finer
    /// level under these groups.
    pub fn groups_of_subarea(&self, subarea: &str) -> Vec<&str> {
        self.groups
            .iter()
            .filter(|g| {
                self.responses
                    .iter()
                    .any(|r| r.group == g.code && r.subarea.as_deref() == Some(subarea))
            })
            .map(|g| g.code.as_str())
            .collect()
    }

    /// All responses, in file order.
    pub fn responses(&self) -> &[Response] {
        &self.responses
    }

    /// The response with this exact code.
    pub fn get(&self, code: &str) -> Option<&Response> {
        self.by_code.get(code).map(|&i| &self.responses[i])
    }

    /// The response with this Carta Social code (`tp`, e.g. `2107`).
    pub fn by_tp(&self, tp: &str) -> Option<&Response> {
        self.by_tp.get(tp.trim()).map(|&i| &self.responses[i])
    }

    /// The group with this code.
    pub fn group(&self, code: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.code == code)
    }

    /// Resolves a code, Carta Social code, official name or old name (any case, with or without
    /// accents, in the spelling before or after 1990).
    ///
    /// ```
    /// let t = bussola::taxonomy::Taxonomy::default_taxonomy().unwrap();
    /// assert_eq!(t.resolve("Lar de Idosos").unwrap().code, "ERPI");
    /// assert_eq!(t.resolve("2107").unwrap().code, "ERPI");
    /// assert_eq!(t.resolve("cao").unwrap().code, "CACI");
    /// ```
    pub fn resolve(&self, name: &str) -> Option<&Response> {
        self.get(name).or_else(|| self.by_tp(name)).or_else(|| {
            self.by_name
                .get(&name_key(name))
                .map(|&i| &self.responses[i])
        })
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

/// A response's `tp` is four digits that start with its subarea, and its subarea is listed.
fn check_official_codes(
    r: &Response,
    subareas: &[Subarea],
) -> std::result::Result<(), (&'static str, String)> {
    if let Some(tp) = &r.tp {
        if tp.len() != 4 || !tp.bytes().all(|b| b.is_ascii_digit()) {
            return Err((
                "tp",
                format!("'{tp}' is not a four-digit Carta Social code"),
            ));
        }
        match &r.subarea {
            None => return Err(("subarea", format!("missing; tp {tp} needs one"))),
            Some(s) if !tp.starts_with(s.as_str()) => {
                return Err(("subarea", format!("'{s}' is not the start of tp {tp}")));
            }
            Some(_) => {}
        }
    }
    match &r.subarea {
        Some(s) if !subareas.iter().any(|x| x.code == *s) => {
            Err(("subarea", format!("unknown subarea '{s}'")))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
