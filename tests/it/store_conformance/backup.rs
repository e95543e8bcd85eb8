//! Backup and restore, and what a failing backend reports.
use super::services::service;
use super::Open;
use bussola::store::StoreError;
use bussola::Error;
use std::path::Path;

pub fn a_backup_restores_what_was_stored_then(open: &Open, dir: &Path) {
    let store = open(dir);
    store.seed("r", &[service("a")]).unwrap();
    store
        .add_feedback(
            "a",
            bussola::feedback::Problem::Closed,
            None,
            "2026-12-01T00:00:00Z",
        )
        .unwrap();
    let copy = dir.join("backup");
    store.backup(&copy).unwrap();
    assert!(store.backup(&copy).is_err(), "never overwrites a file");
    // What is written after the backup is undone by restoring it.
    store.upsert(&service("b")).unwrap();
    store.resolve_feedback(1).unwrap();
    store.restore(&copy).unwrap();
    assert_eq!(store.services().unwrap(), vec![service("a")]);
    assert_eq!(store.seeded().unwrap(), ["r"]);
    assert_eq!(
        store.feedback(None).unwrap()[0].status,
        bussola::feedback::Status::Open
    );
    // The restored store takes writes again.
    store.upsert(&service("c")).unwrap();
    assert_eq!(store.count().unwrap(), 2);
}

pub fn a_restore_keeps_what_was_revoked_or_used_since(open: &Open, dir: &Path) {
    use super::accounts::{login, new_user};
    use bussola::account::Role;
    use bussola::store::{NewToken, TokenKind};
    let store = open(dir);
    let u = store
        .add_user(
            &new_user("a@example.org", Role::Admin),
            &login("link", 9_000),
        )
        .unwrap();
    let session = |hash: &str| NewToken {
        user: u.id,
        kind: TokenKind::Session,
        hash: hash.into(),
        csrf_hash: None,
        created: 1_000,
        expires: 9_000,
    };
    let s1 = store.put_token(&session("s1")).unwrap();
    store.put_token(&session("s2")).unwrap();
    let copy = dir.join("backup");
    store.backup(&copy).unwrap();
    // After the backup: one session revoked, the login link used, a new session made.
    assert!(store.revoke_token(s1, 2_000).unwrap());
    assert_eq!(store.take_login("link", 2_000).unwrap(), Some(u.id));
    store.put_token(&session("s3")).unwrap();
    store.restore(&copy).unwrap();
    assert!(
        store.session("s1", 3_000).unwrap().is_none(),
        "still revoked"
    );
    assert_eq!(store.take_login("link", 3_000).unwrap(), None, "still used");
    assert!(
        store.session("s2", 3_000).unwrap().is_some(),
        "never revoked"
    );
    assert!(
        store.session("s3", 3_000).unwrap().is_none(),
        "made after the backup"
    );
    // The backup itself is left as it was: restored into a fresh store, it has s1 live.
    let fresh = open(&dir.join("fresh"));
    fresh.restore(&copy).unwrap();
    assert!(fresh.session("s1", 3_000).unwrap().is_some());
}

pub fn a_bad_backup_changes_nothing(open: &Open, dir: &Path) {
    let store = open(dir);
    store.seed("r", &[service("a")]).unwrap();
    let junk = dir.join("junk");
    std::fs::write(&junk, b"not a database at all").unwrap();
    assert!(store.restore(&junk).is_err());
    assert!(store.restore(&dir.join("missing")).is_err());
    assert_eq!(store.services().unwrap(), vec![service("a")]);
    store.upsert(&service("b")).unwrap();
    assert_eq!(store.count().unwrap(), 2, "still usable");
}

pub fn a_backend_failure_keeps_its_cause(open: &Open, dir: &Path) {
    let store = open(dir);
    // A backup into a folder that does not exist fails in the backend.
    let e = store
        .backup(&dir.join("no-such-folder").join("backup"))
        .unwrap_err();
    match &e {
        Error::Store(StoreError::Backend { .. }) => {}
        other => panic!("expected a backend error, got {other:?}"),
    }
    let cause = std::error::Error::source(&e).and_then(std::error::Error::source);
    assert!(cause.is_some(), "the engine's own error is kept: {e:?}");
    assert!(e.to_string().contains("backup"), "{e}");
}
