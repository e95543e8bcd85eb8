//! Readers for the vector and table formats a region's files may come in.
//!
//! Every reader yields [`RawFeature`]s: properties as JSON values, an optional geometry, and
//! the place in the file ("feature 12", "line 7") for error messages. Geometries come back in
//! the file's own CRS, which the reader also reports.
use crate::reproject::Crs;
use crate::{Error, Result};
use geo_types::Geometry;
use serde_json::{Map, Value};
use std::path::Path;

pub use super::raw::{RawFeature, RawFile};

/// Options for reading CSV points.
#[derive(Debug, Clone, Default)]
pub struct CsvPoints {
    /// Column of the x (longitude) coordinate.
    pub x: Option<String>,
    /// Column of the y (latitude) coordinate.
    pub y: Option<String>,
}

/// Reads a file by its extension: `.geojson`/`.json`, `.fgb`, `.gpkg`, `.shp` or `.csv`.
pub fn read_any(path: &Path, csv_points: &CsvPoints) -> Result<RawFile> {
    read_with_crs(path, csv_points, None)
}

/// Like [`read_any`], with the CRS the manifest sets (`crs = "EPSG:NNNN"`), which wins over
/// the file's own; a Shapefile without a usable `.prj` needs it.
pub fn read_with_crs(path: &Path, csv_points: &CsvPoints, crs: Option<Crs>) -> Result<RawFile> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let mut file = match ext.as_str() {
        "geojson" | "json" => read_geojson(path),
        "fgb" => read_fgb(path),
        "gpkg" => read_gpkg(path),
        "shp" => super::shapefile::read_shp(path, crs),
        "csv" => read_csv(path, csv_points),
        _ => Err(Error::data(
            path,
            None,
            None,
            "unknown file type: expected .geojson, .json, .fgb, .gpkg, .shp or .csv",
        )),
    }?;
    if let Some(crs) = crs {
        file.crs = crs;
    }
    Ok(file)
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Reads a GeoJSON FeatureCollection (honouring a legacy `crs` member).
pub fn read_geojson(path: &Path) -> Result<RawFile> {
    let text = std::fs::read_to_string(path).map_err(io(path))?;
    parse_geojson(&text, path)
}

/// Parses JSON text; an error names `path` and the line.
pub fn parse_json(text: &str, path: &Path) -> Result<Value> {
    serde_json::from_str(text).map_err(|e| {
        Error::data(
            path,
            Some(format!("line {}", e.line())),
            None,
            e.to_string(),
        )
    })
}

/// Parses GeoJSON text; `path` names it in errors.
pub fn parse_geojson(text: &str, path: &Path) -> Result<RawFile> {
    let root = parse_json(text, path)?;
    let crs = match root.pointer("/crs/properties/name").and_then(Value::as_str) {
        Some(name) => Crs::parse(name).map_err(|e| crs_error(path, &e))?,
        None => Crs::Wgs84,
    };
    let Some(features) = root.get("features").and_then(Value::as_array) else {
        return Err(Error::data(
            path,
            None,
            Some("features"),
            "not a GeoJSON FeatureCollection",
        ));
    };
    let mut out = Vec::with_capacity(features.len());
    for (i, f) in features.iter().enumerate() {
        let place = format!("feature {}", i + 1);
        let props = match f.get("properties") {
            Some(Value::Object(m)) => m.clone(),
            _ => Map::new(),
        };
        let geometry = match f.get("geometry") {
            None | Some(Value::Null) => None,
            Some(g) => {
                let g: geojson::Geometry = serde_json::from_value(g.clone()).map_err(|e| {
                    Error::data(path, Some(place.clone()), Some("geometry"), e.to_string())
                })?;
                Some(Geometry::<f64>::try_from(g).map_err(|e| {
                    Error::data(path, Some(place.clone()), Some("geometry"), e.to_string())
                })?)
            }
        };
        out.push(RawFeature {
            place,
            props,
            geometry,
        });
    }
    Ok(RawFile { crs, features: out })
}

