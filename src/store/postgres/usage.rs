//! Daily use counts in PostgreSQL (counts per service and day only).
use super::PostgresStore;
use crate::store::{Usage, UsageCount, UsageTotals};
use crate::Result;

/// A count as stored (PostgreSQL has no unsigned integers).
fn stored(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

impl Usage for PostgresStore {
    fn add_usage(&self, counts: &[UsageCount]) -> Result<()> {
        self.run(|conn| {
            if counts.is_empty() {
                return Ok(());
            }
            let mut tx = conn.transaction()?;
            let add = tx.prepare(
                "INSERT INTO service_usage(service_id, day, views, found, contacts)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (service_id, day) DO UPDATE SET
                   views = service_usage.views + excluded.views,
                   found = service_usage.found + excluded.found,
                   contacts = service_usage.contacts + excluded.contacts",
            )?;
            for c in counts {
                tx.execute(
                    &add,
                    &[
                        &c.service_id,
                        &c.day,
                        &stored(c.views),
                        &stored(c.found),
                        &stored(c.contacts),
                    ],
                )?;
            }
            tx.commit()?;
            Ok(())
        })
    }

    fn usage(&self, ids: &[String], since: &str) -> Result<Vec<UsageTotals>> {
        self.run(|conn| {
            let rows = conn.query(
                "SELECT asked.id, coalesce(sum(u.views), 0)::bigint, coalesce(sum(u.found), 0)::bigint,
                   coalesce(sum(u.contacts), 0)::bigint
                 FROM unnest($1::text[]) WITH ORDINALITY AS asked(id, n)
                 LEFT JOIN service_usage u ON u.service_id = asked.id AND u.day >= $2
                 GROUP BY asked.n, asked.id ORDER BY asked.n",
                &[&ids, &since],
            )?;
            rows.iter()
                .map(|r| {
                    Ok(UsageTotals {
                        service_id: r.try_get(0)?,
                        views: r.try_get::<_, i64>(1)?.unsigned_abs(),
                        found: r.try_get::<_, i64>(2)?.unsigned_abs(),
                        contacts: r.try_get::<_, i64>(3)?.unsigned_abs(),
                    })
                })
                .collect()
        })
    }
}
