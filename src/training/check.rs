//! Checking a training offer: a submitted object of fields applied to an offer (a new one or
//! the stored one), every problem named by its field, and the place found from the address
//! when no position is given.
use crate::geocode::Query;
use crate::model::training::{Modality, Offer};
use crate::profiles::Profiles;
use crate::quality::checks;
use crate::region::Region;
use crate::{Error, Result};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The fields a submission may set (the rest are the service's own: id, demo, status, updated).
pub const FIELDS: &[&str] = &[
    "title",
    "description",
    "organiser",
    "profiles",
    "audience",
    "modality",
    "address",
    "postal_code",
    "locality",
    "municipality",
    "position",
    "start",
    "end",
    "schedule",
    "hours",
    "cost_eur",
    "funding",
    "places",
    "places_left",
    "enrol",
    "language",
];

/// The fields that say where an offer is: changing one without `position` places it again.
const PLACE: &[&str] = &["address", "postal_code", "locality", "municipality"];

/// What a check needs to know: the region (municipalities, gazetteer) and the profiles.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    /// The region served.
    pub region: &'a Region,
    /// The professional profiles (CNQ codes).
    pub profiles: &'a Profiles,
}

type Problems = BTreeMap<String, String>;

/// `base` with the submitted fields applied, checked whole: the new offer, or every problem by
/// field ([`Error::InvalidFields`]). `body` may hold only [`FIELDS`]; `lon`/`lat` may stand for
/// `position`.
pub fn apply(ctx: Context<'_>, base: &Offer, body: &Map<String, Value>) -> Result<Offer> {
    let mut problems = Problems::new();
    let mut fields = match serde_json::to_value(base) {
        Ok(Value::Object(m)) => m,
        _ => return Err(Error::Internal("an offer is not a JSON object".into())),
    };
    let body = with_position(body, &mut problems);
    for (k, v) in &body {
        if FIELDS.contains(&k.as_str()) {
            fields.insert(k.clone(), tidy(v));
        } else {
            problems.insert(
                k.clone(),
                format!("unknown field (one of {})", FIELDS.join(", ")),
            );
        }
    }
    let moved = PLACE.iter().any(|f| body.contains_key(*f)) && !body.contains_key("position");
    let mut offer: Offer = match serde_path_to_error::deserialize(Value::Object(fields)) {
        Ok(o) => o,
        Err(e) => {
            let field = e.path().iter().next().map(|s| s.to_string());
            let field = field.unwrap_or_else(|| "body".into());
            problems.insert(field, plain(e.inner()));
            return Err(Error::InvalidFields(problems));
        }
    };
    if moved || (offer.position.is_none() && offer.modality != Modality::Online) {
        place(ctx.region, &mut offer, &mut problems);
    }
    if offer.modality == Modality::Online {
        offer.position = None;
    } else if let Some([lon, lat]) = offer.position {
        if let Some(m) = ctx.region.municipality_at(lon, lat) {
            let said = offer
                .municipality
                .as_deref()
                .filter(|_| body.contains_key("municipality"));
            if let Some(said) = said.filter(|s| *s != m.code) {
                let known = ctx.region.municipality(said).is_some();
                let why = if known {
                    format!("the place is in {} ({}), not in {said}", m.name, m.code)
                } else {
                    format!("unknown municipality code '{said}'")
                };
                problems.insert("municipality".into(), why);
            }
            offer.municipality = Some(m.code.clone());
        }
    }
    check(ctx, &offer, &mut problems);
    if problems.is_empty() {
        Ok(offer)
    } else {
        Err(Error::InvalidFields(problems))
    }
}

/// `lon` and `lat` sent apart become `position`.
fn with_position(body: &Map<String, Value>, problems: &mut Problems) -> Map<String, Value> {
    let mut out = body.clone();
    match (out.remove("lon"), out.remove("lat")) {
        (Some(lon), Some(lat)) => {
            out.insert("position".into(), Value::Array(vec![lon, lat]));
        }
        (None, None) => {}
        _ => {
            problems.insert("position".into(), "send lon and lat together".into());
        }
    }
    out
}

/// Trimmed text, and empty text as no value.
fn tidy(v: &Value) -> Value {
    match v {
        Value::String(s) if s.trim().is_empty() => Value::Null,
        Value::String(s) => Value::String(s.trim().to_string()),
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), tidy(v))).collect()),
        other => other.clone(),
    }
}

