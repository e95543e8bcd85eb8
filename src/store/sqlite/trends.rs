//! Indicators over time, reference values and alerts in SQLite. Lists of areas and indicators
//! are passed as one JSON array (`json_each`), so every query is one prepared statement.
use super::SqliteStore;
use crate::store::{Alert, IndicatorPoint, PointQuery, ReferenceValue, Trends};
use crate::Result;
use rusqlite::{params, OptionalExtension, Row};

const POINT_COLUMNS: &str = "bucket, at, area, indicator, value, reconstructed, source";

fn point(r: &Row<'_>) -> rusqlite::Result<IndicatorPoint> {
    Ok(IndicatorPoint {
        bucket: r.get(0)?,
        at: r.get(1)?,
        area: r.get(2)?,
        indicator: r.get(3)?,
        value: r.get(4)?,
        reconstructed: r.get(5)?,
        source: r.get(6)?,
    })
}

/// A list as a JSON array, for `json_each`.
fn list(items: &[String]) -> String {
    serde_json::Value::from(items.to_vec()).to_string()
}

/// The query's filters as parameters ?1 (areas), ?2 (indicators), ?3 (from), ?4 (to).
const FILTER: &str = "(?1 = '[]' OR area IN (SELECT value FROM json_each(?1)))
    AND (?2 = '[]' OR indicator IN (SELECT value FROM json_each(?2)))";

impl Trends for SqliteStore {
    fn add_points(&self, points: &[IndicatorPoint]) -> Result<usize> {
        let mut conn = self.lock()?;
        let tx = conn.transaction()?;
        let mut added = 0;
        {
            let mut stmt = tx.prepare(
                "INSERT INTO indicator_points(bucket, at, area, indicator, value, reconstructed,
                   source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING",
            )?;
            for p in points {
                added += stmt.execute(params![
                    p.bucket,
                    p.at,
                    p.area,
                    p.indicator,
                    p.value,
                    p.reconstructed,
                    p.source
                ])?;
            }
        }
        tx.commit()?;
        Ok(added)
    }

    fn points(&self, q: &PointQuery) -> Result<Vec<IndicatorPoint>> {
        let conn = self.read()?;
        let sql = format!(
            "SELECT {POINT_COLUMNS} FROM indicator_points WHERE {FILTER}
             AND (?3 IS NULL OR at >= ?3) AND (?4 IS NULL OR at <= ?4)
             ORDER BY area, indicator, at, bucket"
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(
            params![list(&q.areas), list(&q.indicators), q.from, q.to],
            point,
        )?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn latest_points(&self) -> Result<Vec<IndicatorPoint>> {
        let conn = self.read()?;
        let sql = format!(
            "SELECT {POINT_COLUMNS} FROM (SELECT *, row_number() OVER (
                PARTITION BY area, indicator ORDER BY at DESC, bucket DESC) AS n
              FROM indicator_points) WHERE n = 1 ORDER BY area, indicator"
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([], point)?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn has_bucket(&self, bucket: &str) -> Result<bool> {
        let conn = self.read()?;
        let found: Option<i64> = conn
            .query_row(
                "SELECT 1 FROM indicator_points WHERE bucket = ?1 LIMIT 1",
                [bucket],
                |r| r.get(0),
            )
            .optional()?;
        Ok(found.is_some())
    }

    fn first_recorded(&self) -> Result<Option<String>> {
        let conn = self.read()?;
        Ok(conn.query_row(
            "SELECT min(at) FROM indicator_points WHERE reconstructed = 0",
            [],
            |r| r.get(0),
        )?)
    }

    fn put_references(&self, refs: &[ReferenceValue]) -> Result<usize> {
        let mut conn = self.lock()?;
        let tx = conn.transaction()?;
        {
            let mut stmt = tx.prepare(
                "INSERT INTO reference_values(date, area, indicator, source, value)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(area, indicator, date, source) DO UPDATE SET value = excluded.value",
            )?;
            for r in refs {
                stmt.execute(params![r.date, r.area, r.indicator, r.source, r.value])?;
            }
        }
        tx.commit()?;
        Ok(refs.len())
    }

    fn references(&self, q: &PointQuery) -> Result<Vec<ReferenceValue>> {
        let conn = self.read()?;
        let sql = format!(
            "SELECT date, area, indicator, value, source FROM reference_values WHERE {FILTER}
             AND (?3 IS NULL OR date >= substr(?3, 1, 10))
             AND (?4 IS NULL OR date <= substr(?4, 1, 10))
             ORDER BY area, indicator, date, source"
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(
            params![list(&q.areas), list(&q.indicators), q.from, q.to],
            |r| {
                Ok(ReferenceValue {
                    date: r.get(0)?,
                    area: r.get(1)?,
                    indicator: r.get(2)?,
                    value: r.get(3)?,
                    source: r.get(4)?,
                })
            },
        )?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    fn add_alerts(&self, alerts: &[Alert]) -> Result<usize> {
        let mut conn = self.lock()?;
        let tx = conn.transaction()?;
        let mut added = 0;
        {
            let mut stmt = tx.prepare(
                "INSERT INTO indicator_alerts(bucket, at, area, kind, indicator, before_value,
                   after_value, threshold) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT DO NOTHING",
            )?;
            for a in alerts {
                added += stmt.execute(params![
                    a.bucket,
                    a.at,
                    a.area,
                    a.kind,
                    a.indicator,
                    a.before,
                    a.after,
                    a.threshold
                ])?;
            }
        }
        tx.commit()?;
        Ok(added)
    }

    fn alerts(&self, areas: &[String], limit: usize) -> Result<Vec<Alert>> {
        let conn = self.read()?;
        let mut stmt = conn.prepare(
            "SELECT bucket, at, area, kind, indicator, before_value, after_value, threshold
             FROM indicator_alerts
             WHERE ?1 = '[]' OR area IN (SELECT value FROM json_each(?1))
             ORDER BY at DESC, area, kind, indicator LIMIT ?2",
        )?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = stmt.query_map(params![list(areas), limit], |r| {
            Ok(Alert {
                bucket: r.get(0)?,
                at: r.get(1)?,
                area: r.get(2)?,
                kind: r.get(3)?,
                indicator: r.get(4)?,
                before: r.get(5)?,
                after: r.get(6)?,
                threshold: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}
