//! The source readers end to end: real OpenStreetMap creches, and the invented Carta Social and
//! HSDS samples, read and converted against a region.
use crate::common::errors;

use bussola::ingest::{read_source, Batch, Context, ReadOptions, SourceKind};
use bussola::model::Service;
use bussola::region::{Issue, Region, Severity};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

/// Converts a batch as a region's service file is loaded: a record with any error is left out.
fn convert_all(batch: &Batch, region: &Region) -> (Vec<Service>, Vec<Issue>) {
    bussola::ingest::convert_batch(batch, &Context::new(region, &batch.source))
}

fn default_region() -> Region {
    Region::load(&crate::common::demo_manifest())
        .expect("default region loads")
        .region
}

#[test]
fn all_shared_osm_creches_read_and_convert_with_the_files_municipalities() {
    let Some(shared) = crate::common::shared() else {
        return;
    };
    let file = shared.join("alentejo/osm_creches_jardins_infancia.geojson");
    let manifest = crate::common::root().join("geodata/examples/alentejo-osm-creches.toml");
    let region = Region::load(&manifest)
        .expect("58-municipality region loads")
        .region;
    assert_eq!(region.municipalities.len(), 58);
    let options = ReadOptions::for_region(&region);
    let batch = read_source(SourceKind::Osm, &file, &options).expect("reads");
    assert_eq!(batch.source, "osm");
    assert_eq!(batch.records.len(), 204, "{:?}", errors(&batch.issues));

    // Expected from the file itself: under 36 months taken in means a creche.
    let raw: Value =
        serde_json::from_str(&std::fs::read_to_string(&file).expect("file")).expect("json");
    let features = raw["features"].as_array().expect("features");
    let dico: HashMap<&str, &str> = features
        .iter()
        .map(|f| {
            (
                f["properties"]["id"].as_str().expect("id"),
                f["properties"]["dico"].as_str().expect("dico"),
            )
        })
        .collect();
    let creches = features
        .iter()
        .filter(|f| f["properties"]["idade_min_meses"].as_u64().expect("age") < 36)
        .count();
    assert_eq!(creches, 35, "the shared extract changed");

    let (services, issues) = convert_all(&batch, &region);
    assert_eq!(services.len(), 204, "{:?}", errors(&issues));
    let mut by_type: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &services {
        *by_type.entry(s.type_code.as_str()).or_default() += 1;
    }
    assert_eq!(
        by_type,
        BTreeMap::from([("CRECHE", creches), ("PRE_ESCOLAR", 204 - creches)])
    );

    let ids: HashSet<&str> = services.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids.len(), 204, "ids are unique");
    assert!(services.iter().all(|s| s.id.starts_with("osm-node-")
        || s.id.starts_with("osm-way-")
        || s.id.starts_with("osm-relation-")));
    let again = read_source(SourceKind::Osm, &file, &options).expect("reads again");
    let first: Vec<_> = batch.records.iter().map(|r| r.get("id")).collect();
    let second: Vec<_> = again.records.iter().map(|r| r.get("id")).collect();
    assert_eq!(first, second, "ids are stable across reads");

    for s in &services {
        assert_eq!(
            Some(s.municipality.as_str()),
            dico.get(s.id.as_str()).copied(),
            "{}",
            s.id
        );
        assert_eq!(s.precision, bussola::model::Precision::Building);
    }
    // The extract's dico and the CAOP polygons disagree only for points on a border; say how many.
    let elsewhere = issues
        .iter()
        .filter(|i| i.message.contains("coordinates fall in"))
        .count();
    eprintln!("{elsewhere} of 204 creches lie in another municipality than their dico by CAOP");
    assert!(elsewhere <= 5, "{elsewhere} disagreements");
    // A Santa Casa named in the name or operator is a Misericórdia, whatever `tipo` says
    // (the extract marks most of them "Privada"); "Pública" is public.
    let named = |f: &&Value, word: &str| {
        let p = &f["properties"];
        let who = format!(
            "{} {}",
            p["nome"].as_str().unwrap_or(""),
            p["operador"].as_str().unwrap_or("")
        );
        bussola::text::fold(&who).contains(word)
    };
    let santa_casa = features
        .iter()
        .filter(|f| named(f, "misericordia") || named(f, "misericorida"))
        .count();
    let count = |n: bussola::model::LegalNature| {
        services
            .iter()
            .filter(|s| s.provider.legal_nature == n)
            .count()
    };
    assert_eq!(count(bussola::model::LegalNature::Misericordia), santa_casa);
    assert!(santa_casa >= 10);
    let public = features
        .iter()
        .filter(|f| f["properties"]["tipo"] == "Pública")
        .count();
    assert_eq!(count(bussola::model::LegalNature::Public), public);
}

