//! Tests of reprojection: known points in the CRSs the region files use, and bad input.
use super::*;
use geo_types::{line_string, point, polygon, GeometryCollection};

/// Approximate ground distance in metres between two nearby lon/lat points.
fn metres_between(a: (f64, f64), b: (f64, f64)) -> f64 {
    let lat = a.1.to_radians();
    let dx = (a.0 - b.0) * 111_320.0 * lat.cos();
    let dy = (a.1 - b.1) * 110_574.0;
    (dx * dx + dy * dy).sqrt()
}

/// Forward WGS84 -> EPSG:`code` with proj4rs, for round trips.
fn forward(code: u16, lon: f64, lat: f64) -> (f64, f64) {
    let src = proj4rs::Proj::from_proj_string(WGS84_PROJ4).expect("wgs84");
    let dst = proj4rs::Proj::from_epsg_code(code).expect("known code");
    proj4rs::adaptors::transform_xy(&src, &dst, lon.to_radians(), lat.to_radians())
        .expect("forward")
}

#[test]
fn parses_all_forms() {
    let cases = [
        ("EPSG:3763", Crs::Epsg(3763)),
        ("epsg:3763", Crs::Epsg(3763)),
        ("  EPSG:32629 ", Crs::Epsg(32629)),
        ("urn:ogc:def:crs:EPSG::3763", Crs::Epsg(3763)),
        ("urn:ogc:def:crs:EPSG:9.9.1:3763", Crs::Epsg(3763)),
        ("urn:ogc:def:crs:EPSG::4326", Crs::Wgs84),
        ("urn:ogc:def:crs:OGC:1.3:CRS84", Crs::Wgs84),
        ("urn:ogc:def:crs:OGC::CRS84", Crs::Wgs84),
        ("CRS84", Crs::Wgs84),
        ("OGC:CRS84", Crs::Wgs84),
        ("CRS:84", Crs::Wgs84),
        ("EPSG:4326", Crs::Wgs84),
        (
            "http://www.opengis.net/def/crs/EPSG/0/3763",
            Crs::Epsg(3763),
        ),
        (
            "https://www.opengis.net/def/crs/EPSG/0/3857",
            Crs::Epsg(3857),
        ),
        ("http://www.opengis.net/def/crs/EPSG/0/4326", Crs::Wgs84),
        ("http://www.opengis.net/def/crs/OGC/1.3/CRS84", Crs::Wgs84),
    ];
    for (s, want) in cases {
        assert_eq!(Crs::parse(s).ok(), Some(want), "{s}");
    }
    assert_eq!("EPSG:3763".parse::<Crs>().ok(), Some(Crs::Epsg(3763)));
}

#[test]
fn rejects_unknown_crs() {
    for s in [
        "",
        "EPSG",
        "EPSG:",
        "EPSG:abc",
        "EPSG:+3763",
        "EPSG:0",
        "EPSG:99999999999",
        "ESRI:102100",
        "urn:ogc:def:crs:EPSG:3763",
        "urn:ogc:def:crs:OGC:1.3:CRS83",
        "http://www.opengis.net/def/crs/EPSG/3763",
        "3763",
        "Lisbon",
    ] {
        match Crs::parse(s) {
            Err(ReprojectError::UnknownCrs(got)) => assert_eq!(got, s),
            other => panic!("{s:?} parsed as {other:?}"),
        }
    }
    let msg = Crs::parse("ESRI:102100").expect_err("unknown").to_string();
    assert!(msg.contains("ESRI:102100"), "{msg}");
}

#[test]
fn unsupported_epsg_is_an_error_naming_the_code() {
    for code in [1, 999_999, 70_000] {
        match transformer(Crs::Epsg(code)) {
            Err(e @ ReprojectError::UnsupportedEpsg(c)) => {
                assert_eq!(c, code);
                assert!(e.to_string().contains(&format!("EPSG:{code}")), "{e}");
            }
            Err(e) => panic!("EPSG:{code}: unexpected error {e}"),
            Ok(_) => panic!("EPSG:{code}: unexpectedly supported"),
        }
    }
}

#[test]
fn codes_missing_from_crs_definitions_0_3_fall_back_to_proj4rs_tables() {
    // EPSG:25838 (ETRS89 / UTM zone 38N) is only in proj4rs's newer copy of the tables.
    assert!(proj4_definition(25838).is_none());
    let t = transformer(Crs::Epsg(25838)).expect("25838");
    let (lon, lat) = t.to_wgs84(500_000.0, 0.0).expect("cm");
    assert!(
        (lon - 45.0).abs() < 1e-9 && lat.abs() < 1e-9,
        "({lon}, {lat})"
    );
}

