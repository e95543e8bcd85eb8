//! The context layers under the services (`[context]`): named places (towns and villages)
//! labelled on the map, and parish boundaries drawn as thin lines, from the region's own files.
use super::PlacesFile;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// The `[context]` section; both files optional. The municipal seats (from `[population]
/// seat`) are context labels whatever this says.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextSpec {
    /// Towns and villages (points; a polygon stands for a point inside it), e.g. GeoNames
    /// places of 1,000+ inhabitants: `name` names the field with the name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub places: Option<PlacesFile>,
    /// Parish (freguesia) boundaries: (Multi)Polygons with a code and a name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parishes: Option<ParishBoundaries>,
}

/// A file of parish boundaries and its fields.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParishBoundaries {
    /// GeoJSON, FlatGeobuf, GeoPackage or Shapefile with (Multi)Polygons.
    pub path: PathBuf,
    /// Field with the parish code (DICOFRE).
    #[serde(default = "default_parish_code")]
    pub code: String,
    /// Field with the parish name.
    #[serde(default = "default_parish_name")]
    pub name: String,
    /// CRS to assume, overriding what the file declares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crs: Option<String>,
}

fn default_parish_code() -> String {
    "dicofre".into()
}

fn default_parish_name() -> String {
    "freguesia".into()
}

impl ContextSpec {
    /// Whether the section is empty (a written manifest leaves it out).
    pub fn is_empty(&self) -> bool {
        self.places.is_none() && self.parishes.is_none()
    }

    /// Resolves the files' paths against the manifest's folder.
    pub(super) fn resolve(&mut self, dir: &Path) {
        if let Some(p) = &mut self.places {
            p.path = dir.join(&p.path);
        }
        if let Some(p) = &mut self.parishes {
            p.path = dir.join(&p.path);
        }
    }
}
