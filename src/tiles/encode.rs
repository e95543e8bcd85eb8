//! Encoding of the layers with the `mvt` crate.
use super::mercator::TileId;
use super::polygons::TilePolygon;
use super::{GapPoint, MuniProps, EXTENT};
use crate::model::Facts;
use crate::{Error, Result};
use mvt::{GeomEncoder, GeomType, Layer, Tile};

/// The precision as the API and the style name it (its serde name).
fn tile_err(e: mvt::Error) -> Error {
    Error::Tile(e.to_string())
}

/// Collects features layer by layer; errors are kept and returned by `finish`.
pub(super) struct TileBuilder {
    tile: TileId,
    mvt: Tile,
    services: Option<Layer>,
    municipalities: Option<Layer>,
    labels: Option<Layer>,
    gaps: Option<Layer>,
    features: usize,
    error: Option<Error>,
}

impl TileBuilder {
    pub(super) fn new(tile: TileId) -> Self {
        let mvt = Tile::new(EXTENT);
        TileBuilder {
            services: Some(mvt.create_layer("services")),
            municipalities: Some(mvt.create_layer("municipalities")),
            labels: Some(mvt.create_layer("municipality_labels")),
            gaps: Some(mvt.create_layer("gaps")),
            tile,
            mvt,
            features: 0,
            error: None,
        }
    }

    fn point(&self, world: (f64, f64)) -> Result<mvt::GeomData> {
        let (x, y) = self.tile.to_tile(world.0, world.1, f64::from(EXTENT));
        GeomEncoder::new(GeomType::Point)
            .point(x.round() as i32, y.round() as i32)
            .and_then(|g| g.encode())
            .map_err(tile_err)
    }

