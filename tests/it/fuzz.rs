//! Every route, walked and fuzzed (issue #14): no answer is a 5xx, and every 4xx is JSON with
//! an `error` — but the plain pages' (`/find`, `/sheet`: people read them), which are HTML
//! saying what is wrong. The routes are read from `src/api/mod.rs`, so a new route is fuzzed too.
use crate::common::accounts::{bearer, session};
use crate::common::{app, root};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use bussola::auth::Role;
use http_body_util::BodyExt;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::sync::OnceLock;
use tower::ServiceExt;

const METHODS: [&str; 7] = ["GET", "POST", "PATCH", "PUT", "DELETE", "OPTIONS", "HEAD"];

/// A route as `src/api/mod.rs` declares it: its path and the methods it answers.
#[derive(Debug, Clone)]
struct Route {
    path: String,
    methods: Vec<&'static str>,
}

fn routes() -> Vec<Route> {
    let src = std::fs::read_to_string(root().join("src/api/mod.rs")).unwrap();
    let body = src.split("Router::new()").nth(1).unwrap();
    let body = body.split(".fallback(").next().unwrap();
    body.split(".route(")
        .skip(1)
        .map(|chunk| {
            let path = chunk.split('"').nth(1).unwrap().to_string();
            let handlers = chunk.split_once(',').unwrap().1;
            let methods = METHODS
                .iter()
                .copied()
                .filter(|m| {
                    let call = format!("{}(", m.to_lowercase());
                    handlers
                        .match_indices(&call)
                        .any(|(i, _)| i == 0 || !handlers.as_bytes()[i - 1].is_ascii_alphanumeric())
                })
                .collect();
            Route { path, methods }
        })
        .collect()
}

/// The route's path with its parameters filled in.
fn fill(path: &str, value: &str) -> String {
    path.split('/')
        .map(|seg| {
            if seg.starts_with('{') {
                value.to_string()
            } else {
                seg.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

struct World {
    rt: tokio::runtime::Runtime,
    app: Router,
    admin: String,
}

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let (app, cat) = rt.block_on(async { app() });
        let admin = bearer(&session(&cat, "fuzz@example.org", Role::Admin, None, &[]));
        World { rt, app, admin }
    })
}

/// Sends one request; checks the answer is no 5xx and a JSON error when 4xx. Returns the status.
async fn check(
    app: &Router,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Result<StatusCode, String> {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let Ok(req) = req.body(Body::from(body)) else {
        return Ok(StatusCode::OK); // not a request a client can send
    };
    let res = app.clone().oneshot(req).await.map_err(|e| e.to_string())?;
    let (st, h) = (res.status(), res.headers().clone());
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&bytes);
    let what = format!(
        "{method} {uri}: {st} {}",
        text.chars().take(300).collect::<String>()
    );
    if st.is_server_error() {
        return Err(what);
    }
    if st.is_client_error() {
        let ct = h.get("content-type").and_then(|v| v.to_str().ok());
        let page = ["/find", "/sheet"]
            .iter()
            .any(|p| uri == *p || uri.starts_with(&format!("{p}?")));
        if page && ct.is_some_and(|c| c.starts_with("text/html")) {
            if method != "HEAD" && !text.contains("<p class=\"warn\">") {
                return Err(format!("an HTML refusal that says nothing: {what}"));
            }
            return Ok(st);
        }
        if ct != Some("application/json") {
            return Err(format!("not JSON: {what}"));
        }
        if method != "HEAD" {
            let v: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
            if v["error"].as_str().is_none_or(str::is_empty) {
                return Err(format!("no error message: {what}"));
            }
        }
    }
    Ok(st)
}

#[test]
fn routes_are_read_from_the_router() {
    let r = routes();
    let find = |p: &str| r.iter().find(|x| x.path == p).unwrap().methods.clone();
    assert!(r.len() >= 45, "{r:?}");
    assert_eq!(find("/api/services/{id}"), ["GET", "PATCH"]);
    assert_eq!(find("/api/tokens/{id}"), ["DELETE"]);
    assert_eq!(find("/api/survey"), ["GET", "POST"]);
}

#[test]
fn every_route_refuses_wrong_methods_and_oversized_bodies_in_json() {
    let w = world();
    let big = vec![b' '; 3 * 1024 * 1024];
    w.rt.block_on(async {
        for r in routes() {
            let uri = fill(&r.path, "demo-0701-erpi-1");
            for m in METHODS {
                let allowed = r.methods.contains(&m) || (m == "HEAD" && r.methods.contains(&"GET"));
                let h = [("authorization", w.admin.as_str())];
                let st = check(&w.app, m, &uri, &h, Vec::new()).await.unwrap();
                // The page's catch-all answers any GET path; other methods are refused.
                if !allowed && !r.path.contains("{*path}") {
                    assert_eq!(st, StatusCode::METHOD_NOT_ALLOWED, "{m} {uri}");
                }
            }
            for m in r
                .methods
                .iter()
                .filter(|m| ["POST", "PATCH", "PUT"].contains(m))
            {
                let h = [
                    ("authorization", w.admin.as_str()),
                    ("content-type", "application/json"),
                ];
                let st = check(&w.app, m, &uri, &h, big.clone()).await.unwrap();
                assert!(
                    st == StatusCode::PAYLOAD_TOO_LARGE || st.is_success() || st.is_client_error(),
                    "{m} {uri}: {st}"
                );
            }
        }
    });
}

/// A path or query value: known interesting ones, or any text.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "", "0", "-1", "1e309", "NaN", "99999999999999999999", "demo-0701-erpi-1", "0701",
            "ERPI", "elderly", "csv", "json", "gpkg", "fgb", "hsds", "all", "pending", "en",
            "-7.9", "38.57", "-7.9,38.5,-7.8,38.6", "1,2,3", "public", "provider", "..", "%2e%2e",
            "8", "122", "97.mvt", "0.mvt", "1", "%FF", "%ZZ", "a%00b",
        ])
        .prop_map(String::from),
        2 => any::<String>().prop_map(|s| encode(&s)),
    ]
}

