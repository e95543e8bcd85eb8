//! Editing services: a patch is checked field by field with the import's checks, applied at
//! once or kept pending for review (per the region's `[editing]` classes), and every applied
//! change is kept in the history with who, when, old and new values.
//!
//! Authorisation is checked here, on the stored record, whatever the caller is.
/// The editable fields live below the catalog, in [`crate::fields`]; re-exported here.
pub use crate::fields;
pub mod organisation;
pub mod training;

use crate::account::{Role, User};
use crate::catalog::{history_rows, Catalog};
use crate::error::Refusal;
use crate::model::{Brief, Facts, Service};
use crate::store::{Change, ChangeQuery, ChangeStatus, Decision, EditWrite, NewChange, Subject};
use crate::{Error, Result};
pub use fields::{apply, validate, FieldChange, FIELDS};
use serde::Serialize;
use serde_json::{Map, Value};

/// What an edit did.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// Change ids and fields now live.
    pub applied: Vec<(i64, String)>,
    /// Change ids and fields waiting for a moderator.
    pub pending: Vec<(i64, String)>,
    /// The service as now published.
    #[serde(skip)]
    pub service: Service,
}

fn forbidden(what: &str) -> Error {
    Error::refused(Refusal::Forbidden, what.to_string())
}

fn may_edit(user: &User, before: &Service, after: &Service) -> Result<()> {
    if !user.may_edit(before) {
        return Err(forbidden("this account may not edit this service"));
    }
    if !user.may_edit(after) {
        return Err(forbidden(
            "this account may not move a service out of its area",
        ));
    }
    Ok(())
}

fn row(user: &User, s: &Service, c: &FieldChange, status: ChangeStatus, now: i64) -> NewChange {
    new_change(user, (Subject::Service, &s.id), c, status, now)
}

/// A change row by an account to a subject (a service or an organisation, and its id).
fn new_change(
    user: &User,
    (subject, id): (Subject, &str),
    c: &FieldChange,
    status: ChangeStatus,
    now: i64,
) -> NewChange {
    NewChange {
        subject,
        service_id: id.to_string(),
        field: c.field.clone(),
        old: c.old.clone(),
        new: c.new.clone(),
        user_id: Some(user.id),
        role: Some(user.role.as_str().into()),
        source: user.role.as_str().into(),
        status,
        created: now,
        reverts: None,
    }
}

fn stamp(s: &mut Service, now: i64) {
    s.updated = Some(crate::quality::checks::iso_from_days(
        now.div_euclid(86_400),
    ));
}

/// Submits a patch to a service: checked whole (any bad field: nothing stored); a provider's
/// changes to review classes wait as pending, everything else goes live, with history rows, in
/// one transaction.
pub fn submit(
    cat: &Catalog,
    user: &User,
    id: &str,
    body: &Map<String, Value>,
    now: i64,
) -> Result<Outcome> {
    let region = cat.region();
    let ((kinds, service), ids) = cat.edit(id, |s| {
        if !user.may_edit(s) {
            return Err(forbidden("this account may not edit this service"));
        }
        let changes = validate(region, s, body)?;
        let mut next = s.clone();
        let (mut new, mut kinds) = (Vec::new(), Vec::new());
        for c in &changes {
            let live = goes_live(user, region, fields::class_of(&c.field).unwrap_or(""));
            if live {
                apply(region, &mut next, &c.field, &c.new)?;
            }
            new.push(row(user, s, c, status_of(live), now));
            kinds.push((live, c.field.clone()));
        }
        may_edit(user, s, &next)?;
        // Declaring the same number of vacancies again says it is still true today.
        let redeclared = goes_live(user, region, "vacancies")
            && body.contains_key("vacancies")
            && !changes.iter().any(|c| c.field == "vacancies");
        let service = (redeclared || kinds.iter().any(|(live, _)| *live)).then(|| {
            stamp(&mut next, now);
            // Whoever may edit a record and changes it vouches for it as it now is.
            next.confirmed = next.updated.clone();
            if redeclared || kinds.iter().any(|(live, f)| *live && f == "vacancies") {
                next.vacancies_declared = next.updated.clone();
            }
            next.clone()
        });
        let write = EditWrite {
            services: service.into_iter().collect(),
            new,
            decide: None,
            offers: Vec::new(),
        };
        Ok((write, (kinds, next)))
    })?;
    let (applied, pending) = split(kinds, ids);
    Ok(Outcome {
        applied,
        pending,
        service,
    })
}

/// Change ids with their fields.
type ChangeIds = Vec<(i64, String)>;

