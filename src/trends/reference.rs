//! Published reference values to compare the recorded indicators with (Carta Social's yearly
//! coverage rates, say), read from a CSV file with the columns `date,area,indicator,value,source`
//! (in any order; the header is line 1):
//!
//! ```csv
//! date,area,indicator,value,source
//! 2023-12-31,0705,coverage.elderly.rate,14.2,Carta Social 2023
//! ```
//!
//! A file is taken whole or not at all: every bad cell is named by line and column.
use super::{areas, indicators};
use crate::region::Region;
use crate::store::ReferenceValue;
use std::collections::BTreeMap;

/// The columns of a file.
pub const COLUMNS: [&str; 5] = ["date", "area", "indicator", "value", "source"];

/// The longest source, in characters.
pub const MAX_SOURCE: usize = 200;

/// One thing wrong in a file: its line (the header is line 1) and column, if any.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}{}: {message}", column.as_ref().map(|c| format!(", column '{c}'")).unwrap_or_default())]
pub struct BadCell {
    /// The line.
    pub line: usize,
    /// The column, when one is at fault.
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl BadCell {
    fn at(line: usize, column: Option<&str>, message: impl Into<String>) -> Self {
        BadCell {
            line,
            column: column.map(str::to_string),
            message: message.into(),
        }
    }
}

/// The problems of a file as the API names fields (`line 3, value`).
pub fn as_fields(bad: &[BadCell]) -> BTreeMap<String, String> {
    bad.iter()
        .map(|b| {
            let key = match &b.column {
                Some(c) => format!("line {}, {c}", b.line),
                None => format!("line {}", b.line),
            };
            (key, b.message.clone())
        })
        .collect()
}

/// The values of a file, checked against the region (areas) and the vocabulary (indicators);
/// every bad cell when any is.
///
/// ```
/// # let region = bussola::load::load_all(&[std::path::PathBuf::from("tests/data/demo-alentejo-central/region.toml")]).unwrap().region;
/// let text = "date,area,indicator,value,source\n2023-12-31,0705,coverage.elderly.rate,14.2,Carta Social\n";
/// let values = bussola::trends::reference::parse(text, &region).unwrap();
/// assert_eq!(values[0].value, 14.2);
/// let bad = bussola::trends::reference::parse("date,area,indicator,value,source\n2023-13-01,0705,x,a,\n", &region).unwrap_err();
/// let named: Vec<_> = bad.iter().map(|b| b.column.as_deref().unwrap()).collect();
/// assert_eq!(named, ["date", "indicator", "value", "source"]);
/// ```
pub fn parse(text: &str, region: &Region) -> Result<Vec<ReferenceValue>, Vec<BadCell>> {
    let mut r = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = match r.headers() {
        Ok(h) => h.iter().map(|h| h.trim().to_string()).collect(),
        Err(e) => return Err(vec![BadCell::at(1, None, e.to_string())]),
    };
    let mut bad = Vec::new();
    for h in header.iter().filter(|h| !COLUMNS.contains(&h.as_str())) {
        let m = format!("unknown column; the columns are {}", COLUMNS.join(", "));
        bad.push(BadCell::at(1, Some(h), m));
    }
    for c in COLUMNS.iter().filter(|c| !header.iter().any(|h| h == *c)) {
        bad.push(BadCell::at(1, Some(c), "missing column"));
    }
    if !bad.is_empty() {
        return Err(bad);
    }
    let area_ids: Vec<String> = areas::all(region).into_iter().map(|a| a.id).collect();
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let line = i + 2;
        let rec = match rec {
            Ok(rec) => rec,
            Err(e) => {
                bad.push(BadCell::at(line, None, e.to_string()));
                continue;
            }
        };
        if rec.len() != header.len() {
            let m = format!("{} cells, the header has {}", rec.len(), header.len());
            bad.push(BadCell::at(line, None, m));
            continue;
        }
        let cell = |c: &str| {
            header
                .iter()
                .position(|h| h == c)
                .and_then(|i| rec.get(i))
                .map_or("", str::trim)
        };
        let before = bad.len();
        let mut fault = |c: &str, m: String| bad.push(BadCell::at(line, Some(c), m));
        let date = cell("date");
        if !is_date(date) {
            fault("date", format!("'{date}' is not a date YYYY-MM-DD (a year's figure: its last day, e.g. 2023-12-31)"));
        }
        let area = cell("area");
        if !area_ids.iter().any(|a| a == area) {
            fault("area", format!("unknown area '{area}'; a municipality code, a sub-region id or the region id ({})", region.id));
        }
        let indicator = cell("indicator");
        if let Err(crate::Error::InvalidParam { message, .. }) =
            indicators::check(indicator, &region.taxonomy, "indicator")
        {
            fault("indicator", message);
        }
        let raw = cell("value");
        let value = raw
            .replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite());
        if value.is_none() {
            fault("value", format!("'{raw}' is not a number"));
        }
        let source = cell("source");
        if source.is_empty() {
            fault("source", "is required: who published the value".into());
        } else if source.chars().count() > MAX_SOURCE || source.chars().any(char::is_control) {
            fault(
                "source",
                format!("one line of at most {MAX_SOURCE} characters"),
            );
        }
        if let (Some(value), true) = (value, bad.len() == before) {
            out.push(ReferenceValue {
                date: date.to_string(),
                area: area.to_string(),
                indicator: indicator.to_string(),
                value,
                source: source.to_string(),
            });
        }
    }
    if bad.is_empty() {
        Ok(out)
    } else {
        Err(bad)
    }
}

fn is_date(s: &str) -> bool {
    use crate::quality::checks::{days_from_iso, iso_from_days};
    days_from_iso(s).is_some_and(|d| iso_from_days(d) == s)
}

/// Stores the values of a file (admins only), all or none; how many. Every bad cell is named
/// ([`crate::Error::InvalidFields`], keys `line 3, value`).
pub fn import(
    cat: &crate::catalog::Catalog,
    user: &crate::account::User,
    text: &str,
) -> crate::Result<usize> {
    if user.role != crate::account::Role::Admin {
        return Err(crate::Error::refused(
            crate::error::Refusal::Forbidden,
            "only an admin may import reference values",
        ));
    }
    let values =
        parse(text, cat.region()).map_err(|bad| crate::Error::InvalidFields(as_fields(&bad)))?;
    cat.store().put_references(&values)
}
