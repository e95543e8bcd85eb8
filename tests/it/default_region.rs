//! The shipped default: the whole of Alentejo on official boundaries, real creches from
//! OpenStreetMap, demonstration services only where no open data exists, rebuilt by
//! `bussola build-default` from `../shared/geodata`.
use crate::common::{root, shared, shipped_manifest};
use bussola::region::{Region, Severity};
use geo::orient::Direction;
use geo::{GeodesicArea, Orient};
use std::collections::BTreeMap;
use std::process::Command;

const OSM: &str = "OpenStreetMap (ODbL)";

#[test]
fn the_default_serves_the_58_municipalities_of_alentejo_as_five_sub_regions() {
    let loaded = Region::load(&shipped_manifest()).expect("the default loads");
    let errors: Vec<String> = loaded
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Error)
        .map(|i| i.to_string())
        .collect();
    assert!(errors.is_empty(), "errors in the default: {errors:#?}");
    let r = &loaded.region;
    assert_eq!(r.id, "alentejo");
    assert_eq!(r.municipalities.len(), 58);
    let mut per_part: BTreeMap<&str, usize> = BTreeMap::new();
    for m in &r.municipalities {
        *per_part.entry(m.region.as_str()).or_default() += 1;
        assert!(!m.approximate, "{} is marked approximate", m.name);
        assert!(m.seat.is_some(), "{} has no seat", m.name);
    }
    assert_eq!(
        per_part.into_iter().collect::<Vec<_>>(),
        [
            ("alentejo-central", 14),
            ("alentejo-litoral", 5),
            ("alto-alentejo", 15),
            ("baixo-alentejo", 13),
            ("leziria-do-tejo", 11)
        ]
    );
    let total: u64 = r.municipalities.iter().map(|m| m.population.total).sum();
    let older: u64 = r
        .municipalities
        .iter()
        .filter_map(|m| m.population.age_65_plus)
        .sum();
    assert_eq!((total, older), (704_533, 190_463));
}

#[test]
fn real_creches_are_not_demo_and_demo_services_are_only_where_no_open_data_exists() {
    let r = Region::load(&shipped_manifest()).expect("loads").region;
    let osm: Vec<_> = r.services.iter().filter(|s| s.source == OSM).collect();
    assert_eq!(osm.len(), 204, "every OpenStreetMap creche is served");
    assert!(osm.iter().all(|s| !s.demo));
    let kinds: BTreeMap<&str, usize> = osm.iter().fold(BTreeMap::new(), |mut m, s| {
        *m.entry(s.type_code.as_str()).or_default() += 1;
        m
    });
    // 35 take children under three; 169 are kindergartens (from 36 months).
    assert_eq!(
        kinds,
        BTreeMap::from([("CRECHE", 35), ("PRE_ESCOLAR", 169)])
    );
    let others: Vec<_> = r.services.iter().filter(|s| s.source != OSM).collect();
    assert!(
        others.len() > 500,
        "demonstration services in every sub-region"
    );
    for s in &others {
        assert!(s.demo, "{} ({}) is not marked demo", s.name, s.source);
        let group = r.taxonomy.get(&s.type_code).map(|t| t.group.as_str());
        assert_ne!(
            group,
            Some("children"),
            "{} invents a children's service",
            s.name
        );
    }
    for part in &r.parts {
        let codes: Vec<&str> = r
            .municipalities
            .iter()
            .filter(|m| m.region == part.id)
            .map(|m| m.code.as_str())
            .collect();
        let erpi = others
            .iter()
            .filter(|s| s.type_code == "ERPI" && codes.contains(&s.municipality.as_str()))
            .count();
        assert!(erpi >= codes.len(), "{}: an ERPI per municipality", part.id);
    }
}

