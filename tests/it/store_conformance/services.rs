//! Services and their providers: what is stored comes back the same, writes are whole.
use super::Open;
use bussola::demo::example_service;
use bussola::model::Service;
use std::path::Path;

/// A distinct service (id, name, place) for the checks.
pub fn service(id: &str) -> Service {
    let mut s = example_service();
    s.id = id.into();
    s.name = format!("Serviço {id}");
    s
}

pub fn round_trip_and_order(open: &Open, dir: &Path) {
    let store = open(dir);
    assert_eq!(store.count().unwrap(), 0, "a new store is empty");
    let mut b = service("b");
    b.capacity = None;
    b.contact.phone = None;
    b.provenance.push(bussola::model::Provenance {
        source: "osm".into(),
        record: "node/1".into(),
        fields: [("name".to_string(), "Creche B".to_string())].into(),
    });
    let a = service("a");
    store.seed("r", &[b.clone(), a.clone()]).unwrap();
    // Every field comes back as written, in id order whatever the write order.
    assert_eq!(store.services().unwrap(), vec![a.clone(), b.clone()]);
    assert_eq!(store.count().unwrap(), 2);
    let mut a2 = a.clone();
    a2.capacity = Some(99);
    a2.name = "Lar Renovado".into();
    store.upsert(&a2).unwrap();
    assert_eq!(store.services().unwrap(), vec![a2, b.clone()]);
    assert!(store.delete("a").unwrap(), "a stored service is deleted");
    assert!(!store.delete("a").unwrap(), "deleting twice finds nothing");
    assert_eq!(store.services().unwrap(), vec![b]);
}

pub fn every_write_moves_the_version_and_reads_do_not(open: &Open, dir: &Path) {
    let store = open(dir);
    let mut last = store.version().unwrap();
    let mut step = |what: &str, moved: bool| {
        let v = store.version().unwrap();
        assert_eq!(v != last, moved, "{what}: version {last} -> {v}");
        last = v;
    };
    store.seed("r", &[service("a")]).unwrap();
    step("seed", true);
    store.services().unwrap();
    store.count().unwrap();
    step("reads", false);
    store.upsert(&service("b")).unwrap();
    step("upsert", true);
    store.upsert_many(&[service("c"), service("d")]).unwrap();
    step("upsert_many", true);
    store.upsert_many(&[]).unwrap();
    step("an empty batch", false);
    assert!(!store.delete("zz").unwrap());
    step("deleting what is not there", false);
    store.delete("c").unwrap();
    step("delete", true);
}

pub fn seeding_is_per_region(open: &Open, dir: &Path) {
    let store = open(dir);
    assert!(store.seeded().unwrap().is_empty());
    store.seed("zeta", &[service("z1")]).unwrap();
    store.seed("alfa", &[service("a1")]).unwrap();
    // A region whose services were all deleted stays seeded (it is not seeded again).
    store.delete("z1").unwrap();
    assert_eq!(store.seeded().unwrap(), ["alfa", "zeta"]);
    store.seed("empty", &[]).unwrap();
    assert_eq!(store.seeded().unwrap(), ["alfa", "empty", "zeta"]);
    assert_eq!(store.count().unwrap(), 1);
}

pub fn a_failed_batch_writes_nothing(open: &Open, dir: &Path) {
    let store = open(dir);
    store.seed("r", &[service("kept")]).unwrap();
    let v = store.version().unwrap();
    // Coordinates outside WGS84's ranges are refused by every backend.
    let mut bad = service("bad");
    bad.lat = 123.0;
    let mut also_bad = service("bad2");
    also_bad.lon = 500.0;
    for batch in [vec![service("new"), bad.clone()], vec![also_bad.clone()]] {
        assert!(store.upsert_many(&batch).is_err(), "refused");
        assert!(store.seed("other", &batch).is_err(), "refused");
    }
    assert!(store.upsert(&bad).is_err());
    assert_eq!(store.services().unwrap(), vec![service("kept")]);
    assert_eq!(store.version().unwrap(), v, "nothing was written");
    assert_eq!(
        store.seeded().unwrap(),
        ["r"],
        "a refused seed is not recorded"
    );
}

pub fn an_organisation_keeps_its_contact(open: &Open, dir: &Path) {
    let store = open(dir);
    let mut a = service("a");
    a.provider.contact.phone = Some("+351 266 000 000".into());
    store.seed("r", std::slice::from_ref(&a)).unwrap();
    // A record from an import knows no contact for the organisation: the stored one stays,
    // and every service of the organisation shows it.
    let mut b = service("b");
    b.provider.contact = Default::default();
    b.provider.name = "Associação Exemplo (novo nome)".into();
    store.upsert(&b).unwrap();
    let got = store.services().unwrap();
    for s in &got {
        assert_eq!(
            s.provider.contact.phone.as_deref(),
            Some("+351 266 000 000"),
            "{}",
            s.id
        );
        assert_eq!(
            s.provider.name, "Associação Exemplo (novo nome)",
            "{}",
            s.id
        );
    }
}

pub fn data_outlives_the_store_value(open: &Open, dir: &Path) {
    {
        let store = open(dir);
        store.seed("r", &[service("a"), service("b")]).unwrap();
    }
    let store = open(dir);
    assert_eq!(store.count().unwrap(), 2, "written data is durable");
    assert_eq!(store.seeded().unwrap(), ["r"]);
    assert!(!store.describe().is_empty());
}

pub fn many_services_come_back_whole_and_in_order(open: &Open, dir: &Path) {
    let store = open(dir);
    // More than a few batches of whatever size a backend reads in.
    let many: Vec<Service> = (0..10_000)
        .map(|i| {
            let mut s = service(&format!("m{i:05}"));
            s.capacity = Some(i % 97);
            s
        })
        .collect();
    store.seed("r", &many).unwrap();
    let got = store.services().unwrap();
    assert_eq!(got.len(), many.len());
    assert!(got == many, "every record, in id order");
}

/// Briefs (what the index is built from) say what the records say, after every kind of write,
/// whatever the text holds; records are read by id in the order asked.
pub fn briefs_and_records_by_id_agree_with_the_records(open: &Open, dir: &Path) {
    use bussola::model::{Brief, Codes, Facts, Precision};
    let store = open(dir);
    let mut a = service("a");
    a.name = "Lar \"O Sol\" — Évora\\Sé".into();
    a.locality = Some("São Mamede".into());
    a.capacity = Some(40);
    a.precision = Precision::PostalCode;
    let mut b = service("b");
    b.locality = None;
    b.capacity = None;
    b.demo = true;
    store.seed("r", &[a.clone(), b.clone()]).unwrap();
    let mut c = service("c");
    c.type_code = "CRECHE".into();
    c.provider.id = "outra".into();
    store.upsert(&c).unwrap();
    a.capacity = Some(41);
    a.lon += 0.5;
    store.upsert_many(&[a.clone()]).unwrap();
    store.delete("b").unwrap();
    let (mut briefs, _) = store.briefs().unwrap();
    briefs.sort_by(|a, b| a.id().cmp(b.id()));
    let mut codes = Codes::default();
    let want: Vec<Brief> = store
        .services()
        .unwrap()
        .iter()
        .map(|s| Brief::of(s, &mut codes))
        .collect();
    assert_eq!(briefs, want);
    assert_eq!(briefs.len(), 2);
    let got = store.services_by_id(&["c", "nope", "a"]).unwrap();
    let ids: Vec<&str> = got.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["c", "a"], "in the order asked, the unknown left out");
    assert_eq!(got[1], a);
    assert_eq!(got[0].provider.id, "outra");
}
