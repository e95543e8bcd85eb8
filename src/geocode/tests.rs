use super::*;
use crate::model::Population;
use geo_types::polygon;

/// A square municipality between two longitudes, latitudes 38.5–38.7.
fn square(code: &str, name: &str, west: f64, east: f64, seat: Option<(f64, f64)>) -> Municipality {
    Municipality {
        code: code.into(),
        name: name.into(),
        nuts3: None,
        seat: seat.map(|(x, y)| (name.to_string(), x, y)),
        geometry: MultiPolygon(vec![polygon![
            (x: west, y: 38.5), (x: east, y: 38.5), (x: east, y: 38.7), (x: west, y: 38.7)
        ]]),
        approximate: false,
        region: "test".into(),
        population: Population::default(),
    }
}

/// Évora (0705, with a seat) and Mora (0707, without) side by side.
fn fixture() -> Gazetteer {
    let mut g = Gazetteer::new(&[
        square("0705", "Évora", -8.0, -7.8, Some((-7.9, 38.57))),
        square("0707", "Mora", -7.8, -7.6, None),
    ]);
    assert!(g.add_place("Evora", Some("0705"), -7.9, 38.57));
    assert!(g.add_place("Sao Miguel de Machede", Some("0705"), -7.85, 38.62));
    assert!(g.add_place("Foros", Some("0705"), -7.95, 38.52));
    assert!(g.add_place("Foros", Some("0707"), -7.65, 38.68));
    // No code: its municipality is the one its point falls in.
    assert!(g.add_place("Brotas", None, -7.7, 38.6));
    // Said to be in Mora, but the point is in Évora: refused.
    assert!(!g.add_place("Pavia", Some("0707"), -7.9, 38.6));
    assert!(g.add_parish("Nossa Senhora da Tourega", Some("070512"), -7.97, 38.53));
    let pc = |s: &str| PostalCode::parse(s).expect("fixture code");
    g.add_postal_code(pc("7000-123"), "Évora", "0705", Some("Évora"));
    g.add_postal_code(pc("7000-500"), "Évora", "0705", Some("Évora"));
    g.add_postal_code(
        pc("7000-200"),
        "São Miguel de Machede",
        "0705",
        Some("Évora"),
    );
    g.add_postal_code(pc("7000-300"), "Azaruja", "0705", Some("Évora"));
    g.add_postal_code(pc("7490-100"), "Mora", "707", None);
    g
}

fn q<'a>(
    postal_code: Option<&'a str>,
    locality: Option<&'a str>,
    municipality: Option<&'a str>,
) -> Query<'a> {
    Query {
        postal_code,
        locality,
        municipality,
        ..Query::default()
    }
}

fn at(p: &Placed) -> (f64, f64) {
    ((p.lon * 1e4).round() / 1e4, (p.lat * 1e4).round() / 1e4)
}

#[test]
fn a_known_postal_code_places_at_its_locality() {
    let g = fixture();
    for code in ["7000-200", "7000 200", "7000200"] {
        let p = g.locate(&q(Some(code), None, None)).expect("placed");
        assert_eq!(at(&p), (-7.85, 38.62), "{code}");
        assert_eq!(p.precision, Precision::PostalCode);
        assert_eq!(p.municipality, "0705");
        assert_eq!(
            p.via,
            "postal code 7000-200 → São Miguel de Machede (Évora)"
        );
    }
    assert_eq!(g.stats().postal_codes, 5);
}

#[test]
fn an_unlocated_locality_falls_back_to_the_centre_of_its_area() {
    let g = fixture();
    // Azaruja has no point: the area 7000's located localities, weighted by their codes
    // (Évora 2, São Miguel 1).
    let p = g.locate(&q(Some("7000-300"), None, None)).expect("placed");
    assert_eq!(p.precision, Precision::PostalCode);
    assert_eq!(at(&p), (-7.8833, 38.5867));
    assert!(
        p.via.starts_with("postal area 7000 (2 located"),
        "{}",
        p.via
    );
    // A bare CP4, and a code the list does not have, land at the same centre.
    for code in ["7000", "7000-999"] {
        let p = g
            .locate(&q(Some(code), None, Some("0705")))
            .expect("placed");
        assert_eq!(
            (at(&p), p.precision),
            ((-7.8833, 38.5867), Precision::PostalCode),
            "{code}"
        );
    }
}

