//! Versioned schema migrations, applied in order when a store opens.
//!
//! The database's `PRAGMA user_version` is the number of migrations applied. Each migration runs
//! in its own transaction with the version bump, so a crash leaves the database at one version
//! or the next, never between. The first one is the first release's schema: databases made
//! before versioning (version 0, tables already there) pass through it unchanged, since every
//! statement is `IF NOT EXISTS`.
use crate::store::StoreError;
use crate::Result;
use rusqlite::Connection;

/// The schema of the first release: services, providers, and the data version.
const V1: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS providers (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    legal_nature TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS services (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES providers(id),
    type_code TEXT NOT NULL,
    municipality TEXT NOT NULL,
    lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
    lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    demo INTEGER NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS services_municipality ON services(municipality);
INSERT OR IGNORE INTO meta(key, value) VALUES ('version', '0');
";

/// The tables of accounts, tokens (hashes only) and changes.
const ACCOUNTS_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'moderator', 'provider')),
    provider_id TEXT,
    municipalities TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('login', 'session')),
    hash TEXT NOT NULL UNIQUE,
    csrf_hash TEXT,
    created INTEGER NOT NULL,
    expires INTEGER NOT NULL,
    used INTEGER,
    revoked INTEGER
);
CREATE TABLE IF NOT EXISTS changes (
    id INTEGER PRIMARY KEY,
    service_id TEXT NOT NULL,
    field TEXT NOT NULL,
    old TEXT NOT NULL,
    new TEXT NOT NULL,
    user_id INTEGER REFERENCES users(id),
    role TEXT,
    source TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'applied', 'rejected')),
    created INTEGER NOT NULL,
    decided_by INTEGER REFERENCES users(id),
    decided INTEGER,
    reverts INTEGER REFERENCES changes(id)
);
CREATE INDEX IF NOT EXISTS changes_service ON changes(service_id, id);
CREATE INDEX IF NOT EXISTS changes_status ON changes(status, id);
";

/// The daily counts table (no personal data: a service, a day and three numbers).
const USAGE_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS service_usage (
    service_id TEXT NOT NULL,
    day TEXT NOT NULL,
    views INTEGER NOT NULL DEFAULT 0,
    found INTEGER NOT NULL DEFAULT 0,
    contacts INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (service_id, day)
);";

/// Every migration, oldest first: (what it does, SQL).
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("services, providers and the data version", V1),
    (
        "the latest quality report of each source",
        "CREATE TABLE IF NOT EXISTS reports (source TEXT PRIMARY KEY, json TEXT NOT NULL);",
    ),
    (
        "citizens' reports of wrong records",
        "CREATE TABLE IF NOT EXISTS feedback (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            service_id TEXT NOT NULL,
            problem TEXT NOT NULL,
            note TEXT,
            created TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open'
        );
        CREATE INDEX IF NOT EXISTS feedback_service ON feedback(service_id, status);",
    ),
    (
        "accounts, their tokens, and the history and review of edits",
        ACCOUNTS_SCHEMA,
    ),
    (
        "usefulness survey answers (no account, no e-mail; the role for provider answers)",
        "CREATE TABLE IF NOT EXISTS survey_answers (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            created TEXT NOT NULL,
            audience TEXT NOT NULL,
            role TEXT,
            answers TEXT NOT NULL
        );",
    ),
    (
        "daily counts of views, searches and contacts per service",
        USAGE_SCHEMA,
    ),
    (
        "organisations' own contact, and changes to organisations in the history",
        "ALTER TABLE providers ADD COLUMN contact TEXT;
        ALTER TABLE changes ADD COLUMN subject TEXT NOT NULL DEFAULT 'service'
            CHECK (subject IN ('service', 'provider'));",
    ),
    (
        "what the index keeps of each service in columns (read at start without the records)",
        "ALTER TABLE services ADD COLUMN name TEXT NOT NULL DEFAULT '';
        ALTER TABLE services ADD COLUMN locality TEXT;
        ALTER TABLE services ADD COLUMN capacity INTEGER;
        ALTER TABLE services ADD COLUMN precision TEXT NOT NULL DEFAULT 'unknown';
        UPDATE services SET
            name = coalesce(json_extract(record, '$.name'), ''),
            locality = json_extract(record, '$.locality'),
            capacity = json_extract(record, '$.capacity'),
            precision = coalesce(json_extract(record, '$.precision'), 'unknown');",
    ),
    (
        "news from the regional coordinator (Markdown text; the author never shown publicly)",
        "CREATE TABLE IF NOT EXISTS news (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            date TEXT NOT NULL,
            municipality TEXT,
            link TEXT,
            demo INTEGER NOT NULL DEFAULT 0,
            author INTEGER REFERENCES users(id),
            created INTEGER NOT NULL,
            updated INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS news_order ON news(date DESC, id DESC);",
    ),
    (
        "training offers, the trainer role, and changes to training offers in the history",
        TRAINING_SCHEMA,
    ),
    (
        "indicators kept over time, published reference values, and alerts",
        TRENDS_SCHEMA,
    ),
];

