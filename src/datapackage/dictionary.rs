//! The data dictionary (`GET /data/dictionary`): one self-contained HTML page written from the
//! data package's descriptor — the same Table Schemas `datapackage.json` holds — with every
//! resource's fields (type, constraints, description), keys, sources and licences, the downloads
//! and the dated snapshots. In English, like the schemas; no scripts.
use super::snapshots::Snapshot;
use crate::quality::report::escape;
use serde_json::Value;
use std::fmt::Write;

const STYLE: &str = "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;\
margin:0;color:#1a1a1a;background:#f3f1ea;line-height:1.45}\
header,main,footer{max-width:72rem;margin:0 auto;padding:1rem}\
header{background:#12355b;color:#fff;max-width:none}header a{color:#fff}\
h1{font-size:1.5rem;margin:.2rem 0}h2{margin-top:2rem}\
section{background:#fff;border:1px solid #c9c5ba;border-radius:10px;padding:.5rem 1rem 1rem;margin:1rem 0}\
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.95rem}\
caption{text-align:left;font-weight:700;padding:.3rem 0}\
th,td{border-bottom:1px solid #c9c5ba;padding:.35rem .5rem;text-align:left;vertical-align:top}\
thead th{background:#eef1f4}code{font-size:.95em;overflow-wrap:anywhere}\
a{color:#0b4f8a}.skip{position:absolute;left:-999px}.skip:focus{left:.5rem;top:.5rem;background:#fff;color:#000;padding:.5rem}\
:focus-visible{outline:3px solid #1a1a1a;box-shadow:0 0 0 6px #f0e442}\
ul.downloads a{display:inline-block;min-height:44px;line-height:44px}";

