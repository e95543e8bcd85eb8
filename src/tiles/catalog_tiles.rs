//! [`CatalogTiles`]: the tiles over a catalog, its services and its region's municipalities.
use super::background;
use super::changes::{Area, Changes};
use super::clusters::Clusters;
use super::mercator::{to_world, TileId};
use super::polygons::{project, simplify_for_zoom, WorldShape};
use super::*;
use crate::catalog::Catalog;
use crate::coverage::Indicator;
use crate::model::Facts;
use arc_swap::ArcSwapOption;
use geo::InteriorPoint;
use serde_json::json;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, OnceLock};

/// Tiles over a catalog: its services and its region's municipalities.
pub struct CatalogTiles {
    catalog: Arc<Catalog>,
    world: Vec<geo_types::MultiPolygon<f64>>,
    labels: Vec<(f64, f64)>,
    by_zoom: Vec<OnceLock<Vec<WorldShape>>>,
    /// The indicators the tiles show, with the data version they were computed for.
    props: Arc<ArcSwapOption<Derived>>,
    /// Whether a background recomputation runs (one at a time).
    deriving: Arc<AtomicBool>,
    /// Held while the first indicators are computed.
    first: Mutex<()>,
    /// The tiles' version and where each change reached.
    changes: Arc<Changes>,
    /// Each municipality's world bounds (what a change of its indicators reaches).
    muni_bounds: Arc<Vec<Area>>,
    /// The low zooms' clusters, summed for one data version (used while it is current).
    clusters: Arc<ArcSwapOption<Clusters>>,
    /// Whether a background summing of the clusters runs.
    clustering: Arc<AtomicBool>,
    /// Whether low-zoom tiles use the summed clusters (or always cluster on the fly).
    summed: bool,
}

impl std::fmt::Debug for CatalogTiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CatalogTiles").finish_non_exhaustive()
    }
}

impl CatalogTiles {
    /// Prepares the municipality geometry (projected once, simplified lazily per zoom).
    pub fn new(catalog: Arc<Catalog>) -> Self {
        let munis = &catalog.region().municipalities;
        let world = munis.iter().map(|m| project(&m.geometry)).collect();
        let labels = munis
            .iter()
            .map(|m| match &m.seat {
                Some((_, lon, lat)) => to_world(*lon, *lat),
                None => m
                    .geometry
                    .interior_point()
                    .map_or((0.0, 0.0), |p| to_world(p.x(), p.y())),
            })
            .collect();
        let muni_bounds = munis
            .iter()
            .map(|m| {
                geo::BoundingRect::bounding_rect(&m.geometry).map_or([0.0, 0.0, 1.0, 1.0], |r| {
                    // North is up in lon/lat and down in world y.
                    let (x0, y1) = to_world(r.min().x, r.min().y);
                    let (x1, y0) = to_world(r.max().x, r.max().y);
                    [x0, y0, x1, y1]
                })
            })
            .collect();
        CatalogTiles {
            changes: Arc::new(Changes::new(catalog.data_version())),
            clusters: Arc::new(ArcSwapOption::empty()),
            clustering: Arc::new(AtomicBool::new(false)),
            summed: true,
            muni_bounds: Arc::new(muni_bounds),
            catalog,
            world,
            labels,
            by_zoom: (0..=mercator::MAX_ZOOM).map(|_| OnceLock::new()).collect(),
            props: Arc::new(ArcSwapOption::empty()),
            deriving: Arc::new(AtomicBool::new(false)),
            first: Mutex::new(()),
        }
    }

    fn shapes(&self, z: u8) -> &[WorldShape] {
        self.by_zoom[usize::from(z)]
            .get_or_init(|| self.world.iter().map(|w| simplify_for_zoom(w, z)).collect())
    }

    /// Municipality properties and gap points. Recomputed off the read path: after a write,
    /// tiles show the previous indicators (never wait for new ones) while one background
    /// thread computes them, and the new ones from when they are ready. Only the first tile
    /// ever waits, for the first computation.
    fn derived(&self) -> Result<Arc<Derived>> {
        let version = self.catalog.data_version();
        match self.props.load_full() {
            Some(d) if d.for_version == version => Ok(d),
            Some(stale) => {
                self.refresh_in_background();
                Ok(stale)
            }
            None => {
                // Concurrent first tiles wait for one computation, not one each.
                let _first = self
                    .first
                    .lock()
                    .map_err(|_| crate::Error::Internal("tile indicators lock poisoned".into()))?;
                if let Some(d) = self.props.load_full() {
                    return Ok(d);
                }
                let first = Arc::new(derive(&self.catalog, version)?);
                self.props.store(Some(first.clone()));
                Ok(first)
            }
        }
    }

