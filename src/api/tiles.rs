//! `GET /tiles/{z}/{x}/{y}.mvt` and `GET /tiles.json`; the base map's `GET
//! /tiles/base/{z}/{x}/{y}.mvt`, `GET /tiles/base.json` and its archive, `GET /basemap.pmtiles`;
//! the context layers', `GET /tiles/context/{z}/{x}/{y}.mvt` and `GET /tiles/context.json`.
//!
//! Tiles come from the tile cache (built, gzipped and hashed once per version of what they
//! show), carry a strong ETag of their content (and encoding), answer 304 to a matching
//! `If-None-Match`, 204 when empty, and are gzipped when the client accepts it. The archive is
//! answered whole or by byte ranges (`Range`, `If-Range`, `HEAD`), for PMTiles clients and GDAL.
use super::error::ApiError;
use super::origin::Origin;
use super::params::Params;
use super::AppState;
use crate::catalog::Filter;
use crate::tiles::mercator::TileId;
use crate::tiles::TileSource;
use crate::Error;
use axum::body::Body;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;

/// The MVT media type.
pub const MVT: &str = "application/vnd.mapbox-vector-tile";
/// How long clients may reuse a tile before revalidating (data changes when providers edit).
pub const CACHE_CONTROL: &str = "public, max-age=60, must-revalidate";
/// How long clients may reuse a base map tile (the archive changes only with a restart).
pub const BASE_CACHE_CONTROL: &str = "public, max-age=3600";

/// A coordinate in canonical form only (`0`, `12`; not `+1`, `00` or `012`): one tile has one
/// URL, so caches and the tile cache never hold it twice.
fn parse_u32(name: &str, s: &str) -> Result<u32, Error> {
    let canonical = s.bytes().all(|b| b.is_ascii_digit()) && (s == "0" || !s.starts_with('0'));
    s.parse::<u32>()
        .ok()
        .filter(|_| canonical)
        .ok_or_else(|| Error::param(name, format!("'{s}' is not a tile coordinate")))
}

fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|e| {
            let mut parts = e.trim().split(';');
            let name = parts.next().unwrap_or("");
            let q0 = parts.any(|p| p.trim().replace(' ', "") == "q=0");
            (name == "gzip" || name == "*") && !q0
        })
}

fn etag_matches(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|t| {
            let t = t.trim();
            t == "*" || t.trim_start_matches("W/") == etag
        })
}

/// The tile's coordinates from the path (`y` ends in `.mvt`).
fn tile_id(z: &str, x: &str, y: &str) -> Result<TileId, Error> {
    let y = y
        .strip_suffix(".mvt")
        .ok_or_else(|| Error::param("y", format!("'{y}' must end in .mvt")))?;
    TileId::new(parse_u32("z", z)?, parse_u32("x", x)?, parse_u32("y", y)?)
}

/// One vector tile.
pub async fn tile(
    State(app): State<AppState>,
    Path((z, x, y)): Path<(String, String, String)>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let tile = tile_id(&z, &x, &y)?;
    let p = Params::parse(q.as_deref(), &["type", "group", "subarea"])?;
    let filter = Filter {
        type_code: p.text("type"),
        group: p.text("group"),
        subarea: p.text("subarea"),
        ..Filter::default()
    };
    app.catalog.check_filter(&filter)?;
    answer(
        &app,
        app.tiles.clone(),
        tile,
        filter,
        &headers,
        CACHE_CONTROL,
    )
    .await
}

/// One tile of the base map's archive (404 when none is served).
pub async fn base_tile(
    State(app): State<AppState>,
    Path((z, x, y)): Path<(String, String, String)>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let tile = tile_id(&z, &x, &y)?;
    Params::parse(q.as_deref(), &[])?;
    let source = base_archive(&app)?;
    let filter = Filter::default();
    answer(&app, source, tile, filter, &headers, BASE_CACHE_CONTROL).await
}

/// One tile of the context layers (seats, towns, parish boundaries).
pub async fn context_tile(
    State(app): State<AppState>,
    Path((z, x, y)): Path<(String, String, String)>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let tile = tile_id(&z, &x, &y)?;
    Params::parse(q.as_deref(), &[])?;
    let source = app.context.clone();
    answer(
        &app,
        source,
        tile,
        Filter::default(),
        &headers,
        BASE_CACHE_CONTROL,
    )
    .await
}

