//! Whether a record's point lies where the record says: inside the municipality it names, or,
//! when it names none, inside some municipality of the region.
//!
//! Boundaries are simplified (CAOP's are generalised for the web) and services sit near
//! borders, so a point up to [`TOLERANCE_M`] outside a boundary still counts as inside it: a
//! creche on the border street must not be rejected, one in the other hemisphere must.
use super::Region;
use geo::{Contains, Intersects};
use geo_types::{Coord, LineString, MultiPolygon, Point, Rect};

/// How far (metres) outside a simplified boundary a point may lie and still count as inside.
pub const TOLERANCE_M: f64 = 150.0;

/// Metres per degree of latitude (mean Earth radius); good to 0.5 % at this scale.
const M_PER_DEG: f64 = 111_195.0;

/// Where a record's point lies, judged against the municipality it names (if any).
#[derive(Debug, Clone, PartialEq)]
pub enum Placement {
    /// Inside (or within the tolerance of) the named municipality, or of the one found.
    In(String),
    /// Farther than the tolerance from the named municipality; `found` is the municipality
    /// of the region the point does fall in, if any.
    Misplaced {
        /// The municipality the record names.
        stated: String,
        /// Where the point falls instead.
        found: Option<String>,
    },
    /// The record names no municipality and the point is in none of the region's.
    Outside,
}

/// The distance (metres) from a point to a boundary: 0 inside it.
///
/// ```
/// use geo_types::{polygon, MultiPolygon};
/// use bussola::region::within::distance_outside_m;
/// let square = MultiPolygon(vec![polygon![(x: -8.0, y: 38.0), (x: -7.9, y: 38.0),
///     (x: -7.9, y: 38.1), (x: -8.0, y: 38.1)]]);
/// assert_eq!(distance_outside_m(&square, -7.95, 38.05), 0.0);
/// // 0.001° of latitude north of the top edge: about 111 m.
/// let d = distance_outside_m(&square, -7.95, 38.101);
/// assert!((d - 111.2).abs() < 1.0, "{d}");
/// ```
pub fn distance_outside_m(geometry: &MultiPolygon<f64>, lon: f64, lat: f64) -> f64 {
    if geometry.contains(&Point::new(lon, lat)) {
        return 0.0;
    }
    // A local equirectangular frame centred on the point: metres, accurate enough for a
    // tolerance of a few hundred metres.
    let kx = M_PER_DEG * lat.to_radians().cos();
    let local = |c: Coord<f64>| ((c.x - lon) * kx, (c.y - lat) * M_PER_DEG);
    let ring = |ls: &LineString<f64>| {
        ls.lines()
            .map(|l| origin_to_segment(local(l.start), local(l.end)))
            .fold(f64::INFINITY, f64::min)
    };
    geometry
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .map(ring)
        .fold(f64::INFINITY, f64::min)
}

