//! Place names people type to say where they are: municipalities and the localities that
//! services name, matched accent- and case-insensitively.
use crate::model::{Facts, Municipality};
use crate::text::fold;
use geo::InteriorPoint;
use serde::Serialize;
use std::collections::BTreeMap;

/// What kind of place a name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    /// A municipality (its seat).
    Municipality,
    /// A locality named by services' addresses.
    Locality,
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
}
