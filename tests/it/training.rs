//! Training offers (issue #16, part 2): the public list (filters, nearest first, open only,
//! ended offers gone by themselves), writes by role with review, history and revert, 422 for
//! each bad field, CSV import, iCalendar, the page's schema.org JSON-LD.
use crate::common::accounts::{call, session};
use crate::common::{app, get, get_raw, send};
use axum::http::StatusCode;
use bussola::auth::Role;
use serde_json::{json, Value};

const EVORA: [f64; 2] = [-7.9, 38.56667];

fn ids(v: &Value) -> Vec<String> {
    v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

fn day(offset: i64) -> String {
    bussola::quality::checks::iso_from_days(bussola::auth::now() / 86_400 + offset)
}

/// A complete offer in Évora, starting in `from` days for `days` days.
fn offer(title: &str, from: i64, days: i64) -> Value {
    json!({
        "title": title,
        "organiser": {"name": "Escola de Formação Exemplo"},
        "profiles": ["762191"],
        "audience": ["workers"],
        "modality": "in_person",
        "address": "Rua Exemplo 1",
        "locality": "Évora",
        "lon": EVORA[0], "lat": EVORA[1],
        "start": day(from),
        "end": day(from + days - 1),
        "schedule": "Segundas, 9h–13h",
        "hours": 40,
        "cost_eur": 0,
        "funding": "IEFP",
        "places": 20,
        "places_left": 5,
        "enrol": {"url": "https://example.org/inscricao", "email": "formacao@example.org"},
        "language": "pt"
    })
}

#[tokio::test]
async fn the_public_list_shows_open_offers_filtered_and_nearest_first() {
    let (app, _) = app();
    let (st, all) = get(&app, "/api/training").await;
    assert_eq!(st, StatusCode::OK, "{all}");
    let features = all["features"].as_array().unwrap();
    assert_eq!(
        all["numberMatched"], 6,
        "seven demonstration offers, one full"
    );
    assert!(features.iter().all(|f| f["properties"]["demo"] == true));
    let starts: Vec<&str> = features
        .iter()
        .map(|f| f["properties"]["start"].as_str().unwrap())
        .collect();
    assert!(
        starts.windows(2).all(|w| w[0] <= w[1]),
        "by first day: {starts:?}"
    );
    let (_, with_full) = get(&app, "/api/training?open=false").await;
    assert_eq!(with_full["numberMatched"], 7);

    // Nearest to Évora first, with distances growing; the online offer last, with none.
    let (_, near) = get(
        &app,
        &format!("/api/training?near={},{}", EVORA[0], EVORA[1]),
    )
    .await;
    let props: Vec<&Value> = near["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| &f["properties"])
        .collect();
    let d: Vec<f64> = props
        .iter()
        .filter_map(|p| p["distance_m"].as_f64())
        .collect();
    assert_eq!(
        d.len(),
        props.len() - 1,
        "every placed offer has a distance"
    );
    assert!(d.windows(2).all(|w| w[0] <= w[1]), "{d:?}");
    let last = props.last().unwrap();
    assert_eq!(last["modality"], "online");
    assert!(last.get("distance_m").is_none());
    assert!(near["features"].as_array().unwrap().last().unwrap()["geometry"].is_null());

    // Filters.
    let (_, geriatria) = get(&app, "/api/training?profile=762191").await;
    assert!(!ids(&geriatria).is_empty());
    for f in geriatria["features"].as_array().unwrap() {
        assert!(f["properties"]["profiles"]
            .as_array()
            .unwrap()
            .contains(&json!("762191")));
    }
    let (_, managers) = get(&app, "/api/training?audience=managers").await;
    assert_eq!(managers["numberMatched"], 2);
    let first = &features[0]["properties"];
    let muni = first["municipality"].as_str().unwrap();
    let (_, here) = get(&app, &format!("/api/training?municipality={muni}")).await;
    assert!(ids(&here).iter().all(|i| ids(&all).contains(i)));
    assert!(here["features"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["properties"]["municipality"] == muni));
    let (_, later) = get(&app, &format!("/api/training?from={}", day(60))).await;
    let (_, sooner) = get(&app, &format!("/api/training?to={}", day(12))).await;
    for f in later["features"].as_array().unwrap() {
        assert!(f["properties"]["end"].as_str().unwrap() >= day(60).as_str());
    }
    for f in sooner["features"].as_array().unwrap() {
        assert!(f["properties"]["start"].as_str().unwrap() <= day(12).as_str());
    }
    assert!(!ids(&sooner).is_empty() && ids(&sooner).len() < ids(&all).len());

    for (uri, param) in [
        ("/api/training?profile=999999", "profile"),
        ("/api/training?audience=kids", "audience"),
        ("/api/training?municipality=9999", "municipality"),
        ("/api/training?from=2027-02-30", "from"),
        ("/api/training?near=200,1", "near"),
        ("/api/training?open=maybe", "open"),
        ("/api/training?colour=red", "colour"),
    ] {
        let (st, v) = get(&app, uri).await;
        assert_eq!(st, StatusCode::BAD_REQUEST, "{uri}: {v}");
        assert!(v["error"].as_str().unwrap().contains(param), "{uri}: {v}");
    }
}

#[tokio::test]
async fn a_providers_offer_waits_for_review_then_is_public_with_its_history() {
    let (app, cat) = app();
    let provider = cat.get("demo-0705-erpi-1").unwrap().provider.id;
    let p = session(&cat, "p@example.org", Role::Provider, Some(&provider), &[]);
    let admin = session(&cat, "a@example.org", Role::Admin, None, &[]);
    let other = session(
        &cat,
        "o@example.org",
        Role::Provider,
        Some("someone-else"),
        &[],
    );

    let mut body = offer("Cuidados paliativos básicos", 10, 5);
    body["organiser"] = json!(null);
    let (st, v) = call(&app, "POST", "/api/training", &p, &body.to_string()).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert_eq!(v["status"], "pending");
    let id = v["offer"]["id"].as_str().unwrap().to_string();
    let props = &v["offer"]["properties"];
    assert_eq!(props["organiser"]["provider_id"], provider.as_str());
    assert!(
        !props["organiser"]["name"].as_str().unwrap().is_empty(),
        "named after its organisation"
    );
    assert_eq!(props["municipality"], "0705");

    // Not public until approved.
    let (_, list) = get(&app, "/api/training").await;
    assert!(!ids(&list).contains(&id));
    let (st, _) = get(&app, &format!("/api/training/{id}")).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (_, mine) = call(&app, "GET", "/api/me/training", &p, "").await;
    let mine = mine["offers"].as_array().unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0]["properties"]["status"], "pending");

    // The provider cannot approve; another provider cannot touch it; the admin sees it.
    let change = v["changes"][0].as_i64().unwrap();
    let approve = format!("/api/changes/{change}/approve");
    let (st, _) = call(&app, "POST", &approve, &p, "").await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, _) = call(
        &app,
        "PATCH",
        &format!("/api/training/{id}"),
        &other,
        r#"{"hours": 3}"#,
    )
    .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (_, pending) = call(&app, "GET", "/api/changes?status=pending", &admin, "").await;
    let row = pending["changes"]
        .as_array()
        .or_else(|| pending.as_array())
        .unwrap()
        .iter()
        .find(|c| c["id"] == change)
        .cloned()
        .unwrap_or_else(|| panic!("pending change {change} listed: {pending}"));
    assert_eq!(row["subject"], "training");
    assert_eq!(row["new"]["title"], "Cuidados paliativos básicos");
    let (st, v) = call(&app, "POST", &approve, &admin, "").await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["offer"]["properties"]["status"], "published");
    let (_, list) = get(&app, "/api/training?profile=762191").await;
    assert!(ids(&list).contains(&id));

    // Once public, the organiser's places left go live; its new title waits.
    let uri = format!("/api/training/{id}");
    let (st, v) = call(
        &app,
        "PATCH",
        &uri,
        &p,
        r#"{"places_left": 2, "title": "Cuidados paliativos"}"#,
    )
    .await;
    assert_eq!(st, StatusCode::ACCEPTED, "{v}");
    assert_eq!(v["offer"]["properties"]["places_left"], 2);
    assert_eq!(
        v["offer"]["properties"]["title"],
        "Cuidados paliativos básicos"
    );
    assert_eq!(v["pending"][0]["field"], "title");
    let (_, one) = get(&app, &uri).await;
    assert_eq!(one["properties"]["places_left"], 2);

    // The admin changes the hours at once, then reverts it.
    let (st, v) = call(&app, "PATCH", &uri, &admin, r#"{"hours": 12}"#).await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let hours_change = v["applied"][0]["change"].as_i64().unwrap();
    let (st, v) = call(
        &app,
        "POST",
        &format!("/api/changes/{hours_change}/revert"),
        &admin,
        "",
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let (_, one) = get(&app, &uri).await;
    assert_eq!(one["properties"]["hours"], 40.0);

    let (st, h) = get(&app, &format!("{uri}/history")).await;
    assert_eq!(st, StatusCode::OK, "{h}");
    let fields: Vec<&str> = h["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["offer", "places_left", "hours", "hours"]);
    assert!(
        !h.to_string().contains("p@example.org"),
        "no addresses in public history"
    );

    // Withdrawn: gone from the list, kept with its history.
    let (st, _) = call(&app, "DELETE", &uri, &p, "").await;
    assert_eq!(st, StatusCode::OK);
    let (_, list) = get(&app, "/api/training").await;
    assert!(!ids(&list).contains(&id));
    let (st, h) = get(&app, &format!("{uri}/history")).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(
        h["history"].as_array().unwrap().last().unwrap()["new"],
        "withdrawn"
    );
}

#[tokio::test]
async fn trainers_moderators_and_admins_write_within_their_reach() {
    let (app, cat) = app();
    let trainer = session(&cat, "t@example.org", Role::Trainer, Some("escola-x"), &[]);
    let moderator = session(&cat, "m@example.org", Role::Moderator, None, &["0705"]);

    let (st, v) = call(
        &app,
        "POST",
        "/api/training",
        &trainer,
        &offer("Liderar equipas", 20, 3).to_string(),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert_eq!(v["status"], "pending");
    assert_eq!(
        v["offer"]["properties"]["organiser"]["trainer_id"],
        "escola-x"
    );
    let id = v["offer"]["id"].as_str().unwrap().to_string();

    // A moderator of Évora reviews it; its own offer in Évora is published at once.
    let change = v["changes"][0].as_i64().unwrap();
    let (st, _) = call(
        &app,
        "POST",
        &format!("/api/changes/{change}/reject"),
        &moderator,
        "",
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    let (st, _) = get(&app, &format!("/api/training/{id}")).await;
    assert_eq!(
        st,
        StatusCode::NOT_FOUND,
        "a rejected offer is never public"
    );
    let (st, v) = call(
        &app,
        "POST",
        "/api/training",
        &moderator,
        &offer("Rede social", 5, 1).to_string(),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert_eq!(v["status"], "published");

    // Not outside its municipalities, nor online (no municipality).
    let mut away = offer("Noutro concelho", 5, 1);
    away["lon"] = json!(-8.0044);
    away["lat"] = json!(38.33458);
    let (st, v) = call(&app, "POST", "/api/training", &moderator, &away.to_string()).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{v}");

    // A trainer edits only its own entity's offers.
    let (_, list) = get(&app, "/api/training").await;
    let demo = ids(&list)[0].clone();
    let (st, _) = call(
        &app,
        "PATCH",
        &format!("/api/training/{demo}"),
        &trainer,
        r#"{"hours": 2}"#,
    )
    .await;
    assert_eq!(st, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn every_bad_field_is_named_and_nothing_is_stored() {
    let (app, cat) = app();
    let admin = session(&cat, "a@example.org", Role::Admin, None, &[]);
    let (_, before) = get(&app, "/api/training?open=false").await;
    let cases: Vec<(&str, Value)> = vec![
        ("title", json!("")),
        ("start", json!("2027-13-01")),
        ("end", json!("2000-01-01")),
        ("hours", json!(-1)),
        ("cost_eur", json!(-5)),
        ("places", json!(0)),
        ("places_left", json!(99)),
        ("enrol", json!({})),
        ("enrol", json!({"url": "ftp:/x"})),
        ("enrol", json!({"email": "nobody"})),
        ("language", json!("fr")),
        ("audience", json!([])),
        ("audience", json!(["kids"])),
        ("profiles", json!(["999999"])),
        ("modality", json!("tv")),
        ("municipality", json!("9999")),
        ("postal_code", json!("70-1")),
        ("schedule", json!("a\u{0007}b")),
        ("colour", json!("red")),
    ];
    for (field, value) in cases {
        let mut body = offer("Curso", 5, 2);
        body[field] = value.clone();
        let (st, v) = call(&app, "POST", "/api/training", &admin, &body.to_string()).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{field}={value}: {v}");
        assert!(v["fields"].get(field).is_some(), "{field}={value}: {v}");
    }
    let mut outside = offer("Curso", 5, 2);
    outside["lon"] = json!(-9.14);
    outside["lat"] = json!(38.72);
    let (st, v) = call(&app, "POST", "/api/training", &admin, &outside.to_string()).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v["fields"]["position"]
        .as_str()
        .unwrap()
        .contains("outside"));
    let (st, v) = call(
        &app,
        "POST",
        "/api/training",
        "",
        &offer("Curso", 5, 2).to_string(),
    )
    .await;
    assert_eq!(st, StatusCode::UNAUTHORIZED, "{v}");
    let (_, after) = get(&app, "/api/training?open=false").await;
    assert_eq!(ids(&before), ids(&after));
}

#[tokio::test]
async fn ended_offers_leave_the_list_by_themselves_and_keep_their_page() {
    let (app, cat) = app();
    let admin = session(&cat, "a@example.org", Role::Admin, None, &[]);
    let (st, v) = call(
        &app,
        "POST",
        "/api/training",
        &admin,
        &offer("Acabou ontem", -5, 5).to_string(),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let id = v["offer"]["id"].as_str().unwrap().to_string();
    let (st, v) = call(
        &app,
        "POST",
        "/api/training",
        &admin,
        &offer("Acaba hoje", -5, 6).to_string(),
    )
    .await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let today_id = v["offer"]["id"].as_str().unwrap().to_string();
    let (_, list) = get(&app, "/api/training").await;
    assert!(!ids(&list).contains(&id), "ended yesterday");
    assert!(ids(&list).contains(&today_id), "its last day is today");
    let (st, one) = get(&app, &format!("/api/training/{id}")).await;
    assert_eq!(st, StatusCode::OK, "links kept elsewhere still answer");
    assert_eq!(one["properties"]["end"], day(-1));
    let (st, _) = get(&app, &format!("/api/training/{id}/history")).await;
    assert_eq!(st, StatusCode::OK);
}

#[tokio::test]
async fn offers_come_in_from_a_csv_file_all_or_none() {
    let (app, cat) = app();
    let admin = session(&cat, "a@example.org", Role::Admin, None, &[]);
    let auth = format!("Bearer {admin}");
    let head = "title,organiser,profiles,audience,modality,lon,lat,start,end,hours,cost_eur,places,places_left,enrol_email,language";
    let good = format!(
        "{head}\nGeriatria I,Escola A,762191;762335,workers,in_person,-7.9,38.56,{a},{b},50,0,20,20,a@example.org,pt\n\
         Gestão,Escola B,,managers;volunteers,online,,,{a},{b},\"12,5\",30,,,b@example.org,pt\n",
        a = day(3),
        b = day(9)
    );
    let h = [
        ("authorization", auth.as_str()),
        ("content-type", "text/csv"),
    ];
    let (st, _, v) = send(&app, "POST", "/api/training/import", &h, &good).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    assert_eq!(v["imported"], 2);
    let gestao = &v["offers"][1]["properties"];
    assert_eq!(gestao["hours"], 12.5);
    assert_eq!(gestao["audience"], json!(["managers", "volunteers"]));
    let (_, list) = get(&app, "/api/training?audience=managers").await;
    assert!(list.to_string().contains("Gestão"));

    let bad = format!(
        "{head}\nOutro,Escola A,,workers,online,,,{a},{a},5,0,,,a@example.org,pt\n\
         Mau,Escola A,,workers,online,,,2027-02-31,{a},5,0,,,a@example.org,pt\n",
        a = day(3)
    );
    let (st, _, v) = send(&app, "POST", "/api/training/import", &h, &bad).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v["fields"].get("line 3: start").is_some(), "{v}");
    let (_, list) = get(&app, "/api/training").await;
    assert!(
        !list.to_string().contains("\"Outro\""),
        "nothing of a bad file is stored"
    );
    let unknown = "title,colour\nX,red\n";
    let (st, _, v) = send(&app, "POST", "/api/training/import", &h, unknown).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v["error"].as_str().unwrap().contains("line 1"), "{v}");
}

#[tokio::test]
async fn each_offer_has_a_calendar_file_and_a_page_with_course_json_ld() {
    let (app, _) = app();
    let (_, list) = get(&app, "/api/training").await;
    let f = &list["features"][0];
    let id = f["id"].as_str().unwrap();
    let (st, ct, ics) = get_raw(&app, &format!("/api/training/{id}.ics")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(ct.starts_with("text/calendar"), "{ct}");
    let start = f["properties"]["start"].as_str().unwrap().replace('-', "");
    assert!(
        ics.contains(&format!("DTSTART;VALUE=DATE:{start}")),
        "{ics}"
    );
    assert!(ics.contains(&format!("UID:{id}@")), "{ics}");
    assert!(ics.contains("BEGIN:VEVENT") && ics.contains("END:VCALENDAR"));

    let (st, ct, html) = get_raw(&app, &format!("/training/{id}")).await;
    assert_eq!(st, StatusCode::OK);
    assert!(ct.starts_with("text/html"), "{ct}");
    assert!(
        html.contains("Demonstração"),
        "a demo offer says so on its page"
    );
    let ld = html
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .unwrap();
    let ld: Value = serde_json::from_str(ld).unwrap();
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["@type"], "Course");
    assert_eq!(ld["name"], f["properties"]["title"]);
    assert_eq!(ld["hasCourseInstance"][0]["@type"], "CourseInstance");
    assert_eq!(
        ld["hasCourseInstance"][0]["startDate"],
        f["properties"]["start"]
    );
    assert!(ld["provider"]["name"].is_string());
    let (st, _) = get(&app, "/training/tr-nope").await;
    assert_eq!(st, StatusCode::NOT_FOUND);
}

const FEED: &str = r#"
import feedparser, json, sys
d = feedparser.parse(sys.stdin.buffer.read())
print(json.dumps({"bozo": bool(d.bozo), "error": str(d.get("bozo_exception", "")),
    "version": d.version, "id": d.feed.get("id"),
    "entries": [{"title": e.get("title"), "link": e.get("link"), "id": e.get("id"),
                 "updated": e.get("updated"), "ok": e.get("updated_parsed") is not None,
                 "tags": [t.get("term") for t in e.get("tags", [])]} for e in d.entries]}))
"#;

const ICS: &str = r#"
import icalendar, json, sys
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
print(json.dumps([{"summary": str(e.get("summary")), "uid": str(e.get("uid")),
    "start": e.decoded("dtstart").isoformat(), "end": e.decoded("dtend").isoformat(),
    "location": str(e.get("location")), "url": str(e.get("url"))} for e in cal.walk("VEVENT")]))
"#;

// schema.org's context maps every term to http://schema.org/ (read offline: @vocab).
const LD: &str = r#"
import json, sys, rdflib
doc = json.loads(sys.stdin.read())
assert doc.pop("@context") == "https://schema.org"
doc["@context"] = {"@vocab": "http://schema.org/"}
g = rdflib.Graph().parse(data=json.dumps(doc), format="json-ld")
S = rdflib.Namespace("http://schema.org/")
courses = list(g.subjects(rdflib.RDF.type, S.Course))
inst = [i for c in courses for i in g.objects(c, S.hasCourseInstance)]
print(json.dumps({"courses": [str(c) for c in courses],
    "names": [str(n) for c in courses for n in g.objects(c, S.name)],
    "providers": [str(n) for c in courses for p in g.objects(c, S.provider) for n in g.objects(p, S.name)],
    "instances": [str(t) for i in inst for t in g.objects(i, rdflib.RDF.type)],
    "starts": [str(d) for i in inst for d in g.objects(i, S.startDate)]}))
"#;

#[tokio::test]
async fn independent_readers_take_the_feed_the_calendar_and_the_json_ld() {
    let (app, cat) = app();
    let (provider, admin) = (
        session(&cat, "p@example.org", Role::Trainer, Some("escola-y"), &[]),
        session(&cat, "a@example.org", Role::Admin, None, &[]),
    );
    let (_, v) = call(
        &app,
        "POST",
        "/api/training",
        &provider,
        &offer("Novo & <curso>", 4, 2).to_string(),
    )
    .await;
    let id = v["offer"]["id"].as_str().unwrap().to_string();
    let change = v["changes"][0].as_i64().unwrap();
    let feed = |app| async move { get_raw(app, "/feeds/training.atom").await };
    let (st, ct, before) = feed(&app).await;
    assert_eq!(st, StatusCode::OK);
    assert!(ct.starts_with("application/atom+xml"), "{ct}");
    assert!(!before.contains(&id), "a pending offer is not in the feed");
    call(
        &app,
        "POST",
        &format!("/api/changes/{change}/approve"),
        &admin,
        "",
    )
    .await;
    let (_, _, xml) = feed(&app).await;
    assert!(xml.contains(&format!("/training/{id}")), "{xml}");
    assert!(xml.contains("Novo &amp; &lt;curso&gt;"), "escaped: {xml}");
    let (_, list) = get(&app, "/api/training").await;

    let Some(py) = crate::common::feed_venv("feedparser") else {
        return;
    };
    let f = crate::common::python_json(&py, FEED, xml.as_bytes());
    assert_eq!(
        (f["bozo"].clone(), f["version"].clone()),
        (json!(false), json!("atom10")),
        "{f}"
    );
    let entries = f["entries"].as_array().unwrap();
    assert_eq!(
        entries.len(),
        ids(&list).len() + 1,
        "every public offer (and the full one): {f}"
    );
    assert_eq!(
        entries[0]["title"], "Novo & <curso>",
        "the newest change first"
    );
    let mut seen = std::collections::HashSet::new();
    for e in entries {
        assert!(
            e["ok"].as_bool().unwrap() && e["id"].as_str().unwrap().starts_with("tag:"),
            "{e}"
        );
        assert!(e["link"].as_str().unwrap().contains("/training/tr-"), "{e}");
        assert!(
            seen.insert(e["id"].as_str().unwrap().to_string()),
            "ids unique"
        );
    }

    let (_, _, ics) = get_raw(&app, &format!("/api/training/{id}.ics")).await;
    let events = crate::common::python_json(&py, ICS, ics.as_bytes());
    let e = &events[0];
    assert_eq!(events.as_array().unwrap().len(), 1);
    assert_eq!(e["summary"], "Novo & <curso>");
    assert_eq!(e["start"], day(4));
    assert_eq!(
        e["end"],
        day(6),
        "DTEND is the day after the last (RFC 5545)"
    );
    assert!(e["location"].as_str().unwrap().contains("Rua Exemplo 1"));
    assert!(e["url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/training/{id}")));

    let (_, _, html) = get_raw(&app, &format!("/training/{id}")).await;
    let ld = html
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .and_then(|s| s.split("</script>").next())
        .unwrap();
    let g = crate::common::python_json(&py, LD, ld.as_bytes());
    assert_eq!(g["courses"].as_array().unwrap().len(), 1, "{g}");
    assert_eq!(g["names"], json!(["Novo & <curso>"]));
    assert_eq!(g["providers"], json!(["Escola de Formação Exemplo"]));
    assert_eq!(g["instances"], json!(["http://schema.org/CourseInstance"]));
    assert_eq!(g["starts"], json!([day(4)]));
}
