//! Editing organisations (providers): their name, legal nature and own contact, kept on every
//! service they run. A patch is checked whole, reviewed per the `[editing]` classes and kept
//! in the history like a service's, with [`Subject::Provider`].
use super::fields::{set_contact, text, FieldChange};
use super::HistoryEntry;
use crate::account::{Role, User};
use crate::catalog::Catalog;
use crate::error::Refusal;
use crate::model::{Brief, Contact, Facts, LegalNature, Provider, Service};
use crate::store::{Change, ChangeQuery, ChangeStatus, Decision, EditWrite, NewChange, Subject};
use crate::{Error, Result};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Every editable field of an organisation and its review class (see `[editing]`).
pub const ORG_FIELDS: &[(&str, &str)] = &[
    ("name", "provider"),
    ("legal_nature", "provider"),
    ("phone", "contact"),
    ("email", "contact"),
    ("website", "contact"),
];

/// An organisation as published: who it is, how to reach it, and the services it runs.
#[derive(Debug, Clone, Serialize)]
pub struct Organisation {
    /// The provider id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Legal nature.
    pub legal_nature: LegalNature,
    /// Its own contact (head office).
    pub contact: Contact,
    /// The municipalities (codes) it has services in, sorted.
    pub municipalities: Vec<String>,
    /// Its services, by name.
    pub services: Vec<ServiceRef>,
}

/// A service as listed under its organisation.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceRef {
    /// The service id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Response type code.
    pub type_code: String,
    /// Municipality code.
    pub municipality: String,
}

/// What an organisation edit did.
#[derive(Debug, Clone, Serialize)]
pub struct OrgOutcome {
    /// Change ids and fields now live.
    pub applied: Vec<(i64, String)>,
    /// Change ids and fields waiting for a moderator.
    pub pending: Vec<(i64, String)>,
    /// The organisation as now published.
    pub organisation: Organisation,
}

fn forbidden(what: &str) -> Error {
    Error::refused(Refusal::Forbidden, what.to_string())
}

/// The organisation of a provider id from its services; not found when no service has it.
pub fn organisation(cat: &Catalog, id: &str) -> Result<Organisation> {
    let theirs: Vec<Brief> =
        cat.with_briefs(|it| it.filter(|s| s.provider_id() == id).cloned().collect());
    let mut services = cat.records(&theirs.iter().collect::<Vec<_>>())?;
    services.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
    of_services(&services).ok_or_else(|| Error::NotFound {
        what: "provider",
        id: id.to_string(),
    })
}

fn of_services(services: &[Service]) -> Option<Organisation> {
    let p = &services.first()?.provider;
    let mut municipalities: Vec<String> = services.iter().map(|s| s.municipality.clone()).collect();
    municipalities.sort();
    municipalities.dedup();
    Some(Organisation {
        id: p.id.clone(),
        name: p.name.clone(),
        legal_nature: p.legal_nature,
        contact: p.contact.clone(),
        municipalities,
        services: services
            .iter()
            .map(|s| ServiceRef {
                id: s.id.clone(),
                name: s.name.clone(),
                type_code: s.type_code.clone(),
                municipality: s.municipality.clone(),
            })
            .collect(),
    })
}

/// Whether an account may edit an organisation: admins; its own provider account; a moderator
/// when every one of its services is in the moderator's municipalities.
pub fn may_edit(user: &User, services: &[impl Facts]) -> bool {
    match user.role {
        Role::Admin => true,
        Role::Provider => services
            .first()
            .is_some_and(|s| user.provider.as_deref() == Some(s.provider_id())),
        Role::Moderator => {
            !services.is_empty()
                && services
                    .iter()
                    .all(|s| user.municipalities.iter().any(|m| m == s.municipality()))
        }
        Role::Trainer => false,
    }
}

pub use crate::fields::org_value_of as value_of;

fn set(p: &mut Provider, field: &str, v: &Value) -> std::result::Result<(), String> {
    match field {
        "name" => p.name = text(v, 200)?.ok_or_else(|| "must not be empty".to_string())?,
        "legal_nature" => {
            let t = text(v, 100)?.unwrap_or_default();
            p.legal_nature = LegalNature::parse(&t)
                .ok_or_else(|| format!("'{t}' is not a legal nature (e.g. ipss, public)"))?;
        }
        "phone" | "email" | "website" => set_contact(&mut p.contact, field, v)?,
        _ => {
            let all: Vec<&str> = ORG_FIELDS.iter().map(|(f, _)| *f).collect();
            return Err(format!("not an editable field; one of {}", all.join(", ")));
        }
    }
    Ok(())
}

/// Checks a patch against an organisation with the import's checks and lists the fields it
/// changes; any problem: [`Error::InvalidFields`] naming every bad field.
pub fn validate(p: &Provider, body: &Map<String, Value>) -> Result<Vec<FieldChange>> {
    let mut next = p.clone();
    let mut bad = BTreeMap::new();
    for (k, v) in body {
        if let Err(m) = set(&mut next, k, v) {
            bad.insert(k.clone(), m);
        }
    }
    if !bad.is_empty() {
        return Err(Error::InvalidFields(bad));
    }
    Ok(body
        .keys()
        .map(|f| FieldChange {
            field: f.clone(),
            old: value_of(p, f),
            new: value_of(&next, f),
        })
        .filter(|c| c.old != c.new)
        .collect())
}

