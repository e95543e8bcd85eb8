//! The HTML pages of the OGC API (`f=html`, or a browser's `Accept`): the JSON documents as
//! plain pages, every text escaped, no script.
use serde_json::Value;

/// Escapes text for HTML (the quality page's escaping).
pub use crate::quality::report::escape;

fn page(title: &str, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{t}</title><style>body{{font-family:system-ui,sans-serif;margin:1.5rem;max-width:70rem}}\
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}}\
code{{font-size:.9em}}</style></head><body>\n<h1>{t}</h1>\n{body}\n</body></html>\n",
        t = escape(title)
    )
}

fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The links of a document as a list (HTML pages for links that have them).
fn links(v: &Value) -> String {
    let items: String = v["links"]
        .as_array()
        .map(|a| a.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|l| {
            format!(
                "<li><a href=\"{}\">{}</a> <small>({}, {})</small></li>\n",
                escape(&text(&l["href"])),
                escape(&text(&l["title"])),
                escape(&text(&l["rel"])),
                escape(&text(&l["type"])),
            )
        })
        .collect();
    format!("<h2>Links</h2><ul>\n{items}</ul>")
}

/// The landing page.
pub fn landing(v: &Value) -> String {
    page(
        &text(&v["title"]),
        &format!(
            "<p>{}</p><p><small>{}</small></p>{}",
            escape(&text(&v["description"])),
            escape(&text(&v["attribution"])),
            links(v)
        ),
    )
}

/// The conformance declaration.
pub fn conformance(v: &Value) -> String {
    let items: String = v["conformsTo"]
        .as_array()
        .map(|a| a.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|c| format!("<li><code>{}</code></li>\n", escape(&text(c))))
        .collect();
    page("Conformance", &format!("<ul>\n{items}</ul>"))
}

fn collection_body(c: &Value) -> String {
    let bbox = text(&c["extent"]["spatial"]["bbox"][0]);
    let interval = text(&c["extent"]["temporal"]["interval"][0]);
    format!(
        "<p>{}</p><table><tr><th>id</th><td><code>{}</code></td></tr>\
<tr><th>extent (CRS84)</th><td>{}</td></tr><tr><th>temporal extent</th><td>{}</td></tr>\
<tr><th>CRS</th><td>{}</td></tr></table>",
        escape(&text(&c["description"])),
        escape(&text(&c["id"])),
        escape(&bbox),
        escape(&interval),
        escape(&text(&c["crs"])),
    )
}

/// The collections.
pub fn collections(v: &Value) -> String {
    let body: String = v["collections"]
        .as_array()
        .map(|a| a.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|c| {
            let href = c["links"]
                .as_array()
                .and_then(|l| l.iter().find(|l| l["rel"] == "alternate"))
                .map(|l| text(&l["href"]))
                .unwrap_or_default();
            format!(
                "<h2><a href=\"{}\">{}</a></h2>{}",
                escape(&href),
                escape(&text(&c["title"])),
                collection_body(c)
            )
        })
        .collect();
    page("Collections", &format!("{body}{}", links(v)))
}

/// One collection.
pub fn collection(v: &Value) -> String {
    page(
        &text(&v["title"]),
        &format!("{}{}", collection_body(v), links(v)),
    )
}

/// The properties shown in the items table: scalars, and `name` of objects.
fn cell(v: &Value) -> String {
    match v {
        Value::Object(o) => o.get("name").map(text).unwrap_or_else(|| v.to_string()),
        other => text(other),
    }
}

/// A page of items, as a table of their properties.
pub fn items(v: &Value, title: &str) -> String {
    let features = v["features"]
        .as_array()
        .map(|a| a.as_slice())
        .unwrap_or_default();
    let keys: Vec<String> = features
        .first()
        .and_then(|f| f["properties"].as_object())
        .map(|p| {
            p.iter()
                .filter(|(_, v)| !v.is_array())
                .map(|(k, _)| k.clone())
                .take(12)
                .collect()
        })
        .unwrap_or_default();
    let head: String = keys
        .iter()
        .map(|k| format!("<th>{}</th>", escape(k)))
        .collect();
    let rows: String = features
        .iter()
        .map(|f| {
            let id = text(&f["id"]);
            let cells: String = keys
                .iter()
                .map(|k| format!("<td>{}</td>", escape(&cell(&f["properties"][k]))))
                .collect();
            format!(
                "<tr><td><a href=\"items/{}?f=html\">{}</a></td>{cells}</tr>\n",
                escape(&super::query::encode_segment(&id)),
                escape(&id)
            )
        })
        .collect();
    let nav: String = v["links"]
        .as_array()
        .map(|a| a.as_slice())
        .unwrap_or_default()
        .iter()
        .filter(|l| l["rel"] == "next" || l["rel"] == "prev")
        .map(|l| {
            let href = text(&l["href"]).replace("f=json", "f=html");
            format!(
                "<a href=\"{}\">{}</a> ",
                escape(&href),
                escape(&text(&l["rel"]))
            )
        })
        .collect();
    page(
        title,
        &format!(
            "<p>{} of {} features. {nav}</p><table><tr><th>id</th>{head}</tr>\n{rows}</table>{}",
            text(&v["numberReturned"]),
            text(&v["numberMatched"]),
            links(v)
        ),
    )
}

/// One feature, as a table of its properties.
pub fn item(v: &Value) -> String {
    let rows: String = v["properties"]
        .as_object()
        .map(|p| {
            p.iter()
                .map(|(k, v)| {
                    format!(
                        "<tr><th>{}</th><td>{}</td></tr>\n",
                        escape(k),
                        escape(&text(v))
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let geometry = text(&v["geometry"]);
    let short: String = geometry.chars().take(200).collect();
    page(
        &format!("Feature {}", text(&v["id"])),
        &format!(
            "<table>\n{rows}<tr><th>geometry</th><td><code>{}</code></td></tr></table>{}",
            escape(&short),
            links(v)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn text_from_the_data_is_escaped() {
        let v = json!({"type": "Feature", "id": "a<b", "properties": {"name": "<script>x</script>"},
                       "geometry": null, "links": []});
        let html = item(&v);
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("&lt;script&gt;"));
    }
}
