//! Which reader a file needs, and what the readers may use from the region.
use super::{carta_social, hsds, osm, Batch};
use crate::issue::Severity;
use crate::model::Municipality;
use crate::region::Region;
use crate::reproject::{transformer, Crs};
use crate::taxonomy::Taxonomy;
use crate::{Error, Result};
use serde_json::Value;
use std::path::Path;
use std::str::FromStr;

/// The kinds of source files Bússola imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// A Carta Social listing of equipment and responses (CSV).
    CartaSocial,
    /// OpenStreetMap social facilities and kindergartens (GeoJSON, as Overpass exports it).
    Osm,
    /// Open Referral HSDS 3.0 (JSON, or a CSV datapackage).
    Hsds,
    /// Decided from the file's name and content (see [`detect`]).
    Auto,
}

impl SourceKind {
    /// The label used on the command line and as the batch's source.
    pub fn label(self) -> &'static str {
        match self {
            SourceKind::CartaSocial => "carta-social",
            SourceKind::Osm => "osm",
            SourceKind::Hsds => "hsds",
            SourceKind::Auto => "auto",
        }
    }
}

impl std::fmt::Display for SourceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for SourceKind {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "carta-social" | "cartasocial" => Ok(SourceKind::CartaSocial),
            "osm" | "openstreetmap" => Ok(SourceKind::Osm),
            "hsds" | "open-referral" | "openreferral" => Ok(SourceKind::Hsds),
            "auto" => Ok(SourceKind::Auto),
            _ => Err(Error::param(
                "source",
                format!("'{s}' is not a source kind; expected carta-social, osm, hsds or auto"),
            )),
        }
    }
}

/// What a reader may use from the region: municipality names to turn into DICO codes, and the
/// taxonomy to recognise a response in a service's name. Both optional.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReadOptions<'a> {
    /// The region's municipalities (codes and names).
    pub municipalities: &'a [Municipality],
    /// The region's taxonomy.
    pub taxonomy: Option<&'a Taxonomy>,
    /// The CRS of the file's coordinates, overriding what the file declares (`--crs`).
    pub crs: Option<Crs>,
}

impl<'a> ReadOptions<'a> {
    /// Options with everything a region knows.
    pub fn for_region(region: &'a Region) -> Self {
        ReadOptions {
            municipalities: &region.municipalities,
            taxonomy: Some(&region.taxonomy),
            crs: None,
        }
    }
}

/// Reads a source file of the given kind (or of the kind [`detect`] finds, for `Auto`), with
/// its points reprojected to WGS84 from the CRS it declares or `options.crs`; a CRS without a
/// known definition is an error naming the file.
pub fn read_source(kind: SourceKind, path: &Path, options: &ReadOptions<'_>) -> Result<Batch> {
    let mut batch = read_raw(kind, path, options)?;
    if let Some(crs) = options.crs {
        batch.crs = crs;
    }
    to_wgs84(&mut batch)?;
    Ok(batch)
}

fn read_raw(kind: SourceKind, path: &Path, options: &ReadOptions<'_>) -> Result<Batch> {
    match kind {
        SourceKind::CartaSocial => carta_social::read(path, options),
        SourceKind::Osm => osm::read(path, options),
        SourceKind::Hsds => hsds::read(path, options),
        SourceKind::Auto => read_raw(detect(path)?, path, options),
    }
}

/// Reprojects the batch's points from its CRS to WGS84; a point that cannot be is an error
/// of its record, which is left out.
fn to_wgs84(batch: &mut Batch) -> Result<()> {
    if batch.crs == Crs::Wgs84 {
        return Ok(());
    }
    let t = transformer(batch.crs).map_err(|e| crs_error(&batch.file, &e))?;
    let mut kept = Vec::with_capacity(batch.records.len());
    for mut r in std::mem::take(&mut batch.records) {
        match r.point.map(|(x, y)| t.to_wgs84(x, y)).transpose() {
            Ok(p) => {
                r.point = p;
                kept.push(r);
            }
            Err(e) => batch.issue(Severity::Error, &r.place, Some("geometry"), e.to_string()),
        }
    }
    batch.records = kept;
    Ok(())
}

