//! Quality reports, citizens' reports and survey answers in PostgreSQL.
use super::{parse, PostgresStore};
use crate::feedback::{Feedback, Problem, Status};
use crate::quality::Report;
use crate::store::{Reports, StoreError};
use crate::Result;
use postgres::types::Json;
use std::collections::BTreeMap;

impl Reports for PostgresStore {
    fn put_report(&self, source: &str, report: &Report) -> Result<()> {
        self.run(|conn| {
            conn.execute(
                "INSERT INTO reports(source, report) VALUES ($1, $2)
                 ON CONFLICT (source) DO UPDATE SET report = excluded.report",
                &[&source, &Json(report)],
            )?;
            Ok(())
        })
    }

    fn reports(&self) -> Result<Vec<(String, Report)>> {
        self.run(|conn| {
            let rows = conn.query(
                "SELECT source, report::text FROM reports ORDER BY source",
                &[],
            )?;
            rows.iter()
                .map(|r| {
                    let source: String = r.try_get(0)?;
                    let report = parse(format!("report of {source}"), r.try_get(1)?)?;
                    Ok((source, report))
                })
                .collect()
        })
    }

    fn add_feedback(
        &self,
        service_id: &str,
        problem: Problem,
        note: Option<&str>,
        created: &str,
    ) -> Result<Feedback> {
        let id: i64 = self.run(|conn| {
            Ok(conn
                .query_one(
                    "INSERT INTO feedback(service_id, problem, note, created)
                     VALUES ($1, $2, $3, $4) RETURNING id",
                    &[&service_id, &problem.code(), &note, &created],
                )?
                .try_get(0)?)
        })?;
        Ok(Feedback {
            id,
            service_id: service_id.to_string(),
            problem,
            note: note.map(str::to_string),
            created: created.to_string(),
            status: Status::Open,
        })
    }

    fn feedback(&self, service_id: Option<&str>) -> Result<Vec<Feedback>> {
        self.run(|conn| {
            let rows = conn.query(
                "SELECT id, service_id, problem, note, created, status FROM feedback
                 WHERE $1::text IS NULL OR service_id = $1 ORDER BY id DESC",
                &[&service_id],
            )?;
            rows.iter()
                .map(|r| {
                    let id: i64 = r.try_get(0)?;
                    let problem: &str = r.try_get(2)?;
                    Ok(Feedback {
                        id,
                        service_id: r.try_get(1)?,
                        problem: Problem::parse(problem).ok_or_else(|| {
                            StoreError::corrupt(
                                format!("feedback {id}"),
                                format!("problem '{problem}'"),
                            )
                        })?,
                        note: r.try_get(3)?,
                        created: r.try_get(4)?,
                        status: if r.try_get::<_, &str>(5)? == "resolved" {
                            Status::Resolved
                        } else {
                            Status::Open
                        },
                    })
                })
                .collect()
        })
    }

    fn resolve_feedback(&self, id: i64) -> Result<bool> {
        self.run(|conn| {
            let n = conn.execute(
                "UPDATE feedback SET status = 'resolved' WHERE id = $1 AND status = 'open'",
                &[&id],
            )?;
            Ok(n > 0)
        })
    }

    fn add_survey_answers(
        &self,
        audience: &str,
        role: Option<&str>,
        answers: &BTreeMap<String, serde_json::Value>,
        created: &str,
    ) -> Result<i64> {
        self.run(|conn| {
            Ok(conn
                .query_one(
                    "INSERT INTO survey_answers(created, audience, role, answers)
                     VALUES ($1, $2, $3, $4) RETURNING id",
                    &[&created, &audience, &role, &Json(answers)],
                )?
                .try_get(0)?)
        })
    }

    fn survey_answers(&self) -> Result<Vec<crate::survey::AnswerSet>> {
        self.run(|conn| {
            let rows = conn.query(
                "SELECT id, created, audience, role, answers::text FROM survey_answers ORDER BY id",
                &[],
            )?;
            rows.iter()
                .map(|r| {
                    let id: i64 = r.try_get(0)?;
                    Ok(crate::survey::AnswerSet {
                        id,
                        created: r.try_get(1)?,
                        audience: r.try_get(2)?,
                        role: r.try_get(3)?,
                        answers: parse(format!("survey answers {id}"), r.try_get(4)?)?,
                    })
                })
                .collect()
        })
    }
}
