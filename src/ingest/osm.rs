//! OpenStreetMap social facilities and kindergartens, from GeoJSON as Overpass exports it.
//!
//! Tags are read from the feature's properties (Overpass turbo puts them at the top level;
//! older osmtogeojson exports nest them under `tags`), together with the Portuguese property
//! names of the `crechespt` extract (`nome`, `tipo`, `operador`, `morada`, `codigo_postal`,
//! `idade_min_meses`, `dico`...). Ways and relations are placed at an interior point.
use super::norm;
use super::{Batch, ReadOptions, Record};
use crate::issue::Severity;
use crate::text::fold;
use crate::{Error, Result};
use geo::InteriorPoint;
use geo_types::Geometry;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// A feature's tags and properties as text.
type Tags = BTreeMap<String, String>;

/// Reads an OSM GeoJSON FeatureCollection into records (source label `osm`).
pub fn read(path: &Path, _options: &ReadOptions<'_>) -> Result<Batch> {
    let root = norm::read_json(path)?;
    let Some(features) = root.get("features").and_then(Value::as_array) else {
        return Err(Error::data(
            path,
            None,
            Some("features"),
            "not a GeoJSON FeatureCollection",
        ));
    };
    let mut batch = Batch::new("osm", path);
    // A legacy GeoJSON `crs` member: read_source reprojects from it.
    if let Some(name) = root.pointer("/crs/properties/name").and_then(Value::as_str) {
        batch.crs = crate::reproject::Crs::parse(name).map_err(|e| super::crs_error(path, &e))?;
    }
    let mut seen: HashMap<String, String> = HashMap::new();
    for (i, f) in features.iter().enumerate() {
        let place = format!("feature {}", i + 1);
        let tags = tags(f.get("properties"));
        let Some(r) = record(&place, &tags, f.get("geometry"), &mut batch) else {
            continue;
        };
        if let Some(id) = r.get("id") {
            if let Some(first) = seen.get(id) {
                let msg = format!("duplicate id '{id}' (also {first})");
                batch.issue(Severity::Error, &place, Some(r.name_of("id")), msg);
                continue;
            }
            seen.insert(id.to_string(), place.clone());
        }
        batch.records.push(r);
    }
    Ok(batch)
}

fn tags(props: Option<&Value>) -> Tags {
    let mut out = Tags::new();
    let Some(Value::Object(props)) = props else {
        return out;
    };
    let nested = props
        .get("tags")
        .and_then(Value::as_object)
        .into_iter()
        .flatten();
    for (k, v) in props.iter().chain(nested) {
        let text = match v {
            Value::String(s) => s.trim().to_string(),
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => continue,
        };
        if !text.is_empty() {
            out.entry(k.clone()).or_insert(text);
        }
    }
    out
}

/// The first of `keys` the feature has, with its value.
fn first<'t>(tags: &'t Tags, keys: &[&'static str]) -> Option<(&'static str, &'t str)> {
    keys.iter()
        .find_map(|k| tags.get(*k).map(|v| (*k, v.as_str())))
}

fn record(place: &str, tags: &Tags, geometry: Option<&Value>, batch: &mut Batch) -> Option<Record> {
    let mut r = Record::at(place);
    let take = |r: &mut Record, ours: &str, keys: &[&'static str]| {
        let (key, value) = first(tags, keys)?;
        if key != ours {
            r.names.insert(ours.to_string(), key.to_string());
        }
        r.set(ours, value);
        Some(value.to_string())
    };
    take(
        &mut r,
        "name",
        &["name", "nome", "name:pt", "official_name"],
    );
    take(&mut r, "provider", &["operator", "operador"]);
    take(
        &mut r,
        "phone",
        &[
            "phone",
            "contact:phone",
            "telefone",
            "contact:mobile",
            "mobile",
        ],
    );
    take(&mut r, "email", &["email", "contact:email"]);
    take(&mut r, "website", &["website", "contact:website", "url"]);
    take(&mut r, "opening_hours", &["opening_hours"]);
    take(
        &mut r,
        "locality",
        &["addr:city", "addr:place", "addr:village", "localidade"],
    );
    if let Some(c) = take(&mut r, "capacity", &["capacity"]) {
        r.set("capacity", norm::whole_number(&c));
    }
    if let Some(d) = take(&mut r, "updated", &["check_date", "survey:date"]) {
        r.set("updated", norm::date(&d));
    }
    if let Some(pc) = take(&mut r, "postal_code", &["addr:postcode", "codigo_postal"]) {
        let (code, rest) = norm::split_postal(&pc);
        r.set("postal_code", code);
        if r.get("locality").is_none() {
            r.set("locality", rest.unwrap_or_default());
        }
    }
    r.set("address", address(tags));
    if let Some((_, dico)) = first(tags, &["dico"]).filter(|(_, d)| d.len() == 4) {
        r.names.insert("municipality".into(), "dico".into());
        r.set("municipality", dico);
    }
    r.set("provider_nature", nature(tags).unwrap_or_default());
    r.set("precision", "building");
    if let Some(id) = osm_id(tags) {
        r.set("id", id);
    }
    match response(tags) {
        Ok((code, note)) => {
            r.set("type", code);
            if let Some(note) = note {
                batch.issue(Severity::Warning, place, Some("amenity"), note);
            }
        }
        Err(tagging) => {
            let msg = format!("no taxonomy response for {tagging}");
            batch.issue(Severity::Error, place, Some("social_facility"), msg);
            return None;
        }
    }
    match point(geometry) {
        Ok(p) => r.point = p,
        Err(e) => {
            batch.issue(Severity::Error, place, Some("geometry"), e);
            return None;
        }
    }
    Some(r)
}

