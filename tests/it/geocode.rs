//! Geocoding on the real open data: the CTT postal code list, GeoNames places and the 58 CAOP
//! municipalities of Alentejo, checked against the 204 creches mapped in OpenStreetMap.

use bussola::distance::geodesic_m;
use bussola::geocode::{Gazetteer, Query};
use bussola::model::{Municipality, Precision};
use bussola::region::{Manifest, Region};
use geo::Intersects;
use geo_types::Point;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// The gazetteer of the example manifest over all of Alentejo, and its municipalities.
fn gazetteer() -> (Gazetteer, Vec<Municipality>) {
    let path = crate::common::root().join("geodata/examples/alentejo-osm-creches.toml");
    let manifest = Manifest::load(&path).expect("manifest parses");
    let spec = manifest
        .gazetteer
        .clone()
        .expect("the example has a [gazetteer] section");
    let region = Region::from_manifest(&manifest, &path)
        .expect("region loads")
        .region;
    let g = Gazetteer::from_spec(&spec, &region.municipalities).expect("gazetteer loads");
    (g, region.municipalities)
}

fn features(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).expect("readable");
    let v: Value = serde_json::from_str(&text).expect("GeoJSON");
    v["features"].as_array().expect("features").clone()
}

fn point(f: &Value) -> (f64, f64) {
    let c = &f["geometry"]["coordinates"];
    (c[0].as_f64().expect("lon"), c[1].as_f64().expect("lat"))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[test]
fn an_evora_postal_code_lands_at_evora() {
    let Some(shared) = crate::common::shared() else {
        return;
    };
    let (g, _) = gazetteer();
    let stats = g.stats();
    println!("{stats:?}");
    assert_eq!(stats.postal_codes, 19_162);
    // 77 GeoNames places are in Alentejo's 58 municipalities; the rest of Portugal is refused.
    assert!(stats.places >= 70, "{stats:?}");
    let evora = features(&shared.join("geonames_pt_cities1000.geojson"))
        .into_iter()
        .find(|f| f["properties"]["name"] == "Evora")
        .map(|f| point(&f))
        .expect("GeoNames has Évora");
    // 7000-591 is "Évora" in the CTT list (Rua de Avis, where one of the creches is).
    let e = g.postal_code("7000-591").expect("in the CTT list");
    assert_eq!(
        (e.locality.as_str(), e.municipality.as_str()),
        ("Évora", "0705")
    );
    let p = g
        .locate(&Query {
            postal_code: Some("7000 591"),
            ..Query::default()
        })
        .expect("placed");
    assert_eq!(
        (p.precision, p.municipality.as_str()),
        (Precision::PostalCode, "0705")
    );
    assert!(geodesic_m((p.lon, p.lat), evora) < 2_000.0, "{p:?}");
    assert_eq!(
        g.postal_code_mismatch("7000-591", "0709").as_deref(),
        Some("postal code 7000-591 belongs to Évora (0705), not Portel (0709)")
    );
}

#[test]
fn osm_creches_are_placed_in_their_own_municipality() {
    let Some(shared) = crate::common::shared() else {
        return;
    };
    let (g, munis) = gazetteer();
    let by_code: BTreeMap<&str, &Municipality> =
        munis.iter().map(|m| (m.code.as_str(), m)).collect();
    let creches = features(&shared.join("alentejo/osm_creches_jardins_infancia.geojson"));
    let mut with_code = 0;
    let mut right = 0;
    let mut by_precision: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut postal_km = Vec::new();
    let mut area_km = Vec::new();
    for f in &creches {
        let props = &f["properties"];
        let Some(code) = props["codigo_postal"].as_str() else {
            continue;
        };
        with_code += 1;
        let dico = props["dico"].as_str().expect("dico");
        // What a record without coordinates says: postal code and locality, not the
        // municipality (given that, every answer is inside it by construction).
        let q = Query {
            postal_code: Some(code),
            locality: props["localidade"].as_str(),
            ..Query::default()
        };
        let Some(p) = g.locate(&q) else {
            by_precision.entry("none".into()).or_default().0 += 1;
            continue;
        };
        let inside = by_code[dico].geometry.intersects(&Point::new(p.lon, p.lat));
        right += usize::from(inside);
        let e = by_precision
            .entry(format!("{:?}", p.precision))
            .or_default();
        e.0 += 1;
        e.1 += usize::from(inside);
        let km = geodesic_m((p.lon, p.lat), point(f)) / 1000.0;
        match p.precision {
            // The code's own locality, or (CP4 level) the centre of its area's localities.
            Precision::PostalCode if p.via.starts_with("postal code") => postal_km.push(km),
            Precision::PostalCode => area_km.push(km),
            _ => {}
        }
        // Stated, the municipality always holds the answer.
        let stated = g
            .locate(&Query {
                municipality: Some(dico),
                ..q
            })
            .expect("placed");
        assert!(
            by_code[dico]
                .geometry
                .intersects(&Point::new(stated.lon, stated.lat)),
            "{code} {dico}: {stated:?}"
        );
    }
    let share = right as f64 / with_code as f64;
    let (med, area_med) = (median(postal_km.clone()), median(area_km.clone()));
    let all_med = median([postal_km.clone(), area_km.clone()].concat());
    println!(
        "{with_code} creches with a postal code; in their municipality: {right} ({:.1} %)",
        share * 100.0
    );
    println!("by precision (placed, in the right municipality): {by_precision:?}");
    println!(
        "postal code level: {} at the code's locality, median {med:.2} km from OSM; {} at the \
         centre of the CP4 area, median {area_med:.2} km; together {all_med:.2} km",
        postal_km.len(),
        area_km.len()
    );
    assert_eq!(with_code, 172);
    assert!(share >= 0.98, "{share}");
    // The code's locality is the town itself: within a town's size (measured 0.73 km).
    assert!(med < 1.5, "{med}");
    // A CP4 area is a municipality's worth of villages around its main town (measured 7.8 km).
    assert!(area_med < 12.0, "{area_med}");
    assert!(postal_km.len() >= 70 && postal_km.len() + area_km.len() >= 150);
}
