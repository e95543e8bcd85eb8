//! The PostgreSQL/PostGIS store: one database shared by any number of Bússola processes.
//!
//! Calls block (the synchronous `postgres` client) on a small pool of connections (`r2d2`), so
//! reads never wait for a write: PostgreSQL's MVCC lets a read see the last committed state
//! while another connection writes. Services keep a PostGIS `geography(Point, 4326)` column with
//! a GiST index beside the brief's columns, so GIS clients (QGIS) read the `services` table
//! directly. PostgreSQL's errors become [`StoreError::Backend`] here, with the engine's error
//! kept as the cause; nothing outside this module names the driver.
//!
//! Every write that changes services moves the data version, a single row in `data_version`
//! updated in the write's own transaction (so it is monotonic across every process on the
//! database), and notifies [`CHANNEL`] with the new version at commit. Triggers log which
//! services each version wrote (`service_log`), so another replica, woken by the notification
//! ([`Store::watch`](crate::store::Store::watch)), reads only those
//! ([`Store::changed_since`](crate::store::Store::changed_since)).
mod accounts;
mod backup;
mod history;
pub mod migrate;
mod news;
mod notes;
mod replicas;
mod services;
mod tls;
mod training;
mod trends;
mod usage;

use super::StoreError;
use crate::model::Service;
use crate::{Error, Result};
use postgres::types::Json;
use postgres::{Client, Config, Transaction};
use r2d2_postgres::{r2d2, PostgresConnectionManager};
use std::time::Duration;
use tokio_postgres_rustls::MakeRustlsConnect;

/// The notification channel a write's new data version is sent on (`NOTIFY`), in the write's
/// transaction: what other replicas listen to.
pub const CHANNEL: &str = "bussola_data";

/// How many connections a process keeps at most: a write and a few reads side by side.
const POOL: u32 = 6;

impl From<postgres::Error> for Error {
    fn from(e: postgres::Error) -> Self {
        Error::Store(StoreError::backend("postgresql", e))
    }
}

impl From<r2d2::Error> for Error {
    fn from(e: r2d2::Error) -> Self {
        Error::Store(StoreError::backend("postgresql connection pool", e))
    }
}

type Pool = r2d2::Pool<PostgresConnectionManager<MakeRustlsConnect>>;

/// A connection taken from the pool (back to it when dropped).
type Pooled = r2d2::PooledConnection<PostgresConnectionManager<MakeRustlsConnect>>;

