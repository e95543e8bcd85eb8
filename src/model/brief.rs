//! What search, tiles and indicators need of a service, and nothing more: the index keeps a
//! [`Brief`] per service (tens of bytes besides its name), and full records are read from the
//! store when an answer shows them.
use super::{Precision, Service};
use std::collections::HashSet;
use std::sync::Arc;

/// The facts of a service that search, tiles and indicators read: a full [`Service`] has them,
/// and so has the index's [`Brief`], so the same code runs on either.
pub trait Facts {
    /// Stable id.
    fn id(&self) -> &str;
    /// Name.
    fn name(&self) -> &str;
    /// Response type code.
    fn type_code(&self) -> &str;
    /// Municipality code (DICO).
    fn municipality(&self) -> &str;
    /// The provider's id.
    fn provider_id(&self) -> &str;
    /// Locality, when known.
    fn locality(&self) -> Option<&str>;
    /// Longitude, WGS84 degrees.
    fn lon(&self) -> f64;
    /// Latitude, WGS84 degrees.
    fn lat(&self) -> f64;
    /// Capacity (places), when known.
    fn capacity(&self) -> Option<u32>;
    /// How precise the coordinates are.
    fn precision(&self) -> Precision;
    /// Invented demonstration data.
    fn demo(&self) -> bool;
}

impl Facts for Service {
    fn id(&self) -> &str {
        &self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn type_code(&self) -> &str {
        &self.type_code
    }
    fn municipality(&self) -> &str {
        &self.municipality
    }
    fn provider_id(&self) -> &str {
        &self.provider.id
    }
    fn locality(&self) -> Option<&str> {
        self.locality.as_deref()
    }
    fn lon(&self) -> f64 {
        self.lon
    }
    fn lat(&self) -> f64 {
        self.lat
    }
    fn capacity(&self) -> Option<u32> {
        self.capacity
    }
    fn precision(&self) -> Precision {
        self.precision
    }
    fn demo(&self) -> bool {
        self.demo
    }
}

impl<T: Facts + ?Sized> Facts for &T {
    fn id(&self) -> &str {
        (**self).id()
    }
    fn name(&self) -> &str {
        (**self).name()
    }
    fn type_code(&self) -> &str {
        (**self).type_code()
    }
    fn municipality(&self) -> &str {
        (**self).municipality()
    }
    fn provider_id(&self) -> &str {
        (**self).provider_id()
    }
    fn locality(&self) -> Option<&str> {
        (**self).locality()
    }
    fn lon(&self) -> f64 {
        (**self).lon()
    }
    fn lat(&self) -> f64 {
        (**self).lat()
    }
    fn capacity(&self) -> Option<u32> {
        (**self).capacity()
    }
    fn precision(&self) -> Precision {
        (**self).precision()
    }
    fn demo(&self) -> bool {
        (**self).demo()
    }
}

/// Codes and place names shared among briefs: a thousand services of one type hold one copy
/// of its code, and the services of one type in one locality one copy of the three.
#[derive(Debug, Default, Clone)]
pub struct Codes {
    known: HashSet<Arc<str>>,
    kinds: HashSet<Arc<Kind>>,
}

/// What many services share: their type, municipality and locality (one pointer a brief).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Kind {
    type_code: Arc<str>,
    municipality: Arc<str>,
    locality: Option<Arc<str>>,
}

impl Codes {
    /// The shared copy of `text`.
    pub fn intern(&mut self, text: &str) -> Arc<str> {
        if let Some(known) = self.known.get(text) {
            return known.clone();
        }
        let new: Arc<str> = Arc::from(text);
        self.known.insert(new.clone());
        new
    }

    fn kind(&mut self, type_code: &str, municipality: &str, locality: Option<&str>) -> Arc<Kind> {
        let kind = Kind {
            type_code: self.intern(type_code),
            municipality: self.intern(municipality),
            locality: locality.map(|l| self.intern(l)),
        };
        if let Some(known) = self.kinds.get(&kind) {
            return known.clone();
        }
        let new = Arc::new(kind);
        self.kinds.insert(new.clone());
        new
    }
}

/// A service as the index keeps it: position, type, municipality, capacity and what a tile
/// shows of it. Its id and name share one allocation; codes are shared ([`Codes`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Brief {
    /// The id, then the name.
    text: Box<str>,
    /// Where the name starts in `text`.
    split: u32,
    kind: Arc<Kind>,
    provider: Arc<str>,
    lon: f64,
    lat: f64,
    capacity: Option<u32>,
    precision: Precision,
    demo: bool,
}

