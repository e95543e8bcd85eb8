//! Recording the indicators: a snapshot of the catalog as published now, stored as points, and
//! the task that records one after writes (once they have calmed down) and at least daily.
//!
//! The day's snapshot stores every indicator of every area once a day (bucket `dYYYY-MM-DD`);
//! a snapshot after a change stores only the values that differ from each series' latest point
//! (bucket `v<data version>`), so a write that moves one municipality adds a few points, not
//! thousands. Buckets make recording idempotent: replicas sharing a database that record the
//! same day or data version store it once (and the alerts found with it once).
use super::alerts::{self, Latest};
use super::snapshot::{self, Site, Staleness};
use super::{backfill, day_of, day_text};
use crate::catalog::Catalog;
use crate::freshness::{age, Age};
use crate::model::Facts;
use crate::store::IndicatorPoint;
use crate::Result;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Which snapshot to record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bucket {
    /// The day's: every value, once a day.
    Daily,
    /// After a change: the values that changed since each series' latest point.
    Change,
}

/// What a recording stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recorded {
    /// The bucket (`d2026-03-05`, `v123`); empty when nothing was computed (the day's
    /// snapshot was stored already).
    pub bucket: String,
    /// Points stored.
    pub points: usize,
    /// Alerts stored.
    pub alerts: usize,
}

/// Services per municipality and how many were not confirmed for a year, on `today`.
fn staleness(cat: &Catalog, today: i64) -> Result<Staleness> {
    cat.with_services(|it| {
        let mut out = Staleness::new();
        for s in it {
            let e = out.entry(s.municipality().to_string()).or_default();
            e.0 += 1;
            if age(s, today) == Age::Stale {
                e.1 += 1;
            }
        }
        out
    })
}

/// Records a snapshot of the catalog as published now, at `now` (Unix seconds): the points and
/// the alerts between them and each series' latest point. Blocks on the store.
pub fn record(cat: &Catalog, kind: Bucket, now: i64) -> Result<Recorded> {
    let store = cat.store();
    let today = day_of(now);
    let index = cat.snapshot();
    let (bucket, source) = match kind {
        Bucket::Daily => (format!("d{}", day_text(today)), "daily"),
        Bucket::Change => (format!("v{}", index.version()), "change"),
    };
    if kind == Bucket::Daily && store.has_bucket(&bucket)? {
        return Ok(Recorded::default());
    }
    let sites: Vec<Site> = index.iter().map(Site::of).collect();
    drop(index);
    let stale = staleness(cat, today)?;
    let latest: Latest = store
        .latest_points()?
        .into_iter()
        .map(|p| ((p.area.clone(), p.indicator.clone()), p))
        .collect();
    let mut responses = snapshot::responses_of(&sites);
    // A response whose last services closed gets its zero, once.
    responses.extend(latest.values().filter_map(|p| {
        let code = p.indicator.strip_prefix("services.")?;
        (p.value.unwrap_or(0.0) > 0.0).then(|| code.to_string())
    }));
    let readings = snapshot::readings(cat.region(), &sites, &responses, Some(&stale));
    let at = crate::feed::rfc3339(now);
    let found = alerts::between(cat.region(), &latest, &readings, &bucket, &at);
    let points: Vec<IndicatorPoint> = readings
        .into_iter()
        .filter(|r| {
            kind == Bucket::Daily
                || latest
                    .get(&(r.area.clone(), r.indicator.clone()))
                    .is_none_or(|p| p.value != r.value)
        })
        .map(|r| IndicatorPoint {
            bucket: bucket.clone(),
            at: at.clone(),
            area: r.area,
            indicator: r.indicator,
            value: r.value,
            reconstructed: false,
            source: source.into(),
        })
        .collect();
    Ok(Recorded {
        points: store.add_points(&points)?,
        alerts: store.add_alerts(&found)?,
        bucket,
    })
}

/// How often the recorder looks, and how long writes must be quiet before it records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pace {
    /// How often the data version is looked at.
    pub look: Duration,
    /// How long after the last write a change is recorded (a burst of writes is one point).
    pub calm: Duration,
}

impl Default for Pace {
    fn default() -> Self {
        Pace {
            look: Duration::from_secs(1),
            calm: Duration::from_secs(10),
        }
    }
}

/// Runs `f` on the catalog on a blocking thread; logs a failure as `what`.
async fn blocking<T: Send + 'static>(
    cat: &Arc<Catalog>,
    what: &str,
    f: impl FnOnce(&Catalog) -> Result<T> + Send + 'static,
) -> Option<T> {
    let cat = cat.clone();
    match tokio::task::spawn_blocking(move || f(&cat)).await {
        Ok(Ok(v)) => Some(v),
        Ok(Err(e)) => {
            tracing::warn!("{what}: {e}");
            None
        }
        Err(e) => {
            tracing::warn!("{what}: {e}");
            None
        }
    }
}

/// Keeps the indicators recorded until the program ends: first rebuilds what the change history
/// allows of the days before recording began ([`backfill::run`]), then records the day's
/// snapshot once a day and a change snapshot once writes (this process's or another's, as the
/// data version shows) have been quiet for `pace.calm`. A start counts as a change: writes made
/// while no process recorded are caught up.
pub async fn keep_recording(catalog: Arc<Catalog>, pace: Pace) {
    let now = crate::auth::now;
    if let Some(n) = blocking(&catalog, "rebuilding past indicators", move |c| {
        backfill::run(c, now())
    })
    .await
    {
        if n > 0 {
            tracing::info!("rebuilt {n} indicator points of past days from the change history");
        }
    }
    let mut seen = catalog.data_version();
    let mut changed = Some(
        Instant::now()
            .checked_sub(pace.calm)
            .unwrap_or_else(Instant::now),
    );
    let mut daily: Option<i64> = None;
    let mut tick = tokio::time::interval(pace.look);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let version = catalog.data_version();
        if version != seen {
            seen = version;
            changed = Some(Instant::now());
        }
        let today = day_of(now());
        if daily != Some(today) {
            let done = blocking(&catalog, "recording the day's indicators", move |c| {
                record(c, Bucket::Daily, now())
            })
            .await;
            if done.is_some() {
                daily = Some(today);
            }
        }
        if changed.is_some_and(|t| t.elapsed() >= pace.calm) {
            let done = blocking(&catalog, "recording indicators after a change", move |c| {
                record(c, Bucket::Change, now())
            })
            .await;
            if done.is_some() {
                changed = None;
            }
        }
    }
}