#[test]
fn wgs84_is_identity() {
    for crs in [Crs::Wgs84, Crs::Epsg(4326)] {
        let t = transformer(crs).expect("wgs84");
        assert_eq!(t.to_wgs84(-7.9073, 38.572).ok(), Some((-7.9073, 38.572)));
        assert_eq!(t.to_wgs84(179.5, -89.0).ok(), Some((179.5, -89.0)));
    }
}

#[test]
fn tm06_origin() {
    // EPSG:3763 has its false origin at lat_0 39°40'05.73" N, lon_0 8°07'59.19" W.
    let t = transformer(Crs::Epsg(3763)).expect("3763");
    let (lon, lat) = t.to_wgs84(0.0, 0.0).expect("origin");
    assert!((lon - -8.133_108_333).abs() < 1e-7, "lon {lon}");
    assert!((lat - 39.668_258_333).abs() < 1e-7, "lat {lat}");
}

#[test]
fn tm06_evora_cathedral() {
    // TM06 coordinates of lon -7.9073, lat 38.5720 computed with PROJ 9.6.2
    // (EPSG:4326 -> EPSG:3763).
    let t = transformer(Crs::Epsg(3763)).expect("3763");
    let got = t.to_wgs84(TM06_EVORA.0, TM06_EVORA.1).expect("evora");
    let d = metres_between(got, EVORA);
    assert!(d < 1.0, "Évora is {d} m off: {got:?}");
    // And a tight round trip through proj4rs itself.
    let (x, y) = forward(3763, EVORA.0, EVORA.1);
    assert!(
        (x - TM06_EVORA.0).abs() < 1.0 && (y - TM06_EVORA.1).abs() < 1.0,
        "({x}, {y})"
    );
    let back = t.to_wgs84(x, y).expect("back");
    assert!(metres_between(back, EVORA) < 1e-3, "{back:?}");
}

#[test]
fn utm29n_points() {
    let t = transformer(Crs::Epsg(32629)).expect("32629");
    // On the central meridian (9° W) at the equator.
    let (lon, lat) = t.to_wgs84(500_000.0, 0.0).expect("cm");
    assert!(
        (lon - -9.0).abs() < 1e-9 && lat.abs() < 1e-9,
        "({lon}, {lat})"
    );
    // Évora, UTM coordinates computed with PROJ 9.6.2 (EPSG:4326 -> EPSG:32629).
    let got = t.to_wgs84(UTM29_EVORA.0, UTM29_EVORA.1).expect("evora");
    let d = metres_between(got, EVORA);
    assert!(d < 1.0, "Évora is {d} m off: {got:?}");
    let (x, y) = forward(32629, EVORA.0, EVORA.1);
    let back = t.to_wgs84(x, y).expect("back");
    assert!(metres_between(back, EVORA) < 1e-3, "{back:?}");
}

#[test]
fn web_mercator_keeps_wgs84_latitudes() {
    // EPSG:3857 is spherical: no datum shift may be applied on the way to WGS84.
    let t = transformer(Crs::Epsg(3857)).expect("3857");
    let (lon, lat) = t.to_wgs84(0.0, 0.0).expect("origin");
    assert!(lon.abs() < 1e-9 && lat.abs() < 1e-9, "({lon}, {lat})");
    // lat = 2 atan(exp(y / R)) - pi/2 on the sphere of radius 6378137 m.
    let (x, y) = (-880_251.8, 4_661_170.0);
    let (lon, lat) = t.to_wgs84(x, y).expect("evora");
    let want_lon = (x / 6_378_137.0_f64).to_degrees();
    let want_lat =
        (2.0 * (y / 6_378_137.0_f64).exp().atan() - std::f64::consts::FRAC_PI_2).to_degrees();
    assert!((lon - want_lon).abs() < 1e-9, "lon {lon} vs {want_lon}");
    assert!((lat - want_lat).abs() < 1e-9, "lat {lat} vs {want_lat}");
}

#[test]
fn geographic_source_takes_degrees() {
    // ETRS89 geographic: numerically the same as WGS84 to well under a metre.
    let t = transformer(Crs::Epsg(4258)).expect("4258");
    let got = t.to_wgs84(EVORA.0, EVORA.1).expect("evora");
    assert!(metres_between(got, EVORA) < 0.01, "{got:?}");
}

#[test]
fn non_finite_input_is_an_error() {
    let t = transformer(Crs::Epsg(3763)).expect("3763");
    for (x, y) in [(f64::NAN, 0.0), (0.0, f64::INFINITY)] {
        match t.to_wgs84(x, y) {
            Err(e @ ReprojectError::Transform { .. }) => {
                assert!(e.to_string().contains("EPSG:3763"), "{e}")
            }
            other => panic!("({x}, {y}) gave {other:?}"),
        }
    }
}

