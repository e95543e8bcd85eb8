//! Training offers for the people who work in social care: what is offered, by whom, to whom,
//! where and when, and how to enrol. The record the store keeps and the API shows; checks live
//! in [`crate::training`].
use serde::{Deserialize, Serialize};

/// Who a course is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Directors and managers of social services.
    Managers,
    /// Care and technical staff.
    Workers,
    /// Volunteers.
    Volunteers,
}

impl Audience {
    /// Every audience, in the order shown.
    pub const ALL: [Audience; 3] = [Audience::Managers, Audience::Workers, Audience::Volunteers];

    /// The stored and shown name (`managers`, `workers`, `volunteers`).
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Managers => "managers",
            Audience::Workers => "workers",
            Audience::Volunteers => "volunteers",
        }
    }
}

/// How a course is given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    /// In a room, at the offer's place.
    #[default]
    InPerson,
    /// Online only (no place).
    Online,
    /// Partly in person, partly online.
    Mixed,
}

impl Modality {
    /// The stored and shown name (`in_person`, `online`, `mixed`).
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::InPerson => "in_person",
            Modality::Online => "online",
            Modality::Mixed => "mixed",
        }
    }
}

/// Where an offer stands: only published offers are public.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferStatus {
    /// Submitted by a provider or a trainer, waiting for a moderator or an admin.
    #[default]
    Pending,
    /// Public.
    Published,
    /// Refused at review; never public.
    Rejected,
    /// Taken down by its organiser or a moderator; kept with its history.
    Withdrawn,
}

impl OfferStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            OfferStatus::Pending => "pending",
            OfferStatus::Published => "published",
            OfferStatus::Rejected => "rejected",
            OfferStatus::Withdrawn => "withdrawn",
        }
    }
}

/// Who organises an offer: an organisation already in Bússola (its provider id) or a training
/// entity (its id, as a trainer account names it).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Organiser {
    /// The organisation's name as shown.
    pub name: String,
    /// The provider id of an organisation whose services Bússola lists.
    #[serde(default)]
    pub provider_id: Option<String>,
    /// The id of a training entity (its trainer accounts carry it).
    #[serde(default)]
    pub trainer_id: Option<String>,
}

/// How to enrol: at least one of a link, a phone number and an e-mail address.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Enrol {
    /// An enrolment page (http or https).
    #[serde(default)]
    pub url: Option<String>,
    /// A phone number.
    #[serde(default)]
    pub phone: Option<String>,
    /// An e-mail address.
    #[serde(default)]
    pub email: Option<String>,
}

/// A training offer.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Offer {
    /// Stable id (`tr-…`).
    pub id: String,
    /// The course's title.
    pub title: String,
    /// What the course covers, in plain words.
    #[serde(default)]
    pub description: Option<String>,
    /// Who organises it.
    pub organiser: Organiser,
    /// The professional profiles (CNQ codes, as in `/api/profiles`) it trains for.
    #[serde(default)]
    pub profiles: Vec<String>,
    /// Who it is for.
    pub audience: Vec<Audience>,
    /// In person, online or mixed.
    pub modality: Modality,
    /// Street address of the place.
    #[serde(default)]
    pub address: Option<String>,
    /// Postal code of the place (`NNNN-NNN`).
    #[serde(default)]
    pub postal_code: Option<String>,
    /// Locality of the place.
    #[serde(default)]
    pub locality: Option<String>,
    /// The municipality (DICO) of the place.
    #[serde(default)]
    pub municipality: Option<String>,
    /// Where it is given (`[lon, lat]`, WGS84); none online.
    #[serde(default)]
    pub position: Option<[f64; 2]>,
    /// First day (`YYYY-MM-DD`).
    pub start: String,
    /// Last day (`YYYY-MM-DD`): the day after, the offer leaves the public list.
    pub end: String,
    /// Days and times, in words ("terças e quintas, 18h–21h").
    #[serde(default)]
    pub schedule: Option<String>,
    /// Length in hours.
    #[serde(default)]
    pub hours: Option<f64>,
    /// Cost to a participant, in euros (0: free).
    pub cost_eur: f64,
    /// Who pays for it ("Valorizar Social", "IEFP"), when funded.
    #[serde(default)]
    pub funding: Option<String>,
    /// Places in all.
    #[serde(default)]
    pub places: Option<u32>,
    /// Places still free (0: full).
    #[serde(default)]
    pub places_left: Option<u32>,
    /// How to enrol.
    pub enrol: Enrol,
    /// The language it is given in (`pt` or `en`).
    pub language: String,
    /// Invented for demonstration (never a real course).
    #[serde(default)]
    pub demo: bool,
    /// Where it stands.
    #[serde(default)]
    pub status: OfferStatus,
    /// Day of the last change that went live (`YYYY-MM-DD`).
    #[serde(default)]
    pub updated: Option<String>,
}

impl Offer {
    /// Whether the offer runs on `day` or later (`YYYY-MM-DD`; ISO dates compare as text).
    pub fn current_on(&self, day: &str) -> bool {
        self.end.as_str() >= day
    }

    /// Whether places are left (or not counted).
    pub fn has_places(&self) -> bool {
        self.places_left != Some(0)
    }
}
