//! OGC API – Features under `/ogc`: `GET /ogc`, `/ogc/conformance`, `/ogc/collections`,
//! `/ogc/collections/{id}`, `/ogc/collections/{id}/items`, `/ogc/collections/{id}/items/{fid}`,
//! `/ogc/collections/{id}/queryables`. Thin handlers over [`crate::ogc`]: JSON or HTML by `f=`
//! or `Accept`, `Content-Crs` on features; errors are the API's JSON.
use super::error::ApiError;
use super::origin::Origin;
use super::params::Params;
use super::AppState;
use crate::ogc::{self, html, CollectionId, ItemsQuery, OgcCrs};
use crate::Error;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// JSON or HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Json,
    Html,
}

/// `f=json|html` first; otherwise HTML only when `Accept` prefers it to JSON (`*/*` counts as
/// JSON, so scripts and GIS clients get JSON, browsers HTML).
fn format(p: &Params, headers: &HeaderMap) -> Result<Format, ApiError> {
    match p.text("f").as_deref() {
        Some("json") => Ok(Format::Json),
        Some("html") => Ok(Format::Html),
        Some(other) => Err(Error::param("f", format!("'{other}' is not one of json, html")).into()),
        None => {
            let accept = headers
                .get(header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            Ok(if prefers_html(accept) {
                Format::Html
            } else {
                Format::Json
            })
        }
    }
}

fn prefers_html(accept: &str) -> bool {
    let (mut html, mut json) = (0.0_f64, 0.0_f64);
    for entry in accept.split(',') {
        let mut parts = entry.split(';').map(str::trim);
        let media = parts.next().unwrap_or("").to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.strip_prefix("q="))
            .filter_map(|q| q.parse::<f64>().ok())
            .next()
            .unwrap_or(1.0);
        match media.as_str() {
            "text/html" | "application/xhtml+xml" => html = html.max(q),
            "application/json"
            | "application/geo+json"
            | "application/schema+json"
            | "application/*"
            | "*/*" => json = json.max(q),
            m if m.ends_with("+json") => json = json.max(q),
            _ => {}
        }
    }
    html > 0.0 && html > json
}

fn json_answer(v: &Value, media: &'static str) -> Response {
    ([(header::CONTENT_TYPE, media)], v.to_string()).into_response()
}

fn html_answer(page: String) -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
}

fn with_crs(mut res: Response, crs: OgcCrs) -> Response {
    if let Ok(v) = HeaderValue::from_str(&format!("<{}>", crs.uri())) {
        res.headers_mut().insert("content-crs", v);
    }
    res
}

/// The landing page.
pub async fn landing(
    State(app): State<AppState>,
    origin: Origin,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &["f"])?;
    let v = ogc::landing(app.catalog.region(), &origin.base);
    Ok(match format(&p, &headers)? {
        Format::Json => json_answer(&v, "application/json"),
        Format::Html => html_answer(html::landing(&v)),
    })
}

/// The conformance classes.
pub async fn conformance(headers: HeaderMap, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &["f"])?;
    let v = ogc::conformance();
    Ok(match format(&p, &headers)? {
        Format::Json => json_answer(&v, "application/json"),
        Format::Html => html_answer(html::conformance(&v)),
    })
}

/// Every collection.
pub async fn collections(
    State(app): State<AppState>,
    origin: Origin,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &["f"])?;
    let f = format(&p, &headers)?;
    let v = app
        .blocking(move |cat| ogc::collections(cat, &origin.base))
        .await?;
    Ok(match f {
        Format::Json => json_answer(&v, "application/json"),
        Format::Html => html_answer(html::collections(&v)),
    })
}

/// One collection.
pub async fn collection(
    State(app): State<AppState>,
    origin: Origin,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &["f"])?;
    let f = format(&p, &headers)?;
    let c = CollectionId::find(app.catalog.region(), &id)?;
    let v = app
        .blocking(move |cat| ogc::collection_info(cat, &c, &origin.base))
        .await?;
    Ok(match f {
        Format::Json => json_answer(&v, "application/json"),
        Format::Html => html_answer(html::collection(&v)),
    })
}

/// A page of a collection's features.
pub async fn items(
    State(app): State<AppState>,
    origin: Origin,
    headers: HeaderMap,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), ogc::query::ITEM_PARAMS)?;
    let f = format(&p, &headers)?;
    let query = ItemsQuery::parse(&|name: &str| p.text(name))?;
    let c = CollectionId::find(app.catalog.region(), &id)?;
    let title = c.title(app.catalog.region());
    let cache = app.features.clone();
    let items = app
        .blocking(move |cat| ogc::items(cat, &cache, &c, &query, &origin.base))
        .await?;
    Ok(match f {
        Format::Json => with_crs(
            ([(header::CONTENT_TYPE, ogc::GEOJSON)], items.body).into_response(),
            items.crs,
        ),
        Format::Html => {
            let v: Value = serde_json::from_str(&items.body)
                .map_err(|e| Error::Internal(format!("items: {e}")))?;
            html_answer(html::items(&v, &title))
        }
    })
}

/// One feature.
pub async fn item(
    State(app): State<AppState>,
    origin: Origin,
    headers: HeaderMap,
    Path((id, fid)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &["f", "crs"])?;
    let f = format(&p, &headers)?;
    let crs = p
        .text("crs")
        .map(|s| OgcCrs::parse(&s, "crs"))
        .transpose()?
        .unwrap_or_default();
    let c = CollectionId::find(app.catalog.region(), &id)?;
    let v = app
        .blocking(move |cat| ogc::item(cat, &c, &fid, crs, &origin.base))
        .await?;
    Ok(match f {
        Format::Json => with_crs(json_answer(&v, ogc::GEOJSON), crs),
        Format::Html => html_answer(html::item(&v)),
    })
}

/// The properties a collection's features can be filtered on, as a JSON Schema.
pub async fn queryables(
    State(app): State<AppState>,
    origin: Origin,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params::parse(q.as_deref(), &["f"])?;
    if let Some(f) = p.text("f").filter(|f| f != "json") {
        return Err(Error::param("f", format!("'{f}': queryables are JSON only (f=json)")).into());
    }
    let c = CollectionId::find(app.catalog.region(), &id)?;
    let v = ogc::queryables(&app.catalog, &c, &origin.base);
    Ok(json_answer(&v, "application/schema+json"))
}

#[cfg(test)]
mod tests {
    use super::prefers_html;

    #[test]
    fn browsers_get_html_and_clients_json() {
        let firefox = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert!(prefers_html(firefox));
        for json in [
            "",
            "*/*",
            "application/json",
            "application/geo+json, application/json;q=0.9",
            "text/html;q=0.5, application/json",
        ] {
            assert!(!prefers_html(json), "{json}");
        }
    }
}
