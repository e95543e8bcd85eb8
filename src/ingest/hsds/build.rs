//! HSDS tables joined into one record per `service_at_location`.
use super::{text, Row, Tables};
use crate::ingest::norm;
use crate::ingest::{Batch, ReadOptions, Record};
use crate::issue::Severity;
use crate::taxonomy::Taxonomy;
use crate::text::fold;
use serde_json::{Map, Value};
use std::collections::HashMap;

/// The vocabulary (taxonomy name) of our own terms in `attributes`/`taxonomy_terms`.
pub const VOCABULARY: &str = "bussola";

/// Our fields an `x-bussola` extension or a `bussola` attribute may carry, besides the type.
const EXTENSION_FIELDS: &[&str] = &[
    "capacity",
    "users",
    "vacancies",
    "municipality",
    "parish",
    "precision",
    "provider_nature",
    "updated",
    "demo",
];

type Fields = Map<String, Value>;

/// Rows of one table by id, and rows of another grouped by a foreign key.
struct Index<'a> {
    by_id: HashMap<&'static str, HashMap<String, &'a Fields>>,
    rows: &'a Tables,
}

impl<'a> Index<'a> {
    fn new(tables: &'a Tables) -> Self {
        let mut by_id: HashMap<&'static str, HashMap<String, &'a Fields>> = HashMap::new();
        for (table, rows) in tables {
            let ids = by_id.entry(table).or_default();
            for r in rows {
                if let Some(id) = text(&r.fields, "id") {
                    ids.entry(id).or_insert(&r.fields);
                }
            }
        }
        Index {
            by_id,
            rows: tables,
        }
    }

    fn get(&self, table: &str, id: Option<&str>) -> Option<&'a Fields> {
        self.by_id.get(table)?.get(id?).copied()
    }

    /// Rows of `table` whose `key` is `id`.
    fn linked(&self, table: &str, key: &str, id: Option<&str>) -> Vec<&'a Fields> {
        let (Some(rows), Some(id)) = (self.rows.get(table), id) else {
            return Vec::new();
        };
        rows.iter()
            .map(|r| &r.fields)
            .filter(|f| text(f, key).as_deref() == Some(id))
            .collect()
    }
}

/// Builds the records of every `service_at_location`, and reports services that have none.
pub(super) fn records(tables: &Tables, options: &ReadOptions<'_>, batch: &mut Batch) {
    let ix = Index::new(tables);
    let empty = Vec::new();
    let sals: &Vec<Row> = tables.get("service_at_locations").unwrap_or(&empty);
    let mut sal_count: HashMap<String, usize> = HashMap::new();
    for sal in sals {
        *sal_count
            .entry(text(&sal.fields, "service_id").unwrap_or_default())
            .or_default() += 1;
    }
    for s in tables.get("services").unwrap_or(&empty) {
        let id = text(&s.fields, "id").unwrap_or_default();
        if !sal_count.contains_key(&id) {
            let msg = format!("service '{id}' has no service_at_location, so no place: left out");
            batch.issue(Severity::Error, &s.place, Some("service_at_locations"), msg);
        }
    }
    let mut seen: HashMap<String, String> = HashMap::new();
    for sal in sals {
        let sid = text(&sal.fields, "service_id");
        let Some(service) = ix.get("services", sid.as_deref()) else {
            let msg = format!("service '{}' is not in the file", sid.unwrap_or_default());
            batch.issue(Severity::Error, &sal.place, Some("service_id"), msg);
            continue;
        };
        let lid = text(&sal.fields, "location_id");
        let location = ix.get("locations", lid.as_deref());
        if location.is_none() && lid.is_some() {
            let msg = format!("location '{}' is not in the file", lid.unwrap_or_default());
            batch.issue(Severity::Error, &sal.place, Some("location_id"), msg);
            continue;
        }
        let alone = sal_count.get(sid.as_deref().unwrap_or_default()) == Some(&1);
        let Some(r) = record(&ix, sal, service, location, alone, options, batch) else {
            continue;
        };
        let id = r.get("id").unwrap_or_default().to_string();
        if let Some(first) = seen.get(&id) {
            let msg = format!("duplicate id '{id}' (also {first})");
            batch.issue(Severity::Error, &sal.place, Some("id"), msg);
            continue;
        }
        seen.insert(id, sal.place.clone());
        batch.records.push(r);
    }
}

/// A field of the service's `x-bussola` extension: nested (JSON) or a flattened column
/// (`x-bussola.capacity`, `x_bussola_capacity`).
fn extension(service: &Fields, key: &str) -> Option<String> {
    if let Some(Value::Object(x)) = service.get("x-bussola") {
        if let Some(v) = text(x, key) {
            return Some(v);
        }
    }
    ["x-bussola.", "x-bussola:", "x_bussola_", "x_bussola."]
        .iter()
        .find_map(|p| text(service, &format!("{p}{key}")))
}

