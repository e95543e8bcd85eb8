//! Past days rebuilt from the change history, for the time before indicators were recorded.
//!
//! Starting from the services as they are now, the applied changes that move the indicators
//! (places, positions, services opened and closed) are undone newest first, and at the end of
//! each day on which one of them went live (and of the day before the first) every indicator
//! is computed as [`super::snapshot`] does now. The points are marked `reconstructed` with
//! source `backfill`. They are as right as the history is complete: writes that left no row
//! (imports before the history kept them, confirmations) are not undone, and the staleness of
//! records is not rebuilt.
use super::snapshot::{self, Reading, Site};
use super::{day_of, day_text};
use crate::catalog::history_rows::{CLOSED, OPENED};
use crate::catalog::Catalog;
use crate::region::Region;
use crate::store::{Change, ChangeQuery, ChangeStatus, IndicatorPoint, Subject};
use crate::Result;
use serde_json::Value;
use std::collections::BTreeMap;

/// The fields whose changes move the indicators.
const MOVING: [&str; 4] = ["capacity", "position", OPENED, CLOSED];

/// What a backfill stores as its points' source.
pub const SOURCE: &str = "backfill";

/// When a change went live (Unix seconds): its decision after review, else its submission.
pub fn effective(c: &Change) -> i64 {
    c.decided.unwrap_or(c.change.created)
}

/// A `[lon, lat]` value.
fn position(v: &Value) -> Option<(f64, f64)> {
    match v.as_array()?.as_slice() {
        [lon, lat] => Some((lon.as_f64()?, lat.as_f64()?)),
        _ => None,
    }
}

/// Places as a history value keeps them (`null`: unknown).
fn places(v: &Value) -> Option<u32> {
    v.as_u64().and_then(|n| u32::try_from(n).ok())
}

/// A service as an opening or closing row keeps it.
fn site_of(id: &str, v: &Value) -> Option<Site> {
    let (lon, lat) = position(&v["position"])?;
    Some(Site {
        id: id.to_string(),
        type_code: v["type"].as_str()?.to_string(),
        municipality: v["municipality"].as_str()?.to_string(),
        lon,
        lat,
        capacity: places(&v["capacity"]),
    })
}

/// Undoes one applied change: the services as they were just before it.
pub fn undo(sites: &mut BTreeMap<String, Site>, c: &Change, region: &Region) {
    let id = c.change.service_id.as_str();
    let old = &c.change.old;
    match c.change.field.as_str() {
        "capacity" => {
            if let Some(s) = sites.get_mut(id) {
                s.capacity = places(old);
            }
        }
        "position" => {
            if let (Some(s), Some((lon, lat))) = (sites.get_mut(id), position(old)) {
                (s.lon, s.lat) = (lon, lat);
                // An edit of the position moves the service to the municipality it falls in.
                if let Some(m) = region.municipality_at(lon, lat) {
                    s.municipality.clone_from(&m.code);
                }
            }
        }
        OPENED => {
            sites.remove(id);
        }
        CLOSED => {
            if let Some(s) = site_of(id, old) {
                sites.insert(id.to_string(), s);
            }
        }
        _ => {}
    }
}

/// The days to rebuild, newest first: each day before `until` (days since 1970-01-01) on which
/// a change went live, and the day before the first.
pub fn days(changes: &[Change], until: i64) -> Vec<i64> {
    let mut out: Vec<i64> = changes.iter().map(|c| day_of(effective(c))).collect();
    if let Some(first) = out.iter().min().copied() {
        out.push(first - 1);
    }
    out.retain(|d| *d < until);
    out.sort_unstable_by(|a, b| b.cmp(a));
    out.dedup();
    out
}

/// The readings at the end of each of `days` (newest first), rebuilt from the services now
/// (`current`) by undoing `changes` (applied ones that move the indicators).
pub fn rebuild(
    region: &Region,
    current: Vec<Site>,
    changes: &[Change],
    days: &[i64],
) -> Vec<(i64, Vec<Reading>)> {
    let mut sites: BTreeMap<String, Site> =
        current.into_iter().map(|s| (s.id.clone(), s)).collect();
    let mut newest_first: Vec<&Change> = changes.iter().collect();
    newest_first.sort_by_key(|c| std::cmp::Reverse((effective(c), c.id)));
    let mut next = newest_first.into_iter().peekable();
    let mut out = Vec::with_capacity(days.len());
    for &day in days {
        let end = (day + 1) * 86_400;
        while let Some(c) = next.next_if(|c| effective(c) >= end) {
            undo(&mut sites, c, region);
        }
        let all: Vec<Site> = sites.values().cloned().collect();
        let responses = snapshot::responses_of(&all);
        out.push((day, snapshot::readings(region, &all, &responses, None)));
    }
    out
}

