//! Indicators over time: `GET /api/trends` (one indicator of one area), `POST
//! /api/trends/import` (reference values from CSV, admins), `GET /api/changes/summary` (what
//! changed between two days, JSON or CSV) and the alerts' Atom feed `GET /feeds/alerts.atom`. Thin over
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
    let csv = json_or_csv(p.text("format").as_deref())?;
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
    if !csv {
        return Ok(Json(s).into_response());
    }
    let name = format!(
        "attachment; filename=\"trends-{}-{}.csv\"",
        s.area.id, s.indicator
    );
    Ok(csv_answer(name, series::to_csv(&s)))
}

/// `POST /api/trends/import` (admins): reference values from a CSV file (`text/csv`), all or
/// none; 422 naming each bad line and column.
pub async fn import(
    _: NoParams,
    State(app): State<AppState>,
    auth: Auth,
    body: Bytes,
) -> Result<Response, ApiError> {
    let text = super::params::text_body(&body)?;
    let user = auth.user;
    let n = app
        .blocking(move |cat| reference::import(cat, &user, &text))
        .await?;
    Ok((StatusCode::CREATED, Json(json!({ "imported": n }))).into_response())
}

/// `GET /api/changes/summary?from=&to=&municipality=&region=&format=json|csv`.
pub async fn changes_summary(
    State(app): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params::parse(
        q.as_deref(),
        &["from", "to", "municipality", "region", "format"],
    )?;
    let csv = json_or_csv(p.text("format").as_deref())?;
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
    if !csv {
        return Ok(Json(s).into_response());
    }
    let name = format!("attachment; filename=\"changes-{}-{}.csv\"", s.from, s.to);
    Ok(csv_answer(name, summary::to_csv(&s)))
}

/// Whether `format` asks for CSV (`json`, the default, or `csv`; anything else is refused).
fn json_or_csv(format: Option<&str>) -> Result<bool, ApiError> {
    match format {
        None | Some("json") => Ok(false),
        Some("csv") => Ok(true),
        Some(f) => {
            let msg = format!("unknown format '{f}'; one of json, csv");
            Err(Error::param("format", msg).into())
        }
    }
}

/// A CSV download with its `Content-Disposition`.
fn csv_answer(disposition: String, body: String) -> Response {
    let headers = [
        (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
        (header::CONTENT_DISPOSITION, disposition),
    ];
    (headers, body).into_response()
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