/// Reads a FlatGeobuf file.
pub fn read_fgb(path: &Path) -> Result<RawFile> {
    use flatgeobuf::{FallibleStreamingIterator, FgbReader};
    use geozero::{FeatureProperties, ToGeo};
    let fail = |e: &dyn std::fmt::Display| Error::data(path, None, None, e.to_string());
    let file = std::fs::File::open(path).map_err(io(path))?;
    let mut reader = std::io::BufReader::new(file);
    let fgb = FgbReader::open(&mut reader).map_err(|e| fail(&e))?;
    let crs = match fgb.header().crs() {
        Some(c) if c.code() > 0 && c.code() != 4326 => {
            Crs::Epsg(u32::try_from(c.code()).map_err(|e| fail(&e))?)
        }
        _ => Crs::Wgs84,
    };
    let mut iter = fgb.select_all().map_err(|e| fail(&e))?;
    let mut out = Vec::new();
    while let Some(f) = iter.next().map_err(|e| fail(&e))? {
        let place = format!("feature {}", out.len() + 1);
        let props = f
            .properties()
            .map_err(|e| fail(&e))?
            .into_iter()
            .map(|(k, v)| (k, Value::String(v)))
            .collect();
        let geometry = f.to_geo().ok();
        out.push(RawFeature {
            place,
            props,
            geometry,
        });
    }
    Ok(RawFile { crs, features: out })
}

/// Reads the first feature table of a GeoPackage (the form in which DGT publishes CAOP).
pub fn read_gpkg(path: &Path) -> Result<RawFile> {
    use geozero::{wkb::GpkgWkb, ToGeo};
    use rusqlite::{types::ValueRef, Connection, OpenFlags};
    let fail = |e: &dyn std::fmt::Display| Error::data(path, None, None, e.to_string());
    if !path.exists() {
        return Err(Error::Io {
            path: path.to_path_buf(),
            source: std::io::Error::from(std::io::ErrorKind::NotFound),
        });
    }
    let db = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| fail(&e))?;
    let (table, column, srs): (String, String, i64) = db
        .query_row(
            "SELECT c.table_name, g.column_name, g.srs_id FROM gpkg_contents c \
             JOIN gpkg_geometry_columns g ON g.table_name = c.table_name \
             WHERE c.data_type = 'features' ORDER BY c.table_name LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .map_err(|e| fail(&e))?;
    let epsg: Option<i64> = db
        .query_row(
            "SELECT organization_coordsys_id FROM gpkg_spatial_ref_sys \
             WHERE srs_id = ?1 AND upper(organization) = 'EPSG'",
            [srs],
            |r| r.get(0),
        )
        .ok();
    let crs = match epsg.unwrap_or(srs) {
        4326 | 0 | -1 => Crs::Wgs84,
        code => Crs::Epsg(u32::try_from(code).map_err(|e| fail(&e))?),
    };
    let quoted = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut stmt = db
        .prepare(&format!("SELECT * FROM {}", quoted(&table)))
        .map_err(|e| fail(&e))?;
    let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
    let mut rows = stmt.query([]).map_err(|e| fail(&e))?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(|e| fail(&e))? {
        let place = format!("feature {}", out.len() + 1);
        let mut props = Map::new();
        let mut geometry = None;
        for (i, name) in names.iter().enumerate() {
            let v = row.get_ref(i).map_err(|e| fail(&e))?;
            if *name == column {
                if let ValueRef::Blob(b) = v {
                    geometry = Some(GpkgWkb(b).to_geo().map_err(|e| {
                        Error::data(path, Some(place.clone()), Some(&column), e.to_string())
                    })?);
                }
                continue;
            }
            let value = match v {
                ValueRef::Null | ValueRef::Blob(_) => Value::Null,
                ValueRef::Integer(n) => Value::from(n),
                ValueRef::Real(x) => Value::from(x),
                ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
            };
            props.insert(name.clone(), value);
        }
        out.push(RawFeature {
            place,
            props,
            geometry,
        });
    }
    Ok(RawFile { crs, features: out })
}

