//! `GET /quality` (the data quality report as a page) and `GET /api/quality` (as JSON).
use super::error::ApiError;
use super::params::{NoParams, Params};
use super::AppState;
use crate::quality::{Lang, Report};
use axum::extract::{RawQuery, State};
use axum::response::Html;
use axum::Json;

/// The report as a page, in Portuguese or (`?lang=en`) English.
pub async fn page(
    State(app): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Html<String>, ApiError> {
    let q = Params::parse(q.as_deref(), &["lang"])?;
    let lang = match q.text("lang").as_deref() {
        None | Some("pt") => Lang::Pt,
        Some("en") => Lang::En,
        Some(other) => {
            return Err(crate::Error::param("lang", format!("'{other}': one of pt, en")).into())
        }
    };
    let report = app.blocking(|cat| cat.quality()).await?;
    Ok(Html(report.to_html(lang)))
}

/// The report as JSON: per-source counts, every issue and every merge.
pub async fn json(State(app): State<AppState>, _: NoParams) -> Result<Json<Report>, ApiError> {
    Ok(Json(app.blocking(|cat| cat.quality()).await?))
}
