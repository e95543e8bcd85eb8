//! Writing training offers: who may publish, change and withdraw them, what waits for review,
//! and their history, with the same change rows, review and revert as services.
//!
//! Admins publish anywhere, moderators in their municipalities; providers (for their own
//! organisation) and trainers (for their training entity) submit offers that wait for one of
//! them. Once an offer is public, its organiser's changes wait too, except places left (the
//! region's `vacancies` review class) and withdrawing it.
use super::{forbidden, new_change, status_of};
use crate::account::{Role, User};
use crate::catalog::Catalog;
use crate::error::Refusal;
use crate::fields::FieldChange;
use crate::model::training::{Offer, OfferStatus};
use crate::store::{Change, ChangeStatus, Decision, EditWrite, NewChange, Subject};
use crate::training::{self, Context};
use crate::{Error, Result};
use serde_json::{json, Map, Value};

/// The field of the change row that submits or publishes a whole offer.
pub const WHOLE: &str = "offer";

/// What a write did to an offer.
#[derive(Debug, Clone)]
pub struct Written {
    /// The offer as now stored.
    pub offer: Offer,
    /// Change ids and fields now live.
    pub applied: Vec<(i64, String)>,
    /// Change ids and fields waiting for review.
    pub pending: Vec<(i64, String)>,
}

/// Whether an account may change an offer: admins all; moderators those placed in their
/// municipalities; providers and trainers their own organisation's.
pub fn may_edit(user: &User, o: &Offer) -> bool {
    let own = |id: &Option<String>| id.is_some() && *id == user.provider;
    match user.role {
        Role::Admin => true,
        Role::Moderator => o
            .municipality
            .as_ref()
            .is_some_and(|m| user.municipalities.contains(m)),
        Role::Provider => own(&o.organiser.provider_id),
        Role::Trainer => own(&o.organiser.trainer_id),
    }
}

/// Whether an account may approve or reject changes to an offer.
pub fn may_review(user: &User, o: &Offer) -> bool {
    user.reviews() && may_edit(user, o)
}

fn ctx(cat: &Catalog) -> Context<'_> {
    Context {
        region: cat.region(),
        profiles: cat.profiles(),
    }
}

fn today(now: i64) -> String {
    crate::quality::checks::iso_from_days(now.div_euclid(86_400))
}

fn row(user: &User, id: &str, c: &FieldChange, status: ChangeStatus, now: i64) -> NewChange {
    new_change(user, (Subject::Training, id), c, status, now)
}

fn field_value(o: &Offer, field: &str) -> Value {
    match serde_json::to_value(o) {
        Ok(Value::Object(mut m)) => m.remove(field).unwrap_or(Value::Null),
        _ => Value::Null,
    }
}

/// The organiser an account's new offer must have: a provider's own organisation, a trainer's
/// own entity; admins and moderators name any (a provider id must be known).
fn organiser(cat: &Catalog, user: &User, body: &mut Map<String, Value>) -> Result<()> {
    let mut org = match body.remove("organiser") {
        Some(Value::Object(m)) => m,
        Some(Value::Null) | None => Map::new(),
        Some(_) => return Err(invalid("organiser", "an object with name")),
    };
    match user.role {
        Role::Provider => {
            let own = user.provider.clone().unwrap_or_default();
            if !org.contains_key("name") {
                let o = super::organisation::organisation(cat, &own)?;
                org.insert("name".into(), json!(o.name));
            }
            org.insert("provider_id".into(), json!(own));
            org.remove("trainer_id");
        }
        Role::Trainer => {
            org.insert("trainer_id".into(), json!(user.provider));
            org.remove("provider_id");
        }
        Role::Admin | Role::Moderator => {
            if let Some(p) = org.get("provider_id").and_then(Value::as_str) {
                let known = super::organisation::organisation(cat, p);
                if known.is_err() {
                    return Err(invalid(
                        "organiser",
                        &format!("no organisation has the provider id '{p}'"),
                    ));
                }
            }
        }
    }
    body.insert("organiser".into(), Value::Object(org));
    Ok(())
}

