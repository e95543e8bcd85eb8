//! The embedded SQLite store.
use super::Store;
use crate::model::{Provider, Service};
use crate::{Error, Result};
use rusqlite::{params, Connection, Transaction};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

/// Services and providers in one SQLite file.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Mutex<Connection>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database file.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| Error::Io {
                path: dir.to_path_buf(),
                source,
            })?;
        }
        let conn = Connection::open(path)?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        // Every commit is on disk before the write is answered, power loss included.
        conn.pragma_update(None, "synchronous", "FULL")?;
        Self::init(conn)
    }

    /// An in-memory store (tests).
    pub fn in_memory() -> Result<Self> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<Self> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        super::migrate::migrate(&mut conn)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
        })
    }

    /// Copies the whole database to `path` while it stays in use (SQLite's online backup).
    pub fn backup_to(&self, path: &Path) -> Result<()> {
        if path.exists() {
            return Err(Error::data(
                path,
                None,
                None,
                "already exists; choose a new file",
            ));
        }
        self.lock()?
            .backup(rusqlite::MAIN_DB, path, None)
            .map_err(|e| Error::Store(format!("backup to {}: {e}", path.display())))
    }

    /// Replaces the whole database with a backup made by [`Self::backup_to`], after checking
    /// that it is one; then brings it to the current schema. Nothing changes if the check fails.
    pub fn restore_from(&self, path: &Path) -> Result<()> {
        let source = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| Error::data(path, None, None, format!("cannot open: {e}")))?;
        let is_ours = source
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('services', 'providers', 'meta')",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map_err(|e| Error::data(path, None, None, format!("not a Bússola database: {e}")))?;
        if is_ours != 3 {
            return Err(Error::data(
                path,
                None,
                None,
                "not a Bússola database (no services table)",
            ));
        }
        if super::migrate::version(&source)? > super::migrate::current() {
            return Err(Error::data(path, None, None, "made by a newer Bússola"));
        }
        drop(source);
        let mut conn = self.lock()?;
        conn.restore(
            rusqlite::MAIN_DB,
            path,
            None::<fn(rusqlite::backup::Progress)>,
        )
        .map_err(|e| Error::Store(format!("restore from {}: {e}", path.display())))?;
        super::migrate::migrate(&mut conn)?;
        Ok(())
    }

    pub(super) fn lock(&self) -> Result<MutexGuard<'_, Connection>> {
        self.conn
            .lock()
            .map_err(|_| Error::Store("database lock poisoned".into()))
    }
}

pub(super) fn bump(tx: &Transaction<'_>) -> Result<()> {
    tx.execute(
        "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'version'",
        [],
    )?;
    Ok(())
}

