//! Regions: a manifest's boundaries, population and services, loaded and checked.
//!
//! The loader (`Region::load`, `Region::from_manifest`) lives above, in [`crate::load`]: it reads
//! the services with ingest's readers and checks. Loading never stops at the first bad record: every problem becomes an [`Issue`] naming the
//! file, the place and the field, records with errors are left out, and `bussola check` prints
//! the list. Only a missing or unreadable file, or a manifest that does not parse, is fatal.
pub mod add;
mod boundaries;
pub mod context;
pub mod merge;
mod population;
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
pub use merge::{database_id, Part};
use std::path::Path;

pub(crate) use boundaries::keep;
use boundaries::load_boundaries;
use settlements::build_surface;

/// Problems and their severity live at the bottom, in [`crate::issue`]; re-exported here.
pub use crate::issue::{Issue, Issues, Severity};

/// The service fields a manifest may map (`fields`) or set (`constants`); `lon`/`lat` name
/// CSV coordinate columns.
pub const SERVICE_FIELDS: &[&str] = &[
    "id",
    "name",
    "type",
    "provider",
    "provider_id",
    "provider_nature",
    "capacity",
    "users",
    "vacancies",
    "opening_hours",
    "phone",
    "email",
    "website",
    "address",
    "postal_code",
    "locality",
    "municipality",
    "parish",
    "precision",
    "source",
    "updated",
    "demo",
    "lon",
    "lat",
];

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
    /// The base map under the services (`[basemap]`), paths resolved.
    pub basemap: Option<manifest::BasemapSpec>,
    /// What the context layers show: seats, places, parish boundaries (`[context]`).
    pub context: context::Context,
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

impl Loaded {
    /// Whether any issue is an error.
    pub fn has_errors(&self) -> bool {
        self.issues.iter().any(|i| i.severity == Severity::Error)
    }
}

impl Region {
    /// The ids of the regions served in this one.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().map(|p| p.id.as_str())
    }

    /// One of the regions served in this one, by id.
    pub fn part(&self, id: &str) -> Option<&Part> {
        self.parts.iter().find(|p| p.id == id)
    }

    /// A manifest's region without its services (no gazetteer yet): links checked, taxonomy,
    /// survey, boundaries, population and surface. The loader in [`crate::load`] adds the rest,
    /// since the services go through ingest's checks, above this layer.
    pub(crate) fn without_services(
        m: &Manifest,
        manifest_path: &Path,
        issues: &mut Vec<Issue>,
    ) -> Result<Region> {
        m.links.check(manifest_path)?;
        if let Some(b) = &m.basemap {
            b.check(manifest_path)?;
        }
        let taxonomy = match &m.taxonomy {
            Some(p) => Taxonomy::load(p)?,
            None => Taxonomy::default_taxonomy()?,
        };
        let survey = match &m.survey {
            Some(p) => crate::survey::Survey::load(p)?,
            None => crate::survey::Survey::default_survey()?,
        };
        let mut municipalities = load_boundaries(m, issues)?;
        population::attach(m, &mut municipalities, issues)?;
        let bounds = municipalities
            .iter()
            .map(|mu| {
                mu.geometry
                    .bounding_rect()
                    .unwrap_or(Rect::new((0.0, 0.0), (0.0, 0.0)))
            })
            .collect();
        let surface = build_surface(m, &municipalities)?;
        let context = context::load(&m.context, &municipalities, issues)?;
        Ok(Region {
            context,
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
            basemap: m.basemap.clone(),
            parts: vec![Part {
                id: m.id.clone(),
                name: m.name.clone(),
                targets: m.coverage,
            }],
            bounds,
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
