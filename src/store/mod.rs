//! Durable storage behind the [`Store`] trait, whatever the backend.
//!
//! The default is an embedded SQLite file ([`SqliteStore`]); a PostgreSQL/PostGIS database
//! ([`PostgresStore`], `--database postgres://…`) is the second backend, for one database shared
//! by several processes. Each implements the same traits, converts its own errors into
//! [`StoreError`] and passes the conformance suite in `tests/it/store_conformance/`. Values
//! cross the traits typed (records, reports, answers), never as JSON text. Every write is one
//! transaction: a crash never leaves half a record, and a failed write leaves what was stored
//! untouched. Calls block (disk, locks): async code runs them on a blocking thread.
mod database;
pub mod postgres;
mod records;
pub mod sqlite;
mod trends;
mod usage;

pub use self::postgres::PostgresStore;
use crate::account::{NewUser, User};
pub use crate::error::StoreError;
use crate::model::{Brief, Codes, Service};
use crate::quality::Report;
use crate::Result;
pub use database::{Database, DatabaseUrl};
pub use records::*;
pub use sqlite::SqliteStore;
use std::collections::BTreeMap;
use std::path::Path;
pub use trends::{Alert, IndicatorPoint, PointQuery, ReferenceValue};
pub use usage::{UsageCount, UsageKind, UsageTotals};

/// Accounts and their tokens (hashes only).
pub trait Accounts {
    /// Creates an account with its first login token (whose `user` is ignored), in one
    /// transaction; an e-mail address already in use is refused.
    fn add_user(&self, u: &NewUser, first_login: &NewToken) -> Result<User>;
    /// An account by id.
    fn user(&self, id: i64) -> Result<Option<User>>;
    /// An account by e-mail address (case-insensitive).
    fn user_by_email(&self, email: &str) -> Result<Option<User>>;
    /// Every account, by e-mail address.
    fn users(&self) -> Result<Vec<User>>;
    /// Stores a token; its id.
    fn put_token(&self, t: &NewToken) -> Result<i64>;
    /// Marks a valid login token used (once only); its account.
    fn take_login(&self, hash: &str, now: i64) -> Result<Option<i64>>;
    /// The valid (unexpired, unrevoked) session with this hash.
    fn session(&self, hash: &str, now: i64) -> Result<Option<SessionRow>>;
    /// The account a token (by id) belongs to.
    fn token_owner(&self, id: i64) -> Result<Option<i64>>;
    /// Revokes a token; whether it was live.
    fn revoke_token(&self, id: i64, now: i64) -> Result<bool>;
    /// Revokes every token of an account; how many.
    fn revoke_user(&self, user: i64, now: i64) -> Result<usize>;
}

/// The change history of services, organisations and training offers: edits, pending changes
/// and decisions.
pub trait History {
    /// Writes an edit (service, change rows, decision) in one transaction; the new rows' ids.
    /// A decision on a change that is no longer pending is refused (conflict) and writes nothing.
    fn write_edit(&self, w: &EditWrite) -> Result<Vec<i64>>;
    /// Changes matching a query, oldest first.
    fn changes(&self, q: &ChangeQuery) -> Result<Vec<Change>>;
    /// One change by id.
    fn change(&self, id: i64) -> Result<Option<Change>>;
    /// Deletes a service and writes change rows (its closing) in one transaction; whether it
    /// was there (when it was not, nothing is written).
    fn write_removal(&self, id: &str, rows: &[NewChange]) -> Result<bool>;
}

/// Training offers, whatever their status (written with their history through
/// [`History::write_edit`]).
pub trait TrainingOffers {
    /// Every stored offer, by id.
    fn offers(&self) -> Result<Vec<crate::model::training::Offer>>;
    /// One offer by id.
    fn offer(&self, id: &str) -> Result<Option<crate::model::training::Offer>>;
    /// Stores the demonstration offers once in a store's life, in one transaction; whether it
    /// did (never again once done, even if they were all withdrawn since).
    fn seed_offers(&self, offers: &[crate::model::training::Offer]) -> Result<bool>;
}

