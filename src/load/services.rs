//! Service records: field mapping, conversion and checks.
use crate::files::manifest::ServiceFile;
use crate::files::read::{read_with_crs, text, CsvPoints, RawFeature};
use crate::ingest::{convert_batch, crs_error, Batch, Context, Locate, Record};
use crate::issue::{Issue, Issues, Severity};
use crate::region::{keep, Region, SERVICE_FIELDS};
use crate::reproject::{transformer, Crs};
use crate::{Error, Result};
use geo_types::Geometry;
use std::collections::HashSet;
use std::path::Path;

/// What the record checks may use besides the region.
pub(super) struct Checks<'a> {
    pub locate: Option<&'a dyn Locate>,
    pub postal: Option<&'a dyn crate::geocode::PostalLookup>,
    pub today: Option<&'a str>,
    pub stale_after_days: u32,
}

/// The SHA-256 of a file (hex), `None` when it cannot be read (reading it reports why).
pub(super) fn sha256(path: &Path) -> Option<String> {
    use sha2::{Digest, Sha256};
    let bytes = std::fs::read(path).ok()?;
    Some(
        Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    )
}

/// Reads a mapped service file (as a manifest's `[[services]]` entry describes it) into
/// records in our field names, with points in WGS84.
pub fn read_batch(file: &ServiceFile, manifest_path: &Path) -> Result<Batch> {
    for k in file.fields.keys().chain(file.constants.keys()) {
        if !SERVICE_FIELDS.contains(&k.as_str()) {
            return Err(Error::data(
                manifest_path,
                None,
                Some(k),
                format!(
                    "unknown service field; expected one of {}",
                    SERVICE_FIELDS.join(", ")
                ),
            ));
        }
    }
    let points = CsvPoints {
        x: Some(key(file, "lon")),
        y: Some(key(file, "lat")),
    };
    let crs = file
        .crs
        .as_deref()
        .map(Crs::parse)
        .transpose()
        .map_err(|e| crs_error(&file.path, &e))?;
    let raw = read_with_crs(&file.path, &points, crs)?;
    let t = transformer(raw.crs).map_err(|e| crs_error(&file.path, &e))?;
    let mut batch = Batch::new(&file.source, &file.path);
    batch.crs = raw.crs;
    let mut log = Issues {
        file: &file.path,
        list: &mut batch.issues,
    };
    for f in raw.features.iter().filter(|f| keep(&file.filter, f)) {
        if let Some(r) = record(file, f, t.as_ref(), &mut log) {
            batch.records.push(r);
        }
    }
    Ok(batch)
}

fn key(file: &ServiceFile, ours: &str) -> String {
    file.fields
        .get(ours)
        .map_or(ours, String::as_str)
        .to_string()
}

/// Loads one service file into `region`; returns the records read and the services accepted.
pub(super) fn load(
    file: &ServiceFile,
    manifest_path: &Path,
    region: &mut Region,
    issues: &mut Vec<Issue>,
    checks: &Checks<'_>,
) -> Result<(usize, usize)> {
    let batch = read_batch(file, manifest_path)?;
    if let Some(refusal) = crate::ingest::screen::screen(&batch, region) {
        issues.extend(batch.issues.iter().cloned());
        issues.push(Issue {
            severity: Severity::Error,
            file: file.path.clone(),
            place: None,
            field: Some("geometry".into()),
            message: refusal.to_string(),
        });
        return Ok((batch.records_in_file(), 0));
    }
    let cx = Context {
        demo: file.demo,
        locate: checks.locate,
        postal: checks.postal,
        today: checks.today,
        stale_after_days: checks.stale_after_days,
        ..Context::new(region, &file.source)
    };
    let (services, found) = convert_batch(&batch, &cx);
    issues.extend(found);
    // Ids must also be unique across the manifest's files.
    let mut ids: HashSet<String> = region.services.iter().map(|s| s.id.clone()).collect();
    let mut accepted = Vec::new();
    for s in services {
        if ids.insert(s.id.clone()) {
            accepted.push(s);
        } else {
            issues.push(Issue {
                severity: Severity::Error,
                file: file.path.clone(),
                place: None,
                field: Some(key(file, "id")),
                message: format!("duplicate id '{}' (already in another file)", s.id),
            });
        }
    }
    let n = accepted.len();
    region.services.extend(accepted);
    Ok((batch.records_in_file(), n))
}

/// A file's feature in our field names: mapped fields, constants, and the point in WGS84.
fn record(
    file: &ServiceFile,
    f: &RawFeature,
    t: &dyn crate::reproject::ToWgs84,
    log: &mut Issues<'_>,
) -> Option<Record> {
    let mut r = Record::at(&f.place);
    for ours in SERVICE_FIELDS {
        let theirs = file.fields.get(*ours).map_or(*ours, String::as_str);
        if theirs != *ours {
            r.names.insert(ours.to_string(), theirs.to_string());
        }
        if let Some(v) = file
            .constants
            .get(*ours)
            .cloned()
            .or_else(|| text(&f.props, theirs))
        {
            r.set(ours, v);
        }
    }
    match &f.geometry {
        Some(Geometry::Point(p)) => match t.to_wgs84(p.x(), p.y()) {
            Ok(v) => r.point = Some(v),
            Err(e) => {
                log.push(Severity::Error, &f.place, Some("geometry"), e.to_string());
                return None;
            }
        },
        Some(_) => {
            log.push(Severity::Error, &f.place, Some("geometry"), "not a Point");
            return None;
        }
        None => {}
    }
    Some(r)
}
