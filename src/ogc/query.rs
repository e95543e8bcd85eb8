//! The items query: `limit`, `offset`, `bbox` and `bbox-crs`, `crs`, `datetime`, the property
//! filters and a small CQL2-text `filter` (equality of queryables joined by `AND`).
use super::crs::OgcCrs;
use super::{DEFAULT_LIMIT, MAX_LIMIT};
use crate::{Error, Result};
use geo::{Coord, Intersects, LineString, Point, Polygon};
use std::collections::BTreeMap;

/// The services' queryables (besides `updated`, which `datetime` filters).
pub const SERVICE_QUERYABLES: &[&str] = &[
    "type",
    "group",
    "subarea",
    "municipality",
    "provider_nature",
    "precision",
    "demo",
    "region",
];
/// The municipalities' queryables.
pub const MUNICIPALITY_QUERYABLES: &[&str] = &["code", "nuts3", "region"];

/// Every query parameter of `items` (those of both layers; a layer refuses the other's).
pub const ITEM_PARAMS: &[&str] = &[
    "f",
    "limit",
    "offset",
    "bbox",
    "bbox-crs",
    "crs",
    "datetime",
    "filter",
    "filter-lang",
    "type",
    "group",
    "subarea",
    "municipality",
    "provider_nature",
    "precision",
    "demo",
    "region",
    "code",
    "nuts3",
];

/// The providers' legal natures as the API writes them.
pub const NATURES: &[&str] = &[
    "ipss",
    "misericordia",
    "public",
    "private_for_profit",
    "cooperative",
    "mutual_association",
    "unknown",
];
/// The precisions of positions as the API writes them.
pub const PRECISIONS: &[&str] = &[
    "building",
    "address",
    "postal_code",
    "locality",
    "parish",
    "municipality",
    "unknown",
];

/// Property values asked for, by queryable.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Wanted(BTreeMap<String, String>);

impl Wanted {
    /// The value asked for a property.
    pub fn get(&self, name: &str) -> Option<String> {
        self.0.get(name).cloned()
    }

    fn add(&mut self, name: &str, value: String, param: &str) -> Result<()> {
        match self.0.get(name) {
            Some(v) if *v != value => Err(Error::param(
                param,
                format!("'{name}' asked twice with different values ('{v}', '{value}')"),
            )),
            _ => {
                self.0.insert(name.to_string(), value);
                Ok(())
            }
        }
    }
}

/// An interval of dates (inclusive; `None` is open), from `datetime`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interval {
    /// The first day (YYYY-MM-DD).
    pub start: Option<String>,
    /// The last day (YYYY-MM-DD).
    pub end: Option<String>,
}

impl Interval {
    /// Parses an instant (`2024-05-01`, `2024-05-01T10:00:00Z`) or an interval
    /// (`start/end`, either end `..` or empty for open). Times count as their day.
    pub fn parse(s: &str) -> Result<Interval> {
        let bad = |why: &str| Error::param("datetime", format!("'{s}': {why}"));
        let day = |t: &str| -> Result<Option<String>> {
            let t = t.trim();
            if t.is_empty() || t == ".." {
                return Ok(None);
            }
            let d = t
                .get(..10)
                .ok_or_else(|| bad("not an RFC 3339 date or date-time"))?;
            let b = d.as_bytes();
            let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
            let rest = &t[10..];
            if !(digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10))
                || !(rest.is_empty() || rest.starts_with(['T', 't']))
            {
                return Err(bad("not an RFC 3339 date or date-time"));
            }
            Ok(Some(d.to_string()))
        };
        match s.split_once('/') {
            None => {
                let d = day(s)?.ok_or_else(|| bad("an instant must be a date"))?;
                Ok(Interval {
                    start: Some(d.clone()),
                    end: Some(d),
                })
            }
            Some((a, b)) => {
                let (start, end) = (day(a)?, day(b)?);
                if let (Some(a), Some(b)) = (&start, &end) {
                    if a > b {
                        return Err(bad("the start is after the end"));
                    }
                }
                Ok(Interval { start, end })
            }
        }
    }

    /// Whether a day (YYYY-MM-DD) falls inside.
    pub fn contains(&self, day: &str) -> bool {
        let day = day.get(..10).unwrap_or(day);
        self.start.as_deref().is_none_or(|s| day >= s)
            && self.end.as_deref().is_none_or(|e| day <= e)
    }
}

