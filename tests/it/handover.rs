//! Helping someone else find care (issue #20): the plain page (`/find`) finds what
//! `/api/nearest` finds, in the same order, from the place `/api/places` gives (postal codes
//! too); the sheet (`/sheet`) lists exactly the chosen services, its QR code and e-mail carry
//! its own link, and bad addresses get a page in plain words. The printed PDF, the QR code
//! scanned and the page without JavaScript in Chromium: `tests/browser/handover.test.mjs`.
use crate::common::{app, get, get_raw, get_with};
use axum::http::StatusCode;
use bussola::model::Service;
use serde_json::Value;

/// The ids a page lists, in order (`data-id` of the results or of the sheet's services).
fn listed(html: &str) -> Vec<String> {
    html.split("data-id=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .map(|s| s.replace("&amp;", "&"))
        .collect()
}

fn enc(s: &str) -> String {
    serde_urlencoded::to_string([("x", s)]).unwrap()[2..].to_string()
}

/// The place `/api/places` picks for typed words, rounded as links round it.
async fn place(app: &axum::Router, q: &str) -> (String, f64, f64) {
    let (st, v) = get(app, &format!("/api/places?q={}", enc(q))).await;
    assert_eq!(st, StatusCode::OK);
    let p = &v["places"][0];
    let r = |x: &Value| (x.as_f64().unwrap() * 1e5).round() / 1e5;
    (
        p["name"].as_str().unwrap().to_string(),
        r(&p["lon"]),
        r(&p["lat"]),
    )
}

async fn nearest_ids(app: &axum::Router, lon: f64, lat: f64, extra: &str) -> Vec<String> {
    let (st, v) = get(
        app,
        &format!(
            "/api/nearest?lon={lon}&lat={lat}{}{extra}",
            if extra.contains("&k=") { "" } else { "&k=10" }
        ),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_plain_page_lists_what_api_nearest_lists_from_the_place_api_places_finds() {
    let (app, _) = app();
    for (typed, filter) in [
        ("Évora", "&type=ERPI"),
        ("estremoz", ""),
        ("Montemor-o-Novo", "&group=children"),
        ("Mora", "&type=SAD_IDOSOS"),
    ] {
        let (name, lon, lat) = place(&app, typed).await;
        let (st, ct, html) = get_raw(&app, &format!("/find?place={}{filter}", enc(typed))).await;
        assert_eq!(st, StatusCode::OK, "{typed}: {html}");
        assert!(ct.starts_with("text/html"), "{ct}");
        let want = nearest_ids(&app, lon, lat, filter).await;
        assert!(!want.is_empty(), "{typed}{filter}: the fixture has some");
        assert_eq!(
            listed(&html),
            want,
            "{typed}{filter}: same services, same order"
        );
        assert!(
            html.contains(&format!("mais perto de {name}")),
            "{typed}: says where from"
        );
        assert!(!html.contains("<script"), "no script on the plain page");
        assert!(html.len() < 30_000, "{typed}: {} bytes", html.len());
        // Phones are links a phone calls.
        assert!(html.contains("href=\"tel:+351"), "{typed}: tel: links");
        // Invented services are said to be invented.
        assert!(html.contains("Inventado: dados de demonstração"));
    }
}

#[tokio::test]
async fn the_plain_page_speaks_english_offers_choices_and_shows_more() {
    let (app, _) = app();
    let (_, _, html) = get_raw(&app, "/find?place=%C3%A9vora&type=ERPI&lang=en").await;
    assert!(html.starts_with("<!doctype html>\n<html lang=\"en\">"));
    assert!(html.contains("The 10 nearest to Évora"), "{html}");
    assert!(html.contains("Show 10 more"));
    assert!(
        html.contains("href=\"/find?place=%C3%89vora&amp;lon="),
        "links keep the search"
    );
    // Words matching nothing: every municipality to choose from, and no results.
    let (st, _, html) = get_raw(&app, "/find?place=xyzzy").await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("Não encontrámos «xyzzy»"), "{html}");
    assert!(html.contains("<option value=\"Évora\">Évora</option>"));
    assert!(listed(&html).is_empty());
    // A place and a point: the point is searched from, the place is only its name.
    let (_, _, html) = get_raw(&app, "/find?place=Casa&lon=-7.9&lat=38.57&k=3").await;
    assert_eq!(listed(&html), nearest_ids(&app, -7.9, 38.57, "").await[..3]);
    assert!(html.contains("Os 3 mais perto de Casa"));
    // The form alone.
    let (st, _, html) = get_raw(&app, "/find").await;
    assert_eq!(st, StatusCode::OK);
    assert!(html.contains("<form method=\"get\" action=\"/find\""));
    assert!(listed(&html).is_empty());
}

#[tokio::test]
async fn a_postal_code_is_placed_where_services_give_it() {
    let (app, cat) = app();
    let mut s: Service = cat.with_services(|it| it.next().cloned()).unwrap().unwrap();
    s.id = "handover-postal-1".into();
    s.postal_code = Some("7040-123".into());
    s.locality = Some("Arraiolos".into());
    s.lon = -7.98;
    s.lat = 38.72;
    cat.upsert(s).unwrap();
    let (_, v) = get(&app, "/api/places?q=7040-123").await;
    assert_eq!(v["places"][0]["kind"], "postal_code");
    assert_eq!(v["places"][0]["name"], "7040-123 Arraiolos");
    assert_eq!(v["places"][0]["lon"], -7.98);
    // A bare CP4, and the plain page: the same point, the same services as /api/nearest.
    let (_, v) = get(&app, "/api/places?q=7040").await;
    assert_eq!(v["places"][0]["name"], "7040 Arraiolos");
    let (_, _, html) = get_raw(&app, "/find?place=7040-123").await;
    assert_eq!(listed(&html), nearest_ids(&app, -7.98, 38.72, "").await);
    assert!(html.contains("mais perto de 7040-123 Arraiolos"));
    // A code no service gives: nothing to pick, the municipalities to choose from.
    let (_, v) = get(&app, "/api/places?q=7999-999").await;
    assert_eq!(v["places"], serde_json::json!([]));
    let (_, _, html) = get_raw(&app, "/find?place=7999-999").await;
    assert!(html.contains("Não encontrámos «7999-999»"));
}

#[tokio::test]
async fn bad_addresses_get_a_page_naming_the_problem() {
    let (app, _) = app();
    for (uri, says) in [
        ("/find?lon=abc&lat=38", "«lon»"),
        ("/find?lon=-7.9", "«lat»: is required with lon"),
        (
            "/find?type=NOPE&place=%C3%89vora",
            "«type»: unknown response type",
        ),
        ("/find?k=500", "«k»"),
        ("/find?bogus=1", "«bogus»: unknown parameter"),
        ("/find?place=%C3%89vora&size=huge", "«size»"),
        ("/sheet", "Não escolheu nenhum serviço"),
        ("/sheet?format=pdf&id=x", "«format»"),
    ] {
        let (st, h, body) = get_with(&app, uri, &[]).await;
        let body = String::from_utf8(body).unwrap();
        assert_eq!(st, StatusCode::BAD_REQUEST, "{uri}: {body}");
        assert!(
            h["content-type"].to_str().unwrap().starts_with("text/html"),
            "{uri}"
        );
        assert!(body.contains(says), "{uri}: {body}");
        assert!(body.contains("Começar de novo"), "{uri}: a way back");
    }
    let (_, _, body) = get_raw(&app, "/find?lon=abc&lat=38&lang=en").await;
    assert!(
        body.contains("The address has a mistake in «lon»"),
        "{body}"
    );
    // The map page asks for JSON, and gets JSON errors.
    let (st, v) = get(&app, "/sheet?format=json").await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert_eq!(v["parameter"], "id");
}

#[tokio::test]
async fn the_sheet_lists_exactly_the_chosen_services_and_its_qr_code_and_email_carry_its_link() {
    let (app, _) = app();
    let ids = nearest_ids(&app, -7.9079, 38.5712, "&type=ERPI").await;
    let chosen = [ids[4].clone(), ids[0].clone(), ids[2].clone()];
    let mut q = "place=%C3%89vora&lon=-7.9079&lat=38.5712&type=ERPI".to_string();
    for id in &chosen {
        q.push_str(&format!("&id={}", enc(id)));
    }
    q.push_str("&note=Ligar+de+manh%C3%A3+%3Cb%3E");
    let (st, h, body) = get_with(&app, &format!("/sheet?{q}"), &[]).await;
    let html = String::from_utf8(body).unwrap();
    assert_eq!(st, StatusCode::OK, "{html}");
    assert_eq!(h["cache-control"], "no-store", "nothing kept on the way");
    assert_eq!(
        listed(&html),
        chosen,
        "exactly the chosen, in the chosen order"
    );
    assert!(
        html.contains("Ligar de manhã &lt;b&gt;"),
        "the note, escaped"
    );
    assert!(html.contains("Perto de Évora · Lar de idosos"));
    assert!(html.contains("Impresso a "));
    assert!(
        html.contains("Atenção: serviços inventados (demonstração), não são reais."),
        "demo said plainly (every service of the test region is invented)"
    );
    assert!(html.contains("<svg class=\"qr\""));
    assert!(html.contains("<svg class=\"map\""));
    for n in 1..=3 {
        assert!(
            html.contains(&format!("class=\"pin\">{n}</text>")),
            "point {n} on the map"
        );
    }
    // The share link is the sheet's own (canonical: no format, ids one by one).
    let (st, v) = get(&app, &format!("/sheet?{q}&format=json")).await;
    assert_eq!(st, StatusCode::OK);
    let link = v["link"].as_str().unwrap();
    assert!(link.starts_with("http://") && link.contains("/sheet?place=%C3%89vora&lon="));
    assert_eq!(v["ids"], serde_json::json!(chosen));
    let path = &link[link.find("/sheet").unwrap()..];
    let (_, _, again) = get_raw(&app, path).await;
    assert_eq!(listed(&again), chosen, "the link reopens the same list");
    // The e-mail: the same services as text, and the link.
    let text = v["text"].as_str().unwrap();
    for id in &chosen {
        let (_, s) = get(&app, &format!("/api/services/{}", enc(id))).await;
        let name = s["properties"]["name"].as_str().unwrap();
        assert!(text.contains(name), "{name} in the e-mail");
    }
    assert!(text.contains(link));
    let mailto = v["mailto"].as_str().unwrap();
    assert!(mailto.starts_with("mailto:?subject=Apoios%20escolhidos"));
    assert!(mailto.contains("%0D%0A2.%20"), "CRLF line breaks: {mailto}");
    let (_, ct, plain) = get_raw(&app, &format!("/sheet?{q}&format=text")).await;
    assert!(ct.starts_with("text/plain"));
    assert_eq!(plain, text);
}

#[tokio::test]
async fn the_sheet_refuses_more_than_fit_and_takes_the_first_when_none_is_chosen() {
    let (app, _) = app();
    let ids = nearest_ids(&app, -7.9, 38.57, "").await;
    let many: String = ids[..5].iter().map(|i| format!("&id={}", enc(i))).collect();
    let (st, _, html) = get_raw(&app, &format!("/sheet?lon=-7.9&lat=38.57{many}")).await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains("Escolheu 5 serviços"), "{html}");
    assert!(html.contains("só cabem 4"));
    assert!(html.contains("desmarque 1"));
    let (st, _, html) = get_raw(
        &app,
        &format!("/sheet?lon=-7.9&lat=38.57&size=larger{}", &many[..]),
    )
    .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(html.contains("só cabem 2"), "{html}");
    // Nothing chosen: the first four of the search.
    let (st, _, html) = get_raw(&app, "/sheet?lon=-7.9&lat=38.57").await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(listed(&html), ids[..4]);
    // A chosen service no longer there is said to be gone; the others are shown.
    let (_, _, html) = get_raw(
        &app,
        &format!("/sheet?lon=-7.9&lat=38.57&id=gone-1&id={}", enc(&ids[0])),
    )
    .await;
    assert_eq!(listed(&html), ids[..1]);
    assert!(html.contains("1 dos serviços escolhidos já não está no Bússola"));
}

#[tokio::test]
async fn a_municipality_s_listing_is_found_printed_and_shared_with_its_filter() {
    let (app, _) = app();
    // The plain page, a municipality chosen and no place: from its seat, its services only.
    let (st, _, html) = get_raw(&app, "/find?municipality=0705&type=ERPI&k=100").await;
    assert_eq!(st, StatusCode::OK, "{html}");
    let (_, lon, lat) = place(&app, "Évora").await;
    let want = nearest_ids(&app, lon, lat, "&type=ERPI&municipality=0705&k=100").await;
    let (_, every) = get(&app, "/api/services?municipality=0705&type=ERPI&limit=500").await;
    assert_eq!(want.len() as u64, every["numberMatched"].as_u64().unwrap());
    assert_eq!(
        listed(&html),
        want,
        "the listing, nearest to the seat first"
    );
    assert!(
        html.contains("Só os do concelho de Évora, do mais perto ao mais longe"),
        "{html}"
    );
    assert!(
        html.contains("<option value=\"0705\" selected>Évora</option>"),
        "the form keeps the choice"
    );
    assert!(
        html.contains("name=\"municipality\" value=\"0705\""),
        "the sheet's form carries the listing"
    );
    // A place and a municipality: from the place, the municipality's services only.
    let (_, _, html) = get_raw(
        &app,
        "/find?place=Montemor-o-Novo&municipality=0705&type=ERPI",
    )
    .await;
    let (_, mlon, mlat) = place(&app, "Montemor-o-Novo").await;
    let from_there = nearest_ids(&app, mlon, mlat, "&type=ERPI&municipality=0705").await;
    assert_eq!(listed(&html), from_there);
    // The sheet of two services of the listing: its link reopens the listing.
    let q = format!(
        "place=%C3%89vora&lon={lon}&lat={lat}&type=ERPI&municipality=0705&k=100&id={}&id={}",
        enc(&want[1]),
        enc(&want[0])
    );
    let (st, v) = get(&app, &format!("/sheet?{q}&format=json")).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let link = v["link"].as_str().unwrap();
    assert!(link.contains("&municipality=0705&k=100&id="), "{link}");
    let (_, _, sheet) = get_raw(&app, &link[link.find("/sheet").unwrap()..]).await;
    assert_eq!(listed(&sheet), [want[1].clone(), want[0].clone()]);
    // An unknown municipality is named.
    let (st, _, body) = get_raw(&app, "/find?municipality=9999").await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    assert!(body.contains("«municipality»"), "{body}");
}
