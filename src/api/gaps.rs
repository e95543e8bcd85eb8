//! `GET /api/gaps` (distance-based gaps) and `POST /api/scenarios` (what-if).
use super::error::ApiError;
use super::params::Params;
use super::AppState;
use crate::access;
use crate::scenario::{Opening, Scenario};
use crate::Error;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

fn params(threshold: Option<f64>, catchment: Option<f64>) -> access::Params {
    let d = access::Params::default();
    access::Params {
        threshold_km: threshold.unwrap_or(d.threshold_km),
        catchment_km: catchment.unwrap_or(d.catchment_km),
    }
}

/// Distance indicators and 2SFCA access per municipality, as JSON or CSV.
pub async fn gaps(
    State(app): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params::parse(
        q.as_deref(),
        &["type", "threshold_km", "catchment_km", "format"],
    )?;
    let types: Vec<String> = p
        .text("type")
        .map(|t| {
            t.split(',')
                .map(|x| x.trim().to_string())
                .filter(|x| !x.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let params = params(p.f64("threshold_km")?, p.f64("catchment_km")?);
    let report = app.blocking(move |cat| cat.gaps(&types, &params)).await?;
    match p.text("format").as_deref() {
        None | Some("json") => Ok(Json(report).into_response()),
        Some("csv") => Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"gaps-{}.csv\"",
                        report.types.join("-")
                    ),
                ),
            ],
            access::to_csv(&report),
        )
            .into_response()),
        Some(other) => Err(Error::param(
            "format",
            format!("unknown format '{other}'; one of json, csv"),
        )
        .into()),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OpeningBody {
    #[serde(rename = "type")]
    type_code: String,
    capacity: u32,
    lon: f64,
    lat: f64,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioBody {
    #[serde(default)]
    open: Vec<OpeningBody>,
    #[serde(default)]
    close: Vec<String>,
    #[serde(default)]
    types: Vec<String>,
    #[serde(default)]
    threshold_km: Option<f64>,
    #[serde(default)]
    catchment_km: Option<f64>,
}

/// Indicators before and after hypothetical openings and closures; stores nothing.
pub async fn scenario(
    _: super::params::NoParams,
    State(app): State<AppState>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(&body);
    let b: ScenarioBody = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." || path == "?" {
            "body".to_string()
        } else {
            path
        };
        Error::param(&field, e.inner().to_string())
    })?;
    let s = Scenario {
        open: b
            .open
            .into_iter()
            .map(|o| Opening {
                type_code: o.type_code,
                capacity: o.capacity,
                lon: o.lon,
                lat: o.lat,
                name: o.name,
            })
            .collect(),
        close: b.close,
        types: b.types,
        params: params(b.threshold_km, b.catchment_km),
    };
    let outcome = app.blocking(move |cat| cat.scenario(&s)).await?;
    Ok(Json(outcome).into_response())
}
