//! The R-tree over services: nearest-k and bounding-box queries.
//!
//! Points are indexed as unit vectors (see [`crate::distance`]), so nearest-neighbour order in
//! the tree is great-circle order. The search keeps going until the spherical lower bound of the
//! next candidate exceeds the k-th best geodesic distance, so results equal a brute-force scan.
//!
//! The index keeps a [`Brief`] of each service, not the full record: what search, tiles and
//! indicators read. Answers that show full records read them from the store.
use crate::distance::{chord2_to_sphere_m, geodesic_m, unit_vector, SPHERE_BOUND};
use crate::model::{Brief, Codes, Facts, Service};
use rstar::{PointDistance, RTree, RTreeObject, AABB};
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
use std::sync::{Arc, Mutex};

/// A point of the tree: the unit vector in single precision (16 bytes an entry, not 32; the
/// order it gives is off by a metre or two at most, which [`F32_SLACK_M`] absorbs) and the slot
/// of its brief, whose position in double precision gives the distances.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    xyz: [f32; 3],
    slot: u32,
}

/// More than the error single precision puts in the distance between two unit vectors
/// (each component within 6e-8 of its value, about 0.4 m on the Earth's surface).
const F32_SLACK_M: f64 = 5.0;

fn unit_vector_f32(lon: f64, lat: f64) -> [f32; 3] {
    unit_vector(lon, lat).map(|v| v as f32)
}

impl RTreeObject for Entry {
    type Envelope = AABB<[f32; 3]>;
    fn envelope(&self) -> Self::Envelope {
        AABB::from_point(self.xyz)
    }
}

impl PointDistance for Entry {
    fn distance_2(&self, p: &[f32; 3]) -> f32 {
        (0..3).map(|i| (self.xyz[i] - p[i]).powi(2)).sum()
    }
}

/// One nearest-search result.
#[derive(Debug, Clone, Copy)]
pub struct Hit<'a> {
    /// The service (shared: the caller may keep it without copying).
    pub service: &'a Arc<Brief>,
    /// Geodesic distance from the query point, metres.
    pub distance_m: f64,
}

/// One service a write changed: its brief before and after (`None`: not there before, or
/// gone after).
#[derive(Debug, Clone)]
pub struct Touch {
    /// As it was.
    pub before: Option<Arc<Brief>>,
    /// As it is.
    pub after: Option<Arc<Brief>>,
}

impl Touch {
    /// Where it was and is (lon, lat).
    pub fn positions(&self) -> impl Iterator<Item = (f64, f64)> + '_ {
        self.before
            .iter()
            .chain(&self.after)
            .map(|b| (b.lon(), b.lat()))
    }
}

/// Slots by id, keyed by a hash of the id (8 bytes, not a copy of it); ids whose hash another
/// id already has go to `collided`, keyed by the id itself.
#[derive(Debug, Clone)]
struct Ids {
    by_hash: HashMap<u64, u32>,
    collided: HashMap<Box<str>, u32>,
    hash: fn(&str) -> u64,
}

impl Default for Ids {
    fn default() -> Self {
        Ids {
            by_hash: HashMap::new(),
            collided: HashMap::new(),
            hash: id_hash,
        }
    }
}

fn id_hash(id: &str) -> u64 {
    BuildHasherDefault::<DefaultHasher>::default().hash_one(id)
}

impl Ids {
    fn get(&self, id: &str, slots: &[Option<Arc<Brief>>]) -> Option<u32> {
        if let Some(&slot) = self.collided.get(id) {
            return Some(slot);
        }
        let &slot = self.by_hash.get(&(self.hash)(id))?;
        let held = slots.get(slot as usize)?.as_ref()?;
        (held.id() == id).then_some(slot)
    }

    fn insert(&mut self, id: &str, slot: u32) {
        match self.by_hash.entry((self.hash)(id)) {
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(slot);
            }
            std::collections::hash_map::Entry::Occupied(_) => {
                self.collided.insert(id.into(), slot);
            }
        }
    }

    fn remove(&mut self, id: &str, slot: u32) {
        if self.collided.remove(id).is_some() {
            return;
        }
        let hash = (self.hash)(id);
        if self.by_hash.get(&hash) == Some(&slot) {
            self.by_hash.remove(&hash);
        }
    }

    fn len(&self) -> usize {
        self.by_hash.len() + self.collided.len()
    }
}

