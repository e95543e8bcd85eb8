//! The quality report of a region whose services come from two overlapping sources.
use crate::common::root;
use bussola::load::LoadOptions;
use bussola::quality::{review, Lang};
use bussola::region::{Manifest, Region, Severity};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("bussola-quality-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write fixture");
}

/// A region on the shipped Alentejo Central boundaries with services in a Carta Social-like
/// CSV (Portuguese column names) and an OpenStreetMap-like GeoJSON that lists one of them too.
fn fixture(name: &str) -> PathBuf {
    let dir = tempdir(name);
    let base = root().join("tests/data/demo-alentejo-central");
    std::fs::copy(base.join("boundaries.geojson"), dir.join("b.geojson")).expect("copy");
    std::fs::copy(base.join("municipalities.csv"), dir.join("pop.csv")).expect("copy");
    // Near the seat of Évora (-7.9, 38.56667), which the generated boundaries keep in 0705.
    write(
        &dir,
        "carta.csv",
        "id,nome,resposta,lugares,lon,lat,telefone,site,codigo_postal,concelho,atualizado\n\
         cs-1,Lar de São José,ERPI,40,-7.9000,38.5667,266 700 000 / 912345678,,7000-123,0705,2025-06-01\n\
         cs-2,Creche Pirilampos,Creche,-5,-7.9010,38.5670,,,,0705,2025-06-01\n\
         cs-3,Sítio Três,Hospital,10,-7.9020,38.5680,,,,0705,2025-06-01\n\
         cs-4,Lar Velho,Lar de Idosos,900,-7.9100,38.5700,266 700 001,www.lar-velho.pt,,0705,2019-01-01\n",
    );
    let feature = |id: &str, props: &str, lon: f64, lat: f64| {
        format!(
            "{{\"type\":\"Feature\",\"properties\":{{\"id\":\"{id}\",{props}}},\
             \"geometry\":{{\"type\":\"Point\",\"coordinates\":[{lon},{lat}]}}}}"
        )
    };
    let features = [
        // About 22 m north of cs-1: the same home, mapped on the building.
        feature(
            "osm-9",
            "\"name\":\"Lar S. José\",\"type\":\"ERPI\",\"precision\":\"building\",\
             \"website\":\"https://lar-sao-jose.example.pt\"",
            -7.9000,
            38.5669,
        ),
        feature(
            "osm-10",
            "\"name\":\"Creche O Balão\",\"type\":\"CRECHE\",\"phone\":\"12345\",\
             \"email\":\"creche@balao\"",
            -7.9050,
            38.5650,
        ),
        // Declares Évora but its postal code is Alandroal's.
        feature(
            "osm-11",
            "\"name\":\"Centro de Dia do Rossio\",\"type\":\"CENTRO_DIA\",\
             \"postal_code\":\"7250-999\",\"municipality\":\"0705\"",
            -7.9030,
            38.5660,
        ),
    ];
    write(
        &dir,
        "osm.geojson",
        &format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[{}]}}",
            features.join(",")
        ),
    );
    write(
        &dir,
        "region.toml",
        "id = \"q\"\nname = \"Q\"\n[boundaries]\npath = \"b.geojson\"\n\
         [population]\npath = \"pop.csv\"\ntotal = \"total\"\nage_0_14 = \"idade_0_14\"\n\
         age_15_24 = \"idade_15_24\"\nage_25_64 = \"idade_25_64\"\nage_65_plus = \"idade_65_mais\"\n\
         [[services]]\npath = \"carta.csv\"\nsource = \"carta-social\"\n\
         fields = { name = \"nome\", type = \"resposta\", capacity = \"lugares\", phone = \"telefone\", \
         website = \"site\", postal_code = \"codigo_postal\", municipality = \"concelho\", updated = \"atualizado\" }\n\
         [[services]]\npath = \"osm.geojson\"\nsource = \"osm\"\n\
         [quality]\nstale_after_days = 1000\n",
    );
    dir
}

