//! The population table: one CSV row per municipality, attached to the loaded boundaries.
//!
//! Only the total is required. An age band the manifest does not name, or a row leaves empty,
//! stays unknown (`None`), so the indicators that need it report "no data", never zero.
use super::manifest::Manifest;
use super::read::{self, text, CsvPoints, RawFeature};
use super::{keep, Issue, Issues, Severity};
use crate::model::{Municipality, Population};
use crate::Result;
use std::collections::BTreeSet;

/// Reads the manifest's population table into the municipalities; every problem is an issue.
pub(super) fn attach(
    m: &Manifest,
    munis: &mut [Municipality],
    issues: &mut Vec<Issue>,
) -> Result<()> {
    let p = &m.population;
    let file = read::read_csv(&p.path, &CsvPoints::default())?;
    let mut log = Issues {
        file: &p.path,
        list: issues,
    };
    // A filtered boundary file keeps part of a wider table: its other rows are expected.
    let partial = m.boundaries.filter.is_some();
    let mut found = BTreeSet::new();
    for row in file.features.iter().filter(|f| keep(&p.filter, f)) {
        let Some(code) = text(&row.props, &p.code) else {
            log.push(
                Severity::Error,
                &row.place,
                Some(&p.code),
                "no municipality code",
            );
            continue;
        };
        let Some(muni) = munis.iter_mut().find(|x| x.code == code) else {
            if !partial {
                log.push(
                    Severity::Warning,
                    &row.place,
                    Some(&p.code),
                    format!("municipality {code} is not in the boundaries; row ignored"),
                );
            }
            continue;
        };
        let Some(pop) = read_row(p, row, &mut log) else {
            continue;
        };
        if let (Some(a), Some(b), Some(c), Some(d)) =
            (pop.age_0_14, pop.age_15_24, pop.age_25_64, pop.age_65_plus)
        {
            let sum = a + b + c + d;
            if sum != pop.total {
                log.push(
                    Severity::Warning,
                    &row.place,
                    Some(&p.total),
                    format!("age bands sum to {sum}, total says {}", pop.total),
                );
            }
        }
        if let Some([name, lon, lat]) = &p.seat {
            let coord = |c: &str| text(&row.props, c).and_then(|s| s.parse::<f64>().ok());
            match (text(&row.props, name), coord(lon), coord(lat)) {
                (Some(n), Some(x), Some(y)) => muni.seat = Some((n, x, y)),
                _ => log.push(
                    Severity::Warning,
                    &row.place,
                    Some(name),
                    "seat name or position missing",
                ),
            }
        }
        muni.population = pop;
        found.insert(code);
    }
    for muni in munis.iter() {
        if !found.contains(&muni.code) {
            log.list.push(Issue {
                severity: Severity::Error,
                file: p.path.clone(),
                place: None,
                field: Some(p.code.clone()),
                message: format!(
                    "no population row for municipality {} ({})",
                    muni.code, muni.name
                ),
            });
        }
    }
    Ok(())
}

/// One row's figures; `None` (with an error logged) when the total or a number is bad.
fn read_row(
    p: &super::manifest::PopulationFile,
    row: &RawFeature,
    log: &mut Issues,
) -> Option<Population> {
    let mut bad = false;
    // `required`: a missing cell is an error; otherwise a warning and the figure stays unknown.
    let mut num = |col: &str, required: bool, log: &mut Issues| -> Option<u64> {
        match text(&row.props, col) {
            None if required => {
                log.push(Severity::Error, &row.place, Some(col), "missing");
                bad = true;
                None
            }
            None => {
                log.push(Severity::Warning, &row.place, Some(col), "empty: no data");
                None
            }
            Some(s) => match s.parse::<u64>() {
                Ok(n) => Some(n),
                Err(_) => {
                    log.push(
                        Severity::Error,
                        &row.place,
                        Some(col),
                        format!("'{s}' is not a whole number"),
                    );
                    bad = true;
                    None
                }
            },
        }
    };
    let total = num(&p.total, true, log);
    let mut band =
        |col: &Option<String>, log: &mut Issues| col.as_deref().and_then(|c| num(c, false, log));
    let pop = Population {
        total: total.unwrap_or(0),
        age_0_14: band(&p.age_0_14, log),
        age_15_24: band(&p.age_15_24, log),
        age_25_64: band(&p.age_25_64, log),
        age_65_plus: band(&p.age_65_plus, log),
        age_0_2: band(&p.age_0_2, log),
        live_births: band(&p.live_births, log),
    };
    (!bad).then_some(pop)
}
