//! Service records: field mapping, conversion and checks.
use super::manifest::ServiceFile;
use super::read::{read_with_crs, text, CsvPoints, RawFeature};
use super::{keep, Issues, Region, Severity};
use crate::model::{Contact, LegalNature, Precision, Provider, Service};
use crate::reproject::{transformer, Crs};
use crate::text::fold;
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
    "precision",
    "source",
    "updated",
    "demo",
    "lon",
    "lat",
];

struct Fields<'a> {
    file: &'a ServiceFile,
}

impl Fields<'_> {
    fn key<'k>(&'k self, ours: &'k str) -> &'k str {
        self.file.fields.get(ours).map_or(ours, String::as_str)
    }
    fn get(&self, f: &RawFeature, ours: &str) -> Option<String> {
        self.file
            .constants
            .get(ours)
            .cloned()
            .or_else(|| text(&f.props, self.key(ours)))
    }
}

pub(super) fn load(
    file: &ServiceFile,
    manifest_path: &Path,
    region: &mut Region,
    issues: &mut Vec<crate::region::Issue>,
) -> Result<()> {
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
    let fields = Fields { file };
    let points = CsvPoints {
        x: Some(fields.key("lon").to_string()),
        y: Some(fields.key("lat").to_string()),
    };
    let crs = file.crs.as_deref().map(Crs::parse).transpose()?;
    let raw = read_with_crs(&file.path, &points, crs)?;
    let t = transformer(raw.crs)?;
    let mut log = Issues {
        file: &file.path,
        list: issues,
    };
    let mut ids: HashSet<String> = region.services.iter().map(|s| s.id.clone()).collect();
    for f in raw.features.iter().filter(|f| keep(&file.filter, f)) {
        let before = log.list.len();
        let service = convert(&fields, f, region, t.as_ref(), &mut log);
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
                Some(fields.key("id")),
                format!("duplicate id '{}'", service.id),
            );
            continue;
        }
        region.services.push(service);
    }
    Ok(())
}

