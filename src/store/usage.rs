//! Daily use counts of services in SQLite: how often each was viewed, found and contacted.
//!
//! Only counts per service and day are kept: no addresses, accounts or times of day.
use super::{SqliteStore, Usage};
use crate::Result;
use rusqlite::params;

/// What happened to a service, counted per day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsageKind {
    /// Its page or record was opened (`GET /api/services/{id}`).
    View,
    /// It was among the results of a "near me" search.
    Found,
    /// Someone followed one of its contact links.
    Contact,
}

/// Counts of one service on one day, to add to what is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageCount {
    /// The service.
    pub service_id: String,
    /// The day (YYYY-MM-DD).
    pub day: String,
    /// Times viewed.
    pub views: u64,
    /// Times found in a "near me" search.
    pub found: u64,
    /// Times contacted.
    pub contacts: u64,
}

/// A service's counts over a period.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct UsageTotals {
    /// The service.
    pub service_id: String,
    /// Times viewed.
    pub views: u64,
    /// Times found in a "near me" search.
    pub found: u64,
    /// Times contacted.
    pub contacts: u64,
}

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
