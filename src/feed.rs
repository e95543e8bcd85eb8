//! Atom feeds (RFC 4287), for any list of dated items: news today (`/feeds/news.atom`), training
//! offers next. The caller builds a [`Feed`] of plain values, with absolute links from the
//! public base URL and stable entry ids ([`tag_uri`] or an absolute URL), and [`to_atom`] writes
//! the document. Timestamps are RFC 3339 text (`2026-12-07T10:00:00Z`) or a bare date
//! (`2026-12-07`, taken as midnight UTC); [`rfc3339`] turns Unix seconds into one.
use crate::{Error, Result};
use atom_syndication as atom;

/// The media type feeds are served with.
pub const CONTENT_TYPE: &str = "application/atom+xml; charset=utf-8";

/// A whole feed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Feed {
    /// The feed's permanent id: an absolute URL or a `tag:` URI that never changes.
    pub id: String,
    /// Its title (plain text).
    pub title: String,
    /// A line under the title (plain text).
    pub subtitle: Option<String>,
    /// Who publishes it (Atom needs an author; each entry inherits it).
    pub author: String,
    /// When anything in it last changed (RFC 3339 or a date).
    pub updated: String,
    /// The feed's own absolute URL (`rel="self"`).
    pub self_link: String,
    /// The page that shows the same items (`rel="alternate"`), if any.
    pub alternate_link: Option<String>,
    /// The entries, in the order to show them (newest first).
    pub entries: Vec<Entry>,
}

/// One item of a feed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Entry {
    /// The entry's permanent id: an absolute URL or a `tag:` URI that never changes.
    pub id: String,
    /// Its title (plain text).
    pub title: String,
    /// When it last changed (RFC 3339 or a date).
    pub updated: String,
    /// When it was first published (RFC 3339 or a date).
    pub published: Option<String>,
    /// A short plain-text summary.
    pub summary: Option<String>,
    /// The whole text as HTML; it must already be sanitised.
    pub content_html: Option<String>,
    /// The absolute URL of the item (`rel="alternate"`).
    pub link: Option<String>,
    /// Category terms (a municipality's name, a kind of offer).
    pub categories: Vec<String>,
}

/// A `tag:` URI (RFC 4151): `tag:AUTHORITY,DATE:SPECIFIC`, stable as long as its parts are.
///
/// ```
/// assert_eq!(
///     bussola::feed::tag_uri("https://bussola.example.pt:8443/", "2026", "news/7"),
///     "tag:bussola.example.pt,2026:news/7"
/// );
/// ```
pub fn tag_uri(base: &str, date: &str, specific: &str) -> String {
    let host = base
        .split_once("://")
        .map_or(base, |(_, rest)| rest)
        .split(['/', ':'])
        .next()
        .unwrap_or("localhost");
    let host = if host.is_empty() { "localhost" } else { host };
    format!("tag:{host},{date}:{specific}")
}