fn convert(
    fields: &Fields<'_>,
    f: &RawFeature,
    region: &Region,
    t: &dyn crate::reproject::ToWgs84,
    log: &mut Issues<'_>,
) -> Option<Service> {
    let place = f.place.as_str();
    let file = fields.file;
    let Some(id) = fields.get(f, "id") else {
        log.push(Severity::Error, place, Some(fields.key("id")), "missing id");
        return None;
    };
    let Some(name) = fields.get(f, "name") else {
        log.push(
            Severity::Error,
            place,
            Some(fields.key("name")),
            "missing name",
        );
        return None;
    };
    let type_code = match fields.get(f, "type") {
        None => {
            log.push(
                Severity::Error,
                place,
                Some(fields.key("type")),
                "missing response type",
            );
            return None;
        }
        Some(raw) => match region.taxonomy.resolve(&raw) {
            None => {
                log.push(
                    Severity::Error,
                    place,
                    Some(fields.key("type")),
                    format!("unknown response type '{raw}'"),
                );
                return None;
            }
            Some(r) => {
                if r.code != raw {
                    log.push(
                        Severity::Warning,
                        place,
                        Some(fields.key("type")),
                        format!("'{raw}' read as {}", r.code),
                    );
                }
                r.code.clone()
            }
        },
    };
    let (lon, lat) = match &f.geometry {
        Some(Geometry::Point(p)) => match t.to_wgs84(p.x(), p.y()) {
            Ok(v) => v,
            Err(e) => {
                log.push(Severity::Error, place, Some("geometry"), e.to_string());
                return None;
            }
        },
        Some(_) => {
            log.push(Severity::Error, place, Some("geometry"), "not a Point");
            return None;
        }
        None => {
            log.push(Severity::Error, place, Some("geometry"), "no coordinates");
            return None;
        }
    };
    if let Err((which, msg)) = crate::distance::check_lon_lat(lon, lat) {
        log.push(Severity::Error, place, Some(which), msg);
        return None;
    }
    let located = region.municipality_at(lon, lat).map(|m| m.code.clone());
    let municipality = match (fields.get(f, "municipality"), located) {
        (Some(stated), located) => {
            if region.municipality(&stated).is_none() {
                log.push(
                    Severity::Error,
                    place,
                    Some(fields.key("municipality")),
                    format!("municipality {stated} is not in region {}", region.id),
                );
                return None;
            }
            match located {
                Some(l) if l != stated => log.push(Severity::Warning, place, Some(fields.key("municipality")), format!("says {stated} but its coordinates fall in {l}")),
                None => log.push(Severity::Warning, place, Some("geometry"), format!("coordinates ({lon:.5}, {lat:.5}) fall outside every municipality of the region")),
                _ => {}
            }
            stated
        }
        (None, Some(l)) => l,
        (None, None) => {
            log.push(Severity::Error, place, Some("geometry"), format!("coordinates ({lon:.5}, {lat:.5}) fall outside the region and no municipality is given"));
            return None;
        }
    };
    let mut count = |key: &str| -> Option<u32> {
        let raw = fields.get(f, key)?;
        match raw.parse::<u32>() {
            Ok(n) => Some(n),
            Err(_) => {
                log.push(
                    Severity::Error,
                    place,
                    Some(fields.key(key)),
                    format!("'{raw}' is not a whole number of places"),
                );
                None
            }
        }
    };
    let capacity = count("capacity");
    let users = count("users");
    let vacancies = count("vacancies");
    if let (Some(c), Some(u)) = (capacity, users) {
        if u > c {
            log.push(
                Severity::Warning,
                place,
                Some(fields.key("users")),
                format!("{u} users for {c} places"),
            );
        }
    }
    if let (Some(c), Some(v)) = (capacity, vacancies) {
        if v > c {
            log.push(
                Severity::Warning,
                place,
                Some(fields.key("vacancies")),
                format!("{v} vacancies for {c} places"),
            );
        }
    }
    let email = fields.get(f, "email");
    if let Some(e) = &email {
        if !e.contains('@') || e.contains(' ') {
            log.push(
                Severity::Warning,
                place,
                Some(fields.key("email")),
                format!("'{e}' does not look like an e-mail address"),
            );
        }
    }
    let phone = fields.get(f, "phone");
    if let Some(p) = &phone {
        let digits = p.chars().filter(char::is_ascii_digit).count();
        if digits < 9
            || p.chars()
                .any(|c| !(c.is_ascii_digit() || " +-()/;.".contains(c)))
        {
            log.push(
                Severity::Warning,
                place,
                Some(fields.key("phone")),
                format!("'{p}' does not look like a phone number"),
            );
        }
    }
    let postal_code = fields.get(f, "postal_code");
    let updated = fields.get(f, "updated");
    for (key, value, shape, what) in [
        ("postal_code", &postal_code, "NNNN-NNN", "a postal code"),
        ("updated", &updated, "NNNN-NN-NN", "a date YYYY-MM-DD"),
    ] {
        if let Some(v) = value {
            if !has_shape(v, shape) {
                log.push(
                    Severity::Warning,
                    place,
                    Some(fields.key(key)),
                    format!("'{v}' is not {what}"),
                );
            }
        }
    }
    let nature_raw = fields.get(f, "provider_nature");
    let legal_nature = match nature_raw.as_deref().map(LegalNature::parse) {
        None => LegalNature::Unknown,
        Some(Some(n)) => n,
        Some(None) => {
            log.push(
                Severity::Warning,
                place,
                Some(fields.key("provider_nature")),
                format!("unknown legal nature '{}'", nature_raw.unwrap_or_default()),
            );
            LegalNature::Unknown
        }
    };
    let provider_name = fields.get(f, "provider").unwrap_or_else(|| name.clone());
    let provider_id = fields.get(f, "provider_id").unwrap_or_else(|| {
        format!(
            "p-{}",
            fold(&provider_name).replace(|c: char| !c.is_ascii_alphanumeric(), "-")
        )
    });
    let precision = match fields.get(f, "precision") {
        None => Precision::Unknown,
        Some(p) => {
            serde_json::from_value(serde_json::Value::String(p.clone())).unwrap_or_else(|_| {
                log.push(
                    Severity::Warning,
                    place,
                    Some(fields.key("precision")),
                    format!("unknown precision '{p}'"),
                );
                Precision::Unknown
            })
        }
    };
    let demo = file.demo || fields.get(f, "demo").is_some_and(|d| d == "true");
    Some(Service {
        id,
        name,
        type_code,
        provider: Provider {
            id: provider_id,
            name: provider_name,
            legal_nature,
        },
        capacity,
        users,
        vacancies,
        opening_hours: fields.get(f, "opening_hours"),
        contact: Contact {
            phone,
            email,
            website: fields.get(f, "website"),
        },
        address: fields.get(f, "address"),
        postal_code,
        locality: fields.get(f, "locality"),
        municipality,
        lon,
        lat,
        precision,
        source: fields
            .get(f, "source")
            .unwrap_or_else(|| file.source.clone()),
        updated,
        demo,
        provenance: Vec::new(),
    })
}

/// Whether `s` has the shape of `pattern`, where `N` is any ASCII digit and other characters
/// stand for themselves.
fn has_shape(s: &str, pattern: &str) -> bool {
    s.len() == pattern.len()
        && s.chars()
            .zip(pattern.chars())
            .all(|(c, p)| if p == 'N' { c.is_ascii_digit() } else { c == p })
}

#[cfg(test)]
mod tests {
    use super::has_shape;

    #[test]
    fn shapes_of_postal_codes_and_dates() {
        assert!(has_shape("7000-001", "NNNN-NNN"));
        assert!(!has_shape("7000", "NNNN-NNN"));
        assert!(!has_shape("7000 001", "NNNN-NNN"));
        assert!(has_shape("2026-01-15", "NNNN-NN-NN"));
        assert!(!has_shape("15/01/2026", "NNNN-NN-NN"));
    }
}