/// Indicator points (one per area, indicator and bucket: a day, or a data version), published
/// reference values (one per date, area, indicator and source) and the alerts found between
/// consecutive points (one per area, kind, indicator and bucket).
const TRENDS_SCHEMA: &str = "
CREATE TABLE indicator_points (
    area TEXT NOT NULL,
    indicator TEXT NOT NULL,
    bucket TEXT NOT NULL,
    at TEXT NOT NULL,
    value REAL,
    reconstructed INTEGER NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (area, indicator, bucket)
);
CREATE INDEX indicator_points_at ON indicator_points(area, indicator, at);
CREATE INDEX indicator_points_bucket ON indicator_points(bucket);
CREATE TABLE reference_values (
    area TEXT NOT NULL,
    indicator TEXT NOT NULL,
    date TEXT NOT NULL,
    source TEXT NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (area, indicator, date, source)
);
CREATE TABLE indicator_alerts (
    area TEXT NOT NULL,
    kind TEXT NOT NULL,
    indicator TEXT NOT NULL,
    bucket TEXT NOT NULL,
    at TEXT NOT NULL,
    before_value REAL,
    after_value REAL,
    threshold REAL,
    PRIMARY KEY (area, kind, indicator, bucket)
);
CREATE INDEX indicator_alerts_at ON indicator_alerts(at);
";

/// Training offers (the record as JSON, with what lists filter on in columns); the `users` and
/// `changes` tables rebuilt (SQLite cannot alter a CHECK) to admit the `trainer` role and the
/// `training` subject, rows and ids kept.
const TRAINING_SCHEMA: &str = "
CREATE TABLE users_next (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('admin', 'moderator', 'provider', 'trainer')),
    provider_id TEXT,
    municipalities TEXT NOT NULL DEFAULT ''
);
INSERT INTO users_next SELECT id, email, role, provider_id, municipalities FROM users;
DROP TABLE users;
ALTER TABLE users_next RENAME TO users;
CREATE TABLE changes_next (
    id INTEGER PRIMARY KEY,
    service_id TEXT NOT NULL,
    field TEXT NOT NULL,
    old TEXT NOT NULL,
    new TEXT NOT NULL,
    user_id INTEGER REFERENCES users(id),
    role TEXT,
    source TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'applied', 'rejected')),
    created INTEGER NOT NULL,
    decided_by INTEGER REFERENCES users(id),
    decided INTEGER,
    reverts INTEGER REFERENCES changes(id),
    subject TEXT NOT NULL DEFAULT 'service' CHECK (subject IN ('service', 'provider', 'training'))
);
INSERT INTO changes_next SELECT id, service_id, field, old, new, user_id, role, source, status,
    created, decided_by, decided, reverts, subject FROM changes;
DROP TABLE changes;
ALTER TABLE changes_next RENAME TO changes;
CREATE INDEX changes_service ON changes(service_id, id);
CREATE INDEX changes_status ON changes(status, id);
CREATE TABLE training (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL CHECK (status IN ('pending', 'published', 'rejected', 'withdrawn')),
    ends TEXT NOT NULL,
    record TEXT NOT NULL
);
";

/// The schema version this build writes.
pub fn current() -> u32 {
    u32::try_from(MIGRATIONS.len()).unwrap_or(u32::MAX)
}

/// A plain connection to a database file, without migrating it (tools and tests that need to
/// look at, or make, a database of an older schema).
pub fn raw_connection(path: &std::path::Path) -> Result<Connection> {
    Ok(Connection::open(path)?)
}

/// The schema version of an open database.
pub fn version(conn: &Connection) -> Result<u32> {
    Ok(conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
}

/// Brings a database to the current schema; returns how many migrations ran. A database from
/// a newer build is refused rather than written to.
pub fn migrate(conn: &mut Connection) -> Result<usize> {
    let from = version(conn)?;
    if from > current() {
        return Err(StoreError::Newer {
            found: from,
            known: current(),
        }
        .into());
    }
    // Tables are rebuilt with foreign keys off (SQLite's documented way; the pragma cannot
    // change inside a transaction), and each migration checks them before it commits.
    let enforced: bool = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0))?;
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let ran = run(conn, from);
    conn.pragma_update(None, "foreign_keys", if enforced { "ON" } else { "OFF" })?;
    ran
}

