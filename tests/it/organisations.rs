//! Organisations: a provider keeps its name, legal nature and own contact current; the change
//! reaches every one of its services, waits for review per field class, and is kept in the
//! history.
use crate::common::accounts::{call as send_as, session};
use crate::common::{app, get};
use axum::http::StatusCode;
use axum::Router;
use bussola::auth::{self, NewUser, Role};
use bussola::catalog::Catalog;
use serde_json::{json, Value};
use std::sync::Arc;

/// A demo ERPI in Alandroal (0701).
const SVC: &str = "demo-0701-erpi-1";

async fn call(
    app: &Router,
    method: &str,
    uri: &str,
    token: &str,
    body: Value,
) -> (StatusCode, Value) {
    let body = if body.is_null() {
        String::new()
    } else {
        body.to_string()
    };
    send_as(app, method, uri, token, &body).await
}

struct World {
    app: Router,
    cat: Arc<Catalog>,
    owner: String,
    provider: String,
    moderator: String,
    admin: String,
}

fn world() -> World {
    let (app, cat) = app();
    let owner = cat.get(SVC).expect("demo service").provider.id;
    let provider = session(&cat, "lar@example.pt", Role::Provider, Some(&owner), &[]);
    let moderator = session(&cat, "rede@example.pt", Role::Moderator, None, &["0701"]);
    let admin = session(&cat, "coord@example.pt", Role::Admin, None, &[]);
    World {
        app,
        cat,
        owner,
        provider,
        moderator,
        admin,
    }
}

impl World {
    fn org(&self) -> String {
        format!("/api/providers/{}", self.owner)
    }

    /// The provider object of each of the organisation's services, as the public API shows it.
    async fn on_every_service(&self) -> Vec<Value> {
        let ids: Vec<String> = self
            .cat
            .all()
            .unwrap()
            .into_iter()
            .filter(|s| s.provider.id == self.owner)
            .map(|s| s.id)
            .collect();
        assert!(ids.len() > 1, "the demo organisation runs several services");
        let mut out = Vec::new();
        for id in ids {
            let (st, v) = get(&self.app, &format!("/api/services/{id}")).await;
            assert_eq!(st, StatusCode::OK);
            out.push(v["properties"]["provider"].clone());
        }
        out
    }
}

#[tokio::test]
async fn an_organisation_lists_its_services_and_an_unknown_one_is_404() {
    let w = world();
    let (st, v) = get(&w.app, &w.org()).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["id"], w.owner.as_str());
    let ids: Vec<&str> = v["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    let theirs = w
        .cat
        .all()
        .unwrap()
        .into_iter()
        .filter(|s| s.provider.id == w.owner)
        .count();
    assert_eq!(ids.len(), theirs);
    assert!(ids.contains(&SVC));
    assert_eq!(v["municipalities"], json!(["0701"]));
    let (st, v) = get(&w.app, "/api/providers/nobody").await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    assert!(v["error"].as_str().unwrap().contains("nobody"), "{v}");
}

#[tokio::test]
async fn a_providers_own_contact_goes_live_on_every_service_and_into_the_history() {
    let w = world();
    let body =
        json!({"phone": " 266 000 222 ", "email": "geral@lar.pt", "website": "https://lar.pt/"});
    let (st, v) = call(&w.app, "PATCH", &w.org(), &w.provider, body).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["applied"].as_array().unwrap().len(), 3);
    assert_eq!(v["provider"]["contact"]["phone"], "266 000 222");
    for p in w.on_every_service().await {
        assert_eq!(p["contact"]["email"], "geral@lar.pt", "{p}");
    }
    let (_, h) = get(&w.app, &format!("{}/history", w.org())).await;
    let fields: Vec<&str> = h["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["email", "phone", "website"]);
    assert_eq!(h["history"][1]["old"], Value::Null);
    assert_eq!(h["history"][1]["role"], "provider");
    // The service's own history is about the service only.
    let (_, sh) = get(&w.app, &format!("/api/services/{SVC}/history")).await;
    assert_eq!(sh["history"], json!([]));
}

