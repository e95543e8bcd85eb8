//! Nearest-k search on 1k, 100k and 1M synthetic services, against a brute-force scan in the
//! same run. Run with `cargo bench --bench nearest` (or `benches/run.sh`).
use bussola::demo::{synthetic_services, Rng};
use bussola::distance::geodesic_m;
use bussola::index::ServiceIndex;
use bussola::model::Facts;
use bussola::model::Service;
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};

fn brute_force(all: &[Service], lon: f64, lat: f64, k: usize) -> Vec<(f64, usize)> {
    let mut d: Vec<(f64, usize)> = all
        .iter()
        .enumerate()
        .map(|(i, s)| (geodesic_m((lon, lat), (s.lon, s.lat)), i))
        .collect();
    let nth = k.min(d.len() - 1);
    d.select_nth_unstable_by(nth, |a, b| a.0.total_cmp(&b.0));
    d.truncate(k);
    d.sort_by(|a, b| a.0.total_cmp(&b.0));
    d
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("nearest_k10");
    for n in [1_000usize, 100_000, 1_000_000] {
        let all = synthetic_services(n, 42);
        let index = ServiceIndex::new(all.clone());
        let mut rng = Rng::new(7);
        let queries: Vec<(f64, f64)> = (0..64)
            .map(|_| (-9.0 + 2.5 * rng.unit(), 37.5 + 4.0 * rng.unit()))
            .collect();
        group.sample_size(if n >= 1_000_000 { 10 } else { 50 });
        group.bench_with_input(BenchmarkId::new("rtree", n), &n, |b, _| {
            let mut next = queries.iter().cycle();
            b.iter(|| {
                let &(lon, lat) = next.next().unwrap_or(&(-8.0, 38.5));
                black_box(index.nearest(lon, lat, 10, f64::INFINITY, |_| true).len())
            })
        });
        group.bench_with_input(BenchmarkId::new("rtree_filtered", n), &n, |b, _| {
            let mut next = queries.iter().cycle();
            b.iter(|| {
                let &(lon, lat) = next.next().unwrap_or(&(-8.0, 38.5));
                black_box(
                    index
                        .nearest(lon, lat, 10, f64::INFINITY, |s| s.type_code() == "CRECHE")
                        .len(),
                )
            })
        });
        group.bench_with_input(BenchmarkId::new("brute_force", n), &n, |b, _| {
            let mut next = queries.iter().cycle();
            b.iter(|| {
                let &(lon, lat) = next.next().unwrap_or(&(-8.0, 38.5));
                black_box(brute_force(&all, lon, lat, 10).len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
