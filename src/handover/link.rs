//! A search and the services chosen from it, as a link: `place`, `lon`, `lat`, `type`, `group`,
//! `subarea`, `municipality` (the list keeps to one municipality's services), `k`, `id` (once per chosen service, in the list's order), `note`, `lang`, `size`.
//! The map page (`/`), the plain page (`/find`) and the sheet (`/sheet`) read the same
//! parameters, so a link made by one reopens the same search and choice in the others. Nothing
//! is stored on the server: the link is the state.
use crate::{Error, Result};

/// The language of the plain page and the sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Portuguese (the default).
    #[default]
    Pt,
    /// English.
    En,
}

impl Lang {
    /// `pt` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Pt => "pt",
            Lang::En => "en",
        }
    }

    /// The other language (the switch offers it).
    pub fn other(self) -> Lang {
        match self {
            Lang::Pt => Lang::En,
            Lang::En => Lang::Pt,
        }
    }
}

/// The text size the map page's control chose; the sheet follows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Size {
    /// Body text of 14 pt on paper.
    #[default]
    Normal,
    /// 17 pt.
    Large,
    /// 20 pt.
    Larger,
}

impl Size {
    /// Every size, smallest first.
    pub const ALL: [Size; 3] = [Size::Normal, Size::Large, Size::Larger];

    /// Its name in links and on the page (`normal`, `large`, `larger`).
    pub fn code(self) -> &'static str {
        match self {
            Size::Normal => "normal",
            Size::Large => "large",
            Size::Larger => "larger",
        }
    }

    /// The body text on paper, in points.
    pub fn points(self) -> u32 {
        match self {
            Size::Normal => 14,
            Size::Large => 17,
            Size::Larger => 20,
        }
    }

    /// How many services fit on one A4 sheet at this size, whatever their words: two rows of
    /// two columns at the normal size, one column at the larger ones (checked by printing the
    /// region's wordiest services in Chromium: `tests/browser/handover.test.mjs`).
    pub fn most(self) -> usize {
        match self {
            Size::Normal => 4,
            Size::Large => 3,
            Size::Larger => 2,
        }
    }
}

/// Every parameter of a link, in their canonical order.
pub const PARAMS: [&str; 12] = [
    "place",
    "lon",
    "lat",
    "type",
    "group",
    "subarea",
    "municipality",
    "k",
    "id",
    "note",
    "lang",
    "size",
];

/// Most characters of a note.
pub const NOTE_MAX: usize = 200;
/// Most characters of a place's name.
pub const PLACE_MAX: usize = 100;
/// Most services a search lists (as `/api/nearest`).
pub const K_MAX: usize = crate::catalog::MAX_K;
/// Services a search lists unless told (as the map page and `/api/nearest`).
pub const K_DEFAULT: usize = 10;

/// A search and the services chosen from it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Link {
    /// The place as typed, or the name of the place found (a label when `at` is given).
    pub place: Option<String>,
    /// Where the search is from: longitude and latitude, rounded to 1e-5 degrees (a metre).
    pub at: Option<(f64, f64)>,
    /// Response type code.
    pub type_code: Option<String>,
    /// Target group code.
    pub group: Option<String>,
    /// Carta Social's target population subarea.
    pub subarea: Option<String>,
    /// A municipality's code: the list holds its services only (a listing, nearest first).
    pub municipality: Option<String>,
    /// How many services the search lists.
    pub k: usize,
    /// The chosen services, in the list's order.
    pub ids: Vec<String>,
    /// A short note from the person helping.
    pub note: Option<String>,
    /// Language.
    pub lang: Lang,
    /// Text size.
    pub size: Size,
}

/// A coordinate as links carry it: rounded to 1e-5 degrees, as the map page rounds its searches.
pub fn round5(x: f64) -> f64 {
    (x * 1e5).round() / 1e5
}

/// Text a person typed: trimmed, control characters out (line breaks kept in notes), at most
/// `max` characters or an error naming the parameter.
fn clean(name: &str, value: &str, max: usize, lines: bool) -> Result<Option<String>> {
    let text: String = value
        .replace("\r\n", "\n")
        .chars()
        .filter(|c| !c.is_control() || (lines && *c == '\n'))
        .collect();
    let text = text.trim();
    let n = text.chars().count();
    if n > max {
        return Err(Error::param(
            name,
            format!("is {n} characters long; at most {max}"),
        ));
    }
    Ok((!text.is_empty()).then(|| text.to_string()))
}