#[tokio::test]
async fn a_new_name_waits_for_the_moderator_then_reaches_every_service() {
    let w = world();
    let (_, before) = get(&w.app, &w.org()).await;
    let (st, v) = call(
        &w.app,
        "PATCH",
        &w.org(),
        &w.provider,
        json!({"name": "Lar Novo, IPSS", "legal_nature": "ipss"}),
    )
    .await;
    assert_eq!(st, StatusCode::ACCEPTED, "{v}");
    assert_eq!(v["pending"].as_array().unwrap().len(), 2, "{v}");
    assert_eq!(
        get(&w.app, &w.org()).await.1["name"],
        before["name"],
        "not live yet"
    );
    let (_, list) = call(
        &w.app,
        "GET",
        "/api/changes?status=pending",
        &w.moderator,
        Value::Null,
    )
    .await;
    let theirs: Vec<&Value> = list["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["subject"] == "provider")
        .collect();
    assert_eq!(theirs.len(), 2, "the area's moderator sees them: {list}");
    let name_change = v["pending"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "name")
        .unwrap()["change"]
        .clone();
    let nature_change = v["pending"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["field"] == "legal_nature")
        .unwrap()["change"]
        .clone();
    // A provider cannot approve its own change.
    let uri = format!("/api/changes/{name_change}/approve");
    assert_eq!(
        call(&w.app, "POST", &uri, &w.provider, Value::Null).await.0,
        StatusCode::FORBIDDEN
    );
    let (st, v) = call(&w.app, "POST", &uri, &w.moderator, Value::Null).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["provider"]["name"], "Lar Novo, IPSS");
    for p in w.on_every_service().await {
        assert_eq!(p["name"], "Lar Novo, IPSS", "{p}");
    }
    let uri = format!("/api/changes/{nature_change}/reject");
    assert_eq!(
        call(&w.app, "POST", &uri, &w.moderator, Value::Null)
            .await
            .0,
        StatusCode::OK
    );
    assert_eq!(
        get(&w.app, &w.org()).await.1["legal_nature"],
        before["legal_nature"]
    );
    // Deciding twice is a conflict.
    assert_eq!(
        call(&w.app, "POST", &uri, &w.moderator, Value::Null)
            .await
            .0,
        StatusCode::CONFLICT
    );
    // The admin reverts the name on every service; both changes stay in the history.
    let uri = format!("/api/changes/{name_change}/revert");
    let (st, v) = call(&w.app, "POST", &uri, &w.admin, Value::Null).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    for p in w.on_every_service().await {
        assert_eq!(p["name"], before["name"], "{p}");
    }
    let (_, h) = get(&w.app, &format!("{}/history", w.org())).await;
    let h = h["history"].as_array().unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[1]["reverts"], name_change);
    assert_eq!(h[1]["new"], before["name"]);
}

#[tokio::test]
async fn bad_fields_are_named_and_nothing_is_stored() {
    let w = world();
    let (_, before) = get(&w.app, &w.org()).await;
    let body = json!({"phone": "266 12", "email": "geral@", "legal_nature": "clube", "colour": "red", "name": ""});
    let (st, v) = call(&w.app, "PATCH", &w.org(), &w.admin, body).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let named: Vec<&String> = v["fields"].as_object().unwrap().keys().collect();
    assert_eq!(named, ["colour", "email", "legal_nature", "name", "phone"]);
    assert_eq!(get(&w.app, &w.org()).await.1, before);
    let (_, h) = get(&w.app, &format!("{}/history", w.org())).await;
    assert_eq!(h["history"], json!([]));
    let (st, v) = call(
        &w.app,
        "PATCH",
        "/api/providers/nobody",
        &w.admin,
        json!({"phone": "266 000 000"}),
    )
    .await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{v}");
}

#[tokio::test]
async fn an_organisation_is_edited_only_by_its_provider_its_areas_moderator_or_an_admin() {
    let w = world();
    let wrong = session(
        &w.cat,
        "outro@example.pt",
        Role::Provider,
        Some("someone-else"),
        &[],
    );
    let elsewhere = session(&w.cat, "evora@example.pt", Role::Moderator, None, &["0705"]);
    let body = json!({"website": "https://example.pt/"});
    for (who, token) in [
        ("the wrong provider", &wrong),
        ("a moderator elsewhere", &elsewhere),
    ] {
        let (st, v) = call(&w.app, "PATCH", &w.org(), token, body.clone()).await;
        assert_eq!(st, StatusCode::FORBIDDEN, "{who}: {v}");
    }
    let (st, _) = call(&w.app, "PATCH", &w.org(), &w.moderator, body.clone()).await;
    assert_eq!(st, StatusCode::OK, "the area's moderator");
    let (st, v) = call(
        &w.app,
        "PATCH",
        &w.org(),
        &w.moderator,
        json!({"name": "Outro"}),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "a moderator's own change is live: {v}");
    assert_eq!(v["provider"]["name"], "Outro");
}

