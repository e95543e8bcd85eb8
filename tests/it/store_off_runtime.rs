//! Store calls wait on disk and locks on blocking threads: while a write waits for the
//! database, the same (single-threaded) runtime keeps answering other requests.
use crate::common::accounts::{call, session};
use crate::common::{demo_manifest, get, root};
use axum::http::StatusCode;
use bussola::auth::Role;
use bussola::catalog::Catalog;
use bussola::region::Region;
use bussola::store::SqliteStore;
use serde_json::json;
use std::sync::Arc;

/// A demo ERPI in Alandroal (0701): capacity 26.
const SVC: &str = "demo-0701-erpi-1";

#[tokio::test(flavor = "current_thread")]
async fn requests_are_answered_while_a_write_waits_for_the_database() {
    let dir = std::env::temp_dir().join(format!("bussola-off-runtime-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let path = dir.join("db.sqlite");
    let store = SqliteStore::open(&path).unwrap();
    let region = Region::load(&demo_manifest()).unwrap().region;
    let cat = Arc::new(Catalog::open(region, Box::new(store)).unwrap());
    let app = bussola::api::router(cat.clone(), bussola::api::Assets::under(&root()));
    let token = session(&cat, "admin@example.org", Role::Admin, None, &[]);

    // Another program holds the database's write lock (as a CLI import would).
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
            &json!({"capacity": 30}).to_string(),
        )
        .await
    });
    // Let the write start and reach the database, where it waits for the lock.
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!patch.is_finished(), "the write waits for the lock");

    // On this one thread, a request that needs no write is answered meanwhile.
    let (status, taxonomy) = get(&app, "/api/taxonomy").await;
    assert_eq!(status, StatusCode::OK);
    assert!(taxonomy["groups"].as_array().is_some_and(|g| !g.is_empty()));
    assert!(
        !patch.is_finished(),
        "answered while the write was still waiting, not after it"
    );

    // The lock goes; the write goes through.
    other.execute_batch("ROLLBACK").unwrap();
    let (status, body) = patch.await.unwrap();
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(cat.get(SVC).unwrap().capacity, Some(30));
    drop(other);
    let _ = std::fs::remove_dir_all(dir);
}
