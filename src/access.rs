//! Distance-based gap indicators and capacity-aware access, per municipality.
//!
//! For a set of response types and the population surface ([`crate::surface`]):
//! - the target-population-weighted mean and 90th-percentile distance to the nearest service;
//! - the share of the target population farther than a threshold;
//! - Gaussian two-step floating catchment area (2SFCA, Dai 2010): each service's capacity is
//!   shared among the people within the catchment radius d0, weighted by
//!   `f(d) = (exp(-d²/(2 d0²)) - exp(-1/2)) / (1 - exp(-1/2))` (1 at the door, 0 at d0); a
//!   person's access is the sum of the shares of the services they reach, weighted the same way,
//!   reported as places per 1,000 target residents.
//!
//! Distances are great-circle distances on the mean Earth sphere (within 0.6 % of the WGS84
//! geodesic), so that a whole region computes in milliseconds.
use crate::distance::{chord2_to_sphere_m, sphere_m_to_chord2, unit_vector};
use crate::model::{Facts, Municipality};
use crate::surface::{Surface, SurfacePoint};
use crate::taxonomy::Taxonomy;
use rstar::primitives::GeomWithData;
use rstar::RTree;
use serde::Serialize;
use std::collections::HashMap;

/// Which residents a set of responses serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// People aged 65 or more (older people's responses).
    #[serde(rename = "age_65_plus")]
    Age65Plus,
    /// Children aged 0–2 (creche, ama).
    #[serde(rename = "age_0_2")]
    Age0To2,
    /// Children aged 0–14 (other children's responses).
    #[serde(rename = "age_0_14")]
    Age0To14,
    /// All residents.
    Total,
}

impl Target {
    /// The target population of a set of response codes.
    pub fn for_types(taxonomy: &Taxonomy, codes: &[String]) -> Target {
        let group = |c: &String| taxonomy.get(c).map(|r| r.group.as_str());
        if !codes.is_empty() && codes.iter().all(|c| group(c) == Some("elderly")) {
            Target::Age65Plus
        } else if !codes.is_empty() && codes.iter().all(|c| c == "CRECHE" || c == "AMA") {
            Target::Age0To2
        } else if !codes.is_empty() && codes.iter().all(|c| group(c) == Some("children")) {
            Target::Age0To14
        } else {
            Target::Total
        }
    }

    /// Whether a municipality's data gives this population (else its indicators are no data).
    pub fn known(self, p: &crate::model::Population) -> bool {
        match self {
            Target::Age65Plus => p.age_65_plus.is_some(),
            Target::Age0To2 => p.age_0_2.is_some() || p.live_births.is_some(),
            Target::Age0To14 => p.age_0_14.is_some(),
            Target::Total => true,
        }
    }

    fn weight(self, p: &SurfacePoint) -> f64 {
        match self {
            Target::Age65Plus => p.age_65_plus,
            Target::Age0To2 => p.age_0_2,
            Target::Age0To14 => p.age_0_14,
            Target::Total => p.total,
        }
    }
}

/// Parameters of the indicators.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Params {
    /// Distance beyond which people count as far from care, km.
    pub threshold_km: f64,
    /// 2SFCA catchment radius, km.
    pub catchment_km: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            threshold_km: 10.0,
            catchment_km: 20.0,
        }
    }
}

/// The indicators of one municipality (or of the region).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapRow {
    /// Municipality code, or `region`.
    pub code: String,
    /// Name.
    pub name: String,
    /// Target residents; `None` when the data does not give them ("no data").
    pub population: Option<f64>,
    /// Services of the types in the municipality.
    pub services: usize,
    /// Places in those services.
    pub capacity: u64,
    /// Weighted mean distance to the nearest service, km (`None`: no service anywhere, or no
    /// target residents).
    pub mean_km: Option<f64>,
    /// Weighted 90th-percentile distance, km.
    pub p90_km: Option<f64>,
    /// Target residents farther than the threshold; `None` without population data.
    pub people_beyond: Option<f64>,
    /// Their share of the target residents (`None` without target residents).
    pub share_beyond: Option<f64>,
    /// Places reachable per 1,000 target residents (2SFCA).
    pub access_per_1000: Option<f64>,
}

