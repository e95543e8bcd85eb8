//! The change history of services and organisations in SQLite.
use super::{bump, put, SqliteStore};
use crate::store::StoreError;
use crate::store::{
    Change, ChangeFields, ChangeQuery, ChangeStatus, EditWrite, History, NewChange, Subject,
};
use crate::{Error, Result};
use rusqlite::{params, OptionalExtension, Row, Transaction};

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap_or(serde_json::Value::Null)
}

type ChangeRow = (
    (i64, String, String, String, String),
    (Option<i64>, Option<String>, String, String, i64),
    (Option<i64>, Option<i64>, Option<i64>, String),
);

const CHANGE_COLUMNS: &str = "id, service_id, field, old, new, user_id, role, source, status,
    created, decided_by, decided, reverts, subject";

fn change_row(r: &Row<'_>) -> rusqlite::Result<ChangeRow> {
    Ok((
        (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?),
        (r.get(5)?, r.get(6)?, r.get(7)?, r.get(8)?, r.get(9)?),
        (r.get(10)?, r.get(11)?, r.get(12)?, r.get(13)?),
    ))
}

fn to_change(row: ChangeRow) -> Result<Change> {
    let ((id, service_id, field, old, new), (user_id, role, source, status, created), last) = row;
    let (decided_by, decided, reverts, subject) = last;
    Ok(Change {
        id,
        change: ChangeFields {
            subject: Subject::parse(&subject).ok_or_else(|| {
                StoreError::corrupt(format!("change {id}"), format!("bad subject {subject:?}"))
            })?,
            service_id,
            field,
            old: json(&old),
            new: json(&new),
            user_id,
            role,
            source,
            created,
            reverts,
        },
        status: ChangeStatus::parse(&status).ok_or_else(|| {
            StoreError::corrupt(format!("change {id}"), format!("bad status {status:?}"))
        })?,
        decided_by,
        decided,
    })
}

/// Inserts change rows (in the caller's transaction); their ids.
fn insert(tx: &Transaction<'_>, rows: &[NewChange]) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(rows.len());
    for c in rows {
        tx.execute(
            "INSERT INTO changes(service_id, field, old, new, user_id, role, source, status,
               created, reverts, subject) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                c.service_id,
                c.field,
                c.old.to_string(),
                c.new.to_string(),
                c.user_id,
                c.role,
                c.source,
                c.status.as_str(),
                c.created,
                c.reverts,
                c.subject.as_str()
            ],
        )?;
        ids.push(tx.last_insert_rowid());
    }
    Ok(ids)
}

impl History for SqliteStore {
    fn write_edit(&self, w: &EditWrite) -> Result<Vec<i64>> {
        let mut conn = self.lock()?;
        let tx = conn.transaction()?;
        if let Some(d) = &w.decide {
            let n = tx.execute(
                "UPDATE changes SET status = ?2, decided_by = ?3, decided = ?4,
                   old = coalesce(?5, old) WHERE id = ?1 AND status = 'pending'",
                params![
                    d.id,
                    d.status.as_str(),
                    d.by,
                    d.at,
                    d.old.as_ref().map(|v| v.to_string())
                ],
            )?;
            if n == 0 {
                // Decided by someone else meanwhile: write nothing.
                return Err(Error::refused(
                    crate::error::Refusal::Conflict,
                    format!("change {} is no longer pending", d.id),
                ));
            }
        }
        for s in &w.services {
            put(&tx, s)?;
        }
        if !w.services.is_empty() {
            bump(&tx)?;
        }
        for o in &w.offers {
            super::training::put_offer(&tx, o)?;
        }
        let ids = insert(&tx, &w.new)?;
        tx.commit()?;
        Ok(ids)
    }

    fn changes(&self, q: &ChangeQuery) -> Result<Vec<Change>> {
        let conn = self.lock()?;
        let sql = format!(
            "SELECT {CHANGE_COLUMNS} FROM changes WHERE (?1 IS NULL OR status = ?1)
             AND (?2 IS NULL OR service_id = ?2) AND (?3 IS NULL OR subject = ?3) ORDER BY id"
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(
            params![
                q.status.map(ChangeStatus::as_str),
                q.service_id,
                q.subject.map(Subject::as_str)
            ],
            change_row,
        )?;
        rows.map(|r| to_change(r?)).collect()
    }

    fn write_removal(&self, id: &str, rows: &[NewChange]) -> Result<bool> {
        let mut conn = self.lock()?;
        let tx = conn.transaction()?;
        if tx.execute("DELETE FROM services WHERE id = ?1", [id])? == 0 {
            return Ok(false);
        }
        bump(&tx)?;
        insert(&tx, rows)?;
        tx.commit()?;
        Ok(true)
    }

    fn change(&self, id: i64) -> Result<Option<Change>> {
        let conn = self.lock()?;
        let sql = format!("SELECT {CHANGE_COLUMNS} FROM changes WHERE id = ?1");
        conn.query_row(&sql, [id], change_row)
            .optional()?
            .map(to_change)
            .transpose()
    }
}
