//! Regions: a manifest's boundaries, population and services, loaded and checked.
//!
//! Loading never stops at the first bad record: every problem becomes an [`Issue`] naming the
//! file, the place and the field, records with errors are left out, and `bussola check` prints
//! the list. Only a missing or unreadable file, or a manifest that does not parse, is fatal.
pub mod add;
mod boundaries;
pub mod merge;
mod population;
mod services;
mod settlements;
pub mod within;

/// The manifest and the file readers live below, in [`crate::files`]; re-exported here.
pub use crate::files::{manifest, prj, read, shapefile};

use crate::model::{Municipality, Service};
use crate::taxonomy::Taxonomy;
use crate::Result;
use geo::{BoundingRect, Intersects};
use geo_types::{Point, Rect};
pub use manifest::{Manifest, Targets};
pub use merge::{database_id, load_all, load_all_on, Part};
use std::path::Path;

use boundaries::{keep, load_boundaries};
pub use services::{read_batch, SERVICE_FIELDS};
use settlements::build_surface;

/// Problems and their severity live at the bottom, in [`crate::issue`]; re-exported here.
pub use crate::issue::{Issue, Issues, Severity};

/// A loaded region.
#[derive(Debug, Clone)]
pub struct Region {
    /// Stable id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Attribution of every source.
    pub attribution: Vec<String>,
    /// Municipalities, in code order.
    pub municipalities: Vec<Municipality>,
    /// Services from the manifest's files (the store's seed).
    pub services: Vec<Service>,
    /// Coverage targets.
    pub targets: Targets,
    /// The taxonomy.
    pub taxonomy: Taxonomy,
    /// The usefulness survey's questions.
    pub survey: crate::survey::Survey,
    /// Where people live.
    pub surface: crate::surface::Surface,
    /// Postal codes and places that records without coordinates are placed from.
    pub gazetteer: Option<crate::geocode::Gazetteer>,
    /// Settings of the quality checks.
    pub quality: manifest::QualitySettings,
    /// Which provider edits go live at once and which wait for review.
    pub editing: manifest::EditingSettings,
    /// Links to other sites, e.g. Carta Social's official listing.
    pub links: manifest::Links,
    /// The regions served together in this one (just itself for a single manifest).
    pub parts: Vec<Part>,
    bounds: Vec<Rect<f64>>,
}

/// A region and the problems found while loading it.
#[derive(Debug)]
pub struct Loaded {
    /// The region, without the records that had errors.
    pub region: Region,
    /// Everything found wrong.
    pub issues: Vec<Issue>,
    /// What each service file gave (records read, accepted, rejected, warnings).
    pub sources: Vec<crate::issue::SourceSummary>,
}

/// What loading may use besides the manifest: all optional.
#[derive(Default, Clone, Copy)]
pub struct LoadOptions<'a> {
    /// Places records without coordinates (the offline gazetteer).
    pub locate: Option<&'a dyn crate::ingest::Locate>,
    /// Finds the municipality of a postal code, to check the one a record declares.
    pub postal: Option<&'a dyn crate::geocode::PostalLookup>,
    /// Today (YYYY-MM-DD), to report records not updated for the manifest's
    /// `[quality] stale_after_days`; `None` skips that check.
    pub today: Option<&'a str>,
}

impl Loaded {
    /// Whether any issue is an error.
    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(|i| i.severity == Severity::Error)
    }
}

impl Region {
    /// Loads a region from a manifest file, or the regions a listing manifest names, merged.
    pub fn load(manifest_path: &Path) -> Result<Loaded> {
        Self::load_on(manifest_path, None)
    }

    /// Loads a region from a manifest file, reporting records not updated for the manifest's
    /// `[quality] stale_after_days` before `today` (YYYY-MM-DD).
    pub fn load_on(manifest_path: &Path, today: Option<&str>) -> Result<Loaded> {
        let text = crate::error::read_text(manifest_path)?;
        if merge::is_listing(&text) {
            return merge::load_listing(manifest_path, &text, today);
        }
        let manifest = Manifest::load(manifest_path)?;
        Self::from_manifest_with(
            &manifest,
            manifest_path,
            LoadOptions {
                today,
                ..Default::default()
            },
        )
    }

