//! The report as one self-contained, accessible HTML page: no scripts or external assets; the
//! severity filter is radio buttons and CSS (`:has`), so without it every row simply shows.
use super::report::{Lang, Report};
use crate::issue::Severity;
use std::fmt::Write;

/// Escapes text for HTML element content and quoted attribute values.
///
/// ```
/// assert_eq!(
///     bussola::quality::report::escape("<script>alert('x')</script>"),
///     "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
/// );
/// ```
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The page's words: Portuguese, English.
struct Words {
    lang: &'static str,
    title: &'static str,
    skip: &'static str,
    generated: &'static str,
    errors: &'static str,
    warnings: &'static str,
    merged: &'static str,
    by_source: &'static str,
    source: &'static str,
    file: &'static str,
    records: &'static str,
    accepted: &'static str,
    warnings_col: &'static str,
    data: &'static str,
    real: &'static str,
    demo: &'static str,
    rejected: &'static str,
    issues: &'static str,
    show: &'static str,
    all: &'static str,
    only_errors: &'static str,
    only_warnings: &'static str,
    severity: &'static str,
    place: &'static str,
    field: &'static str,
    message: &'static str,
    error: &'static str,
    warning: &'static str,
    none: &'static str,
    merges: &'static str,
    merges_intro: &'static str,
    kept: &'static str,
    merged_rec: &'static str,
    kind: &'static str,
    names: &'static str,
    distance: &'static str,
    similarity: &'static str,
    language: &'static str,
    back: &'static str,
}

const PT: Words = Words {
    lang: "pt",
    title: "Relatório de qualidade dos dados",
    skip: "Saltar para o conteúdo",
    generated: "Gerado em",
    errors: "erros",
    warnings: "avisos",
    merged: "registos fundidos",
    by_source: "Por fonte",
    source: "Fonte",
    file: "Ficheiro",
    records: "Registos",
    accepted: "Aceites",
    warnings_col: "Avisos",
    data: "Dados",
    real: "reais",
    demo: "demonstração (inventados)",
    rejected: "Rejeitados",
    issues: "Problemas encontrados",
    show: "Mostrar",
    all: "Todos",
    only_errors: "Só erros",
    only_warnings: "Só avisos",
    severity: "Gravidade",
    place: "Onde",
    field: "Campo",
    message: "O que está mal",
    error: "erro",
    warning: "aviso",
    none: "Nada a assinalar.",
    merges: "Registos duplicados fundidos",
    merges_intro:
        "O mesmo serviço dado por várias fontes: ficou um registo, com a origem de todos.",
    kept: "Ficou",
    merged_rec: "Fundido",
    kind: "Resposta",
    names: "Nomes",
    distance: "Distância",
    similarity: "Semelhança dos nomes",
    language: "Língua",
    back: "Voltar ao mapa",
};

const EN: Words = Words {
    lang: "en",
    title: "Data quality report",
    skip: "Skip to content",
    generated: "Generated on",
    errors: "errors",
    warnings: "warnings",
    merged: "records merged",
    by_source: "By source",
    source: "Source",
    file: "File",
    records: "Records",
    accepted: "Accepted",
    warnings_col: "Warnings",
    data: "Data",
    real: "real",
    demo: "demonstration (invented)",
    rejected: "Rejected",
    issues: "Problems found",
    show: "Show",
    all: "All",
    only_errors: "Errors only",
    only_warnings: "Warnings only",
    severity: "Severity",
    place: "Where",
    field: "Field",
    message: "What is wrong",
    error: "error",
    warning: "warning",
    none: "Nothing to report.",
    merges: "Duplicate records merged",
    merges_intro:
        "The same service given by several sources: one record was kept, with where each came from.",
    kept: "Kept",
    merged_rec: "Merged",
    kind: "Response",
    names: "Names",
    distance: "Distance",
    similarity: "Name similarity",
    language: "Language",
    back: "Back to the map",
};

