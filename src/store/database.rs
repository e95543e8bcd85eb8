//! Which database holds a region's data: the `--database` option, or the embedded file by
//! default.
use super::{SqliteStore, Store, StoreError};
use crate::Result;
use std::path::{Path, PathBuf};

/// A database to open: today an SQLite file; a PostgreSQL URL is recognised and refused with a
/// clear message until that backend exists.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Database {
    /// An SQLite file, created with its folder on first use.
    Sqlite(PathBuf),
}

impl Database {
    /// The default: the embedded file `<data_dir>/<region id>.sqlite`.
    ///
    /// ```
    /// use bussola::store::Database;
    /// let db = Database::default_in("data".as_ref(), "alentejo");
    /// assert_eq!(db, Database::Sqlite("data/alentejo.sqlite".into()));
    /// ```
    pub fn default_in(data_dir: &Path, region_id: &str) -> Self {
        Database::Sqlite(data_dir.join(format!("{region_id}.sqlite")))
    }

    /// Reads the `--database` option: a file path, or `sqlite:PATH`.
    ///
    /// ```
    /// use bussola::store::Database;
    /// assert_eq!(Database::parse("sqlite:/srv/b.sqlite").unwrap(), Database::Sqlite("/srv/b.sqlite".into()));
    /// assert_eq!(Database::parse("b.db").unwrap(), Database::Sqlite("b.db".into()));
    /// assert!(Database::parse("postgres://db/bussola").is_err());
    /// ```
    pub fn parse(spec: &str) -> std::result::Result<Self, StoreError> {
        let refuse = |reason: &str| StoreError::Unsupported {
            spec: redact(spec),
            reason: reason.to_string(),
        };
        let spec = spec.trim();
        if spec.is_empty() {
            return Err(refuse("empty; give an SQLite file path"));
        }
        if let Some(path) = spec
            .strip_prefix("sqlite://")
            .or_else(|| spec.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err(refuse("no file after 'sqlite:'"));
            }
            return Ok(Database::Sqlite(PathBuf::from(path)));
        }
        match spec.split_once("://") {
            Some(("postgres" | "postgresql", _)) => Err(refuse(
                "this build has no PostgreSQL store yet; use an SQLite file (the default)",
            )),
            Some((scheme, _)) => Err(refuse(&format!(
                "unknown kind of database '{scheme}'; give an SQLite file path"
            ))),
            None => Ok(Database::Sqlite(PathBuf::from(spec))),
        }
    }

    /// Opens the store (creating the database if needed and bringing it to the current schema).
    pub fn open(&self) -> Result<Box<dyn Store>> {
        match self {
            Database::Sqlite(path) => Ok(Box::new(SqliteStore::open(path)?)),
        }
    }
}

impl std::fmt::Display for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::Sqlite(p) => write!(f, "SQLite file {}", p.display()),
        }
    }
}

/// A URL without its password, for messages.
fn redact(spec: &str) -> String {
    match (spec.split_once("://"), spec.rfind('@')) {
        (Some((scheme, rest)), Some(_)) => match rest.split_once('@') {
            Some((cred, host)) => {
                let user = cred.split(':').next().unwrap_or_default();
                format!("{scheme}://{user}:***@{host}")
            }
            None => spec.to_string(),
        },
        _ => spec.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_postgres_url_is_refused_without_showing_its_password() {
        let e = Database::parse("postgres://me:secret@db:5432/b").unwrap_err();
        let text = e.to_string();
        assert!(text.contains("no PostgreSQL store"), "{text}");
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("me:***@db:5432/b"), "{text}");
    }

    #[test]
    fn unknown_kinds_and_empty_options_are_refused() {
        assert!(Database::parse("mysql://x/y").is_err());
        assert!(Database::parse("  ").is_err());
        assert!(Database::parse("sqlite:").is_err());
    }
}
