#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may; the library may not
//! Tile encoding at zoom 8, 11 and 14 over 1k, 100k and 1M synthetic services, with the
//! municipality layer of the shipped region; at zoom 8 and 11 also with the clusters made on
//! the fly (`on-the-fly`) instead of summed once per data version, the baseline of that ratio.
//! Run with `cargo bench --bench tiles`; `BUSSOLA_BENCH_MAX=100000` skips the larger sizes.
use bussola::catalog::{Catalog, Filter};
use bussola::demo::synthetic_services;
use bussola::region::Region;
use bussola::store::SqliteStore;
use bussola::tiles::mercator::{to_world, TileId};
use bussola::tiles::{CatalogTiles, TileSource};
use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use std::path::Path;
use std::sync::Arc;

fn tile_at(z: u8, lon: f64, lat: f64) -> TileId {
    let (x, y) = to_world(lon, lat);
    let n = f64::from(1u32 << z);
    TileId::new(u32::from(z), (x * n) as u32, (y * n) as u32).expect("a tile over Évora")
}

fn bench(c: &mut Criterion) {
    let manifest =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/demo-alentejo-central/region.toml");
    let mut group = c.benchmark_group("tile");
    let max: usize = std::env::var("BUSSOLA_BENCH_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);
    for n in [1_000usize, 100_000, 1_000_000]
        .into_iter()
        .filter(|&n| n <= max)
    {
        let mut region = Region::load(&manifest).expect("the shipped region").region;
        region.services = synthetic_services(n, 42);
        let store = SqliteStore::in_memory().expect("store");
        let catalog = Arc::new(Catalog::open(region, Box::new(store)).expect("catalog"));
        let tiles = CatalogTiles::new(catalog.clone());
        tiles.prepare_clusters();
        let on_the_fly = CatalogTiles::new(catalog).summed_clusters(false);
        group.sample_size(if n >= 1_000_000 { 10 } else { 30 });
        for z in [8u8, 11] {
            let tile = tile_at(z, -7.9, 38.57);
            let _ = on_the_fly.get_tile(tile, &Filter::default());
            let id = BenchmarkId::new(format!("z{z}-on-the-fly"), n);
            group.bench_with_input(id, &tile, |b, t| {
                b.iter(|| {
                    black_box(
                        on_the_fly
                            .get_tile(*t, &Filter::default())
                            .map(|t| t.map_or(0, |v| v.len())),
                    )
                })
            });
        }
        for z in [8u8, 11, 14] {
            let tile = tile_at(z, -7.9, 38.57);
            // Simplified geometry and coverage are cached after the first tile; warm them.
            let _ = tiles.get_tile(tile, &Filter::default());
            group.bench_with_input(BenchmarkId::new(format!("z{z}"), n), &tile, |b, t| {
                b.iter(|| {
                    black_box(
                        tiles
                            .get_tile(*t, &Filter::default())
                            .map(|t| t.map_or(0, |v| v.len())),
                    )
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
