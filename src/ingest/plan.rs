//! Planning an import against what is stored: idempotent, with provenance.
//!
//! A record is matched to a stored service by its provenance (same source, same record id),
//! so importing the same file twice changes nothing, and a newer version of the file updates
//! the services it said something about. A record no stored service knows is either a likely
//! duplicate of a service from another source (then merged into it, keeping both
//! provenances) or added.
use crate::model::{Provenance, Service};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
/// What an import does: the services to write and the counts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Plan {
    /// Services to write (added or changed), in input order.
    #[serde(skip)]
    pub writes: Vec<Service>,
    /// New services.
    pub added: usize,
    /// Stored services that changed.
    pub updated: usize,
    /// Records that said nothing new.
    pub unchanged: usize,
    /// Records merged into a service from another source.
    pub merged: Vec<crate::quality::Merge>,
    /// Imported values of fields a provider confirmed more recently, held for review instead
    /// of written.
    pub held: Vec<Held>,
}

/// An imported value held for a moderator's review: the provider confirmed the record after
/// the source last updated it, so the source does not overwrite it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Held {
    /// A service's field, or an organisation's.
    pub subject: crate::store::Subject,
    /// The service (the provider, for an organisation).
    pub service_id: String,
    /// The field (as [`crate::fields`] names it).
    pub field: String,
    /// The provider's value, which stays.
    pub old: serde_json::Value,
    /// The source's value, waiting for review.
    pub new: serde_json::Value,
}

/// Whether two services are likely the same place: distance (m) and name similarity if so.
pub type SameService<'a> = &'a dyn Fn(&Service, &Service) -> Option<(f64, f64)>;

fn entry(s: &Service) -> Option<&Provenance> {
    s.provenance.first()
}

/// Plans importing `incoming` (each with one provenance entry, as [`super::convert`] makes
/// them) over `stored`. Time grows linearly with both: records are matched by hash look-ups,
/// and duplicate candidates are sought only among nearby services of their type from other
/// sources (see `ingest::grid`);
/// `same` must therefore say `None` beyond [`crate::quality::duplicates::MAX_DISTANCE_M`].
pub fn plan(stored: &[Service], mut incoming: Vec<Service>, same: SameService<'_>) -> Plan {
    crate::model::known_natures(stored, &mut incoming);
    let mut current: HashMap<String, Service> =
        stored.iter().map(|s| (s.id.clone(), s.clone())).collect();
    let mut grid = super::grid::Grid::default();
    for s in stored {
        grid.insert(s);
    }
    let mut by_record: HashMap<(String, String), String> = HashMap::new();
    for s in stored {
        for p in &s.provenance {
            by_record.insert((p.source.clone(), p.record.clone()), s.id.clone());
        }
    }
    let mut plan = Plan::default();
    let mut order: Vec<String> = Vec::new();
    let mut ordered: HashSet<String> = HashSet::new();
    for s in incoming {
        let Some(p) = entry(&s).cloned() else {
            continue;
        };
        let key = (p.source.clone(), p.record.clone());
        let known = by_record
            .get(&key)
            .cloned()
            .or_else(|| current.contains_key(&s.id).then(|| s.id.clone()));
        let (next, before) = match known.and_then(|id| current.get(&id).cloned()) {
            Some(old) => (update(&old, &s, &p, &mut plan.held), Some(old)),
            None => {
                let candidate = grid
                    .near(&s, &p.source)
                    .filter_map(|id| current.get(id))
                    .filter(|c| c.type_code == s.type_code && !has_source(c, &p.source))
                    .filter_map(|c| same(c, &s).map(|m| (c, m)))
                    .min_by(|a, b| a.1 .0.total_cmp(&b.1 .0).then_with(|| a.0.id.cmp(&b.0.id)));
                match candidate {
                    Some((c, (distance_m, similarity))) => {
                        plan.merged.push(crate::quality::Merge {
                            kept_id: c.id.clone(),
                            merged_id: s.id.clone(),
                            type_code: s.type_code.clone(),
                            names: [c.name.clone(), s.name.clone()],
                            sources: [c.source.clone(), p.source.clone()],
                            distance_m,
                            similarity,
                        });
                        (merge_into(c, &s, &p), Some(c.clone()))
                    }
                    None => (s, None),
                }
            }
        };
        match &before {
            Some(b) if *b == next => plan.unchanged += 1,
            Some(_) => plan.updated += 1,
            None => plan.added += 1,
        }
        if before.as_ref() != Some(&next) {
            if ordered.insert(next.id.clone()) {
                order.push(next.id.clone());
            }
            by_record.insert(key, next.id.clone());
            if let Some(b) = &before {
                grid.remove(b);
            }
            grid.insert(&next);
            current.insert(next.id.clone(), next);
        }
    }
    plan.writes = order
        .into_iter()
        .filter_map(|id| current.remove(&id))
        .collect();
    plan
}

fn has_source(s: &Service, source: &str) -> bool {
    s.provenance.iter().any(|p| p.source == source)
}

