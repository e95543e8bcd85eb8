//! The library's error type.
mod store;

use std::path::PathBuf;
pub use store::StoreError;

/// Anything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
    /// A data file has invalid content; names the file, the place and the field.
    #[error("{path}{}{}: {message}", place.as_ref().map(|p| format!(", {p}")).unwrap_or_default(), field.as_ref().map(|f| format!(", field '{f}'")).unwrap_or_default())]
    Data {
        /// The file.
        path: PathBuf,
        /// Where in the file ("line 12", "feature 3"), when known.
        place: Option<String>,
        /// The field, when known.
        field: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// A query parameter is invalid; names the parameter.
    #[error("invalid parameter '{param}': {message}")]
    InvalidParam {
        /// The parameter's name.
        param: String,
        /// What is wrong.
        message: String,
    },
    /// A record was not found.
    #[error("{what} '{id}' not found")]
    NotFound {
        /// What kind of record.
        what: &'static str,
        /// Its id.
        id: String,
    },
    /// The store failed; the backend's own error is kept as the cause.
    #[error("store: {0}")]
    Store(#[from] StoreError),
    /// Something that should not happen did (a poisoned lock, no randomness, a writer
    /// failing on memory): a fault of this program, not of the request.
    #[error("internal: {0}")]
    Internal(String),
    /// A tile could not be encoded.
    #[error("tile: {0}")]
    Tile(String),
    /// The request is refused: not signed in, not allowed, too many, or at odds with the
    /// record's state (see [`Refusal`]).
    #[error("{message}")]
    Refused {
        /// Why.
        kind: Refusal,
        /// What to tell the caller.
        message: String,
    },
    /// Submitted fields are invalid; names each one and what is wrong with it.
    #[error("invalid {}", .0.keys().cloned().collect::<Vec<_>>().join(", "))]
    InvalidFields(std::collections::BTreeMap<String, String>),
    /// An e-mail could not be sent, or the mail settings are wrong.
    #[error("e-mail: {0}")]
    Mail(String),
    /// Reprojection failed.
    #[error(transparent)]
    Reproject(#[from] crate::reproject::ReprojectError),
}

/// Why a request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// No valid session or token (HTTP 401).
    Unauthenticated,
    /// Signed in, but not allowed to do this (HTTP 403).
    Forbidden,
    /// The record is not in a state that allows it, e.g. a change already decided (HTTP 409).
    Conflict,
    /// Too many requests from one address (HTTP 429).
    TooMany,
    /// A body in a form the route does not read, e.g. not declared JSON (HTTP 415).
    MediaType,
    /// A byte range outside the file (HTTP 416).
    RangeNotSatisfiable,
}

impl Error {
    /// Shorthand for [`Error::Refused`].
    pub fn refused(kind: Refusal, message: impl Into<String>) -> Self {
        Error::Refused {
            kind,
            message: message.into(),
        }
    }

    /// Shorthand for [`Error::InvalidParam`].
    pub fn param(param: &str, message: impl Into<String>) -> Self {
        Error::InvalidParam {
            param: param.to_string(),
            message: message.into(),
        }
    }

    /// Shorthand for [`Error::Data`].
    pub fn data(
        path: impl Into<PathBuf>,
        place: Option<String>,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        Error::Data {
            path: path.into(),
            place,
            field: field.map(str::to_string),
            message: message.into(),
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Reads a whole text file; an error names the file.
pub fn read_text(path: &std::path::Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}
