//! OGC API – Features read by independent clients against a running server (issue #15):
//! GDAL's OAPIF driver (`ogrinfo`, `ogr2ogr`), Python's OWSLib and QGIS's OAPIF provider, with
//! PROJ's `cs2cs` as the reference for EPSG:3763. The client scripts are in `tests/ogc/`.
//!
//! Needs `bash .ci/ogc-clients.sh` (apt gdal-bin python3-qgis proj-bin, OWSLib in
//! `target/ogc-venv`). Outside CI, without them, each test prints why and skips; in CI (`CI`
//! set) a missing client fails.
use crate::common::{http_get, root, Server};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

/// The Python of `target/ogc-venv` (Debian's, with OWSLib and the system's QGIS bindings).
fn python() -> PathBuf {
    std::env::var_os("OGC_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/ogc-venv"))
        .join("bin/python")
}

/// Whether the clients are there; a printed reason (or, in CI, a failure) when not.
fn clients(need: &[(&str, &[&str])]) -> bool {
    let missing: Vec<String> = need
        .iter()
        .filter(|(program, args)| {
            !Command::new(program)
                .args(*args)
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .map(|(program, args)| format!("{program} {}", args.join(" ")))
        .collect();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must install the OGC clients (bash .ci/ogc-clients.sh); missing: {missing:?}"
    );
    eprintln!("skipping: OGC clients missing ({missing:?}); run bash .ci/ogc-clients.sh");
    false
}

/// Runs a client script against the server; its findings (the `RESULT` line).
fn run(script: &str, args: &[&str]) -> Value {
    let out = Command::new(python())
        .arg(root().join("tests/ogc").join(script))
        .args(args)
        .env("QT_QPA_PLATFORM", "offscreen")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{script} failed:\n{stdout}\n{stderr}");
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .unwrap_or_else(|| panic!("{script} printed no RESULT:\n{stdout}\n{stderr}"));
    serde_json::from_str(line).unwrap()
}

/// The JSON body of a GET to the server.
fn json(addr: &str, path: &str) -> Value {
    let raw = http_get(addr, path);
    let body = raw.split_once("\r\n\r\n").expect("a body").1;
    serde_json::from_str(body).unwrap()
}

/// What the server says it holds: services (`/health`) and municipalities (`/api/region`).
fn counts(addr: &str) -> (u64, u64) {
    let services = json(addr, "/health")["services"].as_u64().unwrap();
    let municipalities = json(addr, "/api/region")["municipalities"]
        .as_u64()
        .unwrap();
    (services, municipalities)
}

#[test]
fn gdal_reads_every_collection_forwards_a_bbox_and_tm06_equals_proj() {
    let py = python();
    let py = py.to_string_lossy();
    if !clients(&[
        ("ogr2ogr", &["--version"]),
        ("cs2cs", &[]),
        (&py, &["--version"]),
    ]) {
        return;
    }
    let server = Server::start("ogc-gdal", &[]);
    let base = format!("http://{}", server.addr);
    let (services, municipalities) = counts(&server.addr);
    let work = tempdir("gdal");
    let r = run("gdal_client.py", &[&base, &work.to_string_lossy()]);
    assert_eq!(
        r["layers"],
        serde_json::json!(["services", "municipalities"])
    );
    assert_eq!(r["counts"]["services"], services, "{r}");
    assert_eq!(r["ids"]["services"], services, "every service once");
    assert_eq!(r["counts"]["municipalities"], municipalities, "{r}");
    let gdal = r["bbox_gdal"].as_array().unwrap();
    assert!(gdal.len() > 20, "{r}");
    assert_eq!(
        r["bbox_gdal"], r["bbox_listing"],
        "ogr2ogr -spat equals /api/services?bbox="
    );
    assert_eq!(r["tm06_points"], 50);
    let diff = r["tm06_max_diff_m"].as_f64().unwrap();
    assert!(diff < 0.01, "EPSG:3763 differs from PROJ's by {diff} m");
    let _ = std::fs::remove_dir_all(work);
}

#[test]
fn owslib_lists_the_collections_and_pages_every_item() {
    let py = python();
    let py = py.to_string_lossy();
    if !clients(&[(&py, &["-c", "import owslib.ogcapi.features"])]) {
        return;
    }
    let server = Server::start("ogc-owslib", &[]);
    let (services, municipalities) = counts(&server.addr);
    let r = run("owslib_client.py", &[&format!("http://{}", server.addr)]);
    assert_eq!(
        r["collections"],
        serde_json::json!(["services", "municipalities"])
    );
    assert_eq!(r["paged"]["services"], services, "{r}");
    assert_eq!(r["matched"]["services"], services);
    assert_eq!(r["pages"]["services"], services.div_ceil(100));
    assert_eq!(r["paged"]["municipalities"], municipalities, "{r}");
    assert!(r["queryables"]
        .as_array()
        .unwrap()
        .contains(&Value::from("provider_nature")));
    let one_type = r["one_type"].as_u64().unwrap();
    assert!(one_type > 0 && one_type < services, "{r}");
}

#[test]
fn qgis_opens_every_collection_as_a_layer_and_counts_its_features() {
    if !clients(&[("/usr/bin/python3", &["-c", "import qgis.core"])]) {
        return;
    }
    let server = Server::start("ogc-qgis", &[]);
    let (services, municipalities) = counts(&server.addr);
    // QGIS needs the API definition the landing page names (`/openapi.json`); until the server
    // serves the whole document, QGIS is given the OGC paths' own fragment in its place.
    let fragment = root().join("src/api/openapi/ogc.yaml");
    let fragment = fragment.to_string_lossy();
    let served = http_get(&server.addr, "/openapi.json").starts_with("HTTP/1.1 200");
    let base = format!("http://{}", server.addr);
    let mut args = vec![base.as_str()];
    if !served {
        eprintln!("/openapi.json is not served: QGIS reads {fragment} in its place");
        args.push(&fragment);
    }
    let r = run("qgis_client.py", &args);
    assert_eq!(r["valid"]["services"], true, "{r}");
    assert_eq!(r["valid"]["municipalities"], true, "{r}");
    assert_eq!(r["iterated"]["services"], services, "{r}");
    assert_eq!(r["count"]["services"], services, "{r}");
    assert_eq!(r["iterated"]["municipalities"], municipalities, "{r}");
    // QGIS names CRS84 by its EPSG twin (and keeps longitude first, as the extent shows).
    assert!(
        ["EPSG:4326", "OGC:CRS84"].contains(&r["crs"].as_str().unwrap()),
        "{r}"
    );
    let e: Vec<f64> = r["extent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert!(
        e[0] > -9.0 && e[2] < -7.0 && e[1] > 38.0 && e[3] < 39.5,
        "{e:?}"
    );
}

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("bussola-ogc-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn the_openapi_fragment_is_valid_and_names_every_ogc_route() {
    let py = python();
    let py = py.to_string_lossy();
    if !clients(&[(&py, &["-c", "import openapi_spec_validator, yaml"])]) {
        return;
    }
    // The router's /ogc routes, as `src/api/mod.rs` declares them.
    let src = std::fs::read_to_string(root().join("src/api/mod.rs")).unwrap();
    let routes: Vec<&str> = src
        .split(".route(\"")
        .skip(1)
        .filter_map(|chunk| chunk.split('"').next())
        .filter(|p| p.starts_with("/ogc"))
        .collect();
    assert_eq!(routes.len(), 7, "{routes:?}");
    let fragment = root().join("src/api/openapi/ogc.yaml");
    let fragment = fragment.to_string_lossy();
    let mut args = vec![fragment.as_ref()];
    args.extend(routes.iter().copied());
    let r = run("fragment_check.py", &args);
    assert_eq!(r["valid"], true);
    assert_eq!(
        r["missing"],
        serde_json::json!([]),
        "routes not in the fragment: {r}"
    );
    assert_eq!(
        r["extra"],
        serde_json::json!([]),
        "paths the router does not serve: {r}"
    );
}
