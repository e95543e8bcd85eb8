//! The CRS of a Shapefile's `.prj` (WKT, ESRI or OGC flavour) as a [`Crs`].
//!
//! An `AUTHORITY["EPSG", ...]` (or WKT2 `ID["EPSG", ...]`) on the outermost object decides.
//! ESRI `.prj` files carry none, so common CRS names are recognised as well (after ignoring case
//! and punctuation); a recognised name is only trusted when its projection parameters agree with
//! the EPSG definition, so a look-alike custom CRS is refused rather than misplaced.
use crate::reproject::Crs;
use crate::{Error, Result};
use std::path::Path;

/// Names (lowercase letters and digits only) of CRSs known without an authority code.
const KNOWN: &[(&[&str], u32)] = &[
    (
        &[
            "etrs1989portugaltm06",
            "etrs89portugaltm06",
            "pttm06etrs89",
            "etrs89pttm06",
        ],
        3763,
    ),
    (&["gcswgs1984", "wgs84", "wgs1984"], 4326),
    (&["gcsetrs1989", "etrs89", "etrs1989"], 4258),
    (
        &[
            "wgs1984webmercatorauxiliarysphere",
            "wgs1984webmercator",
            "wgs84pseudomercator",
            "webmercator",
            "popularvisualisationcrsmercator",
        ],
        3857,
    ),
    (
        &[
            "lisboahayfordgaussigeoe",
            "lisbonlisbonportuguesenationalgrid",
        ],
        20790,
    ),
    (&["lisboahayfordgaussipcc", "lisbonportuguesegridnew"], 5018),
    (
        &["datum73hayfordgaussipcc", "datum73modifiedportuguesegrid"],
        27493,
    ),
];

/// One bracketed WKT object: its keyword and arguments.
#[derive(Debug, Clone, PartialEq)]
struct Node {
    key: String,
    args: Vec<Arg>,
}

#[derive(Debug, Clone, PartialEq)]
enum Arg {
    Text(String),
    Num(f64),
    Word(String),
    Node(Node),
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn skip_ws(&mut self) {
        while self.s.get(self.i).is_some_and(u8::is_ascii_whitespace) {
            self.i += 1;
        }
    }

    fn word(&mut self) -> String {
        let start = self.i;
        while self
            .s
            .get(self.i)
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'+'))
        {
            self.i += 1;
        }
        String::from_utf8_lossy(&self.s[start..self.i]).into_owned()
    }

    fn node(&mut self, key: String) -> Option<Node> {
        self.i += 1; // the opening bracket
        let mut args = Vec::new();
        loop {
            self.skip_ws();
            match *self.s.get(self.i)? {
                b']' | b')' => {
                    self.i += 1;
                    return Some(Node { key, args });
                }
                b',' => self.i += 1,
                b'"' => {
                    let mut text = Vec::new();
                    self.i += 1;
                    loop {
                        let b = *self.s.get(self.i)?;
                        self.i += 1;
                        if b == b'"' {
                            // A doubled quote is a quote inside the text.
                            if self.s.get(self.i) == Some(&b'"') {
                                self.i += 1;
                            } else {
                                break;
                            }
                        }
                        text.push(b);
                    }
                    args.push(Arg::Text(String::from_utf8_lossy(&text).into_owned()));
                }
                _ => {
                    let w = self.word();
                    if w.is_empty() {
                        return None;
                    }
                    self.skip_ws();
                    if matches!(self.s.get(self.i), Some(b'[' | b'(')) {
                        args.push(Arg::Node(self.node(w)?));
                    } else if let Ok(n) = w.parse::<f64>() {
                        args.push(Arg::Num(n));
                    } else {
                        args.push(Arg::Word(w));
                    }
                }
            }
        }
    }
}

fn parse(text: &str) -> Option<Node> {
    let mut p = Parser {
        s: text.trim().trim_start_matches('\u{feff}').as_bytes(),
        i: 0,
    };
    let key = p.word();
    p.skip_ws();
    if key.is_empty() || !matches!(p.s.get(p.i), Some(b'[' | b'(')) {
        return None;
    }
    p.node(key.to_ascii_uppercase())
}