fn invalid(field: &str, message: &str) -> Error {
    Error::InvalidFields([(field.to_string(), message.to_string())].into())
}

fn new_id() -> Result<String> {
    let token = crate::auth::new_token()?;
    Ok(format!("tr-{}", &token[..10]))
}

/// A new offer from a submission, checked whole, with the change row that starts its history:
/// published by an admin or a moderator in its area, else pending.
fn prepare(
    cat: &Catalog,
    user: &User,
    body: &Map<String, Value>,
    now: i64,
) -> Result<(Offer, NewChange)> {
    let mut body = body.clone();
    organiser(cat, user, &mut body)?;
    let base = Offer {
        id: new_id()?,
        language: "pt".into(),
        ..Offer::default()
    };
    let mut offer = training::apply(ctx(cat), &base, &body)?;
    if !may_edit(user, &offer) {
        return Err(forbidden("this account may not publish an offer there"));
    }
    let live = user.reviews();
    offer.status = if live {
        OfferStatus::Published
    } else {
        OfferStatus::Pending
    };
    offer.updated = Some(today(now));
    let c = FieldChange {
        field: WHOLE.into(),
        old: Value::Null,
        new: serde_json::to_value(&offer).map_err(|e| Error::Internal(e.to_string()))?,
    };
    let r = row(user, &offer.id, &c, status_of(live), now);
    Ok((offer, r))
}

/// Writes new offers with their first change rows, in one transaction.
fn write_new(cat: &Catalog, user: &User, new: Vec<(Offer, NewChange)>) -> Result<Vec<Written>> {
    let live = user.reviews();
    let (offers, rows): (Vec<Offer>, Vec<NewChange>) = new.into_iter().unzip();
    let (offers, ids) = cat.edit_offer(None, |_| {
        let write = EditWrite {
            new: rows,
            offers: offers.clone(),
            ..EditWrite::default()
        };
        Ok((write, offers))
    })?;
    Ok(offers
        .into_iter()
        .zip(ids)
        .map(|(offer, id)| {
            let ids = vec![(id, WHOLE.to_string())];
            let (applied, pending) = if live { (ids, vec![]) } else { (vec![], ids) };
            Written {
                offer,
                applied,
                pending,
            }
        })
        .collect())
}

/// Submits a new offer: checked whole (any bad field: nothing stored), published at once by
/// an admin or a moderator in its area, else pending review; its history starts with it.
pub fn create(cat: &Catalog, user: &User, body: &Map<String, Value>, now: i64) -> Result<Written> {
    let new = prepare(cat, user, body, now)?;
    write_new(cat, user, vec![new])?
        .pop()
        .ok_or_else(|| Error::Internal("the offer was not written".into()))
}

/// Submits several offers (rows of an imported file, each with its line number) as
/// [`create`] does one: all or none; every problem is named by line and field.
pub fn import(
    cat: &Catalog,
    user: &User,
    rows: &[(usize, Map<String, Value>)],
    now: i64,
) -> Result<Vec<Written>> {
    let mut problems = std::collections::BTreeMap::new();
    let mut new = Vec::new();
    for (line, body) in rows {
        match prepare(cat, user, body, now) {
            Ok(n) => new.push(n),
            Err(Error::InvalidFields(f)) => {
                for (field, m) in f {
                    problems.insert(format!("line {line}: {field}"), m);
                }
            }
            Err(Error::Refused { message, .. }) => {
                problems.insert(format!("line {line}"), message);
            }
            Err(e) => return Err(e),
        }
    }
    if !problems.is_empty() {
        return Err(Error::InvalidFields(problems));
    }
    if new.is_empty() {
        return Err(invalid("body", "no offers in the file"));
    }
    write_new(cat, user, new)
}

fn stored(current: Option<Offer>, id: &str) -> Result<Offer> {
    current.ok_or_else(|| Error::NotFound {
        what: "training offer",
        id: id.to_string(),
    })
}

