//! An offer's own page: what a person who followed a link (from the map, a feed, a search
//! engine) reads, in plain words, with its schema.org JSON-LD for machines. No script runs on
//! it; it links back to the map.
use crate::model::training::{Audience, Modality, Offer};
use crate::quality::report::escape;
use crate::region::Region;
use serde_json::Value;

fn row(out: &mut String, label: &str, value: &str) {
    if !value.is_empty() {
        out.push_str(&format!("<dt>{label}</dt><dd>{}</dd>\n", escape(value)));
    }
}

fn audience_words(a: Audience) -> &'static str {
    match a {
        Audience::Managers => "Dirigentes / Managers",
        Audience::Workers => "Profissionais / Workers",
        Audience::Volunteers => "Voluntários / Volunteers",
    }
}

fn modality(m: Modality) -> &'static str {
    match m {
        Modality::InPerson => "Presencial / In person",
        Modality::Online => "À distância / Online",
        Modality::Mixed => "Misto / Mixed",
    }
}

/// JSON inside a `<script>` element: `</` cannot end it early.
fn script_safe(v: &Value) -> String {
    v.to_string().replace("</", "<\\/")
}

/// The page of an offer, with `ld` (its JSON-LD) embedded; `profile` gives a CNQ code's title.
pub fn render<'a>(
    o: &Offer,
    ld: &Value,
    region: &Region,
    profile: impl Fn(&str) -> Option<&'a str>,
) -> String {
    let mut dl = String::new();
    row(&mut dl, "Organização / Organiser", &o.organiser.name);
    row(
        &mut dl,
        "Datas / Dates",
        &format!("{} — {}", o.start, o.end),
    );
    row(
        &mut dl,
        "Horário / Schedule",
        o.schedule.as_deref().unwrap_or(""),
    );
    row(
        &mut dl,
        "Duração / Length",
        &o.hours.map(|h| format!("{h} h")).unwrap_or_default(),
    );
    row(&mut dl, "Modalidade / Mode", modality(o.modality));
    let place = super::ics::place_words(o);
    let muni = o
        .municipality
        .as_deref()
        .and_then(|c| region.municipality(c));
    let place = match muni {
        Some(m) if o.modality != Modality::Online && !place.contains(&m.name) => {
            format!("{place} ({})", m.name)
        }
        _ => place,
    };
    row(&mut dl, "Local / Place", &place);
    let cost = if o.cost_eur == 0.0 {
        "Gratuito / Free".to_string()
    } else {
        format!("{:.2} €", o.cost_eur)
    };
    row(&mut dl, "Custo / Cost", &cost);
    row(
        &mut dl,
        "Financiamento / Funding",
        o.funding.as_deref().unwrap_or(""),
    );
    let places = match (o.places, o.places_left) {
        (Some(all), Some(0)) => format!("{all} — lotado / full"),
        (Some(all), Some(left)) => format!("{left} de {all} livres / {left} of {all} free"),
        (Some(all), None) => all.to_string(),
        _ => String::new(),
    };
    row(&mut dl, "Vagas / Places", &places);
    let titles: Vec<&str> = o.profiles.iter().map(|c| profile(c).unwrap_or(c)).collect();
    row(&mut dl, "Perfis / Profiles", &titles.join(", "));
    let audience: Vec<&str> = o.audience.iter().map(|a| audience_words(*a)).collect();
    row(&mut dl, "Para / For", &audience.join(", "));
    let mut enrol = Vec::new();
    if let Some(u) = &o.enrol.url {
        enrol.push(format!(
            "<a class=\"main\" href=\"{}\" rel=\"noopener noreferrer\">Inscrever-me / Enrol</a>",
            escape(u)
        ));
    }
    if let Some(p) = &o.enrol.phone {
        enrol.push(format!("<a href=\"tel:{0}\">☎ {0}</a>", escape(p)));
    }
    if let Some(e) = &o.enrol.email {
        enrol.push(format!("<a href=\"mailto:{0}\">✉ {0}</a>", escape(e)));
    }
    enrol.push(format!(
        "<a href=\"/api/training/{}.ics\">Adicionar ao calendário / Add to calendar</a>",
        escape(&o.id)
    ));
    let demo = if o.demo {
        "<p class=\"demo\"><strong>Demonstração: esta formação foi inventada. / Demonstration: this course is invented.</strong></p>"
    } else {
        ""
    };
    let ended = if o.status == crate::model::training::OfferStatus::Withdrawn {
        "<p class=\"withdrawn\"><strong>Esta formação foi retirada. / This course was withdrawn.</strong></p>"
    } else {
        ""
    };
    format!(
        "<!doctype html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title} — Bússola</title>\n<link rel=\"stylesheet\" href=\"/offer.css\">\n\
         <script type=\"application/ld+json\">{ld}</script>\n</head>\n<body>\n<main>\n\
         <p><a class=\"back\" href=\"/#professionals\">← Bússola: para profissionais / for professionals</a></p>\n\
         <h1>{title}</h1>\n{demo}{ended}<p>{description}</p>\n<dl>\n{dl}</dl>\n\
         <h2>Inscrição / How to enrol</h2>\n<ul class=\"actions\"><li>{enrol}</li></ul>\n\
         </main>\n</body>\n</html>\n",
        lang = escape(&o.language),
        title = escape(&o.title),
        ld = script_safe(ld),
        description = escape(o.description.as_deref().unwrap_or("")),
        enrol = enrol.join("</li><li>"),
    )
}