fn record(
    ix: &Index<'_>,
    sal: &Row,
    service: &Fields,
    location: Option<&Fields>,
    alone: bool,
    options: &ReadOptions<'_>,
    batch: &mut Batch,
) -> Option<Record> {
    let place = sal.place.as_str();
    let get = |f: Option<&Fields>, k: &str| f.and_then(|f| text(f, k));
    let sid = text(service, "id");
    let sal_id = text(&sal.fields, "id");
    let lid = get(location, "id");
    let org = ix.get("organizations", text(service, "organization_id").as_deref());
    let oid = get(org, "id");
    let mut r = Record::at(place);
    // A service at one place keeps the service's id, so that an export re-imports as itself.
    let id = if alone {
        extension(service, "id").or(sid.clone())
    } else {
        sal_id.clone()
    };
    r.set("id", id.unwrap_or_default());
    r.set(
        "name",
        text(service, "name")
            .or(get(location, "name"))
            .unwrap_or_default(),
    );
    r.set("provider", get(org, "name").unwrap_or_default());
    // Our own provider id when the organization carries it as an identifier.
    let own_provider_id = ix
        .linked(
            "organization_identifiers",
            "organization_id",
            oid.as_deref(),
        )
        .into_iter()
        .filter(|i| text(i, "identifier_scheme").is_some_and(|s| fold(&s) == VOCABULARY))
        .find_map(|i| text(i, "identifier"));
    r.set(
        "provider_id",
        own_provider_id.or(oid.clone()).unwrap_or_default(),
    );
    r.set(
        "email",
        text(service, "email")
            .or(get(org, "email"))
            .unwrap_or_default(),
    );
    let website = text(service, "url")
        .or(get(org, "website"))
        .or(get(org, "url"));
    r.set("website", website.unwrap_or_default());
    if let Some(ls) = get(org, "legal_status") {
        r.set("provider_nature", norm::legal_nature(&ls).unwrap_or(&ls));
    }
    if let Some(m) = text(service, "last_modified") {
        r.set("updated", norm::date(&m));
    }
    // Phones and schedules of the service here, else of the service, else of the place.
    let owners = [
        ("service_at_location_id", sal_id.as_deref()),
        ("service_id", sid.as_deref()),
        ("location_id", lid.as_deref()),
        ("organization_id", oid.as_deref()),
    ];
    let phone = owners.iter().find_map(|(k, id)| {
        ix.linked("phones", k, *id)
            .into_iter()
            .find_map(|p| text(p, "number"))
    });
    r.set("phone", phone.unwrap_or_default());
    let hours = owners[..3].iter().find_map(|(k, id)| {
        let s: Vec<String> = ix
            .linked("schedules", k, *id)
            .into_iter()
            .filter_map(schedule_text)
            .collect();
        (!s.is_empty()).then(|| s.join("; "))
    });
    r.set("opening_hours", hours.unwrap_or_default());
    let addresses = ix.linked("addresses", "location_id", lid.as_deref());
    let address = addresses
        .iter()
        .find(|a| text(a, "address_type").is_none_or(|t| t == "physical"))
        .or(addresses.first());
    if let Some(a) = address {
        let lines: Vec<String> = ["address_1", "address_2"]
            .iter()
            .filter_map(|k| text(a, k))
            .collect();
        r.set("address", lines.join(", "));
        if let Some(pc) = text(a, "postal_code") {
            let (code, rest) = norm::split_postal(&pc);
            r.set("postal_code", code);
            r.set("locality", text(a, "city").or(rest).unwrap_or_default());
        } else {
            r.set("locality", text(a, "city").unwrap_or_default());
        }
    }
    // Our own fields: bussola attributes first, the x-bussola extension over them.
    let mut type_code = None;
    for (code, value) in our_attributes(ix, [sid.as_deref(), sal_id.as_deref()]) {
        match (code.as_str(), value) {
            // Our id of a service at one place (as the export writes it).
            ("id", Some(v)) => {
                if alone && extension(service, "id").is_none() {
                    r.set("id", v);
                }
            }
            // The import's own label names the source.
            ("id" | "source", _) => {}
            (c, Some(v)) if EXTENSION_FIELDS.contains(&c) => {
                r.set(c, v);
            }
            (c, None) if EXTENSION_FIELDS.contains(&c) => {}
            _ => type_code = type_code.or(Some(code)),
        }
    }
    for key in EXTENSION_FIELDS {
        if let Some(v) = extension(service, key) {
            r.names.insert(key.to_string(), format!("x-bussola.{key}"));
            r.set(key, v);
        }
    }
    if let Some(t) = extension(service, "type_code") {
        r.names.insert("type".into(), "x-bussola.type_code".into());
        type_code = Some(t);
    }
    if let Some(m) = r.get("municipality").map(str::to_string) {
        r.fields.remove("municipality");
        norm::set_municipality(&mut r, batch, options.municipalities, &m);
    }
    let name = r.get("name").unwrap_or_default().to_string();
    let type_code = type_code.or_else(|| {
        let found = options.taxonomy.and_then(|t| response_in_name(t, &name))?;
        let msg = format!("no bussola type; '{name}' read as {found}");
        batch.issue(Severity::Warning, place, Some("type"), msg);
        Some(found)
    });
    r.set("type", type_code.unwrap_or(name));
    if let (Some(lat), Some(lon)) = (get(location, "latitude"), get(location, "longitude")) {
        match (norm::coordinate(&lon), norm::coordinate(&lat)) {
            (Some(x), Some(y)) => r.point = Some((x, y)),
            _ => {
                let msg = format!("'{lat}', '{lon}' are not coordinates");
                batch.issue(Severity::Error, place, Some("latitude"), msg);
                return None;
            }
        }
    }
    Some(r)
}

