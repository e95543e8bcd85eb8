//! A citizen reports a wrong record without an account; reports survive a crash.
use crate::common::{app, send, Server};
use axum::http::StatusCode;
use bussola::model::Facts;
use bussola::store::{Reports, SqliteStore};
use std::io::{Read, Write};

#[tokio::test]
async fn a_report_is_stored_checked_and_limited() {
    let (app, cat) = app();
    let id = cat.list(&Default::default(), 1, 0).unwrap().services[0]
        .id()
        .to_string();
    let uri = format!("/api/services/{id}/feedback");

    let (status, _, body) = send(
        &app,
        "POST",
        &uri,
        &[],
        r#"{"problem": "phone_not_answering", "note": "  Ninguém atende de manhã. "}"#,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["status"], "open");
    assert_eq!(body["note"], "Ninguém atende de manhã.");
    let stored = cat.feedback(Some(&id)).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].id, body["id"].as_i64().unwrap());
    assert_eq!(stored[0].problem.code(), "phone_not_answering");

    // Bad input names the field and stores nothing.
    for (payload, field) in [
        (r#"{"problem": "rude"}"#, "problem"),
        (r#"{"note": "x"}"#, "body"),
        ("not json", "body"),
    ] {
        let (status, _, body) = send(&app, "POST", &uri, &[], payload).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{payload}: {body}");
        assert_eq!(body["parameter"], field, "{payload}: {body}");
    }
    let long = format!(r#"{{"problem": "other", "note": "{}"}}"#, "a".repeat(501));
    let (status, _, body) = send(&app, "POST", &uri, &[], &long).await;
    assert_eq!(
        (status, body["parameter"].as_str()),
        (StatusCode::BAD_REQUEST, Some("note"))
    );
    let (status, _, _) = send(
        &app,
        "POST",
        "/api/services/no-such/feedback",
        &[],
        r#"{"problem": "closed"}"#,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        cat.feedback(None).unwrap().len(),
        1,
        "nothing else was stored"
    );

    // Five at once from one client; the next is refused with 429 and not stored.
    let mut codes = Vec::new();
    for _ in 0..6 {
        let (s, _, _) = send(&app, "POST", &uri, &[], r#"{"problem": "closed"}"#).await;
        codes.push(s.as_u16());
    }
    // The first report above used one of the five.
    assert_eq!(codes, [201, 201, 201, 201, 429, 429]);
    assert_eq!(cat.feedback(None).unwrap().len(), 5);
}

/// Posts one report over a fresh connection; the status code, or `None` if the server died.
fn post(addr: &str, path: &str, body: &str) -> Option<u16> {
    let mut s = std::net::TcpStream::connect(addr).ok()?;
    write!(
        s,
        "POST {path} HTTP/1.0\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut response = String::new();
    s.read_to_string(&mut response).ok()?;
    response.get(9..12)?.parse().ok()
}

#[test]
fn every_answered_write_survives_a_kill() {
    let mut server = Server::start(
        "crash",
        &[
            "--feedback-per-minute",
            "1000000",
            "--feedback-per-day",
            "100000000",
        ],
    );
    let addr = server.addr.clone();
    let service = "demo-0705-erpi-1";
    let path = format!("/api/services/{service}/feedback");
    assert_eq!(
        post(&addr, &path, r#"{"problem": "closed", "note": "warm-up"}"#),
        Some(201)
    );
    // Writes from another thread; the server is killed (SIGKILL) while they stream in.
    let writer = std::thread::spawn(move || {
        let mut answered = Vec::new();
        for i in 0.. {
            let body = format!(r#"{{"problem": "other", "note": "write {i}"}}"#);
            match post(&addr, &path, &body) {
                Some(201) => answered.push(i),
                Some(other) => panic!("write {i}: status {other}"),
                None => break,
            }
        }
        answered
    });
    std::thread::sleep(std::time::Duration::from_millis(700));
    server.child.kill().expect("SIGKILL");
    server.child.wait().unwrap();
    let answered = writer.join().unwrap();
    assert!(
        answered.len() > 10,
        "only {} writes before the kill",
        answered.len()
    );

    let store = SqliteStore::open(&server.data_dir.join("alentejo-central.sqlite")).unwrap();
    let notes: Vec<String> = store
        .feedback(Some(service))
        .unwrap()
        .into_iter()
        .map(|f| f.note.unwrap_or_default())
        .collect();
    for i in &answered {
        assert!(
            notes.contains(&format!("write {i}")),
            "write {i} was answered 201 but is lost"
        );
    }
    // Nothing half-applied: every stored row is one whole report that was sent.
    for n in &notes {
        assert!(n == "warm-up" || n.starts_with("write "), "{n}");
    }
    assert!(
        notes.len() <= answered.len() + 2,
        "at most the one in flight more"
    );
}

/// A session token for a new account, made through the library.
fn token(
    cat: &bussola::catalog::Catalog,
    email: &str,
    role: bussola::auth::Role,
    provider: Option<String>,
    munis: &[&str],
) -> String {
    let new = bussola::auth::NewUser {
        email: email.into(),
        role,
        provider,
        municipalities: munis.iter().map(|m| m.to_string()).collect(),
    };
    let (_, raw) = bussola::auth::invite(cat.store(), &new, bussola::auth::now()).unwrap();
    bussola::auth::login(cat.store(), &raw, bussola::auth::now())
        .unwrap()
        .token
}

#[tokio::test]
async fn the_provider_and_the_area_moderator_see_and_resolve_reports_others_do_not() {
    use bussola::auth::Role;
    let (app, cat) = app();
    let svc = "demo-0701-erpi-1"; // Alandroal
    let owner = cat.get(svc).unwrap().provider.id;
    let (s, _, body) = send(
        &app,
        "POST",
        &format!("/api/services/{svc}/feedback"),
        &[],
        r#"{"problem": "closed"}"#,
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    let id = body["id"].as_i64().unwrap();

    let provider = format!(
        "Bearer {}",
        token(&cat, "p@example.org", Role::Provider, Some(owner), &[])
    );
    let other = format!(
        "Bearer {}",
        token(
            &cat,
            "o@example.org",
            Role::Provider,
            Some("p-someone-else".into()),
            &[]
        )
    );
    let moderator = format!(
        "Bearer {}",
        token(&cat, "m@example.org", Role::Moderator, None, &["0701"])
    );
    let outside = format!(
        "Bearer {}",
        token(&cat, "x@example.org", Role::Moderator, None, &["0714"])
    );

    let ids = |v: &serde_json::Value| -> Vec<i64> {
        v["reports"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_i64().unwrap())
            .collect()
    };
    for (who, sees) in [
        (&provider, true),
        (&moderator, true),
        (&other, false),
        (&outside, false),
    ] {
        let (s, _, body) = send(&app, "GET", "/api/feedback", &[("authorization", who)], "").await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(ids(&body).contains(&id), sees, "{who}: {body}");
    }
    let (s, _, _) = send(&app, "GET", "/api/feedback", &[], "").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "no account, no list");

    let resolve = format!("/api/feedback/{id}/resolve");
    let (s, _, _) = send(&app, "POST", &resolve, &[("authorization", &outside)], "").await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) = send(&app, "POST", &resolve, &[("authorization", &provider)], "").await;
    assert_eq!(s, StatusCode::OK);
    let (_, _, body) = send(
        &app,
        "GET",
        "/api/feedback",
        &[("authorization", &moderator)],
        "",
    )
    .await;
    assert!(
        !ids(&body).contains(&id),
        "resolved reports leave the open list"
    );
    let (_, _, body) = send(
        &app,
        "GET",
        "/api/feedback?status=all",
        &[("authorization", &moderator)],
        "",
    )
    .await;
    let all = body["reports"].as_array().unwrap();
    assert!(
        all.iter()
            .any(|r| r["id"] == id && r["status"] == "resolved"),
        "{body}"
    );
}
