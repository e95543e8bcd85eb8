//! Organisations: `GET|PATCH /api/providers/{id}` and `GET /api/providers/{id}/history` (thin
//! over [`crate::edit::organisation`]).
use super::auth::Auth;
use super::error::ApiError;
use super::AppState;
use crate::auth::now;
use crate::edit::organisation;
use crate::Error;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Json;
use serde_json::{json, Value};

/// `GET /api/providers/{id}`: the organisation, its own contact and its services (public).
pub async fn one(
    _: super::params::NoParams,
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<organisation::Organisation>, ApiError> {
    Ok(Json(
        app.blocking(move |cat| organisation::organisation(cat, &id))
            .await?,
    ))
}

/// `PATCH /api/providers/{id}` with any of `name`, `legal_nature`, `phone`, `email`,
/// `website`: 200 when every change is live, 202 when some wait for review, 422 naming each
/// bad field (nothing stored).
pub async fn patch(
    _: super::params::NoParams,
    State(app): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let body = super::edit::fields(&body)?;
    let user = auth.user;
    let out = app
        .blocking(move |cat| organisation::submit(cat, &user, &id, &body, now()))
        .await?;
    let org =
        serde_json::to_value(&out.organisation).map_err(|e| Error::Internal(e.to_string()))?;
    Ok(super::edit::patched(
        &out.applied,
        &out.pending,
        "provider",
        org,
    ))
}

/// `GET /api/providers/{id}/history`: the organisation's applied changes (public; roles only).
pub async fn history(
    _: super::params::NoParams,
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let of = id.clone();
    let h = app
        .blocking(move |cat| organisation::history(cat, &of))
        .await?;
    Ok(Json(json!({"provider": id, "history": h})))
}
