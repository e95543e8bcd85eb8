//! Geodesic distance, and the unit-sphere embedding the index searches in.
//!
//! The R-tree indexes points as 3-D unit vectors: the straight-line (chord) distance between
//! two unit vectors grows strictly with the great-circle distance, so Euclidean nearest
//! neighbours in 3-D are great-circle nearest neighbours, with no trouble at the antimeridian
//! or the poles. Distances reported to users are ellipsoidal (WGS84) geodesics, which differ from
//! the spherical ones by less than [`SPHERE_BOUND`].
use geo::{Distance, Geodesic, Point};

/// Mean Earth radius in metres (IUGG).
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Relative bound on |geodesic / spherical - 1| for the same endpoints (true value < 0.6 %).
pub const SPHERE_BOUND: f64 = 0.01;

/// WGS84 ellipsoidal geodesic distance in metres between two (lon, lat) points in degrees.
///
/// ```
/// // Évora to Estremoz, about 36 km.
/// let d = bussola::distance::geodesic_m((-7.9, 38.56667), (-7.58585, 38.84432));
/// assert!((d - 41_300.0).abs() < 1_000.0, "{d}");
/// ```
pub fn geodesic_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    Geodesic.distance(Point::new(a.0, a.1), Point::new(b.0, b.1))
}

/// The unit vector of a (lon, lat) point in degrees.
pub fn unit_vector(lon: f64, lat: f64) -> [f64; 3] {
    let (lon, lat) = (lon.to_radians(), lat.to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

/// Great-circle distance in metres on the mean sphere for a squared chord length.
pub fn chord2_to_sphere_m(chord2: f64) -> f64 {
    let half = (chord2.max(0.0).sqrt() / 2.0).min(1.0);
    2.0 * half.asin() * EARTH_RADIUS_M
}

/// The squared chord length for a great-circle distance in metres on the mean sphere.
pub fn sphere_m_to_chord2(m: f64) -> f64 {
    let angle = (m / EARTH_RADIUS_M).min(std::f64::consts::PI);
    let chord = 2.0 * (angle / 2.0).sin();
    chord * chord
}

/// Validates a longitude/latitude pair; names the bad coordinate.
pub fn check_lon_lat(lon: f64, lat: f64) -> Result<(), (&'static str, String)> {
    if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
        return Err(("lon", format!("{lon} is not a longitude in [-180, 180]")));
    }
    if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
        return Err(("lat", format!("{lat} is not a latitude in [-90, 90]")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geodesic_matches_known_distances() {
        // One degree of latitude at 38.5 N is 111.0 km on WGS84.
        let d = geodesic_m((-8.0, 38.0), (-8.0, 39.0));
        assert!((d - 111_023.0).abs() < 50.0, "{d}");
        // One degree of longitude on the equator: 111.32 km.
        let d = geodesic_m((0.0, 0.0), (1.0, 0.0));
        assert!((d - 111_319.5).abs() < 1.0, "{d}");
    }

    #[test]
    fn chord_round_trips_and_is_monotonic() {
        for m in [1.0, 1_000.0, 50_000.0, 5_000_000.0] {
            let back = chord2_to_sphere_m(sphere_m_to_chord2(m));
            assert!((back - m).abs() < 1e-6 * m.max(1.0), "{m} -> {back}");
        }
        assert!(sphere_m_to_chord2(10.0) < sphere_m_to_chord2(11.0));
    }

    #[test]
    fn sphere_and_ellipsoid_agree_within_the_bound() {
        let pairs = [
            ((-7.9, 38.5), (-7.0, 39.2)),
            ((0.0, 0.0), (0.0, 10.0)),
            ((0.0, 80.0), (10.0, 89.0)),
            ((179.5, 0.0), (-179.5, 0.5)),
        ];
        for (a, b) in pairs {
            let g = geodesic_m(a, b);
            let va = unit_vector(a.0, a.1);
            let vb = unit_vector(b.0, b.1);
            let c2: f64 = (0..3).map(|i| (va[i] - vb[i]).powi(2)).sum();
            let s = chord2_to_sphere_m(c2);
            assert!(
                (g / s - 1.0).abs() < SPHERE_BOUND,
                "{a:?} {b:?}: {g} vs {s}"
            );
        }
    }

    #[test]
    fn rejects_out_of_range_coordinates() {
        assert_eq!(check_lon_lat(-181.0, 0.0).unwrap_err().0, "lon");
        assert_eq!(check_lon_lat(0.0, 91.0).unwrap_err().0, "lat");
        assert_eq!(check_lon_lat(f64::NAN, 0.0).unwrap_err().0, "lon");
        assert!(check_lon_lat(-7.9, 38.5).is_ok());
    }
}
