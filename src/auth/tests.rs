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
    invite(&store, &m, 0).unwrap();
    assert!(invite(&store, &m, 0).is_err(), "one account per address");
    assert_eq!(store.users().unwrap().len(), 1);
    // The account and its first link are one write: a link that cannot be stored (here, a
    // token hash already in use) leaves no account behind.
    let (_, token) = login_token(0, 0).unwrap();
    m.email = "b@example.pt".into();
    store.add_user(&m, &token).unwrap();
    m.email = "c@example.pt".into();
    assert!(store.add_user(&m, &token).is_err());
    assert!(store.user_by_email("c@example.pt").unwrap().is_none());
}

#[test]
fn an_invitation_keeps_only_its_roles_fields_and_names_every_problem() {
    use invite::{check_request, InviteRequest};
    let known = |m: &str| m == "0705";
    let provider_known = |p: &str| p == "p1";
    let req = InviteRequest {
        email: " Rede@Example.PT ".into(),
        role: "moderator".into(),
        provider: Some("p1".into()),
        municipalities: vec![" 0705 ".into()],
    };
    let u = check_request(&req, known, &provider_known).unwrap();
    assert_eq!(
        (u.email.as_str(), u.role, u.provider, u.municipalities),
        (
            "rede@example.pt",
            Role::Moderator,
            None,
            vec!["0705".to_string()]
        )
    );
    let admin = InviteRequest {
        role: "admin".into(),
        ..req.clone()
    };
    let u = check_request(&admin, known, &provider_known).unwrap();
    assert!(u.municipalities.is_empty() && u.provider.is_none());
    let bad = InviteRequest {
        email: "a@b@example".into(),
        role: "provider".into(),
        provider: Some("p2".into()),
        municipalities: vec![],
    };
    match check_request(&bad, known, &provider_known) {
        Err(Error::InvalidFields(f)) => {
            assert_eq!(f.keys().collect::<Vec<_>>(), ["email", "provider"]);
            assert!(f["provider"].contains("'p2'"), "{f:?}");
        }
        other => panic!("expected field errors, got {other:?}"),
    }
    for ok in ["a@example.pt", "a.b+c@mail.example.pt"] {
        assert_eq!(invite::email_problem(ok), None, "{ok}");
    }
    for bad in [
        "",
        "a@",
        "@example.pt",
        "a@example",
        "a b@example.pt",
        "a@example.",
    ] {
        assert!(invite::email_problem(bad).is_some(), "{bad}");
    }
    assert!(InviteRequest::from_json(b"[\"a@example.pt\", \"admin\"]").is_err());
    assert_eq!(
        InviteRequest::from_json(b"{\"role\": \"admin\"}")
            .unwrap()
            .email,
        ""
    );
}

#[test]
fn the_link_and_its_e_mail_say_where_for_how_long_and_who_asked() {
    let link = invite::LoginLink::new("https://mapa.example.pt/", "abc", 1_000);
    assert_eq!(link.login_url, "https://mapa.example.pt/login?token=abc");
    assert_eq!(link.expires, 1_000 + LOGIN_TTL_SECS);
    let user = User {
        id: 3,
        email: "lar@example.pt".into(),
        role: Role::Provider,
        provider: Some("p1".into()),
        municipalities: vec![],
    };
    let m = invite::mail(&user, None, "Alentejo Central", &link, true);
    assert_eq!(m.to, "lar@example.pt");
    assert!(m.subject.starts_with("Nova ligação"), "{}", m.subject);
    assert!(m.text.contains("A coordenação do Bússola") && m.text.contains("'p1'"));
    let d = invite::deliver(&crate::mail::LogOnly, &m, &link);
    assert_eq!((d.emailed, d.email_error), (false, None));
}
