//! Open Referral HSDS 3.0: the services as one JSON document of flat, linked arrays
//! (`organizations`, `organization_identifiers`, `services`, `locations`,
//! `service_at_locations`, `phones`, `schedules`, `taxonomies`, `taxonomy_terms`,
//! `attributes`), with HSDS 3.0 field names; and the objects of the HSDS API ([`api`]).
//!
//! Every object validates against the published v3.0 schemas, strict too (no member the
//! schema does not name). Ids are UUIDs derived from Bússola's ids (the same every export and
//! in the API). The response type is an attribute pointing at a taxonomy term (responses
//! under their target groups); what HSDS has no field for — Bússola's id, capacity, users,
//! vacancies, municipality, coordinate precision, source and whether the record is
//! demonstration data — are attributes with a `value`, pointing at the terms of a second
//! taxonomy ([`objects::FACT_TERMS`]). An address without a postal code is left out.
pub mod api;
pub mod objects;

use super::Data;
use objects::Objects;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// A UUID (RFC 9562 version 8, name-based) for one of our ids of one kind: stable across
/// exports, distinct between kinds.
pub(crate) fn uuid(kind: &str, id: &str) -> String {
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

/// The HSDS document for the services of `d`.
pub(crate) fn document(d: &Data) -> Value {
    let region = d.region;
    let ob = Objects::new(region);
    let mut organizations: BTreeMap<String, Value> = BTreeMap::new();
    let mut identifiers: BTreeMap<String, Value> = BTreeMap::new();
    let (mut services, mut locations, mut links) = (Vec::new(), Vec::new(), Vec::new());
    let (mut phones, mut schedules, mut attributes) = (Vec::new(), Vec::new(), Vec::new());
    for s in &d.services {
        let p = &s.provider;
        if !organizations.contains_key(&p.id) {
            organizations.insert(p.id.clone(), Value::Object(ob.organization(p)));
            identifiers.insert(p.id.clone(), ob.organization_identifier(p));
            phones.extend(ob.organization_phone(p));
        }
        services.push(Value::Object(ob.service(s)));
        locations.push(Value::Object(ob.location(s)));
        links.push(Value::Object(ob.service_at_location(s)));
        phones.extend(ob.phones(s));
        schedules.extend(ob.schedules(s));
        attributes.extend(ob.attributes(s).into_iter().map(Value::Object));
    }
    let mut doc = Map::new();
    doc.insert("name".into(), json!(d.title));
    doc.insert("hsds_version".into(), json!("3.0"));
    doc.insert("attribution".into(), json!(region.attribution));
    doc.insert(
        "organizations".into(),
        Value::Array(organizations.into_values().collect()),
    );
    doc.insert(
        "organization_identifiers".into(),
        Value::Array(identifiers.into_values().collect()),
    );
    doc.insert("services".into(), Value::Array(services));
    doc.insert("locations".into(), Value::Array(locations));
    doc.insert("service_at_locations".into(), Value::Array(links));
    doc.insert("phones".into(), Value::Array(phones));
    doc.insert("schedules".into(), Value::Array(schedules));
    doc.insert("taxonomies".into(), Value::Array(ob.taxonomies()));
    doc.insert(
        "taxonomy_terms".into(),
        Value::Array(ob.taxonomy_terms().into_iter().map(Value::Object).collect()),
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