/// Reads a CSV file with a header; points from the named x/y columns when given.
pub fn read_csv(path: &Path, points: &CsvPoints) -> Result<RawFile> {
    let mut reader =
        csv::Reader::from_path(path).map_err(|e| Error::data(path, None, None, e.to_string()))?;
    let headers = reader
        .headers()
        .map_err(|e| Error::data(path, Some("line 1".into()), None, e.to_string()))?
        .clone();
    let mut out = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let place = format!("line {}", i + 2);
        let rec = rec.map_err(|e| Error::data(path, Some(place.clone()), None, e.to_string()))?;
        let props: Map<String, Value> = headers
            .iter()
            .zip(rec.iter())
            .map(|(h, v)| (h.to_string(), Value::String(v.to_string())))
            .collect();
        let coord = |col: &Option<String>| -> Result<Option<f64>> {
            let Some(col) = col else { return Ok(None) };
            match props.get(col).and_then(Value::as_str).map(str::trim) {
                None | Some("") => Ok(None),
                Some(s) => s.replace(',', ".").parse::<f64>().map(Some).map_err(|_| {
                    Error::data(
                        path,
                        Some(place.clone()),
                        Some(col),
                        format!("'{s}' is not a number"),
                    )
                }),
            }
        };
        let geometry = match (coord(&points.x)?, coord(&points.y)?) {
            (Some(x), Some(y)) => Some(Geometry::Point(geo_types::Point::new(x, y))),
            _ => None,
        };
        out.push(RawFeature {
            place,
            props,
            geometry,
        });
    }
    Ok(RawFile {
        crs: Crs::Wgs84,
        features: out,
    })
}

/// A property as trimmed text (numbers rendered); `None` when absent, null or empty.
pub fn text(props: &Map<String, Value>, key: &str) -> Option<String> {
    match props.get(key)? {
        Value::Null => None,
        Value::String(s) => {
            let t = s.trim();
            (!t.is_empty()).then(|| t.to_string())
        }
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        other => Some(other.to_string()),
    }
}

/// The error for a CRS Bússola cannot reproject from, naming the file; the command that read
/// it adds where its user declares a CRS ([`with_crs_hint`]).
pub fn crs_error(path: &Path, e: &crate::reproject::ReprojectError) -> Error {
    Error::data(
        path,
        None,
        Some(CRS_FIELD),
        format!("{e}; the file is refused: declare a known CRS or convert the file to WGS84"),
    )
}

/// The field of the data errors that ask for a file's CRS (see [`with_crs_hint`]).
pub const CRS_FIELD: &str = "crs";

/// Where the user of a command declares a file's CRS, as the errors asking for one name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrsSetting {
    /// `crs = "EPSG:NNNN"` on the file's section of the region manifest (loading a region).
    Manifest,
    /// `--crs EPSG:NNNN` on `bussola import`.
    ImportOption,
}

impl CrsSetting {
    /// What to set, in words, with the usual Portuguese CRS as the example.
    pub fn hint(self) -> &'static str {
        match self {
            CrsSetting::Manifest => {
                "set crs = \"EPSG:NNNN\" for this file in the region manifest \
                 (e.g. crs = \"EPSG:3763\" for ETRS89 / Portugal TM06)"
            }
            CrsSetting::ImportOption => {
                "run the import again with --crs EPSG:NNNN \
                 (e.g. --crs EPSG:3763 for ETRS89 / Portugal TM06)"
            }
        }
    }
}

/// A data error that asks for a file's CRS (field [`CRS_FIELD`]) with `how` its user declares
/// one added to the message, once; any other error as it is.
pub fn with_crs_hint(e: Error, how: CrsSetting) -> Error {
    match e {
        Error::Data {
            path,
            place,
            field,
            message,
        } if field.as_deref() == Some(CRS_FIELD) && !hinted(&message) => Error::Data {
            message: format!("{message}; {}", how.hint()),
            path,
            place,
            field,
        },
        other => other,
    }
}

/// Whether a message already says where to declare the CRS.
fn hinted(message: &str) -> bool {
    [CrsSetting::Manifest, CrsSetting::ImportOption]
        .iter()
        .any(|how| message.contains(how.hint()))
}
