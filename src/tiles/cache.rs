//! Encoded tiles kept in memory: each tile is built, gzipped and hashed once, then served from
//! memory until a change reaches it (the source says which do: [`TileSource::unchanged`]) or
//! it is least recently used and the byte budget needs its room.
use super::mercator::TileId;
use super::TileSource;
use crate::catalog::Filter;
use crate::Result;
use bytes::Bytes;
use lru::LruCache;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The default byte budget: the encoded and gzipped bytes of some thousands of tiles.
pub const DEFAULT_BUDGET: usize = 64 * 1024 * 1024;

/// How long a tile a change reached may still be served as it was: under a stream of writes
/// each tile is built at most this often, and a change shows in it at most this late.
pub const MAX_STALE: Duration = Duration::from_millis(250);

/// One tile as served: its bytes (none when it holds nothing), gzipped, and a tag of its content.
#[derive(Debug)]
pub struct Encoded {
    /// The MVT bytes, `None` for an empty tile.
    pub mvt: Option<Bytes>,
    /// The same, gzipped.
    pub gzip: Option<Bytes>,
    /// A hash of the MVT bytes (16 hex digits): equal bytes, equal tag, whatever the version,
    /// so a tile a write elsewhere did not change keeps its ETag.
    pub tag: String,
}

impl Encoded {
    /// Encodes a built tile: gzips it (keeping the gzipped bytes only when they are smaller:
    /// a tile of a few points grows when gzipped) and tags its content.
    pub fn new(mvt: Option<Vec<u8>>) -> Result<Self> {
        let gzip = match &mvt {
            Some(bytes) => {
                let mut enc =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
                enc.write_all(bytes)
                    .map_err(|e| crate::Error::Tile(e.to_string()))?;
                let gz = enc
                    .finish()
                    .map_err(|e| crate::Error::Tile(e.to_string()))?;
                (gz.len() < bytes.len()).then(|| Bytes::from(gz))
            }
            None => None,
        };
        let digest = Sha256::digest(mvt.as_deref().unwrap_or_default());
        let tag = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        Ok(Encoded {
            mvt: mvt.map(Bytes::from),
            gzip,
            tag,
        })
    }

    fn weight(&self) -> usize {
        // The bytes plus the key and bookkeeping, roughly.
        self.mvt.as_ref().map_or(0, Bytes::len) + self.gzip.as_ref().map_or(0, Bytes::len) + 128
    }
}

/// What a cached tile is keyed by: its source, the tile and the filter (one cache, one byte
/// budget, serves the services' tiles and the base map's).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Key {
    source: String,
    tile: (u8, u32, u32),
    type_code: Option<String>,
    group: Option<String>,
    subarea: Option<String>,
}

/// A cached tile: the source version it is good for, when it was built, the tile.
type Entry = (u64, Instant, Arc<Encoded>);

/// The tiles by key, least recently used last, and the bytes they weigh.
type Entries = (LruCache<Key, Entry>, usize);

/// A tile being built (for a version), and where its result will be.
type Building = HashMap<(Key, u64), Arc<OnceLock<std::result::Result<Arc<Encoded>, String>>>>;

/// A bounded cache of encoded tiles in front of a [`TileSource`].
pub struct TileCache {
    entries: Mutex<Entries>,
    building: Mutex<Building>,
    budget: usize,
}

impl std::fmt::Debug for TileCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TileCache")
            .field("budget", &self.budget)
            .finish_non_exhaustive()
    }
}

impl TileCache {
    /// A cache that holds at most `budget` bytes of tiles.
    pub fn new(budget: usize) -> Self {
        TileCache {
            entries: Mutex::new((LruCache::unbounded(), 0)),
            building: Mutex::new(HashMap::new()),
            budget,
        }
    }