impl Link {
    /// The parameters of a link (a query string's pairs, in order), refusing any not in
    /// `allowed`, a parameter given twice (but `id`), and values out of range, naming the
    /// parameter. Codes (`type`, `group`, `subarea`) are checked against the taxonomy by the
    /// search ([`super::find`]), not here.
    pub fn parse(pairs: &[(String, String)], allowed: &[&str]) -> Result<Link> {
        let mut link = Link {
            k: K_DEFAULT,
            ..Link::default()
        };
        let mut seen: Vec<&str> = Vec::new();
        let (mut lon, mut lat) = (None, None);
        for (key, value) in pairs {
            let key = key.as_str();
            if !allowed.contains(&key) {
                return Err(Error::param(
                    key,
                    format!("unknown parameter; expected one of {}", allowed.join(", ")),
                ));
            }
            if key != "id" {
                if seen.contains(&key) {
                    return Err(Error::param(key, "given more than once"));
                }
                seen.push(key);
            }
            let text = value.trim();
            match key {
                "place" => link.place = clean("place", value, PLACE_MAX, false)?,
                "lon" | "lat" if text.is_empty() => {}
                "lon" | "lat" => {
                    let v = text
                        .parse::<f64>()
                        .ok()
                        .filter(|v| v.is_finite())
                        .ok_or_else(|| Error::param(key, format!("'{text}' is not a number")))?;
                    if key == "lon" {
                        lon = Some(v);
                    } else {
                        lat = Some(v);
                    }
                }
                "type" => link.type_code = (!text.is_empty()).then(|| text.to_string()),
                "group" => link.group = (!text.is_empty()).then(|| text.to_string()),
                "subarea" => link.subarea = (!text.is_empty()).then(|| text.to_string()),
                "municipality" => link.municipality = (!text.is_empty()).then(|| text.to_string()),
                "k" if text.is_empty() => {}
                "k" => {
                    link.k = text
                        .parse::<usize>()
                        .ok()
                        .filter(|k| (1..=K_MAX).contains(k))
                        .ok_or_else(|| {
                            Error::param("k", format!("'{text}': a whole number from 1 to {K_MAX}"))
                        })?;
                }
                "id" if text.is_empty() => {}
                "id" => {
                    if text.chars().count() > 200 {
                        return Err(Error::param("id", "a service id is at most 200 characters"));
                    }
                    if !link.ids.iter().any(|i| i == text) {
                        link.ids.push(text.to_string());
                    }
                }
                "note" => link.note = clean("note", value, NOTE_MAX, true)?,
                "lang" => {
                    link.lang = match text {
                        "" | "pt" => Lang::Pt,
                        "en" => Lang::En,
                        other => {
                            return Err(Error::param("lang", format!("'{other}': one of pt, en")))
                        }
                    }
                }
                "size" => {
                    link.size = match text {
                        "" => Size::Normal,
                        other => Size::ALL
                            .into_iter()
                            .find(|s| s.code() == other)
                            .ok_or_else(|| {
                                Error::param(
                                    "size",
                                    format!("'{other}': one of normal, large, larger"),
                                )
                            })?,
                    }
                }
                // Parameters of one route (e.g. the sheet's `format`) are read by the caller.
                _ => {}
            }
        }
        link.at = match (lon, lat) {
            (Some(lon), Some(lat)) => {
                if let Err((name, msg)) = crate::distance::check_lon_lat(lon, lat) {
                    return Err(Error::param(name, msg));
                }
                Some((round5(lon), round5(lat)))
            }
            (None, None) => None,
            (Some(_), None) => return Err(Error::param("lat", "is required with lon")),
            (None, Some(_)) => return Err(Error::param("lon", "is required with lat")),
        };
        if link.ids.len() > K_MAX {
            return Err(Error::param(
                "id",
                format!("{} services chosen; at most {K_MAX}", link.ids.len()),
            ));
        }
        Ok(link)
    }

