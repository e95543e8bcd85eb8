//! Accounts and signed-in requests for the API tests.
use axum::http::StatusCode;
use axum::Router;
use bussola::auth::{self, NewUser, Role};
use bussola::catalog::Catalog;
use serde_json::Value;

/// An account made through the library and a session for it: (user id, session id, token).
pub fn account(
    cat: &Catalog,
    email: &str,
    role: Role,
    provider: Option<&str>,
    munis: &[&str],
) -> (i64, i64, String) {
    let new = NewUser {
        email: email.into(),
        role,
        provider: provider.map(String::from),
        municipalities: munis.iter().map(|m| m.to_string()).collect(),
    };
    let (user, raw) = auth::invite(cat.store(), &new, auth::now()).expect("invited");
    let s = auth::login(cat.store(), &raw, auth::now()).expect("logged in");
    (user.id, s.id, s.token)
}

/// The session token of a new account (see [`account`]).
pub fn session(
    cat: &Catalog,
    email: &str,
    role: Role,
    provider: Option<&str>,
    m: &[&str],
) -> String {
    account(cat, email, role, provider, m).2
}

/// The `Authorization` header value for a token.
pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

/// Sends a request with a session token (and a body, if not empty); status and JSON.
pub async fn call(
    app: &Router,
    method: &str,
    uri: &str,
    token: &str,
    body: &str,
) -> (StatusCode, Value) {
    let auth = bearer(token);
    let (st, _, v) = super::send(app, method, uri, &[("authorization", &auth)], body).await;
    (st, v)
}