#[test]
fn locality_names_match_without_accents_or_case() {
    let g = fixture();
    let p = g
        .locate(&q(None, Some("SÃO MIGUEL DE MACHEDE"), Some("0705")))
        .expect("placed");
    assert_eq!((at(&p), p.precision), ((-7.85, 38.62), Precision::Locality));
    // The municipality by name works as well as by code.
    let p = g
        .locate(&q(None, Some("évora"), Some("evora")))
        .expect("placed");
    assert_eq!((at(&p), p.precision), ((-7.9, 38.57), Precision::Locality));
}

#[test]
fn a_locality_name_is_looked_up_only_in_its_municipality() {
    let g = fixture();
    let p = g
        .locate(&q(None, Some("Foros"), Some("0707")))
        .expect("placed");
    assert_eq!((at(&p), p.municipality.as_str()), ((-7.65, 38.68), "0707"));
    // Two places called Foros and no municipality: neither is guessed.
    assert_eq!(g.locate(&q(None, Some("Foros"), None)), None);
    // A unique name is found without one, and tells its municipality.
    let p = g.locate(&q(None, Some("Brotas"), None)).expect("placed");
    assert_eq!(
        (p.municipality.as_str(), p.precision),
        ("0707", Precision::Locality)
    );
    // São Miguel is in Évora, not Mora: Mora's own position instead.
    let p = g
        .locate(&q(None, Some("Sao Miguel de Machede"), Some("0707")))
        .expect("placed");
    assert_eq!(
        (p.municipality.as_str(), p.precision),
        ("0707", Precision::Municipality)
    );
}

#[test]
fn a_parish_places_at_its_point_or_a_place_of_its_name() {
    let g = fixture();
    let parish = |name| Query {
        parish: Some(name),
        municipality: Some("0705"),
        ..Query::default()
    };
    let p = g
        .locate(&parish("Nossa Senhora da Tourega"))
        .expect("placed");
    assert_eq!((at(&p), p.precision), ((-7.97, 38.53), Precision::Parish));
    assert_eq!(p.via, "parish Nossa Senhora da Tourega (Évora)");
    let p = g.locate(&parish("São Miguel de Machede")).expect("placed");
    assert_eq!((at(&p), p.precision), ((-7.85, 38.62), Precision::Parish));
}

#[test]
fn the_municipality_places_at_its_seat_or_inside_its_boundary() {
    let g = fixture();
    let p = g
        .locate(&q(None, Some("Nowhere"), Some("0705")))
        .expect("placed");
    assert_eq!(
        (at(&p), p.precision),
        ((-7.9, 38.57), Precision::Municipality)
    );
    assert_eq!(p.via, "seat Évora (Évora)");
    // Mora has no seat and no place of its name: a point inside its square.
    let p = g.locate(&q(Some("7490-100"), None, None)).expect("placed");
    assert_eq!(
        (p.precision, p.municipality.as_str()),
        (Precision::Municipality, "0707")
    );
    assert!(g.inside("0707", p.lon, p.lat));
    assert_eq!(g.locate(&q(None, Some("Nowhere"), None)), None);
    assert_eq!(g.locate(&Query::default()), None);
}

#[test]
fn points_outside_their_municipality_are_never_used() {
    let g = fixture();
    assert_eq!(g.stats().refused, 1);
    assert_eq!(g.stats().places, 5);
    let p = g
        .locate(&q(None, Some("Pavia"), Some("0707")))
        .expect("placed");
    assert_eq!(p.precision, Precision::Municipality);
    assert!(g.inside("0707", p.lon, p.lat));
}

#[test]
fn a_postal_code_of_another_municipality_is_flagged_and_not_followed_outside() {
    let g = fixture();
    assert_eq!(
        g.postal_code_mismatch("7000 200", "0707").as_deref(),
        Some("postal code 7000-200 belongs to Évora (0705), not Mora (0707)")
    );
    assert_eq!(g.postal_code_mismatch("7000-200", "Évora"), None);
    assert_eq!(g.postal_code_mismatch("1000-001", "0707"), None);
    // The record still gets a place, inside the municipality it states.
    let p = g
        .locate(&q(Some("7000-200"), None, Some("0707")))
        .expect("placed");
    assert_eq!(
        (p.municipality.as_str(), p.precision),
        ("0707", Precision::Municipality)
    );
}

