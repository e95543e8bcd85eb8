//! Every indicator of every area at one moment, computed from a set of services with the code
//! the API answers with: coverage by [`crate::coverage::compute`], distances by
//! [`crate::access::compute_grouped`] with `/api/gaps`' default distances. A set of services
//! is the catalog's now, or one rebuilt from the change history ([`super::backfill`]).
use super::areas::{self, Area, Kind};
use super::indicators as names;
use crate::access::{self, GapRow, Group, Params, Target};
use crate::coverage::{self, CoverageRow, Indicator};
use crate::model::{Facts, Precision};
use crate::region::Region;
use std::collections::{BTreeSet, HashMap};

/// One indicator's value in one area.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The area's id.
    pub area: String,
    /// The indicator's name.
    pub indicator: String,
    /// The value (`None`: no value, e.g. no population figure).
    pub value: Option<f64>,
}

/// What the indicators read of a service; a brief or a record gives it, and the backfill
/// changes it as the history says it was.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// The service's id.
    pub id: String,
    /// Its response code.
    pub type_code: String,
    /// Its municipality's code.
    pub municipality: String,
    /// Longitude, WGS84 degrees.
    pub lon: f64,
    /// Latitude, WGS84 degrees.
    pub lat: f64,
    /// Places, when known.
    pub capacity: Option<u32>,
}

impl Site {
    /// What the indicators read of a service.
    pub fn of(s: &impl Facts) -> Self {
        Site {
            id: s.id().to_string(),
            type_code: s.type_code().to_string(),
            municipality: s.municipality().to_string(),
            lon: s.lon(),
            lat: s.lat(),
            capacity: s.capacity(),
        }
    }
}

impl Facts for Site {
    fn id(&self) -> &str {
        &self.id
    }
    fn name(&self) -> &str {
        ""
    }
    fn type_code(&self) -> &str {
        &self.type_code
    }
    fn municipality(&self) -> &str {
        &self.municipality
    }
    fn provider_id(&self) -> &str {
        ""
    }
    fn locality(&self) -> Option<&str> {
        None
    }
    fn lon(&self) -> f64 {
        self.lon
    }
    fn lat(&self) -> f64 {
        self.lat
    }
    fn capacity(&self) -> Option<u32> {
        self.capacity
    }
    fn precision(&self) -> Precision {
        Precision::Unknown
    }
    fn demo(&self) -> bool {
        false
    }
}

/// Services per municipality, and of those how many were not confirmed for a year.
pub type Staleness = HashMap<String, (u64, u64)>;

/// Every indicator of every area for these services: coverage, places and services of each
/// of `responses`, the distance indicators, and (when given) the staleness of records. In
/// area order ([`areas::all`]), then indicator order.
pub fn readings(
    region: &Region,
    sites: &[Site],
    responses: &BTreeSet<String>,
    stale: Option<&Staleness>,
) -> Vec<Reading> {
    let all = areas::all(region);
    let mut by_area: HashMap<String, Vec<(String, Option<f64>)>> = HashMap::new();
    let mut put = |area: &str, indicator: String, value: Option<f64>| {
        by_area
            .entry(area.to_string())
            .or_default()
            .push((indicator, value));
    };
    let rows = coverage_rows(region, &all, sites);
    let counts = counts(sites, responses);
    for a in &all {
        for (indicator, row) in rows.iter().filter_map(|(i, r)| Some((*i, r.get(&a.id)?))) {
            put(&a.id, names::coverage(indicator, "rate"), row.rate);
            let capacity = Some(row.capacity as f64);
            put(&a.id, names::coverage(indicator, "capacity"), capacity);
            let population = row.population.map(|p| p as f64);
            put(&a.id, names::coverage(indicator, "population"), population);
        }
        for r in responses {
            let (places, n) = a
                .municipalities
                .iter()
                .filter_map(|m| counts.get(&(m.as_str(), r.as_str())))
                .fold((0, 0), |(p, n), (a, b)| (p + a, n + b));
            put(&a.id, names::places(r), Some(places as f64));
            put(&a.id, names::services(r), Some(n as f64));
        }
        if let Some(stale) = stale {
            let (n, old) = a
                .municipalities
                .iter()
                .filter_map(|m| stale.get(m))
                .fold((0, 0), |(n, o), (a, b)| (n + a, o + b));
            put(&a.id, names::RECORDS.into(), Some(n as f64));
            put(&a.id, names::STALE_RECORDS.into(), Some(old as f64));
            let share = (n > 0).then(|| old as f64 / n as f64);
            put(&a.id, names::STALE_SHARE.into(), share);
        }
    }
    for code in names::DISTANCE_RESPONSES {
        for (area, row) in distances(region, &all, sites, code) {
            for (m, v) in [
                ("mean_km", row.mean_km),
                ("p90_km", row.p90_km),
                ("share_beyond", row.share_beyond),
                ("access_per_1000", row.access_per_1000),
            ] {
                put(&area, names::distance(code, m), v);
            }
        }
    }
    let mut out = Vec::new();
    for a in &all {
        let Some(mut rows) = by_area.remove(a.id.as_str()) else {
            continue;
        };
        rows.sort_by(|x, y| x.0.cmp(&y.0));
        out.extend(rows.into_iter().map(|(indicator, value)| Reading {
            area: a.id.clone(),
            indicator,
            value,
        }));
    }
    out
}

