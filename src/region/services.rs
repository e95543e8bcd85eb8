//! Service records: field mapping, conversion and checks.
use super::manifest::ServiceFile;
use super::read::{read_any, text, CsvPoints, RawFeature};
use super::{keep, Issues, Region, Severity};
use crate::ingest::{convert, Context, Locate, Record};
use crate::reproject::{transformer, Crs};
use crate::{Error, Result};
use geo_types::Geometry;
use std::collections::HashSet;
use std::path::Path;

/// The service fields a manifest may map (`fields`) or set (`constants`); `lon`/`lat` name
/// CSV coordinate columns.
pub const SERVICE_FIELDS: &[&str] = &[
    "id",
    "name",
    "type",
    "provider",
    "provider_id",
    "provider_nature",
    "capacity",
    "users",
    "vacancies",
    "opening_hours",
    "phone",
    "email",
    "website",
    "address",
    "postal_code",
    "locality",
    "municipality",
    "parish",
    "precision",
    "source",
    "updated",
    "demo",
    "lon",
    "lat",
];

/// What the record checks may use besides the region.
pub(super) struct Checks<'a> {
    pub locate: Option<&'a dyn Locate>,
    pub postal: Option<&'a dyn crate::quality::PostalLookup>,
    pub today: Option<&'a str>,
    pub stale_after_days: u32,
}

/// Loads one service file into `region`; returns the records read and the services accepted.
pub(super) fn load(
    file: &ServiceFile,
    manifest_path: &Path,
    region: &mut Region,
    issues: &mut Vec<crate::region::Issue>,
    checks: &Checks<'_>,
) -> Result<(usize, usize)> {
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
    let key = |ours: &str| {
        file.fields
            .get(ours)
            .map_or(ours, String::as_str)
            .to_string()
    };
    let points = CsvPoints {
        x: Some(key("lon")),
        y: Some(key("lat")),
    };
    let raw = read_any(&file.path, &points)?;
    let crs = match &file.crs {
        Some(c) => Crs::parse(c)?,
        None => raw.crs,
    };
    let t = transformer(crs)?;
    let mut log = Issues {
        file: &file.path,
        list: issues,
    };
    let mut ids: HashSet<String> = region.services.iter().map(|s| s.id.clone()).collect();
    let mut accepted = Vec::new();
    let mut records = 0;
    for f in raw.features.iter().filter(|f| keep(&file.filter, f)) {
        records += 1;
        let Some(record) = record(file, f, t.as_ref(), &mut log) else {
            continue;
        };
        let before = log.list.len();
        let cx = Context {
            demo: file.demo,
            locate: checks.locate,
            postal: checks.postal,
            today: checks.today,
            stale_after_days: checks.stale_after_days,
            ..Context::new(region, &file.source)
        };
        let service = convert(&record, &cx, &mut log);
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
                &f.place,
                Some(&key("id")),
                format!("duplicate id '{}'", service.id),
            );
            continue;
        }
        accepted.push(service);
    }
    let n = accepted.len();
    region.services.extend(accepted);
    Ok((records, n))
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
