//! Indicators over time, reference values and alerts in PostgreSQL. A batch is one statement
//! over arrays (`unnest`), and `ON CONFLICT DO NOTHING` lets replicas recording the same bucket
//! store it once. Text columns are `COLLATE "C"`, so times and names order as in SQLite.
use super::PostgresStore;
use crate::store::{Alert, IndicatorPoint, PointQuery, ReferenceValue, Trends};
use crate::Result;
use postgres::Row;

const POINT_COLUMNS: &str = "bucket, at, area, indicator, value, reconstructed, source";

fn point(r: &Row) -> Result<IndicatorPoint> {
    Ok(IndicatorPoint {
        bucket: r.try_get(0)?,
        at: r.try_get(1)?,
        area: r.try_get(2)?,
        indicator: r.try_get(3)?,
        value: r.try_get(4)?,
        reconstructed: r.try_get(5)?,
        source: r.try_get(6)?,
    })
}

fn alert(r: &Row) -> Result<Alert> {
    Ok(Alert {
        bucket: r.try_get(0)?,
        at: r.try_get(1)?,
        area: r.try_get(2)?,
        kind: r.try_get(3)?,
        indicator: r.try_get(4)?,
        before: r.try_get(5)?,
        after: r.try_get(6)?,
        threshold: r.try_get(7)?,
    })
}

/// The query's filters as parameters $1 (areas), $2 (indicators).
const FILTER: &str = "(cardinality($1::text[]) = 0 OR area = ANY($1))
    AND (cardinality($2::text[]) = 0 OR indicator = ANY($2))";

