//! News from the regional coordinator: what admins write (checked field by field), its
//! Markdown rendered to sanitised HTML, the public view of an item, its Atom feed, and the
//! demonstration items a fresh start shows. Knows nothing of HTTP: the API's handlers
//! (`api::news`) are thin over it.
use crate::error::Refusal;
use crate::feed::{self, Entry, Feed};
use crate::model::Municipality;
use crate::region::Region;
use crate::store::{NewsDraft, NewsItem, Store};
use crate::{Error, Result};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The longest title, in characters.
pub const MAX_TITLE: usize = 200;
/// The longest text, in characters.
pub const MAX_TEXT: usize = 20_000;
/// The longest link, in characters.
pub const MAX_LINK: usize = 2_000;
/// How many items a list gives at most, and by default.
pub const MAX_LIMIT: usize = 100;
/// The default number of items in a list.
pub const DEFAULT_LIMIT: usize = 20;
/// How many items the feed carries.
pub const FEED_ITEMS: usize = 50;
/// The fields an item is written with.
pub const FIELDS: [&str; 5] = ["title", "text", "date", "municipality", "link"];

/// Markdown to HTML that is safe to show: raw HTML in the text keeps only harmless tags (no
/// scripts, frames, styles or event handlers), links keep only http, https and mailto
/// addresses and get `rel="noopener noreferrer"`.
///
/// ```
/// let html = bussola::news::render("**Olá** <script>alert(1)</script>[x](javascript:alert(1))");
/// assert!(html.contains("<strong>Olá</strong>") && !html.contains("script") && !html.contains("javascript"));
/// ```
pub fn render(markdown: &str) -> String {
    use pulldown_cmark::{html, Options, Parser};
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut raw = String::new();
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .clean(&raw)
        .to_string()
}

fn is_date(s: &str) -> bool {
    crate::quality::checks::days_from_iso(s)
        .is_some_and(|d| crate::quality::checks::iso_from_days(d) == s)
}

fn text_field(v: &Value) -> std::result::Result<String, &'static str> {
    v.as_str()
        .map(|s| s.trim().to_string())
        .ok_or("must be text")
}

/// A link to read more: http(s), with a host, without spaces, quotes or angle brackets.
fn web_link(l: String) -> std::result::Result<String, String> {
    let web = l.starts_with("https://") || l.starts_with("http://");
    let host = l.split_once("://").map_or("", |(_, r)| r);
    if !web || host.is_empty() || host.starts_with('/') {
        Err("an http(s) address".into())
    } else if l.chars().any(|c| c.is_whitespace() || c.is_control()) || l.contains(['<', '>', '"'])
    {
        Err("an address without spaces, quotes or angle brackets".into())
    } else if l.chars().count() > MAX_LINK {
        Err(format!("at most {MAX_LINK} characters"))
    } else {
        Ok(l)
    }
}

