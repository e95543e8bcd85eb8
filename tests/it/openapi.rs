//! The OpenAPI document (`src/api/openapi/*.yaml`, served at `/openapi.json`) against the
//! router and its answers: every route the router serves is documented with each of its
//! methods and every documented operation is routed (routes read from `src/api/mod.rs`, as
//! `fuzz.rs` reads them); every documented GET answers its example request with a documented
//! status (not 404 or 405); unknown parameters, unknown ids and missing credentials get a
//! status the document lists; and `openapi-spec-validator` (installed by `.ci/openapi.sh`)
//! passes. See `docs/api/openapi.md`.
use crate::common::accounts::{bearer, session};
use crate::common::{app, root};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use bussola::auth::Role;
use http_body_util::BodyExt;
use serde_json::Value;
use std::collections::BTreeSet;
use tower::ServiceExt;

const METHODS: [&str; 5] = ["get", "post", "patch", "put", "delete"];

/// (METHOD, path) of every route `src/api/mod.rs` declares, paths as the router writes them.
fn routed() -> BTreeSet<(String, String)> {
    let src = std::fs::read_to_string(root().join("src/api/mod.rs")).unwrap();
    let body = src.split("Router::new()").nth(1).unwrap();
    let body = body.split(".fallback(").next().unwrap();
    let mut out = BTreeSet::new();
    for chunk in body.split(".route(").skip(1) {
        let path = chunk.split('"').nth(1).unwrap().to_string();
        let handlers = chunk.split_once(',').unwrap().1;
        for m in METHODS {
            let call = format!("{m}(");
            let found = handlers
                .match_indices(&call)
                .any(|(i, _)| i == 0 || !handlers.as_bytes()[i - 1].is_ascii_alphanumeric());
            if found {
                out.insert((m.to_uppercase(), normalise(&path)));
            }
        }
    }
    out
}

