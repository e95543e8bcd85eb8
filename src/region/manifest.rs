//! The region manifest: a TOML file naming a region's boundary, population and service files,
//! with the field names each file uses. See `geodata/README.md` for the format.
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

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
}

/// Field classes of provider edits (`[editing]`): `immediate` ones go live at once, `review`
/// ones wait for a moderator; a class in neither list waits too. Classes: `contact`,
/// `opening_hours`, `vacancies`, `address`, `capacity`, `position`, `name`, `provider`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EditingSettings {
    /// Classes a provider's change applies at once.
    #[serde(default = "default_immediate")]
    pub immediate: Vec<String>,
    /// Classes a provider's change waits for a moderator.
    #[serde(default = "default_review")]
    pub review: Vec<String>,
}

fn default_immediate() -> Vec<String> {
    ["contact", "opening_hours", "vacancies"]
        .map(String::from)
        .to_vec()
}

fn default_review() -> Vec<String> {
    ["position", "capacity", "name"].map(String::from).to_vec()
}

impl Default for EditingSettings {
    fn default() -> Self {
        EditingSettings {
            immediate: default_immediate(),
            review: default_review(),
        }
    }
}

impl EditingSettings {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// Whether a provider's change to a field of this class goes live without review.
    pub fn is_immediate(&self, class: &str) -> bool {
        self.immediate.iter().any(|c| c == class) && !self.review.iter().any(|c| c == class)
    }
}

/// The files of a gazetteer: postal codes, places and parishes, all optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GazetteerSpec {
    /// The postal code table (CSV, e.g. the CTT list).
    #[serde(default)]
    pub postal_codes: Option<PostalCodesFile>,
    /// Named points of localities (e.g. GeoNames places).
    #[serde(default)]
    pub places: Option<PlacesFile>,
    /// Named points of parishes (freguesias).
    #[serde(default)]
    pub parishes: Option<PlacesFile>,
    /// An online geocoder (Nominatim) to ask first; off when absent.
    #[serde(default)]
    pub nominatim_url: Option<String>,
}

/// A postal code table (CSV) and its columns.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostalCodesFile {
    /// CSV file.
    pub path: PathBuf,
    /// Column of the whole code ("7000-123"), instead of `cp4` and `cp3`.
    #[serde(default)]
    pub postal_code: Option<String>,
    /// Column of the 4-digit area.
    #[serde(default = "default_cp4")]
    pub cp4: String,
    /// Column of the 3-digit street part.
    #[serde(default = "default_cp3")]
    pub cp3: String,
    /// Column of the locality.
    #[serde(default = "default_localidade")]
    pub locality: String,
    /// Column of the municipality code (DICO; a 6-digit parish code is cut to its first 4).
    #[serde(default = "default_code")]
    pub code: String,
    /// Column of the municipality's name, when the table has one.
    #[serde(default = "default_name")]
    pub municipality_name: String,
}

/// A file of named points (GeoJSON, FlatGeobuf, GeoPackage, or CSV with `lon`/`lat`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlacesFile {
    /// The file.
    pub path: PathBuf,
    /// Field with the name.
    #[serde(default = "default_place_name")]
    pub name: String,
    /// Field with the municipality code (DICO, or a 6-digit parish code); where a record has
    /// none, its municipality is the one its point falls in.
    #[serde(default = "default_code")]
    pub code: String,
    /// CSV longitude column.
    #[serde(default = "default_lon")]
    pub lon: String,
    /// CSV latitude column.
    #[serde(default = "default_lat")]
    pub lat: String,
    /// CRS to assume, overriding what the file declares.
    #[serde(default)]
    pub crs: Option<String>,
}

fn default_cp4() -> String {
    "cp4".into()
}
fn default_cp3() -> String {
    "cp3".into()
}
fn default_localidade() -> String {
    "localidade".into()
}
fn default_place_name() -> String {
    "name".into()
}

/// Settings of the quality checks (`[quality]`).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct QualitySettings {
    /// A record whose `updated` date is older than this many days is reported as stale.
    #[serde(default = "default_stale_after_days")]
    pub stale_after_days: u32,
}

/// Two years: Carta Social is refreshed yearly, so a record missed by two refreshes is suspect.
pub const DEFAULT_STALE_AFTER_DAYS: u32 = 730;

fn default_stale_after_days() -> u32 {
    DEFAULT_STALE_AFTER_DAYS
}

impl Default for QualitySettings {
    fn default() -> Self {
        QualitySettings {
            stale_after_days: DEFAULT_STALE_AFTER_DAYS,
        }
    }
}

/// How to place the population of each municipality (see [`crate::surface`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurfaceSpec {
    /// Grid spacing, km.
    #[serde(default = "default_grid_km")]
    pub grid_km: f64,
    /// Share of residents at the seat where no parish table says otherwise.
    #[serde(default = "default_seat_share")]
    pub seat_share: f64,
    /// A parish table giving each municipality's urban share.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parishes: Option<Parishes>,
    /// Settlements (points, e.g. GeoNames places) that share the urban part with the seat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub places: Option<PathBuf>,
    /// The region's own surface (points with weights), used instead of the rule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<SurfacePoints>,
}

/// A file of weighted points (GeoJSON, FlatGeobuf, GeoPackage, or CSV with `lon`/`lat`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurfacePoints {
    /// The file.
    pub path: PathBuf,
    /// Field with the residents.
    pub total: String,
    /// Field with the residents aged 65+, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_65_plus: Option<String>,
    /// Field with the children aged 0–2, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_0_2: Option<String>,
    /// CSV longitude column.
    #[serde(default = "default_lon")]
    pub lon: String,
    /// CSV latitude column.
    #[serde(default = "default_lat")]
    pub lat: String,
}

fn default_lon() -> String {
    "lon".into()
}
fn default_lat() -> String {
    "lat".into()
}

fn default_grid_km() -> f64 {
    2.0
}
fn default_seat_share() -> f64 {
    0.5
}

impl Default for SurfaceSpec {
    fn default() -> Self {
        SurfaceSpec {
            grid_km: default_grid_km(),
            seat_share: default_seat_share(),
            parishes: None,
            places: None,
            points: None,
        }
    }
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
