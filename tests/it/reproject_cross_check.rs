//! Cross-checks the pure-Rust (proj4rs) reprojection against PROJ on a grid across Portugal.
//!
//! Only built with `--features proj`.
#![cfg(feature = "proj")]

use bussola::reproject::{proj_transformer, transformer, Crs};

/// Agreement required between the two backends, in degrees (about 0.01 m).
const TOLERANCE_DEG: f64 = 1e-7;

/// A 12 x 12 grid of WGS84 (lon, lat) points covering mainland Portugal.
fn portugal_grid() -> Vec<(f64, f64)> {
    const N: usize = 12;
    let (west, east, south, north) = (-9.55, -6.15, 36.95, 42.15);
    let mut points = Vec::with_capacity(N * N);
    for i in 0..N {
        for j in 0..N {
            let lon = west + (east - west) * i as f64 / (N - 1) as f64;
            let lat = south + (north - south) * j as f64 / (N - 1) as f64;
            points.push((lon, lat));
        }
    }
    points
}

/// Projects the grid into EPSG:`code` with PROJ, then compares both backends' way back.
fn cross_check(code: u32) {
    let crs = Crs::Epsg(code);
    let forward = proj::Proj::new_known_crs("EPSG:4326", &format!("EPSG:{code}"), None)
        .unwrap_or_else(|e| panic!("PROJ forward to EPSG:{code}: {e}"));
    let ours = transformer(crs).unwrap_or_else(|e| panic!("proj4rs EPSG:{code}: {e}"));
    let theirs = proj_transformer(crs).unwrap_or_else(|e| panic!("PROJ EPSG:{code}: {e}"));

    let grid = portugal_grid();
    assert!(grid.len() >= 100);
    let mut worst: f64 = 0.0;
    for &(lon, lat) in &grid {
        let (x, y) = forward
            .convert((lon, lat))
            .unwrap_or_else(|e| panic!("PROJ forward ({lon}, {lat}): {e}"));
        let a = ours
            .to_wgs84(x, y)
            .unwrap_or_else(|e| panic!("proj4rs ({x}, {y}): {e}"));
        let b = theirs
            .to_wgs84(x, y)
            .unwrap_or_else(|e| panic!("PROJ ({x}, {y}): {e}"));
        let d = (a.0 - b.0).abs().max((a.1 - b.1).abs());
        worst = worst.max(d);
        assert!(
            d <= TOLERANCE_DEG,
            "EPSG:{code} ({x}, {y}): proj4rs {a:?} vs PROJ {b:?} differ by {d:e}°"
        );
        // PROJ's own round trip lands back on the grid point.
        assert!(
            (b.0 - lon).abs() <= TOLERANCE_DEG && (b.1 - lat).abs() <= TOLERANCE_DEG,
            "EPSG:{code}: PROJ round trip of ({lon}, {lat}) gave {b:?}"
        );
    }
    eprintln!(
        "EPSG:{code}: {} points, worst difference {worst:e}°",
        grid.len()
    );
}

#[test]
fn portugal_tm06_agrees_with_proj() {
    cross_check(3763);
}

#[test]
fn utm_29n_agrees_with_proj() {
    cross_check(32629);
}

#[test]
fn web_mercator_agrees_with_proj() {
    cross_check(3857);
}

#[test]
fn wgs84_is_identity_in_both() {
    for t in [
        transformer(Crs::Wgs84).expect("proj4rs"),
        proj_transformer(Crs::Wgs84).expect("PROJ"),
    ] {
        assert_eq!(t.to_wgs84(-7.9073, 38.572).ok(), Some((-7.9073, 38.572)));
    }
}
