#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests may; the library may not
//! The scaling curve of a restart: 10k, 100k and 1M synthetic services already in the
//! database; each restart runs in a fresh process (so its memory is its own) and reports the
//! time from opening to serving (region and index: what `/health` waits for), then to the
//! low-zoom clusters summed (the server does that in the background), and the resident memory
//! each added per service. Ratios are against 10k in the same run.
//! Run with `cargo bench --bench scale`; `BUSSOLA_BENCH_MAX=100000` skips 1M.
//!
//! `cargo bench --bench scale -- seed DB N [PLACES.csv]` only seeds a database (for
//! `benches/peers.sh`): spread evenly over mainland Portugal's box without a places file, or by
//! population with one (see [`spread_by_population`]).
use bussola::catalog::Catalog;
use bussola::region::Region;
use bussola::store::SqliteStore;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn manifest() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/demo-alentejo-central/region.toml")
}

/// Resident memory of this process, bytes.
fn rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// Seeds a database with `n` synthetic services (seed 42): spread evenly over mainland
/// Portugal's box, or by population over the places of `places` when given.
fn seed(db: &Path, n: usize, places: Option<&Path>) {
    let mut region = Region::load(&manifest()).unwrap().region;
    region.services = bussola::demo::synthetic_services(n, 42);
    if let Some(places) = places {
        spread_by_population(&mut region.services, &read_places(places), 42);
    }
    let store = SqliteStore::open(db).unwrap();
    Catalog::open(region, Box::new(store)).unwrap();
}

/// One place: lon, lat, population.
type Place = (f64, f64, f64);

/// Reads a places file: CSV with a header and the columns `lon,lat,population` (for
/// `benches/peers.sh`, GeoNames' mainland Portuguese places of 1,000 people or more).
fn read_places(path: &Path) -> Vec<Place> {
    let text = std::fs::read_to_string(path).unwrap();
    let places: Vec<Place> = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Vec<f64> = l.split(',').map(|c| c.trim().parse().unwrap()).collect();
            (v[0], v[1], v[2])
        })
        .collect();
    assert!(!places.is_empty(), "no places in {}", path.display());
    places
}

/// Moves each service to a place drawn in proportion to its population, jittered around it
/// (normal, a standard deviation of 1 km plus 0.5 km per square root of a thousand people, at
/// most 10 km: a town's services stay near it, a city's spread over it). Seeded: the same
/// services land in the same places on every run.
fn spread_by_population(services: &mut [bussola::model::Service], places: &[Place], seed: u64) {
    // Not the generator synthetic_services used with the same seed (its draws would repeat).
    let mut rng = bussola::demo::Rng::new(seed.wrapping_mul(0x9E37_79B9).wrapping_add(1));
    let mut cumulative = Vec::with_capacity(places.len());
    let mut total = 0.0;
    for p in places {
        total += p.2.max(0.0);
        cumulative.push(total);
    }
    for s in services {
        let pick = rng.unit() * total;
        let i = cumulative
            .partition_point(|&c| c <= pick)
            .min(places.len() - 1);
        let (lon, lat, pop) = places[i];
        let sd_km = (1.0 + 0.5 * (pop / 1000.0).sqrt()).min(10.0);
        let (dx, dy) = (normal(&mut rng), normal(&mut rng));
        s.lat = lat + dy * sd_km / 111.2;
        s.lon = lon + dx * sd_km / (111.2 * lat.to_radians().cos());
    }
}

/// A standard normal draw (Box-Muller).
fn normal(rng: &mut bussola::demo::Rng) -> f64 {
    // 1 - unit() is in (0, 1]: the logarithm is finite.
    let (u, v) = (1.0 - rng.unit(), rng.unit());
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// In a child: a restart on the seeded database; prints seconds and bytes per service.
fn restart(db: &Path, n: usize) {
    let before = rss();
    let t = Instant::now();
    let opts = bussola::load::LoadOptions {
        skip_services: true,
        ..Default::default()
    };
    let region = Region::load_with(&manifest(), opts).unwrap().region;
    let store = SqliteStore::open(db).unwrap();
    let catalog = std::sync::Arc::new(Catalog::open(region, Box::new(store)).unwrap());
    // What `/health` waits for: the region and the index.
    let open = t.elapsed().as_secs_f64();
    let per_open = (rss().saturating_sub(before)) as f64 / n as f64;
    let tiles = bussola::tiles::CatalogTiles::new(catalog.clone());
    tiles.prepare_clusters();
    let secs = t.elapsed().as_secs_f64();
    assert_eq!(catalog.len().unwrap(), n);
    let per = (rss().saturating_sub(before)) as f64 / n as f64;
    // A write at this size: 21 capacity changes, the median (store and index).
    let mut took: Vec<f64> = (0..21u32)
        .map(|i| {
            let mut s = catalog.get(&format!("s{}", i * 7 + 1)).unwrap();
            s.capacity = Some(10 + i);
            let t = Instant::now();
            catalog.upsert(s).unwrap();
            t.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    took.sort_by(f64::total_cmp);
    println!("{open} {secs} {per_open} {per} {}", took[10]);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, what, db, n, rest @ ..] = args.as_slice() {
        let n: usize = n.parse().unwrap();
        // cargo bench adds its own flags (`--bench`) after ours.
        let places = rest.first().filter(|a| !a.starts_with("--")).map(Path::new);
        match what.as_str() {
            "seed" => return seed(Path::new(db), n, places),
            "restart" => return restart(Path::new(db), n),
            _ => {} // cargo bench's own arguments
        }
    }
    let max: usize = std::env::var("BUSSOLA_BENCH_MAX")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(usize::MAX);
    let dir = std::env::temp_dir().join(format!("bussola-scale-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let me = std::env::current_exe().unwrap();
    let run = |what: &str, db: &Path, n: usize| {
        let out = std::process::Command::new(&me)
            .args([what, db.to_str().unwrap(), &n.to_string()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    println!("| services | restart to serving (index) | ratio | with low-zoom clusters | resident memory per service (index / with clusters) | one write (median) |");
    println!("|---|---:|---:|---:|---:|---:|");
    let mut base = None;
    for n in [10_000usize, 100_000, 1_000_000]
        .into_iter()
        .filter(|&n| n <= max)
    {
        let db = dir.join(format!("{n}.sqlite"));
        run("seed", &db, n);
        let line = run("restart", &db, n);
        let mut it = line.split(' ').map(|v| v.parse::<f64>().unwrap());
        let (open, secs) = (it.next().unwrap(), it.next().unwrap());
        let (per_open, per) = (it.next().unwrap(), it.next().unwrap());
        let write = it.next().unwrap();
        let base = *base.get_or_insert(open);
        println!(
            "| {n} | {open:.2} s | {:.1}x | {secs:.2} s | {per_open:.0} / {per:.0} bytes | {write:.1} ms |",
            open / base
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}
