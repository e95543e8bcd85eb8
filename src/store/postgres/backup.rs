//! Backup and restore through PostgreSQL's own programs: `pg_dump -Fc` writes a backup,
//! `pg_restore --clean --if-exists` reads one back, and `psql` loads it in one transaction.
//! They come with PostgreSQL's client package (`postgresql-client` on Debian) and must not be
//! older than the server. The connection is handed to them in libpq's environment variables
//! (`PGHOST`, `PGPASSWORD`, …), so the password never appears on a command line.
use super::{migrate, PostgresStore, CHANNEL};
use crate::store::StoreError;
use crate::{Error, Result};
use postgres::config::Host;
use std::ffi::OsStr;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A client program that ran and failed: what it said is the cause of the store's error.
#[derive(Debug, thiserror::Error)]
#[error("{program} failed ({status}): {stderr}")]
pub struct ToolFailed {
    program: String,
    status: std::process::ExitStatus,
    stderr: String,
}

/// A folder of scratch files, readable by this user only, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Result<Self> {
        let dir = std::env::temp_dir().join(format!(
            "bussola-pg-restore-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(&dir).map_err(|source| Error::Io {
            path: dir.clone(),
            source,
        })?;
        Ok(Scratch(dir))
    }

    /// Writes a file in the folder; its path.
    fn write(&self, name: &str, text: &str) -> Result<PathBuf> {
        let path = self.0.join(name);
        std::fs::write(&path, text).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        Ok(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl PostgresStore {
    /// A client program with the store's connection in its environment.
    fn tool(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        let c = &self.config;
        let hosts: Vec<String> = c
            .get_hosts()
            .iter()
            .map(|h| match h {
                Host::Tcp(name) => name.clone(),
                #[cfg(unix)]
                Host::Unix(dir) => dir.display().to_string(),
            })
            .collect();
        let ports: Vec<String> = c.get_ports().iter().map(u16::to_string).collect();
        let addrs: Vec<String> = c.get_hostaddrs().iter().map(|a| a.to_string()).collect();
        for (var, list) in [("PGHOST", hosts), ("PGPORT", ports), ("PGHOSTADDR", addrs)] {
            if !list.is_empty() {
                cmd.env(var, list.join(","));
            }
        }
        if let Some(user) = c.get_user() {
            cmd.env("PGUSER", user);
        }
        if let Some(db) = c.get_dbname() {
            cmd.env("PGDATABASE", db);
        }
        if let Some(pw) = c.get_password() {
            #[cfg(unix)]
            cmd.env(
                "PGPASSWORD",
                <OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(pw),
            );
            #[cfg(not(unix))]
            cmd.env("PGPASSWORD", String::from_utf8_lossy(pw).as_ref());
        }
        cmd.env("PGAPPNAME", "bussola")
            .env("PGCONNECT_TIMEOUT", "10")
            .envs(self.tls.libpq_env());
        cmd
    }

    /// Runs a client program to its end; its output, or what it said when it failed.
    fn exec(&self, mut cmd: Command, context: &str) -> Result<Output> {
        let program = cmd.get_program().to_string_lossy().into_owned();
        let out = cmd.output().map_err(|e| {
            let hint = if e.kind() == ErrorKind::NotFound {
                " (install PostgreSQL's client programs: apt install postgresql-client)"
            } else {
                ""
            };
            StoreError::backend(format!("{context}: cannot run {program}{hint}"), e)
        })?;
        if out.status.success() {
            return Ok(out);
        }
        Err(StoreError::backend(
            context,
            ToolFailed {
                program,
                status: out.status,
                stderr: String::from_utf8_lossy(&out.stderr).trim().to_string(),
            },
        )
        .into())
    }

    /// `pg_dump -Fc` to a new file `to`, written beside it first and linked into place only
    /// when whole (a file already there is never replaced).
    pub(super) fn dump(&self, to: &Path) -> Result<()> {
        let exists = || Error::data(to, None, None, "already exists; choose a new file");
        if to.exists() {
            return Err(exists());
        }
        let name = to
            .file_name()
            .map_or_else(|| "backup".into(), |n| n.to_string_lossy().into_owned());
        let partial = to.with_file_name(format!(".{name}.partial-{}", std::process::id()));
        let mut cmd = self.tool("pg_dump");
        cmd.args(["--format=custom", "--no-owner", "--no-privileges", "--file"])
            .arg(&partial);
        let ran = self.exec(cmd, &format!("backup to {}", to.display()));
        let linked = ran.and_then(|_| {
            std::fs::hard_link(&partial, to).map_err(|source| {
                if source.kind() == ErrorKind::AlreadyExists {
                    exists()
                } else {
                    Error::Io {
                        path: to.to_path_buf(),
                        source,
                    }
                }
            })
        });
        let _ = std::fs::remove_file(&partial);
        linked
    }

    /// Replaces every table with a backup's, after checking that it is one made by
    /// [`Self::dump`] of a schema this build knows; then brings it to the current schema.
    ///
    /// The backup is loaded by `psql` in one transaction that first drops the store's tables
    /// and last marks the tokens revoked or used in the database replaced as they were, and
    /// moves the data version past both: a failure anywhere changes nothing, and a restore
    /// never brings back a session revoked, or a login link used, after the backup was made.
    /// The PostGIS extension is left as it is (not dropped, not restored).
    pub(super) fn load(&self, from: &Path) -> Result<()> {
        let not_ours = |why: String| Error::data(from, None, None, why);
        if !from.is_file() {
            return Err(not_ours("no such file".into()));
        }
        let mut list = self.tool("pg_restore");
        list.arg("--list").arg(from);
        let toc = match self.exec(list, "reading a backup") {
            Ok(out) => String::from_utf8_lossy(&out.stdout).into_owned(),
            Err(Error::Store(StoreError::Backend { source, .. })) => {
                return Err(not_ours(format!(
                    "not a backup made by pg_dump -Fc (bussola backup): {source}"
                )))
            }
            Err(e) => return Err(e),
        };
        if !["services", "schema_migrations"]
            .iter()
            .all(|t| has_table(&toc, t))
        {
            return Err(not_ours(
                "not a Bússola database (no services table)".into(),
            ));
        }
        let found = self.backup_version(from)?;
        if found > migrate::current() {
            return Err(StoreError::Newer {
                found,
                known: migrate::current(),
            }
            .into());
        }
        let scratch = Scratch::new()?;
        let entries = scratch.write("entries", &without_extensions(&toc))?;
        let script = scratch.0.join("backup.sql");
        let mut sql = self.tool("pg_restore");
        sql.args(["--clean", "--if-exists", "--no-owner", "--no-privileges"])
            .arg("--use-list")
            .arg(&entries)
            .arg("--file")
            .arg(&script)
            .arg(from);
        self.exec(sql, &format!("reading {}", from.display()))?;
        let before = scratch.write("before.sql", &drop_tables())?;
        let after = scratch.write("after.sql", &self.carry_over()?)?;
        let mut load = self.tool("psql");
        load.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction"]);
        for file in [&before, &script, &after] {
            load.arg("-f").arg(file);
        }
        self.exec(load, &format!("restore from {}", from.display()))?;
        self.run(migrate::migrate)?;
        Ok(())
    }

    /// The schema version of a backup: the highest row of its `schema_migrations`.
    fn backup_version(&self, from: &Path) -> Result<u32> {
        let mut cmd = self.tool("pg_restore");
        cmd.args(["--data-only", "--table=schema_migrations", "--file=-"])
            .arg(from);
        let out = self.exec(cmd, &format!("reading {}", from.display()))?;
        let text = String::from_utf8_lossy(&out.stdout);
        Ok(copied_rows(&text)
            .filter_map(|row| row.split('\t').next()?.parse::<u32>().ok())
            .max()
            .unwrap_or(0))
    }

    /// The SQL that ends, after a restore, the tokens revoked or used now (each keeping a time
    /// of its own if it has one), and moves the data version past the present one (and the change log's floor
    /// to it: every replica reloads whole).
    fn carry_over(&self) -> Result<String> {
        let (ended, version) = self.run(|conn| {
            let ended = conn.query(
                "SELECT hash, revoked, used FROM tokens WHERE revoked IS NOT NULL OR used IS NOT NULL",
                &[],
            )?;
            let version: i64 = conn
                .query_one("SELECT version FROM data_version", &[])?
                .try_get(0)?;
            Ok((ended, version))
        })?;
        // The restore's script cleared the search path.
        let mut sql = String::from("RESET search_path;\n");
        let mut values = Vec::with_capacity(ended.len());
        for r in &ended {
            let hash: String = r.try_get(0)?;
            let number = |n: Option<i64>| n.map_or_else(|| "NULL".to_string(), |n| n.to_string());
            values.push(format!(
                "({}, {}::bigint, {}::bigint)",
                literal(&hash),
                number(r.try_get(1)?),
                number(r.try_get(2)?)
            ));
        }
        if !values.is_empty() {
            sql.push_str(&format!(
                "UPDATE tokens t SET revoked = coalesce(t.revoked, e.revoked),
                   used = coalesce(t.used, e.used)
                 FROM (VALUES {}) AS e(hash, revoked, used) WHERE t.hash = e.hash;\n",
                values.join(",\n")
            ));
        }
        sql.push_str(&format!(
            "WITH v AS (UPDATE data_version SET version = greatest(version, {version}) + 1
               RETURNING version),
             floor AS (INSERT INTO meta(key, value) SELECT 'log_floor', version::text FROM v
               ON CONFLICT (key) DO UPDATE SET value = excluded.value)
             SELECT pg_notify({}, version::text) FROM v;\n",
            literal(CHANNEL)
        ));
        Ok(sql)
    }
}

/// Whether a backup's table of contents (`pg_restore --list`) holds a table of that name.
fn has_table(toc: &str, name: &str) -> bool {
    toc.lines().any(|line| {
        let words: Vec<&str> = line.split_whitespace().collect();
        words
            .windows(3)
            .any(|w| w[0] == "TABLE" && w[2] == name && w[1] != "DATA")
    })
}

/// A table of contents without the extensions (PostGIS stays as it is in the database
/// restored into) and their tables' data.
fn without_extensions(toc: &str) -> String {
    toc.lines()
        .filter(|line| !line.contains(" EXTENSION ") && !line.contains(" spatial_ref_sys "))
        .map(|line| format!("{line}\n"))
        .collect()
}

/// Drops every table of the store, so that tables made by migrations newer than a backup do
/// not outlive its restore.
fn drop_tables() -> String {
    format!(
        "DROP TABLE IF EXISTS {} CASCADE;\n",
        migrate::TABLES.join(", ")
    )
}

/// The rows of the COPY blocks of a plain SQL script (`pg_restore --file=-`).
fn copied_rows(script: &str) -> impl Iterator<Item = &str> {
    let mut inside = false;
    script.lines().filter(move |line| {
        if line.starts_with("COPY ") && line.ends_with("FROM stdin;") {
            inside = true;
            return false;
        }
        if *line == "\\." {
            inside = false;
        }
        inside
    })
}

/// A string as an SQL literal.
fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_of_contents_is_read_for_tables_and_left_without_extensions() {
        let toc = "; Archive created at 2026-12-07\n\
            2; 3079 16385 EXTENSION - postgis \n\
            4421; 0 0 COMMENT - EXTENSION postgis \n\
            219; 1259 16390 TABLE public services bussola\n\
            4300; 0 16390 TABLE DATA public providers bussola\n\
            4290; 0 16400 TABLE DATA public spatial_ref_sys postgres\n";
        assert!(has_table(toc, "services"));
        assert!(!has_table(toc, "providers"), "data only");
        let kept = without_extensions(toc);
        assert!(
            !kept.contains("postgis") && !kept.contains("spatial_ref_sys"),
            "{kept}"
        );
        assert!(kept.contains("TABLE public services"));
    }

    #[test]
    fn copied_rows_are_read_from_a_script() {
        let script = "SET x = 1;\nCOPY public.schema_migrations (version, what) FROM stdin;\n\
            1\tfirst\n2\tsecond\n\\.\n\nSELECT 1;\n";
        assert_eq!(
            copied_rows(script).collect::<Vec<_>>(),
            ["1\tfirst", "2\tsecond"]
        );
        assert_eq!(literal("it's"), "'it''s'");
    }
}
