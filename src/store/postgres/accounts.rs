//! Accounts and their tokens (hashes only) in PostgreSQL.
use super::PostgresStore;
use crate::account::{NewUser, Role, User};
use crate::store::{Accounts, NewToken, SessionRow, StoreError};
use crate::{Error, Result};
use postgres::{GenericClient, Row};

const USER_COLUMNS: &str = "u.id, u.email, u.role, u.provider_id, u.municipalities";

/// An account from the five columns of [`USER_COLUMNS`] starting at `at`.
fn to_user(r: &Row, at: usize) -> Result<User> {
    let role: &str = r.try_get(at + 2)?;
    Ok(User {
        id: r.try_get(at)?,
        email: r.try_get(at + 1)?,
        role: Role::parse(role).map_err(|e| StoreError::corrupt("account role", e))?,
        provider: r.try_get(at + 3)?,
        municipalities: r.try_get(at + 4)?,
    })
}

/// Stores a token; its id.
fn insert_token(client: &mut impl GenericClient, t: &NewToken) -> Result<i64> {
    Ok(client
        .query_one(
            "INSERT INTO tokens(user_id, kind, hash, csrf_hash, created, expires)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            &[
                &t.user,
                &t.kind.as_str(),
                &t.hash,
                &t.csrf_hash,
                &t.created,
                &t.expires,
            ],
        )?
        .try_get(0)?)
}

impl PostgresStore {
    fn one_user(
        &self,
        filter: &str,
        param: &(dyn postgres::types::ToSql + Sync),
    ) -> Result<Option<User>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE {filter}");
        self.run(|conn| {
            conn.query_opt(&sql, &[param])?
                .map(|r| to_user(&r, 0))
                .transpose()
        })
    }
}

impl Accounts for PostgresStore {
    fn add_user(&self, u: &NewUser, first_login: &NewToken) -> Result<User> {
        self.run(|conn| {
            let mut tx = conn.transaction()?;
            let id: Option<i64> = tx
                .query_opt(
                    "INSERT INTO users(email, role, provider_id, municipalities)
                     VALUES ($1, $2, $3, $4) ON CONFLICT (email) DO NOTHING RETURNING id",
                    &[
                        &u.email.trim().to_lowercase(),
                        &u.role.as_str(),
                        &u.provider,
                        &u.municipalities,
                    ],
                )?
                .map(|r| r.try_get(0))
                .transpose()?;
            let Some(id) = id else {
                return Err(Error::refused(
                    crate::error::Refusal::Conflict,
                    format!("an account for {} exists already", u.email.trim()),
                ));
            };
            insert_token(
                &mut tx,
                &NewToken {
                    user: id,
                    ..first_login.clone()
                },
            )?;
            tx.commit()?;
            let user = self.user(id)?;
            Ok(user
                .ok_or_else(|| StoreError::corrupt("new account", "vanished after its insert"))?)
        })
    }

    fn user(&self, id: i64) -> Result<Option<User>> {
        self.one_user("u.id = $1", &id)
    }

    fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        self.one_user("u.email = $1", &email.trim().to_lowercase())
    }

    fn users(&self) -> Result<Vec<User>> {
        self.run(|conn| {
            let sql = format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.email, u.id");
            let rows = conn.query(&sql, &[])?;
            rows.iter().map(|r| to_user(r, 0)).collect()
        })
    }

    fn put_token(&self, t: &NewToken) -> Result<i64> {
        self.run(|conn| insert_token(conn, t))
    }

    fn take_login(&self, hash: &str, now: i64) -> Result<Option<i64>> {
        self.run(|conn| {
            // One UPDATE marks it used, so two requests racing with one link cannot both win.
            Ok(conn
                .query_opt(
                    "UPDATE tokens SET used = $2 WHERE hash = $1 AND kind = 'login' AND used IS NULL
                       AND revoked IS NULL AND expires > $2 RETURNING user_id",
                    &[&hash, &now],
                )?
                .map(|r| r.try_get(0))
                .transpose()?)
        })
    }

    fn session(&self, hash: &str, now: i64) -> Result<Option<SessionRow>> {
        self.run(|conn| {
            let sql = format!(
                "SELECT t.id, t.csrf_hash, {USER_COLUMNS} FROM tokens t JOIN users u ON u.id = t.user_id
                 WHERE t.hash = $1 AND t.kind = 'session' AND t.revoked IS NULL AND t.expires > $2"
            );
            conn
                .query_opt(&sql, &[&hash, &now])?
                .map(|r| {
                    Ok(SessionRow {
                        id: r.try_get(0)?,
                        csrf_hash: r.try_get(1)?,
                        user: to_user(&r, 2)?,
                    })
                })
                .transpose()
        })
    }

    fn token_owner(&self, id: i64) -> Result<Option<i64>> {
        self.run(|conn| {
            Ok(conn
                .query_opt("SELECT user_id FROM tokens WHERE id = $1", &[&id])?
                .map(|r| r.try_get(0))
                .transpose()?)
        })
    }

    fn revoke_token(&self, id: i64, now: i64) -> Result<bool> {
        self.run(|conn| {
            let n = conn.execute(
                "UPDATE tokens SET revoked = $2 WHERE id = $1 AND revoked IS NULL",
                &[&id, &now],
            )?;
            Ok(n > 0)
        })
    }

    fn revoke_user(&self, user: i64, now: i64) -> Result<usize> {
        self.run(|conn| {
            let n = conn.execute(
                "UPDATE tokens SET revoked = $2 WHERE user_id = $1 AND revoked IS NULL",
                &[&user, &now],
            )?;
            Ok(usize::try_from(n).unwrap_or(usize::MAX))
        })
    }
}
