//! OGC API – Features over HTTP (in process): the landing page's links, JSON and HTML by `f=`
//! and `Accept`, paging to the end, CRS headers, errors in JSON; and `/api/services`' links.
//! The independent clients (GDAL, OWSLib, QGIS) are in `ogc_clients`.
use crate::common::{app, get, get_raw, get_with};
use axum::http::StatusCode;
use serde_json::Value;

const TM06: &str = "http://www.opengis.net/def/crs/EPSG/0/3763";

fn link<'a>(v: &'a Value, rel: &str) -> Option<&'a Value> {
    v["links"].as_array()?.iter().find(|l| l["rel"] == rel)
}

/// The path and query of an absolute link (the router is called in process).
fn local(href: &str) -> String {
    let rest = href.split_once("://").unwrap().1;
    rest[rest.find('/').unwrap()..].to_string()
}

#[tokio::test]
async fn the_landing_page_links_what_clients_need() {
    let (app, _) = app();
    let (st, v) = get(&app, "/ogc").await;
    assert_eq!(st, StatusCode::OK);
    for (rel, media) in [
        ("self", "application/json"),
        ("alternate", "text/html"),
        (
            "service-desc",
            "application/vnd.oai.openapi+json;version=3.0",
        ),
        ("service-doc", "text/html"),
        ("conformance", "application/json"),
        ("data", "application/json"),
    ] {
        let l = link(&v, rel).unwrap_or_else(|| panic!("no {rel} link"));
        assert_eq!(l["type"], media, "{rel}");
    }
    assert!(link(&v, "service-desc").unwrap()["href"]
        .as_str()
        .unwrap()
        .ends_with("/openapi.json"));
    let (_, c) = get(&app, "/ogc/conformance").await;
    let classes: Vec<&str> = c["conformsTo"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(classes.contains(&"http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"));
    assert!(classes.contains(&"http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs"));
    let (_, all) = get(&app, "/ogc/collections").await;
    let ids: Vec<&str> = all["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["services", "municipalities"]);
    assert!(all["collections"][0]["crs"]
        .as_array()
        .unwrap()
        .contains(&Value::from(TM06)));
}

#[tokio::test]
async fn html_by_accept_or_f_and_json_otherwise() {
    let (app, _) = app();
    let browser = [("accept", "text/html,application/xhtml+xml,*/*;q=0.8")];
    for path in [
        "/ogc",
        "/ogc/conformance",
        "/ogc/collections",
        "/ogc/collections/services",
        "/ogc/collections/services/items",
        "/ogc/collections/municipalities/items/0705",
    ] {
        let (st, h, body) = get_with(&app, path, &browser).await;
        assert_eq!(st, StatusCode::OK, "{path}");
        assert!(
            h["content-type"].to_str().unwrap().starts_with("text/html"),
            "{path}"
        );
        assert!(String::from_utf8_lossy(&body).contains("<h1>"), "{path}");
        let (_, ct, _) = get_raw(&app, &format!("{path}?f=html")).await;
        assert!(ct.starts_with("text/html"), "{path}?f=html");
        let (st, h, _) = get_with(&app, &format!("{path}?f=json"), &browser).await;
        assert_eq!(st, StatusCode::OK);
        assert!(
            h["content-type"].to_str().unwrap().contains("json"),
            "{path}?f=json"
        );
    }
    let (_, ct, _) = get_raw(&app, "/ogc/collections/services/items").await;
    assert_eq!(ct, "application/geo+json");
    let (st, v) = get(&app, "/ogc?f=xml").await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(v["parameter"], "f");
}

#[tokio::test]
async fn next_links_walk_every_service_and_prev_walks_back() {
    let (app, cat) = app();
    let total = cat.len().unwrap();
    let mut url = "/ogc/collections/services/items?limit=70".to_string();
    let mut ids = std::collections::HashSet::new();
    let mut pages = 0;
    loop {
        let (st, v) = get(&app, &url).await;
        assert_eq!(st, StatusCode::OK, "{url}");
        assert_eq!(v["numberMatched"], total);
        assert!(v["timeStamp"].as_str().unwrap().ends_with('Z'));
        for f in v["features"].as_array().unwrap() {
            assert!(ids.insert(f["id"].as_str().unwrap().to_string()));
        }
        pages += 1;
        if pages > 1 {
            assert!(link(&v, "prev").is_some(), "page {pages} has a prev link");
        }
        match link(&v, "next") {
            Some(l) => url = local(l["href"].as_str().unwrap()),
            None => break,
        }
    }
    assert_eq!(ids.len(), total);
    assert_eq!(pages, total.div_ceil(70));
    let (_, v) = get(&app, "/ogc/collections/services/items?limit=5000").await;
    assert_eq!(
        v["numberReturned"], total,
        "limit is capped at 1000, above the 378"
    );
}

#[tokio::test]
async fn features_in_tm06_say_so_and_ask_boxes_in_tm06() {
    let (app, _) = app();
    let q = format!("crs={TM06}&limit=3");
    let (st, h, body) = get_with(&app, &format!("/ogc/collections/services/items?{q}"), &[]).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(h["content-crs"], format!("<{TM06}>").as_str());
    let v: Value = serde_json::from_slice(&body).unwrap();
    let x = v["features"][0]["geometry"]["coordinates"][0]
        .as_f64()
        .unwrap();
    assert!(x.abs() < 300_000.0, "metres, not degrees: {x}");
    let (_, h, _) = get_with(&app, "/ogc/collections/services/items?limit=1", &[]).await;
    assert_eq!(
        h["content-crs"],
        "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"
    );
    // Évora's municipality by a TM06 box around the city.
    let (_, v) = get(
        &app,
        &format!("/ogc/collections/municipalities/items?bbox=18000,-123000,21000,-120000&bbox-crs={TM06}"),
    )
    .await;
    assert_eq!(v["numberMatched"], 1);
    assert_eq!(v["features"][0]["properties"]["name"], "Évora");
    let (st, v) = get(&app, "/ogc/collections/services/items?crs=EPSG:3857").await;
    assert_eq!(
        (st, v["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("crs"))
    );
}

#[tokio::test]
async fn filters_dates_and_single_items() {
    let (app, cat) = app();
    let (_, listed) = get(&app, "/api/services?type=ERPI&municipality=0705&limit=500").await;
    let (_, v) = get(
        &app,
        "/ogc/collections/services/items?type=ERPI&municipality=0705",
    )
    .await;
    assert_eq!(v["numberMatched"], listed["numberMatched"]);
    let (_, v) = get(
        &app,
        "/ogc/collections/services/items?filter=type%20%3D%20%27ERPI%27%20AND%20municipality%3D%270705%27",
    )
    .await;
    assert_eq!(v["numberMatched"], listed["numberMatched"]);
    let dated = cat
        .with_services(|it| {
            it.filter(|s| s.updated.as_deref() >= Some("2024-01-01"))
                .count()
        })
        .unwrap();
    let (_, v) = get(
        &app,
        "/ogc/collections/services/items?datetime=2024-01-01/..",
    )
    .await;
    assert_eq!(v["numberMatched"], dated);
    let id = listed["features"][0]["id"].as_str().unwrap();
    let (st, f) = get(&app, &format!("/ogc/collections/services/items/{id}")).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(f["id"], id);
    assert!(link(&f, "collection").is_some());
    let (st, v) = get(&app, "/ogc/collections/services/items/nope").await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    assert!(v["error"].as_str().unwrap().contains("nope"));
    let (st, _) = get(&app, "/ogc/collections/roads/items").await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, v) = get(&app, "/ogc/collections/services/items?colour=red").await;
    assert_eq!(
        (st, v["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("colour"))
    );
    let (st, ct, body) = get_raw(&app, "/ogc/collections/services/queryables").await;
    assert_eq!(
        (st, ct.as_str()),
        (StatusCode::OK, "application/schema+json")
    );
    let q: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        q["properties"]["municipality"]["enum"]
            .as_array()
            .unwrap()
            .len(),
        14
    );
}

#[tokio::test]
async fn the_plain_listing_links_its_next_page_and_takes_f_json() {
    let (app, cat) = app();
    let total = cat.len().unwrap();
    let mut url = "/api/services?f=json&group=elderly&limit=40".to_string();
    let (_, first) = get(&app, &url).await;
    let matched = first["numberMatched"].as_u64().unwrap() as usize;
    assert!(matched > 40 && matched < total);
    let mut seen = 0;
    loop {
        let (st, v) = get(&app, &url).await;
        assert_eq!(st, StatusCode::OK, "{url}");
        seen += v["features"].as_array().unwrap().len();
        match link(&v, "next") {
            Some(l) => {
                url = local(l["href"].as_str().unwrap());
                assert!(url.contains("group=elderly"), "filters kept: {url}");
            }
            None => {
                assert!(link(&v, "prev").is_some());
                break;
            }
        }
    }
    assert_eq!(seen, matched);
    let (st, v) = get(&app, "/api/services?f=html").await;
    assert_eq!(
        (st, v["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("f"))
    );
}

#[tokio::test]
async fn the_shipped_default_serves_each_region_s_own_collections() {
    let cat = crate::common::catalog(&crate::common::shipped_manifest());
    let app = crate::common::behind_proxy(cat.clone());
    let (_, all) = get(&app, "/ogc/collections").await;
    let ids: Vec<&str> = all["collections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 2 + 2 * cat.region().parts.len(), "{ids:?}");
    assert!(
        ids.contains(&"services-alentejo-central")
            && ids.contains(&"municipalities-baixo-alentejo")
    );
    let (mut services, mut municipalities) = (0, 0);
    for part in &cat.region().parts {
        let (_, s) = get(
            &app,
            &format!("/ogc/collections/services-{}/items?limit=1", part.id),
        )
        .await;
        let (_, m) = get(
            &app,
            &format!("/ogc/collections/municipalities-{}/items?limit=1", part.id),
        )
        .await;
        let (_, by_param) = get(
            &app,
            &format!("/ogc/collections/services/items?limit=1&region={}", part.id),
        )
        .await;
        assert_eq!(s["numberMatched"], by_param["numberMatched"], "{}", part.id);
        services += s["numberMatched"].as_u64().unwrap();
        municipalities += m["numberMatched"].as_u64().unwrap();
    }
    assert_eq!(
        services as usize,
        cat.len().unwrap(),
        "the regions' services add up"
    );
    assert_eq!(municipalities, 58);
    let (st, _) = get(
        &app,
        "/ogc/collections/services-alentejo-central/items/nope",
    )
    .await;
    assert_eq!(st, StatusCode::NOT_FOUND);
}
