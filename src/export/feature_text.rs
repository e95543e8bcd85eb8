//! Service features serialised once and kept: a nearest search or a listing is assembled from
//! their text instead of building and serialising every feature again.
use super::features::service_feature;
use crate::model::{Brief, Facts, Service};
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

/// A kept feature: the brief of the record it was made from, and its text.
type Kept = (Arc<Brief>, Arc<FeatureText>);

/// Features kept by service, each for the brief of the record it was made from (a written
/// service gets a new brief, so its feature is made again), least recently used out first.
/// The index holds briefs only: a feature not kept is made from the full record, read from
/// the store by the caller ([`FeatureCache::missing`] says which).
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

    /// The kept feature of this brief's record, if any.
    fn kept(&self, b: &Arc<Brief>) -> Option<Arc<FeatureText>> {
        let mut entries = self.entries.lock().ok()?;
        let (brief, text) = entries.get(b.id())?;
        Arc::ptr_eq(brief, b).then(|| text.clone())
    }

    /// The briefs among `items` whose feature is not kept: their records are needed.
    pub fn missing(&self, items: &[(Arc<Brief>, Option<f64>)]) -> Vec<Arc<Brief>> {
        items
            .iter()
            .filter(|(b, _)| self.kept(b).is_none())
            .map(|(b, _)| b.clone())
            .collect()
    }

    /// The feature of a brief's record: kept, or made from `record` (when given) and kept.
    pub fn get(
        &self,
        b: &Arc<Brief>,
        record: Option<&Service>,
        region: &Region,
    ) -> Option<Arc<FeatureText>> {
        if let Some(text) = self.kept(b) {
            return Some(text);
        }
        let text = Arc::new(FeatureText::new(record?, region));
        if let Ok(mut entries) = self.entries.lock() {
            entries.put(b.id().to_string(), (b.clone(), text.clone()));
        }
        Some(text)
    }

    /// A FeatureCollection of services (with their distances, for a nearest search) and
    /// extra top-level members, as text. `records` holds the full records of those
    /// [`Self::missing`] named; a service with neither a kept feature nor a record (deleted
    /// meanwhile) is left out.
    pub fn collection(
        &self,
        items: &[(Arc<Brief>, Option<f64>)],
        records: &[Service],
        region: &Region,
        extra: serde_json::Map<String, serde_json::Value>,
    ) -> String {
        let by_id: std::collections::HashMap<&str, &Service> =
            records.iter().map(|s| (s.id.as_str(), s)).collect();
        let mut out = String::with_capacity(256 + items.len() * 2048);
        out.push_str("{\"features\":[");
        let mut first = true;
        for (b, d) in items {
            let Some(text) = self.get(b, by_id.get(b.id()).copied(), region) else {
                continue;
            };
            if !first {
                out.push(',');
            }
            first = false;
            text.write(&mut out, *d);
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
    use crate::model::Codes;

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
        let mut codes = Codes::default();
        let s = example_service();
        let a = Arc::new(Brief::of(&s, &mut codes));
        assert_eq!(cache.missing(&[(a.clone(), None)]).len(), 1);
        let first = cache.get(&a, Some(&s), &region).unwrap();
        assert!(cache.missing(&[(a.clone(), None)]).is_empty(), "kept");
        assert!(Arc::ptr_eq(&first, &cache.get(&a, None, &region).unwrap()));
        let mut changed = example_service();
        changed.name = "Lar Novo".into();
        let b = Arc::new(Brief::of(&changed, &mut codes));
        assert!(
            cache.get(&b, None, &region).is_none(),
            "a new brief: not kept"
        );
        let mut deleted = example_service();
        deleted.id = "deleted".into();
        let gone = Arc::new(Brief::of(&deleted, &mut codes));
        let mut extra = serde_json::Map::new();
        extra.insert("numberReturned".into(), serde_json::json!(2));
        let items = [(a, Some(10.0)), (b, None), (gone, None)];
        let text = cache.collection(&items, &[changed], &region, extra);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["type"], "FeatureCollection");
        assert_eq!(v["numberReturned"], 2);
        assert_eq!(v["features"][0]["properties"]["distance_m"], 10.0);
        assert_eq!(v["features"][1]["properties"]["name"], "Lar Novo");
        assert_eq!(
            v["features"].as_array().unwrap().len(),
            2,
            "a brief with no kept feature and no record is left out"
        );
    }
}
