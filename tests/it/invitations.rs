//! Admins invite accounts from the API: `POST /api/invitations`, `POST /api/users/{id}/link`,
//! `GET /api/users`; who may, what is checked, and the e-mail (through a recording mailer).
//! The served binary with SMTP is in `invitations_served.rs`.
use crate::common::send;
use axum::http::StatusCode;
use axum::Router;
use bussola::auth::{self, NewUser, Role};
use bussola::catalog::Catalog;
use bussola::mail::{Mail, Mailer};
use bussola::store::{NewToken, TokenKind};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};

/// A demo ERPI in Alandroal (0701).
const SVC: &str = "demo-0701-erpi-1";

fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// An account and a session token for it, made through the library.
fn account(
    cat: &Catalog,
    email: &str,
    role: Role,
    provider: Option<&str>,
    munis: &[&str],
) -> String {
    let new = NewUser {
        email: email.into(),
        role,
        provider: provider.map(String::from),
        municipalities: munis.iter().map(|m| m.to_string()).collect(),
    };
    let (_, raw) = auth::invite(cat.store(), &new, auth::now()).expect("invited");
    auth::login(cat.store(), &raw, auth::now())
        .expect("logged in")
        .token
}

fn owner(cat: &Catalog) -> String {
    cat.get(SVC).expect("demo service").provider.id
}

/// E-mails kept instead of sent, or refused with an error.
struct Recorder {
    sent: Mutex<Vec<Mail>>,
    fail: bool,
}

impl Mailer for Recorder {
    fn sends(&self) -> bool {
        true
    }
    fn send(&self, mail: &Mail) -> bussola::Result<()> {
        if self.fail {
            return Err(bussola::Error::Mail("relay said 554 no".into()));
        }
        self.sent.lock().unwrap().push(mail.clone());
        Ok(())
    }
}

/// The router over the default region with a mailer, its catalog and an admin's token.
fn world(mailer: Arc<dyn Mailer>) -> (Router, Arc<Catalog>, String) {
    let cat = crate::common::catalog(&crate::common::demo_manifest());
    let app = bussola::api::router_with_mailer(
        cat.clone(),
        bussola::api::Assets::under(&crate::common::root()),
        bussola::api::Options::default(),
        mailer,
    );
    let admin = account(&cat, "coord@example.pt", Role::Admin, None, &[]);
    (app, cat, admin)
}

async fn call(
    app: &Router,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Value,
) -> (StatusCode, Value) {
    let auth = token.map(bearer).unwrap_or_default();
    let mut headers = vec![("host", "mapa.example.pt")];
    headers.extend(token.map(|_| ("authorization", auth.as_str())));
    let body = if body.is_null() {
        String::new()
    } else {
        body.to_string()
    };
    let (st, _, v) = send(app, method, uri, &headers, &body).await;
    (st, v)
}

fn emails(users: &Value) -> Vec<&str> {
    users["users"]
        .as_array()
        .expect("a list of users")
        .iter()
        .filter_map(|u| u["email"].as_str())
        .collect()
}

#[tokio::test]
async fn an_invitation_is_e_mailed_in_portuguese_then_english_with_the_link() {
    let rec = Arc::new(Recorder {
        sent: Mutex::default(),
        fail: false,
    });
    let (app, cat, admin) = world(rec.clone());
    let body = json!({"email": " Lar@Example.PT ", "role": "provider", "provider": owner(&cat)});
    let (st, v) = call(&app, "POST", "/api/invitations", Some(&admin), body).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert_eq!(v["user"]["email"], "lar@example.pt");
    assert_eq!(
        (v["user"]["role"].as_str(), v["user"]["provider"].as_str()),
        (Some("provider"), Some(owner(&cat).as_str()))
    );
    assert_eq!(
        (v["emailed"].as_bool(), v.get("email_error")),
        (Some(true), None)
    );
    let url = v["login_url"].as_str().unwrap();
    assert!(
        url.starts_with("http://mapa.example.pt/login?token="),
        "{url}"
    );
    let left = v["expires"].as_i64().unwrap() - auth::now();
    assert!(
        (7 * 86400 - 60..=7 * 86400).contains(&left),
        "valid 7 days: {left}"
    );
    let sent = rec.sent.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    let m = &sent[0];
    assert_eq!(m.to, "lar@example.pt");
    assert_eq!(
        m.text.matches(url).count(),
        2,
        "the link, in both languages: {}",
        m.text
    );
    for words in [
        "coord@example.pt",
        "7 dias",
        "7 days",
        "uma vez",
        "once only",
        "Alentejo Central",
    ] {
        assert!(
            m.text.contains(words) || m.subject.contains(words),
            "{words}: {}",
            m.text
        );
    }
    assert!(
        m.text.find("Olá").unwrap() < m.text.find("Hello").unwrap(),
        "Portuguese first"
    );
}

