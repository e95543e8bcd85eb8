//! The editable fields of a service: their review class, their value, validation with the
//! import's checks, and applying a new value; and an organisation's values. The vocabulary of
//! edits that imports (`ingest`, `catalog`) and reviews (`edit`) share, so it sits below the
//! catalog; `edit` re-exports it as `edit::fields`.
use crate::model::{Contact, Provider, Service};
use crate::quality::checks;
use crate::region::Region;
use crate::{Error, Result};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Every editable field (as named in a patch and in the history) and its review class.
/// `lon` and `lat` are sent together and kept as one field, `position` (`[lon, lat]`).
pub const FIELDS: &[(&str, &str)] = &[
    ("name", "name"),
    ("phone", "contact"),
    ("email", "contact"),
    ("website", "contact"),
    ("address", "address"),
    ("postal_code", "address"),
    ("locality", "address"),
    ("opening_hours", "opening_hours"),
    ("capacity", "capacity"),
    ("users", "capacity"),
    ("vacancies", "vacancies"),
    ("position", "position"),
];

/// The review class of a field (see `[editing]` in the manifest).
pub fn class_of(field: &str) -> Option<&'static str> {
    FIELDS.iter().find(|(f, _)| *f == field).map(|(_, c)| *c)
}

/// A field's new value, with the value it replaces.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    /// The field.
    pub field: String,
    /// The stored value.
    pub old: Value,
    /// The submitted value (normalised: trimmed text, `null` for empty).
    pub new: Value,
}

/// A field's current value as JSON.
pub fn value_of(s: &Service, field: &str) -> Value {
    match field {
        "name" => json!(s.name),
        "phone" => json!(s.contact.phone),
        "email" => json!(s.contact.email),
        "website" => json!(s.contact.website),
        "address" => json!(s.address),
        "postal_code" => json!(s.postal_code),
        "locality" => json!(s.locality),
        "opening_hours" => json!(s.opening_hours),
        "capacity" => json!(s.capacity),
        "users" => json!(s.users),
        "vacancies" => json!(s.vacancies),
        "position" => json!([s.lon, s.lat]),
        _ => Value::Null,
    }
}

/// A one-line text value: trimmed, `None` when empty or null; too long, not text or holding a
/// control character (a line break included) is refused.
pub(crate) fn text(v: &Value, max: usize) -> std::result::Result<Option<String>, String> {
    checked_text(v, max, false)
}

/// [`text`] that may hold line breaks and tabs (opening hours).
pub(crate) fn lines(v: &Value, max: usize) -> std::result::Result<Option<String>, String> {
    checked_text(v, max, true)
}

fn checked_text(v: &Value, max: usize, lines: bool) -> std::result::Result<Option<String>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) if s.chars().count() > max => Err(format!("longer than {max} characters")),
        Value::String(s) => {
            crate::text::no_control(s.trim(), lines)?;
            Ok(Some(s.trim().to_string()).filter(|s| !s.is_empty()))
        }
        _ => Err("must be text or null".into()),
    }
}

fn count(v: &Value, what: &str) -> std::result::Result<Option<u32>, String> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => checks::count(s, what).map(Some),
        Value::Number(n) => checks::count(&n.to_string(), what).map(Some),
        _ => Err(format!("must be a whole number of places, got {v}")),
    }
}

fn position(body: &Map<String, Value>) -> std::result::Result<Option<(f64, f64)>, String> {
    match (body.get("lon"), body.get("lat")) {
        (None, None) => Ok(None),
        (Some(lon), Some(lat)) => match (lon.as_f64(), lat.as_f64()) {
            (Some(lon), Some(lat)) => crate::distance::check_lon_lat(lon, lat)
                .map(|()| Some((lon, lat)))
                .map_err(|(_, m)| m),
            _ => Err("lon and lat must be numbers (WGS84 degrees)".into()),
        },
        _ => Err("lon and lat are sent together".into()),
    }
}

