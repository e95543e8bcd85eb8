//! Store calls wait on disk and locks on blocking threads: while a write waits for the
//! database, the same (single-threaded) runtime keeps answering other requests.
use crate::common::get;
use crate::common::locked::{Locked, SVC};
use axum::http::StatusCode;

#[tokio::test(flavor = "current_thread")]
async fn requests_are_answered_while_a_write_waits_for_the_database() {
    let mut w = Locked::patch_capacity("off-runtime", 30).await;

    // On this one thread, a request that needs no write is answered meanwhile.
    let (status, taxonomy) = get(&w.app, "/api/taxonomy").await;
    assert_eq!(status, StatusCode::OK);
    assert!(taxonomy["groups"].as_array().is_some_and(|g| !g.is_empty()));
    assert!(
        !w.patch.is_finished(),
        "answered while the write was still waiting, not after it"
    );

    // The lock goes; the write goes through.
    let (status, body) = w.release().await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(w.cat.get(SVC).unwrap().capacity, Some(30));
}
