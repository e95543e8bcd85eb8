//! Geocoding without an external service: records with an address but no coordinates are
//! placed from what is known, most precise first — postal code (CP4-CP3), locality, parish,
//! municipality seat — using a gazetteer built from open files (the CTT postal code list,
//! GeoNames places, a region's parishes and its municipalities).
//!
//! Every point returned lies inside the municipality it is placed in: a place whose point falls
//! outside its stated municipality's boundary is never used.
mod load;
mod lookup;
pub mod online;
pub mod postal;

use crate::model::{Municipality, Precision};
use crate::text::fold;
use geo::{BoundingRect, InteriorPoint, Intersects};
use geo_types::{MultiPolygon, Point, Rect};
use std::collections::{BTreeMap, HashMap};

pub use crate::files::manifest::{GazetteerSpec, PlacesFile, PostalCodesFile};
pub(crate) use load::named_points;
pub use lookup::PostalLookup;
pub use online::OnlineGeocoder;
pub use postal::{PostalCode, PostalEntry};

/// What a record says about where it is; every part is optional.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Query<'a> {
    /// Postal code, in any usual form ("7000-123", "7000 123", "7000123", "7000").
    pub postal_code: Option<&'a str>,
    /// Locality (village or town) name.
    pub locality: Option<&'a str>,
    /// Parish (freguesia) name.
    pub parish: Option<&'a str>,
    /// Municipality: its code (DICO) or name.
    pub municipality: Option<&'a str>,
    /// Street address; only an [`OnlineGeocoder`] uses it.
    pub address: Option<&'a str>,
}

/// Where a record was placed, how precisely, and from what.
#[derive(Debug, Clone, PartialEq)]
pub struct Placed {
    /// Longitude, WGS84 degrees.
    pub lon: f64,
    /// Latitude, WGS84 degrees.
    pub lat: f64,
    /// How precise the position is.
    pub precision: Precision,
    /// The municipality (DICO) the point is in.
    pub municipality: String,
    /// How it was found, for people: "postal code 7000-123 → Évora".
    pub via: String,
}

/// What a gazetteer holds, for logs and checks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Full postal codes (CP4-CP3).
    pub postal_codes: usize,
    /// Named places kept.
    pub places: usize,
    /// Named parishes kept.
    pub parishes: usize,
    /// Points left out: outside their municipality, or in none of the region's.
    pub refused: usize,
}

#[derive(Debug, Clone)]
struct Muni {
    name: String,
    geometry: MultiPolygon<f64>,
    bbox: Option<Rect<f64>>,
    seat: Option<(String, f64, f64)>,
    interior: Option<(f64, f64)>,
}

/// Named points by (municipality, name key); the first point of a name in a municipality wins.
type Points = HashMap<(String, String), (String, f64, f64)>;

/// The postal codes, places, parishes and municipalities records are placed from.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    munis: BTreeMap<String, Muni>,
    muni_names: HashMap<String, String>,
    postal: postal::PostalTable,
    places: Points,
    parishes: Points,
    refused: usize,
}

/// The key names are matched on: folded (accents and case), hyphens as spaces.
fn key(name: &str) -> String {
    fold(&name.replace(['-', '‐'], " "))
}

/// A municipality code as DICO: a 6-digit parish code (DICOFRE) is cut to its municipality,
/// a code that lost its leading zero (a number column) gets it back.
fn dico(code: &str) -> String {
    let c = code.trim();
    match c.len() {
        6 if c.bytes().all(|b| b.is_ascii_digit()) => c[..4].to_string(),
        3 if c.bytes().all(|b| b.is_ascii_digit()) => format!("0{c}"),
        _ => c.to_string(),
    }
}

impl Gazetteer {
    /// Takes another region's gazetteer in (regions served together): what was known first
    /// stays.
    pub fn absorb(&mut self, other: Gazetteer) {
        for (k, v) in other.munis {
            self.munis.entry(k).or_insert(v);
        }
        for (k, v) in other.muni_names {
            self.muni_names.entry(k).or_insert(v);
        }
        self.postal.absorb(other.postal);
        for (k, v) in other.places {
            self.places.entry(k).or_insert(v);
        }
        for (k, v) in other.parishes {
            self.parishes.entry(k).or_insert(v);
        }
        self.refused += other.refused;
    }

    /// An empty gazetteer over a region's municipalities (boundaries and seats).
    pub fn new(municipalities: &[Municipality]) -> Self {
        let mut g = Gazetteer::default();
        for m in municipalities {
            g.muni_names.insert(key(&m.name), m.code.clone());
            g.munis.insert(
                m.code.clone(),
                Muni {
                    name: m.name.clone(),
                    bbox: m.geometry.bounding_rect(),
                    interior: m.geometry.interior_point().map(|p| (p.x(), p.y())),
                    geometry: m.geometry.clone(),
                    seat: m.seat.clone(),
                },
            );
        }
        g
    }