/// The context layers' TileJSON 3.0.0 document.
pub async fn context_tilejson(
    _: super::params::NoParams,
    State(app): State<AppState>,
    origin: Origin,
) -> Response {
    let url = format!("{}/tiles/context/{{z}}/{{x}}/{{y}}.mvt", origin.base);
    (
        [(header::VARY, super::origin::VARY)],
        Json(app.context.tilejson(&url)),
    )
        .into_response()
}

/// The archive as a tile source, or 404 when no archive is served.
fn base_archive(app: &AppState) -> Result<std::sync::Arc<dyn TileSource>, Error> {
    match &app.basemap.archive {
        Some(a) => Ok(a.clone()),
        None => Err(no_archive()),
    }
}

fn no_archive() -> Error {
    Error::NotFound {
        what: "base map archive",
        id: "none is served: see [basemap] in the region manifest".into(),
    }
}

/// A tile from the cache in front of `source`, with its ETag, 304, 204 or gzip.
async fn answer(
    app: &AppState,
    source: std::sync::Arc<dyn TileSource>,
    tile: TileId,
    filter: Filter,
    headers: &HeaderMap,
    cache_control: &'static str,
) -> Result<Response, ApiError> {
    let cache = app.tile_cache.clone();
    let encoded = tokio::task::spawn_blocking(move || cache.get(&*source, tile, &filter))
        .await
        .map_err(|e| Error::Tile(e.to_string()))??;
    // The ETag is the content's (and the encoding's): a tile that a write elsewhere left as it
    // was keeps its ETag and answers 304; another filter with other content gets another one.
    // Gzipped only when the client takes it and it made the tile smaller.
    let gzip = accepts_gzip(headers) && encoded.gzip.is_some();
    let etag = format!("\"{}{}\"", encoded.tag, if gzip { "-gz" } else { "" });
    let mut h = HeaderMap::new();
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, v);
    }
    if etag_matches(headers, &etag) {
        return Ok((StatusCode::NOT_MODIFIED, h).into_response());
    }
    let Some(mvt) = &encoded.mvt else {
        return Ok((StatusCode::NO_CONTENT, h).into_response());
    };
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(MVT));
    match &encoded.gzip {
        Some(gz) if gzip => {
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            Ok((h, gz.clone()).into_response())
        }
        _ => Ok((h, mvt.clone()).into_response()),
    }
}

/// The TileJSON 3.0.0 document.
pub async fn tilejson(
    _: super::params::NoParams,
    State(app): State<AppState>,
    origin: Origin,
) -> Response {
    let url = format!("{}/tiles/{{z}}/{{x}}/{{y}}.mvt", origin.base);
    (
        [(header::VARY, super::origin::VARY)],
        Json(app.tiles.tilejson(&url)),
    )
        .into_response()
}

/// The base map's TileJSON 3.0.0 document (404 when no archive is served).
pub async fn base_tilejson(
    _: super::params::NoParams,
    State(app): State<AppState>,
    origin: Origin,
) -> Result<Response, ApiError> {
    let source = base_archive(&app)?;
    let url = format!("{}/tiles/base/{{z}}/{{x}}/{{y}}.mvt", origin.base);
    Ok((
        [(header::VARY, super::origin::VARY)],
        Json(source.tilejson(&url)),
    )
        .into_response())
}

/// The base map's PMTiles archive itself, whole or by byte ranges (404 when none is served).
pub async fn archive(State(app): State<AppState>, req: Request) -> Result<Response, ApiError> {
    let Some(path) = app.basemap.archive.as_ref().map(|a| a.path().to_path_buf()) else {
        return Err(no_archive().into());
    };
    // The type is guessed from the extension: application/octet-stream for `.pmtiles`.
    let mut res = tower_http::services::ServeFile::new(&path)
        .try_call(req)
        .await
        .map_err(|source| Error::Io { path, source })?
        .map(Body::new);
    // Clients check with the server before reusing what they read (the file may be replaced).
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(res)
}