#[test]
fn report_counts_sources_keeps_rejections_and_merges_the_overlap() {
    let dir = fixture("full");
    let manifest_path = dir.join("region.toml");
    let manifest = Manifest::load(&manifest_path).expect("manifest");
    assert_eq!(manifest.quality.stale_after_days, 1000);
    let mut postal: HashMap<String, (String, String)> = HashMap::new();
    postal.insert("7000-123".into(), ("0705".into(), "Évora".into()));
    postal.insert("7250-999".into(), ("0701".into(), "Alandroal".into()));
    let opts = LoadOptions {
        postal: Some(&postal),
        today: Some("2026-03-01"),
        ..Default::default()
    };
    let mut loaded = Region::from_manifest_with(&manifest, &manifest_path, opts).expect("loads");
    let report = review(&mut loaded, "2026-03-01");

    // Per source: records read, accepted, rejected.
    let counts: Vec<(&str, usize, usize, usize)> = report
        .sources
        .iter()
        .map(|s| (s.source.as_str(), s.records, s.accepted, s.rejected))
        .collect();
    assert_eq!(
        counts,
        [("carta-social", 4, 2, 2), ("osm", 3, 3, 0)],
        "{}",
        report.to_text()
    );

    // Rejected records are in the report with their reason, in the source's own field names.
    let has = |sev: Severity, file: &str, place: &str, field: &str, msg: &str| {
        report.issues.iter().any(|i| {
            i.severity == sev
                && i.file.ends_with(file)
                && i.place.as_deref() == Some(place)
                && i.field.as_deref() == Some(field)
                && i.message.contains(msg)
        })
    };
    let text = report.to_text();
    assert!(
        has(
            Severity::Error,
            "carta.csv",
            "line 3",
            "lugares",
            "negative capacity (-5)"
        ),
        "{text}"
    );
    assert!(
        has(
            Severity::Error,
            "carta.csv",
            "line 4",
            "resposta",
            "unknown response type 'Hospital'"
        ),
        "{text}"
    );
    assert_eq!(report.errors, 2, "{text}");

    // Warnings: implausible capacity, stale, website without scheme, phone, e-mail, postal code.
    assert!(
        has(
            Severity::Warning,
            "carta.csv",
            "line 5",
            "lugares",
            "capacity 900 is implausible for ERPI"
        ),
        "{text}"
    );
    assert!(
        has(
            Severity::Warning,
            "carta.csv",
            "line 5",
            "atualizado",
            "not updated since 2019-01-01"
        ),
        "{text}"
    );
    assert!(
        has(
            Severity::Warning,
            "carta.csv",
            "line 5",
            "site",
            "add https://"
        ),
        "{text}"
    );
    assert!(
        has(
            Severity::Warning,
            "osm.geojson",
            "feature 2",
            "phone",
            "'12345' has 5 digits"
        ),
        "{text}"
    );
    assert!(
        has(
            Severity::Warning,
            "osm.geojson",
            "feature 2",
            "email",
            "does not look like an e-mail"
        ),
        "{text}"
    );
    assert!(
        has(
            Severity::Warning,
            "osm.geojson",
            "feature 3",
            "postal_code",
            "belongs to municipality 0701, not 0705"
        ),
        "{text}"
    );
    // The two phone numbers of cs-1 and its recent date pass.
    assert!(
        !report
            .issues
            .iter()
            .any(|i| i.place.as_deref() == Some("line 2")),
        "{text}"
    );

    // The overlap is merged, not dropped: one service with both provenances.
    assert_eq!(report.merges.len(), 1, "{text}");
    let m = &report.merges[0];
    assert_eq!(
        (m.kept_id.as_str(), m.merged_id.as_str()),
        ("cs-1", "osm-9")
    );
    assert!((m.distance_m - 22.0).abs() < 2.0, "{}", m.distance_m);
    assert!(text.contains("osm-9 (osm) merged into cs-1 (carta-social): same type ERPI, names 'Lar de São José' / 'Lar S. José', 22 m apart"), "{text}");
    let services = &loaded.region.services;
    assert_eq!(services.len(), 4);
    let home = services
        .iter()
        .find(|s| s.id == "cs-1")
        .expect("merged service");
    let prov: Vec<(&str, &str)> = home
        .provenance
        .iter()
        .map(|p| (p.source.as_str(), p.record.as_str()))
        .collect();
    assert_eq!(prov, [("carta-social", "cs-1"), ("osm", "osm-9")]);
    assert_eq!(home.capacity, Some(40));
    assert_eq!(
        home.contact.website.as_deref(),
        Some("https://lar-sao-jose.example.pt")
    );
    assert_eq!(report.warnings, report.issues.len() - 2 + 1);

    // JSON has the documented fields.
    let v = serde_json::to_value(&report).expect("serialises");
    let keys = |v: &serde_json::Value| {
        let mut k: Vec<String> = v
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        k.sort();
        k
    };
    assert_eq!(
        keys(&v),
        [
            "errors",
            "generated",
            "issues",
            "merges",
            "sources",
            "warnings"
        ]
    );
    assert_eq!(
        keys(&v["sources"][0]),
        ["accepted", "demo", "file", "records", "rejected", "sha256", "source", "warnings"]
    );
    assert_eq!(
        v["sources"][0]["demo"], false,
        "an imported file is real data"
    );
    assert_eq!(
        keys(&v["issues"][0]),
        ["field", "file", "message", "place", "severity"]
    );
    assert_eq!(
        keys(&v["merges"][0]),
        [
            "distance_m",
            "kept_id",
            "merged_id",
            "names",
            "similarity",
            "sources",
            "type_code"
        ]
    );
    assert_eq!(v["sources"][1]["source"], "osm");
    assert_eq!(v["issues"][0]["severity"], "error");

    // The page lists both sources and the rejection.
    let html = report.to_html(Lang::En);
    assert!(html.contains("<th scope=\"row\">carta-social</th>"));
    assert!(html.contains("negative capacity (-5)"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn without_a_date_or_postal_look_up_those_checks_are_skipped() {
    let dir = fixture("bare");
    let mut loaded = Region::load(&dir.join("region.toml")).expect("loads");
    let report = review(&mut loaded, "2026-03-01");
    let text = report.to_text();
    assert!(!text.contains("not updated since"), "{text}");
    assert!(!text.contains("belongs to municipality"), "{text}");
    assert!(text.contains("negative capacity (-5)"), "{text}");
    let _ = std::fs::remove_dir_all(dir);
}
