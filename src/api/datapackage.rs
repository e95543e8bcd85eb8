//! The data for researchers: the Frictionless Data Package (`GET /api/datapackage.zip`,
//! `GET /api/datapackage.json`, one resource's CSV `GET /api/datapackage/data/{name}`), its dated
//! snapshots (`GET|POST /api/datapackage/snapshots`, `GET /api/datapackage/snapshots/{file}`),
//! the data dictionary (`GET /data/dictionary`) and `GET /CITATION.cff`. Thin over
//! [`crate::datapackage`].
use super::auth::Auth;
use super::download::{self, Made};
use super::error::ApiError;
use super::params::NoParams;
use super::AppState;
use crate::account::Role;
use crate::datapackage::{self, snapshots::Snapshot};
use crate::error::Refusal;
use crate::export::Export;
use crate::Error;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use serde_json::json;

fn now() -> i64 {
    crate::auth::now()
}

/// `GET /api/datapackage.zip`: the package as it is now, whole or by byte ranges.
pub async fn zip(
    _: NoParams,
    State(app): State<AppState>,
    method: Method,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let (body, name) = app
        .blocking(|cat| {
            let p = datapackage::build(cat, now())?;
            let name = datapackage::file_name(&cat.region().id, p.day);
            Ok((datapackage::zip(&p)?, name))
        })
        .await?;
    let etag = format!("\"{}\"", datapackage::sha256(&body));
    let made = Made {
        export: Export {
            body,
            content_type: "application/zip",
            file_name: name,
        },
        etag,
    };
    download::answer(&headers, method == Method::HEAD, &made)
}

/// `GET /api/datapackage.json`: the descriptor, each resource's path its CSV on this server.
pub async fn descriptor(
    _: NoParams,
    State(app): State<AppState>,
    origin: super::origin::Origin,
) -> Result<Response, ApiError> {
    let base = origin.base;
    let d = app
        .blocking(move |cat| Ok(datapackage::served(&datapackage::build(cat, now())?, &base)))
        .await?;
    Ok(([(header::VARY, super::origin::VARY)], Json(d)).into_response())
}

/// `GET /api/datapackage/data/{name}`: one resource's CSV (`services.csv`, …).
pub async fn resource(
    _: NoParams,
    State(app): State<AppState>,
    Path(name): Path<String>,
) -> Result<Response, ApiError> {
    let not_found = || Error::NotFound {
        what: "resource",
        id: name.clone(),
    };
    let stem = name.strip_suffix(".csv").ok_or_else(not_found)?.to_string();
    if !datapackage::RESOURCES.contains(&stem.as_str()) {
        return Err(not_found().into());
    }
    let body = app
        .blocking(move |cat| {
            let p = datapackage::build(cat, now())?;
            Ok(p.file(&stem).map(<[u8]>::to_vec))
        })
        .await?
        .ok_or_else(not_found)?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response())
}

/// The snapshots kept, newest first (none when the server keeps none).
fn list(app: &AppState) -> crate::Result<Vec<Snapshot>> {
    app.snapshots.as_ref().map_or(Ok(Vec::new()), |s| s.list())
}

/// `GET /api/datapackage/snapshots`: the dated snapshots kept, newest first.
pub async fn snapshots(_: NoParams, State(app): State<AppState>) -> Result<Response, ApiError> {
    let shelf = app.clone();
    let list = tokio::task::spawn_blocking(move || list(&shelf))
        .await
        .map_err(|e| Error::Internal(format!("snapshots: {e}")))??;
    let items: Vec<serde_json::Value> = list
        .into_iter()
        .map(|s| {
            let url = format!("/api/datapackage/snapshots/{}", s.file);
            let mut v = json!(s);
            v["url"] = json!(url);
            v
        })
        .collect();
    Ok(Json(json!({"kept": app.snapshots.is_some(), "snapshots": items})).into_response())
}

/// `POST /api/datapackage/snapshots` (admins): makes today's snapshot now (replacing today's).
pub async fn make_snapshot(
    _: NoParams,
    State(app): State<AppState>,
    auth: Auth,
) -> Result<Response, ApiError> {
    if auth.user.role != Role::Admin {
        return Err(Error::refused(Refusal::Forbidden, "only an admin may make a snapshot").into());
    }
    let shelf = app.snapshots.clone().ok_or_else(|| {
        Error::refused(
            Refusal::Conflict,
            "this server keeps no snapshots (it has no data folder for them)",
        )
    })?;
    let s = app.blocking(move |cat| shelf.make(cat, now())).await?;
    let url = format!("/api/datapackage/snapshots/{}", s.file);
    let mut v = json!(s);
    v["url"] = json!(url);
    Ok((StatusCode::CREATED, Json(v)).into_response())
}

/// `GET /api/datapackage/snapshots/{file}`: one snapshot, whole or by byte ranges.
pub async fn snapshot(
    _: NoParams,
    State(app): State<AppState>,
    Path(file): Path<String>,
    method: Method,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let not_found = || Error::NotFound {
        what: "snapshot",
        id: file.clone(),
    };
    let path = app
        .snapshots
        .as_ref()
        .and_then(|s| s.path(&file))
        .ok_or_else(not_found)?;
    let body = tokio::fs::read(&path).await.map_err(|_| not_found())?;
    let made = Made {
        etag: format!("\"{}\"", datapackage::sha256(&body)),
        export: Export {
            body,
            content_type: "application/zip",
            file_name: file.clone(),
        },
    };
    download::answer(&headers, method == Method::HEAD, &made)
}

/// `GET /data/dictionary`: the data dictionary page.
pub async fn dictionary(_: NoParams, State(app): State<AppState>) -> Result<Response, ApiError> {
    let state = app.clone();
    let html = app
        .blocking(move |cat| {
            let p = datapackage::build(cat, now())?;
            Ok(datapackage::dictionary::page(&p.descriptor, &list(&state)?))
        })
        .await?;
    Ok(([(header::CACHE_CONTROL, "no-cache")], Html(html)).into_response())
}

/// `GET /CITATION.cff`: how to cite Bússola (Citation File Format 1.2.0).
pub async fn citation(_: NoParams) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        datapackage::CITATION,
    )
        .into_response()
}
