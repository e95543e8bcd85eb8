//! Open Referral HSDS 3.0: the services as one JSON document of flat, linked arrays
//! (`organizations`, `services`, `locations`, `service_at_locations`, `phones`, `schedules`,
//! `taxonomies`, `taxonomy_terms`, `attributes`), with HSDS 3.0 field names.
//!
//! Ids are UUIDs derived from Bússola's ids (the same every export); each object's
//! `x-bussola.id` keeps the original. The response type is an HSDS attribute pointing at a
//! taxonomy term (responses under their target groups); what HSDS has no field for — capacity,
//! users, vacancies, municipality, coordinate precision and provenance — is in each service's
//! `x-bussola` object.
use super::Data;
use crate::model::{LegalNature, Service};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

const TAXONOMY_ID: &str = "respostas-sociais";

/// A UUID (RFC 9562 version 8, name-based) for one of our ids of one kind: stable across
/// exports, distinct between kinds.
fn uuid(kind: &str, id: &str) -> String {
    let fnv = |seed: u64| {
        let mut h = seed;
        for b in kind.bytes().chain([0]).chain(id.bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h
    };
    let (hi, lo) = (fnv(0xcbf2_9ce4_8422_2325), fnv(0x6c62_272e_07bb_0142));
    let hi = (hi & !0xf000) | 0x8000; // version 8
    let lo = (lo & !(0b11 << 62)) | (0b10 << 62); // RFC variant
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xffff,
        lo >> 48,
        lo & 0xffff_ffff_ffff
    )
}

