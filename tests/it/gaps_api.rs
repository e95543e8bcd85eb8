//! `/api/gaps` and `POST /api/scenarios` over the shipped region and the real 58 municipalities.
use crate::common::{app, catalog, get, get_raw, root, shared};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

async fn post(app: &axum::Router, uri: &str, body: &str) -> (StatusCode, Value) {
    let req = Request::post(uri)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&bytes))),
    )
}

#[tokio::test]
async fn gaps_per_municipality_add_up_to_the_census() {
    let (app, _) = app();
    let (status, r) = get(&app, "/api/gaps?type=ERPI").await;
    assert_eq!(status, StatusCode::OK, "{r}");
    assert_eq!(r["target"], "age_65_plus");
    let rows = r["municipalities"].as_array().unwrap();
    assert_eq!(rows.len(), 14);
    let pop: f64 = rows.iter().map(|x| x["population"].as_f64().unwrap()).sum();
    assert!(
        (pop - 41403.0).abs() < 1e-6,
        "the surface holds every resident aged 65+: {pop}"
    );
    for x in rows {
        let mean = x["mean_km"].as_f64().unwrap();
        let p90 = x["p90_km"].as_f64().unwrap();
        let share = x["share_beyond"].as_f64().unwrap();
        assert!(
            mean >= 0.0 && p90 >= 0.0 && (0.0..=1.0).contains(&share),
            "{x}"
        );
        assert!(
            x["services"].as_u64().unwrap() >= 1,
            "every municipality has an ERPI"
        );
        assert!(x["access_per_1000"].as_f64().unwrap() > 0.0);
    }
    assert!(
        r["surface"].as_str().unwrap().contains("grid"),
        "says how the surface was built"
    );
    assert_eq!(r["region"]["name"], "Alentejo Central");
    for x in rows {
        let s = x["share_beyond"].to_string();
        assert!(!s.starts_with('-'), "no negative zero: {s}");
        let p = x["population"].as_f64().unwrap();
        assert_eq!(p, (p * 1000.0).round() / 1000.0, "people to a thousandth");
    }

    let (_, r) = get(&app, "/api/gaps?type=CRECHE,AMA&threshold_km=5").await;
    assert_eq!(r["target"], "age_0_2");
    let pop: f64 = r["municipalities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["population"].as_f64().unwrap())
        .sum();
    assert!(
        (pop - 3.0 * 1136.0).abs() < 1e-6,
        "three times the 1,136 births of 2024: {pop}"
    );
    assert_eq!(r["params"]["threshold_km"], 5.0);

    let (status, ct, csv) = get_raw(&app, "/api/gaps?type=CENTRO_DIA&format=csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/csv"));
    assert_eq!(csv.lines().count(), 16);
    assert!(csv
        .lines()
        .next()
        .unwrap()
        .starts_with("code,name,types,target,population"));
}

