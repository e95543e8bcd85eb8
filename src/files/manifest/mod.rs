//! The region manifest: a TOML file naming a region's boundary, population and service files,
//! with the field names each file uses. See `geodata/README.md` for the format.
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod basemap;
mod context;
mod links;
mod settings;
pub use basemap::{BasemapSpec, Schema};
pub use context::{ContextSpec, ParishBoundaries};
pub use links::{Links, DEFAULT_OFFICIAL_LISTING};
pub use settings::*;

/// A parsed manifest; paths are resolved against the manifest's folder.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// Stable id (names the database file).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Attribution of every source, shown on the map.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attribution: Vec<String>,
    /// Taxonomy file; the embedded default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub taxonomy: Option<PathBuf>,
    /// Usefulness survey questions; the shipped `geodata/survey.toml` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survey: Option<PathBuf>,
    /// Municipality boundaries.
    pub boundaries: Boundaries,
    /// Population by municipality.
    pub population: PopulationFile,
    /// Service files.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub services: Vec<ServiceFile>,
    /// Coverage targets.
    #[serde(default)]
    pub coverage: Targets,
    /// How to build the population surface.
    #[serde(default)]
    pub surface: SurfaceSpec,
    /// Settings of the quality checks.
    #[serde(default)]
    pub quality: QualitySettings,
    /// Where to place records that have an address but no coordinates (see [`crate::geocode`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gazetteer: Option<GazetteerSpec>,
    /// Which edits by providers go live at once and which wait for review (`[editing]`).
    #[serde(default, skip_serializing_if = "EditingSettings::is_default")]
    pub editing: EditingSettings,
    /// Links to other sites, e.g. Carta Social's official listing (`[links]`).
    #[serde(default, skip_serializing_if = "Links::is_default")]
    pub links: Links,
    /// The base map under the services (`[basemap]`): a local PMTiles archive, or an outside
    /// style or raster tiles by the operator's choice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basemap: Option<BasemapSpec>,
    /// The context layers drawn with the base map: places and parish boundaries (`[context]`).
    #[serde(default, skip_serializing_if = "ContextSpec::is_empty")]
    pub context: ContextSpec,
}

/// A parish table (CSV): municipality code, population and a rural flag (`S` = rural).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parishes {
    /// CSV file.
    pub path: PathBuf,
    /// Column with the municipality code.
    #[serde(default = "default_code")]
    pub code: String,
    /// Column with the parish population.
    pub population: String,
    /// Column with the rural flag.
    pub rural: String,
}

/// Which features of a file to keep: those whose `field` is one of `values`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Filter {
    /// The property to test.
    pub field: String,
    /// The accepted values.
    pub values: Vec<String>,
}

/// The boundaries file and its fields.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Boundaries {
    /// GeoJSON, FlatGeobuf or GeoPackage with (Multi)Polygons.
    pub path: PathBuf,
    /// Field holding the municipality code (DICO).
    #[serde(default = "default_code")]
    pub code: String,
    /// Field holding the name.
    #[serde(default = "default_name")]
    pub name: String,
    /// Field holding the NUTS3 name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nuts3: Option<String>,
    /// Keep only some features.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
    /// CRS to assume, overriding what the file declares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crs: Option<String>,
    /// The boundaries are approximations, not official ones.
    #[serde(default)]
    pub approximate: bool,
}

fn default_code() -> String {
    "dico".into()
}
fn default_name() -> String {
    "concelho".into()
}

/// The population table (CSV, one row per municipality) and its columns.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PopulationFile {
    /// CSV file.
    pub path: PathBuf,
    /// Column with the municipality code.
    #[serde(default = "default_code")]
    pub code: String,
    /// Column of total residents.
    pub total: String,
    /// Column of residents aged 0–14, where published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_0_14: Option<String>,
    /// Column of residents aged 15–24, where published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_15_24: Option<String>,
    /// Column of residents aged 25–64, where published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_25_64: Option<String>,
    /// Column of residents aged 65+, where published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_65_plus: Option<String>,
    /// Column of residents aged 0–2, where published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_0_2: Option<String>,
    /// Column of live births in a year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live_births: Option<String>,
    /// Columns of the seat: name, longitude, latitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat: Option<[String; 3]>,
    /// Keep only some rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
}

