//! ESRI Shapefiles: geometries from `.shp`, attributes from the sibling `.dbf`, the CRS from
//! `.prj` (see [`super::prj`]) and the `.dbf` text encoding from `.cpg`.
//!
//! Polygon rings are sorted by orientation (clockwise outer, counter-clockwise holes) and each
//! hole goes to the smallest outer ring that holds it: the format does not require a hole to
//! follow its own outer ring.
use super::prj::crs_from_prj;
use super::raw::{RawFeature, RawFile};
use crate::reproject::Crs;
use crate::{Error, Result};
use geo::orient::{Direction, Orient};
use geo::{Area, BoundingRect, Contains, CoordsIter};
use geo_types::{Coord, Geometry, LineString, MultiLineString, MultiPoint, MultiPolygon, Polygon};
use serde_json::{Map, Value};
use shapefile::dbase::{self, encoding::DynEncoding, FieldValue};
use shapefile::record::traits::HasXY;
use shapefile::{PolygonRing, Shape};
use std::path::Path;

/// Reads a Shapefile; `crs` (the manifest's override) replaces whatever `.prj` says.
pub fn read_shp(path: &Path, crs: Option<Crs>) -> Result<RawFile> {
    let fail = |e: &dyn std::fmt::Display| Error::data(path, None, None, e.to_string());
    let mut shapes = shapefile::ShapeReader::from_path(path).map_err(|e| match e {
        shapefile::Error::IoError(source) => Error::Io {
            path: path.to_path_buf(),
            source,
        },
        e => fail(&e),
    })?;
    let dbf = path.with_extension("dbf");
    if !dbf.exists() {
        return Err(Error::data(
            &dbf,
            None,
            None,
            "missing: a Shapefile's attributes are in the .dbf beside the .shp",
        ));
    }
    let records = read_dbf(&dbf, &path.with_extension("cpg"))?;
    let mut features = Vec::with_capacity(records.len());
    for (i, shape) in shapes.iter_shapes().enumerate() {
        let place = format!("record {}", i + 1);
        let shape =
            shape.map_err(|e| Error::data(path, Some(place.clone()), None, e.to_string()))?;
        let props = records.get(i).cloned().ok_or_else(|| {
            Error::data(
                &dbf,
                Some(place.clone()),
                None,
                "fewer records in the .dbf than shapes in the .shp",
            )
        })?;
        features.push(RawFeature {
            place,
            props,
            geometry: geometry(shape),
        });
    }
    let crs = match crs {
        Some(c) => c,
        None => declared_crs(path, &features)?,
    };
    Ok(RawFile { crs, features })
}

/// The CRS from `.prj`, or WGS84 when there is none and every coordinate is a longitude/latitude.
fn declared_crs(path: &Path, features: &[RawFeature]) -> Result<Crs> {
    let prj = path.with_extension("prj");
    match std::fs::read(&prj) {
        Ok(bytes) => crs_from_prj(&String::from_utf8_lossy(&bytes), &prj),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let lon_lat = features
                .iter()
                .filter_map(|f| f.geometry.as_ref())
                .flat_map(|g| g.coords_iter())
                .all(|c| c.x.abs() <= 180.0 && c.y.abs() <= 90.0);
            if lon_lat {
                Ok(Crs::Wgs84)
            } else {
                Err(Error::data(
                    path,
                    None,
                    Some(super::read::CRS_FIELD),
                    "no .prj beside the .shp and the coordinates are not longitude/latitude: \
                     declare the file's CRS",
                ))
            }
        }
        Err(source) => Err(Error::Io { path: prj, source }),
    }
}

