//! Place names people type to say where they are: municipalities and the localities that
//! services name, matched accent- and case-insensitively; and postal codes, placed by the
//! region's gazetteer or, where it has no postal codes, by the services that give that code.
use crate::geocode::{Gazetteer, PostalCode, Query};
use crate::model::{Facts, Municipality, Service};
use crate::text::fold;
use geo::InteriorPoint;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// What kind of place a name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    /// A municipality (its seat).
    Municipality,
    /// A locality named by services' addresses.
    Locality,
    /// A postal code (CP4-CP3, or a bare CP4 area).
    PostalCode,
}

/// A place found by name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Place {
    /// Its name.
    pub name: String,
    /// Municipality or locality.
    pub kind: PlaceKind,
    /// The municipality's code.
    pub municipality: String,
    /// Longitude.
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
}

/// Places whose folded name contains every word of `q`; names starting with `q` first, then
/// municipalities before localities, then by name.
///
/// ```
/// let m = bussola::demo::example_municipality();
/// let found = bussola::places::search(&[m], std::iter::empty::<bussola::model::Service>(), "evo", 5);
/// assert_eq!(found[0].name, "Évora");
/// ```
pub fn search<S: Facts>(
    municipalities: &[Municipality],
    services: impl Iterator<Item = S>,
    q: &str,
    limit: usize,
) -> Vec<Place> {
    let q = fold(q);
    let words: Vec<&str> = q.split(' ').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return Vec::new();
    }
    let mut places: Vec<Place> = municipalities
        .iter()
        .map(|m| {
            let (lon, lat) = match &m.seat {
                Some((_, lon, lat)) => (*lon, *lat),
                None => m
                    .geometry
                    .interior_point()
                    .map_or((0.0, 0.0), |p| (p.x(), p.y())),
            };
            Place {
                name: m.name.clone(),
                kind: PlaceKind::Municipality,
                municipality: m.code.clone(),
                lon,
                lat,
            }
        })
        .collect();
    // Localities: the mean position of the services that name them, per municipality.
    let mut localities: BTreeMap<(String, String), (String, f64, f64, f64)> = BTreeMap::new();
    for s in services {
        let Some(name) = s.locality() else {
            continue;
        };
        let e = localities
            .entry((fold(name), s.municipality().to_string()))
            .or_insert((name.to_string(), 0.0, 0.0, 0.0));
        e.1 += s.lon();
        e.2 += s.lat();
        e.3 += 1.0;
    }
    for ((folded, muni), (name, lon, lat, n)) in localities {
        let is_municipality = places
            .iter()
            .any(|p| p.municipality == muni && fold(&p.name) == folded);
        if !is_municipality {
            places.push(Place {
                name,
                kind: PlaceKind::Locality,
                municipality: muni,
                lon: lon / n,
                lat: lat / n,
            });
        }
    }
    let mut found: Vec<(bool, Place)> = places
        .into_iter()
        .filter_map(|p| {
            let f = fold(&p.name);
            words
                .iter()
                .all(|w| f.contains(w))
                .then(|| (!f.starts_with(&q), p))
        })
        .collect();
    found.sort_by_cached_key(|(later, p)| (*later, p.kind, fold(&p.name)));
    found.into_iter().take(limit).map(|(_, p)| p).collect()
}

/// Whether typed text is a postal code ("7000-123", "7000 123", "7000", or one followed by its
/// locality, "7000-123 Évora") rather than a name.
pub fn postal_code(q: &str) -> Option<PostalCode> {
    PostalCode::parse(q)
}

/// A postal code placed by a gazetteer that knows it: at the code's locality (or its area's
/// centre), named "7000-123 Évora". `None` when the gazetteer does not know the code.
pub fn from_gazetteer(g: &Gazetteer, pc: PostalCode) -> Option<Place> {
    let code = pc.to_string();
    let entry = g.postal_code(&code)?;
    let placed = g.locate(&Query {
        postal_code: Some(&code),
        municipality: Some(&entry.municipality),
        ..Query::default()
    })?;
    Some(Place {
        name: format!("{code} {}", entry.locality),
        kind: PlaceKind::PostalCode,
        municipality: placed.municipality,
        lon: placed.lon,
        lat: placed.lat,
    })
}

/// Where services that give a postal code are: the mean position of those with the full code
/// (CP4-CP3), and of those in each CP4 area.
#[derive(Debug, Clone, Default)]
pub struct PostalPoints {
    exact: HashMap<PostalCode, Spot>,
    areas: HashMap<u16, Spot>,
}

#[derive(Debug, Clone, Default)]
struct Spot {
    lon: f64,
    lat: f64,
    n: f64,
    /// How many of its services are in each municipality, and name each locality.
    municipalities: BTreeMap<String, usize>,
    localities: BTreeMap<String, usize>,
}

impl Spot {
    fn add(&mut self, s: &Service) {
        self.lon += s.lon;
        self.lat += s.lat;
        self.n += 1.0;
        *self
            .municipalities
            .entry(s.municipality.clone())
            .or_default() += 1;
        if let Some(l) = s.locality.as_deref().filter(|l| !l.trim().is_empty()) {
            *self.localities.entry(l.trim().to_string()).or_default() += 1;
        }
    }

    /// The key most of its services share (the first by name on a tie).
    fn most(counts: &BTreeMap<String, usize>) -> Option<&str> {
        let best = counts.values().copied().max()?;
        counts
            .iter()
            .find(|(_, n)| **n == best)
            .map(|(k, _)| k.as_str())
    }

