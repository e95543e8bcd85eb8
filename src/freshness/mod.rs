//! Freshness: providers confirm their records, and admins and moderators see what has gone
//! stale and whom to contact; providers see how their services are used ([`stats`]).
/// Use counts, buffered by the catalog: they live in [`crate::catalog::counts`].
pub use crate::catalog::counts;
pub mod stats;

use crate::account::{Role, User};
use crate::catalog::Catalog;
use crate::error::Refusal;
use crate::model::Service;
use crate::quality::checks::{days_from_iso, iso_from_days};
use crate::store::EditWrite;
use crate::{Error, Result};
use serde::Serialize;
use std::collections::BTreeMap;

/// Confirmed within this many days: fresh.
pub const FRESH_DAYS: i64 = 90;
/// Confirmed within this many days (and not fresh): ageing; older or never: stale.
pub const AGEING_DAYS: i64 = 365;

fn forbidden(what: &str) -> Error {
    Error::refused(Refusal::Forbidden, what.to_string())
}

/// Confirms services as current on the day of `now` (Unix seconds): one service (`Some(id)`),
/// which the account must be allowed to edit, or every service it may edit. Returns the ids
/// confirmed, in id order.
pub fn confirm(cat: &Catalog, user: &User, one: Option<&str>, now: i64) -> Result<Vec<String>> {
    let today = iso_from_days(now.div_euclid(86_400));
    let ids: Vec<String> = match one {
        Some(id) => vec![id.to_string()],
        None => {
            let mut ids = cat.with_services(|it| {
                it.filter(|s| user.may_edit(s))
                    .map(|s| s.id.clone())
                    .collect::<Vec<_>>()
            })?;
            ids.sort();
            ids
        }
    };
    for id in &ids {
        cat.edit(id, |s| {
            if !user.may_edit(s) {
                return Err(forbidden("this account may not confirm this service"));
            }
            let mut next = s.clone();
            next.confirmed = Some(today.clone());
            let write = EditWrite {
                services: vec![next],
                new: Vec::new(),
                decide: None,
                offers: Vec::new(),
            };
            Ok((write, ()))
        })?;
    }
    Ok(ids)
}

/// How long ago a service was confirmed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Age {
    /// Within [`FRESH_DAYS`].
    Fresh,
    /// Within [`AGEING_DAYS`].
    Ageing,
    /// Longer ago, or never.
    Stale,
}

/// The age class of a service on a day (days since 1970-01-01).
pub fn age(s: &Service, today: i64) -> Age {
    match s.confirmed.as_deref().and_then(days_from_iso) {
        Some(d) if today - d <= FRESH_DAYS => Age::Fresh,
        Some(d) if today - d <= AGEING_DAYS => Age::Ageing,
        _ => Age::Stale,
    }
}

/// One municipality's services by age of confirmation.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct MunicipalityAges {
    /// Municipality code (DICO).
    pub code: String,
    /// Its name.
    pub name: String,
    /// Services.
    pub services: usize,
    /// Confirmed within 90 days.
    pub fresh: usize,
    /// Confirmed 91 to 365 days ago.
    pub ageing: usize,
    /// Confirmed longer ago, or never.
    pub stale: usize,
}

/// A provider with services not confirmed within [`FRESH_DAYS`]: whom to contact.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ToContact {
    /// Provider id.
    pub provider: String,
    /// Provider name.
    pub name: String,
    /// Its services (in the caller's area).
    pub services: usize,
    /// Of them, not confirmed within 90 days.
    pub unconfirmed: usize,
    /// Its oldest confirmation (`None`: some service was never confirmed).
    pub oldest_confirmation: Option<String>,
    /// A phone number from its services' public contacts.
    pub phone: Option<String>,
    /// An e-mail address from its services' public contacts.
    pub email: Option<String>,
}

/// The staleness dashboard.
#[derive(Debug, Clone, Serialize)]
pub struct Staleness {
    /// The day it was computed for (YYYY-MM-DD).
    pub today: String,
    /// Per municipality, in code order.
    pub municipalities: Vec<MunicipalityAges>,
    /// Providers to contact, never-confirmed and oldest first.
    pub providers: Vec<ToContact>,
}

/// The staleness dashboard on a day (days since 1970-01-01): admins see every municipality,
/// moderators only theirs; providers are refused.
pub fn staleness(cat: &Catalog, user: &User, today: i64) -> Result<Staleness> {
    if !user.reviews() {
        return Err(forbidden(
            "the staleness dashboard is for admins and moderators",
        ));
    }
    let region = cat.region();
    let mut munis: BTreeMap<String, MunicipalityAges> = region
        .municipalities
        .iter()
        .filter(|m| user.role == Role::Admin || user.municipalities.contains(&m.code))
        .map(|m| {
            let row = MunicipalityAges {
                code: m.code.clone(),
                name: m.name.clone(),
                ..Default::default()
            };
            (m.code.clone(), row)
        })
        .collect();
    let mut providers: BTreeMap<String, ToContact> = BTreeMap::new();
    cat.with_services(|it| {
        for s in it.filter(|s| user.may_edit(s)) {
            let a = age(s, today);
            if let Some(m) = munis.get_mut(&s.municipality) {
                m.services += 1;
                match a {
                    Age::Fresh => m.fresh += 1,
                    Age::Ageing => m.ageing += 1,
                    Age::Stale => m.stale += 1,
                }
            }
            let p = providers
                .entry(s.provider.id.clone())
                .or_insert_with(|| ToContact {
                    provider: s.provider.id.clone(),
                    name: s.provider.name.clone(),
                    services: 0,
                    unconfirmed: 0,
                    oldest_confirmation: s.confirmed.clone(),
                    phone: None,
                    email: None,
                });
            p.services += 1;
            p.unconfirmed += usize::from(a != Age::Fresh);
            // Never confirmed (None) sorts before any date, so `min` keeps it.
            p.oldest_confirmation = p.oldest_confirmation.clone().min(s.confirmed.clone());
            p.phone = p.phone.clone().or_else(|| s.contact.phone.clone());
            p.email = p.email.clone().or_else(|| s.contact.email.clone());
        }
    })?;
    let mut providers: Vec<ToContact> = providers
        .into_values()
        .filter(|p| p.unconfirmed > 0)
        .collect();
    providers.sort_by(|a, b| {
        (&a.oldest_confirmation, &a.provider).cmp(&(&b.oldest_confirmation, &b.provider))
    });
    Ok(Staleness {
        today: iso_from_days(today),
        municipalities: munis.into_values().collect(),
        providers,
    })
}

/// The providers to contact as CSV (header line first).
pub fn providers_csv(list: &[ToContact]) -> String {
    let mut out =
        String::from("provider,name,services,unconfirmed,oldest_confirmation,phone,email\n");
    for p in list {
        let row = [
            crate::text::csv_text(&p.provider),
            crate::text::csv_text(&p.name),
            p.services.to_string(),
            p.unconfirmed.to_string(),
            crate::text::csv_text(p.oldest_confirmation.as_deref().unwrap_or("")),
            crate::text::csv_text(p.phone.as_deref().unwrap_or("")),
            crate::text::csv_text(p.email.as_deref().unwrap_or("")),
        ];
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}
