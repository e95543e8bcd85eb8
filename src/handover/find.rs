//! The search a link asks for: a typed place or postal code placed as `/api/places` places it
//! ([`crate::catalog::Catalog::places`]), then the nearest services exactly as `/api/nearest`
//! finds them ([`crate::catalog::Catalog::nearest`]), with their full records.
use super::link::{round5, Link};
use crate::catalog::{Catalog, Filter, NearestQuery};
use crate::model::{Brief, Facts, Service};
use crate::places::{Place, PlaceKind};
use crate::text::fold;
use crate::Result;

/// A service found, with its distance from the search's point.
#[derive(Debug, Clone)]
pub struct Found {
    /// The full record.
    pub service: Service,
    /// Metres from the search's point, when there is one.
    pub distance_m: Option<f64>,
}

/// What a search came to.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// Nothing asked yet: the form alone.
    Start,
    /// The typed words name several places, or none: the person chooses.
    Choose {
        /// What was typed.
        typed: String,
        /// The places that match (none: the page offers the municipalities).
        places: Vec<Place>,
    },
    /// The nearest services to a place, nearest first.
    Results {
        /// The services, as `/api/nearest` lists them.
        found: Vec<Found>,
        /// How many a municipality's listing holds in all, when the list stops at the most a
        /// search lists ([`super::link::K_MAX`]) before them.
        total: Option<usize>,
    },
}

/// The filter of a link. A type implies its group: a group the type is not in is let go (the
/// plain page's two lists cannot follow each other without a script).
pub fn filter(cat: &Catalog, link: &Link) -> Filter {
    let tax = &cat.region().taxonomy;
    let type_group = link
        .type_code
        .as_deref()
        .and_then(|t| tax.get(t))
        .map(|r| r.group.clone());
    let group = match (&link.group, type_group) {
        (Some(g), Some(tg)) if *g != tg => None,
        (g, _) => g.clone(),
    };
    Filter {
        type_code: link.type_code.clone(),
        group,
        subarea: link.subarea.clone(),
        municipality: link.municipality.clone(),
        ..Filter::default()
    }
}

/// The place typed words name, when one stands out: the one exact name (a municipality before a
/// locality of the same name), or the only match — as the map page picks
/// (`web/find-form.js`).
pub fn pick(typed: &str, places: &[Place]) -> Option<Place> {
    let q = fold(typed);
    let exact: Vec<&Place> = places.iter().filter(|p| fold(&p.name) == q).collect();
    exact
        .iter()
        .find(|p| p.kind == PlaceKind::Municipality)
        .copied()
        .or_else(|| (exact.len() == 1).then(|| exact[0]))
        .or_else(|| (places.len() == 1).then(|| &places[0]))
        .cloned()
}

/// Runs the search a link asks for. A link with a point searches from it; one with only a
/// place's name places it first (the returned link then carries the point and the place's
/// name). Codes are checked as `/api/nearest` checks them, naming the bad parameter.
pub fn search(cat: &Catalog, link: &Link) -> Result<(Link, Outcome)> {
    let f = filter(cat, link);
    cat.check_filter(&f)?;
    let mut link = link.clone();
    link.group = f.group.clone();
    if link.at.is_none() && link.place.is_none() {
        // A municipality's list without a place: from its seat, as the map page searches one.
        link.place = link
            .municipality
            .as_deref()
            .and_then(|m| cat.region().municipality(m))
            .map(|m| m.name.clone());
    }
    if link.at.is_none() {
        let Some(typed) = link.place.clone() else {
            return Ok((link, Outcome::Start));
        };
        let places = cat.places(&typed, 20)?;
        match pick(&typed, &places) {
            Some(p) => {
                link.place = Some(p.name.clone());
                link.at = Some((round5(p.lon), round5(p.lat)));
            }
            None => return Ok((link, Outcome::Choose { typed, places })),
        }
    }
    let Some((lon, lat)) = link.at else {
        return Ok((link, Outcome::Start));
    };
    let hits = cat.nearest(&NearestQuery {
        lon,
        lat,
        k: link.k,
        max_km: None,
        filter: f.clone(),
    })?;
    let total = match link.municipality {
        Some(_) if hits.len() >= super::link::K_MAX => Some(cat.list(&f, 1, 0)?.total),
        _ => None,
    };
    let found = with_records(cat, hits.iter().map(|(b, d)| (&**b, Some(*d))))?;
    Ok((link, Outcome::Results { found, total }))
}

/// The full records of briefs, in their order, with what goes with each (those no longer
/// stored left out).
fn with_records<'a>(
    cat: &Catalog,
    items: impl Iterator<Item = (&'a Brief, Option<f64>)>,
) -> Result<Vec<Found>> {
    let items: Vec<(&Brief, Option<f64>)> = items.collect();
    let briefs: Vec<&Brief> = items.iter().map(|(b, _)| *b).collect();
    let mut records = cat.records(&briefs)?;
    Ok(items
        .iter()
        .filter_map(|(b, d)| {
            let i = records.iter().position(|s| s.id == b.id())?;
            Some(Found {
                service: records.swap_remove(i),
                distance_m: *d,
            })
        })
        .collect())
}

/// The chosen services of a link, in its order, with their distance from its point; and the
/// ids no longer found (a printed link outlives a service). With nothing chosen and a point,
/// the first `most` of the search.
pub fn chosen(cat: &Catalog, link: &Link, most: usize) -> Result<(Link, Vec<Found>, Vec<String>)> {
    cat.check_filter(&filter(cat, link))?;
    let mut link = link.clone();
    if link.ids.is_empty() {
        let (searched, outcome) = search(cat, &link)?;
        link = searched;
        if let Outcome::Results { found, .. } = outcome {
            link.ids = found
                .iter()
                .take(most)
                .map(|f| f.service.id.clone())
                .collect();
        }
    }
    let briefs: Vec<std::sync::Arc<Brief>> =
        link.ids.iter().filter_map(|id| cat.brief(id)).collect();
    let at = link.at;
    let found = with_records(
        cat,
        briefs.iter().map(|b| {
            let d =
                at.map(|(lon, lat)| crate::distance::geodesic_m((lon, lat), (b.lon(), b.lat())));
            (&**b, d)
        }),
    )?;
    let missing = link
        .ids
        .iter()
        .filter(|id| !found.iter().any(|f| f.service.id == **id))
        .cloned()
        .collect();
    Ok((link, found, missing))
}
