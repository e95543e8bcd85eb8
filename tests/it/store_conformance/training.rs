//! Training offers: written with their change rows in one transaction, read back typed, the
//! demonstration offers seeded once in a store's life; trainers are accounts like others.
use super::Open;
use bussola::account::Role;
use bussola::model::training::{Offer, OfferStatus};
use bussola::store::{ChangeQuery, ChangeStatus, EditWrite, NewChange, Subject};
use serde_json::json;
use std::path::Path;

fn offer(id: &str, status: OfferStatus) -> Offer {
    Offer {
        id: id.into(),
        title: format!("Curso {id}"),
        start: "2027-01-10".into(),
        end: "2027-01-20".into(),
        position: Some([-7.9, 38.57]),
        status,
        ..Offer::default()
    }
}

fn first_row(id: &str) -> NewChange {
    NewChange {
        subject: Subject::Training,
        service_id: id.into(),
        field: "offer".into(),
        old: json!(null),
        new: json!({"id": id}),
        user_id: None,
        role: None,
        source: "trainer".into(),
        status: ChangeStatus::Pending,
        created: 1_800_000_000,
        reverts: None,
    }
}

pub fn offers_are_written_with_their_changes_and_read_back(open: &Open, dir: &Path) {
    let store = open(dir);
    let ids = store
        .write_edit(&EditWrite {
            new: vec![first_row("tr-b"), first_row("tr-a")],
            offers: vec![
                offer("tr-b", OfferStatus::Pending),
                offer("tr-a", OfferStatus::Published),
            ],
            ..EditWrite::default()
        })
        .unwrap();
    assert_eq!(ids.len(), 2);
    let all = store.offers().unwrap();
    let got: Vec<(&str, OfferStatus)> = all.iter().map(|o| (o.id.as_str(), o.status)).collect();
    assert_eq!(
        got,
        [
            ("tr-a", OfferStatus::Published),
            ("tr-b", OfferStatus::Pending)
        ]
    );
    assert_eq!(
        store.offer("tr-a").unwrap().unwrap(),
        offer("tr-a", OfferStatus::Published)
    );
    assert!(store.offer("tr-zz").unwrap().is_none());
    let q = ChangeQuery {
        subject: Some(Subject::Training),
        service_id: Some("tr-b".into()),
        ..ChangeQuery::default()
    };
    assert_eq!(store.changes(&q).unwrap().len(), 1);

    // A refused decision writes none of the offers it came with.
    let refused = store.write_edit(&EditWrite {
        decide: Some(bussola::store::Decision {
            id: 999_999,
            status: ChangeStatus::Applied,
            by: 1,
            at: 1,
            old: None,
        }),
        offers: vec![offer("tr-c", OfferStatus::Published)],
        ..EditWrite::default()
    });
    assert!(refused.is_err());
    assert!(store.offer("tr-c").unwrap().is_none());

    // Still there after reopening the file.
    drop(store);
    let again = open(dir);
    assert_eq!(again.offers().unwrap().len(), 2);
}

pub fn demonstration_offers_are_seeded_once(open: &Open, dir: &Path) {
    let store = open(dir);
    assert!(store
        .seed_offers(&[offer("tr-demo-1", OfferStatus::Published)])
        .unwrap());
    assert!(!store
        .seed_offers(&[offer("tr-demo-2", OfferStatus::Published)])
        .unwrap());
    let ids: Vec<String> = store.offers().unwrap().into_iter().map(|o| o.id).collect();
    assert_eq!(ids, ["tr-demo-1"]);
    let trainer = store.add_user(
        &bussola::account::NewUser {
            email: "t@example.org".into(),
            role: Role::Trainer,
            provider: Some("entidade-x".into()),
            municipalities: vec![],
        },
        &super::accounts::login("lt", 9),
    );
    let t = trainer.unwrap();
    assert_eq!(
        (t.role, t.provider.as_deref()),
        (Role::Trainer, Some("entidade-x"))
    );
}
