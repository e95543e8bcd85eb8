//! The tiles' own version: a number that grows when the data or the indicators the tiles show
//! change, with where each change reached (in world coordinates), so a cached tile that no
//! change reached is kept.
use super::mercator::to_world;
use super::{Derived, GapPoint, MuniProps};
use crate::catalog::{Catalog, ChangeLog};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

/// A box in world coordinates: min x, min y, max x, max y.
pub(super) type Area = [f64; 4];

#[derive(Debug)]
struct Log {
    seq: u64,
    data_seen: u64,
    areas: ChangeLog<Area>,
}

/// The tiles' version and the areas each change reached.
#[derive(Debug)]
pub(super) struct Changes {
    log: Mutex<Log>,
    /// The version now, read on every tile without the lock.
    seq: AtomicU64,
    /// The data version last taken in.
    data_seen: AtomicU64,
}

impl Changes {
    pub(super) fn new(data_version: u64) -> Self {
        Changes {
            log: Mutex::new(Log {
                seq: 1,
                data_seen: data_version,
                areas: ChangeLog::default(),
            }),
            seq: AtomicU64::new(1),
            data_seen: AtomicU64::new(data_version),
        }
    }

    /// The version now, taking in any data change since the last call: its area is where the
    /// services written were and are (anywhere, when the catalog no longer knows).
    pub(super) fn version(&self, catalog: &Catalog) -> u64 {
        let data = catalog.data_version();
        if data == self.data_seen.load(Ordering::Acquire) {
            return self.seq.load(Ordering::Acquire);
        }
        let Ok(mut log) = self.log.lock() else {
            return u64::MAX;
        };
        if log.data_seen != data {
            // Versions only grow, except when a restore brought an older database in.
            let areas = (data > log.data_seen)
                .then(|| catalog.touched_between(log.data_seen, data))
                .flatten()
                .map(point_areas);
            log.data_seen = data;
            self.bump(&mut log, areas);
            self.data_seen.store(data, Ordering::Release);
        }
        log.seq
    }

    /// Takes in new indicators (already published): their area is every municipality whose
    /// properties changed and every gap point whose distances did.
    pub(super) fn indicators(&self, old: &Derived, new: &Derived, muni_bounds: &[Area]) {
        let mut areas: Vec<Area> = old
            .munis
            .iter()
            .zip(&new.munis)
            .zip(muni_bounds)
            .filter(|((a, b), _)| !same_muni(a, b))
            .map(|(_, area)| *area)
            .collect();
        let points_changed = old.points.len() != new.points.len();
        areas.extend(
            old.points
                .iter()
                .zip(&new.points)
                .filter(|(a, b)| !same_point(a, b))
                .map(|(_, p)| [p.world.0, p.world.1, p.world.0, p.world.1]),
        );
        if let Ok(mut log) = self.log.lock() {
            let areas = (!points_changed && old.munis.len() == new.munis.len()).then_some(areas);
            self.bump(&mut log, areas);
        }
    }

    /// Takes in clusters brought up to date: their area is where the services written since
    /// the last ones were and are (`None`: anywhere). Tiles drawn from the older clusters
    /// meanwhile are built again.
    pub(super) fn clusters(&self, touched: Option<Vec<(f64, f64)>>) {
        if let Ok(mut log) = self.log.lock() {
            self.bump(&mut log, touched.map(point_areas));
        }
    }

    fn bump(&self, log: &mut Log, areas: Option<Vec<Area>>) {
        log.seq += 1;
        let seq = log.seq;
        log.areas.record(seq, areas);
        self.seq.store(seq, Ordering::Release);
    }

    /// Whether no change after version `built` up to `now` reached `reach`.
    pub(super) fn none_reached(&self, reach: Area, built: u64, now: u64) -> bool {
        let Ok(log) = self.log.lock() else {
            return false;
        };
        match log.areas.between(built, now) {
            Some(areas) => areas.iter().all(|a| !overlaps(a, &reach)),
            None => false,
        }
    }
}

/// Positions (lon, lat) as the areas (points) they reach.
fn point_areas(points: Vec<(f64, f64)>) -> Vec<Area> {
    points
        .into_iter()
        .map(|(lon, lat)| {
            let (x, y) = to_world(lon, lat);
            [x, y, x, y]
        })
        .collect()
}

fn overlaps(a: &Area, b: &Area) -> bool {
    a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]
}

fn same_muni(a: &MuniProps, b: &MuniProps) -> bool {
    a == b
}

fn same_point(a: &GapPoint, b: &GapPoint) -> bool {
    a == b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boxes_overlap_when_they_share_any_point() {
        let a = [0.0, 0.0, 1.0, 1.0];
        assert!(overlaps(&a, &[1.0, 1.0, 2.0, 2.0]), "a shared corner");
        assert!(overlaps(&a, &[0.5, 0.5, 0.5, 0.5]), "a point inside");
        assert!(!overlaps(&a, &[1.1, 0.0, 2.0, 1.0]));
        assert!(!overlaps(&a, &[0.0, -2.0, 1.0, -0.1]));
    }
}
