use super::*;

fn read_text(name: &str, text: &str) -> Batch {
    let dir = std::env::temp_dir().join(format!("bussola-osm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    let batch = read(&path, &ReadOptions::default()).expect("reads");
    let _ = std::fs::remove_file(&path);
    batch
}

fn feature(props: &str, geometry: &str) -> String {
    format!(r#"{{"type":"Feature","properties":{props},"geometry":{geometry}}}"#)
}

fn collection(features: &[String]) -> String {
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

const POINT: &str = r#"{"type":"Point","coordinates":[-7.9,38.57]}"#;

fn tags(pairs: &[(&str, &str)]) -> Tags {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn social_facility_tags_map_to_responses() {
    for (pairs, code) in [
        (
            &[
                ("social_facility", "nursing_home"),
                ("social_facility:for", "senior"),
            ][..],
            "ERPI",
        ),
        (&[("social_facility", "assisted_living")][..], "ERPI"),
        (
            &[
                ("social_facility", "day_care"),
                ("social_facility:for", "senior"),
            ][..],
            "CENTRO_DIA",
        ),
        (
            &[
                ("social_facility", "day_care"),
                ("social_facility:for", "disabled"),
            ][..],
            "CACI",
        ),
        (
            &[
                ("social_facility", "outreach"),
                ("social_facility:for", "senior"),
            ][..],
            "SAD_IDOSOS",
        ),
        (
            &[
                ("social_facility", "group_home"),
                ("social_facility:for", "disabled"),
            ][..],
            "LAR_RESIDENCIAL",
        ),
        (
            &[
                ("social_facility", "shelter"),
                ("social_facility:for", "child;juvenile"),
            ][..],
            "CASA_ACOLHIMENTO",
        ),
        (
            &[
                ("social_facility", "shelter"),
                ("social_facility:for", "homeless"),
            ][..],
            "CENTRO_ALOJAMENTO_TEMPORARIO",
        ),
        // A shelter for victims is a Casa de Abrigo (3402), not the support service (3401).
        (
            &[
                ("social_facility", "shelter"),
                ("social_facility:for", "abused"),
            ][..],
            "CASA_ABRIGO",
        ),
        (&[("social_facility", "food_bank")][..], "AJUDA_ALIMENTAR"),
    ] {
        let mut t = tags(pairs);
        t.insert("amenity".into(), "social_facility".into());
        assert_eq!(response(&t).map(|r| r.0), Ok(code), "{pairs:?}");
    }
    let t = tags(&[
        ("amenity", "social_facility"),
        ("social_facility", "day_care"),
    ]);
    assert_eq!(
        response(&t),
        Err("amenity=social_facility social_facility=day_care social_facility:for=(none)".into())
    );
}

#[test]
fn kindergartens_split_by_age_in_years_or_months() {
    let k = |pairs: &[(&str, &str)]| {
        let mut t = tags(pairs);
        t.insert("amenity".into(), "kindergarten".into());
        response(&t).map(|r| r.0)
    };
    assert_eq!(k(&[("min_age", "0"), ("max_age", "6")]), Ok("CRECHE"));
    assert_eq!(k(&[("min_age", "3"), ("max_age", "6")]), Ok("PRE_ESCOLAR"));
    assert_eq!(k(&[("min_age", "4 months")]), Ok("CRECHE"));
    assert_eq!(
        k(&[("idade_min_meses", "36"), ("min_age", "0")]),
        Ok("PRE_ESCOLAR")
    );
    assert_eq!(k(&[("name", "Creche O Pimpolho")]), Ok("CRECHE"));
    assert_eq!(
        k(&[("name", "Jardim de Infância de Cuba")]),
        Ok("PRE_ESCOLAR")
    );
    let mut t = tags(&[("amenity", "childcare"), ("name", "Os Traquinas")]);
    let (code, note) = response(&t).expect("maps");
    assert_eq!(code, "CRECHE");
    assert!(note.is_some_and(|n| n.contains("amenity=childcare")));
    t.insert("amenity".into(), "kindergarten".into());
    assert_eq!(response(&t).map(|r| r.0), Ok("PRE_ESCOLAR"));
}

#[test]
fn reads_an_overpass_export_with_ways_and_contacts() {
    let way = r#"{"type":"Polygon","coordinates":[[[-7.91,38.57],[-7.90,38.57],[-7.90,38.58],[-7.91,38.58],[-7.91,38.57]]]}"#;
    let text = collection(&[
        feature(
            r#"{"@id":"way/456","amenity":"social_facility","social_facility":"nursing_home","social_facility:for":"senior","name":"Lar de Santa Maria","operator":"Santa Casa da Misericórdia de Évora","addr:street":"Rua do Raimundo","addr:housenumber":"12","addr:postcode":"7000-661","addr:city":"Évora","contact:phone":"+351 266 000 000","capacity":"45"}"#,
            way,
        ),
        feature(
            r#"{"id":"node/123","amenity":"social_facility","social_facility":"day_care","social_facility:for":"senior","name":"Centro de Dia","operator:type":"public"}"#,
            POINT,
        ),
        feature(
            r#"{"id":"node/124","amenity":"social_facility","social_facility":"ambulance_station"}"#,
            POINT,
        ),
        feature(
            r#"{"type":"node","id":123,"tags":{"amenity":"childcare"}}"#,
            POINT,
        ),
    ]);
    let b = read_text("overpass.geojson", &text);
    assert_eq!(b.records.len(), 2, "{:?}", b.issues);
    let lar = &b.records[0];
    assert_eq!(lar.get("id"), Some("osm-way-456"));
    assert_eq!(lar.get("type"), Some("ERPI"));
    assert_eq!(lar.get("provider_nature"), Some("misericordia"));
    assert_eq!(lar.get("address"), Some("Rua do Raimundo, 12"));
    assert_eq!(lar.get("postal_code"), Some("7000-661"));
    assert_eq!(lar.get("locality"), Some("Évora"));
    assert_eq!(lar.get("phone"), Some("+351 266 000 000"));
    assert_eq!(lar.get("capacity"), Some("45"));
    assert_eq!(lar.get("precision"), Some("building"));
    let (x, y) = lar.point.expect("a point");
    assert!(
        (-7.91..=-7.90).contains(&x) && (38.57..=38.58).contains(&y),
        "{x} {y}"
    );
    assert_eq!(b.records[1].get("provider_nature"), Some("public"));
    let msgs: Vec<String> = b.issues.iter().map(|i| i.to_string()).collect();
    assert!(
        msgs.iter().any(|m| m.starts_with("error")
            && m.contains("feature 3")
            && m.contains("social_facility=ambulance_station")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter().any(|m| m.starts_with("error")
            && m.contains("feature 4")
            && m.contains("duplicate id 'osm-node-123'")),
        "{msgs:?}"
    );
}

#[test]
fn natures_from_operator_type_and_the_extract() {
    let n = |pairs: &[(&str, &str)]| nature(&tags(pairs));
    assert_eq!(n(&[("operator:type", "religious")]), Some("ipss"));
    assert_eq!(
        n(&[("operator:type", "private")]),
        Some("private_for_profit")
    );
    assert_eq!(n(&[("tipo", "Pública")]), Some("public"));
    assert_eq!(
        n(&[
            ("tipo", "Privada"),
            ("operador", "Centro Social Paroquial de Cuba")
        ]),
        Some("ipss")
    );
    assert_eq!(
        n(&[
            ("tipo", "IPSS"),
            (
                "nome",
                "Centro Infantil da Santa Casa da Misericórida de Cuba"
            )
        ]),
        Some("misericordia")
    );
    assert_eq!(n(&[("tipo", "Desconhecido")]), Some("unknown"));
    assert_eq!(n(&[]), None);
}