#[test]
fn carta_social_sample_maps_names_and_reports_bad_rows() {
    let region = default_region();
    let file = crate::common::root().join("tests/data/carta-social-sample.csv");
    let batch = read_source(
        SourceKind::CartaSocial,
        &file,
        &ReadOptions::for_region(&region),
    )
    .expect("reads");
    assert_eq!(batch.records.len(), 8, "{:?}", batch.issues);
    let (services, issues) = convert_all(&batch, &region);
    let by_line: BTreeMap<&str, (&str, &str)> = batch
        .records
        .iter()
        .filter_map(|r| {
            let id = r.get("id")?;
            let s = services.iter().find(|s| s.id == id)?;
            Some((
                r.place.as_str(),
                (s.type_code.as_str(), s.municipality.as_str()),
            ))
        })
        .collect();
    assert_eq!(
        by_line,
        BTreeMap::from([
            ("line 2", ("ERPI", "0702")),
            ("line 3", ("ERPI", "0704")),
            ("line 4", ("CENTRO_DIA", "0704")),
            ("line 6", ("CACI", "0705")),
            ("line 9", ("PRE_ESCOLAR", "0714")),
        ])
    );
    let errs = errors(&issues);
    assert_eq!(errs.len(), 3, "{errs:?}");
    assert!(
        errs.iter()
            .any(|e| e.contains("line 5") && e.contains("no coordinates")),
        "{errs:?}"
    );
    assert!(
        errs.iter().any(|e| e.contains("line 7")
            && e.contains("field 'Capacidade'")
            && e.contains("'quarenta'")),
        "{errs:?}"
    );
    assert!(
        errs.iter().any(|e| e.contains("line 8")
            && e.contains("field 'Resposta Social'")
            && e.contains("Unidade de Cuidados Continuados")),
        "{errs:?}"
    );
    let warnings: Vec<String> = issues
        .iter()
        .filter(|i| i.severity == Severity::Warning)
        .map(|i| i.to_string())
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("line 3") && w.contains("'Lar de Idosos' read as ERPI")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("line 6")
            && w.contains("'Centro de Actividades Ocupacionais' read as CACI")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("columns not read: Nota")),
        "{warnings:?}"
    );

    let erpi = services
        .iter()
        .find(|s| s.municipality == "0704" && s.type_code == "ERPI")
        .expect("Estremoz ERPI");
    assert_eq!(
        erpi.provider.legal_nature,
        bussola::model::LegalNature::Misericordia
    );
    assert_eq!((erpi.capacity, erpi.users), (Some(60), Some(60)));
    assert_eq!(erpi.postal_code.as_deref(), Some("7100-100"));
    assert_eq!(erpi.locality.as_deref(), Some("ESTREMOZ"));
    assert_eq!(erpi.updated.as_deref(), Some("2024-12-31"));
    assert!((erpi.lat - 38.8446).abs() < 1e-9 && (erpi.lon + 7.5855).abs() < 1e-9);
    // The row without coordinates still carries what a gazetteer needs to place it.
    let sad = batch
        .records
        .iter()
        .find(|r| r.place == "line 5")
        .expect("line 5");
    assert_eq!(sad.get("postal_code"), Some("7050-001"));
    assert_eq!(sad.get("municipality"), Some("0706"));
    assert_eq!(sad.get("capacity"), Some("25"));
    assert_eq!(sad.point, None);
}

