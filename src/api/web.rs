//! The map page (`web/`), MapLibre, Swagger UI and uPlot (from `web/node_modules`) and the
//! styles (`styles/`).
use super::error::ApiError;
use super::origin::Origin;
use super::AppState;
use crate::Error;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use std::path::{Component, PathBuf};

/// Where the page's files are.
#[derive(Debug, Clone)]
pub struct Assets {
    /// The page (`web/`).
    pub web: PathBuf,
    /// The MapLibre styles (`styles/`).
    pub styles: PathBuf,
}

impl Assets {
    /// `web/` and `styles/` under a folder (the repository root).
    pub fn under(root: &std::path::Path) -> Self {
        Assets {
            web: root.join("web"),
            styles: root.join("styles"),
        }
    }

    /// MapLibre's files, installed by npm into the page's folder.
    pub fn maplibre(&self) -> PathBuf {
        self.web.join("node_modules/maplibre-gl/dist")
    }

    /// Swagger UI's files (the API reference page, `/api-docs`), installed by npm like MapLibre.
    pub fn swagger_ui(&self) -> PathBuf {
        self.web.join("node_modules/swagger-ui-dist")
    }

    /// uPlot's files (the trends view's charts), installed by npm like MapLibre.
    pub fn uplot(&self) -> PathBuf {
        self.web.join("node_modules/uplot/dist")
    }
}

fn content_type(path: &std::path::Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "webmanifest" => "application/manifest+json",
        "map" => "application/json",
        _ => "application/octet-stream",
    }
}

/// A relative path with no `..`, no hidden part and no `node_modules`.
fn safe(rel: &str) -> Option<PathBuf> {
    let p = PathBuf::from(rel);
    let ok = p.components().all(|c| match c {
        Component::Normal(s) => {
            let s = s.to_string_lossy();
            !s.starts_with('.') && s != "node_modules"
        }
        _ => false,
    });
    (ok && !rel.is_empty()).then_some(p)
}

/// A file with a validator (size and modification time), answering 304 when it is unchanged.
async fn file(
    path: PathBuf,
    cache: &'static str,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let not_found = || {
        ApiError(Error::NotFound {
            what: "file",
            id: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        })
    };
    let meta = tokio::fs::metadata(&path).await.map_err(|_| not_found())?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let etag = format!("W/\"{:x}-{:x}\"", meta.len(), modified);
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    if fresh {
        return Ok((
            StatusCode::NOT_MODIFIED,
            [
                (header::ETAG, etag),
                (header::CACHE_CONTROL, cache.to_string()),
            ],
        )
            .into_response());
    }
    let bytes = tokio::fs::read(&path).await.map_err(|_| not_found())?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type(&path).to_string()),
            (header::CACHE_CONTROL, cache.to_string()),
            (header::ETAG, etag),
        ],
        bytes,
    )
        .into_response())
}

/// The page.
pub async fn index(State(app): State<AppState>, headers: HeaderMap) -> Result<Response, ApiError> {
    file(app.assets.web.join("index.html"), "no-cache", &headers).await
}

/// The provider area (`/provider`), also the landing page of login links (`/login?token=…`).
pub async fn provider(
    State(app): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    file(app.assets.web.join("provider.html"), "no-cache", &headers).await
}

/// A file of the page; anything else is an unknown route.
pub async fn page_file(
    State(app): State<AppState>,
    Path(rel): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let unknown = || Error::NotFound {
        what: "route",
        id: format!("/{rel}"),
    };
    let path = safe(&rel).ok_or_else(unknown)?;
    file(app.assets.web.join(path), "no-cache", &headers)
        .await
        .map_err(|_| unknown().into())
}

/// A MapLibre file.
pub async fn maplibre(
    State(app): State<AppState>,
    Path(rel): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    vendor_file(app.assets.maplibre(), &rel, &headers).await
}

/// A Swagger UI file (for the API reference page).
pub async fn swagger_ui(
    State(app): State<AppState>,
    Path(rel): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    vendor_file(app.assets.swagger_ui(), &rel, &headers).await
}

/// A uPlot file (the trends view's charts).
pub async fn uplot(
    State(app): State<AppState>,
    Path(rel): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    vendor_file(app.assets.uplot(), &rel, &headers).await
}