/// `osm-node-123` from `@id`/`id` ("node/123"), `type` + numeric `id`, or `osm_url`.
fn osm_id(tags: &Tags) -> Option<String> {
    let from_path = |s: &str| {
        let mut parts = s.trim_end_matches('/').rsplit('/');
        let (n, t) = (parts.next()?, parts.next()?);
        let ok = ["node", "way", "relation"].contains(&t) && n.bytes().all(|b| b.is_ascii_digit());
        ok.then(|| format!("osm-{t}-{n}"))
    };
    for key in ["@id", "id"] {
        if let Some(v) = tags.get(key) {
            if v.starts_with("osm-") {
                return Some(v.clone());
            }
            if let Some(id) = from_path(v) {
                return Some(id);
            }
        }
    }
    if let (Some(t), Some(n)) = (tags.get("type"), tags.get("id")) {
        if let Some(id) = from_path(&format!("{t}/{n}")) {
            return Some(id);
        }
    }
    tags.get("osm_url").and_then(|u| from_path(u))
}

fn address(tags: &Tags) -> String {
    if let Some((_, full)) = first(tags, &["addr:full"]) {
        return full.to_string();
    }
    let street = first(tags, &["addr:street", "morada"]).map(|(_, v)| v);
    let number = first(tags, &["addr:housenumber", "numero"]).map(|(_, v)| v);
    match (street, number) {
        (Some(s), Some(n)) => format!("{s}, {n}"),
        (Some(s), None) => s.to_string(),
        _ => String::new(),
    }
}

/// Our legal nature from `operator:type` or the extract's `tipo`, with a Misericórdia named
/// in the name or operator, and a parish social centre marked "private", read as IPSS.
fn nature(tags: &Tags) -> Option<&'static str> {
    let who = fold(&format!(
        "{} {}",
        first(tags, &["name", "nome"]).map_or("", |(_, v)| v),
        first(tags, &["operator", "operador"]).map_or("", |(_, v)| v)
    ));
    if who.contains("misericordia") || who.contains("misericorida") {
        return Some("misericordia");
    }
    let social = ["centro social", "paroquial", "ipss", "solidariedade social"]
        .iter()
        .any(|w| who.contains(w));
    let base = match first(tags, &["operator:type", "tipo"]) {
        Some(("operator:type", t)) => match fold(t).as_str() {
            "public" | "government" | "municipal" | "state" | "regional" => Some("public"),
            "private" | "business" | "commercial" => Some("private_for_profit"),
            // Private non-profits running social responses in Portugal are almost all IPSS.
            "religious" | "ngo" | "charitable" | "charity" | "community" | "non_profit" => {
                Some("ipss")
            }
            "cooperative" => Some("cooperative"),
            _ => None,
        },
        Some((_, t)) => norm::legal_nature(t),
        None => None,
    };
    match base {
        Some("private_for_profit") | None if social => Some("ipss"),
        other => other,
    }
}

/// An age tag in months: the extract's `*_meses`, or OSM's `min_age`/`max_age` in years
/// unless it says months.
fn age_months(tags: &Tags, months_key: &str, osm_key: &str) -> Option<f64> {
    if let Some(m) = tags.get(months_key).and_then(|v| norm::coordinate(v)) {
        return Some(m);
    }
    let raw = fold(tags.get(osm_key)?);
    let number: String = raw
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let n = number.parse::<f64>().ok()?;
    let in_months = raw.contains("month") || raw.contains("mes") || raw.ends_with('m');
    Some(if in_months { n } else { n * 12.0 })
}

