//! The HTTP API: thin axum handlers over [`crate::catalog`], organised by collection.
//!
//! | route | handler module |
//! |---|---|
//! | `GET /api/nearest`, `GET /api/services`, `GET /api/services/{id}` | [`services`] |
//! | `GET /api/coverage` | [`coverage`] |
//! | `GET /api/taxonomy`, `GET /api/municipalities`, `GET /api/region`, `GET /health` | [`meta`] |
pub mod coverage;
pub mod error;
pub mod features;
pub mod meta;
pub mod params;
pub mod services;

use crate::catalog::Catalog;
use axum::routing::get;
use axum::Router;
use std::sync::Arc;

/// What every handler gets: the catalog.
pub type AppState = Arc<Catalog>;

/// The whole API as a router.
pub fn router(catalog: Arc<Catalog>) -> Router {
    Router::new()
        .route("/health", get(meta::health))
        .route("/api/region", get(meta::region))
        .route("/api/taxonomy", get(meta::taxonomy))
        .route("/api/municipalities", get(meta::municipalities))
        .route("/api/coverage", get(coverage::coverage))
        .route("/api/nearest", get(services::nearest))
        .route("/api/services", get(services::list))
        .route("/api/services/{id}", get(services::one))
        .fallback(error::not_found)
        .with_state(catalog)
}
