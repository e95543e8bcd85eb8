//! Grid clustering of points where they would pile up on the map.
//!
//! Cells are aligned to a global grid (not to tiles), so a cluster near a tile edge has the same
//! members, position and counts in every tile that draws it.

/// A group of points that share a cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster<T> {
    /// Mean position, normalised world coordinates.
    pub x: f64,
    /// Mean position, normalised world coordinates.
    pub y: f64,
    /// The members.
    pub members: Vec<T>,
}

/// Clusters points (normalised world coordinates) into cells of `cell` world units.
pub fn grid_cluster<T>(
    points: impl IntoIterator<Item = (f64, f64, T)>,
    cell: f64,
) -> Vec<Cluster<T>> {
    let mut cells: std::collections::BTreeMap<(i64, i64), (f64, f64, Vec<T>)> = Default::default();
    for (x, y, item) in points {
        let key = ((x / cell).floor() as i64, (y / cell).floor() as i64);
        let e = cells.entry(key).or_insert((0.0, 0.0, Vec::new()));
        e.0 += x;
        e.1 += y;
        e.2.push(item);
    }
    cells
        .into_values()
        .map(|(sx, sy, members)| {
            let n = members.len() as f64;
            Cluster {
                x: sx / n,
                y: sy / n,
                members,
            }
        })
        .collect()
}

/// The cell-aligned bounds that hold every cell touching `bounds`.
pub fn expand_to_cells(bounds: [f64; 4], cell: f64) -> [f64; 4] {
    [
        (bounds[0] / cell).floor() * cell,
        (bounds[1] / cell).floor() * cell,
        ((bounds[2] / cell).floor() + 1.0) * cell,
        ((bounds[3] / cell).floor() + 1.0) * cell,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_points_merge_and_far_points_stay_alone() {
        let pts = vec![(0.101, 0.101, "a"), (0.102, 0.103, "b"), (0.9, 0.9, "c")];
        let mut c = grid_cluster(pts, 0.01);
        c.sort_by_key(|a| a.members.len());
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].members, ["c"]);
        assert_eq!(c[1].members, ["a", "b"]);
        assert!((c[1].x - 0.1015).abs() < 1e-12);
    }

    #[test]
    fn expansion_is_cell_aligned_and_covers() {
        let b = expand_to_cells([0.123, 0.456, 0.2, 0.5], 0.05);
        assert!(b[0] <= 0.123 && b[2] >= 0.2 && b[1] <= 0.456 && b[3] >= 0.5);
        assert!((b[0] / 0.05 - (b[0] / 0.05).round()).abs() < 1e-9);
    }
}
