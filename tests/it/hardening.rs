//! The HTTP surface hardened (issue #14): no formulas in CSV, security headers, forwarded
//! headers only from trusted proxies, JSON for every error, strict parameters and bodies.
use crate::common::accounts::{bearer, session};
use crate::common::{app, behind_proxy, catalog, demo_manifest, get_with, peer, root};
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use bussola::auth::Role;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

const SVC: &str = "demo-0701-erpi-1";
const FORMULA: &str = "=HYPERLINK(\"http://evil.example\",\"Horario\")";

/// Any request; status, headers and body text.
async fn raw(
    app: &Router,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: impl Into<Body>,
) -> (StatusCode, HeaderMap, String) {
    let mut req = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = app
        .clone()
        .oneshot(req.body(body.into()).expect("request"))
        .await
        .expect("response");
    let (st, h) = (res.status(), res.headers().clone());
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    (st, h, String::from_utf8_lossy(&bytes).into_owned())
}

/// Asserts a JSON error body with an `error` message; returns it.
fn json_error(st: StatusCode, h: &HeaderMap, body: &str, what: &str) -> Value {
    assert!(
        st.is_client_error() || st.is_server_error(),
        "{what}: {st} {body}"
    );
    let ct = h.get("content-type").and_then(|v| v.to_str().ok());
    assert_eq!(ct, Some("application/json"), "{what}: {st} {body}");
    let v: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    assert!(
        v["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{what}: {st} {body}"
    );
    v
}

/// The cells of a CSV text, row by row.
fn cells(csv_text: &str) -> Vec<Vec<String>> {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv_text.as_bytes());
    r.records()
        .map(|rec| rec.unwrap().iter().map(String::from).collect())
        .collect()
}

