//! Carta Social's coverage indicators (capacity over target population) and gap classes.
//!
//! - older people: capacity of ERPI + Centro de Dia + SAD over the population aged 65+, x100;
//! - early childhood: capacity of Creche + Ama + Ama (Creche Familiar) over the population aged
//!   0–2, x100, or over three times the live births where the 0–2 band is not published (each
//!   row says which).
//!
//! These are the responses Carta Social counts (tp 2107, 2103, 2101; 1103, 1101, 1102).
use crate::model::{Facts, Municipality};
use crate::region::manifest::Links;
use crate::taxonomy::Taxonomy;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// A coverage indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    /// Older people: ERPI + Centro de Dia + SAD over people aged 65+.
    Elderly,
    /// Early childhood: Creche + Ama + Creche familiar over children aged 0–2.
    EarlyChildhood,
}

impl Indicator {
    /// All indicators.
    pub const ALL: [Indicator; 2] = [Indicator::Elderly, Indicator::EarlyChildhood];

    /// Parses `elderly` or `early_childhood`.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "elderly" => Some(Self::Elderly),
            "early_childhood" => Some(Self::EarlyChildhood),
            _ => None,
        }
    }

    /// The API name.
    pub fn key(self) -> &'static str {
        match self {
            Self::Elderly => "elderly",
            Self::EarlyChildhood => "early_childhood",
        }
    }

    /// The response codes whose capacity counts.
    pub fn response_codes(self) -> &'static [&'static str] {
        match self {
            Self::Elderly => &["ERPI", "CENTRO_DIA", "SAD_IDOSOS"],
            Self::EarlyChildhood => &["CRECHE", "AMA", "CRECHE_FAMILIAR"],
        }
    }
}

/// Which population the rate divides by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Residents aged 65 or more.
    #[serde(rename = "age_65_plus")]
    Age65Plus,
    /// Residents aged 0 to 2.
    #[serde(rename = "age_0_2")]
    Age0To2,
    /// Three times the live births of a year (proxy for ages 0–2).
    #[serde(rename = "live_births_x3")]
    LiveBirthsTimes3,
    /// No population figure is available.
    Missing,
}

/// Where a municipality stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GapClass {
    /// No population figure: no rate.
    NoData,
    /// No places at all.
    NoPlaces,
    /// Below the regional rate.
    BelowRegional,
    /// At or above the regional rate but below the target.
    BelowTarget,
    /// At or above the target.
    MeetsTarget,
}

/// The coverage of one municipality (or of the whole region).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageRow {
    /// Municipality code, or `region`.
    pub code: String,
    /// Name.
    pub name: String,
    /// The id of the region the municipality belongs to (for the region row: the region's).
    pub region: String,
    /// Which population the rate divides by.
    pub basis: Basis,
    /// The target population; `None` when the data does not give it ("no data").
    pub population: Option<u64>,
    /// Places in the indicator's responses.
    pub capacity: u64,
    /// Services of the indicator's responses.
    pub services: u64,
    /// Of those, services with no published capacity (counted as 0 places).
    pub services_without_capacity: u64,
    /// Capacity over population, x100; `None` when there is no population figure, or when
    /// every service of the indicator's responses lacks a published capacity (e.g. OSM creches).
    pub rate: Option<f64>,
    /// Where it stands against the region and the target.
    pub gap_class: GapClass,
    /// All services by target group.
    pub services_by_group: BTreeMap<String, u64>,
    /// All capacity by target group.
    pub capacity_by_group: BTreeMap<String, u64>,
    /// Carta Social's own listing of each response behind the indicator in the municipality
    /// (none for the region row; see [`attach_official_listings`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub official_listings: Vec<OfficialListing>,
}

/// A link to Carta Social's listing of one response in one municipality.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OfficialListing {
    /// Bússola's response code, e.g. `ERPI`.
    #[serde(rename = "type")]
    pub type_code: String,
    /// Carta Social's response code, e.g. `2107`.
    pub tp: String,
    /// The address of the listing.
    pub url: String,
}