/// The indicators for a set of types, per municipality and for the region.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GapReport {
    /// Response codes counted.
    pub types: Vec<String>,
    /// Which residents they serve.
    pub target: Target,
    /// The parameters.
    pub params: Params,
    /// How the population surface was built.
    pub surface: String,
    /// The whole region.
    pub region: GapRow,
    /// One row per municipality, in code order.
    pub municipalities: Vec<GapRow>,
}

/// Gaussian 2SFCA weight: 1 at distance 0, 0 at and beyond `d0`.
pub fn decay(d: f64, d0: f64) -> f64 {
    if d >= d0 || d0 <= 0.0 {
        return 0.0;
    }
    let e = (-0.5f64).exp();
    ((-0.5 * (d / d0).powi(2)).exp() - e) / (1.0 - e)
}

/// Per-point results: distance to the nearest service (km) and 2SFCA access (places per person).
#[derive(Debug, Clone, PartialEq)]
pub struct PointAccess {
    /// Nearest service, km; `None` when there is none.
    pub nearest_km: Option<f64>,
    /// Places per person reachable.
    pub access: f64,
}

type Site = GeomWithData<[f64; 3], usize>;

/// Distances and access for every surface point, given the services (any type filtering done).
pub fn point_access<S: Facts>(
    points: &[SurfacePoint],
    services: &[S],
    target: Target,
    params: &Params,
) -> Vec<PointAccess> {
    let site_tree: RTree<Site> = RTree::bulk_load(
        services
            .iter()
            .enumerate()
            .map(|(i, s)| GeomWithData::new(unit_vector(s.lon(), s.lat()), i))
            .collect(),
    );
    let point_tree: RTree<Site> = RTree::bulk_load(
        points
            .iter()
            .enumerate()
            .map(|(i, p)| GeomWithData::new(unit_vector(p.lon, p.lat), i))
            .collect(),
    );
    let d0 = params.catchment_km;
    let reach = sphere_m_to_chord2(d0 * 1000.0);
    let km = |c2: f64| chord2_to_sphere_m(c2) / 1000.0;
    // Step 1: each service's places per weighted person in its catchment.
    let ratio: Vec<f64> = services
        .iter()
        .map(|s| {
            let here = unit_vector(s.lon(), s.lat());
            let demand: f64 = point_tree
                .locate_within_distance(here, reach)
                .map(|p| target.weight(&points[p.data]) * decay(km(dist2(p.geom(), &here)), d0))
                .sum();
            if demand > 0.0 {
                f64::from(s.capacity().unwrap_or(0)) / demand
            } else {
                0.0
            }
        })
        .collect();
    // Step 2: each point's access, and its nearest service.
    points
        .iter()
        .map(|p| {
            let here = unit_vector(p.lon, p.lat);
            let access = site_tree
                .locate_within_distance(here, reach)
                .map(|s| ratio[s.data] * decay(km(dist2(s.geom(), &here)), d0))
                .sum();
            let nearest_km = site_tree
                .nearest_neighbor(&here)
                .map(|s| km(dist2(s.geom(), &here)));
            PointAccess { nearest_km, access }
        })
        .collect()
}

fn dist2(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    (0..3).map(|i| (a[i] - b[i]).powi(2)).sum()
}

