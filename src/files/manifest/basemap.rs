//! The base map under the services (`[basemap]`): a local PMTiles archive of vector tiles that
//! Bússola serves itself, or, by the operator's choice, an outside style or raster tiles.
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The vector tile schemas whose layers the shipped styles draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Schema {
    /// Protomaps' basemap layers (`earth`, `water`, `landuse`, `roads`, `places`, `boundaries`…),
    /// as in the public builds at <https://maps.protomaps.com/builds/>.
    Protomaps,
    /// OpenMapTiles' layers (`water`, `landcover`, `transportation`, `place`, `boundary`…).
    OpenMapTiles,
}

impl Schema {
    /// The name the manifest and the style files use (`basemap-<name>.json`).
    pub fn name(self) -> &'static str {
        match self {
            Schema::Protomaps => "protomaps",
            Schema::OpenMapTiles => "openmaptiles",
        }
    }
}

/// The `[basemap]` section. At most one of `pmtiles`, `style_url` and `raster_tiles`; without
/// any, the page shows only the context layers built from the region's own data.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BasemapSpec {
    /// A PMTiles archive (version 3) of vector tiles, relative to the manifest: served by
    /// Bússola itself at `/tiles/base/{z}/{x}/{y}.mvt` and whole at `/basemap.pmtiles`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pmtiles: Option<PathBuf>,
    /// The archive's layer schema; guessed from its layers when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<Schema>,
    /// Shown on the map for the base map; the archive's own attribution when absent. Required
    /// with `raster_tiles`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
    /// An outside MapLibre style drawn under the services: the operator's choice, and the page
    /// then loads that style, its tiles, glyphs and sprites from the servers it names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style_url: Option<String>,
    /// Outside raster tiles, a URL with `{z}`, `{x}` and `{y}`: the operator's choice, and the
    /// page then loads every tile it shows from that server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raster_tiles: Option<String>,
    /// Other servers an outside style loads from (its tiles, glyphs, sprites), e.g.
    /// `["https://tiles.example.org"]`: the page's content security policy lets it reach them,
    /// besides the server of `style_url` or `raster_tiles`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub origins: Vec<String>,
}

impl BasemapSpec {
    /// A spec naming only an archive (`serve --basemap FILE`).
    pub fn archive(path: PathBuf) -> Self {
        BasemapSpec {
            pmtiles: Some(path),
            ..BasemapSpec::default()
        }
    }

    /// Whether the page loads anything from another server for it.
    pub fn is_outside(&self) -> bool {
        self.style_url.is_some() || self.raster_tiles.is_some()
    }

    /// The servers the page may reach for an outside base map: that of `style_url` or
    /// `raster_tiles` (a `{s}`-style placeholder in its host becomes `*`) and `origins`.
    /// Empty for an archive or none.
    pub fn outside_origins(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .style_url
            .iter()
            .chain(&self.raster_tiles)
            .filter_map(|url| {
                let (scheme, rest) = url.split_once("://")?;
                let host = rest.split('/').next()?;
                let host: Vec<String> = host
                    .split('.')
                    .map(|label| {
                        if label.contains('{') {
                            "*".to_string()
                        } else {
                            label.to_string()
                        }
                    })
                    .collect();
                Some(format!("{scheme}://{}", host.join(".")))
            })
            .collect();
        for o in &self.origins {
            let o = o.trim_end_matches('/').to_string();
            if !out.contains(&o) {
                out.push(o);
            }
        }
        out
    }

