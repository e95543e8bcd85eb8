//! Service records from any source, checked and converted into [`Service`](crate::model::Service)s.
//!
//! Every source (a manifest's mapped file, a Carta Social listing, OpenStreetMap, HSDS) is first
//! read into [`Record`]s: our field names (see [`crate::region::SERVICE_FIELDS`]) and a WGS84
//! point when the source has one. [`convert`] then does the same checks for all of them, places
//! records without coordinates with a [`Locate`] (the offline gazetteer), and keeps what the
//! source said as [`Provenance`](crate::model::Provenance). A record with errors is left out, never silently: the
//! reason is an [`Issue`].
//!
//! | reader | reads |
//! |---|---|
//! | [`carta_social`] | Carta Social listings of equipment and responses (CSV) |
//! | [`osm`] | OpenStreetMap social facilities and kindergartens (GeoJSON from Overpass) |
//! | [`hsds`] | Open Referral HSDS 3.0 (JSON, or the CSV datapackage) |
//!
//! [`read_source`] picks the reader for a [`SourceKind`] (`carta-social`, `osm`, `hsds`, `auto`)
//! and reprojects to WGS84 from the CRS the file declares or the caller gives. [`screen`]
//! refuses a file whose points mostly lie elsewhere; [`import`] checks every file before
//! writing, and [`plan`] meets the records with what is stored.
pub mod carta_social;
mod convert;
mod grid;
pub mod hsds;
pub mod import;
mod norm;
pub mod osm;
pub mod plan;
pub mod screen;
mod source;

use crate::issue::{Issue, Severity};
use crate::model::Precision;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use convert::{convert, Context};
pub use source::{crs_error, detect, read_source, ReadOptions, SourceKind};

/// One record of a source, in our field names, before it is checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    /// Where it is in its file ("line 4", "feature 12"), for messages.
    pub place: String,
    /// Values by our field name; empty values are left out.
    pub fields: BTreeMap<String, String>,
    /// Position (x, y), when the source gives one: in the batch's [`Batch::crs`] as a reader
    /// makes it, WGS84 longitude and latitude once [`read_source`] returns.
    pub point: Option<(f64, f64)>,
    /// The source's own field name for each of our fields, for messages (ours when absent).
    pub names: BTreeMap<String, String>,
}

impl Record {
    /// A record at `place` with no fields yet.
    pub fn at(place: impl Into<String>) -> Self {
        Record {
            place: place.into(),
            ..Default::default()
        }
    }

    /// Sets a field unless the value is blank; returns the record for chaining.
    pub fn set(&mut self, field: &str, value: impl AsRef<str>) -> &mut Self {
        let v = value.as_ref().trim();
        if !v.is_empty() {
            self.fields.insert(field.to_string(), v.to_string());
        }
        self
    }

    /// A field's value.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.fields.get(field).map(String::as_str)
    }

    /// The source's name for one of our fields (for messages).
    pub fn name_of<'a>(&'a self, field: &'a str) -> &'a str {
        self.names.get(field).map_or(field, String::as_str)
    }
}

/// Where a record without coordinates is, from what it says (postal code, locality...).
pub trait Locate {
    /// A position, how precise it is and how it was found; `None` when nothing matches.
    fn locate(&self, record: &Record) -> Option<Located>;
}

/// The gazetteer places records here, in the loader's layer (the gazetteer sits below it).
impl Locate for crate::geocode::Gazetteer {
    fn locate(&self, r: &Record) -> Option<Located> {
        let q = crate::geocode::Query {
            postal_code: r.get("postal_code"),
            locality: r.get("locality"),
            parish: r.get("parish"),
            municipality: r.get("municipality"),
            address: r.get("address"),
        };
        crate::geocode::Gazetteer::locate(self, &q).map(|p| Located {
            lon: p.lon,
            lat: p.lat,
            precision: p.precision,
            via: p.via,
        })
    }
}

/// A position found for a record without coordinates.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    /// Longitude, WGS84.
    pub lon: f64,
    /// Latitude, WGS84.
    pub lat: f64,
    /// How precise it is.
    pub precision: Precision,
    /// How it was found, in words ("postal code 7000-123 → Évora").
    pub via: String,
}

/// Converts a batch's records (see [`convert`]): the services that passed, in file order, and
/// every problem, the batch's own reading issues first. A record with an error, or whose id was
/// already used in the batch, is left out and said so.
pub fn convert_batch(batch: &Batch, cx: &Context<'_>) -> (Vec<crate::model::Service>, Vec<Issue>) {
    let mut issues = batch.issues.clone();
    let mut log = crate::issue::Issues {
        file: &batch.file,
        list: &mut issues,
    };
    let mut ids = std::collections::HashSet::new();
    let mut out = Vec::new();
    for r in &batch.records {
        let before = log.list.len();
        let service = convert(r, cx, &mut log);
        let errors = log.list[before..]
            .iter()
            .any(|i| i.severity == Severity::Error);
        let Some(service) = service else { continue };
        if errors {
            continue;
        }
        if !ids.insert(service.id.clone()) {
            log.push(
                Severity::Error,
                &r.place,
                Some(r.name_of("id")),
                format!("duplicate id '{}' in this file", service.id),
            );
            continue;
        }
        out.push(service);
    }
    (out, issues)
}

/// The records of one source file and the problems found reading it.
#[derive(Debug, Clone)]
pub struct Batch {
    /// The source label (e.g. `carta-social`, `osm`).
    pub source: String,
    /// The file.
    pub file: PathBuf,
    /// The records.
    pub records: Vec<Record>,
    /// Problems found while reading (records already left out).
    pub issues: Vec<Issue>,
    /// The CRS the file declares (WGS84 when it declares none); the records' points are in
    /// WGS84 once [`read_source`] returns.
    pub crs: crate::reproject::Crs,
}

impl Batch {
    /// An empty batch for a file.
    pub fn new(source: impl Into<String>, file: &Path) -> Self {
        Batch {
            source: source.into(),
            file: file.to_path_buf(),
            records: Vec::new(),
            issues: Vec::new(),
            crs: crate::reproject::Crs::Wgs84,
        }
    }

    /// Records in the file: those read, plus those left out while reading (a duplicate id,
    /// unreadable coordinates, an unreadable row), each of which has an error at its place.
    /// Counting these too keeps a summary's records equal to its accepted plus its rejected.
    pub fn records_in_file(&self) -> usize {
        let kept: std::collections::HashSet<&str> =
            self.records.iter().map(|r| r.place.as_str()).collect();
        let left_out: std::collections::HashSet<&str> = self
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .filter_map(|i| i.place.as_deref())
            .filter(|p| !kept.contains(p))
            .collect();
        self.records.len() + left_out.len()
    }

    /// Records a problem with a record of this file.
    pub fn issue(
        &mut self,
        severity: Severity,
        place: &str,
        field: Option<&str>,
        message: impl Into<String>,
    ) {
        crate::issue::Issues {
            file: &self.file,
            list: &mut self.issues,
        }
        .push(severity, place, field, message);
    }
}