    /// Adds a row of the postal code table; `municipality` is a DICO (or DICOFRE) code.
    pub fn add_postal_code(
        &mut self,
        code: PostalCode,
        locality: &str,
        municipality: &str,
        municipality_name: Option<&str>,
    ) {
        let municipality = dico(municipality);
        let municipality_name = municipality_name
            .map(str::to_string)
            .or_else(|| self.munis.get(&municipality).map(|m| m.name.clone()));
        let entry = PostalEntry {
            code: code.to_string(),
            locality: locality.trim().to_string(),
            municipality,
            municipality_name,
        };
        self.postal.add(code, entry);
    }

    /// Adds a named place (locality); `false` when refused because its point is outside its
    /// municipality or in none of the region's.
    pub fn add_place(
        &mut self,
        name: &str,
        municipality: Option<&str>,
        lon: f64,
        lat: f64,
    ) -> bool {
        self.add_point(false, name, municipality, lon, lat)
    }

    /// Adds a named parish point, on the same terms as [`Gazetteer::add_place`].
    pub fn add_parish(
        &mut self,
        name: &str,
        municipality: Option<&str>,
        lon: f64,
        lat: f64,
    ) -> bool {
        self.add_point(true, name, municipality, lon, lat)
    }

    fn add_point(
        &mut self,
        parish: bool,
        name: &str,
        municipality: Option<&str>,
        lon: f64,
        lat: f64,
    ) -> bool {
        let Some(code) = self.home(municipality, lon, lat) else {
            self.refused += 1;
            return false;
        };
        let points = if parish {
            &mut self.parishes
        } else {
            &mut self.places
        };
        points
            .entry((code, key(name)))
            .or_insert((name.trim().to_string(), lon, lat));
        true
    }

    /// What the gazetteer holds.
    pub fn stats(&self) -> Stats {
        Stats {
            postal_codes: self.postal.len(),
            places: self.places.len(),
            parishes: self.parishes.len(),
            refused: self.refused,
        }
    }

    /// The municipality a point belongs to: the stated one if the point is inside it, or the
    /// one it falls in when none is stated.
    fn home(&self, municipality: Option<&str>, lon: f64, lat: f64) -> Option<String> {
        match municipality.map(dico).filter(|c| !c.is_empty()) {
            Some(code) => self.inside(&code, lon, lat).then_some(code),
            None => self
                .munis
                .keys()
                .find(|c| self.inside(c, lon, lat))
                .cloned(),
        }
    }

    /// Whether a point is inside (or on the edge of) a municipality of the region.
    fn inside(&self, code: &str, lon: f64, lat: f64) -> bool {
        let Some(m) = self.munis.get(code) else {
            return false;
        };
        let p = Point::new(lon, lat);
        m.bbox.is_some_and(|b| b.intersects(&p)) && m.geometry.intersects(&p)
    }

    /// A municipality of the region by code (DICO) or name.
    fn municipality_code(&self, m: &str) -> Option<String> {
        let code = dico(m);
        if self.munis.contains_key(&code) {
            return Some(code);
        }
        self.muni_names.get(&key(m)).cloned()
    }

    /// The name of a municipality of the region.
    fn name_of(&self, code: &str) -> String {
        self.munis
            .get(code)
            .map_or_else(|| code.to_string(), |m| m.name.clone())
    }

    /// What the postal code table says about a code ("7000-123", "7000 123", "7000123"); for a
    /// bare CP4, the locality with the most codes in that area.
    pub fn postal_code(&self, code: &str) -> Option<PostalEntry> {
        let pc = PostalCode::parse(code)?;
        self.postal
            .entry(pc, |m| self.munis.get(m).map(|x| x.name.clone()))
    }

    /// A warning when a postal code belongs to another municipality than the stated one:
    /// "postal code 7000-123 belongs to Évora (0705), not Mora (0709)". `None` when it agrees,
    /// or when the table does not know the code.
    pub fn postal_code_mismatch(&self, code: &str, municipality: &str) -> Option<String> {
        let pc = PostalCode::parse(code)?;
        let stated = self
            .municipality_code(municipality)
            .unwrap_or_else(|| dico(municipality));
        let owners = self.postal.municipalities(pc);
        if owners.is_empty() || owners.contains(&stated) {
            return None;
        }
        let entry = self.postal_code(code)?;
        let belongs = format!(
            "{} ({})",
            entry
                .municipality_name
                .as_deref()
                .unwrap_or(&entry.municipality),
            entry.municipality
        );
        Some(format!(
            "postal code {pc} belongs to {belongs}, not {} ({stated})",
            self.name_of(&stated)
        ))
    }

