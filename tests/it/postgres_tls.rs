//! TLS to PostgreSQL (`sslmode`, `sslrootcert` in the URL): a server on a TLS URL keeps only
//! encrypted connections (as PostgreSQL's `pg_stat_ssl` sees them), `bussola backup` passes
//! the same TLS to `pg_dump`, and a server certificate that cannot be verified, or a missing
//! authorities file, is refused with an error naming it. The test cluster of
//! `.ci/postgres.sh` takes TLS with a certificate from its own test authority
//! (`target/pg/ca.pem`, or `BUSSOLA_TEST_POSTGRES_CA`). Skips without a cluster, fails without
//! one in CI.
use crate::common::postgres::{query, Scratch};
use crate::common::{root, Server};
use crate::postgres_served::bussola;

/// The test authority's certificate, when there is one.
fn authority() -> Option<String> {
    let file = std::env::var("BUSSOLA_TEST_POSTGRES_CA")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| root().join("target/pg/ca.pem"));
    if file.exists() {
        return Some(file.to_string_lossy().into_owned());
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI must start PostgreSQL with TLS (.ci/postgres.sh writes target/pg/ca.pem)"
    );
    eprintln!("skipping: no test authority at {}", file.display());
    None
}

#[test]
fn a_tls_url_keeps_every_connection_encrypted_and_verified() {
    let Some(db) = Scratch::new("tls") else {
        return;
    };
    let Some(ca) = authority() else {
        return;
    };
    let tls_url = format!("{}?sslmode=verify-full&sslrootcert={ca}", db.url);
    let server = Server::start("pg-tls", &["--database", &tls_url]);
    let res = crate::common::http::get(&server.addr, "/api/nearest?lon=-7.9&lat=38.57&k=3");
    assert_eq!(res.status, 200, "{}", res.body);
    // The pool and the listener: every connection of the server is encrypted.
    let sql = format!(
        "SELECT count(*) FILTER (WHERE s.ssl), count(*) FROM pg_stat_activity a \
         JOIN pg_stat_ssl s USING (pid) WHERE a.datname = '{}' AND a.application_name = 'bussola'",
        db.name
    );
    let counts = query(&db.admin, &sql);
    let (encrypted, all) = counts.trim().split_once('|').expect("two counts");
    assert_eq!(encrypted, all, "every connection is encrypted: {counts}");
    assert!(
        all.parse::<u32>().expect("a count") >= 2,
        "the pool and the listener: {counts}"
    );
    drop(server);

    // The backup goes over the same TLS (pg_dump, with PGSSLMODE and PGSSLROOTCERT).
    let file = std::env::temp_dir().join(format!("bussola-tls-{}.dump", std::process::id()));
    let out = file.to_str().expect("UTF-8");
    let (ok, text) = bussola(&["backup", "--out", out], &tls_url);
    assert!(ok, "{text}");
    assert!(std::fs::metadata(&file).expect("the backup").len() > 1000);
    let _ = std::fs::remove_file(&file);

    // A certificate that Mozilla's authorities did not sign is refused, not trusted.
    let (ok, text) = bussola(
        &["backup", "--out", out],
        &format!("{}?sslmode=require", db.url),
    );
    assert!(!ok, "an unverifiable server is refused: {text}");
    assert!(text.contains("certificate"), "{text}");
    assert!(
        !text.contains(":bussola@"),
        "the password is not shown: {text}"
    );
    // So is a missing authorities file, named.
    let (ok, text) = bussola(
        &["backup", "--out", out],
        &format!(
            "{}?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem",
            db.url
        ),
    );
    assert!(!ok);
    assert!(text.contains("/nonexistent/ca.pem"), "{text}");
    assert!(
        !file.exists(),
        "nothing written when the database cannot be opened"
    );
}
