//! Listing, one service, taxonomy, municipalities, region and health.
use crate::common::{app, get, get_raw};
use axum::http::StatusCode;
use std::collections::HashSet;

#[tokio::test]
async fn listing_pages_through_every_service_once_in_name_order() {
    let (app, cat) = app();
    let total = cat.len().unwrap();
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let (status, body) = get(&app, &format!("/api/services?limit=100&offset={offset}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["numberMatched"], total);
        let page = body["features"].as_array().unwrap();
        if page.is_empty() {
            break;
        }
        seen.extend(
            page.iter()
                .map(|f| f["properties"]["name"].as_str().unwrap().to_string()),
        );
        offset += 100;
    }
    assert_eq!(seen.len(), total);
    let folded: Vec<String> = seen.iter().map(|n| bussola::text::fold(n)).collect();
    assert!(folded.windows(2).all(|w| w[0] <= w[1]), "sorted by name");
}

#[tokio::test]
async fn filters_combine() {
    let (app, cat) = app();
    let (_, body) = get(&app, "/api/services?municipality=0705&type=ERPI&limit=500").await;
    let feats = body["features"].as_array().unwrap();
    let want = cat
        .with_services(|it| {
            it.filter(|s| s.municipality == "0705" && s.type_code == "ERPI")
                .count()
        })
        .unwrap();
    assert_eq!(body["numberMatched"], want);
    assert!(want > 5, "Évora has many care homes");
    assert!(feats
        .iter()
        .all(|f| f["properties"]["type"] == "ERPI"
            && f["properties"]["municipality"]["code"] == "0705"));

    let (_, body) = get(&app, "/api/services?group=children&limit=500").await;
    let types: HashSet<&str> = body["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["type"].as_str().unwrap())
        .collect();
    assert!(types.contains("CRECHE") && !types.contains("ERPI"));

    // Accent- and case-insensitive words in the name.
    let (_, body) = get(&app, "/api/services?q=MOURAO%20lar").await;
    let names: Vec<&str> = body["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["name"].as_str().unwrap())
        .collect();
    assert!(!names.is_empty());
    assert!(
        names
            .iter()
            .all(|n| n.contains("Mourão") && n.starts_with("Lar")),
        "{names:?}"
    );

    // A box around Évora city holds only services of Évora.
    let (_, body) = get(&app, "/api/services?bbox=-7.95,38.54,-7.86,38.60&limit=500").await;
    let feats = body["features"].as_array().unwrap();
    assert!(!feats.is_empty());
    for f in feats {
        let c = &f["geometry"]["coordinates"];
        let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        assert!((-7.95..=-7.86).contains(&lon) && (38.54..=38.60).contains(&lat));
        assert_eq!(f["properties"]["municipality"]["code"], "0705");
    }
}

#[tokio::test]
async fn one_service_by_id() {
    let (app, cat) = app();
    let id = cat
        .with_services(|it| it.next().map(|s| s.id.clone()))
        .unwrap()
        .unwrap();
    let (status, ct, body) = get_raw(&app, &format!("/api/services/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ct, "application/geo+json");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["id"], id.as_str());
    assert_eq!(v["type"], "Feature");
}

#[tokio::test]
async fn taxonomy_municipalities_region_health() {
    let (app, cat) = app();
    let (_, tax) = get(&app, "/api/taxonomy").await;
    assert_eq!(tax["groups"].as_array().unwrap().len(), 5);
    let erpi = tax["responses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "ERPI")
        .unwrap();
    assert_eq!(erpi["en"], "Residential care home for older people");
    assert!(erpi["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a == "Lar de Idosos"));

    let (_, munis) = get(&app, "/api/municipalities").await;
    let feats = munis["features"].as_array().unwrap();
    assert_eq!(feats.len(), 14);
    let evora = feats
        .iter()
        .find(|f| f["properties"]["code"] == "0705")
        .unwrap();
    assert_eq!(evora["properties"]["name"], "Évora");
    assert_eq!(evora["properties"]["population"]["total"], 53577);
    assert_eq!(evora["properties"]["population"]["age_65_plus"], 12629);
    assert_eq!(evora["properties"]["approximate_boundary"], true);
    assert!(evora["properties"]["elderly_rate"].as_f64().unwrap() > 0.0);
    assert_eq!(
        evora["properties"]["early_childhood_basis"],
        "live_births_x3"
    );
    assert_eq!(evora["geometry"]["type"], "MultiPolygon");

    let (_, region) = get(&app, "/api/region").await;
    assert_eq!(region["name"], "Alentejo Central");
    assert_eq!(region["municipalities"], 14);
    assert_eq!(region["approximate_boundaries"], true);
    assert_eq!(region["demo_services"], region["services"]);
    assert!(region["attribution"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a.as_str().unwrap().contains("INE")));

    let (status, health) = get(&app, "/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(health["status"], "ok");
    assert_eq!(health["services"], cat.len().unwrap());
}

#[tokio::test]
async fn places_find_municipalities_by_what_people_type() {
    let (app, _) = app();
    let (status, body) = get(&app, "/api/places?q=mourao").await;
    assert_eq!(status, StatusCode::OK);
    let first = &body["places"][0];
    assert_eq!(first["name"], "Mourão");
    assert_eq!(first["kind"], "municipality");
    assert_eq!(first["municipality"], "0708");
    assert!(
        (first["lon"].as_f64().unwrap() + 7.34189).abs() < 1e-9,
        "the seat"
    );
    let (_, body) = get(&app, "/api/places?q=VILA").await;
    let names: Vec<&str> = body["places"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Vila Viçosa"]);
    let (_, body) = get(&app, "/api/places?q=atlantida").await;
    assert_eq!(body["places"].as_array().unwrap().len(), 0);
}
