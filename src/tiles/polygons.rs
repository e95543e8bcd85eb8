//! Municipality polygons for tiles: projected once, simplified per zoom, clipped to the tile
//! plus buffer, quantised to integers and checked valid.
use super::mercator::{to_world, TileId};
use geo::{BooleanOps, BoundingRect, SimplifyVwPreserve, Validation};
use geo_types::{Coord, LineString, MultiPolygon, Polygon, Rect};

/// A ring in tile coordinates, without the closing point; exterior rings first in each polygon.
pub type Ring = Vec<(i32, i32)>;

/// A polygon in tile coordinates: exterior then holes, oriented as MVT 2.1 wants
/// (exterior positive area with y down, holes negative).
pub type TilePolygon = Vec<Ring>;

/// A multipolygon in normalised world coordinates, simplified for one zoom.
#[derive(Debug, Clone)]
pub struct WorldShape {
    /// The geometry.
    pub geometry: MultiPolygon<f64>,
    /// Its bounds.
    pub bounds: Rect<f64>,
}

/// Projects a lon/lat multipolygon to world coordinates.
pub fn project(mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    let ring = |ls: &LineString<f64>| -> LineString<f64> {
        ls.0.iter()
            .map(|c| {
                let (x, y) = to_world(c.x, c.y);
                Coord { x, y }
            })
            .collect()
    };
    MultiPolygon(
        mp.0.iter()
            .map(|p| Polygon::new(ring(p.exterior()), p.interiors().iter().map(ring).collect()))
            .collect(),
    )
}

/// Simplifies world geometry for a zoom: drops detail smaller than about half a pixel.
pub fn simplify_for_zoom(world: &MultiPolygon<f64>, z: u8) -> WorldShape {
    let px = 1.0 / (256.0 * f64::from(1u32 << z));
    let geometry = world.simplify_vw_preserve((0.5 * px) * (0.5 * px));
    let bounds = geometry
        .bounding_rect()
        .unwrap_or(Rect::new((0.0, 0.0), (0.0, 0.0)));
    WorldShape { geometry, bounds }
}

fn signed_area2(ring: &[(i32, i32)]) -> i64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            i64::from(a.0) * i64::from(b.1) - i64::from(b.0) * i64::from(a.1)
        })
        .sum()
}

fn quantise(ls: &LineString<f64>, tile: &TileId, extent: f64, exterior: bool) -> Option<Ring> {
    let mut ring: Ring = Vec::with_capacity(ls.0.len());
    for c in &ls.0 {
        let (x, y) = tile.to_tile(c.x, c.y, extent);
        let p = (x.round() as i32, y.round() as i32);
        if ring.last() != Some(&p) {
            ring.push(p);
        }
    }
    while ring.len() > 1 && ring.first() == ring.last() {
        ring.pop();
    }
    if ring.len() < 3 {
        return None;
    }
    let a = signed_area2(&ring);
    if a == 0 {
        return None;
    }
    // MVT: exterior rings have positive area in tile coordinates (y down), holes negative.
    if (a > 0) != exterior {
        ring.reverse();
    }
    Some(ring)
}

fn to_polygon(rings: &[Ring]) -> Polygon<f64> {
    let ls = |r: &Ring| -> LineString<f64> {
        let mut v: Vec<Coord<f64>> = r
            .iter()
            .map(|&(x, y)| Coord {
                x: f64::from(x),
                y: f64::from(y),
            })
            .collect();
        if let Some(&first) = v.first() {
            v.push(first);
        }
        LineString(v)
    };
    Polygon::new(ls(&rings[0]), rings[1..].iter().map(ls).collect())
}

/// Clips a shape to a tile plus `buffer` (tile units) and quantises it; only valid polygons
/// (as checked by `geo`'s validation in integer coordinates) are returned.
pub fn tile_polygons(
    shape: &WorldShape,
    tile: &TileId,
    extent: u32,
    buffer: u32,
) -> Vec<TilePolygon> {
    let margin = f64::from(buffer) / f64::from(extent);
    let [x0, y0, x1, y1] = tile.world_bounds(margin);
    let b = shape.bounds;
    if b.max().x < x0 || b.min().x > x1 || b.max().y < y0 || b.min().y > y1 {
        return Vec::new();
    }
    let clip = Rect::new((x0, y0), (x1, y1)).to_polygon();
    let clipped = shape.geometry.intersection(&MultiPolygon(vec![clip]));
    let e = f64::from(extent);
    let mut out = Vec::new();
    for p in &clipped.0 {
        let Some(ext) = quantise(p.exterior(), tile, e, true) else {
            continue;
        };
        let mut rings = vec![ext];
        rings.extend(
            p.interiors()
                .iter()
                .filter_map(|h| quantise(h, tile, e, false)),
        );
        if to_polygon(&rings).is_valid() {
            out.push(rings);
        } else if to_polygon(&rings[..1]).is_valid() {
            // A hole that touches its shell after rounding: keep the shell, drop the hole.
            out.push(vec![rings.swap_remove(0)]);
        } else {
            tracing::debug!("dropped a polygon invalid after quantisation in tile {tile:?}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(lon0: f64, lat0: f64, d: f64) -> MultiPolygon<f64> {
        let ls = LineString::from(vec![
            (lon0, lat0),
            (lon0 + d, lat0),
            (lon0 + d, lat0 + d),
            (lon0, lat0 + d),
            (lon0, lat0),
        ]);
        MultiPolygon(vec![Polygon::new(ls, vec![])])
    }

    #[test]
    fn clips_to_tile_plus_buffer_and_orients_exterior_positive() {
        // A big square around Évora, larger than tile 10/489/391.
        let shape = simplify_for_zoom(&project(&square(-8.5, 38.0, 1.5)), 10);
        let (x, y) = to_world(-7.9, 38.57);
        let tile = TileId::new(10, (x * 1024.0) as u32, (y * 1024.0) as u32).unwrap();
        let polys = tile_polygons(&shape, &tile, 4096, 64);
        assert_eq!(polys.len(), 1);
        let ring = &polys[0][0];
        assert!(signed_area2(ring) > 0);
        for &(x, y) in ring {
            assert!(
                (-64..=4160).contains(&x) && (-64..=4160).contains(&y),
                "({x},{y})"
            );
        }
    }

    #[test]
    fn far_shapes_give_nothing() {
        let shape = simplify_for_zoom(&project(&square(-8.5, 38.0, 0.1)), 10);
        let tile = TileId::new(10, 0, 0).unwrap();
        assert!(tile_polygons(&shape, &tile, 4096, 64).is_empty());
    }
}
