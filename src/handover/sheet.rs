//! The sheet to hand over (`/sheet`): one A4 page in large type (14 pt body, more with a larger
//! text size) with the chosen services — name, kind in plain words, phone in large digits,
//! address, opening hours, distance — a small map with numbered points ([`super::map`]), the
//! day it was printed, where the data comes from (invented services said plainly), an optional
//! note and a QR code of the sheet's own link ([`super::qr`]). On screen it also offers the
//! link, an e-mail with the same content as plain text ([`Sheet::text`], [`Sheet::mailto`]) and
//! ways back to change the choice.
use super::find::{self, Found};
use super::link::{Link, Size};
use super::page::{address, demo_warning, document, filter_words, kind, phone, whereabouts};
use super::words as w;
use super::{distance, escape, tel, Lang};
use crate::catalog::Catalog;
use crate::region::Region;
use crate::Result;
use serde_json::{json, Value};

/// "2 of the chosen services are no longer in Bússola".
fn missing_words(n: usize, lang: Lang) -> String {
    if n == 1 {
        w::MISSING_ONE.get(lang).to_string()
    } else {
        w::MISSING.with(lang, &[("n", &n.to_string())])
    }
}

/// Why a sheet cannot be made from a link: said to the person, not an error of the address.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// More services chosen than fit on one page at the link's text size.
    TooMany {
        /// How many were chosen.
        chosen: usize,
        /// How many fit.
        most: usize,
    },
    /// Nothing chosen, and no search to take the first ones from.
    NothingChosen,
}

impl Problem {
    /// What to tell the person.
    pub fn words(&self, lang: Lang) -> String {
        match self {
            Problem::TooMany { chosen, most } => w::TOO_MANY.with(
                lang,
                &[
                    ("n", &chosen.to_string()),
                    ("most", &most.to_string()),
                    ("less", &(chosen - most).to_string()),
                ],
            ),
            Problem::NothingChosen => w::NOTHING_CHOSEN.get(lang).to_string(),
        }
    }
}

/// A sheet, ready to be written as HTML or text.
#[derive(Debug, Clone)]
pub struct Sheet {
    /// Its link: the search, the chosen services (always named one by one) and the note.
    pub link: Link,
    /// The chosen services still in the catalog, in the link's order.
    pub found: Vec<Found>,
    /// Chosen ids no longer in the catalog.
    pub missing: Vec<String>,
    /// The site's public address (`https://host`), for the QR code and the e-mail.
    pub base: String,
    /// The day it is made.
    pub today: chrono::NaiveDate,
}

impl Sheet {
    /// The sheet a link asks for. With nothing chosen, the first services of its search (as
    /// many as fit); more chosen than fit, or nothing at all, is a [`Problem`].
    pub fn prepare(
        cat: &Catalog,
        link: &Link,
        base: &str,
        today: chrono::NaiveDate,
    ) -> Result<std::result::Result<Sheet, Problem>> {
        let most = link.size.most();
        if link.ids.len() > most {
            return Ok(Err(Problem::TooMany {
                chosen: link.ids.len(),
                most,
            }));
        }
        let (link, found, missing) = find::chosen(cat, link, most)?;
        if link.ids.is_empty() {
            return Ok(Err(Problem::NothingChosen));
        }
        Ok(Ok(Sheet {
            link,
            found,
            missing,
            base: base.trim_end_matches('/').to_string(),
            today,
        }))
    }

    /// The sheet's own link, absolute: what the QR code and the e-mail give.
    pub fn url(&self) -> String {
        format!("{}{}", self.base, self.link.at_path("/sheet"))
    }

    fn lang(&self) -> Lang {
        self.link.lang
    }

    /// "Perto de Évora · Lar de idosos", when the link has a place or a filter.
    fn near(&self, region: &Region) -> Option<String> {
        let lang = self.lang();
        let mut parts = Vec::new();
        if let Some(p) = &self.link.place {
            parts.push(w::NEAR_PLACE.with(lang, &[("place", p)]));
        }
        parts.extend(filter_words(&region.taxonomy, &self.link, lang));
        (!parts.is_empty()).then(|| parts.join(" · "))
    }

