//! Vector tiles, decoded: which features each tile holds (against the index), geometry within
//! extent + buffer, valid polygon rings, clusters, filters, caching headers and TileJSON.
use crate::common::mvt::{area2, decode, Decoded};
use crate::common::{app, catalog, get, get_with, root, shared};
use axum::http::StatusCode;
use bussola::catalog::Catalog;
use bussola::tiles::mercator::{to_world, TileId};
use geo::Validation;
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

const LO: i32 = -64;
const HI: i32 = 4096 + 64;

/// Tiles at zoom z covering a lon/lat box.
fn tiles_over(bbox: [f64; 4], z: u8) -> Vec<(u32, u32)> {
    let n = f64::from(1u32 << z);
    let (x0, y1) = to_world(bbox[0], bbox[1]);
    let (x1, y0) = to_world(bbox[2], bbox[3]);
    let mut out = Vec::new();
    for x in (x0 * n) as u32..=(x1 * n) as u32 {
        for y in (y0 * n) as u32..=(y1 * n) as u32 {
            out.push((x, y));
        }
    }
    out
}

async fn fetch(
    app: &axum::Router,
    z: u8,
    x: u32,
    y: u32,
    query: &str,
) -> Option<HashMap<String, Vec<Decoded>>> {
    let (status, h, body) = get_with(app, &format!("/tiles/{z}/{x}/{y}.mvt{query}"), &[]).await;
    match status {
        StatusCode::NO_CONTENT => None,
        StatusCode::OK => {
            assert_eq!(h["content-type"], "application/vnd.mapbox-vector-tile");
            Some(decode(&body))
        }
        other => panic!("{z}/{x}/{y}: {other}"),
    }
}

fn check_geometry(layers: &HashMap<String, Vec<Decoded>>, tile: &str) {
    for (name, feats) in layers {
        for f in feats {
            for part in &f.parts {
                for &(x, y) in part {
                    assert!(
                        (LO..=HI).contains(&x) && (LO..=HI).contains(&y),
                        "{tile} {name}: ({x},{y}) outside extent+buffer"
                    );
                }
            }
            if f.kind == 3 {
                // One polygon per exterior ring; exterior positive, holes negative; each valid.
                let mut polys: Vec<Vec<Vec<(i32, i32)>>> = Vec::new();
                for ring in &f.parts {
                    assert!(ring.len() >= 3, "{tile}: ring of {} points", ring.len());
                    let a = area2(ring);
                    assert_ne!(a, 0, "{tile}: ring with no area");
                    if a > 0 {
                        polys.push(vec![ring.clone()]);
                    } else {
                        polys
                            .last_mut()
                            .expect("a hole follows its exterior")
                            .push(ring.clone());
                    }
                }
                for rings in polys {
                    let ls = |r: &Vec<(i32, i32)>| {
                        let mut v: Vec<(f64, f64)> = r
                            .iter()
                            .map(|&(x, y)| (f64::from(x), f64::from(y)))
                            .collect();
                        v.push(v[0]);
                        geo_types::LineString::from(v)
                    };
                    let p =
                        geo_types::Polygon::new(ls(&rings[0]), rings[1..].iter().map(ls).collect());
                    assert!(
                        p.is_valid(),
                        "{tile}: invalid polygon {:?}",
                        p.validation_errors()
                    );
                }
            }
        }
    }
}

