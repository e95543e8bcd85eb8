//! The HTTP API: thin axum handlers over [`crate::catalog`] and [`crate::tiles`], organised by
//! collection.
//!
//! | route | handler module |
//! |---|---|
//! | `GET /api/nearest`, `GET /api/services`, `GET /api/services/{id}` | [`services`] |
//! | `PATCH /api/services/{id}`, `GET /api/services/{id}/history`, `GET /api/changes`, `POST /api/changes/{id}/approve\|reject\|revert` | [`edit`] |
//! | `POST /api/login`, `POST /api/logout`, `GET /api/me`, `GET /api/me/services`, `DELETE /api/tokens/{id}` | [`auth`] |
//! | `GET\|PATCH /api/providers/{id}`, `GET /api/providers/{id}/history` | [`providers`] (organisations) |
//! | `POST /api/invitations`, `POST /api/users/{id}/link`, `GET /api/users` | [`users`] |
//! | `POST /api/services/{id}/confirm`, `POST /api/confirm`, `GET /api/staleness`, `POST /api/services/{id}/contacted`, `GET /api/providers/{id}/stats` | [`fresh`] |
//! | `GET /api/coverage` | [`coverage`] |
//! | `GET /api/gaps`, `POST /api/scenarios` | [`gaps`] |
//! | `GET /api/trends`, `POST /api/trends/import`, `GET /api/changes/summary`, `GET /feeds/alerts.atom` | [`trends`] (indicators over time, what changed, alerts) |
//! | `GET /api/export` | [`export`] |
//! | `GET /api/datapackage.zip`, `GET /api/datapackage.json`, `GET /api/datapackage/data/{name}`, `GET\|POST /api/datapackage/snapshots`, `GET /api/datapackage/snapshots/{file}`, `GET /data/dictionary`, `GET /CITATION.cff` | [`datapackage`] (the Frictionless Data Package, its snapshots, the data dictionary) |
//! | `GET /quality`, `GET /api/quality` | [`quality`] |
//! | `POST /api/services/{id}/feedback`, `GET /api/feedback`, `POST /api/feedback/{id}/resolve` | [`feedback`] (abuse limits in [`limit`]) |
//! | `GET /api/survey`, `POST /api/survey`, `GET /api/survey/results` | [`survey`] |
//! | `GET /api/profiles` | [`profiles`] (professional profiles) |
//! | `GET /api/public-services` | [`public_services`] (useful public services) |
//! | `GET\|POST /api/news`, `GET\|PATCH\|DELETE /api/news/{id}`, `GET /feeds/news.atom` | [`news`] (news from the regional coordinator) |
//! | `GET /find` (the plain page, no script), `GET /sheet` (the sheet to hand over, its e-mail text and share link) | [`handover`] |
//! | `GET /api/taxonomy`, `GET /api/places`, `GET /api/municipalities`, `GET /api/region`, `GET /health` | [`meta`] |
//! | `GET /hsds/`, `GET /hsds/services[/{id}]`, `…/service_at_locations[/{id}]`, `…/organizations[/{id}]`, `…/taxonomies[/{id}]`, `…/taxonomy_terms[/{id}]` | [`hsds`] (HSDS 3.0 API) |
//! | `GET /tiles/{z}/{x}/{y}.mvt`, `GET /tiles.json`, `GET /tiles/base/{z}/{x}/{y}.mvt`, `GET /tiles/base.json`, `GET /basemap.pmtiles`, `GET /tiles/context/{z}/{x}/{y}.mvt`, `GET /tiles/context.json` | [`tiles`] (the base map's archive and tiles, and the context layers, too) |
//! | `GET /ogc`, `/ogc/conformance`, `/ogc/collections[/{id}[/items[/{fid}]\|/queryables]]` | [`ogc`] (OGC API – Features) |
//! | `GET /openapi.json`, `GET /openapi.yaml`, `GET /api-docs`, `GET /vendor/swagger-ui/...` | [`openapi`] (the document: `src/api/openapi/*.yaml`) |
//! | `GET /`, `GET /login`, `GET /provider`, `GET /styles/{name}.json`, `GET /styles/sprites/{file}`, `GET /vendor/maplibre-gl/...`, `GET /vendor/uplot/...`, page files | [`web`] |
//!
//! Every request and answer also passes [`guard`] (write bodies declared JSON, security
//! headers), [`origin`] (trusted proxies, the public URL) and [`error::json_errors`] (every
//! error in JSON, but the plain pages' own HTML answers); downloads are answered whole or by byte ranges by [`download`].
pub mod auth;
pub mod coverage;
pub mod datapackage;
pub mod download;
pub mod edit;
pub mod error;
pub mod export;
/// The GeoJSON features the API serves, built in [`crate::export::features`] (the open files use
/// them too).
pub use crate::export::features;
pub mod feedback;
pub mod fresh;
pub mod gaps;
pub mod guard;
pub mod handover;
pub mod hsds;
pub mod limit;
pub mod meta;
pub mod news;
pub mod ogc;
pub mod openapi;
pub mod origin;
pub mod params;
pub mod profiles;
pub mod providers;
pub mod public_services;
pub mod quality;
pub mod services;
pub mod survey;
pub mod tiles;
pub mod training;
pub mod trends;
pub mod users;
pub mod web;

