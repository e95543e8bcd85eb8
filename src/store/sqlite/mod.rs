//! The embedded SQLite store: one file, one connection behind a mutex, WAL journal.
//!
//! SQLite's errors become [`StoreError::Backend`] here, with the engine's error kept as the
//! cause; nothing outside this module names `rusqlite`.
mod accounts;
mod history;
pub mod migrate;
mod news;
mod notes;
mod services;
mod training;
mod trends;
mod usage;

use super::StoreError;
use crate::model::Service;
use crate::{Error, Result};
use rusqlite::{params, Connection, Transaction};
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Store(StoreError::backend("sqlite", e))
    }
}

/// How many read-only connections a file database gets.
const READERS: usize = 2;

/// Services and providers in one SQLite file.
#[derive(Debug)]
pub struct SqliteStore {
    conn: Mutex<Connection>,
    /// Read-only connections to a file database: records are read through them while a write
    /// waits on the first (WAL lets them), so reads never wait for writes; two, so that the
    /// blocking threads of two requests read side by side.
    readers: Vec<Mutex<Connection>>,
    /// The file, or `None` in memory.
    path: Option<std::path::PathBuf>,
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
        let mut store = Self::init(conn, Some(path.to_path_buf()))?;
        for _ in 0..READERS {
            let reader = Connection::open_with_flags(
                path,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                    | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            reader.busy_timeout(std::time::Duration::from_secs(5))?;
            store.readers.push(Mutex::new(reader));
        }
        Ok(store)
    }

    /// An in-memory store (tests).
    pub fn in_memory() -> Result<Self> {
        Self::init(Connection::open_in_memory()?, None)
    }

    fn init(mut conn: Connection, path: Option<std::path::PathBuf>) -> Result<Self> {
        conn.pragma_update(None, "foreign_keys", "ON")?;
        migrate::migrate(&mut conn)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            readers: Vec::new(),
            path,
        })
    }

    /// Copies the whole database to `path` while it stays in use (SQLite's online backup).
    fn backup_to(&self, path: &Path) -> Result<()> {
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
            .map_err(|e| StoreError::backend(format!("backup to {}", path.display()), e).into())
    }

    /// Replaces the whole database with a backup made by [`Self::backup_to`], after checking
    /// that it is one; then brings it to the current schema. Nothing changes if the check fails.
    ///
    /// Tokens revoked or used in the database replaced stay so: the backup is copied to a
    /// staging file beside the database, brought to the current schema, the revocations and
    /// uses re-applied to it, and only then copied in whole, so a restore never brings back a
    /// session revoked (or a login link used) after the backup was made.
    fn restore_from(&self, path: &Path) -> Result<()> {
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
        if migrate::version(&source)? > migrate::current() {
            return Err(Error::data(path, None, None, "made by a newer Bússola"));
        }
        drop(source);
        let mut conn = self.lock()?;
        let ended = accounts::ended_tokens(&conn)?;
        let staging = Staging::beside(self.path.as_deref());
        let restore = |conn: &mut Connection, from: &Path| {
            conn.restore(
                rusqlite::MAIN_DB,
                from,
                None::<fn(rusqlite::backup::Progress)>,
            )
            .map_err(|e| StoreError::backend(format!("restore from {}", path.display()), e))
        };
        {
            let mut staged = Connection::open(&staging.0)?;
            restore(&mut staged, path)?;
            migrate::migrate(&mut staged)?;
            accounts::end_tokens(&mut staged, &ended)?;
        }
        restore(&mut conn, &staging.0)?;
        migrate::migrate(&mut conn)?;
        Ok(())
    }

    fn describe_file(&self) -> String {
        match &self.path {
            Some(p) => format!("SQLite file {}", p.display()),
            None => "SQLite in memory".into(),
        }
    }

    fn lock(&self) -> Result<MutexGuard<'_, Connection>> {
        lock(&self.conn)
    }

    /// A connection to read services through: a free read-only one, else the first (the
    /// writer's when there are none, in memory).
    fn read(&self) -> Result<MutexGuard<'_, Connection>> {
        for r in &self.readers {
            if let Ok(conn) = r.try_lock() {
                return Ok(conn);
            }
        }
        match self.readers.first() {
            Some(r) => lock(r),
            None => self.lock(),
        }
    }
}

/// A scratch database file for a restore, removed (with its journal files) when dropped:
/// beside the database file, or in the temporary folder for a store in memory.
struct Staging(std::path::PathBuf);

impl Staging {
    fn beside(db: Option<&Path>) -> Self {
        let unique = format!(
            "bussola-restore-{}-{}.sqlite",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        );
        // A file named without a folder is in the working directory.
        let dir = db
            .and_then(Path::parent)
            .map_or_else(std::env::temp_dir, |d| {
                if d.as_os_str().is_empty() {
                    ".".into()
                } else {
                    d.to_path_buf()
                }
            });
        Staging(dir.join(format!(".{unique}")))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut p = self.0.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Takes a connection.
fn lock(conn: &Mutex<Connection>) -> Result<MutexGuard<'_, Connection>> {
    conn.lock().map_err(|_| StoreError::Poisoned.into())
}

fn bump(tx: &Transaction<'_>) -> Result<()> {
    tx.execute(
        "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'version'",
        [],
    )?;
    Ok(())
}

fn put(tx: &Transaction<'_>, s: &Service) -> Result<()> {
    let nature = serde_json::to_value(s.provider.legal_nature)
        .map_err(|e| StoreError::backend(format!("provider {}", s.provider.id), e))?;
    // An organisation's contact is kept by its provider: a record without one (an import)
    // leaves the stored one in place.
    let contact = (!s.provider.contact.is_empty())
        .then(|| serde_json::to_string(&s.provider.contact))
        .transpose()
        .map_err(|e| StoreError::backend(format!("provider {}: contact", s.provider.id), e))?;
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
    let record = serde_json::to_string(s)
        .map_err(|e| StoreError::backend(format!("service {}", s.id), e))?;
    tx.execute(
        "INSERT INTO services(id, provider_id, type_code, municipality, lon, lat, demo, record,
           name, locality, capacity, precision)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT(id) DO UPDATE SET provider_id = excluded.provider_id,
           type_code = excluded.type_code, municipality = excluded.municipality,
           lon = excluded.lon, lat = excluded.lat, demo = excluded.demo, record = excluded.record,
           name = excluded.name, locality = excluded.locality, capacity = excluded.capacity,
           precision = excluded.precision",
        params![
            s.id,
            s.provider.id,
            s.type_code,
            s.municipality,
            s.lon,
            s.lat,
            s.demo,
            record,
            s.name,
            s.locality,
            s.capacity,
            s.precision.name(),
        ],
    )?;
    Ok(())
}
