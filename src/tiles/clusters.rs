//! The grid clusters of every zoom below [`CLUSTER_BELOW_ZOOM`], summed once per data version:
//! each cell's members counted and their positions summed by response type. A low-zoom tile
//! then reads the few dozen cells it shows instead of every service under it, with the same
//! clusters as [`super::cluster::grid_cluster`] makes (members, counts, mean positions).
use super::mercator::{to_world, TileId};
use super::{CLUSTER_BELOW_ZOOM, CLUSTER_CELL_PX};
use crate::catalog::Filter;
use crate::index::{ServiceIndex, Touch};
use crate::model::{Brief, Facts};
use crate::taxonomy::Taxonomy;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// One response type's members of one cell.
#[derive(Debug, Clone)]
struct TypeSum {
    /// Index into [`Clusters::types`].
    kind: u16,
    count: u32,
    sum_x: f64,
    sum_y: f64,
    /// A member (the only one when `count` is 1).
    one: Arc<Brief>,
}

/// The clusters of every low zoom, as of one data version.
#[derive(Debug)]
pub(super) struct Clusters {
    /// The data version they were summed at.
    pub(super) for_version: u64,
    /// Response type codes, by index.
    types: Vec<String>,
    /// Per zoom: cells by grid position, in the order `grid_cluster` gives them.
    zooms: Vec<BTreeMap<(i64, i64), Vec<TypeSum>>>,
}

/// A cluster as a tile draws it: its mean position, its members' count per group of `all`,
/// and its member when it has only one.
pub(super) struct Drawn<'a> {
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) count: usize,
    pub(super) by_group: Vec<usize>,
    pub(super) single: Option<&'a Brief>,
}

/// The cell size of a zoom, in world units.
pub(super) fn cell_of(z: u8) -> f64 {
    CLUSTER_CELL_PX / (256.0 * f64::from(1u32 << z))
}

/// The cell a world position falls in at a zoom.
fn cell_key(z: u8, x: f64, y: f64) -> (i64, i64) {
    let cell = cell_of(z);
    ((x / cell).floor() as i64, (y / cell).floor() as i64)
}

/// The one service of type `code` in a cell, from the index (the lowest id if, against
/// expectation, there are more).
fn member_in_cell(index: &ServiceIndex, z: u8, key: (i64, i64), code: &str) -> Option<Arc<Brief>> {
    let cell = cell_of(z);
    let (x0, y0) = (key.0 as f64 * cell, key.1 as f64 * cell);
    let [lon0, lat0, lon1, lat1] = TileId::lon_lat_bounds([x0, y0, x0 + cell, y0 + cell]);
    // A hair wider: the box's edges are rounded; the cell key decides.
    let pad = 1e-9;
    index
        .in_bbox(lon0 - pad, lat0 - pad, lon1 + pad, lat1 + pad)
        .filter(|b| b.type_code() == code)
        .filter(|b| {
            let (x, y) = to_world(b.lon(), b.lat());
            cell_key(z, x, y) == key
        })
        .min_by(|a, b| a.id().cmp(b.id()))
        .cloned()
}