/// A stored service updated by a newer record from one of its sources.
fn update(old: &Service, new: &Service, p: &Provenance, held: &mut Vec<Held>) -> Service {
    let owner = old
        .provenance
        .first()
        .is_none_or(|first| first.source == p.source);
    let mut next = if owner {
        // The source the service came from: its newer record wins, other sources' entries stay
        // — except over what the provider confirmed after the source's record was updated.
        let mut n = new.clone();
        n.id = old.id.clone();
        let provider_newer = old
            .confirmed
            .as_deref()
            .is_some_and(|c| new.updated.as_deref().is_none_or(|u| u <= c));
        if provider_newer {
            for (field, _) in crate::fields::FIELDS {
                let was = crate::fields::value_of(old, field);
                let now = crate::fields::value_of(&n, field);
                if was != now {
                    held.push(Held {
                        subject: crate::store::Subject::Service,
                        service_id: old.id.clone(),
                        field: field.to_string(),
                        old: was,
                        new: now,
                    });
                    crate::fields::keep(&mut n, old, field);
                }
            }
        }
        n
    } else {
        // A source merged in later only fills gaps.
        fill(old, new)
    };
    next.provenance = old.provenance.clone();
    // A provider's confirmation is theirs, not the source's; a declaration dates its vacancies.
    next.confirmed = old.confirmed.clone();
    next.vacancies_declared = old
        .vacancies_declared
        .clone()
        .filter(|_| next.vacancies == old.vacancies);
    match next
        .provenance
        .iter_mut()
        .find(|q| q.source == p.source && q.record == p.record)
    {
        Some(q) => *q = p.clone(),
        None => next.provenance.push(p.clone()),
    }
    next
}

/// A service with a record from another source merged in: gaps filled, provenance appended.
fn merge_into(old: &Service, new: &Service, p: &Provenance) -> Service {
    let mut next = fill(old, new);
    next.provenance.push(p.clone());
    next
}

fn fill(old: &Service, new: &Service) -> Service {
    let mut n = old.clone();
    let pick = |a: &mut Option<String>, b: &Option<String>| {
        if a.is_none() {
            a.clone_from(b);
        }
    };
    pick(&mut n.opening_hours, &new.opening_hours);
    pick(&mut n.contact.phone, &new.contact.phone);
    pick(&mut n.contact.email, &new.contact.email);
    pick(&mut n.contact.website, &new.contact.website);
    pick(&mut n.address, &new.address);
    pick(&mut n.postal_code, &new.postal_code);
    pick(&mut n.locality, &new.locality);
    n.capacity = n.capacity.or(new.capacity);
    n.users = n.users.or(new.users);
    n.vacancies = n.vacancies.or(new.vacancies);
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::example_service;

    fn rec(source: &str, id: &str, name: &str, lon: f64) -> Service {
        let mut s = example_service();
        s.id = id.into();
        s.name = name.into();
        s.lon = lon;
        s.demo = false;
        s.source = source.into();
        s.contact.website = None;
        s.provenance = vec![Provenance {
            source: source.into(),
            record: id.into(),
            fields: [("name".to_string(), name.to_string())].into(),
        }];
        s
    }

    fn near(a: &Service, b: &Service) -> Option<(f64, f64)> {
        let d = crate::distance::geodesic_m((a.lon, a.lat), (b.lon, b.lat));
        (d < 100.0 && a.name[..3] == b.name[..3]).then_some((d, 0.9))
    }

    /// Two records of one operator, one saying what it is and one not: the provider keeps the
    /// known nature whatever the order, so a second import changes nothing.
    #[test]
    fn one_provider_keeps_its_known_nature_and_a_second_import_changes_nothing() {
        use crate::model::LegalNature;
        let mut a = rec("osm", "a", "Creche A", -7.9);
        let mut b = rec("osm", "b", "Creche B", -7.8);
        a.provider.legal_nature = LegalNature::Ipss;
        b.provider.legal_nature = LegalNature::Unknown;
        let first = plan(&[], vec![b.clone(), a.clone()], &near);
        assert!(first
            .writes
            .iter()
            .all(|s| s.provider.legal_nature == LegalNature::Ipss));
        let again = plan(&first.writes, vec![a, b], &near);
        assert_eq!((again.updated, again.unchanged), (0, 2));
    }

    #[test]
    fn the_same_file_twice_changes_nothing() {
        let first = plan(&[], vec![rec("osm", "a", "Lar A", -7.9)], &near);
        assert_eq!((first.added, first.updated, first.unchanged), (1, 0, 0));
        let again = plan(&first.writes, vec![rec("osm", "a", "Lar A", -7.9)], &near);
        assert_eq!((again.added, again.updated, again.unchanged), (0, 0, 1));
        assert!(again.writes.is_empty());
    }

    #[test]
    fn a_newer_record_updates_and_a_duplicate_from_another_source_merges() {
        let stored = plan(&[], vec![rec("osm", "a", "Lar A", -7.9)], &near).writes;
        let mut newer = rec("osm", "a", "Lar A", -7.9);
        newer.capacity = Some(7);
        let p = plan(&stored, vec![newer], &near);
        assert_eq!((p.added, p.updated), (0, 1));
        assert_eq!(p.writes[0].capacity, Some(7));

        let mut other = rec("carta-social", "cs-1", "Lar A de Évora", -7.9004);
        other.contact.website = Some("https://lar-a.pt".into());
        let m = plan(&p.writes, vec![other.clone()], &near);
        assert_eq!(m.merged.len(), 1);
        assert_eq!(m.merged[0].kept_id, "a");
        let merged = &m.writes[0];
        assert_eq!(merged.id, "a");
        assert_eq!(merged.name, "Lar A", "the first source keeps its name");
        assert_eq!(merged.contact.website.as_deref(), Some("https://lar-a.pt"));
        let sources: Vec<&str> = merged
            .provenance
            .iter()
            .map(|p| p.source.as_str())
            .collect();
        assert_eq!(sources, ["osm", "carta-social"]);
        // Importing the second source again is idempotent too.
        let again = plan(&m.writes, vec![other], &near);
        assert_eq!((again.added, again.updated, again.unchanged), (0, 0, 1));
    }

    #[test]
    fn far_apart_services_are_both_kept() {
        let stored = plan(&[], vec![rec("osm", "a", "Lar A", -7.9)], &near).writes;
        let p = plan(&stored, vec![rec("cs", "b", "Lar A", -7.8)], &near);
        assert_eq!(p.added, 1);
        assert!(p.merged.is_empty());
    }
}
