//! Reprojection of coordinates from the CRS a data file declares to WGS84 longitude/latitude.
//!
//! The default path is pure Rust: EPSG definitions come from the `crs-definitions` tables and
//! are turned into [`proj4rs`] projections. With the cargo feature `proj`, a PROJ-backed
//! transformer (`proj_transformer`) is available as well.
//!
//! Coordinates are always handled in "GIS order": `x` is easting or longitude, `y` is northing
//! or latitude, whatever axis order the EPSG register declares. Geographic coordinates are in
//! degrees on both sides of the API.

use std::fmt;

use geo_types::{Coord, Geometry};

/// EPSG code of WGS84 longitude/latitude.
const WGS84_EPSG: u32 = 4326;

/// proj4 definition of the WGS84 geographic target CRS.
const WGS84_PROJ4: &str = "+proj=longlat +datum=WGS84 +no_defs";

/// Which CRS a file declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Crs {
    /// WGS84 longitude/latitude in degrees (EPSG:4326 or OGC CRS84).
    Wgs84,
    /// Any other CRS, by EPSG code.
    Epsg(u32),
}

impl Crs {
    /// Parses "EPSG:3763", "urn:ogc:def:crs:EPSG::3763", "urn:ogc:def:crs:OGC:1.3:CRS84", "CRS84", "EPSG:4326", `http://www.opengis.net/def/crs/EPSG/0/3763` (4326 and CRS84 -> Wgs84).
    pub fn parse(s: &str) -> Result<Crs, ReprojectError> {
        let unknown = || ReprojectError::UnknownCrs(s.to_string());
        let lower = s.trim().to_ascii_lowercase();

        let (authority, code) = if let Some(rest) = lower.strip_prefix("urn:ogc:def:crs:") {
            // AUTHORITY:[VERSION]:CODE, e.g. "epsg::3763", "epsg:9.8.15:3763", "ogc:1.3:crs84".
            let mut parts = rest.split(':');
            match (parts.next(), parts.next(), parts.next(), parts.next()) {
                (Some(authority), Some(_version), Some(code), None) => (authority, code),
                _ => return Err(unknown()),
            }
        } else if let Some(rest) = lower
            .strip_prefix("http://www.opengis.net/def/crs/")
            .or_else(|| lower.strip_prefix("https://www.opengis.net/def/crs/"))
        {
            // AUTHORITY/VERSION/CODE, e.g. "epsg/0/3763", "ogc/1.3/crs84".
            let mut parts = rest.trim_end_matches('/').split('/');
            match (parts.next(), parts.next(), parts.next(), parts.next()) {
                (Some(authority), Some(_version), Some(code), None) => (authority, code),
                _ => return Err(unknown()),
            }
        } else if let Some((authority, code)) = lower.split_once(':') {
            // "EPSG:3763", "OGC:CRS84", "CRS:84".
            (authority, code)
        } else {
            // Bare "CRS84" / "WGS84".
            ("", lower.as_str())
        };

        match (authority, code) {
            ("epsg", code) => {
                if code.is_empty() || !code.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(unknown());
                }
                match code.parse::<u32>() {
                    Ok(WGS84_EPSG) => Ok(Crs::Wgs84),
                    Ok(0) | Err(_) => Err(unknown()),
                    Ok(n) => Ok(Crs::Epsg(n)),
                }
            }
            ("ogc" | "", "crs84") | ("crs", "84") | ("", "wgs84") => Ok(Crs::Wgs84),
            _ => Err(unknown()),
        }
    }

    /// The EPSG code of this CRS (4326 for WGS84).
    pub fn epsg_code(self) -> u32 {
        match self {
            Crs::Wgs84 => WGS84_EPSG,
            Crs::Epsg(code) => code,
        }
    }
}

impl fmt::Display for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EPSG:{}", self.epsg_code())
    }
}

impl std::str::FromStr for Crs {
    type Err = ReprojectError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Crs::parse(s)
    }
}

/// Errors of CRS parsing and reprojection.
#[derive(Debug, thiserror::Error)]
pub enum ReprojectError {
    /// The CRS identifier is not an EPSG or OGC CRS84 identifier.
    #[error("unrecognised CRS identifier {0:?} (expected e.g. \"EPSG:3763\" or \"urn:ogc:def:crs:OGC:1.3:CRS84\")")]
    UnknownCrs(String),
    /// No definition is known for this EPSG code.
    #[error("EPSG:{0} is not supported: no definition is known for it")]
    UnsupportedEpsg(u32),
    /// The definition of the CRS could not be turned into a transformation.
    #[error("cannot set up a transformation from {crs} to WGS84: {reason}")]
    Setup {
        /// The source CRS.
        crs: Crs,
        /// Why the set-up failed.
        reason: String,
    },
    /// One coordinate could not be transformed.
    #[error("cannot transform ({x}, {y}) from {crs} to WGS84: {reason}")]
    Transform {
        /// The source CRS.
        crs: Crs,
        /// The input x (easting or longitude).
        x: f64,
        /// The input y (northing or latitude).
        y: f64,
        /// Why the transformation failed.
        reason: String,
    },
}

