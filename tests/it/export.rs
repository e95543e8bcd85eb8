//! `GET /api/export` and `bussola export`: the region's data out as open files.
use crate::common::{app, get, get_with};
use axum::http::StatusCode;
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
        .args(["export", "--region"])
        .arg(crate::common::demo_manifest())
        .args(["--format", "csv", "--data-dir"])
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

/// Writes an export body to a temporary file and reads it with the region's FlatGeobuf reader.
fn read_fgb_body(name: &str, body: &[u8]) -> bussola::region::read::RawFile {
    let path =
        std::env::temp_dir().join(format!("bussola-export-{name}-{}.fgb", std::process::id()));
    std::fs::write(&path, body).unwrap();
    let file = bussola::region::read::read_fgb(&path).unwrap();
    let _ = std::fs::remove_file(path);
    file
}

#[tokio::test]
async fn services_as_flatgeobuf_match_the_geojson_export() {
    let (app, _) = app();
    let (status, h, body) = get_with(&app, "/api/export?layer=services&format=fgb", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h["content-type"], "application/vnd.flatgeobuf");
    assert!(h["content-disposition"]
        .to_str()
        .unwrap()
        .contains("alentejo-central-services.fgb"));
    let fgb = read_fgb_body("services", &body);
    assert_eq!(fgb.crs, bussola::reproject::Crs::Wgs84);

    let (_, _, gj) = get_with(&app, "/api/export?layer=services&format=geojson", &[]).await;
    let fc: serde_json::Value = serde_json::from_slice(&gj).unwrap();
    let want: std::collections::HashMap<&str, &serde_json::Value> = fc["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["properties"]["id"].as_str().unwrap(), f))
        .collect();
    assert_eq!(fgb.features.len(), want.len());
    let mut seen = HashSet::new();
    for f in &fgb.features {
        let id = f.props["id"].as_str().unwrap();
        assert!(seen.insert(id.to_string()), "{id} twice");
        let w = want[id];
        let Some(geo_types::Geometry::Point(p)) = &f.geometry else {
            panic!("{id}: not a point");
        };
        let c = &w["geometry"]["coordinates"];
        assert!((p.x() - c[0].as_f64().unwrap()).abs() < 1e-6, "{id} lon");
        assert!((p.y() - c[1].as_f64().unwrap()).abs() < 1e-6, "{id} lat");
        // Same properties: scalars as they are, nested objects as JSON.
        let props = w["properties"].as_object().unwrap();
        assert_eq!(f.props["name"], props["name"]);
        assert_eq!(
            f.props["capacity"].as_str().unwrap(),
            props["capacity"].to_string()
        );
        let provider: serde_json::Value =
            serde_json::from_str(f.props["provider"].as_str().unwrap()).unwrap();
        assert_eq!(provider, props["provider"], "{id} provider");
        for key in props.keys().filter(|k| !props[k.as_str()].is_null()) {
            assert!(f.props.contains_key(key), "{id}: no column {key}");
        }
    }
}

#[tokio::test]
async fn municipalities_as_flatgeobuf_keep_codes_and_areas() {
    use geo::orient::{Direction, Orient};
    use geo::GeodesicArea;
    let (app, cat) = app();
    let (status, _, body) =
        get_with(&app, "/api/export?layer=municipalities&format=fgb", &[]).await;
    assert_eq!(status, StatusCode::OK);
    let fgb = read_fgb_body("municipalities", &body);
    let region = cat.region();
    assert_eq!(fgb.features.len(), region.municipalities.len());
    for f in &fgb.features {
        let code = f.props["code"].as_str().unwrap();
        let m = region.municipality(code).unwrap();
        assert_eq!(f.props["name"].as_str(), Some(m.name.as_str()));
        let Some(geo_types::Geometry::MultiPolygon(mp)) = &f.geometry else {
            panic!("{code}: not a MultiPolygon");
        };
        let area =
            |g: &geo_types::MultiPolygon| g.orient(Direction::Default).geodesic_area_unsigned();
        let (got, want) = (area(mp), area(&m.geometry));
        assert!((1e8..1e10).contains(&want), "{code}: {want} m²");
        assert!((got - want).abs() / want < 0.001, "{code}: {got} vs {want}");
        assert!(f.props["elderly_rate"]
            .as_str()
            .unwrap()
            .parse::<f64>()
            .is_ok());
    }
}

#[tokio::test]
async fn hsds_links_every_service_to_its_organization_location_and_phone() {
    let (app, cat) = app();
    let (status, h, body) = get_with(&app, "/api/export?layer=services&format=hsds", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h["content-type"], "application/json");
    let doc: serde_json::Value = serde_json::from_slice(&body).unwrap();
    let arr = |k: &str| {
        doc[k]
            .as_array()
            .unwrap_or_else(|| panic!("no {k}"))
            .clone()
    };
    let ids = |k: &str| -> HashSet<String> {
        arr(k)
            .iter()
            .map(|o| o["id"].as_str().unwrap().to_string())
            .collect()
    };
    let (services, locations, organizations) =
        (arr("services"), ids("locations"), ids("organizations"));
    assert_eq!(
        services.len(),
        cat.len().unwrap(),
        "one HSDS service per stored service"
    );
    assert_eq!(ids("services").len(), services.len(), "unique service ids");
    let service_ids = ids("services");
    // Our id of each service: its attribute `id` (HSDS has no field for it).
    let attributes = arr("attributes");
    let our_id = |sid: &serde_json::Value| -> String {
        attributes
            .iter()
            .find(|a| &a["link_id"] == sid && a["link_type"] == "id")
            .unwrap()["value"]
            .as_str()
            .unwrap()
            .to_string()
    };
    for s in &services {
        assert_eq!(s["status"], "active");
        assert!(organizations.contains(s["organization_id"].as_str().unwrap()));
        assert!(s["alert"].as_str().unwrap().contains("Demonstration data"));
    }
    let links = arr("service_at_locations");
    assert_eq!(links.len(), services.len());
    for l in &links {
        assert!(service_ids.contains(l["service_id"].as_str().unwrap()));
        assert!(locations.contains(l["location_id"].as_str().unwrap()));
    }
    // Phones: exactly the services that have one, with the stored number.
    let phones = arr("phones");
    let by_service: std::collections::HashMap<&str, &str> = phones
        .iter()
        .map(|p| {
            (
                p["service_id"].as_str().unwrap(),
                p["number"].as_str().unwrap(),
            )
        })
        .collect();
    let mut with_phone = 0;
    for s in &services {
        let stored = cat.get(&our_id(&s["id"])).unwrap();
        let sid = s["id"].as_str().unwrap();
        assert_eq!(
            by_service.get(sid).copied(),
            stored.contact.phone.as_deref()
        );
        with_phone += usize::from(stored.contact.phone.is_some());
        // The location carries the stored position.
        let link = links.iter().find(|l| l["service_id"] == sid).unwrap();
        let loc = arr("locations")
            .into_iter()
            .find(|l| l["id"] == link["location_id"])
            .unwrap();
        assert_eq!(loc["location_type"], "physical");
        assert_eq!(loc["latitude"].as_f64(), Some(stored.lat));
        assert_eq!(loc["longitude"].as_f64(), Some(stored.lon));
    }
    assert!(with_phone > 0 && phones.len() == with_phone);
    // The response type is an attribute pointing at a taxonomy term with that code.
    let terms = arr("taxonomy_terms");
    let first = &services[0];
    let attr = arr("attributes")
        .into_iter()
        .find(|a| a["link_id"] == first["id"])
        .unwrap();
    let term = terms
        .iter()
        .find(|t| t["id"] == attr["taxonomy_term_id"])
        .unwrap();
    assert_eq!(
        term["code"],
        cat.get(&our_id(&first["id"])).unwrap().type_code
    );
}

#[tokio::test]
async fn hsds_of_municipalities_is_refused() {
    let (app, _) = app();
    let (status, body) = get(&app, "/api/export?layer=municipalities&format=hsds").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["parameter"], "format");
    assert!(body["error"].as_str().unwrap().contains("hsds"), "{body}");
}

