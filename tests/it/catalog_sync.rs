//! The store and the R-tree stay in step; a refused write changes nothing; data survives restarts.
use crate::common::demo_manifest;
use bussola::catalog::{Catalog, Filter, NearestQuery};
use bussola::model::Facts;
use bussola::region::Region;
use bussola::store::{SqliteStore, Store};

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

#[test]
fn writes_reach_store_and_index_and_survive_a_restart() {
    let dir = std::env::temp_dir().join(format!("bussola-sync-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let db = dir.join("db.sqlite");
    let region = Region::load(&demo_manifest()).unwrap().region;
    let n = region.services.len();

    let cat = Catalog::open(region.clone(), Box::new(SqliteStore::open(&db).unwrap())).unwrap();
    assert_eq!(cat.len().unwrap(), n);
    let v0 = cat.version().unwrap();
    // Move a service to Monsaraz castle: it becomes the nearest there.
    let mut s = cat.get("demo-0711-erpi-1").unwrap();
    s.lon = -7.3808;
    s.lat = 38.4433;
    cat.upsert(s.clone()).unwrap();
    assert_eq!(nearest_id(&cat, -7.3808, 38.4433), "demo-0711-erpi-1");
    assert!(cat.version().unwrap() > v0);

    // A refused write (latitude 123) changes neither store nor index.
    let mut bad = s.clone();
    bad.id = "bad".into();
    bad.lat = 123.0;
    let err = cat.upsert(bad).unwrap_err();
    assert!(err.to_string().contains("lat"), "{err}");
    let mut unknown = s.clone();
    unknown.id = "unknown-type".into();
    unknown.type_code = "HOSPITAL".into();
    assert!(cat.upsert(unknown).is_err());
    assert_eq!(cat.len().unwrap(), n);

    cat.delete("demo-0705-erpi-1").unwrap();
    assert!(cat.get("demo-0705-erpi-1").is_err());
    assert!(
        cat.delete("demo-0705-erpi-1").is_err(),
        "deleting twice is not found"
    );
    drop(cat);

    // Restart: the store is not seeded again; the edits are still there.
    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(store.count().unwrap(), n - 1);
    let cat = Catalog::open(region, Box::new(store)).unwrap();
    assert_eq!(cat.len().unwrap(), n - 1);
    assert!(cat.get("demo-0705-erpi-1").is_err());
    assert_eq!(cat.get("demo-0711-erpi-1").unwrap().lon, -7.3808);
    assert_eq!(nearest_id(&cat, -7.3808, 38.4433), "demo-0711-erpi-1");
    let _ = std::fs::remove_dir_all(dir);
}
