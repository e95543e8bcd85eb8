//! Likely duplicates across sources, merged with every source's provenance kept.
//!
//! Two services are likely the same when they are of the same response, within
//! [`MAX_DISTANCE_M`] of each other and their names are at least [`MIN_SIMILARITY`] alike
//! (see [`similarity`]). Records from the same source are never merged with each other (a
//! source listing two services at one address means two services), and the same record seen
//! twice (same source and record id) is a re-import, left to the import step.
//!
//! A merged service takes every field from its *best* record, the one with the most precise
//! coordinates, then the most recently updated, then the first seen; fields the best record
//! lacks come from the others in that order. It keeps the id and source of the record seen
//! first (so ids stay stable across runs) and the provenance of all of them.
use crate::distance::{geodesic_m, sphere_m_to_chord2, unit_vector, SPHERE_BOUND};
use crate::model::{Precision, Service};
use rstar::primitives::GeomWithData;
use rstar::RTree;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

pub use super::names::{key_similarity, name_key, similarity, NameKey};

/// Services further apart than this are never duplicates (metres).
pub const MAX_DISTANCE_M: f64 = 100.0;

/// Names less alike than this are never duplicates: a name must share most of its distinctive
/// words with the other ("Lar de São José" / "Lar S. José" is 1.0, "Lar São José" / "Lar São
/// José de Évora" 0.83, "Lar de São José" / "Lar de São Pedro" 0.5).
pub const MIN_SIMILARITY: f64 = 0.8;

/// One record merged into another.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Merge {
    /// The id the merged service keeps.
    pub kept_id: String,
    /// The id of the record merged into it.
    pub merged_id: String,
    /// Their response type.
    pub type_code: String,
    /// Their names: kept, merged.
    pub names: [String; 2],
    /// Their sources: kept, merged.
    pub sources: [String; 2],
    /// How far apart they were, metres.
    pub distance_m: f64,
    /// How alike their names are, 0 to 1.
    pub similarity: f64,
}

impl Merge {
    /// The report's words for it.
    pub fn message(&self) -> String {
        format!(
            "{} ({}) merged into {} ({}): same type {}, names '{}' / '{}', {:.0} m apart",
            self.merged_id,
            self.sources[1],
            self.kept_id,
            self.sources[0],
            self.type_code,
            self.names[0],
            self.names[1],
            self.distance_m
        )
    }
}

/// A pair of likely duplicates found by [`pairs`]: indices (i < j), distance and similarity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pair {
    /// The first service.
    pub i: usize,
    /// The second service.
    pub j: usize,
    /// Metres apart.
    pub distance_m: f64,
    /// Name similarity.
    pub similarity: f64,
}

fn records(s: &Service) -> BTreeSet<(&str, &str)> {
    s.provenance
        .iter()
        .map(|p| (p.source.as_str(), p.record.as_str()))
        .collect()
}

fn sources(s: &Service) -> BTreeSet<String> {
    if s.provenance.is_empty() {
        return BTreeSet::from([s.source.clone()]);
    }
    s.provenance.iter().map(|p| p.source.clone()).collect()
}

/// Whether `a` and `b` could be the same service, and if so how far apart and how alike.
fn candidate(a: &Service, b: &Service, ka: &NameKey, kb: &NameKey) -> Option<(f64, f64)> {
    if a.type_code != b.type_code || !records(a).is_disjoint(&records(b)) {
        return None;
    }
    let d = geodesic_m((a.lon, a.lat), (b.lon, b.lat));
    if d > MAX_DISTANCE_M {
        return None;
    }
    let sim = key_similarity(ka, kb);
    (sim >= MIN_SIMILARITY).then_some((d, sim))
}

/// Whether two services from different sources are likely the same: how far apart (m) and
/// how alike their names are, when they are.
pub fn likely_same(a: &Service, b: &Service) -> Option<(f64, f64)> {
    candidate(a, b, &name_key(&a.name), &name_key(&b.name))
}

/// Every pair of likely duplicates (any sources), nearest first; an R-tree keeps it near
/// O(n log n).
pub fn pairs(services: &[Service]) -> Vec<Pair> {
    let keys: Vec<NameKey> = services.iter().map(|s| name_key(&s.name)).collect();
    let tree = RTree::bulk_load(
        services
            .iter()
            .enumerate()
            .map(|(i, s)| GeomWithData::new(unit_vector(s.lon, s.lat), i))
            .collect(),
    );
    // The tree measures chords on the sphere; widen by the sphere/ellipsoid bound, then
    // decide on the geodesic.
    let reach = sphere_m_to_chord2(MAX_DISTANCE_M * (1.0 + SPHERE_BOUND));
    let mut out = Vec::new();
    for (i, a) in services.iter().enumerate() {
        for near in tree.locate_within_distance(unit_vector(a.lon, a.lat), reach) {
            let j = near.data;
            if j <= i {
                continue;
            }
            if let Some((d, sim)) = candidate(a, &services[j], &keys[i], &keys[j]) {
                out.push(Pair {
                    i,
                    j,
                    distance_m: d,
                    similarity: sim,
                });
            }
        }
    }
    out.sort_by(|x, y| {
        x.distance_m
            .total_cmp(&y.distance_m)
            .then(x.i.cmp(&y.i))
            .then(x.j.cmp(&y.j))
    });
    out
}

