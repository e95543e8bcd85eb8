//! `GET /health`, `/api/region`, `/api/taxonomy`, `/api/municipalities`.
use super::error::ApiError;
use super::features::{collection, municipality_feature};
use super::AppState;
use crate::coverage::Indicator;
use crate::model::Facts;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};

/// Liveness and a summary; the data version is the store's own (so a probe sees the store
/// answer).
pub async fn health(
    _: super::params::NoParams,
    State(app): State<AppState>,
) -> Result<Json<Value>, ApiError> {
    let version = app.blocking(|cat| cat.version()).await?;
    let cat = &app.catalog;
    Ok(Json(json!({
        "status": "ok",
        "region": cat.region().id,
        "services": cat.len()?,
        "data_version": version,
    })))
}

/// The region: name, bounds, attribution, and whether its data is demonstration data.
pub async fn region(
    _: super::params::NoParams,
    State(app): State<AppState>,
) -> Result<Json<Value>, ApiError> {
    let cat = &app.catalog;
    let r = cat.region();
    let (demo, total) =
        cat.with_briefs(|it| it.fold((0, 0), |(d, t), s| (d + usize::from(s.demo()), t + 1)));
    // The regions served together (one for a single manifest), for `?region=` on coverage.
    let regions: Vec<Value> = r
        .parts
        .iter()
        .map(|p| {
            let n = r.municipalities.iter().filter(|m| m.region == p.id).count();
            json!({"id": p.id, "name": p.name, "municipalities": n, "targets": p.targets})
        })
        .collect();
    Ok(Json(json!({
        "id": r.id,
        "name": r.name,
        "bbox": r.bbox(),
        "attribution": r.attribution,
        "municipalities": r.municipalities.len(),
        "approximate_boundaries": r.municipalities.iter().any(|m| m.approximate),
        "services": total,
        "demo_services": demo,
        "targets": {"elderly": r.targets.elderly, "early_childhood": r.targets.early_childhood},
        "regions": regions,
        "basemap": {
            "kind": app.basemap.kind(),
            "outside": app.basemap.is_outside(),
            "attribution": app.basemap.attribution(),
        },
    })))
}

/// Places matching typed words, or the place a postal code names: `GET /api/places?q=&limit=`.
pub async fn places(
    State(app): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let p = super::params::Params::parse(q.as_deref(), &["q", "limit"])?;
    let text = p
        .text("q")
        .ok_or_else(|| crate::Error::param("q", "is required: a municipality or locality name"))?;
    let limit = p.usize("limit")?.unwrap_or(10);
    // A postal code may read the services' records from the store.
    let found = app.blocking(move |cat| cat.places(&text, limit)).await?;
    Ok(Json(json!({ "places": found })))
}

/// The taxonomy: groups, Carta Social's areas and subareas (each with the groups it sits
/// under) and the responses with their official codes, in Portuguese and English.
pub async fn taxonomy(_: super::params::NoParams, State(app): State<AppState>) -> Json<Value> {
    let cat = &app.catalog;
    let t = &cat.region().taxonomy;
    let subareas: Vec<Value> = t
        .subareas()
        .iter()
        .map(|s| {
            json!({"code": s.code, "area": s.area, "pt": s.pt, "en": s.en,
                   "groups": t.groups_of_subarea(&s.code)})
        })
        .collect();
    Json(json!({
        "groups": t.groups(),
        "areas": t.areas(),
        "subareas": subareas,
        "responses": t.responses(),
    }))
}

/// The municipalities with population and coverage, as GeoJSON.
pub async fn municipalities(
    _: super::params::NoParams,
    State(app): State<AppState>,
) -> Result<Response, ApiError> {
    let cat = &app.catalog;
    let reports = Indicator::ALL
        .iter()
        .map(|&i| cat.coverage(i, None))
        .collect::<Result<Vec<_>, _>>()?;
    let features = cat
        .region()
        .municipalities
        .iter()
        .map(|m| municipality_feature(m, &reports))
        .collect();
    let mut extra = Map::new();
    extra.insert("attribution".into(), json!(cat.region().attribution));
    let body = collection(features, extra);
    Ok((
        [(header::CONTENT_TYPE, "application/geo+json")],
        body.to_string(),
    )
        .into_response())
}
