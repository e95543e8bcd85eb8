//! `GET /api/export` and `bussola export`: the region's data out as open files.
mod common;
use axum::http::StatusCode;
use common::{app, get, get_with};
use std::collections::HashSet;

#[tokio::test]
async fn services_export_as_geojson_and_csv_with_provenance() {
    let (app, cat) = app();
    let total = cat.len().unwrap();
    let (status, h, body) = get_with(&app, "/api/export?layer=services&format=geojson", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h["content-type"], "application/geo+json");
    assert!(h["content-disposition"]
        .to_str()
        .unwrap()
        .contains("alentejo-central-services.geojson"));
    let fc: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let feats = fc["features"].as_array().unwrap();
    assert_eq!(feats.len(), total);
    assert!(feats
        .iter()
        .all(|f| f["properties"]["demo"] == true && f["properties"]["source"].is_string()));
    assert!(fc["attribution"].as_array().unwrap().len() >= 3);

    let (status, h, body) = get_with(&app, "/api/export?layer=services&format=csv", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(h["content-type"].to_str().unwrap().starts_with("text/csv"));
    let mut rd = csv::Reader::from_reader(&body[..]);
    let headers = rd.headers().unwrap().clone();
    for col in [
        "id",
        "type",
        "capacity",
        "lon",
        "lat",
        "source",
        "updated",
        "demo",
        "provider_nature",
    ] {
        assert!(headers.iter().any(|h| h == col), "{col}");
    }
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), total);
    let ids: HashSet<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(ids.len(), total, "one row per service");
    let first = cat.get(&rows[0][0]).unwrap();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(rows[0][col("lon")].parse::<f64>().unwrap(), first.lon);
    assert_eq!(
        rows[0][col("capacity")],
        first.capacity.unwrap().to_string()
    );
}

#[tokio::test]
async fn municipalities_export_carries_the_indicators() {
    let (app, _) = app();
    let (_, report) = get(&app, "/api/coverage?indicator=elderly").await;
    let (status, _, body) =
        get_with(&app, "/api/export?layer=municipalities&format=csv", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let mut rd = csv::Reader::from_reader(&body[..]);
    let headers = rd.headers().unwrap().clone();
    let rate = headers.iter().position(|h| h == "elderly_rate").unwrap();
    let rows: Vec<csv::StringRecord> = rd.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 14);
    for r in &rows {
        let want = report["municipalities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["code"] == r[0])
            .unwrap();
        assert!((r[rate].parse::<f64>().unwrap() - want["rate"].as_f64().unwrap()).abs() < 1e-4);
    }
    let (_, _, gj) = get_with(&app, "/api/export?layer=municipalities&format=geojson", &[]).await;
    let fc: serde_json::Value = serde_json::from_slice(&gj).unwrap();
    assert_eq!(fc["features"].as_array().unwrap().len(), 14);
}

#[tokio::test]
async fn export_bad_input() {
    let (app, _) = app();
    for (uri, param) in [
        ("/api/export?format=xls", "format"),
        ("/api/export?layer=people", "layer"),
        ("/api/export?what=x", "what"),
    ] {
        let (status, body) = get(&app, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(body["parameter"], param);
    }
}

#[test]
fn cli_export_writes_the_stored_data() {
    let dir = std::env::temp_dir().join(format!("bussola-export-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let out = dir.join("services.csv");
    std::fs::create_dir_all(&dir).unwrap();
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_bussola"))
        .args(["export", "--format", "csv", "--data-dir"])
        .arg(dir.join("data"))
        .arg("--out")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().count(), 1 + 378);
    let _ = std::fs::remove_dir_all(dir);
}
