//! The store survives upgrades and can be backed up and restored.
use crate::common::root;
use bussola::store::sqlite::migrate;
use bussola::store::{Reports, SqliteStore, Store};
use std::path::PathBuf;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_bussola");

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("bussola-durable-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The database as the first release wrote it: its schema, its seed marker, and a service
/// record without the fields added since (provenance).
const FIRST_RELEASE: &str = r#"
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE providers (id TEXT PRIMARY KEY, name TEXT NOT NULL, legal_nature TEXT NOT NULL);
CREATE TABLE services (
    id TEXT PRIMARY KEY,
    provider_id TEXT NOT NULL REFERENCES providers(id),
    type_code TEXT NOT NULL,
    municipality TEXT NOT NULL,
    lon REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
    lat REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    demo INTEGER NOT NULL,
    record TEXT NOT NULL
);
CREATE INDEX services_municipality ON services(municipality);
INSERT INTO meta VALUES ('version', '7');
INSERT INTO meta VALUES ('seeded_from', 'alentejo-central');
INSERT INTO providers VALUES ('p-1', 'Santa Casa Exemplo', 'misericordia');
INSERT INTO services VALUES ('s-1', 'p-1', 'ERPI', '0705', -7.9, 38.57, 1,
 '{"id":"s-1","name":"Lar Exemplo","type_code":"ERPI","provider":{"id":"p-1","name":"Santa Casa Exemplo","legal_nature":"misericordia"},"capacity":40,"users":38,"vacancies":2,"opening_hours":null,"contact":{"phone":"266 000 000","email":null,"website":null},"address":null,"postal_code":"7000-001","locality":"Évora","municipality":"0705","lon":-7.9,"lat":38.57,"precision":"building","source":"demo","updated":"2026-01-15","demo":true}');
"#;

#[test]
fn a_database_made_by_the_first_release_opens_and_is_migrated() {
    let dir = tempdir("old");
    let path = dir.join("old.sqlite");
    first_release_database(&path);
    let store = SqliteStore::open(&path).expect("the old database opens");
    let services = store.services().unwrap();
    assert_eq!(services.len(), 1);
    let s = &services[0];
    assert_eq!(
        (s.id.as_str(), s.capacity, s.vacancies),
        ("s-1", Some(40), Some(2))
    );
    assert!(s.provenance.is_empty());
    assert_eq!(store.seeded().unwrap(), ["alentejo-central"]);
    assert_eq!(store.version().unwrap(), 7, "the data version carries on");
    // What later schemas added works on it.
    store
        .put_report("osm", &bussola::quality::Report::combine(Vec::new()))
        .unwrap();
    assert_eq!(store.reports().unwrap().len(), 1);
    drop(store);
    let reopened = SqliteStore::open(&path).unwrap();
    assert_eq!(reopened.count().unwrap(), 1);
    let _ = std::fs::remove_dir_all(dir);
}

/// Writes the first release's database file, as that release would have.
fn first_release_database(path: &std::path::Path) {
    let conn = bussola::store::sqlite::migrate::raw_connection(path).unwrap();
    conn.execute_batch(FIRST_RELEASE).unwrap();
    assert_eq!(migrate::version(&conn).unwrap(), 0);
}

#[test]
fn backup_and_restore_through_the_command_line() {
    let dir = tempdir("cli");
    let data = dir.join("data");
    let run = |args: &[&str]| {
        let out = Command::new(BIN)
            .args(args)
            .arg("--region")
            .arg(crate::common::demo_manifest())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        (out.status.success(), text)
    };
    let d = data.to_str().unwrap();
    // The first use seeds the database (here through an import of the region's own files).
    assert!(run(&["import", "--data-dir", d]).0);
    let copy = dir.join("copy.sqlite");
    let (ok, text) = run(&["backup", "--data-dir", d, "--out", copy.to_str().unwrap()]);
    assert!(ok, "{text}");
    let (ok, text) = run(&["backup", "--data-dir", d, "--out", copy.to_str().unwrap()]);
    assert!(
        !ok && text.contains("already exists"),
        "never overwrites: {text}"
    );
    // Records imported after the backup are gone after the restore.
    let sample = root().join("tests/data/carta-social-sample.csv");
    let (ok, text) = run(&[
        "import",
        "--data-dir",
        d,
        "--source",
        "carta-social",
        sample.to_str().unwrap(),
    ]);
    assert!(ok && text.contains("6 added"), "{text}");
    let (ok, text) = run(&["restore", "--data-dir", d, copy.to_str().unwrap()]);
    assert!(ok, "{text}");
    assert!(text.contains("(378 services)"), "{text}");
    // A file that is not a backup is refused, naming it, and changes nothing.
    let junk = dir.join("junk.sqlite");
    std::fs::write(&junk, "not a database").unwrap();
    let (ok, text) = run(&["restore", "--data-dir", d, junk.to_str().unwrap()]);
    assert!(!ok && text.contains("junk.sqlite"), "{text}");
    let (_, text) = run(&["import", "--data-dir", d, "--dry-run"]);
    assert!(text.contains("378 unchanged"), "{text}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_running_server_shows_a_cli_import_without_a_restart() {
    let dir = tempdir("live");
    let d = dir.join("db");
    let server = crate::common::Server::start_in(d.clone(), &[]);
    let count = || {
        let res = crate::common::http_get(&server.addr, "/api/services?limit=1");
        let body = &res[res.find("\r\n\r\n").expect("a body") + 4..];
        let v: serde_json::Value = serde_json::from_str(body).expect("JSON");
        v["numberMatched"].as_u64().expect("a count")
    };
    assert_eq!(count(), 378);
    let sample = root().join("tests/data/carta-social-sample.csv");
    let out = Command::new(BIN)
        .arg("import")
        .arg("--region")
        .arg(crate::common::demo_manifest())
        .args(["--source", "carta-social", "--data-dir"])
        .arg(&d)
        .arg(&sample)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    // The server checks the store every 2 s.
    let mut seen = 0;
    for _ in 0..50 {
        seen = count();
        if seen == 384 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert_eq!(seen, 384, "the 6 imported services are served");
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}

/// The API over the test region on the database file `db`, as `bussola serve` runs it.
fn serve_on(db: &std::path::Path) -> (axum::Router, std::sync::Arc<bussola::catalog::Catalog>) {
    let loaded = bussola::region::Region::load(&crate::common::demo_manifest()).unwrap();
    let store = SqliteStore::open(db).unwrap();
    let cat = std::sync::Arc::new(
        bussola::catalog::Catalog::open(loaded.region, Box::new(store)).unwrap(),
    );
    let app = bussola::api::router(cat.clone(), bussola::api::Assets::under(&root()));
    (app, cat)
}

/// The status of `GET /api/me` with a session token.
async fn me(app: &axum::Router, token: &str) -> axum::http::StatusCode {
    let auth = crate::common::accounts::bearer(token);
    crate::common::send(app, "GET", "/api/me", &[("authorization", &auth)], "")
        .await
        .0
}

#[tokio::test]
async fn a_session_revoked_after_a_backup_stays_revoked_after_restoring_it() {
    use crate::common::accounts::{account, bearer};
    use axum::http::StatusCode;
    use bussola::auth::Role;
    let dir = tempdir("revoked");
    let db = dir.join("bussola.sqlite");
    let cli = |args: &[&str]| {
        let out = Command::new(BIN)
            .args(args)
            .arg("--database")
            .arg(&db)
            .arg("--region")
            .arg(crate::common::demo_manifest())
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{args:?}: {text}");
    };
    let (app, cat) = serve_on(&db);
    let (_, lost, lost_token) = account(&cat, "lost@example.pt", Role::Admin, None, &[]);
    let (_, _, admin) = account(&cat, "admin@example.pt", Role::Admin, None, &[]);
    assert_eq!(me(&app, &lost_token).await, StatusCode::OK);
    // The nightly backup, while the server runs.
    let copy = dir.join("nightly.sqlite");
    cli(&["backup", "--out", copy.to_str().unwrap()]);
    // A stolen token is revoked after the backup.
    let (st, _, _) = crate::common::send(
        &app,
        "DELETE",
        &format!("/api/tokens/{lost}"),
        &[("authorization", &bearer(&admin))],
        "",
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(me(&app, &lost_token).await, StatusCode::UNAUTHORIZED);
    // The server stopped, the backup restored, the server started again.
    drop(app);
    drop(cat);
    cli(&["restore", copy.to_str().unwrap()]);
    let (app, cat) = serve_on(&db);
    assert_eq!(
        me(&app, &lost_token).await,
        StatusCode::UNAUTHORIZED,
        "a backup made while the token was live does not bring it back"
    );
    assert_eq!(
        me(&app, &admin).await,
        StatusCode::OK,
        "the other session lives"
    );
    drop(app);
    drop(cat);
    let _ = std::fs::remove_dir_all(dir);
}

/// systemd, container runtimes and `kill` stop a process with SIGTERM: the server stops
/// gracefully then too, writing the use counts still in memory.
#[test]
fn sigterm_stops_the_server_gracefully_and_keeps_the_use_counts() {
    use bussola::store::Usage;
    let server = crate::common::Server::start("sigterm", &[]);
    let reply = crate::common::http_get(&server.addr, "/api/services/demo-0711-erpi-1");
    assert!(
        reply.starts_with("HTTP/1.1 200") || reply.starts_with("HTTP/1.0 200"),
        "{reply}"
    );
    let mut server = server;
    let pid = server.child.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().unwrap();
    assert!(killed.success());
    let status = server.child.wait().unwrap();
    assert!(status.success(), "stopped gracefully: {status}");
    let db = std::fs::read_dir(&server.data_dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "sqlite"))
        .expect("the database file");
    let store = SqliteStore::open(&db).unwrap();
    let counts = store
        .usage(&["demo-0711-erpi-1".to_string()], "2000-01-01")
        .unwrap();
    assert_eq!(
        counts[0].views, 1,
        "the view counted before SIGTERM is kept"
    );
}