pub(super) fn put(tx: &Transaction<'_>, s: &Service) -> Result<()> {
    let nature =
        serde_json::to_value(s.provider.legal_nature).map_err(|e| Error::Store(e.to_string()))?;
    // An organisation's contact is kept by its provider: a record without one (an import)
    // leaves the stored one in place.
    let contact = (!s.provider.contact.is_empty())
        .then(|| serde_json::to_string(&s.provider.contact))
        .transpose()
        .map_err(|e| Error::Store(e.to_string()))?;
    tx.execute(
        "INSERT INTO providers(id, name, legal_nature, contact) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(id) DO UPDATE SET name = excluded.name, legal_nature = excluded.legal_nature,
           contact = coalesce(excluded.contact, contact)",
        params![
            s.provider.id,
            s.provider.name,
            nature.as_str().unwrap_or("unknown"),
            contact
        ],
    )?;
    let record = serde_json::to_string(s).map_err(|e| Error::Store(e.to_string()))?;
    tx.execute(
        "INSERT INTO services(id, provider_id, type_code, municipality, lon, lat, demo, record)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT(id) DO UPDATE SET provider_id = excluded.provider_id,
           type_code = excluded.type_code, municipality = excluded.municipality,
           lon = excluded.lon, lat = excluded.lat, demo = excluded.demo, record = excluded.record",
        params![
            s.id,
            s.provider.id,
            s.type_code,
            s.municipality,
            s.lon,
            s.lat,
            s.demo,
            record
        ],
    )?;
    Ok(())
}

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
                    .map_err(|e| Error::Store(format!("provider {id}: contact: {e}")))?,
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
                .map_err(|e| Error::Store(format!("service {id}: {e}")))?;
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

    fn put_report(&self, source: &str, json: &str) -> Result<()> {
        self.lock()?.execute(
            "INSERT OR REPLACE INTO reports(source, json) VALUES (?1, ?2)",
            [source, json],
        )?;
        Ok(())
    }

    fn reports(&self) -> Result<Vec<(String, String)>> {
        let conn = self.lock()?;
        let mut stmt = conn.prepare("SELECT source, json FROM reports ORDER BY source")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<std::result::Result<_, _>>()?)
    }

    fn add_feedback(
        &self,
        service_id: &str,
        problem: crate::feedback::Problem,
        note: Option<&str>,
        created: &str,
    ) -> Result<crate::feedback::Feedback> {
        let conn = self.lock()?;
        conn.execute(
            "INSERT INTO feedback(service_id, problem, note, created) VALUES (?1, ?2, ?3, ?4)",
            params![service_id, problem.code(), note, created],
        )?;
        Ok(crate::feedback::Feedback {
            id: conn.last_insert_rowid(),
            service_id: service_id.to_string(),
            problem,
            note: note.map(str::to_string),
            created: created.to_string(),
            status: crate::feedback::Status::Open,
        })
    }

    fn feedback(&self, service_id: Option<&str>) -> Result<Vec<crate::feedback::Feedback>> {
        use crate::feedback::{Feedback, Problem, Status};
        let conn = self.lock()?;
        let mut stmt = conn.prepare(
            "SELECT id, service_id, problem, note, created, status FROM feedback
             WHERE ?1 IS NULL OR service_id = ?1 ORDER BY id DESC",
        )?;
        let rows = stmt.query_map([service_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, service_id, problem, note, created, status) = row?;
            out.push(Feedback {
                id,
                service_id,
                problem: Problem::parse(&problem)
                    .ok_or_else(|| Error::Store(format!("feedback {id}: problem '{problem}'")))?,
                note,
                created,
                status: if status == "resolved" {
                    Status::Resolved
                } else {
                    Status::Open
                },
            });
        }
        Ok(out)
    }

    fn resolve_feedback(&self, id: i64) -> Result<bool> {
        let n = self.lock()?.execute(
            "UPDATE feedback SET status = 'resolved' WHERE id = ?1 AND status = 'open'",
            [id],
        )?;
        Ok(n > 0)
    }

    fn add_survey_answers(
        &self,
        audience: &str,
        role: Option<&str>,
        answers: &str,
        created: &str,
    ) -> Result<i64> {
        let conn = self.lock()?;
        conn.execute(
            "INSERT INTO survey_answers(created, audience, role, answers) VALUES (?1, ?2, ?3, ?4)",
            params![created, audience, role, answers],
        )?;
        Ok(conn.last_insert_rowid())
    }

    fn survey_answers(&self) -> Result<Vec<crate::survey::AnswerSet>> {
        let conn = self.lock()?;
        let mut stmt = conn.prepare(
            "SELECT id, created, audience, role, answers FROM survey_answers ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, created, audience, role, json) = row?;
            let answers = serde_json::from_str(&json)
                .map_err(|e| Error::Store(format!("survey answers {id}: {e}")))?;
            out.push(crate::survey::AnswerSet {
                id,
                created,
                audience,
                role,
                answers,
            });
        }
        Ok(out)
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
            .map_err(|_| Error::Store(format!("bad version '{v}'")))
    }
}

#[cfg(test)]
#[path = "sqlite_tests.rs"]
mod tests;