    /// Refuses a section the page could not use, naming the manifest and the key.
    pub fn check(&self, manifest: &Path) -> Result<()> {
        let err = |field: &str, msg: &str| Err(Error::data(manifest, None, Some(field), msg));
        let given = [
            self.pmtiles.is_some(),
            self.style_url.is_some(),
            self.raster_tiles.is_some(),
        ];
        if given.iter().filter(|g| **g).count() > 1 {
            return err(
                "basemap",
                "name one of pmtiles, style_url and raster_tiles, not several",
            );
        }
        for (field, url) in [
            ("basemap.style_url", &self.style_url),
            ("basemap.raster_tiles", &self.raster_tiles),
        ] {
            if let Some(u) = url {
                if !(u.starts_with("https://") || u.starts_with("http://")) {
                    return err(field, "must be an http(s) address");
                }
            }
        }
        if let Some(u) = &self.raster_tiles {
            if !["{z}", "{x}", "{y}"].iter().all(|p| u.contains(p)) {
                return err("basemap.raster_tiles", "must hold {z}, {x} and {y}");
            }
            if self
                .attribution
                .as_deref()
                .is_none_or(|a| a.trim().is_empty())
            {
                return err(
                    "basemap.attribution",
                    "is required with raster_tiles: the map must name the tiles' source",
                );
            }
        }
        for o in &self.origins {
            let host = o
                .trim_end_matches('/')
                .strip_prefix("https://")
                .or_else(|| o.strip_prefix("http://"))
                .unwrap_or("");
            if host.is_empty() || host.contains(['/', ' ', ';', '\'', '"']) {
                return err(
                    "basemap.origins",
                    "each must be a scheme and host, e.g. https://tiles.example.org",
                );
            }
        }
        if !self.origins.is_empty() && !self.is_outside() {
            return err(
                "basemap.origins",
                "apply to an outside style_url or raster_tiles only",
            );
        }
        if self.schema.is_some() && self.pmtiles.is_none() {
            return err("basemap.schema", "applies to a pmtiles archive only");
        }
        Ok(())
    }

    /// Resolves the archive's path against the manifest's folder.
    pub fn resolve(&mut self, dir: &Path) {
        if let Some(p) = &mut self.pmtiles {
            *p = dir.join(&*p);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_name_the_key() {
        let m = Path::new("region.toml");
        let two = BasemapSpec {
            pmtiles: Some("a.pmtiles".into()),
            style_url: Some("https://example.org/style.json".into()),
            ..Default::default()
        };
        assert!(two
            .check(m)
            .unwrap_err()
            .to_string()
            .contains("not several"));
        let raster = BasemapSpec {
            raster_tiles: Some("https://tile.example.org/{z}/{x}/{y}.png".into()),
            ..Default::default()
        };
        let e = raster.check(m).unwrap_err().to_string();
        assert!(e.contains("basemap.attribution"), "{e}");
        let ok = BasemapSpec {
            attribution: Some("© Example".into()),
            ..raster
        };
        ok.check(m).unwrap();
        assert!(ok.is_outside());
        let bad = BasemapSpec {
            style_url: Some("ftp://x".into()),
            ..Default::default()
        };
        assert!(bad.check(m).unwrap_err().to_string().contains("style_url"));
        BasemapSpec::archive("x.pmtiles".into()).check(m).unwrap();
        let subdomains = BasemapSpec {
            raster_tiles: Some("https://{s}.tile.example.org/{z}/{x}/{y}.png".into()),
            attribution: Some("© Example".into()),
            origins: vec!["https://fonts.example.org/".into()],
            ..Default::default()
        };
        subdomains.check(m).unwrap();
        assert_eq!(
            subdomains.outside_origins(),
            ["https://*.tile.example.org", "https://fonts.example.org"]
        );
        let stray = BasemapSpec {
            origins: vec!["https://x.org".into()],
            ..BasemapSpec::archive("x.pmtiles".into())
        };
        assert!(stray.check(m).unwrap_err().to_string().contains("origins"));
        let bad = BasemapSpec {
            style_url: Some("https://example.org/s.json".into()),
            origins: vec!["https://x.org; script-src *".into()],
            ..Default::default()
        };
        assert!(bad.check(m).unwrap_err().to_string().contains("origins"));
    }
}