#[test]
fn the_boundaries_are_caop_s_within_half_a_percent() {
    let Some(shared) = shared() else { return };
    let caop = bussola::region::read::read_geojson(&shared.join("alentejo/municipios.geojson"))
        .expect("CAOP reads");
    let area = |g: &geo_types::Geometry| match g {
        geo_types::Geometry::Polygon(p) => p.orient(Direction::Default).geodesic_area_unsigned(),
        geo_types::Geometry::MultiPolygon(p) => {
            p.orient(Direction::Default).geodesic_area_unsigned()
        }
        _ => 0.0,
    };
    let official: BTreeMap<String, f64> = caop
        .features
        .iter()
        .filter_map(|f| {
            let code = bussola::region::read::text(&f.props, "dico")?;
            Some((code, area(f.geometry.as_ref()?)))
        })
        .collect();
    let r = Region::load(&shipped_manifest()).expect("loads").region;
    assert_eq!(official.len(), r.municipalities.len());
    for m in &r.municipalities {
        let ours = m
            .geometry
            .orient(Direction::Default)
            .geodesic_area_unsigned();
        let theirs = official[&m.code];
        let diff = (ours - theirs).abs() / theirs;
        assert!(diff < 0.005, "{}: {ours} vs CAOP {theirs}", m.name);
    }
}

