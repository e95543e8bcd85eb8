//! The base map under the services, as configured: a local PMTiles archive ([`Archive`]) that
//! Bússola serves itself, or (the operator's choice) an outside style or raster tiles, or
//! nothing beyond the region's own context layers.
use super::archive::Archive;
use crate::files::manifest::BasemapSpec;
use crate::Result;
use serde_json::{json, Value};
use std::sync::Arc;

/// The base map being served.
#[derive(Debug, Clone, Default)]
pub struct Basemap {
    /// What the manifest (or `serve --basemap`) says.
    pub spec: BasemapSpec,
    /// The archive, opened, when the spec names one.
    pub archive: Option<Arc<Archive>>,
}

impl Basemap {
    /// Opens what a spec names (the archive is read and checked now, so a bad file stops the
    /// start with its name and what is wrong); no spec is no base map.
    pub fn open(spec: Option<&BasemapSpec>) -> Result<Self> {
        let Some(spec) = spec else {
            return Ok(Basemap::default());
        };
        let archive = match &spec.pmtiles {
            Some(path) => Some(Arc::new(Archive::open(
                path,
                spec.schema,
                spec.attribution.as_deref(),
            )?)),
            None => None,
        };
        Ok(Basemap {
            spec: spec.clone(),
            archive,
        })
    }

    /// What kind of base map the page gets: `pmtiles` (served here), `style` or `raster`
    /// (outside, by the operator's choice) or `context` (the region's own layers only).
    pub fn kind(&self) -> &'static str {
        if self.archive.is_some() {
            "pmtiles"
        } else if self.spec.style_url.is_some() {
            "style"
        } else if self.spec.raster_tiles.is_some() {
            "raster"
        } else {
            "context"
        }
    }

    /// Whom the map names for the base map, if anyone.
    pub fn attribution(&self) -> Option<String> {
        match &self.archive {
            Some(a) => Some(a.attribution().to_string()),
            None => self.spec.attribution.clone(),
        }
    }

    /// Whether the page loads anything from another server for it.
    pub fn is_outside(&self) -> bool {
        self.archive.is_none() && self.spec.is_outside()
    }

    /// The style file (in `styles/`, without `.json`) holding the layers for the archive's
    /// schema, when an archive is served.
    pub fn layers_style(&self) -> Option<String> {
        self.archive
            .as_ref()
            .map(|a| format!("basemap-{}", a.schema().name()))
    }

    /// The page's base map style, `/styles/basemap.json`: `context` (the context layers'
    /// style, `styles/basemap.json`) with the base map's own layers before them — those of
    /// `layers` (the schema's style file, see [`Basemap::layers_style`]) for an archive, a
    /// raster layer for outside raster tiles. An outside style is named in the metadata
    /// (`bussola:outside-style`) for the page to fetch: the server never asks another server.
    /// With any of them, the context layers marked `bussola:without-base` (the towns, which the
    /// base map names itself) are left out. `bussola:basemap` in the metadata says what the
    /// page got.
    pub fn style(&self, context: Value, layers: Option<Value>) -> Value {
        let mut style = context;
        let full = self.kind() != "context";
        let mut base_layers: Vec<Value> = Vec::new();
        let mut base_sources = serde_json::Map::new();
        if let Some(archive) = &self.archive {
            if let Some(l) = layers {
                if let Some(src) = l.get("sources").and_then(Value::as_object) {
                    base_sources.extend(src.clone());
                }
                base_layers.extend(
                    l.get("layers")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter(|x| x["type"] != "background")
                        // Only the layers the archive has: MapLibre refuses a style naming a
                        // source layer its TileJSON does not list (a partial extract, say).
                        .filter(|x| {
                            x["source-layer"].as_str().is_none_or(|sl| {
                                archive.layers().is_empty()
                                    || archive.layers().iter().any(|have| have == sl)
                            })
                        })
                        .cloned(),
                );
            }
        } else if let Some(url) = &self.spec.raster_tiles {
            base_sources.insert(
                "base".into(),
                json!({"type": "raster", "tiles": [url], "tileSize": 256,
                       "attribution": self.spec.attribution.clone().unwrap_or_default()}),
            );
            // Washed out, so the services and the coverage stay what the eye finds first.
            base_layers.push(json!({
                "id": "base-raster", "type": "raster", "source": "base",
                "metadata": {"bussola:slot": "over"},
                "paint": {"raster-opacity": 0.75, "raster-saturation": -0.6}
            }));
        }
        if let Some(sources) = style.get_mut("sources").and_then(Value::as_object_mut) {
            sources.extend(base_sources);
        }
        if let Some(own) = style.get_mut("layers").and_then(Value::as_array_mut) {
            if full {
                own.retain(|l| l["metadata"]["bussola:without-base"] != true);
            }
            let context_layers = std::mem::take(own);
            own.extend(base_layers);
            own.extend(context_layers);
        }
        let about = json!({
            "kind": self.kind(),
            "outside": self.is_outside(),
            "attribution": self.attribution(),
        });
        if let Some(meta) = style.get_mut("metadata").and_then(Value::as_object_mut) {
            meta.insert("bussola:basemap".into(), about);
            if let Some(url) = &self.spec.style_url {
                meta.insert("bussola:outside-style".into(), json!(url));
            }
        }
        style
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn context() -> Value {
        json!({"version": 8, "metadata": {}, "sources": {"context": {"type": "vector", "url": "/tiles/context.json"}},
               "layers": [{"id": "context-seats", "type": "circle"},
                          {"id": "context-towns", "type": "symbol", "metadata": {"bussola:without-base": true}}]})
    }

    fn ids(style: &Value) -> Vec<&str> {
        style["layers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["id"].as_str().unwrap())
            .collect()
    }

    #[test]
    fn the_default_is_the_context_layers_alone() {
        let s = Basemap::default().style(context(), None);
        assert_eq!(ids(&s), ["context-seats", "context-towns"]);
        assert_eq!(s["metadata"]["bussola:basemap"]["kind"], "context");
        assert_eq!(s["metadata"]["bussola:basemap"]["outside"], false);
    }

    #[test]
    fn outside_choices_are_named_and_the_towns_left_to_them() {
        let raster = Basemap {
            spec: BasemapSpec {
                raster_tiles: Some("https://tile.example.org/{z}/{x}/{y}.png".into()),
                attribution: Some("© Example".into()),
                ..Default::default()
            },
            archive: None,
        };
        let s = raster.style(context(), None);
        assert_eq!(ids(&s), ["base-raster", "context-seats"]);
        assert_eq!(
            s["sources"]["base"]["tiles"][0],
            "https://tile.example.org/{z}/{x}/{y}.png"
        );
        assert_eq!(s["sources"]["base"]["attribution"], "© Example");
        assert_eq!(s["metadata"]["bussola:basemap"]["outside"], true);
        let outside = Basemap {
            spec: BasemapSpec {
                style_url: Some("https://example.org/style.json".into()),
                ..Default::default()
            },
            archive: None,
        };
        let s = outside.style(context(), None);
        assert_eq!(ids(&s), ["context-seats"]);
        assert_eq!(
            s["metadata"]["bussola:outside-style"],
            "https://example.org/style.json"
        );
        assert_eq!(s["metadata"]["bussola:basemap"]["kind"], "style");
    }
}
