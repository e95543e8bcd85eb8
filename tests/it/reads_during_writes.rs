//! Reads never wait for writes: while a write holds the writer's turn (here: it waits for the
//! database), searches, records and tiles answer from the published snapshot, and show the
//! write once it is done.
use crate::common::accounts::{call, session};
use crate::common::{demo_manifest, get, get_with, root};
use axum::http::StatusCode;
use bussola::auth::Role;
use bussola::catalog::Catalog;
use bussola::region::Region;
use bussola::store::SqliteStore;
use bussola::tiles::mercator::to_world;
use serde_json::json;
use std::sync::Arc;

/// A demo ERPI in Alandroal (0701): capacity 26.
const SVC: &str = "demo-0701-erpi-1";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn searches_records_and_tiles_answer_while_a_write_is_in_progress() {
    let dir = std::env::temp_dir().join(format!("bussola-reads-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let path = dir.join("db.sqlite");
    let store = SqliteStore::open(&path).unwrap();
    let region = Region::load(&demo_manifest()).unwrap().region;
    let cat = Arc::new(Catalog::open(region, Box::new(store)).unwrap());
    let app = bussola::api::router(cat.clone(), bussola::api::Assets::under(&root()));
    let token = session(&cat, "admin@example.org", Role::Admin, None, &[]);
    let svc = cat.get(SVC).unwrap();
    let (wx, wy) = to_world(svc.lon, svc.lat);
    let tile = format!(
        "/tiles/14/{}/{}.mvt",
        (wx * 16384.0) as u32,
        (wy * 16384.0) as u32
    );

    // Another program holds the database's write lock: the PATCH takes the writer's turn and
    // waits inside the store.
    let other = bussola::store::sqlite::migrate::raw_connection(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    let (app2, token2) = (app.clone(), token.clone());
    let patch = tokio::spawn(async move {
        let uri = format!("/api/services/{SVC}");
        call(
            &app2,
            "PATCH",
            &uri,
            &token2,
            &json!({"capacity": 31}).to_string(),
        )
        .await
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!patch.is_finished(), "the write waits for the database");

    let read = async {
        let (s1, one) = get(&app, &format!("/api/services/{SVC}")).await;
        let (s2, near) = get(
            &app,
            &format!("/api/nearest?lon={}&lat={}&k=3", svc.lon, svc.lat),
        )
        .await;
        let (s3, _, bytes) = get_with(&app, &tile, &[]).await;
        let (s4, list) = get(&app, "/api/services?municipality=0701&limit=5").await;
        (s1, one, s2, near, s3, bytes, s4, list)
    };
    let (s1, one, s2, near, s3, bytes, s4, list) =
        tokio::time::timeout(std::time::Duration::from_secs(3), read)
            .await
            .expect("reads answer while the write waits, without waiting for it");
    assert!(!patch.is_finished(), "and the write is still waiting");
    assert_eq!(
        (s1, s2, s3, s4),
        (
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::OK,
            StatusCode::OK
        )
    );
    assert_eq!(
        one["properties"]["capacity"], 26,
        "the record as published before the write"
    );
    assert_eq!(near["features"][0]["properties"]["id"], SVC);
    assert!(!bytes.is_empty());
    assert!(list["features"].as_array().is_some_and(|f| !f.is_empty()));

    other.execute_batch("ROLLBACK").unwrap();
    let (status, body) = patch.await.unwrap();
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, one) = get(&app, &format!("/api/services/{SVC}")).await;
    assert_eq!(
        one["properties"]["capacity"], 31,
        "the write shows once it is done"
    );
    drop(other);
    let _ = std::fs::remove_dir_all(dir);
}