fn constraints(c: &Value) -> String {
    let Some(map) = c.as_object() else {
        return String::new();
    };
    map.iter()
        .map(|(k, v)| match v {
            Value::Bool(true) => escape(k),
            Value::Array(a) => format!(
                "{}: {}",
                escape(k),
                a.iter()
                    .map(|x| format!(
                        "<code>{}</code>",
                        escape(x.as_str().unwrap_or(&x.to_string()))
                    ))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            v => format!(
                "{} <code>{}</code>",
                escape(k),
                escape(
                    v.as_str()
                        .map_or_else(|| v.to_string(), str::to_string)
                        .as_str()
                )
            ),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn key_text(k: &Value) -> String {
    match k {
        Value::String(s) => format!("<code>{}</code>", escape(s)),
        Value::Array(a) => a
            .iter()
            .map(|x| format!("<code>{}</code>", escape(x.as_str().unwrap_or_default())))
            .collect::<Vec<_>>()
            .join(", "),
        _ => String::new(),
    }
}

fn licences(l: &Value) -> String {
    l.as_array()
        .into_iter()
        .flatten()
        .map(|x| {
            let name = escape(x["name"].as_str().unwrap_or_default());
            let title = escape(x["title"].as_str().unwrap_or_default());
            match x["path"].as_str() {
                Some(p) => format!(
                    "<a href=\"{}\">{title}</a> (<code>{name}</code>)",
                    escape(p)
                ),
                None => format!("{title} (<code>{name}</code>)"),
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn sources(s: &Value) -> String {
    s.as_array()
        .into_iter()
        .flatten()
        .map(|x| escape(x["title"].as_str().unwrap_or_default()))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The page for a descriptor and the snapshots kept.
pub fn page(descriptor: &Value, snapshots: &[Snapshot]) -> String {
    let d = descriptor;
    let title = d["title"].as_str().unwrap_or_default();
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <link rel=\"icon\" href=\"/icon.svg\" type=\"image/svg+xml\">\
         <title>Data dictionary — Bússola</title><style>{STYLE}</style></head><body>\
         <a class=\"skip\" href=\"#main\">Skip to the dictionary</a>\
         <header><p><a href=\"/\">Bússola</a> · <a href=\"/#trends\">Trends</a> · <a href=\"/api-docs\">API</a></p>\
         <h1>Data dictionary</h1><p>{}</p></header><main id=\"main\">",
        escape(title)
    );
    let _ = write!(
        h,
        "<p>{}</p><p>Version <strong>{}</strong>, made {}. Every table below is a resource of the \
         Frictionless Data Package; this page is written from the same Table Schemas as \
         <code>datapackage.json</code>.</p>\
         <h2 id=\"downloads\">Downloads</h2><ul class=\"downloads\">\
         <li><a href=\"/api/datapackage.zip\" download>The data package now (ZIP: datapackage.json, the CSV files, README.md, CITATION.cff)</a></li>\
         <li><a href=\"/api/datapackage.json\">datapackage.json</a> (each resource's path is its CSV on this server)</li>\
         <li><a href=\"/CITATION.cff\">CITATION.cff</a>: how to cite Bússola</li></ul>",
        escape(d["description"].as_str().unwrap_or_default()),
        escape(d["version"].as_str().unwrap_or_default()),
        escape(d["created"].as_str().unwrap_or_default()),
    );
    h.push_str("<h2 id=\"snapshots\">Dated snapshots</h2>");
    if snapshots.is_empty() {
        h.push_str("<p>None kept yet: the server keeps one a day once the day's indicators are recorded.</p>");
    } else {
        h.push_str(
            "<div class=\"scroll\"><table><caption>The package as it was on each day (newest first)</caption>\
             <thead><tr><th scope=\"col\">Day</th><th scope=\"col\">Version</th><th scope=\"col\">File</th>\
             <th scope=\"col\">Bytes</th><th scope=\"col\">SHA-256</th></tr></thead><tbody>",
        );
        for s in snapshots {
            let _ = write!(
                h,
                "<tr><th scope=\"row\">{}</th><td>{}</td><td><a href=\"/api/datapackage/snapshots/{}\" download>{}</a></td><td>{}</td><td><code>{}</code></td></tr>",
                escape(&s.date),
                escape(&s.version),
                escape(&s.file),
                escape(&s.file),
                s.bytes,
                escape(&s.sha256)
            );
        }
        h.push_str("</tbody></table></div>");
    }
    let _ = write!(
        h,
        "<h2 id=\"licences\">Licences and sources</h2><p>The package: {}.</p><p>Sources: {}.</p>\
         <h2 id=\"resources\">Resources</h2><ul>",
        licences(&d["licenses"]),
        sources(&d["sources"])
    );
    let resources = d["resources"].as_array().cloned().unwrap_or_default();
    for r in &resources {
        let name = escape(r["name"].as_str().unwrap_or_default());
        let _ = write!(
            h,
            "<li><a href=\"#{name}\"><code>{name}</code></a>: {}</li>",
            escape(r["title"].as_str().unwrap_or_default())
        );
    }
    h.push_str("</ul>");
    for r in &resources {
        let name = escape(r["name"].as_str().unwrap_or_default());
        let s = &r["schema"];
        let _ = write!(
            h,
            "<section aria-labelledby=\"{name}\"><h2 id=\"{name}\"><code>{name}</code>: {}</h2><p>{}</p><ul>\
             <li>File: <code>data/{name}.csv</code> (<a href=\"/api/datapackage/data/{name}.csv\" download>download the CSV</a>)</li>",
            escape(r["title"].as_str().unwrap_or_default()),
            escape(r["description"].as_str().unwrap_or_default()),
        );
        if !s["primaryKey"].is_null() {
            let _ = write!(h, "<li>Primary key: {}</li>", key_text(&s["primaryKey"]));
        }
        for fk in s["foreignKeys"].as_array().into_iter().flatten() {
            let to = fk["reference"]["resource"].as_str().unwrap_or_default();
            let to = if to.is_empty() {
                name.clone()
            } else {
                escape(to)
            };
            let _ = write!(
                h,
                "<li>Foreign key: {} → <a href=\"#{to}\"><code>{to}</code></a>.{}</li>",
                key_text(&fk["fields"]),
                key_text(&fk["reference"]["fields"])
            );
        }
        let _ = write!(
            h,
            "<li>Sources: {}</li><li>Licences: {}</li></ul>\
             <div class=\"scroll\"><table><caption>Fields of <code>{name}</code>, in the file's order</caption>\
             <thead><tr><th scope=\"col\">Field</th><th scope=\"col\">Type</th><th scope=\"col\">Constraints</th>\
             <th scope=\"col\">Description</th></tr></thead><tbody>",
            sources(&r["sources"]),
            licences(&r["licenses"])
        );
        for f in s["fields"].as_array().into_iter().flatten() {
            let _ = write!(
                h,
                "<tr><th scope=\"row\"><code>{}</code></th><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(f["name"].as_str().unwrap_or_default()),
                escape(f["type"].as_str().unwrap_or_default()),
                constraints(&f["constraints"]),
                escape(f["description"].as_str().unwrap_or_default())
            );
        }
        h.push_str("</tbody></table></div></section>");
    }
    h.push_str(
        "</main><footer><p>Empty cells are missing values. Text cells that a spreadsheet would read \
         as a formula start with an apostrophe. Check a package with \
         <code>frictionless validate datapackage.json</code>.</p></footer></body></html>\n",
    );
    h
}