    /// Places a record from what it says, most precise first: postal code, locality, parish,
    /// municipality. `None` when nothing it says is known.
    pub fn locate(&self, q: &Query<'_>) -> Option<Placed> {
        let pc = q.postal_code.and_then(PostalCode::parse);
        // The municipality to search in: the stated one, else the postal code's.
        let muni = q
            .municipality
            .and_then(|m| self.municipality_code(m))
            .or_else(|| {
                let pc = pc?;
                let e = self
                    .postal
                    .entry(pc, |_| None)
                    .or_else(|| self.postal.entry(PostalCode { cp3: None, ..pc }, |_| None))?;
                self.munis
                    .contains_key(&e.municipality)
                    .then_some(e.municipality)
            });
        let muni = muni.as_deref();
        if let Some(p) = pc.and_then(|pc| self.by_postal_code(pc, muni)) {
            return Some(p);
        }
        if let Some(p) = q.locality.and_then(|l| self.by_name(&self.places, l, muni)) {
            return Some(self.placed(p, Precision::Locality, format!("locality {}", p.1)));
        }
        if let Some(name) = q.parish {
            let found = self
                .by_name(&self.parishes, name, muni)
                .or_else(|| self.by_name(&self.places, name, muni));
            if let Some(p) = found {
                return Some(self.placed(p, Precision::Parish, format!("parish {}", p.1)));
            }
        }
        self.seat(muni?)
    }

    fn placed(&self, (code, _, lon, lat): Hit<'_>, precision: Precision, via: String) -> Placed {
        Placed {
            lon,
            lat,
            precision,
            via: format!("{via} ({})", self.name_of(code)),
            municipality: code.to_string(),
        }
    }

    /// A named point in a municipality; with none known, the name must be unique in the region.
    fn by_name<'a>(
        &'a self,
        points: &'a Points,
        name: &str,
        muni: Option<&'a str>,
    ) -> Option<Hit<'a>> {
        let k = key(name);
        if let Some(m) = muni {
            let (n, lon, lat) = points.get(&(m.to_string(), k))?;
            return Some((m, n, *lon, *lat));
        }
        let mut hits = points.iter().filter(|((_, pk), _)| *pk == k);
        let ((code, _), (n, lon, lat)) = hits.next()?;
        hits.next()
            .is_none()
            .then_some((code.as_str(), n.as_str(), *lon, *lat))
    }

    /// Step 1: the code's locality, else the centre of the area's located localities.
    fn by_postal_code(&self, pc: PostalCode, muni: Option<&str>) -> Option<Placed> {
        let entry = self.postal.exact(pc);
        if let Some(e) = entry {
            let m = muni.unwrap_or(&e.municipality);
            if let Some(hit) = self.by_name(&self.places, &e.locality, Some(m)) {
                let via = format!("postal code {pc} → {}", e.locality);
                return Some(self.placed(hit, Precision::PostalCode, via));
            }
        }
        let m = muni.or(entry.map(|e| e.municipality.as_str()))?;
        // The area's localities in this municipality that have a point, weighted by their
        // number of codes: most addresses of an area are in its main town.
        let located: Vec<(Hit<'_>, usize)> = self
            .postal
            .area(pc.cp4)
            .filter(|(am, _, _)| *am == m)
            .filter_map(|(_, l, n)| Some((self.by_name(&self.places, l, Some(m))?, n)))
            .collect();
        let total: usize = located.iter().map(|(_, n)| n).sum();
        if total == 0 {
            return None;
        }
        let w = |f: fn(&Hit<'_>) -> f64| {
            located.iter().map(|(h, n)| f(h) * *n as f64).sum::<f64>() / total as f64
        };
        let (lon, lat) = (w(|h| h.2), w(|h| h.3));
        let via = format!(
            "postal area {} ({} located localities)",
            pc.cp4,
            located.len()
        );
        if located.len() > 1 && self.inside(m, lon, lat) {
            return Some(self.placed((m, "", lon, lat), Precision::PostalCode, via));
        }
        // One locality, or a centre outside the municipality: the area's main located town.
        let (hit, _) = located.iter().max_by_key(|(_, n)| *n)?;
        let via = format!("postal area {} → {}", pc.cp4, hit.1);
        Some(self.placed(*hit, Precision::PostalCode, via))
    }

    /// Step 4: the seat, else a place named like the municipality, else a point inside it.
    fn seat(&self, code: &str) -> Option<Placed> {
        let m = self.munis.get(code)?;
        let (lon, lat, via) = match &m.seat {
            Some((name, lon, lat)) => (*lon, *lat, format!("seat {name}")),
            None => match self.by_name(&self.places, &m.name, Some(code)) {
                Some((_, n, lon, lat)) => (lon, lat, format!("seat {n}")),
                None => {
                    let (lon, lat) = m.interior?;
                    (lon, lat, "a point inside the boundary".to_string())
                }
            },
        };
        Some(self.placed((code, "", lon, lat), Precision::Municipality, via))
    }
}

/// A named point found: municipality, name, lon, lat.
type Hit<'a> = (&'a str, &'a str, f64, f64);

#[cfg(test)]
mod tests;
