//! Several regions served together as one: `serve --region A --region B`, or a listing
//! manifest naming the regions' manifests:
//!
//! ```toml
//! id = "alentejo"                       # names the database file, as for one region
//! name = "Alentejo"
//! regions = ["../alentejo-central/region.toml", "baixo-alentejo/region.toml"]
//! attribution = ["..."]                 # optional, added to the regions' own
//! ```
//!
//! Municipalities come from every region (a code in two regions is an error naming both
//! manifests), each keeping its region's id; the taxonomy must be the same in all; the
//! attribution is the union; the surfaces are joined; each region keeps its own targets (the
//! first region's serve as the merged region's).
use super::manifest::Targets;
use super::Region;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// One of the regions served together.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    /// The region's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its coverage targets.
    pub targets: Targets,
}

/// A listing manifest: the regions to serve together.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Listing {
    /// Stable id (names the database file).
    pub id: String,
    /// Display name.
    pub name: String,
    /// The regions' manifests, relative to this file.
    pub regions: Vec<PathBuf>,
    /// Attribution added to the regions' own.
    #[serde(default)]
    pub attribution: Vec<String>,
    /// Links for all the regions (otherwise the first region's).
    #[serde(default)]
    pub links: Option<super::manifest::Links>,
    /// The base map for all the regions (otherwise the first region's that has one).
    #[serde(default)]
    pub basemap: Option<super::manifest::BasemapSpec>,
}

/// The id that names the database of these manifests, as [`crate::load::load_all`] gives it, read from
/// the manifests alone (without loading their data).
pub fn database_id(paths: &[PathBuf]) -> Result<String> {
    let mut ids = Vec::new();
    for p in paths {
        let text = crate::error::read_text(p)?;
        let table: toml::Table =
            toml::from_str(&text).map_err(|e| Error::data(p, None, None, e.message()))?;
        match table.get("id").and_then(|v| v.as_str()) {
            Some(id) => ids.push(id.to_string()),
            None => return Err(Error::data(p, None, Some("id"), "missing")),
        }
    }
    if ids.is_empty() {
        return Err(Error::param("region", "no region manifest given"));
    }
    ids.sort();
    Ok(ids.join("+"))
}

/// The region manifests behind `paths`: a listing stands for the regions it names, in order.
pub fn region_manifests(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        let text = crate::error::read_text(p)?;
        if !is_listing(&text) {
            out.push(p.clone());
            continue;
        }
        let listing: Listing =
            toml::from_str(&text).map_err(|e| Error::data(p, None, None, e.message()))?;
        let dir = p.parent().unwrap_or(Path::new("."));
        out.extend(listing.regions.iter().map(|r| dir.join(r)));
    }
    Ok(out)
}

/// Whether a manifest's text is a listing (it has `regions`) rather than one region.
pub(crate) fn is_listing(text: &str) -> bool {
    text.parse::<toml::Table>()
        .is_ok_and(|t| t.contains_key("regions"))
}

/// Merges regions (each with the manifest it came from) into one; [`crate::load::merge`] does
/// it for loaded regions and their issues.
pub(crate) fn merge_regions(parts: Vec<(PathBuf, Region)>, id: &str, name: &str) -> Result<Region> {
    let mut it = parts.into_iter();
    let Some((first_path, mut region)) = it.next() else {
        return Err(Error::param("region", "no region to merge"));
    };
    // Which manifest each code came from, to name both when one repeats.
    let mut origin: std::collections::HashMap<String, PathBuf> = region
        .municipalities
        .iter()
        .map(|m| (m.code.clone(), first_path.clone()))
        .collect();
    for (path, r) in it {
        if r.taxonomy.groups() != region.taxonomy.groups()
            || r.taxonomy.responses() != region.taxonomy.responses()
        {
            return Err(Error::data(
                &path,
                None,
                Some("taxonomy"),
                format!(
                    "differs from the taxonomy of {}; regions served together share one",
                    first_path.display()
                ),
            ));
        }
        for m in &r.municipalities {
            if let Some(other) = origin.insert(m.code.clone(), path.clone()) {
                return Err(Error::data(
                    &path,
                    None,
                    None,
                    format!(
                        "municipality {} ({}) is also in {}",
                        m.code,
                        m.name,
                        other.display()
                    ),
                ));
            }
        }
        if region.ids().any(|i| i == r.id) {
            return Err(Error::data(
                &path,
                None,
                Some("id"),
                format!("region id '{}' is used twice", r.id),
            ));
        }
        for a in r.attribution {
            if !region.attribution.contains(&a) {
                region.attribution.push(a);
            }
        }
        region.parts.extend(r.parts);
        region.services.extend(r.services);
        if region.basemap.is_none() {
            region.basemap = r.basemap;
        }
        region.context.absorb(r.context);
        match (&mut region.gazetteer, r.gazetteer) {
            (Some(g), Some(other)) => g.absorb(other),
            (g @ None, other) => *g = other,
            _ => {}
        }
        region.surface.points.extend(r.surface.points);
        if region.surface.method != r.surface.method {
            region.surface.method = format!("{}; {}", region.surface.method, r.surface.method);
        }
        region.municipalities.extend(r.municipalities);
        region.bounds.extend(r.bounds);
    }
    let mut both: Vec<_> = std::mem::take(&mut region.municipalities)
        .into_iter()
        .zip(std::mem::take(&mut region.bounds))
        .collect();
    both.sort_by(|a, b| a.0.code.cmp(&b.0.code));
    (region.municipalities, region.bounds) = both.into_iter().unzip();
    region.id = id.to_string();
    region.name = name.to_string();
    Ok(region)
}
