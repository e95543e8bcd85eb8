//! Refusing a whole file whose points mostly lie where their records do not say.
//!
//! One misplaced record is a typing error and is rejected alone (see
//! [`crate::region::within`]). When more than half of a file's points are misplaced, the
//! file itself is wrong — axes swapped, metres read as degrees, a wrong CRS — and importing
//! the rest would still move services wrongly, so the file is refused whole, with the likely
//! cause named.
use super::Batch;
use crate::region::within::Placement;
use crate::region::Region;
use crate::reproject::Crs;

/// The likely reason most of a file's points are misplaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// With x and y exchanged, the points fall where their records say.
    Swapped,
    /// The coordinates are not degrees at all (metres of a projected CRS read as WGS84).
    Projected,
    /// The file declares a CRS, and its points reprojected from it fall outside.
    DeclaredCrs(Crs),
    /// The points fall in the region, but in other municipalities than their records name.
    OtherMunicipalities,
    /// The points fall outside the region (a file of another region, or another CRS).
    OutsideRegion,
}

impl std::fmt::Display for Cause {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cause::Swapped => f.write_str("longitude and latitude look swapped"),
            Cause::Projected => f.write_str(
                "the coordinates look like metres (a projected CRS), not longitude and latitude: declare the file's CRS (a GeoJSON crs member, a .prj or --crs EPSG:NNNN)",
            ),
            Cause::DeclaredCrs(crs) => write!(
                f,
                "the declared CRS {crs} looks wrong: reprojected from it the points fall outside the region"
            ),
            Cause::OtherMunicipalities => {
                f.write_str("the points fall in other municipalities than their records name")
            }
            Cause::OutsideRegion => f.write_str(
                "the points fall outside the region: a file of another region, or coordinates in another CRS than declared",
            ),
        }
    }
}

/// Why a file is refused whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Points that lie outside their municipality or the region.
    pub outside: usize,
    /// Records with a point.
    pub points: usize,
    /// The likely cause.
    pub cause: Cause,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} of {} points fall outside the municipality they name or the region; {}. The file is refused whole: nothing of it is imported",
            self.outside, self.points, self.cause
        )
    }
}

/// Whether a point (any x, y) lies where its record says, by the rule of
/// [`crate::region::within`]; numbers that are no longitude/latitude never do.
fn fits(region: &Region, x: f64, y: f64, stated: Option<&str>) -> bool {
    crate::distance::check_lon_lat(x, y).is_ok()
        && stated.is_none_or(|c| region.municipality(c).is_some())
        && matches!(region.place(x, y, stated), Placement::In(_))
}

/// The refusal of a batch (points in WGS84) when more than half of its points are misplaced.
pub fn screen(batch: &Batch, region: &Region) -> Option<Refusal> {
    let mut points = 0;
    let (mut swapped, mut projected, mut in_region) = (0, 0, 0);
    let mut outside = 0;
    for r in &batch.records {
        let Some((x, y)) = r.point else { continue };
        points += 1;
        let stated = r.get("municipality");
        if fits(region, x, y, stated) {
            continue;
        }
        outside += 1;
        if crate::distance::check_lon_lat(x, y).is_err() {
            projected += 1;
        } else if fits(region, y, x, stated) {
            swapped += 1;
        } else if region.municipality_near(x, y).is_some() {
            in_region += 1;
        }
    }
    if outside * 2 <= points {
        return None;
    }
    let cause = if projected * 2 > outside {
        Cause::Projected
    } else if swapped * 2 > outside {
        Cause::Swapped
    } else if in_region * 2 > outside {
        Cause::OtherMunicipalities
    } else if batch.crs != Crs::Wgs84 {
        Cause::DeclaredCrs(batch.crs)
    } else {
        Cause::OutsideRegion
    };
    Some(Refusal {
        outside,
        points,
        cause,
    })
}
