//! The data for researchers (issue #18, part 5): the Frictionless Data Package validates with the
//! `frictionless` validator from PyPI (`bash .ci/frictionless.sh` installs it in
//! `target/frictionless-venv`; without it that part prints so and passes, except under CI), and
//! the validator really checks (a broken foreign key is caught); every resource's CSV header is
//! its Table Schema; the descriptor served with each resource's address; dated snapshots made,
//! listed, downloaded whole and by ranges, only by admins; the data dictionary written from the
//! same schemas; `CITATION.cff` is Citation File Format 1.2.0.
use crate::common::accounts::{call, session};
use crate::common::{app, catalog, demo_manifest, get, get_raw, get_with, peer, root};
use axum::http::StatusCode;
use bussola::auth::Role;
use bussola::trends::recorder::{record, Bucket};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// 2026-03-01T12:00:00Z.
const MARCH_1: i64 = 1_772_366_400;

fn scratch(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("bussola-datapackage-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Unzips with Python's zipfile (an independent reader); the names in the archive.
fn unzip(zip: &Path, into: &Path) -> Vec<String> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import zipfile, sys, json\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\n\
             z.extractall(sys.argv[2])\nprint(json.dumps(z.namelist()))",
        ])
        .arg(zip)
        .arg(into)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `frictionless validate --json` on a descriptor: (valid, the report); `None` when the
/// validator is not installed (outside CI).
fn frictionless(descriptor: &Path) -> Option<(bool, Value)> {
    let bin = std::env::var_os("FRICTIONLESS_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/frictionless-venv"))
        .join("bin/frictionless");
    if !bin.exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install frictionless: bash .ci/frictionless.sh"
        );
        eprintln!("skipping: frictionless missing in target/frictionless-venv (bash .ci/frictionless.sh installs it)");
        return None;
    }
    let out = Command::new(bin)
        .args(["validate", "--json"])
        .arg(descriptor)
        .output()
        .expect("frictionless runs");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "frictionless: not JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    Some((report["valid"].as_bool().unwrap(), report))
}