/// The coverage rows of every area, per indicator, as `/api/coverage` gives them: each
/// municipality's row, and the region row of each sub-region's municipalities (as
/// `/api/coverage?region=` gives it) and of them all.
fn coverage_rows(
    region: &Region,
    all: &[Area],
    sites: &[Site],
) -> Vec<(Indicator, HashMap<String, CoverageRow>)> {
    Indicator::ALL
        .into_iter()
        .map(|indicator| {
            let target = |a: &Area| match indicator {
                Indicator::Elderly => a.targets.elderly,
                Indicator::EarlyChildhood => a.targets.early_childhood,
            };
            let mut rows = HashMap::new();
            for a in all.iter().filter(|a| a.kind != Kind::Municipality) {
                let report = coverage::compute(
                    indicator,
                    region
                        .municipalities
                        .iter()
                        .filter(|m| a.municipalities.contains(&m.code)),
                    sites.iter(),
                    &region.taxonomy,
                    target(a),
                );
                // A municipality's rate, places and population are its own wherever counted.
                if a.kind == Kind::Region {
                    for m in report.municipalities {
                        rows.insert(m.code.clone(), m);
                    }
                }
                rows.insert(a.id.clone(), report.region);
            }
            (indicator, rows)
        })
        .collect()
}

/// Places and services per (municipality, response), for the responses kept.
fn counts<'a>(
    sites: &'a [Site],
    responses: &BTreeSet<String>,
) -> HashMap<(&'a str, &'a str), (u64, u64)> {
    let mut out: HashMap<(&str, &str), (u64, u64)> = HashMap::new();
    for s in sites.iter().filter(|s| responses.contains(&s.type_code)) {
        let e = out
            .entry((s.municipality.as_str(), s.type_code.as_str()))
            .or_default();
        e.0 += u64::from(s.capacity.unwrap_or(0));
        e.1 += 1;
    }
    out
}

/// The distance indicators of one response in every area.
fn distances(region: &Region, all: &[Area], sites: &[Site], code: &str) -> Vec<(String, GapRow)> {
    let types = vec![code.to_string()];
    let target = Target::for_types(&region.taxonomy, &types);
    let of_type: Vec<&Site> = sites.iter().filter(|s| s.type_code == code).collect();
    let groups: Vec<Group> = all
        .iter()
        .filter(|a| a.kind == Kind::SubRegion)
        .map(|a| Group {
            id: a.id.clone(),
            municipalities: a.municipalities.clone(),
        })
        .collect();
    let (report, group_rows) = access::compute_grouped(
        &region.municipalities,
        &region.surface,
        &of_type,
        &types,
        target,
        &Params::default(),
        &groups,
    );
    report
        .municipalities
        .into_iter()
        .chain(group_rows)
        .map(|r| (r.code.clone(), r))
        .chain(std::iter::once((region.id.clone(), report.region)))
        .collect()
}

/// The responses of services, and the coverage indicators' and distance indicators' own
/// (kept even where there are none, so that their series go on at zero).
pub fn responses_of(sites: &[Site]) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = sites.iter().map(|s| s.type_code.clone()).collect();
    for i in Indicator::ALL {
        out.extend(i.response_codes().iter().map(|c| c.to_string()));
    }
    out.extend(names::DISTANCE_RESPONSES.iter().map(|c| c.to_string()));
    out
}
