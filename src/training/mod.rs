//! Training offers' rules: checking a submission, which offers a public list shows and in what
//! order, and the open formats an offer is given in (iCalendar, schema.org JSON-LD). The
//! record is [`crate::model::training::Offer`]; writes with review and history are in
//! [`crate::edit`]'s `training`.
pub mod atom;
pub mod check;
pub mod csv;
pub mod ics;
pub mod jsonld;
pub mod page;
pub mod query;

pub use check::{apply, Context, FIELDS};

use crate::model::training::Offer;
use crate::region::Region;
use serde_json::{json, Value};

/// An offer as a GeoJSON feature: its fields as properties (with the municipality's name, and
/// the distance from the point asked about when there is one), its place as a point (none
/// online).
pub fn feature(o: &Offer, region: &Region, distance_m: Option<f64>) -> Value {
    let mut props = match serde_json::to_value(o) {
        Ok(Value::Object(m)) => m,
        _ => serde_json::Map::new(),
    };
    props.remove("position");
    let name = o
        .municipality
        .as_deref()
        .and_then(|c| region.municipality(c))
        .map(|m| m.name.clone());
    props.insert("municipality_name".into(), json!(name));
    if let Some(d) = distance_m {
        props.insert("distance_m".into(), json!(d.round()));
    }
    let geometry = o.position.map_or(
        Value::Null,
        |[lon, lat]| json!({"type": "Point", "coordinates": [lon, lat]}),
    );
    json!({"type": "Feature", "id": o.id, "geometry": geometry, "properties": props})
}