/// Lives with the file readers; re-exported here.
pub use crate::files::read::crs_error;

/// The kind of a source from its name and, for JSON, its content: a folder, a
/// `datapackage.json` or an HSDS table name is HSDS; other CSV is Carta Social; a GeoJSON
/// FeatureCollection is OpenStreetMap; JSON with `services`/`organizations` is HSDS.
pub fn detect(path: &Path) -> Result<SourceKind> {
    if path.is_dir() {
        return Ok(SourceKind::Hsds);
    }
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if name == "datapackage.json" || hsds::TABLES.iter().any(|t| name == format!("{t}.csv")) {
        return Ok(SourceKind::Hsds);
    }
    if name.ends_with(".csv") || name.ends_with(".txt") {
        return Ok(SourceKind::CartaSocial);
    }
    let text = String::from_utf8_lossy(&super::norm::read_bytes(path)?).into_owned();
    let v: Value = serde_json::from_str(&text).map_err(|e| {
        Error::data(
            path,
            Some(format!("line {}", e.line())),
            None,
            format!("cannot tell the source kind: not CSV and not JSON ({e})"),
        )
    })?;
    let first = match &v {
        Value::Array(a) => a.first().cloned().unwrap_or(Value::Null),
        other => other.clone(),
    };
    if first.get("type").and_then(Value::as_str) == Some("FeatureCollection") {
        return Ok(SourceKind::Osm);
    }
    if [
        "services",
        "organizations",
        "service_at_locations",
        "contents",
    ]
    .iter()
    .any(|k| first.get(k).is_some())
    {
        return Ok(SourceKind::Hsds);
    }
    Err(Error::data(
        path,
        None,
        None,
        "cannot tell the source kind: give it with --source carta-social|osm|hsds",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_kind_names() {
        assert_eq!(
            "carta-social".parse::<SourceKind>().ok(),
            Some(SourceKind::CartaSocial)
        );
        assert_eq!(
            "Carta_Social".parse::<SourceKind>().ok(),
            Some(SourceKind::CartaSocial)
        );
        assert_eq!("OSM".parse::<SourceKind>().ok(), Some(SourceKind::Osm));
        assert_eq!("hsds".parse::<SourceKind>().ok(), Some(SourceKind::Hsds));
        assert_eq!("auto".parse::<SourceKind>().ok(), Some(SourceKind::Auto));
        let err = "gtfs".parse::<SourceKind>().unwrap_err().to_string();
        assert!(
            err.contains("gtfs") && err.contains("carta-social"),
            "{err}"
        );
    }

    #[test]
    fn detects_kinds_from_name_and_content() {
        let dir = std::env::temp_dir().join(format!("bussola-detect-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let write = |name: &str, text: &str| {
            let p = dir.join(name);
            std::fs::write(&p, text).expect("write");
            p
        };
        let geo = write("a.geojson", r#"{"type":"FeatureCollection","features":[]}"#);
        let hs = write("b.json", r#"{"services":[]}"#);
        let nested = write("c.json", r#"[{"id":"s","service_at_locations":[]}]"#);
        let csv = write("d.csv", "Entidade;Resposta Social\n");
        let other = write("e.json", r#"{"hello":1}"#);
        assert_eq!(detect(&geo).ok(), Some(SourceKind::Osm));
        assert_eq!(detect(&hs).ok(), Some(SourceKind::Hsds));
        assert_eq!(detect(&nested).ok(), Some(SourceKind::Hsds));
        assert_eq!(detect(&csv).ok(), Some(SourceKind::CartaSocial));
        assert_eq!(detect(&dir).ok(), Some(SourceKind::Hsds));
        assert!(detect(&other).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