/// `(code, value)` of every attribute in our vocabulary linked to one of `links`.
fn our_attributes(ix: &Index<'_>, links: [Option<&str>; 2]) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for link in links {
        for a in ix.linked("attributes", "link_id", link) {
            let Some(term) = ix.get("taxonomy_terms", text(a, "taxonomy_term_id").as_deref())
            else {
                continue;
            };
            let vocabulary = text(term, "vocabulary")
                .or_else(|| text(term, "taxonomy"))
                .or_else(|| {
                    term.get("taxonomy_detail")
                        .and_then(|d| d.as_object())
                        .and_then(|d| text(d, "name"))
                })
                .or_else(|| {
                    ix.get("taxonomies", text(term, "taxonomy_id").as_deref())
                        .and_then(|t| text(t, "name"))
                });
            if vocabulary.is_some_and(|v| fold(&v) == VOCABULARY) {
                if let Some(code) = text(term, "code").or_else(|| text(term, "name")) {
                    out.push((code, text(a, "value")));
                }
            }
        }
    }
    out
}

/// The response whose name (or old name) is the longest whole-word part of a service's name.
fn response_in_name(taxonomy: &Taxonomy, name: &str) -> Option<String> {
    let words = format!(" {} ", norm::column_key(name));
    taxonomy
        .responses()
        .iter()
        .flat_map(|r| {
            std::iter::once(&r.pt)
                .chain(&r.aliases)
                .map(move |n| (r, norm::column_key(n)))
        })
        .filter(|(_, n)| n.len() >= 3 && words.contains(&format!(" {n} ")))
        .max_by_key(|(_, n)| n.len())
        .map(|(r, _)| r.code.clone())
}

/// A schedule as opening-hours text: its description, or days and times
/// ("Mo-Fr 09:00-18:00").
fn schedule_text(s: &Fields) -> Option<String> {
    if let Some(d) = text(s, "description") {
        return Some(d);
    }
    let time = |k: &str| text(s, k).map(|t| t.chars().take(5).collect::<String>());
    let times = match (time("opens_at"), time("closes_at")) {
        (Some(o), Some(c)) => Some(format!("{o}-{c}")),
        _ => None,
    };
    let days = text(s, "byday").map(|d| days(&d));
    match (days, times) {
        (Some(d), Some(t)) => Some(format!("{d} {t}")),
        (d, t) => d.or(t),
    }
}

/// RFC 5545 days ("MO,TU,WE,TH,FR,SA") in opening-hours style, runs collapsed ("Mo-Sa").
fn days(byday: &str) -> String {
    const WEEK: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
    let mut on = [false; 7];
    for d in byday.split(',') {
        match WEEK.iter().position(|w| d.trim().eq_ignore_ascii_case(w)) {
            Some(i) => on[i] = true,
            None => return byday.to_string(),
        }
    }
    let name = |i: usize| format!("{}{}", &WEEK[i][..1], WEEK[i][1..].to_ascii_lowercase());
    let mut parts = Vec::new();
    let mut i = 0;
    while i < 7 {
        if !on[i] {
            i += 1;
            continue;
        }
        let start = i;
        while i + 1 < 7 && on[i + 1] {
            i += 1;
        }
        parts.push(match i - start {
            0 => name(start),
            1 => format!("{},{}", name(start), name(i)),
            _ => format!("{}-{}", name(start), name(i)),
        });
        i += 1;
    }
    parts.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_collapse_into_runs() {
        assert_eq!(days("MO,TU,WE,TH,FR"), "Mo-Fr");
        assert_eq!(days("MO,WE,SA,SU"), "Mo,We,Sa,Su");
        assert_eq!(days("mo,tu,th,fr,sa"), "Mo,Tu,Th-Sa");
        assert_eq!(days("1MO"), "1MO");
    }

    #[test]
    fn finds_a_response_in_a_service_name() {
        let t = Taxonomy::default_taxonomy().expect("taxonomy");
        assert_eq!(
            response_in_name(&t, "Centro de Dia de Arraiolos").as_deref(),
            Some("CENTRO_DIA")
        );
        assert_eq!(
            response_in_name(&t, "Lar de Idosos Santa Clara").as_deref(),
            Some("ERPI")
        );
        assert_eq!(response_in_name(&t, "Biblioteca Municipal"), None);
    }
}
