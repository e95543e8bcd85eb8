//! The change history of services, organisations and training offers in PostgreSQL.
use super::{bump, put_all, PostgresStore};
use crate::store::{
    Change, ChangeFields, ChangeQuery, ChangeStatus, EditWrite, History, NewChange, StoreError,
    Subject,
};
use crate::{Error, Result};
use postgres::{Row, Transaction};

const CHANGE_COLUMNS: &str = "id, service_id, field, old, new, user_id, role, source, status,
    created, decided_by, decided, reverts, subject";

fn to_change(r: &Row) -> Result<Change> {
    let id: i64 = r.try_get(0)?;
    let subject: &str = r.try_get(13)?;
    let status: &str = r.try_get(8)?;
    Ok(Change {
        id,
        change: ChangeFields {
            subject: Subject::parse(subject).ok_or_else(|| {
                StoreError::corrupt(format!("change {id}"), format!("bad subject {subject:?}"))
            })?,
            service_id: r.try_get(1)?,
            field: r.try_get(2)?,
            old: r.try_get(3)?,
            new: r.try_get(4)?,
            user_id: r.try_get(5)?,
            role: r.try_get(6)?,
            source: r.try_get(7)?,
            created: r.try_get(9)?,
            reverts: r.try_get(12)?,
        },
        status: ChangeStatus::parse(status).ok_or_else(|| {
            StoreError::corrupt(format!("change {id}"), format!("bad status {status:?}"))
        })?,
        decided_by: r.try_get(10)?,
        decided: r.try_get(11)?,
    })
}

/// Inserts change rows (in the caller's transaction); their ids.
fn insert(tx: &mut Transaction<'_>, rows: &[NewChange]) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(rows.len());
    for c in rows {
        let row = tx.query_one(
            "INSERT INTO changes(service_id, field, old, new, user_id, role, source, status,
               created, reverts, subject)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            &[
                &c.service_id,
                &c.field,
                &c.old,
                &c.new,
                &c.user_id,
                &c.role,
                &c.source,
                &c.status.as_str(),
                &c.created,
                &c.reverts,
                &c.subject.as_str(),
            ],
        )?;
        ids.push(row.try_get(0)?);
    }
    Ok(ids)
}

impl History for PostgresStore {
    fn write_edit(&self, w: &EditWrite) -> Result<Vec<i64>> {
        self.run(|conn| {
            let mut tx = conn.transaction()?;
            if !w.services.is_empty() {
                bump(&mut tx)?;
            }
            if let Some(d) = &w.decide {
                // Under concurrent decisions the second waits for the first's row lock, then finds
                // the change no longer pending.
                let n = tx.execute(
                    "UPDATE changes SET status = $2, decided_by = $3, decided = $4,
                       old = coalesce($5, old) WHERE id = $1 AND status = 'pending'",
                    &[&d.id, &d.status.as_str(), &d.by, &d.at, &d.old],
                )?;
                if n == 0 {
                    // Decided by someone else meanwhile: write nothing.
                    return Err(Error::refused(
                        crate::error::Refusal::Conflict,
                        format!("change {} is no longer pending", d.id),
                    ));
                }
            }
            put_all(&mut tx, &w.services)?;
            for o in &w.offers {
                super::training::put_offer(&mut tx, o)?;
            }
            let ids = insert(&mut tx, &w.new)?;
            tx.commit()?;
            Ok(ids)
        })
    }

    fn changes(&self, q: &ChangeQuery) -> Result<Vec<Change>> {
        self.run(|conn| {
            let sql = format!(
                "SELECT {CHANGE_COLUMNS} FROM changes WHERE ($1::text IS NULL OR status = $1)
                 AND ($2::text IS NULL OR service_id = $2) AND ($3::text IS NULL OR subject = $3)
                 ORDER BY id"
            );
            let rows = conn.query(
                &sql,
                &[
                    &q.status.map(ChangeStatus::as_str),
                    &q.service_id,
                    &q.subject.map(Subject::as_str),
                ],
            )?;
            rows.iter().map(to_change).collect()
        })
    }

    fn write_removal(&self, id: &str, rows: &[NewChange]) -> Result<bool> {
        self.run(|conn| {
            let mut tx = conn.transaction()?;
            // The version first, as every write (see `bump`).
            bump(&mut tx)?;
            if tx.execute("DELETE FROM services WHERE id = $1", &[&id])? == 0 {
                tx.rollback()?;
                return Ok(false);
            }
            insert(&mut tx, rows)?;
            tx.commit()?;
            Ok(true)
        })
    }

    fn change(&self, id: i64) -> Result<Option<Change>> {
        self.run(|conn| {
            let sql = format!("SELECT {CHANGE_COLUMNS} FROM changes WHERE id = $1");
            conn.query_opt(&sql, &[&id])?
                .map(|r| to_change(&r))
                .transpose()
        })
    }
}
