//! Writes: every write goes to the store first, in one transaction, and only then to the
//! in-memory index, so the index never holds what the store refused.
use super::{history_rows, Catalog};
use crate::index::{ServiceIndex, Touch};
use crate::model::training::Offer;
use crate::model::{Facts, Provider, Service};
use crate::store::{EditWrite, Store};
use crate::{Error, Result};
use std::collections::{HashMap, HashSet};

/// The source of writes outside imports and accounts (a program writing services directly).
const DATA: &str = "data";

impl Catalog {
    /// Inserts or replaces a service: the store first, then the index.
    pub fn upsert(&self, service: Service) -> Result<()> {
        if let Err((name, msg)) = crate::distance::check_lon_lat(service.lon, service.lat) {
            return Err(Error::param(name, msg));
        }
        if self.region.taxonomy.get(&service.type_code).is_none() {
            return Err(Error::param(
                "type",
                format!("unknown response type '{}'", service.type_code),
            ));
        }
        let (_turn, index) = self.writing()?;
        let stored = self.store.services_by_id(&[&service.id])?;
        let changed = changing(&stored, std::slice::from_ref(&service));
        let rows = history_rows::written(stored.first(), &service, DATA, crate::auth::now());
        let write = EditWrite {
            services: vec![service],
            new: rows,
            ..Default::default()
        };
        self.store.write_edit(&write)?;
        let service = &write.services[..];
        let mut next = (*index).clone();
        let mut touched: Vec<Touch> = service.iter().map(|s| next.upsert(s)).collect();
        touched.extend(renew(&mut next, &changed));
        self.publish(next, touched)
    }

    /// The store (accounts, tokens and the change history are read through it).
    pub fn store(&self) -> &dyn Store {
        &*self.store
    }

    /// Edits one service in the writer's turn: `plan` sees the stored record and says what to
    /// write (its new record, change rows, a decision), which the store writes in one
    /// transaction before the index takes the new record. Returns `plan`'s value and the new
    /// change rows' ids.
    pub fn edit<T>(
        &self,
        id: &str,
        plan: impl FnOnce(&Service) -> Result<(EditWrite, T)>,
    ) -> Result<(T, Vec<i64>)> {
        let (turn, index) = self.writing()?;
        let current = self.get(id)?;
        let planned = plan(&current)?;
        self.commit(turn, &index, std::slice::from_ref(&current), planned)
    }

    /// Writes a planned edit to the store, then publishes the index with it (in the writer's
    /// turn, which ends here). `stored`: the records the plan saw (read once, in the turn).
    fn commit<T>(
        &self,
        turn: std::sync::MutexGuard<'_, ()>,
        index: &ServiceIndex,
        stored: &[Service],
        (write, out): (EditWrite, T),
    ) -> Result<(T, Vec<i64>)> {
        let changed = changing(stored, &write.services);
        let ids = self.store.write_edit(&write)?;
        if !write.services.is_empty() {
            let mut next = index.clone();
            let mut touched: Vec<Touch> = write.services.iter().map(|s| next.upsert(s)).collect();
            touched.extend(renew(&mut next, &changed));
            self.publish(next, touched)?;
        }
        drop(turn);
        Ok((out, ids))
    }

    /// Edits training offers in the writer's turn: `plan` sees the stored offer `id` (none for
    /// a new id, or no id) and says what to write (offers, change rows, a decision), in one
    /// transaction.
    pub fn edit_offer<T>(
        &self,
        id: Option<&str>,
        plan: impl FnOnce(Option<Offer>) -> Result<(EditWrite, T)>,
    ) -> Result<(T, Vec<i64>)> {
        let (turn, index) = self.writing()?;
        let current = match id {
            Some(id) => self.store.offer(id)?,
            None => None,
        };
        let planned = plan(current)?;
        self.commit(turn, &index, &[], planned)
    }

    /// Edits an organisation in the writer's turn, as [`Catalog::edit`] does a service: `plan`
    /// sees every service of the provider (sorted by id) and says what to write, all in one
    /// transaction. A provider id no service has is not found.
    pub fn edit_provider<T>(
        &self,
        provider: &str,
        plan: impl FnOnce(&[Service]) -> Result<(EditWrite, T)>,
    ) -> Result<(T, Vec<i64>)> {
        let (turn, index) = self.writing()?;
        let theirs: Vec<&crate::model::Brief> = index
            .iter()
            .filter(|s| s.provider_id() == provider)
            .collect();
        let mut current = self.records(&theirs)?;
        if current.is_empty() {
            return Err(Error::NotFound {
                what: "provider",
                id: provider.to_string(),
            });
        }
        current.sort_by(|a, b| a.id.cmp(&b.id));
        let planned = plan(&current)?;
        self.commit(turn, &index, &current, planned)
    }