    /// The ids of the regions served in this one.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().map(|p| p.id.as_str())
    }

    /// One of the regions served in this one, by id.
    pub fn part(&self, id: &str) -> Option<&Part> {
        self.parts.iter().find(|p| p.id == id)
    }

    /// Loads a region from a parsed manifest.
    pub fn from_manifest(m: &Manifest, manifest_path: &Path) -> Result<Loaded> {
        Self::from_manifest_with(m, manifest_path, LoadOptions::default())
    }

    /// Loads a region from a parsed manifest with a locator, postal look-up or date.
    pub fn from_manifest_with(
        m: &Manifest,
        manifest_path: &Path,
        opts: LoadOptions<'_>,
    ) -> Result<Loaded> {
        m.links.check(manifest_path)?;
        let taxonomy = match &m.taxonomy {
            Some(p) => Taxonomy::load(p)?,
            None => Taxonomy::default_taxonomy()?,
        };
        let survey = match &m.survey {
            Some(p) => crate::survey::Survey::load(p)?,
            None => crate::survey::Survey::default_survey()?,
        };
        let mut issues = Vec::new();
        let mut municipalities = load_boundaries(m, &mut issues)?;
        population::attach(m, &mut municipalities, &mut issues)?;
        let bounds = municipalities
            .iter()
            .map(|mu| {
                mu.geometry
                    .bounding_rect()
                    .unwrap_or(Rect::new((0.0, 0.0), (0.0, 0.0)))
            })
            .collect();
        let surface = build_surface(m, &municipalities)?;
        let mut region = Region {
            surface,
            id: m.id.clone(),
            name: m.name.clone(),
            attribution: m.attribution.clone(),
            municipalities,
            services: Vec::new(),
            targets: m.coverage,
            taxonomy,
            survey,
            gazetteer: None,
            quality: m.quality,
            editing: m.editing.clone(),
            links: m.links.clone(),
            parts: vec![Part {
                id: m.id.clone(),
                name: m.name.clone(),
                targets: m.coverage,
            }],
            bounds,
        };
        // Without a `[gazetteer]`, records are still placed at their municipality's seat.
        let gazetteer = Some(match &m.gazetteer {
            Some(g) => crate::geocode::Gazetteer::from_spec(g, &region.municipalities)?,
            None => crate::geocode::Gazetteer::new(&region.municipalities),
        });
        let mut sources = Vec::new();
        for file in &m.services {
            let before = issues.len();
            let (records, accepted) = services::load(
                file,
                manifest_path,
                &mut region,
                &mut issues,
                &services::Checks {
                    locate: opts
                        .locate
                        .or(gazetteer.as_ref().map(|g| g as &dyn crate::ingest::Locate)),
                    postal: opts.postal.or(gazetteer
                        .as_ref()
                        .map(|g| g as &dyn crate::geocode::PostalLookup)),
                    today: opts.today,
                    stale_after_days: m.quality.stale_after_days,
                },
            )?;
            sources.push(crate::issue::SourceSummary {
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

    /// The municipality whose boundary holds (lon, lat), if any.
    pub fn municipality_at(&self, lon: f64, lat: f64) -> Option<&Municipality> {
        let p = Point::new(lon, lat);
        self.municipalities
            .iter()
            .zip(&self.bounds)
            .find(|(m, b)| b.intersects(&p) && m.geometry.intersects(&p))
            .map(|(m, _)| m)
    }

    /// The municipality with this code.
    pub fn municipality(&self, code: &str) -> Option<&Municipality> {
        self.municipalities.iter().find(|m| m.code == code)
    }

    /// The bounding box of all municipalities: (min lon, min lat, max lon, max lat).
    pub fn bbox(&self) -> Option<[f64; 4]> {
        let mut it = self.bounds.iter();
        let first = *it.next()?;
        let r = it.fold(first, |a, b| {
            Rect::new(
                (a.min().x.min(b.min().x), a.min().y.min(b.min().y)),
                (a.max().x.max(b.max().x), a.max().y.max(b.max().y)),
            )
        });
        Some([r.min().x, r.min().y, r.max().x, r.max().y])
    }
}
