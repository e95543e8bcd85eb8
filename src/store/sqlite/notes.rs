//! Quality reports, citizens' reports and survey answers in SQLite.
use super::SqliteStore;
use crate::quality::Report;
use crate::store::{Reports, StoreError};
use crate::Result;
use rusqlite::params;
use std::collections::BTreeMap;

impl Reports for SqliteStore {
    fn put_report(&self, source: &str, report: &Report) -> Result<()> {
        let json = serde_json::to_string(report)
            .map_err(|e| StoreError::backend(format!("report of {source}"), e))?;
        self.lock()?.execute(
            "INSERT OR REPLACE INTO reports(source, json) VALUES (?1, ?2)",
            [source, json.as_str()],
        )?;
        Ok(())
    }

    fn reports(&self) -> Result<Vec<(String, Report)>> {
        let conn = self.lock()?;
        let mut stmt = conn.prepare("SELECT source, json FROM reports ORDER BY source")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (source, json) = row?;
            let report = serde_json::from_str(&json)
                .map_err(|e| StoreError::corrupt(format!("report of {source}"), e))?;
            out.push((source, report));
        }
        Ok(out)
    }

    fn add_feedback(
        &self,
        service_id: &str,
        problem: crate::feedback::Problem,
        note: Option<&str>,
        created: &str,
    ) -> Result<crate::feedback::Feedback> {
        let conn = self.lock()?;
        conn.execute(
            "INSERT INTO feedback(service_id, problem, note, created) VALUES (?1, ?2, ?3, ?4)",
            params![service_id, problem.code(), note, created],
        )?;
        Ok(crate::feedback::Feedback {
            id: conn.last_insert_rowid(),
            service_id: service_id.to_string(),
            problem,
            note: note.map(str::to_string),
            created: created.to_string(),
            status: crate::feedback::Status::Open,
        })
    }

    fn feedback(&self, service_id: Option<&str>) -> Result<Vec<crate::feedback::Feedback>> {
        use crate::feedback::{Feedback, Problem, Status};
        let conn = self.lock()?;
        let mut stmt = conn.prepare(
            "SELECT id, service_id, problem, note, created, status FROM feedback
             WHERE ?1 IS NULL OR service_id = ?1 ORDER BY id DESC",
        )?;
        let rows = stmt.query_map([service_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, service_id, problem, note, created, status) = row?;
            out.push(Feedback {
                id,
                service_id,
                problem: Problem::parse(&problem).ok_or_else(|| {
                    StoreError::corrupt(format!("feedback {id}"), format!("problem '{problem}'"))
                })?,
                note,
                created,
                status: if status == "resolved" {
                    Status::Resolved
                } else {
                    Status::Open
                },
            });
        }
        Ok(out)
    }

    fn resolve_feedback(&self, id: i64) -> Result<bool> {
        let n = self.lock()?.execute(
            "UPDATE feedback SET status = 'resolved' WHERE id = ?1 AND status = 'open'",
            [id],
        )?;
        Ok(n > 0)
    }

    fn add_survey_answers(
        &self,
        audience: &str,
        role: Option<&str>,
        answers: &BTreeMap<String, serde_json::Value>,
        created: &str,
    ) -> Result<i64> {
        let answers =
            serde_json::to_string(answers).map_err(|e| StoreError::backend("survey answers", e))?;
        let conn = self.lock()?;
        conn.execute(
            "INSERT INTO survey_answers(created, audience, role, answers) VALUES (?1, ?2, ?3, ?4)",
            params![created, audience, role, answers],
        )?;
        Ok(conn.last_insert_rowid())
    }

    fn survey_answers(&self) -> Result<Vec<crate::survey::AnswerSet>> {
        let conn = self.lock()?;
        let mut stmt = conn.prepare(
            "SELECT id, created, audience, role, answers FROM survey_answers ORDER BY id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, created, audience, role, json) = row?;
            let answers = serde_json::from_str(&json)
                .map_err(|e| StoreError::corrupt(format!("survey answers {id}"), e))?;
            out.push(crate::survey::AnswerSet {
                id,
                created,
                audience,
                role,
                answers,
            });
        }
        Ok(out)
    }
}
