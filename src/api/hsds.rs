//! The HSDS 3.0 API under `/hsds` (Open Referral's API reference): `GET /hsds/`,
//! `/hsds/services[/{id}]`, `/hsds/service_at_locations[/{id}]`, `/hsds/organizations[/{id}]`,
//! `/hsds/taxonomies[/{id}]`, `/hsds/taxonomy_terms[/{id}]`. Thin handlers over
//! [`crate::export::hsds::api`], which builds the same objects as the HSDS export.
use super::error::ApiError;
use super::origin::Origin;
use super::params::Params;
use super::AppState;
use crate::export::hsds::api::{self, Query};
use crate::{Error, Result};
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;

/// Paging and `format` (the reference's; only `json` is served).
const PAGING: &[&str] = &["page", "per_page", "format"];

/// Parses a query with the paging parameters and `extra`.
fn query(raw: Option<&str>, extra: &[&str]) -> Result<Query> {
    let allowed: Vec<&str> = PAGING.iter().chain(extra).copied().collect();
    let p = Params::parse(raw, &allowed)?;
    if let Some(f) = p.text("format") {
        if f != "json" {
            return Err(Error::param(
                "format",
                format!("'{f}' is not served; only json"),
            ));
        }
    }
    let flag = |name: &str| -> Result<bool> {
        match p.text(name).as_deref() {
            None | Some("false") => Ok(false),
            Some("true") => Ok(true),
            Some(other) => Err(Error::param(
                name,
                format!("'{other}' is not true or false"),
            )),
        }
    };
    Ok(Query {
        page: p.usize("page")?,
        per_page: p.usize("per_page")?,
        search: p.text("search"),
        taxonomy_term_id: p.text("taxonomy_term_id"),
        taxonomy_id: p.text("taxonomy_id"),
        organization_id: p.text("organization_id"),
        modified_after: p.text("modified_after"),
        postcode: p.text("postcode"),
        parent_id: p.text("parent_id"),
        top_only: flag("top_only")?,
        minimal: flag("minimal")?,
        full: flag("full")?,
        full_service: flag("full_service")?,
    })
}

/// Runs `f` on the catalog off the async workers (it reads every record from the store).
async fn answer<F>(app: &AppState, f: F) -> std::result::Result<Json<Value>, ApiError>
where
    F: FnOnce(&crate::catalog::Catalog) -> Result<Value> + Send + 'static,
{
    Ok(Json(app.blocking(f).await?))
}

/// `GET /hsds/`: the HSDS version, profile and the OpenAPI document's URL.
pub async fn root(_: super::params::NoParams, origin: Origin) -> Response {
    (
        [(header::VARY, super::origin::VARY)],
        Json(api::info(&format!("{}/openapi.json", origin.base))),
    )
        .into_response()
}

/// `GET /hsds/services`: `search`, `taxonomy_term_id`, `taxonomy_id`, `organization_id`,
/// `modified_after`, `minimal`, `full`, paging.
pub async fn services(
    State(app): State<AppState>,
    RawQuery(raw): RawQuery,
) -> std::result::Result<Json<Value>, ApiError> {
    let q = query(
        raw.as_deref(),
        &[
            "search",
            "taxonomy_term_id",
            "taxonomy_id",
            "organization_id",
            "modified_after",
            "minimal",
            "full",
        ],
    )?;
    answer(&app, move |cat| api::services(cat, &q)).await
}

/// `GET /hsds/services/{id}`: one service, fully nested.
pub async fn service(
    _: super::params::NoParams,
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> std::result::Result<Json<Value>, ApiError> {
    answer(&app, move |cat| api::service(cat, &id)).await
}

/// `GET /hsds/service_at_locations`: the services' filters, `postcode`, `full`, paging.
pub async fn service_at_locations(
    State(app): State<AppState>,
    RawQuery(raw): RawQuery,
) -> std::result::Result<Json<Value>, ApiError> {
    let q = query(
        raw.as_deref(),
        &[
            "search",
            "taxonomy_term_id",
            "taxonomy_id",
            "organization_id",
            "modified_after",
            "full",
            "postcode",
        ],
    )?;
    answer(&app, move |cat| api::service_at_locations(cat, &q)).await
}

/// `GET /hsds/service_at_locations/{id}`: one, fully nested.
pub async fn service_at_location(
    _: super::params::NoParams,
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> std::result::Result<Json<Value>, ApiError> {
    answer(&app, move |cat| api::service_at_location(cat, &id)).await
}

/// `GET /hsds/organizations`: `search`, `full`, `full_service`, paging.
pub async fn organizations(
    State(app): State<AppState>,
    RawQuery(raw): RawQuery,
) -> std::result::Result<Json<Value>, ApiError> {
    let q = query(raw.as_deref(), &["search", "full", "full_service"])?;
    answer(&app, move |cat| api::organizations(cat, &q)).await
}

/// `GET /hsds/organizations/{id}`: one organization with its services; `full_service`.
pub async fn organization(
    State(app): State<AppState>,
    Path(id): Path<String>,
    RawQuery(raw): RawQuery,
) -> std::result::Result<Json<Value>, ApiError> {
    let p = Params::parse(raw.as_deref(), &["full_service"])?;
    let full_service = match p.text("full_service").as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(ApiError(Error::param(
                "full_service",
                format!("'{other}' is not true or false"),
            )))
        }
    };
    answer(&app, move |cat| api::organization(cat, &id, full_service)).await
}

/// `GET /hsds/taxonomies`: `search`, paging.
pub async fn taxonomies(
    State(app): State<AppState>,
    RawQuery(raw): RawQuery,
) -> std::result::Result<Json<Value>, ApiError> {
    let q = query(raw.as_deref(), &["search"])?;
    Ok(Json(api::taxonomies(&app.catalog, &q)?))
}

/// `GET /hsds/taxonomies/{id}`.
pub async fn taxonomy(
    _: super::params::NoParams,
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> std::result::Result<Json<Value>, ApiError> {
    Ok(Json(api::taxonomy(&app.catalog, &id)?))
}

/// `GET /hsds/taxonomy_terms`: `search`, `taxonomy_id`, `parent_id`, `top_only`, paging.
pub async fn taxonomy_terms(
    State(app): State<AppState>,
    RawQuery(raw): RawQuery,
) -> std::result::Result<Json<Value>, ApiError> {
    let q = query(
        raw.as_deref(),
        &["search", "taxonomy_id", "parent_id", "top_only"],
    )?;
    Ok(Json(api::taxonomy_terms(&app.catalog, &q)?))
}

/// `GET /hsds/taxonomy_terms/{id}`: the term with its taxonomy.
pub async fn taxonomy_term(
    _: super::params::NoParams,
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> std::result::Result<Json<Value>, ApiError> {
    Ok(Json(api::taxonomy_term(&app.catalog, &id)?))
}
