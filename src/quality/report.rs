//! The quality report: counts per source, every issue and every merge, as text, JSON
//! (`serde`) or a self-contained HTML page.
use super::duplicates::Merge;
use crate::issue::{Issue, Severity};
use serde::{Deserialize, Serialize};
use std::fmt::Write;
use std::path::PathBuf;

use super::html;
pub use super::html::escape;

/// Lives with the issues, in [`crate::issue`]; re-exported here.
pub use crate::issue::SourceSummary;

/// The quality report of one load or import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// When it was made (YYYY-MM-DD).
    pub generated: String,
    /// One summary per source file, in load order.
    pub sources: Vec<SourceSummary>,
    /// Issues, grouped by file (in order of first appearance), errors first within a file.
    pub issues: Vec<Issue>,
    /// Records merged into another as likely duplicates.
    pub merges: Vec<Merge>,
    /// Error issues.
    pub errors: usize,
    /// Warning issues plus merges.
    pub warnings: usize,
}

/// The language of the HTML page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Portuguese (the default).
    #[default]
    Pt,
    /// English.
    En,
}

impl Lang {
    /// From a `?lang=` value: `en` is English, anything else Portuguese.
    pub fn from_param(p: Option<&str>) -> Self {
        match p {
            Some(l) if l.eq_ignore_ascii_case("en") => Lang::En,
            _ => Lang::Pt,
        }
    }
}

impl Report {
    /// Notes each file read for this report that has changed since (its SHA-256 in `now`
    /// differs): one warning per file, once, saying its services are as read then. Returns
    /// the warnings added.
    pub fn note_new_editions(&mut self, now: &[SourceSummary]) -> Vec<Issue> {
        let mut added = Vec::new();
        for read in &self.sources {
            let current = now
                .iter()
                .find(|n| n.source == read.source && n.file == read.file)
                .and_then(|n| n.sha256.as_deref());
            let (Some(was), Some(is)) = (read.sha256.as_deref(), current) else {
                continue;
            };
            let issue = Issue {
                severity: crate::issue::Severity::Warning,
                file: read.file.clone(),
                place: None,
                field: None,
                message: format!(
                    "changed since it was read on {}: the services served are as read then; \
                     run `bussola import` to take in this edition",
                    self.generated
                ),
            };
            if was != is && !self.issues.contains(&issue) {
                added.push(issue);
            }
        }
        self.warnings += added.len();
        self.issues.extend(added.iter().cloned());
        added
    }

    /// Builds a report; issues are grouped by file and put errors first (otherwise in order).
    pub fn from_issues(
        generated: impl Into<String>,
        sources: Vec<SourceSummary>,
        mut issues: Vec<Issue>,
        merges: Vec<Merge>,
    ) -> Self {
        let mut files: Vec<PathBuf> = Vec::new();
        for i in &issues {
            if !files.contains(&i.file) {
                files.push(i.file.clone());
            }
        }
        let file_rank = |i: &Issue| files.iter().position(|f| *f == i.file);
        issues.sort_by_key(|i| (file_rank(i), std::cmp::Reverse(i.severity)));
        let errors = issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .count();
        let warnings = issues.len() - errors + merges.len();
        Report {
            generated: generated.into(),
            sources,
            issues,
            merges,
            errors,
            warnings,
        }
    }

    /// Several reports as one (e.g. the region's load and each source's latest import): the
    /// newest date, every source, issue and merge.
    pub fn combine(reports: Vec<Report>) -> Report {
        let generated = reports
            .iter()
            .map(|r| r.generated.clone())
            .max()
            .unwrap_or_default();
        let mut sources = Vec::new();
        let mut issues = Vec::new();
        let mut merges = Vec::new();
        for r in reports {
            sources.extend(r.sources);
            issues.extend(r.issues);
            merges.extend(r.merges);
        }
        Report::from_issues(generated, sources, issues, merges)
    }

    /// The report for a terminal: a line per source, then the issues by file, then merges.
    pub fn to_text(&self) -> String {
        let mut out = format!("Quality report, {}\n", self.generated);
        for s in &self.sources {
            let _ = writeln!(
                out,
                "  {} ({}, {}): {} records, {} accepted, {} rejected, {} warnings",
                s.file.display(),
                s.source,
                if s.demo {
                    "demonstration data"
                } else {
                    "real data"
                },
                s.records,
                s.accepted,
                s.rejected,
                s.warnings
            );
        }
        let _ = writeln!(
            out,
            "{} errors, {} warnings, {} merged",
            self.errors,
            self.warnings,
            self.merges.len()
        );
        // Whole lines (file, place, field) so each can be found with grep; a blank line
        // between files.
        let mut file = None;
        for i in &self.issues {
            if file != Some(&i.file) {
                out.push('\n');
                file = Some(&i.file);
            }
            let _ = writeln!(out, "{i}");
        }
        if !self.merges.is_empty() {
            out.push_str("\nmerged duplicates\n");
            for m in &self.merges {
                let _ = writeln!(out, "  warning: {}", m.message());
            }
        }
        out
    }

    /// The report as a self-contained HTML page in `lang`, with a link to the other language.
    pub fn to_html(&self, lang: Lang) -> String {
        html::page(self, lang)
    }
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
