//! Indicators over time (issue #18): a capacity change makes a point with the exact new rate
//! and an alert in the municipality's Atom feed (read by feedparser); past days rebuilt from
//! the change history give the rates computed by hand; reference values come in by CSV (API and
//! command line, bad cells named); what changed between two days, per municipality, by role.
//!
//! The fixture region (`tests/data/demo-alentejo-central`): Redondo (0710) has 1,734 people
//! aged 65+ and 227 places in ERPI, Centro de Dia and SAD (13.09 %, target 12 %); Alandroal
//! (0701) 1,608 and 184 (11.44 %); Arraiolos (0702) 1,903 and 318.
use crate::common::accounts::{call, session};
use crate::common::{app, get, get_raw, get_with, send};
use axum::http::StatusCode;
use bussola::auth::Role;
use bussola::catalog::Catalog;
use bussola::store::{ChangeStatus, EditWrite, NewChange, Subject};
use bussola::trends::recorder::{record, Bucket};
use bussola::trends::{backfill, day_of};
use serde_json::{json, Value};

const RATE: &str = "coverage.elderly.rate";

/// 2026-03-01T12:00:00Z.
const MARCH_1: i64 = 1_772_366_400;

fn points(v: &Value) -> Vec<(f64, bool, String)> {
    v["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["value"].as_f64().unwrap(),
                p["reconstructed"].as_bool().unwrap(),
                p["source"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn series(app: &axum::Router, indicator: &str, area: &str) -> Value {
    let (st, v) = get(
        app,
        &format!("/api/trends?indicator={indicator}&area={area}"),
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    v
}

const PARSE: &str = r#"
import feedparser, json, sys
d = feedparser.parse(sys.stdin.buffer.read())
print(json.dumps({
    "bozo": bool(d.bozo), "error": str(d.get("bozo_exception", "")), "version": d.version,
    "id": d.feed.get("id"), "title": d.feed.get("title"),
    "entries": [{"title": e.get("title"), "id": e.get("id"), "link": e.get("link"),
                 "summary": e.get("summary"), "updated_parsed": e.get("updated_parsed") is not None,
                 "tags": [t.get("term") for t in e.get("tags", [])]} for e in d.entries],
}))
"#;

#[tokio::test]
async fn a_capacity_change_makes_a_point_with_the_exact_new_rate_and_an_alert() {
    let (app, cat) = app();
    let admin = session(&cat, "admin@example.pt", Role::Admin, None, &[]);
    let day = record(&cat, Bucket::Daily, MARCH_1).unwrap();
    assert_eq!(day.bucket, "d2026-03-01");
    assert_eq!(day.alerts, 0, "nothing to compare with yet");
    assert_eq!(
        record(&cat, Bucket::Daily, MARCH_1 + 60).unwrap().points,
        0,
        "the day's snapshot once"
    );
    let v = series(&app, RATE, "0710").await;
    assert_eq!(
        points(&v),
        [(227.0 * 100.0 / 1734.0, false, "daily".into())]
    );
    assert_eq!(
        v["area"],
        json!({"id": "0710", "kind": "municipality", "name": "Redondo"})
    );

    // Redondo's second ERPI goes from 47 places to 27: 207 places, 11.94 %, below the target.
    let body = json!({"capacity": 27, "users": 20}).to_string();
    let (st, r) = call(
        &app,
        "PATCH",
        "/api/services/demo-0710-erpi-2",
        &admin,
        &body,
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{r}");
    let after = record(&cat, Bucket::Change, MARCH_1 + 3600).unwrap();
    assert_eq!(after.alerts, 1, "{after:?}");
    let v = series(&app, RATE, "0710").await;
    let got = points(&v);
    assert_eq!(got.len(), 2, "{v}");
    assert_eq!(got[1], (207.0 * 100.0 / 1734.0, false, "change".into()));
    assert!(
        (got[1].0 - 11.937_716_262_975_78).abs() < 1e-12,
        "{}",
        got[1].0
    );
    assert_eq!(v["points"][1]["at"], "2026-03-01T13:00:00Z");
    let places = series(&app, "places.ERPI", "0710").await;
    assert_eq!(points(&places)[1].0, 54.0, "27 + 27");
    let region_rate = series(&app, RATE, "alentejo-central").await;
    assert_eq!(points(&region_rate)[1].0, 6759.0 * 100.0 / 41403.0);
    // A change point holds only what changed: Alandroal's rate has its day's point alone.
    assert_eq!(points(&series(&app, RATE, "0701").await).len(), 1);
    assert_eq!(
        record(&cat, Bucket::Change, MARCH_1 + 7200).unwrap().points,
        0,
        "nothing changed since"
    );

    let (st, headers, xml) = get_with(
        &app,
        "/feeds/alerts.atom?area=0710",
        &[
            ("x-forwarded-host", "bussola.example.pt"),
            ("x-forwarded-proto", "https"),
        ],
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/atom+xml"));
    let xml = String::from_utf8(xml).unwrap();
    assert!(
        xml.contains("Redondo: cobertura (pessoas idosas) abaixo da meta — 11.9 &lt; 12"),
        "{xml}"
    );
    // The region's feed holds its municipalities' alerts; another municipality's does not.
    assert!(get_raw(&app, "/feeds/alerts.atom")
        .await
        .2
        .contains("Redondo"));
    assert!(!get_raw(&app, "/feeds/alerts.atom?area=0701")
        .await
        .2
        .contains("<entry>"));

    let Some(py) = crate::common::feed_venv("feedparser") else {
        return;
    };
    let f = crate::common::python_json(&py, PARSE, xml.as_bytes());
    assert_eq!(f["bozo"], false, "{f}");
    assert_eq!(f["version"], "atom10", "{f}");
    assert_eq!(
        f["id"],
        "https://bussola.example.pt/feeds/alerts.atom?area=0710"
    );
    let entries = f["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{f}");
    let e = &entries[0];
    assert_eq!(
        e["summary"],
        "Redondo: coverage (older people) fell below the target 12: 13.1 → 11.9"
    );
    assert_eq!(
        e["link"],
        "https://bussola.example.pt/api/trends?indicator=coverage.elderly.rate&area=0710"
    );
    assert!(e["id"]
        .as_str()
        .unwrap()
        .starts_with("tag:bussola.example.pt,2026:alert/0710/below_target/"));
    assert_eq!(e["updated_parsed"], true);
    assert_eq!(e["tags"], json!(["Redondo", "below_target"]));
}

/// A change in the history, applied at `at` (Unix seconds) by a provider.
fn applied(service: &str, field: &str, old: Value, new: Value, at: i64) -> NewChange {
    NewChange {
        subject: Subject::Service,
        service_id: service.into(),
        field: field.into(),
        old,
        new,
        user_id: None,
        role: Some("provider".into()),
        source: "provider".into(),
        status: ChangeStatus::Applied,
        created: at,
        reverts: None,
    }
}

fn write_history(cat: &Catalog, rows: Vec<NewChange>) {
    cat.store()
        .write_edit(&EditWrite {
            new: rows,
            ..Default::default()
        })
        .unwrap();
}

#[tokio::test]
async fn past_days_are_rebuilt_from_the_history_as_computed_by_hand() {
    let (app, cat) = app();
    let noon =
        |date: &str| bussola::quality::checks::days_from_iso(date).unwrap() * 86_400 + 43_200;
    // Alandroal (184 places now) as the history tells it: its first ERPI went from 16 places
    // to 26 on 10 January; Arraiolos' third ERPI (58 places) moved there from Alandroal's seat
    // on 12 January; an ERPI of 30 places closed on 15 January; its second ERPI (28 places)
    // opened on 20 January.
    let erpi2 = cat.get("demo-0701-erpi-2").unwrap();
    let moved = cat.get("demo-0702-erpi-3").unwrap();
    write_history(
        &cat,
        vec![
            applied(
                "demo-0701-erpi-1",
                "capacity",
                json!(16),
                json!(26),
                noon("2026-01-10"),
            ),
            applied(
                "demo-0702-erpi-3",
                "position",
                json!([-7.40309, 38.70200]),
                json!([moved.lon, moved.lat]),
                noon("2026-01-12"),
            ),
            applied(
                "gone-erpi",
                "closed",
                json!({"name": "Lar Fechado", "type": "ERPI", "municipality": "0701",
                       "capacity": 30, "position": [-7.41, 38.70]}),
                Value::Null,
                noon("2026-01-15"),
            ),
            applied(
                "demo-0701-erpi-2",
                "opened",
                Value::Null,
                json!({"name": erpi2.name, "type": "ERPI", "municipality": "0701",
                       "capacity": 28, "position": [erpi2.lon, erpi2.lat]}),
                noon("2026-01-20"),
            ),
            // A phone number moves no indicator: no day of its own.
            applied(
                "demo-0701-erpi-1",
                "phone",
                json!(null),
                json!("266000000"),
                noon("2026-02-02"),
            ),
        ],
    );
    let stored = backfill::run(&cat, MARCH_1).unwrap();
    assert!(stored > 0);
    let v = series(&app, RATE, "0701").await;
    let at: Vec<&str> = v["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["at"].as_str().unwrap())
        .collect();
    assert_eq!(
        at,
        [
            "2026-01-09T23:59:59Z",
            "2026-01-10T23:59:59Z",
            "2026-01-12T23:59:59Z",
            "2026-01-15T23:59:59Z",
            "2026-01-20T23:59:59Z"
        ]
    );
    let got = points(&v);
    // By hand, places over 1,608 people aged 65+: 9 January 184 - 28 + 30 + 58 - 10 = 234;
    // 10 January 244; 12 January (the ERPI moved away) 186; 15 January (one closed) 156;
    // 20 January (one opened) 184.
    let by_hand = [
        14.552_238_805_970_148,
        15.174_129_353_233_83,
        11.567_164_179_104_477,
        9.701_492_537_313_433,
        11.442_786_069_651_742,
    ];
    for (g, want) in got.iter().zip(by_hand) {
        assert!((g.0 - want).abs() < 1e-12, "{got:?}");
        assert!(g.1, "reconstructed");
        assert_eq!(g.2, "backfill");
    }
    assert_eq!(got.len(), 5);
    let erpi = points(&series(&app, "services.ERPI", "0701").await);
    assert_eq!(
        erpi.iter().map(|p| p.0).collect::<Vec<_>>(),
        [3.0, 3.0, 2.0, 1.0, 2.0]
    );
    assert_eq!(backfill::run(&cat, MARCH_1).unwrap(), 0, "rebuilt once");

    // Once recording has begun, the days before it are the only ones rebuilt.
    record(&cat, Bucket::Daily, MARCH_1).unwrap();
    write_history(
        &cat,
        vec![applied(
            "demo-0701-erpi-1",
            "capacity",
            json!(20),
            json!(26),
            MARCH_1 + 60,
        )],
    );
    assert_eq!(backfill::run(&cat, MARCH_1 + 86_400).unwrap(), 0);
    assert_eq!(
        day_of(MARCH_1),
        bussola::quality::checks::days_from_iso("2026-03-01").unwrap()
    );
}

#[tokio::test]
async fn reference_values_come_in_by_csv_and_show_beside_the_points() {
    let (app, cat) = app();
    let admin = session(&cat, "admin@example.pt", Role::Admin, None, &[]);
    let auth = format!("Bearer {admin}");
    let h = [
        ("authorization", auth.as_str()),
        ("content-type", "text/csv"),
    ];
    let good = "date,area,indicator,value,source\n\
                2023-12-31,0705,coverage.elderly.rate,\"18,9\",Carta Social 2023\n\
                2022-12-31,0705,coverage.elderly.rate,18.4,Carta Social 2022\n";
    let (st, _, v) = send(&app, "POST", "/api/trends/import", &h, good).await;
    assert_eq!((st, v), (StatusCode::CREATED, json!({"imported": 2})));
    record(&cat, Bucket::Daily, MARCH_1).unwrap();
    let v = series(&app, RATE, "0705").await;
    assert_eq!(
        v["references"],
        json!([
            {"date": "2022-12-31", "value": 18.4, "source": "Carta Social 2022"},
            {"date": "2023-12-31", "value": 18.9, "source": "Carta Social 2023"},
        ])
    );
    let (_, v) = get(
        &app,
        "/api/trends?indicator=coverage.elderly.rate&area=0705&from=2023-01-01&to=2023-12-31",
    )
    .await;
    assert_eq!(v["references"].as_array().unwrap().len(), 1, "{v}");
    assert_eq!(v["points"], json!([]), "recorded in 2026");
    let (st, ct, csv) = get_raw(
        &app,
        "/api/trends?indicator=coverage.elderly.rate&area=0705&format=csv",
    )
    .await;
    assert_eq!(st, StatusCode::OK);
    assert!(ct.starts_with("text/csv"), "{ct}");
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "kind,at,area,indicator,value,reconstructed,source"
    );
    assert_eq!(
        lines[1],
        format!(
            "point,2026-03-01T12:00:00Z,\"0705\",coverage.elderly.rate,{},false,daily",
            2473.0 * 100.0 / 12629.0
        )
    );
    assert_eq!(
        lines[3],
        "reference,2023-12-31,\"0705\",coverage.elderly.rate,18.9,false,\"Carta Social 2023\""
    );

    let bad = "date,area,indicator,value,source\n\
               2023-12-31,9999,coverage.elderly.rate,1,X\n\
               2023-02-30,0705,places.LAR,muito,\n";
    let (st, _, v) = send(&app, "POST", "/api/trends/import", &h, bad).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let fields: Vec<&String> = v["fields"].as_object().unwrap().keys().collect();
    assert_eq!(
        fields,
        [
            "line 2, area",
            "line 3, date",
            "line 3, indicator",
            "line 3, source",
            "line 3, value"
        ]
    );
    assert_eq!(v["fields"]["line 3, value"], "'muito' is not a number");
    assert_eq!(
        cat.store().references(&Default::default()).unwrap().len(),
        2,
        "a bad file stores nothing"
    );
    let provider = session(&cat, "p@example.pt", Role::Provider, Some("x"), &[]);
    let auth = format!("Bearer {provider}");
    let h = [
        ("authorization", auth.as_str()),
        ("content-type", "text/csv"),
    ];
    assert_eq!(
        send(&app, "POST", "/api/trends/import", &h, good).await.0,
        StatusCode::FORBIDDEN
    );
    let h = [("content-type", "text/csv")];
    assert_eq!(
        send(&app, "POST", "/api/trends/import", &h, good).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn bad_questions_are_named() {
    let (app, _) = app();
    for (uri, param) in [
        ("/api/trends", "indicator"),
        ("/api/trends?indicator=coverage.pets.rate", "indicator"),
        ("/api/trends?indicator=places.NOPE", "indicator"),
        ("/api/trends?indicator=places.ERPI&area=9999", "area"),
        ("/api/trends?indicator=places.ERPI&from=2026-02-30", "from"),
        (
            "/api/trends?indicator=places.ERPI&from=2026-03-02&to=2026-03-01",
            "from",
        ),
        ("/api/trends?indicator=places.ERPI&format=xls", "format"),
        ("/api/changes/summary?from=yesterday", "from"),
        ("/api/changes/summary?municipality=9999", "municipality"),
        ("/api/changes/summary?region=nowhere", "region"),
        ("/feeds/alerts.atom?area=9999", "area"),
    ] {
        let (st, v) = get(&app, uri).await;
        assert_eq!(st, StatusCode::BAD_REQUEST, "{uri}: {v}");
        assert_eq!(v["parameter"], param, "{uri}: {v}");
    }
}

#[tokio::test]
async fn what_changed_between_two_days_per_municipality_by_role() {
    let (app, cat) = app();
    let admin = session(&cat, "admin@example.pt", Role::Admin, None, &[]);
    let erpi = cat.get("demo-0702-erpi-1").unwrap();
    let provider = session(
        &cat,
        "p@example.pt",
        Role::Provider,
        Some(&erpi.provider.id),
        &[],
    );
    // An admin: 73 places to 80. The provider: vacancies (live), and places (waiting for
    // review, so not counted).
    let patch = |who: &str, body: Value| {
        let (app, who, body) = (app.clone(), who.to_string(), body.to_string());
        async move { call(&app, "PATCH", "/api/services/demo-0702-erpi-1", &who, &body).await }
    };
    assert_eq!(
        patch(&admin, json!({"capacity": 80})).await.0,
        StatusCode::OK
    );
    assert_eq!(
        patch(&provider, json!({"vacancies": 3})).await.0,
        StatusCode::OK
    );
    assert_eq!(
        patch(&provider, json!({"capacity": 90})).await.0,
        StatusCode::ACCEPTED
    );
    // A program writes a new creche (20 places) and removes a SAD (31 places).
    let mut new = cat.get("demo-0702-erpi-2").unwrap();
    new.id = "new-creche".into();
    new.name = "Creche Nova".into();
    new.type_code = "CRECHE".into();
    new.capacity = Some(20);
    new.users = Some(0);
    cat.upsert(new).unwrap();
    cat.delete("demo-0702-sad-idosos-2").unwrap();

    let (st, v) = get(&app, "/api/changes/summary").await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let munis = v["municipalities"].as_array().unwrap();
    assert_eq!(munis.len(), 1, "{v}");
    let m = &munis[0];
    assert_eq!(
        (m["code"].as_str(), m["name"].as_str()),
        (Some("0702"), Some("Arraiolos"))
    );
    assert_eq!(m["opened"][0]["service"], "new-creche");
    assert_eq!(m["opened"][0]["type"], "CRECHE");
    assert_eq!(m["opened"][0]["by"], "data");
    assert_eq!(m["closed"][0]["service"], "demo-0702-sad-idosos-2");
    assert_eq!(m["closed"][0]["old"]["capacity"], 31);
    let changed: Vec<(&str, &Value, &Value, &str)> = m["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["field"].as_str().unwrap(),
                &c["old"],
                &c["new"],
                c["by"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        changed,
        [
            ("capacity", &json!(73), &json!(80), "admin"),
            (
                "vacancies",
                &erpi.vacancies.map_or(Value::Null, |n| json!(n)),
                &json!(3),
                "provider"
            ),
        ]
    );
    assert_eq!(m["places"], 7 + 20 - 31);
    assert_eq!(m["by"], json!({"admin": 1, "data": 2, "provider": 1}));
    assert_eq!(
        v["totals"],
        json!({"opened": 1, "closed": 1, "changed": 2, "places": -4,
               "by": {"admin": 1, "data": 2, "provider": 1}})
    );
    let today = bussola::trends::day_text(day_of(bussola::auth::now()));
    assert_eq!(
        (v["from"].clone(), v["to"].clone()),
        (
            json!(bussola::trends::day_text(day_of(bussola::auth::now()) - 29)),
            json!(today)
        )
    );
    // The same as CSV: one row per event, oldest first; an opening's and a closing's places.
    let (st, ctype, csv) = get_raw(&app, "/api/changes/summary?format=csv").await;
    assert_eq!(st, StatusCode::OK);
    assert!(ctype.starts_with("text/csv"), "{ctype}");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "at",
            "municipality",
            "municipality_name",
            "service",
            "name",
            "type",
            "change",
            "old",
            "new",
            "by"
        ]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    let got: Vec<[&str; 4]> = rows
        .iter()
        .map(|r| [r[6].as_str(), r[7].as_str(), r[8].as_str(), r[9].as_str()])
        .collect();
    assert_eq!(got.len(), 4, "{csv}");
    for want in [
        ["opened", "", "20", "data"],
        ["closed", "31", "", "data"],
        ["capacity", "73", "80", "admin"],
    ] {
        assert!(got.contains(&want), "{want:?} in {csv}");
    }
    assert!(
        rows.iter()
            .any(|r| r[3] == "new-creche" && r[6] == "opened"),
        "{csv}"
    );
    assert!(
        rows.iter().all(|r| r[1] == "0702" && r[2] == "Arraiolos"),
        "{csv}"
    );
    let ats: Vec<&String> = rows.iter().map(|r| &r[0]).collect();
    assert!(ats.windows(2).all(|w| w[0] <= w[1]), "oldest first: {csv}");
    let (st, _) = get(&app, "/api/changes/summary?format=xml").await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    let (_, past) = get(&app, "/api/changes/summary?from=2020-01-01&to=2020-12-31").await;
    assert_eq!(past["municipalities"], json!([]));
    let (_, other) = get(&app, "/api/changes/summary?municipality=0701").await;
    assert_eq!(other["totals"]["opened"], 0);
    // The closing is history, not undone by a revert.
    let closing = cat
        .store()
        .changes(&Default::default())
        .unwrap()
        .into_iter()
        .find(|c| c.change.field == "closed")
        .unwrap();
    let (st, r) = call(
        &app,
        "POST",
        &format!("/api/changes/{}/revert", closing.id),
        &admin,
        "",
    )
    .await;
    assert_eq!(st, StatusCode::CONFLICT, "{r}");
}

#[test]
fn the_command_line_imports_reference_values_and_names_each_bad_cell() {
    let dir = std::env::temp_dir().join(format!("bussola-trends-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let run = |file: &str, text: &str| {
        let path = dir.join(file);
        std::fs::write(&path, text).unwrap();
        std::process::Command::new(env!("CARGO_BIN_EXE_bussola"))
            .args(["trends", "import"])
            .arg(&path)
            .arg("--region")
            .arg(crate::common::demo_manifest())
            .arg("--database")
            .arg(dir.join("db.sqlite"))
            .output()
            .unwrap()
    };
    let bad = run(
        "bad.csv",
        "date,area,indicator,value,source\n2023-12-31,0705,coverage.elderly.rate,alto,CS\n",
    );
    assert!(!bad.status.success());
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(
        err.contains("bad.csv, line 2, field 'value': 'alto' is not a number"),
        "{err}"
    );
    let good = run(
        "good.csv",
        "date,area,indicator,value,source\n2023-12-31,0705,coverage.elderly.rate,18.9,CS\n",
    );
    let out = String::from_utf8_lossy(&good.stdout);
    assert!(
        good.status.success(),
        "{}",
        String::from_utf8_lossy(&good.stderr)
    );
    assert!(out.contains("good.csv: 1 reference values stored"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Two replicas on one PostgreSQL database record the same day and the same data version:
/// each is stored once, whichever records first.
#[test]
fn replicas_on_one_database_record_each_bucket_once() {
    let Some(db) = crate::common::postgres::Scratch::new("trends_replicas") else {
        return;
    };
    let open = || {
        let region = bussola::region::Region::load(&crate::common::demo_manifest())
            .unwrap()
            .region;
        let store = bussola::store::Database::parse(&db.url)
            .unwrap()
            .open()
            .unwrap();
        Catalog::open(region, store).unwrap()
    };
    let (a, b) = (open(), open());
    let first = record(&a, Bucket::Daily, MARCH_1).unwrap();
    assert!(first.points > 0);
    assert_eq!(record(&b, Bucket::Daily, MARCH_1 + 5).unwrap().points, 0);
    let mut s = a.get("demo-0710-erpi-2").unwrap();
    (s.capacity, s.users) = (Some(27), Some(20));
    a.upsert(s).unwrap();
    assert!(b.refresh().unwrap(), "b learns of a's write");
    assert_eq!(a.snapshot().version(), b.snapshot().version());
    let by_b = record(&b, Bucket::Change, MARCH_1 + 60).unwrap();
    let by_a = record(&a, Bucket::Change, MARCH_1 + 61).unwrap();
    assert_eq!(
        (by_b.alerts, by_a.points, by_a.alerts),
        (1, 0, 0),
        "{by_b:?} {by_a:?}"
    );
    assert_eq!(by_a.bucket, by_b.bucket);
    let rate = a
        .store()
        .points(&bussola::store::PointQuery {
            areas: vec!["0710".into()],
            indicators: vec![RATE.into()],
            ..Default::default()
        })
        .unwrap();
    let values: Vec<Option<f64>> = rate.iter().map(|p| p.value).collect();
    assert_eq!(
        values,
        [Some(227.0 * 100.0 / 1734.0), Some(207.0 * 100.0 / 1734.0)]
    );
    assert_eq!(rate[1].at, "2026-03-01T12:01:00Z", "the first to record it");
}

/// Waits (up to a minute: the machine may be busy) until `ready` says so.
async fn eventually(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !ready() {
        assert!(std::time::Instant::now() < deadline, "never: {what}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_served_recorder_records_the_day_and_a_change_once_writes_are_quiet() {
    use bussola::trends::recorder::{keep_recording, Pace};
    let (app, cat) = app();
    let admin = session(&cat, "admin@example.pt", Role::Admin, None, &[]);
    let pace = Pace {
        look: std::time::Duration::from_millis(10),
        calm: std::time::Duration::from_millis(50),
    };
    let task = tokio::spawn(keep_recording(cat.clone(), pace));
    let today = format!(
        "d{}",
        bussola::trends::day_text(day_of(bussola::auth::now()))
    );
    eventually("the day's snapshot", || {
        cat.store().has_bucket(&today).unwrap()
    })
    .await;
    let body = json!({"capacity": 27, "users": 20}).to_string();
    let (st, r) = call(
        &app,
        "PATCH",
        "/api/services/demo-0710-erpi-2",
        &admin,
        &body,
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{r}");
    let rate = || {
        cat.store()
            .points(&bussola::store::PointQuery {
                areas: vec!["0710".into()],
                indicators: vec![RATE.into()],
                ..Default::default()
            })
            .unwrap()
    };
    eventually("a point after the change", || rate().len() == 2).await;
    task.abort();
    let after = &rate()[1];
    assert_eq!(after.value, Some(207.0 * 100.0 / 1734.0));
    assert_eq!(after.source, "change");
    assert_eq!(
        after.bucket,
        format!("v{}", cat.data_version()),
        "one point for the write"
    );
}