/// Briefs in an R-tree, with their slots and ids: the base of an index (shared, never
/// changed) or the changes made since it was built.
#[derive(Debug, Default, Clone)]
struct Part {
    tree: RTree<Entry>,
    slots: Vec<Option<Arc<Brief>>>,
    free: Vec<u32>,
    ids: Ids,
}

impl Part {
    /// Bulk-loads briefs (a later one replaces an earlier one with the same id).
    fn build(briefs: impl Iterator<Item = Arc<Brief>>) -> Part {
        let mut part = Part::default();
        for b in briefs {
            match part.ids.get(b.id(), &part.slots) {
                Some(old) => part.slots[old as usize] = Some(b),
                None => {
                    let slot = u32::try_from(part.slots.len()).unwrap_or(u32::MAX);
                    part.ids.insert(b.id(), slot);
                    part.slots.push(Some(b));
                }
            }
        }
        let entries = part
            .slots
            .iter()
            .enumerate()
            .filter_map(|(slot, s)| {
                s.as_ref().map(|s| Entry {
                    xyz: unit_vector_f32(s.lon(), s.lat()),
                    slot: slot as u32,
                })
            })
            .collect();
        part.tree = RTree::bulk_load(entries);
        part
    }

    fn slot(&self, id: &str) -> Option<u32> {
        self.ids.get(id, &self.slots)
    }

    fn at(&self, slot: u32) -> Option<&Arc<Brief>> {
        self.slots.get(slot as usize)?.as_ref()
    }

    fn insert(&mut self, brief: Arc<Brief>) {
        let slot = self
            .free
            .pop()
            .unwrap_or(u32::try_from(self.slots.len()).unwrap_or(u32::MAX));
        self.tree.insert(Entry {
            xyz: unit_vector_f32(brief.lon(), brief.lat()),
            slot,
        });
        self.ids.insert(brief.id(), slot);
        if slot as usize == self.slots.len() {
            self.slots.push(Some(brief));
        } else {
            self.slots[slot as usize] = Some(brief);
        }
    }

    fn remove(&mut self, id: &str) -> Option<Arc<Brief>> {
        let slot = self.slot(id)?;
        let old = self.slots.get_mut(slot as usize)?.take()?;
        self.ids.remove(id, slot);
        self.tree.remove(&Entry {
            xyz: unit_vector_f32(old.lon(), old.lat()),
            slot,
        });
        self.free.push(slot);
        Some(old)
    }

    fn len(&self) -> usize {
        self.ids.len()
    }

    /// Adds this part's nearest candidates to `best` (kept sorted, at most `k`), skipping the
    /// slots `gone` names; stops once no candidate left can enter.
    fn nearest_into<'a>(
        &'a self,
        (lon, lat): (f64, f64),
        k: usize,
        max_m: f64,
        filter: &impl Fn(&Brief) -> bool,
        gone: &HashSet<u32>,
        best: &mut Vec<Hit<'a>>,
    ) {
        let q = unit_vector_f32(lon, lat);
        for (entry, d2) in self.tree.nearest_neighbor_iter_with_distance_2(&q) {
            let lower = chord2_to_sphere_m(f64::from(d2)) * (1.0 - SPHERE_BOUND) - F32_SLACK_M;
            if lower > max_m {
                break;
            }
            if best.len() == k && best.last().is_some_and(|h| lower > h.distance_m) {
                break;
            }
            if !gone.is_empty() && gone.contains(&entry.slot) {
                continue;
            }
            let Some(service) = self.at(entry.slot) else {
                continue;
            };
            if !filter(service) {
                continue;
            }
            let distance_m = geodesic_m((lon, lat), (service.lon(), service.lat()));
            if distance_m > max_m {
                continue;
            }
            let hit = Hit {
                service,
                distance_m,
            };
            let at = best.partition_point(|h| hit_order(h, &hit).is_lt());
            if at < k {
                best.insert(at, hit);
                best.truncate(k);
            }
        }
    }

    /// The briefs inside a lon/lat box (inclusive) with their slots.
    fn in_bbox(&self, bbox: [f64; 4]) -> impl Iterator<Item = (u32, &Arc<Brief>)> {
        let [min_lon, min_lat, max_lon, max_lat] = bbox;
        let envelope = sphere_envelope(min_lon, min_lat, max_lon, max_lat);
        self.tree
            .locate_in_envelope_intersecting(&envelope)
            .filter_map(move |e| self.at(e.slot).map(|b| (e.slot, b)))
            .filter(move |(_, s)| {
                (min_lon..=max_lon).contains(&s.lon()) && (min_lat..=max_lat).contains(&s.lat())
            })
    }
}