/// Whether an account's change to a field of this review class goes live at once: a
/// moderator's or an admin's always, a provider's per the region's `[editing]` classes.
fn goes_live(user: &User, region: &crate::region::Region, class: &str) -> bool {
    user.reviews() || region.editing.is_immediate(class)
}

/// A new change row's status: live ones are applied, the rest wait.
fn status_of(live: bool) -> ChangeStatus {
    if live {
        ChangeStatus::Applied
    } else {
        ChangeStatus::Pending
    }
}

/// The new rows' ids with their fields, live and pending apart (the store returns the ids in
/// the order the rows were given).
fn split(kinds: Vec<(bool, String)>, ids: Vec<i64>) -> (ChangeIds, ChangeIds) {
    let (mut applied, mut pending) = (Vec::new(), Vec::new());
    for ((live, field), id) in kinds.into_iter().zip(ids) {
        if live {
            applied.push((id, field));
        } else {
            pending.push((id, field));
        }
    }
    (applied, pending)
}

fn pending_change(cat: &Catalog, id: i64) -> Result<Change> {
    let c = cat.store().change(id)?.ok_or_else(|| Error::NotFound {
        what: "change",
        id: id.to_string(),
    })?;
    if c.status != ChangeStatus::Pending {
        return Err(Error::refused(
            Refusal::Conflict,
            format!("change {id} is {}, not pending", c.status.as_str()),
        ));
    }
    Ok(c)
}

/// What an approved change left published.
#[derive(Debug, Clone)]
pub enum Decided {
    /// The service, for a change to a service.
    Service(Box<Service>),
    /// The organisation, for a change to an organisation.
    Organisation(organisation::Organisation),
    /// The training offer, for a change to an offer.
    Training(Box<crate::model::training::Offer>),
}

/// Approves a pending change (a moderator in the service's area, or an admin): re-checked
/// against the record as it is now, then applied, with the replaced value kept.
pub fn approve(cat: &Catalog, user: &User, change: i64, now: i64) -> Result<Decided> {
    let c = pending_change(cat, change)?;
    if c.change.subject == Subject::Provider {
        let o = organisation::decide(cat, user, &c, ChangeStatus::Applied, now)?;
        return Ok(Decided::Organisation(o));
    }
    if c.change.subject == Subject::Training {
        let o = training::decide(cat, user, &c, ChangeStatus::Applied, now)?;
        return Ok(Decided::Training(Box::new(o)));
    }
    let region = cat.region();
    let (service, _) = cat.edit(&c.change.service_id, |s| {
        if !user.may_review(s) {
            return Err(forbidden(
                "this account may not review changes to this service",
            ));
        }
        let body = fields::body_of(&c.change.field, &c.change.new);
        let mut next = s.clone();
        for fc in validate(region, s, &body)? {
            apply(region, &mut next, &fc.field, &fc.new)?;
        }
        may_edit(user, s, &next)?;
        stamp(&mut next, now);
        if c.change.field == "vacancies" {
            next.vacancies_declared = next.updated.clone();
        }
        let decide = Decision {
            id: change,
            status: ChangeStatus::Applied,
            by: user.id,
            at: now,
            old: Some(fields::value_of(s, &c.change.field)),
        };
        Ok((
            EditWrite {
                services: vec![next.clone()],
                new: Vec::new(),
                decide: Some(decide),
                offers: Vec::new(),
            },
            next,
        ))
    })?;
    Ok(Decided::Service(Box::new(service)))
}

/// Rejects a pending change (a moderator in the service's area, or an admin); it is never
/// applied.
pub fn reject(cat: &Catalog, user: &User, change: i64, now: i64) -> Result<()> {
    let c = pending_change(cat, change)?;
    if c.change.subject == Subject::Provider {
        organisation::decide(cat, user, &c, ChangeStatus::Rejected, now)?;
        return Ok(());
    }
    if c.change.subject == Subject::Training {
        training::decide(cat, user, &c, ChangeStatus::Rejected, now)?;
        return Ok(());
    }
    cat.edit(&c.change.service_id, |s| {
        if !user.may_review(s) {
            return Err(forbidden(
                "this account may not review changes to this service",
            ));
        }
        let decide = Decision {
            id: change,
            status: ChangeStatus::Rejected,
            by: user.id,
            at: now,
            old: None,
        };
        Ok((
            EditWrite {
                services: Vec::new(),
                new: Vec::new(),
                decide: Some(decide),
                offers: Vec::new(),
            },
            (),
        ))
    })?;
    Ok(())
}