/// The fields a [`Brief`] is made of, borrowed from wherever they were read.
#[derive(Debug, Clone, Copy)]
pub struct BriefFields<'a> {
    /// Stable id.
    pub id: &'a str,
    /// Name.
    pub name: &'a str,
    /// Response type code.
    pub type_code: &'a str,
    /// Municipality code.
    pub municipality: &'a str,
    /// The provider's id.
    pub provider: &'a str,
    /// Locality.
    pub locality: Option<&'a str>,
    /// Longitude.
    pub lon: f64,
    /// Latitude.
    pub lat: f64,
    /// Capacity.
    pub capacity: Option<u32>,
    /// Precision of the position.
    pub precision: Precision,
    /// Invented demonstration data.
    pub demo: bool,
}

impl Brief {
    /// A brief from its fields, codes shared through `codes`.
    ///
    /// ```
    /// # use bussola::model::{Brief, Codes, Facts};
    /// let s = bussola::demo::example_service();
    /// let b = Brief::of(&s, &mut Codes::default());
    /// assert_eq!((b.id(), b.name(), b.lon()), (s.id.as_str(), s.name.as_str(), s.lon));
    /// ```
    pub fn new(f: BriefFields<'_>, codes: &mut Codes) -> Brief {
        Brief {
            text: format!("{}{}", f.id, f.name).into_boxed_str(),
            split: u32::try_from(f.id.len()).unwrap_or(u32::MAX),
            kind: codes.kind(f.type_code, f.municipality, f.locality),
            provider: codes.intern(f.provider),
            lon: f.lon,
            lat: f.lat,
            capacity: f.capacity,
            precision: f.precision,
            demo: f.demo,
        }
    }

    /// The brief of a full record.
    pub fn of(s: &Service, codes: &mut Codes) -> Brief {
        Brief::new(BriefFields::of(s), codes)
    }
}

impl<'a> BriefFields<'a> {
    /// The fields of a full record.
    pub fn of(s: &'a Service) -> Self {
        BriefFields {
            id: &s.id,
            name: &s.name,
            type_code: &s.type_code,
            municipality: &s.municipality,
            provider: &s.provider.id,
            locality: s.locality.as_deref(),
            lon: s.lon,
            lat: s.lat,
            capacity: s.capacity,
            precision: s.precision,
            demo: s.demo,
        }
    }
}

impl Facts for Brief {
    fn id(&self) -> &str {
        self.text.get(..self.split as usize).unwrap_or("")
    }
    fn name(&self) -> &str {
        self.text.get(self.split as usize..).unwrap_or("")
    }
    fn type_code(&self) -> &str {
        &self.kind.type_code
    }
    fn municipality(&self) -> &str {
        &self.kind.municipality
    }
    fn provider_id(&self) -> &str {
        &self.provider
    }
    fn locality(&self) -> Option<&str> {
        self.kind.locality.as_deref()
    }
    fn lon(&self) -> f64 {
        self.lon
    }
    fn lat(&self) -> f64 {
        self.lat
    }
    fn capacity(&self) -> Option<u32> {
        self.capacity
    }
    fn precision(&self) -> Precision {
        self.precision
    }
    fn demo(&self) -> bool {
        self.demo
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_brief_says_what_its_record_says() {
        let mut s = crate::demo::example_service();
        s.locality = Some("Évora".into());
        s.capacity = Some(42);
        let b = Brief::of(&s, &mut Codes::default());
        assert_eq!(b.id(), s.id);
        assert_eq!(b.name(), s.name);
        assert_eq!(b.type_code(), s.type_code);
        assert_eq!(b.municipality(), s.municipality);
        assert_eq!(b.provider_id(), s.provider.id);
        assert_eq!(b.locality(), Some("Évora"));
        assert_eq!((b.lon(), b.lat()), (s.lon, s.lat));
        assert_eq!(b.capacity(), Some(42));
        assert_eq!(b.precision(), s.precision);
        assert_eq!(b.demo(), s.demo);
    }

    #[test]
    fn briefs_share_their_codes() {
        let mut codes = Codes::default();
        let s = crate::demo::example_service();
        let (a, b) = (Brief::of(&s, &mut codes), Brief::of(&s, &mut codes));
        assert!(Arc::ptr_eq(&a.kind, &b.kind));
        assert!(Arc::ptr_eq(&a.provider, &b.provider));
        let mut other = s.clone();
        other.locality = Some("Outra".into());
        let c = Brief::of(&other, &mut codes);
        assert!(!Arc::ptr_eq(&a.kind, &c.kind));
        assert!(Arc::ptr_eq(&a.kind.type_code, &c.kind.type_code));
    }

    #[test]
    fn a_brief_stays_small() {
        // Tens of bytes a service besides its id and name: what lets a million fit.
        assert!(
            std::mem::size_of::<Brief>() <= 72,
            "{}",
            std::mem::size_of::<Brief>()
        );
    }
}
