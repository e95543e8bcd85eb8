//! Services and their providers in SQLite (each service's record kept as JSON in one column).
use super::{bump, put, SqliteStore};
use crate::model::{Provider, Service};
use crate::store::{Store, StoreError};
use crate::Result;
use std::collections::HashMap;
use std::path::Path;

impl Store for SqliteStore {
    fn services(&self) -> Result<Vec<Service>> {
        let conn = self.lock()?;
        let mut providers: HashMap<String, Provider> = HashMap::new();
        let mut stmt = conn.prepare("SELECT id, name, legal_nature, contact FROM providers")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
            ))
        })?;
        for row in rows {
            let (id, name, nature, contact) = row?;
            let legal_nature =
                serde_json::from_value(serde_json::Value::String(nature)).unwrap_or_default();
            let contact = match contact {
                Some(c) => serde_json::from_str(&c)
                    .map_err(|e| StoreError::corrupt(format!("provider {id}: contact"), e))?,
                None => Default::default(),
            };
            providers.insert(
                id.clone(),
                Provider {
                    id,
                    name,
                    legal_nature,
                    contact,
                },
            );
        }
        let mut stmt = conn.prepare("SELECT id, record FROM services ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, record) = row?;
            let mut s: Service = serde_json::from_str(&record)
                .map_err(|e| StoreError::corrupt(format!("service {id}"), e))?;
            if let Some(p) = providers.get(&s.provider.id) {
                s.provider = p.clone();
            }
            out.push(s);
        }
        Ok(out)
    }

    fn count(&self) -> Result<usize> {
        let n: i64 = self
            .lock()?
            .query_row("SELECT count(*) FROM services", [], |r| r.get(0))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    fn seeded(&self) -> Result<Vec<String>> {
        let conn = self.lock()?;
        // `seeded_from` is how databases made before several regions recorded their one seed.
        let mut stmt = conn.prepare(
            "SELECT value FROM meta WHERE key LIKE 'seeded:%' OR key = 'seeded_from' ORDER BY value",
        )?;
        let ids = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut out = ids.collect::<rusqlite::Result<Vec<_>>>()?;
        out.dedup();
        Ok(out)
    }

    fn seed(&self, region: &str, services: &[Service]) -> Result<()> {
        let mut conn = self.lock()?;
        let tx = conn.transaction()?;
        for s in services {
            put(&tx, s)?;
        }
        tx.execute(
            "INSERT OR REPLACE INTO meta(key, value) VALUES ('seeded:' || ?1, ?1)",
            [region],
        )?;
        bump(&tx)?;
        tx.commit()?;
        Ok(())
    }

    fn upsert(&self, service: &Service) -> Result<()> {
        let mut conn = self.lock()?;
        let tx = conn.transaction()?;
        put(&tx, service)?;
        bump(&tx)?;
        tx.commit()?;
        Ok(())
    }

    fn upsert_many(&self, services: &[Service]) -> Result<()> {
        if services.is_empty() {
            return Ok(());
        }
        let mut conn = self.lock()?;
        let tx = conn.transaction()?;
        for s in services {
            put(&tx, s)?;
        }
        bump(&tx)?;
        tx.commit()?;
        Ok(())
    }

    fn delete(&self, id: &str) -> Result<bool> {
        let mut conn = self.lock()?;
        let tx = conn.transaction()?;
        let n = tx.execute("DELETE FROM services WHERE id = ?1", [id])?;
        if n > 0 {
            bump(&tx)?;
        }
        tx.commit()?;
        Ok(n > 0)
    }

    fn version(&self) -> Result<u64> {
        let v: String =
            self.lock()?
                .query_row("SELECT value FROM meta WHERE key = 'version'", [], |r| {
                    r.get(0)
                })?;
        v.parse()
            .map_err(|e| StoreError::corrupt(format!("data version '{v}'"), e).into())
    }

    fn backup(&self, to: &Path) -> Result<()> {
        self.backup_to(to)
    }

    fn restore(&self, from: &Path) -> Result<()> {
        self.restore_from(from)
    }

    fn describe(&self) -> String {
        self.describe_file()
    }
}
