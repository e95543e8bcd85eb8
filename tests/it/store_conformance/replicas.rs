//! Several processes on one store: a store that tells a process of others' writes
//! ([`Store::watch`]) also says what they changed ([`Store::changed_since`]), and one that
//! shares rate limits shares them between every process on it.
use super::services::service;
use super::Open;
use bussola::store::Store;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

/// Starts `store` listening; whether it hears others' writes, and where it says so.
fn listening(store: &dyn Store) -> (bool, mpsc::Receiver<()>) {
    let (tx, rx) = mpsc::channel();
    let hears = store
        .watch(Box::new(move || {
            let _ = tx.send(());
        }))
        .unwrap();
    if hears {
        // The first call comes once it listens (writes before then are caught up by it).
        rx.recv_timeout(Duration::from_secs(10))
            .expect("called once listening");
    }
    (hears, rx)
}

fn ids(services: &[bussola::model::Service]) -> Vec<&str> {
    services.iter().map(|s| s.id.as_str()).collect()
}

pub fn another_process_hears_and_learns_what_changed(open: &Open, dir: &Path) {
    let a = open(dir);
    let b = open(dir);
    let (hears, heard) = listening(&*b);
    // p1 and p2 belong to an organisation of their own (the others share one).
    let mut p1 = service("p1");
    p1.provider.id = "other-organisation".into();
    let mut p2 = service("p2");
    p2.provider = p1.provider.clone();
    a.seed("r", &[service("a"), service("b"), p1.clone(), p2])
        .unwrap();
    let v0 = b.version().unwrap();
    if !hears {
        // A store that tells nobody need not keep a log; what it does say must hold.
        if let Some(c) = b.changed_since(v0).unwrap() {
            assert!(c.services.is_empty() && c.removed.is_empty(), "{c:?}");
        }
        return;
    }
    heard
        .recv_timeout(Duration::from_secs(1))
        .expect("the seed is heard within a second");

    // Process A writes; B is told within a second, and learns exactly what changed.
    let mut a2 = service("a");
    a2.capacity = Some(7);
    a.upsert(&a2).unwrap();
    assert!(a.delete("b").unwrap());
    a.upsert_many(&[service("c")]).unwrap();
    heard
        .recv_timeout(Duration::from_secs(1))
        .expect("the writes are heard within a second");
    let c = b
        .changed_since(v0)
        .unwrap()
        .expect("a listening store logs");
    assert_eq!(c.version, b.version().unwrap());
    assert_eq!(c.version, a.version().unwrap());
    assert_eq!(ids(&c.services), ["a", "c"], "written, as stored now");
    assert_eq!(c.services[0].capacity, Some(7));
    assert_eq!(c.removed, ["b"]);
    let none = b.changed_since(c.version).unwrap().expect("up to date");
    assert!(none.services.is_empty() && none.removed.is_empty());

    // An organisation's new record reaches every one of its services.
    let mut renamed = p1;
    renamed.provider.name = "Santa Casa Renomeada".into();
    a.upsert(&renamed).unwrap();
    let c2 = b.changed_since(c.version).unwrap().expect("logged");
    assert_eq!(ids(&c2.services), ["p1", "p2"]);
    assert!(c2
        .services
        .iter()
        .all(|s| s.provider.name == "Santa Casa Renomeada"));

    // A version it never reached, or one before a restore: read everything again.
    assert!(b.changed_since(c2.version + 10).unwrap().is_none());
    let copy = dir.join("before.backup");
    a.backup(&copy).unwrap();
    a.upsert(&service("d")).unwrap();
    a.restore(&copy).unwrap();
    let after = b.version().unwrap();
    assert!(after > c2.version, "a restore moves the version on");
    assert!(
        b.changed_since(c2.version).unwrap().is_none(),
        "what a restore changed is not in the log"
    );
    assert!(b.changed_since(after).unwrap().is_some());
}

pub fn rate_limits_are_shared_by_every_process(open: &Open, dir: &Path) {
    let a = open(dir);
    let b = open(dir);
    let (Some(la), Some(lb)) = (a.shared_limits(), b.shared_limits()) else {
        assert!(
            a.shared_limits().is_none() && b.shared_limits().is_none(),
            "a backend shares limits or does not"
        );
        return;
    };
    // Three at once, then one every 1000 s: wherever the client goes.
    for (i, l) in [la, lb, la].into_iter().enumerate() {
        assert_eq!(
            l.take("login:10.0.0.1", 3.0, 0.001).unwrap(),
            None,
            "take {i}"
        );
    }
    let wait = lb.take("login:10.0.0.1", 3.0, 0.001).unwrap();
    assert!(wait.is_some_and(|w| w > 900.0 && w <= 1000.0), "{wait:?}");
    assert!(
        la.take("login:10.0.0.1", 3.0, 0.001).unwrap().is_some(),
        "refused by the other process too"
    );
    // Tokens come back with time (20 a second here).
    assert_eq!(la.take("write:10.0.0.3", 1.0, 20.0).unwrap(), None);
    assert!(lb.take("write:10.0.0.3", 1.0, 20.0).unwrap().is_some());
    std::thread::sleep(Duration::from_millis(150));
    assert_eq!(lb.take("write:10.0.0.3", 1.0, 20.0).unwrap(), None);
    // Another client has a bucket of its own.
    assert_eq!(lb.take("login:10.0.0.2", 3.0, 0.001).unwrap(), None);
}

pub fn two_processes_writing_the_same_services_both_land(open: &Open, dir: &Path) {
    // Each of its own organisation, so nothing but the services orders the two writes.
    let service = |id: &str| {
        let mut s = service(id);
        s.provider.id = format!("organisation-{id}");
        s
    };
    let a = open(dir);
    let b = open(dir);
    a.seed("r", &[service("x"), service("y")]).unwrap();
    let v0 = a.version().unwrap();
    // The same two services, written in opposite orders at the same time: neither process
    // may fail (a deadlock would), and each write moves the version once.
    const ROUNDS: u32 = 40;
    std::thread::scope(|s| {
        for (store, first, second) in [(&a, "x", "y"), (&b, "y", "x")] {
            s.spawn(move || {
                for i in 0..ROUNDS {
                    let mut one = service(first);
                    one.capacity = Some(i);
                    let mut two = service(second);
                    two.capacity = Some(i);
                    store.upsert_many(&[one, two]).unwrap();
                }
            });
        }
    });
    let v1 = b.version().unwrap();
    assert!(v1 > v0);
    let stored = a.services().unwrap();
    assert!(
        stored.iter().all(|s| s.capacity == Some(ROUNDS - 1)),
        "{stored:?}"
    );
    if let Some(c) = b.changed_since(v0).unwrap() {
        assert_eq!(v1 - v0, u64::from(2 * ROUNDS), "one version per write");
        assert_eq!(ids(&c.services), ["x", "y"]);
    }
}