/// Distance from (0, 0) to the segment a–b.
fn origin_to_segment(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (-(a.0 * dx + a.1 * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    (a.0 + t * dx).hypot(a.1 + t * dy)
}

/// Whether a point lies inside a boundary or within [`TOLERANCE_M`] of it.
///
/// ```
/// use geo_types::{polygon, MultiPolygon};
/// use bussola::region::within::holds;
/// let square = MultiPolygon(vec![polygon![(x: -8.0, y: 38.0), (x: -7.9, y: 38.0),
///     (x: -7.9, y: 38.1), (x: -8.0, y: 38.1)]]);
/// assert!(holds(&square, -7.95, 38.1005)); // about 56 m outside: a simplified border
/// assert!(!holds(&square, -7.95, 38.11)); // about 1.1 km outside
/// assert!(!holds(&square, 38.05, -7.95)); // longitude and latitude swapped
/// ```
pub fn holds(geometry: &MultiPolygon<f64>, lon: f64, lat: f64) -> bool {
    distance_outside_m(geometry, lon, lat) <= TOLERANCE_M
}

/// A bounding box widened by the tolerance, for a quick test before the exact one.
fn widened(b: &Rect<f64>) -> Rect<f64> {
    let lat = b.min().y.abs().max(b.max().y.abs()).min(85.0);
    let dy = TOLERANCE_M / M_PER_DEG;
    let dx = dy / lat.to_radians().cos();
    Rect::new(
        (b.min().x - dx, b.min().y - dy),
        (b.max().x + dx, b.max().y + dy),
    )
}

impl Region {
    /// Whether (lon, lat) lies in municipality `code` of this region, within the tolerance.
    pub fn holds(&self, code: &str, lon: f64, lat: f64) -> bool {
        let p = Point::new(lon, lat);
        self.municipalities
            .iter()
            .zip(&self.bounds)
            .filter(|(m, _)| m.code == code)
            .any(|(m, b)| widened(b).intersects(&p) && holds(&m.geometry, lon, lat))
    }

    /// The municipality (lon, lat) lies in, else one it lies within the tolerance of.
    pub fn municipality_near(&self, lon: f64, lat: f64) -> Option<&crate::model::Municipality> {
        let p = Point::new(lon, lat);
        self.municipality_at(lon, lat).or_else(|| {
            self.municipalities
                .iter()
                .zip(&self.bounds)
                .filter(|(_, b)| widened(b).intersects(&p))
                .map(|(m, _)| (m, distance_outside_m(&m.geometry, lon, lat)))
                .filter(|(_, d)| *d <= TOLERANCE_M)
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(m, _)| m)
        })
    }

    /// Where a record's point lies, given the municipality it names (a code of this region)
    /// or none. Coordinates must be a valid longitude and latitude.
    pub fn place(&self, lon: f64, lat: f64, stated: Option<&str>) -> Placement {
        match stated {
            Some(code) if self.holds(code, lon, lat) => Placement::In(code.to_string()),
            Some(code) => Placement::Misplaced {
                stated: code.to_string(),
                found: self.municipality_near(lon, lat).map(|m| m.code.clone()),
            },
            None => match self.municipality_near(lon, lat) {
                Some(m) => Placement::In(m.code.clone()),
                None => Placement::Outside,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo_types::polygon;

    fn square(x: f64, y: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![
            (x: x, y: y),
            (x: x + 0.1, y: y),
            (x: x + 0.1, y: y + 0.1),
            (x: x, y: y + 0.1),
        ]])
    }

    #[test]
    fn distance_is_zero_inside_and_metres_outside() {
        let s = square(-8.0, 38.0);
        assert_eq!(distance_outside_m(&s, -7.95, 38.05), 0.0);
        // 0.001° of longitude at 38.05° N is about 87.6 m.
        let d = distance_outside_m(&s, -8.001, 38.05);
        assert!((d - 87.6).abs() < 1.0, "{d}");
        // Beyond a corner: the distance to the corner, not to a line through an edge.
        let d = distance_outside_m(&s, -8.001, 37.999);
        assert!((d - 87.6_f64.hypot(111.2)).abs() < 2.0, "{d}");
    }

    #[test]
    fn the_tolerance_is_150_metres() {
        let s = square(-8.0, 38.0);
        assert!(holds(&s, -7.95, 38.1 + 140.0 / M_PER_DEG));
        assert!(!holds(&s, -7.95, 38.1 + 160.0 / M_PER_DEG));
    }

    #[test]
    fn a_hole_is_outside() {
        let mut p =
            polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
        p.interiors_push(vec![
            (0.4, 0.4),
            (0.6, 0.4),
            (0.6, 0.6),
            (0.4, 0.6),
            (0.4, 0.4),
        ]);
        let mp = MultiPolygon(vec![p]);
        assert!(!holds(&mp, 0.5, 0.5));
        assert!(holds(&mp, 0.2, 0.2));
    }

    #[test]
    fn swapped_axes_are_far_from_alentejo() {
        let s = square(-8.0, 38.0);
        assert!(distance_outside_m(&s, 38.05, -7.95) > 1_000_000.0);
    }
}
