//! `bussola import`: checked, idempotent, newer files update, sources merge with provenance,
//! and the report reaches `/quality`; HSDS written by the export reads back the same.
use crate::common::{demo_manifest, http_get, root, Server};
use bussola::ingest::{convert_batch, read_source, Context, ReadOptions, SourceKind};
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_bussola");

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("bussola-import-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs `bussola import` and returns its standard output (asserting it succeeded); on the test
/// region unless `args` name a `--region`, as [`Server::start_in`] serves.
fn import(data: &Path, args: &[&str]) -> String {
    let mut cmd = Command::new(BIN);
    cmd.arg("import").arg("--data-dir").arg(data);
    if !args.contains(&"--region") {
        cmd.arg("--region").arg(demo_manifest());
    }
    let out = cmd.args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The counts of the summary line: (added, updated, unchanged, merged, rejected).
fn counts(stdout: &str) -> (u32, u32, u32, u32, u32) {
    let line = stdout
        .lines()
        .rfind(|l| l.contains(" accepted ("))
        .unwrap_or_else(|| panic!("no summary line: {stdout}"));
    let num = |word: &str| -> u32 {
        let i = line
            .find(word)
            .unwrap_or_else(|| panic!("{word} in {line}"));
        line[..i]
            .split([' ', '('])
            .rfind(|w| !w.is_empty())
            .unwrap()
            .parse()
            .unwrap()
    };
    (
        num(" added"),
        num(" updated"),
        num(" unchanged"),
        num(" merged"),
        num(" rejected"),
    )
}

#[test]
fn reimporting_changes_nothing_a_newer_file_updates_and_quality_shows_the_report() {
    let dir = tempdir("carta");
    let data = dir.join("data");
    let sample = root().join("tests/data/carta-social-sample.csv");
    let file = dir.join("carta.csv");
    std::fs::copy(&sample, &file).unwrap();
    let f = file.to_str().unwrap();

    let first = import(&data, &["--source", "carta-social", f]);
    // 8 rows: a bad capacity and an unknown response are rejected, with the line and field.
    assert_eq!(counts(&first), (6, 0, 0, 0, 2), "{first}");
    assert!(first.contains("line 7, field 'Capacidade': 'quarenta' is not a whole number"));
    // The row with only an address is placed at its municipality's seat, and says so.
    assert!(
        first.contains("no coordinates; placed by seat Montemor-o-Novo"),
        "{first}"
    );

    let again = import(&data, &["--source", "carta-social", f]);
    assert_eq!(
        counts(&again),
        (0, 0, 6, 0, 2),
        "the same file twice: {again}"
    );

    // A newer edition: one capacity changes.
    let text = std::fs::read_to_string(&sample).unwrap();
    assert!(text.contains(";40;38;"));
    std::fs::write(&file, text.replacen(";40;38;", ";45;38;", 1)).unwrap();
    let newer = import(
        &data,
        &[
            "--source",
            "carta-social",
            f,
            "--report",
            dir.join("r.json").to_str().unwrap(),
        ],
    );
    assert_eq!(counts(&newer), (0, 1, 5, 0, 2), "{newer}");
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("r.json")).unwrap()).unwrap();
    assert_eq!(report["sources"][0]["records"], 8);
    assert_eq!(report["sources"][0]["rejected"], 2);
    assert_eq!(report["errors"], 2);

    let server = Server::start_in(data.clone(), &[]);
    let list = http_get(
        &server.addr,
        "/api/services?q=Lar%20Exemplo%20de%20Arraiolos",
    );
    assert!(list.contains("\"capacity\":45"), "{list}");
    assert!(list.contains("\"source\":\"carta-social\""), "{list}");
    let page = http_get(&server.addr, "/quality");
    assert!(
        page.starts_with("HTTP/1.1 200") || page.starts_with("HTTP/1.0 200"),
        "{page}"
    );
    assert!(page.contains("carta.csv"), "the import's source is listed");
    assert!(
        page.contains("&#39;quarenta&#39;")
            || page.contains("'quarenta'")
            || page.contains("&#x27;quarenta&#x27;"),
        "{page}"
    );
    let en = http_get(&server.addr, "/quality?lang=en");
    assert!(en.contains("lang=\"en\""), "{en}");
    let json = http_get(&server.addr, "/api/quality");
    let body: serde_json::Value =
        serde_json::from_str(json.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    let sources: Vec<&str> = body["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["source"].as_str().unwrap())
        .collect();
    assert!(sources.contains(&"carta-social"), "{sources:?}");
    assert!(
        sources.len() >= 2,
        "the region's own file is reported too: {sources:?}"
    );
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_duplicate_id_is_counted_as_rejected_in_the_summary_line() {
    let dir = tempdir("duplicate");
    let data = dir.join("data");
    let sample =
        std::fs::read_to_string(root().join("tests/data/carta-social-sample.csv")).unwrap();
    // The last row again: the same entity, equipment and response, so the same id.
    let last = sample.lines().last().unwrap();
    let file = dir.join("respostas.csv");
    std::fs::write(&file, format!("{}\n{last}\n", sample.trim_end())).unwrap();

    let out = import(&data, &["--source", "carta-social", file.to_str().unwrap()]);
    // The report lists three errors: the sample's two and the duplicate.
    let errors = out.lines().filter(|l| l.starts_with("error: ")).count();
    assert_eq!(errors, 3, "{out}");
    assert!(out.contains("duplicate id"), "{out}");
    // The summary line counts the nine rows and the three rejected, as listed.
    assert!(
        out.contains("respostas.csv (carta-social): 9 records, 6 accepted"),
        "{out}"
    );
    assert_eq!(counts(&out), (6, 0, 0, 0, 3), "{out}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn public_quality_reports_name_no_server_path() {
    let dir = tempdir("public-paths");
    let region = dir.join("region");
    std::fs::create_dir_all(&region).unwrap();
    for f in [
        "region.toml",
        "boundaries.geojson",
        "municipalities.csv",
        "services.geojson",
    ] {
        std::fs::copy(
            root().join("tests/data/demo-alentejo-central").join(f),
            region.join(f),
        )
        .unwrap();
    }
    let incoming = dir.join("incoming");
    std::fs::create_dir_all(&incoming).unwrap();
    let file = incoming.join("respostas.csv");
    std::fs::copy(root().join("tests/data/carta-social-sample.csv"), &file).unwrap();
    let manifest = region.join("region.toml");
    let m = manifest.to_str().unwrap();
    let data = dir.join("data");
    // The operator's own output keeps the path as typed.
    let out = import(
        &data,
        &[
            "--region",
            m,
            "--source",
            "carta-social",
            file.to_str().unwrap(),
        ],
    );
    assert!(out.contains(file.to_str().unwrap()), "{out}");

    let server = Server::start_in(data.clone(), &["--region", m]);
    let secret = dir.to_str().unwrap();
    for page in ["/quality", "/quality?lang=en", "/api/quality"] {
        let body = http_get(&server.addr, page);
        assert!(
            body.starts_with("HTTP/1.0 200") || body.starts_with("HTTP/1.1 200"),
            "{body}"
        );
        assert!(!body.contains(secret), "{page} shows a server path: {body}");
        assert!(!body.contains(root().to_str().unwrap()), "{page}: {body}");
        assert!(body.contains("respostas.csv"), "{page}: {body}");
    }
    let json = http_get(&server.addr, "/api/quality");
    let body: serde_json::Value =
        serde_json::from_str(json.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    let files: Vec<&str> = body["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["file"].as_str().unwrap())
        .collect();
    // The region's file relative to its manifest, the import's by its name.
    assert_eq!(files, ["services.geojson", "respostas.csv"], "{body}");
    for issue in body["issues"].as_array().unwrap() {
        let file = issue["file"].as_str().unwrap();
        assert!(!file.starts_with('/') && !file.contains(".."), "{issue}");
    }
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn without_files_import_reads_the_regions_own_files_again() {
    let dir = tempdir("own");
    let region = dir.join("region");
    std::fs::create_dir_all(&region).unwrap();
    for f in [
        "region.toml",
        "boundaries.geojson",
        "municipalities.csv",
        "services.geojson",
    ] {
        std::fs::copy(
            root().join("tests/data/demo-alentejo-central").join(f),
            region.join(f),
        )
        .unwrap();
    }
    let manifest = region.join("region.toml");
    let m = manifest.to_str().unwrap();
    let data = dir.join("data");
    // The first start seeds the database; the same files again change nothing.
    let same = import(&data, &["--region", m]);
    assert_eq!(counts(&same), (0, 0, 378, 0, 0), "{same}");
    // A new edition of the services file: one capacity changed, one service added.
    let text = std::fs::read_to_string(region.join("services.geojson")).unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let features = doc["features"].as_array_mut().unwrap();
    features[0]["properties"]["capacity"] = 999.into();
    let id = features[0]["properties"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let mut extra = features[1].clone();
    extra["properties"]["id"] = "new-one".into();
    extra["properties"]["name"] = "Serviço novo".into();
    features.push(extra);
    std::fs::write(region.join("services.geojson"), doc.to_string()).unwrap();
    let newer = import(&data, &["--region", m]);
    assert_eq!(counts(&newer), (1, 1, 377, 0, 0), "{newer}");
    let server = Server::start_in(data.clone(), &["--region", m]);
    let one = http_get(&server.addr, &format!("/api/services/{id}"));
    assert!(one.contains("\"capacity\":999"), "{one}");
    assert!(http_get(&server.addr, "/api/services/new-one").contains(" 200 "));
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_second_source_listing_the_same_place_is_merged_with_both_provenances() {
    let dir = tempdir("merge");
    let data = dir.join("data");
    let first = dir.join("a.csv");
    let second = dir.join("b.csv");
    // Two sources, one service 20 m apart under slightly different names; another far away.
    std::fs::write(
        &first,
        "id,nome,resposta,lon,lat,telefone\n\
         a1,Lar de São José,ERPI,-7.9100,38.5700,\n\
         a2,Creche O Pião,CRECHE,-7.9300,38.5800,\n",
    )
    .unwrap();
    std::fs::write(
        &second,
        "id,nome,resposta,lon,lat,telefone\n\
         b1,Lar S. José,ERPI,-7.9102,38.5701,266 700 000\n\
         b2,Creche O Pião,CRECHE,-7.8000,38.5000,\n",
    )
    .unwrap();
    let map = [
        "--field",
        "name=nome",
        "--field",
        "type=resposta",
        "--field",
        "phone=telefone",
    ];
    let mut args = vec!["--label", "fonte-a"];
    args.extend(map);
    args.push(first.to_str().unwrap());
    assert_eq!(counts(&import(&data, &args)), (2, 0, 0, 0, 0));
    let mut args = vec!["--label", "fonte-b"];
    args.extend(map);
    args.push(second.to_str().unwrap());
    let out = import(&data, &args);
    assert_eq!(counts(&out), (1, 0, 0, 1, 0), "{out}");
    assert!(
        out.contains("b1 (fonte-b) merged into a1 (fonte-a)"),
        "{out}"
    );
    // Importing the second source again changes nothing.
    assert_eq!(counts(&import(&data, &args)), (0, 0, 2, 0, 0));

    let server = Server::start_in(data.clone(), &[]);
    let one = http_get(&server.addr, "/api/services/a1");
    let body: serde_json::Value =
        serde_json::from_str(one.split("\r\n\r\n").nth(1).unwrap()).unwrap();
    let p = &body["properties"];
    assert_eq!(
        p["name"], "Lar de São José",
        "the first source keeps its name"
    );
    assert_eq!(
        p["contact"]["phone"], "266 700 000",
        "the gap is filled from the second"
    );
    let prov: Vec<(&str, &str)> = p["provenance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["source"].as_str().unwrap(), x["record"].as_str().unwrap()))
        .collect();
    assert_eq!(prov, [("fonte-a", "a1"), ("fonte-b", "b1")]);
    assert!(http_get(&server.addr, "/api/services/b1").contains(" 404 "));
    assert!(http_get(&server.addr, "/api/services/b2").contains(" 200 "));
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn hsds_written_by_the_export_reads_back_as_the_same_services() {
    let cat = crate::common::catalog(&demo_manifest());
    let e = bussola::export::export(&cat, "services", "hsds").unwrap();
    let dir = tempdir("hsds");
    let file = dir.join("services.json");
    std::fs::write(&file, &e.body).unwrap();
    let region = cat.region();
    let batch = read_source(SourceKind::Hsds, &file, &ReadOptions::for_region(region)).unwrap();
    let (back, issues) = convert_batch(&batch, &Context::new(region, "hsds"));
    let errors: Vec<_> = issues
        .iter()
        .filter(|i| i.severity == bussola::region::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(back.len(), cat.len().unwrap());
    for s in &back {
        let o = cat
            .get(&s.id)
            .unwrap_or_else(|_| panic!("{} is stored", s.id));
        assert_eq!(
            (
                &s.name,
                &s.type_code,
                s.capacity,
                &s.municipality,
                &s.contact.phone
            ),
            (
                &o.name,
                &o.type_code,
                o.capacity,
                &o.municipality,
                &o.contact.phone
            ),
            "{}",
            s.id
        );
        assert!((s.lon - o.lon).abs() < 1e-6 && (s.lat - o.lat).abs() < 1e-6);
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_import_does_not_overwrite_what_a_provider_confirmed_more_recently() {
    use bussola::store::{ChangeQuery, ChangeStatus};
    let cat = crate::common::catalog(&demo_manifest());
    let original = bussola::region::Region::load(&demo_manifest())
        .unwrap()
        .region
        .services;
    let id = original[0].id.clone();
    let source_phone = original[0].contact.phone.clone();
    let source_date = original[0].updated.clone().unwrap();
    // The provider changed the phone and confirmed the record after the source's date.
    let mut edited = cat.get(&id).unwrap();
    edited.contact.phone = Some("266 000 001".into());
    edited.confirmed = Some("2026-11-01".into());
    assert!(source_date.as_str() < "2026-11-01");
    cat.upsert(edited).unwrap();
    let same = &bussola::quality::likely_same;
    let pending = |cat: &bussola::catalog::Catalog| {
        cat.store()
            .changes(&ChangeQuery {
                status: Some(ChangeStatus::Pending),
                service_id: Some(id.clone()),
                ..Default::default()
            })
            .unwrap()
    };

    // The same (older) source record again: the provider's phone stays; the source's waits.
    let plan = cat.import(vec![original[0].clone()], same).unwrap();
    assert_eq!(plan.held.len(), 1, "{:?}", plan.held);
    assert_eq!(plan.held[0].field, "phone");
    assert_eq!(
        cat.get(&id).unwrap().contact.phone.as_deref(),
        Some("266 000 001")
    );
    let waiting = pending(&cat);
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].change.source, "import");
    assert_eq!(waiting[0].change.new, serde_json::json!(source_phone));
    // Importing it again adds nothing to review.
    cat.import(vec![original[0].clone()], same).unwrap();
    assert_eq!(pending(&cat).len(), 1);

    // A source record updated after the confirmation wins.
    let mut newer = original[0].clone();
    newer.updated = Some("2026-11-20".into());
    newer.provenance[0]
        .fields
        .insert("updated".into(), "2026-11-20".into());
    let plan = cat.import(vec![newer], same).unwrap();
    assert!(plan.held.is_empty());
    assert_eq!(cat.get(&id).unwrap().contact.phone, source_phone);
}
