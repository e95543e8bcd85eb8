//! Building a gazetteer from the files a manifest's `[gazetteer]` section names.
use super::{Gazetteer, GazetteerSpec, PlacesFile, PostalCode, PostalCodesFile};
use crate::files::read::{read_any, read_csv, text, CsvPoints, RawFeature};
use crate::model::Municipality;
use crate::reproject::{transformer, Crs};
use crate::{Error, Result};
use geo::InteriorPoint;
use geo_types::Geometry;

impl Gazetteer {
    /// A gazetteer from a manifest's `[gazetteer]` section over a region's municipalities.
    ///
    /// Rows without a usable code or name are skipped (a list of 19,000 codes should not fail
    /// for one bad line); a missing file or a missing column is an error.
    pub fn from_spec(spec: &GazetteerSpec, municipalities: &[Municipality]) -> Result<Gazetteer> {
        let mut g = Gazetteer::new(municipalities);
        // Places first: nothing depends on the order, but it reads as the steps do.
        if let Some(p) = &spec.places {
            for (name, code, lon, lat) in named_points(p)? {
                g.add_place(&name, code.as_deref(), lon, lat);
            }
        }
        if let Some(p) = &spec.parishes {
            for (name, code, lon, lat) in named_points(p)? {
                g.add_parish(&name, code.as_deref(), lon, lat);
            }
        }
        if let Some(p) = &spec.postal_codes {
            load_postal_codes(&mut g, p)?;
        }
        Ok(g)
    }
}

/// Fails when the file's first record lacks a column the spec names.
fn require(path: &std::path::Path, first: Option<&RawFeature>, column: &str) -> Result<()> {
    match first {
        Some(f) if !f.props.contains_key(column) => Err(Error::data(
            path,
            Some(f.place.clone()),
            Some(column),
            "no such column",
        )),
        _ => Ok(()),
    }
}

fn load_postal_codes(g: &mut Gazetteer, p: &PostalCodesFile) -> Result<()> {
    let file = read_csv(&p.path, &CsvPoints::default())?;
    let first = file.features.first();
    match &p.postal_code {
        Some(c) => require(&p.path, first, c)?,
        None => {
            require(&p.path, first, &p.cp4)?;
            require(&p.path, first, &p.cp3)?;
        }
    }
    require(&p.path, first, &p.locality)?;
    require(&p.path, first, &p.code)?;
    for f in &file.features {
        let code = match &p.postal_code {
            Some(c) => text(&f.props, c),
            // A number column may have lost the street part's leading zeros ("5" for "005").
            None => text(&f.props, &p.cp4)
                .zip(text(&f.props, &p.cp3))
                .map(|(a, b)| format!("{a}-{b:0>3}")),
        };
        let (Some(pc), Some(locality), Some(muni)) = (
            code.as_deref().and_then(PostalCode::parse),
            text(&f.props, &p.locality),
            text(&f.props, &p.code),
        ) else {
            continue;
        };
        let name = text(&f.props, &p.municipality_name);
        g.add_postal_code(pc, &locality, &muni, name.as_deref());
    }
    Ok(())
}

/// A name, its municipality code when the file gives one, lon, lat.
pub(crate) type NamedPoint = (String, Option<String>, f64, f64);

/// The named points of a file, in WGS84: (name, municipality code, lon, lat). A polygon (a
/// parish boundary, say) stands for a point inside it.
pub(crate) fn named_points(p: &PlacesFile) -> Result<Vec<NamedPoint>> {
    let file = read_any(
        &p.path,
        &CsvPoints {
            x: Some(p.lon.clone()),
            y: Some(p.lat.clone()),
        },
    )?;
    require(&p.path, file.features.first(), &p.name)?;
    let crs = match &p.crs {
        Some(c) => Crs::parse(c)?,
        None => file.crs,
    };
    let t = transformer(crs)?;
    let mut out = Vec::with_capacity(file.features.len());
    for f in &file.features {
        let point = match &f.geometry {
            Some(Geometry::Point(pt)) => Some(*pt),
            Some(other) => other.interior_point(),
            None => None,
        };
        let (Some(pt), Some(name)) = (point, text(&f.props, &p.name)) else {
            continue;
        };
        let (lon, lat) = t.to_wgs84(pt.x(), pt.y())?;
        out.push((name, text(&f.props, &p.code), lon, lat));
    }
    Ok(out)
}
