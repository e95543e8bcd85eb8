//! The map page in a real browser: runs the end-to-end tests in `tests/browser/` (Node's test
//! runner with playwright-core driving Debian's Chromium) against a server started here.
//!
//! Needs `/usr/bin/chromium`, `pdftotext` and `zbarimg` (poppler-utils, zbar-tools), `npm ci
//! --prefix web` and `npm ci --prefix tests/browser` (`.ci/browser.sh` does all of it). Outside
//! CI, without them, the test prints why and skips.
// Tests may unwrap, expect and panic; the library may not.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// Only the std-only helpers, so this binary does not link the library.
#[allow(dead_code)]
#[path = "it/common/server.rs"]
mod server;
// The tests' base map (std, serde_json, mvt and pmtiles only).
#[path = "it/common/basemap.rs"]
mod basemap;
use server::{root, shipped_manifest, Server};
use std::process::Command;

#[test]
fn the_map_page_works_in_chromium() {
    let root = root();
    let missing: Vec<&str> = [
        (
            "/usr/bin/chromium",
            "Debian's chromium (apt-get install chromium)",
        ),
        (
            "web/node_modules/maplibre-gl/dist",
            "MapLibre (npm ci --prefix web)",
        ),
        (
            "web/node_modules/swagger-ui-dist",
            "Swagger UI, for /api-docs (npm ci --prefix web)",
        ),
        (
            "web/node_modules/uplot/dist",
            "uPlot, for the trends view (npm ci --prefix web)",
        ),
        (
            "tests/browser/node_modules/playwright-core",
            "playwright-core (npm ci --prefix tests/browser)",
        ),
        (
            "tests/browser/node_modules/axe-core",
            "axe-core (npm ci --prefix tests/browser)",
        ),
        (
            "/usr/bin/pdftotext",
            "poppler-utils, for the printed sheet (apt-get install poppler-utils)",
        ),
        (
            "/usr/bin/zbarimg",
            "zbar-tools, for the sheet's QR code (apt-get install zbar-tools)",
        ),
    ]
    .iter()
    .filter(|(p, _)| !root.join(p).exists())
    .map(|(_, what)| *what)
    .collect();
    if !missing.is_empty() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install: {}",
            missing.join(", ")
        );
        eprintln!(
            "skipping the browser tests; missing: {}",
            missing.join(", ")
        );
        return;
    }
    let assets = root.to_string_lossy().into_owned();
    // The browser tests run on the shipped default, as a user's first `cargo run` does.
    let shipped = shipped_manifest().to_string_lossy().into_owned();
    let server = Server::start("browser", &["--assets", &assets, "--region", &shipped]);
    // A second server with a PMTiles base map built from ../shared/geodata, for
    // tests/browser/basemap.test.mjs (BUSSOLA_BASEMAP_URL); without the shared data those
    // tests say so and skip (CI has it).
    let shared = root.join("../shared/geodata");
    let with_basemap = if shared.join("alentejo/municipios.geojson").exists() {
        let out =
            std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("basemap/alentejo.pmtiles");
        let built = basemap::build(&shared, &out, 10);
        let path = built.path.to_string_lossy().into_owned();
        Some(Server::start(
            "browser-basemap",
            &[
                "--assets",
                &assets,
                "--region",
                &shipped,
                "--basemap",
                &path,
            ],
        ))
    } else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have ../shared/geodata"
        );
        None
    };
    let mut node = Command::new("node");
    if let Some(b) = &with_basemap {
        node.env("BUSSOLA_BASEMAP_URL", format!("http://{}", b.addr));
    }
    let out = node
        .args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
        .arg(root.join("tests/browser"))
        .current_dir(&root)
        .env("BUSSOLA_URL", format!("http://{}", server.addr))
        // The provider area's test makes an account with `bussola user add` on the server's store.
        .env("BUSSOLA_BIN", env!("CARGO_BIN_EXE_bussola"))
        .env("BUSSOLA_DATA_DIR", &server.data_dir)
        .env("BUSSOLA_REGION", shipped_manifest())
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}\n{stderr}");
    assert!(
        out.status.success(),
        "browser tests failed:\n{stdout}\n{stderr}"
    );
    let count = |word: &str| -> u32 {
        stdout
            .lines()
            .filter_map(|l| l.trim_start_matches(['ℹ', '#', ' ']).strip_prefix(word))
            .filter_map(|n| n.trim().parse().ok())
            .next()
            .unwrap_or(0)
    };
    assert!(
        count("pass ") >= 5,
        "too few browser tests passed:\n{stdout}"
    );
    assert_eq!(count("fail "), 0);
}
