//! The store and the index kept in step, and the queries the API serves.
//!
//! Every write goes to the store first, in one transaction, and only then to the in-memory
//! index, so the index never holds what the store refused. Readers never wait for a writer:
//! the index is an immutable snapshot that a writer copies, changes and publishes whole
//! (`arc-swap`); a reader keeps the snapshot it started with. Writers take turns.
use crate::index::ServiceIndex;
use crate::model::{Brief, Facts, Service};
use crate::profiles::Profiles;
use crate::region::Region;
use crate::store::Store;
use crate::text::fold;
use crate::{Error, Result};
use arc_swap::ArcSwap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

mod answers;
pub mod counts;
mod feedback;
mod held;
pub mod history_rows;
mod imports;
mod indicators;
mod matching;
mod refresh;
mod touched;
mod writes;

pub use crate::index::Touch;
pub use refresh::keep_fresh;
pub use touched::ChangeLog;

/// The key of the region's own load report among the stored reports (sources are keyed by
/// their label).
pub const REGION_REPORT: &str = "(region)";

/// Largest k for nearest search.
pub const MAX_K: usize = 100;
/// Largest page for listing.
pub const MAX_LIMIT: usize = 500;

/// Which services a query wants.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// Response type code.
    pub type_code: Option<String>,
    /// Target group code.
    pub group: Option<String>,
    /// Carta Social's target population subarea (`vt`, e.g. `21`): a finer level under groups.
    pub subarea: Option<String>,
    /// Municipality code.
    pub municipality: Option<String>,
    /// Words to find in the name, provider, locality or address (accent-insensitive).
    pub q: Option<String>,
    /// Lon/lat box: min lon, min lat, max lon, max lat.
    pub bbox: Option<[f64; 4]>,
}

/// A nearest-k query.
#[derive(Debug, Clone, PartialEq)]
pub struct NearestQuery {
    /// Longitude of the place.
    pub lon: f64,
    /// Latitude of the place.
    pub lat: f64,
    /// How many services.
    pub k: usize,
    /// Furthest distance, km.
    pub max_km: Option<f64>,
    /// Which services.
    pub filter: Filter,
}

/// One page of a listing.
#[derive(Debug, Clone)]
pub struct Page {
    /// How many services match in all.
    pub total: usize,
    /// The briefs of this page's services (shared with the index, not copied).
    pub services: Vec<Arc<Brief>>,
}

/// A region's services: store, index and region data together.
pub struct Catalog {
    store: Box<dyn Store>,
    /// The published index: readers load it, writers replace it.
    index: ArcSwap<ServiceIndex>,
    /// Writers' turn: one write at a time plans against the published index.
    writer: Mutex<()>,
    region: Region,
    /// The professional profiles (CNQ), checked against the region's taxonomy.
    profiles: Profiles,
    /// The store's version as of the last write through this catalog (read on hot paths).
    version: AtomicU64,
    /// Use counts waiting to be written.
    usage: counts::UsageBuffer,
    /// Where recent writes changed services.
    touched: Mutex<ChangeLog<Touch>>,
    /// The postal codes services give, as of a data version (made when a postal code is first
    /// asked for after a write: the codes are in the full records, not in the index).
    postal: Mutex<Option<(u64, Arc<crate::places::PostalPoints>)>>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("region", &self.region.id)
            .finish()
    }
}