    /// Whether low-zoom tiles use clusters summed once per data version (the default) or
    /// cluster the services under them on every tile (to compare the two).
    pub fn summed_clusters(mut self, on: bool) -> Self {
        self.summed = on;
        self
    }

    /// Sums the low zooms' clusters now for the current data version, instead of in the
    /// background on first use (for a warm start, and for benchmarks).
    pub fn prepare_clusters(&self) {
        let snap = self.catalog.snapshot();
        let built = Clusters::build(snap.iter_shared(), snap.version());
        self.clusters.store(Some(Arc::new(built)));
    }

    /// The low zooms' clusters a tile whose cells reach `reach` may draw: those of the
    /// current data version; older ones while an update is under way (writes are streaming
    /// in: the tiles drawn from them are built again once it is done) or when no change since
    /// reached the tile. When they are not current, brings them up to date in the background
    /// (taking in the changes).
    fn current_clusters(&self, reach: Area) -> Option<Arc<Clusters>> {
        let version = self.catalog.data_version();
        let current = self.clusters.load_full();
        if let Some(c) = current.as_ref().filter(|c| c.for_version == version) {
            return Some(c.clone());
        }
        let under_way = self.clustering.load(std::sync::atomic::Ordering::Acquire);
        self.update_clusters();
        let c = current?;
        if under_way {
            return Some(c);
        }
        let touched = self.catalog.touched_between(c.for_version, version)?;
        let untouched = touched.iter().all(|&(lon, lat)| {
            let (x, y) = to_world(lon, lat);
            !(reach[0] <= x && x <= reach[2] && reach[1] <= y && y <= reach[3])
        });
        untouched.then_some(c)
    }

    /// Starts one thread (unless one runs) that brings the clusters up to the published
    /// index: the changes since taken in when the log still has them, else summed again.
    fn update_clusters(&self) {
        let (catalog, clusters) = (self.catalog.clone(), self.clusters.clone());
        let changes = self.changes.clone();
        background::keep_current(
            "tile-clusters",
            &self.clustering,
            background::QUICK,
            move || catch_up(&catalog, &clusters, &changes),
        );
    }

    /// Starts one thread (unless one runs) that recomputes the indicators until they are as
    /// of the latest data version.
    fn refresh_in_background(&self) {
        let (catalog, props) = (self.catalog.clone(), self.props.clone());
        let (changes, bounds) = (self.changes.clone(), self.muni_bounds.clone());
        background::keep_current(
            "tile-indicators",
            &self.deriving,
            background::SLOW,
            move || {
                let version = catalog.data_version();
                if props
                    .load()
                    .as_ref()
                    .is_some_and(|d| d.for_version == version)
                {
                    return true;
                }
                match derive(&catalog, version) {
                    Ok(d) => {
                        // Published first, then the version moves: a tile built under the new
                        // version never shows the old indicators.
                        let new = Arc::new(d);
                        let old = props.swap(Some(new.clone()));
                        changes.indicators(old.as_deref().unwrap_or(&new), &new, &bounds);
                        false
                    }
                    Err(e) => {
                        tracing::warn!("tile indicators not recomputed: {e}");
                        true
                    }
                }
            },
        );
    }
}

impl TileSource for CatalogTiles {
    fn id(&self) -> &str {
        &self.catalog.region().id
    }

