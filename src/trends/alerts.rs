//! Alerts a moderator can follow: events between an area's previous point of an indicator and
//! the new one, found when a snapshot is recorded, and their Atom feed (one per municipality,
//! sub-region and region; a feed of an area holds the alerts of the areas inside it).
//!
//! | kind | when |
//! |---|---|
//! | `below_target` | a coverage rate was at or above its target and is now below it |
//! | `below_regional` | a municipality's coverage rate was at or above its sub-region's (the region's, with one) and is now below it |
//! | `lost_last_service` | an area had services of a response and now has none |
//! | `stale_records` | the share of services not confirmed for a year reached [`STALE_SHARE`] (with at least [`STALE_MIN`] services) |
//!
//! Only points recorded at the time are compared: reconstructed ones never raise an alert.
use super::areas::{self, Area, Kind};
use super::indicators as names;
use super::snapshot::Reading;
use crate::coverage::Indicator;
use crate::feed::{self, Entry, Feed};
use crate::region::Region;
use crate::store::{Alert, IndicatorPoint};
use crate::Result;
use std::collections::HashMap;

/// A coverage rate fell below its target.
pub const BELOW_TARGET: &str = "below_target";
/// A municipality's coverage rate fell below its sub-region's.
pub const BELOW_REGIONAL: &str = "below_regional";
/// An area lost its last service of a response.
pub const LOST_LAST_SERVICE: &str = "lost_last_service";
/// Many records were not confirmed for a year.
pub const STALE_RECORDS: &str = "stale_records";

/// The share of services not confirmed for a year that counts as many.
pub const STALE_SHARE: f64 = 0.25;
/// The fewest services an area needs for its stale share to raise an alert.
pub const STALE_MIN: f64 = 5.0;

/// How many alerts a feed carries.
pub const FEED_ITEMS: usize = 100;

/// The latest points by (area, indicator).
pub type Latest = HashMap<(String, String), IndicatorPoint>;

/// The alerts between the latest points (those recorded at the time) and new readings; each
/// stamped with the new point's bucket and time.
pub fn between(
    region: &Region,
    latest: &Latest,
    now: &[Reading],
    bucket: &str,
    at: &str,
) -> Vec<Alert> {
    let all: HashMap<String, Area> = areas::all(region)
        .into_iter()
        .map(|a| (a.id.clone(), a))
        .collect();
    let current: HashMap<(&str, &str), Option<f64>> = now
        .iter()
        .map(|r| ((r.area.as_str(), r.indicator.as_str()), r.value))
        .collect();
    let before = |area: &str, indicator: &str| {
        latest
            .get(&(area.to_string(), indicator.to_string()))
            .filter(|p| !p.reconstructed)
            .and_then(|p| p.value)
    };
    let mut out = Vec::new();
    let mut alert = |r: &Reading, kind: &str, was: f64, threshold: f64| {
        out.push(Alert {
            bucket: bucket.to_string(),
            at: at.to_string(),
            area: r.area.clone(),
            kind: kind.to_string(),
            indicator: r.indicator.clone(),
            before: Some(was),
            after: r.value,
            threshold: Some(threshold),
        });
    };
    for r in now {
        let (Some(area), Some(is)) = (all.get(&r.area), r.value) else {
            continue;
        };
        let Some(was) = before(&r.area, &r.indicator) else {
            continue;
        };
        let parts: Vec<&str> = r.indicator.split('.').collect();
        match parts.as_slice() {
            ["coverage", ind, "rate"] => {
                let target = match Indicator::parse(ind) {
                    Some(Indicator::Elderly) => area.targets.elderly,
                    Some(Indicator::EarlyChildhood) => area.targets.early_childhood,
                    None => continue,
                };
                if was >= target && is < target {
                    alert(r, BELOW_TARGET, was, target);
                }
                let Some(within) = area
                    .within
                    .as_deref()
                    .filter(|_| area.kind == Kind::Municipality)
                else {
                    continue;
                };
                let regional_now = current
                    .get(&(within, r.indicator.as_str()))
                    .copied()
                    .flatten();
                let regional_was = before(within, &r.indicator);
                if let (Some(rn), Some(rw)) = (regional_now, regional_was) {
                    if was >= rw && is < rn {
                        alert(r, BELOW_REGIONAL, was, rn);
                    }
                }
            }
            ["services", _] if was > 0.0 && is == 0.0 => alert(r, LOST_LAST_SERVICE, was, 0.0),
            ["stale", "share"] if was < STALE_SHARE && is >= STALE_SHARE => {
                let records = current
                    .get(&(r.area.as_str(), names::RECORDS))
                    .copied()
                    .flatten();
                if records.is_some_and(|n| n >= STALE_MIN) {
                    alert(r, STALE_RECORDS, was, STALE_SHARE);
                }
            }
            _ => {}
        }
    }
    out
}

