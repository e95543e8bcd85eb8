//! Consistency checks and the quality report.
//!
//! [`checks`] holds the field validators every record goes through in
//! [`crate::ingest::convert`]; [`duplicates`] finds the same service listed by several sources
//! and merges it, keeping every source's provenance; [`report`] gathers per-source counts, the
//! issues and the merges into a [`Report`] printed as text, JSON or an HTML page. Nothing is
//! dropped silently: a rejected record is an error issue that says why.
pub mod checks;
pub mod duplicates;
mod html;
mod names;
pub mod report;

pub use checks::PostalLookup;
pub use duplicates::{likely_same, merge, Merge};
pub use report::{Lang, Report, SourceSummary};

use crate::region::Loaded;

/// Merges likely duplicates among a loaded region's services (in place) and builds the
/// report of the load: per-source counts, every issue, every merge.
pub fn review(loaded: &mut Loaded, generated: &str) -> Report {
    let services = std::mem::take(&mut loaded.region.services);
    let (services, merges) = merge(services);
    loaded.region.services = services;
    Report::from_issues(
        generated,
        loaded.sources.clone(),
        loaded.issues.clone(),
        merges,
    )
}