    /// Imports converted records: plans against what is stored (idempotent, merging likely
    /// duplicates from other sources), writes the changes in one transaction, then indexes them.
    pub fn import(
        &self,
        incoming: Vec<Service>,
        same: crate::ingest::import::SameService<'_>,
    ) -> Result<crate::ingest::import::Plan> {
        let (_turn, published) = self.writing()?;
        let stored: Vec<Service> = self.store.services()?;
        let mut plan = crate::ingest::import::plan(&stored, incoming, same);
        let known = organisations(stored.iter());
        for s in &mut plan.writes {
            keep_org_contact(&known, s);
        }
        self.keep_org_edits(&known, &mut plan)?;
        let changed = changing(&stored, &plan.writes);
        let by_id: HashMap<&str, &Service> = stored.iter().map(|s| (s.id.as_str(), s)).collect();
        let now = crate::auth::now();
        let rows = plan
            .writes
            .iter()
            .flat_map(|s| {
                history_rows::written(by_id.get(s.id.as_str()).copied(), s, "import", now)
            })
            .collect();
        let write = EditWrite {
            services: std::mem::take(&mut plan.writes),
            new: rows,
            ..Default::default()
        };
        self.store.write_edit(&write)?;
        plan.writes = write.services;
        self.hold_for_review(&plan.held)?;
        let mut index = (*published).clone();
        let mut touched: Vec<Touch> = plan.writes.iter().map(|s| index.upsert(s)).collect();
        // The store keeps one record per organisation (the last written): every one of its
        // services shows it, so their features are made again.
        touched.extend(renew(&mut index, &changed));
        self.publish(index, touched)?;
        Ok(plan)
    }

    /// Every service's full record, read from the store.
    pub fn all(&self) -> Result<Vec<Service>> {
        self.store.services()
    }

    /// Deletes a service (its closing kept in the history): the store first, then the index.
    pub fn delete(&self, id: &str) -> Result<()> {
        let (_turn, index) = self.writing()?;
        let gone = || Error::NotFound {
            what: "service",
            id: id.to_string(),
        };
        let stored = self.store.services_by_id(&[id])?.pop().ok_or_else(gone)?;
        let row = history_rows::closed(&stored, DATA, crate::auth::now());
        if !self.store.write_removal(id, &[row])? {
            return Err(gone());
        }
        let mut next = (*index).clone();
        let touched = next
            .remove(id)
            .map(|before| Touch {
                before: Some(before),
                after: None,
            })
            .into_iter()
            .collect();
        self.publish(next, touched)
    }
}

/// Renews the briefs of the services of providers whose record changed (none: no pass over
/// the index, which at a million services would cost every write milliseconds).
fn renew(index: &mut ServiceIndex, changed: &HashSet<String>) -> Vec<Touch> {
    if changed.is_empty() {
        return Vec::new();
    }
    index.refresh(|b| changed.contains(b.provider_id()))
}

/// The providers of `written` whose record differs from the one `stored` shows (or that
/// `stored` does not show).
fn changing(stored: &[Service], written: &[Service]) -> HashSet<String> {
    let known: HashMap<&str, &Provider> = stored
        .iter()
        .map(|s| (s.provider.id.as_str(), &s.provider))
        .collect();
    written
        .iter()
        .filter(|s| {
            known
                .get(s.provider.id.as_str())
                .is_none_or(|p| **p != s.provider)
        })
        .map(|s| s.provider.id.clone())
        .collect()
}

/// The organisations of stored services by provider id (one with a contact where any has).
pub(super) type Organisations<'a> = HashMap<&'a str, &'a Provider>;

/// Every organisation of some services, once.
fn organisations<'a>(services: impl Iterator<Item = &'a Service>) -> Organisations<'a> {
    let mut out: Organisations<'a> = HashMap::new();
    for s in services {
        let known = out.entry(s.provider.id.as_str()).or_insert(&s.provider);
        if known.contact.is_empty() {
            *known = &s.provider;
        }
    }
    out
}

/// An organisation's contact is its provider's to keep: a record that comes without one (an
/// import) takes the one already known for its provider.
fn keep_org_contact(known: &Organisations<'_>, s: &mut Service) {
    if s.provider.contact.is_empty() {
        if let Some(p) = known.get(s.provider.id.as_str()) {
            s.provider.contact = p.contact.clone();
        }
    }
}
