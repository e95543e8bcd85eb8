//! Importing files into the catalog: every file is checked first ([`check`]), and only then
//! written ([`Checked::import`]), so a refused file stops an import before anything changes.
//! How a record meets what is stored is [`super::plan`].
use super::screen::{screen, Refusal};
use crate::issue::{Issue, Severity};
use crate::model::Service;
use serde::Serialize;

pub use super::plan::{plan, Held, Plan, SameService};

/// A file's records, checked and converted; nothing written yet.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The source label.
    pub source: String,
    /// The file.
    pub file: std::path::PathBuf,
    /// Records in the file, those left out while reading included.
    pub records: usize,
    /// The services that passed.
    pub services: Vec<Service>,
    /// Everything found wrong (a refusal included).
    pub issues: Vec<Issue>,
    /// Why the whole file is refused, when it is.
    pub refusal: Option<Refusal>,
    /// The file holds invented demonstration services.
    pub demo: bool,
}

/// Checks a batch: refused whole when most of its points are misplaced (see
/// [`super::screen`]), else converted record by record.
pub fn check(batch: &super::Batch, cx: &super::Context<'_>) -> Checked {
    let refusal = screen(batch, cx.region);
    let (services, issues) = match &refusal {
        Some(r) => {
            let mut issues = batch.issues.clone();
            issues.push(Issue {
                severity: Severity::Error,
                file: batch.file.clone(),
                place: None,
                field: Some("geometry".into()),
                message: r.to_string(),
            });
            (Vec::new(), issues)
        }
        None => super::convert_batch(batch, cx),
    };
    Checked {
        source: batch.source.clone(),
        file: batch.file.clone(),
        records: batch.records_in_file(),
        services,
        issues,
        refusal,
        demo: cx.demo,
    }
}

impl Checked {
    /// The outcome of `f` (a plan, or a plan written) on what passed; the catalog calls it.
    pub(crate) fn apply(
        self,
        f: impl FnOnce(Vec<Service>) -> crate::Result<Plan>,
    ) -> crate::Result<Outcome> {
        let accepted = self.services.len();
        Ok(Outcome {
            records: self.records,
            accepted,
            rejected: self.records - accepted,
            plan: f(self.services)?,
            source: self.source,
            file: self.file,
            issues: self.issues,
            demo: self.demo,
        })
    }
}

/// What importing one file did.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The source label.
    pub source: String,
    /// The file.
    pub file: std::path::PathBuf,
    /// Records in the file, those left out while reading included.
    pub records: usize,
    /// Records that passed the checks.
    pub accepted: usize,
    /// Records left out (each has an error issue saying why).
    pub rejected: usize,
    /// What changed in the store.
    pub plan: Plan,
    /// Everything found wrong.
    pub issues: Vec<crate::issue::Issue>,
    /// The file holds invented demonstration services.
    pub demo: bool,
}

impl Outcome {
    /// The quality report of this import: its counts, issues and merges.
    pub fn report(&self, generated: &str) -> crate::quality::Report {
        let warnings = self
            .issues
            .iter()
            .filter(|i| i.severity == crate::issue::Severity::Warning)
            .count();
        crate::quality::Report::from_issues(
            generated,
            vec![crate::quality::SourceSummary {
                source: self.source.clone(),
                file: self.file.clone(),
                records: self.records,
                accepted: self.accepted,
                rejected: self.rejected,
                warnings,
                demo: self.demo,
                sha256: None,
            }],
            self.issues.clone(),
            self.plan.merged.clone(),
        )
    }
}