/// Reverts an applied change (admins only): its old value goes back as a new change, so the
/// history keeps both. Returns the new change's id.
pub fn revert(cat: &Catalog, user: &User, change: i64, now: i64) -> Result<i64> {
    if user.role != Role::Admin {
        return Err(forbidden("only an admin may revert a change"));
    }
    let c = cat.store().change(change)?.ok_or_else(|| Error::NotFound {
        what: "change",
        id: change.to_string(),
    })?;
    if c.status != ChangeStatus::Applied {
        return Err(Error::refused(
            Refusal::Conflict,
            format!(
                "change {change} is {}; only an applied change can be reverted",
                c.status.as_str()
            ),
        ));
    }
    let field = c.change.field.as_str();
    if [history_rows::OPENED, history_rows::CLOSED].contains(&field) {
        return Err(Error::refused(
            Refusal::Conflict,
            format!("change {change} records a service {field}; it is not undone by a revert"),
        ));
    }
    if c.change.subject == Subject::Provider {
        return organisation::revert(cat, user, &c, now);
    }
    if c.change.subject == Subject::Training {
        return training::revert(cat, user, &c, now);
    }
    let region = cat.region();
    let (_, ids) = cat.edit(&c.change.service_id, |s| {
        let mut next = s.clone();
        apply(region, &mut next, &c.change.field, &c.change.old)?;
        stamp(&mut next, now);
        let fc = FieldChange {
            field: c.change.field.clone(),
            old: fields::value_of(s, &c.change.field),
            new: c.change.old.clone(),
        };
        let mut r = row(user, s, &fc, ChangeStatus::Applied, now);
        r.reverts = Some(change);
        Ok((
            EditWrite {
                services: vec![next],
                new: vec![r],
                decide: None,
                offers: Vec::new(),
            },
            (),
        ))
    })?;
    ids.first()
        .copied()
        .ok_or_else(|| Error::Internal("the revert wrote no change".into()))
}

/// The changes an account may see with a status (a provider its own services', a moderator its
/// municipalities', an admin all), oldest first.
pub fn changes(cat: &Catalog, user: &User, status: Option<ChangeStatus>) -> Result<Vec<Change>> {
    let all = cat.store().changes(&ChangeQuery {
        status,
        ..Default::default()
    })?;
    if user.role == Role::Admin {
        return Ok(all);
    }
    let services: Vec<Brief> = cat.with_briefs(|it| it.cloned().collect());
    let offers = cat.store().offers()?;
    let visible = |c: &Change| match c.change.subject {
        Subject::Training => offers
            .iter()
            .any(|o| o.id == c.change.service_id && training::may_edit(user, o)),
        Subject::Service => services
            .iter()
            .any(|s| s.id() == c.change.service_id && user.may_edit(s)),
        Subject::Provider => {
            let theirs: Vec<&Brief> = services
                .iter()
                .filter(|s| s.provider_id() == c.change.service_id)
                .collect();
            organisation::may_edit(user, &theirs)
        }
    };
    Ok(all.into_iter().filter(visible).collect())
}

/// One entry of a service's public history: no account ids or e-mail addresses, the role only.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryEntry {
    /// The change's id.
    pub id: i64,
    /// The field.
    pub field: String,
    /// The value before.
    pub old: Value,
    /// The value after.
    pub new: Value,
    /// Who, by role (none for an import).
    pub role: Option<String>,
    /// `provider`, `moderator`, `admin` or `import`.
    pub source: String,
    /// When it was submitted (Unix seconds).
    pub created: i64,
    /// When it went live, if after review (Unix seconds).
    pub approved: Option<i64>,
    /// The change it reverts.
    pub reverts: Option<i64>,
}

/// A service's applied changes, oldest first; a service never stored is not found.
pub fn history(cat: &Catalog, id: &str) -> Result<Vec<HistoryEntry>> {
    let rows = cat.store().changes(&ChangeQuery {
        status: Some(ChangeStatus::Applied),
        subject: Some(Subject::Service),
        service_id: Some(id.to_string()),
    })?;
    if rows.is_empty() {
        cat.get(id)?;
    }
    Ok(rows.into_iter().map(HistoryEntry::from).collect())
}

impl From<Change> for HistoryEntry {
    fn from(c: Change) -> Self {
        HistoryEntry {
            id: c.id,
            field: c.change.field,
            old: c.change.old,
            new: c.change.new,
            role: c.change.role,
            source: c.change.source,
            created: c.change.created,
            approved: c.decided,
            reverts: c.change.reverts,
        }
    }
}
