//! Services and their providers in SQLite (each service's record kept as JSON in one column).
use super::{bump, lock, put, SqliteStore};
use crate::model::{Brief, BriefFields, Codes, Precision, Provider, Service};
use crate::store::{Store, StoreError};
use crate::Result;
use rusqlite::Connection;
use std::collections::HashMap;
use std::path::Path;

impl Store for SqliteStore {
    fn services(&self) -> Result<Vec<Service>> {
        let conn = self.read()?;
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
            let p = provider(id, name, nature, contact)?;
            providers.insert(p.id.clone(), p);
        }
        let mut stmt = conn.prepare("SELECT id, record FROM services ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, record) = row?;
            let mut s = record_of(&id, &record)?;
            if let Some(p) = providers.get(&s.provider.id) {
                s.provider = p.clone();
            }
            out.push(s);
        }
        Ok(out)
    }

    fn services_by_id(&self, ids: &[&str]) -> Result<Vec<Service>> {
        let conn = self.read()?;
        let mut stmt = conn.prepare_cached(
            "SELECT s.record, p.id, p.name, p.legal_nature, p.contact
             FROM services s LEFT JOIN providers p ON p.id = s.provider_id WHERE s.id = ?1",
        )?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let mut rows = stmt.query([id])?;
            let Some(r) = rows.next()? else {
                continue;
            };
            let mut s = record_of(id, &r.get::<_, String>(0)?)?;
            if let Some(pid) = r.get::<_, Option<String>>(1)? {
                s.provider = provider(pid, r.get(2)?, r.get(3)?, r.get(4)?)?;
            }
            out.push(s);
        }
        Ok(out)
    }

    fn briefs(&self) -> Result<(Vec<Brief>, Codes)> {
        // With two read connections, the two halves of the table are read side by side.
        if let [a, b, ..] = self.readers.as_slice() {
            let last: i64 =
                lock(a)?.query_row("SELECT coalesce(max(rowid), 0) FROM services", [], |r| {
                    r.get(0)
                })?;
            let mid = last / 2;
            let (first, second) = std::thread::scope(|scope| {
                let second =
                    scope.spawn(|| lock(b).and_then(|b| briefs_between(&b, mid, i64::MAX)));
                let first = lock(a).and_then(|a| briefs_between(&a, i64::MIN, mid));
                (first, second.join())
            });
            let (mut out, codes) = first?;
            let (rest, _) = second.map_err(|_| StoreError::Poisoned)??;
            out.extend(rest);
            return Ok((out, codes));
        }
        briefs_between(&*self.read()?, i64::MIN, i64::MAX)
    }

    fn count(&self) -> Result<usize> {
        let n: i64 = self
            .lock()?
            .query_row("SELECT count(*) FROM services", [], |r| r.get(0))?;
        Ok(usize::try_from(n).unwrap_or(0))
    }

    fn seeded(&self) -> Result<Vec<String>> {
        let conn = self.read()?;
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

/// A stored record, parsed.
fn record_of(id: &str, record: &str) -> Result<Service> {
    serde_json::from_str(record).map_err(|e| StoreError::corrupt(format!("service {id}"), e).into())
}

/// A provider from its stored columns.
fn provider(id: String, name: String, nature: String, contact: Option<String>) -> Result<Provider> {
    let legal_nature =
        serde_json::from_value(serde_json::Value::String(nature)).unwrap_or_default();
    let contact = match contact {
        Some(c) => serde_json::from_str(&c)
            .map_err(|e| StoreError::corrupt(format!("provider {id}: contact"), e))?,
        None => Default::default(),
    };
    Ok(Provider {
        id,
        name,
        legal_nature,
        contact,
    })
}

/// The briefs of the services whose rowid is in (`from`, `to`], and the codes they share.
fn briefs_between(conn: &Connection, from: i64, to: i64) -> Result<(Vec<Brief>, Codes)> {
    // In the table's own order: ordering by id would look every row up through the id
    // index (and the index needs no order).
    let mut stmt = conn.prepare(
        "SELECT id, name, type_code, municipality, provider_id, locality, lon, lat, capacity,
           precision, demo
         FROM services WHERE rowid > ?1 AND rowid <= ?2",
    )?;
    let mut rows = stmt.query([from, to])?;
    let mut codes = Codes::default();
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let text = |i: usize| -> Result<&str> {
            Ok(r.get_ref(i)?.as_str().map_err(rusqlite::Error::from)?)
        };
        let locality = r
            .get_ref(5)?
            .as_str_or_null()
            .map_err(rusqlite::Error::from)?;
        let precision = text(9)?;
        let fields = BriefFields {
            id: text(0)?,
            name: text(1)?,
            type_code: text(2)?,
            municipality: text(3)?,
            provider: text(4)?,
            locality,
            lon: r.get(6)?,
            lat: r.get(7)?,
            capacity: r.get(8)?,
            precision: Precision::from_name(precision).ok_or_else(|| {
                StoreError::corrupt(
                    format!("service {}: precision", text(0).unwrap_or("?")),
                    format!("unknown precision '{precision}'"),
                )
            })?,
            demo: r.get(10)?,
        };
        out.push(Brief::new(fields, &mut codes));
    }
    Ok((out, codes))
}
