//! The region's data as open files: services (with provider, contact and provenance) and
//! municipalities (with population and coverage indicators), as GeoJSON, CSV, FlatGeobuf or
//! (services only) Open Referral HSDS 3.0. `GET /api/export` and `bussola export` both call
//! [`export`]; this module knows nothing of HTTP.
mod csv;
pub use csv::Kind as ColumnKind;
pub mod feature_text;
pub mod features;
mod fgb;
mod geojson;
pub mod hsds;

use crate::catalog::Catalog;
use crate::coverage::{CoverageReport, Indicator};
use crate::model::Service;
use crate::region::Region;
use crate::{Error, Result};

/// An export file: its bytes, media type and file name.
#[derive(Debug)]
pub struct Export {
    /// The content (text for GeoJSON, CSV and HSDS; binary for FlatGeobuf).
    pub body: Vec<u8>,
    /// Its media type.
    pub content_type: &'static str,
    /// A file name for it.
    pub file_name: String,
}

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    /// Every stored service, as a point.
    Services,
    /// Every municipality, as a polygon.
    Municipalities,
}

/// The file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// GeoJSON FeatureCollection (RFC 7946).
    GeoJson,
    /// CSV with a header (services with `lon`/`lat` columns).
    Csv,
    /// FlatGeobuf, WGS84, with a spatial index.
    Fgb,
    /// Open Referral HSDS 3.0 as one JSON document (services only).
    Hsds,
    /// The column types of the CSV (GDAL's `.csvt` sidecar: codes stay text).
    Csvt,
}

impl Layer {
    /// Parses `services` or `municipalities`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "services" => Ok(Layer::Services),
            "municipalities" => Ok(Layer::Municipalities),
            other => Err(Error::param(
                "layer",
                format!("unknown layer '{other}'; one of services, municipalities"),
            )),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Layer::Services => "services",
            Layer::Municipalities => "municipalities",
        }
    }
}

impl Format {
    /// Parses `geojson`, `csv`, `csvt`, `fgb` or `hsds`.
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "geojson" => Ok(Format::GeoJson),
            "csv" => Ok(Format::Csv),
            "fgb" => Ok(Format::Fgb),
            "hsds" => Ok(Format::Hsds),
            "csvt" => Ok(Format::Csvt),
            other => Err(Error::param(
                "format",
                format!("unknown format '{other}'; one of geojson, csv, csvt, fgb, hsds"),
            )),
        }
    }

    fn media_type_and_extension(self) -> (&'static str, &'static str) {
        match self {
            Format::GeoJson => ("application/geo+json", "geojson"),
            Format::Csv => ("text/csv; charset=utf-8", "csv"),
            Format::Fgb => ("application/vnd.flatgeobuf", "fgb"),
            Format::Hsds => ("application/json", "hsds.json"),
            Format::Csvt => ("text/plain; charset=utf-8", "csvt"),
        }
    }
}

/// What every writer needs: the region, its services in id order, and the coverage reports.
pub(crate) struct Data<'a> {
    pub(crate) region: &'a Region,
    pub(crate) services: Vec<Service>,
    pub(crate) reports: Vec<CoverageReport>,
    pub(crate) title: String,
}

/// What the writers need, read from the catalog.
fn data<'a>(cat: &'a Catalog, title: String) -> Result<Data<'a>> {
    let mut services: Vec<Service> = cat.with_services(|it| it.cloned().collect())?;
    services.sort_by(|a, b| a.id.cmp(&b.id));
    let reports = Indicator::ALL
        .iter()
        .map(|&i| cat.coverage(i, None))
        .collect::<Result<Vec<_>>>()?;
    Ok(Data {
        region: cat.region(),
        services,
        reports,
        title,
    })
}

/// One of the CSV tables of the export, with its columns: what the data package
/// (`crate::datapackage`) describes with a Table Schema.
#[derive(Debug)]
pub struct CsvTable {
    /// The columns in order, with what each holds.
    pub columns: Vec<(String, ColumnKind)>,
    /// The CSV file (a header line, then one line per row).
    pub body: Vec<u8>,
    /// The services' `source` values (services only), each once, in order.
    pub sources: Vec<String>,
}

/// The services and the municipalities as the CSV export writes them (`layer=services` and
/// `layer=municipalities`, `format=csv`), with their columns.
pub fn csv_tables(cat: &Catalog) -> Result<(CsvTable, CsvTable)> {
    let data = data(cat, cat.region().name.clone())?;
    let mut sources: Vec<String> = Vec::new();
    for s in &data.services {
        if !sources.contains(&s.source) {
            sources.push(s.source.clone());
        }
    }
    let services = CsvTable {
        columns: csv::service_columns(),
        body: csv::services(&data)?,
        sources,
    };
    let municipalities = CsvTable {
        columns: csv::municipality_columns(&data),
        body: csv::municipalities(&data)?,
        sources: Vec::new(),
    };
    Ok((services, municipalities))
}

/// Writes one export: `layer` is `services` or `municipalities`; `format` is `geojson`, `csv`,
/// `fgb` or `hsds` (services only).
pub fn export(cat: &Catalog, layer: &str, format: &str) -> Result<Export> {
    let (layer, format) = (Layer::parse(layer)?, Format::parse(format)?);
    if (layer, format) == (Layer::Municipalities, Format::Hsds) {
        return Err(Error::param(
            "format",
            "hsds describes services; use layer=services, or geojson, csv or fgb for municipalities",
        ));
    }
    let region = cat.region();
    let data = data(cat, format!("{} — {}", region.name, layer.name()))?;
    let body = match (format, layer) {
        (Format::GeoJson, Layer::Services) => geojson::services(&data).to_string().into_bytes(),
        (Format::GeoJson, Layer::Municipalities) => {
            geojson::municipalities(&data).to_string().into_bytes()
        }
        (Format::Csv, Layer::Services) => csv::services(&data)?,
        (Format::Csv, Layer::Municipalities) => csv::municipalities(&data)?,
        (Format::Csvt, layer) => csv::types(&data, layer == Layer::Services),
        (Format::Fgb, Layer::Services) => fgb::write(
            &data.title,
            flatgeobuf::GeometryType::Point,
            &geojson::service_features(&data),
            &region.attribution,
        )?,
        (Format::Fgb, Layer::Municipalities) => fgb::write(
            &data.title,
            flatgeobuf::GeometryType::MultiPolygon,
            &geojson::municipality_features(&data),
            &region.attribution,
        )?,
        (Format::Hsds, _) => hsds::document(&data).to_string().into_bytes(),
    };
    let (content_type, ext) = format.media_type_and_extension();
    Ok(Export {
        body,
        content_type,
        file_name: format!("{}-{}.{ext}", region.id, layer.name()),
    })
}