/// The `.dbf` records as JSON properties. The `.cpg` names the encoding when present;
/// otherwise UTF-8 when the text is valid UTF-8, else the code page the header declares, or
/// Windows-1252 (which covers Latin-1), the usual encoding of Portuguese `.dbf` files.
fn read_dbf(dbf: &Path, cpg: &Path) -> Result<Vec<Map<String, Value>>> {
    let fail = |e: dbase::Error| Error::data(dbf, None, None, e.to_string());
    // GDAL writes an empty date as `00000000`, which the dbase crate refuses: such files are
    // read from a copy with those dates blanked (the empty date dBase itself writes).
    let bytes = std::fs::read(dbf).map_err(|source| Error::Io {
        path: dbf.to_path_buf(),
        source,
    })?;
    let blanked = super::dbf_dates::blank_zero_dates(bytes);
    let open = |enc: DynEncoding| -> std::result::Result<Dbf, dbase::Error> {
        let builder = dbase::ReaderBuilder::new().with_encoding(enc);
        match &blanked {
            Some(b) => builder
                .build(std::io::Cursor::new(b.as_slice()))
                .map(Dbf::Memory),
            None => builder.open(dbf).map(Dbf::File),
        }
    };
    let declared = std::fs::read_to_string(cpg)
        .ok()
        .and_then(|label| encoding_for_label(&label));
    let records = match declared {
        Some(enc) => open(to_dbase(enc)).and_then(|mut r| r.read()),
        None => {
            let mut mark = None;
            let strict = open(dbase::Unicode.into()).and_then(|mut r| {
                mark = Some(r.code_page_mark());
                r.read()
            });
            match strict {
                Ok(records) => Ok(records),
                Err(_) => {
                    let fallback = match mark {
                        Some(dbase::CodePageMark::Undefined | dbase::CodePageMark::Utf8) | None => {
                            None
                        }
                        Some(m) => m.to_encoding(),
                    };
                    open(fallback.unwrap_or_else(|| to_dbase(encoding_rs::WINDOWS_1252)))
                        .and_then(|mut r| r.read())
                }
            }
        }
    }
    .map_err(fail)?;
    Ok(records.into_iter().map(properties).collect())
}

/// A `.dbf` reader over the file itself, or over a corrected copy in memory.
enum Dbf<'a> {
    File(dbase::Reader<std::io::BufReader<std::fs::File>>),
    Memory(dbase::Reader<std::io::Cursor<&'a [u8]>>),
}

impl Dbf<'_> {
    fn code_page_mark(&self) -> dbase::CodePageMark {
        match self {
            Dbf::File(r) => r.header().code_page_mark,
            Dbf::Memory(r) => r.header().code_page_mark,
        }
    }

    fn read(&mut self) -> std::result::Result<Vec<dbase::Record>, dbase::Error> {
        match self {
            Dbf::File(r) => r.read(),
            Dbf::Memory(r) => r.read(),
        }
    }
}

fn to_dbase(enc: &'static encoding_rs::Encoding) -> DynEncoding {
    dbase::encoding::EncodingRs::from(enc).into()
}

/// The encoding a `.cpg` names: a WHATWG label ("UTF-8", "ISO-8859-1") or a Windows code page.
fn encoding_for_label(label: &str) -> Option<&'static encoding_rs::Encoding> {
    let l = label.trim().trim_start_matches('\u{feff}');
    let digits = l.trim_start_matches(|c: char| !c.is_ascii_digit());
    match digits {
        "65001" => Some(encoding_rs::UTF_8),
        "1252" | "28591" => Some(encoding_rs::WINDOWS_1252),
        _ => encoding_rs::Encoding::for_label(l.as_bytes()),
    }
}

