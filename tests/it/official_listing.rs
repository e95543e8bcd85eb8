//! Carta Social's classification through the API: each response's official code and subarea,
//! the subarea as a finer filter under the target groups, and links to the official listing on
//! services and on coverage rows (the pattern from the region manifest's `[links]`).
use crate::common::{app, demo_manifest, get, get_with, mvt::decode, root};
use axum::http::StatusCode;
use bussola::catalog::Catalog;
use bussola::region::{Manifest, Region};
use bussola::store::SqliteStore;
use bussola::tiles::mercator::to_world;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::Arc;

/// Évora's Praça do Giraldo.
const GIRALDO: (f64, f64) = (-7.9079, 38.5713);

/// Each response code's subarea, from `/api/taxonomy`.
async fn subareas(app: &axum::Router) -> HashMap<String, Value> {
    let (_, tax) = get(app, "/api/taxonomy").await;
    tax["responses"]
        .as_array()
        .expect("responses")
        .iter()
        .map(|r| {
            (
                r["code"].as_str().unwrap_or("").to_string(),
                r["subarea"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_taxonomy_gives_official_codes_subareas_and_areas() {
    let (app, _) = app();
    let (status, tax) = get(&app, "/api/taxonomy").await;
    assert_eq!(status, StatusCode::OK);
    let erpi = tax["responses"]
        .as_array()
        .and_then(|r| r.iter().find(|r| r["code"] == "ERPI"))
        .expect("ERPI");
    assert_eq!(
        (&erpi["tp"], &erpi["subarea"]),
        (&"2107".into(), &"21".into())
    );
    let with_tp = tax["responses"]
        .as_array()
        .map_or(0, |r| r.iter().filter(|r| r["tp"].is_string()).count());
    assert_eq!(with_tp, 72);
    let sub = tax["subareas"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["code"] == "24"))
        .expect("subarea 24");
    assert_eq!(sub["area"], "2");
    assert_eq!(sub["groups"], serde_json::json!(["health"]));
    assert_eq!(tax["areas"].as_array().map(Vec::len), Some(4));
}

#[tokio::test]
async fn a_service_carries_its_tp_subarea_and_the_official_listing_of_its_municipality() {
    let (app, _) = app();
    let uri = format!(
        "/api/nearest?lon={}&lat={}&k=1&type=ERPI",
        GIRALDO.0, GIRALDO.1
    );
    let (status, body) = get(&app, &uri).await;
    assert_eq!(status, StatusCode::OK);
    let p = &body["features"][0]["properties"];
    assert_eq!((&p["tp"], &p["subarea"]), (&"2107".into(), &"21".into()));
    assert_eq!(p["municipality"]["code"], "0705");
    assert_eq!(
        p["official_listing"],
        "https://www.cartasocial.pt/resultados-da-pesquisa?vt=21&tp=2107&l=07-05-99"
    );
}

#[tokio::test]
async fn the_subarea_narrows_nearest_and_the_listing() {
    let (app, _) = app();
    let sub = subareas(&app).await;
    let base = format!("/api/nearest?lon={}&lat={}&k=50", GIRALDO.0, GIRALDO.1);
    for uri in [
        format!("{base}&subarea=21"),
        format!("{base}&group=elderly&subarea=21"),
        "/api/services?subarea=21&limit=500".to_string(),
    ] {
        let (status, body) = get(&app, &uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        let types: Vec<&str> = body["features"]
            .as_array()
            .expect("features")
            .iter()
            .filter_map(|f| f["properties"]["type"].as_str())
            .collect();
        assert!(
            types.contains(&"ERPI") && types.contains(&"SAD_IDOSOS"),
            "{uri}"
        );
        assert!(types.iter().all(|t| sub[*t] == "21"), "{uri}: {types:?}");
    }
    // Subarea 11 (creches, pre-school, ...) holds none of the services for older people.
    let (_, all) = get(&app, "/api/services?limit=1").await;
    let (_, young) = get(&app, "/api/services?subarea=11&limit=1").await;
    assert!(young["numberMatched"].as_u64() < all["numberMatched"].as_u64());
}

#[tokio::test]
async fn an_unknown_subarea_or_one_outside_the_group_is_a_named_400() {
    let (app, _) = app();
    for (uri, says) in [
        ("/api/services?subarea=99", "unknown subarea '99'"),
        (
            "/api/nearest?lon=-7.9&lat=38.5&subarea=xx",
            "unknown subarea 'xx'",
        ),
        (
            "/api/services?group=children&subarea=21",
            "no responses in group 'children'",
        ),
        ("/tiles/14/8000/6000.mvt?subarea=99", "unknown subarea"),
    ] {
        let (status, body) = get(&app, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(body["parameter"], "subarea", "{uri}");
        let msg = body["error"].as_str().unwrap_or_default();
        assert!(msg.contains(says), "{uri}: {msg}");
    }
}

#[tokio::test]
async fn a_tile_filtered_by_subarea_holds_only_that_subareas_services() {
    let (app, _) = app();
    let sub = subareas(&app).await;
    let z = 13u32;
    let (wx, wy) = to_world(GIRALDO.0, GIRALDO.1);
    let n = f64::from(1u32 << z);
    let uri = |q: &str| format!("/tiles/{z}/{}/{}.mvt{q}", (wx * n) as u32, (wy * n) as u32);
    let types = |bytes: &[u8]| -> Vec<String> {
        decode(bytes)
            .get("services")
            .map(|f| {
                f.iter()
                    .filter_map(|f| f.props.get("type")?.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (status, _, all) = get_with(&app, &uri(""), &[]).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, only) = get_with(&app, &uri("?subarea=21"), &[]).await;
    assert_eq!(status, StatusCode::OK);
    let (all, only) = (types(&all), types(&only));
    let want: Vec<&String> = all.iter().filter(|t| sub[t.as_str()] == "21").collect();
    assert!(!want.is_empty() && want.len() < all.len());
    assert_eq!(only.iter().collect::<Vec<_>>(), want);
}

#[tokio::test]
async fn coverage_rows_link_to_the_listing_of_each_response_behind_the_indicator() {
    let (app, _) = app();
    let (_, report) = get(&app, "/api/coverage?indicator=early_childhood").await;
    let evora = report["municipalities"]
        .as_array()
        .and_then(|m| m.iter().find(|m| m["code"] == "0705"))
        .expect("Évora");
    let links: Vec<(&str, &str)> = evora["official_listings"]
        .as_array()
        .expect("official_listings")
        .iter()
        .map(|l| {
            (
                l["type"].as_str().unwrap_or(""),
                l["url"].as_str().unwrap_or(""),
            )
        })
        .collect();
    let url = |tp: &str| {
        format!("https://www.cartasocial.pt/resultados-da-pesquisa?vt=11&tp={tp}&l=07-05-99")
    };
    assert_eq!(
        links,
        [
            ("CRECHE", url("1103").as_str()),
            ("AMA", url("1101").as_str()),
            ("CRECHE_FAMILIAR", url("1102").as_str()),
        ]
    );
}

#[tokio::test]
async fn the_manifest_pattern_changes_the_links_without_code() {
    let path = demo_manifest();
    let mut manifest = Manifest::load(&path).expect("manifest");
    manifest.links.official_listing =
        "https://listing.example.org/{district}/{municipality}?r={tp}&s={vt}".into();
    let loaded = Region::from_manifest(&manifest, &path).expect("region loads");
    let store = SqliteStore::in_memory().expect("store");
    let cat = Arc::new(Catalog::open(loaded.region, Box::new(store)).expect("catalog"));
    let app = bussola::api::router(cat, bussola::api::Assets::under(&root()));
    let (_, body) = get(
        &app,
        "/api/services?type=CENTRO_DIA&municipality=0705&limit=1",
    )
    .await;
    assert_eq!(
        body["features"][0]["properties"]["official_listing"],
        "https://listing.example.org/07/05?r=2103&s=21"
    );
    manifest.links.official_listing = "cartasocial.pt/{tp}".into();
    let err = Region::from_manifest(&manifest, &path).expect_err("not an address");
    assert!(err.to_string().contains("links.official_listing"), "{err}");
}
