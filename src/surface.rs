//! Where people live: a population surface of weighted points per municipality.
//!
//! Census figures are per municipality; distances need people placed inside it. The rule:
//! a share of each municipality's residents lives at its seat (the town), the rest is spread
//! evenly over a regular grid of points inside its boundary. The seat's share is the share of
//! the municipality's population living in its non-rural parishes when a parish table is given
//! (INE's rural/urban classification), or a default otherwise. The weights of every
//! municipality's points add up to its Census population, band by band.
use crate::model::Municipality;
use crate::{Error, Result};
use geo::{BoundingRect, Contains, InteriorPoint};
use geo_types::Point;
use serde::Serialize;
use std::collections::HashMap;
use std::path::Path;

/// One weighted point of the surface.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurfacePoint {
    /// Longitude.
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
    /// Municipality code.
    pub municipality: String,
    /// Whether this is the seat (town) point.
    pub seat: bool,
    /// Residents.
    pub total: f64,
    /// Residents aged 65+.
    pub age_65_plus: f64,
    /// Children aged 0–14.
    pub age_0_14: f64,
    /// Children aged 0–2 (or three times the births, as the coverage uses); 0 when unknown.
    pub age_0_2: f64,
}

/// How the surface is built.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Grid spacing, km.
    pub grid_km: f64,
    /// Seat share where no parish data says otherwise.
    pub default_seat_share: f64,
    /// Seat share by municipality code (from parishes).
    pub seat_share: HashMap<String, f64>,
    /// Other settlements (lon, lat), e.g. GeoNames places: they share the urban part with the
    /// seat of the municipality they lie in.
    pub places: Vec<(f64, f64)>,
}

impl Default for Rule {
    fn default() -> Self {
        Rule {
            grid_km: 2.0,
            default_seat_share: 0.5,
            seat_share: HashMap::new(),
            places: Vec::new(),
        }
    }
}

/// The surface and a sentence saying how it was built.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Surface {
    /// The points.
    pub points: Vec<SurfacePoint>,
    /// How it was built, for the API and the page.
    pub method: String,
}

/// Seat shares from a parish table: population of the parishes not flagged rural over the
/// municipality's total (`code` = municipality column, `rural` = flag column, `S` = rural).
pub fn seat_shares_from_parishes(
    path: &Path,
    code: &str,
    population: &str,
    rural: &str,
) -> Result<HashMap<String, f64>> {
    let mut r =
        csv::Reader::from_path(path).map_err(|e| Error::data(path, None, None, e.to_string()))?;
    let headers = r
        .headers()
        .map_err(|e| Error::data(path, None, None, e.to_string()))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| Error::data(path, Some("line 1".into()), Some(name), "no such column"))
    };
    let (ci, pi, ri) = (col(code)?, col(population)?, col(rural)?);
    let mut sums: HashMap<String, (f64, f64)> = HashMap::new();
    for (i, rec) in r.records().enumerate() {
        let place = format!("line {}", i + 2);
        let rec = rec.map_err(|e| Error::data(path, Some(place.clone()), None, e.to_string()))?;
        let pop: f64 = rec
            .get(pi)
            .and_then(|v| v.trim().parse().ok())
            .ok_or_else(|| {
                Error::data(path, Some(place.clone()), Some(population), "not a number")
            })?;
        let e = sums
            .entry(rec.get(ci).unwrap_or("").to_string())
            .or_default();
        e.0 += pop;
        if rec.get(ri).map(str::trim) != Some("S") {
            e.1 += pop;
        }
    }
    Ok(sums
        .into_iter()
        .filter(|(_, (t, _))| *t > 0.0)
        .map(|(k, (t, u))| (k, u / t))
        .collect())
}