fn properties(record: dbase::Record) -> Map<String, Value> {
    record
        .into_iter()
        .map(|(name, v)| {
            let value = match v {
                FieldValue::Character(s) => s.map(Value::String).unwrap_or(Value::Null),
                FieldValue::Memo(s) => Value::String(s),
                FieldValue::Numeric(n) => n.map(number).unwrap_or(Value::Null),
                FieldValue::Float(n) => n.map(|n| number(f64::from(n))).unwrap_or(Value::Null),
                FieldValue::Double(n) | FieldValue::Currency(n) => number(n),
                FieldValue::Integer(n) => Value::from(n),
                FieldValue::Logical(b) => b.map(Value::Bool).unwrap_or(Value::Null),
                FieldValue::Date(d) => d
                    .map(|d| {
                        Value::String(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
                    })
                    .unwrap_or(Value::Null),
                FieldValue::DateTime(dt) => {
                    let d = dt.date();
                    Value::String(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
                }
            };
            (name, value)
        })
        .collect()
}

/// Whole numbers as integers, so codes and counts read back as "12", not "12.0".
fn number(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() < 9.0e15 {
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}

fn coord<P: HasXY>(p: &P) -> Coord {
    Coord { x: p.x(), y: p.y() }
}

fn geometry(shape: Shape) -> Option<Geometry> {
    Some(match shape {
        Shape::NullShape | Shape::Multipatch(_) => return None,
        Shape::Point(p) => Geometry::Point(coord(&p).into()),
        Shape::PointM(p) => Geometry::Point(coord(&p).into()),
        Shape::PointZ(p) => Geometry::Point(coord(&p).into()),
        Shape::Multipoint(m) => multipoint(m.points()),
        Shape::MultipointM(m) => multipoint(m.points()),
        Shape::MultipointZ(m) => multipoint(m.points()),
        Shape::Polyline(l) => lines(l.parts()),
        Shape::PolylineM(l) => lines(l.parts()),
        Shape::PolylineZ(l) => lines(l.parts()),
        Shape::Polygon(p) => polygons(p.rings()),
        Shape::PolygonM(p) => polygons(p.rings()),
        Shape::PolygonZ(p) => polygons(p.rings()),
    })
}

fn multipoint<P: HasXY>(pts: &[P]) -> Geometry {
    Geometry::MultiPoint(MultiPoint(pts.iter().map(|p| coord(p).into()).collect()))
}

fn lines<P: HasXY>(parts: &[Vec<P>]) -> Geometry {
    Geometry::MultiLineString(MultiLineString(
        parts
            .iter()
            .map(|p| LineString(p.iter().map(coord).collect()))
            .collect(),
    ))
}

/// Rings to (Multi)Polygons: each hole into the smallest outer ring that contains it; a hole
/// inside no outer ring is taken as an outer ring (as GDAL does).
fn polygons<P: HasXY>(rings: &[PolygonRing<P>]) -> Geometry {
    let ring = |pts: &[P]| LineString(pts.iter().map(coord).collect());
    let mut outers: Vec<Polygon> = Vec::new();
    let mut holes: Vec<LineString> = Vec::new();
    for r in rings {
        match r {
            PolygonRing::Outer(pts) => outers.push(Polygon::new(ring(pts), vec![])),
            PolygonRing::Inner(pts) => holes.push(ring(pts)),
        }
    }
    let areas: Vec<f64> = outers.iter().map(|p| p.unsigned_area()).collect();
    for hole in holes {
        let inside = |p: &Polygon| {
            let (Some(outer), Some(h)) = (p.bounding_rect(), hole.bounding_rect()) else {
                return false;
            };
            outer.contains(&h)
                && hole
                    .coords()
                    .any(|c| Polygon::new(p.exterior().clone(), vec![]).contains(c))
        };
        let owner = if outers.len() == 1 {
            Some(0)
        } else {
            (0..outers.len())
                .filter(|&i| i < areas.len() && inside(&outers[i]))
                .min_by(|&a, &b| areas[a].total_cmp(&areas[b]))
        };
        match owner {
            Some(i) => outers[i].interiors_push(hole),
            None => outers.push(Polygon::new(hole, vec![])),
        }
    }
    // Out in the GeoJSON order (counter-clockwise exteriors), which geodesic areas assume.
    let mut mp = MultiPolygon(outers).orient(Direction::Default);
    match mp.0.len() {
        1 => Geometry::Polygon(mp.0.remove(0)),
        _ => Geometry::MultiPolygon(mp),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: f64, y0: f64, size: f64, clockwise: bool) -> Vec<shapefile::Point> {
        let mut pts = vec![
            shapefile::Point::new(x0, y0),
            shapefile::Point::new(x0 + size, y0),
            shapefile::Point::new(x0 + size, y0 + size),
            shapefile::Point::new(x0, y0 + size),
            shapefile::Point::new(x0, y0),
        ];
        if clockwise {
            pts.reverse();
        }
        pts
    }

    #[test]
    fn holes_go_to_the_outer_ring_that_holds_them_whatever_the_order() {
        // Two islands, the hole of the first listed last.
        let rings = vec![
            PolygonRing::Outer(square(0.0, 0.0, 10.0, true)),
            PolygonRing::Outer(square(20.0, 0.0, 5.0, true)),
            PolygonRing::Inner(square(2.0, 2.0, 2.0, false)),
        ];
        let Geometry::MultiPolygon(mp) = polygons(&rings) else {
            panic!("two outer rings make a MultiPolygon");
        };
        assert_eq!(mp.0.len(), 2);
        assert_eq!(mp.0[0].interiors().len(), 1);
        assert_eq!(mp.0[1].interiors().len(), 0);
        assert!((mp.signed_area() - (100.0 - 4.0 + 25.0)).abs() < 1e-9);
    }

    #[test]
    fn cpg_labels() {
        assert_eq!(encoding_for_label("UTF-8\n"), Some(encoding_rs::UTF_8));
        assert_eq!(encoding_for_label("1252"), Some(encoding_rs::WINDOWS_1252));
        assert_eq!(
            encoding_for_label("ISO-8859-1"),
            Some(encoding_rs::WINDOWS_1252)
        );
        assert_eq!(
            encoding_for_label("ANSI 1252"),
            Some(encoding_rs::WINDOWS_1252)
        );
    }
}
