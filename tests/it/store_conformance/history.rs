//! The change history: an edit is written whole, changes are found again, decisions are final.
use super::services::service;
use super::Open;
use bussola::error::Refusal;
use bussola::store::Store;
use bussola::store::{ChangeQuery, ChangeStatus, Decision, EditWrite, NewChange, Subject};
use bussola::Error;
use serde_json::{json, Value};
use std::path::Path;

/// Two accounts to write and decide changes: (provider, moderator).
fn people(store: &dyn Store) -> (i64, i64) {
    use super::accounts::{login, new_user};
    use bussola::account::Role;
    let p = store.add_user(&new_user("p@example.org", Role::Provider), &login("lp", 9));
    let m = store.add_user(&new_user("m@example.org", Role::Moderator), &login("lm", 9));
    (p.unwrap().id, m.unwrap().id)
}

fn change(
    service_id: &str,
    field: &str,
    old: Value,
    new: Value,
    status: ChangeStatus,
) -> NewChange {
    NewChange {
        subject: Subject::Service,
        service_id: service_id.into(),
        field: field.into(),
        old,
        new,
        user_id: None,
        role: None,
        source: "import".into(),
        status,
        created: 1_700_000_000,
        reverts: None,
    }
}

pub fn edits_are_written_whole_with_their_changes(open: &Open, dir: &Path) {
    let store = open(dir);
    let (provider, _) = people(&*store);
    store.seed("r", &[service("a")]).unwrap();
    let v = store.version().unwrap();
    let mut a = service("a");
    a.capacity = Some(45);
    let by_provider = |mut c: NewChange| {
        (c.user_id, c.role, c.source) =
            (Some(provider), Some("provider".into()), "provider".into());
        c
    };
    // A change by an account that does not exist is refused, with the service it came with.
    let nobody = NewChange {
        user_id: Some(provider + 1_000),
        ..by_provider(change(
            "a",
            "capacity",
            json!(40),
            json!(45),
            ChangeStatus::Applied,
        ))
    };
    let refused = store.write_edit(&EditWrite {
        services: vec![a.clone()],
        new: vec![nobody],
        decide: None,
        offers: Vec::new(),
    });
    assert!(refused.is_err(), "{refused:?}");
    assert_eq!(store.services().unwrap(), vec![service("a")]);
    assert_eq!(store.version().unwrap(), v);
    let ids = store
        .write_edit(&EditWrite {
            services: vec![a.clone()],
            new: vec![
                by_provider(change(
                    "a",
                    "capacity",
                    json!(40),
                    json!(45),
                    ChangeStatus::Applied,
                )),
                // Values keep their JSON type: objects, nulls, text with quotes.
                by_provider(change(
                    "a",
                    "contact",
                    json!({"phone": "+351 1", "email": null}),
                    json!({"phone": "+351 \"2\""}),
                    ChangeStatus::Pending,
                )),
            ],
            decide: None,
            offers: Vec::new(),
        })
        .unwrap();
    assert_eq!(ids.len(), 2);
    assert!(ids[0] < ids[1], "ids grow in write order");
    assert!(store.version().unwrap() > v, "the service changed");
    assert_eq!(store.services().unwrap(), vec![a]);
    let got = store.change(ids[1]).unwrap().unwrap();
    assert_eq!(got.status, ChangeStatus::Pending);
    assert_eq!(got.change.old, json!({"phone": "+351 1", "email": null}));
    assert_eq!(got.change.new, json!({"phone": "+351 \"2\""}));
    assert_eq!(
        (
            got.change.user_id,
            got.change.role.as_deref(),
            got.change.source.as_str()
        ),
        (Some(provider), Some("provider"), "provider")
    );
    assert_eq!((got.decided_by, got.decided), (None, None));
    // Change rows without a service record (a pending change only) leave the data version.
    let v = store.version().unwrap();
    store
        .write_edit(&EditWrite {
            new: vec![change(
                "a",
                "name",
                json!("x"),
                json!("y"),
                ChangeStatus::Pending,
            )],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(store.version().unwrap(), v);
    assert!(store.change(ids[1] + 1_000).unwrap().is_none());
}

pub fn changes_are_found_by_status_subject_and_service(open: &Open, dir: &Path) {
    let store = open(dir);
    store.seed("r", &[service("a"), service("b")]).unwrap();
    let mut org = change(
        "p-example",
        "name",
        json!("A"),
        json!("B"),
        ChangeStatus::Pending,
    );
    org.subject = Subject::Provider;
    store
        .write_edit(&EditWrite {
            new: vec![
                change("a", "capacity", json!(1), json!(2), ChangeStatus::Applied),
                change("b", "capacity", json!(1), json!(3), ChangeStatus::Pending),
                org,
                change("a", "name", json!("x"), json!("y"), ChangeStatus::Pending),
            ],
            ..Default::default()
        })
        .unwrap();
    let list = |q: ChangeQuery| -> Vec<(String, String)> {
        store
            .changes(&q)
            .unwrap()
            .into_iter()
            .map(|c| (c.change.service_id, c.change.field))
            .collect()
    };
    let pair = |s: &str, f: &str| (s.to_string(), f.to_string());
    assert_eq!(list(ChangeQuery::default()).len(), 4, "all, oldest first");
    assert_eq!(
        list(ChangeQuery {
            status: Some(ChangeStatus::Pending),
            ..Default::default()
        }),
        [
            pair("b", "capacity"),
            pair("p-example", "name"),
            pair("a", "name")
        ]
    );
    assert_eq!(
        list(ChangeQuery {
            subject: Some(Subject::Provider),
            ..Default::default()
        }),
        [pair("p-example", "name")]
    );
    assert_eq!(
        list(ChangeQuery {
            service_id: Some("a".into()),
            status: Some(ChangeStatus::Applied),
            subject: Some(Subject::Service),
        }),
        [pair("a", "capacity")]
    );
}

pub fn a_decision_is_taken_once(open: &Open, dir: &Path) {
    let store = open(dir);
    let (provider, moderator) = people(&*store);
    store.seed("r", &[service("a")]).unwrap();
    let ids = store
        .write_edit(&EditWrite {
            new: vec![change(
                "a",
                "capacity",
                json!(40),
                json!(50),
                ChangeStatus::Pending,
            )],
            ..Default::default()
        })
        .unwrap();
    let mut approved = service("a");
    approved.capacity = Some(50);
    let approve = |by: i64| EditWrite {
        services: vec![approved.clone()],
        new: vec![],
        decide: Some(Decision {
            id: ids[0],
            status: ChangeStatus::Applied,
            by,
            at: 1_800_000_000,
            old: Some(json!(41)),
        }),
        offers: Vec::new(),
    };
    store.write_edit(&approve(moderator)).unwrap();
    let c = store.change(ids[0]).unwrap().unwrap();
    assert_eq!(c.status, ChangeStatus::Applied);
    assert_eq!(
        (c.decided_by, c.decided),
        (Some(moderator), Some(1_800_000_000))
    );
    assert_eq!(
        c.change.old,
        json!(41),
        "the value it replaced as of the approval"
    );
    // A second decision (another moderator, at the same time) is refused and writes nothing.
    let mut other = approve(provider);
    other.services[0].capacity = Some(60);
    other.decide.as_mut().unwrap().status = ChangeStatus::Rejected;
    let v = store.version().unwrap();
    let e = store.write_edit(&other);
    assert!(
        matches!(
            e,
            Err(Error::Refused {
                kind: Refusal::Conflict,
                ..
            })
        ),
        "{e:?}"
    );
    assert_eq!(store.services().unwrap()[0].capacity, Some(50));
    assert_eq!(store.version().unwrap(), v);
    assert_eq!(
        store.change(ids[0]).unwrap().unwrap().decided_by,
        Some(moderator)
    );
}

/// A removal deletes the service and writes its closing in one transaction, moving the data
/// version once; removing a service that is not there writes nothing.
pub fn a_removal_writes_its_closing_with_it(open: &Open, dir: &Path) {
    let store = open(dir);
    store.upsert(&service("a")).unwrap();
    let before = store.version().unwrap();
    let closing = change(
        "a",
        "closed",
        json!({"type": "ERPI"}),
        Value::Null,
        ChangeStatus::Applied,
    );
    assert!(store
        .write_removal("a", std::slice::from_ref(&closing))
        .unwrap());
    assert_eq!(store.count().unwrap(), 0);
    assert_eq!(store.version().unwrap(), before + 1);
    let rows = store.changes(&ChangeQuery::default()).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].change.field, "closed");
    assert_eq!(rows[0].change.old, json!({"type": "ERPI"}));
    assert!(!store.write_removal("a", &[closing]).unwrap());
    assert_eq!(
        store.changes(&ChangeQuery::default()).unwrap().len(),
        1,
        "nothing written"
    );
    assert_eq!(store.version().unwrap(), before + 1);
}