/// Builds the surface of a region's municipalities.
///
/// ```
/// let m = bussola::demo::example_municipality();
/// let s = bussola::surface::build(std::slice::from_ref(&m), &Default::default());
/// let total: f64 = s.points.iter().map(|p| p.age_65_plus).sum();
/// assert!((total - m.population.age_65_plus.unwrap() as f64).abs() < 1e-6);
/// ```
pub fn build(municipalities: &[Municipality], rule: &Rule) -> Surface {
    let mut points = Vec::new();
    for m in municipalities {
        let share = rule
            .seat_share
            .get(&m.code)
            .copied()
            .unwrap_or(rule.default_seat_share)
            .clamp(0.0, 1.0);
        let seat = match &m.seat {
            Some((_, lon, lat)) => (*lon, *lat),
            None => m
                .geometry
                .interior_point()
                .map_or((0.0, 0.0), |p| (p.x(), p.y())),
        };
        let grid = grid_inside(m, rule.grid_km);
        let rest = if grid.is_empty() { 0.0 } else { 1.0 - share };
        // Settlements other than the seat (farther than 2 km from it) share the urban part.
        let towns: Vec<(f64, f64)> = rule
            .places
            .iter()
            .copied()
            .filter(|&(lon, lat)| {
                m.geometry.contains(&Point::new(lon, lat))
                    && crate::distance::geodesic_m(seat, (lon, lat)) > 2_000.0
            })
            .collect();
        let urban_each = (1.0 - rest) / (1 + towns.len()) as f64;
        let p = &m.population;
        // Unknown bands weigh nothing here; `access` reports their municipalities as no data.
        let young = p.age_0_2.or(p.live_births.map(|b| 3 * b)).unwrap_or(0) as f64;
        let mut push = |lon: f64, lat: f64, seat: bool, w: f64| {
            points.push(SurfacePoint {
                lon,
                lat,
                municipality: m.code.clone(),
                seat,
                total: w * p.total as f64,
                age_65_plus: w * p.age_65_plus.unwrap_or(0) as f64,
                age_0_14: w * p.age_0_14.unwrap_or(0) as f64,
                age_0_2: w * young,
            });
        };
        push(seat.0, seat.1, true, urban_each);
        for (lon, lat) in towns {
            push(lon, lat, false, urban_each);
        }
        let each = rest / grid.len().max(1) as f64;
        for (lon, lat) in grid {
            push(lon, lat, false, each);
        }
    }
    let method = format!(
        "Census 2021 population per municipality, {}% (or the share of its non-rural parishes, where known) at the municipal seat{} and the rest spread evenly over a {} km grid inside the boundary",
        (rule.default_seat_share * 100.0).round(),
        if rule.places.is_empty() { "" } else { " and the other settlements of the places file (in equal parts)" },
        rule.grid_km
    );
    Surface { points, method }
}

/// A point of a surface a region supplies (e.g. a population grid), with its own weights.
#[derive(Debug, Clone, PartialEq)]
pub struct Supplied {
    /// Longitude.
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
    /// Residents (relative weights are enough).
    pub total: f64,
    /// Residents aged 65+, when the file has them.
    pub age_65_plus: Option<f64>,
    /// Children aged 0–2, when the file has them.
    pub age_0_2: Option<f64>,
}

/// A surface from supplied points: each point goes to the municipality it lies in, and each
/// municipality's points are rescaled to its Census figures band by band (bands the file lacks
/// follow the total). A municipality with no point gets one at its seat.
pub fn from_points(
    municipalities: &[Municipality],
    supplied: &[Supplied],
    source: &str,
) -> Surface {
    let mut points = Vec::new();
    let mut outside = supplied.len();
    for m in municipalities {
        let mine: Vec<&Supplied> = supplied
            .iter()
            .filter(|s| s.total > 0.0 && m.geometry.contains(&Point::new(s.lon, s.lat)))
            .collect();
        outside -= mine.len();
        let p = &m.population;
        let young = p.age_0_2.or(p.live_births.map(|b| 3 * b)).unwrap_or(0) as f64;
        if mine.is_empty() {
            let (lon, lat) = match &m.seat {
                Some((_, lon, lat)) => (*lon, *lat),
                None => m
                    .geometry
                    .interior_point()
                    .map_or((0.0, 0.0), |q| (q.x(), q.y())),
            };
            points.push(SurfacePoint {
                lon,
                lat,
                municipality: m.code.clone(),
                seat: true,
                total: p.total as f64,
                age_65_plus: p.age_65_plus.unwrap_or(0) as f64,
                age_0_14: p.age_0_14.unwrap_or(0) as f64,
                age_0_2: young,
            });
            continue;
        }
        let sum = |f: &dyn Fn(&Supplied) -> f64| mine.iter().map(|s| f(s)).sum::<f64>();
        let total = sum(&|s| s.total);
        let old = sum(&|s| s.age_65_plus.unwrap_or(s.total));
        let kids = sum(&|s| s.age_0_2.unwrap_or(s.total));
        let frac = |v: f64, of: f64| if of > 0.0 { v / of } else { 0.0 };
        for s in mine {
            let share = frac(s.total, total);
            points.push(SurfacePoint {
                lon: s.lon,
                lat: s.lat,
                municipality: m.code.clone(),
                seat: false,
                total: share * p.total as f64,
                age_65_plus: frac(s.age_65_plus.unwrap_or(s.total), old)
                    * p.age_65_plus.unwrap_or(0) as f64,
                age_0_14: share * p.age_0_14.unwrap_or(0) as f64,
                age_0_2: frac(s.age_0_2.unwrap_or(s.total), kids) * young,
            });
        }
    }
    Surface {
        points,
        method: format!(
            "the region's own population surface ({source}), rescaled in each municipality to its Census 2021 figures; {outside} points outside every municipality left out"
        ),
    }
}

