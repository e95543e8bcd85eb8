//! Accounts and roles: who may edit what, single-use login links and revocable session tokens.
//!
//! Raw tokens are shown once (a login link, a login response) and stored only as SHA-256
//! hashes, so a copy of the database cannot be used to sign in.
pub mod invite;
mod token;

use crate::store::Store;
use crate::{Error, Result};
use serde::Serialize;
pub use token::{hash, new_token, now};

/// Accounts and roles live at the bottom, in [`crate::account`], where the store can use them;
/// re-exported here.
pub use crate::account::{NewUser, Role, User};

/// How long a login link stays valid: 7 days.
pub const LOGIN_TTL_SECS: i64 = 7 * 24 * 3600;
/// How long a session stays valid: 30 days.
pub const SESSION_TTL_SECS: i64 = 30 * 24 * 3600;

/// Checks a new account against the region: a provider names a provider id, a moderator at
/// least one known municipality; `municipality` says whether a code is the region's. The
/// first problem is the error (the API names them all, see [`invite::check_request`]).
pub fn check_new_user(u: &NewUser, municipality: impl Fn(&str) -> bool) -> Result<()> {
    match invite::problems(u, municipality, None).into_iter().next() {
        Some((field, message)) => Err(Error::param(&field, message)),
        None => Ok(()),
    }
}

/// Creates an account and its first single-use login token (valid [`LOGIN_TTL_SECS`]) in one
/// transaction; the raw token is returned once and only its hash is kept.
pub fn invite(store: &dyn Store, u: &NewUser, now: i64) -> Result<(User, String)> {
    let (raw, token) = login_token(0, now)?;
    let user = store.add_user(u, &token)?;
    Ok((user, raw))
}

/// A new single-use login token for an existing account.
pub fn login_link_token(store: &dyn Store, user: i64, now: i64) -> Result<String> {
    let (raw, token) = login_token(user, now)?;
    store.put_token(&token)?;
    Ok(raw)
}

/// A raw login token and the row that keeps its hash.
fn login_token(user: i64, now: i64) -> Result<(String, crate::store::NewToken)> {
    let raw = new_token()?;
    let token = crate::store::NewToken {
        user,
        kind: crate::store::TokenKind::Login,
        hash: hash(&raw),
        csrf_hash: None,
        created: now,
        expires: now + LOGIN_TTL_SECS,
    };
    Ok((raw, token))
}

/// A session issued at login: the raw bearer token and CSRF value are shown only here.
#[derive(Debug, Clone, Serialize)]
pub struct Session {
    /// The session's id (to revoke it with `DELETE /api/tokens/{id}`).
    pub id: i64,
    /// The bearer token.
    pub token: String,
    /// The value cookie-authenticated writes send in `X-CSRF-Token`.
    pub csrf: String,
    /// When it expires (Unix seconds).
    pub expires: i64,
    /// The account.
    pub user: User,
}

/// Exchanges a single-use login token for a session (valid [`SESSION_TTL_SECS`]); an unknown,
/// used, revoked or expired token is refused.
pub fn login(store: &dyn Store, raw: &str, now: i64) -> Result<Session> {
    let refused = || {
        Error::refused(
            crate::error::Refusal::Unauthenticated,
            "this login link is unknown, expired or already used; ask for a new one",
        )
    };
    let user_id = store.take_login(&hash(raw), now)?.ok_or_else(refused)?;
    let user = store.user(user_id)?.ok_or_else(refused)?;
    let (token, csrf) = (new_token()?, new_token()?);
    let expires = now + SESSION_TTL_SECS;
    let id = store.put_token(&crate::store::NewToken {
        user: user_id,
        kind: crate::store::TokenKind::Session,
        hash: hash(&token),
        csrf_hash: Some(hash(&csrf)),
        created: now,
        expires,
    })?;
    Ok(Session {
        id,
        token,
        csrf,
        expires,
        user,
    })
}

/// The account behind a raw session token, with the session's id and CSRF hash; unknown,
/// expired and revoked tokens are refused.
pub fn authenticate(store: &dyn Store, raw: &str, now: i64) -> Result<crate::store::SessionRow> {
    store.session(&hash(raw), now)?.ok_or_else(|| {
        Error::refused(
            crate::error::Refusal::Unauthenticated,
            "the session token is unknown, expired or revoked; log in again",
        )
    })
}

#[cfg(test)]
mod tests;