    /// A service's distance, short: "a 1,2 km" (the sheet's head says from where).
    fn away_short(&self, f: &Found) -> Option<String> {
        let d = distance(f.distance_m?, self.lang());
        Some(w::AWAY.with(self.lang(), &[("d", &d)]))
    }

    /// The distance line of a service: "A 1,2 km de Évora".
    fn away(&self, f: &Found) -> Option<String> {
        let d = distance(f.distance_m?, self.lang());
        Some(match &self.link.place {
            Some(p) => w::AWAY_FROM.with(self.lang(), &[("d", &d), ("place", p)]),
            None => w::AWAY.with(self.lang(), &[("d", &d)]),
        })
    }

    /// The sheet as plain text: what the e-mail says.
    pub fn text(&self, region: &Region) -> String {
        let lang = self.lang();
        let mut out = format!("{}\n", w::SHEET_TITLE.get(lang));
        if let Some(near) = self.near(region) {
            out.push_str(&format!("{near}\n"));
        }
        if let Some(note) = &self.link.note {
            out.push_str(&format!("\n{}\n{note}\n", w::NOTE_FROM.get(lang)));
        }
        if let Some(warn) = demo_warning(&self.found, lang) {
            out.push_str(&format!("\n{warn}\n"));
        }
        for (i, f) in self.found.iter().enumerate() {
            let s = &f.service;
            out.push_str(&format!(
                "\n{}. {}\n   {}\n",
                i + 1,
                s.name,
                kind(&region.taxonomy, &s.type_code, lang)
            ));
            if let Some((p, org)) = phone(s) {
                let label = if org { w::PHONE_ORG } else { w::PHONE };
                out.push_str(&format!("   {}: {p}\n", label.get(lang)));
            }
            let addr = address(s);
            out.push_str(&format!(
                "   {}: {}\n",
                w::ADDRESS.get(lang),
                if addr.is_empty() {
                    whereabouts(s, region)
                } else {
                    addr
                }
            ));
            if let Some(h) = s.opening_hours.as_deref().filter(|h| !h.trim().is_empty()) {
                out.push_str(&format!("   {}: {h}\n", w::HOURS.get(lang)));
            }
            if let Some(a) = self.away(f) {
                out.push_str(&format!("   {a}\n"));
            }
            if s.demo {
                out.push_str(&format!("   {}\n", w::DEMO_TAG.get(lang)));
            }
        }
        if !self.missing.is_empty() {
            out.push_str(&format!("\n{}\n", missing_words(self.missing.len(), lang)));
        }
        out.push_str(&format!(
            "\n{}\n{} {}\n\nBússola · {}\n",
            w::CHECK_FIRST.get(lang),
            w::SEE_ONLINE.get(lang),
            self.url(),
            super::day(self.today, lang)
        ));
        out
    }