use crate::catalog::Catalog;
use crate::mail::{LogOnly, Mailer};
use crate::tiles::{CatalogTiles, TileSource};
use axum::routing::{delete, get, post};
use axum::Router;
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
pub use web::Assets;

/// What every handler gets.
#[derive(Clone)]
pub struct AppState {
    /// The services and the region.
    pub catalog: Arc<Catalog>,
    /// The vector tile source.
    pub tiles: Arc<dyn TileSource>,
    /// The base map under the services (its archive, when one is served).
    pub basemap: Arc<crate::tiles::basemap::Basemap>,
    /// The context layers (seats, towns, parish boundaries) from the region's own data.
    pub context: Arc<dyn TileSource>,
    /// Encoded tiles kept in memory (per version of what they show).
    pub tile_cache: Arc<crate::tiles::cache::TileCache>,
    /// The last export made (a client reading by ranges asks for the same file again).
    pub exports: Arc<download::ExportCache>,
    /// Service features kept as text (per record).
    pub features: Arc<crate::export::feature_text::FeatureCache>,
    /// The page's files.
    pub assets: Arc<Assets>,
    /// Rate limits of login and writes.
    pub limits: Arc<limit::RateLimits>,
    /// Where login links go: SMTP, or only the log.
    pub mailer: Arc<dyn Mailer>,
    /// The data package's dated snapshots (none kept without a folder for them).
    pub snapshots: Option<Arc<crate::datapackage::snapshots::Shelf>>,
}

impl AppState {
    /// Runs `f` on the catalog on tokio's blocking threads and waits for it. Store calls wait
    /// on disk and locks; run on the async workers they would hold up every other request
    /// (tiles, searches) meanwhile.
    pub async fn blocking<T, F>(&self, f: F) -> crate::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Catalog) -> crate::Result<T> + Send + 'static,
    {
        let cat = self.catalog.clone();
        tokio::task::spawn_blocking(move || f(&cat))
            .await
            .map_err(|e| crate::Error::Internal(format!("blocking task: {e}")))?
    }
}

/// Settings of the service that are not data.
#[derive(Debug, Clone)]
pub struct Options {
    /// Problem reports one client may send in a minute.
    pub feedback_per_minute: usize,
    /// Problem reports one client may send in a day.
    pub feedback_per_day: usize,
    /// Bytes of encoded tiles kept in memory; 0 keeps none (every tile is built on every
    /// request, for benchmarks).
    pub tile_cache_bytes: usize,
    /// Which proxies' `X-Forwarded-*` headers are believed, and the public URL of links.
    pub forwarding: origin::Forwarding,
    /// The folder of the data package's dated snapshots (`bussola serve`: the data folder's
    /// `snapshots/`); none kept without one.
    pub snapshots: Option<std::path::PathBuf>,
    /// The base map, opened (`serve` opens it first, so a bad archive stops the start with
    /// its name); `None` opens the region's `[basemap]` when the router is built.
    pub basemap: Option<Arc<crate::tiles::basemap::Basemap>>,
}

impl Default for Options {
    fn default() -> Self {
        // A person reports a few records at most; a script is stopped.
        Options {
            feedback_per_minute: 5,
            feedback_per_day: 30,
            tile_cache_bytes: crate::tiles::cache::DEFAULT_BUDGET,
            forwarding: origin::Forwarding::default(),
            snapshots: None,
            basemap: None,
        }
    }
}

/// The whole service as a router: API, tiles, styles and page.
pub fn router(catalog: Arc<Catalog>, assets: Assets) -> Router {
    router_with(catalog, assets, Options::default())
}

/// [`router`] with settings.
pub fn router_with(catalog: Arc<Catalog>, assets: Assets, options: Options) -> Router {
    router_with_mailer(catalog, assets, options, Arc::new(LogOnly))
}

