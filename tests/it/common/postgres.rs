//! Scratch PostgreSQL databases for the tests of the PostgreSQL store, on the cluster whose
//! admin URL is in `BUSSOLA_TEST_POSTGRES` (`bash .ci/postgres.sh` starts one and prints it).
//! Without it the tests print why and skip; in CI (`CI` set) they fail. Databases are made and
//! dropped with `psql`, PostgreSQL's own client.
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::process::Command;

/// The test cluster's admin URL, or `None` (with a printed reason) when there is none.
pub fn cluster() -> Option<String> {
    let url = std::env::var("BUSSOLA_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.trim().is_empty());
    let psql = Command::new("psql")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let missing = match (&url, psql) {
        (Some(_), true) => return url,
        (None, _) => "BUSSOLA_TEST_POSTGRES is not set",
        (Some(_), false) => "psql is not installed",
    };
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must start PostgreSQL (export BUSSOLA_TEST_POSTGRES=\"$(bash .ci/postgres.sh)\"): {missing}"
    );
    eprintln!("skipping: {missing}; run export BUSSOLA_TEST_POSTGRES=\"$(bash .ci/postgres.sh)\"");
    None
}

/// A database name of this process for `key` (any text): `bussola_test_<key>_<pid>`, kept
/// within PostgreSQL's 63 characters and unique per key.
pub fn name(key: &str) -> String {
    let mut h = DefaultHasher::new();
    key.hash(&mut h);
    let short: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .rev()
        .take(30)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!(
        "bussola_test_{}_{}_{:08x}",
        short.trim_matches('_'),
        std::process::id(),
        h.finish() as u32
    )
}

/// The URL of database `db` on the cluster of `admin` (its path replaced).
pub fn url_of(admin: &str, db: &str) -> String {
    let (main, query) = match admin.split_once('?') {
        Some((m, q)) => (m, format!("?{q}")),
        None => (admin, String::new()),
    };
    let (scheme, rest) = main.split_once("://").expect("a URL");
    let authority = rest.split('/').next().unwrap_or(rest);
    format!("{scheme}://{authority}/{db}{query}")
}

/// Runs one SQL command on the cluster as its admin.
pub fn admin_sql(admin: &str, sql: &str) {
    let out = Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", admin, "-c", sql])
        .output()
        .expect("psql runs");
    assert!(
        out.status.success(),
        "{sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Creates an empty database (dropping a leftover of the same name); its URL.
pub fn create(admin: &str, db: &str) -> String {
    drop_database(admin, db);
    admin_sql(admin, &format!("CREATE DATABASE {db}"));
    url_of(admin, db)
}

/// Drops a database, ending its connections (never panics: it runs in `drop`).
pub fn drop_database(admin: &str, db: &str) {
    let sql = format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)");
    match Command::new("psql")
        .args(["-X", "-q", "-d", admin, "-c", &sql])
        .output()
    {
        Ok(o) if o.status.success() => {}
        Ok(o) => eprintln!("{sql}: {}", String::from_utf8_lossy(&o.stderr)),
        Err(e) => eprintln!("{sql}: {e}"),
    }
}

/// A scratch database dropped when this is dropped.
pub struct Scratch {
    pub admin: String,
    pub name: String,
    pub url: String,
}

impl Scratch {
    /// A new empty database for `key`, or `None` (skipping) without a cluster.
    pub fn new(key: &str) -> Option<Scratch> {
        let admin = cluster()?;
        let name = name(key);
        let url = create(&admin, &name);
        Some(Scratch { admin, name, url })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        drop_database(&self.admin, &self.name);
    }
}

/// Runs one SQL query on a database with `psql`; its rows, one a line, columns split by `|`.
pub fn query(url: &str, sql: &str) -> String {
    let out = Command::new("psql")
        .args([
            "-X",
            "-q",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            url,
            "-c",
            sql,
        ])
        .output()
        .expect("psql runs");
    assert!(
        out.status.success(),
        "{sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}
