//! Open Referral HSDS 3.0: JSON (flat tables or nested services, as the HSDS API returns
//! them) or the tabular CSV datapackage. One record per `service_at_location`.
//!
//! Both forms are first laid out as tables (nested objects become rows with their foreign
//! keys set), so the same code (`build`) turns either into records.
mod build;

pub use build::VOCABULARY;

use super::norm;
use super::{Batch, ReadOptions};
use crate::{Error, Result};
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::path::Path;

/// The HSDS 3.0 tables this reader uses (`<table>.csv` in the datapackage).
pub const TABLES: &[&str] = &[
    "organizations",
    "organization_identifiers",
    "services",
    "locations",
    "service_at_locations",
    "addresses",
    "phones",
    "schedules",
    "attributes",
    "taxonomy_terms",
    "taxonomies",
];

/// One row of a table: its fields and its place in the source, for messages.
#[derive(Debug, Clone)]
struct Row {
    place: String,
    fields: Map<String, Value>,
}

/// Rows by table name.
type Tables = HashMap<&'static str, Vec<Row>>;

/// Reads an HSDS JSON file, a datapackage folder, its `datapackage.json`, or one of its CSV
/// tables (the folder is read).
pub fn read(path: &Path, options: &ReadOptions<'_>) -> Result<Batch> {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_ascii_lowercase();
    let tables = if path.is_dir() {
        read_package(path)?
    } else if name == "datapackage.json" || name.ends_with(".csv") {
        read_package(path.parent().unwrap_or(Path::new(".")))?
    } else {
        read_json(path)?
    };
    let mut batch = Batch::new("hsds", path);
    build::records(&tables, options, &mut batch);
    Ok(batch)
}

fn read_json(path: &Path) -> Result<Tables> {
    let root = norm::read_json(path)?;
    let mut tables = Tables::new();
    match &root {
        Value::Array(services) => add_all(&mut tables, "services", "services", services, &[]),
        // One object as the HSDS API returns it: a service, a service_at_location (with its
        // service and location) or an organization (with its services).
        Value::Object(o) if o.contains_key("id") && !o.contains_key("contents") => {
            let table = if o.get("service").is_some_and(Value::is_object) {
                "service_at_locations"
            } else if o.get("services").is_some_and(Value::is_array)
                && !o.contains_key("service_at_locations")
            {
                "organizations"
            } else {
                "services"
            };
            add(&mut tables, table, singular(table), &root, &[]);
        }
        Value::Object(o) if TABLES.iter().any(|t| o.contains_key(*t)) || o.contains_key("contents") => {
            for table in TABLES {
                if let Some(Value::Array(items)) = o.get(*table) {
                    add_all(&mut tables, table, table, items, &[]);
                }
            }
            // The HSDS API's paginated lists: of services, or of service_at_locations (each
            // with its service and location).
            if let Some(Value::Array(items)) = o.get("contents") {
                for (i, item) in items.iter().enumerate() {
                    let table = if item.get("service").is_some_and(Value::is_object) {
                        "service_at_locations"
                    } else {
                        "services"
                    };
                    add(&mut tables, table, format!("contents[{i}]"), item, &[]);
                }
            }
        }
        _ => {
            return Err(Error::data(
                path,
                None,
                None,
                "not HSDS: expected services (an array, a `services` or `contents` member, one service or service_at_location) or HSDS tables",
            ))
        }
    }
    Ok(tables)
}

fn add_all(
    tables: &mut Tables,
    table: &'static str,
    at: &str,
    items: &[Value],
    keys: &[(&str, &str)],
) {
    for (i, item) in items.iter().enumerate() {
        add(tables, table, format!("{at}[{i}]"), item, keys);
    }
}

