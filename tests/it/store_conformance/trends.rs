//! Indicators over time: points stored once per area, indicator and bucket (so replicas
//! recording the same bucket store it once), read back by area, indicator and time; the latest
//! point of each series; reference values replaced by date, area, indicator and source; alerts
//! stored once, newest first.
use super::Open;
use bussola::store::{Alert, IndicatorPoint, PointQuery, ReferenceValue};
use std::path::Path;

fn point(
    bucket: &str,
    at: &str,
    area: &str,
    indicator: &str,
    value: Option<f64>,
) -> IndicatorPoint {
    IndicatorPoint {
        bucket: bucket.into(),
        at: at.into(),
        area: area.into(),
        indicator: indicator.into(),
        value,
        reconstructed: bucket.starts_with('b'),
        source: if bucket.starts_with('b') {
            "backfill"
        } else {
            "daily"
        }
        .into(),
    }
}

fn values(points: &[IndicatorPoint]) -> Vec<(String, String, String, Option<f64>)> {
    points
        .iter()
        .map(|p| (p.area.clone(), p.indicator.clone(), p.at.clone(), p.value))
        .collect()
}

pub fn points_are_stored_once_and_read_back_in_order(open: &Open, dir: &Path) {
    let store = open(dir);
    let rate = "coverage.elderly.rate";
    let day1 = vec![
        point(
            "b2026-01-09",
            "2026-01-09T23:59:59Z",
            "0701",
            rate,
            Some(9.5),
        ),
        point(
            "d2026-01-10",
            "2026-01-10T06:00:00Z",
            "0701",
            rate,
            Some(11.25),
        ),
        point("d2026-01-10", "2026-01-10T06:00:00Z", "0702", rate, None),
        point(
            "d2026-01-10",
            "2026-01-10T06:00:00Z",
            "0701",
            "places.ERPI",
            Some(54.0),
        ),
    ];
    assert_eq!(store.add_points(&day1).unwrap(), 4);
    // Another process recording the same bucket, with other values and time: nothing new.
    let mut again = day1.clone();
    again[1].value = Some(99.0);
    again[1].at = "2026-01-10T06:00:05Z".into();
    assert_eq!(store.add_points(&again).unwrap(), 0);
    let later = vec![point(
        "v7",
        "2026-01-12T10:30:00Z",
        "0701",
        rate,
        Some(10.5),
    )];
    assert_eq!(store.add_points(&later).unwrap(), 1);
    assert!(store.has_bucket("d2026-01-10").unwrap());
    assert!(!store.has_bucket("d2026-01-11").unwrap());
    assert_eq!(
        store.first_recorded().unwrap().as_deref(),
        Some("2026-01-10T06:00:00Z"),
        "reconstructed points are not recorded ones"
    );

    let all = store.points(&PointQuery::default()).unwrap();
    assert_eq!(all.len(), 5);
    let one = store
        .points(&PointQuery {
            areas: vec!["0701".into()],
            indicators: vec![rate.into()],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        values(&one),
        [
            (
                "0701".into(),
                rate.into(),
                "2026-01-09T23:59:59Z".into(),
                Some(9.5)
            ),
            (
                "0701".into(),
                rate.into(),
                "2026-01-10T06:00:00Z".into(),
                Some(11.25)
            ),
            (
                "0701".into(),
                rate.into(),
                "2026-01-12T10:30:00Z".into(),
                Some(10.5)
            ),
        ]
    );
    assert!(one[0].reconstructed && !one[1].reconstructed);
    assert_eq!(
        (one[0].source.as_str(), one[1].source.as_str()),
        ("backfill", "daily")
    );
    let between = store
        .points(&PointQuery {
            areas: vec!["0701".into(), "0702".into()],
            indicators: vec![rate.into()],
            from: Some("2026-01-10T00:00:00Z".into()),
            to: Some("2026-01-10T23:59:59Z".into()),
        })
        .unwrap();
    assert_eq!(
        values(&between),
        [
            (
                "0701".into(),
                rate.into(),
                "2026-01-10T06:00:00Z".into(),
                Some(11.25)
            ),
            (
                "0702".into(),
                rate.into(),
                "2026-01-10T06:00:00Z".into(),
                None
            ),
        ]
    );
    let latest = store.latest_points().unwrap();
    assert_eq!(
        values(&latest),
        [
            (
                "0701".into(),
                rate.into(),
                "2026-01-12T10:30:00Z".into(),
                Some(10.5)
            ),
            (
                "0701".into(),
                "places.ERPI".into(),
                "2026-01-10T06:00:00Z".into(),
                Some(54.0)
            ),
            (
                "0702".into(),
                rate.into(),
                "2026-01-10T06:00:00Z".into(),
                None
            ),
        ]
    );
    assert_eq!(latest[0].bucket, "v7");
}

pub fn reference_values_are_replaced_and_found_by_day(open: &Open, dir: &Path) {
    let store = open(dir);
    let r = |date: &str, area: &str, value: f64, source: &str| ReferenceValue {
        date: date.into(),
        area: area.into(),
        indicator: "coverage.elderly.rate".into(),
        value,
        source: source.into(),
    };
    let first = [
        r("2023-12-31", "0705", 14.2, "Carta Social 2023"),
        r("2022-12-31", "0705", 13.9, "Carta Social 2022"),
        r("2023-12-31", "0701", 10.0, "Carta Social 2023"),
    ];
    assert_eq!(store.put_references(&first).unwrap(), 3);
    assert_eq!(
        store
            .put_references(&[r("2023-12-31", "0705", 14.4, "Carta Social 2023")])
            .unwrap(),
        1
    );
    let found = store
        .references(&PointQuery {
            areas: vec!["0705".into()],
            indicators: vec!["coverage.elderly.rate".into()],
            from: Some("2023-01-01T00:00:00Z".into()),
            to: Some("2023-12-31T00:00:00Z".into()),
        })
        .unwrap();
    assert_eq!(found, [r("2023-12-31", "0705", 14.4, "Carta Social 2023")]);
    assert_eq!(store.references(&PointQuery::default()).unwrap().len(), 3);
}

pub fn alerts_are_stored_once_newest_first(open: &Open, dir: &Path) {
    let store = open(dir);
    let a = |bucket: &str, at: &str, area: &str, after: f64| Alert {
        bucket: bucket.into(),
        at: at.into(),
        area: area.into(),
        kind: "below_target".into(),
        indicator: "coverage.elderly.rate".into(),
        before: Some(13.0),
        after: Some(after),
        threshold: Some(12.0),
    };
    let batch = [
        a("v3", "2026-01-10T10:00:00Z", "0701", 11.5),
        a("v9", "2026-01-12T10:00:00Z", "0702", 11.0),
        a("v9", "2026-01-12T10:00:00Z", "0701", 10.0),
    ];
    assert_eq!(store.add_alerts(&batch).unwrap(), 3);
    assert_eq!(store.add_alerts(&batch[..1]).unwrap(), 0, "once");
    let all = store.alerts(&[], 10).unwrap();
    assert_eq!(all, [batch[2].clone(), batch[1].clone(), batch[0].clone()]);
    let one = store.alerts(&["0701".into()], 1).unwrap();
    assert_eq!(one, [batch[2].clone()]);
}
