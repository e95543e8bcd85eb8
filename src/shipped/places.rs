//! The towns and villages of the default's context layer: GeoNames places of 1,000+
//! inhabitants (cities1000, CC-BY 4.0) inside each municipality, named as the official lists
//! spell them where they match.
//!
//! GeoNames' names in the shared file are unaccented ("Vila Vicosa"); where a place's name,
//! folded, is its municipality's (CAOP), its seat's or one of its parishes' (INE, Census 2011),
//! that spelling is used ("Vila Viçosa"); otherwise GeoNames' own.
use super::Municipality;
use crate::region::read::{read_geojson, text};
use crate::text::fold;
use crate::{Error, Result};
use geo::Contains;
use geo_types::{Geometry, Point};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;

/// One place of the context layer.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// The municipality it lies in (DICO).
    pub dico: String,
    /// Its name, spelled as the official lists spell it where they match.
    pub name: String,
    /// The name as GeoNames has it.
    pub geonames: String,
    /// Its position (WGS84).
    pub point: Point<f64>,
}

/// Parish names by municipality (DICO), from the Census 2011 parish table.
fn parish_names(path: &Path) -> Result<BTreeMap<String, Vec<String>>> {
    let mut reader =
        csv::Reader::from_path(path).map_err(|e| Error::data(path, None, None, e.to_string()))?;
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (i, row) in reader.deserialize::<BTreeMap<String, String>>().enumerate() {
        let row = row
            .map_err(|e| Error::data(path, Some(format!("line {}", i + 2)), None, e.to_string()))?;
        if let (Some(dico), Some(name)) = (row.get("dico"), row.get("freguesia")) {
            out.entry(dico.clone()).or_default().push(name.clone());
        }
    }
    Ok(out)
}

/// Every GeoNames place inside one of `munis` (point in the boundary, whatever the file's
/// `dico` says), in the order of the municipalities, then of the file.
pub fn read(geonames: &Path, parishes: &Path, munis: &[Municipality]) -> Result<Vec<Place>> {
    let parish = parish_names(parishes)?;
    let all: Vec<(String, Point<f64>)> = read_geojson(geonames)?
        .features
        .into_iter()
        .filter_map(|f| match f.geometry {
            Some(Geometry::Point(p)) => Some((text(&f.props, "name")?, p)),
            _ => None,
        })
        .collect();
    let mut out = Vec::new();
    for m in munis {
        let mut spellings: Vec<&str> = vec![&m.name, &m.seat.name];
        if let Some(names) = parish.get(&m.dico) {
            spellings.extend(names.iter().map(String::as_str));
        }
        for (name, p) in all.iter().filter(|(_, p)| m.area.contains(p)) {
            let key = fold(name);
            let spelled = spellings
                .iter()
                .find(|s| fold(s) == key)
                .map_or(name.as_str(), |s| s);
            out.push(Place {
                dico: m.dico.clone(),
                name: spelled.to_string(),
                geonames: name.clone(),
                point: *p,
            });
        }
    }
    Ok(out)
}

/// The places of a sub-region as GeoJSON, one feature a line.
pub fn geojson(places: &[&Place]) -> String {
    let features: Vec<Value> = places
        .iter()
        .map(|p| {
            json!({
                "type": "Feature",
                "properties": {"name": p.name, "dico": p.dico, "geonames": p.geonames},
                "geometry": {"type": "Point", "coordinates": [super::seats::round5(p.point.x()), super::seats::round5(p.point.y())]},
            })
        })
        .collect();
    crate::demo::to_feature_collection(
        features,
        "GeoNames cities1000 (CC-BY 4.0): places of 1,000+ inhabitants; names spelled as CAOP (DGT) and INE spell the municipality, seat or parish of that name",
    )
}
