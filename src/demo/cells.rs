//! Approximate municipality boundaries: power-diagram cells around the municipal seats,
//! clipped to a buffered hull of the seats and fitted to the official areas.
//!
//! Works in a local equirectangular plane in km, where cells are convex polygons cut by
//! half-planes. These are not the official boundaries, and say so.

/// A point in the local plane, km.
pub type Xy = [f64; 2];

/// Kilometres per degree of latitude on the mean sphere.
const KM_PER_DEG: f64 = 6371.0088 * std::f64::consts::PI / 180.0;

/// An equirectangular projection centred on a latitude.
#[derive(Debug, Clone, Copy)]
pub struct Plane {
    lon0: f64,
    lat0: f64,
    coslat: f64,
}

impl Plane {
    /// A plane centred on (lon0, lat0).
    pub fn new(lon0: f64, lat0: f64) -> Self {
        Plane {
            lon0,
            lat0,
            coslat: lat0.to_radians().cos(),
        }
    }
    /// Lon/lat to km.
    pub fn to_xy(&self, lon: f64, lat: f64) -> Xy {
        [
            (lon - self.lon0) * self.coslat * KM_PER_DEG,
            (lat - self.lat0) * KM_PER_DEG,
        ]
    }
    /// Km to lon/lat.
    pub fn to_lon_lat(&self, p: Xy) -> (f64, f64) {
        (
            self.lon0 + p[0] / (self.coslat * KM_PER_DEG),
            self.lat0 + p[1] / KM_PER_DEG,
        )
    }
}

/// Area of a simple polygon (open ring), km².
pub fn area(ring: &[Xy]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a[0] * b[1] - b[0] * a[1]
        })
        .sum::<f64>()
        .abs()
        / 2.0
}

fn cross(o: Xy, a: Xy, b: Xy) -> f64 {
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])
}

/// Convex hull (counter-clockwise, open ring), Andrew's monotone chain.
pub fn hull(points: &[Xy]) -> Vec<Xy> {
    let mut p = points.to_vec();
    p.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
    p.dedup();
    if p.len() < 3 {
        return p;
    }
    let mut h: Vec<Xy> = Vec::new();
    for pass in 0..2 {
        let start = h.len();
        let iter: Box<dyn Iterator<Item = &Xy>> = if pass == 0 {
            Box::new(p.iter())
        } else {
            Box::new(p.iter().rev())
        };
        for &q in iter {
            while h.len() >= start + 2 && cross(h[h.len() - 2], h[h.len() - 1], q) <= 0.0 {
                h.pop();
            }
            h.push(q);
        }
        h.pop();
    }
    h
}

/// The hull of the points buffered by `r` km (circles approximated by 24-gons).
pub fn buffered_hull(points: &[Xy], r: f64) -> Vec<Xy> {
    let mut ring = Vec::new();
    for p in points {
        for k in 0..24 {
            let a = f64::from(k) * std::f64::consts::TAU / 24.0;
            ring.push([p[0] + r * a.cos(), p[1] + r * a.sin()]);
        }
    }
    hull(&ring)
}

/// Keeps the part of a convex polygon where `n·x <= c`.
pub fn clip(poly: &[Xy], n: Xy, c: f64) -> Vec<Xy> {
    let inside = |p: Xy| n[0] * p[0] + n[1] * p[1] <= c;
    let mut out = Vec::with_capacity(poly.len() + 1);
    for i in 0..poly.len() {
        let (a, b) = (poly[i], poly[(i + 1) % poly.len()]);
        let (ia, ib) = (inside(a), inside(b));
        if ia {
            out.push(a);
        }
        if ia != ib {
            let fa = n[0] * a[0] + n[1] * a[1] - c;
            let fb = n[0] * b[0] + n[1] * b[1] - c;
            let t = fa / (fa - fb);
            out.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
        }
    }
    out
}

