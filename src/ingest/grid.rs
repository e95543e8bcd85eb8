//! Where to look for a duplicate: services bucketed by response type, a small cell, and the
//! sources they come from.
//!
//! An import compares each new record only with the services it could be merged into: of its
//! type, within the duplicate reach, from other sources. Without the bucketing it compared
//! every record with every stored service, and a listing of 100k rows took minutes. Records
//! placed at their municipality's seat pile up in one cell, so within a cell services are
//! grouped by their sources too: a listing's own earlier rows are skipped as a group.
use crate::model::Service;
use std::collections::{HashMap, HashSet};

/// A cell: response type, and the column and row of [`Grid::CELL_DEG`] degrees.
type Cell = (String, i64, i64);

/// Services bucketed by type and cell, then by the set of their sources.
#[derive(Debug, Default)]
pub(super) struct Grid {
    cells: HashMap<Cell, HashMap<String, HashSet<String>>>,
}

/// Separates source labels in a group's key (a character no label has).
const SEP: char = '\u{1f}';

/// The sources of a service, sorted and joined: the key of its group within a cell.
fn sources(s: &Service) -> String {
    let mut v: Vec<&str> = s.provenance.iter().map(|p| p.source.as_str()).collect();
    v.sort_unstable();
    v.dedup();
    v.join(&SEP.to_string())
}

impl Grid {
    /// Cell side in degrees: 0.002° of latitude is 222 m, more than the duplicate reach.
    const CELL_DEG: f64 = 0.002;

    fn cell(s: &Service) -> Cell {
        // `as` saturates on huge or NaN values, which is harmless for a bucket number.
        (
            s.type_code.clone(),
            (s.lon / Self::CELL_DEG).floor() as i64,
            (s.lat / Self::CELL_DEG).floor() as i64,
        )
    }

    /// Adds a service (at its position, with its sources).
    pub(super) fn insert(&mut self, s: &Service) {
        self.cells
            .entry(Self::cell(s))
            .or_default()
            .entry(sources(s))
            .or_default()
            .insert(s.id.clone());
    }

    /// Removes a service as it was inserted.
    pub(super) fn remove(&mut self, s: &Service) {
        if let Some(group) = self
            .cells
            .get_mut(&Self::cell(s))
            .and_then(|g| g.get_mut(&sources(s)))
        {
            group.remove(&s.id);
        }
    }

    /// Ids of the services of `s`'s type within the duplicate reach of it (and some farther),
    /// leaving out those `source` already contributed to.
    pub(super) fn near<'g>(
        &'g self,
        s: &Service,
        source: &'g str,
    ) -> impl Iterator<Item = &'g String> + 'g {
        let reach = crate::quality::duplicates::MAX_DISTANCE_M;
        let m_per_cell = Self::CELL_DEG * 111_000.0;
        // Cells are narrower in metres towards the poles: look further east and west there.
        let cos = (s.lat.abs() + Self::CELL_DEG).min(89.0).to_radians().cos();
        let dx = (reach / (m_per_cell * cos)).ceil().clamp(1.0, 1000.0) as i64;
        let dy = (reach / m_per_cell).ceil() as i64;
        let (t, x, y) = Self::cell(s);
        (x - dx..=x + dx)
            .flat_map(move |i| (y - dy..=y + dy).map(move |j| (i, j)))
            .filter_map(move |(i, j)| self.cells.get(&(t.clone(), i, j)))
            .flatten()
            .filter(move |(key, _)| !key.split(SEP).any(|k| k == source))
            .flat_map(|(_, ids)| ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Provenance;

    fn at(id: &str, source: &str, lon: f64, lat: f64) -> Service {
        let mut s = crate::demo::example_service();
        s.id = id.into();
        (s.lon, s.lat) = (lon, lat);
        s.provenance = vec![Provenance {
            source: source.into(),
            record: id.into(),
            fields: Default::default(),
        }];
        s
    }

    fn near(g: &Grid, s: &Service, source: &str) -> Vec<String> {
        let mut v: Vec<String> = g.near(s, source).cloned().collect();
        v.sort();
        v
    }

    #[test]
    fn finds_neighbours_of_other_sources_and_of_the_same_type_only() {
        let mut g = Grid::default();
        g.insert(&at("a", "osm", -7.9, 38.57));
        g.insert(&at("b", "carta-social", -7.9001, 38.5701));
        g.insert(&at("far", "osm", -7.95, 38.57));
        let mut creche = at("c", "osm", -7.9, 38.57);
        creche.type_code = "CRECHE".into();
        g.insert(&creche);
        let probe = at("new", "hsds", -7.9005, 38.5703);
        assert_eq!(near(&g, &probe, "hsds"), ["a", "b"]);
        assert_eq!(near(&g, &probe, "osm"), ["b"]);
        g.remove(&at("b", "carta-social", -7.9001, 38.5701));
        assert_eq!(near(&g, &probe, "hsds"), ["a"]);
    }

    #[test]
    fn a_neighbour_across_a_cell_border_is_found() {
        let mut g = Grid::default();
        // 0.002° cells: -7.9000 and -7.9011 lie in different columns, 96 m apart.
        g.insert(&at("a", "osm", -7.9000, 38.5700));
        let probe = at("new", "hsds", -7.9011, 38.5700);
        assert_eq!(near(&g, &probe, "hsds"), ["a"]);
    }
}