impl Node {
    fn children<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Node> + 'a {
        self.args.iter().filter_map(move |a| match a {
            Arg::Node(n) if n.key.eq_ignore_ascii_case(key) => Some(n),
            _ => None,
        })
    }

    fn child<'a>(&'a self, key: &'a str) -> Option<&'a Node> {
        self.children(key).next()
    }

    fn name(&self) -> Option<&str> {
        self.args.iter().find_map(|a| match a {
            Arg::Text(t) => Some(t.as_str()),
            _ => None,
        })
    }

    fn num(&self, i: usize) -> Option<f64> {
        match self.args.get(i)? {
            Arg::Num(n) => Some(*n),
            Arg::Text(t) => t.trim().parse().ok(),
            _ => None,
        }
    }

    /// The EPSG code of this object's own AUTHORITY (WKT1) or ID (WKT2).
    fn epsg(&self) -> Option<u32> {
        let id = self.child("AUTHORITY").or_else(|| self.child("ID"))?;
        if !id.name()?.eq_ignore_ascii_case("EPSG") {
            return None;
        }
        let code = id.num(1)?;
        (code >= 1.0 && code.fract() == 0.0 && code <= f64::from(u32::MAX)).then_some(code as u32)
    }

    fn geographic(&self) -> Option<&Node> {
        ["GEOGCS", "BASEGEOGCRS", "GEOGCRS"]
            .iter()
            .find_map(|k| self.child(k))
    }

    /// The prime meridian's longitude (Greenwich when not said).
    fn prime_meridian(&self) -> f64 {
        let g = if self.key.starts_with("GEOG") {
            Some(self)
        } else {
            self.geographic()
        };
        g.and_then(|g| g.child("PRIMEM"))
            .and_then(|p| p.num(1))
            .unwrap_or(0.0)
    }

    fn is_projected(&self) -> bool {
        matches!(self.key.as_str(), "PROJCS" | "PROJCRS" | "PROJECTEDCRS")
    }
}

