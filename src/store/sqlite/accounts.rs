//! Accounts and their tokens in SQLite.
use super::SqliteStore;
use crate::account::{NewUser, Role, User};
use crate::store::{Accounts, NewToken, SessionRow, StoreError};
use crate::{Error, Result};
use rusqlite::{params, Connection, OptionalExtension, Row};

const USER_COLUMNS: &str = "id, email, role, provider_id, municipalities";

fn user_row(r: &Row<'_>) -> rusqlite::Result<(i64, String, String, Option<String>, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

fn to_user(row: (i64, String, String, Option<String>, String)) -> Result<User> {
    let (id, email, role, provider, munis) = row;
    Ok(User {
        id,
        email,
        role: Role::parse(&role).map_err(|e| StoreError::corrupt("account role", e))?,
        provider,
        municipalities: munis
            .split(',')
            .filter(|m| !m.is_empty())
            .map(str::to_string)
            .collect(),
    })
}

/// Stores a token; its id.
fn insert_token(conn: &rusqlite::Connection, t: &NewToken) -> Result<i64> {
    conn.execute(
        "INSERT INTO tokens(user_id, kind, hash, csrf_hash, created, expires)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            t.user,
            t.kind.as_str(),
            t.hash,
            t.csrf_hash,
            t.created,
            t.expires
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

impl Accounts for SqliteStore {
    fn add_user(&self, u: &NewUser, first_login: &NewToken) -> Result<User> {
        let mut conn = self.lock()?;
        let tx = conn.transaction()?;
        let n = tx.execute(
            "INSERT OR IGNORE INTO users(email, role, provider_id, municipalities)
             VALUES (?1, ?2, ?3, ?4)",
            params![
                u.email.trim().to_lowercase(),
                u.role.as_str(),
                u.provider,
                u.municipalities.join(",")
            ],
        )?;
        if n == 0 {
            return Err(Error::refused(
                crate::error::Refusal::Conflict,
                format!("an account for {} exists already", u.email.trim()),
            ));
        }
        let id = tx.last_insert_rowid();
        insert_token(
            &tx,
            &NewToken {
                user: id,
                ..first_login.clone()
            },
        )?;
        tx.commit()?;
        drop(conn);
        let user = self.user(id)?;
        Ok(user.ok_or_else(|| StoreError::corrupt("new account", "vanished after its insert"))?)
    }

    fn user(&self, id: i64) -> Result<Option<User>> {
        let conn = self.lock()?;
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?1");
        conn.query_row(&sql, [id], user_row)
            .optional()?
            .map(to_user)
            .transpose()
    }

    fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        let conn = self.lock()?;
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE email = ?1");
        conn.query_row(&sql, [email.trim().to_lowercase()], user_row)
            .optional()?
            .map(to_user)
            .transpose()
    }

    fn users(&self) -> Result<Vec<User>> {
        let conn = self.lock()?;
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY email, id");
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([], user_row)?;
        rows.map(|r| to_user(r?)).collect()
    }

    fn put_token(&self, t: &NewToken) -> Result<i64> {
        insert_token(&*self.lock()?, t)
    }

    fn take_login(&self, hash: &str, now: i64) -> Result<Option<i64>> {
        // One UPDATE marks it used, so two requests racing with one link cannot both win.
        let conn = self.lock()?;
        Ok(conn
            .query_row(
                "UPDATE tokens SET used = ?2 WHERE hash = ?1 AND kind = 'login' AND used IS NULL
                   AND revoked IS NULL AND expires > ?2 RETURNING user_id",
                params![hash, now],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn session(&self, hash: &str, now: i64) -> Result<Option<SessionRow>> {
        let conn = self.lock()?;
        let sql = format!(
            "SELECT t.id, t.csrf_hash, {} FROM tokens t JOIN users u ON u.id = t.user_id
             WHERE t.hash = ?1 AND t.kind = 'session' AND t.revoked IS NULL AND t.expires > ?2",
            USER_COLUMNS
                .split(", ")
                .map(|c| format!("u.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let row = conn
            .query_row(&sql, params![hash, now], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Option<String>>(1)?,
                    (r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?),
                ))
            })
            .optional()?;
        row.map(|(id, csrf_hash, u)| {
            Ok(SessionRow {
                id,
                user: to_user(u)?,
                csrf_hash,
            })
        })
        .transpose()
    }

    fn token_owner(&self, id: i64) -> Result<Option<i64>> {
        let conn = self.lock()?;
        Ok(conn
            .query_row("SELECT user_id FROM tokens WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?)
    }

    fn revoke_token(&self, id: i64, now: i64) -> Result<bool> {
        let conn = self.lock()?;
        let n = conn.execute(
            "UPDATE tokens SET revoked = ?2 WHERE id = ?1 AND revoked IS NULL",
            params![id, now],
        )?;
        Ok(n > 0)
    }

    fn revoke_user(&self, user: i64, now: i64) -> Result<usize> {
        let conn = self.lock()?;
        Ok(conn.execute(
            "UPDATE tokens SET revoked = ?2 WHERE user_id = ?1 AND revoked IS NULL",
            params![user, now],
        )?)
    }
}

/// A token's end: its hash, when it was revoked and when it was used (a login link).
pub(super) type Ended = (String, Option<i64>, Option<i64>);

/// Every token revoked or used, to carry over a restore (see `SqliteStore::restore_from`).
pub(super) fn ended_tokens(conn: &Connection) -> Result<Vec<Ended>> {
    let mut stmt = conn.prepare(
        "SELECT hash, revoked, used FROM tokens WHERE revoked IS NOT NULL OR used IS NOT NULL",
    )?;
    let rows = stmt.query_map([], |r| Ok::<Ended, _>((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Marks the tokens of `ended` (by hash) revoked and used as they were, in one transaction;
/// a token already revoked or used keeps its own time.
pub(super) fn end_tokens(conn: &mut Connection, ended: &[Ended]) -> Result<()> {
    let tx = conn.transaction()?;
    {
        let mut stmt = tx.prepare(
            "UPDATE tokens SET revoked = coalesce(revoked, ?2), used = coalesce(used, ?3)
             WHERE hash = ?1",
        )?;
        for (hash, revoked, used) in ended {
            stmt.execute(params![hash, revoked, used])?;
        }
    }
    tx.commit()?;
    Ok(())
}
