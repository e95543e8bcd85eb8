//! GDAL, an independent client, reads the downloads unaided (issue #15): a FlatGeobuf remotely
//! through `/vsicurl/` with a spatial filter (byte ranges), the CSV typed by its `.csvt`, and
//! a vector tile typed by the TileJSON. Needs `ogrinfo` (apt `gdal-bin`; `.ci/ogc-clients.sh`
//! installs it); outside CI, without it, the test says so and passes.
use crate::common::{http_get, Server};
use std::process::Command;

fn ogrinfo(args: &[&str]) -> String {
    let out = Command::new("ogrinfo")
        .args(["-ro", "-so"])
        .args(args)
        .output()
        .expect("ogrinfo runs");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "ogrinfo {args:?}: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

/// The value after `Feature Count: `.
fn count(info: &str) -> usize {
    info.lines()
        .find_map(|l| l.trim().strip_prefix("Feature Count: "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no feature count in {info}"))
}

fn body(response: &str) -> &str {
    response.split_once("\r\n\r\n").map_or("", |(_, b)| b)
}

#[test]
fn gdal_reads_flatgeobuf_by_ranges_csv_by_its_types_and_tiles_by_tilejson() {
    if Command::new("ogrinfo").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install gdal-bin (.ci/ogc-clients.sh)"
        );
        eprintln!("skipping: ogrinfo (apt gdal-bin) is not installed");
        return;
    }
    let server = Server::start("gdal", &[]);
    let base = format!("http://{}", server.addr);

    // FlatGeobuf over HTTP with a spatial filter: the same services as the API's bbox.
    let bbox = "-8.0,38.5,-7.8,38.7";
    let listed: serde_json::Value = serde_json::from_str(body(&http_get(
        &server.addr,
        &format!("/api/services?bbox={bbox}&limit=1"),
    )))
    .unwrap();
    let want = listed["numberMatched"].as_u64().unwrap() as usize;
    assert!(want > 10, "{listed}");
    let fgb = format!("/vsicurl/{base}/api/export?format=fgb");
    let info = ogrinfo(&["-spat", "-8.0", "38.5", "-7.8", "38.7", &fgb, "-al"]);
    assert_eq!(count(&info), want, "{info}");
    let health: serde_json::Value =
        serde_json::from_str(body(&http_get(&server.addr, "/health"))).unwrap();
    let all = ogrinfo(&[&fgb, "-al"]);
    assert_eq!(count(&all) as u64, health["services"].as_u64().unwrap());

    // CSV and its .csvt side by side: codes text, numbers typed.
    let dir = server.data_dir.join("csv");
    std::fs::create_dir_all(&dir).unwrap();
    for ext in ["csv", "csvt"] {
        let r = http_get(&server.addr, &format!("/api/export?format={ext}"));
        std::fs::write(dir.join(format!("services.{ext}")), body(&r)).unwrap();
    }
    let csv = dir.join("services.csv");
    let info = ogrinfo(&[csv.to_str().unwrap(), "services"]);
    for line in [
        "municipality: String",
        "postal_code: String",
        "capacity: Integer",
        "lon: Real",
    ] {
        assert!(info.contains(line), "{line} in {info}");
    }

    // A vector tile, typed by the TileJSON: numbers as numbers (not all text).
    let tj = dir.join("tiles.json");
    std::fs::write(&tj, body(&http_get(&server.addr, "/tiles.json"))).unwrap();
    let tile = format!("/vsicurl/{base}/tiles/8/122/98.mvt");
    let meta = format!("METADATA_FILE={}", tj.display());
    let info = ogrinfo(&[
        "-oo", &meta, "-oo", "X=122", "-oo", "Y=98", "-oo", "Z=8", &tile, "services",
    ]);
    assert!(info.contains("count: Real"), "{info}");
    assert!(info.contains("demo: Integer(Boolean)"), "{info}");
    assert!(info.contains("name: String"), "{info}");
}
