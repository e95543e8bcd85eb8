//! The context layers' data: the municipal seats, the places and the parish boundaries a
//! manifest's `[context]` names. Drawn light under the services, for orientation.
use super::manifest::{ContextSpec, ParishBoundaries};
use super::read::{read_with_crs, text, CsvPoints};
use super::{Issue, Issues, Severity};
use crate::model::Municipality;
use crate::reproject::{reproject_geometry, transformer, Crs};
use crate::text::fold;
use crate::Result;
use geo_types::{Geometry, MultiPolygon};

/// What the context layers show.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Named places: the municipal seats first, then the towns and villages of `[context]`.
    pub places: Vec<Place>,
    /// Parish boundaries, where `[context]` names them.
    pub parishes: Vec<Parish>,
}

/// A named place.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// Its name.
    pub name: String,
    /// WGS84 longitude.
    pub lon: f64,
    /// WGS84 latitude.
    pub lat: f64,
    /// Whether it is a municipal seat (sede de concelho).
    pub seat: bool,
}

/// A parish (freguesia) and its boundary.
#[derive(Debug, Clone)]
pub struct Parish {
    /// Its code (DICOFRE).
    pub code: String,
    /// Its name.
    pub name: String,
    /// Its boundary, WGS84.
    pub geometry: MultiPolygon<f64>,
}

/// How far apart (degrees, about 3 km) a place and a seat of the same name may be and still
/// be the same place.
const SAME_PLACE_DEG: f64 = 0.03;

/// Reads what `[context]` names, with the seats of the municipalities. A place with a seat's
/// name next to it is the seat (shown once); a parish that is not a polygon, or has no code or
/// name, is left out with a warning.
pub(super) fn load(
    spec: &ContextSpec,
    municipalities: &[Municipality],
    issues: &mut Vec<Issue>,
) -> Result<Context> {
    let mut places: Vec<Place> = municipalities
        .iter()
        .filter_map(|m| m.seat.as_ref())
        .map(|(name, lon, lat)| Place {
            name: name.clone(),
            lon: *lon,
            lat: *lat,
            seat: true,
        })
        .collect();
    let seats = places.len();
    if let Some(file) = &spec.places {
        for (name, _, lon, lat) in crate::geocode::named_points(file)? {
            let is_seat = places[..seats].iter().any(|s| {
                fold(&s.name) == fold(&name)
                    && (s.lon - lon).abs() < SAME_PLACE_DEG
                    && (s.lat - lat).abs() < SAME_PLACE_DEG
            });
            if !is_seat {
                places.push(Place {
                    name,
                    lon,
                    lat,
                    seat: false,
                });
            }
        }
    }
    let parishes = match &spec.parishes {
        Some(p) => load_parishes(p, issues)?,
        None => Vec::new(),
    };
    Ok(Context { places, parishes })
}

fn load_parishes(p: &ParishBoundaries, issues: &mut Vec<Issue>) -> Result<Vec<Parish>> {
    let crs = p.crs.as_deref().map(Crs::parse).transpose()?;
    let file = read_with_crs(&p.path, &CsvPoints::default(), crs)?;
    let t = transformer(file.crs)?;
    let mut log = Issues {
        file: &p.path,
        list: issues,
    };
    let mut out = Vec::new();
    for f in file.features {
        let (Some(code), Some(name)) = (text(&f.props, &p.code), text(&f.props, &p.name)) else {
            let missing = if text(&f.props, &p.code).is_none() {
                &p.code
            } else {
                &p.name
            };
            log.push(
                Severity::Warning,
                &f.place,
                Some(missing),
                "missing: the parish is not drawn",
            );
            continue;
        };
        let mut g = match f.geometry {
            Some(g @ (Geometry::Polygon(_) | Geometry::MultiPolygon(_))) => g,
            _ => {
                log.push(
                    Severity::Warning,
                    &f.place,
                    Some("geometry"),
                    "not a Polygon or MultiPolygon: the parish is not drawn",
                );
                continue;
            }
        };
        reproject_geometry(&mut g, t.as_ref())?;
        let geometry = match g {
            Geometry::Polygon(poly) => MultiPolygon(vec![poly]),
            Geometry::MultiPolygon(mp) => mp,
            _ => continue,
        };
        out.push(Parish {
            code,
            name,
            geometry,
        });
    }
    Ok(out)
}

impl Context {
    /// Takes in another region's context (regions served together).
    pub fn absorb(&mut self, other: Context) {
        self.places.extend(other.places);
        self.parishes.extend(other.parishes);
    }
}