fn count(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

impl Trends for PostgresStore {
    fn add_points(&self, points: &[IndicatorPoint]) -> Result<usize> {
        if points.is_empty() {
            return Ok(0);
        }
        let col = |f: fn(&IndicatorPoint) -> &str| -> Vec<&str> { points.iter().map(f).collect() };
        let (buckets, ats) = (col(|p| &p.bucket), col(|p| &p.at));
        let (areas, indicators, sources) =
            (col(|p| &p.area), col(|p| &p.indicator), col(|p| &p.source));
        let values: Vec<Option<f64>> = points.iter().map(|p| p.value).collect();
        let rebuilt: Vec<bool> = points.iter().map(|p| p.reconstructed).collect();
        self.run(|conn| {
            let n = conn.execute(
                "INSERT INTO indicator_points(bucket, at, area, indicator, value, reconstructed,
                   source)
                 SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[],
                   $5::float8[], $6::bool[], $7::text[])
                 ON CONFLICT DO NOTHING",
                &[
                    &buckets,
                    &ats,
                    &areas,
                    &indicators,
                    &values,
                    &rebuilt,
                    &sources,
                ],
            )?;
            Ok(count(n))
        })
    }

    fn points(&self, q: &PointQuery) -> Result<Vec<IndicatorPoint>> {
        self.run(|conn| {
            let sql = format!(
                "SELECT {POINT_COLUMNS} FROM indicator_points WHERE {FILTER}
                 AND ($3::text IS NULL OR at >= $3) AND ($4::text IS NULL OR at <= $4)
                 ORDER BY area, indicator, at, bucket"
            );
            let rows = conn.query(&sql, &[&q.areas, &q.indicators, &q.from, &q.to])?;
            rows.iter().map(point).collect()
        })
    }

    fn latest_points(&self) -> Result<Vec<IndicatorPoint>> {
        self.run(|conn| {
            let sql = format!(
                "SELECT DISTINCT ON (area, indicator) {POINT_COLUMNS} FROM indicator_points
                 ORDER BY area, indicator, at DESC, bucket DESC"
            );
            let rows = conn.query(&sql, &[])?;
            rows.iter().map(point).collect()
        })
    }

    fn has_bucket(&self, bucket: &str) -> Result<bool> {
        self.run(|conn| {
            let row = conn.query_opt(
                "SELECT 1 FROM indicator_points WHERE bucket = $1 LIMIT 1",
                &[&bucket],
            )?;
            Ok(row.is_some())
        })
    }

    fn first_recorded(&self) -> Result<Option<String>> {
        self.run(|conn| {
            let row = conn.query_one(
                "SELECT min(at) FROM indicator_points WHERE NOT reconstructed",
                &[],
            )?;
            Ok(row.try_get(0)?)
        })
    }

    fn put_references(&self, refs: &[ReferenceValue]) -> Result<usize> {
        if refs.is_empty() {
            return Ok(0);
        }
        let col = |f: fn(&ReferenceValue) -> &str| -> Vec<&str> { refs.iter().map(f).collect() };
        let (dates, areas) = (col(|r| &r.date), col(|r| &r.area));
        let (indicators, sources) = (col(|r| &r.indicator), col(|r| &r.source));
        let values: Vec<f64> = refs.iter().map(|r| r.value).collect();
        self.run(|conn| {
            // A file naming one value twice: the last one stays, as in SQLite.
            let mut tx = conn.transaction()?;
            let put = tx.prepare(
                "INSERT INTO reference_values(date, area, indicator, source, value)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (area, indicator, date, source) DO UPDATE SET value = excluded.value",
            )?;
            for i in 0..refs.len() {
                tx.execute(
                    &put,
                    &[
                        &dates[i],
                        &areas[i],
                        &indicators[i],
                        &sources[i],
                        &values[i],
                    ],
                )?;
            }
            tx.commit()?;
            Ok(refs.len())
        })
    }

    fn references(&self, q: &PointQuery) -> Result<Vec<ReferenceValue>> {
        self.run(|conn| {
            let sql = format!(
                "SELECT date, area, indicator, value, source FROM reference_values WHERE {FILTER}
                 AND ($3::text IS NULL OR date >= left($3, 10))
                 AND ($4::text IS NULL OR date <= left($4, 10))
                 ORDER BY area, indicator, date, source"
            );
            let rows = conn.query(&sql, &[&q.areas, &q.indicators, &q.from, &q.to])?;
            rows.iter()
                .map(|r| {
                    Ok(ReferenceValue {
                        date: r.try_get(0)?,
                        area: r.try_get(1)?,
                        indicator: r.try_get(2)?,
                        value: r.try_get(3)?,
                        source: r.try_get(4)?,
                    })
                })
                .collect()
        })
    }

    fn add_alerts(&self, alerts: &[Alert]) -> Result<usize> {
        if alerts.is_empty() {
            return Ok(0);
        }
        let col = |f: fn(&Alert) -> &str| -> Vec<&str> { alerts.iter().map(f).collect() };
        let (buckets, ats, areas) = (col(|a| &a.bucket), col(|a| &a.at), col(|a| &a.area));
        let (kinds, indicators) = (col(|a| &a.kind), col(|a| &a.indicator));
        let num =
            |f: fn(&Alert) -> Option<f64>| -> Vec<Option<f64>> { alerts.iter().map(f).collect() };
        let (before, after, threshold) =
            (num(|a| a.before), num(|a| a.after), num(|a| a.threshold));
        self.run(|conn| {
            let n = conn.execute(
                "INSERT INTO indicator_alerts(bucket, at, area, kind, indicator, before_value,
                   after_value, threshold)
                 SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                   $6::float8[], $7::float8[], $8::float8[])
                 ON CONFLICT DO NOTHING",
                &[
                    &buckets,
                    &ats,
                    &areas,
                    &kinds,
                    &indicators,
                    &before,
                    &after,
                    &threshold,
                ],
            )?;
            Ok(count(n))
        })
    }

    fn alerts(&self, areas: &[String], limit: usize) -> Result<Vec<Alert>> {
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        self.run(|conn| {
            let rows = conn.query(
                "SELECT bucket, at, area, kind, indicator, before_value, after_value, threshold
                 FROM indicator_alerts
                 WHERE cardinality($1::text[]) = 0 OR area = ANY($1)
                 ORDER BY at DESC, area, kind, indicator LIMIT $2",
                &[&areas, &limit],
            )?;
            rows.iter().map(alert).collect()
        })
    }
}