impl Catalog {
    /// Opens a catalog: seeds the store with the services of each of the region's parts it was
    /// never seeded with (a region served later alongside gets its own), then builds the index
    /// from the store.
    ///
    /// The region's own copy of the services (as read from its files) is dropped once seeded:
    /// the index, built from the store, is the one copy served.
    pub fn open(mut region: Region, store: Box<dyn Store>) -> Result<Self> {
        // Several replicas starting at once on a new database: one seeds, the others wait.
        let starting = store.hold_starts()?;
        let seeded = store.seeded()?;
        for part in &region.parts {
            if seeded.contains(&part.id) {
                continue;
            }
            let mine: Vec<Service> = region
                .services
                .iter()
                .filter(|s| {
                    region
                        .municipality(&s.municipality)
                        .is_some_and(|m| m.region == part.id)
                })
                .cloned()
                .collect();
            store.seed(&part.id, &mine)?;
        }
        // A region shown with invented services gets invented training offers too (once).
        if region.services.iter().any(|s| s.demo) {
            let today = crate::auth::now().div_euclid(86_400);
            store.seed_offers(&crate::demo::training::offers(
                &region.municipalities,
                today,
            ))?;
        }
        // A fresh start shows the news section with demonstration items (marked demo).
        crate::news::seed_demo(&*store, &region, seeded.is_empty(), crate::auth::now())?;
        drop(starting);
        region.services = Vec::new();
        let profiles = Profiles::shipped(&region.taxonomy)?;
        let index = load_index(&*store, store.version()?)?;
        let version = AtomicU64::new(index.version());
        Ok(Catalog {
            store,
            index: ArcSwap::from_pointee(index),
            writer: Mutex::new(()),
            region,
            profiles,
            version,
            usage: Default::default(),
            touched: Default::default(),
            postal: Default::default(),
        })
    }

    /// Counts a use of services (viewed, found, contacted) on `day`, in memory; whether the
    /// counts are due to be written with [`Self::flush_usage`] (which waits on the store).
    pub fn count_use(&self, ids: &[String], day: &str, kind: crate::store::UsageKind) -> bool {
        self.usage.count(ids, day, kind)
    }

    /// Writes the use counts still in memory (before reading them, and when stopping).
    pub fn flush_usage(&self) -> Result<()> {
        self.usage.flush(self.store.as_ref())
    }

    /// The region.
    pub fn region(&self) -> &Region {
        &self.region
    }

    /// The professional profiles of the sector.
    pub fn profiles(&self) -> &Profiles {
        &self.profiles
    }

    /// The data version (changes on every write), as the store reports it.
    pub fn version(&self) -> Result<u64> {
        self.store.version()
    }

    /// The data version as of the last write through this catalog, without asking the store.
    pub fn data_version(&self) -> u64 {
        self.version.load(Ordering::Acquire)
    }

    /// The published index, as of now (a reader keeps it however long it works).
    fn read(&self) -> Result<Arc<ServiceIndex>> {
        Ok(self.snapshot())
    }

    /// The writer's turn and the index as published when it began.
    fn writing(&self) -> Result<(MutexGuard<'_, ()>, Arc<ServiceIndex>)> {
        let turn = self
            .writer
            .lock()
            .map_err(|_| Error::Internal("writer lock poisoned".into()))?;
        Ok((turn, self.index.load_full()))
    }

    /// Publishes a changed index, then the data version it goes with (so a reader that sees
    /// the new version also sees the new index).
    /// `touched`: the services written, before and after.
    /// What was touched is logged first, so whoever sees the new index finds its changes.
    /// Another process's writes that landed meanwhile are applied too ([`Self::catch_up`]).
    fn publish(&self, mut next: ServiceIndex, mut touched: Vec<Touch>) -> Result<()> {
        let before = self.data_version();
        let (version, theirs) = self.catch_up(&mut next, before, self.store.version()?)?;
        touched.extend(theirs);
        self.publish_as(next, version, Some(touched))
    }

    /// The published index: the briefs as of its [`ServiceIndex::version`], consistent with
    /// [`Self::changes_between`] up to that version.
    pub fn snapshot(&self) -> Arc<ServiceIndex> {
        self.index.load_full()
    }

    /// Records what the publication of data version `version` touched (`None`: anything).
    fn touch(&self, version: u64, touched: Option<Vec<Touch>>) -> Result<()> {
        self.touched
            .lock()
            .map_err(|_| Error::Internal("touch log lock poisoned".into()))?
            .record(version, touched);
        Ok(())
    }

