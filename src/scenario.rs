//! "What if we opened a centre here?": indicators before and after hypothetical openings and
//! closures, computed on a copy of the services. The stored data is never touched.
use crate::access::{self, GapReport, GapRow, Params, Target};
use crate::coverage::{self, Indicator};
use crate::model::{Contact, Facts, Precision, Provider, Service};
use crate::region::Region;
use crate::{Error, Result};
use serde::Serialize;

/// A hypothetical new service.
#[derive(Debug, Clone, PartialEq)]
pub struct Opening {
    /// Response type code.
    pub type_code: String,
    /// Places.
    pub capacity: u32,
    /// Longitude.
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
    /// A label.
    pub name: Option<String>,
}

/// What to try.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scenario {
    /// Services to open.
    pub open: Vec<Opening>,
    /// Ids of services to close.
    pub close: Vec<String>,
    /// Response types to measure; by default those of the openings and closures.
    pub types: Vec<String>,
    /// Indicator parameters.
    pub params: Params,
}

/// One row's change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// Municipality code, or `region`.
    pub code: String,
    /// Name.
    pub name: String,
    /// Before.
    pub before: GapRow,
    /// After.
    pub after: GapRow,
    /// Target residents brought within the threshold (negative: pushed beyond it).
    pub people_gaining_access: f64,
}

/// The coverage rate of an indicator before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageChange {
    /// The indicator.
    pub indicator: Indicator,
    /// Municipality code, or `region`.
    pub code: String,
    /// Rate before (x100).
    pub before: Option<f64>,
    /// Rate after (x100).
    pub after: Option<f64>,
}

/// The outcome of a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// Types measured.
    pub types: Vec<String>,
    /// Their target residents.
    pub target: Target,
    /// Parameters.
    pub params: Params,
    /// One change per municipality, then the region.
    pub changes: Vec<Change>,
    /// Carta Social's coverage rates of the indicators the types belong to.
    pub coverage: Vec<CoverageChange>,
    /// Where each opening landed: its municipality's code (empty outside the region).
    pub openings: Vec<Landing>,
}

/// Where one hypothetical service landed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Landing {
    /// Its id in the scenario (`scenario-1`, ...).
    pub id: String,
    /// Its response type.
    pub r#type: String,
    /// The municipality it lies in; empty when outside the region.
    pub municipality: String,
}

/// Runs a scenario over a region's services (all of them, any type).
pub fn run<S: Facts>(region: &Region, services: &[S], s: &Scenario) -> Result<Outcome> {
    let tax = &region.taxonomy;
    for (i, o) in s.open.iter().enumerate() {
        if tax.get(&o.type_code).is_none() {
            return Err(Error::param(
                &format!("open[{i}].type"),
                format!("unknown response type '{}'", o.type_code),
            ));
        }
        if let Err((which, msg)) = crate::distance::check_lon_lat(o.lon, o.lat) {
            return Err(Error::param(&format!("open[{i}].{which}"), msg));
        }
    }
    for (i, id) in s.close.iter().enumerate() {
        if !services.iter().any(|x| x.id() == id) {
            return Err(Error::param(
                &format!("close[{i}]"),
                format!("no service '{id}'"),
            ));
        }
    }
    let mut types = s.types.clone();
    if types.is_empty() {
        types.extend(s.open.iter().map(|o| o.type_code.clone()));
        types.extend(
            services
                .iter()
                .filter(|x| s.close.iter().any(|c| c == x.id()))
                .map(|x| x.type_code().to_string()),
        );
        types.sort();
        types.dedup();
    }
    if types.is_empty() {
        return Err(Error::param(
            "types",
            "nothing to measure: open or close a service, or name types",
        ));
    }
    for (i, t) in types.iter().enumerate() {
        if tax.get(t).is_none() {
            return Err(Error::param(
                &format!("types[{i}]"),
                format!("unknown response type '{t}'"),
            ));
        }
    }
    let opened: Vec<Service> = s
        .open
        .iter()
        .enumerate()
        .map(|(i, o)| hypothetical(region, o, i))
        .collect();
    let openings = opened
        .iter()
        .map(|h| Landing {
            id: h.id.clone(),
            r#type: h.type_code.clone(),
            municipality: h.municipality.clone(),
        })
        .collect();
    let before: Vec<&dyn Facts> = services.iter().map(|x| x as &dyn Facts).collect();
    let after: Vec<&dyn Facts> = services
        .iter()
        .filter(|x| !s.close.iter().any(|c| c == x.id()))
        .map(|x| x as &dyn Facts)
        .chain(opened.iter().map(|h| h as &dyn Facts))
        .collect();
    let target = Target::for_types(tax, &types);
    let gaps = |all: &[&dyn Facts]| -> GapReport {
        let of_type: Vec<&dyn Facts> = all
            .iter()
            .copied()
            .filter(|x| types.iter().any(|t| t == x.type_code()))
            .collect();
        access::compute(
            &region.municipalities,
            &region.surface,
            &of_type,
            &types,
            target,
            &s.params,
        )
    };
    let (b, a) = (gaps(&before), gaps(&after));
    let changes = b
        .municipalities
        .iter()
        .chain(std::iter::once(&b.region))
        .zip(a.municipalities.iter().chain(std::iter::once(&a.region)))
        .map(|(before, after)| Change {
            code: before.code.clone(),
            name: if before.code == "region" {
                region.name.clone()
            } else {
                before.name.clone()
            },
            people_gaining_access: before.people_beyond.unwrap_or(0.0)
                - after.people_beyond.unwrap_or(0.0),
            before: before.clone(),
            after: after.clone(),
        })
        .collect();
    let mut cov = Vec::new();
    for ind in Indicator::ALL {
        if !types
            .iter()
            .any(|t| ind.response_codes().contains(&t.as_str()))
        {
            continue;
        }
        let target_rate = match ind {
            Indicator::Elderly => region.targets.elderly,
            Indicator::EarlyChildhood => region.targets.early_childhood,
        };
        let rb = coverage::compute(ind, &region.municipalities, &before, tax, target_rate);
        let ra = coverage::compute(ind, &region.municipalities, &after, tax, target_rate);
        for (x, y) in rb
            .municipalities
            .iter()
            .chain([&rb.region])
            .zip(ra.municipalities.iter().chain([&ra.region]))
        {
            cov.push(CoverageChange {
                indicator: ind,
                code: x.code.clone(),
                before: x.rate,
                after: y.rate,
            });
        }
    }
    Ok(Outcome {
        types,
        target,
        params: s.params,
        changes,
        coverage: cov,
        openings,
    })
}

fn hypothetical(region: &Region, o: &Opening, i: usize) -> Service {
    Service {
        id: format!("scenario-{}", i + 1),
        name: o
            .name
            .clone()
            .unwrap_or_else(|| format!("Hypothetical {}", o.type_code)),
        type_code: o.type_code.clone(),
        provider: Provider {
            id: "scenario".into(),
            name: "Scenario".into(),
            legal_nature: Default::default(),
            contact: Default::default(),
        },
        capacity: Some(o.capacity),
        users: None,
        vacancies: None,
        opening_hours: None,
        contact: Contact::default(),
        address: None,
        postal_code: None,
        locality: None,
        municipality: region
            .municipality_at(o.lon, o.lat)
            .map(|m| m.code.clone())
            .unwrap_or_default(),
        lon: o.lon,
        lat: o.lat,
        precision: Precision::Building,
        source: "scenario".into(),
        updated: None,
        demo: false,
        confirmed: None,
        vacancies_declared: None,
        provenance: Vec::new(),
    }
}
