//! `/api/coverage` equals an independent recomputation from the listed services and population.
use crate::common::{app, get, get_raw};
use axum::http::StatusCode;
use std::collections::HashMap;

async fn all_services(app: &axum::Router) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    loop {
        let (_, body) = get(
            app,
            &format!("/api/services?limit=500&offset={}", out.len()),
        )
        .await;
        let page = body["features"].as_array().unwrap().clone();
        if page.is_empty() {
            return out;
        }
        out.extend(page);
    }
}

#[tokio::test]
async fn coverage_equals_recomputation_from_listed_services() {
    let (app, _) = app();
    let services = all_services(&app).await;
    let (_, munis) = get(&app, "/api/municipalities").await;
    for (indicator, codes) in [
        ("elderly", vec!["ERPI", "CENTRO_DIA", "SAD_IDOSOS"]),
        ("early_childhood", vec!["CRECHE", "AMA", "CRECHE_FAMILIAR"]),
    ] {
        let (status, report) = get(&app, &format!("/api/coverage?indicator={indicator}")).await;
        assert_eq!(status, StatusCode::OK);
        let mut capacity: HashMap<String, u64> = HashMap::new();
        for s in &services {
            let p = &s["properties"];
            if codes.iter().any(|c| p["type"] == *c) {
                *capacity
                    .entry(p["municipality"]["code"].as_str().unwrap().to_string())
                    .or_default() += p["capacity"].as_u64().unwrap_or(0);
            }
        }
        let rows = report["municipalities"].as_array().unwrap();
        assert_eq!(rows.len(), 14);
        let (mut cap_sum, mut pop_sum) = (0u64, 0u64);
        for m in munis["features"].as_array().unwrap() {
            let code = m["properties"]["code"].as_str().unwrap();
            let pop = &m["properties"]["population"];
            let target_pop = if indicator == "elderly" {
                pop["age_65_plus"].as_u64().unwrap()
            } else {
                3 * pop["live_births"].as_u64().unwrap()
            };
            let cap = capacity.get(code).copied().unwrap_or(0);
            let row = rows.iter().find(|r| r["code"] == code).unwrap();
            assert_eq!(row["population"], target_pop, "{indicator} {code}");
            assert_eq!(row["capacity"], cap, "{indicator} {code}");
            let rate = row["rate"].as_f64().unwrap();
            assert!(
                (rate - cap as f64 * 100.0 / target_pop as f64).abs() < 1e-9,
                "{indicator} {code}"
            );
            cap_sum += cap;
            pop_sum += target_pop;
        }
        let region = &report["region"];
        assert_eq!(region["capacity"], cap_sum);
        assert_eq!(region["population"], pop_sum);
        let regional = cap_sum as f64 * 100.0 / pop_sum as f64;
        assert!((region["rate"].as_f64().unwrap() - regional).abs() < 1e-9);
        for r in rows {
            let rate = r["rate"].as_f64().unwrap();
            let target = report["target"].as_f64().unwrap();
            let want = if r["capacity"] == 0 {
                "no_places"
            } else if rate < regional {
                "below_regional"
            } else if rate < target {
                "below_target"
            } else {
                "meets_target"
            };
            assert_eq!(r["gap_class"], want, "{indicator} {}", r["code"]);
        }
    }
    // Census 2021: 41,403 residents of Alentejo Central are 65 or older.
    let (_, report) = get(&app, "/api/coverage?indicator=elderly").await;
    assert_eq!(report["region"]["population"], 41403);
    assert_eq!(report["region"]["basis"], "age_65_plus");
}

#[tokio::test]
async fn coverage_csv_and_custom_target() {
    let (app, _) = app();
    let (status, ct, csv) =
        get_raw(&app, "/api/coverage?indicator=early_childhood&format=csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(ct.starts_with("text/csv"));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + 14 + 1, "header, 14 municipalities, region");
    assert!(lines[0].starts_with("code,name,indicator,basis,population,capacity"));
    assert!(lines
        .iter()
        .any(|l| l.starts_with("\"0705\",\"Évora\",early_childhood,live_births_x3,1314,")));

    // A target no one meets: every municipality at or above the regional rate is below target.
    let (_, report) = get(&app, "/api/coverage?indicator=elderly&target=1000").await;
    assert_eq!(report["target"], 1000.0);
    assert!(report["municipalities"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["gap_class"] != "meets_target"));
}
