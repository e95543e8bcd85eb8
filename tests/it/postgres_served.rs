//! The binary on PostgreSQL/PostGIS (`--database postgres://…`): it serves the shipped default
//! region from a scratch database, its searches agree with PostGIS's own on the `geog` column
//! a GIS reads, and `bussola backup` / `bussola restore` (pg_dump, pg_restore) bring back what
//! was changed since the backup. Skips without a cluster, fails without one in CI (see
//! `common::postgres`).
use crate::common::http;
use crate::common::postgres::{query, Scratch};
use crate::common::replicas::{login_link, nearest_id};
use crate::common::{shipped_manifest, Server};
use serde_json::{json, Value};
use std::process::Command;

/// Évora's main square.
const EVORA: (f64, f64) = (-7.9077, 38.5713);

/// `bussola ARGS --database URL --region <shipped>`: whether it succeeded, and what it said.
pub(crate) fn bussola(args: &[&str], url: &str) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_bussola"))
        .args(args)
        .args(["--database", url, "--region"])
        .arg(shipped_manifest())
        .output()
        .expect("the binary runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn serve(key: &str, url: &str) -> Server {
    let manifest = shipped_manifest();
    let region = manifest.to_str().expect("a UTF-8 path");
    Server::start(key, &["--region", region, "--database", url])
}

/// A service's record as served.
fn record(addr: &str, id: &str) -> Value {
    let res = http::get(addr, &format!("/api/services/{id}"));
    assert_eq!(res.status, 200, "{id}: {}", res.body);
    res.json()
}

#[test]
fn the_shipped_region_is_served_from_postgis_and_its_searches_agree_with_postgis() {
    let Some(db) = Scratch::new("served") else {
        return;
    };
    let server = serve("pg-served", &db.url);
    let health = http::get(&server.addr, "/health").json();
    assert_eq!(health["status"], "ok", "{health}");

    // Every service is a row with a PostGIS point where its coordinates say.
    let rows = query(
        &db.url,
        "SELECT count(*), count(geog),
           count(*) FILTER (WHERE abs(ST_X(geog::geometry) - lon) < 1e-9
                              AND abs(ST_Y(geog::geometry) - lat) < 1e-9
                              AND ST_SRID(geog) = 4326)
         FROM services",
    );
    let counts: Vec<u64> = rows
        .split('|')
        .map(|n| n.parse().expect("a count"))
        .collect();
    assert!(counts[0] > 1_000, "the whole of Alentejo is stored: {rows}");
    assert_eq!(
        counts,
        vec![counts[0]; 3],
        "all, with geog, where lon/lat say"
    );
    assert_eq!(health["services"], json!(counts[0]), "{health}");

    // The five nearest to a place, by Bússola and by PostGIS's distance on the geography.
    let (lon, lat) = EVORA;
    let res = http::get(
        &server.addr,
        &format!("/api/nearest?lon={lon}&lat={lat}&k=5"),
    );
    assert_eq!(res.status, 200, "{}", res.body);
    let served: Vec<(String, f64)> = res.json()["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| {
            let p = &f["properties"];
            (
                p["id"].as_str().expect("an id").to_string(),
                p["distance_m"].as_f64().expect("a distance"),
            )
        })
        .collect();
    let postgis: Vec<(String, f64)> = query(
        &db.url,
        &format!(
            "SELECT id, ST_Distance(geog, ST_SetSRID(ST_MakePoint({lon}, {lat}), 4326)::geography)
             FROM services ORDER BY 2, id LIMIT 5"
        ),
    )
    .lines()
    .map(|l| {
        let (id, d) = l.split_once('|').expect("id|distance");
        (id.to_string(), d.parse().expect("a distance"))
    })
    .collect();
    assert_eq!(
        served.iter().map(|s| &s.0).collect::<Vec<_>>(),
        postgis.iter().map(|s| &s.0).collect::<Vec<_>>(),
        "the same services in the same order: {served:?} {postgis:?}"
    );
    for ((id, ours), (_, theirs)) in served.iter().zip(&postgis) {
        assert!(
            (ours - theirs).abs() < 1.0,
            "{id}: {ours} m, PostGIS {theirs} m"
        );
    }

    // A listing by municipality holds what the table holds for it.
    let res = http::get(&server.addr, "/api/services?municipality=0705&limit=500");
    assert_eq!(res.status, 200, "{}", res.body);
    let page = res.json();
    assert_eq!(page["numberMatched"], page["numberReturned"], "one page");
    let mut listed: Vec<String> = page["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| f["properties"]["id"].as_str().expect("an id").to_string())
        .collect();
    listed.sort();
    let stored = query(
        &db.url,
        "SELECT id FROM services WHERE municipality = '0705' ORDER BY id COLLATE \"C\"",
    );
    assert!(!listed.is_empty());
    assert_eq!(listed.join("\n"), stored);
}