/// Converts coordinates of one CRS to WGS84 longitude/latitude in degrees.
pub trait ToWgs84: Send + Sync {
    /// Converts one (x, y) in the source CRS to (lon, lat) degrees.
    fn to_wgs84(&self, x: f64, y: f64) -> Result<(f64, f64), ReprojectError>;
}

/// The identity transformer, for data already in WGS84.
#[derive(Debug, Clone, Copy)]
struct Identity;

impl ToWgs84 for Identity {
    fn to_wgs84(&self, x: f64, y: f64) -> Result<(f64, f64), ReprojectError> {
        Ok((x, y))
    }
}

/// Checks that a transformed point is a finite, in-range longitude/latitude.
fn check_output(
    crs: Crs,
    x: f64,
    y: f64,
    lon: f64,
    lat: f64,
) -> Result<(f64, f64), ReprojectError> {
    if lon.is_finite() && lat.is_finite() && lat.abs() <= 90.0 {
        Ok((lon, lat))
    } else {
        Err(ReprojectError::Transform {
            crs,
            x,
            y,
            reason: format!("result ({lon}, {lat}) is not a valid longitude/latitude"),
        })
    }
}

/// The proj4rs-backed transformer.
struct Proj4rsTransformer {
    /// The source CRS, for error messages.
    crs: Crs,
    /// The source projection.
    src: proj4rs::Proj,
    /// The WGS84 geographic target.
    dst: proj4rs::Proj,
    /// Whether the source is geographic (proj4rs then wants radians).
    src_is_latlong: bool,
}

impl ToWgs84 for Proj4rsTransformer {
    fn to_wgs84(&self, x: f64, y: f64) -> Result<(f64, f64), ReprojectError> {
        let err = |reason: String| ReprojectError::Transform {
            crs: self.crs,
            x,
            y,
            reason,
        };
        if !x.is_finite() || !y.is_finite() {
            return Err(err("coordinate is not a finite number".to_string()));
        }
        let input = if self.src_is_latlong {
            (x.to_radians(), y.to_radians())
        } else {
            (x, y)
        };
        let (lon, lat) = proj4rs::adaptors::transform_xy(&self.src, &self.dst, input.0, input.1)
            .map_err(|e| err(e.to_string()))?;
        check_output(self.crs, x, y, lon.to_degrees(), lat.to_degrees())
    }
}

/// The proj4 definition of an EPSG code from the `crs-definitions` tables, if known.
fn proj4_definition(code: u32) -> Option<&'static str> {
    let code = u16::try_from(code).ok()?;
    crs_definitions::from_code(code).map(|def| def.proj4)
}

/// Builds the source projection of an EPSG code.
fn proj4rs_source(crs: Crs, code: u32) -> Result<proj4rs::Proj, ReprojectError> {
    let setup = |e: proj4rs::errors::Error| ReprojectError::Setup {
        crs,
        reason: e.to_string(),
    };
    if let Some(definition) = proj4_definition(code) {
        return proj4rs::Proj::from_proj_string(definition).map_err(setup);
    }
    // proj4rs carries its own (newer, larger) copy of the tables: try it for codes the
    // crate's `crs-definitions` version lacks.
    let short = u16::try_from(code).map_err(|_| ReprojectError::UnsupportedEpsg(code))?;
    match proj4rs::Proj::from_epsg_code(short) {
        Ok(proj) => Ok(proj),
        Err(proj4rs::errors::Error::ProjectionNotFound) => {
            Err(ReprojectError::UnsupportedEpsg(code))
        }
        Err(e) => Err(setup(e)),
    }
}

/// The default (pure-Rust, proj4rs) transformer for a CRS; identity for Wgs84.
pub fn transformer(crs: Crs) -> Result<Box<dyn ToWgs84>, ReprojectError> {
    let code = match crs {
        Crs::Wgs84 | Crs::Epsg(WGS84_EPSG) => return Ok(Box::new(Identity)),
        Crs::Epsg(code) => code,
    };
    let src = proj4rs_source(crs, code)?;
    let dst = proj4rs::Proj::from_proj_string(WGS84_PROJ4).map_err(|e| ReprojectError::Setup {
        crs,
        reason: e.to_string(),
    })?;
    if src.is_geocent() {
        return Err(ReprojectError::Setup {
            crs,
            reason: "geocentric CRSs are not supported".to_string(),
        });
    }
    let src_is_latlong = src.is_latlong();
    Ok(Box::new(Proj4rsTransformer {
        crs,
        src,
        dst,
        src_is_latlong,
    }))
}

