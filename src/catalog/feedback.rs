//! Citizens' reports of wrong records, and each source's quality report.
use super::{Catalog, REGION_REPORT};
use crate::{Error, Result};

impl Catalog {
    /// Stores a citizen's report that a service's record is wrong (checked first; the service
    /// must exist).
    pub fn report_problem(
        &self,
        service_id: &str,
        report: &crate::feedback::NewFeedback,
    ) -> Result<crate::feedback::Feedback> {
        let (problem, note) = self.check_report(service_id, report)?;
        self.store.add_feedback(
            service_id,
            problem,
            note.as_deref(),
            &crate::feedback::now_utc(),
        )
    }

    /// Checks a report without storing it: the problem and note, and that the service exists.
    pub fn check_report(
        &self,
        service_id: &str,
        report: &crate::feedback::NewFeedback,
    ) -> Result<(crate::feedback::Problem, Option<String>)> {
        let checked = report.check()?;
        if self.read()?.get(service_id).is_none() {
            return Err(Error::NotFound {
                what: "service",
                id: service_id.to_string(),
            });
        }
        Ok(checked)
    }

    /// The reports about a service (all when `None`), newest first.
    pub fn feedback(&self, service_id: Option<&str>) -> Result<Vec<crate::feedback::Feedback>> {
        self.store.feedback(service_id)
    }

    /// The reports an account may act on (about services it may edit), newest first; only
    /// open ones unless `all`.
    pub fn feedback_for(
        &self,
        user: &crate::account::User,
        all: bool,
    ) -> Result<Vec<crate::feedback::Feedback>> {
        let index = self.read()?;
        Ok(self
            .store
            .feedback(None)?
            .into_iter()
            .filter(|f| all || f.status == crate::feedback::Status::Open)
            .filter(|f| index.get(&f.service_id).is_some_and(|s| user.may_edit(s)))
            .collect())
    }

    /// Marks a report resolved, if the account may act on its service.
    pub fn resolve_feedback(&self, user: &crate::account::User, id: i64) -> Result<()> {
        let found = self.store.feedback(None)?.into_iter().find(|f| f.id == id);
        let Some(f) = found else {
            return Err(Error::NotFound {
                what: "report",
                id: id.to_string(),
            });
        };
        let allowed = self
            .read()?
            .get(&f.service_id)
            .is_some_and(|s| user.may_edit(s));
        if !allowed {
            return Err(Error::refused(
                crate::error::Refusal::Forbidden,
                "this report is about a service you may not edit",
            ));
        }
        self.store.resolve_feedback(id)?;
        Ok(())
    }

    /// Keeps a source's latest quality report.
    pub fn put_report(&self, source: &str, report: &crate::quality::Report) -> Result<()> {
        self.store.put_report(source, report)
    }

    /// The latest quality report of every source, by source.
    pub fn reports(&self) -> Result<Vec<(String, crate::quality::Report)>> {
        self.store.reports()
    }

    /// The quality report of the data served: the region's own load (see [`REGION_REPORT`])
    /// and each source's latest import, as one report, naming no server path (see
    /// [`crate::quality::Report::without_server_paths`]).
    pub fn quality(&self) -> Result<crate::quality::Report> {
        let mut reports = Vec::new();
        for (source, r) in self.reports()? {
            // The region's own files first, then sources by label.
            let rank = usize::from(source != REGION_REPORT);
            reports.push((rank, source, r));
        }
        reports.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        Ok(
            crate::quality::Report::combine(reports.into_iter().map(|(_, _, r)| r).collect())
                .without_server_paths(),
        )
    }
}