#[tokio::test]
async fn high_zoom_tiles_hold_exactly_the_services_in_their_envelope() {
    let (app, cat) = app();
    let all: Vec<bussola::model::Service> = cat.with_services(|it| it.cloned().collect()).unwrap();
    let mut seen = 0;
    for (x, y) in tiles_over([-7.95, 38.54, -7.86, 38.60], 14) {
        let tile = TileId::new(14, x, y).unwrap();
        let want: BTreeSet<String> = all
            .iter()
            .filter(|s| {
                let (wx, wy) = to_world(s.lon, s.lat);
                let (tx, ty) = tile.to_tile(wx, wy, 4096.0);
                (f64::from(LO)..=f64::from(HI)).contains(&tx)
                    && (f64::from(LO)..=f64::from(HI)).contains(&ty)
            })
            .map(|s| s.id.clone())
            .collect();
        let layers = fetch(&app, 14, x, y, "").await;
        let got: BTreeSet<String> = layers
            .as_ref()
            .and_then(|l| l.get("services"))
            .map(|f| {
                f.iter()
                    .map(|f| f.props["id"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(got, want, "tile 14/{x}/{y}");
        if let Some(l) = &layers {
            check_geometry(l, &format!("14/{x}/{y}"));
            for f in l.get("services").into_iter().flatten() {
                assert_eq!(f.props["cluster"], false);
                assert_eq!(f.props["demo"], true);
                let s = cat.get(f.props["id"].as_str().unwrap()).unwrap();
                assert_eq!(f.props["type"], s.type_code.as_str());
                assert_eq!(f.props["name"], s.name.as_str());
                // The demo's invented services stand at their locality, and the style says so.
                assert_eq!(f.props["precision"], "locality");
            }
        }
        seen += got.len();
    }
    assert!(seen > 20, "Évora city has services: {seen}");
}

/// Over every tile of a zoom, the services counted (clusters by their count) at points inside
/// the tile proper add up to all services: none lost, none counted twice.
async fn counts_add_up(
    app: &axum::Router,
    cat: &Arc<Catalog>,
    z: u8,
    query: &str,
    keep: impl Fn(&bussola::model::Service) -> bool,
) {
    let bbox = cat.region().bbox().unwrap();
    let mut total = 0u64;
    let mut clusters = 0;
    for (x, y) in tiles_over(bbox, z) {
        let Some(layers) = fetch(app, z, x, y, query).await else {
            continue;
        };
        check_geometry(&layers, &format!("{z}/{x}/{y}"));
        for f in layers.get("services").into_iter().flatten() {
            let (px, py) = f.parts[0][0];
            if !((0..4096).contains(&px) && (0..4096).contains(&py)) {
                continue;
            }
            if f.props["cluster"] == true {
                clusters += 1;
                let n = f.props["count"].as_u64().unwrap();
                let by_group: u64 = ["children", "disability", "elderly", "family"]
                    .iter()
                    .map(|g| f.props[&format!("count_{g}")].as_u64().unwrap())
                    .sum();
                assert_eq!(by_group, n, "group counts add up to the cluster's count");
                assert!(n >= 2);
                total += n;
            } else {
                total += 1;
            }
        }
    }
    let want = cat
        .with_services(|it| it.filter(|s| keep(s)).count())
        .unwrap() as u64;
    assert_eq!(total, want, "zoom {z} {query}");
    if z <= 10 {
        assert!(clusters > 0, "services pile up and cluster at zoom {z}");
    }
}

#[tokio::test]
async fn clusters_count_every_service_once_at_every_low_zoom() {
    let (app, cat) = app();
    for z in [6, 8, 10, 11, 12] {
        counts_add_up(&app, &cat, z, "", |_| true).await;
    }
    let tax = cat.region().taxonomy.clone();
    counts_add_up(&app, &cat, 9, "?group=children", |s| {
        tax.get(&s.type_code).is_some_and(|r| r.group == "children")
    })
    .await;
    counts_add_up(&app, &cat, 12, "?type=ERPI", |s| s.type_code == "ERPI").await;
}

#[tokio::test]
async fn municipality_polygons_carry_coverage_and_are_valid() {
    let (app, _) = app();
    let (_, report) = get(&app, "/api/coverage?indicator=elderly").await;
    let rate: HashMap<String, f64> = report["municipalities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["code"].as_str().unwrap().to_string(),
                r["rate"].as_f64().unwrap(),
            )
        })
        .collect();
    let mut codes = BTreeSet::new();
    for z in [5u8, 7, 9, 11] {
        for (x, y) in tiles_over([-8.7, 38.1, -7.0, 39.1], z) {
            let Some(layers) = fetch(&app, z, x, y, "").await else {
                continue;
            };
            check_geometry(&layers, &format!("{z}/{x}/{y}"));
            for f in layers.get("municipalities").into_iter().flatten() {
                let code = f.props["code"].as_str().unwrap().to_string();
                let r = f.props["elderly_rate"].as_f64().unwrap();
                assert!(
                    (r - rate[&code]).abs() < 0.006,
                    "{code}: {r} vs {}",
                    rate[&code]
                );
                assert_eq!(f.props["approximate"], true);
                assert!(f.props["elderly_gap_class"].is_string());
                codes.insert(code);
            }
        }
    }
    assert_eq!(codes.len(), 14);
}

#[tokio::test]
async fn real_caop_polygons_stay_valid_after_simplification_and_quantisation() {
    if shared().is_none() {
        return;
    }
    let cat = catalog(&root().join("geodata/examples/alentejo-osm-creches.toml"));
    let app = bussola::api::router(cat.clone(), bussola::api::Assets::under(&root()));
    let mut polygons = 0;
    for z in [4u8, 6, 8, 9, 10] {
        for (x, y) in tiles_over(cat.region().bbox().unwrap(), z) {
            if let Some(layers) = fetch(&app, z, x, y, "").await {
                check_geometry(&layers, &format!("{z}/{x}/{y}"));
                polygons += layers.get("municipalities").map_or(0, Vec::len);
            }
        }
    }
    assert!(polygons > 58 * 3, "{polygons}");
}

#[tokio::test]
async fn bad_tile_coordinates_are_400_and_empty_tiles_204() {
    let (app, _) = app();
    for (uri, param) in [
        ("/tiles/23/0/0.mvt", "z"),
        ("/tiles/3/8/0.mvt", "x"),
        ("/tiles/3/0/8.mvt", "y"),
        ("/tiles/a/0/0.mvt", "z"),
        ("/tiles/3/0/0.png", "y"),
        ("/tiles/3/0/-1.mvt", "y"),
        ("/tiles/10/489/391.mvt?group=pets", "group"),
    ] {
        let (status, body) = get(&app, uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(body["parameter"], param, "{uri}: {body}");
    }
    let (status, _, body) = get_with(&app, "/tiles/10/0/0.mvt", &[]).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(body.is_empty());
}

#[tokio::test]
async fn caching_headers_etag_304_gzip_and_change_with_data() {
    let (app, cat) = app();
    let (x, y) = {
        let (wx, wy) = to_world(-7.9, 38.57);
        ((wx * 4096.0) as u32, (wy * 4096.0) as u32)
    };
    let uri = format!("/tiles/12/{x}/{y}.mvt");
    let (status, h, plain) = get_with(&app, &uri, &[]).await;
    assert_eq!(status, StatusCode::OK);
    let etag = h["etag"].to_str().unwrap().to_string();
    assert!(
        etag.starts_with('"') && !etag.starts_with("W/"),
        "a strong ETag: {etag}"
    );
    assert!(h["cache-control"].to_str().unwrap().contains("max-age"));

    let (status, h304, body) = get_with(&app, &uri, &[("if-none-match", &etag)]).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());
    assert_eq!(h304["etag"], etag.as_str());

    let (status, hz, gz) = get_with(&app, &uri, &[("accept-encoding", "gzip, deflate")]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(hz["content-encoding"], "gzip");
    assert_ne!(hz["etag"], etag.as_str(), "each encoding has its own ETag");
    let mut unzipped = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz[..]), &mut unzipped).unwrap();
    assert_eq!(unzipped, plain);

    // A filtered tile is another representation: its ETag differs, and the unfiltered ETag
    // does not make it "not modified" (MapLibre revalidates with the old one on a filter change).
    let (status, hf, _) = get_with(
        &app,
        &format!("{uri}?type=ERPI"),
        &[("if-none-match", &etag)],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(hf["etag"], etag.as_str());

    // A new service in the tile changes its ETag and its content.
    let mut s = cat.get("demo-0705-erpi-1").unwrap();
    s.id = "new-erpi".into();
    s.lon = -7.9;
    s.lat = 38.57;
    cat.upsert(s).unwrap();
    // A tile shows a change at most MAX_STALE after it was last built.
    tokio::time::sleep(bussola::tiles::cache::MAX_STALE).await;
    let (status, h2, _) = get_with(&app, &uri, &[("if-none-match", &etag)]).await;
    assert_eq!(status, StatusCode::OK, "the old ETag no longer matches");
    assert_ne!(h2["etag"], etag.as_str());
    let (_, _, z14) = get_with(
        &app,
        &{
            let (wx, wy) = to_world(-7.9, 38.57);
            format!(
                "/tiles/14/{}/{}.mvt",
                (wx * 16384.0) as u32,
                (wy * 16384.0) as u32
            )
        },
        &[],
    )
    .await;
    let ids: Vec<String> = decode(&z14)["services"]
        .iter()
        .map(|f| f.props["id"].as_str().unwrap().to_string())
        .collect();
    assert!(ids.contains(&"new-erpi".to_string()));
}

#[tokio::test]
async fn tilejson_describes_the_tiles() {
    let (app, _) = app();
    let (status, h, body) = get_with(&app, "/tiles.json", &[("host", "maps.example:9000")]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(h["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let tj: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(tj["tilejson"], "3.0.0");
    assert_eq!(
        tj["tiles"][0],
        "http://maps.example:9000/tiles/{z}/{x}/{y}.mvt"
    );
    let ids: Vec<&str> = tj["vector_layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["services", "municipalities", "municipality_labels", "gaps"]
    );
    // Field types are the bare words GDAL's MVT driver reads (it types every field as text
    // otherwise); what each field means is beside them.
    for layer in tj["vector_layers"].as_array().unwrap() {
        for (name, kind) in layer["fields"].as_object().unwrap() {
            let kind = kind.as_str().unwrap();
            assert!(
                ["Number", "String", "Boolean"].contains(&kind),
                "{name}: {kind}"
            );
        }
    }
    let services = &tj["vector_layers"][0];
    assert_eq!(services["fields"]["count_elderly"], "Number");
    assert_eq!(services["fields"]["demo"], "Boolean");
    assert_eq!(services["field_descriptions"]["capacity"], "places");
    let b = tj["bounds"].as_array().unwrap();
    assert!(b[0].as_f64().unwrap() < -8.0 && b[2].as_f64().unwrap() > -7.5);
    assert_eq!(tj["center"][0], -7.9);
    assert!(tj["attribution"].as_str().unwrap().contains("INE"));
    assert_eq!(
        (tj["minzoom"].as_u64(), tj["maxzoom"].as_u64()),
        (Some(0), Some(14))
    );
}

#[tokio::test]
async fn gaps_travel_in_the_tiles_as_served_by_the_api() {
    let (app, cat) = app();
    let (_, gaps) = get(&app, "/api/gaps?type=ERPI").await;
    let want: HashMap<String, (f64, f64)> = gaps["municipalities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["code"].as_str().unwrap().to_string(),
                (
                    r["mean_km"].as_f64().unwrap(),
                    r["share_beyond"].as_f64().unwrap(),
                ),
            )
        })
        .collect();
    let mut seen = BTreeSet::new();
    let mut population = 0.0;
    for (x, y) in tiles_over(cat.region().bbox().unwrap(), 7) {
        let Some(layers) = fetch(&app, 7, x, y, "").await else {
            continue;
        };
        for f in layers.get("municipalities").into_iter().flatten() {
            let code = f.props["code"].as_str().unwrap().to_string();
            let (mean, share) = want[&code];
            assert!(
                (f.props["erpi_mean_km"].as_f64().unwrap() - mean).abs() < 0.006,
                "{code}"
            );
            assert!(
                (f.props["erpi_share_beyond"].as_f64().unwrap() - share).abs() < 0.0001,
                "{code}"
            );
            assert!(f.props["creche_access"].as_f64().is_some());
            seen.insert(code);
        }
        for f in layers.get("gaps").into_iter().flatten() {
            let (px, py) = f.parts[0][0];
            if (0..4096).contains(&px) && (0..4096).contains(&py) {
                population += f.props["age_65_plus"].as_f64().unwrap();
            }
            assert!(f.props["erpi_km"].as_f64().unwrap() >= 0.0);
        }
    }
    assert_eq!(seen.len(), 14);
    assert!(
        (population - 41403.0).abs() < 1.0,
        "the gaps points carry every resident aged 65+: {population}"
    );
}

#[tokio::test]
async fn a_write_changes_the_etag_of_the_tiles_it_touches_only() {
    let (app, cat) = app();
    let tile_at = |lon: f64, lat: f64| {
        let (wx, wy) = to_world(lon, lat);
        format!(
            "/tiles/12/{}/{}.mvt",
            (wx * 4096.0) as u32,
            (wy * 4096.0) as u32
        )
    };
    // Évora, where the new service goes, and Vendas Novas, some 55 km west.
    let (near, far) = (tile_at(-7.9, 38.57), tile_at(-8.456, 38.677));
    let etag = |h: &axum::http::HeaderMap| h["etag"].to_str().unwrap().to_string();
    let (_, hn, _) = get_with(&app, &near, &[]).await;
    let (_, hf, far_before) = get_with(&app, &far, &[]).await;
    let (near_tag, far_tag) = (etag(&hn), etag(&hf));

    let mut s = cat.get("demo-0705-erpi-1").unwrap();
    s.id = "new-erpi".into();
    (s.lon, s.lat) = (-7.9, 38.57);
    cat.upsert(s).unwrap();
    tokio::time::sleep(bussola::tiles::cache::MAX_STALE).await;

    let (status, _, _) = get_with(&app, &far, &[("if-none-match", &far_tag)]).await;
    assert_eq!(
        status,
        StatusCode::NOT_MODIFIED,
        "an untouched tile keeps its ETag"
    );
    let (status, h, _) = get_with(&app, &near, &[("if-none-match", &near_tag)]).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the tile with the new service changed"
    );
    assert_ne!(etag(&h), near_tag);
    // The same bytes as before, served again from the cache.
    let (_, _, far_after) = get_with(&app, &far, &[]).await;
    assert_eq!(far_after, far_before);
}

#[tokio::test]
async fn the_indicators_in_the_tiles_follow_a_write_within_seconds() {
    let (app, cat) = app();
    let (wx, wy) = to_world(-7.9, 38.57);
    let uri = format!(
        "/tiles/12/{}/{}.mvt",
        (wx * 4096.0) as u32,
        (wy * 4096.0) as u32
    );
    let evora_rate = |bytes: &[u8]| {
        decode(bytes)["municipalities"]
            .iter()
            .find(|f| f.props["code"] == "0705")
            .and_then(|f| f.props["elderly_rate"].as_f64())
    };
    let (_, _, before) = get_with(&app, &uri, &[]).await;
    let old = evora_rate(&before).unwrap();
    // A large new home for older people in Évora raises its coverage.
    let mut s = cat.get("demo-0705-erpi-1").unwrap();
    s.id = "big-erpi".into();
    (s.capacity, s.users, s.vacancies) = (Some(900), Some(0), Some(900));
    cat.upsert(s).unwrap();
    let (_, coverage) = get(&app, "/api/coverage?indicator=elderly").await;
    let want = coverage["municipalities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["code"] == "0705")
        .and_then(|m| m["rate"].as_f64())
        .unwrap();
    assert!(want > old);
    let mut shown = old;
    for _ in 0..100 {
        let (_, _, bytes) = get_with(&app, &uri, &[]).await;
        shown = evora_rate(&bytes).unwrap();
        if (shown - want).abs() < 0.006 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // Tiles carry rates to two decimals.
    assert!(
        (shown - want).abs() < 0.006,
        "tiles show {shown}, coverage says {want}"
    );
}

#[test]
fn summed_clusters_draw_what_clustering_on_the_fly_draws() {
    use bussola::catalog::Filter;
    use bussola::tiles::{CatalogTiles, TileSource};
    let cat = catalog(&crate::common::demo_manifest());
    let summed = CatalogTiles::new(cat.clone());
    summed.prepare_clusters();
    let on_the_fly = CatalogTiles::new(cat.clone()).summed_clusters(false);
    let filters = [
        Filter::default(),
        Filter {
            group: Some("elderly".into()),
            ..Default::default()
        },
        Filter {
            type_code: Some("CRECHE".into()),
            ..Default::default()
        },
        Filter {
            subarea: Some("21".into()),
            ..Default::default()
        },
    ];
    let mut compared = 0;
    for z in [5u8, 7, 9, 10, 11, 12] {
        for (x, y) in tiles_over(cat.region().bbox().unwrap(), z) {
            let t = TileId::new(u32::from(z), x, y).unwrap();
            for f in &filters {
                let a = summed.get_tile(t, f).unwrap();
                let b = on_the_fly.get_tile(t, f).unwrap();
                let services = |bytes: &Option<Vec<u8>>| -> Vec<String> {
                    bytes.as_deref().map_or(Vec::new(), |b| {
                        decode(b)
                            .get("services")
                            .into_iter()
                            .flatten()
                            .map(|f| {
                                let props: std::collections::BTreeMap<_, _> =
                                    f.props.iter().collect();
                                format!("{:?} {props:?}", f.parts)
                            })
                            .collect()
                    })
                };
                assert_eq!(services(&a), services(&b), "{z}/{x}/{y} {f:?}");
                compared += 1;
            }
        }
    }
    assert!(compared > 100, "{compared}");
}

#[tokio::test]
async fn low_zoom_clusters_follow_writes_within_a_second() {
    let (app, cat) = app();
    let (wx, wy) = to_world(-7.9, 38.57);
    let uri = format!(
        "/tiles/8/{}/{}.mvt",
        (wx * 256.0) as u32,
        (wy * 256.0) as u32
    );
    let count = |bytes: &[u8]| -> u64 {
        decode(bytes)["services"]
            .iter()
            .map(|f| f.props["count"].as_u64().unwrap_or(1))
            .sum()
    };
    let (_, _, before) = get_with(&app, &uri, &[]).await;
    let before = count(&before);
    // A stream of writes: each adds a service in Évora, and the tile is asked for right
    // after it (its cached bytes due again), before the clusters take the write in.
    for i in 0..5 {
        tokio::time::sleep(bussola::tiles::cache::MAX_STALE * 2).await;
        let mut s = cat.get("demo-0705-erpi-1").unwrap();
        s.id = format!("stream-{i}");
        cat.upsert(s).unwrap();
        let _ = get_with(&app, &uri, &[]).await;
    }
    let mut shown = before;
    for _ in 0..30 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let (_, _, bytes) = get_with(&app, &uri, &[]).await;
        shown = count(&bytes);
        if shown == before + 5 {
            break;
        }
    }
    assert_eq!(shown, before + 5, "the tile counts every service written");
}