/// An object without its null members (HSDS leaves absent what is not known).
fn compact(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(m.into_iter().filter(|(_, v)| !v.is_null()).collect()),
        other => other,
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

fn organization(s: &Service) -> Value {
    let p = &s.provider;
    let status = legal_status(p.legal_nature);
    compact(json!({
        "id": uuid("organization", &p.id),
        "name": p.name,
        "description": match status {
            Some(st) => format!("{} — {st}", p.name),
            None => p.name.clone(),
        },
        "legal_status": status,
        "email": p.contact.email,
        "website": p.contact.website,
        "x-bussola": {"id": p.id, "legal_nature": p.legal_nature, "phone": p.contact.phone},
    }))
}

/// The HSDS document for the services of `d`.
pub(crate) fn document(d: &Data) -> Value {
    let region = d.region;
    let tax = &region.taxonomy;
    let mut organizations: BTreeMap<String, Value> = BTreeMap::new();
    let (mut services, mut locations, mut links) = (Vec::new(), Vec::new(), Vec::new());
    let (mut phones, mut schedules, mut attributes) = (Vec::new(), Vec::new(), Vec::new());
    for s in &d.services {
        let sid = uuid("service", &s.id);
        let lid = uuid("location", &s.id);
        organizations
            .entry(s.provider.id.clone())
            .or_insert_with(|| organization(s));
        let response = tax.get(&s.type_code);
        let muni = region.municipality(&s.municipality);
        let mut extra = json!({
            "id": s.id,
            "type_code": s.type_code,
            "group": response.map(|r| r.group.clone()),
            "capacity": s.capacity,
            "users": s.users,
            "vacancies": s.vacancies,
            "municipality": s.municipality,
            "municipality_name": muni.map(|m| m.name.clone()),
            "precision": s.precision,
            "source": s.source,
            "updated": s.updated,
            "demo": s.demo,
        });
        if let (false, Some(obj)) = (s.provenance.is_empty(), extra.as_object_mut()) {
            obj.insert("provenance".into(), json!(s.provenance));
        }
        services.push(compact(json!({
            "id": sid,
            "organization_id": uuid("organization", &s.provider.id),
            "name": s.name,
            "description": response.map(|r| format!("{} / {}", r.pt, r.en)),
            "status": "active",
            "email": s.contact.email,
            "url": s.contact.website,
            "assured_date": s.updated,
            "x-bussola": compact(extra),
        })));
        let city = s.locality.clone().or_else(|| muni.map(|m| m.name.clone()));
        let addresses: Vec<Value> = s
            .address
            .iter()
            .map(|a| {
                compact(json!({
                    "id": uuid("address", &s.id),
                    "location_id": lid,
                    "address_1": a,
                    "city": city,
                    "region": muni.map(|m| m.name.clone()),
                    "state_province": muni.and_then(|m| m.nuts3.clone()),
                    "postal_code": s.postal_code,
                    "country": "PT",
                    "address_type": "physical",
                }))
            })
            .collect();
        locations.push(compact(json!({
            "id": lid,
            "location_type": "physical",
            "name": s.name,
            "latitude": s.lat,
            "longitude": s.lon,
            "addresses": addresses,
        })));
        links.push(json!({
            "id": uuid("service_at_location", &s.id),
            "service_id": sid,
            "location_id": lid,
        }));
        if let Some(number) = &s.contact.phone {
            phones.push(json!({
                "id": uuid("phone", &s.id),
                "service_id": sid,
                "number": number,
                "type": "voice",
            }));
        }
        if let Some(hours) = &s.opening_hours {
            schedules.push(json!({
                "id": uuid("schedule", &s.id),
                "service_id": sid,
                "description": hours,
            }));
        }
        if response.is_some() {
            attributes.push(json!({
                "id": uuid("attribute", &s.id),
                "link_id": sid,
                "link_entity": "service",
                "link_type": "service_type",
                "taxonomy_term_id": uuid("taxonomy_term", &s.type_code),
            }));
        }
    }
    let taxonomy_id = uuid("taxonomy", TAXONOMY_ID);
    let groups = tax.groups().iter().map(|g| {
        json!({
            "id": uuid("taxonomy_term", &format!("group:{}", g.code)),
            "code": g.code,
            "name": g.pt,
            "description": g.en,
            "taxonomy_id": taxonomy_id,
            "vocabulary": crate::ingest::hsds::VOCABULARY,
            "language": "pt",
        })
    });
    let terms = tax.responses().iter().map(|r| {
        json!({
            "id": uuid("taxonomy_term", &r.code),
            "code": r.code,
            "name": r.pt,
            "description": r.en,
            "parent_id": uuid("taxonomy_term", &format!("group:{}", r.group)),
            "taxonomy_id": taxonomy_id,
            "vocabulary": crate::ingest::hsds::VOCABULARY,
            "language": "pt",
        })
    });
    let mut doc = Map::new();
    doc.insert("name".into(), json!(d.title));
    doc.insert("hsds_version".into(), json!("3.0"));
    doc.insert("attribution".into(), json!(region.attribution));
    doc.insert(
        "organizations".into(),
        Value::Array(organizations.into_values().collect()),
    );
    doc.insert("services".into(), Value::Array(services));
    doc.insert("locations".into(), Value::Array(locations));
    doc.insert("service_at_locations".into(), Value::Array(links));
    doc.insert("phones".into(), Value::Array(phones));
    doc.insert("schedules".into(), Value::Array(schedules));
    doc.insert(
        "taxonomies".into(),
        json!([{
            "id": taxonomy_id,
            "name": "Respostas sociais (Carta Social)",
            "description": "The social responses and target groups of Portugal's Carta Social, as Bússola's taxonomy names them",
            "x-bussola": {"id": TAXONOMY_ID},
        }]),
    );
    doc.insert(
        "taxonomy_terms".into(),
        Value::Array(groups.chain(terms).collect()),
    );
    doc.insert("attributes".into(), Value::Array(attributes));
    Value::Object(doc)
}

#[cfg(test)]
mod tests {
    use super::uuid;

    #[test]
    fn uuids_are_stable_well_formed_and_differ_by_kind() {
        let a = uuid("service", "s-1");
        assert_eq!(a, uuid("service", "s-1"));
        assert_ne!(a, uuid("location", "s-1"));
        assert_ne!(a, uuid("service", "s-2"));
        let parts: Vec<&str> = a.split('-').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            [8, 4, 4, 4, 12]
        );
        assert!(parts[2].starts_with('8'), "version 8: {a}");
        assert!(
            matches!(&parts[3][..1], "8" | "9" | "a" | "b"),
            "variant: {a}"
        );
    }
}