/// Unix seconds as RFC 3339 in UTC (`2026-12-07T10:00:00Z`).
///
/// ```
/// assert_eq!(bussola::feed::rfc3339(0), "1970-01-01T00:00:00Z");
/// ```
pub fn rfc3339(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

fn time(what: &str, s: &str) -> Result<atom::FixedDateTime> {
    let full = if s.len() == 10 {
        format!("{s}T00:00:00Z")
    } else {
        s.to_string()
    };
    atom::FixedDateTime::parse_from_rfc3339(&full)
        .map_err(|e| Error::Internal(format!("feed: {what} '{s}' is not RFC 3339: {e}")))
}

fn link(href: &str, rel: &str, mime: Option<&str>) -> atom::Link {
    atom::Link {
        href: href.to_string(),
        rel: rel.to_string(),
        mime_type: mime.map(str::to_string),
        ..Default::default()
    }
}

fn entry(e: &Entry) -> Result<atom::Entry> {
    Ok(atom::Entry {
        title: atom::Text::plain(&e.title),
        id: e.id.clone(),
        updated: time("entry updated", &e.updated)?,
        published: e
            .published
            .as_deref()
            .map(|p| time("entry published", p))
            .transpose()?,
        summary: e.summary.as_deref().map(atom::Text::plain),
        content: e.content_html.as_ref().map(|html| atom::Content {
            value: Some(html.clone()),
            content_type: Some("html".into()),
            ..Default::default()
        }),
        links: e
            .link
            .iter()
            .map(|l| link(l, "alternate", Some("text/html")))
            .collect(),
        categories: e
            .categories
            .iter()
            .map(|c| atom::Category {
                term: c.clone(),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    })
}

/// The feed as an Atom document (UTF-8 XML). An entry or feed timestamp that is not RFC 3339
/// (nor a bare date) is an internal error: callers build them.
pub fn to_atom(feed: &Feed) -> Result<String> {
    let mut links = vec![link(&feed.self_link, "self", Some("application/atom+xml"))];
    links.extend(
        feed.alternate_link
            .iter()
            .map(|l| link(l, "alternate", Some("text/html"))),
    );
    let doc = atom::Feed {
        title: atom::Text::plain(&feed.title),
        id: feed.id.clone(),
        updated: time("feed updated", &feed.updated)?,
        authors: vec![atom::Person {
            name: feed.author.clone(),
            ..Default::default()
        }],
        subtitle: feed.subtitle.as_deref().map(atom::Text::plain),
        links,
        entries: feed.entries.iter().map(entry).collect::<Result<_>>()?,
        ..Default::default()
    };
    let out = doc
        .write_to(Vec::new())
        .map_err(|e| Error::Internal(format!("feed: {e}")))?;
    String::from_utf8(out).map_err(|e| Error::Internal(format!("feed: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Feed {
        Feed {
            id: "https://example.org/feeds/news.atom".into(),
            title: "News & notes".into(),
            subtitle: Some("From <the> coordinator".into()),
            author: "Bússola".into(),
            updated: "2026-12-07T10:00:00Z".into(),
            self_link: "https://example.org/feeds/news.atom".into(),
            alternate_link: Some("https://example.org/".into()),
            entries: vec![Entry {
                id: tag_uri("https://example.org", "2026", "news/1"),
                title: "Vagas & <formação>".into(),
                updated: "2026-12-07T10:00:00Z".into(),
                published: Some("2026-12-06".into()),
                summary: Some("Short".into()),
                content_html: Some("<p>Olá <em>mundo</em></p>".into()),
                link: Some("https://example.org/api/news/1".into()),
                categories: vec!["Évora".into()],
            }],
        }
    }

    #[test]
    fn a_feed_reads_back_with_every_field() {
        let xml = to_atom(&sample()).unwrap();
        assert!(xml.contains("http://www.w3.org/2005/Atom"), "{xml}");
        let back = atom::Feed::read_from(xml.as_bytes()).unwrap();
        assert_eq!(back.title.value, "News & notes");
        assert_eq!(back.authors[0].name, "Bússola");
        assert_eq!(back.links[0].rel, "self");
        let e = &back.entries[0];
        assert_eq!(e.id, "tag:example.org,2026:news/1");
        assert_eq!(e.title.value, "Vagas & <formação>");
        assert_eq!(e.links[0].href, "https://example.org/api/news/1");
        assert_eq!(
            e.published.unwrap().to_rfc3339(),
            "2026-12-06T00:00:00+00:00"
        );
        let content = e.content.as_ref().unwrap();
        assert_eq!(content.content_type.as_deref(), Some("html"));
        assert_eq!(content.value.as_deref(), Some("<p>Olá <em>mundo</em></p>"));
        assert_eq!(e.categories[0].term, "Évora");
        // Markup in text is escaped, never raw.
        assert!(!xml.contains("<formação>"), "{xml}");
    }

    #[test]
    fn a_bad_timestamp_is_an_error_not_a_panic() {
        let mut f = sample();
        f.entries[0].updated = "yesterday".into();
        assert!(to_atom(&f).unwrap_err().to_string().contains("yesterday"));
    }

    #[test]
    fn tag_uris_and_times() {
        assert_eq!(
            tag_uri("http://127.0.0.1:8080", "2026", "x"),
            "tag:127.0.0.1,2026:x"
        );
        assert_eq!(rfc3339(1_796_601_600), "2026-12-07T00:00:00Z");
    }
}