/// A box asked for, in WGS84: its lon/lat envelope (what the index is asked) and the box
/// itself as a lon/lat polygon (exact for boxes in another CRS, whose sides curve in lon/lat).
#[derive(Debug, Clone)]
pub struct Area {
    /// min lon, min lat, max lon, max lat.
    pub envelope: [f64; 4],
    /// The box as a polygon.
    pub polygon: Polygon<f64>,
    /// Whether the box was in lon/lat already (the envelope is the box).
    exact: bool,
}

impl Area {
    /// Whether a point lies in the box (its edges included).
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        let [a, b, c, d] = self.envelope;
        let inside = (a..=c).contains(&lon) && (b..=d).contains(&lat);
        inside && (self.exact || self.polygon.intersects(&Point::new(lon, lat)))
    }
}

/// What `items` was asked.
#[derive(Debug, Clone)]
pub struct ItemsQuery {
    /// Features per page.
    pub limit: usize,
    /// Features skipped.
    pub offset: usize,
    /// The box: min and max of both axes in `bbox_crs`'s order.
    pub bbox: Option<[f64; 4]>,
    /// The CRS of `bbox`.
    pub bbox_crs: OgcCrs,
    /// The CRS of the answer.
    pub crs: OgcCrs,
    /// Which `updated` dates.
    pub datetime: Option<Interval>,
    /// Property filters (from parameters and `filter`).
    pub wanted: Wanted,
    /// The parameters to repeat in paging links (all but `f`, `limit` and `offset`).
    pub echo: Vec<(String, String)>,
}

impl ItemsQuery {
    /// Reads the query from its parameters (`get` gives a parameter's text, absent or empty
    /// as `None`).
    pub fn parse(get: &dyn Fn(&str) -> Option<String>) -> Result<ItemsQuery> {
        let mut echo = Vec::new();
        for name in ITEM_PARAMS {
            if ["f", "limit", "offset"].contains(name) {
                continue;
            }
            if let Some(v) = get(name) {
                echo.push((name.to_string(), v));
            }
        }
        let number = |name: &str| -> Result<Option<usize>> {
            get(name)
                .map(|s| {
                    s.parse::<usize>()
                        .map_err(|_| Error::param(name, format!("'{s}' is not a whole number")))
                })
                .transpose()
        };
        let limit = number("limit")?.unwrap_or(DEFAULT_LIMIT);
        if limit == 0 {
            return Err(Error::param("limit", "must be at least 1"));
        }
        let crs_of = |name: &str| {
            get(name)
                .map(|s| OgcCrs::parse(&s, name))
                .transpose()
                .map(Option::unwrap_or_default)
        };
        let bbox = get("bbox").map(|s| parse_bbox(&s)).transpose()?;
        let mut wanted = Wanted::default();
        for name in SERVICE_QUERYABLES.iter().chain(MUNICIPALITY_QUERYABLES) {
            if let Some(v) = get(name) {
                wanted.add(name, v, name)?;
            }
        }
        if let Some(lang) = get("filter-lang") {
            if lang != "cql2-text" {
                return Err(Error::param(
                    "filter-lang",
                    format!("'{lang}' is not supported; only cql2-text"),
                ));
            }
        }
        if let Some(f) = get("filter") {
            for (name, value) in parse_filter(&f)? {
                wanted.add(&name, value, "filter")?;
            }
        }
        Ok(ItemsQuery {
            limit: limit.min(MAX_LIMIT),
            offset: number("offset")?.unwrap_or(0),
            bbox,
            bbox_crs: crs_of("bbox-crs")?,
            crs: crs_of("crs")?,
            datetime: get("datetime").map(|s| Interval::parse(&s)).transpose()?,
            wanted,
            echo,
        })
    }