/// How many changes an index takes in before its base is built again, by default.
const MERGE_AT: usize = 4096;

/// A spatial index of services by position, with their briefs.
///
/// Made of a *base*, built once and shared by every copy, and the *changes* since: the
/// services written after (their own small tree) and the base's slots they replaced. A writer
/// clones the published index — the base is shared, so the copy costs the changes, not the
/// services — changes its copy and publishes it whole (see [`crate::catalog`]), while readers
/// keep the one they hold. Once the changes pass a few thousand, the writer builds the base
/// again with them in.
#[derive(Debug, Clone)]
pub struct ServiceIndex {
    base: Arc<Part>,
    /// Base slots whose service was removed or written again since the base was built.
    gone: HashSet<u32>,
    /// The services written since the base was built.
    recent: Part,
    /// Codes shared by every brief of every copy (interning only adds).
    codes: Arc<Mutex<Codes>>,
    /// The data version this index is as of (set by whoever publishes it).
    version: u64,
    /// How many changes are taken in before the base is built again.
    merge_at: usize,
}

impl Default for ServiceIndex {
    fn default() -> Self {
        ServiceIndex {
            base: Arc::default(),
            gone: HashSet::new(),
            recent: Part::default(),
            codes: Arc::default(),
            version: 0,
            merge_at: MERGE_AT,
        }
    }
}

impl ServiceIndex {
    /// Builds an index of full records with bulk loading (their briefs are kept).
    pub fn new(services: Vec<Service>) -> Self {
        let mut codes = Codes::default();
        let briefs = services.iter().map(|s| Brief::of(s, &mut codes)).collect();
        Self::of_briefs(briefs, codes)
    }

    /// Builds an index of briefs with bulk loading; `codes` are those they share (later
    /// writes share them too). A later brief replaces an earlier one with the same id.
    pub fn of_briefs(briefs: Vec<Brief>, codes: Codes) -> Self {
        ServiceIndex {
            base: Arc::new(Part::build(briefs.into_iter().map(Arc::new))),
            codes: Arc::new(Mutex::new(codes)),
            ..Default::default()
        }
    }

    /// The data version this index is as of.
    pub fn version(&self) -> u64 {
        self.version
    }

    /// Says which data version this index is as of.
    pub fn set_version(&mut self, version: u64) {
        self.version = version;
    }

    /// Number of services.
    pub fn len(&self) -> usize {
        self.base.len() - self.gone.len() + self.recent.len()
    }

    /// Whether there is no service.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The brief of the service with this id.
    pub fn get(&self, id: &str) -> Option<&Brief> {
        self.shared(id).map(|b| &**b)
    }

    /// The brief of the service with this id, shared (kept without copying it).
    pub fn shared(&self, id: &str) -> Option<&Arc<Brief>> {
        if let Some(slot) = self.recent.slot(id) {
            return self.recent.at(slot);
        }
        let slot = self.base.slot(id).filter(|s| !self.gone.contains(s))?;
        self.base.at(slot)
    }

    /// All briefs, shared, in no particular order.
    pub fn iter_shared(&self) -> impl Iterator<Item = &Arc<Brief>> {
        let gone = &self.gone;
        self.base
            .slots
            .iter()
            .enumerate()
            .filter(move |(i, _)| gone.is_empty() || !gone.contains(&(*i as u32)))
            .filter_map(|(_, b)| b.as_ref())
            .chain(self.recent.slots.iter().flatten())
    }

