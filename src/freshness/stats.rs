//! What a provider gets back: how often its services were viewed, found and contacted (counts
//! only), and the coverage of its municipalities.
use crate::account::{Role, User};
use crate::catalog::Catalog;
use crate::coverage::{GapClass, Indicator};
use crate::error::Refusal;
use crate::quality::checks::iso_from_days;
use crate::store::UsageTotals;
use crate::{Error, Result};
use serde::Serialize;

/// One service's counts over the last 30 and 365 days.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceStats {
    /// Service id.
    pub id: String,
    /// Service name.
    pub name: String,
    /// The last 30 days (today included).
    pub last_30_days: UsageTotals,
    /// The last 365 days (today included).
    pub last_365_days: UsageTotals,
}

/// Coverage of one of the provider's municipalities by one indicator.
#[derive(Debug, Clone, Serialize)]
pub struct MunicipalityCoverage {
    /// Municipality code.
    pub code: String,
    /// Its name.
    pub name: String,
    /// The indicator (`elderly`, `early_childhood`).
    pub indicator: Indicator,
    /// Places per 100 people of the target group, when known.
    pub rate: Option<f64>,
    /// The gap class.
    pub gap_class: GapClass,
}

/// A provider's statistics.
#[derive(Debug, Clone, Serialize)]
pub struct ProviderStats {
    /// Provider id.
    pub provider: String,
    /// Its services, by id.
    pub services: Vec<ServiceStats>,
    /// Coverage of the municipalities its services are in.
    pub coverage: Vec<MunicipalityCoverage>,
}

/// A provider's statistics on a day (days since 1970-01-01): for that provider, moderators of
/// a municipality where it runs a service, and admins.
pub fn provider_stats(
    cat: &Catalog,
    user: &User,
    provider: &str,
    today: i64,
) -> Result<ProviderStats> {
    let mut services = cat.with_services(|it| {
        it.filter(|s| s.provider.id == provider)
            .cloned()
            .collect::<Vec<_>>()
    })?;
    if services.is_empty() {
        return Err(Error::NotFound {
            what: "provider",
            id: provider.to_string(),
        });
    }
    let allowed = match user.role {
        Role::Admin => true,
        Role::Provider => user.provider.as_deref() == Some(provider),
        Role::Moderator => services.iter().any(|s| user.may_edit(s)),
        Role::Trainer => false,
    };
    if !allowed {
        return Err(Error::refused(
            Refusal::Forbidden,
            "this account may not see this provider's statistics".to_string(),
        ));
    }
    services.sort_by(|a, b| a.id.cmp(&b.id));
    let ids: Vec<String> = services.iter().map(|s| s.id.clone()).collect();
    cat.flush_usage()?;
    let m30 = cat.store().usage(&ids, &iso_from_days(today - 29))?;
    let m365 = cat.store().usage(&ids, &iso_from_days(today - 364))?;
    let out = services
        .iter()
        .zip(m30.into_iter().zip(m365))
        .map(|(s, (a, b))| ServiceStats {
            id: s.id.clone(),
            name: s.name.clone(),
            last_30_days: a,
            last_365_days: b,
        })
        .collect();
    let mut munis: Vec<&str> = services.iter().map(|s| s.municipality.as_str()).collect();
    munis.sort_unstable();
    munis.dedup();
    let mut coverage = Vec::new();
    for ind in Indicator::ALL {
        let report = cat.coverage(ind, None)?;
        for row in report
            .municipalities
            .iter()
            .filter(|r| munis.contains(&r.code.as_str()))
        {
            coverage.push(MunicipalityCoverage {
                code: row.code.clone(),
                name: row.name.clone(),
                indicator: ind,
                rate: row.rate,
                gap_class: row.gap_class,
            });
        }
    }
    Ok(ProviderStats {
        provider: provider.to_string(),
        services: out,
        coverage,
    })
}