#[tokio::test]
async fn csv_downloads_never_carry_a_formula() {
    let (app, cat) = app();
    let admin = bearer(&session(&cat, "coord@example.pt", Role::Admin, None, &[]));
    let auth = [("authorization", admin.as_str())];

    // A provider's opening hours, live in the public export.
    let body = json!({ "opening_hours": FORMULA }).to_string();
    let json_ct = ("content-type", "application/json");
    let (st, _, b) = raw(
        &app,
        "PATCH",
        &format!("/api/services/{SVC}"),
        &[auth[0], json_ct],
        body,
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{b}");
    let (st, _, csv) = raw(&app, "GET", "/api/export?format=csv", &[], Body::empty()).await;
    assert_eq!(st, StatusCode::OK);
    let rows = cells(&csv);
    let col = rows[0].iter().position(|c| c == "opening_hours").unwrap();
    let row = rows.iter().find(|r| r[0] == SVC).unwrap();
    assert_eq!(row[col], format!("'{FORMULA}"), "shown as text, not run");
    // Longitudes stay numbers.
    let lon = rows[0].iter().position(|c| c == "lon").unwrap();
    assert!(row[lon].parse::<f64>().unwrap() < 0.0);

    // An imported organisation's name, in the staleness list of providers to contact.
    let mut s = cat.get(SVC).unwrap();
    s.provider.name = "@SUM(1+1)*cmd|' /C calc'!A0".into();
    cat.upsert(s).unwrap();
    let (st, _, csv) = raw(
        &app,
        "GET",
        "/api/staleness?format=csv",
        &auth,
        Body::empty(),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{csv}");
    let names: Vec<String> = cells(&csv).into_iter().map(|r| r[1].clone()).collect();
    assert!(
        names.contains(&"'@SUM(1+1)*cmd|' /C calc'!A0".to_string()),
        "{names:?}"
    );

    // An anonymous survey answer, in the admin's results.
    let answer = json!({"audience": "public", "answers": {"useful": 4, "improve": "-2+3"}});
    let (st, _, b) = raw(&app, "POST", "/api/survey", &[json_ct], answer.to_string()).await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let (st, _, csv) = raw(
        &app,
        "GET",
        "/api/survey/results?format=csv",
        &auth,
        Body::empty(),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    let rows = cells(&csv);
    let col = rows[0].iter().position(|c| c == "improve").unwrap();
    assert_eq!(rows[1][col], "'-2+3");

    // No cell of any CSV the service writes starts a formula.
    for uri in [
        "/api/export?format=csv",
        "/api/export?format=csv&layer=municipalities",
        "/api/coverage?indicator=elderly&format=csv",
        "/api/gaps?type=ERPI&format=csv",
        "/api/staleness?format=csv",
        "/api/survey/results?format=csv",
    ] {
        let (st, _, csv) = raw(&app, "GET", uri, &auth, Body::empty()).await;
        assert_eq!(st, StatusCode::OK, "{uri}: {csv}");
        for row in cells(&csv) {
            for c in row {
                let risky = c.starts_with(['=', '+', '@', '\t', '\r'])
                    || (c.starts_with('-') && c.parse::<f64>().is_err());
                assert!(!risky, "{uri}: {c:?}");
            }
        }
    }
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let (app, _) = app();
    for uri in [
        "/",
        "/provider",
        "/login",
        "/app.js",
        "/api/services",
        "/api/nowhere",
        "/quality",
        "/tiles/8/122/97.mvt",
    ] {
        let (_, h, _) = get_with(&app, uri, &[]).await;
        let get = |n: &str| h.get(n).and_then(|v| v.to_str().ok()).unwrap_or("");
        let csp = get("content-security-policy");
        assert!(csp.contains("frame-ancestors 'none'"), "{uri}: {csp}");
        assert!(csp.contains("script-src 'self';"), "{uri}: {csp}");
        assert!(!csp.contains("unsafe-eval"), "{uri}: {csp}");
        assert_eq!(get("x-frame-options"), "DENY", "{uri}");
        assert_eq!(get("x-content-type-options"), "nosniff", "{uri}");
        assert_eq!(get("referrer-policy"), "no-referrer", "{uri}");
    }
    // The page has no inline script for the policy to block.
    let index = std::fs::read_to_string(root().join("web/index.html")).unwrap();
    for tag in index.split("<script").skip(1) {
        assert!(
            tag.trim_start().starts_with("type=\"module\" src="),
            "{tag}"
        );
    }
}

/// The style's first tile URL and its `Vary`, as a request with these headers gets them (the
/// TileJSON's tiles on the same base).
async fn links(app: &Router, headers: &[(&str, &str)]) -> (String, String) {
    let (st, h, style) = raw(app, "GET", "/styles/services.json", headers, Body::empty()).await;
    assert_eq!(st, StatusCode::OK, "{style}");
    let style: Value = serde_json::from_str(&style).unwrap();
    let tiles = style["sources"]
        .as_object()
        .unwrap()
        .values()
        .find_map(|s| s["tiles"][0].as_str().or(s["url"].as_str()))
        .unwrap()
        .to_string();
    let vary = h["vary"].to_str().unwrap().to_string();
    let (_, _, tj) = raw(app, "GET", "/tiles.json", headers, Body::empty()).await;
    let tj: Value = serde_json::from_str(&tj).unwrap();
    let base = tiles.split("/tiles").next().unwrap();
    assert!(tj["tiles"][0].as_str().unwrap().starts_with(base), "{tj}");
    (tiles, vary)
}

#[tokio::test]
async fn forwarded_headers_count_only_from_a_trusted_proxy() {
    let spoof = [
        ("host", "bussola.example.pt"),
        ("x-forwarded-host", "evil.example"),
        ("x-forwarded-proto", "https"),
    ];
    // Served directly (no --trusted-proxy): the request's own host, whoever asks.
    let cat = catalog(&demo_manifest());
    let direct = bussola::api::router(cat.clone(), bussola::api::Assets::under(&root()))
        .layer(axum::Extension(peer("127.0.0.1")));
    let (tiles, vary) = links(&direct, &spoof).await;
    assert!(tiles.starts_with("http://bussola.example.pt/"), "{tiles}");
    assert!(vary.contains("x-forwarded-host"), "{vary}");
    let admin = bearer(&session(&cat, "coord@example.pt", Role::Admin, None, &[]));
    let invite = json!({"email": "lar@example.pt", "role": "provider",
        "provider": cat.get(SVC).unwrap().provider.id})
    .to_string();
    let mut h = spoof.to_vec();
    h.extend([
        ("authorization", admin.as_str()),
        ("content-type", "application/json"),
    ]);
    let (st, _, b) = raw(&direct, "POST", "/api/invitations", &h, invite.clone()).await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let v: Value = serde_json::from_str(&b).unwrap();
    let url = v["login_url"].as_str().unwrap();
    assert!(url.starts_with("http://bussola.example.pt/"), "{url}");

    // Behind a trusted proxy: what it forwards.
    let proxied = behind_proxy(cat.clone());
    let (tiles, _) = links(&proxied, &spoof).await;
    assert!(tiles.starts_with("https://evil.example/"), "{tiles}");

    // With a public URL: that, whatever the request says.
    let options = bussola::api::Options {
        forwarding: bussola::api::origin::Forwarding {
            trusted: vec!["127.0.0.1".parse().unwrap()],
            public_url: Some("https://bussola.alentejo.pt".into()),
        },
        ..Default::default()
    };
    let public =
        bussola::api::router_with(cat.clone(), bussola::api::Assets::under(&root()), options)
            .layer(axum::Extension(peer("127.0.0.1")));
    let (tiles, _) = links(&public, &spoof).await;
    assert!(tiles.starts_with("https://bussola.alentejo.pt/"), "{tiles}");
    let invite2 = json!({"email": "centro@example.pt", "role": "provider",
        "provider": cat.get(SVC).unwrap().provider.id})
    .to_string();
    let (st, _, b) = raw(&public, "POST", "/api/invitations", &h, invite2).await;
    assert_eq!(st, StatusCode::CREATED, "{b}");
    let v: Value = serde_json::from_str(&b).unwrap();
    assert!(
        v["login_url"]
            .as_str()
            .unwrap()
            .starts_with("https://bussola.alentejo.pt/"),
        "{v}"
    );

    // Rate limits key on the peer when it is not a trusted proxy: a client cannot take
    // another address's limit by sending X-Forwarded-For.
    let body = json!({"token": "not-a-token"}).to_string();
    for i in 0..12 {
        let ip = format!("203.0.113.{i}");
        let h = [
            ("x-forwarded-for", ip.as_str()),
            ("content-type", "application/json"),
        ];
        let (st, _, b) = raw(&direct, "POST", "/api/login", &h, body.clone()).await;
        let want = if i < 10 {
            StatusCode::UNAUTHORIZED
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(st, want, "attempt {}: {b}", i + 1);
    }
}

#[tokio::test]
async fn every_refusal_is_json_naming_the_problem() {
    let (app, cat) = app();
    let admin = bearer(&session(&cat, "coord@example.pt", Role::Admin, None, &[]));
    let svc = format!("/api/services/{SVC}");
    let cases: Vec<(&str, String, StatusCode)> = vec![
        ("PUT", svc.clone(), StatusCode::METHOD_NOT_ALLOWED),
        (
            "OPTIONS",
            "/api/services".into(),
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        ("GET", "/api/login".into(), StatusCode::METHOD_NOT_ALLOWED),
        (
            "DELETE",
            "/tiles.json".into(),
            StatusCode::METHOD_NOT_ALLOWED,
        ),
        ("GET", "/api/services/%FF".into(), StatusCode::BAD_REQUEST),
        ("GET", "/api/changes?x=1".into(), StatusCode::BAD_REQUEST),
        (
            "GET",
            "/api/feedback?status=x".into(),
            StatusCode::BAD_REQUEST,
        ),
        ("GET", "/api/quality?x=1".into(), StatusCode::BAD_REQUEST),
        ("GET", "/quality?lang=%ZZ".into(), StatusCode::BAD_REQUEST),
        ("GET", "/api/region?x=1".into(), StatusCode::BAD_REQUEST),
        ("GET", "/tiles/+1/0/0.mvt".into(), StatusCode::BAD_REQUEST),
        ("GET", "/tiles/00/00/00.mvt".into(), StatusCode::BAD_REQUEST),
        (
            "GET",
            "/tiles/8/0122/97.mvt".into(),
            StatusCode::BAD_REQUEST,
        ),
    ];
    let auth = [("authorization", admin.as_str())];
    for (method, uri, want) in &cases {
        let (st, h, body) = raw(&app, method, uri, &auth, Body::empty()).await;
        assert_eq!(st, *want, "{method} {uri}: {body}");
        let v = json_error(st, &h, &body, uri);
        if *want == StatusCode::METHOD_NOT_ALLOWED {
            assert!(h.contains_key("allow"), "{method} {uri}");
            assert!(v["error"].as_str().unwrap().contains("allowed"), "{v}");
        }
    }
    // Canonical tiles still answer.
    let (st, _, _) = raw(&app, "GET", "/tiles/0/0/0.mvt", &[], Body::empty()).await;
    assert!(st == StatusCode::OK || st == StatusCode::NO_CONTENT, "{st}");

    // Bodies over 2 MB: 413 in JSON.
    let big = format!("{{\"name\": \"{}\"}}", "a".repeat(3 * 1024 * 1024));
    let h = [auth[0], ("content-type", "application/json")];
    let (st, hd, body) = raw(&app, "PATCH", &svc, &h, big.clone()).await;
    assert_eq!(st, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    json_error(st, &hd, &body, "413");

    // A write's body must say it is JSON.
    let name = json!({"name": "Lar Novo"}).to_string();
    for ct in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let mut h = vec![auth[0]];
        h.extend(ct.map(|c| ("content-type", c)));
        let (st, hd, body) = raw(&app, "PATCH", &svc, &h, name.clone()).await;
        assert_eq!(st, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{ct:?}: {body}");
        json_error(st, &hd, &body, "415");
    }
    let h = [auth[0], ("content-type", "application/json; charset=utf-8")];
    let (st, _, body) = raw(&app, "PATCH", &svc, &h, name.clone()).await;
    assert_eq!(st, StatusCode::OK, "{body}");

    // Control characters are refused in text fields, naming the field.
    let before = cat.get(SVC).unwrap().name;
    let h = [auth[0], ("content-type", "application/json")];
    for bad in [
        json!({"name": "Lar\u{0}Novo"}),
        json!({"name": "Lar\nNovo"}),
        json!({"address": "Rua\u{1b}[31m"}),
    ] {
        let (st, hd, body) = raw(&app, "PATCH", &svc, &h, bad.to_string()).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
        let v = json_error(st, &hd, &body, "control");
        let field = bad.as_object().unwrap().keys().next().unwrap().clone();
        assert!(
            v["fields"][&field]
                .as_str()
                .unwrap()
                .contains("control character"),
            "{v}"
        );
    }
    assert_eq!(cat.get(SVC).unwrap().name, before, "nothing stored");
    // Line breaks are fine where text runs over lines.
    let hours = json!({"opening_hours": "Seg-Sex 9h-18h\nSáb 9h-13h"}).to_string();
    let (st, _, body) = raw(&app, "PATCH", &svc, &h, hours).await;
    assert_eq!(st, StatusCode::OK, "{body}");
}
