//! FlatGeobuf: the GeoJSON features written as a binary, indexed file in WGS84. Scalar
//! properties become typed columns; nested ones (provider, contact, names) JSON columns, so the
//! file carries the same properties as the GeoJSON export.
use crate::{Error, Result};
use flatgeobuf::{ColumnType, FgbCrs, FgbWriter, FgbWriterOptions, GeometryType};
use geozero::{ColumnValue, PropertyProcessor};
use serde_json::Value;

fn fgb_err(e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("fgb: {e}"))
}

/// The narrowest column type that holds every non-null value of a property.
fn column_type(values: impl Iterator<Item = Value>) -> ColumnType {
    let mut kind: Option<ColumnType> = None;
    for v in values {
        let this = match v {
            Value::Null => continue,
            Value::Bool(_) => ColumnType::Bool,
            Value::Number(n) if n.is_i64() => ColumnType::Long,
            Value::Number(_) => ColumnType::Double,
            Value::String(_) => ColumnType::String,
            Value::Array(_) | Value::Object(_) => ColumnType::Json,
        };
        kind = Some(match (kind, this) {
            (None, t) => t,
            (Some(a), b) if a == b => a,
            (Some(ColumnType::Long), ColumnType::Double)
            | (Some(ColumnType::Double), ColumnType::Long) => ColumnType::Double,
            _ => ColumnType::Json,
        });
    }
    kind.unwrap_or(ColumnType::String)
}

/// Writes GeoJSON features (WGS84) as FlatGeobuf, with the attribution as its description.
pub(crate) fn write(
    title: &str,
    geometry_type: GeometryType,
    features: &[Value],
    attribution: &[String],
) -> Result<Vec<u8>> {
    let props = |f: &Value| f.get("properties").and_then(Value::as_object).cloned();
    let mut names: Vec<String> = Vec::new();
    for f in features {
        for k in props(f)
            .into_iter()
            .flat_map(|p| p.into_iter().map(|(k, _)| k))
        {
            if !names.contains(&k) {
                names.push(k);
            }
        }
    }
    let types: Vec<ColumnType> = names
        .iter()
        .map(|k| {
            column_type(
                features
                    .iter()
                    .filter_map(|f| f["properties"].get(k).cloned()),
            )
        })
        .collect();
    let description = attribution.join("; ");
    let mut fgb = FgbWriter::create_with_options(
        title,
        geometry_type,
        FgbWriterOptions {
            crs: FgbCrs {
                code: 4326,
                ..Default::default()
            },
            title: Some(title),
            description: Some(&description),
            ..Default::default()
        },
    )
    .map_err(fgb_err)?;
    for (name, ty) in names.iter().zip(&types) {
        fgb.add_column(name, *ty, |_, col| col.nullable = true);
    }
    for f in features {
        let geometry = f
            .get("geometry")
            .cloned()
            .ok_or_else(|| fgb_err("a feature without geometry"))?;
        let geometry: geojson::Geometry = serde_json::from_value(geometry).map_err(fgb_err)?;
        let geometry = geo_types::Geometry::<f64>::try_from(geometry).map_err(fgb_err)?;
        let p = props(f).unwrap_or_default();
        let mut failed = None;
        fgb.add_feature_geom(geometry, |w| {
            for (i, (name, ty)) in names.iter().zip(&types).enumerate() {
                let Some(v) = p.get(name).filter(|v| !v.is_null()) else {
                    continue;
                };
                let text = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                let value = match (*ty, v) {
                    (ColumnType::Bool, Value::Bool(b)) => ColumnValue::Bool(*b),
                    (ColumnType::Long, Value::Number(n)) => {
                        ColumnValue::Long(n.as_i64().unwrap_or_default())
                    }
                    (ColumnType::Double, Value::Number(n)) => {
                        ColumnValue::Double(n.as_f64().unwrap_or(f64::NAN))
                    }
                    (ColumnType::String, _) => ColumnValue::String(&text),
                    _ => ColumnValue::Json(&text),
                };
                if let Err(e) = w.property(i, name, &value) {
                    failed.get_or_insert(e);
                }
            }
        })
        .map_err(fgb_err)?;
        if let Some(e) = failed {
            return Err(fgb_err(e));
        }
    }
    let mut out = Vec::new();
    fgb.write(&mut out).map_err(fgb_err)?;
    Ok(out)
}
