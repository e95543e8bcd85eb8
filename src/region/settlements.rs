//! Where people live in a region: the population surface its manifest asks for (its own
//! weighted points, or the urban/rural rule over settlements).
use super::read::{read_any, text, CsvPoints, RawFeature};
use super::Manifest;
use crate::model::Municipality;
use crate::reproject::transformer;
use crate::Result;
use geo_types::Geometry;
use std::path::Path;

/// The population surface a manifest asks for: its own points, or the rule.
pub(super) fn build_surface(
    m: &Manifest,
    municipalities: &[Municipality],
) -> Result<crate::surface::Surface> {
    let spec = &m.surface;
    let points_of = |path: &Path, x: &str, y: &str| -> Result<Vec<(f64, f64, RawFeature)>> {
        let file = read_any(
            path,
            &CsvPoints {
                x: Some(x.into()),
                y: Some(y.into()),
            },
        )?;
        let t = transformer(file.crs)?;
        let mut out = Vec::new();
        for f in file.features {
            let Some(Geometry::Point(p)) = f.geometry else {
                return Err(crate::Error::data(
                    path,
                    Some(f.place),
                    Some("geometry"),
                    "not a point",
                ));
            };
            let (lon, lat) = t.to_wgs84(p.x(), p.y())?;
            out.push((lon, lat, f));
        }
        Ok(out)
    };
    if let Some(sp) = &spec.points {
        let num = |f: &RawFeature, col: &str| -> Result<Option<f64>> {
            match text(&f.props, col) {
                None => Ok(None),
                Some(v) => v.parse::<f64>().map(Some).map_err(|_| {
                    crate::Error::data(
                        &sp.path,
                        Some(f.place.clone()),
                        Some(col),
                        format!("'{v}' is not a number"),
                    )
                }),
            }
        };
        let mut supplied = Vec::new();
        for (lon, lat, f) in points_of(&sp.path, &sp.lon, &sp.lat)? {
            supplied.push(crate::surface::Supplied {
                lon,
                lat,
                total: num(&f, &sp.total)?.unwrap_or(0.0),
                age_65_plus: sp
                    .age_65_plus
                    .as_deref()
                    .map(|c| num(&f, c))
                    .transpose()?
                    .flatten(),
                age_0_2: sp
                    .age_0_2
                    .as_deref()
                    .map(|c| num(&f, c))
                    .transpose()?
                    .flatten(),
            });
        }
        let name = sp
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        return Ok(crate::surface::from_points(
            municipalities,
            &supplied,
            &name,
        ));
    }
    let mut rule = crate::surface::Rule {
        grid_km: spec.grid_km,
        default_seat_share: spec.seat_share,
        ..Default::default()
    };
    if let Some(p) = &spec.parishes {
        rule.seat_share =
            crate::surface::seat_shares_from_parishes(&p.path, &p.code, &p.population, &p.rural)?;
    }
    if let Some(path) = &spec.places {
        rule.places = points_of(path, "lon", "lat")?
            .into_iter()
            .map(|(x, y, _)| (x, y))
            .collect();
    }
    Ok(crate::surface::build(municipalities, &rule))
}