#[test]
fn a_backup_made_with_the_cli_brings_back_what_was_changed_since() {
    let Some(db) = Scratch::new("backup") else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("bussola-pg-backup-files-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a folder");
    let file = dir.join("bussola.dump");
    let file_arg = file.to_str().expect("a UTF-8 path");

    let server = serve("pg-backup", &db.url);
    let link = login_link(&db.url, &shipped_manifest(), "coord@example.pt", "admin");
    let admin = http::sign_in(&server.addr, &link);
    let (lon, lat) = EVORA;
    let id = nearest_id(&server.addr, lon, lat).expect("a service near Évora");
    let before = record(&server.addr, &id);
    let geog = |url: &str| {
        query(
            url,
            &format!("SELECT ST_AsText(geog) FROM services WHERE id = '{id}'"),
        )
    };
    let geog_before = geog(&db.url);

    // Backed up while the server runs: pg_dump's custom format, its tables listed.
    let (ok, text) = bussola(&["backup", "--out", file_arg], &db.url);
    assert!(ok, "{text}");
    let bytes = std::fs::read(&file).expect("the backup is written");
    assert!(bytes.starts_with(b"PGDMP"), "pg_dump's custom format");
    let list = Command::new("pg_restore")
        .arg("--list")
        .arg(&file)
        .output()
        .expect("pg_restore runs");
    let toc = String::from_utf8_lossy(&list.stdout);
    assert!(toc.contains("TABLE public services"), "{toc}");
    let (ok, text) = bussola(&["backup", "--out", file_arg], &db.url);
    assert!(
        !ok && text.contains("already exists"),
        "never overwritten: {text}"
    );

    // Renamed and moved about 1 km after the backup.
    let moved = (
        before["geometry"]["coordinates"][0].as_f64().expect("lon") + 0.01,
        before["geometry"]["coordinates"][1].as_f64().expect("lat"),
    );
    let edit = json!({"name": "Renamed after the backup", "lon": moved.0, "lat": moved.1});
    let res = http::call(
        &server.addr,
        "PATCH",
        &format!("/api/services/{id}"),
        &admin,
        Some(&edit.to_string()),
    );
    assert_eq!(res.status, 200, "{}", res.body);
    assert_eq!(
        record(&server.addr, &id)["properties"]["name"],
        "Renamed after the backup"
    );
    assert_ne!(geog(&db.url), geog_before, "the point moved in PostGIS too");

    // Restored with the server stopped; served as it was at the backup.
    drop(server);
    let (ok, text) = bussola(&["restore", file_arg], &db.url);
    assert!(ok, "{text}");
    assert_eq!(geog(&db.url), geog_before);
    let server = serve("pg-backup-again", &db.url);
    let after = record(&server.addr, &id);
    assert_eq!(after["properties"]["name"], before["properties"]["name"]);
    assert_eq!(after["geometry"], before["geometry"]);
    assert_eq!(nearest_id(&server.addr, lon, lat).as_deref(), Some(&*id));
    // The session made before the backup is in it, and still works.
    let me = http::call(&server.addr, "GET", "/api/me", &admin, None);
    assert_eq!(me.status, 200, "{}", me.body);

    // A file that is not a backup is refused and changes nothing.
    let junk = dir.join("junk.dump");
    std::fs::write(&junk, "not a backup").expect("written");
    let (ok, text) = bussola(&["restore", junk.to_str().expect("UTF-8")], &db.url);
    assert!(!ok, "{text}");
    assert_eq!(
        record(&server.addr, &id)["properties"]["name"],
        before["properties"]["name"]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A role of the cluster, dropped (with its grants in `db`) when this is dropped.
struct Role {
    admin: String,
    db: String,
    name: String,
}

impl Drop for Role {
    fn drop(&mut self) {
        // Its grants first, or the role cannot go; never panics (it runs in `drop`).
        for (url, sql) in [
            (&self.db, format!("DROP OWNED BY {}", self.name)),
            (&self.admin, format!("DROP ROLE IF EXISTS {}", self.name)),
        ] {
            let _ = Command::new("psql")
                .args(["-X", "-q", "-d", url, "-c", &sql])
                .output();
        }
    }
}

/// QGIS's PostgreSQL provider opening `services` (geometry `geog`) as a role: what it makes of
/// the layer, as JSON on a `RESULT` line.
const QGIS_OPENS_SERVICES: &str = r#"
import json, sys
from qgis.core import (QgsApplication, QgsDataSourceUri, QgsVectorDataProvider,
                       QgsVectorLayer, QgsWkbTypes)
host, port, db, user, password = sys.argv[1:6]
app = QgsApplication([], False)
app.initQgis()
uri = QgsDataSourceUri()
uri.setConnection(host, port, db, user, password)
uri.setDataSource("public", "services", "geog", "", "id")
layer = QgsVectorLayer(uri.uri(False), "services", "postgres")
valid = layer.isValid()
edits = (QgsVectorDataProvider.ChangeAttributeValues | QgsVectorDataProvider.ChangeGeometries
         | QgsVectorDataProvider.AddFeatures | QgsVectorDataProvider.DeleteFeatures)
points = {}
if valid:
    for f in layer.getFeatures():
        p = f.geometry().asPoint()
        points[f["id"]] = [p.x(), p.y()]
print("RESULT " + json.dumps({
    "valid": valid,
    "crs": layer.crs().authid(),
    "geometry": QgsWkbTypes.displayString(layer.wkbType()),
    "editable": bool(valid and layer.dataProvider().capabilities() & edits),
    "points": points,
}))
app.exitQgis()
"#;

#[test]
fn a_read_only_role_opens_the_services_table_in_gdal_and_qgis_and_cannot_write() {
    let Some(db) = Scratch::new("reader") else {
        return;
    };
    let gdal = Command::new("ogrinfo")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let qgis = Command::new("/usr/bin/python3")
        .args(["-c", "import qgis.core"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !(gdal && qgis) {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install GDAL and QGIS's Python bindings: bash .ci/ogc-clients.sh"
        );
        eprintln!("skipping: GDAL or QGIS's Python bindings missing (bash .ci/ogc-clients.sh)");
        return;
    }
    // The tables and the services, as any command makes them on first use.
    let out = std::env::temp_dir().join(format!("bussola-pg-reader-{}.csv", std::process::id()));
    let (ok, text) = bussola(
        &[
            "export",
            "--format",
            "csv",
            "--out",
            out.to_str().expect("UTF-8"),
        ],
        &db.url,
    );
    let _ = std::fs::remove_file(&out);
    assert!(ok, "{text}");

    // The read-only role of docs/operations/postgres.md.
    let role = Role {
        admin: db.admin.clone(),
        db: db.url.clone(),
        name: format!("bussola_test_reader_{}", std::process::id()),
    };
    let password = "reader-password";
    let (name, base) = (&role.name, &db.name);
    for sql in [
        format!("CREATE ROLE {name} LOGIN PASSWORD '{password}'"),
        format!("REVOKE ALL ON DATABASE {base} FROM PUBLIC"),
        format!("GRANT CONNECT ON DATABASE {base} TO {name}"),
        format!("GRANT USAGE ON SCHEMA public TO {name}"),
        format!("GRANT SELECT ON services, providers TO {name}"),
        format!("ALTER ROLE {name} SET default_transaction_read_only = on"),
    ] {
        query(&db.url, &sql);
    }
    let authority = db.url.split("://").nth(1).and_then(|r| r.split('/').next());
    let host_port = authority
        .and_then(|a| a.rsplit_once('@'))
        .map(|(_, hp)| hp)
        .expect("host:port in the cluster's URL");
    let (host, port) = host_port.split_once(':').unwrap_or((host_port, "5432"));
    let reader_url = format!("postgres://{name}:{password}@{host}:{port}/{base}");

    let stored: Vec<(String, f64, f64)> = query(&db.url, "SELECT id, lon, lat FROM services")
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split('|').collect();
            (
                f[0].to_string(),
                f[1].parse().expect("lon"),
                f[2].parse().expect("lat"),
            )
        })
        .collect();
    assert!(stored.len() > 1_000, "{}", stored.len());

    // GDAL's PostgreSQL driver.
    let pg = format!("PG:host={host} port={port} dbname={base} user={name} password={password}");
    let info = Command::new("ogrinfo")
        .args(["-ro", "-so", &pg, "services"])
        .output()
        .expect("ogrinfo runs");
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("Geometry: Point"), "{info}");
    assert!(
        info.contains(&format!("Feature Count: {}", stored.len())),
        "{info}"
    );
    assert!(info.contains("ID[\"EPSG\",4326]"), "{info}");

    // QGIS's own provider: the layer is valid, read-only, and every point is where the
    // service's coordinates say.
    let out = Command::new("/usr/bin/python3")
        .args(["-c", QGIS_OPENS_SERVICES, host, port, base, name, password])
        .env("QT_QPA_PLATFORM", "offscreen")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .unwrap_or_else(|| panic!("{stdout}{}", String::from_utf8_lossy(&out.stderr)));
    let layer: Value = serde_json::from_str(line).expect("JSON");
    assert_eq!(
        (
            &layer["valid"],
            &layer["crs"],
            &layer["geometry"],
            &layer["editable"]
        ),
        (
            &json!(true),
            &json!("EPSG:4326"),
            &json!("Point"),
            &json!(false)
        ),
        "{line}"
    );
    let points = layer["points"].as_object().expect("points");
    assert_eq!(points.len(), stored.len());
    for (id, lon, lat) in &stored {
        let p = &points[id];
        let (x, y) = (p[0].as_f64().expect("x"), p[1].as_f64().expect("y"));
        assert!(
            (x - lon).abs() < 1e-9 && (y - lat).abs() < 1e-9,
            "{id}: {p} against {lon}, {lat}"
        );
    }

    // The role reads no account and writes nothing.
    for (sql, refusal) in [
        ("SELECT count(*) FROM tokens", "permission denied"),
        ("SELECT count(*) FROM users", "permission denied"),
        ("UPDATE services SET name = 'x'", "read-only transaction"),
    ] {
        let out = Command::new("psql")
            .args([
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-d",
                &reader_url,
                "-c",
                sql,
            ])
            .output()
            .expect("psql runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && err.contains(refusal),
            "{sql}: {err}"
        );
    }
}
