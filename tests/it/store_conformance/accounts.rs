//! Accounts and tokens: one account per address, links used once, sessions that end.
use super::Open;
use bussola::account::{NewUser, Role};
use bussola::error::Refusal;
use bussola::store::{NewToken, TokenKind};
use bussola::Error;
use std::path::Path;

pub fn login(hash: &str, expires: i64) -> NewToken {
    NewToken {
        user: 0,
        kind: TokenKind::Login,
        hash: hash.into(),
        csrf_hash: None,
        created: 1_000,
        expires,
    }
}

pub fn new_user(email: &str, role: Role) -> NewUser {
    NewUser {
        email: email.into(),
        role,
        provider: (role == Role::Provider).then(|| "p-example".to_string()),
        municipalities: if role == Role::Moderator {
            vec!["0705".into(), "0701".into()]
        } else {
            vec![]
        },
    }
}

pub fn accounts_are_unique_by_email_in_any_case(open: &Open, dir: &Path) {
    let store = open(dir);
    let m = store
        .add_user(
            &new_user("Ana@Example.org ", Role::Moderator),
            &login("l1", 9_000),
        )
        .unwrap();
    assert_eq!(m.email, "ana@example.org", "kept trimmed, in lower case");
    assert_eq!(m.municipalities, ["0705", "0701"]);
    let again = store.add_user(
        &new_user("ANA@example.org", Role::Admin),
        &login("l2", 9_000),
    );
    assert!(
        matches!(
            again,
            Err(Error::Refused {
                kind: Refusal::Conflict,
                ..
            })
        ),
        "{again:?}"
    );
    // The refused account wrote nothing, not even its login link.
    assert_eq!(store.take_login("l2", 2_000).unwrap(), None);
    let p = store
        .add_user(
            &new_user("bruno@example.org", Role::Provider),
            &login("l3", 9_000),
        )
        .unwrap();
    assert_eq!(p.provider.as_deref(), Some("p-example"));
    assert_eq!(store.user(p.id).unwrap(), Some(p.clone()));
    assert_eq!(
        store.user_by_email(" BRUNO@example.org").unwrap(),
        Some(p.clone())
    );
    assert_eq!(store.user(p.id + 1_000).unwrap(), None);
    let all: Vec<String> = store
        .users()
        .unwrap()
        .into_iter()
        .map(|u| u.email)
        .collect();
    assert_eq!(all, ["ana@example.org", "bruno@example.org"], "by address");
}

pub fn a_login_link_works_once_and_not_after_expiry(open: &Open, dir: &Path) {
    let store = open(dir);
    let u = store
        .add_user(
            &new_user("a@example.org", Role::Admin),
            &login("first", 5_000),
        )
        .unwrap();
    assert_eq!(store.take_login("first", 4_999).unwrap(), Some(u.id));
    assert_eq!(
        store.take_login("first", 4_999).unwrap(),
        None,
        "used once only"
    );
    let late = NewToken {
        user: u.id,
        ..login("late", 5_000)
    };
    store.put_token(&late).unwrap();
    assert_eq!(store.take_login("late", 5_000).unwrap(), None, "expired");
    assert_eq!(store.take_login("nobody", 1).unwrap(), None);
}

pub fn sessions_end_when_revoked_or_expired(open: &Open, dir: &Path) {
    let store = open(dir);
    let u = store
        .add_user(
            &new_user("a@example.org", Role::Moderator),
            &login("l", 5_000),
        )
        .unwrap();
    let session = |hash: &str, expires: i64| NewToken {
        user: u.id,
        kind: TokenKind::Session,
        hash: hash.into(),
        csrf_hash: Some(format!("csrf-{hash}")),
        created: 1_000,
        expires,
    };
    let s1 = store.put_token(&session("s1", 10_000)).unwrap();
    let s2 = store.put_token(&session("s2", 10_000)).unwrap();
    assert_ne!(s1, s2);
    let row = store.session("s1", 2_000).unwrap().unwrap();
    assert_eq!((row.id, row.user.clone()), (s1, u.clone()));
    assert_eq!(row.csrf_hash.as_deref(), Some("csrf-s1"));
    assert!(store.session("s1", 10_000).unwrap().is_none(), "expired");
    assert!(
        store.session("l", 2_000).unwrap().is_none(),
        "a login link is no session"
    );
    assert_eq!(store.token_owner(s2).unwrap(), Some(u.id));
    assert_eq!(store.token_owner(s2 + 1_000).unwrap(), None);
    assert!(store.revoke_token(s1, 3_000).unwrap());
    assert!(!store.revoke_token(s1, 3_001).unwrap(), "already revoked");
    assert!(store.session("s1", 3_500).unwrap().is_none());
    assert!(
        store.session("s2", 3_500).unwrap().is_some(),
        "the other session lives"
    );
    // Revoking the account ends its live tokens: session s2 and the unused login link.
    assert_eq!(store.revoke_user(u.id, 4_000).unwrap(), 2);
    assert!(store.session("s2", 4_500).unwrap().is_none());
    assert_eq!(store.take_login("l", 4_500).unwrap(), None);
}
