//! Which database holds a region's data: the `--database` option, or the embedded file by
//! default.
use super::{PostgresStore, SqliteStore, Store, StoreError};
use crate::Result;
use std::path::{Path, PathBuf};

/// A database to open: an SQLite file, or a PostgreSQL database by its URL.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Database {
    /// An SQLite file, created with its folder on first use.
    Sqlite(PathBuf),
    /// A PostgreSQL database with PostGIS (`postgres://user:password@host:port/db`), created
    /// by its administrator; its tables are made on first use.
    Postgres(DatabaseUrl),
}

/// A database URL, whose password is never shown (`Debug` and `Display` leave it out).
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    /// The URL as given, password included (to connect).
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&redact(&self.0))
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DatabaseUrl({})", redact(&self.0))
    }
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

    /// Reads the `--database` option: a file path, `sqlite:PATH`, or a PostgreSQL URL
    /// (`postgres://…` or `postgresql://…`).
    ///
    /// ```
    /// use bussola::store::Database;
    /// assert_eq!(Database::parse("sqlite:/srv/b.sqlite").unwrap(), Database::Sqlite("/srv/b.sqlite".into()));
    /// assert_eq!(Database::parse("b.db").unwrap(), Database::Sqlite("b.db".into()));
    /// assert!(matches!(Database::parse("postgres://db/bussola").unwrap(), Database::Postgres(_)));
    /// assert!(Database::parse("mysql://db/bussola").is_err());
    /// ```
    pub fn parse(spec: &str) -> std::result::Result<Self, StoreError> {
        let refuse = |reason: &str| StoreError::Unsupported {
            spec: redact(spec),
            reason: reason.to_string(),
        };
        let spec = spec.trim();
        if spec.is_empty() {
            return Err(refuse(
                "empty; give an SQLite file path or a postgres:// URL",
            ));
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
            Some(("postgres" | "postgresql", rest)) => {
                if rest.is_empty() {
                    return Err(refuse("no host or database after 'postgres://'"));
                }
                Ok(Database::Postgres(DatabaseUrl(spec.to_string())))
            }
            Some((scheme, _)) => Err(refuse(&format!(
                "unknown kind of database '{scheme}'; give an SQLite file path or a postgres:// URL"
            ))),
            None => Ok(Database::Sqlite(PathBuf::from(spec))),
        }
    }

    /// Opens the store (creating the database if needed and bringing it to the current schema).
    pub fn open(&self) -> Result<Box<dyn Store>> {
        match self {
            Database::Sqlite(path) => Ok(Box::new(SqliteStore::open(path)?)),
            Database::Postgres(url) => Ok(Box::new(PostgresStore::open(
                url.secret(),
                &url.to_string(),
            )?)),
        }
    }
}

impl std::fmt::Display for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Database::Sqlite(p) => write!(f, "SQLite file {}", p.display()),
            Database::Postgres(url) => write!(f, "PostgreSQL database {url}"),
        }
    }
}

/// A URL without its password (in its user part or a `password=` parameter), for messages.
fn redact(spec: &str) -> String {
    let (main, query) = match spec.split_once('?') {
        Some((main, query)) => (main, Some(query)),
        None => (spec, None),
    };
    let mut out = match main.split_once("://") {
        Some((scheme, rest)) => match rest.rsplit_once('@') {
            Some((cred, host)) => {
                let user = cred.split(':').next().unwrap_or_default();
                format!("{scheme}://{user}:***@{host}")
            }
            None => main.to_string(),
        },
        None => main.to_string(),
    };
    if let Some(query) = query {
        let params: Vec<String> = query
            .split('&')
            .map(|p| match p.split_once('=') {
                Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                _ => p.to_string(),
            })
            .collect();
        out.push('?');
        out.push_str(&params.join("&"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_postgres_url_is_read_and_never_shows_its_password() {
        for spec in [
            "postgres://me:secret@db:5432/b",
            "postgresql://me:secret@db:5432/b?sslmode=disable",
            "postgres://me@db/b?password=secret&application_name=x",
        ] {
            let db = Database::parse(spec).unwrap();
            let Database::Postgres(url) = &db else {
                panic!("{db:?}");
            };
            assert_eq!(url.secret(), spec);
            for text in [db.to_string(), format!("{db:?}"), url.to_string()] {
                assert!(!text.contains("secret"), "{text}");
                assert!(
                    text.contains("me:***@db") || text.contains("password=***"),
                    "{text}"
                );
            }
        }
        let e = Database::parse("mysql://me:secret@db/b")
            .unwrap_err()
            .to_string();
        assert!(!e.contains("secret"), "{e}");
        assert!(Database::parse("postgres://").is_err());
    }

    #[test]
    fn unknown_kinds_and_empty_options_are_refused() {
        assert!(Database::parse("mysql://x/y").is_err());
        assert!(Database::parse("  ").is_err());
        assert!(Database::parse("sqlite:").is_err());
    }
}
