//! Web Mercator XYZ tiles: ids, envelopes and coordinates.
use crate::{Error, Result};

/// Highest zoom a tile may be asked for.
pub const MAX_ZOOM: u8 = 22;
/// Latitude limit of Web Mercator.
pub const MAX_LAT: f64 = 85.051_128_779_806_59;

/// One XYZ tile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TileId {
    /// Zoom.
    pub z: u8,
    /// Column, from the west.
    pub x: u32,
    /// Row, from the north.
    pub y: u32,
}

impl TileId {
    /// A checked tile id; names the coordinate that is out of range.
    ///
    /// ```
    /// use bussola::tiles::mercator::TileId;
    /// assert!(TileId::new(3, 7, 7).is_ok());
    /// assert!(TileId::new(3, 8, 0).is_err());
    /// ```
    pub fn new(z: u32, x: u32, y: u32) -> Result<Self> {
        if z > u32::from(MAX_ZOOM) {
            return Err(Error::param("z", format!("zoom {z} is above {MAX_ZOOM}")));
        }
        let n = 1u64 << z;
        if u64::from(x) >= n {
            return Err(Error::param("x", format!("x {x} is not below 2^{z} = {n}")));
        }
        if u64::from(y) >= n {
            return Err(Error::param("y", format!("y {y} is not below 2^{z} = {n}")));
        }
        Ok(TileId { z: z as u8, x, y })
    }

    /// Number of tiles across the world at this zoom.
    pub fn scale(&self) -> f64 {
        f64::from(1u32 << self.z)
    }

    /// The tile's envelope in normalised world coordinates, grown by `margin` tiles.
    pub fn world_bounds(&self, margin: f64) -> [f64; 4] {
        let s = self.scale();
        [
            (f64::from(self.x) - margin) / s,
            (f64::from(self.y) - margin) / s,
            (f64::from(self.x) + 1.0 + margin) / s,
            (f64::from(self.y) + 1.0 + margin) / s,
        ]
    }

    /// The lon/lat box of normalised world bounds (min lon, min lat, max lon, max lat).
    pub fn lon_lat_bounds(world: [f64; 4]) -> [f64; 4] {
        let (w, n) = to_lon_lat(world[0].max(0.0), world[1].max(0.0));
        let (e, s) = to_lon_lat(world[2].min(1.0), world[3].min(1.0));
        [w, s, e, n]
    }

    /// Normalised world coordinates to this tile's coordinates for an extent.
    pub fn to_tile(&self, wx: f64, wy: f64, extent: f64) -> (f64, f64) {
        let s = self.scale();
        (
            (wx * s - f64::from(self.x)) * extent,
            (wy * s - f64::from(self.y)) * extent,
        )
    }
}

/// Lon/lat (degrees) to normalised Web Mercator world coordinates in [0, 1] (y down).
///
/// ```
/// let (x, y) = bussola::tiles::mercator::to_world(0.0, 0.0);
/// assert!((x - 0.5).abs() < 1e-12 && (y - 0.5).abs() < 1e-12);
/// ```
pub fn to_world(lon: f64, lat: f64) -> (f64, f64) {
    let lat = lat.clamp(-MAX_LAT, MAX_LAT).to_radians();
    let x = (lon + 180.0) / 360.0;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0;
    (x, y)
}

/// Normalised world coordinates to lon/lat degrees.
pub fn to_lon_lat(x: f64, y: f64) -> (f64, f64) {
    let lon = x * 360.0 - 180.0;
    let lat = (std::f64::consts::PI * (1.0 - 2.0 * y))
        .sinh()
        .atan()
        .to_degrees();
    (lon, lat)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_known_tile() {
        let (x, y) = to_world(-7.9, 38.57);
        let (lon, lat) = to_lon_lat(x, y);
        assert!((lon + 7.9).abs() < 1e-9 && (lat - 38.57).abs() < 1e-9);
        // Évora is in tile 8/122/98 (standard XYZ).
        assert_eq!(((x * 256.0) as u32, (y * 256.0) as u32), (122, 98));
    }

    #[test]
    fn rejects_out_of_range() {
        assert!(TileId::new(23, 0, 0)
            .unwrap_err()
            .to_string()
            .contains("'z'"));
        assert!(TileId::new(0, 1, 0).is_err());
        assert!(TileId::new(2, 0, 4).is_err());
        assert!(TileId::new(22, (1 << 22) - 1, 0).is_ok());
    }
}
