//! The names of the indicators kept over time, one per measure:
//!
//! | name | what |
//! |---|---|
//! | `coverage.elderly.rate`, `coverage.early_childhood.rate` | Carta Social's coverage rate (x100), as `/api/coverage` |
//! | `coverage.<indicator>.capacity` | the places it counts |
//! | `coverage.<indicator>.population` | the target population it divides by |
//! | `places.<RESPONSE>` | places of a response (e.g. `places.ERPI`) |
//! | `services.<RESPONSE>` | services of a response |
//! | `distance.<RESPONSE>.mean_km`, `.p90_km`, `.share_beyond`, `.access_per_1000` | the distance indicators of `/api/gaps` for ERPI, Centro de Dia, SAD and Creche, with its default distances |
//! | `records`, `stale.records`, `stale.share` | services, those not confirmed for a year, and their share |
use crate::coverage::Indicator;
use crate::taxonomy::Taxonomy;
use crate::{Error, Result};

/// The responses whose distance indicators are kept: ERPI, Centro de Dia, SAD and Creche.
pub const DISTANCE_RESPONSES: [&str; 4] = ["ERPI", "CENTRO_DIA", "SAD_IDOSOS", "CRECHE"];

/// The distance measures kept for each of [`DISTANCE_RESPONSES`], as `/api/gaps` names them.
pub const DISTANCE_MEASURES: [&str; 4] = ["mean_km", "p90_km", "share_beyond", "access_per_1000"];

/// What is kept of each coverage indicator.
pub const COVERAGE_MEASURES: [&str; 3] = ["rate", "capacity", "population"];

/// Services in the area.
pub const RECORDS: &str = "records";
/// Services not confirmed for a year (or never).
pub const STALE_RECORDS: &str = "stale.records";
/// Their share of the services.
pub const STALE_SHARE: &str = "stale.share";

/// `coverage.<indicator>.<measure>`.
pub fn coverage(indicator: Indicator, measure: &str) -> String {
    format!("coverage.{}.{measure}", indicator.key())
}

/// `places.<RESPONSE>`.
pub fn places(response: &str) -> String {
    format!("places.{response}")
}

/// `services.<RESPONSE>`.
pub fn services(response: &str) -> String {
    format!("services.{response}")
}

/// `distance.<RESPONSE>.<measure>`.
pub fn distance(response: &str, measure: &str) -> String {
    format!("distance.{response}.{measure}")
}

/// Checks an indicator's name against the vocabulary and the taxonomy; a bad one is a bad
/// `param`, naming the forms accepted.
///
/// ```
/// let tax = bussola::taxonomy::Taxonomy::default_taxonomy().unwrap();
/// assert!(bussola::trends::indicators::check("places.ERPI", &tax, "indicator").is_ok());
/// assert!(bussola::trends::indicators::check("places.LAR", &tax, "indicator").is_err());
/// ```
pub fn check(name: &str, taxonomy: &Taxonomy, param: &str) -> Result<()> {
    let parts: Vec<&str> = name.split('.').collect();
    let known = match parts.as_slice() {
        ["coverage", ind, m] => Indicator::parse(ind).is_some() && COVERAGE_MEASURES.contains(m),
        ["places" | "services", r] => taxonomy.get(r).is_some(),
        ["distance", r, m] => DISTANCE_RESPONSES.contains(r) && DISTANCE_MEASURES.contains(m),
        [w] => *w == RECORDS,
        ["stale", "records" | "share"] => true,
        _ => false,
    };
    if known {
        return Ok(());
    }
    Err(Error::param(
        param,
        format!(
            "unknown indicator '{name}'; one of coverage.elderly|early_childhood.rate|capacity|population, \
             places.<RESPONSE>, services.<RESPONSE> (codes of /api/taxonomy), \
             distance.{}.{}, records, stale.records, stale.share",
            DISTANCE_RESPONSES.join("|"),
            DISTANCE_MEASURES.join("|")
        ),
    ))
}
