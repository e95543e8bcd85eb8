//! Training offers in SQLite: the record as JSON, its status and last day in columns.
use super::SqliteStore;
use crate::model::training::Offer;
use crate::store::{StoreError, TrainingOffers};
use crate::Result;
use rusqlite::{params, OptionalExtension, Transaction};

fn record(id: &str, json: &str) -> Result<Offer> {
    serde_json::from_str(json)
        .map_err(|e| StoreError::corrupt(format!("training offer {id}"), e).into())
}

/// Inserts or replaces an offer (in the caller's transaction).
pub(super) fn put_offer(tx: &Transaction<'_>, o: &Offer) -> Result<()> {
    let json = serde_json::to_string(o)
        .map_err(|e| StoreError::backend(format!("training offer {}", o.id), e))?;
    tx.execute(
        "INSERT INTO training(id, status, ends, record) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(id) DO UPDATE SET status = excluded.status, ends = excluded.ends,
           record = excluded.record",
        params![o.id, o.status.as_str(), o.end, json],
    )?;
    Ok(())
}

impl TrainingOffers for SqliteStore {
    fn offers(&self) -> Result<Vec<Offer>> {
        let conn = self.read()?;
        let mut stmt = conn.prepare("SELECT id, record FROM training ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        rows.map(|r| {
            let (id, json) = r?;
            record(&id, &json)
        })
        .collect()
    }

    fn offer(&self, id: &str) -> Result<Option<Offer>> {
        let conn = self.read()?;
        let json: Option<String> = conn
            .query_row("SELECT record FROM training WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?;
        json.map(|j| record(id, &j)).transpose()
    }

    fn seed_offers(&self, offers: &[Offer]) -> Result<bool> {
        let mut conn = self.lock()?;
        let tx = conn.transaction()?;
        let done: Option<String> = tx
            .query_row(
                "SELECT value FROM meta WHERE key = 'training_seeded'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        if done.is_some() {
            return Ok(false);
        }
        for o in offers {
            put_offer(&tx, o)?;
        }
        tx.execute(
            "INSERT INTO meta(key, value) VALUES ('training_seeded', ?1)",
            [offers.len().to_string()],
        )?;
        tx.commit()?;
        Ok(true)
    }
}
