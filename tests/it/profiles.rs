//! `GET /api/profiles`: the professional profiles of social care (issue #16, part 1).
use crate::common::{app, get};
use axum::http::StatusCode;

#[tokio::test]
async fn profiles_say_what_each_does_and_where_it_is_needed() {
    let (app, _) = app();
    let (st, v) = get(&app, "/api/profiles").await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["catalogue"], "https://catalogo.anqep.gov.pt/");
    let all = v["profiles"].as_array().unwrap();
    assert_eq!(all.len(), 7, "the seven verified CNQ codes");
    let geriatria = all.iter().find(|p| p["code"] == "762191").unwrap();
    assert_eq!(geriatria["title"], "Agente em Geriatria");
    assert_eq!(geriatria["level"], 2);
    assert_eq!(geriatria["area_name"], "Trabalho Social e Orientação");
    assert!(geriatria["pt"].as_str().unwrap().contains("idosas"));
    assert!(geriatria["en"].as_str().unwrap().contains("older people"));

    // Who a creche employs; who a home for older people employs.
    let titles = |v: &serde_json::Value| -> Vec<String> {
        v["profiles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["title"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, creche) = get(&app, "/api/profiles?response=CRECHE").await;
    assert!(titles(&creche).contains(&"Técnico/a de Ação Educativa".to_string()));
    assert!(!titles(&creche).contains(&"Agente em Geriatria".to_string()));
    let (_, erpi) = get(&app, "/api/profiles?response=ERPI").await;
    for t in ["Agente em Geriatria", "Técnico/a de Geriatria"] {
        assert!(titles(&erpi).contains(&t.to_string()), "{t}");
    }
    let (_, area) = get(&app, "/api/profiles?area=761").await;
    assert!(area["profiles"]
        .as_array()
        .unwrap()
        .iter()
        .all(|p| p["code"].as_str().unwrap().starts_with("761")));

    // Every response named is one the map knows.
    let (_, tax) = get(&app, "/api/taxonomy").await;
    let known = tax.to_string();
    for p in all {
        for r in p["responses"].as_array().unwrap() {
            assert!(
                known.contains(&format!("\"{}\"", r.as_str().unwrap())),
                "{r}"
            );
        }
    }

    for (uri, param) in [
        ("/api/profiles?response=NOPE", "response"),
        ("/api/profiles?area=999", "area"),
        ("/api/profiles?x=1", "x"),
    ] {
        let (st, v) = get(&app, uri).await;
        assert_eq!(st, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(v["parameter"], param, "{uri}: {v}");
    }
}
