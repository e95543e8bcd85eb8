//! Training offers from a CSV file: one offer per row, columns named as the API's fields, lists
//! (`profiles`, `audience`) separated by `;`, the organiser and enrolment in flat columns.
use crate::{Error, Result};
use serde_json::{json, Map, Value};

/// The columns a file may have.
pub const COLUMNS: &[&str] = &[
    "title",
    "description",
    "organiser",
    "organiser_provider_id",
    "profiles",
    "audience",
    "modality",
    "address",
    "postal_code",
    "locality",
    "municipality",
    "lon",
    "lat",
    "start",
    "end",
    "schedule",
    "hours",
    "cost_eur",
    "funding",
    "places",
    "places_left",
    "enrol_url",
    "enrol_phone",
    "enrol_email",
    "language",
];

const NUMBERS: &[&str] = &["lon", "lat", "hours", "cost_eur", "places", "places_left"];

fn number(field: &str, v: &str) -> std::result::Result<Value, String> {
    let n: f64 = v
        .replace(',', ".")
        .parse()
        .map_err(|_| format!("'{v}' is not a number"))?;
    Ok(
        if matches!(field, "places" | "places_left") && n.fract() == 0.0 && n >= 0.0 {
            json!(n as u64)
        } else {
            json!(n)
        },
    )
}

/// The rows of a file as submissions, each with its line number (the header is line 1); an
/// unknown column or a bad number is named by line and column.
///
/// ```
/// let rows = bussola::training::csv::rows("title,start,end,places\nCurso,2027-01-10,2027-01-12,20\n").unwrap();
/// assert_eq!(rows[0].0, 2);
/// assert_eq!(rows[0].1["places"], 20);
/// ```
pub fn rows(text: &str) -> Result<Vec<(usize, Map<String, Value>)>> {
    let mut r = ::csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let bad = |k: String, m: String| Error::InvalidFields([(k, m)].into());
    let header: Vec<String> = r
        .headers()
        .map_err(|e| bad("line 1".into(), e.to_string()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if let Some(h) = header.iter().find(|h| !COLUMNS.contains(&h.as_str())) {
        let m = format!("unknown column '{h}' (columns: {})", COLUMNS.join(", "));
        return Err(bad("line 1".into(), m));
    }
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| bad(format!("line {line}"), e.to_string()))?;
        let mut m = Map::new();
        let (mut org, mut enrol) = (Map::new(), Map::new());
        for (h, v) in header.iter().zip(rec.iter()) {
            let v = v.trim();
            if v.is_empty() {
                continue;
            }
            let value = if NUMBERS.contains(&h.as_str()) {
                number(h, v).map_err(|e| bad(format!("line {line}: {h}"), e))?
            } else {
                json!(v)
            };
            match h.as_str() {
                "organiser" => drop(org.insert("name".into(), value)),
                "organiser_provider_id" => drop(org.insert("provider_id".into(), value)),
                "enrol_url" => drop(enrol.insert("url".into(), value)),
                "enrol_phone" => drop(enrol.insert("phone".into(), value)),
                "enrol_email" => drop(enrol.insert("email".into(), value)),
                "profiles" | "audience" => {
                    let list: Vec<&str> = v
                        .split(';')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .collect();
                    m.insert(h.clone(), json!(list));
                }
                _ => drop(m.insert(h.clone(), value)),
            }
        }
        if !org.is_empty() {
            m.insert("organiser".into(), Value::Object(org));
        }
        if !enrol.is_empty() {
            m.insert("enrol".into(), Value::Object(enrol));
        }
        out.push((line, m));
    }
    Ok(out)
}
