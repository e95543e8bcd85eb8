//! What keeps several processes on one database in step: the log of services written per
//! data version, the notifications of each write, and rate limits kept in the database.
use super::{PostgresStore, CHANNEL};
use crate::store::{Changed, Held, SharedLimits, Store, StoreError, Wake};
use crate::Result;
use postgres::fallible_iterator::FallibleIterator;
use postgres::Config;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio_postgres_rustls::MakeRustlsConnect;

/// How long the listening thread waits for a notification before checking whether its store
/// is gone, and before connecting again after a failure.
const PATIENCE: Duration = Duration::from_millis(500);

impl PostgresStore {
    /// See [`Store::changed_since`]: the log's ids after `since`, read with the data version
    /// in one snapshot (versions commit in order, so that snapshot holds every write up to it).
    pub(super) fn changes_after(&self, since: u64) -> Result<Option<Changed>> {
        let since = i64::try_from(since).map_err(|e| StoreError::corrupt("data version", e))?;
        let found = self.run(|conn| {
            let mut tx = conn
                .build_transaction()
                .isolation_level(postgres::IsolationLevel::RepeatableRead)
                .read_only(true)
                .start()?;
            let row = tx.query_one(
                "SELECT version, (SELECT value::bigint FROM meta WHERE key = 'log_floor')
                 FROM data_version",
                &[],
            )?;
            let version: i64 = row.try_get(0)?;
            let floor: Option<i64> = row.try_get(1)?;
            if since > version || floor.is_none_or(|f| since < f) {
                return Ok(None);
            }
            let rows = tx.query(
                "SELECT DISTINCT l.service_id, s.id IS NOT NULL FROM service_log l
                 LEFT JOIN services s ON s.id = l.service_id
                 WHERE l.version > $1 ORDER BY l.service_id",
                &[&since],
            )?;
            tx.commit()?;
            let mut written = Vec::new();
            let mut removed = Vec::new();
            for r in rows {
                let id: String = r.try_get(0)?;
                if r.try_get(1)? {
                    written.push(id);
                } else {
                    removed.push(id);
                }
            }
            Ok(Some((version, written, removed)))
        })?;
        let Some((version, written, removed)) = found else {
            return Ok(None);
        };
        // Records are read after the snapshot: one written meanwhile comes newer than
        // `version`, which only means the next call brings it again.
        let ids: Vec<&str> = written.iter().map(String::as_str).collect();
        let services = self.services_by_id(&ids)?;
        Ok(Some(Changed {
            version: version.unsigned_abs(),
            services,
            removed,
        }))
    }

    /// See [`Store::watch`]: a thread with a connection of its own that `LISTEN`s on
    /// [`CHANNEL`] and calls `wake` for each notification, and after each (re)connection
    /// (writes may have been missed meanwhile). It ends soon after the store is dropped.
    pub(super) fn listen(&self, wake: Wake) -> Result<bool> {
        let config = self.config.clone();
        let tls = self.tls.connector.clone();
        let shown = self.shown.clone();
        let open = self.open.clone();
        std::thread::Builder::new()
            .name("bussola-listen".into())
            .spawn(move || hear(&config, tls, &shown, &open, &*wake))
            .map_err(|e| StoreError::backend("starting the listening thread", e))?;
        Ok(true)
    }
}

