//! The OGC API's domain on the test region (14 municipalities, 378 invented services).
use super::*;
use std::collections::BTreeMap;

fn catalog() -> Catalog {
    let manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/demo-alentejo-central/region.toml");
    let region = crate::region::Region::load(&manifest).unwrap().region;
    let store = crate::store::SqliteStore::in_memory().unwrap();
    Catalog::open(region, Box::new(store)).unwrap()
}

fn query(pairs: &[(&str, &str)]) -> ItemsQuery {
    let map: BTreeMap<String, String> = pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    ItemsQuery::parse(&|n: &str| map.get(n).cloned()).unwrap()
}

fn page(cat: &Catalog, id: &str, pairs: &[(&str, &str)]) -> Value {
    let c = CollectionId::find(cat.region(), id).unwrap();
    let cache = FeatureCache::new(100);
    let items = items(cat, &cache, &c, &query(pairs), "http://h").unwrap();
    let v: Value = serde_json::from_str(&items.body).unwrap();
    assert_eq!(v["numberReturned"], items.returned);
    assert_eq!(v["numberMatched"], items.matched);
    v
}

fn next(v: &Value) -> Option<String> {
    v["links"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["rel"] == "next")
        .map(|l| l["href"].as_str().unwrap().to_string())
}

#[test]
fn one_region_serves_two_collections() {
    let cat = catalog();
    let ids: Vec<String> = CollectionId::all(cat.region())
        .iter()
        .map(|c| c.id())
        .collect();
    assert_eq!(ids, ["services", "municipalities"]);
    assert!(matches!(
        CollectionId::find(cat.region(), "roads"),
        Err(Error::NotFound { .. })
    ));
    let all = collections(&cat, "http://h").unwrap();
    let services = &all["collections"][0];
    assert_eq!(services["storageCrs"], crs::CRS84);
    let interval = services["extent"]["temporal"]["interval"][0]
        .as_array()
        .unwrap();
    let first = interval[0].as_str().unwrap();
    assert!(first.ends_with("T00:00:00Z") && first <= interval[1].as_str().unwrap());
    let bbox = services["extent"]["spatial"]["bbox"][0].as_array().unwrap();
    assert!(
        bbox[0].as_f64().unwrap() > -9.0 && bbox[2].as_f64().unwrap() < -7.0,
        "{bbox:?}"
    );
}

#[test]
fn pages_walk_every_service_once() {
    let cat = catalog();
    let first = page(&cat, "services", &[("limit", "100")]);
    assert_eq!(first["numberMatched"], 378);
    assert_eq!(first["numberReturned"], 100);
    let link = next(&first).unwrap();
    assert!(
        link.starts_with("http://h/ogc/collections/services/items?"),
        "{link}"
    );
    assert!(
        link.contains("offset=100") && link.contains("limit=100"),
        "{link}"
    );
    let mut seen = std::collections::HashSet::new();
    for offset in (0..378).step_by(100) {
        let v = page(
            &cat,
            "services",
            &[("limit", "100"), ("offset", &offset.to_string())],
        );
        for f in v["features"].as_array().unwrap() {
            assert!(seen.insert(f["id"].as_str().unwrap().to_string()));
        }
        assert_eq!(next(&v).is_some(), offset + 100 < 378);
    }
    assert_eq!(seen.len(), 378);
}

#[test]
fn property_filters_and_the_cql2_filter_agree_with_the_listing() {
    let cat = catalog();
    let listed = cat
        .list(
            &Filter {
                type_code: Some("ERPI".into()),
                municipality: Some("0705".into()),
                ..Filter::default()
            },
            500,
            0,
        )
        .unwrap()
        .total;
    assert!(listed > 0);
    let by_params = page(
        &cat,
        "services",
        &[("type", "ERPI"), ("municipality", "0705")],
    );
    let by_filter = page(
        &cat,
        "services",
        &[
            ("filter", "type = 'ERPI' AND municipality = '0705'"),
            ("filter-lang", "cql2-text"),
        ],
    );
    assert_eq!(by_params["numberMatched"], listed);
    assert_eq!(by_filter["numberMatched"], listed);
    let public = page(
        &cat,
        "services",
        &[("provider_nature", "public"), ("limit", "1000")],
    );
    for f in public["features"].as_array().unwrap() {
        assert_eq!(f["properties"]["provider"]["legal_nature"], "public");
    }
}

