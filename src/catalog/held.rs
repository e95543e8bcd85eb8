//! Imports and what people edited: an imported value never silently replaces one a provider
//! confirmed, or an organisation's name or legal nature edited, after the source's record was
//! updated; it waits for review as a pending change (source `import`).
use super::writes::Organisations;
use super::Catalog;
use crate::fields::org_value_of;
use crate::ingest::import::{Held, Plan};
use crate::quality::checks::days_from_iso;
use crate::store::{ChangeQuery, ChangeStatus, EditWrite, NewChange, Subject};
use crate::Result;
use std::collections::HashMap;

/// The organisation fields an import may bring.
const ORG_FIELDS: [&str; 2] = ["name", "legal_nature"];

impl Catalog {
    /// Keeps an organisation's name and legal nature as edited (an applied change) on the day
    /// of the source's record or later, in every service the import writes; the import's values
    /// are added to the plan's held values instead.
    pub(super) fn keep_org_edits(&self, known: &Organisations<'_>, plan: &mut Plan) -> Result<()> {
        let mut last_edit: HashMap<(String, &str), Option<i64>> = HashMap::new();
        for s in &mut plan.writes {
            let Some(org) = known.get(s.provider.id.as_str()) else {
                continue;
            };
            for field in ORG_FIELDS {
                let was = org_value_of(org, field);
                let now = org_value_of(&s.provider, field);
                if was == now {
                    continue;
                }
                let key = (s.provider.id.clone(), field);
                let edited = match last_edit.get(&key) {
                    Some(at) => *at,
                    None => {
                        let at = self.last_org_edit(&s.provider.id, field)?;
                        last_edit.insert(key, at);
                        at
                    }
                };
                let Some(at) = edited else { continue };
                let source_day = s.updated.as_deref().and_then(days_from_iso);
                if source_day.is_some_and(|d| d > at.div_euclid(86_400)) {
                    continue; // the source is newer than the edit
                }
                match field {
                    "name" => s.provider.name.clone_from(&org.name),
                    _ => s.provider.legal_nature = org.legal_nature,
                }
                plan.held.push(Held {
                    subject: Subject::Provider,
                    service_id: s.provider.id.clone(),
                    field: field.to_string(),
                    old: was,
                    new: now,
                });
            }
        }
        Ok(())
    }

    /// When an organisation's field last went live through an edit (Unix seconds), if ever.
    fn last_org_edit(&self, provider: &str, field: &str) -> Result<Option<i64>> {
        let applied = self.store.changes(&ChangeQuery {
            status: Some(ChangeStatus::Applied),
            subject: Some(Subject::Provider),
            service_id: Some(provider.to_string()),
        })?;
        Ok(applied
            .iter()
            .filter(|c| c.change.field == field)
            .map(|c| c.decided.unwrap_or(c.change.created))
            .max())
    }

    /// Stores imported values held for review as pending changes (source `import`), once: a
    /// value already waiting (or already in this batch) is not added again, so re-importing
    /// stays idempotent.
    pub(super) fn hold_for_review(&self, held: &[Held]) -> Result<()> {
        let mut new: Vec<NewChange> = Vec::new();
        for h in held {
            let waiting = self.store.changes(&ChangeQuery {
                status: Some(ChangeStatus::Pending),
                subject: Some(h.subject),
                service_id: Some(h.service_id.clone()),
            })?;
            let same =
                |subject: Subject, id: &str, source: &str, field: &str, v: &serde_json::Value| {
                    subject == h.subject
                        && id == h.service_id
                        && source == "import"
                        && field == h.field
                        && *v == h.new
                };
            let known = waiting.iter().any(|c| {
                let c = &c.change;
                same(c.subject, &c.service_id, &c.source, &c.field, &c.new)
            }) || new
                .iter()
                .any(|c| same(c.subject, &c.service_id, &c.source, &c.field, &c.new));
            if !known {
                new.push(NewChange {
                    subject: h.subject,
                    service_id: h.service_id.clone(),
                    field: h.field.clone(),
                    old: h.old.clone(),
                    new: h.new.clone(),
                    user_id: None,
                    role: None,
                    source: "import".into(),
                    status: ChangeStatus::Pending,
                    created: crate::auth::now(),
                    reverts: None,
                });
            }
        }
        if !new.is_empty() {
            self.store.write_edit(&EditWrite {
                services: Vec::new(),
                new,
                decide: None,
                offers: Vec::new(),
            })?;
        }
        Ok(())
    }
}