    /// The positions (lon, lat) of the services written after data version `from` up to
    /// `to`, where they were before and after; `None` when not known (too long ago, or the
    /// index was reloaded whole): then anything may have changed.
    pub fn touched_between(&self, from: u64, to: u64) -> Option<Vec<(f64, f64)>> {
        let touches = self.changes_between(from, to)?;
        Some(touches.iter().flat_map(Touch::positions).collect())
    }

    /// The services written after data version `from` up to `to`, oldest first, before and
    /// after each write; `None` when not known (as [`Self::touched_between`]).
    pub fn changes_between(&self, from: u64, to: u64) -> Option<Vec<Touch>> {
        self.touched.lock().ok()?.between(from, to)
    }

    /// Number of services.
    pub fn len(&self) -> Result<usize> {
        Ok(self.read()?.len())
    }

    /// Whether there are no services.
    pub fn is_empty(&self) -> Result<bool> {
        Ok(self.read()?.is_empty())
    }

    /// Checks a filter's codes against the taxonomy and the region; names the bad parameter.
    pub fn check_filter(&self, f: &Filter) -> Result<()> {
        let tax = &self.region.taxonomy;
        if let Some(t) = &f.type_code {
            if tax.get(t).is_none() {
                return Err(Error::param(
                    "type",
                    format!("unknown response type '{t}' (see /api/taxonomy)"),
                ));
            }
        }
        if let Some(g) = &f.group {
            if tax.group(g).is_none() {
                let all: Vec<&str> = tax.groups().iter().map(|g| g.code.as_str()).collect();
                return Err(Error::param(
                    "group",
                    format!("unknown group '{g}'; one of {}", all.join(", ")),
                ));
            }
        }
        if let Some(s) = &f.subarea {
            if tax.subarea(s).is_none() {
                let all: Vec<&str> = tax.subareas().iter().map(|s| s.code.as_str()).collect();
                return Err(Error::param(
                    "subarea",
                    format!("unknown subarea '{s}'; one of {}", all.join(", ")),
                ));
            }
            let groups = tax.groups_of_subarea(s);
            if let Some(g) = f.group.as_ref().filter(|g| !groups.contains(&g.as_str())) {
                return Err(Error::param(
                    "subarea",
                    format!(
                        "subarea '{s}' has no responses in group '{g}'; its groups: {}",
                        groups.join(", ")
                    ),
                ));
            }
        }
        if let Some(m) = &f.municipality {
            if self.region.municipality(m).is_none() {
                return Err(Error::param(
                    "municipality",
                    format!("unknown municipality code '{m}' (see /api/municipalities)"),
                ));
            }
        }
        if let Some([a, b, c, d]) = f.bbox {
            for (name, lon, lat) in [("bbox", a, b), ("bbox", c, d)] {
                if let Err((_, msg)) = crate::distance::check_lon_lat(lon, lat) {
                    return Err(Error::param(name, msg));
                }
            }
            if a > c || b > d {
                return Err(Error::param(
                    "bbox",
                    "min must not exceed max (min_lon,min_lat,max_lon,max_lat)",
                ));
            }
        }
        Ok(())
    }

    /// What a filter asks of a brief: all but its words (`q`), which need the full records
    /// (see [`Self::with_words`]).
    fn matcher<'a>(&'a self, f: &'a Filter) -> impl Fn(&Brief) -> bool + 'a {
        let tax = &self.region.taxonomy;
        move |s: &Brief| {
            let response = tax.get(s.type_code());
            f.type_code.as_ref().is_none_or(|t| t == s.type_code())
                && f.group
                    .as_ref()
                    .is_none_or(|g| response.is_some_and(|r| r.group == *g))
                && f.subarea
                    .as_ref()
                    .is_none_or(|v| response.is_some_and(|r| r.subarea.as_ref() == Some(v)))
                && f.municipality
                    .as_ref()
                    .is_none_or(|m| m == s.municipality())
                && f.bbox.is_none_or(|[a, b, c, d]| {
                    (a..=c).contains(&s.lon()) && (b..=d).contains(&s.lat())
                })
        }
    }

