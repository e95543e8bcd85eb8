//! The base map (issue #19): a PMTiles archive built from `../shared/geodata` (the tests' own,
//! `common::basemap`), served by Bússola — its tiles decoded from the server, its TileJSON, the
//! archive by byte ranges, the CLI's `--basemap` and a manifest's `[basemap]`, a bad archive
//! refused at start with its name and what is wrong, and GDAL reading the served tiles.
use crate::common::mvt::{decode, Decoded};
use crate::common::{
    app, app_with_basemap, demo_manifest, get, get_with, test_basemap, Server, BASEMAP_MAX_ZOOM,
};
use axum::http::StatusCode;
use bussola::tiles::mercator::{to_world, TileId};
use std::collections::HashMap;
use std::process::Command;

/// The tile of zoom z holding a lon/lat.
fn tile_at(lon: f64, lat: f64, z: u8) -> (u32, u32) {
    let (x, y) = to_world(lon, lat);
    let n = f64::from(1u32 << z);
    ((x * n) as u32, (y * n) as u32)
}

fn names(layer: &[Decoded]) -> Vec<String> {
    layer
        .iter()
        .filter_map(|f| {
            f.props
                .get("name")
                .and_then(|v| v.as_str())
                .map(String::from)
        })
        .collect()
}

#[tokio::test]
async fn the_archive_s_tiles_are_served_decoded_as_they_are_in_it() {
    let Some((app, _)) = app_with_basemap() else {
        return;
    };
    let built = test_basemap().unwrap();
    let (st, tj) = get(&app, "/tiles/base.json").await;
    assert_eq!(st, StatusCode::OK, "{tj}");
    assert_eq!(tj["tilejson"], "3.0.0");
    assert_eq!(tj["maxzoom"], BASEMAP_MAX_ZOOM);
    assert_eq!(
        tj["tiles"][0], "http://127.0.0.1:8080/tiles/base/{z}/{x}/{y}.mvt",
        "{tj}"
    );
    assert!(tj["attribution"].as_str().unwrap().contains("GeoNames"));
    let layers: Vec<&str> = tj["vector_layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(layers, ["earth", "boundaries", "places"]);

    // Évora at zoom 10: the land it stands on, the limits around it and its name.
    let (x, y) = tile_at(-7.909, 38.571, 10);
    let uri = format!("/tiles/base/10/{x}/{y}.mvt");
    let (st, h, body) = get_with(&app, &uri, &[("accept-encoding", "gzip")]).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(h["content-type"], "application/vnd.mapbox-vector-tile");
    assert_eq!(h["content-encoding"], "gzip");
    assert_eq!(h["cache-control"], "public, max-age=3600");
    let mut raw = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&body[..]), &mut raw).unwrap();
    let tile = decode(&raw);
    assert!(tile["earth"].iter().all(|f| f.kind == 3), "polygons");
    assert!(tile["boundaries"].iter().all(|f| f.kind == 2), "lines");
    assert!(names(&tile["boundaries"]).contains(&"Évora".to_string()));
    assert!(
        names(&tile["places"]).contains(&"Evora".to_string()),
        "{:?}",
        names(&tile["places"])
    );
    // The same bytes as the archive holds, read by the library on its own.
    let archive = bussola::tiles::archive::Archive::open(&built.path, None, None).unwrap();
    let own = bussola::tiles::TileSource::get_tile(
        &archive,
        TileId::new(10, x, y).unwrap(),
        &Default::default(),
    )
    .unwrap()
    .unwrap();
    assert_eq!(raw, own);
    // 304 on its ETag; 204 where the archive has nothing (the open Atlantic) or above its zooms;
    // no filter parameters.
    let etag = h["etag"].to_str().unwrap().to_string();
    let (st, _, _) = get_with(
        &app,
        &uri,
        &[("accept-encoding", "gzip"), ("if-none-match", &etag)],
    )
    .await;
    assert_eq!(st, StatusCode::NOT_MODIFIED);
    let (ax, ay) = tile_at(-20.0, 45.0, 8);
    let (st, _, _) = get_with(&app, &format!("/tiles/base/8/{ax}/{ay}.mvt"), &[]).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (x12, y12) = tile_at(-7.909, 38.571, BASEMAP_MAX_ZOOM + 2);
    let z12 = BASEMAP_MAX_ZOOM + 2;
    let (st, _, _) = get_with(&app, &format!("/tiles/base/{z12}/{x12}/{y12}.mvt"), &[]).await;
    assert_eq!(st, StatusCode::NO_CONTENT);
    let (st, body) = get(&app, &format!("/tiles/base/10/{x}/{y}.mvt?type=ERPI")).await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{body}");

    // From zoom 4 (where the region is some pixels wide) the region's middle has land under it.
    for z in 4..=BASEMAP_MAX_ZOOM {
        let (x, y) = tile_at(-7.9, 38.5, z);
        let (st, h, body) = get_with(&app, &format!("/tiles/base/{z}/{x}/{y}.mvt"), &[]).await;
        assert_eq!(st, StatusCode::OK, "zoom {z}");
        assert!(h.get("content-encoding").is_none());
        assert!(!decode(&body)["earth"].is_empty(), "zoom {z}");
    }
}

