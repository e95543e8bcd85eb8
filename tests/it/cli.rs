//! The `bussola` binary: `check` names file, place and field; `serve` starts and answers.
use crate::common::{demo_manifest, root};

use std::path::Path;
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_bussola");

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("bussola-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn check_passes_on_the_shipped_region() {
    let out = Command::new(BIN)
        .arg("check")
        .arg(demo_manifest())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("14 municipalities, 378 services loaded; 0 errors, 0 warnings"),
        "{stdout}"
    );
}

#[test]
fn check_names_file_place_and_field_and_fails() {
    let dir = tempdir("check");
    let boundaries =
        std::fs::read_to_string(root().join("tests/data/demo-alentejo-central/boundaries.geojson"))
            .unwrap();
    write(&dir, "b.geojson", &boundaries);
    std::fs::copy(
        root().join("tests/data/demo-alentejo-central/municipalities.csv"),
        dir.join("pop.csv"),
    )
    .unwrap();
    write(
        &dir,
        "s.csv",
        "id,nome,resposta,lugares,lon,lat,email\n\
         a,Lar A,Lar de Idosos,30,-7.9,38.57,a@example.org\n\
         b,Sítio B,Hospital,10,-7.9,38.57,\n\
         c,Creche C,Creche,muitos,-7.9,38.57,\n\
         d,Centro D,Centro de Dia,20,,,\n\
         e,Centro E,Centro de Dia,20,-7.9,38.57,sem-arroba\n",
    );
    write(
        &dir,
        "region.toml",
        "id = \"t\"\nname = \"T\"\n[boundaries]\npath = \"b.geojson\"\n\
         [population]\npath = \"pop.csv\"\ntotal = \"total\"\nage_0_14 = \"idade_0_14\"\nage_15_24 = \"idade_15_24\"\n\
         age_25_64 = \"idade_25_64\"\nage_65_plus = \"idade_65_mais\"\n\
         [[services]]\npath = \"s.csv\"\nsource = \"test\"\nfields = { name = \"nome\", type = \"resposta\", capacity = \"lugares\" }\n",
    );
    let out = Command::new(BIN)
        .arg("check")
        .arg(dir.join("region.toml"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        !out.status.success(),
        "errors give a non-zero exit: {stdout}"
    );
    let has = |needle: &str| stdout.lines().any(|l| l.contains(needle));
    assert!(
        has("s.csv, line 3, field 'resposta': unknown response type 'Hospital'"),
        "{stdout}"
    );
    assert!(
        has("s.csv, line 4, field 'lugares': 'muitos' is not a whole number"),
        "{stdout}"
    );
    assert!(
        has("s.csv, line 5, field 'geometry': no coordinates"),
        "{stdout}"
    );
    assert!(has("warning: ") && has("line 6, field 'email'"), "{stdout}");
    assert!(
        has("line 2, field 'resposta': 'Lar de Idosos' read as ERPI"),
        "{stdout}"
    );
    assert!(stdout.contains("2 services loaded; 3 errors"), "{stdout}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn check_reports_a_broken_manifest_with_its_line() {
    let dir = tempdir("manifest");
    write(
        &dir,
        "region.toml",
        "id = \"t\"\nname = \"T\"\n[boundaries]\npath = 3\n",
    );
    let out = Command::new(BIN)
        .arg("check")
        .arg(dir.join("region.toml"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("region.toml, line 4"), "{stderr}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn every_subcommand_has_help() {
    for sub in ["serve", "check", "demo", "export", "region"] {
        let out = Command::new(BIN).args([sub, "--help"]).output().unwrap();
        assert!(out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("Usage: bussola"),
            "{sub}"
        );
    }
}

use crate::common::http_get;

#[test]
fn serve_starts_on_the_default_region_seeds_its_database_and_answers() {
    let server = crate::common::Server::start("serve", &[]);
    let health = http_get(&server.addr, "/health");
    let nearest = http_get(&server.addr, "/api/nearest?lon=-7.9&lat=38.57&k=1");
    assert!(
        health.starts_with("HTTP/1.0 200") || health.starts_with("HTTP/1.1 200"),
        "{health}"
    );
    assert!(health.contains("\"services\":378"), "{health}");
    assert!(nearest.contains("\"distance_m\""), "{nearest}");
    assert!(
        server.data_dir.join("alentejo-central.sqlite").exists(),
        "database created in --data-dir"
    );
}

#[test]
fn check_set_maps_fields_without_editing_the_manifest() {
    let dir = tempdir("set");
    // The boundaries name their code field in a way no default knows, and the name Concelho.
    let text =
        std::fs::read_to_string(root().join("tests/data/demo-alentejo-central/boundaries.geojson"))
            .unwrap()
            .replace("\"dico\":", "\"CODINE\":")
            .replace("\"concelho\":", "\"Concelho\":");
    write(&dir, "b.geojson", &text);
    std::fs::copy(
        root().join("tests/data/demo-alentejo-central/municipalities.csv"),
        dir.join("pop.csv"),
    )
    .unwrap();
    write(
        &dir,
        "s.csv",
        "id,nome,resposta,lon,lat\na,Lar A,ERPI,-7.9,38.57\n",
    );
    write(
        &dir,
        "region.toml",
        "id = \"t\"\nname = \"T\"\n[boundaries]\npath = \"b.geojson\"\n\
         [population]\npath = \"pop.csv\"\ntotal = \"total\"\nage_0_14 = \"idade_0_14\"\nage_15_24 = \"idade_15_24\"\n\
         age_25_64 = \"idade_25_64\"\nage_65_plus = \"idade_65_mais\"\n\
         [[services]]\npath = \"s.csv\"\nsource = \"test\"\n",
    );
    let check = |set: &[&str]| {
        let mut cmd = Command::new(BIN);
        cmd.arg("check").arg(dir.join("region.toml"));
        for s in set {
            cmd.args(["--set", s]);
        }
        let out = cmd.output().unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    };

    let (ok, text) = check(&[]);
    assert!(!ok, "{text}");
    assert!(
        text.contains("field 'dico': no municipality boundaries")
            && text.contains("the fields are CODINE, Concelho"),
        "{text}"
    );

    let mapped = [
        "boundaries.code=CODINE",
        "boundaries.name=Concelho",
        "services.0.fields.name=nome",
        "services.0.fields.type=resposta",
    ];
    let (ok, text) = check(&mapped);
    assert!(ok, "{text}");
    assert!(
        text.contains("14 municipalities, 1 services loaded; 0 errors"),
        "{text}"
    );

    let (ok, text) = check(&["boundaries.cod=DICO"]);
    assert!(!ok && text.contains("field 'boundaries.cod'"), "{text}");
    assert!(text.contains("unknown field `cod`"), "{text}");
    let (ok, text) = check(&["services.1.path=x.csv"]);
    assert!(!ok && text.contains("field 'services.1.path'"), "{text}");
    let (ok, text) = check(&["boundaries.code"]);
    assert!(!ok && text.contains("expected KEY=VALUE"), "{text}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_database_option_picks_the_database_and_refuses_what_it_cannot_open() {
    let dir = tempdir("database");
    let chosen = dir.join("chosen.db");
    let unused = dir.join("unused");
    let run = |args: &[&str], env: Option<&str>| {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .arg("--region")
            .arg(demo_manifest())
            .arg("--data-dir")
            .arg(&unused);
        if let Some(db) = env {
            cmd.env("BUSSOLA_DATABASE", db);
        }
        let out = cmd.output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        (out.status.success(), text)
    };
    let spec = format!("sqlite:{}", chosen.display());
    let (ok, text) = run(&["import", "--database", &spec], None);
    assert!(ok && text.contains("378"), "{text}");
    assert!(chosen.exists(), "the named file holds the database");
    assert!(!unused.exists(), "--data-dir is not used with --database");
    // The environment variable names it too; a plain path is an SQLite file.
    let (ok, csv) = run(
        &["export", "--format", "csv"],
        Some(chosen.to_str().unwrap()),
    );
    assert!(ok, "{csv}");
    assert_eq!(csv.lines().count(), 1 + 378, "header and the 378 services");
    assert!(!unused.exists());
    // A PostgreSQL server that does not answer: a clear message that never shows the password.
    let out = dir.join("b.sqlite");
    let pg = "postgres://me:secret@127.0.0.1:1/bussola";
    let (ok, text) = run(
        &["backup", "--database", pg, "--out", out.to_str().unwrap()],
        None,
    );
    assert!(!ok, "{text}");
    assert!(
        text.contains("connecting to postgres://me:***@127.0.0.1:1/bussola"),
        "{text}"
    );
    assert!(!text.contains("secret"), "{text}");
    let (ok, text) = run(&["export", "--database", "mysql://x/y"], None);
    assert!(
        !ok && text.contains("unknown kind of database 'mysql'"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_restart_serves_the_stored_services_without_reading_their_files_again() {
    let dir = tempdir("restart");
    let region = dir.join("region");
    std::fs::create_dir_all(&region).unwrap();
    let demo = root().join("tests/data/demo-alentejo-central");
    for f in [
        "region.toml",
        "boundaries.geojson",
        "municipalities.csv",
        "services.geojson",
    ] {
        std::fs::copy(demo.join(f), region.join(f)).unwrap();
    }
    let manifest = region.join("region.toml");
    let data = dir.join("data");
    let args = ["--region", manifest.to_str().unwrap()];
    let quality = |addr: &str| {
        let page = http_get(addr, "/api/quality");
        let body = &page[page.find("\r\n\r\n").unwrap() + 4..];
        serde_json::from_str::<serde_json::Value>(body).unwrap()
    };
    let quality_sources = |addr: &str| quality(addr)["sources"].clone();
    let new_editions = |addr: &str| {
        quality(addr)["issues"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| {
                i["message"]
                    .as_str()
                    .is_some_and(|m| m.contains("changed since it was read"))
            })
            .count()
    };
    let mut first = crate::common::Server::start_in(data.clone(), &args);
    assert!(http_get(&first.addr, "/health").contains("\"services\":378"));
    let sources = quality_sources(&first.addr);
    assert_eq!(sources[0]["accepted"], 378, "{sources}");
    first.data_dir = dir.join("kept"); // stop it, keeping its database
    drop(first);

    // The services file is now unreadable: a start that read it again would fail or lose them.
    std::fs::write(region.join("services.geojson"), "not GeoJSON").unwrap();
    let second = crate::common::Server::start_in(data.clone(), &args);
    let health = http_get(&second.addr, "/health");
    assert!(health.contains("\"services\":378"), "{health}");
    assert_eq!(
        quality_sources(&second.addr),
        sources,
        "the report of the files as they were read"
    );
    // The new edition is told of on /quality, once however many restarts.
    assert_eq!(new_editions(&second.addr), 1);
    let mut second = second;
    second.data_dir = dir.join("kept");
    drop(second);
    let third = crate::common::Server::start_in(data, &args);
    assert_eq!(new_editions(&third.addr), 1);
    drop(third);
    let _ = std::fs::remove_dir_all(dir);
}