/// Whether an organiser's change to a field of a public offer goes live without review.
fn goes_live(cat: &Catalog, user: &User, o: &Offer, field: &str) -> bool {
    user.reviews()
        || o.status != OfferStatus::Published
        || (field == "places_left" && cat.region().editing.is_immediate("vacancies"))
}

/// Changes fields of an offer: checked whole; an admin's or moderator's changes go live, an
/// organiser's wait for review once the offer is public (places left excepted).
pub fn patch(
    cat: &Catalog,
    user: &User,
    id: &str,
    body: &Map<String, Value>,
    now: i64,
) -> Result<Written> {
    let (out, ids) = cat.edit_offer(Some(id), |current| {
        let o = stored(current, id)?;
        if !may_edit(user, &o) {
            return Err(forbidden("this account may not change this offer"));
        }
        if o.status == OfferStatus::Withdrawn || o.status == OfferStatus::Rejected {
            let m = format!("offer {id} is {}", o.status.as_str());
            return Err(Error::refused(Refusal::Conflict, m));
        }
        let next = training::apply(ctx(cat), &o, body)?;
        if !may_edit(user, &next) {
            return Err(forbidden(
                "this account may not move an offer out of its area",
            ));
        }
        let (mut live, mut rows, mut kinds) = (o.clone(), Vec::new(), Vec::new());
        for field in training::FIELDS {
            let (old, new) = (field_value(&o, field), field_value(&next, field));
            if old == new {
                continue;
            }
            let now_live = goes_live(cat, user, &o, field);
            if now_live {
                set(&mut live, field, &new)?;
            }
            let c = FieldChange {
                field: field.to_string(),
                old,
                new,
            };
            rows.push(row(user, id, &c, status_of(now_live), now));
            kinds.push((now_live, field.to_string()));
        }
        if kinds.iter().any(|(l, _)| *l) {
            live.updated = Some(today(now));
        }
        let write = EditWrite {
            new: rows,
            offers: vec![live.clone()],
            ..EditWrite::default()
        };
        Ok((write, (live, kinds)))
    })?;
    let (offer, kinds) = out;
    let (applied, pending) = super::split(kinds, ids);
    Ok(Written {
        offer,
        applied,
        pending,
    })
}

/// Sets one field of an offer to a value as stored in a change row.
fn set(o: &mut Offer, field: &str, v: &Value) -> Result<()> {
    let mut m = match serde_json::to_value(&*o) {
        Ok(Value::Object(m)) => m,
        _ => return Err(Error::Internal("an offer is not a JSON object".into())),
    };
    m.insert(field.to_string(), v.clone());
    *o = serde_json::from_value(Value::Object(m))
        .map_err(|e| Error::Internal(format!("offer {}: {field}: {e}", o.id)))?;
    Ok(())
}

/// Withdraws an offer (whoever may change it, at once): it leaves the public list and keeps
/// its history.
pub fn withdraw(cat: &Catalog, user: &User, id: &str, now: i64) -> Result<Offer> {
    let (o, _) = cat.edit_offer(Some(id), |current| {
        let mut o = stored(current, id)?;
        if !may_edit(user, &o) {
            return Err(forbidden("this account may not withdraw this offer"));
        }
        if o.status == OfferStatus::Withdrawn {
            return Err(Error::refused(
                Refusal::Conflict,
                format!("offer {id} is withdrawn"),
            ));
        }
        let c = FieldChange {
            field: "status".into(),
            old: json!(o.status.as_str()),
            new: json!(OfferStatus::Withdrawn.as_str()),
        };
        o.status = OfferStatus::Withdrawn;
        o.updated = Some(today(now));
        let write = EditWrite {
            new: vec![row(user, id, &c, ChangeStatus::Applied, now)],
            offers: vec![o.clone()],
            ..EditWrite::default()
        };
        Ok((write, o))
    })?;
    Ok(o)
}

