//! The plain page (`/find`): find the nearest services of a kind from a place's name or postal
//! code, without a script or a map — a form, and the results as HTML (phones as `tel:` links),
//! a few kilobytes for very old phones and slow connections. The results form leads to the
//! sheet ([`super::sheet`]): tick services, add a note.
use super::find::{Found, Outcome};
use super::link::{Link, Size, K_MAX};
use super::words as w;
use super::{distance, escape, tel, Lang};
use crate::model::Service;
use crate::region::Region;
use crate::taxonomy::Taxonomy;
use crate::text::fold;

/// The style of the plain page and the error pages: small, no web fonts, big targets.
pub(super) const CSS: &str = "body{margin:0;font:112.5%/1.45 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",\"DejaVu Sans\",Arial,sans-serif;color:#1a1a1a;background:#fff}\
body.large{font-size:131.25%}body.larger{font-size:150%}\
.top{background:#12355b;color:#fff;padding:.4em .75em}.top a{color:#fff;display:inline-block;padding:.4em .2em;margin-right:.8em}\
main{max-width:42em;margin:0 auto;padding:.4em .75em 2em}h1{font-size:1.45em;margin:.5em 0}h2{font-size:1.25em;margin:1.2em 0 .4em}h3{font-size:1.1em;margin:0 0 .2em}\
label{display:block;font-weight:700;margin:.9em 0 .3em}.help{color:#4a4f55;margin:.2em 0}\
input,select,textarea,button{font:inherit;min-height:44px;width:100%;box-sizing:border-box;border:2px solid #4a4f55;border-radius:6px;padding:.3em .5em;background:#fff;color:#1a1a1a}\
button,.btn{display:inline-block;background:#12355b;color:#fff;border:0;border-radius:8px;padding:.55em 1em;margin:.8em 0;text-decoration:none;font-weight:700;width:auto}\
a{color:#0b4f8a}ol.res{padding:0;margin:0;list-style:none}li.r{border-top:2px solid #c9c5ba;padding:.7em 0}\
.n{display:inline-block;min-width:1.5em;padding:0 .2em;margin-right:.3em;border-radius:1em;background:#12355b;color:#fff;text-align:center}\
.kind{margin:.1em 0}.tel a{font-size:1.2em;font-weight:700}p{margin:.3em 0}\
.demo,.warn{background:#fde2d0;border:2px solid #b34700;padding:.3em .5em;border-radius:6px}\
.tick{font-weight:400;margin:.5em 0 0}.tick input{width:1.6em;height:1.6em;min-height:0;vertical-align:middle;margin:0 .6em 0 0}\
ul.pick{padding:0;list-style:none}ul.pick a{display:block;padding:.6em 0;min-height:44px}\
.sizes a{margin-right:.6em}.foot{color:#4a4f55;font-size:.9em;border-top:2px solid #c9c5ba;margin-top:2em}\
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}";

/// A whole page: `<head>` with its title and style, the body's class (the text size).
pub(super) fn document(lang: Lang, title: &str, css: &str, size: Size, body: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<link rel=\"icon\" href=\"/icon.svg\" type=\"image/svg+xml\">\n\
         <style>{css}</style>\n</head>\n<body class=\"{size}\">\n{body}</body>\n</html>\n",
        lang = lang.code(),
        title = escape(title),
        size = size.code(),
    )
}

/// A response type in plain words ("Lar de idosos"), its code when the taxonomy lacks it.
pub(super) fn kind(tax: &Taxonomy, code: &str, lang: Lang) -> String {
    match tax.get(code) {
        Some(r) => match lang {
            Lang::Pt => r.pt_plain.clone().unwrap_or_else(|| r.pt.clone()),
            Lang::En => r.en_plain.clone().unwrap_or_else(|| r.en.clone()),
        },
        None => code.to_string(),
    }
}