    /// The tile from memory, or built by `source` (outside the cache's lock, so a slow tile
    /// holds up no other) and kept.
    ///
    /// ```
    /// # use bussola::tiles::cache::TileCache;
    /// # use bussola::tiles::mercator::TileId;
    /// # struct Two(std::sync::atomic::AtomicU32);
    /// # impl bussola::tiles::TileSource for Two {
    /// #     fn id(&self) -> &str { "two" }
    /// #     fn tilejson(&self, _: &str) -> serde_json::Value { serde_json::Value::Null }
    /// #     fn version(&self) -> u64 { 1 }
    /// #     fn get_tile(&self, _: TileId, _: &bussola::catalog::Filter) -> bussola::Result<Option<Vec<u8>>> {
    /// #         self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst); Ok(Some(vec![1, 2])) }
    /// # }
    /// let source = Two(Default::default());
    /// let cache = TileCache::new(1 << 20);
    /// let tile = TileId::new(3, 1, 2).unwrap();
    /// let a = cache.get(&source, tile, &Default::default()).unwrap();
    /// let b = cache.get(&source, tile, &Default::default()).unwrap();
    /// assert_eq!(a.tag, b.tag);
    /// assert_eq!(source.0.into_inner(), 1, "built once");
    /// ```
    pub fn get(
        &self,
        source: &dyn TileSource,
        tile: TileId,
        filter: &Filter,
    ) -> Result<Arc<Encoded>> {
        let now = source.version();
        let key = Key {
            source: source.id().to_string(),
            tile: (tile.z, tile.x, tile.y),
            type_code: filter.type_code.clone(),
            group: filter.group.clone(),
            subarea: filter.subarea.clone(),
        };
        let cached = self.lock()?.0.get(&key).cloned();
        if let Some((built, at, hit)) = cached {
            if built == now {
                return Ok(hit);
            }
            // Asked outside the lock: the source may look at its change log.
            if source.unchanged(tile, built, now) {
                if let Some(entry) = self.lock()?.0.get_mut(&key) {
                    entry.0 = entry.0.max(now);
                }
                return Ok(hit);
            }
            // A change reached it: built again, but at most once per MAX_STALE.
            if at.elapsed() < MAX_STALE {
                return Ok(hit);
            }
        }
        self.build_once(source, tile, filter, (key, now))
    }

    /// Keeps a built tile (within the byte budget, least recently used out first).
    fn keep(&self, key: Key, now: u64, built: Arc<Encoded>) -> Result<()> {
        let weight = built.weight();
        if weight > self.budget {
            return Ok(());
        }
        let mut entries = self.lock()?;
        let (lru, used) = &mut *entries;
        if let Some((_, _, old)) = lru.put(key, (now, Instant::now(), built)) {
            *used -= old.weight();
        }
        *used += weight;
        while *used > self.budget {
            match lru.pop_lru() {
                Some((_, (_, _, out))) => *used -= out.weight(),
                None => break,
            }
        }
        Ok(())
    }