/// Checks a patch (a JSON object of field: value) against the service and the region with the
/// import's checks, and lists the fields it changes. Any problem: [`Error::InvalidFields`]
/// naming every bad field, and nothing is changed.
pub fn validate(
    region: &Region,
    s: &Service,
    body: &Map<String, Value>,
) -> Result<Vec<FieldChange>> {
    let mut bad = BTreeMap::new();
    let mut next = s.clone();
    let mut fields: Vec<&str> = Vec::new();
    for key in body.keys() {
        match key.as_str() {
            "lon" | "lat" => {}
            k if class_of(k).is_some() && k != "position" => fields.push(k),
            // The organisation's, for all its services at once.
            "provider_nature" => {
                bad.insert(
                    "provider_nature".into(),
                    format!(
                        "the organisation's legal nature: PATCH /api/providers/{} with legal_nature",
                        s.provider.id
                    ),
                );
            }
            k => {
                let all: Vec<&str> = FIELDS.iter().map(|(f, _)| *f).collect();
                bad.insert(
                    k.to_string(),
                    format!("not an editable field; one of {}, lon, lat", all.join(", ")),
                );
            }
        }
    }
    match position(body) {
        Ok(None) => {}
        Ok(Some((lon, lat))) => match region.municipality_at(lon, lat) {
            Some(m) => {
                (next.lon, next.lat, next.municipality) = (lon, lat, m.code.clone());
                fields.push("position");
            }
            None => {
                bad.insert(
                    "position".into(),
                    format!("{lon}, {lat} is outside the region"),
                );
            }
        },
        Err(m) => {
            bad.insert("position".into(), m);
        }
    }
    // `position` is already set above, from lon and lat.
    for f in fields.iter().filter(|f| **f != "position") {
        let v = body.get(*f).unwrap_or(&Value::Null);
        if let Err(m) = set(&mut next, f, v) {
            bad.insert((*f).to_string(), m);
        }
    }
    cross_checks(region, &next, &fields, &mut bad);
    if !bad.is_empty() {
        return Err(Error::InvalidFields(bad));
    }
    Ok(fields
        .into_iter()
        .map(|f| FieldChange {
            field: f.to_string(),
            old: value_of(s, f),
            new: value_of(&next, f),
        })
        .filter(|c| c.old != c.new)
        .collect())
}

/// Checks that need more than one field: capacity plausibility, counts within capacity, the
/// postal code's municipality.
fn cross_checks(region: &Region, s: &Service, fields: &[&str], bad: &mut BTreeMap<String, String>) {
    let ok: Vec<&str> = fields
        .iter()
        .copied()
        .filter(|f| !bad.contains_key(*f))
        .collect();
    let touched = |f: &str| ok.contains(&f);
    if let (Some(c), Some(resp)) = (s.capacity, region.taxonomy.get(&s.type_code)) {
        let closed = checks::says_closed(s.opening_hours.as_deref());
        if let Some(m) = checks::plausible_capacity(c, resp, closed).filter(|_| touched("capacity"))
        {
            bad.insert("capacity".into(), m);
        }
    }
    for (f, n) in [("users", s.users), ("vacancies", s.vacancies)] {
        if let (Some(n), Some(c)) = (n, s.capacity) {
            if n > c && (touched(f) || touched("capacity")) && !bad.contains_key("capacity") {
                bad.insert(f.into(), format!("{f} {n} is more than the capacity {c}"));
            }
        }
    }
    if let (Some(pc), Some(g)) = (&s.postal_code, &region.gazetteer) {
        if touched("postal_code") || touched("position") {
            if let Some(m) = checks::postal_code(pc, &s.municipality, g) {
                bad.insert("postal_code".into(), m);
            }
        }
    }
}

/// Puts one field of `from` back into `s` as it was (an imported value held for review leaves
/// the provider's in place).
pub fn keep(s: &mut Service, from: &Service, field: &str) {
    match field {
        "name" => s.name.clone_from(&from.name),
        "phone" => s.contact.phone.clone_from(&from.contact.phone),
        "email" => s.contact.email.clone_from(&from.contact.email),
        "website" => s.contact.website.clone_from(&from.contact.website),
        "address" => s.address.clone_from(&from.address),
        "postal_code" => s.postal_code.clone_from(&from.postal_code),
        "locality" => s.locality.clone_from(&from.locality),
        "opening_hours" => s.opening_hours.clone_from(&from.opening_hours),
        "capacity" => s.capacity = from.capacity,
        "users" => s.users = from.users,
        "vacancies" => s.vacancies = from.vacancies,
        "position" => {
            (s.lon, s.lat) = (from.lon, from.lat);
            s.municipality.clone_from(&from.municipality);
        }
        _ => {}
    }
}