/// Gives each municipality row the official listing of every response behind the indicator
/// that Carta Social codes (a response without a `tp` has no listing to link to).
pub fn attach_official_listings(report: &mut CoverageReport, taxonomy: &Taxonomy, links: &Links) {
    let responses: Vec<_> = report
        .responses
        .iter()
        .filter_map(|c| taxonomy.get(c))
        .filter_map(|r| Some((r.code.as_str(), r.tp.as_deref()?, r.subarea.as_deref()?)))
        .collect();
    for row in &mut report.municipalities {
        row.official_listings = responses
            .iter()
            .filter_map(|&(code, tp, vt)| {
                Some(OfficialListing {
                    type_code: code.to_string(),
                    tp: tp.to_string(),
                    url: links.official_listing(vt, tp, &row.code)?,
                })
            })
            .collect();
    }
}

/// The coverage report for one indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageReport {
    /// The indicator.
    pub indicator: Indicator,
    /// Response codes counted.
    pub responses: Vec<String>,
    /// The target rate (x100).
    pub target: f64,
    /// The whole region.
    pub region: CoverageRow,
    /// One row per municipality, in code order.
    pub municipalities: Vec<CoverageRow>,
}

impl CoverageRow {
    fn empty(code: &str, name: &str, basis: Basis, population: Option<u64>) -> Self {
        CoverageRow {
            code: code.to_string(),
            name: name.to_string(),
            region: String::new(),
            basis,
            population,
            capacity: 0,
            services: 0,
            services_without_capacity: 0,
            rate: None,
            gap_class: GapClass::NoData,
            services_by_group: BTreeMap::new(),
            capacity_by_group: BTreeMap::new(),
            official_listings: Vec::new(),
        }
    }
}

fn basis_and_population(indicator: Indicator, m: &Municipality) -> (Basis, Option<u64>) {
    let p = &m.population;
    match indicator {
        Indicator::Elderly => match p.age_65_plus {
            Some(n) => (Basis::Age65Plus, Some(n)),
            None => (Basis::Missing, None),
        },
        Indicator::EarlyChildhood => match (p.age_0_2, p.live_births) {
            (Some(n), _) => (Basis::Age0To2, Some(n)),
            (None, Some(b)) => (Basis::LiveBirthsTimes3, Some(3 * b)),
            (None, None) => (Basis::Missing, None),
        },
    }
}

fn rate(capacity: u64, population: Option<u64>) -> Option<f64> {
    population
        .filter(|&p| p > 0)
        .map(|p| capacity as f64 * 100.0 / p as f64)
}