/// Checks a body of fields against what is there (`None` for a new item, whose `title` and
/// `text` are required and whose `date` defaults to `today`); the draft to store, or every bad
/// field named ([`Error::InvalidFields`]). Unknown fields are refused; `municipality` and `link`
/// are cleared with `null`.
pub fn draft(
    fields: &Map<String, Value>,
    existing: Option<&NewsDraft>,
    region: &Region,
    today: &str,
) -> Result<NewsDraft> {
    let mut bad = BTreeMap::new();
    let mut d = existing.cloned().unwrap_or(NewsDraft {
        title: String::new(),
        text: String::new(),
        date: today.to_string(),
        municipality: None,
        link: None,
        demo: false,
    });
    for k in fields.keys().filter(|k| !FIELDS.contains(&k.as_str())) {
        bad.insert(
            k.clone(),
            format!("unknown field; expected one of {}", FIELDS.join(", ")),
        );
    }
    if existing.is_none() {
        for k in ["title", "text"] {
            if !fields.contains_key(k) {
                bad.insert(k.to_string(), "is required".into());
            }
        }
    }
    let mut check = |k: &str, r: std::result::Result<(), String>| {
        if let Err(e) = r {
            bad.insert(k.to_string(), e);
        }
    };
    // Title and text: not empty, not too long; the title on one line.
    let sized = |v: &Value, max: usize, one_line: bool| {
        text_field(v).map_err(String::from).and_then(|t| {
            if t.is_empty() {
                Err("must not be empty".to_string())
            } else if t.chars().count() > max {
                Err(format!("at most {max} characters"))
            } else if one_line && t.chars().any(char::is_control) {
                Err("plain text on one line".into())
            } else {
                Ok(t)
            }
        })
    };
    if let Some(v) = fields.get("title") {
        check("title", sized(v, MAX_TITLE, true).map(|t| d.title = t));
    }
    if let Some(v) = fields.get("text") {
        check("text", sized(v, MAX_TEXT, false).map(|t| d.text = t));
    }
    if let Some(v) = fields.get("date") {
        check(
            "date",
            text_field(v).map_err(String::from).and_then(|t| {
                if is_date(&t) {
                    d.date = t;
                    Ok(())
                } else {
                    Err(format!("'{t}' is not a date YYYY-MM-DD"))
                }
            }),
        );
    }
    // The fields `null` clears: their value, or what is wrong with it.
    let optional = |v: &Value, ok: &dyn Fn(String) -> std::result::Result<String, String>| match v {
        Value::Null => Ok(None),
        v => text_field(v).map_err(String::from).and_then(ok).map(Some),
    };
    if let Some(v) = fields.get("municipality") {
        let known = |c: String| match region.municipality(&c) {
            Some(_) => Ok(c),
            None => Err(format!("'{c}' is not a municipality code of this region")),
        };
        check(
            "municipality",
            optional(v, &known).map(|m| d.municipality = m),
        );
    }
    if let Some(v) = fields.get("link") {
        check("link", optional(v, &web_link).map(|l| d.link = l));
    }
    if bad.is_empty() {
        Ok(d)
    } else {
        Err(Error::InvalidFields(bad))
    }
}

/// Refuses anyone but an admin.
pub fn admin_only(user: &crate::account::User) -> Result<()> {
    if user.role == crate::account::Role::Admin {
        Ok(())
    } else {
        Err(Error::refused(
            Refusal::Forbidden,
            "only an admin may write news",
        ))
    }
}

fn municipality_name<'a>(region: &'a Region, item: &NewsItem) -> Option<&'a str> {
    item.draft
        .municipality
        .as_deref()
        .and_then(|c| region.municipality(c))
        .map(|m| m.name.as_str())
}

/// The public view of an item: never its author.
pub fn view(item: &NewsItem, region: &Region) -> Value {
    let d = &item.draft;
    json!({
        "id": item.id,
        "title": d.title,
        "date": d.date,
        "municipality": d.municipality,
        "municipality_name": municipality_name(region, item),
        "link": d.link,
        "text": d.text,
        "html": render(&d.text),
        "updated": feed::rfc3339(item.updated),
        "demo": d.demo,
    })
}

/// One item, or not found.
pub fn one(store: &dyn Store, id: &str) -> Result<NewsItem> {
    let not_found = || Error::NotFound {
        what: "news item",
        id: id.to_string(),
    };
    let n: i64 = id.parse().map_err(|_| not_found())?;
    store.news_item(n)?.ok_or_else(not_found)
}