/// Colours from `web/app.css`.
const STYLE: &str = "\
:root{--ink:#1a1a1a;--muted:#4a4f55;--paper:#fff;--wash:#f3f1ea;--line:#c9c5ba;--brand:#12355b;\
--focus:#f0e442;--warn:#fff3c4;--warn-line:#b38600;--err:#fde2d0;--err-line:#b34700;\
font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",Arial,sans-serif;\
font-size:112.5%;line-height:1.45;color:var(--ink);background:var(--wash)}\
body{margin:0}main{padding:1rem;max-width:75rem}\
header{display:flex;justify-content:space-between;align-items:center;gap:1rem;flex-wrap:wrap;\
padding:.5rem 1rem;background:var(--brand);color:#fff}header h1{font-size:1.35rem;margin:0}\
header a{color:#fff}header a[aria-current]{font-weight:bold;text-decoration:none}\
.skip{position:absolute;left:.5rem;top:-4rem;background:var(--paper);color:var(--ink);padding:.6rem 1rem}\
.skip:focus{top:.5rem}:focus-visible{outline:3px solid var(--ink);box-shadow:0 0 0 6px var(--focus)}\
table{border-collapse:collapse;background:var(--paper);margin:0 0 1.5rem;width:100%}\
th,td{border:1px solid var(--line);padding:.35rem .5rem;text-align:left;vertical-align:top}\
td.n{text-align:right}td.demo{background:var(--warn);font-weight:600}tr.error td:first-child{background:var(--err);border-left:4px solid var(--err-line)}\
tr.warning td:first-child{background:var(--warn);border-left:4px solid var(--warn-line)}\
fieldset{border:1px solid var(--line);margin:0 0 1rem}label{margin-right:1rem;min-height:44px}\
section:has(#sev-error:checked) tr.warning,section:has(#sev-warning:checked) tr.error{display:none}";

/// The whole page.
pub(super) fn page(r: &Report, lang: Lang) -> String {
    let w = match lang {
        Lang::Pt => &PT,
        Lang::En => &EN,
    };
    let mut h = String::new();
    let _ = write!(
        h,
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <link rel=\"icon\" href=\"/icon.svg\" type=\"image/svg+xml\">\
         <title>{} — Bússola</title><style>{STYLE}</style></head><body>\
         <a class=\"skip\" href=\"#main\">{}</a><header><h1>{}</h1>\
         <nav aria-label=\"{}\"><a href=\"/?lang={}\">{}</a> · \
         <a href=\"?lang=pt\" lang=\"pt\"{}>Português</a> · \
         <a href=\"?lang=en\" lang=\"en\"{}>English</a></nav></header><main id=\"main\">",
        w.lang,
        w.title,
        w.skip,
        w.title,
        w.language,
        w.lang,
        w.back,
        if lang == Lang::Pt {
            " aria-current=\"page\""
        } else {
            ""
        },
        if lang == Lang::En {
            " aria-current=\"page\""
        } else {
            ""
        },
    );
    let _ = write!(
        h,
        "<p>{} {}: <strong>{} {}</strong>, {} {}, {} {}.</p>",
        w.generated,
        escape(&r.generated),
        r.errors,
        w.errors,
        r.warnings,
        w.warnings,
        r.merges.len(),
        w.merged
    );
    sources(&mut h, r, w);
    issues(&mut h, r, w);
    merges(&mut h, r, w);
    h.push_str("</main></body></html>\n");
    h
}

fn head_row(h: &mut String, cols: &[&str]) {
    h.push_str("<thead><tr>");
    for c in cols {
        let _ = write!(h, "<th scope=\"col\">{}</th>", escape(c));
    }
    h.push_str("</tr></thead><tbody>");
}

fn sources(h: &mut String, r: &Report, w: &Words) {
    let _ = write!(
        h,
        "<section aria-labelledby=\"h-src\"><h2 id=\"h-src\">{}</h2>",
        w.by_source
    );
    if r.sources.is_empty() {
        let _ = write!(h, "<p>{}</p></section>", w.none);
        return;
    }
    h.push_str("<table>");
    head_row(
        h,
        &[
            w.source,
            w.data,
            w.file,
            w.records,
            w.accepted,
            w.rejected,
            w.warnings_col,
        ],
    );
    for s in &r.sources {
        let _ = write!(
            h,
            "<tr><th scope=\"row\">{}</th><td class=\"{}\">{}</td><td>{}</td><td class=\"n\">{}</td>\
             <td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(&s.source),
            if s.demo { "demo" } else { "real" },
            if s.demo { w.demo } else { w.real },
            escape(&s.file.display().to_string()),
            s.records,
            s.accepted,
            s.rejected,
            s.warnings
        );
    }
    h.push_str("</tbody></table></section>");
}

fn issues(h: &mut String, r: &Report, w: &Words) {
    let _ = write!(
        h,
        "<section aria-labelledby=\"h-iss\"><h2 id=\"h-iss\">{}</h2>",
        w.issues
    );
    if r.issues.is_empty() {
        let _ = write!(h, "<p>{}</p></section>", w.none);
        return;
    }
    let n_warn = r.issues.len() - r.errors;
    let _ = write!(
        h,
        "<fieldset><legend>{}</legend>\
         <label><input type=\"radio\" name=\"sev\" id=\"sev-all\" checked> {} ({})</label>\
         <label><input type=\"radio\" name=\"sev\" id=\"sev-error\"> {} ({})</label>\
         <label><input type=\"radio\" name=\"sev\" id=\"sev-warning\"> {} ({})</label></fieldset><table>",
        w.show,
        w.all,
        r.issues.len(),
        w.only_errors,
        r.errors,
        w.only_warnings,
        n_warn
    );
    head_row(h, &[w.severity, w.file, w.place, w.field, w.message]);
    for i in &r.issues {
        let (class, word) = match i.severity {
            Severity::Error => ("error", w.error),
            Severity::Warning => ("warning", w.warning),
        };
        let _ = write!(
            h,
            "<tr class=\"{class}\"><td>{word}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&i.file.display().to_string()),
            escape(i.place.as_deref().unwrap_or("")),
            escape(i.field.as_deref().unwrap_or("")),
            escape(&i.message)
        );
    }
    h.push_str("</tbody></table></section>");
}

fn merges(h: &mut String, r: &Report, w: &Words) {
    let _ = write!(
        h,
        "<section aria-labelledby=\"h-mrg\"><h2 id=\"h-mrg\">{}</h2><p>{}</p>",
        w.merges, w.merges_intro
    );
    if r.merges.is_empty() {
        let _ = write!(h, "<p>{}</p></section>", w.none);
        return;
    }
    h.push_str("<table>");
    head_row(
        h,
        &[
            w.kept,
            w.merged_rec,
            w.kind,
            w.names,
            w.distance,
            w.similarity,
        ],
    );
    for m in &r.merges {
        let _ = write!(
            h,
            "<tr><td>{} ({})</td><td>{} ({})</td><td>{}</td><td>{} / {}</td>\
             <td class=\"n\">{:.0} m</td><td class=\"n\">{:.2}</td></tr>",
            escape(&m.kept_id),
            escape(&m.sources[0]),
            escape(&m.merged_id),
            escape(&m.sources[1]),
            escape(&m.type_code),
            escape(&m.names[0]),
            escape(&m.names[1]),
            m.distance_m,
            m.similarity
        );
    }
    h.push_str("</tbody></table></section>");
}
