//! Indicators over time: `GET /api/trends` (one indicator of one area), `POST
//! /api/trends/import` (reference values from CSV, admins), `GET /api/changes/summary` (what
//! changed between two days) and the alerts' Atom feed `GET /feeds/alerts.atom`. Thin over
//! [`crate::trends`].
use super::auth::Auth;
use super::error::ApiError;
use super::params::{NoParams, Params};
use super::AppState;
use crate::trends::{alerts, reference, series, summary};
use crate::Error;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// `GET /api/trends?indicator=&area=&from=&to=&format=json|csv`.
pub async fn trends(
    State(app): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &["indicator", "area", "from", "to", "format"])?;
    let format = p.text("format");
    if let Some(f) = format.as_deref().filter(|f| !["json", "csv"].contains(f)) {
        let msg = format!("unknown format '{f}'; one of json, csv");
        return Err(Error::param("format", msg).into());
    }
    let s = app
        .blocking(move |cat| {
            series::series(
                cat,
                p.text("indicator").as_deref(),
                p.text("area").as_deref(),
                p.text("from").as_deref(),
                p.text("to").as_deref(),
            )
        })
        .await?;
    if format.as_deref() != Some("csv") {
        return Ok(Json(s).into_response());
    }
    let name = format!(
        "attachment; filename=\"trends-{}-{}.csv\"",
        s.area.id, s.indicator
    );
    let headers = [
        (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
        (header::CONTENT_DISPOSITION, name),
    ];
    Ok((headers, series::to_csv(&s)).into_response())
}

/// `POST /api/trends/import` (admins): reference values from a CSV file (`text/csv`), all or
/// none; 422 naming each bad line and column.
pub async fn import(
    _: NoParams,
    State(app): State<AppState>,
    auth: Auth,
    body: Bytes,
) -> Result<Response, ApiError> {
    let text = String::from_utf8(body.to_vec())
        .map_err(|_| Error::param("body", "the file is not UTF-8 text"))?;
    let user = auth.user;
    let n = app
        .blocking(move |cat| reference::import(cat, &user, &text))
        .await?;
    Ok((StatusCode::CREATED, Json(json!({ "imported": n }))).into_response())
}

/// `GET /api/changes/summary?from=&to=&municipality=&region=`.
pub async fn changes_summary(
    State(app): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Json<summary::Summary>, ApiError> {
    let p = Params::parse(q.as_deref(), &["from", "to", "municipality", "region"])?;
    let today = crate::trends::day_of(crate::auth::now());
    let s = app
        .blocking(move |cat| {
            summary::summary(
                cat,
                p.text("from").as_deref(),
                p.text("to").as_deref(),
                p.text("municipality").as_deref(),
                p.text("region").as_deref(),
                today,
            )
        })
        .await?;
    Ok(Json(s))
}

/// `GET /feeds/alerts.atom?area=`: the alerts of an area (the region by default) and of the
/// areas inside it, newest first.
pub async fn feed(
    State(app): State<AppState>,
    RawQuery(q): RawQuery,
    origin: super::origin::Origin,
) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &["area"])?;
    let base = origin.base;
    let xml = app
        .blocking(move |cat| {
            alerts::feed(cat, p.text("area").as_deref(), &base, crate::auth::now())
        })
        .await?;
    Ok(super::news::atom(xml))
}
