//! `GET /api/nearest`, `GET /api/services`, `GET /api/services/{id}`.
use super::error::ApiError;
use super::features::service_feature;
use super::params::Params;
use super::AppState;
use crate::catalog::{Filter, NearestQuery};
use crate::model::{Brief, Facts};
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map};
use std::sync::Arc;

const GEOJSON: &str = "application/geo+json";

fn filter(p: &Params) -> Result<Filter, ApiError> {
    Ok(Filter {
        type_code: p.text("type"),
        group: p.text("group"),
        subarea: p.text("subarea"),
        municipality: p.text("municipality"),
        q: p.text("q"),
        bbox: p.bbox("bbox")?,
    })
}

fn geojson(v: serde_json::Value) -> Response {
    geojson_text(v.to_string())
}

fn geojson_text(text: String) -> Response {
    ([(header::CONTENT_TYPE, GEOJSON)], text).into_response()
}

/// The k nearest services to a place, nearest first.
pub async fn nearest(
    State(app): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params::parse(
        q.as_deref(),
        &[
            "lon",
            "lat",
            "k",
            "type",
            "group",
            "subarea",
            "municipality",
            "q",
            "max_km",
        ],
    )?;
    let query = NearestQuery {
        lon: p.f64_required("lon")?,
        lat: p.f64_required("lat")?,
        k: p.usize("k")?.unwrap_or(10),
        max_km: p.f64("max_km")?,
        filter: filter(&p)?,
    };
    let hits = if query.filter.q.is_some() {
        // Words are matched in the full records, read from the store.
        let q = query.clone();
        app.blocking(move |cat| cat.nearest(&q)).await?
    } else {
        app.catalog.nearest(&query)?
    };
    let found: Vec<String> = hits.iter().map(|(s, _)| s.id().to_string()).collect();
    super::fresh::count(&app, &found, crate::store::UsageKind::Found);
    let features: Vec<_> = hits.into_iter().map(|(s, d)| (s, Some(d))).collect();
    let mut extra = Map::new();
    extra.insert("query".into(), json!({"lon": query.lon, "lat": query.lat, "k": query.k, "max_km": query.max_km, "type": query.filter.type_code, "group": query.filter.group, "subarea": query.filter.subarea, "municipality": query.filter.municipality}));
    extra.insert("numberReturned".into(), json!(features.len()));
    Ok(geojson_text(collection(&app, features, extra).await?))
}

/// A page of services matching filters, ordered by name, with `next` and `prev` links.
pub async fn list(
    State(app): State<AppState>,
    origin: super::origin::Origin,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let p = Params::parse(
        q.as_deref(),
        &[
            "municipality",
            "type",
            "group",
            "subarea",
            "q",
            "bbox",
            "limit",
            "offset",
            "f",
        ],
    )?;
    if let Some(f) = p.text("f").filter(|f| f != "json") {
        return Err(crate::Error::param(
            "f",
            format!("'{f}': this answer is GeoJSON only (f=json)"),
        )
        .into());
    }
    let f = filter(&p)?;
    let limit = p.usize("limit")?.unwrap_or(50);
    let offset = p.usize("offset")?.unwrap_or(0);
    let page = if f.q.is_some() {
        // Words are matched in the full records, read from the store.
        app.blocking(move |cat| cat.list(&f, limit, offset)).await?
    } else {
        app.catalog.list(&f, limit, offset)?
    };
    let mut extra = Map::new();
    extra.insert("numberMatched".into(), json!(page.total));
    extra.insert("numberReturned".into(), json!(page.services.len()));
    extra.insert("limit".into(), json!(limit));
    extra.insert("offset".into(), json!(offset));
    extra.insert(
        "links".into(),
        json!(page_links(
            &origin.base,
            q.as_deref(),
            limit,
            offset,
            page.services.len(),
            page.total
        )),
    );
    let features: Vec<_> = page.services.into_iter().map(|s| (s, None)).collect();
    Ok(geojson_text(collection(&app, features, extra).await?))
}

/// `self`, and `next` and `prev` where there are more pages: the request's own parameters with
/// the offset moved, so a client that follows `next` reads every match.
fn page_links(
    base: &str,
    raw: Option<&str>,
    limit: usize,
    offset: usize,
    returned: usize,
    total: usize,
) -> Vec<serde_json::Value> {
    let kept: Vec<(String, String)> =
        serde_urlencoded::from_str::<Vec<(String, String)>>(raw.unwrap_or(""))
            .unwrap_or_default()
            .into_iter()
            .filter(|(k, _)| k != "offset" && k != "limit")
            .collect();
    let at = |offset: usize| {
        let mut pairs = kept.clone();
        pairs.push(("limit".into(), limit.to_string()));
        pairs.push(("offset".into(), offset.to_string()));
        let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        format!("{base}/api/services?{query}")
    };
    let mut links = vec![json!({"href": at(offset), "rel": "self", "type": GEOJSON})];
    if offset + returned < total {
        links.push(json!({"href": at(offset + limit), "rel": "next", "type": GEOJSON}));
    }
    if offset > 0 {
        links.push(
            json!({"href": at(offset.saturating_sub(limit)), "rel": "prev", "type": GEOJSON}),
        );
    }
    links
}

/// A FeatureCollection of services from their kept features; those not kept are made from
/// their records, read from the store off the async workers.
async fn collection(
    app: &AppState,
    items: Vec<(Arc<Brief>, Option<f64>)>,
    extra: Map<String, serde_json::Value>,
) -> Result<String, ApiError> {
    let missing = app.features.missing(&items);
    let records = if missing.is_empty() {
        Vec::new()
    } else {
        app.blocking(move |cat| {
            let briefs: Vec<&Brief> = missing.iter().map(|b| &**b).collect();
            cat.records(&briefs)
        })
        .await?
    };
    Ok(app
        .features
        .collection(&items, &records, app.catalog.region(), extra))
}

/// One service.
pub async fn one(
    _: super::params::NoParams,
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let s = app.blocking(move |cat| cat.get(&id)).await?;
    super::fresh::count(
        &app,
        std::slice::from_ref(&s.id),
        crate::store::UsageKind::View,
    );
    Ok(geojson(service_feature(&s, app.catalog.region(), None)))
}
