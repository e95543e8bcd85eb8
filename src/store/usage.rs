//! Daily use counts of services: how often each was viewed, found and contacted.
//!
//! Only counts per service and day are kept: no addresses, accounts or times of day.

/// What happened to a service, counted per day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsageKind {
    /// Its page or record was opened (`GET /api/services/{id}`).
    View,
    /// It was among the results of a "near me" search.
    Found,
    /// Someone followed one of its contact links.
    Contact,
}

/// Counts of one service on one day, to add to what is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageCount {
    /// The service.
    pub service_id: String,
    /// The day (YYYY-MM-DD).
    pub day: String,
    /// Times viewed.
    pub views: u64,
    /// Times found in a "near me" search.
    pub found: u64,
    /// Times contacted.
    pub contacts: u64,
}

/// A service's counts over a period.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct UsageTotals {
    /// The service.
    pub service_id: String,
    /// Times viewed.
    pub views: u64,
    /// Times found in a "near me" search.
    pub found: u64,
    /// Times contacted.
    pub contacts: u64,
}