/// Power-diagram cells of `sites` with `weights`, clipped to the convex `outline`.
pub fn power_cells(outline: &[Xy], sites: &[Xy], weights: &[f64]) -> Vec<Vec<Xy>> {
    sites
        .iter()
        .enumerate()
        .map(|(i, si)| {
            let mut cell = outline.to_vec();
            for (j, sj) in sites.iter().enumerate() {
                if i == j || cell.is_empty() {
                    continue;
                }
                // |x-si|² - wi <= |x-sj|² - wj  <=>  2 x·(sj-si) <= |sj|²-|si|² - wj + wi
                let n = [2.0 * (sj[0] - si[0]), 2.0 * (sj[1] - si[1])];
                let c =
                    (sj[0] * sj[0] + sj[1] * sj[1]) - (si[0] * si[0] + si[1] * si[1]) - weights[j]
                        + weights[i];
                cell = clip(&cell, n, c);
            }
            cell
        })
        .collect()
}

/// Cells whose areas approach `targets` (km²): the outline is sized to the total target, then
/// the weights are adjusted step by step.
pub fn fitted_cells(sites: &[Xy], targets: &[f64]) -> Vec<Vec<Xy>> {
    let total: f64 = targets.iter().sum();
    // Grow the buffer until the outline holds the total area (bisection).
    let (mut lo, mut hi) = (0.0, 200.0);
    for _ in 0..60 {
        let mid = (lo + hi) / 2.0;
        if area(&buffered_hull(sites, mid)) < total {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let outline = buffered_hull(sites, hi);
    let mut w = vec![0.0; sites.len()];
    let mut cells = power_cells(&outline, sites, &w);
    let mut step = 40.0;
    for _ in 0..2000 {
        // A step proportional to the relative area error, in km² of weight.
        let trial: Vec<f64> = cells
            .iter()
            .zip(targets)
            .zip(&w)
            .map(|((cell, t), wi)| wi + step * (t - area(cell)) / t)
            .collect();
        let next = power_cells(&outline, sites, &trial);
        // Every seat must stay inside its own cell; if a step breaks that, take smaller steps.
        let owns_seat = next
            .iter()
            .zip(sites)
            .all(|(c, s)| c.len() >= 3 && contains(c, *s));
        if owns_seat {
            w = trial;
            cells = next;
        } else {
            step /= 2.0;
            if step < 1e-3 {
                break;
            }
        }
    }
    cells
}

/// Whether a convex polygon (either orientation) holds a point.
pub fn contains(poly: &[Xy], p: Xy) -> bool {
    let n = poly.len();
    let signs: Vec<f64> = (0..n)
        .map(|i| cross(poly[i], poly[(i + 1) % n], p))
        .collect();
    signs.iter().all(|&s| s >= 0.0) || signs.iter().all(|&s| s <= 0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_halves_a_square() {
        let sq = [[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0]];
        let half = clip(&sq, [1.0, 0.0], 1.0);
        assert!((area(&half) - 2.0).abs() < 1e-12);
    }

    #[test]
    fn fitted_cells_tile_the_outline_and_approach_targets() {
        let sites = [[0.0, 0.0], [10.0, 0.0], [5.0, 8.0], [20.0, 5.0]];
        let targets = [300.0, 150.0, 200.0, 250.0];
        let cells = fitted_cells(&sites, &targets);
        let total: f64 = cells.iter().map(|c| area(c)).sum();
        assert!(
            (total - 900.0).abs() < 9.0,
            "cells tile the outline: {total}"
        );
        for (i, c) in cells.iter().enumerate() {
            assert!(contains(c, sites[i]), "site {i} inside its cell");
        }
        let err: f64 = cells
            .iter()
            .zip(targets)
            .map(|(c, t)| (area(c) - t).abs() / t)
            .sum::<f64>()
            / 4.0;
        assert!(err < 0.25, "mean relative area error {err}");
    }
}