/// What the link's filter asks for, in words ("Lar de idosos", "Pessoas idosas"), if anything.
pub(super) fn filter_words(tax: &Taxonomy, link: &Link, lang: Lang) -> Option<String> {
    let name = |pt: &str, en: &str| match lang {
        Lang::Pt => pt.to_string(),
        Lang::En => en.to_string(),
    };
    if let Some(t) = &link.type_code {
        return Some(kind(tax, t, lang));
    }
    if let Some(s) = link.subarea.as_deref().and_then(|s| tax.subarea(s)) {
        return Some(name(&s.pt, &s.en));
    }
    link.group
        .as_deref()
        .and_then(|g| tax.group(g))
        .map(|g| name(&g.pt, &g.en))
}

/// A service's phone: its own, else its organisation's (said so).
pub(super) fn phone(s: &Service) -> Option<(&str, bool)> {
    match (&s.contact.phone, &s.provider.contact.phone) {
        (Some(p), _) if !p.trim().is_empty() => Some((p.as_str(), false)),
        (_, Some(p)) if !p.trim().is_empty() => Some((p.as_str(), true)),
        _ => None,
    }
}

/// The address, postal code and locality, each once ("Rua X 1, 7000-591, Évora").
pub(super) fn address(s: &Service) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in [&s.address, &s.postal_code, &s.locality]
        .into_iter()
        .flatten()
    {
        let p = p.trim();
        if !p.is_empty() && !parts.iter().any(|q| fold(q).contains(&fold(p))) {
            parts.push(p);
        }
    }
    parts.join(", ")
}

/// Where a service is, in words: "Évora" or "Canaviais, Évora".
pub(super) fn whereabouts(s: &Service, region: &Region) -> String {
    let muni = region
        .municipality(&s.municipality)
        .map_or(s.municipality.as_str(), |m| m.name.as_str());
    match s.locality.as_deref().map(str::trim) {
        Some(l) if !l.is_empty() && fold(l) != fold(muni) => format!("{l}, {muni}"),
        _ => muni.to_string(),
    }
}

/// The warning over a list that holds invented services, if it does.
pub(super) fn demo_warning(found: &[Found], lang: Lang) -> Option<String> {
    let n = found.iter().filter(|f| f.service.demo).count();
    match n {
        0 => None,
        n if n == found.len() => Some(w::DEMO_ALL.get(lang).to_string()),
        1 => Some(w::DEMO_ONE.get(lang).to_string()),
        n => Some(w::DEMO_SOME.with(lang, &[("n", &n.to_string())])),
    }
}

fn option(value: &str, label: &str, selected: bool) -> String {
    format!(
        "<option value=\"{}\"{}>{}</option>",
        escape(value),
        if selected { " selected" } else { "" },
        escape(label)
    )
}

fn hidden(name: &str, value: &str) -> String {
    format!(
        "<input type=\"hidden\" name=\"{name}\" value=\"{}\">",
        escape(value)
    )
}

/// The search form: place, group, type, municipality (and the language and size, kept).
fn form(link: &Link, region: &Region, lang: Lang) -> String {
    let tax = &region.taxonomy;
    let mut groups = option("", w::GROUP_ANY.get(lang), link.group.is_none());
    for g in tax.groups() {
        let label = if lang == Lang::Pt { &g.pt } else { &g.en };
        groups.push_str(&option(
            &g.code,
            label,
            link.group.as_deref() == Some(&g.code),
        ));
    }
    let mut types = option("", w::TYPE_ANY.get(lang), link.type_code.is_none());
    for g in tax.groups() {
        let label = if lang == Lang::Pt { &g.pt } else { &g.en };
        types.push_str(&format!("<optgroup label=\"{}\">", escape(label)));
        for r in tax.responses().iter().filter(|r| r.group == g.code) {
            types.push_str(&option(
                &r.code,
                &kind(tax, &r.code, lang),
                link.type_code.as_deref() == Some(&r.code),
            ));
        }
        types.push_str("</optgroup>");
    }
    let mut munis = option("", w::MUNI_ANY.get(lang), link.municipality.is_none());
    let mut by_name: Vec<_> = region.municipalities.iter().collect();
    by_name.sort_by_key(|m| crate::text::fold(&m.name));
    for m in by_name {
        munis.push_str(&option(
            &m.code,
            &m.name,
            link.municipality.as_deref() == Some(&m.code),
        ));
    }
    let mut kept = String::new();
    if lang != Lang::Pt {
        kept.push_str(&hidden("lang", lang.code()));
    }
    if link.size != Size::Normal {
        kept.push_str(&hidden("size", link.size.code()));
    }
    if let Some(s) = &link.subarea {
        kept.push_str(&hidden("subarea", s));
    }
    format!(
        "<form method=\"get\" action=\"/find\" role=\"search\">\n\
         <label for=\"place\">{pl}</label><p class=\"help\" id=\"place-help\">{ph}</p>\
         <input id=\"place\" name=\"place\" type=\"text\" value=\"{place}\" aria-describedby=\"place-help\" autocomplete=\"off\">\n\
         <label for=\"group\">{gl}</label><select id=\"group\" name=\"group\">{groups}</select>\n\
         <label for=\"type\">{tl}</label><select id=\"type\" name=\"type\">{types}</select>\n\
         <label for=\"municipality\">{ml}</label><select id=\"municipality\" name=\"municipality\">{munis}</select>\n\
         {kept}<button type=\"submit\">{search}</button>\n</form>\n",
        pl = w::PLACE_LABEL.get(lang),
        ph = w::PLACE_HELP.get(lang),
        place = escape(link.place.as_deref().unwrap_or("")),
        gl = w::GROUP_LABEL.get(lang),
        tl = w::TYPE_LABEL.get(lang),
        ml = w::MUNI_LABEL.get(lang),
        search = w::SEARCH.get(lang),
    )
}

