//! A small base map for the tests: a PMTiles archive of vector tiles in Protomaps' basemap
//! layers, built from the open data in `../shared/geodata` with the `pmtiles` crate's writer and
//! the `mvt` encoder — `earth` (the 58 municipalities of Alentejo, CAOP), `boundaries` (their
//! limits as lines) and `places` (GeoNames places of 1,000+ inhabitants). No roads or water:
//! the shared data has none.
//!
//! Only `std`, `serde_json`, `mvt` and `pmtiles`, so that `tests/browser.rs` includes this file
//! (by `#[path]`) without linking the library.
#![allow(dead_code)]
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What was written.
#[derive(Debug, Clone)]
pub struct Built {
    /// The archive.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// Tiles written.
    pub tiles: usize,
    /// Places in the `places` layer.
    pub places: usize,
    /// The highest zoom.
    pub max_zoom: u8,
}

/// The attribution the archive's metadata carries.
pub const ATTRIBUTION: &str = "Test base map: © DGT, CAOP (CC-BY 4.0); GeoNames (CC-BY 4.0)";

/// One feature in world coordinates (x, y in [0, 1], y down).
struct Feature {
    layer: &'static str,
    /// Rings (polygons), lines or one point per part.
    parts: Vec<Vec<(f64, f64)>>,
    kind: GeomKind,
    props: Vec<(&'static str, Prop)>,
    bbox: [f64; 4],
    min_zoom: u8,
}

#[derive(Clone, Copy, PartialEq)]
enum GeomKind {
    Point,
    Line,
    Polygon,
}

enum Prop {
    Text(String),
    Int(i64),
}

fn to_world(lon: f64, lat: f64) -> (f64, f64) {
    let lat = lat.clamp(-85.05, 85.05).to_radians();
    let x = (lon + 180.0) / 360.0;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0;
    (x, y)
}

fn ring(coords: &Value) -> Vec<(f64, f64)> {
    coords
        .as_array()
        .unwrap()
        .iter()
        .map(|p| to_world(p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
        .collect()
}

fn bbox(parts: &[Vec<(f64, f64)>]) -> [f64; 4] {
    let mut b = [f64::MAX, f64::MAX, f64::MIN, f64::MIN];
    for &(x, y) in parts.iter().flatten() {
        b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
    }
    b
}

/// The polygons of a GeoJSON Polygon or MultiPolygon, each as its rings.
fn polygons(geometry: &Value) -> Vec<Vec<Vec<(f64, f64)>>> {
    let c = &geometry["coordinates"];
    match geometry["type"].as_str().unwrap() {
        "Polygon" => vec![c.as_array().unwrap().iter().map(ring).collect()],
        "MultiPolygon" => c
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_array().unwrap().iter().map(ring).collect())
            .collect(),
        other => panic!("not a polygon: {other}"),
    }
}

fn read_features(shared: &Path) -> Vec<Feature> {
    let json = |p: PathBuf| -> Value {
        serde_json::from_str(&std::fs::read_to_string(&p).unwrap_or_else(|e| {
            panic!("{}: {e}", p.display());
        }))
        .unwrap()
    };
    let mut out = Vec::new();
    let munis = json(shared.join("alentejo/municipios.geojson"));
    for f in munis["features"].as_array().unwrap() {
        let name = f["properties"]["concelho"]
            .as_str()
            .unwrap_or("")
            .to_string();
        for poly in polygons(&f["geometry"]) {
            out.push(Feature {
                layer: "earth",
                bbox: bbox(&poly),
                parts: poly.clone(),
                kind: GeomKind::Polygon,
                props: vec![("kind", Prop::Text("earth".into()))],
                min_zoom: 0,
            });
            out.push(Feature {
                layer: "boundaries",
                bbox: bbox(&poly),
                parts: poly,
                kind: GeomKind::Line,
                props: vec![
                    ("kind", Prop::Text("county".into())),
                    ("kind_detail", Prop::Int(7)),
                    ("name", Prop::Text(name.clone())),
                ],
                min_zoom: 0,
            });
        }
    }
    let places = json(shared.join("geonames_pt_cities1000.geojson"));
    for f in places["features"].as_array().unwrap() {
        let c = &f["geometry"]["coordinates"];
        let p = to_world(c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        let name = f["properties"]["name"].as_str().unwrap_or("").to_string();
        out.push(Feature {
            layer: "places",
            bbox: [p.0, p.1, p.0, p.1],
            parts: vec![vec![p]],
            kind: GeomKind::Point,
            props: vec![
                ("kind", Prop::Text("locality".into())),
                ("kind_detail", Prop::Text("town".into())),
                ("name", Prop::Text(name)),
            ],
            min_zoom: 6,
        });
    }
    out
}

/// Twice the signed area of a ring in tile coordinates (positive: an MVT exterior ring).
fn area2(r: &[(i32, i32)]) -> i64 {
    (0..r.len())
        .map(|i| {
            let (a, b) = (r[i], r[(i + 1) % r.len()]);
            i64::from(a.0) * i64::from(b.1) - i64::from(b.0) * i64::from(a.1)
        })
        .sum()
}

/// A part in the tile's coordinates, points closer than half a pixel to the previous one dropped.
fn in_tile(part: &[(f64, f64)], z: u8, x: u32, y: u32, closed: bool) -> Vec<(i32, i32)> {
    let s = f64::from(1u32 << z);
    let mut out: Vec<(i32, i32)> = Vec::new();
    for &(wx, wy) in part {
        let p = (
            ((wx * s - f64::from(x)) * 4096.0).round() as i32,
            ((wy * s - f64::from(y)) * 4096.0).round() as i32,
        );
        if out
            .last()
            .is_none_or(|q| (q.0 - p.0).abs() + (q.1 - p.1).abs() >= 8)
        {
            out.push(p);
        }
    }
    if closed && out.len() > 1 && out.first() == out.last() {
        out.pop();
    }
    out
}

fn encode(features: &[&Feature], z: u8, x: u32, y: u32) -> Option<Vec<u8>> {
    let mut tile = mvt::Tile::new(4096);
    let mut by_layer: BTreeMap<&str, Vec<&Feature>> = BTreeMap::new();
    for f in features {
        by_layer.entry(f.layer).or_default().push(f);
    }
    let mut any = false;
    for (name, feats) in by_layer {
        let mut layer = tile.create_layer(name);
        for f in feats {
            let mut enc = mvt::GeomEncoder::new(match f.kind {
                GeomKind::Point => mvt::GeomType::Point,
                GeomKind::Line => mvt::GeomType::Linestring,
                GeomKind::Polygon => mvt::GeomType::Polygon,
            });
            let mut parts = 0;
            for (i, part) in f.parts.iter().enumerate() {
                let closed = f.kind == GeomKind::Polygon;
                let mut pts = in_tile(part, z, x, y, closed);
                let enough = match f.kind {
                    GeomKind::Point => 1,
                    GeomKind::Line => 2,
                    GeomKind::Polygon => 3,
                };
                if pts.len() < enough {
                    if closed && i == 0 {
                        break; // an exterior ring under a pixel: the polygon is too small here
                    }
                    continue;
                }
                if closed {
                    // Exterior rings positive, holes negative (MVT 2.1, y down).
                    let exterior = i == 0;
                    if (area2(&pts) > 0) != exterior {
                        pts.reverse();
                    }
                }
                for &(px, py) in &pts {
                    enc = enc.point(px, py).unwrap();
                }
                if f.kind != GeomKind::Point {
                    enc.complete_geom().unwrap();
                }
                parts += 1;
            }
            if parts == 0 {
                continue;
            }
            let Ok(geom) = enc.encode() else { continue };
            let mut feature = layer.into_feature(geom);
            for (k, v) in &f.props {
                match v {
                    Prop::Text(s) => feature.add_tag_string(k, s),
                    Prop::Int(n) => feature.add_tag_sint(k, *n),
                }
            }
            layer = feature.into_layer();
            any = true;
        }
        if layer.num_features() > 0 {
            tile.add_layer(layer).unwrap();
        }
    }
    any.then(|| tile.to_bytes().unwrap())
}

/// Builds the archive at `out` from `shared` (`../shared/geodata`), zooms 0 to `max_zoom`.
pub fn build(shared: &Path, out: &Path, max_zoom: u8) -> Built {
    use pmtiles::{PmTilesWriter, TileCoord, TileId, TileType};
    let features = read_features(shared);
    let all = features
        .iter()
        .fold([f64::MAX, f64::MAX, f64::MIN, f64::MIN], |b, f| {
            [
                b[0].min(f.bbox[0]),
                b[1].min(f.bbox[1]),
                b[2].max(f.bbox[2]),
                b[3].max(f.bbox[3]),
            ]
        });
    let mut tiles: Vec<(u64, TileCoord, Vec<u8>)> = Vec::new();
    for z in 0..=max_zoom {
        let s = f64::from(1u32 << z);
        let margin = 64.0 / 4096.0;
        let cols = (all[0] * s).floor() as u32..=((all[2] * s).floor() as u32);
        for x in cols {
            for y in (all[1] * s).floor() as u32..=((all[3] * s).floor() as u32) {
                let t = [
                    (f64::from(x) - margin) / s,
                    (f64::from(y) - margin) / s,
                    (f64::from(x) + 1.0 + margin) / s,
                    (f64::from(y) + 1.0 + margin) / s,
                ];
                let here: Vec<&Feature> = features
                    .iter()
                    .filter(|f| {
                        z >= f.min_zoom
                            && f.bbox[0] <= t[2]
                            && f.bbox[2] >= t[0]
                            && f.bbox[1] <= t[3]
                            && f.bbox[3] >= t[1]
                    })
                    .collect();
                if let Some(bytes) = encode(&here, z, x, y) {
                    let coord = TileCoord::new(z, x, y).unwrap();
                    tiles.push((TileId::from(coord).value(), coord, bytes));
                }
            }
        }
    }
    tiles.sort_by_key(|t| t.0);
    let (w, n, e, s) = {
        let lon = |x: f64| x * 360.0 - 180.0;
        let lat = |y: f64| {
            (std::f64::consts::PI * (1.0 - 2.0 * y))
                .sinh()
                .atan()
                .to_degrees()
        };
        (lon(all[0]), lat(all[1]), lon(all[2]), lat(all[3]))
    };
    let layer = |id: &str, fields: Value, min: u8| serde_json::json!({"id": id, "fields": fields, "minzoom": min, "maxzoom": max_zoom});
    let metadata = serde_json::json!({
        "name": "Alentejo (test base map)",
        "description": "Built by Bússola's tests from ../shared/geodata: CAOP municipalities as earth and boundaries, GeoNames places",
        "attribution": ATTRIBUTION,
        "vector_layers": [
            layer("earth", serde_json::json!({"kind": "String"}), 0),
            layer("boundaries", serde_json::json!({"kind": "String", "kind_detail": "Number", "name": "String"}), 0),
            layer("places", serde_json::json!({"kind": "String", "kind_detail": "String", "name": "String"}), 6),
        ],
    });
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir).unwrap();
    }
    // Written beside, then renamed: a reader never sees half an archive.
    let part = out.with_extension(format!("part-{}", std::process::id()));
    let file = std::fs::File::create(&part).unwrap();
    let mut writer = PmTilesWriter::new(TileType::Mvt)
        .min_zoom(0)
        .max_zoom(max_zoom)
        .bounds(w, s, e, n)
        .center((w + e) / 2.0, (s + n) / 2.0)
        .center_zoom(8)
        .metadata(metadata.to_string())
        .create(file)
        .unwrap();
    for (_, coord, bytes) in &tiles {
        writer.add_tile(*coord, bytes).unwrap();
    }
    writer.finalize().unwrap();
    std::fs::rename(&part, out).unwrap();
    Built {
        path: out.to_path_buf(),
        bytes: std::fs::metadata(out).unwrap().len(),
        tiles: tiles.len(),
        places: features.iter().filter(|f| f.layer == "places").count(),
        max_zoom,
    }
}