fn simplify(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// The EPSG code a CRS name stands for, from [`KNOWN`] and the UTM zone names.
fn code_for_name(name: &str) -> Option<u32> {
    let n = simplify(name);
    if let Some((_, code)) = KNOWN.iter().find(|(names, _)| names.contains(&n.as_str())) {
        return Some(*code);
    }
    for (prefix, north, south) in [
        ("wgs1984utmzone", 32600, Some(32700)),
        ("wgs84utmzone", 32600, Some(32700)),
        ("etrs1989utmzone", 25800, None),
        ("etrs89utmzone", 25800, None),
    ] {
        let Some(rest) = n.strip_prefix(prefix) else {
            continue;
        };
        let digits = rest.trim_end_matches(['n', 's']);
        let zone: u32 = digits.parse().ok().filter(|z| (1..=60).contains(z))?;
        return match &rest[digits.len()..] {
            "n" => Some(north + zone),
            "s" => south.map(|s| s + zone),
            _ => None,
        };
    }
    None
}

/// Whether a `.prj` object agrees with the EPSG definition of `code`: same kind (projected or
/// geographic) and the same parameters where both state one.
fn agrees_with_epsg(ours: &Node, code: u32) -> bool {
    let Some(theirs) = u16::try_from(code)
        .ok()
        .and_then(crs_definitions::from_code)
        .and_then(|d| parse(d.wkt))
    else {
        return false;
    };
    if ours.is_projected() != theirs.is_projected() {
        return false;
    }
    let params = |n: &Node| -> Vec<(String, f64)> {
        n.children("PARAMETER")
            .filter_map(|p| Some((p.name()?.to_ascii_lowercase(), p.num(1)?)))
            .collect()
    };
    let (mine, reference) = (params(ours), params(&theirs));
    mine.iter().all(|(key, v)| {
        let Some((_, w)) = reference.iter().find(|(k, _)| k == key) else {
            return true;
        };
        let (v, w) = if key == "central_meridian" || key == "longitude_of_origin" {
            (v + ours.prime_meridian(), w + theirs.prime_meridian())
        } else {
            (*v, *w)
        };
        (v - w).abs() <= 1e-6 * v.abs().max(1.0)
    })
}

/// The CRS a `.prj` file's text declares; `path` names the file in errors, which name no
/// setting: the command that read the file adds its own ([`super::read::with_crs_hint`]).
pub fn crs_from_prj(text: &str, path: &Path) -> Result<Crs> {
    let field = Some(super::read::CRS_FIELD);
    let Some(root) = parse(text) else {
        return Err(Error::data(
            path,
            None,
            field,
            "cannot read the projection (not WKT): declare the file's CRS",
        ));
    };
    let code = match root.epsg() {
        Some(code) => code,
        None => {
            let name = root.name().unwrap_or_default();
            match code_for_name(name).filter(|&c| agrees_with_epsg(&root, c)) {
                Some(code) => code,
                None => {
                    return Err(Error::data(
                        path,
                        None,
                        field,
                        format!("unrecognised CRS \"{name}\": declare the file's CRS"),
                    ))
                }
            }
        }
    };
    Ok(if code == 4326 {
        Crs::Wgs84
    } else {
        Crs::Epsg(code)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crs(text: &str) -> Result<Crs> {
        crs_from_prj(text, Path::new("x.prj"))
    }

    /// ArcGIS's `.prj` for PT-TM06: no authority, ESRI names.
    const ESRI_TM06: &str = r#"PROJCS["ETRS_1989_Portugal_TM06",GEOGCS["GCS_ETRS_1989",DATUM["D_ETRS_1989",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",-8.133108333333334],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",39.66825833333333],UNIT["Meter",1.0]]"#;

    #[test]
    fn esri_names_are_recognised() {
        assert_eq!(crs(ESRI_TM06).unwrap(), Crs::Epsg(3763));
        let wgs = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
        assert_eq!(crs(wgs).unwrap(), Crs::Wgs84);
        let etrs = r#"GEOGCS["GCS_ETRS_1989",DATUM["D_ETRS_1989",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
        assert_eq!(crs(etrs).unwrap(), Crs::Epsg(4258));
        let utm = r#"PROJCS["WGS_1984_UTM_Zone_29N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",-9.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
        assert_eq!(crs(utm).unwrap(), Crs::Epsg(32629));
    }

    #[test]
    fn lisbon_grid_with_greenwich_meridian_matches_the_lisbon_meridian_definition() {
        let igeoe = r#"PROJCS["Lisboa_Hayford_Gauss_IGeoE",GEOGCS["GCS_Lisbon",DATUM["D_Lisbon",SPHEROID["International_1924",6378388.0,297.0]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",200000.0],PARAMETER["False_Northing",300000.0],PARAMETER["Central_Meridian",-8.131906111111112],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",39.66666666666666],UNIT["Meter",1.0]]"#;
        assert_eq!(crs(igeoe).unwrap(), Crs::Epsg(20790));
    }

    #[test]
    fn outermost_authority_wins() {
        let ogc = r#"PROJCS["ETRS89 / Portugal TM06",GEOGCS["ETRS89",AUTHORITY["EPSG","4258"]],PROJECTION["Transverse_Mercator"],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AUTHORITY["EPSG","3763"]]"#;
        assert_eq!(crs(ogc).unwrap(), Crs::Epsg(3763));
        let wkt2 = r#"PROJCRS["x",BASEGEOGCRS["ETRS89",ID["EPSG",4258]],ID["EPSG",3763]]"#;
        assert_eq!(crs(wkt2).unwrap(), Crs::Epsg(3763));
    }

    #[test]
    fn a_known_name_with_other_parameters_is_refused() {
        let shifted = ESRI_TM06.replace(
            "PARAMETER[\"False_Easting\",0.0]",
            "PARAMETER[\"False_Easting\",500000.0]",
        );
        let e = crs(&shifted).unwrap_err().to_string();
        assert!(e.contains("x.prj"), "{e}");
        assert!(e.contains("ETRS_1989_Portugal_TM06"), "{e}");
        assert!(e.contains("declare the file's CRS"), "{e}");
        assert!(crs("not wkt at all").is_err());
    }
}