#[cfg(feature = "proj")]
mod proj_backend {
    //! The PROJ-backed transformer.
    //!
    //! `proj::Proj` holds a PROJ context, which is neither `Send` nor `Sync`; each thread
    //! therefore builds its own transformation objects, cached per thread and EPSG code.

    use std::cell::RefCell;
    use std::collections::hash_map::Entry;
    use std::collections::HashMap;

    use super::{check_output, Crs, ReprojectError, ToWgs84};

    thread_local! {
        /// This thread's PROJ transformations to WGS84, by source EPSG code.
        static TRANSFORMS: RefCell<HashMap<u32, proj::Proj>> = RefCell::new(HashMap::new());
    }

    /// Runs `f` with this thread's PROJ transformation from `crs` to WGS84, creating it if needed.
    fn with_transform<R>(crs: Crs, f: impl FnOnce(&proj::Proj) -> R) -> Result<R, ReprojectError> {
        TRANSFORMS.with(|cell| {
            let mut map = cell.borrow_mut();
            let transform = match map.entry(crs.epsg_code()) {
                Entry::Occupied(e) => e.into_mut(),
                Entry::Vacant(v) => {
                    let from = crs.to_string();
                    let proj =
                        proj::Proj::new_known_crs(&from, "EPSG:4326", None).map_err(|e| {
                            ReprojectError::Setup {
                                crs,
                                reason: format!("PROJ: {e}"),
                            }
                        })?;
                    v.insert(proj)
                }
            };
            Ok(f(transform))
        })
    }

    /// The PROJ-backed transformer: only the CRS; PROJ objects live in thread-local storage.
    pub(super) struct ProjTransformer {
        /// The source CRS.
        pub(super) crs: Crs,
    }

    impl ProjTransformer {
        /// Creates the transformer, checking on this thread that PROJ knows the CRS.
        pub(super) fn new(crs: Crs) -> Result<Self, ReprojectError> {
            with_transform(crs, |_| ())?;
            Ok(ProjTransformer { crs })
        }
    }

    impl ToWgs84 for ProjTransformer {
        fn to_wgs84(&self, x: f64, y: f64) -> Result<(f64, f64), ReprojectError> {
            let crs = self.crs;
            let err = |reason: String| ReprojectError::Transform { crs, x, y, reason };
            if !x.is_finite() || !y.is_finite() {
                return Err(err("coordinate is not a finite number".to_string()));
            }
            let (lon, lat) = with_transform(crs, |t| t.convert((x, y)))?
                .map_err(|e| err(format!("PROJ: {e}")))?;
            check_output(crs, x, y, lon, lat)
        }
    }
}

/// The PROJ-backed transformer (only with feature "proj").
#[cfg(feature = "proj")]
pub fn proj_transformer(crs: Crs) -> Result<Box<dyn ToWgs84>, ReprojectError> {
    match crs {
        Crs::Wgs84 | Crs::Epsg(WGS84_EPSG) => Ok(Box::new(Identity)),
        Crs::Epsg(_) => Ok(Box::new(proj_backend::ProjTransformer::new(crs)?)),
    }
}

/// Reprojects every coordinate of a geometry in place.
pub fn reproject_geometry(g: &mut Geometry<f64>, t: &dyn ToWgs84) -> Result<(), ReprojectError> {
    // A hand-written walk: geo's `try_map_coords_in_place` on `Geometry` hits the compiler's
    // recursion limit through `GeometryCollection`.
    let mut f = |c: &mut Coord<f64>| -> Result<(), ReprojectError> {
        let (x, y) = t.to_wgs84(c.x, c.y)?;
        *c = Coord { x, y };
        Ok(())
    };
    walk_coords(g, &mut f)
}

type CoordFn<'a> = dyn FnMut(&mut Coord<f64>) -> Result<(), ReprojectError> + 'a;

fn walk_line(
    ls: &mut geo_types::LineString<f64>,
    f: &mut CoordFn<'_>,
) -> Result<(), ReprojectError> {
    ls.0.iter_mut().try_for_each(&mut *f)
}

fn walk_polygon(
    p: &mut geo_types::Polygon<f64>,
    f: &mut CoordFn<'_>,
) -> Result<(), ReprojectError> {
    let mut result = Ok(());
    p.exterior_mut(|ls| result = walk_line(ls, f));
    result?;
    let mut result = Ok(());
    p.interiors_mut(|rings| {
        result = rings.iter_mut().try_for_each(|ls| walk_line(ls, f));
    });
    result
}

