//! GeoJSON: the features the API serves, in one FeatureCollection with the attribution.
use super::features::{collection, municipality_feature, service_feature};
use super::Data;
use serde_json::{json, Map, Value};

/// Every service as a Feature (the API's properties).
pub(crate) fn service_features(d: &Data) -> Vec<Value> {
    d.services
        .iter()
        .map(|s| service_feature(s, d.region, None))
        .collect()
}

/// Every municipality as a Feature with its population and indicators.
pub(crate) fn municipality_features(d: &Data) -> Vec<Value> {
    d.region
        .municipalities
        .iter()
        .map(|m| municipality_feature(m, &d.reports))
        .collect()
}

fn with_attribution(d: &Data, features: Vec<Value>) -> Value {
    let mut extra = Map::new();
    extra.insert("name".into(), json!(d.title));
    extra.insert("attribution".into(), json!(d.region.attribution));
    collection(features, extra)
}

/// The services layer.
pub(crate) fn services(d: &Data) -> Value {
    with_attribution(d, service_features(d))
}

/// The municipalities layer.
pub(crate) fn municipalities(d: &Data) -> Value {
    with_attribution(d, municipality_features(d))
}
