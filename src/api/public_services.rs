//! `GET /api/public-services`: useful public services ([`crate::public_services`]).
use super::error::ApiError;
use super::params::Params;
use super::AppState;
use crate::public_services::PublicServices;
use crate::Error;
use axum::extract::{RawQuery, State};
use axum::Json;
use serde_json::{json, Value};

/// The services for the municipalities served; `municipality=DICO` keeps the national ones,
/// its district's and its own.
pub async fn list(
    State(app): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let p = Params::parse(q.as_deref(), &["municipality"])?;
    let region = app.catalog.region();
    let all = PublicServices::shipped()?;
    let served: Vec<_> = match p.text("municipality") {
        Some(code) => vec![region.municipality(&code).ok_or_else(|| {
            Error::param(
                "municipality",
                format!("'{code}' is not a municipality code of this region"),
            )
        })?],
        None => region.municipalities.iter().collect(),
    };
    Ok(Json(json!({
        "source": all.source,
        "services": all.for_municipalities(&served),
    })))
}