    fn tilejson(&self, tiles_url: &str) -> Value {
        let region = self.catalog.region();
        let bounds = region.bbox().unwrap_or([-180.0, -85.0, 180.0, 85.0]);
        let center = region
            .municipalities
            .iter()
            .max_by_key(|m| m.population.total)
            .and_then(|m| m.seat.as_ref().map(|s| (s.1, s.2)))
            .unwrap_or(((bounds[0] + bounds[2]) / 2.0, (bounds[1] + bounds[3]) / 2.0));
        let groups: Vec<String> = region
            .taxonomy
            .groups()
            .iter()
            .map(|g| g.code.clone())
            .collect();
        let mut service_fields = serde_json::Map::new();
        for (k, v) in [
            ("cluster", "Boolean: a cluster of services"),
            ("count", "Number: services in the cluster"),
            ("id", "String"),
            ("name", "String"),
            ("type", "String: response code"),
            (
                "group",
                "String: target group (most frequent, for clusters)",
            ),
            ("capacity", "Number: places"),
            ("demo", "Boolean: demonstration data"),
            (
                "precision",
                "String: how precise the position is (building, address, postal_code, locality, parish, municipality, unknown)",
            ),
        ] {
            service_fields.insert(k.into(), json!(v));
        }
        for g in &groups {
            service_fields.insert(
                format!("count_{g}"),
                json!("Number: services of the group in the cluster"),
            );
        }
        let mut gap_fields = serde_json::Map::new();
        for (k, v) in [
            ("municipality", "String: municipality code"),
            ("population", "Number: residents the point stands for"),
            ("age_65_plus", "Number: residents aged 65+ it stands for"),
            ("age_0_2", "Number: children aged 0-2 it stands for"),
        ] {
            gap_fields.insert(k.into(), json!(v));
        }
        let mut muni_fields = serde_json::Map::new();
        for (k, v) in [
            ("code", "String: municipality code (DICO)"),
            ("name", "String"),
            ("population", "Number: residents"),
            (
                "population_65_plus",
                "Number: residents aged 65+ (absent when unknown)",
            ),
            ("elderly_rate", "Number: coverage of older people (x100)"),
            ("elderly_gap_class", "String"),
            (
                "early_childhood_rate",
                "Number: coverage of early childhood (x100)",
            ),
            ("early_childhood_gap_class", "String"),
            ("approximate", "Boolean: the boundary is approximate"),
        ] {
            muni_fields.insert(k.into(), json!(v));
        }
        for (key, code) in GAP_FAMILIES {
            gap_fields.insert(
                format!("{key}_km"),
                json!(format!("Number: km to the nearest {code}")),
            );
            muni_fields.insert(
                format!("{key}_mean_km"),
                json!(format!("Number: mean km to the nearest {code}")),
            );
            muni_fields.insert(
                format!("{key}_share_beyond"),
                json!(format!(
                    "Number: share of the target population farther than 10 km from a {code}"
                )),
            );
            muni_fields.insert(
                format!("{key}_access"),
                json!(format!(
                    "Number: {code} places per 1,000 target residents within reach (2SFCA)"
                )),
            );
        }
        let mut label_fields = serde_json::Map::new();
        label_fields.insert("code".into(), json!("String: municipality code (DICO)"));
        label_fields.insert("name".into(), json!("String"));
        json!({
            "tilejson": "3.0.0",
            "name": region.name,
            "description": "Bússola: social care services and coverage by municipality",
            "version": env!("CARGO_PKG_VERSION"),
            "scheme": "xyz",
            "tiles": [tiles_url],
            "minzoom": 0,
            "maxzoom": TILEJSON_MAXZOOM,
            "bounds": bounds,
            "center": [center.0, center.1, 9],
            "attribution": region.attribution.join(" · "),
            "vector_layers": [
                layer("services", "social care services; clusters of them below zoom 13", service_fields),
                layer("municipalities", "municipality boundaries with coverage and distance indicators", muni_fields),
                layer("municipality_labels", "a label point per municipality", label_fields),
                layer("gaps", "population points with the distance to the nearest service", gap_fields),
            ]
        })
    }

    /// Grows with every data change and every new set of indicators (see `tiles::changes`).
    fn version(&self) -> u64 {
        self.changes.version(&self.catalog)
    }

    /// No change since `built` reached what the tile depends on: its area with the buffer,
    /// and below the clustering zoom the cluster cells around it.
    fn unchanged(&self, tile: TileId, built: u64, now: u64) -> bool {
        self.changes.none_reached(reach(tile), built, now)
    }