/// A record's fields and point, without its place (which names the file's own structure).
type Comparable = (BTreeMap<String, String>, Option<(f64, f64)>);

fn comparable(batch: &Batch) -> Vec<Comparable> {
    let mut v: Vec<_> = batch
        .records
        .iter()
        .map(|r| (r.fields.clone(), r.point))
        .collect();
    v.sort_by(|a, b| a.0.get("id").cmp(&b.0.get("id")));
    v
}

#[test]
fn hsds_json_and_csv_datapackage_give_the_same_records() {
    let region = default_region();
    let options = ReadOptions::for_region(&region);
    let root = crate::common::root().join("tests/data");
    let json =
        read_source(SourceKind::Hsds, &root.join("hsds-sample.json"), &options).expect("json");
    let folder = read_source(
        SourceKind::Hsds,
        &root.join("hsds-sample-datapackage"),
        &options,
    )
    .expect("csv");
    let package = read_source(
        SourceKind::Hsds,
        &root.join("hsds-sample-datapackage/datapackage.json"),
        &options,
    )
    .expect("csv");
    assert_eq!(comparable(&json), comparable(&folder));
    assert_eq!(comparable(&folder), comparable(&package));

    let (services, issues) = convert_all(&json, &region);
    let got: Vec<(&str, &str, &str)> = services
        .iter()
        .map(|s| (s.id.as_str(), s.type_code.as_str(), s.municipality.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("hsds-exemplo-erpi-arraiolos", "ERPI", "0702"),
            ("hsds-exemplo-cd-evora", "CENTRO_DIA", "0705"),
            ("sal-sad-evora", "SAD_IDOSOS", "0705"),
            ("sal-sad-estremoz", "SAD_IDOSOS", "0704"),
        ]
    );
    let errs = errors(&issues);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(
        errs[0].contains("hsds-exemplo-sem-local") && errs[0].contains("no service_at_location")
    );
    let erpi = &services[0];
    assert_eq!(erpi.capacity, Some(40));
    assert_eq!(
        erpi.opening_hours.as_deref(),
        Some("24 horas, todos os dias")
    );
    assert_eq!(erpi.contact.phone.as_deref(), Some("+351 200 000 201"));
    assert_eq!(
        erpi.provider.legal_nature,
        bussola::model::LegalNature::Ipss
    );
    assert_eq!(erpi.updated.as_deref(), Some("2025-01-31"));
    let day = &services[1];
    assert_eq!((day.capacity, day.users), (Some(30), Some(25)));
    assert_eq!(day.opening_hours.as_deref(), Some("Mo-Fr 09:00-18:00"));
    assert_eq!(
        day.provider.legal_nature,
        bussola::model::LegalNature::Misericordia
    );
    assert_eq!(
        services[3].address.as_deref(),
        Some("Largo do Exemplo, 2, Rés-do-chão")
    );
}

#[test]
fn auto_detects_each_sample() {
    let root = crate::common::root().join("tests/data");
    let options = ReadOptions::default();
    for (path, source) in [
        ("carta-social-sample.csv", "carta-social"),
        ("hsds-sample.json", "hsds"),
        ("hsds-sample-datapackage", "hsds"),
    ] {
        let b = read_source(SourceKind::Auto, &root.join(path), &options).expect("reads");
        assert_eq!(b.source, source, "{path}");
    }
    if let Some(shared) = crate::common::shared() {
        let p = shared.join("alentejo/osm_creches_jardins_infancia.geojson");
        assert_eq!(
            read_source(SourceKind::Auto, Path::new(&p), &options)
                .expect("reads")
                .source,
            "osm"
        );
    }
}