/// Daily counts of how services are used (no personal data).
pub trait Usage {
    /// Adds counts of services on days to what is stored, in one transaction.
    fn add_usage(&self, counts: &[UsageCount]) -> Result<()>;
    /// Each service's counts from a day (YYYY-MM-DD) on, in the order given.
    fn usage(&self, ids: &[String], since: &str) -> Result<Vec<UsageTotals>>;
}

/// What checks and people report: quality reports of sources, citizens' reports of wrong
/// records, and survey answers.
pub trait Reports {
    /// Keeps the latest quality report of a source, replacing the previous one.
    fn put_report(&self, source: &str, report: &Report) -> Result<()>;
    /// The latest quality report of every source, by source.
    fn reports(&self) -> Result<Vec<(String, Report)>>;
    /// Stores a citizen's report about a service; returns it with its number.
    fn add_feedback(
        &self,
        service_id: &str,
        problem: crate::feedback::Problem,
        note: Option<&str>,
        created: &str,
    ) -> Result<crate::feedback::Feedback>;
    /// The reports about a service (all services when `None`), newest first.
    fn feedback(&self, service_id: Option<&str>) -> Result<Vec<crate::feedback::Feedback>>;
    /// Marks a report resolved; whether it was open.
    fn resolve_feedback(&self, id: i64) -> Result<bool>;
    /// Stores a survey answer set (values by question id; `role` for provider answers only);
    /// its number.
    fn add_survey_answers(
        &self,
        audience: &str,
        role: Option<&str>,
        answers: &BTreeMap<String, serde_json::Value>,
        created: &str,
    ) -> Result<i64>;
    /// Every survey answer set, oldest first.
    fn survey_answers(&self) -> Result<Vec<crate::survey::AnswerSet>>;
}

/// News from the regional coordinator.
pub trait News {
    /// Stores a news item by `author` (`None` for demonstration items); it, with its number.
    fn add_news(&self, draft: &NewsDraft, author: Option<i64>, now: i64) -> Result<NewsItem>;
    /// Replaces an item's fields (not its author or creation time); it, or `None` if unknown.
    fn update_news(&self, id: i64, draft: &NewsDraft, now: i64) -> Result<Option<NewsItem>>;
    /// Deletes an item; whether it was there.
    fn delete_news(&self, id: i64) -> Result<bool>;
    /// One item.
    fn news_item(&self, id: i64) -> Result<Option<NewsItem>>;
    /// At most `limit` items, newest date first (ties: higher number first); with a
    /// municipality, that municipality's and those for the whole region (no municipality).
    fn news(&self, municipality: Option<&str>, limit: usize) -> Result<Vec<NewsItem>>;
    /// How many items are stored.
    fn news_count(&self) -> Result<usize>;
}

/// Indicators kept over time: dated points, published values to compare them with, and the
/// alerts found between consecutive points. Points and alerts are written once: several
/// processes on one database recording the same bucket store it once.
pub trait Trends {
    /// Stores points in one transaction; one whose (area, indicator, bucket) is stored already
    /// is left as it is. How many were new.
    fn add_points(&self, points: &[IndicatorPoint]) -> Result<usize>;
    /// The points of a query, by area, indicator and time.
    fn points(&self, q: &PointQuery) -> Result<Vec<IndicatorPoint>>;
    /// The latest point of every (area, indicator), by area and indicator.
    fn latest_points(&self) -> Result<Vec<IndicatorPoint>>;
    /// Whether any point of a bucket is stored.
    fn has_bucket(&self, bucket: &str) -> Result<bool>;
    /// The time of the earliest point recorded at the time (not reconstructed), if any.
    fn first_recorded(&self) -> Result<Option<String>>;
    /// Stores reference values in one transaction, replacing the value of one with the same
    /// (date, area, indicator, source). How many were given.
    fn put_references(&self, refs: &[ReferenceValue]) -> Result<usize>;
    /// The reference values of a query (its times compared by day), by area, indicator, date
    /// and source.
    fn references(&self, q: &PointQuery) -> Result<Vec<ReferenceValue>>;
    /// Stores alerts in one transaction; one whose (area, kind, indicator, bucket) is stored
    /// already is left as it is. How many were new.
    fn add_alerts(&self, alerts: &[Alert]) -> Result<usize>;
    /// At most `limit` alerts of some areas (all when empty), newest first.
    fn alerts(&self, areas: &[String], limit: usize) -> Result<Vec<Alert>>;
}