/// Percent-encodes everything but unreserved characters.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "lon", "lat", "k", "type", "group", "q", "limit", "offset", "bbox", "format", "layer",
            "indicator", "target", "region", "threshold_km", "catchment_km", "status", "lang",
            "audience", "subarea", "municipality", "provider", "f", "x",
        ])
        .prop_map(String::from),
        1 => prop::collection::vec(prop::sample::select(b"abcdefghijklmnopqrstuvwxyz_".to_vec()), 1..8)
            .prop_map(|v| String::from_utf8(v).unwrap_or_default()),
    ]
}

/// A body: nothing, JSON built from the API's field names, any JSON, or any bytes.
fn body() -> impl Strategy<Value = Vec<u8>> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        value().prop_map(Value::from),
        any::<String>().prop_map(Value::from),
    ];
    let any_json = leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
            prop::collection::btree_map(key(), inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    });
    let field = prop::sample::select(vec![
        "name",
        "capacity",
        "users",
        "vacancies",
        "opening_hours",
        "phone",
        "email",
        "website",
        "address",
        "postal_code",
        "locality",
        "position",
        "token",
        "role",
        "provider",
        "municipalities",
        "problem",
        "note",
        "audience",
        "answers",
        "type",
        "lon",
        "lat",
        "open",
        "close",
        "legal_nature",
        "how",
    ]);
    let api_json = prop::collection::btree_map(field, any_json.clone(), 0..4)
        .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect()));
    prop_oneof![
        2 => Just(Vec::new()),
        3 => api_json.prop_map(|v| v.to_string().into_bytes()),
        1 => any_json.prop_map(|v| v.to_string().into_bytes()),
        1 => prop::collection::vec(any::<u8>(), 0..64),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 1500,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_request_gets_a_5xx_and_every_refusal_is_json(
        route in prop::sample::select(routes()),
        method in prop::sample::select(METHODS.to_vec()),
        own_method in prop::bool::weighted(0.8),
        segment in value(),
        query in prop::collection::vec((key(), value()), 0..4),
        body in body(),
        content_type in prop::sample::select(vec![None, Some("application/json"), Some("application/json"), Some("text/plain")]),
        signed_in in any::<bool>(),
    ) {
        let w = world();
        let method = if own_method { route.methods.first().copied().unwrap_or(method) } else { method };
        let mut uri = fill(&route.path, &segment);
        if !query.is_empty() {
            let q: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
            uri = format!("{uri}?{}", q.join("&"));
        }
        let mut h = vec![];
        if signed_in {
            h.push(("authorization", w.admin.as_str()));
        }
        if let Some(ct) = content_type {
            h.push(("content-type", ct));
        }
        let got = w.rt.block_on(check(&w.app, method, &uri, &h, body));
        prop_assert!(got.is_ok(), "{}", got.unwrap_err());
    }
}
