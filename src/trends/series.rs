//! One indicator of one area between two times: its points, oldest first, and the reference
//! values published for it (`GET /api/trends`).
use super::areas::{self, Area};
use super::indicators;
use crate::catalog::Catalog;
use crate::store::{PointQuery, ReferenceValue};
use crate::text::csv_text;
use crate::{Error, Result};
use serde::Serialize;

/// One point of a series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// When the value held (RFC 3339, UTC).
    pub at: String,
    /// The value (`null`: none, e.g. no population figure).
    pub value: Option<f64>,
    /// Rebuilt afterwards from the change history.
    pub reconstructed: bool,
    /// `daily`, `change` or `backfill`.
    pub source: String,
}

/// A published value of the series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reference {
    /// The day it refers to.
    pub date: String,
    /// The value.
    pub value: f64,
    /// Who published it.
    pub source: String,
}

/// One indicator of one area between two times.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    /// The indicator's name.
    pub indicator: String,
    /// The area.
    pub area: Area,
    /// From (RFC 3339, inclusive), if bounded.
    pub from: Option<String>,
    /// To (RFC 3339, inclusive), if bounded.
    pub to: Option<String>,
    /// The points, oldest first.
    pub points: Vec<Point>,
    /// The reference values, by date.
    pub references: Vec<Reference>,
}

/// A bound of a period: a day (`from`: its first second, `to`: its last) or an RFC 3339 time,
/// as RFC 3339 in UTC.
fn bound(param: &str, s: &str, end: bool) -> Result<String> {
    if s.len() == 10 {
        let day = crate::quality::checks::days_from_iso(s)
            .filter(|d| crate::quality::checks::iso_from_days(*d) == s);
        if day.is_some() {
            return Ok(format!(
                "{s}T{}Z",
                if end { "23:59:59" } else { "00:00:00" }
            ));
        }
    }
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| crate::feed::rfc3339(t.timestamp()))
        .map_err(|_| {
            Error::param(
                param,
                format!("'{s}' is not a day (YYYY-MM-DD) or an RFC 3339 time"),
            )
        })
}

/// Checks a period's bounds (days or RFC 3339 times); as RFC 3339 in UTC.
pub fn period(from: Option<&str>, to: Option<&str>) -> Result<(Option<String>, Option<String>)> {
    let from = from.map(|f| bound("from", f, false)).transpose()?;
    let to = to.map(|t| bound("to", t, true)).transpose()?;
    if let (Some(f), Some(t)) = (&from, &to) {
        if f > t {
            return Err(Error::param("from", format!("{f} is after to ({t})")));
        }
    }
    Ok((from, to))
}

/// The series of an indicator (required) in an area (the whole region when `None`) between two
/// times (days or RFC 3339), with the reference values of those days.
pub fn series(
    cat: &Catalog,
    indicator: Option<&str>,
    area: Option<&str>,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Series> {
    let region = cat.region();
    let indicator = indicator.ok_or_else(|| {
        Error::param(
            "indicator",
            "is required, e.g. coverage.elderly.rate, places.ERPI or distance.CRECHE.mean_km",
        )
    })?;
    indicators::check(indicator, &region.taxonomy, "indicator")?;
    let area = areas::find(region, area.unwrap_or(&region.id), "area")?;
    let (from, to) = period(from, to)?;
    let q = PointQuery {
        areas: vec![area.id.clone()],
        indicators: vec![indicator.to_string()],
        from: from.clone(),
        to: to.clone(),
    };
    let points = cat
        .store()
        .points(&q)?
        .into_iter()
        .map(|p| Point {
            at: p.at,
            value: p.value,
            reconstructed: p.reconstructed,
            source: p.source,
        })
        .collect();
    let references = cat
        .store()
        .references(&q)?
        .into_iter()
        .map(|r: ReferenceValue| Reference {
            date: r.date,
            value: r.value,
            source: r.source,
        })
        .collect();
    Ok(Series {
        indicator: indicator.to_string(),
        area,
        from,
        to,
        points,
        references,
    })
}

/// A series as CSV: one row per point (`kind` point), then one per reference value (`kind`
/// reference, its day as `at`).
pub fn to_csv(s: &Series) -> String {
    let mut out = String::from("kind,at,area,indicator,value,reconstructed,source\n");
    let value = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
    for p in &s.points {
        out.push_str(&format!(
            "point,{},{},{},{},{},{}\n",
            p.at,
            csv_text(&s.area.id),
            s.indicator,
            value(p.value),
            p.reconstructed,
            p.source
        ));
    }
    for r in &s.references {
        out.push_str(&format!(
            "reference,{},{},{},{},false,{}\n",
            r.date,
            csv_text(&s.area.id),
            s.indicator,
            r.value,
            csv_text(&r.source)
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_days_or_times_in_utc() {
        assert_eq!(
            period(Some("2026-03-01"), Some("2026-03-02")).unwrap(),
            (
                Some("2026-03-01T00:00:00Z".into()),
                Some("2026-03-02T23:59:59Z".into())
            )
        );
        assert_eq!(
            period(Some("2026-03-01T10:00:00+01:00"), None).unwrap(),
            (Some("2026-03-01T09:00:00Z".into()), None)
        );
        for (from, to, param) in [
            ("2026-02-30", "2026-03-01", "from"),
            ("2026-03-01", "tomorrow", "to"),
            ("2026-03-02", "2026-03-01", "from"),
        ] {
            match period(Some(from), Some(to)) {
                Err(Error::InvalidParam { param: p, .. }) => assert_eq!(p, param, "{from} {to}"),
                other => panic!("{from} {to}: {other:?}"),
            }
        }
    }
}
