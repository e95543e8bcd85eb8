use super::*;
use crate::model::{Contact, LegalNature, Provenance, Provider};

/// A service `dy_m` metres north of a point in Évora.
fn svc(id: &str, source: &str, type_code: &str, name: &str, dy_m: f64) -> Service {
    Service {
        id: id.into(),
        name: name.into(),
        type_code: type_code.into(),
        provider: Provider {
            id: "p".into(),
            name: "P".into(),
            legal_nature: LegalNature::Unknown,
            contact: Default::default(),
        },
        capacity: None,
        users: None,
        vacancies: None,
        opening_hours: None,
        contact: Contact::default(),
        address: None,
        postal_code: None,
        locality: None,
        municipality: "0705".into(),
        lon: -7.9097,
        lat: 38.5714 + dy_m / 111_000.0,
        precision: Precision::Unknown,
        source: source.into(),
        updated: None,
        demo: false,
        confirmed: None,
        vacancies_declared: None,
        provenance: vec![Provenance {
            source: source.into(),
            record: id.into(),
            fields: Default::default(),
        }],
    }
}

#[test]
fn portuguese_names_that_are_the_same_service() {
    for (a, b) in [
        ("Lar de São José", "Lar S. José"),
        ("LAR DE SÃO JOSÉ", "Lar S. Jose"),
        ("Santa Casa da Misericórdia de Arraiolos", "SCM Arraiolos"),
        (
            "Centro Social e Paroquial de São Bento",
            "Centro Social Paroquial S. Bento",
        ),
        (
            "CENTRO SOCIAL E PAROQUIAL DE S. BENTO",
            "Centro Social Paroquial S. Bento",
        ),
        ("Lar Nossa Senhora de Fátima", "Lar N.ª Sra. de Fátima"),
        ("Jardim de Infância Os Pirilampos", "JI Pirilampos"),
        ("Lar São José", "Lar São José de Évora"),
        (
            "Creche Misericórdia de Évora",
            "Creche da Misericordia de Evora",
        ),
        ("Centro de Dia", "Centro de Dia"),
        (
            "Lar Residencial Fundação Alentejo",
            "Lar Residencial Fundacao Alentejo",
        ),
    ] {
        let s = similarity(a, b);
        assert!(s >= MIN_SIMILARITY, "'{a}' / '{b}': {s}");
    }
}

#[test]
fn portuguese_names_that_are_different_services() {
    for (a, b) in [
        ("Lar de São José", "Lar de São Pedro"),
        ("Lar de Santo António", "Lar de Santo André"),
        // The shipped demonstration data has these 95 m apart.
        ("Lar Exemplo E de Évora", "Lar Exemplo M de Évora"),
        ("Lar n.º 1 da Misericórdia", "Lar n.º 2 da Misericórdia"),
        ("Lar Évora", "Lar São José de Évora"),
        ("Creche O Balão", "Creche Balão Mágico"),
        ("Lar II", "Lar III"),
    ] {
        let s = similarity(a, b);
        assert!(s < MIN_SIMILARITY, "'{a}' / '{b}': {s}");
    }
    assert_eq!(similarity("Lar de São José", "Lar de São Pedro"), 0.5);
}

#[test]
fn same_type_close_and_alike_from_two_sources_is_one_service() {
    let a = svc("cs-1", "carta-social", "ERPI", "Lar de São José", 0.0);
    let b = svc("osm-9", "osm", "ERPI", "Lar S. José", 50.0);
    let far = svc("osm-10", "osm", "ERPI", "Lar S. José", 150.0);
    let other_type = svc(
        "osm-11",
        "osm",
        "CENTRO_DIA",
        "Centro de Dia de São José",
        10.0,
    );
    let found = pairs(&[a.clone(), b.clone(), far.clone(), other_type.clone()]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].i, found[0].j), (0, 1));
    assert!((found[0].distance_m - 50.0).abs() < 1.0);
    // Generic words drop out, so only the type tells the Centro de Dia from the Lar.
    let mut relabelled = other_type.clone();
    relabelled.type_code = "ERPI".into();
    assert_eq!(pairs(&[a.clone(), relabelled]).len(), 1);
    assert!(pairs(&[a, other_type]).is_empty());
}

