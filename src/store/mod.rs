//! Durable storage of providers and services behind the [`Store`] trait.
//!
//! The default is an embedded SQLite file ([`SqliteStore`]); a PostgreSQL/PostGIS store for
//! several replicas implements the same trait. Every write is one transaction: a crash never
//! leaves half a record, and a failed write leaves what was stored untouched.
pub mod migrate;
mod sqlite;

use crate::model::Service;
use crate::Result;
pub use sqlite::SqliteStore;

/// Where services and their providers are kept.
pub trait Store: Send + Sync {
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
    /// Deletes a service; whether it was there.
    fn delete(&self, id: &str) -> Result<bool>;
    /// A number that changes on every write (for caches and ETags).
    fn version(&self) -> Result<u64>;
}
