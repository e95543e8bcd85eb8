//! The manifest's settings sections: `[editing]`, `[gazetteer]`, `[quality]` and `[surface]`.
use super::{default_code, default_name, Parishes};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

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
    pub(super) fn is_default(&self) -> bool {
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
