//! CSV: one row per service (with `lon`/`lat`) or per municipality (with its indicators).
use super::Data;
use crate::Result;
use serde_json::json;

/// What a column holds, so codes stay text (`0701`, not 701) in GIS tools and spreadsheets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text, always quoted (GDAL's `QUOTED_FIELDS_AS_STRING`); codes are text.
    Text,
    /// A whole number, unquoted.
    Integer,
    /// A decimal number, unquoted.
    Real,
}

impl Kind {
    /// The column type in GDAL's `.csvt` sidecar.
    fn csvt(self) -> &'static str {
        match self {
            Kind::Text => "String",
            Kind::Integer => "Integer",
            Kind::Real => "Real",
        }
    }
}

/// A CSV table: typed columns, then rows of cells in column order.
struct Table {
    out: String,
    kinds: Vec<Kind>,
}

impl Table {
    fn new(columns: &[(String, Kind)]) -> Self {
        let head: Vec<String> = columns
            .iter()
            .map(|(n, _)| crate::text::csv_field(n))
            .collect();
        Table {
            out: head.join(",") + "\n",
            kinds: columns.iter().map(|(_, k)| *k).collect(),
        }
    }

    /// One row: text quoted and made safe for spreadsheets ([`crate::text::csv_safe`]: the
    /// files are public and their text comes from providers and imports), numbers as they are
    /// (empty when unknown).
    fn row<S: AsRef<str>>(&mut self, cells: &[S]) {
        let line: Vec<String> = cells
            .iter()
            .zip(&self.kinds)
            .map(|(c, k)| match k {
                Kind::Text => crate::text::csv_text(c.as_ref()),
                Kind::Integer | Kind::Real => c.as_ref().to_string(),
            })
            .collect();
        self.out.push_str(&line.join(","));
        self.out.push('\n');
    }
}

/// The `.csvt` sidecar GDAL and QGIS read beside a CSV of these columns.
fn csvt(columns: &[(String, Kind)]) -> Vec<u8> {
    let kinds: Vec<String> = columns
        .iter()
        .map(|(_, k)| format!("\"{}\"", k.csvt()))
        .collect();
    (kinds.join(",") + "\n").into_bytes()
}

fn columns(list: &[(&str, Kind)]) -> Vec<(String, Kind)> {
    list.iter().map(|(n, k)| (n.to_string(), *k)).collect()
}

/// The services layer's columns.
pub(crate) fn service_columns() -> Vec<(String, Kind)> {
    use Kind::{Integer, Real, Text};
    columns(&[
        ("id", Text),
        ("name", Text),
        ("type", Text),
        ("type_name", Text),
        ("group", Text),
        ("provider_id", Text),
        ("provider", Text),
        ("provider_nature", Text),
        ("capacity", Integer),
        ("users", Integer),
        ("vacancies", Integer),
        ("opening_hours", Text),
        ("phone", Text),
        ("email", Text),
        ("website", Text),
        ("address", Text),
        ("postal_code", Text),
        ("locality", Text),
        ("municipality", Text),
        ("municipality_name", Text),
        ("lon", Real),
        ("lat", Real),
        ("precision", Text),
        ("source", Text),
        ("updated", Text),
        ("demo", Text),
    ])
}

/// The municipalities layer's columns (its indicators after the population).
pub(crate) fn municipality_columns(d: &Data) -> Vec<(String, Kind)> {
    use Kind::{Integer, Real, Text};
    let mut c = columns(&[
        ("code", Text),
        ("name", Text),
        ("nuts3", Text),
        ("approximate_boundary", Text),
        ("population", Integer),
        ("age_0_14", Integer),
        ("age_15_24", Integer),
        ("age_25_64", Integer),
        ("age_65_plus", Integer),
        ("live_births", Integer),
    ]);
    for r in &d.reports {
        let k = r.indicator.key();
        for (f, kind) in [
            ("population", Integer),
            ("capacity", Integer),
            ("rate", Real),
            ("basis", Text),
            ("gap_class", Text),
        ] {
            c.push((format!("{k}_{f}"), kind));
        }
    }
    c
}

/// The `.csvt` of a layer.
pub(crate) fn types(d: &Data, services: bool) -> Vec<u8> {
    if services {
        csvt(&service_columns())
    } else {
        csvt(&municipality_columns(d))
    }
}

/// The services layer.
pub(crate) fn services(d: &Data) -> Result<Vec<u8>> {
    let mut t = Table::new(&service_columns());
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let num = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    let word = |v: serde_json::Value| v.as_str().unwrap_or_default().to_string();
    for s in &d.services {
        let r = d.region.taxonomy.get(&s.type_code);
        t.row(&[
            s.id.clone(),
            s.name.clone(),
            s.type_code.clone(),
            r.map(|r| r.pt.clone()).unwrap_or_default(),
            r.map(|r| r.group.clone()).unwrap_or_default(),
            s.provider.id.clone(),
            s.provider.name.clone(),
            word(json!(s.provider.legal_nature)),
            num(s.capacity),
            num(s.users),
            num(s.vacancies),
            opt(&s.opening_hours),
            opt(&s.contact.phone),
            opt(&s.contact.email),
            opt(&s.contact.website),
            opt(&s.address),
            opt(&s.postal_code),
            opt(&s.locality),
            s.municipality.clone(),
            d.region
                .municipality(&s.municipality)
                .map(|m| m.name.clone())
                .unwrap_or_default(),
            s.lon.to_string(),
            s.lat.to_string(),
            word(json!(s.precision)),
            s.source.clone(),
            opt(&s.updated),
            s.demo.to_string(),
        ]);
    }
    Ok(t.out.into_bytes())
}

/// The municipalities layer.
pub(crate) fn municipalities(d: &Data) -> Result<Vec<u8>> {
    let mut t = Table::new(&municipality_columns(d));
    for m in &d.region.municipalities {
        let p = &m.population;
        let mut rec = vec![
            m.code.clone(),
            m.name.clone(),
            m.nuts3.clone().unwrap_or_default(),
            m.approximate.to_string(),
            p.total.to_string(),
            p.age_0_14.map(|v| v.to_string()).unwrap_or_default(),
            p.age_15_24.map(|v| v.to_string()).unwrap_or_default(),
            p.age_25_64.map(|v| v.to_string()).unwrap_or_default(),
            p.age_65_plus.map(|v| v.to_string()).unwrap_or_default(),
            p.live_births.map(|b| b.to_string()).unwrap_or_default(),
        ];
        for r in &d.reports {
            let row = r.municipalities.iter().find(|x| x.code == m.code);
            let word = |v: serde_json::Value| v.as_str().unwrap_or_default().to_string();
            rec.push(
                row.and_then(|x| x.population)
                    .map(|p| p.to_string())
                    .unwrap_or_default(),
            );
            rec.push(row.map(|x| x.capacity.to_string()).unwrap_or_default());
            rec.push(
                row.and_then(|x| x.rate)
                    .map(|v| format!("{v:.4}"))
                    .unwrap_or_default(),
            );
            rec.push(row.map(|x| word(json!(x.basis))).unwrap_or_default());
            rec.push(row.map(|x| word(json!(x.gap_class))).unwrap_or_default());
        }
        t.row(&rec);
    }
    Ok(t.out.into_bytes())
}
