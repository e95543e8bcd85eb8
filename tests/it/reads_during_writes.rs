//! Reads never wait for writes: while a write holds the writer's turn (here: it waits for the
//! database), searches, records and tiles answer from the published snapshot, and show the
//! write once it is done.
use crate::common::locked::{Locked, SVC};
use crate::common::{get, get_with};
use axum::http::StatusCode;
use bussola::tiles::mercator::to_world;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn searches_records_and_tiles_answer_while_a_write_is_in_progress() {
    // The PATCH takes the writer's turn and waits inside the store.
    let mut w = Locked::patch_capacity("reads", 31).await;
    let app = w.app.clone();
    let svc = w.cat.get(SVC).unwrap();
    let (wx, wy) = to_world(svc.lon, svc.lat);
    let tile = format!(
        "/tiles/14/{}/{}.mvt",
        (wx * 16384.0) as u32,
        (wy * 16384.0) as u32
    );

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
    assert!(!w.patch.is_finished(), "and the write is still waiting");
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

    let (status, body) = w.release().await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, one) = get(&app, &format!("/api/services/{SVC}")).await;
    assert_eq!(
        one["properties"]["capacity"], 31,
        "the write shows once it is done"
    );
}
