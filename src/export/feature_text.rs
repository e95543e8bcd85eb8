//! Service features serialised once and kept: a nearest search or a listing is assembled from
//! their text instead of building and serialising every feature again.
use super::features::service_feature;
use crate::model::Service;
use crate::region::Region;
use lru::LruCache;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

/// How many features are kept by default (a few KB each).
pub const DEFAULT_FEATURES: usize = 20_000;

/// A service's GeoJSON feature as text, open after its properties so that a distance can be
/// added: `{"geometry":…,"id":…,"properties":{…` (keys in the order `serde_json` writes them).
#[derive(Debug)]
pub struct FeatureText {
    open: String,
}

impl FeatureText {
    /// Serialises a service's feature (as [`service_feature`] makes it).
    pub fn new(s: &Service, region: &Region) -> Self {
        let feature = service_feature(s, region, None);
        let text = |key: &str| feature.get(key).map(|v| v.to_string()).unwrap_or_default();
        let props = text("properties");
        // An object's text ends with its closing brace; the distance goes before it.
        let props = props.strip_suffix('}').unwrap_or("{");
        FeatureText {
            open: format!(
                "{{\"geometry\":{},\"id\":{},\"properties\":{props}",
                text("geometry"),
                text("id")
            ),
        }
    }

    /// Appends the feature to `out`, with `distance_m` (rounded to 0.1 m) when given.
    pub fn write(&self, out: &mut String, distance_m: Option<f64>) {
        out.push_str(&self.open);
        if let Some(d) = distance_m {
            out.push_str(",\"distance_m\":");
            out.push_str(&serde_json::json!((d * 10.0).round() / 10.0).to_string());
        }
        out.push_str("},\"type\":\"Feature\"}");
    }
}

/// A kept feature: the record it was made from, and its text.
type Kept = (Arc<Service>, Arc<FeatureText>);

/// Features kept by service, each for the record it was made from (a written service is a
/// new record, so its feature is made again), least recently used out first.
pub struct FeatureCache {
    entries: Mutex<LruCache<String, Kept>>,
}

impl std::fmt::Debug for FeatureCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FeatureCache").finish_non_exhaustive()
    }
}

impl FeatureCache {
    /// A cache of at most `capacity` features (at least one).
    pub fn new(capacity: usize) -> Self {
        FeatureCache {
            entries: Mutex::new(LruCache::new(
                NonZeroUsize::new(capacity).unwrap_or(NonZeroUsize::MIN),
            )),
        }
    }

    /// The feature of this record of a service: kept, or made and kept.
    pub fn get(&self, s: &Arc<Service>, region: &Region) -> Arc<FeatureText> {
        if let Ok(mut entries) = self.entries.lock() {
            if let Some((record, text)) = entries.get(&s.id) {
                if Arc::ptr_eq(record, s) {
                    return text.clone();
                }
            }
        }
        let text = Arc::new(FeatureText::new(s, region));
        if let Ok(mut entries) = self.entries.lock() {
            entries.put(s.id.clone(), (s.clone(), text.clone()));
        }
        text
    }

    /// A FeatureCollection of services (with their distances, for a nearest search) and
    /// extra top-level members, as text.
    pub fn collection(
        &self,
        services: &[(Arc<Service>, Option<f64>)],
        region: &Region,
        extra: serde_json::Map<String, serde_json::Value>,
    ) -> String {
        let mut out = String::with_capacity(256 + services.len() * 2048);
        out.push_str("{\"features\":[");
        for (i, (s, d)) in services.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            self.get(s, region).write(&mut out, *d);
        }
        out.push(']');
        for (k, v) in &extra {
            out.push(',');
            out.push_str(&serde_json::Value::String(k.clone()).to_string());
            out.push(':');
            out.push_str(&v.to_string());
        }
        out.push_str(",\"type\":\"FeatureCollection\"}");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::example_service;

    fn region() -> Region {
        let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/demo-alentejo-central/region.toml");
        Region::load(&manifest).unwrap().region
    }

    #[test]
    fn the_text_is_the_feature_with_or_without_its_distance() {
        let region = region();
        let s = example_service();
        let text = FeatureText::new(&s, &region);
        for d in [None, Some(1234.56), Some(0.0)] {
            let mut out = String::new();
            text.write(&mut out, d);
            let parsed: serde_json::Value = serde_json::from_str(&out).unwrap();
            assert_eq!(parsed, service_feature(&s, &region, d), "{out}");
        }
    }

    #[test]
    fn a_written_record_is_made_again_and_the_collection_parses() {
        let region = region();
        let cache = FeatureCache::new(10);
        let a = Arc::new(example_service());
        let first = cache.get(&a, &region);
        assert!(Arc::ptr_eq(&first, &cache.get(&a, &region)), "kept");
        let mut changed = example_service();
        changed.name = "Lar Novo".into();
        let b = Arc::new(changed);
        let second = cache.get(&b, &region);
        assert!(!Arc::ptr_eq(&first, &second), "a new record, a new feature");
        let mut extra = serde_json::Map::new();
        extra.insert("numberReturned".into(), serde_json::json!(2));
        let text = cache.collection(&[(a, Some(10.0)), (b, None)], &region, extra);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["type"], "FeatureCollection");
        assert_eq!(v["numberReturned"], 2);
        assert_eq!(v["features"][0]["properties"]["distance_m"], 10.0);
        assert_eq!(v["features"][1]["properties"]["name"], "Lar Novo");
    }
}