/// One service of the list, numbered, with its tick box for the sheet.
fn result(n: usize, f: &Found, link: &Link, region: &Region, lang: Lang) -> String {
    let s = &f.service;
    let tax = &region.taxonomy;
    let mut line = vec![escape(&kind(tax, &s.type_code, lang))];
    if let Some(d) = f.distance_m {
        line.push(escape(&w::AWAY.with(lang, &[("d", &distance(d, lang))])));
    }
    line.push(escape(&whereabouts(s, region)));
    let mut out = format!(
        "<li class=\"r\" id=\"r{n}\" data-id=\"{id}\">\n<h3><span class=\"n\">{n}</span> {name}</h3>\n<p class=\"kind\">{line}</p>\n",
        id = escape(&s.id),
        name = escape(&s.name),
        line = line.join(" · "),
    );
    if s.demo {
        out.push_str(&format!(
            "<p class=\"demo\">{}</p>\n",
            w::DEMO_TAG.get(lang)
        ));
    }
    if let Some((p, org)) = phone(s) {
        let label = if org { w::PHONE_ORG } else { w::PHONE };
        out.push_str(&format!(
            "<p class=\"tel\">{}: <a href=\"tel:{}\">{}</a></p>\n",
            label.get(lang),
            escape(&tel(p)),
            escape(p)
        ));
    }
    let addr = address(s);
    if !addr.is_empty() {
        out.push_str(&format!(
            "<p>{}: {}</p>\n",
            w::ADDRESS.get(lang),
            escape(&addr)
        ));
    }
    if let Some(h) = s.opening_hours.as_deref().filter(|h| !h.trim().is_empty()) {
        out.push_str(&format!("<p>{}: {}</p>\n", w::HOURS.get(lang), escape(h)));
    }
    let ticked = link.ids.contains(&s.id);
    out.push_str(&format!(
        "<label class=\"tick\"><input type=\"checkbox\" name=\"id\" value=\"{id}\"{checked}>{tick}<span class=\"vh\">: {name}</span></label>\n</li>\n",
        id = escape(&s.id),
        checked = if ticked { " checked" } else { "" },
        tick = w::TICK.get(lang),
        name = escape(&s.name),
    ));
    out
}