    /// All briefs, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &Brief> {
        self.iter_shared().map(|b| &**b)
    }

    /// Inserts a service's brief, replacing one with the same id; returns the change.
    pub fn upsert(&mut self, service: &Service) -> Touch {
        let before = self.remove(&service.id);
        let brief = match self.codes.lock() {
            Ok(mut codes) => Brief::of(service, &mut codes),
            Err(_) => Brief::of(service, &mut Codes::default()),
        };
        let brief = Arc::new(brief);
        self.recent.insert(brief.clone());
        self.merge_if_due();
        Touch {
            before,
            after: Some(brief),
        }
    }

    /// Renews the briefs that `which` picks (same content, new value), so that what was made
    /// from the old ones (features kept by record) is made again; returns the changes.
    pub fn refresh(&mut self, which: impl Fn(&Brief) -> bool) -> Vec<Touch> {
        let picked: Vec<Arc<Brief>> = self.iter_shared().filter(|b| which(b)).cloned().collect();
        let mut out = Vec::with_capacity(picked.len());
        for before in picked {
            self.remove(before.id());
            let after = Arc::new((*before).clone());
            self.recent.insert(after.clone());
            out.push(Touch {
                before: Some(before),
                after: Some(after),
            });
        }
        self.merge_if_due();
        out
    }

    /// Removes a service; returns its brief if it was there.
    pub fn remove(&mut self, id: &str) -> Option<Arc<Brief>> {
        if let Some(old) = self.recent.remove(id) {
            return Some(old);
        }
        let slot = self.base.slot(id).filter(|s| !self.gone.contains(s))?;
        self.gone.insert(slot);
        self.base.at(slot).cloned()
    }

    /// Builds the base again with the changes in, once they are many (the writer pays it,
    /// every few thousand writes; readers keep the index they hold).
    fn merge_if_due(&mut self) {
        if self.recent.len() + self.gone.len() < self.merge_at {
            return;
        }
        let all: Vec<Arc<Brief>> = self.iter_shared().cloned().collect();
        self.base = Arc::new(Part::build(all.into_iter()));
        self.gone = HashSet::new();
        self.recent = Part::default();
    }

    /// The `k` services nearest to (lon, lat) that pass `filter` and lie within `max_m`
    /// metres, by ascending geodesic distance (ties by id).
    ///
    /// ```
    /// # use bussola::index::ServiceIndex;
    /// # use bussola::model::Facts;
    /// # fn svc(id: &str, lon: f64, lat: f64) -> bussola::model::Service {
    /// #     let mut s = bussola::demo::example_service(); s.id = id.into(); s.lon = lon; s.lat = lat; s }
    /// let idx = ServiceIndex::new(vec![svc("a", -7.9, 38.57), svc("b", -7.5, 38.8), svc("c", -8.2, 38.65)]);
    /// let hits = idx.nearest(-7.91, 38.58, 2, f64::INFINITY, |_| true);
    /// let ids: Vec<&str> = hits.iter().map(|h| h.service.id()).collect();
    /// assert_eq!(ids, ["a", "c"]);
    /// ```
    pub fn nearest(
        &self,
        lon: f64,
        lat: f64,
        k: usize,
        max_m: f64,
        filter: impl Fn(&Brief) -> bool,
    ) -> Vec<Hit<'_>> {
        let mut best: Vec<Hit<'_>> = Vec::with_capacity(k + 1);
        if k == 0 {
            return best;
        }
        let none = HashSet::new();
        self.recent
            .nearest_into((lon, lat), k, max_m, &filter, &none, &mut best);
        self.base
            .nearest_into((lon, lat), k, max_m, &filter, &self.gone, &mut best);
        best
    }

    /// The services inside a lon/lat box (inclusive), shared, in no particular order.
    pub fn in_bbox(
        &self,
        min_lon: f64,
        min_lat: f64,
        max_lon: f64,
        max_lat: f64,
    ) -> impl Iterator<Item = &Arc<Brief>> {
        let bbox = [min_lon, min_lat, max_lon, max_lat];
        let gone = &self.gone;
        self.base
            .in_bbox(bbox)
            .filter(move |(slot, _)| gone.is_empty() || !gone.contains(slot))
            .chain(self.recent.in_bbox(bbox))
            .map(|(_, b)| b)
    }
}

/// The order of results: distance, then id (a total order even on ties).
pub fn hit_order(a: &Hit<'_>, b: &Hit<'_>) -> std::cmp::Ordering {
    a.distance_m
        .total_cmp(&b.distance_m)
        .then_with(|| a.service.id().cmp(b.service.id()))
}