/// Where services and their providers are kept, with (through the other traits) who may edit
/// them, what changed, how they are used and what was reported. One value of it is a backend.
pub trait Store:
    Accounts + History + Usage + Reports + TrainingOffers + News + Trends + Send + Sync
{
    /// Every stored service (with its provider).
    fn services(&self) -> Result<Vec<Service>>;
    /// The stored services with these ids (with their providers), in the order asked; ids not
    /// stored are left out.
    fn services_by_id(&self, ids: &[&str]) -> Result<Vec<Service>>;
    /// The brief of every stored service (in no particular order) and the codes they share:
    /// what the index is built from at start-up, without reading whole records.
    fn briefs(&self) -> Result<(Vec<Brief>, Codes)>;
    /// How many services are stored.
    fn count(&self) -> Result<usize>;
    /// The regions whose services were seeded, in id order (so an emptied store is not seeded
    /// again, and a region served later alongside gets its own services).
    fn seeded(&self) -> Result<Vec<String>>;
    /// Stores a region's services in one transaction and records that region as seeded.
    fn seed(&self, region: &str, services: &[Service]) -> Result<()>;
    /// Inserts or replaces one service (and its provider), in one transaction.
    fn upsert(&self, service: &Service) -> Result<()>;
    /// Inserts or replaces several services in one transaction (all or none).
    fn upsert_many(&self, services: &[Service]) -> Result<()>;
    /// Deletes a service; whether it was there.
    fn delete(&self, id: &str) -> Result<bool>;
    /// A number that changes on every write (for caches and ETags).
    fn version(&self) -> Result<u64>;
    /// Copies everything to a new file `to` while the store stays in use; an existing file is
    /// refused.
    fn backup(&self, to: &Path) -> Result<()>;
    /// Replaces everything with a backup made by [`Store::backup`], after checking that it is
    /// one; nothing changes if the check fails. Tokens revoked or used in the store replaced
    /// stay revoked or used: a restore never brings back a session revoked, or a login link
    /// used, after the backup was made.
    fn restore(&self, from: &Path) -> Result<()>;
    /// Where the data is, for logs and messages (never a password).
    fn describe(&self) -> String;
    /// What was written after data version `since`, for a process keeping a copy in step
    /// (another replica's writes): the services written since, as stored now, and the ids of
    /// those deleted since. `None` when this store cannot say (it keeps no log of writes, or
    /// not that far back, or it was restored since): then read everything again.
    fn changed_since(&self, since: u64) -> Result<Option<Changed>> {
        let _ = since;
        Ok(None)
    }
    /// Calls `wake`, from a thread of the store's own, whenever another process may have
    /// written: on each write's notification, and each time the connection that hears them is
    /// made (again). `false` when this store hears of no writes: callers poll
    /// [`Store::version`].
    fn watch(&self, wake: Wake) -> Result<bool> {
        let _ = wake;
        Ok(false)
    }
    /// Holds back other processes' starts on this store until the value is dropped, so what
    /// a first start seeds is seeded once even when several processes start at once.
    fn hold_starts(&self) -> Result<Held> {
        Ok(Box::new(()))
    }
    /// The rate limits kept in the store, shared by every process on it; `None` when each
    /// process keeps its own.
    fn shared_limits(&self) -> Option<&dyn SharedLimits> {
        None
    }
}

/// What [`Store::hold_starts`] gives: others wait until it is dropped.
pub type Held = Box<dyn Send>;

/// What [`Store::watch`] calls when another process may have written.
pub type Wake = Box<dyn Fn() + Send + Sync>;

/// Token buckets kept in the store (the store's clock), so a client cannot multiply its limit
/// by switching between processes.
pub trait SharedLimits {
    /// Takes one token from bucket `key`, which holds at most `burst` and gets `per_sec` back
    /// a second: `None` when taken, or the seconds until one is back when it is empty.
    fn take(&self, key: &str, burst: f64, per_sec: f64) -> Result<Option<f64>>;
}
