//! Tests of the SQLite store: round trips, atomic writes, backup and restore.
use super::*;
use crate::demo::example_service;

#[test]
fn round_trips_and_versions_writes() {
    let store = SqliteStore::in_memory().unwrap();
    assert!(store.seeded().unwrap().is_empty());
    let mut a = example_service();
    a.id = "a".into();
    let mut b = a.clone();
    b.id = "b".into();
    store.seed("test", &[a.clone(), b.clone()]).unwrap();
    assert_eq!(store.seeded().unwrap(), ["test"]);
    assert_eq!(store.services().unwrap(), vec![a.clone(), b.clone()]);
    let v = store.version().unwrap();
    b.capacity = Some(99);
    store.upsert(&b).unwrap();
    assert_eq!(store.services().unwrap()[1].capacity, Some(99));
    assert!(store.version().unwrap() > v);
    assert!(store.delete("a").unwrap());
    assert!(!store.delete("a").unwrap());
    assert_eq!(store.count().unwrap(), 1);
}

#[test]
fn a_failed_write_leaves_the_store_untouched() {
    let store = SqliteStore::in_memory().unwrap();
    let good = example_service();
    store.seed("test", std::slice::from_ref(&good)).unwrap();
    let v = store.version().unwrap();
    let mut bad = example_service();
    bad.id = "bad".into();
    bad.lat = 123.0; // violates the CHECK constraint
    let mut other = good.clone();
    other.id = "other".into();
    assert!(store.seed("again", &[other, bad]).is_err());
    assert_eq!(store.services().unwrap(), vec![good]);
    assert_eq!(store.version().unwrap(), v);
    assert_eq!(store.seeded().unwrap(), ["test"]);
    let mut c = example_service();
    c.id = "c".into();
    store.seed("another", &[c]).unwrap();
    assert_eq!(store.seeded().unwrap(), ["another", "test"]);
    assert_eq!(store.count().unwrap(), 2);
}

#[test]
fn a_batch_is_written_whole_or_not_at_all() {
    let store = SqliteStore::in_memory().unwrap();
    let mut a = example_service();
    a.id = "a".into();
    let mut bad = a.clone();
    bad.id = "bad".into();
    bad.lon = 500.0;
    assert!(store.upsert_many(&[a.clone(), bad]).is_err());
    assert_eq!(store.count().unwrap(), 0);
    let v = store.version().unwrap();
    store.upsert_many(&[]).unwrap();
    assert_eq!(store.version().unwrap(), v, "an empty batch is not a write");
    store.upsert_many(&[a]).unwrap();
    assert_eq!(store.count().unwrap(), 1);
    store.put_report("osm", "{}").unwrap();
    store.put_report("osm", "{\"n\":1}").unwrap();
    assert_eq!(
        store.reports().unwrap(),
        vec![("osm".into(), "{\"n\":1}".into())]
    );
}

#[test]
fn a_backup_restores_what_was_stored_then() {
    let dir = std::env::temp_dir().join(format!("bussola-backup-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let store = SqliteStore::open(&dir.join("live.sqlite")).unwrap();
    let mut a = example_service();
    a.id = "a".into();
    store.seed("test", std::slice::from_ref(&a)).unwrap();
    let copy = dir.join("copy.sqlite");
    store.backup_to(&copy).unwrap();
    assert!(store.backup_to(&copy).is_err(), "never overwrites a file");
    // Later writes are undone by the restore.
    let mut b = a.clone();
    b.id = "b".into();
    store.upsert(&b).unwrap();
    assert_eq!(store.count().unwrap(), 2);
    store.restore_from(&copy).unwrap();
    assert_eq!(store.services().unwrap(), vec![a]);
    assert_eq!(store.seeded().unwrap(), ["test"]);
    // A file that is not a Bússola database changes nothing.
    let junk = dir.join("junk.sqlite");
    std::fs::write(&junk, b"not a database").unwrap();
    assert!(store.restore_from(&junk).is_err());
    assert_eq!(store.count().unwrap(), 1);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn persists_across_reopen() {
    let dir = std::env::temp_dir().join(format!("bussola-store-{}", std::process::id()));
    let path = dir.join("t.sqlite");
    let _ = std::fs::remove_file(&path);
    {
        let store = SqliteStore::open(&path).unwrap();
        store.seed("x", &[example_service()]).unwrap();
    }
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.count().unwrap(), 1);
    let _ = std::fs::remove_dir_all(dir);
}