/// The results, inside the form that makes the sheet.
fn results(
    found: &[Found],
    total: Option<usize>,
    link: &Link,
    region: &Region,
    lang: Lang,
) -> String {
    let place = link.place.clone().unwrap_or_default();
    let heading = if found.len() == 1 {
        w::NEAR_ONE.with(lang, &[("place", &place)])
    } else {
        w::NEAR.with(lang, &[("n", &found.len().to_string()), ("place", &place)])
    };
    let mut out = format!("<h2 id=\"results\">{}</h2>\n", escape(&heading));
    if let Some(what) = filter_words(&region.taxonomy, link, lang) {
        out.push_str(&format!(
            "<p>{}</p>\n",
            escape(&w::ONLY.with(lang, &[("what", &what)]))
        ));
    }
    if let Some(m) = link
        .municipality
        .as_deref()
        .and_then(|m| region.municipality(m))
    {
        out.push_str(&format!(
            "<p>{}</p>\n",
            escape(&w::IN_MUNI.with(lang, &[("m", &m.name)]))
        ));
    }
    if let Some(total) = total.filter(|t| *t > found.len()) {
        out.push_str(&format!(
            "<p class=\"warn\">{}</p>\n",
            escape(&w::CAPPED.with(
                lang,
                &[
                    ("n", &found.len().to_string()),
                    ("total", &total.to_string())
                ]
            ))
        ));
    }
    out.push_str(&format!(
        "<p><a href=\"{}\">{}</a></p>\n",
        escape(&link.at_path("/")),
        w::SEE_MAP.get(lang)
    ));
    if found.is_empty() {
        out.push_str(&format!(
            "<p class=\"warn\">{}</p>\n",
            w::NONE_FOUND.get(lang)
        ));
        return out;
    }
    if let Some(warn) = demo_warning(found, lang) {
        out.push_str(&format!("<p class=\"warn\">{}</p>\n", escape(&warn)));
    }
    out.push_str("<form method=\"get\" action=\"/sheet\">\n");
    for (k, v) in link.search_only().pairs() {
        out.push_str(&hidden(k, &v));
    }
    out.push_str("\n<ol class=\"res\">\n");
    for (i, f) in found.iter().enumerate() {
        out.push_str(&result(i + 1, f, link, region, lang));
    }
    out.push_str("</ol>\n");
    if found.len() == link.k && link.k < K_MAX {
        let more = Link {
            k: (link.k + 10).min(K_MAX),
            ..link.clone()
        };
        out.push_str(&format!(
            "<p><a class=\"btn\" href=\"{}\">{}</a></p>\n",
            escape(&more.at_path("/find")),
            w::MORE.with(lang, &[("n", &(more.k - link.k).to_string())])
        ));
    }
    let most = link.size.most().to_string();
    out.push_str(&format!(
        "<h2>{}</h2>\n<p>{}</p>\n<label for=\"note\">{}</label>\
         <textarea id=\"note\" name=\"note\" rows=\"3\" maxlength=\"200\">{}</textarea>\n\
         <button type=\"submit\">{}</button>\n</form>\n",
        w::HANDOVER_TITLE.get(lang),
        escape(&w::HANDOVER_HELP.with(lang, &[("n", &most)])),
        w::NOTE_LABEL.get(lang),
        escape(link.note.as_deref().unwrap_or("")),
        w::MAKE_SHEET.get(lang),
    ));
    out
}

/// Places to choose from: those the words matched, or every municipality when none did.
fn choose(typed: &str, places: &[crate::places::Place], link: &Link, region: &Region) -> String {
    let lang = link.lang;
    if places.is_empty() {
        let mut opts = String::new();
        for m in &region.municipalities {
            opts.push_str(&option(&m.name, &m.name, false));
        }
        let mut kept = String::new();
        for (k, v) in link.search_only().pairs() {
            if k != "place" {
                kept.push_str(&hidden(k, &v));
            }
        }
        return format!(
            "<h2 id=\"results\">{h}</h2>\n<p class=\"warn\">{msg}</p>\n\
             <form method=\"get\" action=\"/find\">{kept}<label for=\"muni\">{ml}</label>\
             <select id=\"muni\" name=\"place\">{opts}</select><button type=\"submit\">{s}</button></form>\n",
            h = w::CHOOSE_PLACE.get(lang),
            msg = escape(&w::NO_PLACE.with(lang, &[("q", typed)])),
            ml = w::MUNICIPALITY.get(lang),
            s = w::SEARCH.get(lang),
        );
    }
    let mut out = format!(
        "<h2 id=\"results\">{}</h2>\n<ul class=\"pick\">\n",
        w::CHOOSE_PLACE.get(lang)
    );
    for p in places {
        let muni = region
            .municipality(&p.municipality)
            .map(|m| m.name.as_str())
            .filter(|m| fold(m) != fold(&p.name));
        let there = Link {
            place: Some(p.name.clone()),
            at: Some((super::link::round5(p.lon), super::link::round5(p.lat))),
            ..link.clone()
        };
        out.push_str(&format!(
            "<li><a href=\"{}\">{}{}</a></li>\n",
            escape(&there.at_path("/find")),
            escape(&p.name),
            muni.map(|m| format!(" ({})", escape(m)))
                .unwrap_or_default()
        ));
    }
    out.push_str("</ul>\n");
    out
}

