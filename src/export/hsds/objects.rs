//! The HSDS 3.0 objects of one service, flat (table rows with their foreign keys) or nested
//! (as the HSDS API returns them): the export and the API build them here, so both give the
//! same ids and the same values.
use super::uuid;
use crate::model::{LegalNature, Provider, Service};
use crate::region::Region;
use crate::taxonomy::Response;
use serde_json::{json, Map, Value};

/// The free-text `taxonomy` of every term Bússola writes; the importer recognises its own
/// terms by it (see [`crate::ingest::hsds::VOCABULARY`]).
pub const TAXONOMY_NAME: &str = crate::ingest::hsds::VOCABULARY;

/// Our id of the taxonomy of social responses (its HSDS id is derived from it).
const RESPONSES: &str = "respostas-sociais";
/// Our id of the taxonomy of the service facts HSDS has no field for.
const FACTS: &str = "bussola-fields";

/// The facts HSDS has no field for, written as attributes with a `value`: term code and what
/// it means. The importer reads the same codes back.
pub const FACT_TERMS: &[(&str, &str)] = &[
    ("id", "Bússola's own id of the service"),
    ("capacity", "Capacity: places the service has"),
    ("users", "Users: people the service serves now"),
    ("vacancies", "Vacancies: places free now"),
    (
        "municipality",
        "Municipality: its official code (DICO, CAOP)",
    ),
    (
        "precision",
        "How precise the coordinates are: building, address, postal_code, locality, parish, municipality or unknown",
    ),
    ("source", "The source the record was first read from"),
    (
        "demo",
        "true: demonstration data, an invented service, not a real one",
    ),
];

/// The `alert` of an invented service.
pub const DEMO_ALERT: &str = "Dados de demonstração: serviço inventado, não real. / Demonstration data: an invented service, not a real one.";

/// An object without its null members (HSDS leaves absent what is not known).
pub(crate) fn compact(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m.into_iter().filter(|(_, v)| !v.is_null()).collect(),
        _ => Map::new(),
    }
}

fn legal_status(n: LegalNature) -> Option<&'static str> {
    Some(match n {
        LegalNature::Ipss => "Instituição Particular de Solidariedade Social (IPSS)",
        LegalNature::Misericordia => "Santa Casa da Misericórdia",
        LegalNature::Public => "Entidade pública",
        LegalNature::PrivateForProfit => "Entidade privada com fins lucrativos",
        LegalNature::Cooperative => "Cooperativa",
        LegalNature::MutualAssociation => "Associação mutualista",
        LegalNature::Unknown => return None,
    })
}

/// A website as an absolute URI (HSDS's `format: uri`): `www.x.pt` becomes `https://www.x.pt`;
/// what still is not one (spaces, no host) is left out.
fn uri(web: Option<&String>) -> Option<String> {
    let w = web?.trim();
    let full = if w.contains("://") {
        w.to_string()
    } else {
        format!("https://{w}")
    };
    let host = full.split("://").nth(1).unwrap_or_default();
    let ok = !host.is_empty()
        && host.contains('.')
        && !full.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then_some(full)
}

/// An e-mail for HSDS's one `email` (`format: email`): the first of a list (`a@x.pt;b@y.pt`,
/// as some sources write several), when it looks like an address; else none.
fn email(mail: Option<&String>) -> Option<String> {
    let first = mail?
        .split([';', ',', ' '])
        .map(str::trim)
        .find(|m| !m.is_empty())?;
    let (local, domain) = first.split_once('@')?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && first.chars().all(|c| c.is_ascii_graphic());
    ok.then(|| first.to_string())
}

/// A date (YYYY-MM-DD) as an HSDS `last_modified` date-time (midnight UTC).
fn date_time(date: Option<&String>) -> Option<String> {
    let d = date?;
    let ok = d.len() == 10
        && d.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    ok.then(|| format!("{d}T00:00:00Z"))
}

/// Builds the HSDS objects of a region's services.
pub struct Objects<'a> {
    region: &'a Region,
}

impl<'a> Objects<'a> {
    /// The builder for `region` (its taxonomy and municipalities name things).
    pub fn new(region: &'a Region) -> Self {
        Objects { region }
    }