impl Clusters {
    /// Sums the services into the cells of every low zoom.
    pub(super) fn build<'a>(
        services: impl Iterator<Item = &'a Arc<Brief>>,
        for_version: u64,
    ) -> Self {
        let mut c = Clusters {
            for_version,
            types: Vec::new(),
            zooms: (0..CLUSTER_BELOW_ZOOM).map(|_| BTreeMap::new()).collect(),
        };
        let mut kinds: HashMap<String, u16> = HashMap::new();
        for s in services {
            c.add(s, &mut kinds);
        }
        c
    }

    /// These clusters with the changes made since they were summed taken in: `index` is the
    /// published index the changes lead to (its version is the new clusters'). Counts come
    /// out exact; a cell left with one member of a type takes that member from `index` (and
    /// its exact position, so sums do not drift).
    pub(super) fn apply(&self, changes: &[Touch], index: &ServiceIndex) -> Self {
        let mut c = Clusters {
            for_version: index.version(),
            types: self.types.clone(),
            zooms: self.zooms.clone(),
        };
        let mut kinds: HashMap<String, u16> = c
            .types
            .iter()
            .enumerate()
            .map(|(i, t)| (t.clone(), u16::try_from(i).unwrap_or(u16::MAX)))
            .collect();
        let mut left_one: Vec<(usize, (i64, i64), u16)> = Vec::new();
        for t in changes {
            if let Some(b) = &t.before {
                c.remove(b, &kinds, &mut left_one);
            }
            if let Some(a) = &t.after {
                c.add(a, &mut kinds);
            }
        }
        for (z, key, kind) in left_one {
            let Some(code) = c.types.get(usize::from(kind)).cloned() else {
                continue;
            };
            let Some(sums) = c.zooms.get_mut(z).and_then(|cells| cells.get_mut(&key)) else {
                continue;
            };
            let Some(t) = sums.iter_mut().find(|t| t.kind == kind && t.count == 1) else {
                continue;
            };
            if let Some(one) = member_in_cell(index, z as u8, key, &code) {
                (t.sum_x, t.sum_y) = to_world(one.lon(), one.lat());
                t.one = one;
            }
        }
        c
    }

    /// Adds a service to the cell it falls in at every zoom.
    fn add(&mut self, s: &Arc<Brief>, kinds: &mut HashMap<String, u16>) {
        let kind = match kinds.get(s.type_code()) {
            Some(&k) => k,
            None => {
                let k = u16::try_from(self.types.len()).unwrap_or(u16::MAX);
                self.types.push(s.type_code().to_string());
                kinds.insert(s.type_code().to_string(), k);
                k
            }
        };
        let (x, y) = to_world(s.lon(), s.lat());
        for (z, cells) in self.zooms.iter_mut().enumerate() {
            let sums = cells.entry(cell_key(z as u8, x, y)).or_default();
            match sums.iter_mut().find(|t| t.kind == kind) {
                Some(t) => {
                    t.count += 1;
                    t.sum_x += x;
                    t.sum_y += y;
                }
                None => sums.push(TypeSum {
                    kind,
                    count: 1,
                    sum_x: x,
                    sum_y: y,
                    one: s.clone(),
                }),
            }
        }
    }

    /// Takes a service out of its cells; notes the cells left with one member of its type.
    fn remove(
        &mut self,
        s: &Brief,
        kinds: &HashMap<String, u16>,
        left_one: &mut Vec<(usize, (i64, i64), u16)>,
    ) {
        let Some(&kind) = kinds.get(s.type_code()) else {
            return;
        };
        let (x, y) = to_world(s.lon(), s.lat());
        for (z, cells) in self.zooms.iter_mut().enumerate() {
            let key = cell_key(z as u8, x, y);
            let Some(sums) = cells.get_mut(&key) else {
                continue;
            };
            let Some(at) = sums.iter().position(|t| t.kind == kind) else {
                continue;
            };
            let t = &mut sums[at];
            t.count = t.count.saturating_sub(1);
            t.sum_x -= x;
            t.sum_y -= y;
            match t.count {
                0 => {
                    sums.remove(at);
                    if sums.is_empty() {
                        cells.remove(&key);
                    }
                }
                1 => left_one.push((z, key, kind)),
                _ => {}
            }
        }
    }

    /// The clusters a tile draws (mean inside `world`, the tile with its buffer), of the
    /// services that pass `filter`'s type, group and subarea, in grid order.
    pub(super) fn in_tile(
        &self,
        tile: TileId,
        world: [f64; 4],
        filter: &Filter,
        tax: &Taxonomy,
        all: &[&str],
    ) -> Vec<Drawn<'_>> {
        let Some(cells) = self.zooms.get(usize::from(tile.z)) else {
            return Vec::new();
        };
        let wanted: Vec<bool> = self.types.iter().map(|t| passes(t, filter, tax)).collect();
        let group: Vec<Option<usize>> = self
            .types
            .iter()
            .map(|t| {
                let g = tax.get(t).map(|r| r.group.as_str())?;
                all.iter().position(|a| *a == g)
            })
            .collect();
        // The cells touching the tile (with its buffer): those `expand_to_cells` covers.
        let cell = cell_of(tile.z);
        let at = |v: f64| (v / cell).floor() as i64;
        let (x0, y0, x1, y1) = (at(world[0]), at(world[1]), at(world[2]), at(world[3]));
        let mut out = Vec::new();
        for (&(_, cy), sums) in cells.range((x0, i64::MIN)..=(x1, i64::MAX)) {
            if cy < y0 || cy > y1 {
                continue;
            }
            let mut d = Drawn {
                x: 0.0,
                y: 0.0,
                count: 0,
                by_group: vec![0; all.len()],
                single: None,
            };
            for t in sums.iter().filter(|t| wanted[usize::from(t.kind)]) {
                d.count += t.count as usize;
                d.x += t.sum_x;
                d.y += t.sum_y;
                if let Some(g) = group[usize::from(t.kind)] {
                    d.by_group[g] += t.count as usize;
                }
                d.single = Some(&t.one);
            }
            if d.count == 0 {
                continue;
            }
            if d.count > 1 {
                d.single = None;
            }
            let n = d.count as f64;
            (d.x, d.y) = (d.x / n, d.y / n);
            let inside =
                (world[0]..=world[2]).contains(&d.x) && (world[1]..=world[3]).contains(&d.y);
            if inside {
                out.push(d);
            }
        }
        out
    }
}

