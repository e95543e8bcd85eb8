//! What can go wrong in a store, whatever the backend: each backend converts its own errors
//! into [`StoreError`] and keeps them as the cause, so nothing above the store names an engine.
//! (It sits here, at the bottom with [`super::Error`], so the error type needs no higher layer.)
use std::error::Error as StdError;

/// A store failure. New backends may add kinds, so callers match with a catch-all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The database engine refused or failed (disk, lock, constraint, connection); the
    /// engine's own error is the [`source`](StdError::source).
    #[error("{context}: {source}")]
    Backend {
        /// What the store was doing.
        context: String,
        /// The engine's error.
        source: Box<dyn StdError + Send + Sync>,
    },
    /// A stored record cannot be read back (damaged, or written by another program).
    #[error("{what}: {message}")]
    Corrupt {
        /// Which record.
        what: String,
        /// What is wrong with it.
        message: String,
    },
    /// The database was written by a newer Bússola (its schema version is higher).
    #[error(
        "the database has schema version {found}, newer than this build's {known}; use a newer Bússola"
    )]
    Newer {
        /// The database's schema version.
        found: u32,
        /// The newest this build knows.
        known: u32,
    },
    /// A thread panicked while holding the store's connection; the store refuses further use.
    #[error("the store's connection lock is poisoned")]
    Poisoned,
    /// The `--database` option names a backend or form this build cannot open.
    #[error("cannot open database '{spec}': {reason}")]
    Unsupported {
        /// The option as given.
        spec: String,
        /// Why.
        reason: String,
    },
}

impl StoreError {
    /// A backend failure while doing `context`, keeping `source` as the cause.
    pub fn backend(
        context: impl Into<String>,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        StoreError::Backend {
            context: context.into(),
            source: source.into(),
        }
    }

    /// A stored record that cannot be read back.
    pub fn corrupt(what: impl Into<String>, message: impl std::fmt::Display) -> Self {
        StoreError::Corrupt {
            what: what.into(),
            message: message.to_string(),
        }
    }
}
