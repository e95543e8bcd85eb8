//! The checks every record goes through, and its conversion into a [`Service`].
use super::{Locate, Record};
use crate::issue::{Issues, Severity};
use crate::model::{Contact, LegalNature, Precision, Provenance, Provider, Service};
use crate::quality::checks::{self, PostalLookup};
use crate::region::manifest::DEFAULT_STALE_AFTER_DAYS;
use crate::region::within::Placement;
use crate::region::Region;
use crate::text::fold;

/// What [`convert`] needs besides the record.
pub struct Context<'a> {
    /// The region the services belong to (municipalities, taxonomy).
    pub region: &'a Region,
    /// Source label for records that name none.
    pub source: &'a str,
    /// Mark every record as demonstration data.
    pub demo: bool,
    /// Places records that have no coordinates.
    pub locate: Option<&'a dyn Locate>,
    /// Today (YYYY-MM-DD), for the stale check; `None` skips it.
    pub today: Option<&'a str>,
    /// A record whose `updated` date is older than this many days is stale.
    pub stale_after_days: u32,
    /// Finds the municipality of a postal code; `None` skips that check.
    pub postal: Option<&'a dyn PostalLookup>,
}

impl<'a> Context<'a> {
    /// A context with no locator, no postal look-up and no stale check.
    pub fn new(region: &'a Region, source: &'a str) -> Self {
        Context {
            region,
            source,
            demo: false,
            locate: None,
            today: None,
            stale_after_days: DEFAULT_STALE_AFTER_DAYS,
            postal: None,
        }
    }
}

/// A record's fields, with the source's own names for messages.
struct Fields<'a>(&'a Record);

impl Fields<'_> {
    fn key<'k>(&'k self, ours: &'k str) -> &'k str {
        self.0.name_of(ours)
    }
    fn get(&self, ours: &str) -> Option<String> {
        self.0.get(ours).map(str::to_string)
    }
}