#[test]
fn an_organisations_contact_survives_a_restart_and_an_import_without_one() {
    use bussola::region::Region;
    use bussola::store::SqliteStore;
    let dir = std::env::temp_dir().join(format!("bussola-org-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("bussola.sqlite");
    let open = || {
        let region = Region::load(&crate::common::demo_manifest())
            .unwrap()
            .region;
        Catalog::open(region, Box::new(SqliteStore::open(&db).unwrap())).unwrap()
    };
    let cat = open();
    let owner = cat.get(SVC).unwrap().provider.id;
    let admin = auth::invite(
        cat.store(),
        &NewUser {
            email: "coord@example.pt".into(),
            role: Role::Admin,
            provider: None,
            municipalities: vec![],
        },
        auth::now(),
    )
    .unwrap()
    .0;
    let body = json!({"email": "geral@lar.pt"});
    let out = bussola::edit::organisation::submit(
        &cat,
        &admin,
        &owner,
        body.as_object().unwrap(),
        auth::now(),
    )
    .unwrap();
    assert_eq!(out.applied.len(), 1);
    // An import writes the service again with no organisation contact of its own.
    let mut imported = cat.get(SVC).unwrap();
    imported.provider.contact = Default::default();
    cat.upsert(imported).unwrap();
    let kept = cat.get(SVC).unwrap().provider.contact.email;
    assert_eq!(kept.as_deref(), Some("geral@lar.pt"), "kept while running");
    drop(cat);
    let cat = open();
    for s in cat.all().unwrap().iter().filter(|s| s.provider.id == owner) {
        assert_eq!(
            s.provider.contact.email.as_deref(),
            Some("geral@lar.pt"),
            "{}",
            s.id
        );
    }
    drop(cat);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn an_import_never_undoes_an_organisations_edited_name_it_waits_for_review() {
    let w = world();
    let (st, _) = call(
        &w.app,
        "PATCH",
        &w.org(),
        &w.admin,
        json!({"name": "Nome Novo, IPSS"}),
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    // The source sends the service again, with the organisation's old name and an older date.
    let mut incoming = w.cat.get(SVC).unwrap();
    assert!(
        !incoming.provenance.is_empty(),
        "the demo record has its source"
    );
    incoming.provider.name = "Nome Antigo".into();
    incoming.updated = Some("2020-01-01".into());
    incoming.provenance.truncate(1);
    for _ in 0..2 {
        let plan = w
            .cat
            .import(vec![incoming.clone()], &bussola::quality::likely_same)
            .unwrap();
        assert_eq!(plan.held.len(), 1, "{:?}", plan.held);
    }
    for p in w.on_every_service().await {
        assert_eq!(p["name"], "Nome Novo, IPSS", "{p}");
    }
    let (_, list) = call(
        &w.app,
        "GET",
        "/api/changes?status=pending",
        &w.admin,
        Value::Null,
    )
    .await;
    let waiting: Vec<&Value> = list["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["subject"] == "provider" && c["source"] == "import")
        .collect();
    assert_eq!(waiting.len(), 1, "held once, even imported twice: {list}");
    assert_eq!(waiting[0]["new"], "Nome Antigo");
    assert_eq!(waiting[0]["old"], "Nome Novo, IPSS");
    // A newer edition of the source is news, and goes in.
    incoming.updated = Some("2999-01-01".into());
    let plan = w
        .cat
        .import(vec![incoming], &bussola::quality::likely_same)
        .unwrap();
    assert!(plan.held.is_empty());
    for p in w.on_every_service().await {
        assert_eq!(p["name"], "Nome Antigo", "the organisation is one: {p}");
    }
}

#[tokio::test]
async fn a_services_patch_sends_the_legal_nature_to_its_organisation() {
    let w = world();
    let uri = format!("/api/services/{SVC}");
    let (st, v) = call(
        &w.app,
        "PATCH",
        &uri,
        &w.admin,
        json!({"provider_nature": "ipss"}),
    )
    .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let why = v["fields"]["provider_nature"].as_str().unwrap();
    assert!(
        why.contains(&format!("/api/providers/{}", w.owner)),
        "{why}"
    );
}
