//! Tests of the coverage indicators and gap classes.
use super::*;
use crate::demo::{example_municipality, example_service};
use crate::model::Service;

fn muni(code: &str, p65: u64, births: Option<u64>) -> Municipality {
    let mut m = example_municipality();
    m.code = code.into();
    m.name = format!("M{code}");
    m.population.age_65_plus = Some(p65);
    m.population.live_births = births;
    m.population.age_0_2 = None;
    m
}

fn svc(m: &str, t: &str, cap: Option<u32>) -> Service {
    let mut s = example_service();
    s.id = format!("{m}-{t}-{cap:?}");
    s.municipality = m.into();
    s.type_code = t.into();
    s.capacity = cap;
    s
}

/// A fixture computed by hand.
/// A: 65+ = 400; ERPI 30 + CD 10 + SAD 20 = 60 -> 15.00 %
/// B: 65+ = 1000; ERPI 50 -> 5.00 %; a CRECHE of 40 does not count
/// C: 65+ = 100; nothing -> 0 %, no places
/// Region: 110 / 1500 = 7.333 %
#[test]
fn elderly_rates_by_hand() {
    let tax = Taxonomy::default_taxonomy().unwrap();
    let ms = [
        muni("A", 400, Some(10)),
        muni("B", 1000, Some(20)),
        muni("C", 100, None),
    ];
    let ss = [
        svc("A", "ERPI", Some(30)),
        svc("A", "CENTRO_DIA", Some(10)),
        svc("A", "SAD_IDOSOS", Some(20)),
        svc("B", "ERPI", Some(50)),
        svc("B", "CRECHE", Some(40)),
        svc("B", "SAD_IDOSOS", None),
        svc("Z", "ERPI", Some(999)),
    ];
    let r = compute(Indicator::Elderly, &ms, &ss, &tax, 10.0);
    let rates: Vec<Option<f64>> = r.municipalities.iter().map(|m| m.rate).collect();
    assert_eq!(rates, [Some(15.0), Some(5.0), Some(0.0)]);
    assert_eq!(r.region.capacity, 110);
    assert_eq!(r.region.population, Some(1500));
    assert!((r.region.rate.unwrap() - 7.333_333).abs() < 1e-4);
    let gaps: Vec<GapClass> = r.municipalities.iter().map(|m| m.gap_class).collect();
    assert_eq!(
        gaps,
        [
            GapClass::MeetsTarget,
            GapClass::BelowRegional,
            GapClass::NoPlaces
        ]
    );
    assert_eq!(r.municipalities[1].services, 2);
    assert_eq!(r.municipalities[1].services_without_capacity, 1);
    assert_eq!(
        r.municipalities[1].services_by_group.get("children"),
        Some(&1)
    );
    assert_eq!(
        r.municipalities[1].capacity_by_group.get("elderly"),
        Some(&50)
    );
}

/// A: births 10 -> 30 children; CRECHE 10 + AMA 3 + CRECHE_FAMILIAR 2 = 15 -> 50 %.
/// C: no births, no 0–2 band: no data.
#[test]
fn early_childhood_uses_births_times_three_and_says_so() {
    let tax = Taxonomy::default_taxonomy().unwrap();
    let mut a = muni("A", 400, Some(10));
    let b = muni("C", 100, None);
    let ss = [
        svc("A", "CRECHE", Some(10)),
        svc("A", "AMA", Some(3)),
        svc("A", "CRECHE_FAMILIAR", Some(2)),
        // Pre-school is for ages 3 to 6: Carta Social does not count it.
        svc("A", "PRE_ESCOLAR", Some(50)),
    ];
    let r = compute(Indicator::EarlyChildhood, &[a.clone(), b], &ss, &tax, 33.0);
    assert_eq!(r.municipalities[0].basis, Basis::LiveBirthsTimes3);
    assert_eq!(r.municipalities[0].population, Some(30));
    assert_eq!(r.municipalities[0].rate, Some(50.0));
    assert_eq!(r.municipalities[1].gap_class, GapClass::NoData);
    assert_eq!(r.region.basis, Basis::Missing);
    a.population.age_0_2 = Some(60);
    let r = compute(Indicator::EarlyChildhood, &[a], &ss, &tax, 33.0);
    assert_eq!(r.municipalities[0].basis, Basis::Age0To2);
    assert_eq!(r.municipalities[0].rate, Some(25.0));
    assert_eq!(r.municipalities[0].gap_class, GapClass::BelowTarget);
}

#[test]
fn csv_has_a_row_per_municipality_and_the_region() {
    let tax = Taxonomy::default_taxonomy().unwrap();
    let r = compute(
        Indicator::Elderly,
        &[muni("A", 400, None)],
        &[svc("A", "ERPI", Some(30))],
        &tax,
        10.0,
    );
    let csv = to_csv(&r);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines[1],
        "\"A\",\"MA\",elderly,age_65_plus,400,30,1,0,7.50,below_target,alentejo-central"
    );
    assert!(lines[2].starts_with("\"region\","));
}

/// Names come from region files anyone may publish: a spreadsheet opening the CSV must show
/// them, never run them.
#[test]
fn csv_names_never_start_a_formula() {
    let tax = Taxonomy::default_taxonomy().unwrap();
    let mut r = compute(
        Indicator::Elderly,
        &[muni("A", 400, None)],
        &[svc("A", "ERPI", Some(30))],
        &tax,
        10.0,
    );
    r.municipalities[0].name = "=cmd|' /C calc'!A0".into();
    let csv = to_csv(&r);
    let line = csv.lines().nth(1).unwrap();
    assert!(
        line.starts_with("\"A\",\"'=cmd|' /C calc'!A0\",elderly,"),
        "{line}"
    );
}

/// OpenStreetMap publishes no capacity: creches there are "no data", not "no places", and
/// they do not pull the regional rate down.
#[test]
fn services_without_any_capacity_are_no_data_not_no_places() {
    let tax = Taxonomy::default_taxonomy().unwrap();
    let ms = [muni("A", 0, Some(10)), muni("B", 0, Some(10))];
    let ss = vec![
        svc("A", "CRECHE", None),
        svc("A", "CRECHE", None),
        svc("B", "CRECHE", Some(15)),
    ];
    let r = compute(Indicator::EarlyChildhood, &ms, &ss, &tax, 33.0);
    assert_eq!(r.municipalities[0].rate, None);
    assert_eq!(r.municipalities[0].gap_class, GapClass::NoData);
    assert_eq!(r.municipalities[0].services_without_capacity, 2);
    assert_eq!(r.municipalities[1].rate, Some(50.0));
    assert_eq!(r.region.rate, Some(50.0));
}