/// A number as a feed shows it: one decimal, no trailing `.0`.
fn num(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}

/// An alert's title (Portuguese, as the page) and summary (English).
fn words(a: &Alert, region: &Region, names_of: &HashMap<String, String>) -> (String, String) {
    let area = names_of
        .get(&a.area)
        .map_or(a.area.as_str(), String::as_str);
    let (was, is, line) = (
        a.before.map_or_else(|| "—".into(), num),
        a.after.map_or_else(|| "—".into(), num),
        a.threshold.map_or_else(|| "—".into(), num),
    );
    let which = |pt: &str, en: &str| (pt.to_string(), en.to_string());
    let (pt_ind, en_ind) = if a.indicator.contains("early_childhood") {
        which("primeira infância", "early childhood")
    } else {
        which("pessoas idosas", "older people")
    };
    match a.kind.as_str() {
        BELOW_TARGET => (
            format!("{area}: cobertura ({pt_ind}) abaixo da meta — {is} < {line}"),
            format!("{area}: coverage ({en_ind}) fell below the target {line}: {was} → {is}"),
        ),
        BELOW_REGIONAL => {
            let within = areas::all(region)
                .into_iter()
                .find(|x| x.id == a.area)
                .and_then(|x| x.within)
                .and_then(|w| names_of.get(&w).cloned())
                .unwrap_or_default();
            (
                format!("{area}: cobertura ({pt_ind}) abaixo da taxa de {within} — {is} < {line}"),
                format!(
                    "{area}: coverage ({en_ind}) fell below {within}'s rate {line}: {was} → {is}"
                ),
            )
        }
        LOST_LAST_SERVICE => {
            let code = a.indicator.trim_start_matches("services.");
            let response = region.taxonomy.get(code);
            let pt = response.map_or(code, |r| r.pt.as_str());
            let en = response.map_or(code, |r| r.en.as_str());
            (
                format!("{area}: já não tem nenhum serviço de {pt}"),
                format!("{area} lost its last service of {en} (there were {was})"),
            )
        }
        STALE_RECORDS => {
            let pct = |v: Option<f64>| v.map_or_else(|| "—".into(), |v| num(v * 100.0));
            (
                format!(
                    "{area}: {} % dos registos sem confirmação há mais de um ano",
                    pct(a.after)
                ),
                format!(
                    "{area}: {} % of records not confirmed for a year (was {} %)",
                    pct(a.after),
                    pct(a.before)
                ),
            )
        }
        other => (format!("{area}: {other}"), format!("{area}: {other}")),
    }
}

/// The feed of an area's alerts (and those of the areas inside it), newest first; `updated`
/// when there are none (RFC 3339).
pub fn atom(
    alerts: &[Alert],
    region: &Region,
    area: &Area,
    base: &str,
    updated: &str,
) -> Result<String> {
    let names_of: HashMap<String, String> = areas::all(region)
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    let entries = alerts
        .iter()
        .map(|a| {
            let (title, summary) = words(a, region, &names_of);
            let year = a.at.get(..4).unwrap_or("2026");
            Entry {
                id: feed::tag_uri(
                    base,
                    year,
                    &format!("alert/{}/{}/{}/{}", a.area, a.kind, a.indicator, a.bucket),
                ),
                title,
                updated: a.at.clone(),
                published: Some(a.at.clone()),
                summary: Some(summary),
                content_html: None,
                link: Some(format!(
                    "{base}/api/trends?indicator={}&area={}",
                    a.indicator, a.area
                )),
                categories: vec![
                    names_of.get(&a.area).cloned().unwrap_or_default(),
                    a.kind.clone(),
                ],
            }
        })
        .collect();
    let self_link = format!("{base}/feeds/alerts.atom?area={}", area.id);
    feed::to_atom(&Feed {
        id: self_link.clone(),
        title: format!("Bússola — {}: alertas", area.name),
        subtitle: Some(format!(
            "Indicadores de {}: cobertura abaixo da meta ou da taxa regional, respostas sem \
             serviços, registos por confirmar",
            area.name
        )),
        author: format!("Bússola — {}", region.name),
        updated: alerts.first().map_or(updated.to_string(), |a| a.at.clone()),
        self_link,
        alternate_link: Some(format!("{base}/")),
        entries,
    })
}

/// The feed of an area (the whole region when `None`): its alerts and those of the areas
/// inside it, links from `base`; `now` (Unix seconds) is its time while it has no alert.
pub fn feed(
    cat: &crate::catalog::Catalog,
    area: Option<&str>,
    base: &str,
    now: i64,
) -> Result<String> {
    let region = cat.region();
    let area = areas::find(region, area.unwrap_or(&region.id), "area")?;
    let inside = areas::within(region, &area);
    let alerts = cat.store().alerts(&inside, FEED_ITEMS)?;
    atom(&alerts, region, &area, base, &feed::rfc3339(now))
}