#[test]
fn postal_code_lookup_normalises_and_knows_the_main_town_of_an_area() {
    let g = fixture();
    let e = g.postal_code("7000123").expect("known");
    assert_eq!(
        (
            e.code.as_str(),
            e.locality.as_str(),
            e.municipality.as_str()
        ),
        ("7000-123", "Évora", "0705")
    );
    let e = g.postal_code("7000").expect("known area");
    assert_eq!((e.code.as_str(), e.locality.as_str()), ("7000", "Évora"));
    // The region's name stands in when the table gives none; the code got its zero back.
    let e = g.postal_code("7490-100").expect("known");
    assert_eq!(
        (e.municipality.as_str(), e.municipality_name.as_deref()),
        ("0707", Some("Mora"))
    );
    assert_eq!(g.postal_code("7000-999"), None);
    assert_eq!(g.postal_code("not a code"), None);
}

struct Fake(f64, f64);

impl OnlineGeocoder for Fake {
    fn geocode(&self, _: &Query<'_>) -> crate::Result<Option<(f64, f64, Precision)>> {
        Ok(Some((self.0, self.1, Precision::Address)))
    }
    fn name(&self) -> String {
        "fake".into()
    }
}

#[test]
fn an_online_answer_is_kept_only_inside_the_municipality() {
    let g = fixture();
    let query = q(Some("7000-200"), None, Some("0705"));
    let p = g
        .locate_with(&query, Some(&Fake(-7.91, 38.58)))
        .expect("placed");
    assert_eq!(
        (p.precision, p.via.as_str()),
        (Precision::Address, "fake (Évora)")
    );
    // An answer in Mora for a record in Évora: the gazetteer's answer instead.
    let p = g
        .locate_with(&query, Some(&Fake(-7.7, 38.6)))
        .expect("placed");
    assert_eq!(p.precision, Precision::PostalCode);
    assert_eq!(g.locate_with(&query, None), g.locate(&query));
}

#[test]
fn from_spec_reads_the_files_and_names_a_missing_column() {
    let dir = std::env::temp_dir().join(format!("bussola-geocode-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let cp = dir.join("cp.csv");
    std::fs::write(
        &cp,
        "cp4,cp3,localidade,dico,concelho\n7000,5,Évora,0705,Évora\n7000,x,Bad,0705,Évora\n",
    )
    .expect("write");
    let places = dir.join("places.csv");
    std::fs::write(
        &places,
        "nome,lon,lat\nÉvora,-7.9,38.57\nLisboa,-9.14,38.72\n",
    )
    .expect("write");
    let spec = GazetteerSpec {
        postal_codes: Some(PostalCodesFile {
            path: cp.clone(),
            postal_code: None,
            cp4: "cp4".into(),
            cp3: "cp3".into(),
            locality: "localidade".into(),
            code: "dico".into(),
            municipality_name: "concelho".into(),
        }),
        places: Some(PlacesFile {
            path: places,
            name: "nome".into(),
            code: "dico".into(),
            lon: "lon".into(),
            lat: "lat".into(),
            crs: None,
        }),
        ..GazetteerSpec::default()
    };
    let munis = [square("0705", "Évora", -8.0, -7.8, None)];
    let g = Gazetteer::from_spec(&spec, &munis).expect("loads");
    // The bad row is skipped; Lisbon is in none of the region's municipalities.
    assert_eq!(
        g.stats(),
        Stats {
            postal_codes: 1,
            places: 1,
            parishes: 0,
            refused: 1
        }
    );
    let p = g.locate(&q(Some("7000-005"), None, None)).expect("placed");
    assert_eq!(
        (at(&p), p.precision),
        ((-7.9, 38.57), Precision::PostalCode)
    );

    let mut bad = spec.clone();
    if let Some(pc) = &mut bad.postal_codes {
        pc.locality = "locality".into();
    }
    let err = Gazetteer::from_spec(&bad, &munis)
        .expect_err("no such column")
        .to_string();
    assert!(
        err.contains("line 2, field 'locality': no such column"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