    /// The k nearest services by geodesic distance (metres), nearest first.
    pub fn nearest(&self, q: &NearestQuery) -> Result<Vec<(Arc<Brief>, f64)>> {
        if let Err((name, msg)) = crate::distance::check_lon_lat(q.lon, q.lat) {
            return Err(Error::param(name, msg));
        }
        if q.k == 0 || q.k > MAX_K {
            return Err(Error::param(
                "k",
                format!("must be between 1 and {MAX_K}, got {}", q.k),
            ));
        }
        let max_m = match q.max_km {
            Some(km) if !(km.is_finite() && km > 0.0) => {
                return Err(Error::param(
                    "max_km",
                    format!("must be a positive number of km, got {km}"),
                ))
            }
            Some(km) => km * 1000.0,
            None => f64::INFINITY,
        };
        self.check_filter(&q.filter)?;
        let keep = self.matcher(&q.filter);
        let index = self.read()?;
        let words = words(&q.filter);
        if words.is_empty() {
            return Ok(index
                .nearest(q.lon, q.lat, q.k, max_m, keep)
                .into_iter()
                .map(|h| (Arc::clone(h.service), h.distance_m))
                .collect());
        }
        // Words are in the full records: every candidate by distance, then their records.
        let mut all: Vec<(Arc<Brief>, f64)> = index
            .iter_shared()
            .filter(|s| keep(s))
            .map(|s| {
                let d = crate::distance::geodesic_m((q.lon, q.lat), (s.lon(), s.lat()));
                (Arc::clone(s), d)
            })
            .filter(|(_, d)| *d <= max_m)
            .collect();
        all.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.id().cmp(b.0.id())));
        self.with_words(all.into_iter(), &words, Some(q.k))
    }

    /// The candidates (in their order, each with what goes with it) whose full records hold
    /// every word, the first `stop` of them when given; records are read from the store a
    /// batch at a time.
    fn with_words<T>(
        &self,
        candidates: impl Iterator<Item = (Arc<Brief>, T)>,
        words: &[String],
        stop: Option<usize>,
    ) -> Result<Vec<(Arc<Brief>, T)>> {
        const BATCH: usize = 256;
        let mut out = Vec::new();
        let mut candidates = candidates.peekable();
        while candidates.peek().is_some() {
            let batch: Vec<(Arc<Brief>, T)> = candidates.by_ref().take(BATCH).collect();
            let ids: Vec<&str> = batch.iter().map(|(b, _)| b.id()).collect();
            let records = self.store.services_by_id(&ids)?;
            let holding: std::collections::HashSet<&str> = records
                .iter()
                .filter(|s| has_words(s, words))
                .map(|s| s.id.as_str())
                .collect();
            for (b, t) in batch {
                if holding.contains(b.id()) {
                    out.push((b, t));
                    if stop.is_some_and(|k| out.len() >= k) {
                        return Ok(out);
                    }
                }
            }
        }
        Ok(out)
    }

    /// A page of services matching a filter, ordered by name then id.
    pub fn list(&self, f: &Filter, limit: usize, offset: usize) -> Result<Page> {
        if limit == 0 || limit > MAX_LIMIT {
            return Err(Error::param(
                "limit",
                format!("must be between 1 and {MAX_LIMIT}, got {limit}"),
            ));
        }
        let all = self.matching(f)?;
        Ok(Page {
            total: all.len(),
            services: all.into_iter().skip(offset).take(limit).collect(),
        })
    }

    /// Places (municipalities, localities) matching typed words, best first; a postal code
    /// gives the one place it names, or none (the store may be read for a postal code).
    pub fn places(&self, q: &str, limit: usize) -> Result<Vec<crate::places::Place>> {
        if limit == 0 || limit > MAX_K {
            return Err(Error::param(
                "limit",
                format!("must be between 1 and {MAX_K}, got {limit}"),
            ));
        }
        if let Some(pc) = crate::places::postal_code(q) {
            return self.postal_place(pc).map(|p| p.into_iter().collect());
        }
        let index = self.read()?;
        Ok(crate::places::search(
            &self.region.municipalities,
            index.iter(),
            q,
            limit,
        ))
    }

    /// A postal code: where the region's gazetteer puts it, else where the services that give
    /// it are (the shipped region has no postal code list: only services' own codes place it).
    fn postal_place(&self, pc: crate::geocode::PostalCode) -> Result<Option<crate::places::Place>> {
        if let Some(p) = self
            .region
            .gazetteer
            .as_ref()
            .and_then(|g| crate::places::from_gazetteer(g, pc))
        {
            return Ok(Some(p));
        }
        let version = self.data_version();
        let points = {
            let mut kept = self
                .postal
                .lock()
                .map_err(|_| Error::Internal("postal codes lock poisoned".into()))?;
            match kept.as_ref() {
                Some((v, points)) if *v == version => Arc::clone(points),
                _ => {
                    let points = Arc::new(crate::places::PostalPoints::of(&self.all()?));
                    *kept = Some((version, Arc::clone(&points)));
                    points
                }
            }
        };
        let name = |code: &str| self.region.municipality(code).map(|m| m.name.clone());
        Ok(points.place(pc, name))
    }

    /// One service by id, its full record read from the store.
    pub fn get(&self, id: &str) -> Result<Service> {
        self.store
            .services_by_id(&[id])?
            .pop()
            .ok_or_else(|| Error::NotFound {
                what: "service",
                id: id.to_string(),
            })
    }

    /// The full records of some services, from the store, in the order given (those no longer
    /// stored left out).
    pub fn records(&self, briefs: &[&Brief]) -> Result<Vec<Service>> {
        let ids: Vec<&str> = briefs.iter().map(|b| b.id()).collect();
        self.store.services_by_id(&ids)
    }

    /// The brief of a service by id, as published now.
    pub fn brief(&self, id: &str) -> Option<Arc<Brief>> {
        self.index.load().shared(id).cloned()
    }

    /// Calls `visit` with the services in a lon/lat box that pass a filter (its words aside),
    /// as published now.
    pub fn with_in_bbox<T>(
        &self,
        filter: &Filter,
        bbox: [f64; 4],
        visit: impl FnOnce(&mut dyn Iterator<Item = &Brief>) -> T,
    ) -> Result<T> {
        let keep = self.matcher(filter);
        let index = self.read()?;
        let [a, b, c, d] = bbox;
        let mut it = index.in_bbox(a, b, c, d).map(|s| &**s).filter(|s| keep(s));
        let out = visit(&mut it);
        Ok(out)
    }

    /// Calls `f` with every service's brief, as published now.
    pub fn with_briefs<T>(&self, f: impl FnOnce(&mut dyn Iterator<Item = &Brief>) -> T) -> T {
        let index = self.snapshot();
        let mut it = index.iter();
        f(&mut it)
    }

    /// Calls `f` with every service's full record, read from the store.
    pub fn with_services<T>(
        &self,
        f: impl FnOnce(&mut dyn Iterator<Item = &Service>) -> T,
    ) -> Result<T> {
        let all = self.all()?;
        let mut it = all.iter();
        Ok(f(&mut it))
    }
}

/// The index of the store's services, said to be as of `version` (read before the briefs: a
/// write by another process meanwhile leaves it older than them, and the next check reloads).
fn load_index(store: &dyn Store, version: u64) -> Result<ServiceIndex> {
    let (briefs, codes) = store.briefs()?;
    let mut index = ServiceIndex::of_briefs(briefs, codes);
    index.set_version(version);
    Ok(index)
}

/// A filter's words (`q`), folded.
fn words(f: &Filter) -> Vec<String> {
    f.q.as_deref()
        .map(|q| {
            fold(q)
                .split(' ')
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// Whether a record holds every word in its name, provider, locality or address.
fn has_words(s: &Service, words: &[String]) -> bool {
    let hay = fold(&format!(
        "{} {} {} {}",
        s.name,
        s.provider.name,
        s.locality.as_deref().unwrap_or(""),
        s.address.as_deref().unwrap_or("")
    ));
    words.iter().all(|w| hay.contains(w.as_str()))
}