    /// The link's parameters in their canonical order, defaults left out.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out: Vec<(&'static str, String)> = Vec::new();
        if let Some(p) = &self.place {
            out.push(("place", p.clone()));
        }
        if let Some((lon, lat)) = self.at {
            out.push(("lon", round5(lon).to_string()));
            out.push(("lat", round5(lat).to_string()));
        }
        for (key, v) in [
            ("type", &self.type_code),
            ("group", &self.group),
            ("subarea", &self.subarea),
            ("municipality", &self.municipality),
        ] {
            if let Some(v) = v {
                out.push((key, v.clone()));
            }
        }
        if self.k != K_DEFAULT {
            out.push(("k", self.k.to_string()));
        }
        out.extend(self.ids.iter().map(|id| ("id", id.clone())));
        if let Some(n) = &self.note {
            out.push(("note", n.clone()));
        }
        if self.lang != Lang::Pt {
            out.push(("lang", self.lang.code().to_string()));
        }
        if self.size != Size::Normal {
            out.push(("size", self.size.code().to_string()));
        }
        out
    }

    /// The link's query string (without `?`), `application/x-www-form-urlencoded`.
    pub fn query(&self) -> String {
        serde_urlencoded::to_string(self.pairs()).unwrap_or_default()
    }

    /// `path` with the link's query string.
    pub fn at_path(&self, path: &str) -> String {
        let q = self.query();
        if q.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{q}")
        }
    }

    /// The same link in another language.
    pub fn in_lang(&self, lang: Lang) -> Link {
        Link {
            lang,
            ..self.clone()
        }
    }

    /// The same search, with nothing chosen and no note.
    pub fn search_only(&self) -> Link {
        Link {
            ids: Vec::new(),
            note: None,
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: &str) -> Result<Link> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(q).unwrap();
        Link::parse(&pairs, &PARAMS)
    }

    #[test]
    fn a_link_reads_back_what_it_wrote() {
        let link = Link {
            place: Some("Évora".into()),
            at: Some((-7.907_914_4, 38.571_23)),
            type_code: Some("ERPI".into()),
            municipality: Some("0705".into()),
            k: 20,
            ids: vec!["demo-0705-erpi-1".into(), "osm, node 7".into()],
            note: Some("Ligar de manhã.\nLevar o cartão de cidadão & receitas".into()),
            lang: Lang::En,
            size: Size::Large,
            ..Link::default()
        };
        let q = link.query();
        assert!(q.contains("lon=-7.90791&lat=38.57123"), "{q}");
        assert!(q.contains("type=ERPI&municipality=0705&k=20"), "{q}");
        let back = parse(&q).unwrap();
        assert_eq!(back.at, Some((-7.90791, 38.57123)));
        assert_eq!(back.municipality.as_deref(), Some("0705"));
        assert_eq!(back.ids, link.ids, "ids with commas survive");
        assert_eq!(back.note, link.note, "line breaks survive");
        assert_eq!(back.query(), q);
        assert_eq!(parse("").unwrap().query(), "", "defaults are left out");
    }

    #[test]
    fn bad_values_name_their_parameter() {
        let param = |q: &str| match parse(q) {
            Err(Error::InvalidParam { param, message }) => format!("{param}: {message}"),
            other => panic!("{q}: {other:?}"),
        };
        assert!(param("lon=abc&lat=1").starts_with("lon: 'abc'"));
        assert!(param("lon=-7.9").starts_with("lat: is required"));
        assert!(param("lon=-7.9&lat=95").starts_with("lat"));
        assert!(param("k=0").starts_with("k:"));
        assert!(param("k=101").starts_with("k:"));
        assert!(param("lang=fr").starts_with("lang:"));
        assert!(param("size=huge").starts_with("size:"));
        assert!(param("place=a&place=b").contains("more than once"));
        assert!(param("bogus=1").starts_with("bogus: unknown parameter"));
        let long = "x".repeat(NOTE_MAX + 1);
        assert!(param(&format!("note={long}")).contains("at most 200"));
        // Repeated ids are one choice each; the same id twice is one.
        let l = parse("id=a&id=b&id=a&id=").unwrap();
        assert_eq!(l.ids, ["a", "b"]);
    }
}
