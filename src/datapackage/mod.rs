//! The data for researchers as a Frictionless Data Package
//! (<https://specs.frictionlessdata.io/data-package/>): `datapackage.json` describing six CSV
//! resources with Table Schemas (field types, constraints, primary and foreign keys), licences
//! and sources per resource:
//!
//! | resource | what | key |
//! |---|---|---|
//! | `services` | every service (the CSV export) | `id`; `municipality` → `municipalities.code` |
//! | `municipalities` | every municipality with its population and coverage (the CSV export) | `code` |
//! | `areas` | the areas indicators are kept for | `id`; `within` → `areas.id` |
//! | `indicators` | the indicators' names, units and meaning | `name` |
//! | `trends` | every indicator value kept over time | `area, indicator, bucket`; → `areas`, `indicators` |
//! | `references` | published reference values | `date, area, indicator, source`; → `areas`, `indicators` |
//!
//! - [`build`] makes the package from the catalog and the trends store;
//! - [`zip()`] writes it as one file (with `README.md` and `CITATION.cff`);
//! - [`served`] is its descriptor as `GET /api/datapackage.json` gives it (each resource's path
//!   an address of this server);
//! - [`schema`] holds the Table Schemas, [`dictionary`] the data dictionary page written from
//!   them, [`snapshots`] the dated copies kept in the data folder, [`zip`](mod@zip) the archive
//!   writer.
//!
//! Knows nothing of HTTP: `api::datapackage` is thin over it.
pub mod dictionary;
pub mod schema;
pub mod snapshots;
pub mod zip;

use crate::catalog::Catalog;
use crate::store::PointQuery;
use crate::text::csv_text;
use crate::trends::areas::{self, Kind};
use crate::{Error, Result};
use schema::FieldDef;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

/// The citation file of the repository (`CITATION.cff`, Citation File Format 1.2.0), served at
/// `/CITATION.cff` and put in every package.
pub const CITATION: &str = include_str!("../../CITATION.cff");

/// The resources, in the package's order.
pub const RESOURCES: [&str; 6] = [
    "services",
    "municipalities",
    "areas",
    "indicators",
    "trends",
    "references",
];

/// A data package: its descriptor (resource paths `data/<name>.csv`, with their size and
/// SHA-256) and its files.
#[derive(Debug, Clone)]
pub struct Package {
    /// `datapackage.json`.
    pub descriptor: Value,
    /// The resources' files: (path in the package, content), in [`RESOURCES`] order.
    pub files: Vec<(String, Vec<u8>)>,
    /// The day it was made (days since 1970-01-01, UTC).
    pub day: i64,
}

impl Package {
    /// A resource's CSV by its name (`services`) or file name (`services.csv`).
    pub fn file(&self, name: &str) -> Option<&[u8]> {
        let name = name.strip_suffix(".csv").unwrap_or(name);
        self.files
            .iter()
            .find(|(p, _)| *p == format!("data/{name}.csv"))
            .map(|(_, b)| b.as_slice())
    }

    /// The package's version: the day it was made as `YYYY.M.D` (a valid semantic version).
    pub fn version(&self) -> String {
        version_of(self.day)
    }
}

