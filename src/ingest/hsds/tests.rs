use super::*;
use crate::issue::Severity;

fn read_json_text(name: &str, text: &str, options: &ReadOptions<'_>) -> Batch {
    let dir = std::env::temp_dir().join(format!("bussola-hsds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    let batch = read(&path, options).expect("reads");
    let _ = std::fs::remove_file(&path);
    batch
}

/// The flat form: one array per table, joined by ids; our term found through `taxonomies`.
const FLAT: &str = r#"{
  "organizations": [{"id": "o1", "name": "Centro Social Exemplo", "legal_status": "Instituição Particular de Solidariedade Social"}],
  "services": [
    {"id": "s1", "organization_id": "o1", "name": "Creche Exemplo"},
    {"id": "s2", "organization_id": "o1", "name": "Biblioteca Exemplo"}
  ],
  "locations": [{"id": "l1", "latitude": 38.57, "longitude": -7.9}, {"id": "l2", "latitude": "norte", "longitude": -7.9}],
  "service_at_locations": [
    {"id": "a1", "service_id": "s1", "location_id": "l1"},
    {"id": "a2", "service_id": "s9", "location_id": "l1"},
    {"id": "a3", "service_id": "s2", "location_id": "l2"}
  ],
  "attributes": [{"id": "t1", "link_id": "s1", "link_entity": "service", "taxonomy_term_id": "k1"}],
  "taxonomy_terms": [{"id": "k1", "code": "CRECHE", "name": "Creche", "taxonomy_id": "x"}],
  "taxonomies": [{"id": "x", "name": "Bússola"}],
  "schedules": [{"id": "h1", "service_id": "s1", "byday": "MO,TU,WE,TH,FR", "opens_at": "07:30", "closes_at": "19:00"}]
}"#;

#[test]
fn reads_the_flat_form_and_reports_what_it_cannot_join() {
    let b = read_json_text("flat.json", FLAT, &ReadOptions::default());
    assert_eq!(b.records.len(), 1, "{:?}", b.issues);
    let r = &b.records[0];
    assert_eq!(r.place, "service_at_locations[0]");
    assert_eq!(r.get("id"), Some("s1"));
    assert_eq!(r.get("type"), Some("CRECHE"));
    assert_eq!(r.get("provider"), Some("Centro Social Exemplo"));
    assert_eq!(r.get("provider_id"), Some("o1"));
    assert_eq!(r.get("provider_nature"), Some("ipss"));
    assert_eq!(r.get("opening_hours"), Some("Mo-Fr 07:30-19:00"));
    assert_eq!(r.point, Some((-7.9, 38.57)));
    let msgs: Vec<String> = b.issues.iter().map(|i| i.to_string()).collect();
    assert_eq!(
        b.issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .count(),
        2,
        "{msgs:?}"
    );
    assert!(
        msgs.iter().any(|m| m.contains("service_at_locations[1]")
            && m.contains("'service_id'")
            && m.contains("s9")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter().any(|m| m.contains("service_at_locations[2]")
            && m.contains("'latitude'")
            && m.contains("norte")),
        "{msgs:?}"
    );
}

#[test]
fn without_our_type_the_name_is_matched_against_the_taxonomy() {
    let text = r#"[{"id": "s", "name": "Centro de Dia de Mora", "service_at_locations": [{"id": "a", "location": {"id": "l", "latitude": 38.94, "longitude": -8.16}}]},
                   {"id": "t", "name": "Biblioteca de Mora", "service_at_locations": [{"id": "b", "location_id": "l"}]}]"#;
    let taxonomy = crate::taxonomy::Taxonomy::default_taxonomy().expect("taxonomy");
    let with = ReadOptions {
        municipalities: &[],
        taxonomy: Some(&taxonomy),
        crs: None,
    };
    let b = read_json_text("names.json", text, &with);
    let types: Vec<_> = b.records.iter().map(|r| r.get("type")).collect();
    // The library keeps its name, for the conversion to report as an unknown response.
    assert_eq!(types, [Some("CENTRO_DIA"), Some("Biblioteca de Mora")]);
    assert!(b
        .issues
        .iter()
        .any(|i| i.severity == Severity::Warning && i.message.contains("CENTRO_DIA")));
    let without = read_json_text("names2.json", text, &ReadOptions::default());
    assert_eq!(
        without.records[0].get("type"),
        Some("Centro de Dia de Mora")
    );
}

#[test]
fn a_folder_without_services_is_refused() {
    let dir = std::env::temp_dir().join(format!("bussola-hsds-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let err = read(&dir, &ReadOptions::default()).unwrap_err().to_string();
    assert!(
        err.contains("services.csv") || err.contains("service_at_locations.csv"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
