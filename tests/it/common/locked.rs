//! A write stuck on the database: a catalog on a database file, another connection holding
//! its write lock (as a CLI import would), and an admin's `PATCH` of one service waiting on it.
use super::accounts::{call, session};
use super::{demo_manifest, root};
use axum::http::StatusCode;
use axum::Router;
use bussola::auth::Role;
use bussola::catalog::Catalog;
use bussola::region::Region;
use bussola::store::SqliteStore;
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::task::JoinHandle;

/// A demo ERPI in Alandroal (0701): capacity 26.
pub const SVC: &str = "demo-0701-erpi-1";

/// The router and catalog, the waiting `PATCH`, and the lock to let go of.
pub struct Locked {
    pub app: Router,
    pub cat: Arc<Catalog>,
    pub patch: JoinHandle<(StatusCode, Value)>,
    release: Option<Box<dyn FnOnce() + Send>>,
    dir: PathBuf,
}

impl Locked {
    /// Sets it up on the test region (`name` names the folder) with a `PATCH` of `SVC`'s
    /// capacity, and waits until that write has reached the database and waits there.
    pub async fn patch_capacity(name: &str, capacity: u32) -> Locked {
        let dir = std::env::temp_dir().join(format!("bussola-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("db.sqlite");
        let store = SqliteStore::open(&path).unwrap();
        let region = Region::load(&demo_manifest()).unwrap().region;
        let cat = Arc::new(Catalog::open(region, Box::new(store)).unwrap());
        let app = bussola::api::router(cat.clone(), bussola::api::Assets::under(&root()));
        let token = session(&cat, "admin@example.org", Role::Admin, None, &[]);
        let other = bussola::store::sqlite::migrate::raw_connection(&path).unwrap();
        other.execute_batch("BEGIN IMMEDIATE").unwrap();
        let app2 = app.clone();
        let patch = tokio::spawn(async move {
            let uri = format!("/api/services/{SVC}");
            let body = json!({ "capacity": capacity }).to_string();
            call(&app2, "PATCH", &uri, &token, &body).await
        });
        // Let the write start and reach the database, where it waits for the lock.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert!(!patch.is_finished(), "the write waits for the database");
        Locked {
            app,
            cat,
            patch,
            release: Some(Box::new(move || other.execute_batch("ROLLBACK").unwrap())),
            dir,
        }
    }

    /// Lets go of the lock; the write's answer.
    pub async fn release(&mut self) -> (StatusCode, Value) {
        if let Some(release) = self.release.take() {
            release();
        }
        (&mut self.patch).await.unwrap()
    }
}

impl Drop for Locked {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
