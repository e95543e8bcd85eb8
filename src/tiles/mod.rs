//! Vector tiles (Mapbox Vector Tile 2.1) built on the fly from the R-tree and the region.
//!
//! Every tile backend sits behind [`TileSource`]: an id, a TileJSON document and `get_tile`.
//! [`archive::Archive`] serves the tiles of a PMTiles archive, the base map under the services
//! (what is configured is a [`basemap::Basemap`]); [`context::ContextTiles`] the context layers
//! built from the region's own data (seats, towns, parish boundaries). [`CatalogTiles`] is the one over a
//! [`Catalog`](crate::catalog::Catalog); its layers:
//!
//! | layer | geometry | fields |
//! |---|---|---|
//! | `services` | points; grid clusters below zoom [`CLUSTER_BELOW_ZOOM`] | individual: `cluster`=false, `id`, `name`, `type`, `group`, `capacity`, `demo`; cluster: `cluster`=true, `count`, `count_<group>` per group, `group` (the most frequent) |
//! | `municipalities` | polygons, simplified per zoom, clipped to tile + buffer | `code`, `name`, `population`, `population_65_plus`, `elderly_rate`, `elderly_gap_class`, `early_childhood_rate`, `early_childhood_gap_class`, `approximate`, and per family of [`GAP_FAMILIES`] `<family>_mean_km`, `<family>_share_beyond`, `<family>_access` |
//! | `municipality_labels` | points (seat, or a point inside) | `code`, `name` |
//! | `gaps` | the population surface's points | `municipality`, `population`, `age_65_plus`, `age_0_2`, `<family>_km` (nearest service of each of [`GAP_FAMILIES`]) |
pub mod archive;
mod background;
pub mod basemap;
pub mod cache;
mod catalog_tiles;
mod changes;
pub mod cluster;
mod clusters;
pub mod context;
mod encode;
pub mod mercator;
pub mod polygons;
pub mod sprite;
pub mod style_qgis;

use crate::catalog::Filter;
use crate::Result;
use mercator::TileId;
use serde_json::Value;

pub use catalog_tiles::CatalogTiles;

/// Tile extent (coordinates per tile side).
pub const EXTENT: u32 = 4096;
/// Buffer around each tile, in tile coordinates.
pub const BUFFER: u32 = 64;
/// Services are clustered below this zoom.
pub const CLUSTER_BELOW_ZOOM: u8 = 13;
/// Cluster cell size in pixels of a 256 px tile.
pub const CLUSTER_CELL_PX: f64 = 48.0;
/// Highest zoom the TileJSON advertises (MapLibre over-zooms beyond it).
pub const TILEJSON_MAXZOOM: u8 = 14;

/// A source of vector tiles.
pub trait TileSource: Send + Sync {
    /// Stable id.
    fn id(&self) -> &str;
    /// The TileJSON 3.0.0 document, with `tiles_url` as the tile URL template.
    fn tilejson(&self, tiles_url: &str) -> Value;
    /// A number that grows whenever any tile may change (tiles are cached per version).
    fn version(&self) -> u64;
    /// Whether `tile`, built at version `built`, shows the same at version `now`: lets a
    /// cache keep a tile across changes elsewhere. `false` when unsure (the default).
    fn unchanged(&self, tile: TileId, built: u64, now: u64) -> bool {
        let _ = (tile, built, now);
        false
    }
    /// The encoded tile, or `None` when it holds nothing.
    fn get_tile(&self, tile: TileId, filter: &Filter) -> Result<Option<Vec<u8>>>;
}

/// Properties of one municipality as the tiles carry them.
#[derive(Debug, Clone, PartialEq)]
struct MuniProps {
    code: String,
    name: String,
    population: u64,
    population_65_plus: Option<u64>,
    approximate: bool,
    /// (indicator key, rate, gap class) per indicator.
    indicators: Vec<(&'static str, Option<f64>, String)>,
    /// Distance indicators per gap family.
    distances: Vec<FamilyGaps>,
}

/// One family's distance indicators for a municipality.
#[derive(Debug, Clone, PartialEq)]
struct FamilyGaps {
    key: &'static str,
    mean_km: Option<f64>,
    share_beyond: Option<f64>,
    access: Option<f64>,
}

/// A population point of the `gaps` layer.
#[derive(Debug, Clone, PartialEq)]
struct GapPoint {
    world: (f64, f64),
    municipality: String,
    population: f64,
    age_65_plus: f64,
    age_0_2: f64,
    /// (family key, km to the nearest service of the family).
    km: Vec<(&'static str, Option<f64>)>,
}

/// What the tiles derive from the data, recomputed when the data version changes.
#[derive(Debug)]
struct Derived {
    munis: Vec<MuniProps>,
    points: Vec<GapPoint>,
    /// The data version it was computed for.
    for_version: u64,
}

/// The response families whose distance indicators the tiles carry: (key, response code).
pub const GAP_FAMILIES: [(&str, &str); 4] = [
    ("erpi", "ERPI"),
    ("centro_dia", "CENTRO_DIA"),
    ("sad", "SAD_IDOSOS"),
    ("creche", "CRECHE"),
];
