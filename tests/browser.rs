//! The map page in a real browser: runs the end-to-end tests in `tests/browser/` (Node's test
//! runner with playwright-core driving Debian's Chromium) against a server started here.
//!
//! Needs `/usr/bin/chromium`, `pdftotext` and `zbarimg` (poppler-utils, zbar-tools), `npm ci
//! --prefix web` and `npm ci --prefix tests/browser` (`.ci/browser.sh` does all of it). Outside
//! CI, without them, the test prints why and skips. Each file runs in its own `node --test`,
//! reported live on stderr; a file that hangs is reported with the servers' stacks (gdb, when
//! installed) and run once more.
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
use std::io::Write;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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
    // One node run per file, its spec report on stderr as it happens (so a CI log shows where a
    // run stands) and in a file that is counted. A test has 4 minutes and a file 10: a file
    // that hangs (a browser that stops answering) is reported with the servers' stacks and run
    // once more, instead of using up CI's time; a failure is never run again.
    let mut files: Vec<_> = std::fs::read_dir(root.join("tests/browser"))
        .expect("tests/browser")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".test.mjs"))
        .collect();
    files.sort();
    let (mut passed, mut failed) = (0, 0);
    for file in &files {
        let name = file.file_name().expect("a file name").to_string_lossy();
        let report = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join(format!("browser-{name}.txt"));
        let mut tries = 0;
        let (status, text) = loop {
            tries += 1;
            let _ = std::fs::remove_file(&report);
            let mut node = Command::new("node");
            if let Some(b) = &with_basemap {
                node.env("BUSSOLA_BASEMAP_URL", format!("http://{}", b.addr));
            }
            node.args([
                "--test",
                "--test-timeout=240000",
                "--test-reporter=spec",
                "--test-reporter-destination=stderr",
                "--test-reporter=spec",
            ])
            .arg(format!("--test-reporter-destination={}", report.display()))
            .arg(file)
            .current_dir(&root)
            .env("BUSSOLA_URL", format!("http://{}", server.addr))
            // The provider area's test makes an account with `bussola user add` on the server's
            // store.
            .env("BUSSOLA_BIN", env!("CARGO_BIN_EXE_bussola"))
            .env("BUSSOLA_DATA_DIR", &server.data_dir)
            .env("BUSSOLA_REGION", shipped_manifest())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .process_group(0);
            let mut child = node.spawn().expect("node runs");
            let status = wait_at_most(&mut child, Duration::from_secs(10 * 60));
            let text = std::fs::read_to_string(&report).unwrap_or_default();
            if let Some(status) = status {
                break (status, text);
            }
            let mut stacks = stacks_of(&server.child);
            if let Some(b) = &with_basemap {
                stacks.push_str(&stacks_of(&b.child));
            }
            let processes = Command::new("ps")
                .args(["-eo", "pid,ppid,etime,stat,args", "--forest"])
                .output()
                .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
                .unwrap_or_default();
            stop_group(&mut child);
            assert!(
                tries < 2,
                "{name} took over 10 minutes twice:\n{text}\n{stacks}\n{processes}"
            );
            std::io::stderr()
                .write_all(
                    format!(
                        "== {name} took over 10 minutes; once more. Its report:\n{text}\n{stacks}\n{processes}\n"
                    )
                    .as_bytes(),
                )
                .expect("stderr");
        };
        assert!(status.success(), "browser tests failed in {name}:\n{text}");
        let count = |word: &str| -> u32 {
            text.lines()
                .filter_map(|l| l.trim_start_matches(['ℹ', '#', ' ']).strip_prefix(word))
                .filter_map(|n| n.trim().parse().ok())
                .next()
                .unwrap_or(0)
        };
        passed += count("pass ");
        failed += count("fail ");
    }
    assert!(passed >= 40, "too few browser tests passed: {passed}");
    assert_eq!(failed, 0);
}

/// The child's exit status, or `None` once `limit` has passed.
fn wait_at_most(child: &mut Child, limit: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("node's status") {
            return Some(status);
        }
        if Instant::now() > deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Every thread's stack of a running server, by gdb when it is installed: what a hung run
/// was waiting for.
fn stacks_of(server: &Child) -> String {
    let pid = server.id().to_string();
    match Command::new("gdb")
        .args(["-batch", "-ex", "thread apply all bt", "-p", &pid])
        .stdin(Stdio::null())
        .output()
    {
        Ok(out) => format!(
            "== stacks of the server (pid {pid})\n{}",
            String::from_utf8_lossy(&out.stdout)
        ),
        Err(e) => format!("== no stacks of the server (pid {pid}): gdb: {e}\n"),
    }
}

/// Stops node and what it started in its process group: TERM first, so Playwright closes
/// Chromium, then KILL.
fn stop_group(child: &mut Child) {
    let group = format!("-{}", child.id());
    let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
    std::thread::sleep(Duration::from_secs(5));
    let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
    let _ = child.wait();
    // Playwright starts Chromium in a process group of its own.
    let _ = Command::new("pkill")
        .args(["-KILL", "-f", "playwright_chromiumdev_profile"])
        .status();
}
