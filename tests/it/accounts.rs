//! Accounts, sessions and editing: who may write what, validation, review and history.
use crate::common::accounts::{account, bearer};
use crate::common::{app, get, get_raw, send};
use axum::http::StatusCode;
use axum::Router;
use bussola::auth::{self, NewUser, Role};
use bussola::catalog::Catalog;
use bussola::store::{NewToken, TokenKind};
use serde_json::{json, Value};
use std::sync::Arc;

/// A demo ERPI in Alandroal (0701): capacity 26, users 25, vacancies 1.
const SVC: &str = "demo-0701-erpi-1";

fn owner_of(cat: &Catalog) -> String {
    cat.get(SVC).expect("demo service").provider.id
}

async fn patch(app: &Router, token: &str, body: Value) -> (StatusCode, Value) {
    let auth = bearer(token);
    let (st, _, v) = send(
        app,
        "PATCH",
        &format!("/api/services/{SVC}"),
        &[("authorization", &auth)],
        &body.to_string(),
    )
    .await;
    (st, v)
}

async fn post(app: &Router, token: &str, uri: &str) -> (StatusCode, Value) {
    let auth = bearer(token);
    let (st, _, v) = send(app, "POST", uri, &[("authorization", &auth)], "").await;
    (st, v)
}

async fn public(app: &Router) -> Value {
    get(app, &format!("/api/services/{SVC}")).await.1["properties"].clone()
}

struct World {
    app: Router,
    cat: Arc<Catalog>,
    provider: String,
    moderator: String,
    admin: String,
}

fn world() -> World {
    let (app, cat) = app();
    let owner = owner_of(&cat);
    let provider = account(&cat, "lar@example.pt", Role::Provider, Some(&owner), &[]).2;
    let moderator = account(&cat, "rede@example.pt", Role::Moderator, None, &["0701"]).2;
    let admin = account(&cat, "coord@example.pt", Role::Admin, None, &[]).2;
    World {
        app,
        cat,
        provider,
        moderator,
        admin,
    }
}

#[tokio::test]
async fn a_login_link_from_the_library_signs_in_once_with_safe_cookies() {
    let (app, cat) = app();
    let new = NewUser {
        email: "Lar@Example.pt".into(),
        role: Role::Provider,
        provider: Some(owner_of(&cat)),
        municipalities: vec![],
    };
    let (user, raw) = auth::invite(cat.store(), &new, auth::now()).unwrap();
    let body = json!({"token": raw}).to_string();
    let (st, h, v) = send(
        &app,
        "POST",
        "/api/login",
        &[("x-forwarded-proto", "https")],
        &body,
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["user"]["id"], user.id);
    assert_eq!(v["user"]["email"], "lar@example.pt");
    let cookies: Vec<&str> = h
        .get_all("set-cookie")
        .iter()
        .filter_map(|c| c.to_str().ok())
        .collect();
    let session = cookies
        .iter()
        .find(|c| c.starts_with("bussola_session="))
        .expect("session cookie");
    for attr in ["HttpOnly", "SameSite=Strict", "Secure", "Path=/"] {
        assert!(session.contains(attr), "{session} lacks {attr}");
    }
    assert!(cookies
        .iter()
        .any(|c| c.starts_with(&format!("bussola_csrf={}", v["csrf"].as_str().unwrap()))));
    let token = v["token"].as_str().unwrap();
    let (st, _, me) = send(
        &app,
        "GET",
        "/api/me",
        &[("authorization", &bearer(token))],
        "",
    )
    .await;
    assert_eq!(
        (st, me["user"]["role"].as_str()),
        (StatusCode::OK, Some("provider"))
    );
    let (st, _, v) = send(&app, "POST", "/api/login", &[], &body).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED, "a login link works once: {v}");
    assert!(v["error"].as_str().unwrap().contains("already used"));
    // Over plain http the cookie is not marked Secure (it would never be sent back).
    let raw = auth::login_link_token(cat.store(), user.id, auth::now()).unwrap();
    let (_, h, _) = send(
        &app,
        "POST",
        "/api/login",
        &[],
        &json!({"token": raw}).to_string(),
    )
    .await;
    let c = h.get("set-cookie").unwrap().to_str().unwrap();
    assert!(c.contains("HttpOnly") && !c.contains("Secure"), "{c}");
}

