//! The provider area's server side: `GET /api/me/services` and the `/login` and `/provider`
//! pages (the page itself is tested in Chromium, `tests/browser/provider.test.mjs`).
use crate::common::accounts::session as token;
use crate::common::{app, get_raw, send};
use axum::http::StatusCode;
use bussola::auth::Role;

async fn mine(app: &axum::Router, token: &str) -> (StatusCode, Vec<String>) {
    let bearer = format!("Bearer {token}");
    let (st, _, v) = send(
        app,
        "GET",
        "/api/me/services",
        &[("authorization", &bearer)],
        "",
    )
    .await;
    let ids = v["features"]
        .as_array()
        .map(|fs| {
            fs.iter()
                .filter_map(|f| f["properties"]["id"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default();
    (st, ids)
}

#[tokio::test]
async fn my_services_are_exactly_those_the_account_may_edit() {
    let (app, cat) = app();
    let all = cat.all().expect("services");
    let owner = all[0].provider.id.clone();
    let mut theirs: Vec<String> = all
        .iter()
        .filter(|s| s.provider.id == owner)
        .map(|s| s.id.clone())
        .collect();
    theirs.sort();
    let provider = token(&cat, "lar@example.pt", Role::Provider, Some(&owner), &[]);
    let (st, mut ids) = mine(&app, &provider).await;
    assert_eq!(st, StatusCode::OK);
    ids.sort();
    assert_eq!(ids, theirs);

    let moderator = token(&cat, "rede@example.pt", Role::Moderator, None, &["0701"]);
    let (_, ids) = mine(&app, &moderator).await;
    let in_0701 = all.iter().filter(|s| s.municipality == "0701").count();
    assert_eq!(ids.len(), in_0701);
    assert!(in_0701 > 0 && in_0701 < all.len());

    let (st, _, body) = send(&app, "GET", "/api/me/services", &[], "").await;
    assert_eq!(st, StatusCode::UNAUTHORIZED, "{body}");
}

#[tokio::test]
async fn login_links_and_the_provider_area_open_the_provider_page() {
    let (app, _) = app();
    for uri in ["/login?token=abc", "/provider"] {
        let (st, ct, body) = get_raw(&app, uri).await;
        assert_eq!(st, StatusCode::OK, "{uri}");
        assert!(ct.starts_with("text/html"), "{uri}: {ct}");
        assert!(body.contains("/provider.js"), "{uri}");
    }
    let (_, _, index) = get_raw(&app, "/").await;
    assert!(index.contains("href=\"/provider\""));
}
