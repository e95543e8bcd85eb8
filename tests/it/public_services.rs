//! `GET /api/public-services`: useful public services (issue #16).
use crate::common::{app, get};
use axum::http::StatusCode;
use serde_json::Value;

fn ids(v: &Value) -> Vec<String> {
    v["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn public_services_national_regional_and_the_municipalitys_own() {
    let (app, _) = app();
    let (st, all) = get(&app, "/api/public-services").await;
    assert_eq!(st, StatusCode::OK, "{all}");
    assert!(all["source"].is_string());
    let every = ids(&all);
    // National ones, the district centre of Évora (the test region is Alentejo Central, all in
    // the district of Évora), and one social service per municipality (14).
    for id in [
        "seguranca-social",
        "linha-emergencia-social",
        "sns24",
        "iefp",
        "carta-social",
    ] {
        assert!(every.contains(&id.to_string()), "{id}: {every:?}");
    }
    assert!(every.contains(&"iss-centro-distrital-evora".to_string()));
    assert!(!every.contains(&"iss-centro-distrital-beja".to_string()));
    assert_eq!(
        every
            .iter()
            .filter(|i| i.starts_with("servico-social-"))
            .count(),
        14
    );
    // Every entry has the whole shape; a phone or link says where it was read.
    for s in all["services"].as_array().unwrap() {
        for k in [
            "id",
            "name",
            "what",
            "scope",
            "municipality",
            "url",
            "phone",
            "source",
            "checked",
        ] {
            assert!(s.get(k).is_some(), "{k} missing: {s}");
        }
        assert!(
            s["name"]["pt"].is_string() && s["what"]["en"].is_string(),
            "{s}"
        );
        if !s["url"].is_null() || !s["phone"].is_null() {
            assert!(s["source"].as_str().unwrap().starts_with("https://"), "{s}");
            assert_eq!(s["checked"], "2026-12-07", "{s}");
        } else {
            assert!(s["check"].is_string(), "unverified without a check: {s}");
        }
        assert!(s.get("district").is_none(), "{s}");
    }
    let line = |id: &str| {
        all["services"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(line("linha-emergencia-social")["phone"], "144");
    assert_eq!(line("sns24")["phone"], "808 24 24 24");
    assert_eq!(line("iefp")["phone"], Value::Null);

    let (st, evora) = get(&app, "/api/public-services?municipality=0705").await;
    assert_eq!(st, StatusCode::OK);
    let mine = ids(&evora);
    assert!(mine.contains(&"servico-social-0705".to_string()));
    assert!(!mine.contains(&"servico-social-0701".to_string()));
    assert!(mine.contains(&"sns24".to_string()));
    let own = evora["services"].as_array().unwrap().last().unwrap();
    assert_eq!(own["scope"], "municipal");
    assert_eq!(own["municipality"], "0705");
    assert_eq!(own["url"], "https://www.cm-evora.pt");
    assert!(own["name"]["pt"].as_str().unwrap().contains("Évora"));

    for (uri, param) in [
        ("/api/public-services?municipality=9999", "municipality"),
        ("/api/public-services?municipality=0201", "municipality"),
        ("/api/public-services?x=1", "x"),
    ] {
        let (st, v) = get(&app, uri).await;
        assert_eq!(st, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(v["parameter"], param, "{uri}: {v}");
    }
}