/// Computes the report for `indicator` over the region's municipalities and services.
///
/// Services whose municipality is not in `municipalities` are left out.
///
/// ```
/// # use bussola::{coverage::*, model::*, taxonomy::Taxonomy};
/// let tax = Taxonomy::default_taxonomy().unwrap();
/// let mut m = bussola::demo::example_municipality();
/// m.population.age_65_plus = Some(200);
/// let mut s = bussola::demo::example_service();
/// s.municipality = m.code.clone(); s.type_code = "ERPI".into(); s.capacity = Some(30);
/// let r = compute(Indicator::Elderly, &[m], [&s], &tax, 12.0);
/// assert_eq!(r.municipalities[0].rate, Some(15.0));
/// ```
pub fn compute<'m, S: Facts>(
    indicator: Indicator,
    municipalities: impl IntoIterator<Item = &'m Municipality>,
    services: impl IntoIterator<Item = S>,
    taxonomy: &Taxonomy,
    target: f64,
) -> CoverageReport {
    let mut rows: Vec<CoverageRow> = municipalities
        .into_iter()
        .map(|m| {
            let (basis, population) = basis_and_population(indicator, m);
            CoverageRow {
                region: m.region.clone(),
                ..CoverageRow::empty(&m.code, &m.name, basis, population)
            }
        })
        .collect();
    rows.sort_by(|a, b| a.code.cmp(&b.code));
    let at: HashMap<String, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r.code.clone(), i))
        .collect();
    let codes = indicator.response_codes();
    for s in services {
        let Some(&i) = at.get(s.municipality()) else {
            continue;
        };
        let row = &mut rows[i];
        let cap = u64::from(s.capacity().unwrap_or(0));
        if let Some(group) = taxonomy.get(s.type_code()).map(|r| r.group.clone()) {
            *row.services_by_group.entry(group.clone()).or_default() += 1;
            *row.capacity_by_group.entry(group).or_default() += cap;
        }
        if codes.contains(&s.type_code()) {
            row.services += 1;
            row.capacity += cap;
            if s.capacity().is_none() {
                row.services_without_capacity += 1;
            }
        }
    }
    let first_basis = rows.first().map_or(Basis::Missing, |r| r.basis);
    let mut region = CoverageRow::empty("region", "", first_basis, None);
    // The region's rate counts the municipalities with a rate only: places where the target
    // population is unknown would otherwise inflate it, and unknown places deflate it.
    let mut counted = 0;
    for r in &mut rows {
        // Services there but none with a capacity: the places are unknown, not zero.
        let unknown = r.services > 0 && r.services_without_capacity == r.services;
        r.rate = if unknown {
            None
        } else {
            rate(r.capacity, r.population)
        };
        if let (Some(p), Some(_)) = (r.population, r.rate) {
            region.population = Some(region.population.unwrap_or(0) + p);
            counted += r.capacity;
        }
        region.capacity += r.capacity;
        region.services += r.services;
        region.services_without_capacity += r.services_without_capacity;
        region.basis = region.basis.weaker(r.basis);
        for (g, n) in &r.services_by_group {
            *region.services_by_group.entry(g.clone()).or_default() += n;
        }
        for (g, n) in &r.capacity_by_group {
            *region.capacity_by_group.entry(g.clone()).or_default() += n;
        }
    }
    region.rate = rate(counted, region.population);
    region.gap_class = classify(region.capacity, region.rate, region.rate, target);
    for r in &mut rows {
        r.gap_class = classify(r.capacity, r.rate, region.rate, target);
    }
    CoverageReport {
        indicator,
        responses: codes.iter().map(|c| c.to_string()).collect(),
        target,
        region,
        municipalities: rows,
    }
}

impl Basis {
    /// For a region whose rows differ, the weaker basis is the one to report.
    fn weaker(self, other: Basis) -> Basis {
        let rank = |b: Basis| match b {
            Basis::Missing => 0,
            Basis::LiveBirthsTimes3 => 1,
            Basis::Age0To2 | Basis::Age65Plus => 2,
        };
        if rank(other) < rank(self) {
            other
        } else {
            self
        }
    }
}

/// The gap class of a rate against the regional rate and the target.
pub fn classify(capacity: u64, rate: Option<f64>, regional: Option<f64>, target: f64) -> GapClass {
    let Some(rate) = rate else {
        return GapClass::NoData;
    };
    if capacity == 0 {
        GapClass::NoPlaces
    } else if regional.is_some_and(|r| rate < r) {
        GapClass::BelowRegional
    } else if rate < target {
        GapClass::BelowTarget
    } else {
        GapClass::MeetsTarget
    }
}

/// The report as CSV: one row per municipality, then the region.
pub fn to_csv(report: &CoverageReport) -> String {
    let mut out = String::from(
        "code,name,indicator,basis,population,capacity,services,services_without_capacity,rate,gap_class,region\n",
    );
    for r in report
        .municipalities
        .iter()
        .chain(std::iter::once(&report.region))
    {
        let name = crate::text::csv_text(&r.name);
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{}\n",
            crate::text::csv_text(&r.code),
            name,
            report.indicator.key(),
            enum_str(&r.basis),
            r.population.map(|p| p.to_string()).unwrap_or_default(),
            r.capacity,
            r.services,
            r.services_without_capacity,
            r.rate.map(|v| format!("{v:.2}")).unwrap_or_default(),
            enum_str(&r.gap_class),
            r.region,
        ));
    }
    out
}

fn enum_str<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

#[cfg(test)]
#[path = "coverage_tests.rs"]
mod tests;
