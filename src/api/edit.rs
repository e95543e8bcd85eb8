//! Editing services: `PATCH /api/services/{id}`, `GET /api/services/{id}/history`,
//! `GET /api/changes`, `POST /api/changes/{id}/approve|reject|revert` (thin over
//! [`crate::edit`]).
use super::auth::Auth;
use super::error::ApiError;
use super::features::service_feature;
use super::AppState;
use crate::auth::now;
use crate::edit;
use crate::store::ChangeStatus;
use crate::Error;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

fn pairs(list: &[(i64, String)]) -> Value {
    list.iter()
        .map(|(id, field)| json!({"change": id, "field": field}))
        .collect()
}

/// A patch body: a JSON object of field: value.
pub(super) fn fields(body: &Bytes) -> Result<serde_json::Map<String, Value>, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| Error::param("body", format!("must be a JSON object of fields: {e}")).into())
}

/// The answer to a patch: 200 when every change is live, 202 when some wait for review, with
/// the changes and what is now published under `key`.
pub(super) fn patched(
    applied: &[(i64, String)],
    pending: &[(i64, String)],
    key: &str,
    published: Value,
) -> Response {
    let status = if pending.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::ACCEPTED
    };
    let res = json!({"applied": pairs(applied), "pending": pairs(pending), key: published});
    (status, Json(res)).into_response()
}

fn change_id(id: &str) -> Result<i64, ApiError> {
    id.parse()
        .map_err(|_| Error::param("id", format!("'{id}' is not a change id")).into())
}

/// `PATCH /api/services/{id}`: 200 when every change is live, 202 when some wait for review,
/// 422 naming each bad field (nothing stored).
pub async fn patch(
    _: super::params::NoParams,
    State(app): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let (user, fields) = (auth.user, fields(&body)?);
    let out = app
        .blocking(move |cat| edit::submit(cat, &user, &id, &fields, now()))
        .await?;
    let feature = service_feature(&out.service, app.catalog.region(), None);
    Ok(patched(&out.applied, &out.pending, "service", feature))
}

/// `GET /api/services/{id}/history`: the applied changes, public (roles, no accounts).
pub async fn history(
    _: super::params::NoParams,
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let of = id.clone();
    let h = app.blocking(move |cat| edit::history(cat, &of)).await?;
    Ok(Json(json!({"service": id, "history": h})))
}

/// `GET /api/changes?status=pending|applied|rejected|all`: the changes the caller may see.
pub async fn list(
    State(app): State<AppState>,
    auth: Auth,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let q = super::params::Params::parse(q.as_deref(), &["status"])?;
    let status = match q.text("status").as_deref().unwrap_or("pending") {
        "all" => None,
        s => Some(
            ChangeStatus::parse(s)
                .ok_or_else(|| Error::param("status", "one of pending, applied, rejected, all"))?,
        ),
    };
    let user = auth.user;
    let list = app
        .blocking(move |cat| edit::changes(cat, &user, status))
        .await?;
    Ok(Json(json!({"changes": list})))
}

/// `POST /api/changes/{id}/approve`: applies a pending change (moderator of the area, admin).
pub async fn approve(
    _: super::params::NoParams,
    State(app): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let (id, user) = (change_id(&id)?, auth.user);
    let decided = app
        .blocking(move |cat| edit::approve(cat, &user, id, now()))
        .await?;
    Ok(Json(match decided {
        edit::Decided::Service(s) => {
            json!({"approved": id, "service": service_feature(&s, app.catalog.region(), None)})
        }
        edit::Decided::Organisation(o) => json!({"approved": id, "provider": o}),
        edit::Decided::Training(o) => {
            let offer = crate::training::feature(&o, app.catalog.region(), None);
            json!({"approved": id, "offer": offer})
        }
    }))
}

/// `POST /api/changes/{id}/reject`: refuses a pending change (moderator of the area, admin).
pub async fn reject(
    _: super::params::NoParams,
    State(app): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let (id, user) = (change_id(&id)?, auth.user);
    app.blocking(move |cat| edit::reject(cat, &user, id, now()))
        .await?;
    Ok(Json(json!({"rejected": id})))
}

/// `POST /api/changes/{id}/revert`: puts an applied change's old value back (admins).
pub async fn revert(
    _: super::params::NoParams,
    State(app): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let (id, user) = (change_id(&id)?, auth.user);
    let new = app
        .blocking(move |cat| edit::revert(cat, &user, id, now()))
        .await?;
    Ok(Json(json!({"reverted": id, "change": new})))
}
