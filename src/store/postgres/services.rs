//! Services and their providers in PostgreSQL (each record as `jsonb`, the brief's fields and a
//! PostGIS point in columns of their own).
use super::{bump, count, parse, put_all, PostgresStore};
use crate::model::{Brief, BriefFields, Codes, Precision, Provider, Service};
use crate::store::{Changed, Held, SharedLimits, Store, StoreError, Wake};
use crate::Result;
use std::collections::HashMap;
use std::path::Path;

impl Store for PostgresStore {
    fn services(&self) -> Result<Vec<Service>> {
        self.run(|conn| {
            // One snapshot for both reads, so a write between them cannot mix old and new.
            let mut tx = conn
                .build_transaction()
                .isolation_level(postgres::IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()?;
            let mut providers: HashMap<String, Provider> = HashMap::new();
            for r in tx.query(
                "SELECT id, name, legal_nature, contact::text FROM providers",
                &[],
            )? {
                let p = provider(r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)?;
                providers.insert(p.id.clone(), p);
            }
            let rows = tx.query("SELECT id, record::text FROM services ORDER BY id", &[])?;
            tx.commit()?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                let id: &str = r.try_get(0)?;
                let mut s: Service = parse(format!("service {id}"), r.try_get(1)?)?;
                if let Some(p) = providers.get(&s.provider.id) {
                    s.provider = p.clone();
                }
                out.push(s);
            }
            Ok(out)
        })
    }

    fn services_by_id(&self, ids: &[&str]) -> Result<Vec<Service>> {
        self.run(|conn| {
            let rows = conn.query(
                "SELECT s.id, s.record::text, p.id, p.name, p.legal_nature, p.contact::text
                 FROM unnest($1::text[]) WITH ORDINALITY AS asked(id, n)
                 JOIN services s ON s.id = asked.id
                 LEFT JOIN providers p ON p.id = s.provider_id ORDER BY asked.n",
                &[&ids],
            )?;
            rows.iter()
                .map(|r| {
                    let id: &str = r.try_get(0)?;
                    let mut s: Service = parse(format!("service {id}"), r.try_get(1)?)?;
                    if let Some(pid) = r.try_get::<_, Option<String>>(2)? {
                        s.provider = provider(pid, r.try_get(3)?, r.try_get(4)?, r.try_get(5)?)?;
                    }
                    Ok(s)
                })
                .collect()
        })
    }

    fn briefs(&self) -> Result<(Vec<Brief>, Codes)> {
        self.run(|conn| {
            let rows = conn.query(
                "SELECT id, name, type_code, municipality, provider_id, locality, lon, lat, capacity,
                   precision, demo FROM services",
                &[],
            )?;
            let mut codes = Codes::default();
            let mut out = Vec::with_capacity(rows.len());
            for r in &rows {
                let id: &str = r.try_get(0)?;
                let precision: &str = r.try_get(9)?;
                let capacity = r
                    .try_get::<_, Option<i64>>(8)?
                    .map(u32::try_from)
                    .transpose()
                    .map_err(|e| StoreError::corrupt(format!("service {id}: capacity"), e))?;
                let fields = BriefFields {
                    id,
                    name: r.try_get(1)?,
                    type_code: r.try_get(2)?,
                    municipality: r.try_get(3)?,
                    provider: r.try_get(4)?,
                    locality: r.try_get(5)?,
                    lon: r.try_get(6)?,
                    lat: r.try_get(7)?,
                    capacity,
                    precision: Precision::from_name(precision).ok_or_else(|| {
                        StoreError::corrupt(
                            format!("service {id}: precision"),
                            format!("unknown precision '{precision}'"),
                        )
                    })?,
                    demo: r.try_get(10)?,
                };
                out.push(Brief::new(fields, &mut codes));
            }
            Ok((out, codes))
        })
    }

    fn count(&self) -> Result<usize> {
        self.run(|conn| {
            let n: i64 = conn
                .query_one("SELECT count(*) FROM services", &[])?
                .try_get(0)?;
            Ok(count(n))
        })
    }

    fn seeded(&self) -> Result<Vec<String>> {
        self.run(|conn| {
            let rows = conn.query("SELECT region FROM seeded_regions ORDER BY region", &[])?;
            Ok(rows
                .iter()
                .map(|r| r.try_get(0))
                .collect::<std::result::Result<_, _>>()?)
        })
    }

    fn seed(&self, region: &str, services: &[Service]) -> Result<()> {
        self.run(|conn| {
            let mut tx = conn.transaction()?;
            bump(&mut tx)?;
            put_all(&mut tx, services)?;
            tx.execute(
                "INSERT INTO seeded_regions(region) VALUES ($1) ON CONFLICT DO NOTHING",
                &[&region],
            )?;
            tx.commit()?;
            Ok(())
        })
    }

    fn upsert(&self, service: &Service) -> Result<()> {
        self.upsert_many(std::slice::from_ref(service))
    }

    fn upsert_many(&self, services: &[Service]) -> Result<()> {
        self.run(|conn| {
            if services.is_empty() {
                return Ok(());
            }
            let mut tx = conn.transaction()?;
            bump(&mut tx)?;
            put_all(&mut tx, services)?;
            tx.commit()?;
            Ok(())
        })
    }

    fn delete(&self, id: &str) -> Result<bool> {
        self.run(|conn| {
            let mut tx = conn.transaction()?;
            bump(&mut tx)?;
            let n = tx.execute("DELETE FROM services WHERE id = $1", &[&id])?;
            if n == 0 {
                // Nothing deleted: the version stays where it was.
                tx.rollback()?;
                return Ok(false);
            }
            tx.commit()?;
            Ok(true)
        })
    }

    fn version(&self) -> Result<u64> {
        self.run(|conn| {
            let v: i64 = conn
                .query_one("SELECT version FROM data_version", &[])?
                .try_get(0)?;
            u64::try_from(v).map_err(|e| StoreError::corrupt(format!("data version {v}"), e).into())
        })
    }

    fn backup(&self, to: &Path) -> Result<()> {
        self.dump(to)
    }

    fn restore(&self, from: &Path) -> Result<()> {
        self.load(from)
    }

    fn describe(&self) -> String {
        format!("PostgreSQL database {}", self.shown)
    }

    fn changed_since(&self, since: u64) -> Result<Option<Changed>> {
        self.changes_after(since)
    }

    fn watch(&self, wake: Wake) -> Result<bool> {
        self.listen(wake)
    }

    fn hold_starts(&self) -> Result<Held> {
        self.start_lock()
    }

    fn shared_limits(&self) -> Option<&dyn SharedLimits> {
        Some(self)
    }
}

/// A provider from its stored columns.
fn provider(id: String, name: String, nature: String, contact: Option<String>) -> Result<Provider> {
    let legal_nature =
        serde_json::from_value(serde_json::Value::String(nature)).unwrap_or_default();
    let contact = match contact {
        Some(c) => parse(format!("provider {id}: contact"), &c)?,
        None => Default::default(),
    };
    Ok(Provider {
        id,
        name,
        legal_nature,
        contact,
    })
}
