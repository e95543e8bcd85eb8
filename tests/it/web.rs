//! The page, its files, MapLibre and the styles as the server hands them out.
use crate::common::{app, get_with, root};
use axum::http::StatusCode;
use serde_json::Value;
use std::collections::BTreeSet;

#[tokio::test]
async fn page_files_are_served_with_validators_and_nothing_else_is() {
    let (app, _) = app();
    let (status, h, body) = get_with(&app, "/", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(h["content-type"].to_str().unwrap().starts_with("text/html"));
    assert!(String::from_utf8_lossy(&body).contains("Bússola"));

    let (status, h, _) = get_with(&app, "/app.js", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(h["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    let etag = h["etag"].to_str().unwrap().to_string();
    let (status, _, body) = get_with(&app, "/app.js", &[("if-none-match", &etag)]).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());

    for hidden in [
        "/node_modules/maplibre-gl/package.json",
        "/package.json/../../Cargo.toml",
        "/.hidden",
        "/web/index.html",
    ] {
        let (status, _, _) = get_with(&app, hidden, &[]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{hidden}");
    }
}

#[tokio::test]
async fn maplibre_is_served_locally_when_installed() {
    if !root()
        .join("web/node_modules/maplibre-gl/dist/maplibre-gl.mjs")
        .exists()
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI installs MapLibre (npm ci --prefix web)"
        );
        eprintln!("skipping: MapLibre not installed (npm ci --prefix web)");
        return;
    }
    let (app, _) = app();
    let (status, h, plain) = get_with(&app, "/vendor/maplibre-gl/maplibre-gl.mjs", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(h["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    let (_, hz, gz) = get_with(
        &app,
        "/vendor/maplibre-gl/maplibre-gl.mjs",
        &[("accept-encoding", "gzip")],
    )
    .await;
    assert_eq!(hz["content-encoding"], "gzip");
    assert!(
        gz.len() * 2 < plain.len(),
        "compressed for slow connections: {} -> {}",
        plain.len(),
        gz.len()
    );
    let (status, _, _) = get_with(&app, "/vendor/maplibre-gl/maplibre-gl.css", &[]).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn uplot_is_served_locally_when_installed() {
    if !root()
        .join("web/node_modules/uplot/dist/uPlot.esm.js")
        .exists()
    {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI installs uPlot (npm ci --prefix web)"
        );
        eprintln!("skipping: uPlot not installed (npm ci --prefix web)");
        return;
    }
    let (app, _) = app();
    let (status, h, body) = get_with(&app, "/vendor/uplot/uPlot.esm.js", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(h["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    assert!(String::from_utf8_lossy(&body).contains("export"));
    let (status, h, _) = get_with(&app, "/vendor/uplot/uPlot.min.css", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(h["content-type"].to_str().unwrap().starts_with("text/css"));
    // Only the package's dist/: nothing above it, nothing hidden.
    for bad in ["/vendor/uplot/../package.json", "/vendor/uplot/.hidden"] {
        let (status, _, _) = get_with(&app, bad, &[]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{bad}");
    }
}

/// Every `["get", "field"]` in a style expression.
fn fields(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Array(a) => {
            if let [Value::String(op), Value::String(f)] = a.as_slice() {
                if op == "get" || op == "has" {
                    out.insert(f.clone());
                }
            }
            a.iter().for_each(|x| fields(x, out));
        }
        Value::Object(o) => o.values().for_each(|x| fields(x, out)),
        _ => {}
    }
}

#[tokio::test]
async fn styles_point_at_the_local_tiles_and_use_only_their_layers_and_fields() {
    let (app, _) = app();
    // Each source's TileJSON: the services', the context layers'. The base map's layers follow
    // a published schema (Protomaps or OpenMapTiles), not ours: their fields are not checked.
    let mut tilejsons = std::collections::HashMap::new();
    for (source, path) in [
        ("bussola", "/tiles.json"),
        ("context", "/tiles/context.json"),
    ] {
        let (_, _, tj) = get_with(&app, path, &[("host", "here:1")]).await;
        tilejsons.insert(source, serde_json::from_slice::<Value>(&tj).unwrap());
    }
    let mut names: Vec<String> = std::fs::read_dir(root().join("styles"))
        .unwrap()
        .filter_map(|e| {
            e.ok()?
                .file_name()
                .to_str()?
                .strip_suffix(".json")
                .map(str::to_string)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 2, "{names:?}");
    for name in &names {
        let (status, _, body) =
            get_with(&app, &format!("/styles/{name}.json"), &[("host", "here:1")]).await;
        assert_eq!(status, StatusCode::OK, "{name}");
        let style: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(style["version"], 8);
        assert!(style.get("glyphs").is_none(), "no external glyph server");
        // The sprite, when a style has one, is the server's own.
        if let Some(sprite) = style.get("sprite") {
            assert_eq!(sprite, "http://here:1/styles/sprites/bussola", "{name}");
        }
        // Every source is the server's own.
        for (id, src) in style["sources"].as_object().unwrap() {
            let want = match id.as_str() {
                "bussola" => "http://here:1/tiles.json",
                "context" => "http://here:1/tiles/context.json",
                "base" => "http://here:1/tiles/base.json",
                other => panic!("{name}: unknown source {other}"),
            };
            assert_eq!(src["url"], want, "{name}");
        }
        for layer in style["layers"].as_array().unwrap() {
            let Some(sl) = layer.get("source-layer").and_then(Value::as_str) else {
                continue;
            };
            let Some(tj) = tilejsons.get(layer["source"].as_str().unwrap()) else {
                continue;
            };
            let vl = tj["vector_layers"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["id"] == sl);
            let vl = vl.unwrap_or_else(|| {
                panic!(
                    "{name}: layer {} uses unknown source-layer {sl}",
                    layer["id"]
                )
            });
            let mut used = BTreeSet::new();
            fields(layer, &mut used);
            for f in used {
                assert!(
                    vl["fields"].get(&f).is_some(),
                    "{name}: layer {} reads '{f}', not a field of {sl}",
                    layer["id"]
                );
            }
        }
    }
    for bad in [
        "/styles/nope.json",
        "/styles/..%2FCargo.json",
        "/styles/services",
    ] {
        let (status, _, _) = get_with(&app, bad, &[]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{bad}");
    }
}

#[tokio::test]
async fn json_is_gzipped_when_the_client_accepts_it() {
    let (app, _) = app();
    let (_, h, _) = get_with(&app, "/api/municipalities", &[("accept-encoding", "gzip")]).await;
    assert_eq!(h["content-encoding"], "gzip");
    let (_, h, _) = get_with(&app, "/api/municipalities", &[]).await;
    assert!(h.get("content-encoding").is_none());
}

#[tokio::test]
async fn answers_are_gzipped_where_it_pays() {
    let (app, _) = app();
    let gz = [("accept-encoding", "gzip")];
    // A few bytes: gzip would save less than it costs.
    let (status, h, _) = get_with(&app, "/health", &gz).await;
    assert_eq!(status, StatusCode::OK);
    assert!(h.get("content-encoding").is_none(), "{h:?}");
    // A search answer of some kilobytes shrinks.
    let uri = "/api/nearest?lon=-7.91&lat=38.57&k=20";
    let (_, _, plain) = get_with(&app, uri, &[]).await;
    let (_, hz, zipped) = get_with(&app, uri, &gz).await;
    assert_eq!(hz["content-encoding"], "gzip");
    assert!(plain.len() > 1024);
    assert!(
        zipped.len() * 3 < plain.len(),
        "{} -> {}",
        plain.len(),
        zipped.len()
    );
}