/// The points of a rebuilt day: at its last second, reconstructed.
pub fn points(day: i64, readings: Vec<Reading>) -> Vec<IndicatorPoint> {
    let date = day_text(day);
    readings
        .into_iter()
        .map(|r| IndicatorPoint {
            bucket: format!("d{date}"),
            at: format!("{date}T23:59:59Z"),
            area: r.area,
            indicator: r.indicator,
            value: r.value,
            reconstructed: true,
            source: SOURCE.into(),
        })
        .collect()
}

/// Rebuilds the days before indicators were first recorded (or before today, on `now`) that
/// the history allows and that are not stored yet; how many points it stored.
pub fn run(cat: &Catalog, now: i64) -> Result<usize> {
    let store = cat.store();
    let today = day_of(now);
    let until = store
        .first_recorded()?
        .and_then(|at| crate::quality::checks::days_from_iso(at.get(..10)?))
        .map_or(today, |d| d.min(today));
    let changes: Vec<Change> = store
        .changes(&ChangeQuery {
            status: Some(ChangeStatus::Applied),
            subject: Some(Subject::Service),
            service_id: None,
        })?
        .into_iter()
        .filter(|c| MOVING.contains(&c.change.field.as_str()))
        .collect();
    let mut wanted = Vec::new();
    for day in days(&changes, until) {
        if !store.has_bucket(&format!("d{}", day_text(day)))? {
            wanted.push(day);
        }
    }
    if wanted.is_empty() {
        return Ok(0);
    }
    let current: Vec<Site> = cat.with_briefs(|it| it.map(Site::of).collect());
    let mut stored = 0;
    for (day, readings) in rebuild(cat.region(), current, &changes, &wanted) {
        stored += store.add_points(&points(day, readings))?;
    }
    Ok(stored)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::ChangeFields;
    use serde_json::json;

    fn change(id: i64, created: i64, decided: Option<i64>) -> Change {
        Change {
            id,
            change: ChangeFields {
                subject: Subject::Service,
                service_id: "s".into(),
                field: "capacity".into(),
                old: json!(10),
                new: json!(20),
                user_id: None,
                role: None,
                source: "provider".into(),
                created,
                reverts: None,
            },
            status: ChangeStatus::Applied,
            decided_by: None,
            decided,
        }
    }

    #[test]
    fn the_days_rebuilt_are_those_a_change_went_live_and_the_day_before_the_first() {
        let day = 86_400;
        // Submitted on day 100, approved on day 103; two on day 105.
        let changes = [
            change(1, 100 * day + 5, Some(103 * day)),
            change(2, 105 * day, None),
            change(3, 105 * day + 7, None),
        ];
        assert_eq!(days(&changes, 200), [105, 103, 102]);
        assert_eq!(
            days(&changes, 105),
            [103, 102],
            "recording began on day 105"
        );
        assert!(days(&[], 200).is_empty());
    }

    #[test]
    fn an_opening_a_closing_and_places_are_undone() {
        let site = |id: &str, capacity| Site {
            id: id.into(),
            type_code: "ERPI".into(),
            municipality: "0701".into(),
            lon: -7.4,
            lat: 38.7,
            capacity,
        };
        let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/demo-alentejo-central/region.toml");
        let region = Region::load(&manifest).unwrap().region;
        let mut sites: BTreeMap<String, Site> = [("a".to_string(), site("a", Some(20)))].into();
        let mut c = change(1, 0, None);
        c.change.service_id = "a".into();
        undo(&mut sites, &c, &region);
        assert_eq!(sites["a"].capacity, Some(10));
        c.change.field = OPENED.into();
        undo(&mut sites, &c, &region);
        assert!(sites.is_empty());
        c.change.field = CLOSED.into();
        c.change.old = json!({"type": "ERPI", "municipality": "0701", "capacity": null,
                              "position": [-7.4, 38.7]});
        undo(&mut sites, &c, &region);
        assert_eq!(sites["a"], site("a", None));
        // Moved from Évora's seat: back in Évora (0705).
        c.change.field = "position".into();
        c.change.old = json!([-7.9, 38.56667]);
        undo(&mut sites, &c, &region);
        assert_eq!(
            (
                sites["a"].lon,
                sites["a"].lat,
                sites["a"].municipality.as_str()
            ),
            (-7.9, 38.56667, "0705")
        );
    }
}