#[test]
fn datetime_keeps_the_services_updated_in_the_interval() {
    let cat = catalog();
    let all = page(&cat, "services", &[("limit", "1000")]);
    let dates: Vec<&str> = all["features"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["properties"]["updated"].as_str())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    let mid = sorted[sorted.len() / 2];
    let expected = dates.iter().filter(|d| **d >= mid).count();
    let v = page(&cat, "services", &[("datetime", &format!("{mid}/.."))]);
    assert_eq!(v["numberMatched"], expected);
    // The test region's services were all updated on 2026-01-15.
    let day = page(&cat, "services", &[("datetime", "2026-01-15T09:30:00Z")]);
    assert_eq!(day["numberMatched"], 378);
    let before = page(&cat, "services", &[("datetime", "../2026-01-14")]);
    assert_eq!(before["numberMatched"], 0);
}

#[test]
fn a_tm06_answer_holds_the_reprojected_coordinates() {
    let cat = catalog();
    let wgs = page(&cat, "services", &[("limit", "3")]);
    let tm = page(&cat, "services", &[("limit", "3"), ("crs", crs::EPSG_3763)]);
    let to = crate::reproject::from_wgs84(crate::reproject::Crs::Epsg(3763)).unwrap();
    for (a, b) in wgs["features"]
        .as_array()
        .unwrap()
        .iter()
        .zip(tm["features"].as_array().unwrap())
    {
        assert_eq!(a["id"], b["id"]);
        let c = &a["geometry"]["coordinates"];
        let (x, y) = to
            .project(c[0].as_f64().unwrap(), c[1].as_f64().unwrap())
            .unwrap();
        let d = &b["geometry"]["coordinates"];
        assert!((d[0].as_f64().unwrap() - x).abs() < 0.01, "{d} {x}");
        assert!((d[1].as_f64().unwrap() - y).abs() < 0.01, "{d} {y}");
    }
}

#[test]
fn a_box_in_tm06_finds_exactly_the_services_inside_it() {
    let cat = catalog();
    // A 20 km square around Évora, in TM06 metres.
    let tm = page(
        &cat,
        "services",
        &[
            ("bbox", "10000,-130000,30000,-110000"),
            ("bbox-crs", crs::EPSG_3763),
            ("limit", "1000"),
        ],
    );
    let n = tm["numberMatched"].as_u64().unwrap();
    assert!(n > 10, "{n}");
    let to = crate::reproject::from_wgs84(crate::reproject::Crs::Epsg(3763)).unwrap();
    for f in tm["features"].as_array().unwrap() {
        let c = &f["geometry"]["coordinates"];
        let (x, y) = to
            .project(c[0].as_f64().unwrap(), c[1].as_f64().unwrap())
            .unwrap();
        assert!((10000.0..=30000.0).contains(&x) && (-130000.0..=-110000.0).contains(&y));
    }
    let inside = cat.with_briefs(|it| {
        it.filter(|b| {
            let (x, y) = to.project(b.lon(), b.lat()).unwrap();
            (10000.0..=30000.0).contains(&x) && (-130000.0..=-110000.0).contains(&y)
        })
        .count()
    });
    assert_eq!(n as usize, inside, "every service inside, none outside");
    let munis = page(&cat, "municipalities", &[("bbox", "-7.95,38.55,-7.9,38.6")]);
    assert_eq!(munis["numberMatched"], 1, "only Évora's municipality");
    assert_eq!(munis["features"][0]["id"], "0705");
}

#[test]
fn items_are_found_by_id_and_others_are_not() {
    let cat = catalog();
    let c = CollectionId::find(cat.region(), "municipalities").unwrap();
    let m = item(&cat, &c, "0705", OgcCrs::Crs84, "http://h").unwrap();
    assert_eq!(m["properties"]["name"], "Évora");
    assert!(matches!(
        item(&cat, &c, "9999", OgcCrs::Crs84, "http://h"),
        Err(Error::NotFound { .. })
    ));
    let s = CollectionId::find(cat.region(), "services").unwrap();
    assert!(matches!(
        item(&cat, &s, "nope", OgcCrs::Crs84, "http://h"),
        Err(Error::NotFound { .. })
    ));
    let q = queryables(&cat, &s, "http://h");
    assert_eq!(q["properties"]["demo"]["type"], "boolean");
    assert!(q["properties"]["type"]["enum"].as_array().unwrap().len() > 5);
}

#[test]
fn a_property_of_the_other_layer_is_refused() {
    let cat = catalog();
    let c = CollectionId::find(cat.region(), "municipalities").unwrap();
    let e = items(
        &cat,
        &FeatureCache::new(1),
        &c,
        &query(&[("type", "ERPI")]),
        "h",
    )
    .unwrap_err();
    assert!(
        matches!(e, Error::InvalidParam { ref param, .. } if param == "type"),
        "{e}"
    );
}