/// Services and everything else in one PostgreSQL database with PostGIS.
pub struct PostgresStore {
    /// Always there until the store is dropped.
    pool: Option<Pool>,
    /// The connection (with its password: for `pg_dump`/`pg_restore`, never shown).
    config: Config,
    /// TLS as the URL asked for it (`sslmode`, `sslrootcert`).
    tls: tls::Tls,
    /// The URL without its password, for messages.
    shown: String,
    /// False once the store is dropped (its listening thread then ends).
    open: replicas::Open,
    /// Rate limit takes so far (old buckets are swept now and then).
    takes: replicas::Takes,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("database", &self.shown)
            .finish_non_exhaustive()
    }
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/db`), brings it
    /// to the current schema (creating the PostGIS extension if it is missing) and keeps a
    /// pool of connections. `shown` is the URL without its password, for messages.
    pub fn open(url: &str, shown: &str) -> Result<Self> {
        off_runtime(|| Self::connect(url, shown))
    }

    fn connect(url: &str, shown: &str) -> Result<Self> {
        let context = |what: &str| format!("{what} {shown}");
        let (url, tls) = tls::split(url)?;
        let mut config: Config = url
            .parse()
            .map_err(|e| StoreError::backend(context("reading the URL of"), e))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        if config.get_application_name().is_none() {
            config.application_name("bussola");
        }
        config.ssl_mode(tls.mode);
        // One connection first, for a clear error (the pool would only say it timed out) and
        // the migrations.
        let mut first = config
            .connect(tls.connector.clone())
            .map_err(|e| StoreError::backend(context("connecting to"), e))?;
        migrate::migrate(&mut first)?;
        drop(first);
        let pool = r2d2::Pool::builder()
            .max_size(POOL)
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(30))
            .build(PostgresConnectionManager::new(
                config.clone(),
                tls.connector.clone(),
            ))
            .map_err(|e| StoreError::backend(context("connecting to"), e))?;
        Ok(PostgresStore {
            pool: Some(pool),
            config,
            tls,
            shown: shown.to_string(),
            open: std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true)),
            takes: Default::default(),
        })
    }

    /// Runs `f` with a connection of the pool it may keep, off any async runtime.
    fn run_owned<T: Send>(&self, f: impl FnOnce(Pooled) -> Result<T> + Send) -> Result<T> {
        off_runtime(|| {
            let pool = self.pool.as_ref().ok_or(StoreError::Poisoned)?;
            f(pool.get()?)
        })
    }

    /// Runs `f` on a connection from the pool, off any async runtime (see [`off_runtime`]).
    fn run<T: Send>(&self, f: impl FnOnce(&mut Client) -> Result<T> + Send) -> Result<T> {
        off_runtime(|| {
            let pool = self.pool.as_ref().ok_or(StoreError::Poisoned)?;
            let mut conn = pool.get()?;
            f(&mut conn)
        })
    }
}

impl Drop for PostgresStore {
    fn drop(&mut self) {
        self.open.store(false, std::sync::atomic::Ordering::Release);
        // Closing a connection blocks on the client's own runtime, like every call.
        if let Some(pool) = self.pool.take() {
            off_runtime(move || drop(pool));
        }
    }
}

/// Runs `f` where the synchronous client may block: here, or on a scoped thread of its own
/// when this thread is in a tokio runtime's context. The client drives each connection with a
/// small runtime of its own and panics inside another's; the traits' callers are meant to call
/// from blocking threads, but a command's `main` or a start-up step may not.
fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    if tokio::runtime::Handle::try_current().is_err() {
        return f();
    }
    std::thread::scope(|s| match s.spawn(f).join() {
        Ok(v) => v,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

/// How many data versions the change log keeps (older ones are pruned): a replica further
/// behind than this reloads whole.
const LOG_KEEP: i64 = 20_000;

/// Moves the data version on (once per transaction; the triggers of the service rows written
/// then find it moved) and tells listeners the new one, at commit. Called first in a write's
/// transaction: the version's row lock then always comes before any service row's, so two
/// processes writing the same services wait for each other instead of deadlocking.
fn bump(tx: &mut Transaction<'_>) -> Result<()> {
    let version: i64 = tx.query_one("SELECT bussola_version()", &[])?.try_get(0)?;
    tx.execute(
        "SELECT pg_notify($1, $2::bigint::text)",
        &[&CHANNEL, &version],
    )?;
    // Now and then, forget what replicas no longer need.
    if version % 1024 == 0 && version > LOG_KEEP {
        let floor = version - LOG_KEEP;
        tx.execute("DELETE FROM service_log WHERE version <= $1", &[&floor])?;
        tx.execute(
            "UPDATE meta SET value = $1::bigint::text
             WHERE key = 'log_floor' AND value::bigint < $1::bigint",
            &[&floor],
        )?;
    }
    Ok(())
}

/// A count or number from a column, as the traits want it.
fn count(n: i64) -> usize {
    usize::try_from(n).unwrap_or(0)
}

/// Inserts or replaces services and their providers (in the caller's transaction), with two
/// statements prepared once for the batch.
fn put_all(tx: &mut Transaction<'_>, services: &[Service]) -> Result<()> {
    if services.is_empty() {
        return Ok(());
    }
    // An organisation's contact is kept by its provider: a record without one (an import)
    // leaves the stored one in place.
    let provider = tx.prepare(
        "INSERT INTO providers(id, name, legal_nature, contact) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name,
           legal_nature = excluded.legal_nature,
           contact = coalesce(excluded.contact, providers.contact)",
    )?;
    let service = tx.prepare(
        "INSERT INTO services(id, provider_id, type_code, municipality, lon, lat, demo, record,
           name, locality, capacity, precision)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (id) DO UPDATE SET provider_id = excluded.provider_id,
           type_code = excluded.type_code, municipality = excluded.municipality,
           lon = excluded.lon, lat = excluded.lat, demo = excluded.demo, record = excluded.record,
           name = excluded.name, locality = excluded.locality, capacity = excluded.capacity,
           precision = excluded.precision",
    )?;
    for s in services {
        let nature = serde_json::to_value(s.provider.legal_nature)
            .map_err(|e| StoreError::backend(format!("provider {}", s.provider.id), e))?;
        let contact = (!s.provider.contact.is_empty()).then_some(Json(&s.provider.contact));
        tx.execute(
            &provider,
            &[
                &s.provider.id,
                &s.provider.name,
                &nature.as_str().unwrap_or("unknown"),
                &contact,
            ],
        )?;
        tx.execute(
            &service,
            &[
                &s.id,
                &s.provider.id,
                &s.type_code,
                &s.municipality,
                &s.lon,
                &s.lat,
                &s.demo,
                &Json(s),
                &s.name,
                &s.locality,
                &s.capacity.map(i64::from),
                &s.precision.name(),
            ],
        )?;
    }
    Ok(())
}

/// A record stored as JSON, read back typed.
fn parse<T: serde::de::DeserializeOwned>(what: impl Into<String>, json: &str) -> Result<T> {
    serde_json::from_str(json).map_err(|e| StoreError::corrupt(what, e).into())
}