    fn response(&self, s: &Service) -> Option<&'a Response> {
        self.region.taxonomy.get(&s.type_code)
    }

    /// The id of the taxonomy of social responses.
    pub fn responses_taxonomy_id() -> String {
        uuid("taxonomy", RESPONSES)
    }

    /// The id of the taxonomy of facts.
    pub fn facts_taxonomy_id() -> String {
        uuid("taxonomy", FACTS)
    }

    /// The HSDS id of one of our services.
    pub fn service_id(s: &Service) -> String {
        uuid("service", &s.id)
    }

    /// The HSDS id of one of our providers.
    pub fn organization_id(p: &Provider) -> String {
        uuid("organization", &p.id)
    }

    /// The HSDS id of a service's one `service_at_location`.
    pub fn service_at_location_id(s: &Service) -> String {
        uuid("service_at_location", &s.id)
    }

    /// The organization's own fields (the `organizations` table's row).
    pub fn organization(&self, p: &Provider) -> Map<String, Value> {
        let status = legal_status(p.legal_nature);
        compact(json!({
            "id": Self::organization_id(p),
            "name": p.name,
            "description": match status {
                Some(st) => format!("{} — {st}", p.name),
                None => p.name.clone(),
            },
            "legal_status": status,
            "email": email(p.contact.email.as_ref()),
            "website": uri(p.contact.website.as_ref()),
        }))
    }

    /// Our provider id as the organization's identifier (`organization_identifiers` row).
    pub fn organization_identifier(&self, p: &Provider) -> Value {
        json!({
            "id": uuid("organization_identifier", &p.id),
            "organization_id": Self::organization_id(p),
            "identifier_scheme": TAXONOMY_NAME,
            "identifier_type": "Bússola provider id",
            "identifier": p.id,
        })
    }

    /// The organization's head-office phone, as a `phones` row.
    pub fn organization_phone(&self, p: &Provider) -> Option<Value> {
        let number = p.contact.phone.as_ref()?;
        Some(json!({
            "id": uuid("organization_phone", &p.id),
            "organization_id": Self::organization_id(p),
            "number": number,
            "type": "voice",
        }))
    }

    /// The service's own one-to-one fields (the `services` table's row).
    pub fn service(&self, s: &Service) -> Map<String, Value> {
        let response = self.response(s);
        compact(json!({
            "id": Self::service_id(s),
            "organization_id": Self::organization_id(&s.provider),
            "name": s.name,
            "description": response.map(|r| format!("{} / {}", r.pt, r.en)),
            "status": "active",
            "email": email(s.contact.email.as_ref()),
            "url": uri(s.contact.website.as_ref()),
            "assured_date": s.updated,
            "last_modified": date_time(s.updated.as_ref()),
            "alert": s.demo.then_some(DEMO_ALERT),
        }))
    }

    /// The service's place (the `locations` row, its addresses nested): the address only when
    /// it is complete enough for HSDS (a postal code, a city and a NUTS III region).
    pub fn location(&self, s: &Service) -> Map<String, Value> {
        let lid = uuid("location", &s.id);
        let muni = self.region.municipality(&s.municipality);
        let city = s.locality.clone().or_else(|| muni.map(|m| m.name.clone()));
        let state = muni.and_then(|m| m.nuts3.clone());
        let addresses: Vec<Value> = match (&s.address, &s.postal_code, city, state) {
            (Some(a), Some(pc), Some(city), Some(state)) => vec![Value::Object(compact(json!({
                "id": uuid("address", &s.id),
                "location_id": lid,
                "address_1": a,
                "city": city,
                "region": muni.map(|m| m.name.clone()),
                "state_province": state,
                "postal_code": pc,
                "country": "PT",
                "address_type": "physical",
            })))],
            _ => Vec::new(),
        };
        let mut o = compact(json!({
            "id": lid,
            "location_type": "physical",
            "name": s.name,
            "latitude": s.lat,
            "longitude": s.lon,
        }));
        if !addresses.is_empty() {
            o.insert("addresses".into(), Value::Array(addresses));
        }
        o
    }

    /// The link between the service and its place (the `service_at_locations` row).
    pub fn service_at_location(&self, s: &Service) -> Map<String, Value> {
        compact(json!({
            "id": Self::service_at_location_id(s),
            "service_id": Self::service_id(s),
            "location_id": uuid("location", &s.id),
        }))
    }

    /// The service's phone, as `phones` rows.
    pub fn phones(&self, s: &Service) -> Vec<Value> {
        s.contact
            .phone
            .iter()
            .map(|number| {
                json!({
                    "id": uuid("phone", &s.id),
                    "service_id": Self::service_id(s),
                    "number": number,
                    "type": "voice",
                })
            })
            .collect()
    }

    /// The opening hours as published, as `schedules` rows.
    pub fn schedules(&self, s: &Service) -> Vec<Value> {
        s.opening_hours
            .iter()
            .map(|hours| {
                json!({
                    "id": uuid("schedule", &s.id),
                    "service_id": Self::service_id(s),
                    "description": hours,
                })
            })
            .collect()
    }

    /// The facts HSDS has no field for, as `(term code, value)`.
    fn facts(&self, s: &Service) -> Vec<(&'static str, String)> {
        let mut out = vec![("id", s.id.clone())];
        let numbers = [
            ("capacity", s.capacity),
            ("users", s.users),
            ("vacancies", s.vacancies),
        ];
        out.extend(
            numbers
                .into_iter()
                .filter_map(|(k, v)| Some((k, v?.to_string()))),
        );
        out.push(("municipality", s.municipality.clone()));
        if let Some(p) = serde_json::to_value(s.precision)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
        {
            out.push(("precision", p));
        }
        out.push(("source", s.source.clone()));
        if s.demo {
            out.push(("demo", "true".into()));
        }
        out
    }

    /// The service's attributes (rows of `attributes`, each with its `taxonomy_term_id`): its
    /// response type, then its facts with their values.
    pub fn attributes(&self, s: &Service) -> Vec<Map<String, Value>> {
        let sid = Self::service_id(s);
        let mut out = Vec::new();
        if self.response(s).is_some() {
            out.push(compact(json!({
                "id": uuid("attribute", &s.id),
                "link_id": sid,
                "link_entity": "service",
                "link_type": "service_type",
                "taxonomy_term_id": uuid("taxonomy_term", &s.type_code),
            })));
        }
        for (code, value) in self.facts(s) {
            out.push(compact(json!({
                "id": uuid("attribute", &format!("{}\u{0}{code}", s.id)),
                "link_id": sid,
                "link_entity": "service",
                "link_type": code,
                "taxonomy_term_id": uuid("taxonomy_term", &format!("field:{code}")),
                "value": value,
            })));
        }
        out
    }

    /// The taxonomies: social responses, and the facts.
    pub fn taxonomies(&self) -> Vec<Value> {
        vec![
            json!({
                "id": Self::responses_taxonomy_id(),
                "name": "Respostas sociais (Carta Social)",
                "description": "The social responses and target groups of Portugal's Carta Social, as Bússola's taxonomy names them",
            }),
            json!({
                "id": Self::facts_taxonomy_id(),
                "name": "Bússola fields",
                "description": "What Bússola knows of a service that HSDS 3.0 has no field for; an attribute's value holds it",
            }),
        ]
    }

    /// Every taxonomy term: target groups, responses under them, then the facts.
    pub fn taxonomy_terms(&self) -> Vec<Map<String, Value>> {
        let tax = &self.region.taxonomy;
        let responses = Self::responses_taxonomy_id();
        let group_id = |code: &str| uuid("taxonomy_term", &format!("group:{code}"));
        let groups = tax.groups().iter().map(|g| {
            compact(json!({
                "id": group_id(&g.code),
                "code": g.code,
                "name": g.pt,
                "description": g.en,
                "taxonomy": TAXONOMY_NAME,
                "taxonomy_id": responses,
                "language": "pt",
            }))
        });
        let terms = tax.responses().iter().map(|r| {
            compact(json!({
                "id": uuid("taxonomy_term", &r.code),
                "code": r.code,
                "name": r.pt,
                "description": r.en,
                "parent_id": group_id(&r.group),
                "taxonomy": TAXONOMY_NAME,
                "taxonomy_id": responses,
                "language": "pt",
            }))
        });
        let facts_id = Self::facts_taxonomy_id();
        let facts = FACT_TERMS.iter().map(|(code, what)| {
            compact(json!({
                "id": uuid("taxonomy_term", &format!("field:{code}")),
                "code": code,
                "name": code,
                "description": what,
                "taxonomy": TAXONOMY_NAME,
                "taxonomy_id": facts_id,
                "language": "en",
            }))
        });
        groups.chain(terms).chain(facts).collect()
    }

    /// A taxonomy term with its taxonomy nested as `taxonomy_detail`.
    pub fn taxonomy_term_detail(&self, term: &Map<String, Value>) -> Map<String, Value> {
        let mut t = term.clone();
        if let Some(tax) = self
            .taxonomies()
            .into_iter()
            .find(|x| x.get("id") == term.get("taxonomy_id"))
        {
            t.insert("taxonomy_detail".into(), tax);
        }
        t
    }

    /// The service's attributes, each with its taxonomy term nested.
    pub fn attributes_nested(&self, s: &Service, terms: &[Map<String, Value>]) -> Vec<Value> {
        self.attributes(s)
            .into_iter()
            .map(|mut a| {
                if let Some(t) = terms
                    .iter()
                    .find(|t| t.get("id") == a.get("taxonomy_term_id"))
                {
                    a.insert(
                        "taxonomy_term".into(),
                        Value::Object(self.taxonomy_term_detail(t)),
                    );
                }
                Value::Object(a)
            })
            .collect()
    }

    /// A service as the list of services shows it: its fields and its organization's.
    pub fn service_brief(&self, s: &Service) -> Value {
        let mut o = self.service(s);
        o.insert(
            "organization".into(),
            Value::Object(self.organization(&s.provider)),
        );
        Value::Object(o)
    }

    /// The location with its addresses.
    fn location_nested(&self, s: &Service) -> Value {
        Value::Object(self.location(s))
    }

    /// The location's one-to-one fields (as lists show it: no addresses).
    fn location_brief(&self, s: &Service) -> Value {
        let mut o = self.location(s);
        o.remove("addresses");
        Value::Object(o)
    }

    /// The `service_at_location` with its location nested.
    pub fn service_at_location_nested(&self, s: &Service) -> Value {
        let mut o = self.service_at_location(s);
        o.insert("location".into(), self.location_nested(s));
        Value::Object(o)
    }

    /// A fully nested service (`GET /services/{id}`): organization, phones, schedules,
    /// service_at_locations with their location, attributes with their terms.
    pub fn service_full(&self, s: &Service, terms: &[Map<String, Value>]) -> Value {
        let mut o = self.service_nested_core(s, terms);
        o.insert(
            "organization".into(),
            Value::Object(self.organization_nested(&s.provider)),
        );
        Value::Object(o)
    }

    /// A nested service without its organization (as an organization's `services` hold it).
    pub fn service_nested_core(
        &self,
        s: &Service,
        terms: &[Map<String, Value>],
    ) -> Map<String, Value> {
        let mut o = self.service(s);
        o.insert("phones".into(), Value::Array(self.phones(s)));
        o.insert("schedules".into(), Value::Array(self.schedules(s)));
        o.insert(
            "service_at_locations".into(),
            Value::Array(vec![self.service_at_location_nested(s)]),
        );
        o.insert(
            "attributes".into(),
            Value::Array(self.attributes_nested(s, terms)),
        );
        o
    }

    /// A `service_at_location` as the list shows it: its location and its service (the
    /// service's own fields and organization).
    pub fn service_at_location_brief(&self, s: &Service) -> Value {
        let mut o = self.service_at_location(s);
        o.insert("location".into(), self.location_brief(s));
        o.insert("service".into(), self.service_brief(s));
        Value::Object(o)
    }

    /// A fully nested `service_at_location`: its location, phones and schedules, and its
    /// service with organization and attributes.
    pub fn service_at_location_full(&self, s: &Service, terms: &[Map<String, Value>]) -> Value {
        let mut o = self.service_at_location(s);
        o.insert("location".into(), self.location_nested(s));
        let mut service = self.service(s);
        service.insert(
            "organization".into(),
            Value::Object(self.organization_nested(&s.provider)),
        );
        service.insert("phones".into(), Value::Array(self.phones(s)));
        service.insert("schedules".into(), Value::Array(self.schedules(s)));
        service.insert(
            "attributes".into(),
            Value::Array(self.attributes_nested(s, terms)),
        );
        o.insert("service".into(), Value::Object(service));
        Value::Object(o)
    }

    /// An organization with its identifier and phone nested.
    pub fn organization_nested(&self, p: &Provider) -> Map<String, Value> {
        let mut o = self.organization(p);
        o.insert(
            "organization_identifiers".into(),
            Value::Array(vec![self.organization_identifier(p)]),
        );
        o.insert(
            "phones".into(),
            Value::Array(self.organization_phone(p).into_iter().collect()),
        );
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn websites_become_absolute_uris_or_are_left_out() {
        let u = |s: &str| uri(Some(&s.to_string()));
        assert_eq!(u("www.x.pt").as_deref(), Some("https://www.x.pt"));
        assert_eq!(u("http://x.pt/a").as_deref(), Some("http://x.pt/a"));
        assert_eq!(u("não tem"), None);
        assert_eq!(u("https://"), None);
    }

    #[test]
    fn the_first_of_several_emails_is_kept() {
        let e = |s: &str| email(Some(&s.to_string()));
        assert_eq!(e("a@x.pt;b@y.pt").as_deref(), Some("a@x.pt"));
        assert_eq!(e(" a@x.pt , b@y.pt").as_deref(), Some("a@x.pt"));
        assert_eq!(e("geral(at)x.pt"), None);
        assert_eq!(e("a@x"), None);
    }

    #[test]
    fn dates_become_midnight_utc() {
        let d = |s: &str| date_time(Some(&s.to_string()));
        assert_eq!(d("2025-01-31").as_deref(), Some("2025-01-31T00:00:00Z"));
        assert_eq!(d("2025-1-31"), None);
    }
}
