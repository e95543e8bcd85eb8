//! Durable storage of providers and services behind the [`Store`] trait.
//!
//! The default is an embedded SQLite file ([`SqliteStore`]); a PostgreSQL/PostGIS store for
//! several replicas implements the same trait. Every write is one transaction: a crash never
//! leaves half a record, and a failed write leaves what was stored untouched.
mod accounts;
pub mod migrate;
mod records;
mod sqlite;
mod usage;

use crate::account::{NewUser, User};
use crate::model::Service;
use crate::Result;
pub use records::*;
pub use sqlite::SqliteStore;
pub use usage::{UsageCount, UsageKind, UsageTotals};

/// Accounts, their tokens (hashes only) and the change history of services.
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
    /// Writes an edit (service, change rows, decision) in one transaction; the new rows' ids.
    fn write_edit(&self, w: &EditWrite) -> Result<Vec<i64>>;
    /// Changes matching a query, oldest first.
    fn changes(&self, q: &ChangeQuery) -> Result<Vec<Change>>;
    /// One change by id.
    fn change(&self, id: i64) -> Result<Option<Change>>;
}

/// Daily counts of how services are used (no personal data).
pub trait Usage {
    /// Adds counts of services on days to what is stored, in one transaction.
    fn add_usage(&self, counts: &[UsageCount]) -> Result<()>;
    /// Each service's counts from a day (YYYY-MM-DD) on, in the order given.
    fn usage(&self, ids: &[String], since: &str) -> Result<Vec<UsageTotals>>;
}

/// Where services and their providers are kept (and, through [`Accounts`], who may edit them).
pub trait Store: Accounts + Usage + Send + Sync {
    /// Every stored service (with its provider).
    fn services(&self) -> Result<Vec<Service>>;
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
    /// Keeps the latest quality report of a source (JSON text), replacing the previous one.
    fn put_report(&self, source: &str, json: &str) -> Result<()>;
    /// The latest quality report of every source: (source, JSON text), by source.
    fn reports(&self) -> Result<Vec<(String, String)>>;
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
    /// Stores a survey answer set (answers as JSON text; `role` for provider answers only);
    /// its number.
    fn add_survey_answers(
        &self,
        audience: &str,
        role: Option<&str>,
        answers: &str,
        created: &str,
    ) -> Result<i64>;
    /// Every survey answer set, oldest first.
    fn survey_answers(&self) -> Result<Vec<crate::survey::AnswerSet>>;
    /// Deletes a service; whether it was there.
    fn delete(&self, id: &str) -> Result<bool>;
    /// A number that changes on every write (for caches and ETags).
    fn version(&self) -> Result<u64>;
}