    /// A `mailto:` address with no recipient (the helper's own mail program asks), the subject
    /// and [`Sheet::text`] as the body (RFC 6068: everything but unreserved characters
    /// percent-encoded, line breaks as CRLF).
    pub fn mailto(&self, region: &Region) -> String {
        let enc = |s: &str| {
            let mut out = String::new();
            for b in s.replace('\n', "\r\n").bytes() {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    out.push(b as char);
                } else {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            out
        };
        format!(
            "mailto:?subject={}&body={}",
            enc(w::MAIL_SUBJECT.get(self.lang())),
            enc(&self.text(region))
        )
    }

    /// What the map page's "Share" shows: the link, the e-mail, and the services chosen.
    pub fn share(&self, region: &Region) -> Value {
        json!({
            "link": self.url(),
            "subject": w::MAIL_SUBJECT.get(self.lang()),
            "text": self.text(region),
            "mailto": self.mailto(region),
            "ids": self.found.iter().map(|f| f.service.id.as_str()).collect::<Vec<_>>(),
            "missing": self.missing,
        })
    }

    /// One service on paper: name; kind and distance; phone in large digits; address; hours.
    fn service_html(&self, n: usize, f: &Found, region: &Region) -> String {
        let lang = self.lang();
        let s = &f.service;
        let mut line = vec![escape(&kind(&region.taxonomy, &s.type_code, lang))];
        line.extend(self.away_short(f).map(|a| escape(&a)));
        // Every service invented: the warning over the list says it of them all, once.
        let all_demo = self.found.iter().all(|f| f.service.demo);
        let demo = if s.demo && !all_demo {
            format!(" <span class=\"demo\">{}</span>", w::DEMO_SHORT.get(lang))
        } else {
            String::new()
        };
        let mut out = format!(
            "<li data-id=\"{}\"><h2><span class=\"num\">{n}</span> {}</h2>\n<p class=\"kind\">{}{demo}</p>\n",
            escape(&s.id),
            escape(&s.name),
            line.join(" · "),
        );
        if let Some((p, org)) = phone(s) {
            let label = if org { w::TEL_ORG } else { w::TEL };
            out.push_str(&format!(
                "<p class=\"phone\"><span class=\"k\">{}</span> <a href=\"tel:{}\">{}</a></p>\n",
                label.get(lang),
                escape(&tel(p)),
                escape(p)
            ));
        }
        let addr = address(s);
        let addr = if addr.is_empty() {
            whereabouts(s, region)
        } else {
            addr
        };
        out.push_str(&format!(
            "<p><span class=\"k\">{}:</span> {}</p>\n",
            w::ADDRESS.get(lang),
            escape(&addr)
        ));
        if let Some(h) = s.opening_hours.as_deref().filter(|h| !h.trim().is_empty()) {
            out.push_str(&format!(
                "<p><span class=\"k\">{}:</span> {}</p>\n",
                w::HOURS.get(lang),
                escape(h)
            ));
        }
        out.push_str("</li>\n");
        out
    }

    /// What only the screen shows: the ways back, print, share, the language and the size.
    fn screen_bar(&self, region: &Region) -> String {
        let lang = self.lang();
        let url = self.url();
        let mut sizes = String::new();
        for (s, name) in Size::ALL.into_iter().zip(w::SIZE_NAMES) {
            let l = Link {
                size: s,
                ..self.link.clone()
            };
            if s == self.link.size {
                sizes.push_str(&format!("<strong>{}</strong> ", name.get(lang)));
            } else {
                sizes.push_str(&format!(
                    "<a href=\"{}\">{}</a> ",
                    escape(&l.at_path("/sheet")),
                    name.get(lang)
                ));
            }
        }
        format!(
            "<div class=\"screen\">\n<p class=\"nav\"><a href=\"{map}\">← {change_map}</a> \
             <a href=\"{plain}\">{change_plain}</a> <a href=\"{other}\" lang=\"{ol}\">{sw}</a></p>\n\
             <p><button type=\"button\" id=\"print\" hidden>{print}</button> <span id=\"print-help\">{print_help}</span></p>\n\
             <h2 class=\"share-title\">{share}</h2><p>{share_help}</p>\n\
             <label for=\"share-link\">{link_label}</label><input id=\"share-link\" type=\"text\" readonly value=\"{url}\">\n\
             <p><a class=\"btn\" id=\"share-mail\" href=\"{mailto}\">{send}</a></p>\n\
             <p class=\"sizes\">{size_label} {sizes}</p>\n</div>\n",
            map = escape(&self.link.at_path("/")),
            change_map = w::CHANGE_MAP.get(lang),
            plain = escape(&self.link.at_path("/find")),
            change_plain = w::CHANGE_PLAIN.get(lang),
            other = escape(&self.link.in_lang(lang.other()).at_path("/sheet")),
            ol = lang.other().code(),
            sw = w::LANG_SWITCH.get(lang),
            print = w::PRINT.get(lang),
            print_help = w::PRINT_HELP.get(lang),
            share = w::SHARE.get(lang),
            share_help = w::SHARE_HELP.get(lang),
            link_label = w::SHARE_LINK.get(lang),
            url = escape(&url),
            mailto = escape(&self.mailto(region)),
            send = w::SEND_MAIL.get(lang),
            size_label = w::TEXT_SIZE.get(lang),
        )
    }

    /// The sheet as a page: A4 on paper, readable on a phone. The head holds the title, where
    /// from, the day and the QR code; then the warning about invented services, the note, the
    /// services; at the foot the map beside the sources.
    pub fn html(&self, region: &Region) -> Result<String> {
        let lang = self.lang();
        let qr = super::qr::svg(&self.url(), w::QR_CAPTION.get(lang))?;
        let mut body = self.screen_bar(region);
        body.push_str("<main class=\"sheet\">\n<header>\n<div class=\"head\">\n");
        body.push_str(&format!(
            "<p class=\"meta\"><span class=\"kicker\">{}</span> <span class=\"date\">{}</span></p>\n<h1>{}</h1>\n",
            escape(&w::SHEET_KICKER.with(lang, &[("region", &region.name)])),
            escape(&w::PRINTED.with(lang, &[("date", &super::day(self.today, lang))])),
            w::SHEET_TITLE.get(lang),
        ));
        if let Some(near) = self.near(region) {
            body.push_str(&format!("<p class=\"near\">{}</p>\n", escape(&near)));
        }
        body.push_str(&format!(
            "<p class=\"check\">{}</p>\n<p class=\"qr-help\">{}</p>\n</div>\n{qr}\n</header>\n",
            w::CHECK_FIRST.get(lang),
            w::QR_CAPTION.get(lang)
        ));
        if let Some(warn) = demo_warning(&self.found, lang) {
            body.push_str(&format!(
                "<p class=\"demo demo-all\">{}</p>\n",
                escape(&warn)
            ));
        }
        if let Some(note) = &self.link.note {
            body.push_str(&format!(
                "<div class=\"note\"><p class=\"k\">{}</p><p>{}</p></div>\n",
                w::NOTE_FROM.get(lang),
                escape(note).replace('\n', "<br>")
            ));
        }
        body.push_str("<ol class=\"services\">\n");
        for (i, f) in self.found.iter().enumerate() {
            body.push_str(&self.service_html(i + 1, f, region));
        }
        body.push_str("</ol>\n");
        if !self.missing.is_empty() {
            body.push_str(&format!(
                "<p class=\"missing\">{}</p>\n",
                escape(&missing_words(self.missing.len(), lang))
            ));
        }
        let pins: Vec<super::map::Pin> = self
            .found
            .iter()
            .enumerate()
            .map(|(i, f)| super::map::Pin {
                n: i + 1,
                lon: f.service.lon,
                lat: f.service.lat,
            })
            .collect();
        let origin_name = self
            .link
            .place
            .as_deref()
            .filter(|_| self.link.at.is_some());
        let title = match origin_name {
            Some(p) => w::MAP_CAPTION.with(lang, &[("place", p)]),
            None => w::MAP_CAPTION_NO_PLACE.get(lang).to_string(),
        };
        let map =
            super::map::svg(region, self.link.at, origin_name, &pins, &title).unwrap_or_default();
        let mut sources: Vec<String> = Vec::new();
        for f in &self.found {
            if !sources.contains(&f.service.source) {
                sources.push(f.service.source.clone());
            }
        }
        body.push_str(&format!(
            "<footer>\n<div class=\"map-fig\">{map}</div>\n<div class=\"foot-text\">\
             <p class=\"src\">{}: {}. {}</p></div>\n</footer>\n</main>\n<script src=\"/sheet.js\"></script>\n",
            w::SOURCES.get(lang),
            escape(&sources.join(" · ")),
            escape(&region.attribution.join(" · ")),
        ));
        Ok(document(
            lang,
            &format!("{} — Bússola", w::SHEET_TITLE.get(lang)),
            CSS,
            self.link.size,
            &body,
        ))
    }
}

/// The sheet's style: A4 with 10 and 12 mm margins; 14, 17 or 20 pt body text by the link's size;
/// two columns of services at the normal size; black on white (backgrounds that carry meaning
/// printed too).
const CSS: &str = "@page{size:A4;margin:10mm 12mm}\
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}\
body{margin:0;font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",\"DejaVu Sans\",Arial,sans-serif;color:#000;background:#fff}\
.screen{background:#f3f1ea;border-bottom:2px solid #c9c5ba;padding:.5em .8em;font-size:1.1em;line-height:1.4}\
.screen a{color:#0b4f8a;display:inline-block;padding:.35em .2em;margin-right:.8em}\
.screen label{display:block;font-weight:700}.screen input{font:inherit;width:100%;max-width:40em;min-height:44px;box-sizing:border-box;border:2px solid #4a4f55;border-radius:6px;padding:.3em}\
.screen button,.screen .btn{font:inherit;font-weight:700;background:#12355b;color:#fff;border:0;border-radius:8px;padding:.55em 1.1em;min-height:44px;text-decoration:none;cursor:pointer}\
.share-title{font-size:1.2em;margin:.8em 0 .2em}\
.sheet{font-size:14pt;line-height:1.3;max-width:186mm;margin:0 auto;padding:4mm}\
body.large .sheet{font-size:17pt}body.larger .sheet{font-size:20pt}\
.sheet header{display:flex;gap:5mm;align-items:flex-start;border-bottom:3px solid #000;padding-bottom:.2em;margin-bottom:.3em}\
.head{flex:1}.meta{display:flex;flex-wrap:wrap;justify-content:space-between;gap:0 1em;margin:0;font-size:11pt}.kicker{font-weight:700}\
h1{font-size:21pt;margin:.1em 0}.near{font-size:15pt;margin:0;font-weight:700}.check{margin:0;font-size:14pt;font-weight:700}.demo-all{font-size:14pt}.qr-help{margin:.2em 0 0;font-size:12pt}\
.qr{flex:none;width:30mm;height:30mm;display:block}\
.note{border:2px solid #000;border-radius:6px;padding:.1em .5em;margin:.3em 0}.note p{margin:.05em 0}\
.k{font-weight:700}\
.demo{border:2px dashed #000;background:#fde2d0;padding:0 .3em;font-weight:700;font-style:normal;margin:.2em 0}span.demo{display:inline-block;border-width:1.5px}\
ol.services{list-style:none;padding:0;margin:.2em 0;column-count:2;column-gap:7mm}body.large ol.services,body.larger ol.services{column-count:1}\
ol.services li{break-inside:avoid;page-break-inside:avoid;border-top:2px solid #000;padding:.2em 0 .4em}\
ol.services h2{font-size:1.15em;margin:.1em 0;line-height:1.2}\
ol.services p{margin:.05em 0;line-height:1.2}.kind{font-style:italic}\
.num{display:inline-block;min-width:1.4em;border-radius:1em;background:#12355b;color:#fff;text-align:center;margin-right:.2em}\
.phone{font-size:1.3em;font-weight:800;white-space:nowrap}.phone .k{font-size:.7em}.phone a{color:#000;text-decoration:none}body.large .phone{font-size:1.12em}\
.missing{font-weight:700}\
footer{display:flex;gap:5mm;align-items:flex-start;border-top:2px solid #000;padding-top:.3em;break-inside:avoid;page-break-inside:avoid}\
.map-fig{flex:0 0 48%}.map{width:100%;height:auto;border:1px solid #000;display:block}\
.map .seat{font-size:11px;text-anchor:middle;fill:#333}.map .pin{font-size:14px;font-weight:700;fill:#fff;text-anchor:middle}.map .scale{font-size:11px}.map .legend{font-size:12px;font-weight:700}\
.foot-text{flex:1}.src{margin:0;font-size:8.5pt;line-height:1.2}\
@media print{.screen{display:none}.sheet{padding:0;max-width:none}}\
@media (max-width:600px){ol.services{column-count:1}footer,.sheet header{display:block}.qr{margin-top:.5em}}";
