//! The base map under the services, as configured: a local PMTiles archive ([`Archive`]) that
//! Bússola serves itself, or (the operator's choice) an outside style or raster tiles, or
//! nothing beyond the region's own context layers.
use super::archive::Archive;
use crate::files::manifest::BasemapSpec;
use crate::Result;
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
}
