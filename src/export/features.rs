//! Services and municipalities as GeoJSON features.
use crate::coverage::CoverageReport;
use crate::model::{Municipality, Service};
use crate::region::Region;
use crate::taxonomy::Response;
use serde_json::{json, Map, Value};

/// A service as a GeoJSON Feature; `distance_m` is added for nearest results.
pub fn service_feature(s: &Service, region: &Region, distance_m: Option<f64>) -> Value {
    let tax = &region.taxonomy;
    let response = tax.get(&s.type_code);
    let group = response.and_then(|r| tax.group(&r.group));
    let muni = region.municipality(&s.municipality);
    let mut props = json!({
        "id": s.id,
        "name": s.name,
        "type": s.type_code,
        "type_name": response.map(|r| json!({"pt": r.pt, "en": r.en})),
        "group": response.map(|r| r.group.clone()),
        "group_name": group.map(|g| json!({"pt": g.pt, "en": g.en})),
        "tp": response.and_then(|r| r.tp.clone()),
        "subarea": response.and_then(|r| r.subarea.clone()),
        "official_listing": official_listing(s, response, region),
        "provider": s.provider,
        "capacity": s.capacity,
        "users": s.users,
        "vacancies": s.vacancies,
        "vacancies_declared": s.vacancies_declared,
        "confirmed": s.confirmed,
        "opening_hours": s.opening_hours,
        "contact": s.contact,
        "address": s.address,
        "postal_code": s.postal_code,
        "locality": s.locality,
        "municipality": {"code": s.municipality, "name": muni.map(|m| m.name.clone())},
        "precision": s.precision,
        "source": s.source,
        "updated": s.updated,
        "demo": s.demo,
        "provenance": s.provenance,
    });
    if let (Some(d), Some(obj)) = (distance_m, props.as_object_mut()) {
        obj.insert("distance_m".into(), json!((d * 10.0).round() / 10.0));
    }
    json!({
        "type": "Feature",
        "id": s.id,
        "geometry": {"type": "Point", "coordinates": [s.lon, s.lat]},
        "properties": props,
    })
}

/// Carta Social's listing of the service's response in its municipality, when Carta Social
/// codes the response.
fn official_listing(s: &Service, response: Option<&Response>, region: &Region) -> Option<String> {
    let r = response?;
    let (tp, vt) = (r.tp.as_deref()?, r.subarea.as_deref()?);
    region.links.official_listing(vt, tp, &s.municipality)
}

/// A FeatureCollection with extra top-level members.
pub fn collection(features: Vec<Value>, extra: Map<String, Value>) -> Value {
    let mut fc = Map::new();
    fc.insert("type".into(), json!("FeatureCollection"));
    fc.extend(extra);
    fc.insert("features".into(), Value::Array(features));
    Value::Object(fc)
}

/// A municipality with its population and every coverage indicator, as a Feature.
pub fn municipality_feature(m: &Municipality, reports: &[CoverageReport]) -> Value {
    let mut props = Map::new();
    props.insert("code".into(), json!(m.code));
    props.insert("name".into(), json!(m.name));
    props.insert("nuts3".into(), json!(m.nuts3));
    props.insert("region".into(), json!(m.region));
    props.insert("seat".into(), json!(m.seat.as_ref().map(|s| s.0.clone())));
    props.insert("seat_lon".into(), json!(m.seat.as_ref().map(|s| s.1)));
    props.insert("seat_lat".into(), json!(m.seat.as_ref().map(|s| s.2)));
    props.insert("approximate_boundary".into(), json!(m.approximate));
    props.insert("population".into(), json!(m.population));
    for r in reports {
        if let Some(row) = r.municipalities.iter().find(|x| x.code == m.code) {
            let k = r.indicator.key();
            props.insert(format!("{k}_rate"), json!(row.rate));
            props.insert(format!("{k}_capacity"), json!(row.capacity));
            props.insert(format!("{k}_population"), json!(row.population));
            props.insert(format!("{k}_basis"), json!(row.basis));
            props.insert(format!("{k}_gap_class"), json!(row.gap_class));
            props.insert("services_by_group".into(), json!(row.services_by_group));
        }
    }
    let geometry = geojson::Geometry::from(&geo_types::Geometry::MultiPolygon(m.geometry.clone()));
    json!({"type": "Feature", "id": m.code, "geometry": geometry, "properties": props})
}