#[tokio::test]
async fn user_add_through_the_binary_prints_a_link_that_signs_in() {
    let dir = std::env::temp_dir().join(format!("bussola-user-add-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let manifest = crate::common::demo_manifest();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bussola"))
        .args([
            "user",
            "add",
            "--email",
            "rede@example.pt",
            "--role",
            "moderator",
            "--municipality",
            "0701",
            "--municipality",
            "0705",
            "--host",
            "mapa.example.pt",
            "--data-dir",
        ])
        .arg(&dir)
        .arg("--region")
        .arg(&manifest)
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let link = stdout
        .lines()
        .find(|l| l.starts_with("http://mapa.example.pt/login?token="))
        .expect("a login link");
    let token = link.rsplit('=').next().unwrap();
    // A moderator without an area is refused, and nothing is made.
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_bussola"))
        .args([
            "user",
            "add",
            "--email",
            "x@example.pt",
            "--role",
            "moderator",
            "--data-dir",
        ])
        .arg(&dir)
        .arg("--region")
        .arg(&manifest)
        .output()
        .unwrap();
    assert!(!bad.status.success());
    let region = bussola::region::Region::load(&manifest).unwrap().region;
    let store =
        bussola::store::SqliteStore::open(&dir.join(format!("{}.sqlite", region.id))).unwrap();
    let cat = Arc::new(Catalog::open(region, Box::new(store)).unwrap());
    let app = bussola::api::router(
        cat.clone(),
        bussola::api::Assets::under(&crate::common::root()),
    );
    let (st, _, v) = send(
        &app,
        "POST",
        "/api/login",
        &[],
        &json!({"token": token}).to_string(),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["user"]["municipalities"], json!(["0701", "0705"]));
    assert!(cat.store().user_by_email("x@example.pt").unwrap().is_none());
    drop(app);
    drop(cat);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn every_write_endpoint_refuses_the_wrong_caller() {
    let w = world();
    let (app, cat) = (&w.app, &w.cat);
    let (_, owner_session, _) = account(
        cat,
        "lar2@example.pt",
        Role::Provider,
        Some(&owner_of(cat)),
        &[],
    );
    let pending =
        patch(app, &w.provider, json!({"capacity": 30})).await.1["pending"][0]["change"].clone();
    let applied = patch(app, &w.provider, json!({"phone": "266 000 111"}))
        .await
        .1["applied"][0]["change"]
        .clone();
    let owner = owner_of(cat);
    let org = format!("/api/providers/{owner}");
    let (_, _, v) = send(
        app,
        "PATCH",
        &org,
        &[("authorization", &bearer(&w.provider))],
        r#"{"name": "Novo nome"}"#,
    )
    .await;
    let org_pending = v["pending"][0]["change"].clone();
    assert!(org_pending.is_i64(), "a provider's new name waits: {v}");
    let before = get_raw(app, &format!("/api/services/{SVC}")).await.2;
    let org_before = get_raw(app, &org).await.2;
    let wrong = account(
        cat,
        "outro@example.pt",
        Role::Provider,
        Some("someone-else"),
        &[],
    )
    .2;
    let elsewhere = account(cat, "evora@example.pt", Role::Moderator, None, &["0705"]).2;
    let (uid, _, _) = account(cat, "old@example.pt", Role::Admin, None, &[]);
    let old = "0".repeat(64);
    cat.store()
        .put_token(&NewToken {
            user: uid,
            kind: TokenKind::Session,
            hash: auth::hash(&old),
            csrf_hash: None,
            created: 0,
            expires: 1,
        })
        .unwrap();
    let (_, _, revoked) = account(cat, "gone@example.pt", Role::Admin, None, &[]);
    assert_eq!(post(app, &revoked, "/api/logout").await.0, StatusCode::OK);
    let report = bussola::feedback::NewFeedback {
        problem: "closed".into(),
        note: None,
    };
    let fid = cat.report_problem(SVC, &report).unwrap().id;
    let writes = [
        (
            "PATCH",
            format!("/api/services/{SVC}"),
            r#"{"phone": "266 999 999"}"#,
        ),
        ("POST", format!("/api/changes/{pending}/approve"), ""),
        ("POST", format!("/api/changes/{pending}/reject"), ""),
        ("POST", format!("/api/changes/{applied}/revert"), ""),
        (
            "PATCH",
            org.clone(),
            r#"{"website": "https://example.pt/"}"#,
        ),
        ("POST", format!("/api/changes/{org_pending}/approve"), ""),
        ("POST", format!("/api/changes/{org_pending}/reject"), ""),
        ("POST", format!("/api/services/{SVC}/confirm"), ""),
        ("POST", format!("/api/feedback/{fid}/resolve"), ""),
        ("POST", "/api/confirm".to_string(), ""),
        ("POST", "/api/logout".to_string(), ""),
        ("DELETE", format!("/api/tokens/{owner_session}"), ""),
    ];
    // Each endpoint from its own address, so the write rate limit (30 at once) stays out of it.
    for (n, (method, uri, body)) in writes.iter().enumerate() {
        let ip = format!("192.0.2.{n}");
        let from = ("x-forwarded-for", ip.as_str());
        let cases: [(&str, Option<&str>, StatusCode); 3] = [
            ("no token", None, StatusCode::UNAUTHORIZED),
            ("expired", Some(&old), StatusCode::UNAUTHORIZED),
            ("revoked", Some(&revoked), StatusCode::UNAUTHORIZED),
        ];
        for (what, token, want) in cases {
            let auth = token.map(bearer).unwrap_or_default();
            let mut headers = vec![from];
            headers.extend(token.map(|_| ("authorization", auth.as_str())));
            let (st, _, v) = send(app, method, uri, &headers, body).await;
            assert_eq!(st, want, "{method} {uri} with {what}: {v}");
            assert!(v["error"].is_string(), "{method} {uri}: JSON error body");
        }
        if uri == "/api/logout" || uri == "/api/confirm" {
            continue; // anyone signed in may end their own session, or confirm their own services
        }
        for (what, token) in [
            ("the wrong provider", &wrong),
            ("a moderator outside its area", &elsewhere),
        ] {
            let (st, _, v) = send(
                app,
                method,
                uri,
                &[("authorization", &bearer(token)), from],
                body,
            )
            .await;
            assert_eq!(st, StatusCode::FORBIDDEN, "{method} {uri} as {what}: {v}");
        }
    }
    assert_eq!(
        get_raw(app, &format!("/api/services/{SVC}")).await.2,
        before,
        "nothing changed"
    );
    assert_eq!(
        get_raw(app, &org).await.2,
        org_before,
        "organisation unchanged"
    );
    let (_, _, list) = send(
        app,
        "GET",
        "/api/changes?status=pending",
        &[("authorization", &bearer(&w.admin))],
        "",
    )
    .await;
    assert_eq!(list["changes"][0]["id"], pending, "still pending: {list}");
    assert_eq!(
        list["changes"][1]["id"], org_pending,
        "still pending: {list}"
    );
    assert_eq!(list["changes"][1]["subject"], "provider");
}

#[tokio::test]
async fn a_providers_phone_change_is_live_and_in_the_history() {
    let w = world();
    let old_phone = public(&w.app).await["contact"]["phone"].clone();
    let (st, v) = patch(&w.app, &w.provider, json!({"phone": " 266 000 111 "})).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["applied"][0]["field"], "phone");
    assert_eq!(public(&w.app).await["contact"]["phone"], "266 000 111");
    let (st, h) = get(&w.app, &format!("/api/services/{SVC}/history")).await;
    assert_eq!(st, StatusCode::OK);
    let rows = h["history"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["field"], "phone");
    assert_eq!(rows[0]["old"], old_phone);
    assert_eq!(rows[0]["new"], "266 000 111");
    assert_eq!(
        (rows[0]["role"].as_str(), rows[0]["source"].as_str()),
        (Some("provider"), Some("provider"))
    );
    assert!(
        !h.to_string().contains("@example.pt"),
        "no account e-mail in public history"
    );
    assert_eq!(
        get(&w.app, "/api/services/nope/history").await.0,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_move_within_the_area_waits_for_review_then_moves_the_service() {
    let w = world();
    let before = public(&w.app).await;
    let [lon, lat] = [-7.40, 38.54]; // in Alandroal (0701), away from the record's point
    let (st, v) = patch(&w.app, &w.provider, json!({"lon": lon, "lat": lat})).await;
    assert_eq!(st, StatusCode::ACCEPTED, "{v}");
    assert_eq!(v["pending"][0]["field"], "position");
    let change = v["pending"][0]["change"].as_i64().unwrap();
    assert_eq!(public(&w.app).await["precision"], before["precision"]);
    let (st, v) = post(
        &w.app,
        &w.moderator,
        &format!("/api/changes/{change}/approve"),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let s = w.cat.get(SVC).unwrap();
    assert_eq!((s.lon, s.lat, s.municipality.as_str()), (lon, lat, "0701"));
}

#[tokio::test]
async fn a_providers_capacity_waits_for_a_moderator() {
    let w = world();
    let (st, v) = patch(&w.app, &w.provider, json!({"capacity": 30, "vacancies": 2})).await;
    assert_eq!(st, StatusCode::ACCEPTED, "{v}");
    assert_eq!(v["applied"][0]["field"], "vacancies");
    assert_eq!(v["pending"][0]["field"], "capacity");
    let change = v["pending"][0]["change"].as_i64().unwrap();
    let p = public(&w.app).await;
    assert_eq!(
        (p["capacity"].as_u64(), p["vacancies"].as_u64()),
        (Some(26), Some(2))
    );
    let auth = bearer(&w.moderator);
    let (_, _, list) = send(
        &w.app,
        "GET",
        "/api/changes",
        &[("authorization", &auth)],
        "",
    )
    .await;
    assert_eq!(list["changes"].as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list["changes"][0]["new"], 30);
    let (st, v) = post(
        &w.app,
        &w.provider,
        &format!("/api/changes/{change}/approve"),
    )
    .await;
    assert_eq!(
        st,
        StatusCode::FORBIDDEN,
        "a provider cannot approve its own change: {v}"
    );
    let (st, v) = post(
        &w.app,
        &w.moderator,
        &format!("/api/changes/{change}/approve"),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(public(&w.app).await["capacity"], 30);
    let (st, _) = post(
        &w.app,
        &w.moderator,
        &format!("/api/changes/{change}/reject"),
    )
    .await;
    assert_eq!(st, StatusCode::CONFLICT, "decided already");
    let h = get(&w.app, &format!("/api/services/{SVC}/history")).await.1;
    let fields: Vec<&str> = h["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["field"].as_str())
        .collect();
    assert_eq!(fields, ["capacity", "vacancies"], "in change order");
    // A moderator's own change to a review field is live at once.
    let (st, v) = patch(&w.app, &w.moderator, json!({"capacity": 32})).await;
    assert_eq!(
        (st, v["pending"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(0)),
        "{v}"
    );
    assert_eq!(public(&w.app).await["capacity"], 32);
}

#[tokio::test]
async fn a_rejected_change_never_goes_live() {
    let w = world();
    let change = patch(&w.app, &w.provider, json!({"name": "Lar Novo"}))
        .await
        .1["pending"][0]["change"]
        .as_i64()
        .unwrap();
    let (st, v) = post(&w.app, &w.admin, &format!("/api/changes/{change}/reject")).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(public(&w.app).await["name"], "Lar Exemplo A de Alandroal");
    let (st, _) = post(&w.app, &w.admin, &format!("/api/changes/{change}/approve")).await;
    assert_eq!(st, StatusCode::CONFLICT);
    assert_eq!(public(&w.app).await["name"], "Lar Exemplo A de Alandroal");
    assert_eq!(
        get(&w.app, &format!("/api/services/{SVC}/history")).await.1["history"],
        json!([])
    );
}

#[tokio::test]
async fn bad_fields_are_named_and_nothing_is_stored() {
    let w = world();
    let uri = format!("/api/services/{SVC}");
    let before = get_raw(&w.app, &uri).await.2;
    let (st, v) = patch(
        &w.app,
        &w.admin,
        json!({"phone": "12", "capacity": "-3", "email": "ok@example.org"}),
    )
    .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let fields = v["fields"].as_object().unwrap();
    assert_eq!(
        fields.keys().collect::<Vec<_>>(),
        ["capacity", "phone"],
        "{v}"
    );
    assert!(fields["capacity"].as_str().unwrap().contains("negative"));
    assert_eq!(
        get_raw(&w.app, &uri).await.2,
        before,
        "byte-for-byte unchanged"
    );
    for (body, field) in [
        (json!({"lon": -9.14, "lat": 38.72}), "position"),
        (json!({"capacity": 5000}), "capacity"),
        (json!({"vacancies": 40}), "vacancies"),
        (json!({"website": "not a url"}), "website"),
        (json!({"postal_code": "70000"}), "postal_code"),
        (json!({"colour": "blue"}), "colour"),
    ] {
        let (st, v) = patch(&w.app, &w.admin, body.clone()).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {v}");
        assert!(v["fields"][field].is_string(), "{body} names {field}: {v}");
    }
    assert_eq!(get_raw(&w.app, &uri).await.2, before);
    assert_eq!(
        get(&w.app, &format!("{uri}/history")).await.1["history"],
        json!([])
    );
}

#[tokio::test]
async fn a_cookie_write_needs_the_csrf_header() {
    let (app, cat) = app();
    let new = NewUser {
        email: "lar@example.pt".into(),
        role: Role::Provider,
        provider: Some(owner_of(&cat)),
        municipalities: vec![],
    };
    let raw = auth::invite(cat.store(), &new, auth::now()).unwrap().1;
    let (_, _, login) = send(
        &app,
        "POST",
        "/api/login",
        &[],
        &json!({"token": raw}).to_string(),
    )
    .await;
    let cookie = format!("bussola_session={}", login["token"].as_str().unwrap());
    let uri = format!("/api/services/{SVC}");
    let body = json!({"phone": "266 000 222"}).to_string();
    let (st, _, v) = send(&app, "PATCH", &uri, &[("cookie", &cookie)], &body).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
    let (st, _, _) = send(
        &app,
        "PATCH",
        &uri,
        &[("cookie", &cookie), ("x-csrf-token", "forged")],
        &body,
    )
    .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    assert_ne!(public(&app).await["contact"]["phone"], "266 000 222");
    let (st, _, _) = send(&app, "GET", "/api/me", &[("cookie", &cookie)], "").await;
    assert_eq!(st, StatusCode::OK, "reads need no CSRF header");
    let csrf = login["csrf"].as_str().unwrap();
    let (st, _, v) = send(
        &app,
        "PATCH",
        &uri,
        &[("cookie", &cookie), ("x-csrf-token", csrf)],
        &body,
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(public(&app).await["contact"]["phone"], "266 000 222");
}

#[tokio::test]
async fn the_eleventh_rapid_login_from_one_address_is_refused() {
    let (app, _) = app();
    let body = json!({"token": "not-a-token"}).to_string();
    for i in 0..10 {
        let (st, _, _) = send(
            &app,
            "POST",
            "/api/login",
            &[("x-forwarded-for", "203.0.113.9")],
            &body,
        )
        .await;
        assert_eq!(st, StatusCode::UNAUTHORIZED, "attempt {}", i + 1);
    }
    let (st, _, v) = send(
        &app,
        "POST",
        "/api/login",
        &[("x-forwarded-for", "203.0.113.9")],
        &body,
    )
    .await;
    assert_eq!(st, StatusCode::TOO_MANY_REQUESTS, "{v}");
    assert!(v["error"].as_str().unwrap().contains("too many"));
    let (st, _, _) = send(
        &app,
        "POST",
        "/api/login",
        &[("x-forwarded-for", "198.51.100.7")],
        &body,
    )
    .await;
    assert_eq!(
        st,
        StatusCode::UNAUTHORIZED,
        "another address is not held back"
    );
}

#[tokio::test]
async fn an_admin_revert_restores_the_old_value_as_a_new_change() {
    let w = world();
    let old = public(&w.app).await["contact"]["phone"].clone();
    let change = patch(&w.app, &w.provider, json!({"phone": "266 000 333"}))
        .await
        .1["applied"][0]["change"]
        .as_i64()
        .unwrap();
    let (st, _) = post(
        &w.app,
        &w.moderator,
        &format!("/api/changes/{change}/revert"),
    )
    .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "admins only");
    let (st, v) = post(&w.app, &w.admin, &format!("/api/changes/{change}/revert")).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(public(&w.app).await["contact"]["phone"], old);
    let h = get(&w.app, &format!("/api/services/{SVC}/history")).await.1;
    let rows = h["history"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (&rows[1]["old"], &rows[1]["new"]),
        (&json!("266 000 333"), &old)
    );
    assert_eq!(rows[1]["reverts"], change);
    assert_eq!(rows[1]["role"], "admin");
}

#[tokio::test]
async fn a_revoked_token_and_logout_end_the_session() {
    let w = world();
    let auth = bearer(&w.provider);
    let (_, _, me) = send(&w.app, "GET", "/api/me", &[("authorization", &auth)], "").await;
    let session = me["session"].as_i64().unwrap();
    let (st, _, _) = send(
        &w.app,
        "DELETE",
        &format!("/api/tokens/{session}"),
        &[("authorization", &bearer(&w.moderator))],
        "",
    )
    .await;
    assert_eq!(st, StatusCode::FORBIDDEN, "not the moderator's token");
    let (st, _, _) = send(
        &w.app,
        "DELETE",
        &format!("/api/tokens/{session}"),
        &[("authorization", &bearer(&w.admin))],
        "",
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    let (st, _) = patch(&w.app, &w.provider, json!({"phone": "266 000 444"})).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let (st, _, _) = send(
        &w.app,
        "POST",
        "/api/logout",
        &[("authorization", &bearer(&w.moderator))],
        "",
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(
        send(
            &w.app,
            "GET",
            "/api/me",
            &[("authorization", &bearer(&w.moderator))],
            ""
        )
        .await
        .0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn the_editing_section_decides_what_waits_for_review() {
    let mut region = bussola::region::Region::load(&crate::common::demo_manifest())
        .unwrap()
        .region;
    region.editing =
        toml::from_str("immediate = [\"contact\", \"capacity\"]\nreview = [\"name\"]").unwrap();
    let store = bussola::store::SqliteStore::in_memory().unwrap();
    let cat = Arc::new(Catalog::open(region, Box::new(store)).unwrap());
    let app = bussola::api::router(
        cat.clone(),
        bussola::api::Assets::under(&crate::common::root()),
    );
    let token = account(
        &cat,
        "lar@example.pt",
        Role::Provider,
        Some(&owner_of(&cat)),
        &[],
    )
    .2;
    let (st, v) = patch(&app, &token, json!({"capacity": 30, "vacancies": 3})).await;
    assert_eq!(st, StatusCode::ACCEPTED, "{v}");
    assert_eq!(
        v["applied"][0]["field"], "capacity",
        "capacity is immediate here"
    );
    assert_eq!(
        v["pending"][0]["field"], "vacancies",
        "a class in neither list waits"
    );
    assert_eq!(public(&app).await["capacity"], 30);
}
