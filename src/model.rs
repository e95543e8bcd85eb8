//! Providers, services, municipalities and their population.
use geo_types::MultiPolygon;
use serde::{Deserialize, Serialize};

mod brief;
pub mod training;
pub use brief::{Brief, BriefFields, Codes, Facts};

/// The legal nature of a provider (natureza jurídica).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum LegalNature {
    /// Instituição Particular de Solidariedade Social.
    Ipss,
    /// Santa Casa da Misericórdia.
    Misericordia,
    /// Public body (municipality, state).
    Public,
    /// Private, for profit.
    PrivateForProfit,
    /// Cooperative.
    Cooperative,
    /// Mutual association.
    MutualAssociation,
    /// Not known.
    #[default]
    Unknown,
}

impl LegalNature {
    /// Parses the usual Portuguese and English labels; `None` when not recognised.
    pub fn parse(s: &str) -> Option<Self> {
        let f = crate::text::fold(s);
        Some(match f.as_str() {
            "ipss" | "instituicao particular de solidariedade social" => Self::Ipss,
            "misericordia" | "santa casa da misericordia" | "scm" => Self::Misericordia,
            "public" | "publica" | "publico" | "municipal" | "estado" => Self::Public,
            "private_for_profit" | "privada" | "privado" | "lucrativa" | "private" => {
                Self::PrivateForProfit
            }
            "cooperative" | "cooperativa" => Self::Cooperative,
            "mutual_association" | "associacao mutualista" | "mutualista" => {
                Self::MutualAssociation
            }
            "unknown" | "desconhecido" | "desconhecida" | "" => Self::Unknown,
            _ => return None,
        })
    }
}

/// An organisation that runs services.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provider {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Legal nature.
    pub legal_nature: LegalNature,
    /// The organisation's own contact (head office), as its provider keeps it.
    #[serde(default, skip_serializing_if = "Contact::is_empty")]
    pub contact: Contact,
}

/// How precise a service's coordinates are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Precision {
    /// The building itself (surveyed or mapped).
    Building,
    /// Geocoded from the street address.
    Address,
    /// Geocoded from the postal code.
    PostalCode,
    /// The locality (village or town) only.
    Locality,
    /// The parish (freguesia) only.
    Parish,
    /// The municipality only (e.g. its seat).
    Municipality,
    /// Not known.
    #[default]
    Unknown,
}

impl Precision {
    /// Every precision, most precise first.
    pub const ALL: [Precision; 7] = [
        Precision::Building,
        Precision::Address,
        Precision::PostalCode,
        Precision::Locality,
        Precision::Parish,
        Precision::Municipality,
        Precision::Unknown,
    ];

    /// Its name in the API, tiles and files (as serde writes it).
    pub fn name(self) -> &'static str {
        match self {
            Precision::Building => "building",
            Precision::Address => "address",
            Precision::PostalCode => "postal_code",
            Precision::Locality => "locality",
            Precision::Parish => "parish",
            Precision::Municipality => "municipality",
            Precision::Unknown => "unknown",
        }
    }

    /// The precision of a name (as [`Precision::name`] gives it).
    pub fn from_name(name: &str) -> Option<Precision> {
        Precision::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// How to contact a service or an organisation.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Contact {
    /// Phone number.
    pub phone: Option<String>,
    /// E-mail address.
    pub email: Option<String>,
    /// Website.
    pub website: Option<String>,
}

impl Contact {
    /// Whether no way of contact is known.
    pub fn is_empty(&self) -> bool {
        self.phone.is_none() && self.email.is_none() && self.website.is_none()
    }
}

