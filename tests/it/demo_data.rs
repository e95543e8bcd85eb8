//! The shipped demo region: reproducible from its generator, plausible, and marked as demo.
use crate::common::{demo_manifest, root};
use bussola::region::Region;
use std::collections::HashMap;

#[test]
fn shipped_files_equal_the_generator_output() {
    let dir = root().join("tests/data/demo-alentejo-central");
    let rows = bussola::demo::read_seats(&dir.join("municipalities.csv")).unwrap();
    let rings = bussola::demo::boundary_rings(&rows);
    let boundaries = std::fs::read_to_string(dir.join("boundaries.geojson")).unwrap();
    let services = std::fs::read_to_string(dir.join("services.geojson")).unwrap();
    assert!(
        boundaries == bussola::demo::generate_boundaries(&rows),
        "boundaries.geojson is stale: run `cargo run -- demo`"
    );
    assert!(
        services == bussola::demo::generate_services(&rows, &rings),
        "services.geojson is stale: run `cargo run -- demo`"
    );
}

#[test]
fn demo_region_is_plausible_and_clean() {
    let loaded = Region::load(&demo_manifest()).unwrap();
    assert!(loaded.issues.is_empty(), "{:#?}", loaded.issues);
    let r = &loaded.region;
    assert_eq!(r.municipalities.len(), 14);
    assert!(r.municipalities.iter().all(|m| m.approximate));
    assert!(
        (300..=500).contains(&r.services.len()),
        "a few hundred services: {}",
        r.services.len()
    );
    assert!(
        r.services.iter().all(|s| s.demo),
        "every service is marked demo"
    );

    let mut count: HashMap<(&str, &str), usize> = HashMap::new();
    let mut capacity: HashMap<&str, u64> = HashMap::new();
    for s in &r.services {
        *count
            .entry((s.municipality.as_str(), s.type_code.as_str()))
            .or_default() += 1;
        *capacity.entry(s.municipality.as_str()).or_default() += u64::from(s.capacity.unwrap_or(0));
        // Each service lies in its own (approximate) municipality.
        assert_eq!(
            r.municipality_at(s.lon, s.lat).map(|m| m.code.as_str()),
            Some(s.municipality.as_str()),
            "{}",
            s.id
        );
    }
    for m in &r.municipalities {
        for t in ["ERPI", "CENTRO_DIA", "SAD_IDOSOS", "CRECHE"] {
            assert!(
                count.get(&(m.code.as_str(), t)).copied().unwrap_or(0) >= 1,
                "{} has no {t}",
                m.name
            );
        }
    }
    // Évora, the largest town, has the most services and the most places.
    let most = |f: &dyn Fn(&str) -> u64| {
        r.municipalities
            .iter()
            .max_by_key(|m| f(&m.code))
            .map(|m| m.code.clone())
    };
    let n_services = |c: &str| r.services.iter().filter(|s| s.municipality == c).count() as u64;
    assert_eq!(most(&n_services).as_deref(), Some("0705"));
    assert_eq!(most(&|c| capacity[c]).as_deref(), Some("0705"));
    // Creches follow births: Évora (438 births) has more than Mourão (18).
    assert!(count[&("0705", "CRECHE")] > 5 * count[&("0708", "CRECHE")]);
    // Every social care group is represented; continued care and mental health (the health
    // group, run by the health service's network) are not invented.
    for g in r.taxonomy.groups() {
        let any = r.services.iter().any(|s| {
            r.taxonomy
                .get(&s.type_code)
                .is_some_and(|x| x.group == g.code)
        });
        assert_eq!(any, g.code != "health", "{}", g.code);
    }
}