/// The news feed, links and ids from the public base URL (`https://host`).
pub fn atom(items: &[NewsItem], region: &Region, base: &str) -> Result<String> {
    let self_link = format!("{base}/feeds/news.atom");
    let updated = items.iter().map(|i| i.updated).max().unwrap_or(0);
    let entries = items
        .iter()
        .map(|i| Entry {
            id: feed::tag_uri(
                base,
                &feed::rfc3339(i.created)[..10],
                &format!("news/{}", i.id),
            ),
            title: if i.draft.demo {
                format!("{} (exemplo)", i.draft.title)
            } else {
                i.draft.title.clone()
            },
            updated: feed::rfc3339(i.updated),
            published: Some(i.draft.date.clone()),
            summary: None,
            content_html: Some(render(&i.draft.text)),
            link: Some(format!("{base}/api/news/{}", i.id)),
            categories: municipality_name(region, i)
                .map(str::to_string)
                .into_iter()
                .collect(),
        })
        .collect();
    feed::to_atom(&Feed {
        id: self_link.clone(),
        title: format!("Bússola — {}: notícias", region.name),
        subtitle: Some(format!(
            "Notícias da coordenação regional para quem trabalha na ação social ({})",
            region.name
        )),
        author: format!("Bússola — {}", region.name),
        updated: feed::rfc3339(updated),
        self_link,
        alternate_link: Some(format!("{base}/")),
        entries,
    })
}

/// The demonstration items a fresh start shows (`demo`), the second about `first`
/// municipality, dated `today`.
pub fn demo_items(first: Option<&Municipality>, today: &str) -> Vec<NewsDraft> {
    let mut out = vec![NewsDraft {
        title: "Exemplo: a secção para profissionais".into(),
        text: "**Isto é um exemplo** (`demo`), não uma notícia verdadeira.\n\nAqui a coordenação regional publica notícias para quem trabalha na ação social: formação, encontros da rede social, mudanças nas respostas sociais. Cada notícia pode ser de um concelho ou de toda a região, e chega também pelo feed Atom `/feeds/news.atom`.\n\n*An example, not real news: the regional coordinator's news for people who work in social care.*".into(),
        date: today.into(),
        municipality: None,
        link: None,
        demo: true,
    }];
    if let Some(m) = first {
        out.push(NewsDraft {
            title: format!("Exemplo: encontro da rede social de {}", m.name),
            text: format!("**Exemplo inventado** (`demo`).\n\nUma notícia de um só concelho ({}): aparece a quem escolhe esse concelho e a quem vê toda a região.\n\n*An invented example of news about one municipality.*", m.name),
            date: today.into(),
            municipality: Some(m.code.clone()),
            link: None,
            demo: true,
        });
    }
    out
}

/// Stores the demonstration items in a store that has never held news and was never seeded
/// (a fresh start); how many.
pub fn seed_demo(store: &dyn Store, region: &Region, fresh: bool, now: i64) -> Result<usize> {
    if !fresh || store.news_count()? > 0 {
        return Ok(0);
    }
    let today = feed::rfc3339(now)[..10].to_string();
    let items = demo_items(region.municipalities.first(), &today);
    for d in &items {
        store.add_news(d, None, now)?;
    }
    Ok(items.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendering_keeps_markdown_and_removes_what_could_run() {
        let html = render(
            "# T\n\n*a* [ok](https://example.org) <img src=x onerror=alert(1)> \
             <iframe src=\"https://evil.example\"></iframe> [bad](javascript:alert(1)) \
             <a href=\"javascript:alert(2)\" onclick=\"x()\">y</a>\n\n<script>alert(3)</script>\n\n<style>p{}</style>",
        );
        assert!(
            html.contains("<h1>T</h1>") && html.contains("<em>a</em>"),
            "{html}"
        );
        assert!(
            html.contains(r#"<a href="https://example.org" rel="noopener noreferrer">ok</a>"#),
            "{html}"
        );
        for gone in [
            "<script",
            "alert(3)",
            "onerror",
            "onclick",
            "javascript:",
            "<iframe",
            "<style",
        ] {
            assert!(!html.contains(gone), "{gone} survived: {html}");
        }
    }

    #[test]
    fn dates_are_real_days() {
        assert!(is_date("2024-02-29") && is_date("2026-12-07"));
        assert!(!is_date("2026-02-30") && !is_date("2026-1-07") && !is_date("today"));
    }
}