/// One social response at one place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Service {
    /// Stable id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Response type code (see [`crate::taxonomy`]).
    pub type_code: String,
    /// The provider running it.
    pub provider: Provider,
    /// Capacity (places), when known.
    pub capacity: Option<u32>,
    /// Users, when known.
    pub users: Option<u32>,
    /// Vacancies, when known.
    pub vacancies: Option<u32>,
    /// Opening hours, as published.
    pub opening_hours: Option<String>,
    /// Contact.
    pub contact: Contact,
    /// Street address.
    pub address: Option<String>,
    /// Postal code (NNNN-NNN).
    pub postal_code: Option<String>,
    /// Locality.
    pub locality: Option<String>,
    /// Municipality code (DICO).
    pub municipality: String,
    /// Longitude, WGS84 degrees.
    pub lon: f64,
    /// Latitude, WGS84 degrees.
    pub lat: f64,
    /// How precise the coordinates are.
    pub precision: Precision,
    /// Where the record comes from.
    pub source: String,
    /// When the source last updated it (YYYY-MM-DD).
    pub updated: Option<String>,
    /// Invented demonstration data, not a real service.
    pub demo: bool,
    /// Which sources said what about this service (more than one when records were merged).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub provenance: Vec<Provenance>,
    /// When the provider (or a moderator or admin) last confirmed the record (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed: Option<String>,
    /// When the current vacancies were declared (YYYY-MM-DD).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vacancies_declared: Option<String>,
}

/// What one source said about a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The source (e.g. `carta-social`, `osm`, a file's label).
    pub source: String,
    /// The record's id in that source.
    pub record: String,
    /// The values that source gave, by our field name.
    #[serde(default)]
    pub fields: std::collections::BTreeMap<String, String>,
}

/// Resident population of a municipality by age band (Census).
///
/// Only the total is required: a band the region's data does not give is `None`, and every
/// indicator that needs it says "no data" rather than counting it as zero.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Population {
    /// All residents.
    pub total: u64,
    /// Aged 0 to 14, where published.
    pub age_0_14: Option<u64>,
    /// Aged 15 to 24, where published.
    pub age_15_24: Option<u64>,
    /// Aged 25 to 64, where published.
    pub age_25_64: Option<u64>,
    /// Aged 65 or more, where published.
    pub age_65_plus: Option<u64>,
    /// Aged 0 to 2, where published.
    pub age_0_2: Option<u64>,
    /// Live births in a recent year, where published.
    pub live_births: Option<u64>,
}

/// A municipality (concelho).
#[derive(Debug, Clone, PartialEq)]
pub struct Municipality {
    /// Code (DICO, 4 digits).
    pub code: String,
    /// Name.
    pub name: String,
    /// NUTS3 sub-region.
    pub nuts3: Option<String>,
    /// Seat (sede) name and position, where known.
    pub seat: Option<(String, f64, f64)>,
    /// Boundary in WGS84.
    pub geometry: MultiPolygon<f64>,
    /// Whether the boundary is an approximation (not official).
    pub approximate: bool,
    /// Population.
    pub population: Population,
    /// The id of the region it belongs to (several regions can be served together).
    pub region: String,
}

#[cfg(test)]
impl Municipality {
    /// A municipality with a code and a name and nothing else (unit tests).
    pub(crate) fn bare(code: &str, name: &str) -> Self {
        Municipality {
            code: code.into(),
            name: name.into(),
            nuts3: None,
            seat: None,
            geometry: MultiPolygon(vec![]),
            approximate: false,
            population: Population::default(),
            region: "test".into(),
        }
    }
}

/// One provider, one legal nature: where a record leaves it unknown but another record (or the
/// store) knows it, the known one stands. Otherwise the provider row would flip with the order
/// of the records, and importing the same file twice would not be idempotent.
pub fn known_natures(stored: &[Service], incoming: &mut [Service]) {
    let mut known: std::collections::HashMap<String, LegalNature> = Default::default();
    for s in incoming.iter().chain(stored) {
        if s.provider.legal_nature != LegalNature::Unknown {
            known
                .entry(s.provider.id.clone())
                .or_insert(s.provider.legal_nature);
        }
    }
    for s in incoming.iter_mut() {
        if s.provider.legal_nature == LegalNature::Unknown {
            if let Some(n) = known.get(&s.provider.id) {
                s.provider.legal_nature = *n;
            }
        }
    }
}

#[cfg(test)]
mod precision_tests {
    use super::Precision;

    #[test]
    fn precision_names_are_the_api_names_and_read_back() {
        for p in Precision::ALL {
            let api = serde_json::to_value(p).expect("serialises");
            assert_eq!(api, p.name(), "{p:?}");
            assert_eq!(Precision::from_name(p.name()), Some(p));
        }
        assert_eq!(Precision::from_name("roughly"), None);
    }
}
