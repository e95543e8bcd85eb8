//! What-if scenarios: one opening, measured on its type and on every response type at once,
//! over the shipped region and over all 58 Alentejo municipalities (real CAOP boundaries and
//! Census, from ../shared/geodata; skipped when absent) with 2,000 synthetic services of every
//! type. The baseline in the same run is the plain gap report without the scenario.
use bussola::access::Params;
use bussola::catalog::Catalog;
use bussola::demo::Rng;
use bussola::region::Region;
use bussola::scenario::{Opening, Scenario};
use bussola::store::SqliteStore;
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use std::path::Path;

fn catalog(manifest: &Path, synthetic: usize) -> Option<Catalog> {
    let mut region = Region::load(manifest).ok()?.region;
    if synthetic > 0 {
        let codes: Vec<String> = region
            .taxonomy
            .responses()
            .iter()
            .map(|r| r.code.clone())
            .collect();
        let bbox = region.bbox()?;
        let mut rng = Rng::new(9);
        let mut services = bussola::demo::synthetic_services(synthetic, 5);
        for (i, s) in services.iter_mut().enumerate() {
            s.type_code = codes[i % codes.len()].clone();
            s.lon = bbox[0] + (bbox[2] - bbox[0]) * rng.unit();
            s.lat = bbox[1] + (bbox[3] - bbox[1]) * rng.unit();
            s.municipality = region
                .municipality_at(s.lon, s.lat)
                .map(|m| m.code.clone())
                .unwrap_or_default();
            s.capacity = Some(rng.range(5, 80));
        }
        region.services = services
            .into_iter()
            .filter(|s| !s.municipality.is_empty())
            .collect();
    }
    Catalog::open(region, Box::new(SqliteStore::in_memory().ok()?)).ok()
}

fn bench(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cases = [
        (
            "alentejo_central",
            root.join("tests/data/demo-alentejo-central/region.toml"),
            0,
        ),
        (
            "alentejo_58",
            root.join("geodata/examples/alentejo-osm-creches.toml"),
            2000,
        ),
    ];
    let mut group = c.benchmark_group("scenario");
    group.sample_size(20);
    for (name, manifest, synthetic) in cases {
        let Some(cat) = catalog(&manifest, synthetic) else {
            eprintln!(
                "skipping {name}: {} could not be loaded (../shared/geodata missing?)",
                manifest.display()
            );
            continue;
        };
        let all: Vec<String> = cat
            .region()
            .taxonomy
            .responses()
            .iter()
            .map(|r| r.code.clone())
            .collect();
        let (lon, lat) = cat.region().municipalities[0]
            .seat
            .as_ref()
            .map_or((-7.9, 38.57), |s| (s.1, s.2));
        let open = vec![Opening {
            type_code: "ERPI".into(),
            capacity: 40,
            lon,
            lat,
            name: None,
        }];
        let one = Scenario {
            open: open.clone(),
            params: Params::default(),
            ..Default::default()
        };
        let every = Scenario {
            open,
            types: all.clone(),
            params: Params::default(),
            ..Default::default()
        };
        group.bench_function(format!("{name}/gaps_erpi_baseline"), |b| {
            b.iter(|| {
                black_box(
                    cat.gaps(&["ERPI".to_string()], &Params::default())
                        .map(|r| r.region.population),
                )
            })
        });
        group.bench_function(format!("{name}/scenario_erpi"), |b| {
            b.iter(|| black_box(cat.scenario(&one).map(|o| o.changes.len())))
        });
        group.bench_function(format!("{name}/scenario_every_type"), |b| {
            b.iter(|| black_box(cat.scenario(&every).map(|o| o.changes.len())))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