/// The links at the top: the other language, the map, the text sizes.
fn top(link: &Link, path: &str) -> String {
    let lang = link.lang;
    let other = link.in_lang(lang.other());
    format!(
        "<div class=\"top\"><a href=\"{map}\">{back}</a><a href=\"{switch}\" lang=\"{ol}\">{sw}</a></div>\n",
        map = escape(&link.search_only().at_path("/")),
        back = w::BACK_TO_MAP.get(lang),
        switch = escape(&other.at_path(path)),
        ol = lang.other().code(),
        sw = w::LANG_SWITCH.get(lang),
    )
}

/// The text sizes, as links to the same page.
fn sizes(link: &Link, path: &str) -> String {
    let lang = link.lang;
    let mut out = format!("<p class=\"sizes\">{} ", w::TEXT_SIZE.get(lang));
    for (s, name) in Size::ALL.into_iter().zip(w::SIZE_NAMES) {
        if s == link.size {
            out.push_str(&format!("<strong>{}</strong> ", name.get(lang)));
        } else {
            let l = Link {
                size: s,
                ..link.clone()
            };
            out.push_str(&format!(
                "<a href=\"{}\">{}</a> ",
                escape(&l.at_path(path)),
                name.get(lang)
            ));
        }
    }
    out.push_str("</p>\n");
    out
}

/// The plain page for a search's outcome.
pub fn render(link: &Link, outcome: &Outcome, region: &Region) -> String {
    let lang = link.lang;
    let mut body = top(link, "/find");
    body.push_str("<main>\n");
    body.push_str(&format!(
        "<h1>{}</h1>\n<p>{}</p>\n",
        w::FIND_TITLE.get(lang),
        w::FIND_INTRO.get(lang)
    ));
    body.push_str(&form(link, region, lang));
    match outcome {
        Outcome::Start => {}
        Outcome::Choose { typed, places } => body.push_str(&choose(typed, places, link, region)),
        Outcome::Results { found, total } => {
            body.push_str(&results(found, *total, link, region, lang))
        }
    }
    body.push_str(&sizes(link, "/find"));
    body.push_str(&format!(
        "<div class=\"foot\"><p>{}: {}</p></div>\n</main>\n",
        w::SOURCES.get(lang),
        escape(&region.attribution.join(" · "))
    ));
    let title = match outcome {
        Outcome::Results { .. } => format!(
            "{} — {} — Bússola",
            w::FIND_TITLE.get(lang),
            link.place.as_deref().unwrap_or("")
        ),
        _ => format!("{} — Bússola", w::FIND_TITLE.get(lang)),
    };
    document(lang, &title, CSS, link.size, &body)
}

/// A page that says what went wrong, in plain words, with a way back.
pub fn error(lang: Lang, size: Size, message: &str, back: &str) -> String {
    let body = format!(
        "<main>\n<h1>{}</h1>\n<p class=\"warn\">{}</p>\n<p><a class=\"btn\" href=\"{}\">{}</a></p>\n</main>\n",
        w::ERROR_TITLE.get(lang),
        escape(message),
        escape(back),
        w::START_AGAIN.get(lang),
    );
    document(
        lang,
        &format!("{} — Bússola", w::ERROR_TITLE.get(lang)),
        CSS,
        size,
        &body,
    )
}

/// The words of a bad parameter, for [`error`].
pub fn bad_param(lang: Lang, param: &str, message: &str) -> String {
    w::BAD_PARAM.with(lang, &[("param", param), ("message", message)])
}