/// `YYYY.M.D` of a day.
pub fn version_of(day: i64) -> String {
    let text = crate::trends::day_text(day);
    let mut parts = text
        .split('-')
        .map(|p| p.trim_start_matches('0').to_string());
    let (y, m, d) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    format!("{y}.{m}.{d}")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The SHA-256 of some bytes, as hex.
pub fn sha256(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// A licence named in an attribution or source text (SPDX ids and Open Definition's
/// `other-at`), if one is.
fn licence_of(text: &str) -> Option<Value> {
    let t = text.to_lowercase();
    if t.contains("odbl") {
        Some(
            json!({"name": "ODbL-1.0", "path": "https://opendatacommons.org/licenses/odbl/1-0/",
                    "title": "Open Data Commons Open Database License 1.0"}),
        )
    } else if t.contains("cc-by 4.0") || t.contains("cc by 4.0") || t.contains("cc-by-4.0") {
        Some(
            json!({"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/",
                    "title": "Creative Commons Attribution 4.0 International"}),
        )
    } else if t.contains("ine") && (t.contains("censos") || t.contains("census")) {
        Some(json!({"name": "other-at",
                    "title": "Statistics Portugal (INE): free reuse with attribution of the source"}))
    } else {
        None
    }
}

/// Sources as Data Package `sources`, and their licences (each once).
fn sources_and_licences(texts: &[String]) -> (Vec<Value>, Vec<Value>) {
    let sources: Vec<Value> = texts.iter().map(|t| json!({"title": t})).collect();
    let mut licences: Vec<Value> = Vec::new();
    for l in texts.iter().filter_map(|t| licence_of(t)) {
        if !licences.contains(&l) {
            licences.push(l);
        }
    }
    (sources, licences)
}

/// A CSV of `fields` (header from their names) and rows of cells in field order; text fields
/// quoted and made safe for spreadsheets, the others as they are.
fn csv(fields: &[FieldDef], rows: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let mut out = fields
        .iter()
        .map(|f| f.name.as_str())
        .collect::<Vec<_>>()
        .join(",");
    out.push('\n');
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(fields)
            .map(|(c, f)| {
                if f.kind == "string" && !c.is_empty() {
                    csv_text(c)
                } else {
                    c.clone()
                }
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out.into_bytes()
}

fn number(v: Option<f64>) -> String {
    v.filter(|v| v.is_finite())
        .map(|v| v.to_string())
        .unwrap_or_default()
}

/// What an indicator measures: (title, unit, description).
fn describe_indicator(
    name: &str,
    taxonomy: &crate::taxonomy::Taxonomy,
) -> (String, String, String) {
    let response = |code: &str| {
        taxonomy
            .get(code)
            .map(|r| format!("{code} ({})", r.en))
            .unwrap_or_else(|| code.to_string())
    };
    let who = |ind: &str| match ind {
        "elderly" => "older people (65 or more)",
        _ => "early childhood (0–2)",
    };
    let parts: Vec<&str> = name.split('.').collect();
    let (title, unit, description) = match parts.as_slice() {
        ["coverage", ind, "rate"] => (
            format!("Coverage rate, {}", who(ind)),
            "places per 100 people",
            "Carta Social's coverage rate: the places of the responses it counts over the target population, x100, as /api/coverage gives it; a sub-region's and the region's count only the municipalities with a rate.".to_string(),
        ),
        ["coverage", ind, "capacity"] => (
            format!("Places counted by the coverage rate, {}", who(ind)),
            "places",
            "The places the coverage rate counts.".to_string(),
        ),
        ["coverage", ind, "population"] => (
            format!("Target population of the coverage rate, {}", who(ind)),
            "people",
            "The population the coverage rate divides by.".to_string(),
        ),
        ["places", r] => (
            format!("Places of {}", response(r)),
            "places",
            "The sum of the capacities of the area's services of this response.".to_string(),
        ),
        ["services", r] => (
            format!("Services of {}", response(r)),
            "services",
            "The area's services of this response.".to_string(),
        ),
        ["distance", r, "mean_km"] => (
            format!("Mean distance to the nearest {}", response(r)),
            "km",
            "Population-weighted mean geodesic distance from where people live (the population surface) to the nearest service, as /api/gaps with its defaults.".to_string(),
        ),
        ["distance", r, "p90_km"] => (
            format!("90th percentile of the distance to the nearest {}", response(r)),
            "km",
            "The distance within which 90 % of the target population lives, as /api/gaps.".to_string(),
        ),
        ["distance", r, "share_beyond"] => (
            format!("Share of the target population farther than 10 km from {}", response(r)),
            "share (0 to 1)",
            "As /api/gaps with its default threshold (10 km).".to_string(),
        ),
        ["distance", r, "access_per_1000"] => (
            format!("Places within reach per 1,000 people, {}", response(r)),
            "places per 1,000 people",
            "Two-step floating catchment area (2SFCA) with /api/gaps' default catchment (20 km).".to_string(),
        ),
        ["records"] => (
            "Services".to_string(),
            "services",
            "The area's services.".to_string(),
        ),
        ["stale", "records"] => (
            "Records not confirmed for a year".to_string(),
            "services",
            "Services not confirmed for a year, or never (see Freshness in the documentation).".to_string(),
        ),
        ["stale", "share"] => (
            "Share of records not confirmed for a year".to_string(),
            "share (0 to 1)",
            "stale.records over records.".to_string(),
        ),
        _ => (name.to_string(), "", String::new()),
    };
    (title, unit.to_string(), description)
}

/// One resource before it is described: its name, title, description, CSV, Table Schema,
/// sources and licences.
struct ResourceDef {
    name: &'static str,
    title: &'static str,
    description: String,
    body: Vec<u8>,
    table: Value,
    sources: Vec<Value>,
    licences: Vec<Value>,
}

fn def(
    name: &'static str,
    title: &'static str,
    description: String,
    body: Vec<u8>,
    table: Value,
    sources: Vec<Value>,
    licences: Vec<Value>,
) -> ResourceDef {
    ResourceDef {
        name,
        title,
        description,
        body,
        table,
        sources,
        licences,
    }
}

/// The package as it is now: every resource from the catalog and the trends store, made at
/// `now` (Unix seconds).
pub fn build(cat: &Catalog, now: i64) -> Result<Package> {
    let region = cat.region();
    let day = crate::trends::day_of(now);
    let (services, municipalities) = crate::export::csv_tables(cat)?;
    let codes: Vec<String> = region
        .taxonomy
        .responses()
        .iter()
        .map(|r| r.code.clone())
        .collect();
    let service_fields = schema::services(&services.columns, &codes)?;
    let municipality_fields = schema::municipalities(&municipalities.columns)?;

    let all = PointQuery::default();
    let points = cat.store().points(&all)?;
    let references = cat.store().references(&all)?;

    // Areas: those served, and any area of stored values no longer served.
    let served = areas::all(region);
    let mut known: BTreeSet<String> = served.iter().map(|a| a.id.clone()).collect();
    let mut area_rows: Vec<Vec<String>> = served
        .iter()
        .map(|a| {
            let kind = match a.kind {
                Kind::Municipality => "municipality",
                Kind::SubRegion => "sub_region",
                Kind::Region => "region",
            };
            vec![
                a.id.clone(),
                kind.to_string(),
                a.name.clone(),
                a.within.clone().unwrap_or_default(),
            ]
        })
        .collect();
    for id in points
        .iter()
        .map(|p| &p.area)
        .chain(references.iter().map(|r| &r.area))
    {
        if known.insert(id.clone()) {
            area_rows.push(vec![id.clone(), "former".into(), id.clone(), String::new()]);
        }
    }

    // Indicators: the vocabulary the store holds, and what every snapshot keeps.
    let mut names: BTreeSet<String> = points
        .iter()
        .map(|p| p.indicator.clone())
        .chain(references.iter().map(|r| r.indicator.clone()))
        .collect();
    use crate::trends::indicators as ind;
    for i in crate::coverage::Indicator::ALL {
        for m in ind::COVERAGE_MEASURES {
            names.insert(ind::coverage(i, m));
        }
    }
    for r in ind::DISTANCE_RESPONSES {
        names.insert(ind::places(r));
        names.insert(ind::services(r));
        for m in ind::DISTANCE_MEASURES {
            names.insert(ind::distance(r, m));
        }
    }
    for n in [ind::RECORDS, ind::STALE_RECORDS, ind::STALE_SHARE] {
        names.insert(n.to_string());
    }
    let indicator_rows = names.iter().map(|n| {
        let (title, unit, description) = describe_indicator(n, &region.taxonomy);
        vec![n.clone(), title, unit, description]
    });

    let trend_rows = points.iter().map(|p| {
        vec![
            p.area.clone(),
            p.indicator.clone(),
            p.bucket.clone(),
            p.at.clone(),
            number(p.value),
            p.reconstructed.to_string(),
            p.source.clone(),
        ]
    });
    let reference_rows = references.iter().map(|r| {
        vec![
            r.date.clone(),
            r.area.clone(),
            r.indicator.clone(),
            number(Some(r.value)),
            r.source.clone(),
        ]
    });

    let attribution = region.attribution.clone();
    let (region_sources, region_licences) = sources_and_licences(&attribution);
    let (service_sources, mut service_licences) = sources_and_licences(&services.sources);
    let mut published: Vec<String> = Vec::new();
    for r in &references {
        if !published.contains(&r.source) {
            published.push(r.source.clone());
        }
    }
    let mut package_licences = region_licences.clone();
    for l in &service_licences {
        if !package_licences.contains(l) {
            package_licences.push(l.clone());
        }
    }
    if service_licences.is_empty() {
        service_licences = package_licences.clone();
    }
    let demo = region
        .attribution
        .iter()
        .any(|a| a.to_lowercase().contains("demonstra"));

    // The trends are computed from the region's data and the services.
    let trend_sources = [region_sources.clone(), service_sources.clone()].concat();
    let area_fields = schema::areas();
    let indicator_fields = schema::indicators();
    let trend_fields = schema::trends();
    let reference_fields = schema::references();
    let resource_defs = vec![
        def(
            "services",
            "Social care services",
            format!(
                "Every service of {}, one row per service at one place, as the CSV export gives them (/api/export?layer=services&format=csv).{}",
                region.name,
                if demo { " Rows with demo = true are invented demonstration data, not real services." } else { "" }
            ),
            services.body,
            schema::table_schema(&service_fields, &["id"], &[(&["municipality"], "municipalities", &["code"])]),
            service_sources,
            service_licences,
        ),
        def(
            "municipalities",
            "Municipalities, population and coverage",
            "Every municipality with its population (INE, Census 2021) and Carta Social's coverage indicators as computed now (/api/export?layer=municipalities&format=csv).".to_string(),
            municipalities.body,
            schema::table_schema(&municipality_fields, &["code"], &[]),
            region_sources.clone(),
            package_licences.clone(),
        ),
        def(
            "areas",
            "Areas of the indicators",
            "The municipalities, sub-regions and the region the indicators are kept for.".to_string(),
            csv(&area_fields, area_rows.into_iter()),
            schema::table_schema(&area_fields, &["id"], &[(&["within"], "", &["id"])]),
            region_sources.clone(),
            region_licences.clone(),
        ),
        def(
            "indicators",
            "Indicators",
            "The indicators kept over time: their names (as /api/trends takes them), units and meaning.".to_string(),
            csv(&indicator_fields, indicator_rows),
            schema::table_schema(&indicator_fields, &["name"], &[]),
            vec![json!({"title": "Bússola: the indicators of src/trends/indicators.rs; coverage rates as Carta Social defines them"})],
            package_licences.clone(),
        ),
        def(
            "trends",
            "Indicators over time",
            "Every indicator value of every area kept: once a day (daily), after writes (change), and rebuilt from the change history for the days before recording began (backfill, reconstructed = true); see docs/api/trends.md.".to_string(),
            csv(&trend_fields, trend_rows),
            schema::table_schema(
                &trend_fields,
                &["area", "indicator", "bucket"],
                &[(&["area"], "areas", &["id"]), (&["indicator"], "indicators", &["name"])],
            ),
            trend_sources,
            package_licences.clone(),
        ),
        def(
            "references",
            "Published reference values",
            "Values published by others (Carta Social's yearly coverage rates, say) to compare the indicators with, as imported by the region's admins.".to_string(),
            csv(&reference_fields, reference_rows),
            schema::table_schema(
                &reference_fields,
                &["date", "area", "indicator", "source"],
                &[(&["area"], "areas", &["id"]), (&["indicator"], "indicators", &["name"])],
            ),
            if published.is_empty() {
                vec![json!({"title": "None imported yet"})]
            } else {
                published.iter().map(|p| json!({"title": p})).collect()
            },
            vec![json!({"name": "other-at", "title": "As each publisher allows: attribute the source named in the source column"})],
        ),
    ];
    let mut resources = Vec::new();
    let mut files = Vec::new();
    for ResourceDef {
        name,
        title,
        description,
        body,
        table,
        sources,
        licences,
    } in resource_defs
    {
        let path = format!("data/{name}.csv");
        resources.push(json!({
            "name": name,
            "path": path,
            "profile": "tabular-data-resource",
            "title": title,
            "description": description,
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": body.len(),
            "hash": format!("sha256:{}", sha256(&body)),
            "schema": table,
            "sources": sources,
            "licenses": licences,
        }));
        files.push((path, body));
    }
    let descriptor = json!({
        "profile": "tabular-data-package",
        "name": format!("bussola-{}", region.id),
        "title": format!("Bússola: social care services and indicators of {}", region.name),
        "description": format!(
            "The social care services of {} (Portugal), its municipalities with their population and Carta Social's coverage indicators, and every indicator kept over time with published reference values. Made by Bússola, an open-source map service for social care. Text cells a spreadsheet would read as a formula start with an apostrophe.",
            region.name
        ),
        "version": version_of(day),
        "created": crate::feed::rfc3339(now),
        "keywords": ["social care", "Carta Social", "Portugal", region.name, "coverage", "accessibility", "indicators"],
        "licenses": package_licences,
        "sources": region_sources,
        "contributors": [{"title": "Bússola contributors", "role": "author"}],
        "bussola": {"region": region.id, "data_version": cat.data_version(), "citation": "CITATION.cff"},
        "resources": resources,
    });
    Ok(Package {
        descriptor,
        files,
        day,
    })
}

/// The descriptor as `GET /api/datapackage.json` serves it: each resource's `path` the address of
/// its CSV on this server (`{base}/api/datapackage/data/<name>.csv`), without size and hash (the
/// data can change between two requests).
pub fn served(p: &Package, base: &str) -> Value {
    let mut d = p.descriptor.clone();
    if let Some(resources) = d.get_mut("resources").and_then(Value::as_array_mut) {
        for r in resources {
            let name = r["name"].as_str().unwrap_or_default().to_string();
            if let Some(o) = r.as_object_mut() {
                o.insert(
                    "path".into(),
                    json!(format!("{base}/api/datapackage/data/{name}.csv")),
                );
                o.remove("bytes");
                o.remove("hash");
            }
        }
    }
    if let Some(o) = d.as_object_mut() {
        o.insert("homepage".into(), json!(format!("{base}/data/dictionary")));
    }
    d
}

/// A short README for the archive.
fn readme(p: &Package) -> String {
    let d = &p.descriptor;
    let mut out = format!(
        "# {}\n\nVersion {} (made {}). A Frictionless Data Package: `datapackage.json` describes \
         every file of `data/` with a Table Schema (types, constraints, keys), its sources and \
         licences.\n\n",
        d["title"].as_str().unwrap_or_default(),
        d["version"].as_str().unwrap_or_default(),
        d["created"].as_str().unwrap_or_default(),
    );
    for r in d["resources"].as_array().into_iter().flatten() {
        out.push_str(&format!(
            "- `{}`: {}\n",
            r["path"].as_str().unwrap_or_default(),
            r["title"].as_str().unwrap_or_default()
        ));
    }
    out.push_str(
        "\nLicences: see each resource's `licenses`; the package as a whole is under all of \
         them (OpenStreetMap's data is under the ODbL, share-alike).\n\nCheck it: \
         `pip install frictionless && frictionless validate datapackage.json`.\n\nCite it: \
         `CITATION.cff`.\n",
    );
    out
}

/// The package as one ZIP file: `datapackage.json`, `data/*.csv`, `README.md`, `CITATION.cff`.
pub fn zip(p: &Package) -> Result<Vec<u8>> {
    let descriptor = serde_json::to_vec_pretty(&p.descriptor)
        .map_err(|e| Error::Internal(format!("datapackage.json: {e}")))?;
    let mut z = zip::ZipWriter::new(
        chrono::DateTime::parse_from_rfc3339(p.descriptor["created"].as_str().unwrap_or_default())
            .map(|t| t.timestamp())
            .unwrap_or(p.day * 86_400),
    );
    z.add("datapackage.json", &descriptor)?;
    for (path, body) in &p.files {
        z.add(path, body)?;
    }
    z.add("README.md", readme(p).as_bytes())?;
    z.add("CITATION.cff", CITATION.as_bytes())?;
    z.finish()
}

/// The archive's file name: `bussola-<region>-<YYYY-MM-DD>.zip`.
pub fn file_name(region: &str, day: i64) -> String {
    format!("bussola-{region}-{}.zip", crate::trends::day_text(day))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licences_are_read_from_the_attribution() {
        let name = |t: &str| licence_of(t).map(|l| l["name"].as_str().unwrap().to_string());
        assert_eq!(
            name("Limites: © DGT, CAOP (CC-BY 4.0)").as_deref(),
            Some("CC-BY-4.0")
        );
        assert_eq!(
            name("Creches e jardins de infância: © OpenStreetMap contributors (ODbL 1.0)")
                .as_deref(),
            Some("ODbL-1.0")
        );
        assert_eq!(name("OpenStreetMap (ODbL)").as_deref(), Some("ODbL-1.0"));
        assert_eq!(
            name("População: INE, Censos 2021").as_deref(),
            Some("other-at")
        );
        assert_eq!(
            name("Outros serviços: dados de demonstração inventados"),
            None
        );
        assert_eq!(name("Online line"), None);
    }

    #[test]
    fn the_version_is_the_day() {
        let day = crate::quality::checks::days_from_iso("2026-03-01").unwrap();
        assert_eq!(version_of(day), "2026.3.1");
        assert_eq!(
            file_name("alentejo", day),
            "bussola-alentejo-2026-03-01.zip"
        );
    }
}