/// A file of services, its fields and constants.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceFile {
    /// GeoJSON, FlatGeobuf, GeoPackage or CSV.
    pub path: PathBuf,
    /// Source label for records that name none.
    pub source: String,
    /// Mark every record as demonstration data.
    #[serde(default)]
    pub demo: bool,
    /// CRS to assume, overriding what the file declares.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crs: Option<String>,
    /// Our field name -> the file's field name (see [`crate::region::SERVICE_FIELDS`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: BTreeMap<String, String>,
    /// Our field name -> a value for every record (e.g. `type = "CRECHE"`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub constants: BTreeMap<String, String>,
    /// Keep only some records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
}

/// Coverage targets (rates x100) below which a municipality is flagged.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    /// Older people.
    #[serde(default = "default_elderly")]
    pub elderly: f64,
    /// Early childhood.
    #[serde(default = "default_early")]
    pub early_childhood: f64,
}

fn default_elderly() -> f64 {
    12.0
}
fn default_early() -> f64 {
    33.0
}

impl Default for Targets {
    fn default() -> Self {
        Targets {
            elderly: default_elderly(),
            early_childhood: default_early(),
        }
    }
}

impl Manifest {
    /// Reads a manifest and resolves its paths against its folder.
    pub fn load(path: &Path) -> Result<Self> {
        Self::load_with(path, &[])
    }

    /// Reads a manifest with some values replaced first: each override is a dotted key
    /// (`boundaries.code`, `services.0.fields.name`; numbers index `[[services]]`) and a value,
    /// read as TOML when it parses as a number, boolean or array, as text otherwise. A key the
    /// manifest format does not have is an error naming it.
    pub fn load_with(path: &Path, overrides: &[(String, String)]) -> Result<Self> {
        let text = crate::error::read_text(path)?;
        let mut m: Manifest = if overrides.is_empty() {
            toml::from_str(&text).map_err(|e| {
                let line = e
                    .span()
                    .map(|s| format!("line {}", text[..s.start].matches('\n').count() + 1));
                Error::data(path, line, None, e.message().to_string())
            })?
        } else {
            let mut root: toml::Value = toml::from_str(&text)
                .map_err(|e| Error::data(path, None, None, e.message().to_string()))?;
            for (key, value) in overrides {
                super::overrides::set(&mut root, key, value)
                    .map_err(|msg| Error::data(path, None, Some(key), format!("--set: {msg}")))?;
            }
            serde_path_to_error::deserialize(root).map_err(|e| {
                let at = e.path().to_string();
                let named = overrides
                    .iter()
                    .map(|(k, _)| k.as_str())
                    .find(|k| at.starts_with(k) || k.starts_with(&at))
                    .unwrap_or(&at)
                    .to_string();
                Error::data(
                    path,
                    None,
                    Some(&named),
                    e.into_inner().message().to_string(),
                )
            })?
        };
        let dir = path.parent().unwrap_or(Path::new("."));
        m.boundaries.path = dir.join(&m.boundaries.path);
        m.population.path = dir.join(&m.population.path);
        for s in &mut m.services {
            s.path = dir.join(&s.path);
        }
        if let Some(t) = &mut m.taxonomy {
            *t = dir.join(&*t);
        }
        if let Some(t) = &mut m.survey {
            *t = dir.join(&*t);
        }
        if let Some(p) = &mut m.surface.parishes {
            p.path = dir.join(&p.path);
        }
        if let Some(p) = &mut m.surface.places {
            *p = dir.join(&*p);
        }
        if let Some(p) = &mut m.surface.points {
            p.path = dir.join(&p.path);
        }
        if let Some(b) = &mut m.basemap {
            b.resolve(dir);
        }
        m.context.resolve(dir);
        if let Some(g) = &mut m.gazetteer {
            if let Some(p) = &mut g.postal_codes {
                p.path = dir.join(&p.path);
            }
            for p in [&mut g.places, &mut g.parishes].into_iter().flatten() {
                p.path = dir.join(&p.path);
            }
        }
        Ok(m)
    }
}
