//! Professional profiles of social care: the National Qualifications Catalogue's (CNQ, ANQEP)
//! qualifications of the sector, what each professional does in plain words (Portuguese and
//! English) and the social responses that employ them. Data, not code:
//! `geodata/profiles.toml`, embedded like the taxonomy and checked against it.
use crate::taxonomy::Taxonomy;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The shipped profiles (`geodata/profiles.toml`).
pub const DEFAULT_PROFILES: &str = include_str!("../geodata/profiles.toml");

/// Education and training areas of the sector (CNAEF), with their names.
pub const AREAS: [(&str, &str); 2] = [
    ("761", "Serviços de Apoio a Crianças e Jovens"),
    ("762", "Trabalho Social e Orientação"),
];

/// The profiles with where they come from.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profiles {
    /// The Catalogue, where each code can be looked up.
    pub catalogue: String,
    /// What to cite.
    pub source: String,
    /// The qualifications.
    pub profiles: Vec<Profile>,
}

/// One CNQ qualification.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The 6-digit referencial code (its first three digits are the area).
    pub code: String,
    /// The qualification's title, as the Catalogue writes it.
    pub title: String,
    /// The level in the National Qualifications Framework (QNQ), 1 to 8.
    pub level: u8,
    /// The education and training area (CNAEF): `761` or `762`.
    pub area: String,
    /// The official act that first published it.
    pub first_published: String,
    /// The social responses (taxonomy codes) whose teams employ it.
    pub responses: Vec<String>,
    /// What the professional does, in plain Portuguese.
    pub pt: String,
    /// The same in plain English.
    pub en: String,
    /// What still needs checking against the Catalogue, if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
}

impl Profiles {
    /// The shipped profiles, checked against `taxonomy`.
    pub fn shipped(taxonomy: &Taxonomy) -> Result<Self> {
        Self::from_toml(
            DEFAULT_PROFILES,
            Path::new("geodata/profiles.toml"),
            taxonomy,
        )
    }

    /// Parses and checks profiles TOML; errors name the file, the profile and the field.
    ///
    /// ```
    /// let tax = bussola::taxonomy::Taxonomy::default_taxonomy().unwrap();
    /// let p = bussola::profiles::Profiles::shipped(&tax).unwrap();
    /// assert!(p.for_response("ERPI").any(|p| p.title == "Agente em Geriatria"));
    /// ```
    pub fn from_toml(text: &str, path: &Path, taxonomy: &Taxonomy) -> Result<Self> {
        let p: Profiles =
            toml::from_str(text).map_err(|e| Error::data(path, None, None, e.to_string()))?;
        let mut seen = std::collections::HashSet::new();
        for x in &p.profiles {
            let bad = |field: &str, msg: String| {
                Error::data(path, Some(format!("profile {}", x.code)), Some(field), msg)
            };
            if x.code.len() != 6 || !x.code.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad("code", "must be the 6-digit referencial code".into()));
            }
            if !seen.insert(x.code.as_str()) {
                return Err(bad("code", "given twice".into()));
            }
            if !AREAS.iter().any(|(a, _)| *a == x.area) || !x.code.starts_with(&x.area) {
                let msg = format!("'{}': 761 or 762, the code's first three digits", x.area);
                return Err(bad("area", msg));
            }
            if !(1..=8).contains(&x.level) {
                return Err(bad("level", format!("{}: QNQ levels are 1 to 8", x.level)));
            }
            if let Some(r) = x.responses.iter().find(|r| taxonomy.get(r).is_none()) {
                return Err(bad("responses", format!("'{r}' is not a response code")));
            }
            for (field, text) in [("title", &x.title), ("pt", &x.pt), ("en", &x.en)] {
                if text.trim().is_empty() {
                    return Err(bad(field, "must not be empty".into()));
                }
            }
        }
        Ok(p)
    }

    /// The profiles a response employs, in file order.
    pub fn for_response<'a>(&'a self, code: &'a str) -> impl Iterator<Item = &'a Profile> {
        self.profiles
            .iter()
            .filter(move |p| p.responses.iter().any(|r| r == code))
    }

    /// A profile's title by its CNQ code (`762191` → "Agente em Geriatria").
    pub fn title(&self, code: &str) -> Option<&str> {
        self.profiles
            .iter()
            .find(|p| p.code == code)
            .map(|p| p.title.as_str())
    }

    /// Whether a CNQ code is one of the profiles.
    pub fn has(&self, code: &str) -> bool {
        self.title(code).is_some()
    }

    /// The area's name (`761` → "Serviços de Apoio a Crianças e Jovens").
    pub fn area_name(area: &str) -> Option<&'static str> {
        AREAS.iter().find(|(a, _)| *a == area).map(|(_, n)| *n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tax() -> Taxonomy {
        Taxonomy::default_taxonomy().unwrap()
    }

    #[test]
    fn the_shipped_profiles_are_the_seven_verified_codes() {
        let p = Profiles::shipped(&tax()).unwrap();
        let codes: Vec<&str> = p.profiles.iter().map(|x| x.code.as_str()).collect();
        assert_eq!(
            codes,
            ["762191", "762335", "762374", "762176", "761175", "761361", "761174"]
        );
        let creche: Vec<&str> = p.for_response("CRECHE").map(|x| x.title.as_str()).collect();
        assert!(
            creche.contains(&"Técnico/a de Ação Educativa"),
            "{creche:?}"
        );
        let sad: Vec<&str> = p
            .for_response("SAD_IDOSOS")
            .map(|x| x.code.as_str())
            .collect();
        assert_eq!(sad, ["762191", "762335"]);
        // The one the sources doubt says so.
        assert!(p.profiles[6].check.is_some());
    }

    #[test]
    fn bad_profiles_are_refused_naming_the_field() {
        let base = |field: &str| {
            let good = r#"catalogue = "x"
source = "y"
[[profiles]]
code = "762191"
title = "T"
level = 2
area = "762"
first_published = "D"
responses = ["ERPI"]
pt = "a"
en = "b"
"#;
            good.replace(
                match field {
                    "code" => "code = \"762191\"",
                    "area" => "area = \"762\"",
                    "level" => "level = 2",
                    _ => "responses = [\"ERPI\"]",
                },
                match field {
                    "code" => "code = \"76219\"",
                    "area" => "area = \"761\"",
                    "level" => "level = 9",
                    _ => "responses = [\"NOPE\"]",
                },
            )
        };
        for field in ["code", "area", "level", "responses"] {
            let e = Profiles::from_toml(&base(field), Path::new("p.toml"), &tax()).unwrap_err();
            let msg = e.to_string();
            assert!(
                msg.contains(field) && msg.contains("p.toml"),
                "{field}: {msg}"
            );
        }
    }
}