/// A 3-D box that holds every unit vector of a lon/lat box (padded past single precision's
/// rounding).
fn sphere_envelope(min_lon: f64, min_lat: f64, max_lon: f64, max_lat: f64) -> AABB<[f32; 3]> {
    let (lat0, lat1) = (min_lat.to_radians(), max_lat.to_radians());
    let (lon0, lon1) = (min_lon.to_radians(), max_lon.to_radians());
    // x = cos(lat) cos(lon), y = cos(lat) sin(lon), z = sin(lat): each a product of a
    // non-negative factor of lat and a factor of lon, so extremes lie at the ends of each range
    // or where a factor peaks inside it.
    let mut coslat = vec![lat0.cos(), lat1.cos()];
    if lat0 <= 0.0 && 0.0 <= lat1 {
        coslat.push(1.0);
    }
    let mut lons = vec![lon0, lon1];
    for k in -2..=2 {
        let a = f64::from(k) * std::f64::consts::FRAC_PI_2;
        if lon0 <= a && a <= lon1 {
            lons.push(a);
        }
    }
    let (mut lo, mut hi) = ([f64::MAX; 3], [f64::MIN; 3]);
    for &c in &coslat {
        for &l in &lons {
            let p = [c * l.cos(), c * l.sin()];
            for i in 0..2 {
                lo[i] = lo[i].min(p[i]);
                hi[i] = hi[i].max(p[i]);
            }
        }
    }
    lo[2] = lat0.sin();
    hi[2] = lat1.sin();
    let pad = 1e-6;
    AABB::from_corners(lo.map(|v| (v - pad) as f32), hi.map(|v| (v + pad) as f32))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::example_service;

    fn svc(id: &str, lon: f64, lat: f64, type_code: &str) -> Service {
        let mut s = example_service();
        s.id = id.into();
        s.lon = lon;
        s.lat = lat;
        s.type_code = type_code.into();
        s
    }

    #[test]
    fn nearest_orders_by_distance_and_filters() {
        let idx = ServiceIndex::new(vec![
            svc("far", -7.0, 38.0, "ERPI"),
            svc("near", -7.9, 38.57, "ERPI"),
            svc("mid", -7.6, 38.8, "CRECHE"),
        ]);
        let hits = idx.nearest(-7.9, 38.57, 10, f64::INFINITY, |_| true);
        let ids: Vec<&str> = hits.iter().map(|h| h.service.id()).collect();
        assert_eq!(ids, ["near", "mid", "far"]);
        assert!(hits[0].distance_m < 1.0);
        let erpi = idx.nearest(-7.9, 38.57, 10, f64::INFINITY, |s| s.type_code() == "ERPI");
        assert_eq!(erpi.len(), 2);
        let close = idx.nearest(-7.9, 38.57, 10, 40_000.0, |_| true);
        assert_eq!(close.len(), 2, "only near and mid within 40 km");
    }

    #[test]
    fn upsert_and_remove_keep_tree_in_step() {
        let mut idx = ServiceIndex::new(vec![svc("a", -7.9, 38.57, "ERPI")]);
        idx.upsert(&svc("a", -7.0, 38.0, "ERPI"));
        assert_eq!(idx.len(), 1);
        let hit = idx.nearest(-7.0, 38.0, 1, f64::INFINITY, |_| true);
        assert!(
            hit[0].distance_m < 1.0,
            "moved point found at its new place"
        );
        assert!(idx.remove("a").is_some());
        assert!(idx
            .nearest(-7.0, 38.0, 1, f64::INFINITY, |_| true)
            .is_empty());
        idx.upsert(&svc("b", 1.0, 1.0, "ERPI"));
        assert_eq!(idx.get("b").map(|s| s.lon()), Some(1.0));
    }

    #[test]
    fn bbox_returns_exactly_the_points_inside() {
        let pts: Vec<Service> = (0..400)
            .map(|i| {
                let lon = -9.0 + (i % 20) as f64 * 0.15;
                let lat = 37.0 + (i / 20) as f64 * 0.15;
                svc(&format!("s{i}"), lon, lat, "ERPI")
            })
            .collect();
        let idx = ServiceIndex::new(pts.clone());
        let (a, b, c, d) = (-8.5, 37.5, -7.2, 39.1);
        let mut got: Vec<&str> = idx.in_bbox(a, b, c, d).map(|s| s.id()).collect();
        let mut want: Vec<&str> = pts
            .iter()
            .filter(|s| s.lon >= a && s.lon <= c && s.lat >= b && s.lat <= d)
            .map(|s| s.id.as_str())
            .collect();
        got.sort_unstable();
        want.sort_unstable();
        assert_eq!(got, want);
        assert!(!got.is_empty());
    }

    #[test]
    fn ids_whose_hashes_collide_are_still_told_apart() {
        // Every id hashes alike here.
        let mut idx = ServiceIndex::default();
        idx.recent.ids.hash = |_| 7;
        idx.upsert(&svc("a", -7.9, 38.57, "ERPI"));
        idx.upsert(&svc("b", -7.0, 38.0, "ERPI"));
        assert_eq!(idx.len(), 2);
        assert_eq!(idx.get("a").map(|s| s.lon()), Some(-7.9));
        assert_eq!(idx.get("b").map(|s| s.lon()), Some(-7.0));
        assert!(idx.remove("b").is_some());
        assert!(idx.get("b").is_none());
        assert_eq!(idx.get("a").map(|s| s.lon()), Some(-7.9));
        assert_eq!(idx.len(), 1);
    }

    #[test]
    fn services_metres_apart_come_in_exact_order() {
        // Closer together than single precision tells apart: the order still comes from the
        // exact distances.
        let pts: Vec<Service> = (0..300)
            .map(|i| {
                let (a, b) = ((i * 37 % 101) as f64, (i * 53 % 103) as f64);
                svc(&format!("s{i}"), -7.9 + a * 1e-6, 38.57 + b * 1e-6, "ERPI")
            })
            .collect();
        let idx = ServiceIndex::new(pts.clone());
        for q in 0..50 {
            let (lon, lat) = (-7.9 + q as f64 * 2e-6, 38.57 + (q % 7) as f64 * 1.5e-5);
            let got: Vec<&str> = idx
                .nearest(lon, lat, 10, f64::INFINITY, |_| true)
                .iter()
                .map(|h| h.service.id())
                .collect();
            let mut all: Vec<(f64, &str)> = pts
                .iter()
                .map(|s| (geodesic_m((lon, lat), (s.lon, s.lat)), s.id.as_str()))
                .collect();
            all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)));
            let want: Vec<&str> = all.iter().take(10).map(|(_, id)| *id).collect();
            assert_eq!(got, want, "query {q}");
        }
    }

    #[test]
    fn writes_on_a_shared_base_answer_as_a_fresh_index_would() {
        let mut all: Vec<Service> = (0..400)
            .map(|i| {
                let lon = -9.0 + (i % 20) as f64 * 0.15;
                let lat = 37.0 + (i / 20) as f64 * 0.15;
                svc(
                    &format!("s{i}"),
                    lon,
                    lat,
                    if i % 3 == 0 { "CRECHE" } else { "ERPI" },
                )
            })
            .collect();
        let mut idx = ServiceIndex::new(all.clone());
        idx.merge_at = 50;
        let published = idx.clone();
        for step in 0..180usize {
            let i = (step * 37) % all.len();
            match step % 4 {
                // Moved, retyped, removed and added again, or removed for good.
                0 => all[i].lon += 0.07,
                1 => all[i].type_code = "CRECHE".into(),
                2 => {
                    idx.remove(&all[i].id.clone());
                }
                _ => {
                    idx.remove(&all[i].id.clone());
                    all.remove(i);
                    continue;
                }
            }
            idx.upsert(&all[i]);
            if step % 45 == 44 {
                let fresh = ServiceIndex::new(all.clone());
                assert_eq!(idx.len(), all.len(), "step {step}");
                for q in 0..20 {
                    let (lon, lat) = (-9.1 + q as f64 * 0.16, 37.1 + (q % 9) as f64 * 0.3);
                    let ids = |x: &ServiceIndex| -> Vec<String> {
                        x.nearest(lon, lat, 7, 60_000.0, |s| s.type_code() == "CRECHE")
                            .iter()
                            .map(|h| h.service.id().to_string())
                            .collect()
                    };
                    assert_eq!(ids(&idx), ids(&fresh), "step {step}, query {q}");
                    let boxed = |x: &ServiceIndex| -> Vec<String> {
                        let mut v: Vec<String> = x
                            .in_bbox(lon - 0.4, lat - 0.4, lon + 0.4, lat + 0.4)
                            .map(|s| s.id().to_string())
                            .collect();
                        v.sort();
                        v
                    };
                    assert_eq!(boxed(&idx), boxed(&fresh), "step {step}, box {q}");
                }
                let mut a: Vec<String> = idx.iter().map(|s| s.id().to_string()).collect();
                let mut b: Vec<String> = fresh.iter().map(|s| s.id().to_string()).collect();
                a.sort();
                b.sort();
                assert_eq!(a, b);
                assert_eq!(idx.get(&all[0].id).map(|s| s.lon()), Some(all[0].lon));
            }
        }
        assert_eq!(
            published.len(),
            400,
            "a published copy does not see later writes"
        );
    }
}