    /// Builds a tile, once however many requests want it at the same time: the first builds,
    /// the others wait for its result instead of building it again (many people opening the
    /// same view after a change would otherwise build the same tiles many times over).
    fn build_once(
        &self,
        source: &dyn TileSource,
        tile: TileId,
        filter: &Filter,
        key: (Key, u64),
    ) -> Result<Arc<Encoded>> {
        let cell = {
            let mut building = self
                .building
                .lock()
                .map_err(|_| crate::Error::Internal("tile cache lock poisoned".into()))?;
            building.entry(key.clone()).or_default().clone()
        };
        let out = cell.get_or_init(|| {
            source
                .get_tile(tile, filter)
                .and_then(Encoded::new)
                .map(Arc::new)
                .map_err(|e| e.to_string())
        });
        let out = out.clone().map_err(crate::Error::Tile);
        // Kept before the build is forgotten, so a request in between finds one or the other.
        if let Ok(built) = &out {
            self.keep(key.0.clone(), key.1, built.clone())?;
        }
        if let Ok(mut building) = self.building.lock() {
            if building.get(&key).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
                building.remove(&key);
            }
        }
        out
    }

    /// How many tiles and bytes it holds now.
    pub fn usage(&self) -> Result<(usize, usize)> {
        let entries = self.lock()?;
        Ok((entries.0.len(), entries.1))
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Entries>> {
        self.entries
            .lock()
            .map_err(|_| crate::Error::Internal("tile cache lock poisoned".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};

    #[test]
    fn a_tile_is_kept_gzipped_only_when_that_makes_it_smaller() {
        let tiny = Encoded::new(Some(vec![1, 2, 3])).unwrap();
        assert!(
            tiny.gzip.is_none(),
            "gzip would add its own header to 3 bytes"
        );
        assert_eq!(tiny.mvt.as_deref(), Some(&[1u8, 2, 3][..]));
        let big = Encoded::new(Some(vec![7; 4096])).unwrap();
        assert!(big.gzip.as_ref().is_some_and(|g| g.len() < 100));
        assert!(Encoded::new(None).unwrap().gzip.is_none());
    }

    /// A source whose tiles are `size` bytes of the version number, counting builds; with
    /// `kept`, it says every tile is unchanged across versions.
    struct Counting {
        version: AtomicU64,
        builds: AtomicU32,
        size: usize,
        kept: bool,
    }

    impl TileSource for Counting {
        fn id(&self) -> &str {
            "counting"
        }
        fn tilejson(&self, _: &str) -> serde_json::Value {
            serde_json::Value::Null
        }
        fn version(&self) -> u64 {
            self.version.load(Ordering::SeqCst)
        }
        fn unchanged(&self, _: TileId, built: u64, now: u64) -> bool {
            self.kept && built < now
        }
        fn get_tile(&self, tile: TileId, _: &Filter) -> Result<Option<Vec<u8>>> {
            self.builds.fetch_add(1, Ordering::SeqCst);
            Ok((tile.z > 0).then(|| vec![(self.version() % 7) as u8; self.size]))
        }
    }

    fn source(size: usize) -> Counting {
        Counting {
            version: AtomicU64::new(1),
            builds: AtomicU32::new(0),
            size,
            kept: false,
        }
    }

    #[test]
    fn a_tile_is_built_once_per_version_and_filter() {
        let s = source(100);
        let cache = TileCache::new(1 << 20);
        let t = TileId::new(5, 3, 4).unwrap();
        let erpi = Filter {
            type_code: Some("ERPI".into()),
            ..Default::default()
        };
        let first = cache.get(&s, t, &Filter::default()).unwrap();
        cache.get(&s, t, &Filter::default()).unwrap();
        cache.get(&s, t, &erpi).unwrap();
        assert_eq!(s.builds.load(Ordering::SeqCst), 2, "one per filter");
        s.version.store(8, Ordering::SeqCst); // same bytes (8 % 7 == 1)
        let soon = cache.get(&s, t, &Filter::default()).unwrap();
        assert!(
            Arc::ptr_eq(&soon, &first),
            "within MAX_STALE of its build: as it was"
        );
        std::thread::sleep(MAX_STALE);
        let again = cache.get(&s, t, &Filter::default()).unwrap();
        assert_eq!(
            s.builds.load(Ordering::SeqCst),
            3,
            "a new version builds again"
        );
        assert_eq!(again.tag, first.tag, "the same bytes keep their tag");
        s.version.store(2, Ordering::SeqCst);
        std::thread::sleep(MAX_STALE);
        let changed = cache.get(&s, t, &Filter::default()).unwrap();
        assert_ne!(changed.tag, first.tag);
        let mut plain = Vec::new();
        std::io::Read::read_to_end(
            &mut flate2::read::GzDecoder::new(&changed.gzip.as_ref().unwrap()[..]),
            &mut plain,
        )
        .unwrap();
        assert_eq!(Some(plain), changed.mvt.as_ref().map(|b| b.to_vec()));
    }

    #[test]
    fn the_byte_budget_holds_and_the_least_recently_used_go_first() {
        let s = source(10_000);
        // Room for about three tiles (each ~10 KB raw plus its gzip).
        let cache = TileCache::new(3 * 10_300);
        let tiles: Vec<TileId> = (0..5).map(|x| TileId::new(6, x, 1).unwrap()).collect();
        for t in &tiles[..3] {
            cache.get(&s, *t, &Filter::default()).unwrap();
        }
        cache.get(&s, tiles[0], &Filter::default()).unwrap(); // used again: kept
        cache.get(&s, tiles[3], &Filter::default()).unwrap(); // pushes out tiles[1]
        let (n, bytes) = cache.usage().unwrap();
        assert!(bytes <= 3 * 10_300, "{bytes}");
        assert_eq!(n, 3);
        let before = s.builds.load(Ordering::SeqCst);
        cache.get(&s, tiles[0], &Filter::default()).unwrap();
        assert_eq!(s.builds.load(Ordering::SeqCst), before, "tiles[0] stayed");
        cache.get(&s, tiles[1], &Filter::default()).unwrap();
        assert_eq!(
            s.builds.load(Ordering::SeqCst),
            before + 1,
            "tiles[1] was dropped"
        );
        // An empty tile is cached too, with no bytes.
        let empty = cache.get(&s, TileId::new(0, 0, 0).unwrap(), &Filter::default());
        assert!(empty.unwrap().mvt.is_none());
    }

    #[test]
    fn a_tile_the_source_calls_unchanged_is_kept_across_versions() {
        let mut s = source(100);
        s.kept = true;
        let cache = TileCache::new(1 << 20);
        let t = TileId::new(5, 3, 4).unwrap();
        let first = cache.get(&s, t, &Filter::default()).unwrap();
        s.version.store(2, Ordering::SeqCst);
        let kept = cache.get(&s, t, &Filter::default()).unwrap();
        assert_eq!(s.builds.load(Ordering::SeqCst), 1, "not built again");
        assert!(Arc::ptr_eq(&first, &kept));
    }

    #[test]
    fn a_budget_of_nothing_keeps_no_tile() {
        // `serve --tile-cache-mb 0`: every request builds its tile (uncached benchmarks).
        let s = source(100);
        let cache = TileCache::new(0);
        let t = TileId::new(5, 3, 4).unwrap();
        let a = cache.get(&s, t, &Filter::default()).unwrap();
        let b = cache.get(&s, t, &Filter::default()).unwrap();
        assert_eq!(s.builds.load(Ordering::SeqCst), 2, "built each time");
        assert_eq!(a.tag, b.tag, "the same tile");
    }

    #[test]
    fn a_tile_wanted_by_many_at_once_is_built_once() {
        /// A source that takes its time, so the requests overlap.
        struct Slow(AtomicU32);
        impl TileSource for Slow {
            fn id(&self) -> &str {
                "slow"
            }
            fn tilejson(&self, _: &str) -> serde_json::Value {
                serde_json::Value::Null
            }
            fn version(&self) -> u64 {
                1
            }
            fn get_tile(&self, _: TileId, _: &Filter) -> Result<Option<Vec<u8>>> {
                self.0.fetch_add(1, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(200));
                Ok(Some(vec![7; 10]))
            }
        }
        let source = Slow(AtomicU32::new(0));
        let cache = TileCache::new(1 << 20);
        let t = TileId::new(8, 120, 97).unwrap();
        let tags: Vec<String> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..8)
                .map(|_| {
                    s.spawn(|| {
                        cache
                            .get(&source, t, &Filter::default())
                            .unwrap()
                            .tag
                            .clone()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(
            source.0.load(Ordering::SeqCst),
            1,
            "built once for eight requests"
        );
        assert!(tags.iter().all(|t| *t == tags[0]));
    }
}
