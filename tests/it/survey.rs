//! The usefulness survey: questions from the shipped TOML, answers checked and stored without
//! personal data, results for admins only.
use crate::common::{app, get, get_with, send};
use axum::http::StatusCode;
use axum::Router;
use bussola::auth::{self, NewUser, Role};
use bussola::catalog::Catalog;
use serde_json::{json, Value};

/// A session token for a new account of a role.
fn token(cat: &Catalog, email: &str, role: Role) -> String {
    let new = NewUser {
        email: email.into(),
        role,
        provider: (role == Role::Provider).then(|| "demo-provider".to_string()),
        municipalities: Vec::new(),
    };
    let (_, raw) = auth::invite(cat.store(), &new, auth::now()).expect("invited");
    auth::login(cat.store(), &raw, auth::now())
        .expect("logged in")
        .token
}

async fn post(app: &Router, body: Value, headers: &[(&str, &str)]) -> (StatusCode, Value) {
    let (st, _, v) = send(app, "POST", "/api/survey", headers, &body.to_string()).await;
    (st, v)
}

#[tokio::test]
async fn the_questions_come_from_the_shipped_file_by_audience() {
    let (app, _) = app();
    let (st, public) = get(&app, "/api/survey?audience=public").await;
    assert_eq!(st, StatusCode::OK);
    let ids = |v: &Value| -> Vec<String> {
        v["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&public), ["useful", "found", "for_whom", "improve"]);
    assert_eq!(public["questions"][0]["kind"], "scale");
    assert_eq!(public["questions"][0]["labels_pt"][4], "Muito útil");
    assert_eq!(public["questions"][1]["options"][0]["id"], "yes");
    let (_, provider) = get(&app, "/api/survey?audience=provider").await;
    assert_eq!(
        ids(&provider),
        ["useful", "keep_current", "easy_update", "improve"]
    );
    let (st, body) = get(&app, "/api/survey?audience=martians").await;
    assert_eq!(
        (st, body["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("audience"))
    );
}

#[tokio::test]
async fn answers_are_checked_stored_and_summarised_for_admins() {
    let (app, cat) = app();
    let (st, v) = post(
        &app,
        json!({"audience": "public", "answers": {"useful": 4, "found": "partly", "improve": " Mais horários. "}}),
        &[],
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let (st, v) = post(
        &app,
        json!({"audience": "public", "answers": {"useful": 2}}),
        &[],
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");

    // Each kind of bad answer names the question; nothing more is stored.
    let long = "x".repeat(501);
    for (answers, audience, name) in [
        (json!({"colour": "red"}), "public", "colour"),
        (json!({"useful": 6}), "public", "useful"),
        (json!({"useful": 0}), "public", "useful"),
        (json!({"useful": "5"}), "public", "useful"),
        (json!({"found": "maybe"}), "public", "found"),
        (json!({"improve": long}), "public", "improve"),
        (json!({"keep_current": 3}), "public", "keep_current"),
        (json!({}), "public", "answers"),
        (json!({"useful": 3}), "everyone", "audience"),
    ] {
        let (st, v) = post(&app, json!({"audience": audience, "answers": answers}), &[]).await;
        assert_eq!(st, StatusCode::BAD_REQUEST, "{answers}: {v}");
        assert_eq!(v["parameter"], name, "{answers}: {v}");
    }

    // Provider answers need an account and keep only its role.
    let body = json!({"audience": "provider", "answers": {"keep_current": 5, "useful": 3}});
    let (st, _) = post(&app, body.clone(), &[]).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let prov = format!("Bearer {}", token(&cat, "ipss@example.pt", Role::Provider));
    let (st, v) = post(&app, body, &[("authorization", &prov)]).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert_eq!(cat.store().survey_answers().unwrap().len(), 3);

    // Results: admins only.
    let (st, _) = get(&app, "/api/survey/results").await;
    assert_eq!(st, StatusCode::UNAUTHORIZED);
    let (st, _, _) = get_with(&app, "/api/survey/results", &[("authorization", &prov)]).await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let admin = format!("Bearer {}", token(&cat, "coord@example.pt", Role::Admin));
    let (st, _, bytes) = get_with(&app, "/api/survey/results", &[("authorization", &admin)]).await;
    assert_eq!(st, StatusCode::OK);
    let r: Value = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(r["answer_sets"], 3);
    assert_eq!(r["by_audience"], json!({"public": 2, "provider": 1}));
    let q = |id: &str| {
        r["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(q("useful")["count"], 3);
    assert_eq!(q("useful")["mean"], 3.0);
    assert_eq!(
        q("useful")["distribution"],
        json!({"1": 0, "2": 1, "3": 1, "4": 1, "5": 0})
    );
    assert_eq!(
        q("found")["options"],
        json!({"yes": 0, "partly": 1, "no": 0})
    );
    assert_eq!(q("keep_current")["mean"], 5.0);

    // CSV: one row per answer set, no column that names a person.
    let (st, h, bytes) = get_with(
        &app,
        "/api/survey/results?format=csv",
        &[("authorization", &admin)],
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    assert!(h["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = String::from_utf8(bytes).unwrap();
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = rows.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "id",
            "date",
            "audience",
            "role",
            "useful",
            "found",
            "for_whom",
            "keep_current",
            "easy_update",
            "improve"
        ]
    );
    assert!(!header
        .iter()
        .any(|h| ["account", "user", "email"].contains(&h.as_str())));
    let rows: Vec<csv::StringRecord> = rows.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[0][2], "public");
    assert_eq!(&rows[0][3], "", "no role for a public answer");
    assert_eq!(&rows[0][4], "4");
    assert_eq!(&rows[0][5], "partly");
    assert_eq!(&rows[0][9], "Mais horários.");
    assert_eq!(
        (&rows[2][2], &rows[2][3], &rows[2][7]),
        ("provider", "provider", "5")
    );
    assert!(!text.contains("ipss@example.pt"), "no e-mail in the CSV");
    assert_eq!(rows[0][1].len(), 20, "an ISO date: {}", &rows[0][1]);
}

#[tokio::test]
async fn answers_are_rate_limited_like_problem_reports() {
    let (_, cat) = app();
    let opts = bussola::api::Options {
        feedback_per_minute: 2,
        feedback_per_day: 30,
        ..Default::default()
    };
    let app = bussola::api::router_with(
        cat,
        bussola::api::Assets::under(&crate::common::root()),
        opts,
    );
    let body = json!({"audience": "public", "answers": {"useful": 5}});
    for _ in 0..2 {
        assert_eq!(post(&app, body.clone(), &[]).await.0, StatusCode::CREATED);
    }
    assert_eq!(post(&app, body, &[]).await.0, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn the_page_links_the_privacy_note_and_the_survey() {
    let (app, _) = app();
    let (st, ct, html) = crate::common::get_raw(&app, "/privacy.html").await;
    assert_eq!(st, StatusCode::OK);
    assert!(ct.starts_with("text/html"), "{ct}");
    for says in [
        "endereço IP",
        "HttpOnly",
        "CSRF",
        "no IP address",
        "hashes",
        "não se guardam no servidor",
        "never your location",
    ] {
        assert!(html.contains(says), "the note says '{says}'");
    }
    let (_, _, index) = crate::common::get_raw(&app, "/").await;
    assert!(index.contains(r#"href="/privacy.html""#));
    assert!(index.contains(r#"id="survey""#));
    let (st, _, js) = crate::common::get_raw(&app, "/survey.js").await;
    assert_eq!(st, StatusCode::OK);
    assert!(js.contains("/api/survey") || js.contains("api.survey"));
}