/// The response code, with a note when it is a guess; `Err` describes tagging that maps to
/// no response.
fn response(tags: &Tags) -> std::result::Result<(&'static str, Option<String>), String> {
    let amenity = first(tags, &["amenity", "categoria_osm"]).map_or("", |(_, v)| v);
    let facility = tags.get("social_facility").map_or("", String::as_str);
    let for_ = tags.get("social_facility:for").map_or("", String::as_str);
    let who: Vec<String> = for_.split(';').map(|w| fold(w.trim())).collect();
    let is = |groups: &[&str]| who.iter().any(|w| groups.contains(&w.as_str()));
    let senior = is(&["senior", "elderly"]);
    let disabled = is(&["disabled", "mental_health", "intellectual_disability"]);
    let child = is(&["child", "juvenile", "orphan"]);
    if amenity == "kindergarten" || amenity == "childcare" {
        return Ok(early_childhood(tags, amenity));
    }
    let code = match (facility, senior, disabled, child) {
        ("nursing_home" | "assisted_living", _, true, _) => Some("LAR_RESIDENCIAL"),
        ("nursing_home" | "assisted_living", _, _, _) => Some("ERPI"),
        ("group_home", true, _, _) => Some("ERPI"),
        ("group_home", _, true, _) => Some("LAR_RESIDENCIAL"),
        ("group_home" | "shelter", _, _, true) => Some("CASA_ACOLHIMENTO"),
        ("day_care", true, _, _) => Some("CENTRO_DIA"),
        ("day_care", _, true, _) => Some("CACI"),
        ("day_care", _, _, true) => Some("CRECHE"),
        ("outreach" | "home_care", true, _, _) => Some("SAD_IDOSOS"),
        ("outreach" | "home_care", _, true, _) => Some("SAD_DEFICIENCIA"),
        ("shelter", _, _, _) if is(&["homeless"]) => Some("CENTRO_ALOJAMENTO_TEMPORARIO"),
        ("shelter", _, _, _) if is(&["abused", "victim", "domestic_violence"]) => {
            Some("CASA_ABRIGO")
        }
        ("food_bank", _, _, _) => Some("AJUDA_ALIMENTAR"),
        ("soup_kitchen", _, _, _) => Some("CANTINA_SOCIAL"),
        _ => None,
    };
    let code = code.filter(|_| amenity == "social_facility" || amenity.is_empty());
    code.map(|c| (c, None)).ok_or_else(|| {
        let or_none = |v: &str| {
            if v.is_empty() {
                "(none)".to_string()
            } else {
                v.to_string()
            }
        };
        format!(
            "amenity={} social_facility={} social_facility:for={}",
            or_none(amenity),
            or_none(facility),
            or_none(for_)
        )
    })
}

/// Creche when the ages taken in include under-3s, pre-school otherwise; without ages, from
/// the words of the name or `resposta`, and last from the amenity (with a note).
fn early_childhood(tags: &Tags, amenity: &str) -> (&'static str, Option<String>) {
    let min = age_months(tags, "idade_min_meses", "min_age");
    let max = age_months(tags, "idade_max_meses", "max_age");
    match (min, max) {
        (Some(m), _) => return (if m < 36.0 { "CRECHE" } else { "PRE_ESCOLAR" }, None),
        (None, Some(m)) if m <= 36.0 => return ("CRECHE", None),
        _ => {}
    }
    let words = fold(&format!(
        "{} {}",
        tags.get("resposta").map_or("", String::as_str),
        first(tags, &["name", "nome"]).map_or("", |(_, v)| v)
    ));
    if ["creche", "infantario", "bercario"]
        .iter()
        .any(|w| words.contains(w))
    {
        return ("CRECHE", None);
    }
    if [
        "jardim de infancia",
        "jardim infantil",
        "pre-escolar",
        "pre escolar",
    ]
    .iter()
    .any(|w| words.contains(w))
    {
        return ("PRE_ESCOLAR", None);
    }
    let code = if amenity == "childcare" {
        "CRECHE"
    } else {
        "PRE_ESCOLAR"
    };
    (
        code,
        Some(format!(
            "no age range (min_age); read as {code} from amenity={amenity}"
        )),
    )
}

/// The point of a Point, or an interior point of any other geometry; `None` without one.
fn point(geometry: Option<&Value>) -> std::result::Result<Option<(f64, f64)>, String> {
    let Some(g) = geometry.filter(|g| !g.is_null()) else {
        return Ok(None);
    };
    let g: geojson::Geometry = serde_json::from_value(g.clone()).map_err(|e| e.to_string())?;
    let g = Geometry::<f64>::try_from(g).map_err(|e| e.to_string())?;
    let p = match g {
        Geometry::Point(p) => Some(p),
        other => other.interior_point(),
    };
    p.map(|p| Some((p.x(), p.y())))
        .ok_or_else(|| "empty geometry".to_string())
}

#[cfg(test)]
mod tests;