#[test]
fn merge_keeps_the_first_id_every_provenance_and_the_best_fields() {
    let mut a = svc("cs-1", "carta-social", "ERPI", "Lar de São José", 0.0);
    a.capacity = Some(40);
    a.precision = Precision::Locality;
    a.updated = Some("2025-01-10".into());
    a.contact.phone = Some("266 700 000".into());
    let mut b = svc("osm-9", "osm", "ERPI", "Lar S. José", 23.0);
    b.precision = Precision::Building;
    b.capacity = None;
    b.contact.website = Some("https://scm.example.pt".into());
    let lone = svc("osm-3", "osm", "CRECHE", "Creche Pirilampos", 0.0);
    let (out, merges) = merge(vec![lone.clone(), a.clone(), b.clone()]);
    assert_eq!(out.len(), 2);
    assert_eq!(out[0], lone);
    let m = &out[1];
    assert_eq!(m.id, "cs-1");
    assert_eq!(m.source, "carta-social");
    assert_eq!(
        m.provenance
            .iter()
            .map(|p| (p.source.as_str(), p.record.as_str()))
            .collect::<Vec<_>>(),
        [("carta-social", "cs-1"), ("osm", "osm-9")]
    );
    // Position and name from the building-precise record; what it lacks from the other.
    assert_eq!((m.lat, m.precision), (b.lat, Precision::Building));
    assert_eq!(m.name, "Lar S. José");
    assert_eq!(m.capacity, Some(40));
    assert_eq!(m.contact.phone.as_deref(), Some("266 700 000"));
    assert_eq!(m.contact.website.as_deref(), Some("https://scm.example.pt"));
    assert_eq!(m.updated.as_deref(), Some("2025-01-10"));
    assert_eq!(merges.len(), 1);
    assert_eq!(
        merges[0].message(),
        "osm-9 (osm) merged into cs-1 (carta-social): same type ERPI, names 'Lar de São José' / 'Lar S. José', 23 m apart"
    );
}

#[test]
fn never_merges_within_one_source_or_a_re_import() {
    let a = svc("cs-1", "carta-social", "ERPI", "Lar de São José", 0.0);
    let b = svc("cs-2", "carta-social", "ERPI", "Lar S. José", 10.0);
    let (out, merges) = merge(vec![a.clone(), b]);
    assert_eq!((out.len(), merges.len()), (2, 0));
    // The same record imported twice is not a duplicate pair.
    assert!(pairs(&[a.clone(), a.clone()]).is_empty());
    // A third source joins the nearest one; the second carta-social record stays apart.
    let c = svc("osm-1", "osm", "ERPI", "Lar São José", 5.0);
    let d = svc("cs-2", "carta-social", "ERPI", "Lar S. José", 10.0);
    let (out, merges) = merge(vec![a, c, d]);
    assert_eq!(
        out.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        ["cs-1", "cs-2"]
    );
    assert_eq!(merges.len(), 1);
    assert_eq!(merges[0].merged_id, "osm-1");
}

#[test]
fn r_tree_pairs_match_brute_force_on_10k_random_services() {
    // A small deterministic generator (xorshift) keeps the test free of extra crates.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let names = [
        "Lar de São José",
        "Lar S. José",
        "Lar São José de Évora",
        "Lar de São Pedro",
        "Creche Pirilampos",
        "JI Pirilampos",
        "Lar Exemplo A",
        "Lar Exemplo B",
    ];
    let types = ["ERPI", "CRECHE", "CENTRO_DIA"];
    let sources = ["carta-social", "osm", "municipio"];
    let services: Vec<Service> = (0..10_000)
        .map(|i| {
            let r = next();
            let mut s = svc(
                &format!("s{i}"),
                sources[(r % 3) as usize],
                types[((r >> 8) % 3) as usize],
                names[((r >> 16) % names.len() as u64) as usize],
                0.0,
            );
            // About 4 x 4 km around Évora: a dozen services within 100 m of each.
            s.lon = -7.93 + ((r >> 24) % 100_000) as f64 / 100_000.0 * 0.046;
            s.lat = 38.55 + ((r >> 44) % 100_000) as f64 / 100_000.0 * 0.036;
            s
        })
        .collect();
    let fast: Vec<(usize, usize)> = {
        let mut v: Vec<_> = pairs(&services).iter().map(|p| (p.i, p.j)).collect();
        v.sort();
        v
    };
    let keys: Vec<NameKey> = services.iter().map(|s| name_key(&s.name)).collect();
    let mut slow = Vec::new();
    for i in 0..services.len() {
        for j in i + 1..services.len() {
            let (a, b) = (&services[i], &services[j]);
            // Cheap reject at twice the reach before the geodesic.
            if (a.lat - b.lat).abs() > 0.002 || (a.lon - b.lon).abs() > 0.003 {
                continue;
            }
            if candidate(a, b, &keys[i], &keys[j]).is_some() {
                slow.push((i, j));
            }
        }
    }
    assert!(
        slow.len() > 1_000,
        "the test needs many pairs: {}",
        slow.len()
    );
    assert_eq!(fast, slow);
    let (merged, merges) = merge(services.clone());
    assert_eq!(merged.len() + merges.len(), services.len());
}