fn row(
    code: &str,
    name: &str,
    pts: &[(&SurfacePoint, &PointAccess)],
    target: Target,
    params: &Params,
) -> GapRow {
    let population: f64 = pts.iter().map(|(p, _)| target.weight(p)).sum();
    let mut dist: Vec<(f64, f64)> = pts
        .iter()
        .filter_map(|(p, a)| a.nearest_km.map(|d| (d, target.weight(p))))
        .collect();
    let has_service = !dist.is_empty();
    let (mean_km, p90_km) = if has_service && population > 0.0 {
        dist.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mean = dist.iter().map(|(d, w)| d * w).sum::<f64>() / population;
        let mut acc = 0.0;
        let p90 = dist
            .iter()
            .find(|(_, w)| {
                acc += w;
                acc >= 0.9 * population - 1e-9
            })
            .map(|(d, _)| *d);
        (Some(mean), p90)
    } else {
        (None, None)
    };
    let people_beyond: f64 = pts
        .iter()
        .filter(|(_, a)| a.nearest_km.is_none_or(|d| d > params.threshold_km))
        .map(|(p, _)| target.weight(p))
        .sum();
    let reached: f64 = pts.iter().map(|(p, a)| target.weight(p) * a.access).sum();
    // Weights are fractions of Census counts: report people to a thousandth, and never -0.
    let people = |v: f64| {
        let r = (v * 1000.0).round() / 1000.0;
        if r <= 0.0 {
            0.0
        } else {
            r
        }
    };
    let (population, people_beyond) = (people(population), people(people_beyond));
    GapRow {
        code: code.to_string(),
        name: name.to_string(),
        population: Some(population),
        services: 0,
        capacity: 0,
        mean_km,
        p90_km,
        people_beyond: Some(people_beyond),
        share_beyond: (population > 0.0).then(|| people_beyond / population),
        access_per_1000: (population > 0.0).then(|| reached / population * 1000.0),
    }
}

/// The report for services of `types` over the region's municipalities and surface.
pub fn compute<S: Facts>(
    municipalities: &[Municipality],
    surface: &Surface,
    services: &[S],
    types: &[String],
    target: Target,
    params: &Params,
) -> GapReport {
    compute_grouped(
        municipalities,
        surface,
        services,
        types,
        target,
        params,
        &[],
    )
    .0
}

/// Municipalities counted together (a sub-region): its id and its municipalities' codes.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The group's id (its row's code).
    pub id: String,
    /// Its municipalities' codes.
    pub municipalities: Vec<String>,
}

/// [`compute`], and one row per group over the surface points of its municipalities (as the
/// region's row is over all of them), in the groups' order.
pub fn compute_grouped<S: Facts>(
    municipalities: &[Municipality],
    surface: &Surface,
    services: &[S],
    types: &[String],
    target: Target,
    params: &Params,
    groups: &[Group],
) -> (GapReport, Vec<GapRow>) {
    let access = point_access(&surface.points, services, target, params);
    let mut by_muni: HashMap<&str, Vec<(&SurfacePoint, &PointAccess)>> = HashMap::new();
    for (p, a) in surface.points.iter().zip(&access) {
        by_muni
            .entry(p.municipality.as_str())
            .or_default()
            .push((p, a));
    }
    let mut rows: Vec<GapRow> = municipalities
        .iter()
        .map(|m| {
            let pts = by_muni
                .get(m.code.as_str())
                .map(Vec::as_slice)
                .unwrap_or(&[]);
            let mut r = row(&m.code, &m.name, pts, target, params);
            if !target.known(&m.population) {
                r = GapRow {
                    population: None,
                    mean_km: None,
                    p90_km: None,
                    people_beyond: None,
                    share_beyond: None,
                    access_per_1000: None,
                    ..r
                };
            }
            for s in services.iter().filter(|s| s.municipality() == m.code) {
                r.services += 1;
                r.capacity += u64::from(s.capacity().unwrap_or(0));
            }
            r
        })
        .collect();
    rows.sort_by(|a, b| a.code.cmp(&b.code));
    let group_rows = groups
        .iter()
        .map(|g| {
            let pts: Vec<(&SurfacePoint, &PointAccess)> = g
                .municipalities
                .iter()
                .filter_map(|m| by_muni.get(m.as_str()))
                .flatten()
                .copied()
                .collect();
            let mut r = row(&g.id, "", &pts, target, params);
            for m in rows.iter().filter(|r| g.municipalities.contains(&r.code)) {
                r.services += m.services;
                r.capacity += m.capacity;
            }
            r
        })
        .collect();
    let all: Vec<(&SurfacePoint, &PointAccess)> = surface.points.iter().zip(&access).collect();
    let mut region = row("region", "", &all, target, params);
    region.services = rows.iter().map(|r| r.services).sum();
    region.capacity = rows.iter().map(|r| r.capacity).sum();
    let report = GapReport {
        types: types.to_vec(),
        target,
        params: *params,
        surface: surface.method.clone(),
        region,
        municipalities: rows,
    };
    (report, group_rows)
}

