//! `serve`: the HTTP server over the region's catalog.
use super::open_catalog;
use anyhow::{Context, Result};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

/// Installs the page's npm packages (MapLibre; Swagger UI for `/api-docs`; uPlot for the trends
/// view) when one is missing.
fn ensure_maplibre(assets: &bussola::api::Assets) {
    let installed = assets.maplibre().join("maplibre-gl.css").exists()
        && assets.swagger_ui().join("swagger-ui-bundle.js").exists()
        && assets.uplot().join("uPlot.esm.js").exists();
    if installed || !assets.web.join("package.json").exists() {
        return;
    }
    tracing::info!(
        "installing the map page's dependencies: npm ci --prefix {}",
        assets.web.display()
    );
    let status = std::process::Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--prefix"])
        .arg(&assets.web)
        .status();
    match status {
        Ok(s) if s.success() => {}
        _ => tracing::warn!(
            "could not install MapLibre; the API works, but the map page needs `npm ci --prefix {}`",
            assets.web.display()
        ),
    }
}

pub(super) async fn serve(
    addr: SocketAddr,
    manifest: &[PathBuf],
    db: &super::args::DbArgs,
    assets: bussola::api::Assets,
    mut options: bussola::api::Options,
    basemap: Option<PathBuf>,
    mailer: Arc<dyn bussola::mail::Mailer>,
) -> Result<()> {
    ensure_maplibre(&assets);
    let catalog = open_catalog(manifest, db)?;
    options.basemap = Some(Arc::new(open_basemap(catalog.region(), basemap)?));
    tracing::info!(
        "region {} with {} services and {} municipalities; database: {}",
        catalog.region().name,
        catalog.len()?,
        catalog.region().municipalities.len(),
        catalog.store().describe()
    );
    let catalog = Arc::new(catalog);
    // A CLI import or restore on the same database shows without a restart.
    tokio::spawn(bussola::catalog::keep_fresh(
        catalog.clone(),
        std::time::Duration::from_secs(2),
    ));
    // Indicators kept over time: after writes (once quiet) and at least daily; past days
    // rebuilt from the change history first.
    tokio::spawn(bussola::trends::recorder::keep_recording(
        catalog.clone(),
        bussola::trends::recorder::Pace::default(),
    ));
    // The data package's dated snapshots: one a day, once the day's indicators are recorded.
    if let Some(dir) = &options.snapshots {
        tokio::spawn(bussola::datapackage::snapshots::keep_daily(
            catalog.clone(),
            std::sync::Arc::new(bussola::datapackage::snapshots::Shelf::new(
                dir,
                &catalog.region().id,
            )),
        ));
    }
    if mailer.sends() {
        tracing::info!("login links are e-mailed through SMTP");
    }
    let app = bussola::api::router_with_mailer(catalog.clone(), assets, options, mailer);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("listening on {addr}"))?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    // The peer address keys the rate limits of login and writes.
    let app = app.into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(stopped())
        .await?;
    // Use counts wait in memory for a few seconds; write them before leaving.
    catalog.flush_usage()?;
    Ok(())
}

/// The base map: `--basemap FILE`, else the region's `[basemap]`; an archive is read and
/// checked now, so a bad file stops the start with its name and what is wrong.
fn open_basemap(
    region: &bussola::region::Region,
    over: Option<PathBuf>,
) -> Result<bussola::tiles::basemap::Basemap> {
    use bussola::region::manifest::BasemapSpec;
    let spec = match over {
        Some(path) => Some(BasemapSpec::archive(path)),
        None => region.basemap.clone(),
    };
    let basemap = bussola::tiles::basemap::Basemap::open(spec.as_ref())
        .context("the base map (--basemap, or [basemap] in the region manifest)")?;
    match (&basemap.archive, basemap.kind()) {
        (Some(a), _) => {
            let (min, max) = a.zooms();
            tracing::info!(
                "base map: {} ({:.1} MB, {} layers, zooms {min}-{max})",
                a.path().display(),
                a.size() as f64 / 1e6,
                a.schema().name()
            );
        }
        (None, "context") => tracing::info!("base map: the region's own context layers"),
        (None, kind) => tracing::warn!(
            "base map: an outside {kind} ({}): the page loads it from that server",
            basemap
                .spec
                .style_url
                .as_deref()
                .or(basemap.spec.raster_tiles.as_deref())
                .unwrap_or_default()
        ),
    }
    Ok(basemap)
}

/// Resolves when the process is asked to stop: Ctrl-C (SIGINT), or SIGTERM (systemd, a
/// container runtime, `kill`), so the use counts still in memory are written either way.
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
                return;
            }
            Err(e) => tracing::warn!("SIGTERM will not stop the server gracefully: {e}"),
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