    fn get_tile(&self, tile: TileId, filter: &Filter) -> Result<Option<Vec<u8>>> {
        self.catalog.check_filter(filter)?;
        let margin = f64::from(BUFFER) / f64::from(EXTENT);
        let world = tile.world_bounds(margin);
        let mut builder = encode::TileBuilder::new(tile);

        let derived = self.derived()?;
        for g in &derived.points {
            let inside = (world[0]..=world[2]).contains(&g.world.0)
                && (world[1]..=world[3]).contains(&g.world.1);
            if inside {
                builder.gap_point(g)?;
            }
        }
        for ((shape, p), label) in self
            .shapes(tile.z)
            .iter()
            .zip(derived.munis.iter())
            .zip(&self.labels)
        {
            for poly in polygons::tile_polygons(shape, &tile, EXTENT, BUFFER) {
                builder.municipality(&poly, p)?;
            }
            if (world[0]..=world[2]).contains(&label.0) && (world[1]..=world[3]).contains(&label.1)
            {
                builder.label(*label, &p.code, &p.name)?;
            }
        }

        let tax = &self.catalog.region().taxonomy;
        let group_of = |t: &str| tax.get(t).map_or("", |r| r.group.as_str());
        if tile.z >= CLUSTER_BELOW_ZOOM {
            let bbox = TileId::lon_lat_bounds(world);
            self.catalog.with_in_bbox(filter, bbox, |services| {
                for s in services {
                    builder.service(to_world(s.lon(), s.lat()), s, group_of(s.type_code()));
                }
            })?;
        } else if let Some(clusters) = self
            .summed
            .then(|| self.current_clusters(reach(tile)))
            .flatten()
        {
            let all: Vec<&str> = tax.groups().iter().map(|g| g.code.as_str()).collect();
            for d in clusters.in_tile(tile, world, filter, tax, &all) {
                match d.single {
                    Some(s) => builder.service((d.x, d.y), s, group_of(s.type_code())),
                    None => builder.cluster_counts((d.x, d.y), d.count, &d.by_group, &all),
                }
            }
        } else {
            // Summed clusters are not ready for this data version: cluster the services here.
            let cell = CLUSTER_CELL_PX / (256.0 * tile.scale());
            let grown = cluster::expand_to_cells(world, cell);
            let all: Vec<&str> = tax.groups().iter().map(|g| g.code.as_str()).collect();
            self.catalog
                .with_in_bbox(filter, TileId::lon_lat_bounds(grown), |services| {
                    let points = services.map(|s| {
                        let (x, y) = to_world(s.lon(), s.lat());
                        (x, y, s)
                    });
                    for c in cluster::grid_cluster(points, cell) {
                        let inside = (world[0]..=world[2]).contains(&c.x)
                            && (world[1]..=world[3]).contains(&c.y);
                        if !inside {
                            continue;
                        }
                        if let [s] = c.members.as_slice() {
                            builder.service((c.x, c.y), s, group_of(s.type_code()));
                        } else {
                            let groups: Vec<&str> =
                                c.members.iter().map(|s| group_of(s.type_code())).collect();
                            builder.cluster((c.x, c.y), &groups, &all);
                        }
                    }
                })?;
        }
        builder.finish()
    }
}

/// Brings the clusters up to the published index (the changes since taken in when the log
/// still has them, else summed again), then marks where those changes were so that tiles
/// drawn from the older clusters are built again; says whether they were current already.
fn catch_up(catalog: &Catalog, clusters: &ArcSwapOption<Clusters>, changes: &Changes) -> bool {
    let snap = catalog.snapshot();
    let old = clusters.load_full();
    if old
        .as_ref()
        .is_some_and(|c| c.for_version == snap.version())
    {
        return true;
    }
    let since = old.as_ref().map(|c| c.for_version);
    let taken_in = old
        .filter(|c| c.for_version < snap.version())
        .and_then(|c| {
            let changes = catalog.changes_between(c.for_version, snap.version())?;
            (changes.len() <= APPLY_AT_MOST).then(|| c.apply(&changes, &snap))
        });
    let built = taken_in.unwrap_or_else(|| Clusters::build(snap.iter_shared(), snap.version()));
    clusters.store(Some(Arc::new(built)));
    let touched = since.and_then(|v| catalog.touched_between(v, snap.version()));
    changes.clusters(touched);
    false
}

/// What a tile depends on, in world coordinates: its area with the buffer, and below the
/// clustering zoom the cluster cells around it.
fn reach(tile: TileId) -> Area {
    let margin = f64::from(BUFFER) / f64::from(EXTENT);
    let world = tile.world_bounds(margin);
    if tile.z < CLUSTER_BELOW_ZOOM {
        let cell = CLUSTER_CELL_PX / (256.0 * tile.scale());
        let g = cluster::expand_to_cells(world, cell);
        [g[0] - cell, g[1] - cell, g[2] + cell, g[3] + cell]
    } else {
        world
    }
}

/// The most changes the clusters take in one by one; more, and they are summed again.
const APPLY_AT_MOST: usize = 50_000;

