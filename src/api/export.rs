//! `GET /api/export`: the region's data as a download, by [`crate::export`].
use super::error::ApiError;
use super::params::Params;
use super::AppState;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, Method};
use axum::response::Response;

pub use crate::export::{export, Export};

/// The export as a download: `layer=services|municipalities`, `format=geojson|csv|csvt|fgb|hsds`;
/// whole or by byte ranges (see [`super::download`]).
pub async fn download(
    State(app): State<AppState>,
    method: Method,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &["layer", "format"])?;
    let layer = p.text("layer").unwrap_or_else(|| "services".into());
    let format = p.text("format").unwrap_or_else(|| "geojson".into());
    let kept = app.exports.clone();
    // Writing a whole region's file takes a while: not on the async workers.
    let made = app
        .blocking(move |cat| {
            kept.get_or_make(&layer, &format, cat.data_version(), || {
                export(cat, &layer, &format)
            })
        })
        .await?;
    super::download::answer(&headers, method == Method::HEAD, &made)
}
