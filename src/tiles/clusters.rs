//! The grid clusters of every zoom below [`CLUSTER_BELOW_ZOOM`], summed once per data version:
//! each cell's members counted and their positions summed by response type. A low-zoom tile
//! then reads the few dozen cells it shows instead of every service under it, with the same
//! clusters as [`super::cluster::grid_cluster`] makes (members, counts, mean positions).
use super::mercator::{to_world, TileId};
use super::{CLUSTER_BELOW_ZOOM, CLUSTER_CELL_PX};
use crate::catalog::Filter;
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

impl Clusters {
    /// Sums the services into the cells of every low zoom.
    pub(super) fn build<'a>(
        services: impl Iterator<Item = &'a Arc<Brief>>,
        for_version: u64,
    ) -> Self {
        let mut types: Vec<String> = Vec::new();
        let mut kinds: HashMap<String, u16> = HashMap::new();
        let mut zooms: Vec<BTreeMap<(i64, i64), Vec<TypeSum>>> =
            (0..CLUSTER_BELOW_ZOOM).map(|_| BTreeMap::new()).collect();
        for s in services {
            let kind = match kinds.get(s.type_code()) {
                Some(&k) => k,
                None => {
                    let k = u16::try_from(types.len()).unwrap_or(u16::MAX);
                    types.push(s.type_code().to_string());
                    kinds.insert(s.type_code().to_string(), k);
                    k
                }
            };
            let (x, y) = to_world(s.lon(), s.lat());
            for (z, cells) in zooms.iter_mut().enumerate() {
                let cell = cell_of(z as u8);
                let key = ((x / cell).floor() as i64, (y / cell).floor() as i64);
                let sums = cells.entry(key).or_default();
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
        Clusters {
            for_version,
            types,
            zooms,
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