/// Whether services of type `code` pass a tile filter (type, group, subarea), as the
/// catalog's own filter decides.
fn passes(code: &str, f: &Filter, tax: &Taxonomy) -> bool {
    let response = tax.get(code);
    f.type_code.as_ref().is_none_or(|t| t == code)
        && f.group
            .as_ref()
            .is_none_or(|g| response.is_some_and(|r| r.group == *g))
        && f.subarea
            .as_ref()
            .is_none_or(|v| response.is_some_and(|r| r.subarea.as_ref() == Some(v)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::synthetic_services;

    /// Every cell of every zoom: (zoom, cell, type) -> (count, mean x, mean y, the single
    /// member's id when alone).
    type Seen = BTreeMap<(usize, (i64, i64), String), (u32, f64, f64, Option<String>)>;

    fn seen(c: &Clusters) -> Seen {
        let mut out = BTreeMap::new();
        for (z, cells) in c.zooms.iter().enumerate() {
            for (key, sums) in cells {
                for t in sums {
                    let n = f64::from(t.count);
                    let one = (t.count == 1).then(|| t.one.id().to_string());
                    let code = c.types[usize::from(t.kind)].clone();
                    out.insert((z, *key, code), (t.count, t.sum_x / n, t.sum_y / n, one));
                }
            }
        }
        out
    }

    #[test]
    fn changes_taken_in_give_the_clusters_summed_again() {
        let services = synthetic_services(3_000, 7);
        let mut index = ServiceIndex::new(services.clone());
        index.set_version(1);
        let before = Clusters::build(index.iter_shared(), 1);
        let mut changes = Vec::new();
        // Moves, a type changed, deletions (cells left with one member), a new service.
        for (i, s) in services.iter().enumerate().step_by(7) {
            let mut moved = s.clone();
            match i % 3 {
                0 => moved.lon += 0.01,
                1 => moved.type_code = "CRECHE".into(),
                _ => {
                    if let Some(b) = index.remove(&s.id) {
                        changes.push(Touch {
                            before: Some(b),
                            after: None,
                        });
                    }
                    continue;
                }
            }
            changes.push(index.upsert(&moved));
        }
        let mut new = services[0].clone();
        new.id = "brand-new".into();
        new.type_code = "SAD".into();
        changes.push(index.upsert(&new));
        index.set_version(2);

        let taken_in = before.apply(&changes, &index);
        let again = Clusters::build(index.iter_shared(), 2);
        assert_eq!(taken_in.for_version, 2);
        let (a, b) = (seen(&taken_in), seen(&again));
        assert_eq!(a.len(), b.len(), "the same cells and types");
        for ((key, x), (other, y)) in a.iter().zip(&b) {
            assert_eq!(key, other);
            assert_eq!(x.0, y.0, "count at {key:?}");
            assert!(
                (x.1 - y.1).abs() < 1e-12 && (x.2 - y.2).abs() < 1e-12,
                "{key:?}"
            );
            assert_eq!(x.3, y.3, "the single member at {key:?}");
        }
        assert_ne!(seen(&before), b, "the changes changed something");
    }
}