/// serde's message without the position in the document (meaningless to a form's user).
fn plain(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.find(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// Places an offer from its postal code, locality or municipality.
fn place(region: &Region, o: &mut Offer, problems: &mut Problems) {
    if o.modality == Modality::Online {
        o.position = None;
        return;
    }
    let found = region.gazetteer.as_ref().and_then(|g| {
        g.locate(&Query {
            postal_code: o.postal_code.as_deref(),
            locality: o.locality.as_deref(),
            parish: None,
            municipality: o.municipality.as_deref(),
            address: o.address.as_deref(),
        })
    });
    match found {
        Some(p) => {
            o.position = Some([p.lon, p.lat]);
            o.municipality = Some(p.municipality);
        }
        None => {
            problems.insert(
                "position".into(),
                "the place was not found: give a known postal code, locality or municipality, \
                 or lon and lat"
                    .into(),
            );
        }
    }
}

fn text(problems: &mut Problems, field: &str, v: Option<&str>, max: usize, lines: bool) {
    let Some(v) = v else { return };
    if v.chars().count() > max {
        problems.insert(field.into(), format!("at most {max} characters"));
    } else if let Err(e) = crate::text::no_control(v, lines) {
        problems.insert(field.into(), e);
    }
}

fn check(ctx: Context<'_>, o: &Offer, problems: &mut Problems) {
    let mut bad = |f: &str, m: String| {
        problems.entry(f.to_string()).or_insert(m);
    };
    if o.title.chars().count() < 3 {
        bad("title", "a title of 3 characters or more is needed".into());
    }
    if o.organiser.name.trim().is_empty() {
        bad("organiser", "the organiser's name is needed".into());
    }
    for p in &o.profiles {
        if !ctx.profiles.has(p) {
            bad(
                "profiles",
                format!("unknown profile '{p}' (see /api/profiles)"),
            );
        }
    }
    if o.audience.is_empty() {
        bad(
            "audience",
            "one or more of managers, workers, volunteers".into(),
        );
    }
    dates(o, &mut bad);
    numbers(o, &mut bad);
    enrol(o, &mut bad);
    if !["pt", "en"].contains(&o.language.as_str()) {
        bad("language", "pt or en".into());
    }
    if let Some(pc) = &o.postal_code {
        if crate::geocode::PostalCode::parse(pc).is_none() {
            bad(
                "postal_code",
                format!("'{pc}' is not a postal code (NNNN-NNN)"),
            );
        }
    }
    where_(ctx.region, o, &mut bad);
    text(problems, "title", Some(&o.title), 200, false);
    text(
        problems,
        "description",
        o.description.as_deref(),
        2000,
        true,
    );
    text(problems, "organiser", Some(&o.organiser.name), 200, false);
    text(problems, "address", o.address.as_deref(), 200, false);
    text(problems, "locality", o.locality.as_deref(), 100, false);
    text(problems, "schedule", o.schedule.as_deref(), 300, false);
    text(problems, "funding", o.funding.as_deref(), 200, false);
}

fn dates(o: &Offer, bad: &mut impl FnMut(&str, String)) {
    let start = checks::days_from_iso(&o.start);
    let end = checks::days_from_iso(&o.end);
    if start.is_none() {
        bad("start", format!("'{}' is not a date (YYYY-MM-DD)", o.start));
    }
    if end.is_none() {
        bad("end", format!("'{}' is not a date (YYYY-MM-DD)", o.end));
    }
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            bad("end", "the last day is before the first".into());
        }
    }
}

fn numbers(o: &Offer, bad: &mut impl FnMut(&str, String)) {
    if let Some(h) = o.hours {
        if !(h > 0.0 && h <= 5000.0) {
            bad("hours", "more than 0 and at most 5000".into());
        }
    }
    if !(o.cost_eur >= 0.0 && o.cost_eur <= 100_000.0) {
        bad("cost_eur", "0 (free) or more, in euros".into());
    }
    if o.places == Some(0) {
        bad("places", "1 or more (leave it out when not counted)".into());
    }
    if let (Some(all), Some(left)) = (o.places, o.places_left) {
        if left > all {
            bad(
                "places_left",
                format!("more places left ({left}) than places ({all})"),
            );
        }
    }
}

fn enrol(o: &Offer, bad: &mut impl FnMut(&str, String)) {
    let e = &o.enrol;
    if e.url.is_none() && e.phone.is_none() && e.email.is_none() {
        bad(
            "enrol",
            "how to enrol: a link, a phone number or an e-mail address".into(),
        );
    }
    if let Some(u) = &e.url {
        if checks::url(u).is_err() {
            bad("enrol", format!("'{u}' is not a web address (https://…)"));
        }
    }
    if let Some(p) = &e.phone {
        if let Err(m) = checks::phone(p) {
            bad("enrol", m);
        }
    }
    if let Some(m) = &e.email {
        if let Err(m) = checks::email(m) {
            bad("enrol", m);
        }
    }
}

fn where_(region: &Region, o: &Offer, bad: &mut impl FnMut(&str, String)) {
    if let Some(code) = &o.municipality {
        if region.municipality(code).is_none() {
            bad(
                "municipality",
                format!("unknown municipality code '{code}'"),
            );
        }
    }
    match (o.modality, o.position) {
        (Modality::Online, _) => {}
        (_, None) => {}
        (_, Some([lon, lat])) => {
            if let Err((_, m)) = crate::distance::check_lon_lat(lon, lat) {
                bad("position", m);
            } else if region.municipality_at(lon, lat).is_none() {
                bad("position", "the place is outside the region served".into());
            }
        }
    }
}
