//! The indicators over the catalog: coverage by municipality, distance-based gaps and
//! what-if scenarios.
use super::Catalog;
use crate::coverage::{self, CoverageReport, Indicator};
use crate::model::{Brief, Facts};
use crate::{Error, Result};

/// Checks the distance parameters of the gap indicators.
fn check_params(p: &crate::access::Params) -> Result<()> {
    if !(p.threshold_km.is_finite() && p.threshold_km > 0.0 && p.threshold_km <= 500.0) {
        return Err(Error::param(
            "threshold_km",
            format!(
                "must be a distance in km between 0 and 500, got {}",
                p.threshold_km
            ),
        ));
    }
    if !(p.catchment_km.is_finite() && p.catchment_km > 0.0 && p.catchment_km <= 500.0) {
        return Err(Error::param(
            "catchment_km",
            format!(
                "must be a distance in km between 0 and 500, got {}",
                p.catchment_km
            ),
        ));
    }
    Ok(())
}

impl Catalog {
    /// Distance-based gap indicators for response types (all of one group, or given codes).
    pub fn gaps(
        &self,
        types: &[String],
        params: &crate::access::Params,
    ) -> Result<crate::access::GapReport> {
        check_params(params)?;
        for (i, t) in types.iter().enumerate() {
            if self.region.taxonomy.get(t).is_none() {
                let name = if types.len() > 1 {
                    format!("type[{i}]")
                } else {
                    "type".into()
                };
                return Err(Error::param(
                    &name,
                    format!("unknown response type '{t}' (see /api/taxonomy)"),
                ));
            }
        }
        if types.is_empty() {
            return Err(Error::param(
                "type",
                "is required: one or more response codes, comma-separated",
            ));
        }
        let target = crate::access::Target::for_types(&self.region.taxonomy, types);
        let index = self.read()?;
        let of_type: Vec<&Brief> = index
            .iter()
            .filter(|s| types.iter().any(|t| t == s.type_code()))
            .collect();
        let mut report = crate::access::compute(
            &self.region.municipalities,
            &self.region.surface,
            &of_type,
            types,
            target,
            params,
        );
        report.region.name = self.region.name.clone();
        Ok(report)
    }

    /// Runs a what-if scenario on a copy of the services; the store is never touched.
    pub fn scenario(&self, s: &crate::scenario::Scenario) -> Result<crate::scenario::Outcome> {
        check_params(&s.params)?;
        let index = self.read()?;
        let all: Vec<&Brief> = index.iter().collect();
        crate::scenario::run(&self.region, &all, s)
    }

    /// The coverage report for an indicator over the whole region; its target unless one is given.
    pub fn coverage(&self, indicator: Indicator, target: Option<f64>) -> Result<CoverageReport> {
        self.coverage_of(indicator, target, None)
    }

    /// The coverage report of one of the regions served together (by id), or of them all: only
    /// its municipalities, against its own targets and its own regional rate.
    pub fn coverage_of(
        &self,
        indicator: Indicator,
        target: Option<f64>,
        part: Option<&str>,
    ) -> Result<CoverageReport> {
        let r = &self.region;
        let (id, name, targets) = match part {
            None => (r.id.as_str(), r.name.as_str(), r.targets),
            Some(p) => {
                let found = r.part(p).ok_or_else(|| {
                    let ids: Vec<&str> = r.ids().collect();
                    Error::param(
                        "region",
                        format!("unknown region '{p}'; one of {}", ids.join(", ")),
                    )
                })?;
                (found.id.as_str(), found.name.as_str(), found.targets)
            }
        };
        let target = match target {
            Some(t) if !(t.is_finite() && t >= 0.0) => {
                return Err(Error::param(
                    "target",
                    format!("must be a rate of 0 or more, got {t}"),
                ))
            }
            Some(t) => t,
            None => match indicator {
                Indicator::Elderly => targets.elderly,
                Indicator::EarlyChildhood => targets.early_childhood,
            },
        };
        let index = self.read()?;
        let mut report = coverage::compute(
            indicator,
            r.municipalities
                .iter()
                .filter(|m| part.is_none_or(|p| m.region == p)),
            index.iter(),
            &r.taxonomy,
            target,
        );
        report.region.name = name.to_string();
        report.region.region = id.to_string();
        coverage::attach_official_listings(&mut report, &r.taxonomy, &r.links);
        Ok(report)
    }
}