/// Computes what the tiles show of the indicators (coverage, distances, gap points) as of
/// the catalog's data now; `for_version` is the data version read before starting.
fn derive(catalog: &Catalog, for_version: u64) -> Result<Derived> {
    let region = catalog.region();
    let reports = Indicator::ALL
        .iter()
        .map(|&i| catalog.coverage(i, None))
        .collect::<Result<Vec<_>>>()?;
    let params = crate::access::Params::default();
    let mut gaps = Vec::new();
    let mut point_km: Vec<Vec<(&'static str, Option<f64>)>> =
        vec![Vec::new(); region.surface.points.len()];
    for (key, code) in GAP_FAMILIES {
        if region.taxonomy.get(code).is_none() {
            continue;
        }
        let types = vec![code.to_string()];
        gaps.push((key, catalog.gaps(&types, &params)?));
        let target = crate::access::Target::for_types(&region.taxonomy, &types);
        let services: Vec<crate::model::Brief> =
            catalog.with_briefs(|it| it.filter(|s| s.type_code() == code).cloned().collect());
        let acc = crate::access::point_access(&region.surface.points, &services, target, &params);
        for (km, a) in point_km.iter_mut().zip(acc) {
            km.push((key, a.nearest_km));
        }
    }
    let munis = region
        .municipalities
        .iter()
        .map(|m| MuniProps {
            code: m.code.clone(),
            name: m.name.clone(),
            population: m.population.total,
            population_65_plus: m.population.age_65_plus,
            approximate: m.approximate,
            indicators: reports
                .iter()
                .filter_map(|r| {
                    let row = r.municipalities.iter().find(|x| x.code == m.code)?;
                    let gap = serde_json::to_value(row.gap_class)
                        .ok()?
                        .as_str()?
                        .to_string();
                    Some((r.indicator.key(), row.rate, gap))
                })
                .collect(),
            distances: gaps
                .iter()
                .filter_map(|(key, r)| {
                    let row = r.municipalities.iter().find(|x| x.code == m.code)?;
                    Some(FamilyGaps {
                        key,
                        mean_km: row.mean_km,
                        share_beyond: row.share_beyond,
                        access: row.access_per_1000,
                    })
                })
                .collect(),
        })
        .collect();
    let points = region
        .surface
        .points
        .iter()
        .zip(point_km)
        .map(|(p, km)| GapPoint {
            world: to_world(p.lon, p.lat),
            municipality: p.municipality.clone(),
            population: p.total,
            age_65_plus: p.age_65_plus,
            age_0_2: p.age_0_2,
            km,
        })
        .collect();
    Ok(Derived {
        munis,
        points,
        for_version,
    })
}

/// A TileJSON vector layer: `fields` with the bare type words GDAL and QGIS read (`Number`,
/// `String`, `Boolean`), the descriptions written beside them as `Type: what it is`, under
/// `field_descriptions`.
fn layer(id: &str, description: &str, fields: serde_json::Map<String, Value>) -> Value {
    let mut types = serde_json::Map::new();
    let mut described = serde_json::Map::new();
    for (name, v) in fields {
        let text = v.as_str().unwrap_or("String");
        let (kind, what) = text.split_once(": ").unwrap_or((text, ""));
        types.insert(name.clone(), json!(kind));
        if !what.is_empty() {
            described.insert(name, json!(what));
        }
    }
    json!({
        "id": id,
        "description": description,
        "fields": types,
        "field_descriptions": described,
        "minzoom": 0,
        "maxzoom": TILEJSON_MAXZOOM,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tiles::cache::{TileCache, DEFAULT_BUDGET, MAX_STALE};

    #[test]
    fn tiles_drawn_while_an_update_was_under_way_are_built_again_once_it_lands() {
        let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/demo-alentejo-central/region.toml");
        let region = crate::region::Region::load(&manifest).unwrap().region;
        let store = crate::store::SqliteStore::in_memory().unwrap();
        let catalog = Arc::new(Catalog::open(region, Box::new(store)).unwrap());
        let tiles = CatalogTiles::new(catalog.clone());
        tiles.prepare_clusters();
        // An update under way (its thread is this test).
        tiles
            .clustering
            .store(true, std::sync::atomic::Ordering::Release);
        let cache = TileCache::new(DEFAULT_BUDGET);
        let (x, y) = to_world(-7.9, 38.57);
        let tile = TileId::new(8, (x * 256.0) as u32, (y * 256.0) as u32).unwrap();
        let filter = Filter::default();
        let before = cache.get(&tiles, tile, &filter).unwrap();

        let mut s = catalog.get("demo-0705-erpi-1").unwrap();
        s.id = "one-more".into();
        catalog.upsert(s).unwrap();
        std::thread::sleep(MAX_STALE);
        let meanwhile = cache.get(&tiles, tile, &filter).unwrap();
        assert_eq!(
            meanwhile.mvt, before.mvt,
            "drawn from the clusters as they were"
        );

        assert!(!catch_up(&catalog, &tiles.clusters, &tiles.changes));
        std::thread::sleep(MAX_STALE);
        let after = cache.get(&tiles, tile, &filter).unwrap();
        assert_ne!(after.mvt, before.mvt, "built again with the write in");
        assert!(
            catch_up(&catalog, &tiles.clusters, &tiles.changes),
            "current now"
        );
    }
}