/// Listens until `open` turns false, connecting again after any failure.
fn hear(
    config: &Config,
    tls: MakeRustlsConnect,
    shown: &str,
    open: &AtomicBool,
    wake: &(dyn Fn() + Send + Sync),
) {
    let mut failed = false;
    while open.load(Ordering::Acquire) {
        let mut client = match config.connect(tls.clone()) {
            Ok(c) => c,
            Err(e) => {
                if !failed {
                    tracing::warn!("listening for writes on {shown}: {e}; trying again");
                }
                failed = true;
                std::thread::sleep(PATIENCE);
                continue;
            }
        };
        if let Err(e) = client.batch_execute(&format!("LISTEN {CHANNEL}")) {
            tracing::warn!("listening for writes on {shown}: {e}");
            std::thread::sleep(PATIENCE);
            continue;
        }
        if failed {
            tracing::info!("listening for writes on {shown} again");
        }
        failed = false;
        // Writes made before this connection listened are caught up now.
        wake();
        while open.load(Ordering::Acquire) {
            let mut notes = client.notifications();
            let first = match notes.timeout_iter(PATIENCE).next() {
                Ok(heard) => heard.is_some(),
                Err(e) => {
                    tracing::warn!("listening for writes on {shown}: {e}; connecting again");
                    failed = true;
                    break;
                }
            };
            // Several writes heard at once wake once.
            while let Ok(Some(_)) = notes.iter().next() {}
            drop(notes);
            if first {
                wake();
            }
            if client.is_closed() {
                failed = true;
                break;
            }
        }
    }
}

/// The advisory lock a start holds while it seeds (any number, the same for every Bússola,
/// other than the migrations').
const START_LOCK: i64 = 0x0062_7573_736f_6c62;

impl PostgresStore {
    /// See [`Store::hold_starts`]: a session advisory lock on a pooled connection, released
    /// when the value is dropped.
    pub(super) fn start_lock(&self) -> Result<Held> {
        let conn = self.run_owned(|mut conn| {
            conn.execute("SELECT pg_advisory_lock($1)", &[&START_LOCK])?;
            Ok(conn)
        })?;
        Ok(Box::new(StartLock(Some(conn))))
    }
}

/// A connection holding [`START_LOCK`].
struct StartLock(Option<super::Pooled>);

impl Drop for StartLock {
    fn drop(&mut self) {
        if let Some(mut conn) = self.0.take() {
            super::off_runtime(move || {
                // On failure the connection goes, and the lock with its session.
                if conn
                    .execute("SELECT pg_advisory_unlock($1)", &[&START_LOCK])
                    .is_err()
                {
                    tracing::warn!("releasing the start lock");
                }
            });
        }
    }
}

/// Old buckets are deleted every this many takes (a bucket untouched for two days is full).
const SWEEP_EVERY: u64 = 1000;

impl SharedLimits for PostgresStore {
    fn take(&self, key: &str, burst: f64, per_sec: f64) -> Result<Option<f64>> {
        let sweep = self.takes.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1;
        self.run(|conn| {
            // The row's lock makes takes of one bucket from any process one after another.
            let row = conn.query_one(
                "WITH asked AS (SELECT $1::text AS key, $2::float8 AS burst, $3::float8 AS rate,
                   extract(epoch FROM clock_timestamp())::float8 AS now)
                 INSERT INTO rate_buckets AS b (key, tokens, at, allowed)
                 SELECT key, burst - 1, now, true FROM asked
                 ON CONFLICT (key) DO UPDATE SET
                   tokens = least($2::float8, b.tokens + greatest(excluded.at - b.at, 0) * $3::float8)
                     - CASE WHEN least($2::float8, b.tokens + greatest(excluded.at - b.at, 0)
                       * $3::float8) >= 1 THEN 1 ELSE 0 END,
                   allowed = least($2::float8, b.tokens + greatest(excluded.at - b.at, 0)
                     * $3::float8) >= 1,
                   at = excluded.at
                 RETURNING allowed, tokens",
                &[&key, &burst, &per_sec],
            )?;
            if sweep {
                conn.execute(
                    "DELETE FROM rate_buckets
                     WHERE at < extract(epoch FROM clock_timestamp()) - 172800",
                    &[],
                )?;
            }
            let allowed: bool = row.try_get(0)?;
            let tokens: f64 = row.try_get(1)?;
            Ok((!allowed).then(|| ((1.0 - tokens) / per_sec).ceil()))
        })
    }
}

/// Counts takes, for the sweep of old buckets.
pub(super) type Takes = AtomicU64;

/// Shared by the store and its listening thread: false once the store is dropped.
pub(super) type Open = Arc<AtomicBool>;