fn precision_rank(p: Precision) -> u8 {
    match p {
        Precision::Building => 0,
        Precision::Address => 1,
        Precision::PostalCode => 2,
        Precision::Locality => 3,
        Precision::Parish => 4,
        Precision::Municipality => 5,
        Precision::Unknown => 6,
    }
}

fn find(parent: &mut [usize], mut x: usize) -> usize {
    while parent[x] != x {
        parent[x] = parent[parent[x]];
        x = parent[x];
    }
    x
}

/// Merges likely duplicates: each group becomes one service (see the module docs for which
/// fields it takes); returns the services in input order and one [`Merge`] per merged record.
pub fn merge(services: Vec<Service>) -> (Vec<Service>, Vec<Merge>) {
    let n = services.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let mut group_sources: Vec<BTreeSet<String>> = services.iter().map(sources).collect();
    // Nearest pairs first; two groups join only when no source is in both.
    for p in pairs(&services) {
        let (ri, rj) = (find(&mut parent, p.i), find(&mut parent, p.j));
        if ri == rj || !group_sources[ri].is_disjoint(&group_sources[rj]) {
            continue;
        }
        let (root, child) = (ri.min(rj), ri.max(rj));
        parent[child] = root;
        let moved = std::mem::take(&mut group_sources[child]);
        group_sources[root].extend(moved);
    }
    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); n];
    for i in 0..n {
        let r = find(&mut parent, i);
        groups[r].push(i);
    }
    let mut merges = Vec::new();
    let mut slots: Vec<Option<Service>> = services.into_iter().map(Some).collect();
    let mut out = Vec::with_capacity(n);
    for (root, members) in groups.iter().enumerate() {
        if members.is_empty() {
            continue;
        }
        debug_assert_eq!(members[0], root);
        let mut taken = members.iter().filter_map(|&i| slots[i].take());
        let Some(first) = taken.next() else { continue };
        let rest: Vec<Service> = taken.collect();
        let merged = if rest.is_empty() {
            first
        } else {
            merge_group(first, rest, &mut merges)
        };
        out.push((root, merged));
    }
    out.sort_by_key(|(i, _)| *i);
    (out.into_iter().map(|(_, s)| s).collect(), merges)
}

/// One group (in input order) into one service; records a [`Merge`] per member after the first.
fn merge_group(first: Service, rest: Vec<Service>, merges: &mut Vec<Merge>) -> Service {
    for m in &rest {
        merges.push(Merge {
            kept_id: first.id.clone(),
            merged_id: m.id.clone(),
            type_code: first.type_code.clone(),
            names: [first.name.clone(), m.name.clone()],
            sources: [first.source.clone(), m.source.clone()],
            distance_m: geodesic_m((first.lon, first.lat), (m.lon, m.lat)),
            similarity: similarity(&first.name, &m.name),
        });
    }
    let members: Vec<Service> = std::iter::once(first).chain(rest).collect();
    let first = &members[0];
    let (id, source) = (first.id.clone(), first.source.clone());
    let provenance = members
        .iter()
        .flat_map(|s| s.provenance.iter().cloned())
        .collect();
    let demo = members.iter().any(|s| s.demo);
    let mut order: Vec<&Service> = members.iter().collect();
    // Most precise, then most recently updated (ISO dates sort as text), then first seen.
    order.sort_by(|a, b| {
        precision_rank(a.precision)
            .cmp(&precision_rank(b.precision))
            .then_with(|| b.updated.cmp(&a.updated))
    });
    let mut best = order[0].clone();
    for other in &order[1..] {
        fill(&mut best, other);
    }
    Service {
        id,
        source,
        provenance,
        demo,
        ..best
    }
}

/// Fills the fields `s` lacks from `other`.
fn fill(s: &mut Service, other: &Service) {
    fn or<T: Clone>(a: &mut Option<T>, b: &Option<T>) {
        if a.is_none() {
            a.clone_from(b);
        }
    }
    or(&mut s.capacity, &other.capacity);
    or(&mut s.users, &other.users);
    or(&mut s.vacancies, &other.vacancies);
    or(&mut s.opening_hours, &other.opening_hours);
    or(&mut s.contact.phone, &other.contact.phone);
    or(&mut s.contact.email, &other.contact.email);
    or(&mut s.contact.website, &other.contact.website);
    or(&mut s.address, &other.address);
    or(&mut s.postal_code, &other.postal_code);
    or(&mut s.locality, &other.locality);
    or(&mut s.updated, &other.updated);
}

#[cfg(test)]
#[path = "duplicates_tests.rs"]
mod tests;
