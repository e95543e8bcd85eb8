//! Two catalogs (two replicas' worth) on one PostgreSQL database stay in step: a write through
//! one reaches the other's index as a delta (what changed, not a reload), at once when it is
//! listening, and a write never skips another process's write that landed just before it.
use crate::common::demo_manifest;
use crate::common::postgres::Scratch;
use bussola::catalog::{Catalog, Filter, NearestQuery};
use bussola::model::Facts;
use bussola::region::Region;
use bussola::store::Database;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn open(url: &str) -> Catalog {
    let region = Region::load(&demo_manifest()).unwrap().region;
    Catalog::open(region, Database::parse(url).unwrap().open().unwrap()).unwrap()
}

fn nearest_id(cat: &Catalog, lon: f64, lat: f64) -> String {
    let q = NearestQuery {
        lon,
        lat,
        k: 1,
        max_km: None,
        filter: Filter::default(),
    };
    cat.nearest(&q).unwrap()[0].0.id().to_string()
}

/// Monsaraz castle, where no service is.
const CASTLE: (f64, f64) = (-7.3808, 38.4433);

#[test]
fn a_write_through_one_reaches_the_other_as_a_delta() {
    let Some(db) = Scratch::new("catalogs_in_step_delta") else {
        return;
    };
    let a = open(&db.url);
    let b = open(&db.url);
    let n = a.len().unwrap();
    assert_eq!(b.len().unwrap(), n, "the second start does not seed again");

    // A moves a service to the castle; B, once it checks, finds it there.
    let mut s = a.get("demo-0711-erpi-1").unwrap();
    (s.lon, s.lat) = CASTLE;
    a.upsert(s).unwrap();
    assert_ne!(nearest_id(&b, CASTLE.0, CASTLE.1), "demo-0711-erpi-1");
    let before = b.data_version();
    assert!(b.refresh().unwrap(), "B sees that A wrote");
    assert_eq!(nearest_id(&b, CASTLE.0, CASTLE.1), "demo-0711-erpi-1");
    assert_eq!(b.data_version(), a.data_version());
    // Applied as a delta: B knows exactly where the change was (a reload would not).
    let touched = b
        .touched_between(before, b.data_version())
        .expect("a delta, not a reload");
    assert!(touched.contains(&CASTLE), "{touched:?}");
    assert!(!b.refresh().unwrap(), "nothing more to do");

    // A deletes; B drops it.
    a.delete("demo-0705-erpi-1").unwrap();
    assert!(b.refresh().unwrap());
    assert!(b.get("demo-0705-erpi-1").is_err());
    assert_eq!(b.len().unwrap(), n - 1);

    // A writes and B, without checking, writes next: B's index has both (none skipped).
    let mut first = a.get("demo-0712-erpi-1").unwrap();
    first.capacity = Some(111);
    a.upsert(first).unwrap();
    let mut second = b.get("demo-0713-erpi-1").unwrap();
    second.capacity = Some(222);
    b.upsert(second).unwrap();
    assert_eq!(b.brief("demo-0712-erpi-1").unwrap().capacity(), Some(111));
    assert_eq!(b.brief("demo-0713-erpi-1").unwrap().capacity(), Some(222));
    assert_eq!(b.data_version(), b.version().unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listening_replica_has_the_write_within_a_second() {
    let Some(db) = Scratch::new("catalogs_in_step_listen") else {
        return;
    };
    let a = Arc::new(open(&db.url));
    let b = Arc::new(open(&db.url));
    // B polls only every minute: within a second can only be the notification.
    tokio::spawn(bussola::catalog::keep_fresh(
        b.clone(),
        Duration::from_secs(60),
    ));
    tokio::time::sleep(Duration::from_millis(500)).await;
    let mut s = a.get("demo-0711-erpi-1").unwrap();
    (s.lon, s.lat) = CASTLE;
    let writer = a.clone();
    tokio::task::spawn_blocking(move || writer.upsert(s))
        .await
        .unwrap()
        .unwrap();
    let written = Instant::now();
    while nearest_id(&b, CASTLE.0, CASTLE.1) != "demo-0711-erpi-1" {
        assert!(
            written.elapsed() < Duration::from_secs(1),
            "B still lacks A's write after a second"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[test]
fn replicas_starting_at_once_on_a_new_database_seed_it_once() {
    let Some(db) = Scratch::new("catalogs_in_step_start") else {
        return;
    };
    let url = db.url.as_str();
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| open(url));
        let b = s.spawn(|| open(url));
        (a.join().unwrap(), b.join().unwrap())
    });
    let n = Region::load(&demo_manifest())
        .unwrap()
        .region
        .services
        .len();
    assert_eq!(a.len().unwrap(), n);
    assert_eq!(b.len().unwrap(), n);
    // The demonstration news and training offers are there once, not once per replica.
    let alone = Scratch::new("catalogs_in_step_alone").unwrap();
    let single = open(&alone.url);
    let news = single.store().news_count().unwrap();
    assert!(news > 0);
    assert_eq!(a.store().news_count().unwrap(), news);
    assert_eq!(
        a.store().offers().unwrap().len(),
        single.store().offers().unwrap().len()
    );
}

#[test]
fn a_start_waits_while_another_seeds() {
    let Some(db) = Scratch::new("catalogs_in_step_hold") else {
        return;
    };
    let a = Database::parse(&db.url).unwrap().open().unwrap();
    let b = Database::parse(&db.url).unwrap().open().unwrap();
    let held = a.hold_starts().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::scope(|s| {
        s.spawn(|| {
            let mine = b.hold_starts().unwrap();
            tx.send(()).unwrap();
            drop(mine);
        });
        assert!(
            rx.recv_timeout(Duration::from_millis(300)).is_err(),
            "the second start waits while the first holds"
        );
        drop(held);
        rx.recv_timeout(Duration::from_secs(10))
            .expect("and goes on once it is released");
    });
}
