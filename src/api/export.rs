//! `GET /api/export`: the region's data as a download, by [`crate::export`].
use super::error::ApiError;
use super::params::Params;
use super::AppState;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

pub use crate::export::{export, Export};

/// The export as a download: `layer=services|municipalities`, `format=geojson|csv|fgb|hsds`.
pub async fn download(
    State(app): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &["layer", "format"])?;
    let layer = p.text("layer").unwrap_or_else(|| "services".into());
    let format = p.text("format").unwrap_or_else(|| "geojson".into());
    // Writing a whole region's file takes a while: not on the async workers.
    let e = app
        .blocking(move |cat| export(cat, &layer, &format))
        .await?;
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
