//! Links to other sites about the region's services (`[links]`).
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// Carta Social's own search for one response in one municipality (the pattern its site uses;
/// seen in use for creches, `vt=11&tp=1103&l=07-05-99`).
pub const DEFAULT_OFFICIAL_LISTING: &str =
    "https://www.cartasocial.pt/resultados-da-pesquisa?vt={vt}&tp={tp}&l={district}-{municipality}-99";

/// The `[links]` section: URL patterns, so that a change on the other site needs no new code.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Links {
    /// The official listing of a response in a municipality: `{vt}` (subarea), `{tp}` (response
    /// code), `{district}` and `{municipality}` (the first and last two digits of the DICO).
    #[serde(default = "default_official_listing")]
    pub official_listing: String,
}

fn default_official_listing() -> String {
    DEFAULT_OFFICIAL_LISTING.into()
}

impl Default for Links {
    fn default() -> Self {
        Links {
            official_listing: default_official_listing(),
        }
    }
}

impl Links {
    /// Whether the default is kept (so a written manifest leaves the section out).
    pub fn is_default(&self) -> bool {
        *self == Links::default()
    }

    /// Refuses a pattern that is not an http(s) address, naming the manifest.
    pub fn check(&self, manifest: &Path) -> Result<()> {
        let p = &self.official_listing;
        if p.starts_with("https://") || p.starts_with("http://") {
            return Ok(());
        }
        Err(Error::data(
            manifest,
            None,
            Some("links.official_listing"),
            format!("'{p}' is not an http(s) address"),
        ))
    }

    /// The official listing of response `tp` (subarea `vt`) in municipality `dico`; `None` when
    /// the DICO is not four digits.
    ///
    /// ```
    /// let l = bussola::region::manifest::Links::default();
    /// assert_eq!(
    ///     l.official_listing("11", "1103", "0705").as_deref(),
    ///     Some("https://www.cartasocial.pt/resultados-da-pesquisa?vt=11&tp=1103&l=07-05-99")
    /// );
    /// ```
    pub fn official_listing(&self, vt: &str, tp: &str, dico: &str) -> Option<String> {
        if dico.len() != 4 || !dico.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let (district, municipality) = dico.split_at(2);
        Some(
            self.official_listing
                .replace("{vt}", vt)
                .replace("{tp}", tp)
                .replace("{district}", district)
                .replace("{municipality}", municipality),
        )
    }
}
