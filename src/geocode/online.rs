//! An optional online geocoder (e.g. a Nominatim server named by `nominatim_url`), asked before
//! the gazetteer. The library holds no HTTP client: a caller (the CLI) supplies one behind
//! [`OnlineGeocoder`], so nothing here, and no test, touches the network.
use super::{Gazetteer, Placed, Query};
use crate::model::Precision;
use crate::Result;

/// A geocoder that looks up a whole address somewhere else.
pub trait OnlineGeocoder: Send + Sync {
    /// The position of a record's address, WGS84 (lon, lat), and how precise it is; `None`
    /// when the service found nothing.
    fn geocode(&self, q: &Query<'_>) -> Result<Option<(f64, f64, Precision)>>;

    /// A short name for `via` ("Nominatim at https://…").
    fn name(&self) -> String;
}

impl Gazetteer {
    /// Asks `online` first and keeps its answer only if it lies inside the record's
    /// municipality (when the gazetteer knows it); otherwise, or on error, [`Gazetteer::locate`].
    pub fn locate_with(
        &self,
        q: &Query<'_>,
        online: Option<&dyn OnlineGeocoder>,
    ) -> Option<Placed> {
        let offline = self.locate(q);
        let Some(o) = online else { return offline };
        let Ok(Some((lon, lat, precision))) = o.geocode(q) else {
            return offline;
        };
        // The municipality the answer must be in: the stated one, else the one offline found.
        let muni = q
            .municipality
            .and_then(|m| self.municipality_code(m))
            .or_else(|| offline.as_ref().map(|p| p.municipality.clone()));
        let muni = match muni {
            Some(m) if self.inside(&m, lon, lat) => m,
            None => match self.home(None, lon, lat) {
                Some(m) => m,
                None => return offline,
            },
            Some(_) => return offline,
        };
        Some(Placed {
            lon,
            lat,
            precision,
            via: format!("{} ({})", o.name(), self.name_of(&muni)),
            municipality: muni,
        })
    }
}