#[test]
fn cli_export_writes_flatgeobuf() {
    let dir = std::env::temp_dir().join(format!("bussola-export-fgb-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("services.fgb");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_bussola"))
        .args(["export", "--region"])
        .arg(crate::common::demo_manifest())
        .args(["--format", "fgb", "--data-dir"])
        .arg(dir.join("data"))
        .arg("--out")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let file = bussola::region::read::read_fgb(&out).unwrap();
    assert_eq!(file.features.len(), 378);
    let _ = std::fs::remove_dir_all(dir);
}

/// GIS clients read a FlatGeobuf's header and index remotely by byte ranges (GDAL's
/// `/vsicurl/`, QGIS, flatgeobuf.js): the download answers ranges of the same bytes it sends
/// whole, says which file it is (ETag), and a write makes it another file.
#[tokio::test]
async fn downloads_answer_byte_ranges_of_one_file() {
    let (app, cat) = app();
    let uri = "/api/export?format=fgb";
    let (st, h, whole) = get_with(&app, uri, &[("accept-encoding", "gzip")]).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(h["accept-ranges"], "bytes");
    assert!(
        h.get("content-encoding").is_none(),
        "ranges count the file's own bytes"
    );
    let etag = h["etag"].to_str().unwrap().to_string();
    let n = whole.len();
    assert_eq!(&whole[..3], b"fgb", "FlatGeobuf's magic bytes");

    let (st, h, part) = get_with(&app, uri, &[("range", "bytes=0-7")]).await;
    assert_eq!(st, StatusCode::PARTIAL_CONTENT);
    assert_eq!(h["content-range"], format!("bytes 0-7/{n}").as_str());
    assert_eq!(part, whole[..8]);
    let (st, _, tail) = get_with(&app, uri, &[("range", "bytes=-100")]).await;
    assert_eq!(st, StatusCode::PARTIAL_CONTENT);
    assert_eq!(tail, whole[n - 100..]);
    let mid = format!("bytes={}-", n / 2);
    let (_, _, rest) = get_with(&app, uri, &[("range", &mid)]).await;
    assert_eq!(rest, whole[n / 2..]);

    // HEAD: the length, no body.
    let res = {
        use tower::ServiceExt;
        let req = axum::http::Request::head(uri)
            .body(axum::body::Body::empty())
            .unwrap();
        app.clone().oneshot(req).await.unwrap()
    };
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-length"], n.to_string().as_str());

    // Past the end: 416 in JSON, saying the length.
    let past = format!("bytes={}-{}", n + 10, n + 20);
    let (st, h, body) = get_with(&app, uri, &[("range", &past)]).await;
    assert_eq!(st, StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(h["content-range"], format!("bytes */{n}").as_str());
    let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert!(v["error"].as_str().unwrap().contains("range"));

    // Unchanged data: the same file (304 to its ETag); after a write, another one, and a
    // range asked "if still that file" gets the whole new file instead.
    let (st, _, _) = get_with(&app, uri, &[("if-none-match", &etag)]).await;
    assert_eq!(st, StatusCode::NOT_MODIFIED);
    let mut s = cat.get("demo-0701-erpi-1").unwrap();
    s.capacity = Some(s.capacity.unwrap_or(0) + 7);
    cat.upsert(s).unwrap();
    let (st, h, body) = get_with(&app, uri, &[("range", "bytes=0-7"), ("if-range", &etag)]).await;
    assert_eq!(st, StatusCode::OK);
    assert_ne!(h["etag"].to_str().unwrap(), etag);
    assert_eq!(
        body.len(),
        h["content-length"]
            .to_str()
            .unwrap()
            .parse::<usize>()
            .unwrap()
    );
}

/// GDAL and QGIS turned `0701` into 701 when codes were bare: codes are quoted text, numbers
/// are not, and a `.csvt` sidecar gives each column's type.
#[tokio::test]
async fn csv_codes_stay_text_with_a_csvt_beside() {
    let (app, _) = app();
    for (layer, code_col, number_col) in [
        ("services", "municipality", "capacity"),
        ("municipalities", "code", "population"),
    ] {
        let (st, _, csv) =
            get_with(&app, &format!("/api/export?layer={layer}&format=csv"), &[]).await;
        assert_eq!(st, StatusCode::OK);
        let csv = String::from_utf8(csv).unwrap();
        let (st, h, csvt) =
            get_with(&app, &format!("/api/export?layer={layer}&format=csvt"), &[]).await;
        assert_eq!(st, StatusCode::OK);
        assert!(h["content-disposition"]
            .to_str()
            .unwrap()
            .ends_with(&format!("-{layer}.csvt\"")));
        let csvt = String::from_utf8(csvt).unwrap();
        let types: Vec<&str> = csvt
            .trim()
            .split(',')
            .map(|t| t.trim_matches('"'))
            .collect();
        let mut lines = csv.lines();
        let head: Vec<&str> = lines.next().unwrap().split(',').collect();
        assert_eq!(types.len(), head.len(), "{layer}: a type per column");
        let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
        assert_eq!(types[col(code_col)], "String");
        assert_eq!(types[col(number_col)], "Integer");
        // Raw text: the code quoted with its leading zero; the number bare.
        let first = lines.next().unwrap();
        assert!(first.contains("\"07"), "{layer}: {first}");
        let mut r = csv::Reader::from_reader(csv.as_bytes());
        for rec in r.records() {
            let rec = rec.unwrap();
            assert!(rec[col(code_col)].starts_with("07"), "{layer}: {rec:?}");
        }
    }
}