/// Checks a record and converts it into a [`Service`]; `None` (with an error in `log`) when it
/// cannot be used. Warnings leave the record in.
pub fn convert(r: &Record, cx: &Context<'_>, log: &mut Issues<'_>) -> Option<Service> {
    let place = r.place.as_str();
    let region = cx.region;
    let fields = Fields(r);
    let Some(id) = fields.get("id") else {
        log.push(Severity::Error, place, Some(fields.key("id")), "missing id");
        return None;
    };
    let Some(name) = fields.get("name") else {
        log.push(
            Severity::Error,
            place,
            Some(fields.key("name")),
            "missing name",
        );
        return None;
    };
    let type_code = match fields.get("type") {
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
                // The code or the current name is fine; an old or other name is worth a word.
                if !r.is_current_name(&raw) {
                    log.push(
                        Severity::Warning,
                        place,
                        Some(fields.key("type")),
                        format!(
                            "'{raw}' read as {} ({}): an old or other name",
                            r.code, r.pt
                        ),
                    );
                }
                r.code.clone()
            }
        },
    };
    let (lon, lat, placed) = match (r.point, cx.locate) {
        (Some((lon, lat)), _) => (lon, lat, None),
        (None, Some(locate)) => match locate.locate(r) {
            Some(l) => {
                log.push(
                    Severity::Warning,
                    place,
                    Some("geometry"),
                    format!("no coordinates; placed by {}", l.via),
                );
                (l.lon, l.lat, Some(l.precision))
            }
            None => {
                log.push(
                    Severity::Error,
                    place,
                    Some("geometry"),
                    "no coordinates, and no postal code, locality, parish or municipality to place it by",
                );
                return None;
            }
        },
        (None, None) => {
            log.push(Severity::Error, place, Some("geometry"), "no coordinates");
            return None;
        }
    };
    if let Err((which, msg)) = crate::distance::check_lon_lat(lon, lat) {
        log.push(Severity::Error, place, Some(which), msg);
        return None;
    }
    let stated = fields.get("municipality");
    if let Some(code) = &stated {
        if region.municipality(code).is_none() {
            log.push(
                Severity::Error,
                place,
                Some(fields.key("municipality")),
                format!("municipality {code} is not in region {}", region.id),
            );
            return None;
        }
    }
    let municipality = match region.place(lon, lat, stated.as_deref()) {
        Placement::In(code) => code,
        misplaced => {
            let (field, msg) = misplaced_message(region, &misplaced, lon, lat);
            let field = if field == "municipality" {
                fields.key(field)
            } else {
                field
            };
            log.push(
                Severity::Error,
                place,
                Some(field),
                format!("'{name}' ({id}): {msg}"),
            );
            return None;
        }
    };
    let mut count = |key: &str| -> Option<u32> {
        let raw = fields.get(key)?;
        checks::count(&raw, key)
            .map_err(|m| log.push(Severity::Error, place, Some(fields.key(key)), m))
            .ok()
    };
    let capacity = count("capacity");
    let users = count("users");
    let vacancies = count("vacancies");
    let opening_hours = fields.get("opening_hours");
    if let (Some(c), Some(resp)) = (capacity, region.taxonomy.get(&type_code)) {
        let closed = checks::says_closed(opening_hours.as_deref());
        if let Some(m) = checks::plausible_capacity(c, resp, closed) {
            log.push(Severity::Warning, place, Some(fields.key("capacity")), m);
        }
    }
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
    let email = fields.get("email");
    let phone = fields.get("phone");
    let website = fields.get("website");
    let postal_code = fields.get("postal_code");
    let updated = fields.get("updated");
    let mut warn = |key: &str, m: String| {
        log.push(Severity::Warning, place, Some(fields.key(key)), m);
    };
    if let Some(Err(m)) = email.as_deref().map(checks::email) {
        warn("email", m);
    }
    if let Some(Err(m)) = phone.as_deref().map(checks::phone) {
        warn("phone", m);
    }
    if let Some(Err(p)) = website.as_deref().map(checks::url) {
        warn("website", p.to_string());
    }
    if let Some(pc) = &postal_code {
        if !has_shape(pc, "NNNN-NNN") {
            warn("postal_code", format!("'{pc}' is not a postal code"));
        } else if let Some(m) = cx
            .postal
            .and_then(|l| checks::postal_code(pc, &municipality, l))
        {
            warn("postal_code", m);
        }
    }
    if let Some(u) = &updated {
        if !has_shape(u, "NNNN-NN-NN") || checks::days_from_iso(u).is_none() {
            warn("updated", format!("'{u}' is not a date YYYY-MM-DD"));
        } else if let Some(m) = cx
            .today
            .and_then(|t| checks::stale(u, t, cx.stale_after_days))
        {
            warn("updated", m);
        }
    }
    let nature_raw = fields.get("provider_nature");
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
    let provider_name = fields.get("provider").unwrap_or_else(|| name.clone());
    let provider_id = fields.get("provider_id").unwrap_or_else(|| {
        format!(
            "p-{}",
            fold(&provider_name).replace(|c: char| !c.is_ascii_alphanumeric(), "-")
        )
    });
    let precision = match (placed, fields.get("precision")) {
        (Some(p), _) => p,
        (None, None) => Precision::Unknown,
        (None, Some(p)) => serde_json::from_value(serde_json::Value::String(p.clone()))
            .unwrap_or_else(|_| {
                log.push(
                    Severity::Warning,
                    place,
                    Some(fields.key("precision")),
                    format!("unknown precision '{p}'"),
                );
                Precision::Unknown
            }),
    };
    let demo = cx.demo || fields.get("demo").is_some_and(|d| d == "true");
    let source = fields
        .get("source")
        .unwrap_or_else(|| cx.source.to_string());
    Some(Service {
        name,
        type_code,
        provider: Provider {
            id: provider_id,
            name: provider_name,
            legal_nature,
            contact: Default::default(),
        },
        capacity,
        users,
        vacancies,
        opening_hours,
        contact: Contact {
            phone,
            email,
            website,
        },
        address: fields.get("address"),
        postal_code,
        locality: fields.get("locality"),
        municipality,
        lon,
        lat,
        precision,
        confirmed: None,
        vacancies_declared: None,
        provenance: vec![Provenance {
            source: source.clone(),
            record: id.clone(),
            fields: r.fields.clone(),
        }],
        id,
        source,
        updated,
        demo,
    })
}

/// Why a point is not where its record says (the field to blame, the message).
fn misplaced_message(
    region: &Region,
    placement: &Placement,
    lon: f64,
    lat: f64,
) -> (&'static str, String) {
    let named = |code: &str| match region.municipality(code) {
        Some(m) => format!("{code} {}", m.name),
        None => code.to_string(),
    };
    let tol = crate::region::within::TOLERANCE_M;
    match placement {
        Placement::Misplaced {
            stated,
            found: Some(found),
        } => (
            "municipality",
            format!(
                "coordinates ({lon:.5}, {lat:.5}) fall in {}, not in {} that the record names (more than {tol} m outside it)",
                named(found),
                named(stated)
            ),
        ),
        Placement::Misplaced { stated, found: None } => (
            "geometry",
            format!(
                "coordinates ({lon:.5}, {lat:.5}) fall outside the region, not in {} that the record names",
                named(stated)
            ),
        ),
        _ => (
            "geometry",
            format!("coordinates ({lon:.5}, {lat:.5}) fall outside the region and no municipality is given"),
        ),
    }
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
