//! The CRSs OGC API – Features answers in and reads boxes in (Part 2, CRS by reference): OGC
//! CRS84 (longitude, latitude; the storage CRS), EPSG:4326 (latitude, longitude, as the EPSG
//! register orders it) and EPSG:3763 (ETRS89 / Portugal TM06, easting and northing in metres).
use crate::reproject::{self, Crs, FromWgs84, ToWgs84};
use crate::{Error, Result};

/// OGC's URI of WGS84 longitude/latitude, the storage CRS.
pub const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";
/// EPSG:4326 by URI (latitude first).
pub const EPSG_4326: &str = "http://www.opengis.net/def/crs/EPSG/0/4326";
/// EPSG:3763, ETRS89 / Portugal TM06, by URI.
pub const EPSG_3763: &str = "http://www.opengis.net/def/crs/EPSG/0/3763";

/// Every CRS the collections offer, storage CRS first.
pub const SUPPORTED: [&str; 3] = [CRS84, EPSG_3763, EPSG_4326];

/// A CRS a client may ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OgcCrs {
    /// WGS84 longitude, latitude (degrees).
    #[default]
    Crs84,
    /// WGS84 latitude, longitude (degrees).
    Epsg4326,
    /// ETRS89 / Portugal TM06: easting, northing (metres).
    Epsg3763,
}

impl OgcCrs {
    /// Parses one of [`SUPPORTED`] (the URI forms only, as Part 2 asks); `param` names the
    /// parameter in the error.
    pub fn parse(s: &str, param: &str) -> Result<Self> {
        match s.trim() {
            CRS84 => Ok(OgcCrs::Crs84),
            EPSG_4326 => Ok(OgcCrs::Epsg4326),
            EPSG_3763 => Ok(OgcCrs::Epsg3763),
            other => Err(Error::param(
                param,
                format!("unsupported CRS '{other}'; one of {}", SUPPORTED.join(", ")),
            )),
        }
    }

    /// Its URI.
    pub fn uri(self) -> &'static str {
        match self {
            OgcCrs::Crs84 => CRS84,
            OgcCrs::Epsg4326 => EPSG_4326,
            OgcCrs::Epsg3763 => EPSG_3763,
        }
    }

    /// Converts between WGS84 longitude/latitude and this CRS's coordinates, in its axis order.
    pub fn converter(self) -> Result<Converter> {
        Ok(match self {
            OgcCrs::Crs84 => Converter::Identity,
            OgcCrs::Epsg4326 => Converter::Swap,
            OgcCrs::Epsg3763 => Converter::Projected {
                to: reproject::from_wgs84(Crs::Epsg(3763))?,
                back: reproject::transformer(Crs::Epsg(3763))?,
            },
        })
    }
}

/// Converts coordinates between WGS84 longitude/latitude and one [`OgcCrs`].
pub enum Converter {
    /// CRS84: as stored.
    Identity,
    /// EPSG:4326: latitude first.
    Swap,
    /// A projected CRS.
    Projected {
        /// WGS84 to the CRS.
        to: Box<dyn FromWgs84>,
        /// The CRS to WGS84.
        back: Box<dyn ToWgs84>,
    },
}

impl std::fmt::Debug for Converter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Converter::Identity => "Identity",
            Converter::Swap => "Swap",
            Converter::Projected { .. } => "Projected",
        })
    }
}

impl Converter {
    /// Whether coordinates pass unchanged.
    pub fn is_identity(&self) -> bool {
        matches!(self, Converter::Identity)
    }

    /// WGS84 (lon, lat) to the CRS's (first, second) axis; projected coordinates rounded to
    /// the millimetre.
    pub fn forward(&self, lon: f64, lat: f64) -> Result<[f64; 2]> {
        Ok(match self {
            Converter::Identity => [lon, lat],
            Converter::Swap => [lat, lon],
            Converter::Projected { to, .. } => {
                let (x, y) = to.project(lon, lat)?;
                [(x * 1000.0).round() / 1000.0, (y * 1000.0).round() / 1000.0]
            }
        })
    }

    /// The CRS's (first, second) axis to WGS84 (lon, lat).
    pub fn to_lon_lat(&self, a: f64, b: f64) -> Result<[f64; 2]> {
        Ok(match self {
            Converter::Identity => [a, b],
            Converter::Swap => [b, a],
            Converter::Projected { back, .. } => {
                let (lon, lat) = back.to_wgs84(a, b)?;
                [lon, lat]
            }
        })
    }

    /// Rewrites every position of a GeoJSON geometry (as `serde_json` holds it) in place.
    pub fn geometry(&self, g: &mut serde_json::Value) -> Result<()> {
        if self.is_identity() {
            return Ok(());
        }
        if let Some(coords) = g.get_mut("coordinates") {
            self.positions(coords)?;
        }
        Ok(())
    }

    fn positions(&self, v: &mut serde_json::Value) -> Result<()> {
        let Some(items) = v.as_array_mut() else {
            return Ok(());
        };
        let position = match items.as_slice() {
            [a, b, ..] => a.as_f64().zip(b.as_f64()),
            _ => None,
        };
        match position {
            Some((lon, lat)) => {
                let [x, y] = self.forward(lon, lat)?;
                items[0] = serde_json::json!(x);
                items[1] = serde_json::json!(y);
                Ok(())
            }
            None => items.iter_mut().try_for_each(|i| self.positions(i)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_the_uris_and_names_the_parameter_otherwise() {
        assert_eq!(OgcCrs::parse(EPSG_3763, "crs").unwrap(), OgcCrs::Epsg3763);
        assert_eq!(OgcCrs::parse(CRS84, "crs").unwrap(), OgcCrs::Crs84);
        let e = OgcCrs::parse("EPSG:3857", "bbox-crs").unwrap_err();
        assert!(e.to_string().contains("bbox-crs"), "{e}");
    }

    #[test]
    fn geometries_are_rewritten_in_the_axis_order_of_the_crs() {
        let mut g =
            json!({"type": "Polygon", "coordinates": [[[-7.9, 38.5], [-7.8, 38.6], [-7.9, 38.5]]]});
        OgcCrs::Epsg4326
            .converter()
            .unwrap()
            .geometry(&mut g)
            .unwrap();
        assert_eq!(g["coordinates"][0][1], json!([38.6, -7.8]));
        let tm06 = OgcCrs::Epsg3763.converter().unwrap();
        let [x, y] = tm06.forward(-7.9073, 38.5720).unwrap();
        // PROJ 9.1: echo "38.5720 -7.9073" | cs2cs EPSG:4326 EPSG:3763
        assert!(
            (x - 19_678.27).abs() < 0.01 && (y - -121_679.99).abs() < 0.01,
            "{x} {y}"
        );
        let [lon, lat] = tm06.to_lon_lat(x, y).unwrap();
        assert!((lon - -7.9073).abs() < 1e-6 && (lat - 38.5720).abs() < 1e-6);
    }
}
