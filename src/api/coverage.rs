//! `GET /api/coverage?indicator=elderly|early_childhood[&format=csv][&target=][&region=ID]`.
use super::error::ApiError;
use super::params::Params;
use super::AppState;
use crate::coverage::{to_csv, Indicator};
use crate::Error;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;

/// The coverage report of one indicator, as JSON or CSV.
pub async fn coverage(
    State(app): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &["indicator", "format", "target", "region"])?;
    let name = p.text("indicator").unwrap_or_else(|| "elderly".into());
    let indicator = Indicator::parse(&name).ok_or_else(|| {
        Error::param(
            "indicator",
            format!("unknown indicator '{name}'; one of elderly, early_childhood"),
        )
    })?;
    let region = p.text("region");
    let report = app
        .catalog
        .coverage_of(indicator, p.f64("target")?, region.as_deref())?;
    match p.text("format").as_deref() {
        None | Some("json") => Ok(Json(report).into_response()),
        Some("csv") => Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    match &region {
                        Some(r) => format!(
                            "attachment; filename=\"coverage-{r}-{}.csv\"",
                            indicator.key()
                        ),
                        None => {
                            format!("attachment; filename=\"coverage-{}.csv\"", indicator.key())
                        }
                    },
                ),
            ],
            to_csv(&report),
        )
            .into_response()),
        Some(other) => Err(Error::param(
            "format",
            format!("unknown format '{other}'; one of json, csv"),
        )
        .into()),
    }
}