fn run(conn: &mut Connection, from: u32) -> Result<usize> {
    let mut ran = 0;
    for (i, (what, sql)) in MIGRATIONS.iter().enumerate().skip(from as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        let broken: i64 =
            tx.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
                r.get(0)
            })?;
        if broken > 0 {
            return Err(StoreError::corrupt(
                format!("migration {} ({what})", i + 1),
                format!("{broken} rows would lose what they refer to"),
            )
            .into());
        }
        tx.pragma_update(None, "user_version", i + 1)?;
        tx.commit()?;
        ran += 1;
    }
    Ok(ran)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_database_gets_every_migration_once() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), MIGRATIONS.len());
        assert_eq!(version(&conn).unwrap(), current());
        assert_eq!(migrate(&mut conn).unwrap(), 0, "nothing left to do");
    }

    #[test]
    fn a_database_from_a_newer_build_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "user_version", current() + 1)
            .unwrap();
        let e = migrate(&mut conn).unwrap_err().to_string();
        assert!(e.contains("newer than this build"), "{e}");
    }

    #[test]
    fn services_stored_before_the_brief_columns_get_them_from_their_records() {
        let mut conn = Connection::open_in_memory().unwrap();
        let before = MIGRATIONS
            .iter()
            .position(|(what, _)| what.starts_with("what the index keeps"))
            .unwrap();
        for (i, (_, sql)) in MIGRATIONS.iter().take(before).enumerate() {
            conn.execute_batch(sql).unwrap();
            conn.pragma_update(None, "user_version", i + 1).unwrap();
        }
        let mut s = crate::demo::example_service();
        s.name = "Lar \"Sol\"".into();
        s.locality = Some("Évora".into());
        s.capacity = Some(25);
        s.precision = crate::model::Precision::Locality;
        let record = serde_json::to_string(&s).unwrap();
        conn.execute(
            "INSERT INTO providers(id, name, legal_nature) VALUES (?1, 'P', 'ipss')",
            [&s.provider.id],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO services(id, provider_id, type_code, municipality, lon, lat, demo, record)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, ?7)",
            rusqlite::params![
                s.id,
                s.provider.id,
                s.type_code,
                s.municipality,
                s.lon,
                s.lat,
                record
            ],
        )
        .unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), MIGRATIONS.len() - before);
        let got: (String, Option<String>, Option<u32>, String) = conn
            .query_row(
                "SELECT name, locality, capacity, precision FROM services",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .unwrap();
        assert_eq!(
            got,
            (
                "Lar \"Sol\"".into(),
                Some("Évora".into()),
                Some(25),
                "locality".into()
            )
        );
    }
    #[test]
    fn accounts_and_changes_survive_the_rebuild_that_admits_trainers() {
        let mut conn = Connection::open_in_memory().unwrap();
        conn.pragma_update(None, "foreign_keys", "ON").unwrap();
        let before = MIGRATIONS
            .iter()
            .position(|(what, _)| what.starts_with("training offers"))
            .unwrap();
        for (i, (_, sql)) in MIGRATIONS.iter().take(before).enumerate() {
            conn.execute_batch(sql).unwrap();
            conn.pragma_update(None, "user_version", i + 1).unwrap();
        }
        conn.execute_batch(
            "INSERT INTO users(id, email, role, provider_id) VALUES (7, 'p@x.pt', 'provider', 'P1');
             INSERT INTO tokens(user_id, kind, hash, created, expires) VALUES (7, 'session', 'h', 1, 2);
             INSERT INTO changes(id, service_id, field, old, new, user_id, source, status, created, subject)
               VALUES (3, 's1', 'name', '\"a\"', '\"b\"', 7, 'provider', 'pending', 5, 'provider');
             INSERT INTO changes(id, service_id, field, old, new, user_id, source, status, created, reverts)
               VALUES (4, 's1', 'name', '\"b\"', '\"a\"', 7, 'admin', 'applied', 6, 3);",
        )
        .unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), MIGRATIONS.len() - before);
        let fk: bool = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert!(fk, "foreign keys are enforced again after the migration");
        let kept: (String, i64, i64) = conn
            .query_row(
                "SELECT u.role, (SELECT count(*) FROM tokens WHERE user_id = u.id),
                   (SELECT reverts FROM changes WHERE id = 4) FROM users u WHERE id = 7",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(kept, ("provider".into(), 1, 3));
        conn.execute(
            "INSERT INTO users(email, role, provider_id) VALUES ('t@x.pt', 'trainer', 'T1')",
            [],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO changes(service_id, field, old, new, source, status, created, subject)
             VALUES ('tr-1', 'offer', 'null', '{}', 'trainer', 'pending', 7, 'training')",
            [],
        )
        .unwrap();
        let orphan = conn.execute(
            "INSERT INTO tokens(user_id, kind, hash, created, expires) VALUES (99, 'session', 'z', 1, 2)",
            [],
        );
        assert!(
            orphan.is_err(),
            "the rebuilt tables still check their references"
        );
    }
}