#[tokio::test]
async fn without_an_archive_the_base_routes_say_none_is_served() {
    let (app, _) = app();
    for uri in [
        "/tiles/base.json",
        "/tiles/base/8/122/98.mvt",
        "/basemap.pmtiles",
    ] {
        let (st, body) = get(&app, uri).await;
        assert_eq!(st, StatusCode::NOT_FOUND, "{uri}");
        assert!(
            body["error"].as_str().unwrap().contains("[basemap]"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn the_archive_is_served_whole_and_by_byte_ranges() {
    let Some((app, _)) = app_with_basemap() else {
        return;
    };
    let built = test_basemap().unwrap();
    let file = std::fs::read(&built.path).unwrap();
    let (st, h, body) = get_with(&app, "/basemap.pmtiles", &[("accept-encoding", "gzip")]).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(h["accept-ranges"], "bytes");
    assert!(
        h.get("content-encoding").is_none(),
        "never gzipped: ranges count its own bytes"
    );
    assert_eq!(body, file);
    // PMTiles clients read the header first: the magic and the version.
    let (st, h, body) = get_with(&app, "/basemap.pmtiles", &[("range", "bytes=0-126")]).await;
    assert_eq!(st, StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        h["content-range"],
        format!("bytes 0-126/{}", file.len()).as_str()
    );
    assert_eq!(&body[..7], b"PMTiles");
    assert_eq!(body[7], 3);
    assert_eq!(body, file[..127]);
    let tail = format!("bytes={}-", file.len() - 10);
    let (st, _, body) = get_with(&app, "/basemap.pmtiles", &[("range", &tail)]).await;
    assert_eq!(st, StatusCode::PARTIAL_CONTENT);
    assert_eq!(body, file[file.len() - 10..]);
    let past = format!("bytes={}-", file.len() + 10);
    let (st, _, _) = get_with(&app, "/basemap.pmtiles", &[("range", &past)]).await;
    assert_eq!(st, StatusCode::RANGE_NOT_SATISFIABLE);
}

#[test]
fn a_manifest_names_the_archive_and_a_listing_s_wins() {
    let Some(built) = test_basemap() else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("bussola-basemap-manifest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(&built.path, dir.join("base.pmtiles")).unwrap();
    let listing = dir.join("listing.toml");
    std::fs::write(
        &listing,
        format!(
            "id = \"listed\"\nname = \"Listed\"\nregions = [{:?}]\n\n[basemap]\npmtiles = \"base.pmtiles\"\nattribution = \"© the listing\"\n",
            demo_manifest().to_string_lossy()
        ),
    )
    .unwrap();
    let loaded = bussola::load::load_all(&[listing]).unwrap();
    let spec = loaded.region.basemap.clone().unwrap();
    assert_eq!(
        spec.pmtiles.as_deref(),
        Some(dir.join("base.pmtiles").as_path())
    );
    let basemap = bussola::tiles::basemap::Basemap::open(Some(&spec)).unwrap();
    assert_eq!(basemap.kind(), "pmtiles");
    assert_eq!(basemap.attribution().as_deref(), Some("© the listing"));

    // Two sources at once are refused, naming the key.
    let two = dir.join("two.toml");
    std::fs::write(
        &two,
        format!(
            "id = \"two\"\nname = \"Two\"\nregions = [{:?}]\n\n[basemap]\npmtiles = \"base.pmtiles\"\nstyle_url = \"https://example.org/style.json\"\n",
            demo_manifest().to_string_lossy()
        ),
    )
    .unwrap();
    let e = bussola::load::load_all(&[two]).unwrap_err().to_string();
    assert!(e.contains("two.toml") && e.contains("not several"), "{e}");
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn serve_refuses_a_bad_archive_naming_the_file_and_what_is_wrong() {
    let dir = std::env::temp_dir().join(format!("bussola-basemap-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("portugal.pmtiles");
    // What an interrupted download leaves: the start of an HTML error page.
    std::fs::write(&bad, "<html><body>502 Bad Gateway</body></html>").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_bussola"))
        .args(["serve", "--addr", "127.0.0.1:0", "--data-dir"])
        .arg(dir.join("data"))
        .arg("--region")
        .arg(demo_manifest())
        .arg("--basemap")
        .arg(&bad)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("portugal.pmtiles"), "{stderr}");
    assert!(stderr.contains("not a PMTiles archive"), "{stderr}");
    let missing = dir.join("nowhere.pmtiles");
    let out = Command::new(env!("CARGO_BIN_EXE_bussola"))
        .args(["serve", "--addr", "127.0.0.1:0", "--data-dir"])
        .arg(dir.join("data"))
        .arg("--region")
        .arg(demo_manifest())
        .arg("--basemap")
        .arg(&missing)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("nowhere.pmtiles"),
        "{stderr}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// The body of an HTTP/1.0 response, as bytes.
fn raw_get(addr: &str, path: &str) -> (String, Vec<u8>) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut all = Vec::new();
    s.read_to_end(&mut all).unwrap();
    let at = all.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    (
        String::from_utf8_lossy(&all[..at]).into_owned(),
        all[at + 4..].to_vec(),
    )
}

#[test]
fn served_with_basemap_gdal_reads_its_tiles_by_the_tilejson() {
    let Some(built) = test_basemap() else {
        return;
    };
    let server = Server::start("basemap-gdal", &["--basemap", built.path.to_str().unwrap()]);
    let (head, body) = raw_get(&server.addr, "/tiles/base.json");
    assert!(
        head.starts_with("HTTP/1.0 200") || head.starts_with("HTTP/1.1 200"),
        "{head}"
    );
    let tj: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(tj["vector_layers"][2]["id"], "places");
    let (x, y) = tile_at(-7.909, 38.571, 9);
    let (_, tile) = raw_get(&server.addr, &format!("/tiles/base/9/{x}/{y}.mvt"));
    let places: HashMap<String, Vec<Decoded>> = decode(&tile);
    assert!(names(&places["places"]).contains(&"Evora".to_string()));

    if Command::new("ogrinfo").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install gdal-bin (.ci/ogc-clients.sh)"
        );
        eprintln!("skipping GDAL: ogrinfo (apt gdal-bin) is not installed");
        return;
    }
    let tj_file = server.data_dir.join("base.json");
    std::fs::create_dir_all(&server.data_dir).unwrap();
    std::fs::write(&tj_file, &body).unwrap();
    let url = format!("/vsicurl/http://{}/tiles/base/9/{x}/{y}.mvt", server.addr);
    let out = Command::new("ogrinfo")
        .args(["-ro", "-al", "-oo"])
        .arg(format!("METADATA_FILE={}", tj_file.display()))
        .args([
            "-oo",
            &format!("X={x}"),
            "-oo",
            &format!("Y={y}"),
            "-oo",
            "Z=9",
        ])
        .arg(&url)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for want in [
        "Layer name: earth",
        "Layer name: boundaries",
        "Layer name: places",
        "kind_detail (Real) = 7",
        "name (String) = Évora",
        "name (String) = Evora",
        "POINT (",
        "POLYGON ((",
    ] {
        assert!(text.contains(want), "{want} in {text}");
    }
}

/// The context tile of zoom z over a lon/lat, decoded (`None` when empty).
async fn context_tile(
    app: &axum::Router,
    lon: f64,
    lat: f64,
    z: u8,
) -> Option<HashMap<String, Vec<Decoded>>> {
    let (x, y) = tile_at(lon, lat, z);
    let (st, h, body) = get_with(app, &format!("/tiles/context/{z}/{x}/{y}.mvt"), &[]).await;
    match st {
        StatusCode::NO_CONTENT => None,
        StatusCode::OK => {
            assert_eq!(h["cache-control"], "public, max-age=3600");
            Some(decode(&body))
        }
        other => panic!("context {z}/{x}/{y}: {other}"),
    }
}

fn kinds(layer: &[Decoded]) -> HashMap<String, String> {
    layer
        .iter()
        .map(|f| {
            (
                f.props["name"].as_str().unwrap().to_string(),
                f.props["kind"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_shipped_default_labels_its_seats_and_towns_without_any_download() {
    let cat = crate::common::catalog(&crate::common::shipped_manifest());
    let app = crate::common::behind_proxy(cat.clone());
    let (st, tj) = get(&app, "/tiles/context.json").await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(tj["vector_layers"][0]["id"], "places");
    assert!(
        tj["attribution"].as_str().unwrap().contains("GeoNames"),
        "{tj}"
    );
    // 58 seats, and the towns of 1,000+ inhabitants that are not seats.
    let places = &cat.region().context.places;
    assert_eq!(places.iter().filter(|p| p.seat).count(), 58);
    let towns: Vec<&str> = places
        .iter()
        .filter(|p| !p.seat)
        .map(|p| p.name.as_str())
        .collect();
    assert!(towns.len() >= 15, "{towns:?}");
    assert!(
        cat.region().context.parishes.is_empty(),
        "no parish boundaries in the shared data"
    );

    // Évora's seat, as a seat; Odemira's São Teotónio and Vila Nova de Milfontes, as towns,
    // São Teotónio spelled as INE spells the parish (GeoNames has "Sao Teotonio").
    let evora = context_tile(&app, -7.909, 38.571, 9).await.unwrap();
    let k = kinds(&evora["places"]);
    assert_eq!(k["Évora"], "seat", "{k:?}");
    assert!(!evora.contains_key("parishes"));
    let odemira = context_tile(&app, -8.70, 37.65, 9).await.unwrap();
    let k = kinds(&odemira["places"]);
    assert_eq!(
        k.get("São Teotónio").map(String::as_str),
        Some("town"),
        "{k:?}"
    );
    assert_eq!(
        k.get("Vila Nova de Milfontes").map(String::as_str),
        Some("town"),
        "{k:?}"
    );
    assert_eq!(k["Odemira"], "seat");
    assert_eq!(
        odemira["places"]
            .iter()
            .filter(|f| f.props["name"] == "Odemira")
            .count(),
        1,
        "a GeoNames place that is the seat is drawn once"
    );
    // Nothing out at sea; no filter parameters.
    assert!(context_tile(&app, -20.0, 45.0, 8).await.is_none());
    let (st, _) = get(&app, "/tiles/context/9/244/196.mvt?group=elderly").await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn parish_boundaries_are_drawn_where_the_manifest_gives_them() {
    let src = crate::common::root().join("tests/data/demo-alentejo-central");
    let dir = std::env::temp_dir().join(format!("bussola-basemap-parishes-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for f in [
        "boundaries.geojson",
        "municipalities.csv",
        "services.geojson",
    ] {
        std::fs::copy(src.join(f), dir.join(f)).unwrap();
    }
    // Two parishes side by side around Évora, a record that is not a polygon, one without a
    // name; and a town of the manifest's own places file.
    let square = |x0: f64, x1: f64| serde_json::json!({"type": "Polygon", "coordinates": [[[x0, 38.50], [x1, 38.50], [x1, 38.65], [x0, 38.65], [x0, 38.50]]]});
    let parishes = serde_json::json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"dicofre": "070501", "freguesia": "Malagueira e Horta das Figueiras"}, "geometry": square(-8.00, -7.90)},
        {"type": "Feature", "properties": {"dicofre": "070502", "freguesia": "Bacelo e Senhora da Saúde"}, "geometry": square(-7.90, -7.80)},
        {"type": "Feature", "properties": {"dicofre": "070503", "freguesia": "Ponto"}, "geometry": {"type": "Point", "coordinates": [-7.9, 38.6]}},
        {"type": "Feature", "properties": {"dicofre": "070504"}, "geometry": square(-7.80, -7.70)},
    ]});
    std::fs::write(dir.join("parishes.geojson"), parishes.to_string()).unwrap();
    std::fs::write(
        dir.join("places.csv"),
        "nome,lon,lat\nNossa Senhora de Machede,-7.80,38.60\n",
    )
    .unwrap();
    let manifest = std::fs::read_to_string(src.join("region.toml")).unwrap()
        + "\n[context]\nparishes = { path = \"parishes.geojson\" }\nplaces = { path = \"places.csv\", name = \"nome\" }\n";
    std::fs::write(dir.join("region.toml"), manifest).unwrap();

    let loaded = bussola::region::Region::load(&dir.join("region.toml")).unwrap();
    let warnings: Vec<String> = loaded
        .issues
        .iter()
        .filter(|i| i.file.ends_with("parishes.geojson"))
        .map(|i| i.to_string())
        .collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings.iter().any(|w| w.contains("not a Polygon")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("freguesia")),
        "{warnings:?}"
    );
    let cat = std::sync::Arc::new(
        bussola::catalog::Catalog::open(
            loaded.region,
            Box::new(bussola::store::SqliteStore::in_memory().unwrap()),
        )
        .unwrap(),
    );
    let app = crate::common::behind_proxy(cat);
    let tile = context_tile(&app, -7.90, 38.57, 10).await.unwrap();
    let parishes = &tile["parishes"];
    let codes: Vec<&str> = parishes
        .iter()
        .map(|f| f.props["code"].as_str().unwrap())
        .collect();
    assert!(
        codes.contains(&"070501") && codes.contains(&"070502"),
        "{codes:?}"
    );
    assert!(parishes.iter().all(|f| f.kind == 3));
    assert!(names(parishes).contains(&"Bacelo e Senhora da Saúde".to_string()));
    let k = kinds(&tile["places"]);
    assert_eq!(k["Nossa Senhora de Machede"], "town", "{k:?}");
    assert_eq!(k["Évora"], "seat", "{k:?}");
    // Far from them, no parish.
    let west = context_tile(&app, -8.6, 38.6, 10).await;
    assert!(west.is_none_or(|t| !t.contains_key("parishes")));
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn an_outside_base_map_is_the_operator_s_choice_and_the_page_says_so() {
    // By default: nothing outside, and the page's policy lets nothing outside in.
    let (app, _) = app();
    let (_, region) = get(&app, "/api/region").await;
    assert_eq!(region["basemap"]["kind"], "context");
    assert_eq!(region["basemap"]["outside"], false);
    let (_, h, _) = get_with(&app, "/", &[]).await;
    let csp = h["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("connect-src 'self';"), "{csp}");

    // Outside raster tiles, chosen by the operator: drawn washed out under the services, named
    // on the map, and the policy lets the page reach that server (and only it).
    let spec = bussola::region::manifest::BasemapSpec {
        raster_tiles: Some("https://{s}.tiles.example.org/{z}/{x}/{y}.png".into()),
        attribution: Some("© Example tiles".into()),
        ..Default::default()
    };
    let basemap = bussola::tiles::basemap::Basemap::open(Some(&spec)).unwrap();
    let options = bussola::api::Options {
        basemap: Some(std::sync::Arc::new(basemap)),
        ..Default::default()
    };
    let cat = crate::common::catalog(&demo_manifest());
    let outside = bussola::api::router_with(
        cat,
        bussola::api::Assets::under(&crate::common::root()),
        options,
    );
    let (_, region) = get(&outside, "/api/region").await;
    assert_eq!(region["basemap"]["kind"], "raster");
    assert_eq!(region["basemap"]["outside"], true);
    assert_eq!(region["basemap"]["attribution"], "© Example tiles");
    let (st, style) = get(&outside, "/styles/basemap.json").await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(
        style["sources"]["base"]["tiles"][0],
        "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    );
    assert_eq!(style["layers"][0]["id"], "base-raster");
    assert!(
        !style["layers"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["id"] == "context-towns"),
        "the raster names the towns itself"
    );
    let (_, h, _) = get_with(&outside, "/", &[]).await;
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("connect-src 'self' https://*.tiles.example.org;"),
        "{csp}"
    );
    assert!(
        csp.contains("img-src 'self' data: blob: https://*.tiles.example.org;"),
        "{csp}"
    );
    assert!(
        csp.contains("script-src 'self';"),
        "scripts stay the server's own: {csp}"
    );
}

/// sRGB hex to relative luminance (WCAG 2.x).
fn luminance(hex: &str) -> f64 {
    let c = |i: usize| {
        let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
        if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * c(1) + 0.7152 * c(3) + 0.0722 * c(5)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn rgb(hex: &str) -> [f64; 3] {
    [1, 3, 5].map(|i| f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()))
}

/// Every `#rrggbb` colour in a JSON value.
fn colours(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) if s.len() == 7 && s.starts_with('#') => {
            out.push(s.to_lowercase())
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| colours(x, out)),
        serde_json::Value::Object(o) => o.values().for_each(|x| colours(x, out)),
        _ => {}
    }
}

fn style(name: &str) -> serde_json::Value {
    let path = crate::common::root().join(format!("styles/{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

#[test]
fn the_base_map_is_quiet_its_labels_readable_and_the_coverage_colours_keep_over_it() {
    let bases = ["basemap", "basemap-protomaps", "basemap-openmaptiles"].map(style);
    // Labels: dark enough on their white halo (WCAG AA, 4.5:1), and every layer placed.
    for s in &bases {
        for l in s["layers"].as_array().unwrap() {
            let slot = l["metadata"]["bussola:slot"].as_str();
            assert!(
                matches!(slot, Some("under" | "over" | "labels")),
                "{}: no bussola:slot",
                l["id"]
            );
            if l["type"] == "symbol" {
                let (text, halo) = (&l["paint"]["text-color"], &l["paint"]["text-halo-color"]);
                let ratio = contrast(text.as_str().unwrap(), halo.as_str().unwrap());
                assert!(
                    ratio >= 4.5,
                    "{}: {text} on {halo} is {ratio:.1}:1",
                    l["id"]
                );
                assert_eq!(slot, Some("labels"), "{}", l["id"]);
            }
        }
    }
    // Quiet: no base colour is one of the services' group colours.
    let services = style("services");
    let groups: Vec<String> = services["metadata"]["bussola:groups"]
        .as_object()
        .unwrap()
        .values()
        .map(|g| g["color"].as_str().unwrap().to_lowercase())
        .collect();
    let mut base_colours = Vec::new();
    // What lies under the coverage and distance fills: the layers of the `under` and `over`
    // slots (labels and dots are drawn above the fills).
    let mut under_fills = Vec::new();
    for s in &bases {
        colours(&s["layers"], &mut base_colours);
        for l in s["layers"].as_array().unwrap() {
            if l["metadata"]["bussola:slot"] != "labels" {
                colours(&l["paint"], &mut under_fills);
            }
        }
    }
    for c in &base_colours {
        assert!(!groups.contains(c), "{c} is a services' colour");
    }
    // The coverage and distance fills (92 % opaque) hide what is under them: whatever base
    // colour a class colour lies over, it moves less than a third of the way to the nearest
    // other class colour (in sRGB), so no class looks like another over roads or water.
    let fills: Vec<(String, Vec<String>)> = [("coverage", "coverage-fill"), ("gaps", "gaps-fill")]
        .iter()
        .map(|(file, id)| {
            let s = style(file);
            let layer = s["layers"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["id"] == *id)
                .unwrap()
                .clone();
            assert_eq!(layer["paint"]["fill-opacity"], 0.92, "{id}");
            let mut cs = Vec::new();
            colours(&layer["paint"]["fill-color"], &mut cs);
            (id.to_string(), cs)
        })
        .collect();
    let under: Vec<[f64; 3]> = under_fills
        .iter()
        .map(|c| rgb(c))
        .chain([rgb("#f8f5ee")])
        .collect();
    let dist = |a: [f64; 3], b: [f64; 3]| {
        ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
    };
    for (id, classes) in &fills {
        for (i, c) in classes.iter().enumerate() {
            let nearest = classes
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, o)| dist(rgb(c), rgb(o)))
                .fold(f64::MAX, f64::min);
            let worst = under
                .iter()
                .flat_map(|a| under.iter().map(move |b| 0.08 * dist(*a, *b)))
                .fold(0.0, f64::max);
            assert!(
                worst * 3.0 < nearest,
                "{id}: {c} moves {worst:.1} over the base map; the nearest class is {nearest:.1} away"
            );
        }
    }
}