/// Grid points (lon, lat) spaced `km` apart inside a municipality.
fn grid_inside(m: &Municipality, km: f64) -> Vec<(f64, f64)> {
    let Some(b) = m.geometry.bounding_rect() else {
        return Vec::new();
    };
    if !(km.is_finite() && km > 0.0) {
        return Vec::new();
    }
    let dlat = km / 111.2;
    let mid = (b.min().y + b.max().y) / 2.0;
    let dlon = km / (111.2 * mid.to_radians().cos().max(0.01));
    // Grid anchored on whole multiples, so neighbouring municipalities share one lattice.
    let mut out = Vec::new();
    let mut y = (b.min().y / dlat).ceil() * dlat;
    while y <= b.max().y {
        let mut x = (b.min().x / dlon).ceil() * dlon;
        while x <= b.max().x {
            if m.geometry.contains(&Point::new(x, y)) {
                out.push((x, y));
            }
            x += dlon;
        }
        y += dlat;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::example_municipality;

    #[test]
    fn weights_add_up_to_the_census_band_by_band() {
        let m = example_municipality();
        let s = build(std::slice::from_ref(&m), &Rule::default());
        let sum = |f: fn(&SurfacePoint) -> f64| s.points.iter().map(f).sum::<f64>();
        assert!((sum(|p| p.total) - 53577.0).abs() < 1e-6);
        assert!((sum(|p| p.age_65_plus) - 12629.0).abs() < 1e-6);
        assert!(
            (sum(|p| p.age_0_2) - 3.0 * 438.0).abs() < 1e-6,
            "births x 3"
        );
        // The square is about 17 x 22 km: a 2 km grid puts ~90 points inside.
        assert!((60..130).contains(&s.points.len()), "{}", s.points.len());
        let seat = s.points.iter().find(|p| p.seat).unwrap();
        assert!((seat.total - 0.5 * 53577.0).abs() < 1e-6);
    }

    #[test]
    fn other_settlements_share_the_urban_part_with_the_seat() {
        let m = example_municipality();
        let rule = Rule {
            places: vec![(-7.95, 38.66), (-7.9001, 38.5701), (-9.0, 40.0)],
            ..Rule::default()
        };
        let s = build(std::slice::from_ref(&m), &rule);
        let seat = s.points.iter().find(|p| p.seat).unwrap();
        assert!(
            (seat.total - 0.25 * 53577.0).abs() < 1e-6,
            "half the town share: one other place inside, one at the seat, one outside"
        );
        let town = s
            .points
            .iter()
            .find(|p| (p.lon + 7.95).abs() < 1e-12)
            .unwrap();
        assert!((town.total - seat.total).abs() < 1e-9);
        assert!(s.method.contains("settlements"));
    }

    #[test]
    fn supplied_points_are_rescaled_to_the_census() {
        let m = example_municipality();
        let grid = [
            Supplied {
                lon: -7.95,
                lat: 38.55,
                total: 10.0,
                age_65_plus: Some(1.0),
                age_0_2: None,
            },
            Supplied {
                lon: -7.85,
                lat: 38.65,
                total: 30.0,
                age_65_plus: Some(3.0),
                age_0_2: None,
            },
            Supplied {
                lon: -9.00,
                lat: 40.00,
                total: 99.0,
                age_65_plus: None,
                age_0_2: None,
            },
        ];
        let s = from_points(std::slice::from_ref(&m), &grid, "test grid");
        assert_eq!(s.points.len(), 2);
        assert!((s.points[0].total - 0.25 * 53577.0).abs() < 1e-6);
        assert!((s.points[1].age_65_plus - 0.75 * 12629.0).abs() < 1e-6);
        assert!((s.points.iter().map(|p| p.age_0_2).sum::<f64>() - 3.0 * 438.0).abs() < 1e-6);
        assert!(s.method.contains("1 points outside"));
    }

    #[test]
    fn parish_shares_put_the_urban_population_at_the_seat() {
        let dir = std::env::temp_dir().join(format!("bussola-parish-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("p.csv");
        std::fs::write(
            &path,
            "dicofre,dico,pop,rural\n070501,0705,300,S\n070502,0705,700,N\n",
        )
        .unwrap();
        let shares = seat_shares_from_parishes(&path, "dico", "pop", "rural").unwrap();
        assert!((shares["0705"] - 0.7).abs() < 1e-12);
        let rule = Rule {
            seat_share: shares,
            ..Rule::default()
        };
        let s = build(&[example_municipality()], &rule);
        let seat = s.points.iter().find(|p| p.seat).unwrap();
        assert!((seat.total - 0.7 * 53577.0).abs() < 1e-6);
        let _ = std::fs::remove_dir_all(dir);
    }
}
