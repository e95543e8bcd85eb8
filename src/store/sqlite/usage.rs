//! Daily use counts in SQLite (counts per service and day only).
use super::SqliteStore;
use crate::store::{Usage, UsageCount, UsageTotals};
use crate::Result;
use rusqlite::params;

impl Usage for SqliteStore {
    fn add_usage(&self, counts: &[UsageCount]) -> Result<()> {
        if counts.is_empty() {
            return Ok(());
        }
        let mut conn = self.lock()?;
        let tx = conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT INTO service_usage(service_id, day, views, found, contacts)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(service_id, day) DO UPDATE SET views = views + excluded.views,
                   found = found + excluded.found, contacts = contacts + excluded.contacts",
            )?;
            for c in counts {
                stmt.execute(params![c.service_id, c.day, c.views, c.found, c.contacts])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    fn usage(&self, ids: &[String], since: &str) -> Result<Vec<UsageTotals>> {
        let conn = self.lock()?;
        let mut stmt = conn.prepare_cached(
            "SELECT coalesce(sum(views), 0), coalesce(sum(found), 0), coalesce(sum(contacts), 0)
             FROM service_usage WHERE service_id = ?1 AND day >= ?2",
        )?;
        ids.iter()
            .map(|id| {
                let (v, f, c): (i64, i64, i64) = stmt.query_row(params![id, since], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?;
                Ok(UsageTotals {
                    service_id: id.clone(),
                    views: v.unsigned_abs(),
                    found: f.unsigned_abs(),
                    contacts: c.unsigned_abs(),
                })
            })
            .collect()
    }
}