/// Approves (`Applied`) or rejects a pending change to an offer (an admin, or a moderator in
/// its area). Approving a new offer publishes it; approving a field's change applies it, checked
/// against the offer as it is now.
pub fn decide(cat: &Catalog, user: &User, c: &Change, to: ChangeStatus, now: i64) -> Result<Offer> {
    let id = c.change.service_id.clone();
    let (o, _) = cat.edit_offer(Some(&id), |current| {
        let o = stored(current, &id)?;
        if !may_review(user, &o) {
            return Err(forbidden(
                "this account may not review changes to this offer",
            ));
        }
        let mut next = o.clone();
        let mut old = None;
        match (to, c.change.field.as_str()) {
            (ChangeStatus::Applied, WHOLE) => next.status = OfferStatus::Published,
            (ChangeStatus::Rejected, WHOLE) => next.status = OfferStatus::Rejected,
            (ChangeStatus::Applied, field) => {
                let body = crate::fields::body_of(field, &c.change.new);
                next = training::apply(ctx(cat), &o, &body)?;
                old = Some(field_value(&o, field));
            }
            _ => {}
        }
        if to == ChangeStatus::Applied {
            next.updated = Some(today(now));
        }
        let write = EditWrite {
            decide: Some(Decision {
                id: c.id,
                status: to,
                by: user.id,
                at: now,
                old,
            }),
            offers: vec![next.clone()],
            ..EditWrite::default()
        };
        Ok((write, next))
    })?;
    Ok(o)
}

/// Reverts an applied change to an offer (the caller has checked it is an admin): the old value
/// goes back as a new change; reverting a publication withdraws the offer. The new change's id.
pub fn revert(cat: &Catalog, user: &User, c: &Change, now: i64) -> Result<i64> {
    let id = c.change.service_id.clone();
    let (_, ids) = cat.edit_offer(Some(&id), |current| {
        let o = stored(current, &id)?;
        let mut next = o.clone();
        let (field, back) = match c.change.field.as_str() {
            WHOLE => ("status", json!(OfferStatus::Withdrawn.as_str())),
            f => (f, c.change.old.clone()),
        };
        set(&mut next, field, &back)?;
        next.updated = Some(today(now));
        let fc = FieldChange {
            field: field.to_string(),
            old: field_value(&o, field),
            new: back,
        };
        let mut r = row(user, &id, &fc, ChangeStatus::Applied, now);
        r.reverts = Some(c.id);
        let write = EditWrite {
            new: vec![r],
            offers: vec![next],
            ..EditWrite::default()
        };
        Ok((write, ()))
    })?;
    ids.first()
        .copied()
        .ok_or_else(|| Error::Internal("the revert wrote no change".into()))
}

/// The offers an account may change, whatever their status, by first day then id.
pub fn mine(cat: &Catalog, user: &User) -> Result<Vec<Offer>> {
    let mut out: Vec<Offer> = cat
        .store()
        .offers()?
        .into_iter()
        .filter(|o| may_edit(user, o))
        .collect();
    out.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.id.cmp(&b.id)));
    Ok(out)
}

/// A public offer by id: published (ended ones too, for links kept elsewhere) or withdrawn;
/// one never published is not found.
pub fn public(cat: &Catalog, id: &str) -> Result<Offer> {
    match cat.store().offer(id)? {
        Some(o) if matches!(o.status, OfferStatus::Published | OfferStatus::Withdrawn) => Ok(o),
        _ => Err(Error::NotFound {
            what: "training offer",
            id: id.to_string(),
        }),
    }
}

/// An offer's applied changes, oldest first (public: roles, no accounts).
pub fn history(cat: &Catalog, id: &str) -> Result<Vec<super::HistoryEntry>> {
    public(cat, id)?;
    let rows = cat.store().changes(&crate::store::ChangeQuery {
        status: Some(ChangeStatus::Applied),
        subject: Some(Subject::Training),
        service_id: Some(id.to_string()),
    })?;
    Ok(rows.into_iter().map(super::HistoryEntry::from).collect())
}