    fn keep<T>(&mut self, r: Result<T>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.error.get_or_insert(e);
                None
            }
        }
    }

    /// Adds one service.
    pub(super) fn service(&mut self, world: (f64, f64), s: &impl Facts, group: &str) {
        let geom = self.point(world);
        let (Some(geom), Some(layer)) = (self.keep(geom), self.services.take()) else {
            return;
        };
        let mut f = layer.into_feature(geom);
        f.add_tag_bool("cluster", false);
        f.add_tag_string("id", s.id());
        f.add_tag_string("name", s.name());
        f.add_tag_string("type", s.type_code());
        f.add_tag_string("group", group);
        if let Some(c) = s.capacity() {
            f.add_tag_uint("capacity", u64::from(c));
        }
        f.add_tag_bool("demo", s.demo());
        // The style draws approximate positions (postal code, locality...) as such.
        f.add_tag_string("precision", s.precision().name());
        self.services = Some(f.into_layer());
        self.features += 1;
    }

    /// Adds a cluster of services whose groups are given.
    pub(super) fn cluster(&mut self, world: (f64, f64), groups: &[&str], all: &[&str]) {
        let by_group: Vec<usize> = all
            .iter()
            .map(|g| groups.iter().filter(|x| *x == g).count())
            .collect();
        self.cluster_counts(world, groups.len(), &by_group, all);
    }

    /// Adds a cluster of `count` services, `by_group[i]` of them in group `all[i]`.
    pub(super) fn cluster_counts(
        &mut self,
        world: (f64, f64),
        count: usize,
        by_group: &[usize],
        all: &[&str],
    ) {
        let geom = self.point(world);
        let (Some(geom), Some(layer)) = (self.keep(geom), self.services.take()) else {
            return;
        };
        let mut f = layer.into_feature(geom);
        f.add_tag_bool("cluster", true);
        f.add_tag_uint("count", count as u64);
        let mut best = ("", 0usize);
        for (g, &n) in all.iter().zip(by_group) {
            f.add_tag_uint(&format!("count_{g}"), n as u64);
            if n > best.1 {
                best = (g, n);
            }
        }
        f.add_tag_string("group", best.0);
        self.services = Some(f.into_layer());
        self.features += 1;
    }

    /// Adds one municipality polygon.
    pub(super) fn municipality(&mut self, poly: &TilePolygon, p: &MuniProps) -> Result<()> {
        let mut enc = GeomEncoder::new(GeomType::Polygon);
        for ring in poly {
            for &(x, y) in ring {
                enc.add_point(x, y).map_err(tile_err)?;
            }
            enc.complete_geom().map_err(tile_err)?;
        }
        let geom = enc.encode().map_err(tile_err)?;
        let Some(layer) = self.municipalities.take() else {
            return Ok(());
        };
        let mut f = layer.into_feature(geom);
        f.add_tag_string("code", &p.code);
        f.add_tag_string("name", &p.name);
        f.add_tag_uint("population", p.population);
        // An unknown band is left out (no data), never written as 0.
        if let Some(n) = p.population_65_plus {
            f.add_tag_uint("population_65_plus", n);
        }
        f.add_tag_bool("approximate", p.approximate);
        for d in &p.distances {
            let round = |v: f64, k: f64| (v * k).round() / k;
            if let Some(v) = d.mean_km {
                f.add_tag_double(&format!("{}_mean_km", d.key), round(v, 100.0));
            }
            if let Some(v) = d.share_beyond {
                f.add_tag_double(&format!("{}_share_beyond", d.key), round(v, 10_000.0));
            }
            if let Some(v) = d.access {
                f.add_tag_double(&format!("{}_access", d.key), round(v, 10.0));
            }
        }
        for (key, rate, gap) in &p.indicators {
            if let Some(r) = rate {
                f.add_tag_double(&format!("{key}_rate"), (r * 100.0).round() / 100.0);
            }
            f.add_tag_string(&format!("{key}_gap_class"), gap);
        }
        self.municipalities = Some(f.into_layer());
        self.features += 1;
        Ok(())
    }

    /// Adds a population point of the `gaps` layer.
    pub(super) fn gap_point(&mut self, g: &GapPoint) -> Result<()> {
        let geom = self.point(g.world)?;
        let Some(layer) = self.gaps.take() else {
            return Ok(());
        };
        let mut f = layer.into_feature(geom);
        f.add_tag_string("municipality", &g.municipality);
        // Weights keep three decimals so that the points of a municipality still add up to its
        // Census figures (one unit at most over the whole region).
        let w = |v: f64| (v * 1000.0).round() / 1000.0;
        f.add_tag_double("population", w(g.population));
        f.add_tag_double("age_65_plus", w(g.age_65_plus));
        f.add_tag_double("age_0_2", w(g.age_0_2));
        for (key, km) in &g.km {
            if let Some(km) = km {
                f.add_tag_double(&format!("{key}_km"), (km * 100.0).round() / 100.0);
            }
        }
        self.gaps = Some(f.into_layer());
        self.features += 1;
        Ok(())
    }

    /// Adds a municipality label point.
    pub(super) fn label(&mut self, world: (f64, f64), code: &str, name: &str) -> Result<()> {
        let geom = self.point(world)?;
        let Some(layer) = self.labels.take() else {
            return Ok(());
        };
        let mut f = layer.into_feature(geom);
        f.add_tag_string("code", code);
        f.add_tag_string("name", name);
        self.labels = Some(f.into_layer());
        self.features += 1;
        Ok(())
    }

    /// The encoded tile, or `None` when no layer has a feature.
    pub(super) fn finish(mut self) -> Result<Option<Vec<u8>>> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        if self.features == 0 {
            return Ok(None);
        }
        for layer in [
            self.municipalities.take(),
            self.gaps.take(),
            self.labels.take(),
            self.services.take(),
        ]
        .into_iter()
        .flatten()
        {
            if layer.num_features() > 0 {
                self.mvt.add_layer(layer).map_err(tile_err)?;
            }
        }
        self.mvt.to_bytes().map(Some).map_err(tile_err)
    }
}
