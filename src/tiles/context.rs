//! [`ContextTiles`]: the context layers of the default base map, built from the region's own
//! open data with no outside download — the municipal seats and the towns and villages a
//! manifest's `[context]` names, as light labels, and its parish boundaries, as thin lines.
//!
//! | layer | geometry | fields |
//! |---|---|---|
//! | `places` | points | `name`, `kind` (`seat`: a municipal seat; `town`: another town or village) |
//! | `parishes` | polygons, simplified per zoom, clipped to tile + buffer | `code` (DICOFRE), `name` |
use super::mercator::{to_world, TileId};
use super::polygons::{project, simplify_for_zoom, tile_polygons, TilePolygon, WorldShape};
use super::{TileSource, BUFFER, EXTENT, TILEJSON_MAXZOOM};
use crate::catalog::Filter;
use crate::region::context::Parish;
use crate::region::Region;
use crate::{Error, Result};
use mvt::{GeomEncoder, GeomType, Tile};
use serde_json::{json, Value};
use std::sync::OnceLock;

/// A place as the tiles carry it.
#[derive(Debug, Clone)]
struct Label {
    world: (f64, f64),
    name: String,
    kind: &'static str,
}

/// The context tiles of a region (its data does not change while it is served).
pub struct ContextTiles {
    labels: Vec<Label>,
    parishes: Vec<(String, String, geo_types::MultiPolygon<f64>)>,
    by_zoom: Vec<OnceLock<Vec<WorldShape>>>,
    bounds: [f64; 4],
    attribution: String,
}

impl std::fmt::Debug for ContextTiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContextTiles")
            .field("places", &self.labels.len())
            .field("parishes", &self.parishes.len())
            .finish_non_exhaustive()
    }
}

fn tile_err(e: mvt::Error) -> Error {
    Error::Tile(e.to_string())
}

impl ContextTiles {
    /// Projects the region's seats, places and parishes once (parishes are simplified per zoom
    /// on first use).
    pub fn new(region: &Region) -> Self {
        let labels = region
            .context
            .places
            .iter()
            .map(|p| Label {
                world: to_world(p.lon, p.lat),
                name: p.name.clone(),
                kind: if p.seat { "seat" } else { "town" },
            })
            .collect();
        let parishes = region
            .context
            .parishes
            .iter()
            .map(|p: &Parish| (p.code.clone(), p.name.clone(), project(&p.geometry)))
            .collect();
        ContextTiles {
            labels,
            parishes,
            by_zoom: (0..=super::mercator::MAX_ZOOM)
                .map(|_| OnceLock::new())
                .collect(),
            bounds: region.bbox().unwrap_or([-180.0, -85.0, 180.0, 85.0]),
            attribution: region.attribution.join(" · "),
        }
    }

    /// How many places and parishes it draws.
    pub fn counts(&self) -> (usize, usize) {
        (self.labels.len(), self.parishes.len())
    }

    fn shapes(&self, z: u8) -> &[WorldShape] {
        self.by_zoom[usize::from(z)].get_or_init(|| {
            self.parishes
                .iter()
                .map(|(_, _, w)| simplify_for_zoom(w, z))
                .collect()
        })
    }
}

impl TileSource for ContextTiles {
    fn id(&self) -> &str {
        "bussola:context"
    }

    fn tilejson(&self, tiles_url: &str) -> Value {
        json!({
            "tilejson": "3.0.0",
            "name": "Bússola: context",
            "description": "Municipal seats, towns and villages, and parish boundaries from the region's own data",
            "version": env!("CARGO_PKG_VERSION"),
            "scheme": "xyz",
            "tiles": [tiles_url],
            "minzoom": 0,
            "maxzoom": TILEJSON_MAXZOOM,
            "bounds": self.bounds,
            "attribution": self.attribution,
            "vector_layers": [
                {
                    "id": "places",
                    "description": "municipal seats, towns and villages",
                    "fields": {"name": "String", "kind": "String"},
                    "field_descriptions": {"kind": "seat (a municipal seat) or town (another town or village)"},
                    "minzoom": 0,
                    "maxzoom": TILEJSON_MAXZOOM,
                },
                {
                    "id": "parishes",
                    "description": "parish (freguesia) boundaries, where the region's manifest gives them",
                    "fields": {"code": "String", "name": "String"},
                    "field_descriptions": {"code": "parish code (DICOFRE)"},
                    "minzoom": 0,
                    "maxzoom": TILEJSON_MAXZOOM,
                },
            ],
        })
    }

    /// The region's context does not change while it is served.
    fn version(&self) -> u64 {
        0
    }

    fn unchanged(&self, _: TileId, _: u64, _: u64) -> bool {
        true
    }

    /// The tile; context tiles take no filter.
    fn get_tile(&self, tile: TileId, _: &Filter) -> Result<Option<Vec<u8>>> {
        let margin = f64::from(BUFFER) / f64::from(EXTENT);
        let world = tile.world_bounds(margin);
        let mut mvt = Tile::new(EXTENT);
        let mut places = mvt.create_layer("places");
        for l in &self.labels {
            let inside = (world[0]..=world[2]).contains(&l.world.0)
                && (world[1]..=world[3]).contains(&l.world.1);
            if !inside {
                continue;
            }
            let (x, y) = tile.to_tile(l.world.0, l.world.1, f64::from(EXTENT));
            let geom = GeomEncoder::new(GeomType::Point)
                .point(x.round() as i32, y.round() as i32)
                .and_then(|g| g.encode())
                .map_err(tile_err)?;
            let mut f = places.into_feature(geom);
            f.add_tag_string("name", &l.name);
            f.add_tag_string("kind", l.kind);
            places = f.into_layer();
        }
        let mut parishes = mvt.create_layer("parishes");
        for ((code, name, _), shape) in self.parishes.iter().zip(self.shapes(tile.z)) {
            for poly in tile_polygons(shape, &tile, EXTENT, BUFFER) {
                let geom = polygon(&poly)?;
                let mut f = parishes.into_feature(geom);
                f.add_tag_string("code", code);
                f.add_tag_string("name", name);
                parishes = f.into_layer();
            }
        }
        let mut any = false;
        for layer in [parishes, places] {
            if layer.num_features() > 0 {
                mvt.add_layer(layer).map_err(tile_err)?;
                any = true;
            }
        }
        if !any {
            return Ok(None);
        }
        mvt.to_bytes().map(Some).map_err(tile_err)
    }
}

fn polygon(poly: &TilePolygon) -> Result<mvt::GeomData> {
    let mut enc = GeomEncoder::new(GeomType::Polygon);
    for ring in poly {
        for &(x, y) in ring {
            enc.add_point(x, y).map_err(tile_err)?;
        }
        enc.complete_geom().map_err(tile_err)?;
    }
    enc.encode().map_err(tile_err)
}