fn walk_coords(g: &mut Geometry<f64>, f: &mut CoordFn<'_>) -> Result<(), ReprojectError> {
    match g {
        Geometry::Point(p) => f(&mut p.0),
        Geometry::Line(l) => {
            f(&mut l.start)?;
            f(&mut l.end)
        }
        Geometry::LineString(ls) => walk_line(ls, f),
        Geometry::Polygon(p) => walk_polygon(p, f),
        Geometry::MultiPoint(mp) => mp.0.iter_mut().try_for_each(|p| f(&mut p.0)),
        Geometry::MultiLineString(ml) => ml.0.iter_mut().try_for_each(|ls| walk_line(ls, f)),
        Geometry::MultiPolygon(mp) => mp.0.iter_mut().try_for_each(|p| walk_polygon(p, f)),
        Geometry::GeometryCollection(gc) => gc.0.iter_mut().try_for_each(|g| walk_coords(g, f)),
        Geometry::Rect(r) => {
            let (mut a, mut b) = (r.min(), r.max());
            f(&mut a)?;
            f(&mut b)?;
            *r = geo_types::Rect::new(a, b);
            Ok(())
        }
        Geometry::Triangle(t) => {
            let mut v = t.to_array();
            v.iter_mut().try_for_each(&mut *f)?;
            *t = geo_types::Triangle::from(v);
            Ok(())
        }
    }
}

/// Converts WGS84 longitude/latitude in degrees to the coordinates of another CRS (the
/// inverse of [`ToWgs84`]), for answers in a CRS a client asks for.
pub trait FromWgs84: Send + Sync {
    /// Converts one (lon, lat) in degrees to (x, y) in the target CRS, in GIS order.
    fn project(&self, lon: f64, lat: f64) -> Result<(f64, f64), ReprojectError>;
}

impl FromWgs84 for Identity {
    fn project(&self, lon: f64, lat: f64) -> Result<(f64, f64), ReprojectError> {
        Ok((lon, lat))
    }
}

/// The proj4rs-backed transformer from WGS84 to a CRS.
struct Proj4rsInverse {
    /// The target CRS, for error messages.
    crs: Crs,
    /// The WGS84 geographic source.
    src: proj4rs::Proj,
    /// The target projection.
    dst: proj4rs::Proj,
    /// Whether the target is geographic (proj4rs then answers radians).
    dst_is_latlong: bool,
}

impl FromWgs84 for Proj4rsInverse {
    fn project(&self, lon: f64, lat: f64) -> Result<(f64, f64), ReprojectError> {
        let err = |reason: String| ReprojectError::Transform {
            crs: self.crs,
            x: lon,
            y: lat,
            reason,
        };
        if !lon.is_finite() || !lat.is_finite() || lat.abs() > 90.0 {
            return Err(err("not a valid longitude/latitude".to_string()));
        }
        let (x, y) = proj4rs::adaptors::transform_xy(
            &self.src,
            &self.dst,
            lon.to_radians(),
            lat.to_radians(),
        )
        .map_err(|e| err(e.to_string()))?;
        let (x, y) = if self.dst_is_latlong {
            (x.to_degrees(), y.to_degrees())
        } else {
            (x, y)
        };
        if x.is_finite() && y.is_finite() {
            Ok((x, y))
        } else {
            Err(err(format!("result ({x}, {y}) is not finite")))
        }
    }
}

/// The default (pure-Rust, proj4rs) transformer from WGS84 to a CRS; identity for Wgs84.
pub fn from_wgs84(crs: Crs) -> Result<Box<dyn FromWgs84>, ReprojectError> {
    let code = match crs {
        Crs::Wgs84 | Crs::Epsg(WGS84_EPSG) => return Ok(Box::new(Identity)),
        Crs::Epsg(code) => code,
    };
    let dst = proj4rs_source(crs, code)?;
    let src = proj4rs::Proj::from_proj_string(WGS84_PROJ4).map_err(|e| ReprojectError::Setup {
        crs,
        reason: e.to_string(),
    })?;
    if dst.is_geocent() {
        return Err(ReprojectError::Setup {
            crs,
            reason: "geocentric CRSs are not supported".to_string(),
        });
    }
    let dst_is_latlong = dst.is_latlong();
    Ok(Box::new(Proj4rsInverse {
        crs,
        src,
        dst,
        dst_is_latlong,
    }))
}

#[cfg(test)]
#[path = "reproject_tests.rs"]
mod tests;
