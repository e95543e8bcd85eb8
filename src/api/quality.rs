//! `GET /quality` (the data quality report as a page) and `GET /api/quality` (as JSON).
use super::error::ApiError;
use super::AppState;
use crate::quality::{Lang, Report};
use axum::extract::{Query, State};
use axum::response::Html;
use axum::Json;
use std::collections::HashMap;

/// The report as a page, in Portuguese or (`?lang=en`) English.
pub async fn page(
    State(app): State<AppState>,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Html<String>, ApiError> {
    let lang = Lang::from_param(q.get("lang").map(String::as_str));
    let report = app.blocking(|cat| cat.quality()).await?;
    Ok(Html(report.to_html(lang)))
}

/// The report as JSON: per-source counts, every issue and every merge.
pub async fn json(State(app): State<AppState>) -> Result<Json<Report>, ApiError> {
    Ok(Json(app.blocking(|cat| cat.quality()).await?))
}
