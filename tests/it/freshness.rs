//! Freshness: confirmations, vacancies' dates, the staleness dashboard and providers' use counts.
use crate::common::accounts::{call, session as token};
use crate::common::{app, get, get_raw, send};
use axum::http::StatusCode;
use axum::Router;
use bussola::auth::{self, Role};
use bussola::catalog::Catalog;
use bussola::quality::checks::iso_from_days;
use serde_json::json;
use std::sync::Arc;

/// A demo ERPI in Alandroal (0701).
const SVC: &str = "demo-0701-erpi-1";

fn today() -> i64 {
    auth::now().div_euclid(86_400)
}

struct World {
    app: Router,
    cat: Arc<Catalog>,
    owner: String,
    provider: String,
}

fn world() -> World {
    let (app, cat) = app();
    let owner = cat.get(SVC).expect("demo service").provider.id;
    let provider = token(&cat, "lar@example.pt", Role::Provider, Some(&owner), &[]);
    World {
        app,
        cat,
        owner,
        provider,
    }
}

#[tokio::test]
async fn confirming_all_dates_exactly_the_providers_services() {
    let w = world();
    let (st, v) = call(&w.app, "POST", "/api/confirm", &w.provider, "").await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let all = w.cat.all().unwrap();
    let mine: Vec<_> = all.iter().filter(|s| s.provider.id == w.owner).collect();
    assert_eq!(v["confirmed"].as_array().unwrap().len(), mine.len());
    let day = iso_from_days(today());
    for s in &all {
        let expect = (s.provider.id == w.owner).then(|| day.clone());
        assert_eq!(s.confirmed, expect, "{}", s.id);
    }
    let (_, f) = get(&w.app, &format!("/api/services/{SVC}")).await;
    assert_eq!(f["properties"]["confirmed"], json!(day));
    // Someone else's service: refused, nothing written.
    let other = all.iter().find(|s| s.provider.id != w.owner).unwrap();
    let uri = format!("/api/services/{}/confirm", other.id);
    assert_eq!(
        call(&w.app, "POST", &uri, &w.provider, "").await.0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(w.cat.get(&other.id).unwrap().confirmed, None);
}

#[tokio::test]
async fn a_patch_confirms_and_dates_declared_vacancies() {
    let w = world();
    let uri = format!("/api/services/{SVC}");
    let before = w.cat.get(SVC).unwrap();
    assert_eq!(
        (before.confirmed.clone(), before.vacancies_declared.clone()),
        (None, None)
    );
    let (st, v) = call(
        &w.app,
        "PATCH",
        &uri,
        &w.provider,
        &json!({"vacancies": 3}).to_string(),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let s = w.cat.get(SVC).unwrap();
    let day = iso_from_days(today());
    assert_eq!(s.vacancies, Some(3));
    assert_eq!(s.confirmed.as_deref(), Some(day.as_str()));
    assert_eq!(s.vacancies_declared.as_deref(), Some(day.as_str()));
    assert_eq!(v["service"]["properties"]["vacancies_declared"], json!(day));
}

#[tokio::test]
async fn declaring_the_same_vacancies_again_dates_them_today_without_a_change() {
    let w = world();
    let before = w.cat.get(SVC).unwrap();
    let same = before
        .vacancies
        .expect("the demo service declares vacancies");
    let uri = format!("/api/services/{SVC}");
    let body = json!({ "vacancies": same }).to_string();
    let (st, v) = call(&w.app, "PATCH", &uri, &w.provider, &body).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["applied"], json!([]), "nothing changed");
    let day = iso_from_days(today());
    let s = w.cat.get(SVC).unwrap();
    assert_eq!(s.vacancies, Some(same));
    assert_eq!(s.vacancies_declared.as_deref(), Some(day.as_str()));
    let h = w.cat.store().changes(&Default::default()).unwrap();
    assert!(h.is_empty(), "no change row for an unchanged value: {h:?}");
}

#[tokio::test]
async fn the_staleness_dashboard_buckets_by_age_within_the_callers_area() {
    let w = world();
    let t = today();
    let in_0701: Vec<_> = w
        .cat
        .all()
        .unwrap()
        .into_iter()
        .filter(|s| s.municipality == "0701")
        .collect();
    assert!(in_0701.len() >= 3);
    for (s, ago) in in_0701.iter().zip([10, 200, 400]) {
        let mut s = s.clone();
        s.confirmed = Some(iso_from_days(t - ago));
        w.cat.upsert(s).unwrap();
    }
    let moderator = token(&w.cat, "rede@example.pt", Role::Moderator, None, &["0701"]);
    let (st, v) = call(&w.app, "GET", "/api/staleness", &moderator, "").await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let munis = v["municipalities"].as_array().unwrap();
    assert_eq!(munis.len(), 1, "only its own area: {v}");
    let m = &munis[0];
    assert_eq!(m["code"], "0701");
    assert_eq!(m["services"], json!(in_0701.len()));
    assert_eq!(
        (m["fresh"].clone(), m["ageing"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(m["stale"], json!(in_0701.len() - 2));
    // Every provider listed runs services in 0701 only as far as the moderator sees.
    let providers = v["providers"].as_array().unwrap();
    assert!(!providers.is_empty());
    assert!(
        providers[0]["oldest_confirmation"].is_null(),
        "never confirmed first"
    );
    let admin = token(&w.cat, "coord@example.pt", Role::Admin, None, &[]);
    let (_, all) = call(&w.app, "GET", "/api/staleness", &admin, "").await;
    assert!(all["municipalities"].as_array().unwrap().len() > 1);
    let (st, _, csv) = send_raw(&w.app, "/api/staleness?format=csv", &moderator).await;
    assert_eq!(st, StatusCode::OK);
    assert!(csv.starts_with("provider,name,services,unconfirmed,oldest_confirmation,phone,email\n"));
    assert_eq!(csv.lines().count(), providers.len() + 1);
    assert_eq!(
        call(&w.app, "GET", "/api/staleness", &w.provider, "")
            .await
            .0,
        StatusCode::FORBIDDEN
    );
}

async fn send_raw(app: &Router, uri: &str, token: &str) -> (StatusCode, String, String) {
    use axum::body::Body;
    use http_body_util::BodyExt;
    use tower::ServiceExt;
    let req = axum::http::Request::get(uri)
        .header("authorization", crate::common::accounts::bearer(token))
        .body(Body::empty())
        .unwrap();
    let res = app.clone().oneshot(req).await.unwrap();
    let st = res.status();
    let ct = res
        .headers()
        .get("content-type")
        .map(|h| h.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (st, ct, String::from_utf8(body.to_vec()).unwrap())
}

#[tokio::test]
async fn a_provider_sees_its_views_searches_and_contacts() {
    let w = world();
    for _ in 0..3 {
        assert_eq!(
            get_raw(&w.app, &format!("/api/services/{SVC}")).await.0,
            StatusCode::OK
        );
    }
    let s = w.cat.get(SVC).unwrap();
    let (_, near) = get(
        &w.app,
        &format!("/api/nearest?lon={}&lat={}&k=1", s.lon, s.lat),
    )
    .await;
    let found_id = near["features"][0]["id"].as_str().unwrap().to_string();
    let contact = format!("/api/services/{SVC}/contacted");
    for how in ["phone", "directions"] {
        let (st, _, _) = send(
            &w.app,
            "POST",
            &contact,
            &[],
            &json!({"how": how}).to_string(),
        )
        .await;
        assert_eq!(st, StatusCode::NO_CONTENT);
    }
    let (st, _, _) = send(
        &w.app,
        "POST",
        &contact,
        &[],
        &json!({"how": "fax"}).to_string(),
    )
    .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    let (st, v) = call(
        &w.app,
        "GET",
        &format!("/api/providers/{}/stats", w.owner),
        &w.provider,
        "",
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let row = v["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == SVC)
        .unwrap()
        .clone();
    let found = u64::from(found_id == SVC);
    assert_eq!(row["last_30_days"]["views"], json!(3));
    assert_eq!(row["last_30_days"]["found"], json!(found));
    assert_eq!(row["last_30_days"]["contacts"], json!(2));
    assert_eq!(row["last_365_days"]["views"], json!(3));
    assert!(v["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["code"] == "0701"));
    // A script cannot inflate the counts: past the burst, 429 and nothing counted.
    let mut statuses = Vec::new();
    for _ in 0..25 {
        let b = json!({"how": "phone"}).to_string();
        statuses.push(send(&w.app, "POST", &contact, &[], &b).await.0);
    }
    let counted = statuses
        .iter()
        .filter(|s| **s == StatusCode::NO_CONTENT)
        .count();
    assert_eq!(counted, 18, "20 at once, 2 already used");
    assert_eq!(statuses[24], StatusCode::TOO_MANY_REQUESTS);
    let (_, v) = call(
        &w.app,
        "GET",
        &format!("/api/providers/{}/stats", w.owner),
        &w.provider,
        "",
    )
    .await;
    let row = v["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == SVC)
        .unwrap()
        .clone();
    assert_eq!(row["last_30_days"]["contacts"], json!(20));
    // Another provider may not see them.
    let other = w
        .cat
        .all()
        .unwrap()
        .into_iter()
        .find(|x| x.provider.id != w.owner)
        .unwrap();
    let stranger = token(
        &w.cat,
        "outro@example.pt",
        Role::Provider,
        Some(&other.provider.id),
        &[],
    );
    let (st, _) = call(
        &w.app,
        "GET",
        &format!("/api/providers/{}/stats", w.owner),
        &stranger,
        "",
    )
    .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
}

#[test]
fn the_use_counts_table_holds_no_personal_data() {
    let path = std::env::temp_dir().join(format!("bussola-usage-{}.sqlite", std::process::id()));
    let _ = std::fs::remove_file(&path);
    drop(bussola::store::SqliteStore::open(&path).unwrap());
    let conn = bussola::store::sqlite::migrate::raw_connection(&path).unwrap();
    let mut stmt = conn
        .prepare("SELECT name FROM pragma_table_info('service_usage')")
        .unwrap();
    let cols: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|c| c.unwrap())
        .collect();
    assert_eq!(cols, ["service_id", "day", "views", "found", "contacts"]);
    drop(stmt);
    drop(conn);
    let _ = std::fs::remove_file(&path);
}
