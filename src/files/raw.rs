//! What the readers of [`super::read`] and [`super::shapefile`] yield: records with their
//! properties, geometry and place in the file. Apart, so that `read` (which dispatches to the
//! shapefile reader) and `shapefile` do not use each other.
use crate::reproject::Crs;
use geo_types::Geometry;
use serde_json::{Map, Value};

/// One record of a data file.
#[derive(Debug, Clone)]
pub struct RawFeature {
    /// Where it is in the file, for messages.
    pub place: String,
    /// Its properties.
    pub props: Map<String, Value>,
    /// Its geometry, in the file's CRS.
    pub geometry: Option<Geometry<f64>>,
}

/// The records of a file and the CRS its geometries are in.
#[derive(Debug)]
pub struct RawFile {
    /// The CRS the file declares (WGS84 when it declares none).
    pub crs: Crs,
    /// The records.
    pub features: Vec<RawFeature>,
}
