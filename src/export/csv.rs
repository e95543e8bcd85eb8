//! CSV: one row per service (with `lon`/`lat`) or per municipality (with its indicators).
use super::Data;
use crate::{Error, Result};
use serde_json::json;

fn csv_err(e: impl std::fmt::Display) -> Error {
    Error::Internal(format!("csv: {e}"))
}

/// Writes one row with every cell made safe for spreadsheets ([`crate::text::csv_safe`]): the
/// files are public, and their text comes from providers and imports.
fn row<S: AsRef<str>>(w: &mut ::csv::Writer<Vec<u8>>, cells: &[S]) -> Result<()> {
    let safe: Vec<_> = cells
        .iter()
        .map(|c| crate::text::csv_safe(c.as_ref()))
        .collect();
    w.write_record(safe.iter().map(|c| c.as_bytes()))
        .map_err(csv_err)
}

/// The services layer.
pub(crate) fn services(d: &Data) -> Result<Vec<u8>> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record([
        "id",
        "name",
        "type",
        "type_name",
        "group",
        "provider_id",
        "provider",
        "provider_nature",
        "capacity",
        "users",
        "vacancies",
        "opening_hours",
        "phone",
        "email",
        "website",
        "address",
        "postal_code",
        "locality",
        "municipality",
        "municipality_name",
        "lon",
        "lat",
        "precision",
        "source",
        "updated",
        "demo",
    ])
    .map_err(csv_err)?;
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let num = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    let word = |v: serde_json::Value| v.as_str().unwrap_or_default().to_string();
    for s in &d.services {
        let r = d.region.taxonomy.get(&s.type_code);
        row(
            &mut w,
            &[
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
            ],
        )?;
    }
    w.into_inner().map_err(csv_err)
}

/// The municipalities layer.
pub(crate) fn municipalities(d: &Data) -> Result<Vec<u8>> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    let mut head = vec![
        "code",
        "name",
        "nuts3",
        "approximate_boundary",
        "population",
        "age_0_14",
        "age_15_24",
        "age_25_64",
        "age_65_plus",
        "live_births",
    ]
    .into_iter()
    .map(String::from)
    .collect::<Vec<_>>();
    for r in &d.reports {
        for f in ["population", "capacity", "rate", "basis", "gap_class"] {
            head.push(format!("{}_{f}", r.indicator.key()));
        }
    }
    w.write_record(&head).map_err(csv_err)?;
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
        row(&mut w, &rec)?;
    }
    w.into_inner().map_err(csv_err)
}
