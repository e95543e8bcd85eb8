//! News from the regional coordinator (issue #16): the public list and items, the admins'
//! writes (401, 403, 422 per field), sanitised Markdown, the Atom feed read by Python's
//! feedparser (`bash .ci/feeds.sh` installs it in `target/feed-venv`), and news kept across a
//! restart.
use crate::common::accounts::{call, session};
use crate::common::{app, demo_manifest, get, get_raw, send};
use axum::http::StatusCode;
use bussola::auth::Role;
use serde_json::{json, Value};

fn ids(v: &Value) -> Vec<i64> {
    v["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect()
}

#[tokio::test]
async fn a_fresh_start_shows_demonstration_news() {
    let (app, _) = app();
    let (st, v) = get(&app, "/api/news").await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let items = v["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{v}");
    for i in items {
        assert_eq!(i["demo"], true, "{i}");
        assert!(i["title"].as_str().unwrap().starts_with("Exemplo"), "{i}");
        for k in [
            "id",
            "title",
            "date",
            "municipality",
            "municipality_name",
            "link",
            "text",
            "html",
            "updated",
        ] {
            assert!(i.get(k).is_some(), "{k} missing: {i}");
        }
        assert!(i.get("author").is_none(), "{i}");
    }
    // Same date: the higher id first.
    assert_eq!(ids(&v), [2, 1]);
    assert_eq!(items[0]["municipality"], "0701");
    assert_eq!(items[0]["municipality_name"], "Alandroal");
    let (st, one) = get(&app, "/api/news/1").await;
    assert_eq!(st, StatusCode::OK);
    assert!(one["html"].as_str().unwrap().contains("<strong>"), "{one}");
}

#[tokio::test]
async fn admins_write_news_and_others_are_refused() {
    let (app, cat) = app();
    let admin = session(&cat, "admin@example.pt", Role::Admin, None, &[]);
    let moderator = session(&cat, "mod@example.pt", Role::Moderator, None, &["0705"]);
    let body = json!({"title": "Formação em geriatria", "text": "Inscrições **abertas**.", "date": "2026-11-30", "municipality": "0705", "link": "https://www.iefp.pt/"}).to_string();

    let (st, _, v) = send(&app, "POST", "/api/news", &[], &body).await;
    assert_eq!(st, StatusCode::UNAUTHORIZED, "{v}");
    assert!(v["error"].is_string());
    let (st, v) = call(&app, "POST", "/api/news", &moderator, &body).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
    // The session cookie without the CSRF header is refused too.
    let cookie = format!("bussola_session={admin}");
    let (st, _, _) = send(&app, "POST", "/api/news", &[("cookie", &cookie)], &body).await;
    assert_eq!(st, StatusCode::FORBIDDEN);

    let (st, made) = call(&app, "POST", "/api/news", &admin, &body).await;
    assert_eq!(st, StatusCode::CREATED, "{made}");
    let id = made["id"].as_i64().unwrap();
    assert_eq!(made["municipality_name"], "Évora");
    assert_eq!(made["demo"], false);
    assert_eq!(
        made["html"],
        "<p>Inscrições <strong>abertas</strong>.</p>\n"
    );
    assert!(made.get("author").is_none());

    // Newest date first: the demonstration items are dated today, this one earlier.
    let (_, list) = get(&app, "/api/news").await;
    assert_eq!(ids(&list), [2, 1, id]);
    // A municipality's news and the region's; not another municipality's.
    let (_, evora) = get(&app, "/api/news?municipality=0705").await;
    assert_eq!(ids(&evora), [1, id]);
    let (_, one) = get(&app, "/api/news?limit=1").await;
    assert_eq!(ids(&one), [2]);

    // A default date is today; a later date comes first.
    let later = json!({"title": "Depois", "text": "x", "date": "2999-01-01"}).to_string();
    let (st, l) = call(&app, "POST", "/api/news", &admin, &later).await;
    assert_eq!(st, StatusCode::CREATED, "{l}");
    let (_, list) = get(&app, "/api/news").await;
    assert_eq!(ids(&list)[0], l["id"].as_i64().unwrap());
    let plain = json!({"title": "Hoje", "text": "x"}).to_string();
    let (_, p) = call(&app, "POST", "/api/news", &admin, &plain).await;
    assert_eq!(
        p["date"],
        bussola::feed::rfc3339(bussola::auth::now())[..10]
    );

    // PATCH changes what is sent; null clears.
    let uri = format!("/api/news/{id}");
    let (st, v) = call(&app, "PATCH", &uri, &moderator, r#"{"title":"x"}"#).await;
    assert_eq!(st, StatusCode::FORBIDDEN, "{v}");
    let (st, v) = call(
        &app,
        "PATCH",
        &uri,
        &admin,
        r#"{"title":"Formação adiada","municipality":null}"#,
    )
    .await;
    assert_eq!(st, StatusCode::OK, "{v}");
    assert_eq!(v["title"], "Formação adiada");
    assert_eq!(v["municipality"], Value::Null);
    assert_eq!(v["text"], "Inscrições **abertas**.");
    let (st, _) = call(&app, "PATCH", "/api/news/9999", &admin, r#"{"title":"x"}"#).await;
    assert_eq!(st, StatusCode::NOT_FOUND);

    // DELETE: admins only, then gone.
    let (st, _) = call(&app, "DELETE", &uri, &moderator, "").await;
    assert_eq!(st, StatusCode::FORBIDDEN);
    let (st, v) = call(&app, "DELETE", &uri, &admin, "").await;
    assert_eq!(st, StatusCode::OK, "{v}");
    let (st, v) = get(&app, &uri).await;
    assert_eq!(st, StatusCode::NOT_FOUND, "{v}");
    let (st, _) = call(&app, "DELETE", &uri, &admin, "").await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    let (st, _) = get(&app, "/api/news/abc").await;
    assert_eq!(st, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_fields_are_named_and_nothing_is_stored() {
    let (app, cat) = app();
    let admin = session(&cat, "admin@example.pt", Role::Admin, None, &[]);
    let long = "a".repeat(201);
    let huge = "a".repeat(20_001);
    for (body, field) in [
        (json!({"text": "x"}), "title"),
        (json!({"title": "t"}), "text"),
        (json!({"title": long, "text": "x"}), "title"),
        (json!({"title": "a\nb", "text": "x"}), "title"),
        (json!({"title": "t", "text": huge}), "text"),
        (json!({"title": "t", "text": "  "}), "text"),
        (
            json!({"title": "t", "text": "x", "date": "2026-02-30"}),
            "date",
        ),
        (
            json!({"title": "t", "text": "x", "municipality": "9999"}),
            "municipality",
        ),
        (
            json!({"title": "t", "text": "x", "link": "javascript:alert(1)"}),
            "link",
        ),
        (
            json!({"title": "t", "text": "x", "link": "https://"}),
            "link",
        ),
        (json!({"title": "t", "text": "x", "demo": true}), "demo"),
        (json!({"title": 3, "text": "x"}), "title"),
    ] {
        let (st, v) = call(&app, "POST", "/api/news", &admin, &body.to_string()).await;
        assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {v}");
        assert!(v["fields"][field].is_string(), "{field}: {v}");
    }
    // Every bad field at once.
    let all =
        json!({"title": "", "text": "", "date": "x", "municipality": "x", "link": "x", "y": 1});
    let (_, v) = call(&app, "POST", "/api/news", &admin, &all.to_string()).await;
    let named: Vec<&String> = v["fields"].as_object().unwrap().keys().collect();
    assert_eq!(
        named,
        ["date", "link", "municipality", "text", "title", "y"],
        "{v}"
    );
    // Not JSON: a 400 naming the body.
    let (st, v) = call(&app, "POST", "/api/news", &admin, "[1").await;
    assert_eq!(st, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["parameter"], "body");
    let (st, v) = call(&app, "PATCH", "/api/news/1", &admin, r#"{"date":null}"#).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (_, list) = get(&app, "/api/news").await;
    assert_eq!(ids(&list), [2, 1], "nothing stored");
    for (uri, param) in [
        ("/api/news?municipality=9999", "municipality"),
        ("/api/news?limit=0", "limit"),
        ("/api/news?limit=101", "limit"),
        ("/api/news?limit=x", "limit"),
        ("/api/news?x=1", "x"),
        ("/api/news/1?x=1", "x"),
        ("/feeds/news.atom?x=1", "x"),
    ] {
        let (st, v) = get(&app, uri).await;
        assert_eq!(st, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(v["parameter"], param, "{uri}: {v}");
    }
}

#[tokio::test]
async fn markdown_is_rendered_and_what_could_run_is_removed() {
    let (app, cat) = app();
    let admin = session(&cat, "admin@example.pt", Role::Admin, None, &[]);
    let text = "Leia [aqui](https://example.org/a).\n\n<script>alert(1)</script>\n\n\
                <img src=x onerror=\"alert(2)\"> [mau](javascript:alert(3)) \
                <iframe src=\"https://evil.example\"></iframe> <a href=\"#\" onclick=\"alert(4)\">c</a>";
    let body = json!({"title": "<b>Título</b>", "text": text}).to_string();
    let (st, v) = call(&app, "POST", "/api/news", &admin, &body).await;
    assert_eq!(st, StatusCode::CREATED, "{v}");
    let html = v["html"].as_str().unwrap();
    assert!(
        html.contains(r#"<a href="https://example.org/a" rel="noopener noreferrer">aqui</a>"#),
        "{html}"
    );
    for gone in [
        "<script",
        "alert(1)",
        "onerror",
        "javascript:",
        "<iframe",
        "onclick",
    ] {
        assert!(!html.contains(gone), "{gone}: {html}");
    }
    // The Markdown and the title come back as written (plain text: the page escapes them).
    assert_eq!(v["text"], text);
    assert_eq!(v["title"], "<b>Título</b>");
}

const PARSE: &str = r#"
import feedparser, json, sys
d = feedparser.parse(sys.stdin.buffer.read())
print(json.dumps({
    "bozo": bool(d.bozo), "error": str(d.get("bozo_exception", "")), "version": d.version,
    "title": d.feed.get("title"), "id": d.feed.get("id"),
    "links": [[l.get("rel"), l.get("href")] for l in d.feed.get("links", [])],
    "entries": [{"title": e.get("title"), "link": e.get("link"), "id": e.get("id"),
                 "updated": e.get("updated"), "updated_parsed": e.get("updated_parsed") is not None,
                 "content": (e.get("content") or [{}])[0].get("value"),
                 "tags": [t.get("term") for t in e.get("tags", [])]} for e in d.entries],
}))
"#;

#[tokio::test]
async fn the_feed_reads_in_feedparser() {
    let (app, cat) = app();
    let admin = session(&cat, "admin@example.pt", Role::Admin, None, &[]);
    let body = json!({"title": "Vagas & <formação>", "text": "Texto <script>x()</script> **forte**", "municipality": "0705", "date": "2026-12-01"}).to_string();
    let (st, _) = call(&app, "POST", "/api/news", &admin, &body).await;
    assert_eq!(st, StatusCode::CREATED);
    let (st, headers, xml) = crate::common::get_with(
        &app,
        "/feeds/news.atom",
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
    assert!(xml.contains("<id>tag:bussola.example.pt,"), "{xml}");
    assert!(!xml.contains("<script"), "{xml}");
    let (_, ct, _) = get_raw(&app, "/feeds/news.atom").await;
    assert!(ct.starts_with("application/atom+xml"), "{ct}");

    let Some(py) = crate::common::feed_venv("feedparser") else {
        return;
    };
    let f = crate::common::python_json(&py, PARSE, xml.as_bytes());
    assert_eq!(f["bozo"], false, "{f}");
    assert_eq!(f["version"], "atom10", "{f}");
    assert_eq!(f["id"], "https://bussola.example.pt/feeds/news.atom");
    assert!(
        f["links"].as_array().unwrap().contains(&json!([
            "self",
            "https://bussola.example.pt/feeds/news.atom"
        ])),
        "{f}"
    );
    let entries = f["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 3, "{f}");
    let mut seen = std::collections::HashSet::new();
    for e in entries {
        assert!(!e["title"].as_str().unwrap().is_empty(), "{e}");
        let link = e["link"].as_str().unwrap();
        assert!(
            link.starts_with("https://bussola.example.pt/api/news/"),
            "{e}"
        );
        let id = e["id"].as_str().unwrap();
        assert!(id.starts_with("tag:bussola.example.pt,"), "{e}");
        assert!(seen.insert(id.to_string()), "ids are unique: {id}");
        assert!(
            e["updated"].is_string() && e["updated_parsed"] == true,
            "{e}"
        );
    }
    // Newest first: the demonstration items (today), then the one dated 2026-12-01.
    let mine = &entries[2];
    assert_eq!(mine["title"], "Vagas & <formação>");
    assert_eq!(mine["tags"], json!(["Évora"]));
    let content = mine["content"].as_str().unwrap();
    assert!(
        content.contains("<strong>forte</strong>") && !content.contains("script"),
        "{content}"
    );
    assert!(entries[0]["title"].as_str().unwrap().ends_with("(exemplo)"));
}

#[tokio::test]
async fn news_is_kept_across_a_restart_and_demonstration_items_come_once() {
    let dir = std::env::temp_dir().join(format!("bussola-news-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("news.sqlite");
    let open = || {
        let loaded = bussola::region::Region::load(&demo_manifest()).unwrap();
        let store = bussola::store::SqliteStore::open(&db).unwrap();
        let cat = std::sync::Arc::new(
            bussola::catalog::Catalog::open(loaded.region, Box::new(store)).unwrap(),
        );
        (crate::common::behind_proxy(cat.clone()), cat)
    };
    let id = {
        let (app, cat) = open();
        let admin = session(&cat, "admin@example.pt", Role::Admin, None, &[]);
        let body = json!({"title": "Fica", "text": "guardada", "date": "2026-01-02"}).to_string();
        let (st, v) = call(&app, "POST", "/api/news", &admin, &body).await;
        assert_eq!(st, StatusCode::CREATED, "{v}");
        let (st, _) = call(&app, "DELETE", "/api/news/1", &admin, "").await;
        assert_eq!(st, StatusCode::OK);
        v["id"].as_i64().unwrap()
    };
    let (app, _) = open();
    let (_, list) = get(&app, "/api/news").await;
    assert_eq!(
        ids(&list),
        [2, id],
        "kept, and the deleted demonstration item not seeded again"
    );
    let (st, v) = get(&app, &format!("/api/news/{id}")).await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["text"], "guardada");
    let _ = std::fs::remove_dir_all(&dir);
}