#[test]
fn build_default_rewrites_the_shipped_files_byte_for_byte() {
    let Some(shared) = shared() else { return };
    let out = std::env::temp_dir().join(format!("bussola-default-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let run = Command::new(env!("CARGO_BIN_EXE_bussola"))
        .args(["build-default", "--shared"])
        .arg(&shared)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("runs");
    let said = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        said.contains("58 municipalities, 204 OpenStreetMap services")
            && said.contains("77 towns and villages"),
        "{said}"
    );
    let shipped = root().join("geodata/alentejo");
    let mut compared = 0;
    for entry in walk(&out) {
        let rel = entry.strip_prefix(&out).expect("inside");
        let ours = std::fs::read(shipped.join(rel)).unwrap_or_default();
        let rebuilt = std::fs::read(&entry).expect("written");
        assert!(
            ours == rebuilt,
            "geodata/alentejo/{} differs from build-default's output: rerun it",
            rel.display()
        );
        compared += 1;
    }
    assert_eq!(compared, 31, "a listing and six files per sub-region");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn check_reports_no_errors_on_the_default() {
    let out = Command::new(env!("CARGO_BIN_EXE_bussola"))
        .arg("check")
        .arg(shipped_manifest())
        .args(["--errors-only"])
        .output()
        .expect("runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    assert!(text.contains("\n0 errors, "), "{text}");
}

/// The quality report says, per source, what is real and what is demonstration data.
#[test]
fn the_quality_report_says_per_source_what_is_real_and_what_is_demo() {
    let out = Command::new(env!("CARGO_BIN_EXE_bussola"))
        .arg("check")
        .arg(shipped_manifest())
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().filter(|l| l.contains(" records, ")).collect();
    assert_eq!(lines.len(), 10, "{text}");
    for l in &lines {
        let real = l.contains("creches-osm.geojson (OpenStreetMap (ODbL), real data)");
        let demo = l.contains("demo-services.geojson (") && l.contains(", demonstration data)");
        assert!(real ^ demo, "{l}");
    }
    let html = std::env::temp_dir().join(format!("bussola-quality-{}.html", std::process::id()));
    let status = Command::new(env!("CARGO_BIN_EXE_bussola"))
        .arg("check")
        .arg(shipped_manifest())
        .arg("--report")
        .arg(&html)
        .status()
        .expect("runs");
    assert!(status.success());
    let page = std::fs::read_to_string(&html).expect("the report");
    let _ = std::fs::remove_file(&html);
    assert_eq!(
        page.matches("<td class=\"real\">reais</td>").count(),
        5,
        "{page}"
    );
    assert_eq!(
        page.matches("<td class=\"demo\">demonstração (inventados)</td>")
            .count(),
        5
    );
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir).expect("a folder").flatten() {
        let p = e.path();
        if p.is_dir() {
            files.extend(walk(&p));
        } else {
            files.push(p);
        }
    }
    files.sort();
    files
}

/// What the API says about the default: five parts, real and invented services counted, the
/// coverage per part, and OpenStreetMap's creches (no capacity published) as "no data".
#[tokio::test]
async fn the_api_serves_the_default_with_its_parts_and_says_what_is_unknown() {
    let cat = crate::common::catalog(&shipped_manifest());
    let app = bussola::api::router(cat, bussola::api::Assets::under(&root()));
    let (status, region) = crate::common::get(&app, "/api/region").await;
    assert_eq!(status, 200);
    assert_eq!(region["approximate_boundaries"], false);
    assert_eq!(region["services"], 1370);
    assert_eq!(region["demo_services"], 1166);
    let parts: Vec<(&str, u64)> = region["regions"]
        .as_array()
        .expect("parts")
        .iter()
        .map(|p| {
            (
                p["id"].as_str().unwrap_or(""),
                p["municipalities"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(
        parts,
        [
            ("alentejo-central", 14),
            ("alentejo-litoral", 5),
            ("alto-alentejo", 15),
            ("baixo-alentejo", 13),
            ("leziria-do-tejo", 11)
        ]
    );
    let attribution = region["attribution"].to_string();
    for source in ["CAOP", "INE", "GeoNames", "OpenStreetMap", "demonstração"] {
        assert!(attribution.contains(source), "{source} in {attribution}");
    }

    let (status, part) = crate::common::get(
        &app,
        "/api/coverage?indicator=elderly&region=baixo-alentejo",
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(part["municipalities"].as_array().map(Vec::len), Some(13));

    let (_, ec) = crate::common::get(&app, "/api/coverage?indicator=early_childhood").await;
    let rows = ec["municipalities"].as_array().expect("rows");
    let with_creches: Vec<&serde_json::Value> = rows
        .iter()
        .filter(|r| r["services"].as_u64() > Some(0))
        .collect();
    let (_, creches) = crate::common::get(&app, "/api/services?type=CRECHE&limit=100").await;
    let places: std::collections::BTreeSet<&str> = creches["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter_map(|f| f["properties"]["municipality"]["code"].as_str())
        .collect();
    assert_eq!(with_creches.len(), places.len());
    for r in with_creches {
        assert_eq!(r["services_without_capacity"], r["services"], "{r}");
        assert!(r["rate"].is_null(), "{r}");
        assert_eq!(r["gap_class"], "no_data", "{r}");
    }
    assert_eq!(creches["numberMatched"], 35);
    for f in creches["features"].as_array().expect("features") {
        assert_eq!(f["properties"]["demo"], false, "{f}");
        assert_eq!(f["properties"]["source"], OSM, "{f}");
    }
}

/// `import` without files on the shipped listing reads every sub-region's files again, and a
/// second time changes nothing (one operator's records no longer flip its legal nature).
#[test]
fn importing_the_default_s_own_files_again_changes_nothing() {
    let data = std::env::temp_dir().join(format!("bussola-default-import-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let run = || {
        let out = Command::new(env!("CARGO_BIN_EXE_bussola"))
            .arg("import")
            .arg("--region")
            .arg(shipped_manifest())
            .arg("--data-dir")
            .arg(&data)
            .output()
            .expect("runs");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(
            out.status.success(),
            "{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        text
    };
    run();
    let again = run();
    let files: Vec<&str> = again
        .lines()
        .filter(|l| l.contains(" accepted ("))
        .collect();
    assert_eq!(files.len(), 10, "{again}");
    for l in files {
        assert!(l.contains("(0 added, 0 updated, "), "{l}");
        assert!(l.contains(", 0 rejected"), "{l}");
    }
    let _ = std::fs::remove_dir_all(&data);
}
