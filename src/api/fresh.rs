//! Freshness and use counts: `POST /api/services/{id}/confirm`, `POST /api/confirm`,
//! `GET /api/staleness`, `POST /api/services/{id}/contacted`, `GET /api/providers/{id}/stats`
//! (thin over [`crate::freshness`]).
use super::auth::Auth;
use super::error::ApiError;
use super::params::Params;
use super::AppState;
use crate::auth::now;
use crate::freshness;
use crate::model::Facts;
use crate::store::UsageKind;
use crate::Error;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

fn today() -> i64 {
    now().div_euclid(86_400)
}

/// Counts a use; a failure to count never fails the request it belongs to. A due batch is
/// written on a blocking thread, without the request waiting for it.
pub fn count(app: &AppState, ids: &[String], kind: UsageKind) {
    let day = crate::quality::checks::iso_from_days(today());
    if app.catalog.count_use(ids, &day, kind) {
        let cat = app.catalog.clone();
        tokio::task::spawn_blocking(move || {
            if let Err(e) = cat.flush_usage() {
                tracing::warn!("use counts not stored yet: {e}");
            }
        });
    }
}

/// `POST /api/services/{id}/confirm`: the record is current (its provider, area moderator, admin).
pub async fn confirm_one(
    _: super::params::NoParams,
    State(app): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let user = auth.user;
    let ids = app
        .blocking(move |cat| freshness::confirm(cat, &user, Some(&id), now()))
        .await?;
    Ok(Json(json!({"confirmed": ids})))
}

/// `POST /api/confirm`: every service the account may edit is current.
pub async fn confirm_all(
    _: super::params::NoParams,
    State(app): State<AppState>,
    auth: Auth,
) -> Result<Json<Value>, ApiError> {
    let user = auth.user;
    let ids = app
        .blocking(move |cat| freshness::confirm(cat, &user, None, now()))
        .await?;
    Ok(Json(json!({"confirmed": ids})))
}

/// `GET /api/staleness[?format=csv]`: services by age of confirmation per municipality, and
/// the providers to contact (as CSV with `format=csv`).
pub async fn staleness(
    State(app): State<AppState>,
    auth: Auth,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &["format"])?;
    let user = auth.user;
    let report = app
        .blocking(move |cat| freshness::staleness(cat, &user, today()))
        .await?;
    match p.text("format").as_deref() {
        None | Some("json") => Ok(Json(report).into_response()),
        Some("csv") => Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"providers-to-contact.csv\"",
                ),
            ],
            freshness::providers_csv(&report.providers),
        )
            .into_response()),
        Some(other) => Err(Error::param("format", format!("'{other}': one of json, csv")).into()),
    }
}

/// `POST /api/services/{id}/contacted` with `{"how": "phone|email|website|directions"}`: one
/// more contact counted (no account, nothing about the person kept); 429 past
/// [`super::limit::Route::Contact`]'s limit.
pub async fn contacted(
    _: super::params::NoParams,
    State(app): State<AppState>,
    Path(id): Path<String>,
    client: super::feedback::Client,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let how = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("how").and_then(Value::as_str).map(str::to_string));
    match how.as_deref() {
        Some("phone" | "email" | "website" | "directions") => {}
        _ => {
            return Err(Error::param(
                "how",
                "a JSON body {\"how\": \"phone|email|website|directions\"}",
            )
            .into())
        }
    }
    let s = app.catalog.brief(&id).ok_or_else(|| Error::NotFound {
        what: "service",
        id: id.clone(),
    })?;
    app.limit(&client.0, super::limit::Route::Contact).await?;
    count(&app, &[s.id().to_string()], UsageKind::Contact);
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/providers/{id}/stats`: views, searches and contacts per service over 30 and 365
/// days, and the coverage of its municipalities.
pub async fn stats(
    _: super::params::NoParams,
    State(app): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let user = auth.user;
    let s = app
        .blocking(move |cat| freshness::stats::provider_stats(cat, &user, &id, today()))
        .await?;
    Ok(Json(json!(s)))
}
