//! Helpers shared by the integration tests.
#![allow(dead_code)]
pub mod accounts;
pub mod basemap;
pub mod http;
pub mod locked;
pub mod mvt;
pub mod postgres;
pub mod replicas;
pub mod server;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use bussola::catalog::Catalog;
use bussola::region::Region;
use bussola::store::SqliteStore;
use http_body_util::BodyExt;
use serde_json::Value;
pub use server::{demo_manifest, http_get, root, shipped_manifest, Server};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tower::ServiceExt;

/// `../shared/geodata`, or `None` (with a printed reason) outside CI when it is missing.
pub fn shared() -> Option<PathBuf> {
    let p = root().join("../shared/geodata");
    if p.join("alentejo/municipios.geojson").exists() {
        return Some(p);
    }
    if std::env::var_os("CI").is_some() {
        panic!("../shared/geodata is missing, and CI must have it");
    }
    eprintln!("skipping: ../shared/geodata not found beside the repository");
    None
}

/// The tests' base map: a PMTiles archive built once per test process (in `target/tmp/basemap/`) from
/// `../shared/geodata` (see [`basemap`]), or `None` (with a printed reason) outside CI when the
/// shared data is missing.
pub fn test_basemap() -> Option<&'static basemap::Built> {
    static BUILT: std::sync::OnceLock<Option<basemap::Built>> = std::sync::OnceLock::new();
    BUILT
        .get_or_init(|| {
            let shared = shared()?;
            // One path for every run: written beside and renamed, so a run never reads half of
            // another's (a server that has it open keeps reading the one it opened).
            let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("basemap/alentejo.pmtiles");
            Some(basemap::build(&shared, &out, BASEMAP_MAX_ZOOM))
        })
        .as_ref()
}

/// The highest zoom of the tests' base map (MapLibre over-zooms its tiles beyond it).
pub const BASEMAP_MAX_ZOOM: u8 = 10;

/// The router over the test region with the tests' base map served (`None` without the
/// shared data).
pub fn app_with_basemap() -> Option<(Router, Arc<Catalog>)> {
    let built = test_basemap()?;
    let cat = catalog(&demo_manifest());
    let basemap = bussola::tiles::basemap::Basemap::open(Some(
        &bussola::region::manifest::BasemapSpec::archive(built.path.clone()),
    ))
    .expect("the tests' base map opens");
    let options = bussola::api::Options {
        forwarding: bussola::api::origin::Forwarding {
            trusted: vec!["127.0.0.1".parse().expect("address")],
            public_url: None,
        },
        basemap: Some(Arc::new(basemap)),
        ..Default::default()
    };
    let router =
        bussola::api::router_with(cat.clone(), bussola::api::Assets::under(&root()), options)
            .layer(axum::Extension(peer("127.0.0.1")));
    Some((router, cat))
}

/// The errors among a load's or an import's issues, as their messages.
pub fn errors(issues: &[bussola::region::Issue]) -> Vec<String> {
    issues
        .iter()
        .filter(|i| i.severity == bussola::region::Severity::Error)
        .map(|i| i.to_string())
        .collect()
}

/// A catalog over a manifest with an in-memory store.
pub fn catalog(manifest: &Path) -> Arc<Catalog> {
    let loaded = Region::load(manifest).expect("region loads");
    let store = SqliteStore::in_memory().expect("store opens");
    Arc::new(Catalog::open(loaded.region, Box::new(store)).expect("catalog opens"))
}

/// The router over the test fixture region (`tests/data/demo-alentejo-central`).
pub fn app() -> (Router, Arc<Catalog>) {
    let cat = catalog(&demo_manifest());
    (behind_proxy(cat.clone()), cat)
}

/// The router as served behind a reverse proxy on this machine (`--trusted-proxy 127.0.0.1`),
/// every request arriving from it: `X-Forwarded-*` set by a test are believed, as a proxy's
/// would be.
pub fn behind_proxy(cat: Arc<Catalog>) -> Router {
    let options = bussola::api::Options {
        forwarding: bussola::api::origin::Forwarding {
            trusted: vec!["127.0.0.1".parse().expect("address")],
            public_url: None,
        },
        ..Default::default()
    };
    bussola::api::router_with(cat, bussola::api::Assets::under(&root()), options)
        .layer(axum::Extension(peer("127.0.0.1")))
}

/// The connection's peer address, as `serve` gives it to handlers.
pub fn peer(ip: &str) -> axum::extract::ConnectInfo<std::net::SocketAddr> {
    axum::extract::ConnectInfo(std::net::SocketAddr::new(
        ip.parse().expect("address"),
        40000,
    ))
}

/// GETs a URI; returns status, content type and body text.
pub async fn get_raw(app: &Router, uri: &str) -> (StatusCode, String, String) {
    let res = app
        .clone()
        .oneshot(Request::get(uri).body(Body::empty()).expect("request"))
        .await
        .expect("response");
    let status = res.status();
    let ct = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    (status, ct, String::from_utf8_lossy(&bytes).into_owned())
}

/// Sends a GET with headers; returns status, response headers and body bytes.
pub async fn get_with(
    app: &Router,
    uri: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut req = Request::get(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::empty()).expect("request"))
        .await
        .expect("response");
    let status = res.status();
    let h = res.headers().clone();
    let bytes = res
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes()
        .to_vec();
    (status, h, bytes)
}

/// GETs a URI and parses the JSON body.
pub async fn get(app: &Router, uri: &str) -> (StatusCode, Value) {
    let (status, _, body) = get_raw(app, uri).await;
    let v = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{uri}: not JSON ({e}): {body}"));
    (status, v)
}

/// A deterministic sequence of pseudo-random numbers in [0, 1).
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Sends a request with a method, headers and a body; returns status, response headers and the
/// body parsed as JSON (`Null` when empty or not JSON).
pub async fn send(
    app: &Router,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (StatusCode, axum::http::HeaderMap, Value) {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    if !body.is_empty() {
        req = req.header("content-type", "application/json");
    }
    let res = app
        .clone()
        .oneshot(req.body(Body::from(body.to_string())).expect("request"))
        .await
        .expect("response");
    let status = res.status();
    let h = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    (
        status,
        h,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

/// The Python of `target/feed-venv` (`bash .ci/feeds.sh`), the independent readers of what the
/// service writes (feedparser, icalendar, rdflib), if it imports `module`; `None` (with a reason)
/// outside CI, where a missing reader fails instead.
pub fn feed_venv(module: &str) -> Option<PathBuf> {
    let py = std::env::var_os("FEED_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/feed-venv"))
        .join("bin/python");
    let ok = std::process::Command::new(&py)
        .args(["-c", &format!("import {module}")])
        .output()
        .is_ok_and(|o| o.status.success());
    if ok {
        return Some(py);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must install {module}: bash .ci/feeds.sh"
    );
    eprintln!("skipping: {module} missing in target/feed-venv (bash .ci/feeds.sh installs it)");
    None
}

/// Runs a Python script with `input` on its standard input; its standard output as JSON.
pub fn python_json(py: &Path, script: &str, input: &[u8]) -> Value {
    use std::io::Write;
    let mut child = std::process::Command::new(py)
        .args(["-c", script])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("python starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("input written");
    let out = child.wait_with_output().expect("python ends");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON from python")
}
