//! Useful public services: the national and regional services a citizen or a worker is referred
//! to (Segurança Social, the social emergency line 144, SNS 24, IEFP, Carta Social, the Social
//! Security's district centres), and each municipality's own social service. Data, not code:
//! `geodata/public_services.toml`, embedded like the profiles; a link or a phone only where it
//! was read on an official page, which each entry names.
use crate::model::Municipality;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::path::Path;

/// The shipped file (`geodata/public_services.toml`).
pub const DEFAULT_PUBLIC_SERVICES: &str = include_str!("../geodata/public_services.toml");

/// The services, and the municipalities' verified links.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicServices {
    /// What to cite.
    pub source: String,
    /// National and regional services (and any municipal one written out).
    pub services: Vec<PublicService>,
    /// Verified links of municipalities' own sites, for their social service's entry.
    #[serde(default)]
    pub municipal: Vec<MunicipalLink>,
}

/// Who a service is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Everyone in the country.
    National,
    /// The municipalities of one district.
    Regional,
    /// One municipality.
    Municipal,
}

/// A text in Portuguese and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Words {
    /// Portuguese.
    pub pt: String,
    /// English.
    pub en: String,
}

/// One public service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublicService {
    /// Stable id (lowercase letters, digits and `-`).
    pub id: String,
    /// Its name.
    pub name: Words,
    /// What it is for, in plain words.
    pub what: Words,
    /// Who it is for.
    pub scope: Scope,
    /// For a regional service: the district, the first two digits of its municipalities' codes.
    #[serde(default, skip_serializing)]
    pub district: Option<String>,
    /// For a municipal service: the municipality's code (DICO).
    #[serde(default)]
    pub municipality: Option<String>,
    /// Its official site, where verified.
    #[serde(default)]
    pub url: Option<String>,
    /// Its phone, where verified.
    #[serde(default)]
    pub phone: Option<String>,
    /// The official page the link and phone were read on.
    #[serde(default)]
    pub source: Option<String>,
    /// When that page was read (YYYY-MM-DD).
    #[serde(default)]
    pub checked: Option<String>,
    /// What is still to be verified, if anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check: Option<String>,
}

/// A municipality's official site, verified.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MunicipalLink {
    /// The municipality's code (DICO).
    pub municipality: String,
    /// Its site.
    pub url: String,
    /// The page read.
    pub source: String,
    /// When (YYYY-MM-DD).
    pub checked: String,
}

/// Whether a phone is written as people dial it: digits in groups, an optional leading `+`,
/// 3 (short numbers such as 144) to 15 digits.
///
/// ```
/// use bussola::public_services::sane_phone;
/// assert!(sane_phone("144") && sane_phone("+351 300 502 502") && sane_phone("808 24 24 24"));
/// assert!(!sane_phone("12") && !sane_phone("call 144") && !sane_phone("+ 351"));
/// ```
pub fn sane_phone(p: &str) -> bool {
    let rest = p.strip_prefix('+').unwrap_or(p);
    let digits = rest.bytes().filter(u8::is_ascii_digit).count();
    !rest.starts_with(' ')
        && !rest.ends_with(' ')
        && !rest.contains("  ")
        && rest.bytes().all(|b| b.is_ascii_digit() || b == b' ')
        && (3..=15).contains(&digits)
}

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && s.bytes()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn is_web(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && url.len() > "https://".len()
        && !url.contains(char::is_whitespace)
}

impl PublicServices {
    /// The shipped services.
    pub fn shipped() -> Result<Self> {
        Self::from_toml(
            DEFAULT_PUBLIC_SERVICES,
            Path::new("geodata/public_services.toml"),
        )
    }

