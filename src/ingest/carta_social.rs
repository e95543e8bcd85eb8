//! Carta Social listings (GEP/MTSSS): one CSV row per social response at one equipment.
//!
//! Columns are recognised by name, ignoring case, accents and punctuation (see [`COLUMNS`]);
//! `;` or `,` delimited, UTF-8 (with or without BOM) or Windows-1252.
use super::norm::{self, column_key};
use super::{Batch, ReadOptions, Record};
use crate::issue::Severity;
use crate::text::fold;
use crate::{Error, Result};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

mod columns;
mod response;
pub use columns::COLUMNS;

/// Reads a Carta Social CSV into records; `options.municipalities` turns Concelho names
/// into DICO codes.
pub fn read(path: &Path, options: &ReadOptions<'_>) -> Result<Batch> {
    let text = norm::decode_text(&norm::read_bytes(path)?);
    let header_line = text.lines().next().unwrap_or_default();
    let delimiter = if header_line.matches(';').count() >= header_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let (mut reader, headers) = norm::csv_reader(&text, delimiter, path)?;
    let mut batch = Batch::new("carta-social", path);
    // Column index → our field; the first column naming a field wins.
    let mut columns: Vec<(usize, &'static str)> = Vec::new();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut ignored = Vec::new();
    for (i, h) in headers.iter().enumerate() {
        let key = column_key(h);
        match COLUMNS
            .iter()
            .find(|(_, names)| names.contains(&key.as_str()))
        {
            Some((ours, _)) if !names.contains_key(*ours) => {
                columns.push((i, ours));
                names.insert(ours.to_string(), h.trim().to_string());
            }
            _ if !key.is_empty() => ignored.push(h.trim().to_string()),
            _ => {}
        }
    }
    if !(names.contains_key("type") || names.contains_key("type_code"))
        || !(names.contains_key("name") || names.contains_key("provider"))
    {
        return Err(Error::data(
            path,
            Some("line 1".into()),
            None,
            "not a Carta Social listing: needs a response column (Resposta social) and an \
             equipment or entity column (Equipamento, Entidade)",
        ));
    }
    if !ignored.is_empty() {
        batch.issue(
            Severity::Warning,
            "line 1",
            None,
            format!("columns not read: {}", ignored.join(", ")),
        );
    }
    let mut seen: HashMap<String, String> = HashMap::new();
    for (i, row) in reader.records().enumerate() {
        let place = match &row {
            Ok(r) => r.position().map(|p| p.line()),
            Err(e) => e.position().map(|p| p.line()),
        }
        .map_or_else(|| format!("line {}", i + 2), |l| format!("line {l}"));
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                batch.issue(
                    Severity::Error,
                    &place,
                    None,
                    format!("unreadable row: {e}"),
                );
                continue;
            }
        };
        if row.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        let values: BTreeMap<&str, &str> = columns
            .iter()
            .filter_map(|&(i, ours)| Some((ours, row.get(i)?.trim())))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        let Some(record) = record(&place, &values, &names, options, &mut batch) else {
            continue;
        };
        let id = record.get("id").unwrap_or_default().to_string();
        if let Some(first) = seen.get(&id) {
            let msg =
                format!("duplicate id '{id}' (the same entity, equipment and response as {first})");
            batch.issue(Severity::Error, &place, Some(record.name_of("id")), msg);
            continue;
        }
        seen.insert(id, place.clone());
        batch.records.push(record);
    }
    Ok(batch)
}

/// One row in our fields; `None` (with an error in the batch) when its coordinates are unreadable.
fn record(
    place: &str,
    v: &BTreeMap<&str, &str>,
    names: &BTreeMap<String, String>,
    options: &ReadOptions<'_>,
    batch: &mut Batch,
) -> Option<Record> {
    let get = |k: &str| v.get(k).copied();
    let mut r = Record::at(place);
    r.names = names.clone();
    for field in [
        "id",
        "provider",
        "provider_id",
        "opening_hours",
        "address",
        "parish",
        "phone",
        "email",
        "website",
    ] {
        r.set(field, get(field).unwrap_or_default());
    }
    let equipment = get("name").or(get("provider")).unwrap_or_default();
    r.set("name", equipment);
    let response = response::read(
        get("type"),
        get("type_code"),
        get("group"),
        options.taxonomy,
    );
    if let (true, Some(column)) = (response.from_code, names.get("type_code")) {
        r.names.insert("type".into(), column.clone());
    }
    if let Some(msg) = response.disagreement {
        batch.issue(Severity::Warning, place, Some(r.name_of("type")), msg);
    }
    let response = response.value;
    r.set("type", &response);
    for field in ["capacity", "users", "vacancies"] {
        r.set(field, norm::whole_number(get(field).unwrap_or_default()));
    }
    if let Some(n) = get("provider_nature") {
        r.set("provider_nature", norm::legal_nature(n).unwrap_or(n));
    }
    if let Some(pc) = get("postal_code") {
        let (code, rest) = norm::split_postal(pc);
        r.set("postal_code", code);
        r.set(
            "locality",
            get("locality").or(rest.as_deref()).unwrap_or_default(),
        );
    } else {
        r.set("locality", get("locality").unwrap_or_default());
    }
    if let Some(m) = get("municipality") {
        norm::set_municipality(&mut r, batch, options.municipalities, m);
    }
    r.set("updated", norm::date(get("updated").unwrap_or_default()));
    if r.get("id").is_none() {
        let entity = get("provider").unwrap_or_default();
        let key = format!("{}|{}|{}", fold(entity), fold(equipment), fold(&response));
        r.set(
            "id",
            format!(
                "cs-{}-{}-{:08x}",
                norm::slug(equipment, 48),
                norm::slug(&response, 24),
                norm::stable_hash(&key) as u32
            ),
        );
    }
    match (get("lon"), get("lat")) {
        (Some(lon), Some(lat)) => match (norm::coordinate(lon), norm::coordinate(lat)) {
            (Some(x), Some(y)) if x == 0.0 && y == 0.0 => batch.issue(
                Severity::Warning,
                place,
                Some(r.name_of("lat")),
                "coordinates 0, 0 read as no coordinates",
            ),
            (Some(x), Some(y)) => r.point = Some((x, y)),
            (x, _) => {
                let (field, raw) = if x.is_none() {
                    ("lon", lon)
                } else {
                    ("lat", lat)
                };
                let msg = format!("'{raw}' is not a coordinate");
                batch.issue(Severity::Error, place, Some(r.name_of(field)), msg);
                return None;
            }
        },
        (None, None) => {}
        _ => batch.issue(
            Severity::Warning,
            place,
            Some(r.name_of("lat")),
            "only one of latitude and longitude given; read as no coordinates",
        ),
    }
    Some(r)
}

#[cfg(test)]
mod tests;
