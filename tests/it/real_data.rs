//! The real open data in `../shared/geodata`: CAOP boundaries (GeoJSON, GeoPackage in
//! EPSG:3763, FlatGeobuf), Census 2021 population and the OpenStreetMap creches.
use crate::common::{root, shared};
use bussola::region::{Region, Severity};
use geo::{Area, Centroid};
use std::collections::HashMap;

fn example(name: &str) -> std::path::PathBuf {
    root().join("geodata/examples").join(name)
}

#[test]
fn caop_geojson_alentejo_central_has_the_14_municipalities() {
    if shared().is_none() {
        return;
    }
    let loaded = Region::load(&example("caop-alentejo-central.toml")).unwrap();
    let r = &loaded.region;
    let codes: Vec<&str> = r.municipalities.iter().map(|m| m.code.as_str()).collect();
    let want: Vec<String> = (1..=14).map(|i| format!("07{i:02}")).collect();
    assert_eq!(codes, want);
    assert!(r
        .municipalities
        .iter()
        .all(|m| !m.approximate && m.nuts3.as_deref() == Some("Alentejo Central")));
    assert_eq!(r.municipality("0705").unwrap().name, "Évora");
    // Every service of the shipped default's Alentejo Central lies in its official municipality.
    assert!(!loaded.has_errors(), "{:?}", loaded.issues);
    assert_eq!(r.services.len(), 54 + 252);
    // The seats lie in their own official municipality.
    for m in &r.municipalities {
        let (_, lon, lat) = m.seat.clone().unwrap();
        assert_eq!(
            r.municipality_at(lon, lat).map(|x| x.code.as_str()),
            Some(m.code.as_str()),
            "seat of {}",
            m.name
        );
    }
}

#[test]
fn caop_geopackage_in_tm06_reprojects_onto_the_geojson() {
    if shared().is_none() {
        return;
    }
    let gpkg = Region::load(&example("caop-alentejo-central-gpkg.toml"))
        .unwrap()
        .region;
    let json = Region::load(&example("caop-alentejo-central.toml"))
        .unwrap()
        .region;
    assert_eq!(gpkg.municipalities.len(), 14);
    for (a, b) in gpkg.municipalities.iter().zip(&json.municipalities) {
        assert_eq!(a.code, b.code);
        let (ca, cb) = (
            a.geometry.centroid().unwrap(),
            b.geometry.centroid().unwrap(),
        );
        let d = bussola::distance::geodesic_m((ca.x(), ca.y()), (cb.x(), cb.y()));
        assert!(d < 50.0, "{}: centroids {d} m apart", a.name);
        let (aa, ab) = (a.geometry.unsigned_area(), b.geometry.unsigned_area());
        assert!(
            (aa / ab - 1.0).abs() < 0.002,
            "{}: areas {aa} vs {ab}",
            a.name
        );
    }
}

#[test]
fn all_58_municipalities_and_osm_creches_agree_with_point_in_polygon() {
    let Some(shared) = shared() else { return };
    let loaded = Region::load(&example("alentejo-osm-creches.toml")).unwrap();
    let r = &loaded.region;
    assert_eq!(r.municipalities.len(), 58);
    let total: u64 = r.municipalities.iter().map(|m| m.population.total).sum();
    let old: u64 = r
        .municipalities
        .iter()
        .map(|m| m.population.age_65_plus.unwrap_or(0))
        .sum();
    assert_eq!(
        (total, old),
        (704_533, 190_463),
        "the shared README's totals"
    );
    assert!(loaded
        .issues
        .iter()
        .all(|i| i.severity == Severity::Warning));
    assert_eq!(r.services.len(), 204);

    // Independently of the loader: read the raw creches and locate each one.
    let raw: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(shared.join("alentejo/osm_creches_jardins_infancia.geojson"))
            .unwrap(),
    )
    .unwrap();
    let mut agree = 0;
    for f in raw["features"].as_array().unwrap() {
        let c = &f["geometry"]["coordinates"];
        let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        let dico = f["properties"]["dico"].as_str().unwrap();
        let found = r.municipality_at(lon, lat).map(|m| m.code.as_str());
        assert_eq!(found, Some(dico), "{}", f["properties"]["nome"]);
        agree += 1;
    }
    assert_eq!(agree, 204);
    // The creches of Évora are found by the nearest search's filter too.
    let evora = r
        .services
        .iter()
        .filter(|s| s.municipality == "0705")
        .count();
    assert!(evora > 5, "{evora}");
}

#[test]
fn shipped_census_rows_equal_the_official_table() {
    let Some(shared) = shared() else { return };
    let read = |p: std::path::PathBuf| -> HashMap<String, HashMap<String, String>> {
        let mut rd = csv::Reader::from_path(p).unwrap();
        let headers = rd.headers().unwrap().clone();
        rd.records()
            .map(|r| {
                let r = r.unwrap();
                let row: HashMap<String, String> = headers
                    .iter()
                    .zip(r.iter())
                    .map(|(h, v)| (h.to_string(), v.to_string()))
                    .collect();
                (row["dico"].clone(), row)
            })
            .collect()
    };
    let ours = read(root().join("tests/data/demo-alentejo-central/municipalities.csv"));
    let official = read(shared.join("alentejo/populacao_censos2021.csv"));
    assert_eq!(ours.len(), 14);
    for (code, row) in &ours {
        let off = &official[code];
        for col in [
            "concelho",
            "nuts3",
            "total",
            "idade_0_14",
            "idade_15_24",
            "idade_25_64",
            "idade_65_mais",
            "nados_vivos_2024",
        ] {
            assert_eq!(row[col], off[col], "{code} {col}");
        }
    }
}