    /// Parses and checks the file; errors name the file, the entry and the field.
    ///
    /// ```
    /// let s = bussola::public_services::PublicServices::shipped().unwrap();
    /// assert!(s.services.iter().any(|x| x.phone.as_deref() == Some("144")));
    /// ```
    pub fn from_toml(text: &str, path: &Path) -> Result<Self> {
        let s: PublicServices =
            toml::from_str(text).map_err(|e| Error::data(path, None, None, e.to_string()))?;
        let mut ids = HashSet::new();
        for x in &s.services {
            let bad = |field: &str, msg: &str| {
                Error::data(path, Some(format!("service {}", x.id)), Some(field), msg)
            };
            let id_ok = !x.id.is_empty()
                && x.id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
            if !id_ok {
                return Err(bad("id", "lowercase letters, digits and '-' only"));
            }
            if !ids.insert(x.id.as_str()) {
                return Err(bad("id", "given twice"));
            }
            for (field, w) in [("name", &x.name), ("what", &x.what)] {
                if w.pt.trim().is_empty() || w.en.trim().is_empty() {
                    return Err(bad(field, "needs both pt and en"));
                }
            }
            match (x.scope, &x.district, &x.municipality) {
                (Scope::National, None, None) => {}
                (Scope::Regional, Some(d), None) if digits(d, 2) => {}
                (Scope::Municipal, None, Some(m)) if digits(m, 4) => {}
                (Scope::Regional, ..) => {
                    return Err(bad(
                        "district",
                        "a regional service needs its district's two digits (and no municipality)",
                    ));
                }
                (Scope::Municipal, ..) => {
                    return Err(bad(
                        "municipality",
                        "a municipal service needs its 4-digit DICO code (and no district)",
                    ));
                }
                (Scope::National, ..) => {
                    return Err(bad(
                        "scope",
                        "a national service has no district or municipality",
                    ));
                }
            }
            if x.url.as_deref().is_some_and(|u| !is_web(u)) {
                return Err(bad("url", "must be an http(s) address"));
            }
            if x.phone.as_deref().is_some_and(|p| !sane_phone(p)) {
                return Err(bad("phone", "digits in groups, an optional leading '+'"));
            }
            if x.url.is_some() || x.phone.is_some() {
                if !x.source.as_deref().is_some_and(is_web) {
                    return Err(bad(
                        "source",
                        "a url or phone needs the official page it was read on",
                    ));
                }
                if !x.checked.as_deref().is_some_and(is_date) {
                    return Err(bad(
                        "checked",
                        "a url or phone needs the day it was read (YYYY-MM-DD)",
                    ));
                }
            }
        }
        let mut seen = HashSet::new();
        for m in &s.municipal {
            let bad = |field: &str, msg: &str| {
                Error::data(
                    path,
                    Some(format!("municipal {}", m.municipality)),
                    Some(field),
                    msg,
                )
            };
            if !digits(&m.municipality, 4) || !seen.insert(m.municipality.as_str()) {
                return Err(bad("municipality", "a 4-digit DICO code, once"));
            }
            if !is_web(&m.url) || !is_web(&m.source) {
                return Err(bad(
                    "url",
                    "the site and the page read must be http(s) addresses",
                ));
            }
            if !is_date(&m.checked) {
                return Err(bad("checked", "YYYY-MM-DD"));
            }
        }
        Ok(s)
    }