/// Adds one object as a row of `table` (with the foreign `keys` set), and its nested objects
/// as rows of theirs; returns its id.
fn add(
    tables: &mut Tables,
    table: &'static str,
    place: String,
    item: &Value,
    keys: &[(&str, &str)],
) -> String {
    let Value::Object(o) = item else {
        return String::new();
    };
    let mut fields = o.clone();
    for (k, v) in keys {
        fields
            .entry(k.to_string())
            .or_insert_with(|| Value::String(v.to_string()));
    }
    let id = match text(&fields, "id") {
        Some(id) => id,
        None => {
            // A nested object without an id still needs one to be joined.
            let id = format!("{place}#");
            fields.insert("id".into(), Value::String(id.clone()));
            id
        }
    };
    let nested = |key: &str| match o.get(key) {
        Some(Value::Array(a)) => a.clone(),
        Some(v @ Value::Object(_)) => vec![v.clone()],
        _ => Vec::new(),
    };
    let fk: &str = match table {
        "services" => "service_id",
        "service_at_locations" => "service_at_location_id",
        "locations" => "location_id",
        "organizations" => "organization_id",
        _ => "",
    };
    let link_entity = table.trim_end_matches('s');
    let child = |tables: &mut Tables, key: &str, into: &'static str, extra: &[(&str, &str)]| {
        let items = nested(key);
        for (i, it) in items.iter().enumerate() {
            add(tables, into, format!("{place}.{key}[{i}]"), it, extra);
        }
    };
    if !fk.is_empty() {
        child(tables, "phones", "phones", &[(fk, &id)]);
        child(tables, "schedules", "schedules", &[(fk, &id)]);
        child(
            tables,
            "attributes",
            "attributes",
            &[("link_id", &id), ("link_entity", link_entity)],
        );
    }
    match table {
        "services" => {
            child(
                tables,
                "service_at_locations",
                "service_at_locations",
                &[("service_id", &id)],
            );
            if let Some(org) = o.get("organization").filter(|v| v.is_object()) {
                let org_id = add(
                    tables,
                    "organizations",
                    format!("{place}.organization"),
                    org,
                    &[],
                );
                fields.insert("organization_id".into(), Value::String(org_id));
            }
        }
        "service_at_locations" => {
            if let Some(loc) = o.get("location").filter(|v| v.is_object()) {
                let loc_id = add(tables, "locations", format!("{place}.location"), loc, &[]);
                fields.insert("location_id".into(), Value::String(loc_id));
            }
            if let Some(service) = o.get("service").filter(|v| v.is_object()) {
                let sid = add(tables, "services", format!("{place}.service"), service, &[]);
                fields.insert("service_id".into(), Value::String(sid));
            }
        }
        "locations" => {
            child(tables, "addresses", "addresses", &[("location_id", &id)]);
            // HSDS 2.0's name for the same thing.
            child(
                tables,
                "physical_addresses",
                "addresses",
                &[("location_id", &id)],
            );
        }
        "organizations" => {
            child(tables, "services", "services", &[("organization_id", &id)]);
            child(
                tables,
                "organization_identifiers",
                "organization_identifiers",
                &[("organization_id", &id)],
            );
            child(
                tables,
                "locations",
                "locations",
                &[("organization_id", &id)],
            );
        }
        "attributes" => {
            if let Some(term) = o.get("taxonomy_term").filter(|v| v.is_object()) {
                let term_id = add(
                    tables,
                    "taxonomy_terms",
                    format!("{place}.taxonomy_term"),
                    term,
                    &[],
                );
                fields.insert("taxonomy_term_id".into(), Value::String(term_id));
            }
        }
        _ => {}
    }
    tables.entry(table).or_default().push(Row { place, fields });
    id
}

/// Reads the CSV tables of a datapackage folder; paths from `datapackage.json` when it lists
/// them, `<table>.csv` otherwise.
fn read_package(dir: &Path) -> Result<Tables> {
    let mut paths: HashMap<&'static str, std::path::PathBuf> = TABLES
        .iter()
        .map(|t| (*t, dir.join(format!("{t}.csv"))))
        .collect();
    let package = dir.join("datapackage.json");
    if package.exists() {
        let text = norm::decode_text(&norm::read_bytes(&package)?);
        let v: Value = serde_json::from_str(&text).map_err(|e| {
            Error::data(
                &package,
                Some(format!("line {}", e.line())),
                None,
                e.to_string(),
            )
        })?;
        for res in v
            .get("resources")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let (Some(name), Some(p)) = (
                res.get("name").and_then(Value::as_str),
                res.get("path").and_then(Value::as_str),
            ) else {
                continue;
            };
            if let Some(t) = TABLES.iter().find(|t| **t == name || singular(t) == name) {
                paths.insert(t, dir.join(p));
            }
        }
    }
    let mut tables = Tables::new();
    for (table, path) in paths {
        if !path.exists() {
            if ["services", "service_at_locations"].contains(&table) {
                return Err(Error::data(
                    &path,
                    None,
                    None,
                    "an HSDS datapackage needs this table",
                ));
            }
            continue;
        }
        tables.insert(table, read_table(&path)?);
    }
    Ok(tables)
}

fn read_table(path: &Path) -> Result<Vec<Row>> {
    let text = norm::decode_text(&norm::read_bytes(path)?);
    let (mut reader, headers) = norm::csv_reader(&text, b',', path)?;
    let file = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    let mut rows = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let line = rec
            .as_ref()
            .ok()
            .and_then(|r| r.position())
            .map_or(i as u64 + 2, |p| p.line());
        let place = format!("{file} line {line}");
        let rec = rec.map_err(|e| Error::data(path, Some(place.clone()), None, e.to_string()))?;
        let fields = headers
            .iter()
            .zip(rec.iter())
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(h, v)| (h.trim().to_string(), Value::String(v.trim().to_string())))
            .collect();
        rows.push(Row { place, fields });
    }
    Ok(rows)
}

/// A table's resource name in a datapackage ("address" for `addresses`).
fn singular(table: &str) -> String {
    match table {
        "addresses" => "address".into(),
        "taxonomies" => "taxonomy".into(),
        t => t.trim_end_matches('s').into(),
    }
}

/// A field as trimmed text (numbers rendered); `None` when absent, null or blank.
fn text(fields: &Map<String, Value>, key: &str) -> Option<String> {
    match fields.get(key)? {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