    fn place(&self, code: String, municipality_name: impl Fn(&str) -> Option<String>) -> Place {
        let municipality = Self::most(&self.municipalities)
            .unwrap_or_default()
            .to_string();
        let locality = Self::most(&self.localities)
            .map(str::to_string)
            .or_else(|| municipality_name(&municipality));
        Place {
            name: match locality {
                Some(l) => format!("{code} {l}"),
                None => code,
            },
            kind: PlaceKind::PostalCode,
            municipality,
            lon: self.lon / self.n,
            lat: self.lat / self.n,
        }
    }
}

impl PostalPoints {
    /// The postal codes of these services' records (those without one, or with one that does
    /// not read as a postal code, left out).
    pub fn of<'a>(services: impl IntoIterator<Item = &'a Service>) -> Self {
        let mut out = PostalPoints::default();
        for s in services {
            let Some(pc) = s.postal_code.as_deref().and_then(PostalCode::parse) else {
                continue;
            };
            if pc.cp3.is_some() {
                out.exact.entry(pc).or_default().add(s);
            }
            out.areas.entry(pc.cp4).or_default().add(s);
        }
        out
    }

    /// A postal code where services give it: the full code's services, else (a bare CP4, or a
    /// full code no service gives) its area's. `municipality_name` names a municipality by code,
    /// for services that give no locality.
    pub fn place(
        &self,
        pc: PostalCode,
        municipality_name: impl Fn(&str) -> Option<String>,
    ) -> Option<Place> {
        if let Some(spot) = self.exact.get(&pc) {
            return Some(spot.place(pc.to_string(), municipality_name));
        }
        let spot = self.areas.get(&pc.cp4)?;
        Some(spot.place(pc.cp4.to_string(), municipality_name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{example_municipality, example_service};
    use crate::model::Service;

    #[test]
    fn finds_municipalities_and_localities_by_folded_words() {
        let m = example_municipality();
        let mut a = example_service();
        a.locality = Some("Nossa Senhora de Machede".into());
        a.lon = -7.8;
        a.lat = 38.6;
        let mut b = a.clone();
        b.lon = -7.6;
        let mut c = example_service();
        c.locality = Some("Évora".into());
        let found = search(
            std::slice::from_ref(&m),
            [&a, &b, &c].into_iter(),
            "machede",
            10,
        );
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, PlaceKind::Locality);
        assert!(
            (found[0].lon + 7.7).abs() < 1e-9,
            "the mean of its services"
        );
        let found = search(&[m], [&a, &b, &c].into_iter(), "ÉVORA", 10);
        assert_eq!(
            found.len(),
            1,
            "the seat's locality is the municipality itself"
        );
        assert_eq!(found[0].kind, PlaceKind::Municipality);
        assert_eq!(found[0].lon, -7.9);
    }

    #[test]
    fn prefix_matches_come_first_and_empty_queries_find_nothing() {
        let mut a = example_municipality();
        a.name = "Vila Viçosa".into();
        a.code = "0714".into();
        let mut b = example_municipality();
        b.name = "Viana do Alentejo".into();
        b.code = "0713".into();
        let mut c = example_municipality();
        c.name = "Évora".into();
        let found = search(
            &[a.clone(), b.clone(), c],
            std::iter::empty::<Service>(),
            "vi",
            10,
        );
        let names: Vec<&str> = found.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["Viana do Alentejo", "Vila Viçosa"]);
        assert!(search(&[a, b], std::iter::empty::<Service>(), "  ", 10).is_empty());
    }

    #[test]
    fn postal_codes_are_placed_where_services_give_them() {
        let mut a = example_service();
        a.postal_code = Some("7000-591".into());
        a.locality = Some("Évora".into());
        a.lon = -7.90;
        a.lat = 38.57;
        let mut b = a.clone();
        b.postal_code = Some("7000 777".into());
        b.lon = -7.80;
        let mut c = a.clone();
        c.postal_code = None;
        c.lon = 0.0;
        let points = PostalPoints::of([&a, &b, &c]);
        let none = |_: &str| None;
        let exact = points
            .place(postal_code("7000-591").unwrap(), none)
            .unwrap();
        assert_eq!(exact.name, "7000-591 Évora");
        assert_eq!(exact.kind, PlaceKind::PostalCode);
        assert_eq!((exact.lon, exact.lat), (-7.90, 38.57));
        // A bare CP4, and a full code no service gives: the area's services, both of them.
        for q in ["7000", "7000-001"] {
            let area = points.place(postal_code(q).unwrap(), none).unwrap();
            assert_eq!(area.name, "7000 Évora", "{q}");
            assert!(
                (area.lon + 7.85).abs() < 1e-9,
                "{q}: the mean of the area's services"
            );
        }
        assert!(points.place(postal_code("7800").unwrap(), none).is_none());
        assert!(postal_code("Évora").is_none());
        assert_eq!(
            postal_code("7000-591 Évora").unwrap(),
            postal_code("7000591").unwrap()
        );
    }

    #[test]
    fn a_gazetteer_without_postal_codes_places_none() {
        let m = example_municipality();
        let g = Gazetteer::new(std::slice::from_ref(&m));
        assert!(from_gazetteer(&g, postal_code("7000-123").unwrap()).is_none());
    }
}
