use super::*;
use crate::store::{Accounts, SqliteStore};

fn provider(email: &str) -> NewUser {
    NewUser {
        email: email.into(),
        role: Role::Provider,
        provider: Some("p1".into()),
        municipalities: Vec::new(),
    }
}

#[test]
fn a_login_link_works_once_and_only_before_it_expires() {
    let store = SqliteStore::in_memory().unwrap();
    let (user, raw) = invite(&store, &provider("a@example.pt"), 1_000).unwrap();
    assert_eq!(raw.len(), 64);
    let s = login(&store, &raw, 2_000).unwrap();
    assert_eq!(s.user, user);
    assert_eq!(
        authenticate(&store, &s.token, 2_001).unwrap().user.id,
        user.id
    );
    assert!(login(&store, &raw, 2_002).is_err(), "a link is single-use");
    let late = login_link_token(&store, user.id, 0).unwrap();
    assert!(login(&store, &late, LOGIN_TTL_SECS + 1).is_err());
    assert!(authenticate(&store, &s.token, s.expires).is_err());
    assert!(store.revoke_token(s.id, 2_003).unwrap());
    assert!(authenticate(&store, &s.token, 2_004).is_err());
}

#[test]
fn accounts_are_checked_before_they_are_made() {
    let known = |m: &str| m == "0705";
    assert!(check_new_user(&provider("a@example.pt"), known).is_ok());
    let mut no_provider = provider("a@example.pt");
    no_provider.provider = None;
    assert!(check_new_user(&no_provider, known).is_err());
    assert!(check_new_user(&provider("not-an-address"), known).is_err());
    let mut m = NewUser {
        role: Role::Moderator,
        ..provider("m@example.pt")
    };
    assert!(
        check_new_user(&m, known).is_err(),
        "a moderator needs an area"
    );
    m.municipalities = vec!["0705".into(), "9999".into()];
    assert!(check_new_user(&m, known).is_err());
    m.municipalities.pop();
    assert!(check_new_user(&m, known).is_ok());
    let store = SqliteStore::in_memory().unwrap();
    store.add_user(&m).unwrap();
    assert!(store.add_user(&m).is_err(), "one account per address");
}
