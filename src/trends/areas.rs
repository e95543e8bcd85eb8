//! The areas indicators are kept for: each municipality (its code, as `/api/coverage` gives
//! it), each sub-region when several are served together (its id, as `/api/coverage?region=`
//! takes it), and the whole region (its id).
use crate::region::{Region, Targets};
use crate::{Error, Result};
use serde::Serialize;

/// What an area is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A municipality (concelho).
    Municipality,
    /// One of the regions served together (a NUTS III sub-region of the default).
    SubRegion,
    /// The whole region served.
    Region,
}

/// One area.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Area {
    /// Municipality code, sub-region id or region id.
    pub id: String,
    /// What it is.
    pub kind: Kind,
    /// Its name.
    pub name: String,
    /// The codes of its municipalities (a municipality: its own).
    #[serde(skip)]
    pub municipalities: Vec<String>,
    /// The sub-region a municipality belongs to (its region id when there is one region).
    #[serde(skip)]
    pub within: Option<String>,
    /// Its coverage targets (a municipality: its sub-region's).
    #[serde(skip)]
    pub targets: Targets,
}

/// Whether the region is several sub-regions served together (else its one part is itself).
pub fn has_sub_regions(region: &Region) -> bool {
    region.parts.iter().any(|p| p.id != region.id)
}

/// Every area: the municipalities in code order, the sub-regions in their order, the region.
pub fn all(region: &Region) -> Vec<Area> {
    let targets_of = |part: &str| region.part(part).map_or(region.targets, |p| p.targets);
    let mut out: Vec<Area> = region
        .municipalities
        .iter()
        .map(|m| Area {
            id: m.code.clone(),
            kind: Kind::Municipality,
            name: m.name.clone(),
            municipalities: vec![m.code.clone()],
            within: Some(m.region.clone()),
            targets: targets_of(&m.region),
        })
        .collect();
    if has_sub_regions(region) {
        out.extend(region.parts.iter().map(|p| {
            Area {
                id: p.id.clone(),
                kind: Kind::SubRegion,
                name: p.name.clone(),
                municipalities: region
                    .municipalities
                    .iter()
                    .filter(|m| m.region == p.id)
                    .map(|m| m.code.clone())
                    .collect(),
                within: Some(region.id.clone()),
                targets: p.targets,
            }
        }));
    }
    out.push(Area {
        id: region.id.clone(),
        kind: Kind::Region,
        name: region.name.clone(),
        municipalities: region
            .municipalities
            .iter()
            .map(|m| m.code.clone())
            .collect(),
        within: None,
        targets: region.targets,
    });
    out
}

/// One area by id; an unknown one is a bad `param`, naming what is accepted.
pub fn find(region: &Region, id: &str, param: &str) -> Result<Area> {
    all(region).into_iter().find(|a| a.id == id).ok_or_else(|| {
        let mut ids: Vec<&str> = region.ids().filter(|p| *p != region.id).collect();
        ids.push(&region.id);
        Error::param(
            param,
            format!(
                "unknown area '{id}'; a municipality code (see /api/municipalities) or one of {}",
                ids.join(", ")
            ),
        )
    })
}

/// The areas an area's feed covers: itself and, for a sub-region or the region, every area
/// inside it.
pub fn within(region: &Region, area: &Area) -> Vec<String> {
    all(region)
        .into_iter()
        .filter(|a| {
            a.id == area.id
                || (area.kind != Kind::Municipality
                    && a.kind != Kind::Region
                    && a.municipalities
                        .iter()
                        .all(|m| area.municipalities.contains(m)))
        })
        .map(|a| a.id)
        .collect()
}