/// A file of an npm package under `dir` (cached a day: its name carries no version, but a
/// package changes only with an install).
async fn vendor_file(dir: PathBuf, rel: &str, headers: &HeaderMap) -> Result<Response, ApiError> {
    let rel = safe(rel).ok_or_else(|| Error::NotFound {
        what: "file",
        id: rel.to_string(),
    })?;
    file(dir.join(rel), "public, max-age=86400", headers).await
}

/// The API reference page (`web/api-docs.html`).
pub(super) async fn api_docs(app: &AppState, headers: &HeaderMap) -> Result<Response, ApiError> {
    file(app.assets.web.join("api-docs.html"), "no-cache", headers).await
}

/// A style, with root-relative source URLs made absolute on the request's host. `basemap` is
/// composed for the base map configured ([`crate::tiles::basemap::Basemap::style`]).
/// `?variant=qgis` gives the same map with colours QGIS's converter reads
/// ([`crate::tiles::style_qgis`]).
pub async fn style(
    State(app): State<AppState>,
    Path(name): Path<String>,
    RawQuery(q): RawQuery,
    origin: Origin,
) -> Result<Response, ApiError> {
    let p = super::params::Params::parse(q.as_deref(), &["variant"])?;
    let qgis = match p.text("variant").as_deref() {
        None | Some("maplibre") => false,
        Some("qgis") => true,
        Some(other) => {
            return Err(Error::param("variant", format!("'{other}': one of maplibre, qgis")).into())
        }
    };
    let not_found = || Error::NotFound {
        what: "style",
        id: name.clone(),
    };
    let stem = name.strip_suffix(".json").ok_or_else(not_found)?;
    if stem.is_empty()
        || !stem
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(not_found().into());
    }
    let read = |stem: String| {
        let path = app.assets.styles.join(format!("{stem}.json"));
        async move {
            let text = tokio::fs::read_to_string(path).await.ok()?;
            Some(
                serde_json::from_str::<Value>(&text)
                    .map_err(|e| Error::Tile(format!("style {stem}: {e}"))),
            )
        }
    };
    let mut style: Value = read(stem.to_string()).await.ok_or_else(not_found)??;
    // The page's base map: the context layers with the configured base map's own.
    if stem == "basemap" {
        let layers = match app.basemap.layers_style() {
            Some(file) => Some(read(file).await.ok_or_else(not_found)??),
            None => None,
        };
        style = app.basemap.style(style, layers);
    }
    let base = origin.base;
    if qgis {
        crate::tiles::style_qgis::simplify(&mut style);
    }
    if let Some(sprite) = style.get_mut("sprite") {
        absolutise(sprite, &base);
    }
    if let Some(sources) = style.get_mut("sources").and_then(Value::as_object_mut) {
        for src in sources.values_mut() {
            if let Some(url) = src.get_mut("url") {
                absolutise(url, &base);
            }
            if let Some(Value::Array(tiles)) = src.get_mut("tiles") {
                tiles.iter_mut().for_each(|t| absolutise(t, &base));
            }
        }
    }
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::VARY, super::origin::VARY),
        ],
        style.to_string(),
    )
        .into_response())
}

fn absolutise(v: &mut Value, base: &str) {
    if let Some(s) = v.as_str() {
        if s.starts_with('/') && !s.starts_with("//") {
            *v = Value::String(format!("{base}{s}"));
        }
    }
}

/// The styles' sprite: `bussola.json`, `bussola.png` and their `@2x` ([`crate::tiles::sprite`]).
pub async fn sprite(Path(file): Path<String>) -> Result<Response, ApiError> {
    let not_found = || Error::NotFound {
        what: "sprite",
        id: file.clone(),
    };
    let (stem, ext) = file.rsplit_once('.').ok_or_else(not_found)?;
    let ratio = match stem {
        "bussola" => 1,
        "bussola@2x" => 2,
        _ => return Err(not_found().into()),
    };
    let cache = (header::CACHE_CONTROL, "public, max-age=86400");
    match ext {
        "json" => Ok((
            [(header::CONTENT_TYPE, "application/json"), cache],
            crate::tiles::sprite::index(ratio).to_string(),
        )
            .into_response()),
        "png" => Ok((
            [(header::CONTENT_TYPE, "image/png"), cache],
            crate::tiles::sprite::png(ratio)?,
        )
            .into_response()),
        _ => Err(not_found().into()),
    }
}