#[tokio::test]
async fn gaps_bad_input() {
    let (app, _) = app();
    for (uri, param) in [
        ("/api/gaps", "type"),
        ("/api/gaps?type=NOPE", "type"),
        ("/api/gaps?type=ERPI,NOPE", "type[1]"),
        ("/api/gaps?type=ERPI&threshold_km=-1", "threshold_km"),
        ("/api/gaps?type=ERPI&catchment_km=abc", "catchment_km"),
        ("/api/gaps?type=ERPI&format=xml", "format"),
    ] {
        let (status, body) = get(&app, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(body["parameter"], param, "{uri}: {body}");
    }
}

#[tokio::test]
async fn opening_a_care_home_where_people_are_far_brings_them_within_reach_and_stores_nothing() {
    let (app, cat) = app();
    let region = cat.region();
    // The resident farthest from any ERPI: open one there.
    let erpi: Vec<bussola::model::Service> = cat
        .with_services(|it| it.filter(|s| s.type_code == "ERPI").cloned().collect())
        .unwrap();
    let refs: Vec<&bussola::model::Service> = erpi.iter().collect();
    let acc = bussola::access::point_access(
        &region.surface.points,
        &refs,
        bussola::access::Target::Age65Plus,
        &Default::default(),
    );
    let (far, _) = region
        .surface
        .points
        .iter()
        .zip(&acc)
        .max_by(|a, b| a.1.nearest_km.unwrap().total_cmp(&b.1.nearest_km.unwrap()))
        .unwrap();
    let (_, before_list) = get(&app, "/api/services?limit=1").await;
    let version = cat.data_version();

    let body = json!({"open": [{"type": "ERPI", "capacity": 40, "lon": far.lon, "lat": far.lat}], "threshold_km": 5});
    let (status, out) = post(&app, "/api/scenarios", &body.to_string()).await;
    assert_eq!(status, StatusCode::OK, "{out}");
    assert_eq!(out["types"], json!(["ERPI"]));
    assert_eq!(
        out["openings"],
        json!([{"id": "scenario-1", "type": "ERPI", "municipality": far.municipality}])
    );
    let changes = out["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 15);
    let here = changes
        .iter()
        .find(|c| c["code"] == far.municipality.as_str())
        .unwrap();
    assert!(
        here["people_gaining_access"].as_f64().unwrap() > 0.0,
        "{here}"
    );
    assert!(
        here["after"]["mean_km"].as_f64().unwrap() < here["before"]["mean_km"].as_f64().unwrap()
    );
    assert_eq!(
        here["after"]["services"].as_u64().unwrap(),
        here["before"]["services"].as_u64().unwrap() + 1
    );
    let region_change = changes.last().unwrap();
    assert_eq!(region_change["code"], "region");
    assert!(
        region_change["after"]["share_beyond"].as_f64().unwrap()
            < region_change["before"]["share_beyond"].as_f64().unwrap()
    );
    for c in changes {
        assert!(
            c["people_gaining_access"].as_f64().unwrap() >= -1e-9,
            "an opening never pushes anyone away"
        );
    }
    let cov = out["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["indicator"] == "elderly" && c["code"] == far.municipality.as_str())
        .unwrap();
    assert!(
        cov["after"].as_f64().unwrap() > cov["before"].as_f64().unwrap(),
        "40 more places raise the rate"
    );

    // Nothing was stored.
    assert_eq!(cat.data_version(), version);
    let (_, after_list) = get(&app, "/api/services?limit=1").await;
    assert_eq!(after_list["numberMatched"], before_list["numberMatched"]);
}

#[tokio::test]
async fn closing_every_care_home_of_a_municipality_pushes_its_people_away() {
    let (app, cat) = app();
    let ids: Vec<String> = cat
        .with_services(|it| {
            it.filter(|s| s.municipality == "0708" && s.type_code == "ERPI")
                .map(|s| s.id.clone())
                .collect()
        })
        .unwrap();
    let (status, out) = post(&app, "/api/scenarios", &json!({"close": ids}).to_string()).await;
    assert_eq!(status, StatusCode::OK, "{out}");
    let m = out["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "0708")
        .unwrap();
    assert_eq!(m["after"]["services"], 0);
    assert!(m["after"]["mean_km"].as_f64().unwrap() > m["before"]["mean_km"].as_f64().unwrap());
    assert!(m["people_gaining_access"].as_f64().unwrap() <= 0.0);
}

#[tokio::test]
async fn scenario_bad_input_names_the_field() {
    let (app, _) = app();
    for (body, param) in [
        ("{not json", "body"),
        (
            r#"{"open": [{"type": "NOPE", "capacity": 1, "lon": -7.9, "lat": 38.5}]}"#,
            "open[0].type",
        ),
        (
            r#"{"open": [{"type": "ERPI", "capacity": 1, "lon": -7.9, "lat": 138.5}]}"#,
            "open[0].lat",
        ),
        (
            r#"{"open": [{"type": "ERPI", "capacity": -4, "lon": -7.9, "lat": 38.5}]}"#,
            "open[0].capacity",
        ),
        (
            r#"{"open": [{"type": "ERPI", "lon": -7.9, "lat": 38.5}]}"#,
            "open[0]",
        ),
        (r#"{"close": ["no-such-service"]}"#, "close[0]"),
        (r#"{}"#, "types"),
        (r#"{"types": ["ERPI"], "threshold_km": 0}"#, "threshold_km"),
        (r#"{"colour": "red"}"#, "colour"),
    ] {
        let (status, out) = post(&app, "/api/scenarios", body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {out}");
        assert_eq!(out["parameter"], param, "{body}: {out}");
    }
}

#[test]
fn real_creches_over_the_58_municipalities() {
    if shared().is_none() {
        return;
    }
    let cat = catalog(&root().join("geodata/examples/alentejo-osm-creches.toml"));
    let r = cat
        .gaps(&["CRECHE".to_string()], &Default::default())
        .unwrap();
    assert_eq!(r.municipalities.len(), 58);
    let without: Vec<&str> = r
        .municipalities
        .iter()
        .filter(|m| m.services == 0)
        .map(|m| m.code.as_str())
        .collect();
    assert_eq!(
        without,
        ["0204", "0710", "1203", "1210", "1215"],
        "municipalities with no creche in OSM, reported as such"
    );
    for m in &r.municipalities {
        let finite = |v: Option<f64>| v.is_some_and(f64::is_finite);
        assert!(
            finite(m.mean_km)
                && finite(m.p90_km)
                && finite(m.share_beyond)
                && finite(m.access_per_1000),
            "{m:?}"
        );
        assert!(m.population.is_some_and(|p| p > 0.0));
    }
    // Where the parish table says a municipality is mostly rural, fewer people live at the seat.
    let seat = |code: &str| {
        cat.region()
            .surface
            .points
            .iter()
            .find(|p| p.seat && p.municipality == code)
            .map(|p| p.total)
            .unwrap()
    };
    let total = |code: &str| cat.region().municipality(code).unwrap().population.total as f64;
    assert!(
        seat("0705") / total("0705") > seat("0708") / total("0708"),
        "Évora is more urban than Mourão"
    );
}

#[test]
fn geonames_towns_join_the_seats_in_the_real_surface() {
    if shared().is_none() {
        return;
    }
    let cat = catalog(&root().join("geodata/examples/alentejo-osm-creches.toml"));
    let r = cat.region();
    let seats = r.surface.points.iter().filter(|p| p.seat).count();
    assert_eq!(seats, 58);
    // Towns of 1,000+ inhabitants (GeoNames) that are not seats carry weight too: they share
    // the urban part of their municipality equally with its seat.
    let geonames: Value = serde_json::from_str(
        &std::fs::read_to_string(shared().unwrap().join("geonames_pt_cities1000.geojson")).unwrap(),
    )
    .unwrap();
    let mut towns = 0;
    for f in geonames["features"].as_array().unwrap() {
        let c = &f["geometry"]["coordinates"];
        let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        let Some(t) = r
            .surface
            .points
            .iter()
            .find(|p| !p.seat && p.lon == lon && p.lat == lat)
        else {
            continue;
        };
        let seat = r
            .surface
            .points
            .iter()
            .find(|p| p.seat && p.municipality == t.municipality)
            .unwrap();
        assert!(
            (seat.total - t.total).abs() < 1e-6,
            "{}: seat and town share equally",
            t.municipality
        );
        towns += 1;
    }
    assert!(towns >= 5, "non-seat towns in the surface: {towns}");
    assert!(r.surface.method.contains("settlements"));
    for m in &r.municipalities {
        let sum: f64 = r
            .surface
            .points
            .iter()
            .filter(|p| p.municipality == m.code)
            .map(|p| p.total)
            .sum();
        assert!((sum - m.population.total as f64).abs() < 1e-6, "{}", m.code);
    }
}

#[tokio::test]
async fn a_region_can_supply_its_own_population_surface() {
    let dir = std::env::temp_dir().join(format!("bussola-surface-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let base = root().join("tests/data/demo-alentejo-central");
    let manifest = std::fs::read_to_string(base.join("region.toml"))
        .unwrap()
        .replace(
            "path = \"boundaries.geojson\"",
            &format!("path = {:?}", base.join("boundaries.geojson")),
        )
        .replace(
            "path = \"municipalities.csv\"",
            &format!("path = {:?}", base.join("municipalities.csv")),
        )
        .replace(
            "path = \"services.geojson\"",
            &format!("path = {:?}", base.join("services.geojson")),
        )
        + "\n[surface]\npoints = { path = \"grid.csv\", total = \"pop\", age_65_plus = \"old\" }\n";
    std::fs::write(dir.join("region.toml"), manifest).unwrap();
    // A coarse grid over the region, with made-up weights, and one point in the sea.
    let mut csv = String::from("lon,lat,pop,old\n");
    for i in 0..30 {
        for j in 0..20 {
            csv.push_str(&format!(
                "{},{},{},{}\n",
                -8.7 + 0.06 * f64::from(i),
                38.1 + 0.05 * f64::from(j),
                1 + (i * j) % 7,
                1 + (i + j) % 3
            ));
        }
    }
    csv.push_str("-20.0,38.0,1000,1000\n");
    std::fs::write(dir.join("grid.csv"), csv).unwrap();
    let cat = catalog(&dir.join("region.toml"));
    let r = cat.region();
    assert!(
        r.surface.method.contains("grid.csv") && r.surface.method.contains("outside"),
        "{}",
        r.surface.method
    );
    assert!(r.surface.points.iter().all(|p| !p.seat
        || r.surface
            .points
            .iter()
            .filter(|q| q.municipality == p.municipality)
            .count()
            == 1));
    let g = cat
        .gaps(&["ERPI".to_string()], &Default::default())
        .unwrap();
    assert!(
        (g.region.population.unwrap_or(0.0) - 41403.0).abs() < 1e-6,
        "rescaled to the Census: {:?}",
        g.region.population
    );
    let _ = std::fs::remove_dir_all(dir);
}
