//! Use counts: added up per service and day, summed over a period, in the order asked.
use super::Open;
use bussola::store::{UsageCount, UsageTotals};
use std::path::Path;

fn count(id: &str, day: &str, views: u64, found: u64, contacts: u64) -> UsageCount {
    UsageCount {
        service_id: id.into(),
        day: day.into(),
        views,
        found,
        contacts,
    }
}

pub fn counts_add_up_per_day_and_period(open: &Open, dir: &Path) {
    let store = open(dir);
    store
        .add_usage(&[
            count("a", "2026-11-30", 1, 2, 0),
            count("b", "2026-12-01", 5, 0, 1),
        ])
        .unwrap();
    // The same service and day again: added to what is there.
    store
        .add_usage(&[
            count("a", "2026-11-30", 1, 0, 3),
            count("a", "2026-12-02", 10, 10, 10),
        ])
        .unwrap();
    store.add_usage(&[]).unwrap();
    let ids = ["b".to_string(), "a".to_string(), "never".to_string()];
    let totals = |since: &str| store.usage(&ids, since).unwrap();
    let t = |id: &str, views, found, contacts| UsageTotals {
        service_id: id.into(),
        views,
        found,
        contacts,
    };
    assert_eq!(
        totals("2026-01-01"),
        [t("b", 5, 0, 1), t("a", 12, 12, 13), t("never", 0, 0, 0)]
    );
    assert_eq!(
        totals("2026-12-01"),
        [t("b", 5, 0, 1), t("a", 10, 10, 10), t("never", 0, 0, 0)],
        "from a day on, that day included"
    );
}