#[tokio::test]
async fn a_failed_e_mail_still_makes_the_account_and_answers_the_link() {
    let (app, cat, admin) = world(Arc::new(Recorder {
        sent: Mutex::default(),
        fail: true,
    }));
    let body = json!({"email": "rede@example.pt", "role": "moderator", "municipalities": ["0701", "0705"]});
    let (st, v) = call(&app, "POST", "/api/invitations", Some(&admin), body).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert_eq!(v["emailed"], false);
    assert!(v["email_error"].as_str().unwrap().contains("554"), "{v}");
    assert_eq!(v["user"]["municipalities"], json!(["0701", "0705"]));
    let token = v["login_url"].as_str().unwrap().rsplit('=').next().unwrap();
    let (st, s) = call(&app, "POST", "/api/login", None, json!({"token": token})).await;
    assert_eq!(
        (st, s["user"]["role"].as_str()),
        (StatusCode::OK, Some("moderator")),
        "{s}"
    );
    assert!(cat
        .store()
        .user_by_email("rede@example.pt")
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn bad_invitations_name_each_field_and_store_nothing() {
    let (app, cat, admin) = world(Arc::new(bussola::mail::LogOnly));
    let cases = [
        (
            json!({"email": "not-an-address", "role": "provider", "provider": "nobody-has-this"}),
            vec!["email", "provider"],
        ),
        (
            json!({"email": "a@example.pt", "role": "provider"}),
            vec!["provider"],
        ),
        (
            json!({"email": "a@example.pt", "role": "owner"}),
            vec!["role"],
        ),
        (
            json!({"email": "a@example.pt", "role": "moderator", "municipalities": ["0701", "9999"]}),
            vec!["municipalities"],
        ),
        (
            json!({"email": "a@example.pt", "role": "moderator"}),
            vec!["municipalities"],
        ),
        (json!({"role": "admin"}), vec!["email"]),
    ];
    for (body, want) in cases {
        let (st, v) = call(&app, "POST", "/api/invitations", Some(&admin), body.clone()).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {v}");
        let named: Vec<&str> = v["fields"]
            .as_object()
            .expect("fields")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(named, want, "{body}: {v}");
    }
    let (st, v) = call(
        &app,
        "POST",
        "/api/invitations",
        Some(&admin),
        json!({"email": "COORD@example.pt", "role": "admin"}),
    )
    .await;
    assert_eq!(st, StatusCode::CONFLICT, "registered already: {v}");
    assert!(
        v["error"].as_str().unwrap().contains("exists already"),
        "{v}"
    );
    let (st, v) = call(
        &app,
        "POST",
        "/api/invitations",
        Some(&admin),
        json!(["not", "an", "object"]),
    )
    .await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{v}");
    let (st, users) = call(&app, "GET", "/api/users", Some(&admin), Value::Null).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(emails(&users), ["coord@example.pt"], "nothing stored");
    assert!(cat.store().user_by_email("a@example.pt").unwrap().is_none());
}

#[tokio::test]
async fn only_an_admin_invites_lists_or_relinks() {
    let (app, cat, admin) = world(Arc::new(bussola::mail::LogOnly));
    let provider = account(
        &cat,
        "lar@example.pt",
        Role::Provider,
        Some(&owner(&cat)),
        &[],
    );
    let moderator = account(&cat, "evora@example.pt", Role::Moderator, None, &["0705"]);
    let gone = account(&cat, "gone@example.pt", Role::Admin, None, &[]);
    assert_eq!(
        call(&app, "POST", "/api/logout", Some(&gone), Value::Null)
            .await
            .0,
        StatusCode::OK
    );
    let old = "0".repeat(64);
    let admin_id = cat
        .store()
        .user_by_email("coord@example.pt")
        .unwrap()
        .unwrap()
        .id;
    let expired = NewToken {
        user: admin_id,
        kind: TokenKind::Session,
        hash: auth::hash(&old),
        csrf_hash: None,
        created: 0,
        expires: 1,
    };
    cat.store().put_token(&expired).unwrap();
    let invite = json!({"email": "new@example.pt", "role": "admin"});
    let endpoints = [
        ("POST", "/api/invitations".to_string(), invite),
        ("POST", format!("/api/users/{admin_id}/link"), Value::Null),
        ("GET", "/api/users".to_string(), Value::Null),
    ];
    let callers: [(&str, Option<&str>, StatusCode); 5] = [
        ("a provider", Some(&provider), StatusCode::FORBIDDEN),
        ("a moderator", Some(&moderator), StatusCode::FORBIDDEN),
        ("no token", None, StatusCode::UNAUTHORIZED),
        ("an expired session", Some(&old), StatusCode::UNAUTHORIZED),
        ("a revoked session", Some(&gone), StatusCode::UNAUTHORIZED),
    ];
    for (method, uri, body) in &endpoints {
        for (who, token, want) in callers {
            let (st, v) = call(&app, method, uri, token, body.clone()).await;
            assert_eq!(st, want, "{method} {uri} as {who}: {v}");
            assert!(
                v["error"].is_string(),
                "{method} {uri} as {who}: JSON error {v}"
            );
            assert!(v.get("login_url").is_none());
        }
    }
    let (st, users) = call(&app, "GET", "/api/users", Some(&admin), Value::Null).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(
        emails(&users),
        [
            "coord@example.pt",
            "evora@example.pt",
            "gone@example.pt",
            "lar@example.pt"
        ],
        "sorted, no new account"
    );
    let lar = &users["users"][3];
    assert_eq!(
        (lar["role"].as_str(), lar["provider"].as_str()),
        (Some("provider"), Some(owner(&cat).as_str()))
    );
    assert_eq!(users["users"][1]["municipalities"], json!(["0705"]));
}

#[tokio::test]
async fn an_admin_gives_an_existing_account_a_new_link() {
    let (app, cat, admin) = world(Arc::new(bussola::mail::LogOnly));
    account(
        &cat,
        "lar@example.pt",
        Role::Provider,
        Some(&owner(&cat)),
        &[],
    );
    let id = cat
        .store()
        .user_by_email("lar@example.pt")
        .unwrap()
        .unwrap()
        .id;
    let (st, v) = call(
        &app,
        "POST",
        &format!("/api/users/{id}/link"),
        Some(&admin),
        Value::Null,
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert_eq!(
        (v["user"]["id"].as_i64(), v["emailed"].as_bool()),
        (Some(id), Some(false))
    );
    let token = v["login_url"].as_str().unwrap().rsplit('=').next().unwrap();
    let (st, s) = call(&app, "POST", "/api/login", None, json!({"token": token})).await;
    assert_eq!(
        (st, s["user"]["email"].as_str()),
        (StatusCode::OK, Some("lar@example.pt")),
        "{s}"
    );
    for missing in ["999999", "abc"] {
        let (st, v) = call(
            &app,
            "POST",
            &format!("/api/users/{missing}/link"),
            Some(&admin),
            Value::Null,
        )
        .await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{missing}: {v}");
    }
}
