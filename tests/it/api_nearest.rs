//! `/api/nearest` equals a brute-force scan, for hundreds of random points and filters.
use crate::common::{app, get, Lcg};
use axum::http::StatusCode;
use bussola::distance::geodesic_m;

#[tokio::test]
async fn nearest_equals_brute_force_for_random_points_and_filters() {
    let (app, cat) = app();
    let all: Vec<bussola::model::Service> = cat.with_services(|it| it.cloned().collect()).unwrap();
    let tax = &cat.region().taxonomy;
    let types = ["", "ERPI", "CRECHE", "CENTRO_DIA", "APOIO_VITIMAS", "CACI"];
    let groups = ["", "elderly", "children", "disability", "family"];
    let mut rng = Lcg(7);
    let mut checked = 0;
    for i in 0..300 {
        // Mostly over the region, some far away (Lisbon, Spain, the other hemisphere).
        let (lon, lat) = if i % 10 == 9 {
            (-180.0 + 360.0 * rng.next(), -80.0 + 160.0 * rng.next())
        } else {
            (-8.8 + 1.9 * rng.next(), 38.0 + 1.2 * rng.next())
        };
        let k = 1 + (rng.next() * 25.0) as usize;
        let t = types[i % types.len()];
        let g = if t.is_empty() {
            groups[(i / 6) % groups.len()]
        } else {
            ""
        };
        let max_km = if i % 4 == 0 {
            Some(5.0 + 40.0 * rng.next())
        } else {
            None
        };
        let mut uri = format!("/api/nearest?lon={lon}&lat={lat}&k={k}");
        if !t.is_empty() {
            uri.push_str(&format!("&type={t}"));
        }
        if !g.is_empty() {
            uri.push_str(&format!("&group={g}"));
        }
        if let Some(m) = max_km {
            uri.push_str(&format!("&max_km={m}"));
        }
        let (status, body) = get(&app, &uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {body}");
        let got: Vec<(String, f64)> = body["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["id"].as_str().unwrap().to_string(),
                    f["properties"]["distance_m"].as_f64().unwrap(),
                )
            })
            .collect();

        let mut want: Vec<(String, f64)> = all
            .iter()
            .filter(|s| t.is_empty() || s.type_code == t)
            .filter(|s| g.is_empty() || tax.get(&s.type_code).is_some_and(|r| r.group == g))
            .map(|s| (s.id.clone(), geodesic_m((lon, lat), (s.lon, s.lat))))
            .filter(|(_, d)| max_km.is_none_or(|m| *d <= m * 1000.0))
            .collect();
        want.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
        want.truncate(k);
        let got_ids: Vec<&str> = got.iter().map(|x| x.0.as_str()).collect();
        let want_ids: Vec<&str> = want.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(got_ids, want_ids, "{uri}");
        for (g, w) in got.iter().zip(&want) {
            assert!(
                (g.1 - w.1).abs() <= 0.05,
                "{uri}: distance {} vs {}",
                g.1,
                w.1
            );
        }
        assert!(got.windows(2).all(|w| w[0].1 <= w[1].1), "{uri}: ascending");
        checked += got.len();
    }
    assert!(checked > 1000, "the comparison covered {checked} results");
}

#[tokio::test]
async fn nearest_features_carry_what_a_citizen_needs() {
    let (app, _) = app();
    // Évora's Praça do Giraldo: the nearest care home is in Évora.
    let (status, body) = get(&app, "/api/nearest?lon=-7.9079&lat=38.5713&k=3&type=ERPI").await;
    assert_eq!(status, StatusCode::OK);
    let f = &body["features"][0];
    let p = &f["properties"];
    assert_eq!(p["type"], "ERPI");
    assert_eq!(
        p["type_name"]["pt"],
        "Estrutura Residencial para Pessoas Idosas"
    );
    assert_eq!(p["group"], "elderly");
    assert_eq!(p["municipality"]["code"], "0705");
    assert_eq!(p["municipality"]["name"], "Évora");
    assert_eq!(p["demo"], true);
    assert!(p["contact"]["phone"].is_string() && p["contact"]["email"].is_string());
    assert!(p["provider"]["name"].is_string() && p["capacity"].is_u64());
    assert!(p["distance_m"].as_f64().unwrap() < 10_000.0);
    assert_eq!(f["geometry"]["type"], "Point");
    assert_eq!(body["features"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn default_k_is_ten_and_max_km_can_leave_nothing() {
    let (app, _) = app();
    let (_, body) = get(&app, "/api/nearest?lon=-7.9&lat=38.57").await;
    assert_eq!(body["features"].as_array().unwrap().len(), 10);
    // The middle of the Atlantic: nothing within 5 km, an empty list, not an error.
    let (status, body) = get(&app, "/api/nearest?lon=-30&lat=38&max_km=5").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["features"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn a_municipality_keeps_the_list_to_its_services_nearest_first() {
    let (app, _) = app();
    // From a point outside Évora (Montemor-o-Novo): the listing is Évora's services only.
    let (st, body) = get(
        &app,
        "/api/nearest?lon=-8.2137&lat=38.6481&municipality=0705&type=ERPI&k=100",
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{body}");
    let features = body["features"].as_array().unwrap();
    let (_, listed) = get(&app, "/api/services?municipality=0705&type=ERPI&limit=500").await;
    assert_eq!(
        features.len() as u64,
        listed["numberMatched"].as_u64().unwrap(),
        "every ERPI of Évora, none of elsewhere"
    );
    assert!(features.len() >= 2, "the fixture has some");
    let d: Vec<f64> = features
        .iter()
        .map(|f| {
            assert_eq!(f["properties"]["municipality"]["code"], "0705");
            f["properties"]["distance_m"].as_f64().unwrap()
        })
        .collect();
    assert!(d.windows(2).all(|w| w[0] <= w[1]), "nearest first: {d:?}");
    assert_eq!(body["query"]["municipality"], "0705");
    // Without it, the nearest to Montemor-o-Novo are not all in Évora.
    let (_, all) = get(&app, "/api/nearest?lon=-8.2137&lat=38.6481&type=ERPI").await;
    assert!(all["features"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["properties"]["municipality"]["code"] != "0705"));
    // An unknown code is named.
    let (st, body) = get(&app, "/api/nearest?lon=-7.9&lat=38.57&municipality=9999").await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.to_string().contains("municipality"), "{body}");
}
