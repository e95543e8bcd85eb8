//! A citizen reports a wrong record without an account; reports survive a crash.
mod common;
use axum::http::StatusCode;
use bussola::store::{SqliteStore, Store};
use common::{app, send, Server};
use std::io::{Read, Write};

#[tokio::test]
async fn a_report_is_stored_checked_and_limited() {
    let (app, cat) = app();
    let id = cat.list(&Default::default(), 1, 0).unwrap().services[0]
        .id
        .clone();
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