/// A path with each templated segment reduced to `{}`: the router's `{*path}`, `{y}` and `{id}`
/// are the document's `{path}`, `{y}.mvt` and `{collectionId}`, so their spellings compare.
fn normalise(path: &str) -> String {
    path.split('/')
        .map(|seg| {
            if seg.starts_with('{') {
                "{}".to_string()
            } else {
                seg.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn doc() -> &'static Value {
    &bussola::api::openapi::document().unwrap().value
}

/// Every documented operation: (METHOD, path as documented, operation).
fn operations() -> Vec<(String, String, &'static Value)> {
    let mut out = Vec::new();
    for (path, item) in doc()["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if METHODS.contains(&method.as_str()) {
                out.push((method.to_uppercase(), path.clone(), op));
            }
        }
    }
    out
}

/// A parameter, its `$ref` followed.
fn param(p: &'static Value) -> &'static Value {
    match p["$ref"].as_str() {
        Some(r) => doc().pointer(r.trim_start_matches('#')).unwrap(),
        None => p,
    }
}

fn example(p: &Value) -> String {
    match &p["example"] {
        Value::String(s) => s.clone(),
        Value::Null => panic!("parameter {} has no example", p["name"]),
        v => v.to_string(),
    }
}

/// The operation's example request: path parameters from their examples (or `id`), and its
/// required query parameters.
fn uri(path: &str, op: &'static Value, id: Option<&str>) -> String {
    let params: Vec<&Value> = op["parameters"]
        .as_array()
        .map(|a| a.iter().map(param).collect())
        .unwrap_or_default();
    let mut uri = path.to_string();
    for p in params.iter().filter(|p| p["in"] == "path") {
        let name = p["name"].as_str().unwrap();
        let value = id.map_or_else(|| example(p), str::to_string);
        uri = uri.replace(&format!("{{{name}}}"), &value);
    }
    let query: Vec<String> = params
        .iter()
        .filter(|p| p["in"] == "query" && p["required"] == true)
        .map(|p| format!("{}={}", p["name"].as_str().unwrap(), example(p)))
        .collect();
    if !query.is_empty() {
        uri = format!("{uri}?{}", query.join("&"));
    }
    uri
}

fn documented(op: &Value) -> BTreeSet<String> {
    op["responses"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

/// Whether the operation needs an account (its `security` has no empty alternative).
fn needs_account(op: &Value) -> bool {
    op["security"].as_array().is_some_and(|alts| {
        !alts.is_empty()
            && alts
                .iter()
                .all(|a| a.as_object().is_some_and(|o| !o.is_empty()))
    })
}

async fn send(app: &Router, method: &str, uri: &str, auth: Option<&str>) -> (StatusCode, String) {
    // Each request from its own address (the test router trusts a proxy's X-Forwarded-For), so
    // that walking every write never meets the per-client rate limit.
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let client = format!("10.{}.{}.{}", n >> 16 & 255, n >> 8 & 255, n & 255);
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header("x-forwarded-for", client);
    if let Some(a) = auth {
        req = req.header("authorization", a);
    }
    let body = if method == "GET" || method == "DELETE" {
        Body::empty()
    } else {
        req = req.header("content-type", "application/json");
        Body::from("{}")
    };
    let res = app.clone().oneshot(req.body(body).unwrap()).await.unwrap();
    let st = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        st,
        String::from_utf8_lossy(&bytes[..bytes.len().min(300)]).into_owned(),
    )
}

#[test]
fn every_route_is_documented_and_every_documented_operation_is_routed() {
    let routed = routed();
    assert!(routed.len() >= 50, "{routed:?}");
    let documented: BTreeSet<(String, String)> = operations()
        .into_iter()
        .map(|(m, p, _)| (m, normalise(&p)))
        .collect();
    let undocumented: Vec<_> = routed.difference(&documented).collect();
    let unrouted: Vec<_> = documented.difference(&routed).collect();
    assert!(
        undocumented.is_empty(),
        "routes missing from src/api/openapi/*.yaml: {undocumented:?}"
    );
    assert!(
        unrouted.is_empty(),
        "documented but not in the router: {unrouted:?}"
    );
}

#[test]
fn every_operation_is_described_once_with_its_path_parameters() {
    let mut ids = BTreeSet::new();
    let tags: BTreeSet<&str> = doc()["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    for (m, path, op) in operations() {
        let id = op["operationId"].as_str();
        assert!(
            id.is_some_and(|i| ids.insert(i.to_string())),
            "{m} {path}: no or a repeated operationId"
        );
        assert!(op["summary"].is_string(), "{m} {path}: no summary");
        for t in op["tags"].as_array().unwrap() {
            assert!(
                tags.contains(t.as_str().unwrap()),
                "{m} {path}: tag {t} not declared"
            );
        }
        let responses = documented(op);
        assert!(
            responses.iter().any(|c| c.starts_with('2')),
            "{m} {path}: no success answer"
        );
        if needs_account(op) {
            assert!(
                responses.contains("401"),
                "{m} {path}: needs an account but no 401"
            );
        }
        // Path parameters need an example: the test below requests it.
        let _ = uri(&path, op, None);
    }
}

/// The router with a folder of data package snapshots holding the documented example's file
/// (`GET /api/datapackage/snapshots/{file}`), and the tests' base map when it can be built.
fn app_with_snapshot() -> (
    Router,
    std::sync::Arc<bussola::catalog::Catalog>,
    std::path::PathBuf,
    Option<std::sync::Arc<bussola::tiles::basemap::Basemap>>,
) {
    let example = operations()
        .into_iter()
        .find(|(m, p, _)| m == "GET" && p == "/api/datapackage/snapshots/{file}")
        .and_then(|(_, _, op)| op["parameters"][0]["example"].as_str().map(String::from))
        .expect("the snapshot's example");
    let dir =
        std::env::temp_dir().join(format!("bussola-openapi-snapshots-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(&example), b"PK\x05\x06").unwrap();
    let cat = crate::common::catalog(&crate::common::demo_manifest());
    let basemap = crate::common::test_basemap().map(|built| {
        std::sync::Arc::new(
            bussola::tiles::basemap::Basemap::open(Some(
                &bussola::region::manifest::BasemapSpec::archive(built.path.clone()),
            ))
            .expect("the tests' base map opens"),
        )
    });
    let options = bussola::api::Options {
        snapshots: Some(dir.clone()),
        basemap: basemap.clone(),
        ..Default::default()
    };
    let app = bussola::api::router_with(cat.clone(), bussola::api::Assets::under(&root()), options)
        .layer(axum::Extension(crate::common::peer("127.0.0.1")));
    (app, cat, dir, basemap)
}

#[tokio::test]
async fn every_documented_get_answers_its_example_with_a_documented_status() {
    // With the tests' base map served, so its routes answer too (they 404 without one), and a
    // folder of snapshots.
    let (app, cat, snapshots, with_basemap) = app_with_snapshot();
    let admin = bearer(&session(
        &cat,
        "openapi@example.org",
        Role::Admin,
        None,
        &[],
    ));
    let vendored = root().join("web/node_modules/swagger-ui-dist").exists()
        && root().join("web/node_modules/maplibre-gl/dist").exists()
        && root().join("web/node_modules/uplot/dist").exists();
    let mut wrong = Vec::new();
    for (m, path, op) in operations().into_iter().filter(|(m, _, _)| m == "GET") {
        let uri = uri(&path, op, None);
        let (st, body) = send(&app, &m, &uri, Some(&admin)).await;
        let base = path.starts_with("/tiles/base") || path == "/basemap.pmtiles";
        if base && with_basemap.is_none() {
            eprintln!("{uri}: no base map without ../shared/geodata; not checked");
            continue;
        }
        if path.starts_with("/vendor/") && !vendored {
            assert!(
                std::env::var_os("CI").is_none(),
                "CI must install web/node_modules"
            );
            eprintln!("{uri}: web/node_modules missing (npm ci --prefix web); not checked");
            continue;
        }
        if st == StatusCode::NOT_FOUND
            || st == StatusCode::METHOD_NOT_ALLOWED
            || !documented(op).contains(st.as_str())
        {
            wrong.push(format!("{m} {uri}: {st} {body}"));
        }
    }
    let _ = std::fs::remove_dir_all(&snapshots);
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[tokio::test]
async fn bad_requests_get_a_documented_status() {
    let (app, cat) = app();
    let admin = bearer(&session(
        &cat,
        "openapi@example.org",
        Role::Admin,
        None,
        &[],
    ));
    let mut wrong = Vec::new();
    for (m, path, op) in operations() {
        let codes = documented(op);
        // An unknown parameter: refused by every API route (the page's files ignore it).
        let u = uri(&path, op, None);
        let sep = if u.contains('?') { '&' } else { '?' };
        let (st, body) = send(&app, &m, &format!("{u}{sep}bogus=1"), Some(&admin)).await;
        if !codes.contains(st.as_str()) {
            wrong.push(format!("{m} {u} with an unknown parameter: {st} {body}"));
        }
        if path.starts_with("/api/") && st != StatusCode::BAD_REQUEST && m != "POST" {
            wrong.push(format!("{m} {u} took an unknown parameter: {st}"));
        }
        // An unknown id.
        if path.contains('{') {
            let u = uri(&path, op, Some("no-such-thing"));
            let (st, body) = send(&app, &m, &u, Some(&admin)).await;
            if !codes.contains(st.as_str()) || st.is_success() {
                wrong.push(format!("{m} {u}: {st} {body}"));
            }
        }
        // No credentials where an account is needed.
        if needs_account(op) {
            let (st, body) = send(&app, &m, &uri(&path, op, None), None).await;
            if st != StatusCode::UNAUTHORIZED {
                wrong.push(format!("{m} {path} without an account: {st} {body}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[tokio::test]
async fn the_document_is_served_as_json_and_yaml() {
    let (app, _) = app();
    let (st, json) = send(&app, "GET", "/openapi.json", None).await;
    assert_eq!(st, StatusCode::OK);
    let _ = json;
    let res = app
        .clone()
        .oneshot(Request::get("/openapi.json").body(Body::empty()).unwrap())
        .await
        .unwrap();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let served: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(&served, doc());
    assert_eq!(served["openapi"], "3.0.3");
    assert_eq!(served["info"]["version"], env!("CARGO_PKG_VERSION"));
    let res = app
        .clone()
        .oneshot(Request::get("/openapi.yaml").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let yaml: Value = serde_norway::from_slice(&bytes).unwrap();
    assert_eq!(&yaml, doc());
    let (st, page) = send(&app, "GET", "/api-docs", None).await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        page.contains("/vendor/swagger-ui/") || page.contains("<!doctype html>"),
        "{page}"
    );
}

/// `openapi-spec-validator` (PyPI) on the served document. `.ci/openapi.sh` installs it in
/// `target/openapi-venv`; without it the test says so and passes, except under CI.
#[test]
fn openapi_spec_validator_passes() {
    let tool = std::env::var_os("OPENAPI_SPEC_VALIDATOR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| root().join("target/openapi-venv/bin/openapi-spec-validator"));
    if !tool.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install openapi-spec-validator: bash .ci/openapi.sh"
        );
        eprintln!(
            "skipping: {} missing (bash .ci/openapi.sh installs it)",
            tool.display()
        );
        return;
    }
    let dir = root().join("target/openapi");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("openapi.json");
    std::fs::write(&file, &bussola::api::openapi::document().unwrap().json).unwrap();
    let out = std::process::Command::new(&tool)
        .arg(&file)
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "openapi-spec-validator: {said}");
    assert!(said.contains("OK"), "{said}");
}