#[test]
fn reprojects_every_coordinate_of_a_geometry() {
    let t = transformer(Crs::Epsg(3763)).expect("3763");
    let (x, y) = TM06_EVORA;
    let mut g = Geometry::GeometryCollection(GeometryCollection(vec![
        Geometry::Point(point!(x: x, y: y)),
        Geometry::LineString(line_string![(x: x, y: y), (x: 0.0, y: 0.0)]),
        Geometry::Polygon(polygon![
            (x: x, y: y),
            (x: x + 100.0, y: y),
            (x: x + 100.0, y: y + 100.0),
            (x: x, y: y),
        ]),
    ]));
    reproject_geometry(&mut g, t.as_ref()).expect("reproject");
    let Geometry::GeometryCollection(gc) = &g else {
        panic!("kind changed")
    };
    let Geometry::Point(p) = &gc.0[0] else {
        panic!("point")
    };
    assert!(metres_between((p.x(), p.y()), EVORA) < 1.0);
    let Geometry::LineString(ls) = &gc.0[1] else {
        panic!("line")
    };
    let end = ls.0[1];
    assert!((end.x - -8.133_108_333).abs() < 1e-7 && (end.y - 39.668_258_333).abs() < 1e-7);
    let Geometry::Polygon(poly) = &gc.0[2] else {
        panic!("polygon")
    };
    for c in poly.exterior().coords() {
        assert!(metres_between((c.x, c.y), EVORA) < 200.0, "{c:?}");
    }
}

#[test]
fn reproject_geometry_reports_the_failing_coordinate() {
    let t = transformer(Crs::Epsg(3763)).expect("3763");
    let mut g = Geometry::LineString(line_string![(x: 0.0, y: 0.0), (x: f64::NAN, y: 1.0)]);
    assert!(matches!(
        reproject_geometry(&mut g, t.as_ref()),
        Err(ReprojectError::Transform { crs: Crs::Epsg(3763), y, .. }) if y == 1.0
    ));
}

#[test]
fn transformers_are_shareable_across_threads() {
    let t: std::sync::Arc<dyn ToWgs84> = transformer(Crs::Epsg(3763)).expect("3763").into();
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let t = std::sync::Arc::clone(&t);
            std::thread::spawn(move || t.to_wgs84(TM06_EVORA.0, TM06_EVORA.1).ok())
        })
        .collect();
    for h in handles {
        let got = h.join().expect("thread").expect("evora");
        assert!(metres_between(got, EVORA) < 1.0);
    }
}

#[cfg(feature = "proj")]
#[test]
fn proj_backend_agrees_on_evora() {
    for (crs, xy) in [
        (Crs::Epsg(3763), TM06_EVORA),
        (Crs::Epsg(32629), UTM29_EVORA),
    ] {
        let t = proj_transformer(crs).expect("proj");
        let got = t.to_wgs84(xy.0, xy.1).expect("evora");
        assert!(metres_between(got, EVORA) < 1.0, "{crs}: {got:?}");
    }
    assert!(matches!(
        proj_transformer(Crs::Epsg(1)),
        Err(ReprojectError::Setup {
            crs: Crs::Epsg(1),
            ..
        })
    ));
}

/// Évora cathedral, approximately (lon, lat).
const EVORA: (f64, f64) = (-7.9073, 38.5720);
/// Évora cathedral in EPSG:3763 (PROJ 9.6.2).
const TM06_EVORA: (f64, f64) = (19678.2728, -121679.9908);
/// Évora cathedral in EPSG:32629 (PROJ 9.6.2).
const UTM29_EVORA: (f64, f64) = (595187.4895, 4269848.6770);

#[test]
fn from_wgs84_gives_tm06_coordinates_and_inverts_to_wgs84() {
    let f = from_wgs84(Crs::Epsg(3763)).expect("3763");
    let (x, y) = f.project(EVORA.0, EVORA.1).expect("evora");
    assert!(
        (x - TM06_EVORA.0).abs() < 1.0 && (y - TM06_EVORA.1).abs() < 1.0,
        "({x}, {y})"
    );
    let back = transformer(Crs::Epsg(3763))
        .expect("3763")
        .to_wgs84(x, y)
        .expect("back");
    assert!(metres_between(back, EVORA) < 1e-3, "{back:?}");
    let same = from_wgs84(Crs::Wgs84).expect("identity");
    assert_eq!(same.project(-7.9, 38.5).expect("id"), (-7.9, 38.5));
    assert!(f.project(f64::NAN, 38.0).is_err());
    assert!(f.project(-7.9, 91.0).is_err());
}