    /// The municipality codes the file names that are not in `known` (a region's codes).
    pub fn unknown_codes<'a>(&'a self, known: &[&str]) -> Vec<&'a str> {
        let named = self
            .services
            .iter()
            .filter_map(|x| x.municipality.as_deref());
        named
            .chain(self.municipal.iter().map(|m| m.municipality.as_str()))
            .filter(|c| !known.contains(c))
            .collect()
    }

    /// The municipality's social service entry, with its verified link if the file has one.
    pub fn social_service_of(&self, m: &Municipality) -> PublicService {
        let link = self.municipal.iter().find(|l| l.municipality == m.code);
        PublicService {
            id: format!("servico-social-{}", m.code),
            name: Words {
                pt: format!("Ação social do Município de {}", m.name),
                en: format!("Social services of the municipality of {}", m.name),
            },
            what: Words {
                pt: format!(
                    "O serviço de ação social da Câmara Municipal de {}: atendimento e acompanhamento social, apoio em situações de carência e encaminhamento para as respostas sociais do concelho. Pergunte na Câmara Municipal ou na junta de freguesia.",
                    m.name
                ),
                en: format!(
                    "The social action service of {}'s town council: social support and follow-up, help in hardship and referral to the municipality's social services. Ask at the town hall or the parish council.",
                    m.name
                ),
            },
            scope: Scope::Municipal,
            district: None,
            municipality: Some(m.code.clone()),
            url: link.map(|l| l.url.clone()),
            phone: None,
            source: link.map(|l| l.source.clone()),
            checked: link.map(|l| l.checked.clone()),
            check: link.is_none().then(|| {
                "link and phone: not yet verified; find them on the municipality's official site"
                    .to_string()
            }),
        }
    }

    /// What applies to the municipalities served: national services, regional ones of their
    /// districts, and each one's municipal entries (the written-out ones and its social
    /// service), in file order then municipality order.
    pub fn for_municipalities(&self, served: &[&Municipality]) -> Vec<PublicService> {
        let districts: HashSet<&str> = served.iter().filter_map(|m| m.code.get(..2)).collect();
        let codes: HashSet<&str> = served.iter().map(|m| m.code.as_str()).collect();
        let mut out: Vec<PublicService> = self
            .services
            .iter()
            .filter(|x| match x.scope {
                Scope::National => true,
                Scope::Regional => x.district.as_deref().is_some_and(|d| districts.contains(d)),
                Scope::Municipal => x.municipality.as_deref().is_some_and(|m| codes.contains(m)),
            })
            .cloned()
            .collect();
        out.extend(served.iter().map(|m| self.social_service_of(m)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn municipality(code: &str, name: &str) -> Municipality {
        Municipality::bare(code, name)
    }

    /// Every municipality code of the shipped Alentejo (its CSVs).
    fn alentejo_codes() -> Vec<String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("geodata/alentejo");
        let mut out = Vec::new();
        for sub in std::fs::read_dir(dir).unwrap() {
            let csv = sub.unwrap().path().join("municipalities.csv");
            if let Ok(text) = std::fs::read_to_string(csv) {
                out.extend(
                    text.lines()
                        .skip(1)
                        .filter_map(|l| l.split(',').next().map(str::to_string)),
                );
            }
        }
        out
    }

    #[test]
    fn the_shipped_file_is_checked_and_names_only_alentejo_codes() {
        let s = PublicServices::shipped().unwrap();
        let codes = alentejo_codes();
        assert_eq!(codes.len(), 58, "{codes:?}");
        let known: Vec<&str> = codes.iter().map(String::as_str).collect();
        assert!(s.unknown_codes(&known).is_empty());
        // Every regional entry is a district of the Alentejo's municipalities.
        for x in s.services.iter().filter(|x| x.scope == Scope::Regional) {
            let d = x.district.as_deref().unwrap();
            assert!(known.iter().any(|c| c.starts_with(d)), "{}", x.id);
        }
        // Verified ones say where; the rest say what to check.
        for x in &s.services {
            assert!(
                x.source.is_some() || x.check.is_some(),
                "{}: neither a source nor a check",
                x.id
            );
        }
    }

    #[test]
    fn a_municipality_gets_national_its_district_and_its_own() {
        let s = PublicServices::shipped().unwrap();
        let evora = municipality("0705", "Évora");
        let got = s.for_municipalities(&[&evora]);
        let ids: Vec<&str> = got.iter().map(|x| x.id.as_str()).collect();
        assert!(ids.contains(&"linha-emergencia-social"), "{ids:?}");
        assert!(ids.contains(&"iss-centro-distrital-evora"), "{ids:?}");
        assert!(!ids.contains(&"iss-centro-distrital-beja"), "{ids:?}");
        let own = got.last().unwrap();
        assert_eq!(own.id, "servico-social-0705");
        assert_eq!(own.url.as_deref(), Some("https://www.cm-evora.pt"));
        assert!(own.check.is_none());
        let mora = s.social_service_of(&municipality("0709", "Mora"));
        assert!(mora.url.is_none() && mora.check.is_some());
    }

    #[test]
    fn bad_entries_are_refused_naming_the_field() {
        let good = r#"source = "s"
[[services]]
id = "a"
scope = "national"
name = { pt = "A", en = "A" }
what = { pt = "x", en = "y" }
phone = "144"
source = "https://example.org/a"
checked = "2026-12-07"
"#;
        PublicServices::from_toml(good, Path::new("p.toml")).unwrap();
        for (from, to, field) in [
            ("phone = \"144\"", "phone = \"call 144\"", "phone"),
            ("id = \"a\"", "id = \"A b\"", "id"),
            ("checked = \"2026-12-07\"", "checked = \"soon\"", "checked"),
            (
                "source = \"https://example.org/a\"",
                "source = \"a book\"",
                "source",
            ),
            ("scope = \"national\"", "scope = \"regional\"", "district"),
            ("phone = \"144\"", "url = \"ftp://x\"", "url"),
        ] {
            let text = good.replace(from, to);
            let e = PublicServices::from_toml(&text, Path::new("p.toml"))
                .unwrap_err()
                .to_string();
            assert!(e.contains(field) && e.contains("p.toml"), "{field}: {e}");
        }
        let twice = format!("{good}{}", &good["source = \"s\"\n".len()..]);
        let e = PublicServices::from_toml(&twice, Path::new("p.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("twice"), "{e}");
    }
}