/// The report as CSV: one row per municipality, then the region.
pub fn to_csv(r: &GapReport) -> String {
    let opt = |v: Option<f64>, d: usize| v.map(|x| format!("{x:.d$}")).unwrap_or_default();
    let mut out = String::from("code,name,types,target,population,services,capacity,mean_km,p90_km,people_beyond,share_beyond,access_per_1000\n");
    let target = serde_json::to_value(r.target)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    for row in r.municipalities.iter().chain(std::iter::once(&r.region)) {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{}\n",
            crate::text::csv_text(&row.code),
            crate::text::csv_text(&row.name),
            r.types.join(" "),
            target,
            opt(row.population, 0),
            row.services,
            row.capacity,
            opt(row.mean_km, 2),
            opt(row.p90_km, 2),
            opt(row.people_beyond, 0),
            opt(row.share_beyond, 4),
            opt(row.access_per_1000, 1),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(code: &str, name: &str) -> GapRow {
        GapRow {
            code: code.into(),
            name: name.into(),
            population: Some(1200.0),
            services: 1,
            capacity: 30,
            mean_km: Some(4.25),
            p90_km: Some(9.5),
            people_beyond: Some(100.0),
            share_beyond: Some(0.0833),
            access_per_1000: Some(25.0),
        }
    }

    /// A group of every municipality is the region; a group of one is that municipality's
    /// row (all measured over the same population points).
    #[test]
    fn a_group_row_is_over_its_municipalities_points() {
        let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/demo-alentejo-central/region.toml");
        let region = crate::region::Region::load(&manifest).unwrap().region;
        let erpi: Vec<&crate::model::Service> = region
            .services
            .iter()
            .filter(|s| s.type_code == "ERPI")
            .collect();
        let all: Vec<String> = region
            .municipalities
            .iter()
            .map(|m| m.code.clone())
            .collect();
        let groups = [
            Group {
                id: "all".into(),
                municipalities: all,
            },
            Group {
                id: "one".into(),
                municipalities: vec!["0701".into()],
            },
        ];
        let types = vec!["ERPI".to_string()];
        let (report, rows) = compute_grouped(
            &region.municipalities,
            &region.surface,
            &erpi,
            &types,
            Target::Age65Plus,
            &Params::default(),
            &groups,
        );
        let same = |a: &GapRow, b: &GapRow| {
            assert_eq!(
                (a.population, a.services, a.capacity, a.mean_km, a.p90_km),
                (b.population, b.services, b.capacity, b.mean_km, b.p90_km)
            );
            assert_eq!(
                (a.share_beyond, a.access_per_1000),
                (b.share_beyond, b.access_per_1000)
            );
        };
        same(&rows[0], &report.region);
        same(&rows[1], &report.municipalities[0]);
        assert_eq!((rows[1].code.as_str(), rows[1].services), ("one", 2));
    }

    /// A municipality's name comes from region files: a spreadsheet shows it, never runs it,
    /// and a comma stays inside its cell; codes are quoted so GIS tools keep them as text.
    #[test]
    fn csv_rows_quote_and_neutralise_names() {
        let r = GapReport {
            types: vec!["ERPI".into()],
            target: Target::Age65Plus,
            params: Params::default(),
            surface: "test".into(),
            region: row("region", "Região"),
            municipalities: vec![row("0701", "=1+1"), row("0702", "Reguengos, \"M\"")],
        };
        let csv = to_csv(&r);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[1],
            "\"0701\",\"'=1+1\",ERPI,age_65_plus,1200,1,30,4.25,9.50,100,0.0833,25.0"
        );
        assert!(
            lines[2].starts_with("\"0702\",\"Reguengos, \"\"M\"\"\",ERPI,"),
            "{}",
            lines[2]
        );
        assert!(lines[3].starts_with("\"region\",\"Região\","));
    }
}