/// Every service with the organisation's field set to a (checked) value.
fn with_field(services: &[Service], field: &str, v: &Value) -> Result<Vec<Service>> {
    services
        .iter()
        .map(|s| {
            let mut next = s.clone();
            set(&mut next.provider, field, v)
                .map_err(|m| Error::InvalidFields(BTreeMap::from([(field.to_string(), m)])))?;
            Ok(next)
        })
        .collect()
}

fn row(user: &User, id: &str, c: &FieldChange, status: ChangeStatus, now: i64) -> NewChange {
    super::new_change(user, (Subject::Provider, id), c, status, now)
}

/// Submits a patch to an organisation: checked whole (nothing stored on any bad field); a
/// provider's changes to review classes wait, the rest go live on every one of its services,
/// with history rows, in one transaction.
pub fn submit(
    cat: &Catalog,
    user: &User,
    id: &str,
    body: &Map<String, Value>,
    now: i64,
) -> Result<OrgOutcome> {
    let region = cat.region();
    let ((kinds, org), ids) = cat.edit_provider(id, |services| {
        if !may_edit(user, services) {
            return Err(forbidden("this account may not edit this organisation"));
        }
        let changes = validate(&services[0].provider, body)?;
        let mut next = services.to_vec();
        let (mut new, mut kinds) = (Vec::new(), Vec::new());
        for c in &changes {
            let class = ORG_FIELDS
                .iter()
                .find(|(f, _)| *f == c.field)
                .map_or("", |(_, class)| *class);
            let live = super::goes_live(user, region, class);
            if live {
                next = with_field(&next, &c.field, &c.new)?;
            }
            new.push(row(user, id, c, super::status_of(live), now));
            kinds.push((live, c.field.clone()));
        }
        let org = of_services(&next).ok_or_else(|| Error::Internal("no services".into()))?;
        let services = if kinds.iter().any(|(live, _)| *live) {
            next
        } else {
            Vec::new()
        };
        let write = EditWrite {
            services,
            new,
            decide: None,
            offers: Vec::new(),
        };
        Ok((write, (kinds, org)))
    })?;
    let (applied, pending) = super::split(kinds, ids);
    Ok(OrgOutcome {
        applied,
        pending,
        organisation: sorted(org),
    })
}

fn sorted(mut o: Organisation) -> Organisation {
    o.services
        .sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
    o
}

/// Decides a pending change to an organisation (a moderator of all its services' area, or an
/// admin): approval re-checks and applies it to every service; rejection writes nothing else.
pub fn decide(
    cat: &Catalog,
    user: &User,
    c: &Change,
    status: ChangeStatus,
    now: i64,
) -> Result<Organisation> {
    let (org, _) = cat.edit_provider(&c.change.service_id, |services| {
        if !user.reviews() || !may_edit(user, services) {
            return Err(forbidden(
                "this account may not review changes to this organisation",
            ));
        }
        let p = &services[0].provider;
        let (next, old) = if status == ChangeStatus::Applied {
            let body = Map::from_iter([(c.change.field.clone(), c.change.new.clone())]);
            validate(p, &body)?;
            let next = with_field(services, &c.change.field, &c.change.new)?;
            (next, Some(value_of(p, &c.change.field)))
        } else {
            (Vec::new(), None)
        };
        let org = of_services(if next.is_empty() { services } else { &next });
        let decide = Decision {
            id: c.id,
            status,
            by: user.id,
            at: now,
            old,
        };
        let write = EditWrite {
            services: next,
            new: Vec::new(),
            decide: Some(decide),
            offers: Vec::new(),
        };
        Ok((
            write,
            org.ok_or_else(|| Error::Internal("no services".into()))?,
        ))
    })?;
    Ok(sorted(org))
}

/// Reverts an applied change to an organisation (the caller has checked it is an admin): the
/// old value goes back on every service as a new change. Returns the new change's id.
pub fn revert(cat: &Catalog, user: &User, c: &Change, now: i64) -> Result<i64> {
    let (_, ids) = cat.edit_provider(&c.change.service_id, |services| {
        let next = with_field(services, &c.change.field, &c.change.old)?;
        let fc = FieldChange {
            field: c.change.field.clone(),
            old: value_of(&services[0].provider, &c.change.field),
            new: c.change.old.clone(),
        };
        let mut r = row(user, &c.change.service_id, &fc, ChangeStatus::Applied, now);
        r.reverts = Some(c.id);
        let write = EditWrite {
            services: next,
            new: vec![r],
            decide: None,
            offers: Vec::new(),
        };
        Ok((write, ()))
    })?;
    ids.first()
        .copied()
        .ok_or_else(|| Error::Internal("the revert wrote no change".into()))
}

/// An organisation's applied changes, oldest first (roles only, no accounts).
pub fn history(cat: &Catalog, id: &str) -> Result<Vec<HistoryEntry>> {
    organisation(cat, id)?;
    let rows = cat.store().changes(&ChangeQuery {
        status: Some(ChangeStatus::Applied),
        subject: Some(Subject::Provider),
        service_id: Some(id.to_string()),
    })?;
    Ok(rows.into_iter().map(HistoryEntry::from).collect())
}
