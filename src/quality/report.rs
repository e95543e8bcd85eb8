//! The quality report: counts per source, every issue and every merge, as text, JSON
//! (`serde`) or a self-contained HTML page.
use super::duplicates::Merge;
use crate::issue::{Issue, Severity};
use serde::{Deserialize, Serialize};
use std::fmt::Write;
use std::path::{Component, Path, PathBuf};

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

    /// The report as the public may see it: every file named relative to the first of
    /// `bases` (the region manifests' folders) that holds it, else by its file name alone;
    /// never by a path of the server's. Relative paths (as typed at the command line) are
    /// taken from the working directory.
    pub fn with_public_paths(mut self, bases: &[PathBuf]) -> Report {
        let bases: Vec<PathBuf> = bases.iter().map(|b| full_path(b)).collect();
        self.map_files(|f| public_path(f, &bases));
        self
    }

    /// The report with any file it names by a path that is not plainly relative (absolute,
    /// or going up with `..`) named by its file name alone: what a public page shows of a
    /// report stored before [`Report::with_public_paths`] was applied to it.
    pub fn without_server_paths(mut self) -> Report {
        self.map_files(|f| {
            let plain = f
                .components()
                .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
            if plain {
                f.to_path_buf()
            } else {
                file_name(f)
            }
        });
        self
    }

    fn map_files(&mut self, f: impl Fn(&Path) -> PathBuf) {
        for s in &mut self.sources {
            s.file = f(&s.file);
        }
        for i in &mut self.issues {
            i.file = f(&i.file);
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

/// `file` relative to the first of `bases` (full paths) that holds it, else its file name.
fn public_path(file: &Path, bases: &[PathBuf]) -> PathBuf {
    let full = full_path(file);
    bases
        .iter()
        .filter_map(|b| full.strip_prefix(b).ok())
        .find(|rest| !rest.as_os_str().is_empty())
        .map_or_else(|| file_name(file), Path::to_path_buf)
}

/// The last component of a path (empty when it has none).
fn file_name(file: &Path) -> PathBuf {
    file.file_name().map(PathBuf::from).unwrap_or_default()
}

/// A path made absolute: resolved on disk when it exists, else from the working directory
/// with `.` and `..` taken out.
fn full_path(p: &Path) -> PathBuf {
    // A manifest in the working directory has the empty path as its folder.
    let p = if p.as_os_str().is_empty() {
        Path::new(".")
    } else {
        p
    };
    if let Ok(real) = p.canonicalize() {
        return real;
    }
    let joined = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