/// Every error's type in a frictionless report.
fn error_types(report: &Value) -> Vec<String> {
    report["tasks"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|t| t["errors"].as_array().cloned().unwrap_or_default())
        .chain(report["errors"].as_array().cloned().unwrap_or_default())
        .map(|e| e["type"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn the_package_validates_with_frictionless() {
    let (app, cat) = app();
    // A day's indicators, a change's, and a published value.
    record(&cat, Bucket::Daily, MARCH_1).unwrap();
    let mut erpi = cat.get("demo-0710-erpi-1").unwrap();
    erpi.capacity = erpi.capacity.map(|c| c + 10);
    cat.upsert(erpi).unwrap();
    record(&cat, Bucket::Change, MARCH_1 + 60).unwrap();
    let admin = session(&cat, "dp-admin@example.pt", Role::Admin, None, &[]);
    let auth = format!("Bearer {admin}");
    let h = [
        ("authorization", auth.as_str()),
        ("content-type", "text/csv"),
    ];
    let csv = "date,area,indicator,value,source\n2023-12-31,0710,coverage.elderly.rate,12.9,Carta Social 2023\n";
    let (st, _, v) = crate::common::send(&app, "POST", "/api/trends/import", &h, csv).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");

    let (st, headers, body) = get_with(&app, "/api/datapackage.zip", &[]).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(headers["content-type"], "application/zip");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.contains("bussola-alentejo-central-") && disposition.ends_with(".zip\""),
        "{disposition}"
    );
    let dir = scratch("validate");
    let zip = dir.join("package.zip");
    std::fs::write(&zip, &body).unwrap();
    let names = unzip(&zip, &dir.join("x"));
    assert_eq!(
        names,
        [
            "datapackage.json",
            "data/services.csv",
            "data/municipalities.csv",
            "data/areas.csv",
            "data/indicators.csv",
            "data/trends.csv",
            "data/references.csv",
            "README.md",
            "CITATION.cff",
        ]
    );
    let x = dir.join("x");
    let d: Value =
        serde_json::from_slice(&std::fs::read(x.join("datapackage.json")).unwrap()).unwrap();
    assert_eq!(d["name"], "bussola-alentejo-central");
    assert!(d["version"].as_str().unwrap().split('.').count() == 3);
    assert!(!d["licenses"].as_array().unwrap().is_empty());
    for r in d["resources"].as_array().unwrap() {
        let name = r["name"].as_str().unwrap();
        assert!(
            !r["licenses"].as_array().unwrap().is_empty(),
            "{name}: licences"
        );
        assert!(
            !r["sources"].as_array().unwrap().is_empty(),
            "{name}: sources"
        );
        // The file's header is the schema's fields, in order; every field described.
        let text = std::fs::read_to_string(x.join(r["path"].as_str().unwrap())).unwrap();
        let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
        let fields: Vec<&str> = r["schema"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert_eq!(header, fields, "{name}");
        for f in r["schema"]["fields"].as_array().unwrap() {
            assert!(
                !f["description"].as_str().unwrap().is_empty(),
                "{name}.{}",
                f["name"]
            );
        }
    }
    let licences = |r: usize| -> Vec<String> {
        d["resources"][r]["licenses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["name"].as_str().unwrap().to_string())
            .collect()
    };
    // The fixture's seats are GeoNames' (CC-BY 4.0) and its population INE's.
    assert_eq!(licences(1), ["other-at", "CC-BY-4.0"]);
    let trends = std::fs::read_to_string(x.join("data/trends.csv")).unwrap();
    assert!(
        trends.contains("\"0710\",\"coverage.elderly.rate\",\"d2026-03-01\",2026-03-01T12:00:00Z,")
    );
    assert!(trends
        .lines()
        .any(|l| l.starts_with("\"0710\",\"coverage.elderly.rate\",\"v")));
    let references = std::fs::read_to_string(x.join("data/references.csv")).unwrap();
    assert!(references
        .contains("2023-12-31,\"0710\",\"coverage.elderly.rate\",12.9,\"Carta Social 2023\""));
    assert_eq!(
        std::fs::read_to_string(x.join("CITATION.cff")).unwrap(),
        std::fs::read_to_string(root().join("CITATION.cff")).unwrap()
    );

    let Some((valid, report)) = frictionless(&x.join("datapackage.json")) else {
        return;
    };
    assert!(valid, "frictionless: {report:#}");
    // The same archive, validated as it is.
    let (valid, report) = frictionless(&zip).unwrap();
    assert!(valid, "frictionless (zip): {report:#}");
    // The validator does check: a service in an unknown municipality breaks the foreign key
    // (and the file's hash).
    let services = x.join("data/services.csv");
    let text = std::fs::read_to_string(&services).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    lines[1] = lines[1].replacen(",\"07", ",\"99", 1);
    std::fs::write(&services, lines.join("\n") + "\n").unwrap();
    let (valid, report) = frictionless(&x.join("datapackage.json")).unwrap();
    assert!(!valid);
    let types = error_types(&report);
    assert!(types.iter().any(|t| t == "foreign-key"), "{types:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn the_descriptor_is_served_with_each_resources_address() {
    let (app, cat) = app();
    record(&cat, Bucket::Daily, MARCH_1).unwrap();
    let (st, d) = get(&app, "/api/datapackage.json").await;
    assert_eq!(st, StatusCode::OK, "{d}");
    let names: Vec<&str> = d["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, bussola::datapackage::RESOURCES);
    for r in d["resources"].as_array().unwrap() {
        let path = r["path"].as_str().unwrap();
        let rel = path
            .split_once("/api/")
            .map(|(base, rest)| {
                assert!(base.starts_with("http"), "{path}");
                format!("/api/{rest}")
            })
            .unwrap();
        assert_eq!(
            rel,
            format!("/api/datapackage/data/{}.csv", r["name"].as_str().unwrap())
        );
        assert!(r.get("hash").is_none() && r.get("bytes").is_none());
        let (st, ctype, csv) = get_raw(&app, &rel).await;
        assert_eq!(st, StatusCode::OK, "{rel}");
        assert!(ctype.starts_with("text/csv"), "{ctype}");
        let fields: Vec<&str> = r["schema"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert_eq!(csv.lines().next().unwrap(), fields.join(","), "{rel}");
    }
    for bad in [
        "/api/datapackage/data/nope.csv",
        "/api/datapackage/data/services.json",
    ] {
        assert_eq!(get_raw(&app, bad).await.0, StatusCode::NOT_FOUND, "{bad}");
    }
}

#[tokio::test]
async fn snapshots_are_dated_listed_downloaded_and_made_by_admins() {
    let cat = catalog(&demo_manifest());
    let dir = scratch("snapshots");
    let options = bussola::api::Options {
        snapshots: Some(dir.clone()),
        ..Default::default()
    };
    let app = bussola::api::router_with(cat.clone(), bussola::api::Assets::under(&root()), options)
        .layer(axum::Extension(peer("127.0.0.1")));
    let (st, v) = get(&app, "/api/datapackage/snapshots").await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v, serde_json::json!({"kept": true, "snapshots": []}));

    let admin = session(&cat, "snap-admin@example.pt", Role::Admin, None, &[]);
    let moderator = session(
        &cat,
        "snap-mod@example.pt",
        Role::Moderator,
        None,
        &["0701"],
    );
    assert_eq!(
        call(&app, "POST", "/api/datapackage/snapshots", &moderator, "")
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let (st, made) = call(&app, "POST", "/api/datapackage/snapshots", &admin, "").await;
    assert_eq!(st, StatusCode::CREATED, "{made}");
    let today = bussola::trends::day_text(bussola::trends::day_of(bussola::auth::now()));
    assert_eq!(made["date"], today);
    assert_eq!(
        made["file"],
        format!("bussola-alentejo-central-{today}.zip")
    );
    assert_eq!(
        made["version"],
        bussola::datapackage::version_of(bussola::trends::day_of(bussola::auth::now()))
    );

    let (_, listed) = get(&app, "/api/datapackage/snapshots").await;
    let list = listed["snapshots"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{listed}");
    assert_eq!(list[0]["sha256"], made["sha256"]);
    let url = list[0]["url"].as_str().unwrap();
    let (st, h, body) = get_with(&app, url, &[]).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(h["content-type"], "application/zip");
    assert_eq!(body.len() as u64, list[0]["bytes"].as_u64().unwrap());
    assert_eq!(
        bussola::datapackage::sha256(&body),
        list[0]["sha256"].as_str().unwrap()
    );
    let (st, h, part) = get_with(&app, url, &[("range", "bytes=0-3")]).await;
    assert_eq!(st, StatusCode::PARTIAL_CONTENT);
    assert_eq!(part, b"PK\x03\x04");
    assert!(h["content-range"]
        .to_str()
        .unwrap()
        .starts_with("bytes 0-3/"));
    // Only this region's snapshot files, nothing else of the folder or outside it.
    std::fs::write(dir.join("secret.txt"), "no").unwrap();
    for bad in [
        "/api/datapackage/snapshots/secret.txt",
        "/api/datapackage/snapshots/bussola-alentejo-central-2020-01-01.zip",
        "/api/datapackage/snapshots/..%2Fsecret.txt",
    ] {
        assert_eq!(get_raw(&app, bad).await.0, StatusCode::NOT_FOUND, "{bad}");
    }
    // A day's snapshot is the package as it was: made at a given time, its version is the day.
    let shelf = bussola::datapackage::snapshots::Shelf::new(&dir, "alentejo-central");
    let march = shelf.make(&cat, MARCH_1).unwrap();
    assert_eq!(
        (march.date.as_str(), march.version.as_str()),
        ("2026-03-01", "2026.3.1")
    );
    let (_, listed) = get(&app, "/api/datapackage/snapshots").await;
    let dates: Vec<&str> = listed["snapshots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, [today.as_str(), "2026-03-01"], "newest first");

    // A server without a folder for them keeps none.
    let (plain, plain_cat) = crate::common::app();
    let (_, v) = get(&plain, "/api/datapackage/snapshots").await;
    assert_eq!(v, serde_json::json!({"kept": false, "snapshots": []}));
    let admin = session(&plain_cat, "snap-admin@example.pt", Role::Admin, None, &[]);
    let (st, v) = call(&plain, "POST", "/api/datapackage/snapshots", &admin, "").await;
    assert_eq!(st, StatusCode::CONFLICT, "{v}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn the_dictionary_is_written_from_the_same_schemas() {
    let (app, _) = app();
    let (_, d) = get(&app, "/api/datapackage.json").await;
    let (st, ctype, html) = get_raw(&app, "/data/dictionary").await;
    assert_eq!(st, StatusCode::OK);
    assert!(ctype.starts_with("text/html"), "{ctype}");
    assert!(html.starts_with("<!doctype html>\n<html lang=\"en\">"));
    for r in d["resources"].as_array().unwrap() {
        let name = r["name"].as_str().unwrap();
        assert!(html.contains(&format!("<h2 id=\"{name}\">")), "{name}");
        for f in r["schema"]["fields"].as_array().unwrap() {
            let row = format!(
                "<tr><th scope=\"row\"><code>{}</code></th><td>{}</td>",
                f["name"].as_str().unwrap(),
                f["type"].as_str().unwrap()
            );
            assert!(html.contains(&row), "{name}: {row}");
            let description = bussola::quality::report::escape(f["description"].as_str().unwrap());
            assert!(html.contains(&description), "{name}: {description}");
        }
    }
    assert!(html.contains("href=\"/api/datapackage.zip\""));
    assert!(html.contains("href=\"/CITATION.cff\""));
}

#[tokio::test]
async fn citation_cff_is_citation_file_format_1_2_0() {
    let text = std::fs::read_to_string(root().join("CITATION.cff")).unwrap();
    let cff: Value = serde_norway::from_str(&text).expect("CITATION.cff is YAML");
    assert_eq!(cff["cff-version"], "1.2.0");
    for key in ["message", "title", "abstract"] {
        assert!(
            cff[key].as_str().is_some_and(|s| !s.trim().is_empty()),
            "{key}"
        );
    }
    assert!(["software", "dataset"].contains(&cff["type"].as_str().unwrap()));
    assert_eq!(
        cff["version"],
        env!("CARGO_PKG_VERSION"),
        "the crate's version"
    );
    let person = |a: &Value| {
        a["name"].as_str().is_some_and(|n| !n.is_empty())
            || a["family-names"].as_str().is_some_and(|n| !n.is_empty())
    };
    let authors = cff["authors"].as_array().expect("authors");
    assert!(!authors.is_empty() && authors.iter().all(person));
    // License: SPDX ids, as Cargo.toml's `MIT OR Apache-2.0`.
    assert_eq!(cff["license"], serde_json::json!(["MIT", "Apache-2.0"]));
    for r in cff["references"].as_array().unwrap() {
        assert!(r["type"].is_string() && r["title"].is_string(), "{r}");
        assert!(
            r["authors"]
                .as_array()
                .is_some_and(|a| !a.is_empty() && a.iter().all(person)),
            "{r}"
        );
    }
    let keys = [
        "cff-version",
        "message",
        "type",
        "title",
        "abstract",
        "authors",
        "version",
        "license",
        "keywords",
        "references",
    ];
    for k in cff.as_object().unwrap().keys() {
        assert!(keys.contains(&k.as_str()), "unexpected key {k}");
    }
    let (app, _) = app();
    let (st, ctype, served) = get_raw(&app, "/CITATION.cff").await;
    assert_eq!(st, StatusCode::OK);
    assert!(ctype.starts_with("text/plain"));
    assert_eq!(served, text);
}
