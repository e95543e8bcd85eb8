//! Sub-regions built with `region add` from the shared files (filtered by NUTS3), served with
//! the shipped Alentejo Central: per-region population and coverage, nearest search across a
//! sub-region border, listing manifests, seeding a region added later, and "no data" for a
//! missing age band.
use crate::common::{demo_manifest, get, get_raw, root, shared};
use bussola::catalog::{Catalog, Filter, NearestQuery};
use bussola::coverage::Indicator;
use bussola::load::add;
use bussola::load::load_all;
use bussola::model::Facts;
use bussola::region::add::AddOptions;
use bussola::region::Region;
use bussola::store::{SqliteStore, Store};
use geo::{Closest, ClosestPoint};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

const BAIXO: (&str, &str) = ("baixo-alentejo", "Baixo Alentejo");
const ALTO: (&str, &str) = ("alto-alentejo", "Alto Alentejo");

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("bussola-regions-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The census columns, as `--population-column BAND=COLUMN` pairs.
fn columns(skip: &str) -> Vec<(String, String)> {
    [
        ("total", "total"),
        ("age_0_14", "idade_0_14"),
        ("age_15_24", "idade_15_24"),
        ("age_25_64", "idade_25_64"),
        ("age_65_plus", "idade_65_mais"),
        ("births", "nados_vivos_2024"),
    ]
    .into_iter()
    .filter(|(b, _)| *b != skip)
    .map(|(b, c)| (b.to_string(), c.to_string()))
    .collect()
}

fn options(shared: &Path, (id, nuts3): (&str, &str), out: PathBuf) -> AddOptions {
    let a = shared.join("alentejo");
    AddOptions {
        id: id.into(),
        name: nuts3.into(),
        boundaries: a.join("municipios.geojson"),
        filters: vec![("nuts3".into(), nuts3.into())],
        population: Some(a.join("populacao_censos2021.csv")),
        population_columns: columns(""),
        out,
        ..Default::default()
    }
}

/// The shared census by municipality: code -> (NUTS3, total, aged 65+).
fn census(shared: &Path) -> BTreeMap<String, (String, u64, u64)> {
    let mut rd = csv::Reader::from_path(shared.join("alentejo/populacao_censos2021.csv")).unwrap();
    let h = rd.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let (c, n, t, o) = (
        col("dico"),
        col("nuts3"),
        col("total"),
        col("idade_65_mais"),
    );
    rd.records()
        .map(|r| {
            let r = r.unwrap();
            (
                r[c].to_string(),
                (
                    r[n].to_string(),
                    r[t].parse().unwrap(),
                    r[o].parse().unwrap(),
                ),
            )
        })
        .collect()
}

/// Baixo Alentejo (with its OpenStreetMap creches) and Alto Alentejo, written into `dir`.
fn build_two(shared: &Path, dir: &Path) -> (PathBuf, PathBuf) {
    let mut baixo = options(shared, BAIXO, dir.join("baixo/region.toml"));
    baixo.services = vec![root().join("geodata/examples/alentejo-osm-creches.toml")];
    let b = add(&baixo).expect("Baixo Alentejo is written and loads");
    assert!(!b.loaded.has_errors(), "{:?}", b.loaded.issues);
    // The other 45 rows of the census table are expected, not warned about.
    assert!(
        b.loaded
            .issues
            .iter()
            .all(|i| !i.message.contains("not in the boundaries")),
        "{:?}",
        b.loaded.issues
    );
    let a = add(&options(shared, ALTO, dir.join("alto.toml"))).expect("Alto Alentejo loads");
    assert!(!a.loaded.has_errors(), "{:?}", a.loaded.issues);
    (b.path, a.path)
}

fn open(manifests: &[PathBuf]) -> Arc<Catalog> {
    let loaded = load_all(manifests).expect("the regions load together");
    let store = SqliteStore::in_memory().unwrap();
    Arc::new(Catalog::open(loaded.region, Box::new(store)).unwrap())
}

/// A creche and a point just across its region's border (300 m into another region) whose
/// nearest creche, by brute force over every service, is that one.
fn across_the_border(cat: &Catalog) -> (bussola::model::Service, f64, f64) {
    let region = cat.region();
    let all: Vec<_> = cat
        .with_services(|it| it.filter(|s| s.type_code == "CRECHE").cloned().collect())
        .unwrap();
    let region_of = |code: &str| region.municipality(code).map(|m| m.region.as_str());
    for s in &all {
        let here = geo::Point::new(s.lon, s.lat);
        let Some(home) = region_of(&s.municipality) else {
            continue;
        };
        for other in region.ids().filter(|id| *id != home) {
            let closest = region
                .municipalities
                .iter()
                .filter(|m| m.region == other)
                .filter_map(|m| match m.geometry.closest_point(&here) {
                    Closest::SinglePoint(p) => Some((p, (p.x() - s.lon).hypot(p.y() - s.lat))),
                    _ => None,
                })
                .min_by(|a, b| a.1.total_cmp(&b.1));
            let Some((p, d)) = closest else { continue };
            let step = 0.003 / d;
            let (lon, lat) = (
                p.x() + (p.x() - s.lon) * step,
                p.y() + (p.y() - s.lat) * step,
            );
            if region.municipality_at(lon, lat).map(|m| m.region.as_str()) != Some(other) {
                continue;
            }
            let dist = |x: &bussola::model::Service| {
                bussola::distance::geodesic_m((lon, lat), (x.lon, x.lat))
            };
            let nearest = all
                .iter()
                .min_by(|a, b| dist(a).total_cmp(&dist(b)))
                .unwrap();
            if nearest.id == s.id {
                return (s.clone(), lon, lat);
            }
        }
    }
    panic!("no creche is the nearest just across a border");
}

#[test]
fn sub_regions_from_the_shared_files_serve_with_alentejo_central() {
    let Some(shared) = shared() else { return };
    let dir = tempdir("lib");
    let (baixo, alto) = build_two(&shared, &dir);
    let cat = open(&[baixo, alto, demo_manifest()]);
    let region = cat.region();
    assert_eq!(region.municipalities.len(), 13 + 15 + 14);
    assert_eq!(region.id, "alentejo-central+alto-alentejo+baixo-alentejo");
    let census = census(&shared);
    for (id, nuts3) in [BAIXO, ALTO, ("alentejo-central", "Alentejo Central")] {
        let mine: Vec<_> = region
            .municipalities
            .iter()
            .filter(|m| m.region == id)
            .collect();
        let expected: Vec<_> = census.values().filter(|(n, ..)| n == nuts3).collect();
        assert_eq!(mine.len(), expected.len(), "{id}");
        let total: u64 = mine.iter().map(|m| m.population.total).sum();
        assert_eq!(total, expected.iter().map(|e| e.1).sum::<u64>(), "{id}");
        // Coverage of one region: only its municipalities, its own 65+ population.
        let r = cat.coverage_of(Indicator::Elderly, None, Some(id)).unwrap();
        let codes: BTreeSet<&str> = r.municipalities.iter().map(|x| x.code.as_str()).collect();
        let want: BTreeSet<&str> = census
            .iter()
            .filter(|(_, (n, ..))| n == nuts3)
            .map(|(c, _)| c.as_str())
            .collect();
        assert_eq!(codes, want, "{id}");
        assert_eq!(r.region.region, id);
        assert_eq!(
            r.region.population,
            Some(expected.iter().map(|e| e.2).sum::<u64>()),
            "{id}"
        );
    }
    let err = cat.coverage_of(Indicator::Elderly, None, Some("lisboa"));
    assert!(err
        .unwrap_err()
        .to_string()
        .contains("unknown region 'lisboa'"));
    // One index: the nearest creche to a point in Alentejo Central is across the border.
    let (s, lon, lat) = across_the_border(&cat);
    let hits = cat
        .nearest(&NearestQuery {
            lon,
            lat,
            k: 3,
            max_km: None,
            filter: Filter {
                type_code: Some("CRECHE".into()),
                ..Default::default()
            },
        })
        .unwrap();
    assert_eq!(hits[0].0.id(), s.id);
    let home = &region.municipality(&s.municipality).unwrap().region;
    assert_ne!(home, &region.municipality_at(lon, lat).unwrap().region);
    let brute = bussola::distance::geodesic_m((lon, lat), (s.lon, s.lat));
    assert!((hits[0].1 - brute).abs() < 1.0, "{} vs {brute}", hits[0].1);
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn the_api_searches_across_the_border_and_reports_coverage_per_region() {
    let Some(shared) = shared() else { return };
    let dir = tempdir("api");
    let (baixo, alto) = build_two(&shared, &dir);
    let cat = open(&[baixo, alto, demo_manifest()]);
    let (s, lon, lat) = across_the_border(&cat);
    let app = bussola::api::router(cat.clone(), bussola::api::Assets::under(&root()));
    let (status, near) = get(
        &app,
        &format!("/api/nearest?lon={lon}&lat={lat}&k=1&type=CRECHE"),
    )
    .await;
    assert_eq!(status, 200);
    let f = &near["features"][0]["properties"];
    assert_eq!(f["id"], s.id.as_str());
    let home = &cat.region().municipality(&s.municipality).unwrap().region;
    let there = &cat.region().municipality_at(lon, lat).unwrap().region;
    assert_ne!(
        home, there,
        "the service is in another region than the query point"
    );
    let (status, cov) = get(
        &app,
        "/api/coverage?indicator=early_childhood&region=alto-alentejo",
    )
    .await;
    assert_eq!(status, 200);
    let rows = cov["municipalities"].as_array().unwrap();
    assert_eq!(rows.len(), 15);
    assert!(rows.iter().all(|r| r["region"] == "alto-alentejo"));
    let (_, _, csv) = get_raw(&app, "/api/coverage?format=csv&region=baixo-alentejo").await;
    assert_eq!(csv.lines().count(), 1 + 13 + 1, "{csv}");
    assert!(
        csv.lines().skip(1).all(|l| l.ends_with(",baixo-alentejo")),
        "{csv}"
    );
    let (status, bad) = get(&app, "/api/coverage?region=lisboa").await;
    assert_eq!(
        (status.as_u16(), bad["parameter"].as_str()),
        (400, Some("region"))
    );
    let (_, info) = get(&app, "/api/region").await;
    let listed: Vec<(&str, u64)> = info["regions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap(),
                r["municipalities"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            ("baixo-alentejo", 13),
            ("alto-alentejo", 15),
            ("alentejo-central", 14)
        ]
    );
    assert_eq!(info["municipalities"], 42);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn region_add_through_the_binary_then_serve_two_regions() {
    let Some(shared) = shared() else { return };
    let dir = tempdir("bin");
    let a = shared.join("alentejo");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bussola"))
        .args([
            "region",
            "add",
            "--id",
            "alto-alentejo",
            "--name",
            "Alto Alentejo",
        ])
        .arg("--boundaries")
        .arg(a.join("municipios.geojson"))
        .args(["--filter", "nuts3=Alto Alentejo", "--population"])
        .arg(a.join("populacao_censos2021.csv"))
        .args(
            columns("")
                .iter()
                .flat_map(|(b, c)| ["--population-column".to_string(), format!("{b}={c}")]),
        )
        .arg("--out")
        .arg(dir.join("alto/region.toml"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let total: u64 = census(&shared)
        .values()
        .filter(|(n, ..)| n == "Alto Alentejo")
        .map(|e| e.1)
        .sum();
    assert!(
        stdout.contains(&format!(
            "15 municipalities, population {total}, 0 services; 0 errors"
        )),
        "{stdout}"
    );
    let manifest = dir.join("alto/region.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    assert!(text.contains("values = [\"Alto Alentejo\"]"), "{text}");
    let server = crate::common::Server::start(
        "regions",
        &[
            "--region",
            manifest.to_str().unwrap(),
            "--region",
            demo_manifest().to_str().unwrap(),
        ],
    );
    let body = http_get(
        &server.addr,
        "/api/coverage?region=alto-alentejo&format=csv",
    );
    assert_eq!(
        body.split("\r\n\r\n").nth(1).unwrap().lines().count(),
        1 + 15 + 1,
        "{body}"
    );
    let health = http_get(&server.addr, "/health");
    assert!(health.contains("\"services\":378"), "{health}");
    assert!(server
        .data_dir
        .join("alentejo-central+alto-alentejo.sqlite")
        .exists());
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}

use crate::common::http_get;

#[test]
fn a_listing_manifest_merges_and_a_region_added_later_is_seeded() {
    let Some(shared) = shared() else { return };
    let dir = tempdir("listing");
    let (baixo, _) = build_two(&shared, &dir);
    std::fs::write(
        dir.join("sul.toml"),
        format!(
            "id = \"sul\"\nname = \"Sul\"\nregions = [\"baixo/region.toml\", {:?}]\n",
            demo_manifest()
        ),
    )
    .unwrap();
    let sul = Region::load(&dir.join("sul.toml")).unwrap().region;
    assert_eq!((sul.id.as_str(), sul.municipalities.len()), ("sul", 27));
    assert_eq!(
        sul.ids().collect::<Vec<_>>(),
        ["baixo-alentejo", "alentejo-central"]
    );
    // The same municipalities twice: the error names both manifests.
    let caop = root().join("geodata/examples/caop-alentejo-central.toml");
    let e = load_all(&[demo_manifest(), caop]).unwrap_err().to_string();
    assert!(
        e.contains("caop-alentejo-central.toml") && e.contains("alentejo-central/region.toml"),
        "{e}"
    );
    // One database: Alentejo Central first, Baixo Alentejo's creches seeded when it joins.
    let db = dir.join("db.sqlite");
    let central = Region::load(&demo_manifest()).unwrap().region;
    let cat = Catalog::open(central, Box::new(SqliteStore::open(&db).unwrap())).unwrap();
    assert_eq!(cat.len().unwrap(), 378);
    let gone = cat.list(&Filter::default(), 1, 0).unwrap().services[0]
        .id()
        .to_string();
    cat.delete(&gone).unwrap();
    drop(cat);
    let both = load_all(&[demo_manifest(), baixo.clone()]).unwrap().region;
    let added = both
        .services
        .iter()
        .filter(|s| s.municipality.starts_with("02"))
        .count();
    assert!(added > 0);
    let cat = Catalog::open(both, Box::new(SqliteStore::open(&db).unwrap())).unwrap();
    assert_eq!(
        cat.len().unwrap(),
        377 + added,
        "the deleted one stays deleted"
    );
    drop(cat);
    let store = SqliteStore::open(&db).unwrap();
    assert_eq!(
        store.seeded().unwrap(),
        ["alentejo-central", "baixo-alentejo"]
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_missing_age_band_is_no_data_not_zero() {
    let Some(shared) = shared() else { return };
    let dir = tempdir("nodata");
    let mut o = options(&shared, BAIXO, dir.join("region.toml"));
    o.population_columns = columns("age_65_plus");
    let added = add(&o).unwrap();
    let text = std::fs::read_to_string(&added.path).unwrap();
    assert!(!text.contains("age_65_plus"), "{text}");
    let cat = crate::common::catalog(&added.path);
    let app = bussola::api::router(cat.clone(), bussola::api::Assets::under(&root()));
    let (status, cov) = get(&app, "/api/coverage?indicator=elderly").await;
    assert_eq!(status, 200);
    for r in cov["municipalities"].as_array().unwrap() {
        assert!(r["rate"].is_null() && r["population"].is_null(), "{r}");
        assert_eq!(r["gap_class"], "no_data");
    }
    assert!(cov["region"]["rate"].is_null());
    // Early childhood still has its figures (births x 3).
    let (_, early) = get(&app, "/api/coverage?indicator=early_childhood").await;
    assert!(early["region"]["population"].as_u64().unwrap() > 0);
    let (_, gaps) = get(&app, "/api/gaps?type=ERPI").await;
    assert!(
        gaps["municipalities"][0]["population"].is_null(),
        "{}",
        gaps["municipalities"][0]
    );
    // The tiles leave the rate and the band out and say no_data.
    let (lon, lat) = (-7.86f64, 37.95f64);
    let z = 7u32;
    let n = f64::from(1u32 << z);
    let x = ((lon + 180.0) / 360.0 * n) as u32;
    let y = ((1.0
        - (lat.to_radians().tan() + 1.0 / lat.to_radians().cos()).ln() / std::f64::consts::PI)
        / 2.0
        * n) as u32;
    let (status, _, body) =
        crate::common::get_with(&app, &format!("/tiles/{z}/{x}/{y}.mvt"), &[]).await;
    assert_eq!(status, 200);
    let layers = crate::common::mvt::decode(&body);
    let munis = &layers["municipalities"];
    assert!(!munis.is_empty());
    for f in munis {
        assert!(f.props.contains_key("population"));
        assert!(
            !f.props.contains_key("elderly_rate") && !f.props.contains_key("population_65_plus")
        );
        assert_eq!(f.props["elderly_gap_class"], "no_data");
    }
    // The export: empty cells, not zeros.
    let (_, _, csv) = get_raw(&app, "/api/export?layer=municipalities&format=csv").await;
    let mut rd = csv::Reader::from_reader(csv.as_bytes());
    let h = rd.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    for rec in rd.records() {
        let rec = rec.unwrap();
        assert_eq!(&rec[col("age_65_plus")], "");
        assert_eq!(&rec[col("elderly_rate")], "");
        assert_eq!(&rec[col("elderly_population")], "");
        assert_eq!(&rec[col("elderly_gap_class")], "no_data");
        assert_ne!(&rec[col("population")], "");
    }
    let _ = std::fs::remove_dir_all(dir);
}
