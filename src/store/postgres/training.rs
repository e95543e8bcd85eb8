//! Training offers in PostgreSQL: the record as `jsonb`, its status and last day in columns.
use super::{parse, PostgresStore};
use crate::model::training::Offer;
use crate::store::TrainingOffers;
use crate::Result;
use postgres::types::Json;
use postgres::Transaction;

/// Inserts or replaces an offer (in the caller's transaction).
pub(super) fn put_offer(tx: &mut Transaction<'_>, o: &Offer) -> Result<()> {
    tx.execute(
        "INSERT INTO training(id, status, ends, record) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET status = excluded.status, ends = excluded.ends,
           record = excluded.record",
        &[&o.id, &o.status.as_str(), &o.end, &Json(o)],
    )?;
    Ok(())
}

impl TrainingOffers for PostgresStore {
    fn offers(&self) -> Result<Vec<Offer>> {
        self.run(|conn| {
            let rows = conn.query("SELECT id, record::text FROM training ORDER BY id", &[])?;
            rows.iter()
                .map(|r| {
                    parse(
                        format!("training offer {}", r.try_get::<_, &str>(0)?),
                        r.try_get(1)?,
                    )
                })
                .collect()
        })
    }

    fn offer(&self, id: &str) -> Result<Option<Offer>> {
        self.run(|conn| {
            conn.query_opt("SELECT record::text FROM training WHERE id = $1", &[&id])?
                .map(|r| parse(format!("training offer {id}"), r.try_get(0)?))
                .transpose()
        })
    }

    fn seed_offers(&self, offers: &[Offer]) -> Result<bool> {
        self.run(|conn| {
            let mut tx = conn.transaction()?;
            // The marker first: of two processes seeding at once, the second waits for the first
            // and then finds it there.
            let n = tx.execute(
                "INSERT INTO meta(key, value) VALUES ('training_seeded', $1) ON CONFLICT DO NOTHING",
                &[&offers.len().to_string()],
            )?;
            if n == 0 {
                return Ok(false);
            }
            for o in offers {
                put_offer(&mut tx, o)?;
            }
            tx.commit()?;
            Ok(true)
        })
    }
}
