//! Indicators kept over time (issue #18): what the region's indicators were, day by day and
//! after each change, so that policy makers see where care is getting better or worse.
//!
//! - [`areas`]: the areas a point is about (municipalities, sub-regions, the region), with the
//!   ids `/api/coverage` uses;
//! - [`indicators`]: the indicators' names (`coverage.elderly.rate`, `places.ERPI`, …);
//! - [`snapshot`]: every indicator of every area computed from a set of services, with the
//!   coverage ([`crate::coverage`]) and distance ([`crate::access`]) code the API uses;
//! - [`recorder`]: recording a snapshot (the day's, or after a change) and the task that does
//!   it after writes (debounced) and at least daily;
//! - [`backfill`]: past days rebuilt from the change history, marked reconstructed;
//! - [`reference`](mod@reference): published values to compare with, from a CSV file;
//! - [`series`]: one indicator of one area between two times, as JSON or CSV;
//! - [`alerts`]: events between consecutive points and their Atom feed;
//! - [`summary`]: what changed between two dates, per municipality.
//!
//! Knows nothing of HTTP: `api::trends` is thin over it.
pub mod alerts;
pub mod areas;
pub mod backfill;
pub mod indicators;
pub mod recorder;
pub mod reference;
pub mod series;
pub mod snapshot;
pub mod summary;

/// A day (days since 1970-01-01) as `YYYY-MM-DD`.
pub fn day_text(day: i64) -> String {
    crate::quality::checks::iso_from_days(day)
}

/// The day (days since 1970-01-01) of Unix seconds, in UTC.
pub fn day_of(secs: i64) -> i64 {
    secs.div_euclid(86_400)
}
