//! The records of indicators kept over time, as the [`super::Trends`] store keeps them.
use serde::Serialize;

/// One value of one indicator in one area at one time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorPoint {
    /// What makes the point one of a kind: `d2026-03-05` (the day's point), `v123` (after the
    /// write that made data version 123). A point's (area, indicator, bucket) is stored once.
    #[serde(skip)]
    pub bucket: String,
    /// When the value held (RFC 3339, UTC, to the second).
    pub at: String,
    /// A municipality code, a sub-region's id or the region's id.
    pub area: String,
    /// The indicator's name (`coverage.elderly.rate`, `places.ERPI`, …).
    pub indicator: String,
    /// The value; `None` when there is none (no population figure, no service anywhere).
    pub value: Option<f64>,
    /// Rebuilt afterwards from the change history rather than recorded at the time.
    pub reconstructed: bool,
    /// How it was made: `daily`, `change` or `backfill`.
    pub source: String,
}

/// A published value to compare with (Carta Social's yearly figures, say).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReferenceValue {
    /// The day it refers to (YYYY-MM-DD).
    pub date: String,
    /// A municipality code, a sub-region's id or the region's id.
    pub area: String,
    /// The indicator's name.
    pub indicator: String,
    /// The value.
    pub value: f64,
    /// Who published it.
    pub source: String,
}

/// An event found between two consecutive values of an indicator.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alert {
    /// The bucket of the point that showed it (an alert is stored once per area, kind,
    /// indicator and bucket).
    #[serde(skip)]
    pub bucket: String,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// The area it is about.
    pub area: String,
    /// What happened: `below_target`, `below_regional`, `lost_last_service`, `stale_records`.
    pub kind: String,
    /// The indicator that showed it.
    pub indicator: String,
    /// Its value before.
    pub before: Option<f64>,
    /// Its value after.
    pub after: Option<f64>,
    /// The line it crossed (the target, the regional rate, the share of stale records).
    pub threshold: Option<f64>,
}

/// Which points (or reference values) to read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PointQuery {
    /// Only these areas (all when empty).
    pub areas: Vec<String>,
    /// Only these indicators (all when empty).
    pub indicators: Vec<String>,
    /// From this time on (RFC 3339, inclusive; reference values: from its day).
    pub from: Option<String>,
    /// Up to this time (RFC 3339, inclusive; reference values: up to its day).
    pub to: Option<String>,
}