/// [`router_with`] and a mailer for login links (see [`crate::mail::from_settings`]).
pub fn router_with_mailer(
    catalog: Arc<Catalog>,
    assets: Assets,
    options: Options,
    mailer: Arc<dyn Mailer>,
) -> Router {
    let snapshots = options.snapshots.as_ref().map(|dir| {
        Arc::new(crate::datapackage::snapshots::Shelf::new(
            dir,
            &catalog.region().id,
        ))
    });
    let basemap = match options.basemap {
        Some(b) => b,
        None => Arc::new(
            crate::tiles::basemap::Basemap::open(catalog.region().basemap.as_ref()).unwrap_or_else(
                |e| {
                    tracing::error!("no base map: {e}");
                    Default::default()
                },
            ),
        ),
    };
    // The page's policy: nothing from another server, unless the operator chose an outside
    // base map, whose servers it then names.
    let csp = axum::http::HeaderValue::from_str(&guard::csp_with(&basemap.spec.outside_origins()))
        .unwrap_or(axum::http::HeaderValue::from_static(guard::CSP));
    let state = AppState {
        basemap,
        context: Arc::new(crate::tiles::context::ContextTiles::new(catalog.region())),
        mailer,
        snapshots,
        tiles: Arc::new(CatalogTiles::new(catalog.clone())),
        tile_cache: Arc::new(crate::tiles::cache::TileCache::new(
            options.tile_cache_bytes,
        )),
        features: Arc::new(crate::export::feature_text::FeatureCache::new(
            crate::export::feature_text::DEFAULT_FEATURES,
        )),
        exports: Arc::default(),
        catalog,
        assets: Arc::new(assets),
        limits: Arc::new(limit::RateLimits::with_feedback(
            options.feedback_per_minute,
            options.feedback_per_day,
        )),
    };
    Router::new()
        .route("/health", get(meta::health))
        .route("/api/region", get(meta::region))
        .route("/api/taxonomy", get(meta::taxonomy))
        .route("/api/places", get(meta::places))
        .route("/api/municipalities", get(meta::municipalities))
        .route("/api/profiles", get(profiles::list))
        .route("/api/training", get(training::list).post(training::create))
        .route("/api/training/import", post(training::import))
        .route(
            "/api/training/{id}",
            get(training::one)
                .patch(training::patch)
                .delete(training::withdraw),
        )
        .route("/api/training/{id}/history", get(training::history))
        .route("/api/me/training", get(training::mine))
        .route("/training/{id}", get(training::page))
        .route("/feeds/training.atom", get(training::feed))
        .route("/api/public-services", get(public_services::list))
        .route("/api/news", get(news::list).post(news::create))
        .route(
            "/api/news/{id}",
            get(news::one).patch(news::patch).delete(news::delete),
        )
        .route("/feeds/news.atom", get(news::feed))
        .route("/api/coverage", get(coverage::coverage))
        .route("/api/gaps", get(gaps::gaps))
        .route("/api/trends", get(trends::trends))
        .route("/api/trends/import", post(trends::import))
        .route("/api/changes/summary", get(trends::changes_summary))
        .route("/feeds/alerts.atom", get(trends::feed))
        .route("/api/export", get(export::download))
        .route("/api/datapackage.zip", get(datapackage::zip))
        .route("/api/datapackage.json", get(datapackage::descriptor))
        .route("/api/datapackage/data/{name}", get(datapackage::resource))
        .route(
            "/api/datapackage/snapshots",
            get(datapackage::snapshots).post(datapackage::make_snapshot),
        )
        .route(
            "/api/datapackage/snapshots/{file}",
            get(datapackage::snapshot),
        )
        .route("/data/dictionary", get(datapackage::dictionary))
        .route("/CITATION.cff", get(datapackage::citation))
        .route("/api/quality", get(quality::json))
        .route("/quality", get(quality::page))
        .route("/find", get(handover::find))
        .route("/sheet", get(handover::sheet))
        .route("/api/scenarios", post(gaps::scenario))
        .route("/api/nearest", get(services::nearest))
        .route("/api/services", get(services::list))
        .route("/api/services/{id}", get(services::one).patch(edit::patch))
        .route("/api/services/{id}/history", get(edit::history))
        .route("/api/changes", get(edit::list))
        .route("/api/changes/{id}/approve", post(edit::approve))
        .route("/api/changes/{id}/reject", post(edit::reject))
        .route("/api/changes/{id}/revert", post(edit::revert))
        .route("/api/login", post(auth::login))
        .route("/api/logout", post(auth::logout))
        .route("/api/me", get(auth::me))
        .route("/api/me/services", get(auth::my_services))
        .route("/api/tokens/{id}", delete(auth::revoke))
        .route("/api/invitations", post(users::invite))
        .route("/api/users", get(users::list))
        .route("/api/users/{id}/link", post(users::link))
        .route("/api/services/{id}/feedback", post(feedback::report))
        .route("/api/feedback", get(feedback::list))
        .route("/api/services/{id}/confirm", post(fresh::confirm_one))
        .route("/api/confirm", post(fresh::confirm_all))
        .route("/api/staleness", get(fresh::staleness))
        .route("/api/services/{id}/contacted", post(fresh::contacted))
        .route(
            "/api/providers/{id}",
            get(providers::one).patch(providers::patch),
        )
        .route("/api/providers/{id}/history", get(providers::history))
        .route("/api/providers/{id}/stats", get(fresh::stats))
        .route("/api/feedback/{id}/resolve", post(feedback::resolve))
        .route("/api/survey", get(survey::questions).post(survey::answer))
        .route("/api/survey/results", get(survey::results))
        .route("/hsds", get(hsds::root))
        .route("/hsds/", get(hsds::root))
        .route("/hsds/services", get(hsds::services))
        .route("/hsds/services/{id}", get(hsds::service))
        .route(
            "/hsds/service_at_locations",
            get(hsds::service_at_locations),
        )
        .route(
            "/hsds/service_at_locations/{id}",
            get(hsds::service_at_location),
        )
        .route("/hsds/organizations", get(hsds::organizations))
        .route("/hsds/organizations/{id}", get(hsds::organization))
        .route("/hsds/taxonomies", get(hsds::taxonomies))
        .route("/hsds/taxonomies/{id}", get(hsds::taxonomy))
        .route("/hsds/taxonomy_terms", get(hsds::taxonomy_terms))
        .route("/hsds/taxonomy_terms/{id}", get(hsds::taxonomy_term))
        .route("/ogc", get(ogc::landing))
        .route("/ogc/conformance", get(ogc::conformance))
        .route("/ogc/collections", get(ogc::collections))
        .route("/ogc/collections/{id}", get(ogc::collection))
        .route("/ogc/collections/{id}/items", get(ogc::items))
        .route("/ogc/collections/{id}/items/{fid}", get(ogc::item))
        .route("/ogc/collections/{id}/queryables", get(ogc::queryables))
        .route("/tiles.json", get(tiles::tilejson))
        .route("/tiles/{z}/{x}/{y}", get(tiles::tile))
        .route("/tiles/base.json", get(tiles::base_tilejson))
        .route("/tiles/base/{z}/{x}/{y}", get(tiles::base_tile))
        .route("/basemap.pmtiles", get(tiles::archive))
        .route("/tiles/context.json", get(tiles::context_tilejson))
        .route("/tiles/context/{z}/{x}/{y}", get(tiles::context_tile))
        .route("/styles/{name}", get(web::style))
        .route("/styles/sprites/{file}", get(web::sprite))
        .route("/vendor/maplibre-gl/{*path}", get(web::maplibre))
        .route("/openapi.json", get(openapi::json))
        .route("/openapi.yaml", get(openapi::yaml))
        .route("/api-docs", get(openapi::page))
        .route("/vendor/swagger-ui/{*path}", get(web::swagger_ui))
        .route("/vendor/uplot/{*path}", get(web::uplot))
        .route("/", get(web::index))
        .route("/login", get(web::provider))
        .route("/provider", get(web::provider))
        .route("/{*path}", get(web::page_file))
        .fallback(error::not_found)
        .with_state(state)
        // Innermost first: JSON bodies checked before any handler reads one; every error in
        // JSON; the origin resolved for handlers; security headers on every answer. JSON, the
        // page and MapLibre shrink to a quarter for slow connections; tiles are gzipped by
        // their handler (with their own ETag) and pass through untouched.
        .layer(axum::middleware::from_fn(guard::json_bodies))
        .layer(axum::middleware::map_response(error::json_errors))
        .layer(axum::middleware::from_fn_with_state(
            Arc::new(options.forwarding),
            origin::resolve,
        ))
        .layer(axum::middleware::map_response_with_state(
            Arc::new(csp),
            guard::security_headers_with,
        ))
        .layer(compression())
}

/// Gzip where it pays: bodies of a kilobyte or more (below that the saving is a few hundred
/// bytes, less than a round trip), at the fastest level (answers are made per request: the
/// default level cost a search three times what it saved over the fastest).
fn compression() -> CompressionLayer<impl tower_http::compression::Predicate> {
    use tower_http::compression::predicate::{NotForContentType, Predicate, SizeAbove};
    CompressionLayer::new()
        .gzip(true)
        .quality(tower_http::CompressionLevel::Fastest)
        .compress_when(
            SizeAbove::new(1024)
                .and(NotForContentType::GRPC)
                .and(NotForContentType::IMAGES)
                .and(NotForContentType::SSE)
                // Byte ranges count the file's own bytes: downloads that take them go as they are.
                .and(
                    |_, _, h: &axum::http::HeaderMap, _: &axum::http::Extensions| {
                        !h.contains_key(axum::http::header::ACCEPT_RANGES)
                    },
                ),
        )
}
