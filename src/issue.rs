//! Problems found in data: an [`Issue`] names the file, the place and the field, with a
//! [`Severity`]; a [`SourceSummary`] says what one source file gave. The shared vocabulary of
//! the loaders (`region`, `ingest`, `geocode`) and of `quality`, so it sits at the bottom of the
//! layers; `region` and `quality` re-export it.
use serde::Serialize;
use std::path::{Path, PathBuf};

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth a look; the record is kept.
    Warning,
    /// The record is left out.
    Error,
}

/// One problem found in a region's data.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Issue {
    /// How serious it is.
    pub severity: Severity,
    /// The file.
    pub file: PathBuf,
    /// Where in the file ("line 4", "feature 12").
    pub place: Option<String>,
    /// The field.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for Issue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sev = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(f, "{sev}: {}", self.file.display())?;
        if let Some(p) = &self.place {
            write!(f, ", {p}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", field '{field}'")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Collects issues for one file.
#[derive(Debug)]
pub struct Issues<'a> {
    /// The file the issues are about.
    pub file: &'a Path,
    /// Where they go.
    pub list: &'a mut Vec<Issue>,
}

impl Issues<'_> {
    /// Adds an issue at `place`.
    pub fn push(
        &mut self,
        severity: Severity,
        place: &str,
        field: Option<&str>,
        message: impl Into<String>,
    ) {
        self.list.push(Issue {
            severity,
            file: self.file.to_path_buf(),
            place: Some(place.to_string()),
            field: field.map(str::to_string),
            message: message.into(),
        });
    }
}

/// What one source file gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct SourceSummary {
    /// The source label.
    pub source: String,
    /// The file.
    pub file: PathBuf,
    /// Records in the file (after the manifest's filter), those left out while reading included.
    pub records: usize,
    /// Records turned into services.
    pub accepted: usize,
    /// Records left out, each with an error issue saying why.
    pub rejected: usize,
    /// Warnings about this file's records.
    pub warnings: usize,
    /// The file holds invented demonstration services (`demo = true` in the manifest), not real ones.
    #[serde(default)]
    pub demo: bool,
    /// SHA-256 of the file as read, to tell a new edition of it at a restart.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}
