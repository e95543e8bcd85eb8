//! The region loader: a manifest's boundaries, population and services, read and checked.
//!
//! It sits above [`crate::ingest`] because a region's service files go through ingest's readers
//! and checks (`Batch`, `Context`, `convert_batch`, `screen`), while ingest places records in a
//! [`Region`]. The loader's entry points stay on the type: [`Region::load`],
//! [`Region::from_manifest`] and their variants are defined here. Loading never stops at the
//! first bad record: every problem becomes an [`Issue`](crate::issue::Issue), records with errors are left out, and
//! only a missing or unreadable file, or a manifest that does not parse, is fatal.
//!
//! | module | what it holds |
//! |---|---|
//! | [`services`] | a manifest's service files read as records ([`read_batch`]) and loaded |
//! | [`merge`] | several regions loaded and served together ([`load_all`]) |
//! | [`add`](mod@add) | `bussola region add`: the manifest written and loaded back |
pub mod add;
pub mod merge;
pub mod services;

use crate::files::read::{with_crs_hint, CrsSetting};
use crate::geocode::{Gazetteer, PostalLookup};
use crate::ingest::Locate;
use crate::issue::{Severity, SourceSummary};
use crate::region::{Loaded, Manifest, Region};
use crate::Result;
use std::path::Path;

pub use add::{add, Added};
pub use merge::{load_all, load_all_on, load_all_with};
pub use services::read_batch;

/// What loading may use besides the manifest: all optional.
#[derive(Default, Clone, Copy)]
pub struct LoadOptions<'a> {
    /// Places records without coordinates (the offline gazetteer).
    pub locate: Option<&'a dyn Locate>,
    /// Finds the municipality of a postal code, to check the one a record declares.
    pub postal: Option<&'a dyn PostalLookup>,
    /// Today (YYYY-MM-DD), to report records not updated for the manifest's
    /// `[quality] stale_after_days`; `None` skips that check.
    pub today: Option<&'a str>,
    /// Leaves the service files unread: their services are in the store already (a restart),
    /// and reading, placing and checking them again would only delay the start.
    pub skip_services: bool,
}

impl Region {
    /// Loads a region from a manifest file, or the regions a listing manifest names, merged.
    pub fn load(manifest_path: &Path) -> Result<Loaded> {
        Self::load_on(manifest_path, None)
    }

    /// Loads a region from a manifest file, reporting records not updated for the manifest's
    /// `[quality] stale_after_days` before `today` (YYYY-MM-DD).
    pub fn load_on(manifest_path: &Path, today: Option<&str>) -> Result<Loaded> {
        Self::load_with(
            manifest_path,
            LoadOptions {
                today,
                ..Default::default()
            },
        )
    }

    /// Loads a region (or a listing's regions, merged) with options.
    pub fn load_with(manifest_path: &Path, opts: LoadOptions<'_>) -> Result<Loaded> {
        let text = crate::error::read_text(manifest_path)?;
        if crate::region::merge::is_listing(&text) {
            return merge::load_listing(manifest_path, &text, opts);
        }
        let manifest = Manifest::load(manifest_path)?;
        Self::from_manifest_with(&manifest, manifest_path, opts)
    }

    /// Loads a region from a parsed manifest.
    pub fn from_manifest(m: &Manifest, manifest_path: &Path) -> Result<Loaded> {
        Self::from_manifest_with(m, manifest_path, LoadOptions::default())
    }

    /// Loads a region from a parsed manifest with a locator, postal look-up or date. An error
    /// asking for a file's CRS says to set `crs` for it in the manifest.
    pub fn from_manifest_with(
        m: &Manifest,
        manifest_path: &Path,
        opts: LoadOptions<'_>,
    ) -> Result<Loaded> {
        Self::read_manifest(m, manifest_path, opts)
            .map_err(|e| with_crs_hint(e, CrsSetting::Manifest))
    }

    fn read_manifest(m: &Manifest, manifest_path: &Path, opts: LoadOptions<'_>) -> Result<Loaded> {
        let mut issues = Vec::new();
        let mut region = Region::without_services(m, manifest_path, &mut issues)?;
        // Without a `[gazetteer]`, records are still placed at their municipality's seat.
        let gazetteer = Some(match &m.gazetteer {
            Some(g) => Gazetteer::from_spec(g, &region.municipalities)?,
            None => Gazetteer::new(&region.municipalities),
        });
        let mut sources = Vec::new();
        for file in &m.services {
            let sha256 = services::sha256(&file.path);
            if opts.skip_services {
                // Only what tells a new edition: the services are in the store already.
                sources.push(SourceSummary {
                    source: file.source.clone(),
                    file: file.path.clone(),
                    records: 0,
                    accepted: 0,
                    rejected: 0,
                    warnings: 0,
                    demo: file.demo,
                    sha256,
                });
                continue;
            }
            let before = issues.len();
            let (records, accepted) = services::load(
                file,
                manifest_path,
                &mut region,
                &mut issues,
                &services::Checks {
                    locate: opts.locate.or(gazetteer.as_ref().map(|g| g as &dyn Locate)),
                    postal: opts
                        .postal
                        .or(gazetteer.as_ref().map(|g| g as &dyn PostalLookup)),
                    today: opts.today,
                    stale_after_days: m.quality.stale_after_days,
                },
            )?;
            sources.push(SourceSummary {
                source: file.source.clone(),
                file: file.path.clone(),
                records,
                accepted,
                rejected: records - accepted,
                warnings: issues[before..]
                    .iter()
                    .filter(|i| i.severity == Severity::Warning)
                    .count(),
                demo: file.demo,
                sha256,
            });
        }
        // As an import does: one provider, one legal nature, whatever the order of its records.
        crate::model::known_natures(&[], &mut region.services);
        region.gazetteer = gazetteer;
        Ok(Loaded {
            region,
            issues,
            sources,
        })
    }
}
