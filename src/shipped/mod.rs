//! Builds the shipped default region, the whole of Alentejo, from the open data in
//! `../shared/geodata` (`bussola build-default`).
//!
//! For each of the five NUTS III sub-regions it writes a folder with:
//! - `boundaries.geojson`: the official CAOP boundaries (DGT, CC-BY 4.0), coordinates rounded
//!   to 1e-5° (about 1 m) — the shared file is already simplified at about 22 m;
//! - `municipalities.csv`: Census 2021 population by age (INE), the municipal seat and its
//!   position (GeoNames, CC-BY 4.0; see `shipped::seats`) and the area of the boundary;
//! - `creches-osm.geojson`: the real creches and kindergartens mapped in OpenStreetMap (ODbL);
//! - `demo-services.geojson`: invented services (`demo: true`) for the responses with no open
//!   data — every group but children, where OpenStreetMap is the only source;
//! - `places.geojson`: the towns and villages of the context layer, GeoNames places of 1,000+
//!   inhabitants inside the sub-region (see `shipped::places`);
//! - `region.toml`: the manifest serving them.
//!
//! and `region.toml` above them, the listing that serves the five together. The same inputs
//! always give the same bytes; a test keeps the shipped files equal to the output.
mod files;
pub mod places;
mod seats;

use crate::demo::{self, SeatRow};
use crate::model::Population;
use crate::region::read::{read_geojson, text, RawFeature};
use crate::taxonomy::Taxonomy;
use crate::text::fold;
use crate::{Error, Result};
use geo::{GeodesicArea, Orient};
use geo_types::{Geometry, MultiPolygon};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One municipality of the default, as read from the shared files.
#[derive(Debug, Clone)]
pub struct Municipality {
    /// DICO code.
    pub dico: String,
    /// Official name.
    pub name: String,
    /// District.
    pub district: String,
    /// NUTS III (2013) sub-region.
    pub nuts3: String,
    /// The boundary (WGS84).
    pub area: MultiPolygon<f64>,
    /// The boundary's geodesic area, km².
    pub area_km2: f64,
    /// Census 2021 population.
    pub population: Population,
    /// The seat: name, longitude, latitude and where the position comes from.
    pub seat: seats::Seat,
}

/// What `build` wrote, for the command's summary.
#[derive(Debug, Default)]
pub struct Summary {
    /// The sub-regions' ids, in order.
    pub regions: Vec<String>,
    /// Municipalities written.
    pub municipalities: usize,
    /// OpenStreetMap services written.
    pub osm_services: usize,
    /// Demonstration services written.
    pub demo_services: usize,
    /// Towns and villages written for the context layer.
    pub places: usize,
    /// Files written.
    pub files: Vec<PathBuf>,
}

/// The id of a sub-region's folder and manifest: its NUTS III name, folded and hyphenated.
///
/// ```
/// assert_eq!(bussola::shipped::region_id("Lezíria do Tejo"), "leziria-do-tejo");
/// ```
pub fn region_id(nuts3: &str) -> String {
    fold(nuts3)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// Reads the shared files and writes the default region under `out`.
pub fn build(shared: &Path, out: &Path, taxonomy: &Taxonomy) -> Result<Summary> {
    let alentejo = shared.join("alentejo");
    let munis = read_municipalities(&alentejo, &shared.join("geonames_pt_cities1000.geojson"))?;
    let osm = read_geojson(&alentejo.join("osm_creches_jardins_infancia.geojson"))?.features;
    let towns = places::read(
        &shared.join("geonames_pt_cities1000.geojson"),
        &alentejo.join("freguesias_populacao_censos2011.csv"),
        &munis,
    )?;
    let rows: Vec<SeatRow> = munis.iter().map(seat_row).collect();
    let areas: Vec<MultiPolygon<f64>> = munis.iter().map(|m| files::rounded(&m.area)).collect();
    // Demonstration services only where no open data exists: every group but children.
    let keep = |code: &str| taxonomy.get(code).is_some_and(|r| r.group != "children");
    let invented = demo::invent_services(&rows, &areas, &keep);

    let mut by_region: BTreeMap<String, Vec<&Municipality>> = BTreeMap::new();
    for m in &munis {
        by_region.entry(m.nuts3.clone()).or_default().push(m);
    }
    let mut summary = Summary::default();
    for (nuts3, members) in &by_region {
        let id = region_id(nuts3);
        let dir = out.join(&id);
        create_dir(&dir)?;
        let codes: Vec<&str> = members.iter().map(|m| m.dico.as_str()).collect();
        let in_region = |dico: Option<String>| dico.is_some_and(|d| codes.contains(&d.as_str()));
        let creches: Vec<&RawFeature> = osm
            .iter()
            .filter(|f| in_region(text(&f.props, "dico")))
            .collect();
        let demo: Vec<&serde_json::Value> = invented
            .iter()
            .filter(|f| in_region(f["properties"]["municipality"].as_str().map(String::from)))
            .collect();
        let here: Vec<&places::Place> = towns
            .iter()
            .filter(|p| codes.contains(&p.dico.as_str()))
            .collect();
        summary.places += here.len();
        let written = [
            write(&dir, "boundaries.geojson", files::boundaries(members))?,
            write(&dir, "municipalities.csv", files::municipalities(members)?)?,
            write(&dir, "creches-osm.geojson", files::creches(&creches)?)?,
            write(&dir, "demo-services.geojson", files::demo(&demo))?,
            write(&dir, "places.geojson", places::geojson(&here))?,
            write(&dir, "region.toml", files::manifest(&id, nuts3))?,
        ];
        summary.files.extend(written);
        summary.municipalities += members.len();
        summary.osm_services += creches.len();
        summary.demo_services += demo.len();
        summary.regions.push(id);
    }
    let listing = files::listing(&summary.regions);
    summary.files.push(write(out, "region.toml", listing)?);
    Ok(summary)
}

fn create_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|source| Error::Io {
        path: dir.to_path_buf(),
        source,
    })
}

