//! Where each municipality's seat is: the GeoNames place of the seat's name, else an
//! OpenStreetMap creche in the seat's locality, else a point inside the boundary.
//!
//! In Alentejo every municipality's seat bears its name; GeoNames' cities1000 lacks five small
//! seats (Ferreira do Alentejo, Crato, Monforte, Sousel, Chamusca), so the fallbacks matter.
use crate::region::read::{read_geojson, text};
use crate::text::fold;
use crate::Result;
use geo::{Contains, InteriorPoint};
use geo_types::{Geometry, MultiPolygon, Point};
use std::path::Path;

/// A municipal seat and where its position comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Seat {
    /// The seat's name (the municipality's official name).
    pub name: String,
    /// Longitude.
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
    /// The position's source: `GeoNames`, `OpenStreetMap` or `CAOP` (a point inside the boundary).
    pub source: &'static str,
}

/// Named points that may stand for a seat.
pub struct Places {
    /// GeoNames places: DICO, folded name, point.
    geonames: Vec<(String, String, Point<f64>)>,
    /// OpenStreetMap creches: DICO, folded locality, point.
    osm: Vec<(String, String, Point<f64>)>,
}

fn points(path: &Path, name_field: &str) -> Result<Vec<(String, String, Point<f64>)>> {
    Ok(read_geojson(path)?
        .features
        .into_iter()
        .filter_map(|f| {
            let Some(Geometry::Point(p)) = f.geometry else {
                return None;
            };
            Some((
                text(&f.props, "dico")?,
                fold(&text(&f.props, name_field)?),
                p,
            ))
        })
        .collect())
}

impl Places {
    /// Reads GeoNames places and the OpenStreetMap creches (both GeoJSON with `dico`).
    pub fn read(geonames: &Path, osm: &Path) -> Result<Places> {
        Ok(Places {
            geonames: points(geonames, "name")?,
            osm: points(osm, "localidade")?,
        })
    }

    /// The seat of municipality `dico` called `name`, inside `area`.
    pub fn seat(&self, dico: &str, name: &str, area: &MultiPolygon<f64>) -> Seat {
        let key = fold(name);
        let find = |list: &[(String, String, Point<f64>)]| {
            list.iter()
                .find(|(d, n, p)| d == dico && *n == key && area.contains(p))
                .map(|(_, _, p)| *p)
        };
        let (p, source) = match (find(&self.geonames), find(&self.osm)) {
            (Some(p), _) => (p, "GeoNames"),
            (None, Some(p)) => (p, "OpenStreetMap"),
            (None, None) => (
                area.interior_point().unwrap_or(Point::new(0.0, 0.0)),
                "CAOP",
            ),
        };
        Seat {
            name: name.to_string(),
            lon: round5(p.x()),
            lat: round5(p.y()),
            source,
        }
    }
}

/// Rounds a coordinate to 1e-5° (about 1 m).
pub fn round5(v: f64) -> f64 {
    (v * 1e5).round() / 1e5
}
