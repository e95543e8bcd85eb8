//! Several regions loaded and served together as one: `serve --region A --region B`, or a
//! listing manifest naming the regions' manifests (see [`crate::region::merge`] for the listing
//! and for how regions merge).
use super::LoadOptions;
use crate::region::merge::{is_listing, merge_regions, Listing};
use crate::region::{Loaded, Region};
use crate::{Error, Result};
use std::path::{Path, PathBuf};

/// Loads a listing manifest's regions and merges them under its id and name.
pub(super) fn load_listing(path: &Path, text: &str, opts: LoadOptions<'_>) -> Result<Loaded> {
    let listing: Listing =
        toml::from_str(text).map_err(|e| Error::data(path, None, None, e.message()))?;
    if listing.regions.is_empty() {
        return Err(Error::data(
            path,
            None,
            Some("regions"),
            "lists no region manifest",
        ));
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut parts = Vec::new();
    for p in &listing.regions {
        let p = dir.join(p);
        if is_listing(&std::fs::read_to_string(&p).unwrap_or_default()) {
            return Err(Error::data(
                path,
                None,
                Some("regions"),
                format!("{} is itself a listing; name region manifests", p.display()),
            ));
        }
        parts.push((p.clone(), Region::load_with(&p, opts)?));
    }
    let mut loaded = merge(parts, &listing.id, &listing.name)?;
    if let Some(links) = listing.links {
        links.check(path)?;
        loaded.region.links = links;
    }
    if let Some(mut basemap) = listing.basemap {
        basemap.resolve(dir);
        basemap.check(path)?;
        loaded.region.basemap = Some(basemap);
    }
    for a in listing.attribution {
        if !loaded.region.attribution.contains(&a) {
            loaded.region.attribution.push(a);
        }
    }
    Ok(loaded)
}

/// Loads one or more manifests; several are merged under their ids joined by `+` (sorted, so
/// the same set always opens the same database) and their names joined by ` + `.
pub fn load_all(paths: &[PathBuf]) -> Result<Loaded> {
    load_all_on(paths, None)
}

/// [`load_all`], reporting records not updated for `stale_after_days` before `today`.
pub fn load_all_on(paths: &[PathBuf], today: Option<&str>) -> Result<Loaded> {
    load_all_with(
        paths,
        LoadOptions {
            today,
            ..Default::default()
        },
    )
}

/// [`load_all`] with options (e.g. leaving the service files unread on a restart).
pub fn load_all_with(paths: &[PathBuf], opts: LoadOptions<'_>) -> Result<Loaded> {
    match paths {
        [] => Err(Error::param("region", "no region manifest given")),
        [one] => Region::load_with(one, opts),
        _ => {
            let mut parts = Vec::new();
            for p in paths {
                parts.push((p.clone(), Region::load_with(p, opts)?));
            }
            let mut ids: Vec<String> = parts.iter().map(|(_, l)| l.region.id.clone()).collect();
            ids.sort();
            let names: Vec<String> = parts.iter().map(|(_, l)| l.region.name.clone()).collect();
            merge(parts, &ids.join("+"), &names.join(" + "))
        }
    }
}

/// Merges loaded regions (each with the manifest it came from) into one: the regions as
/// [`crate::region::merge`] merges them, the issues and the sources in order.
pub fn merge(parts: Vec<(PathBuf, Loaded)>, id: &str, name: &str) -> Result<Loaded> {
    let mut regions = Vec::with_capacity(parts.len());
    let mut issues = Vec::new();
    let mut sources = Vec::new();
    for (path, loaded) in parts {
        regions.push((path, loaded.region));
        issues.extend(loaded.issues);
        sources.extend(loaded.sources);
    }
    let region = merge_regions(regions, id, name)?;
    Ok(Loaded {
        region,
        issues,
        sources,
    })
}