/// Sets one field from a JSON value, checking it alone; the words of the problem otherwise.
fn set(s: &mut Service, field: &str, v: &Value) -> std::result::Result<(), String> {
    match field {
        "name" => s.name = text(v, 200)?.ok_or_else(|| "must not be empty".to_string())?,
        "phone" | "email" | "website" => set_contact(&mut s.contact, field, v)?,
        "address" => s.address = text(v, 300)?,
        "locality" => s.locality = text(v, 100)?,
        "postal_code" => {
            s.postal_code = match text(v, 20)? {
                None => None,
                Some(t) => match crate::geocode::postal::PostalCode::parse(&t) {
                    Some(pc) if pc.cp3.is_some() => Some(pc.to_string()),
                    _ => return Err(format!("'{t}' is not a postal code (NNNN-NNN)")),
                },
            }
        }
        "opening_hours" => s.opening_hours = lines(v, 500)?,
        "capacity" => s.capacity = count(v, "capacity")?,
        "users" => s.users = count(v, "users")?,
        "vacancies" => s.vacancies = count(v, "vacancies")?,
        "position" => {
            let p = v
                .as_array()
                .and_then(|a| Some((a.first()?.as_f64()?, a.get(1)?.as_f64()?)));
            let (lon, lat) = p.ok_or_else(|| "must be [lon, lat]".to_string())?;
            (s.lon, s.lat) = (lon, lat);
        }
        _ => return Err("not an editable field".into()),
    }
    Ok(())
}

/// Sets one way of contact (`phone`, `email`, `website`) with the import's checks.
pub(crate) fn set_contact(
    c: &mut Contact,
    field: &str,
    v: &Value,
) -> std::result::Result<(), String> {
    match field {
        "phone" => {
            c.phone = text(v, 100)?;
            if let Some(p) = &c.phone {
                checks::phone(p)?;
            }
        }
        "email" => {
            c.email = text(v, 200)?;
            if let Some(e) = &c.email {
                checks::email(e)?;
            }
        }
        "website" => {
            c.website = text(v, 500)?;
            if let Some(u) = &c.website {
                checks::url(u).map_err(|p| p.to_string())?;
            }
        }
        _ => return Err("not a way of contact".into()),
    }
    Ok(())
}

/// Applies a new value (already validated) to a service; moving it also sets its municipality.
pub fn apply(region: &Region, s: &mut Service, field: &str, new: &Value) -> Result<()> {
    set(s, field, new).map_err(|m| Error::InvalidFields(BTreeMap::from([(field.into(), m)])))?;
    if field == "position" {
        if let Some(m) = region.municipality_at(s.lon, s.lat) {
            s.municipality = m.code.clone();
        }
    }
    Ok(())
}

/// A patch body holding one field's value (to re-check a pending change when it is approved).
pub fn body_of(field: &str, v: &Value) -> Map<String, Value> {
    let mut m = Map::new();
    match (field, v.as_array()) {
        ("position", Some(a)) => {
            m.insert("lon".into(), a.first().cloned().unwrap_or(Value::Null));
            m.insert("lat".into(), a.get(1).cloned().unwrap_or(Value::Null));
        }
        _ => {
            m.insert(field.into(), v.clone());
        }
    }
    m
}

/// An organisation's field's current value as JSON (`edit::organisation::value_of`).
pub fn org_value_of(p: &Provider, field: &str) -> Value {
    match field {
        "name" => json!(p.name),
        "legal_nature" => json!(p.legal_nature),
        "phone" => json!(p.contact.phone),
        "email" => json!(p.contact.email),
        "website" => json!(p.contact.website),
        _ => Value::Null,
    }
}