    /// The box in WGS84, if one was asked.
    pub fn area(&self) -> Result<Option<Area>> {
        let Some([a, b, c, d]) = self.bbox else {
            return Ok(None);
        };
        if a > c || b > d {
            return Err(Error::param(
                "bbox",
                "the lower corner must not exceed the upper corner",
            ));
        }
        let conv = self.bbox_crs.converter()?;
        // Each side walked in 16 steps: in lon/lat the sides of a TM06 box are curves.
        const STEPS: usize = 16;
        let mut ring = Vec::with_capacity(4 * STEPS + 1);
        let corners = [(a, b), (c, b), (c, d), (a, d), (a, b)];
        for w in corners.windows(2) {
            let ((x0, y0), (x1, y1)) = (w[0], w[1]);
            for i in 0..STEPS {
                let t = i as f64 / STEPS as f64;
                let [lon, lat] = conv
                    .to_lon_lat(x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
                    .map_err(|e| Error::param("bbox", e.to_string()))?;
                ring.push(Coord { x: lon, y: lat });
            }
        }
        ring.push(ring[0]);
        let envelope = ring.iter().fold(
            [
                f64::INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NEG_INFINITY,
            ],
            |e, p| [e[0].min(p.x), e[1].min(p.y), e[2].max(p.x), e[3].max(p.y)],
        );
        Ok(Some(Area {
            envelope,
            polygon: Polygon::new(LineString::new(ring), vec![]),
            exact: !matches!(self.bbox_crs, OgcCrs::Epsg3763),
        }))
    }
}

/// `bbox`: four numbers (lower corner, upper corner) or six (with heights, ignored).
fn parse_bbox(s: &str) -> Result<[f64; 4]> {
    let bad = || {
        Error::param(
            "bbox",
            format!("'{s}' is not four numbers (lower corner, upper corner) or six"),
        )
    };
    let n: Vec<f64> = s
        .split(',')
        .map(|p| p.trim().parse::<f64>().ok().filter(|v| v.is_finite()))
        .collect::<Option<Vec<f64>>>()
        .ok_or_else(bad)?;
    match n.as_slice() {
        [a, b, c, d] => Ok([*a, *b, *c, *d]),
        [a, b, _, d, e, _] => Ok([*a, *b, *d, *e]),
        _ => Err(bad()),
    }
}

/// A boolean property value: `true` or `false`.
pub fn boolean(s: &str, name: &str) -> Result<bool> {
    match s {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(Error::param(
            name,
            format!("'{other}' is not true or false"),
        )),
    }
}

/// A path segment, percent-encoded.
pub fn encode_segment(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A CQL2-text filter of equalities joined by `AND`: `type = 'ERPI' AND demo = false`.
/// Property names may be double-quoted; text values are single-quoted (`''` is a quote);
/// numbers and booleans bare.
pub fn parse_filter(s: &str) -> Result<Vec<(String, String)>> {
    let bad = |why: String| {
        Error::param("filter", format!("{why} (supported: equalities of queryables joined by AND, e.g. type = 'ERPI' AND demo = false)"))
    };
    let mut out = Vec::new();
    let mut rest = s.trim();
    loop {
        // The property.
        let (name, after) = if let Some(r) = rest.strip_prefix('"') {
            let end = r.find('"').ok_or_else(|| bad("an unclosed \"".into()))?;
            (r[..end].to_string(), &r[end + 1..])
        } else {
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            (rest[..end].to_string(), &rest[end..])
        };
        if name.is_empty() {
            return Err(bad(format!("expected a property at '{rest}'")));
        }
        if !SERVICE_QUERYABLES.contains(&name.as_str())
            && !MUNICIPALITY_QUERYABLES.contains(&name.as_str())
        {
            return Err(bad(format!("'{name}' is not a queryable")));
        }
        let after = after.trim_start();
        let after = after
            .strip_prefix('=')
            .ok_or_else(|| bad(format!("expected = after '{name}'")))?
            .trim_start();
        // The value.
        let (value, after) = if let Some(r) = after.strip_prefix('\'') {
            let mut v = String::new();
            let mut chars = r.char_indices().peekable();
            let mut end = None;
            while let Some((i, ch)) = chars.next() {
                if ch == '\'' {
                    if chars.peek().is_some_and(|(_, c)| *c == '\'') {
                        chars.next();
                        v.push('\'');
                    } else {
                        end = Some(i);
                        break;
                    }
                } else {
                    v.push(ch);
                }
            }
            let end = end.ok_or_else(|| bad("an unclosed '".into()))?;
            (v, &r[end + 1..])
        } else {
            let end = after.find(char::is_whitespace).unwrap_or(after.len());
            let word = &after[..end];
            let ok = ["true", "false"].contains(&word.to_ascii_lowercase().as_str())
                || word.parse::<f64>().is_ok_and(f64::is_finite);
            if !ok {
                return Err(bad(format!(
                    "'{word}' is not a quoted text, a number or a boolean"
                )));
            }
            (word.to_ascii_lowercase(), &after[end..])
        };
        out.push((name, value));
        let after = after.trim_start();
        if after.is_empty() {
            return Ok(out);
        }
        let (word, tail) = after.split_at(after.find(char::is_whitespace).unwrap_or(after.len()));
        if !word.eq_ignore_ascii_case("and") {
            return Err(bad(format!("expected AND at '{after}'")));
        }
        rest = tail.trim_start();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> Result<ItemsQuery> {
        let map: BTreeMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        ItemsQuery::parse(&|n: &str| map.get(n).cloned())
    }

    #[test]
    fn limit_defaults_to_ten_and_is_capped() {
        assert_eq!(query(&[]).unwrap().limit, 10);
        assert_eq!(query(&[("limit", "5000")]).unwrap().limit, MAX_LIMIT);
        assert!(query(&[("limit", "0")]).is_err());
        assert!(query(&[("limit", "-1")]).is_err());
    }

    #[test]
    fn datetime_instants_and_intervals() {
        let i = Interval::parse("2024-01-01/..").unwrap();
        assert!(i.contains("2024-05-01") && !i.contains("2023-12-31"));
        let i = Interval::parse("../2024-01-01T12:00:00Z").unwrap();
        assert!(i.contains("2024-01-01") && !i.contains("2024-01-02"));
        assert!(Interval::parse("2024-03-05")
            .unwrap()
            .contains("2024-03-05"));
        for bad in [
            "yesterday",
            "2024-13",
            "2024-02-01/2024-01-01",
            "../..x",
            "",
        ] {
            assert!(Interval::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_filter_reads_equalities_joined_by_and() {
        let f = parse_filter("type = 'ERPI' AND \"demo\"=false and municipality='0705'").unwrap();
        assert_eq!(
            f,
            [
                ("type".to_string(), "ERPI".to_string()),
                ("demo".to_string(), "false".to_string()),
                ("municipality".to_string(), "0705".to_string())
            ]
        );
        assert_eq!(parse_filter("type='it''s'").unwrap()[0].1, "it's");
        for bad in [
            "type > 'ERPI'",
            "name = 'x'",
            "type = 'ERPI' OR type = 'SAD'",
            "type = ERPI",
            "type = 'x",
        ] {
            assert!(parse_filter(bad).is_err(), "{bad}");
        }
        let q = query(&[("filter", "type='ERPI'"), ("type", "SAD")]);
        assert!(q.is_err(), "contradicting values are refused");
    }

    #[test]
    fn a_tm06_box_becomes_a_lon_lat_area() {
        let q = query(&[
            ("bbox", "0,-140000,40000,-100000"),
            ("bbox-crs", super::super::crs::EPSG_3763),
        ])
        .unwrap();
        let a = q.area().unwrap().unwrap();
        // Évora (19678, -121680 in TM06) is inside; Beja (-7.86, 38.015: y ≈ -183 km) is not.
        assert!(a.contains(-7.9073, 38.5720));
        assert!(!a.contains(-7.8632, 38.0151));
        assert!(
            a.envelope[0] < -7.9 && a.envelope[2] > -7.7,
            "{:?}",
            a.envelope
        );
        // EPSG:4326 boxes are latitude first.
        let lat_first = query(&[
            ("bbox", "38.5,-8,38.65,-7.8"),
            ("bbox-crs", super::super::crs::EPSG_4326),
        ])
        .unwrap();
        let a = lat_first.area().unwrap().unwrap();
        assert_eq!(a.envelope, [-8.0, 38.5, -7.8, 38.65]);
        assert!(a.contains(-7.9073, 38.5720));
        let six = query(&[("bbox", "-8,38,0,-7,39,100")]).unwrap();
        assert_eq!(six.bbox, Some([-8.0, 38.0, -7.0, 39.0]));
        assert!(query(&[("bbox", "1,2,3")]).is_err());
        assert!(query(&[("bbox", "-7,38,-8,39")]).unwrap().area().is_err());
    }
}