fn write(dir: &Path, name: &str, content: String) -> Result<PathBuf> {
    let path = dir.join(name);
    std::fs::write(&path, content).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

/// The 58 municipalities: CAOP boundaries, Census 2021 population and seats, in DICO order.
pub fn read_municipalities(alentejo: &Path, places: &Path) -> Result<Vec<Municipality>> {
    let boundaries_path = alentejo.join("municipios.geojson");
    let population_path = alentejo.join("populacao_censos2021.csv");
    let population = read_population(&population_path)?;
    let places = seats::Places::read(
        places,
        &alentejo.join("osm_creches_jardins_infancia.geojson"),
    )?;
    let mut out = Vec::new();
    for f in read_geojson(&boundaries_path)?.features {
        let field = |key: &str| {
            text(&f.props, key).ok_or_else(|| {
                Error::data(
                    &boundaries_path,
                    Some(f.place.clone()),
                    Some(key),
                    "missing",
                )
            })
        };
        let (dico, name, district, nuts3) = (
            field("dico")?,
            field("concelho")?,
            field("distrito")?,
            field("nuts3")?,
        );
        let area = match &f.geometry {
            Some(Geometry::Polygon(p)) => MultiPolygon(vec![p.clone()]),
            Some(Geometry::MultiPolygon(mp)) => mp.clone(),
            _ => {
                return Err(Error::data(
                    &boundaries_path,
                    Some(f.place.clone()),
                    Some("geometry"),
                    "not a polygon",
                ))
            }
        };
        let area = files::rounded(&area);
        let Some(pop) = population.get(&dico) else {
            return Err(Error::data(
                &population_path,
                None,
                Some("dico"),
                format!("no row for municipality {dico} ({name})"),
            ));
        };
        let area_km2 = area
            .orient(geo::orient::Direction::Default)
            .geodesic_area_unsigned()
            / 1e6;
        let seat = places.seat(&dico, &name, &area);
        out.push(Municipality {
            dico,
            name,
            district,
            nuts3,
            area,
            area_km2,
            population: *pop,
            seat,
        });
    }
    out.sort_by(|a, b| a.dico.cmp(&b.dico));
    Ok(out)
}

/// Census 2021 rows by DICO.
fn read_population(path: &Path) -> Result<BTreeMap<String, Population>> {
    let mut reader =
        csv::Reader::from_path(path).map_err(|e| Error::data(path, None, None, e.to_string()))?;
    let mut out = BTreeMap::new();
    for (i, row) in reader.deserialize::<BTreeMap<String, String>>().enumerate() {
        let line = Some(format!("line {}", i + 2));
        let row = row.map_err(|e| Error::data(path, line.clone(), None, e.to_string()))?;
        let num = |key: &str| -> Result<u64> {
            row.get(key)
                .and_then(|v| v.trim().parse().ok())
                .ok_or_else(|| Error::data(path, line.clone(), Some(key), "not a whole number"))
        };
        let dico = row
            .get("dico")
            .cloned()
            .ok_or_else(|| Error::data(path, line.clone(), Some("dico"), "missing"))?;
        out.insert(
            dico,
            Population {
                total: num("total")?,
                age_0_14: Some(num("idade_0_14")?),
                age_15_24: Some(num("idade_15_24")?),
                age_25_64: Some(num("idade_25_64")?),
                age_65_plus: Some(num("idade_65_mais")?),
                age_0_2: None,
                live_births: Some(num("nados_vivos_2024")?),
            },
        );
    }
    Ok(out)
}

fn seat_row(m: &Municipality) -> SeatRow {
    SeatRow {
        dico: m.dico.clone(),
        concelho: m.name.clone(),
        nuts3: m.nuts3.clone(),
        sede: m.seat.name.clone(),
        sede_lon: m.seat.lon,
        sede_lat: m.seat.lat,
        area_km2: m.area_km2,
        idade_0_14: m.population.age_0_14.unwrap_or(0),
        idade_65_mais: m.population.age_65_plus.unwrap_or(0),
        nados_vivos_2024: m.population.live_births.unwrap_or(0),
    }
}
