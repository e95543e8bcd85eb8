//! `GET /api/export`: the region's data as open files (services with provenance, municipalities
//! with their indicators), as GeoJSON or CSV. The same functions serve `bussola export`.
use super::error::ApiError;
use super::features::{collection, municipality_feature, service_feature};
use super::params::Params;
use super::AppState;
use crate::catalog::Catalog;
use crate::coverage::Indicator;
use crate::{Error, Result};
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map};

/// An export file: its bytes, media type and file name.
#[derive(Debug)]
pub struct Export {
    /// The content.
    pub body: String,
    /// Its media type.
    pub content_type: &'static str,
    /// A file name for it.
    pub file_name: String,
}

fn csv_err(e: impl std::fmt::Display) -> Error {
    Error::Store(format!("csv: {e}"))
}

/// Writes one export: `layer` is `services` or `municipalities`, `format` is `geojson` or `csv`.
pub fn export(cat: &Catalog, layer: &str, format: &str) -> Result<Export> {
    let region = cat.region();
    let (content_type, ext) = match format {
        "geojson" => ("application/geo+json", "geojson"),
        "csv" => ("text/csv; charset=utf-8", "csv"),
        other => {
            return Err(Error::param(
                "format",
                format!("unknown format '{other}'; one of geojson, csv"),
            ))
        }
    };
    let mut services: Vec<crate::model::Service> = cat.with_services(|it| it.cloned().collect())?;
    services.sort_by(|a, b| a.id.cmp(&b.id));
    let reports = Indicator::ALL
        .iter()
        .map(|&i| cat.coverage(i, None))
        .collect::<Result<Vec<_>>>()?;
    let mut extra = Map::new();
    extra.insert("name".into(), json!(format!("{} — {layer}", region.name)));
    extra.insert("attribution".into(), json!(region.attribution));
    let body = match (layer, format) {
        ("services", "geojson") => collection(
            services
                .iter()
                .map(|s| service_feature(s, region, None))
                .collect(),
            extra,
        )
        .to_string(),
        ("municipalities", "geojson") => collection(
            region
                .municipalities
                .iter()
                .map(|m| municipality_feature(m, &reports))
                .collect(),
            extra,
        )
        .to_string(),
        ("services", _) => {
            let mut w = csv::Writer::from_writer(Vec::new());
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
            for s in &services {
                let r = region.taxonomy.get(&s.type_code);
                w.write_record([
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
                    region
                        .municipality(&s.municipality)
                        .map(|m| m.name.clone())
                        .unwrap_or_default(),
                    s.lon.to_string(),
                    s.lat.to_string(),
                    word(json!(s.precision)),
                    s.source.clone(),
                    opt(&s.updated),
                    s.demo.to_string(),
                ])
                .map_err(csv_err)?;
            }
            String::from_utf8(w.into_inner().map_err(csv_err)?).map_err(csv_err)?
        }
        ("municipalities", _) => {
            let mut w = csv::Writer::from_writer(Vec::new());
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
            for r in &reports {
                for f in ["population", "capacity", "rate", "basis", "gap_class"] {
                    head.push(format!("{}_{f}", r.indicator.key()));
                }
            }
            w.write_record(&head).map_err(csv_err)?;
            for m in &region.municipalities {
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
                for r in &reports {
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
                w.write_record(&rec).map_err(csv_err)?;
            }
            String::from_utf8(w.into_inner().map_err(csv_err)?).map_err(csv_err)?
        }
        (other, _) => {
            return Err(Error::param(
                "layer",
                format!("unknown layer '{other}'; one of services, municipalities"),
            ))
        }
    };
    Ok(Export {
        body,
        content_type,
        file_name: format!("{}-{layer}.{ext}", region.id),
    })
}

/// The export as a download.
pub async fn download(
    State(app): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &["layer", "format"])?;
    let layer = p.text("layer").unwrap_or_else(|| "services".into());
    let format = p.text("format").unwrap_or_else(|| "geojson".into());
    let e = export(&app.catalog, &layer, &format)?;
    Ok((
        [
            (header::CONTENT_TYPE, e.content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", e.file_name),
            ),
        ],
        e.body,
    )
        .into_response())
}
