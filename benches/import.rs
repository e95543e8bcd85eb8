#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may; the library may not
//! Importing a Carta Social listing of 10k and of 100k generated rows over the test region:
//! reading, checking, planning against the store and writing. Time should grow linearly, so
//! the 100k run should take about ten times the 10k one (`benches/run.sh import` prints the
//! ratio). Each iteration starts from a freshly seeded in-memory catalog.
use bussola::catalog::Catalog;
use bussola::demo::Rng;
use bussola::ingest::{import::check, read_source, Context, ReadOptions, SourceKind};
use bussola::region::Region;
use bussola::store::SqliteStore;
use criterion::{criterion_group, criterion_main, BatchSize, BenchmarkId, Criterion};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Responses rotated over the rows, by their Carta Social names.
const RESPONSES: &[&str] = &[
    "Estrutura Residencial para Pessoas Idosas",
    "Centro de Dia",
    "Creche",
    "Serviço de Apoio Domiciliário",
];

/// A Carta Social CSV of `n` rows near the region's seats (within about 500 m), many of one
/// type in one place, as a listing placed at its localities is.
fn listing(region: &Region, n: usize, dir: &Path) -> PathBuf {
    let mut rng = Rng::new(7);
    let mut csv = String::from(
        "Entidade;Equipamento;Resposta Social;Capacidade;Concelho;Latitude;Longitude\n",
    );
    let seats: Vec<(&str, f64, f64)> = region
        .municipalities
        .iter()
        .filter_map(|m| m.seat.as_ref().map(|s| (m.name.as_str(), s.1, s.2)))
        .collect();
    for i in 0..n {
        let (seat, lon, lat) = seats[i % seats.len()];
        let lon = lon + (rng.unit() - 0.5) * 0.012;
        let lat = lat + (rng.unit() - 0.5) * 0.009;
        // Near a border the point may lie in the neighbour: name the one it lies in.
        let name = region
            .municipality_at(lon, lat)
            .map_or(seat, |m| m.name.as_str());
        let response = RESPONSES[i % RESPONSES.len()];
        let _ = writeln!(
            csv,
            "Entidade {i};Equipamento {i} de {name};{response};{};{name};{lat:.6};{lon:.6}",
            20 + i % 40
        );
    }
    let path = dir.join(format!("listing-{n}.csv"));
    std::fs::write(&path, csv).expect("writes the listing");
    path
}

fn catalog(manifest: &Path) -> Catalog {
    let region = Region::load(manifest).expect("region loads").region;
    let store = SqliteStore::in_memory().expect("store opens");
    Catalog::open(region, Box::new(store)).expect("catalog opens")
}

fn bench(c: &mut Criterion) {
    let manifest =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/demo-alentejo-central/region.toml");
    let dir = std::env::temp_dir().join(format!("bussola-bench-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let region = Region::load(&manifest).expect("region loads").region;
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    for n in [10_000, 100_000] {
        let file = listing(&region, n, &dir);
        group.bench_with_input(BenchmarkId::new("carta_social", n), &file, |b, file| {
            b.iter_batched(
                || catalog(&manifest),
                |cat| {
                    let options = ReadOptions::for_region(cat.region());
                    let batch =
                        read_source(SourceKind::CartaSocial, file, &options).expect("reads");
                    let cx = Context::new(cat.region(), &batch.source);
                    let outcome = check(&batch, &cx)
                        .import(&cat, &bussola::quality::likely_same)
                        .expect("imports");
                    assert_eq!(outcome.accepted, n, "{:?}", outcome.issues.first());
                    outcome.plan.added
                },
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench);
criterion_main!(benches);
